/*
 * test_fight.c: combat, death and experience. Who may fight whom and where,
 * rounds every 3 s with graded messages, GMCP (Char.Status fighting and
 * exp_next, Char.Combat), corpses with loot and gold, the combat triggers
 * (attacked, fight, hp_below once per threshold, death and its veto, kill),
 * a player's death (the shrine, the penalty, items kept), flee, wimpy,
 * consider, remembered enemies and aggressive mobs, levels and experience,
 * and the balance the world is written for: a level-1 fighter beats a
 * level-1 crow and loses to a level-5 wolf, which a level-5 fighter beats.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "cmd_fixture.h"
#include "fake_script.h"
#include "game/cmd.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

static struct mob_proto *mob_proto(struct cfx *x, const char *id, const char *keywords,
				   const char *short_desc, int level, int hp, int lo, int hi,
				   int armor)
{
	struct mob_proto *m = world_mob_proto_new(x->w, x->a, id);

	assert_non_null(m);
	world_set_str(&m->keywords, keywords);
	world_set_str(&m->short_desc, short_desc);
	m->level = level;
	m->hp = hp;
	m->damage_lo = lo;
	m->damage_hi = hi;
	m->armor = armor;
	return m;
}

static int ffx_setup(void **state)
{
	struct cfx *x;
	struct item_proto *p;

	cfx_setup(state);
	x = *state;
	world_seed(x->w, 12345);
	mob_proto(x, "t:crow", "crow fat bird", "a fat crow", 1, 10, 1, 2, 0)->gold = 3;
	mob_proto(x, "t:wolf", "wolf grey", "a grey wolf", 5, 55, 2, 6, 3);
	mob_proto(x, "t:warden", "warden", "a warden", 3, 30, 1, 4, 0)->flags = MOB_NOKILL;
	p = world_find_item_proto(x->w, "t:sword");
	p->values[0] = 1;
	p->values[1] = 6;
	p = cfx_proto(x, "t:jerkin", ITEM_ARMOR, "jerkin padded", "a padded jerkin",
		      "A padded jerkin lies here.");
	p->wear_slots = 1u << WEAR_BODY;
	p->values[0] = 2;
	x->inn->flags |= ROOM_SAFE;
	return 0;
}

/* Arms a player like a new fighter: the sword and the jerkin. */
static void arm(struct cfx *x, struct character *ch)
{
	struct item *sword = cfx_item_on(x, "t:sword", ch);
	struct item *jerkin = cfx_item_on(x, "t:jerkin", ch);

	assert_int_equal(item_equip(ch, sword, WEAR_WIELD), 0);
	assert_int_equal(item_equip(ch, jerkin, WEAR_BODY), 0);
}

static void pulses(struct cfx *x, int n)
{
	for (int i = 0; i < n; i++) {
		world_pulse(x->w);
		world_reap(x->w);
	}
}

/* ---- who may fight ---------------------------------------------------------------- */

static void test_refusals(void **state)
{
	struct cfx *x = *state;
	struct character *warden = cfx_mob(x, "t:warden", x->square);
	struct character *crow = cfx_mob(x, "t:crow", x->inn);

	cfx_do(x, x->ayla, "kill warden");
	CFX_SAW(x, CFX_AYLA, "A warden is not someone you can fight.");
	cfx_do(x, x->ayla, "kill bo");
	CFX_SAW(x, CFX_AYLA, "You cannot fight other players.");
	cfx_do(x, x->ayla, "kill nobody");
	CFX_SAW(x, CFX_AYLA, "They are not here.");
	cfx_do(x, x->ayla, "kill self");
	CFX_SAW(x, CFX_AYLA, "stern talking-to");
	cfx_do(x, x->ayla, "kill");
	CFX_SAW(x, CFX_AYLA, "Attack whom?");
	cfx_place(x->ayla, x->inn);
	cfx_do(x, x->ayla, "kill crow");
	CFX_SAW(x, CFX_AYLA, "place of peace");
	assert_int_equal(world_attack(x->w, crow, x->ayla), -1);
	assert_null(x->ayla->fighting);
	assert_null(crow->fighting);
	assert_null(warden->fighting);
}

/* ---- a fight ------------------------------------------------------------------------ */

static void test_fight_starts_and_runs_in_rounds(void **state)
{
	struct cfx *x = *state;
	struct character *wolf = cfx_mob(x, "t:wolf", x->square);
	json_t *j;

	arm(x, x->ayla);
	cfx_do(x, x->ayla, "kill wolf");
	CFX_SAW(x, CFX_AYLA, "You attack a grey wolf!");
	CFX_SAW(x, CFX_BO, "Ayla attacks a grey wolf!");
	assert_ptr_equal(x->ayla->fighting, wolf);
	assert_ptr_equal(wolf->fighting, x->ayla);
	assert_int_equal(x->ayla->pos, POS_FIGHTING);
	assert_int_equal(wolf->pos, POS_FIGHTING);
	/* The opening blow landed or missed at once. */
	assert_true(cfx_saw(x, CFX_AYLA, "a grey wolf.") || cfx_saw(x, CFX_AYLA, "a grey wolf!"));
	j = cfx_json(x, CFX_AYLA, "Char.Status");
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "fighting")), "a grey wolf");
	json_decref(j);
	j = cfx_json(x, CFX_AYLA, "Char.Combat");
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "target")), "a grey wolf");
	json_decref(j);
	cfx_do(x, x->ayla, "look");
	CFX_SAW(x, CFX_AYLA, "A grey wolf is here, fighting YOU!");
	cfx_do(x, x->bo, "look");
	CFX_SAW(x, CFX_BO, "A grey wolf is here, fighting Ayla.");
	CFX_SAW(x, CFX_BO, "is here, fighting a grey wolf.");
	cfx_do(x, x->ayla, "kill wolf");
	CFX_SAW(x, CFX_AYLA, "You do the best you can!");
	cfx_do(x, x->ayla, "north");
	CFX_SAW(x, CFX_AYLA, "still fighting");

	/* Nothing until the round: then both strike, and Char.Combat comes. */
	fake_ops_clear(&x->f);
	pulses(x, 29);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, "Char.Combat"), 0);
	pulses(x, 1);
	assert_true(fake_ops_data_count(&x->f, CFX_AYLA, "Char.Combat") >= 1);
	assert_true(cfx_saw(x, CFX_AYLA, "a grey wolf") && cfx_saw(x, CFX_AYLA, " you"));
	j = cfx_json(x, CFX_AYLA, "Char.Combat");
	assert_int_equal(json_integer_value(json_object_get(j, "target_hp")),
			 wolf->hp * 100 / wolf->max_hp);
	json_decref(j);
	/* No regeneration while fighting: the next regeneration tick gives nothing. */
	x->ayla->hp = 5;
	wolf->hp = wolf->max_hp;
	wolf->proto->damage_lo = 1;
	wolf->proto->damage_hi = 1;
	pulses(x, 30);
	assert_true(x->ayla->hp <= 5);
}

static void test_messages_are_graded(void **state)
{
	struct cfx *x = *state;
	struct character *wolf = cfx_mob(x, "t:wolf", x->square);
	static const struct {
		int dam;
		const char *you;
	} cases[] = {
		{0, "You miss a grey wolf."},	     {1, "You scratch a grey wolf."},
		{4, "You graze a grey wolf."},	     {6, "You hit a grey wolf."},
		{8, "You injure a grey wolf."},	     {11, "You wound a grey wolf."},
		{15, "You maul a grey wolf!"},	     {20, "You DECIMATE a grey wolf!"},
		{28, "You DEVASTATE a grey wolf!"},  {40, "You MUTILATE a grey wolf!!"},
		{99, "You MASSACRE a grey wolf!!!"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wolf->hp = 1000;
		fake_ops_clear(&x->f);
		assert_int_equal(fight_deal(x->w, x->ayla, wolf, cases[i].dam, NULL), cases[i].dam);
		CFX_SAW(x, CFX_AYLA, cases[i].you);
	}
	fake_ops_clear(&x->f);
	fight_deal(x->w, x->ayla, wolf, 15, "kick");
	CFX_SAW(x, CFX_AYLA, "Your kick mauls a grey wolf!");
	CFX_SAW(x, CFX_BO, "Ayla's kick mauls a grey wolf!");
}

static void test_mob_death_corpse_gold_exp(void **state)
{
	struct cfx *x = *state;
	struct character *crow = cfx_mob(x, "t:crow", x->square);
	struct item *rock = cfx_item_on(x, "t:rock", crow);
	struct item *corpse = NULL;
	ref_t cref = crow->ref, corpse_ref;
	int gold = x->ayla->gold;
	json_t *j;

	cfx_do(x, x->ayla, "kill crow");
	fake_ops_clear(&x->f);
	assert_int_equal(world_damage(x->w, crow, 100, x->ayla), 100);
	assert_true(crow->extracted);
	CFX_SAW(x, CFX_BO, "A fat crow is DEAD!!");
	CFX_SAW(x, CFX_AYLA, "You take 3 gold coins from the corpse.");
	CFX_SAW(x, CFX_AYLA, "You gain 28 experience points.");
	assert_int_equal(x->ayla->gold, gold + 3);
	assert_int_equal(x->ayla->exp, 28);
	assert_null(x->ayla->fighting);
	assert_int_equal(x->ayla->pos, POS_STANDING);
	j = cfx_json(x, CFX_AYLA, "Char.Combat");
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 0);
	json_decref(j);
	j = cfx_json(x, CFX_AYLA, "Char.Status");
	assert_true(json_is_null(json_object_get(j, "fighting")));
	assert_int_equal(json_integer_value(json_object_get(j, "exp_next")), 72);
	json_decref(j);
	DLIST_FOREACH(&x->square->items, l)
	{
		struct item *it = dlist_entry(l, struct item, link);
		if (strstr(world_item_name(it), "corpse"))
			corpse = it;
	}
	assert_non_null(corpse);
	assert_string_equal(world_item_name(corpse), "the corpse of a fat crow");
	assert_ptr_equal(rock->in_item, corpse);
	corpse_ref = corpse->ref;
	cfx_do(x, x->ayla, "look in corpse");
	CFX_SAW(x, CFX_AYLA, "a rock");
	cfx_do(x, x->ayla, "get corpse");
	CFX_SAW(x, CFX_AYLA, "You cannot take the corpse of a fat crow.");
	world_reap(x->w);
	assert_null(world_ref_char(x->w, cref));
	/* Five game hours later the corpse crumbles and the rock is on the floor. */
	pulses(x, 5 * 600 - 1);
	assert_non_null(world_ref_item(x->w, corpse_ref));
	pulses(x, 1);
	assert_null(world_ref_item(x->w, corpse_ref));
	assert_ptr_equal(rock->in_room, x->square);
}

static void test_combat_triggers(void **state)
{
	struct cfx *x = *state;
	struct mob_proto *wp = world_find_mob_proto(x->w, "t:wolf");
	struct character *wolf = cfx_mob(x, "t:wolf", x->square);
	ref_t wref = wolf->ref;
	struct fake_script fs;
	const struct fake_event *e;

	fake_script_init(&fs, x->w);
	wp->triggers = TRIG_BIT(TRIG_ATTACKED, true) | TRIG_BIT(TRIG_ATTACKED, false) |
		       TRIG_BIT(TRIG_FIGHT, false) | TRIG_BIT(TRIG_HP_BELOW, false) |
		       TRIG_BIT(TRIG_DEATH, true) | TRIG_BIT(TRIG_DEATH, false) |
		       TRIG_BIT(TRIG_KILL, false);
	fs.veto = TRIG_BIT(TRIG_ATTACKED, true);
	cfx_do(x, x->ayla, "kill wolf");
	assert_null(x->ayla->fighting);
	assert_int_equal(fake_script_count(&fs, TRIG_ATTACKED, false), 0);
	fs.veto = 0;
	cfx_do(x, x->ayla, "kill wolf");
	e = fake_script_last(&fs, TRIG_ATTACKED, false);
	assert_non_null(e);
	assert_int_equal(e->ev.actor, x->ayla->ref);
	/* Below 50, then below 20: each threshold crossed once, with where it was. */
	fake_script_clear(&fs);
	wolf->hp = wolf->max_hp;
	wolf->hp_low_pct = 0;
	world_damage(x->w, wolf, wolf->max_hp / 2 + 1, x->ayla);
	e = fake_script_last(&fs, TRIG_HP_BELOW, false);
	assert_non_null(e);
	assert_int_equal(e->ev.was, 100);
	assert_true(e->ev.number < 50);
	assert_int_equal(e->ev.actor, x->ayla->ref);
	world_heal(x->w, wolf, 5);
	world_damage(x->w, wolf, 4, x->ayla);
	/* Healed a little and hurt again, but not lower than before: no new event. */
	assert_int_equal(fake_script_count(&fs, TRIG_HP_BELOW, false), 1);
	world_damage(x->w, wolf, wolf->hp - 5, NULL);
	e = fake_script_last(&fs, TRIG_HP_BELOW, false);
	assert_int_equal(fake_script_count(&fs, TRIG_HP_BELOW, false), 2);
	assert_true(e->ev.was < 50 && e->ev.number < 20);
	assert_int_equal(e->ev.actor, 0);
	/* A round (the wolf healed enough to live through it): fight names the opponent. */
	world_heal(x->w, wolf, 45);
	x->ayla->hp = x->ayla->max_hp;
	pulses(x, 30);
	assert_ptr_equal(world_ref_char(x->w, wref), wolf);
	e = fake_script_last(&fs, TRIG_FIGHT, false);
	assert_non_null(e);
	assert_int_equal(e->ev.self, wref);
	assert_int_equal(e->ev.victim, x->ayla->ref);
	/* Death cheated by before_death: the wolf stays, at 1 hp. */
	fs.veto = TRIG_BIT(TRIG_DEATH, true);
	world_damage(x->w, wolf, 1000, x->ayla);
	assert_false(wolf->extracted);
	assert_int_equal(wolf->hp, 1);
	assert_int_equal(fake_script_count(&fs, TRIG_DEATH, false), 0);
	fs.veto = 0;
	world_damage(x->w, wolf, 1000, x->ayla);
	assert_true(wolf->extracted);
	e = fake_script_last(&fs, TRIG_DEATH, false);
	assert_non_null(e);
	assert_int_equal(e->ev.actor, x->ayla->ref);
	world_set_script_ops(x->w, NULL);
	fake_script_fini(&fs);
}

static void test_kill_trigger_on_player_death(void **state)
{
	struct cfx *x = *state;
	struct mob_proto *wp = world_find_mob_proto(x->w, "t:wolf");
	struct character *wolf = cfx_mob(x, "t:wolf", x->square);
	struct fake_script fs;
	const struct fake_event *e;

	fake_script_init(&fs, x->w);
	wp->triggers = TRIG_BIT(TRIG_KILL, false);
	world_attack(x->w, wolf, x->ayla);
	world_damage(x->w, x->ayla, 1000, wolf);
	e = fake_script_last(&fs, TRIG_KILL, false);
	assert_non_null(e);
	assert_int_equal(e->ev.self, wolf->ref);
	assert_int_equal(e->ev.victim, x->ayla->ref);
	assert_null(wolf->fighting);
	world_set_script_ops(x->w, NULL);
	fake_script_fini(&fs);
}

static void test_player_death(void **state)
{
	struct cfx *x = *state;
	struct character *wolf = cfx_mob(x, "t:wolf", x->square);
	struct item *sword = cfx_item_on(x, "t:sword", x->ayla);
	int gold = x->ayla->gold;

	x->tower->flags |= ROOM_RECALL;
	world_gain_exp(x->w, x->ayla, 150);
	assert_int_equal(x->ayla->level, 2);
	cfx_do(x, x->ayla, "kill wolf");
	fake_ops_clear(&x->f);
	world_damage(x->w, x->ayla, 1000, wolf);
	CFX_SAW(x, CFX_AYLA, "You have been KILLED!!");
	CFX_SAW(x, CFX_BO, "Ayla is DEAD!!");
	CFX_SAW(x, CFX_AYLA, "You lose 37 experience points.");
	/* A quarter of the level's span lost, never the level; items and gold kept. */
	assert_int_equal(x->ayla->level, 2);
	assert_int_equal(x->ayla->exp, 113);
	assert_ptr_equal(sword->carried_by, x->ayla);
	assert_int_equal(x->ayla->gold, gold);
	assert_int_equal(x->ayla->hp, x->ayla->max_hp / 2);
	assert_ptr_equal(x->ayla->room, x->tower);
	assert_int_equal(x->ayla->pos, POS_STANDING);
	assert_null(x->ayla->fighting);
	assert_null(wolf->fighting);
	assert_int_equal(wolf->enemy, 0);
	CFX_SAW(x, CFX_AYLA, "The Tower");
	/* Dying again at the level's floor costs nothing more. */
	x->ayla->exp = 100;
	world_damage(x->w, x->ayla, 1000, NULL);
	assert_int_equal(x->ayla->exp, 100);
	assert_int_equal(x->ayla->level, 2);
	/* A recall room of one's own wins. */
	world_set_str(&x->ayla->pc->recall, "t:field");
	world_damage(x->w, x->ayla, 1000, NULL);
	assert_ptr_equal(x->ayla->room, x->field);
}

static void test_leaving_ends_the_fight(void **state)
{
	struct cfx *x = *state;
	struct character *wolf = cfx_mob(x, "t:wolf", x->square);
	struct character *crow = cfx_mob(x, "t:crow", x->square);

	world_attack(x->w, x->ayla, wolf);
	world_attack(x->w, x->bo, wolf);
	world_attack(x->w, crow, x->bo);
	assert_ptr_equal(wolf->fighting, x->ayla);
	/* Ayla goes: the wolf turns on Bo, who fights it too. */
	world_char_teleport(x->w, x->ayla, x->field);
	assert_null(x->ayla->fighting);
	assert_ptr_equal(wolf->fighting, x->bo);
	/* Bo goes: everyone here stops. */
	world_char_teleport(x->w, x->bo, x->field);
	assert_null(wolf->fighting);
	assert_null(crow->fighting);
	assert_int_equal(wolf->pos, POS_STANDING);
	/* Extracting a character clears every pointer to it. */
	cfx_place(x->bo, x->square);
	world_attack(x->w, crow, x->bo);
	world_extract_char(x->w, crow);
	assert_null(x->bo->fighting);
	world_reap(x->w);
}

static void test_attackers_are_counted(void **state)
{
	struct cfx *x = *state;
	struct character *wolf = cfx_mob(x, "t:wolf", x->square);
	struct character *crow = cfx_mob(x, "t:crow", x->square);

	world_attack(x->w, x->ayla, wolf);
	world_attack(x->w, x->bo, wolf);
	assert_int_equal(wolf->attackers, 2);
	assert_int_equal(x->ayla->attackers, 1); /* the wolf fights Ayla back */
	assert_int_equal(x->bo->attackers, 0);
	/* Ayla goes: the wolf turns on Bo. */
	world_char_teleport(x->w, x->ayla, x->field);
	assert_int_equal(wolf->attackers, 1);
	assert_int_equal(x->ayla->attackers, 0);
	assert_int_equal(x->bo->attackers, 1);
	/* Bo carried off without the fight ending (as a script may): extracting
	 * the wolf must still find and stop him, in another room. */
	cfx_place(x->bo, x->field);
	assert_ptr_equal(x->bo->fighting, wolf);
	world_extract_char(x->w, wolf);
	assert_null(x->bo->fighting);
	assert_int_equal(x->bo->attackers, 0);
	assert_int_equal(wolf->attackers, 0);
	/* Nobody fights the crow: extracting it leaves every count at zero. */
	assert_int_equal(crow->attackers, 0);
	world_extract_char(x->w, crow);
	assert_int_equal(x->ayla->attackers + x->bo->attackers, 0);
	world_reap(x->w);
}

static void test_flee(void **state)
{
	struct cfx *x = *state;
	struct character *wolf = cfx_mob(x, "t:wolf", x->square);
	bool fled = false;

	cfx_do(x, x->ayla, "flee");
	CFX_SAW(x, CFX_AYLA, "You are not fighting anyone.");
	world_attack(x->w, x->ayla, wolf);
	for (int i = 0; i < 20 && !fled; i++) {
		x->ayla->hp = x->ayla->max_hp;
		x->ayla->move = x->ayla->max_move;
		cfx_do(x, x->ayla, "flee");
		fled = x->ayla->room != x->square;
		if (!fled)
			CFX_SAW(x, CFX_AYLA, "PANIC!");
	}
	assert_true(fled);
	CFX_SAW(x, CFX_AYLA, "You flee from combat!");
	CFX_SAW(x, CFX_BO, "Ayla has fled!");
	assert_null(x->ayla->fighting);
	assert_null(wolf->fighting);
	/* The wolf remembers: coming back starts the fight again. */
	assert_int_equal(wolf->enemy, x->ayla->ref);
	cfx_place(x->ayla, x->inn);
	x->ayla->hp = x->ayla->max_hp;
	cfx_do(x, x->ayla, "south");
	CFX_SAW(x, CFX_AYLA, "remembers you, and attacks!");
	assert_ptr_equal(wolf->fighting, x->ayla);
}

static void test_wimpy(void **state)
{
	struct cfx *x = *state;
	struct character *wolf;

	cfx_do(x, x->ayla, "wimpy");
	CFX_SAW(x, CFX_AYLA, "You fight to the end.");
	cfx_do(x, x->ayla, "wimpy 1000");
	CFX_SAW(x, CFX_AYLA, "Such cowardice");
	cfx_do(x, x->ayla, "wimpy 12");
	assert_int_equal(x->ayla->wimpy, 12);
	assert_true(x->ayla->pc->dirty);
	wolf = cfx_mob(x, "t:wolf", x->square);
	wolf->proto->damage_lo = 3;
	wolf->proto->damage_hi = 3;
	world_attack(x->w, wolf, x->ayla);
	for (int i = 0; i < 200 && x->ayla->room == x->square; i++) {
		x->ayla->move = x->ayla->max_move;
		if (x->ayla->hp < 5)
			x->ayla->hp = 10;
		pulses(x, 30);
	}
	assert_ptr_not_equal(x->ayla->room, x->square);
	assert_true(x->ayla->hp > 0);
	cfx_do(x, x->ayla, "wimpy off");
	assert_int_equal(x->ayla->wimpy, 0);
}

static void test_consider(void **state)
{
	struct cfx *x = *state;

	struct character *wolf;

	cfx_mob(x, "t:crow", x->square);
	wolf = cfx_mob(x, "t:wolf", x->square);
	cfx_mob(x, "t:warden", x->square);
	cfx_do(x, x->ayla, "con crow");
	CFX_SAW(x, CFX_AYLA, "The perfect match!");
	cfx_do(x, x->ayla, "consider wolf");
	CFX_SAW(x, CFX_AYLA, "A grey wolf would give you a hard fight.");
	CFX_NOT_SAW(x, CFX_AYLA, "punishment");
	wolf->level = 10;
	wolf->max_hp = 200;
	cfx_do(x, x->ayla, "consider wolf");
	CFX_SAW(x, CFX_AYLA, "Death itself would thank you for your gift.");
	CFX_SAW(x, CFX_AYLA, "A grey wolf looks tough enough to take a lot of punishment.");
	cfx_do(x, x->ayla, "consider warden");
	CFX_SAW(x, CFX_AYLA, "not someone you would fight");
	x->ayla->level = 9;
	cfx_do(x, x->ayla, "consider crow");
	CFX_SAW(x, CFX_AYLA, "with your eyes closed");
}

static void test_aggressive_mobs(void **state)
{
	struct cfx *x = *state;
	struct character *wolf = cfx_mob(x, "t:wolf", x->field);

	wolf->flags |= MOB_AGGRESSIVE;
	cfx_do(x, x->ayla, "east");
	CFX_SAW(x, CFX_AYLA, "A grey wolf attacks you!");
	assert_ptr_equal(wolf->fighting, x->ayla);
	/* One standing there when the wolf arrives is attacked at the next round. */
	world_char_teleport(x->w, x->ayla, x->square);
	assert_null(wolf->fighting);
	wolf->enemy = 0;
	cfx_place(x->bo, x->field);
	pulses(x, 30);
	assert_ptr_equal(wolf->fighting, x->bo);
}

/* ---- levels -------------------------------------------------------------------------- */

static void test_levels_and_experience(void **state)
{
	struct cfx *x = *state;
	int hp = x->ayla->max_hp, mana = x->ayla->max_mana, move = x->ayla->max_move;

	assert_int_equal(level_exp_for(1), 0);
	assert_int_equal(level_exp_for(2), 100);
	assert_int_equal(level_exp_for(LEVEL_MAX), 3200);
	assert_int_equal(level_kill_exp(1, 1), 28);
	assert_true(level_kill_exp(1, 5) > level_kill_exp(5, 5));
	assert_true(level_kill_exp(5, 1) < level_kill_exp(5, 4));
	assert_int_equal(level_kill_exp(10, 1), 1);
	cfx_do(x, x->ayla, "score");
	CFX_SAW(x, CFX_AYLA, "(100 more to level 2)");
	fake_ops_clear(&x->f);
	world_gain_exp(x->w, x->ayla, 260);
	assert_int_equal(x->ayla->level, 3);
	CFX_SAW(x, CFX_AYLA, "You are now level 2!");
	CFX_SAW(x, CFX_AYLA, "You are now level 3!");
	CFX_SAW(x, CFX_AYLA, "You have learned to bash!");
	assert_int_equal(x->ayla->max_hp, hp + 18);
	assert_int_equal(x->ayla->max_mana, mana + 4);
	assert_int_equal(x->ayla->max_move, move + 12);
	world_gain_exp(x->w, x->ayla, -1000);
	assert_int_equal(x->ayla->exp, 250);
	assert_int_equal(x->ayla->level, 3);
	world_gain_exp(x->w, x->ayla, 100000);
	assert_int_equal(x->ayla->level, LEVEL_MAX);
	assert_int_equal(level_exp_next(x->ayla), 0);
	cfx_do(x, x->ayla, "score");
	CFX_SAW(x, CFX_AYLA, "(the highest level)");
	/* Mobs do not learn. */
	world_gain_exp(x->w, cfx_mob(x, "t:crow", x->square), 500);
}

/* ---- balance ------------------------------------------------------------------------------ */

/* Fights a fresh level-1 fighter against a fresh mob to the end; true if the fighter won. */
static bool duel(struct cfx *x, const char *mob, int level, uint64_t seed)
{
	struct character *m = cfx_mob(x, mob, x->field);
	ref_t mref = m->ref;
	int rounds = 0;

	world_seed(x->w, seed);
	cfx_place(x->ayla, x->field);
	x->ayla->level = level;
	x->ayla->exp = level_exp_for(level);
	x->ayla->max_hp = x->ayla->hp = 30 + 9 * (level - 1);
	x->ayla->wimpy = 0;
	world_attack(x->w, x->ayla, m);
	while (world_ref_char(x->w, mref) && x->ayla->room == x->field && rounds++ < 500)
		pulses(x, 30);
	if (world_ref_char(x->w, mref)) {
		struct character *left = world_ref_char(x->w, mref);
		world_extract_char(x->w, left);
		world_reap(x->w);
		return false;
	}
	return true;
}

static void test_balance(void **state)
{
	struct cfx *x = *state;
	int crow_wins = 0, wolf_wins = 0, even_wins = 0;
	const int n = 100;

	arm(x, x->ayla);
	world_set_str(&x->ayla->pc->recall, "t:tower");
	for (int i = 0; i < n; i++) {
		crow_wins += duel(x, "t:crow", 1, 1000 + (uint64_t)i);
		wolf_wins += duel(x, "t:wolf", 1, 5000 + (uint64_t)i);
		even_wins += duel(x, "t:wolf", 5, 9000 + (uint64_t)i);
	}
	print_message("level-1 fighter: beat the crow %d/%d, the wolf %d/%d; level 5: the wolf "
		      "%d/%d\n",
		      crow_wins, n, wolf_wins, n, even_wins, n);
	assert_true(crow_wins >= 95);
	assert_true(wolf_wins <= 10);
	assert_true(even_wins >= 80);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, ffx_setup, cfx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_refusals),
		T(test_fight_starts_and_runs_in_rounds),
		T(test_messages_are_graded),
		T(test_mob_death_corpse_gold_exp),
		T(test_combat_triggers),
		T(test_kill_trigger_on_player_death),
		T(test_player_death),
		T(test_leaving_ends_the_fight),
		T(test_attackers_are_counted),
		T(test_flee),
		T(test_wimpy),
		T(test_consider),
		T(test_aggressive_mobs),
		T(test_levels_and_experience),
		T(test_balance),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
