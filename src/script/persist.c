/*
 * persist.c: what scripts keep across reloads and restarts. Each area has
 * area_state, a builtin table saved as JSON (at area reset, at shutdown
 * and before a reload, through the store callbacks of script_config); each
 * player has ch:memory(), a table per area loaded on first use and saved
 * with the player.
 *
 * Start reading at persist_encode() and persist_decode(). Only plain
 * values are saved: strings (UTF-8), numbers, booleans and tables of them;
 * a function, a handle or a table inside itself is refused with the path
 * to it ("area_state.quest.cb is a function"). Lists become JSON arrays;
 * other tables become objects whose keys keep their type: a number key is
 * written "#12", a string key starting with '#' gets one more.
 *
 * The JSON is built by jansson in C memory while the table is walked in
 * protected mode; each node is attached to the tree the moment it is made
 * and the caller owns the root, so a Lua error midway (memory, budget)
 * leaks nothing. Decoding works the same way round.
 */
#include "script/internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/utf8.h"
#include "base/banned.h"

#define PERSIST_MEMORY "ruin.memory"
#define PERSIST_DEPTH  32
/* Largest saved area_state and player memory, in bytes of JSON. */
#define PERSIST_STATE_MAX  ((size_t)1 << 20)
#define PERSIST_MEMORY_MAX ((size_t)64 << 10)

struct persist_enc {
	json_t *root;	 /* owned by the caller of the protected call */
	struct buf *err; /* owned by the caller */
	struct buf path; /* owned by the caller: "area_state.quest" */
	int visiting;	 /* stack index of the set of tables being walked */
	size_t max;	 /* largest JSON, roughly (checked by count as we go) */
	size_t size;
};

static int persist_fail(lua_State *L, struct persist_enc *e, const char *what)
{
	buf_printf(e->err, "%s %s", buf_cstr(&e->path), what);
	return luaL_error(L, "%s", buf_cstr(e->err));
}

/* Appends ".key" or "[1]" for the key at kidx to the path. */
static void persist_path_push(lua_State *L, struct persist_enc *e, int kidx)
{
	if (lua_type(L, kidx) == LUA_TSTRING)
		buf_printf(&e->path, ".%s", lua_tostring(L, kidx));
	else if (lua_isinteger(L, kidx))
		buf_printf(&e->path, "[%lld]", (long long)lua_tointeger(L, kidx));
	else
		buf_printf(&e->path, "[%g]", (double)lua_tonumber(L, kidx));
}

static void persist_table(lua_State *L, struct persist_enc *e, int idx, json_t *node, int depth);

/* Is the table at idx a list 1..n with nothing else? */
static bool persist_is_list(lua_State *L, int idx)
{
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;

	if (n == 0)
		return false;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > n) {
			lua_pop(L, 1);
			return false;
		}
		count++;
	}
	return count == n;
}

/* The value at vidx as a new node (a table's is an empty container, filled by the caller). */
static json_t *persist_scalar(lua_State *L, struct persist_enc *e, int vidx)
{
	switch (lua_type(L, vidx)) {
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, vidx, &n);
		json_t *j = json_stringn(s, n);
		if (!j)
			persist_fail(L, e, "is not UTF-8 text");
		e->size += n + 2;
		return j;
	}
	case LUA_TNUMBER:
		e->size += 8;
		if (lua_isinteger(L, vidx))
			return json_integer((json_int_t)lua_tointeger(L, vidx));
		if (!isfinite(lua_tonumber(L, vidx)))
			persist_fail(L, e, "is not a finite number");
		return json_real(lua_tonumber(L, vidx));
	case LUA_TBOOLEAN:
		e->size += 5;
		return json_boolean(lua_toboolean(L, vidx));
	case LUA_TTABLE:
		e->size += 2;
		return persist_is_list(L, vidx) ? json_array() : json_object();
	default:
		break;
	}
	lua_pushfstring(L,
			"is a %s: only strings, numbers, booleans and tables of them can be "
			"saved",
			luaL_typename(L, vidx));
	persist_fail(L, e, lua_tostring(L, -1));
	return NULL;
}

/* The key at kidx as an object member name ("#12" for a number); pushed. Raises if none. */
static const char *persist_key(lua_State *L, struct persist_enc *e, int kidx)
{
	if (lua_type(L, kidx) == LUA_TSTRING) {
		size_t n;
		const char *key = lua_tolstring(L, kidx, &n);
		if (strlen(key) != n || !utf8_valid(key, n))
			persist_fail(L, e, "has a key that is not UTF-8 text");
		return lua_pushfstring(L, "%s%s", key[0] == '#' ? "#" : "", key);
	}
	if (lua_type(L, kidx) == LUA_TNUMBER) {
		if (lua_isinteger(L, kidx))
			return lua_pushfstring(L, "#%I", lua_tointeger(L, kidx));
		if (isfinite(lua_tonumber(L, kidx)))
			return lua_pushfstring(L, "#%f", lua_tonumber(L, kidx));
	}
	lua_pushfstring(L, "has a %s key: only string and number keys can be saved",
			luaL_typename(L, kidx));
	persist_fail(L, e, lua_tostring(L, -1));
	return NULL;
}

/* Adds the value at vidx to node under the key at kidx (or appended, for a list). */
static void persist_add(lua_State *L, struct persist_enc *e, json_t *node, int kidx, int vidx,
			int depth)
{
	size_t plen = e->path.len;

	persist_path_push(L, e, kidx);
	/* Everything that may raise comes before the node is made; then it is attached at once. */
	const char *key = json_is_array(node) ? NULL : persist_key(L, e, kidx);
	json_t *v = persist_scalar(L, e, vidx);
	if (key) {
		e->size += strlen(key) + 4;
		json_object_set_new(node, key, v);
	} else {
		json_array_append_new(node, v);
	}
	if (e->size > e->max)
		persist_fail(L, e, "is too large to save");
	if (lua_type(L, vidx) == LUA_TTABLE)
		persist_table(L, e, vidx, v, depth + 1);
	buf_truncate(&e->path, plen);
}

/* Fills node (attached already) from the table at idx. */
static void persist_table(lua_State *L, struct persist_enc *e, int idx, json_t *node, int depth)
{
	int top = lua_gettop(L);

	idx = lua_absindex(L, idx);
	if (depth > PERSIST_DEPTH)
		persist_fail(L, e, "is nested too deeply to save");
	luaL_checkstack(L, 8, "saving");
	lua_pushvalue(L, idx);
	if (lua_rawget(L, e->visiting) != LUA_TNIL)
		persist_fail(L, e, "contains itself: a table inside itself cannot be saved");
	lua_pop(L, 1);
	lua_pushvalue(L, idx);
	lua_pushboolean(L, 1);
	lua_rawset(L, e->visiting);
	vm_charge(L, 1);
	if (json_is_array(node)) {
		lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
		for (lua_Integer i = 1; i <= n; i++) {
			lua_pushinteger(L, i);
			lua_rawgeti(L, idx, i);
			persist_add(L, e, node, top + 1, top + 2, depth);
			lua_settop(L, top);
			vm_charge(L, 1);
		}
	} else {
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			int k = lua_gettop(L) - 1;
			persist_add(L, e, node, k, k + 1, depth);
			lua_settop(L, k);
			vm_charge(L, 1);
		}
	}
	lua_pushvalue(L, idx);
	lua_pushnil(L);
	lua_rawset(L, e->visiting);
	lua_settop(L, top);
}

/* Protected: encodes the table at index 2 into e->root (made by the caller). */
static int persist_encode_body(lua_State *L)
{
	struct persist_enc *e = lua_touserdata(L, 1);

	if (lua_type(L, 2) != LUA_TTABLE)
		return persist_fail(L, e, "is not a table");
	lua_newtable(L);
	e->visiting = lua_gettop(L);
	if (!persist_is_list(L, 2)) {
		persist_table(L, e, 2, e->root, 0);
		return 0;
	}
	/* A list at the top: an array root. */
	json_decref(e->root);
	e->root = json_array();
	persist_table(L, e, 2, e->root, 0);
	return 0;
}

int persist_encode(lua_State *L, int idx, const char *name, size_t max, struct buf *out,
		   struct buf *err)
{
	struct persist_enc e = {.err = err, .max = max};

	idx = lua_absindex(L, idx);
	buf_init(&e.path, 4096);
	buf_puts(&e.path, name);
	e.root = json_object();
	lua_pushcfunction(L, persist_encode_body);
	lua_pushlightuserdata(L, &e);
	lua_pushvalue(L, idx);
	int status = lua_pcall(L, 2, 0, 0);
	int rc = 0;
	if (status != LUA_OK) {
		if (!err->len)
			buf_printf(err, "%s cannot be saved: %s", name,
				   lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
								  : "not enough memory");
		lua_pop(L, 1);
		rc = -1;
	} else {
		char *text =
			json_dumps(e.root, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
		if (text && strlen(text) <= max) {
			buf_clear(out);
			buf_puts(out, text);
		} else {
			buf_printf(err, "%s is too large to save", name);
			rc = -1;
		}
		free(text);
	}
	json_decref(e.root);
	buf_fini(&e.path);
	return rc;
}

/* ---- decoding ------------------------------------------------------------------ */

static void persist_push_json(lua_State *L, json_t *j, int depth);

/* Pushes the key of an object member: "#12" -> 12, "##x" -> "#x". */
static void persist_push_key(lua_State *L, const char *key)
{
	if (key[0] != '#' || key[1] == '#') {
		lua_pushstring(L, key[0] == '#' ? key + 1 : key);
		return;
	}
	if (lua_stringtonumber(L, key + 1) == 0)
		lua_pushstring(L, key); /* not ours: keep it as written */
}

static void persist_push_json(lua_State *L, json_t *j, int depth)
{
	if (depth > PERSIST_DEPTH)
		luaL_error(L, "saved data nested too deeply");
	luaL_checkstack(L, 8, "loading");
	vm_charge(L, 1);
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *v;
		lua_createtable(L, 0, (int)json_object_size(j));
		json_object_foreach(j, key, v)
		{
			persist_push_key(L, key);
			persist_push_json(L, v, depth + 1);
			lua_rawset(L, -3);
		}
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *v;
		lua_createtable(L, (int)json_array_size(j), 0);
		json_array_foreach(j, i, v)
		{
			persist_push_json(L, v, depth + 1);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		break;
	}
	case JSON_STRING:
		lua_pushlstring(L, json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		lua_pushinteger(L, (lua_Integer)json_integer_value(j));
		break;
	case JSON_REAL:
		lua_pushnumber(L, json_real_value(j));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		lua_pushboolean(L, json_is_true(j));
		break;
	case JSON_NULL:
	default:
		lua_pushboolean(L, 0);
		break;
	}
}

static int persist_decode_body(lua_State *L)
{
	json_t *root = lua_touserdata(L, 1);

	persist_push_json(L, root, 0);
	return 1;
}

int persist_decode(lua_State *L, const char *text, size_t n, struct buf *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);

	if (!root || (!json_is_object(root) && !json_is_array(root))) {
		buf_printf(err, "saved data is not a JSON object: %s",
			   root ? "wrong type" : jerr.text);
		json_decref(root);
		return -1;
	}
	lua_pushcfunction(L, persist_decode_body);
	lua_pushlightuserdata(L, root);
	int status = lua_pcall(L, 1, 1, 0);
	json_decref(root);
	if (status != LUA_OK) {
		buf_printf(err, "%s",
			   lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
							  : "not enough memory");
		lua_pop(L, 1);
		return -1;
	}
	return 0;
}

/* ---- area_state --------------------------------------------------------------------- */

void persist_setup(lua_State *L, struct script_area *sa)
{
	struct buf err;

	buf_init(&err, 4096);
	if (!sa->initial_state ||
	    persist_decode(L, sa->initial_state, strlen(sa->initial_state), &err) != 0) {
		if (sa->initial_state)
			log_error(sa->s->log,
				  "script %s: the saved area_state cannot be read (%s); starting "
				  "with an empty one",
				  sa->id, buf_cstr(&err));
		lua_newtable(L);
	}
	buf_fini(&err);
	sandbox_push_builtins(L);
	lua_insert(L, -2);
	lua_setfield(L, -2, "area_state");
	lua_pop(L, 1);
}

struct persist_save_ctx {
	struct script_area *sa;
	struct buf *out, *err;
	int rc;
};

static int persist_state_body(lua_State *L)
{
	struct persist_save_ctx *c = lua_touserdata(L, 1);

	sandbox_push_builtins(L);
	lua_getfield(L, -1, "area_state");
	c->rc = persist_encode(L, -1, "area_state", PERSIST_STATE_MAX, c->out, c->err);
	return 0;
}

int persist_state_json(struct script_area *sa, struct buf *out, struct buf *err)
{
	struct persist_save_ctx c = {.sa = sa, .out = out, .err = err, .rc = -1};

	if (!sa->vm)
		return -1;
	if (vm_protect(sa->vm, persist_state_body, &c, err) != 0)
		return -1;
	return c.rc;
}

int persist_save_area(struct scripts *s, struct script_area *sa)
{
	struct buf out, err;
	int rc = 0;

	if (!s->cfg.state_save || !sa->vm)
		return 0;
	buf_init(&out, PERSIST_STATE_MAX + 1);
	buf_init(&err, 4096);
	if (persist_state_json(sa, &out, &err) != 0) {
		report_builders(s, "%s: area_state not saved: %s", sa->id, buf_cstr(&err));
		rc = -1;
	} else if (!sa->saved_state || strcmp(sa->saved_state, buf_cstr(&out)) != 0) {
		rc = s->cfg.state_save(s->cfg.store_ud, sa->id, buf_cstr(&out));
		if (rc < 0) {
			log_error(s->log, "script %s: saving area_state failed: %s", sa->id,
				  strerror(-rc));
		} else {
			free(sa->saved_state);
			sa->saved_state = buf_steal(&out);
		}
	}
	buf_fini(&out);
	buf_fini(&err);
	return rc;
}

/* ---- ch:memory() --------------------------------------------------------------------- */

/* Pushes the cache of memories (ref -> { t = table, saved = json }). */
static void persist_push_cache(lua_State *L)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, PERSIST_MEMORY) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, LUA_REGISTRYINDEX, PERSIST_MEMORY);
	}
}

static int persist_pushstr_body(lua_State *L)
{
	const struct buf *b = lua_touserdata(L, 1);

	lua_pushlstring(L, b->data ? b->data : "", b->len);
	return 1;
}

int persist_memory(lua_State *L)
{
	struct character *ch = handle_check(L, 1, HKM_PLAYER, "a player (mobs have no memory)");
	struct scripts *s = handle_scripts(L);
	struct script_area *sa = handle_area(L);

	persist_push_cache(L);
	int cache = lua_gettop(L);
	if (lua_rawgeti(L, cache, (lua_Integer)ch->ref) == LUA_TTABLE) {
		lua_getfield(L, -1, "t");
		return 1;
	}
	lua_pop(L, 1);
	/* Loaded once per player and area: from the store into Lua, then decoded. */
	struct buf b;
	int rc = -ENOENT;
	buf_init(&b, PERSIST_MEMORY_MAX);
	if (s->cfg.memory_load && ch->pc->db_id > 0)
		rc = s->cfg.memory_load(s->cfg.store_ud, ch->pc->db_id, sa->id, &b);
	if (rc < 0)
		buf_clear(&b);
	lua_pushcfunction(L, persist_pushstr_body);
	lua_pushlightuserdata(L, &b);
	int status = lua_pcall(L, 1, 1, 0);
	buf_fini(&b);
	if (status != LUA_OK)
		return lua_error(L);
	int saved = lua_gettop(L);
	size_t n;
	const char *text = lua_tolstring(L, saved, &n);
	lua_createtable(L, 0, 2);
	int entry = lua_gettop(L);
	if (n) {
		struct buf err;
		buf_init(&err, 4096);
		if (persist_decode(L, text, n, &err) != 0) {
			log_error(s->log,
				  "script %s: %s's memory cannot be read (%s); it starts empty",
				  sa->id, ch->name, buf_cstr(&err));
			lua_newtable(L);
		}
		buf_fini(&err);
	} else {
		lua_newtable(L);
	}
	lua_setfield(L, entry, "t");
	lua_pushvalue(L, saved);
	lua_setfield(L, entry, "saved");
	lua_pushvalue(L, entry);
	lua_rawseti(L, cache, (lua_Integer)ch->ref);
	lua_getfield(L, entry, "t");
	return 1;
}

struct persist_player_ctx {
	struct scripts *s;
	struct script_area *sa;
	struct character *ch;
	struct buf out, err;
};

static int persist_player_body(lua_State *L)
{
	struct persist_player_ctx *c = lua_touserdata(L, 1);

	persist_push_cache(L);
	if (lua_rawgeti(L, -1, (lua_Integer)c->ch->ref) != LUA_TTABLE)
		return 0;
	int entry = lua_gettop(L);
	lua_getfield(L, entry, "t");
	buf_clear(&c->err);
	if (persist_encode(L, -1, "memory", PERSIST_MEMORY_MAX, &c->out, &c->err) != 0) {
		report_builders(c->s, "%s: %s's memory not saved: %s", c->sa->id, c->ch->name,
				buf_cstr(&c->err));
		return 0;
	}
	lua_getfield(L, entry, "saved");
	if (lua_isstring(L, -1) && strcmp(lua_tostring(L, -1), buf_cstr(&c->out)) == 0)
		return 0;
	int rc = c->s->cfg.memory_save(c->s->cfg.store_ud, c->ch->pc->db_id, c->sa->id,
				       buf_cstr(&c->out));
	if (rc < 0) {
		log_error(c->s->log, "script %s: saving %s's memory failed: %s", c->sa->id,
			  c->ch->name, strerror(-rc));
		return 0;
	}
	lua_pushstring(L, buf_cstr(&c->out));
	lua_setfield(L, entry, "saved");
	return 0;
}

void persist_save_player(struct scripts *s, struct character *ch)
{
	struct persist_player_ctx c = {.s = s, .ch = ch};

	if (!ch->pc || ch->pc->db_id <= 0 || !s->cfg.memory_save)
		return;
	buf_init(&c.out, PERSIST_MEMORY_MAX + 1);
	buf_init(&c.err, 4096);
	for (struct script_area *sa = s->first; sa; sa = sa->next) {
		if (!sa->vm)
			continue;
		c.sa = sa;
		vm_protect(sa->vm, persist_player_body, &c, NULL);
	}
	buf_fini(&c.out);
	buf_fini(&c.err);
}

/* Drops the "saved" mark of ch's memory in one area: its next save writes it. */
static int persist_unsaved_body(lua_State *L)
{
	const struct character *ch = lua_touserdata(L, 1);

	if (lua_getfield(L, LUA_REGISTRYINDEX, PERSIST_MEMORY) == LUA_TTABLE &&
	    lua_rawgeti(L, -1, (lua_Integer)ch->ref) == LUA_TTABLE) {
		lua_pushnil(L);
		lua_setfield(L, -2, "saved");
	}
	return 0;
}

void scripts_memory_unsaved(struct scripts *s, struct character *ch)
{
	if (!s)
		return;
	for (struct script_area *sa = s->first; sa; sa = sa->next)
		if (sa->vm)
			vm_protect(sa->vm, persist_unsaved_body, ch, NULL);
}

void persist_forget(lua_State *L, ref_t ref)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, PERSIST_MEMORY) == LUA_TTABLE) {
		lua_pushnil(L);
		lua_rawseti(L, -2, (lua_Integer)ref);
	}
	lua_pop(L, 1);
}
