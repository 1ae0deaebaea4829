/*
 * session_write.c: everything a session writes. Split from session.c,
 * which keeps a session's life, the telnet side's events, the browser's
 * messages, the server connection's events and time; internal.h is what
 * the two share.
 *
 * Start at session_queue_on(): it moves one JSON message from br->scratch
 * into s->out (session_queue) or s->ctl (sent first), pauses reading from
 * the server past output_high_kb (session_pause; session_ws_writeable()
 * resumes it below a quarter of that), and while the browser is away keeps
 * the newest output up to resume_buffer_kb. session_ws_writeable() frames
 * the queued messages (wsframe.c) and sends them in one write, and ends a
 * session with a close frame; session_up_writeable() sends s->upbuf to
 * ruin-server. The write-through pushes (session_ws_push, session_up_push)
 * write at the end of the other socket's receive instead of waiting a turn
 * of lws's loop.
 */
#include "internal.h"

#include <string.h>

#include "wsframe.h"
#include "wsout.h"
#include "base/banned.h"

/* ---- queueing for the browser ------------------------------------------------------- */

static size_t session_high(const struct session *s)
{
	return (size_t)s->br->cfg.output_high_kb << 10;
}

void session_pause(struct session *s, bool pause)
{
	if (!s->up || s->state != SESSION_PLAYING || pause == (s->paused_ms != 0))
		return;
	/* Output kept untranslated holds reading paused too (session_up_feed resumes it). */
	if (pause || !s->pend_paused)
		lws_rx_flow_control(s->up, pause ? 0 : 1);
	s->paused_ms = pause ? bridge_now_ms() : 0;
	session_watch(s);
	if (pause)
		log_debug(s->br->log,
			  "session %u: %zu bytes wait for the browser, pausing the server", s->id,
			  s->out.bytes);
}

/* Moves br->scratch (one JSON message) into q and wakes the browser socket. */
void session_queue_on(struct session *s, struct outq *q)
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
	if (q == &s->out)
		session_lose(s, outq_trim(&s->out, (size_t)s->br->cfg.resume_buffer_kb << 10));
}

void session_lose(struct session *s, size_t dropped)
{
	s->lost_while_away += dropped;
	s->c.output_lost += dropped;
	s->br->totals.c.output_lost += dropped;
}

void session_queue(struct session *s)
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

/* ---- write-through ------------------------------------------------------------------ */

/*
 * Write-through. A look used to take four turns of the event loop: the
 * command waited a turn for the server's socket, the answer a turn for the
 * browser's. Called from the other socket's callback, these send at once
 * when the socket has nothing of ours still buffered, else ask for the
 * writeable callback. While the other side's receive runs (s->defer_ws,
 * s->defer_up) queueing asks for no writeable callback: the push at its
 * end writes, and a callback asked for anyway meant a POLLOUT wake-up per
 * message with nothing left to write.
 */
void session_up_push(struct session *s)
{
	if (!s->up || s->state != SESSION_PLAYING || s->upbuf.len <= LWS_PRE)
		return;
	if (lws_partial_buffered(s->up))
		lws_callback_on_writable(s->up);
	else if (session_up_writeable(s) < 0)
		session_close_up(s);
}

void session_ws_push(struct session *s)
{
	if (!s->ws || !(s->ctl.count || s->out.count || s->close_ws))
		return;
	if (s->close_ws || lws_partial_buffered(s->ws))
		lws_callback_on_writable(s->ws);
	else if (session_ws_writeable(s) < 0)
		lws_set_timeout(s->ws, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* ---- writing to the browser --------------------------------------------------------- */

/*
 * Ends a session's WebSocket: the close frame (1000, "session ended"; 1007,
 * "invalid UTF-8" for a browser that broke the protocol) is written here,
 * and the -1 that follows closes the socket.
 * Not lws_close_reason() and -1, which asks lws to send it: Debian builds
 * lws 4.1 with _DEBUG, and on its libuv loop a debug-only second close
 * ("close_and_handled uv repeat test" in lws_service_fd_tsi()) kills the
 * connection before that frame leaves. LWS_WRITE_CLOSE is 4 in lws's
 * private headers; its public one leaves the gap for it, and lws_write()
 * sends it as a control frame, after anything of ours it still holds.
 */
#define SESSION_LWS_WRITE_CLOSE ((enum lws_write_protocol)4)

static void session_ws_write_close(struct session *s)
{
	const char *reason = s->ws_failed ? "invalid UTF-8" : "session ended";
	unsigned code = s->ws_failed ? LWS_CLOSE_STATUS_INVALID_PAYLOAD : LWS_CLOSE_STATUS_NORMAL;
	unsigned char frame[LWS_PRE + 2 + 32];
	size_t n = 2 + strlen(reason);

	frame[LWS_PRE] = (unsigned char)(code >> 8);
	frame[LWS_PRE + 1] = (unsigned char)(code & 0xff);
	memcpy(frame + LWS_PRE + 2, reason, n - 2);
	if (lws_write(s->ws, frame + LWS_PRE, n, SESSION_LWS_WRITE_CLOSE) < (int)n)
		log_debug(s->br->log, "session %u: the close frame could not be sent", s->id);
}

/*
 * The most frame bytes one write carries; what is left waits for the next
 * writeable callback. It bounds what lws copies and holds when the socket
 * takes only part of a write (the browser is slow), while a turn's output
 * (a look's text and prompt, a say's three messages) still goes as one.
 */
#define SESSION_WS_BATCH (16 * 1024)

/*
 * The browser's socket can take more: frames the queued messages, control
 * ones first, and sends them with one write (wsframe.c says why not
 * lws_write() per message). lws sends it raw, and keeps and sends later
 * what the socket did not take, so a write always ends on a frame
 * boundary and lws's own control frames (pings, pongs) go between ours.
 */
int session_ws_writeable(struct session *s)
{
	struct bridge *br = s->br;
	struct buf *f = &br->frames;
	size_t sent = 0, bytes = 0;

	if (s->ws_failed) {
		/* Failed, not ended: the close goes at once, the game's output
		 * stays queued for the resume. */
		session_ws_write_close(s);
		return -1;
	}
	buf_clear(f);
	buf_append(f, (char[LWS_PRE]){0}, LWS_PRE);
	while (s->ctl.count + s->out.count && f->len - LWS_PRE < SESSION_WS_BATCH) {
		struct outq *q = s->ctl.count ? &s->ctl : &s->out;
		size_t n;
		char *msg = outq_peek(q, &n);

		if (wsframe_text(f, &s->pmd, &br->deflated, msg, n) < 0 || f->err) {
			log_warn(br->log, "session %u: could not frame a %zu-byte message", s->id,
				 n);
			return -1;
		}
		sent++;
		bytes += n;
		outq_pop(q);
	}
	if (sent) {
		size_t len = f->len - LWS_PRE;

		if (lws_write(s->ws, (unsigned char *)f->data + LWS_PRE, len, LWS_WRITE_RAW) <
		    (int)len) {
			log_info(br->log, "session %u: writing to the browser failed", s->id);
			return -1;
		}
		s->c.msgs_to_browser += sent;
		s->c.bytes_to_browser += bytes;
		br->totals.c.msgs_to_browser += sent;
		br->totals.c.bytes_to_browser += bytes;
	} else if (s->close_ws) {
		session_ws_write_close(s);
		return -1;
	}
	if (s->paused_ms && s->out.bytes <= session_high(s) / 4)
		session_pause(s, false);
	if (s->ctl.count || s->out.count || s->close_ws)
		lws_callback_on_writable(s->ws);
	return 0;
}

/* ---- writing to ruin-server --------------------------------------------------------- */

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
