/*
 * areatest_memory.c: ch:memory() in area tests, the area's live memory both
 * ways (split from areatest.c, which runs the tests; areatest.h is what
 * they share).
 *
 * A test's ch:memory([area]) is a table of the test's own, kept in step
 * with what the area remembers: the area's memory is copied in after every
 * world step the test takes (cmd, wait, reset_area, reload) and the test's
 * changes are copied out before it. So a test can read what a trigger
 * remembered, and set up a player's progress before a step.
 */
#include "script/areatest.h"

#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/banned.h"

#define AT_MEMORY "at.memory" /* "<ref>:<area>" -> { ref =, area =, t = } */

static struct script_area *at_area(struct at_run *r, const char *id)
{
	for (struct script_area *it = r->s->first; it; it = it->next)
		if (strcmp(it->id, id) == 0 && it->vm)
			return it;
	return NULL;
}

struct at_memory_ctx {
	ref_t ref;
	struct buf json, err;
	bool found;
};

static int at_memory_body(lua_State *L)
{
	struct at_memory_ctx *c = lua_touserdata(L, 1);

	if (lua_getfield(L, LUA_REGISTRYINDEX, "ruin.memory") != LUA_TTABLE ||
	    lua_rawgeti(L, -1, (lua_Integer)c->ref) != LUA_TTABLE)
		return 0;
	lua_getfield(L, -1, "t");
	c->found = persist_encode(L, -1, "memory", (size_t)1 << 20, &c->json, &c->err) == 0;
	return 0;
}

/* Pushes a copy of what area sa remembers of the player ch now (or the store's). */
static void at_fetch(lua_State *L, struct at_run *r, struct script_area *sa,
		     const struct character *ch)
{
	struct at_memory_ctx c = {.ref = ch->ref};

	buf_init(&c.json, (size_t)1 << 20);
	buf_init(&c.err, 4096);
	vm_protect(sa->vm, at_memory_body, &c, &c.err);
	if (!c.found && at_memory_load(r, (int64_t)ch->pc->db_id, sa->id, &c.json) != 0)
		buf_clear(&c.json);
	/* Into the test's state before anything can raise. */
	lua_pushlstring(L, c.json.data ? c.json.data : "", c.json.len);
	buf_fini(&c.json);
	buf_fini(&c.err);
	size_t n;
	const char *text = lua_tolstring(L, -1, &n);
	struct buf derr;
	buf_init(&derr, 4096);
	if (n == 0 || persist_decode(L, text, n, &derr) != 0)
		lua_newtable(L);
	buf_fini(&derr);
	lua_remove(L, -2);
}

/* Empties the table at dst and copies the pairs of the table at src into it. */
static void at_refill(lua_State *L, int dst, int src)
{
	dst = lua_absindex(L, dst);
	src = lua_absindex(L, src);
	lua_newtable(L);
	int keys = lua_gettop(L);
	lua_Integer n = 0;
	lua_pushnil(L);
	while (lua_next(L, dst)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawseti(L, keys, ++n);
	}
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, keys, i);
		lua_pushnil(L);
		lua_rawset(L, dst);
	}
	lua_pop(L, 1);
	lua_pushnil(L);
	while (lua_next(L, src)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, dst);
	}
}

/*
 * Notes in entry e what its table holds now, so that at_sync_out() copies
 * it to the area only when the test changed it (a trigger may have changed
 * the area's own since, through an API call the test made).
 */
static void at_mark_synced(lua_State *L, int e)
{
	struct buf json, err;

	e = lua_absindex(L, e);
	buf_init(&json, (size_t)1 << 20);
	buf_init(&err, 4096);
	lua_getfield(L, e, "t");
	if (persist_encode(L, -1, "memory", (size_t)1 << 20, &json, &err) == 0)
		lua_pushlstring(L, json.data ? json.data : "", json.len);
	else
		lua_pushnil(L);
	buf_fini(&json);
	buf_fini(&err);
	lua_setfield(L, e, "synced");
	lua_pop(L, 1);
}

/* The area's memory -> the test's tables (after a world step). */
void at_sync_in(lua_State *L, struct at_run *r)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, AT_MEMORY) != LUA_TTABLE) {
		lua_pop(L, 1);
		return;
	}
	int reg = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, reg)) {
		int e = lua_gettop(L);
		lua_getfield(L, e, "ref");
		struct character *ch = world_ref_char(r->w, (ref_t)lua_tointeger(L, -1));
		lua_getfield(L, e, "area");
		struct script_area *sa = at_area(r, lua_tostring(L, -1));
		if (ch && !ch->extracted && sa) {
			lua_getfield(L, e, "t");
			at_fetch(L, r, sa, ch);
			at_refill(L, -2, -1);
			at_mark_synced(L, e);
		}
		lua_settop(L, e - 1);
	}
	lua_pop(L, 1);
}

struct at_put_ctx {
	ref_t ref;
	const char *json;
	size_t n;
	struct buf err;
};

/* In the area's state: its memory of ref becomes the decoded JSON. */
static int at_put_body(lua_State *L)
{
	struct at_put_ctx *c = lua_touserdata(L, 1);

	if (lua_getfield(L, LUA_REGISTRYINDEX, "ruin.memory") != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, LUA_REGISTRYINDEX, "ruin.memory");
	}
	int cache = lua_gettop(L);
	if (lua_rawgeti(L, cache, (lua_Integer)c->ref) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushliteral(L, "");
		lua_setfield(L, -2, "saved");
		lua_pushvalue(L, -1);
		lua_rawseti(L, cache, (lua_Integer)c->ref);
	}
	if (persist_decode(L, c->json, c->n, &c->err) == 0)
		lua_setfield(L, -2, "t");
	return 0;
}

/* The test's tables -> the area's memory (before a world step). */
void at_sync_out(lua_State *L, struct at_run *r)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, AT_MEMORY) != LUA_TTABLE) {
		lua_pop(L, 1);
		return;
	}
	int reg = lua_gettop(L);
	struct buf json, err;
	buf_init(&json, (size_t)1 << 20);
	buf_init(&err, 4096);
	lua_pushnil(L);
	while (lua_next(L, reg)) {
		int e = lua_gettop(L);
		lua_getfield(L, e, "ref");
		ref_t ref = (ref_t)lua_tointeger(L, -1);
		struct character *ch = world_ref_char(r->w, ref);
		lua_getfield(L, e, "area");
		struct script_area *sa = at_area(r, lua_tostring(L, -1));
		lua_getfield(L, e, "t");
		buf_clear(&err);
		lua_getfield(L, e, "synced");
		bool changed = true;
		if (ch && !ch->extracted && sa &&
		    persist_encode(L, -2, "memory", (size_t)1 << 20, &json, &err) == 0)
			changed = !lua_isstring(L, -1) ||
				  strcmp(lua_tostring(L, -1), buf_cstr(&json));
		else
			ch = NULL;
		if (ch && changed) {
			struct at_put_ctx c = {.ref = ref, .json = buf_cstr(&json), .n = json.len};
			buf_init(&c.err, 4096);
			vm_protect(sa->vm, at_put_body, &c, &c.err);
			buf_fini(&c.err);
		} else if (err.len) {
			at_fail(L, r, 2, buf_cstr(&err));
		}
		lua_settop(L, e - 1);
	}
	lua_pop(L, 1);
	buf_fini(&json);
	buf_fini(&err);
}

int at_memory(lua_State *L)
{
	struct at_run *r = at_run_of(L);
	struct character *ch = handle_check(L, 1, HKM_PLAYER, "a test player");
	const char *id = luaL_optstring(L, 2, r->tsa.id);
	struct script_area *sa = at_area(r, id);

	if (!sa)
		return luaL_error(L, "memory: there is no area '%s'", id);
	if (lua_getfield(L, LUA_REGISTRYINDEX, AT_MEMORY) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, LUA_REGISTRYINDEX, AT_MEMORY);
	}
	int reg = lua_gettop(L);
	const char *key = lua_pushfstring(L, "%I:%s", (lua_Integer)ch->ref, id);
	if (lua_getfield(L, reg, key) == LUA_TTABLE) {
		int e = lua_gettop(L);
		lua_getfield(L, e, "t");
		lua_getfield(L, e, "synced");
		struct buf json, err;
		buf_init(&json, (size_t)1 << 20);
		buf_init(&err, 4096);
		bool untouched =
			persist_encode(L, -2, "memory", (size_t)1 << 20, &json, &err) == 0 &&
			lua_isstring(L, -1) && strcmp(lua_tostring(L, -1), buf_cstr(&json)) == 0;
		buf_fini(&json);
		buf_fini(&err);
		lua_pop(L, 1);
		/* Unchanged by the test: show what the area remembers now. */
		if (untouched) {
			at_fetch(L, r, sa, ch);
			at_refill(L, -2, -1);
			lua_pop(L, 1);
			at_mark_synced(L, e);
		}
		return 1;
	}
	lua_pop(L, 1);
	lua_createtable(L, 0, 3);
	lua_pushinteger(L, (lua_Integer)ch->ref);
	lua_setfield(L, -2, "ref");
	lua_pushstring(L, id);
	lua_setfield(L, -2, "area");
	at_fetch(L, r, sa, ch);
	lua_setfield(L, -2, "t");
	at_mark_synced(L, -1);
	lua_pushvalue(L, -1);
	lua_setfield(L, reg, key);
	lua_getfield(L, -1, "t");
	return 1;
}
