/*
 * character.c: character instances (mobs here, players in player.c), where
 * they stand, and deferred extraction: world_extract_*() marks and unplaces,
 * world_reap() frees once per loop pass (STYLE.md rule 9).
 *
 * Start reading at world_extract_char() and world_reap().
 */
#include "game/world.h"

#include <assert.h>
#include <stdlib.h>

#include "base/xalloc.h"
#include "game/internal.h"
#include "base/banned.h"

static char *character_dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct character *world_mob_create(struct world *w, struct mob_proto *proto)
{
	assert(proto);
	struct character *ch = xcalloc(1, sizeof(*ch));
	ch->proto = proto;
	ch->keywords = character_dup(proto->keywords);
	ch->short_desc = character_dup(proto->short_desc);
	ch->long_desc = character_dup(proto->long_desc);
	ch->desc = character_dup(proto->desc);
	dlink_init(&ch->room_link);
	dlist_init(&ch->inventory);
	ch->pos = POS_STANDING;
	ch->pronouns = PRONOUNS_THEY;
	ch->level = proto->level;
	ch->max_hp = ch->hp = proto->hp > 0 ? proto->hp : 1;
	ch->max_mana = ch->mana = proto->mana;
	ch->max_move = ch->move = proto->move;
	ch->gold = proto->gold;
	ch->flags = proto->flags;
	ch->ref = world_ref_alloc(w, REF_CHAR, ch);
	dlist_push_back(&w->chars, &ch->world_link);
	proto->live++;
	return ch;
}

void char_from_room(struct character *ch)
{
	struct room *room = ch->room;

	if (!room)
		return;
	dlist_remove(&room->people, &ch->room_link);
	if (ch->proto)
		room->mobs--;
	ch->room = NULL;
	world_room_light_recount(room);
}

void char_to_room(struct character *ch, struct room *room)
{
	assert(room && !ch->extracted);
	char_from_room(ch);
	/*
	 * Mobs before players, each in arrival order: trigger_room_and_mobs()
	 * walks only the mobs (only they have triggers) and stops after the
	 * last, so a command in a room of a thousand players visits none of them.
	 */
	if (ch->proto) {
		struct dlink *last_mob = &room->people.head;

		for (int i = 0; i < room->mobs; i++)
			last_mob = last_mob->next;
		dlist_insert_after(&room->people, last_mob, &ch->room_link);
		room->mobs++;
	} else {
		dlist_push_back(&room->people, &ch->room_link);
	}
	ch->room = room;
	world_room_light_recount(room);
}

void world_extract_char(struct world *w, struct character *ch)
{
	if (ch->extracted)
		return;
	fight_stop_all(w, ch);
	/* No pointer to ch may outlive it: whoever still fights it, anywhere, stops.
	 * Those in its room have; the walk is for one elsewhere (it fled, say),
	 * and only when there is one: purging 1,000 mobs walked 1,000 x all. */
	if (ch->attackers) {
		DLIST_FOREACH(&w->chars, l)
		{
			struct character *o = dlist_entry(l, struct character, world_link);

			if (o->fighting == ch)
				fight_stop(w, o);
		}
	}
	char_from_room(ch);
	if (ch->pc) {
		/* Gone from name lookups now; the items stay with the player. */
		if (ch->name && map_get(&w->players, ch->name) == ch)
			map_del(&w->players, ch->name);
		ch->pc->session = 0;
	} else {
		/* A mob's things vanish with it. */
		while (!dlist_empty(&ch->inventory))
			world_extract_item(w,
					   dlist_entry(ch->inventory.head.next, struct item, link));
		for (int s = 0; s < WEAR_COUNT; s++)
			if (ch->equip[s])
				world_extract_item(w, ch->equip[s]);
		if (ch->proto)
			ch->proto->live--;
		if (ch->spawn) /* its rule may make another now */
			ch->spawn->live--;
		ch->spawn = NULL;
	}
	if (dlink_linked(&ch->world_link))
		dlist_remove(&w->chars, &ch->world_link);
	ch->extracted = true;
	dlist_push_back(&w->dead_chars, &ch->world_link);
}

void world_char_destroy(struct world *w, struct character *ch)
{
	while (!dlist_empty(&ch->inventory)) {
		struct item *it = dlist_entry(ch->inventory.head.next, struct item, link);
		dlist_remove(&ch->inventory, &it->link);
		world_item_destroy(w, it);
	}
	for (int s = 0; s < WEAR_COUNT; s++) {
		if (ch->equip[s])
			world_item_destroy(w, ch->equip[s]);
		ch->equip[s] = NULL;
	}
	if (ch->proto && !ch->extracted)
		ch->proto->live--;
	if (ch->pc) {
		free(ch->pc->title);
		free(ch->pc->prompt);
		free(ch->pc->path);
		free(ch->pc->recall);
		free(ch->pc->load_room);
		json_decref(ch->pc->extra);
		free(ch->pc);
	}
	world_ref_release(w, ch->ref);
	free(ch->name);
	free(ch->keywords);
	free(ch->short_desc);
	free(ch->long_desc);
	free(ch->desc);
	free(ch);
}

void world_reap(struct world *w)
{
	while (!dlist_empty(&w->dead_items)) {
		struct item *it = dlist_entry(w->dead_items.head.next, struct item, link);
		dlist_remove(&w->dead_items, &it->link);
		assert(dlist_empty(&it->contents));
		world_item_destroy(w, it);
	}
	while (!dlist_empty(&w->dead_chars)) {
		struct character *ch =
			dlist_entry(w->dead_chars.head.next, struct character, world_link);
		dlist_remove(&w->dead_chars, &ch->world_link);
		world_char_destroy(w, ch);
	}
}

struct character *world_next_char(const struct world *w, struct character *it)
{
	const struct dlink *next = it ? it->world_link.next : w->chars.head.next;

	if (it && it->extracted)
		return NULL;
	if (next == &w->chars.head)
		return NULL;
	return dlist_entry(next, struct character, world_link);
}
