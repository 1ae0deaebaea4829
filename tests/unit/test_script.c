/*
 * test_script.c: the script runtime against a real world: triggers and
 * vetoes, wait() and timers on the world clock, handles that outlive their
 * objects, phrase tables, hp_below, error reports and disabling, hostile
 * triggers, area_state and ch:memory() through a store, and live reload
 * with rollback.
 *
 * The world is tests/lua/script/town (read it first: each test says a word
 * to the greeter to reach one trigger). Tests run from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "fake_ops.h"
#include "game/world.h"
#include "script/internal.h"
#include "script/script.h"
#include "base/banned.h"

/* The store: "state:<area>" and "mem:<id>:<area>" -> JSON, kept across worlds. */
struct store {
	struct map m;
	int saves;
};

static int store_get(struct store *st, const char *key, struct buf *out)
{
	const char *v = map_get(&st->m, key);

	buf_clear(out);
	if (!v)
		return -2;
	buf_puts(out, v);
	return 0;
}

static int state_load(void *ud, const char *area, struct buf *out)
{
	char key[128];
	snprintf(key, sizeof(key), "state:%s", area);
	return store_get(ud, key, out) == 0 ? 0 : -2; /* -ENOENT */
}

static int state_save(void *ud, const char *area, const char *json)
{
	struct store *st = ud;
	char key[128];
	snprintf(key, sizeof(key), "state:%s", area);
	free(map_put(&st->m, key, xstrdup(json)));
	st->saves++;
	return 0;
}

static int memory_load(void *ud, int64_t id, const char *area, struct buf *out)
{
	char key[128];
	snprintf(key, sizeof(key), "mem:%lld:%s", (long long)id, area);
	return store_get(ud, key, out);
}

static int memory_save(void *ud, int64_t id, const char *area, const char *json)
{
	struct store *st = ud;
	char key[128];
	snprintf(key, sizeof(key), "mem:%lld:%s", (long long)id, area);
	free(map_put(&st->m, key, xstrdup(json)));
	st->saves++;
	return 0;
}

struct fixture {
	struct fake_ops ops;
	struct log *log;
	struct world *w;
	struct scripts *s;
	struct store store;
	struct buf errors;
	char dir[64]; /* a copy of the areas, for reload tests; "" if unused */
};

static void fx_load(struct fixture *f, const char *dir)
{
	struct world_ops ops;
	const struct world_config wcfg = {
		.mud_name = "test", .autosave_s = 100000, .linkdead_timeout_s = 100000};
	const struct script_config cfg = {
		.areas_dir = dir,
		.lua_dir = "lua",
		.mem_limit = (size_t)4 << 20,
		.instr_budget = 200000,
		.time_limit_ms = 2000,
		.store_ud = &f->store,
		.state_load = state_load,
		.state_save = state_save,
		.memory_load = memory_load,
		.memory_save = memory_save,
	};

	fake_ops_init(&f->ops, &ops);
	f->log = log_new(NULL, LOG_ERROR);
	f->w = world_new(f->log, &ops, &wcfg);
	f->s = scripts_new(f->w, f->log, &cfg);
	buf_init(&f->errors, 0);
	int problems = scripts_load_all(f->s, &f->errors);
	if (problems)
		fail_msg("%d problems:\n%s", problems, buf_cstr(&f->errors));
	world_reset_all(f->w);
	world_reap(f->w);
}

static void fx_unload(struct fixture *f)
{
	scripts_free(f->s);
	world_free(f->w);
	log_free(f->log);
	fake_ops_fini(&f->ops);
	buf_fini(&f->errors);
	f->s = NULL;
	f->w = NULL;
}

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	map_init(&f->store.m, false);
	fx_load(f, "tests/lua/script");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	size_t pos = 0;
	void *v;

	if (f->s)
		fx_unload(f);
	while (map_next(&f->store.m, &pos, NULL, &v))
		free(v);
	map_fini(&f->store.m);
	if (f->dir[0]) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
		assert_int_equal(system(cmd), 0);
	}
	test_free(f);
	return 0;
}

/* A player in the game on session (builders see script errors). */
static struct character *player(struct fixture *f, const char *name, uint32_t session, bool builder)
{
	struct character *ch = world_player_new(f->w, name, "fighter", PRONOUNS_THEY);

	assert_non_null(ch);
	ch->pc->db_id = session;
	if (builder)
		ch->pc->roles |= PLAYER_ROLE_BUILDER;
	world_player_enter(f->w, ch, session);
	return ch;
}

static void pulses(struct fixture *f, int n)
{
	for (int i = 0; i < n; i++) {
		world_pulse(f->w);
		scripts_pulse(f->s);
		world_reap(f->w);
	}
}

static void cmd(struct fixture *f, struct character *ch, const char *line)
{
	world_command(f->w, ch, line);
	world_reap(f->w);
}

/* What session was sent since the last call. */
static const char *out(struct fixture *f, uint32_t session)
{
	static struct buf last;
	static bool init;

	if (!init) {
		buf_init(&last, 0);
		init = true;
	}
	buf_clear(&last);
	buf_puts(&last, fake_ops_text(&f->ops, session));
	buf_clear(&f->ops.text[session]);
	return buf_cstr(&last);
}

static void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("missing '%s' in:\n%s", needle, text);
}

static void assert_lacks(const char *text, const char *needle)
{
	if (strstr(text, needle))
		fail_msg("unexpected '%s' in:\n%s", needle, text);
}

/* The first mob in room with that prototype id. */
static struct character *mob_in(struct fixture *f, const char *room, const char *proto)
{
	struct room *r = world_find_room(f->w, room);

	assert_non_null(r);
	DLIST_FOREACH(&r->people, l)
	{
		struct character *ch = dlist_entry(l, struct character, room_link);
		if (ch->proto && strcmp(ch->proto->id, proto) == 0 && !ch->extracted)
			return ch;
	}
	return NULL;
}

/* ---- triggers and vetoes -------------------------------------------------------- */

static void test_enter_leave_veto(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Ayla", 1, false);

	out(f, 1);
	cmd(f, ch, "north");
	assert_string_equal(ch->room->id, "town:hall");
	assert_has(out(f, 1), "Welcome to the hall, Ayla (from south).");
	cmd(f, ch, "north");
	assert_string_equal(ch->room->id, "town:hall");
	assert_has(out(f, 1), "The vault is shut to you.");
	cmd(f, ch, "south");
	cmd(f, ch, "say a permit, please");
	assert_has(out(f, 1), "Here is a pass.");
	cmd(f, ch, "north");
	cmd(f, ch, "north");
	assert_string_equal(ch->room->id, "town:vault");
}

static void test_before_command(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Bren", 2, true);

	cmd(f, ch, "east");
	out(f, 2);
	cmd(f, ch, "dance");
	assert_has(out(f, 2), "You dance in the yard.");
	cmd(f, ch, "sing");
	assert_string_equal(out(f, 2), "Not here.\n");
	cmd(f, ch, "waitbefore");
	const char *o = out(f, 2);
	assert_has(o, "[script]");
	assert_has(o, "wait() cannot be used in a before_ trigger");
	assert_has(o, "tests/lua/script/town/area.lua:46:");
	assert_has(o, "before_command of room town:yard (actor Bren)");
	/* A before_ trigger that fails stops the command (a broken guard lets nobody by). */
	cmd(f, ch, "east");
	cmd(f, ch, "breakme");
	o = out(f, 2);
	assert_has(o, "a broken before_command");
	assert_has(o, "You cannot do that just now.");
	assert_null(strstr(o, "Huh?"));
}

/*
 * The guard behavior reads the direction from any line, however many
 * spaces it holds: a 4 KiB line of them used to run a quadratic pattern
 * out of instructions, and the failed guard let the player by.
 */
static void test_guard_holds_against_long_lines(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Cato", 3, true);
	char line[4001];
	size_t n = 0;

	cmd(f, ch, "east");
	cmd(f, ch, "east");
	assert_string_equal(ch->room->id, "town:gate");
	out(f, 3);
	cmd(f, ch, "north");
	assert_has(out(f, 3), "The sentry bars your way.");
	n += (size_t)snprintf(line + n, sizeof(line) - n, "north");
	while (n < 1990)
		line[n++] = ' ';
	line[n++] = 'x';
	while (n < 3990)
		line[n++] = ' ';
	line[n++] = 'y';
	line[n] = '\0';
	cmd(f, ch, line);
	assert_string_equal(ch->room->id, "town:gate");
	assert_has(out(f, 3), "The sentry bars your way.");
	cmd(f, ch, "  go   North  ");
	assert_string_equal(ch->room->id, "town:gate");
	assert_has(out(f, 3), "The sentry bars your way.");
	cmd(f, ch, "west");
	assert_string_equal(ch->room->id, "town:yard");
}

static void test_phrases(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Cora", 3, false);

	out(f, 3);
	cmd(f, ch, "say Hello there!");
	assert_has(out(f, 3), "The square echoes.");
	cmd(f, ch, "say hellothere");
	assert_lacks(out(f, 3), "echoes");
}

/* ---- wait and timers ------------------------------------------------------------ */

static void test_wait_resumes_on_pulses(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Dara", 4, false);

	cmd(f, ch, "east");
	out(f, 4);
	cmd(f, ch, "west");
	assert_has(out(f, 4), "Hello, Dara.");
	pulses(f, 19);
	assert_lacks(out(f, 4), "Still here");
	pulses(f, 1);
	assert_has(out(f, 4), "Still here, Dara?");
	assert_int_equal(task_count(f->s), 1); /* the sleeper's timer is still to come */
}

static void test_wait_after_owner_gone(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Eli", 5, true);

	cmd(f, ch, "east");
	cmd(f, ch, "west");
	assert_has(out(f, 5), "Hello, Eli.");
	size_t before = task_count(f->s);
	struct character *greeter = mob_in(f, "town:square", "town:greeter");
	assert_non_null(greeter);
	world_extract_char(f->w, greeter);
	world_reap(f->w);
	assert_int_equal(task_count(f->s), before - 1);
	pulses(f, 30);
	const char *o = out(f, 5);
	assert_lacks(o, "Still here");
	assert_lacks(o, "[script]");
}

static void test_wait_after_actor_gone(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Fen", 6, false);
	struct character *watcher = player(f, "Gil", 7, false);

	cmd(f, ch, "east");
	cmd(f, ch, "west");
	out(f, 7);
	world_player_leave(f->w, ch);
	world_reap(f->w);
	pulses(f, 30);
	assert_lacks(out(f, 7), "Still here");
	(void)watcher;
}

static void test_timers(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Hal", 8, false);

	cmd(f, ch, "east");
	out(f, 8);
	pulses(f, 30); /* the sleeper's after(3) */
	assert_has(out(f, 8), "I wake.");
	cmd(f, ch, "west");
	cmd(f, ch, "say later");
	pulses(f, 25);
	const char *o = out(f, 8);
	assert_non_null(strstr(o, "tick"));
	assert_non_null(strstr(strstr(o, "tick") + 4, "tick"));
	cmd(f, ch, "say cancel");
	out(f, 8);
	pulses(f, 30);
	assert_lacks(out(f, 8), "tick");
	/* A timer ends with its owner. */
	cmd(f, ch, "say later");
	assert_int_equal(task_count(f->s), 1);
	world_extract_char(f->w, mob_in(f, "town:square", "town:greeter"));
	world_reap(f->w);
	assert_int_equal(task_count(f->s), 0);
	pulses(f, 30);
	assert_lacks(out(f, 8), "tick");
}

static void test_coroutine_misuse(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Ivo", 9, true);

	out(f, 9);
	cmd(f, ch, "say coyield");
	assert_has(out(f, 9), "coroutine.yield() at the top of a trigger");
	cmd(f, ch, "say cowait");
	assert_has(out(f, 9), "wait() inside a coroutine of your own");
	assert_int_equal(task_count(f->s), 1);
}

/* ---- handles -------------------------------------------------------------------- */

static void test_handle_after_death(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Jo", 10, true);

	cmd(f, ch, "say keep");
	world_extract_char(f->w, mob_in(f, "town:square", "town:greeter"));
	world_reap(f->w);
	cmd(f, ch, "east");
	out(f, 10);
	cmd(f, ch, "say ghost");
	assert_has(out(f, 10), "mob 'town:greeter' is gone");
	/* The next trigger runs as ever. */
	cmd(f, ch, "dance");
	assert_has(out(f, 10), "You dance");
}

/* A spawn_item() into a place that is none makes nothing: no orphan counts against max_world. */
static void test_spawn_item_misplaced(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Lux", 12, false);
	struct item_proto *rock = world_find_item_proto(f->w, "town:rock");

	out(f, 12);
	cmd(f, ch, "say misplace");
	assert_has(out(f, 12), "no rock in stick, rock made");
	assert_int_equal(rock->live, 0);
}

/* item:move_to() a place that is none leaves the item where it was: a worn hat stays worn. */
static void test_move_to_refused(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Mo", 13, false);
	struct item *hat = world_item_create(f->w, world_find_item_proto(f->w, "town:hat"));

	assert_non_null(hat);
	item_to_char(hat, ch);
	assert_int_equal(item_equip(ch, hat, WEAR_HEAD), 0);
	out(f, 13);
	cmd(f, ch, "say hat");
	assert_has(out(f, 13), "hat stays");
	assert_ptr_equal(hat->carried_by, ch);
	assert_int_equal(hat->worn_on, WEAR_HEAD);
	assert_ptr_equal(ch->equip[WEAR_HEAD], hat);
}

/* proto(id) without a kind looks for an item, then a mob. */
static void test_proto_without_kind(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Nia", 15, false);

	out(f, 15);
	cmd(f, ch, "say proto");
	assert_has(out(f, 15), "kinds item mob");
}

/* ---- hp_below -------------------------------------------------------------------- */

static void test_hp_below(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Kai", 11, false);
	struct character *g = mob_in(f, "town:square", "town:greeter");

	out(f, 11);
	world_damage(f->w, g, 40, NULL);
	assert_lacks(out(f, 11), "half");
	world_damage(f->w, g, 15, NULL);
	const char *o = out(f, 11);
	assert_has(o, "half");
	assert_lacks(o, "fifth");
	world_damage(f->w, g, 5, NULL);
	assert_lacks(out(f, 11), "half");
	world_damage(f->w, g, 30, NULL);
	o = out(f, 11);
	assert_has(o, "fifth");
	assert_lacks(o, "half");
	(void)ch;
}

/* ---- errors, hostile triggers, disabling ----------------------------------------- */

static void test_hostile_triggers(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Lin", 12, true);
	static const struct {
		const char *say, *error;
	} cases[] = {
		{"say loop", "instruction budget exceeded"},
		{"say pcall loop", "instruction budget exceeded"},
		{"say bomb", "not enough memory"},
		{"say pattern", "instruction budget exceeded"},
		{"say boom", "area.lua:78: boom"},
		{"say close", "then a __close handler failed: tests/lua/script/town/area.lua:80: "
			      "instruction budget exceeded"},
		{"say tostring", "instruction budget exceeded"},
		{"say sort", "instruction budget exceeded"},
		{"say deep", "instruction budget exceeded"},
	};

	out(f, 12);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cmd(f, ch, cases[i].say);
		assert_has(out(f, 12), cases[i].error);
		/* The world and the area's state go on. */
		cmd(f, ch, "say hp");
		assert_has(out(f, 12), "hp ");
	}
}

static void test_disabled_after_errors(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Mo", 13, true);

	out(f, 13);
	for (int i = 0; i < 4; i++)
		cmd(f, ch, "say boom");
	assert_lacks(out(f, 13), "turned off");
	cmd(f, ch, "say boom");
	assert_has(out(f, 13), "is turned off after 5 errors in a row");
	cmd(f, ch, "say boom");
	assert_lacks(out(f, 13), "[script]");
	/* The whole on_say table is one trigger: it is off too. */
	cmd(f, ch, "say hp");
	assert_lacks(out(f, 13), "hp ");
	/* Other triggers still run. */
	cmd(f, ch, "say hello");
	assert_has(out(f, 13), "The square echoes.");
}

static void test_disabled_by_error_rate(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Nia", 13, true);
	struct buf report;

	/* Never five in a row, but twenty within ten minutes. */
	for (int i = 0; i < 19; i++) {
		cmd(f, ch, "say boom");
		cmd(f, ch, "say hp");
		pulses(f, 100);
	}
	assert_lacks(out(f, 13), "turned off");
	cmd(f, ch, "say boom");
	assert_has(out(f, 13), "is turned off after 20 errors in 10 minutes");
	cmd(f, ch, "say hp");
	assert_lacks(out(f, 13), "hp ");
	/* A reload turns it back on. */
	buf_init(&report, 0);
	assert_int_equal(scripts_reload_area(f->s, "town", &report), 0);
	buf_fini(&report);
	cmd(f, ch, "say hp");
	assert_has(out(f, 13), "hp ");
}

static void test_timer_storm(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Olu", 12, true);

	/* 4000 timers that each loop to the budget, every pulse: the area pays, not the game. */
	cmd(f, ch, "say storm");
	assert_int_equal(task_count(f->s), 4001);
	int64_t t0 = clock_mono_ms();
	pulses(f, 10);
	assert_true(clock_mono_ms() - t0 < 10 * 200);
	assert_has(out(f, 12), "every timer of mob town:greeter is turned off after 5 errors");
	pulses(f, 10);
	assert_int_equal(task_count(f->s), 1);
	/* log() is rate-limited per area. */
	cmd(f, ch, "say chatter");
	const char *o = out(f, 12);
	assert_has(o, "town: line 20");
	assert_lacks(o, "town: line 21");
	assert_has(o, "log() is saying too much");
}

/* ---- persistence ------------------------------------------------------------------- */

static void test_area_state_persists(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Ned", 14, true);

	cmd(f, ch, "say visit");
	cmd(f, ch, "say visit");
	scripts_save_all(f->s);
	assert_string_equal(map_get(&f->store.m, "state:town"), "{\"visits\":2}");
	int saves = f->store.saves;
	scripts_save_all(f->s); /* unchanged: not written again */
	assert_int_equal(f->store.saves, saves);
	/* A restart: the new world's files see the saved value at the top level. */
	fx_unload(f);
	fx_load(f, "tests/lua/script");
	ch = player(f, "Ned", 14, true);
	cmd(f, ch, "say visit");
	scripts_save_all(f->s);
	assert_string_equal(map_get(&f->store.m, "state:town"), "{\"visits\":3}");
	/* What cannot be saved is refused, and the last good save stays. */
	cmd(f, ch, "say badstate");
	out(f, 14);
	scripts_save_all(f->s);
	assert_has(out(f, 14), "area_state.fn is a function");
	assert_string_equal(map_get(&f->store.m, "state:town"), "{\"visits\":3}");
}

static void test_state_values(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Pia", 14, true);

	/* Lists, typed keys, nesting and numbers come back as they went. */
	cmd(f, ch, "say types");
	scripts_save_all(f->s);
	fx_unload(f);
	fx_load(f, "tests/lua/script");
	ch = player(f, "Pia", 14, true);
	cmd(f, ch, "say check types");
	assert_has(out(f, 14), "types ok");
	/* A table inside itself and bytes that are not text are refused with their path. */
	cmd(f, ch, "say cycle");
	scripts_save_all(f->s);
	assert_has(out(f, 14), "area_state.c.self contains itself");
	fx_unload(f);
	fx_load(f, "tests/lua/script");
	ch = player(f, "Pia", 14, true);
	cmd(f, ch, "say binary");
	scripts_save_all(f->s);
	assert_has(out(f, 14), "area_state.b is not UTF-8 text");
}

static void test_memory_persists(void **state)
{
	struct fixture *f = *state;
	struct character *ch = player(f, "Oda", 15, false);

	cmd(f, ch, "say remember");
	cmd(f, ch, "say remember");
	assert_has(out(f, 15), "count 2");
	scripts_save_player(f->s, ch);
	assert_string_equal(map_get(&f->store.m, "mem:15:town"), "{\"count\":2}");
	/* Unchanged: not written again, unless its save's transaction failed. */
	int saves = f->store.saves;
	scripts_save_player(f->s, ch);
	assert_int_equal(f->store.saves, saves);
	scripts_memory_unsaved(f->s, ch);
	scripts_save_player(f->s, ch);
	assert_int_equal(f->store.saves, saves + 1);
	fx_unload(f);
	fx_load(f, "tests/lua/script");
	ch = player(f, "Oda", 15, false);
	cmd(f, ch, "say remember");
	assert_has(out(f, 15), "count 3");
	/* Another player has a memory of their own. */
	struct character *other = player(f, "Pim", 6, false);
	cmd(f, other, "say remember");
	assert_has(out(f, 6), "count 1");
}

/* ---- live reload --------------------------------------------------------------------- */

/* Copies the fixture to a scratch folder and loads it from there. */
static void fx_copy(struct fixture *f)
{
	char cmd_line[256];

	fx_unload(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/ruin-test-script-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(cmd_line, sizeof(cmd_line), "cp -R tests/lua/script/town %s/", f->dir);
	assert_int_equal(system(cmd_line), 0);
	fx_load(f, f->dir);
}

/* Rewrites the area file: the fixture with from replaced by to. */
static void fx_edit(struct fixture *f, const char *from, const char *to)
{
	char path[128];
	struct buf text;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/town/area.lua", f->dir);
	fp = fopen("tests/lua/script/town/area.lua", "r");
	assert_non_null(fp);
	buf_init(&text, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(&text, chunk, n);
	fclose(fp);
	const char *at = strstr(buf_cstr(&text), from);
	assert_non_null(at);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fwrite(text.data, 1, (size_t)(at - text.data), fp);
	fputs(to, fp);
	fputs(at + strlen(from), fp);
	fclose(fp);
	buf_fini(&text);
}

/* The new version: the vault gives way to a garden east of the hall. */
static void fx_drop_vault(struct fixture *f)
{
	char path[128];
	struct buf t;
	char c[4096];
	size_t n;

	fx_edit(f,
		"room \"vault\" { name = \"Vault\", desc = \"A vault.\", exits = { south = "
		"\"hall\" } }",
		"room \"garden\" { name = \"Garden\", desc = \"Roses.\", exits = { west = \"hall\" "
		"} }");
	/* hall's exits name the vault: point them at the garden instead. */
	snprintf(path, sizeof(path), "%s/town/area.lua", f->dir);
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	buf_init(&t, 0);
	while ((n = fread(c, 1, sizeof(c), fp)) > 0)
		buf_append(&t, c, n);
	fclose(fp);
	char *at = strstr(t.data, "north = \"vault\"");
	assert_non_null(at);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fwrite(t.data, 1, (size_t)(at - t.data), fp);
	fputs("east = \"garden\"", fp);
	fputs(at + strlen("north = \"vault\""), fp);
	fclose(fp);
	buf_fini(&t);
}

static void reload_ok(struct fixture *f)
{
	struct buf report;

	buf_init(&report, 0);
	if (scripts_reload_area(f->s, "town", &report))
		fail_msg("%s", buf_cstr(&report));
	buf_fini(&report);
}

/* Mobs of a prototype anywhere in the world. */
static int count_mobs(struct fixture *f, const char *proto)
{
	int n = 0;

	for (struct character *ch = world_next_char(f->w, NULL); ch; ch = world_next_char(f->w, ch))
		n += ch->proto && strcmp(ch->proto->id, proto) == 0;
	return n;
}

static void test_reload_swaps(void **state)
{
	struct fixture *f = *state;
	struct buf report;

	fx_copy(f);
	buf_init(&report, 0);
	struct character *ch = player(f, "Quin", 1, true);
	struct character *g = mob_in(f, "town:square", "town:greeter");
	ref_t gref = g->ref;
	cmd(f, ch, "say visit");
	cmd(f, ch, "say later"); /* a timer of the old state */
	cmd(f, ch, "say a permit");
	cmd(f, ch, "north");
	cmd(f, ch, "north");
	assert_string_equal(ch->room->id, "town:vault");
	fx_drop_vault(f);
	out(f, 1);
	int problems = scripts_reload_area(f->s, "town", &report);
	if (problems)
		fail_msg("%s", buf_cstr(&report));
	assert_has(buf_cstr(&report), "reloaded town: 5 rooms (1 new, 1 removed)");
	assert_has(buf_cstr(&report), "on_reload ran");
	/* The player in the removed vault was moved to the area's first room. */
	assert_string_equal(ch->room->id, "town:square");
	assert_has(out(f, 1), "The world shifts around you.");
	/* The greeter is the same mob (handles stay good); the old timer is gone. */
	assert_ptr_equal(world_ref_char(f->w, gref), g);
	assert_int_equal(task_count(f->s), 1); /* only the sleeper's after(), from its spawn */
	pulses(f, 40);
	assert_lacks(out(f, 1), "tick");
	/* The new exit works, area_state came over and on_reload saw the old one. */
	cmd(f, ch, "north");
	cmd(f, ch, "east");
	assert_string_equal(ch->room->id, "town:garden");
	scripts_save_all(f->s);
	assert_string_equal(map_get(&f->store.m, "state:town"),
			    "{\"reloaded_from\":1,\"visits\":1}");
	buf_fini(&report);
}

static void test_reload_refused(void **state)
{
	struct fixture *f = *state;
	struct buf report;
	static const struct {
		const char *code, *problem;
	} cases[] = {
		{"while true do end\n", "instruction budget exceeded"},
		{"local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 4096) .. i end\n",
		 "not enough memory"},
		{"string.find(string.rep('a', 40), string.rep('a*', 30) .. 'b')\n",
		 "instruction budget exceeded"},
		{"room \"x\" {\n", "expected"},
		{"room \"lost\" { name = \"L\", desc = \"L.\", exits = { up = \"nowhere:room\" } "
		 "}\n",
		 "unknown room 'nowhere:room' (there is no area 'nowhere')"},
		{"room \"sq\" { name = \"S\", desc = \"S.\", on_entr = function() end }\n",
		 "did you mean 'on_enter'?"},
	};

	fx_copy(f);
	buf_init(&report, 0);
	struct character *ch = player(f, "Rue", 2, true);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_clear(&report);
		fx_edit(f, "kept = {}", cases[i].code);
		int problems = scripts_reload_area(f->s, "town", &report);
		assert_true(problems > 0);
		assert_has(buf_cstr(&report), cases[i].problem);
		assert_has(buf_cstr(&report), "the running version is unchanged");
		/* The old version runs on. */
		out(f, 2);
		cmd(f, ch, "say a permit");
		assert_has(out(f, 2), "Here is a pass.");
	}
	buf_clear(&report);
	assert_int_equal(scripts_reload_area(f->s, "twon", &report), 1);
	assert_has(buf_cstr(&report), "there is no loaded area 'twon' (did you mean 'town'?)");
	buf_fini(&report);
}

/*
 * While the new version's files load they only declare: whatever would act
 * on the running world (or outlive a refused version, as a timer would)
 * raises, the reload is refused, and the world is as it was.
 */
static void test_reload_files_do_not_act(void **state)
{
	struct fixture *f = *state;
	struct buf report;
	static const char *const cases[] = {
		"local r = find_room(\"yard\") if r then every(r, 0.1, function() end) end\n",
		"after(find_room(\"yard\"), 0.5, function() end) error(\"refused anyway\")\n",
		"spawn_mob(\"greeter\", \"square\")\n",
		"spawn_item(\"pass\", \"square\")\n",
		"echo(\"square\", \"load echo\")\n",
		"find_room(\"square\"):echo(\"load echo\")\n",
		"send(find_player(\"Sol\"), \"load echo\")\n",
		"find_player(\"Sol\"):add_gold(5)\n",
		"find_room(\"hall\"):lock(\"north\")\n",
	};

	fx_copy(f);
	buf_init(&report, 0);
	struct character *ch = player(f, "Sol", 14, false);
	int gold = ch->gold;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char code[512];
		snprintf(code, sizeof(code), "kept = {}\n%s", cases[i]);
		fx_edit(f, "kept = {}", code);
		out(f, 14);
		buf_clear(&report);
		size_t tasks = task_count(f->s);
		int problems = scripts_reload_area(f->s, "town", &report);
		if (problems == 0)
			fail_msg("case %zu was not refused: %s", i, buf_cstr(&report));
		assert_has(buf_cstr(&report), "while the area's files load");
		assert_int_equal(task_count(f->s), tasks);
		assert_int_equal(count_mobs(f, "town:greeter"), 1);
		assert_int_equal(world_find_item_proto(f->w, "town:pass")->live, 0);
		assert_lacks(out(f, 14), "load echo");
		assert_int_equal(ch->gold, gold);
		assert_false(world_find_room(f->w, "town:hall")->exits[DIR_NORTH]->flags &
			     EXIT_LOCKED);
		pulses(f, 25); /* a timer of the refused version would run on freed memory */
	}
	/* Reading the running world is fine: the reload goes through. */
	fx_edit(f, "kept = {}",
		"kept = {}\nassert(find_room(\"square\").name == \"Square\")\n"
		"assert(proto(\"pass\", \"item\").kind == \"item\" and random(1, 1) == 1)\n");
	reload_ok(f);
	buf_fini(&report);
}

static void test_reload_keeps_other_areas_whole(void **state)
{
	struct fixture *f = *state;
	struct buf report;
	char path[128];

	/* Another area has a way into the vault: a version without the vault is refused. */
	fx_copy(f);
	snprintf(path, sizeof(path), "%s/field", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/field/area.lua", f->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("area { id = \"field\", name = \"Field\" }\n"
	      "room \"meadow\" { name = \"Meadow\", desc = \"Grass.\", exits = { down = "
	      "\"town:vault\" } }\n",
	      fp);
	fclose(fp);
	fx_unload(f);
	fx_load(f, f->dir);
	fx_drop_vault(f);
	buf_init(&report, 0);
	assert_int_equal(scripts_reload_area(f->s, "town", &report), 1);
	assert_has(buf_cstr(&report), "room 'field:meadow': exit down leads to 'town:vault', which "
				      "the new version of town does not have");
	assert_non_null(world_find_room(f->w, "town:vault"));
	assert_ptr_equal(world_find_room(f->w, "field:meadow")->exits[DIR_DOWN]->to,
			 world_find_room(f->w, "town:vault"));
	buf_fini(&report);
}

/* A reload keeps each spawn rule's count of its live mobs: resets do not double them. */
static void test_reload_keeps_spawn_counts(void **state)
{
	struct fixture *f = *state;
	struct area *town;

	fx_copy(f);
	town = world_find_area(f->w, "town");
	struct character *g = mob_in(f, "town:square", "town:greeter");
	assert_non_null(g);
	char_to_room(g, world_find_room(f->w, "town:yard")); /* it wandered off */

	/* The same rules again: the new rule takes the greeter over. */
	reload_ok(f);
	world_reset_area(f->w, town);
	world_reap(f->w);
	assert_int_equal(count_mobs(f, "town:greeter"), 1);
	assert_non_null(g->spawn);

	/* A second rule for it makes a second greeter (fx_edit() edits the original)... */
	fx_edit(f, "spawn { mob = \"greeter\", room = \"square\" }",
		"spawn { mob = \"greeter\", room = \"square\" }\n"
		"spawn { mob = \"greeter\", room = \"square\" }");
	reload_ok(f);
	world_reset_area(f->w, town);
	world_reap(f->w);
	assert_int_equal(count_mobs(f, "town:greeter"), 2);

	/* ...and the two rules merged into one of max 2 keep both, and no third comes. */
	fx_edit(f, "spawn { mob = \"greeter\", room = \"square\" }",
		"spawn { mob = \"greeter\", room = \"square\", max = 2 }");
	reload_ok(f);
	world_reset_area(f->w, town);
	world_reap(f->w);
	assert_int_equal(count_mobs(f, "town:greeter"), 2);

	/* A version without the rule leaves the greeters to no rule: they live on, uncounted. */
	fx_edit(f, "spawn { mob = \"greeter\", room = \"square\" }", "");
	reload_ok(f);
	assert_null(g->spawn);
	world_reset_area(f->w, town);
	world_reap(f->w);
	assert_int_equal(count_mobs(f, "town:greeter"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_enter_leave_veto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_before_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guard_holds_against_long_lines, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_phrases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_resumes_on_pulses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_after_owner_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_after_actor_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coroutine_misuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handle_after_death, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spawn_item_misplaced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_to_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proto_without_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hp_below, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_triggers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled_after_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled_by_error_rate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timer_storm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_area_state_persists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_persists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_swaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_keeps_spawn_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_files_do_not_act, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_keeps_other_areas_whole, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
