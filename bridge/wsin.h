/*
 * wsin.h: the JSON messages a browser sends ruin-bridge (docs/protocol.md,
 * "WebSocket JSON"). Pure: one text frame in, one verdict out.
 *
 *   {"type":"command","command":"say hello"}                 a line, as typed
 *   {"type":"command","action":"move","direction":"north"}   a whitelisted action
 *   {"type":"gmcp","package":"Core.Ping","data":{}}           whitelisted GMCP
 *   {"type":"resize","cols":120,"rows":40}                    window size (NAWS)
 *
 * Fields a browser adds that we do not read (player_id, room_id, timestamp)
 * are ignored: who a player is comes from the session, never the message.
 * Every refusal has a stable code (WSIN_E_*) and an English explanation.
 */
#ifndef RUIN_BRIDGE_WSIN_H
#define RUIN_BRIDGE_WSIN_H

#include <stddef.h>

#include "base/buf.h"

/* Error codes, as sent in {"type":"error","code":...}. */
#define WSIN_E_BAD_JSON	      "bad_json"       /* not JSON, or not an object */
#define WSIN_E_BAD_TYPE	      "bad_type"       /* no "type", or not a string */
#define WSIN_E_UNKNOWN_TYPE   "unknown_type"   /* a type we do not take */
#define WSIN_E_BAD_FIELD      "bad_field"      /* a field missing or of the wrong type */
#define WSIN_E_UNKNOWN_ACTION "unknown_action" /* an action not in the whitelist */
#define WSIN_E_TOO_LONG	      "too_long"       /* the command is over the line limit */
#define WSIN_E_GMCP_REFUSED   "gmcp_refused"   /* a GMCP package a browser may not send */

#define WSIN_MAX_PACKAGE 64

enum wsin_kind {
	WSIN_LINE,   /* text holds one input line (valid UTF-8, no control characters but TAB) */
	WSIN_GMCP,   /* package; text holds the data as JSON ("" for none) */
	WSIN_RESIZE, /* cols, rows (1-65535) */
};

struct wsin_msg {
	enum wsin_kind kind;
	char package[WSIN_MAX_PACKAGE + 1];
	unsigned cols, rows;
};

/*
 * Parses one text frame of n bytes. On success returns NULL and fills msg
 * and text (cleared first). On refusal returns the error code and appends
 * the explanation to why. A line longer than max_command bytes is refused.
 */
const char *wsin_parse(const char *frame, size_t n, size_t max_command, struct wsin_msg *msg,
		       struct buf *text, struct buf *why);

/* The i-th action name of the whitelist, NULL past the end (for docs and tests). */
const char *wsin_action_name(size_t i);

#endif
