/*
 * screen.h: ruin-console's terminal, the only file that speaks curses.
 *
 * It draws a struct screen_view (built by ui.c from the model and the
 * client's state) and turns key presses into plain ints, so nothing else
 * needs curses.h. It picks what the terminal can do: 256 colors, 8 colors,
 * or none (NO_COLOR, --no-color, or a terminal without colors: bold,
 * underline and reverse only), and UTF-8 or plain ASCII (the C locale).
 * It has no socket code. Start reading at screen_draw().
 */
#ifndef RUIN_TUI_SCREEN_H
#define RUIN_TUI_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

enum screen_colors { SCREEN_MONO = 0, SCREEN_8 = 1, SCREEN_256 = 2 };

/* Special keys, as negative numbers; characters are their code points (> 0). */
enum screen_key {
	SK_NONE = 0,
	SK_UP = -1,
	SK_DOWN = -2,
	SK_LEFT = -3,
	SK_RIGHT = -4,
	SK_PGUP = -5,
	SK_PGDN = -6,
	SK_HOME = -7,
	SK_END = -8,
	SK_ENTER = -9,
	SK_BACKSPACE = -10,
	SK_ESC = -11,
	SK_RESIZE = -12,
	SK_TAB = -13,
	SK_DELETE = -14,
	SK_F1 = -101, /* SK_F1 - (n - 1) is Fn, up to F12 */
	SK_F12 = -112,
};
#define SK_F(n) (SK_F1 - ((n)-1))

/* What the connection looks like from here. */
enum screen_link {
	LINK_UP,    /* receiving */
	LINK_STALE, /* connected, nothing for a while (the server is stalled?) */
	LINK_DOWN,  /* disconnected, reconnecting */
};

/* PAGE_REPORT: a long answer from the server (a reload's report), in detail. */
enum screen_page { PAGE_MAIN, PAGE_DETAIL, PAGE_HELP, PAGE_REPORT, PAGE_HEALTH };

/* One frame's worth of what to show; everything is borrowed for the call. */
struct screen_view {
	const struct model *model;
	enum screen_page page;
	enum screen_link link;
	const char *link_text; /* why down, or how long stale */
	const char *socket;    /* the socket path, for the title when down */
	bool readonly;
	const char *detail; /* PAGE_DETAIL: "key: value" lines; PAGE_REPORT: the report */
	const char *help;   /* PAGE_HELP: the help text */
	size_t scroll;	    /* PAGE_DETAIL / PAGE_HELP: first line shown */
	const char *prompt; /* the input line's label, or NULL when not typing */
	const char *input;  /* what has been typed */
	const char *status; /* a message for the bottom line, or NULL */
	int status_level;   /* 0 error, 1 warning, 2 fine */
	const char *hints;  /* the bottom line when nothing else is there */
	int64_t now_s;	    /* wall clock, for "saved 12s ago" */
};

struct screen {
	enum screen_colors colors;
	bool ascii;
	int rows, cols;
	size_t table_top; /* first table row shown (scrolls with the selection) */
};

/*
 * Starts curses on the terminal (raw keys, no echo, keypad, no cursor) and
 * picks the color level (no_color forces none) and the character set from
 * the locale (call setlocale first). Returns 0, or -1 if there is no
 * terminal.
 */
int screen_start(struct screen *s, bool no_color);
/* Gives the terminal back as it was. */
void screen_stop(struct screen *s);
/* Draws a whole frame. */
void screen_draw(struct screen *s, const struct screen_view *v);
/* The next key if one is waiting (never blocks), else SK_NONE. */
int screen_key(struct screen *s);

#endif
