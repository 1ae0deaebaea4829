/*
 * command.h: ruin-console's `:` command line and the admin requests its
 * actions become, with no curses in it. The keys of the screen build the
 * same struct command, so a key and its `:` command do exactly the same.
 *
 * command_table[] in command.c lists every command with its arguments and
 * help; the help screen prints it. Start reading at command_parse().
 */
#ifndef RUIN_TUI_COMMAND_H
#define RUIN_TUI_COMMAND_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"

enum command_kind {
	CMD_NONE = 0,
	/* actions: sent to the server */
	CMD_KICK,      /* conn, text (message) */
	CMD_BROADCAST, /* text */
	CMD_RELOAD,    /* text (area) */
	CMD_SHUTDOWN,  /* seconds, text */
	CMD_REBOOT,    /* seconds, text */
	CMD_HOTREBOOT, /* exec the server again, keeping every connection */
	CMD_CANCEL,
	CMD_WIZLOCK,  /* on */
	CMD_LOGLEVEL, /* level (the server's) */
	/* views: handled by the console */
	CMD_FILTER, /* text (pattern; "" clears) */
	CMD_SORT,   /* text (column; "" reverses) */
	CMD_SHOW,   /* level (the log pane's filter) */
	CMD_HELP,
	CMD_QUIT,
	CMD_KIND_COUNT
};

struct command {
	enum command_kind kind;
	uint32_t conn;
	int seconds;
	bool on;
	int level; /* 0 error .. 3 debug */
	struct buf text;
};

/* Initialises caller-owned storage (an empty CMD_NONE). */
void command_init(struct command *c);
void command_fini(struct command *c);
/* Empties c for reuse. */
void command_reset(struct command *c);

/*
 * Parses one command line (without the ':'): a command name or its unique
 * prefix, then its arguments. On success fills c and returns 0; otherwise
 * returns -1 with a one-line reason in err. An empty line is CMD_NONE.
 */
int command_parse(const char *line, struct command *c, struct buf *err);

/* True for actions that change the game (sent to the server). */
bool command_is_action(enum command_kind kind);
/* True if the console asks "are you sure?" first (kick, shutdown, reboots,
 * wizlock on). */
bool command_needs_confirm(const struct command *c);
/* The admin request for an action ({"op":...}), or NULL for a view command. */
json_t *command_request(const struct command *c);
/* What the command is about to do, for the confirmation ("Kick connection 3?"). */
void command_describe(const struct command *c, const char *target, struct buf *out);
/* The command's name as typed ("kick"). */
const char *command_name(enum command_kind kind);

/* Appends the help text for every command: "  :kick ID [message]   ..." lines. */
void command_help(struct buf *out);

#endif
