/*
 * wsout.h: the JSON messages ruin-bridge sends a browser (docs/protocol.md,
 * "WebSocket JSON"). Pure: text and GMCP in, JSON text out.
 *
 * Every function appends exactly one JSON object to out: {"type":...,
 * ...,"timestamp":<ms>}. Strings are escaped so the result is always valid
 * JSON in valid UTF-8, whatever bytes came in (invalid UTF-8 becomes
 * U+FFFD). ts is milliseconds since the Unix epoch (wsout_now_ms()).
 *
 * GMCP from the server becomes:
 *   Room.Info          {"type":"update","event":"room_description","data":{room_id, name,
 *                       description, area, environment, coords, exits:[..],
 *                       exit_rooms:{..}, players:[..], items:[..]}}
 *                       (+ players_more: others in a crowd, not named)
 *   Char.Vitals        {"type":"update","event":"vitals","data":{..as sent..}}
 *   Comm.Channel.Text  {"type":"broadcast","event":"player_action","data":{player_name,
 *                       action, message, channel, text}}
 *   anything else      {"type":"gmcp","package":..,"data":..}
 */
#ifndef RUIN_BRIDGE_WSOUT_H
#define RUIN_BRIDGE_WSOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* What wsout_gmcp() made, so a session can keep the latest of each state. */
enum wsout_kind {
	WSOUT_ROOM,	 /* update room_description */
	WSOUT_VITALS,	 /* update vitals */
	WSOUT_BROADCAST, /* broadcast player_action */
	WSOUT_GMCP,	 /* gmcp, passed through */
};

/* Milliseconds since the Unix epoch (wall clock). */
int64_t wsout_now_ms(void);

/* Appends s (n bytes) as a JSON string literal, quotes included. */
void wsout_string(struct buf *out, const char *s, size_t n);

void wsout_text(struct buf *out, const char *text, size_t n, int64_t ts);
void wsout_prompt(struct buf *out, const char *text, size_t n, int64_t ts);
void wsout_echo(struct buf *out, bool enabled, int64_t ts);
/*
 * {"type":"session","state":state[,"resume_token":token][,"reason":reason]
 *  [,"resume_window_s":window_s]}: token and reason may be NULL; window_s
 *  is only written with a token.
 */
void wsout_session(struct buf *out, const char *state, const char *token, int window_s,
		   const char *reason, int64_t ts);
/* {"type":"error","code":code,"message":message} */
void wsout_error(struct buf *out, const char *code, const char *message, int64_t ts);

/*
 * Appends the message for one GMCP message from the server (package, and
 * its JSON text of n bytes, "" for none). Returns its kind, or -1 (and
 * appends nothing) if the JSON does not parse.
 */
int wsout_gmcp(struct buf *out, const char *package, const char *json, size_t n, int64_t ts);
/*
 * wsout_gmcp for the player named self (NULL: not known yet). Room.Info
 * lists everyone in the room, the player it went to included; the
 * browser's players are the others, so self is left out of them.
 */
int wsout_gmcp_for(struct buf *out, const char *package, const char *json, size_t n,
		   const char *self, int64_t ts);

/*
 * The last few GMCP translations. A broadcast (a say to a room, the
 * weather's hour) reaches every session in the room as the same bytes,
 * and each copy was parsed and dumped by jansson again: at 1,000 sessions,
 * a fifth of the bridge's CPU. The memo keeps each translation without
 * its timestamp. 32 of them: output that waited for a later turn (loop.c)
 * is translated a session at a time, each with several broadcasts in it
 * (a login storm's arrivals and room updates); with 4, every one was a
 * miss and the bridge fell seconds behind. Owned by the caller:
 * wsout_memo_init() / _fini().
 */
#define WSOUT_MEMO_SLOTS 32
#define WSOUT_MEMO_KEEP	 4096 /* longer GMCP (package, self, JSON) is translated each time */
#define WSOUT_MEMO_NAME	 64   /* longer names of readers get a translation each */
struct wsout_memo_slot {
	struct buf key;	 /* package, NUL, which readers it is for, NUL, the JSON */
	struct buf body; /* the translation up to its timestamp */
	int kind;
	uint64_t used; /* memo clock of the last use; 0: empty */
};
struct wsout_memo {
	struct wsout_memo_slot slot[WSOUT_MEMO_SLOTS];
	uint64_t clock;
	uint64_t hits, misses;
};
void wsout_memo_init(struct wsout_memo *m);
void wsout_memo_fini(struct wsout_memo *m);
/*
 * wsout_gmcp_for() through the memo: the same package and JSON are
 * translated once (Room.Info once for the readers it lists, each, and once
 * for all the others), and each message gets its own timestamp. Same
 * results and returns.
 */
int wsout_gmcp_memo(struct wsout_memo *m, struct buf *out, const char *package, const char *json,
		    size_t n, const char *self, int64_t ts);

/* The full direction name for a server exit key ("n" -> "north"); the key itself if unknown. */
const char *wsout_direction(const char *key);

#endif
