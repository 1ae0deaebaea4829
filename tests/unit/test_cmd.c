/*
 * test_cmd.c: the dispatcher (exact names, abbreviations in table order,
 * the ' and : shortcuts, unknown words, commands that must be typed in
 * full, positions), help, and the settings commands: prompt (and
 * world_prompt), color, title, save, quit.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/color.h"
#include "cmd_fixture.h"
#include "game/cmd.h"
#include "game/internal.h"
#include "game/world.h"
#include "base/banned.h"

/* ---- dispatch --------------------------------------------------------------------- */

static void test_abbreviations_follow_table_order(void **state)
{
	struct cfx *x = *state;
	static const struct {
		const char *word, *name;
	} cases[] = {
		{"n", "north"},	      {"e", "east"},	    {"s", "south"},	 {"w", "west"},
		{"u", "up"},	      {"d", "down"},	    {"l", "look"},	 {"i", "inventory"},
		{"inv", "inventory"}, {"g", "get"},	    {"eq", "equipment"}, {"sa", "say"},
		{"sc", "score"},      {"t", "tell"},	    {"r", "reply"},	 {"wh", "who"},
		{"h", "help"},	      {"LOOK", "look"},	    {"em", "emote"},	 {"ex", "exits"},
		{"c", "close"},	      {"ch", "chat"},	    {"co", "color"},	 {"rem", "remove"},
		{"res", "rest"},      {"colour", "colour"}, {"p", "put"},	 {"pr", "prompt"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct cmd_def *c = cmd_find(x->ayla, cases[i].word);

		assert_non_null(c);
		if (strcmp(c->name, cases[i].name) != 0)
			fail_msg("'%s' ran %s, not %s", cases[i].word, c->name, cases[i].name);
	}
	assert_null(cmd_find(x->ayla, "q"));
	assert_null(cmd_find(x->ayla, "qui"));
	assert_non_null(cmd_find(x->ayla, "quit"));
	assert_null(cmd_find(x->ayla, "xyzzy"));
	assert_null(cmd_find(x->ayla, ""));
}

static void test_dispatch_runs_commands(void **state)
{
	struct cfx *x = *state;

	cfx_do(x, x->ayla, "n");
	assert_ptr_equal(x->ayla->room, x->inn);
	cfx_do(x, x->ayla, "   s   ");
	assert_ptr_equal(x->ayla->room, x->square);
	cfx_do(x, x->ayla, "l");
	CFX_SAW(x, CFX_AYLA, "Lantern Square");
	cfx_do(x, x->ayla, "i");
	CFX_SAW(x, CFX_AYLA, "You are carrying:");
}

static void test_shortcuts_say_and_emote(void **state)
{
	struct cfx *x = *state;

	cfx_do(x, x->ayla, "'hello there");
	CFX_SAW(x, CFX_AYLA, "You say, '{chello there{x'");
	CFX_SAW(x, CFX_BO, "Ayla says, '{chello there{x'");
	cfx_do(x, x->ayla, ":waves.");
	CFX_SAW(x, CFX_BO, "Ayla waves.");
	cfx_do(x, x->ayla, "  'spaced");
	CFX_SAW(x, CFX_BO, "Ayla says, '{cspaced{x'");
}

static void test_unknown_and_full_only(void **state)
{
	struct cfx *x = *state;

	cfx_do(x, x->ayla, "xyzzy");
	CFX_SAW(x, CFX_AYLA, "Huh? Type 'help' for a list of commands.");
	cfx_do(x, x->ayla, "qui");
	CFX_SAW(x, CFX_AYLA, "Type 'quit' in full");
	assert_int_equal(x->f.saves, 0);
	assert_false(x->ayla->extracted);
	cfx_do(x, x->ayla, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	CFX_SAW(x, CFX_AYLA, "Huh?");
	cfx_do(x, x->ayla, "");
	assert_string_equal(cfx_text(x, CFX_AYLA), "");
	cfx_do(x, x->ayla, "     ");
	assert_string_equal(cfx_text(x, CFX_AYLA), "");
}

static void test_positions_refuse(void **state)
{
	struct cfx *x = *state;

	x->ayla->pos = POS_SLEEPING;
	cfx_do(x, x->ayla, "north");
	CFX_SAW(x, CFX_AYLA, "In your dreams");
	assert_ptr_equal(x->ayla->room, x->square);
	cfx_do(x, x->ayla, "look");
	CFX_SAW(x, CFX_AYLA, "In your dreams");
	cfx_do(x, x->ayla, "score");
	CFX_SAW(x, CFX_AYLA, "You are sleeping.");
	x->ayla->pos = POS_RESTING;
	cfx_do(x, x->ayla, "north");
	CFX_SAW(x, CFX_AYLA, "too relaxed");
	x->ayla->pos = POS_SITTING;
	cfx_do(x, x->ayla, "north");
	CFX_SAW(x, CFX_AYLA, "Better stand up first.");
	x->ayla->pos = POS_FIGHTING;
	cfx_do(x, x->ayla, "north");
	CFX_SAW(x, CFX_AYLA, "still fighting");
	assert_ptr_equal(x->ayla->room, x->square);
}

static void test_idle_clock_updates(void **state)
{
	struct cfx *x = *state;

	for (int i = 0; i < 5; i++)
		world_pulse(x->w);
	cfx_do(x, x->ayla, "xyzzy");
	assert_int_equal(x->ayla->pc->idle_since_ms, world_now_ms(x->w));
}

static void test_mobs_can_run_commands(void **state)
{
	struct cfx *x = *state;
	struct character *cat = cfx_mob(x, "t:cat", x->square);

	cfx_do(x, cat, "say meow");
	CFX_SAW(x, CFX_AYLA, "A grey cat says, '{cmeow{x'");
	cfx_do(x, cat, "north");
	assert_ptr_equal(cat->room, x->inn);
	CFX_SAW(x, CFX_BO, "A grey cat leaves north.");
	cfx_do(x, cat, "quit");
	assert_false(cat->extracted);
	cfx_do(x, cat, "prompt %h");
	cfx_do(x, cat, "title the Cat");
	cfx_do(x, cat, "reply hi");
	cfx_do(x, cat, "chat hi");
	CFX_NOT_SAW(x, CFX_AYLA, "hi");
}

/* ---- help ------------------------------------------------------------------------- */

static void test_help_index_lists_every_command(void **state)
{
	struct cfx *x = *state;
	static const char *const names[] = {
		"north", "look",     "inventory", "get",    "drop",	"put",	  "give",  "say",
		"tell",	 "reply",    "emote",	  "chat",   "who",	"score",  "exits", "help",
		"wear",	 "wield",    "hold",	  "remove", "open",	"close",  "lock",  "unlock",
		"stand", "rest",     "sleep",	  "wake",   "color",	"prompt", "title", "save",
		"quit",	 "channels", "equipment", "newbie", "commands",
	};

	cfx_do(x, x->ayla, "help");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct buf needle;

		buf_init(&needle, 0);
		buf_printf(&needle, "  %s ", names[i]);
		CFX_SAW(x, CFX_AYLA, buf_cstr(&needle));
		buf_fini(&needle);
	}
}

static void test_help_topics(void **state)
{
	struct cfx *x = *state;

	cfx_do(x, x->ayla, "help say");
	CFX_SAW(x, CFX_AYLA, "{WSAY{x");
	CFX_SAW(x, CFX_AYLA, "Usage: say <message>");
	cfx_do(x, x->ayla, "help sa");
	CFX_SAW(x, CFX_AYLA, "{WSAY{x");
	cfx_do(x, x->ayla, "help QUIT");
	CFX_SAW(x, CFX_AYLA, "{WQUIT{x");
	cfx_do(x, x->ayla, "help qu");
	CFX_SAW(x, CFX_AYLA, "{WQUIT{x");
	cfx_do(x, x->ayla, "help targets");
	CFX_SAW(x, CFX_AYLA, "2.sword");
	cfx_do(x, x->ayla, "help tar");
	CFX_SAW(x, CFX_AYLA, "all.coin");
	cfx_do(x, x->ayla, "help prompt");
	CFX_SAW(x, CFX_AYLA, "%h %H");
	cfx_do(x, x->ayla, "help xyzzy");
	CFX_SAW(x, CFX_AYLA, "No help on that.");
	cfx_do(x, x->ayla, "commands");
	CFX_SAW(x, CFX_AYLA, "north");
	CFX_SAW(x, CFX_AYLA, "quit");
}

/* ---- prompt ----------------------------------------------------------------------- */

static const char *prompt_of(struct cfx *x, struct character *ch, struct buf *b)
{
	buf_clear(b);
	world_prompt(x->w, ch, b);
	return buf_cstr(b);
}

static void test_prompt_default_and_tokens(void **state)
{
	struct cfx *x = *state;
	struct character *a = x->ayla;
	struct buf b;

	buf_init(&b, 0);
	a->hp = 17;
	a->max_hp = 20;
	a->mana = 3;
	a->max_mana = 9;
	a->move = 88;
	a->max_move = 100;
	a->gold = 42;
	assert_string_equal(prompt_of(x, a, &b),
			    "{g17{x/{G20{xhp {c3{x/{C9{xmp {y88{x/{Y100{xmv> ");
	cfx_do(x, a, "prompt %h/%H %m/%M %v/%V %g gold @%r 100%% %q>");
	CFX_SAW(x, CFX_AYLA, "Prompt set.");
	assert_string_equal(prompt_of(x, a, &b),
			    "17/20 3/9 88/100 42 gold @Lantern Square 100% %q>");
	assert_true(a->pc->dirty);
	cfx_do(x, a, "prompt");
	CFX_SAW(x, CFX_AYLA, "Your prompt is: %h/%H");
	cfx_do(x, a, "prompt default  ");
	assert_null(a->pc->prompt);
	/* Trailing spaces belong to the prompt. */
	cfx_do(x, a, "prompt   [%h]  ");
	assert_string_equal(prompt_of(x, a, &b), "[17]  ");
	/* Numbers of every size and sign: a dying player's hp is below zero. */
	cfx_do(x, a, "prompt %h|%H|%m|%M|%v|%g");
	a->hp = -7;
	a->max_hp = 0;
	a->mana = INT_MIN;
	a->max_mana = INT_MAX;
	a->move = 10;
	a->gold = 1000000;
	assert_string_equal(prompt_of(x, a, &b), "-7|0|-2147483648|2147483647|10|1000000");
	a->hp = 17;
	a->max_hp = 20;
	a->mana = 3;
	a->max_mana = 9;
	a->move = 88;
	cfx_do(x, a, "prompt reset");
	assert_null(a->pc->prompt);
	assert_string_equal(prompt_of(x, a, &b),
			    "{g17{x/{G20{xhp {c3{x/{C9{xmp {y88{x/{Y100{xmv> ");
	/* %r in the dark names no room. */
	cfx_do(x, a, "prompt [%r]");
	cfx_place(a, x->cellar);
	assert_string_equal(prompt_of(x, a, &b), "[darkness]");
	/* Mobs have no prompt. */
	buf_clear(&b);
	world_prompt(x->w, cfx_mob(x, "t:cat", x->square), &b);
	assert_int_equal(b.len, 0);
	buf_fini(&b);
}

static void test_prompt_strips_controls_and_caps(void **state)
{
	struct cfx *x = *state;
	struct buf b, longp;

	buf_init(&b, 0);
	buf_init(&longp, 0);
	x->ayla->hp = 20;
	cfx_do(x, x->ayla, "prompt {R%h\x1b[2J\x07\tok> ");
	assert_string_equal(prompt_of(x, x->ayla, &b), "{R20[2J ok> ");
	buf_puts(&longp, "prompt ");
	for (int i = 0; i < 161; i++)
		buf_putc(&longp, 'x');
	cfx_do(x, x->ayla, buf_cstr(&longp));
	CFX_SAW(x, CFX_AYLA, "at most 160 characters");
	assert_string_equal(x->ayla->pc->prompt, "{R%h[2J ok> ");
	buf_fini(&b);
	buf_fini(&longp);
}

/* ---- color, title ------------------------------------------------------------------ */

static void test_color_settings(void **state)
{
	struct cfx *x = *state;
	static const struct {
		const char *arg;
		int level;
	} cases[] = {
		{"off", COLOR_NONE}, {"16", COLOR_16},
		{"256", COLOR_256},  {"truecolor", COLOR_TRUE},
		{"auto", -1},	     {"none", COLOR_NONE},
		{"on", -1},	     {"ON", -1},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf line;

		buf_init(&line, 0);
		buf_printf(&line, "color %s", cases[i].arg);
		x->ayla->pc->color = 99;
		cfx_do(x, x->ayla, buf_cstr(&line));
		assert_int_equal(x->ayla->pc->color, cases[i].level);
		buf_fini(&line);
	}
	cfx_do(x, x->ayla, "color purple");
	CFX_SAW(x, CFX_AYLA, "Usage: color");
	assert_int_equal(x->ayla->pc->color, -1);
	cfx_do(x, x->ayla, "color");
	CFX_SAW(x, CFX_AYLA, "Color: auto");
	cfx_do(x, x->ayla, "colour 256");
	assert_int_equal(x->ayla->pc->color, COLOR_256);
}

static void test_title(void **state)
{
	struct cfx *x = *state;
	struct buf longt;

	cfx_do(x, x->ayla, "title the {RLamplighter\x1b[5m");
	assert_string_equal(x->ayla->pc->title, "the {RLamplighter[5m");
	CFX_SAW(x, CFX_AYLA, "You are now known as Ayla the {{RLamplighter[5m.");
	assert_int_equal(fake_ops_data_count(&x->f, CFX_AYLA, "Char.Name"), 1);
	cfx_do(x, x->bo, "who");
	CFX_SAW(x, CFX_BO, "Ayla the {{RLamplighter[5m");
	CFX_NOT_SAW(x, CFX_BO, "\x1b");
	cfx_do(x, x->bo, "look");
	CFX_SAW(x, CFX_BO, "Ayla the {{RLamplighter[5m is here.");
	buf_init(&longt, 0);
	buf_puts(&longt, "title ");
	for (int i = 0; i < 41; i++)
		buf_putc(&longt, 'y');
	cfx_do(x, x->ayla, buf_cstr(&longt));
	CFX_SAW(x, CFX_AYLA, "at most 40 characters");
	assert_string_equal(x->ayla->pc->title, "the {RLamplighter[5m");
	buf_fini(&longt);
	/* 40 characters of UTF-8 are fine, however many bytes. */
	cfx_do(x, x->ayla,
	       "title \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	assert_int_equal(strlen(x->ayla->pc->title), 64);
	cfx_do(x, x->ayla, "title none");
	assert_null(x->ayla->pc->title);
	cfx_do(x, x->ayla, "title , of the Gate");
	cfx_do(x, x->ayla, "title");
	CFX_SAW(x, CFX_AYLA, "You are known as Ayla, of the Gate.");
}

/* ---- save, quit ------------------------------------------------------------------- */

static void test_save(void **state)
{
	struct cfx *x = *state;

	x->ayla->pc->dirty = true;
	cfx_do(x, x->ayla, "save");
	assert_int_equal(x->f.saves, 1);
	CFX_SAW(x, CFX_AYLA, "Saved.");
	assert_false(x->ayla->pc->dirty);
	x->f.save_rc = -5;
	x->ayla->pc->dirty = true;
	cfx_do(x, x->ayla, "save");
	CFX_SAW(x, CFX_AYLA, "Saving failed.");
	assert_true(x->ayla->pc->dirty);
}

static void test_quit(void **state)
{
	struct cfx *x = *state;

	x->f.save_rc = -1;
	cfx_do(x, x->ayla, "quit");
	CFX_SAW(x, CFX_AYLA, "could not be saved");
	assert_false(x->ayla->extracted);
	assert_false(fake_ops_was_disconnected(&x->f, CFX_AYLA));

	x->ayla->pos = POS_FIGHTING;
	x->f.save_rc = 0;
	cfx_do(x, x->ayla, "quit");
	CFX_SAW(x, CFX_AYLA, "You are fighting");
	assert_int_equal(x->f.saves, 0);
	x->ayla->pos = POS_STANDING;

	cfx_do(x, x->ayla, "quit");
	assert_int_equal(x->f.saves, 1);
	assert_string_equal(buf_cstr(&x->f.saved), "Ayla\n");
	CFX_SAW(x, CFX_AYLA, "Farewell, Ayla.");
	CFX_SAW(x, CFX_BO, "Ayla has left the game.");
	assert_true(fake_ops_was_disconnected(&x->f, CFX_AYLA));
	assert_null(world_find_player(x->w, "Ayla"));
	/* Bo's client learns the room changed: he is alone (Room.Info lists him too). */
	json_t *info = cfx_json(x, CFX_BO, "Room.Info");
	assert_non_null(info);
	assert_int_equal(json_array_size(json_object_get(info, "players")), 1);
	json_decref(info);
	world_reap(x->w);
	x->ayla = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_abbreviations_follow_table_order, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_runs_commands, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_shortcuts_say_and_emote, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_full_only, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_positions_refuse, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_idle_clock_updates, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_mobs_can_run_commands, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_help_index_lists_every_command, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_help_topics, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_prompt_default_and_tokens, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_prompt_strips_controls_and_caps, cfx_setup,
						cfx_teardown),
		cmocka_unit_test_setup_teardown(test_color_settings, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_title, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_save, cfx_setup, cfx_teardown),
		cmocka_unit_test_setup_teardown(test_quit, cfx_setup, cfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
