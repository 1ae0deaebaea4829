/*
 * item.c: item instances: making and destroying them, where they are (a
 * room, a character's inventory or equipment, a container), the light they
 * give a room, and their weight.
 *
 * Start reading at item_from_place(): every move goes through it first, so
 * each list an item can be in is left exactly once. A worn item is in
 * ch->equip[] only, never in ch->inventory.
 */
#include "game/world.h"

#include <assert.h>
#include <stdlib.h>

#include "base/xalloc.h"
#include "game/internal.h"
#include "base/banned.h"

struct item *world_item_make(struct world *w, struct item_proto *proto, bool force)
{
	assert(proto);
	if (!force && proto->max_world > 0 && proto->live >= proto->max_world)
		return NULL;
	struct item *it = xcalloc(1, sizeof(*it));
	it->proto = proto;
	it->worn_on = -1;
	it->flags = proto->flags;
	it->timer = -1;
	if (proto->type == ITEM_LIGHT && proto->values[0] > 0)
		it->timer = proto->values[0];
	dlink_init(&it->link);
	dlist_init(&it->contents);
	it->ref = world_ref_alloc(w, REF_ITEM, it);
	proto->live++;
	return it;
}

struct item *world_item_create(struct world *w, struct item_proto *proto)
{
	return world_item_make(w, proto, false);
}

void world_item_destroy(struct world *w, struct item *it)
{
	DLIST_FOREACH_SAFE(&it->contents, l, tmp)
	{
		world_item_destroy(w, dlist_entry(l, struct item, link));
	}
	if (!it->extracted)
		it->proto->live--;
	world_ref_release(w, it->ref);
	free(it);
}

/* ---- light -------------------------------------------------------------------- */

/* The light an item gives where it lies or is carried (not inside containers). */
static int item_light(const struct item *it, bool worn_as_light)
{
	if (it->flags & ITEM_GLOW)
		return 1;
	if (worn_as_light && it->proto->type == ITEM_LIGHT && it->timer != 0)
		return 1;
	return 0;
}

static int item_char_light(const struct character *ch)
{
	int n = 0;

	DLIST_FOREACH(&ch->inventory, l)
	{
		n += item_light(dlist_entry(l, struct item, link), false);
	}
	for (int s = 0; s < WEAR_COUNT; s++)
		if (ch->equip[s])
			n += item_light(ch->equip[s], s == WEAR_LIGHT);
	return n;
}

void world_room_light_recount(struct room *room)
{
	int n = 0;

	if (!room)
		return;
	DLIST_FOREACH(&room->items, l)
	{
		n += item_light(dlist_entry(l, struct item, link), false);
	}
	DLIST_FOREACH(&room->people, l)
	{
		n += item_char_light(dlist_entry(l, struct character, room_link));
	}
	room->light = n;
}

/* ---- placement ------------------------------------------------------------------ */

void item_from_place(struct item *it)
{
	struct room *relight = NULL;

	if (it->in_room) {
		dlist_remove(&it->in_room->items, &it->link);
		relight = it->in_room;
		it->in_room = NULL;
	} else if (it->carried_by) {
		struct character *ch = it->carried_by;
		if (it->worn_on >= 0) {
			assert(ch->equip[it->worn_on] == it);
			ch->equip[it->worn_on] = NULL;
			it->worn_on = -1;
		} else {
			dlist_remove(&ch->inventory, &it->link);
		}
		relight = ch->room;
		it->carried_by = NULL;
	} else if (it->in_item) {
		dlist_remove(&it->in_item->contents, &it->link);
		it->in_item = NULL;
	}
	world_room_light_recount(relight);
}

void item_to_room(struct item *it, struct room *room)
{
	assert(room && !it->extracted);
	item_from_place(it);
	dlist_push_back(&room->items, &it->link);
	it->in_room = room;
	world_room_light_recount(room);
}

void item_to_char(struct item *it, struct character *ch)
{
	assert(ch && !it->extracted);
	item_from_place(it);
	dlist_push_back(&ch->inventory, &it->link);
	it->carried_by = ch;
	world_room_light_recount(ch->room);
}

void item_to_item(struct item *it, struct item *container)
{
	assert(container && container != it && !it->extracted);
	for (const struct item *up = container; up; up = up->in_item)
		assert(up != it); /* never inside itself */
	item_from_place(it);
	dlist_push_back(&container->contents, &it->link);
	it->in_item = container;
}

int item_equip(struct character *ch, struct item *it, enum wear_slot slot)
{
	if ((unsigned)slot >= WEAR_COUNT || it->carried_by != ch || it->worn_on >= 0 ||
	    ch->equip[slot] || !(it->proto->wear_slots & (1u << slot)))
		return -1;
	dlist_remove(&ch->inventory, &it->link);
	ch->equip[slot] = it;
	it->worn_on = (int)slot;
	world_room_light_recount(ch->room);
	return 0;
}

void item_unequip(struct character *ch, struct item *it)
{
	if (it->carried_by != ch || it->worn_on < 0)
		return;
	ch->equip[it->worn_on] = NULL;
	it->worn_on = -1;
	dlist_push_back(&ch->inventory, &it->link);
	world_room_light_recount(ch->room);
}

/* ---- extraction ----------------------------------------------------------------- */

void world_extract_item(struct world *w, struct item *it)
{
	if (it->extracted)
		return;
	item_from_place(it);
	while (!dlist_empty(&it->contents))
		world_extract_item(w, dlist_entry(it->contents.head.next, struct item, link));
	it->extracted = true;
	it->proto->live--;
	dlist_push_back(&w->dead_items, &it->link);
}

/* ---- questions ------------------------------------------------------------------- */

int world_item_total_weight(const struct item *it)
{
	int n = it->proto->weight;

	DLIST_FOREACH(&it->contents, l)
	{
		n += world_item_total_weight(dlist_entry(l, struct item, link));
	}
	return n;
}

int world_char_carried_weight(const struct character *ch)
{
	int n = 0;

	DLIST_FOREACH(&ch->inventory, l)
	{
		n += world_item_total_weight(dlist_entry(l, struct item, link));
	}
	for (int s = 0; s < WEAR_COUNT; s++)
		if (ch->equip[s])
			n += world_item_total_weight(ch->equip[s]);
	return n;
}

static bool item_list_holds(const struct dlist *list, const struct item_proto *proto)
{
	DLIST_FOREACH(list, l)
	{
		const struct item *it = dlist_entry(l, struct item, link);
		if (it->proto == proto || item_list_holds(&it->contents, proto))
			return true;
	}
	return false;
}

bool world_char_holds_proto(const struct character *ch, const struct item_proto *proto)
{
	if (item_list_holds(&ch->inventory, proto))
		return true;
	for (int s = 0; s < WEAR_COUNT; s++) {
		const struct item *it = ch->equip[s];
		if (it && (it->proto == proto || item_list_holds(&it->contents, proto)))
			return true;
	}
	return false;
}
