/*
 * loader.c: running one area's files in its own sandboxed state.
 *
 * Start reading at loader_run(). It makes the area's vm, then runs
 * loader_start() as one entry (under the load budget): the declaration
 * list is created, lua/builder.lua is run to get area/room/item/mob/spawn,
 * those and include() become builtins, and area.lua runs, including its
 * other files. build.c then turns the list into the world.
 *
 * Files are read whole into Lua-owned memory before they are parsed, so a
 * Lua error (out of memory, a syntax error) never leaks a FILE or a buffer.
 * include() takes paths relative to the area's folder: no "..", no absolute
 * paths, no hidden files, each file at most once, text chunks only.
 */
#include "script/internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* Nested includes deeper than this are refused. */
#define LOADER_MAX_DEPTH 8
/* Longest include path accepted. */
#define LOADER_MAX_PATH 128

/*
 * Reads the file at path and loads it as a text chunk named "@path" (the
 * chunk's _ENV is the strict globals table). Pushes the function; raises
 * a Lua error when the file cannot be read or does not parse.
 */
static void loader_load_file(lua_State *L, const char *path, size_t max_size)
{
	struct stat st;

	if (stat(path, &st) != 0)
		luaL_error(L, "cannot open %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		luaL_error(L, "cannot open %s: not a regular file", path);
	if ((size_t)st.st_size > max_size)
		luaL_error(L, "%s is too large (%d KiB; the limit is %d KiB)", path,
			   (int)(st.st_size / 1024), (int)(max_size / 1024));
	size_t size = (size_t)st.st_size;
	char *data = lua_newuserdatauv(L, size ? size : 1, 0);
	/* Nothing below raises until fclose(). */
	FILE *fp = fopen(path, "rb");
	if (!fp)
		luaL_error(L, "cannot open %s: %s", path, strerror(errno));
	size_t n = fread(data, 1, size, fp);
	int failed = ferror(fp);
	fclose(fp);
	if (failed)
		luaL_error(L, "cannot read %s", path);
	lua_pushfstring(L, "@%s", path);
	if (luaL_loadbufferx(L, data, n, lua_tostring(L, -1), "t") != LUA_OK)
		lua_error(L); /* the parser's message: "file:line: ..." */
	lua_replace(L, -3);   /* the chunk replaces the data */
	lua_pop(L, 1);
}

/* Is path a plain relative path inside the area folder, ending in .lua? */
static bool loader_path_ok(const char *path)
{
	size_t n = strlen(path);

	if (n == 0 || n > LOADER_MAX_PATH || n < 5 || strcmp(path + n - 4, ".lua") != 0)
		return false;
	const char *seg = path;
	for (const char *p = path;; p++) {
		if (*p == '/' || *p == '\0') {
			if (p == seg || *seg == '.')
				return false; /* empty, ".", ".." or hidden */
			if (*p == '\0')
				return true;
			seg = p + 1;
		} else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.')) {
			return false;
		}
	}
}

/* Raises "include 'x': cannot open ..." with a suggestion from the folder's .lua files. */
static void loader_missing(lua_State *L, struct script_area *sa, const char *path)
{
	struct suggest sg;
	DIR *d = opendir(sa->dir);

	suggest_init(&sg, path);
	lua_newtable(L); /* keeps the candidate names alive */
	int names = lua_gettop(L);
	int i = 0;
	if (d) {
		struct dirent *de;
		/* Names are copied into Lua first; nothing raises while d is open but pushes. */
		while ((de = readdir(d)) != NULL) {
			size_t n = strlen(de->d_name);
			if (n > 4 && strcmp(de->d_name + n - 4, ".lua") == 0 && i < 256) {
				lua_pushstring(L, de->d_name);
				lua_rawseti(L, names, ++i);
			}
		}
		closedir(d);
	}
	for (int k = 1; k <= i; k++) {
		lua_rawgeti(L, names, k);
		suggest_add(&sg, lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	if (suggest_best(&sg))
		luaL_error(L, "include '%s': no such file in %s (did you mean '%s'?)", path,
			   sa->dir, suggest_best(&sg));
	luaL_error(L, "include '%s': no such file in %s", path, sa->dir);
}

/* Loads and runs path (relative to the area folder) in the area's state. */
static void loader_do_file(lua_State *L, struct script_area *sa, const char *path, size_t max_size)
{
	if (!loader_path_ok(path))
		luaL_error(L,
			   "include '%s': not a file of this area's folder (a relative path ending "
			   "in .lua, without '..')",
			   path);
	if (map_has(&sa->included, path))
		luaL_error(L, "include '%s': already included", path);
	if (sa->include_depth >= LOADER_MAX_DEPTH)
		luaL_error(L, "include '%s': includes nested deeper than %d", path,
			   LOADER_MAX_DEPTH);
	const char *full = lua_pushfstring(L, "%s/%s", sa->dir, path);
	struct stat st;
	if (stat(full, &st) != 0 && errno == ENOENT)
		loader_missing(L, sa, path);
	map_put(&sa->included, path, NULL);
	loader_load_file(L, full, max_size);
	sa->include_depth++;
	lua_call(L, 0, 0);
	sa->include_depth--;
	lua_pop(L, 1); /* full */
}

/* include "file.lua": only while the area loads. */
static int loader_include(lua_State *L)
{
	struct script_area *sa = lua_touserdata(L, lua_upvalueindex(1));
	size_t max_size = (size_t)lua_tointeger(L, lua_upvalueindex(2));
	const char *path = luaL_checkstring(L, 1);

	if (!sa->loading)
		return luaL_error(L, "include is only allowed while the area loads");
	loader_do_file(L, sa, path, max_size);
	return 0;
}

/* where(level): the file and line of the code at that stack level. */
static int loader_where(lua_State *L)
{
	lua_Debug ar;
	int level = (int)luaL_checkinteger(L, 1);

	if (lua_getstack(L, level, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
		lua_pushstring(L, ar.source[0] == '@' ? ar.source + 1 : ar.short_src);
		lua_pushinteger(L, ar.currentline);
		return 2;
	}
	lua_pushliteral(L, "?");
	lua_pushinteger(L, 0);
	return 2;
}

/* A declaration after loading: the area's world is already built. */
static int loader_late(lua_State *L)
{
	return luaL_error(L, "declarations are only allowed while the area loads");
}

struct loader_job {
	struct load_ctx *lc;
	struct script_area *sa;
};

/*
 * Runs <lua_dir>/<name> with a read-only view of the builtins as _ENV and
 * the nargs values below the top as arguments; the table it returns is
 * added to the builtins (builder.lua: area, room, ...; behaviors.lua:
 * wander, guard, ...).
 */
static void loader_run_lib(lua_State *L, const char *lua_dir, const char *name, size_t max_size,
			   int nargs)
{
	const char *path = lua_pushfstring(L, "%s/%s", lua_dir, name);
	int path_idx = lua_gettop(L);

	loader_load_file(L, path, max_size);
	lua_newtable(L);
	lua_newtable(L);
	sandbox_push_builtins(L);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	if (!lua_setupvalue(L, -2, 1))
		lua_pop(L, 1);
	/* a1..an path chunk -> path chunk a1..an (the path is kept for messages) */
	lua_rotate(L, path_idx - nargs, 2);
	lua_call(L, nargs, 1);
	if (!lua_istable(L, -1))
		luaL_error(L, "%s did not return its table of names", lua_tostring(L, -2));
	sandbox_push_builtins(L);
	lua_pushnil(L);
	while (lua_next(L, -3)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, -4);
	}
	lua_pop(L, 3); /* builtins, the table, the path */
}

/* The load entry: declaration list, builder.lua, then area.lua. */
static int loader_start(lua_State *L)
{
	struct loader_job *job = lua_touserdata(L, 1);
	struct script_area *sa = job->sa;
	size_t max_size = job->lc->lim.mem_limit / 2;

	lua_newtable(L);
	lua_pushvalue(L, -1);
	sa->defs_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	int defs = lua_gettop(L);

	/* The game API and area_state come first: the files may use them at the top level. */
	api_register(L);
	persist_setup(L, sa);
	/* builder.lua gets the declaration list; behaviors.lua nothing. */
	lua_pushvalue(L, defs);
	lua_pushcfunction(L, loader_where);
	loader_run_lib(L, job->lc->lua_dir, "builder.lua", max_size, 2);
	loader_run_lib(L, job->lc->lua_dir, "behaviors.lua", max_size, 0);

	sandbox_push_builtins(L);
	int builtins = lua_gettop(L);
	lua_pushlightuserdata(L, sa);
	lua_pushinteger(L, (lua_Integer)max_size);
	lua_pushcclosure(L, loader_include, 2);
	lua_setfield(L, builtins, "include");

	sa->loading = true;
	loader_do_file(L, sa, "area.lua", max_size);
	sa->loading = false;
	return 0;
}

/* Does the message start with "file:line:"? */
static bool loader_has_position(const char *msg, size_t n)
{
	for (size_t i = 0; i < n && msg[i] != ' '; i++) {
		if (msg[i] != ':')
			continue;
		size_t j = i + 1;
		while (j < n && msg[j] >= '0' && msg[j] <= '9')
			j++;
		if (j > i + 1 && j < n && msg[j] == ':')
			return true;
	}
	return false;
}

/* A traceback line that says nothing to a builder: C frames and elisions. */
static bool loader_noise(const char *line, size_t n)
{
	return (n >= 3 && strncmp(line, "[C]", 3) == 0) ||
	       (n >= 4 && strncmp(line, "(...", 4) == 0);
}

/* Appends err to the load's problems: its first line, then the traceback indented. */
static void loader_report(struct load_ctx *lc, struct script_area *sa, const char *err)
{
	const char *nl = strchr(err, '\n');
	size_t first = nl ? (size_t)(nl - err) : strlen(err);

	/* A message with no position of its own (out of memory) gets the area's file. */
	if (loader_has_position(err, first))
		load_problem(lc, NULL, 0, "%.*s", (int)first, err);
	else
		load_problem(lc, sa->file, 0, "%.*s", (int)first, err);
	if (!nl)
		return;
	/* The traceback, minus C frames, only if it says more than the first line. */
	struct buf tb;
	int frames = 0;
	buf_init(&tb, 0);
	for (const char *p = nl + 1; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *line = p;
		while (n && (*line == '\t' || *line == ' '))
			line++, n--;
		if (n && !loader_noise(line, n)) {
			buf_printf(&tb, "  %.*s\n", (int)n, line);
			frames += strncmp(line, "stack traceback", 15) != 0;
		}
		p = e ? e + 1 : p + strlen(p);
	}
	if (frames > 1)
		buf_append(lc->errors, tb.data, tb.len);
	buf_fini(&tb);
}

int loader_run(struct load_ctx *lc, struct script_area *sa)
{
	struct loader_job job = {lc, sa};
	struct buf err;

	sa->vm = vm_new(sa->id, &lc->lim, lc->log);
	if (!sa->vm) {
		load_problem(lc, sa->file, 0, "cannot create a Lua state within %zu KiB",
			     lc->lim.mem_limit / 1024);
		return -1;
	}
	vm_set_owner(sa->vm, sa);
	buf_init(&err, 0);
	lua_State *L = vm_state(sa->vm);
	lua_pushcfunction(L, loader_start);
	lua_pushlightuserdata(L, &job);
	int rc = vm_pcall(sa->vm, 1, 0, lc->load_budget, lc->load_time_ms, &err);
	sa->loading = false;
	sa->include_depth = 0;
	if (rc != 0)
		loader_report(lc, sa, buf_cstr(&err));
	buf_fini(&err);
	return rc;
}

/* Called by build.c once the declarations are built: they now fail clearly. */
void loader_close_declarations(lua_State *L)
{
	static const char *const names[] = {"area", "room", "item", "mob", "spawn"};

	sandbox_push_builtins(L);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		lua_pushcfunction(L, loader_late);
		lua_setfield(L, -2, names[i]);
	}
	lua_pop(L, 1);
}
