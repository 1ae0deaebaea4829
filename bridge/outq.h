/*
 * outq.h: a queue of whole messages in one contiguous buffer.
 *
 * Each browser session queues its JSON messages here until the socket can
 * take them (and keeps them here while the browser is away, for a resume).
 * Messages are copied in, kept whole and in order, with `headroom` writable
 * bytes in front of each payload (libwebsockets needs LWS_PRE there), and
 * no allocation per message: the buffer grows by doubling, is compacted as
 * the front is consumed, and is freed when the queue empties and it had
 * grown past OUTQ_KEEP, so an idle session holds little memory.
 */
#ifndef RUIN_BRIDGE_OUTQ_H
#define RUIN_BRIDGE_OUTQ_H

#include <stddef.h>

/* A drained queue keeps at most this many bytes allocated. */
#define OUTQ_KEEP 4096

struct outq {
	char *data;
	size_t head, tail, cap; /* records live in data[head, tail) */
	size_t headroom;
	size_t count; /* messages queued */
	size_t bytes; /* payload bytes queued */
};

void outq_init(struct outq *q, size_t headroom);
void outq_fini(struct outq *q);

/* Appends a copy of the n bytes at msg as one message. */
void outq_push(struct outq *q, const char *msg, size_t n);
/* The oldest message (q->headroom writable bytes precede it) and its length
 * in *n; NULL if the queue is empty. Valid until the next push or pop. */
char *outq_peek(struct outq *q, size_t *n);
/* Drops the oldest message (nothing if empty). */
void outq_pop(struct outq *q);
/* Drops the oldest messages until at most limit payload bytes remain;
 * returns how many messages were dropped. */
size_t outq_trim(struct outq *q, size_t limit);
/* Drops everything. */
void outq_clear(struct outq *q);
/* Bytes allocated. */
size_t outq_allocated(const struct outq *q);

#endif
