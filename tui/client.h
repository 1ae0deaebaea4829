/*
 * client.h: ruin-console's end of the admin socket (docs/admin.md "The
 * admin socket"), with no curses in it.
 *
 * A client keeps one non-blocking connection to the server's unix socket
 * and never waits on it: the caller polls client_fd() for
 * client_poll_events() and calls client_io() when it is ready, and
 * client_tick() to reconnect (every few seconds, for as long as it takes)
 * after the server went away. Messages come back as events: the
 * connection's state, stats snapshots decoded into struct snap (model.h),
 * log lines, replies and errors, one connection's details.
 *
 * On every (re)connect it waits for the server's hello, checks the
 * protocol version, then says hello (name, readonly) and subscribes as
 * configured. Start reading at client_tick() and client_feed() in client.c.
 */
#ifndef RUIN_TUI_CLIENT_H
#define RUIN_TUI_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "model.h"

#define CLIENT_PROTO_VERSION 1

enum client_state {
	CLIENT_OFFLINE, /* not connected; retrying */
	CLIENT_WAITING, /* connected, waiting for the server's hello */
	CLIENT_READY,	/* hello seen, subscribed */
};

struct client_config {
	const char *path;	/* the admin socket */
	const char *name;	/* sent in hello, e.g. "ruin-console 0.1" */
	bool readonly;		/* told to the server, which then refuses actions too */
	bool stats, log, conns; /* what to subscribe to; nothing if all false */
	int interval;		/* seconds between snapshots (>= 1) */
};

/* A reply to a request, or an error the server sent. */
struct client_reply {
	int64_t id;	  /* the request's id; 0 if none (or an unsolicited error) */
	bool ok;	  /* reply ok:true */
	bool error;	  /* a {"type":"error"} message (protocol refusal), not a reply */
	const char *op;	  /* the reply's op ("" for errors) */
	const char *code; /* the error's code ("" for replies) */
	const char *text; /* message, error or reason ("" if none) */
};

struct client_events {
	/* The connection changed state; why says what happened ("" if nothing to
	 * say). */
	void (*state)(void *ud, enum client_state st, const char *why);
	/* A stats snapshot; the callee takes it over (s is zeroed after). */
	void (*stats)(void *ud, struct snap *s);
	void (*log)(void *ud, int64_t ts_ms, int level, const char *msg);
	void (*reply)(void *ud, const struct client_reply *r);
	/* The details of one connection: {"id":..,"caps":{..},...} (borrowed). */
	void (*conn)(void *ud, json_t *conn);
};

struct client;

/* cfg is copied (strings too) and ev is copied; any event may be NULL. Never
 * NULL. */
struct client *client_new(const struct client_config *cfg, const struct client_events *ev,
			  void *ud);
void client_free(struct client *c);

/* The socket to poll, or -1 while offline. */
int client_fd(const struct client *c);
/* POLLIN, plus POLLOUT while requests are queued. */
short client_poll_events(const struct client *c);
/* Reads and writes as poll said (revents), without blocking; events come out. */
void client_io(struct client *c, short revents);
/*
 * Connects when offline and a retry is due (at once the first time), and
 * gives up on a server that sent no hello in time. Returns the ms until it
 * next needs calling (for poll's timeout).
 */
int client_tick(struct client *c, int64_t now_ms);
enum client_state client_state(const struct client *c);
/* Why the last connection ended or failed ("" if never). */
const char *client_error(const struct client *c);
/* clock_mono_ms() of the last message from the server (0 if none yet). */
int64_t client_last_message_ms(const struct client *c);
/* Changes what to subscribe to, now (if ready) and on every reconnect. */
void client_subscribe(struct client *c, bool stats, bool log, bool conns, int interval);

/*
 * Queues a request (an object with "op"; borrowed), adding a fresh "id".
 * Returns the id (> 0), or -1 if not ready or the queue is full.
 */
int64_t client_request(struct client *c, json_t *req);

/* ---- below the socket (also for tests) ---------------------------------------------- */

/* Takes over a connected socket fd (made non-blocking) and waits for hello. */
void client_attach(struct client *c, int fd, int64_t now_ms);
/* Feeds bytes as if read from the socket: framing, decoding, events. */
void client_feed(struct client *c, const char *bytes, size_t n);
/* Requests queued and not yet written. */
const struct buf *client_pending(const struct client *c);
/*
 * Decodes a {"type":"stats"} message into out (zeroed first; snap_fini()
 * frees it). Missing fields read as 0 or "". Returns 0, or -1 if msg is not
 * a stats message.
 */
int client_decode_snap(json_t *msg, struct snap *out);

#endif
