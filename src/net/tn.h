/*
 * tn.h: the server side of one telnet connection, as a state machine.
 *
 * tn knows no sockets and no game: the caller feeds it the bytes read from
 * a client (tn_recv) and gets events back through callbacks: input lines,
 * GMCP messages, capability changes, and the bytes to write to the socket
 * (output). Text, prompts, GMCP and MSSP go the other way through tn_send_*.
 * Option negotiation (ECHO, SGA, NAWS, TTYPE/MTTS, CHARSET, EOR, GMCP, MSSP,
 * MCCP2) is done here, on top of libtelnet; docs/protocol.md describes the
 * protocol a client sees.
 *
 * Callbacks run synchronously inside tn_start/tn_recv/tn_send_* calls. A
 * callback other than output() may call tn_send_*, tn_echo_*, tn_caps and
 * tn_gmcp_wants on the same tn, but never tn_free or tn_recv (mark the
 * connection and free it later: STYLE.md rule 9). output() must only queue
 * the bytes: it runs in the middle of compression.
 *
 * After error() has been called once, tn ignores all further input; output
 * calls still work, so the server can say goodbye before it closes.
 */
#ifndef RUIN_NET_TN_H
#define RUIN_NET_TN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/color.h"

/* Bits of the `what` argument of the changed() callback. */
#define TN_CHANGED_NAWS		 (1u << 0)  /* caps.cols / caps.rows */
#define TN_CHANGED_TTYPE	 (1u << 1)  /* caps.client, terminal, mtts */
#define TN_CHANGED_CHARSET	 (1u << 2)  /* caps.utf8 / caps.latin1 */
#define TN_CHANGED_COLOR	 (1u << 3)  /* caps.color */
#define TN_CHANGED_GMCP		 (1u << 4)  /* caps.gmcp switched on or off */
#define TN_CHANGED_GMCP_SUPPORTS (1u << 5)  /* the Core.Supports set */
#define TN_CHANGED_CLIENT	 (1u << 6)  /* GMCP Core.Hello: client, version */
#define TN_CHANGED_EOR		 (1u << 7)  /* caps.eor */
#define TN_CHANGED_MCCP2	 (1u << 8)  /* caps.mccp2 (compression on/off) */
#define TN_CHANGED_SGA		 (1u << 9)  /* caps.sga */
#define TN_CHANGED_MSSP_REQUEST	 (1u << 10) /* client said DO MSSP: call tn_send_mssp */

/* MTTS bits (the number in the client's "MTTS n" terminal type). */
#define TN_MTTS_ANSI	      (1u << 0)
#define TN_MTTS_VT100	      (1u << 1)
#define TN_MTTS_UTF8	      (1u << 2)
#define TN_MTTS_256_COLORS    (1u << 3)
#define TN_MTTS_MOUSE	      (1u << 4)
#define TN_MTTS_OSC_COLOR     (1u << 5)
#define TN_MTTS_SCREEN_READER (1u << 6)
#define TN_MTTS_PROXY	      (1u << 7)
#define TN_MTTS_TRUECOLOR     (1u << 8)
#define TN_MTTS_MNES	      (1u << 9)
#define TN_MTTS_MSLP	      (1u << 10)
#define TN_MTTS_SSL	      (1u << 11)

/* Defaults for a zero field in struct tn_config. */
#define TN_DEFAULT_MAX_LINE 4096
#define TN_DEFAULT_MAX_SB   8192
/* The largest max_sb honoured: libtelnet leaks longer subnegotiations. */
#define TN_MAX_SB_LIMIT 16000

struct tn;

struct tn_callbacks {
	/* Bytes for the socket, in order, gathered: handed over at the end of
	 * each tn_* call that sends (one call for a whole text). Required. */
	void (*output)(void *ud, const char *bytes, size_t n);
	/* One input line: valid UTF-8, no end-of-line, no control characters,
	 * NUL-terminated at line[n]. Required. */
	void (*line)(void *ud, const char *line, size_t n);
	/* An input line passed config.max_line bytes: the whole line is
	 * dropped; called once, when the limit is passed. May be NULL. */
	void (*line_too_long)(void *ud, size_t max);
	/* Every well-formed GMCP message from the client, after tn's own
	 * handling (Core.Hello, Core.Supports.*, Core.Ping). json is the
	 * message's JSON text (n bytes, NUL-terminated, "" when the message
	 * has none); it parsed. May be NULL. */
	void (*gmcp)(void *ud, const char *package, const char *json, size_t n);
	/* Capabilities changed: a set of TN_CHANGED_* bits. May be NULL. */
	void (*changed)(void *ud, unsigned what);
	/* A protocol violation or hostile input: close this connection. Called
	 * at most once; reason is a short English phrase. Required. */
	void (*error)(void *ud, const char *reason);
};

struct tn_config {
	size_t max_line; /* input line cap in bytes; 0: TN_DEFAULT_MAX_LINE */
	size_t max_sb;	 /* client subnegotiation cap; 0: TN_DEFAULT_MAX_SB,
			    clamped to TN_MAX_SB_LIMIT */
	bool mccp2;	 /* offer MCCP2 output compression */
};

/* One GMCP package the client supports (Core.Supports). */
struct tn_gmcp_package {
	char *name; /* e.g. "Room", "Comm.Channel"; case as the client sent it */
	int version;
};

/*
 * What the client told us. All strings are owned by the tn, never NULL
 * ("" when unknown), valid UTF-8 without control characters, and valid
 * until the next tn_recv or tn_free.
 */
struct tn_caps {
	const char *client;	    /* TTYPE 1st reply, or Core.Hello "client" */
	const char *client_version; /* Core.Hello "version" */
	const char *terminal;	    /* TTYPE terminal type (2nd distinct reply) */
	unsigned mtts;		    /* TN_MTTS_* bits; 0 if none came */
	bool mtts_known;	    /* an "MTTS n" reply arrived */
	unsigned cols, rows;	    /* NAWS; 0 = unknown */
	bool utf8;		    /* send UTF-8 (CHARSET accepted it, or MTTS bit) */
	bool latin1;		    /* CHARSET accepted ISO-8859-1 (and not UTF-8) */
	enum color_level color;	    /* rule in docs/protocol.md "Color levels" */
	bool gmcp;		    /* client said DO GMCP */
	bool eor;		    /* client said DO EOR: prompts end in IAC EOR */
	bool mccp2;		    /* output is being compressed now */
	bool sga;		    /* client asked DO SGA and we agreed */
	bool echo_off;		    /* we last sent WILL ECHO (tn_echo_off) */
	size_t n_gmcp_packages;
	const struct tn_gmcp_package *gmcp_packages;
};

/* Counters for the admin console. */
struct tn_stats {
	uint64_t bytes_in;	 /* bytes given to tn_recv */
	uint64_t bytes_out_raw;	 /* telnet bytes produced, before compression */
	uint64_t bytes_out_wire; /* bytes passed to output(), after compression */
	uint64_t lines_in;	 /* line() calls */
	uint64_t gmcp_in;	 /* well-formed GMCP messages received */
	uint64_t gmcp_bad;	 /* GMCP messages ignored: bad package name or JSON */
};

/*
 * Makes the state for one connection; sends nothing yet. cfg may be NULL
 * (defaults); cb is copied; ud is passed to every callback. Never NULL
 * (out of memory aborts).
 */
struct tn *tn_new(const struct tn_config *cfg, const struct tn_callbacks *cb, void *ud);
/* Frees everything; NULL is fine. Never from inside a callback. */
void tn_free(struct tn *tn);

/* Sends our opening negotiation (docs/protocol.md). Call once, first. */
void tn_start(struct tn *tn);
/* Feeds n bytes read from the client; events come out as callbacks. */
void tn_recv(struct tn *tn, const char *bytes, size_t n);

/*
 * Sends UTF-8 text: folded to ASCII (or Latin-1) if the client did not
 * announce UTF-8, "\n" made "\r\n" (an existing "\r\n" is kept), IAC bytes
 * escaped, compressed if MCCP2 is on.
 */
void tn_send_text(struct tn *tn, const char *text, size_t n);
/* Sends text as tn_send_text, then IAC EOR if the client took EOR, else
 * IAC GA unless SGA is on. */
void tn_send_prompt(struct tn *tn, const char *text, size_t n);
/* How text is folded for a client (tn_send_text): kept as UTF-8, or folded. */
enum tn_charset { TN_CHARSET_UTF8, TN_CHARSET_LATIN1, TN_CHARSET_ASCII };
/* The client's charset now (it changes with CHARSET, MTTS and TTYPE answers). */
enum tn_charset tn_charset(const struct tn *tn);
/*
 * Appends to out what tn_send_text() puts on the wire for text, before
 * compression, for a client with charset cs: folded, "\n" made "\r\n",
 * IAC doubled. The bytes depend on nothing else, so a message to a crowd is
 * converted once per charset and sent to each with tn_send_converted().
 */
void tn_convert_text(struct buf *out, enum tn_charset cs, const char *text, size_t n);
/*
 * Sends bytes made by tn_convert_text() for tn_charset(tn) (compressed if
 * MCCP2 is on), as tn_send_text() or, with prompt, tn_send_prompt() would.
 * The one difference: a text that starts with "\n" right after a text that
 * ended in a bare "\r" gets its own "\r" (a harmless extra CR).
 */
void tn_send_converted(struct tn *tn, const char *bytes, size_t n, bool prompt);
/* Password masking: raw IAC WILL ECHO (client stops echoing) and IAC WONT
 * ECHO. Always sent, however often, outside libtelnet's Q-method. */
void tn_echo_off(struct tn *tn);
void tn_echo_on(struct tn *tn);
/*
 * Sends IAC SB GMCP "package json" IAC SE if the client said DO GMCP;
 * otherwise does nothing. json may be NULL (no data); it must be valid JSON
 * text (callers build it with jansson).
 */
void tn_send_gmcp(struct tn *tn, const char *package, const char *json);
/*
 * True if GMCP is on and the client asked for the package: "Room.Info" needs
 * "Room" or "Room.Info" in Core.Supports; "Comm.Channel.Text" needs
 * "Comm.Channel.Text", "Comm.Channel" or "Comm" (case-insensitive). Core.*
 * is always wanted.
 */
bool tn_gmcp_wants(const struct tn *tn, const char *package);
/*
 * Sends an MSSP table (IAC SB MSSP VAR name VAL value ... IAC SE) if the
 * client said DO MSSP; otherwise does nothing. Bytes 0, 1, 2 and 255 are
 * dropped from names and values.
 */
void tn_send_mssp(struct tn *tn, const char *const *names, const char *const *values, size_t n);

/* The client's capabilities; valid as long as tn. */
const struct tn_caps *tn_caps(const struct tn *tn);
/* Counters; valid as long as tn. */
const struct tn_stats *tn_stats(const struct tn *tn);
/* True once error() has been called. */
bool tn_failed(const struct tn *tn);

/* ---- hot reboot (tn_state.c) ------------------------------------------------ */

/*
 * What the client negotiated (options, terminal type, MTTS, window size,
 * charset, GMCP packages, compression), as a JSON object (new reference),
 * for a new process to rebuild with tn_restore(). Ends MCCP2 compression
 * cleanly first (the client then reads plain bytes until the new process
 * restarts it), so call it last, when nothing more will be sent from here.
 */
json_t *tn_save(struct tn *tn);
/*
 * A tn rebuilt from tn_save()'s object: no negotiation is sent and no
 * callback but output runs while it is rebuilt (so ud may be half made, as
 * long as its output works); MCCP2, if it was on, restarts with a fresh
 * stream (the client sees a new start marker). NULL if saved is not
 * an object tn_save() wrote.
 */
struct tn *tn_restore(const struct tn_config *cfg, const struct tn_callbacks *cb, void *ud,
		      const json_t *saved);
/*
 * The hand-over failed: tn goes on in this process as if tn_save() (which
 * wrote saved) had not been called, MCCP2 restarting if it was on.
 */
void tn_unsave(struct tn *tn, const json_t *saved);

#endif
