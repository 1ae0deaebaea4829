/*
 * config.h: the server's settings, from defaults, then the config file,
 * then command-line overrides, in that order.
 *
 * Every setting is one row of a table in config.c (name, type, default,
 * help), so the file format, `--set name=value`, `ruin-server --help-config`
 * and docs/admin.md all describe the same list. The file is "name = value"
 * lines; '#' starts a comment; unknown names and bad values are errors with
 * file:line.
 */
#ifndef RUIN_CONFIG_H
#define RUIN_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "base/buf.h"

struct config {
	char *bind;	/* address for the telnet listener */
	int port;	/* telnet port; 0 picks a free one (tests) */
	char *database; /* SQLite file */
	char *areas_dir;
	char *lua_dir;
	char *log_file; /* "" = stderr */
	char *log_level;
	char *admin_socket;
	int admin_max_consoles; /* consoles connected at once */
	int admin_queue_kb;	/* output queued for one console before it is dropped */
	char *trusted_proxies;	/* who may send a PROXY v1 line */
	char *mud_name;
	char *start_room;   /* "" = the area's start room */
	char *loop_backend; /* "select" */
	int max_connections;
	int max_per_address;
	int login_timeout_s; /* idle before login completes */
	int idle_timeout_s;  /* idle while playing; 0 = never */
	int linkdead_timeout_s;
	int autosave_s;
	int max_line;		 /* bytes in one input line */
	int output_cap_kb;	 /* queued output per connection */
	int max_commands_queued; /* input lines waiting per connection */
	int max_commands_per_s;	 /* sustained commands per connection; 0: no limit */
	bool mccp;
	bool io_uring;
	int login_failures; /* failures allowed per window, per address and per name */
	int login_window_s;
	int pwhash_ops;
	int pwhash_mem_kb;
	int lua_memory_kb;    /* per area */
	int lua_instructions; /* per entry into Lua */
	char *port_file;      /* write the bound port here after listening ("" = no) */
};

/* Fills c with the defaults (allocating its strings). */
void config_init(struct config *c);
void config_fini(struct config *c);
/* Sets one setting from text; on error appends a message to err and returns -1. */
int config_set(struct config *c, const char *name, const char *value, struct buf *err);
/* Reads a config file; a missing file is an error only if required. */
int config_load_file(struct config *c, const char *path, bool required, struct buf *err);
/* Writes every setting with its help text, as a commented config file. */
void config_describe(FILE *fp);

#endif
