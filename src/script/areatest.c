/*
 * areatest.c: headless area tests (`ruin-server --test-areas areas/`).
 *
 * Start reading at scripts_test_areas(). Every areas/<area>/tests/<name>.lua
 * runs in a world of its own: all areas loaded and reset, a clock that
 * moves only when the test calls test.wait() and is never metered by wall
 * time, dice seeded by the file (at_seed()), world_ops that keep what each
 * player was sent, and an in-memory store, so area_state and ch:memory()
 * work as in the server. The test file runs in a sandboxed state of its own
 * with the game API (short ids name the tested area), `test` and `expect`
 * (docs/building.md section 12). A failed expect, a Lua error in the file
 * or a script error in any area during the test fails the file.
 */
#include "script/areatest.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define AT_MAX_SECONDS	 86400.0
#define AT_FILE_MAX	 ((size_t)1 << 20)
#define AT_INSTR_BUDGET	 2000000000L
#define AT_TIME_LIMIT_MS 120000

/* ---- the fake world_ops and store ------------------------------------------------ */

static void at_send(void *ud, uint32_t session, const char *markup, size_t n)
{
	struct at_run *r = ud;

	if (session < AT_SESSIONS)
		buf_append(&r->text[session], markup, n);
}

static void at_data(void *ud, uint32_t session, const char *package, const char *json)
{
	(void)ud;
	(void)session;
	(void)package;
	(void)json;
}

static int at_save(void *ud, struct character *ch)
{
	struct at_run *r = ud;

	scripts_save_player(r->s, ch);
	return 0;
}

static void at_disconnect(void *ud, uint32_t session)
{
	(void)ud;
	(void)session;
}

static int at_get(struct at_run *r, const char *key, struct buf *out)
{
	const char *v = map_get(&r->store, key);

	buf_clear(out);
	if (!v)
		return -ENOENT;
	buf_puts(out, v);
	return 0;
}

static void at_put(struct at_run *r, const char *key, const char *json)
{
	free(map_put(&r->store, key, xstrdup(json)));
}

static int at_state_load(void *ud, const char *area, struct buf *out)
{
	struct buf key;
	buf_init(&key, 0);
	buf_printf(&key, "state:%s", area);
	int rc = at_get(ud, buf_cstr(&key), out);
	buf_fini(&key);
	return rc;
}

static int at_state_save(void *ud, const char *area, const char *json)
{
	struct buf key;
	buf_init(&key, 0);
	buf_printf(&key, "state:%s", area);
	at_put(ud, buf_cstr(&key), json);
	buf_fini(&key);
	return 0;
}

int at_memory_load(void *ud, int64_t id, const char *area, struct buf *out)
{
	struct buf key;
	buf_init(&key, 0);
	buf_printf(&key, "mem:%lld:%s", (long long)id, area);
	int rc = at_get(ud, buf_cstr(&key), out);
	buf_fini(&key);
	return rc;
}

static int at_memory_save(void *ud, int64_t id, const char *area, const char *json)
{
	struct buf key;
	buf_init(&key, 0);
	buf_printf(&key, "mem:%lld:%s", (long long)id, area);
	at_put(ud, buf_cstr(&key), json);
	buf_fini(&key);
	return 0;
}

/* ---- the test API ----------------------------------------------------------------- */

struct at_run *at_run_of(lua_State *L)
{
	return lua_touserdata(L, lua_upvalueindex(1));
}

void at_fail(lua_State *L, struct at_run *r, int level, const char *msg)
{
	lua_Debug ar;
	int line = 0;

	if (lua_getstack(L, level, &ar) && lua_getinfo(L, "l", &ar))
		line = ar.currentline;
	buf_printf(&r->failures, "%s:%d: %s\n", r->file, line, msg);
	r->failed++;
}

static int at_expect(lua_State *L)
{
	struct at_run *r = at_run_of(L);

	luaL_checkany(L, 1);
	if (!lua_toboolean(L, 1))
		at_fail(L, r, 1, luaL_optstring(L, 2, "expectation failed"));
	lua_settop(L, 1);
	return 1;
}

/* test.player(name [, { path =, room =, level =, gold =, builder = }]) */
static int at_player(lua_State *L)
{
	struct at_run *r = at_run_of(L);
	const char *name = luaL_checkstring(L, 1);
	const char *path = "fighter";
	struct room *room = NULL;
	lua_Integer level = 0, gold = -1;
	bool builder = false;

	if (!lua_isnoneornil(L, 2)) {
		luaL_checktype(L, 2, LUA_TTABLE);
		if (lua_getfield(L, 2, "path") == LUA_TSTRING)
			path = lua_tostring(L, -1);
		if (lua_getfield(L, 2, "room") == LUA_TSTRING) {
			const char *full = api_full_id(L, lua_tostring(L, -1));
			room = world_find_room(r->w, full);
			if (!room)
				return luaL_error(L, "test.player: there is no room '%s'", full);
		}
		lua_settop(L, 2);
		if (lua_getfield(L, 2, "level") == LUA_TNUMBER)
			level = lua_tointeger(L, -1);
		if (lua_getfield(L, 2, "gold") == LUA_TNUMBER)
			gold = lua_tointeger(L, -1);
		builder = lua_getfield(L, 2, "builder") == LUA_TBOOLEAN && lua_toboolean(L, -1);
	}
	if (world_find_player(r->w, name))
		return luaL_error(L, "test.player: %s is already playing", name);
	if (r->next_session >= AT_SESSIONS)
		return luaL_error(L, "test.player: at most %d players", AT_SESSIONS - 1);
	struct character *ch = world_player_new(r->w, name, path, PRONOUNS_THEY);
	if (!ch)
		return luaL_error(L, "test.player: unknown path '%s'", path);
	uint32_t session = ++r->next_session;
	ch->pc->db_id = session; /* so that its memory is kept in the test store */
	if (builder)
		ch->pc->roles |= PLAYER_ROLE_BUILDER;
	/* As if by experience: the hit points, mana and moves of that level and path. */
	if (level > 0)
		world_player_raise(r->w, ch, level > 1000 ? 1000 : (int)level);
	if (gold >= 0)
		ch->gold = (int)gold;
	world_player_enter(r->w, ch, session);
	/* As if they walked in: the room's and its mobs' triggers run. */
	if (room && ch->room != room)
		world_char_teleport(r->w, ch, room);
	world_reap(r->w);
	r->read[session] = r->text[session].len;
	handle_push_char(L, ch);
	return 1;
}

/* ch:cmd(line): the player types line. */
static int at_cmd(lua_State *L)
{
	struct at_run *r = at_run_of(L);
	struct character *ch = handle_check(L, 1, HKM_PLAYER, "a test player");
	const char *line = luaL_checkstring(L, 2);

	at_sync_out(L, r);
	world_command(r->w, ch, line);
	world_reap(r->w);
	at_sync_in(L, r);
	return 0;
}

/* Copies markup s[0..n) to out without its color codes; returns the length. */
static size_t at_strip(char *out, const char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '{' || i + 1 >= n) {
			out[o++] = s[i];
			continue;
		}
		i++;
		if (s[i] == '{') {
			out[o++] = '{';
		} else if (s[i] == '#') {
			while (i < n && s[i] != '}')
				i++;
		}
	}
	return o;
}

static int at_output(lua_State *L)
{
	struct at_run *r = at_run_of(L);
	struct character *ch = handle_check(L, 1, HKM_PLAYER, "a test player");
	uint32_t session = ch->pc->session;

	if (session >= AT_SESSIONS || !r->text[session].data) {
		lua_pushliteral(L, "");
		return 1;
	}
	const struct buf *t = &r->text[session];
	size_t n = t->len - r->read[session];
	char *plain = lua_newuserdatauv(L, n + 1, 0);
	size_t len = at_strip(plain, t->data + r->read[session], n);
	r->read[session] = t->len;
	lua_pushlstring(L, plain, len);
	return 1;
}

static void at_pulses(struct at_run *r, long n)
{
	for (long i = 0; i < n; i++) {
		world_pulse(r->w);
		scripts_pulse(r->s);
		world_reap(r->w);
	}
}

static int at_wait(lua_State *L)
{
	struct at_run *r = at_run_of(L);
	lua_Number secs = luaL_checknumber(L, 1);

	if (!(secs >= 0 && secs <= AT_MAX_SECONDS))
		return luaL_error(L, "test.wait: from 0 to %d seconds", (int)AT_MAX_SECONDS);
	at_sync_out(L, r);
	at_pulses(r, (long)ceil(secs * 10));
	at_sync_in(L, r);
	return 0;
}

static int at_reset_area(lua_State *L)
{
	struct at_run *r = at_run_of(L);
	const char *id = luaL_checkstring(L, 1);
	struct area *a = world_find_area(r->w, id);

	if (!a)
		return luaL_error(L, "test.reset_area: there is no area '%s'", id);
	at_sync_out(L, r);
	world_reset_area(r->w, a);
	world_reap(r->w);
	at_sync_in(L, r);
	return 0;
}

/* test.area_state(id): a copy of an area's area_state, as it would be saved. */
static int at_area_state(lua_State *L)
{
	struct at_run *r = at_run_of(L);
	const char *id = luaL_optstring(L, 1, r->tsa.id);
	struct script_area *sa = NULL;

	for (struct script_area *it = r->s->first; it; it = it->next)
		if (strcmp(it->id, id) == 0)
			sa = it;
	if (!sa || !sa->vm)
		return luaL_error(L, "test.area_state: there is no area '%s'", id);
	struct buf json, err;
	buf_init(&json, (size_t)2 << 20);
	buf_init(&err, 4096);
	int rc = persist_state_json(sa, &json, &err);
	if (rc == 0) {
		lua_pushlstring(L, json.data ? json.data : "{}", json.data ? json.len : 2);
	} else {
		lua_pushstring(L, buf_cstr(&err));
	}
	buf_fini(&json);
	buf_fini(&err);
	if (rc != 0)
		return lua_error(L);
	size_t n;
	const char *text = lua_tolstring(L, -1, &n);
	struct buf derr;
	buf_init(&derr, 4096);
	rc = persist_decode(L, text, n, &derr);
	if (rc != 0) {
		lua_pushstring(L, buf_cstr(&derr));
		buf_fini(&derr);
		return lua_error(L);
	}
	buf_fini(&derr);
	return 1;
}

/* test.reload(id): a live reload; returns true, or false and the report. */
static int at_reload(lua_State *L)
{
	struct at_run *r = at_run_of(L);
	const char *id = luaL_optstring(L, 1, r->tsa.id);
	struct buf report;

	at_sync_out(L, r);
	buf_init(&report, (size_t)1 << 20);
	int problems = scripts_reload_area(r->s, id, &report);
	at_sync_in(L, r);
	lua_pushboolean(L, problems == 0);
	lua_pushstring(L, buf_cstr(&report));
	buf_fini(&report);
	return 2;
}

/* test.note(text): a line in the report that is not a failure (timings, counts). */
static int at_note(lua_State *L)
{
	struct at_run *r = at_run_of(L);
	const char *text = luaL_checkstring(L, 1);

	buf_printf(&r->failures, "%s: note: %s\n", r->file, text);
	return 0;
}

static const luaL_Reg at_test_fns[] = {
	{"player", at_player},
	{"output", at_output},
	{"wait", at_wait},
	{"reset_area", at_reset_area},
	{"area_state", at_area_state},
	{"reload", at_reload},
	{"note", at_note},
	{NULL, NULL},
};

static const luaL_Reg at_player_methods[] = {
	{"cmd", at_cmd},
	{"memory", at_memory},
	{NULL, NULL},
};

/* Sets up the test state: the game API, test, expect, ch:cmd. */
static int at_setup_body(lua_State *L)
{
	struct at_run *r = lua_touserdata(L, 1);

	api_register(L);
	lua_getfield(L, LUA_REGISTRYINDEX, "ruin.methods");
	lua_rawgeti(L, -1, HK_PLAYER);
	lua_pushlightuserdata(L, r);
	luaL_setfuncs(L, at_player_methods, 1);
	lua_pop(L, 2);
	sandbox_push_builtins(L);
	lua_newtable(L);
	lua_pushlightuserdata(L, r);
	luaL_setfuncs(L, at_test_fns, 1);
	lua_setfield(L, -2, "test");
	lua_pushlightuserdata(L, r);
	lua_pushcclosure(L, at_expect, 1);
	lua_setfield(L, -2, "expect");
	lua_newtable(L);
	lua_setfield(L, -2, "area_state");
	lua_pop(L, 1);
	return 0;
}

/* Loads the test file (path at index 2) as a chunk, or raises. */
static int at_load_body(lua_State *L)
{
	const char *path = lua_tostring(L, 2);
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return luaL_error(L, "cannot open %s", path);
	if ((size_t)st.st_size > AT_FILE_MAX)
		return luaL_error(L, "%s is larger than %d KiB", path, (int)(AT_FILE_MAX / 1024));
	size_t size = (size_t)st.st_size;
	char *data = lua_newuserdatauv(L, size ? size : 1, 0);
	/* Nothing raises between fopen and fclose. */
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return luaL_error(L, "cannot open %s: %s", path, strerror(errno));
	size_t n = fread(data, 1, size, fp);
	fclose(fp);
	lua_pushfstring(L, "@%s", path);
	if (luaL_loadbufferx(L, data, n, lua_tostring(L, -1), "t") != LUA_OK)
		return lua_error(L);
	return 1;
}

/*
 * A seed of the area and the file's name (FNV-1a), not of where the areas
 * folder is: a file rolls the same dice every run, from any directory.
 */
static uint64_t at_seed(const char *area, const char *path)
{
	const char *base = strrchr(path, '/');
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const char *p = area; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	h = (h ^ '/') * 0x100000001b3ULL;
	for (const char *p = base ? base + 1 : path; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	return h | 1; /* xorshift never leaves 0 */
}

/* Runs one test file in a fresh world; appends its failures to report. */
static int at_run_file(const char *areas_dir, const char *lua_dir, const char *area,
		       const char *path, struct buf *report)
{
	struct at_run *r = xcalloc(1, sizeof(*r));
	struct buf errors, sink;
	int failed = 0;

	r->file = path;
	r->log = log_new(NULL, LOG_ERROR);
	buf_init(&r->failures, (size_t)1 << 20);
	buf_init(&errors, (size_t)4 << 20);
	buf_init(&sink, (size_t)1 << 20);
	map_init(&r->store, false);
	for (size_t i = 0; i < AT_SESSIONS; i++)
		buf_init(&r->text[i], (size_t)4 << 20);
	map_init(&r->tsa.health, false);
	const struct world_ops ops = {
		.ud = r,
		.send = at_send,
		.data = at_data,
		.save = at_save,
		.disconnect = at_disconnect,
	};
	const struct world_config wcfg = {
		.mud_name = "test",
		.linkdead_timeout_s = 86400,
		.autosave_s = 86400,
	};
	const struct script_config cfg = {
		.areas_dir = areas_dir,
		.lua_dir = lua_dir,
		.store_ud = r,
		.state_load = at_state_load,
		.state_save = at_state_save,
		.memory_load = at_memory_load,
		.memory_save = at_memory_save,
	};
	r->w = world_new(r->log, &ops, &wcfg);
	r->s = scripts_new(r->w, r->log, &cfg);
	/* The same dice every run: the scripts' and the game's, seeded by the file. */
	uint64_t seed = at_seed(area, path);
	r->s->rng = seed;
	world_seed(r->w, seed ^ 0x2545f4914f6cdd1dULL);
	r->s->unmetered = true;
	if (scripts_load_all(r->s, &errors) != 0) {
		buf_printf(report, "%s: the world does not load:\n%s", path, buf_cstr(&errors));
		failed = 1;
		goto out;
	}
	world_reset_all(r->w);
	world_reap(r->w);
	r->s->error_sink = &sink;

	const struct vm_limits lim = {
		.mem_limit = (size_t)64 << 20,
		.instr_budget = AT_INSTR_BUDGET,
		.time_limit_ms = AT_TIME_LIMIT_MS,
	};
	r->tsa.s = r->s;
	r->tsa.id = (char *)area;
	r->tsa.vm = vm_new(path, &lim, r->log);
	if (!r->tsa.vm) {
		buf_printf(report, "%s: cannot make its Lua state\n", path);
		failed = 1;
		goto out;
	}
	vm_set_owner(r->tsa.vm, &r->tsa);
	struct buf err;
	buf_init(&err, (size_t)1 << 20);
	lua_State *L = vm_state(r->tsa.vm);
	int rc = vm_protect(r->tsa.vm, at_setup_body, r, &err);
	if (rc == 0) {
		lua_pushcfunction(L, at_load_body);
		lua_pushnil(L);
		lua_pushstring(L, path);
		rc = vm_pcall(r->tsa.vm, 2, 1, 0, 0, &err);
	}
	if (rc == 0)
		rc = vm_pcall(r->tsa.vm, 0, 0, 0, 0, &err);
	if (rc != 0) {
		const char *e = buf_cstr(&err);
		const char *nl = strchr(e, '\n');
		buf_printf(&r->failures, "%.*s\n", (int)(nl ? nl - e : (ptrdiff_t)strlen(e)), e);
		r->failed++;
	}
	buf_fini(&err);
	if (sink.len) {
		buf_printf(&r->failures, "%s: script errors during the test:\n%s", path,
			   buf_cstr(&sink));
		r->failed++;
	}
	failed = r->failed > 0;
	buf_append(report, r->failures.data, r->failures.len);
out:
	if (r->s)
		r->s->error_sink = NULL;
	scripts_free(r->s); /* first: its timers may belong to the test's state */
	vm_free(r->tsa.vm);
	report_fini(&r->tsa);
	world_free(r->w);
	log_free(r->log);
	size_t pos = 0;
	void *v;
	while (map_next(&r->store, &pos, NULL, &v))
		free(v);
	map_fini(&r->store);
	for (size_t i = 0; i < AT_SESSIONS; i++)
		buf_fini(&r->text[i]);
	buf_fini(&r->failures);
	buf_fini(&errors);
	buf_fini(&sink);
	free(r);
	return failed;
}

static int at_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir matching (dirs: folders; else *.lua files), sorted; NULL-terminated. */
static char **at_list(const char *dir, bool dirs)
{
	DIR *d = opendir(dir);
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct buf path;

	if (!d)
		return NULL;
	buf_init(&path, 0);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.')
			continue;
		buf_clear(&path);
		buf_printf(&path, "%s/%s", dir, de->d_name);
		if (stat(buf_cstr(&path), &st) != 0)
			continue;
		if (dirs ? !S_ISDIR(st.st_mode)
			 : !S_ISREG(st.st_mode) || len < 5 ||
				    strcmp(de->d_name + len - 4, ".lua") != 0)
			continue;
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	buf_fini(&path);
	if (!v)
		v = xcalloc(1, sizeof(*v));
	v[n] = NULL;
	qsort(v, n, sizeof(*v), at_cmp);
	return v;
}

static void at_list_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int scripts_test_areas(const char *areas_dir, const char *lua_dir, struct buf *report)
{
	char *dir = xstrdup(areas_dir && *areas_dir ? areas_dir : "areas");
	size_t len = strlen(dir);
	int files = 0, failed = 0;
	struct buf path;

	while (len > 1 && dir[len - 1] == '/')
		dir[--len] = '\0';
	if (!lua_dir)
		lua_dir = "lua";
	char **areas = at_list(dir, true);
	if (!areas) {
		buf_printf(report, "%s: cannot open the areas folder: %s\n", dir, strerror(errno));
		free(dir);
		return 1;
	}
	buf_init(&path, 0);
	for (size_t i = 0; areas[i]; i++) {
		buf_clear(&path);
		buf_printf(&path, "%s/%s/tests", dir, areas[i]);
		char **tests = at_list(buf_cstr(&path), false);
		for (size_t k = 0; tests && tests[k]; k++) {
			struct buf file;
			buf_init(&file, 0);
			buf_printf(&file, "%s/%s", buf_cstr(&path), tests[k]);
			files++;
			failed += at_run_file(dir, lua_dir, areas[i], buf_cstr(&file), report);
			buf_fini(&file);
		}
		at_list_free(tests);
	}
	at_list_free(areas);
	buf_printf(report, "area tests: %d file%s, %d failed\n", files, files == 1 ? "" : "s",
		   failed);
	buf_fini(&path);
	free(dir);
	return failed;
}
