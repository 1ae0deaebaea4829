/*
 * model.h: what ruin-console knows and shows, without a terminal: the last
 * stats snapshot, the connections table (columns, sorting, filtering, the
 * selected row), the log tail (level filter, pause/follow), and the text
 * formatting every view uses (durations, sizes, pulse times, the pulse
 * sparkline, the --stat line).
 *
 * The screen (screen.c) only draws what the model says; the protocol
 * client (client.c) fills struct snap from the server's JSON. Nothing here
 * touches curses or a socket, so tests/unit/test_tui_model.c drives it all.
 * Start reading at struct model and model_set_snap().
 */
#ifndef RUIN_TUI_MODEL_H
#define RUIN_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Seconds of per-second history kept from a snapshot. */
#define SNAP_HISTORY 300
/* Log lines kept. */
#define MODEL_LOG_MAX 2000

/* One row of the connections table: a connection, or a link-dead character (id
 * 0). */
struct conn_row {
	uint32_t id;
	char *name;  /* "" before login */
	char *state; /* "login", "playing", "closing", "link-dead" */
	char *addr;
	char *kind;   /* "telnet", "web", "" (link-dead) */
	char *client; /* "Mudlet 4.17" */
	int64_t connected_s, idle_s;
	uint64_t bytes_in, bytes_out, in_rate, out_rate, queued;
	char *color;   /* "none", "16", "256", "truecolor"; "" if unknown */
	char *charset; /* "UTF-8", "ISO-8859-1", "ASCII"; "" if unknown */
	int cols, rows;
	bool mccp, gmcp;
	double mccp_ratio;
	unsigned mtts;
};

/* One area's Lua state. */
struct area_mem {
	char *area;
	int64_t used, peak, limit; /* bytes */
	uint64_t entries, errors, stopped;
};

/* One stats snapshot (docs/admin.md lists the fields it comes from). */
struct snap {
	int64_t ts_ms, uptime_s;
	char *server;
	unsigned players, players_telnet, players_web, players_linkdead;
	unsigned conns_total, conns_telnet, conns_web, conns_login;
	uint32_t budget_us, max_ever_us;
	uint64_t pulses, overruns;
	uint32_t p50_10s, p99_10s, max_10s, p50_60s, p99_60s, max_60s;
	size_t hist_n; /* seconds in the arrays below, oldest first */
	uint32_t hist_pulse_max[SNAP_HISTORY];
	uint32_t hist_commands[SNAP_HISTORY];
	uint64_t hist_in[SNAP_HISTORY], hist_out[SNAP_HISTORY];
	uint64_t cmds_s, in_s, out_s; /* the last whole second */
	int64_t rss_kb, hwm_kb, lua_bytes;
	struct area_mem *areas;
	size_t nareas;
	int64_t db_last_save, db_saves_ok, db_saves_failed, db_errors, db_last_error_at;
	char *db_last_error;
	int autosave_s;
	bool wizlock;
	char *log_level;
	bool countdown, countdown_reboot;
	int64_t countdown_left_s;
	unsigned consoles;
	int64_t admin_cost_us, admin_cost_max_us;
	bool has_conns;
	struct conn_row *conns;
	size_t nconns;
};

/* The connections table's columns, in display order. */
enum model_col {
	COL_ID,
	COL_NAME,
	COL_STATE,
	COL_KIND,
	COL_CLIENT,
	COL_ADDR,
	COL_CONNECTED,
	COL_IDLE,
	COL_IN,
	COL_OUT,
	COL_QUEUED,
	COL_CAPS,
	COL_COUNT
};

struct log_entry {
	uint64_t seq; /* 1, 2, ... in arrival order */
	int64_t ts_ms;
	int level; /* 0 error .. 3 debug */
	char *msg;
};

struct model {
	struct snap snap;
	bool have_snap;
	size_t *view; /* indices into snap.conns: filtered and sorted */
	size_t nview;
	enum model_col sort;
	bool reverse;
	char *filter;		/* lower-cased pattern, NULL for none */
	uint32_t sel_id;	/* the selected connection (kept across snapshots) */
	char *sel_name;		/* ... or link-dead character */
	size_t cursor;		/* its index in view */
	struct log_entry *log;	/* ring of MODEL_LOG_MAX */
	size_t log_n, log_head; /* entries held; next slot */
	uint64_t log_seq;	/* seq of the newest entry */
	int log_level;		/* show entries at or above this level (0 error .. 3 debug) */
	bool log_paused;
	uint64_t log_anchor; /* paused: seq of the newest entry shown */
};

void model_init(struct model *m);
void model_fini(struct model *m);

/* Frees what a snapshot holds and zeroes it. */
void snap_fini(struct snap *s);
/*
 * Takes over s (the caller's copy is zeroed) as the current snapshot. The
 * selection follows its connection (or character) if it is still there,
 * else stays at the same row number.
 */
void model_set_snap(struct model *m, struct snap *s);

/* ---- the table ---------------------------------------------------------------------- */

/* Column heading ("IDLE") and its short name for :sort ("idle"). */
const char *model_col_title(enum model_col col);
const char *model_col_name(enum model_col col);
/* The column named name (a prefix will do), or -1. */
int model_col_parse(const char *name);
/* Sorts by col; the same column again flips the direction. */
void model_sort_by(struct model *m, enum model_col col);
/* Sorts by the next column (wrapping), ascending. */
void model_sort_next(struct model *m);
void model_sort_reverse(struct model *m);
/*
 * Shows only rows where the pattern matches: a case-insensitive substring
 * of id, name, state, kind, client or address, or a glob (with * ? [) over
 * each of them. NULL or "" shows everything.
 */
void model_set_filter(struct model *m, const char *pattern);
/* Moves the selection by delta rows (clamped). */
void model_move(struct model *m, long delta);
void model_move_to(struct model *m, size_t index);
/* The selected row, or NULL if the view is empty. */
const struct conn_row *model_selected(const struct model *m);
/* The i-th row shown. */
const struct conn_row *model_row(const struct model *m, size_t i);
/* Appends the text of one cell. */
void model_cell(const struct conn_row *r, enum model_col col, struct buf *out);
/* The width a column wants, and the order columns are dropped in when space
 * runs out. */
int model_col_width(enum model_col col);
/*
 * Chooses the columns that fit in width (at least ID and NAME), in display
 * order; returns how many were put in cols.
 */
size_t model_fit_columns(int width, enum model_col cols[COL_COUNT]);

/* ---- the log ------------------------------------------------------------------------ */

/* Adds a log line (msg copied); the oldest is dropped past MODEL_LOG_MAX. */
void model_log_add(struct model *m, int64_t ts_ms, int level, const char *msg);
/* Cycles the level filter: error -> warn -> info -> debug -> error. */
void model_log_cycle_level(struct model *m);
/* Pause (the view stops moving) or follow (shows the newest). */
void model_log_pause(struct model *m, bool paused);
/* Scrolls a paused view by delta lines (negative: older); pauses if following. */
void model_log_scroll(struct model *m, long delta);
/*
 * Fills out[0..max) with the entries to show in a pane of max lines, oldest
 * first, ending at the newest (following) or the anchor (paused). Returns
 * how many.
 */
size_t model_log_view(const struct model *m, const struct log_entry **out, size_t max);
/* Entries that passed the level filter and arrived after the anchor (paused). */
size_t model_log_unseen(const struct model *m);
/* "error", "warn", "info", "debug"; and back (-1 if unknown). */
const char *model_level_name(int level);
int model_level_parse(const char *name);

/* ---- formatting --------------------------------------------------------------------- */

/* "45s", "12m05s", "3h12m", "4d03h". */
void fmt_duration(struct buf *out, int64_t seconds);
/* "512", "1.2K", "34K", "1.5M", "2.0G" (bytes, powers of 1024). */
void fmt_bytes(struct buf *out, uint64_t n);
/* A pulse time: "8us", "0.21ms", "12ms", "1.20s". */
void fmt_us(struct buf *out, uint32_t us);
/*
 * The pulse sparkline: one character per second (the newest at the right)
 * for the last width seconds of hist_pulse_max, on a log scale from 10 us
 * to the budget (a pulse at or over the budget is the tallest bar). UTF-8
 * block characters, or ".,:-=+*#" when ascii. Seconds not recorded are
 * spaces. Appends exactly width characters.
 */
void model_sparkline(const struct snap *s, int width, bool ascii, struct buf *out);
/* Level 0..7 of one pulse time on the sparkline's scale (exposed for tests). */
int model_spark_level(uint32_t us, uint32_t budget_us);
/* The --stat header and one line for a snapshot (no newline). */
void model_stat_header(struct buf *out);
void model_stat_line(const struct snap *s, struct buf *out);
/* "saved 12s ago" / "no saves yet" / "FAILING: <error>" for the database. */
void model_db_status(const struct snap *s, int64_t now_s, struct buf *out);

#endif
