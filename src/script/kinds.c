/*
 * kinds.c: what each declaration of an area file may say, and how it
 * becomes a world object: area, room (with its exits), item, mob, spawn.
 *
 * Start reading at kinds_find() at the bottom, then a kind's builder and
 * its table of fields. The tables are the format's reference: a field not
 * in a table is an error ("did you mean"), a required one must be there,
 * and item fields listed for some types only are refused on the others.
 * docs/building.md describes the same tables for builders.
 */
#include "script/internal.h"

#include <stddef.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define KINDS_TYPE(t) (1u << (t))

static const struct build_flag kinds_room_flags[] = {
	{"safe", ROOM_SAFE},
	{"dark", ROOM_DARK},
	{"nomob", ROOM_NOMOB},
	{"indoors", ROOM_INDOORS},
	{"recall", ROOM_RECALL},
	{"start", ROOM_START},
	{NULL, 0},
};

static const struct build_flag kinds_item_flags[] = {
	{"notake", ITEM_NOTAKE}, {"nodrop", ITEM_NODROP}, {"unique", ITEM_UNIQUE},
	{"glow", ITEM_GLOW},	 {"nosave", ITEM_NOSAVE}, {NULL, 0},
};

static const struct build_flag kinds_mob_flags[] = {
	{"sentinel", MOB_SENTINEL},
	{"aggressive", MOB_AGGRESSIVE},
	{"shopkeeper", MOB_SHOPKEEPER},
	{"nokill", MOB_NOKILL},
	{NULL, 0},
};

/* ---- appliers shared by several tables ------------------------------------ */

/* Keeps the Lua string itself (alive in the declaration) in a const char * member. */
static void kinds_set_ptr(struct build *b, const struct bfield *f, int idx, void *obj)
{
	*(const char **)(void *)((char *)obj + f->off) = lua_tostring(b->L, idx);
}

static void kinds_set_bool(struct build *b, const struct bfield *f, int idx, void *obj)
{
	*(bool *)(void *)((char *)obj + f->off) = lua_toboolean(b->L, idx);
}

/* A field that events.c checks (a mob's behaviors): nothing to apply here. */
static void kinds_checked_elsewhere(struct build *b, const struct bfield *f, int idx, void *obj)
{
	(void)b;
	(void)f;
	(void)idx;
	(void)obj;
}

/* Pushes "<area>:<id>", the full id of a declaration. */
static const char *kinds_full_id(struct build *b, const char *id)
{
	return lua_pushfstring(b->L, "%s:%s", b->sa->id, id);
}

/* ---- area ---------------------------------------------------------------------- */

static void kinds_area_id(struct build *b, const struct bfield *f, int idx, void *obj)
{
	const char *id = lua_tostring(b->L, idx);

	(void)f;
	(void)obj;
	if (strcmp(id, b->sa->id) != 0)
		build_problem(b, "id '%s' does not match the area's folder, '%s'", id, b->sa->id);
}

static void kinds_area_levels(struct build *b, const struct bfield *f, int idx, void *obj)
{
	struct area *a = obj;
	int v[2];

	if (!build_ints(b, idx, f->name, v, 2, 0, 1000))
		return;
	if (v[0] > v[1]) {
		build_problem(b, "'levels' go from low to high: { %d, %d }", v[1], v[0]);
		return;
	}
	a->level_lo = v[0];
	a->level_hi = v[1];
}

static const struct bfield kinds_reset_fields[] = {
	{"minutes", BF_INT, false, 0, 0, 10080, offsetof(struct area, reset_minutes), NULL},
	{"message", BF_TEXT, false, 0, 0, 0, offsetof(struct area, reset_message), NULL},
	{NULL, BF_INT, false, 0, 0, 0, 0, NULL},
};

static void kinds_area_reset(struct build *b, const struct bfield *f, int idx, void *obj)
{
	size_t len = build_what_push(b, "%s", f->name);

	build_fields(b, idx, kinds_reset_fields, "a reset", obj, -1);
	build_what_pop(b, len);
}

static const struct bfield kinds_area_fields[] = {
	{"id", BF_LINE, true, 0, 0, 0, 0, kinds_area_id},
	{"name", BF_LINE, true, 0, 0, 0, offsetof(struct area, name), NULL},
	{"author", BF_LINE, false, 0, 0, 0, offsetof(struct area, author), NULL},
	{"levels", BF_TABLE, false, 0, 0, 0, 0, kinds_area_levels},
	{"reset", BF_TABLE, false, 0, 0, 0, 0, kinds_area_reset},
	{NULL, BF_INT, false, 0, 0, 0, 0, NULL},
};

/* area { ... }; def 0 makes the area with defaults (the file declared none). */
static void kinds_area(struct build *b, const char *id, int def)
{
	(void)id;
	build_what_push(b, "area");
	if (b->area) {
		build_problem(b, "declared twice: a folder holds one area");
		return;
	}
	struct area *a = world_area_new(b->w, b->sa->id);
	if (!a) {
		build_problem(b, "the world already has an area '%s'", b->sa->id);
		return;
	}
	world_set_str(&a->file, b->sa->file);
	a->script = b->sa;
	b->sa->area = a;
	b->area = a;
	if (def) {
		b->evk = EVK_AREA;
		build_fields(b, def, kinds_area_fields, "an area", a, -1);
		events_collect(b, def, EVK_AREA, b->sa->id);
	}
}

/* ---- room and exits ---------------------------------------------------------------- */

struct kinds_exit {
	const char *to, *door, *key, *desc;
	bool closed, locked, hidden, pickproof;
};

static const struct bfield kinds_exit_fields[] = {
	{"to", BF_LINE, true, 0, 0, 0, offsetof(struct kinds_exit, to), kinds_set_ptr},
	{"door", BF_LINE, false, 0, 0, 0, offsetof(struct kinds_exit, door), kinds_set_ptr},
	{"key", BF_LINE, false, 0, 0, 0, offsetof(struct kinds_exit, key), kinds_set_ptr},
	{"closed", BF_BOOL, false, 0, 0, 0, offsetof(struct kinds_exit, closed), kinds_set_bool},
	{"locked", BF_BOOL, false, 0, 0, 0, offsetof(struct kinds_exit, locked), kinds_set_bool},
	{"hidden", BF_BOOL, false, 0, 0, 0, offsetof(struct kinds_exit, hidden), kinds_set_bool},
	{"pickproof", BF_BOOL, false, 0, 0, 0, offsetof(struct kinds_exit, pickproof),
	 kinds_set_bool},
	{"desc", BF_TEXT, false, 0, 0, 0, offsetof(struct kinds_exit, desc), kinds_set_ptr},
	{NULL, BF_INT, false, 0, 0, 0, 0, NULL},
};

/* Builds exit d of r from the string or table at idx. */
static void kinds_exit(struct build *b, struct room *r, enum dir d, int idx)
{
	struct kinds_exit x = {0};
	lua_State *L = b->L;
	size_t len = build_what_push(b, "exit %s", dir_name(d));

	if (lua_type(L, idx) == LUA_TSTRING) {
		if (build_string(b, idx, "to", true, true))
			x.to = lua_tostring(L, idx);
	} else if (lua_type(L, idx) == LUA_TTABLE) {
		build_fields(b, idx, kinds_exit_fields, "an exit", &x, -1);
		if ((x.closed || x.locked || x.key || x.pickproof) && !x.door)
			build_problem(b, "'closed', 'locked', 'key' and 'pickproof' need a door: "
					 "door = \"door\"");
	} else {
		build_problem(b, "must be a room id or a table { to = ..., door = ... }, not a %s",
			      luaL_typename(L, idx));
	}
	build_what_pop(b, len);
	if (!x.to)
		return;
	const char *to = build_ref(b, x.to, XREF_ROOM, lua_pushfstring(L, "exit %s", dir_name(d)));
	if (!to)
		return;
	struct exit *e = world_exit_set(b->w, r, d, to);
	e->flags = 0;
	if (x.door) {
		world_set_str(&e->door_keywords, x.door);
		e->flags |= EXIT_DOOR;
		e->flags |= x.closed || x.locked ? EXIT_CLOSED : 0; /* locked implies closed */
		e->flags |= x.locked ? EXIT_LOCKED : 0;
		e->flags |= x.pickproof ? EXIT_PICKPROOF : 0;
	}
	e->flags |= x.hidden ? EXIT_HIDDEN : 0;
	e->reset_flags = e->flags;
	if (x.desc)
		world_set_str(&e->desc, x.desc);
	if (x.key && x.door) {
		const char *key = build_ref(b, x.key, XREF_ITEM,
					    lua_pushfstring(L, "key of exit %s", dir_name(d)));
		if (key)
			world_set_str(&e->key_id, key);
	}
}

static void kinds_room_exits(struct build *b, const struct bfield *f, int idx, void *obj)
{
	struct room *r = obj;
	lua_State *L = b->L;

	(void)f;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		const char *key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		int d = key ? dir_parse(key) : -1;
		if (key && d >= 0 && strcmp(key, dir_name((enum dir)d)) == 0)
			continue;
		if (!key) {
			build_problem(b, "exits are written direction = \"room\", not [%s]",
				      luaL_typename(L, -1));
		} else if (d >= 0) {
			build_problem(b,
				      "exit '%s': write the direction in full (did you mean "
				      "'%s'?)",
				      key, dir_name((enum dir)d));
		} else {
			struct suggest sg;
			suggest_init(&sg, key);
			for (int k = 0; k < DIR_COUNT; k++)
				suggest_add(&sg, dir_name((enum dir)k));
			if (suggest_best(&sg))
				build_problem(b, "unknown direction '%s' (did you mean '%s'?)", key,
					      suggest_best(&sg));
			else
				build_problem(b,
					      "unknown direction '%s' (north, east, south, west, "
					      "up, down)",
					      key);
		}
	}
	for (int d = 0; d < DIR_COUNT; d++) {
		int top = lua_gettop(L);
		lua_pushstring(L, dir_name((enum dir)d));
		if (lua_rawget(L, idx) != LUA_TNIL)
			kinds_exit(b, r, (enum dir)d, lua_gettop(L));
		lua_settop(L, top);
	}
}

static void kinds_room_coords(struct build *b, const struct bfield *f, int idx, void *obj)
{
	struct room *r = obj;
	int v[3];

	if (!build_ints(b, idx, f->name, v, 3, -1000000, 1000000))
		return;
	r->x = v[0];
	r->y = v[1];
	r->z = v[2];
	r->has_coords = true;
}

static void kinds_room_flags_apply(struct build *b, const struct bfield *f, int idx, void *obj)
{
	((struct room *)obj)->flags = build_flags(b, idx, f->name, kinds_room_flags, "room flag");
}

static void kinds_room_extra(struct build *b, const struct bfield *f, int idx, void *obj)
{
	(void)f;
	build_extra(b, idx, &((struct room *)obj)->extra);
}

static const struct bfield kinds_room_fields[] = {
	{"name", BF_LINE, true, 0, 0, 0, offsetof(struct room, name), NULL},
	{"desc", BF_TEXT, true, 0, 0, 0, offsetof(struct room, desc), NULL},
	{"environment", BF_LINE, false, 0, 0, 0, offsetof(struct room, environment), NULL},
	{"coords", BF_TABLE, false, 0, 0, 0, 0, kinds_room_coords},
	{"flags", BF_TABLE, false, 0, 0, 0, 0, kinds_room_flags_apply},
	{"exits", BF_TABLE, false, 0, 0, 0, 0, kinds_room_exits},
	{"extra", BF_TABLE, false, 0, 0, 0, 0, kinds_room_extra},
	{NULL, BF_INT, false, 0, 0, 0, 0, NULL},
};

static void kinds_room(struct build *b, const char *id, int def)
{
	build_what_push(b, "room '%s'", id);
	if (!build_check_decl_id(b, "room", id))
		return;
	const char *full = kinds_full_id(b, id);
	if (!build_declare(b, XREF_ROOM, full))
		return;
	struct room *r = world_room_new(b->w, b->area, full);
	if (!r) {
		build_problem(b, "the world already has a room '%s'", full);
		return;
	}
	b->sa->rooms++;
	map_put(&b->sa->built[XREF_ROOM], full, r);
	if (!b->sa->first_room)
		b->sa->first_room = xstrdup(full);
	b->evk = EVK_ROOM;
	build_fields(b, def, kinds_room_fields, "a room", r, -1);
	r->triggers = events_collect(b, def, EVK_ROOM, full);
}

/* ---- item ---------------------------------------------------------------------------- */

static void kinds_item_type(struct build *b, const struct bfield *f, int idx, void *obj)
{
	const char *name = lua_tostring(b->L, idx);

	(void)f;
	(void)obj;
	if (item_type_parse(name) >= 0)
		return;
	struct suggest sg;
	suggest_init(&sg, name);
	for (int t = 0; t < ITEM_TYPE_COUNT; t++)
		suggest_add(&sg, item_type_name((enum item_type)t));
	if (suggest_best(&sg)) {
		build_problem(b, "unknown type '%s' (did you mean '%s'?)", name, suggest_best(&sg));
		return;
	}
	struct buf all;
	buf_init(&all, 0);
	for (int t = 0; t < ITEM_TYPE_COUNT; t++)
		buf_printf(&all, "%s%s", t ? ", " : "", item_type_name((enum item_type)t));
	build_problem(b, "unknown type '%s' (known: %s)", name, buf_cstr(&all));
	buf_fini(&all);
}

static void kinds_item_wear(struct build *b, const struct bfield *f, int idx, void *obj)
{
	struct build_flag slots[WEAR_COUNT + 1];

	for (int s = 0; s < WEAR_COUNT; s++)
		slots[s] = (struct build_flag){wear_slot_name((enum wear_slot)s), 1u << s};
	slots[WEAR_COUNT] = (struct build_flag){NULL, 0};
	((struct item_proto *)obj)->wear_slots = build_flags(b, idx, f->name, slots, "wear slot");
}

static void kinds_item_flags_apply(struct build *b, const struct bfield *f, int idx, void *obj)
{
	struct item_proto *p = obj;

	/* closed/locked (containers) are fields of their own, kept apart from these. */
	p->flags = (p->flags & (ITEM_CLOSED | ITEM_LOCKED)) |
		   build_flags(b, idx, f->name, kinds_item_flags, "item flag");
}

static void kinds_item_dice(struct build *b, const struct bfield *f, int idx, void *obj)
{
	int v[2];

	if (build_ints(b, idx, f->name, v, 2, 1, 1000)) {
		((struct item_proto *)obj)->values[0] = v[0];
		((struct item_proto *)obj)->values[1] = v[1];
	}
}

static void kinds_item_noun(struct build *b, const struct bfield *f, int idx, void *obj)
{
	const char *s = lua_tostring(b->L, idx);

	(void)obj;
	for (const char *p = s; *p; p++) {
		if (!(*p >= 'a' && *p <= 'z')) {
			build_problem(b, "'%s' is one lowercase word, like \"slash\"", f->name);
			return;
		}
	}
}

static void kinds_item_closed(struct build *b, const struct bfield *f, int idx, void *obj)
{
	(void)f;
	if (lua_toboolean(b->L, idx))
		((struct item_proto *)obj)->flags |= ITEM_CLOSED;
}

static void kinds_item_locked(struct build *b, const struct bfield *f, int idx, void *obj)
{
	(void)f;
	if (lua_toboolean(b->L, idx)) /* locked implies closed */
		((struct item_proto *)obj)->flags |= ITEM_CLOSED | ITEM_LOCKED;
}

static void kinds_item_key(struct build *b, const struct bfield *f, int idx, void *obj)
{
	const char *key = build_ref(b, lua_tostring(b->L, idx), XREF_ITEM, f->name);

	if (key)
		world_set_str(&((struct item_proto *)obj)->key_id, key);
}

static void kinds_item_extra(struct build *b, const struct bfield *f, int idx, void *obj)
{
	(void)f;
	build_extra(b, idx, &((struct item_proto *)obj)->extra);
}

#define KINDS_VALUE(i) (offsetof(struct item_proto, values) + (i) * sizeof(int))

static const struct bfield kinds_item_fields[] = {
	{"keywords", BF_LINE, true, 0, 0, 0, offsetof(struct item_proto, keywords), NULL},
	{"short", BF_LINE, true, 0, 0, 0, offsetof(struct item_proto, short_desc), NULL},
	{"long", BF_LINE, true, 0, 0, 0, offsetof(struct item_proto, long_desc), NULL},
	{"desc", BF_TEXT, false, 0, 0, 0, offsetof(struct item_proto, desc), NULL},
	{"type", BF_LINE, false, 0, 0, 0, 0, kinds_item_type},
	{"wear", BF_TABLE, false, 0, 0, 0, 0, kinds_item_wear},
	{"flags", BF_TABLE, false, 0, 0, 0, 0, kinds_item_flags_apply},
	{"weight", BF_INT, false, 0, 0, 100000, offsetof(struct item_proto, weight), NULL},
	{"value", BF_INT, false, 0, 0, 1000000000, offsetof(struct item_proto, value), NULL},
	{"level", BF_INT, false, 0, 0, 1000, offsetof(struct item_proto, level), NULL},
	{"hours", BF_INT, false, KINDS_TYPE(ITEM_LIGHT), -1, 100000, KINDS_VALUE(0), NULL},
	{"dice", BF_TABLE, false, KINDS_TYPE(ITEM_WEAPON), 0, 0, 0, kinds_item_dice},
	{"bonus", BF_INT, false, KINDS_TYPE(ITEM_WEAPON), -100, 100, KINDS_VALUE(2), NULL},
	{"noun", BF_LINE, false, KINDS_TYPE(ITEM_WEAPON), 0, 0, 0, kinds_item_noun},
	{"armor", BF_INT, false, KINDS_TYPE(ITEM_ARMOR), 0, 1000, KINDS_VALUE(0), NULL},
	{"capacity", BF_INT, false, KINDS_TYPE(ITEM_CONTAINER), 0, 100000, KINDS_VALUE(0), NULL},
	{"closed", BF_BOOL, false, KINDS_TYPE(ITEM_CONTAINER), 0, 0, 0, kinds_item_closed},
	{"locked", BF_BOOL, false, KINDS_TYPE(ITEM_CONTAINER), 0, 0, 0, kinds_item_locked},
	{"key", BF_LINE, false, KINDS_TYPE(ITEM_CONTAINER), 0, 0, 0, kinds_item_key},
	{"nutrition", BF_INT, false, KINDS_TYPE(ITEM_FOOD) | KINDS_TYPE(ITEM_DRINK), 0, 1000,
	 KINDS_VALUE(0), NULL},
	{"max_world", BF_INT, false, 0, 0, 1000000, offsetof(struct item_proto, max_world), NULL},
	{"extra", BF_TABLE, false, 0, 0, 0, 0, kinds_item_extra},
	{NULL, BF_INT, false, 0, 0, 0, 0, NULL},
};

static void kinds_item(struct build *b, const char *id, int def)
{
	lua_State *L = b->L;

	build_what_push(b, "item '%s'", id);
	if (!build_check_decl_id(b, "item", id))
		return;
	const char *full = kinds_full_id(b, id);
	if (!build_declare(b, XREF_ITEM, full))
		return;
	struct item_proto *p = world_item_proto_new(b->w, b->area, full);
	if (!p) {
		build_problem(b, "the world already has an item '%s'", full);
		return;
	}
	b->sa->items++;
	map_put(&b->sa->built[XREF_ITEM], full, p);
	/* The type decides which fields apply; a bad one is reported with the fields. */
	int type = ITEM_OTHER;
	lua_pushliteral(L, "type");
	if (lua_rawget(L, def) == LUA_TSTRING)
		type = item_type_parse(lua_tostring(L, -1));
	lua_pop(L, 1);
	p->type = type >= 0 ? (enum item_type)type : ITEM_OTHER;
	b->evk = EVK_ITEM;
	build_fields(b, def, kinds_item_fields, "an item", p, type);
	p->triggers = events_collect(b, def, EVK_ITEM, full);
	if (type == ITEM_WEAPON) {
		lua_pushliteral(L, "dice");
		if (lua_rawget(L, def) == LUA_TNIL)
			build_problem(b, "a weapon needs dice = { count, sides }");
		lua_pop(L, 1);
	}
}

/* ---- mob ------------------------------------------------------------------------------ */

static void kinds_mob_damage(struct build *b, const struct bfield *f, int idx, void *obj)
{
	struct mob_proto *p = obj;
	int v[2];

	if (!build_ints(b, idx, f->name, v, 2, 0, 100000))
		return;
	if (v[0] > v[1]) {
		build_problem(b, "'damage' goes from low to high: { %d, %d }", v[1], v[0]);
		return;
	}
	p->damage_lo = v[0];
	p->damage_hi = v[1];
}

static void kinds_mob_flags_apply(struct build *b, const struct bfield *f, int idx, void *obj)
{
	((struct mob_proto *)obj)->flags =
		build_flags(b, idx, f->name, kinds_mob_flags, "mob flag");
}

static const struct bfield kinds_mob_fields[] = {
	{"keywords", BF_LINE, true, 0, 0, 0, offsetof(struct mob_proto, keywords), NULL},
	{"short", BF_LINE, true, 0, 0, 0, offsetof(struct mob_proto, short_desc), NULL},
	{"long", BF_LINE, true, 0, 0, 0, offsetof(struct mob_proto, long_desc), NULL},
	{"desc", BF_TEXT, false, 0, 0, 0, offsetof(struct mob_proto, desc), NULL},
	{"level", BF_INT, false, 0, 0, 1000, offsetof(struct mob_proto, level), NULL},
	{"hp", BF_INT, false, 0, 1, 10000000, offsetof(struct mob_proto, hp), NULL},
	{"mana", BF_INT, false, 0, 0, 10000000, offsetof(struct mob_proto, mana), NULL},
	{"move", BF_INT, false, 0, 0, 10000000, offsetof(struct mob_proto, move), NULL},
	{"damage", BF_TABLE, false, 0, 0, 0, 0, kinds_mob_damage},
	{"armor", BF_INT, false, 0, -1000, 1000, offsetof(struct mob_proto, armor), NULL},
	{"gold", BF_INT, false, 0, 0, 1000000000, offsetof(struct mob_proto, gold), NULL},
	{"flags", BF_TABLE, false, 0, 0, 0, 0, kinds_mob_flags_apply},
	{"behaviors", BF_TABLE, false, 0, 0, 0, 0, kinds_checked_elsewhere},
	{NULL, BF_INT, false, 0, 0, 0, 0, NULL},
};

static void kinds_mob(struct build *b, const char *id, int def)
{
	build_what_push(b, "mob '%s'", id);
	if (!build_check_decl_id(b, "mob", id))
		return;
	const char *full = kinds_full_id(b, id);
	if (!build_declare(b, XREF_MOB, full))
		return;
	struct mob_proto *p = world_mob_proto_new(b->w, b->area, full);
	if (!p) {
		build_problem(b, "the world already has a mob '%s'", full);
		return;
	}
	b->sa->mobs++;
	map_put(&b->sa->built[XREF_MOB], full, p);
	b->evk = EVK_MOB;
	build_fields(b, def, kinds_mob_fields, "a mob", p, -1);
	p->triggers = events_collect(b, def, EVK_MOB, full);
}

/* ---- spawn ---------------------------------------------------------------------------- */

struct kinds_spawn {
	const char *mob, *item, *room, *container;
	bool has_wear, has_carry;
	int max;
};

static void kinds_spawn_list(struct build *b, const struct bfield *f, int idx, void *obj)
{
	struct kinds_spawn *sp = obj;

	if (build_string_list(b, idx, f->name) < 0)
		return;
	if (strcmp(f->name, "wear") == 0)
		sp->has_wear = true;
	else
		sp->has_carry = true;
}

static const struct bfield kinds_spawn_fields[] = {
	{"mob", BF_LINE, false, 0, 0, 0, offsetof(struct kinds_spawn, mob), kinds_set_ptr},
	{"item", BF_LINE, false, 0, 0, 0, offsetof(struct kinds_spawn, item), kinds_set_ptr},
	{"room", BF_LINE, true, 0, 0, 0, offsetof(struct kinds_spawn, room), kinds_set_ptr},
	{"max", BF_INT, false, 0, 1, 100, offsetof(struct kinds_spawn, max), NULL},
	{"wear", BF_TABLE, false, 0, 0, 0, 0, kinds_spawn_list},
	{"carry", BF_TABLE, false, 0, 0, 0, 0, kinds_spawn_list},
	{"container", BF_LINE, false, 0, 0, 0, offsetof(struct kinds_spawn, container),
	 kinds_set_ptr},
	{NULL, BF_INT, false, 0, 0, 0, 0, NULL},
};

/* The ids of list field name of def, as a NULL-terminated array of full ids owned by *out. */
static void kinds_spawn_items(struct build *b, int def, const char *name, char ***out)
{
	lua_State *L = b->L;

	lua_pushstring(L, name);
	lua_rawget(L, def);
	int list = lua_gettop(L);
	lua_Integer n = (lua_Integer)lua_rawlen(L, list);
	*out = xcalloc((size_t)n + 1, sizeof(**out)); /* owned by the spawn from here */
	size_t k = 0;
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, list, i);
		const char *id =
			build_ref(b, lua_tostring(L, -1),
				  strcmp(name, "wear") == 0 ? XREF_WEARABLE : XREF_ITEM, name);
		if (id)
			(*out)[k++] = xstrdup(id);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

static void kinds_spawn(struct build *b, const char *id, int def)
{
	struct kinds_spawn sp = {.max = 1};
	lua_State *L = b->L;

	(void)id;
	size_t len = build_what_push(b, "spawn");
	/* (struct kinds_spawn).max is an int member: build_store() fills it. */
	build_fields(b, def, kinds_spawn_fields, "a spawn", &sp, -1);
	if (!sp.mob == !sp.item) {
		build_problem(b, sp.mob ? "names both a mob and an item: one spawn places one thing"
					: "needs mob = \"id\" or item = \"id\"");
		return;
	}
	if (sp.item && (sp.has_wear || sp.has_carry))
		build_problem(b, "'wear' and 'carry' are for mob spawns");
	if (sp.mob && sp.container)
		build_problem(b, "'container' is for item spawns");
	const char *what = sp.mob ? sp.mob : sp.item;
	build_what_pop(b, len);
	build_what_push(b, "spawn of '%s'", what);
	const char *proto = build_ref(b, what, sp.mob ? XREF_MOB : XREF_ITEM, NULL);
	if (!proto || !sp.room)
		return;
	proto = lua_pushstring(L, proto); /* build_ref's buffer is reused below */
	const char *room = build_ref(b, sp.room, XREF_ROOM, "room");
	if (!room)
		return;
	struct spawn *s =
		world_spawn_add(b->w, b->area, sp.mob ? REF_CHAR : REF_ITEM, proto, room, sp.max);
	b->sa->spawns++;
	if (b->sa->spawn_n == b->sa->spawn_cap) {
		b->sa->spawn_cap = b->sa->spawn_cap ? b->sa->spawn_cap * 2 : 16;
		b->sa->spawn_v =
			xreallocarray(b->sa->spawn_v, b->sa->spawn_cap, sizeof(*b->sa->spawn_v));
	}
	b->sa->spawn_v[b->sa->spawn_n++] = s;
	if (sp.item && sp.container) {
		const char *c = build_ref(b, sp.container, XREF_CONTAINER, "container");
		if (c)
			world_set_str(&s->container_id, c);
	}
	if (sp.mob && sp.has_wear)
		kinds_spawn_items(b, def, "wear", &s->wear);
	if (sp.mob && sp.has_carry)
		kinds_spawn_items(b, def, "carry", &s->carry);
}

/* ---- dispatch ------------------------------------------------------------------------- */

kinds_build_fn kinds_find(const char *kind)
{
	static const struct {
		const char *name;
		kinds_build_fn fn;
	} kinds[] = {
		{"area", kinds_area}, {"room", kinds_room},   {"item", kinds_item},
		{"mob", kinds_mob},   {"spawn", kinds_spawn},
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, kind) == 0)
			return kinds[i].fn;
	return NULL;
}
