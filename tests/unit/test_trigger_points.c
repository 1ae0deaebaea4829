/*
 * test_trigger_points.c: every point where the game fires a trigger, with a
 * fake script layer (fake_script.h) that records the events, vetoes on
 * demand and runs test code inside a trigger: the fields of each event,
 * the order of leave/enter/greet, before-triggers that veto, nothing fired
 * without the bits, ticks and time, destroyed() on reap, triggers that
 * destroy what the game is walking, and the nesting cap.
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

struct tfx {
	struct cfx *x; /* first: cfx_do() and friends take it */
	struct fake_script fs;
	struct mob_proto *sage;
	struct item_proto *horn;
};

static uint64_t all_bits(void)
{
	uint64_t b = 0;

	for (int t = 0; t < TRIG_COUNT; t++)
		b |= TRIG_BIT(t, false) | TRIG_BIT(t, true);
	return b;
}

static int tfx_setup(void **state)
{
	struct tfx *t = xcalloc(1, sizeof(*t));
	void *inner;

	cfx_setup(&inner);
	t->x = inner;
	fake_script_init(&t->fs, t->x->w);
	t->sage = world_mob_proto_new(t->x->w, t->x->a, "t:sage");
	world_set_str(&t->sage->keywords, "sage old");
	world_set_str(&t->sage->short_desc, "an old sage");
	t->sage->hp = 20;
	t->sage->level = 1;
	t->horn = cfx_proto(t->x, "t:horn", ITEM_OTHER, "horn brass", "a brass horn",
			    "A brass horn lies here.");
	t->horn->wear_slots = 1u << WEAR_NECK;
	*state = t;
	return 0;
}

static int tfx_teardown(void **state)
{
	struct tfx *t = *state;
	void *inner = t->x;

	cfx_teardown(&inner);
	fake_script_fini(&t->fs);
	free(t);
	return 0;
}

static struct character *sage_in(struct tfx *t, struct room *room)
{
	return cfx_mob(t->x, "t:sage", room);
}

/* ---- names ---------------------------------------------------------------------- */

static void test_names(void **state)
{
	static const char *const names[] = {
		"enter", "leave", "say",  "command",  "drop",  "look",	   "tick",  "reset",
		"spawn", "greet", "give", "attacked", "fight", "hp_below", "death", "kill",
		"time",	 "get",	  "wear", "remove",   "use",   "consume",
	};

	(void)state;
	assert_int_equal(sizeof(names) / sizeof(names[0]), TRIG_COUNT);
	for (int i = 0; i < TRIG_COUNT; i++) {
		assert_string_equal(trig_name((enum trig)i), names[i]);
		assert_int_equal(trig_parse(names[i]), i);
	}
	assert_int_equal(trig_parse("greeting"), -1);
	assert_int_equal(trig_parse(NULL), -1);
	assert_null(trig_name(TRIG_COUNT));
	assert_int_not_equal(TRIG_BIT(TRIG_CONSUME, false), TRIG_BIT(TRIG_CONSUME, true));
}

/* ---- nothing without bits ------------------------------------------------------------ */

static void test_no_bits_no_fires(void **state)
{
	struct tfx *t = *state;
	struct character *sage = sage_in(t, t->x->square);

	cfx_do(t->x, t->x->ayla, "say hello");
	cfx_do(t->x, t->x->ayla, "look");
	cfx_do(t->x, t->x->ayla, "look sage");
	cfx_do(t->x, t->x->ayla, "north");
	cfx_do(t->x, t->x->ayla, "south");
	cfx_do(t->x, t->x->bo, "kill sage");
	for (int i = 0; i < 100; i++)
		world_pulse(t->x->w);
	assert_int_equal(t->fs.n, 0);
	(void)sage;
}

/* ---- moving -------------------------------------------------------------------------- */

static void test_move_fires_leave_enter_greet_in_order(void **state)
{
	struct tfx *t = *state;
	struct character *sage = sage_in(t, t->x->inn);
	const struct fake_event *e;

	t->x->square->triggers = TRIG_BIT(TRIG_LEAVE, true) | TRIG_BIT(TRIG_LEAVE, false);
	t->x->inn->triggers = TRIG_BIT(TRIG_ENTER, false);
	t->sage->triggers = TRIG_BIT(TRIG_GREET, false);
	cfx_do(t->x, t->x->ayla, "north");
	assert_ptr_equal(t->x->ayla->room, t->x->inn);
	assert_int_equal(t->fs.n, 4);
	assert_true(t->fs.ev[0].ev.trig == TRIG_LEAVE && t->fs.ev[0].ev.before);
	assert_true(t->fs.ev[1].ev.trig == TRIG_LEAVE && !t->fs.ev[1].ev.before);
	assert_int_equal(t->fs.ev[2].ev.trig, TRIG_ENTER);
	assert_int_equal(t->fs.ev[3].ev.trig, TRIG_GREET);
	e = &t->fs.ev[0];
	assert_int_equal(e->ev.self, t->x->square->ref);
	assert_int_equal(e->ev.actor, t->x->ayla->ref);
	assert_int_equal(e->ev.dir, DIR_NORTH);
	assert_int_equal(t->fs.ev[1].ev.dir, DIR_NORTH);
	/* Entering from the south side of the inn. */
	assert_int_equal(t->fs.ev[2].ev.self, t->x->inn->ref);
	assert_int_equal(t->fs.ev[2].ev.dir, DIR_SOUTH);
	assert_int_equal(t->fs.ev[3].ev.self, sage->ref);
	assert_int_equal(t->fs.ev[3].ev.actor, t->x->ayla->ref);
	assert_int_equal(t->fs.ev[3].ev.dir, DIR_SOUTH);
	/* The player saw the room before anything greeted her. */
	CFX_SAW(t->x, CFX_AYLA, "The Crooked Inn");
}

static void test_before_leave_veto_keeps_ch(void **state)
{
	struct tfx *t = *state;
	int moves = t->x->ayla->move;

	t->x->square->triggers = TRIG_BIT(TRIG_LEAVE, true) | TRIG_BIT(TRIG_LEAVE, false);
	t->fs.veto = TRIG_BIT(TRIG_LEAVE, true);
	assert_int_equal(world_char_move(t->x->w, t->x->ayla, DIR_NORTH), -1);
	assert_ptr_equal(t->x->ayla->room, t->x->square);
	assert_int_equal(t->x->ayla->move, moves);
	assert_int_equal(fake_script_count(&t->fs, TRIG_LEAVE, false), 0);
	CFX_NOT_SAW(t->x, CFX_BO, "leaves");
}

static void test_teleport_fires_with_no_direction(void **state)
{
	struct tfx *t = *state;

	t->x->square->triggers = TRIG_BIT(TRIG_LEAVE, false);
	t->x->field->triggers = TRIG_BIT(TRIG_ENTER, false);
	fake_ops_clear(&t->x->f);
	world_char_teleport(t->x->w, t->x->ayla, t->x->field);
	assert_ptr_equal(t->x->ayla->room, t->x->field);
	assert_int_equal(fake_script_last(&t->fs, TRIG_LEAVE, false)->ev.dir, -1);
	assert_int_equal(fake_script_last(&t->fs, TRIG_ENTER, false)->ev.dir, -1);
	CFX_SAW(t->x, CFX_BO, "Ayla vanishes.");
	CFX_SAW(t->x, CFX_AYLA, "A Bramble Field");
}

/* ---- talking and commands --------------------------------------------------------- */

static void test_say_reaches_room_and_mobs(void **state)
{
	struct tfx *t = *state;
	struct character *s1 = sage_in(t, t->x->square), *s2 = sage_in(t, t->x->square);

	cfx_mob(t->x, "t:cat", t->x->square);
	t->x->square->triggers = TRIG_BIT(TRIG_SAY, false);
	t->sage->triggers = TRIG_BIT(TRIG_SAY, false);
	cfx_do(t->x, t->x->ayla, "say the {rledger pages?");
	assert_int_equal(fake_script_count(&t->fs, TRIG_SAY, false), 3);
	assert_int_equal(t->fs.ev[0].ev.self, t->x->square->ref);
	assert_int_equal(t->fs.ev[1].ev.self, s1->ref);
	assert_int_equal(t->fs.ev[2].ev.self, s2->ref);
	/* Triggers hear what was typed, not the escaped markup. */
	assert_string_equal(t->fs.ev[1].text, "the {rledger pages?");
	assert_int_equal(t->fs.ev[1].ev.actor, t->x->ayla->ref);
	/* A mob saying something: the room and the other sage hear, not the speaker. */
	fake_script_clear(&t->fs);
	world_say(t->x->w, s1, "Hello, {ytraveller{x.");
	assert_int_equal(fake_script_count(&t->fs, TRIG_SAY, false), 2);
	assert_string_equal(fake_script_last(&t->fs, TRIG_SAY, false)->text, "Hello, traveller.");
	assert_int_equal(fake_script_last(&t->fs, TRIG_SAY, false)->ev.self, s2->ref);
	CFX_SAW(t->x, CFX_AYLA, "An old sage says, '{cHello, {ytraveller{x.{x'");
}

/*
 * The walk over a room's people stops after its last mob (players have no
 * triggers): a mob that came after the players is still asked, and the
 * room's count of mobs follows arrivals, departures and extraction.
 */
static void test_mob_after_players_is_asked(void **state)
{
	struct tfx *t = *state;
	struct room *sq = t->x->square;

	t->sage->triggers = TRIG_BIT(TRIG_SAY, false);
	assert_int_equal(sq->mobs, 0);
	cfx_do(t->x, t->x->ayla, "say nobody here");
	assert_int_equal(fake_script_count(&t->fs, TRIG_SAY, false), 0);
	struct character *sage = sage_in(t, sq); /* after Ayla and Bo */
	assert_int_equal(sq->mobs, 1);
	cfx_do(t->x, t->x->bo, "say hello");
	assert_int_equal(fake_script_count(&t->fs, TRIG_SAY, false), 1);
	assert_int_equal(fake_script_last(&t->fs, TRIG_SAY, false)->ev.self, sage->ref);
	struct character *cat = cfx_mob(t->x, "t:cat", sq);
	struct character *sage2 = sage_in(t, sq);
	assert_int_equal(sq->mobs, 3);
	char_to_room(cat, t->x->inn);
	assert_int_equal(sq->mobs, 2);
	assert_int_equal(t->x->inn->mobs, 1);
	char_to_room(t->x->ayla, t->x->inn); /* players do not count */
	assert_int_equal(t->x->inn->mobs, 1);
	fake_script_clear(&t->fs);
	cfx_do(t->x, t->x->bo, "say both of you");
	assert_int_equal(fake_script_count(&t->fs, TRIG_SAY, false), 2);
	assert_int_equal(fake_script_last(&t->fs, TRIG_SAY, false)->ev.self, sage2->ref);
	world_extract_char(t->x->w, sage);
	world_reap(t->x->w);
	assert_int_equal(sq->mobs, 1);
}

static void test_before_command_takes_the_line(void **state)
{
	struct tfx *t = *state;
	struct character *sage = sage_in(t, t->x->square);

	t->x->square->triggers = TRIG_BIT(TRIG_COMMAND, true);
	t->sage->triggers = TRIG_BIT(TRIG_COMMAND, true);
	cfx_do(t->x, t->x->ayla, "  north  ");
	/* Not vetoed: room, then mob, then the command ran. */
	assert_int_equal(fake_script_count(&t->fs, TRIG_COMMAND, true), 2);
	assert_string_equal(t->fs.ev[0].text, "north  ");
	assert_int_equal(t->fs.ev[1].ev.self, sage->ref);
	assert_ptr_equal(t->x->ayla->room, t->x->inn);
	cfx_place(t->x->ayla, t->x->square);
	fake_script_clear(&t->fs);
	t->fs.veto = TRIG_BIT(TRIG_COMMAND, true);
	cfx_do(t->x, t->x->ayla, "north");
	assert_ptr_equal(t->x->ayla->room, t->x->square);
	/* The room took it: the mob never heard it. */
	assert_int_equal(fake_script_count(&t->fs, TRIG_COMMAND, true), 1);
	CFX_NOT_SAW(t->x, CFX_AYLA, "Huh?");
}

/* ---- things ------------------------------------------------------------------------- */

static void test_item_triggers(void **state)
{
	struct tfx *t = *state;
	struct item *horn = cfx_item_in_room(t->x, "t:horn", t->x->square);
	const struct fake_event *e;

	t->horn->triggers = all_bits();
	t->x->square->triggers = TRIG_BIT(TRIG_DROP, false);
	t->fs.veto = TRIG_BIT(TRIG_GET, true);
	cfx_do(t->x, t->x->ayla, "get horn");
	assert_ptr_equal(horn->in_room, t->x->square);
	assert_int_equal(fake_script_count(&t->fs, TRIG_GET, false), 0);
	t->fs.veto = 0;
	fake_script_clear(&t->fs);
	cfx_do(t->x, t->x->ayla, "get horn");
	assert_ptr_equal(horn->carried_by, t->x->ayla);
	assert_int_equal(fake_script_count(&t->fs, TRIG_GET, true), 1);
	e = fake_script_last(&t->fs, TRIG_GET, false);
	assert_non_null(e);
	assert_int_equal(e->ev.self, horn->ref);
	assert_int_equal(e->ev.actor, t->x->ayla->ref);

	cfx_do(t->x, t->x->ayla, "wear horn");
	assert_int_equal(horn->worn_on, WEAR_NECK);
	assert_int_equal(fake_script_last(&t->fs, TRIG_WEAR, false)->ev.self, horn->ref);
	cfx_do(t->x, t->x->ayla, "remove horn");
	assert_int_equal(fake_script_last(&t->fs, TRIG_REMOVE, false)->ev.self, horn->ref);
	cfx_do(t->x, t->x->ayla, "use horn loudly, twice");
	e = fake_script_last(&t->fs, TRIG_USE, false);
	assert_non_null(e);
	assert_string_equal(e->text, "loudly, twice");

	fake_script_clear(&t->fs);
	cfx_do(t->x, t->x->ayla, "drop horn");
	assert_int_equal(t->fs.n, 2);
	assert_int_equal(t->fs.ev[0].ev.self, horn->ref);
	assert_int_equal(t->fs.ev[0].ev.trig, TRIG_DROP);
	assert_int_equal(t->fs.ev[1].ev.self, t->x->square->ref);
	assert_int_equal(t->fs.ev[1].ev.object, horn->ref);
}

static void test_use_without_trigger_says_so(void **state)
{
	struct tfx *t = *state;

	cfx_item_on(t->x, "t:horn", t->x->ayla);
	cfx_do(t->x, t->x->ayla, "use horn");
	CFX_SAW(t->x, CFX_AYLA, "find no use for it");
	assert_int_equal(t->fs.n, 0);
	cfx_do(t->x, t->x->ayla, "use nothing");
	CFX_SAW(t->x, CFX_AYLA, "You see no nothing here.");
}

/* The consume trigger still sees the item; it is gone afterwards. */
static bool hook_item_alive(struct fake_script *fs, const struct trig_event *ev)
{
	if (ev->trig == TRIG_CONSUME) {
		struct item *it = world_ref_item(fs->w, ev->self);
		assert_non_null(it);
		assert_false(it->extracted);
	}
	return false;
}

static void test_consume_sees_the_item(void **state)
{
	struct tfx *t = *state;
	struct item_proto *bread =
		cfx_proto(t->x, "t:bread", ITEM_FOOD, "bread loaf", "a loaf", "A loaf lies here.");
	struct item *it;

	bread->triggers = TRIG_BIT(TRIG_CONSUME, false);
	bread->values[0] = 5;
	it = cfx_item_on(t->x, "t:bread", t->x->ayla);
	t->fs.hook = hook_item_alive;
	t->x->ayla->hp = 10;
	cfx_do(t->x, t->x->ayla, "eat loaf");
	assert_int_equal(fake_script_count(&t->fs, TRIG_CONSUME, false), 1);
	assert_true(it->extracted);
	assert_int_equal(t->x->ayla->hp, 15);
	CFX_SAW(t->x, CFX_AYLA, "You eat a loaf.");
}

static void test_look_fires_for_room_mob_item(void **state)
{
	struct tfx *t = *state;
	struct character *sage = sage_in(t, t->x->square);
	struct item *horn = cfx_item_in_room(t->x, "t:horn", t->x->square);

	t->x->square->triggers = TRIG_BIT(TRIG_LOOK, false);
	t->sage->triggers = TRIG_BIT(TRIG_LOOK, false);
	t->horn->triggers = TRIG_BIT(TRIG_LOOK, false);
	cfx_do(t->x, t->x->ayla, "look");
	cfx_do(t->x, t->x->ayla, "look sage");
	cfx_do(t->x, t->x->ayla, "look horn");
	assert_int_equal(t->fs.n, 3);
	assert_int_equal(t->fs.ev[0].ev.self, t->x->square->ref);
	assert_int_equal(t->fs.ev[1].ev.self, sage->ref);
	assert_int_equal(t->fs.ev[2].ev.self, horn->ref);
	/* Walking in shows the room but is no `look`. */
	cfx_do(t->x, t->x->ayla, "north");
	cfx_do(t->x, t->x->ayla, "south");
	assert_int_equal(t->fs.n, 3);
}

static void test_give_before_and_after(void **state)
{
	struct tfx *t = *state;
	struct character *sage = sage_in(t, t->x->square);
	struct item *horn = cfx_item_on(t->x, "t:horn", t->x->ayla);
	const struct fake_event *e;

	t->sage->triggers = TRIG_BIT(TRIG_GIVE, true) | TRIG_BIT(TRIG_GIVE, false);
	t->fs.veto = TRIG_BIT(TRIG_GIVE, true);
	cfx_do(t->x, t->x->ayla, "give horn sage");
	assert_ptr_equal(horn->carried_by, t->x->ayla);
	assert_int_equal(fake_script_count(&t->fs, TRIG_GIVE, false), 0);
	CFX_NOT_SAW(t->x, CFX_AYLA, "You give");
	t->fs.veto = 0;
	cfx_do(t->x, t->x->ayla, "give horn sage");
	assert_ptr_equal(horn->carried_by, sage);
	e = fake_script_last(&t->fs, TRIG_GIVE, false);
	assert_non_null(e);
	assert_int_equal(e->ev.self, sage->ref);
	assert_int_equal(e->ev.actor, t->x->ayla->ref);
	assert_int_equal(e->ev.object, horn->ref);
}

/* ---- spawns, resets, ticks, time ---------------------------------------------------- */

static void test_spawn_and_reset(void **state)
{
	struct tfx *t = *state;
	struct character *m;

	t->sage->triggers = TRIG_BIT(TRIG_SPAWN, false);
	t->x->inn->triggers = TRIG_BIT(TRIG_RESET, false);
	m = world_mob_spawn(t->x->w, t->sage, t->x->field);
	assert_non_null(m);
	assert_ptr_equal(m->room, t->x->field);
	assert_int_equal(fake_script_last(&t->fs, TRIG_SPAWN, false)->ev.self, m->ref);
	assert_null(world_mob_spawn(t->x->w, t->sage, NULL));

	fake_script_clear(&t->fs);
	world_spawn_add(t->x->w, t->x->a, REF_CHAR, "t:sage", "t:tower", 2);
	world_reset_area(t->x->w, t->x->a);
	assert_int_equal(fake_script_count(&t->fs, TRIG_SPAWN, false), 2);
	assert_int_equal(fake_script_count(&t->fs, TRIG_RESET, false), 1);
	assert_int_equal(fake_script_last(&t->fs, TRIG_RESET, false)->ev.self, t->x->inn->ref);
	/* Spawns come first, then the room's reset. */
	assert_true(fake_script_index(&t->fs, TRIG_SPAWN, false) <
		    fake_script_index(&t->fs, TRIG_RESET, false));
}

/* A spawn trigger that destroys its mob: world_mob_spawn() returns NULL. */
static bool hook_destroy_self(struct fake_script *fs, const struct trig_event *ev)
{
	struct character *m = world_ref_char(fs->w, ev->self);

	if (m)
		world_extract_char(fs->w, m);
	return false;
}

static void test_spawn_trigger_may_destroy(void **state)
{
	struct tfx *t = *state;

	t->sage->triggers = TRIG_BIT(TRIG_SPAWN, false);
	t->fs.hook = hook_destroy_self;
	assert_null(world_mob_spawn(t->x->w, t->sage, t->x->field));
	world_reap(t->x->w);
	assert_int_equal(t->sage->live, 0);
}

static void test_ticks_every_ten_seconds(void **state)
{
	struct tfx *t = *state;
	struct character *sage = sage_in(t, t->x->field);
	struct item *horn = cfx_item_in_room(t->x, "t:horn", t->x->field);

	t->x->field->triggers = TRIG_BIT(TRIG_TICK, false);
	t->sage->triggers = TRIG_BIT(TRIG_TICK, false);
	t->horn->triggers = TRIG_BIT(TRIG_TICK, false);
	for (int i = 0; i < 100; i++)
		world_pulse(t->x->w);
	assert_int_equal(fake_script_count(&t->fs, TRIG_TICK, false), 3);
	for (int i = 0; i < 200; i++)
		world_pulse(t->x->w);
	assert_int_equal(fake_script_count(&t->fs, TRIG_TICK, false), 9);
	for (size_t i = 0; i < t->fs.n; i++)
		assert_true(t->fs.ev[i].ev.self == t->x->field->ref ||
			    t->fs.ev[i].ev.self == sage->ref || t->fs.ev[i].ev.self == horn->ref);
}

static void test_time_trigger_every_game_hour(void **state)
{
	struct tfx *t = *state;
	struct character *sage = sage_in(t, t->x->field);
	const struct fake_event *e;

	t->sage->triggers = TRIG_BIT(TRIG_TIME, false);
	for (int i = 0; i < 599; i++)
		world_pulse(t->x->w);
	assert_int_equal(fake_script_count(&t->fs, TRIG_TIME, false), 0);
	world_pulse(t->x->w);
	e = fake_script_last(&t->fs, TRIG_TIME, false);
	assert_non_null(e);
	assert_int_equal(e->ev.self, sage->ref);
	assert_int_equal(e->ev.number, 9);
	assert_string_equal(e->text, "day");
}

/* ---- destruction ----------------------------------------------------------------------- */

static void test_destroyed_on_reap(void **state)
{
	struct tfx *t = *state;
	struct character *sage = sage_in(t, t->x->field);
	struct item *horn = cfx_item_on(t->x, "t:horn", sage);
	ref_t sref = sage->ref, href = horn->ref;

	world_extract_char(t->x->w, sage);
	assert_false(fake_script_was_destroyed(&t->fs, sref));
	world_reap(t->x->w);
	assert_true(fake_script_was_destroyed(&t->fs, sref));
	assert_true(fake_script_was_destroyed(&t->fs, href));
	assert_null(world_ref_char(t->x->w, sref));
}

/* The first greeter destroys the mob that walked in: the walk stops cleanly. */
static bool hook_greet_kills_actor(struct fake_script *fs, const struct trig_event *ev)
{
	if (ev->trig == TRIG_GREET) {
		struct character *a = world_ref_char(fs->w, ev->actor);
		if (a)
			world_extract_char(fs->w, a);
	}
	return false;
}

static void test_trigger_destroying_actor_stops_walk(void **state)
{
	struct tfx *t = *state;
	struct character *cat = cfx_mob(t->x, "t:cat", t->x->square);
	struct character *walker = cfx_player(t->x, "Cy", PRONOUNS_THEY, 3);

	sage_in(t, t->x->inn);
	sage_in(t, t->x->inn);
	t->sage->triggers = TRIG_BIT(TRIG_GREET, false);
	t->x->inn->triggers = TRIG_BIT(TRIG_ENTER, false);
	/* Mobs walking in are not greeted; the room still hears them enter. */
	assert_int_equal(world_char_move(t->x->w, cat, DIR_NORTH), 0);
	assert_int_equal(fake_script_count(&t->fs, TRIG_GREET, false), 0);
	assert_int_equal(fake_script_count(&t->fs, TRIG_ENTER, false), 1);
	t->fs.hook = hook_greet_kills_actor;
	assert_int_equal(world_char_move(t->x->w, walker, DIR_NORTH), 0);
	assert_true(walker->extracted);
	assert_int_equal(fake_script_count(&t->fs, TRIG_GREET, false), 1);
	world_reap(t->x->w);
}

/* The first greeter destroys the second before its turn: it is skipped. */
static bool hook_greet_kills_other(struct fake_script *fs, const struct trig_event *ev)
{
	struct character *self = world_ref_char(fs->w, ev->self);

	if (ev->trig != TRIG_GREET || !self)
		return false;
	DLIST_FOREACH(&self->room->people, l)
	{
		struct character *o = dlist_entry(l, struct character, room_link);

		if (o != self && o->proto == self->proto) {
			world_extract_char(fs->w, o);
			break;
		}
	}
	return false;
}

static void test_trigger_destroying_next_greeter(void **state)
{
	struct tfx *t = *state;

	sage_in(t, t->x->inn);
	sage_in(t, t->x->inn);
	t->sage->triggers = TRIG_BIT(TRIG_GREET, false);
	t->fs.hook = hook_greet_kills_other;
	cfx_do(t->x, t->x->ayla, "north");
	assert_int_equal(fake_script_count(&t->fs, TRIG_GREET, false), 1);
	world_reap(t->x->w);
}

/* A say trigger that makes its mob say something: the nesting is capped. */
static bool hook_echo_chamber(struct fake_script *fs, const struct trig_event *ev)
{
	struct character *self = world_ref_char(fs->w, ev->self);

	if (ev->trig == TRIG_SAY && self)
		world_say(fs->w, self, "And another thing!");
	return false;
}

static void test_nesting_is_capped(void **state)
{
	struct tfx *t = *state;

	sage_in(t, t->x->square);
	sage_in(t, t->x->square);
	t->sage->triggers = TRIG_BIT(TRIG_SAY, false);
	t->fs.hook = hook_echo_chamber;
	cfx_do(t->x, t->x->ayla, "say hello");
	assert_true(t->fs.n > 0);
	for (size_t i = 0; i < t->fs.n; i++)
		assert_true(t->fs.ev[i].depth < WORLD_FIRE_MAX_DEPTH);
	assert_int_equal(t->fs.n, 2 * WORLD_FIRE_MAX_DEPTH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_no_bits_no_fires, tfx_setup, tfx_teardown),
		cmocka_unit_test_setup_teardown(test_move_fires_leave_enter_greet_in_order,
						tfx_setup, tfx_teardown),
		cmocka_unit_test_setup_teardown(test_before_leave_veto_keeps_ch, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_teleport_fires_with_no_direction, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_say_reaches_room_and_mobs, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_mob_after_players_is_asked, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_before_command_takes_the_line, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_item_triggers, tfx_setup, tfx_teardown),
		cmocka_unit_test_setup_teardown(test_use_without_trigger_says_so, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_consume_sees_the_item, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_look_fires_for_room_mob_item, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_give_before_and_after, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_spawn_and_reset, tfx_setup, tfx_teardown),
		cmocka_unit_test_setup_teardown(test_spawn_trigger_may_destroy, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_ticks_every_ten_seconds, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_time_trigger_every_game_hour, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_destroyed_on_reap, tfx_setup, tfx_teardown),
		cmocka_unit_test_setup_teardown(test_trigger_destroying_actor_stops_walk, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_trigger_destroying_next_greeter, tfx_setup,
						tfx_teardown),
		cmocka_unit_test_setup_teardown(test_nesting_is_capped, tfx_setup, tfx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
