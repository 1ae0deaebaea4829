/*
 * admin_act.c: what consoles can do to the game: kick, broadcast, reload an
 * area, shut down or reboot with a countdown, wizlock, change the log
 * level. See admin.h.
 *
 * Start at admin_act(): it runs the op's function from admin_acts[] (each
 * fills a one-line outcome), then writes the audit row and the log line
 * and replies to the console, so no action can skip the audit.
 */
#include "admin.h"

#include <stdlib.h>
#include <string.h>

#include "admin_internal.h"
#include "base/clock.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "game/world.h"
#include "net/conn.h"
#include "server.h"
#include "store/store.h"
#include "base/banned.h"

/* A reload's report, at most (the reply carries it whole). */
#define ADMIN_REPORT_MAX ((size_t)256 << 10)

/* Seconds left at which a countdown is announced again. */
static const int admin_marks[] = {3600, 1800, 900, 600, 300, 120, 60, 30, 10, 5, 4, 3, 2, 1};

/* ---- the countdown --------------------------------------------------------------- */

static void admin_countdown_announce(struct admin *a, int left)
{
	struct admin_countdown *cd = &a->countdown;
	struct buf text;

	buf_init(&text, 4096);
	if (cd->reboot)
		buf_printf(&text, "{R[Reboot]{x The world restarts in %d second%s", left,
			   left == 1 ? "" : "s");
	else
		buf_printf(&text, "{R[Shutdown]{x The world shuts down in %d second%s", left,
			   left == 1 ? "" : "s");
	if (*cd->message)
		buf_printf(&text, ": %s", cd->message);
	buf_puts(&text, cd->reboot ? ". Your character will be saved; reconnect in a minute.\n"
				   : ". Your character will be saved.\n");
	world_broadcast(a->srv->world, buf_cstr(&text));
	buf_fini(&text);
	cd->last_announced = left;
}

/* Ends the loop after this pass; server_run() then saves everyone and returns the status. */
static void admin_stop(struct admin *a)
{
	struct server *srv = a->srv;
	bool reboot = a->countdown.reboot;

	log_info(srv->log, "admin: %s now", reboot ? "rebooting (exit status 3)" : "shutting down");
	srv->exit_code = reboot ? ADMIN_EXIT_REBOOT : 0;
	srv->stopping = true;
	a->countdown.active = false;
}

void admin_countdown_tick(struct admin *a)
{
	struct admin_countdown *cd = &a->countdown;
	int64_t left_ms;
	int left;

	if (!cd->active)
		return;
	left_ms = cd->deadline_ms - clock_mono_ms();
	left = (int)((left_ms + 999) / 1000);
	if (left <= 0) {
		admin_stop(a);
		return;
	}
	for (size_t i = 0; i < sizeof(admin_marks) / sizeof(admin_marks[0]); i++) {
		if (admin_marks[i] < cd->last_announced && left <= admin_marks[i] &&
		    (i + 1 == sizeof(admin_marks) / sizeof(admin_marks[0]) ||
		     left > admin_marks[i + 1])) {
			admin_countdown_announce(a, left);
			break;
		}
	}
}

void admin_countdown_fini(struct admin *a)
{
	free(a->countdown.message);
	memset(&a->countdown, 0, sizeof(a->countdown));
}

/* ---- the actions ----------------------------------------------------------------- */

/* Each does one action and puts its outcome in out; false if it did not happen. */
typedef bool (*admin_act_fn)(struct admin *a, const struct admin_request *req, struct buf *out);

static bool admin_act_kick(struct admin *a, const struct admin_request *req, struct buf *out)
{
	struct session *s = session_find(a->srv, req->conn);
	struct buf goodbye;
	const char *who;

	if (!s || s->state == SESSION_CLOSING) {
		buf_printf(out, "no connection %u", req->conn);
		return false;
	}
	who = s->ch ? s->ch->name : s->name ? s->name : "not logged in";
	buf_printf(out, "kicked connection %u (%s, %s)", s->id, who, conn_addr(s->conn));
	buf_init(&goodbye, 4096);
	buf_printf(&goodbye, "\n{R%s{x\n",
		   *req->text ? req->text : "You have been disconnected by an admin.");
	session_echo(s, true);
	session_close(s, buf_cstr(&goodbye), "kicked by an admin");
	buf_fini(&goodbye);
	return true;
}

static bool admin_act_broadcast(struct admin *a, const struct admin_request *req, struct buf *out)
{
	struct buf text;
	size_t n = 0;

	for (struct character *ch = world_next_char(a->srv->world, NULL); ch;
	     ch = world_next_char(a->srv->world, ch))
		if (ch->pc && ch->pc->session)
			n++;
	buf_init(&text, 4096);
	buf_printf(&text, "{Y[Broadcast]{x %s\n", req->text);
	world_broadcast(a->srv->world, buf_cstr(&text));
	buf_fini(&text);
	buf_printf(out, "sent to %zu player%s", n, n == 1 ? "" : "s");
	return true;
}

/* The same reload as the in-game `reload area`: the report is the outcome. */
static bool admin_act_reload(struct admin *a, const struct admin_request *req, struct buf *out)
{
	struct buf report;
	int problems;

	buf_init(&report, ADMIN_REPORT_MAX);
	problems = server_reload_area(a->srv, req->text, &report);
	/* Text from builders' files: made valid UTF-8 for the JSON reply. */
	utf8_repair(out, report.data ? report.data : "", report.len);
	while (out->len && out->data[out->len - 1] == '\n')
		buf_truncate(out, out->len - 1);
	if (report.err)
		buf_puts(out, "\n(the report was cut short)");
	if (!out->len)
		buf_puts(out, problems ? "reload failed" : "reloaded");
	buf_fini(&report);
	return problems == 0;
}

static bool admin_act_countdown(struct admin *a, const struct admin_request *req, struct buf *out,
				bool reboot)
{
	struct admin_countdown *cd = &a->countdown;

	if (cd->active) {
		buf_printf(out, "a %s is already counting down (%lld s left); cancel it first",
			   cd->reboot ? "reboot" : "shutdown",
			   (long long)((cd->deadline_ms - clock_mono_ms() + 999) / 1000));
		return false;
	}
	free(cd->message);
	cd->message = xstrdup(req->text);
	cd->reboot = reboot;
	cd->active = true;
	cd->deadline_ms = clock_mono_ms() + (int64_t)req->seconds * 1000;
	cd->last_announced = req->seconds + 1;
	if (req->seconds == 0) {
		world_broadcast(a->srv->world,
				reboot ? "{R[Reboot]{x The world restarts now.\n"
				       : "{R[Shutdown]{x The world shuts down now.\n");
		admin_stop(a);
		buf_printf(out, "%s now", reboot ? "rebooting" : "shutting down");
		return true;
	}
	admin_countdown_announce(a, req->seconds);
	buf_printf(out, "%s in %d s, announced to players", reboot ? "reboot" : "shutdown",
		   req->seconds);
	return true;
}

static bool admin_act_shutdown(struct admin *a, const struct admin_request *req, struct buf *out)
{
	return admin_act_countdown(a, req, out, false);
}

/*
 * A hot reboot (reboot.c) keeps every connection, so it needs no countdown:
 * the server runs it between loop passes, as for SIGUSR2. Consoles are not
 * handed over; they reconnect to the new process.
 */
static bool admin_act_hot_reboot(struct admin *a, struct buf *out)
{
	if (a->countdown.active) {
		buf_printf(out, "a %s is counting down; cancel it first",
			   a->countdown.reboot ? "reboot" : "shutdown");
		return false;
	}
	a->srv->hot_reboot_pending = true;
	buf_puts(out, "hot reboot requested: players stay connected; consoles reconnect");
	return true;
}

static bool admin_act_reboot(struct admin *a, const struct admin_request *req, struct buf *out)
{
	if (req->hot)
		return admin_act_hot_reboot(a, out);
	return admin_act_countdown(a, req, out, true);
}

static bool admin_act_cancel(struct admin *a, const struct admin_request *req, struct buf *out)
{
	struct admin_countdown *cd = &a->countdown;

	(void)req;
	if (!cd->active) {
		buf_puts(out, "no shutdown or reboot is counting down");
		return false;
	}
	world_broadcast(a->srv->world, cd->reboot ? "{G[Reboot]{x The reboot is called off.\n"
						  : "{G[Shutdown]{x The shutdown is called off.\n");
	buf_printf(out, "%s cancelled", cd->reboot ? "reboot" : "shutdown");
	admin_countdown_fini(a);
	return true;
}

static bool admin_act_wizlock(struct admin *a, const struct admin_request *req, struct buf *out)
{
	a->srv->wizlock = req->on;
	buf_puts(out, req->on ? "wizlock on: only admins may log in"
			      : "wizlock off: everyone may log in");
	return true;
}

static bool admin_act_loglevel(struct admin *a, const struct admin_request *req, struct buf *out)
{
	enum log_level old = log_get_level(a->srv->log);

	buf_printf(out, "log level %s -> %s", log_level_name(old), log_level_name(req->level));
	/* Said before a quieter level could hide it. */
	log_info(a->srv->log, "admin: %s", buf_cstr(out));
	log_set_level(a->srv->log, req->level);
	return true;
}

static const admin_act_fn admin_acts[ADMIN_OP_COUNT] = {
	[ADMIN_OP_KICK] = admin_act_kick,	[ADMIN_OP_BROADCAST] = admin_act_broadcast,
	[ADMIN_OP_RELOAD] = admin_act_reload,	[ADMIN_OP_SHUTDOWN] = admin_act_shutdown,
	[ADMIN_OP_REBOOT] = admin_act_reboot,	[ADMIN_OP_CANCEL] = admin_act_cancel,
	[ADMIN_OP_WIZLOCK] = admin_act_wizlock, [ADMIN_OP_LOGLEVEL] = admin_act_loglevel,
};

/*
 * The audit's detail: the arguments, the outcome's first line, and how many
 * more lines it had (a reload's full report goes to the console only).
 */
static void admin_act_summary(struct buf *out, const char *args, bool ok, const char *outcome)
{
	const char *nl = strchr(outcome, '\n');
	size_t more = 0;

	buf_printf(out, "%s -> %s: ", args, ok ? "ok" : "failed");
	buf_append(out, outcome, nl ? (size_t)(nl - outcome) : strlen(outcome));
	for (const char *p = nl; p; p = strchr(p + 1, '\n'))
		more++;
	if (more)
		buf_printf(out, " (+%zu line%s)", more, more == 1 ? "" : "s");
}

/* The request's arguments as compact JSON, without op and id: the audit's detail. */
static char *admin_act_args(const struct admin_request *req)
{
	json_t *args = json_copy(req->json);
	char *text;

	json_object_del(args, "op");
	json_object_del(args, "id");
	text = json_dumps(args, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(args);
	return text ? text : xstrdup("{}");
}

void admin_act(struct admin *a, struct admin_client *c, const struct admin_request *req)
{
	struct server *srv = a->srv;
	struct buf outcome, actor, detail;
	char *args = admin_act_args(req);
	const char *op = admin_op_name(req->op);
	json_t *reply;
	bool ok;
	int rc;

	buf_init(&outcome, ADMIN_REPORT_MAX + 4096);
	buf_init(&actor, 1024);
	buf_init(&detail, 8192);
	admin_client_actor(c, &actor);
	ok = admin_acts[req->op](a, req, &outcome);
	admin_act_summary(&detail, args, ok, buf_cstr(&outcome));
	rc = store_audit(srv->store, buf_cstr(&actor), op, buf_cstr(&detail));
	log_info(srv->log, "admin: %s: %s %s", buf_cstr(&actor), op, buf_cstr(&detail));
	if (rc < 0)
		log_error(srv->log, "admin: the audit row for %s was not written: %s", op,
			  strerror(-rc));
	reply = admin_msg_reply(req->id, req->op, ok, buf_cstr(&outcome));
	admin_send(c, reply);
	json_decref(reply);
	/* A hot reboot exec()s at the end of this loop pass: no later flush comes. */
	if (srv->hot_reboot_pending)
		admin_flush_all(a);
	free(args);
	buf_fini(&outcome);
	buf_fini(&actor);
	buf_fini(&detail);
}
