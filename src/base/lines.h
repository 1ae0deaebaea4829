/*
 * lines.h: splitting a byte stream into lines, with a cap on line length.
 *
 * Bytes go in as they come off a socket (any split); complete lines come
 * out through a callback, without their "\n" (a "\r" before it is dropped
 * too) and NUL-terminated. A line longer than the cap is never buffered
 * whole: the first max bytes are dropped as soon as the cap is passed, one
 * overlong callback says so, and the rest of that line is skipped up to its
 * "\n". Used on both ends of the admin socket (src/admin.c and
 * tui/client.c), which speak JSON lines. libc only.
 */
#ifndef RUIN_BASE_LINES_H
#define RUIN_BASE_LINES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

struct lines {
	struct buf partial; /* the line being received */
	size_t max;	    /* longest line passed on, in bytes */
	bool skipping;	    /* inside an overlong line: dropping up to its "\n" */
};

/* One complete line: n bytes, NUL-terminated at line[n]. May hold NUL bytes. */
typedef void (*lines_fn)(void *ud, const char *line, size_t n);
/* A line passed max bytes and is dropped; called once per such line. */
typedef void (*lines_overlong_fn)(void *ud, size_t max);

/* Initialises caller-owned storage; max 0 means 64 KiB. */
void lines_init(struct lines *l, size_t max);
void lines_fini(struct lines *l);
/*
 * Feeds n bytes. Calls line() for every line they complete and overlong()
 * (which may be NULL) for every line that passes max. The callbacks must
 * not call lines_feed or lines_fini on l. Returns the number of complete
 * lines passed on.
 */
size_t lines_feed(struct lines *l, const char *bytes, size_t n, lines_fn line,
		  lines_overlong_fn overlong, void *ud);
/* Bytes of an unfinished line held now (0 while skipping). */
size_t lines_pending(const struct lines *l);
/* Forgets any unfinished line (after a reconnect). */
void lines_reset(struct lines *l);

#endif
