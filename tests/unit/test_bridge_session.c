/*
 * test_bridge_session.c: a ruin-bridge session between a browser and
 * ruin-server, with the deferred output of bridge/loop.c, driven
 * deterministically.
 *
 * The real session.c, session_write.c, loop.c (on a real libuv loop) and
 * the translators run here; libwebsockets is replaced by the fakes below,
 * which record what the session wrote to each socket and whether reading
 * from the server is paused, and the bridge's clock is ours to set. So the
 * orderings an integration test meets only by luck happen every time: the
 * output an idle browser's session kept meets new output after the browser
 * typed; kept output past SESSION_PEND_PAUSE pauses reading; the server
 * closing while output is kept; the idle handle's slices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <uv.h>

#include "../../bridge/internal.h"
#include "base/banned.h"

/* ---- fake libwebsockets ------------------------------------------------------------------ */

struct lws {
	int flow;	/* 1 reading, 0 paused (lws_rx_flow_control) */
	bool choked;	/* the socket takes nothing (a browser not reading) */
	bool browser;	/* the browser's socket: writes are WebSocket frames */
	struct buf out; /* every byte written, a browser's messages one per line */
};

static int64_t fake_now;

int64_t bridge_now_ms(void)
{
	return fake_now;
}

int bridge_connect_upstream(struct bridge *br, struct session *s)
{
	(void)br;
	(void)s;
	return 0;
}

void bridge_address_add(struct bridge *br, const char *addr)
{
	(void)br;
	(void)addr;
}

void bridge_address_remove(struct bridge *br, const char *addr)
{
	(void)br;
	(void)addr;
}

/*
 * A browser's socket gets whole uncompressed text frames (the sessions
 * here agreed to no compression): each message is kept as a line, so a
 * frame cut short or with a wrong length fails the test.
 */
int lws_write(struct lws *wsi, unsigned char *buf, size_t len, enum lws_write_protocol wp)
{
	size_t i = 0;

	if (!wsi->browser || wp != LWS_WRITE_RAW) {
		buf_append(&wsi->out, buf, len);
		return (int)len;
	}
	while (i < len) {
		size_t n, h = 2;

		assert_true(len - i >= 2);
		assert_int_equal(buf[i], 0x81); /* final, no RSV1, text */
		n = buf[i + 1];
		assert_int_not_equal(n, 127); /* no message here needs a 64-bit length */
		if (n == 126) {
			n = (size_t)buf[i + 2] << 8 | buf[i + 3];
			h = 4;
		}
		assert_true(len - i >= h + n);
		buf_append(&wsi->out, buf + i + h, n);
		buf_putc(&wsi->out, '\n');
		i += h + n;
	}
	return (int)len;
}

/* The tests call session_ws_writeable() themselves where lws would. */
int lws_callback_on_writable(struct lws *wsi)
{
	(void)wsi;
	return 1;
}

void lws_set_timeout(struct lws *wsi, enum pending_timeout reason, int secs)
{
	(void)wsi;
	(void)reason;
	(void)secs;
}

void lws_set_opaque_user_data(struct lws *wsi, void *data)
{
	(void)wsi;
	(void)data;
}

int lws_rx_flow_control(struct lws *wsi, int enable)
{
	wsi->flow = enable;
	return 0;
}

void lws_sul_cancel(lws_sorted_usec_list_t *sul)
{
	(void)sul;
}

void lws_sul_schedule(struct lws_context *ctx, int tsi, lws_sorted_usec_list_t *sul, sul_cb_t cb,
		      lws_usec_t us)
{
	(void)ctx;
	(void)tsi;
	(void)sul;
	(void)cb;
	(void)us;
}

int lws_partial_buffered(struct lws *wsi)
{
	return wsi->choked;
}

void lws_close_reason(struct lws *wsi, enum lws_close_status status, unsigned char *buf, size_t len)
{
	(void)wsi;
	(void)status;
	(void)buf;
	(void)len;
}

/* ---- a bridge with sessions ------------------------------------------------------------- */

struct fixture {
	struct bridge br;
	struct log *log;
	uv_poll_t watch; /* a socket on the loop (test_a_slice_yields_to_a_ready_socket) */
	int sv[2];	 /* its socket pair, -1 if none */
};

#define MAX_SESSIONS 40

static struct lws ws_sock[MAX_SESSIONS], up_sock[MAX_SESSIONS];

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct buf err;

	assert_non_null(f);
	fake_now = 100000;
	f->log = log_new(NULL, LOG_ERROR);
	f->sv[0] = f->sv[1] = -1;
	settings_init(&f->br.cfg);
	f->br.log = f->log;
	dlist_init(&f->br.sessions);
	dlist_init(&f->br.watched);
	map_init(&f->br.tokens, false);
	map_init(&f->br.per_address, false);
	buf_init(&f->br.scratch, (size_t)16 << 20);
	buf_init(&f->br.frames, (size_t)16 << 20);
	buf_init(&f->br.deflated, (size_t)16 << 20);
	wsout_memo_init(&f->br.memo);
	buf_init(&f->br.line, (size_t)f->br.cfg.max_message * 2 + 64);
	buf_init(&f->br.why, 4096);
	buf_init(&err, 0);
	assert_int_equal(bridge_loop_open(&f->br, &err), 0);
	buf_fini(&err);
	for (int i = 0; i < MAX_SESSIONS; i++) {
		ws_sock[i] = (struct lws){.flow = 1, .browser = true};
		up_sock[i] = (struct lws){.flow = 1};
		buf_init(&ws_sock[i].out, 0);
		buf_init(&up_sock[i].out, 0);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	/* Both sockets gone: every session is freed. */
	while (!dlist_empty(&f->br.sessions)) {
		struct session *s = dlist_entry(f->br.sessions.head.next, struct session, link);

		if (s->ws)
			session_ws_closed(s);
		else
			session_up_closed(s, "test over");
	}
	assert_true(dlist_empty(&f->br.deferred));
	/* Closed here, not in the test, so a failed assertion cannot leave it spinning the loop. */
	if (f->sv[0] >= 0) {
		uv_close((uv_handle_t *)&f->watch, NULL);
		close(f->sv[0]);
		close(f->sv[1]);
	}
	bridge_loop_close(&f->br);
	for (int i = 0; i < MAX_SESSIONS; i++) {
		buf_fini(&ws_sock[i].out);
		buf_fini(&up_sock[i].out);
	}
	buf_fini(&f->br.scratch);
	buf_fini(&f->br.frames);
	buf_fini(&f->br.deflated);
	buf_fini(&f->br.line);
	buf_fini(&f->br.why);
	wsout_memo_fini(&f->br.memo);
	map_fini(&f->br.tokens);
	map_fini(&f->br.per_address);
	settings_fini(&f->br.cfg);
	log_free(f->log);
	free(f);
	return 0;
}

/* A playing session for browser i; what it wrote so far is forgotten. */
static struct session *playing(struct fixture *f, int i)
{
	struct session_peer peer = {
		.addr = "192.0.2.7",
		.proxy_line = "PROXY TCP4 192.0.2.7 127.0.0.1 50000 4000\r\n",
		.user_agent = "test",
	};
	struct session *s = session_new(&f->br, &ws_sock[i], &peer);

	assert_non_null(s);
	session_up_connected(s, &up_sock[i]);
	assert_int_equal(session_up_writeable(s), 0);
	assert_int_equal(session_ws_writeable(s), 0);
	buf_clear(&ws_sock[i].out);
	buf_clear(&up_sock[i].out);
	return s;
}

/* What the browser was sent, frames one per line, from the start of the test. */
static const char *browser(int i)
{
	return buf_cstr(&ws_sock[i].out);
}

/* The server sends text; the browser has not typed for a while (or just did). */
static void from_server(struct session *s, const char *text)
{
	assert_int_equal(session_up_receive(s, text, strlen(text)), 0);
}

static void browser_types(struct session *s, const char *command)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "{\"type\":\"command\",\"command\":\"%s\"}", command);
	session_ws_receive(s, msg, strlen(msg), true, true, false);
}

/* One turn of the loop: the idle handle translates a slice of the queue. */
static void turn(struct fixture *f)
{
	uv_run(f->br.loop, UV_RUN_NOWAIT);
}

/* Idle output for browser 0 ("line 0000 ...") until reading from the server pauses; the count. */
static int fill_until_paused(struct session *s)
{
	char line[128];
	int n = 0;

	while (up_sock[0].flow) {
		snprintf(line, sizeof(line), "line %04d of a long broadcast, kept for later.\r\n",
			 n++);
		from_server(s, line);
		assert_true(n < 1000);
	}
	return n;
}

/* Where needle is in the browser's frames, failing the test if it is not there. */
static size_t at(int i, const char *needle)
{
	const char *hay = browser(i), *p = strstr(hay, needle);

	if (!p)
		fail_msg("\"%s\" not sent to the browser; it has:\n%s", needle, hay);
	return (size_t)(p - hay);
}

/* ---- tests -------------------------------------------------------------------------------- */

/* Output nobody asked for is kept, and goes out on a later turn, in order. */
static void test_idle_output_waits_for_a_turn(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);

	from_server(s, "A mob wanders in.\r\n");
	from_server(s, "It wanders out.\r\n");
	assert_string_equal(browser(0), "");
	assert_int_equal(f->br.totals.deferred, 2);
	assert_true(dlink_linked(&s->defer_link));
	turn(f);
	assert_false(dlink_linked(&s->defer_link));
	assert_true(at(0, "A mob wanders in.") < at(0, "It wanders out."));
	assert_int_equal(s->pend.len, 0);
}

/*
 * The browser types while its session holds kept output: the answer is
 * translated at once, after what was kept (the one path where kept bytes
 * and new bytes meet in session_up_feed()).
 */
static void test_kept_output_goes_before_the_answer(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);

	from_server(s, "Ayla says, 'one'\r\n");
	from_server(s, "Ayla says, 'two'\r\n");
	assert_string_equal(browser(0), "");
	fake_now += 5;
	browser_types(s, "look");
	assert_non_null(strstr(buf_cstr(&up_sock[0].out), "look\r\n"));
	from_server(s, "Lantern Square\r\n");
	/* Nothing waited for the idle handle: all three are out, in order. */
	assert_false(dlink_linked(&s->defer_link));
	assert_true(at(0, "'one'") < at(0, "'two'"));
	assert_true(at(0, "'two'") < at(0, "Lantern Square"));
	/* Once SESSION_ASKED_MS has passed, output is kept again. */
	fake_now += 1000;
	from_server(s, "Later.\r\n");
	assert_true(dlink_linked(&s->defer_link));
	assert_null(strstr(browser(0), "Later."));
	turn(f);
	assert_non_null(strstr(browser(0), "Later."));
}

/* Kept output past SESSION_PEND_PAUSE pauses reading from the server until translated. */
static void test_kept_output_pauses_reading(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);
	char line[128];
	int n = fill_until_paused(s);

	assert_true(s->pend.len >= 4096);
	assert_string_equal(browser(0), "");
	turn(f);
	assert_int_equal(up_sock[0].flow, 1);
	assert_true(at(0, "line 0000") < at(0, "line 0001"));
	snprintf(line, sizeof(line), "line %04d", n - 1);
	assert_true(at(0, "line 0001") < at(0, line));
}

/*
 * A browser that is not reading holds the server paused too: translating
 * the kept output does not resume reading behind its back; the browser
 * catching up does.
 */
static void test_slow_browser_stays_paused(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);
	char line[128];
	int n = fill_until_paused(s);

	ws_sock[0].choked = true;
	session_pause(s, true);
	turn(f);
	assert_int_equal(s->pend.len, 0);
	assert_true(s->out.count > 0);
	assert_string_equal(browser(0), "");
	assert_int_equal(up_sock[0].flow, 0);
	/* The browser reads again: lws calls the writeable callback. */
	ws_sock[0].choked = false;
	assert_int_equal(session_ws_writeable(s), 0);
	assert_int_equal(up_sock[0].flow, 1);
	snprintf(line, sizeof(line), "line %04d", n - 1);
	assert_true(at(0, "line 0000") < at(0, line));
}

/* The server closes the session while output is kept: that output, then "lost". */
static void test_kept_output_before_the_close(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);

	from_server(s, "The last words.\r\n");
	assert_true(dlink_linked(&s->defer_link));
	session_up_closed(s, "the server went away");
	assert_true(dlist_empty(&f->br.deferred));
	/* lws calls the writeable callback: the rest, then a close frame and -1 to close. */
	assert_int_equal(session_ws_writeable(s), 0);
	assert_int_equal(session_ws_writeable(s), -1);
	assert_true(at(0, "The last words.") < at(0, "\"lost\""));
	session_ws_closed(s);
	assert_true(dlist_empty(&f->br.sessions));
	turn(f);
}

/*
 * A browser gone (kept for a resume) and then its game session closed,
 * with output kept: the session is freed off the queue and the others'
 * output still goes out (ASan would catch a stale entry).
 */
static void test_freed_session_leaves_the_queue(void **state)
{
	struct fixture *f = *state;
	struct session *a = playing(f, 0), *b = playing(f, 1);

	from_server(a, "for a\r\n");
	from_server(b, "for b\r\n");
	session_ws_closed(b);
	assert_true(dlink_linked(&b->defer_link));
	assert_int_equal(f->br.deferred.count, 2);
	session_up_closed(b, "the server went away");
	assert_int_equal(f->br.deferred.count, 1);
	assert_ptr_equal(f->br.sessions.head.next, &a->link);
	assert_ptr_equal(f->br.sessions.head.next->next, &f->br.sessions.head);
	turn(f);
	assert_true(dlist_empty(&f->br.deferred));
	assert_non_null(strstr(browser(0), "for a"));
	assert_null(strstr(browser(1), "for b"));
}

/* With nothing else to do, the idle handle translates 32 sessions a turn, oldest first. */
static void test_a_slice_a_turn(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 36; i++)
		from_server(playing(f, i), "Everyone hears this.\r\n");
	assert_int_equal(f->br.deferred.count, 36);
	turn(f);
	assert_int_equal(f->br.deferred.count, 4);
	for (int i = 0; i < 36; i++)
		assert_int_equal(strstr(browser(i), "Everyone hears") != NULL, i < 32);
	turn(f);
	assert_int_equal(f->br.deferred.count, 0);
	for (int i = 0; i < 36; i++)
		assert_non_null(strstr(browser(i), "Everyone hears this."));
	/* The loop has nothing left to do: the idle handle stopped. */
	assert_int_equal(uv_run(f->br.loop, UV_RUN_NOWAIT), 0);
}

static void on_readable(uv_poll_t *h, int status, int events)
{
	(void)status;
	(void)events;
	(*(int *)h->data)++;
}

/*
 * A socket with something to read (a browser's command, the answer to
 * it) ends a slice after one session: the loop reads it before
 * translating more of a broadcast.
 */
static void test_a_slice_yields_to_a_ready_socket(void **state)
{
	struct fixture *f = *state;
	int woke = 0;
	char c;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, f->sv), 0);
	assert_int_equal(uv_poll_init(f->br.loop, &f->watch, f->sv[0]), 0);
	f->watch.data = &woke;
	assert_int_equal(uv_poll_start(&f->watch, UV_READABLE, on_readable), 0);
	turn(f); /* the socket joins the loop's epoll set */
	for (int i = 0; i < 20; i++)
		from_server(playing(f, i), "Everyone hears this.\r\n");
	assert_int_equal(write(f->sv[1], "x", 1), 1);
	turn(f);
	assert_int_equal(f->br.deferred.count, 19);
	assert_int_equal(woke, 1);
	turn(f);
	assert_int_equal(f->br.deferred.count, 18);
	assert_int_equal(woke, 2);
	/* Read: the next turn translates all the rest. */
	assert_int_equal(read(f->sv[0], &c, 1), 1);
	turn(f);
	assert_int_equal(f->br.deferred.count, 0);
	for (int i = 0; i < 20; i++)
		assert_non_null(strstr(browser(i), "Everyone hears this."));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_idle_output_waits_for_a_turn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kept_output_goes_before_the_answer, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kept_output_pauses_reading, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_browser_stays_paused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kept_output_before_the_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_freed_session_leaves_the_queue, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_slice_a_turn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_slice_yields_to_a_ready_socket, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
