/*
 * screen.c: drawing ruin-console with ncursesw. See screen.h.
 *
 * Start at screen_draw(): a frame is the title row, the pulse row, the
 * rates row, the connections table, the log pane and the bottom line, laid
 * out for the terminal's size (the log pane goes first when rows run out,
 * table columns drop by importance when columns do). Every string reaches
 * the terminal through screen_put(), which folds to ASCII when the locale
 * is not UTF-8 and clips by display width. Colors come from roles
 * (screen_attr()), so one table decides 256-color, 8-color and monochrome.
 */
#include "screen.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "base/banned.h"

#define SCREEN_MIN_COLS 30
#define SCREEN_MIN_ROWS 8
#define SCREEN_LINE_MAX 1024

enum screen_role {
	ROLE_NORMAL,
	ROLE_TITLE,
	ROLE_OK,
	ROLE_WARN,
	ROLE_ERR,
	ROLE_DIM,
	ROLE_SEL,
	ROLE_HEAD,
	ROLE_SPARK,
	ROLE_BADGE,
	ROLE_COUNT
};

/* Per role: 256-color fg/bg, 8-color fg/bg and extra attributes, monochrome
 * attributes. */
static const struct {
	short fg256, bg256;
	short fg8, bg8;
	attr_t attr8;
	attr_t mono;
} screen_roles[ROLE_COUNT] = {
	[ROLE_NORMAL] = {-1, -1, -1, -1, A_NORMAL, A_NORMAL},
	[ROLE_TITLE] = {255, 24, COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD},
	[ROLE_OK] = {114, -1, COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
	[ROLE_WARN] = {221, -1, COLOR_YELLOW, -1, A_BOLD, A_BOLD},
	[ROLE_ERR] = {203, -1, COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
	[ROLE_DIM] = {245, -1, -1, -1, A_DIM, A_DIM},
	[ROLE_SEL] = {16, 110, COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
	[ROLE_HEAD] = {16, 250, COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_UNDERLINE | A_BOLD},
	[ROLE_SPARK] = {80, -1, COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
	[ROLE_BADGE] = {231, 160, COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
};

static attr_t screen_attr(const struct screen *s, enum screen_role r)
{
	switch (s->colors) {
	case SCREEN_256:
		return r == ROLE_NORMAL ? A_NORMAL : COLOR_PAIR(r);
	case SCREEN_8:
		return r == ROLE_NORMAL
			       ? A_NORMAL
			       : (r == ROLE_DIM ? A_DIM : COLOR_PAIR(r)) | screen_roles[r].attr8;
	case SCREEN_MONO:
		break;
	}
	return screen_roles[r].mono;
}

/* ---- life --------------------------------------------------------------------------- */

int screen_start(struct screen *s, bool no_color)
{
	const char *cs = nl_langinfo(CODESET);

	memset(s, 0, sizeof(*s));
	s->ascii = !cs || (strcmp(cs, "UTF-8") != 0 && strcmp(cs, "utf8") != 0);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) || !newterm(NULL, stdout, stdin))
		return -1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	s->colors = SCREEN_MONO;
	if (!no_color && has_colors() && start_color() == OK) {
		use_default_colors();
		s->colors = COLORS >= 256 && COLOR_PAIRS > ROLE_COUNT ? SCREEN_256
			    : COLOR_PAIRS > ROLE_COUNT		      ? SCREEN_8
								      : SCREEN_MONO;
		for (int r = 1; r < ROLE_COUNT && s->colors != SCREEN_MONO; r++) {
			if (s->colors == SCREEN_256)
				init_pair((short)r, screen_roles[r].fg256, screen_roles[r].bg256);
			else
				init_pair((short)r, screen_roles[r].fg8, screen_roles[r].bg8);
		}
	}
	getmaxyx(stdscr, s->rows, s->cols);
	return 0;
}

void screen_stop(struct screen *s)
{
	(void)s;
	curs_set(1);
	endwin();
}

int screen_key(struct screen *s)
{
	wint_t ch;
	int rc = wget_wch(stdscr, &ch);

	if (rc == ERR)
		return SK_NONE;
	if (rc == KEY_CODE_YES) {
		if (ch >= KEY_F(1) && ch <= KEY_F(12))
			return SK_F((int)(ch - KEY_F(0)));
		switch (ch) {
		case KEY_UP:
			return SK_UP;
		case KEY_DOWN:
			return SK_DOWN;
		case KEY_LEFT:
			return SK_LEFT;
		case KEY_RIGHT:
			return SK_RIGHT;
		case KEY_PPAGE:
			return SK_PGUP;
		case KEY_NPAGE:
			return SK_PGDN;
		case KEY_HOME:
			return SK_HOME;
		case KEY_END:
			return SK_END;
		case KEY_ENTER:
			return SK_ENTER;
		case KEY_BACKSPACE:
			return SK_BACKSPACE;
		case KEY_DC:
			return SK_DELETE;
		case KEY_RESIZE:
			getmaxyx(stdscr, s->rows, s->cols);
			return SK_RESIZE;
		default:
			return SK_NONE;
		}
	}
	switch (ch) {
	case '\r':
	case '\n':
		return SK_ENTER;
	case 27:
		return SK_ESC;
	case 127:
	case 8:
		return SK_BACKSPACE;
	case '\t':
		return SK_TAB;
	default:
		return (int)ch;
	}
}

/* ---- text --------------------------------------------------------------------------- */

/*
 * Draws text at (y, x) in at most width columns; returns the columns used.
 * Control characters and undecodable bytes show as '?'.
 */
static int screen_put(const struct screen *s, int y, int x, const char *text, int width,
		      attr_t attr)
{
	wchar_t line[SCREEN_LINE_MAX];
	struct buf folded;
	size_t k = 0, n, i = 0;
	int used = 0;

	if (width <= 0 || y < 0 || y >= s->rows || x >= s->cols)
		return 0;
	if (x + width > s->cols)
		width = s->cols - x;
	buf_init(&folded, 0);
	if (s->ascii) {
		utf8_to_ascii(&folded, text, strlen(text));
		text = buf_cstr(&folded);
	}
	n = strlen(text);
	while (i < n && k < SCREEN_LINE_MAX - 1) {
		uint32_t cp;
		size_t len = utf8_decode(text + i, n - i, &cp);
		int w;

		if (!len) {
			cp = '?';
			len = 1;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			cp = '?';
		w = wcwidth((wchar_t)cp);
		if (w < 0) {
			cp = '?';
			w = 1;
		}
		if (used + w > width)
			break;
		line[k++] = (wchar_t)cp;
		used += w;
		i += len;
	}
	line[k] = 0;
	buf_fini(&folded);
	attron(attr);
	mvaddnwstr(y, x, line, (int)k);
	attroff(attr);
	return used;
}

/* Fills width columns at (y, x) with spaces in attr. */
static void screen_fill(const struct screen *s, int y, int x, int width, attr_t attr)
{
	if (y < 0 || y >= s->rows)
		return;
	attron(attr);
	for (int i = 0; i < width && x + i < s->cols; i++)
		mvaddch(y, x + i, ' ');
	attroff(attr);
}

/* Pads or clips text in b to exactly width columns of ASCII-ish text (cells). */
static void screen_pad(struct buf *b, int width)
{
	size_t cols = utf8_length(b->data ? b->data : "", b->len);

	while ((int)cols < width) {
		buf_putc(b, ' ');
		cols++;
	}
}

/* ---- the header rows ---------------------------------------------------------------- */

/* Display width of a UTF-8 string (code points; the header text is narrow characters). */
static int screen_width(const struct buf *b)
{
	return (int)utf8_length(b->data ? b->data : "", b->len);
}

/*
 * Header rows come in tiers from the fullest to the most compact: the first
 * that fits the width wins (the last one is clipped if nothing fits).
 */
static const struct buf *screen_pick(const struct buf *tiers, int n, int width)
{
	for (int i = 0; i < n; i++)
		if (screen_width(&tiers[i]) <= width)
			return &tiers[i];
	return &tiers[n - 1];
}

static void screen_title(struct screen *s, const struct screen_view *v)
{
	const struct snap *sn = &v->model->snap;
	struct buf left[3], right;
	int rw = 0;

	for (int i = 0; i < 3; i++)
		buf_init(&left[i], 4096);
	buf_init(&right, 4096);
	screen_fill(s, 0, 0, s->cols, screen_attr(s, ROLE_TITLE));
	/* Badges on the right first: they matter more than the numbers. */
	if (v->link == LINK_DOWN)
		buf_puts(&right, s->cols >= 60 ? " DISCONNECTED, reconnecting " : " DISCONNECTED ");
	else if (v->link == LINK_STALE)
		buf_printf(&right, " STALLED? %s ", v->link_text ? v->link_text : "");
	if (v->model->have_snap && sn->countdown)
		buf_printf(&right, " %s in %llds ", sn->countdown_reboot ? "REBOOT" : "SHUTDOWN",
			   (long long)sn->countdown_left_s);
	if (v->model->have_snap && sn->wizlock)
		buf_puts(&right, " WIZLOCK ");
	if (v->readonly)
		buf_puts(&right, " READ-ONLY ");
	if (right.len) {
		int want = screen_width(&right);

		rw = want < s->cols * 2 / 3 ? want : s->cols * 2 / 3;
		screen_put(s, 0, s->cols - rw, buf_cstr(&right), rw, screen_attr(s, ROLE_BADGE));
	}
	if (v->model->have_snap) {
		struct buf up;

		buf_init(&up, 64);
		fmt_duration(&up, sn->uptime_s);
		buf_printf(&left[0],
			   " %s  up %s  players %u (telnet %u, web %u, link-dead %u)  conns %u",
			   sn->server && *sn->server ? sn->server : "ruin-server", buf_cstr(&up),
			   sn->players, sn->players_telnet, sn->players_web, sn->players_linkdead,
			   sn->conns_total);
		if (sn->conns_login)
			buf_printf(&left[0], " (%u at login)", sn->conns_login);
		buf_printf(&left[1], " up %s  players %u (tel %u, web %u, ld %u)  conns %u",
			   buf_cstr(&up), sn->players, sn->players_telnet, sn->players_web,
			   sn->players_linkdead, sn->conns_total);
		buf_printf(&left[2], " up %s pl %u t%u w%u ld%u c%u", buf_cstr(&up), sn->players,
			   sn->players_telnet, sn->players_web, sn->players_linkdead,
			   sn->conns_total);
		buf_fini(&up);
	} else {
		for (int i = 0; i < 3; i++)
			buf_printf(&left[i], " ruin-console  %s", v->socket ? v->socket : "");
	}
	screen_put(s, 0, 0, buf_cstr(screen_pick(left, 3, s->cols - rw - 1)), s->cols - rw - 1,
		   screen_attr(s, ROLE_TITLE));
	for (int i = 0; i < 3; i++)
		buf_fini(&left[i]);
	buf_fini(&right);
}

/* The pulse numbers, in three lengths: tier 0 the fullest. */
static void screen_pulse_info(const struct snap *sn, int tier, struct buf *out)
{
	if (tier < 2) {
		buf_puts(out, " p50 ");
		fmt_us(out, sn->p50_10s);
	}
	buf_puts(out, " p99 ");
	fmt_us(out, sn->p99_10s);
	buf_puts(out, tier < 2 ? " max " : "/");
	fmt_us(out, sn->max_10s);
	buf_puts(out, tier < 2 ? " / " : "/");
	fmt_us(out, sn->budget_us);
	if (tier < 2)
		buf_printf(out, "  overruns %llu", (unsigned long long)sn->overruns);
	else if (sn->overruns)
		buf_printf(out, " ovr %llu", (unsigned long long)sn->overruns);
	if (tier == 0) {
		buf_puts(out, "  (60s: p99 ");
		fmt_us(out, sn->p99_60s);
		buf_puts(out, " max ");
		fmt_us(out, sn->max_60s);
		buf_puts(out, ")");
	}
}

/* The sparkline of per-second pulse maxima against the budget, then the numbers. */
static void screen_pulse(struct screen *s, const struct screen_view *v)
{
	const struct snap *sn = &v->model->snap;
	struct buf info[3], spark;
	const struct buf *pick;
	int x, sw;

	if (!v->model->have_snap) {
		screen_put(s, 1, 1,
			   v->link == LINK_DOWN ? "waiting for the server (reconnecting)..."
						: "waiting for the first snapshot...",
			   s->cols - 2, screen_attr(s, ROLE_DIM));
		return;
	}
	buf_init(&spark, 8192);
	for (int i = 0; i < 3; i++) {
		buf_init(&info[i], 4096);
		screen_pulse_info(sn, i, &info[i]);
	}
	x = screen_put(s, 1, 0, s->cols >= 50 ? "pulse " : "p ", s->cols, screen_attr(s, ROLE_DIM));
	/* Keep a sparkline of at least 12 seconds: shorter numbers first. */
	pick = screen_pick(info, 3, s->cols - x - 12);
	sw = s->cols - x - screen_width(pick);
	if (sw > 120)
		sw = 120;
	if (sw >= 4) {
		model_sparkline(sn, sw, s->ascii, &spark);
		x += screen_put(s, 1, x, buf_cstr(&spark), sw, screen_attr(s, ROLE_SPARK));
	}
	screen_put(s, 1, x, buf_cstr(pick), s->cols - x,
		   screen_attr(s, sn->p99_10s >= sn->budget_us	     ? ROLE_ERR
				  : sn->p99_10s >= sn->budget_us / 2 ? ROLE_WARN
								     : ROLE_NORMAL));
	for (int i = 0; i < 3; i++)
		buf_fini(&info[i]);
	buf_fini(&spark);
}

/* Commands, bytes, memory and the database; the database status keeps its color. */
static void screen_rates(struct screen *s, const struct screen_view *v)
{
	const struct snap *sn = &v->model->snap;
	struct buf head[2], db, tail;
	const struct buf *pick;
	bool failing;
	int x;

	if (!v->model->have_snap)
		return;
	buf_init(&db, 4096);
	buf_init(&tail, 1024);
	for (int i = 0; i < 2; i++) {
		buf_init(&head[i], 4096);
		buf_printf(&head[i], i ? "cmd %llu/s in " : "cmds %llu/s  in ",
			   (unsigned long long)sn->cmds_s);
		fmt_bytes(&head[i], sn->in_s);
		buf_puts(&head[i], i ? " out " : "/s  out ");
		fmt_bytes(&head[i], sn->out_s);
		buf_puts(&head[i], i ? " rss " : "/s  rss ");
		fmt_bytes(&head[i], (uint64_t)sn->rss_kb * 1024);
		buf_puts(&head[i], i ? " lua " : "  lua ");
		fmt_bytes(&head[i], (uint64_t)sn->lua_bytes);
		buf_puts(&head[i], i ? " db " : "  db ");
	}
	model_db_status(sn, v->now_s, &db);
	failing = strncmp(buf_cstr(&db), "FAILING", 7) == 0;
	buf_printf(&tail, "  log %s  consoles %u", sn->log_level ? sn->log_level : "?",
		   sn->consoles);
	pick = screen_pick(head, 2, s->cols - screen_width(&db));
	x = screen_put(s, 2, 0, buf_cstr(pick), s->cols, A_NORMAL);
	x += screen_put(s, 2, x, buf_cstr(&db), s->cols - x,
			screen_attr(s, failing ? ROLE_ERR : ROLE_NORMAL));
	screen_put(s, 2, x, buf_cstr(&tail), s->cols - x, screen_attr(s, ROLE_DIM));
	for (int i = 0; i < 2; i++)
		buf_fini(&head[i]);
	buf_fini(&db);
	buf_fini(&tail);
}

/* ---- the table ---------------------------------------------------------------------- */

static enum screen_role screen_row_role(const struct conn_row *r)
{
	if (!strcmp(r->state, "link-dead"))
		return ROLE_DIM;
	if (!strcmp(r->state, "closing"))
		return ROLE_WARN;
	return ROLE_NORMAL;
}

static void screen_table(struct screen *s, const struct screen_view *v, int y0, int height)
{
	const struct model *m = v->model;
	enum model_col cols[COL_COUNT];
	size_t ncols = model_fit_columns(s->cols - 2, cols);
	int rows = height - 1;
	struct buf line, cell;

	if (height < 2)
		return;
	buf_init(&line, 8192);
	buf_init(&cell, 4096);
	/* The heading, with the sort column marked and the filter on the right. */
	buf_putc(&line, ' ');
	for (size_t i = 0; i < ncols; i++) {
		size_t start = line.len;

		buf_puts(&line, model_col_title(cols[i]));
		if (cols[i] == m->sort)
			buf_puts(&line, s->ascii ? (m->reverse ? "v" : "^")
						 : (m->reverse ? "\u25bc" : "\u25b2"));
		{
			struct buf one;

			buf_init(&one, 256);
			buf_append(&one, line.data + start, line.len - start);
			screen_pad(&one, model_col_width(cols[i]) + 1);
			buf_truncate(&line, start);
			buf_puts(&line, buf_cstr(&one));
			buf_fini(&one);
		}
	}
	screen_fill(s, y0, 0, s->cols, screen_attr(s, ROLE_HEAD));
	screen_put(s, y0, 0, buf_cstr(&line), s->cols, screen_attr(s, ROLE_HEAD));
	if (m->filter || m->nview != m->snap.nconns) {
		buf_clear(&line);
		buf_printf(&line, " /%s  %zu of %zu ", m->filter ? m->filter : "", m->nview,
			   m->snap.nconns);
		if ((int)line.len < s->cols / 2)
			screen_put(s, y0, s->cols - (int)line.len, buf_cstr(&line), (int)line.len,
				   screen_attr(s, ROLE_HEAD) | A_BOLD);
	}
	/* Keep the selection in view. */
	if (m->cursor < s->table_top)
		s->table_top = m->cursor;
	if (rows > 0 && m->cursor >= s->table_top + (size_t)rows)
		s->table_top = m->cursor - (size_t)rows + 1;
	if (s->table_top + (size_t)rows > m->nview)
		s->table_top = m->nview > (size_t)rows ? m->nview - (size_t)rows : 0;
	if (!m->nview) {
		screen_put(s, y0 + 1, 2,
			   !m->have_snap ? ""
			   : m->filter	 ? "no connection matches the filter (/ to change it)"
					 : "no connections",
			   s->cols - 2, screen_attr(s, ROLE_DIM));
	}
	for (int r = 0; r < rows; r++) {
		size_t i = s->table_top + (size_t)r;
		const struct conn_row *row = model_row(m, i);
		bool sel = i == m->cursor;
		attr_t attr;

		if (!row)
			break;
		buf_clear(&line);
		buf_puts(&line, sel ? (s->ascii ? ">" : "\u25b8") : " ");
		for (size_t c = 0; c < ncols; c++) {
			int w = model_col_width(cols[c]);

			buf_clear(&cell);
			model_cell(row, cols[c], &cell);
			/* Clip each cell to its column so the next one lines up. */
			{
				struct buf clip;
				size_t k = 0, n = 0;

				while (k < cell.len && (int)n < w) {
					uint32_t cp;
					size_t len = utf8_decode(cell.data + k, cell.len - k, &cp);

					k += len ? len : 1;
					n++;
				}
				buf_init(&clip, 4096);
				buf_append(&clip, cell.data ? cell.data : "", k);
				screen_pad(&clip, w + 1);
				buf_puts(&line, buf_cstr(&clip));
				buf_fini(&clip);
			}
		}
		attr = screen_attr(s, sel ? ROLE_SEL : screen_row_role(row));
		if (sel)
			screen_fill(s, y0 + 1 + r, 0, s->cols, attr);
		screen_put(s, y0 + 1 + r, 0, buf_cstr(&line), s->cols, attr);
	}
	buf_fini(&line);
	buf_fini(&cell);
}

/* ---- the log pane ------------------------------------------------------------------- */

static void screen_log(struct screen *s, const struct screen_view *v, int y0, int height)
{
	const struct model *m = v->model;
	const struct log_entry **lines;
	size_t n, unseen = model_log_unseen(m);
	struct buf sep;
	const char *dash = s->ascii ? "-" : "\u2500";

	if (height < 2)
		return;
	buf_init(&sep, 8192);
	buf_printf(&sep, "%s%s log: %s, %s and above", dash, dash,
		   m->log_paused ? "PAUSED (p follows)" : "following",
		   model_level_name(m->log_level));
	if (unseen)
		buf_printf(&sep, ", %zu new below", unseen);
	buf_putc(&sep, ' ');
	for (int i = (int)utf8_length(sep.data, sep.len); i < s->cols; i++)
		buf_puts(&sep, dash);
	screen_put(s, y0, 0, buf_cstr(&sep), s->cols,
		   screen_attr(s, m->log_paused ? ROLE_WARN : ROLE_DIM));
	buf_fini(&sep);
	lines = calloc((size_t)height, sizeof(*lines));
	if (!lines)
		return;
	n = model_log_view(m, lines, (size_t)height - 1);
	for (size_t i = 0; i < n; i++) {
		const struct log_entry *e = lines[i];
		time_t t = (time_t)(e->ts_ms / 1000);
		struct tm tm;
		char when[16];
		struct buf b;
		static const enum screen_role roles[4] = {ROLE_ERR, ROLE_WARN, ROLE_NORMAL,
							  ROLE_DIM};
		static const char *const tags[4] = {"ERROR", "WARN ", "INFO ", "DEBUG"};

		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		buf_init(&b, 16384);
		buf_printf(&b, "%s %s %s", when, tags[e->level], e->msg);
		screen_put(s, y0 + 1 + (int)i, 0, buf_cstr(&b), s->cols,
			   screen_attr(s, roles[e->level]));
		buf_fini(&b);
	}
	free(lines);
}

/* ---- the bottom line and pages ------------------------------------------------------ */

static void screen_bottom(struct screen *s, const struct screen_view *v)
{
	int y = s->rows - 1;

	if (v->prompt) {
		int x = screen_put(s, y, 0, v->prompt, s->cols, A_BOLD);
		struct buf in;
		int room = s->cols - x - 1;
		const char *text = v->input ? v->input : "";
		size_t len = utf8_length(text, strlen(text));

		/* Show the end of a long input. */
		buf_init(&in, 0);
		if ((int)len > room && room > 0) {
			size_t skip = len - (size_t)room, k = 0;

			while (skip-- && text[k]) {
				uint32_t cp;
				size_t l = utf8_decode(text + k, strlen(text + k), &cp);

				k += l ? l : 1;
			}
			text += k;
		}
		buf_puts(&in, text);
		x += screen_put(s, y, x, buf_cstr(&in), room, A_NORMAL);
		buf_fini(&in);
		move(y, x < s->cols ? x : s->cols - 1);
		curs_set(1);
		return;
	}
	curs_set(0);
	if (v->status)
		screen_put(s, y, 0, v->status, s->cols,
			   screen_attr(s, v->status_level == 0	 ? ROLE_ERR
					  : v->status_level == 1 ? ROLE_WARN
								 : ROLE_OK));
	else if (v->hints)
		screen_put(s, y, 0, v->hints, s->cols, screen_attr(s, ROLE_DIM));
}

/* Draws text one line per row from line `scroll`, under a title. */
static void screen_page(struct screen *s, const struct screen_view *v, const char *title,
			const char *text)
{
	const char *p = text ? text : "";
	int y = 1;

	screen_fill(s, 0, 0, s->cols, screen_attr(s, ROLE_TITLE));
	screen_put(s, 0, 1, title, s->cols - 2, screen_attr(s, ROLE_TITLE));
	for (size_t skip = v->scroll; skip && *p; skip--) {
		const char *nl = strchr(p, '\n');

		p = nl ? nl + 1 : p + strlen(p);
	}
	while (*p && y < s->rows - 1) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		struct buf line;

		buf_init(&line, 0);
		buf_append(&line, p, n);
		screen_put(s, y++, 1, buf_cstr(&line), s->cols - 2, A_NORMAL);
		buf_fini(&line);
		p += n + (nl ? 1 : 0);
	}
	screen_bottom(s, v);
}

void screen_draw(struct screen *s, const struct screen_view *v)
{
	int avail, log_h, table_h;

	getmaxyx(stdscr, s->rows, s->cols);
	erase();
	if (s->cols < SCREEN_MIN_COLS || s->rows < SCREEN_MIN_ROWS) {
		screen_put(s, 0, 0, "terminal too small", s->cols, A_BOLD);
		screen_put(s, 1, 0, "(needs 30x8)", s->cols, A_NORMAL);
		refresh();
		return;
	}
	if (v->page == PAGE_HELP) {
		screen_page(s, v, "ruin-console help (any key returns; PgUp/PgDn scroll)", v->help);
	} else if (v->page == PAGE_DETAIL) {
		screen_page(s, v, "connection details (Esc returns)", v->detail);
	} else if (v->page == PAGE_REPORT) {
		screen_page(s, v, "the server's answer (any key returns)", v->detail);
	} else if (v->page == PAGE_HEALTH) {
		screen_page(s, v, "memory, database, pulses (any key returns)", v->detail);
	} else {
		screen_title(s, v);
		screen_pulse(s, v);
		screen_rates(s, v);
		avail = s->rows - 4;
		log_h = s->rows >= 16 ? avail * 2 / 5 : 0;
		if (log_h && log_h < 4)
			log_h = 4;
		table_h = avail - log_h;
		screen_table(s, v, 3, table_h);
		if (log_h)
			screen_log(s, v, 3 + table_h, log_h);
		screen_bottom(s, v);
	}
	refresh();
}
