/*
 * session.c: one client connection as the game sees it. A session owns the
 * connection's telnet state machine (net/tn), queues its input lines, and
 * renders what the game sends (markup) for this client: color level,
 * charset, prompts with EOR/GA, GMCP packages it asked for.
 *
 * Start at session_new(). Input: conn bytes -> tn_recv -> session_line_cb
 * queues each line -> server_run calls session_run_one round-robin -> the
 * nanny (login) or world_command (playing). Output: the world calls
 * world_ops.send -> session_send -> color_render -> tn_send_text -> conn.
 */
#include "server.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/color.h"
#include "base/str.h"
#include "base/wrap.h"
#include "base/xalloc.h"
#include "game/world.h"
#include "net/conn.h"
#include "net/tn.h"
#include "base/banned.h"

#define SESSION_SCRATCH_LIMIT ((size_t)4 << 20)

/* ---- telnet callbacks ----------------------------------------------------- */

static void session_output_cb(void *ud, const char *bytes, size_t n)
{
	struct session *s = ud;

	conn_write(s->conn, bytes, n);
}

static void session_line_cb(void *ud, const char *line, size_t n)
{
	struct session *s = ud;
	struct session_line *l;

	s->last_input_ms = clock_mono_ms();
	s->at_prompt = false;
	if (s->state == SESSION_CLOSING)
		return;
	if (s->lines.count >= (size_t)s->srv->cfg.max_commands_queued) {
		s->dropped_lines++;
		return;
	}
	l = xmalloc(sizeof(*l) + n + 1);
	l->len = n;
	memcpy(l->text, line, n);
	l->text[n] = '\0';
	dlist_push_back(&s->lines, &l->link);
}

static void session_line_too_long_cb(void *ud, size_t max)
{
	struct session *s = ud;

	session_sendf(s, "{RThat line was too long (the most is %zu bytes); it was ignored.{x\n",
		      max);
	s->need_prompt = true;
}

static void session_changed_cb(void *ud, unsigned what)
{
	struct session *s = ud;

	if (what & TN_CHANGED_MSSP_REQUEST) {
		const char *names[32], *values[32];
		struct buf storage;
		size_t n;

		buf_init(&storage, 8192);
		n = server_mssp(s->srv, names, values, 32, &storage);
		tn_send_mssp(s->tn, names, values, n);
		buf_fini(&storage);
	}
	if ((what & TN_CHANGED_GMCP_SUPPORTS) && s->ch && s->state == SESSION_PLAYING)
		world_send_state(s->srv->world, s->ch);
	if (what & (TN_CHANGED_CLIENT | TN_CHANGED_TTYPE)) {
		const struct tn_caps *caps = tn_caps(s->tn);

		if (conn_proxied(s->conn) && strstr(caps->client, "ruin-bridge"))
			s->is_web = true;
	}
}

static void session_error_cb(void *ud, const char *reason)
{
	struct session *s = ud;

	log_info(s->srv->log, "session %u (%s): telnet error: %s", s->id, conn_addr(s->conn),
		 reason);
	conn_close_later(s->conn, reason);
}

static const struct tn_callbacks session_tn_callbacks = {
	.output = session_output_cb,
	.line = session_line_cb,
	.line_too_long = session_line_too_long_cb,
	.gmcp = NULL,
	.changed = session_changed_cb,
	.error = session_error_cb,
};

/* ---- life ------------------------------------------------------------------ */

static struct session *session_alloc(struct server *srv, struct conn *conn)
{
	struct session *s = xcalloc(1, sizeof(*s));

	s->srv = srv;
	s->conn = conn;
	s->id = conn_id(conn);
	s->state = SESSION_NAME;
	s->last_input_ms = clock_mono_ms();
	dlist_init(&s->lines);
	buf_init(&s->scratch, SESSION_SCRATCH_LIMIT);
	conn_set_ud(conn, s);
	return s;
}

static void session_tn_config(const struct server *srv, struct tn_config *tcfg)
{
	memset(tcfg, 0, sizeof(*tcfg));
	tcfg->max_line = (size_t)srv->cfg.max_line;
	tcfg->mccp2 = srv->cfg.mccp;
}

struct session *session_new(struct server *srv, struct conn *conn)
{
	struct session *s = session_alloc(srv, conn);
	struct tn_config tcfg;

	session_tn_config(srv, &tcfg);
	s->tn = tn_new(&tcfg, &session_tn_callbacks, s);
	tn_start(s->tn);
	return s;
}

struct session *session_restore(struct server *srv, struct conn *conn, const json_t *tn_state)
{
	struct session *s = session_alloc(srv, conn);
	struct tn_config tcfg;

	session_tn_config(srv, &tcfg);
	s->tn = tn_restore(&tcfg, &session_tn_callbacks, s, tn_state);
	if (!s->tn) {
		conn_set_ud(conn, NULL);
		buf_fini(&s->scratch);
		free(s);
		return NULL;
	}
	return s;
}

void session_wipe_password(struct session *s)
{
	if (s->password) {
		sodium_memzero(s->password, strlen(s->password));
		free(s->password);
		s->password = NULL;
	}
}

void session_free(struct session *s)
{
	if (s->ch) {
		world_player_linkdead(s->srv->world, s->ch);
		s->ch = NULL;
	}
	DLIST_FOREACH_SAFE(&s->lines, it, tmp)
	{
		struct session_line *l = dlist_entry(it, struct session_line, link);

		sodium_memzero(l->text, l->len);
		free(l);
	}
	session_wipe_password(s);
	free(s->name);
	tn_free(s->tn);
	buf_fini(&s->scratch);
	free(s);
}

struct session *session_find(struct server *srv, uint32_t id)
{
	struct conn *c;

	if (!id)
		return NULL;
	c = net_find(srv->net, id);
	return c ? conn_get_ud(c) : NULL;
}

/* ---- input ----------------------------------------------------------------- */

void session_recv(struct session *s, const char *bytes, size_t n)
{
	size_t before = s->dropped_lines;

	tn_recv(s->tn, bytes, n);
	if (s->dropped_lines > before && before == 0) {
		log_warn(s->srv->log, "session %u (%s): input flood, dropping lines", s->id,
			 conn_addr(s->conn));
		session_sendf(s, "{RYou are sending commands faster than they can run; "
				 "some were dropped.{x\n");
		s->need_prompt = true;
	}
}

bool session_has_input(const struct session *s)
{
	return !dlist_empty(&s->lines) && s->state != SESSION_CLOSING && !conn_closing(s->conn);
}

bool session_wants_hash(const struct session *s)
{
	return s->state == SESSION_PASSWORD || s->state == SESSION_PATH;
}

bool session_run_one(struct session *s)
{
	struct session_line *l;

	if (!session_has_input(s))
		return false;
	l = dlist_entry(s->lines.head.next, struct session_line, link);
	dlist_remove(&s->lines, &l->link);
	if (dlist_empty(&s->lines))
		s->dropped_lines = 0;
	stats_command(&s->srv->stats);
	if (s->state == SESSION_PLAYING && s->ch) {
		s->need_prompt = true;
		world_command(s->srv->world, s->ch, l->text);
	} else {
		nanny_line(s, l->text);
	}
	sodium_memzero(l->text, l->len);
	free(l);
	return true;
}

/* ---- output ---------------------------------------------------------------- */

int session_color(const struct session *s)
{
	if (s->ch && s->ch->pc && s->ch->pc->color >= 0)
		return s->ch->pc->color;
	return (int)tn_caps(s->tn)->color;
}

/* A new line first if the client sits at a prompt, so text starts on its own line. */
static void session_leave_prompt(struct session *s)
{
	if (s->at_prompt) {
		tn_send_text(s->tn, "\n", 1);
		s->at_prompt = false;
	}
}

/* The width to wrap at: the client's window (NAWS), else 80 columns. */
static int session_width(const struct session *s)
{
	unsigned cols = tn_caps(s->tn)->cols;

	return cols >= 20 && cols <= 1000 ? (int)cols : 80;
}

static void session_send_wrapped(struct session *s, const char *text, size_t n)
{
	struct buf wrapped;

	buf_init(&wrapped, SESSION_SCRATCH_LIMIT + SESSION_SCRATCH_LIMIT / 8);
	wrap_text(&wrapped, text, n, session_width(s));
	tn_send_text(s->tn, buf_cstr(&wrapped), wrapped.len);
	buf_fini(&wrapped);
}

void session_send(struct session *s, const char *markup, size_t n)
{
	if (!n || s->state == SESSION_CLOSING)
		return;
	session_leave_prompt(s);
	buf_clear(&s->scratch);
	color_render(&s->scratch, markup, n, (enum color_level)session_color(s));
	if (s->scratch.err) {
		log_warn(s->srv->log, "session %u: message of %zu bytes too large, dropped", s->id,
			 n);
		return;
	}
	session_send_wrapped(s, s->scratch.data, s->scratch.len);
	s->need_prompt = true;
}

void session_puts(struct session *s, const char *markup)
{
	session_send(s, markup, strlen(markup));
}

void session_sendf(struct session *s, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b, SESSION_SCRATCH_LIMIT);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	session_send(s, buf_cstr(&b), b.len);
	buf_fini(&b);
}

void session_send_plain(struct session *s, const char *text)
{
	session_leave_prompt(s);
	tn_send_text(s->tn, text, strlen(text));
}

void session_prompt(struct session *s, const char *markup)
{
	buf_clear(&s->scratch);
	color_render(&s->scratch, markup, strlen(markup), (enum color_level)session_color(s));
	tn_send_prompt(s->tn, s->scratch.data ? s->scratch.data : "", s->scratch.len);
	s->need_prompt = false;
	s->at_prompt = true;
}

void session_flush_prompt(struct session *s)
{
	struct buf p;

	if (!s->need_prompt || s->state != SESSION_PLAYING || !s->ch || conn_closing(s->conn))
		return;
	buf_init(&p, 4096);
	buf_putc(&p, '\n');
	world_prompt(s->srv->world, s->ch, &p);
	session_prompt(s, buf_cstr(&p));
	buf_fini(&p);
}

void session_send_gmcp(struct session *s, const char *package, const char *json)
{
	if (session_wants_gmcp(s, package))
		tn_send_gmcp(s->tn, package, json);
}

bool session_wants_gmcp(const struct session *s, const char *package)
{
	return s->state != SESSION_CLOSING && tn_gmcp_wants(s->tn, package);
}

void session_echo(struct session *s, bool on)
{
	if (on)
		tn_echo_on(s->tn);
	else
		tn_echo_off(s->tn);
}

void session_close(struct session *s, const char *goodbye, const char *reason)
{
	if (goodbye)
		session_send(s, goodbye, strlen(goodbye));
	s->state = SESSION_CLOSING;
	conn_close_after_flush(s->conn, reason);
}

const char *session_kind(const struct session *s)
{
	return s->is_web ? "web" : "telnet";
}

const char *session_state_name(const struct session *s)
{
	return s->state == SESSION_PLAYING   ? "playing"
	       : s->state == SESSION_CLOSING ? "closing"
					     : "login";
}

void session_client(const struct session *s, struct buf *out)
{
	const struct tn_caps *caps = tn_caps(s->tn);

	if (*caps->client) {
		buf_puts(out, caps->client);
		if (*caps->client_version)
			buf_printf(out, " %s", caps->client_version);
	} else {
		buf_puts(out, "unknown client");
	}
}
