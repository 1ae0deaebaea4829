/*
 * test_wrap.c: word wrapping counts code points, skips ANSI escapes and
 * breaks only at spaces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/wrap.h"

static void check(const char *in, int width, const char *want)
{
	struct buf out;

	buf_init(&out, 0);
	wrap_text(&out, in, strlen(in), width);
	assert_string_equal(buf_cstr(&out), want);
	buf_fini(&out);
}

static void test_short_lines_untouched(void **state)
{
	(void)state;
	check("hello world\n", 20, "hello world\n");
	check("", 20, "");
	check("exactly ten", 11, "exactly ten");
}

static void test_breaks_at_last_space(void **state)
{
	(void)state;
	check("the quick brown fox jumps", 10, "the quick\nbrown fox\njumps");
	check("aaaa bbbb cccc\ndd ee\n", 10, "aaaa bbbb\ncccc\ndd ee\n");
}

static void test_long_word_left_whole(void **state)
{
	(void)state;
	check("abcdefghijklmnop q", 10, "abcdefghijklmnop\nq");
}

static void test_escapes_do_not_count(void **state)
{
	(void)state;
	check("\033[1;31mred\033[0m text here", 14, "\033[1;31mred\033[0m text here");
	check("\033[1;31mred\033[0m text here now", 14, "\033[1;31mred\033[0m text here\nnow");
}

static void test_utf8_counts_code_points(void **state)
{
	(void)state;
	/* "é" is two bytes but one column: 9 columns fit in 10, 18 bytes would not. */
	check("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 10,
	      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	check("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9", 10,
	      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n\xc3\xa9");
}

static void test_tiny_width_is_ignored(void **state)
{
	(void)state;
	check("a b c d e f", 3, "a b c d e f");
}

static void test_leading_indent_kept(void **state)
{
	(void)state;
	check("   indented words here", 12, "   indented\nwords here");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_lines_untouched),
		cmocka_unit_test(test_breaks_at_last_space),
		cmocka_unit_test(test_long_word_left_whole),
		cmocka_unit_test(test_escapes_do_not_count),
		cmocka_unit_test(test_utf8_counts_code_points),
		cmocka_unit_test(test_tiny_width_is_ignored),
		cmocka_unit_test(test_leading_indent_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
