/*
 * script.c: the public API of script.h: the set of areas, loading them
 * all, stats, and the offline check.
 *
 * Start reading at scripts_load_all(): it lists the area folders (sorted, so
 * load order and messages never depend on the file system), runs each
 * area's files in its own state (loader.c), builds what they declared
 * (build.c, kinds.c), then checks references across areas and resolves the
 * world.
 */
#include "script/script.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "script/internal.h"
#include "base/banned.h"

/* A copy of dir (or dflt) without trailing slashes: "areas/" -> "areas". */
static char *scripts_dir(const char *dir, const char *dflt)
{
	char *copy = xstrdup(dir && *dir ? dir : dflt);
	size_t n = strlen(copy);

	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	return copy;
}

static bool scripts_fire(void *ud, const struct trig_event *ev)
{
	return task_fire(ud, ev);
}

/* Drops what every state keeps about ref: its .vars and a player's memory. */
static int scripts_forget_body(lua_State *L)
{
	const ref_t *ref = lua_touserdata(L, 1);

	handle_forget(L, *ref);
	persist_forget(L, *ref);
	return 0;
}

static void scripts_destroyed(void *ud, ref_t ref)
{
	struct scripts *s = ud;

	task_destroyed(s, ref);
	for (struct script_area *sa = s->first; sa; sa = sa->next)
		if (sa->vm)
			vm_protect(sa->vm, scripts_forget_body, &ref, NULL);
}

struct scripts *scripts_new(struct world *w, struct log *lg, const struct script_config *cfg)
{
	const struct script_config none = {0};
	struct scripts *s = xcalloc(1, sizeof(*s));

	if (!cfg)
		cfg = &none;
	s->w = w;
	s->log = lg;
	s->areas_dir = scripts_dir(cfg->areas_dir, "areas");
	s->lua_dir = scripts_dir(cfg->lua_dir, "lua");
	s->lim.mem_limit = cfg->mem_limit ? cfg->mem_limit : SCRIPT_DEFAULT_MEM_LIMIT;
	s->lim.instr_budget =
		cfg->instr_budget > 0 ? cfg->instr_budget : SCRIPT_DEFAULT_INSTR_BUDGET;
	s->lim.time_limit_ms =
		cfg->time_limit_ms > 0 ? cfg->time_limit_ms : SCRIPT_DEFAULT_TIME_LIMIT_MS;
	s->load_budget = cfg->load_instr_budget > 0 ? cfg->load_instr_budget
						    : SCRIPT_DEFAULT_LOAD_INSTR_BUDGET;
	s->load_time_ms = cfg->load_time_limit_ms > 0 ? cfg->load_time_limit_ms
						      : SCRIPT_DEFAULT_LOAD_TIME_LIMIT_MS;
	s->cfg = *cfg;
	s->cfg.areas_dir = s->areas_dir;
	s->cfg.lua_dir = s->lua_dir;
	s->rng = (uint64_t)clock_mono_us() * 0x9e3779b97f4a7c15ULL | 1;
	world_set_script_ops(w, &(struct world_script_ops){
					.ud = s,
					.fire = scripts_fire,
					.destroyed = scripts_destroyed,
				});
	return s;
}

void scripts_area_free(struct script_area *sa)
{
	vm_free(sa->vm);
	report_fini(sa);
	for (int k = 0; k < 3; k++)
		map_fini(&sa->built[k]);
	free(sa->first_room);
	free(sa->spawn_v);
	free(sa->initial_state);
	free(sa->saved_state);
	map_fini(&sa->included);
	free(sa->id);
	free(sa->dir);
	free(sa->file);
	free(sa);
}

void scripts_free(struct scripts *s)
{
	if (!s)
		return;
	world_set_script_ops(s->w, NULL);
	task_fini(s);
	for (struct script_area *sa = s->first, *next; sa; sa = next) {
		next = sa->next;
		if (sa->area)
			sa->area->script = NULL;
		scripts_area_free(sa);
	}
	free(s->areas_dir);
	free(s->lua_dir);
	free(s);
}

static int scripts_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The folders of areas_dir (not hidden), sorted, as a NULL-terminated array
 * (free each and the array). NULL after reporting if the folder cannot be read.
 */
static char **scripts_folders(struct load_ctx *lc, const char *areas_dir)
{
	DIR *d = opendir(areas_dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct buf path;

	if (!d) {
		load_problem(lc, areas_dir, 0, "cannot open the areas folder: %s", strerror(errno));
		return NULL;
	}
	buf_init(&path, 0);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		buf_clear(&path);
		buf_printf(&path, "%s/%s", areas_dir, de->d_name);
		if (stat(buf_cstr(&path), &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 16;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	buf_fini(&path);
	if (!names)
		names = xcalloc(1, sizeof(*names));
	names[n] = NULL;
	qsort(names, n, sizeof(*names), scripts_cmp);
	return names;
}

struct script_area *scripts_area_new(struct scripts *s, const char *id)
{
	struct script_area *sa = xcalloc(1, sizeof(*sa));
	struct buf b;

	sa->s = s;
	sa->id = xstrdup(id);
	map_init(&sa->health, false);
	for (int k = 0; k < 3; k++)
		map_init(&sa->built[k], false);
	buf_init(&b, 0);
	buf_printf(&b, "%s/%s", s->areas_dir, id);
	sa->dir = buf_steal(&b);
	buf_printf(&b, "%s/area.lua", sa->dir);
	sa->file = buf_steal(&b);
	buf_fini(&b);
	map_init(&sa->included, false);
	sa->defs_ref = -1;
	return sa;
}

/* Appends sa to the areas, in load order. */
static void scripts_area_link(struct scripts *s, struct script_area *sa)
{
	if (s->last)
		s->last->next = sa;
	else
		s->first = sa;
	s->last = sa;
	s->count++;
}

/* The area's saved area_state, from the store, for its state to start with. */
static void scripts_load_state(struct scripts *s, struct script_area *sa)
{
	struct buf json;

	if (!s->cfg.state_load)
		return;
	buf_init(&json, (size_t)2 << 20);
	int rc = s->cfg.state_load(s->cfg.store_ud, sa->id, &json);
	if (rc == 0) {
		sa->initial_state = buf_steal(&json);
		sa->saved_state = xstrdup(sa->initial_state);
	} else if (rc != -ENOENT) {
		log_error(s->log, "script %s: cannot load its area_state: %s", sa->id,
			  strerror(-rc));
	}
	buf_fini(&json);
}

/* Loads the area in folder id: run its files, then build them. */
static void scripts_load_area(struct scripts *s, struct load_ctx *lc, const char *id)
{
	struct buf path;
	struct stat st;

	buf_init(&path, 0);
	buf_printf(&path, "%s/%s", s->areas_dir, id);
	if (!build_valid_id(id)) {
		load_problem(
			lc, buf_cstr(&path), 0,
			"an area folder is named by its id: lowercase letters, digits and '_'");
		buf_fini(&path);
		return;
	}
	buf_puts(&path, "/area.lua");
	if (stat(buf_cstr(&path), &st) != 0) {
		load_problem(lc, buf_cstr(&path), 0, "missing: every area folder has an area.lua");
		buf_fini(&path);
		return;
	}
	buf_fini(&path);
	struct script_area *sa = scripts_area_new(s, id);
	scripts_area_link(s, sa);
	scripts_load_state(s, sa);
	if (loader_run(lc, sa) != 0) {
		map_put(&lc->failed_areas, id, NULL);
		return;
	}
	build_area(lc, sa);
	struct vm_stats st_vm;
	vm_get_stats(sa->vm, &st_vm);
	log_info(s->log, "script: area %s: %d rooms, %d items, %d mobs, %d spawns, %zu KiB", id,
		 sa->rooms, sa->items, sa->mobs, sa->spawns, st_vm.mem_used / 1024);
}

int scripts_load_all(struct scripts *s, struct buf *errors)
{
	struct load_ctx lc;

	load_ctx_init(&lc, s->w, s->log, errors, s->lua_dir);
	lc.lim = s->lim;
	lc.load_budget = s->load_budget;
	lc.load_time_ms = s->load_time_ms;
	char **names = scripts_folders(&lc, s->areas_dir);
	for (size_t i = 0; names && names[i]; i++) {
		scripts_load_area(s, &lc, names[i]);
		free(names[i]);
	}
	free(names);
	xref_check(&lc);
	xref_resolve(&lc);
	int problems = lc.problems;
	load_ctx_fini(&lc);
	return problems;
}

void scripts_pulse(struct scripts *s)
{
	task_pulse(s);
	/* An area that reset since the last pulse saves its area_state. */
	for (struct script_area *sa = s->first; sa; sa = sa->next) {
		if (!sa->area || sa->last_reset_ms == sa->area->next_reset_ms)
			continue;
		if (sa->last_reset_ms)
			persist_save_area(s, sa);
		sa->last_reset_ms = sa->area->next_reset_ms;
	}
}

void scripts_save_all(struct scripts *s)
{
	for (struct script_area *sa = s->first; sa; sa = sa->next)
		persist_save_area(s, sa);
}

void scripts_save_player(struct scripts *s, struct character *ch)
{
	if (s)
		persist_save_player(s, ch);
}

size_t scripts_stats(const struct scripts *s, struct script_area_stats *out, size_t max)
{
	size_t i = 0;

	for (const struct script_area *sa = s->first; sa; sa = sa->next, i++) {
		if (i >= max)
			continue;
		struct vm_stats st = {0};
		if (sa->vm)
			vm_get_stats(sa->vm, &st);
		out[i] = (struct script_area_stats){
			.area_id = sa->id,
			.mem_used = st.mem_used,
			.mem_peak = st.mem_peak,
			.mem_limit = s->lim.mem_limit,
			.entries = st.entries,
			.errors = st.errors,
			.stopped = st.stopped,
		};
	}
	return i;
}

static void scripts_check_send(void *ud, uint32_t session, const char *markup, size_t n)
{
	(void)ud;
	(void)session;
	(void)markup;
	(void)n;
}

int scripts_check(const char *areas_dir, const char *lua_dir, struct buf *report)
{
	const struct world_ops ops = {.send = scripts_check_send};
	const struct world_config wcfg = {.mud_name = "check"};
	const struct script_config cfg = {.areas_dir = areas_dir, .lua_dir = lua_dir};
	struct log *lg = log_new(NULL, LOG_WARN);
	struct world *w = world_new(lg, &ops, &wcfg);
	struct scripts *s = scripts_new(w, lg, &cfg);

	int problems = scripts_load_all(s, report);
	int rooms = 0, items = 0, mobs = 0, spawns = 0;
	for (const struct script_area *sa = s->first; sa; sa = sa->next) {
		rooms += sa->rooms;
		items += sa->items;
		mobs += sa->mobs;
		spawns += sa->spawns;
	}
	buf_printf(report,
		   "checked %zu area%s (%d room%s, %d item%s, %d mob%s, %d spawn%s): ", s->count,
		   s->count == 1 ? "" : "s", rooms, rooms == 1 ? "" : "s", items,
		   items == 1 ? "" : "s", mobs, mobs == 1 ? "" : "s", spawns,
		   spawns == 1 ? "" : "s");
	if (problems)
		buf_printf(report, "%d problem%s\n", problems, problems == 1 ? "" : "s");
	else
		buf_puts(report, "no problems\n");
	scripts_free(s);
	world_free(w);
	log_free(lg);
	return problems;
}
