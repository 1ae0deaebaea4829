/*
 * weather.c: the game clock and the sky. One game hour passes every real
 * minute of world clock (a day lasts 24 minutes) and the world starts at 8
 * in the morning. The periods: dawn 5-6, day 7-17, dusk 18-19, night
 * 20-4. At night, outdoor rooms away from a village's lamps are dark
 * without a light (world_room_is_lit() in world.c reads the sky every room
 * points at). The weather (clear, cloudy, rain, fog, storm) moves to a
 * neighbouring state every three to six game hours. Players under the open
 * sky, awake, are told when the period or the weather changes.
 *
 * Each game hour also fires TRIG_TIME for the mobs that have it and lets
 * corpses, motes and lights burn down (death_decay_hour()).
 *
 * Start reading at weather_pulse().
 */
#include "game/world.h"

#include <stdlib.h>

#include "base/xalloc.h"
#include "game/internal.h"
#include "base/banned.h"

#define WEATHER_HOUR_MS	   60000
#define WEATHER_START_HOUR 8

static const char *const weather_period_names[] = {"dawn", "day", "dusk", "night"};
static const char *const weather_names[] = {"clear", "cloudy", "rain", "fog", "storm"};

/* One way the weather can turn, with its weight among its state's rows. */
struct weather_turn {
	enum weather from, to;
	int weight;
	const char *message; /* to players outdoors; NULL when nothing changes */
};

static const struct weather_turn weather_turns[] = {
	{WEATHER_CLEAR, WEATHER_CLOUDY, 60, "Clouds gather and cover the sky.\n"},
	{WEATHER_CLEAR, WEATHER_FOG, 20,
	 "A grey fog rises from the ground and swallows the distance.\n"},
	{WEATHER_CLEAR, WEATHER_CLEAR, 20, NULL},
	{WEATHER_CLOUDY, WEATHER_CLEAR, 35, "The clouds break up and drift away.\n"},
	{WEATHER_CLOUDY, WEATHER_RAIN, 40, "It starts to rain: cold, steady drops.\n"},
	{WEATHER_CLOUDY, WEATHER_FOG, 10, "The clouds sink low into a clinging fog.\n"},
	{WEATHER_CLOUDY, WEATHER_CLOUDY, 15, NULL},
	{WEATHER_RAIN, WEATHER_CLOUDY, 45, "The rain stops. Everything drips.\n"},
	{WEATHER_RAIN, WEATHER_STORM, 25,
	 "Thunder rolls overhead, and the rain turns to a lashing storm.\n"},
	{WEATHER_RAIN, WEATHER_RAIN, 30, NULL},
	{WEATHER_FOG, WEATHER_CLEAR, 50, "The fog thins and lifts.\n"},
	{WEATHER_FOG, WEATHER_CLOUDY, 40, "The fog lifts into a low grey sky.\n"},
	{WEATHER_FOG, WEATHER_FOG, 10, NULL},
	{WEATHER_STORM, WEATHER_RAIN, 70, "The storm passes, leaving a steady rain behind it.\n"},
	{WEATHER_STORM, WEATHER_STORM, 30, NULL},
};

static enum period weather_period_of(int hour)
{
	if (hour >= 5 && hour <= 6)
		return PERIOD_DAWN;
	if (hour >= 7 && hour <= 17)
		return PERIOD_DAY;
	if (hour >= 18 && hour <= 19)
		return PERIOD_DUSK;
	return PERIOD_NIGHT;
}

void weather_init(struct world *w)
{
	w->game_hours = 0;
	w->sky.hour = WEATHER_START_HOUR;
	w->sky.period = weather_period_of(w->sky.hour);
	w->sky.weather = WEATHER_CLEAR;
	w->sky.next_change_hour = 3;
}

int world_hour(const struct world *w)
{
	return w->sky.hour;
}

const char *world_time_period(const struct world *w)
{
	return weather_period_names[w->sky.period];
}

const struct sky *world_sky(const struct world *w)
{
	return &w->sky;
}

const char *world_weather_name(enum weather wx)
{
	return (unsigned)wx <= WEATHER_STORM ? weather_names[wx] : "clear";
}

/* Sends markup to every awake, linked player under the open sky. */
static void weather_tell_outdoors(struct world *w, const char *markup)
{
	DLIST_FOREACH(&w->chars, l)
	{
		const struct character *ch = dlist_entry(l, struct character, world_link);

		if (ch->pc && ch->pc->session && ch->pos > POS_SLEEPING &&
		    world_room_outdoors(ch->room))
			world_send(w, ch, markup);
	}
}

/* Night fell or lifted: players outdoors see their room anew (Room.Info). */
static void weather_refresh_rooms(struct world *w)
{
	DLIST_FOREACH(&w->chars, l)
	{
		const struct character *ch = dlist_entry(l, struct character, world_link);

		if (ch->pc && ch->pc->session && world_room_outdoors(ch->room))
			gmcp_send_room_info(w, ch);
	}
}

static const char *weather_period_message(const struct world *w)
{
	bool clear = w->sky.weather == WEATHER_CLEAR;

	switch (w->sky.period) {
	case PERIOD_DAWN:
		return clear ? "The sky in the east grows pale: dawn is coming.\n"
			     : "The darkness thins to grey: somewhere behind the clouds, dawn.\n";
	case PERIOD_DAY:
		return clear ? "The sun rises over the trees.\n" : "Day comes, grey and sunless.\n";
	case PERIOD_DUSK:
		return clear ? "The sun sinks low, and long shadows stretch across the ground.\n"
			     : "The light begins to fail.\n";
	case PERIOD_NIGHT:
		return clear ? "Night falls. The stars come out, one by one.\n"
			     : "Night falls, starless and black.\n";
	}
	return NULL;
}

static void weather_change(struct world *w)
{
	int total = 0, roll;

	for (size_t i = 0; i < sizeof(weather_turns) / sizeof(weather_turns[0]); i++)
		if (weather_turns[i].from == w->sky.weather)
			total += weather_turns[i].weight;
	roll = world_rand(w, 1, total);
	for (size_t i = 0; i < sizeof(weather_turns) / sizeof(weather_turns[0]); i++) {
		const struct weather_turn *t = &weather_turns[i];

		if (t->from != w->sky.weather)
			continue;
		roll -= t->weight;
		if (roll > 0)
			continue;
		w->sky.weather = t->to;
		if (t->message)
			weather_tell_outdoors(w, t->message);
		break;
	}
	w->sky.next_change_hour = (int)w->game_hours + world_rand(w, 3, 6);
}

/* TRIG_TIME for every mob that has it, by ref: a trigger may destroy any of them. */
static void weather_time_triggers(struct world *w)
{
	ref_t *refs = NULL;
	size_t n = 0, cap = 0;

	DLIST_FOREACH(&w->chars, l)
	{
		const struct character *ch = dlist_entry(l, struct character, world_link);

		if (!ch->room || !trigger_char_has(ch, TRIG_TIME, false))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			refs = xreallocarray(refs, cap, sizeof(*refs));
		}
		refs[n++] = ch->ref;
	}
	for (size_t i = 0; i < n; i++)
		world_fire(w, &(struct trig_event){.trig = TRIG_TIME,
						   .self = refs[i],
						   .text = world_time_period(w),
						   .dir = -1,
						   .number = w->sky.hour});
	free(refs);
}

static void weather_new_hour(struct world *w)
{
	enum period was = w->sky.period;

	w->game_hours++;
	w->sky.hour = (int)((WEATHER_START_HOUR + w->game_hours) % 24);
	w->sky.period = weather_period_of(w->sky.hour);
	if (w->sky.period != was)
		weather_tell_outdoors(w, weather_period_message(w));
	if ((was == PERIOD_NIGHT) != (w->sky.period == PERIOD_NIGHT))
		weather_refresh_rooms(w);
	if (w->game_hours >= w->sky.next_change_hour)
		weather_change(w);
	death_decay_hour(w);
	weather_time_triggers(w);
}

void weather_pulse(struct world *w)
{
	if (w->now_ms > 0 && w->now_ms % WEATHER_HOUR_MS == 0)
		weather_new_hour(w);
}
