/*
 * model.c: the console's data and its formatting. See model.h.
 *
 * Start at model_columns[]: one row per table column with its heading, its
 * width, how much it matters when the terminal is narrow, and how to sort
 * by it. model_refresh() rebuilds the view (filter, then a stable merge
 * sort) after every change and puts the selection back on its row.
 */
#include "model.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* ---- columns ------------------------------------------------------------------------ */

struct model_column {
	const char *title; /* heading */
	const char *name;  /* for :sort */
	int width;
	int keep; /* higher stays longer on a narrow terminal */
	/* Sort key: a number, or NULL and a string. */
	uint64_t (*num)(const struct conn_row *r);
	const char *(*str)(const struct conn_row *r);
};

static uint64_t model_key_id(const struct conn_row *r)
{
	return r->id;
}

static uint64_t model_key_connected(const struct conn_row *r)
{
	return (uint64_t)r->connected_s;
}

static uint64_t model_key_idle(const struct conn_row *r)
{
	return (uint64_t)r->idle_s;
}

static uint64_t model_key_in(const struct conn_row *r)
{
	return r->in_rate;
}

static uint64_t model_key_out(const struct conn_row *r)
{
	return r->out_rate;
}

static uint64_t model_key_queued(const struct conn_row *r)
{
	return r->queued;
}

static const char *model_key_name(const struct conn_row *r)
{
	return r->name;
}

static const char *model_key_state(const struct conn_row *r)
{
	return r->state;
}

static const char *model_key_kind(const struct conn_row *r)
{
	return r->kind;
}

static const char *model_key_client(const struct conn_row *r)
{
	return r->client;
}

static const char *model_key_addr(const struct conn_row *r)
{
	return r->addr;
}

static const char *model_key_color(const struct conn_row *r)
{
	return r->color;
}

static const struct model_column model_columns[COL_COUNT] = {
	[COL_ID] = {"ID", "id", 5, 100, model_key_id, NULL},
	[COL_NAME] = {"NAME", "name", 12, 99, NULL, model_key_name},
	[COL_STATE] = {"STATE", "state", 9, 90, NULL, model_key_state},
	[COL_KIND] = {"KIND", "kind", 6, 85, NULL, model_key_kind},
	[COL_CLIENT] = {"CLIENT", "client", 18, 75, NULL, model_key_client},
	[COL_ADDR] = {"ADDRESS", "address", 15, 60, NULL, model_key_addr},
	[COL_CONNECTED] = {"CONN", "connected", 7, 40, model_key_connected, NULL},
	[COL_IDLE] = {"IDLE", "idle", 6, 80, model_key_idle, NULL},
	[COL_IN] = {"IN/s", "in", 6, 45, model_key_in, NULL},
	[COL_OUT] = {"OUT/s", "out", 6, 50, model_key_out, NULL},
	[COL_QUEUED] = {"QUEUE", "queued", 6, 20, model_key_queued, NULL},
	[COL_CAPS] = {"CAPS", "caps", 30, 30, NULL, model_key_color},
};

const char *model_col_title(enum model_col col)
{
	return (unsigned)col < COL_COUNT ? model_columns[col].title : "?";
}

const char *model_col_name(enum model_col col)
{
	return (unsigned)col < COL_COUNT ? model_columns[col].name : "?";
}

int model_col_width(enum model_col col)
{
	return (unsigned)col < COL_COUNT ? model_columns[col].width : 0;
}

int model_col_parse(const char *name)
{
	for (int i = 0; i < COL_COUNT; i++)
		if (str_prefix(name, model_columns[i].name) ||
		    str_eq_nocase(name, model_columns[i].title))
			return i;
	return -1;
}

size_t model_fit_columns(int width, enum model_col cols[COL_COUNT])
{
	bool take[COL_COUNT] = {false}, seen[COL_COUNT] = {false};
	int used = 0;
	size_t n = 0;

	/*
	 * Consider columns from the one that matters most; take each that still
	 * fits (one space between columns). The first two always go in.
	 */
	for (int round = 0; round < COL_COUNT; round++) {
		int best = -1, w;

		for (int i = 0; i < COL_COUNT; i++)
			if (!seen[i] &&
			    (best < 0 || model_columns[i].keep > model_columns[best].keep))
				best = i;
		seen[best] = true;
		w = model_columns[best].width + (used ? 1 : 0);
		if (round >= 2 && used + w > width)
			continue;
		take[best] = true;
		used += w;
	}
	for (int i = 0; i < COL_COUNT; i++)
		if (take[i])
			cols[n++] = (enum model_col)i;
	return n;
}

/* ---- cells -------------------------------------------------------------------------- */

void fmt_duration(struct buf *out, int64_t s)
{
	if (s < 0)
		s = 0;
	if (s < 60)
		buf_printf(out, "%llds", (long long)s);
	else if (s < 3600)
		buf_printf(out, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
	else if (s < 86400)
		buf_printf(out, "%lldh%02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
	else
		buf_printf(out, "%lldd%02lldh", (long long)(s / 86400),
			   (long long)(s % 86400 / 3600));
}

void fmt_bytes(struct buf *out, uint64_t n)
{
	static const char units[] = "KMGTP";
	double v = (double)n;
	int u = -1;

	if (n < 1024) {
		buf_printf(out, "%llu", (unsigned long long)n);
		return;
	}
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (v < 9.95)
		buf_printf(out, "%.1f%c", v, units[u]);
	else
		buf_printf(out, "%.0f%c", v, units[u]);
}

void fmt_us(struct buf *out, uint32_t us)
{
	if (us < 1000)
		buf_printf(out, "%uus", us);
	else if (us < 10000)
		buf_printf(out, "%.2fms", us / 1000.0);
	else if (us < 1000000)
		buf_printf(out, "%ums", us / 1000);
	else
		buf_printf(out, "%.2fs", us / 1000000.0);
}

void model_cell(const struct conn_row *r, enum model_col col, struct buf *out)
{
	switch (col) {
	case COL_ID:
		if (r->id)
			buf_printf(out, "%u", r->id);
		else
			buf_puts(out, "-");
		break;
	case COL_NAME:
		buf_puts(out, *r->name ? r->name : "-");
		break;
	case COL_STATE:
		buf_puts(out, r->state);
		break;
	case COL_KIND:
		buf_puts(out, *r->kind ? r->kind : "-");
		break;
	case COL_CLIENT:
		buf_puts(out, *r->client ? r->client : "-");
		break;
	case COL_ADDR:
		buf_puts(out, *r->addr ? r->addr : "-");
		break;
	case COL_CONNECTED:
		if (r->id)
			fmt_duration(out, r->connected_s);
		else
			buf_puts(out, "-");
		break;
	case COL_IDLE:
		fmt_duration(out, r->idle_s);
		break;
	case COL_IN:
		fmt_bytes(out, r->in_rate);
		break;
	case COL_OUT:
		fmt_bytes(out, r->out_rate);
		break;
	case COL_QUEUED:
		fmt_bytes(out, r->queued);
		break;
	case COL_CAPS:
		if (!r->id)
			break;
		buf_printf(out, "%s %s", *r->color ? r->color : "?",
			   *r->charset ? r->charset : "?");
		if (r->cols)
			buf_printf(out, " %dx%d", r->cols, r->rows);
		if (r->mccp)
			buf_printf(out, " MCCP%.1fx", r->mccp_ratio);
		if (r->gmcp)
			buf_puts(out, " GMCP");
		break;
	case COL_COUNT:
		break;
	}
}

/* ---- snapshots ---------------------------------------------------------------------- */

static void conn_row_fini(struct conn_row *r)
{
	free(r->name);
	free(r->state);
	free(r->addr);
	free(r->kind);
	free(r->client);
	free(r->color);
	free(r->charset);
}

void snap_fini(struct snap *s)
{
	for (size_t i = 0; i < s->nconns; i++)
		conn_row_fini(&s->conns[i]);
	free(s->conns);
	for (size_t i = 0; i < s->nareas; i++)
		free(s->areas[i].area);
	free(s->areas);
	free(s->server);
	free(s->db_last_error);
	free(s->log_level);
	memset(s, 0, sizeof(*s));
}

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
	m->log = xcalloc(MODEL_LOG_MAX, sizeof(*m->log));
	m->log_level = 2; /* info */
	m->sort = COL_ID;
}

void model_fini(struct model *m)
{
	snap_fini(&m->snap);
	free(m->view);
	free(m->filter);
	free(m->sel_name);
	for (size_t i = 0; i < MODEL_LOG_MAX; i++)
		free(m->log[i].msg);
	free(m->log);
	memset(m, 0, sizeof(*m));
}

/* ---- filtering and sorting ---------------------------------------------------------- */

static bool model_field_matches(const char *pattern, bool glob, const char *field, struct buf *tmp)
{
	buf_clear(tmp);
	buf_puts(tmp, field);
	if (tmp->err)
		return false;
	if (tmp->data)
		str_lower(tmp->data);
	if (glob)
		return fnmatch(pattern, buf_cstr(tmp), 0) == 0;
	return strstr(buf_cstr(tmp), pattern) != NULL;
}

static bool model_matches(const struct model *m, const struct conn_row *r)
{
	const char *p = m->filter;
	bool glob, hit;
	struct buf tmp;
	char id[16];

	if (!p)
		return true;
	glob = strpbrk(p, "*?[") != NULL;
	snprintf(id, sizeof(id), "%u", r->id);
	buf_init(&tmp, 4096);
	hit = model_field_matches(p, glob, id, &tmp) ||
	      model_field_matches(p, glob, r->name, &tmp) ||
	      model_field_matches(p, glob, r->state, &tmp) ||
	      model_field_matches(p, glob, r->kind, &tmp) ||
	      model_field_matches(p, glob, r->client, &tmp) ||
	      model_field_matches(p, glob, r->addr, &tmp);
	buf_fini(&tmp);
	return hit;
}

/* Compares two rows by the sort column, then by id, so the order is total. */
static int model_compare(const struct model *m, const struct conn_row *a, const struct conn_row *b)
{
	const struct model_column *c = &model_columns[m->sort];
	int r;

	if (c->num) {
		uint64_t x = c->num(a), y = c->num(b);

		r = x < y ? -1 : x > y;
	} else {
		r = strcasecmp(c->str(a), c->str(b));
		r = r < 0 ? -1 : r > 0;
	}
	if (!r)
		r = a->id < b->id ? -1 : a->id > b->id;
	if (!r)
		r = strcmp(a->name, b->name);
	return m->reverse ? -r : r;
}

/* A stable merge sort of view (qsort has no context argument in C11). */
static void model_sort_view(struct model *m, size_t *v, size_t n, size_t *tmp)
{
	size_t mid, i, j, k;

	if (n < 2)
		return;
	mid = n / 2;
	model_sort_view(m, v, mid, tmp);
	model_sort_view(m, v + mid, n - mid, tmp);
	i = 0;
	j = mid;
	k = 0;
	while (i < mid && j < n)
		tmp[k++] = model_compare(m, &m->snap.conns[v[j]], &m->snap.conns[v[i]]) < 0
				   ? v[j++]
				   : v[i++];
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

/* Remembers which row is selected, by connection id or (link-dead) name. */
static void model_remember_selection(struct model *m)
{
	const struct conn_row *r = model_selected(m);

	free(m->sel_name);
	m->sel_name = NULL;
	m->sel_id = r ? r->id : 0;
	if (r && !r->id)
		m->sel_name = xstrdup(r->name);
}

/* Rebuilds the view and puts the cursor back on the remembered row. */
static void model_refresh(struct model *m)
{
	size_t *tmp;
	bool found = false;

	free(m->view);
	m->view = xcalloc(m->snap.nconns + 1, sizeof(*m->view));
	m->nview = 0;
	for (size_t i = 0; i < m->snap.nconns; i++)
		if (model_matches(m, &m->snap.conns[i]))
			m->view[m->nview++] = i;
	tmp = xcalloc(m->nview + 1, sizeof(*tmp));
	model_sort_view(m, m->view, m->nview, tmp);
	free(tmp);
	for (size_t i = 0; i < m->nview && (m->sel_id || m->sel_name); i++) {
		const struct conn_row *r = &m->snap.conns[m->view[i]];

		if (m->sel_id ? r->id == m->sel_id : (!r->id && !strcmp(r->name, m->sel_name))) {
			m->cursor = i;
			found = true;
			break;
		}
	}
	if (!found && m->cursor >= m->nview)
		m->cursor = m->nview ? m->nview - 1 : 0;
	model_remember_selection(m);
}

void model_set_snap(struct model *m, struct snap *s)
{
	if (!s->has_conns && m->have_snap && m->snap.has_conns) {
		/* A snapshot without the table keeps the table we have. */
		s->conns = m->snap.conns;
		s->nconns = m->snap.nconns;
		s->has_conns = true;
		m->snap.conns = NULL;
		m->snap.nconns = 0;
	}
	snap_fini(&m->snap);
	m->snap = *s;
	memset(s, 0, sizeof(*s));
	m->have_snap = true;
	model_refresh(m);
}

void model_sort_by(struct model *m, enum model_col col)
{
	if ((unsigned)col >= COL_COUNT)
		return;
	if (m->sort == col) {
		m->reverse = !m->reverse;
	} else {
		m->sort = col;
		m->reverse = false;
	}
	model_refresh(m);
}

void model_sort_next(struct model *m)
{
	m->sort = (enum model_col)((m->sort + 1) % COL_COUNT);
	m->reverse = false;
	model_refresh(m);
}

void model_sort_reverse(struct model *m)
{
	m->reverse = !m->reverse;
	model_refresh(m);
}

void model_set_filter(struct model *m, const char *pattern)
{
	free(m->filter);
	m->filter = NULL;
	if (pattern && *pattern) {
		m->filter = xstrdup(pattern);
		str_lower(m->filter);
	}
	model_refresh(m);
}

void model_move(struct model *m, long delta)
{
	long to = (long)m->cursor + delta;

	if (to < 0)
		to = 0;
	model_move_to(m, (size_t)to);
}

void model_move_to(struct model *m, size_t index)
{
	if (!m->nview) {
		m->cursor = 0;
		return;
	}
	m->cursor = index < m->nview ? index : m->nview - 1;
	model_remember_selection(m);
}

const struct conn_row *model_row(const struct model *m, size_t i)
{
	return i < m->nview ? &m->snap.conns[m->view[i]] : NULL;
}

const struct conn_row *model_selected(const struct model *m)
{
	return model_row(m, m->cursor);
}

/* ---- the log ------------------------------------------------------------------------ */

static const char *const model_levels[] = {"error", "warn", "info", "debug"};

const char *model_level_name(int level)
{
	return level >= 0 && level < 4 ? model_levels[level] : "?";
}

int model_level_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (str_eq_nocase(name, model_levels[i]))
			return i;
	return str_eq_nocase(name, "warning") ? 1 : -1;
}

/* The i-th entry held, 0 the oldest. */
static const struct log_entry *model_log_at(const struct model *m, size_t i)
{
	return &m->log[(m->log_head + MODEL_LOG_MAX - m->log_n + i) % MODEL_LOG_MAX];
}

void model_log_add(struct model *m, int64_t ts_ms, int level, const char *msg)
{
	struct log_entry *e = &m->log[m->log_head];

	free(e->msg);
	e->msg = xstrdup(msg);
	e->ts_ms = ts_ms;
	e->level = level < 0 ? 0 : level > 3 ? 3 : level;
	e->seq = ++m->log_seq;
	m->log_head = (m->log_head + 1) % MODEL_LOG_MAX;
	if (m->log_n < MODEL_LOG_MAX)
		m->log_n++;
}

void model_log_cycle_level(struct model *m)
{
	m->log_level = (m->log_level + 1) % 4;
}

void model_log_pause(struct model *m, bool paused)
{
	m->log_paused = paused;
	if (paused)
		m->log_anchor = m->log_seq;
}

/* The newest seq shown: the anchor when paused, else the newest. */
static uint64_t model_log_end(const struct model *m)
{
	return m->log_paused ? m->log_anchor : m->log_seq;
}

/* Entries that pass the level filter, and the index among them of the newest
 * one shown. */
static size_t model_log_visible(const struct model *m, size_t *shown)
{
	uint64_t end = model_log_end(m);
	size_t n = 0;

	*shown = 0;
	for (size_t i = 0; i < m->log_n; i++) {
		const struct log_entry *e = model_log_at(m, i);

		if (e->level > m->log_level)
			continue;
		if (e->seq <= end)
			*shown = n;
		n++;
	}
	return n;
}

void model_log_scroll(struct model *m, long delta)
{
	size_t shown, n, k = 0;
	long to;

	if (!m->log_paused)
		model_log_pause(m, true);
	n = model_log_visible(m, &shown);
	if (!n)
		return;
	to = (long)shown + delta;
	if (to >= (long)n - 1 && delta > 0) {
		model_log_pause(m, false); /* back at the newest: follow again */
		return;
	}
	if (to < 0)
		to = 0;
	for (size_t i = 0; i < m->log_n; i++) {
		const struct log_entry *e = model_log_at(m, i);

		if (e->level > m->log_level)
			continue;
		if (k++ == (size_t)to) {
			m->log_anchor = e->seq;
			break;
		}
	}
}

size_t model_log_view(const struct model *m, const struct log_entry **out, size_t max)
{
	uint64_t end = model_log_end(m);
	size_t n = 0;

	for (size_t i = m->log_n; i > 0 && n < max; i--) {
		const struct log_entry *e = model_log_at(m, i - 1);

		if (e->seq > end || e->level > m->log_level)
			continue;
		out[n++] = e;
	}
	for (size_t i = 0; i < n / 2; i++) {
		const struct log_entry *t = out[i];

		out[i] = out[n - 1 - i];
		out[n - 1 - i] = t;
	}
	return n;
}

size_t model_log_unseen(const struct model *m)
{
	size_t n = 0;

	if (!m->log_paused)
		return 0;
	for (size_t i = m->log_n; i > 0; i--) {
		const struct log_entry *e = model_log_at(m, i - 1);

		if (e->seq <= m->log_anchor)
			break;
		if (e->level <= m->log_level)
			n++;
	}
	return n;
}

/* ---- the pulse sparkline and --stat ------------------------------------------------- */

int model_spark_level(uint32_t us, uint32_t budget_us)
{
	double lo = 1.0, hi, x;
	int level;

	if (!budget_us)
		budget_us = 100000;
	if (us >= budget_us)
		return 7;
	if (us <= 10)
		return 0;
	hi = log10((double)budget_us);
	x = (log10((double)us) - lo) / (hi - lo) * 7.0;
	level = (int)(x + 0.5);
	return level < 0 ? 0 : level > 6 ? 6 : level;
}

void model_sparkline(const struct snap *s, int width, bool ascii, struct buf *out)
{
	static const char *const bars[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
					    "\u2585", "\u2586", "\u2587", "\u2588"};
	static const char ascii_bars[] = ".,:-=+*#";
	size_t n = s->hist_n < (size_t)(width > 0 ? width : 0) ? s->hist_n : (size_t)width;

	for (int i = 0; i < width - (int)n; i++)
		buf_putc(out, ' ');
	for (size_t i = s->hist_n - n; i < s->hist_n; i++) {
		int level = model_spark_level(s->hist_pulse_max[i], s->budget_us);

		if (ascii)
			buf_putc(out, ascii_bars[level]);
		else
			buf_puts(out, bars[level]);
	}
}

void model_stat_header(struct buf *out)
{
	buf_printf(out,
		   "%-8s %7s %4s %4s %4s %4s %5s %6s %6s %6s %5s %6s %6s %6s %6s %6s "
		   "%-6s %s",
		   "time", "uptime", "plyr", "tel", "web", "ld", "conns", "p50ms", "p99ms", "maxms",
		   "ovr", "cmd/s", "in/s", "out/s", "rssM", "luaM", "db", "flags");
}

void model_db_status(const struct snap *s, int64_t now_s, struct buf *out)
{
	if (s->db_last_error_at && s->db_last_error_at >= s->db_last_save && s->db_saves_failed) {
		buf_puts(out, "FAILING: ");
		buf_puts(out, s->db_last_error && *s->db_last_error ? s->db_last_error : "error");
	} else if (!s->db_last_save) {
		buf_puts(out, "no saves yet");
	} else {
		buf_puts(out, "saved ");
		fmt_duration(out, now_s - s->db_last_save);
		buf_puts(out, " ago");
	}
}

void model_stat_line(const struct snap *s, struct buf *out)
{
	time_t t = (time_t)(s->ts_ms / 1000);
	struct tm tm;
	char when[16];
	struct buf up, in, outb;
	const char *db;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	buf_init(&up, 64);
	buf_init(&in, 64);
	buf_init(&outb, 64);
	fmt_duration(&up, s->uptime_s);
	fmt_bytes(&in, s->in_s);
	fmt_bytes(&outb, s->out_s);
	if (s->db_last_error_at && s->db_last_error_at >= s->db_last_save && s->db_saves_failed)
		db = "FAIL";
	else
		db = s->db_last_save ? "ok" : "-";
	buf_printf(out,
		   "%-8s %7s %4u %4u %4u %4u %5u %6.2f %6.2f %6.2f %5llu %6llu %6s "
		   "%6s %6.1f %6.1f "
		   "%-6s ",
		   when, buf_cstr(&up), s->players, s->players_telnet, s->players_web,
		   s->players_linkdead, s->conns_total, s->p50_10s / 1000.0, s->p99_10s / 1000.0,
		   s->max_10s / 1000.0, (unsigned long long)s->overruns,
		   (unsigned long long)s->cmds_s, buf_cstr(&in), buf_cstr(&outb),
		   (double)s->rss_kb / 1024.0, (double)s->lua_bytes / (1024.0 * 1024.0), db);
	if (s->wizlock)
		buf_puts(out, "wizlock ");
	if (s->countdown)
		buf_printf(out, "%s-in-%llds ", s->countdown_reboot ? "reboot" : "shutdown",
			   (long long)s->countdown_left_s);
	while (out->len && out->data[out->len - 1] == ' ')
		buf_truncate(out, out->len - 1);
	buf_fini(&up);
	buf_fini(&in);
	buf_fini(&outb);
}
