/*
 * outq.c: the message queue (see outq.h). A record is a size_t length, the
 * headroom, then the payload, padded so the next record's length is aligned.
 */
#include "outq.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "base/banned.h"

#define OUTQ_ALIGN sizeof(size_t)

static size_t outq_record_size(const struct outq *q, size_t n)
{
	size_t size = sizeof(size_t) + q->headroom + n;

	return (size + OUTQ_ALIGN - 1) & ~(OUTQ_ALIGN - 1);
}

void outq_init(struct outq *q, size_t headroom)
{
	memset(q, 0, sizeof(*q));
	q->headroom = (headroom + OUTQ_ALIGN - 1) & ~(OUTQ_ALIGN - 1);
}

void outq_fini(struct outq *q)
{
	free(q->data);
	memset(q, 0, sizeof(*q));
}

void outq_push(struct outq *q, const char *msg, size_t n)
{
	size_t need = outq_record_size(q, n);
	size_t used = q->tail - q->head;

	if (q->tail + need > q->cap) {
		if (used + need <= q->cap && q->head >= used) {
			/* Enough room once the consumed front is gone. */
			memmove(q->data, q->data + q->head, used);
		} else {
			size_t cap = q->cap ? q->cap : 1024;
			char *data;

			while (cap < used + need)
				cap *= 2;
			data = xmalloc(cap);
			if (used)
				memcpy(data, q->data + q->head, used);
			free(q->data);
			q->data = data;
			q->cap = cap;
		}
		q->tail = used;
		q->head = 0;
	}
	memcpy(q->data + q->tail, &n, sizeof(size_t));
	memcpy(q->data + q->tail + sizeof(size_t) + q->headroom, msg, n);
	q->tail += need;
	q->count++;
	q->bytes += n;
}

char *outq_peek(struct outq *q, size_t *n)
{
	if (!q->count)
		return NULL;
	memcpy(n, q->data + q->head, sizeof(size_t));
	return q->data + q->head + sizeof(size_t) + q->headroom;
}

void outq_pop(struct outq *q)
{
	size_t n;

	if (!q->count)
		return;
	memcpy(&n, q->data + q->head, sizeof(size_t));
	q->head += outq_record_size(q, n);
	q->count--;
	q->bytes -= n;
	if (!q->count) {
		q->head = q->tail = 0;
		if (q->cap > OUTQ_KEEP) {
			free(q->data);
			q->data = NULL;
			q->cap = 0;
		}
	}
}

size_t outq_trim(struct outq *q, size_t limit)
{
	size_t dropped = 0;

	while (q->count && q->bytes > limit) {
		outq_pop(q);
		dropped++;
	}
	return dropped;
}

void outq_clear(struct outq *q)
{
	while (q->count)
		outq_pop(q);
}

size_t outq_allocated(const struct outq *q)
{
	return q->cap;
}
