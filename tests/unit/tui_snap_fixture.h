/*
 * tui_snap_fixture.h: connection snapshots for ruin-console's unit tests
 * (test_tui_model.c, test_tui_pages.c): rows from a short spec, and the
 * five rows most tests use. Include after tui/model.h.
 */
#ifndef RUIN_TESTS_TUI_SNAP_FIXTURE_H
#define RUIN_TESTS_TUI_SNAP_FIXTURE_H

#include <stdint.h>
#include <string.h>

#include "base/xalloc.h"

/* A snapshot with rows given as "id name state kind client addr idle out_rate". */
struct row_spec {
	uint32_t id;
	const char *name, *state, *kind, *client, *addr;
	int64_t idle;
	uint64_t out_rate;
};

static inline void make_snap(struct snap *s, const struct row_spec *rows, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->has_conns = true;
	s->nconns = n;
	s->conns = xcalloc(n + 1, sizeof(*s->conns));
	for (size_t i = 0; i < n; i++) {
		struct conn_row *r = &s->conns[i];

		r->id = rows[i].id;
		r->name = xstrdup(rows[i].name);
		r->state = xstrdup(rows[i].state);
		r->kind = xstrdup(rows[i].kind);
		r->client = xstrdup(rows[i].client);
		r->addr = xstrdup(rows[i].addr);
		r->color = xstrdup("256");
		r->charset = xstrdup("UTF-8");
		r->idle_s = rows[i].idle;
		r->out_rate = rows[i].out_rate;
		r->connected_s = 100 + rows[i].id;
	}
	s->server = xstrdup("Test");
	s->log_level = xstrdup("info");
	s->db_last_error = xstrdup("");
}

static const struct row_spec rows1[] = {
	{3, "Ayla", "playing", "telnet", "Mudlet 4.17", "10.0.0.3", 5, 300},
	{1, "", "login", "telnet", "unknown client", "10.0.0.1", 50, 10},
	{7, "brom", "playing", "web", "ruin-bridge 0.1", "192.168.1.7", 5, 9000},
	{0, "Cato", "link-dead", "", "", "", 120, 0},
	{4, "Dara", "closing", "telnet", "TinTin++ 2.02", "10.0.0.4", 0, 0},
};

#endif
