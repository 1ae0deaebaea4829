/*
 * events.c: trigger fields in declarations. Which events rooms, mobs and
 * items have, checking their on_<event> and before_<event> fields (and a
 * mob's behaviors) while an area loads, and keeping the handlers in the
 * area's state where task.c finds them when the game fires an event.
 *
 * Start reading at events_collect(). The table events_defs is the
 * reference of which kind offers which event, after (on_) or before
 * (before_) it; docs/building.md section 7 says the same for builders.
 *
 * What is kept, in the registry table EVENTS_REG:
 *   EVENTS_REG[kind][full id][key] = { handler, handler, ... }
 * with kind "room", "mob" or "item", key "on_enter" or "before_leave", and
 * each handler a table: { fn = function, label = "on_greet (wander)" }, or
 * for a phrase table on_say { phrases = { { alts = { {"old", "ledger"},
 * {"pages"} }, fn = f }, ... }, default = f, label = ... }, or for
 * on_hp_below { hp = { { pct = 50, fn = f }, ... } (highest first) }.
 * The object's own handler comes first, then its behaviors' in order.
 */
#include "script/internal.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/banned.h"

#define EVENTS_REG    "ruin.events"
#define EVENTS_RELOAD "ruin.on_reload"
/* At most this many phrases in one on_say table, and behaviors on one mob. */
#define EVENTS_MAX_PHRASES  200
#define EVENTS_MAX_BEHAVIOR 16
#define EVENTS_ALL	    (EVK_ROOM | EVK_MOB | EVK_ITEM)

struct events_def {
	const char *name;
	enum trig trig;
	unsigned on;	 /* kinds offering on_<name> */
	unsigned before; /* kinds offering before_<name> */
};

static const struct events_def events_defs[] = {
	{"enter", TRIG_ENTER, EVK_ROOM, 0},
	{"leave", TRIG_LEAVE, EVK_ROOM, EVK_ROOM},
	{"say", TRIG_SAY, EVK_ROOM | EVK_MOB, 0},
	{"command", TRIG_COMMAND, 0, EVK_ROOM | EVK_MOB},
	{"drop", TRIG_DROP, EVK_ROOM | EVK_ITEM, 0},
	{"look", TRIG_LOOK, EVENTS_ALL, 0},
	{"tick", TRIG_TICK, EVENTS_ALL, 0},
	{"reset", TRIG_RESET, EVK_ROOM, 0},
	{"spawn", TRIG_SPAWN, EVK_MOB, 0},
	{"greet", TRIG_GREET, EVK_MOB, 0},
	{"give", TRIG_GIVE, EVK_MOB, EVK_MOB},
	{"attacked", TRIG_ATTACKED, EVK_MOB, EVK_MOB},
	{"fight", TRIG_FIGHT, EVK_MOB, 0},
	{"hp_below", TRIG_HP_BELOW, EVK_MOB, 0},
	{"death", TRIG_DEATH, EVK_MOB, EVK_MOB},
	{"kill", TRIG_KILL, EVK_MOB, 0},
	{"time", TRIG_TIME, EVK_MOB, 0},
	{"get", TRIG_GET, EVK_ITEM, EVK_ITEM},
	{"wear", TRIG_WEAR, EVK_ITEM, 0},
	{"remove", TRIG_REMOVE, EVK_ITEM, 0},
	{"use", TRIG_USE, EVK_ITEM, 0},
	{"consume", TRIG_CONSUME, EVK_ITEM, 0},
};

#define EVENTS_NDEFS (sizeof(events_defs) / sizeof(events_defs[0]))

/* "on_enter" / "before_leave" for every trig, built once at compile time. */
static const char *const events_on_keys[TRIG_COUNT] = {
	[TRIG_ENTER] = "on_enter", [TRIG_LEAVE] = "on_leave",
	[TRIG_SAY] = "on_say",	   [TRIG_COMMAND] = "on_command",
	[TRIG_DROP] = "on_drop",   [TRIG_LOOK] = "on_look",
	[TRIG_TICK] = "on_tick",   [TRIG_RESET] = "on_reset",
	[TRIG_SPAWN] = "on_spawn", [TRIG_GREET] = "on_greet",
	[TRIG_GIVE] = "on_give",   [TRIG_ATTACKED] = "on_attacked",
	[TRIG_FIGHT] = "on_fight", [TRIG_HP_BELOW] = "on_hp_below",
	[TRIG_DEATH] = "on_death", [TRIG_KILL] = "on_kill",
	[TRIG_TIME] = "on_time",   [TRIG_GET] = "on_get",
	[TRIG_WEAR] = "on_wear",   [TRIG_REMOVE] = "on_remove",
	[TRIG_USE] = "on_use",	   [TRIG_CONSUME] = "on_consume",
};
static const char *const events_before_keys[TRIG_COUNT] = {
	[TRIG_ENTER] = "before_enter", [TRIG_LEAVE] = "before_leave",
	[TRIG_SAY] = "before_say",     [TRIG_COMMAND] = "before_command",
	[TRIG_DROP] = "before_drop",   [TRIG_LOOK] = "before_look",
	[TRIG_TICK] = "before_tick",   [TRIG_RESET] = "before_reset",
	[TRIG_SPAWN] = "before_spawn", [TRIG_GREET] = "before_greet",
	[TRIG_GIVE] = "before_give",   [TRIG_ATTACKED] = "before_attacked",
	[TRIG_FIGHT] = "before_fight", [TRIG_HP_BELOW] = "before_hp_below",
	[TRIG_DEATH] = "before_death", [TRIG_KILL] = "before_kill",
	[TRIG_TIME] = "before_time",   [TRIG_GET] = "before_get",
	[TRIG_WEAR] = "before_wear",   [TRIG_REMOVE] = "before_remove",
	[TRIG_USE] = "before_use",     [TRIG_CONSUME] = "before_consume",
};

const char *events_key(enum trig t, bool before)
{
	if ((unsigned)t >= TRIG_COUNT)
		return "?";
	return before ? events_before_keys[t] : events_on_keys[t];
}

const char *events_kind_name(enum evk kind)
{
	switch (kind) {
	case EVK_ROOM:
		return "room";
	case EVK_MOB:
		return "mob";
	case EVK_ITEM:
		return "item";
	case EVK_AREA:
		return "area";
	}
	return "?";
}

static const char *events_kind_noun(enum evk kind)
{
	switch (kind) {
	case EVK_ROOM:
		return "a room";
	case EVK_MOB:
		return "a mob";
	case EVK_ITEM:
		return "an item";
	case EVK_AREA:
		return "an area";
	}
	return "?";
}

bool events_field(const char *name)
{
	return strncmp(name, "on_", 3) == 0 || strncmp(name, "before_", 7) == 0;
}

void events_suggest(struct suggest *sg, enum evk kind)
{
	if (kind == EVK_AREA) {
		suggest_add(sg, "on_reload");
		return;
	}
	for (size_t i = 0; i < EVENTS_NDEFS; i++) {
		if (events_defs[i].on & (unsigned)kind)
			suggest_add(sg, events_key(events_defs[i].trig, false));
		if (events_defs[i].before & (unsigned)kind)
			suggest_add(sg, events_key(events_defs[i].trig, true));
	}
}

/* "on_enter, before_leave, ..." : the triggers of kind, for messages. */
static void events_list(enum evk kind, struct buf *out)
{
	if (kind == EVK_AREA) {
		buf_puts(out, "on_reload");
		return;
	}
	for (size_t i = 0; i < EVENTS_NDEFS; i++) {
		if (events_defs[i].on & (unsigned)kind)
			buf_printf(out, "%s%s", out->len ? ", " : "",
				   events_key(events_defs[i].trig, false));
		if (events_defs[i].before & (unsigned)kind)
			buf_printf(out, "%s%s", out->len ? ", " : "",
				   events_key(events_defs[i].trig, true));
	}
}

/* Pushes EVENTS_REG[sub] (creating both as needed). */
static void events_push_reg(lua_State *L, const char *sub)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, EVENTS_REG) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, LUA_REGISTRYINDEX, EVENTS_REG);
	}
	if (lua_getfield(L, -1, sub) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, -3, sub);
	}
	lua_remove(L, -2);
}

/* ---- checking one field ----------------------------------------------------- */

/* The definition of name ("enter") or NULL. */
static const struct events_def *events_find(const char *name)
{
	for (size_t i = 0; i < EVENTS_NDEFS; i++)
		if (strcmp(events_defs[i].name, name) == 0)
			return &events_defs[i];
	return NULL;
}

/*
 * Resolves field key of an object of kind to its event; reports why it is
 * not one (prefix is the message context: "" or "behavior 'wander': ").
 */
static const struct events_def *events_resolve(struct build *b, const char *key, enum evk kind,
					       bool *before)
{
	bool is_before = strncmp(key, "before_", 7) == 0;
	const char *name = key + (is_before ? 7 : 3);
	const struct events_def *d = events_find(name);
	struct buf list;

	buf_init(&list, 0);
	events_list(kind, &list);
	if (!d) {
		struct suggest sg;
		suggest_init(&sg, key);
		events_suggest(&sg, kind);
		if (suggest_best(&sg))
			build_problem(b, "unknown trigger '%s' (did you mean '%s'?)", key,
				      suggest_best(&sg));
		else
			build_problem(b, "unknown trigger '%s' (%s has: %s)", key,
				      events_kind_noun(kind), buf_cstr(&list));
	} else if (!((d->on | d->before) & (unsigned)kind)) {
		build_problem(b, "%ss have no '%s' trigger (%s has: %s)", events_kind_name(kind),
			      key, events_kind_noun(kind), buf_cstr(&list));
		d = NULL;
	} else if (is_before && !(d->before & (unsigned)kind)) {
		build_problem(b, "'%s': %s cannot be stopped; use on_%s", key, d->name, d->name);
		d = NULL;
	} else if (!is_before && !(d->on & (unsigned)kind)) {
		build_problem(b,
			      "'%s': use before_%s (return false to take the command over, or a "
			      "string to answer with)",
			      key, d->name);
		d = NULL;
	}
	buf_fini(&list);
	*before = is_before;
	return d;
}

/* Splits s into lowercase words (letters, digits, UTF-8) and pushes them as a list. */
static int events_push_words(lua_State *L, const char *s, size_t n)
{
	struct buf w;
	int count = 0;

	lua_newtable(L);
	buf_init(&w, 256);
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = i < n ? (unsigned char)s[i] : ' ';
		bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c >= 0x80 || c == '_';
		if (word) {
			buf_putc(&w, (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
			continue;
		}
		if (w.len) {
			lua_pushlstring(L, w.data, w.len);
			lua_rawseti(L, -2, ++count);
			buf_clear(&w);
		}
	}
	buf_fini(&w);
	return count;
}

struct events_phrase {
	const char *key;
	size_t len;
};

static int events_phrase_cmp(const void *a, const void *b)
{
	const struct events_phrase *x = a, *y = b;

	if (x->len != y->len)
		return x->len > y->len ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* A phrase table (at idx) -> the handler record at the top of the stack. */
static void events_phrases(struct build *b, int idx, const char *key)
{
	lua_State *L = b->L;
	struct events_phrase ph[EVENTS_MAX_PHRASES];
	size_t n = 0;

	idx = lua_absindex(L, idx);
	int rec = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING) {
			build_problem(b, "'%s': phrases are strings: [\"ledger|pages\"] = function",
				      key);
		} else if (lua_type(L, -1) != LUA_TFUNCTION) {
			build_problem(b, "'%s': phrase '%s' must be given a function, not a %s",
				      key, lua_tostring(L, -2), luaL_typename(L, -1));
		} else if (strcmp(lua_tostring(L, -2), "default") == 0) {
			lua_pushvalue(L, -1);
			lua_setfield(L, rec, "default");
		} else if (n == EVENTS_MAX_PHRASES) {
			build_problem(b, "'%s': more than %d phrases", key, EVENTS_MAX_PHRASES);
		} else {
			size_t len;
			const char *k = lua_tolstring(L, -2, &len);
			ph[n++] = (struct events_phrase){k, len};
		}
		lua_pop(L, 1);
	}
	qsort(ph, n, sizeof(ph[0]), events_phrase_cmp);
	lua_createtable(L, (int)n, 0);
	int list = lua_gettop(L);
	int kept = 0;
	for (size_t i = 0; i < n; i++) {
		lua_newtable(L); /* alts */
		int alts = lua_gettop(L);
		int nalt = 0;
		bool bad = false;
		for (const char *p = ph[i].key;;) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);
			if (events_push_words(L, p, len) == 0) {
				bad = true;
				lua_pop(L, 1);
			} else {
				lua_rawseti(L, alts, ++nalt);
			}
			if (!bar)
				break;
			p = bar + 1;
		}
		if (bad) {
			build_problem(
				b,
				"'%s': phrase '%s' has an empty alternative (write \"a|b\" with "
				"words on both sides)",
				key, ph[i].key);
			lua_pop(L, 1);
			continue;
		}
		lua_newtable(L);
		lua_insert(L, alts);
		lua_setfield(L, alts, "alts");
		lua_pushstring(L, ph[i].key);
		lua_rawget(L, idx);
		lua_setfield(L, alts, "fn");
		lua_rawseti(L, list, ++kept);
	}
	lua_setfield(L, rec, "phrases");
}

static int events_hp_cmp(const void *a, const void *b)
{
	return *(const int *)b - *(const int *)a;
}

/* An hp_below table (at idx) -> the record at the top of the stack. */
static bool events_hp_below(struct build *b, int idx, const char *key)
{
	lua_State *L = b->L;
	int hp[100];
	size_t n = 0;
	bool ok = true;

	idx = lua_absindex(L, idx);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		int isint = 0;
		lua_Integer pct =
			lua_type(L, -2) == LUA_TNUMBER ? lua_tointegerx(L, -2, &isint) : 0;
		if (!isint || pct < 1 || pct > 99) {
			build_problem(b,
				      "'%s': keys are percentages from 1 to 99: { [50] = "
				      "function(mob, enemy) ... end }",
				      key);
			ok = false;
		} else if (lua_type(L, -1) != LUA_TFUNCTION) {
			build_problem(b, "'%s': [%d] must be a function, not a %s", key, (int)pct,
				      luaL_typename(L, -1));
			ok = false;
		} else {
			hp[n++] = (int)pct;
		}
		lua_pop(L, 1);
	}
	if (n == 0 && ok) {
		build_problem(b, "'%s' is empty: { [50] = function(mob, enemy) ... end }", key);
		return false;
	}
	qsort(hp, n, sizeof(hp[0]), events_hp_cmp);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 2);
		lua_pushinteger(L, hp[i]);
		lua_setfield(L, -2, "pct");
		lua_rawgeti(L, idx, hp[i]);
		lua_setfield(L, -2, "fn");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "hp");
	return ok;
}

/*
 * Checks field key (value at idx) of an object of kind and appends its
 * handler to entry[key] (entry at index entry). label names it in error
 * messages. Returns its bit, or 0 after reporting.
 */
static uint64_t events_add(struct build *b, int entry, const char *key, int idx, enum evk kind,
			   const char *label)
{
	lua_State *L = b->L;
	bool before;
	const struct events_def *d = events_resolve(b, key, kind, &before);

	if (!d)
		return 0;
	int t = lua_type(L, idx);
	bool table_ok = (d->trig == TRIG_SAY && !before) || d->trig == TRIG_HP_BELOW;
	if (d->trig == TRIG_HP_BELOW && t != LUA_TTABLE) {
		build_problem(b,
			      "'%s' must be a table of percentages: { [50] = function(mob, enemy) "
			      "... end }",
			      key);
		return 0;
	}
	if (t != LUA_TFUNCTION && !(table_ok && t == LUA_TTABLE)) {
		build_problem(b, "'%s' must be a function%s, not a %s", key,
			      table_ok ? " or a table of phrases" : "", luaL_typename(L, idx));
		return 0;
	}
	int top = lua_gettop(L);
	lua_newtable(L);
	int rec = lua_gettop(L);
	lua_pushstring(L, label);
	lua_setfield(L, rec, "label");
	if (t == LUA_TFUNCTION) {
		lua_pushvalue(L, idx);
		lua_setfield(L, rec, "fn");
	} else if (d->trig == TRIG_SAY) {
		events_phrases(b, idx, key);
	} else if (!events_hp_below(b, idx, key)) {
		lua_settop(L, top);
		return 0;
	}
	if (lua_getfield(L, entry, key) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, entry, key);
	}
	lua_pushvalue(L, rec);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	lua_settop(L, top);
	return TRIG_BIT(d->trig, before);
}

/*
 * A behavior's refs = { item = { "bread", ... }, room = { ... }, mob = { ... } }
 * (at idx): ids its options name, checked like any reference once all
 * areas are loaded (a shopkeeper's wares, say), so --check finds typos.
 */
static void events_refs(struct build *b, int idx)
{
	static const struct {
		const char *name;
		enum xref_kind kind;
	} kinds[] = {{"item", XREF_ITEM}, {"room", XREF_ROOM}, {"mob", XREF_MOB}};
	lua_State *L = b->L;

	idx = lua_absindex(L, idx);
	if (lua_type(L, idx) != LUA_TTABLE) {
		build_problem(b, "'refs' must be a table: { item = { \"id\", ... } }");
		return;
	}
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (lua_getfield(L, idx, kinds[k].name) == LUA_TTABLE) {
			lua_Integer n = build_string_list(b, -1, kinds[k].name);
			for (lua_Integer i = 1; i <= n; i++) {
				lua_rawgeti(L, -1, i);
				build_ref(b, lua_tostring(L, -1), kinds[k].kind, NULL);
				lua_pop(L, 1);
			}
		}
		lua_pop(L, 1);
	}
}

/* A mob's behaviors = { b1, b2, ... } (at idx): each a table of handlers and a name. */
static uint64_t events_behaviors(struct build *b, int entry, int idx)
{
	lua_State *L = b->L;
	uint64_t bits = 0;
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
	lua_Integer count = 0;

	idx = lua_absindex(L, idx);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		count++;
		lua_pop(L, 1);
	}
	if (count != n) {
		build_problem(b, "'behaviors' must be a list: { wander { ... }, guard { ... } }");
		return 0;
	}
	if (n > EVENTS_MAX_BEHAVIOR) {
		build_problem(b, "'behaviors': at most %d", EVENTS_MAX_BEHAVIOR);
		return 0;
	}
	for (lua_Integer i = 1; i <= n; i++) {
		int top = lua_gettop(L);
		lua_rawgeti(L, idx, i);
		int bt = lua_gettop(L);
		if (lua_type(L, bt) != LUA_TTABLE) {
			build_problem(
				b,
				"'behaviors': entry %d is a %s, not a behavior (did you forget "
				"its { } options, as in wander {}?)",
				(int)i, luaL_typename(L, bt));
			lua_settop(L, top);
			continue;
		}
		const char *name = NULL;
		if (lua_getfield(L, bt, "name") == LUA_TSTRING)
			name = lua_tostring(L, -1);
		const char *who = name ? name : lua_pushfstring(L, "behavior %d", (int)i);
		size_t len = build_what_push(b, "behavior '%s'", who);
		lua_pushnil(L);
		while (lua_next(L, bt)) {
			const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
			if (k && strcmp(k, "name") == 0) {
				lua_pop(L, 1);
				continue;
			}
			if (k && strcmp(k, "refs") == 0) {
				events_refs(b, lua_gettop(L));
				lua_pop(L, 1);
				continue;
			}
			if (!k || !events_field(k)) {
				build_problem(b,
					      "'%s' is not a trigger (a behavior is a table of "
					      "on_<event> and before_<event> functions and a name)",
					      k ? k : luaL_typename(L, -2));
				lua_pop(L, 1);
				continue;
			}
			const char *label = lua_pushfstring(L, "%s (%s)", k, who);
			bits |= events_add(b, entry, k, lua_gettop(L) - 1, EVK_MOB, label);
			lua_pop(L, 2);
		}
		build_what_pop(b, len);
		lua_settop(L, top);
	}
	return bits;
}

uint64_t events_collect(struct build *b, int def, enum evk kind, const char *full_id)
{
	lua_State *L = b->L;
	uint64_t bits = 0;
	int top = lua_gettop(L);

	def = lua_absindex(L, def);
	lua_newtable(L);
	int entry = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, def)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		if (k && events_field(k)) {
			if (kind == EVK_AREA) {
				if (strcmp(k, "on_reload") != 0) {
					struct suggest sg;
					suggest_init(&sg, k);
					suggest_add(&sg, "on_reload");
					if (suggest_best(&sg))
						build_problem(b,
							      "unknown trigger '%s' (did you mean "
							      "'on_reload'?)",
							      k);
					else
						build_problem(b,
							      "unknown trigger '%s' (an area has: "
							      "on_reload)",
							      k);
				} else if (lua_type(L, -1) != LUA_TFUNCTION) {
					build_problem(b, "'on_reload' must be a function, not a %s",
						      luaL_typename(L, -1));
				} else {
					lua_pushvalue(L, -1);
					lua_setfield(L, LUA_REGISTRYINDEX, EVENTS_RELOAD);
				}
			} else {
				bits |= events_add(b, entry, k, lua_gettop(L), kind, k);
			}
		}
		lua_pop(L, 1);
	}
	if (kind == EVK_MOB) {
		lua_pushliteral(L, "behaviors");
		if (lua_rawget(L, def) == LUA_TTABLE)
			bits |= events_behaviors(b, entry, lua_gettop(L));
		lua_pop(L, 1);
	}
	if (bits) {
		events_push_reg(L, events_kind_name(kind));
		lua_pushstring(L, full_id);
		lua_pushvalue(L, entry);
		lua_rawset(L, -3);
	}
	lua_settop(L, top);
	return bits;
}

int events_push_handlers(lua_State *L, enum evk kind, const char *full_id, enum trig t, bool before)
{
	int top = lua_gettop(L);

	if (lua_getfield(L, LUA_REGISTRYINDEX, EVENTS_REG) != LUA_TTABLE ||
	    lua_getfield(L, -1, events_kind_name(kind)) != LUA_TTABLE ||
	    lua_getfield(L, -1, full_id) != LUA_TTABLE ||
	    lua_getfield(L, -1, events_key(t, before)) != LUA_TTABLE) {
		lua_settop(L, top);
		lua_pushnil(L);
		return 0;
	}
	lua_replace(L, top + 1);
	lua_settop(L, top + 1);
	return (int)lua_rawlen(L, -1);
}

uint64_t events_bits(lua_State *L, enum evk kind, const char *full_id)
{
	uint64_t bits = 0;
	int top = lua_gettop(L);

	if (lua_getfield(L, LUA_REGISTRYINDEX, EVENTS_REG) == LUA_TTABLE &&
	    lua_getfield(L, -1, events_kind_name(kind)) == LUA_TTABLE &&
	    lua_getfield(L, -1, full_id) == LUA_TTABLE) {
		for (int t = 0; t < TRIG_COUNT; t++)
			for (int before = 0; before < 2; before++) {
				if (lua_getfield(L, -1, events_key((enum trig)t, before)) ==
				    LUA_TTABLE)
					bits |= TRIG_BIT(t, before);
				lua_pop(L, 1);
			}
	}
	lua_settop(L, top);
	return bits;
}

/* ---- phrase matching ---------------------------------------------------------- */

/* Is every word of the list at idx among the words of said (at said_idx, a set)? */
static bool events_all_words(lua_State *L, int idx, int said_idx)
{
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx);

	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, idx, i);
		bool have = lua_rawget(L, said_idx) != LUA_TNIL;
		lua_pop(L, 1);
		if (!have)
			return false;
	}
	return true;
}

int events_match_phrase(lua_State *L, int rec, const char *text)
{
	rec = lua_absindex(L, rec);
	int top = lua_gettop(L);

	/* The words said, as a set. */
	int n = events_push_words(L, text, strlen(text));
	lua_createtable(L, 0, n);
	int said = lua_gettop(L);
	for (int i = 1; i <= n; i++) {
		lua_rawgeti(L, said - 1, i);
		lua_pushboolean(L, 1);
		lua_rawset(L, said);
	}
	if (lua_getfield(L, rec, "phrases") == LUA_TTABLE) {
		int list = lua_gettop(L);
		lua_Integer np = (lua_Integer)lua_rawlen(L, list);
		for (lua_Integer i = 1; i <= np; i++) {
			lua_rawgeti(L, list, i);
			int ph = lua_gettop(L);
			lua_getfield(L, ph, "alts");
			int alts = lua_gettop(L);
			lua_Integer na = (lua_Integer)lua_rawlen(L, alts);
			for (lua_Integer a = 1; a <= na; a++) {
				lua_rawgeti(L, alts, a);
				bool hit = events_all_words(L, lua_gettop(L), said);
				lua_pop(L, 1);
				if (hit) {
					lua_getfield(L, ph, "fn");
					lua_replace(L, top + 1);
					lua_settop(L, top + 1);
					return 1;
				}
			}
			lua_settop(L, list);
		}
	}
	lua_settop(L, top);
	if (lua_getfield(L, rec, "default") == LUA_TFUNCTION)
		return 1;
	lua_pop(L, 1);
	return 0;
}

void events_push_on_reload(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, EVENTS_RELOAD);
}
