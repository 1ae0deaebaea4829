/*
 * tn_internal.h: what the tn_*.c files share (see tn.h for the contract).
 *
 * The module is split by concern:
 *   tn.c       lifecycle, libtelnet events, option table, output (text,
 *              prompts, echo, MSSP) and MCCP2 compression
 *   tn_input.c the guard in front of libtelnet (hostile input) and the line
 *              discipline (line endings, erase, controls, UTF-8 repair)
 *   tn_opt.c   TTYPE/MTTS, NAWS, CHARSET and the color rule
 *   tn_gmcp.c  GMCP in and out, Core.Supports
 * Start reading at tn_recv() in tn_input.c.
 *
 * No file outside src/net/tn*.c includes this header.
 */
#ifndef RUIN_NET_TN_INTERNAL_H
#define RUIN_NET_TN_INTERNAL_H

#include <stddef.h>

#include <libtelnet.h>

#include "base/buf.h"
#include "net/tn.h"

#define TN_TELOPT_CHARSET 42
#define TN_TELOPT_GMCP	  201

/* Longest client name, version or terminal type we keep, in bytes. */
#define TN_MAX_NAME 64
/* Most GMCP packages one client may list in Core.Supports. */
#define TN_MAX_GMCP_PACKAGES 64

/* Where the guard is in the raw byte stream (tn_input.c). */
enum tn_guard_state {
	TN_G_DATA,
	TN_G_IAC,    /* after IAC */
	TN_G_NEG,    /* after IAC WILL/WONT/DO/DONT */
	TN_G_SB_OPT, /* after IAC SB */
	TN_G_SB,     /* inside a subnegotiation */
	TN_G_SB_IAC, /* after IAC inside a subnegotiation */
};

/* Where the line discipline is in an escape sequence (tn_input.c). */
enum tn_esc_state {
	TN_ESC_NONE,
	TN_ESC_START, /* after ESC */
	TN_ESC_CSI,   /* after ESC [ */
	TN_ESC_SS3,   /* after ESC O */
};

struct tn {
	struct tn_callbacks cb;
	void *ud;
	size_t max_line;
	size_t max_sb;
	bool offer_mccp2;
	bool failed;
	telnet_t *telnet;

	/* The guard (tn_input.c). */
	enum tn_guard_state gstate;
	unsigned char gcmd;	      /* WILL/WONT/DO/DONT while in TN_G_NEG */
	unsigned char sb_opt;	      /* option of the current subnegotiation */
	bool sb_forward;	      /* pass this subnegotiation to libtelnet */
	size_t sb_len;		      /* its length so far */
	unsigned char refused[2][32]; /* unsupported options refused once: [0] DO, [1] WILL */
	bool client_echo_refused;     /* we answered the client's WILL ECHO */
	struct buf feed;	      /* guarded bytes waiting for telnet_recv */

	/* The line discipline (tn_input.c). */
	struct buf line;     /* raw bytes of the line being typed */
	struct buf line_out; /* the line as delivered */
	bool pending_cr;     /* last byte was CR: swallow one LF or NUL */
	bool overflow;	     /* the current line passed max_line */
	enum tn_esc_state esc;

	/* Capabilities (tn_opt.c, tn_gmcp.c). */
	struct tn_caps caps;
	char *client;
	char *client_version;
	char *terminal;
	bool client_from_hello; /* Core.Hello named the client: TTYPE no longer does */
	bool restoring;		/* tn_restore(): no callbacks but output */
	bool mute;		/* tn_restore() replaying: no output either */
	bool charset_utf8;	/* CHARSET ACCEPTED UTF-8 */
	bool charset_latin1;	/* CHARSET ACCEPTED ISO-8859-1 */
	bool charset_requested; /* our CHARSET REQUEST went out */
	bool mssp_on;		/* client said DO MSSP */
	unsigned ttype_sends;	/* TTYPE SENDs so far */
	bool ttype_waiting;	/* a SEND is unanswered */
	bool ttype_done;	/* the cycle ended */
	char *ttype_last;	/* the previous reply */
	struct tn_gmcp_package *pkgs;
	size_t n_pkgs;

	/* Output (tn.c). */
	struct buf out;	    /* conversion scratch for tn_send_text */
	struct buf scratch; /* short-lived: GMCP and MSSP payloads, names */
	struct buf gmcp_in; /* the GMCP message handed to the gmcp callback */
	struct buf wire;    /* wire bytes gathered until the next tn_flush */
	const telnet_telopt_t *telopts;
	bool out_last_cr; /* the last text byte sent was CR */
	void *z;	  /* z_stream, allocated on the first MCCP2 start */
	unsigned char *zbuf;
	bool z_on;	       /* compressing now */
	bool z_pending;	       /* input went into deflate since the last flush */
	unsigned mccp2_starts; /* compression starts so far */

	struct tn_stats stats;
};

/*
 * One telnet option we handle (tn_opt.c): what to do when the client says
 * WILL or DO or DONT (after libtelnet's Q-method agreed), and with its
 * subnegotiations. NULL: nothing. Options without an sb handler have their
 * subnegotiations dropped by the guard.
 */
struct tn_option {
	unsigned char opt;
	void (*will)(struct tn *tn);
	void (*do_)(struct tn *tn);
	void (*dont)(struct tn *tn);
	void (*sb)(struct tn *tn, const char *buf, size_t n);
};

/* tn.c */
/* True if our libtelnet table accepts opt for us (DO/DONT) or him (WILL/WONT). */
bool tn_telopt_supported(const struct tn *tn, unsigned char opt, bool us);
/* MCCP2 output compression: start on DO, end cleanly (Z_FINISH) on DONT. */
void tn_mccp2_start(struct tn *tn);
void tn_mccp2_end(struct tn *tn);
/* Calls error() once and stops input. */
void tn_fail(struct tn *tn, const char *reason);
/* Calls changed() if what is not 0. */
void tn_notify(struct tn *tn, unsigned what);
/* Ends a public call: pushes compressed output out (Z_SYNC_FLUSH). */
void tn_flush(struct tn *tn);
/* Sends IAC cmd opt raw, outside libtelnet's Q-method. */
void tn_send_raw_neg(struct tn *tn, unsigned char cmd, unsigned char opt);

/* tn_input.c */
/* Bytes libtelnet passed as data: the line discipline. */
void tn_input_data(struct tn *tn, const char *bytes, size_t n);
/*
 * Drops control characters (C0, DEL, C1) from the valid UTF-8 in s, in
 * place, keeping at most max bytes and never cutting a character. Returns
 * the new length.
 */
size_t tn_input_strip(char *s, size_t n, size_t max);

/* tn_opt.c */
/* The handler entry for opt, or NULL. */
const struct tn_option *tn_opt_find(unsigned char opt);
/* Recomputes caps.utf8, latin1 and color; returns the TN_CHANGED_* bits. */
unsigned tn_opt_refresh(struct tn *tn);
/*
 * Replaces *dst (owned, never NULL after) with s made safe: UTF-8 repaired,
 * control characters dropped, cut to TN_MAX_NAME bytes on a character
 * boundary. Returns true if the value changed.
 */
bool tn_opt_set_name(struct tn *tn, char **dst, const char *s, size_t n);

/* tn_gmcp.c */
void tn_gmcp_recv(struct tn *tn, const char *buf, size_t n);
/* Adds (or updates) one Core.Supports package, as if the client had listed it. */
void tn_gmcp_add_package(struct tn *tn, const char *name, int version);
void tn_gmcp_fini(struct tn *tn);

#endif
