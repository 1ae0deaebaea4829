/*
 * test_bridge_outq.c: ruin-bridge's message queue (bridge/outq.h).
 *
 * Messages come out whole and in order, with writable headroom in front
 * of each; trimming drops the oldest; the buffer compacts instead of
 * growing without end under a steady stream, and is freed once drained.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../bridge/outq.h"
#include "base/banned.h"

static void push_str(struct outq *q, const char *s)
{
	outq_push(q, s, strlen(s));
}

static void expect_front(struct outq *q, const char *s)
{
	size_t n;
	char *m = outq_peek(q, &n);

	assert_non_null(m);
	assert_int_equal(n, strlen(s));
	assert_memory_equal(m, s, n);
}

static void test_order_and_headroom(void **state)
{
	struct outq q;
	size_t n;
	char *m;

	(void)state;
	outq_init(&q, 16);
	assert_null(outq_peek(&q, &n));
	push_str(&q, "one");
	push_str(&q, "");
	push_str(&q, "three three");
	assert_int_equal(q.count, 3);
	assert_int_equal(q.bytes, 3 + 0 + 11);
	expect_front(&q, "one");
	/* The headroom is ours to write (lws puts a frame header there). */
	m = outq_peek(&q, &n);
	memset(m - 16, 0xAA, 16);
	expect_front(&q, "one");
	outq_pop(&q);
	expect_front(&q, "");
	outq_pop(&q);
	expect_front(&q, "three three");
	outq_pop(&q);
	assert_null(outq_peek(&q, &n));
	assert_int_equal(q.bytes, 0);
	outq_pop(&q); /* popping empty is harmless */
	outq_fini(&q);
}

static void test_trim_drops_oldest(void **state)
{
	struct outq q;
	char msg[32];

	(void)state;
	outq_init(&q, 8);
	for (int i = 0; i < 10; i++) {
		snprintf(msg, sizeof(msg), "msg%d....", i); /* 8 bytes each */
		push_str(&q, msg);
	}
	assert_int_equal(q.bytes, 80);
	assert_int_equal(outq_trim(&q, 35), 6);
	assert_int_equal(q.count, 4);
	assert_int_equal(q.bytes, 32);
	expect_front(&q, "msg6....");
	assert_int_equal(outq_trim(&q, 1000), 0);
	outq_clear(&q);
	assert_int_equal(q.count, 0);
	outq_fini(&q);
}

/* A producer a little ahead of a consumer, for a long time: memory stays
 * bounded by what is queued, not by what went through. */
static void test_steady_stream_compacts(void **state)
{
	struct outq q;
	char msg[64];
	size_t most = 0;
	int next_out = 0;

	(void)state;
	outq_init(&q, 16);
	for (int i = 0; i < 100000; i++) {
		snprintf(msg, sizeof(msg), "message number %d", i);
		push_str(&q, msg);
		if (q.count > 20) {
			snprintf(msg, sizeof(msg), "message number %d", next_out++);
			expect_front(&q, msg);
			outq_pop(&q);
		}
		if (outq_allocated(&q) > most)
			most = outq_allocated(&q);
	}
	assert_true(most <= 8192);
	while (q.count) {
		snprintf(msg, sizeof(msg), "message number %d", next_out++);
		expect_front(&q, msg);
		outq_pop(&q);
	}
	assert_int_equal(next_out, 100000);
	outq_fini(&q);
}

static void test_freed_when_drained(void **state)
{
	struct outq q;
	char big[50000];

	(void)state;
	outq_init(&q, 16);
	memset(big, 'b', sizeof(big));
	outq_push(&q, big, sizeof(big));
	push_str(&q, "after");
	assert_true(outq_allocated(&q) >= sizeof(big));
	outq_pop(&q);
	expect_front(&q, "after");
	outq_pop(&q);
	/* An idle session does not keep the big buffer. */
	assert_true(outq_allocated(&q) <= OUTQ_KEEP);
	push_str(&q, "again");
	expect_front(&q, "again");
	outq_fini(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_headroom),
		cmocka_unit_test(test_trim_drops_oldest),
		cmocka_unit_test(test_steady_stream_compacts),
		cmocka_unit_test(test_freed_when_drained),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
