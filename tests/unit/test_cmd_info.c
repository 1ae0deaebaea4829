/*
 * test_cmd_info.c: look (the room, dark rooms, grouped items, people with
 * titles and link-dead marks, a crowd cut to 30 lines, someone, something, details, directions and
 * doors, container insides), exits, who, score, inventory, equipment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "cmd_fixture.h"
#include "game/cmd.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

static void test_look_room(void **state)
{
	struct cfx *x = *state;
	const char *text;

	for (int i = 0; i < 3; i++)
		cfx_item_in_room(x, "t:coin", x->square);
	cfx_item_in_room(x, "t:statue", x->square);
	cfx_mob(x, "t:cat", x->square);
	cfx_do(x, x->ayla, "look");
	text = cfx_text(x, CFX_AYLA);
	assert_true(strncmp(text, "{CLantern Square{x\nLanterns hang over a dry fountain.\n", 53) ==
		    0);
	/* Hidden exits are not listed; closed doors are in parentheses. */
	CFX_SAW(x, CFX_AYLA, "{c[Exits: north east (south)]{x\n");
	CFX_SAW(x, CFX_AYLA, "( 3) A copper coin glints here.\n");
	CFX_SAW(x, CFX_AYLA, "A marble statue stands here.\n");
	CFX_SAW(x, CFX_AYLA, "{yA grey cat washes itself here.\n");
	CFX_SAW(x, CFX_AYLA, "{yBo the newcomer is here.{x\n");
	CFX_NOT_SAW(x, CFX_AYLA, "Ayla the newcomer");
	/* Every look also sends Room.Info and the room's item list. */
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, "Room.Info"), 1);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, "Char.Items.List"), 1);
}

static void test_look_people_positions_and_linkdead(void **state)
{
	struct cfx *x = *state;
	struct character *cat = cfx_mob(x, "t:cat", x->square);

	cat->pos = POS_SLEEPING;
	x->bo->pos = POS_RESTING;
	cfx_do(x, x->ayla, "look");
	CFX_SAW(x, CFX_AYLA, "{yA grey cat is sleeping here.{x\n");
	CFX_SAW(x, CFX_AYLA, "{yBo the newcomer is resting here.{x\n");
	x->bo->pos = POS_STANDING;
	world_player_linkdead(x->w, x->bo);
	cfx_do(x, x->ayla, "look");
	CFX_SAW(x, CFX_AYLA, "{yBo the newcomer is here.{x {R(link-dead){x\n");
}

/* Crowd-<n>: n from 0, as letters (names are letters only). */
static struct character *crowd_player(struct cfx *x, int n)
{
	char name[8] = "Crowd";

	name[5] = (char)('a' + n / 26);
	name[6] = (char)('a' + n % 26);
	return cfx_player(x, name, PRONOUNS_THEY, (uint32_t)(100 + n));
}

/* Players past the first 30 in Room.Info. */
static json_int_t players_more(struct cfx *x, uint32_t session)
{
	json_t *info = cfx_json(x, session, "Room.Info");
	json_int_t more;

	assert_non_null(info);
	more = json_integer_value(json_object_get(info, "players_more"));
	json_decref(info);
	return more;
}

/*
 * In a crowd, the first arrival of a pulse updates everyone's Room.Info at
 * once; the next ones in the same pulse go together at the next pulse.
 */
static void test_room_info_in_a_crowd_once_a_pulse(void **state)
{
	struct cfx *x = *state;

	/* Ayla, Bo and 31 others: 33 people, a crowd. Their arrivals' Room.Info
	 * goes at the first pulse; nothing is left for the second. */
	for (int i = 0; i < 31; i++)
		crowd_player(x, i);
	fake_ops_clear(&x->f);
	world_pulse(x->w);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Room.Info"), 1);
	world_pulse(x->w);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Room.Info"), 1);
	fake_ops_clear(&x->f);
	crowd_player(x, 31);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Room.Info"), 1);
	assert_int_equal(players_more(x, CFX_BO), 4);
	fake_ops_clear(&x->f);
	crowd_player(x, 32);
	crowd_player(x, 33);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Room.Info"), 0);
	world_pulse(x->w);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Room.Info"), 1);
	assert_int_equal(players_more(x, CFX_BO), 6);
	/* The last to come gets it too (its own on entering, then this one). */
	assert_int_equal(fake_ops_data_count(&x->f, 133, "Room.Info"), 2);
	/* Another arrival in the same pulse waits; a quit in a quiet pulse goes at once. */
	fake_ops_clear(&x->f);
	crowd_player(x, 34);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, "Room.Info"), 0);
	world_pulse(x->w);
	world_pulse(x->w);
	fake_ops_clear(&x->f);
	cfx_do(x, x->bo, "quit");
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, "Room.Info"), 1);
	assert_int_equal(players_more(x, CFX_AYLA), 6);
	world_reap(x->w);
	x->bo = NULL;
}

/* A room of 32 or fewer gets every change at once. */
static void test_room_info_in_a_small_room_at_once(void **state)
{
	struct cfx *x = *state;

	for (int i = 0; i < 28; i++)
		crowd_player(x, i);
	world_pulse(x->w);
	fake_ops_clear(&x->f);
	crowd_player(x, 28);
	crowd_player(x, 29);
	/* 32 people after the second: both changes went out. */
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Room.Info"), 2);
	assert_int_equal(players_more(x, CFX_BO), 2);
	world_pulse(x->w);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Room.Info"), 2);
}

static size_t count_of(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_look_crowd(void **state)
{
	struct cfx *x = *state;
	struct character *last = NULL;
	const char *text;
	json_t *info;

	/* 30 others (Bo, 28 players, a cat): everyone, the mob first though it came last. */
	for (int i = 0; i < 28; i++)
		crowd_player(x, i);
	cfx_mob(x, "t:cat", x->square);
	cfx_do(x, x->ayla, "look");
	text = cfx_text(x, CFX_AYLA);
	assert_int_equal(count_of(text, "{y"), 30);
	CFX_NOT_SAW(x, CFX_AYLA, "...and");
	assert_true(strstr(text, "A grey cat") < strstr(text, "Bo the newcomer"));
	assert_true(strstr(text, "Bo the newcomer") < strstr(text, "Crowdaa"));
	assert_true(strstr(text, "Crowdaa") < strstr(text, "Crowdab"));
	/* Room.Info: all 30 players, no count. */
	info = cfx_json(x, CFX_AYLA, "Room.Info");
	assert_int_equal(json_array_size(json_object_get(info, "players")), 30);
	assert_null(json_object_get(info, "players_more"));
	json_decref(info);

	/* 31 others: the mob first, then players up to 30 lines, then a count. */
	crowd_player(x, 28);
	cfx_do(x, x->ayla, "look");
	text = cfx_text(x, CFX_AYLA);
	info = cfx_json(x, CFX_AYLA, "Room.Info");
	assert_int_equal(json_array_size(json_object_get(info, "players")), 30);
	assert_int_equal(json_integer_value(json_object_get(info, "players_more")), 1);
	json_decref(info);
	assert_true(strstr(text, "A grey cat") < strstr(text, "Bo the newcomer"));
	CFX_NOT_SAW(x, CFX_AYLA, "Crowdbc");
	CFX_SAW(x, CFX_AYLA, "{y...and 1 other is here.{x\n");

	/* 37 others: both mobs, 28 players, and 7 more. */
	for (int i = 29; i < 33; i++)
		crowd_player(x, i);
	last = cfx_player(x, "Lastcomer", PRONOUNS_THEY, 15);
	cfx_mob(x, "t:cat", x->square);
	cfx_do(x, x->ayla, "look");
	text = cfx_text(x, CFX_AYLA);
	assert_int_equal(count_of(text, "A grey cat washes itself here."), 2);
	assert_true(strstr(text, "A grey cat") < strstr(text, "Bo the newcomer"));
	CFX_SAW(x, CFX_AYLA, "{y...and 7 others are here.{x\n");
	assert_int_equal(count_of(text, "{y"), 31);

	/* Room.Info names the first 30 players (Ayla among them) and counts the rest. */
	info = cfx_json(x, CFX_AYLA, "Room.Info");
	assert_int_equal(json_array_size(json_object_get(info, "players")), 30);
	assert_string_equal(json_string_value(json_array_get(json_object_get(info, "players"), 0)),
			    "Ayla");
	assert_int_equal(json_integer_value(json_object_get(info, "players_more")), 6);
	json_decref(info);

	/* The last to arrive sees the same 37 others: itself is not counted. */
	cfx_do(x, last, "look");
	text = cfx_text(x, 15);
	CFX_SAW(x, 15, "{y...and 7 others are here.{x\n");
	assert_int_equal(count_of(text, "{y"), 31);
	assert_non_null(strstr(text, "Ayla"));
}

static void test_look_dark_room(void **state)
{
	struct cfx *x = *state;
	struct item *lantern;

	cfx_item_in_room(x, "t:coin", x->cellar);
	cfx_mob(x, "t:cat", x->cellar);
	cfx_place(x->ayla, x->cellar);
	cfx_do(x, x->ayla, "look");
	CFX_SAW(x, CFX_AYLA, "{KDarkness{x");
	CFX_SAW(x, CFX_AYLA, "pitch black");
	CFX_SAW(x, CFX_AYLA, "[Exits: up]");
	CFX_NOT_SAW(x, CFX_AYLA, "coin");
	CFX_NOT_SAW(x, CFX_AYLA, "cat");
	cfx_do(x, x->ayla, "look cat");
	CFX_SAW(x, CFX_AYLA, "too dark");
	/* A lantern held up lights the room. */
	lantern = cfx_item_on(x, "t:lantern", x->ayla);
	assert_int_equal(item_equip(x->ayla, lantern, WEAR_LIGHT), 0);
	cfx_do(x, x->ayla, "look");
	CFX_SAW(x, CFX_AYLA, "{CA Cellar{x");
	CFX_SAW(x, CFX_AYLA, "A copper coin glints here.");
	CFX_SAW(x, CFX_AYLA, "A grey cat washes itself here.");
}

static void test_look_at_things(void **state)
{
	struct cfx *x = *state;
	struct item *sword;

	cfx_mob(x, "t:cat", x->square);
	sword = cfx_item_on(x, "t:sword", x->ayla);
	cfx_item_in_room(x, "t:rusty", x->square);
	cfx_item_in_room(x, "t:lantern", x->square);

	cfx_do(x, x->ayla, "look cat");
	CFX_SAW(x, CFX_AYLA, "The cat ignores you with great skill.");
	CFX_SAW(x, CFX_AYLA, "A grey cat is in perfect health.");
	CFX_SAW(x, CFX_BO, "Ayla looks at a grey cat.");
	cfx_do(x, x->ayla, "look at bo");
	CFX_SAW(x, CFX_AYLA, "You see nothing special about him.");
	CFX_SAW(x, CFX_BO, "Ayla looks at you.");
	cfx_do(x, x->ayla, "look me");
	CFX_SAW(x, CFX_AYLA, "You are in perfect health.");
	CFX_SAW(x, CFX_BO, "Ayla looks herself over.");

	cfx_do(x, x->ayla, "look sword");
	CFX_SAW(x, CFX_AYLA, "Its edge is keen.");
	cfx_do(x, x->ayla, "look 2.sword");
	CFX_SAW(x, CFX_AYLA, "You see nothing special about a rusty sword.");
	assert_int_equal(item_equip(x->ayla, sword, WEAR_WIELD), 0);
	cfx_do(x, x->ayla, "look steel");
	CFX_SAW(x, CFX_AYLA, "Its edge is keen.");
	cfx_do(x, x->bo, "look ayla");
	CFX_SAW(x, CFX_BO, "Ayla is using:\n<wielded>            a steel sword\n");

	/* Details: of the room, and of things seen. */
	cfx_do(x, x->ayla, "look fountain");
	CFX_SAW(x, CFX_AYLA, "A stone fish spits no water.\n");
	cfx_do(x, x->ayla, "look basin");
	CFX_SAW(x, CFX_AYLA, "A stone fish spits no water.\n");
	cfx_do(x, x->ayla, "look glass");
	CFX_SAW(x, CFX_AYLA, "Etched with a tiny fox.");
	cfx_do(x, x->ayla, "look unicorn");
	CFX_SAW(x, CFX_AYLA, "You do not see that here.");
}

static void test_look_directions_and_doors(void **state)
{
	struct cfx *x = *state;

	cfx_do(x, x->ayla, "look south");
	CFX_SAW(x, CFX_AYLA, "Iron bars, rusted at the hinges.\nThe gate is closed.\n");
	CFX_NOT_SAW(x, CFX_AYLA, "The Yard");
	cfx_do(x, x->ayla, "look n");
	CFX_SAW(x, CFX_AYLA, "To the north lies The Crooked Inn.");
	cfx_do(x, x->ayla, "look west");
	CFX_SAW(x, CFX_AYLA, "You see nothing special that way.");
	x->square->exits[DIR_SOUTH]->flags &= ~(EXIT_CLOSED | EXIT_LOCKED);
	cfx_do(x, x->ayla, "look s");
	CFX_SAW(x, CFX_AYLA, "The gate is open.\nTo the south lies The Yard.\n");
}

static void test_look_in_containers(void **state)
{
	struct cfx *x = *state;
	struct item *bag = cfx_item_on(x, "t:bag", x->ayla);
	struct item *chest = cfx_item_in_room(x, "t:chest", x->square);

	item_to_item(cfx_item(x, "t:coin"), bag);
	item_to_item(cfx_item(x, "t:coin"), bag);
	item_to_item(cfx_item(x, "t:gem"), bag);
	cfx_do(x, x->ayla, "look in bag");
	CFX_SAW(x, CFX_AYLA, "A leather satchel holds:\n( 2) a copper coin\n     a blue gem\n");
	cfx_do(x, x->ayla, "look in chest");
	CFX_SAW(x, CFX_AYLA, "An oak chest is closed.");
	chest->flags &= ~(ITEM_CLOSED | ITEM_LOCKED);
	cfx_do(x, x->ayla, "look in chest");
	CFX_SAW(x, CFX_AYLA, "An oak chest holds:\n     Nothing.\n");
	cfx_do(x, x->ayla, "look in satchel");
	CFX_SAW(x, CFX_AYLA, "a blue gem");
	cfx_do(x, x->ayla, "look in bo");
	CFX_SAW(x, CFX_AYLA, "You see no bo here.");
	cfx_item_on(x, "t:rock", x->ayla);
	cfx_do(x, x->ayla, "look in rock");
	CFX_SAW(x, CFX_AYLA, "A rock is not a container.");
	cfx_do(x, x->ayla, "look chest");
	CFX_SAW(x, CFX_AYLA, "It is open ('look in' it).");
}

static void test_exits(void **state)
{
	struct cfx *x = *state;

	cfx_do(x, x->ayla, "exits");
	CFX_SAW(x, CFX_AYLA,
		"Obvious exits:\nNorth - The Crooked Inn\nEast  - A Bramble Field\n"
		"South - (a closed gate)\n");
	CFX_NOT_SAW(x, CFX_AYLA, "Tower");
	cfx_place(x->ayla, x->cellar);
	cfx_do(x, x->ayla, "exits");
	CFX_SAW(x, CFX_AYLA, "Up    - Too dark to tell");
	cfx_place(x->ayla, x->yard);
	x->yard->exits[DIR_NORTH]->flags |= EXIT_HIDDEN;
	cfx_do(x, x->ayla, "exits");
	CFX_SAW(x, CFX_AYLA, "None.");
	cfx_do(x, x->ayla, "look");
	CFX_SAW(x, CFX_AYLA, "[Exits: none]");
}

static void test_who(void **state)
{
	struct cfx *x = *state;
	const char *text;

	x->bo->level = 5;
	x->bo->pc->roles = PLAYER_ROLE_BUILDER;
	cfx_do(x, x->ayla, "who");
	text = cfx_text(x, CFX_AYLA);
	CFX_SAW(x, CFX_AYLA, "{WPlayers in Testland MUD{x");
	CFX_SAW(x, CFX_AYLA, "[  5 Fighter ] Bo the newcomer {M(builder){x\n");
	CFX_SAW(x, CFX_AYLA, "Ayla the newcomer\n");
	CFX_SAW(x, CFX_AYLA, "2 players online.");
	/* Sorted by level: Bo first. */
	assert_true(strstr(text, "Bo the") < strstr(text, "Ayla the"));
	CFX_NOT_SAW(x, CFX_AYLA, "session 2");
	world_player_linkdead(x->w, x->bo);
	cfx_do(x, x->ayla, "who");
	CFX_SAW(x, CFX_AYLA, "{R(link-dead){x");
	/* Admins also see the sessions, escaped. */
	x->ayla->pc->roles = PLAYER_ROLE_ADMIN;
	cfx_do(x, x->ayla, "who");
	CFX_SAW(x, CFX_AYLA, "      {Ksession 1{x\n");
}

static void test_score(void **state)
{
	struct cfx *x = *state;

	x->ayla->hp = 7;
	x->ayla->gold = 1;
	cfx_item_on(x, "t:rock", x->ayla);
	cfx_do(x, x->ayla, "score");
	CFX_SAW(x, CFX_AYLA, "{WAyla the newcomer{x");
	CFX_SAW(x, CFX_AYLA, "fighter, spoken of as she/her");
	CFX_SAW(x, CFX_AYLA, "Health {G7{x/");
	CFX_SAW(x, CFX_AYLA, "Gold: 1 coin.");
	CFX_SAW(x, CFX_AYLA, "Carrying 1/");
	CFX_SAW(x, CFX_AYLA, "items, 8/");
	CFX_SAW(x, CFX_AYLA, "You are standing.");
	CFX_SAW(x, CFX_AYLA, "Played: 0 hours, 0 minutes.");
}

static void test_inventory_and_equipment(void **state)
{
	struct cfx *x = *state;
	struct item *helm;

	cfx_do(x, x->ayla, "inventory");
	CFX_SAW(x, CFX_AYLA, "You are carrying:\n     Nothing.\n");
	cfx_do(x, x->ayla, "equipment");
	CFX_SAW(x, CFX_AYLA, "You are using:\n     Nothing.\n");
	cfx_item_on(x, "t:coin", x->ayla);
	cfx_item_on(x, "t:rock", x->ayla);
	cfx_item_on(x, "t:coin", x->ayla);
	helm = cfx_item_on(x, "t:helm", x->ayla);
	assert_int_equal(item_equip(x->ayla, helm, WEAR_HEAD), 0);
	cfx_do(x, x->ayla, "i");
	CFX_SAW(x, CFX_AYLA, "You are carrying:\n( 2) a copper coin\n     a rock\n");
	CFX_NOT_SAW(x, CFX_AYLA, "helm");
	cfx_do(x, x->ayla, "eq");
	CFX_SAW(x, CFX_AYLA, "<worn on head>       a dented helm\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_look_room, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_look_people_positions_and_linkdead, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_look_crowd, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_room_info_in_a_crowd_once_a_pulse, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_room_info_in_a_small_room_at_once, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_look_dark_room, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_look_at_things, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_look_directions_and_doors, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_look_in_containers, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_exits, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_who, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_score, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_inventory_and_equipment, cfx_setup,
						cfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
