/*
 * api_methods.c: the methods scripts call on character, mob, player, room
 * and item handles (ch:send(), room:exit(), item:move_to(), ...), and the
 * tables api_register() in api.c hands to handle.c. Split from api.c,
 * which keeps the argument helpers and the globals; api.h is what the two
 * share.
 *
 * Start reading at the method tables at the end, then the section of the
 * kind you care about. As in api.c, each method checks all of its
 * arguments before it touches the world, since a Lua error longjmps
 * (STYLE.md rule 13).
 */
#include "script/api.h"

#include <lauxlib.h>
#include <lua.h>

#include "base/list.h"
#include "base/banned.h"

/* ---- characters ---------------------------------------------------------------- */

static int api_ch_send(lua_State *L)
{
	api_acting(L);
	struct character *ch = handle_char(L, 1);
	const char *line = api_line(L, 2);

	world_send(api_world(L), ch, line);
	return 0;
}

static int api_ch_say(lua_State *L)
{
	api_acting(L);
	struct character *ch = handle_char(L, 1);
	const char *text = api_text(L, 2);

	world_say(api_world(L), ch, text);
	return 0;
}

static int api_ch_emote(lua_State *L)
{
	api_acting(L);
	struct character *ch = handle_char(L, 1);
	const char *text = api_text(L, 2);

	world_emote(api_world(L), ch, text);
	return 0;
}

static int api_ch_command(lua_State *L)
{
	api_acting(L);
	struct character *ch = handle_check(L, 1, HKM_MOB, "a mob");
	const char *line = api_text(L, 2);

	world_command(api_world(L), ch, line);
	return 0;
}

static int api_ch_move(lua_State *L)
{
	api_acting(L);
	struct character *ch = handle_char(L, 1);
	enum dir d = api_dir(L, 2);

	lua_pushboolean(L, world_char_move(api_world(L), ch, d) == 0);
	return 1;
}

static int api_ch_teleport(lua_State *L)
{
	api_acting(L);
	struct character *ch = handle_char(L, 1);
	struct room *r = api_room_arg(L, 2);

	world_char_teleport(api_world(L), ch, r);
	return 0;
}

static int api_ch_damage(lua_State *L)
{
	api_acting(L);
	struct character *ch = handle_char(L, 1);
	long n = api_amount(L, 2, 0, API_AMOUNT_MAX);
	struct character *by = lua_isnoneornil(L, 3) ? NULL : handle_char(L, 3);

	lua_pushinteger(L, world_damage(api_world(L), ch, (int)n, by));
	return 1;
}

static int api_ch_heal(lua_State *L)
{
	api_acting(L);
	struct character *ch = handle_char(L, 1);
	long n = api_amount(L, 2, 0, API_AMOUNT_MAX);

	world_heal(api_world(L), ch, (int)n);
	return 0;
}

static int api_ch_attack(lua_State *L)
{
	api_acting(L);
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
	api_acting(L);
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
	api_acting(L);
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
	api_acting(L);
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
	api_acting(L);
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
	api_acting(L);
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
	api_acting(L);
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
	api_acting(L);
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
	api_acting(L);
	struct item *it = handle_item(L, 1);
	struct character *holder = it->carried_by;

	if (it->worn_on >= 0 && holder)
		item_unequip(holder, it);
	world_extract_item(api_world(L), it);
	api_refresh(L, holder);
	return 0;
}

void api_place_check(lua_State *L, int idx, const struct item *it, struct api_place *to)
{
	enum hkind kind;

	*to = (struct api_place){0};
	if (lua_type(L, idx) == LUA_TSTRING) {
		to->room = api_room_arg(L, idx);
		return;
	}
	if (!handle_is(L, idx, &kind))
		luaL_error(L, "expected a room, a character or a container, got a %s",
			   luaL_typename(L, idx));
	if (kind == HK_ROOM) {
		to->room = handle_room(L, idx);
	} else if (kind == HK_ITEM) {
		struct item *c = handle_item(L, idx);
		if (c->proto->type != ITEM_CONTAINER)
			luaL_error(L, "%s is not a container", c->proto->id);
		if (it && api_item_within(c, it))
			luaL_error(L, "an item cannot go inside itself");
		to->container = c;
	} else {
		to->ch = handle_char(L, idx);
	}
}

void api_place_item(lua_State *L, struct item *it, const struct api_place *to)
{
	if (to->room) {
		item_to_room(it, to->room);
	} else if (to->container) {
		item_to_item(it, to->container);
	} else {
		item_to_char(it, to->ch);
		api_refresh(L, to->ch);
	}
}

static int api_item_move_to(lua_State *L)
{
	api_acting(L);
	struct item *it = handle_item(L, 1);
	struct character *holder = it->carried_by;
	struct api_place to;

	luaL_checkany(L, 2);
	api_place_check(L, 2, it, &to);
	if (it->worn_on >= 0 && holder)
		item_unequip(holder, it);
	api_place_item(L, it, &to);
	if (holder != it->carried_by)
		api_refresh(L, holder);
	return 0;
}

/* ---- method tables ------------------------------------------------------------------ */

const luaL_Reg api_char_methods[] = {
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

const luaL_Reg api_mob_methods[] = {
	{"command", api_ch_command},
	{"destroy", api_ch_destroy},
	{"memory", api_mob_memory},
	{NULL, NULL},
};

const luaL_Reg api_player_methods[] = {
	{"memory", persist_memory},
	{NULL, NULL},
};

const luaL_Reg api_room_methods[] = {
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

const luaL_Reg api_item_methods[] = {
	{"destroy", api_item_destroy},
	{"move_to", api_item_move_to},
	{NULL, NULL},
};
