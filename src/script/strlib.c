/*
 * strlib.c: string.rep, string.upper, string.lower, string.reverse and
 * string.byte for the sandbox, charged by the bytes they touch.
 *
 * Lua's own versions are one VM instruction each whatever the length, and
 * the vm charges only the memory they allocate (one instruction per 64
 * bytes). That undercounts their work badly: Lua's string.rep("x", n)
 * makes n one-byte memcpy() calls, so a timer looping on
 * string.rep("x", 1 << 20) ran about 100 ms before its 1,000,000
 * instructions ("about 10 ms") were used up, and thirty such timers held
 * the pulse far past its budget. These charge the work up front, before
 * doing it (a call the budget cannot pay for raises at once, having done
 * nothing), and string.rep fills its result by doubling copies.
 *
 * Start reading at strlib_register().
 */
#include "script/internal.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/banned.h"

/* Bytes copied (memcpy, about 10 GB/s) per instruction of about 10 ns. */
#define STRLIB_COPY_BYTES_PER_INSTR 64
/* Bytes looped over one at a time (a ctype call each) per instruction. */
#define STRLIB_LOOP_BYTES_PER_INSTR 8

/* string.rep(s, n [, sep]) */
static int strlib_rep(lua_State *L)
{
	size_t l, lsep;
	const char *s = luaL_checklstring(L, 1, &l);
	lua_Integer n = luaL_checkinteger(L, 2);
	const char *sep = luaL_optlstring(L, 3, "", &lsep);

	if (n <= 0 || l + lsep == 0) {
		lua_pushliteral(L, "");
		return 1;
	}
	/* n copies of s and n - 1 of sep; overflow-checked like Lua's. */
	size_t unit = l + lsep;
	if (unit > (size_t)LUA_MAXINTEGER / (size_t)n || unit * (size_t)n > ((size_t)-1) / 2)
		return luaL_error(L, "resulting string too large");
	size_t total = unit * (size_t)n - lsep;
	vm_charge(L, (long)(total / STRLIB_COPY_BYTES_PER_INSTR));

	luaL_Buffer b;
	char *p = luaL_buffinitsize(L, &b, total);
	/* One unit, then the filled part copied onto the rest, doubling. */
	memcpy(p, s, l);
	size_t filled = l;
	if (n > 1 && lsep) {
		memcpy(p + l, sep, lsep);
		filled += lsep;
	}
	while (filled < total) {
		size_t k = filled < total - filled ? filled : total - filled;
		memcpy(p + filled, p, k);
		filled += k;
	}
	luaL_pushresultsize(&b, total);
	return 1;
}

/* upper, lower and reverse: one pass over the bytes into a new string. */
enum strlib_map { STRLIB_UPPER, STRLIB_LOWER, STRLIB_REVERSE };

static int strlib_map(lua_State *L, enum strlib_map how)
{
	size_t l;
	const char *s = luaL_checklstring(L, 1, &l);

	vm_charge(L, (long)(l / STRLIB_LOOP_BYTES_PER_INSTR));
	luaL_Buffer b;
	char *p = luaL_buffinitsize(L, &b, l);
	for (size_t i = 0; i < l; i++) {
		switch (how) {
		case STRLIB_UPPER:
			p[i] = (char)toupper((unsigned char)s[i]);
			break;
		case STRLIB_LOWER:
			p[i] = (char)tolower((unsigned char)s[i]);
			break;
		case STRLIB_REVERSE:
			p[i] = s[l - 1 - i];
			break;
		}
	}
	luaL_pushresultsize(&b, l);
	return 1;
}

static int strlib_upper(lua_State *L)
{
	return strlib_map(L, STRLIB_UPPER);
}

static int strlib_lower(lua_State *L)
{
	return strlib_map(L, STRLIB_LOWER);
}

static int strlib_reverse(lua_State *L)
{
	return strlib_map(L, STRLIB_REVERSE);
}

/* Lua's posrelatI(): a start position, negative from the end, clipped to 1. */
static size_t strlib_start(lua_Integer pos, size_t len)
{
	if (pos > 0)
		return (size_t)pos;
	if (pos == 0 || pos < -(lua_Integer)len)
		return 1;
	return len + (size_t)pos + 1;
}

/* Lua's getendpos(): an end position, negative from the end, clipped to [0, len]. */
static size_t strlib_end(lua_Integer pos, size_t len)
{
	if (pos > (lua_Integer)len)
		return len;
	if (pos >= 0)
		return (size_t)pos;
	if (pos < -(lua_Integer)len)
		return 0;
	return len + (size_t)pos + 1;
}

/* string.byte(s [, i [, j]]): one value pushed per byte, each charged. */
static int strlib_byte(lua_State *L)
{
	size_t l;
	const char *s = luaL_checklstring(L, 1, &l);
	lua_Integer pi = luaL_optinteger(L, 2, 1);
	size_t i = strlib_start(pi, l);
	size_t j = strlib_end(luaL_optinteger(L, 3, pi), l);

	if (i > j)
		return 0;
	if (j - i >= (size_t)INT_MAX)
		return luaL_error(L, "string slice too long");
	int n = (int)(j - i) + 1;
	vm_charge(L, n);
	luaL_checkstack(L, n, "string slice too long");
	for (int k = 0; k < n; k++)
		lua_pushinteger(L, (unsigned char)s[i + (size_t)k - 1]);
	return n;
}

void strlib_register(lua_State *L, int idx)
{
	static const luaL_Reg fns[] = {
		{"rep", strlib_rep},	     {"upper", strlib_upper}, {"lower", strlib_lower},
		{"reverse", strlib_reverse}, {"byte", strlib_byte},   {NULL, NULL},
	};

	idx = lua_absindex(L, idx);
	for (const luaL_Reg *f = fns; f->name; f++) {
		lua_pushcfunction(L, f->func);
		lua_setfield(L, idx, f->name);
	}
}
