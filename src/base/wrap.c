/*
 * wrap.c: ANSI- and UTF-8-aware word wrapping. See wrap.h.
 */
#include "base/wrap.h"

#include "base/banned.h"

/* Length of the escape sequence at s[0] == ESC, or 1 if it is not a CSI sequence. */
static size_t wrap_escape_len(const char *s, size_t n)
{
	size_t i = 2;

	if (n < 2 || s[1] != '[')
		return 1;
	while (i < n && !((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7E))
		i++;
	return i < n ? i + 1 : n;
}

void wrap_text(struct buf *out, const char *s, size_t n, int width)
{
	size_t i = 0, run_start = 0;
	size_t space_at = (size_t)-1; /* index in out of the last breakable space */
	int col = 0, col_after_space = 0;

	if (width < 10) {
		buf_append(out, s, n);
		return;
	}
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t len = 1;

		if (c == '\n') {
			col = 0;
			space_at = (size_t)-1;
		} else if (c == 0x1B) {
			len = wrap_escape_len(s + i, n - i);
		} else if ((c & 0xC0) != 0x80) {
			/* A code point starts here (continuation bytes add no column). */
			if (c == ' ' && col > 0) {
				buf_append(out, s + run_start, i - run_start);
				run_start = i;
				space_at = out->len;
				col_after_space = col + 1;
			}
			col++;
			if (col > width && space_at != (size_t)-1 && c != ' ') {
				buf_append(out, s + run_start, i - run_start);
				run_start = i;
				if (!out->err && space_at < out->len) {
					out->data[space_at] = '\n';
					col -= col_after_space;
				}
				space_at = (size_t)-1;
			}
		}
		i += len;
	}
	buf_append(out, s + run_start, n - run_start);
}
