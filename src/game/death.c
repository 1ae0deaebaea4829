/*
 * death.c: what happens when hit points run out, and what rots afterwards.
 *
 * A mob that dies (unless a before_death trigger cheats death) leaves a
 * corpse: a container named after it ("the corpse of a grey wolf") holding
 * everything it carried and wore, which crumbles after five game hours (five
 * minutes), spilling what is left on the floor. Its gold goes straight to
 * the player who killed it; the killer gets experience by the level
 * difference (level.c). Death and kill triggers run while the dead mob is
 * still in its room.
 *
 * A player who dies keeps every item and coin. The price: a quarter of the
 * experience a level takes, lost from the progress toward the next level
 * (never a level itself), and waking at Emberfall's shrine (or the
 * player's recall room) with half health. Mobs forget a player they killed.
 *
 * Each game hour death_decay_hour() also burns lights down: a lit light
 * loses an hour, and at nothing it goes out.
 *
 * Start reading at death_kill().
 */
#include "game/world.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "game/internal.h"
#include "base/banned.h"

/* Where the dead wake when they have no recall room of their own. */
#define DEATH_SHRINE "emberfall:shrine"
/* How long a corpse lasts, in game hours (real minutes). */
#define DEATH_CORPSE_HOURS 5

struct room *death_room(const struct world *w, const struct character *ch)
{
	struct room *r = NULL;

	if (ch && ch->pc && ch->pc->recall)
		r = world_find_room(w, ch->pc->recall);
	if (!r)
		r = world_find_room(w, DEATH_SHRINE);
	for (size_t i = 0; !r && i < w->room_n; i++)
		if (w->room_vec[i]->flags & ROOM_RECALL)
			r = w->room_vec[i];
	return r ? r : w->start_room;
}

/* Copies s with its first letter uppercased into *field. */
static void death_set_capitalized(char **field, const char *s)
{
	world_set_str(field, s);
	if (*field && (*field)[0] >= 'a' && (*field)[0] <= 'z')
		(*field)[0] = (char)((*field)[0] - 'a' + 'A');
}

/* The corpse prototype of mob's prototype, made or refreshed from its texts now. */
static struct item_proto *death_corpse_proto(struct mob_proto *mob)
{
	struct item_proto *p = mob->corpse;
	const char *name = mob->short_desc ? mob->short_desc : "someone";
	struct buf b;

	if (!p) {
		p = xcalloc(1, sizeof(*p));
		buf_init(&b, 0);
		buf_printf(&b, "%s#corpse", mob->id);
		p->id = buf_steal(&b);
		p->area = mob->area;
		p->type = ITEM_CONTAINER;
		p->flags = ITEM_NOTAKE | ITEM_NOSAVE | ITEM_DECAYS;
		p->weight = 100;
		mob->corpse = p;
	}
	buf_init(&b, 0);
	buf_printf(&b, "corpse %s", mob->keywords ? mob->keywords : "");
	world_set_str(&p->keywords, buf_cstr(&b));
	buf_clear(&b);
	buf_printf(&b, "the corpse of %s", name);
	world_set_str(&p->short_desc, buf_cstr(&b));
	buf_clear(&b);
	buf_printf(&b, "The corpse of %s lies here.", name);
	death_set_capitalized(&p->long_desc, buf_cstr(&b));
	buf_clear(&b);
	buf_printf(&b,
		   "The remains of %s. Whatever it carried may still be on it ('look in corpse').",
		   name);
	world_set_str(&p->desc, buf_cstr(&b));
	buf_fini(&b);
	return p;
}

/* Leaves victim's corpse in its room with everything it had; gold to a player killer. */
static void death_corpse(struct world *w, struct character *victim, struct character *killer)
{
	struct room *room = victim->room;
	struct item *corpse;

	if (!room || !victim->proto)
		return;
	corpse = world_item_make(w, death_corpse_proto(victim->proto), true);
	corpse->timer = DEATH_CORPSE_HOURS;
	while (!dlist_empty(&victim->inventory))
		item_to_item(dlist_entry(victim->inventory.head.next, struct item, link), corpse);
	for (int s = 0; s < WEAR_COUNT; s++)
		if (victim->equip[s])
			item_to_item(victim->equip[s], corpse);
	item_to_room(corpse, room);
	gmcp_room_item_change(w, room, corpse, true);
	if (victim->gold > 0 && killer && killer->pc && killer->room == room) {
		world_sendf(w, killer, "You take %d gold coin%s from the corpse.\n", victim->gold,
			    victim->gold == 1 ? "" : "s");
		killer->gold += victim->gold;
		victim->gold = 0;
		world_mark_dirty(killer);
		gmcp_send_status(w, killer);
	}
}

static void death_mob(struct world *w, struct character *victim, struct character *killer)
{
	ref_t vref = victim->ref, kref = killer ? killer->ref : 0;
	struct room *room;

	if (trigger_char_has(victim, TRIG_DEATH, true)) {
		bool cheated = world_fire(w, &(struct trig_event){.trig = TRIG_DEATH,
								  .before = true,
								  .self = vref,
								  .actor = kref,
								  .dir = -1});
		if (victim->extracted)
			return;
		if (cheated) {
			if (victim->hp <= 0)
				victim->hp = 1;
			return;
		}
	}
	room = victim->room;
	act(w, ACT_TO_ROOM, "{R$n is DEAD!!{x", victim, NULL);
	fight_stop_all(w, victim);
	victim->pos = POS_DEAD;
	if (trigger_char_has(victim, TRIG_DEATH, false))
		world_fire(w, &(struct trig_event){
				      .trig = TRIG_DEATH, .self = vref, .actor = kref, .dir = -1});
	killer = kref ? world_ref_char(w, kref) : NULL;
	if (killer && killer->extracted)
		killer = NULL;
	if (killer && trigger_char_has(killer, TRIG_KILL, false))
		world_fire(w, &(struct trig_event){
				      .trig = TRIG_KILL, .self = kref, .victim = vref, .dir = -1});
	if (killer && (killer->extracted || !killer->pc))
		killer = NULL;
	if (killer)
		world_gain_exp(w, killer, level_kill_exp(killer->level, victim->level));
	if (victim->extracted)
		return;
	if (victim->room == room)
		death_corpse(w, victim, killer);
	world_extract_char(w, victim);
	if (room)
		gmcp_room_changed(w, room, NULL);
}

static void death_player(struct world *w, struct character *victim, struct character *killer)
{
	int64_t span, progress, loss;
	struct room *to;

	act(w, ACT_TO_CHAR, "{RYou have been KILLED!!{x", victim, NULL);
	act(w, ACT_TO_ROOM, "{R$n is DEAD!!{x", victim, NULL);
	fight_stop_all(w, victim);
	if (killer && !killer->pc && killer->enemy == victim->ref)
		killer->enemy = 0;
	if (killer && trigger_char_has(killer, TRIG_KILL, false))
		world_fire(w, &(struct trig_event){.trig = TRIG_KILL,
						   .self = killer->ref,
						   .victim = victim->ref,
						   .dir = -1});
	if (victim->extracted)
		return;

	span = level_exp_for(victim->level + 1) - level_exp_for(victim->level);
	if (victim->level >= LEVEL_MAX)
		span = level_exp_for(LEVEL_MAX) - level_exp_for(LEVEL_MAX - 1);
	progress = victim->exp - level_exp_for(victim->level);
	loss = span / 4;
	if (loss > progress)
		loss = progress > 0 ? progress : 0;
	if (loss > 0)
		world_gain_exp(w, victim, -loss);
	victim->hp = victim->max_hp / 2 > 1 ? victim->max_hp / 2 : 1;
	if (victim->mana < victim->max_mana / 2)
		victim->mana = victim->max_mana / 2;
	if (victim->move < victim->max_move / 2)
		victim->move = victim->max_move / 2;
	victim->pos = POS_STANDING;
	victim->sneak_until_ms = victim->ward_until_ms = victim->stun_until_ms = 0;
	world_mark_dirty(victim);
	world_send(w, victim,
		   "\nDarkness... then candlelight, and the smell of wax. Someone has laid a "
		   "blanket over you.\n\n");
	to = death_room(w, victim);
	if (to)
		action_relocate(w, victim, to, NULL,
				"$n is drawn back from death, pale and shaking.");
	gmcp_send_vitals(w, victim);
	gmcp_send_status(w, victim);
}

void death_kill(struct world *w, struct character *victim, struct character *killer)
{
	if (!victim || victim->extracted)
		return;
	if (killer && (killer->extracted || killer == victim))
		killer = NULL;
	if (victim->pc)
		death_player(w, victim, killer);
	else
		death_mob(w, victim, killer);
}

/* ---- decay ------------------------------------------------------------------------ */

/* it's time is up: its contents spill where it lies, and it is gone. */
static void death_crumble(struct world *w, struct item *it)
{
	struct room *room = it->in_room;
	struct character *holder = it->carried_by;
	struct buf msg;

	buf_init(&msg, 0);
	buf_puts(&msg, world_item_name(it));
	if (msg.len && msg.data[0] >= 'a' && msg.data[0] <= 'z')
		msg.data[0] = (char)(msg.data[0] - 'a' + 'A');
	buf_puts(&msg, (it->flags & ITEM_GLOW) ? " flickers and fades away.\n"
					       : " crumbles into dust.\n");
	if (room) {
		world_send_room(w, room, NULL, buf_cstr(&msg));
		gmcp_room_item_change(w, room, it, false);
		while (!dlist_empty(&it->contents)) {
			struct item *in = dlist_entry(it->contents.head.next, struct item, link);

			item_to_room(in, room);
			gmcp_room_item_change(w, room, in, true);
		}
	} else if (holder) {
		world_send(w, holder, buf_cstr(&msg));
		gmcp_send_item_change(w, holder, "inv", it, false);
	}
	buf_fini(&msg);
	world_extract_item(w, it);
	if (room)
		gmcp_room_changed(w, room, NULL);
}

/* A worn light burns an hour; at nothing it goes out. */
static void death_burn(struct world *w, struct item *it)
{
	struct character *ch = it->carried_by;

	if (--it->timer > 0)
		return;
	world_room_light_recount(ch->room);
	act(w, ACT_TO_CHAR, "$p flickers and goes out.", ch, &(struct act_arg){.obj = it});
	act(w, ACT_TO_ROOM, "$n's $p flickers and goes out.", ch, &(struct act_arg){.obj = it});
	world_mark_dirty(ch);
}

void death_decay_hour(struct world *w)
{
	uint32_t n = w->slot_n;

	for (uint32_t i = 0; i < n && i < w->slot_n; i++) {
		struct item *it;

		if (w->slots[i].kind != REF_ITEM)
			continue;
		it = w->slots[i].ptr;
		if (it->extracted || it->timer <= 0)
			continue;
		if (it->flags & ITEM_DECAYS) {
			if (--it->timer <= 0)
				death_crumble(w, it);
		} else if (it->proto->type == ITEM_LIGHT && it->worn_on == WEAR_LIGHT &&
			   it->carried_by) {
			death_burn(w, it);
		}
	}
}
