/*
 * test_find.c: target parsing ("sword", "2.sword", "all", "all.coin"),
 * keyword prefix matching, item lookup across inventory, worn items and
 * the floor, characters ("me", "self", "2.cat"), players by name or
 * prefix, and that nothing unseen is found.
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

static void test_target_parsing(void **state)
{
	static const struct {
		const char *arg;
		int number;
		bool all;
		const char *name;
	} cases[] = {
		{"sword", 1, false, "sword"},
		{"2.sword", 2, false, "sword"},
		{"12.Sword", 12, false, "sword"},
		{"all", 1, true, ""},
		{"ALL", 1, true, ""},
		{"all.coin", 1, true, "coin"},
		{"all.", 1, true, ""},
		{"0.sword", 0, false, "sword"},
		{"x.sword", 1, false, "x.sword"},
		{".sword", 1, false, ".sword"},
		{"allsorts", 1, false, "allsorts"},
		{"", 1, false, ""},
		{"99999999999999999999.sword", 1, false, "99999999999999999999.sword"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct find_target t;

		find_target_init(&t, cases[i].arg);
		if (t.number != cases[i].number || t.all != cases[i].all ||
		    strcmp(buf_cstr(&t.name), cases[i].name) != 0)
			fail_msg("'%s' parsed as %d %d '%s'", cases[i].arg, t.number, t.all,
				 buf_cstr(&t.name));
		find_target_fini(&t);
	}
}

static void test_keyword_matching(void **state)
{
	(void)state;
	assert_true(find_name_matches("lantern", "lantern brass"));
	assert_true(find_name_matches("lan", "lantern brass"));
	assert_true(find_name_matches("BRASS", "lantern brass"));
	assert_true(find_name_matches("bra lan", "lantern brass"));
	assert_false(find_name_matches("bra iron", "lantern brass"));
	assert_false(find_name_matches("lanterns", "lantern brass"));
	assert_false(find_name_matches("", "lantern brass"));
	assert_false(find_name_matches("   ", "lantern brass"));
	assert_false(find_name_matches("lantern", ""));
	assert_false(find_name_matches("lantern", NULL));
	assert_false(find_name_matches("ntern", "lantern"));
}

static void test_items_across_places(void **state)
{
	struct cfx *x = *state;
	struct item *inv = cfx_item_on(x, "t:rusty", x->ayla);
	struct item *worn = cfx_item_on(x, "t:sword", x->ayla);
	struct item *floor = cfx_item_in_room(x, "t:sword", x->square);
	struct item *floor2 = cfx_item_in_room(x, "t:rusty", x->square);

	assert_int_equal(item_equip(x->ayla, worn, WEAR_WIELD), 0);
	assert_ptr_equal(find_item_here(x->ayla, "sword"), inv);
	assert_ptr_equal(find_item_here(x->ayla, "2.sword"), worn);
	assert_ptr_equal(find_item_here(x->ayla, "3.sword"), floor);
	assert_ptr_equal(find_item_here(x->ayla, "4.sword"), floor2);
	assert_null(find_item_here(x->ayla, "5.sword"));
	assert_ptr_equal(find_item_here(x->ayla, "2.rusty"), floor2);
	assert_ptr_equal(find_item_inv(x->ayla, "sword"), inv);
	assert_null(find_item_inv(x->ayla, "2.sword"));
	assert_ptr_equal(find_item_worn(x->ayla, "sword"), worn);
	assert_ptr_equal(find_item_room(x->ayla, "sword"), floor);
	assert_ptr_equal(find_item_room(x->ayla, "2.sword"), floor2);
	assert_ptr_equal(find_item_list(x->ayla, &x->square->items, "rus"), floor2);
	assert_null(find_item_here(x->ayla, "all"));
	assert_null(find_item_here(x->ayla, "all.sword"));
	assert_null(find_item_here(x->ayla, ""));
	assert_null(find_item_here(x->ayla, "0.sword"));

	/* Extracted items are gone at once, before the reap. */
	world_extract_item(x->w, floor);
	assert_ptr_equal(find_item_room(x->ayla, "sword"), floor2);
}

static void test_find_items_all(void **state)
{
	struct cfx *x = *state;
	struct find_target t;
	struct item_vec v = {0};

	cfx_item_in_room(x, "t:coin", x->square);
	cfx_item_in_room(x, "t:rock", x->square);
	cfx_item_in_room(x, "t:coin", x->square);
	find_target_init(&t, "all.coin");
	assert_int_equal(find_items(x->ayla, &x->square->items, &t, &v), 2);
	find_target_fini(&t);
	find_target_init(&t, "all");
	assert_int_equal(find_items(x->ayla, &x->square->items, &t, &v), 3);
	assert_int_equal(v.n, 5);
	find_target_fini(&t);
	/* In the dark, nothing on the floor is found. */
	find_vec_fini(&v);
	cfx_item_in_room(x, "t:coin", x->cellar);
	cfx_place(x->ayla, x->cellar);
	find_target_init(&t, "all");
	assert_int_equal(find_items(x->ayla, &x->cellar->items, &t, &v), 0);
	assert_null(find_item_room(x->ayla, "coin"));
	find_target_fini(&t);
	find_vec_fini(&v);
}

static void test_characters(void **state)
{
	struct cfx *x = *state;
	struct character *c1 = cfx_mob(x, "t:cat", x->square);
	struct character *c2 = cfx_mob(x, "t:cat", x->square);

	assert_ptr_equal(find_char_room(x->ayla, "me"), x->ayla);
	assert_ptr_equal(find_char_room(x->ayla, "SELF"), x->ayla);
	assert_ptr_equal(find_char_room(x->ayla, "bo"), x->bo);
	assert_ptr_equal(find_char_room(x->ayla, "cat"), c1);
	assert_ptr_equal(find_char_room(x->ayla, "2.cat"), c2);
	assert_ptr_equal(find_char_room(x->ayla, "grey"), c1);
	assert_null(find_char_room(x->ayla, "3.cat"));
	assert_null(find_char_room(x->ayla, "dog"));
	assert_null(find_char_room(x->ayla, "all"));
	cfx_place(x->bo, x->inn);
	assert_null(find_char_room(x->ayla, "bo"));
	cfx_place(x->bo, x->cellar);
	cfx_place(x->ayla, x->cellar);
	assert_null(find_char_room(x->ayla, "bo"));
	assert_ptr_equal(find_char_room(x->ayla, "me"), x->ayla);
}

static void test_players(void **state)
{
	struct cfx *x = *state;
	struct character *bob = cfx_player(x, "Bob", PRONOUNS_HE, 3);

	assert_ptr_equal(find_player(x->w, "ayla"), x->ayla);
	assert_ptr_equal(find_player(x->w, "AY"), x->ayla);
	/* "bo" is Bo exactly, although Bob begins the same way. */
	assert_ptr_equal(find_player(x->w, "bo"), x->bo);
	assert_ptr_equal(find_player(x->w, "bob"), bob);
	/* "b" could be either: no one. */
	assert_null(find_player(x->w, "b"));
	assert_null(find_player(x->w, "zed"));
	assert_null(find_player(x->w, ""));
	world_player_linkdead(x->w, x->ayla);
	assert_ptr_equal(find_player(x->w, "ayl"), x->ayla);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target_parsing),
		cmocka_unit_test(test_keyword_matching),
		cmocka_unit_test_setup_teardown(test_items_across_places, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_find_items_all, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_characters, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_players, cfx_setup, cfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
