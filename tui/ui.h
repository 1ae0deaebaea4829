/*
 * ui.h: ruin-console's interactive state: which page is shown, what is
 * being typed, the action waiting for its confirmation, the status line;
 * the key bindings; and the client's events turned into model changes.
 *
 * main.c runs the loop and hands keys (screen_key) and client events to
 * the ui; the ui asks the client to send requests and builds the
 * screen_view that screen.c draws. No curses and no sockets here. Start
 * reading at ui_keys[] and ui_key() in ui_keys.c, then ui_do() in ui.c.
 */
#ifndef RUIN_TUI_UI_H
#define RUIN_TUI_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "client.h"
#include "command.h"
#include "model.h"
#include "screen.h"

enum ui_input {
	IN_NONE,
	IN_FILTER,  /* "/" pattern, applied as typed */
	IN_COMMAND, /* ":" command line */
	IN_ARGS,    /* the arguments of a key's action, e.g. a broadcast's text */
	IN_CONFIRM, /* y or n */
};

struct ui {
	struct model model;
	struct client *client;
	const char *socket;
	bool readonly;
	bool quit;
	bool dirty; /* redraw soon */
	enum screen_page page;
	size_t scroll; /* help / detail pages */
	enum ui_input input;
	struct buf prompt, line;
	char *filter_before;	  /* restored by Esc while filtering */
	enum command_kind asking; /* IN_ARGS: the command the typed text completes */
	struct buf ask_prefix;	  /* ... typed before the text ("kick 3") */
	struct command cmd;	  /* IN_CONFIRM: what y sends */
	struct buf cmd_target;
	struct buf status;
	int status_level;
	int64_t status_until_ms;
	int64_t pending[16]; /* ids of requests whose replies we show */
	uint32_t detail_id;
	bool detail_gone;
	json_t *detail;
	int64_t detail_asked_ms;
	struct buf text; /* the detail or help text being shown */
	enum screen_link link;
	struct buf link_text;
	int64_t now_ms;
	int interval; /* seconds between snapshots */
};

/* Initialises caller-owned storage. client may be set afterwards (before
 * ui_tick). */
void ui_init(struct ui *u, const char *socket, bool readonly, int interval);
void ui_fini(struct ui *u);
/* The events to give client_new(), with u as their ud. */
const struct client_events *ui_client_events(void);

/* Handles one key (screen_key()). */
void ui_key(struct ui *u, int key);
/* Once per loop pass: link state, status expiry, refreshing an open detail
 * view. */
void ui_tick(struct ui *u, int64_t now_ms);
/* Fills v for screen_draw(); v borrows from u until the next ui call. */
void ui_view(struct ui *u, struct screen_view *v, int64_t now_wall_s);

/* Runs a command as if typed after ':' (also for tests). */
void ui_run(struct ui *u, const char *line);

#endif
