/*
 * server.h: the composition root. struct server joins the layers: the event
 * loop and connections (net/), the telnet state machines (net/tn), the world
 * (game/), the Lua areas (script/) and the database (store/).
 *
 * Start reading at server_run() in server.c: one pass of the loop waits for
 * sockets or the next pulse, runs one queued command per session
 * round-robin, runs the 10 Hz pulses that are due, sends prompts, and reaps
 * closed connections and extracted objects.
 *
 * Files of this layer: main.c (arguments, signals), server.c (loop, pulses,
 * world_ops, shutdown), session.c (one connection: telnet, input queue,
 * rendering, prompts), nanny.c (login and character creation), config.c,
 * stats.c. Only these files see more than one layer.
 */
#ifndef RUIN_SERVER_H
#define RUIN_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/list.h"
#include "base/log.h"
#include "base/map.h"
#include "base/rate.h"
#include "config.h"
#include "stats.h"

struct loop;
struct net;
struct conn;
struct tn;
struct store;
struct world;
struct scripts;
struct character;
struct addr_list;
struct server_batch;
struct server_save;
struct admin;

/* Where a session is in its life. */
enum session_state {
	SESSION_NAME,		  /* asked for a name */
	SESSION_CONFIRM_NAME,	  /* new name: "Did I get that right?" */
	SESSION_NEW_PASSWORD,	  /* new character: choose a password */
	SESSION_CONFIRM_PASSWORD, /* ... and again */
	SESSION_PRONOUNS,	  /* new character: they / he / she */
	SESSION_PATH,		  /* new character: fighter / scout / scholar */
	SESSION_PASSWORD,	  /* existing character: password */
	SESSION_PLAYING,
	SESSION_CLOSING, /* saying goodbye; input ignored */
};

/* One queued input line. */
struct session_line {
	struct dlink link;
	size_t len;
	char text[]; /* NUL-terminated */
};

struct session {
	struct server *srv;
	struct conn *conn;
	struct dlink input_link;  /* in srv->input_ready (or srv->throttled) while lines wait */
	struct dlink prompt_link; /* in srv->prompt_due while need_prompt */
	uint32_t id;		  /* == conn_id(conn); what the world knows the player by */
	struct tn *tn;
	enum session_state state;
	struct character *ch; /* while playing */
	char *name;	      /* during login: the name given */
	char *password;	      /* during creation: the first password, wiped after use */
	int pronouns;	      /* during creation */
	int password_failures;
	struct dlist lines;    /* queued input, oldest first */
	size_t dropped_lines;  /* input dropped since the last warning */
	int64_t last_input_ms; /* the last whole line */
	int64_t recv_ms;       /* the clock at the last read (session_recv) */
	bool need_prompt;      /* output went out since the last prompt */
	bool at_prompt;	       /* the last thing sent was a prompt */
	bool is_web;	       /* a browser through ruin-bridge */
	bool throttled;	       /* input_link is in srv->throttled, not input_ready */
	struct rate turns;     /* commands it may run now (session_take_turn) */
	int64_t wake_ms;       /* while throttled: when it has a turn again */
};

/*
 * The last few messages rendered (session.c): markup in, telnet bytes out
 * for one color level, width and charset. A say to a crowd is rendered
 * once per way of rendering it, not once per listener, and consecutive
 * looks at an unchanged room share one rendering too.
 */
#define SESSION_RENDER_SLOTS 4
struct session_render {
	struct buf markup; /* the key: the message as the world sent it, */
	int color, width;  /* its color level, wrap width (0: no wrap, prompts) */
	int charset;	   /* and enum tn_charset */
	struct buf wire;   /* what tn_send_converted() sends */
	uint64_t used;	   /* cache clock of the last use, for replacement */
};
struct session_cache {
	struct session_render slot[SESSION_RENDER_SLOTS];
	struct buf colored, wrapped; /* the steps in between */
	struct buf big;		     /* a message too long to keep: rendered here, once */
	struct buf prompt;	     /* session_flush_prompt() draws each prompt here */
	uint64_t clock;
	uint64_t hits, misses;
};

/* A failed-login counter for one address or one name. */
struct throttle {
	int failures;
	int64_t window_start_ms;
};

struct server {
	struct config cfg;
	struct log *log;
	struct loop *loop;
	struct net *net;
	struct addr_list *trusted;
	struct store *store;
	struct world *world;
	struct scripts *scripts;
	int signal_fd;
	int64_t started_ms;
	int64_t started_wall;
	int64_t next_pulse_ms;
	int64_t next_second_ms;
	struct stats stats;
	uint64_t last_bytes_in, last_bytes_out;
	struct map throttle_addr;    /* address -> struct throttle */
	struct map throttle_name;    /* lower-cased name -> struct throttle */
	struct server_batch *batch;  /* saves being batched (save.c), or NULL */
	struct server_save *filling; /* the save whose script memory is being copied (save.c) */
	char *config_path;	     /* re-read on SIGHUP; NULL if none */
	char *exe;		     /* this binary's path at start, exec()ed by a hot reboot */
	int argc;		     /* the command line (borrowed from main) */
	char **argv;
	bool stopping;
	bool closing_all; /* shutdown, after the save: sessions close without link-dead messages */
	bool hot_reboot_pending; /* SIGUSR2, the admin console or `reboot hot` asked for one */
	int exit_code;
	struct admin *admin;	     /* the admin socket (admin.h); NULL if none */
	struct dlist input_ready;    /* sessions with queued lines, in turn order */
	struct dlist throttled;	     /* sessions past max_commands_per_s, until their wake_ms */
	struct dlist prompt_due;     /* sessions whose prompt goes out at the end of the pass */
	struct session_cache render; /* session.c */
	bool wizlock;		     /* only admins may log in (set from the admin socket) */
};

/* ---- server.c ---- */

/* Builds the server from cfg (taken over: the server frees it). NULL on failure (logged). */
/* What main() hands the server besides the settings. */
struct server_args {
	const char *config_path; /* re-read on SIGHUP; NULL if none */
	int argc;		 /* the command line, for a hot reboot's exec() */
	char **argv;
	const char *hot_reboot_state; /* set in the process a hot reboot started */
};

/*
 * Builds the server from cfg (taken over: the server frees it) and args
 * (borrowed for the server's life). NULL on failure (logged).
 */
struct server *server_new(struct config *cfg, const struct server_args *args, struct log *lg);
void server_free(struct server *srv);
/* Opens the database with the configured settings (start-up, a failed hot reboot). */
struct store *server_store_open(struct server *srv, struct buf *err);
/* Runs until SIGTERM/SIGINT or a shutdown; returns the exit status. */
int server_run(struct server *srv);
/* ---- save.c ---- */

/* Saves every player in the world, linked or not, in one transaction. 0 or negative. */
int server_save_all(struct server *srv);
/* Saves one player now (its own transaction). 0 or negative. */
int server_save_player(struct server *srv, struct character *ch);
/*
 * Saves ch: at once, or, between server_batch_begin() and _end(), copied
 * into the batch that _end() writes in one transaction. 0 or negative.
 */
int server_save_request(struct server *srv, struct character *ch);
/* While a save is filled: one area's ch:memory() text, to be written with it. 0. */
int server_save_add_memory(struct server_save *save, const char *area, const char *json);
/*
 * Saves ch in its own transaction now, batch or not (it is leaving the
 * world), dropping a copy of it the batch holds. 0 or negative.
 */
int server_save_now(struct server *srv, struct character *ch);
void server_batch_begin(struct server *srv);
/* Writes the batch; on failure its characters stay unsaved and admins are told. */
int server_batch_end(struct server *srv);
/*
 * Live reload of one area's scripts (in-game `reload area`, the admin
 * console): appends the report to out; 0 when the new version runs, else
 * the number of problems (the old version runs on). See scripts_reload_area.
 */
int server_reload_area(struct server *srv, const char *area_id, struct buf *out);
/* The mud's MSSP variables (names[i] = values[i]); returns how many, at most max. */
size_t server_mssp(struct server *srv, const char **names, const char **values, size_t max,
		   struct buf *storage);

/* ---- reboot.c ---- */

/*
 * Hot reboot: saves everything and exec()s the server binary again, handing
 * it the listeners and every session. Returns only on failure (-1, with the
 * reason in err): before exec() the game simply goes on; if exec() failed
 * the sessions were told and closed.
 */
int server_hot_reboot(struct server *srv, struct buf *err);
/* In the new process: takes over the listeners and sessions from path (deleted). */
int server_restore(struct server *srv, const char *path);

/* ---- session.c ---- */

/* The server's rendering cache and session lists, made empty; _fini frees the cache. */
void session_cache_init(struct server *srv);
void session_cache_fini(struct server *srv);
/* Made in on_open: greets the client and starts telnet negotiation. */
struct session *session_new(struct server *srv, struct conn *conn);
/*
 * A session taken over at a hot reboot: its telnet state rebuilt from
 * tn_save()'s object, nothing sent. NULL if that state is unusable.
 */
struct session *session_restore(struct server *srv, struct conn *conn, const json_t *tn_state);
/*
 * Called from on_close: the character goes link-dead (except at shutdown,
 * srv->closing_all: it stays as saved, no one told), the session is freed.
 */
void session_free(struct session *s);
void session_recv(struct session *s, const char *bytes, size_t n);
/* Sends markup rendered for this client (color level, charset). */
void session_send(struct session *s, const char *markup, size_t n);
void session_puts(struct session *s, const char *markup);
void session_sendf(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Plain text (no markup parsing), e.g. echo of what the client sent. */
void session_send_plain(struct session *s, const char *text);
/* Sends a prompt (markup) with EOR/GA. */
void session_prompt(struct session *s, const char *markup);
/* Sends a GMCP message if the client asked for the package (session_wants_gmcp). */
void session_send_gmcp(struct session *s, const char *package, const char *json);
/* True if the client takes GMCP and asked for package (tn_gmcp_wants). */
bool session_wants_gmcp(const struct session *s, const char *package);
/* Wipes and frees the password kept during character creation. */
void session_wipe_password(struct session *s);
/* Runs the oldest queued line, if any. Returns true if one ran. */
bool session_run_one(struct session *s);
bool session_has_input(const struct session *s);
/*
 * Takes one of s's turns to run a command at monotonic ms `now`: false
 * when it has none left. Turns come back at max_commands_per_s, up to
 * max_commands_queued in hand, so a burst (a pasted speedwalk) runs at
 * once and a sustained flood at the configured rate.
 */
bool session_take_turn(struct session *s, int64_t now);
/* After session_take_turn() said no at `now`: when s has a turn again. */
int64_t session_next_turn_ms(const struct session *s, int64_t now);
/* True if the next line will cost a password hash (login, creation). */
bool session_wants_hash(const struct session *s);
/* Sends the game prompt if output went out since the last one. */
void session_flush_prompt(struct session *s);
void session_echo(struct session *s, bool on);
/* Says text, then closes once output drained. */
void session_close(struct session *s, const char *goodbye, const char *reason);
/* The session with id, or NULL. */
struct session *session_find(struct server *srv, uint32_t id);
/* "telnet" or "web". */
const char *session_kind(const struct session *s);
/* "login", "playing" or "closing", for the admin console. */
const char *session_state_name(const struct session *s);
/* The client's name ("Mudlet 4.17", "TinTin++", "telnet"). */
void session_client(const struct session *s, struct buf *out);
/* The color level to render at: the player's choice, else the client's. */
int session_color(const struct session *s);

/* ---- nanny.c ---- */

/* Greets a new connection and asks for a name. */
void nanny_greet(struct session *s);
/*
 * After a hot reboot: puts the saved character name back in the game on s
 * without a password. 0, or -1 if it cannot be loaded (s is left at the door).
 */
int nanny_resume(struct session *s, const char *name);
/* Handles one input line of a session that is not playing. */
void nanny_line(struct session *s, char *line);
/*
 * Forgets the failed-login records whose window has passed (every second):
 * a record is otherwise dropped only when its name or address tries again,
 * and failures from ever new addresses would grow the tables for good.
 */
void nanny_sweep(struct server *srv);

#endif
