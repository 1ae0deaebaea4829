/*
 * test_cmd_move.c: walking (messages to both rooms, move costs by
 * environment, exhaustion, the look and GMCP after a step), doors (closed
 * and locked doors block; open, close, lock and unlock keep both sides the
 * same; keys), containers that open and lock, and positions.
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

static void test_walk_messages_and_look(void **state)
{
	struct cfx *x = *state;
	struct character *cy = cfx_player(x, "Cy", PRONOUNS_THEY, 3);

	cfx_place(cy, x->inn);
	cfx_do(x, x->ayla, "north");
	assert_ptr_equal(x->ayla->room, x->inn);
	CFX_SAW(x, CFX_BO, "Ayla leaves north.\n");
	CFX_SAW(x, 3, "Ayla arrives from the south.\n");
	CFX_SAW(x, CFX_AYLA, "{CThe Crooked Inn{x");
	CFX_SAW(x, CFX_AYLA, "Cy the newcomer is here.");
	CFX_NOT_SAW(x, CFX_AYLA, "arrives");
	assert_true(x->ayla->pc->dirty);
	cfx_do(x, x->ayla, "down");
	CFX_SAW(x, 3, "Ayla leaves down.\n");
	cfx_do(x, x->ayla, "up");
	/* Cy cannot see the cellar, but sees Ayla come up from it. */
	CFX_SAW(x, 3, "Ayla arrives from below.\n");
}

static void test_dark_room_hides_who_moves(void **state)
{
	struct cfx *x = *state;

	cfx_place(x->bo, x->cellar);
	cfx_place(x->ayla, x->inn);
	cfx_do(x, x->ayla, "down");
	CFX_SAW(x, CFX_BO, "Someone arrives from above.\n");
	cfx_do(x, x->ayla, "up");
	CFX_SAW(x, CFX_BO, "Someone leaves up.\n");
}

static void test_no_exit_and_hidden_exit(void **state)
{
	struct cfx *x = *state;

	cfx_do(x, x->ayla, "west");
	CFX_SAW(x, CFX_AYLA, "Alas, you cannot go that way.");
	assert_ptr_equal(x->ayla->room, x->square);
	/* A hidden exit is not listed, but it can be walked. */
	cfx_do(x, x->ayla, "up");
	assert_ptr_equal(x->ayla->room, x->tower);
}

static void test_move_costs(void **state)
{
	struct cfx *x = *state;
	int before;

	assert_int_equal(cmd_move_cost(x->square, x->inn), 1);
	assert_int_equal(cmd_move_cost(x->square, x->field), 2);
	assert_int_equal(cmd_move_cost(x->field, x->field), 2);
	before = x->ayla->move;
	cfx_do(x, x->ayla, "east");
	assert_int_equal(x->ayla->move, before - 2);
	json_t *v = cfx_json(x, CFX_AYLA, "Char.Vitals");
	assert_non_null(v);
	assert_int_equal(json_integer_value(json_object_get(v, "mv")), before - 2);
	json_decref(v);
	x->ayla->move = 1;
	cfx_do(x, x->ayla, "west");
	CFX_SAW(x, CFX_AYLA, "too exhausted");
	assert_ptr_equal(x->ayla->room, x->field);
	assert_int_equal(x->ayla->move, 1);
}

static void test_step_sends_gmcp_to_both_rooms(void **state)
{
	struct cfx *x = *state;
	struct character *cy = cfx_player(x, "Cy", PRONOUNS_THEY, 3);
	json_t *info;

	cfx_place(cy, x->inn);
	cfx_do(x, x->ayla, "north");
	info = cfx_json(x, CFX_AYLA, "Room.Info");
	assert_non_null(info);
	assert_string_equal(json_string_value(json_object_get(info, "name")), "The Crooked Inn");
	json_decref(info);
	/* Room.Info lists everyone in the room, the one it goes to included. */
	info = cfx_json(x, CFX_BO, "Room.Info");
	assert_non_null(info);
	assert_int_equal(json_array_size(json_object_get(info, "players")), 1);
	json_decref(info);
	info = cfx_json(x, 3, "Room.Info");
	assert_non_null(info);
	assert_int_equal(json_array_size(json_object_get(info, "players")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(info, "players"), 1)),
			    "Ayla");
	json_decref(info);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, "Room.Info"), 1);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, "Char.Status"), 1);
}

static void test_doors_block_and_open_both_sides(void **state)
{
	struct cfx *x = *state;
	struct character *cy = cfx_player(x, "Cy", PRONOUNS_THEY, 3);
	struct exit *out = x->square->exits[DIR_SOUTH], *back = x->yard->exits[DIR_NORTH];

	cfx_place(cy, x->yard);
	cfx_do(x, x->ayla, "south");
	CFX_SAW(x, CFX_AYLA, "The gate is closed.");
	assert_ptr_equal(x->ayla->room, x->square);

	cfx_do(x, x->ayla, "open gate");
	CFX_SAW(x, CFX_AYLA, "It is locked.");
	cfx_do(x, x->ayla, "unlock gate");
	CFX_SAW(x, CFX_AYLA, "You lack the key.");
	assert_true(out->flags & EXIT_LOCKED);

	cfx_item_on(x, "t:gate_key", x->ayla);
	cfx_do(x, x->ayla, "unlock south");
	CFX_SAW(x, CFX_AYLA, "*Click* You unlock the gate.");
	CFX_SAW(x, CFX_BO, "Ayla unlocks the gate.");
	CFX_SAW(x, 3, "You hear a click: the gate has been unlocked.");
	assert_false(out->flags & EXIT_LOCKED);
	assert_false(back->flags & EXIT_LOCKED);
	cfx_do(x, x->ayla, "unlock gate");
	CFX_SAW(x, CFX_AYLA, "It is already unlocked.");

	cfx_do(x, x->ayla, "open iron");
	CFX_SAW(x, CFX_AYLA, "You open the gate.");
	CFX_SAW(x, CFX_BO, "Ayla opens the gate.");
	CFX_SAW(x, 3, "The gate opens.");
	assert_false(out->flags & EXIT_CLOSED);
	assert_false(back->flags & EXIT_CLOSED);
	cfx_do(x, x->ayla, "open gate");
	CFX_SAW(x, CFX_AYLA, "It is already open.");
	cfx_do(x, x->ayla, "lock gate");
	CFX_SAW(x, CFX_AYLA, "It is not closed.");

	cfx_do(x, x->ayla, "south");
	assert_ptr_equal(x->ayla->room, x->yard);
	cfx_do(x, x->ayla, "close n");
	CFX_SAW(x, CFX_AYLA, "You close the gate.");
	CFX_SAW(x, CFX_BO, "The gate closes.");
	assert_true(out->flags & EXIT_CLOSED);
	assert_true(back->flags & EXIT_CLOSED);
	cfx_do(x, x->ayla, "close gate");
	CFX_SAW(x, CFX_AYLA, "It is already closed.");
	cfx_do(x, x->ayla, "lock gate");
	CFX_SAW(x, CFX_AYLA, "*Click* You lock the gate.");
	assert_true(out->flags & EXIT_LOCKED);
	assert_true(back->flags & EXIT_LOCKED);
	cfx_do(x, x->ayla, "lock gate");
	CFX_SAW(x, CFX_AYLA, "It is already locked.");
	cfx_do(x, x->ayla, "north");
	CFX_SAW(x, CFX_AYLA, "The gate is closed.");
}

static void test_door_refusals(void **state)
{
	struct cfx *x = *state;

	cfx_do(x, x->ayla, "open");
	CFX_SAW(x, CFX_AYLA, "Open what?");
	cfx_do(x, x->ayla, "open north");
	CFX_SAW(x, CFX_AYLA, "There is no door to the north.");
	cfx_do(x, x->ayla, "close down");
	CFX_SAW(x, CFX_AYLA, "There is no door below you.");
	cfx_do(x, x->ayla, "open portcullis");
	CFX_SAW(x, CFX_AYLA, "You see no portcullis here.");
	/* An exit without a key cannot be locked. */
	world_set_str(&x->square->exits[DIR_SOUTH]->key_id, NULL);
	x->square->exits[DIR_SOUTH]->flags &= ~EXIT_LOCKED;
	cfx_do(x, x->ayla, "lock gate");
	CFX_SAW(x, CFX_AYLA, "It cannot be locked.");
}

static void test_containers_open_and_lock(void **state)
{
	struct cfx *x = *state;
	struct item *chest = cfx_item_in_room(x, "t:chest", x->square);
	struct item *bag = cfx_item_on(x, "t:bag", x->ayla);

	assert_true(chest->flags & ITEM_LOCKED);
	cfx_do(x, x->ayla, "open chest");
	CFX_SAW(x, CFX_AYLA, "It is locked.");
	cfx_do(x, x->ayla, "unlock chest");
	CFX_SAW(x, CFX_AYLA, "You lack the key.");
	/* The key is named short ("chest_key") and found in the chest's own area. */
	cfx_item_on(x, "t:chest_key", x->ayla);
	cfx_do(x, x->ayla, "unlock chest");
	CFX_SAW(x, CFX_AYLA, "*Click* You unlock an oak chest.");
	CFX_SAW(x, CFX_BO, "Ayla unlocks an oak chest.");
	cfx_do(x, x->ayla, "open chest");
	CFX_SAW(x, CFX_AYLA, "You open an oak chest.");
	assert_false(chest->flags & (ITEM_CLOSED | ITEM_LOCKED));
	cfx_do(x, x->ayla, "close chest");
	cfx_do(x, x->ayla, "lock chest");
	assert_true(chest->flags & ITEM_LOCKED);

	cfx_do(x, x->ayla, "close bag");
	CFX_SAW(x, CFX_AYLA, "You close a leather satchel.");
	assert_true(bag->flags & ITEM_CLOSED);
	cfx_do(x, x->ayla, "lock bag");
	CFX_SAW(x, CFX_AYLA, "It cannot be locked.");
	cfx_do(x, x->ayla, "open bag");
	assert_false(bag->flags & ITEM_CLOSED);

	cfx_item_on(x, "t:rock", x->ayla);
	cfx_do(x, x->ayla, "open rock");
	CFX_SAW(x, CFX_AYLA, "A rock is not something you can do that to.");
}

static void test_positions(void **state)
{
	struct cfx *x = *state;

	cfx_do(x, x->ayla, "rest");
	CFX_SAW(x, CFX_AYLA, "You sit back and rest.");
	CFX_SAW(x, CFX_BO, "Ayla sits back and rests.");
	assert_int_equal(x->ayla->pos, POS_RESTING);
	json_t *st = cfx_json(x, CFX_AYLA, "Char.Status");
	assert_non_null(st);
	assert_string_equal(json_string_value(json_object_get(st, "pos")), "resting");
	json_decref(st);
	cfx_do(x, x->ayla, "sleep");
	assert_int_equal(x->ayla->pos, POS_SLEEPING);
	CFX_SAW(x, CFX_BO, "Ayla lies down and goes to sleep.");
	/* Asleep, she does not see the room. */
	cfx_do(x, x->bo, "say psst");
	CFX_NOT_SAW(x, CFX_AYLA, "psst");
	cfx_do(x, x->ayla, "wake");
	assert_int_equal(x->ayla->pos, POS_STANDING);
	CFX_SAW(x, CFX_AYLA, "You wake and stand up.");
	CFX_SAW(x, CFX_AYLA, "{CLantern Square{x");
	cfx_do(x, x->ayla, "stand");
	CFX_SAW(x, CFX_AYLA, "You are already standing.");
	cfx_do(x, x->ayla, "sit");
	assert_int_equal(x->ayla->pos, POS_SITTING);
	cfx_do(x, x->ayla, "stand");
	CFX_SAW(x, CFX_BO, "Ayla stands up.");

	x->bo->pos = POS_SLEEPING;
	cfx_do(x, x->ayla, "wake bo");
	CFX_SAW(x, CFX_AYLA, "You wake him.");
	CFX_SAW(x, CFX_BO, "Ayla wakes you.");
	assert_int_equal(x->bo->pos, POS_STANDING);
	cfx_do(x, x->ayla, "wake bo");
	CFX_SAW(x, CFX_AYLA, "Bo is already awake.");
	cfx_do(x, x->ayla, "wake nobody");
	CFX_SAW(x, CFX_AYLA, "They are not here.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_walk_messages_and_look, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_dark_room_hides_who_moves, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_no_exit_and_hidden_exit, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_move_costs, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_step_sends_gmcp_to_both_rooms, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_doors_block_and_open_both_sides, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_door_refusals, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_containers_open_and_lock, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_positions, cfx_setup, cfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
