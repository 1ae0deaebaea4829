/*
 * test_cmd_obj.c: get, drop, give, put, wear, wield, hold and remove:
 * single targets, "2.sword", "all" and "all.coin", containers, coins, and
 * the refusals (fixtures, weight, count, unique and no-drop items, closed
 * containers, capacity, level), with the GMCP item messages.
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

static void test_get_and_drop_one(void **state)
{
	struct cfx *x = *state;
	struct item *coin = cfx_item_in_room(x, "t:coin", x->square);
	json_t *j;

	cfx_do(x, x->ayla, "get coin");
	assert_ptr_equal(coin->carried_by, x->ayla);
	CFX_SAW(x, CFX_AYLA, "You get a copper coin.\n");
	CFX_SAW(x, CFX_BO, "Ayla gets a copper coin.\n");
	assert_true(x->ayla->pc->dirty);
	j = cfx_json(x, CFX_AYLA, "Char.Items.Add");
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "location")), "inv");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "item"), "name")),
			    "a copper coin");
	json_decref(j);
	j = cfx_json(x, CFX_BO, "Char.Items.Remove");
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "location")), "room");
	json_decref(j);
	/* Bo's panel learns the floor changed. */
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Room.Info"), 1);

	cfx_do(x, x->ayla, "drop coin");
	assert_ptr_equal(coin->in_room, x->square);
	CFX_SAW(x, CFX_AYLA, "You drop a copper coin.\n");
	CFX_SAW(x, CFX_BO, "Ayla drops a copper coin.\n");
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, "Char.Items.Remove"), 1);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Char.Items.Add"), 1);

	cfx_do(x, x->ayla, "get");
	CFX_SAW(x, CFX_AYLA, "Get what?");
	cfx_do(x, x->ayla, "get unicorn");
	CFX_SAW(x, CFX_AYLA, "You see no unicorn here.");
	cfx_do(x, x->ayla, "drop unicorn");
	CFX_SAW(x, CFX_AYLA, "You do not have that.");
	cfx_do(x, x->ayla, "drop");
	CFX_SAW(x, CFX_AYLA, "Drop what?");
}

static void test_numbered_and_all_targets(void **state)
{
	struct cfx *x = *state;
	struct item *steel = cfx_item_in_room(x, "t:sword", x->square);
	struct item *rusty = cfx_item_in_room(x, "t:rusty", x->square);

	cfx_do(x, x->ayla, "get 2.sword");
	assert_ptr_equal(rusty->carried_by, x->ayla);
	assert_ptr_equal(steel->in_room, x->square);
	cfx_do(x, x->ayla, "get 3.sword");
	CFX_SAW(x, CFX_AYLA, "You see no 3.sword here.");
	cfx_do(x, x->ayla, "get 0.sword");
	CFX_SAW(x, CFX_AYLA, "You see no 0.sword here.");
	cfx_do(x, x->ayla, "drop sword");
	assert_ptr_equal(rusty->in_room, x->square);

	for (int i = 0; i < 3; i++)
		cfx_item_in_room(x, "t:coin", x->square);
	cfx_item_in_room(x, "t:statue", x->square);
	cfx_do(x, x->ayla, "get all.coin");
	assert_int_equal(x->ayla->inventory.count, 3);
	CFX_NOT_SAW(x, CFX_AYLA, "sword");
	CFX_NOT_SAW(x, CFX_AYLA, "statue");
	cfx_do(x, x->ayla, "get all.coin");
	CFX_SAW(x, CFX_AYLA, "You see nothing like that here.");
	cfx_do(x, x->ayla, "get all");
	assert_int_equal(x->ayla->inventory.count, 5);
	/* Fixtures stay where they are, quietly, under "all". */
	CFX_NOT_SAW(x, CFX_AYLA, "statue");
	assert_int_equal(x->square->items.count, 1);
	cfx_do(x, x->ayla, "get all");
	CFX_SAW(x, CFX_AYLA, "There is nothing here you can take.");
	cfx_do(x, x->ayla, "get statue");
	CFX_SAW(x, CFX_AYLA, "You cannot take a marble statue.");

	cfx_do(x, x->ayla, "drop all.coin");
	assert_int_equal(x->ayla->inventory.count, 2);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Room.Info"), 1);
	cfx_do(x, x->ayla, "drop all");
	assert_int_equal(x->ayla->inventory.count, 0);
	cfx_do(x, x->ayla, "drop all");
	CFX_SAW(x, CFX_AYLA, "You are not carrying anything.");
}

static void test_get_in_the_dark(void **state)
{
	struct cfx *x = *state;

	cfx_item_in_room(x, "t:coin", x->cellar);
	cfx_place(x->ayla, x->cellar);
	cfx_do(x, x->ayla, "get coin");
	CFX_SAW(x, CFX_AYLA, "You see no coin here.");
	cfx_do(x, x->ayla, "get all");
	CFX_SAW(x, CFX_AYLA, "You see nothing here.");
	assert_int_equal(x->ayla->inventory.count, 0);
}

static void test_carry_limits(void **state)
{
	struct cfx *x = *state;

	cfx_item_in_room(x, "t:anvil", x->square);
	cfx_do(x, x->ayla, "get anvil");
	CFX_SAW(x, CFX_AYLA, "An anvil: you cannot carry that much weight.");
	assert_int_equal(x->ayla->inventory.count, 0);

	for (size_t i = 0; i < cmd_carry_count_max(x->ayla); i++)
		cfx_item_on(x, "t:coin", x->ayla);
	cfx_item_in_room(x, "t:coin", x->square);
	cfx_do(x, x->ayla, "get coin");
	CFX_SAW(x, CFX_AYLA, "you cannot carry that many things");

	cfx_item_on(x, "t:gem", x->bo);
	cfx_item_in_room(x, "t:gem", x->square);
	cfx_do(x, x->bo, "get gem");
	CFX_SAW(x, CFX_BO, "You already have one of a blue gem");
	assert_int_equal(x->square->items.count, 3);
}

static void test_no_drop(void **state)
{
	struct cfx *x = *state;
	struct item *doll = cfx_item_on(x, "t:doll", x->ayla);

	cfx_do(x, x->ayla, "drop doll");
	CFX_SAW(x, CFX_AYLA, "You cannot let go of a sad doll.");
	assert_ptr_equal(doll->carried_by, x->ayla);
	cfx_do(x, x->ayla, "give doll bo");
	CFX_SAW(x, CFX_AYLA, "You cannot let go of a sad doll.");
	cfx_do(x, x->ayla, "drop all");
	assert_ptr_equal(doll->carried_by, x->ayla);
}

static void test_containers_get_and_put(void **state)
{
	struct cfx *x = *state;
	struct item *bag = cfx_item_on(x, "t:bag", x->ayla);
	struct item *chest = cfx_item_in_room(x, "t:chest", x->square);
	struct item *rock = cfx_item_on(x, "t:rock", x->ayla);
	struct item *coin;

	cfx_item_on(x, "t:coin", x->ayla);
	cfx_item_on(x, "t:coin", x->ayla);
	cfx_do(x, x->ayla, "put all.coin in bag");
	assert_int_equal(bag->contents.count, 2);
	CFX_SAW(x, CFX_AYLA, "You put a copper coin in a leather satchel.\n");
	CFX_SAW(x, CFX_BO, "Ayla puts a copper coin in a leather satchel.\n");
	/* Capacity 9: the rock (8) does not fit beside two coins. */
	cfx_do(x, x->ayla, "put rock satchel");
	CFX_SAW(x, CFX_AYLA, "A rock will not fit in a leather satchel.");
	assert_ptr_equal(rock->carried_by, x->ayla);
	cfx_do(x, x->ayla, "put bag bag");
	CFX_SAW(x, CFX_AYLA, "You cannot fold a leather satchel into itself.");
	cfx_do(x, x->ayla, "put rock chest");
	CFX_SAW(x, CFX_AYLA, "An oak chest is closed.");
	cfx_do(x, x->ayla, "put rock bo");
	CFX_SAW(x, CFX_AYLA, "You see no bo here.");
	cfx_do(x, x->ayla, "put rock rock");
	CFX_SAW(x, CFX_AYLA, "A rock is not a container.");
	cfx_do(x, x->ayla, "put rock");
	CFX_SAW(x, CFX_AYLA, "Put what in what?");

	chest->flags &= ~(ITEM_CLOSED | ITEM_LOCKED);
	cfx_do(x, x->ayla, "put rock in chest");
	assert_ptr_equal(rock->in_item, chest);
	cfx_do(x, x->ayla, "get coin from bag");
	assert_int_equal(bag->contents.count, 1);
	CFX_SAW(x, CFX_AYLA, "You get a copper coin from a leather satchel.\n");
	CFX_SAW(x, CFX_BO, "Ayla gets a copper coin from a leather satchel.\n");
	cfx_do(x, x->ayla, "get all bag");
	assert_int_equal(bag->contents.count, 0);
	cfx_do(x, x->ayla, "get all bag");
	CFX_SAW(x, CFX_AYLA, "You see nothing in a leather satchel.");
	cfx_do(x, x->ayla, "get rock chest");
	assert_ptr_equal(rock->carried_by, x->ayla);
	cfx_do(x, x->ayla, "get gem chest");
	CFX_SAW(x, CFX_AYLA, "You see nothing like that in an oak chest.");
	coin = cfx_item(x, "t:coin");
	item_to_item(coin, bag);
	bag->flags |= ITEM_CLOSED;
	cfx_do(x, x->ayla, "get coin bag");
	CFX_SAW(x, CFX_AYLA, "A leather satchel is closed.");
	assert_ptr_equal(coin->in_item, bag);
}

static void test_give(void **state)
{
	struct cfx *x = *state;
	struct item *sword = cfx_item_on(x, "t:sword", x->ayla);
	struct character *cat = cfx_mob(x, "t:cat", x->square);
	struct character *cy = cfx_player(x, "Cy", PRONOUNS_THEY, 3);

	cfx_do(x, x->ayla, "give sword to bo");
	assert_ptr_equal(sword->carried_by, x->bo);
	CFX_SAW(x, CFX_AYLA, "You give a steel sword to Bo.\n");
	CFX_SAW(x, CFX_BO, "Ayla gives you a steel sword.\n");
	CFX_SAW(x, 3, "Ayla gives a steel sword to Bo.\n");
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, "Char.Items.Remove"), 1);
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Char.Items.Add"), 1);
	assert_true(x->bo->pc->dirty);
	cfx_do(x, x->bo, "give sword cat");
	assert_ptr_equal(sword->carried_by, cat);

	x->ayla->gold = 10;
	x->bo->gold = 0;
	cfx_do(x, x->ayla, "give 4 coins to bo");
	assert_int_equal(x->ayla->gold, 6);
	assert_int_equal(x->bo->gold, 4);
	CFX_SAW(x, CFX_AYLA, "You give Bo 4 coins.");
	CFX_SAW(x, CFX_BO, "Ayla gives you 4 coins.");
	CFX_SAW(x, 3, "Ayla gives Bo some coins.");
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Char.Status"), 1);
	cfx_do(x, x->ayla, "give 7 gold bo");
	CFX_SAW(x, CFX_AYLA, "You do not have that much gold.");
	cfx_do(x, x->ayla, "give -3 gold bo");
	CFX_SAW(x, CFX_AYLA, "only a positive number");
	assert_int_equal(x->ayla->gold, 6);
	cfx_do(x, x->ayla, "give 1 coin cy");
	CFX_SAW(x, 3, "Ayla gives you 1 coin.");
	assert_int_equal(cy->gold, 11);

	cfx_do(x, x->ayla, "give rock bo");
	CFX_SAW(x, CFX_AYLA, "You do not have that.");
	cfx_item_on(x, "t:rock", x->ayla);
	cfx_do(x, x->ayla, "give rock nobody");
	CFX_SAW(x, CFX_AYLA, "They are not here.");
	cfx_do(x, x->ayla, "give rock me");
	CFX_SAW(x, CFX_AYLA, "You shuffle it");
	cfx_do(x, x->ayla, "give all bo");
	CFX_SAW(x, CFX_AYLA, "one thing at a time");
	cfx_do(x, x->ayla, "give rock");
	CFX_SAW(x, CFX_AYLA, "Give what to whom?");
	cfx_do(x, x->ayla, "drop 5 coins");
	CFX_SAW(x, CFX_AYLA, "Coins stay in your purse");
	/* The receiver's limits count. */
	cfx_item_on(x, "t:gem", x->bo);
	cfx_item_on(x, "t:gem", x->ayla);
	cfx_do(x, x->ayla, "give gem bo");
	CFX_SAW(x, CFX_AYLA, "Bo already has one of a blue gem.");
}

static void test_wear_wield_hold_remove(void **state)
{
	struct cfx *x = *state;
	struct item *helm = cfx_item_on(x, "t:helm", x->ayla);
	struct item *cap = cfx_item_on(x, "t:cap", x->ayla);
	struct item *sword = cfx_item_on(x, "t:sword", x->ayla);
	struct item *lantern = cfx_item_on(x, "t:lantern", x->ayla);
	struct item *crown = cfx_item_on(x, "t:crown", x->ayla);
	json_t *j;

	cfx_do(x, x->ayla, "wear helm");
	assert_ptr_equal(x->ayla->equip[WEAR_HEAD], helm);
	CFX_SAW(x, CFX_AYLA, "You wear a dented helm on your head.");
	CFX_SAW(x, CFX_BO, "Ayla wears a dented helm on her head.");
	j = cfx_json(x, CFX_AYLA, "Char.Items.Update");
	assert_non_null(j);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "item"), "attrib")), "w");
	json_decref(j);
	/* The cap takes the helm's place. */
	cfx_do(x, x->ayla, "wear cap");
	assert_ptr_equal(x->ayla->equip[WEAR_HEAD], cap);
	assert_int_equal(helm->worn_on, -1);
	assert_ptr_equal(helm->carried_by, x->ayla);
	CFX_SAW(x, CFX_AYLA, "You stop using a dented helm.\nYou wear a wool cap on your head.");
	cfx_do(x, x->ayla, "wear crown");
	CFX_SAW(x, CFX_AYLA, "You must be level 50 to use a gold crown.");
	assert_int_equal(crown->worn_on, -1);
	cfx_do(x, x->ayla, "wear cap");
	CFX_SAW(x, CFX_AYLA, "You are already using that.");

	cfx_do(x, x->ayla, "wield lantern");
	CFX_SAW(x, CFX_AYLA, "A brass lantern is not something you can wield.");
	cfx_do(x, x->ayla, "wield sword");
	assert_ptr_equal(x->ayla->equip[WEAR_WIELD], sword);
	CFX_SAW(x, CFX_BO, "Ayla wields a steel sword.");
	cfx_do(x, x->ayla, "hold sword");
	CFX_SAW(x, CFX_AYLA, "You are already using that.");
	cfx_do(x, x->ayla, "hold lantern");
	assert_ptr_equal(x->ayla->equip[WEAR_LIGHT], lantern);
	CFX_SAW(x, CFX_BO, "Ayla lights a brass lantern and holds it up.");
	cfx_do(x, x->ayla, "hold rock");
	CFX_SAW(x, CFX_AYLA, "You do not have that.");
	cfx_item_on(x, "t:rock", x->ayla);
	cfx_do(x, x->ayla, "wear rock");
	CFX_SAW(x, CFX_AYLA, "A rock is not something you can wear.");

	cfx_do(x, x->ayla, "remove sword");
	assert_int_equal(sword->worn_on, -1);
	CFX_SAW(x, CFX_AYLA, "You stop using a steel sword.");
	CFX_SAW(x, CFX_BO, "Ayla stops using a steel sword.");
	cfx_do(x, x->ayla, "remove sword");
	CFX_SAW(x, CFX_AYLA, "You are not using that.");
	cfx_do(x, x->ayla, "remove all");
	for (int s = 0; s < WEAR_COUNT; s++)
		assert_null(x->ayla->equip[s]);
	cfx_do(x, x->ayla, "remove all");
	CFX_SAW(x, CFX_AYLA, "You are not using anything like that.");
	/* wear all: everything that fits a free place, first come first served. */
	cfx_do(x, x->ayla, "wear all");
	assert_ptr_equal(x->ayla->equip[WEAR_HEAD], helm);
	assert_ptr_equal(x->ayla->equip[WEAR_WIELD], sword);
	assert_ptr_equal(x->ayla->equip[WEAR_LIGHT], lantern);
	assert_int_equal(cap->worn_on, -1);
	assert_int_equal(crown->worn_on, -1);
	cfx_do(x, x->ayla, "wear all");
	CFX_SAW(x, CFX_AYLA, "You have nothing more you can put on.");
	cfx_do(x, x->ayla, "drop helm");
	CFX_SAW(x, CFX_AYLA, "You must remove it first.");
	cfx_do(x, x->ayla, "wear");
	CFX_SAW(x, CFX_AYLA, "Wear what?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_get_and_drop_one, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_numbered_and_all_targets, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_get_in_the_dark, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_carry_limits, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_no_drop, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_containers_get_and_put, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_give, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_wear_wield_hold_remove, cfx_setup,
						cfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
