/*
 * admin.c: the admin socket's consoles: accepting them, reading requests,
 * queueing output under a cap, subscriptions. See admin.h.
 *
 * Start at admin_new(), then admin_client_line(): every request line is
 * parsed by admin_proto.c and dispatched through admin_handlers[] (one
 * function per op; actions go to admin_act.c). Output is only ever queued
 * (admin_send) and written when the loop says the socket can take it; a
 * console whose queue would pass admin_queue_kb is dropped on the spot.
 * Dropped consoles are closed at once and freed by admin_reap() once a
 * second, never in the middle of a walk over the list (STYLE.md rule 9).
 */
#include "admin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "admin_internal.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "net/loop.h"
#include "server.h"
#include "base/banned.h"

/* Input read from one console per wake-up. */
#define ADMIN_READ_PASS ((size_t)16 * 1024)
/* A drained queue keeps its allocation up to this size. */
#define ADMIN_KEEP_ALLOC ((size_t)64 * 1024)

static void admin_client_io(struct loop *loop, int fd, int mask, void *ud);

/* ---- cost accounting ------------------------------------------------------------- */

/* Time spent in the admin socket adds to cost_us (published as "admin" in snapshots). */
static int64_t admin_cost_start(void)
{
	return clock_mono_us();
}

static void admin_cost_end(struct admin *a, int64_t t0)
{
	a->cost_us += clock_mono_us() - t0;
}

/* ---- output ---------------------------------------------------------------------- */

static void admin_want_write(struct admin_client *c, bool on)
{
	if (c->dead || c->want_write == on)
		return;
	c->want_write = on;
	loop_fd_add(c->a->srv->loop, c->fd, LOOP_READ | (on ? LOOP_WRITE : 0), admin_client_io, c);
}

void admin_send_text(struct admin_client *c, const char *text, size_t n)
{
	if (c->dead)
		return;
	if (c->out_off && c->out_off == c->out.len) {
		buf_clear(&c->out);
		c->out_off = 0;
	}
	if (n > buf_room(&c->out) && c->out_off) {
		/* The cap is on what waits, not on what was sent already. */
		buf_consume(&c->out, c->out_off);
		c->out_off = 0;
	}
	if (buf_append(&c->out, text, n) < 0) {
		char why[96];

		snprintf(why, sizeof(why), "output queue passed %zu KiB: console too slow",
			 c->a->out_cap / 1024);
		c->a->dropped++;
		admin_client_drop(c, why);
		return;
	}
	admin_want_write(c, true);
}

void admin_send(struct admin_client *c, const json_t *msg)
{
	char *text;

	if (c->dead || !msg)
		return;
	text = json_dumps(msg, JSON_COMPACT);
	if (!text)
		return;
	admin_send_text(c, text, strlen(text));
	admin_send_text(c, "\n", 1);
	free(text);
}

/* Writes what the socket takes. Returns false if the console was dropped. */
static bool admin_flush(struct admin_client *c)
{
	while (!c->dead && c->out_off < c->out.len) {
		ssize_t n = write(c->fd, c->out.data + c->out_off, c->out.len - c->out_off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				/* Sent bytes outweigh the rest: move the rest down (amortised). */
				if (c->out_off > c->out.len / 2) {
					buf_consume(&c->out, c->out_off);
					c->out_off = 0;
				}
				return true;
			}
			admin_client_drop(c, errno == EPIPE || errno == ECONNRESET
						     ? "console went away"
						     : strerror(errno));
			return false;
		}
		c->out_off += (size_t)n;
	}
	if (c->dead)
		return false;
	/* Drained: start over, and give back a large allocation. */
	if (c->out.alloc > ADMIN_KEEP_ALLOC) {
		buf_fini(&c->out);
		buf_init(&c->out, c->a->out_cap);
	} else {
		buf_clear(&c->out);
	}
	c->out_off = 0;
	admin_want_write(c, false);
	return true;
}

void admin_flush_all(struct admin *a)
{
	DLIST_FOREACH(&a->clients, it)
	{
		struct admin_client *c = dlist_entry(it, struct admin_client, link);

		if (!c->dead)
			admin_flush(c);
	}
}

/* ---- consoles -------------------------------------------------------------------- */

void admin_client_actor(const struct admin_client *c, struct buf *out)
{
	buf_printf(out, "console %u (uid %ld, pid %ld%s%s)", c->id, (long)c->uid, (long)c->pid,
		   c->name ? ", " : "", c->name ? c->name : "");
}

void admin_client_drop(struct admin_client *c, const char *why)
{
	struct admin *a = c->a;

	if (c->dead)
		return;
	c->dead = true;
	a->nclients--;
	admin_snap_changed(a);
	loop_fd_del(a->srv->loop, c->fd);
	close(c->fd);
	c->fd = -1;
	/* The queue goes now; the input framer may be mid-feed, so it goes at the reap. */
	buf_fini(&c->out);
	c->out_off = 0;
	log_info(a->srv->log, "admin: console %u closed: %s", c->id, why);
}

static void admin_client_free(struct admin_client *c)
{
	if (!c->dead)
		admin_client_drop(c, "server shutdown");
	lines_fini(&c->in);
	free(c->name);
	free(c);
}

/* Frees dropped consoles; never called during a walk over the list. */
static void admin_reap(struct admin *a)
{
	DLIST_FOREACH_SAFE(&a->clients, it, tmp)
	{
		struct admin_client *c = dlist_entry(it, struct admin_client, link);

		if (c->dead) {
			dlist_remove(&a->clients, &c->link);
			admin_client_free(c);
		}
	}
}

/* ---- requests -------------------------------------------------------------------- */

static void admin_reply(struct admin_client *c, const struct admin_request *req, bool ok,
			const char *text)
{
	json_t *m = admin_msg_reply(req->id, req->op, ok, text);

	admin_send(c, m);
	json_decref(m);
}

static void admin_op_hello(struct admin *a, struct admin_client *c, const struct admin_request *req)
{
	free(c->name);
	c->name = *req->text ? xstrdup(req->text) : NULL;
	c->readonly = req->on;
	log_info(a->srv->log, "admin: console %u is %s%s", c->id, *req->text ? req->text : "?",
		 c->readonly ? " (read-only)" : "");
	admin_reply(c, req, true, c->readonly ? "read-only" : "ready");
}

static void admin_op_ping(struct admin *a, struct admin_client *c, const struct admin_request *req)
{
	(void)a;
	admin_reply(c, req, true, "pong");
}

static void admin_op_subscribe(struct admin *a, struct admin_client *c,
			       const struct admin_request *req)
{
	char text[96];

	c->sub_stats = req->stats;
	c->sub_log = req->log;
	c->sub_conns = req->conns;
	c->interval = req->seconds;
	c->due = 0; /* the first snapshot comes now */
	snprintf(text, sizeof(text), "stats %s every %ds, log %s, connections %s",
		 c->sub_stats ? "on" : "off", c->interval, c->sub_log ? "on" : "off",
		 c->sub_conns ? "on" : "off");
	admin_reply(c, req, true, text);
	if (c->sub_stats) {
		json_t *m = admin_snap_stats(a, c->sub_conns);

		admin_send(c, m);
		json_decref(m);
		c->due = c->interval;
	}
}

static void admin_op_unsubscribe(struct admin *a, struct admin_client *c,
				 const struct admin_request *req)
{
	(void)a;
	c->sub_stats = c->sub_log = c->sub_conns = false;
	admin_reply(c, req, true, "unsubscribed");
}

static void admin_op_stats(struct admin *a, struct admin_client *c, const struct admin_request *req)
{
	json_t *snap = admin_snap_stats(a, req->conns);
	json_t *m = req->id ? json_copy(snap) : json_incref(snap);

	if (req->id)
		json_object_set(m, "id", req->id);
	admin_send(c, m);
	json_decref(m);
	json_decref(snap);
}

static void admin_op_conn(struct admin *a, struct admin_client *c, const struct admin_request *req)
{
	json_t *m = admin_snap_conn(a, req->conn);
	char why[64];

	if (!m) {
		snprintf(why, sizeof(why), "no connection %u", req->conn);
		admin_reply(c, req, false, why);
		return;
	}
	if (req->id)
		json_object_set(m, "id", req->id);
	admin_send(c, m);
	json_decref(m);
}

typedef void (*admin_op_fn)(struct admin *a, struct admin_client *c,
			    const struct admin_request *req);

/* The non-action ops; actions are admin_act(). */
static const admin_op_fn admin_handlers[ADMIN_OP_COUNT] = {
	[ADMIN_OP_HELLO] = admin_op_hello,	   [ADMIN_OP_PING] = admin_op_ping,
	[ADMIN_OP_SUBSCRIBE] = admin_op_subscribe, [ADMIN_OP_UNSUBSCRIBE] = admin_op_unsubscribe,
	[ADMIN_OP_STATS] = admin_op_stats,	   [ADMIN_OP_CONN] = admin_op_conn,
};

static void admin_error(struct admin_client *c, json_t *id, enum admin_error err, const char *why)
{
	json_t *m = admin_msg_error(id, err, why);

	c->a->errors++;
	admin_send(c, m);
	json_decref(m);
}

static void admin_client_line(void *ud, const char *line, size_t n)
{
	struct admin_client *c = ud;
	struct admin *a = c->a;
	struct admin_request req;
	struct buf why;
	enum admin_error err;

	if (c->dead)
		return;
	a->requests++;
	buf_init(&why, 4096);
	err = admin_request_parse(line, n, &req, &why);
	if (err != ADMIN_ERR_NONE) {
		admin_error(c, req.id, err, buf_cstr(&why));
	} else if (admin_op_is_action(req.op)) {
		if (c->readonly)
			admin_error(c, req.id, ADMIN_ERR_READ_ONLY,
				    "this console said it is read-only (hello readonly)");
		else
			admin_act(a, c, &req);
		admin_snap_changed(a);
	} else {
		admin_handlers[req.op](a, c, &req);
	}
	admin_request_fini(&req);
	buf_fini(&why);
}

static void admin_client_overlong(void *ud, size_t max)
{
	struct admin_client *c = ud;
	char why[80];

	c->a->requests++;
	snprintf(why, sizeof(why), "a request line is at most %zu bytes; that one was dropped",
		 max);
	admin_error(c, NULL, ADMIN_ERR_LINE_TOO_LONG, why);
}

static void admin_client_read(struct admin_client *c)
{
	char chunk[4096];
	size_t total = 0;

	while (!c->dead && total < ADMIN_READ_PASS) {
		ssize_t n = read(c->fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			admin_client_drop(c, n == 0 ? "closed by the console" : strerror(errno));
			return;
		}
		total += (size_t)n;
		lines_feed(&c->in, chunk, (size_t)n, admin_client_line, admin_client_overlong, c);
	}
}

static void admin_client_io(struct loop *loop, int fd, int mask, void *ud)
{
	struct admin_client *c = ud;
	struct admin *a = c->a;
	int64_t t0 = admin_cost_start();

	(void)loop;
	(void)fd;
	if ((mask & LOOP_WRITE) && !admin_flush(c)) {
		admin_cost_end(a, t0);
		return;
	}
	if (mask & LOOP_READ)
		admin_client_read(c);
	admin_cost_end(a, t0);
}

static void admin_refuse(struct admin *a, int fd)
{
	json_t *m = admin_msg_error(NULL, ADMIN_ERR_TOO_MANY,
				    "the server has all the consoles it takes");
	char *text = json_dumps(m, JSON_COMPACT);

	/* Best effort, one try: a new socket's buffer takes a short line. */
	if (text && write(fd, text, strlen(text)) >= 0 && write(fd, "\n", 1) < 0)
		log_debug(a->srv->log, "admin: refusal not sent");
	free(text);
	json_decref(m);
	close(fd);
}

static void admin_accept_cb(struct loop *loop, int fd, int mask, void *ud)
{
	struct admin *a = ud;
	int64_t t0 = admin_cost_start();

	(void)fd;
	(void)mask;
	for (int burst = 0; burst < 16; burst++) {
		struct admin_client *c;
		int cfd = unix_accept(&a->listener);
		json_t *hello;

		if (cfd < 0) {
			if (cfd != -EAGAIN)
				log_warn(a->srv->log, "admin: accept failed: %s", strerror(-cfd));
			break;
		}
		if (a->nclients >= a->max_clients || !loop_fd_ok(loop, cfd)) {
			log_warn(a->srv->log, "admin: console refused: %zu already connected",
				 a->nclients);
			admin_refuse(a, cfd);
			continue;
		}
		c = xcalloc(1, sizeof(*c));
		c->a = a;
		c->fd = cfd;
		c->id = ++a->next_id;
		c->interval = 1;
		if (unix_peer(cfd, &c->uid, &c->pid) < 0) {
			c->uid = (uid_t)-1;
			c->pid = 0;
		}
		lines_init(&c->in, ADMIN_LINE_MAX);
		buf_init(&c->out, a->out_cap);
		if (loop_fd_add(loop, cfd, LOOP_READ, admin_client_io, c) < 0) {
			lines_fini(&c->in);
			buf_fini(&c->out);
			close(cfd);
			free(c);
			continue;
		}
		dlist_push_back(&a->clients, &c->link);
		a->nclients++;
		admin_snap_changed(a);
		log_info(a->srv->log, "admin: console %u connected (uid %ld, pid %ld)", c->id,
			 (long)c->uid, (long)c->pid);
		hello = admin_msg_hello(a->srv->cfg.mud_name, (long)getpid(), a->srv->started_wall);
		admin_send(c, hello);
		json_decref(hello);
	}
	admin_cost_end(a, t0);
}

/* ---- log lines ------------------------------------------------------------------- */

static void admin_log_sink(void *ud, enum log_level level, const char *msg)
{
	struct admin *a = ud;
	struct timespec ts;
	json_t *m;
	char *text;
	int64_t t0;
	bool any = false;

	/* Nearly every change a snapshot shows (logins, closes, saves) is logged. */
	admin_snap_changed(a);
	DLIST_FOREACH(&a->clients, it)
	{
		struct admin_client *c = dlist_entry(it, struct admin_client, link);

		any = any || (!c->dead && c->sub_log);
	}
	if (!any)
		return;
	t0 = admin_cost_start();
	clock_gettime(CLOCK_REALTIME, &ts);
	m = admin_msg_log((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, level, msg);
	text = json_dumps(m, JSON_COMPACT);
	json_decref(m);
	if (text) {
		size_t n = strlen(text);

		text[n] = '\n';
		DLIST_FOREACH(&a->clients, it)
		{
			struct admin_client *c = dlist_entry(it, struct admin_client, link);

			if (!c->dead && c->sub_log)
				admin_send_text(c, text, n + 1);
		}
		free(text);
	}
	admin_cost_end(a, t0);
}

/* ---- life ------------------------------------------------------------------------ */

struct admin *admin_new(struct server *srv)
{
	struct admin *a;
	int rc;

	if (!*srv->cfg.admin_socket)
		return NULL;
	a = xcalloc(1, sizeof(*a));
	a->srv = srv;
	dlist_init(&a->clients);
	map_init(&a->rates, false);
	a->max_clients = (size_t)srv->cfg.admin_max_consoles;
	a->out_cap = (size_t)srv->cfg.admin_queue_kb * 1024;
	rc = unix_listener_open(&a->listener, srv->cfg.admin_socket, 0600);
	if (rc == 0 && !loop_fd_ok(srv->loop, a->listener.fd))
		rc = -EMFILE;
	if (rc == 0)
		rc = loop_fd_add(srv->loop, a->listener.fd, LOOP_READ, admin_accept_cb, a);
	if (rc < 0) {
		log_error(srv->log, "admin socket %s: %s%s; running without it",
			  srv->cfg.admin_socket, strerror(-rc),
			  rc == -EADDRINUSE ? " (another server is using it)" : "");
		unix_listener_close(&a->listener);
		map_fini(&a->rates);
		free(a);
		return NULL;
	}
	log_set_sink(srv->log, admin_log_sink, a);
	log_info(srv->log, "admin socket on %s (mode 0600)", srv->cfg.admin_socket);
	return a;
}

void admin_free(struct admin *a)
{
	if (!a)
		return;
	log_set_sink(a->srv->log, NULL, NULL);
	admin_flush_all(a);
	DLIST_FOREACH_SAFE(&a->clients, it, tmp)
	{
		struct admin_client *c = dlist_entry(it, struct admin_client, link);

		dlist_remove(&a->clients, &c->link);
		admin_client_free(c);
	}
	loop_fd_del(a->srv->loop, a->listener.fd);
	unix_listener_close(&a->listener);
	admin_countdown_fini(a);
	admin_snap_fini(a);
	map_fini(&a->rates);
	free(a);
}

/* Sends the snapshot to every subscriber whose interval is up; encodes each variant once. */
static void admin_publish(struct admin *a)
{
	char *text[2] = {NULL, NULL};

	DLIST_FOREACH(&a->clients, it)
	{
		struct admin_client *c = dlist_entry(it, struct admin_client, link);
		int v = c->sub_conns ? 1 : 0;

		if (c->dead || !c->sub_stats || --c->due > 0)
			continue;
		c->due = c->interval;
		if (!text[v]) {
			json_t *m = admin_snap_stats(a, v == 1);
			char *t = json_dumps(m, JSON_COMPACT);

			json_decref(m);
			if (!t)
				continue;
			text[v] = xmalloc(strlen(t) + 2);
			memcpy(text[v], t, strlen(t));
			memcpy(text[v] + strlen(t), "\n", 2);
			free(t);
		}
		admin_send_text(c, text[v], strlen(text[v]));
	}
	free(text[0]);
	free(text[1]);
}

void admin_second(struct admin *a)
{
	int64_t t0;

	if (!a)
		return;
	t0 = admin_cost_start();
	admin_snap_changed(a);
	admin_reap(a);
	admin_countdown_tick(a);
	if (a->nclients) {
		admin_snap_rates(a);
		admin_publish(a);
	}
	admin_cost_end(a, t0);
	a->cost_last_us = a->cost_us;
	if (a->cost_us > a->cost_max_us)
		a->cost_max_us = a->cost_us;
	a->cost_us = 0;
}
