/*
 * buf.c: growable byte buffer with a cap and a sticky error. See buf.h.
 */
#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "base/banned.h"

void buf_init(struct buf *b, size_t limit)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->limit = limit ? limit : BUF_DEFAULT_LIMIT;
	b->err = 0;
}

void buf_fini(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
}

/* Makes room for n more bytes plus the terminator; the caller checked the limit. */
static void buf_grow(struct buf *b, size_t n)
{
	size_t need = b->len + n + 1;
	size_t alloc = b->alloc ? b->alloc : 64;

	if (need <= b->alloc)
		return;
	while (alloc < need)
		alloc *= 2;
	b->data = xrealloc(b->data, alloc);
	b->alloc = alloc;
}

int buf_append(struct buf *b, const void *p, size_t n)
{
	if (b->limit == 0)
		b->limit = BUF_DEFAULT_LIMIT;
	if (b->err)
		return b->err;
	if (n > b->limit - b->len) {
		b->err = BUF_ERR_FULL;
		return b->err;
	}
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	char small[256];
	int n;

	if (b->limit == 0)
		b->limit = BUF_DEFAULT_LIMIT;
	if (b->err)
		return b->err;
	va_copy(cp, ap);
	n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		return -22; /* -EINVAL: a bad format is the caller's bug */
	if ((size_t)n < sizeof(small))
		return buf_append(b, small, (size_t)n);
	if ((size_t)n > b->limit - b->len) {
		b->err = BUF_ERR_FULL;
		return b->err;
	}
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		if (b->data)
			b->data[0] = '\0';
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

void buf_clear(struct buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->data)
		b->data[0] = '\0';
}

void buf_truncate(struct buf *b, size_t n)
{
	if (n < b->len) {
		b->len = n;
		b->data[n] = '\0';
	}
}

const char *buf_cstr(const struct buf *b)
{
	return b->data ? b->data : "";
}

char *buf_steal(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");

	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->err = 0;
	return p;
}

size_t buf_room(const struct buf *b)
{
	size_t limit = b->limit ? b->limit : BUF_DEFAULT_LIMIT;

	return b->err ? 0 : limit - b->len;
}
