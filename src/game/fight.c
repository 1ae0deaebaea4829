/*
 * fight.c: combat. Fights happen in rounds, one every 3 s of world clock
 * (ROM's PULSE_VIOLENCE): everyone fighting strikes their opponent, mobs
 * with a fight trigger get it, players get Char.Combat. A blow lands by
 * level and armor; its damage comes from the wielded weapon's dice and
 * bonus (players add a third of their level) or from the mob's damage
 * range, and its message is graded by the damage ("You scratch ..." up to
 * "You MASSACRE ...!"). A ward takes a third off. Fights end when one side
 * leaves, flees or dies (death.c), and never start in a safe room, against
 * a nokill mob or between players.
 *
 * Invariant: a character only ever fights someone in its own room. Every
 * move ends its fights (fight_stop_all()), and extraction clears every
 * pointer to the extracted character.
 *
 * Start reading at world_attack() and fight_round_all().
 */
#include "game/world.h"

#include <stdlib.h>

#include "base/xalloc.h"
#include "game/internal.h"
#include "base/banned.h"

/* A grade of damage: up to max points, the verb for "you" and for others. */
struct fight_grade {
	int max;
	const char *you;   /* "scratch" */
	const char *other; /* "scratches" */
	const char *punct; /* "." or "!" */
};

static const struct fight_grade fight_grades[] = {
	{0, "miss", "misses", "."},
	{2, "scratch", "scratches", "."},
	{4, "graze", "grazes", "."},
	{6, "hit", "hits", "."},
	{9, "injure", "injures", "."},
	{12, "wound", "wounds", "."},
	{16, "maul", "mauls", "!"},
	{22, "DECIMATE", "DECIMATES", "!"},
	{30, "DEVASTATE", "DEVASTATES", "!"},
	{45, "MUTILATE", "MUTILATES", "!!"},
	{1 << 30, "MASSACRE", "MASSACRES", "!!!"},
};

static const struct fight_grade *fight_grade_of(int dam)
{
	size_t i = 0;

	while (dam > fight_grades[i].max)
		i++;
	return &fight_grades[i];
}

/* ---- rolls ----------------------------------------------------------------------- */

int fight_armor(const struct character *ch)
{
	int ac = ch->proto ? ch->proto->armor : 0;

	for (int s = 0; s < WEAR_COUNT; s++) {
		const struct item *it = ch->equip[s];

		if (it && it->proto && it->proto->type == ITEM_ARMOR)
			ac += it->proto->values[0];
	}
	return ac;
}

bool fight_hit_roll(struct world *w, const struct character *ch, const struct character *victim)
{
	int chance = 75 + 5 * (ch->level - victim->level) - 3 * fight_armor(victim);

	if (chance < 10)
		chance = 10;
	if (chance > 95)
		chance = 95;
	return world_chance(w, chance);
}

/* The weapon ch wields, if it is one with dice. */
static const struct item *fight_weapon(const struct character *ch)
{
	const struct item *it = ch->equip[WEAR_WIELD];

	if (it && it->proto && it->proto->type == ITEM_WEAPON && it->proto->values[0] > 0 &&
	    it->proto->values[1] > 0)
		return it;
	return NULL;
}

int fight_roll_damage(struct world *w, const struct character *ch)
{
	const struct item *weapon = fight_weapon(ch);
	int dam;

	if (!ch->pc && ch->proto && ch->proto->damage_hi > 0) {
		dam = world_rand(w, ch->proto->damage_lo, ch->proto->damage_hi);
	} else if (weapon) {
		int n = weapon->proto->values[0] > 20 ? 20 : weapon->proto->values[0];

		dam = weapon->proto->values[2];
		for (int i = 0; i < n; i++)
			dam += world_rand(w, 1, weapon->proto->values[1]);
	} else {
		dam = world_rand(w, 1, ch->pc ? 3 : 2);
	}
	if (ch->pc)
		dam += ch->level / 3;
	return dam < 1 ? 1 : dam;
}

/* ---- starting and ending ------------------------------------------------------------- */

bool fight_can_attack(struct world *w, struct character *ch, struct character *victim)
{
	const struct act_arg arg = {.vict = victim};

	if (!ch || ch->extracted || !ch->room)
		return false;
	if (!victim || victim->extracted || victim->room != ch->room) {
		world_send(w, ch, "They are not here.\n");
		return false;
	}
	if (victim == ch) {
		world_send(w, ch, "You give yourself a stern talking-to instead.\n");
		return false;
	}
	if (ch->room->flags & ROOM_SAFE) {
		world_send(w, ch, "Not here: this is a place of peace.\n");
		return false;
	}
	if (!victim->pc && (victim->flags & MOB_NOKILL)) {
		act(w, ACT_TO_CHAR, "$N is not someone you can fight.", ch, &arg);
		return false;
	}
	if (ch->pc && victim->pc) {
		world_send(w, ch, "You cannot fight other players.\n");
		return false;
	}
	return true;
}

/*
 * Points ch's fighting at target (NULL: at no one), and keeps each
 * character's count of attackers, so extracting one that nobody fights
 * (world_extract_char) need not walk every character in the world.
 */
static void fight_target(struct character *ch, struct character *target)
{
	if (ch->fighting)
		ch->fighting->attackers--;
	ch->fighting = target;
	if (target)
		target->attackers++;
}

void fight_engage(struct world *w, struct character *ch, struct character *victim)
{
	if (!ch->fighting) {
		fight_target(ch, victim);
		ch->pos = POS_FIGHTING;
		gmcp_send_status(w, ch);
	}
	if (!victim->fighting) {
		fight_target(victim, ch);
		victim->pos = POS_FIGHTING;
		gmcp_send_status(w, victim);
	}
	if (!victim->pc && ch->pc)
		victim->enemy = ch->ref;
	gmcp_send_combat(w, ch);
	gmcp_send_combat(w, victim);
}

int fight_start(struct world *w, struct character *ch, struct character *victim)
{
	ref_t vref;

	if (!fight_can_attack(w, ch, victim))
		return -1;
	if (ch->fighting == victim)
		return 0;
	vref = victim->ref;
	if (trigger_char_has(victim, TRIG_ATTACKED, true)) {
		if (world_fire(w, &(struct trig_event){.trig = TRIG_ATTACKED,
						       .before = true,
						       .self = vref,
						       .actor = ch->ref,
						       .dir = -1}))
			return -1;
		if (ch->extracted || victim->extracted || victim->room != ch->room)
			return -1;
	}
	act(w, ACT_TO_CHAR, "You attack $N!", ch, &(struct act_arg){.vict = victim});
	act(w, ACT_TO_VICT, "{R$n attacks you!{x", ch, &(struct act_arg){.vict = victim});
	act(w, ACT_TO_NOTVICT, "$n attacks $N!", ch, &(struct act_arg){.vict = victim});
	fight_engage(w, ch, victim);
	if (trigger_char_has(victim, TRIG_ATTACKED, false))
		world_fire(w, &(struct trig_event){.trig = TRIG_ATTACKED,
						   .self = vref,
						   .actor = ch->ref,
						   .dir = -1});
	if (ch->extracted || victim->extracted || victim->room != ch->room)
		return -1;
	return 0;
}

void fight_stop(struct world *w, struct character *ch)
{
	if (!ch->fighting && ch->pos != POS_FIGHTING)
		return;
	fight_target(ch, NULL);
	ch->hp_low_pct = 0;
	ch->stun_until_ms = 0;
	if (ch->pos == POS_FIGHTING)
		ch->pos = POS_STANDING;
	gmcp_send_status(w, ch);
	gmcp_send_combat(w, ch);
}

/* Someone in ch's room (other than ch) who fights ch, or NULL. */
static struct character *fight_find_attacker(struct character *ch)
{
	if (!ch->room)
		return NULL;
	DLIST_FOREACH(&ch->room->people, l)
	{
		struct character *o = dlist_entry(l, struct character, room_link);

		if (o != ch && !o->extracted && o->fighting == ch)
			return o;
	}
	return NULL;
}

void fight_stop_all(struct world *w, struct character *ch)
{
	struct room *room = ch->room;

	fight_stop(w, ch);
	/* Nobody fights ch: no walk of a room that may hold a thousand. */
	if (!room || !ch->attackers)
		return;
	DLIST_FOREACH(&room->people, l)
	{
		struct character *o = dlist_entry(l, struct character, room_link);

		if (!ch->attackers)
			break;
		if (o == ch || o->fighting != ch)
			continue;
		/* Whoever fought ch turns on whoever else fights it, or stops. */
		fight_target(o, NULL);
		DLIST_FOREACH(&room->people, l2)
		{
			if (!o->attackers)
				break;
			struct character *p = dlist_entry(l2, struct character, room_link);

			if (p != ch && p != o && !p->extracted && p->fighting == o) {
				fight_target(o, p);
				break;
			}
		}
		if (!o->fighting)
			fight_stop(w, o);
		else
			gmcp_send_combat(w, o);
	}
}

/* ---- blows ------------------------------------------------------------------------- */

/* Damage that landed on victim: hp, GMCP, hp_below, death. */
static void fight_hurt(struct world *w, struct character *victim, int dam, struct character *by)
{
	int pct, low;

	victim->hp -= dam;
	world_mark_dirty(victim);
	gmcp_send_vitals(w, victim);
	if (victim->hp <= 0) {
		death_kill(w, victim, by);
		return;
	}
	if (!trigger_char_has(victim, TRIG_HP_BELOW, false))
		return;
	pct = victim->max_hp > 0 ? (int)((int64_t)victim->hp * 100 / victim->max_hp) : 0;
	low = victim->hp_low_pct > 0 ? victim->hp_low_pct : 100;
	if (pct >= low)
		return;
	victim->hp_low_pct = pct > 0 ? pct : 1;
	world_fire(w, &(struct trig_event){.trig = TRIG_HP_BELOW,
					   .self = victim->ref,
					   .actor = by && !by->extracted ? by->ref : 0,
					   .dir = -1,
					   .number = pct,
					   .was = low});
}

int world_damage(struct world *w, struct character *ch, int amount, struct character *by)
{
	if (!ch || ch->extracted || !ch->room || amount <= 0)
		return 0;
	if (by && by->extracted)
		by = NULL;
	fight_hurt(w, ch, amount, by);
	return amount;
}

int fight_deal(struct world *w, struct character *ch, struct character *victim, int dam,
	       const char *attack)
{
	const struct fight_grade *g;
	struct buf you, them, room;
	struct act_arg arg = {.vict = victim, .text = attack};

	if (victim->extracted || ch->extracted || victim->room != ch->room)
		return 0;
	if (dam > 0 && victim->ward_until_ms > world_now_ms(w))
		dam -= dam / 3;
	g = fight_grade_of(dam);
	buf_init(&you, 512);
	buf_init(&them, 512);
	buf_init(&room, 512);
	if (attack) {
		buf_printf(&you, "Your $t %s $N%s", g->other, g->punct);
		buf_printf(&them, "$n's $t %s you%s", g->other, g->punct);
		buf_printf(&room, "$n's $t %s $N%s", g->other, g->punct);
	} else {
		buf_printf(&you, "You %s $N%s", g->you, g->punct);
		buf_printf(&them, "$n %s you%s", g->other, g->punct);
		buf_printf(&room, "$n %s $N%s", g->other, g->punct);
	}
	act(w, ACT_TO_CHAR, buf_cstr(&you), ch, &arg);
	act(w, ACT_TO_VICT, buf_cstr(&them), ch, &arg);
	act(w, ACT_TO_NOTVICT, buf_cstr(&room), ch, &arg);
	buf_fini(&you);
	buf_fini(&them);
	buf_fini(&room);
	if (dam > 0)
		fight_hurt(w, victim, dam, ch);
	return dam;
}

/* One ordinary blow from ch at victim, and wimpy afterwards. */
static void fight_one_hit(struct world *w, struct character *ch, struct character *victim)
{
	int dam = fight_hit_roll(w, ch, victim) ? fight_roll_damage(w, ch) : 0;

	fight_deal(w, ch, victim, dam, NULL);
	if (victim->pc && !victim->extracted && victim->fighting && victim->wimpy > 0 &&
	    victim->hp > 0 && victim->hp < victim->wimpy && victim->room == ch->room) {
		world_send(w, victim, "You panic and try to flee!\n");
		fight_flee(w, victim);
	}
}

/* How many blows ch gets this round: a second one for seasoned fighters and mobs. */
static int fight_attacks(struct world *w, const struct character *ch)
{
	const char *path = ch->pc ? ch->pc->path : NULL;

	if (path && ch->level >= 4 && path[0] == 'f' && world_chance(w, 20 + ch->level * 5))
		return 2;
	if (!ch->pc && ch->level >= 6 && world_chance(w, 30))
		return 2;
	return 1;
}

int world_attack(struct world *w, struct character *ch, struct character *victim)
{
	if (ch && victim && ch->fighting == victim)
		return 0;
	if (fight_start(w, ch, victim) < 0)
		return -1;
	if (ch->fighting == victim)
		fight_one_hit(w, ch, victim);
	return 0;
}

/* ---- rounds ------------------------------------------------------------------------- */

static void fight_round(struct world *w, struct character *ch)
{
	struct character *victim = ch->fighting;
	int n;

	if (victim->extracted || victim->room != ch->room || !ch->room) {
		victim = fight_find_attacker(ch);
		fight_target(ch, victim);
		if (!victim) {
			fight_stop(w, ch);
			return;
		}
	}
	if (ch->stun_until_ms > world_now_ms(w)) {
		act(w, ACT_TO_CHAR, "You are too dazed to fight back!", ch, NULL);
		act(w, ACT_TO_ROOM, "$n reels, too dazed to fight back.", ch, NULL);
	} else {
		n = fight_attacks(w, ch);
		for (int i = 0; i < n && !ch->extracted && ch->fighting == victim &&
				!victim->extracted && victim->room == ch->room;
		     i++)
			fight_one_hit(w, ch, victim);
	}
	if (ch->extracted || !ch->fighting)
		return;
	if (trigger_char_has(ch, TRIG_FIGHT, false))
		world_fire(w, &(struct trig_event){.trig = TRIG_FIGHT,
						   .self = ch->ref,
						   .victim = ch->fighting->ref,
						   .dir = -1});
	if (!ch->extracted)
		gmcp_send_combat(w, ch);
}

/* Aggressive mobs that stand idle with a player in sight pick one and attack. */
static void fight_aggressive(struct world *w, struct character *mob)
{
	struct character *pick = NULL;
	int seen = 0;

	if (!mob->room || (mob->room->flags & ROOM_SAFE) || mob->pos <= POS_SLEEPING)
		return;
	DLIST_FOREACH(&mob->room->people, l)
	{
		struct character *p = dlist_entry(l, struct character, room_link);

		if (!p->pc || p->extracted || !act_sees_char(mob, p))
			continue;
		/* Reservoir pick: each visible player equally likely. */
		if (world_rand(w, 1, ++seen) == 1)
			pick = p;
	}
	if (pick)
		world_attack(w, mob, pick);
}

void fight_round_all(struct world *w)
{
	ref_t *refs = NULL;
	size_t n = 0, cap = 0;

	DLIST_FOREACH(&w->chars, l)
	{
		const struct character *ch = dlist_entry(l, struct character, world_link);
		bool aggressive = !ch->pc && (ch->flags & MOB_AGGRESSIVE);

		if (!ch->fighting && !aggressive)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			refs = xreallocarray(refs, cap, sizeof(*refs));
		}
		refs[n++] = ch->ref;
	}
	for (size_t i = 0; i < n; i++) {
		struct character *ch = world_ref_char(w, refs[i]);

		if (!ch || ch->extracted)
			continue;
		if (ch->fighting)
			fight_round(w, ch);
		else
			fight_aggressive(w, ch);
	}
	free(refs);
}

/* ---- fleeing --------------------------------------------------------------------------- */

int fight_flee(struct world *w, struct character *ch)
{
	int open[DIR_COUNT], n = 0, chance;
	const char *path = ch->pc ? ch->pc->path : NULL;

	if (!ch->fighting) {
		world_send(w, ch, "You are not fighting anyone.\n");
		return -1;
	}
	for (int d = 0; d < DIR_COUNT; d++) {
		const struct exit *ex = ch->room->exits[d];

		if (ex && ex->to && !(ex->flags & EXIT_CLOSED))
			open[n++] = d;
	}
	if (n == 0) {
		world_send(w, ch, "PANIC! There is nowhere to run!\n");
		return -1;
	}
	chance = path && path[0] == 's' ? 85 : 65;
	if (!world_chance(w, chance)) {
		world_send(w, ch, "PANIC! You could not get away!\n");
		act(w, ACT_TO_ROOM, "$n tries to flee, but cannot get away!", ch, NULL);
		return -1;
	}
	act(w, ACT_TO_ROOM, "$n has fled!", ch, NULL);
	world_send(w, ch, "You flee from combat!\n");
	return world_char_move(w, ch, (enum dir)open[world_rand(w, 0, n - 1)]);
}
