/*
 * stats.h: the loop's health, measured on every pulse and kept for the
 * admin console: pulse durations (a ring of the last STATS_PULSES pulses,
 * with percentiles), overruns past the 100 ms budget, and per-second
 * counters (commands, bytes in and out) with a history of STATS_SECONDS.
 *
 * Pure bookkeeping over numbers the server hands in; no clock of its own.
 */
#ifndef RUIN_STATS_H
#define RUIN_STATS_H

#include <stddef.h>
#include <stdint.h>

#define STATS_PULSES	600 /* one minute of pulses */
#define STATS_SECONDS	300 /* five minutes of per-second history */
#define STATS_BUDGET_US 100000

struct stats_second {
	uint32_t commands;
	uint64_t bytes_in, bytes_out;
	uint32_t pulses;
	uint32_t pulse_max_us;
};

struct stats {
	uint32_t pulse_us[STATS_PULSES]; /* ring of pulse durations */
	size_t pulse_n;			 /* pulses recorded, saturating at STATS_PULSES */
	size_t pulse_head;		 /* next slot to write */
	uint64_t pulses;		 /* all pulses ever */
	uint64_t overruns;		 /* pulses longer than the budget */
	uint64_t commands;		 /* all commands ever */
	uint32_t pulse_max_us;		 /* longest pulse ever */
	struct stats_second cur;	 /* the second being counted */
	struct stats_second hist[STATS_SECONDS];
	size_t hist_n, hist_head;
};

struct stats_summary {
	uint32_t p50_us, p99_us, max_us; /* over the ring */
	uint64_t pulses, overruns, commands;
};

void stats_init(struct stats *s);
/* A pulse took us microseconds. */
void stats_pulse(struct stats *s, uint32_t us);
/* A command ran. */
void stats_command(struct stats *s);
/* Bytes moved since the last call. */
void stats_bytes(struct stats *s, uint64_t in, uint64_t out);
/* Closes the current second into the history (call once a second). */
void stats_second(struct stats *s);
void stats_summarize(const struct stats *s, struct stats_summary *out);
/* The i-th most recent finished second (0 = last); NULL if not recorded. */
const struct stats_second *stats_history(const struct stats *s, size_t i);

#endif
