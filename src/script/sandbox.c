/*
 * sandbox.c: what an area's scripts can reach.
 *
 * Start reading at sandbox_open(). The libraries live in one "builtins"
 * table (kept in the registry); the globals table itself starts empty and
 * is strict: reading a name that is neither a builtin nor a global raises
 * "undefined global 'x'" (with a "did you mean"), a builtin cannot be
 * reassigned, and a new global can only be created by a statement at the
 * top level of a file (a chunk's main function), as Lua's strict.lua does.
 *
 * Offered: base (without dofile, loadfile, print, warn; load() forced to
 * text chunks; collectgarbage("count") only; setmetatable refusing __gc;
 * xpcall whose handler never runs once the entry is stopped), string
 * (without dump; find/match/gmatch/gsub from pattern.c, rep/upper/lower/
 * reverse/byte from strlib.c), table (insert, remove, move, sort, concat,
 * unpack from tablib.c), math, utf8, coroutine (resume, wrap and close
 * charged per switch, see vm_switch()), and os.time, os.clock, os.date.
 * Never io, debug, package or require.
 *
 * Why collectgarbage("count") only: "collect" and "step" make the C
 * collector walk the whole heap in one instruction, so a loop of them
 * burns time the instruction budget does not see, and "stop", "incremental"
 * and "generational" change the collector for the whole state.
 * Why no __gc: finalizers run with hooks disabled, so a looping __gc could
 * never be stopped; refusing the metatable at setmetatable() time is enough,
 * since Lua marks an object for finalization only then.
 */
#include "script/internal.h"

#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "base/buf.h"
#include "base/banned.h"

#define SANDBOX_BUILTINS "ruin.builtins"

/* Base functions offered unchanged. */
static const char *const sandbox_base_names[] = {
	"assert",   "error",	"getmetatable", "ipairs",   "next",   "pairs",
	"pcall",    "rawequal", "rawget",	"rawlen",   "rawset", "select",
	"tonumber", "tostring", "type",		"_VERSION", NULL,
};

/* The os functions offered. */
static const char *const sandbox_os_names[] = {"time", "clock", "date", NULL};

void sandbox_push_builtins(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, SANDBOX_BUILTINS);
}

static int sandbox_collectgarbage(lua_State *L)
{
	const char *opt = luaL_optstring(L, 1, "collect");

	if (strcmp(opt, "count") != 0)
		return luaL_error(L, "collectgarbage: only \"count\" is allowed in areas");
	int kb = lua_gc(L, LUA_GCCOUNT);
	int b = lua_gc(L, LUA_GCCOUNTB);
	lua_pushnumber(L, (lua_Number)kb + (lua_Number)b / 1024);
	return 1;
}

/* load(chunk [, chunkname [, mode [, env]]]) with mode always "t". */
static int sandbox_load(lua_State *L)
{
	int n = lua_gettop(L);

	luaL_checkany(L, 1);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushvalue(L, 1);
	if (n >= 2)
		lua_pushvalue(L, 2);
	else
		lua_pushnil(L);
	lua_pushliteral(L, "t");
	int args = 3;
	if (n >= 4) {
		lua_pushvalue(L, 4);
		args = 4;
	}
	lua_call(L, args, LUA_MULTRET);
	return lua_gettop(L) - n;
}

static int sandbox_setmetatable(lua_State *L)
{
	int t = lua_type(L, 2);

	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
	if (t == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_error(L, "setmetatable: __gc metamethods are not allowed in "
					     "areas");
		lua_pop(L, 1);
	}
	if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
		return luaL_error(L, "cannot change a protected metatable");
	lua_settop(L, 2);
	lua_setmetatable(L, 1);
	return 1;
}

/* The script's xpcall handler, skipped once the entry is stopped. */
static int sandbox_guard(lua_State *L)
{
	if (vm_stopped(L))
		return 1;
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

/* Finishes xpcall: true and the results, or false and the error. */
static int sandbox_xpcall_done(lua_State *L, int status, lua_KContext extra)
{
	if (status != LUA_OK && status != LUA_YIELD) {
		lua_pushboolean(L, 0);
		lua_pushvalue(L, -2);
		return 2;
	}
	return lua_gettop(L) - (int)extra;
}

/* xpcall(f, handler, ...) with the handler behind sandbox_guard. */
static int sandbox_xpcall(lua_State *L)
{
	int n = lua_gettop(L);

	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 2);
	lua_pushcclosure(L, sandbox_guard, 1);
	lua_replace(L, 2);
	lua_pushboolean(L, 1);
	lua_pushvalue(L, 1);
	lua_rotate(L, 3, 2); /* true and f below f's arguments */
	int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, sandbox_xpcall_done);
	return sandbox_xpcall_done(L, status, 2);
}

/*
 * The coroutine library's thread switches, each through vm_switch() so that
 * no coroutine runs uncounted. resume and wrap follow Lua 5.4's lcorolib.c
 * (reimplemented rather than wrapped, so that a wrapped coroutine costs no
 * extra C level and its errors keep their position); close only wraps the
 * original, since it never nests.
 */

/* Resumes co with narg arguments from L: the number of results, or -1 and the error. */
static int sandbox_auxresume(lua_State *L, lua_State *co, int narg)
{
	int nres;

	vm_switch(L, co);
	if (!lua_checkstack(co, narg)) {
		lua_pushliteral(L, "too many arguments to resume");
		return -1;
	}
	lua_xmove(L, co, narg);
	int status = lua_resume(co, L, narg, &nres);
	if (status == LUA_OK || status == LUA_YIELD) {
		if (!lua_checkstack(L, nres + 1)) {
			lua_pop(co, nres);
			lua_pushliteral(L, "too many results to resume");
			return -1;
		}
		lua_xmove(co, L, nres);
		return nres;
	}
	lua_xmove(co, L, 1);
	return -1;
}

/* coroutine.resume(co, ...) */
static int sandbox_coresume(lua_State *L)
{
	lua_State *co = lua_tothread(L, 1);

	luaL_argexpected(L, co, 1, "coroutine");
	int r = sandbox_auxresume(L, co, lua_gettop(L) - 1);
	if (r < 0) {
		lua_pushboolean(L, 0);
		lua_insert(L, -2);
		return 2;
	}
	lua_pushboolean(L, 1);
	lua_insert(L, -(r + 1));
	return r + 1;
}

/* The function coroutine.wrap returns; its coroutine is upvalue 1. */
static int sandbox_auxwrap(lua_State *L)
{
	lua_State *co = lua_tothread(L, lua_upvalueindex(1));
	int r = sandbox_auxresume(L, co, lua_gettop(L));

	if (r >= 0)
		return r;
	int status = lua_status(co);
	if (status != LUA_OK && status != LUA_YIELD) {
		status = lua_resetthread(co); /* its pending __close handlers */
		lua_xmove(co, L, 1);
	}
	if (status != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
		luaL_where(L, 1);
		lua_insert(L, -2);
		lua_concat(L, 2);
	}
	return lua_error(L);
}

/* coroutine.wrap(f) */
static int sandbox_cowrap(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TFUNCTION);
	lua_State *co = lua_newthread(L);
	lua_pushvalue(L, 1);
	lua_xmove(L, co, 1);
	lua_pushcclosure(L, sandbox_auxwrap, 1);
	return 1;
}

/* coroutine.close(co): __close handlers run in co. */
static int sandbox_coclose(lua_State *L)
{
	lua_State *co = lua_tothread(L, 1);

	luaL_argexpected(L, co, 1, "coroutine");
	vm_switch(L, co);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* Adds the string keys of the table at idx to a suggestion. */
static void sandbox_suggest_keys(lua_State *L, int idx, struct suggest *sg)
{
	idx = lua_absindex(L, idx);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TSTRING)
			suggest_add(sg, lua_tostring(L, -1));
	}
}

/* __index of the globals: builtins, or an error naming the global. */
static int sandbox_index(lua_State *L)
{
	lua_pushvalue(L, 2);
	if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
		return 1;
	if (lua_type(L, 2) != LUA_TSTRING)
		return luaL_error(L, "undefined global (a %s key)", luaL_typename(L, 2));
	const char *name = lua_tostring(L, 2);
	struct suggest sg;
	suggest_init(&sg, name);
	sandbox_suggest_keys(L, lua_upvalueindex(1), &sg);
	sandbox_suggest_keys(L, 1, &sg);
	if (suggest_best(&sg))
		return luaL_error(L, "undefined global '%s' (did you mean '%s'?)", name,
				  suggest_best(&sg));
	return luaL_error(L, "undefined global '%s'", name);
}

/* __newindex of the globals: only top-level statements declare globals. */
static int sandbox_newindex(lua_State *L)
{
	const char *name = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?";
	lua_Debug ar;

	lua_pushvalue(L, 2);
	if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
		return luaL_error(L,
				  "'%s' is built in and cannot be assigned (use a local of "
				  "another name)",
				  name);
	lua_pop(L, 1);
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "S", &ar) && strcmp(ar.what, "main") == 0) {
		lua_rawset(L, 1);
		return 0;
	}
	return luaL_error(L,
			  "assignment to undeclared global '%s' (globals are declared at the top "
			  "level of a file; inside functions use local)",
			  name);
}

/* Moves the named fields of the table at src into the table at dst. */
static void sandbox_copy(lua_State *L, int src, int dst, const char *const *names)
{
	src = lua_absindex(L, src);
	dst = lua_absindex(L, dst);
	for (size_t i = 0; names[i]; i++) {
		lua_getfield(L, src, names[i]);
		lua_setfield(L, dst, names[i]);
	}
}

/* Replaces the field name of the table at idx by a closure over the original. */
static void sandbox_wrap(lua_State *L, int idx, const char *name, lua_CFunction fn)
{
	idx = lua_absindex(L, idx);
	lua_getfield(L, idx, name);
	lua_pushcclosure(L, fn, 1);
	lua_setfield(L, idx, name);
}

/* Opens library `name` and stores it in builtins (at index b); leaves it on the stack. */
static void sandbox_lib(lua_State *L, int b, const char *name, lua_CFunction open)
{
	luaL_requiref(L, name, open, 0);
	lua_pushvalue(L, -1);
	lua_setfield(L, b, name);
}

int sandbox_open(lua_State *L)
{
	lua_newtable(L);
	int b = lua_gettop(L);
	lua_pushvalue(L, b);
	lua_setfield(L, LUA_REGISTRYINDEX, SANDBOX_BUILTINS);

	/* base: luaopen_base fills the current globals table, dropped below. */
	luaL_requiref(L, "_G", luaopen_base, 0);
	sandbox_copy(L, -1, b, sandbox_base_names);
	sandbox_wrap(L, -1, "load", sandbox_load);
	sandbox_wrap(L, -1, "xpcall", sandbox_xpcall);
	sandbox_copy(L, -1, b, (const char *const[]){"load", "xpcall", NULL});
	lua_pop(L, 1);
	lua_pushcfunction(L, sandbox_collectgarbage);
	lua_setfield(L, b, "collectgarbage");
	lua_pushcfunction(L, sandbox_setmetatable);
	lua_setfield(L, b, "setmetatable");

	sandbox_lib(L, b, "string", luaopen_string);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	pattern_register(L, -1);
	strlib_register(L, -1);
	lua_pop(L, 1);
	/* The strings' metatable (its __index is the string table) stays hidden. */
	lua_pushliteral(L, "");
	if (lua_getmetatable(L, -1)) {
		lua_pushboolean(L, 0);
		lua_setfield(L, -2, "__metatable");
		lua_pop(L, 1);
	}
	lua_pop(L, 1);

	sandbox_lib(L, b, "table", luaopen_table);
	tablib_register(L, -1);
	lua_pop(L, 1);
	sandbox_lib(L, b, "math", luaopen_math);
	lua_pop(L, 1);
	sandbox_lib(L, b, "utf8", luaopen_utf8);
	lua_pop(L, 1);
	sandbox_lib(L, b, "coroutine", luaopen_coroutine);
	lua_pushcfunction(L, sandbox_coresume);
	lua_setfield(L, -2, "resume");
	lua_pushcfunction(L, sandbox_cowrap);
	lua_setfield(L, -2, "wrap");
	sandbox_wrap(L, -1, "close", sandbox_coclose);
	lua_pop(L, 1);
	luaL_requiref(L, "os", luaopen_os, 0);
	lua_newtable(L);
	sandbox_copy(L, -2, -1, sandbox_os_names);
	lua_setfield(L, b, "os");
	lua_pop(L, 1);

	/* A fresh, strict globals table: what every chunk gets as _ENV. */
	lua_newtable(L);
	int g = lua_gettop(L);
	lua_pushvalue(L, g);
	lua_setfield(L, b, "_G");
	lua_newtable(L);
	lua_pushvalue(L, b);
	lua_pushcclosure(L, sandbox_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushvalue(L, b);
	lua_pushcclosure(L, sandbox_newindex, 1);
	lua_setfield(L, -2, "__newindex");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, g);
	lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
	lua_settop(L, 0);
	return 0;
}
