/*
 * api.c: the game API scripts call (docs/building.md section 8): the
 * globals (send, find_room, spawn_mob, random, ...), the argument helpers
 * and the registration. The methods of character, room and item handles
 * are in api_methods.c; api.h is what the two share. Everything goes
 * through world.h.
 *
 * Start reading at api_register(), which puts the globals among the
 * builtins of a state and api_methods.c's method tables into handle.c's
 * tables. Each function checks all of its arguments before it touches the
 * world, since a Lua error longjmps (STYLE.md rule 13), and asks handle.c
 * for the objects, which raises once one is gone. Text a script sends is
 * capped at API_TEXT_MAX bytes (api.h).
 */
#include "script/api.h"

#include <math.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/banned.h"

/* log(): lines per area in a window of world clock. */
#define API_LOG_MAX	  20
#define API_LOG_WINDOW_MS 10000

/* ---- helpers ------------------------------------------------------------------ */

struct world *api_world(lua_State *L)
{
	return handle_scripts(L)->w;
}

/* A string argument of at most API_TEXT_MAX bytes. */
const char *api_text(lua_State *L, int idx)
{
	size_t n;
	const char *s = luaL_checklstring(L, idx, &n);

	if (n > API_TEXT_MAX)
		luaL_error(L, "text too long (%d bytes; at most %d)", (int)n, API_TEXT_MAX);
	return s;
}

/* The text at idx with a line ending, as a string pushed on the stack. */
const char *api_line(lua_State *L, int idx)
{
	size_t n;
	const char *s = api_text(L, idx);

	n = strlen(s);
	if (n && s[n - 1] == '\n')
		return lua_pushstring(L, s);
	return lua_pushfstring(L, "%s\n", s);
}

/* A whole number (a fraction is rounded down) in [min, max]. */
long api_amount(lua_State *L, int idx, long min, long max)
{
	lua_Number v = luaL_checknumber(L, idx);

	if (v != v || v < (lua_Number)min || v > (lua_Number)max)
		luaL_error(L, "bad argument #%d: %f is not between %ld and %ld", idx, (double)v,
			   min, max);
	return (long)floor(v);
}

const char *api_full_id(lua_State *L, const char *id)
{
	struct script_area *sa = handle_area(L);

	if (strchr(id, ':'))
		return lua_pushstring(L, id);
	return lua_pushfstring(L, "%s:%s", sa->id, id);
}

/* The direction at idx ("north", "n"); raises if it is not one. */
enum dir api_dir(lua_State *L, int idx)
{
	const char *s = luaL_checkstring(L, idx);
	int d = dir_parse(s);

	if (d < 0)
		luaL_error(L, "'%s' is not a direction (north, east, south, west, up, down)", s);
	return (enum dir)d;
}

/* The room at idx: a handle or an id. */
struct room *api_room_arg(lua_State *L, int idx)
{
	if (lua_type(L, idx) == LUA_TSTRING) {
		const char *full = api_full_id(L, lua_tostring(L, idx));
		struct room *r = world_find_room(api_world(L), full);
		if (!r)
			luaL_error(L, "there is no room '%s'", full);
		lua_pop(L, 1);
		return r;
	}
	return handle_room(L, idx);
}

struct item_proto *api_item_proto(lua_State *L, int idx)
{
	const char *full = api_full_id(L, luaL_checkstring(L, idx));
	struct item_proto *p = world_find_item_proto(api_world(L), full);

	if (!p)
		luaL_error(L, "there is no item '%s'", full);
	lua_pop(L, 1);
	return p;
}

static struct mob_proto *api_mob_proto(lua_State *L, int idx)
{
	const char *full = api_full_id(L, luaL_checkstring(L, idx));
	struct mob_proto *p = world_find_mob_proto(api_world(L), full);

	if (!p)
		luaL_error(L, "there is no mob '%s'", full);
	lua_pop(L, 1);
	return p;
}

void api_acting(lua_State *L)
{
	lua_Debug ar;
	const char *name = "this";

	if (!handle_area(L)->loading)
		return;
	if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar) && ar.name)
		name = ar.name;
	luaL_error(L,
		   "%s() cannot be used while the area's files load: they only declare (act on "
		   "the world from a trigger, such as a room's on_reset or a mob's on_spawn)",
		   name);
}

/* Players get their GMCP inventory and status again after a script changed them. */
void api_refresh(lua_State *L, const struct character *ch)
{
	if (ch && ch->pc && !ch->extracted)
		world_send_state(api_world(L), ch);
}

/* ---- globals ---------------------------------------------------------------------- */

static int api_send(lua_State *L)
{
	api_acting(L);
	struct character *ch = handle_char(L, 1);
	const char *line = api_line(L, 2);

	world_send(api_world(L), ch, line);
	return 0;
}

static int api_echo(lua_State *L)
{
	api_acting(L);
	struct room *r = api_room_arg(L, 1);
	const char *line = api_line(L, 2);

	world_echo(api_world(L), r, NULL, line);
	return 0;
}

static int api_find_player(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);

	handle_push_char(L, world_find_player(api_world(L), name));
	return 1;
}

static int api_find_room(lua_State *L)
{
	const char *full = api_full_id(L, luaL_checkstring(L, 1));

	handle_push_room(L, world_find_room(api_world(L), full));
	return 1;
}

static int api_spawn_mob(lua_State *L)
{
	api_acting(L);
	struct mob_proto *p = api_mob_proto(L, 1);
	struct room *r = api_room_arg(L, 2);

	handle_push_char(L, world_mob_spawn(api_world(L), p, r));
	return 1;
}

static int api_spawn_item(lua_State *L)
{
	api_acting(L);
	struct item_proto *p = api_item_proto(L, 1);
	struct api_place to;

	luaL_checkany(L, 2);
	if (lua_type(L, 2) != LUA_TSTRING && !handle_is(L, 2, NULL))
		return luaL_error(L, "spawn_item: where? a room, a character or a container");
	api_place_check(L, 2, NULL, &to); /* raises before anything is made */
	struct item *it = world_item_create(api_world(L), p);
	if (!it) {
		lua_pushnil(L);
		return 1;
	}
	api_place_item(L, it, &to);
	handle_push_item(L, it);
	return 1;
}

/* A timer outlives the files that made it: one made while they load would belong to no area. */
static int api_after(lua_State *L)
{
	api_acting(L);
	return task_after(L);
}

static int api_every(lua_State *L)
{
	api_acting(L);
	return task_every(L);
}

static int api_proto(lua_State *L)
{
	const char *id = luaL_checkstring(L, 1);
	const char *kind = luaL_optstring(L, 2, NULL); /* before api_full_id() pushes */
	const char *full = api_full_id(L, id);
	struct world *w = api_world(L);
	const struct item_proto *ip = NULL;
	const struct mob_proto *mp = NULL;

	if (kind && strcmp(kind, "item") != 0 && strcmp(kind, "mob") != 0)
		return luaL_error(L, "proto: the kind is \"item\" or \"mob\", not '%s'", kind);
	if (!kind || strcmp(kind, "item") == 0)
		ip = world_find_item_proto(w, full);
	if (!ip && (!kind || strcmp(kind, "mob") == 0))
		mp = world_find_mob_proto(w, full);
	if (!ip && !mp) {
		lua_pushnil(L);
		return 1;
	}
	lua_createtable(L, 0, 8);
	lua_pushstring(L, full);
	lua_setfield(L, -2, "id");
	lua_pushstring(L, ip ? "item" : "mob");
	lua_setfield(L, -2, "kind");
	lua_pushstring(L, ip ? ip->short_desc : mp->short_desc);
	lua_setfield(L, -2, "name");
	lua_pushstring(L, ip ? ip->keywords : mp->keywords);
	lua_setfield(L, -2, "keywords");
	lua_pushinteger(L, ip ? ip->level : mp->level);
	lua_setfield(L, -2, "level");
	if (ip) {
		lua_pushstring(L, item_type_name(ip->type));
		lua_setfield(L, -2, "type");
		lua_pushinteger(L, ip->value);
		lua_setfield(L, -2, "value");
		lua_pushinteger(L, ip->weight);
		lua_setfield(L, -2, "weight");
	}
	return 1;
}

uint64_t api_random_u64(struct scripts *s)
{
	/* xorshift64*: plenty for dice, and reproducible from a seed in tests. */
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 2685821657736338717ULL;
}

static int api_random(lua_State *L)
{
	lua_Integer a = luaL_checkinteger(L, 1), b = luaL_checkinteger(L, 2);

	if (a > b)
		return luaL_error(L, "random(%I, %I): the first is larger than the second", a, b);
	uint64_t span = (uint64_t)b - (uint64_t)a + 1;
	uint64_t r = api_random_u64(handle_scripts(L));
	lua_pushinteger(L, span ? (lua_Integer)((uint64_t)a + r % span) : (lua_Integer)r);
	return 1;
}

static int api_chance(lua_State *L)
{
	lua_Number pct = luaL_checknumber(L, 1);

	lua_pushboolean(L, (lua_Number)(api_random_u64(handle_scripts(L)) % 10000) < pct * 100);
	return 1;
}

static int api_pick(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer n = (lua_Integer)lua_rawlen(L, 1);

	if (n == 0) {
		lua_pushnil(L);
		return 1;
	}
	lua_rawgeti(L, 1, 1 + (lua_Integer)(api_random_u64(handle_scripts(L)) % (uint64_t)n));
	return 1;
}

static int api_time_of_day(lua_State *L)
{
	lua_pushstring(L, world_time_period(api_world(L)));
	return 1;
}

static int api_hour(lua_State *L)
{
	lua_pushinteger(L, world_hour(api_world(L)));
	return 1;
}

static int api_now(lua_State *L)
{
	lua_pushnumber(L, (lua_Number)world_now_ms(api_world(L)) / 1000.0);
	return 1;
}

static int api_log(lua_State *L)
{
	const char *text = api_text(L, 1);
	struct script_area *sa = handle_area(L);
	struct scripts *s = handle_scripts(L);
	int64_t now = world_now_ms(s->w);

	/* At most API_LOG_MAX lines per area per API_LOG_WINDOW_MS, then one word of it. */
	if (now - sa->log_window_ms >= API_LOG_WINDOW_MS) {
		sa->log_window_ms = now;
		sa->log_count = 0;
	}
	if (++sa->log_count > API_LOG_MAX) {
		if (sa->log_count == API_LOG_MAX + 1)
			report_builders(s, "%s: log() is saying too much; quiet for a few seconds",
					sa->id);
		return 0;
	}
	report_builders(s, "%s: %s", sa->id, text);
	return 0;
}

/* ---- registration --------------------------------------------------------------------- */

static const luaL_Reg api_globals[] = {
	{"send", api_send},
	{"echo", api_echo},
	{"find_player", api_find_player},
	{"find_room", api_find_room},
	{"spawn_mob", api_spawn_mob},
	{"spawn_item", api_spawn_item},
	{"proto", api_proto},
	{"random", api_random},
	{"chance", api_chance},
	{"pick", api_pick},
	{"wait", task_wait},
	{"after", api_after},
	{"every", api_every},
	{"time_of_day", api_time_of_day},
	{"hour", api_hour},
	{"now", api_now},
	{"log", api_log},
	{NULL, NULL},
};

void api_register(lua_State *L)
{
	handle_setup(L);
	task_setup(L);
	handle_methods(L, HKM_CHAR, api_char_methods);
	handle_methods(L, HKM_MOB, api_mob_methods);
	handle_methods(L, HKM_PLAYER, api_player_methods);
	handle_methods(L, HKM_ROOM, api_room_methods);
	handle_methods(L, HKM_ITEM, api_item_methods);
	sandbox_push_builtins(L);
	luaL_setfuncs(L, api_globals, 0);
	lua_pop(L, 1);
}
