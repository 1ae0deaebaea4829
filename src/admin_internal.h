/*
 * admin_internal.h: what admin.c, admin_act.c and admin_snap.c share and no
 * other file sees: the admin state, one console's state, and the calls
 * between the three files.
 */
#ifndef RUIN_ADMIN_INTERNAL_H
#define RUIN_ADMIN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "admin.h"
#include "admin_proto.h"
#include "base/buf.h"
#include "base/lines.h"
#include "base/list.h"
#include "base/map.h"
#include "net/unix.h"

/* Input lines longer than this are refused (requests are small). */
#define ADMIN_LINE_MAX ((size_t)16 * 1024)
/* Seconds of per-second history in each snapshot. */
#define ADMIN_HISTORY 120
/* A snapshot this fresh is handed out again. */
#define ADMIN_SNAP_REUSE_MS 200

/* One connected console. */
struct admin_client {
	struct dlink link; /* in admin->clients */
	struct admin *a;
	int fd;	     /* -1 once dropped */
	uint32_t id; /* 1, 2, ... for logs and the audit actor */
	uid_t uid;
	pid_t pid;
	char *name; /* from hello; NULL until then */
	bool readonly;
	bool dead; /* dropped: no more I/O; freed by admin_reap() */
	bool sub_stats, sub_log, sub_conns;
	int interval; /* seconds between snapshots */
	int due;      /* seconds until the next one */
	struct lines in;
	struct buf out; /* queued: out.data[out_off .. out.len) */
	size_t out_off;
	bool want_write; /* LOOP_WRITE armed */
};

/* A shutdown or reboot counting down. */
struct admin_countdown {
	bool active;
	bool reboot;
	int64_t deadline_ms; /* clock_mono_ms() when the server stops */
	int last_announced;  /* seconds left at the last announcement */
	char *message;	     /* the admin's reason; "" for none */
};

/* Per-connection byte counts at the last second, for rates. */
struct admin_rate {
	uint64_t in, out;	    /* totals at the last sample */
	uint64_t in_rate, out_rate; /* bytes in the last second */
	uint64_t gen;		    /* admin->rate_gen when last seen */
};

struct admin {
	struct server *srv;
	struct unix_listener listener;
	struct dlist clients;
	size_t nclients; /* live (not dead) consoles */
	uint32_t next_id;
	size_t max_clients;
	size_t out_cap;
	struct admin_countdown countdown;
	struct map rates; /* decimal conn id -> struct admin_rate */
	uint64_t rate_gen;
	/* Cost of the admin socket to the loop, in microseconds. */
	int64_t cost_us;	   /* this second so far */
	int64_t cost_last_us;	   /* the last whole second */
	int64_t cost_max_us;	   /* the most in any second */
	uint64_t dropped;	   /* consoles dropped for falling behind */
	uint64_t requests, errors; /* requests handled, refused */
	json_t *snap[2];	   /* the last snapshot without and with connections */
	int64_t snap_ms[2];	   /* when each was built (clock_mono_ms) */
};

/* ---- admin.c ---- */

/* Queues msg (one JSON line) for c; drops c if its queue would pass the cap. */
void admin_send(struct admin_client *c, const json_t *msg);
/* Queues already-encoded text (whole lines) for c, with the same cap. */
void admin_send_text(struct admin_client *c, const char *text, size_t n);
/*
 * Writes every console's queue as far as its socket takes it now, without
 * blocking (before a hot reboot's exec(), which no queue survives).
 */
void admin_flush_all(struct admin *a);
/* Marks c dropped: closes its socket now, frees it at the next admin_reap(). */
void admin_client_drop(struct admin_client *c, const char *why);
/* "console 3 (uid 1000, pid 4242, ruin-console 0.1)": who did it, for the audit. */
void admin_client_actor(const struct admin_client *c, struct buf *out);

/* ---- admin_act.c ---- */

/*
 * Runs one action request (admin_op_is_action(req->op)): does it, writes
 * it to the audit table and the log, and replies to c.
 */
void admin_act(struct admin *a, struct admin_client *c, const struct admin_request *req);
/* Advances a countdown (once a second); stops the server when it ends. */
void admin_countdown_tick(struct admin *a);
void admin_countdown_fini(struct admin *a);

/* ---- admin_snap.c ---- */

/* Samples every connection's byte counts (once a second), for rates. */
void admin_snap_rates(struct admin *a);
/*
 * A stats snapshot {"type":"stats",...}, with the connections table if
 * conns. A new reference to an object that may be shared: copy it before
 * changing it. One built less than ADMIN_SNAP_REUSE_MS ago is handed out
 * again, so a console asking in a loop costs little, unless
 * admin_snap_changed() said something happened since.
 */
json_t *admin_snap_stats(struct admin *a, bool conns);
/* {"type":"conn","conn":{...everything...}} for one connection, or NULL if none. */
json_t *admin_snap_conn(struct admin *a, uint32_t id);
/* Something a snapshot shows changed (a log line, a console, an action, a second). */
void admin_snap_changed(struct admin *a);
void admin_snap_fini(struct admin *a);

#endif
