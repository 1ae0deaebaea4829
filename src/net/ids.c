/*
 * ids.c: the open connections by id, for net_find(). See conn.h.
 *
 * The game names a player's connection by id on every line it sends (a
 * say to a full room looks up a thousand), so this is a hash of integers,
 * not the string map: ids are handed out in sequence, and id & mask
 * spreads them evenly over a power-of-two table of buckets, chained
 * through conn.id_next, that grows to twice the open connections.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/xalloc.h"
#include "net/internal.h"
#include "base/banned.h"

static void net_ids_grow(struct net *net)
{
	size_t cap = net->ids_cap ? net->ids_cap * 2 : 64;
	struct conn **ids = xcalloc(cap, sizeof(*ids));

	for (size_t i = 0; i < net->ids_cap; i++) {
		struct conn *c = net->ids[i];

		while (c) {
			struct conn *next = c->id_next;

			c->id_next = ids[c->id & (cap - 1)];
			ids[c->id & (cap - 1)] = c;
			c = next;
		}
	}
	free(net->ids);
	net->ids = ids;
	net->ids_cap = cap;
}

void net_ids_put(struct net *net, struct conn *c)
{
	struct conn **b;

	if (net->open.count * 2 > net->ids_cap)
		net_ids_grow(net);
	b = &net->ids[c->id & (net->ids_cap - 1)];
	c->id_next = *b;
	*b = c;
}

void net_ids_del(struct net *net, struct conn *c)
{
	for (struct conn **p = &net->ids[c->id & (net->ids_cap - 1)]; *p; p = &(*p)->id_next)
		if (*p == c) {
			*p = c->id_next;
			c->id_next = NULL;
			return;
		}
}

void net_ids_fini(struct net *net)
{
	free(net->ids);
	net->ids = NULL;
	net->ids_cap = 0;
}

struct conn *net_find(const struct net *net, uint32_t id)
{
	if (!net->ids_cap)
		return NULL;
	for (struct conn *c = net->ids[id & (net->ids_cap - 1)]; c; c = c->id_next)
		if (c->id == id)
			return c;
	return NULL;
}
