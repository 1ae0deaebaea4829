/*
 * str.c: small string helpers. See str.h.
 */
#include "base/str.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/banned.h"

int str_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (size == 0)
		return -1;
	if (n >= size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

bool str_eq_nocase(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

bool str_prefix(const char *prefix, const char *s)
{
	size_t n = strlen(prefix);

	return n > 0 && strncasecmp(prefix, s, n) == 0;
}

bool str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *str_trim(char *s)
{
	size_t n;

	while (*s && isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

void str_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

const char *str_skip_space(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return s;
}

bool str_next_word(const char **p, struct buf *word)
{
	const char *s = str_skip_space(*p);
	const char *start;
	char quote = 0;

	buf_clear(word);
	if (!*s) {
		*p = s;
		return false;
	}
	if (*s == '"' || *s == '\'')
		quote = *s++;
	start = s;
	if (quote) {
		while (*s && *s != quote)
			s++;
	} else {
		while (*s && !isspace((unsigned char)*s))
			s++;
	}
	buf_append(word, start, (size_t)(s - start));
	if (quote && *s == quote)
		s++;
	*p = s;
	return true;
}

int str_to_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	/* strtol would skip leading space; a whole number has none either side. */
	if (!*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
