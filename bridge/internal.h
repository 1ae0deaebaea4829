/*
 * internal.h: what bridge.c, session.c, session_write.c, loop.c and status.c
 * share inside ruin-bridge (no other folder includes it).
 *
 * One struct bridge (made by main.c through bridge_new) owns the
 * libwebsockets context, the settings, the counters and every session. A
 * struct session is one browser's game session: the browser's WebSocket
 * (ws, NULL while the browser is away), the telnet connection to
 * ruin-server (up), the telnet client state machine (tnc), and the JSON
 * messages waiting for the browser (outq). It lives until both sockets are
 * gone; see session.c, and session_write.c for its writing.
 */
#ifndef RUIN_BRIDGE_INTERNAL_H
#define RUIN_BRIDGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "base/buf.h"
#include "base/list.h"
#include "base/log.h"
#include "base/map.h"
#include "base/rate.h"
#include "bridge.h"
#include "outq.h"
#include "peer.h"
#include "settings.h"
#include "tnc.h"
#include "wsframe.h"
#include "wsout.h"

#define BRIDGE_VERSION "0.1.0"
/* The WebSocket subprotocol of the JSON messages (docs/protocol.md). */
#define BRIDGE_SUBPROTOCOL "ruin.v1"

/* Counters, in total and per session (docs/protocol.md, "Status"). */
struct counters {
	uint64_t bytes_from_server, bytes_to_server;
	uint64_t bytes_to_browser, bytes_from_browser;
	uint64_t msgs_to_browser, msgs_from_browser;
	uint64_t errors;       /* error messages sent for bad input */
	uint64_t rate_limited; /* messages refused by the rate limit */
	uint64_t output_lost;  /* messages dropped from a full resume buffer */
	uint64_t gmcp_repeats; /* GMCP state the browser had already, not sent again */
};

struct bridge_totals {
	struct counters c;
	uint64_t sessions;	  /* sessions started */
	uint64_t resumes;	  /* successful resumes */
	uint64_t resume_failed;	  /* unknown or expired tokens */
	uint64_t upstream_failed; /* could not reach ruin-server */
	uint64_t dropped_slow;	  /* browsers dropped for not reading */
	uint64_t refused_origin, refused_limit, refused_path;
	uint64_t deferred; /* reads from ruin-server kept for a later turn (loop.c) */
};

struct bridge {
	struct settings cfg;
	struct log *log;
	struct lws_context *ctx;
	void *loop;		       /* the libuv loop lws runs on (uv_loop_t: loop.c) */
	struct lws_vhost *web;	       /* browsers: HTTP and WebSocket */
	struct lws_vhost *up;	       /* connections to ruin-server, and the signal fd */
	struct lws_http_mount *mounts; /* /status and the web client's files */
	struct peer_nets trusted, status_allow;
	struct dlist sessions;	/* every struct session */
	struct dlist watched;	/* sessions away or paused: the sweep's (session_watch) */
	struct dlist deferred;	/* sessions with output kept for later (loop.c) */
	void *defer_idle;	/* uv_idle_t that translates it; NULL without a loop */
	struct map tokens;	/* resume token -> struct session */
	struct map per_address; /* browser address -> session count (as uintptr_t) */
	struct bridge_totals totals;
	lws_sorted_usec_list_t sweep; /* the once-a-second timer */
	lws_retry_bo_t idle_policy;   /* pings and hang-ups of idle browsers */
	struct buf scratch;	      /* one JSON message at a time */
	struct buf frames, deflated;  /* a turn's frames for one browser; one message compressed */
	struct wsout_memo memo;	      /* GMCP translations a broadcast shares */
	unsigned char repeat_key[16]; /* keys the hashes of session.repeat */
	struct buf line, why;	      /* a browser message's line and refusal */
	uint32_t next_id;
	int64_t started_ms;
	int signal_fd;
	bool stopping;
	int exit_code;
};

enum session_state {
	SESSION_CONNECTING, /* waiting for ruin-server to accept */
	SESSION_PLAYING,    /* telnet connection up */
	SESSION_LOST,	    /* telnet connection gone; told the browser, closing */
};

#define SESSION_NSTATE	5 /* latest-state slots: see session_state_packages */
#define SESSION_NREPEAT 5 /* repeat slots: see session_repeat_slot() */

struct session {
	struct dlink link;	 /* in bridge.sessions */
	struct dlink defer_link; /* in bridge.deferred while pend holds bytes */
	struct dlink watch_link; /* in bridge.watched while away or paused */
	struct bridge *br;
	uint32_t id;
	enum session_state state;
	struct lws *ws; /* the browser, NULL while away */
	struct lws *up; /* ruin-server, NULL once closed */
	struct tnc *tnc;
	char addr[PEER_ADDR_MAX]; /* the browser's address (counted per address) */
	char *token;		  /* current resume token, NULL if none */
	char *browser;		  /* short browser name */
	char *self;		  /* the character's name (GMCP Char.Name), NULL until known */
	struct outq out;	  /* JSON for the browser, in order */
	struct outq ctl;	  /* session/echo messages that go before out */
	struct buf upbuf;	  /* bytes for ruin-server (LWS_PRE bytes of headroom first) */
	struct buf rx;		  /* a browser message arriving in fragments */
	struct buf pend;	  /* read from ruin-server, not yet translated (loop.c) */
	struct buf latest[SESSION_NSTATE]; /* latest room, vitals, ... for a resume */
	struct wsframe_deflate pmd;	   /* compression toward the browser (its connection's) */
	uint64_t repeat[SESSION_NREPEAT];  /* hashes of the state the browser has (0: none) */
	struct counters c;
	struct rate rate; /* messages it may send now (rate_per_s, rate_burst) */
	int64_t started_ms;
	int64_t detached_ms;		  /* when the browser went away (0: attached) */
	int64_t paused_ms;		  /* when reading from the server paused (0: not paused) */
	int64_t rate_error_ms;		  /* last rate_limited error sent */
	int64_t asked_ms;		  /* when the browser last sent a command or GMCP */
	lws_sorted_usec_list_t flush_sul; /* sends a part line nobody finished */
	size_t lost_while_away;		  /* messages dropped from the resume buffer */
	bool rx_too_big;		  /* the message being received passed max_message */
	bool rx_binary;
	bool close_ws;	/* close the browser once out is drained */
	bool ws_failed; /* the browser broke the protocol: its socket closes with 1007 now */
	bool defer_ws;	/* inside session_up_receive: it pushes to the browser at its end */
	bool defer_up;	/* inside session_ws_receive: it pushes to the server at its end */
	bool upstream_reported; /* "lost" already queued */
	bool tls;		/* the browser came over TLS */
	bool pend_paused;	/* reading from the server paused until pend is translated */
};

/* Who a new browser is, as bridge.c found out at the WebSocket upgrade. */
struct session_peer {
	const char *addr;	   /* canonical address (behind a trusted proxy: the browser's) */
	const char *proxy_line;	   /* the PROXY v1 line for ruin-server */
	const char *user_agent;	   /* "" if none */
	bool tls;		   /* https/wss (directly or at the trusted proxy) */
	struct wsframe_params pmd; /* what its permessage-deflate offer lets us send */
};

/* ---- session.c ---- */

/* Makes a session for a browser that just connected on ws, and starts
 * connecting to ruin-server. NULL if even that failed (the caller closes ws). */
struct session *session_new(struct bridge *br, struct lws *ws, const struct session_peer *peer);
/* The browser on ws presents token: moves that session to ws, which
 * compresses with pmd. NULL if no session has that token (the caller starts
 * a new one). */
struct session *session_resume(struct bridge *br, struct lws *ws, const char *token,
			       const struct wsframe_params *pmd);
/* Asks lws to close the server connection soon (outside its own callbacks). */
void session_close_up(struct session *s);
/* One complete or partial frame from the browser. */
void session_ws_receive(struct session *s, const char *in, size_t len, bool first, bool final,
			bool binary);
/* The browser socket closed. */
void session_ws_closed(struct session *s);
/* ruin-server connection events. connected: -1 if the browser left meanwhile (close it). */
int session_up_connected(struct session *s, struct lws *up);
/* Bytes from ruin-server: translated now if the browser is waiting for an
 * answer, else kept for loop.c. Returns -1 to close the server connection
 * (it broke the protocol). */
int session_up_receive(struct session *s, const char *in, size_t len);
/* Translates what s kept (loop.c's idle handler) and takes it off the queue. */
void session_up_drain(struct session *s);
void session_up_closed(struct session *s, const char *reason);
/* Once a second, for the sessions on bridge.watched: resume windows, slow browsers. */
void session_tick(struct session *s, int64_t now_ms);
/* Puts s on bridge.watched while it is away or paused, takes it off when neither;
 * called after either changes. */
void session_watch(struct session *s);
/* Shutting down: tell the browser, close both sides. */
void session_shutdown(struct session *s);
/* Bytes this session holds in its own buffers. */
size_t session_memory(const struct session *s);

/* ---- session_write.c ---- */

/* Stops (true) or resumes (false) reading from ruin-server; a no-op unless playing. */
void session_pause(struct session *s, bool pause);
/* Moves br->scratch (one JSON message) into q (s->out or s->ctl) and wakes the browser. */
void session_queue_on(struct session *s, struct outq *q);
/* session_queue_on() on s->out, the game's output (kept for a resume while away). */
void session_queue(struct session *s);
/* Counts dropped messages of game output as lost (told at the resume, in /status). */
void session_lose(struct session *s, size_t dropped);
/* Queues {"type":"error"} for the browser. */
void session_send_error(struct session *s, const char *code, const char *message);
/* Sends s->upbuf now unless the server's socket is choked (then asks); closes on failure. */
void session_up_push(struct session *s);
/* Sends the browser's queues now unless its socket is choked (then asks); closes on failure. */
void session_ws_push(struct session *s);
/* The browser socket can take a frame. Returns -1 to close it. */
int session_ws_writeable(struct session *s);
/* ruin-server's socket can take bytes: sends s->upbuf. 0, or -1 to close it. */
int session_up_writeable(struct session *s);

/* ---- loop.c ---- */

/* Makes br->loop (a uv_loop_t) and the deferred queue's idle handle. 0 or -1. */
int bridge_loop_open(struct bridge *br, struct buf *err);
/* Closes both, after every handle on the loop has finished closing. */
void bridge_loop_close(struct bridge *br);
/* Queues s (once) for translation on a later turn; -1 if there is no loop. */
int defer_add(struct bridge *br, struct session *s);
/* Takes s off the queue if it is on it. */
void defer_remove(struct bridge *br, struct session *s);

/* ---- bridge.c ---- */

int64_t bridge_now_ms(void);
/* The bridge a connection belongs to. */
struct bridge *bridge_of(struct lws *wsi);
/* The address and port of a socket's peer (with local: its own end), canonical. 0 or -1. */
int bridge_sock_addr(int fd, bool local, char addr[PEER_ADDR_MAX], unsigned *port);
/* Starts the telnet connection for s; 0 or -1. */
int bridge_connect_upstream(struct bridge *br, struct session *s);
/* Per-address counting. */
void bridge_address_add(struct bridge *br, const char *addr);
void bridge_address_remove(struct bridge *br, const char *addr);
size_t bridge_address_count(const struct bridge *br, const char *addr);

/* ---- status.c ---- */

/* Per-request data of GET /status. */
struct status_pss {
	char *body;
	size_t len, sent;
};

/* Appends the counters and sessions as one JSON object. */
void status_json(const struct bridge *br, struct buf *out);
/* The "ruin-http" protocol callback: GET /status for status_allow, 403 for others. */
int status_http_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		   size_t len);

#endif
