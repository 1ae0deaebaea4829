/*
 * internal.h: what the files of src/script/ share; nothing outside this
 * folder includes it (STYLE.md rule 2). It is also the only header besides
 * the .c files here that may include lua.h.
 *
 * The layers, bottom up:
 *   vm.c       one Lua state: allocator with a memory cap, instruction
 *              budget and time limit, protected entries with a traceback
 *   sandbox.c  the libraries an area sees, strict globals
 *   pattern.c  string.find/match/gmatch/gsub with a step budget
 *   strlib.c   string.rep/upper/lower/reverse/byte charged by length
 *   tablib.c   table.insert/remove/move/sort with metered loops
 *   suggest.c  "did you mean" by edit distance
 *   loader.c   one area: its state, builder.lua, include, running its files
 *   build.c    an area's declarations -> world.h objects, cross-references
 *   kinds.c    the fields of area, room, item, mob and spawn
 *   xref.c     references across declarations and areas, world_resolve()
 *   events.c   trigger fields (on_enter, before_leave, behaviors) at load
 *   handle.c   game objects as Lua handles (ref + generation)
 *   api.c      the game API scripts call: the globals; api_methods.c the
 *              methods of handles (api.h between the two)
 *   task.c     running triggers in coroutines: wait, after/every, pulses
 *   persist.c  area_state and ch:memory() as JSON through the store
 *   report.c   script errors to builders, turning failing triggers off
 *   reload.c   live reload of one area
 *   areatest.c headless area tests (--test-areas); areatest_memory.c keeps
 *              a test's ch:memory() in step (areatest.h between the two)
 *   script.c   the public API of script.h
 */
#ifndef RUIN_SCRIPT_INTERNAL_H
#define RUIN_SCRIPT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/map.h"
#include "game/world.h"
#include "script/script.h"

/* ---- vm.c ------------------------------------------------------------------ */

struct vm;

struct vm_limits {
	size_t mem_limit;  /* bytes the state may hold */
	long instr_budget; /* default budget of an entry, in VM instructions */
	int time_limit_ms; /* default wall-clock limit of an entry */
};

/* Allocation growth charged as one instruction per this many bytes. */
#define VM_BYTES_PER_INSTR 64

/* Counters for the admin console. */
struct vm_stats {
	size_t mem_used, mem_peak, mem_limit;
	uint64_t entries, errors, stopped;
};

/*
 * A fresh sandboxed state (sandbox_open() already run), or NULL if even the
 * bare state does not fit in lim->mem_limit. name is copied, for log lines.
 */
struct vm *vm_new(const char *name, const struct vm_limits *lim, struct log *lg);
/* Closes the state; no script code runs during the close. NULL allowed. */
void vm_free(struct vm *vm);
lua_State *vm_state(const struct vm *vm);
/* The vm owning L (any of its threads). */
struct vm *vm_from_state(lua_State *L);
const char *vm_name(const struct vm *vm);
void vm_get_stats(const struct vm *vm, struct vm_stats *st);

/*
 * Calls the function below nargs arguments on the stack, in protected mode
 * with a traceback, under budget instructions (<= 0: the vm's default) and
 * time_ms milliseconds (<= 0: the default), within the memory cap. On
 * success returns 0 with nresults results pushed. On failure pops the
 * function and arguments, appends the message (first line "file:line:
 * message", then the traceback) to err if err is not NULL, and returns
 * VM_ERR_RUN, VM_ERR_MEM or VM_ERR_STOPPED (budget or time limit). Nested
 * calls (from C code that Lua called) run under the outer entry's limits.
 */
int vm_pcall(struct vm *vm, int nargs, int nresults, long budget, int time_ms, struct buf *err);
#define VM_ERR_RUN     (-1)
#define VM_ERR_MEM     (-2)
#define VM_ERR_STOPPED (-3)

/*
 * Resumes coroutine co of the vm with nargs arguments on its stack, as an
 * entry like vm_pcall() (or within the running one). Returns 0 when it
 * finished (*nres results on co's stack), VM_YIELDED when it yielded, or
 * a VM_ERR_* after appending the message and co's traceback to err (co is
 * then dead and its pending __close handlers have run within the entry).
 */
int vm_resume(struct vm *vm, lua_State *co, int nargs, int *nres, long budget, int time_ms,
	      struct buf *err);
#define VM_YIELDED 1
/*
 * Runs fn(ud) (a lua_CFunction that finds ud as light userdata at index 1)
 * in protected mode on the main thread, without starting an entry: for C
 * that uses the Lua API outside Lua (a memory error is then caught). 0, or
 * a VM_ERR_* with the message appended to err (if not NULL).
 */
int vm_protect(struct vm *vm, lua_CFunction fn, void *ud, struct buf *err);
/* What the state belongs to (the script layer's struct script_area); NULL until set. */
void vm_set_owner(struct vm *vm, void *owner);
void *vm_owner(const struct vm *vm);
/* True while an entry runs. */
bool vm_in_entry(const struct vm *vm);

/*
 * Charges cost instructions of work done in C (pattern steps, element
 * moves) to the running entry; raises a Lua error, like the instruction
 * hook does, once the budget or the time limit is passed. Outside an entry
 * it does nothing. Call it only from C functions that Lua called.
 */
void vm_charge(lua_State *L, long cost);
/*
 * Called by a C function that Lua called, in thread L, before it hands
 * control to coroutine co (resume, a wrapped coroutine, close): charges the
 * instructions co may run without meeting the count hook, restarts co's
 * count, and raises in L like vm_charge() once a limit is passed (or the
 * state is closing).
 */
void vm_switch(lua_State *L, lua_State *co);
/* True once the running entry has been stopped (budget or time). */
bool vm_stopped(lua_State *L);

/* ---- sandbox.c ------------------------------------------------------------- */

/*
 * A lua_CFunction, run in protected mode by vm_new(): opens the allowed
 * libraries into the builtins table and makes the globals table strict.
 */
int sandbox_open(lua_State *L);
/* Pushes the builtins table (what every global lookup falls back to). */
void sandbox_push_builtins(lua_State *L);

/* ---- pattern.c ------------------------------------------------------------- */

/* Sets find, match, gmatch and gsub in the table at index idx. */
void pattern_register(lua_State *L, int idx);

/* ---- strlib.c -------------------------------------------------------------- */

/* Sets rep, upper, lower, reverse and byte (charged by length) in the table at idx. */
void strlib_register(lua_State *L, int idx);

/* ---- tablib.c -------------------------------------------------------------- */

/* Sets insert, remove, move, sort, concat and unpack in the table at index idx. */
void tablib_register(lua_State *L, int idx);

/* ---- suggest.c ------------------------------------------------------------- */

/* Finds the closest candidate to a misspelled word. */
struct suggest {
	const char *word;
	const char *best; /* NULL until a candidate is close enough */
	size_t best_d;
};

void suggest_init(struct suggest *sg, const char *word);
/* Considers one candidate; a candidate equal to word is ignored. */
void suggest_add(struct suggest *sg, const char *cand);
/* The best candidate so far, or NULL. */
const char *suggest_best(const struct suggest *sg);
/* Appends " (did you mean 'x'?)" to out if there is a suggestion. */
void suggest_hint(const struct suggest *sg, struct buf *out);
/* Optimal string alignment distance, or limit + 1 when it is above limit. */
size_t suggest_distance(const char *a, const char *b, size_t limit);

/* ---- loader.c and build.c -------------------------------------------------- */

struct load_ctx;

/* One area's script side: its folder, its state, its world area. */
struct script_area {
	struct scripts *s;
	char *id;
	char *dir;  /* <areas_dir>/<id> */
	char *file; /* <dir>/area.lua */
	struct vm *vm;
	struct area *area;	/* in the world once built */
	char *initial_state;	/* JSON of area_state to start with (from the store), or NULL */
	char *saved_state;	/* JSON last saved, to skip saves that change nothing */
	int64_t last_reset_ms;	/* area->next_reset_ms when last seen (a change: it reset) */
	size_t ntasks;		/* paused triggers and timers it has in the heap */
	int64_t pulse_us;	/* time its scripts ran since the last scripts_pulse() */
	int64_t log_window_ms;	/* log(): the world clock its current window began */
	int log_count;		/* log() lines in that window */
	struct map health;	/* trigger key -> error counts (report.c) */
	struct map built[3];	/* XREF_ROOM/ITEM/MOB: full id -> the object as built */
	char *first_room;	/* full id of the first room it declares */
	struct spawn **spawn_v; /* the spawn rules it added */
	size_t spawn_n, spawn_cap;
	bool loading; /* its files run: include() is allowed, acting on the world is not
			 (api_acting) */
	int include_depth;
	struct map included;		/* files included while loading (keys only) */
	int defs_ref;			/* registry ref of the declaration list while loading */
	int rooms, items, mobs, spawns; /* built */
	struct script_area *next;
};

/* A reference to an id, checked by xref.c once every area is loaded. */
enum xref_kind {
	XREF_ROOM,	/* must be a room */
	XREF_ITEM,	/* must be an item prototype */
	XREF_MOB,	/* must be a mob prototype */
	XREF_CONTAINER, /* an item prototype of type container */
	XREF_WEARABLE,	/* an item prototype with a wear slot */
};

struct xref {
	enum xref_kind kind;
	char *id;   /* full id */
	char *file; /* where it was written */
	int line;
	char *what; /* "room 'square': exit north" */
};

/* One load of all areas (scripts_load_all or scripts_check). */
struct load_ctx {
	struct world *w;
	struct log *log;
	struct buf *errors;
	int problems;
	const char *lua_dir;
	struct vm_limits lim; /* each area's state */
	long load_budget;     /* instructions for running an area's files */
	int load_time_ms;
	struct map decl[3];	 /* XREF_ROOM/ITEM/MOB: full id -> "file:line" (owned) */
	struct map failed_areas; /* areas whose files did not run (keys only) */
	struct map reported;	 /* ids reported by the cross-reference pass (keys only) */
	struct xref *xrefs;
	size_t xref_n, xref_cap;
	/*
	 * A live reload builds one area (reload_area) into a scratch world w;
	 * references to other areas are then looked up in w_real.
	 */
	struct world *w_real;
	const char *reload_area;
};

/* lim, load_budget and load_time_ms are set by the caller afterwards. */
void load_ctx_init(struct load_ctx *lc, struct world *w, struct log *lg, struct buf *errors,
		   const char *lua_dir);
void load_ctx_fini(struct load_ctx *lc);
/* Appends "file:line: message\n" (or "file: message" when line <= 0) and counts it. */
void load_problem(struct load_ctx *lc, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Runs one area's files in its state (builder.lua first, then area.lua and
 * what it includes). Returns 0, or a negative value after reporting the
 * error (the area is then left unbuilt).
 */
int loader_run(struct load_ctx *lc, struct script_area *sa);
/* Makes area/room/item/mob/spawn raise from now on (the area is built). */
void loader_close_declarations(lua_State *L);

/*
 * Checks the declarations loader_run() collected and builds them into the
 * world, reporting each problem; records cross-references for xref_check().
 * Returns 0, or negative if the build itself failed (out of memory).
 */
int build_area(struct load_ctx *lc, struct script_area *sa);
/* xref.c, after every area is built: checks the recorded references. */
void xref_check(struct load_ctx *lc);
/*
 * Runs world_resolve() and appends its problems, minus those about ids
 * xref_check() already reported with a file and line.
 */
void xref_resolve(struct load_ctx *lc);

/* True if s is a valid short id: [a-z0-9_]+, at most BUILD_ID_MAX bytes. */
bool build_valid_id(const char *s);
#define BUILD_ID_MAX 48
/* Longest one-line field (names, keywords, short and long descriptions). */
#define BUILD_LINE_MAX 300
/* Longest text field (descriptions). */
#define BUILD_TEXT_MAX 16384

/* ---- shared by build.c and kinds.c ----------------------------------------- */

/* The declaration being built. */
struct build {
	struct load_ctx *lc;
	struct script_area *sa;
	lua_State *L;
	struct world *w;
	struct area *area; /* the world area of sa */
	const char *file;  /* where the declaration was written */
	int line;
	struct buf what; /* context of messages: "room 'square': exit north" */
	struct buf msg;	 /* scratch for one message */
	struct buf full; /* the last id build_ref() qualified */
	int evk;	 /* enum evk of the declaration, if it may have triggers; else 0 */
};

enum bfield_type {
	BF_LINE,  /* a string of one line, at most BUILD_LINE_MAX bytes */
	BF_TEXT,  /* a string, at most BUILD_TEXT_MAX bytes */
	BF_INT,	  /* a whole number in [min, max] */
	BF_BOOL,  /* true or false */
	BF_TABLE, /* a table (apply checks what is in it) */
};

struct bfield;
/* Applies the (type-checked) value at stack index idx of field f to obj. */
typedef void (*build_apply_fn)(struct build *b, const struct bfield *f, int idx, void *obj);

/* One field a declaration may have. */
struct bfield {
	const char *name;
	enum bfield_type type;
	bool required;
	unsigned item_types; /* items only: bit per enum item_type it belongs to; 0 = every type */
	long min, max;	     /* BF_INT */
	size_t off;	     /* the member of obj it goes to (without apply: a char * or an int) */
	build_apply_fn apply;
};

/* A name -> bit table for flag lists, ended by a NULL name. */
struct build_flag {
	const char *name;
	unsigned bit;
};

/* Reports "file:line: <what>: <message>". */
void build_problem(struct build *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends ": <text>" to the message context; returns the length to pop back to. */
size_t build_what_push(struct build *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void build_what_pop(struct build *b, size_t len);

/*
 * Checks the table at idx against fields (noun: "a room", for messages;
 * item_type: the item's enum item_type, or -1 when not an item) and applies
 * every field that is right to obj.
 */
void build_fields(struct build *b, int idx, const struct bfield *fields, const char *noun,
		  void *obj, int item_type);
/*
 * Checks the string at idx as field name: UTF-8 without NUL bytes, one line
 * of at most BUILD_LINE_MAX bytes if line, else at most BUILD_TEXT_MAX,
 * non-empty if required. Reports and returns false if it is not.
 */
bool build_string(struct build *b, int idx, const char *name, bool line, bool required);
/* Checks a whole number; reports and returns false if it is not one in [min, max]. */
bool build_int(struct build *b, int idx, const char *name, long min, long max, int *out);
/* Reads a list of exactly n whole numbers in [min, max] ("coords", "dice"). */
bool build_ints(struct build *b, int idx, const char *name, int *out, int n, long min, long max);
/* Checks that the table at idx is a list of strings; returns its length or -1. */
lua_Integer build_string_list(struct build *b, int idx, const char *name);
/* A list of flag names -> their bits; unknown names are reported ("unknown <noun> 'x'"). */
unsigned build_flags(struct build *b, int idx, const char *name, const struct build_flag *flags,
		     const char *noun);
/* extra = { ["keywords"] = "text", ... } -> an extra description list. */
void build_extra(struct build *b, int idx, struct extra_desc **list);

/* Checks the id of a room, item or mob declaration; reports why it is not valid. */
bool build_check_decl_id(struct build *b, const char *kind, const char *id);
/* Records a declaration of full id; reports and returns false if it is a duplicate. */
bool build_declare(struct build *b, enum xref_kind kind, const char *full);
/*
 * Checks the form of a reference ("inn", "thornwood:path") and records it
 * for xref_check() under the message context plus ctx ("exit north"; may
 * be NULL). Returns the full id (valid until the next call), or NULL after
 * reporting a malformed one.
 */
const char *build_ref(struct build *b, const char *ref, enum xref_kind kind, const char *ctx);

/* kinds.c: builds one declaration of the given kind ("area", "room", ...). */
typedef void (*kinds_build_fn)(struct build *b, const char *id, int def);
/* The builder of a kind, or NULL. */
kinds_build_fn kinds_find(const char *kind);

/* ---- the runtime -------------------------------------------------------------- */

struct task;

/* The script layer (script.h's struct scripts). */
struct scripts {
	struct world *w;
	struct log *log;
	char *areas_dir, *lua_dir;
	struct vm_limits lim;
	long load_budget;
	int load_time_ms;
	struct script_config cfg; /* the store callbacks (strings not kept) */
	struct script_area *first, *last;
	size_t count;
	/* Paused triggers and timers by due time (task.c). */
	struct task **heap;
	size_t heap_n, heap_cap;
	uint64_t next_task_id;
	struct task *current;	/* the innermost task running (wait() pauses it) */
	struct task *running;	/* the due timer or task task_pulse() runs now */
	int depth;		/* fires running inside each other */
	uint64_t rng;		/* random(), chance(), pick() */
	struct buf *error_sink; /* if set, every script error is appended too (area tests) */
	/* Area tests: no area's share of a pulse is cut by wall time, so what
	 * runs on the virtual clock does not depend on the machine's speed. */
	bool unmetered;
	int error_count;
};

/* A running, paused or scheduled piece of script (task.c). */
struct task {
	uint64_t id;
	struct script_area *sa;
	int64_t due_ms;
	int64_t period_ms; /* a timer: 0 runs once (after), else the period (every) */
	bool timer;	   /* a timer (calls its function anew) or a paused trigger */
	bool before;	   /* running a before-trigger: wait() is refused */
	bool waiting;	   /* set by wait() just before it yields */
	bool cancelled;	   /* a running timer was cancelled: not rescheduled */
	ref_t self, actor; /* dropped when either is gone (a timer: self is its owner) */
	int lref;	   /* registry: the thread (paused) or the function (timer) */
	char *label;	   /* "on_greet of mob emberfall:wolf" */
	char *health;	   /* the key its errors count against, or NULL */
	lua_State *co;	   /* while running */
	size_t heap_idx;
};

/* script.c */
/* A script_area for folder id of s (not yet in its list, no state). */
struct script_area *scripts_area_new(struct scripts *s, const char *id);
/* Closes its state and frees it (it must not be in the list any more). */
void scripts_area_free(struct script_area *sa);

/* task.c */
/* world_script_ops.fire: runs ev's handlers; true if a before-trigger vetoed. */
bool task_fire(struct scripts *s, const struct trig_event *ev);
/*
 * Runs the function below the nargs values on top of L (the area's main
 * thread, in protected mode) as a task of sa: it may wait; it is dropped
 * if self is gone when its wait ends. Errors are reported as label's.
 */
void task_run_function(struct scripts *s, struct script_area *sa, lua_State *L, int nargs,
		       const char *label, ref_t self, struct buf *err);
/* Runs the paused triggers and timers that are due. */
void task_pulse(struct scripts *s);
/* ref is gone: drops the tasks and timers it owns or caused. */
void task_destroyed(struct scripts *s, ref_t ref);
/* Drops every task and timer of an area (reload, free). */
void task_cancel_area(struct scripts *s, struct script_area *sa);
void task_fini(struct scripts *s);
size_t task_count(const struct scripts *s);
/* The timer metatable of a state. */
void task_setup(lua_State *L);
/* wait(seconds), after(owner, s, fn), every(owner, s, fn) */
int task_wait(lua_State *L);
int task_after(lua_State *L);
int task_every(lua_State *L);

/* handle.c */
enum hkind { HK_PLAYER = 1, HK_MOB, HK_ITEM, HK_ROOM };
#define HKM_PLAYER (1u << HK_PLAYER)
#define HKM_MOB	   (1u << HK_MOB)
#define HKM_CHAR   (HKM_PLAYER | HKM_MOB)
#define HKM_ITEM   (1u << HK_ITEM)
#define HKM_ROOM   (1u << HK_ROOM)
#define HKM_ANY	   (HKM_CHAR | HKM_ITEM | HKM_ROOM)

/* The handle metatable, cache and method tables of a state. */
void handle_setup(lua_State *L);
/* Adds fns as methods of the handles of the kinds in the HKM_* mask. */
void handle_methods(lua_State *L, unsigned kinds, const luaL_Reg *fns);
/* Pushes the handle of ref (nil for 0 or a ref that names nothing). */
void handle_push(lua_State *L, ref_t ref);
void handle_push_char(lua_State *L, const struct character *ch);
void handle_push_item(lua_State *L, const struct item *it);
void handle_push_room(lua_State *L, const struct room *room);
/*
 * The object of the handle at idx, of one of the kinds in mask; raises
 * "expected <want>" for anything else and "... is gone" once it is gone.
 */
void *handle_check(lua_State *L, int idx, unsigned kinds, const char *want);
struct character *handle_char(lua_State *L, int idx);
struct room *handle_room(lua_State *L, int idx);
struct item *handle_item(lua_State *L, int idx);
/* Is the value at idx a handle (of what kind)? */
bool handle_is(lua_State *L, int idx, enum hkind *kind);
/* The ref of the handle at idx, or 0. */
ref_t handle_ref(lua_State *L, int idx);
const char *handle_kind_name(enum hkind k);
/* Drops what the state keeps about ref (its .vars). */
void handle_forget(lua_State *L, ref_t ref);
/* The scripts and area of the state L belongs to. */
struct scripts *handle_scripts(lua_State *L);
struct script_area *handle_area(lua_State *L);

/* api.c */
/* Puts the game API among the builtins of a state and the handle methods in place. */
void api_register(lua_State *L);
/* Pushes the full id of id ("square" -> "<area>:square") and returns it. */
const char *api_full_id(lua_State *L, const char *id);
uint64_t api_random_u64(struct scripts *s);

/* persist.c */
/*
 * Encodes the table at idx as JSON into out (name starts error messages:
 * "area_state.quest.cb is a function ..."). Runs in protected mode on L;
 * 0, or -1 with the reason in err.
 */
int persist_encode(lua_State *L, int idx, const char *name, size_t max, struct buf *out,
		   struct buf *err);
/* Pushes the table decoded from JSON text; -1 (nothing pushed) with the reason in err. */
int persist_decode(lua_State *L, const char *text, size_t n, struct buf *err);
/* Makes the builtin area_state from sa->initial_state (or empty). */
void persist_setup(lua_State *L, struct script_area *sa);
/* area_state as JSON. */
int persist_state_json(struct script_area *sa, struct buf *out, struct buf *err);
/* Saves area_state through the store if it changed since the last save. */
int persist_save_area(struct scripts *s, struct script_area *sa);
/* ch:memory() */
int persist_memory(lua_State *L);
/* Saves the memories of ch that changed, in every area. */
void persist_save_player(struct scripts *s, struct character *ch);
/* Drops the cached memory of a player who left. */
void persist_forget(lua_State *L, ref_t ref);

/* report.c */
/* "[script] text" to builders online, and the log. */
void report_builders(struct scripts *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A script error (err: "file:line: message" then the traceback) of label, caused by actor. */
void report_error(struct scripts *s, struct script_area *sa, const char *label, ref_t actor,
		  const char *err);
/* Counts a run of the trigger with key as failed or not; turns it off when it keeps failing. */
void report_health(struct scripts *s, struct script_area *sa, const char *key, const char *label,
		   bool ok);
bool report_disabled(const struct script_area *sa, const char *key);
void report_fini(struct script_area *sa);

/* ---- events.c --------------------------------------------------------------- */

/* The kinds of things that have triggers. */
enum evk { EVK_ROOM = 1, EVK_MOB = 2, EVK_ITEM = 4, EVK_AREA = 8 };

/* "room", "mob", "item", "area". */
const char *events_kind_name(enum evk kind);
/* "on_enter", "before_leave": the field of a trigger. */
const char *events_key(enum trig t, bool before);
/* True if a field name is a trigger's (on_... or before_...). */
bool events_field(const char *name);
/* Adds the trigger fields of kind to a suggestion (for misspelled fields). */
void events_suggest(struct suggest *sg, enum evk kind);
/*
 * Checks the trigger fields of the declaration at def (and a mob's
 * behaviors; an area's on_reload), reporting each problem, and keeps the
 * handlers in the state under kind and full_id. Returns their TRIG_BIT()s.
 */
uint64_t events_collect(struct build *b, int def, enum evk kind, const char *full_id);
/*
 * Pushes the list of handler records for (kind, full_id, t, before), or
 * nil; returns how many. A record has fn (or phrases/default for on_say
 * tables, hp for on_hp_below) and label.
 */
int events_push_handlers(lua_State *L, enum evk kind, const char *full_id, enum trig t,
			 bool before);
/* The TRIG_BIT()s of what the state keeps for (kind, full_id). */
uint64_t events_bits(lua_State *L, enum evk kind, const char *full_id);
/*
 * For a phrase record at rec: pushes the function of the first phrase that
 * text matches (or the default) and returns 1; returns 0, pushing nothing,
 * if none.
 */
int events_match_phrase(lua_State *L, int rec, const char *text);
/* Pushes the area's on_reload function, or nil. */
void events_push_on_reload(lua_State *L);

#endif
