/*
 * script.h: Lua areas, the server's whole contract with src/script/ (the
 * only code that includes lua.h, STYLE.md rule 13).
 *
 * Start reading here, then loader.c (how one area is loaded), build.c (how
 * its declarations become rooms, items, mobs and spawns) and vm.c (the
 * sandbox and the limits every entry into Lua runs under).
 *
 * Every area folder <areas_dir>/<id>/ holds an area.lua, which may include
 * further files of that folder. Each area gets its own Lua state with its
 * own memory cap and library tables; the files only declare (area, room,
 * item, mob, spawn: docs/building.md), and the loader checks every
 * declaration and builds the world through world.h. Game objects reach Lua
 * as handles (world.h ref_t), never as pointers; triggers run in coroutines
 * so wait() works anywhere in them, and each area reloads on its own.
 */
#ifndef RUIN_SCRIPT_SCRIPT_H
#define RUIN_SCRIPT_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/log.h"
#include "game/world.h"

/*
 * 8 MiB per area. A large area (300 rooms with full descriptions, items,
 * mobs) declares about 1 MiB of Lua tables and strings while it loads, and
 * much less once the declarations are dropped, so this is ample headroom for
 * the scripts to come while keeping forty areas under a third of a gigabyte
 * even if every one of them is hostile. A smaller cap also bounds how much
 * work one C library call (a comparison, a copy) can do on one string.
 */
#define SCRIPT_DEFAULT_MEM_LIMIT ((size_t)8 << 20)
/* VM instructions per entry into Lua (a trigger, a timer): about 10 ms of work. */
#define SCRIPT_DEFAULT_INSTR_BUDGET 1000000L
/* Loading an area's files runs as one entry with this larger budget. */
#define SCRIPT_DEFAULT_LOAD_INSTR_BUDGET 50000000L
/* Wall-clock backstops per entry, for work the instruction count cannot see. */
#define SCRIPT_DEFAULT_TIME_LIMIT_MS	  250
#define SCRIPT_DEFAULT_LOAD_TIME_LIMIT_MS 5000

struct script_config {
	const char *areas_dir;	/* one folder per area; NULL = "areas" */
	const char *lua_dir;	/* the Lua side of the builder API; NULL = "lua" */
	size_t mem_limit;	/* bytes per area; 0 = SCRIPT_DEFAULT_MEM_LIMIT */
	long instr_budget;	/* per entry; 0 = SCRIPT_DEFAULT_INSTR_BUDGET */
	long load_instr_budget; /* per area load; 0 = SCRIPT_DEFAULT_LOAD_INSTR_BUDGET */
	int time_limit_ms;	/* per entry; 0 = SCRIPT_DEFAULT_TIME_LIMIT_MS */
	int load_time_limit_ms; /* per area load; 0 = SCRIPT_DEFAULT_LOAD_TIME_LIMIT_MS */

	/*
	 * Where scripts' persistent state lives (server.c wires these to
	 * store/store.h). Any may be NULL: that state is then not kept. Each
	 * gets store_ud back and returns 0 or a negative errno; a load appends
	 * the saved JSON text to out (cleared first) and returns -ENOENT when
	 * nothing was saved.
	 */
	void *store_ud;
	int (*state_load)(void *ud, const char *area, struct buf *out);
	int (*state_save)(void *ud, const char *area, const char *json);
	int (*memory_load)(void *ud, int64_t char_id, const char *area, struct buf *out);
	int (*memory_save)(void *ud, int64_t char_id, const char *area, const char *json);
};

struct scripts;

/*
 * Makes the script layer for world w (which must outlive it) and installs
 * its trigger hooks in the world (world_set_script_ops). cfg is copied (its
 * strings too); NULL means all defaults. lg may be NULL. Loads nothing.
 */
struct scripts *scripts_new(struct world *w, struct log *lg, const struct script_config *cfg);

/*
 * Loads every <areas_dir>/<id>/area.lua, each into a fresh state, builds
 * their rooms, exits, items, mobs and spawns into the world, then calls
 * world_resolve(). Keeps going after a problem so that one run reports them
 * all: appends one line per problem to errors, "file:line: message" (a Lua
 * error is followed by its traceback, on lines indented by two spaces).
 * Returns the number of problems (0: the world is whole). Call it once; the
 * areas' resets (world_reset_all()) are left to the caller.
 */
int scripts_load_all(struct scripts *s, struct buf *errors);

/*
 * Closes every area's state and takes the hooks out of the world (unsaved
 * state is lost: scripts_save_all() first). NULL is allowed.
 */
void scripts_free(struct scripts *s);

/*
 * Once per pulse, after world_pulse(): resumes the triggers whose wait()
 * is over and runs the after/every timers that are due; saves the
 * area_state of areas that reset since the last pulse.
 */
void scripts_pulse(struct scripts *s);

/* Saves every area's area_state that changed (at shutdown). */
void scripts_save_all(struct scripts *s);

/*
 * Saves the ch:memory() tables of player ch that changed since they were
 * last saved (call it whenever the player is saved; ch must have a db_id).
 */
void scripts_save_player(struct scripts *s, struct character *ch);
/*
 * The memory_save calls of ch's last scripts_save_player() did not reach
 * the database after all (its transaction failed): the next save writes
 * every area's memory of ch again.
 */
void scripts_memory_unsaved(struct scripts *s, struct character *ch);

/*
 * Live reload of one area: loads <areas_dir>/<area_id>/ into a fresh state
 * and checks it as --check does (cross-area references against the running
 * world); if anything is wrong, appends every problem to report and
 * changes nothing (returns their number). Otherwise swaps the new version
 * in at once: rooms and prototypes take the new texts, fields and triggers
 * in place (people and items stay), new rooms and prototypes appear, the
 * occupants of removed rooms move to the area's first room, exits are
 * resolved again, the old state's timers and paused triggers stop,
 * area_state carries over and the new on_reload(old_state) runs; triggers
 * turned off for errors are on again. Appends a summary line to report and
 * returns 0. Unknown area: 1 problem.
 */
int scripts_reload_area(struct scripts *s, const char *area_id, struct buf *report);

/*
 * Headless area tests (`ruin-server --test-areas areas/`): for every
 * <areas_dir>/<area>/tests/<name>.lua, loads the whole world afresh on a
 * virtual clock and runs the file with the test API (docs/building.md
 * section 12). Appends one line per failure ("file:line: message"), the
 * output of failing files, and a summary. Returns the number of failed
 * files (a world that does not load counts as one).
 */
int scripts_test_areas(const char *areas_dir, const char *lua_dir, struct buf *report);

/* What the admin console shows per area. */
struct script_area_stats {
	const char *area_id; /* valid until scripts_free() */
	size_t mem_used;     /* bytes held by the area's Lua state now */
	size_t mem_peak;     /* the most it ever held */
	size_t mem_limit;
	uint64_t entries; /* entries into Lua run */
	uint64_t errors;  /* entries that ended in an error */
	uint64_t stopped; /* entries stopped by the instruction budget or time limit */
};

/*
 * Fills out[0..max) with the areas in load order; returns how many areas
 * there are (which may be more than max).
 */
size_t scripts_stats(const struct scripts *s, struct script_area_stats *out, size_t max);

/*
 * Offline validation (`ruin-server --check areas/`): loads every area into
 * a throwaway world with the default limits and appends every problem at
 * once to report, with "did you mean" suggestions, then a summary line.
 * lua_dir NULL means "lua". Returns the number of problems.
 */
int scripts_check(const char *areas_dir, const char *lua_dir, struct buf *report);

#endif
