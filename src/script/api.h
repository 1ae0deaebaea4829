/*
 * api.h: what api.c (the helpers, the globals and api_register()) and
 * api_methods.c (the methods of character, room and item handles) share.
 * Private to those two files; the rest of src/script/ sees api.c through
 * internal.h.
 *
 * Every helper that takes an index checks the argument there and raises a
 * Lua error if it is wrong, so call them all before touching the world.
 */
#ifndef RUIN_SCRIPT_API_H
#define RUIN_SCRIPT_API_H

#include <lauxlib.h>
#include <lua.h>

#include "script/internal.h"

/* Longest text one call may send or say. */
#define API_TEXT_MAX 8192
/* Largest amount of damage, healing, gold or experience in one call. */
#define API_AMOUNT_MAX 1000000000L

/* ---- api.c -------------------------------------------------------------------- */

struct world *api_world(lua_State *L);
/* A string argument of at most API_TEXT_MAX bytes. */
const char *api_text(lua_State *L, int idx);
/* The text at idx with a line ending, as a string pushed on the stack. */
const char *api_line(lua_State *L, int idx);
/* A whole number (a fraction is rounded down) in [min, max]. */
long api_amount(lua_State *L, int idx, long min, long max);
/* The direction at idx ("north", "n"); raises if it is not one. */
enum dir api_dir(lua_State *L, int idx);
/* The room at idx: a handle or an id. */
struct room *api_room_arg(lua_State *L, int idx);
/* The item prototype named at idx; raises if there is none. */
struct item_proto *api_item_proto(lua_State *L, int idx);
/*
 * Raises if the calling state's area is loading its files: call it first
 * in every function that changes the world or schedules a timer. Files
 * only declare; whatever they did to the running world would stay even
 * when their version is refused, and a timer would belong to no area.
 */
void api_acting(lua_State *L);
/* Players get their GMCP inventory and status again after a script changed them. */
void api_refresh(lua_State *L, const struct character *ch);

/* ---- api_methods.c ------------------------------------------------------------ */

/* Where an item goes: exactly one of the three is set. */
struct api_place {
	struct room *room;
	struct character *ch;
	struct item *container;
};

/*
 * Checks the value at idx as a place for item it (NULL: one not made yet):
 * a room (handle or id), a character or a container item that is not it or
 * inside it. Fills *to, or raises; nothing moves either way.
 */
void api_place_check(lua_State *L, int idx, const struct item *it, struct api_place *to);
/* Puts it into the place api_place_check() gave; never raises. */
void api_place_item(lua_State *L, struct item *it, const struct api_place *to);

/* The methods of each kind of handle, for api_register(). */
extern const luaL_Reg api_char_methods[];
extern const luaL_Reg api_mob_methods[];
extern const luaL_Reg api_player_methods[];
extern const luaL_Reg api_room_methods[];
extern const luaL_Reg api_item_methods[];

#endif
