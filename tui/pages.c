/*
 * pages.c: the text of the console's full-screen pages. See pages.h.
 *
 * Each page is plain "label  value" lines built from what the server sent;
 * screen.c shows them as they are. Start at pages_detail().
 */
#include "pages.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/banned.h"

/* ---- the detail view ---------------------------------------------------------------- */

static const char *pages_jstr(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v && *v ? v : "-";
}

static long long pages_jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

static const char *pages_jbool(json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key)) ? "yes" : "no";
}

/* "  label        " then value (appended by the caller). */
static void pages_label(struct buf *out, const char *label)
{
	buf_printf(out, "  %-14s", label);
}

/* One line of pulse times over a window: "p50 1.2 ms, p99 3.4 ms, max 5.6 ms". */
static void pages_window(struct buf *out, const char *label, uint32_t p50, uint32_t p99,
			 uint32_t max)
{
	pages_label(out, label);
	buf_puts(out, "p50 ");
	fmt_us(out, p50);
	buf_puts(out, ", p99 ");
	fmt_us(out, p99);
	buf_puts(out, ", max ");
	fmt_us(out, max);
	buf_putc(out, '\n');
}

void pages_detail(json_t *conn, const struct conn_row *row, struct buf *out)
{
	json_t *caps = json_object_get(conn, "caps"), *arr;
	size_t i;
	json_t *v;

	if (!conn) {
		if (!row) {
			buf_puts(out, "No connection selected.\n");
			return;
		}
		buf_printf(out, "%s is link-dead: in the world without a connection.\n\n",
			   *row->name ? row->name : "?");
		pages_label(out, "link lost");
		fmt_duration(out, row->idle_s);
		buf_puts(out, " ago\n");
		buf_puts(out, "\nThe character leaves the world when linkdead_timeout_s passes,\n"
			      "or comes back when the player logs in again.\n");
		return;
	}
	buf_printf(out, "Connection %lld: %s (%s)\n\n", pages_jint(conn, "id"),
		   pages_jstr(conn, "name"), pages_jstr(conn, "state"));
	pages_label(out, "address");
	buf_printf(out, "%s%s\n", pages_jstr(conn, "addr"),
		   json_is_true(json_object_get(conn, "proxied")) ? " (through a proxy)" : "");
	pages_label(out, "kind");
	buf_printf(out, "%s\n", pages_jstr(conn, "kind"));
	pages_label(out, "client");
	buf_printf(out, "%s (name \"%s\", version \"%s\")\n", pages_jstr(conn, "client"),
		   pages_jstr(conn, "client_name"), pages_jstr(conn, "client_version"));
	pages_label(out, "terminal");
	buf_printf(out, "%s\n", pages_jstr(conn, "terminal"));
	pages_label(out, "connected");
	fmt_duration(out, pages_jint(conn, "connected_s"));
	buf_puts(out, ", idle ");
	fmt_duration(out, pages_jint(conn, "idle_s"));
	buf_putc(out, '\n');
	pages_label(out, "bytes in");
	fmt_bytes(out, (uint64_t)pages_jint(conn, "bytes_in"));
	buf_puts(out, " (");
	fmt_bytes(out, (uint64_t)pages_jint(conn, "in_rate"));
	buf_puts(out, "/s)\n");
	pages_label(out, "bytes out");
	fmt_bytes(out, (uint64_t)pages_jint(conn, "bytes_out"));
	buf_puts(out, " (");
	fmt_bytes(out, (uint64_t)pages_jint(conn, "out_rate"));
	buf_puts(out, "/s), queued ");
	fmt_bytes(out, (uint64_t)pages_jint(conn, "queued"));
	buf_putc(out, '\n');
	pages_label(out, "input");
	buf_printf(out, "%lld lines, %lld waiting; GMCP %lld (%lld ignored)\n",
		   pages_jint(conn, "lines_in"), pages_jint(conn, "input_queued"),
		   pages_jint(conn, "gmcp_in"), pages_jint(conn, "gmcp_bad"));
	if (json_object_get(conn, "room")) {
		pages_label(out, "character");
		buf_printf(out, "level %lld, in %s\n", pages_jint(conn, "level"),
			   pages_jstr(conn, "room"));
	}
	buf_puts(out, "\nCapabilities\n");
	pages_label(out, "colors");
	buf_printf(out, "%s (the client announced %s)\n", pages_jstr(caps, "color"),
		   pages_jstr(caps, "client_color"));
	pages_label(out, "charset");
	buf_printf(out, "%s\n", pages_jstr(caps, "charset"));
	pages_label(out, "window");
	if (pages_jint(caps, "cols"))
		buf_printf(out, "%lldx%lld (NAWS)\n", pages_jint(caps, "cols"),
			   pages_jint(caps, "rows"));
	else
		buf_puts(out, "unknown (no NAWS)\n");
	pages_label(out, "MTTS");
	if (json_is_true(json_object_get(caps, "mtts_known"))) {
		buf_printf(out, "%lld:", pages_jint(caps, "mtts"));
		arr = json_object_get(caps, "mtts_flags");
		json_array_foreach(arr, i, v)
			buf_printf(out, " %s", json_string_value(v) ? json_string_value(v) : "?");
		buf_putc(out, '\n');
	} else {
		buf_puts(out, "not sent\n");
	}
	pages_label(out, "MCCP2");
	if (json_is_true(json_object_get(caps, "mccp"))) {
		json_t *ratio = json_object_get(caps, "mccp_ratio");

		buf_printf(out, "on, %.1fx (",
			   json_is_number(ratio) ? json_number_value(ratio) : 1.0);
		fmt_bytes(out, (uint64_t)pages_jint(conn, "bytes_out_raw"));
		buf_puts(out, " of telnet sent as ");
		fmt_bytes(out, (uint64_t)pages_jint(conn, "bytes_out"));
		buf_puts(out, ")\n");
	} else {
		buf_puts(out, "off\n");
	}
	pages_label(out, "GMCP");
	if (json_is_true(json_object_get(caps, "gmcp"))) {
		buf_puts(out, "on");
		arr = json_object_get(caps, "gmcp_packages");
		json_array_foreach(arr, i, v)
			buf_printf(out, "%s%s %lld", i ? ", " : ": ", pages_jstr(v, "name"),
				   pages_jint(v, "version"));
		buf_putc(out, '\n');
	} else {
		buf_puts(out, "off\n");
	}
	pages_label(out, "EOR / SGA");
	buf_printf(out, "%s / %s, echo %s\n", pages_jbool(caps, "eor"), pages_jbool(caps, "sga"),
		   json_is_true(json_object_get(caps, "echo_off")) ? "off (password)" : "on");
}

/* ---- the health page ----------------------------------------------------------- */

void pages_health(const struct snap *s, int64_t now_s, struct buf *out)
{
	buf_puts(out, "Memory\n");
	pages_label(out, "process");
	buf_puts(out, "RSS ");
	fmt_bytes(out, (uint64_t)s->rss_kb * 1024);
	buf_puts(out, " (peak ");
	fmt_bytes(out, (uint64_t)s->hwm_kb * 1024);
	buf_puts(out, ")\n");
	pages_label(out, "Lua, in all");
	fmt_bytes(out, (uint64_t)s->lua_bytes);
	buf_printf(out, " in %zu area%s\n\n", s->nareas, s->nareas == 1 ? "" : "s");
	buf_printf(out, "  %-14s %8s %8s %8s %9s %7s %7s\n", "area", "used", "peak", "limit",
		   "entries", "errors", "stopped");
	for (size_t i = 0; i < s->nareas; i++) {
		const struct area_mem *a = &s->areas[i];
		struct buf used, peak, limit;

		buf_init(&used, 32);
		buf_init(&peak, 32);
		buf_init(&limit, 32);
		fmt_bytes(&used, (uint64_t)a->used);
		fmt_bytes(&peak, (uint64_t)a->peak);
		fmt_bytes(&limit, (uint64_t)a->limit);
		buf_printf(out, "  %-14s %8s %8s %8s %9llu %7llu %7llu\n", a->area, buf_cstr(&used),
			   buf_cstr(&peak), buf_cstr(&limit), (unsigned long long)a->entries,
			   (unsigned long long)a->errors, (unsigned long long)a->stopped);
		buf_fini(&used);
		buf_fini(&peak);
		buf_fini(&limit);
	}
	buf_puts(out, "\nDatabase\n");
	pages_label(out, "saves");
	model_db_status(s, now_s, out);
	buf_printf(out, " (autosave every %ds)\n", s->autosave_s);
	pages_label(out, "counts");
	buf_printf(out, "%lld ok, %lld failed; %lld errors in all\n", (long long)s->db_saves_ok,
		   (long long)s->db_saves_failed, (long long)s->db_errors);
	pages_label(out, "last error");
	if (s->db_last_error_at) {
		buf_printf(out, "%s, ",
			   s->db_last_error && *s->db_last_error ? s->db_last_error : "?");
		fmt_duration(out, now_s - s->db_last_error_at);
		buf_puts(out, " ago\n");
	} else {
		buf_puts(out, "none\n");
	}
	buf_puts(out, "\nGame loop\n");
	pages_label(out, "pulses");
	buf_printf(out, "%llu, overruns %llu, the longest ", (unsigned long long)s->pulses,
		   (unsigned long long)s->overruns);
	fmt_us(out, s->max_ever_us);
	buf_puts(out, " (budget ");
	fmt_us(out, s->budget_us);
	buf_puts(out, ")\n");
	pages_window(out, "last 10 s", s->p50_10s, s->p99_10s, s->max_10s);
	pages_window(out, "last minute", s->p50_60s, s->p99_60s, s->max_60s);
	buf_puts(out, "\nAdmin socket\n");
	pages_label(out, "consoles");
	buf_printf(out, "%u; their cost to the loop: ", s->consoles);
	fmt_us(out, (uint32_t)s->admin_cost_us);
	buf_puts(out, " in the last second, ");
	fmt_us(out, (uint32_t)s->admin_cost_max_us);
	buf_puts(out, " in the worst\n");
}
