/*
 * api.c: the game API scripts call (docs/building.md section 8): the
 * methods of character, room and item handles and the globals (send,
 * find_room, spawn_mob, random, ...). Everything goes through world.h.
 *
 * Start reading at api_register(), which puts the globals among the
 * builtins of a state and the methods into handle.c's tables. Each
 * function checks all of its arguments before it touches the world, since
 * a Lua error longjmps (STYLE.md rule 13), and asks handle.c for the
 * objects, which raises once one is gone. Text a script sends is capped at
 * API_TEXT_MAX bytes.
 */
#include "script/internal.h"

#include <math.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/banned.h"

/* Longest text one call may send or say. */
#define API_TEXT_MAX 8192
/* log(): lines per area in a window of world clock. */
#define API_LOG_MAX	  20
#define API_LOG_WINDOW_MS 10000
/* Largest amount of damage, healing, gold or experience in one call. */
#define API_AMOUNT_MAX 1000000000L

/* ---- helpers ------------------------------------------------------------------ */

static struct world *api_world(lua_State *L)
{
	return handle_scripts(L)->w;
}

/* A string argument of at most API_TEXT_MAX bytes. */
static const char *api_text(lua_State *L, int idx)
{
	size_t n;
	const char *s = luaL_checklstring(L, idx, &n);

	if (n > API_TEXT_MAX)
		luaL_error(L, "text too long (%d bytes; at most %d)", (int)n, API_TEXT_MAX);
	return s;
}

/* The text at idx with a line ending, as a string pushed on the stack. */
static const char *api_line(lua_State *L, int idx)
{
	size_t n;
	const char *s = api_text(L, idx);

	n = strlen(s);
	if (n && s[n - 1] == '\n')
		return lua_pushstring(L, s);
	return lua_pushfstring(L, "%s\n", s);
}

/* A whole number (a fraction is rounded down) in [min, max]. */
static long api_amount(lua_State *L, int idx, long min, long max)
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
static enum dir api_dir(lua_State *L, int idx)
{
	const char *s = luaL_checkstring(L, idx);
	int d = dir_parse(s);

	if (d < 0)
		luaL_error(L, "'%s' is not a direction (north, east, south, west, up, down)", s);
	return (enum dir)d;
}

/* The room at idx: a handle or an id. */
static struct room *api_room_arg(lua_State *L, int idx)
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

static struct item_proto *api_item_proto(lua_State *L, int idx)
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

/* Players get their GMCP inventory and status again after a script changed them. */
static void api_refresh(lua_State *L, const struct character *ch)
{
	if (ch && ch->pc && !ch->extracted)
		world_send_state(api_world(L), ch);
}

/* ---- characters ---------------------------------------------------------------- */

static int api_ch_send(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	const char *line = api_line(L, 2);

	world_send(api_world(L), ch, line);
	return 0;
}

static int api_ch_say(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	const char *text = api_text(L, 2);

	world_say(api_world(L), ch, text);
	return 0;
}

static int api_ch_emote(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	const char *text = api_text(L, 2);

	world_emote(api_world(L), ch, text);
	return 0;
}

static int api_ch_command(lua_State *L)
{
	struct character *ch = handle_check(L, 1, HKM_MOB, "a mob");
	const char *line = api_text(L, 2);

	world_command(api_world(L), ch, line);
	return 0;
}

static int api_ch_move(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	enum dir d = api_dir(L, 2);

	lua_pushboolean(L, world_char_move(api_world(L), ch, d) == 0);
	return 1;
}

static int api_ch_teleport(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	struct room *r = api_room_arg(L, 2);

	world_char_teleport(api_world(L), ch, r);
	return 0;
}

static int api_ch_damage(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	long n = api_amount(L, 2, 0, API_AMOUNT_MAX);
	struct character *by = lua_isnoneornil(L, 3) ? NULL : handle_char(L, 3);

	lua_pushinteger(L, world_damage(api_world(L), ch, (int)n, by));
	return 1;
}

static int api_ch_heal(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	long n = api_amount(L, 2, 0, API_AMOUNT_MAX);

	world_heal(api_world(L), ch, (int)n);
	return 0;
}

static int api_ch_attack(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	struct character *victim = handle_char(L, 2);

	if (ch == victim)
		return luaL_error(L, "a character cannot attack itself");
	lua_pushboolean(L, world_attack(api_world(L), ch, victim) == 0);
	return 1;
}

/* Is `inner` the same as, or somewhere inside, item `outer`? */
static bool api_item_within(const struct item *inner, const struct item *outer)
{
	for (const struct item *it = inner; it; it = it->in_item)
		if (it == outer)
			return true;
	return false;
}

static int api_ch_give(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	struct item *it;

	if (lua_type(L, 2) == LUA_TSTRING) {
		struct item_proto *p = api_item_proto(L, 2);
		it = world_item_create(api_world(L), p);
		if (!it) {
			lua_pushnil(L);
			return 1;
		}
	} else {
		it = handle_item(L, 2);
		if (it->worn_on >= 0 && it->carried_by)
			item_unequip(it->carried_by, it);
	}
	struct character *from = it->carried_by;
	item_to_char(it, ch);
	api_refresh(L, from);
	api_refresh(L, ch);
	handle_push_item(L, it);
	return 1;
}

/* The first instance of proto in list (and the containers in it), or NULL. */
static struct item *api_find_in(const struct dlist *list, const struct item_proto *proto)
{
	DLIST_FOREACH(list, l)
	{
		struct item *it = dlist_entry(l, struct item, link);
		if (it->extracted)
			continue;
		if (it->proto == proto)
			return it;
		struct item *inner = api_find_in(&it->contents, proto);
		if (inner)
			return inner;
	}
	return NULL;
}

/* The first instance of proto ch carries or wears (containers included), or NULL. */
static struct item *api_find_held(const struct character *ch, const struct item_proto *proto)
{
	struct item *it = api_find_in(&ch->inventory, proto);

	for (int s = 0; !it && s < WEAR_COUNT; s++) {
		struct item *e = ch->equip[s];
		if (!e || e->extracted)
			continue;
		it = e->proto == proto ? e : api_find_in(&e->contents, proto);
	}
	return it;
}

/* The prototype named at idx, or NULL (nobody can hold an item that does not exist). */
static struct item_proto *api_item_proto_opt(lua_State *L, int idx)
{
	const char *full = api_full_id(L, luaL_checkstring(L, idx));
	struct item_proto *p = world_find_item_proto(api_world(L), full);

	lua_pop(L, 1);
	return p;
}

static int api_ch_has(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	struct item_proto *p = api_item_proto_opt(L, 2);

	handle_push_item(L, p ? api_find_held(ch, p) : NULL);
	return 1;
}

static int api_ch_take(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	struct item_proto *p = api_item_proto_opt(L, 2);
	struct item *it = p ? api_find_held(ch, p) : NULL;

	if (it) {
		if (it->worn_on >= 0 && it->carried_by)
			item_unequip(it->carried_by, it);
		world_extract_item(api_world(L), it);
		api_refresh(L, ch);
	}
	lua_pushboolean(L, it != NULL);
	return 1;
}

/* Pushes a list of the live items of list. */
static void api_push_items(lua_State *L, const struct dlist *list)
{
	int n = 0;

	lua_createtable(L, (int)list->count, 0);
	DLIST_FOREACH(list, l)
	{
		struct item *it = dlist_entry(l, struct item, link);
		if (it->extracted)
			continue;
		handle_push_item(L, it);
		lua_rawseti(L, -2, ++n);
	}
}

static int api_ch_inventory(lua_State *L)
{
	struct character *ch = handle_char(L, 1);

	api_push_items(L, &ch->inventory);
	return 1;
}

static int api_ch_add_gold(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	long n = api_amount(L, 2, -API_AMOUNT_MAX, API_AMOUNT_MAX);
	long gold = (long)ch->gold + n;

	ch->gold = gold < 0 ? 0 : gold > API_AMOUNT_MAX ? (int)API_AMOUNT_MAX : (int)gold;
	if (ch->pc)
		ch->pc->dirty = true;
	api_refresh(L, ch);
	return 0;
}

static int api_ch_add_exp(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	long n = api_amount(L, 2, -API_AMOUNT_MAX, API_AMOUNT_MAX);

	world_gain_exp(api_world(L), ch, (int64_t)n);
	return 0;
}

/* mob:memory(): a clear word instead of "a mob has no field 'memory'". */
static int api_mob_memory(lua_State *L)
{
	handle_check(L, 1, HKM_MOB, "a mob");
	return luaL_error(L, "memory() is for players: check ch.is_player first (a mob has none)");
}

static int api_ch_destroy(lua_State *L)
{
	struct character *ch = handle_check(L, 1, HKM_MOB, "a mob (players cannot be destroyed)");

	world_extract_char(api_world(L), ch);
	return 0;
}

/* ---- rooms ---------------------------------------------------------------------- */

/* Pushes the live players (or mobs) of room. */
static int api_room_people(lua_State *L, bool players)
{
	struct room *r = handle_room(L, 1);
	int n = 0;

	lua_createtable(L, (int)r->people.count, 0);
	DLIST_FOREACH(&r->people, l)
	{
		struct character *ch = dlist_entry(l, struct character, room_link);
		if (ch->extracted || (ch->pc != NULL) != players)
			continue;
		handle_push_char(L, ch);
		lua_rawseti(L, -2, ++n);
	}
	return 1;
}

static int api_room_players(lua_State *L)
{
	return api_room_people(L, true);
}

static int api_room_mobs(lua_State *L)
{
	return api_room_people(L, false);
}

static int api_room_items(lua_State *L)
{
	struct room *r = handle_room(L, 1);

	api_push_items(L, &r->items);
	return 1;
}

static int api_room_echo(lua_State *L)
{
	struct room *r = handle_room(L, 1);
	const char *line = api_line(L, 2);

	world_echo(api_world(L), r, NULL, line);
	return 0;
}

static int api_room_exit(lua_State *L)
{
	struct room *r = handle_room(L, 1);
	enum dir d = api_dir(L, 2);

	handle_push_room(L, r->exits[d] ? r->exits[d]->to : NULL);
	return 1;
}

static int api_room_door(lua_State *L)
{
	struct room *r = handle_room(L, 1);
	enum dir d = api_dir(L, 2);
	const struct exit *e = r->exits[d];

	if (!e || !(e->flags & EXIT_DOOR))
		lua_pushnil(L);
	else if (e->flags & EXIT_LOCKED)
		lua_pushliteral(L, "locked");
	else if (e->flags & EXIT_CLOSED)
		lua_pushliteral(L, "closed");
	else
		lua_pushliteral(L, "open");
	return 1;
}

/* Sets and clears door flags on exit d of the room and on the way back. */
static int api_room_door_set(lua_State *L, unsigned set, unsigned clear)
{
	struct room *r = handle_room(L, 1);
	enum dir d = api_dir(L, 2);
	struct exit *e = r->exits[d];

	if (!e || !(e->flags & EXIT_DOOR)) {
		lua_pushboolean(L, 0);
		return 1;
	}
	e->flags = (e->flags & ~clear) | set;
	struct exit *back = e->to ? e->to->exits[dir_reverse(d)] : NULL;
	if (back && back->to == r && (back->flags & EXIT_DOOR))
		back->flags = (back->flags & ~clear) | set;
	lua_pushboolean(L, 1);
	return 1;
}

static int api_room_open(lua_State *L)
{
	return api_room_door_set(L, 0, EXIT_CLOSED | EXIT_LOCKED);
}

static int api_room_close(lua_State *L)
{
	return api_room_door_set(L, EXIT_CLOSED, 0);
}

static int api_room_lock(lua_State *L)
{
	return api_room_door_set(L, EXIT_CLOSED | EXIT_LOCKED, 0);
}

static int api_room_unlock(lua_State *L)
{
	return api_room_door_set(L, 0, EXIT_LOCKED);
}

/* ---- items ------------------------------------------------------------------------ */

static int api_item_destroy(lua_State *L)
{
	struct item *it = handle_item(L, 1);
	struct character *holder = it->carried_by;

	if (it->worn_on >= 0 && holder)
		item_unequip(holder, it);
	world_extract_item(api_world(L), it);
	api_refresh(L, holder);
	return 0;
}

/* Puts it into place (the value at idx): a room, a character or a container item. */
static void api_place_item(lua_State *L, struct item *it, int idx)
{
	enum hkind kind;

	if (lua_type(L, idx) == LUA_TSTRING) {
		item_to_room(it, api_room_arg(L, idx));
		return;
	}
	if (!handle_is(L, idx, &kind))
		luaL_error(L, "expected a room, a character or a container, got a %s",
			   luaL_typename(L, idx));
	if (kind == HK_ROOM) {
		item_to_room(it, handle_room(L, idx));
	} else if (kind == HK_ITEM) {
		struct item *c = handle_item(L, idx);
		if (c->proto->type != ITEM_CONTAINER)
			luaL_error(L, "%s is not a container", c->proto->id);
		if (api_item_within(c, it))
			luaL_error(L, "an item cannot go inside itself");
		item_to_item(it, c);
	} else {
		struct character *ch = handle_char(L, idx);
		item_to_char(it, ch);
		api_refresh(L, ch);
	}
}

static int api_item_move_to(lua_State *L)
{
	struct item *it = handle_item(L, 1);
	struct character *holder = it->carried_by;

	luaL_checkany(L, 2);
	if (it->worn_on >= 0 && holder)
		item_unequip(holder, it);
	api_place_item(L, it, 2);
	if (holder != it->carried_by)
		api_refresh(L, holder);
	return 0;
}

/* ---- globals ---------------------------------------------------------------------- */

static int api_send(lua_State *L)
{
	struct character *ch = handle_char(L, 1);
	const char *line = api_line(L, 2);

	world_send(api_world(L), ch, line);
	return 0;
}

static int api_echo(lua_State *L)
{
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
	struct mob_proto *p = api_mob_proto(L, 1);
	struct room *r = api_room_arg(L, 2);

	handle_push_char(L, world_mob_spawn(api_world(L), p, r));
	return 1;
}

static int api_spawn_item(lua_State *L)
{
	struct item_proto *p = api_item_proto(L, 1);

	luaL_checkany(L, 2);
	if (lua_type(L, 2) != LUA_TSTRING && !handle_is(L, 2, NULL))
		return luaL_error(L, "spawn_item: where? a room, a character or a container");
	if (lua_type(L, 2) == LUA_TSTRING)
		api_room_arg(L, 2); /* raises before anything is made */
	else
		handle_check(L, 2, HKM_ANY, "a room, a character or a container");
	struct item *it = world_item_create(api_world(L), p);
	if (!it) {
		lua_pushnil(L);
		return 1;
	}
	api_place_item(L, it, 2);
	handle_push_item(L, it);
	return 1;
}

static int api_proto(lua_State *L)
{
	const char *full = api_full_id(L, luaL_checkstring(L, 1));
	const char *kind = luaL_optstring(L, 2, NULL);
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

static const luaL_Reg api_char_methods[] = {
	{"send", api_ch_send},
	{"say", api_ch_say},
	{"emote", api_ch_emote},
	{"move", api_ch_move},
	{"teleport", api_ch_teleport},
	{"damage", api_ch_damage},
	{"heal", api_ch_heal},
	{"attack", api_ch_attack},
	{"give", api_ch_give},
	{"has", api_ch_has},
	{"take", api_ch_take},
	{"inventory", api_ch_inventory},
	{"add_gold", api_ch_add_gold},
	{"add_exp", api_ch_add_exp},
	{NULL, NULL},
};

static const luaL_Reg api_mob_methods[] = {
	{"command", api_ch_command},
	{"destroy", api_ch_destroy},
	{"memory", api_mob_memory},
	{NULL, NULL},
};

static const luaL_Reg api_player_methods[] = {
	{"memory", persist_memory},
	{NULL, NULL},
};

static const luaL_Reg api_room_methods[] = {
	{"players", api_room_players},
	{"mobs", api_room_mobs},
	{"items", api_room_items},
	{"echo", api_room_echo},
	{"exit", api_room_exit},
	{"door", api_room_door},
	{"open", api_room_open},
	{"close", api_room_close},
	{"lock", api_room_lock},
	{"unlock", api_room_unlock},
	{NULL, NULL},
};

static const luaL_Reg api_item_methods[] = {
	{"destroy", api_item_destroy},
	{"move_to", api_item_move_to},
	{NULL, NULL},
};

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
	{"after", task_after},
	{"every", task_every},
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
