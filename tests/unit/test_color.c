/*
 * test_color.c: the color markup and its rendering (src/base/color.h).
 *
 * The exact escape bytes of every code at every level, hex colors mapped to
 * 256 and 16, codes that must survive as text, when the closing reset is
 * written, and the guarantee that escaped player text can inject neither
 * markup nor raw terminal controls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/color.h"
#include "base/utf8.h"
#include "base/banned.h"

#define ESC   "\033"
#define RESET ESC "[0m"

static const enum color_level all_levels[] = {COLOR_NONE, COLOR_16, COLOR_256, COLOR_TRUE};

/* Renders the NUL-terminated markup at level and compares with want. */
static void check_render(const char *markup, enum color_level level, const char *want)
{
	struct buf out;

	buf_init(&out, 0);
	color_render(&out, markup, strlen(markup), level);
	assert_string_equal(buf_cstr(&out), want);
	assert_int_equal(out.len, strlen(want));
	buf_fini(&out);
}

static void test_named_codes_every_level(void **state)
{
	static const char letters[] = "krgybmcw";
	char markup[8], want[32];

	(void)state;
	for (int i = 0; i < 8; i++) {
		for (size_t l = 1; l < 4; l++) {
			/* Lower case: normal intensity, SGR 0;3N. */
			markup[0] = '{';
			markup[1] = letters[i];
			markup[2] = 'a';
			markup[3] = '\0';
			snprintf(want, sizeof(want), ESC "[0;%dma" RESET, 30 + i);
			check_render(markup, all_levels[l], want);
			/* Upper case: bold/bright, SGR 1;3N. */
			markup[1] = (char)(letters[i] - 'a' + 'A');
			snprintf(want, sizeof(want), ESC "[1;%dma" RESET, 30 + i);
			check_render(markup, all_levels[l], want);
		}
		markup[1] = letters[i];
		check_render(markup, COLOR_NONE, "a");
		markup[1] = (char)(letters[i] - 'a' + 'A');
		check_render(markup, COLOR_NONE, "a");
	}
}

static void test_exact_examples(void **state)
{
	(void)state;
	check_render("{rred{x plain", COLOR_16, ESC "[0;31mred" RESET " plain");
	check_render("{Kgrey", COLOR_256, ESC "[1;30mgrey" RESET);
	check_render("{W", COLOR_TRUE, ESC "[1;37m" RESET);
	check_render("{uunder{x", COLOR_16, ESC "[4munder" RESET);
	check_render("{u{Ga", COLOR_256, ESC "[4m" ESC "[1;32ma" RESET);
	check_render("{ra{gb{xc", COLOR_16, ESC "[0;31ma" ESC "[0;32mb" RESET "c");
}

static void test_reset_only_when_needed(void **state)
{
	(void)state;
	for (size_t l = 0; l < 4; l++) {
		check_render("", all_levels[l], "");
		check_render("plain text", all_levels[l], "plain text");
		/* {x with nothing to undo writes nothing. */
		check_render("{xplain{x", all_levels[l], "plain");
		check_render("{{ braces }}", all_levels[l], "{ braces }}");
	}
	/* One reset for the closing {x, none appended after it. */
	check_render("{bblue{x", COLOR_16, ESC "[0;34mblue" RESET);
	check_render("{bblue{x{x", COLOR_16, ESC "[0;34mblue" RESET);
	/* Left dirty: the reset is appended. */
	check_render("{bblue", COLOR_16, ESC "[0;34mblue" RESET);
	check_render("{#00ff00}x", COLOR_TRUE, ESC "[38;2;0;255;0mx" RESET);
	/* Dirty again after a reset. */
	check_render("{ra{xb{gc", COLOR_16, ESC "[0;31ma" RESET "b" ESC "[0;32mc" RESET);
}

static void test_none_strips_everything(void **state)
{
	(void)state;
	check_render("{rR{gG{yY{bB{mM{cC{wW{kK{RR{GG{YY{BB{MM{CC{WW{KK{uU{xX", COLOR_NONE,
		     "RGYBMCWKRGYBMCWKUX");
	check_render("{#ff8800}orange{x and {#000000}black", COLOR_NONE, "orange and black");
	check_render("a{{b", COLOR_NONE, "a{b");
}

static void test_literal_brace_and_unknown(void **state)
{
	(void)state;
	for (size_t l = 0; l < 4; l++) {
		check_render("{{", all_levels[l], "{");
		check_render("{{{{", all_levels[l], "{{");
		check_render("{{r", all_levels[l], "{r");
		/* Unknown codes stay as written. */
		check_render("{z", all_levels[l], "{z");
		check_render("{X{U{1{}{ {-", all_levels[l], "{X{U{1{}{ {-");
		check_render("json {\"a\":1}", all_levels[l], "json {\"a\":1}");
		/* A lone '{' at the very end is text. */
		check_render("end{", all_levels[l], "end{");
		check_render("{", all_levels[l], "{");
		/* Invalid hex codes stay as written too. */
		check_render("{#12345}", all_levels[l], "{#12345}");
		check_render("{#1234567}", all_levels[l], "{#1234567}");
		check_render("{#gg0000}", all_levels[l], "{#gg0000}");
		check_render("{#ff0000", all_levels[l], "{#ff0000");
		check_render("{#ff00", all_levels[l], "{#ff00");
		check_render("{#", all_levels[l], "{#");
		check_render("{#-10000}", all_levels[l], "{#-10000}");
	}
}

static void test_hex_levels(void **state)
{
	(void)state;
	check_render("{#ff0000}", COLOR_TRUE, ESC "[38;2;255;0;0m" RESET);
	check_render("{#FFaa09}", COLOR_TRUE, ESC "[38;2;255;170;9m" RESET);
	check_render("{#000000}", COLOR_TRUE, ESC "[38;2;0;0;0m" RESET);
	/* 256: the 6x6x6 cube (16 + 36r + 6g + b) or the grey ramp (232-255). */
	check_render("{#ff0000}", COLOR_256, ESC "[38;5;196m" RESET);
	check_render("{#000000}", COLOR_256, ESC "[38;5;16m" RESET);
	check_render("{#ffffff}", COLOR_256, ESC "[38;5;231m" RESET);
	check_render("{#5f87af}", COLOR_256, ESC "[38;5;67m" RESET);
	check_render("{#808080}", COLOR_256, ESC "[38;5;244m" RESET);
	check_render("{#121212}", COLOR_256, ESC "[38;5;233m" RESET);
	/* 16: the nearest xterm color, bright ones as bold. */
	check_render("{#ff0000}", COLOR_16, ESC "[1;31m" RESET);
	check_render("{#cd0000}", COLOR_16, ESC "[0;31m" RESET);
	check_render("{#000000}", COLOR_16, ESC "[0;30m" RESET);
	check_render("{#ffffff}", COLOR_16, ESC "[1;37m" RESET);
	check_render("{#7f7f7f}", COLOR_16, ESC "[1;30m" RESET);
	check_render("{#0000ff}", COLOR_16, ESC "[0;34m" RESET);
	check_render("{#00ff00}hi{x", COLOR_16, ESC "[1;32mhi" RESET);
}

static void test_hostile_markup(void **state)
{
	static const char nul_markup[] = {'a', '{', '\0', 'b', '{'};
	struct buf out;

	(void)state;
	/* A NUL after '{' is not a color code; the bytes all survive. */
	buf_init(&out, 0);
	color_render(&out, nul_markup, sizeof(nul_markup), COLOR_16);
	assert_int_equal(out.len, sizeof(nul_markup));
	assert_memory_equal(out.data, nul_markup, sizeof(nul_markup));
	buf_clear(&out);
	/* n is respected: a code cut by n is not read past it. */
	color_render(&out, "ab{r", 3, COLOR_16);
	assert_string_equal(buf_cstr(&out), "ab{");
	buf_clear(&out);
	color_render(&out, "{#ff0000}", 8, COLOR_TRUE);
	assert_string_equal(buf_cstr(&out), "{#ff0000");
	buf_clear(&out);
	/* Rendering appends. */
	buf_puts(&out, ">");
	color_render(&out, "{gx", 3, COLOR_16);
	assert_string_equal(buf_cstr(&out), ">" ESC "[0;32mx" RESET);
	buf_fini(&out);
}

/* Escapes text (n bytes) and compares the markup with want. */
static void check_escape(const char *text, size_t n, const char *want)
{
	struct buf out;

	buf_init(&out, 0);
	color_escape(&out, text, n);
	assert_string_equal(buf_cstr(&out), want);
	assert_int_equal(out.len, strlen(want));
	buf_fini(&out);
}

#define ESCAPE(text, want) check_escape((text), sizeof(text) - 1, (want))

static void test_escape(void **state)
{
	(void)state;
	ESCAPE("", "");
	ESCAPE("hello there", "hello there");
	ESCAPE("{r", "{{r");
	ESCAPE("{{", "{{{{");
	ESCAPE("a{#ff0000}b", "a{{#ff0000}b");
	ESCAPE("}", "}");
	ESCAPE("tab\there", "tab here");
	/* ESC and the rest of C0 are dropped, so "\033[2J" cannot clear a screen. */
	ESCAPE("\033[2Jboom", "[2Jboom");
	ESCAPE("a\r\nb\x07\x08\x01\x1F"
	       "c",
	       "abc");
	ESCAPE("del\x7F", "del");
	ESCAPE("nul\0x", "nulx");
	/* C1 controls (CSI U+009B, NEL U+0085) too; other UTF-8 is kept. */
	ESCAPE("\xC2\x9B"
	       "31m",
	       "31m");
	ESCAPE("a\xC2\x80\xC2\x85\xC2\x9F"
	       "b",
	       "ab");
	ESCAPE("caf\xC3\xA9 \xC2\xA0\xC2\xA9 \xE2\x82\xAC",
	       "caf\xC3\xA9 \xC2\xA0\xC2\xA9 \xE2\x82\xAC");
}

static void test_escape_every_control(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out, 0);
	for (unsigned c = 0; c < 0x20; c++) {
		char in[3] = {'x', (char)c, 'y'};

		buf_clear(&out);
		color_escape(&out, in, 3);
		assert_string_equal(buf_cstr(&out), c == '\t' ? "x y" : "xy");
	}
	for (unsigned c = 0x80; c <= 0x9F; c++) {
		char in[4] = {'x', '\xC2', (char)c, 'y'};

		buf_clear(&out);
		color_escape(&out, in, 4);
		assert_string_equal(buf_cstr(&out), "xy");
	}
	buf_fini(&out);
}

static void test_escape_round_trip(void **state)
{
	static const char alphabet[] = "{}{#rRxXuUkK 09af{{ \xC3\xA9\xE2\x82\xAC}";
	struct buf text, markup, plain;
	uint32_t seed = 12345;

	(void)state;
	buf_init(&text, 0);
	buf_init(&markup, 0);
	buf_init(&plain, 0);
	for (int round = 0; round < 2000; round++) {
		int len = round % 40;

		buf_clear(&text);
		for (int i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* Whole UTF-8 sequences only: pick the start of one. */
			size_t k = (seed >> 16) % (sizeof(alphabet) - 1);

			while (((unsigned char)alphabet[k] & 0xC0) == 0x80)
				k--;
			if ((unsigned char)alphabet[k] == 0xC3)
				buf_append(&text, alphabet + k, 2);
			else if ((unsigned char)alphabet[k] == 0xE2)
				buf_append(&text, alphabet + k, 3);
			else
				buf_putc(&text, alphabet[k]);
		}
		buf_clear(&markup);
		color_escape(&markup, buf_cstr(&text), text.len);
		/* Escaped text renders to itself at every level: no color can leak in. */
		for (size_t l = 0; l < 4; l++) {
			buf_clear(&plain);
			color_render(&plain, buf_cstr(&markup), markup.len, all_levels[l]);
			assert_int_equal(plain.len, text.len);
			assert_memory_equal(buf_cstr(&plain), buf_cstr(&text), text.len);
		}
		/* The visible length is that of the original text. */
		assert_int_equal(color_visible_length(buf_cstr(&markup), markup.len),
				 utf8_length(buf_cstr(&text), text.len));
	}
	buf_fini(&text);
	buf_fini(&markup);
	buf_fini(&plain);
}

static void test_visible_length(void **state)
{
	(void)state;
	assert_int_equal(color_visible_length("", 0), 0);
	assert_int_equal(color_visible_length("plain", 5), 5);
	assert_int_equal(color_visible_length("{rHello{x", 9), 5);
	assert_int_equal(color_visible_length("{#ff0000}ab{x", 13), 2);
	assert_int_equal(color_visible_length("{{", 2), 1);
	assert_int_equal(color_visible_length("{z", 2), 2);
	assert_int_equal(color_visible_length("end{", 4), 4);
	assert_int_equal(color_visible_length("{Gcaf\xC3\xA9 \xE2\x82\xAC", 11), 6);
	assert_int_equal(color_visible_length("{r{g{b{u{x", 10), 0);
}

static void test_level_names(void **state)
{
	(void)state;
	assert_string_equal(color_level_name(COLOR_NONE), "none");
	assert_string_equal(color_level_name(COLOR_16), "16");
	assert_string_equal(color_level_name(COLOR_256), "256");
	assert_string_equal(color_level_name(COLOR_TRUE), "truecolor");
	assert_string_equal(color_level_name((enum color_level)42), "none");
	for (size_t l = 0; l < 4; l++)
		assert_int_equal(color_level_parse(color_level_name(all_levels[l])),
				 (int)all_levels[l]);
	assert_int_equal(color_level_parse("off"), COLOR_NONE);
	assert_int_equal(color_level_parse("on"), COLOR_16);
	assert_int_equal(color_level_parse("ansi"), COLOR_16);
	assert_int_equal(color_level_parse("true"), COLOR_TRUE);
	assert_int_equal(color_level_parse("24bit"), COLOR_TRUE);
	assert_int_equal(color_level_parse(""), -1);
	assert_int_equal(color_level_parse("rainbow"), -1);
	assert_int_equal(color_level_parse("2566"), -1);
	assert_int_equal(color_level_parse("25"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_codes_every_level),
		cmocka_unit_test(test_exact_examples),
		cmocka_unit_test(test_reset_only_when_needed),
		cmocka_unit_test(test_none_strips_everything),
		cmocka_unit_test(test_literal_brace_and_unknown),
		cmocka_unit_test(test_hex_levels),
		cmocka_unit_test(test_hostile_markup),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_every_control),
		cmocka_unit_test(test_escape_round_trip),
		cmocka_unit_test(test_visible_length),
		cmocka_unit_test(test_level_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
