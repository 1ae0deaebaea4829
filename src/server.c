/*
 * server.c: the composition root, the one place where net/, game/, script/
 * and store/ meet. It builds them from the config, runs the loop, keeps the
 * 10 Hz pulse, implements the world's world_ops (send, data, save,
 * disconnect) over sessions and the store, and shuts down cleanly.
 *
 * Start reading at server_run(): each pass waits for sockets or the next
 * pulse, runs one queued command per session (round-robin), runs due
 * pulses, sends prompts, then reaps what was extracted and closed.
 */
#include "server.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "admin.h"
#include "game/world.h"
#include "net/addr.h"
#include "net/conn.h"
#include "net/loop.h"
#include "script/script.h"
#include "store/store.h"
#include "base/banned.h"

#define SERVER_PULSE_MS 100
/* A loop this many pulses behind skips ahead instead of running them all. */
#define SERVER_MAX_CATCHUP 10

/* ---- world_ops ---------------------------------------------------------------- */

static void server_ops_send(void *ud, uint32_t session, const char *markup, size_t n)
{
	struct session *s = session_find(ud, session);

	if (s)
		session_send(s, markup, n);
}

static void server_ops_data(void *ud, uint32_t session, const char *package, const char *json)
{
	struct session *s = session_find(ud, session);

	if (s)
		session_send_gmcp(s, package, json);
}

static bool server_ops_wants(void *ud, uint32_t session, const char *package)
{
	struct session *s = session_find(ud, session);

	return s && session_wants_gmcp(s, package);
}

static int server_ops_save(void *ud, struct character *ch)
{
	return server_save_request(ud, ch);
}

static int server_ops_save_now(void *ud, struct character *ch)
{
	return server_save_now(ud, ch);
}

static void server_ops_disconnect(void *ud, uint32_t session)
{
	struct session *s = session_find(ud, session);

	if (!s)
		return;
	s->ch = NULL;
	session_close(s, NULL, "quit");
}

static void server_ops_describe(void *ud, uint32_t session, struct buf *out)
{
	struct session *s = session_find(ud, session);

	if (!s) {
		buf_puts(out, "link-dead");
		return;
	}
	buf_printf(out, "%s, ", session_kind(s));
	session_client(s, out);
	buf_printf(out, ", from %s, idle %llds", conn_addr(s->conn),
		   (long long)((clock_mono_ms() - s->last_input_ms) / 1000));
}

static int server_ops_hot_reboot(void *ud, struct buf *out)
{
	struct server *srv = ud;

	if (!srv->exe || access(srv->exe, X_OK) != 0) {
		buf_printf(out, "the server binary %s cannot be run again",
			   srv->exe ? srv->exe : "(unknown)");
		return -1;
	}
	srv->hot_reboot_pending = true;
	return 0;
}

/* ---- connections -------------------------------------------------------------- */

static void server_on_open(void *ud, struct conn *c)
{
	struct server *srv = ud;
	struct session *s = session_new(srv, c);

	log_info(srv->log, "session %u: connection from %s", s->id, conn_addr(c));
	nanny_greet(s);
}

static void server_on_data(void *ud, struct conn *c, const char *bytes, size_t n)
{
	struct session *s = conn_get_ud(c);

	(void)ud;
	if (s)
		session_recv(s, bytes, n);
}

static void server_on_close(void *ud, struct conn *c, const char *reason)
{
	struct server *srv = ud;
	struct session *s = conn_get_ud(c);

	if (!s)
		return;
	log_info(srv->log, "session %u (%s%s%s): closed: %s", s->id, conn_addr(c),
		 s->ch ? ", " : "", s->ch ? s->ch->name : "", reason);
	conn_set_ud(c, NULL);
	session_free(s);
}

static void server_on_proxy(void *ud, struct conn *c)
{
	struct server *srv = ud;
	struct session *s = conn_get_ud(c);

	log_info(srv->log, "session %u: proxied for %s", s ? s->id : conn_id(c), conn_addr(c));
}

static const struct net_callbacks server_net_callbacks = {
	.on_open = server_on_open,
	.on_data = server_on_data,
	.on_close = server_on_close,
	.on_proxy = server_on_proxy,
};

/* ---- MSSP --------------------------------------------------------------------- */

size_t server_mssp(struct server *srv, const char **names, const char **values, size_t max,
		   struct buf *storage)
{
	/* Offsets into storage, turned into pointers once it stops growing. */
	size_t offs[64], n = 0;
	char players[32], uptime[32], port[16], areas[16], rooms[16];
	size_t nareas = 0;

	for (const struct area *a = world_areas(srv->world); a; a = a->next)
		nareas++;
	snprintf(players, sizeof(players), "%zu", world_player_count(srv->world));
	snprintf(uptime, sizeof(uptime), "%lld", (long long)srv->started_wall);
	snprintf(port, sizeof(port), "%d", net_listen_port(srv->net));
	snprintf(areas, sizeof(areas), "%zu", nareas);
	snprintf(rooms, sizeof(rooms), "%zu", world_room_count(srv->world));
	{
		const char *pairs[][2] = {
			{"NAME", srv->cfg.mud_name},
			{"PLAYERS", players},
			{"UPTIME", uptime},
			{"CODEBASE", "Forgotten Ruin"},
			{"PORT", port},
			{"CHARSET", "UTF-8"},
			{"LANGUAGE", "English"},
			{"FAMILY", "Custom"},
			{"GENRE", "Fantasy"},
			{"GAMEPLAY", "Adventure"},
			{"STATUS", "Alpha"},
			{"AREAS", areas},
			{"ROOMS", rooms},
			{"LEVELS", "10"},
			{"MINIMUM AGE", "0"},
			{"ANSI", "1"},
			{"UTF-8", "1"},
			{"XTERM 256 COLORS", "1"},
			{"XTERM TRUE COLORS", "1"},
			{"GMCP", "1"},
			{"MCCP", srv->cfg.mccp ? "1" : "0"},
			{"MSDP", "0"},
			{"MXP", "0"},
			{"PUEBLO", "0"},
			{"VT100", "0"},
			{"SSL", "0"},
			{"WEBSITE", "http://localhost:4080/"},
		};
		size_t count = sizeof(pairs) / sizeof(pairs[0]);

		for (size_t i = 0; i < count && n < max && 2 * n + 1 < 64; i++) {
			offs[2 * n] = storage->len;
			buf_append(storage, pairs[i][0], strlen(pairs[i][0]) + 1);
			offs[2 * n + 1] = storage->len;
			buf_append(storage, pairs[i][1], strlen(pairs[i][1]) + 1);
			n++;
		}
	}
	if (storage->err)
		return 0;
	for (size_t i = 0; i < n; i++) {
		names[i] = storage->data + offs[2 * i];
		values[i] = storage->data + offs[2 * i + 1];
	}
	return n;
}

/* ---- signals ------------------------------------------------------------------ */

static void server_reload_config(struct server *srv)
{
	struct config fresh;
	struct buf err;

	if (!srv->config_path)
		return;
	config_init(&fresh);
	buf_init(&err, 8192);
	if (config_load_file(&fresh, srv->config_path, true, &err) < 0) {
		log_error(srv->log, "SIGHUP: %s not reloaded:\n%s", srv->config_path,
			  buf_cstr(&err));
	} else {
		int level = log_level_parse(fresh.log_level);

		if (level >= 0)
			log_set_level(srv->log, (enum log_level)level);
		srv->cfg.login_timeout_s = fresh.login_timeout_s;
		srv->cfg.login_failures = fresh.login_failures;
		srv->cfg.login_window_s = fresh.login_window_s;
		srv->cfg.max_commands_queued = fresh.max_commands_queued;
		srv->cfg.max_commands_per_s = fresh.max_commands_per_s;
		srv->cfg.idle_timeout_s = fresh.idle_timeout_s;
		srv->cfg.linkdead_timeout_s = fresh.linkdead_timeout_s;
		srv->cfg.autosave_s = fresh.autosave_s;
		world_set_timeouts(srv->world, fresh.linkdead_timeout_s, fresh.autosave_s,
				   fresh.idle_timeout_s);
		log_info(srv->log,
			 "SIGHUP: reloaded %s (log level, login limits and timeouts; "
			 "ports, paths and sizes take effect after a restart)",
			 srv->config_path);
	}
	buf_fini(&err);
	config_fini(&fresh);
}

static void server_signal_cb(struct loop *loop, int fd, int mask, void *ud)
{
	struct server *srv = ud;
	struct signalfd_siginfo si;

	(void)loop;
	(void)mask;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info(srv->log, "signal %s: shutting down",
				 si.ssi_signo == SIGTERM ? "TERM" : "INT");
			srv->stopping = true;
			break;
		case SIGUSR2:
			/* As nginx does: USR2 upgrades to the binary on disk, in place. */
			log_info(srv->log, "signal USR2: hot reboot requested");
			srv->hot_reboot_pending = true;
			break;
		case SIGHUP:
			if (log_reopen(srv->log) < 0)
				log_error(srv->log, "SIGHUP: cannot reopen the log file");
			server_reload_config(srv);
			break;
		default:
			break;
		}
	}
}

static int server_signals_open(void)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* ---- building ----------------------------------------------------------------- */

static int server_write_port_file(struct server *srv, int port)
{
	FILE *fp;

	if (!*srv->cfg.port_file)
		return 0;
	fp = fopen(srv->cfg.port_file, "w");
	if (!fp) {
		log_error(srv->log, "cannot write %s: %s", srv->cfg.port_file, strerror(errno));
		return -errno;
	}
	fprintf(fp, "%d\n", port);
	fclose(fp);
	return 0;
}

/* ---- the scripts' persistent state, in the store ------------------------------ */

/*
 * The scripts' way to the store. Their ud is the server, not the store: a
 * hot reboot that fails after closing the store opens a new one.
 */
static int server_state_load(void *ud, const char *area, struct buf *out)
{
	struct server *srv = ud;

	return srv->store ? store_area_state_get(srv->store, area, out, NULL) : -EIO;
}

static int server_state_save(void *ud, const char *area, const char *json)
{
	struct server *srv = ud;

	return srv->store ? store_area_state_put(srv->store, area, json) : -EIO;
}

static int server_memory_load(void *ud, int64_t char_id, const char *area, struct buf *out)
{
	struct server *srv = ud;

	return srv->store ? store_memory_get(srv->store, char_id, area, "memory", out) : -EIO;
}

static int server_memory_save(void *ud, int64_t char_id, const char *area, const char *json)
{
	struct server *srv = ud;

	/* A character's save: written in its transaction (save.c). */
	if (srv->filling)
		return server_save_add_memory(srv->filling, area, json);
	return srv->store ? store_memory_put(srv->store, char_id, area, "memory", json) : -EIO;
}

int server_reload_area(struct server *srv, const char *area_id, struct buf *out)
{
	return scripts_reload_area(srv->scripts, area_id, out);
}

static int server_ops_reload(void *ud, const char *area_id, struct buf *out)
{
	return server_reload_area(ud, area_id, out);
}

static int server_load_world(struct server *srv)
{
	struct script_config scfg = {0};
	struct buf errors;
	int problems;

	scfg.areas_dir = srv->cfg.areas_dir;
	scfg.lua_dir = srv->cfg.lua_dir;
	scfg.mem_limit = (size_t)srv->cfg.lua_memory_kb * 1024;
	scfg.instr_budget = srv->cfg.lua_instructions;
	scfg.store_ud = srv;
	scfg.state_load = server_state_load;
	scfg.state_save = server_state_save;
	scfg.memory_load = server_memory_load;
	scfg.memory_save = server_memory_save;
	srv->scripts = scripts_new(srv->world, srv->log, &scfg);
	if (!srv->scripts)
		return -1;
	buf_init(&errors, (size_t)1 << 20);
	problems = scripts_load_all(srv->scripts, &errors);
	if (problems) {
		log_error(srv->log,
			  "the world has %d problem(s); fix them (ruin-server --check %s):\n%s",
			  problems, srv->cfg.areas_dir, buf_cstr(&errors));
		buf_fini(&errors);
		return -1;
	}
	buf_fini(&errors);
	world_reset_all(srv->world);
	log_info(srv->log, "world loaded: %zu rooms", world_room_count(srv->world));
	return 0;
}

struct server *server_new(struct config *cfg, const struct server_args *args, struct log *lg)
{
	struct server *srv = xcalloc(1, sizeof(*srv));
	struct net_config ncfg = {0};
	struct world_config wcfg = {0};
	struct world_ops ops = {
		.ud = srv,
		.send = server_ops_send,
		.data = server_ops_data,
		.wants = server_ops_wants,
		.save = server_ops_save,
		.save_now = server_ops_save_now,
		.disconnect = server_ops_disconnect,
		.describe_session = server_ops_describe,
		.reload_area = server_ops_reload,
		.hot_reboot = server_ops_hot_reboot,
	};
	struct buf err;
	enum loop_backend backend;
	int port;

	srv->cfg = *cfg;
	memset(cfg, 0, sizeof(*cfg));
	srv->config_path = args->config_path ? xstrdup(args->config_path) : NULL;
	srv->argc = args->argc;
	srv->argv = args->argv;
	srv->exe = realpath("/proc/self/exe", NULL);
	srv->log = lg;
	srv->signal_fd = -1;
	srv->started_ms = clock_mono_ms();
	srv->started_wall = clock_wall_s();
	stats_init(&srv->stats);
	session_cache_init(srv);
	map_init(&srv->throttle_addr, false);
	map_init(&srv->throttle_name, false);
	buf_init(&err, 4096);

	if (strcmp(srv->cfg.loop_backend, "select") == 0) {
		backend = LOOP_SELECT;
	} else if (strcmp(srv->cfg.loop_backend, "epoll") == 0) {
		backend = LOOP_EPOLL;
	} else {
		log_error(lg, "loop_backend: '%s' is not select or epoll", srv->cfg.loop_backend);
		goto fail;
	}
	srv->loop = loop_new(backend, 0);
	if (!srv->loop) {
		log_error(lg, "cannot start the %s event loop", srv->cfg.loop_backend);
		goto fail;
	}
	srv->trusted = addr_list_new(srv->cfg.trusted_proxies, &err);
	if (!srv->trusted) {
		log_error(lg, "trusted_proxies: %s", buf_cstr(&err));
		goto fail;
	}

	srv->store = server_store_open(srv, &err);
	if (!srv->store) {
		log_error(lg, "database %s: %s", srv->cfg.database, buf_cstr(&err));
		goto fail;
	}

	wcfg.linkdead_timeout_s = srv->cfg.linkdead_timeout_s;
	wcfg.autosave_s = srv->cfg.autosave_s;
	wcfg.idle_timeout_s = srv->cfg.idle_timeout_s;
	wcfg.start_room = *srv->cfg.start_room ? srv->cfg.start_room : NULL;
	wcfg.mud_name = srv->cfg.mud_name;
	srv->world = world_new(lg, &ops, &wcfg);
	if (server_load_world(srv) < 0)
		goto fail;

	ncfg.max_conns = (size_t)srv->cfg.max_connections;
	ncfg.max_per_addr = (size_t)srv->cfg.max_per_address;
	ncfg.output_cap = (size_t)srv->cfg.output_cap_kb * 1024;
	ncfg.trusted = srv->trusted;
	ncfg.io_uring = srv->cfg.io_uring;
	srv->net = net_new(srv->loop, &ncfg, &server_net_callbacks, srv, lg);
	if (args->hot_reboot_state)
		port = server_restore(srv, args->hot_reboot_state) < 0 ? -EBADF
								       : net_listen_port(srv->net);
	else
		port = net_listen(srv->net, srv->cfg.bind, srv->cfg.port);
	if (port < 0) {
		log_error(lg, "cannot listen on %s port %d: %s", srv->cfg.bind, srv->cfg.port,
			  strerror(-port));
		goto fail;
	}
	srv->signal_fd = server_signals_open();
	if (srv->signal_fd < 0 ||
	    loop_fd_add(srv->loop, srv->signal_fd, LOOP_READ, server_signal_cb, srv) < 0) {
		log_error(lg, "cannot watch signals: %s", strerror(errno));
		goto fail;
	}
	srv->admin = admin_new(srv);
	if (server_write_port_file(srv, port) < 0)
		goto fail;
	log_info(lg, "%s listening on %s port %d (%s loop)", srv->cfg.mud_name, srv->cfg.bind, port,
		 loop_backend_name(srv->loop));
	buf_fini(&err);
	return srv;
fail:
	buf_fini(&err);
	server_free(srv);
	return NULL;
}

void server_free(struct server *srv)
{
	size_t pos = 0;
	void *v;

	if (!srv)
		return;
	if (srv->net) {
		net_shutdown(srv->net, "server shutdown");
		net_free(srv->net);
	}
	if (srv->world)
		world_reap(srv->world);
	scripts_free(srv->scripts);
	world_free(srv->world);
	store_close(srv->store);
	addr_list_free(srv->trusted);
	if (srv->signal_fd >= 0) {
		if (srv->loop)
			loop_fd_del(srv->loop, srv->signal_fd);
		close(srv->signal_fd);
	}
	admin_free(srv->admin);
	loop_free(srv->loop);
	while (map_next(&srv->throttle_addr, &pos, NULL, &v))
		free(v);
	pos = 0;
	while (map_next(&srv->throttle_name, &pos, NULL, &v))
		free(v);
	map_fini(&srv->throttle_addr);
	map_fini(&srv->throttle_name);
	session_cache_fini(srv);
	config_fini(&srv->cfg);
	free(srv->config_path);
	free(srv->exe);
	free(srv);
}

/* ---- the loop ----------------------------------------------------------------- */

/*
 * Runs one queued command per session that has one (srv->input_ready, in
 * turn: a session with more goes to the back). Returns true if any input
 * is left. Only sessions with input are looked at, not every connection.
 */
static bool server_run_commands(struct server *srv)
{
	bool more = false, hashed = false;
	size_t turns = srv->input_ready.count;
	int64_t now = clock_mono_ms();

	while (turns-- > 0 && !dlist_empty(&srv->input_ready)) {
		struct session *s =
			dlist_entry(srv->input_ready.head.next, struct session, input_link);

		dlist_remove(&srv->input_ready, &s->input_link);
		if (!session_has_input(s))
			continue;
		/*
		 * A password check costs an argon2id hash (about 25 ms): at most
		 * one per pass, so logins cannot stall the game.
		 */
		if (session_wants_hash(s)) {
			if (hashed) {
				dlist_push_back(&srv->input_ready, &s->input_link);
				more = true;
				continue;
			}
			hashed = true;
		}
		if (!session_take_turn(s, now)) {
			/* Past max_commands_per_s: it waits for its next turn. */
			s->throttled = true;
			s->wake_ms = session_next_turn_ms(s, now);
			dlist_push_back(&srv->throttled, &s->input_link);
			continue;
		}
		session_run_one(s);
		if (session_has_input(s) && !dlink_linked(&s->input_link)) {
			dlist_push_back(&srv->input_ready, &s->input_link);
			more = true;
		}
	}
	return more;
}

/*
 * The throttled sessions whose next turn has come go back in line, one
 * turn at a time: a flooder runs a command every 1/max_commands_per_s
 * seconds, never a burst that would hold others up. Returns true if any
 * did; *next is when the next of the others has a turn (INT64_MAX: none).
 */
static bool server_unthrottle(struct server *srv, int64_t now, int64_t *next)
{
	bool any = false;

	*next = INT64_MAX;
	DLIST_FOREACH_SAFE(&srv->throttled, it, tmp)
	{
		struct session *s = dlist_entry(it, struct session, input_link);

		if (s->wake_ms > now) {
			if (s->wake_ms < *next)
				*next = s->wake_ms;
			continue;
		}
		dlist_remove(&srv->throttled, &s->input_link);
		s->throttled = false;
		dlist_push_back(&srv->input_ready, &s->input_link);
		any = true;
	}
	return any;
}

/* Once a second: pre-login idle timeouts and the stats history. */
static void server_second(struct server *srv)
{
	int64_t now = clock_mono_ms();
	struct net_stats ns;

	for (struct conn *c = net_first(srv->net); c; c = net_next(c)) {
		struct session *s = conn_get_ud(c);

		if (!s || s->state == SESSION_PLAYING || s->state == SESSION_CLOSING)
			continue;
		if (now - s->last_input_ms > (int64_t)srv->cfg.login_timeout_s * 1000) {
			session_echo(s, true);
			session_close(s, "\nIdle too long at the door. Goodbye.\n",
				      "login timeout");
		}
	}
	net_stats(srv->net, &ns);
	stats_bytes(&srv->stats, ns.bytes_in - srv->last_bytes_in,
		    ns.bytes_out - srv->last_bytes_out);
	srv->last_bytes_in = ns.bytes_in;
	srv->last_bytes_out = ns.bytes_out;
	stats_second(&srv->stats);
	admin_second(srv->admin);
	nanny_sweep(srv);
}

static void server_pulse(struct server *srv)
{
	int64_t t0 = clock_mono_us();

	/* Autosaves made during the pulse are written in one transaction after it. */
	server_batch_begin(srv);
	world_pulse(srv->world);
	scripts_pulse(srv->scripts);
	server_batch_end(srv);
	stats_pulse(&srv->stats, (uint32_t)(clock_mono_us() - t0));
}

/* Prompts the sessions that had output this pass (srv->prompt_due), not every one. */
static void server_flush_prompts(struct server *srv)
{
	size_t n = srv->prompt_due.count;

	while (n-- > 0 && !dlist_empty(&srv->prompt_due)) {
		struct session *s =
			dlist_entry(srv->prompt_due.head.next, struct session, prompt_link);

		dlist_remove(&srv->prompt_due, &s->prompt_link);
		session_flush_prompt(s);
	}
}

struct store *server_store_open(struct server *srv, struct buf *err)
{
	struct store_config stcfg = {0};

	stcfg.hash.ops = (unsigned long long)srv->cfg.pwhash_ops;
	stcfg.hash.mem = (size_t)srv->cfg.pwhash_mem_kb * 1024;
	return store_open(srv->cfg.database, &stcfg, srv->log, err);
}

/* Saves every player in one transaction, tells them, and closes everything. */
static void server_shutdown(struct server *srv)
{
	if (server_save_all(srv) < 0) {
		/* A reboot asked for (status 3) is still one: the supervisor restarts. */
		if (srv->exit_code == 0)
			srv->exit_code = 1;
		world_broadcast(
			srv->world,
			"\n{YThe world grows still. The server is shutting down, and saving "
			"your character failed: your last moments may be lost.{x\n");
	} else {
		world_broadcast(srv->world, "\n{YThe world grows still. The server is shutting "
					    "down; your character has been saved.{x\n");
	}
	/*
	 * Everyone is saved and told; closing a session must not tell all the
	 * others that one lost its link (a full room made that quadratic).
	 */
	srv->closing_all = true;
	net_shutdown(srv->net, "server shutdown");
	world_reap(srv->world);
}

/* Runs a requested hot reboot at a safe point: between loop passes. */
static void server_reboot_now(struct server *srv)
{
	struct buf err;

	srv->hot_reboot_pending = false;
	buf_init(&err, 4096);
	server_hot_reboot(srv, &err); /* returns only if it failed */
	for (struct character *ch = world_next_char(srv->world, NULL); ch;
	     ch = world_next_char(srv->world, ch))
		if (ch->pc && (ch->pc->roles & PLAYER_ROLE_ADMIN))
			world_sendf(srv->world, ch, "{R[admin] Hot reboot failed: %s{x\n",
				    buf_cstr(&err));
	buf_fini(&err);
}

int server_run(struct server *srv)
{
	bool more = false;
	int64_t next_turn = INT64_MAX; /* the next throttled session's turn */

	srv->next_pulse_ms = clock_mono_ms() + SERVER_PULSE_MS;
	srv->next_second_ms = clock_mono_ms() + 1000;
	while (!srv->stopping) {
		int64_t now = clock_mono_ms();
		int64_t wake = next_turn < srv->next_pulse_ms ? next_turn : srv->next_pulse_ms;
		int64_t wait = more ? 0 : wake - now;
		int rc;

		if (wait < 0)
			wait = 0;
		rc = loop_poll(srv->loop, (int)wait);
		if (rc < 0) {
			log_error(srv->log, "event loop failed: %s", strerror(-rc));
			srv->exit_code = 1;
			break;
		}
		if (!dlist_empty(&srv->throttled))
			server_unthrottle(srv, clock_mono_ms(), &next_turn);
		more = server_run_commands(srv);
		now = clock_mono_ms();
		if (now - srv->next_pulse_ms > SERVER_MAX_CATCHUP * SERVER_PULSE_MS) {
			log_warn(srv->log, "the loop fell %lld ms behind; skipping pulses",
				 (long long)(now - srv->next_pulse_ms));
			srv->next_pulse_ms = now;
		}
		while (now >= srv->next_pulse_ms) {
			server_pulse(srv);
			srv->next_pulse_ms += SERVER_PULSE_MS;
		}
		next_turn = INT64_MAX;
		if (!dlist_empty(&srv->throttled))
			more |= server_unthrottle(srv, now, &next_turn);
		if (now >= srv->next_second_ms) {
			server_second(srv);
			srv->next_second_ms += 1000;
			if (now > srv->next_second_ms)
				srv->next_second_ms = now + 1000;
		}
		server_flush_prompts(srv);
		world_reap(srv->world);
		net_reap(srv->net);
		if (srv->hot_reboot_pending)
			server_reboot_now(srv);
	}
	server_shutdown(srv);
	return srv->exit_code;
}
