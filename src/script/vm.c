/*
 * vm.c: one Lua state and the limits it runs under.
 *
 * Start reading at vm_pcall(), the one door into Lua. Three limits hold
 * every entry, whatever the script does:
 *
 *  - Memory: the state's allocator (vm_alloc) refuses to grow past the
 *    area's cap, which Lua turns into a "not enough memory" error. Shrinking
 *    and freeing always succeed.
 *  - Instructions: a count hook runs every VM_HOOK_COUNT VM instructions and
 *    adds them to the entry's total, plus one instruction per
 *    VM_BYTES_PER_INSTR bytes allocated (so string.rep or table.concat
 *    loops pay for what they copy), plus whatever C code reports through
 *    vm_charge() (pattern matching, table moves).
 *  - Time: the same hook checks a wall-clock deadline, the backstop for work
 *    the count cannot see (one comparison of two long strings is one
 *    instruction); a single C call is bounded by the memory cap, so an
 *    entry overshoots its deadline by at most VM_HOOK_COUNT such calls.
 *
 * Once an entry is over a limit it is "stopped": the hook raises an error
 * and switches itself to fire on every instruction of that thread, so a
 * script that catches the error with pcall() dies again at its next
 * instruction, and the entry unwinds in bounded time. Threads inherit the
 * hook when created and a thread that meets the hook in stopped mode is
 * switched too.
 *
 * The count is per thread, and a thread that runs fewer than VM_HOOK_COUNT
 * instructions never meets the hook, so coroutines could hide their work
 * (a tree of short coroutines runs for ever unseen). Every switch into a
 * coroutine therefore goes through vm_switch() (sandbox.c wraps resume,
 * wrap and close; vm_resume() does it for C): it charges VM_HOOK_COUNT in
 * advance, restarts the thread's count so that the advance covers whatever
 * the thread leaves uncounted when it yields or dies, and checks every
 * limit, the clock included.
 *
 * A hook cannot interrupt code that runs while hooks are disabled: __gc
 * finalizers (refused by sandbox.c) and message handlers called while the
 * hook itself raises (sandbox.c wraps xpcall so that a stopped entry never
 * runs the script's handler, and vm_msgh() never calls __tostring then).
 */
#include "script/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* Instructions between two runs of the hook. */
#define VM_HOOK_COUNT 128
/* Warnings from Lua itself logged per state, then counted only. */
#define VM_WARN_MAX 20

enum vm_stop { VM_STOP_NONE = 0, VM_STOP_BUDGET, VM_STOP_TIME, VM_STOP_CLOSING };

struct vm {
	lua_State *L;
	char *name;
	struct log *log;
	struct vm_limits lim;

	size_t mem_used, mem_peak;

	/* The running entry. */
	bool in_entry;
	bool closing;
	enum vm_stop stop;
	long budget;	     /* instructions allowed */
	long used;	     /* instructions counted and charged */
	size_t alloc_bytes;  /* growth allocated during the entry */
	int64_t deadline_us; /* clock_mono_us() limit */
	int time_ms;

	uint64_t entries, errors, stopped;

	struct buf warn; /* a warning being assembled from pieces */
	int warn_count;

	void *owner; /* vm_set_owner() */
};

static void *vm_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct vm *vm = ud;

	if (!ptr)
		osize = 0; /* osize then tells the kind of object, not a size */
	if (nsize == 0) {
		free(ptr);
		vm->mem_used -= osize;
		return NULL;
	}
	if (nsize > osize && nsize - osize > vm->lim.mem_limit - vm->mem_used)
		return NULL;
	void *p = realloc(ptr, nsize);
	if (!p)
		return NULL;
	vm->mem_used = vm->mem_used - osize + nsize;
	if (vm->mem_used > vm->mem_peak)
		vm->mem_peak = vm->mem_used;
	if (nsize > osize && vm->in_entry)
		vm->alloc_bytes += nsize - osize;
	return p;
}

struct vm *vm_from_state(lua_State *L)
{
	void *ud = NULL;

	lua_getallocf(L, &ud);
	return ud;
}

static void vm_hook(lua_State *L, lua_Debug *ar);

/* The stop reason as vm_raise() words it, for messages built in C. */
static const char *vm_stop_reason(const struct vm *vm, struct buf *out)
{
	buf_clear(out);
	switch (vm->stop) {
	case VM_STOP_BUDGET:
		buf_printf(out, "instruction budget exceeded (%ld instructions)", vm->budget);
		break;
	case VM_STOP_TIME:
		buf_printf(out, "time limit exceeded (%d ms)", vm->time_ms);
		break;
	case VM_STOP_CLOSING:
		buf_puts(out, "the area's state is closing");
		break;
	case VM_STOP_NONE:
		break;
	}
	return buf_cstr(out);
}

/* Updates vm->stop from the counters; true if the entry must stop. */
static bool vm_over(struct vm *vm)
{
	if (vm->stop != VM_STOP_NONE)
		return true;
	long charged = (long)(vm->alloc_bytes / VM_BYTES_PER_INSTR);
	if (vm->used > vm->budget || charged > vm->budget - vm->used)
		vm->stop = VM_STOP_BUDGET;
	else if (clock_mono_us() > vm->deadline_us)
		vm->stop = VM_STOP_TIME;
	return vm->stop != VM_STOP_NONE;
}

/*
 * Raises the stop error in thread L, with the position of the function at
 * stack level `level`, after making L's hook fire on every instruction.
 */
static void vm_raise(lua_State *L, struct vm *vm, int level)
{
	lua_sethook(L, vm_hook, LUA_MASKCOUNT, 1);
	luaL_where(L, level);
	switch (vm->stop) {
	case VM_STOP_BUDGET:
		lua_pushfstring(L, "instruction budget exceeded (%I instructions)",
				(lua_Integer)vm->budget);
		break;
	case VM_STOP_TIME:
		lua_pushfstring(L, "time limit exceeded (%d ms)", vm->time_ms);
		break;
	case VM_STOP_CLOSING:
	case VM_STOP_NONE:
		lua_pushstring(L, "the area's state is closing");
		break;
	}
	lua_concat(L, 2);
	lua_error(L);
}

static void vm_hook(lua_State *L, lua_Debug *ar)
{
	struct vm *vm = vm_from_state(L);

	(void)ar;
	if (vm->closing) {
		vm->stop = VM_STOP_CLOSING;
		vm_raise(L, vm, 0);
	}
	if (!vm->in_entry)
		return;
	if (vm->stop == VM_STOP_NONE) {
		int count = lua_gethookcount(L);
		vm->used += count;
		if (count != VM_HOOK_COUNT) /* left in stopped mode by an earlier entry */
			lua_sethook(L, vm_hook, LUA_MASKCOUNT, VM_HOOK_COUNT);
		if (!vm_over(vm))
			return;
	}
	vm_raise(L, vm, 0);
}

void vm_charge(lua_State *L, long cost)
{
	struct vm *vm = vm_from_state(L);

	if (!vm->in_entry)
		return;
	if (vm->stop == VM_STOP_NONE) {
		vm->used += cost > 0 ? cost : 0;
		if (!vm_over(vm))
			return;
	}
	vm_raise(L, vm, 1);
}

void vm_switch(lua_State *L, lua_State *co)
{
	struct vm *vm = vm_from_state(L);
	lua_Debug ar;

	if (vm->closing) {
		vm->stop = VM_STOP_CLOSING;
		vm_raise(L, vm, 1);
	}
	vm_charge(L, VM_HOOK_COUNT);
	/* Only a suspended or dead thread: a running one's count is its own. */
	if (co != L && (lua_status(co) != LUA_OK || !lua_getstack(co, 0, &ar)))
		lua_sethook(co, vm_hook, LUA_MASKCOUNT, VM_HOOK_COUNT);
}

bool vm_stopped(lua_State *L)
{
	const struct vm *vm = vm_from_state(L);

	return vm->stop != VM_STOP_NONE || vm->closing;
}

/*
 * The message handler of every entry: the message plus a traceback. It
 * never runs script code once the entry is stopped (it may be running
 * inside the hook, where no further hook would fire).
 */
static int vm_msgh(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);

	if (!msg) {
		if (!vm_stopped(L) && luaL_callmeta(L, 1, "__tostring") &&
		    lua_type(L, -1) == LUA_TSTRING)
			msg = lua_tostring(L, -1);
		else
			msg = lua_pushfstring(L, "(error object is a %s value)",
					      luaL_typename(L, 1));
	}
	luaL_traceback(L, L, msg, 1);
	return 1;
}

static int vm_panic(lua_State *L)
{
	struct vm *vm = vm_from_state(L);
	const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";

	log_error(vm->log, "script %s: Lua error outside protected mode: %s", vm->name, msg);
	abort();
}

/* Lua's own warnings (there is no warn() in the sandbox): logged, then counted. */
static void vm_warnf(void *ud, const char *msg, int tocont)
{
	struct vm *vm = ud;

	if (!tocont && msg[0] == '@' && vm->warn.len == 0)
		return; /* a control message */
	buf_puts(&vm->warn, msg);
	if (tocont)
		return;
	if (vm->warn_count++ < VM_WARN_MAX)
		log_warn(vm->log, "script %s: Lua warning: %s", vm->name, buf_cstr(&vm->warn));
	buf_clear(&vm->warn);
}

/* Appends the error at the top of the stack, as the entry ended with status. */
static void vm_describe(struct vm *vm, int status, struct buf *err)
{
	struct buf reason;
	const char *msg = lua_type(vm->L, -1) == LUA_TSTRING ? lua_tostring(vm->L, -1) : NULL;

	buf_init(&reason, 256);
	vm_stop_reason(vm, &reason);
	if (status == LUA_ERRMEM) {
		buf_printf(err, "not enough memory (the area's limit is %zu KiB)",
			   vm->lim.mem_limit / 1024);
	} else if (!msg) {
		buf_printf(err, "(error object is a %s value)", luaL_typename(vm->L, -1));
	} else {
		buf_puts(err, msg);
	}
	if (vm->stop != VM_STOP_NONE && (!msg || !strstr(msg, buf_cstr(&reason))))
		buf_printf(err, " [stopped: %s]", buf_cstr(&reason));
	buf_fini(&reason);
}

/* Starts an entry (when none runs) under budget and time_ms; true if it did. */
static bool vm_enter(struct vm *vm, long budget, int time_ms)
{
	if (vm->in_entry)
		return false;
	vm->in_entry = true;
	vm->stop = VM_STOP_NONE;
	vm->used = 0;
	vm->alloc_bytes = 0;
	vm->budget = budget > 0 ? budget : vm->lim.instr_budget;
	vm->time_ms = time_ms > 0 ? time_ms : vm->lim.time_limit_ms;
	vm->deadline_us = clock_mono_us() + (int64_t)vm->time_ms * 1000;
	vm->entries++;
	return true;
}

/* Ends the entry vm_enter() started, counting how it went. */
static void vm_leave(struct vm *vm, int rc)
{
	vm->errors += rc < 0;
	vm->stopped += rc == VM_ERR_STOPPED;
	vm->in_entry = false;
	/* A failed entry may leave its garbage at the cap: give it back now. */
	if (rc == VM_ERR_MEM || rc == VM_ERR_STOPPED)
		lua_gc(vm->L, LUA_GCCOLLECT);
}

int vm_pcall(struct vm *vm, int nargs, int nresults, long budget, int time_ms, struct buf *err)
{
	lua_State *L = vm->L;
	int fn = lua_gettop(L) - nargs;
	bool outer = !vm->in_entry;

	if (!lua_checkstack(L, 2)) {
		lua_settop(L, fn - 1);
		if (err)
			buf_puts(err, "Lua stack overflow");
		return VM_ERR_MEM;
	}
	lua_pushcfunction(L, vm_msgh);
	lua_insert(L, fn);
	if (outer) {
		vm_enter(vm, budget, time_ms);
		lua_sethook(L, vm_hook, LUA_MASKCOUNT, VM_HOOK_COUNT);
	}
	int status = lua_pcall(L, nargs, nresults, fn);
	lua_remove(L, fn);
	int rc = 0;
	if (status != LUA_OK) {
		rc = status == LUA_ERRMEM ? VM_ERR_MEM : VM_ERR_RUN;
		if (vm->stop != VM_STOP_NONE)
			rc = VM_ERR_STOPPED;
		if (err)
			vm_describe(vm, status, err);
		lua_pop(L, 1);
	}
	if (outer)
		vm_leave(vm, rc);
	return rc;
}

int vm_resume(struct vm *vm, lua_State *co, int nargs, int *nres, long budget, int time_ms,
	      struct buf *err)
{
	bool outer = vm_enter(vm, budget, time_ms);
	int rc = 0;

	*nres = 0;
	/* Within a running entry this is a switch like vm_switch(), but from C: no raise here. */
	if (!outer && vm->stop == VM_STOP_NONE) {
		vm->used += VM_HOOK_COUNT;
		vm_over(vm);
	}
	lua_sethook(co, vm_hook, LUA_MASKCOUNT, vm->stop == VM_STOP_NONE ? VM_HOOK_COUNT : 1);
	int status = lua_resume(co, NULL, nargs, nres);
	if (status == LUA_YIELD) {
		rc = VM_YIELDED;
	} else if (status != LUA_OK) {
		struct buf tb;
		size_t msg_len = err ? err->len : 0;
		buf_init(&tb, 65536);
		if (err) {
			/* The message, then the coroutine's own stack: it is intact after an error.
			 */
			const char *msg = lua_tostring(co, -1);
			if (status == LUA_ERRMEM)
				buf_printf(err, "not enough memory (the area's limit is %zu KiB)",
					   vm->lim.mem_limit / 1024);
			else
				buf_puts(err, msg ? msg : "(error object is not a string)");
			if (lua_checkstack(vm->L, 8)) {
				luaL_traceback(vm->L, co, NULL, 0);
				buf_puts(&tb, lua_tostring(vm->L, -1));
				lua_pop(vm->L, 1);
			}
		}
		/* Pending __close handlers run now, still inside the entry and its budget. */
		int cstatus = lua_resetthread(co);
		const char *cmsg = cstatus != LUA_OK ? lua_tostring(co, -1) : NULL;
		if (err && cmsg && !strstr(err->data + msg_len, cmsg))
			buf_printf(err, " (then a __close handler failed: %s)", cmsg);
		rc = status == LUA_ERRMEM ? VM_ERR_MEM : VM_ERR_RUN;
		if (vm->stop != VM_STOP_NONE)
			rc = VM_ERR_STOPPED;
		if (err) {
			struct buf reason;
			buf_init(&reason, 256);
			vm_stop_reason(vm, &reason);
			if (vm->stop != VM_STOP_NONE &&
			    !strstr(err->data + msg_len, buf_cstr(&reason)))
				buf_printf(err, " [stopped: %s]", buf_cstr(&reason));
			buf_fini(&reason);
			if (tb.len)
				buf_printf(err, "\n%s", buf_cstr(&tb));
		}
		buf_fini(&tb);
	}
	if (outer)
		vm_leave(vm, rc);
	return rc;
}

/* What vm_protect() runs: fn with ud as its one argument. */
struct vm_protected {
	lua_CFunction fn;
	void *ud;
};

static int vm_protected_body(lua_State *L)
{
	struct vm_protected *p = lua_touserdata(L, 1);

	lua_settop(L, 0);
	lua_pushlightuserdata(L, p->ud);
	return p->fn(L);
}

int vm_protect(struct vm *vm, lua_CFunction fn, void *ud, struct buf *err)
{
	lua_State *L = vm->L;
	struct vm_protected p = {fn, ud};
	int top = lua_gettop(L);

	lua_pushcfunction(L, vm_protected_body);
	lua_pushlightuserdata(L, &p);
	int status = lua_pcall(L, 1, 0, 0);
	if (status != LUA_OK) {
		if (err) {
			const char *msg = lua_tostring(L, -1);
			if (status == LUA_ERRMEM)
				buf_printf(err, "not enough memory (the area's limit is %zu KiB)",
					   vm->lim.mem_limit / 1024);
			else
				buf_puts(err, msg ? msg : "(error object is not a string)");
		}
		lua_settop(L, top);
		return status == LUA_ERRMEM ? VM_ERR_MEM : VM_ERR_RUN;
	}
	lua_settop(L, top);
	return 0;
}

void vm_set_owner(struct vm *vm, void *owner)
{
	vm->owner = owner;
}

void *vm_owner(const struct vm *vm)
{
	return vm->owner;
}

bool vm_in_entry(const struct vm *vm)
{
	return vm->in_entry;
}

struct vm *vm_new(const char *name, const struct vm_limits *lim, struct log *lg)
{
	struct vm *vm = xcalloc(1, sizeof(*vm));
	struct buf err;

	vm->name = xstrdup(name ? name : "?");
	vm->log = lg;
	vm->lim = *lim;
	buf_init(&vm->warn, 1024);
	vm->L = lua_newstate(vm_alloc, vm);
	if (!vm->L) {
		log_error(lg, "script %s: cannot create a Lua state within %zu bytes", vm->name,
			  vm->lim.mem_limit);
		vm_free(vm);
		return NULL;
	}
	lua_atpanic(vm->L, vm_panic);
	lua_setwarnf(vm->L, vm_warnf, vm);
	lua_sethook(vm->L, vm_hook, LUA_MASKCOUNT, VM_HOOK_COUNT);
	buf_init(&err, 0);
	lua_pushcfunction(vm->L, sandbox_open);
	if (vm_pcall(vm, 0, 0, 0, 0, &err) != 0) {
		log_error(lg, "script %s: cannot open the sandbox: %s", vm->name, buf_cstr(&err));
		buf_fini(&err);
		vm_free(vm);
		return NULL;
	}
	buf_fini(&err);
	vm->entries = vm->errors = vm->stopped = 0;
	return vm;
}

void vm_free(struct vm *vm)
{
	if (!vm)
		return;
	if (vm->L) {
		/* Nothing of the script's may run now: any Lua code dies at once. */
		vm->closing = true;
		lua_sethook(vm->L, vm_hook, LUA_MASKCOUNT, 1);
		lua_close(vm->L);
	}
	buf_fini(&vm->warn);
	free(vm->name);
	free(vm);
}

lua_State *vm_state(const struct vm *vm)
{
	return vm->L;
}

const char *vm_name(const struct vm *vm)
{
	return vm->name;
}

void vm_get_stats(const struct vm *vm, struct vm_stats *st)
{
	st->mem_used = vm->mem_used;
	st->mem_peak = vm->mem_peak;
	st->mem_limit = vm->lim.mem_limit;
	st->entries = vm->entries;
	st->errors = vm->errors;
	st->stopped = vm->stopped;
}
