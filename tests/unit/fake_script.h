/*
 * fake_script.h: a struct world_script_ops for tests that records every
 * trigger the game fires and every ref it destroys, vetoes the triggers a
 * test names, and can run a test's own code inside a trigger (to destroy
 * or move things mid-walk). Header only; every function is static inline.
 *
 *   struct fake_script fs;
 *   fake_script_init(&fs, w);              // installs itself on w
 *   fs.veto = TRIG_BIT(TRIG_LEAVE, true);  // before_leave says no
 *   ...
 *   assert_int_equal(fake_script_count(&fs, TRIG_ENTER, false), 1);
 *   const struct fake_event *e = fake_script_last(&fs, TRIG_GREET, false);
 */
#ifndef RUIN_TESTS_FAKE_SCRIPT_H
#define RUIN_TESTS_FAKE_SCRIPT_H

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "game/world.h"

/* One recorded fire: the event, its text copied. */
struct fake_event {
	struct trig_event ev;
	char *text;
	int depth; /* how many fires were running around it */
};

struct fake_script;
/* Runs inside a fire after it is recorded; returns what the fire returns (veto). */
typedef bool (*fake_script_hook)(struct fake_script *fs, const struct trig_event *ev);

struct fake_script {
	struct world *w;
	struct fake_event *ev;
	size_t n, cap;
	uint64_t veto; /* TRIG_BIT()s of the triggers that veto */
	fake_script_hook hook;
	void *hook_ud;
	ref_t *destroyed;
	size_t destroyed_n, destroyed_cap;
	int depth;
};

static inline bool fake_script_fire(void *ud, const struct trig_event *ev)
{
	struct fake_script *fs = ud;
	bool veto;

	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 64;
		fs->ev = xreallocarray(fs->ev, fs->cap, sizeof(*fs->ev));
	}
	fs->ev[fs->n].ev = *ev;
	fs->ev[fs->n].text = ev->text ? xstrdup(ev->text) : NULL;
	fs->ev[fs->n].ev.text = fs->ev[fs->n].text;
	fs->ev[fs->n].depth = fs->depth;
	fs->n++;
	veto = (fs->veto & TRIG_BIT(ev->trig, ev->before)) != 0;
	if (fs->hook) {
		fs->depth++;
		veto = fs->hook(fs, ev) || veto;
		fs->depth--;
	}
	return veto;
}

static inline void fake_script_destroyed(void *ud, ref_t ref)
{
	struct fake_script *fs = ud;

	if (fs->destroyed_n == fs->destroyed_cap) {
		fs->destroyed_cap = fs->destroyed_cap ? fs->destroyed_cap * 2 : 64;
		fs->destroyed = xreallocarray(fs->destroyed, fs->destroyed_cap, sizeof(ref_t));
	}
	fs->destroyed[fs->destroyed_n++] = ref;
}

static inline void fake_script_init(struct fake_script *fs, struct world *w)
{
	memset(fs, 0, sizeof(*fs));
	fs->w = w;
	world_set_script_ops(w, &(struct world_script_ops){.ud = fs,
							   .fire = fake_script_fire,
							   .destroyed = fake_script_destroyed});
}

/* Forgets what was recorded (keeps veto and hook). */
static inline void fake_script_clear(struct fake_script *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->ev[i].text);
	fs->n = 0;
	fs->destroyed_n = 0;
}

static inline void fake_script_fini(struct fake_script *fs)
{
	fake_script_clear(fs);
	free(fs->ev);
	free(fs->destroyed);
}

static inline size_t fake_script_count(const struct fake_script *fs, enum trig t, bool before)
{
	size_t n = 0;

	for (size_t i = 0; i < fs->n; i++)
		n += fs->ev[i].ev.trig == t && fs->ev[i].ev.before == before;
	return n;
}

/* The last recorded fire of t, or NULL. */
static inline const struct fake_event *fake_script_last(const struct fake_script *fs, enum trig t,
							bool before)
{
	for (size_t i = fs->n; i-- > 0;)
		if (fs->ev[i].ev.trig == t && fs->ev[i].ev.before == before)
			return &fs->ev[i];
	return NULL;
}

/* The index of the first fire of t, or -1: for order checks. */
static inline long fake_script_index(const struct fake_script *fs, enum trig t, bool before)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->ev[i].ev.trig == t && fs->ev[i].ev.before == before)
			return (long)i;
	return -1;
}

static inline bool fake_script_was_destroyed(const struct fake_script *fs, ref_t ref)
{
	for (size_t i = 0; i < fs->destroyed_n; i++)
		if (fs->destroyed[i] == ref)
			return true;
	return false;
}

#endif
