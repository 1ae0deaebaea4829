/*
 * test_tn.c: the telnet state machine (src/net/tn.h), fed byte arrays.
 *
 * Each test builds a tn whose callbacks record into a struct rec: the exact
 * output bytes and a text log of events ("L:line", "G:package|json", "C:bits",
 * "T:max", "E:reason"). Covers the opening negotiation, TTYPE/MTTS, NAWS,
 * CHARSET, EOR/GA prompts, ECHO toggles, GMCP Core.*, MSSP, every line
 * ending, a realistic session split at every offset, UTF-8 repair, control
 * bytes, oversized lines and subnegotiations, a client MCCP2 marker, IAC
 * floods, and MCCP2 output inflated back to the text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "base/buf.h"
#include "net/tn.h"
#include "base/banned.h"

#define IAC  "\xff"
#define DONT "\xfe"
#define DO   "\xfd"
#define WONT "\xfc"
#define WILL "\xfb"
#define SB   "\xfa"
#define GA   "\xf9"
#define EL   "\xf8"
#define EC   "\xf7"
#define NOP  "\xf1"
#define SE   "\xf0"
#define EOR  "\xef"

#define O_ECHO	  "\x01"
#define O_SGA	  "\x03"
#define O_TTYPE	  "\x18"
#define O_EOR	  "\x19"
#define O_NAWS	  "\x1f"
#define O_CHARSET "\x2a"
#define O_MSSP	  "\x46"
#define O_MCCP2	  "\x56"
#define O_GMCP	  "\xc9"

#define TTYPE_SEND IAC SB O_TTYPE "\x01" IAC SE

/* A string literal with its length, NULs included. */
#define S(lit) (lit), (sizeof(lit) - 1)

struct rec {
	struct buf out;	   /* every output byte */
	struct buf events; /* one event per line */
	struct tn *tn;
	bool echo_lines; /* answer each line with tn_send_text */
	unsigned changed;
};

static void rec_output(void *ud, const char *bytes, size_t n)
{
	struct rec *r = ud;

	buf_append(&r->out, bytes, n);
}

static void rec_line(void *ud, const char *line, size_t n)
{
	struct rec *r = ud;

	assert_int_equal(line[n], '\0');
	buf_puts(&r->events, "L:");
	buf_append(&r->events, line, n);
	buf_putc(&r->events, '\n');
	if (r->echo_lines) {
		tn_send_text(r->tn, "> ", 2);
		tn_send_text(r->tn, line, n);
		tn_send_text(r->tn, "\n", 1);
	}
}

static void rec_too_long(void *ud, size_t max)
{
	struct rec *r = ud;

	buf_printf(&r->events, "T:%zu\n", max);
}

static void rec_gmcp(void *ud, const char *package, const char *json, size_t n)
{
	struct rec *r = ud;

	assert_int_equal(json[n], '\0');
	assert_int_equal(strlen(json), n);
	buf_printf(&r->events, "G:%s|%s\n", package, json);
}

static void rec_changed(void *ud, unsigned what)
{
	struct rec *r = ud;

	r->changed |= what;
	buf_printf(&r->events, "C:%x\n", what);
}

static void rec_error(void *ud, const char *reason)
{
	struct rec *r = ud;

	buf_printf(&r->events, "E:%s\n", reason);
}

static const struct tn_callbacks rec_cb = {
	.output = rec_output,
	.line = rec_line,
	.line_too_long = rec_too_long,
	.gmcp = rec_gmcp,
	.changed = rec_changed,
	.error = rec_error,
};

/* A started tn with its opening bytes already cleared from r->out. */
static struct tn *rec_tn(struct rec *r, const struct tn_config *cfg)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->out, 0);
	buf_init(&r->events, 0);
	r->tn = tn_new(cfg, &rec_cb, r);
	tn_start(r->tn);
	buf_clear(&r->out);
	return r->tn;
}

static void rec_fini(struct rec *r)
{
	tn_free(r->tn);
	buf_fini(&r->out);
	buf_fini(&r->events);
}

static void rec_clear(struct rec *r)
{
	buf_clear(&r->out);
	buf_clear(&r->events);
	r->changed = 0;
}

static void assert_bytes(const struct buf *b, const char *want, size_t n)
{
	if (b->len != n || memcmp(buf_cstr(b), want, n) != 0) {
		fprintf(stderr, "got %zu bytes:", b->len);
		for (size_t i = 0; i < b->len; i++)
			fprintf(stderr, " %02x", (unsigned char)b->data[i]);
		fprintf(stderr, "\nwant %zu bytes:", n);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, " %02x", (unsigned char)want[i]);
		fprintf(stderr, "\n");
		fail();
	}
}

#define assert_out(r, lit)    assert_bytes(&(r)->out, S(lit))
#define assert_events(r, lit) assert_string_equal(buf_cstr(&(r)->events), (lit))

static void feed(struct rec *r, const char *bytes, size_t n)
{
	tn_recv(r->tn, bytes, n);
}

#define FEED(r, lit) feed((r), S(lit))

/* ---- negotiation --------------------------------------------------------- */

static void test_opening(void **state)
{
	struct rec r;

	(void)state;
	memset(&r, 0, sizeof(r));
	buf_init(&r.out, 0);
	buf_init(&r.events, 0);
	r.tn = tn_new(NULL, &rec_cb, &r);
	assert_int_equal(r.out.len, 0); /* tn_new sends nothing */
	tn_start(r.tn);
	assert_out(&r, IAC WILL O_EOR IAC WILL O_GMCP IAC WILL O_MSSP IAC DO O_TTYPE IAC DO O_NAWS
			       IAC DO O_CHARSET);
	rec_fini(&r);

	struct tn_config cfg = {.mccp2 = true};

	memset(&r, 0, sizeof(r));
	buf_init(&r.out, 0);
	buf_init(&r.events, 0);
	r.tn = tn_new(&cfg, &rec_cb, &r);
	tn_start(r.tn);
	assert_out(&r, IAC WILL O_EOR IAC WILL O_GMCP IAC WILL O_MSSP IAC WILL O_MCCP2 IAC DO
			       O_TTYPE IAC DO O_NAWS IAC DO O_CHARSET);
	/* Defaults before the client says anything. */
	const struct tn_caps *c = tn_caps(r.tn);
	assert_string_equal(c->client, "");
	assert_string_equal(c->terminal, "");
	assert_int_equal(c->color, COLOR_16);
	assert_false(c->utf8);
	assert_false(c->eor);
	assert_false(c->gmcp);
	assert_int_equal(c->cols, 0);
	rec_fini(&r);
}

static void test_ttype_mtts_cycle(void **state)
{
	struct rec r;
	const struct tn_caps *c;

	(void)state;
	rec_tn(&r, NULL);
	c = tn_caps(r.tn);
	FEED(&r, IAC WILL O_TTYPE);
	assert_out(&r, TTYPE_SEND);
	buf_clear(&r.out);
	FEED(&r, IAC SB O_TTYPE "\x00"
				"TINTIN++" IAC SE);
	assert_out(&r, TTYPE_SEND);
	assert_string_equal(c->client, "TINTIN++");
	assert_int_equal(c->color, COLOR_256); /* known by name */
	buf_clear(&r.out);
	FEED(&r, IAC SB O_TTYPE "\x00"
				"xterm-256color" IAC SE);
	assert_out(&r, TTYPE_SEND);
	assert_string_equal(c->terminal, "xterm-256color");
	buf_clear(&r.out);
	FEED(&r, IAC SB O_TTYPE "\x00"
				"MTTS 271" IAC SE);
	assert_int_equal(r.out.len, 0); /* cycle over */
	assert_true(c->mtts_known);
	assert_int_equal(c->mtts, 271);
	assert_true(c->mtts & TN_MTTS_TRUECOLOR);
	assert_int_equal(c->color, COLOR_TRUE);
	assert_true(c->utf8); /* MTTS bit 4 */
	assert_string_equal(c->client, "TINTIN++");
	assert_string_equal(c->terminal, "xterm-256color");
	assert_true(r.changed & TN_CHANGED_TTYPE);
	assert_true(r.changed & TN_CHANGED_COLOR);
	assert_true(r.changed & TN_CHANGED_CHARSET);
	/* Unsolicited replies change nothing, and WILL again starts nothing. */
	FEED(&r, IAC SB O_TTYPE "\x00"
				"MTTS 0" IAC SE IAC WONT O_TTYPE IAC WILL O_TTYPE);
	assert_int_equal(c->mtts, 271);
	assert_bytes(&r.out, S(IAC DONT O_TTYPE IAC DO O_TTYPE));
	rec_fini(&r);
}

static void test_ttype_repeat_ends_cycle(void **state)
{
	struct rec r;
	const struct tn_caps *c;

	(void)state;
	rec_tn(&r, NULL);
	c = tn_caps(r.tn);
	FEED(&r, IAC WILL O_TTYPE IAC SB O_TTYPE "\x00"
						 "XTERM" IAC SE);
	assert_out(&r, TTYPE_SEND TTYPE_SEND);
	buf_clear(&r.out);
	FEED(&r, IAC SB O_TTYPE "\x00"
				"XTERM" IAC SE);
	assert_int_equal(r.out.len, 0);
	assert_string_equal(c->client, "XTERM");
	assert_string_equal(c->terminal, "XTERM");
	assert_false(c->mtts_known);
	assert_int_equal(c->color, COLOR_16);
	assert_false(c->utf8);
	rec_fini(&r);

	/* A 256-color terminal type, then a dumb one, then a control byte. */
	rec_tn(&r, NULL);
	c = tn_caps(r.tn);
	FEED(&r, IAC WILL O_TTYPE IAC SB O_TTYPE "\x00"
						 "screen-256color" IAC SE);
	assert_int_equal(c->color, COLOR_256);
	rec_fini(&r);
	rec_tn(&r, NULL);
	c = tn_caps(r.tn);
	FEED(&r, IAC WILL O_TTYPE IAC SB O_TTYPE "\x00"
						 "dumb" IAC SE);
	assert_int_equal(c->color, COLOR_NONE);
	rec_fini(&r);
	rec_tn(&r, NULL);
	c = tn_caps(r.tn);
	FEED(&r, IAC WILL O_TTYPE IAC SB O_TTYPE "\x00"
						 "ev\x1b[2Jil" IAC SE);
	assert_string_equal(c->client, "ev[2Jil");
	rec_fini(&r);
}

static void test_mtts_color_bits(void **state)
{
	static const struct {
		const char *mtts;
		enum color_level want;
	} cases[] = {
		{"MTTS 0", COLOR_NONE},
		{"MTTS 1", COLOR_16},
		{"MTTS 9", COLOR_256},
		{"MTTS 257", COLOR_TRUE},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rec r;
		struct buf in;

		rec_tn(&r, NULL);
		buf_init(&in, 0);
		buf_puts(&in, IAC WILL O_TTYPE IAC SB O_TTYPE);
		buf_putc(&in, '\0');
		buf_puts(&in, cases[i].mtts);
		buf_puts(&in, IAC SE);
		feed(&r, in.data, in.len);
		assert_int_equal(tn_caps(r.tn)->color, cases[i].want);
		buf_fini(&in);
		rec_fini(&r);
	}
}

static void test_naws(void **state)
{
	struct rec r;
	const struct tn_caps *c;

	(void)state;
	rec_tn(&r, NULL);
	c = tn_caps(r.tn);
	FEED(&r, IAC WILL O_NAWS IAC SB O_NAWS "\x00\x50\x00\x18" IAC SE);
	assert_int_equal(c->cols, 80);
	assert_int_equal(c->rows, 24);
	assert_true(r.changed & TN_CHANGED_NAWS);
	assert_int_equal(r.out.len, 0); /* WILL answered our DO: no reply */
	/* 255 in a size is sent as IAC IAC. */
	r.changed = 0;
	FEED(&r, IAC SB O_NAWS "\x01" IAC IAC "\x00" IAC IAC IAC SE);
	assert_int_equal(c->cols, 511);
	assert_int_equal(c->rows, 255);
	assert_true(r.changed & TN_CHANGED_NAWS);
	/* The same size again is no change; a wrong length is ignored. */
	r.changed = 0;
	FEED(&r, IAC SB O_NAWS "\x01" IAC IAC "\x00" IAC IAC IAC SE);
	FEED(&r, IAC SB O_NAWS "\x00\x50\x00" IAC SE);
	assert_int_equal(r.changed, 0);
	assert_int_equal(c->cols, 511);
	rec_fini(&r);
}

#define CHARSET_REQUEST IAC SB O_CHARSET "\x01;UTF-8;ISO-8859-1" IAC SE

static void test_charset(void **state)
{
	struct rec r;
	const struct tn_caps *c;

	(void)state;
	/* Accepted UTF-8. */
	rec_tn(&r, NULL);
	c = tn_caps(r.tn);
	FEED(&r, IAC WILL O_CHARSET);
	assert_out(&r, CHARSET_REQUEST);
	buf_clear(&r.out);
	tn_send_text(r.tn, S("caf\xc3\xa9"));
	assert_out(&r, "cafe"); /* not UTF-8 yet: folded */
	buf_clear(&r.out);
	FEED(&r, IAC SB O_CHARSET "\x02UTF-8" IAC SE);
	assert_true(c->utf8);
	assert_true(r.changed & TN_CHANGED_CHARSET);
	tn_send_text(r.tn, S("caf\xc3\xa9"));
	assert_out(&r, "caf\xc3\xa9");
	/* The request goes out once, even if the client says DO too. */
	buf_clear(&r.out);
	FEED(&r, IAC DO O_CHARSET);
	assert_out(&r, IAC WILL O_CHARSET);
	rec_fini(&r);

	/* Rejected: stays ASCII. */
	rec_tn(&r, NULL);
	c = tn_caps(r.tn);
	FEED(&r, IAC WILL O_CHARSET IAC SB O_CHARSET "\x03" IAC SE);
	assert_false(c->utf8);
	assert_false(c->latin1);
	buf_clear(&r.out);
	tn_send_text(r.tn, S("\xc3\xa9t\xc3\xa9"));
	assert_out(&r, "ete");
	rec_fini(&r);

	/* Latin-1: both directions converted; 0xFF (y with diaeresis) is IAC. */
	rec_tn(&r, NULL);
	c = tn_caps(r.tn);
	FEED(&r, IAC WILL O_CHARSET IAC SB O_CHARSET "\x02ISO-8859-1" IAC SE);
	assert_true(c->latin1);
	assert_false(c->utf8);
	buf_clear(&r.out);
	tn_send_text(r.tn, S("caf\xc3\xa9 \xc3\xbf \xe2\x80\x94 \xe2\x82\xac"));
	assert_out(&r, "caf\xe9 " IAC IAC " -- ?");
	FEED(&r, "caf\xe9 " IAC IAC "\r\n");
	assert_events(&r, "C:4\nL:caf\xc3\xa9 \xc3\xbf\n");
	rec_fini(&r);

	/* The client's own REQUEST is answered. */
	rec_tn(&r, NULL);
	c = tn_caps(r.tn);
	FEED(&r, IAC SB O_CHARSET "\x01 US-ASCII UTF-8" IAC SE);
	assert_out(&r, IAC SB O_CHARSET "\x02UTF-8" IAC SE);
	assert_true(c->utf8);
	buf_clear(&r.out);
	FEED(&r, IAC SB O_CHARSET "\x01;KOI8-R" IAC SE);
	assert_out(&r, IAC SB O_CHARSET "\x03" IAC SE);
	/* An empty list, or a bare [TTABLE] with its version, is rejected too. */
	buf_clear(&r.out);
	FEED(&r, IAC SB O_CHARSET "\x01" IAC SE);
	assert_out(&r, IAC SB O_CHARSET "\x03" IAC SE);
	buf_clear(&r.out);
	FEED(&r, IAC SB O_CHARSET "\x01[TTABLE]\x01" IAC SE);
	assert_out(&r, IAC SB O_CHARSET "\x03" IAC SE);
	/* Agreed on UTF-8, then a request for Latin-1 alone: Latin-1 it is, both ways. */
	buf_clear(&r.out);
	FEED(&r, IAC SB O_CHARSET "\x01;ISO-8859-1" IAC SE);
	assert_out(&r, IAC SB O_CHARSET "\x02ISO-8859-1" IAC SE);
	assert_true(c->latin1);
	assert_false(c->utf8);
	buf_clear(&r.out);
	tn_send_text(r.tn, S("caf\xc3\xa9"));
	assert_out(&r, "caf\xe9");
	rec_fini(&r);
}

static void test_prompt_eor_ga(void **state)
{
	struct rec r;

	(void)state;
	rec_tn(&r, NULL);
	tn_send_prompt(r.tn, S("> "));
	assert_out(&r, "> " IAC GA);
	buf_clear(&r.out);
	FEED(&r, IAC DO O_EOR);
	assert_int_equal(r.out.len, 0);
	assert_true(tn_caps(r.tn)->eor);
	tn_send_prompt(r.tn, S("HP 10> "));
	assert_out(&r, "HP 10> " IAC EOR);
	buf_clear(&r.out);
	FEED(&r, IAC DONT O_EOR);
	assert_out(&r, IAC WONT O_EOR);
	assert_false(tn_caps(r.tn)->eor);
	buf_clear(&r.out);
	/* SGA asked for by the client: no GA at all. */
	FEED(&r, IAC DO O_SGA);
	assert_out(&r, IAC WILL O_SGA);
	assert_true(tn_caps(r.tn)->sga);
	buf_clear(&r.out);
	tn_send_prompt(r.tn, S("> "));
	assert_out(&r, "> ");
	rec_fini(&r);
}

static void test_echo_toggles(void **state)
{
	struct rec r;

	(void)state;
	rec_tn(&r, NULL);
	/* TinTin++ never answers WONT ECHO: the second toggle still goes out. */
	tn_echo_off(r.tn);
	FEED(&r, IAC DO O_ECHO);
	assert_true(tn_caps(r.tn)->echo_off);
	tn_echo_on(r.tn);
	tn_echo_off(r.tn);
	tn_echo_on(r.tn);
	assert_out(&r, IAC WILL O_ECHO IAC WONT O_ECHO IAC WILL O_ECHO IAC WONT O_ECHO);
	assert_false(tn_caps(r.tn)->echo_off);
	/* MUSHclient-style silence and stray answers produce nothing. */
	buf_clear(&r.out);
	FEED(&r, IAC DONT O_ECHO IAC DO O_ECHO IAC DONT O_ECHO);
	assert_int_equal(r.out.len, 0);
	/* A client offering to echo is refused once per offer. */
	FEED(&r, IAC WILL O_ECHO IAC WILL O_ECHO IAC WILL O_ECHO);
	assert_out(&r, IAC DONT O_ECHO);
	FEED(&r, IAC WONT O_ECHO IAC WILL O_ECHO);
	assert_out(&r, IAC DONT O_ECHO IAC DONT O_ECHO);
	rec_fini(&r);
}

/* ---- GMCP ---------------------------------------------------------------- */

#define GMCP_MSG(text) IAC SB O_GMCP text IAC SE

static void test_gmcp_core(void **state)
{
	struct rec r;
	const struct tn_caps *c;

	(void)state;
	rec_tn(&r, NULL);
	c = tn_caps(r.tn);
	tn_send_gmcp(r.tn, "Char.Vitals", "{\"hp\":1}");
	assert_int_equal(r.out.len, 0); /* not on yet */
	assert_false(tn_gmcp_wants(r.tn, "Core.Ping"));
	FEED(&r, IAC DO O_GMCP);
	assert_true(c->gmcp);
	assert_true(r.changed & TN_CHANGED_GMCP);
	rec_clear(&r);

	FEED(&r, GMCP_MSG("Core.Hello {\"client\":\"Mudlet\",\"version\":\"4.17.2\"}"));
	assert_string_equal(c->client, "Mudlet");
	assert_string_equal(c->client_version, "4.17.2");
	assert_int_equal(c->color, COLOR_TRUE);
	assert_true(r.changed & TN_CHANGED_CLIENT);
	/* TTYPE no longer renames a client that said hello. */
	FEED(&r, IAC WILL O_TTYPE IAC SB O_TTYPE "\x00"
						 "ANSI" IAC SE);
	assert_string_equal(c->client, "Mudlet");
	assert_string_equal(c->terminal, "ANSI");
	rec_clear(&r);

	assert_true(tn_gmcp_wants(r.tn, "Core.Ping"));
	assert_false(tn_gmcp_wants(r.tn, "Room.Info"));
	FEED(&r, GMCP_MSG("Core.Supports.Set [\"Char 1\", \"Room 1\", \"Bad Name 1\", 7]"));
	assert_int_equal(c->n_gmcp_packages, 2);
	assert_true(tn_gmcp_wants(r.tn, "Room.Info"));
	assert_true(tn_gmcp_wants(r.tn, "room.info"));
	assert_true(tn_gmcp_wants(r.tn, "Char.Vitals"));
	assert_true(tn_gmcp_wants(r.tn, "Char"));
	assert_false(tn_gmcp_wants(r.tn, "Comm.Channel.Text"));
	assert_false(tn_gmcp_wants(r.tn, "Roomy.Info"));
	assert_true(r.changed & TN_CHANGED_GMCP_SUPPORTS);

	FEED(&r, GMCP_MSG("Core.Supports.Add [\"Comm.Channel 1\"]"));
	assert_true(tn_gmcp_wants(r.tn, "Comm.Channel.Text"));
	assert_true(tn_gmcp_wants(r.tn, "Comm.Channel.List"));
	assert_false(tn_gmcp_wants(r.tn, "Comm.Other"));
	FEED(&r, GMCP_MSG("Core.Supports.Add [\"Comm 2\", \"Room 3\"]"));
	assert_true(tn_gmcp_wants(r.tn, "Comm.Other"));
	assert_int_equal(c->n_gmcp_packages, 4);
	for (size_t i = 0; i < c->n_gmcp_packages; i++) {
		if (strcmp(c->gmcp_packages[i].name, "Room") == 0)
			assert_int_equal(c->gmcp_packages[i].version, 3);
	}
	FEED(&r, GMCP_MSG("Core.Supports.Remove [\"Room\", \"Comm 2\"]"));
	assert_false(tn_gmcp_wants(r.tn, "Room.Info"));
	assert_false(tn_gmcp_wants(r.tn, "Comm.Other"));
	assert_true(tn_gmcp_wants(r.tn, "Comm.Channel.Text"));
	/* Set replaces. */
	FEED(&r, GMCP_MSG("Core.Supports.Set [\"Room 1\"]"));
	assert_int_equal(c->n_gmcp_packages, 1);
	assert_false(tn_gmcp_wants(r.tn, "Char.Vitals"));
	assert_true(tn_gmcp_wants(r.tn, "Room.Info"));

	/* Ping is answered by tn and passed on. */
	rec_clear(&r);
	FEED(&r, GMCP_MSG("Core.Ping 120"));
	assert_out(&r, GMCP_MSG("Core.Ping"));
	assert_events(&r, "G:Core.Ping|120\n");
	rec_clear(&r);
	FEED(&r, GMCP_MSG("Char.Login {\"name\":\"x\"}") GMCP_MSG("External.Discord.Hello"));
	assert_events(&r, "G:Char.Login|{\"name\":\"x\"}\nG:External.Discord.Hello|\n");
	assert_int_equal(tn_stats(r.tn)->gmcp_bad, 0);

	/* Bad JSON and bad names: ignored and counted, no crash. */
	rec_clear(&r);
	FEED(&r, GMCP_MSG("Core.Hello {\"client\":") GMCP_MSG("Bad!Name {}")
			 GMCP_MSG("Core.Supports.Set [[[[[[") GMCP_MSG("")
				 GMCP_MSG("Core.Hello {\"client\":\"x" IAC IAC "\xfe\"}"));
	assert_events(&r, "");
	assert_int_equal(tn_stats(r.tn)->gmcp_bad, 5);
	assert_string_equal(c->client, "Mudlet");
	/* Hello with the wrong types changes nothing. */
	FEED(&r, GMCP_MSG("Core.Hello [1,2]") GMCP_MSG("Core.Hello {\"client\":5}"));
	assert_string_equal(c->client, "Mudlet");

	/* Out: escaped IAC inside JSON. */
	rec_clear(&r);
	tn_send_gmcp(r.tn, "Room.Info", "{\"name\":\"\xff\"}");
	assert_out(&r, IAC SB O_GMCP "Room.Info {\"name\":\"" IAC IAC "\"}" IAC SE);
	rec_clear(&r);
	tn_send_gmcp(r.tn, "Core.Goodbye", NULL);
	assert_out(&r, GMCP_MSG("Core.Goodbye"));
	rec_clear(&r);
	FEED(&r, IAC DONT O_GMCP);
	assert_false(c->gmcp);
	assert_false(tn_gmcp_wants(r.tn, "Room.Info"));
	rec_fini(&r);
}

static void test_mssp(void **state)
{
	static const char *const names[] = {"NAME", "PLAYERS",
					    "CODE\x01"
					    "BASE"};
	static const char *const values[] = {"Forgotten Ruin", "3", "x\x02y\xff"};
	struct rec r;

	(void)state;
	rec_tn(&r, NULL);
	tn_send_mssp(r.tn, names, values, 3);
	assert_int_equal(r.out.len, 0); /* not asked */
	FEED(&r, IAC DO O_MSSP);
	assert_true(r.changed & TN_CHANGED_MSSP_REQUEST);
	tn_send_mssp(r.tn, names, values, 3);
	assert_out(&r, IAC SB O_MSSP "\x01NAME\x02"
				     "Forgotten Ruin\x01PLAYERS\x02"
				     "3\x01"
				     "CODEBASE\x02xy" IAC SE);
	rec_fini(&r);
}

/* ---- lines --------------------------------------------------------------- */

static void test_line_endings(void **state)
{
	struct rec r;

	(void)state;
	rec_tn(&r, NULL);
	FEED(&r, "a\r\nb\r\0c\rd\ne\n\r\n");
	assert_events(&r, "L:a\nL:b\nL:c\nL:d\nL:e\nL:\n");
	rec_clear(&r);
	/* CR LF split across reads: no extra empty line. */
	FEED(&r, "look\r");
	FEED(&r, "\nnorth\r");
	FEED(&r, "\0");
	FEED(&r, "\r");
	FEED(&r, "\n\n");
	assert_events(&r, "L:look\nL:north\nL:\nL:\n");
	rec_clear(&r);
	/* A negotiation between CR and LF does not split them either. */
	FEED(&r, "x\r" IAC NOP "\ny\n");
	assert_events(&r, "L:x\nL:y\n");
	/* No end of line yet: nothing. */
	rec_clear(&r);
	FEED(&r, "partial");
	assert_events(&r, "");
	FEED(&r, "\n");
	assert_events(&r, "L:partial\n");
	assert_int_equal(tn_stats(r.tn)->lines_in, 13);
	rec_fini(&r);
}

static void test_utf8_repair_and_controls(void **state)
{
	struct rec r;

	(void)state;
	rec_tn(&r, NULL);
	/* A character split across reads survives. */
	FEED(&r, "caf\xc3");
	FEED(&r, "\xa9\n");
	assert_events(&r, "L:caf\xc3\xa9\n");
	rec_clear(&r);
	/* Overlong, stray continuation, IAC-escaped 0xFF: U+FFFD each. */
	FEED(&r, "a\xc0\xaf"
		 "b\x80"
		 "c" IAC IAC "d\n");
	assert_events(&r, "L:a\xef\xbf\xbd"
			  "b\xef\xbf\xbd"
			  "c\xef\xbf\xbd"
			  "d\n");
	rec_clear(&r);
	/* NUL and C0 controls dropped, tabs too; C1 (U+0085) dropped. */
	FEED(&r, "a\0b\x07"
		 "c\td\x01\xc2\x85"
		 "e\n");
	assert_events(&r, "L:abcde\n");
	rec_clear(&r);
	/* Backspace and DEL erase a character, a whole UTF-8 one. */
	FEED(&r, "abx\x08"
		 "c\x7f"
		 "d\n"
		 "\xc3\xa9\xe2\x82\xac\x7f\x7f"
		 "ok\n"
		 "\x08\x08z\n");
	assert_events(&r, "L:abd\nL:ok\nL:z\n");
	rec_clear(&r);
	/* Arrow keys and other escape sequences vanish; Alt-x keeps x. */
	FEED(&r, "\x1b[Ago\x1b[1;5Cn\x1bOA\x1bx\x1b");
	FEED(&r, "[");
	FEED(&r, "B!\n");
	assert_events(&r, "L:gonx!\n");
	rec_clear(&r);
	/* IAC EC erases a character, IAC EL the line. */
	FEED(&r, "abc" IAC EC "d\n"
		 "junk" IAC EL "say hi\n");
	assert_events(&r, "L:abd\nL:say hi\n");
	rec_fini(&r);
}

static void test_line_too_long(void **state)
{
	struct tn_config cfg = {.max_line = 10};
	struct rec r;

	(void)state;
	rec_tn(&r, &cfg);
	FEED(&r, "0123456789\n");
	assert_events(&r, "L:0123456789\n");
	rec_clear(&r);
	FEED(&r, "0123456789X");
	assert_events(&r, "T:10\n");
	FEED(&r, "YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY");
	FEED(&r, "\r\nafter\n");
	assert_events(&r, "T:10\nL:after\n");
	rec_clear(&r);
	/* Erasing does not bring an overflowed line back. */
	FEED(&r, "0123456789AB\x08\x08\x08\n");
	assert_events(&r, "T:10\n");
	rec_fini(&r);
}

/* ---- hostile input ------------------------------------------------------- */

static void test_oversized_sb(void **state)
{
	struct tn_config cfg = {.max_sb = 100};
	struct rec r;
	struct buf in;

	(void)state;
	buf_init(&in, 0);
	/* Exactly max_sb bytes of data is fine. */
	rec_tn(&r, &cfg);
	FEED(&r, IAC DO O_GMCP);
	rec_clear(&r);
	buf_puts(&in, IAC SB O_GMCP "Char.X \"");
	while (in.len < 3 + 99)
		buf_putc(&in, 'a');
	buf_puts(&in, "\"" IAC SE "ok\n");
	feed(&r, in.data, in.len);
	assert_true(strstr(buf_cstr(&r.events), "L:ok\n") != NULL);
	assert_true(strstr(buf_cstr(&r.events), "E:") == NULL);
	rec_fini(&r);

	/* One more is fatal, and nothing after it is read. */
	rec_tn(&r, &cfg);
	buf_clear(&in);
	buf_puts(&in, "before\n" IAC SB O_GMCP);
	for (int i = 0; i < 101; i++)
		buf_putc(&in, 'a');
	buf_puts(&in, IAC SE "after\n");
	feed(&r, in.data, in.len);
	FEED(&r, "later\n");
	assert_events(&r, "L:before\nE:subnegotiation too long\n");
	assert_true(tn_failed(r.tn));
	/* Output still works for a goodbye. */
	tn_send_text(r.tn, S("bye\n"));
	assert_out(&r, "bye\r\n");
	rec_fini(&r);

	/* Default limits: 20 KiB in an option we do not even parse, fed in
	 * pieces, never leaks into the data stream. */
	rec_tn(&r, NULL);
	FEED(&r, IAC SB "\x27");
	for (int i = 0; i < 20; i++) {
		char chunk[1024];

		memset(chunk, 'x', sizeof(chunk));
		chunk[10] = '\n';
		feed(&r, chunk, sizeof(chunk));
	}
	FEED(&r, IAC SE "after\n");
	assert_events(&r, "E:subnegotiation too long\n");
	rec_fini(&r);

	/* IAC followed by anything but SE or IAC inside a subnegotiation. */
	rec_tn(&r, NULL);
	FEED(&r, IAC SB O_GMCP "Core.Ping" IAC NOP "x\n");
	assert_events(&r, "E:malformed subnegotiation\n");
	rec_fini(&r);
	buf_fini(&in);
}

static void test_client_mccp2_marker(void **state)
{
	struct tn_config cfg = {.mccp2 = true};
	struct rec r;

	(void)state;
	rec_tn(&r, &cfg);
	FEED(&r, "look\n" IAC SB O_MCCP2 IAC SE "x\x9c\x01\n");
	FEED(&r, "more\n");
	assert_events(&r, "L:look\nE:client sent an MCCP2 start marker\n");
	assert_int_equal(r.out.len, 0);
	rec_fini(&r);
}

static void test_iac_flood(void **state)
{
	struct rec r;
	struct buf in;
	const size_t reps = 20000;

	(void)state;
	buf_init(&in, 0);
	rec_tn(&r, NULL);
	for (size_t i = 0; i < reps; i++)
		buf_puts(&in, IAC NOP IAC DO "\x63" IAC WILL "\x63" IAC DO O_EOR IAC WILL O_NAWS);
	buf_puts(&in, "still here\n");
	feed(&r, in.data, in.len);
	/* One refusal per unsupported option, EOR and NAWS agreed once. */
	assert_out(&r, IAC WONT "\x63" IAC DONT "\x63");
	assert_events(&r, "C:80\nL:still here\n");
	rec_clear(&r);
	/* Toggling costs at most one reply per state change. */
	buf_clear(&in);
	for (size_t i = 0; i < 1000; i++)
		buf_puts(&in, IAC DONT O_EOR IAC DO O_EOR);
	feed(&r, in.data, in.len);
	assert_int_equal(r.out.len, 1000 * 6);
	assert_false(tn_failed(r.tn));
	rec_fini(&r);
	buf_fini(&in);
}

/* ---- the whole session, split everywhere --------------------------------- */

static const char session[] =
	IAC DO O_EOR IAC DO O_GMCP IAC WILL O_TTYPE IAC WILL O_NAWS IAC SB O_NAWS
	"\x00\x64\x00\x28" IAC SE IAC SB O_TTYPE "\x00"
	"TINTIN++" IAC SE GMCP_MSG(
		"Core.Hello {\"client\":\"Mudlet\",\"version\":\"4.17\"}") "north\r\n" IAC WILL
		O_CHARSET IAC SB O_CHARSET "\x02UTF-8" IAC SE "say caf\xc3\xa9\r\0" GMCP_MSG(
			"Core.Supports.Set [\"Room 1\",\"Char 1\"]") IAC NOP
	"look\n" GMCP_MSG("Core.Ping") "x\x08y\r" IAC SB O_TTYPE "\x00"
				       "xterm-256color" IAC SE "\nquit\r\n" IAC DO "\x63"
				       "\x1b[A\n";

static void run_split(struct rec *r, const size_t *cuts, size_t ncuts)
{
	size_t at = 0, len = sizeof(session) - 1;

	rec_tn(r, NULL);
	r->echo_lines = true;
	for (size_t i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : len;

		feed(r, session + at, end - at);
		at = end;
	}
}

static void test_split_everywhere(void **state)
{
	struct rec whole, part;
	size_t len = sizeof(session) - 1;

	(void)state;
	assert_true(len >= 200);
	run_split(&whole, NULL, 0);
	assert_string_equal(buf_cstr(&whole.events),
			    "C:80\nC:10\nC:1\nC:a\nC:48\n"
			    "G:Core.Hello|{\"client\":\"Mudlet\",\"version\":\"4.17\"}\n"
			    "L:north\nC:4\nL:say caf\xc3\xa9\n"
			    "C:20\nG:Core.Supports.Set|[\"Room 1\",\"Char 1\"]\n"
			    "L:look\nG:Core.Ping|\nL:y\nC:2\nL:quit\nL:\n");
	for (size_t cut = 0; cut <= len; cut++) {
		run_split(&part, &cut, 1);
		assert_string_equal(buf_cstr(&part.events), buf_cstr(&whole.events));
		assert_bytes(&part.out, buf_cstr(&whole.out), whole.out.len);
		rec_fini(&part);
	}
	/* Two cuts, at every pair of offsets a few bytes apart. */
	for (size_t a = 0; a + 3 <= len; a++) {
		size_t cuts[2] = {a, a + 3};

		run_split(&part, cuts, 2);
		assert_string_equal(buf_cstr(&part.events), buf_cstr(&whole.events));
		assert_bytes(&part.out, buf_cstr(&whole.out), whole.out.len);
		rec_fini(&part);
	}
	/* Byte by byte. */
	{
		size_t cuts[sizeof(session)];

		for (size_t i = 0; i < len; i++)
			cuts[i] = i;
		run_split(&part, cuts, len);
		assert_string_equal(buf_cstr(&part.events), buf_cstr(&whole.events));
		assert_bytes(&part.out, buf_cstr(&whole.out), whole.out.len);
		rec_fini(&part);
	}
	rec_fini(&whole);
}

/* ---- output -------------------------------------------------------------- */

static void test_text_output(void **state)
{
	struct rec r;

	(void)state;
	rec_tn(&r, NULL);
	tn_send_text(r.tn, S("a\nb\r\nc\n\nd"));
	assert_out(&r, "a\r\nb\r\nc\r\n\r\nd");
	buf_clear(&r.out);
	/* "\r" and "\n" in separate calls are still one CR LF. */
	tn_send_text(r.tn, S("x\r"));
	tn_send_text(r.tn, S("\ny"));
	assert_out(&r, "x\r\ny");
	buf_clear(&r.out);
	/* ANSI escapes pass; UTF-8 is folded for a client that never said UTF-8. */
	tn_send_text(r.tn, S("\x1b[31m\xe2\x80\x94red\xe2\x80\x94\x1b[0m"));
	assert_out(&r, "\x1b[31m--red--\x1b[0m");
	rec_fini(&r);

	/* A long UTF-8 text, folded in pieces, never splits a character. */
	rec_tn(&r, NULL);
	{
		struct buf big;

		buf_init(&big, 0);
		buf_putc(&big, 'x'); /* so pieces of 4096 bytes end mid-character */
		for (int i = 0; i < 5000; i++)
			buf_puts(&big, "\xc3\xa9");
		tn_send_text(r.tn, big.data, big.len);
		assert_int_equal(r.out.len, 5001);
		assert_int_equal(r.out.data[0], 'x');
		for (size_t i = 1; i < r.out.len; i++)
			assert_int_equal(r.out.data[i], 'e');
		buf_fini(&big);
	}
	rec_fini(&r);
}

/* Sends text both ways: tn_send_text, and converted once then tn_send_converted. */
static void assert_converted_same(struct rec *r, const char *text, size_t n, bool prompt)
{
	struct buf direct, conv;

	buf_init(&direct, 0);
	buf_init(&conv, 0);
	buf_clear(&r->out);
	if (prompt)
		tn_send_prompt(r->tn, text, n);
	else
		tn_send_text(r->tn, text, n);
	buf_append(&direct, r->out.data, r->out.len);
	buf_clear(&r->out);
	tn_convert_text(&conv, tn_charset(r->tn), text, n);
	tn_send_converted(r->tn, conv.data, conv.len, prompt);
	assert_bytes(&r->out, direct.data, direct.len);
	buf_clear(&r->out);
	buf_fini(&direct);
	buf_fini(&conv);
}

/* One conversion serves every client with the same charset: the bytes are the same. */
static void test_converted_text(void **state)
{
	static const char text[] =
		"caf\xc3\xa9 \xc3\xbf \xe2\x80\x94\na\r\nb\n\n\x1b[31mred\x1b[0m";
	struct rec r;

	(void)state;
	rec_tn(&r, NULL);
	assert_int_equal(tn_charset(r.tn), TN_CHARSET_ASCII);
	assert_converted_same(&r, S(text), false);
	assert_converted_same(&r, S("HP 10> "), true);
	FEED(&r, IAC WILL O_CHARSET IAC SB O_CHARSET "\x02ISO-8859-1" IAC SE);
	assert_int_equal(tn_charset(r.tn), TN_CHARSET_LATIN1);
	assert_converted_same(&r, S(text), false);
	FEED(&r, IAC DO O_EOR);
	assert_converted_same(&r, S("> "), true);
	rec_fini(&r);

	rec_tn(&r, NULL);
	FEED(&r, IAC WILL O_CHARSET IAC SB O_CHARSET "\x02UTF-8" IAC SE);
	assert_int_equal(tn_charset(r.tn), TN_CHARSET_UTF8);
	assert_converted_same(&r, S(text), false);
	/* A stray 0xFF in the text is still escaped. */
	assert_converted_same(&r,
			      S("a\xff"
				"b"),
			      false);
	buf_clear(&r.out);
	tn_send_converted(r.tn, NULL, 0, false);
	assert_int_equal(r.out.len, 0);
	rec_fini(&r);
}

/* Inflates bytes; returns the zlib status of the last call. */
static int inflate_all(z_stream *z, const char *p, size_t n, struct buf *out)
{
	unsigned char chunk[4096];
	int rc;

	z->next_in = (unsigned char *)(uintptr_t)p;
	z->avail_in = (uInt)n;
	do {
		z->next_out = chunk;
		z->avail_out = sizeof(chunk);
		rc = inflate(z, Z_SYNC_FLUSH);
		buf_append(out, chunk, sizeof(chunk) - z->avail_out);
	} while (rc == Z_OK && (z->avail_in > 0 || z->avail_out == 0));
	return rc;
}

#define MARKER IAC SB O_MCCP2 IAC SE

static void test_mccp2_output(void **state)
{
	struct tn_config cfg = {.mccp2 = true};
	struct rec r;
	struct buf text, plain;
	z_stream z;
	const struct tn_stats *st;
	size_t marker_len = sizeof(MARKER) - 1;

	(void)state;
	buf_init(&text, 0);
	buf_init(&plain, 0);
	rec_tn(&r, &cfg);
	st = tn_stats(r.tn);
	FEED(&r, IAC DO O_MCCP2);
	assert_true(tn_caps(r.tn)->mccp2);
	assert_true(r.changed & TN_CHANGED_MCCP2);
	assert_true(r.out.len >= marker_len);
	assert_memory_equal(r.out.data, MARKER, marker_len);

	for (int i = 0; i < 200; i++)
		buf_printf(&text, "The ruin is quiet. Line %d.\n", i);
	tn_send_text(r.tn, text.data, text.len);
	tn_send_prompt(r.tn, S("> "));
	FEED(&r, IAC DO O_EOR);
	tn_send_prompt(r.tn, S("> "));

	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit(&z), Z_OK);
	assert_int_equal(inflate_all(&z, r.out.data + marker_len, r.out.len - marker_len, &plain),
			 Z_OK);
	/* Everything arrived (sync flushed), with CR LF and the prompts. */
	buf_clear(&text);
	for (int i = 0; i < 200; i++)
		buf_printf(&text, "The ruin is quiet. Line %d.\r\n", i);
	buf_puts(&text, "> " IAC GA "> " IAC EOR);
	assert_bytes(&plain, text.data, text.len);
	assert_true(st->bytes_out_wire < st->bytes_out_raw / 4);

	/* DONT ends the stream cleanly; text after it is plain. */
	size_t before = r.out.len;

	FEED(&r, IAC DONT O_MCCP2);
	assert_false(tn_caps(r.tn)->mccp2);
	buf_clear(&plain);
	assert_int_equal(inflate_all(&z, r.out.data + before, r.out.len - before, &plain),
			 Z_STREAM_END);
	assert_bytes(&plain, S(IAC WONT O_MCCP2));
	inflateEnd(&z);
	buf_clear(&r.out);
	tn_send_text(r.tn, S("plain\n"));
	assert_out(&r, "plain\r\n");

	/* And DO again restarts it with a fresh marker and stream. */
	buf_clear(&r.out);
	FEED(&r, IAC DO O_MCCP2);
	assert_memory_equal(r.out.data, IAC WILL O_MCCP2 MARKER, 3 + marker_len);
	tn_send_text(r.tn, S("again\n"));
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit(&z), Z_OK);
	buf_clear(&plain);
	assert_int_equal(
		inflate_all(&z, r.out.data + 3 + marker_len, r.out.len - 3 - marker_len, &plain),
		Z_OK);
	assert_bytes(&plain, S("again\r\n"));
	inflateEnd(&z);

	/* Nothing to send: no empty flush blocks. */
	buf_clear(&r.out);
	FEED(&r, IAC NOP);
	assert_int_equal(r.out.len, 0);
	rec_fini(&r);

	/* Not offered: DO COMPRESS2 is refused. */
	rec_tn(&r, NULL);
	FEED(&r, IAC DO O_MCCP2);
	assert_out(&r, IAC WONT O_MCCP2);
	assert_false(tn_caps(r.tn)->mccp2);
	rec_fini(&r);
	buf_fini(&text);
	buf_fini(&plain);
}

static void test_mccp2_toggle_budget(void **state)
{
	struct tn_config cfg = {.mccp2 = true};
	struct rec r;
	int starts = 0;

	(void)state;
	rec_tn(&r, &cfg);
	for (int i = 0; i < 50; i++) {
		FEED(&r, IAC DO O_MCCP2);
		if (tn_caps(r.tn)->mccp2)
			starts++;
		FEED(&r, IAC DONT O_MCCP2);
	}
	/* TN_MCCP2_MAX_STARTS (8) streams, then WONT COMPRESS2. */
	assert_int_equal(starts, 8);
	assert_false(tn_failed(r.tn));
	rec_fini(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_converted_text),
		cmocka_unit_test(test_opening),
		cmocka_unit_test(test_ttype_mtts_cycle),
		cmocka_unit_test(test_ttype_repeat_ends_cycle),
		cmocka_unit_test(test_mtts_color_bits),
		cmocka_unit_test(test_naws),
		cmocka_unit_test(test_charset),
		cmocka_unit_test(test_prompt_eor_ga),
		cmocka_unit_test(test_echo_toggles),
		cmocka_unit_test(test_gmcp_core),
		cmocka_unit_test(test_mssp),
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_utf8_repair_and_controls),
		cmocka_unit_test(test_line_too_long),
		cmocka_unit_test(test_oversized_sb),
		cmocka_unit_test(test_client_mccp2_marker),
		cmocka_unit_test(test_iac_flood),
		cmocka_unit_test(test_split_everywhere),
		cmocka_unit_test(test_text_output),
		cmocka_unit_test(test_mccp2_output),
		cmocka_unit_test(test_mccp2_toggle_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
