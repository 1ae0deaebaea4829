/*
 * trigger.c: the game's side of scripting: trigger names, the script
 * layer's hooks, world_fire() (bit test, nesting cap, then the script
 * layer), the helpers the trigger points use to fire for a room and the
 * mobs in it, and the staggered area ticks.
 *
 * Start reading at world_fire(). The trigger points themselves live with
 * the actions they belong to (cmd_move.c for leave/enter/greet, cmd_comm.c
 * for say, cmd_obj.c and cmd_wear.c for items, fight.c and death.c for combat, ...).
 */
#include "game/world.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "game/internal.h"
#include "base/banned.h"

/* Every object with a tick trigger ticks once per this many pulses (10 s). */
#define TRIGGER_TICK_PULSES 100

static const char *const trigger_names[TRIG_COUNT] = {
	[TRIG_ENTER] = "enter",	    [TRIG_LEAVE] = "leave",	  [TRIG_SAY] = "say",
	[TRIG_COMMAND] = "command", [TRIG_DROP] = "drop",	  [TRIG_LOOK] = "look",
	[TRIG_TICK] = "tick",	    [TRIG_RESET] = "reset",	  [TRIG_SPAWN] = "spawn",
	[TRIG_GREET] = "greet",	    [TRIG_GIVE] = "give",	  [TRIG_ATTACKED] = "attacked",
	[TRIG_FIGHT] = "fight",	    [TRIG_HP_BELOW] = "hp_below", [TRIG_DEATH] = "death",
	[TRIG_KILL] = "kill",	    [TRIG_TIME] = "time",	  [TRIG_GET] = "get",
	[TRIG_WEAR] = "wear",	    [TRIG_REMOVE] = "remove",	  [TRIG_USE] = "use",
	[TRIG_CONSUME] = "consume",
};

const char *trig_name(enum trig t)
{
	return (unsigned)t < TRIG_COUNT ? trigger_names[t] : NULL;
}

int trig_parse(const char *name)
{
	if (!name)
		return -1;
	for (int t = 0; t < TRIG_COUNT; t++)
		if (strcmp(name, trigger_names[t]) == 0)
			return t;
	return -1;
}

void world_set_script_ops(struct world *w, const struct world_script_ops *ops)
{
	if (ops)
		w->script_ops = *ops;
	else
		memset(&w->script_ops, 0, sizeof(w->script_ops));
}

/* ---- bit tests ---------------------------------------------------------------- */

bool trigger_room_has(const struct room *room, enum trig t, bool before)
{
	return room && (room->triggers & TRIG_BIT(t, before));
}

bool trigger_item_has(const struct item *it, enum trig t, bool before)
{
	return it && !it->extracted && it->proto && (it->proto->triggers & TRIG_BIT(t, before));
}

bool trigger_char_has(const struct character *ch, enum trig t, bool before)
{
	return ch && !ch->extracted && ch->proto && (ch->proto->triggers & TRIG_BIT(t, before));
}

/* The trigger bits of the object ref names, or 0 if it is gone or has none. */
static uint64_t trigger_bits(const struct world *w, ref_t ref)
{
	switch (world_ref_kind(w, ref)) {
	case REF_ROOM:
		return world_ref_room(w, ref)->triggers;
	case REF_ITEM: {
		const struct item *it = world_ref_item(w, ref);
		return it->extracted || !it->proto ? 0 : it->proto->triggers;
	}
	case REF_CHAR: {
		const struct character *ch = world_ref_char(w, ref);
		return ch->extracted || !ch->proto ? 0 : ch->proto->triggers;
	}
	case REF_NONE:
		break;
	}
	return 0;
}

bool world_fire(struct world *w, const struct trig_event *ev)
{
	bool veto;

	if (!ev || !w->script_ops.fire || (unsigned)ev->trig >= TRIG_COUNT)
		return false;
	if (!(trigger_bits(w, ev->self) & TRIG_BIT(ev->trig, ev->before)))
		return false;
	if (w->fire_depth >= WORLD_FIRE_MAX_DEPTH) {
		log_warn(w->log, "world: %s_%s triggers nest deeper than %d; this one is dropped",
			 ev->before ? "before" : "on", trig_name(ev->trig), WORLD_FIRE_MAX_DEPTH);
		return false;
	}
	w->fire_depth++;
	veto = w->script_ops.fire(w->script_ops.ud, ev);
	w->fire_depth--;
	return ev->before && veto;
}

/* Fires item trigger t of it for ch, if it has one; true if a before-trigger vetoed. */
bool trigger_item(struct world *w, enum trig t, bool before, struct item *it, struct character *ch,
		  const char *text)
{
	if (!trigger_item_has(it, t, before))
		return false;
	return world_fire(w, &(struct trig_event){.trig = t,
						  .before = before,
						  .self = it->ref,
						  .actor = ch->ref,
						  .text = text,
						  .dir = -1});
}

/* ---- a room and the mobs in it ------------------------------------------------ */

bool trigger_room_and_mobs(struct world *w, struct room *room, const struct trig_event *ev,
			   const struct character *skip)
{
	struct trig_event e = *ev;
	ref_t small[16], *refs = small;
	size_t n = 0, cap = sizeof(small) / sizeof(small[0]);
	bool vetoed = false;

	if (!room)
		return false;
	if (trigger_room_has(room, ev->trig, ev->before)) {
		e.self = room->ref;
		if (world_fire(w, &e))
			return true;
	}
	/*
	 * The mobs to ask, by ref: a trigger may move or destroy any of them.
	 * Players have no triggers, and char_to_room() keeps mobs in front of
	 * them, so the walk ends after the last mob: a say in a room of a
	 * thousand players does not look at each of them.
	 */
	int mobs_left = room->mobs;
	DLIST_FOREACH(&room->people, l)
	{
		const struct character *m = dlist_entry(l, struct character, room_link);

		if (mobs_left == 0)
			break;
		if (m->proto)
			mobs_left--;
		if (m == skip || !trigger_char_has(m, ev->trig, ev->before))
			continue;
		if (n == cap) {
			cap *= 2;
			if (refs == small) {
				refs = xcalloc(cap, sizeof(*refs));
				memcpy(refs, small, sizeof(small));
			} else {
				refs = xreallocarray(refs, cap, sizeof(*refs));
			}
		}
		refs[n++] = m->ref;
	}
	for (size_t i = 0; i < n && !vetoed; i++) {
		const struct character *m = world_ref_char(w, refs[i]);
		const struct character *actor = ev->actor ? world_ref_char(w, ev->actor) : NULL;

		/* Once the actor is gone or gone elsewhere, nobody here is to hear of it. */
		if (ev->actor && (!actor || actor->extracted || actor->room != room))
			break;
		if (!m || m->extracted || m->room != room)
			continue;
		e.self = m->ref;
		vetoed = world_fire(w, &e);
	}
	if (refs != small)
		free(refs);
	return vetoed;
}

/* ---- area ticks ----------------------------------------------------------------- */

void trigger_tick(struct world *w)
{
	/*
	 * Each slot ticks on its own pulse of every TRIGGER_TICK_PULSES, so a
	 * thousand ticking mobs spread over ten seconds instead of landing on
	 * one pulse. Only slots that exist now are visited: what a trigger
	 * creates waits for its own turn.
	 */
	uint32_t n = w->slot_n;
	uint32_t phase = (uint32_t)(w->pulses % TRIGGER_TICK_PULSES);
	uint64_t bit = TRIG_BIT(TRIG_TICK, false);

	if (!w->script_ops.fire)
		return;
	for (uint32_t i = phase; i < n && i < w->slot_n; i += TRIGGER_TICK_PULSES) {
		const struct world_slot *s = &w->slots[i];
		uint64_t bits = 0;
		ref_t ref = 0;

		switch (s->kind) {
		case REF_ROOM: {
			const struct room *r = s->ptr;
			bits = r->triggers;
			ref = r->ref;
			break;
		}
		case REF_ITEM: {
			const struct item *it = s->ptr;
			if (!it->extracted && it->proto &&
			    (it->in_room || it->carried_by || it->in_item))
				bits = it->proto->triggers;
			ref = it->ref;
			break;
		}
		case REF_CHAR: {
			const struct character *ch = s->ptr;
			if (!ch->extracted && ch->proto && ch->room)
				bits = ch->proto->triggers;
			ref = ch->ref;
			break;
		}
		case REF_NONE:
			break;
		}
		if (bits & bit)
			world_fire(w,
				   &(struct trig_event){.trig = TRIG_TICK, .self = ref, .dir = -1});
	}
}
