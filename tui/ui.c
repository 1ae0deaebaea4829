/*
 * ui.c: keys, pages, prompts and confirmations of ruin-console. See ui.h.
 *
 * Start at ui_keys[]: every binding with its function key, its letter
 * alias (so everything works over ssh and in terminals that eat F-keys)
 * and its help line; the help page is printed from this table and from
 * command.c's. Actions on keys build the same struct command as the `:`
 * line (command_parse), so both paths share the confirmation (for kick,
 * shutdown, reboots, wizlock on), the read-only refusal and the sending.
 */
#include "ui.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/str.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "pages.h"
#include "base/banned.h"

#define UI_STATUS_MS 6000
/* A detail page asks for fresh numbers this often. */
#define UI_DETAIL_MS 1000

/* ---- the status line ---------------------------------------------------------------- */

static void ui_say(struct ui *u, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void ui_say(struct ui *u, int level, const char *fmt, ...)
{
	va_list ap;

	buf_clear(&u->status);
	va_start(ap, fmt);
	buf_vprintf(&u->status, fmt, ap);
	va_end(ap);
	u->status_level = level;
	u->status_until_ms = u->now_ms + UI_STATUS_MS;
	u->dirty = true;
}

/* ---- sending ------------------------------------------------------------------------ */

static void ui_remember(struct ui *u, int64_t id)
{
	for (size_t i = 0; i < sizeof(u->pending) / sizeof(u->pending[0]); i++) {
		if (!u->pending[i]) {
			u->pending[i] = id;
			return;
		}
	}
	memmove(u->pending, u->pending + 1, sizeof(u->pending) - sizeof(u->pending[0]));
	u->pending[sizeof(u->pending) / sizeof(u->pending[0]) - 1] = id;
}

/* Forgets id; true if it was ours. */
static bool ui_forget(struct ui *u, int64_t id)
{
	for (size_t i = 0; id && i < sizeof(u->pending) / sizeof(u->pending[0]); i++) {
		if (u->pending[i] == id) {
			u->pending[i] = 0;
			return true;
		}
	}
	return false;
}

static void ui_send(struct ui *u, const struct command *c)
{
	json_t *req = command_request(c);
	struct buf what;
	int64_t id;

	if (!req)
		return;
	buf_init(&what, 4096);
	command_describe(c, NULL, &what);
	id = client_request(u->client, req);
	json_decref(req);
	if (id < 0)
		ui_say(u, 0, "not sent (the server is not connected): %s", buf_cstr(&what));
	else {
		ui_remember(u, id);
		ui_say(u, 2, "%s: sent, waiting for the server...", buf_cstr(&what));
	}
	buf_fini(&what);
}

/* ---- running a command -------------------------------------------------------------- */

static void ui_open_help(struct ui *u);

/* Does what a parsed command says: a view change here, an action via the
 * server. */
static void ui_do(struct ui *u, struct command *c, const char *target)
{
	int col;

	switch (c->kind) {
	case CMD_NONE:
		return;
	case CMD_FILTER:
		model_set_filter(&u->model, buf_cstr(&c->text));
		ui_say(u, 2, c->text.len ? "filter: %s" : "filter cleared%s", buf_cstr(&c->text));
		return;
	case CMD_SORT:
		if (!c->text.len) {
			model_sort_reverse(&u->model);
			return;
		}
		col = model_col_parse(buf_cstr(&c->text));
		if (col < 0)
			ui_say(u, 0, "sort: no column '%s'", buf_cstr(&c->text));
		else
			model_sort_by(&u->model, (enum model_col)col);
		return;
	case CMD_SHOW:
		u->model.log_level = c->level;
		return;
	case CMD_HELP:
		ui_open_help(u);
		return;
	case CMD_QUIT:
		u->quit = true;
		return;
	default:
		break;
	}
	if (u->readonly) {
		ui_say(u, 0, "read-only console (--readonly): %s refused", command_name(c->kind));
		return;
	}
	if (command_needs_confirm(c)) {
		command_reset(&u->cmd);
		u->cmd.kind = c->kind;
		u->cmd.conn = c->conn;
		u->cmd.seconds = c->seconds;
		u->cmd.on = c->on;
		u->cmd.level = c->level;
		buf_puts(&u->cmd.text, buf_cstr(&c->text));
		buf_clear(&u->prompt);
		command_describe(c, target, &u->prompt);
		buf_puts(&u->prompt, "? [y/N] ");
		buf_clear(&u->line);
		u->input = IN_CONFIRM;
		u->dirty = true;
		return;
	}
	ui_send(u, c);
}

void ui_run(struct ui *u, const char *line)
{
	struct command c;
	struct buf err;

	command_init(&c);
	buf_init(&err, 1024);
	if (command_parse(line, &c, &err) < 0)
		ui_say(u, 0, "%s", buf_cstr(&err));
	else
		ui_do(u, &c, NULL);
	buf_fini(&err);
	command_fini(&c);
}

/* "Ayla, 127.0.0.1" for a confirmation. */
static void ui_target(const struct conn_row *r, struct buf *out)
{
	buf_printf(out, "%s, %s", *r->name ? r->name : "not logged in", r->addr);
}

/* ---- typing ------------------------------------------------------------------------- */

static void ui_ask(struct ui *u, enum ui_input in, const char *prompt, const char *start)
{
	buf_clear(&u->prompt);
	buf_puts(&u->prompt, prompt);
	buf_clear(&u->line);
	buf_puts(&u->line, start ? start : "");
	u->input = in;
	u->dirty = true;
}

/* Asks for the rest of a command: the typed text is appended to prefix and
 * parsed. */
static void ui_ask_args(struct ui *u, enum command_kind kind, const char *prefix,
			const char *prompt)
{
	if (u->readonly) {
		ui_say(u, 0, "read-only console (--readonly): %s refused", command_name(kind));
		return;
	}
	u->asking = kind;
	buf_clear(&u->ask_prefix);
	buf_puts(&u->ask_prefix, prefix);
	ui_ask(u, IN_ARGS, prompt, NULL);
}

static void ui_input_done(struct ui *u, bool accept)
{
	enum ui_input in = u->input;
	struct buf line;

	u->input = IN_NONE;
	u->dirty = true;
	buf_init(&line, 0);
	buf_puts(&line, buf_cstr(&u->line));
	buf_clear(&u->line);
	switch (in) {
	case IN_FILTER:
		if (!accept)
			model_set_filter(&u->model, u->filter_before);
		free(u->filter_before);
		u->filter_before = NULL;
		break;
	case IN_COMMAND:
		if (accept)
			ui_run(u, buf_cstr(&line));
		break;
	case IN_ARGS:
		if (accept) {
			struct buf full;
			struct command c;
			struct buf err;

			buf_init(&full, 0);
			buf_init(&err, 1024);
			command_init(&c);
			buf_printf(&full, "%s %s", buf_cstr(&u->ask_prefix), buf_cstr(&line));
			if (command_parse(buf_cstr(&full), &c, &err) < 0)
				ui_say(u, 0, "%s", buf_cstr(&err));
			else
				ui_do(u, &c, buf_cstr(&u->cmd_target));
			command_fini(&c);
			buf_fini(&err);
			buf_fini(&full);
		}
		break;
	case IN_CONFIRM:
		if (accept)
			ui_send(u, &u->cmd);
		else
			ui_say(u, 1, "cancelled: nothing was sent");
		break;
	case IN_NONE:
		break;
	}
	buf_fini(&line);
}

/* A key while typing. */
static void ui_input_key(struct ui *u, int key)
{
	u->dirty = true;
	if (u->input == IN_CONFIRM) {
		ui_input_done(u, key == 'y' || key == 'Y');
		return;
	}
	switch (key) {
	case SK_ENTER:
		ui_input_done(u, true);
		return;
	case SK_ESC:
	case 3: /* ^C */
	case 7: /* ^G */
		ui_input_done(u, false);
		return;
	case SK_BACKSPACE:
		/* Drop the last code point. */
		while (u->line.len && ((unsigned char)u->line.data[u->line.len - 1] & 0xc0) == 0x80)
			buf_truncate(&u->line, u->line.len - 1);
		if (u->line.len)
			buf_truncate(&u->line, u->line.len - 1);
		else if (u->input == IN_COMMAND)
			ui_input_done(u, false); /* backspace past ':' leaves command mode */
		break;
	case 21: /* ^U */
		buf_clear(&u->line);
		break;
	default:
		if (key >= 0x20 && key != 0x7f && key <= 0x10ffff &&
		    !(key >= 0xd800 && key < 0xe000)) {
			char enc[4];

			buf_append(&u->line, enc, utf8_encode((uint32_t)key, enc));
		}
		break;
	}
	if (u->input == IN_FILTER)
		model_set_filter(&u->model, buf_cstr(&u->line));
}

/* ---- pages -------------------------------------------------------------------------- */

struct ui_binding {
	int fkey;  /* SK_F(n), another SK_ key, or 0 */
	int alias; /* its letter, or 0 */
	const char *keys;
	const char *help;
	void (*fn)(struct ui *u);
};

static void ui_detail_refresh(struct ui *u)
{
	/* A link-dead character (id 0) has no connection to ask about: its row says
	 * it all. */
	const struct conn_row *row = u->detail_id ? NULL : model_selected(&u->model);

	buf_clear(&u->text);
	if (u->detail_gone)
		buf_printf(&u->text, "Connection %u is gone.\n", u->detail_id);
	else if (u->detail_id && !u->detail)
		buf_printf(&u->text, "Asking the server about connection %u...\n", u->detail_id);
	else
		pages_detail(u->detail, row, &u->text);
	u->dirty = true;
}

/* The health page's text, from the last snapshot. */
static void ui_health_refresh(struct ui *u, int64_t now_s)
{
	buf_clear(&u->text);
	pages_health(&u->model.snap, now_s, &u->text);
	u->dirty = true;
}

static void ui_detail_ask(struct ui *u)
{
	json_t *req = json_pack("{s:s, s:I}", "op", "conn", "conn", (json_int_t)u->detail_id);
	int64_t id = client_request(u->client, req);

	json_decref(req);
	if (id > 0)
		ui_remember(u, id);
	u->detail_asked_ms = u->now_ms;
}

/* ---- key actions -------------------------------------------------------------------- */

static void ui_k_help(struct ui *u)
{
	ui_open_help(u);
}

static void ui_k_sort(struct ui *u)
{
	model_sort_next(&u->model);
	ui_say(u, 2, "sorted by %s", model_col_name(u->model.sort));
}

static void ui_k_reverse(struct ui *u)
{
	model_sort_reverse(&u->model);
}

static void ui_k_filter(struct ui *u)
{
	free(u->filter_before);
	u->filter_before = u->model.filter ? xstrdup(u->model.filter) : NULL;
	ui_ask(u, IN_FILTER, "/", u->model.filter);
}

static void ui_k_command(struct ui *u)
{
	ui_ask(u, IN_COMMAND, ":", NULL);
}

static void ui_k_log_level(struct ui *u)
{
	model_log_cycle_level(&u->model);
	ui_say(u, 2, "log pane: %s and above", model_level_name(u->model.log_level));
}

static void ui_k_log_pause(struct ui *u)
{
	model_log_pause(&u->model, !u->model.log_paused);
}

static void ui_k_log_older(struct ui *u)
{
	model_log_scroll(&u->model, -5);
}

static void ui_k_log_newer(struct ui *u)
{
	model_log_scroll(&u->model, 5);
}

static void ui_k_up(struct ui *u)
{
	model_move(&u->model, -1);
}

static void ui_k_down(struct ui *u)
{
	model_move(&u->model, 1);
}

static void ui_k_top(struct ui *u)
{
	model_move_to(&u->model, 0);
}

static void ui_k_bottom(struct ui *u)
{
	model_move_to(&u->model, u->model.nview ? u->model.nview - 1 : 0);
}

static void ui_k_detail(struct ui *u)
{
	const struct conn_row *r = model_selected(&u->model);

	if (!r) {
		ui_say(u, 1, "no connection selected");
		return;
	}
	json_decref(u->detail);
	u->detail = NULL;
	u->detail_gone = false;
	u->detail_id = r->id;
	u->page = PAGE_DETAIL;
	u->scroll = 0;
	if (r->id)
		ui_detail_ask(u);
	ui_detail_refresh(u);
}

static void ui_k_kick(struct ui *u)
{
	const struct conn_row *r = u->page == PAGE_DETAIL ? NULL : model_selected(&u->model);
	uint32_t id = u->page == PAGE_DETAIL ? u->detail_id : r ? r->id : 0;
	struct buf prefix, prompt;

	if (!id) {
		ui_say(u, 1, "select a connection to kick first (a link-dead character has none)");
		return;
	}
	buf_init(&prefix, 64);
	buf_init(&prompt, 1024);
	buf_clear(&u->cmd_target);
	if (r)
		ui_target(r, &u->cmd_target);
	else
		buf_puts(&u->cmd_target, "this connection");
	buf_printf(&prefix, "kick %u", id);
	buf_printf(&prompt, "Kick %u (%s); message (Enter for the default): ", id,
		   buf_cstr(&u->cmd_target));
	u->page = PAGE_MAIN;
	ui_ask_args(u, CMD_KICK, buf_cstr(&prefix), buf_cstr(&prompt));
	buf_fini(&prefix);
	buf_fini(&prompt);
}

static void ui_k_broadcast(struct ui *u)
{
	ui_ask_args(u, CMD_BROADCAST, "broadcast", "Broadcast to every player: ");
}

static void ui_k_reload(struct ui *u)
{
	ui_ask_args(u, CMD_RELOAD, "reload", "Reload area: ");
}

static void ui_k_shutdown(struct ui *u)
{
	ui_ask_args(u, CMD_SHUTDOWN, "shutdown",
		    "Shut down: [seconds, default 60] [message for players]: ");
}

static void ui_k_reboot(struct ui *u)
{
	ui_ask_args(u, CMD_REBOOT, "reboot",
		    "Reboot: [seconds, default 60] [message for players]: ");
}

static void ui_k_hot_reboot(struct ui *u)
{
	ui_run(u, "hotreboot");
}

static void ui_k_cancel(struct ui *u)
{
	ui_run(u, "cancel");
}

static void ui_k_wizlock(struct ui *u)
{
	ui_run(u, u->model.have_snap && u->model.snap.wizlock ? "wizlock off" : "wizlock on");
}

static void ui_k_loglevel(struct ui *u)
{
	ui_ask_args(u, CMD_LOGLEVEL, "loglevel",
		    "The server's log level (error warn info debug): ");
}

static void ui_k_health(struct ui *u)
{
	if (!u->model.have_snap) {
		ui_say(u, 1, "no numbers from the server yet");
		return;
	}
	u->page = PAGE_HEALTH;
	u->scroll = 0;
	ui_health_refresh(u, (int64_t)time(NULL));
}

static void ui_k_quit(struct ui *u)
{
	u->quit = true;
}

static void ui_k_redraw(struct ui *u)
{
	u->dirty = true;
}

static const struct ui_binding ui_keys[] = {
	{SK_F(1), '?', "F1  ?", "this help", ui_k_help},
	{SK_F(2), 's', "F2  s", "sort the table by the next column", ui_k_sort},
	{0, 'r', "r", "reverse the sort", ui_k_reverse},
	{SK_F(3), '/', "F3  /", "filter the table (text or glob; empty: all; Esc undoes)",
	 ui_k_filter},
	{SK_F(4), 'l', "F4  l", "log pane: show error / warn / info / debug and above",
	 ui_k_log_level},
	{0, 'p', "p", "log pane: pause or follow", ui_k_log_pause},
	{SK_PGUP, '[', "PgUp [", "log pane: older lines (pauses)", ui_k_log_older},
	{SK_PGDN, ']', "PgDn ]", "log pane: newer lines (follows at the end)", ui_k_log_newer},
	{SK_UP, 'k', "Up   k", "select the row above", ui_k_up},
	{SK_DOWN, 'j', "Down j", "select the row below", ui_k_down},
	{SK_HOME, 'g', "Home g", "select the first row", ui_k_top},
	{SK_END, 'G', "End  G", "select the last row", ui_k_bottom},
	{SK_ENTER, 'i', "Enter i", "details of the selected connection (all capabilities)",
	 ui_k_detail},
	{0, 'm', "m", "memory (Lua per area), database, pulses and the console's cost",
	 ui_k_health},
	{SK_F(5), 'B', "F5  B", "broadcast a message to every player", ui_k_broadcast},
	{SK_F(6), 'K', "F6  K", "kick the selected connection (asks first)", ui_k_kick},
	{SK_F(7), 'W', "F7  W", "wizlock on / off (only admins may log in)", ui_k_wizlock},
	{SK_F(8), 'A', "F8  A", "reload an area", ui_k_reload},
	{SK_F(9), 'D', "F9  D", "shut down after a countdown (asks first)", ui_k_shutdown},
	{0, 'R', "R", "reboot after a countdown: exit status 3 (asks first)", ui_k_reboot},
	{0, 'H', "H", "hot reboot: connections stay (asks first)", ui_k_hot_reboot},
	{0, 'C', "C", "cancel a shutdown or reboot countdown", ui_k_cancel},
	{0, 'V', "V", "set the server's log level", ui_k_loglevel},
	{0, ':', ":", "command mode (see below)", ui_k_command},
	{12, 0, "^L", "redraw", ui_k_redraw},
	{SK_F(10), 'q', "F10 q", "quit (the server keeps running)", ui_k_quit},
};
static const size_t ui_nkeys = sizeof(ui_keys) / sizeof(ui_keys[0]);

static void ui_open_help(struct ui *u)
{
	buf_clear(&u->text);
	buf_puts(&u->text, "Keys (each function key has a letter that does the same, for ssh)\n\n");
	for (size_t i = 0; i < ui_nkeys; i++)
		buf_printf(&u->text, "  %-16s %s\n", ui_keys[i].keys, ui_keys[i].help);
	buf_puts(&u->text, "\nCommands (type : first; a unique prefix is enough)\n\n");
	command_help(&u->text);
	buf_puts(&u->text, "\nKick, shutdown, reboots and wizlock on ask y/N first. "
			   "With --readonly every\n"
			   "action is refused here and by the server. The console "
			   "reconnects by itself\n"
			   "when the server restarts; the title bar says when it is "
			   "disconnected.\n");
	u->page = PAGE_HELP;
	u->scroll = 0;
	u->dirty = true;
}

static const char ui_hints[] = "?:help  /:filter  s:sort  r:reverse  Enter:details  K:kick  "
			       "B:broadcast  W:wizlock  D:shutdown  R:reboot  ::command  q:quit";

/* ---- keys --------------------------------------------------------------------------- */

static void ui_page_key(struct ui *u, int key)
{
	switch (key) {
	case SK_DOWN:
	case 'j':
		u->scroll++;
		break;
	case SK_UP:
	case 'k':
		if (u->scroll)
			u->scroll--;
		break;
	case SK_PGDN:
	case ' ':
		u->scroll += 10;
		break;
	case SK_PGUP:
		u->scroll = u->scroll > 10 ? u->scroll - 10 : 0;
		break;
	case 'K':
	case SK_F(6):
		if (u->page == PAGE_DETAIL)
			ui_k_kick(u);
		break;
	case 'q':
	case SK_F(10):
		if (u->page == PAGE_DETAIL) {
			u->page = PAGE_MAIN;
			break;
		}
		/* fall through */
	default:
		u->page = PAGE_MAIN;
		json_decref(u->detail);
		u->detail = NULL;
		u->detail_id = 0;
		break;
	}
	u->dirty = true;
}

void ui_key(struct ui *u, int key)
{
	if (key == SK_NONE)
		return;
	u->dirty = true;
	if (key == SK_RESIZE)
		return;
	if (u->input != IN_NONE) {
		ui_input_key(u, key);
		return;
	}
	if (u->page != PAGE_MAIN) {
		if (key == 3)
			u->quit = true;
		else
			ui_page_key(u, key);
		return;
	}
	if (key == 3 || key == SK_ESC) { /* ^C quits; Esc clears the status line */
		if (key == 3)
			u->quit = true;
		buf_clear(&u->status);
		return;
	}
	for (size_t i = 0; i < ui_nkeys; i++) {
		if ((ui_keys[i].fkey && key == ui_keys[i].fkey) ||
		    (ui_keys[i].alias && key == ui_keys[i].alias)) {
			ui_keys[i].fn(u);
			return;
		}
	}
	if (key > 0 && key < 0x7f && key >= 0x20)
		ui_say(u, 1, "'%c' does nothing here; ? lists the keys", key);
}

/* ---- client events ------------------------------------------------------------------ */

static void ui_ev_state(void *ud, enum client_state st, const char *why)
{
	struct ui *u = ud;

	if (st == CLIENT_OFFLINE && *why)
		ui_say(u, 0, "disconnected: %s; reconnecting", why);
	else if (st == CLIENT_READY)
		ui_say(u, 2, "connected to %s", u->socket);
	u->dirty = true;
}

static void ui_ev_stats(void *ud, struct snap *s)
{
	struct ui *u = ud;

	model_set_snap(&u->model, s);
	if (u->page == PAGE_HEALTH)
		ui_health_refresh(u, (int64_t)time(NULL));
	u->dirty = true;
}

static void ui_ev_log(void *ud, int64_t ts_ms, int level, const char *msg)
{
	struct ui *u = ud;

	model_log_add(&u->model, ts_ms, level, msg);
	u->dirty = true;
}

static void ui_ev_reply(void *ud, const struct client_reply *r)
{
	struct ui *u = ud;
	bool ours = ui_forget(u, r->id);

	if (u->page == PAGE_DETAIL && ours && !r->ok && !strcmp(r->op, "conn")) {
		u->detail_gone = true;
		ui_detail_refresh(u);
		return;
	}
	if (r->error && (ours || !r->id)) {
		ui_say(u, 0, "refused (%s): %s", r->code, r->text);
	} else if (ours && strchr(r->text, '\n')) {
		/* A report of several lines (a reload's problems): a page of its own. */
		buf_clear(&u->text);
		buf_printf(&u->text, "%s: %s\n\n%s\n", r->op, r->ok ? "done" : "FAILED", r->text);
		u->page = PAGE_REPORT;
		u->scroll = 0;
		ui_say(u, r->ok ? 2 : 0, "%s: %s", r->op,
		       r->ok ? "done" : "failed (see the report)");
	} else if (ours && strcmp(r->op, "conn") != 0) {
		ui_say(u, r->ok ? 2 : 0, "%s: %s%s", r->op, r->ok ? "" : "failed: ", r->text);
	}
}

static void ui_ev_conn(void *ud, json_t *conn)
{
	struct ui *u = ud;
	json_t *id = json_object_get(conn, "id");

	if (u->page != PAGE_DETAIL || !json_is_integer(id) ||
	    (uint32_t)json_integer_value(id) != u->detail_id)
		return;
	json_decref(u->detail);
	u->detail = json_incref(conn);
	ui_detail_refresh(u);
}

static const struct client_events ui_events = {
	.state = ui_ev_state,
	.stats = ui_ev_stats,
	.log = ui_ev_log,
	.reply = ui_ev_reply,
	.conn = ui_ev_conn,
};

const struct client_events *ui_client_events(void)
{
	return &ui_events;
}

/* ---- life --------------------------------------------------------------------------- */

void ui_init(struct ui *u, const char *socket, bool readonly, int interval)
{
	memset(u, 0, sizeof(*u));
	model_init(&u->model);
	u->socket = socket;
	u->readonly = readonly;
	u->interval = interval < 1 ? 1 : interval;
	u->dirty = true;
	u->link = LINK_DOWN;
	buf_init(&u->prompt, 4096);
	buf_init(&u->line, 4096);
	buf_init(&u->ask_prefix, 256);
	buf_init(&u->cmd_target, 1024);
	buf_init(&u->status, 4096);
	buf_init(&u->text, 0);
	buf_init(&u->link_text, 1024);
	command_init(&u->cmd);
}

void ui_fini(struct ui *u)
{
	model_fini(&u->model);
	buf_fini(&u->prompt);
	buf_fini(&u->line);
	buf_fini(&u->ask_prefix);
	buf_fini(&u->cmd_target);
	buf_fini(&u->status);
	buf_fini(&u->text);
	buf_fini(&u->link_text);
	command_fini(&u->cmd);
	free(u->filter_before);
	json_decref(u->detail);
}

void ui_tick(struct ui *u, int64_t now_ms)
{
	enum screen_link link = LINK_UP;
	int64_t quiet;

	u->now_ms = now_ms;
	buf_clear(&u->link_text);
	switch (client_state(u->client)) {
	case CLIENT_OFFLINE:
		link = LINK_DOWN;
		buf_puts(&u->link_text, client_error(u->client));
		break;
	case CLIENT_WAITING:
		link = LINK_DOWN;
		buf_puts(&u->link_text, "connected, waiting for the server's hello");
		break;
	case CLIENT_READY:
		quiet = now_ms - client_last_message_ms(u->client);
		if (quiet > 3000 + 2000LL * u->interval) {
			link = LINK_STALE;
			buf_printf(&u->link_text, "no data for %llds", (long long)(quiet / 1000));
		}
		break;
	}
	if (link != u->link || link == LINK_STALE)
		u->dirty = true;
	u->link = link;
	if (u->status.len && now_ms >= u->status_until_ms) {
		buf_clear(&u->status);
		u->dirty = true;
	}
	if (u->page == PAGE_DETAIL && u->detail_id && !u->detail_gone &&
	    now_ms - u->detail_asked_ms >= UI_DETAIL_MS)
		ui_detail_ask(u);
}

void ui_view(struct ui *u, struct screen_view *v, int64_t now_wall_s)
{
	memset(v, 0, sizeof(*v));
	v->model = &u->model;
	v->page = u->page;
	v->link = u->link;
	v->link_text = buf_cstr(&u->link_text);
	v->socket = u->socket;
	v->readonly = u->readonly;
	v->detail = buf_cstr(&u->text);
	v->help = buf_cstr(&u->text);
	v->scroll = u->scroll;
	if (u->input != IN_NONE) {
		v->prompt = buf_cstr(&u->prompt);
		v->input = buf_cstr(&u->line);
	}
	if (u->status.len) {
		v->status = buf_cstr(&u->status);
		v->status_level = u->status_level;
	} else if (u->link == LINK_DOWN && u->link_text.len) {
		v->status = buf_cstr(&u->link_text);
		v->status_level = 0;
	}
	v->hints = u->page == PAGE_MAIN ? ui_hints : "Esc: back   Up/Down/PgUp/PgDn: scroll";
	v->now_s = now_wall_s;
	u->dirty = false;
}
