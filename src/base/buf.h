/*
 * buf.h: the one growable byte buffer, with a cap and a sticky error.
 *
 * All player, network and script text goes through a struct buf (STYLE.md
 * rule 7). A buffer never grows past its limit: an append that would pass it
 * appends nothing, sets b->err to BUF_ERR_FULL and returns that error, and
 * every later append fails the same way until buf_clear(). So a caller can
 * build a whole message and check once at the end, as SQLite's StrAccum does.
 *
 * data is always NUL-terminated when it is non-NULL, so buf_cstr() is cheap.
 * The buffer may hold NUL bytes; len is the truth.
 */
#ifndef RUIN_BASE_BUF_H
#define RUIN_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define BUF_ERR_FULL (-28) /* -ENOSPC */
/* The limit used when a buffer is initialised with limit 0. */
#define BUF_DEFAULT_LIMIT ((size_t)1 << 20)

struct buf {
	char *data;   /* NULL until the first append; NUL-terminated after */
	size_t len;   /* bytes held, not counting the terminator */
	size_t alloc; /* bytes allocated */
	size_t limit; /* the most len may ever be */
	int err;      /* 0, or BUF_ERR_FULL once an append did not fit */
};

/* Initialises caller-owned storage; limit 0 means BUF_DEFAULT_LIMIT. */
void buf_init(struct buf *b, size_t limit);
/* Frees the bytes; b may be reused after buf_init(). */
void buf_fini(struct buf *b);

/* Append n bytes, all or nothing. Returns 0 or BUF_ERR_FULL. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Drops the first n bytes (all of them if n >= len). Keeps err. */
void buf_consume(struct buf *b, size_t n);
/* Empties the buffer and clears err; keeps the allocation. */
void buf_clear(struct buf *b);
/* Shortens the buffer to n bytes if it is longer. */
void buf_truncate(struct buf *b, size_t n);
/* The contents as a C string ("" when empty). Valid until the next change. */
const char *buf_cstr(const struct buf *b);
/* Hands the bytes to the caller (free() them); leaves b empty. Never NULL. */
char *buf_steal(struct buf *b);
/* Room left before the limit. */
size_t buf_room(const struct buf *b);

#endif
