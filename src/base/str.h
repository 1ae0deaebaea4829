/*
 * str.h: small string helpers over NUL-terminated text. Anything that builds
 * text of unbounded size uses struct buf instead.
 */
#ifndef RUIN_BASE_STR_H
#define RUIN_BASE_STR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* strlcpy: copies at most size-1 bytes and terminates. Returns 0, or -1 if cut. */
int str_copy(char *dst, size_t size, const char *src);
/* Case-insensitive (ASCII) equality. */
bool str_eq_nocase(const char *a, const char *b);
/* True if prefix is non-empty and a case-insensitive prefix of s. */
bool str_prefix(const char *prefix, const char *s);
/* True if s starts with prefix (case-sensitive). */
bool str_starts_with(const char *s, const char *prefix);
/* Strips leading and trailing ASCII white space in place; returns s moved past the leading part. */
char *str_trim(char *s);
/* Lowercases ASCII letters in place. */
void str_lower(char *s);
/*
 * Reads the next word of *p into word (cleared first), skipping white space,
 * and advances *p past it. A word in double or single quotes may hold spaces.
 * Returns false when no word is left.
 */
bool str_next_word(const char **p, struct buf *word);
/* Skips leading white space. */
const char *str_skip_space(const char *s);
/* Parses a whole decimal integer in [min, max]. 0 on success, -1 otherwise. */
int str_to_long(const char *s, long min, long max, long *out);

#endif
