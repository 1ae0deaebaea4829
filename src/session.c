/*
 * session.c: one client connection as the game sees it. A session owns the
 * connection's telnet state machine (net/tn), queues its input lines, and
 * renders what the game sends (markup) for this client: color level,
 * charset, prompts with EOR/GA, GMCP packages it asked for.
 *
 * Start at session_new(). Input: conn bytes -> tn_recv -> session_line_cb
 * queues each line (and puts the session on srv->input_ready) -> server_run
 * calls session_run_one round-robin -> the nanny (login) or world_command
 * (playing). Output: the world calls world_ops.send -> session_send ->
 * session_render (color_render, wrap_text, tn_convert_text, through a
 * small cache shared by all sessions) -> tn_send_converted -> conn, whose
 * queue goes out once per loop pass; the session goes on srv->prompt_due
 * and gets its prompt at the end of the pass.
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

/* The longest message rendered; longer ones are dropped with a warning. */
#define SESSION_SCRATCH_LIMIT ((size_t)4 << 20)
/* Messages up to this many bytes of markup are kept in the render cache. */
#define SESSION_RENDER_KEEP 16384
/* A rendering buffer that grew past this is given back after use. */
#define SESSION_RENDER_TRIM ((size_t)64 << 10)

/* Output went out: the prompt follows at the end of the loop pass. */
static void session_want_prompt(struct session *s)
{
	s->need_prompt = true;
	if (!dlink_linked(&s->prompt_link))
		dlist_push_back(&s->srv->prompt_due, &s->prompt_link);
}

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

	/* The clock was read once for the whole read (session_recv): a flood is thousands of lines.
	 */
	s->last_input_ms = s->recv_ms;
	s->at_prompt = false;
	if (s->state == SESSION_CLOSING)
		return;
	if (s->lines.count >= (size_t)s->srv->cfg.max_commands_queued) {
		/*
		 * The rest of what was read is dropped (a paste too long), and
		 * the socket is not read again until the queue is half empty: a
		 * client that goes on flooding is slowed down by TCP itself and
		 * costs the server one command per loop pass, no more.
		 */
		s->dropped_lines++;
		conn_hold_input(s->conn, true);
		return;
	}
	l = xmalloc(sizeof(*l) + n + 1);
	l->len = n;
	memcpy(l->text, line, n);
	l->text[n] = '\0';
	dlist_push_back(&s->lines, &l->link);
	if (!dlink_linked(&s->input_link))
		dlist_push_back(&s->srv->input_ready, &s->input_link);
}

static void session_line_too_long_cb(void *ud, size_t max)
{
	struct session *s = ud;

	session_sendf(s, "{RThat line was too long (the most is %zu bytes); it was ignored.{x\n",
		      max);
	session_want_prompt(s);
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
	rate_init(&s->turns); /* full at the first command */
	dlist_init(&s->lines);
	dlink_init(&s->input_link);
	dlink_init(&s->prompt_link);
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
		/* At shutdown the character stays as it was saved, with no one told. */
		if (!s->srv->closing_all)
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
	if (dlink_linked(&s->input_link))
		dlist_remove(s->throttled ? &s->srv->throttled : &s->srv->input_ready,
			     &s->input_link);
	if (dlink_linked(&s->prompt_link))
		dlist_remove(&s->srv->prompt_due, &s->prompt_link);
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

	s->recv_ms = clock_mono_ms();
	tn_recv(s->tn, bytes, n);
	if (s->dropped_lines > before && before == 0) {
		log_warn(s->srv->log, "session %u (%s): input flood, dropping lines", s->id,
			 conn_addr(s->conn));
		session_sendf(s, "{RYou are sending commands faster than they can run; "
				 "some were dropped.{x\n");
		session_want_prompt(s);
	}
}

bool session_has_input(const struct session *s)
{
	return !dlist_empty(&s->lines) && s->state != SESSION_CLOSING && !conn_closing(s->conn);
}

bool session_take_turn(struct session *s, int64_t now)
{
	return rate_take(&s->turns, now, s->srv->cfg.max_commands_per_s,
			 s->srv->cfg.max_commands_queued);
}

int64_t session_next_turn_ms(const struct session *s, int64_t now)
{
	return rate_next_ms(&s->turns, now, s->srv->cfg.max_commands_per_s);
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
	if (conn_input_held(s->conn) &&
	    s->lines.count <= (size_t)s->srv->cfg.max_commands_queued / 2)
		conn_hold_input(s->conn, false);
	stats_command(&s->srv->stats);
	if (s->state == SESSION_PLAYING && s->ch) {
		session_want_prompt(s);
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

/* ---- rendering -------------------------------------------------------------- */

void session_cache_init(struct server *srv)
{
	struct session_cache *rc = &srv->render;

	memset(rc, 0, sizeof(*rc));
	for (size_t i = 0; i < SESSION_RENDER_SLOTS; i++) {
		buf_init(&rc->slot[i].markup, SESSION_RENDER_KEEP);
		buf_init(&rc->slot[i].wire, SESSION_SCRATCH_LIMIT * 3);
	}
	buf_init(&rc->colored, SESSION_SCRATCH_LIMIT);
	/* Wrapping adds line ends; conversion doubles CR LF and IAC at worst. */
	buf_init(&rc->wrapped, SESSION_SCRATCH_LIMIT + SESSION_SCRATCH_LIMIT / 8);
	buf_init(&rc->big, SESSION_SCRATCH_LIMIT * 3);
	buf_init(&rc->prompt, 4096);
	dlist_init(&srv->input_ready);
	dlist_init(&srv->throttled);
	dlist_init(&srv->prompt_due);
}

void session_cache_fini(struct server *srv)
{
	struct session_cache *rc = &srv->render;

	for (size_t i = 0; i < SESSION_RENDER_SLOTS; i++) {
		buf_fini(&rc->slot[i].markup);
		buf_fini(&rc->slot[i].wire);
	}
	buf_fini(&rc->colored);
	buf_fini(&rc->wrapped);
	buf_fini(&rc->big);
	buf_fini(&rc->prompt);
}

/* Empties b, giving its memory back if a big message made it grow. */
static void session_render_trim(struct buf *b)
{
	if (b->alloc > SESSION_RENDER_TRIM) {
		size_t limit = b->limit;

		buf_fini(b);
		buf_init(b, limit);
	} else {
		buf_clear(b);
	}
}

/* The width to wrap at: the client's window (NAWS), else 80 columns. */
static int session_width(const struct session *s)
{
	unsigned cols = tn_caps(s->tn)->cols;

	return cols >= 20 && cols <= 1000 ? (int)cols : 80;
}

/*
 * markup as this client gets it on the wire (before compression): colors
 * at its level, wrapped at width columns (0: not wrapped), folded to its
 * charset. Served from the cache when another session just needed the same
 * rendering. Returns the bytes (valid until the next call), or NULL if the
 * message is too large (logged).
 */
static const struct buf *session_render(struct session *s, const char *markup, size_t n, int width)
{
	struct session_cache *rc = &s->srv->render;
	int color = session_color(s), charset = (int)tn_charset(s->tn);
	struct session_render *victim = &rc->slot[0];
	struct buf *out;

	rc->clock++;
	session_render_trim(&rc->big);
	if (n <= SESSION_RENDER_KEEP) {
		for (size_t i = 0; i < SESSION_RENDER_SLOTS; i++) {
			struct session_render *r = &rc->slot[i];

			if (r->markup.len == n && r->color == color && r->width == width &&
			    r->charset == charset && r->used &&
			    memcmp(r->markup.data, markup, n) == 0) {
				r->used = rc->clock;
				rc->hits++;
				return &r->wire;
			}
			if (r->used < victim->used)
				victim = r;
		}
	}
	rc->misses++;
	buf_clear(&rc->colored);
	color_render(&rc->colored, markup, n, (enum color_level)color);
	buf_clear(&rc->wrapped);
	if (width)
		wrap_text(&rc->wrapped, buf_cstr(&rc->colored), rc->colored.len, width);
	else
		buf_append(&rc->wrapped, buf_cstr(&rc->colored), rc->colored.len);
	out = n <= SESSION_RENDER_KEEP ? &victim->wire : &rc->big;
	buf_clear(out);
	tn_convert_text(out, (enum tn_charset)charset, buf_cstr(&rc->wrapped), rc->wrapped.len);
	if (out != &rc->big) {
		buf_clear(&victim->markup);
		buf_append(&victim->markup, markup, n);
		victim->color = color;
		victim->width = width;
		victim->charset = charset;
		victim->used = rc->clock;
	}
	if (rc->colored.err || rc->wrapped.err || out->err) {
		if (out != &rc->big)
			victim->used = 0;
		log_warn(s->srv->log, "session %u: message of %zu bytes too large, dropped", s->id,
			 n);
		out = NULL;
	}
	session_render_trim(&rc->colored);
	session_render_trim(&rc->wrapped);
	return out;
}

/* ---- output ---------------------------------------------------------------- */

/* A new line first if the client sits at a prompt, so text starts on its own line. */
static void session_leave_prompt(struct session *s)
{
	if (s->at_prompt) {
		tn_send_converted(s->tn, "\r\n", 2, false);
		s->at_prompt = false;
	}
}

void session_send(struct session *s, const char *markup, size_t n)
{
	const struct buf *wire;

	if (!n || s->state == SESSION_CLOSING)
		return;
	wire = session_render(s, markup, n, session_width(s));
	if (!wire)
		return;
	session_leave_prompt(s);
	tn_send_converted(s->tn, wire->data, wire->len, false);
	session_want_prompt(s);
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
	const struct buf *wire = session_render(s, markup, strlen(markup), 0);

	tn_send_converted(s->tn, wire ? wire->data : "", wire ? wire->len : 0, true);
	s->need_prompt = false;
	s->at_prompt = true;
}

void session_flush_prompt(struct session *s)
{
	struct buf *p = &s->srv->render.prompt;

	if (!s->need_prompt || s->state != SESSION_PLAYING || !s->ch || conn_closing(s->conn))
		return;
	/* One buffer for every prompt: a say to a full room is followed by a thousand. */
	buf_clear(p);
	buf_putc(p, '\n');
	world_prompt(s->srv->world, s->ch, p);
	session_prompt(s, buf_cstr(p));
	session_render_trim(p);
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
