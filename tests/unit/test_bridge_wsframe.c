/*
 * test_bridge_wsframe.c: the WebSocket frames ruin-bridge writes itself
 * (bridge/wsframe.h).
 *
 * Frame headers at every length boundary; compressed messages inflate back
 * with a plain raw inflater, as a browser's would, across messages (context
 * takeover) and without it; the window the offer allows is the window used
 * (an inflater with only that window reads the stream); short messages and
 * connections without compression go out as they are; and the offer parser
 * picks what libwebsockets picks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "../../bridge/wsframe.h"
#include "base/banned.h"

/* A parsed frame of out, from *at; advances *at. */
struct frame {
	int fin, rsv1, op;
	const unsigned char *payload;
	size_t len;
};

static struct frame next_frame(const struct buf *out, size_t *at)
{
	const unsigned char *p = (const unsigned char *)out->data + *at;
	struct frame f;
	size_t h = 2, n;

	assert_true(out->len - *at >= 2);
	f.fin = p[0] >> 7;
	f.rsv1 = (p[0] >> 6) & 1;
	f.op = p[0] & 0x0f;
	assert_int_equal(p[1] & 0x80, 0); /* a server never masks */
	n = p[1] & 0x7f;
	if (n == 126) {
		n = (size_t)p[2] << 8 | p[3];
		h = 4;
	} else if (n == 127) {
		n = 0;
		for (int i = 0; i < 8; i++)
			n = n << 8 | p[2 + i];
		h = 10;
	}
	assert_true(out->len - *at >= h + n);
	f.payload = p + h;
	f.len = n;
	*at += h + n;
	return f;
}

/* Inflates a compressed message's payload (the flush trailer put back) into got. */
static void inflate_into(z_stream *z, const struct frame *f, struct buf *got)
{
	static const unsigned char trailer[4] = {0, 0, 0xff, 0xff};
	unsigned char chunk[4096];
	struct {
		const unsigned char *p;
		size_t n;
	} in[2] = {{f->payload, f->len}, {trailer, sizeof(trailer)}};

	buf_clear(got);
	for (int part = 0; part < 2; part++) {
		z->next_in = (unsigned char *)in[part].p;
		z->avail_in = (uInt)in[part].n;
		do {
			int rc;

			z->next_out = chunk;
			z->avail_out = sizeof(chunk);
			rc = inflate(z, Z_SYNC_FLUSH);
			assert_true(rc == Z_OK || rc == Z_BUF_ERROR);
			buf_append(got, chunk, sizeof(chunk) - z->avail_out);
		} while (z->avail_in || z->avail_out == 0);
	}
}

/* The buffers every test writes and reads (fresh for each test). */
struct fx {
	struct buf out, scratch, msg, got;
};

static int fx_setup(void **state)
{
	struct fx *f = test_malloc(sizeof(*f));

	buf_init(&f->out, 0);
	buf_init(&f->scratch, 0);
	buf_init(&f->msg, 0);
	buf_init(&f->got, 0);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	buf_fini(&f->out);
	buf_fini(&f->scratch);
	buf_fini(&f->msg);
	buf_fini(&f->got);
	test_free(f);
	return 0;
}

static void test_header_lengths(void **state)
{
	static const size_t lens[] = {0, 1, 125, 126, 127, 65535, 65536, 70000};
	static char payload[70000];
	struct fx *x = *state;

	memset(payload, 'x', sizeof(payload));
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t at = 0, head = lens[i] < 126 ? 2 : lens[i] < 65536 ? 4 : 10;
		struct frame f;

		buf_clear(&x->out);
		assert_int_equal(wsframe_text(&x->out, NULL, &x->scratch, payload, lens[i]), 0);
		assert_int_equal(x->out.len, head + lens[i]);
		f = next_frame(&x->out, &at);
		assert_int_equal(f.fin, 1);
		assert_int_equal(f.rsv1, 0);
		assert_int_equal(f.op, 1);
		assert_int_equal(f.len, lens[i]);
		assert_int_equal(at, x->out.len);
	}
	/* The header bytes themselves, at the two boundaries. */
	buf_clear(&x->out);
	wsframe_header(&x->out, 2, true, 126);
	assert_memory_equal(x->out.data, "\xc2\x7e\x00\x7e", 4);
	buf_clear(&x->out);
	wsframe_header(&x->out, 1, false, 65536);
	assert_memory_equal(x->out.data, "\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
}

/* A room's look, long enough that a 2 KiB window does not hold two of them. */
static void make_look(struct buf *b, int variant)
{
	buf_clear(b);
	buf_printf(b, "{\"type\":\"text\",\"data\":\"The Ember Gate (%d)\\n", variant);
	/* Names and numbers that do not repeat, as a crowd's do not. */
	for (unsigned i = 0, x = 12345; i < 60; i++) {
		x = x * 1103515245u + 12345u;
		buf_printf(b, "%c%c%c%u stands here (%u). ", 'A' + x % 26, 'a' + (x >> 5) % 26,
			   'a' + (x >> 10) % 26, x % 1000, (x >> 16) % 100);
	}
	buf_puts(b, "\",\"timestamp\":1795760986700}");
}

static void test_compressed_messages_inflate_back(void **state)
{
	struct wsframe_params p = {.window_bits = 13, .mem_level = 4};
	struct wsframe_deflate d;
	struct fx *x = *state;
	z_stream z = {0};
	size_t at = 0, sizes[3];

	wsframe_deflate_init(&d, &p);
	assert_int_equal(wsframe_deflate_memory(&d), 0);
	assert_int_equal(inflateInit2(&z, -15), Z_OK);
	for (int i = 0; i < 3; i++) {
		make_look(&x->msg, i == 2 ? 2 : 1);
		assert_int_equal(wsframe_text(&x->out, &d, &x->scratch, x->msg.data, x->msg.len),
				 0);
	}
	assert_true(wsframe_deflate_memory(&d) > 0);
	for (int i = 0; i < 3; i++) {
		struct frame f = next_frame(&x->out, &at);

		assert_int_equal(f.rsv1, 1);
		assert_int_equal(f.op, 1);
		assert_int_equal(f.fin, 1);
		/* The flush's 00 00 ff ff is not sent. */
		assert_false(f.len >= 4 && memcmp(f.payload + f.len - 4, "\0\0\xff\xff", 4) == 0);
		sizes[i] = f.len;
		inflate_into(&z, &f, &x->got);
		make_look(&x->msg, i == 2 ? 2 : 1);
		assert_int_equal(x->got.len, x->msg.len);
		assert_memory_equal(x->got.data, x->msg.data, x->msg.len);
	}
	assert_int_equal(at, x->out.len);
	/* The same look again refers back to the first: a few bytes. */
	print_message("look %zu bytes: compressed %zu, then %zu and %zu\n", x->msg.len, sizes[0],
		      sizes[1], sizes[2]);
	assert_true(sizes[1] * 10 < sizes[0]);
	assert_true(sizes[1] < 64);
	inflateEnd(&z);
	wsframe_deflate_fini(&d);
	assert_int_equal(wsframe_deflate_memory(&d), 0);
}

static void test_no_context_takeover(void **state)
{
	struct wsframe_params p = {.window_bits = 15, .mem_level = 8, .no_takeover = true};
	struct wsframe_deflate d;
	struct fx *x = *state;
	size_t at = 0, first = 0;

	wsframe_deflate_init(&d, &p);
	make_look(&x->msg, 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(wsframe_text(&x->out, &d, &x->scratch, x->msg.data, x->msg.len),
				 0);
	for (int i = 0; i < 3; i++) {
		struct frame f = next_frame(&x->out, &at);
		z_stream z = {0};

		/* Each message inflates on its own, with a fresh inflater. */
		assert_int_equal(inflateInit2(&z, -15), Z_OK);
		inflate_into(&z, &f, &x->got);
		inflateEnd(&z);
		assert_int_equal(x->got.len, x->msg.len);
		assert_memory_equal(x->got.data, x->msg.data, x->msg.len);
		if (i == 0)
			first = f.len;
		assert_int_equal(f.len, first);
	}
	wsframe_deflate_fini(&d);
}

static void test_window_is_kept(void **state)
{
	struct wsframe_params p = {.window_bits = 9, .mem_level = 4};
	struct wsframe_deflate d;
	struct fx *x = *state;
	z_stream z = {0};
	size_t at = 0;

	wsframe_deflate_init(&d, &p);
	/* Repeats 2 KiB apart: a bigger window would refer back to them, and an
	 * inflater with a 512-byte window would fail on the distance. */
	make_look(&x->msg, 1);
	for (int i = 0; i < 2; i++)
		assert_int_equal(wsframe_text(&x->out, &d, &x->scratch, x->msg.data, x->msg.len),
				 0);
	assert_int_equal(inflateInit2(&z, -9), Z_OK);
	for (int i = 0; i < 2; i++) {
		struct frame f = next_frame(&x->out, &at);

		inflate_into(&z, &f, &x->got);
		assert_int_equal(x->got.len, x->msg.len);
		assert_memory_equal(x->got.data, x->msg.data, x->msg.len);
	}
	inflateEnd(&z);
	wsframe_deflate_fini(&d);
}

static void test_short_or_unagreed_go_as_they_are(void **state)
{
	struct wsframe_params on = {.window_bits = 11, .mem_level = 4}, off = {.mem_level = 4};
	struct wsframe_deflate d;
	struct fx *x = *state;
	size_t at = 0;
	struct frame f;
	char small[WSFRAME_DEFLATE_MIN - 1];

	memset(small, 'a', sizeof(small));
	wsframe_deflate_init(&d, &on);
	assert_int_equal(wsframe_text(&x->out, &d, &x->scratch, small, sizeof(small)), 0);
	f = next_frame(&x->out, &at);
	assert_int_equal(f.rsv1, 0);
	assert_int_equal(f.len, sizeof(small));
	assert_memory_equal(f.payload, small, sizeof(small));
	assert_int_equal(wsframe_deflate_memory(&d), 0); /* zlib not even started */
	wsframe_deflate_fini(&d);

	wsframe_deflate_init(&d, &off);
	make_look(&x->msg, 1);
	assert_int_equal(wsframe_text(&x->out, &d, &x->scratch, x->msg.data, x->msg.len), 0);
	f = next_frame(&x->out, &at);
	assert_int_equal(f.rsv1, 0);
	assert_int_equal(f.len, x->msg.len);
	assert_memory_equal(f.payload, x->msg.data, x->msg.len);
	assert_int_equal(wsframe_deflate_memory(&d), 0);
	wsframe_deflate_fini(&d);
}

static void test_offers(void **state)
{
	static const struct {
		const char *header;
		bool agreed;
		int bits;
		bool no_takeover;
	} cases[] = {
		{NULL, true, 0, false},
		{"permessage-deflate", false, 0, false},
		{"permessage-deflate", true, 11, false},
		{"permessage-deflate; client_max_window_bits", true, 11, false},
		{"Permessage-Deflate ;  Client_Max_Window_Bits=9 ", true, 11, false},
		{"permessage-deflate; server_max_window_bits=10", true, 10, false},
		{"permessage-deflate; server_max_window_bits=\"10\"", true, 10, false},
		{"permessage-deflate; server_max_window_bits=13", true, 11, false},
		{"permessage-deflate; server_max_window_bits=8", true, 0, false},
		{"permessage-deflate; server_no_context_takeover", true, 11, true},
		{"permessage-deflate; client_no_context_takeover; server_no_context_takeover", true,
		 11, true},
		{"x-webkit-deflate-frame, permessage-deflate; server_max_window_bits=9", true, 9,
		 false},
		/* lws turns down an offer it cannot keep and takes the next. */
		{"permessage-deflate; server_max_window_bits=20, permessage-deflate", true, 11,
		 false},
		{"permessage-deflate; server_max_window_bits, permessage-deflate; "
		 "server_no_context_takeover",
		 true, 11, true},
		{"permessage-deflate; colour=blue", true, 0, false},
		{"permessage-deflate-x", true, 0, false},
		{"", true, 0, false},
		{",,;", true, 0, false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wsframe_params p;

		wsframe_offer(cases[i].header, cases[i].agreed, 11, 4, &p);
		if (p.window_bits != cases[i].bits || p.no_takeover != cases[i].no_takeover)
			fail_msg("offer %zu (%s): bits %d no_takeover %d", i,
				 cases[i].header ? cases[i].header : "NULL", p.window_bits,
				 p.no_takeover);
		assert_int_equal(p.mem_level, 4);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_header_lengths, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_compressed_messages_inflate_back, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_no_context_takeover, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_window_is_kept, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_short_or_unagreed_go_as_they_are, fx_setup,
						fx_teardown),
		cmocka_unit_test(test_offers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
