/*
 * utf8.c: UTF-8 decoding, repair and ASCII folding. See utf8.h.
 */
#include "base/utf8.h"

#include "base/banned.h"

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int utf8_valid(const char *s, size_t n)
{
	uint32_t cp;

	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &cp);

		if (!len)
			return 0;
		i += len;
	}
	return 1;
}

size_t utf8_length(const char *s, size_t n)
{
	size_t count = 0;
	uint32_t cp;

	for (size_t i = 0; i < n; count++) {
		size_t len = utf8_decode(s + i, n - i, &cp);

		i += len ? len : 1;
	}
	return count;
}

/*
 * True if the k bytes at s (fewer than their sequence needs, continuation
 * bytes after the first) can still begin a valid sequence: the lead is
 * C2-F4 and the second byte, if any, is not already overlong, a surrogate
 * or past U+10FFFF.
 */
static int utf8_can_complete(const unsigned char *s, size_t k)
{
	unsigned char lo = 0x80, hi = 0xBF;

	if (s[0] < 0xC2 || s[0] > 0xF4)
		return 0;
	if (s[0] == 0xE0)
		lo = 0xA0;
	else if (s[0] == 0xED)
		hi = 0x9F;
	else if (s[0] == 0xF0)
		lo = 0x90;
	else if (s[0] == 0xF4)
		hi = 0x8F;
	return k < 2 || (s[1] >= lo && s[1] <= hi);
}

size_t utf8_complete_prefix(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, need;

	/* Look back at most 3 bytes for the start of a sequence. */
	for (i = n; i > 0 && n - i < 4; i--) {
		unsigned char c = s[i - 1];

		if ((c & 0xC0) == 0x80)
			continue;
		if (c < 0x80)
			return n;
		need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (n - (i - 1) < need && utf8_can_complete(s + i - 1, n - (i - 1)))
			return i - 1;
		return n;
	}
	return n;
}

size_t utf8_repair(struct buf *out, const char *s, size_t n)
{
	static const char repl[] = "\xEF\xBF\xBD";
	size_t bad = 0, run = 0, i = 0;
	uint32_t cp;

	while (i < n) {
		size_t len = utf8_decode(s + i, n - i, &cp);

		if (len) {
			i += len;
			run += len;
			continue;
		}
		buf_append(out, s + i - run, run);
		buf_append(out, repl, 3);
		run = 0;
		bad++;
		i++;
		/* Swallow the continuation bytes of the broken sequence. */
		while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
	}
	buf_append(out, s + n - run, run);
	return bad;
}

struct utf8_fold {
	uint32_t cp;
	const char *ascii;
};

static const struct utf8_fold utf8_folds[] = {
	{0x00A0, " "},	{0x00A9, "(c)"}, {0x00AB, "<<"}, {0x00AD, "-"},	 {0x00AE, "(R)"},
	{0x00B7, "."},	{0x00BB, ">>"},	 {0x00C0, "A"},	 {0x00C1, "A"},	 {0x00C2, "A"},
	{0x00C3, "A"},	{0x00C4, "A"},	 {0x00C5, "A"},	 {0x00C6, "AE"}, {0x00C7, "C"},
	{0x00C8, "E"},	{0x00C9, "E"},	 {0x00CA, "E"},	 {0x00CB, "E"},	 {0x00CC, "I"},
	{0x00CD, "I"},	{0x00CE, "I"},	 {0x00CF, "I"},	 {0x00D0, "D"},	 {0x00D1, "N"},
	{0x00D2, "O"},	{0x00D3, "O"},	 {0x00D4, "O"},	 {0x00D5, "O"},	 {0x00D6, "O"},
	{0x00D7, "x"},	{0x00D8, "O"},	 {0x00D9, "U"},	 {0x00DA, "U"},	 {0x00DB, "U"},
	{0x00DC, "U"},	{0x00DD, "Y"},	 {0x00DE, "Th"}, {0x00DF, "ss"}, {0x00E0, "a"},
	{0x00E1, "a"},	{0x00E2, "a"},	 {0x00E3, "a"},	 {0x00E4, "a"},	 {0x00E5, "a"},
	{0x00E6, "ae"}, {0x00E7, "c"},	 {0x00E8, "e"},	 {0x00E9, "e"},	 {0x00EA, "e"},
	{0x00EB, "e"},	{0x00EC, "i"},	 {0x00ED, "i"},	 {0x00EE, "i"},	 {0x00EF, "i"},
	{0x00F0, "d"},	{0x00F1, "n"},	 {0x00F2, "o"},	 {0x00F3, "o"},	 {0x00F4, "o"},
	{0x00F5, "o"},	{0x00F6, "o"},	 {0x00F7, "/"},	 {0x00F8, "o"},	 {0x00F9, "u"},
	{0x00FA, "u"},	{0x00FB, "u"},	 {0x00FC, "u"},	 {0x00FD, "y"},	 {0x00FE, "th"},
	{0x00FF, "y"},	{0x2010, "-"},	 {0x2013, "-"},	 {0x2014, "--"}, {0x2018, "'"},
	{0x2019, "'"},	{0x201C, "\""},	 {0x201D, "\""}, {0x2022, "*"},	 {0x2026, "..."},
	{0x2190, "<-"}, {0x2192, "->"},	 {0x2500, "-"},	 {0x2502, "|"},	 {0x250C, "+"},
	{0x2510, "+"},	{0x2514, "+"},	 {0x2518, "+"},	 {0x2588, "#"},	 {0x2591, "."},
	{0x2592, ":"},	{0x2593, "#"},	 {0x25CF, "o"},
};

static const char *utf8_fold_find(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(utf8_folds) / sizeof(utf8_folds[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (utf8_folds[mid].cp == cp)
			return utf8_folds[mid].ascii;
		if (utf8_folds[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return "?";
}

void utf8_to_ascii(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, run = 0;
	uint32_t cp;

	while (i < n) {
		size_t len = utf8_decode(s + i, n - i, &cp);

		if (len == 1) {
			i++;
			run++;
			continue;
		}
		buf_append(out, s + i - run, run);
		run = 0;
		if (len) {
			buf_puts(out, utf8_fold_find(cp));
			i += len;
		} else {
			buf_putc(out, '?');
			i++;
		}
	}
	buf_append(out, s + n - run, run);
}

void utf8_from_latin1(struct buf *out, const char *s, size_t n)
{
	char enc[4];

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80)
			buf_putc(out, (char)c);
		else
			buf_append(out, enc, utf8_encode(c, enc));
	}
}
