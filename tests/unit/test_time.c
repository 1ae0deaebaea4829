/*
 * test_time.c: the game clock (an hour a minute, starting at 8), the
 * periods and their messages to players under the open sky only, night
 * darkness outdoors away from a village's lamps, the weather turning with
 * messages, the `time` and `weather` commands, and lights burning down.
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

static void hours(struct cfx *x, int n)
{
	for (int i = 0; i < n * 600; i++) {
		world_pulse(x->w);
		world_reap(x->w);
	}
}

static void test_clock(void **state)
{
	struct cfx *x = *state;

	assert_int_equal(world_hour(x->w), 8);
	assert_string_equal(world_time_period(x->w), "day");
	for (int i = 0; i < 599; i++)
		world_pulse(x->w);
	assert_int_equal(world_hour(x->w), 8);
	world_pulse(x->w);
	assert_int_equal(world_hour(x->w), 9);
	hours(x, 9);
	assert_int_equal(world_hour(x->w), 18);
	assert_string_equal(world_time_period(x->w), "dusk");
	hours(x, 2);
	assert_string_equal(world_time_period(x->w), "night");
	assert_int_equal(world_sky(x->w)->period, PERIOD_NIGHT);
	hours(x, 9);
	assert_int_equal(world_hour(x->w), 5);
	assert_string_equal(world_time_period(x->w), "dawn");
	hours(x, 2);
	assert_string_equal(world_time_period(x->w), "day");
	assert_int_equal(world_hour(x->w), 7);
}

static void test_period_messages_outdoors_only(void **state)
{
	struct cfx *x = *state;

	cfx_place(x->bo, x->inn);
	hours(x, 9);
	fake_ops_clear(&x->f);
	hours(x, 1);
	assert_string_equal(world_time_period(x->w), "dusk");
	assert_true(cfx_saw(x, CFX_AYLA, "The sun sinks low") ||
		    cfx_saw(x, CFX_AYLA, "The light begins to fail."));
	assert_string_equal(cfx_text(x, CFX_BO), "");
	/* Asleep, you miss the nightfall. */
	x->ayla->pos = POS_SLEEPING;
	fake_ops_clear(&x->f);
	hours(x, 2);
	CFX_NOT_SAW(x, CFX_AYLA, "Night falls");
	x->ayla->pos = POS_STANDING;
	fake_ops_clear(&x->f);
	hours(x, 9);
	assert_true(cfx_saw(x, CFX_AYLA, "dawn"));
}

static void test_night_darkness(void **state)
{
	struct cfx *x = *state;
	struct item *lantern;

	assert_true(world_room_is_lit(x->field));
	world_set_str(&x->field->desc, "Brambles everywhere.");
	cfx_place(x->bo, x->field);
	hours(x, 11);
	fake_ops_clear(&x->f);
	hours(x, 1);
	assert_string_equal(world_time_period(x->w), "night");
	/* Bo's panel learns the field went dark. */
	assert_int_equal(fake_ops_data_count(&x->f, CFX_BO, "Room.Info"), 1);
	assert_non_null(strstr(fake_ops_data_last(&x->f, CFX_BO, "Room.Info"), "\"desc\":\"\""));
	/* The forest goes dark; the village keeps its lamps; indoors is indoors. */
	assert_false(world_room_is_lit(x->field));
	assert_true(world_room_is_lit(x->square));
	assert_true(world_room_is_lit(x->inn));
	assert_false(world_room_is_lit(x->cellar));
	assert_true(world_room_outdoors(x->field));
	assert_false(world_room_outdoors(x->inn));
	assert_false(world_room_outdoors(x->cellar)); /* an "inside" environment */
	cfx_do(x, x->ayla, "east");
	CFX_SAW(x, CFX_AYLA, "It is pitch black.");
	lantern = cfx_item_on(x, "t:lantern", x->ayla);
	assert_int_equal(item_equip(x->ayla, lantern, WEAR_LIGHT), 0);
	assert_true(world_room_is_lit(x->field));
	cfx_do(x, x->ayla, "look");
	CFX_SAW(x, CFX_AYLA, "A Bramble Field");
	hours(x, 12);
	item_unequip(x->ayla, lantern);
	assert_true(world_room_is_lit(x->field));
}

static void test_weather_turns(void **state)
{
	struct cfx *x = *state;
	enum weather first = world_sky(x->w)->weather;
	bool changed = false, told = false;

	world_seed(x->w, 99);
	assert_int_equal(first, WEATHER_CLEAR);
	assert_string_equal(world_weather_name(WEATHER_STORM), "storm");
	cfx_place(x->bo, x->inn);
	for (int h = 0; h < 48; h++) {
		fake_ops_clear(&x->f);
		hours(x, 1);
		if (world_sky(x->w)->weather != first) {
			changed = true;
			first = world_sky(x->w)->weather;
			told = told || cfx_saw(x, CFX_AYLA, "louds") ||
			       cfx_saw(x, CFX_AYLA, "fog") || cfx_saw(x, CFX_AYLA, "rain") ||
			       cfx_saw(x, CFX_AYLA, "storm");
			/* Indoors, Bo hears nothing of it. */
			assert_string_equal(cfx_text(x, CFX_BO), "");
		}
	}
	assert_true(changed);
	assert_true(told);
}

static void test_time_and_weather_commands(void **state)
{
	struct cfx *x = *state;

	cfx_do(x, x->ayla, "time");
	CFX_SAW(x, CFX_AYLA, "It is 8 o'clock in the morning. It is day.");
	cfx_do(x, x->ayla, "weather");
	CFX_SAW(x, CFX_AYLA, "The sky is clear and blue.");
	hours(x, 7);
	cfx_do(x, x->ayla, "time");
	CFX_SAW(x, CFX_AYLA, "It is 3 o'clock in the afternoon.");
	cfx_place(x->ayla, x->inn);
	cfx_do(x, x->ayla, "weather");
	CFX_SAW(x, CFX_AYLA, "You cannot see the sky from here.");
	cfx_do(x, x->ayla, "help time");
	CFX_SAW(x, CFX_AYLA, "24 minutes");
}

static void test_lights_burn_down(void **state)
{
	struct cfx *x = *state;
	struct item *lantern = cfx_item_on(x, "t:lantern", x->ayla);
	struct item *spare = cfx_item_on(x, "t:lantern", x->ayla);

	lantern->timer = 2;
	assert_int_equal(item_equip(x->ayla, lantern, WEAR_LIGHT), 0);
	cfx_place(x->ayla, x->cellar);
	assert_true(world_room_is_lit(x->cellar));
	hours(x, 1);
	assert_int_equal(lantern->timer, 1);
	assert_int_equal(spare->timer, 10); /* carried, not lit: it keeps */
	fake_ops_clear(&x->f);
	hours(x, 1);
	CFX_SAW(x, CFX_AYLA, "A brass lantern flickers and goes out.");
	assert_int_equal(lantern->timer, 0);
	assert_false(world_room_is_lit(x->cellar));
	hours(x, 1);
	assert_int_equal(lantern->timer, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, cfx_setup, cfx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_clock),
		T(test_period_messages_outdoors_only),
		T(test_night_darkness),
		T(test_weather_turns),
		T(test_time_and_weather_commands),
		T(test_lights_burn_down),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
