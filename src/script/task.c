/*
 * task.c: running triggers. Every handler runs in a new coroutine of its
 * area's state, so wait(seconds) can pause it anywhere; paused triggers
 * and after/every timers wait in one heap ordered by due time, which
 * task_pulse() works through on every pulse.
 *
 * Start reading at task_fire(), the world's world_script_ops.fire: it finds
 * the area and the handlers of the event's object (events.c), then runs
 * each (task_start) in protected mode, so nothing the Lua API raises can
 * escape into the game. A before-trigger decides at once: its return value
 * vetoes (false, or a string told to the actor), and wait() inside one is
 * an error. A task whose object, or whose actor, is gone when its wait
 * ends is dropped without running; a timer stops with its owner.
 *
 * Each start or resumption is one entry into the area's vm (its own
 * instruction budget and time limit), or part of the entry already running
 * when a script's action fires another of the same area's triggers.
 */
#include "script/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define TASK_TIMER_MT "ruin.timer"
/* Paused triggers and timers one area may have at once. */
#define TASK_MAX_PER_AREA 4096
/* Fires running inside each other, across all areas (the game has its own limit too). */
#define TASK_MAX_DEPTH 12
/* The longest wait or timer period, in seconds: a day. */
#define TASK_MAX_SECONDS 86400.0
#define TASK_PULSE_MS	 100
/*
 * What one area's scripts may take of one pulse (and all of them of the
 * paused tasks and timers run in it). Past that, its due timers and paused
 * triggers wait for the next pulse and its ticks are skipped: an area with
 * thousands of heavy timers slows itself down, not the game.
 */
#define TASK_AREA_PULSE_US  25000
#define TASK_TOTAL_PULSE_US 60000
/*
 * The wall-clock limit of one run of a timer, a paused trigger or a tick
 * (the pulse's own work), instead of the 250 ms given to what players do:
 * the instruction budget (about 10 ms) stops most runaway code first, but
 * not work the count cannot see (fresh memory faulted in, a sanitizer's
 * allocator), and one such run must not hold the pulse past its budget.
 * With the shares above a pulse's scripts take at most about 85 ms.
 */
#define TASK_BACKGROUND_MS 25

/* ---- the heap ----------------------------------------------------------------- */

static bool task_before(const struct task *a, const struct task *b)
{
	return a->due_ms < b->due_ms || (a->due_ms == b->due_ms && a->id < b->id);
}

static void task_heap_set(struct scripts *s, size_t i, struct task *t)
{
	s->heap[i] = t;
	t->heap_idx = i;
}

static void task_heap_up(struct scripts *s, size_t i)
{
	struct task *t = s->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!task_before(t, s->heap[p]))
			break;
		task_heap_set(s, i, s->heap[p]);
		i = p;
	}
	task_heap_set(s, i, t);
}

static void task_heap_down(struct scripts *s, size_t i)
{
	struct task *t = s->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= s->heap_n)
			break;
		if (c + 1 < s->heap_n && task_before(s->heap[c + 1], s->heap[c]))
			c++;
		if (!task_before(s->heap[c], t))
			break;
		task_heap_set(s, i, s->heap[c]);
		i = c;
	}
	task_heap_set(s, i, t);
}

static void task_heap_push(struct scripts *s, struct task *t)
{
	if (s->heap_n == s->heap_cap) {
		s->heap_cap = s->heap_cap ? s->heap_cap * 2 : 64;
		s->heap = xreallocarray(s->heap, s->heap_cap, sizeof(*s->heap));
	}
	s->heap[s->heap_n++] = t;
	task_heap_up(s, s->heap_n - 1);
}

static void task_heap_remove(struct scripts *s, struct task *t)
{
	size_t i = t->heap_idx;
	struct task *last = s->heap[--s->heap_n];

	if (i == s->heap_n)
		return;
	task_heap_set(s, i, last);
	task_heap_up(s, i);
	task_heap_down(s, last->heap_idx);
}

/* Frees a task that is in no heap: its registry reference and its strings. */
static void task_free(struct task *t)
{
	struct script_area *sa = t->sa;

	if (sa->vm && t->lref != LUA_NOREF)
		luaL_unref(vm_state(sa->vm), LUA_REGISTRYINDEX, t->lref);
	sa->ntasks--;
	free(t->label);
	free(t->health);
	free(t);
}

/* Is the character (or item, or room) named by ref still in the world? */
static bool task_alive(const struct world *w, ref_t ref)
{
	switch (world_ref_kind(w, ref)) {
	case REF_CHAR: {
		const struct character *ch = world_ref_char(w, ref);
		return ch && !ch->extracted;
	}
	case REF_ITEM: {
		const struct item *it = world_ref_item(w, ref);
		return it && !it->extracted;
	}
	case REF_ROOM:
		return world_ref_room(w, ref) != NULL;
	case REF_NONE:
		break;
	}
	return false;
}

/* The due time of a wait or timer of secs seconds: whole pulses, at least one. */
static int64_t task_due(const struct scripts *s, double secs)
{
	int64_t ms = (int64_t)ceil(secs * 1000.0 / TASK_PULSE_MS) * TASK_PULSE_MS;

	return world_now_ms(s->w) + (ms < TASK_PULSE_MS ? TASK_PULSE_MS : ms);
}

/* ---- running one handler --------------------------------------------------------- */

/* One firing of an event, from task_fire() into the protected body. */
struct task_fire_ctx {
	struct scripts *s;
	struct script_area *sa;
	const struct trig_event *ev;
	enum evk kind;
	const char *id; /* the object's full id */
	bool veto;
	int time_ms;	 /* wall-clock limit of its runs; 0: the vm's default */
	struct buf *err; /* owned by the caller, outside the protected call */
};

/* The time limit of a run the pulse makes (0: the default, for area tests' virtual clock). */
static int task_background_ms(const struct scripts *s)
{
	return s->unmetered ? 0 : TASK_BACKGROUND_MS;
}

/* Pushes the arguments of ev after self; returns how many it pushed (self included). */
static int task_push_args(lua_State *L, const struct trig_event *ev, enum evk kind)
{
	const char *dir = ev->dir >= 0 && ev->dir < DIR_COUNT ? dir_name((enum dir)ev->dir) : NULL;

	handle_push(L, ev->self);
	switch (ev->trig) {
	case TRIG_ENTER:
	case TRIG_LEAVE:
	case TRIG_GREET:
		handle_push(L, ev->actor);
		if (dir)
			lua_pushstring(L, dir);
		else
			lua_pushnil(L);
		return 3;
	case TRIG_SAY:
	case TRIG_COMMAND:
	case TRIG_USE:
		handle_push(L, ev->actor);
		lua_pushstring(L, ev->text ? ev->text : "");
		return 3;
	case TRIG_DROP:
		handle_push(L, ev->actor);
		if (kind == EVK_ROOM) {
			handle_push(L, ev->object);
			return 3;
		}
		return 2;
	case TRIG_GIVE:
		handle_push(L, ev->actor);
		handle_push(L, ev->object);
		return 3;
	case TRIG_FIGHT:
		handle_push(L, ev->victim ? ev->victim : ev->actor);
		return 2;
	case TRIG_KILL:
		handle_push(L, ev->victim);
		return 2;
	case TRIG_TIME:
		lua_pushstring(L, ev->text ? ev->text : "");
		lua_pushinteger(L, ev->number);
		return 3;
	case TRIG_TICK:
	case TRIG_RESET:
	case TRIG_SPAWN:
		return 1;
	case TRIG_LOOK:
	case TRIG_ATTACKED:
	case TRIG_HP_BELOW:
	case TRIG_DEATH:
	case TRIG_GET:
	case TRIG_WEAR:
	case TRIG_REMOVE:
	case TRIG_CONSUME:
	case TRIG_COUNT:
	default:
		handle_push(L, ev->actor);
		return 2;
	}
}

/* "on_greet of mob emberfall:wolf": the handler, for messages. */
static const char *task_push_label(lua_State *L, struct task_fire_ctx *f, const char *label)
{
	return lua_pushfstring(L, "%s of %s %s", label, events_kind_name(f->kind), f->id);
}

/*
 * Runs the function at fn_idx of L with nargs arguments pushed above it, as
 * a new task; L is the area's main thread. Reads a before-trigger's verdict
 * into f->veto. label and health (the trigger's error key) are copied if
 * the task pauses.
 */
static void task_start(struct task_fire_ctx *f, lua_State *L, int nargs, const char *label,
		       const char *health, ref_t self, ref_t actor, bool before)
{
	struct scripts *s = f->s;
	struct script_area *sa = f->sa;
	int base = lua_gettop(L) - nargs - 1; /* below the function */
	lua_State *co = lua_newthread(L);
	int nres;

	lua_insert(L, base + 1); /* the thread below the function */
	lua_xmove(L, co, nargs + 1);
	struct task t = {.sa = sa, .self = self, .actor = actor, .before = before, .co = co};
	struct task *prev = s->current;
	s->current = &t;
	s->depth++;
	buf_clear(f->err);
	int rc = vm_resume(sa->vm, co, nargs, &nres, 0, f->time_ms, f->err);
	s->depth--;
	s->current = prev;
	if (rc == 0) {
		report_health(s, sa, health, label, true);
		if (before && nres > 0) {
			int top = lua_gettop(co) - nres + 1;
			if (lua_type(co, top) == LUA_TSTRING) {
				f->veto = true;
				const char *msg = lua_tostring(co, top);
				struct character *actor_ch = world_ref_char(s->w, actor);
				if (actor_ch && !actor_ch->extracted && *msg)
					world_send(s->w, actor_ch,
						   lua_pushfstring(L, "%s%s", msg,
								   msg[strlen(msg) - 1] == '\n'
									   ? ""
									   : "\n"));
			} else if (lua_type(co, top) == LUA_TBOOLEAN && !lua_toboolean(co, top)) {
				f->veto = true;
			}
		}
	} else if (rc == VM_YIELDED && t.waiting) {
		/* Paused by wait(): keep the thread until it is due. */
		lua_pushvalue(L, base + 1);
		int lref = luaL_ref(L, LUA_REGISTRYINDEX);
		struct task *p = xcalloc(1, sizeof(*p));
		*p = t;
		p->id = ++s->next_task_id;
		p->lref = lref;
		p->co = NULL;
		p->waiting = false;
		p->label = xstrdup(label);
		p->health = health ? xstrdup(health) : NULL;
		sa->ntasks++;
		task_heap_push(s, p);
	} else {
		if (rc == VM_YIELDED)
			buf_puts(f->err, "coroutine.yield() at the top of a trigger: pause with "
					 "wait(seconds), or yield inside a coroutine of your own");
		report_error(s, sa, label, actor, buf_cstr(f->err));
		report_health(s, sa, health, label, false);
		if (before) {
			/*
			 * A before_ trigger that fails stops the action: a guard
			 * whose script broke (or was made to break) must not wave
			 * everyone through. Builders see the error; after enough
			 * failures the trigger is turned off (report.c) and the
			 * action goes through again.
			 */
			struct character *actor_ch = world_ref_char(s->w, actor);

			f->veto = true;
			if (actor_ch && !actor_ch->extracted)
				world_send(s->w, actor_ch, "You cannot do that just now.\n");
		}
	}
	lua_settop(L, base);
}

void task_run_function(struct scripts *s, struct script_area *sa, lua_State *L, int nargs,
		       const char *label, ref_t self, struct buf *err)
{
	struct task_fire_ctx f = {.s = s, .sa = sa, .err = err};

	task_start(&f, L, nargs, label, NULL, self, 0, false);
}

/* Runs the handler record at rec for f's event (functions, phrases, thresholds). */
static void task_run_record(struct task_fire_ctx *f, lua_State *L, int rec)
{
	const struct trig_event *ev = f->ev;
	int top = lua_gettop(L);

	lua_getfield(L, rec, "label");
	const char *label = task_push_label(L, f, lua_tostring(L, -1));
	const char *health = lua_pushfstring(L, "%s %s %s", events_kind_name(f->kind), f->id,
					     lua_tostring(L, top + 1));
	if (report_disabled(f->sa, health)) {
		lua_settop(L, top);
		return;
	}
	if (lua_getfield(L, rec, "fn") == LUA_TFUNCTION) {
		int nargs = task_push_args(L, ev, f->kind);
		task_start(f, L, nargs, label, health, ev->self, ev->actor, ev->before);
	} else if (lua_getfield(L, rec, "phrases") == LUA_TTABLE) {
		lua_settop(L, top + 3);
		if (events_match_phrase(L, rec, ev->text ? ev->text : "")) {
			int nargs = task_push_args(L, ev, f->kind);
			task_start(f, L, nargs, label, health, ev->self, ev->actor, ev->before);
		}
	} else if (lua_getfield(L, rec, "hp") == LUA_TTABLE) {
		int list = lua_gettop(L);
		lua_Integer n = (lua_Integer)lua_rawlen(L, list);
		/* Each threshold this blow went past, from the highest down. */
		for (lua_Integer i = 1; i <= n && task_alive(f->s->w, ev->self); i++) {
			lua_rawgeti(L, list, i);
			lua_getfield(L, -1, "pct");
			int pct = (int)lua_tointeger(L, -1);
			lua_pop(L, 1);
			if (ev->number < pct && pct <= ev->was) {
				lua_getfield(L, -1, "fn");
				int nargs = task_push_args(L, ev, f->kind);
				task_start(f, L, nargs, label, health, ev->self, ev->actor, false);
			}
			lua_settop(L, list);
		}
	}
	lua_settop(L, top);
}

/* The protected body of task_fire(): every handler of the event, in order. */
static int task_fire_body(lua_State *L)
{
	struct task_fire_ctx *f = lua_touserdata(L, 1);
	const struct trig_event *ev = f->ev;
	int n = events_push_handlers(L, f->kind, f->id, ev->trig, ev->before);
	int list = lua_gettop(L);

	for (int i = 1; i <= n && !f->veto; i++) {
		/* A handler may have destroyed the object: the rest do not run then. */
		if (!task_alive(f->s->w, ev->self))
			break;
		lua_rawgeti(L, list, i);
		task_run_record(f, L, lua_gettop(L));
		lua_settop(L, list);
	}
	return 0;
}

bool task_fire(struct scripts *s, const struct trig_event *ev)
{
	struct task_fire_ctx f = {.s = s, .ev = ev};
	struct area *area = NULL;

	switch (world_ref_kind(s->w, ev->self)) {
	case REF_ROOM: {
		struct room *r = world_ref_room(s->w, ev->self);
		f.kind = EVK_ROOM;
		f.id = r->id;
		area = r->area;
		break;
	}
	case REF_CHAR: {
		struct character *ch = world_ref_char(s->w, ev->self);
		if (!ch->proto || ch->extracted)
			return false;
		f.kind = EVK_MOB;
		f.id = ch->proto->id;
		area = ch->proto->area;
		break;
	}
	case REF_ITEM: {
		struct item *it = world_ref_item(s->w, ev->self);
		if (it->extracted)
			return false;
		f.kind = EVK_ITEM;
		f.id = it->proto->id;
		area = it->proto->area;
		break;
	}
	case REF_NONE:
	default:
		return false;
	}
	f.sa = area ? area->script : NULL;
	if (!f.sa || !f.sa->vm || f.sa->s != s)
		return false;
	if ((ev->trig == TRIG_TICK || ev->trig == TRIG_TIME) && !s->unmetered) {
		if (f.sa->pulse_us >= TASK_AREA_PULSE_US)
			return false; /* the area has had its share of this pulse */
		f.time_ms = TASK_BACKGROUND_MS;
	}
	if (s->depth >= TASK_MAX_DEPTH) {
		log_warn(s->log, "script %s: %s of %s %s not run: triggers nested %d deep",
			 f.sa->id, events_key(ev->trig, ev->before), events_kind_name(f.kind), f.id,
			 s->depth);
		return false;
	}
	struct buf err, perr;
	int64_t t0 = s->depth ? 0 : clock_mono_us();
	buf_init(&err, 0);
	buf_init(&perr, 0);
	f.err = &err;
	if (vm_protect(f.sa->vm, task_fire_body, &f, &perr) != 0)
		report_error(s, f.sa, events_key(ev->trig, ev->before), ev->actor, buf_cstr(&perr));
	buf_fini(&err);
	buf_fini(&perr);
	if (t0)
		f.sa->pulse_us += clock_mono_us() - t0;
	return f.veto;
}

/* ---- paused tasks and timers ----------------------------------------------------- */

/* What the protected body of a due task needs. */
struct task_due_ctx {
	struct scripts *s;
	struct task *t;
	bool again; /* the task waits again (or the timer repeats): keep it */
	struct buf err;
};

static int task_resume_body(lua_State *L)
{
	struct task_due_ctx *d = lua_touserdata(L, 1);
	struct task *t = d->t;
	struct scripts *s = d->s;
	int nres;

	lua_rawgeti(L, LUA_REGISTRYINDEX, t->lref);
	t->co = lua_tothread(L, -1);
	t->waiting = false;
	struct task *prev = s->current;
	s->current = t;
	s->depth++;
	int rc = vm_resume(t->sa->vm, t->co, 0, &nres, 0, task_background_ms(s), &d->err);
	s->depth--;
	s->current = prev;
	if (rc == VM_YIELDED && t->waiting) {
		d->again = true;
	} else if (rc == 0) {
		report_health(s, t->sa, t->health, t->label, true);
	} else {
		if (rc == VM_YIELDED)
			buf_puts(&d->err, "coroutine.yield() at the top of a trigger: pause with "
					  "wait(seconds)");
		report_error(s, t->sa, t->label, t->actor, buf_cstr(&d->err));
		report_health(s, t->sa, t->health, t->label, false);
	}
	t->co = NULL;
	return 0;
}

static int task_timer_body(lua_State *L)
{
	struct task_due_ctx *d = lua_touserdata(L, 1);
	struct task *t = d->t;
	struct task_fire_ctx f = {
		.s = d->s, .sa = t->sa, .err = &d->err, .time_ms = task_background_ms(d->s)};

	lua_rawgeti(L, LUA_REGISTRYINDEX, t->lref);
	handle_push(L, t->self);
	task_start(&f, L, 1, t->label, t->health, t->self, 0, false);
	d->again = t->period_ms > 0 && !t->cancelled;
	return 0;
}

/* Runs one due task or timer (already out of the heap). */
static void task_run_due(struct scripts *s, struct task *t)
{
	struct task_due_ctx d = {.s = s, .t = t};

	if (!t->sa->vm || !task_alive(s->w, t->self) || (t->actor && !task_alive(s->w, t->actor)) ||
	    (t->timer && report_disabled(t->sa, t->health))) {
		task_free(t);
		return;
	}
	buf_init(&d.err, 0);
	s->running = t;
	int64_t t0 = clock_mono_us();
	int rc = vm_protect(t->sa->vm, t->timer ? task_timer_body : task_resume_body, &d, &d.err);
	t->sa->pulse_us += clock_mono_us() - t0;
	s->running = NULL;
	if (rc != 0)
		report_error(s, t->sa, t->label, t->actor, buf_cstr(&d.err));
	buf_fini(&d.err);
	if (rc != 0 || !d.again || t->cancelled) {
		task_free(t);
		return;
	}
	if (t->timer) {
		t->due_ms += t->period_ms;
		if (t->due_ms <= world_now_ms(s->w))
			t->due_ms = world_now_ms(s->w) + t->period_ms;
	}
	task_heap_push(s, t);
}

void task_pulse(struct scripts *s)
{
	int64_t now = world_now_ms(s->w);
	int64_t start = clock_mono_us();

	while (s->heap_n && s->heap[0]->due_ms <= now) {
		struct task *t = s->heap[0];
		task_heap_remove(s, t);
		if (!s->unmetered && (t->sa->pulse_us >= TASK_AREA_PULSE_US ||
				      clock_mono_us() - start >= TASK_TOTAL_PULSE_US)) {
			/* Over its share: the next pulse. */
			t->due_ms = now + TASK_PULSE_MS;
			task_heap_push(s, t);
			continue;
		}
		task_run_due(s, t);
	}
	for (struct script_area *sa = s->first; sa; sa = sa->next)
		sa->pulse_us = 0;
}

void task_destroyed(struct scripts *s, ref_t ref)
{
	for (size_t i = 0; i < s->heap_n;) {
		struct task *t = s->heap[i];
		if (t->self == ref || t->actor == ref) {
			task_heap_remove(s, t);
			task_free(t);
			continue; /* another task moved into slot i */
		}
		i++;
	}
	if (s->running && (s->running->self == ref || s->running->actor == ref))
		s->running->cancelled = true;
}

void task_cancel_area(struct scripts *s, struct script_area *sa)
{
	for (size_t i = 0; i < s->heap_n;) {
		struct task *t = s->heap[i];
		if (t->sa == sa) {
			task_heap_remove(s, t);
			task_free(t);
			continue;
		}
		i++;
	}
}

void task_fini(struct scripts *s)
{
	while (s->heap_n) {
		struct task *t = s->heap[s->heap_n - 1];
		s->heap_n--;
		task_free(t);
	}
	free(s->heap);
	s->heap = NULL;
	s->heap_cap = 0;
}

size_t task_count(const struct scripts *s)
{
	return s->heap_n;
}

/* ---- wait, after, every -------------------------------------------------------------- */

/* The seconds at idx, checked: [min, TASK_MAX_SECONDS]. */
static double task_seconds(lua_State *L, int idx, double min)
{
	lua_Number secs = luaL_checknumber(L, idx);

	if (!(secs >= min && secs <= TASK_MAX_SECONDS))
		luaL_error(L, "%f seconds: give from %f to %f", (double)secs, min,
			   TASK_MAX_SECONDS);
	return secs;
}

int task_wait(lua_State *L)
{
	struct scripts *s = handle_scripts(L);
	struct task *t = s->current;
	double secs = task_seconds(L, 1, 0);

	if (!t)
		return luaL_error(L, "wait() works only inside a trigger or a timer");
	if (t->before)
		return luaL_error(L,
				  "wait() cannot be used in a before_ trigger: it must decide at "
				  "once (use an on_ trigger to do things later)");
	if (t->co != L)
		return luaL_error(L, "wait() inside a coroutine of your own cannot pause the "
				     "trigger (call it from the trigger itself)");
	if (t->sa->ntasks >= TASK_MAX_PER_AREA)
		return luaL_error(L, "too many paused triggers and timers in this area (%d)",
				  TASK_MAX_PER_AREA);
	t->waiting = true;
	t->due_ms = task_due(s, secs);
	return lua_yield(L, 0);
}

/* after/every(owner, seconds, fn) -> timer */
static int task_timer_new(lua_State *L, bool repeat)
{
	struct scripts *s = handle_scripts(L);
	struct script_area *sa = handle_area(L);
	enum hkind kind;

	if (!handle_is(L, 1, &kind))
		return luaL_error(L,
				  "%s: the owner (first argument) is a mob, item, room or player "
				  "handle, not a %s",
				  repeat ? "every" : "after", luaL_typename(L, 1));
	handle_check(L, 1, HKM_ANY, "a handle");
	double secs = task_seconds(L, 2, repeat ? 0.1 : 0);
	luaL_checktype(L, 3, LUA_TFUNCTION);
	if (sa->ntasks >= TASK_MAX_PER_AREA)
		return luaL_error(L, "too many paused triggers and timers in this area (%d)",
				  TASK_MAX_PER_AREA);
	lua_getiuservalue(L, 1, 1);
	const char *label = lua_pushfstring(L, "%s timer of %s %s", repeat ? "every" : "after",
					    handle_kind_name(kind), lua_tostring(L, -1));
	lua_pushvalue(L, 3);
	int lref = luaL_ref(L, LUA_REGISTRYINDEX);
	struct task *t = xcalloc(1, sizeof(*t));
	t->id = ++s->next_task_id;
	t->sa = sa;
	t->timer = true;
	t->self = handle_ref(L, 1);
	t->due_ms = task_due(s, secs);
	t->period_ms = repeat ? t->due_ms - world_now_ms(s->w) : 0;
	t->lref = lref;
	t->label = xstrdup(label);
	t->health = xstrdup(label); /* the timers of one kind of owner fail, and stop, together */
	sa->ntasks++;
	task_heap_push(s, t);
	uint64_t *id = lua_newuserdatauv(L, sizeof(*id), 0);
	*id = t->id;
	luaL_setmetatable(L, TASK_TIMER_MT);
	return 1;
}

int task_after(lua_State *L)
{
	return task_timer_new(L, false);
}

int task_every(lua_State *L)
{
	return task_timer_new(L, true);
}

/* timer:cancel() -> true if it was still to run */
static int task_timer_cancel(lua_State *L)
{
	uint64_t *id = luaL_checkudata(L, 1, TASK_TIMER_MT);
	struct scripts *s = handle_scripts(L);

	for (size_t i = 0; i < s->heap_n; i++) {
		struct task *t = s->heap[i];
		if (t->timer && t->id == *id) {
			task_heap_remove(s, t);
			task_free(t);
			lua_pushboolean(L, 1);
			return 1;
		}
	}
	if (s->running && s->running->timer && s->running->id == *id) {
		s->running->cancelled = true;
		lua_pushboolean(L, 1);
		return 1;
	}
	lua_pushboolean(L, 0);
	return 1;
}

static int task_timer_tostring(lua_State *L)
{
	uint64_t *id = luaL_checkudata(L, 1, TASK_TIMER_MT);

	lua_pushfstring(L, "timer %I", (lua_Integer)*id);
	return 1;
}

void task_setup(lua_State *L)
{
	luaL_newmetatable(L, TASK_TIMER_MT);
	lua_newtable(L);
	lua_pushcfunction(L, task_timer_cancel);
	lua_setfield(L, -2, "cancel");
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, task_timer_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);
}
