/*
 * list.h: intrusive doubly-linked lists (libc only).
 *
 * Embed a struct dlink in the element and keep a struct dlist where the
 * elements live; dlist_entry() gets from the link back to the element. An
 * element can be unlinked in O(1) without knowing which list holds it.
 * Walking a list while removing its elements needs DLIST_FOREACH_SAFE.
 */
#ifndef RUIN_BASE_LIST_H
#define RUIN_BASE_LIST_H

#include <stddef.h>

struct dlink {
	struct dlink *prev, *next;
};

struct dlist {
	struct dlink head; /* sentinel: head.next is the first element */
	size_t count;
};

#define dlist_entry(link, type, member) ((type *)((char *)(link)-offsetof(type, member)))

static inline void dlist_init(struct dlist *l)
{
	l->head.prev = l->head.next = &l->head;
	l->count = 0;
}

static inline int dlist_empty(const struct dlist *l)
{
	return l->head.next == &l->head;
}

/* A link that is in no list points at itself (or is all zero). */
static inline int dlink_linked(const struct dlink *n)
{
	return n->next != NULL && n->next != n;
}

static inline void dlink_init(struct dlink *n)
{
	n->prev = n->next = n;
}

static inline void dlist_push_back(struct dlist *l, struct dlink *n)
{
	n->prev = l->head.prev;
	n->next = &l->head;
	l->head.prev->next = n;
	l->head.prev = n;
	l->count++;
}

static inline void dlist_push_front(struct dlist *l, struct dlink *n)
{
	n->next = l->head.next;
	n->prev = &l->head;
	l->head.next->prev = n;
	l->head.next = n;
	l->count++;
}

/* Puts n right after at, which is in l (or is l's head: the front). */
static inline void dlist_insert_after(struct dlist *l, struct dlink *at, struct dlink *n)
{
	n->prev = at;
	n->next = at->next;
	at->next->prev = n;
	at->next = n;
	l->count++;
}

static inline void dlist_remove(struct dlist *l, struct dlink *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
	l->count--;
}

#define DLIST_FOREACH(l, it)                                                                       \
	for (struct dlink *it = (l)->head.next; it != &(l)->head; it = it->next)

#define DLIST_FOREACH_SAFE(l, it, tmp)                                                             \
	for (struct dlink *it = (l)->head.next, *tmp = it->next; it != &(l)->head;                 \
	     it = tmp, tmp = it->next)

#endif
