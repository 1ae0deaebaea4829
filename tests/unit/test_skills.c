/*
 * test_skills.c: skills and spells by path and level, their costs and
 * cooldowns (world clock), and what each does: kick, bash (the victim is
 * dazed and loses its round), sneak (no messages, no greet, expiry),
 * backstab (a blade, an unalert victim), light (a mote that lights a dark
 * room and fades), mend, ward (a third less damage); the `skills` listing.
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

#define CY 3u /* a scout */
#define DI 4u /* a scholar */

struct sfx {
	struct cfx *x;
	struct character *cy, *di;
};

static struct character *player(struct cfx *x, const char *name, const char *path, uint32_t s)
{
	struct character *ch = world_player_new(x->w, name, path, PRONOUNS_THEY);

	assert_non_null(ch);
	world_player_enter(x->w, ch, s);
	return ch;
}

static int sfx_setup(void **state)
{
	struct sfx *t = xcalloc(1, sizeof(*t));
	void *inner;
	struct mob_proto *m;
	struct item_proto *p;

	cfx_setup(&inner);
	t->x = inner;
	world_seed(t->x->w, 777);
	m = world_mob_proto_new(t->x->w, t->x->a, "t:crow");
	world_set_str(&m->keywords, "crow");
	world_set_str(&m->short_desc, "a fat crow");
	m->level = 1;
	m->hp = 200;
	m->damage_lo = 1;
	m->damage_hi = 2;
	p = cfx_proto(t->x, "t:knife", ITEM_WEAPON, "knife hunting", "a hunting knife",
		      "A knife lies here.");
	p->wear_slots = 1u << WEAR_WIELD;
	p->values[0] = 1;
	p->values[1] = 4;
	p->values[2] = 1;
	t->cy = player(t->x, "Cy", "scout", CY);
	t->di = player(t->x, "Di", "scholar", DI);
	fake_ops_clear(&t->x->f);
	*state = t;
	return 0;
}

static int sfx_teardown(void **state)
{
	struct sfx *t = *state;
	void *inner = t->x;

	cfx_teardown(&inner);
	free(t);
	return 0;
}

static void pulses(struct cfx *x, int n)
{
	for (int i = 0; i < n; i++) {
		world_pulse(x->w);
		world_reap(x->w);
	}
}

static void test_skills_by_path_and_level(void **state)
{
	struct sfx *t = *state;
	struct cfx *x = t->x;

	cfx_do(x, x->ayla, "skills");
	CFX_SAW(x, CFX_AYLA, "kick");
	CFX_SAW(x, CFX_AYLA, "bash");
	CFX_SAW(x, CFX_AYLA, "not yet");
	CFX_NOT_SAW(x, CFX_AYLA, "sneak");
	cfx_do(x, t->di, "skills");
	CFX_SAW(x, DI, "light");
	CFX_SAW(x, DI, "ward");
	cfx_do(x, x->ayla, "sneak");
	CFX_SAW(x, CFX_AYLA, "You do not know how to sneak: it is a scout's skill.");
	cfx_do(x, t->di, "ward");
	CFX_SAW(x, DI, "You will learn to ward at level 4.");
	cfx_do(x, t->cy, "kick");
	CFX_SAW(x, CY, "a fighter's skill");
}

static void test_kick_costs_and_cooldown(void **state)
{
	struct sfx *t = *state;
	struct cfx *x = t->x;
	struct character *crow = cfx_mob(x, "t:crow", x->square);
	int moves = x->ayla->move;

	cfx_do(x, x->ayla, "kick");
	CFX_SAW(x, CFX_AYLA, "Kick whom?");
	assert_int_equal(x->ayla->move, moves);
	cfx_do(x, x->ayla, "kick crow");
	assert_ptr_equal(x->ayla->fighting, crow);
	assert_int_equal(x->ayla->move, moves - 4);
	assert_true(cfx_saw(x, CFX_AYLA, "Your kick"));
	cfx_do(x, x->ayla, "kick");
	CFX_SAW(x, CFX_AYLA, "You can kick again in 6 seconds.");
	assert_int_equal(x->ayla->move, moves - 4);
	pulses(x, 59);
	cfx_do(x, x->ayla, "kick");
	CFX_SAW(x, CFX_AYLA, "You can kick again in 1 second.");
	pulses(x, 1);
	cfx_do(x, x->ayla, "kick");
	CFX_SAW(x, CFX_AYLA, "Your kick");
	cfx_do(x, x->ayla, "skills");
	CFX_SAW(x, CFX_AYLA, "ready in");
	x->ayla->move = 1;
	x->ayla->cooldown_until_ms[0] = 0;
	cfx_do(x, x->ayla, "kick");
	CFX_SAW(x, CFX_AYLA, "You are too tired to kick.");
}

static void test_bash_dazes(void **state)
{
	struct sfx *t = *state;
	struct cfx *x = t->x;
	struct character *crow = cfx_mob(x, "t:crow", x->square);
	bool landed = false;

	x->ayla->level = 3;
	for (int i = 0; i < 30 && !landed; i++) {
		x->ayla->cooldown_until_ms[1] = 0;
		x->ayla->stun_until_ms = 0;
		x->ayla->move = x->ayla->max_move;
		cfx_do(x, x->ayla, "bash crow");
		landed = cfx_saw(x, CFX_AYLA, "You slam into a fat crow and send them reeling!");
		if (!landed)
			CFX_SAW(x, CFX_AYLA, "fall flat on your face");
	}
	assert_true(landed);
	assert_true(crow->stun_until_ms > world_now_ms(x->w));
	/* The dazed crow loses its next round. */
	fake_ops_clear(&x->f);
	pulses(x, 30 - (int)(world_now_ms(x->w) % 3000) / 100);
	CFX_SAW(x, CFX_AYLA, "A fat crow reels, too dazed to fight back.");
}

static void test_sneak(void **state)
{
	struct sfx *t = *state;
	struct cfx *x = t->x;
	struct fake_script fs;
	struct mob_proto *m = world_find_mob_proto(x->w, "t:crow");

	fake_script_init(&fs, x->w);
	m->triggers = TRIG_BIT(TRIG_GREET, false);
	cfx_mob(x, "t:crow", x->inn);
	cfx_do(x, t->cy, "sneak");
	CFX_SAW(x, CY, "keeping to the shadows");
	cfx_do(x, t->cy, "north");
	assert_ptr_equal(t->cy->room, x->inn);
	CFX_NOT_SAW(x, CFX_BO, "Cy leaves");
	assert_int_equal(fake_script_count(&fs, TRIG_GREET, false), 0);
	cfx_do(x, t->cy, "skills");
	CFX_SAW(x, CY, "You are sneaking (");
	fake_ops_clear(&x->f);
	pulses(x, 1200);
	CFX_SAW(x, CY, "You stop moving so carefully.");
	cfx_do(x, t->cy, "south");
	CFX_SAW(x, CFX_BO, "Cy arrives from the north.");
	cfx_do(x, t->cy, "north");
	assert_int_equal(fake_script_count(&fs, TRIG_GREET, false), 1);
	world_set_script_ops(x->w, NULL);
	fake_script_fini(&fs);
}

static void test_backstab(void **state)
{
	struct sfx *t = *state;
	struct cfx *x = t->x;
	struct character *crow = cfx_mob(x, "t:crow", x->square);
	struct item *knife;

	cfx_do(x, t->cy, "backstab crow");
	CFX_SAW(x, CY, "You will learn to backstab at level 2.");
	t->cy->level = 2;
	cfx_do(x, t->cy, "bs crow");
	CFX_SAW(x, CY, "You need to wield a dagger or a knife to backstab.");
	knife = cfx_item_on(x, "t:knife", t->cy);
	assert_int_equal(item_equip(t->cy, knife, WEAR_WIELD), 0);
	world_attack(x->w, x->ayla, crow);
	cfx_do(x, t->cy, "backstab crow");
	CFX_SAW(x, CY, "A fat crow is too alert for that now.");
	world_char_teleport(x->w, x->ayla, x->inn);
	assert_null(crow->fighting);
	cfx_do(x, t->cy, "backstab crow");
	CFX_SAW(x, CY, "Your backstab");
	assert_ptr_equal(t->cy->fighting, crow);
	assert_true(t->cy->cooldown_until_ms[3] > world_now_ms(x->w));
}

static void test_light_mote(void **state)
{
	struct sfx *t = *state;
	struct cfx *x = t->x;

	cfx_place(t->di, x->cellar);
	cfx_place(x->bo, x->cellar);
	assert_false(world_room_is_lit(x->cellar));
	cfx_do(x, t->di, "light");
	CFX_SAW(x, DI, "breathe a mote of light");
	assert_true(world_room_is_lit(x->cellar));
	assert_int_equal(t->di->mana, t->di->max_mana - 5);
	cfx_do(x, x->bo, "look");
	CFX_SAW(x, CFX_BO, "A mote of warm light hangs in the air here");
	cfx_do(x, x->bo, "get mote");
	CFX_SAW(x, CFX_BO, "You cannot take a glowing mote.");
	fake_ops_clear(&x->f);
	pulses(x, 4 * 600);
	CFX_SAW(x, CFX_BO, "A glowing mote flickers and fades away.");
	assert_false(world_room_is_lit(x->cellar));
}

static void test_mend_and_mana(void **state)
{
	struct sfx *t = *state;
	struct cfx *x = t->x;

	t->di->level = 2;
	x->bo->hp = 5;
	cfx_do(x, t->di, "mend bo");
	CFX_SAW(x, CFX_BO, "Di lays a hand on your wounds");
	assert_true(x->bo->hp >= 5 + 8 && x->bo->hp <= 5 + 12);
	assert_int_equal(t->di->mana, t->di->max_mana - 8);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Char.Vitals"), 1);
	t->di->mana = 3;
	t->di->cooldown_until_ms[5] = 0;
	cfx_do(x, t->di, "mend");
	CFX_SAW(x, DI, "You need 8 mana to mend.");
}

static void test_ward(void **state)
{
	struct sfx *t = *state;
	struct cfx *x = t->x;
	struct character *crow = cfx_mob(x, "t:crow", x->square);
	int hp;

	t->di->level = 4;
	cfx_do(x, t->di, "ward");
	CFX_SAW(x, CFX_AYLA, "a faint shimmer settles around them");
	hp = t->di->hp;
	fight_deal(x->w, crow, t->di, 9, NULL);
	assert_int_equal(t->di->hp, hp - 6);
	cfx_do(x, t->di, "skills");
	CFX_SAW(x, DI, "A ward surrounds you (1:30 left).");
	fake_ops_clear(&x->f);
	pulses(x, 900);
	CFX_SAW(x, DI, "Your ward flickers and fades.");
	hp = t->di->hp;
	fight_deal(x->w, crow, t->di, 9, NULL);
	assert_int_equal(t->di->hp, hp - 9);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sfx_setup, sfx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_skills_by_path_and_level),
		T(test_kick_costs_and_cooldown),
		T(test_bash_dazes),
		T(test_sneak),
		T(test_backstab),
		T(test_light_mote),
		T(test_mend_and_mana),
		T(test_ward),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
