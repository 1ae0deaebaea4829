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
 * the newest output up to resume_buffer_kb. session_ws_writeable() sends
 * what the browser's socket takes, corked, and ends a session with a close
 * frame; session_up_writeable() sends s->upbuf to ruin-server. The
 * write-through pushes (session_ws_push, session_up_push) write at the end
 * of the other socket's receive instead of waiting a turn of lws's loop.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

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
	if (q == &s->out) {
		size_t dropped = outq_trim(&s->out, (size_t)s->br->cfg.resume_buffer_kb << 10);

		s->lost_while_away += dropped;
		s->c.output_lost += dropped;
		s->br->totals.c.output_lost += dropped;
	}
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
 * when the socket is not choked (session_ws_choked() also covers a message
 * permessage-deflate has not finished), else ask for the writeable
 * callback. While the other side's receive runs (s->defer_ws, s->defer_up)
 * queueing asks for no writeable callback: the push at its end writes, and
 * a callback asked for anyway meant a POLLOUT wake-up per message with
 * nothing left to write.
 */
/*
 * Whether the browser's socket should take nothing more now, asked before
 * every message. lws_send_pipe_choked() answers with a poll() of the
 * socket, a system call per message; it is only needed after a message
 * permessage-deflate may not have finished (its output buffer is 1 KiB,
 * and a message started inside another would be corrupt), so after one of
 * SESSION_DEFLATE_WHOLE bytes or more. Otherwise lws holding part of the
 * last write (the socket's buffer was full) is the answer. The raw socket
 * to ruin-server has no deflate: only the second question.
 */
#define SESSION_DEFLATE_WHOLE 768

static bool session_ws_choked(struct session *s)
{
	if (!s->check_choked)
		return lws_partial_buffered(s->ws);
	if (lws_send_pipe_choked(s->ws))
		return true;
	s->check_choked = false;
	return false;
}

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
	if (s->close_ws || session_ws_choked(s))
		lws_callback_on_writable(s->ws);
	else if (session_ws_writeable(s) < 0)
		lws_set_timeout(s->ws, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* ---- writing to the browser --------------------------------------------------------- */

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
	if (n >= SESSION_DEFLATE_WHOLE)
		s->check_choked = true;
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

/*
 * The browser's socket can take more: sends queued messages, control ones
 * first, for as long as the socket is not choked. A look is four messages
 * (text, room, items, prompt); one writeable callback each meant four turns
 * of the event loop. session_ws_choked() is also true while
 * permessage-deflate still has part of the last message to send, so no
 * message is started inside another.
 */
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
		if (sent && session_ws_choked(s))
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
