/*
 * xref.c: the references between declarations, checked once every area is
 * built, and world_resolve() with its messages merged in.
 *
 * Start reading at xref_check(). build_ref() (build.c) recorded every id a
 * declaration names, with the file, line and context it was written in;
 * here each is looked up in the world. An unknown id gets a "did you mean"
 * from the ids declared of that kind, or the nearest area's name when its
 * area does not exist; ids into an area whose files failed to run are
 * skipped, since that area's own error says it all. xref_resolve() then
 * runs world_resolve() and keeps only the lines about something not already
 * reported here with a file and line.
 */
#include "script/internal.h"

#include <string.h>

#include "base/buf.h"
#include "base/map.h"
#include "game/world.h"
#include "base/banned.h"

static const char *const xref_noun[] = {
	[XREF_ROOM] = "room",	   [XREF_ITEM] = "item",     [XREF_MOB] = "mob",
	[XREF_CONTAINER] = "item", [XREF_WEARABLE] = "item",
};

/* The declaration map that holds ids of what a reference of kind must name. */
static const struct map *xref_map(const struct load_ctx *lc, enum xref_kind kind)
{
	switch (kind) {
	case XREF_ROOM:
		return &lc->decl[XREF_ROOM];
	case XREF_MOB:
		return &lc->decl[XREF_MOB];
	case XREF_ITEM:
	case XREF_CONTAINER:
	case XREF_WEARABLE:
		break;
	}
	return &lc->decl[XREF_ITEM];
}

/* Reports an unknown id, with a suggestion from what was declared. */
static void xref_unknown(struct load_ctx *lc, const struct xref *x, struct buf *hint)
{
	const char *colon = strchr(x->id, ':');
	struct buf area;
	struct suggest sg;

	buf_clear(hint);
	buf_init(&area, 0);
	buf_append(&area, x->id, colon ? (size_t)(colon - x->id) : 0);
	const struct world *w = lc->w_real ? lc->w_real : lc->w;
	if (!world_find_area(w, buf_cstr(&area))) {
		suggest_init(&sg, buf_cstr(&area));
		for (struct area *a = world_areas(w); a; a = a->next)
			suggest_add(&sg, a->id);
		buf_printf(hint, " (there is no area '%s'", buf_cstr(&area));
		if (suggest_best(&sg))
			buf_printf(hint, "; did you mean '%s'?", suggest_best(&sg));
		buf_putc(hint, ')');
	} else {
		const struct map *m = xref_map(lc, x->kind);
		size_t pos = 0;
		const char *key;
		void *val;
		suggest_init(&sg, x->id);
		while (map_next(m, &pos, &key, &val))
			suggest_add(&sg, key);
		suggest_hint(&sg, hint);
	}
	buf_fini(&area);
	load_problem(lc, x->file, x->line, "%s: unknown %s '%s'%s", x->what, xref_noun[x->kind],
		     x->id, buf_cstr(hint));
}

void xref_check(struct load_ctx *lc)
{
	struct buf hint, area;

	buf_init(&hint, 0);
	buf_init(&area, 0);
	for (size_t i = 0; i < lc->xref_n; i++) {
		const struct xref *x = &lc->xrefs[i];
		const char *colon = strchr(x->id, ':');
		buf_clear(&area);
		buf_append(&area, x->id, colon ? (size_t)(colon - x->id) : 0);
		if (map_has(&lc->failed_areas, buf_cstr(&area)))
			continue; /* its own error was reported */
		const struct item_proto *ip = NULL;
		/* A reload looks up other areas' ids in the running world. */
		const struct world *w = lc->w_real && strcmp(buf_cstr(&area), lc->reload_area) != 0
						? lc->w_real
						: lc->w;
		bool found;
		switch (x->kind) {
		case XREF_ROOM:
			found = world_find_room(w, x->id) != NULL;
			break;
		case XREF_MOB:
			found = world_find_mob_proto(w, x->id) != NULL;
			break;
		case XREF_ITEM:
		case XREF_CONTAINER:
		case XREF_WEARABLE:
		default:
			ip = world_find_item_proto(w, x->id);
			found = ip != NULL;
			break;
		}
		if (!found) {
			xref_unknown(lc, x, &hint);
			map_put(&lc->reported, x->id, NULL);
		} else if (x->kind == XREF_CONTAINER && ip->type != ITEM_CONTAINER) {
			load_problem(lc, x->file, x->line,
				     "%s: item '%s' is not a container (its type is %s)", x->what,
				     x->id, item_type_name(ip->type));
			map_put(&lc->reported, x->id, NULL);
		} else if (x->kind == XREF_WEARABLE && !ip->wear_slots) {
			load_problem(lc, x->file, x->line,
				     "%s: item '%s' cannot be worn (it has no wear slots)", x->what,
				     x->id);
			map_put(&lc->reported, x->id, NULL);
		}
	}
	buf_fini(&hint);
	buf_fini(&area);
}

/* Does line mention an id already reported, or an area that failed to load? */
static bool xref_already_said(const struct load_ctx *lc, const char *line, size_t n,
			      struct buf *needle)
{
	const struct map *maps[] = {&lc->reported, &lc->failed_areas};

	for (size_t k = 0; k < 2; k++) {
		size_t pos = 0;
		const char *key;
		void *val;
		while (map_next(maps[k], &pos, &key, &val)) {
			buf_clear(needle);
			buf_printf(needle, k == 0 ? "'%s'" : "'%s:", key);
			for (size_t i = 0; i + needle->len <= n; i++)
				if (memcmp(line + i, needle->data, needle->len) == 0)
					return true;
		}
	}
	return false;
}

void xref_resolve(struct load_ctx *lc)
{
	struct buf out, needle;

	buf_init(&out, 0);
	buf_init(&needle, 0);
	world_resolve(lc->w, &out);
	for (const char *p = buf_cstr(&out); *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n && !xref_already_said(lc, p, n, &needle)) {
			buf_append(lc->errors, p, n);
			buf_putc(lc->errors, '\n');
			lc->problems++;
		}
		p += n + (e != NULL);
	}
	buf_fini(&out);
	buf_fini(&needle);
}
