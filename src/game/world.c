/*
 * world.c: the world's lifetime, its handle table, the name tables of
 * world.h, building (areas, rooms, prototypes, exits, spawns) and lookups.
 *
 * Start reading at world_new() and world_free(). The other core files:
 * resolve.c (world_resolve), reset.c (area resets), item.c and character.c
 * (instances and where they are), player.c (players in and out of the
 * world), save.c (players to and from JSON), pulse.c (world_pulse).
 */
#include "game/world.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "game/internal.h"
#include "base/banned.h"

/* A ref packs (generation << 24 | slot). */
#define WORLD_SLOT_BITS 24
#define WORLD_SLOT_MASK ((1u << WORLD_SLOT_BITS) - 1)

/* ---- name tables ------------------------------------------------------------ */

static const char *const world_dir_names[DIR_COUNT] = {"north", "east", "south",
						       "west",	"up",	"down"};

const char *dir_name(enum dir d)
{
	return (unsigned)d < DIR_COUNT ? world_dir_names[d] : "nowhere";
}

enum dir dir_reverse(enum dir d)
{
	static const enum dir rev[DIR_COUNT] = {DIR_SOUTH, DIR_WEST, DIR_NORTH,
						DIR_EAST,  DIR_DOWN, DIR_UP};
	assert((unsigned)d < DIR_COUNT);
	return rev[d];
}

int dir_parse(const char *word)
{
	if (!word || !*word)
		return -1;
	for (int d = 0; d < DIR_COUNT; d++) {
		if (str_eq_nocase(word, world_dir_names[d]))
			return d;
		if (!word[1] && (word[0] | 0x20) == world_dir_names[d][0])
			return d;
	}
	return -1;
}

static const char *const world_item_type_names[ITEM_TYPE_COUNT] = {
	"other", "weapon", "armor", "container", "key", "food", "drink", "light", "treasure"};

const char *item_type_name(enum item_type t)
{
	return (unsigned)t < ITEM_TYPE_COUNT ? world_item_type_names[t] : "other";
}

/* Index of name in a table of n names (case-insensitive), or -1. */
static int world_table_find(const char *const *names, int n, const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < n; i++)
		if (str_eq_nocase(name, names[i]))
			return i;
	return -1;
}

int item_type_parse(const char *name)
{
	return world_table_find(world_item_type_names, ITEM_TYPE_COUNT, name);
}

static const char *const world_wear_names[WEAR_COUNT] = {
	"light", "head", "neck", "body",   "arms",  "hands", "finger",
	"waist", "legs", "feet", "shield", "wield", "hold"};

const char *wear_slot_name(enum wear_slot s)
{
	return (unsigned)s < WEAR_COUNT ? world_wear_names[s] : "nowhere";
}

int wear_slot_parse(const char *name)
{
	return world_table_find(world_wear_names, WEAR_COUNT, name);
}

/* Subject, object, possessive, reflexive: one row per enum pronouns. */
static const char *const world_pronoun_words[3][4] = {
	{"they", "them", "their", "themself"},
	{"he", "him", "his", "himself"},
	{"she", "her", "her", "herself"},
};

const char *pronouns_name(enum pronouns p)
{
	return (unsigned)p < 3 ? world_pronoun_words[p][0] : "they";
}

int pronouns_parse(const char *word)
{
	for (int p = 0; p < 3; p++)
		if (str_eq_nocase(word ? word : "", world_pronoun_words[p][0]) ||
		    str_eq_nocase(word ? word : "", world_pronoun_words[p][1]))
			return p;
	return -1;
}

static const char *world_pronoun(const struct character *ch, int form)
{
	unsigned p = ch ? (unsigned)ch->pronouns : 0;
	return world_pronoun_words[p < 3 ? p : 0][form];
}

const char *world_pronoun_subj(const struct character *ch)
{
	return world_pronoun(ch, 0);
}

const char *world_pronoun_obj(const struct character *ch)
{
	return world_pronoun(ch, 1);
}

const char *world_pronoun_poss(const struct character *ch)
{
	return world_pronoun(ch, 2);
}

const char *world_pronoun_self(const struct character *ch)
{
	return world_pronoun(ch, 3);
}

/* ---- handles ------------------------------------------------------------------ */

ref_t world_ref_alloc(struct world *w, enum ref_kind kind, void *obj)
{
	uint32_t slot;

	if (w->free_head) {
		slot = w->free_head - 1;
		w->free_head = w->slots[slot].next_free;
	} else {
		if (w->slot_n == w->slot_cap) {
			w->slot_cap = w->slot_cap ? w->slot_cap * 2 : 256;
			w->slots = xreallocarray(w->slots, w->slot_cap, sizeof(*w->slots));
		}
		assert(w->slot_n <= WORLD_SLOT_MASK);
		slot = w->slot_n++;
		w->slots[slot].gen = 1;
	}
	struct world_slot *s = &w->slots[slot];
	s->ptr = obj;
	s->kind = kind;
	s->next_free = 0;
	return ((ref_t)s->gen << WORLD_SLOT_BITS) | slot;
}

void world_ref_release(struct world *w, ref_t ref)
{
	uint32_t slot = (uint32_t)(ref & WORLD_SLOT_MASK);

	assert(slot < w->slot_n && w->slots[slot].ptr);
	/* The script layer forgets the object (timers, waits) while its ref still resolves. */
	if (!w->freeing && w->script_ops.destroyed)
		w->script_ops.destroyed(w->script_ops.ud, ref);
	struct world_slot *s = &w->slots[slot];
	s->ptr = NULL;
	s->kind = REF_NONE;
	s->gen++;
	if (s->gen == 0 || s->gen >= (1u << 31))
		s->gen = 1;
	s->next_free = w->free_head;
	w->free_head = slot + 1;
}

static const struct world_slot *world_ref_slot(const struct world *w, ref_t ref)
{
	uint32_t slot = (uint32_t)(ref & WORLD_SLOT_MASK);
	uint64_t gen = ref >> WORLD_SLOT_BITS;

	if (ref == 0 || slot >= w->slot_n)
		return NULL;
	const struct world_slot *s = &w->slots[slot];
	if (!s->ptr || s->gen != gen)
		return NULL;
	return s;
}

enum ref_kind world_ref_kind(const struct world *w, ref_t ref)
{
	const struct world_slot *s = world_ref_slot(w, ref);
	return s ? s->kind : REF_NONE;
}

static void *world_ref_get(const struct world *w, ref_t ref, enum ref_kind kind)
{
	const struct world_slot *s = world_ref_slot(w, ref);
	return s && s->kind == kind ? s->ptr : NULL;
}

struct room *world_ref_room(const struct world *w, ref_t ref)
{
	return world_ref_get(w, ref, REF_ROOM);
}

struct item *world_ref_item(const struct world *w, ref_t ref)
{
	return world_ref_get(w, ref, REF_ITEM);
}

struct character *world_ref_char(const struct world *w, ref_t ref)
{
	return world_ref_get(w, ref, REF_CHAR);
}

/* ---- lifetime ----------------------------------------------------------------- */

struct world *world_new(struct log *lg, const struct world_ops *ops, const struct world_config *cfg)
{
	struct world *w = xcalloc(1, sizeof(*w));

	w->log = lg;
	if (ops)
		w->ops = *ops;
	if (cfg)
		w->cfg = *cfg;
	w->cfg_start_room = w->cfg.start_room ? xstrdup(w->cfg.start_room) : NULL;
	w->cfg_mud_name = xstrdup(w->cfg.mud_name ? w->cfg.mud_name : "Forgotten Ruin");
	w->cfg.start_room = w->cfg_start_room;
	w->cfg.mud_name = w->cfg_mud_name;
	if (w->cfg.autosave_s <= 0)
		w->cfg.autosave_s = 300;
	if (w->cfg.linkdead_timeout_s <= 0)
		w->cfg.linkdead_timeout_s = 600;
	if (w->cfg.idle_timeout_s < 0)
		w->cfg.idle_timeout_s = 0;
	w->next_autosave_ms = (int64_t)w->cfg.autosave_s * 1000;

	map_init(&w->areas, false);
	map_init(&w->rooms, false);
	map_init(&w->item_protos, false);
	map_init(&w->mob_protos, false);
	map_init(&w->room_nums, false);
	map_init(&w->players, true);
	dlist_init(&w->chars);
	dlist_init(&w->room_info_due);
	dlist_init(&w->dead_chars);
	dlist_init(&w->dead_items);
	world_seed(w, (uint64_t)clock_mono_us() ^ ((uint64_t)clock_wall_s() << 20));
	weather_init(w);
	return w;
}

static void world_extra_free(struct extra_desc *e)
{
	while (e) {
		struct extra_desc *next = e->next;
		free(e->keywords);
		free(e->text);
		free(e);
		e = next;
	}
}

static void world_room_free(struct room *r)
{
	for (int d = 0; d < DIR_COUNT; d++) {
		struct exit *x = r->exits[d];
		if (!x)
			continue;
		free(x->to_id);
		free(x->door_keywords);
		free(x->key_id);
		free(x->desc);
		free(x);
	}
	world_extra_free(r->extra);
	free(r->id);
	free(r->name);
	free(r->desc);
	free(r->environment);
	free(r->info_memo);
	free(r);
}

static void world_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void world_item_proto_free(struct item_proto *p)
{
	if (!p)
		return;
	free(p->id);
	free(p->keywords);
	free(p->short_desc);
	free(p->long_desc);
	free(p->desc);
	free(p->key_id);
	world_extra_free(p->extra);
	free(p);
}

void world_free(struct world *w)
{
	if (!w)
		return;
	w->freeing = true;
	/*
	 * Every item and character, wherever it is (placed, carried, extracted
	 * or nowhere), holds a slot. Characters go first, with what they
	 * carry; then every item still holding a slot is freed on its own,
	 * without walking its contents (they hold slots of their own).
	 */
	for (uint32_t i = 0; i < w->slot_n; i++)
		if (w->slots[i].kind == REF_CHAR)
			world_char_destroy(w, w->slots[i].ptr);
	for (uint32_t i = 0; i < w->slot_n; i++)
		if (w->slots[i].kind == REF_ITEM)
			free(w->slots[i].ptr);
	for (size_t i = 0; i < w->room_n; i++)
		world_room_free(w->room_vec[i]);
	free(w->room_vec);

	size_t pos = 0;
	const char *key;
	void *val;
	while (map_next(&w->item_protos, &pos, &key, &val))
		world_item_proto_free(val);
	world_item_proto_free(w->mote_proto);
	pos = 0;
	while (map_next(&w->mob_protos, &pos, &key, &val)) {
		struct mob_proto *p = val;
		world_item_proto_free(p->corpse);
		free(p->id);
		free(p->keywords);
		free(p->short_desc);
		free(p->long_desc);
		free(p->desc);
		free(p);
	}
	for (struct spawn *sp = w->spawn_first, *next; sp; sp = next) {
		next = sp->next;
		free(sp->proto_id);
		free(sp->room_id);
		free(sp->container_id);
		world_strv_free(sp->carry);
		world_strv_free(sp->wear);
		free(sp);
	}
	for (struct area *a = w->area_first, *next; a; a = next) {
		next = a->next;
		free(a->id);
		free(a->name);
		free(a->author);
		free(a->file);
		free(a->reset_message);
		free(a);
	}
	map_fini(&w->areas);
	map_fini(&w->rooms);
	map_fini(&w->item_protos);
	map_fini(&w->mob_protos);
	map_fini(&w->room_nums);
	map_fini(&w->players);
	free(w->slots);
	free(w->cfg_start_room);
	free(w->cfg_mud_name);
	free(w);
}

struct log *world_log(const struct world *w)
{
	return w->log;
}

void world_set_timeouts(struct world *w, int linkdead_timeout_s, int autosave_s, int idle_timeout_s)
{
	if (linkdead_timeout_s > 0)
		w->cfg.linkdead_timeout_s = linkdead_timeout_s;
	if (autosave_s > 0 && autosave_s != w->cfg.autosave_s) {
		w->cfg.autosave_s = autosave_s;
		w->next_autosave_ms = w->now_ms + (int64_t)autosave_s * 1000;
	}
	if (idle_timeout_s >= 0)
		w->cfg.idle_timeout_s = idle_timeout_s;
}

int64_t world_now_ms(const struct world *w)
{
	return w->now_ms;
}

/* ---- building ------------------------------------------------------------------ */

void world_set_str(char **field, const char *s)
{
	char *copy = s ? xstrdup(s) : NULL;
	free(*field);
	*field = copy;
}

struct area *world_area_new(struct world *w, const char *id)
{
	if (!id || !*id || map_has(&w->areas, id))
		return NULL;
	struct area *a = xcalloc(1, sizeof(*a));
	a->id = xstrdup(id);
	a->name = xstrdup(id);
	a->level_hi = 1;
	a->level_lo = 1;
	map_put(&w->areas, id, a);
	if (w->area_last)
		w->area_last->next = a;
	else
		w->area_first = a;
	w->area_last = a;
	return a;
}

/* Gives room a stable number from its id: the hash, probing past collisions. */
static void world_room_number(struct world *w, struct room *r)
{
	char key[16];
	uint32_t num = map_hash(r->id, false) & 0x7fffffffu;

	for (;;) {
		if (num == 0)
			num = 1;
		snprintf(key, sizeof(key), "%u", (unsigned)num);
		if (!map_has(&w->room_nums, key))
			break;
		num = (num + 1) & 0x7fffffffu;
	}
	r->num = (int)num;
	map_put(&w->room_nums, key, r);
}

struct room *world_room_new(struct world *w, struct area *area, const char *full_id)
{
	if (!full_id || !*full_id || map_has(&w->rooms, full_id))
		return NULL;
	struct room *r = xcalloc(1, sizeof(*r));
	r->id = xstrdup(full_id);
	r->area = area;
	dlist_init(&r->items);
	dlist_init(&r->people);
	dlink_init(&r->info_due);
	r->info_sent_ms = -1;
	r->ref = world_ref_alloc(w, REF_ROOM, r);
	r->sky = &w->sky;
	world_room_number(w, r);
	map_put(&w->rooms, full_id, r);
	if (w->room_n == w->room_cap) {
		w->room_cap = w->room_cap ? w->room_cap * 2 : 64;
		w->room_vec = xreallocarray(w->room_vec, w->room_cap, sizeof(*w->room_vec));
	}
	w->room_vec[w->room_n++] = r;
	if (area)
		area->room_count++;
	return r;
}

struct item_proto *world_item_proto_new(struct world *w, struct area *area, const char *full_id)
{
	if (!full_id || !*full_id || map_has(&w->item_protos, full_id))
		return NULL;
	struct item_proto *p = xcalloc(1, sizeof(*p));
	p->id = xstrdup(full_id);
	p->area = area;
	map_put(&w->item_protos, full_id, p);
	return p;
}

struct mob_proto *world_mob_proto_new(struct world *w, struct area *area, const char *full_id)
{
	if (!full_id || !*full_id || map_has(&w->mob_protos, full_id))
		return NULL;
	struct mob_proto *p = xcalloc(1, sizeof(*p));
	p->id = xstrdup(full_id);
	p->area = area;
	p->hp = 1;
	map_put(&w->mob_protos, full_id, p);
	return p;
}

struct exit *world_exit_set(struct world *w, struct room *room, enum dir d, const char *to_id)
{
	(void)w;
	assert((unsigned)d < DIR_COUNT);
	struct exit *x = room->exits[d];
	if (!x) {
		x = xcalloc(1, sizeof(*x));
		room->exits[d] = x;
	}
	world_set_str(&x->to_id, to_id);
	x->to = NULL;
	return x;
}

void world_extra_add(struct extra_desc **list, const char *keywords, const char *text)
{
	struct extra_desc *e = xcalloc(1, sizeof(*e));
	e->keywords = xstrdup(keywords ? keywords : "");
	e->text = xstrdup(text ? text : "");
	while (*list)
		list = &(*list)->next;
	*list = e;
}

struct spawn *world_spawn_add(struct world *w, struct area *area, enum ref_kind kind,
			      const char *proto_id, const char *room_id, int max)
{
	struct spawn *sp = xcalloc(1, sizeof(*sp));
	sp->kind = kind;
	sp->proto_id = xstrdup(proto_id ? proto_id : "");
	sp->room_id = xstrdup(room_id ? room_id : "");
	sp->max = max;
	sp->area = area;
	if (w->spawn_last)
		w->spawn_last->next = sp;
	else
		w->spawn_first = sp;
	w->spawn_last = sp;
	return sp;
}

void world_qualify(const struct area *area, const char *id, struct buf *out)
{
	buf_clear(out);
	if (!id)
		return;
	if (strchr(id, ':') || !area)
		buf_puts(out, id);
	else
		buf_printf(out, "%s:%s", area->id, id);
}

/* ---- lookups ------------------------------------------------------------------- */

struct area *world_find_area(const struct world *w, const char *id)
{
	return id ? map_get(&w->areas, id) : NULL;
}

struct room *world_find_room(const struct world *w, const char *full_id)
{
	return full_id ? map_get(&w->rooms, full_id) : NULL;
}

struct item_proto *world_find_item_proto(const struct world *w, const char *full_id)
{
	return full_id ? map_get(&w->item_protos, full_id) : NULL;
}

struct mob_proto *world_find_mob_proto(const struct world *w, const char *full_id)
{
	return full_id ? map_get(&w->mob_protos, full_id) : NULL;
}

struct area *world_areas(const struct world *w)
{
	return w->area_first;
}

size_t world_room_count(const struct world *w)
{
	return w->room_n;
}

struct room *world_start_room(const struct world *w)
{
	return w->start_room;
}

/* ---- helpers for the command files ---------------------------------------------- */

const char *world_char_name(const struct character *ch)
{
	if (!ch)
		return "someone";
	if (ch->name)
		return ch->name;
	if (ch->short_desc)
		return ch->short_desc;
	return "someone";
}

const char *world_item_name(const struct item *it)
{
	if (it && it->proto && it->proto->short_desc)
		return it->proto->short_desc;
	return "something";
}

/* Environments whose own lamps keep them lit at night. */
static const char *const world_lamplit[] = {"village", "city", "inside", "cave", NULL};

bool world_room_outdoors(const struct room *room)
{
	const char *env = room ? room->environment : NULL;

	if (!room || (room->flags & ROOM_INDOORS))
		return false;
	return !env || (!str_eq_nocase(env, "inside") && !str_eq_nocase(env, "cave"));
}

/* True if night has fallen on room: outdoors, away from a village's lamps. */
static bool world_room_night_dark(const struct room *room)
{
	if (!room->sky || room->sky->period != PERIOD_NIGHT || !world_room_outdoors(room))
		return false;
	for (size_t i = 0; room->environment && world_lamplit[i]; i++)
		if (str_eq_nocase(room->environment, world_lamplit[i]))
			return false;
	return true;
}

bool world_room_is_lit(const struct room *room)
{
	if (!room)
		return false;
	if (room->light > 0)
		return true;
	return !(room->flags & ROOM_DARK) && !world_room_night_dark(room);
}

/* ---- random numbers ------------------------------------------------------------- */

void world_seed(struct world *w, uint64_t seed)
{
	w->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
}

/* splitmix64: small, fast, and good enough for dice. */
static uint64_t world_rand_next(struct world *w)
{
	uint64_t z = (w->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int world_rand(struct world *w, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	uint64_t span = (uint64_t)((int64_t)hi - lo) + 1;
	return (int)((int64_t)lo + (int64_t)(world_rand_next(w) % span));
}

bool world_chance(struct world *w, int pct)
{
	return world_rand(w, 1, 100) <= pct;
}

void world_send_room(struct world *w, const struct room *room, const struct character *except,
		     const char *markup)
{
	if (!room || !markup || !w->ops.send)
		return;
	size_t n = strlen(markup);
	DLIST_FOREACH(&room->people, l)
	{
		struct character *ch = dlist_entry(l, struct character, room_link);
		if (ch == except || !ch->pc || !ch->pc->session)
			continue;
		w->ops.send(w->ops.ud, ch->pc->session, markup, n);
	}
}

void world_mark_dirty(struct character *ch)
{
	if (ch && ch->pc)
		ch->pc->dirty = true;
}
