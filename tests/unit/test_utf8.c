/*
 * test_utf8.c: UTF-8 decoding, repair and folding (src/base/utf8.h).
 *
 * Every byte class a hostile client can send (overlong forms, surrogates,
 * code points past U+10FFFF, bytes that never occur, stray continuation
 * bytes, sequences cut at the end), the exact bytes repair writes, stream
 * splitting at every offset, ASCII folding and Latin-1 conversion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/utf8.h"
#include "base/banned.h"

#define REPL "\xEF\xBF\xBD"

/* Decodes the literal s (without its terminator); returns the length. */
#define DECODE(s, cp) utf8_decode((s), sizeof(s) - 1, (cp))

static void test_decode_valid_classes(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(DECODE("A", &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\0", 1, &cp), 1);
	assert_int_equal(cp, 0);
	assert_int_equal(DECODE("\x7F", &cp), 1);
	assert_int_equal(cp, 0x7F);
	/* 2 bytes: the smallest (U+0080) and largest (U+07FF). */
	assert_int_equal(DECODE("\xC2\x80", &cp), 2);
	assert_int_equal(cp, 0x80);
	assert_int_equal(DECODE("\xC3\xA9", &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(DECODE("\xDF\xBF", &cp), 2);
	assert_int_equal(cp, 0x7FF);
	/* 3 bytes: U+0800, the euro sign, both sides of the surrogates, U+FFFF. */
	assert_int_equal(DECODE("\xE0\xA0\x80", &cp), 3);
	assert_int_equal(cp, 0x800);
	assert_int_equal(DECODE("\xE2\x82\xAC", &cp), 3);
	assert_int_equal(cp, 0x20AC);
	assert_int_equal(DECODE("\xED\x9F\xBF", &cp), 3);
	assert_int_equal(cp, 0xD7FF);
	assert_int_equal(DECODE("\xEE\x80\x80", &cp), 3);
	assert_int_equal(cp, 0xE000);
	assert_int_equal(DECODE("\xEF\xBF\xBF", &cp), 3);
	assert_int_equal(cp, 0xFFFF);
	/* 4 bytes: U+10000, an emoji, U+10FFFF. */
	assert_int_equal(DECODE("\xF0\x90\x80\x80", &cp), 4);
	assert_int_equal(cp, 0x10000);
	assert_int_equal(DECODE("\xF0\x9F\x98\x80", &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(DECODE("\xF4\x8F\xBF\xBF", &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	/* Only the first code point is decoded. */
	assert_int_equal(DECODE("\xC3\xA9z", &cp), 2);
	assert_int_equal(cp, 0xE9);
}

static void test_decode_invalid_classes(void **state)
{
	static const struct {
		const char *s;
		size_t n;
	} bad[] = {
		{"", 0},
		{"\xC0\x80", 2},	 /* overlong NUL */
		{"\xC1\xBF", 2},	 /* overlong 0x7F */
		{"\xE0\x80\x80", 3},	 /* overlong 3-byte */
		{"\xE0\x9F\xBF", 3},	 /* overlong U+07FF */
		{"\xF0\x80\x80\x80", 4}, /* overlong 4-byte */
		{"\xF0\x8F\xBF\xBF", 4}, /* overlong U+FFFF */
		{"\xED\xA0\x80", 3},	 /* surrogate U+D800 */
		{"\xED\xBF\xBF", 3},	 /* surrogate U+DFFF */
		{"\xF4\x90\x80\x80", 4}, /* U+110000 */
		{"\xF7\xBF\xBF\xBF", 4}, /* U+1FFFFF */
		{"\x80", 1},		 /* stray continuation */
		{"\xBF\xBF", 2},
		{"\xC3", 1}, /* truncated */
		{"\xE2\x82", 2},
		{"\xF0\x9F\x98", 3},
		{"\xC3\x41", 2}, /* lead then a non-continuation */
		{"\xE2\x82\x41", 3},
		{"\xF0\x9F\x98\x41", 4},
		{"\xE2\xC3\xA9", 3},
	};
	uint32_t cp;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cp = 0xABCDEF;
		assert_int_equal(utf8_decode(bad[i].s, bad[i].n, &cp), 0);
		assert_int_equal(cp, 0xABCDEF);
	}
	/* F5..FF never appear in UTF-8, whatever follows them. */
	for (unsigned c = 0xF5; c <= 0xFF; c++) {
		char s[4] = {(char)c, '\x80', '\x80', '\x80'};

		assert_int_equal(utf8_decode(s, 4, &cp), 0);
	}
	/* A cut at n counts, even if the bytes after n would complete it. */
	assert_int_equal(utf8_decode("\xE2\x82\xAC", 2, &cp), 0);
}

static void test_decode_every_lead_byte(void **state)
{
	uint32_t cp;

	(void)state;
	/* With a valid tail, each lead byte decodes to the length its class says. */
	for (unsigned c = 0; c < 0x100; c++) {
		char s[4] = {(char)c, '\xA0', '\xA0', '\xA0'};
		size_t want = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 0;

		if (c == 0xED)
			want = 0; /* ED A0 is a surrogate */
		if (c >= 0xF0 && c <= 0xF3)
			want = 4;
		assert_int_equal(utf8_decode(s, 4, &cp), want);
	}
}

static void test_encode_round_trip_all(void **state)
{
	char out[4];
	uint32_t cp;

	(void)state;
	for (uint32_t c = 0; c <= 0x10FFFF; c++) {
		size_t n, want = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;

		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		n = utf8_encode(c, out);
		assert_int_equal(n, want);
		cp = 0xFFFFFFFF;
		assert_int_equal(utf8_decode(out, n, &cp), n);
		assert_int_equal(cp, c);
	}
	assert_int_equal(utf8_encode(0x20AC, out), 3);
	assert_memory_equal(out, "\xE2\x82\xAC", 3);
}

static void test_valid_and_length(void **state)
{
	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("plain", 5));
	assert_true(utf8_valid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 14));
	assert_true(utf8_valid("a\0b", 3));
	assert_false(utf8_valid("caf\xE9", 4));
	assert_false(utf8_valid("\xC3", 1));
	assert_false(utf8_valid("ok\xED\xA0\x80", 5));
	assert_int_equal(utf8_length("", 0), 0);
	assert_int_equal(utf8_length("abc", 3), 3);
	assert_int_equal(utf8_length("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 14), 8);
	/* Each bad byte counts as one. */
	assert_int_equal(utf8_length("a\xFF\xFE"
				     "b",
				     4),
			 4);
	assert_int_equal(utf8_length("\xE2\x82", 2), 2);
}

/* Repairs the n bytes of in and checks the output and the count. */
static void check_repair(const char *in, size_t n, const char *want, size_t want_n, size_t want_bad)
{
	struct buf out;

	buf_init(&out, 0);
	assert_int_equal(utf8_repair(&out, in, n), want_bad);
	assert_int_equal(out.len, want_n);
	assert_memory_equal(buf_cstr(&out), want, want_n);
	assert_true(utf8_valid(buf_cstr(&out), out.len));
	buf_fini(&out);
}

#define REPAIR(in, want, bad) check_repair((in), sizeof(in) - 1, (want), sizeof(want) - 1, (bad))

static void test_repair_exact_bytes(void **state)
{
	(void)state;
	REPAIR("", "", 0);
	REPAIR("hello", "hello", 0);
	REPAIR("caf\xC3\xA9 \xF0\x9F\x98\x80", "caf\xC3\xA9 \xF0\x9F\x98\x80", 0);
	REPAIR("a\0b", "a\0b", 0);
	/* One replacement per broken sequence, its continuation bytes included. */
	REPAIR("\xC0\x80", REPL, 1);
	REPAIR("x\xC0\x80y", "x" REPL "y", 1);
	REPAIR("\xE0\x80\x80", REPL, 1);
	REPAIR("\xF0\x80\x80\x80", REPL, 1);
	REPAIR("<\xED\xA0\x80>", "<" REPL ">", 1);
	REPAIR("\xED\xA0\x80\xED\xB0\x80", REPL REPL, 2);
	REPAIR("\xF4\x90\x80\x80", REPL, 1);
	REPAIR("\xF5", REPL, 1);
	REPAIR("\xFE\xFF", REPL REPL, 2);
	REPAIR("a\xFF"
	       "b",
	       "a" REPL "b", 1);
	REPAIR("\x80", REPL, 1);
	REPAIR("\x80\x80\x80\x80\x80", REPL, 1);
	REPAIR("ab\xBF", "ab" REPL, 1);
	/* Cut at the end, or interrupted by another character. */
	REPAIR("end\xE2\x82", "end" REPL, 1);
	REPAIR("end\xF0\x9F\x98", "end" REPL, 1);
	REPAIR("\xE2\x82"
	       "A",
	       REPL "A", 1);
	REPAIR("\xE2\x82\xE2\x82\xAC", REPL "\xE2\x82\xAC", 1);
	REPAIR("\xC3\xC3\xA9", REPL "\xC3\xA9", 1);
	/* Latin-1 text sent to a UTF-8 server. */
	REPAIR("caf\xE9 cr\xE8me", "caf" REPL " cr" REPL "me", 2);
	/* A replacement character already in the input is valid and kept. */
	REPAIR(REPL, REPL, 0);
}

static void test_repair_appends(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out, 0);
	buf_puts(&out, "pre:");
	assert_int_equal(utf8_repair(&out, "\xFFok", 3), 1);
	assert_string_equal(buf_cstr(&out), "pre:" REPL "ok");
	buf_fini(&out);
}

static void test_repair_all_bytes_valid_output(void **state)
{
	char in[3 * 256 * 256];
	struct buf out;
	size_t k = 0;

	(void)state;
	/* Every two-byte pair, followed by 'z': the output is always valid. */
	for (unsigned a = 0; a < 256; a++)
		for (unsigned b = 0; b < 256; b++) {
			in[k++] = (char)a;
			in[k++] = (char)b;
			in[k++] = 'z';
		}
	buf_init(&out, 0);
	utf8_repair(&out, in, k);
	assert_true(utf8_valid(buf_cstr(&out), out.len));
	assert_int_equal(out.err, 0);
	buf_fini(&out);
}

/* Largest code-point boundary of the valid string s at or below k. */
static size_t boundary_at_or_below(const char *s, size_t k)
{
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k;
}

static void test_complete_prefix_every_split(void **state)
{
	static const char s[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z\xF4\x8F\xBF\xBF\xDF\xBF";
	const size_t n = sizeof(s) - 1;

	(void)state;
	for (size_t k = 0; k <= n; k++) {
		size_t p = utf8_complete_prefix(s, k);

		assert_int_equal(p, k == n ? n : boundary_at_or_below(s, k));
		assert_true(utf8_valid(s, p));
		assert_true(k - p < 4);
		/* The held-back tail plus the rest of the stream is valid again. */
		assert_true(utf8_valid(s + p, n - p));
	}
}

static void test_complete_prefix_invalid_tails(void **state)
{
	(void)state;
	assert_int_equal(utf8_complete_prefix("", 0), 0);
	assert_int_equal(utf8_complete_prefix("abc", 3), 3);
	assert_int_equal(utf8_complete_prefix("\xE2", 1), 0);
	assert_int_equal(utf8_complete_prefix("ab\xF0\x9F", 4), 2);
	/* Stray continuation bytes can never be completed. */
	assert_int_equal(utf8_complete_prefix("ab\x80", 3), 3);
	assert_int_equal(utf8_complete_prefix("\x80\x80\x80\x80\x80", 5), 5);
	/* A complete sequence followed by one stray continuation byte. */
	assert_int_equal(utf8_complete_prefix("\xC3\xA9\x80", 3), 3);
	assert_int_equal(utf8_complete_prefix("\xE2\x82\xAC\x80", 4), 4);
	/* Bytes that cannot start any valid sequence are not held back. */
	assert_int_equal(utf8_complete_prefix("ab\xC0", 3), 3);
	assert_int_equal(utf8_complete_prefix("ab\xC1", 3), 3);
	assert_int_equal(utf8_complete_prefix("ab\xF5", 3), 3);
	assert_int_equal(utf8_complete_prefix("ab\xF8\x80", 4), 4);
	assert_int_equal(utf8_complete_prefix("ab\xFF", 3), 3);
	/* Nor are beginnings already known to be overlong, surrogate or too big. */
	assert_int_equal(utf8_complete_prefix("ab\xE0\x80", 4), 4);
	assert_int_equal(utf8_complete_prefix("ab\xF0\x8F\xBF", 5), 5);
	assert_int_equal(utf8_complete_prefix("ab\xED\xA0", 4), 4);
	assert_int_equal(utf8_complete_prefix("ab\xF4\x90\x80", 5), 5);
	/* Their valid neighbours still are. */
	assert_int_equal(utf8_complete_prefix("ab\xE0\xA0", 4), 2);
	assert_int_equal(utf8_complete_prefix("ab\xF0\x90\x80", 5), 2);
	assert_int_equal(utf8_complete_prefix("ab\xED\x9F", 4), 2);
	assert_int_equal(utf8_complete_prefix("ab\xF4\x8F\xBF", 5), 2);
	assert_int_equal(utf8_complete_prefix("ab\xC2", 3), 2);
	assert_int_equal(utf8_complete_prefix("ab\xF4", 3), 2);
}

/* Folds the literal in to ASCII and compares with want. */
static void check_ascii(const char *in, size_t n, const char *want)
{
	struct buf out;

	buf_init(&out, 0);
	utf8_to_ascii(&out, in, n);
	assert_string_equal(buf_cstr(&out), want);
	for (size_t i = 0; i < out.len; i++)
		assert_true((unsigned char)out.data[i] < 0x80);
	buf_fini(&out);
}

#define ASCII(in, want) check_ascii((in), sizeof(in) - 1, (want))

static void test_to_ascii(void **state)
{
	(void)state;
	ASCII("", "");
	ASCII("plain text, 100%", "plain text, 100%");
	ASCII("wait\xE2\x80\x94what", "wait--what");
	ASCII("caf\xC3\xA9", "cafe");
	ASCII("\xC3\x89t\xC3\xA9", "Ete");
	ASCII("stra\xC3\x9F"
	      "e",
	      "strasse");
	ASCII("\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x80\x98x\xE2\x80\x99", "\"quoted\" 'x'");
	ASCII("and so\xE2\x80\xA6", "and so...");
	ASCII("\xE2\x86\x90 \xE2\x86\x92", "<- ->");
	ASCII("\xC2\xA9 2026", "(c) 2026");
	ASCII("\xE2\x94\x8C\xE2\x94\x80\xE2\x94\x90", "+-+");
	/* Unknown characters become one '?' each, whatever their length. */
	ASCII("\xE6\x97\xA5\xE6\x9C\xAC", "??");
	ASCII("\xF0\x9F\x98\x80!", "?!");
	/* Invalid bytes too. */
	ASCII("a\xFF"
	      "b",
	      "a?b");
	/* Accented Latin-1 letters all keep their base letter. */
	ASCII("o\xC3\xB9 \xC3\xA0 \xC3\xAC \xC3\xB2 \xC3\xA5 \xC3\xB8 \xC3\xB1", "ou a i o a o n");
	ASCII("\xC3\x86 \xC3\xA6 \xC3\x98 \xC3\x91 \xC3\xBF \xC3\x9D", "AE ae O N y Y");
}

static void test_to_ascii_latin1_letters_complete(void **state)
{
	struct buf out;
	char enc[4];

	(void)state;
	/* Every letter in U+00C0-U+00FF folds to ASCII letters, not '?'. */
	buf_init(&out, 0);
	for (uint32_t c = 0xC0; c <= 0xFF; c++) {
		size_t n = utf8_encode(c, enc);

		buf_clear(&out);
		utf8_to_ascii(&out, enc, n);
		assert_true(out.len >= 1);
		if (c == 0xD7 || c == 0xF7)
			continue; /* multiplication and division signs */
		for (size_t i = 0; i < out.len; i++) {
			char ch = out.data[i];

			assert_true((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'));
		}
	}
	buf_fini(&out);
}

static void test_from_latin1(void **state)
{
	struct buf out;
	char all[256];
	uint32_t cp;
	size_t i = 0;

	(void)state;
	buf_init(&out, 0);
	utf8_from_latin1(&out, "caf\xE9", 4);
	assert_string_equal(buf_cstr(&out), "caf\xC3\xA9");
	buf_clear(&out);
	utf8_from_latin1(&out, "\x80\xA0\xFF", 3);
	assert_string_equal(buf_cstr(&out), "\xC2\x80\xC2\xA0\xC3\xBF");
	/* All 256 bytes become exactly the code points of the same value. */
	for (int c = 0; c < 256; c++)
		all[c] = (char)c;
	buf_clear(&out);
	utf8_from_latin1(&out, all, sizeof(all));
	assert_int_equal(out.len, 128 + 2 * 128);
	assert_true(utf8_valid(out.data, out.len));
	for (uint32_t c = 0; c < 256; c++) {
		size_t len = utf8_decode(out.data + i, out.len - i, &cp);

		assert_int_equal(len, c < 0x80 ? 1 : 2);
		assert_int_equal(cp, c);
		i += len;
	}
	assert_int_equal(i, out.len);
	buf_fini(&out);
}

static void test_respects_buffer_cap(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out, 4);
	utf8_repair(&out, "\xFF\xFF", 2);
	assert_int_equal(out.err, BUF_ERR_FULL);
	assert_true(out.len <= 4);
	buf_fini(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid_classes),
		cmocka_unit_test(test_decode_invalid_classes),
		cmocka_unit_test(test_decode_every_lead_byte),
		cmocka_unit_test(test_encode_round_trip_all),
		cmocka_unit_test(test_valid_and_length),
		cmocka_unit_test(test_repair_exact_bytes),
		cmocka_unit_test(test_repair_appends),
		cmocka_unit_test(test_repair_all_bytes_valid_output),
		cmocka_unit_test(test_complete_prefix_every_split),
		cmocka_unit_test(test_complete_prefix_invalid_tails),
		cmocka_unit_test(test_to_ascii),
		cmocka_unit_test(test_to_ascii_latin1_letters_complete),
		cmocka_unit_test(test_from_latin1),
		cmocka_unit_test(test_respects_buffer_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
