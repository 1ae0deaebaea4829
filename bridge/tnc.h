/*
 * tnc.h: the client side of one telnet connection to ruin-server, as a
 * state machine (bytes in, events out, no sockets).
 *
 * ruin-bridge opens one telnet connection per browser session and speaks
 * telnet there as a well-behaved MUD client would, on top of libtelnet:
 *
 *   ECHO     DO on the server's WILL; WILL ECHO / WONT ECHO become echo events
 *   SGA, EOR DO; IAC EOR and IAC GA end a prompt
 *   TTYPE    WILL; the MTTS cycle: client name, terminal, "MTTS <bits>"
 *   NAWS     WILL; the browser's size, again on every tnc_resize()
 *   CHARSET  WILL; accepts UTF-8 from the server's REQUEST
 *   GMCP     DO; then Core.Hello and Core.Supports.Set
 *   MCCP2 and everything else: refused (DONT / WONT)
 *
 * Text from the server leaves as text() events that are always valid
 * UTF-8 (invalid or truncated sequences become U+FFFD; a sequence split
 * between two reads is held until the rest arrives), with CR, NUL and other
 * control characters removed except LF, TAB and ESC, and never ending inside
 * an ANSI escape sequence. A text() event carries whole lines; the line
 * being written (no LF yet) is held until a prompt mark turns it into a
 * prompt() event, until another event needs what came before it, or until
 * the caller gives up waiting and calls tnc_flush().
 *
 * Callbacks run synchronously inside tnc_recv, tnc_flush and tnc_send_*;
 * they may call tnc_send_*, tnc_resize and tnc_flush, never tnc_free or
 * tnc_recv. Start reading at tnc_recv() in tnc.c.
 */
#ifndef RUIN_BRIDGE_TNC_H
#define RUIN_BRIDGE_TNC_H

#include <stdbool.h>
#include <stddef.h>

/* MTTS bits (docs/protocol.md, "TTYPE and MTTS"). */
#define TNC_MTTS_ANSI	   (1u << 0)
#define TNC_MTTS_UTF8	   (1u << 2)
#define TNC_MTTS_256	   (1u << 3)
#define TNC_MTTS_PROXY	   (1u << 7)
#define TNC_MTTS_TRUECOLOR (1u << 8)
#define TNC_MTTS_SSL	   (1u << 11)
/* What the web client renders: ANSI, UTF-8, 256 colors, truecolor, through a proxy. */
#define TNC_MTTS_WEB                                                                               \
	(TNC_MTTS_ANSI | TNC_MTTS_UTF8 | TNC_MTTS_256 | TNC_MTTS_PROXY | TNC_MTTS_TRUECOLOR)

/* A held line longer than this is sent as text without waiting for its end. */
#define TNC_MAX_PARTIAL 4096
/* The longest GMCP package name passed on. */
#define TNC_MAX_PACKAGE 64

struct tnc;

struct tnc_callbacks {
	/* Bytes for the server socket, in order. Required. */
	void (*output)(void *ud, const char *bytes, size_t n);
	/* Server text: whole lines (or a flushed part line), valid UTF-8. Required. */
	void (*text)(void *ud, const char *utf8, size_t n);
	/* The text of a prompt (after the last LF, before IAC EOR/GA). Required. */
	void (*prompt)(void *ud, const char *utf8, size_t n);
	/* false: the server will not echo and the client must not either
	 * (a password is being typed); true: normal echo again. Required. */
	void (*echo)(void *ud, bool enabled);
	/* One GMCP message: package (letters, digits, '_', '-', '.'; NUL-terminated)
	 * and its JSON text exactly as the server sent it ("" if none). Required. */
	void (*gmcp)(void *ud, const char *package, const char *json, size_t n);
	/* Optional: true if that GMCP message only repeats what the client
	 * already has and is to be dropped. Asked before the text held so far
	 * is flushed, so text on both sides of a dropped message stays one
	 * text() event. */
	bool (*gmcp_repeat)(void *ud, const char *package, const char *json, size_t n);
	/* The server broke the protocol (libtelnet error, compression we refused):
	 * close this connection. Called at most once. Required. */
	void (*error)(void *ud, const char *reason);
};

struct tnc_config {
	const char *client;   /* TTYPE first reply and Core.Hello "client" */
	const char *version;  /* Core.Hello "version" */
	const char *terminal; /* TTYPE second reply, e.g. "ANSI-TRUECOLOR" */
	unsigned mtts;	      /* TTYPE third reply is "MTTS <mtts>" */
	/* Core.Supports.Set entries ("Room 1"), NULL-terminated; NULL: none sent. */
	const char *const *supports;
	unsigned cols, rows; /* window size until tnc_resize(); 0: 80x24 */
};

struct tnc_stats {
	size_t bytes_in;     /* from the server, before telnet decoding */
	size_t bytes_out;    /* to the server, after telnet encoding */
	size_t text_bytes;   /* text and prompt bytes passed to the callbacks */
	size_t gmcp_in;	     /* GMCP messages passed on */
	size_t gmcp_dropped; /* bad names, or over libtelnet's 16 KiB limit */
	size_t gmcp_repeats; /* dropped by gmcp_repeat() */
	size_t replaced;     /* invalid UTF-8 sequences replaced */
};

/* The strings in cfg are copied. Returns NULL only if libtelnet fails. */
struct tnc *tnc_new(const struct tnc_config *cfg, const struct tnc_callbacks *cb, void *ud);
void tnc_free(struct tnc *t);

/* Feeds n bytes read from the server; events follow synchronously. */
void tnc_recv(struct tnc *t, const char *bytes, size_t n);
/* True if part of a line is held back waiting for its end or a prompt mark. */
bool tnc_has_partial(const struct tnc *t);
/* Sends whatever text is held (part of a line) as a text() event. */
void tnc_flush(struct tnc *t);

/* Sends one input line (n bytes, no line end) followed by CR LF. The line
 * must not contain CR or LF (-EINVAL). 0 on success. */
int tnc_send_line(struct tnc *t, const char *line, size_t n);
/* Sends a GMCP message (json may be NULL or empty). -ENOTCONN until the
 * server has enabled GMCP, -EINVAL for a bad package name. */
int tnc_send_gmcp(struct tnc *t, const char *package, const char *json, size_t n);
/* Records the window size and sends it if NAWS is on. Values are clamped to 1-65535. */
void tnc_resize(struct tnc *t, unsigned cols, unsigned rows);

/* What was negotiated so far. */
bool tnc_gmcp_on(const struct tnc *t);
bool tnc_naws_on(const struct tnc *t);
bool tnc_echo_enabled(const struct tnc *t);
const struct tnc_stats *tnc_stats(const struct tnc *t);

#endif
