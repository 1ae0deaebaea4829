/*
 * stats.c: pulse durations and per-second counters. See stats.h.
 */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

void stats_init(struct stats *s)
{
	memset(s, 0, sizeof(*s));
}

void stats_pulse(struct stats *s, uint32_t us)
{
	s->pulse_us[s->pulse_head] = us;
	s->pulse_head = (s->pulse_head + 1) % STATS_PULSES;
	if (s->pulse_n < STATS_PULSES)
		s->pulse_n++;
	s->pulses++;
	if (us > STATS_BUDGET_US)
		s->overruns++;
	if (us > s->pulse_max_us)
		s->pulse_max_us = us;
	s->cur.pulses++;
	if (us > s->cur.pulse_max_us)
		s->cur.pulse_max_us = us;
}

void stats_command(struct stats *s)
{
	s->commands++;
	s->cur.commands++;
}

void stats_bytes(struct stats *s, uint64_t in, uint64_t out)
{
	s->cur.bytes_in += in;
	s->cur.bytes_out += out;
}

void stats_second(struct stats *s)
{
	s->hist[s->hist_head] = s->cur;
	s->hist_head = (s->hist_head + 1) % STATS_SECONDS;
	if (s->hist_n < STATS_SECONDS)
		s->hist_n++;
	memset(&s->cur, 0, sizeof(s->cur));
}

const struct stats_second *stats_history(const struct stats *s, size_t i)
{
	if (i >= s->hist_n)
		return NULL;
	return &s->hist[(s->hist_head + STATS_SECONDS - 1 - i) % STATS_SECONDS];
}

static int stats_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void stats_summarize(const struct stats *s, struct stats_summary *out)
{
	uint32_t sorted[STATS_PULSES];

	memset(out, 0, sizeof(*out));
	out->pulses = s->pulses;
	out->overruns = s->overruns;
	out->commands = s->commands;
	if (!s->pulse_n)
		return;
	memcpy(sorted, s->pulse_us, s->pulse_n * sizeof(sorted[0]));
	qsort(sorted, s->pulse_n, sizeof(sorted[0]), stats_cmp_u32);
	out->p50_us = sorted[(s->pulse_n - 1) / 2];
	out->p99_us = sorted[(s->pulse_n * 99 + 99) / 100 - 1];
	out->max_us = sorted[s->pulse_n - 1];
}
