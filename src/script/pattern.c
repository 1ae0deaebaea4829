/*
 * pattern.c: string.find, string.match, string.gmatch and string.gsub for
 * the sandbox, with the semantics of Lua 5.4's pattern matching and a step
 * budget.
 *
 * Lua's own matcher is a backtracking search in C: a pattern such as
 * string.rep("a?", 30) .. string.rep("a", 30) runs for hours inside one call,
 * where no instruction hook fires. This one counts its steps (one per
 * pattern item tried, per character a repetition scans, per position tried)
 * and charges them to the running entry through vm_charge() every
 * PATTERN_FLUSH steps, so a pathological pattern ends with "instruction
 * budget exceeded" like any loop. Plain finds compare at most once per
 * occurrence of the needle's first byte and are charged by the bytes
 * compared.
 *
 * Start reading at pattern_do(), the matcher proper; the four library
 * functions follow it.
 */
#include "script/internal.h"

#include <ctype.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/banned.h"

#define PATTERN_MAXCAPTURES 32
#define PATTERN_MAXDEPTH    200 /* recursion of the matcher: "pattern too complex" */
#define PATTERN_FLUSH	    1024
#define PATTERN_SPECIALS    "^$*+?.([%-"

#define CAP_UNFINISHED (-1)
#define CAP_POSITION   (-2)

struct pmatch {
	const char *src, *src_end; /* the subject */
	const char *p_end;	   /* end of the pattern */
	lua_State *L;
	int depth; /* recursion left */
	int level; /* captures open or closed so far */
	long steps;
	struct {
		const char *init;
		ptrdiff_t len; /* or CAP_UNFINISHED, CAP_POSITION */
	} cap[PATTERN_MAXCAPTURES];
};

static void pattern_init(struct pmatch *m, lua_State *L, const char *s, size_t ls, const char *p,
			 size_t lp)
{
	m->L = L;
	m->src = s;
	m->src_end = s + ls;
	m->p_end = p + lp;
	m->steps = 0;
}

static void pattern_reset(struct pmatch *m)
{
	m->level = 0;
	m->depth = PATTERN_MAXDEPTH;
}

static void pattern_step(struct pmatch *m, long n)
{
	m->steps += n;
	if (m->steps >= PATTERN_FLUSH) {
		long s = m->steps;
		m->steps = 0;
		vm_charge(m->L, s);
	}
}

static void pattern_flush(struct pmatch *m)
{
	long s = m->steps;

	m->steps = 0;
	vm_charge(m->L, s);
}

/* %a, %d, ... : does byte c belong to class cl (upper case: the complement)? */
static int pattern_class(int c, int cl)
{
	int res;

	switch (tolower(cl)) {
	case 'a':
		res = isalpha(c) != 0;
		break;
	case 'c':
		res = iscntrl(c) != 0;
		break;
	case 'd':
		res = isdigit(c) != 0;
		break;
	case 'g':
		res = isgraph(c) != 0;
		break;
	case 'l':
		res = islower(c) != 0;
		break;
	case 'p':
		res = ispunct(c) != 0;
		break;
	case 's':
		res = isspace(c) != 0;
		break;
	case 'u':
		res = isupper(c) != 0;
		break;
	case 'w':
		res = isalnum(c) != 0;
		break;
	case 'x':
		res = isxdigit(c) != 0;
		break;
	case 'z': /* deprecated in Lua 5.2, still honoured by 5.4 */
		res = c == 0;
		break;
	default:
		return cl == c;
	}
	return isupper(cl) ? !res : res;
}

/* Where the single-character class starting at p ends (past any ']'). */
static const char *pattern_class_end(struct pmatch *m, const char *p)
{
	char c = *p++;

	if (c == '%') {
		if (p == m->p_end)
			luaL_error(m->L, "malformed pattern (ends with '%%')");
		return p + 1;
	}
	if (c == '[') {
		if (*p == '^')
			p++;
		do { /* the first character after '[' or '[^' is never the closing ']' */
			if (p == m->p_end)
				luaL_error(m->L, "malformed pattern (missing ']')");
			c = *p++;
			if (c == '%' && p < m->p_end)
				p++;
		} while (*p != ']');
		return p + 1;
	}
	return p;
}

/* Does byte c match the set [...] from p (at '[') to ec (at its ']')? */
static int pattern_set(int c, const char *p, const char *ec)
{
	int found = 1;

	if (p[1] == '^') {
		found = 0;
		p++;
	}
	while (++p < ec) {
		if (*p == '%') {
			p++;
			if (pattern_class(c, (unsigned char)*p))
				return found;
		} else if (p[1] == '-' && p + 2 < ec) {
			if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
				return found;
			p += 2;
		} else if ((unsigned char)*p == c) {
			return found;
		}
	}
	return !found;
}

/* Does the subject byte at s match the single-character class p..ep? */
static int pattern_single(const struct pmatch *m, const char *s, const char *p, const char *ep)
{
	if (s >= m->src_end)
		return 0;
	int c = (unsigned char)*s;
	switch (*p) {
	case '.':
		return 1;
	case '%':
		return pattern_class(c, (unsigned char)p[1]);
	case '[':
		return pattern_set(c, p, ep - 1);
	default:
		return (unsigned char)*p == c;
	}
}

static const char *pattern_do(struct pmatch *m, const char *s, const char *p);

/* %bxy at p (pointing at x): a balanced run from s. */
static const char *pattern_balance(struct pmatch *m, const char *s, const char *p)
{
	if (p >= m->p_end - 1)
		luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
	if (s >= m->src_end || *s != *p)
		return NULL;
	char open = p[0], close = p[1];
	int depth = 1;
	const char *start = s;
	while (++s < m->src_end) {
		if (*s == close) {
			if (--depth == 0) {
				pattern_step(m, s - start);
				return s + 1;
			}
		} else if (*s == open) {
			depth++;
		}
	}
	pattern_step(m, s - start);
	return NULL;
}

/* The capture a back reference %1-%9 (digit l) names, checked. */
static int pattern_check_capture(struct pmatch *m, int l)
{
	l -= '1';
	if (l < 0 || l >= m->level || m->cap[l].len == CAP_UNFINISHED)
		return luaL_error(m->L, "invalid capture index %%%d", l + 1);
	return l;
}

static const char *pattern_backref(struct pmatch *m, const char *s, int l)
{
	l = pattern_check_capture(m, l);
	if (m->cap[l].len == CAP_POSITION)
		return NULL;
	size_t len = (size_t)m->cap[l].len;
	pattern_step(m, 1 + (long)(len / VM_BYTES_PER_INSTR));
	if ((size_t)(m->src_end - s) >= len && memcmp(m->cap[l].init, s, len) == 0)
		return s + len;
	return NULL;
}

static const char *pattern_open(struct pmatch *m, const char *s, const char *p, ptrdiff_t what)
{
	if (m->level >= PATTERN_MAXCAPTURES)
		luaL_error(m->L, "too many captures");
	m->cap[m->level].init = s;
	m->cap[m->level].len = what;
	m->level++;
	const char *res = pattern_do(m, s, p);
	if (!res)
		m->level--;
	return res;
}

static const char *pattern_close(struct pmatch *m, const char *s, const char *p)
{
	int l = m->level - 1;

	while (l >= 0 && m->cap[l].len != CAP_UNFINISHED)
		l--;
	if (l < 0)
		luaL_error(m->L, "invalid pattern capture");
	m->cap[l].len = s - m->cap[l].init;
	const char *res = pattern_do(m, s, p);
	if (!res)
		m->cap[l].len = CAP_UNFINISHED;
	return res;
}

/* Greedy: the longest run of p..ep from s that lets the rest match. */
static const char *pattern_max(struct pmatch *m, const char *s, const char *p, const char *ep)
{
	ptrdiff_t i = 0;

	while (pattern_single(m, s + i, p, ep))
		i++;
	pattern_step(m, i);
	for (; i >= 0; i--) {
		const char *res = pattern_do(m, s + i, ep + 1);
		if (res)
			return res;
	}
	return NULL;
}

/* Lazy: the shortest run of p..ep from s that lets the rest match. */
static const char *pattern_min(struct pmatch *m, const char *s, const char *p, const char *ep)
{
	for (;;) {
		const char *res = pattern_do(m, s, ep + 1);
		if (res)
			return res;
		if (!pattern_single(m, s, p, ep))
			return NULL;
		s++;
	}
}

/*
 * Matches pattern p against the subject from s: returns the end of the
 * match, or NULL. Captures are recorded in m.
 */
static const char *pattern_do(struct pmatch *m, const char *s, const char *p)
{
	if (m->depth-- == 0)
		luaL_error(m->L, "pattern too complex");
	for (;;) {
		pattern_step(m, 1);
		if (p == m->p_end)
			break;
		const char *ep;
		switch (*p) {
		case '(':
			if (p + 1 < m->p_end && p[1] == ')')
				s = pattern_open(m, s, p + 2, CAP_POSITION);
			else
				s = pattern_open(m, s, p + 1, CAP_UNFINISHED);
			goto done;
		case ')':
			s = pattern_close(m, s, p + 1);
			goto done;
		case '$':
			if (p + 1 != m->p_end)
				goto single;
			if (s != m->src_end)
				s = NULL;
			goto done;
		case '%':
			if (p + 1 >= m->p_end)
				goto single; /* reports the malformed pattern */
			if (p[1] == 'b') {
				s = pattern_balance(m, s, p + 2);
				if (!s)
					goto done;
				p += 4;
				continue;
			}
			if (p[1] == 'f') {
				p += 2;
				if (p >= m->p_end || *p != '[')
					luaL_error(m->L, "missing '[' after '%%f' in pattern");
				ep = pattern_class_end(m, p);
				int prev = s == m->src ? 0 : (unsigned char)s[-1];
				int cur = s < m->src_end ? (unsigned char)*s : 0;
				if (!pattern_set(prev, p, ep - 1) && pattern_set(cur, p, ep - 1)) {
					p = ep;
					continue;
				}
				s = NULL;
				goto done;
			}
			if (isdigit((unsigned char)p[1])) {
				s = pattern_backref(m, s, (unsigned char)p[1]);
				if (!s)
					goto done;
				p += 2;
				continue;
			}
			goto single;
		default:
			goto single;
		}
	single:
		ep = pattern_class_end(m, p);
		if (!pattern_single(m, s, p, ep)) {
			if (ep < m->p_end && (*ep == '*' || *ep == '?' || *ep == '-')) {
				p = ep + 1; /* zero repetitions are fine */
				continue;
			}
			s = NULL;
			goto done;
		}
		switch (ep < m->p_end ? *ep : '\0') {
		case '?': {
			const char *res = pattern_do(m, s + 1, ep + 1);
			if (res) {
				s = res;
				goto done;
			}
			p = ep + 1;
			continue;
		}
		case '+':
			s = pattern_max(m, s + 1, p, ep);
			goto done;
		case '*':
			s = pattern_max(m, s, p, ep);
			goto done;
		case '-':
			s = pattern_min(m, s, p, ep);
			goto done;
		default:
			s++;
			p = ep;
			continue;
		}
	}
done:
	m->depth++;
	return s;
}

/* ---- captures -------------------------------------------------------------- */

/* Pushes capture i; with no captures, capture 0 is the whole match s..e. */
static void pattern_push_capture(struct pmatch *m, int i, const char *s, const char *e)
{
	if (i >= m->level) {
		if (i != 0)
			luaL_error(m->L, "invalid capture index %%%d", i + 1);
		lua_pushlstring(m->L, s, (size_t)(e - s));
		return;
	}
	ptrdiff_t len = m->cap[i].len;
	if (len == CAP_UNFINISHED)
		luaL_error(m->L, "unfinished capture");
	if (len == CAP_POSITION)
		lua_pushinteger(m->L, (lua_Integer)(m->cap[i].init - m->src) + 1);
	else
		lua_pushlstring(m->L, m->cap[i].init, (size_t)len);
}

/* Pushes every capture (or the whole match when there are none and s is set). */
static int pattern_push_captures(struct pmatch *m, const char *s, const char *e)
{
	int n = (m->level == 0 && s) ? 1 : m->level;

	luaL_checkstack(m->L, n, "too many captures");
	for (int i = 0; i < n; i++)
		pattern_push_capture(m, i, s, e);
	return n;
}

/* ---- the library functions ------------------------------------------------- */

/* A 1-based start position as string.find reads it, made 0-based. */
static size_t pattern_start(lua_State *L, int arg, size_t len)
{
	lua_Integer pos = luaL_optinteger(L, arg, 1);

	if (pos > 0)
		return (size_t)pos - 1;
	if (pos == 0 || pos < -(lua_Integer)len)
		return 0;
	return len + (size_t)pos;
}

static bool pattern_is_plain(const char *p, size_t lp)
{
	for (size_t i = 0; i < lp; i++)
		if (p[i] && strchr(PATTERN_SPECIALS, p[i]))
			return false;
	return true;
}

/* The first occurrence of p in s, charging the comparisons. */
static const char *pattern_plain(struct pmatch *m, const char *s, size_t ls, const char *p,
				 size_t lp)
{
	if (lp == 0)
		return s;
	const char *end = s + ls;
	while ((size_t)(end - s) >= lp) {
		const char *hit = memchr(s, p[0], (size_t)(end - s) - lp + 1);
		if (!hit) {
			pattern_step(m, (long)(ls / VM_BYTES_PER_INSTR));
			return NULL;
		}
		pattern_step(m, 1 + (long)(lp / VM_BYTES_PER_INSTR));
		if (memcmp(hit + 1, p + 1, lp - 1) == 0)
			return hit;
		s = hit + 1;
	}
	return NULL;
}

static int pattern_find_aux(lua_State *L, bool find)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	size_t init = pattern_start(L, 3, ls);
	struct pmatch m;

	if (init > ls) {
		lua_pushnil(L);
		return 1;
	}
	pattern_init(&m, L, s, ls, p, lp);
	if (find && (lua_toboolean(L, 4) || pattern_is_plain(p, lp))) {
		const char *hit = pattern_plain(&m, s + init, ls - init, p, lp);
		pattern_flush(&m);
		if (hit) {
			lua_pushinteger(L, (lua_Integer)(hit - s) + 1);
			lua_pushinteger(L, (lua_Integer)(hit - s + (ptrdiff_t)lp));
			return 2;
		}
		lua_pushnil(L);
		return 1;
	}
	const char *s1 = s + init;
	bool anchor = lp > 0 && *p == '^';
	if (anchor)
		p++; /* m.p_end stays where it is */
	do {
		pattern_reset(&m);
		const char *e = pattern_do(&m, s1, p);
		if (e) {
			pattern_flush(&m);
			if (find) {
				lua_pushinteger(L, (lua_Integer)(s1 - s) + 1);
				lua_pushinteger(L, (lua_Integer)(e - s));
				return pattern_push_captures(&m, NULL, NULL) + 2;
			}
			return pattern_push_captures(&m, s1, e);
		}
	} while (s1++ < m.src_end && !anchor);
	pattern_flush(&m);
	lua_pushnil(L);
	return 1;
}

static int pattern_find(lua_State *L)
{
	return pattern_find_aux(L, true);
}

static int pattern_match(lua_State *L)
{
	return pattern_find_aux(L, false);
}

/* The iterator state of gmatch, kept in a userdata beside its strings. */
struct pattern_gmatch {
	struct pmatch m;
	const char *pos;       /* where the next search starts */
	const char *p;	       /* the pattern */
	const char *lastmatch; /* end of the last match, to skip an empty one there */
};

static int pattern_gmatch_next(lua_State *L)
{
	struct pattern_gmatch *g = lua_touserdata(L, lua_upvalueindex(3));

	g->m.L = L;
	g->m.steps = 0;
	for (const char *src = g->pos; src <= g->m.src_end; src++) {
		pattern_reset(&g->m);
		const char *e = pattern_do(&g->m, src, g->p);
		if (e && e != g->lastmatch) {
			g->pos = g->lastmatch = e;
			pattern_flush(&g->m);
			return pattern_push_captures(&g->m, src, e);
		}
	}
	pattern_flush(&g->m);
	return 0;
}

static int pattern_gmatch(lua_State *L)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	size_t init = pattern_start(L, 3, ls);

	lua_settop(L, 2); /* the closure keeps both strings alive */
	struct pattern_gmatch *g = lua_newuserdatauv(L, sizeof(*g), 0);
	if (init > ls)
		init = ls + 1;
	pattern_init(&g->m, L, s, ls, p, lp);
	g->pos = s + init;
	g->p = p;
	g->lastmatch = NULL;
	lua_pushcclosure(L, pattern_gmatch_next, 3);
	return 1;
}

/* Appends the replacement string (argument 3) with its %0-%9 and %%. */
static void pattern_add_string(struct pmatch *m, luaL_Buffer *b, const char *s, const char *e)
{
	size_t l;
	const char *r = lua_tolstring(m->L, 3, &l);
	const char *end = r + l;

	pattern_step(m, (long)(l / VM_BYTES_PER_INSTR));
	while (r < end) {
		const char *esc = memchr(r, '%', (size_t)(end - r));
		if (!esc) {
			luaL_addlstring(b, r, (size_t)(end - r));
			return;
		}
		luaL_addlstring(b, r, (size_t)(esc - r));
		esc++;
		if (esc < end && *esc == '%') {
			luaL_addchar(b, '%');
		} else if (esc < end && *esc == '0') {
			luaL_addlstring(b, s, (size_t)(e - s));
		} else if (esc < end && isdigit((unsigned char)*esc)) {
			pattern_push_capture(m, *esc - '1', s, e);
			luaL_addvalue(b); /* a position capture is added as a number */
		} else {
			luaL_error(m->L, "invalid use of '%%' in replacement string");
		}
		r = esc + 1;
	}
}

/* Appends the replacement of match s..e; returns whether it replaced anything. */
static bool pattern_add_value(struct pmatch *m, luaL_Buffer *b, const char *s, const char *e,
			      int type)
{
	lua_State *L = m->L;

	switch (type) {
	case LUA_TFUNCTION: {
		lua_pushvalue(L, 3);
		int n = pattern_push_captures(m, s, e);
		lua_call(L, n, 1);
		break;
	}
	case LUA_TTABLE:
		pattern_push_capture(m, 0, s, e);
		lua_gettable(L, 3);
		break;
	default:
		pattern_add_string(m, b, s, e);
		return true;
	}
	if (!lua_toboolean(L, -1)) { /* nil or false: keep the original text */
		lua_pop(L, 1);
		luaL_addlstring(b, s, (size_t)(e - s));
		return false;
	}
	if (!lua_isstring(L, -1))
		luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
	luaL_addvalue(b);
	return true;
}

static int pattern_gsub(lua_State *L)
{
	size_t ls, lp;
	const char *src = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	int type = lua_type(L, 3);
	lua_Integer max = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
	const char *lastmatch = NULL;
	lua_Integer n = 0;
	struct pmatch m;
	luaL_Buffer b;

	luaL_argexpected(L,
			 type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION ||
				 type == LUA_TTABLE,
			 3, "string/function/table");
	bool anchor = lp > 0 && *p == '^';
	if (anchor)
		p++, lp--;
	pattern_init(&m, L, src, ls, p, lp);
	luaL_buffinit(L, &b);
	while (n < max) {
		pattern_reset(&m);
		const char *e = pattern_do(&m, src, p);
		if (e && e != lastmatch) {
			n++;
			pattern_add_value(&m, &b, src, e, type);
			src = lastmatch = e;
		} else if (src < m.src_end) {
			luaL_addchar(&b, *src++);
		} else {
			break;
		}
		if (anchor)
			break;
	}
	pattern_step(&m, (long)((size_t)(m.src_end - src) / VM_BYTES_PER_INSTR));
	pattern_flush(&m);
	luaL_addlstring(&b, src, (size_t)(m.src_end - src));
	luaL_pushresult(&b);
	lua_pushinteger(L, n);
	return 2;
}

void pattern_register(lua_State *L, int idx)
{
	static const luaL_Reg fns[] = {
		{"find", pattern_find},
		{"match", pattern_match},
		{"gmatch", pattern_gmatch},
		{"gsub", pattern_gsub},
		{NULL, NULL},
	};

	idx = lua_absindex(L, idx);
	for (const luaL_Reg *f = fns; f->name; f++) {
		lua_pushcfunction(L, f->func);
		lua_setfield(L, idx, f->name);
	}
}
