/*
 * fuzz_console.c: what ruin-console reads from the admin socket
 * (tui/client.h), and what its model and pages make of it (tui/model.h,
 * tui/pages.h).
 *
 * The first input byte seeds how the rest is cut into pieces for
 * client_feed(). Checks, from the headers' promises: the state events
 * agree with client_state(); every event carries non-NULL strings;
 * a decoded snapshot keeps its history within SNAP_HISTORY and its rows
 * complete; the model takes it (view within the rows, a selection that
 * exists), and every cell, the sparkline, the --stat line, the database
 * status and the detail view format without trouble; the sparkline is
 * exactly as wide as asked.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../../tui/client.h"
#include "../../tui/model.h"
#include "../../tui/pages.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "base/banned.h"

struct fuzz_console {
	struct model model;
	enum client_state last; /* as the state events said */
	struct client *c;
};

static void fuzz_console_state(void *ud, enum client_state st, const char *why)
{
	struct fuzz_console *f = ud;

	FUZZ_CHECK(why != NULL);
	FUZZ_CHECK(st != f->last);
	f->last = st;
}

static void fuzz_console_format(const struct model *m)
{
	struct buf b;

	buf_init(&b, 1 << 22);
	for (size_t i = 0; i < m->nview; i++) {
		const struct conn_row *r = model_row(m, i);

		FUZZ_CHECK(r != NULL);
		FUZZ_CHECK(r->name && r->state && r->addr && r->kind && r->client && r->color &&
			   r->charset);
		for (int col = 0; col < COL_COUNT; col++)
			model_cell(r, (enum model_col)col, &b);
		buf_clear(&b);
	}
	FUZZ_CHECK(m->nview <= m->snap.nconns);
	FUZZ_CHECK(!m->nview || model_selected(m) != NULL);
	model_sparkline(&m->snap, 40, true, &b);
	FUZZ_CHECK(b.len == 40);
	buf_clear(&b);
	model_sparkline(&m->snap, 40, false, &b);
	FUZZ_CHECK(utf8_length(b.data, b.len) == 40);
	buf_clear(&b);
	model_stat_line(&m->snap, &b);
	FUZZ_CHECK(!memchr(b.data, '\n', b.len));
	buf_clear(&b);
	model_db_status(&m->snap, 1767225600, &b);
	buf_fini(&b);
}

static void fuzz_console_stats(void *ud, struct snap *s)
{
	struct fuzz_console *f = ud;

	FUZZ_CHECK(s->hist_n <= SNAP_HISTORY);
	FUZZ_CHECK(s->server && s->log_level && s->db_last_error);
	FUZZ_CHECK(!s->nconns || s->conns);
	FUZZ_CHECK(s->has_conns || !s->nconns);
	model_set_snap(&f->model, s);
	FUZZ_CHECK(s->conns == NULL && s->server == NULL);
	model_sort_next(&f->model);
	model_set_filter(&f->model, "a*");
	model_move(&f->model, 1);
	fuzz_console_format(&f->model);
	model_set_filter(&f->model, NULL);
	fuzz_console_format(&f->model);
}

static void fuzz_console_log(void *ud, int64_t ts, int level, const char *msg)
{
	struct fuzz_console *f = ud;
	const struct log_entry *v[4];

	FUZZ_CHECK(msg != NULL);
	FUZZ_CHECK(level >= 0 && level <= 3);
	model_log_add(&f->model, ts, level, msg);
	FUZZ_CHECK(model_log_view(&f->model, v, 4) <= 4);
}

static void fuzz_console_reply(void *ud, const struct client_reply *r)
{
	(void)ud;
	FUZZ_CHECK(r->op && r->code && r->text);
	FUZZ_CHECK(!(r->ok && r->error));
}

static void fuzz_console_conn(void *ud, json_t *conn)
{
	struct fuzz_console *f = ud;
	struct buf b;

	FUZZ_CHECK(json_is_object(conn));
	buf_init(&b, 1 << 22);
	pages_detail(conn, model_selected(&f->model), &b);
	FUZZ_CHECK(b.len > 0);
	buf_fini(&b);
}

static const struct client_events fuzz_console_events = {
	fuzz_console_state, fuzz_console_stats, fuzz_console_log,
	fuzz_console_reply, fuzz_console_conn,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct client_config cfg = {.path = "/nonexistent/admin.sock",
				    .name = "fuzz",
				    .stats = true,
				    .log = true,
				    .conns = true,
				    .interval = 1};
	struct fuzz_console f;
	const char *s;
	size_t n, off = 0;
	unsigned seed;

	if (size < 1)
		return 0;
	seed = data[0] | 1u;
	s = (const char *)data + 1;
	n = size - 1;
	memset(&f, 0, sizeof(f));
	model_init(&f.model);
	f.last = CLIENT_OFFLINE;
	f.c = client_new(&cfg, &fuzz_console_events, &f);
	client_attach(f.c, -1, 0);
	while (off < n) {
		size_t piece;

		seed = seed * 1103515245u + 12345u;
		piece = 1 + (seed >> 16) % 200;
		if (piece > n - off)
			piece = n - off;
		client_feed(f.c, s + off, piece);
		off += piece;
	}
	FUZZ_CHECK(client_state(f.c) == f.last);
	FUZZ_CHECK(client_pending(f.c)->len < (size_t)256 * 1024);
	client_free(f.c);
	model_fini(&f.model);
	return 0;
}
