/*
 * tablib.c: table.insert, remove, move, sort, concat and unpack for the
 * sandbox, with metered loops.
 *
 * Lua's own versions loop in C over a range the script controls (a __len
 * that answers 2^40, table.move(t, 1, 1e15, 2)) without ever running an
 * instruction, so no hook can stop them; and each element read may follow
 * an __index chain up to 2000 tables long, without allocating, so neither
 * does the memory a loop allocates bound its time (table.concat(t, "", 1,
 * 60000) over such a chain of empty strings runs for a second). These charge
 * every element they touch to the running entry through vm_charge(), which
 * also checks the clock. table.sort is a heapsort here: O(n log n)
 * comparisons whatever the input or the order function, each one charged.
 * concat and unpack behave like Lua 5.4's otherwise (metamethods included).
 * table.pack stays Lua's: its arguments were all pushed by instructions.
 *
 * Start reading at tablib_register().
 */
#include "script/internal.h"

#include <limits.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/banned.h"

/* Elements between two charges. */
#define TABLIB_FLUSH 256

struct tablib_meter {
	lua_State *L;
	long pending;
};

static void tablib_tick(struct tablib_meter *mt)
{
	if (++mt->pending >= TABLIB_FLUSH) {
		vm_charge(mt->L, mt->pending);
		mt->pending = 0;
	}
}

static void tablib_done(struct tablib_meter *mt)
{
	vm_charge(mt->L, mt->pending);
	mt->pending = 0;
}

/* table.insert(t, [pos,] value) */
static int tablib_insert(lua_State *L)
{
	struct tablib_meter mt = {L, 0};

	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer end = luaL_len(L, 1) + 1; /* the first free slot */
	lua_Integer pos;
	switch (lua_gettop(L)) {
	case 2:
		pos = end;
		break;
	case 3:
		pos = luaL_checkinteger(L, 2);
		luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)end, 2,
			      "position out of bounds");
		for (lua_Integer i = end; i > pos; i--) {
			tablib_tick(&mt);
			lua_geti(L, 1, i - 1);
			lua_seti(L, 1, i);
		}
		break;
	default:
		return luaL_error(L, "wrong number of arguments to 'insert'");
	}
	tablib_done(&mt);
	lua_seti(L, 1, pos);
	return 0;
}

/* table.remove(t [, pos]) */
static int tablib_remove(lua_State *L)
{
	struct tablib_meter mt = {L, 0};

	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer size = luaL_len(L, 1);
	lua_Integer pos = luaL_optinteger(L, 2, size);
	if (pos != size)
		luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 2,
			      "position out of bounds");
	lua_geti(L, 1, pos); /* the result */
	for (; pos < size; pos++) {
		tablib_tick(&mt);
		lua_geti(L, 1, pos + 1);
		lua_seti(L, 1, pos);
	}
	tablib_done(&mt);
	lua_pushnil(L);
	lua_seti(L, 1, pos);
	return 1;
}

/* table.move(a1, f, e, t [, a2]) */
static int tablib_move(lua_State *L)
{
	struct tablib_meter mt = {L, 0};
	lua_Integer f = luaL_checkinteger(L, 2);
	lua_Integer e = luaL_checkinteger(L, 3);
	lua_Integer t = luaL_checkinteger(L, 4);
	int dst = lua_isnoneornil(L, 5) ? 1 : 5;

	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checktype(L, dst, LUA_TTABLE);
	if (e >= f) {
		luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
		lua_Integer n = e - f + 1;
		luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
		bool forward = t > e || t <= f || (dst != 1 && !lua_compare(L, 1, dst, LUA_OPEQ));
		for (lua_Integer i = 0; i < n; i++) {
			lua_Integer k = forward ? i : n - 1 - i;
			tablib_tick(&mt);
			lua_geti(L, 1, f + k);
			lua_seti(L, dst, t + k);
		}
		tablib_done(&mt);
	}
	lua_pushvalue(L, dst);
	return 1;
}

/* Is t[a] < t[b], by the order function at index 2 or by '<'? */
static bool tablib_less(lua_State *L, struct tablib_meter *mt, lua_Integer a, lua_Integer b)
{
	bool res;

	tablib_tick(mt);
	if (lua_isnil(L, 2)) {
		lua_geti(L, 1, a);
		lua_geti(L, 1, b);
		res = lua_compare(L, -2, -1, LUA_OPLT);
		lua_pop(L, 2);
	} else {
		lua_pushvalue(L, 2);
		lua_geti(L, 1, a);
		lua_geti(L, 1, b);
		lua_call(L, 2, 1);
		res = lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	return res;
}

static void tablib_swap(lua_State *L, lua_Integer a, lua_Integer b)
{
	lua_geti(L, 1, a);
	lua_geti(L, 1, b);
	lua_seti(L, 1, a);
	lua_seti(L, 1, b);
}

/* Restores the heap order of t[1..end] below root. */
static void tablib_sift(lua_State *L, struct tablib_meter *mt, lua_Integer root, lua_Integer end)
{
	while (root * 2 <= end) {
		lua_Integer child = root * 2;
		if (child < end && tablib_less(L, mt, child, child + 1))
			child++;
		if (!tablib_less(L, mt, root, child))
			return;
		tablib_swap(L, root, child);
		root = child;
	}
}

/* table.sort(t [, comp]) */
static int tablib_sort(lua_State *L)
{
	struct tablib_meter mt = {L, 0};

	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer n = luaL_len(L, 1);
	luaL_argcheck(L, n < INT_MAX, 1, "array too big");
	if (!lua_isnoneornil(L, 2))
		luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	for (lua_Integer i = n / 2; i >= 1; i--)
		tablib_sift(L, &mt, i, n);
	for (lua_Integer end = n; end > 1; end--) {
		tablib_swap(L, 1, end);
		tablib_sift(L, &mt, 1, end - 1);
	}
	tablib_done(&mt);
	return 0;
}

/* Lua's checktab() for reading: a table, or a value with __index and __len. */
static void tablib_check_readable(lua_State *L, int arg)
{
	if (lua_type(L, arg) == LUA_TTABLE)
		return;
	if (lua_getmetatable(L, arg)) {
		lua_pushliteral(L, "__index");
		bool has_index = lua_rawget(L, -2) != LUA_TNIL;
		lua_pushliteral(L, "__len");
		bool has_len = lua_rawget(L, -3) != LUA_TNIL;
		lua_pop(L, 3);
		if (has_index && has_len)
			return;
	}
	luaL_checktype(L, arg, LUA_TTABLE);
}

/* Appends t[i] to the buffer, which must be a string or a number. */
static void tablib_addfield(lua_State *L, luaL_Buffer *b, lua_Integer i)
{
	lua_geti(L, 1, i);
	if (!lua_isstring(L, -1))
		luaL_error(L, "invalid value (at index %I) in table for 'concat'", i);
	luaL_addvalue(b);
}

/* table.concat(t [, sep [, i [, j]]]) */
static int tablib_concat(lua_State *L)
{
	struct tablib_meter mt = {L, 0};
	luaL_Buffer b;
	size_t lsep;

	tablib_check_readable(L, 1);
	lua_Integer last = luaL_len(L, 1);
	const char *sep = luaL_optlstring(L, 2, "", &lsep);
	lua_Integer i = luaL_optinteger(L, 3, 1);
	last = luaL_optinteger(L, 4, last);
	luaL_buffinit(L, &b);
	for (; i < last; i++) {
		tablib_tick(&mt);
		tablib_addfield(L, &b, i);
		luaL_addlstring(&b, sep, lsep);
	}
	if (i == last) {
		tablib_tick(&mt);
		tablib_addfield(L, &b, i);
	}
	tablib_done(&mt);
	luaL_pushresult(&b);
	return 1;
}

/* table.unpack(t [, i [, j]]) */
static int tablib_unpack(lua_State *L)
{
	struct tablib_meter mt = {L, 0};
	lua_Integer i = luaL_optinteger(L, 2, 1);
	lua_Integer e = luaL_opt(L, luaL_checkinteger, 3, luaL_len(L, 1));

	if (i > e)
		return 0;
	lua_Unsigned n = (lua_Unsigned)e - (lua_Unsigned)i; /* elements minus 1 */
	if (n >= (unsigned int)INT_MAX || !lua_checkstack(L, (int)(++n)))
		return luaL_error(L, "too many results to unpack");
	for (; i < e; i++) {
		tablib_tick(&mt);
		lua_geti(L, 1, i);
	}
	tablib_tick(&mt);
	lua_geti(L, 1, e);
	tablib_done(&mt);
	return (int)n;
}

void tablib_register(lua_State *L, int idx)
{
	static const luaL_Reg fns[] = {
		{"insert", tablib_insert},
		{"remove", tablib_remove},
		{"move", tablib_move},
		{"sort", tablib_sort},
		{"concat", tablib_concat},
		{"unpack", tablib_unpack},
		{NULL, NULL},
	};

	idx = lua_absindex(L, idx);
	for (const luaL_Reg *f = fns; f->name; f++) {
		lua_pushcfunction(L, f->func);
		lua_setfield(L, idx, f->name);
	}
}
