/*
 * test_tn_state.c: a connection's telnet state survives tn_save() and
 * tn_restore() (hot reboot): the same capabilities, the same agreed options
 * (libtelnet's Q-method state included), nothing sent while rebuilding, and
 * MCCP2 ended cleanly on one side and restarted on the other.
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

#define IAC	  "\xff"
#define DONT	  "\xfe"
#define DO	  "\xfd"
#define WILL	  "\xfb"
#define SB	  "\xfa"
#define SE	  "\xf0"
#define EOR	  "\xef"
#define O_TTYPE	  "\x18"
#define O_EOR	  "\x19"
#define O_NAWS	  "\x1f"
#define O_CHARSET "\x2a"
#define O_MCCP2	  "\x56"
#define O_GMCP	  "\xc9"

#define S(lit) (lit), (sizeof(lit) - 1)

struct rec {
	struct buf out;
	int changed_calls;
	unsigned changed;
	int lines;
};

static void rec_output(void *ud, const char *bytes, size_t n)
{
	buf_append(&((struct rec *)ud)->out, bytes, n);
}

static void rec_line(void *ud, const char *line, size_t n)
{
	(void)line;
	(void)n;
	((struct rec *)ud)->lines++;
}

static void rec_changed(void *ud, unsigned what)
{
	struct rec *r = ud;

	r->changed_calls++;
	r->changed |= what;
}

static void rec_error(void *ud, const char *reason)
{
	(void)ud;
	fail_msg("unexpected telnet error: %s", reason);
}

static const struct tn_callbacks callbacks = {
	.output = rec_output,
	.line = rec_line,
	.changed = rec_changed,
	.error = rec_error,
};

static const struct tn_config config = {.max_line = 1024, .mccp2 = true};

/* Inflates everything in z after the MCCP2 start marker; returns the zlib status. */
static int inflate_after_marker(const struct buf *out, struct buf *plain)
{
	static const char marker[] = IAC SB O_MCCP2 IAC SE;
	const char *at = NULL;
	z_stream z;
	char chunk[4096];
	int rc;

	for (size_t i = 0; !at && i + sizeof(marker) - 1 <= out->len; i++)
		if (memcmp(out->data + i, marker, sizeof(marker) - 1) == 0)
			at = out->data + i;
	assert_non_null(at);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit(&z), Z_OK);
	z.next_in = (unsigned char *)at + sizeof(marker) - 1;
	z.avail_in = (unsigned)(out->data + out->len - (at + sizeof(marker) - 1));
	do {
		z.next_out = (unsigned char *)chunk;
		z.avail_out = sizeof(chunk);
		rc = inflate(&z, Z_SYNC_FLUSH);
		buf_append(plain, chunk, sizeof(chunk) - z.avail_out);
	} while (rc == Z_OK && z.avail_in > 0);
	inflateEnd(&z);
	return rc;
}

/* A Mudlet-like client that agrees to everything. */
static struct tn *negotiated(struct rec *r)
{
	struct tn *tn = tn_new(&config, &callbacks, r);

	tn_start(tn);
	tn_recv(tn,
		S(IAC DO O_EOR IAC DO O_GMCP IAC WILL O_TTYPE IAC WILL O_NAWS IAC WILL O_CHARSET));
	tn_recv(tn, S(IAC SB O_TTYPE "\x00"
				     "MUDLET" IAC SE));
	tn_recv(tn, S(IAC SB O_TTYPE "\x00"
				     "xterm-256color" IAC SE));
	tn_recv(tn, S(IAC SB O_TTYPE "\x00"
				     "MTTS 271" IAC SE));
	tn_recv(tn, S(IAC SB O_NAWS "\x00\x78\x00\x28" IAC SE));
	tn_recv(tn, S(IAC SB O_CHARSET "\x02"
				       "UTF-8" IAC SE));
	tn_recv(tn,
		S(IAC SB O_GMCP "Core.Hello {\"client\":\"Mudlet\",\"version\":\"4.17\"}" IAC SE));
	tn_recv(tn, S(IAC SB O_GMCP "Core.Supports.Set [\"Room 1\",\"Char 2\"]" IAC SE));
	tn_recv(tn, S(IAC DO O_MCCP2));
	tn_send_text(tn, S("compressed before the reboot\n"));
	return tn;
}

static void test_caps_survive(void **state)
{
	struct rec a = {0}, b = {0};
	struct tn *old, *fresh;
	const struct tn_caps *ca, *cb;
	json_t *saved, *reread;
	char *text;

	(void)state;
	buf_init(&a.out, 0);
	buf_init(&b.out, 0);
	old = negotiated(&a);
	assert_true(tn_caps(old)->mccp2);
	saved = tn_save(old);
	assert_false(tn_caps(old)->mccp2);
	/* Through text, as across exec(). */
	text = json_dumps(saved, JSON_COMPACT);
	reread = json_loads(text, 0, NULL);
	assert_non_null(reread);
	fresh = tn_restore(&config, &callbacks, &b, reread);
	assert_non_null(fresh);
	ca = tn_caps(old);
	cb = tn_caps(fresh);
	assert_string_equal(cb->client, ca->client);
	assert_string_equal(cb->client, "Mudlet");
	assert_string_equal(cb->client_version, "4.17");
	assert_string_equal(cb->terminal, ca->terminal);
	assert_int_equal(cb->mtts, 271);
	assert_true(cb->mtts_known);
	assert_int_equal(cb->cols, 120);
	assert_int_equal(cb->rows, 40);
	assert_true(cb->utf8);
	assert_int_equal(cb->color, ca->color);
	assert_true(cb->eor);
	assert_true(cb->gmcp);
	assert_true(cb->mccp2);
	assert_int_equal(cb->n_gmcp_packages, 2);
	assert_true(tn_gmcp_wants(fresh, "Room.Info"));
	assert_true(tn_gmcp_wants(fresh, "Char.Vitals"));
	assert_false(tn_gmcp_wants(fresh, "Comm.Channel.Text"));
	/* Rebuilding called nobody. */
	assert_int_equal(b.changed_calls, 0);
	free(text);
	json_decref(saved);
	json_decref(reread);
	tn_free(old);
	tn_free(fresh);
	buf_fini(&a.out);
	buf_fini(&b.out);
}

static void test_compression_ends_and_restarts(void **state)
{
	struct rec a = {0}, b = {0};
	struct buf plain;
	struct tn *old, *fresh;
	json_t *saved;

	(void)state;
	buf_init(&a.out, 0);
	buf_init(&b.out, 0);
	buf_init(&plain, 0);
	old = negotiated(&a);
	saved = tn_save(old);
	/* The old stream ends cleanly: the client's inflate sees its end. */
	assert_int_equal(inflate_after_marker(&a.out, &plain), Z_STREAM_END);
	assert_non_null(strstr(buf_cstr(&plain), "compressed before the reboot"));

	fresh = tn_restore(&config, &callbacks, &b, saved);
	/* The new process sends exactly a new start marker, then compressed text. */
	assert_true(b.out.len >= 5);
	assert_memory_equal(b.out.data, IAC SB O_MCCP2 IAC SE, 5);
	tn_send_prompt(fresh, S("hp> "));
	buf_clear(&plain);
	assert_int_equal(inflate_after_marker(&b.out, &plain), Z_OK);
	/* The prompt still ends in EOR: the option is on in the new process. */
	assert_int_equal(plain.len, 6);
	assert_memory_equal(plain.data, "hp> " IAC EOR, 6);
	buf_fini(&plain);
	json_decref(saved);
	tn_free(old);
	tn_free(fresh);
	buf_fini(&a.out);
	buf_fini(&b.out);
}

/* The options are on in libtelnet's own state, not just in our caps. */
static void test_option_state_is_libtelnets_too(void **state)
{
	struct rec a = {0}, b = {0};
	struct tn_config plain_cfg = {.max_line = 1024, .mccp2 = false};
	struct tn *old, *fresh;
	json_t *saved;

	(void)state;
	buf_init(&a.out, 0);
	buf_init(&b.out, 0);
	old = tn_new(&plain_cfg, &callbacks, &a);
	tn_start(old);
	tn_recv(old, S(IAC DO O_EOR IAC DO O_GMCP));
	saved = tn_save(old);
	fresh = tn_restore(&plain_cfg, &callbacks, &b, saved);
	assert_int_equal(b.out.len, 0);
	/* A repeated DO for an option already on gets no answer (RFC 1143). */
	tn_recv(fresh, S(IAC DO O_EOR));
	assert_int_equal(b.out.len, 0);
	/* DONT turns it off, which libtelnet only reports for an option that is on. */
	tn_recv(fresh, S(IAC DONT O_GMCP));
	assert_false(tn_caps(fresh)->gmcp);
	assert_true(b.changed & TN_CHANGED_GMCP);
	json_decref(saved);
	tn_free(old);
	tn_free(fresh);
	buf_fini(&a.out);
	buf_fini(&b.out);
}

static void test_bad_saved_state(void **state)
{
	struct rec r = {0};
	json_t *bad = json_pack("{s:i}", "version", 99);

	(void)state;
	assert_null(tn_restore(&config, &callbacks, &r, bad));
	assert_null(tn_restore(&config, &callbacks, &r, NULL));
	json_decref(bad);
	bad = json_array();
	assert_null(tn_restore(&config, &callbacks, &r, bad));
	json_decref(bad);
}

/* The hand-over failed: the same tn goes on, with a new compression stream. */
static void test_unsave_goes_on_here(void **state)
{
	struct rec a = {0};
	struct buf plain;
	struct tn *tn;
	json_t *saved;

	(void)state;
	buf_init(&a.out, 0);
	buf_init(&plain, 0);
	tn = negotiated(&a);
	saved = tn_save(tn);
	assert_false(tn_caps(tn)->mccp2);
	buf_clear(&a.out);
	tn_unsave(tn, saved);
	assert_true(tn_caps(tn)->mccp2);
	assert_memory_equal(a.out.data, IAC SB O_MCCP2 IAC SE, 5);
	tn_send_prompt(tn, S("hp> "));
	assert_int_equal(inflate_after_marker(&a.out, &plain), Z_OK);
	assert_int_equal(plain.len, 6);
	assert_memory_equal(plain.data, "hp> " IAC EOR, 6);
	json_decref(saved);
	/* A client that had no compression gets none. */
	json_decref(tn_save(tn));
	saved = json_pack("{s:b}", "mccp2", 0);
	buf_clear(&a.out);
	tn_unsave(tn, saved);
	assert_false(tn_caps(tn)->mccp2);
	assert_int_equal(a.out.len, 0);
	json_decref(saved);
	tn_free(tn);
	buf_fini(&plain);
	buf_fini(&a.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caps_survive),
		cmocka_unit_test(test_compression_ends_and_restarts),
		cmocka_unit_test(test_unsave_goes_on_here),
		cmocka_unit_test(test_option_state_is_libtelnets_too),
		cmocka_unit_test(test_bad_saved_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
