/*
 * handle.c: game objects as Lua sees them. A handle is a small userdata
 * holding a world.h ref_t (slot and generation) and what kind of thing it
 * names; nothing in Lua ever holds a pointer into the world.
 *
 * Start reading at handle_push(). Each state keeps one handle per ref in a
 * weak cache, so handles to the same object are the same value (== works,
 * and they can be table keys while they live). Every use resolves the ref
 * again through world_ref_*(): once the object is gone (freed, or extracted
 * and waiting to be freed) the ref no longer resolves and the handle raises
 * "mob 'emberfall:crow' is gone". Only .id, .kind, :valid() and tostring()
 * still work then.
 *
 * Fields are read through handle_index(): methods come from a table per
 * kind (filled by api.c), fields from handle_field(). Handles are read
 * only; .vars is the place for a script's own values about one object.
 */
#include "script/internal.h"

#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/banned.h"

#define HANDLE_MT      "ruin.handle"
#define HANDLE_CACHE   "ruin.handles"
#define HANDLE_VARS    "ruin.vars"
#define HANDLE_METHODS "ruin.methods"

struct handle {
	ref_t ref;
	enum hkind kind;
};

static const char *const handle_kind_names[] = {
	[HK_PLAYER] = "player",
	[HK_MOB] = "mob",
	[HK_ITEM] = "item",
	[HK_ROOM] = "room",
};

const char *handle_kind_name(enum hkind k)
{
	return k >= HK_PLAYER && k <= HK_ROOM ? handle_kind_names[k] : "?";
}

struct scripts *handle_scripts(lua_State *L)
{
	struct script_area *sa = vm_owner(vm_from_state(L));

	return sa->s;
}

struct script_area *handle_area(lua_State *L)
{
	return vm_owner(vm_from_state(L));
}

/* ---- resolving ------------------------------------------------------------------ */

/* The object of h, or NULL if it is gone. */
static void *handle_object(lua_State *L, const struct handle *h)
{
	const struct world *w = handle_scripts(L)->w;

	switch (h->kind) {
	case HK_PLAYER:
	case HK_MOB: {
		struct character *ch = world_ref_char(w, h->ref);
		return ch && !ch->extracted ? ch : NULL;
	}
	case HK_ITEM: {
		struct item *it = world_ref_item(w, h->ref);
		return it && !it->extracted ? it : NULL;
	}
	case HK_ROOM:
		return world_ref_room(w, h->ref);
	}
	return NULL;
}

/* The handle at idx, or NULL if the value is not one. */
static struct handle *handle_test(lua_State *L, int idx)
{
	return luaL_testudata(L, idx, HANDLE_MT);
}

/* Raises "<kind> '<id>' is gone". */
static int handle_gone(lua_State *L, int idx, const struct handle *h)
{
	lua_getiuservalue(L, idx, 1);
	return luaL_error(L, "%s '%s' is gone", handle_kind_name(h->kind), lua_tostring(L, -1));
}

/* Raises a type error for argument idx: what was wanted, what was given. */
static int handle_want(lua_State *L, int idx, const char *want)
{
	const struct handle *h = handle_test(L, idx);
	const char *got = h ? handle_kind_name(h->kind) : luaL_typename(L, idx);

	if (idx == 1 && !h)
		return luaL_error(L,
				  "expected %s, got a %s (call methods with ':', as in ch:send())",
				  want, got);
	return luaL_error(L, "expected %s, got a %s", want, got);
}

void *handle_check(lua_State *L, int idx, unsigned kinds, const char *want)
{
	struct handle *h = handle_test(L, idx);

	if (!h || !((1u << h->kind) & kinds)) {
		handle_want(L, idx, want);
		return NULL;
	}
	void *obj = handle_object(L, h);
	if (!obj)
		handle_gone(L, idx, h);
	return obj;
}

struct character *handle_char(lua_State *L, int idx)
{
	return handle_check(L, idx, HKM_CHAR, "a character");
}

struct room *handle_room(lua_State *L, int idx)
{
	return handle_check(L, idx, HKM_ROOM, "a room");
}

struct item *handle_item(lua_State *L, int idx)
{
	return handle_check(L, idx, HKM_ITEM, "an item");
}

bool handle_is(lua_State *L, int idx, enum hkind *kind)
{
	struct handle *h = handle_test(L, idx);

	if (h && kind)
		*kind = h->kind;
	return h != NULL;
}

ref_t handle_ref(lua_State *L, int idx)
{
	struct handle *h = handle_test(L, idx);

	return h ? h->ref : 0;
}

/* ---- making handles ------------------------------------------------------------ */

void handle_push(lua_State *L, ref_t ref)
{
	struct scripts *s = handle_scripts(L);
	enum hkind kind;
	const char *id;

	if (!ref) {
		lua_pushnil(L);
		return;
	}
	switch (world_ref_kind(s->w, ref)) {
	case REF_CHAR: {
		struct character *ch = world_ref_char(s->w, ref);
		kind = ch->pc ? HK_PLAYER : HK_MOB;
		id = ch->pc ? ch->name : ch->proto->id;
		break;
	}
	case REF_ITEM:
		kind = HK_ITEM;
		id = world_ref_item(s->w, ref)->proto->id;
		break;
	case REF_ROOM:
		kind = HK_ROOM;
		id = world_ref_room(s->w, ref)->id;
		break;
	case REF_NONE:
	default:
		lua_pushnil(L);
		return;
	}
	lua_getfield(L, LUA_REGISTRYINDEX, HANDLE_CACHE);
	if (lua_rawgeti(L, -1, (lua_Integer)ref) == LUA_TUSERDATA) {
		lua_remove(L, -2);
		return;
	}
	lua_pop(L, 1);
	struct handle *h = lua_newuserdatauv(L, sizeof(*h), 1);
	h->ref = ref;
	h->kind = kind;
	lua_pushstring(L, id);
	lua_setiuservalue(L, -2, 1);
	luaL_setmetatable(L, HANDLE_MT);
	lua_pushvalue(L, -1);
	lua_rawseti(L, -3, (lua_Integer)ref);
	lua_remove(L, -2);
}

void handle_push_char(lua_State *L, const struct character *ch)
{
	handle_push(L, ch && !ch->extracted ? ch->ref : 0);
}

void handle_push_item(lua_State *L, const struct item *it)
{
	handle_push(L, it && !it->extracted ? it->ref : 0);
}

void handle_push_room(lua_State *L, const struct room *room)
{
	handle_push(L, room ? room->ref : 0);
}

/* ---- fields ---------------------------------------------------------------------- */

static void handle_push_opt_str(lua_State *L, const char *s)
{
	if (s)
		lua_pushstring(L, s);
	else
		lua_pushnil(L);
}

/* Pushes h.vars (made on first use). */
static void handle_push_vars(lua_State *L, ref_t ref)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, HANDLE_VARS) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, LUA_REGISTRYINDEX, HANDLE_VARS);
	}
	if (lua_rawgeti(L, -1, (lua_Integer)ref) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, (lua_Integer)ref);
	}
	lua_remove(L, -2);
}

static bool handle_char_field(lua_State *L, const struct character *ch, const char *k)
{
	static const struct {
		const char *name;
		size_t off;
	} ints[] = {
		{"level", offsetof(struct character, level)},
		{"hp", offsetof(struct character, hp)},
		{"max_hp", offsetof(struct character, max_hp)},
		{"mana", offsetof(struct character, mana)},
		{"max_mana", offsetof(struct character, max_mana)},
		{"move", offsetof(struct character, move)},
		{"max_move", offsetof(struct character, max_move)},
		{"gold", offsetof(struct character, gold)},
	};

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		if (strcmp(k, ints[i].name) == 0) {
			lua_pushinteger(
				L, *(const int *)(const void *)((const char *)ch + ints[i].off));
			return true;
		}
	}
	if (strcmp(k, "name") == 0)
		lua_pushstring(L, ch->pc ? ch->name : ch->short_desc ? ch->short_desc : "someone");
	else if (strcmp(k, "exp") == 0)
		lua_pushinteger(L, (lua_Integer)ch->exp);
	else if (strcmp(k, "room") == 0)
		handle_push_room(L, ch->room);
	else if (strcmp(k, "fighting") == 0)
		handle_push_char(L, ch->fighting);
	else if (strcmp(k, "is_player") == 0)
		lua_pushboolean(L, ch->pc != NULL);
	else if (strcmp(k, "path") == 0)
		handle_push_opt_str(L, ch->pc ? ch->pc->path : NULL);
	else if (strcmp(k, "pronouns") == 0)
		lua_pushstring(L, pronouns_name(ch->pronouns));
	else if (strcmp(k, "keywords") == 0)
		handle_push_opt_str(L, ch->keywords);
	else
		return false;
	return true;
}

static bool handle_item_field(lua_State *L, const struct item *it, const char *k)
{
	if (strcmp(k, "name") == 0)
		lua_pushstring(L, it->proto->short_desc ? it->proto->short_desc : "something");
	else if (strcmp(k, "carried_by") == 0)
		handle_push_char(L, it->carried_by);
	else if (strcmp(k, "room") == 0)
		handle_push_room(L, it->in_room);
	else if (strcmp(k, "container") == 0)
		handle_push_item(L, it->in_item);
	else if (strcmp(k, "type") == 0)
		lua_pushstring(L, item_type_name(it->proto->type));
	else if (strcmp(k, "value") == 0)
		lua_pushinteger(L, it->proto->value);
	else if (strcmp(k, "level") == 0)
		lua_pushinteger(L, it->proto->level);
	else if (strcmp(k, "weight") == 0)
		lua_pushinteger(L, it->proto->weight);
	else if (strcmp(k, "keywords") == 0)
		handle_push_opt_str(L, it->proto->keywords);
	else
		return false;
	return true;
}

/* { safe = true, dark = true, ... }: the room's flags as a set. */
static void handle_push_room_flags(lua_State *L, unsigned flags)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {
		{"safe", ROOM_SAFE},	   {"dark", ROOM_DARK},	    {"nomob", ROOM_NOMOB},
		{"indoors", ROOM_INDOORS}, {"recall", ROOM_RECALL}, {"start", ROOM_START},
	};

	lua_createtable(L, 0, 6);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & names[i].bit) {
			lua_pushboolean(L, 1);
			lua_setfield(L, -2, names[i].name);
		}
	}
}

static bool handle_room_field(lua_State *L, const struct room *r, const char *k)
{
	if (strcmp(k, "name") == 0)
		handle_push_opt_str(L, r->name);
	else if (strcmp(k, "area") == 0)
		handle_push_opt_str(L, r->area ? r->area->id : NULL);
	else if (strcmp(k, "flags") == 0)
		handle_push_room_flags(L, r->flags);
	else if (strcmp(k, "environment") == 0)
		handle_push_opt_str(L, r->environment);
	else
		return false;
	return true;
}

/* The fields of each kind, for "did you mean" (methods come from the tables). */
static const char *const handle_char_fields[] = {
	"id",	    "name",	 "kind", "vars",     "level",	 "hp",	"max_hp",
	"mana",	    "max_mana",	 "move", "max_move", "gold",	 "exp", "room",
	"fighting", "is_player", "path", "pronouns", "keywords", NULL,
};
static const char *const handle_item_fields[] = {
	"id",	"name",	 "kind",  "vars",   "carried_by", "room", "container",
	"type", "value", "level", "weight", "keywords",	  NULL,
};
static const char *const handle_room_fields[] = {"id",	 "name",  "kind",	 "vars",
						 "area", "flags", "environment", NULL};

/* Raises "a mob has no field 'x' (did you mean 'y'?)". */
static int handle_no_field(lua_State *L, const struct handle *h, const char *k)
{
	const char *const *fields = h->kind == HK_ITEM	 ? handle_item_fields
				    : h->kind == HK_ROOM ? handle_room_fields
							 : handle_char_fields;
	struct suggest sg;

	suggest_init(&sg, k);
	for (size_t i = 0; fields[i]; i++)
		suggest_add(&sg, fields[i]);
	lua_getfield(L, LUA_REGISTRYINDEX, HANDLE_METHODS);
	lua_rawgeti(L, -1, h->kind);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TSTRING)
			suggest_add(&sg, lua_tostring(L, -1));
	}
	const char *a = h->kind == HK_ITEM ? "an" : "a";
	if (suggest_best(&sg))
		return luaL_error(L, "%s %s has no field '%s' (did you mean '%s'?)", a,
				  handle_kind_name(h->kind), k, suggest_best(&sg));
	return luaL_error(L, "%s %s has no field '%s'", a, handle_kind_name(h->kind), k);
}

/* __index(h, key) */
static int handle_index(lua_State *L)
{
	struct handle *h = luaL_checkudata(L, 1, HANDLE_MT);
	const char *k = lua_tostring(L, 2);

	if (lua_type(L, 2) != LUA_TSTRING)
		return luaL_error(L, "handles have named fields only (%s.%s)",
				  handle_kind_name(h->kind), luaL_typename(L, 2));
	if (strcmp(k, "kind") == 0) {
		lua_pushstring(L, handle_kind_name(h->kind));
		return 1;
	}
	if (strcmp(k, "id") == 0) {
		lua_getiuservalue(L, 1, 1);
		return 1;
	}
	lua_getfield(L, LUA_REGISTRYINDEX, HANDLE_METHODS);
	lua_rawgeti(L, -1, h->kind);
	if (lua_getfield(L, -1, k) != LUA_TNIL)
		return 1;
	lua_settop(L, 2);
	void *obj = handle_object(L, h);
	if (!obj)
		return handle_gone(L, 1, h);
	if (strcmp(k, "vars") == 0) {
		handle_push_vars(L, h->ref);
		return 1;
	}
	bool found;
	switch (h->kind) {
	case HK_PLAYER:
	case HK_MOB:
		found = handle_char_field(L, obj, k);
		break;
	case HK_ITEM:
		found = handle_item_field(L, obj, k);
		break;
	case HK_ROOM:
	default:
		found = handle_room_field(L, obj, k);
		break;
	}
	if (!found)
		return handle_no_field(L, h, k);
	return 1;
}

static int handle_newindex(lua_State *L)
{
	struct handle *h = luaL_checkudata(L, 1, HANDLE_MT);

	return luaL_error(L,
			  "handles are read only: %s.%s cannot be set (use the methods, such as "
			  "ch:heal(n), or keep your own values in .vars)",
			  handle_kind_name(h->kind),
			  lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?");
}

static int handle_eq(lua_State *L)
{
	struct handle *a = handle_test(L, 1), *b = handle_test(L, 2);

	lua_pushboolean(L, a && b && a->ref == b->ref);
	return 1;
}

static int handle_tostring(lua_State *L)
{
	struct handle *h = luaL_checkudata(L, 1, HANDLE_MT);

	lua_getiuservalue(L, 1, 1);
	lua_pushfstring(L, "%s %s%s", handle_kind_name(h->kind), lua_tostring(L, -1),
			handle_object(L, h) ? "" : " (gone)");
	return 1;
}

static int handle_valid(lua_State *L)
{
	struct handle *h = handle_test(L, 1);

	if (!h)
		return handle_want(L, 1, "a handle");
	lua_pushboolean(L, handle_object(L, h) != NULL);
	return 1;
}

void handle_setup(lua_State *L)
{
	luaL_newmetatable(L, HANDLE_MT);
	lua_pushcfunction(L, handle_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, handle_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, handle_eq);
	lua_setfield(L, -2, "__eq");
	lua_pushcfunction(L, handle_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);

	/* The cache: ref -> handle, weak values so unused handles are collected. */
	lua_newtable(L);
	lua_createtable(L, 0, 1);
	lua_pushliteral(L, "v");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	lua_setfield(L, LUA_REGISTRYINDEX, HANDLE_CACHE);

	/* The methods of each kind: api.c fills them through handle_methods(). */
	lua_createtable(L, HK_ROOM, 0);
	for (int k = HK_PLAYER; k <= HK_ROOM; k++) {
		lua_newtable(L);
		lua_pushcfunction(L, handle_valid);
		lua_setfield(L, -2, "valid");
		lua_rawseti(L, -2, k);
	}
	lua_setfield(L, LUA_REGISTRYINDEX, HANDLE_METHODS);
}

void handle_methods(lua_State *L, unsigned kinds, const luaL_Reg *fns)
{
	lua_getfield(L, LUA_REGISTRYINDEX, HANDLE_METHODS);
	for (int k = HK_PLAYER; k <= HK_ROOM; k++) {
		if (!((1u << k) & kinds))
			continue;
		lua_rawgeti(L, -1, k);
		luaL_setfuncs(L, fns, 0);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

void handle_forget(lua_State *L, ref_t ref)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, HANDLE_VARS) == LUA_TTABLE) {
		lua_pushnil(L);
		lua_rawseti(L, -2, (lua_Integer)ref);
	}
	lua_pop(L, 1);
}
