/*
 * level.c: experience and levels 1-10. The table below is the total
 * experience each level needs; a kill is worth 20 + 8 x the victim's level,
 * scaled by how far above or below the killer it stood (a foe five levels
 * down teaches almost nothing). Each level raises maximum health, mana and
 * moves by the player's path, and tells the player which skills it brings.
 * Experience can be lost (death, scripts), but never a level.
 * world_player_raise() takes the same steps in silence (test characters).
 *
 * Start reading at world_gain_exp().
 */
#include "game/world.h"

#include <string.h>

#include "game/internal.h"
#include "base/banned.h"

static const int64_t level_table[LEVEL_MAX + 1] = {
	0, 0, 100, 250, 450, 700, 1000, 1400, 1900, 2500, 3200,
};

/* What a level brings, by path. */
static const struct {
	const char *path;
	int hp, mana, move;
} level_gains[] = {
	{"fighter", 9, 2, 6},
	{"scout", 7, 3, 10},
	{"scholar", 5, 8, 5},
};

int64_t level_exp_for(int level)
{
	if (level <= 1)
		return 0;
	if (level > LEVEL_MAX)
		level = LEVEL_MAX;
	return level_table[level];
}

int64_t level_exp_next(const struct character *ch)
{
	int64_t need;

	if (ch->level >= LEVEL_MAX)
		return 0;
	need = level_exp_for(ch->level + 1) - ch->exp;
	return need > 0 ? need : 0;
}

int level_kill_exp(int killer_level, int victim_level)
{
	/* Percent of the base by victim level minus killer level, from -4 to +4. */
	static const int scale[] = {10, 25, 50, 75, 100, 120, 140, 160, 180};
	int diff = victim_level - killer_level;
	int base = 20 + 8 * (victim_level > 0 ? victim_level : 0);
	int exp;

	if (diff < -4)
		return 1;
	if (diff > 4)
		diff = 4;
	exp = base * scale[diff + 4] / 100;
	return exp > 0 ? exp : 1;
}

/* One level more: its gains for ch's path, in *hp, *mana and *move too. */
static void level_gain(struct character *ch, int *hp, int *mana, int *move)
{
	*hp = 6;
	*mana = 3;
	*move = 6;
	for (size_t i = 0; i < sizeof(level_gains) / sizeof(level_gains[0]); i++) {
		if (ch->pc->path && strcmp(ch->pc->path, level_gains[i].path) == 0) {
			*hp = level_gains[i].hp;
			*mana = level_gains[i].mana;
			*move = level_gains[i].move;
		}
	}
	ch->level++;
	ch->max_hp += *hp;
	ch->hp += *hp;
	ch->max_mana += *mana;
	ch->mana += *mana;
	ch->max_move += *move;
	ch->move += *move;
}

static void level_up(struct world *w, struct character *ch)
{
	int hp, mana, move;

	level_gain(ch, &hp, &mana, &move);
	world_sendf(w, ch,
		    "{YYou are now level %d!{x Your health grows by %d, your mana by %d and your "
		    "moves by %d.\n",
		    ch->level, hp, mana, move);
	skill_announce(w, ch);
}

void world_gain_exp(struct world *w, struct character *ch, int64_t amount)
{
	int level;

	if (!ch || ch->extracted || !ch->pc || amount == 0)
		return;
	level = ch->level;
	if (amount > 0) {
		world_sendf(w, ch, "You gain %lld experience point%s.\n", (long long)amount,
			    amount == 1 ? "" : "s");
		ch->exp = ch->exp > INT64_MAX - amount ? INT64_MAX : ch->exp + amount;
		while (ch->level < LEVEL_MAX && ch->exp >= level_exp_for(ch->level + 1))
			level_up(w, ch);
	} else {
		int64_t floor = level_exp_for(ch->level);
		int64_t lost = ch->exp + amount < floor ? ch->exp - floor : -amount;

		if (lost <= 0)
			return;
		ch->exp -= lost;
		world_sendf(w, ch, "You lose %lld experience point%s.\n", (long long)lost,
			    lost == 1 ? "" : "s");
	}
	world_mark_dirty(ch);
	if (ch->level != level)
		gmcp_send_vitals(w, ch);
	gmcp_send_status(w, ch);
}

int world_player_raise(struct world *w, struct character *ch, int level)
{
	int hp, mana, move;

	if (!ch || !ch->pc)
		return ch ? ch->level : 0;
	if (level > LEVEL_MAX)
		level = LEVEL_MAX;
	if (ch->level >= level)
		return ch->level;
	while (ch->level < level)
		level_gain(ch, &hp, &mana, &move);
	if (ch->exp < level_exp_for(level))
		ch->exp = level_exp_for(level);
	ch->hp = ch->max_hp;
	ch->mana = ch->max_mana;
	ch->move = ch->max_move;
	world_mark_dirty(ch);
	gmcp_send_vitals(w, ch);
	gmcp_send_status(w, ch);
	return ch->level;
}
