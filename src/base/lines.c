/*
 * lines.c: line splitting with a length cap. See lines.h.
 *
 * Start at lines_feed(): it finds each "\n" with memchr and gathers the
 * bytes before it in partial, which never grows past max + 1 bytes (the
 * extra one for a "\r" that ends a line of exactly max bytes).
 */
#include "base/lines.h"

#include <string.h>

#include "base/banned.h"

#define LINES_DEFAULT_MAX ((size_t)64 * 1024)

void lines_init(struct lines *l, size_t max)
{
	l->max = max ? max : LINES_DEFAULT_MAX;
	/* One more than max so a "\r" that ends a line of exactly max bytes fits. */
	buf_init(&l->partial, l->max + 1);
	l->skipping = false;
}

void lines_fini(struct lines *l)
{
	buf_fini(&l->partial);
	l->skipping = false;
}

void lines_reset(struct lines *l)
{
	buf_clear(&l->partial);
	l->skipping = false;
}

size_t lines_pending(const struct lines *l)
{
	return l->partial.len;
}

/* Passes on the whole line gathered in partial unless it is too long. */
static bool lines_emit(struct lines *l, lines_fn line, lines_overlong_fn overlong, void *ud)
{
	size_t n = l->partial.len;

	if (n && l->partial.data[n - 1] == '\r')
		buf_truncate(&l->partial, --n);
	if (n > l->max) {
		if (overlong)
			overlong(ud, l->max);
		return false;
	}
	line(ud, buf_cstr(&l->partial), n);
	return true;
}

size_t lines_feed(struct lines *l, const char *bytes, size_t n, lines_fn line,
		  lines_overlong_fn overlong, void *ud)
{
	size_t done = 0;

	while (n) {
		const char *nl = memchr(bytes, '\n', n);
		size_t take = nl ? (size_t)(nl - bytes) : n;

		if (l->skipping) {
			if (nl)
				l->skipping = false;
		} else if (take > buf_room(&l->partial)) {
			/* Past the cap: drop what we have and the rest of the line. */
			buf_clear(&l->partial);
			if (overlong)
				overlong(ud, l->max);
			l->skipping = !nl;
		} else {
			buf_append(&l->partial, bytes, take);
			if (nl) {
				if (lines_emit(l, line, overlong, ud))
					done++;
				buf_clear(&l->partial);
			}
		}
		if (!nl)
			break;
		bytes += take + 1;
		n -= take + 1;
	}
	return done;
}
