/*
 * resolve.c: world_resolve(), which turns the names loading left behind
 * (exit targets, door keys, spawn prototypes and rooms, the start room)
 * into pointers and full ids, and reports every problem at once, one line
 * each, with the area file and a "did you mean" when a known id is close.
 *
 * Start reading at world_resolve().
 */
#include "game/world.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "game/internal.h"
#include "base/banned.h"

/* Ids further apart than this get no suggestion. */
#define RESOLVE_MAX_DISTANCE 2

/* Levenshtein distance between a and b, or RESOLVE_MAX_DISTANCE + 1 if larger. */
static size_t resolve_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if ((la > lb ? la - lb : lb - la) > RESOLVE_MAX_DISTANCE)
		return RESOLVE_MAX_DISTANCE + 1;
	size_t *prev = xcalloc(lb + 1, sizeof(*prev));
	size_t *cur = xcalloc(lb + 1, sizeof(*cur));
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			size_t m = sub < del ? sub : del;
			cur[j] = m < ins ? m : ins;
		}
		size_t *t = prev;
		prev = cur;
		cur = t;
	}
	size_t d = prev[lb];
	free(prev);
	free(cur);
	return d > RESOLVE_MAX_DISTANCE ? RESOLVE_MAX_DISTANCE + 1 : d;
}

/* The key of map closest to id (within the limit), or NULL. */
static const char *resolve_suggest(const struct map *m, const char *id)
{
	const char *best = NULL, *key;
	size_t best_d = RESOLVE_MAX_DISTANCE + 1, pos = 0;
	void *val;

	while (map_next(m, &pos, &key, &val)) {
		size_t d = resolve_distance(id, key);
		/* Ties go to the smaller id, so the message does not depend on hashing. */
		if (d < best_d || (d == best_d && best && strcmp(key, best) < 0)) {
			best_d = d;
			best = key;
		}
	}
	return best;
}

/* Appends " (did you mean 'x'?)" when map has an id close to id. */
static void resolve_hint(struct buf *errors, const struct map *m, const char *id)
{
	const char *s = resolve_suggest(m, id);
	if (s)
		buf_printf(errors, " (did you mean '%s'?)", s);
}

static const char *resolve_file(const struct area *a)
{
	if (!a)
		return "(no area)";
	return a->file ? a->file : a->id;
}

/* Rewrites *id as a full id (qualified by area) and looks it up in m: NULL if unknown. */
static void *resolve_lookup(const struct map *m, const struct area *area, char **id,
			    struct buf *scratch)
{
	world_qualify(area, *id, scratch);
	world_set_str(id, buf_cstr(scratch));
	return map_get(m, *id);
}

static int resolve_exits(struct world *w, struct buf *errors, struct buf *scratch)
{
	int problems = 0;

	for (size_t i = 0; i < w->room_n; i++) {
		struct room *r = w->room_vec[i];
		for (int d = 0; d < DIR_COUNT; d++) {
			struct exit *x = r->exits[d];
			if (!x)
				continue;
			if (!x->reset_flags)
				x->reset_flags = x->flags;
			world_qualify(r->area, x->to_id, scratch);
			x->to = map_get(&w->rooms, buf_cstr(scratch));
			if (!x->to) {
				problems++;
				buf_printf(errors,
					   "%s: room '%s': exit %s leads to unknown room '%s'",
					   resolve_file(r->area), r->id, dir_name(d),
					   buf_cstr(scratch));
				resolve_hint(errors, &w->rooms, buf_cstr(scratch));
				buf_putc(errors, '\n');
			}
			if (x->key_id &&
			    !resolve_lookup(&w->item_protos, r->area, &x->key_id, scratch)) {
				problems++;
				buf_printf(errors, "%s: room '%s': exit %s has unknown key '%s'",
					   resolve_file(r->area), r->id, dir_name(d), x->key_id);
				resolve_hint(errors, &w->item_protos, x->key_id);
				buf_putc(errors, '\n');
			}
		}
	}
	return problems;
}

/* Checks a spawn's carry or wear list; wear items must fit some slot. */
static int resolve_spawn_items(struct world *w, const struct spawn *sp, char **list, bool wear,
			       struct buf *errors, struct buf *scratch)
{
	int problems = 0;

	for (size_t i = 0; list && list[i]; i++) {
		struct item_proto *p = resolve_lookup(&w->item_protos, sp->area, &list[i], scratch);
		if (!p) {
			problems++;
			buf_printf(errors, "%s: spawn of '%s': %s item '%s' is unknown",
				   resolve_file(sp->area), sp->proto_id, wear ? "worn" : "carried",
				   list[i]);
			resolve_hint(errors, &w->item_protos, list[i]);
			buf_putc(errors, '\n');
		} else if (wear && !p->wear_slots) {
			problems++;
			buf_printf(errors, "%s: spawn of '%s': item '%s' cannot be worn\n",
				   resolve_file(sp->area), sp->proto_id, list[i]);
		}
	}
	return problems;
}

static int resolve_spawns(struct world *w, struct buf *errors, struct buf *scratch)
{
	int problems = 0;

	for (struct spawn *sp = w->spawn_first; sp; sp = sp->next) {
		const char *file = resolve_file(sp->area);
		const struct map *protos;
		const char *what;

		if (sp->kind == REF_CHAR) {
			protos = &w->mob_protos;
			what = "mob";
		} else if (sp->kind == REF_ITEM) {
			protos = &w->item_protos;
			what = "item";
		} else {
			problems++;
			buf_printf(errors, "%s: spawn of '%s' is neither a mob nor an item\n", file,
				   sp->proto_id);
			continue;
		}
		if (!resolve_lookup(protos, sp->area, &sp->proto_id, scratch)) {
			problems++;
			buf_printf(errors, "%s: spawn: unknown %s '%s'", file, what, sp->proto_id);
			resolve_hint(errors, protos, sp->proto_id);
			buf_putc(errors, '\n');
		}
		if (!resolve_lookup(&w->rooms, sp->area, &sp->room_id, scratch)) {
			problems++;
			buf_printf(errors, "%s: spawn of '%s': unknown room '%s'", file,
				   sp->proto_id, sp->room_id);
			resolve_hint(errors, &w->rooms, sp->room_id);
			buf_putc(errors, '\n');
		}
		if (sp->container_id) {
			struct item_proto *c = resolve_lookup(&w->item_protos, sp->area,
							      &sp->container_id, scratch);
			if (!c) {
				problems++;
				buf_printf(errors, "%s: spawn of '%s': unknown container '%s'",
					   file, sp->proto_id, sp->container_id);
				resolve_hint(errors, &w->item_protos, sp->container_id);
				buf_putc(errors, '\n');
			} else if (c->type != ITEM_CONTAINER) {
				problems++;
				buf_printf(errors,
					   "%s: spawn of '%s': '%s' is not a container (type %s)\n",
					   file, sp->proto_id, sp->container_id,
					   item_type_name(c->type));
			}
		}
		problems += resolve_spawn_items(w, sp, sp->carry, false, errors, scratch);
		problems += resolve_spawn_items(w, sp, sp->wear, true, errors, scratch);
	}
	return problems;
}

static int resolve_start(struct world *w, struct buf *errors)
{
	w->start_room = NULL;
	if (w->cfg.start_room) {
		w->start_room = map_get(&w->rooms, w->cfg.start_room);
		if (w->start_room)
			return 0;
		buf_printf(errors, "config: start_room '%s' is not a room", w->cfg.start_room);
		resolve_hint(errors, &w->rooms, w->cfg.start_room);
		buf_putc(errors, '\n');
		return 1;
	}
	for (size_t i = 0; i < w->room_n; i++) {
		if (w->room_vec[i]->flags & ROOM_START) {
			w->start_room = w->room_vec[i];
			return 0;
		}
	}
	buf_puts(errors, "world: no start room: flag a room \"start\" or set start_room in the "
			 "config\n");
	return 1;
}

int world_resolve(struct world *w, struct buf *errors)
{
	struct buf scratch, dropped;
	int problems = 0;

	buf_init(&scratch, 0);
	buf_init(&dropped, 0);
	if (!errors)
		errors = &dropped;
	problems += resolve_exits(w, errors, &scratch);
	problems += resolve_spawns(w, errors, &scratch);
	problems += resolve_start(w, errors);
	buf_fini(&scratch);
	buf_fini(&dropped);
	w->resolved = true;
	return problems;
}
