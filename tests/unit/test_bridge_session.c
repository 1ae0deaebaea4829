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
 *
 * Every error a session sends the browser (session_send_error) is driven
 * down its real path here and checked message for message: a choked
 * server's full buffer (server_busy), GMCP before the server offered it
 * (not_ready), a message after the game closed (not_connected), binary and
 * oversize messages, the rate limit, output lost while away, and wsin's
 * refusals; and the session stays playing wherever the error says only
 * the one message was dropped. A message that is not UTF-8 closes the
 * browser's socket (1007) at once and leaves the game session, and its
 * output, to the resume.
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
#include <jansson.h>
#include <uv.h>

#include "../../bridge/internal.h"
#include "base/banned.h"

/* ---- fake libwebsockets ------------------------------------------------------------------ */

struct lws {
	int flow;	/* 1 reading, 0 paused (lws_rx_flow_control) */
	bool choked;	/* the socket takes nothing (a browser not reading) */
	bool browser;	/* the browser's socket: writes are WebSocket frames */
	bool killed;	/* lws_set_timeout(LWS_TO_KILL_ASYNC): the session is closing it */
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
	(void)reason;
	if (secs == LWS_TO_KILL_ASYNC)
		wsi->killed = true;
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

/* The last timer a session started (its part-line flush); a test fires it itself. */
static lws_sorted_usec_list_t *last_sul;
static sul_cb_t last_cb;

void lws_sul_schedule(struct lws_context *ctx, int tsi, lws_sorted_usec_list_t *sul, sul_cb_t cb,
		      lws_usec_t us)
{
	(void)ctx;
	(void)tsi;
	(void)us;
	last_sul = sul;
	last_cb = cb;
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
	assert_int_equal(session_up_connected(s, &up_sock[i]), 0);
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

/* The browser sends json as one whole text message. */
static void browser_sends(struct session *s, const char *json)
{
	session_ws_receive(s, json, strlen(json), true, true, false);
}

/* The server says WILL GMCP; the bridge's answer is written and forgotten. */
static void server_offers_gmcp(struct fixture *f, struct session *s, int i)
{
	from_server(s, "\xff\xfb\xc9");
	turn(f);
	assert_int_equal(session_up_writeable(s), 0);
	assert_non_null(memchr(up_sock[i].out.data, 0xc9, up_sock[i].out.len));
	buf_clear(&up_sock[i].out);
}

/* How many times needle is in hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* j's string field name, or a placeholder that fails a comparison. */
static const char *field(json_t *j, const char *name)
{
	const char *v = json_string_value(json_object_get(j, name));

	return v ? v : "(not a string)";
}

/* The n bytes at msg are exactly the JSON error code with message why. */
static void check_error(const char *msg, size_t n, const char *code, const char *why)
{
	json_error_t err;
	json_t *j = json_loadb(msg, n, 0, &err);

	if (!j)
		fail_msg("not JSON (%s): %.*s", err.text, (int)n, msg);
	assert_string_equal(field(j, "type"), "error");
	assert_string_equal(field(j, "code"), code);
	assert_string_equal(field(j, "message"), why);
	assert_true(json_is_integer(json_object_get(j, "timestamp")));
	assert_int_equal(json_object_size(j), 4);
	json_decref(j);
}

/*
 * lws calls the writeable callback: since its output was last cleared,
 * browser i was sent one message, the error code with message why, and
 * its socket stays open for now. Its output is cleared again.
 */
static void expect_error(struct session *s, int i, const char *code, const char *why)
{
	const char *got;
	size_t n;

	assert_int_equal(session_ws_writeable(s), 0);
	got = browser(i);
	n = strlen(got);
	if (!n || memchr(got, '\n', n) != got + n - 1)
		fail_msg("browser %d was to be sent one error, %s; it has:\n%s", i, code, got);
	check_error(got, n - 1, code, why);
	buf_clear(&ws_sock[i].out);
}

/*
 * Only the one message was dropped: s still plays, neither socket is
 * closing, and a second later (the rate limit refilled) the browser's
 * next command reaches the game and is not refused.
 */
static void expect_alive(struct session *s)
{
	assert_int_equal(s->state, SESSION_PLAYING);
	assert_non_null(s->ws);
	assert_non_null(s->up);
	assert_false(s->ws->killed);
	assert_false(s->up->killed);
	assert_false(s->close_ws);
	assert_non_null(s->token);
	fake_now += 1000;
	buf_clear(&s->up->out);
	buf_clear(&s->ws->out);
	browser_types(s, "say still here");
	assert_string_equal(buf_cstr(&s->up->out), "say still here\r\n");
	assert_int_equal(session_ws_writeable(s), 0);
	assert_string_equal(buf_cstr(&s->ws->out), "");
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

/*
 * The server stops reading: commands wait in s->upbuf until it is full,
 * then one is refused with server_busy rather than cut short; the ones
 * before it go out once the server reads again.
 */
static void test_error_server_busy_for_a_command(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);
	struct buf msg;
	char tag[32];
	int sent = 0;

	up_sock[0].choked = true;
	buf_init(&msg, 0);
	while (!s->c.errors) {
		assert_true(sent < 200);
		fake_now += 100; /* under the rate limit */
		buf_clear(&msg);
		buf_printf(&msg, "{\"type\":\"command\",\"command\":\"say %04d %0990d\"}", sent++,
			   0);
		browser_sends(s, buf_cstr(&msg));
	}
	buf_fini(&msg);
	expect_error(s, 0, "server_busy", "the game is not reading; this command was dropped");
	/* Refused only once the buffer was nearly full: every one took 1001 bytes. */
	assert_true((size_t)(sent - 1) * 1001 > ((size_t)64 << 10) - 2048);
	assert_string_equal(buf_cstr(&up_sock[0].out), "");
	up_sock[0].choked = false;
	assert_int_equal(session_up_writeable(s), 0);
	assert_int_equal(count(buf_cstr(&up_sock[0].out), "\r\n"), sent - 1);
	snprintf(tag, sizeof(tag), "say %04d ", sent - 2);
	assert_non_null(strstr(buf_cstr(&up_sock[0].out), tag));
	snprintf(tag, sizeof(tag), "say %04d ", sent - 1);
	assert_null(strstr(buf_cstr(&up_sock[0].out), tag));
	expect_alive(s);
}

/* The same for GMCP: a full s->upbuf refuses it whole, with its own message. */
static void test_error_server_busy_for_gmcp(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);
	struct buf msg;
	int sent = 0;

	server_offers_gmcp(f, s, 0);
	up_sock[0].choked = true;
	buf_init(&msg, 0);
	buf_printf(&msg, "{\"type\":\"gmcp\",\"package\":\"Core.Ping\",\"data\":\"%0990d\"}", 0);
	while (!s->c.errors) {
		assert_true(sent++ < 200);
		fake_now += 100;
		browser_sends(s, buf_cstr(&msg));
	}
	buf_fini(&msg);
	expect_error(s, 0, "server_busy", "the game is not reading; this message was dropped");
	assert_true(sent > 60);
	up_sock[0].choked = false;
	assert_int_equal(session_up_writeable(s), 0);
	/* Each accepted one whole, to its IAC SE; the refused one not begun. */
	assert_int_equal(count(buf_cstr(&up_sock[0].out), "Core.Ping \""), sent - 1);
	assert_int_equal(count(buf_cstr(&up_sock[0].out), "\"\xff\xf0"), sent - 1);
	expect_alive(s);
}

/* GMCP before the server said WILL GMCP is refused with not_ready, and goes once it has. */
static void test_error_not_ready_before_the_server_offers_gmcp(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);
	static const char ping[] = "{\"type\":\"gmcp\",\"package\":\"Core.Ping\"}";

	browser_sends(s, ping);
	expect_error(s, 0, "not_ready", "GMCP is not switched on yet");
	assert_string_equal(buf_cstr(&up_sock[0].out), "");
	expect_alive(s);
	server_offers_gmcp(f, s, 0);
	fake_now += 1000;
	browser_sends(s, ping);
	assert_non_null(strstr(buf_cstr(&up_sock[0].out), "Core.Ping"));
	assert_int_equal(session_ws_writeable(s), 0);
	assert_string_equal(browser(0), "");
}

/*
 * A command that arrives after the game closed, before the browser's
 * socket does, is answered with not_connected; then the socket closes.
 */
static void test_error_not_connected_after_the_game_closed(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);

	session_up_closed(s, "the server went away");
	assert_int_equal(session_ws_writeable(s), 0);
	at(0, "\"lost\"");
	buf_clear(&ws_sock[0].out);
	browser_types(s, "look");
	expect_error(s, 0, "not_connected", "the game session has ended");
	assert_string_equal(buf_cstr(&up_sock[0].out), "");
	assert_int_equal(session_ws_writeable(s), -1);
	session_ws_closed(s);
	assert_true(dlist_empty(&f->br.sessions));
}

/*
 * A binary message, even one holding a good command and in fragments, is
 * refused with binary and not run; the session plays on.
 */
static void test_error_binary_message(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);
	static const char look[] = "{\"type\":\"command\",\"command\":\"look\"}";

	session_ws_receive(s, look, strlen(look), true, true, true);
	expect_error(s, 0, "binary", "messages must be JSON in text frames, not binary");
	fake_now += 100;
	session_ws_receive(s, look, 10, true, false, true);
	session_ws_receive(s, look + 10, strlen(look) - 10, false, true, false);
	expect_error(s, 0, "binary", "messages must be JSON in text frames, not binary");
	assert_string_equal(buf_cstr(&up_sock[0].out), "");
	expect_alive(s);
}

/*
 * A message of max_message bytes is taken; one byte more, in fragments,
 * is refused whole with too_big, and the next message starts afresh.
 */
static void test_error_too_big_message(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);
	size_t max = (size_t)f->br.cfg.max_message;
	struct buf msg;

	buf_init(&msg, 0);
	buf_puts(&msg, "{\"type\":\"command\",\"command\":\"say fits\"");
	while (msg.len < max - 1)
		buf_putc(&msg, ' ');
	buf_putc(&msg, '}');
	browser_sends(s, buf_cstr(&msg));
	assert_string_equal(buf_cstr(&up_sock[0].out), "say fits\r\n");
	assert_int_equal(session_ws_writeable(s), 0);
	assert_string_equal(browser(0), "");
	buf_clear(&up_sock[0].out);
	/* One more space: max + 1 bytes, the last fragment a single byte. */
	fake_now += 100;
	session_ws_receive(s, msg.data, max / 2, true, false, false);
	session_ws_receive(s, msg.data + max / 2, max - max / 2 - 1, false, false, false);
	session_ws_receive(s, " ", 1, false, false, false);
	session_ws_receive(s, "}", 1, false, true, false);
	buf_fini(&msg);
	expect_error(s, 0, "too_big", "a message may be at most 8192 bytes");
	assert_int_equal(f->br.cfg.max_message, 8192);
	assert_string_equal(buf_cstr(&up_sock[0].out), "");
	expect_alive(s);
}

/*
 * Past rate_burst messages at once the rest are dropped, with one
 * rate_limited error a second to explain them.
 */
static void test_error_rate_limited(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);
	char cmd[32];

	assert_int_equal(f->br.cfg.rate_burst, 40);
	assert_int_equal(f->br.cfg.rate_per_s, 20);
	for (int i = 0; i < 40; i++) {
		snprintf(cmd, sizeof(cmd), "say %d", i);
		browser_types(s, cmd);
	}
	assert_int_equal(count(buf_cstr(&up_sock[0].out), "\r\n"), 40);
	assert_int_equal(session_ws_writeable(s), 0);
	assert_string_equal(browser(0), "");
	browser_types(s, "say dropped");
	expect_error(s, 0, "rate_limited",
		     "too many messages; this one was dropped (slow down a little)");
	/* 49 ms earn less than a message: dropped, without a second error. */
	fake_now += 49;
	browser_types(s, "say dropped");
	browser_types(s, "say dropped");
	assert_int_equal(session_ws_writeable(s), 0);
	assert_string_equal(browser(0), "");
	/* A second after the error: 20 more go, the next is explained again. */
	fake_now += 951;
	for (int i = 0; i < 20; i++) {
		snprintf(cmd, sizeof(cmd), "say %d", 40 + i);
		browser_types(s, cmd);
	}
	browser_types(s, "say dropped");
	expect_error(s, 0, "rate_limited",
		     "too many messages; this one was dropped (slow down a little)");
	assert_int_equal(count(buf_cstr(&up_sock[0].out), "\r\n"), 60);
	assert_null(strstr(buf_cstr(&up_sock[0].out), "say dropped"));
	expect_alive(s);
}

/*
 * A browser away while more output came than its resume buffer holds
 * comes back to "resumed", then output_lost with how many messages it
 * missed, then the newest output that was kept.
 */
static void test_error_output_lost_on_resume(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);
	struct wsframe_params pmd = {0};
	static const char resumed[] = "{\"type\":\"session\",\"state\":\"resumed\",";
	char token[256], line[128], why[128];
	const char *got, *second, *third;
	size_t lost;

	snprintf(token, sizeof(token), "%s", s->token);
	session_ws_closed(s);
	assert_int_equal(s->state, SESSION_PLAYING);
	for (int n = 0; n < 2000; n++) {
		snprintf(line, sizeof(line), "line %04d of a long broadcast, kept for later.\r\n",
			 n);
		from_server(s, line);
		if (n % 50 == 49)
			turn(f);
	}
	turn(f);
	lost = s->lost_while_away;
	assert_true(lost > 0);
	assert_ptr_equal(session_resume(&f->br, &ws_sock[1], token, &pmd), s);
	while (s->ctl.count + s->out.count)
		assert_int_equal(session_ws_writeable(s), 0);
	got = browser(1);
	assert_non_null(second = strchr(got, '\n'));
	assert_non_null(third = strchr(++second, '\n'));
	third++;
	assert_true(strncmp(got, resumed, strlen(resumed)) == 0);
	snprintf(why, sizeof(why), "%zu messages of game output were lost while you were away",
		 lost);
	check_error(second, (size_t)(third - second - 1), "output_lost", why);
	assert_null(strstr(got, "line 0000"));
	assert_true(at(1, "output_lost") < at(1, "line 1999"));
	assert_int_equal(s->lost_while_away, 0);
	expect_alive(s);
}

/* Each of wsin's refusals reaches the browser as it stands, and nothing the game. */
static void test_error_refusals_of_wsin(void **state)
{
	static const struct {
		const char *msg, *code, *why;
	} refused[] = {
		{"[1]", "bad_json", "a message must be a JSON object"},
		{"{\"type\":7}", "bad_type", "\"type\" must be a string"},
		{"{\"type\":\"login\"}", "unknown_type",
		 "the types a browser may send are command, gmcp and resize"},
		{"{\"type\":\"command\"}", "bad_field", "\"command\" is missing"},
		{"{\"type\":\"command\",\"action\":\"shutdown\"}", "unknown_action",
		 "that action is not one a browser may send"},
		{"{\"type\":\"gmcp\",\"package\":\"Char.Login\"}", "gmcp_refused",
		 "a browser may send Core.Ping and Core.Supports.Set/Add/Remove only"},
		{"{\"type\":\"resize\",\"cols\":0,\"rows\":24}", "bad_field",
		 "\"cols\" must be a whole number from 1 to 65535"},
	};
	struct fixture *f = *state;
	struct session *s = playing(f, 0), *t;
	struct buf msg;

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		browser_sends(s, refused[i].msg);
		expect_error(s, 0, refused[i].code, refused[i].why);
	}
	buf_init(&msg, 0);
	buf_printf(&msg, "{\"type\":\"command\",\"command\":\"%0*d\"}", f->br.cfg.max_command + 1,
		   0);
	browser_sends(s, buf_cstr(&msg));
	buf_fini(&msg);
	expect_error(s, 0, "too_long", "a command may be at most 1024 bytes");
	assert_int_equal(f->br.cfg.max_command, 1024);
	assert_string_equal(buf_cstr(&up_sock[0].out), "");
	expect_alive(s);
	/* The explanation's buffer is the bridge's: a refusal leaves nothing in it for another. */
	browser_sends(s, "[1]");
	expect_error(s, 0, "bad_json", "a message must be a JSON object");
	buf_init(&msg, 0);
	while (msg.len <= (size_t)f->br.cfg.max_message)
		buf_putc(&msg, ' ');
	t = playing(f, 1);
	session_ws_receive(t, msg.data, msg.len, true, true, false);
	buf_fini(&msg);
	expect_error(t, 1, "too_big", "a message may be at most 8192 bytes");
}

/*
 * A text message that is not UTF-8 fails the WebSocket as RFC 6455 asks:
 * a close with 1007 at once, and nothing more is read from it or sent on
 * it. The game session is not dropped: it waits for the browser, and the
 * output queued meanwhile comes with the resume. A code point split
 * between two fragments is not an error.
 */
static void test_invalid_utf8_closes_the_socket_not_the_game(void **state)
{
	static const char cafe[] = "{\"type\":\"command\",\"command\":\"say caf\xc3\xa9\"}";
	static const char close_frame[] = "\x03\xef"
					  "invalid UTF-8";
	struct fixture *f = *state;
	struct session *s = playing(f, 0);
	struct wsframe_params pmd = {0};
	size_t split = (size_t)(strchr(cafe, '\xc3') - cafe) + 1;
	char token[256];

	session_ws_receive(s, cafe, split, true, false, false);
	session_ws_receive(s, cafe + split, strlen(cafe) - split, false, true, false);
	assert_string_equal(buf_cstr(&up_sock[0].out), "say caf\xc3\xa9\r\n");
	buf_clear(&up_sock[0].out);
	fake_now += 1000;
	browser_sends(s, "{\"type\":\"command\",\"command\":\"say \xff\"}");
	from_server(s, "A bell rings.\r\n");
	turn(f);
	browser_types(s, "look");
	assert_string_equal(buf_cstr(&up_sock[0].out), "");
	assert_int_equal(session_ws_writeable(s), -1);
	assert_int_equal(ws_sock[0].out.len, sizeof(close_frame) - 1);
	assert_memory_equal(ws_sock[0].out.data, close_frame, sizeof(close_frame) - 1);
	assert_int_equal(s->c.errors, 1);
	snprintf(token, sizeof(token), "%s", s->token);
	session_ws_closed(s);
	assert_int_equal(s->state, SESSION_PLAYING);
	assert_null(s->ws);
	assert_true(s->detached_ms > 0);
	assert_false(up_sock[0].killed);
	/* Back with the token: the bell, and the session plays on. */
	assert_ptr_equal(session_resume(&f->br, &ws_sock[1], token, &pmd), s);
	while (s->ctl.count + s->out.count)
		assert_int_equal(session_ws_writeable(s), 0);
	at(1, "A bell rings.");
	expect_alive(s);
}

/*
 * A browser dropped for not reading: the server is read again (its output
 * now goes to the resume buffer), and after a resume the game's output
 * reaches the browser. The server used to stay paused for good.
 */
static void test_slow_drop_reads_the_server_again(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);
	struct wsframe_params pmd = {0};
	char token[256];

	ws_sock[0].choked = true;
	s->asked_ms = fake_now; /* translated at once: the browser is the one behind */
	fill_until_paused(s);
	assert_int_equal(up_sock[0].flow, 0);
	assert_true(s->paused_ms > 0);
	snprintf(token, sizeof(token), "%s", s->token);
	fake_now += (int64_t)f->br.cfg.slow_drop_s * 1000 + 1;
	session_tick(s, fake_now);
	assert_true(ws_sock[0].killed);
	assert_int_equal(up_sock[0].flow, 1);
	assert_int_equal(f->br.totals.dropped_slow, 1);
	session_ws_closed(s);
	assert_ptr_equal(session_resume(&f->br, &ws_sock[1], token, &pmd), s);
	while (s->ctl.count + s->out.count)
		assert_int_equal(session_ws_writeable(s), 0);
	assert_int_equal(up_sock[0].flow, 1);
	fake_now += 1000;
	browser_types(s, "look");
	from_server(s, "The Square.\r\n");
	assert_int_equal(session_ws_writeable(s), 0);
	at(1, "The Square.");
}

/* Output dropped from the resume buffer as the browser leaves is counted as lost. */
static void test_output_trimmed_at_the_drop_is_counted(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);
	char line[128];

	ws_sock[0].choked = true;
	f->br.cfg.output_high_kb = 1024; /* no pause: everything waits for the browser */
	for (int n = 0; n < 3000; n++) {
		snprintf(line, sizeof(line), "line %04d of a long broadcast, kept for later.\r\n",
			 n);
		from_server(s, line);
		if (n % 50 == 49)
			turn(f);
	}
	turn(f);
	session_ws_closed(s);
	assert_true(s->lost_while_away > 0);
	assert_int_equal(s->c.output_lost, s->lost_while_away);
	assert_int_equal(f->br.totals.c.output_lost, s->lost_while_away);
}

/*
 * The browser leaves while the bridge is still connecting; lws clears the
 * close asked for then when the connect completes. The connection is
 * refused at once and the session freed, not left playing for nobody.
 */
static void test_connected_after_the_browser_left(void **state)
{
	struct fixture *f = *state;
	struct session_peer peer = {
		.addr = "192.0.2.7", .proxy_line = "PROXY UNKNOWN\r\n", .user_agent = "test"};
	struct session *s = session_new(&f->br, &ws_sock[0], &peer);

	assert_non_null(s);
	s->up = &up_sock[0]; /* what bridge_connect_upstream records */
	session_ws_closed(s);
	assert_true(up_sock[0].killed);
	assert_int_equal(f->br.sessions.count, 1);
	up_sock[0].killed = false; /* the connect completed: lws forgot the close */
	assert_int_equal(session_up_connected(s, &up_sock[0]), -1);
	assert_int_equal(f->br.sessions.count, 0);
	assert_int_equal(f->br.tokens.count, 0);
}

/*
 * A part line's timer fires while the rest of it, already read, waits
 * untranslated for a quieter moment: it is translated first, so a
 * character cut between the two reads stays whole.
 */
static void test_part_line_timer_translates_what_waits(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);

	s->asked_ms = fake_now; /* the browser just typed: translated at once */
	assert_int_equal(session_up_receive(s, "Price: 5 \xE2\x82", 11), 0);
	assert_ptr_equal(last_sul, &s->flush_sul);
	fake_now += 150; /* not asked any more: the rest waits for the loop */
	assert_int_equal(session_up_receive(s, "\xAC today\r\n", 9), 0);
	assert_true(s->pend.len > 0);
	last_cb(last_sul); /* the 100 ms timer before the idle handler */
	turn(f);
	while (s->out.count)
		assert_int_equal(session_ws_writeable(s), 0);
	at(0, "5 \xE2\x82\xAC today");
	assert_null(strstr(browser(0), "\xEF\xBF\xBD"));
}

/*
 * The server breaks the telnet protocol (starts MCCP2, which the bridge
 * refused): the session is lost at once, and its token with it, so no
 * browser can resume it (nor pass the upgrade's limits holding it).
 */
static void test_a_broken_server_takes_the_token(void **state)
{
	struct fixture *f = *state;
	struct session *s = playing(f, 0);
	struct wsframe_params pmd = {0};
	char token[256];

	snprintf(token, sizeof(token), "%s", s->token);
	assert_non_null(map_get(&f->br.tokens, token));
	s->asked_ms = fake_now;
	assert_int_equal(session_up_receive(s, "ok\r\n\xff\xfa\x56\xff\xf0garbage", 14), -1);
	assert_int_equal(s->state, SESSION_LOST);
	assert_null(s->token);
	assert_null(map_get(&f->br.tokens, token));
	assert_null(session_resume(&f->br, &ws_sock[1], token, &pmd));
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
		cmocka_unit_test_setup_teardown(test_error_server_busy_for_a_command, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_error_server_busy_for_gmcp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_not_ready_before_the_server_offers_gmcp,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_not_connected_after_the_game_closed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_binary_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_too_big_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8_closes_the_socket_not_the_game,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_drop_reads_the_server_again, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_output_trimmed_at_the_drop_is_counted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_connected_after_the_browser_left, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_part_line_timer_translates_what_waits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_broken_server_takes_the_token, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_error_rate_limited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_output_lost_on_resume, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_refusals_of_wsin, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
