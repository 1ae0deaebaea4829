/*
 * test_lines.c: line splitting with a cap: every split of a stream gives the
 * same lines, CR LF and bare LF, empty lines, overlong lines dropped once
 * (whole or arriving in pieces) without ever buffering more than the cap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/lines.h"

struct seen {
	struct buf text; /* every line, each followed by '|' */
	int lines;
	int overlong;
	size_t max_pending;
};

static void seen_line(void *ud, const char *line, size_t n)
{
	struct seen *s = ud;

	assert_int_equal(line[n], '\0');
	buf_append(&s->text, line, n);
	buf_putc(&s->text, '|');
	s->lines++;
}

static void seen_overlong(void *ud, size_t max)
{
	struct seen *s = ud;

	assert_int_equal(max, 8);
	buf_puts(&s->text, "<long>|");
	s->overlong++;
}

static void seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	buf_init(&s->text, 0);
}

/* Feeds stream in two parts split at cut, then in single bytes. */
static void feed_split(const char *stream, size_t cut, size_t max, struct seen *s)
{
	struct lines l;
	size_t n = strlen(stream);

	lines_init(&l, max);
	lines_feed(&l, stream, cut, seen_line, seen_overlong, s);
	if (lines_pending(&l) > s->max_pending)
		s->max_pending = lines_pending(&l);
	lines_feed(&l, stream + cut, n - cut, seen_line, seen_overlong, s);
	lines_fini(&l);
}

static void test_every_split(void **state)
{
	const char *stream = "{\"op\":1}\r\n\nab\ncd\r\n0123456789abc\nxy\r\n12345678\r\ntail";
	const char *want = "{\"op\":1}||ab|cd|<long>|xy|12345678|";

	(void)state;
	for (size_t cut = 0; cut <= strlen(stream); cut++) {
		struct seen s;

		seen_init(&s);
		feed_split(stream, cut, 8, &s);
		assert_string_equal(buf_cstr(&s.text), want);
		assert_int_equal(s.overlong, 1);
		assert_true(s.max_pending <= 9);
		buf_fini(&s.text);
	}
}

static void test_byte_by_byte(void **state)
{
	const char *stream = "abc\r\n0123456789012345678901234\nok\n";
	struct lines l;
	struct seen s;

	(void)state;
	seen_init(&s);
	lines_init(&l, 8);
	for (size_t i = 0; stream[i]; i++) {
		lines_feed(&l, stream + i, 1, seen_line, seen_overlong, &s);
		assert_true(lines_pending(&l) <= 9);
	}
	assert_string_equal(buf_cstr(&s.text), "abc|<long>|ok|");
	assert_int_equal(s.overlong, 1);
	lines_fini(&l);
	buf_fini(&s.text);
}

static void test_returns_count_and_reset(void **state)
{
	struct lines l;
	struct seen s;

	(void)state;
	seen_init(&s);
	lines_init(&l, 0);
	assert_int_equal(lines_feed(&l, "a\nb\nc", 5, seen_line, NULL, &s), 2);
	assert_int_equal(lines_pending(&l), 1);
	lines_reset(&l);
	assert_int_equal(lines_pending(&l), 0);
	assert_int_equal(lines_feed(&l, "d\n", 2, seen_line, NULL, &s), 1);
	assert_string_equal(buf_cstr(&s.text), "a|b|d|");
	lines_fini(&l);
	buf_fini(&s.text);
}

static void test_overlong_without_callback_and_nul(void **state)
{
	struct lines l;
	struct seen s;
	const char bytes[] = "a\0b\n0123456789\nz\n";

	(void)state;
	seen_init(&s);
	lines_init(&l, 8);
	assert_int_equal(lines_feed(&l, bytes, sizeof(bytes) - 1, seen_line, NULL, &s), 2);
	assert_int_equal(s.text.len, 6);
	assert_memory_equal(s.text.data, "a\0b|z|", 6);
	lines_fini(&l);
	buf_fini(&s.text);
}

static void test_exact_cap(void **state)
{
	struct lines l;
	struct seen s;

	(void)state;
	seen_init(&s);
	lines_init(&l, 8);
	/* 8 bytes pass, with or without CR; 9 do not, even when the 9th comes alone. */
	lines_feed(&l, "12345678", 8, seen_line, seen_overlong, &s);
	lines_feed(&l, "\r", 1, seen_line, seen_overlong, &s);
	lines_feed(&l, "\n123456789", 10, seen_line, seen_overlong, &s);
	lines_feed(&l, "\nok\n", 4, seen_line, seen_overlong, &s);
	assert_string_equal(buf_cstr(&s.text), "12345678|<long>|ok|");
	lines_fini(&l);
	buf_fini(&s.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_byte_by_byte),
		cmocka_unit_test(test_returns_count_and_reset),
		cmocka_unit_test(test_overlong_without_callback_and_nul),
		cmocka_unit_test(test_exact_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
