/*
 * test_gmcp.c: the JSON of every GMCP package the commands send, parsed
 * back with jansson: Char.Name, Char.Vitals, Char.Status,
 * Char.Items.List/Add/Remove/Update, Room.Info (lit and dark),
 * Comm.Channel.List, and world_send_state(); nothing for mobs, the
 * link-dead, or a client that did not ask for the package (ops->wants).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "cmd_fixture.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

static const char *str_field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("field %s is not a string", key);
	return json_string_value(v);
}

static json_int_t int_field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("field %s is not an integer", key);
	return json_integer_value(v);
}

static void test_name_vitals_status(void **state)
{
	struct cfx *x = *state;
	json_t *j;

	world_set_str(&x->ayla->pc->title, "the {RBold");
	x->ayla->hp = 11;
	x->ayla->max_hp = 22;
	x->ayla->mana = 3;
	x->ayla->max_mana = 4;
	x->ayla->move = 50;
	x->ayla->max_move = 60;
	x->ayla->level = 3;
	x->ayla->exp = 1234567890123LL;
	x->ayla->gold = 77;
	gmcp_send_name(x->w, x->ayla);
	gmcp_send_vitals(x->w, x->ayla);
	gmcp_send_status(x->w, x->ayla);

	j = cfx_json(x, CFX_AYLA, "Char.Name");
	assert_string_equal(str_field(j, "name"), "Ayla");
	assert_string_equal(str_field(j, "fullname"), "Ayla the {RBold");
	json_decref(j);

	j = cfx_json(x, CFX_AYLA, "Char.Vitals");
	assert_int_equal(json_object_size(j), 6);
	assert_int_equal(int_field(j, "hp"), 11);
	assert_int_equal(int_field(j, "maxhp"), 22);
	assert_int_equal(int_field(j, "mp"), 3);
	assert_int_equal(int_field(j, "maxmp"), 4);
	assert_int_equal(int_field(j, "mv"), 50);
	assert_int_equal(int_field(j, "maxmv"), 60);
	json_decref(j);

	j = cfx_json(x, CFX_AYLA, "Char.Status");
	assert_int_equal(int_field(j, "level"), 3);
	assert_true(int_field(j, "exp") == 1234567890123LL);
	assert_int_equal(int_field(j, "gold"), 77);
	assert_string_equal(str_field(j, "path"), "fighter");
	assert_string_equal(str_field(j, "pos"), "standing");
	assert_string_equal(str_field(j, "area"), "Testland");
	assert_string_equal(str_field(j, "room"), "Lantern Square");
	json_decref(j);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, NULL), 0);
}

static void test_items_list(void **state)
{
	struct cfx *x = *state;
	struct item *sword = cfx_item_on(x, "t:sword", x->ayla);
	struct item *bag = cfx_item_on(x, "t:bag", x->ayla);
	struct item *rock = cfx_item_on(x, "t:rock", x->ayla);
	struct item *statue = cfx_item_in_room(x, "t:statue", x->square);
	char id[32];
	json_t *j, *items, *e;

	assert_int_equal(item_equip(x->ayla, sword, WEAR_WIELD), 0);
	cfx_item_in_room(x, "t:coin", x->square);
	gmcp_send_items_list(x->w, x->ayla, "inv");
	j = cfx_json(x, CFX_AYLA, "Char.Items.List");
	assert_string_equal(str_field(j, "location"), "inv");
	items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 3);
	/* Carried first (bag, rock), then worn (sword). */
	e = json_array_get(items, 0);
	snprintf(id, sizeof(id), "%llu", (unsigned long long)bag->ref);
	assert_string_equal(str_field(e, "id"), id);
	assert_string_equal(str_field(e, "name"), "a leather satchel");
	assert_string_equal(str_field(e, "attrib"), "c");
	e = json_array_get(items, 1);
	assert_string_equal(str_field(e, "name"), "a rock");
	assert_null(json_object_get(e, "attrib"));
	(void)rock;
	e = json_array_get(items, 2);
	assert_string_equal(str_field(e, "name"), "a steel sword");
	assert_string_equal(str_field(e, "attrib"), "w");
	item_unequip(x->ayla, sword);
	json_decref(j);
	gmcp_send_items_list(x->w, x->ayla, "inv");
	j = cfx_json(x, CFX_AYLA, "Char.Items.List");
	e = json_array_get(json_object_get(j, "items"), 2);
	assert_string_equal(str_field(e, "attrib"), "W");
	json_decref(j);

	gmcp_send_items_list(x->w, x->ayla, "room");
	j = cfx_json(x, CFX_AYLA, "Char.Items.List");
	assert_string_equal(str_field(j, "location"), "room");
	items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 2);
	snprintf(id, sizeof(id), "%llu", (unsigned long long)statue->ref);
	assert_string_equal(str_field(json_array_get(items, 0), "id"), id);
	assert_null(json_object_get(json_array_get(items, 0), "attrib"));
	assert_string_equal(str_field(json_array_get(items, 1), "attrib"), "t");
	json_decref(j);
}

static void test_room_info(void **state)
{
	struct cfx *x = *state;
	struct character *cat = cfx_mob(x, "t:cat", x->square);
	json_t *j, *exits, *players, *items;

	(void)cat;
	cfx_item_in_room(x, "t:coin", x->square);
	cfx_item_in_room(x, "t:coin", x->square);
	world_set_str(&x->square->desc, "Lanterns {yglow{x here.");
	gmcp_send_room_info(x->w, x->ayla);
	j = cfx_json(x, CFX_AYLA, "Room.Info");
	assert_int_equal(int_field(j, "num"), x->square->num);
	assert_string_equal(str_field(j, "name"), "Lantern Square");
	assert_string_equal(str_field(j, "area"), "Testland");
	assert_string_equal(str_field(j, "environment"), "village");
	assert_string_equal(str_field(j, "coords"), "0,0,0");
	assert_string_equal(str_field(j, "desc"), "Lanterns glow here.");
	exits = json_object_get(j, "exits");
	assert_int_equal(json_object_size(exits), 3);
	assert_int_equal(int_field(exits, "n"), x->inn->num);
	assert_int_equal(int_field(exits, "e"), x->field->num);
	assert_int_equal(int_field(exits, "s"), x->yard->num);
	assert_null(json_object_get(exits, "u"));
	/* Everyone in the room, the one it goes to included (it is the same for all). */
	players = json_object_get(j, "players");
	assert_int_equal(json_array_size(players), 2);
	assert_string_equal(json_string_value(json_array_get(players, 0)), "Ayla");
	assert_string_equal(json_string_value(json_array_get(players, 1)), "Bo");
	items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(json_string_value(json_array_get(items, 0)), "a copper coin");
	json_decref(j);

	/* In the dark: where, but not what or who. */
	cfx_item_in_room(x, "t:coin", x->cellar);
	cfx_place(x->bo, x->cellar);
	cfx_place(x->ayla, x->cellar);
	x->cellar->has_coords = false;
	gmcp_send_room_info(x->w, x->ayla);
	j = cfx_json(x, CFX_AYLA, "Room.Info");
	assert_string_equal(str_field(j, "name"), "A Cellar");
	assert_null(json_object_get(j, "coords"));
	assert_string_equal(str_field(j, "desc"), "");
	assert_int_equal(json_array_size(json_object_get(j, "players")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
	assert_int_equal(int_field(json_object_get(j, "exits"), "u"), x->inn->num);
	json_decref(j);
}

/* The items a Room.Info sent to session last lists. */
static size_t last_room_items(struct cfx *x, uint32_t session)
{
	json_t *j = cfx_json(x, session, "Room.Info");
	size_t n = json_array_size(json_object_get(j, "items"));

	json_decref(j);
	return n;
}

static void test_crowd_room_info_is_built_once_a_pulse(void **state)
{
	struct cfx *x = *state;

	for (int i = 0; i < 40; i++)
		cfx_mob(x, "t:cat", x->square);
	gmcp_send_room_info(x->w, x->ayla);
	assert_int_equal(last_room_items(x, CFX_AYLA), 0);
	assert_non_null(x->square->info_memo);
	/* A coin put down with no word to gmcp.c: the same pulse's looks get
	 * the text already built, the next pulse's a new one. */
	cfx_item_in_room(x, "t:coin", x->square);
	gmcp_send_room_info(x->w, x->bo);
	assert_int_equal(last_room_items(x, CFX_BO), 0);
	x->w->now_ms += 100;
	gmcp_send_room_info(x->w, x->bo);
	assert_int_equal(last_room_items(x, CFX_BO), 1);
	/* A change told to gmcp.c shows at once, in the same pulse. */
	cfx_item_in_room(x, "t:coin", x->square);
	gmcp_room_changed(x->w, x->square, NULL);
	gmcp_send_room_info(x->w, x->ayla);
	assert_int_equal(last_room_items(x, CFX_AYLA), 2);
	/* So does the light going out. */
	x->square->flags |= ROOM_DARK;
	gmcp_send_room_info(x->w, x->ayla);
	assert_int_equal(last_room_items(x, CFX_AYLA), 0);
	/* A small room keeps nothing. */
	gmcp_send_room_info(x->w, x->ayla);
	cfx_place(x->ayla, x->inn);
	gmcp_room_changed(x->w, x->inn, NULL);
	gmcp_send_room_info(x->w, x->ayla);
	assert_null(x->inn->info_memo);
}

static void test_room_changed_and_item_changes(void **state)
{
	struct cfx *x = *state;
	struct item *coin = cfx_item_in_room(x, "t:coin", x->square);
	json_t *j;

	gmcp_room_changed(x->w, x->square, x->ayla);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, "Room.Info"), 0);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Room.Info"), 1);
	gmcp_room_item_change(x->w, x->square, coin, true);
	j = cfx_json(x, CFX_BO, "Char.Items.Add");
	assert_string_equal(str_field(j, "location"), "room");
	assert_string_equal(str_field(json_object_get(j, "item"), "name"), "a copper coin");
	assert_string_equal(str_field(json_object_get(j, "item"), "attrib"), "t");
	json_decref(j);
	gmcp_send_item_change(x->w, x->ayla, "inv", coin, false);
	j = cfx_json(x, CFX_AYLA, "Char.Items.Remove");
	assert_string_equal(str_field(j, "location"), "inv");
	json_decref(j);
}

/* Bo's client takes no GMCP, Ayla's takes only Room: nothing is built for what they refuse. */
static bool wants_only_ayla_room(void *ud, uint32_t session, const char *package)
{
	(void)ud;
	return session == CFX_AYLA && strncmp(package, "Room.", 5) == 0;
}

static void test_wants(void **state)
{
	struct cfx *x = *state;

	fake_ops_clear(&x->f);
	x->w->ops.wants = wants_only_ayla_room;
	world_send_state(x->w, x->ayla);
	world_send_state(x->w, x->bo);
	gmcp_room_changed(x->w, x->square, NULL);
	gmcp_send_channel_text(x->w, x->bo, "chat", "Ayla", "hi", "hi", NULL);
	gmcp_send_vitals(x->w, x->ayla);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, NULL), 0);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, NULL), 2);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, "Room.Info"), 2);
	/* Built once per change, the same text as a single send. */
	assert_string_equal(x->f.data[0].json, x->f.data[1].json);
	x->w->ops.wants = NULL;
}

static void test_channel_list_and_text(void **state)
{
	struct cfx *x = *state;
	json_t *j, *e;

	gmcp_send_channel_list(x->w, x->ayla);
	j = cfx_json(x, CFX_AYLA, "Comm.Channel.List");
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), 2);
	e = json_array_get(j, 0);
	assert_string_equal(str_field(e, "name"), "chat");
	assert_string_equal(str_field(e, "caption"), "Chat");
	assert_string_equal(str_field(e, "command"), "chat");
	json_decref(j);
	gmcp_send_channel_text(x->w, x->bo, "chat", "Ayla", "{Y[Chat]{x Ayla: a {{b", "a {{b",
			       NULL);
	j = cfx_json(x, CFX_BO, "Comm.Channel.Text");
	assert_string_equal(str_field(j, "text"), "[Chat] Ayla: a {b");
	assert_string_equal(str_field(j, "message"), "a {b");
	json_decref(j);
}

/* One line to many listeners through a memo: each gets the JSON for its own talker and text. */
static void test_channel_text_memo(void **state)
{
	struct cfx *x = *state;
	struct gmcp_text_memo memo;
	json_t *j;

	gmcp_text_memo_init(&memo);
	fake_ops_clear(&x->f);
	gmcp_send_channel_text(x->w, x->bo, "say", "Ayla", "Ayla says, 'hi'", "hi", &memo);
	gmcp_send_channel_text(x->w, x->ayla, "say", "Ayla", "You say, 'hi'", "hi", &memo);
	gmcp_send_channel_text(x->w, x->bo, "say", "Ayla", "Ayla says, 'hi'", "hi", &memo);
	gmcp_send_channel_text(x->w, x->bo, "say", "someone", "Someone says, 'hi'", "hi", &memo);
	gmcp_send_channel_text(x->w, x->bo, "say", "someone", "Someone says, 'hi'", "hi", &memo);
	assert_int_equal(x->f.data_n, 5);
	j = cfx_json(x, CFX_AYLA, "Comm.Channel.Text");
	assert_string_equal(str_field(j, "text"), "You say, 'hi'");
	assert_string_equal(str_field(j, "talker"), "Ayla");
	json_decref(j);
	assert_string_equal(x->f.data[0].json, x->f.data[2].json);
	assert_string_not_equal(x->f.data[0].json, x->f.data[1].json);
	assert_string_equal(x->f.data[3].json, x->f.data[4].json);
	j = json_loads(x->f.data[4].json, 0, NULL);
	assert_string_equal(str_field(j, "talker"), "someone");
	assert_string_equal(str_field(j, "text"), "Someone says, 'hi'");
	assert_string_equal(str_field(j, "channel"), "say");
	assert_string_equal(str_field(j, "message"), "hi");
	json_decref(j);
	j = json_loads(x->f.data[2].json, 0, NULL);
	assert_string_equal(str_field(j, "text"), "Ayla says, 'hi'");
	json_decref(j);
	gmcp_text_memo_fini(&memo);
}

static void test_send_state(void **state)
{
	struct cfx *x = *state;
	static const char *const packages[] = {"Char.Name",   "Char.Vitals",
					       "Char.Status", "Char.Items.List",
					       "Room.Info",   "Comm.Channel.List"};

	world_send_state(x->w, x->ayla);
	for (size_t i = 0; i < sizeof(packages) / sizeof(packages[0]); i++)
		if (fake_ops_data_count(&x->f, CFX_AYLA, packages[i]) != 1)
			fail_msg("%s sent %zu times", packages[i],
				 fake_ops_data_count(&x->f, CFX_AYLA, packages[i]));
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, NULL), 6);
	/* Mobs and the link-dead get nothing. */
	world_player_linkdead(x->w, x->bo);
	fake_ops_clear(&x->f);
	world_send_state(x->w, cfx_mob(x, "t:cat", x->square));
	world_send_state(x->w, x->bo);
	gmcp_send_vitals(x->w, x->bo);
	assert_int_equal(x->f.data_n, 0);
}

static void test_enter_game_shows_room_and_state(void **state)
{
	struct cfx *x = *state;
	struct character *cy = world_player_new(x->w, "Cy", "scout", PRONOUNS_THEY);

	world_player_enter(x->w, cy, 3);
	/* The core shows the room and sends the state through the commands' helpers. */
	CFX_SAW(x, 3, "{CLantern Square{x");
	assert_int_equal(fake_ops_data_count(&x->f, 3, "Char.Name"), 1);
	assert_true(fake_ops_data_count(&x->f, 3, "Room.Info") >= 1);
	assert_int_equal(fake_ops_data_count(&x->f, 3, "Comm.Channel.List"), 1);
	/* The others in the room see the newcomer arrive, on screen and on their panels. */
	CFX_SAW(x, CFX_AYLA, "Cy has entered the game.");
	json_t *info = cfx_json(x, CFX_AYLA, "Room.Info");
	assert_non_null(info);
	assert_int_equal(json_array_size(json_object_get(info, "players")), 3);
	json_decref(info);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_name_vitals_status, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_items_list, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_room_info, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_crowd_room_info_is_built_once_a_pulse,
						cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_room_changed_and_item_changes, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_channel_text_memo, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_channel_list_and_text, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_wants, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_send_state, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_enter_game_shows_room_and_state, cfx_setup,
						cfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
