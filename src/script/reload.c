/*
 * reload.c: live reload of one area (scripts_reload_area in script.h).
 *
 * Start reading at scripts_reload_area(). The new version is loaded into a
 * fresh Lua state and built into a scratch world of its own, so the check
 * is the very one --check runs (every field, every reference; references
 * to other areas are looked up in the running world), and nothing in the
 * running world changes until all of it passed. Only then reload_swap()
 * copies the new rooms, prototypes, spawns and trigger bits into the
 * running world in place, so handles, people and items keep pointing at
 * the same objects, and the new state takes the old one's place.
 *
 * What the world has no call for is done on the public structs of world.h:
 * exits and extra descriptions are replaced (their strings through
 * world_set_str()), and the old spawn rules are detached from the area
 * (sp->area = NULL: they stay valid for world_resolve() and never run),
 * their mobs handed over to the new rules that repeat them.
 * A room the new version drops cannot be freed without a world.h call for
 * it, so it is emptied (its occupants moved to the area's first room), its
 * exits and triggers cleared, and it lingers unreachable until a restart.
 */
#include "script/internal.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* ---- copying from the scratch world ------------------------------------------- */

static void reload_free_extra(struct extra_desc **list)
{
	for (struct extra_desc *e = *list, *next; e; e = next) {
		next = e->next;
		world_set_str(&e->keywords, NULL);
		world_set_str(&e->text, NULL);
		free(e);
	}
	*list = NULL;
}

static void reload_copy_extra(struct extra_desc **dst, const struct extra_desc *src)
{
	reload_free_extra(dst);
	for (const struct extra_desc *e = src; e; e = e->next)
		world_extra_add(dst, e->keywords, e->text);
}

static void reload_free_exit(struct room *r, enum dir d)
{
	struct exit *e = r->exits[d];

	if (!e)
		return;
	world_set_str(&e->to_id, NULL);
	world_set_str(&e->door_keywords, NULL);
	world_set_str(&e->key_id, NULL);
	world_set_str(&e->desc, NULL);
	free(e);
	r->exits[d] = NULL;
}

static void reload_copy_room(struct world *w, struct room *dst, const struct room *src)
{
	world_set_str(&dst->name, src->name);
	world_set_str(&dst->desc, src->desc);
	world_set_str(&dst->environment, src->environment);
	dst->x = src->x;
	dst->y = src->y;
	dst->z = src->z;
	dst->has_coords = src->has_coords;
	dst->flags = src->flags;
	dst->triggers = src->triggers;
	reload_copy_extra(&dst->extra, src->extra);
	for (int d = 0; d < DIR_COUNT; d++) {
		const struct exit *se = src->exits[d];
		reload_free_exit(dst, (enum dir)d);
		if (!se)
			continue;
		struct exit *e = world_exit_set(w, dst, (enum dir)d, se->to_id);
		world_set_str(&e->door_keywords, se->door_keywords);
		world_set_str(&e->key_id, se->key_id);
		world_set_str(&e->desc, se->desc);
		e->flags = se->flags;
		e->reset_flags = se->reset_flags ? se->reset_flags : se->flags;
	}
}

static void reload_copy_item(struct item_proto *dst, const struct item_proto *src)
{
	world_set_str(&dst->keywords, src->keywords);
	world_set_str(&dst->short_desc, src->short_desc);
	world_set_str(&dst->long_desc, src->long_desc);
	world_set_str(&dst->desc, src->desc);
	world_set_str(&dst->key_id, src->key_id);
	dst->type = src->type;
	dst->wear_slots = src->wear_slots;
	dst->flags = src->flags;
	dst->weight = src->weight;
	dst->value = src->value;
	dst->level = src->level;
	memcpy(dst->values, src->values, sizeof(dst->values));
	dst->max_world = src->max_world;
	dst->triggers = src->triggers;
	reload_copy_extra(&dst->extra, src->extra);
}

static void reload_copy_mob(struct mob_proto *dst, const struct mob_proto *src)
{
	world_set_str(&dst->keywords, src->keywords);
	world_set_str(&dst->short_desc, src->short_desc);
	world_set_str(&dst->long_desc, src->long_desc);
	world_set_str(&dst->desc, src->desc);
	dst->level = src->level;
	dst->hp = src->hp;
	dst->mana = src->mana;
	dst->move = src->move;
	dst->damage_lo = src->damage_lo;
	dst->damage_hi = src->damage_hi;
	dst->armor = src->armor;
	dst->gold = src->gold;
	dst->flags = src->flags;
	dst->triggers = src->triggers;
}

static char **reload_copy_list(char *const *src)
{
	size_t n = 0;

	if (!src)
		return NULL;
	while (src[n])
		n++;
	char **out = xcalloc(n + 1, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = xstrdup(src[i]);
	return out;
}

/* ---- checks against the running world ----------------------------------------- */

/*
 * Exits of other areas into this one must still lead somewhere: one problem
 * per exit into a room the new version does not have.
 */
static int reload_check_inbound(struct scripts *s, struct script_area *old,
				struct script_area *fresh, struct buf *report)
{
	int problems = 0;
	size_t plen = strlen(old->id);

	for (struct script_area *sa = s->first; sa; sa = sa->next) {
		size_t pos = 0;
		const char *id;
		void *v;
		if (sa == old)
			continue;
		while (map_next(&sa->built[XREF_ROOM], &pos, &id, &v)) {
			struct room *r = world_find_room(s->w, id);
			for (int d = 0; r && d < DIR_COUNT; d++) {
				const struct exit *e = r->exits[d];
				const char *to = e && e->to ? e->to->id : NULL;
				if (!to || strncmp(to, old->id, plen) != 0 || to[plen] != ':' ||
				    map_has(&fresh->built[XREF_ROOM], to))
					continue;
				buf_printf(report,
					   "%s: room '%s': exit %s leads to '%s', which the new "
					   "version of %s does not have\n",
					   sa->file, id, dir_name((enum dir)d), to, old->id);
				problems++;
			}
		}
	}
	return problems;
}

/* ---- the swap ------------------------------------------------------------------ */

/* Moves everyone and everything out of a room the new version dropped. */
static void reload_empty_room(struct world *w, struct room *r, struct room *to)
{
	/* Bounded: a trigger of the teleport could put someone back. */
	for (size_t n = r->people.count * 2 + 1; n && !dlist_empty(&r->people); n--) {
		struct character *ch =
			dlist_entry(r->people.head.next, struct character, room_link);
		if (ch->pc)
			world_send(w, ch, "{YThe world shifts around you.{x\n");
		world_char_teleport(w, ch, to);
		if (ch->room == r) { /* the teleport was refused: move it anyway */
			char_from_room(ch);
			char_to_room(ch, to);
		}
	}
	while (!dlist_empty(&r->items))
		item_to_room(dlist_entry(r->items.head.next, struct item, link), to);
}

/*
 * The mobs of each retired mob rule go to a new rule that repeats it (the
 * same mob in the same room: the first one no other retired rule took, else
 * the first one, so that two rules merged into one keep all their mobs), so
 * that a reload does not double the area's mobs at its next reset; the mobs
 * of a rule the new version dropped belong to no rule from now on.
 */
static void reload_hand_over_mobs(struct world *w, struct spawn **retired, size_t retired_n,
				  struct spawn **rules, size_t rules_n)
{
	bool *taken = xcalloc(rules_n ? rules_n : 1, sizeof(*taken));

	for (size_t i = 0; i < retired_n; i++) {
		const struct spawn *sp = retired[i];
		size_t first = rules_n, free_one = rules_n;

		if (sp->kind != REF_CHAR || sp->live == 0)
			continue;
		for (size_t k = 0; free_one == rules_n && k < rules_n; k++) {
			if (rules[k]->kind != REF_CHAR ||
			    strcmp(rules[k]->proto_id, sp->proto_id) != 0 ||
			    strcmp(rules[k]->room_id, sp->room_id) != 0)
				continue;
			if (first == rules_n)
				first = k;
			if (!taken[k])
				free_one = k;
		}
		size_t k = free_one < rules_n ? free_one : first;
		if (k < rules_n)
			taken[k] = true;
		world_spawn_handover(w, retired[i], k < rules_n ? rules[k] : NULL);
	}
	free(taken);
}

/* Takes the built objects of fresh (in the scratch world) into the running world. */
static void reload_swap_world(struct scripts *s, struct script_area *old, struct script_area *fresh,
			      struct buf *summary, ref_t **dropped, size_t *dropped_n,
			      size_t *dropped_cap)
{
	struct world *w = s->w;
	struct area *area = old->area;
	const struct area *na = fresh->area;
	size_t pos;
	const char *id;
	void *v;
	int added = 0, removed = 0;

	world_set_str(&area->name, na->name);
	world_set_str(&area->author, na->author);
	world_set_str(&area->reset_message, na->reset_message);
	area->level_lo = na->level_lo;
	area->level_hi = na->level_hi;
	area->reset_minutes = na->reset_minutes;

	/* Prototypes first: exits and spawns name them. */
	pos = 0;
	while (map_next(&fresh->built[XREF_ITEM], &pos, &id, &v)) {
		struct item_proto *p = world_find_item_proto(w, id);
		if (!p)
			p = world_item_proto_new(w, area, id);
		reload_copy_item(p, v);
	}
	pos = 0;
	while (map_next(&fresh->built[XREF_MOB], &pos, &id, &v)) {
		struct mob_proto *p = world_find_mob_proto(w, id);
		if (!p)
			p = world_mob_proto_new(w, area, id);
		reload_copy_mob(p, v);
	}
	/* Prototypes the new version dropped stay for their instances, without triggers. */
	pos = 0;
	while (map_next(&old->built[XREF_ITEM], &pos, &id, &v))
		if (!map_has(&fresh->built[XREF_ITEM], id))
			((struct item_proto *)v)->triggers = 0;
	pos = 0;
	while (map_next(&old->built[XREF_MOB], &pos, &id, &v))
		if (!map_has(&fresh->built[XREF_MOB], id))
			((struct mob_proto *)v)->triggers = 0;
	/* Mobs in the world carry copies of their prototype's texts. */
	for (struct character *ch = world_next_char(w, NULL); ch; ch = world_next_char(w, ch)) {
		if (!ch->proto || ch->proto->area != area ||
		    !map_has(&fresh->built[XREF_MOB], ch->proto->id))
			continue;
		world_set_str(&ch->keywords, ch->proto->keywords);
		world_set_str(&ch->short_desc, ch->proto->short_desc);
		world_set_str(&ch->long_desc, ch->proto->long_desc);
		world_set_str(&ch->desc, ch->proto->desc);
	}

	pos = 0;
	while (map_next(&fresh->built[XREF_ROOM], &pos, &id, &v)) {
		struct room *r = world_find_room(w, id);
		if (!r) {
			r = world_room_new(w, area, id);
			added++;
		}
		reload_copy_room(w, r, v);
	}
	/* Rooms it dropped lose their exits and triggers now, their occupants after the swap. */
	pos = 0;
	while (map_next(&old->built[XREF_ROOM], &pos, &id, &v)) {
		struct room *r = v;
		if (map_has(&fresh->built[XREF_ROOM], id))
			continue;
		for (int d = 0; d < DIR_COUNT; d++)
			reload_free_exit(r, (enum dir)d);
		r->triggers = 0;
		if (*dropped_n == *dropped_cap) {
			*dropped_cap = *dropped_cap ? *dropped_cap * 2 : 8;
			*dropped = xreallocarray(*dropped, *dropped_cap, sizeof(**dropped));
		}
		(*dropped)[(*dropped_n)++] = r->ref;
		removed++;
	}

	/* Spawn rules: the old ones leave the area (they stay valid, and never run). */
	struct spawn **retired = old->spawn_v;
	size_t retired_n = old->spawn_n;
	for (size_t i = 0; i < retired_n; i++)
		retired[i]->area = NULL;
	old->spawn_v = NULL;
	old->spawn_n = old->spawn_cap = 0;
	for (size_t i = 0; i < fresh->spawn_n; i++) {
		const struct spawn *sp = fresh->spawn_v[i];
		struct spawn *n =
			world_spawn_add(w, area, sp->kind, sp->proto_id, sp->room_id, sp->max);
		world_set_str(&n->container_id, sp->container_id);
		n->carry = reload_copy_list(sp->carry);
		n->wear = reload_copy_list(sp->wear);
		if (old->spawn_n == old->spawn_cap) {
			old->spawn_cap = old->spawn_cap ? old->spawn_cap * 2 : 16;
			old->spawn_v =
				xreallocarray(old->spawn_v, old->spawn_cap, sizeof(*old->spawn_v));
		}
		old->spawn_v[old->spawn_n++] = n;
	}
	reload_hand_over_mobs(w, retired, retired_n, old->spawn_v, old->spawn_n);
	free(retired);

	/* What old knows it built: the running world's objects, by the new version's ids. */
	for (int k = 0; k < 3; k++) {
		struct map fresh_ids;
		map_init(&fresh_ids, false);
		pos = 0;
		while (map_next(&fresh->built[k], &pos, &id, &v)) {
			void *obj = k == XREF_ROOM   ? (void *)world_find_room(w, id)
				    : k == XREF_ITEM ? (void *)world_find_item_proto(w, id)
						     : (void *)world_find_mob_proto(w, id);
			map_put(&fresh_ids, id, obj);
		}
		/* Dropped rooms stay known, so a later version may bring them back. */
		pos = 0;
		while (k == XREF_ROOM && map_next(&old->built[k], &pos, &id, &v))
			if (!map_has(&fresh_ids, id))
				map_put(&fresh_ids, id, v);
		map_fini(&old->built[k]);
		old->built[k] = fresh_ids;
	}
	free(old->first_room);
	old->first_room = fresh->first_room ? xstrdup(fresh->first_room) : NULL;
	old->rooms = fresh->rooms;
	old->items = fresh->items;
	old->mobs = fresh->mobs;
	old->spawns = fresh->spawns;
	buf_printf(summary, "%d rooms (%d new, %d removed), %d items, %d mobs, %d spawns",
		   fresh->rooms, added, removed, fresh->items, fresh->mobs, fresh->spawns);
}

struct reload_hook_ctx {
	struct scripts *s;
	struct script_area *sa;
	const char *old_json;
	bool ran;
	struct buf err;
};

/* Runs on_reload(old_state) in the new state, as a task (it may wait). */
static int reload_hook_body(lua_State *L)
{
	struct reload_hook_ctx *c = lua_touserdata(L, 1);
	const char *label = lua_pushfstring(L, "on_reload of area %s", c->sa->id);

	events_push_on_reload(L);
	if (lua_type(L, -1) != LUA_TFUNCTION)
		return 0;
	if (!c->old_json || persist_decode(L, c->old_json, strlen(c->old_json), &c->err) != 0)
		lua_newtable(L);
	struct room *first = c->sa->first_room ? world_find_room(c->s->w, c->sa->first_room) : NULL;
	task_run_function(c->s, c->sa, L, 1, label, first ? first->ref : 0, &c->err);
	c->ran = true;
	return 0;
}

int scripts_reload_area(struct scripts *s, const char *area_id, struct buf *report)
{
	struct script_area *old = NULL;

	for (struct script_area *sa = s->first; sa; sa = sa->next)
		if (strcmp(sa->id, area_id) == 0)
			old = sa;
	if (!old || !old->area || !old->vm) {
		struct suggest sg;
		suggest_init(&sg, area_id);
		for (struct script_area *sa = s->first; sa; sa = sa->next)
			suggest_add(&sg, sa->id);
		buf_printf(report, "there is no loaded area '%s'", area_id);
		suggest_hint(&sg, report);
		buf_putc(report, '\n');
		return 1;
	}
	if (s->depth > 0) {
		buf_puts(report, "an area cannot be reloaded from inside a script\n");
		return 1;
	}

	/* The running version's area_state: the new one starts with it. */
	struct buf state, err;
	buf_init(&state, (size_t)2 << 20);
	buf_init(&err, 4096);
	persist_save_area(s, old);
	const char *old_json = NULL;
	if (persist_state_json(old, &state, &err) == 0)
		old_json = buf_cstr(&state);
	else
		old_json = old->saved_state;

	/* Load and check the new version in a scratch world. */
	const struct world_ops none = {0};
	const struct world_config wcfg = {.mud_name = "reload"};
	struct world *scratch = world_new(NULL, &none, &wcfg);
	struct script_area *fresh = scripts_area_new(s, area_id);
	struct load_ctx lc;
	load_ctx_init(&lc, scratch, s->log, report, s->lua_dir);
	lc.lim = s->lim;
	lc.load_budget = s->load_budget;
	lc.load_time_ms = s->load_time_ms;
	lc.w_real = s->w;
	lc.reload_area = area_id;
	fresh->initial_state = old_json ? xstrdup(old_json) : NULL;
	if (loader_run(&lc, fresh) == 0) {
		build_area(&lc, fresh);
		xref_check(&lc);
		if (!lc.problems)
			lc.problems += reload_check_inbound(s, old, fresh, report);
	}
	int problems = lc.problems;
	load_ctx_fini(&lc);
	/*
	 * fresh is freed below on either path. The files cannot start timers
	 * (api_acting()), but a task of fresh left in the heap would run on
	 * freed memory, so none is.
	 */
	task_cancel_area(s, fresh);
	if (problems || !fresh->area) {
		buf_printf(report,
			   "reload of %s refused: %d problem%s; the running version is unchanged\n",
			   area_id, problems, problems == 1 ? "" : "s");
		scripts_area_free(fresh);
		world_free(scratch);
		buf_fini(&state);
		buf_fini(&err);
		return problems ? problems : 1;
	}

	/* Unsaved player memories of the old state are written before it goes. */
	for (struct character *ch = world_next_char(s->w, NULL); ch; ch = world_next_char(s->w, ch))
		if (ch->pc && !ch->extracted)
			persist_save_player(s, ch);
	task_cancel_area(s, old);

	struct buf summary;
	ref_t *dropped = NULL;
	size_t dropped_n = 0, dropped_cap = 0;
	buf_init(&summary, 4096);
	reload_swap_world(s, old, fresh, &summary, &dropped, &dropped_n, &dropped_cap);
	struct vm *vm = old->vm;
	old->vm = fresh->vm;
	fresh->vm = vm;
	vm_set_owner(old->vm, old);
	report_fini(old);
	map_init(&old->health, false);
	scripts_area_free(fresh); /* closes the old state */
	world_free(scratch);

	/* The occupants of dropped rooms go to the area's first room (new triggers run). */
	struct room *first = old->first_room ? world_find_room(s->w, old->first_room) : NULL;
	if (!first)
		first = world_start_room(s->w);
	for (size_t i = 0; first && i < dropped_n; i++) {
		struct room *r = world_ref_room(s->w, dropped[i]);
		if (r && r != first)
			reload_empty_room(s->w, r, first);
	}
	free(dropped);

	/* Exits everywhere point at the right rooms again. */
	struct buf resolve;
	buf_init(&resolve, 65536);
	if (world_resolve(s->w, &resolve))
		log_warn(s->log, "script: after reloading %s: %s", area_id, buf_cstr(&resolve));
	buf_fini(&resolve);

	struct reload_hook_ctx c = {.s = s, .sa = old, .old_json = old_json};
	buf_init(&c.err, 4096);
	if (vm_protect(old->vm, reload_hook_body, &c, &c.err) != 0)
		report_error(s, old, "on_reload", 0, buf_cstr(&c.err));
	buf_printf(report, "reloaded %s: %s%s\n", area_id, buf_cstr(&summary),
		   c.ran ? "; on_reload ran" : "");
	log_info(s->log, "script: reloaded %s: %s", area_id, buf_cstr(&summary));
	buf_fini(&c.err);
	buf_fini(&summary);
	buf_fini(&state);
	buf_fini(&err);
	return 0;
}
