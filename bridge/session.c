/*
 * session.c: one browser's game session, between its WebSocket and its
 * telnet connection to ruin-server. Queueing and writing, to either socket,
 * are in session_write.c.
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
#include <stdlib.h>
#include <strings.h>

#include <jansson.h>
#include <sodium.h>

#include "base/str.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "wsin.h"
#include "wsout.h"
#include "base/banned.h"

/* A part line with no end waits this long before it is sent as text. */
#define SESSION_FLUSH_US (100 * LWS_US_PER_MS)
/* Bytes waiting for ruin-server; a browser past it gets "server_busy". */
#define SESSION_UPBUF_LIMIT ((size_t)64 << 10)
/* A browser that sent a command this recently is waiting for its answer:
 * its output is translated as it arrives, everyone else's on a later turn
 * of the loop (loop.c). Generous: an answer takes a few ms. */
#define SESSION_ASKED_MS 100
/* Past this much output kept, reading from ruin-server pauses until it is
 * translated: the backlog of a busy bridge waits in the kernel's socket
 * buffers, where it always did, not in ours. */
#define SESSION_PEND_PAUSE ((size_t)4 << 10)
/* Never more than this is kept (lws reads BRIDGE_RX_BUFFER at a time). */
#define SESSION_PEND_LIMIT ((size_t)64 << 10)
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
	if (wsout_gmcp_memo(&s->br->memo, m, package, json, n, s->self, wsout_now_ms()) < 0) {
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

/*
 * Which repeat slot a GMCP message's state goes in, or -1 if it is not
 * state: Room.Info, Char.Vitals and Char.Status replace what the panels
 * show, and Char.Items.List replaces one list, the room's or the
 * inventory's (the server writes "location" first; a quote inside a JSON
 * string is escaped, so the pattern cannot match there).
 */
enum session_repeat { REPEAT_ROOM, REPEAT_VITALS, REPEAT_STATUS, REPEAT_ROOM_ITEMS, REPEAT_INV };
_Static_assert(REPEAT_INV + 1 == SESSION_NREPEAT, "a hash a slot");

static int session_repeat_slot(const char *package, const char *json, size_t n)
{
	static const char room_list[] = "\"location\":\"room\"";
	const size_t k = sizeof(room_list) - 1;

	if (!strcasecmp(package, "Room.Info"))
		return REPEAT_ROOM;
	if (!strcasecmp(package, "Char.Vitals"))
		return REPEAT_VITALS;
	if (!strcasecmp(package, "Char.Status"))
		return REPEAT_STATUS;
	if (strcasecmp(package, "Char.Items.List"))
		return -1;
	for (size_t i = 0; i + k <= n; i++)
		if (json[i] == '"' && memcmp(json + i, room_list, k) == 0)
			return REPEAT_ROOM_ITEMS;
	return REPEAT_INV;
}

/*
 * The server sends Room.Info and the room's Char.Items.List with every
 * look (as telnet mappers expect) and vitals with many commands; the
 * browser's panels already show them when nothing changed. An unchanged
 * one is dropped here: through the bridge a look is then two messages
 * (its text and the prompt) instead of five, in the bridge's CPU and on
 * the browser's link. Char.Items.Add, .Remove and .Update change the lists
 * without a new List, so they clear both list slots; a resuming browser
 * (a new page) starts with none.
 */
static bool session_tnc_gmcp_repeat(void *ud, const char *package, const char *json, size_t n)
{
	struct session *s = ud;
	int slot = session_repeat_slot(package, json, n);
	uint64_t h;

	if (slot < 0) {
		if (!strncasecmp(package, "Char.Items.", strlen("Char.Items.")))
			s->repeat[REPEAT_ROOM_ITEMS] = s->repeat[REPEAT_INV] = 0;
		return false;
	}
	_Static_assert(sizeof(s->br->repeat_key) == crypto_shorthash_KEYBYTES, "SipHash key");
	crypto_shorthash((unsigned char *)&h, (const unsigned char *)json, n, s->br->repeat_key);
	h |= 1; /* 0 is "none" */
	if (s->repeat[slot] == h) {
		s->c.gmcp_repeats++;
		s->br->totals.c.gmcp_repeats++;
		return true;
	}
	s->repeat[slot] = h;
	return false;
}

/* Forgets s's resume token: no browser can take s back with it. */
static void session_drop_token(struct session *s)
{
	if (!s->token)
		return;
	map_del(&s->br->tokens, s->token);
	free(s->token);
	s->token = NULL;
}

static void session_tnc_error(void *ud, const char *reason)
{
	struct session *s = ud;

	log_warn(s->br->log, "session %u: ruin-server broke the telnet protocol: %s", s->id,
		 reason);
	s->state = SESSION_LOST;
	/* Lost for good: no resume may take it (nor slip past the limits with its token). */
	session_drop_token(s);
}

static const struct tnc_callbacks session_tnc_callbacks = {
	.output = session_tnc_output,
	.text = session_tnc_text,
	.prompt = session_tnc_prompt,
	.echo = session_tnc_echo,
	.gmcp = session_tnc_gmcp,
	.gmcp_repeat = session_tnc_gmcp_repeat,
	.error = session_tnc_error,
};

/* ---- life ----------------------------------------------------------------------------- */

/*
 * A part line has waited SESSION_FLUSH_US: send it. Unless what the server
 * sent since still waits untranslated (s->pend, the loop being behind): it
 * may finish the line, or the character or escape sequence cut at its end,
 * so it is translated first, and the timer starts again for what is left.
 */
static void session_flush_cb(lws_sorted_usec_list_t *sul)
{
	struct session *s = lws_container_of(sul, struct session, flush_sul);

	if (!s->tnc)
		return;
	if (s->pend.len) {
		session_up_drain(s);
		return;
	}
	tnc_flush(s->tnc);
}

static void session_new_token(struct session *s)
{
	unsigned char bin[SESSION_TOKEN_BYTES];
	char b64[sodium_base64_ENCODED_LEN(SESSION_TOKEN_BYTES,
					   sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	struct buf t;

	session_drop_token(s);
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
	wsframe_deflate_init(&s->pmd, &peer->pmd);
	s->started_ms = bridge_now_ms();
	rate_init(&s->rate);
	str_copy(s->addr, sizeof(s->addr), peer->addr);
	buf_init(&version, 256);
	peer_browser_name(&version, peer->user_agent);
	s->browser = xstrdup(buf_cstr(&version));
	buf_clear(&version);
	buf_printf(&version, "%s (%s)", BRIDGE_VERSION, s->browser);
	outq_init(&s->out, 0);
	outq_init(&s->ctl, 0);
	buf_init(&s->upbuf, LWS_PRE + SESSION_UPBUF_LIMIT);
	buf_init(&s->rx, (size_t)br->cfg.max_message);
	buf_init(&s->pend, SESSION_PEND_LIMIT);
	dlink_init(&s->defer_link);
	dlink_init(&s->watch_link);
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
	if (dlink_linked(&s->watch_link))
		dlist_remove(&br->watched, &s->watch_link);
	defer_remove(br, s);
	tnc_free(s->tnc);
	outq_fini(&s->out);
	outq_fini(&s->ctl);
	buf_fini(&s->upbuf);
	buf_fini(&s->rx);
	buf_fini(&s->pend);
	for (size_t i = 0; i < SESSION_NSTATE; i++)
		buf_fini(&s->latest[i]);
	wsframe_deflate_fini(&s->pmd);
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
void session_close_up(struct session *s)
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

/*
 * A text message that is not UTF-8: RFC 6455 (8.1) says the connection
 * must then fail, so the browser's socket closes with 1007 at its next
 * writeable callback, and nothing more is read or sent on it. The game
 * session is not the socket's: it waits out the resume window like any
 * dropped browser, its output kept, and the token brings the player back
 * with that output (the web client resumes on any close the game did not
 * ask for). A browser's own WebSocket never sends such a message.
 */
static void session_ws_fail(struct session *s)
{
	s->c.msgs_from_browser++;
	s->br->totals.c.msgs_from_browser++;
	s->c.errors++;
	s->br->totals.c.errors++;
	log_info(s->br->log,
		 "session %u: %s sent a text message that is not UTF-8; closing its "
		 "WebSocket (1007)",
		 s->id, s->addr);
	s->ws_failed = true;
	session_close_ws_after_flush(s);
}

/* ---- the browser ------------------------------------------------------------------------ */

struct session *session_resume(struct bridge *br, struct lws *ws, const char *token,
			       const struct wsframe_params *pmd)
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
	session_watch(s);
	s->close_ws = false;
	s->ws_failed = false;
	/* A new connection starts a new compression stream. */
	wsframe_deflate_fini(&s->pmd);
	wsframe_deflate_init(&s->pmd, pmd);
	s->rx_too_big = false;
	buf_clear(&s->rx);
	/* A new page: what the old one had is no reason to hold anything back. */
	memset(s->repeat, 0, sizeof(s->repeat));
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

/* One complete message from the browser. */
static void session_message(struct session *s, const char *msg, size_t n)
{
	struct bridge *br = s->br;
	struct wsin_msg in;
	const char *code;
	int rc;

	s->c.msgs_from_browser++;
	br->totals.c.msgs_from_browser++;
	if (!rate_take(&s->rate, bridge_now_ms(), br->cfg.rate_per_s, br->cfg.rate_burst)) {
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
		buf_clear(&br->why); /* shared by every session: leave it empty */
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
		s->asked_ms = bridge_now_ms();
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
		else
			s->asked_ms = bridge_now_ms();
		break;
	case WSIN_RESIZE:
		tnc_resize(s->tnc, in.cols, in.rows);
		break;
	}
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
	if (s->ws_failed) {
		/* Closing: what follows a protocol error is not read. */
	} else if (s->rx_binary) {
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
	} else if (!utf8_valid(s->rx.data ? s->rx.data : "", s->rx.len)) {
		session_ws_fail(s);
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

void session_ws_closed(struct session *s)
{
	struct bridge *br = s->br;

	s->ws = NULL;
	/* Its compressor went with its connection: 20 KiB less while away. */
	wsframe_deflate_fini(&s->pmd);
	if (s->state == SESSION_LOST || br->stopping || br->cfg.resume_window_s <= 0 || !s->token) {
		session_close_up(s);
		session_maybe_free(s);
		return;
	}
	s->detached_ms = bridge_now_ms();
	session_watch(s);
	s->close_ws = false;
	s->ws_failed = false;
	session_pause(s, false);
	session_lose(s, outq_trim(&s->out, (size_t)br->cfg.resume_buffer_kb << 10));
	outq_clear(&s->ctl);
	log_info(br->log, "session %u: %s went away; keeping the game session for %ds", s->id,
		 s->addr, br->cfg.resume_window_s);
}

/* ---- ruin-server ----------------------------------------------------------------------- */

int session_up_connected(struct session *s, struct lws *up)
{
	if (!s->ws || s->state != SESSION_CONNECTING) {
		/*
		 * The browser left while we were connecting. The close asked for
		 * then (session_close_up) was cleared by lws when the connect
		 * completed: without this the session would play on, with a token
		 * nobody has and no browser to wait for.
		 */
		lws_set_opaque_user_data(up, NULL);
		session_up_closed(s, "the browser left");
		return -1;
	}
	s->up = up;
	s->state = SESSION_PLAYING;
	session_new_token(s);
	log_debug(s->br->log, "session %u: connected to ruin-server", s->id);
	wsout_session(&s->br->scratch, "connected", s->token, s->br->cfg.resume_window_s, NULL,
		      wsout_now_ms());
	session_queue(s);
	lws_callback_on_writable(up);
	return 0;
}

/*
 * Translates what s kept, then in[len], and pushes it to the browser.
 * Returns -1 if the server broke the telnet protocol.
 */
static int session_up_feed(struct session *s, const char *in, size_t len)
{
	s->defer_ws = true;
	if (s->pend.len) {
		tnc_recv(s->tnc, s->pend.data, s->pend.len);
		/* Freed, not kept: most sessions keep something only now and then. */
		buf_fini(&s->pend);
		buf_init(&s->pend, SESSION_PEND_LIMIT);
	}
	defer_remove(s->br, s);
	if (s->pend_paused) {
		s->pend_paused = false;
		/* Unless the browser is the one behind (session_pause). */
		if (s->up && !s->paused_ms)
			lws_rx_flow_control(s->up, 1);
	}
	if (len && s->state != SESSION_LOST)
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

int session_up_receive(struct session *s, const char *in, size_t len)
{
	s->c.bytes_from_server += len;
	s->br->totals.c.bytes_from_server += len;
	if (bridge_now_ms() - s->asked_ms >= SESSION_ASKED_MS && s->state == SESSION_PLAYING &&
	    buf_append(&s->pend, in, len) == 0) {
		if (defer_add(s->br, s) == 0) {
			s->br->totals.deferred++;
			if (s->pend.len >= SESSION_PEND_PAUSE && !s->pend_paused && s->up) {
				s->pend_paused = true;
				lws_rx_flow_control(s->up, 0);
			}
			return 0;
		}
		buf_truncate(&s->pend, s->pend.len - len);
	}
	s->pend.err = 0;
	return session_up_feed(s, in, len);
}

void session_up_drain(struct session *s)
{
	if (session_up_feed(s, NULL, 0) < 0)
		session_close_up(s);
}

void session_up_closed(struct session *s, const char *reason)
{
	struct bridge *br = s->br;

	/* What came before the close goes first. */
	if (s->pend.len)
		(void)session_up_feed(s, NULL, 0);
	if (s->state == SESSION_CONNECTING && s->ws)
		br->totals.upstream_failed++;
	s->up = NULL;
	s->state = SESSION_LOST;
	lws_sul_cancel(&s->flush_sul);
	session_drop_token(s);
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
		session_watch(s);
		session_drop_token(s);
		session_close_up(s);
		session_maybe_free(s);
		return;
	}
	if (s->ws && s->paused_ms && now - s->paused_ms >= br->cfg.slow_drop_s * 1000LL) {
		log_warn(br->log,
			 "session %u: %s dropped: %zu bytes unread for %ds (it can resume)", s->id,
			 s->addr, s->out.bytes, br->cfg.slow_drop_s);
		br->totals.dropped_slow++;
		/* Read the server again: its output goes to the resume buffer now. */
		session_pause(s, false);
		lws_set_timeout(s->ws, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
	}
}

void session_watch(struct session *s)
{
	struct dlist *l = &s->br->watched;

	if ((s->detached_ms || s->paused_ms) && !dlink_linked(&s->watch_link))
		dlist_push_back(l, &s->watch_link);
	else if (!s->detached_ms && !s->paused_ms && dlink_linked(&s->watch_link))
		dlist_remove(l, &s->watch_link);
}

void session_shutdown(struct session *s)
{
	if (s->pend.len)
		(void)session_up_feed(s, NULL, 0);
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
		   s->rx.alloc + s->pend.alloc + wsframe_deflate_memory(&s->pmd);

	for (size_t i = 0; i < SESSION_NSTATE; i++)
		n += s->latest[i].alloc;
	return n;
}
