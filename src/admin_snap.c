/*
 * admin_snap.c: the numbers consoles see: a stats snapshot (players and
 * connections by kind, pulse times, commands and bytes per second, memory,
 * database health, the server's switches, the admin socket's own cost) and
 * a row per connection. See admin.h; docs/admin.md lists every field.
 *
 * Start at admin_snap_stats(). Per-connection rates come from
 * admin_snap_rates(), which samples byte counts once a second into a map
 * keyed by connection id and forgets connections that are gone.
 */
#include "admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_internal.h"
#include "base/clock.h"
#include "base/color.h"
#include "base/xalloc.h"
#include "game/world.h"
#include "net/conn.h"
#include "net/tn.h"
#include "script/script.h"
#include "server.h"
#include "store/store.h"
#include "base/banned.h"

/* Areas listed with their Lua memory in a snapshot, at most. */
#define ADMIN_SNAP_AREAS 256

/* MTTS bit names, in bit order (net/tn.h). */
static const char *const admin_mtts_names[] = {
	"ansi",		 "vt100", "utf8",      "256colors", "mouse", "osc-color",
	"screen-reader", "proxy", "truecolor", "mnes",	    "mslp",  "ssl",
};

/* ---- rates ----------------------------------------------------------------------- */

static void admin_rate_key(uint32_t id, char *key, size_t size)
{
	snprintf(key, size, "%u", id);
}

void admin_snap_rates(struct admin *a)
{
	size_t pos = 0;
	const char *key;
	void *v;

	a->rate_gen++;
	for (struct conn *c = net_first(a->srv->net); c; c = net_next(c)) {
		char k[16];
		struct admin_rate *r;
		uint64_t in = conn_bytes_in(c), out = conn_bytes_out(c);

		admin_rate_key(conn_id(c), k, sizeof(k));
		r = map_get(&a->rates, k);
		if (!r) {
			r = xcalloc(1, sizeof(*r));
			r->in = in;
			r->out = out;
			map_put(&a->rates, k, r);
		}
		r->in_rate = in - r->in;
		r->out_rate = out - r->out;
		r->in = in;
		r->out = out;
		r->gen = a->rate_gen;
	}
	while (map_next(&a->rates, &pos, &key, &v)) {
		struct admin_rate *r = v;

		if (r->gen != a->rate_gen)
			free(map_del(&a->rates, key));
	}
}

/* ---- one connection -------------------------------------------------------------- */

static const char *admin_charset(const struct tn_caps *caps)
{
	return caps->utf8 ? "UTF-8" : caps->latin1 ? "ISO-8859-1" : "ASCII";
}

/* Telnet bytes made per byte sent: the MCCP2 compression ratio (1 when off). */
static double admin_mccp_ratio(const struct tn_stats *ts)
{
	if (!ts->bytes_out_wire || ts->bytes_out_raw <= ts->bytes_out_wire)
		return 1.0;
	return (double)(int)((double)ts->bytes_out_raw / (double)ts->bytes_out_wire * 10.0 + 0.5) /
	       10.0;
}

static json_t *admin_snap_caps(const struct session *s, bool full)
{
	const struct tn_caps *caps = tn_caps(s->tn);
	json_t *j = json_pack("{s:s, s:s, s:i, s:i, s:b, s:f, s:b, s:I}", "color",
			      color_level_name((enum color_level)session_color(s)), "charset",
			      admin_charset(caps), "cols", (int)caps->cols, "rows", (int)caps->rows,
			      "mccp", caps->mccp2, "mccp_ratio", admin_mccp_ratio(tn_stats(s->tn)),
			      "gmcp", caps->gmcp, "mtts", (json_int_t)caps->mtts);

	if (full) {
		json_t *flags = json_array(), *pkgs = json_array();

		for (size_t i = 0; i < sizeof(admin_mtts_names) / sizeof(admin_mtts_names[0]); i++)
			if (caps->mtts & (1u << i))
				json_array_append_new(flags, json_string(admin_mtts_names[i]));
		for (size_t i = 0; i < caps->n_gmcp_packages; i++)
			json_array_append_new(
				pkgs, json_pack("{s:s, s:i}", "name", caps->gmcp_packages[i].name,
						"version", caps->gmcp_packages[i].version));
		json_object_set_new(j, "mtts_known", json_boolean(caps->mtts_known));
		json_object_set_new(j, "mtts_flags", flags);
		json_object_set_new(j, "gmcp_packages", pkgs);
		json_object_set_new(j, "eor", json_boolean(caps->eor));
		json_object_set_new(j, "sga", json_boolean(caps->sga));
		json_object_set_new(j, "echo_off", json_boolean(caps->echo_off));
		json_object_set_new(j, "client_color", json_string(color_level_name(caps->color)));
	}
	return j;
}

static json_t *admin_snap_row(struct admin *a, struct session *s, bool full)
{
	const struct tn_caps *caps = tn_caps(s->tn);
	struct admin_rate *r;
	struct buf client;
	char k[16];
	json_t *row;

	admin_rate_key(s->id, k, sizeof(k));
	r = map_get(&a->rates, k);
	buf_init(&client, 1024);
	session_client(s, &client);
	row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
			"id", (json_int_t)s->id, "name",
			s->ch	  ? s->ch->name
			: s->name ? s->name
				  : "",
			"state", session_state_name(s), "addr", conn_addr(s->conn), "kind",
			session_kind(s), "client", buf_cstr(&client), "connected_s",
			(json_int_t)(clock_wall_s() - conn_connected_at(s->conn)), "idle_s",
			(json_int_t)((clock_mono_ms() - s->last_input_ms) / 1000), "bytes_in",
			(json_int_t)conn_bytes_in(s->conn), "bytes_out",
			(json_int_t)conn_bytes_out(s->conn), "in_rate",
			(json_int_t)(r ? r->in_rate : 0), "out_rate",
			(json_int_t)(r ? r->out_rate : 0), "queued",
			(json_int_t)conn_pending_output(s->conn), "caps", admin_snap_caps(s, full));
	buf_fini(&client);
	if (full) {
		const struct tn_stats *ts = tn_stats(s->tn);

		json_object_set_new(row, "client_name", json_string(caps->client));
		json_object_set_new(row, "client_version", json_string(caps->client_version));
		json_object_set_new(row, "terminal", json_string(caps->terminal));
		json_object_set_new(row, "proxied", json_boolean(conn_proxied(s->conn)));
		json_object_set_new(row, "lines_in", json_integer((json_int_t)ts->lines_in));
		json_object_set_new(row, "gmcp_in", json_integer((json_int_t)ts->gmcp_in));
		json_object_set_new(row, "gmcp_bad", json_integer((json_int_t)ts->gmcp_bad));
		json_object_set_new(row, "bytes_out_raw",
				    json_integer((json_int_t)ts->bytes_out_raw));
		json_object_set_new(row, "input_queued", json_integer((json_int_t)s->lines.count));
		if (s->ch) {
			json_object_set_new(row, "level", json_integer(s->ch->level));
			json_object_set_new(row, "room",
					    s->ch->room ? json_string(s->ch->room->id)
							: json_null());
		}
	}
	return row;
}

static json_t *admin_snap_linkdead(struct admin *a, const struct character *ch)
{
	json_int_t gone =
		(json_int_t)((world_now_ms(a->srv->world) - ch->pc->linkdead_since_ms) / 1000);

	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id", 0, "name", ch->name,
			 "state", "link-dead", "addr", "", "kind", "", "client", "", "linkdead_s",
			 gone, "idle_s", gone);
}

json_t *admin_snap_conn(struct admin *a, uint32_t id)
{
	struct session *s = session_find(a->srv, id);

	if (!s)
		return NULL;
	return json_pack("{s:s, s:o}", "type", "conn", "conn", admin_snap_row(a, s, true));
}

/* ---- the snapshot ---------------------------------------------------------------- */

/* VmRSS and VmHWM of this process in KiB (0 if unknown). */
static void admin_snap_rss(long *rss_kb, long *hwm_kb)
{
	FILE *fp = fopen("/proc/self/status", "r");
	char line[256];

	*rss_kb = *hwm_kb = 0;
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			*rss_kb = strtol(line + 6, NULL, 10);
		else if (strncmp(line, "VmHWM:", 6) == 0)
			*hwm_kb = strtol(line + 6, NULL, 10);
	}
	fclose(fp);
}

static json_t *admin_snap_memory(struct admin *a)
{
	static const size_t max = ADMIN_SNAP_AREAS;
	struct script_area_stats *areas = xcalloc(max, sizeof(*areas));
	size_t n = a->srv->scripts ? scripts_stats(a->srv->scripts, areas, max) : 0;
	json_t *lua = json_array();
	size_t total = 0;
	long rss, hwm;

	for (size_t i = 0; i < n && i < max; i++) {
		total += areas[i].mem_used;
		json_array_append_new(lua, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "area",
						     areas[i].area_id, "used",
						     (json_int_t)areas[i].mem_used, "peak",
						     (json_int_t)areas[i].mem_peak, "limit",
						     (json_int_t)areas[i].mem_limit, "entries",
						     (json_int_t)areas[i].entries, "errors",
						     (json_int_t)areas[i].errors, "stopped",
						     (json_int_t)areas[i].stopped));
	}
	free(areas);
	admin_snap_rss(&rss, &hwm);
	return json_pack("{s:I, s:I, s:I, s:o}", "rss_kb", (json_int_t)rss, "hwm_kb",
			 (json_int_t)hwm, "lua_bytes", (json_int_t)total, "lua", lua);
}

static json_t *admin_snap_db(struct admin *a)
{
	struct store_stats st;

	store_stats_get(a->srv->store, &st);
	return json_pack("{s:I, s:I, s:I, s:I, s:s, s:I, s:i, s:I}", "last_save",
			 (json_int_t)st.last_save, "saves_ok", (json_int_t)st.saves_ok,
			 "saves_failed", (json_int_t)st.saves_failed, "errors",
			 (json_int_t)st.errors, "last_error", st.last_error ? st.last_error : "",
			 "last_error_at", (json_int_t)st.last_error_at, "autosave_s",
			 a->srv->cfg.autosave_s, "last_hash_us", (json_int_t)st.last_hash_us);
}

static json_t *admin_snap_state(struct admin *a)
{
	const struct admin_countdown *cd = &a->countdown;
	json_t *countdown = json_null();

	if (cd->active)
		countdown =
			json_pack("{s:b, s:I, s:s}", "reboot", cd->reboot, "left_s",
				  (json_int_t)((cd->deadline_ms - clock_mono_ms() + 999) / 1000),
				  "message", cd->message ? cd->message : "");
	return json_pack("{s:b, s:s, s:o}", "wizlock", a->srv->wizlock, "log_level",
			 log_level_name(log_get_level(a->srv->log)), "countdown", countdown);
}

static json_t *admin_snap_build(struct admin *a, bool with_conns)
{
	struct server *srv = a->srv;
	const struct stats_second *last = stats_history(&srv->stats, 0);
	size_t players[2] = {0, 0}, conns[2] = {0, 0}, login = 0, linkdead = 0;
	json_t *rows = with_conns ? json_array() : NULL;
	struct timespec ts;
	json_t *m;

	for (struct conn *c = net_first(srv->net); c; c = net_next(c)) {
		struct session *s = conn_get_ud(c);

		if (!s)
			continue;
		conns[s->is_web]++;
		if (s->state == SESSION_PLAYING)
			players[s->is_web]++;
		else if (s->state != SESSION_CLOSING)
			login++;
		if (rows)
			json_array_append_new(rows, admin_snap_row(a, s, false));
	}
	for (struct character *ch = world_next_char(srv->world, NULL); ch;
	     ch = world_next_char(srv->world, ch)) {
		if (!ch->pc || ch->pc->session)
			continue;
		linkdead++;
		if (rows)
			json_array_append_new(rows, admin_snap_linkdead(a, ch));
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	m = json_pack("{s:s, s:I, s:s, s:I, s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I},"
		      " s:o, s:{s:I, s:I, s:I}, s:o, s:o, s:o,"
		      " s:{s:I, s:I, s:I, s:I, s:I, s:I}}",
		      "type", "stats", "ts", (json_int_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
		      "server", srv->cfg.mud_name, "uptime_s",
		      (json_int_t)((clock_mono_ms() - srv->started_ms) / 1000), "players", "total",
		      (json_int_t)(players[0] + players[1] + linkdead), "telnet",
		      (json_int_t)players[0], "web", (json_int_t)players[1], "linkdead",
		      (json_int_t)linkdead, "connections", "total",
		      (json_int_t)(conns[0] + conns[1]), "telnet", (json_int_t)conns[0], "web",
		      (json_int_t)conns[1], "login", (json_int_t)login, "pulse",
		      admin_msg_pulse(&srv->stats, ADMIN_HISTORY), "rates", "commands",
		      (json_int_t)(last ? last->commands : 0), "bytes_in",
		      (json_int_t)(last ? last->bytes_in : 0), "bytes_out",
		      (json_int_t)(last ? last->bytes_out : 0), "memory", admin_snap_memory(a),
		      "db", admin_snap_db(a), "state", admin_snap_state(a), "admin", "consoles",
		      (json_int_t)a->nclients, "dropped", (json_int_t)a->dropped, "requests",
		      (json_int_t)a->requests, "errors", (json_int_t)a->errors, "cost_us",
		      (json_int_t)a->cost_last_us, "cost_max_us", (json_int_t)a->cost_max_us);
	if (rows)
		json_object_set_new(m, "conns", rows);
	return m;
}

json_t *admin_snap_stats(struct admin *a, bool conns)
{
	int v = conns ? 1 : 0;
	int64_t now = clock_mono_ms();

	if (a->snap[v] && now - a->snap_ms[v] < ADMIN_SNAP_REUSE_MS)
		return json_incref(a->snap[v]);
	json_decref(a->snap[v]);
	a->snap[v] = admin_snap_build(a, conns);
	a->snap_ms[v] = now;
	return json_incref(a->snap[v]);
}

void admin_snap_changed(struct admin *a)
{
	a->snap_ms[0] = a->snap_ms[1] = INT64_MIN / 2;
}

void admin_snap_fini(struct admin *a)
{
	size_t pos = 0;
	void *v;

	while (map_next(&a->rates, &pos, NULL, &v))
		free(v);
	for (int i = 0; i < 2; i++) {
		json_decref(a->snap[i]);
		a->snap[i] = NULL;
	}
}
