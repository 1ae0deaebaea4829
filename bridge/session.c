/*
 * session.c: one browser's game session, between its WebSocket and its
 * telnet connection to ruin-server.
 *
 * Start at session_new(). Server to browser: session_up_receive() feeds the
 * bytes to tnc, whose callbacks (session_tnc_*) turn text, prompts, echo and
 * GMCP into JSON (wsout) queued in s->out; session_ws_writeable() sends
 * what the socket takes. Browser to server: session_ws_receive() collects a
 * message, session_message() checks it (rate limit, wsin) and hands it to
 * tnc, whose output collects in s->upbuf for session_up_writeable().
 *
 * Backpressure: past output_high_kb queued for the browser, reading from the
 * server pauses (lws_rx_flow_control) and resumes below a quarter of it; a
 * browser that stays behind for slow_drop_s is dropped (session_tick).
 * A browser that goes away leaves the session waiting for a resume for
 * resume_window_s, its output kept up to resume_buffer_kb (oldest dropped).
 * A session is freed once both sockets are gone (session_maybe_free).
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sodium.h>
#include <sys/socket.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "wsin.h"
#include "wsout.h"
#include "base/banned.h"

/* A part line with no end waits this long before it is sent as text. */
#define SESSION_FLUSH_US (100 * LWS_US_PER_MS)
/* Bytes waiting for ruin-server; a browser past it gets "server_busy". */
#define SESSION_UPBUF_LIMIT ((size_t)64 << 10)
/* Random bytes in a resume token. */
#define SESSION_TOKEN_BYTES 32

/* The GMCP packages the bridge asks the server for. */
static const char *const session_supports[] = {
	"Char 1", "Char.Items 1", "Room 1", "Comm 1", NULL,
};

/* The latest of each of these is kept and sent again to a resuming browser. */
static const char *const session_state_packages[SESSION_NSTATE] = {
	"Room.Info", "Char.Vitals", "Char.Name", "Char.Status", "Comm.Channel.List",
};

/* ---- queueing for the browser ------------------------------------------------------- */

static size_t session_high(const struct session *s)
{
	return (size_t)s->br->cfg.output_high_kb << 10;
}

static void session_pause(struct session *s, bool pause)
{
	if (!s->up || s->state != SESSION_PLAYING || pause == (s->paused_ms != 0))
		return;
	lws_rx_flow_control(s->up, pause ? 0 : 1);
	s->paused_ms = pause ? bridge_now_ms() : 0;
	if (pause)
		log_debug(s->br->log,
			  "session %u: %zu bytes wait for the browser, pausing the server", s->id,
			  s->out.bytes);
}

/* Moves br->scratch (one JSON message) into q and wakes the browser socket. */
static void session_queue_on(struct session *s, struct outq *q)
{
	struct buf *m = &s->br->scratch;

	if (!m->len || m->err) {
		buf_clear(m);
		return;
	}
	outq_push(q, m->data, m->len);
	buf_clear(m);
	if (s->ws) {
		if (!s->defer_ws)
			lws_callback_on_writable(s->ws);
		if (s->out.bytes > session_high(s))
			session_pause(s, true);
		return;
	}
	/* Away: keep the newest output, up to the resume buffer. */
	if (q == &s->out) {
		size_t dropped = outq_trim(&s->out, (size_t)s->br->cfg.resume_buffer_kb << 10);

		s->lost_while_away += dropped;
		s->c.output_lost += dropped;
		s->br->totals.c.output_lost += dropped;
	}
}

static void session_queue(struct session *s)
{
	session_queue_on(s, &s->out);
}

void session_send_error(struct session *s, const char *code, const char *message)
{
	s->c.errors++;
	s->br->totals.c.errors++;
	wsout_error(&s->br->scratch, code, message, wsout_now_ms());
	session_queue(s);
}

/* ---- the telnet side's events ----------------------------------------------------------- */

static void session_tnc_output(void *ud, const char *bytes, size_t n)
{
	struct session *s = ud;

	if (buf_append(&s->upbuf, bytes, n) < 0) {
		/* session_message checks the room first; only negotiation replies
		 * to a server that stopped reading can land here. */
		s->upbuf.err = 0;
		log_warn(s->br->log, "session %u: ruin-server is not reading, %zu bytes dropped",
			 s->id, n);
		return;
	}
	if (s->up && s->state == SESSION_PLAYING && !s->defer_up)
		lws_callback_on_writable(s->up);
}

static void session_tnc_text(void *ud, const char *text, size_t n)
{
	struct session *s = ud;

	wsout_text(&s->br->scratch, text, n, wsout_now_ms());
	session_queue(s);
}

static void session_tnc_prompt(void *ud, const char *text, size_t n)
{
	struct session *s = ud;

	wsout_prompt(&s->br->scratch, text, n, wsout_now_ms());
	session_queue(s);
}

static void session_tnc_echo(void *ud, bool enabled)
{
	struct session *s = ud;

	wsout_echo(&s->br->scratch, enabled, wsout_now_ms());
	session_queue(s);
}

/* Char.Name says who this session plays: kept to tell the player apart in Room.Info. */
static void session_learn_name(struct session *s, const char *json, size_t n)
{
	json_t *j = json_loadb(json, n, 0, NULL);
	const char *name = json_string_value(json_object_get(j, "name"));

	if (name) {
		free(s->self);
		s->self = xstrdup(name);
	}
	json_decref(j);
}

static void session_tnc_gmcp(void *ud, const char *package, const char *json, size_t n)
{
	struct session *s = ud;
	struct buf *m = &s->br->scratch;

	if (!strcasecmp(package, "Char.Name"))
		session_learn_name(s, json, n);
	if (wsout_gmcp_for(m, package, json, n, s->self, wsout_now_ms()) < 0) {
		log_debug(s->br->log, "session %u: GMCP %s from the server does not parse", s->id,
			  package);
		buf_clear(m);
		return;
	}
	for (size_t i = 0; i < SESSION_NSTATE; i++) {
		if (!strcasecmp(package, session_state_packages[i])) {
			buf_clear(&s->latest[i]);
			buf_append(&s->latest[i], m->data, m->len);
		}
	}
	session_queue(s);
}

static void session_tnc_error(void *ud, const char *reason)
{
	struct session *s = ud;

	log_warn(s->br->log, "session %u: ruin-server broke the telnet protocol: %s", s->id,
		 reason);
	s->state = SESSION_LOST;
}

static const struct tnc_callbacks session_tnc_callbacks = {
	.output = session_tnc_output,
	.text = session_tnc_text,
	.prompt = session_tnc_prompt,
	.echo = session_tnc_echo,
	.gmcp = session_tnc_gmcp,
	.error = session_tnc_error,
};

/* ---- life ----------------------------------------------------------------------------- */

static void session_flush_cb(lws_sorted_usec_list_t *sul)
{
	struct session *s = lws_container_of(sul, struct session, flush_sul);

	if (s->tnc)
		tnc_flush(s->tnc);
}

static void session_new_token(struct session *s)
{
	unsigned char bin[SESSION_TOKEN_BYTES];
	char b64[sodium_base64_ENCODED_LEN(SESSION_TOKEN_BYTES,
					   sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	struct buf t;

	if (s->token) {
		map_del(&s->br->tokens, s->token);
		free(s->token);
		s->token = NULL;
	}
	if (s->br->cfg.resume_window_s <= 0)
		return;
	randombytes_buf(bin, sizeof(bin));
	sodium_bin2base64(b64, sizeof(b64), bin, sizeof(bin),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	buf_init(&t, 256);
	if (*s->br->cfg.bridge_name)
		buf_printf(&t, "%s.", s->br->cfg.bridge_name);
	buf_puts(&t, b64);
	s->token = buf_steal(&t);
	buf_fini(&t);
	map_put(&s->br->tokens, s->token, s);
}

struct session *session_new(struct bridge *br, struct lws *ws, const struct session_peer *peer)
{
	struct session *s = xcalloc(1, sizeof(*s));
	struct buf version;
	struct tnc_config tcfg = {0};

	s->br = br;
	s->id = ++br->next_id;
	s->ws = ws;
	s->state = SESSION_CONNECTING;
	s->tls = peer->tls;
	s->started_ms = bridge_now_ms();
	s->tokens = br->cfg.rate_burst;
	s->tokens_ms = s->started_ms;
	str_copy(s->addr, sizeof(s->addr), peer->addr);
	buf_init(&version, 256);
	peer_browser_name(&version, peer->user_agent);
	s->browser = xstrdup(buf_cstr(&version));
	buf_clear(&version);
	buf_printf(&version, "%s (%s)", BRIDGE_VERSION, s->browser);
	outq_init(&s->out, LWS_PRE);
	outq_init(&s->ctl, LWS_PRE);
	buf_init(&s->upbuf, LWS_PRE + SESSION_UPBUF_LIMIT);
	buf_init(&s->rx, (size_t)br->cfg.max_message);
	for (size_t i = 0; i < SESSION_NSTATE; i++)
		buf_init(&s->latest[i], (size_t)br->cfg.max_message * 8);
	/* The headroom lws_write wants, then the PROXY line before any telnet. */
	buf_append(&s->upbuf, (char[LWS_PRE]){0}, LWS_PRE);
	buf_puts(&s->upbuf, peer->proxy_line);
	tcfg.client = "ruin-bridge";
	tcfg.version = buf_cstr(&version);
	tcfg.terminal = "ANSI-TRUECOLOR";
	tcfg.mtts = TNC_MTTS_WEB | (peer->tls ? TNC_MTTS_SSL : 0);
	tcfg.supports = session_supports;
	s->tnc = tnc_new(&tcfg, &session_tnc_callbacks, s);
	buf_fini(&version);
	dlist_push_back(&br->sessions, &s->link);
	bridge_address_add(br, s->addr);
	br->totals.sessions++;
	if (ws)
		lws_set_opaque_user_data(ws, s);
	log_info(br->log, "session %u: %s (%s) connected", s->id, s->addr, s->browser);
	if (!s->tnc || bridge_connect_upstream(br, s) < 0) {
		session_up_closed(s, "the bridge could not start a connection to the game");
		return s->ws ? s : NULL;
	}
	return s;
}

static void session_free(struct session *s)
{
	struct bridge *br = s->br;

	log_info(br->log,
		 "session %u: %s ended after %llds: %llu bytes from the game, %llu messages to "
		 "the browser, %llu from it",
		 s->id, s->addr, (long long)((bridge_now_ms() - s->started_ms) / 1000),
		 (unsigned long long)s->c.bytes_from_server,
		 (unsigned long long)s->c.msgs_to_browser,
		 (unsigned long long)s->c.msgs_from_browser);
	lws_sul_cancel(&s->flush_sul);
	if (s->token)
		map_del(&br->tokens, s->token);
	bridge_address_remove(br, s->addr);
	dlist_remove(&br->sessions, &s->link);
	tnc_free(s->tnc);
	outq_fini(&s->out);
	outq_fini(&s->ctl);
	buf_fini(&s->upbuf);
	buf_fini(&s->rx);
	for (size_t i = 0; i < SESSION_NSTATE; i++)
		buf_fini(&s->latest[i]);
	free(s->token);
	free(s->browser);
	free(s->self);
	free(s);
}

/* Frees s if neither socket is left; true if it did. */
static bool session_maybe_free(struct session *s)
{
	if (s->ws || s->up)
		return false;
	session_free(s);
	return true;
}

/* Asks lws to close the server connection soon (outside its own callbacks). */
static void session_close_up(struct session *s)
{
	if (s->up)
		lws_set_timeout(s->up, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* Sends what is queued, then closes the browser socket. */
static void session_close_ws_after_flush(struct session *s)
{
	if (!s->ws)
		return;
	s->close_ws = true;
	lws_callback_on_writable(s->ws);
}

/* ---- the browser ------------------------------------------------------------------------ */

struct session *session_resume(struct bridge *br, struct lws *ws, const char *token)
{
	struct session *s = map_get(&br->tokens, token);

	if (!s || s->state == SESSION_LOST) {
		br->totals.resume_failed++;
		return NULL;
	}
	if (s->ws) {
		/* The old socket has not noticed it is dead yet (a phone changing
		 * networks): the browser that holds the token wins. */
		log_info(br->log, "session %u: resumed by a new connection; closing the old one",
			 s->id);
		lws_set_opaque_user_data(s->ws, NULL);
		lws_set_timeout(s->ws, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
	}
	s->ws = ws;
	lws_set_opaque_user_data(ws, s);
	s->detached_ms = 0;
	s->close_ws = false;
	s->pmd_tuned = false;
	s->rx_too_big = false;
	buf_clear(&s->rx);
	session_new_token(s);
	br->totals.resumes++;
	log_info(br->log, "session %u: %s resumed (%zu messages waiting, %zu lost)", s->id, s->addr,
		 s->out.count, s->lost_while_away);
	wsout_session(&br->scratch, "resumed", s->token, br->cfg.resume_window_s, NULL,
		      wsout_now_ms());
	session_queue_on(s, &s->ctl);
	if (s->lost_while_away) {
		buf_printf(&br->why, "%zu messages of game output were lost while you were away",
			   s->lost_while_away);
		wsout_error(&br->scratch, "output_lost", buf_cstr(&br->why), wsout_now_ms());
		buf_clear(&br->why);
		session_queue_on(s, &s->ctl);
		s->lost_while_away = 0;
	}
	if (!tnc_echo_enabled(s->tnc)) {
		wsout_echo(&br->scratch, false, wsout_now_ms());
		session_queue_on(s, &s->ctl);
	}
	/* After the missed output, the latest state, so the panels are right. */
	for (size_t i = 0; i < SESSION_NSTATE; i++) {
		if (!s->latest[i].len)
			continue;
		buf_append(&br->scratch, s->latest[i].data, s->latest[i].len);
		session_queue(s);
	}
	lws_callback_on_writable(ws);
	return s;
}

/* Takes one token from the rate-limit bucket; false if it is empty. */
static bool session_rate_ok(struct session *s)
{
	int64_t now = bridge_now_ms();
	double rate = s->br->cfg.rate_per_s, burst = s->br->cfg.rate_burst;

	s->tokens += (double)(now - s->tokens_ms) * rate / 1000.0;
	if (s->tokens > burst)
		s->tokens = burst;
	s->tokens_ms = now;
	if (s->tokens < 1.0)
		return false;
	s->tokens -= 1.0;
	return true;
}

/* One complete message from the browser. */
static void session_message(struct session *s, const char *msg, size_t n)
{
	struct bridge *br = s->br;
	struct wsin_msg in;
	const char *code;
	int rc;

	s->c.msgs_from_browser++;
	br->totals.c.msgs_from_browser++;
	if (!session_rate_ok(s)) {
		int64_t now = bridge_now_ms();

		s->c.rate_limited++;
		br->totals.c.rate_limited++;
		/* One error a second is enough to explain it. */
		if (now - s->rate_error_ms >= 1000) {
			s->rate_error_ms = now;
			session_send_error(
				s, "rate_limited",
				"too many messages; this one was dropped (slow down a little)");
		}
		return;
	}
	buf_clear(&br->why);
	code = wsin_parse(msg, n, (size_t)br->cfg.max_command, &in, &br->line, &br->why);
	if (code) {
		session_send_error(s, code, buf_cstr(&br->why));
		return;
	}
	if (s->state == SESSION_LOST) {
		session_send_error(s, "not_connected", "the game session has ended");
		return;
	}
	switch (in.kind) {
	case WSIN_LINE:
		/* Room for the line with every byte escaped, CR LF and the rest. */
		if (buf_room(&s->upbuf) < 2 * br->line.len + 16) {
			session_send_error(s, "server_busy",
					   "the game is not reading; this command was dropped");
			return;
		}
		tnc_send_line(s->tnc, br->line.data ? br->line.data : "", br->line.len);
		break;
	case WSIN_GMCP:
		if (buf_room(&s->upbuf) < 2 * br->line.len + 2 * WSIN_MAX_PACKAGE + 16) {
			session_send_error(s, "server_busy",
					   "the game is not reading; this message was dropped");
			return;
		}
		rc = tnc_send_gmcp(s->tnc, in.package, br->line.data, br->line.len);
		if (rc == -ENOTCONN)
			session_send_error(s, "not_ready", "GMCP is not switched on yet");
		break;
	case WSIN_RESIZE:
		tnc_resize(s->tnc, in.cols, in.rows);
		break;
	}
}

/*
 * Write-through. Each turn of lws's service loop is a poll() over every
 * socket the bridge holds, and a look used to take four of them: the
 * command waited a turn for the server's socket, the answer a turn for the
 * browser's. Called from the other socket's callback, these send at once
 * when the socket is not choked (lws_send_pipe_choked() also covers a
 * message permessage-deflate has not finished), else ask for the writeable
 * callback. While the other side's receive runs (s->defer_ws, s->defer_up)
 * queueing asks for no writeable callback: the push at its end writes, and
 * a callback asked for anyway meant a POLLOUT wake-up (and with it another
 * turn over every socket) per message with nothing left to write.
 */
static void session_up_push(struct session *s)
{
	if (!s->up || s->state != SESSION_PLAYING || s->upbuf.len <= LWS_PRE)
		return;
	if (lws_send_pipe_choked(s->up))
		lws_callback_on_writable(s->up);
	else if (session_up_writeable(s) < 0)
		session_close_up(s);
}

static void session_ws_push(struct session *s)
{
	if (!s->ws || !(s->ctl.count || s->out.count || s->close_ws))
		return;
	if (s->close_ws || lws_send_pipe_choked(s->ws))
		lws_callback_on_writable(s->ws);
	else if (session_ws_writeable(s) < 0)
		lws_set_timeout(s->ws, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

void session_ws_receive(struct session *s, const char *in, size_t len, bool first, bool final,
			bool binary)
{
	s->c.bytes_from_browser += len;
	s->br->totals.c.bytes_from_browser += len;
	if (first) {
		buf_clear(&s->rx);
		s->rx_too_big = false;
		s->rx_binary = binary;
	}
	if (!s->rx_too_big && !s->rx_binary && buf_append(&s->rx, in, len) < 0)
		s->rx_too_big = true;
	if (!final)
		return;
	if (s->rx_binary) {
		s->c.msgs_from_browser++;
		s->br->totals.c.msgs_from_browser++;
		session_send_error(s, "binary", "messages must be JSON in text frames, not binary");
	} else if (s->rx_too_big) {
		s->c.msgs_from_browser++;
		s->br->totals.c.msgs_from_browser++;
		buf_printf(&s->br->why, "a message may be at most %d bytes",
			   s->br->cfg.max_message);
		session_send_error(s, "too_big", buf_cstr(&s->br->why));
		buf_clear(&s->br->why);
	} else {
		s->defer_up = true;
		session_message(s, s->rx.data ? s->rx.data : "", s->rx.len);
		s->defer_up = false;
	}
	buf_clear(&s->rx);
	s->rx_too_big = false;
	s->rx_binary = false;
	session_up_push(s);
}

/* Our first message sets a smaller deflate window and memory for this
 * socket (see docs/deploy.md, "Memory"); the window setting is put back
 * right after, because lws reads it again when it starts inflating. */
static void session_tune_deflate(struct session *s, bool before)
{
	char value[16];

	if (before) {
		snprintf(value, sizeof(value), "%d", s->br->cfg.deflate_mem_level);
		lws_set_extension_option(s->ws, "permessage-deflate", "mem_level", value);
		snprintf(value, sizeof(value), "%d", s->br->cfg.deflate_window_bits);
		lws_set_extension_option(s->ws, "permessage-deflate", "server_max_window_bits",
					 value);
	} else {
		lws_set_extension_option(s->ws, "permessage-deflate", "server_max_window_bits",
					 "15");
	}
}

/* Writes the oldest queued message; 0, or -1 if the socket failed. */
static int session_ws_write_one(struct session *s, struct outq *q)
{
	size_t n;
	char *msg = outq_peek(q, &n);
	int m;

	if (!s->pmd_tuned && s->br->cfg.deflate)
		session_tune_deflate(s, true);
	m = lws_write(s->ws, (unsigned char *)msg, n, LWS_WRITE_TEXT);
	if (!s->pmd_tuned && s->br->cfg.deflate) {
		session_tune_deflate(s, false);
		s->pmd_tuned = true;
	}
	if (m < (int)n) {
		log_info(s->br->log, "session %u: writing to the browser failed", s->id);
		return -1;
	}
	s->c.msgs_to_browser++;
	s->c.bytes_to_browser += n;
	s->br->totals.c.msgs_to_browser++;
	s->br->totals.c.bytes_to_browser += n;
	outq_pop(q);
	return 0;
}

/*
 * The browser's socket can take more: sends queued messages, control ones
 * first, for as long as lws says the socket is not choked. A look is four
 * messages (text, room, items, prompt); one writeable callback each meant
 * four turns of lws's poll() over every socket the bridge has.
 * lws_send_pipe_choked() is also true while permessage-deflate still has
 * part of the last message to send, so no message is started inside another.
 */
/*
 * Corks the browser's socket while several messages are written, so they
 * leave as one TCP segment: a say is three messages (text, channel,
 * prompt), and each send() of its own cost a full trip through the TCP
 * stack (on loopback, the receiver's side too), a third of the bridge's
 * time in a 1,000-listener fan-out.
 */
static void session_cork(struct session *s, int on)
{
#ifdef TCP_CORK
	int fd = lws_get_socket_fd(s->ws);

	if (fd >= 0)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, sizeof(on));
#else
	(void)s;
	(void)on;
#endif
}

/*
 * Ends a session's WebSocket politely: the close frame (1000, "session
 * ended") is written here, and the -1 that follows closes the socket.
 * Not lws_close_reason() and -1, which asks lws to send it: Debian builds
 * lws 4.1 with _DEBUG, and on its libuv loop a debug-only second close
 * ("close_and_handled uv repeat test" in lws_service_fd_tsi()) kills the
 * connection before that frame leaves. LWS_WRITE_CLOSE is 4 in lws's
 * private headers; its public one leaves the gap for it, and lws_write()
 * sends it as a control frame, outside permessage-deflate.
 */
#define SESSION_LWS_WRITE_CLOSE ((enum lws_write_protocol)4)

static void session_ws_write_close(struct session *s)
{
	static const char reason[] = "session ended";
	unsigned char frame[LWS_PRE + 2 + sizeof(reason)];
	size_t n = 2 + sizeof(reason) - 1;

	frame[LWS_PRE] = (unsigned char)(LWS_CLOSE_STATUS_NORMAL >> 8);
	frame[LWS_PRE + 1] = (unsigned char)(LWS_CLOSE_STATUS_NORMAL & 0xff);
	memcpy(frame + LWS_PRE + 2, reason, sizeof(reason) - 1);
	if (lws_write(s->ws, frame + LWS_PRE, n, SESSION_LWS_WRITE_CLOSE) < (int)n)
		log_debug(s->br->log, "session %u: the close frame could not be sent", s->id);
}

int session_ws_writeable(struct session *s)
{
	bool cork = s->ctl.count + s->out.count > 1;
	int sent = 0;

	if (cork)
		session_cork(s, 1);
	for (;;) {
		struct outq *q = s->ctl.count ? &s->ctl : &s->out;

		if (!q->count)
			break;
		if (sent && lws_send_pipe_choked(s->ws))
			break;
		if (session_ws_write_one(s, q) < 0)
			return -1;
		sent++;
	}
	if (cork)
		session_cork(s, 0);
	if (!sent && s->close_ws) {
		session_ws_write_close(s);
		return -1;
	}
	if (s->paused_ms && s->out.bytes <= session_high(s) / 4)
		session_pause(s, false);
	if (s->ctl.count || s->out.count || s->close_ws)
		lws_callback_on_writable(s->ws);
	return 0;
}

void session_ws_closed(struct session *s)
{
	struct bridge *br = s->br;

	s->ws = NULL;
	if (s->state == SESSION_LOST || br->stopping || br->cfg.resume_window_s <= 0 || !s->token) {
		session_close_up(s);
		session_maybe_free(s);
		return;
	}
	s->detached_ms = bridge_now_ms();
	s->close_ws = false;
	session_pause(s, false);
	s->lost_while_away += outq_trim(&s->out, (size_t)br->cfg.resume_buffer_kb << 10);
	outq_clear(&s->ctl);
	log_info(br->log, "session %u: %s went away; keeping the game session for %ds", s->id,
		 s->addr, br->cfg.resume_window_s);
}

/* ---- ruin-server ----------------------------------------------------------------------- */

void session_up_connected(struct session *s, struct lws *up)
{
	s->up = up;
	s->state = SESSION_PLAYING;
	session_new_token(s);
	log_debug(s->br->log, "session %u: connected to ruin-server", s->id);
	wsout_session(&s->br->scratch, "connected", s->token, s->br->cfg.resume_window_s, NULL,
		      wsout_now_ms());
	session_queue(s);
	lws_callback_on_writable(up);
}

int session_up_receive(struct session *s, const char *in, size_t len)
{
	s->c.bytes_from_server += len;
	s->br->totals.c.bytes_from_server += len;
	s->defer_ws = true;
	tnc_recv(s->tnc, in, len);
	s->defer_ws = false;
	if (s->state == SESSION_LOST) {
		if (s->ws)
			lws_callback_on_writable(s->ws);
		return -1;
	}
	if (tnc_has_partial(s->tnc))
		lws_sul_schedule(s->br->ctx, 0, &s->flush_sul, session_flush_cb, SESSION_FLUSH_US);
	session_ws_push(s);
	return 0;
}

int session_up_writeable(struct session *s)
{
	size_t n = s->upbuf.len - LWS_PRE;

	if (!n)
		return 0;
	if (lws_write(s->up, (unsigned char *)s->upbuf.data + LWS_PRE, n, LWS_WRITE_RAW) < (int)n)
		return -1;
	s->c.bytes_to_server += n;
	s->br->totals.c.bytes_to_server += n;
	buf_truncate(&s->upbuf, LWS_PRE);
	return 0;
}

void session_up_closed(struct session *s, const char *reason)
{
	struct bridge *br = s->br;

	if (s->state == SESSION_CONNECTING && s->ws)
		br->totals.upstream_failed++;
	s->up = NULL;
	s->state = SESSION_LOST;
	lws_sul_cancel(&s->flush_sul);
	if (s->token) {
		map_del(&br->tokens, s->token);
		free(s->token);
		s->token = NULL;
	}
	if (!s->upstream_reported) {
		s->upstream_reported = true;
		log_info(br->log, "session %u: the game connection closed: %s", s->id, reason);
		if (s->tnc)
			tnc_flush(s->tnc);
		wsout_session(&br->scratch, "lost", NULL, 0, reason, wsout_now_ms());
		session_queue(s);
	}
	if (s->ws)
		session_close_ws_after_flush(s);
	else
		session_maybe_free(s);
}

/* ---- time -------------------------------------------------------------------------------- */

void session_tick(struct session *s, int64_t now)
{
	struct bridge *br = s->br;

	if (!s->ws && s->detached_ms && now - s->detached_ms >= br->cfg.resume_window_s * 1000LL) {
		log_info(br->log,
			 "session %u: %s did not come back in %ds; closing its game session", s->id,
			 s->addr, br->cfg.resume_window_s);
		s->detached_ms = 0;
		if (s->token) {
			map_del(&br->tokens, s->token);
			free(s->token);
			s->token = NULL;
		}
		session_close_up(s);
		session_maybe_free(s);
		return;
	}
	if (s->ws && s->paused_ms && now - s->paused_ms >= br->cfg.slow_drop_s * 1000LL) {
		log_warn(br->log,
			 "session %u: %s dropped: %zu bytes unread for %ds (it can resume)", s->id,
			 s->addr, s->out.bytes, br->cfg.slow_drop_s);
		br->totals.dropped_slow++;
		s->paused_ms = 0;
		lws_set_timeout(s->ws, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
	}
}

void session_shutdown(struct session *s)
{
	if (s->ws && !s->upstream_reported) {
		s->upstream_reported = true;
		wsout_session(&s->br->scratch, "lost", NULL, 0, "the bridge is restarting",
			      wsout_now_ms());
		session_queue(s);
	}
	s->state = SESSION_LOST;
	session_close_ws_after_flush(s);
	session_close_up(s);
	session_maybe_free(s);
}

size_t session_memory(const struct session *s)
{
	size_t n = sizeof(*s) + outq_allocated(&s->out) + outq_allocated(&s->ctl) + s->upbuf.alloc +
		   s->rx.alloc;

	for (size_t i = 0; i < SESSION_NSTATE; i++)
		n += s->latest[i].alloc;
	return n;
}
