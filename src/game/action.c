/*
 * action.c: what commands and scripts both do to the world and that has no
 * command file of its own: arriving in a room (enter and greet triggers,
 * remembered enemies and aggressive mobs), teleporting, echoes, healing
 * and spawning mobs. Walking is world_char_move() in cmd_move.c, talking
 * world_say()/world_emote() in cmd_comm.c, fighting fight.c.
 *
 * Start reading at action_arrived(): every way into a room ends there.
 */
#include "game/world.h"

#include <stdlib.h>

#include "base/xalloc.h"
#include "game/internal.h"
#include "base/banned.h"

/* Mobs in ch's room that would attack it on sight: old enemies, aggressive mobs. */
static void action_hostiles(struct world *w, struct character *ch)
{
	struct room *room = ch->room;
	ref_t small[8], *refs = small;
	size_t n = 0, cap = sizeof(small) / sizeof(small[0]);

	if (!room || (room->flags & ROOM_SAFE))
		return;
	DLIST_FOREACH(&room->people, l)
	{
		const struct character *m = dlist_entry(l, struct character, room_link);
		bool hostile;

		if (m == ch || m->pc || m->extracted || m->fighting || m->pos <= POS_SLEEPING)
			continue;
		hostile = m->enemy == ch->ref || ((m->flags & MOB_AGGRESSIVE) && ch->pc);
		if (!hostile || !act_sees_char(m, ch))
			continue;
		if (n == cap) {
			cap *= 2;
			if (refs == small) {
				refs = xcalloc(cap, sizeof(*refs));
				for (size_t i = 0; i < n; i++)
					refs[i] = small[i];
			} else {
				refs = xreallocarray(refs, cap, sizeof(*refs));
			}
		}
		refs[n++] = m->ref;
	}
	for (size_t i = 0; i < n; i++) {
		struct character *m = world_ref_char(w, refs[i]);

		if (!m || m->extracted || m->fighting || m->room != room || ch->extracted ||
		    ch->room != room)
			continue;
		if (m->enemy == ch->ref)
			act(w, ACT_TO_VICT, "$n remembers you, and attacks!", m,
			    &(struct act_arg){.vict = ch});
		world_attack(w, m, ch);
	}
	if (refs != small)
		free(refs);
}

void action_arrived(struct world *w, struct character *ch, int from)
{
	struct room *room = ch->room;
	bool sneaking = ch->sneak_until_ms > world_now_ms(w);

	if (!room || ch->extracted)
		return;
	if (trigger_room_has(room, TRIG_ENTER, false))
		world_fire(w, &(struct trig_event){.trig = TRIG_ENTER,
						   .self = room->ref,
						   .actor = ch->ref,
						   .dir = from});
	if (ch->extracted || ch->room != room)
		return;
	/* Greet is a mob trigger (a room never has its bit), for players only, as in ROM. */
	if (ch->pc && !sneaking)
		trigger_room_and_mobs(
			w, room,
			&(struct trig_event){.trig = TRIG_GREET, .actor = ch->ref, .dir = from},
			ch);
	if (ch->extracted || ch->room != room)
		return;
	action_hostiles(w, ch);
}

int action_relocate(struct world *w, struct character *ch, struct room *room, const char *leave_msg,
		    const char *arrive_msg)
{
	struct room *from;

	if (!ch || ch->extracted || !room)
		return -1;
	from = ch->room;
	fight_stop_all(w, ch);
	if (from && leave_msg)
		act(w, ACT_TO_ROOM, leave_msg, ch, NULL);
	char_from_room(ch);
	char_to_room(ch, room);
	if (arrive_msg)
		act(w, ACT_TO_ROOM, arrive_msg, ch, NULL);
	world_mark_dirty(ch);
	cmd_look_room(w, ch);
	if (ch->pc) {
		gmcp_send_vitals(w, ch);
		gmcp_send_status(w, ch);
		if (from)
			gmcp_room_changed(w, from, NULL);
		gmcp_room_changed(w, room, ch);
	}
	if (from && trigger_room_has(from, TRIG_LEAVE, false))
		world_fire(w, &(struct trig_event){.trig = TRIG_LEAVE,
						   .self = from->ref,
						   .actor = ch->ref,
						   .dir = -1});
	if (!ch->extracted && ch->room == room)
		action_arrived(w, ch, -1);
	return 0;
}

void world_char_teleport(struct world *w, struct character *ch, struct room *room)
{
	action_relocate(w, ch, room, "$n vanishes.", "$n appears out of thin air.");
}

void world_echo(struct world *w, const struct room *room, const struct character *except,
		const char *markup)
{
	world_send_room(w, room, except, markup);
}

void world_heal(struct world *w, struct character *ch, int amount)
{
	if (!ch || ch->extracted || amount <= 0 || ch->hp >= ch->max_hp)
		return;
	ch->hp = amount >= ch->max_hp - ch->hp ? ch->max_hp : ch->hp + amount;
	world_mark_dirty(ch);
	gmcp_send_vitals(w, ch);
}

struct character *world_mob_spawn(struct world *w, struct mob_proto *proto, struct room *room)
{
	struct character *mob;

	if (!proto || !room)
		return NULL;
	mob = world_mob_create(w, proto);
	char_to_room(mob, room);
	if (trigger_char_has(mob, TRIG_SPAWN, false))
		world_fire(w,
			   &(struct trig_event){.trig = TRIG_SPAWN, .self = mob->ref, .dir = -1});
	return mob->extracted ? NULL : mob;
}
