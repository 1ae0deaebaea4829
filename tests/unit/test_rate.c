/*
 * test_rate.c: the token bucket (src/base/rate.h) that paces the server's
 * commands and the bridge's browser messages: full at first, a burst then
 * the sustained rate, the wait until the next token, no limit at rate 0,
 * and no overflow after a very long idle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/rate.h"
#include "base/banned.h"

static int takes(struct rate *r, int64_t now, int per_s, int burst, int tries)
{
	int n = 0;

	for (int i = 0; i < tries; i++)
		n += rate_take(r, now, per_s, burst);
	return n;
}

static void test_burst_then_empty(void **state)
{
	struct rate r;

	(void)state;
	rate_init(&r);
	assert_int_equal(rate_next_ms(&r, 5000, 10), 5000);
	assert_int_equal(takes(&r, 5000, 10, 4, 10), 4);
	assert_false(rate_take(&r, 5000, 10, 4));
}

static void test_sustained_rate(void **state)
{
	struct rate r;
	int n = 0;

	(void)state;
	rate_init(&r);
	assert_int_equal(takes(&r, 0, 20, 5, 5), 5);
	/* Two seconds, asked every millisecond: 20 a second, no more. */
	for (int64_t t = 1; t <= 2000; t++)
		n += rate_take(&r, t, 20, 5);
	assert_int_equal(n, 40);
}

static void test_next_token_time(void **state)
{
	struct rate r;

	(void)state;
	rate_init(&r);
	assert_int_equal(takes(&r, 1000, 4, 1, 1), 1);
	/* Empty: the next token is a quarter second away, and comes then. */
	assert_int_equal(rate_next_ms(&r, 1000, 4), 1250);
	assert_false(rate_take(&r, 1249, 4, 1));
	assert_int_equal(rate_next_ms(&r, 1249, 4), 1250);
	assert_true(rate_take(&r, 1250, 4, 1));
}

static void test_refill_stops_at_burst(void **state)
{
	struct rate r;

	(void)state;
	rate_init(&r);
	assert_int_equal(takes(&r, 0, 100, 3, 3), 3);
	/* A minute idle earns 6,000 tokens; the bucket holds 3. */
	assert_int_equal(takes(&r, 60000, 100, 3, 10), 3);
	/* Days idle at a huge rate: capped, not overflowed. */
	assert_int_equal(takes(&r, INT64_C(400000000000), 100000, 3, 10), 3);
}

static void test_no_limit(void **state)
{
	struct rate r;

	(void)state;
	rate_init(&r);
	assert_int_equal(takes(&r, 0, 0, 1, 1000), 1000);
	assert_int_equal(rate_next_ms(&r, 7, 0), 7);
}

static void test_time_going_back_is_no_gift(void **state)
{
	struct rate r;

	(void)state;
	rate_init(&r);
	assert_int_equal(takes(&r, 1000, 10, 2, 2), 2);
	assert_false(rate_take(&r, 500, 10, 2));
	assert_false(rate_take(&r, 1000, 10, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_empty),
		cmocka_unit_test(test_sustained_rate),
		cmocka_unit_test(test_next_token_time),
		cmocka_unit_test(test_refill_stops_at_burst),
		cmocka_unit_test(test_no_limit),
		cmocka_unit_test(test_time_going_back_is_no_gift),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
