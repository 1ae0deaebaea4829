/*
 * test_bridge_tnc.c: ruin-bridge's telnet client (bridge/tnc.h).
 *
 * Feeds byte arrays as ruin-server sends them and checks what tnc answers
 * and what it passes on: the negotiation a well-behaved MUD client does
 * (MTTS cycle, NAWS, CHARSET, GMCP hello, MCCP2 refused), text as whole
 * lines of valid UTF-8 without telnet or control bytes (including every
 * split of a UTF-8 sequence and of an ANSI escape between two reads),
 * prompts from EOR and GA, echo toggles, GMCP both ways, IAC escaping both
 * ways, and hostile input (MCCP2 we refused, a 20 KiB subnegotiation).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../bridge/tnc.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "base/banned.h"

#define IAC  "\xFF"
#define WILL "\xFB"
#define WONT "\xFC"
#define DO   "\xFD"
#define DONT "\xFE"
#define SB   "\xFA"
#define SE   "\xF0"
#define GA   "\xF9"
#define EOR  "\xEF"

#define O_ECHO	  "\x01"
#define O_TTYPE	  "\x18"
#define O_EOR	  "\x19"
#define O_NAWS	  "\x1F"
#define O_CHARSET "\x2A"
#define O_MSSP	  "\x46"
#define O_MCCP2	  "\x56"
#define O_GMCP	  "\xC9"

#define REPL "\xEF\xBF\xBD"

/* Everything tnc did, as a log of events. */
struct rec {
	struct buf out;	   /* bytes for the server */
	struct buf text;   /* all text events, joined */
	struct buf events; /* one line per event: "T:<text>", "P:<prompt>", "E0", "G:<pkg> <json>",
			      "X:<reason>" */
	size_t ntext, nprompt, nerror;
	int echo; /* -1 unknown, else last echo event */
	bool bad_utf8;
	bool split_escape;
	const char *repeat; /* a package rec_gmcp_repeat() calls a repeat */
	struct tnc *t;
};

static void rec_output(void *ud, const char *b, size_t n)
{
	struct rec *r = ud;

	buf_append(&r->out, b, n);
}

/* True if s ends inside an ESC [ ... sequence (no final byte yet). */
static bool ends_in_escape(const char *s, size_t n)
{
	for (size_t i = n; i > 0; i--) {
		if (s[i - 1] == 0x1B) {
			if (i == n)
				return true;
			if (s[i] != '[')
				return false;
			for (size_t j = i + 1; j < n; j++)
				if ((unsigned char)s[j] >= 0x40 && (unsigned char)s[j] <= 0x7E)
					return false;
			return true;
		}
	}
	return false;
}

static void rec_text(void *ud, const char *s, size_t n)
{
	struct rec *r = ud;

	r->ntext++;
	if (!utf8_valid(s, n))
		r->bad_utf8 = true;
	if (ends_in_escape(s, n))
		r->split_escape = true;
	buf_append(&r->text, s, n);
	buf_puts(&r->events, "T:");
	buf_append(&r->events, s, n);
	buf_putc(&r->events, '|');
}

static void rec_prompt(void *ud, const char *s, size_t n)
{
	struct rec *r = ud;

	r->nprompt++;
	if (!utf8_valid(s, n))
		r->bad_utf8 = true;
	buf_puts(&r->events, "P:");
	buf_append(&r->events, s, n);
	buf_putc(&r->events, '|');
}

static void rec_echo(void *ud, bool enabled)
{
	struct rec *r = ud;

	r->echo = enabled;
	buf_puts(&r->events, enabled ? "E1|" : "E0|");
}

static void rec_gmcp(void *ud, const char *package, const char *json, size_t n)
{
	struct rec *r = ud;

	assert_int_equal(strlen(json), n);
	buf_printf(&r->events, "G:%s %s|", package, json);
}

static bool rec_gmcp_repeat(void *ud, const char *package, const char *json, size_t n)
{
	struct rec *r = ud;

	(void)json;
	(void)n;
	return r->repeat && !strcmp(package, r->repeat);
}

static void rec_error(void *ud, const char *reason)
{
	struct rec *r = ud;

	r->nerror++;
	buf_printf(&r->events, "X:%s|", reason);
}

static const struct tnc_callbacks rec_cb = {
	.output = rec_output,
	.text = rec_text,
	.prompt = rec_prompt,
	.echo = rec_echo,
	.gmcp = rec_gmcp,
	.error = rec_error,
};

static const char *const supports[] = {"Char 1", "Room 1", NULL};

static void rec_init(struct rec *r)
{
	struct tnc_config cfg = {
		.client = "ruin-bridge",
		.version = "0.1.0 (Firefox 128)",
		.terminal = "ANSI-TRUECOLOR",
		.mtts = TNC_MTTS_WEB,
		.supports = supports,
		.cols = 0,
		.rows = 0,
	};

	memset(r, 0, sizeof(*r));
	buf_init(&r->out, 0);
	buf_init(&r->text, 0);
	buf_init(&r->events, 0);
	r->echo = -1;
	r->t = tnc_new(&cfg, &rec_cb, r);
	assert_non_null(r->t);
}

static void rec_fini(struct rec *r)
{
	tnc_free(r->t);
	buf_fini(&r->out);
	buf_fini(&r->text);
	buf_fini(&r->events);
}

#define FEED(r, lit) tnc_recv((r)->t, (lit), sizeof(lit) - 1)

/* True if the output holds these bytes somewhere. */
static bool out_has(const struct rec *r, const char *bytes, size_t n)
{
	if (r->out.len < n)
		return false;
	for (size_t i = 0; i + n <= r->out.len; i++)
		if (!memcmp(r->out.data + i, bytes, n))
			return true;
	return false;
}

#define OUT_HAS(r, lit) out_has((r), (lit), sizeof(lit) - 1)

/* The server's opening, byte for byte (docs/protocol.md). */
#define OPENING                                                                                    \
	IAC WILL O_EOR IAC WILL O_GMCP IAC WILL O_MSSP IAC WILL O_MCCP2 IAC DO O_TTYPE IAC DO      \
		O_NAWS IAC DO O_CHARSET

/* ---- negotiation ---------------------------------------------------------------- */

static void test_opening_answers(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	FEED(&r, OPENING);
	assert_true(OUT_HAS(&r, IAC DO O_EOR));
	assert_true(OUT_HAS(&r, IAC DO O_GMCP));
	assert_true(OUT_HAS(&r, IAC DONT O_MSSP));
	assert_true(OUT_HAS(&r, IAC DONT O_MCCP2));
	assert_false(OUT_HAS(&r, IAC DO O_MCCP2));
	assert_true(OUT_HAS(&r, IAC WILL O_TTYPE));
	assert_true(OUT_HAS(&r, IAC WILL O_NAWS));
	assert_true(OUT_HAS(&r, IAC WILL O_CHARSET));
	/* 80x24 until the browser says otherwise. */
	assert_true(OUT_HAS(&r, IAC SB O_NAWS "\x00\x50\x00\x18" IAC SE));
	assert_true(OUT_HAS(
		&r, IAC SB O_GMCP
		"Core.Hello {\"client\":\"ruin-bridge\",\"version\":\"0.1.0 (Firefox 128)\"}" IAC
			SE));
	assert_true(OUT_HAS(&r, IAC SB O_GMCP "Core.Supports.Set [\"Char 1\",\"Room 1\"]" IAC SE));
	assert_true(tnc_gmcp_on(r.t));
	assert_true(tnc_naws_on(r.t));
	assert_int_equal(r.nerror, 0);
	assert_int_equal(r.ntext, 0);
	rec_fini(&r);
}

static void test_ttype_cycle_mtts(void **state)
{
	struct rec r;
	char mtts[64];
	size_t n;

	(void)state;
	rec_init(&r);
	FEED(&r, IAC DO O_TTYPE);
	buf_clear(&r.out);
	FEED(&r, IAC SB O_TTYPE "\x01" IAC SE);
	assert_true(OUT_HAS(&r, IAC SB O_TTYPE "\x00ruin-bridge" IAC SE));
	FEED(&r, IAC SB O_TTYPE "\x01" IAC SE);
	assert_true(OUT_HAS(&r, IAC SB O_TTYPE "\x00"
					       "ANSI-TRUECOLOR" IAC SE));
	buf_clear(&r.out);
	FEED(&r, IAC SB O_TTYPE "\x01" IAC SE);
	n = (size_t)snprintf(mtts, sizeof(mtts), IAC SB O_TTYPE "%cMTTS %u" IAC SE, 0,
			     TNC_MTTS_WEB);
	assert_int_equal(r.out.len, n);
	assert_memory_equal(r.out.data, mtts, n);
	/* ANSI, UTF-8, 256 colors, proxy, truecolor: 1 + 4 + 8 + 128 + 256. */
	assert_int_equal(TNC_MTTS_WEB, 397);
	/* The last answer repeats. */
	buf_clear(&r.out);
	FEED(&r, IAC SB O_TTYPE "\x01" IAC SE);
	assert_int_equal(r.out.len, n);
	assert_memory_equal(r.out.data, mtts, n);
	rec_fini(&r);
}

static void test_charset(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	FEED(&r, IAC DO O_CHARSET);
	buf_clear(&r.out);
	FEED(&r, IAC SB O_CHARSET "\x01;UTF-8;ISO-8859-1" IAC SE);
	assert_true(OUT_HAS(&r, IAC SB O_CHARSET "\x02UTF-8" IAC SE));
	buf_clear(&r.out);
	FEED(&r, IAC SB O_CHARSET "\x01 iso-8859-1 utf-8" IAC SE);
	assert_true(OUT_HAS(&r, IAC SB O_CHARSET "\x02UTF-8" IAC SE));
	buf_clear(&r.out);
	FEED(&r, IAC SB O_CHARSET "\x01;ISO-8859-1;US-ASCII" IAC SE);
	assert_true(OUT_HAS(&r, IAC SB O_CHARSET "\x03" IAC SE));
	/* ACCEPTED / REJECTED from the server are not requests: no answer. */
	buf_clear(&r.out);
	FEED(&r, IAC SB O_CHARSET "\x02UTF-8" IAC SE);
	assert_int_equal(r.out.len, 0);
	rec_fini(&r);
}

static void test_refuses_unknown_options(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	FEED(&r, IAC WILL "\x5B" IAC DO "\x18" IAC DO "\x20");
	assert_true(OUT_HAS(&r, IAC DONT "\x5B"));
	assert_true(OUT_HAS(&r, IAC WONT "\x20"));
	rec_fini(&r);
}

static void test_naws_resize(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	tnc_resize(r.t, 120, 40);
	assert_int_equal(r.out.len, 0); /* not negotiated yet */
	FEED(&r, IAC DO O_NAWS);
	assert_true(OUT_HAS(&r, IAC SB O_NAWS "\x00\x78\x00\x28" IAC SE));
	buf_clear(&r.out);
	tnc_resize(r.t, 120, 40); /* unchanged: nothing */
	assert_int_equal(r.out.len, 0);
	/* 255 is doubled inside the subnegotiation. */
	tnc_resize(r.t, 255, 511);
	assert_true(OUT_HAS(&r, IAC SB O_NAWS "\x00\xFF\xFF\x01\xFF\xFF" IAC SE));
	buf_clear(&r.out);
	tnc_resize(r.t, 0, 100000); /* clamped to 1..65535 */
	assert_true(OUT_HAS(&r, IAC SB O_NAWS "\x00\x01\xFF\xFF\xFF\xFF" IAC SE));
	rec_fini(&r);
}

/* ---- text ----------------------------------------------------------------------------- */

static void test_lines_and_held_part(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	FEED(&r, "Hello there.\r\nSecond line\r\nand a part");
	assert_string_equal(buf_cstr(&r.text), "Hello there.\nSecond line\n");
	assert_true(tnc_has_partial(r.t));
	FEED(&r, " line\r\n");
	assert_string_equal(buf_cstr(&r.text), "Hello there.\nSecond line\nand a part line\n");
	assert_false(tnc_has_partial(r.t));
	FEED(&r, "no end");
	tnc_flush(r.t);
	assert_string_equal(buf_cstr(&r.text),
			    "Hello there.\nSecond line\nand a part line\nno end");
	assert_false(tnc_has_partial(r.t));
	rec_fini(&r);
}

static void test_prompts_from_eor_and_ga(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	FEED(&r, "You see a lantern.\r\n\r\n30/30hp> " IAC EOR);
	assert_string_equal(buf_cstr(&r.events), "T:You see a lantern.\n\n|P:30/30hp> |");
	buf_clear(&r.events);
	/* A prompt split over two reads is still one prompt. */
	FEED(&r, "By what name are ");
	FEED(&r, "you known? " IAC GA);
	assert_string_equal(buf_cstr(&r.events), "P:By what name are you known? |");
	buf_clear(&r.events);
	/* An empty prompt mark is still a prompt. */
	FEED(&r, IAC EOR);
	assert_string_equal(buf_cstr(&r.events), "P:|");
	rec_fini(&r);
}

static void test_controls_removed(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	/* CR, NUL, BEL, BS, DEL and the C1 control U+0085 go; TAB, LF and ESC stay. */
	FEED(&r, "a\x07"
		 "b\x08"
		 "c\x7F"
		 "d\x00"
		 "e\tf\r\n\xC2\x85g\x1B[1mh\r\n");
	assert_string_equal(buf_cstr(&r.text), "abcde\tf\ng\x1B[1mh\n");
	rec_fini(&r);
}

static void test_invalid_utf8_replaced(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	FEED(&r, "a\xC3(b\xED\xA0\x80"
		 "c\xF8"
		 "d\r\n");
	assert_false(r.bad_utf8);
	assert_string_equal(buf_cstr(&r.text), "a" REPL "(b" REPL "c" REPL "d\n");
	/* A sequence cut off by a prompt mark is repaired, not held. */
	buf_clear(&r.text);
	FEED(&r, "x\xE2\x82" IAC GA);
	assert_false(r.bad_utf8);
	assert_string_equal(buf_cstr(&r.events) + strlen(buf_cstr(&r.events)) - 5, "x" REPL "|");
	rec_fini(&r);
}

static void test_iac_iac_in_data(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	/* An escaped 255 is one data byte, which is not UTF-8 on its own. */
	FEED(&r, "a" IAC IAC "b\r\n");
	assert_string_equal(buf_cstr(&r.text), "a" REPL "b\n");
	assert_int_equal(r.nerror, 0);
	rec_fini(&r);
}

/* Every split of a message between two reads gives the same text, valid
 * UTF-8 in every event, and no event that ends inside an escape sequence. */
static void test_every_split(void **state)
{
	static const char msg[] =
		"\x1B[1;36mLantern Square\x1B[0m caf\xC3\xA9 \xE2\x82\xAC 5 "
		"\xF0\x9F\x98\x80\x1B[38;2;255;128;0mwarm\x1B[0m\r\nnext line\r\n";
	static const char want[] = "\x1B[1;36mLantern Square\x1B[0m caf\xC3\xA9 \xE2\x82\xAC 5 "
				   "\xF0\x9F\x98\x80\x1B[38;2;255;128;0mwarm\x1B[0m\nnext line\n";
	size_t n = sizeof(msg) - 1;

	(void)state;
	for (size_t cut = 0; cut <= n; cut++) {
		struct rec r;

		rec_init(&r);
		tnc_recv(r.t, msg, cut);
		tnc_recv(r.t, msg + cut, n - cut);
		assert_false(r.bad_utf8);
		assert_false(r.split_escape);
		assert_string_equal(buf_cstr(&r.text), want);
		rec_fini(&r);
	}
	/* And byte by byte. */
	{
		struct rec r;

		rec_init(&r);
		for (size_t i = 0; i < n; i++)
			tnc_recv(r.t, msg + i, 1);
		assert_false(r.bad_utf8);
		assert_false(r.split_escape);
		assert_string_equal(buf_cstr(&r.text), want);
		rec_fini(&r);
	}
}

static void test_long_line_not_held_forever(void **state)
{
	struct rec r;
	char *big = malloc(TNC_MAX_PARTIAL * 2);

	(void)state;
	rec_init(&r);
	memset(big, 'x', TNC_MAX_PARTIAL * 2);
	tnc_recv(r.t, big, TNC_MAX_PARTIAL * 2);
	/* No LF at all, yet it went out without a flush. */
	assert_true(r.text.len >= TNC_MAX_PARTIAL);
	free(big);
	rec_fini(&r);
}

/* ---- echo ------------------------------------------------------------------------------- */

static void test_echo_toggles(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	assert_true(tnc_echo_enabled(r.t));
	for (int i = 0; i < 3; i++) {
		buf_clear(&r.out);
		buf_clear(&r.events);
		FEED(&r, "Choose a password.\r\n" IAC WILL O_ECHO "Password: " IAC EOR);
		assert_string_equal(buf_cstr(&r.events), "T:Choose a password.\n|E0|P:Password: |");
		assert_true(OUT_HAS(&r, IAC DO O_ECHO));
		assert_false(tnc_echo_enabled(r.t));
		buf_clear(&r.out);
		buf_clear(&r.events);
		FEED(&r, IAC WONT O_ECHO "\r\n");
		assert_string_equal(buf_cstr(&r.events), "E1|T:\n|");
		assert_true(OUT_HAS(&r, IAC DONT O_ECHO));
		assert_true(tnc_echo_enabled(r.t));
	}
	rec_fini(&r);
}

static void test_echo_flushes_part_line_first(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	FEED(&r, "half" IAC WILL O_ECHO);
	assert_string_equal(buf_cstr(&r.events), "T:half|E0|");
	rec_fini(&r);
}

/* ---- GMCP ---------------------------------------------------------------------------------- */

static void test_gmcp_in(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	FEED(&r, IAC WILL O_GMCP);
	buf_clear(&r.events);
	FEED(&r, "before\r\npart" IAC SB O_GMCP "Char.Vitals {\"hp\":42}" IAC SE "after\r\n");
	/* What came before the message (the part line too) goes out before it. */
	assert_string_equal(buf_cstr(&r.events),
			    "T:before\npart|G:Char.Vitals {\"hp\":42}|T:after\n|");
	buf_clear(&r.events);
	/* No JSON; a name with a bad character is dropped; IAC IAC inside is one byte. */
	FEED(&r, IAC SB O_GMCP "Core.Ping" IAC SE);
	FEED(&r, IAC SB O_GMCP "Bad/Name {}" IAC SE);
	FEED(&r, IAC SB O_GMCP "Comm.Channel.Text {\"text\":\"a" IAC IAC "b\"}" IAC SE);
	assert_string_equal(buf_cstr(&r.events),
			    "G:Core.Ping |G:Comm.Channel.Text {\"text\":\"a\xFF"
			    "b\"}|");
	assert_int_equal(tnc_stats(r.t)->gmcp_dropped, 1);
	rec_fini(&r);
}

static void test_gmcp_repeat_dropped_before_the_flush(void **state)
{
	struct tnc_callbacks cb = rec_cb;
	struct tnc_config cfg = {.client = "ruin-bridge", .version = "1", .supports = supports};
	struct rec r;

	(void)state;
	cb.gmcp_repeat = rec_gmcp_repeat;
	rec_init(&r);
	tnc_free(r.t);
	r.t = tnc_new(&cfg, &cb, &r);
	assert_non_null(r.t);
	r.repeat = "Room.Info";
	FEED(&r, IAC WILL O_GMCP);
	buf_clear(&r.events);
	/* A look: its text, Room.Info (a repeat) and an item list (not one),
	 * the blank line and the prompt. The repeat is dropped without cutting
	 * the text in two; the list still does, and is passed on. */
	FEED(&r, "Square\r\n" IAC SB O_GMCP "Room.Info {\"num\":1}" IAC SE "\r\n> " IAC GA);
	assert_string_equal(buf_cstr(&r.events), "T:Square\n\n|P:> |");
	buf_clear(&r.events);
	FEED(&r, "Square\r\n" IAC SB O_GMCP "Room.Info {\"num\":1}" IAC SE IAC SB O_GMCP
		 "Char.Items.List {}" IAC SE "\r\n> " IAC GA);
	assert_string_equal(buf_cstr(&r.events), "T:Square\n|G:Char.Items.List {}|T:\n|P:> |");
	assert_int_equal(tnc_stats(r.t)->gmcp_repeats, 2);
	assert_int_equal(tnc_stats(r.t)->gmcp_in, 1);
	rec_fini(&r);
}

static void test_gmcp_out(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	assert_int_equal(tnc_send_gmcp(r.t, "Core.Ping", NULL, 0), -ENOTCONN);
	assert_int_equal(r.out.len, 0);
	FEED(&r, IAC WILL O_GMCP);
	buf_clear(&r.out);
	assert_int_equal(tnc_send_gmcp(r.t, "Core.Ping", NULL, 0), 0);
	assert_int_equal(r.out.len, sizeof(IAC SB O_GMCP "Core.Ping" IAC SE) - 1);
	assert_true(OUT_HAS(&r, IAC SB O_GMCP "Core.Ping" IAC SE));
	buf_clear(&r.out);
	assert_int_equal(tnc_send_gmcp(r.t, "Core.Supports.Add", "[\"Room 1\"]", 10), 0);
	assert_true(OUT_HAS(&r, IAC SB O_GMCP "Core.Supports.Add [\"Room 1\"]" IAC SE));
	assert_int_equal(tnc_send_gmcp(r.t, "Bad Name", NULL, 0), -EINVAL);
	assert_int_equal(tnc_send_gmcp(r.t, "", NULL, 0), -EINVAL);
	/* The server switching GMCP off is honoured. */
	FEED(&r, IAC WONT O_GMCP);
	assert_int_equal(tnc_send_gmcp(r.t, "Core.Ping", NULL, 0), -ENOTCONN);
	rec_fini(&r);
}

/* ---- lines to the server --------------------------------------------------------------------- */

static void test_send_line(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	assert_int_equal(tnc_send_line(r.t, "say hi", 6), 0);
	assert_int_equal(r.out.len, 8);
	assert_memory_equal(r.out.data, "say hi\r\n", 8);
	buf_clear(&r.out);
	assert_int_equal(tnc_send_line(r.t, "", 0), 0);
	assert_memory_equal(r.out.data, "\r\n", 2);
	buf_clear(&r.out);
	/* IAC in data is doubled. */
	assert_int_equal(tnc_send_line(r.t,
				       "a\xFF"
				       "b",
				       3),
			 0);
	assert_int_equal(r.out.len, 6);
	assert_memory_equal(r.out.data,
			    "a\xFF\xFF"
			    "b\r\n",
			    6);
	buf_clear(&r.out);
	/* A second command smuggled in with a line end is refused. */
	assert_int_equal(tnc_send_line(r.t, "say hi\r\nquit", 12), -EINVAL);
	assert_int_equal(tnc_send_line(r.t, "say hi\nquit", 11), -EINVAL);
	assert_int_equal(r.out.len, 0);
	rec_fini(&r);
}

/* ---- hostile input ------------------------------------------------------------------------------
 */

static void test_mccp2_start_is_an_error(void **state)
{
	struct rec r;

	(void)state;
	rec_init(&r);
	FEED(&r, IAC WILL O_MCCP2 "ok\r\n" IAC SB O_MCCP2 IAC SE "\x78\x9C garbage\r\n");
	assert_int_equal(r.nerror, 1);
	assert_string_equal(buf_cstr(&r.text), "ok\n");
	/* Nothing after it is read. */
	FEED(&r, "more\r\n");
	assert_string_equal(buf_cstr(&r.text), "ok\n");
	assert_int_equal(r.nerror, 1);
	rec_fini(&r);
}

static void test_huge_subnegotiation_does_not_leak(void **state)
{
	struct rec r;
	struct buf in;

	(void)state;
	rec_init(&r);
	buf_init(&in, 0);
	buf_puts(&in, IAC WILL O_GMCP "before\r\n" IAC SB O_GMCP "Room.Info {\"desc\":\"");
	for (int i = 0; i < 20000; i++)
		buf_putc(&in, 'z');
	buf_puts(&in, "\"}" IAC SE "after\r\n");
	tnc_recv(r.t, in.data, in.len);
	assert_string_equal(buf_cstr(&r.text), "before\nafter\n");
	assert_int_equal(r.nerror, 0);
	assert_true(tnc_stats(r.t)->gmcp_dropped >= 1);
	buf_fini(&in);
	rec_fini(&r);
}

/* The events with consecutive text events merged: how text is cut into
 * events depends on the reads, nothing else may. */
static void merged(const struct buf *events, struct buf *out)
{
	const char *p = buf_cstr(events);

	buf_clear(out);
	while (*p) {
		const char *bar = strchr(p, '|');
		bool text = p[0] == 'T' && p[1] == ':';

		if (text && out->len > 0 && out->data[out->len - 1] == '|' && out->len >= 2) {
			/* Find whether the previous event was text too. */
			const char *prev = out->data;

			for (const char *q = out->data; q < out->data + out->len - 1; q++)
				if (*q == '|')
					prev = q + 1;
			if (prev[0] == 'T' && prev[1] == ':') {
				buf_truncate(out, out->len - 1);
				buf_append(out, p + 2, (size_t)(bar - p) - 1);
				p = bar + 1;
				continue;
			}
		}
		buf_append(out, p, (size_t)(bar - p) + 1);
		p = bar + 1;
	}
}

/* A whole login fed at once and byte by byte gives the same events. */
static void test_conversation_any_chunking(void **state)
{
	static const char conv[] = OPENING
		"Welcome!\r\n" IAC SB O_TTYPE "\x01" IAC SE "By what name? " IAC GA IAC WILL O_ECHO
		"Password: " IAC EOR IAC WONT O_ECHO "\r\n" IAC SB O_GMCP
		"Room.Info {\"num\":1}" IAC SE "Lantern Square\r\n\r\n> " IAC EOR;
	struct rec a, b;
	struct buf ma, mb;
	size_t n = sizeof(conv) - 1;

	(void)state;
	rec_init(&a);
	rec_init(&b);
	tnc_recv(a.t, conv, n);
	for (size_t i = 0; i < n; i++)
		tnc_recv(b.t, conv + i, 1);
	buf_init(&ma, 0);
	buf_init(&mb, 0);
	merged(&a.events, &ma);
	merged(&b.events, &mb);
	assert_string_equal(buf_cstr(&ma), buf_cstr(&mb));
	assert_string_equal(buf_cstr(&ma),
			    "T:Welcome!\n|P:By what name? |E0|P:Password: |E1|T:\n|G:Room.Info "
			    "{\"num\":1}|T:Lantern Square\n\n|P:> |");
	assert_int_equal(a.out.len, b.out.len);
	assert_memory_equal(a.out.data, b.out.data, a.out.len);
	buf_fini(&ma);
	buf_fini(&mb);
	rec_fini(&a);
	rec_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opening_answers),
		cmocka_unit_test(test_ttype_cycle_mtts),
		cmocka_unit_test(test_charset),
		cmocka_unit_test(test_refuses_unknown_options),
		cmocka_unit_test(test_naws_resize),
		cmocka_unit_test(test_lines_and_held_part),
		cmocka_unit_test(test_prompts_from_eor_and_ga),
		cmocka_unit_test(test_controls_removed),
		cmocka_unit_test(test_invalid_utf8_replaced),
		cmocka_unit_test(test_iac_iac_in_data),
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_long_line_not_held_forever),
		cmocka_unit_test(test_echo_toggles),
		cmocka_unit_test(test_echo_flushes_part_line_first),
		cmocka_unit_test(test_gmcp_in),
		cmocka_unit_test(test_gmcp_repeat_dropped_before_the_flush),
		cmocka_unit_test(test_gmcp_out),
		cmocka_unit_test(test_send_line),
		cmocka_unit_test(test_mccp2_start_is_an_error),
		cmocka_unit_test(test_huge_subnegotiation_does_not_leak),
		cmocka_unit_test(test_conversation_any_chunking),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
