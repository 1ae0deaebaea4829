/*
 * test_stats.c: pulse percentiles, overruns, the per-second history ring.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats.h"

static void test_empty(void **state)
{
	static struct stats s;
	struct stats_summary sum;

	(void)state;
	stats_init(&s);
	stats_summarize(&s, &sum);
	assert_int_equal(sum.p50_us, 0);
	assert_int_equal(sum.pulses, 0);
	assert_null(stats_history(&s, 0));
}

static void test_percentiles(void **state)
{
	static struct stats s;
	struct stats_summary sum;

	(void)state;
	stats_init(&s);
	/* 1..100 ms in a scrambled order. */
	for (uint32_t i = 0; i < 100; i++)
		stats_pulse(&s, ((i * 37) % 100 + 1) * 1000);
	stats_summarize(&s, &sum);
	assert_int_equal(sum.p50_us, 50000);
	assert_int_equal(sum.p99_us, 99000);
	assert_int_equal(sum.max_us, 100000);
	assert_int_equal(sum.overruns, 0);
	stats_pulse(&s, 100001);
	stats_summarize(&s, &sum);
	assert_int_equal(sum.overruns, 1);
	assert_int_equal(sum.pulses, 101);
}

static void test_ring_forgets_old_pulses(void **state)
{
	static struct stats s;
	struct stats_summary sum;

	(void)state;
	stats_init(&s);
	stats_pulse(&s, 900000);
	for (int i = 0; i < STATS_PULSES; i++)
		stats_pulse(&s, 10);
	stats_summarize(&s, &sum);
	assert_int_equal(sum.max_us, 10);
	assert_int_equal(s.pulse_max_us, 900000);
}

static void test_history(void **state)
{
	static struct stats s;
	const struct stats_second *h;

	(void)state;
	stats_init(&s);
	for (int sec = 0; sec < STATS_SECONDS + 5; sec++) {
		for (int c = 0; c < sec; c++)
			stats_command(&s);
		stats_bytes(&s, (uint64_t)sec, 2 * (uint64_t)sec);
		stats_second(&s);
	}
	h = stats_history(&s, 0);
	assert_non_null(h);
	assert_int_equal(h->commands, STATS_SECONDS + 4);
	assert_int_equal(h->bytes_out, 2 * (STATS_SECONDS + 4));
	h = stats_history(&s, STATS_SECONDS - 1);
	assert_non_null(h);
	assert_int_equal(h->commands, 5);
	assert_null(stats_history(&s, STATS_SECONDS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_ring_forgets_old_pulses),
		cmocka_unit_test(test_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
