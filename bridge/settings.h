/*
 * settings.h: ruin-bridge's settings, from defaults, then the settings
 * file, then the command line, in that order.
 *
 * Every setting is one row of the table in settings.c (name, type, default,
 * help), so the file, `--set name=value`, `ruin-bridge --help-config` and
 * docs/deploy.md describe the same list. The file is "name = value" lines
 * with '#' comments, like ruin.conf; unknown names and bad values are
 * errors with file:line.
 */
#ifndef RUIN_BRIDGE_SETTINGS_H
#define RUIN_BRIDGE_SETTINGS_H

#include <stdbool.h>
#include <stdio.h>

#include "base/buf.h"

struct settings {
	char *bind;	       /* listen address; "" = every address */
	int port;	       /* HTTP + WebSocket port; 0 picks a free one (tests) */
	char *www_dir;	       /* the web client's files */
	char *server_host;     /* ruin-server's telnet address */
	int server_port;       /* ruin-server's telnet port */
	char *log_file;	       /* "" = stderr */
	char *log_level;       /* error, warn, info, debug */
	char *allowed_origins; /* extra origins allowed besides our own; "*" = any */
	char *trusted_proxies; /* reverse proxies whose X-Forwarded-For we believe */
	char *status_allow;    /* who may GET /status; "" = nobody */
	char *bridge_name;     /* prefix of resume tokens, for routing with several bridges */
	char *tls_cert;	       /* PEM certificate; "" = plain HTTP/WS */
	char *tls_key;	       /* PEM private key */
	int max_sessions;      /* browser sessions at once (attached or waiting for a resume) */
	int max_per_address;   /* sessions at once from one browser address */
	int max_message;       /* bytes in one message from a browser */
	int max_command;       /* bytes in one command line */
	int rate_per_s;	       /* messages a browser may send per second, sustained */
	int rate_burst;	       /* ... and in a burst */
	int ping_s;	       /* ping a browser idle this long */
	int hangup_s;	       /* hang up on a browser silent this long */
	int resume_window_s;   /* keep a dropped browser's game session this long */
	int resume_buffer_kb;  /* output kept for a dropped browser */
	int output_high_kb;    /* pending output that pauses reading from the server */
	int slow_drop_s;       /* a browser that reads nothing this long while paused is dropped */
	int socket_buffer_kb;  /* kernel send buffer per browser socket; 0 = the kernel default */
	int connect_timeout_s; /* connecting to ruin-server */
	int upstream_keepalive_s; /* TCP keep-alive idle time on server connections */
	bool deflate;		  /* permessage-deflate toward browsers */
	int deflate_window_bits;  /* our compression window (9-15) */
	int deflate_mem_level;	  /* zlib memLevel for our compression (1-9) */
	char *port_file;	  /* write the bound port here (tests) */
};

/* Fills s with the defaults (allocating its strings). */
void settings_init(struct settings *s);
void settings_fini(struct settings *s);
/* Sets one setting from text; on error appends a message to err and returns -1. */
int settings_set(struct settings *s, const char *name, const char *value, struct buf *err);
/* Reads a settings file; a missing file is an error only if required. */
int settings_load_file(struct settings *s, const char *path, bool required, struct buf *err);
/* Writes every setting with its help text, as a commented settings file. */
void settings_describe(FILE *fp);

#endif
