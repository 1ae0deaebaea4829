/*
 * ui.c: the status line, sending requests and matching their replies,
 * running a command, typing (prompts and confirmations), the detail and
 * health pages' text, the client's events and the ui's life of
 * ruin-console. See ui.h. The key bindings and what each key does are in
 * ui_keys.c (start there, at ui_keys[]); ui_internal.h is what the two
 * share.
 *
 * Here, start at ui_do(): actions on keys and the `:` line (ui_run(),
 * command_parse) both end in it, so they share the confirmation (for
 * kick, shutdown, reboots, wizlock on), the read-only refusal and the
 * sending.
 */
#include "ui_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/str.h"
#include "base/utf8.h"
#include "pages.h"
#include "base/banned.h"

#define UI_STATUS_MS 6000
/* A detail page asks for fresh numbers this often. */
#define UI_DETAIL_MS 1000

/* ---- the status line ---------------------------------------------------------------- */

void ui_say(struct ui *u, int level, const char *fmt, ...)
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

/* ---- typing ------------------------------------------------------------------------- */

void ui_ask(struct ui *u, enum ui_input in, const char *prompt, const char *start)
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
void ui_ask_args(struct ui *u, enum command_kind kind, const char *prefix, const char *prompt)
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
void ui_input_key(struct ui *u, int key)
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

void ui_detail_refresh(struct ui *u)
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
void ui_health_refresh(struct ui *u, int64_t now_s)
{
	buf_clear(&u->text);
	pages_health(&u->model.snap, now_s, &u->text);
	u->dirty = true;
}

void ui_detail_ask(struct ui *u)
{
	json_t *req = json_pack("{s:s, s:I}", "op", "conn", "conn", (json_int_t)u->detail_id);
	int64_t id = client_request(u->client, req);

	json_decref(req);
	if (id > 0)
		ui_remember(u, id);
	u->detail_asked_ms = u->now_ms;
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
