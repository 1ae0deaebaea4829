/*
 * xalloc.h: allocation that cannot fail.
 *
 * Out of memory is not an error we recover from (STYLE.md rule 6): these
 * abort with a message. Sizes that come from the network or a script must be
 * checked against a cap before they reach here.
 */
#ifndef RUIN_BASE_XALLOC_H
#define RUIN_BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
/* Zeroed; aborts on overflow of nmemb * size. */
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array: returns p resized to nmemb * size, aborting on overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
/* Copies n bytes of s and NUL-terminates the copy. */
char *xstrndup(const char *s, size_t n);

#endif
