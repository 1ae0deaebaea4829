/*
 * pulse.c: world_pulse(), the world's timed work. Ten pulses make a second
 * of world clock. Every 3 s there is a combat round (fight.c), then
 * characters regenerate by position (not while fighting); every second
 * areas are checked for resets, players for link-dead and idle timeouts
 * and timed effects for their end; every minute a game hour passes
 * (weather.c); every pulse a tenth of the objects with tick triggers tick
 * (trigger.c); every autosave_s the dirty players are saved, at most
 * PULSE_AUTOSAVE_MAX a pulse.
 *
 * Start reading at world_pulse().
 */
#include "game/world.h"

#include <stdlib.h>
#include <string.h>

#include "base/color.h"
#include "base/xalloc.h"
#include "game/internal.h"
#include "base/banned.h"

#define PULSE_MS 100
/*
 * Players an autosave round saves in one pulse. Each save is ~25 us (its
 * JSON, its Lua memory, its row); a thousand players saved in one pulse
 * held every command up for ~26 ms once a minute. 64 a pulse keeps that
 * to ~2 ms, and a round of 1,000 is over in 1.6 s.
 */
#define PULSE_AUTOSAVE_MAX 64

/* How much of a maximum comes back per regeneration tick, by position. */
static int pulse_gain(int max, enum position pos)
{
	int base = max / 10 + 1;

	switch (pos) {
	case POS_SLEEPING:
		return base * 3;
	case POS_RESTING:
		return base * 2;
	case POS_SITTING:
	case POS_STANDING:
		return base;
	case POS_FIGHTING:
	case POS_DEAD:
		break;
	}
	return 0;
}

static bool pulse_regen_one(int *cur, int max, enum position pos)
{
	if (*cur >= max)
		return false;
	int n = *cur + pulse_gain(max, pos);
	*cur = n > max ? max : n;
	return true;
}

static void pulse_regen(struct world *w)
{
	for (struct character *ch = world_next_char(w, NULL); ch; ch = world_next_char(w, ch)) {
		if (!ch->room)
			continue;
		bool changed = pulse_regen_one(&ch->hp, ch->max_hp, ch->pos);
		changed |= pulse_regen_one(&ch->mana, ch->max_mana, ch->pos);
		changed |= pulse_regen_one(&ch->move, ch->max_move, ch->pos);
		if (changed && ch->pc) {
			ch->pc->dirty = true;
			gmcp_send_vitals(w, ch);
		}
	}
}

/* The players online now, copied so that the caller may remove some. */
static struct character **pulse_players(const struct world *w, size_t *n)
{
	struct character **v = xcalloc(w->players.count + 1, sizeof(*v));
	size_t pos = 0;
	const char *key;
	void *val;

	*n = 0;
	while (map_next(&w->players, &pos, &key, &val))
		v[(*n)++] = val;
	return v;
}

/*
 * Saves ch: now (it is about to leave the world: the timeouts), or with
 * the pulse's batch (autosave: one transaction for all, and admins are
 * told if it fails).
 */
static int pulse_save(struct world *w, struct character *ch, bool now)
{
	int (*save)(void *, struct character *) =
		now && w->ops.save_now ? w->ops.save_now : w->ops.save;

	if (!save)
		return 0;
	int rc = save(w->ops.ud, ch);
	if (rc < 0)
		log_error(w->log, "world: saving %s failed (%d)", ch->name, rc);
	else
		ch->pc->dirty = false;
	return rc;
}

/* Tells ch's room that ch left, then takes ch out of the world. */
static void pulse_remove(struct world *w, struct character *ch, const char *what)
{
	struct buf msg;

	buf_init(&msg, 0);
	color_escape(&msg, ch->name, strlen(ch->name));
	buf_printf(&msg, " %s\n", what);
	struct room *room = ch->room;
	world_send_room(w, room, ch, buf_cstr(&msg));
	buf_fini(&msg);
	world_player_leave(w, ch);
	if (room)
		gmcp_room_changed(w, room, NULL);
}

static void pulse_timeouts(struct world *w)
{
	int64_t linkdead_ms = (int64_t)w->cfg.linkdead_timeout_s * 1000;
	int64_t idle_ms = (int64_t)w->cfg.idle_timeout_s * 1000;
	size_t n;
	struct character **v = pulse_players(w, &n);

	for (size_t i = 0; i < n; i++) {
		struct character *ch = v[i];
		struct player *pc = ch->pc;
		if (!pc->session) {
			if (w->now_ms - pc->linkdead_since_ms < linkdead_ms)
				continue;
			if (pulse_save(w, ch, true) < 0) {
				pc->linkdead_since_ms = w->now_ms; /* try again a timeout later */
				continue;
			}
			pulse_remove(w, ch, "fades from the world.");
		} else if (idle_ms > 0 && w->now_ms - pc->idle_since_ms >= idle_ms) {
			static const char bye[] = "You have been idle too long. Goodbye.\n";
			uint32_t session = pc->session;
			if (w->ops.send)
				w->ops.send(w->ops.ud, session, bye, sizeof(bye) - 1);
			if (w->ops.disconnect)
				w->ops.disconnect(w->ops.ud, session);
			if (pulse_save(w, ch, true) < 0)
				world_player_linkdead(w, ch); /* stays until a save works */
			else
				pulse_remove(w, ch, "drifts off, idle, and fades from the world.");
		}
	}
	free(v);
}

/*
 * A round of autosaves: every autosave_s, the players dirty then are marked
 * (autosave_due), and each pulse saves up to PULSE_AUTOSAVE_MAX of the
 * marked ones until none is left. A player marked but saved meanwhile
 * (quit, link-dead timeout) is no longer dirty and is skipped; one who
 * logs in or gets dirty during the round waits for the next. So a change
 * is saved at most autosave_s plus one round after it was made.
 */
static void pulse_autosave(struct world *w)
{
	size_t pos = 0, saved = 0;
	const char *key;
	void *val;

	if (w->now_ms >= w->next_autosave_ms) {
		while (map_next(&w->players, &pos, &key, &val)) {
			struct player *pc = ((struct character *)val)->pc;

			pc->autosave_due = pc->dirty;
		}
		w->next_autosave_ms = w->now_ms + (int64_t)w->cfg.autosave_s * 1000;
		w->autosaving = true;
		pos = 0;
	}
	if (!w->autosaving)
		return;
	while (map_next(&w->players, &pos, &key, &val)) {
		struct character *ch = val;

		if (!ch->pc->autosave_due)
			continue;
		if (saved == PULSE_AUTOSAVE_MAX)
			return; /* the rest at the next pulse */
		ch->pc->autosave_due = false;
		if (ch->pc->dirty) {
			pulse_save(w, ch, false);
			saved++;
		}
	}
	w->autosaving = false;
}

void world_pulse(struct world *w)
{
	w->now_ms += PULSE_MS;
	w->pulses++;
	gmcp_room_info_due(w);
	if (w->now_ms % WORLD_ROUND_MS == 0)
		fight_round_all(w);
	if (w->now_ms % WORLD_REGEN_MS == 0)
		pulse_regen(w);
	if (w->now_ms % WORLD_RESET_CHECK_MS == 0) {
		world_reset_tick(w);
		pulse_timeouts(w);
		skill_affects_tick(w);
	}
	weather_pulse(w);
	trigger_tick(w);
	pulse_autosave(w);
}
