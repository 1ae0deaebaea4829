/*
 * test_loader.c: loading areas (loader.c, build.c, kinds.c, script.c) into
 * a real world.
 *
 * Fixtures live in tests/lua/: good/ (two correct areas with includes, a
 * cross-area exit, doors, every item type), bad/ (one mistake of each kind
 * at a known line), hostile/ (areas that loop, bomb, or try to get out of
 * the sandbox; two of them assert inside Lua that every escape is refused).
 * Tests run from the repository root, as `make test` does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/list.h"
#include "base/log.h"
#include "game/world.h"
#include "script/internal.h"
#include "script/script.h"
#include "base/banned.h"

struct fixture {
	struct log *log;
	struct world *w;
	struct scripts *s;
	struct buf errors;
	int problems;
};

static void noop_send(void *ud, uint32_t session, const char *markup, size_t n)
{
	(void)ud;
	(void)session;
	(void)markup;
	(void)n;
}

/* Loads every area of dir into a fresh world with small limits. */
static struct fixture *load(const char *dir)
{
	struct fixture *f = test_calloc(1, sizeof(*f));
	const struct world_ops ops = {.send = noop_send};
	const struct world_config wcfg = {.mud_name = "test"};
	const struct script_config cfg = {
		.areas_dir = dir,
		.lua_dir = "lua",
		.mem_limit = (size_t)4 << 20,
		.load_instr_budget = 2000000,
		.load_time_limit_ms = 3000,
	};

	f->log = log_new(NULL, LOG_WARN);
	f->w = world_new(f->log, &ops, &wcfg);
	f->s = scripts_new(f->w, f->log, &cfg);
	buf_init(&f->errors, 0);
	f->problems = scripts_load_all(f->s, &f->errors);
	return f;
}

static void unload(struct fixture *f)
{
	scripts_free(f->s);
	world_free(f->w);
	log_free(f->log);
	buf_fini(&f->errors);
	test_free(f);
}

static void assert_has(const struct buf *b, const char *needle)
{
	if (!strstr(buf_cstr(b), needle))
		fail_msg("missing:\n%s\nin:\n%s", needle, buf_cstr(b));
}

static size_t count_in_list(const struct dlist *l)
{
	return l->count;
}

/* ---- a correct world --------------------------------------------------------- */

static void test_good_areas(void **state)
{
	(void)state;
	struct fixture *f = load("tests/lua/good");

	if (f->problems != 0)
		fail_msg("%d problems:\n%s", f->problems, buf_cstr(&f->errors));
	assert_int_equal(f->errors.len, 0);

	struct area *a = world_find_area(f->w, "village");
	assert_non_null(a);
	assert_string_equal(a->name, "Test Village");
	assert_string_equal(a->author, "tests");
	assert_string_equal(a->file, "tests/lua/good/village/area.lua");
	assert_int_equal(a->level_lo, 1);
	assert_int_equal(a->level_hi, 3);
	assert_int_equal(a->reset_minutes, 10);
	assert_string_equal(a->reset_message, "A bell rings.");
	assert_int_equal(a->room_count, 4);
	assert_non_null(world_find_area(f->w, "forest"));
	assert_int_equal(world_room_count(f->w), 6);

	struct room *sq = world_find_room(f->w, "village:square");
	assert_non_null(sq);
	assert_ptr_equal(world_start_room(f->w), sq);
	assert_string_equal(sq->name, "Lantern Square");
	assert_string_equal(sq->desc, "Lanterns everywhere. {ylight{x");
	assert_string_equal(sq->environment, "village");
	assert_true(sq->has_coords);
	assert_int_equal(sq->flags, ROOM_SAFE | ROOM_RECALL | ROOM_START);
	/* Exits: a cross-area one, a plain one, a locked door with its key, a hidden one. */
	assert_ptr_equal(sq->exits[DIR_NORTH]->to, world_find_room(f->w, "forest:edge"));
	assert_ptr_equal(sq->exits[DIR_EAST]->to, world_find_room(f->w, "village:smithy"));
	struct exit *gate = sq->exits[DIR_SOUTH];
	assert_ptr_equal(gate->to, world_find_room(f->w, "village:gate"));
	assert_string_equal(gate->door_keywords, "gate iron");
	assert_string_equal(gate->key_id, "village:gate_key");
	assert_string_equal(gate->desc, "An iron gate.");
	assert_int_equal(gate->flags, EXIT_DOOR | EXIT_CLOSED | EXIT_LOCKED);
	assert_int_equal(gate->reset_flags, gate->flags);
	assert_int_equal(sq->exits[DIR_UP]->flags, EXIT_HIDDEN);
	assert_null(sq->exits[DIR_WEST]);
	assert_null(sq->exits[DIR_DOWN]);
	/* Extra descriptions, sorted by keywords. */
	assert_non_null(sq->extra);
	assert_string_equal(sq->extra->keywords, "board notice");
	assert_string_equal(sq->extra->text, "The board says hello.");
	assert_string_equal(sq->extra->next->keywords, "lantern lanterns");
	assert_null(sq->extra->next->next);

	struct room *gate_room = world_find_room(f->w, "village:gate");
	assert_int_equal(gate_room->exits[DIR_NORTH]->flags, EXIT_DOOR);
	assert_false(gate_room->has_coords);
	struct room *tower = world_find_room(f->w, "village:tower");
	assert_int_equal(tower->z, 1);
	assert_int_equal(tower->flags, ROOM_DARK);
	assert_string_equal(world_find_room(f->w, "village:smithy")->desc, "A lane, number 2.");
	assert_ptr_equal(world_find_room(f->w, "forest:edge")->exits[DIR_SOUTH]->to, sq);

	/* Items, from the included things/items.lua. */
	struct item_proto *lantern = world_find_item_proto(f->w, "village:lantern");
	assert_non_null(lantern);
	assert_int_equal(lantern->type, ITEM_LIGHT);
	assert_int_equal(lantern->wear_slots, 1u << WEAR_LIGHT);
	assert_int_equal(lantern->flags, ITEM_GLOW);
	assert_int_equal(lantern->weight, 2);
	assert_int_equal(lantern->value, 12);
	assert_int_equal(lantern->level, 1);
	assert_int_equal(lantern->values[0], 48);
	assert_int_equal(lantern->max_world, 5);
	assert_string_equal(lantern->keywords, "lantern brass");
	assert_string_equal(lantern->short_desc, "a brass lantern");
	assert_string_equal(lantern->long_desc, "A brass lantern lies here.");
	assert_string_equal(lantern->extra->keywords, "glass");
	struct item_proto *hammer = world_find_item_proto(f->w, "village:hammer");
	assert_int_equal(hammer->type, ITEM_WEAPON);
	assert_int_equal(hammer->values[0], 1);
	assert_int_equal(hammer->values[1], 6);
	assert_int_equal(hammer->values[2], 1);
	assert_int_equal(hammer->wear_slots, 1u << WEAR_WIELD);
	assert_int_equal(world_find_item_proto(f->w, "village:apron")->values[0], 2);
	struct item_proto *chest = world_find_item_proto(f->w, "village:chest");
	assert_int_equal(chest->type, ITEM_CONTAINER);
	assert_int_equal(chest->values[0], 20);
	assert_int_equal(chest->flags, ITEM_NOTAKE | ITEM_CLOSED | ITEM_LOCKED);
	assert_int_equal(world_find_item_proto(f->w, "village:bread")->values[0], 10);
	assert_int_equal(world_find_item_proto(f->w, "village:coin")->type, ITEM_TREASURE);

	struct mob_proto *smith = world_find_mob_proto(f->w, "village:smith");
	assert_non_null(smith);
	assert_string_equal(smith->short_desc, "Bren the smith");
	assert_string_equal(smith->desc, "Broad and patient.");
	assert_int_equal(smith->level, 4);
	assert_int_equal(smith->hp, 60);
	assert_int_equal(smith->move, 80);
	assert_int_equal(smith->damage_lo, 2);
	assert_int_equal(smith->damage_hi, 6);
	assert_int_equal(smith->armor, 3);
	assert_int_equal(smith->gold, 12);
	assert_int_equal(smith->flags, MOB_SENTINEL | MOB_NOKILL);
	assert_int_equal(world_find_mob_proto(f->w, "forest:wolf")->flags, MOB_AGGRESSIVE);

	/* The spawns, seen through a reset. */
	world_reset_all(f->w);
	struct room *smithy = world_find_room(f->w, "village:smithy");
	assert_int_equal(count_in_list(&smithy->people), 1);
	struct character *bren = dlist_entry(smithy->people.head.next, struct character, room_link);
	assert_ptr_equal(bren->proto, smith);
	assert_non_null(bren->equip[WEAR_BODY]);
	assert_ptr_equal(bren->equip[WEAR_BODY]->proto,
			 world_find_item_proto(f->w, "village:apron"));
	assert_int_equal(count_in_list(&bren->inventory), 1);
	/* Square: two lanterns (max 2) and the chest with the coin in it. */
	assert_int_equal(count_in_list(&sq->items), 3);
	bool found_coin = false;
	DLIST_FOREACH(&sq->items, l)
	{
		struct item *it = dlist_entry(l, struct item, link);
		if (it->proto == chest) {
			assert_int_equal(count_in_list(&it->contents), 1);
			found_coin = true;
		}
	}
	assert_true(found_coin);
	assert_int_equal(count_in_list(&world_find_room(f->w, "forest:deep")->people), 2);

	/* Stats: one state per area, within its cap. */
	struct script_area_stats st[4];
	assert_int_equal(scripts_stats(f->s, st, 4), 2);
	assert_string_equal(st[0].area_id, "forest");
	assert_string_equal(st[1].area_id, "village");
	for (int i = 0; i < 2; i++) {
		assert_true(st[i].mem_used > 0);
		assert_true(st[i].mem_peak >= st[i].mem_used);
		assert_int_equal(st[i].mem_limit, (size_t)4 << 20);
		assert_int_equal(st[i].errors, 0);
		assert_true(st[i].entries >= 2);
	}
	assert_int_equal(scripts_stats(f->s, st, 1), 2);
	/* Triggers: the bits of what each object has, own fields and behaviors alike. */
	struct mob_proto *wolf = world_find_mob_proto(f->w, "forest:wolf");
	assert_non_null(wolf);
	assert_int_equal(wolf->triggers, TRIG_BIT(TRIG_GREET, false) | TRIG_BIT(TRIG_SAY, false) |
						 TRIG_BIT(TRIG_HP_BELOW, false) |
						 TRIG_BIT(TRIG_TICK, false) |
						 TRIG_BIT(TRIG_ATTACKED, true));
	assert_int_equal(world_find_room(f->w, "forest:edge")->triggers, 0);
	assert_int_equal(world_find_mob_proto(f->w, "village:smith")->triggers, 0);
	unload(f);
}

/* ---- every kind of mistake --------------------------------------------------- */

static const char *const bad_expected[] = {
	"tests/lua/bad/Bad_Name: an area folder is named by its id: lowercase letters, digits "
	"and '_'",
	"tests/lua/bad/empty/area.lua: missing: every area folder has an area.lua",
	"tests/lua/bad/incl/area.lua:2: include 'room.lua': no such file in tests/lua/bad/incl "
	"(did you mean 'rooms.lua'?)",
	"tests/lua/bad/oops/area.lua:2: area: 'levels' go from low to high: { 1, 5 }",
	"tests/lua/bad/oops/area.lua:2: area: reset: unknown field 'minuts' (did you mean "
	"'minutes'?)",
	"tests/lua/bad/oops/area.lua:4: room 'square': unknown field 'dsec' (did you mean "
	"'desc'?)",
	"tests/lua/bad/oops/area.lua:4: room 'square': unknown trigger 'on_entre' (did you mean "
	"'on_enter'?)",
	"tests/lua/bad/oops/area.lua:4: room 'square': missing field 'desc'",
	"tests/lua/bad/oops/area.lua:4: room 'square': unknown room flag 'saf' (did you mean "
	"'safe'?)",
	"tests/lua/bad/oops/area.lua:4: room 'square': unknown direction 'nrth' (did you mean "
	"'north'?)",
	"tests/lua/bad/oops/area.lua:4: room 'square': exit west: 'closed', 'locked', 'key' and "
	"'pickproof' need a door: door = \"door\"",
	"tests/lua/bad/oops/area.lua:4: room 'square': exit east: unknown room 'oops:halll' (did "
	"you mean 'oops:hall'?)",
	"tests/lua/bad/oops/area.lua:12: room 'hall': 'name' must be a string, not a number",
	"tests/lua/bad/oops/area.lua:12: room 'hall': 'coords' must be a list of 3 numbers",
	"tests/lua/bad/oops/area.lua:12: room 'hall': exit 'n': write the direction in full (did "
	"you mean 'north'?)",
	"tests/lua/bad/oops/area.lua:19: room 'hall': declared twice (first at "
	"tests/lua/bad/oops/area.lua:12)",
	"tests/lua/bad/oops/area.lua:21: room 'Big Room': 'Big Room' is not a valid id: use "
	"lowercase letters, digits and '_' (did you mean 'big_room'?)",
	"tests/lua/bad/oops/area.lua:23: item 'sword': unknown type 'weapn' (did you mean "
	"'weapon'?)",
	"tests/lua/bad/oops/area.lua:23: item 'sword': unknown wear slot 'hed' (did you mean "
	"'head'?)",
	"tests/lua/bad/oops/area.lua:28: item 'axe': 'weight' must be between 0 and 100000 (it is "
	"-1)",
	"tests/lua/bad/oops/area.lua:28: item 'axe': 'hours' is for light items (this one is of "
	"type weapon)",
	"tests/lua/bad/oops/area.lua:28: item 'axe': a weapon needs dice = { count, sides }",
	"tests/lua/bad/oops/area.lua:33: item 'rock': 'weight' must be a whole number",
	"tests/lua/bad/oops/area.lua:37: mob 'troll': missing field 'short'",
	"tests/lua/bad/oops/area.lua:37: mob 'troll': 'damage' goes from low to high: { 2, 9 }",
	"tests/lua/bad/oops/area.lua:37: mob 'troll': unknown mob flag 'agressive' (did you mean "
	"'aggressive'?)",
	"tests/lua/bad/oops/area.lua:41: spawn of 'trol': unknown mob 'oops:trol' (did you mean "
	"'oops:troll'?)",
	"tests/lua/bad/oops/area.lua:42: spawn of 'rock': container: item 'oops:axe' is not a "
	"container (its type is weapon)",
	"tests/lua/bad/oops/area.lua:43: spawn of 'troll': wear: item 'oops:rock' cannot be worn "
	"(it has no wear slots)",
	"tests/lua/bad/oops/area.lua:44: spawn: names both a mob and an item: one spawn places one "
	"thing",
	"tests/lua/bad/oops/area.lua:45: spawn: needs mob = \"id\" or item = \"id\"",
	"tests/lua/bad/oops/area.lua:46: room needs an id before its table: room \"id\" { ... }",
	"tests/lua/bad/oops/area.lua:47: room 'nodef' has no table: write room \"nodef\" { ... }",
	"tests/lua/bad/oops/area.lua:48: an id cannot contain a NUL byte",
	"tests/lua/bad/other/area.lua:1: area: id 'wrong' does not match the area's folder, "
	"'other'",
	"tests/lua/bad/other/area.lua:3: room 'start': exit up: 'oops:Bad' is not a valid id "
	"(lowercase letters, digits and '_', or 'area:id' for another area's)",
	"tests/lua/bad/other/area.lua:3: room 'start': exit north: unknown room 'oops:hal' (did "
	"you mean 'oops:hall'?)",
	"tests/lua/bad/other/area.lua:3: room 'start': exit south: unknown room 'nowhere:room' "
	"(there is no area 'nowhere')",
	"tests/lua/bad/syntax/broken.lua:4: '}' expected (to close '{' at line 1) near 'exits'",
	"tests/lua/bad/trig/area.lua:2: area: unknown trigger 'on_relaod' (did you mean "
	"'on_reload'?)",
	"tests/lua/bad/trig/area.lua:4: room 'hall': unknown trigger 'on_entr' (did you mean "
	"'on_enter'?)",
	"tests/lua/bad/trig/area.lua:4: room 'hall': rooms have no 'on_give' trigger (a room has: "
	"on_enter, on_leave, before_leave, on_say, before_command, on_drop, on_look, on_tick, "
	"on_reset)",
	"tests/lua/bad/trig/area.lua:4: room 'hall': 'before_enter': enter cannot be stopped; use "
	"on_enter",
	"tests/lua/bad/trig/area.lua:4: room 'hall': 'on_command': use before_command (return "
	"false to take the command over, or a string to answer with)",
	"tests/lua/bad/trig/area.lua:4: room 'hall': 'on_look' must be a function, not a string",
	"tests/lua/bad/trig/area.lua:4: room 'hall': unknown field 'onleave' (did you mean "
	"'on_leave'?)",
	"tests/lua/bad/trig/area.lua:4: room 'hall': 'on_say': phrase 'ledger|' has an empty "
	"alternative",
	"tests/lua/bad/trig/area.lua:4: room 'hall': 'on_say': phrases are strings",
	"tests/lua/bad/trig/area.lua:4: room 'hall': 'on_say': phrase 'hello' must be given a "
	"function, not a number",
	"tests/lua/bad/trig/area.lua:15: mob 'keeper': 'on_hp_below': keys are percentages from 1 "
	"to 99",
	"tests/lua/bad/trig/area.lua:15: mob 'keeper': behavior 'odd': 'hello' is not a trigger",
	"tests/lua/bad/trig/area.lua:15: mob 'keeper': 'behaviors': entry 2 is a number, not a "
	"behavior",
	"tests/lua/bad/trig/area.lua:22: item 'box': items have no 'on_greet' trigger (an item "
	"has: on_drop, on_look, on_tick, on_get, before_get, on_wear, on_remove, on_use, "
	"on_consume)",
	"tests/lua/bad/typo/area.lua:3: undefined global 'rom' (did you mean 'room'?)",
};

static void test_bad_areas(void **state)
{
	(void)state;
	struct buf report;
	size_t n = sizeof(bad_expected) / sizeof(bad_expected[0]);

	buf_init(&report, 0);
	/* A trailing slash, as in `ruin-server --check areas/`, changes nothing. */
	int problems = scripts_check("tests/lua/bad/", "lua", &report);
	for (size_t i = 0; i < n; i++)
		assert_has(&report, bad_expected[i]);
	/* Nothing else: an exit into the area that failed to load is not reported again. */
	if (problems != (int)n)
		fail_msg("%d problems, %zu expected:\n%s", problems, n, buf_cstr(&report));
	assert_null(strstr(buf_cstr(&report), "typo:start"));
	assert_null(strstr(buf_cstr(&report), "//"));
	assert_has(&report, "checked 6 areas (4 rooms, 4 items, 2 mobs, 3 spawns): 54 problems\n");
	buf_fini(&report);
}

/* ---- hostile areas -------------------------------------------------------------- */

static void test_hostile_areas(void **state)
{
	(void)state;
	int64_t t0 = clock_mono_ms();
	struct fixture *f = load("tests/lua/hostile");

	assert_true(clock_mono_ms() - t0 < 20000);
	assert_has(&f->errors, "tests/lua/hostile/loop/area.lua:3: instruction budget exceeded "
			       "(2000000 instructions)");
	assert_has(&f->errors, "tests/lua/hostile/pcallloop/area.lua:3: instruction budget "
			       "exceeded");
	assert_has(&f->errors, "tests/lua/hostile/xpcallloop/area.lua:2: instruction budget "
			       "exceeded");
	assert_has(&f->errors, "tests/lua/hostile/coro/area.lua:3: instruction budget exceeded");
	assert_has(&f->errors, "tests/lua/hostile/close/area.lua:2: instruction budget exceeded");
	assert_has(&f->errors, "tests/lua/hostile/pattern/area.lua:2: instruction budget "
			       "exceeded");
	assert_has(&f->errors, "tests/lua/hostile/bomb/area.lua: not enough memory (the area's "
			       "limit is 4096 KiB)");
	assert_has(&f->errors, "tests/lua/hostile/gc/area.lua:2: setmetatable: __gc metamethods "
			       "are not allowed in areas");
	assert_has(&f->errors, "tests/lua/hostile/lateglobal/area.lua:3: assignment to undeclared "
			       "global 'oops'");
	/* A runtime error inside functions comes with its traceback, indented. */
	assert_has(&f->errors, "tests/lua/hostile/deep/area.lua:2: deep trouble\n"
			       "  stack traceback:\n"
			       "  tests/lua/hostile/deep/area.lua:2: in upvalue 'inner'\n"
			       "  tests/lua/hostile/deep/area.lua:3: in local 'middle'\n");
	/* The two areas that probe the sandbox from inside passed every assertion. */
	assert_null(strstr(buf_cstr(&f->errors), "hostile/escape/"));
	assert_null(strstr(buf_cstr(&f->errors), "hostile/paths/"));
	assert_non_null(world_find_room(f->w, "escape:ok"));
	assert_non_null(world_find_room(f->w, "paths:ok"));
	assert_non_null(world_find_room(f->w, "paths:more"));
	/* An area that failed to run is not built at all. */
	assert_null(world_find_room(f->w, "loop:r"));
	/* 11 failing areas, and no start room. */
	assert_int_equal(f->problems, 11);
	assert_has(&f->errors, "world: no start room");

	struct script_area_stats st[16];
	size_t n = scripts_stats(f->s, st, 16);
	assert_int_equal(n, 12);
	for (size_t i = 0; i < n; i++)
		assert_true(st[i].mem_peak <= st[i].mem_limit);
	unload(f);
}

/* ---- the shipped world and configuration mistakes ------------------------------- */

static void test_shipped_world_checks_clean(void **state)
{
	(void)state;
	struct buf report;

	buf_init(&report, 0);
	int problems = scripts_check("areas/", "lua/", &report);
	if (problems)
		fail_msg("areas/ has problems:\n%s", buf_cstr(&report));
	assert_has(&report, ": no problems\n");
	buf_fini(&report);
}

static void test_missing_folders(void **state)
{
	(void)state;
	struct buf report;

	buf_init(&report, 0);
	assert_int_equal(scripts_check("tests/lua/nosuchdir", "lua", &report), 2);
	assert_has(&report, "tests/lua/nosuchdir: cannot open the areas folder: No such file or "
			    "directory\n");
	assert_has(&report, "world: no start room");
	buf_clear(&report);
	/* Without builder.lua every area says so, and nothing else breaks. */
	int problems = scripts_check("tests/lua/good", "tests/lua/nosuchdir", &report);
	assert_int_equal(problems, 3);
	assert_has(&report, "tests/lua/good/forest/area.lua: cannot open "
			    "tests/lua/nosuchdir/builder.lua: No such file or directory\n");
	assert_has(&report, "tests/lua/good/village/area.lua: cannot open "
			    "tests/lua/nosuchdir/builder.lua");
	buf_fini(&report);
}

/* ---- after loading --------------------------------------------------------------- */

/* Runs code in the area's state as a new entry; the first result in out. */
static int run_in(struct vm *vm, const char *code, struct buf *out)
{
	lua_State *L = vm_state(vm);

	buf_clear(out);
	assert_int_equal(luaL_loadbufferx(L, code, strlen(code), "=later", "t"), LUA_OK);
	int rc = vm_pcall(vm, 0, 1, 0, 0, out);
	if (rc == 0) {
		buf_puts(out, lua_isstring(L, -1) ? lua_tostring(L, -1) : luaL_typename(L, -1));
		lua_pop(L, 1);
	}
	return rc;
}

static void test_state_after_loading(void **state)
{
	(void)state;
	const struct world_ops ops = {.send = noop_send};
	const struct world_config wcfg = {.mud_name = "test"};
	struct log *lg = log_new(NULL, LOG_WARN);
	struct world *w = world_new(lg, &ops, &wcfg);
	struct buf errors, out;
	struct load_ctx lc;
	char id[] = "forest", dir[] = "tests/lua/good/forest",
	     file[] = "tests/lua/good/forest/area.lua";
	struct script_area sa = {.id = id, .dir = dir, .file = file};

	buf_init(&errors, 0);
	buf_init(&out, 0);
	map_init(&sa.included, false);
	load_ctx_init(&lc, w, lg, &errors, "lua");
	lc.lim = (struct vm_limits){(size_t)4 << 20, 100000, 1000};
	lc.load_budget = 1000000;
	lc.load_time_ms = 2000;
	assert_int_equal(loader_run(&lc, &sa), 0);
	assert_int_equal(build_area(&lc, &sa), 0);
	assert_int_equal(lc.problems, 0);
	assert_int_equal(sa.rooms, 2);
	assert_int_equal(sa.mobs, 1);
	assert_int_equal(sa.spawns, 1);
	assert_ptr_equal(world_find_area(w, "forest")->script, &sa);

	/* The globals the files declared live on, for the triggers to come. */
	assert_int_equal(run_in(sa.vm, "return bump() + counter", &out), 0);
	assert_string_equal(buf_cstr(&out), "4");
	/* Declaring and including are over. */
	assert_int_equal(run_in(sa.vm, "room 'late' { name = 'x', desc = 'y' }", &out), VM_ERR_RUN);
	assert_has(&out, "declarations are only allowed while the area loads");
	assert_int_equal(run_in(sa.vm, "include 'area.lua'", &out), VM_ERR_RUN);
	assert_has(&out, "include is only allowed while the area loads");
	assert_null(world_find_room(w, "forest:late"));
	/* The declaration list was dropped. */
	assert_int_equal(sa.defs_ref, LUA_NOREF);
	/* And the entry limits hold here as anywhere. */
	assert_int_equal(run_in(sa.vm, "while true do end", &out), VM_ERR_STOPPED);

	vm_free(sa.vm);
	map_fini(&sa.included);
	for (int k = 0; k < 3; k++)
		map_fini(&sa.built[k]);
	free(sa.first_room);
	free(sa.spawn_v);
	load_ctx_fini(&lc);
	world_free(w);
	log_free(lg);
	buf_fini(&errors);
	buf_fini(&out);
}

/* ---- suggestions ------------------------------------------------------------------ */

static void test_suggestions(void **state)
{
	(void)state;
	struct suggest sg;

	assert_int_equal(suggest_distance("north", "north", 2), 0);
	assert_int_equal(suggest_distance("nrth", "north", 2), 1);
	assert_int_equal(suggest_distance("nroth", "north", 2), 1); /* a swap is one edit */
	assert_int_equal(suggest_distance("south", "north", 2), 2);
	assert_int_equal(suggest_distance("up", "north", 2), 3);
	assert_int_equal(suggest_distance("", "ab", 5), 2);

	suggest_init(&sg, "desk");
	suggest_add(&sg, "desc");
	suggest_add(&sg, "name");
	suggest_add(&sg, "desk"); /* the word itself is no suggestion */
	assert_string_equal(suggest_best(&sg), "desc");
	/* Short words allow one edit only. */
	suggest_init(&sg, "up");
	suggest_add(&sg, "us");
	suggest_add(&sg, "down");
	assert_string_equal(suggest_best(&sg), "us");
	suggest_init(&sg, "xyz");
	suggest_add(&sg, "abc");
	assert_null(suggest_best(&sg));
	/* Ties go to the alphabetically first. */
	suggest_init(&sg, "cat");
	suggest_add(&sg, "hat");
	suggest_add(&sg, "bat");
	assert_string_equal(suggest_best(&sg), "bat");
	struct buf out;
	buf_init(&out, 0);
	suggest_hint(&sg, &out);
	assert_string_equal(buf_cstr(&out), " (did you mean 'bat'?)");
	buf_fini(&out);
	assert_true(build_valid_id("gate_key2"));
	assert_false(build_valid_id("Gate"));
	assert_false(build_valid_id("a:b"));
	assert_false(build_valid_id(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_areas),
		cmocka_unit_test(test_bad_areas),
		cmocka_unit_test(test_hostile_areas),
		cmocka_unit_test(test_shipped_world_checks_clean),
		cmocka_unit_test(test_missing_folders),
		cmocka_unit_test(test_state_after_loading),
		cmocka_unit_test(test_suggestions),
	};
	alarm(300);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
