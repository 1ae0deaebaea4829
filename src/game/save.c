/*
 * save.c: a player's whole saved state as one JSON object (the store keeps
 * it as text), and back. Version 1 looks like:
 *
 *   {"version":1, "name":"Ayla", "title":"the newcomer", "prompt":null,
 *    "color":-1, "path":"scout", "pronouns":"she", "desc":null, "level":1,
 *    "exp":0, "hp":24, "max_hp":24, "mana":10, "max_mana":10, "move":120,
 *    "max_move":120, "gold":10, "wimpy":0, "room":"emberfall:square", "recall":null,
 *    "roles":["builder"], "channels_off":0, "created":1767225600,
 *    "played_s":3600,
 *    "inventory":[{"proto":"emberfall:satchel","closed":true,
 *                  "contents":[{"proto":"emberfall:bread","timer":5}]}],
 *    "equipment":[{"proto":"emberfall:lantern","worn":"light","timer":40}]}
 *
 * Fields this version does not know are kept in pc->extra and written back
 * as they were. A record with a wrong type anywhere is refused whole; an
 * item whose prototype is gone is dropped (its contents are kept) with a
 * warning in the log.
 *
 * Start reading at world_player_from_json().
 */
#include "game/world.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/color.h"
#include "base/xalloc.h"
#include "game/internal.h"
#include "base/banned.h"

#define SAVE_VERSION 1
/* Containers nest at most this deep in a record we accept. */
#define SAVE_MAX_DEPTH 16

static const char *const save_known[] = {
	"version", "name",     "title",	    "prompt",	 "color",  "path",  "pronouns",
	"desc",	   "level",    "exp",	    "hp",	 "max_hp", "mana",  "max_mana",
	"move",	   "max_move", "gold",	    "room",	 "recall", "roles", "channels_off",
	"created", "played_s", "inventory", "equipment", "wimpy",  NULL};

static const char *const save_roles[] = {"builder", "admin", NULL};

/* ---- writing ------------------------------------------------------------------ */

static void save_set_str(json_t *o, const char *key, const char *s)
{
	json_object_set_new(o, key, s ? json_string(s) : json_null());
}

static json_t *save_items(const struct dlist *list);

static json_t *save_item(const struct item *it, int worn_on)
{
	json_t *o = json_object();

	json_object_set_new(o, "proto", json_string(it->proto->id));
	if (worn_on >= 0)
		json_object_set_new(o, "worn", json_string(wear_slot_name(worn_on)));
	if (it->timer >= 0)
		json_object_set_new(o, "timer", json_integer(it->timer));
	if (it->flags & ITEM_CLOSED)
		json_object_set_new(o, "closed", json_true());
	if (it->flags & ITEM_LOCKED)
		json_object_set_new(o, "locked", json_true());
	if (!dlist_empty(&it->contents))
		json_object_set_new(o, "contents", save_items(&it->contents));
	return o;
}

static json_t *save_items(const struct dlist *list)
{
	json_t *a = json_array();

	DLIST_FOREACH(list, l)
	{
		const struct item *it = dlist_entry(l, struct item, link);
		if (!(it->flags & ITEM_NOSAVE))
			json_array_append_new(a, save_item(it, -1));
	}
	return a;
}

json_t *world_player_to_json(const struct world *w, const struct character *ch)
{
	const struct player *pc = ch->pc;
	json_t *o = json_object();

	assert(pc);
	if (pc->extra)
		json_object_update(o, pc->extra);
	json_object_set_new(o, "version", json_integer(SAVE_VERSION));
	save_set_str(o, "name", ch->name);
	save_set_str(o, "title", pc->title);
	save_set_str(o, "prompt", pc->prompt);
	json_object_set_new(o, "color", json_integer(pc->color));
	save_set_str(o, "path", pc->path);
	json_object_set_new(o, "pronouns", json_string(pronouns_name(ch->pronouns)));
	save_set_str(o, "desc", ch->desc);
	json_object_set_new(o, "level", json_integer(ch->level));
	json_object_set_new(o, "exp", json_integer(ch->exp));
	json_object_set_new(o, "hp", json_integer(ch->hp));
	json_object_set_new(o, "max_hp", json_integer(ch->max_hp));
	json_object_set_new(o, "mana", json_integer(ch->mana));
	json_object_set_new(o, "max_mana", json_integer(ch->max_mana));
	json_object_set_new(o, "move", json_integer(ch->move));
	json_object_set_new(o, "max_move", json_integer(ch->max_move));
	json_object_set_new(o, "gold", json_integer(ch->gold));
	json_object_set_new(o, "wimpy", json_integer(ch->wimpy));
	save_set_str(o, "room", ch->room ? ch->room->id : pc->load_room);
	save_set_str(o, "recall", pc->recall);

	json_t *roles = json_array();
	for (size_t i = 0; save_roles[i]; i++)
		if (pc->roles & (1u << i))
			json_array_append_new(roles, json_string(save_roles[i]));
	json_object_set_new(o, "roles", roles);
	json_object_set_new(o, "channels_off", json_integer(pc->channels_off));
	json_object_set_new(o, "created", json_integer(pc->created));

	int64_t played = pc->played_s;
	if (map_get(&w->players, ch->name) == ch && w->now_ms > pc->login_ms)
		played += (w->now_ms - pc->login_ms) / 1000;
	json_object_set_new(o, "played_s", json_integer(played));

	json_object_set_new(o, "inventory", save_items(&ch->inventory));
	json_t *eq = json_array();
	for (int s = 0; s < WEAR_COUNT; s++) {
		const struct item *it = ch->equip[s];
		if (it && !(it->flags & ITEM_NOSAVE))
			json_array_append_new(eq, save_item(it, s));
	}
	json_object_set_new(o, "equipment", eq);
	return o;
}

/* ---- reading ------------------------------------------------------------------ */

struct save_reader {
	struct world *w;
	const char *name;
	struct buf *err;
	bool failed;
};

/* Records the first problem only: one clear line beats a cascade. */
static void save_fail(struct save_reader *r, const char *path, const char *want, const json_t *got)
{
	static const char *const type_names[] = {"an object", "an array", "a string", "an integer",
						 "a real",    "true",	  "false",    "null"};
	if (r->failed)
		return;
	r->failed = true;
	if (r->err) {
		int t = got ? (int)json_typeof(got) : -1;
		buf_printf(r->err, "corrupt save for '%s': %s should be %s, not %s", r->name, path,
			   want, t >= 0 && t < 8 ? type_names[t] : "missing");
	}
}

/* Reads an optional integer field into *out (unchanged when absent). */
static void save_get_int(struct save_reader *r, const json_t *o, const char *key, long long lo,
			 long long hi, int64_t *out)
{
	const json_t *v = json_object_get(o, key);
	if (!v)
		return;
	if (!json_is_integer(v)) {
		save_fail(r, key, "an integer", v);
		return;
	}
	long long n = json_integer_value(v);
	*out = n < lo ? lo : n > hi ? hi : n;
}

static void save_get_i(struct save_reader *r, const json_t *o, const char *key, int lo, int *out)
{
	int64_t v = *out;
	save_get_int(r, o, key, lo, 2000000000, &v);
	*out = (int)v;
}

/* Reads an optional string-or-null field into *out (a fresh copy, or NULL). */
static void save_get_str(struct save_reader *r, const json_t *o, const char *key, char **out)
{
	const json_t *v = json_object_get(o, key);
	if (!v)
		return;
	if (json_is_null(v)) {
		world_set_str(out, NULL);
	} else if (json_is_string(v)) {
		world_set_str(out, json_string_value(v));
	} else {
		save_fail(r, key, "a string or null", v);
	}
}

static void save_read_items(struct save_reader *r, const json_t *list, const char *where,
			    struct character *ch, struct item *container, int depth);

/* Reads one item entry into ch's inventory (or equipment), or into container. */
static void save_read_item(struct save_reader *r, const json_t *o, const char *where,
			   struct character *ch, struct item *container, int depth)
{
	if (!json_is_object(o)) {
		save_fail(r, where, "an item object", o);
		return;
	}
	const json_t *proto_id = json_object_get(o, "proto");
	const json_t *worn = json_object_get(o, "worn");
	const json_t *timer = json_object_get(o, "timer");
	const json_t *contents = json_object_get(o, "contents");
	const json_t *closed = json_object_get(o, "closed");
	const json_t *locked = json_object_get(o, "locked");

	if (!json_is_string(proto_id)) {
		save_fail(r, "an item's proto", "a string", proto_id);
		return;
	}
	if (worn && !json_is_string(worn)) {
		save_fail(r, "an item's worn", "a string", worn);
		return;
	}
	if (timer && !json_is_integer(timer)) {
		save_fail(r, "an item's timer", "an integer", timer);
		return;
	}
	if (contents && !json_is_array(contents)) {
		save_fail(r, "an item's contents", "an array", contents);
		return;
	}
	if ((closed && !json_is_boolean(closed)) || (locked && !json_is_boolean(locked))) {
		save_fail(r, "an item's closed/locked", "true or false",
			  closed && !json_is_boolean(closed) ? closed : locked);
		return;
	}

	struct item_proto *proto = world_find_item_proto(r->w, json_string_value(proto_id));
	if (!proto) {
		log_warn(r->w->log, "world: %s's item '%s' no longer exists; dropped", r->name,
			 json_string_value(proto_id));
		if (contents)
			save_read_items(r, contents, where, ch, container, depth + 1);
		return;
	}
	struct item *it = world_item_make(r->w, proto, true);
	if (timer)
		it->timer = (int)json_integer_value(timer);
	if (proto->type == ITEM_CONTAINER) {
		it->flags &= ~(unsigned)(ITEM_CLOSED | ITEM_LOCKED);
		if (json_is_true(closed))
			it->flags |= ITEM_CLOSED;
		if (json_is_true(locked))
			it->flags |= ITEM_LOCKED;
	}
	if (container) {
		item_to_item(it, container);
	} else {
		item_to_char(it, ch);
		int slot = worn ? wear_slot_parse(json_string_value(worn)) : -1;
		if (worn && (slot < 0 || item_equip(ch, it, (enum wear_slot)slot) < 0))
			log_warn(r->w->log, "world: %s's %s cannot be worn on '%s'; carried",
				 r->name, proto->id, json_string_value(worn));
	}
	if (contents)
		save_read_items(r, contents, "an item's contents", ch, it, depth + 1);
}

static void save_read_items(struct save_reader *r, const json_t *list, const char *where,
			    struct character *ch, struct item *container, int depth)
{
	size_t i;
	const json_t *v;

	if (depth > SAVE_MAX_DEPTH) {
		save_fail(r, where, "nested less deeply", list);
		return;
	}
	json_array_foreach(list, i, v)
	{
		if (r->failed)
			return;
		save_read_item(r, v, where, ch, container, depth);
	}
}

static void save_read_roles(struct save_reader *r, const json_t *o, struct player *pc)
{
	const json_t *roles = json_object_get(o, "roles");
	size_t i;
	const json_t *v;

	if (!roles)
		return;
	if (!json_is_array(roles)) {
		save_fail(r, "roles", "an array", roles);
		return;
	}
	json_array_foreach(roles, i, v)
	{
		if (!json_is_string(v)) {
			save_fail(r, "a role", "a string", v);
			return;
		}
		for (size_t k = 0; save_roles[k]; k++)
			if (strcmp(save_roles[k], json_string_value(v)) == 0)
				pc->roles |= 1u << k;
	}
}

static bool save_is_known(const char *key)
{
	for (size_t i = 0; save_known[i]; i++)
		if (strcmp(save_known[i], key) == 0)
			return true;
	return false;
}

/* Every scalar field of the record. */
static void save_read_fields(struct save_reader *r, const json_t *saved, struct character *ch)
{
	struct player *pc = ch->pc;
	int64_t v;
	char *pronouns = NULL;

	save_get_str(r, saved, "title", &pc->title);
	save_get_str(r, saved, "prompt", &pc->prompt);
	save_get_i(r, saved, "color", -1, &pc->color);
	if (pc->color > COLOR_TRUE)
		pc->color = -1;
	save_get_str(r, saved, "path", &pc->path);
	save_get_str(r, saved, "desc", &ch->desc);
	save_get_str(r, saved, "pronouns", &pronouns);
	int p = pronouns ? pronouns_parse(pronouns) : 0;
	ch->pronouns = p > 0 ? (enum pronouns)p : PRONOUNS_THEY;
	free(pronouns);
	save_get_i(r, saved, "level", 1, &ch->level);
	save_get_int(r, saved, "exp", 0, INT64_MAX, &ch->exp);
	save_get_i(r, saved, "max_hp", 1, &ch->max_hp);
	save_get_i(r, saved, "max_mana", 0, &ch->max_mana);
	save_get_i(r, saved, "max_move", 0, &ch->max_move);
	ch->max_hp = ch->max_hp < 1 ? 1 : ch->max_hp;
	ch->hp = ch->max_hp;
	ch->mana = ch->max_mana;
	ch->move = ch->max_move;
	save_get_i(r, saved, "hp", 1, &ch->hp);
	save_get_i(r, saved, "mana", 0, &ch->mana);
	save_get_i(r, saved, "move", 0, &ch->move);
	ch->hp = ch->hp > ch->max_hp ? ch->max_hp : ch->hp;
	ch->mana = ch->mana > ch->max_mana ? ch->max_mana : ch->mana;
	ch->move = ch->move > ch->max_move ? ch->max_move : ch->move;
	save_get_i(r, saved, "gold", 0, &ch->gold);
	save_get_i(r, saved, "wimpy", 0, &ch->wimpy);
	save_get_str(r, saved, "room", &pc->load_room);
	save_get_str(r, saved, "recall", &pc->recall);
	save_read_roles(r, saved, pc);
	v = 0;
	save_get_int(r, saved, "channels_off", 0, UINT32_MAX, &v);
	pc->channels_off = (unsigned)v;
	save_get_int(r, saved, "created", 0, INT64_MAX, &pc->created);
	save_get_int(r, saved, "played_s", 0, INT64_MAX, &pc->played_s);
}

struct character *world_player_from_json(struct world *w, const char *name, json_t *saved,
					 struct buf *err)
{
	struct save_reader r = {.w = w, .name = name ? name : "?", .err = err};
	const char *key;
	json_t *val;

	if (!json_is_object(saved)) {
		save_fail(&r, "the record", "an object", saved);
		return NULL;
	}
	const json_t *version = json_object_get(saved, "version");
	const json_t *saved_name = json_object_get(saved, "name");
	if (!json_is_integer(version) || json_integer_value(version) < 1) {
		save_fail(&r, "version", "a positive integer", version);
		return NULL;
	}
	if (saved_name && !json_is_string(saved_name)) {
		save_fail(&r, "name", "a string", saved_name);
		return NULL;
	}
	if (!name && !saved_name) {
		save_fail(&r, "name", "a string", NULL);
		return NULL;
	}
	if (json_integer_value(version) > SAVE_VERSION)
		log_warn(w->log,
			 "world: %s was saved by a newer version (%lld); reading what we know",
			 r.name, (long long)json_integer_value(version));

	struct character *ch = world_player_alloc(w, name ? name : json_string_value(saved_name));
	r.name = ch->name;
	save_read_fields(&r, saved, ch);
	if (!ch->pc->path)
		ch->pc->path = xstrdup(world_paths[0]);

	const char *lists[] = {"inventory", "equipment"};
	for (size_t i = 0; i < 2 && !r.failed; i++) {
		const json_t *list = json_object_get(saved, lists[i]);
		if (list && !json_is_array(list))
			save_fail(&r, lists[i], "an array", list);
		else if (list)
			save_read_items(&r, list, lists[i], ch, NULL, 0);
	}
	if (r.failed) {
		world_char_destroy(w, ch);
		return NULL;
	}

	json_object_foreach(saved, key, val)
	{
		if (save_is_known(key))
			continue;
		if (!ch->pc->extra)
			ch->pc->extra = json_object();
		json_object_set(ch->pc->extra, key, val);
	}
	return ch;
}
