/*
 * reset.c: area resets, ROM-style. Every area resets at boot and then every
 * reset_minutes of world clock: as soon as it is due and no player is in
 * it, or at the latest one interval later with players there (who see the
 * area's reset message). A reset tops each spawn rule up to its max: an
 * item rule counts what lies in its room, a mob rule the mobs it made that
 * are still alive, wherever they wandered (struct spawn, world.h). It
 * dresses new mobs, and puts doors and spawned containers back the way the
 * builder left them. Prototypes' max_world always wins. Each new mob gets
 * its spawn trigger once dressed; then each room of the area its reset
 * trigger.
 *
 * Start reading at world_reset_area().
 */
#include "game/world.h"

#include "game/internal.h"
#include "base/banned.h"

#define RESET_DOOR_STATE      (EXIT_CLOSED | EXIT_LOCKED)
#define RESET_CONTAINER_STATE (ITEM_CLOSED | ITEM_LOCKED)

static int reset_count_items(const struct dlist *list, const struct item_proto *proto)
{
	int n = 0;

	DLIST_FOREACH(list, l)
	{
		n += dlist_entry(l, struct item, link)->proto == proto;
	}
	return n;
}

static struct item *reset_find_item(const struct dlist *list, const struct item_proto *proto)
{
	DLIST_FOREACH(list, l)
	{
		struct item *it = dlist_entry(l, struct item, link);
		if (it->proto == proto)
			return it;
	}
	return NULL;
}

/* Gives a new mob its items: worn ones on the first free slot they fit. */
static void reset_dress(struct world *w, struct character *mob, char **list, bool wear)
{
	for (size_t i = 0; list && list[i]; i++) {
		struct item_proto *p = world_find_item_proto(w, list[i]);
		struct item *it = p ? world_item_create(w, p) : NULL;
		if (!it)
			continue;
		item_to_char(it, mob);
		for (int s = 0; wear && s < WEAR_COUNT; s++)
			if (item_equip(mob, it, (enum wear_slot)s) == 0)
				break;
	}
}

/* Makes the mobs sp is short of; a spawn trigger that destroys its mob gets no second one. */
static void reset_mob(struct world *w, struct spawn *sp, int max)
{
	struct mob_proto *proto = world_find_mob_proto(w, sp->proto_id);
	struct room *room = world_find_room(w, sp->room_id);

	if (!proto || !room)
		return;
	for (int n = sp->live; n < max; n++) {
		struct character *mob = world_mob_create(w, proto);
		mob->spawn = sp;
		sp->live++;
		char_to_room(mob, room);
		reset_dress(w, mob, sp->wear, true);
		reset_dress(w, mob, sp->carry, false);
		if (trigger_char_has(mob, TRIG_SPAWN, false))
			world_fire(w, &(struct trig_event){
					      .trig = TRIG_SPAWN, .self = mob->ref, .dir = -1});
	}
}

static void reset_item(struct world *w, const struct spawn *sp, int max)
{
	struct item_proto *proto = world_find_item_proto(w, sp->proto_id);
	struct room *room = world_find_room(w, sp->room_id);
	struct item *container = NULL;

	if (!proto || !room)
		return;
	if (sp->container_id) {
		struct item_proto *cp = world_find_item_proto(w, sp->container_id);
		container = cp ? reset_find_item(&room->items, cp) : NULL;
		if (!container)
			return;
	}
	const struct dlist *list = container ? &container->contents : &room->items;
	for (int n = reset_count_items(list, proto); n < max; n++) {
		struct item *it = world_item_create(w, proto);
		if (!it)
			break; /* max_world reached */
		if (container)
			item_to_item(it, container);
		else
			item_to_room(it, room);
	}
	if (proto->type == ITEM_CONTAINER && !container) {
		DLIST_FOREACH(&room->items, l)
		{
			struct item *it = dlist_entry(l, struct item, link);
			if (it->proto == proto)
				it->flags = (it->flags & ~RESET_CONTAINER_STATE) |
					    (proto->flags & RESET_CONTAINER_STATE);
		}
	}
}

static void reset_doors(struct world *w, const struct area *area)
{
	for (size_t i = 0; i < w->room_n; i++) {
		struct room *r = w->room_vec[i];
		if (r->area != area)
			continue;
		for (int d = 0; d < DIR_COUNT; d++) {
			struct exit *x = r->exits[d];
			if (x && (x->flags & EXIT_DOOR))
				x->flags = (x->flags & ~RESET_DOOR_STATE) |
					   (x->reset_flags & RESET_DOOR_STATE);
		}
	}
}

/* Sends the area's reset message to the linked players in it. */
static void reset_announce(struct world *w, const struct area *area)
{
	size_t pos = 0;
	const char *key;
	void *val;
	struct buf msg;

	if (!area->reset_message || !*area->reset_message || !w->ops.send)
		return;
	buf_init(&msg, 0);
	buf_printf(&msg, "%s\n", area->reset_message);
	while (map_next(&w->players, &pos, &key, &val)) {
		const struct character *ch = val;
		if (ch->room && ch->room->area == area && ch->pc->session)
			w->ops.send(w->ops.ud, ch->pc->session, msg.data, msg.len);
	}
	buf_fini(&msg);
}

void world_reset_area(struct world *w, struct area *area)
{
	reset_doors(w, area);
	for (struct spawn *sp = w->spawn_first; sp; sp = sp->next) {
		if (sp->area != area)
			continue;
		int max = sp->max > 0 ? sp->max : 1;
		if (sp->kind == REF_CHAR)
			reset_mob(w, sp, max);
		else if (sp->kind == REF_ITEM)
			reset_item(w, sp, max);
	}
	reset_announce(w, area);
	if (area->reset_minutes > 0)
		area->next_reset_ms = w->now_ms + (int64_t)area->reset_minutes * 60000;
	/* Index walk: a reset trigger may create rooms (a live reload), never remove them. */
	for (size_t i = 0; i < w->room_n; i++) {
		struct room *r = w->room_vec[i];

		if (r->area == area && trigger_room_has(r, TRIG_RESET, false))
			world_fire(w, &(struct trig_event){
					      .trig = TRIG_RESET, .self = r->ref, .dir = -1});
	}
}

void world_spawn_handover(struct world *w, struct spawn *from, struct spawn *to)
{
	if (!from || from == to)
		return;
	DLIST_FOREACH(&w->chars, l)
	{
		struct character *ch = dlist_entry(l, struct character, world_link);

		if (ch->spawn != from)
			continue;
		ch->spawn = to;
		if (to)
			to->live++;
	}
	from->live = 0;
}

void world_reset_all(struct world *w)
{
	for (struct area *a = w->area_first; a; a = a->next)
		world_reset_area(w, a);
}

void world_reset_tick(struct world *w)
{
	for (struct area *a = w->area_first; a; a = a->next) {
		if (a->reset_minutes <= 0 || w->now_ms < a->next_reset_ms)
			continue;
		int64_t interval = (int64_t)a->reset_minutes * 60000;
		if (world_area_player_count(w, a) == 0 || w->now_ms >= a->next_reset_ms + interval)
			world_reset_area(w, a);
	}
}
