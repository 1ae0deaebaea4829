/*
 * ui_keys.c: ruin-console's key bindings and what each key does, the help
 * page printed from them, and the keys of the scrolling pages. Split from
 * ui.c, which keeps the status line, the prompts and confirmations, the
 * sending and the client's events; ui_internal.h is what the two share.
 *
 * Start at ui_keys[]: every binding with its function key, its letter
 * alias (so everything works over ssh and in terminals that eat F-keys)
 * and its help line; the help page is printed from this table and from
 * command.c's, and ui_key() dispatches through it. Actions on keys build
 * the same struct command as the `:` line (command_parse, in ui.c), so both
 * paths share the confirmation, the read-only refusal and the sending.
 */
#include "ui_internal.h"

#include <stdlib.h>
#include <time.h>

#include "base/xalloc.h"
#include "base/banned.h"

struct ui_binding {
	int fkey;  /* SK_F(n), another SK_ key, or 0 */
	int alias; /* its letter, or 0 */
	const char *keys;
	const char *help;
	void (*fn)(struct ui *u);
};

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

/* "Ayla, 127.0.0.1" for a confirmation. */
static void ui_target(const struct conn_row *r, struct buf *out)
{
	buf_printf(out, "%s, %s", *r->name ? r->name : "not logged in", r->addr);
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

void ui_open_help(struct ui *u)
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

const char ui_hints[] = "?:help  /:filter  s:sort  r:reverse  Enter:details  K:kick  "
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
