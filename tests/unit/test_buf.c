/*
 * test_buf.c: struct buf, the capped growable buffer (src/base/buf.h).
 *
 * Covers the all-or-nothing limit and its sticky error, printf through both
 * the small stack path and the long path, consume/truncate/steal, embedded
 * NUL bytes and the default limit of a zero-initialised buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/banned.h"

static void test_init_empty(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(b.limit, BUF_DEFAULT_LIMIT);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.err, 0);
	assert_null(b.data);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_room(&b), BUF_DEFAULT_LIMIT);
	buf_fini(&b);
}

static void test_append_terminates(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_puts(&b, "hello"), 0);
	assert_int_equal(buf_putc(&b, ' '), 0);
	assert_int_equal(buf_append(&b, "worldXXX", 5), 0);
	assert_int_equal(b.len, 11);
	assert_string_equal(buf_cstr(&b), "hello world");
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(buf_append(&b, NULL, 0), 0);
	assert_int_equal(b.len, 11);
	buf_fini(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void test_growth_keeps_bytes(void **state)
{
	struct buf b;
	char expect[5000];

	(void)state;
	buf_init(&b, 0);
	for (size_t i = 0; i < sizeof(expect); i++) {
		expect[i] = (char)('a' + i % 26);
		assert_int_equal(buf_putc(&b, expect[i]), 0);
	}
	assert_int_equal(b.len, sizeof(expect));
	assert_true(b.alloc > b.len);
	assert_memory_equal(b.data, expect, sizeof(expect));
	assert_int_equal(b.data[b.len], '\0');
	buf_fini(&b);
}

static void test_limit_exactly_reached(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "1234"), 0);
	assert_int_equal(buf_room(&b), 4);
	assert_int_equal(buf_puts(&b, "5678"), 0);
	assert_int_equal(b.len, 8);
	assert_int_equal(b.err, 0);
	assert_int_equal(buf_room(&b), 0);
	assert_string_equal(buf_cstr(&b), "12345678");
	/* Zero bytes still fit in a full buffer. */
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_int_equal(b.err, 0);
	/* One more byte does not. */
	assert_int_equal(buf_putc(&b, '9'), BUF_ERR_FULL);
	assert_int_equal(b.err, BUF_ERR_FULL);
	assert_string_equal(buf_cstr(&b), "12345678");
	buf_fini(&b);
}

static void test_limit_all_or_nothing_and_sticky(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_puts(&b, "abcdef"), 0);
	/* 5 bytes do not fit in the 4 left: nothing of them is appended. */
	assert_int_equal(buf_puts(&b, "ghijk"), BUF_ERR_FULL);
	assert_int_equal(b.len, 6);
	assert_string_equal(buf_cstr(&b), "abcdef");
	assert_int_equal(buf_room(&b), 0);
	/* Sticky: even what would fit now fails. */
	assert_int_equal(buf_putc(&b, 'g'), BUF_ERR_FULL);
	assert_int_equal(buf_append(&b, "", 0), BUF_ERR_FULL);
	assert_int_equal(buf_printf(&b, "%d", 1), BUF_ERR_FULL);
	assert_int_equal(b.len, 6);
	/* consume and truncate keep the error. */
	buf_consume(&b, 2);
	assert_int_equal(b.err, BUF_ERR_FULL);
	assert_string_equal(buf_cstr(&b), "cdef");
	buf_truncate(&b, 1);
	assert_int_equal(b.err, BUF_ERR_FULL);
	assert_int_equal(buf_putc(&b, 'x'), BUF_ERR_FULL);
	/* clear resets contents and error and keeps the limit. */
	buf_clear(&b);
	assert_int_equal(b.err, 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_room(&b), 10);
	assert_int_equal(buf_puts(&b, "0123456789"), 0);
	assert_int_equal(buf_putc(&b, 'x'), BUF_ERR_FULL);
	buf_fini(&b);
}

static void test_huge_append_rejected(void **state)
{
	struct buf b;
	char c = 'x';

	(void)state;
	buf_init(&b, 16);
	assert_int_equal(buf_putc(&b, 'a'), 0);
	/* A size that would wrap len + n must still be refused, not allocated. */
	assert_int_equal(buf_append(&b, &c, SIZE_MAX), BUF_ERR_FULL);
	assert_int_equal(b.len, 1);
	buf_fini(&b);
}

static void test_printf_small_and_large(void **state)
{
	struct buf b;
	char big[1000];

	(void)state;
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_init(&b, 0);
	assert_int_equal(buf_printf(&b, "n=%d s=%s", 42, "ok"), 0);
	assert_string_equal(buf_cstr(&b), "n=42 s=ok");
	assert_int_equal(buf_printf(&b, "[%s]", big), 0);
	assert_int_equal(b.len, 9 + 2 + 999);
	assert_memory_equal(b.data, "n=42 s=ok[", 10);
	assert_memory_equal(b.data + 10, big, 999);
	assert_int_equal(b.data[b.len - 1], ']');
	assert_int_equal(b.data[b.len], '\0');
	buf_fini(&b);
}

static void test_printf_boundary_sizes(void **state)
{
	(void)state;
	/* 255, 256 and 257 bytes straddle the 256-byte stack buffer. */
	for (int n = 250; n <= 262; n++) {
		struct buf b;

		buf_init(&b, 0);
		assert_int_equal(buf_puts(&b, "<"), 0);
		assert_int_equal(buf_printf(&b, "%0*d", n, 7), 0);
		assert_int_equal(b.len, (size_t)n + 1);
		assert_int_equal(b.data[0], '<');
		assert_int_equal(b.data[1], '0');
		assert_int_equal(b.data[n], '7');
		assert_int_equal(b.data[n + 1], '\0');
		assert_int_equal(strlen(b.data), (size_t)n + 1);
		buf_fini(&b);
	}
}

static void test_printf_past_limit(void **state)
{
	struct buf b;

	(void)state;
	/* Small path. */
	buf_init(&b, 10);
	assert_int_equal(buf_printf(&b, "%s", "12345"), 0);
	assert_int_equal(buf_printf(&b, "%s", "678901"), BUF_ERR_FULL);
	assert_string_equal(buf_cstr(&b), "12345");
	assert_int_equal(b.err, BUF_ERR_FULL);
	buf_fini(&b);

	/* Long path, over the limit. */
	buf_init(&b, 300);
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(buf_printf(&b, "%0298d", 1), BUF_ERR_FULL);
	assert_string_equal(buf_cstr(&b), "abc");
	assert_int_equal(b.err, BUF_ERR_FULL);
	assert_int_equal(buf_puts(&b, "d"), BUF_ERR_FULL);
	buf_clear(&b);
	/* Long path, exactly at the limit. */
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(buf_printf(&b, "%0297d", 1), 0);
	assert_int_equal(b.len, 300);
	assert_int_equal(buf_room(&b), 0);
	assert_int_equal(b.data[299], '1');
	assert_int_equal(b.data[300], '\0');
	buf_fini(&b);
}

static int vprintf_helper(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int vprintf_helper(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

static void test_vprintf(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(vprintf_helper(&b, "%s-%d-%c", "x", -5, 'q'), 0);
	assert_string_equal(buf_cstr(&b), "x--5-q");
	/* The long path needs the va_list twice; both reads must agree. */
	assert_int_equal(vprintf_helper(&b, "%300s|%d", "end", 99), 0);
	assert_int_equal(b.len, 6 + 300 + 3);
	assert_memory_equal(b.data + 6 + 297, "end|99", 6);
	buf_fini(&b);
}

static void test_consume(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	buf_consume(&b, 5); /* on a buffer that never allocated */
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_puts(&b, "line one\nline two\n"), 0);
	buf_consume(&b, 0);
	assert_string_equal(buf_cstr(&b), "line one\nline two\n");
	buf_consume(&b, 9);
	assert_string_equal(buf_cstr(&b), "line two\n");
	assert_int_equal(b.len, 9);
	buf_consume(&b, 9);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_puts(&b, "abc"), 0);
	buf_consume(&b, 1000);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(buf_puts(&b, "again"), 0);
	assert_string_equal(buf_cstr(&b), "again");
	buf_fini(&b);
}

static void test_consume_frees_room(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(buf_puts(&b, "abcd"), 0);
	buf_consume(&b, 3);
	assert_int_equal(buf_room(&b), 3);
	assert_int_equal(buf_puts(&b, "efg"), 0);
	assert_string_equal(buf_cstr(&b), "defg");
	buf_fini(&b);
}

static void test_truncate(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	buf_truncate(&b, 3); /* nothing held: no effect, no crash */
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_puts(&b, "abcdef"), 0);
	buf_truncate(&b, 10);
	assert_string_equal(buf_cstr(&b), "abcdef");
	buf_truncate(&b, 6);
	assert_string_equal(buf_cstr(&b), "abcdef");
	buf_truncate(&b, 2);
	assert_int_equal(b.len, 2);
	assert_string_equal(buf_cstr(&b), "ab");
	buf_truncate(&b, 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_fini(&b);
}

static void test_steal(void **state)
{
	struct buf b;
	char *p;

	(void)state;
	buf_init(&b, 5);
	p = buf_steal(&b);
	assert_non_null(p);
	assert_string_equal(p, "");
	free(p);

	assert_int_equal(buf_puts(&b, "hello"), 0);
	assert_int_equal(buf_putc(&b, '!'), BUF_ERR_FULL);
	p = buf_steal(&b);
	assert_string_equal(p, "hello");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	assert_int_equal(b.err, 0);
	assert_int_equal(b.limit, 5);
	/* The buffer is usable again and independent of the stolen bytes. */
	assert_int_equal(buf_puts(&b, "world"), 0);
	assert_string_equal(p, "hello");
	assert_string_equal(buf_cstr(&b), "world");
	free(p);
	buf_fini(&b);
}

static void test_nul_bytes_inside(void **state)
{
	struct buf b;
	static const char raw[] = {'a', '\0', 'b', '\0', '\0', 'c'};
	char *p;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_append(&b, raw, sizeof(raw)), 0);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, raw, sizeof(raw));
	assert_int_equal(b.data[6], '\0');
	assert_int_equal(buf_putc(&b, '\0'), 0);
	assert_int_equal(b.len, 7);
	/* The printf path counts an embedded %c NUL too. */
	assert_int_equal(buf_printf(&b, "%c%c", 'x', '\0'), 0);
	assert_int_equal(b.len, 9);
	assert_int_equal(b.data[7], 'x');
	assert_int_equal(b.data[8], '\0');
	buf_consume(&b, 2);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "b\0\0c\0x\0", 7);
	p = buf_steal(&b);
	assert_memory_equal(p, "b\0\0c\0x\0", 8);
	free(p);
	buf_fini(&b);
}

static void test_zero_initialised_buffer(void **state)
{
	struct buf b;
	char big[600];

	(void)state;
	/* A struct buf that was only zeroed acts as one with the default limit. */
	memset(&b, 0, sizeof(b));
	assert_int_equal(buf_room(&b), BUF_DEFAULT_LIMIT);
	assert_int_equal(buf_puts(&b, "x"), 0);
	assert_int_equal(b.limit, BUF_DEFAULT_LIMIT);
	buf_fini(&b);

	memset(&b, 0, sizeof(b));
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(buf_printf(&b, "%s", big), 0);
	assert_int_equal(b.len, sizeof(big) - 1);
	buf_fini(&b);
}

static void test_default_limit(void **state)
{
	struct buf b;
	char *chunk = malloc(4096);

	(void)state;
	memset(chunk, 'k', 4096);
	buf_init(&b, 0);
	for (size_t i = 0; i < BUF_DEFAULT_LIMIT / 4096; i++)
		assert_int_equal(buf_append(&b, chunk, 4096), 0);
	assert_int_equal(b.len, BUF_DEFAULT_LIMIT);
	assert_int_equal(buf_room(&b), 0);
	assert_int_equal(buf_putc(&b, 'k'), BUF_ERR_FULL);
	assert_int_equal(b.len, BUF_DEFAULT_LIMIT);
	free(chunk);
	buf_fini(&b);
}

static void test_reuse_after_fini(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 3);
	assert_int_equal(buf_puts(&b, "abcd"), BUF_ERR_FULL);
	buf_fini(&b);
	buf_init(&b, 3);
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_string_equal(buf_cstr(&b), "abc");
	buf_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_empty),
		cmocka_unit_test(test_append_terminates),
		cmocka_unit_test(test_growth_keeps_bytes),
		cmocka_unit_test(test_limit_exactly_reached),
		cmocka_unit_test(test_limit_all_or_nothing_and_sticky),
		cmocka_unit_test(test_huge_append_rejected),
		cmocka_unit_test(test_printf_small_and_large),
		cmocka_unit_test(test_printf_boundary_sizes),
		cmocka_unit_test(test_printf_past_limit),
		cmocka_unit_test(test_vprintf),
		cmocka_unit_test(test_consume),
		cmocka_unit_test(test_consume_frees_room),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_steal),
		cmocka_unit_test(test_nul_bytes_inside),
		cmocka_unit_test(test_zero_initialised_buffer),
		cmocka_unit_test(test_default_limit),
		cmocka_unit_test(test_reuse_after_fini),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
