/*
 * cmd_skill.c: skills and spells. Each path learns its own as it rises in
 * level; each has a mana or move cost and a cooldown, counted per character
 * in world clock milliseconds (never saved: a fresh login finds them
 * ready). The `skills` command lists them.
 *
 *   fighter  kick (1)   a kick for extra damage
 *            bash (3)   a shield-first charge: damage, and the foe is dazed a round
 *   scout    sneak (1)  move without arrival and departure messages for two minutes
 *            backstab (2)  an opening strike with a dagger or knife, several times a blow
 *   scholar  light (1)  a glowing mote that lights the room for four minutes
 *            mend (2)   a small heal, on yourself or someone here
 *            ward (4)   a third less damage taken in combat for ninety seconds
 *
 * Start reading at skill_table, then skill_ready() and skill_spend().
 */
#include "game/cmd.h"

#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

enum skill_id {
	SKILL_KICK,
	SKILL_BASH,
	SKILL_SNEAK,
	SKILL_BACKSTAB,
	SKILL_LIGHT,
	SKILL_MEND,
	SKILL_WARD,
	SKILL_COUNT
};

struct skill_def {
	const char *name;
	const char *path;
	int level;
	int mana, move;
	int cooldown_ms;
	const char *what; /* for `skills` */
};

static const struct skill_def skill_table[SKILL_COUNT] = {
	[SKILL_KICK] = {"kick", "fighter", 1, 0, 4, 6000, "a kick for extra damage"},
	[SKILL_BASH] = {"bash", "fighter", 3, 0, 8, 15000, "damage, and the foe is dazed a round"},
	[SKILL_SNEAK] = {"sneak", "scout", 1, 0, 6, 10000,
			 "move unseen and unheard for two minutes"},
	[SKILL_BACKSTAB] = {"backstab", "scout", 2, 0, 10, 20000,
			    "an opening strike with a dagger or knife"},
	[SKILL_LIGHT] = {"light", "scholar", 1, 5, 0, 10000, "a mote of light for four minutes"},
	[SKILL_MEND] = {"mend", "scholar", 2, 8, 0, 6000, "a small heal, for you or someone here"},
	[SKILL_WARD] = {"ward", "scholar", 4, 12, 0, 60000,
			"a third less damage for ninety seconds"},
};

#define SKILL_SNEAK_MS	 120000
#define SKILL_WARD_MS	 90000
#define SKILL_MOTE_HOURS 4

/* World clock ms until which a character dazed now loses its next combat round. */
static int64_t skill_daze_until(const struct world *w)
{
	int64_t now = world_now_ms(w);

	return (now / WORLD_ROUND_MS + 1) * WORLD_ROUND_MS + 1;
}

/* Keywords that make a wielded weapon good for a backstab. */
static const char *const skill_blades[] = {"dagger", "knife", "dirk", "stiletto", NULL};

static bool skill_knows(const struct character *ch, enum skill_id id)
{
	const struct skill_def *s = &skill_table[id];

	return ch->pc && ch->pc->path && strcmp(ch->pc->path, s->path) == 0 &&
	       ch->level >= s->level;
}

/* True if ch can use skill id now; else tells ch why not. Spends nothing. */
static bool skill_ready(struct world *w, struct character *ch, enum skill_id id)
{
	const struct skill_def *s = &skill_table[id];
	int64_t left = ch->cooldown_until_ms[id] - world_now_ms(w);

	if (!skill_knows(ch, id)) {
		if (ch->pc && ch->pc->path && strcmp(ch->pc->path, s->path) == 0)
			world_sendf(w, ch, "You will learn to %s at level %d.\n", s->name,
				    s->level);
		else
			world_sendf(w, ch, "You do not know how to %s: it is a %s's skill.\n",
				    s->name, s->path);
		return false;
	}
	if (left > 0) {
		world_sendf(w, ch, "You can %s again in %lld second%s.\n", s->name,
			    (long long)((left + 999) / 1000), left > 1000 ? "s" : "");
		return false;
	}
	if (ch->mana < s->mana) {
		world_sendf(w, ch, "You need %d mana to %s.\n", s->mana, s->name);
		return false;
	}
	if (ch->move < s->move) {
		world_sendf(w, ch, "You are too tired to %s.\n", s->name);
		return false;
	}
	return true;
}

/* Pays for skill id and starts its cooldown. */
static void skill_spend(struct world *w, struct character *ch, enum skill_id id)
{
	const struct skill_def *s = &skill_table[id];

	ch->mana -= s->mana;
	ch->move -= s->move;
	ch->cooldown_until_ms[id] = world_now_ms(w) + s->cooldown_ms;
	world_mark_dirty(ch);
	gmcp_send_vitals(w, ch);
}

/*
 * The foe a combat skill aims at: arg names someone here, or with no arg
 * the one ch fights. A new fight starts (without a blow) if ch was not
 * fighting them yet. NULL after telling ch why not.
 */
static struct character *skill_foe(struct world *w, struct character *ch, const char *arg,
				   const char *verb)
{
	struct character *victim = *arg ? find_char_room(ch, arg) : ch->fighting;

	if (!victim) {
		if (*arg)
			world_send(w, ch, "They are not here.\n");
		else
			world_sendf(w, ch, "%c%s whom?\n", verb[0] - 'a' + 'A', verb + 1);
		return NULL;
	}
	if (victim != ch->fighting && ch->fighting) {
		world_send(w, ch, "You are busy with someone else already.\n");
		return NULL;
	}
	if (victim != ch->fighting && fight_start(w, ch, victim) < 0)
		return NULL;
	return victim;
}

void cmd_kick(struct world *w, struct character *ch, const char *arg)
{
	struct character *victim;
	int dam = 0;

	if (!skill_ready(w, ch, SKILL_KICK) || !(victim = skill_foe(w, ch, arg, "kick")))
		return;
	skill_spend(w, ch, SKILL_KICK);
	if (fight_hit_roll(w, ch, victim))
		dam = world_rand(w, 2, 5) + ch->level;
	fight_deal(w, ch, victim, dam, "kick");
}

void cmd_bash(struct world *w, struct character *ch, const char *arg)
{
	struct character *victim;
	const struct act_arg a = {.vict = NULL};

	if (!skill_ready(w, ch, SKILL_BASH) || !(victim = skill_foe(w, ch, arg, "bash")))
		return;
	skill_spend(w, ch, SKILL_BASH);
	if (!fight_hit_roll(w, ch, victim) || !world_chance(w, 80)) {
		act(w, ACT_TO_CHAR, "You charge, miss, and fall flat on your face!", ch, &a);
		act(w, ACT_TO_ROOM, "$n charges, misses, and falls flat on $s face!", ch, &a);
		ch->stun_until_ms = skill_daze_until(w);
		return;
	}
	act(w, ACT_TO_CHAR, "You slam into $N and send $M reeling!", ch,
	    &(struct act_arg){.vict = victim});
	act(w, ACT_TO_VICT, "$n slams into you and sends you reeling!", ch,
	    &(struct act_arg){.vict = victim});
	act(w, ACT_TO_NOTVICT, "$n slams into $N and sends $M reeling!", ch,
	    &(struct act_arg){.vict = victim});
	victim->stun_until_ms = skill_daze_until(w);
	fight_deal(w, ch, victim, world_rand(w, 2, 6) + ch->level, "bash");
}

void cmd_sneak(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	if (!skill_ready(w, ch, SKILL_SNEAK))
		return;
	skill_spend(w, ch, SKILL_SNEAK);
	ch->sneak_until_ms = world_now_ms(w) + SKILL_SNEAK_MS;
	world_send(w, ch,
		   "You move lightly, keeping to the shadows. No one will hear you come "
		   "or go.\n");
}

/* True if the weapon ch wields is a blade fit for a backstab. */
static bool skill_has_blade(const struct character *ch)
{
	const struct item *it = ch->equip[WEAR_WIELD];

	if (!it || !it->proto || it->proto->type != ITEM_WEAPON)
		return false;
	for (size_t i = 0; skill_blades[i]; i++)
		if (find_name_matches(skill_blades[i],
				      it->proto->keywords ? it->proto->keywords : ""))
			return true;
	return false;
}

void cmd_backstab(struct world *w, struct character *ch, const char *arg)
{
	struct character *victim;
	int dam = 0;

	if (!skill_ready(w, ch, SKILL_BACKSTAB))
		return;
	if (!*arg) {
		world_send(w, ch, "Backstab whom?\n");
		return;
	}
	if (!(victim = find_char_room(ch, arg))) {
		world_send(w, ch, "They are not here.\n");
		return;
	}
	if (!skill_has_blade(ch)) {
		world_send(w, ch, "You need to wield a dagger or a knife to backstab.\n");
		return;
	}
	if (victim->fighting || ch->fighting) {
		act(w, ACT_TO_CHAR, "$N is too alert for that now.", ch,
		    &(struct act_arg){.vict = victim});
		return;
	}
	if (!fight_can_attack(w, ch, victim))
		return;
	skill_spend(w, ch, SKILL_BACKSTAB);
	if (fight_start(w, ch, victim) < 0)
		return;
	if (world_chance(w, 20) || fight_hit_roll(w, ch, victim))
		dam = fight_roll_damage(w, ch) * (2 + ch->level / 4);
	fight_deal(w, ch, victim, dam, "backstab");
}

/* The mote of light: a prototype the world makes on first use and frees at the end. */
static struct item_proto *skill_mote_proto(struct world *w)
{
	struct item_proto *p = w->mote_proto;

	if (p)
		return p;
	p = xcalloc(1, sizeof(*p));
	p->id = xstrdup("world:mote");
	p->type = ITEM_LIGHT;
	p->flags = ITEM_GLOW | ITEM_NOTAKE | ITEM_NOSAVE | ITEM_DECAYS;
	p->keywords = xstrdup("mote light glowing");
	p->short_desc = xstrdup("a glowing mote");
	p->long_desc = xstrdup("A mote of warm light hangs in the air here, humming faintly.");
	p->desc = xstrdup("A bead of light no bigger than a fingertip. It drifts when you breathe "
			  "on it, then settles back.");
	w->mote_proto = p;
	return p;
}

void cmd_light(struct world *w, struct character *ch, const char *arg)
{
	struct item *mote;

	(void)arg;
	if (!ch->room || !skill_ready(w, ch, SKILL_LIGHT))
		return;
	skill_spend(w, ch, SKILL_LIGHT);
	mote = world_item_make(w, skill_mote_proto(w), true);
	mote->timer = SKILL_MOTE_HOURS;
	item_to_room(mote, ch->room);
	act(w, ACT_TO_CHAR, "You cup your hands and breathe a mote of light into the air.", ch,
	    NULL);
	act(w, ACT_TO_ROOM, "$n cups $s hands; a mote of light rises from them and hangs there.",
	    ch, NULL);
	gmcp_room_item_change(w, ch->room, mote, true);
	gmcp_room_changed(w, ch->room, NULL);
}

void cmd_mend(struct world *w, struct character *ch, const char *arg)
{
	struct character *victim = *arg ? find_char_room(ch, arg) : ch;
	const struct act_arg a = {.vict = victim};
	int amount;

	if (!skill_ready(w, ch, SKILL_MEND))
		return;
	if (!victim) {
		world_send(w, ch, "They are not here.\n");
		return;
	}
	skill_spend(w, ch, SKILL_MEND);
	amount = world_rand(w, 4, 8) + ch->level * 2;
	if (victim == ch) {
		act(w, ACT_TO_CHAR, "You lay a hand on your wounds; warmth knits them closed.", ch,
		    &a);
		act(w, ACT_TO_ROOM, "$n lays a hand on $s wounds and murmurs.", ch, &a);
	} else {
		act(w, ACT_TO_CHAR, "You lay a hand on $N's wounds; warmth knits them closed.", ch,
		    &a);
		act(w, ACT_TO_VICT, "$n lays a hand on your wounds; warmth knits them closed.", ch,
		    &a);
		act(w, ACT_TO_NOTVICT, "$n lays a hand on $N's wounds and murmurs.", ch, &a);
	}
	world_heal(w, victim, amount);
}

void cmd_ward(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	if (!skill_ready(w, ch, SKILL_WARD))
		return;
	skill_spend(w, ch, SKILL_WARD);
	ch->ward_until_ms = world_now_ms(w) + SKILL_WARD_MS;
	act(w, ACT_TO_CHAR, "You trace a circle in the air; a shimmering ward settles around you.",
	    ch, NULL);
	act(w, ACT_TO_ROOM, "$n traces a circle in the air; a faint shimmer settles around $m.", ch,
	    NULL);
}

/* "1:20" or "45 s" for a span of milliseconds. */
static void skill_put_span(struct buf *out, int64_t ms)
{
	int64_t s = (ms + 999) / 1000;

	if (s >= 60)
		buf_printf(out, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
	else
		buf_printf(out, "%lld s", (long long)s);
}

void cmd_skills(struct world *w, struct character *ch, const char *arg)
{
	int64_t now = world_now_ms(w);
	const char *path = ch->pc && ch->pc->path ? ch->pc->path : "";
	struct buf out;
	bool any = false;

	(void)arg;
	buf_init(&out, 0);
	buf_puts(&out, "{WSkill      Level  Cost      Cooldown  Now{x\n");
	for (int i = 0; i < SKILL_COUNT; i++) {
		const struct skill_def *s = &skill_table[i];

		if (strcmp(s->path, path) != 0)
			continue;
		any = true;
		buf_printf(&out, "%-10s %5d  %2d %-5s  %5d s   ", s->name, s->level,
			   s->mana ? s->mana : s->move, s->mana ? "mana" : "moves",
			   s->cooldown_ms / 1000);
		if (!skill_knows(ch, (enum skill_id)i))
			buf_puts(&out, "{Knot yet{x");
		else if (ch->cooldown_until_ms[i] > now) {
			buf_puts(&out, "{Yready in ");
			skill_put_span(&out, ch->cooldown_until_ms[i] - now);
			buf_puts(&out, "{x");
		} else {
			buf_puts(&out, "{Gready{x");
		}
		buf_printf(&out, "\n           %s\n", s->what);
	}
	if (!any)
		buf_puts(&out, "You have no skills.\n");
	if (ch->sneak_until_ms > now) {
		buf_puts(&out, "You are sneaking (");
		skill_put_span(&out, ch->sneak_until_ms - now);
		buf_puts(&out, " left).\n");
	}
	if (ch->ward_until_ms > now) {
		buf_puts(&out, "A ward surrounds you (");
		skill_put_span(&out, ch->ward_until_ms - now);
		buf_puts(&out, " left).\n");
	}
	world_send(w, ch, buf_cstr(&out));
	buf_fini(&out);
}

void skill_announce(struct world *w, const struct character *ch)
{
	for (int i = 0; i < SKILL_COUNT; i++) {
		const struct skill_def *s = &skill_table[i];

		if (ch->pc && ch->pc->path && strcmp(s->path, ch->pc->path) == 0 &&
		    s->level == ch->level)
			world_sendf(w, ch, "{GYou have learned to %s!{x Type 'help %s'.\n", s->name,
				    s->name);
	}
}

void skill_affects_tick(struct world *w)
{
	int64_t now = world_now_ms(w);

	DLIST_FOREACH(&w->chars, l)
	{
		struct character *ch = dlist_entry(l, struct character, world_link);

		if (ch->sneak_until_ms && ch->sneak_until_ms <= now) {
			ch->sneak_until_ms = 0;
			world_send(w, ch, "You stop moving so carefully.\n");
		}
		if (ch->ward_until_ms && ch->ward_until_ms <= now) {
			ch->ward_until_ms = 0;
			world_send(w, ch, "Your ward flickers and fades.\n");
		}
		if (ch->stun_until_ms && ch->stun_until_ms <= now)
			ch->stun_until_ms = 0;
	}
}
