/*
 * ui_internal.h: what ui.c (the status line, sending, typing, the pages'
 * text, the client's events) and ui_keys.c (the key bindings and what
 * each key does) share. Private to those two files; main.c sees ui.h.
 */
#ifndef RUIN_TUI_UI_INTERNAL_H
#define RUIN_TUI_UI_INTERNAL_H

#include <stdint.h>

#include "ui.h"

/* ---- ui.c ------------------------------------------------------------------------- */

/* Sets the status line (level 0 error, 1 warning, 2 fine) for a few seconds. */
void ui_say(struct ui *u, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Starts typing: prompt shown before the line, which starts as start (may be NULL). */
void ui_ask(struct ui *u, enum ui_input in, const char *prompt, const char *start);
/* Asks for the rest of a command: the typed text is appended to prefix and
 * parsed. Refused on a read-only console. */
void ui_ask_args(struct ui *u, enum command_kind kind, const char *prefix, const char *prompt);
/* A key while typing (u->input is not IN_NONE). */
void ui_input_key(struct ui *u, int key);
/* The detail page's text, from the last answer about u->detail_id. */
void ui_detail_refresh(struct ui *u);
/* The health page's text, from the last snapshot. */
void ui_health_refresh(struct ui *u, int64_t now_s);
/* Asks the server about connection u->detail_id. */
void ui_detail_ask(struct ui *u);

/* ---- ui_keys.c -------------------------------------------------------------------- */

/* Shows the help page: the keys of ui_keys[] and command.c's commands. */
void ui_open_help(struct ui *u);
/* The hint line under the main page. */
extern const char ui_hints[];

#endif
