/*
 * admin_proto.h: the admin socket's protocol, server side, without sockets:
 * one request line in, a checked struct admin_request out; and the JSON
 * messages the server sends back (hello, reply, error, log, the pulse
 * figures of a stats snapshot). docs/admin.md "The admin socket" is the
 * protocol as a console author reads it; this header is its contract.
 *
 * Every message is one JSON object on one line. The server speaks first,
 * {"type":"hello","version":1,...}; a console then sends requests
 * {"op":"<name>", "id":<any number or string, echoed>, ...arguments}.
 * Requests are checked against a table (admin_proto.c, admin_ops[]): each op
 * names its arguments with their types and bounds, so a bad request gets an
 * error naming the argument and never reaches the game. Unknown argument
 * names are refused too (a typo must not silently mean a default).
 *
 * Start reading at admin_request_parse(). Framing (lines, the length cap) is
 * base/lines.h; the socket and the actions are admin.c.
 */
#ifndef RUIN_ADMIN_PROTO_H
#define RUIN_ADMIN_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/log.h"
#include "stats.h"

#define ADMIN_PROTO_VERSION 1
/* Longest text argument (a broadcast, a kick message), in bytes. */
#define ADMIN_TEXT_MAX 1000
/* Longest countdown for shutdown and reboot, in seconds. */
#define ADMIN_DELAY_MAX 3600
/* Longest subscription interval, in seconds. */
#define ADMIN_INTERVAL_MAX 3600

enum admin_op {
	ADMIN_OP_HELLO,	      /* client, readonly: who is asking (for the audit log) */
	ADMIN_OP_PING,	      /* -> reply */
	ADMIN_OP_SUBSCRIBE,   /* stats, log, conns (default all true), interval */
	ADMIN_OP_UNSUBSCRIBE, /* stop every subscription */
	ADMIN_OP_STATS,	      /* one stats snapshot now; conns (default true) */
	ADMIN_OP_CONN,	      /* conn: one connection in full */
	ADMIN_OP_KICK,	      /* conn, message */
	ADMIN_OP_BROADCAST,   /* message */
	ADMIN_OP_RELOAD,      /* area */
	ADMIN_OP_SHUTDOWN,    /* delay, message */
	ADMIN_OP_REBOOT,      /* delay, message; or hot (no countdown: nobody disconnects) */
	ADMIN_OP_CANCEL,      /* cancel a shutdown or reboot countdown */
	ADMIN_OP_WIZLOCK,     /* on */
	ADMIN_OP_LOGLEVEL,    /* level */
	ADMIN_OP_COUNT
};

/* Why a request was refused; admin_error_code() names each one on the wire. */
enum admin_error {
	ADMIN_ERR_NONE = 0,
	ADMIN_ERR_BAD_JSON,	 /* not JSON, or not one object */
	ADMIN_ERR_NO_OP,	 /* no "op" string */
	ADMIN_ERR_UNKNOWN_OP,	 /* an op the table does not have */
	ADMIN_ERR_BAD_ARGUMENT,	 /* missing, unknown, mistyped or out of bounds */
	ADMIN_ERR_LINE_TOO_LONG, /* the line passed the cap (framing) */
	ADMIN_ERR_READ_ONLY,	 /* an action from a console that said readonly */
	ADMIN_ERR_TOO_MANY,	 /* the server has all the consoles it takes */
	ADMIN_ERR_COUNT
};

/*
 * A checked request. Strings point into json and live as long as the
 * request; absent optional arguments hold their defaults.
 */
struct admin_request {
	enum admin_op op;
	json_t *json;		/* the parsed line (owned) */
	json_t *id;		/* the request's "id" (borrowed from json), or NULL */
	uint32_t conn;		/* conn, kick: a connection id (> 0) */
	const char *text;	/* kick, broadcast, shutdown, reboot: message ("" if none);
				   reload: area; hello: client */
	int seconds;		/* shutdown, reboot: delay (0..ADMIN_DELAY_MAX, default 0);
				   subscribe: interval (1..ADMIN_INTERVAL_MAX, default 1) */
	bool on;		/* wizlock: on; hello: readonly */
	bool hot;		/* reboot: a hot reboot (exec, connections kept) */
	bool stats, log, conns; /* subscribe (each default true); stats: conns */
	enum log_level level;	/* loglevel */
};

/* True for the ops that change the game (kick ... loglevel): audited, refused when read-only. */
bool admin_op_is_action(enum admin_op op);
/* The op's name on the wire ("kick"); "?" for a bad value. */
const char *admin_op_name(enum admin_op op);
/* The error's code on the wire ("bad_json", "unknown_op", ...). */
const char *admin_error_code(enum admin_error err);

/*
 * Parses and checks one request line (n bytes; NUL bytes make it bad JSON).
 * On success returns ADMIN_ERR_NONE and fills req, which the caller frees
 * with admin_request_fini(). On failure returns the error, appends a
 * one-line English reason to why, and leaves req zeroed except req->id
 * (a new reference, or NULL) so the error can still be matched to its
 * request: admin_request_fini() frees it either way.
 */
enum admin_error admin_request_parse(const char *line, size_t n, struct admin_request *req,
				     struct buf *why);
void admin_request_fini(struct admin_request *req);

/* ---- messages to consoles (each a new reference) -------------------------- */

/* {"type":"hello","version":1,"server":name,"pid":..,"started":wall s,"ops":[...]} */
json_t *admin_msg_hello(const char *server_name, long pid, int64_t started_wall);
/* {"type":"error","id":id,"code":..,"message":why}; id may be NULL. */
json_t *admin_msg_error(json_t *id, enum admin_error err, const char *why);
/*
 * {"type":"reply","id":id,"op":..,"ok":ok, and "message":text if ok, else
 * "error":text}. id may be NULL; text may be NULL.
 */
json_t *admin_msg_reply(json_t *id, enum admin_op op, bool ok, const char *text);
/*
 * {"type":"log","ts":wall ms,"level":"info","msg":text}. Invalid UTF-8 in
 * text is repaired first (a log line may quote what a player typed).
 */
json_t *admin_msg_log(int64_t wall_ms, enum log_level level, const char *text);
/*
 * The pulse part of a stats snapshot, from the server's stats:
 * {"budget_us","pulses","overruns","max_ever_us",
 *  "windows":{"10s":{"p50_us","p99_us","max_us","n"},"60s":{...}},
 *  "history":{"pulse_max_us":[..],"pulses":[..],"commands":[..],
 *             "bytes_in":[..],"bytes_out":[..]}}
 * with history_len finished seconds at most, oldest first.
 */
json_t *admin_msg_pulse(const struct stats *st, size_t history_len);
/*
 * Percentiles over the last `last` pulses of st's ring (fewer if fewer were
 * recorded), computed as stats_summarize() does. Returns how many pulses
 * were used.
 */
size_t admin_pulse_window(const struct stats *st, size_t last, uint32_t *p50, uint32_t *p99,
			  uint32_t *max);

/*
 * Appends msg as one compact line with "\n" to out, all or nothing.
 * Returns 0; BUF_ERR_FULL if it does not fit (nothing appended, out->err
 * set, as for any struct buf append); -EINVAL if msg cannot be encoded.
 */
int admin_encode(struct buf *out, const json_t *msg);

#endif
