/*
 * test_str.c: the small string helpers (src/base/str.h).
 *
 * str_copy truncation, the prefix rules used by command matching, trimming,
 * word splitting with quotes (including hostile, unterminated ones) and
 * strict integer parsing.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/str.h"
#include "base/banned.h"

static void test_copy_fits(void **state)
{
	char dst[8];

	(void)state;
	memset(dst, 'Z', sizeof(dst));
	assert_int_equal(str_copy(dst, sizeof(dst), "abc"), 0);
	assert_string_equal(dst, "abc");
	/* Exactly size - 1 bytes fit. */
	assert_int_equal(str_copy(dst, sizeof(dst), "1234567"), 0);
	assert_string_equal(dst, "1234567");
	assert_int_equal(str_copy(dst, sizeof(dst), ""), 0);
	assert_string_equal(dst, "");
}

static void test_copy_truncates(void **state)
{
	char dst[8];

	(void)state;
	memset(dst, 'Z', sizeof(dst));
	assert_int_equal(str_copy(dst, sizeof(dst), "12345678"), -1);
	assert_string_equal(dst, "1234567");
	assert_int_equal(str_copy(dst, sizeof(dst), "a much longer string"), -1);
	assert_string_equal(dst, "a much ");
	assert_int_equal(str_copy(dst, 1, "x"), -1);
	assert_string_equal(dst, "");
	/* size 0: nothing may be written at all. */
	dst[0] = 'Q';
	assert_int_equal(str_copy(dst, 0, "x"), -1);
	assert_int_equal(dst[0], 'Q');
	assert_int_equal(str_copy(dst, 0, ""), -1);
	assert_int_equal(dst[0], 'Q');
}

static void test_eq_nocase(void **state)
{
	(void)state;
	assert_true(str_eq_nocase("North", "nORTH"));
	assert_true(str_eq_nocase("", ""));
	assert_false(str_eq_nocase("north", "nort"));
	assert_false(str_eq_nocase("nort", "north"));
	assert_false(str_eq_nocase("", "a"));
}

static void test_prefix(void **state)
{
	(void)state;
	assert_true(str_prefix("n", "north"));
	assert_true(str_prefix("NoR", "north"));
	assert_true(str_prefix("north", "NORTH"));
	assert_false(str_prefix("northe", "north"));
	assert_false(str_prefix("s", "north"));
	/* The empty prefix matches nothing, so "" never picks a command. */
	assert_false(str_prefix("", "north"));
	assert_false(str_prefix("", ""));
	assert_false(str_prefix("a", ""));
}

static void test_starts_with(void **state)
{
	(void)state;
	assert_true(str_starts_with("Core.Hello", "Core."));
	assert_false(str_starts_with("core.Hello", "Core."));
	assert_false(str_starts_with("Core", "Core."));
	assert_true(str_starts_with("anything", ""));
	assert_true(str_starts_with("", ""));
}

static void test_trim(void **state)
{
	char a[] = "  \t hello world \r\n";
	char b[] = "plain";
	char c[] = " \t\r\n\v\f ";
	char d[] = "";
	char e[] = "x ";

	(void)state;
	assert_string_equal(str_trim(a), "hello world");
	assert_ptr_equal(str_trim(b), b);
	assert_string_equal(b, "plain");
	assert_string_equal(str_trim(c), "");
	assert_string_equal(str_trim(d), "");
	assert_ptr_equal(str_trim(e), e);
	assert_string_equal(e, "x");
}

static void test_lower_and_skip(void **state)
{
	char s[] = "MiXeD 123 \xC3\x89T\xC3\xA9";

	(void)state;
	str_lower(s);
	/* ASCII letters only; UTF-8 bytes are left alone. */
	assert_string_equal(s, "mixed 123 \xC3\x89t\xC3\xA9");
	assert_string_equal(str_skip_space(" \t\n x y"), "x y");
	assert_string_equal(str_skip_space("x"), "x");
	assert_string_equal(str_skip_space("   "), "");
}

/* Splits line into words joined by '|' into out. Returns the word count. */
static int split(const char *line, struct buf *out)
{
	struct buf word;
	const char *p = line;
	int n = 0;

	buf_init(&word, 0);
	buf_clear(out);
	while (str_next_word(&p, &word)) {
		if (n++)
			buf_putc(out, '|');
		buf_append(out, word.data ? word.data : "", word.len);
	}
	assert_int_equal(*p, '\0');
	/* Once exhausted it stays exhausted and leaves the word empty. */
	assert_false(str_next_word(&p, &word));
	assert_int_equal(word.len, 0);
	buf_fini(&word);
	return n;
}

static void test_next_word_plain(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out, 0);
	assert_int_equal(split("get sword from chest", &out), 4);
	assert_string_equal(buf_cstr(&out), "get|sword|from|chest");
	assert_int_equal(split("   \t spaced \t  out   ", &out), 2);
	assert_string_equal(buf_cstr(&out), "spaced|out");
	assert_int_equal(split("", &out), 0);
	assert_int_equal(split("   ", &out), 0);
	assert_int_equal(split("one", &out), 1);
	assert_string_equal(buf_cstr(&out), "one");
	/* An apostrophe inside a word is just a letter. */
	assert_int_equal(split("say it's fine", &out), 3);
	assert_string_equal(buf_cstr(&out), "say|it's|fine");
	buf_fini(&out);
}

static void test_next_word_quotes(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out, 0);
	assert_int_equal(split("tell \"old man\" hello there", &out), 4);
	assert_string_equal(buf_cstr(&out), "tell|old man|hello|there");
	assert_int_equal(split("get 'long sword'", &out), 2);
	assert_string_equal(buf_cstr(&out), "get|long sword");
	/* The other quote character is literal inside a quoted word. */
	assert_int_equal(split("\"it's here\" 'say \"hi\"'", &out), 2);
	assert_string_equal(buf_cstr(&out), "it's here|say \"hi\"");
	/* Empty quotes give one empty word. */
	assert_int_equal(split("a \"\" b", &out), 3);
	assert_string_equal(buf_cstr(&out), "a||b");
	/* A closing quote ends the word even without a following space. */
	assert_int_equal(split("\"a b\"c", &out), 2);
	assert_string_equal(buf_cstr(&out), "a b|c");
	buf_fini(&out);
}

static void test_next_word_unterminated_quote(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out, 0);
	/* An unterminated quote takes the rest of the line, spaces included. */
	assert_int_equal(split("say \"hello there  ", &out), 2);
	assert_string_equal(buf_cstr(&out), "say|hello there  ");
	assert_int_equal(split("'", &out), 1);
	assert_string_equal(buf_cstr(&out), "");
	assert_int_equal(split("\"", &out), 1);
	assert_string_equal(buf_cstr(&out), "");
	assert_int_equal(split("x '", &out), 2);
	assert_string_equal(buf_cstr(&out), "x|");
	buf_fini(&out);
}

static void test_next_word_advances(void **state)
{
	struct buf word;
	const char *line = "  kill   goblin  ";
	const char *p = line;

	(void)state;
	buf_init(&word, 0);
	assert_true(str_next_word(&p, &word));
	assert_string_equal(buf_cstr(&word), "kill");
	assert_ptr_equal(p, line + 6);
	/* The rest of the line is still there for the command. */
	assert_string_equal(str_skip_space(p), "goblin  ");
	assert_true(str_next_word(&p, &word));
	assert_string_equal(buf_cstr(&word), "goblin");
	assert_false(str_next_word(&p, &word));
	assert_string_equal(buf_cstr(&word), "");
	buf_fini(&word);
}

static void test_next_word_capped(void **state)
{
	struct buf word;
	const char *p = "abcdefghij next";

	(void)state;
	/* A word longer than the buffer's cap sets its error, not an overflow. */
	buf_init(&word, 4);
	assert_true(str_next_word(&p, &word));
	assert_int_equal(word.err, BUF_ERR_FULL);
	assert_int_equal(word.len, 0);
	/* The next word starts clean. */
	assert_true(str_next_word(&p, &word));
	assert_int_equal(word.err, 0);
	assert_string_equal(buf_cstr(&word), "next");
	buf_fini(&word);
}

static void test_to_long_ok(void **state)
{
	long v = -1;

	(void)state;
	assert_int_equal(str_to_long("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(str_to_long("10", 0, 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(str_to_long("-5", -5, 5, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(str_to_long("+7", 0, 10, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(str_to_long("007", 0, 10, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(str_to_long("9223372036854775807", LONG_MIN, LONG_MAX, &v), 0);
	assert_true(v == LONG_MAX);
	assert_int_equal(str_to_long("-9223372036854775808", LONG_MIN, LONG_MAX, &v), 0);
	assert_true(v == LONG_MIN);
}

static void test_to_long_rejects(void **state)
{
	static const char *const bad[] = {
		"",
		" ",
		"abc",
		"12abc",
		"1 ",
		" 1",
		"\t1",
		"1\n",
		"0x10",
		"1e3",
		"1.5",
		"--1",
		"+-1",
		"-",
		"+",
		"1,000",
		"\xEF\xBC\x91",
		"9223372036854775808",
		"-9223372036854775809",
		"99999999999999999999999",
	};
	long v = 1234;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(str_to_long(bad[i], LONG_MIN, LONG_MAX, &v), -1);
		/* Failure leaves the output alone. */
		assert_int_equal(v, 1234);
	}
}

static void test_to_long_bounds(void **state)
{
	long v = 1234;

	(void)state;
	assert_int_equal(str_to_long("11", 0, 10, &v), -1);
	assert_int_equal(str_to_long("-1", 0, 10, &v), -1);
	assert_int_equal(v, 1234);
	assert_int_equal(str_to_long("5", 5, 5, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(str_to_long("4", 5, 5, &v), -1);
	assert_int_equal(str_to_long("6", 5, 5, &v), -1);
	assert_int_equal(v, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy_fits),
		cmocka_unit_test(test_copy_truncates),
		cmocka_unit_test(test_eq_nocase),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_starts_with),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_lower_and_skip),
		cmocka_unit_test(test_next_word_plain),
		cmocka_unit_test(test_next_word_quotes),
		cmocka_unit_test(test_next_word_unterminated_quote),
		cmocka_unit_test(test_next_word_advances),
		cmocka_unit_test(test_next_word_capped),
		cmocka_unit_test(test_to_long_ok),
		cmocka_unit_test(test_to_long_rejects),
		cmocka_unit_test(test_to_long_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
