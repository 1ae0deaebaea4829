/*
 * cmd_fight.c: the fighting commands: kill (and attack), flee, wimpy and
 * consider. The fight itself is fight.c; skills are cmd_skill.c.
 *
 * Start reading at cmd_kill().
 */
#include "game/cmd.h"

#include "base/buf.h"
#include "base/str.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

void cmd_kill(struct world *w, struct character *ch, const char *arg)
{
	struct character *victim;

	if (!*arg) {
		world_send(w, ch, "Attack whom?\n");
		return;
	}
	victim = find_char_room(ch, arg);
	if (!victim) {
		world_send(w, ch, "They are not here.\n");
		return;
	}
	if (victim == ch->fighting) {
		world_send(w, ch, "You do the best you can!\n");
		return;
	}
	if (ch->fighting) {
		world_send(w, ch, "You are already fighting! Finish it, or flee.\n");
		return;
	}
	world_attack(w, ch, victim);
}

void cmd_flee(struct world *w, struct character *ch, const char *arg)
{
	(void)arg;
	fight_flee(w, ch);
}

void cmd_wimpy(struct world *w, struct character *ch, const char *arg)
{
	long hp;

	if (!ch->pc)
		return;
	if (!*arg) {
		if (ch->wimpy > 0)
			world_sendf(w, ch,
				    "You will try to flee when your health falls below %d.\n",
				    ch->wimpy);
		else
			world_send(w, ch,
				   "You fight to the end. ('wimpy <hp>' to flee in time.)\n");
		return;
	}
	if (str_eq_nocase(arg, "off"))
		hp = 0;
	else if (str_to_long(arg, 0, 1000000, &hp) < 0) {
		world_send(w, ch, "Usage: wimpy <hit points> (or 'wimpy off')\n");
		return;
	}
	if (hp > ch->max_hp / 2) {
		world_sendf(w, ch, "Such cowardice ill becomes you: at most %d.\n", ch->max_hp / 2);
		return;
	}
	ch->wimpy = (int)hp;
	world_mark_dirty(ch);
	if (hp)
		world_sendf(w, ch, "You will try to flee when your health falls below %ld.\n", hp);
	else
		world_send(w, ch, "You will fight to the end.\n");
}

void cmd_consider(struct world *w, struct character *ch, const char *arg)
{
	static const struct {
		int max; /* level difference up to this */
		const char *text;
	} by_level[] = {
		{-6, "You could take $N with your eyes closed."},
		{-3, "$N is no match for you."},
		{-1, "$N looks like an easy fight."},
		{0, "The perfect match!"},
		{2, "$N looks a touch stronger than you. Feeling lucky?"},
		{4, "$N would give you a hard fight. Bring friends, or bandages."},
		{1000, "Death itself would thank you for your gift."},
	};
	struct character *victim;
	int diff;
	size_t i = 0;

	if (!*arg) {
		world_send(w, ch, "Consider whom?\n");
		return;
	}
	victim = find_char_room(ch, arg);
	if (!victim) {
		world_send(w, ch, "They are not here.\n");
		return;
	}
	if (victim == ch) {
		world_send(w, ch, "You size yourself up. You'll do.\n");
		return;
	}
	if (victim->pc) {
		act(w, ACT_TO_CHAR, "$N is another adventurer, not a foe.", ch,
		    &(struct act_arg){.vict = victim});
		return;
	}
	if (victim->flags & MOB_NOKILL) {
		act(w, ACT_TO_CHAR, "$N is not someone you would fight.", ch,
		    &(struct act_arg){.vict = victim});
		return;
	}
	diff = victim->level - ch->level;
	while (diff > by_level[i].max)
		i++;
	act(w, ACT_TO_CHAR, by_level[i].text, ch, &(struct act_arg){.vict = victim});
	if (victim->max_hp > ch->max_hp * 2)
		act(w, ACT_TO_CHAR, "$N looks tough enough to take a lot of punishment.", ch,
		    &(struct act_arg){.vict = victim});
}
