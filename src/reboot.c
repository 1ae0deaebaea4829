/*
 * reboot.c: hot reboot. The server saves everything, hands its listening
 * and connected sockets to a freshly exec()ed binary with each
 * connection's telnet state, and every player continues where they stood,
 * without logging in again. Telnet players and ruin-bridge sessions (which
 * are telnet connections too) alike.
 *
 * Start at server_hot_reboot() (the old process) and server_restore()
 * (the new one). What passes between them is a JSON file beside the
 * database (mode 0600, deleted once read):
 *
 *   {"version":1, "started_wall":..., "listeners":[fd,...],
 *    "sessions":[{"fd":..,"id":..,"addr":"203.0.113.7","port":..,
 *                 "proxied":false,"connected_at":..,"web":false,
 *                 "character":"Ayla"|null,"tn":{...tn_save()...}}]}
 *
 * Characters travel through the database: they are saved first, in one
 * transaction, and loaded again by the new process. A session that was
 * still logging in is asked for its name again. If anything fails before
 * exec(), the reboot is called off and the game goes on; if exec() itself
 * fails, the sessions are told and closed (their telnet state was handed
 * over already) and the server keeps running for whoever reconnects.
 */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "game/world.h"
#include "net/addr.h"
#include "net/conn.h"
#include "net/tn.h"
#include "store/store.h"
#include "base/banned.h"

#define REBOOT_VERSION 1
/* How long the old process waits for each client to take its last output. */
#define REBOOT_DRAIN_MS 2000

/* The state file: beside the database, so it is on the same (private) disk. */
static void reboot_state_path(const struct server *srv, struct buf *out)
{
	const char *db = srv->cfg.database;
	const char *slash = strrchr(db, '/');

	if (slash)
		buf_append(out, db, (size_t)(slash - db + 1));
	buf_puts(out, "hot-reboot.json");
}

/* Writes what is queued for every connection, waiting at most REBOOT_DRAIN_MS. */
static void reboot_drain(struct server *srv)
{
	int64_t end = clock_mono_ms() + REBOOT_DRAIN_MS;

	for (;;) {
		bool pending = false;

		/* Queued output goes out at a flush (write-behind), the rest as sockets drain. */
		net_flush(srv->net);
		for (struct conn *c = net_first(srv->net); c; c = net_next(c))
			if (conn_pending_output(c))
				pending = true;
		if (!pending || clock_mono_ms() >= end)
			return;
		loop_poll(srv->loop, 20);
	}
}

static json_t *reboot_session(struct session *s)
{
	const struct addr *peer = conn_peer(s->conn);
	json_t *o = json_object();

	json_object_set_new(o, "fd", json_integer(conn_fd(s->conn)));
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "addr", json_string(conn_addr(s->conn)));
	json_object_set_new(o, "port", json_integer(peer->port));
	json_object_set_new(o, "proxied", json_boolean(conn_proxied(s->conn)));
	json_object_set_new(o, "connected_at", json_integer(conn_connected_at(s->conn)));
	json_object_set_new(o, "web", json_boolean(s->is_web));
	json_object_set_new(o, "character",
			    s->ch && s->state == SESSION_PLAYING ? json_string(s->ch->name)
								 : json_null());
	json_object_set_new(o, "tn", tn_save(s->tn));
	return o;
}

static int reboot_write(const char *path, json_t *state, struct buf *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || json_dumpfd(state, fd, JSON_COMPACT) < 0 || fsync(fd) < 0) {
		buf_printf(err, "cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

/* The argument list for the new process: ours, with --hot-reboot PATH last. */
static char **reboot_argv(const struct server *srv, const char *path)
{
	char **argv = xcalloc((size_t)srv->argc + 3, sizeof(*argv));
	int n = 0;

	for (int i = 0; i < srv->argc; i++) {
		if (strcmp(srv->argv[i], "--hot-reboot") == 0) {
			i++;
			continue;
		}
		argv[n++] = srv->argv[i];
	}
	argv[n++] = (char *)"--hot-reboot";
	argv[n++] = (char *)path;
	argv[n] = NULL;
	return argv;
}

int server_hot_reboot(struct server *srv, struct buf *err)
{
	json_t *state, *sessions, *listeners, **saved;
	struct conn **keep;
	struct buf path;
	int fds[16];
	size_t nfds, n = 0, kept = 0;
	char **argv;

	if (!srv->exe || access(srv->exe, X_OK) != 0) {
		buf_printf(err, "the server binary %s cannot be run again",
			   srv->exe ? srv->exe : "(unknown)");
		return -1;
	}
	world_broadcast(srv->world, "\n{Y[reboot] The world holds its breath for a moment...{x\n");
	if (server_save_all(srv) < 0) {
		buf_puts(err, "saving the characters failed, so the reboot was called off");
		world_broadcast(srv->world, "{Y[reboot] ...and lets it out. Never mind.{x\n");
		return -1;
	}
	nfds = net_listener_fds(srv->net, fds, sizeof(fds) / sizeof(fds[0]));
	listeners = json_array();
	for (size_t i = 0; i < nfds && i < sizeof(fds) / sizeof(fds[0]); i++)
		json_array_append_new(listeners, json_integer(fds[i]));
	state = json_object();
	json_object_set_new(state, "version", json_integer(REBOOT_VERSION));
	json_object_set_new(state, "started_wall", json_integer(srv->started_wall));
	json_object_set_new(state, "listeners", listeners);
	/*
	 * No connection is accepted or read from here on: a client that came
	 * during the drain below would be handed over unlisted (its socket
	 * kept, owned by nobody), and input read after tn_save() would be lost.
	 */
	net_freeze(srv->net, true);
	saved = xcalloc(net_count(srv->net) + 1, sizeof(*saved));
	keep = xcalloc(net_count(srv->net) + 1, sizeof(*keep));
	/* From here on the sessions' telnet state belongs to the next process. */
	for (struct conn *c = net_first(srv->net); c; c = net_next(c)) {
		struct session *s = conn_get_ud(c);

		if (s && !conn_closing(c) && s->state != SESSION_CLOSING) {
			keep[n] = c;
			saved[n++] = reboot_session(s);
		}
	}
	reboot_drain(srv);
	/* A socket that failed while draining is not handed over: it closes at exec(). */
	sessions = json_array();
	for (size_t i = 0; i < n; i++) {
		if (conn_closing(keep[i])) {
			json_decref(saved[i]);
			continue;
		}
		keep[kept++] = keep[i];
		json_array_append_new(sessions, saved[i]);
	}
	free(saved);
	json_object_set_new(state, "sessions", sessions);

	buf_init(&path, 4096);
	reboot_state_path(srv, &path);
	if (reboot_write(buf_cstr(&path), state, err) < 0 ||
	    net_keep_across_exec(srv->net, keep, kept) < 0)
		goto failed;
	log_info(srv->log, "hot reboot: handing %zu session(s) to %s", json_array_size(sessions),
		 srv->exe);
	/* Close what must not leak into the new process; the rest is close-on-exec. */
	store_close(srv->store);
	srv->store = NULL;
	argv = reboot_argv(srv, buf_cstr(&path));
	execv(srv->exe, argv);
	buf_printf(err, "exec %s: %s", srv->exe, strerror(errno));
	free(argv);
	unlink(buf_cstr(&path));
	{
		struct buf why;

		buf_init(&why, 4096);
		srv->store = server_store_open(srv, &why);
		if (!srv->store) {
			/* Nothing can be loaded or saved any more: stop (status 1). */
			log_error(srv->log, "database %s cannot be opened again: %s; stopping",
				  srv->cfg.database, buf_cstr(&why));
			srv->exit_code = 1;
			srv->stopping = true;
		}
		buf_fini(&why);
	}
failed:
	log_error(srv->log, "hot reboot failed: %s", buf_cstr(err));
	/* This process goes on: each session's telnet state as before the save. */
	net_close_on_exec(srv->net);
	for (size_t i = 0; i < kept; i++) {
		struct session *s = conn_get_ud(keep[i]);

		if (s && s->tn)
			tn_unsave(s->tn, json_object_get(json_array_get(sessions, i), "tn"));
	}
	free(keep);
	net_freeze(srv->net, false);
	world_broadcast(srv->world, "{Y[reboot] ...and lets it out. Never mind.{x\n");
	json_decref(state);
	buf_fini(&path);
	return -1;
}

/* ---- the new process ---------------------------------------------------- */

static void reboot_restore_session(struct server *srv, const json_t *o)
{
	const char *addr_text = json_string_value(json_object_get(o, "addr"));
	const char *name = json_string_value(json_object_get(o, "character"));
	json_int_t fd = json_integer_value(json_object_get(o, "fd"));
	json_int_t id = json_integer_value(json_object_get(o, "id"));
	struct addr client;
	struct session *s;
	struct conn *c;

	if (!addr_text || addr_parse(&client, addr_text) < 0)
		memset(&client, 0, sizeof(client));
	client.port = (uint16_t)json_integer_value(json_object_get(o, "port"));
	if (fd < 0 || fd > 1 << 20 || id <= 0 || id > UINT32_MAX) {
		log_error(srv->log, "hot reboot: a session with fd %lld, id %lld skipped",
			  (long long)fd, (long long)id);
		return;
	}
	c = net_adopt(srv->net, (int)fd, (uint32_t)id, &client,
		      json_is_true(json_object_get(o, "proxied")),
		      json_integer_value(json_object_get(o, "connected_at")));
	if (!c) {
		log_error(srv->log, "hot reboot: session %lld (fd %lld) could not be taken over",
			  (long long)id, (long long)fd);
		return;
	}
	s = session_restore(srv, c, json_object_get(o, "tn"));
	if (!s) {
		conn_close_later(c, "hot reboot: bad telnet state");
		return;
	}
	s->is_web = json_is_true(json_object_get(o, "web"));
	if (!name || nanny_resume(s, name) < 0) {
		session_echo(s, true);
		session_puts(s, "\n{Y[reboot] The world is back. Please log in again.{x\n");
		nanny_greet(s);
	}
}

int server_restore(struct server *srv, const char *path)
{
	json_error_t jerr;
	json_t *state = json_load_file(path, 0, &jerr), *v;
	size_t i, restored = 0;

	unlink(path);
	if (!json_is_object(state) ||
	    json_integer_value(json_object_get(state, "version")) != REBOOT_VERSION) {
		log_error(srv->log, "hot reboot: %s is not a state this server wrote%s%s", path,
			  state ? "" : ": ", state ? "" : jerr.text);
		json_decref(state);
		return -1;
	}
	json_array_foreach(json_object_get(state, "listeners"), i, v)
	{
		int port = net_adopt_listener(srv->net, (int)json_integer_value(v));

		if (port < 0)
			log_error(srv->log, "hot reboot: listener %lld: %s",
				  (long long)json_integer_value(v), strerror(-port));
	}
	srv->started_wall = json_integer_value(json_object_get(state, "started_wall"));
	json_array_foreach(json_object_get(state, "sessions"), i, v)
	{
		reboot_restore_session(srv, v);
		restored++;
	}
	log_info(srv->log, "hot reboot complete: %zu session(s) taken over, listening on port %d",
		 restored, net_listen_port(srv->net));
	json_decref(state);
	return net_listen_port(srv->net) > 0 ? 0 : -1;
}
