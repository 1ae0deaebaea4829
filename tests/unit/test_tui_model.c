/*
 * test_tui_model.c: ruin-console's model without a terminal: sorting by
 * every kind of column and reversing, filtering (substring and glob, any
 * field, case-insensitive), the selection following its row across
 * snapshots, columns dropped on narrow terminals, cells, the log ring with
 * its level filter, pause and scrolling, the sparkline's scale, the
 * --stat line and the database status. (The pages: test_tui_pages.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../tui/model.h"
#include "base/xalloc.h"
#include "tui_snap_fixture.h"

/* The ids of the view, as a string like "1 3 4 7 0". */
static void view_ids(const struct model *m, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < m->nview && len + 12 < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%u", i ? " " : "",
					model_row(m, i)->id);
}

static void load(struct model *m, const struct row_spec *rows, size_t n)
{
	struct snap s;

	make_snap(&s, rows, n);
	model_set_snap(m, &s);
	assert_null(s.conns);
}

static void test_sort_columns_and_reverse(void **state)
{
	struct model m;
	char ids[128];

	(void)state;
	model_init(&m);
	load(&m, rows1, 5);
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "0 1 3 4 7"); /* by id */
	model_sort_reverse(&m);
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "7 4 3 1 0");
	/* Names compare without case; empty first. */
	model_sort_by(&m, COL_NAME);
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "1 3 7 0 4");
	/* The same column again flips it. */
	model_sort_by(&m, COL_NAME);
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "4 0 7 3 1");
	/* Numbers: idle, ties broken by id. */
	model_sort_by(&m, COL_IDLE);
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "4 3 7 1 0");
	model_sort_by(&m, COL_OUT);
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "0 4 1 3 7");
	/* sort_next walks the columns and wraps. */
	m.sort = COL_CAPS;
	model_sort_next(&m);
	assert_int_equal(m.sort, COL_ID);
	assert_false(m.reverse);
	model_sort_next(&m);
	assert_int_equal(m.sort, COL_NAME);
	assert_int_equal(model_col_parse("idle"), COL_IDLE);
	assert_int_equal(model_col_parse("addr"), COL_ADDR);
	assert_int_equal(model_col_parse("OUT/s"), COL_OUT);
	assert_int_equal(model_col_parse("nope"), -1);
	model_fini(&m);
}

static void test_filter(void **state)
{
	struct model m;
	char ids[128];

	(void)state;
	model_init(&m);
	load(&m, rows1, 5);
	model_set_filter(&m, "AYLA");
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "3");
	model_set_filter(&m, "telnet");
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "1 3 4");
	model_set_filter(&m, "10.0.0");
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "1 3 4");
	model_set_filter(&m, "tintin");
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "4");
	model_set_filter(&m, "link-dead");
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "0");
	model_set_filter(&m, "7");
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "3 7"); /* Mudlet 4.17 and id 7 / 192.168.1.7 */
	/* A glob matches a whole field. */
	model_set_filter(&m, "b*");
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "7");
	model_set_filter(&m, "*.0.0.[14]");
	view_ids(&m, ids, sizeof(ids));
	assert_string_equal(ids, "1 4");
	model_set_filter(&m, "zzz");
	assert_int_equal(m.nview, 0);
	assert_null(model_selected(&m));
	model_set_filter(&m, "");
	assert_null(m.filter);
	assert_int_equal(m.nview, 5);
	model_set_filter(&m, NULL);
	assert_int_equal(m.nview, 5);
	model_fini(&m);
}

static void test_selection_follows_its_row(void **state)
{
	static const struct row_spec rows2[] = {
		{9, "Eno", "login", "telnet", "x", "10.0.0.9", 1, 0},
		{3, "Ayla", "playing", "telnet", "Mudlet 4.17", "10.0.0.3", 5, 300},
		{0, "Cato", "link-dead", "", "", "", 121, 0},
		{2, "Fay", "playing", "telnet", "x", "10.0.0.2", 1, 0},
	};
	static const struct row_spec rows3[] = {
		{9, "Eno", "login", "telnet", "x", "10.0.0.9", 1, 0},
	};
	struct model m;

	(void)state;
	model_init(&m);
	load(&m, rows1, 5);
	assert_int_equal(model_selected(&m)->id, 0);
	model_move(&m, 2);
	assert_int_equal(model_selected(&m)->id, 3);
	model_move(&m, 100);
	assert_int_equal(model_selected(&m)->id, 7);
	model_move(&m, -100);
	assert_int_equal(model_selected(&m)->id, 0);
	model_move_to(&m, 2);
	assert_int_equal(model_selected(&m)->id, 3);
	/* Ayla moved to another row in the new snapshot: the selection went with her. */
	load(&m, rows2, 4);
	assert_int_equal(model_selected(&m)->id, 3);
	assert_int_equal(m.cursor, 2); /* 0 2 3 9 */
	/* A link-dead character is followed by name. */
	model_move_to(&m, 0);
	assert_string_equal(model_selected(&m)->name, "Cato");
	load(&m, rows1, 5);
	assert_string_equal(model_selected(&m)->name, "Cato");
	/* The row is gone: the cursor stays in range. */
	model_move_to(&m, 4);
	load(&m, rows3, 1);
	assert_int_equal(model_selected(&m)->id, 9);
	/* Sorting keeps the selection on the same connection. */
	load(&m, rows1, 5);
	model_move_to(&m, 2);
	assert_int_equal(model_selected(&m)->id, 3);
	model_sort_reverse(&m);
	assert_int_equal(model_selected(&m)->id, 3);
	model_fini(&m);
}

static void test_snapshot_without_table_keeps_it(void **state)
{
	struct model m;
	struct snap s;

	(void)state;
	model_init(&m);
	load(&m, rows1, 5);
	memset(&s, 0, sizeof(s));
	s.uptime_s = 77;
	model_set_snap(&m, &s);
	assert_int_equal(m.snap.uptime_s, 77);
	assert_int_equal(m.snap.nconns, 5);
	assert_int_equal(m.nview, 5);
	model_fini(&m);
}

static void test_fit_columns(void **state)
{
	enum model_col cols[COL_COUNT];
	size_t n;
	int total = 0;

	(void)state;
	n = model_fit_columns(400, cols);
	assert_int_equal(n, COL_COUNT);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(cols[i], (enum model_col)i);
	n = model_fit_columns(60, cols);
	for (size_t i = 0; i < n; i++)
		total += model_col_width(cols[i]) + (i ? 1 : 0);
	assert_true(total <= 60);
	assert_int_equal(cols[0], COL_ID);
	assert_int_equal(cols[1], COL_NAME);
	for (size_t i = 1; i < n; i++)
		assert_true(cols[i] > cols[i - 1]); /* display order */
	/* At 50 columns: out/s matters more than in/s, and both less than idle. */
	n = model_fit_columns(50, cols);
	{
		bool idle = false, in = false, out = false;

		for (size_t i = 0; i < n; i++) {
			idle = idle || cols[i] == COL_IDLE;
			in = in || cols[i] == COL_IN;
			out = out || cols[i] == COL_OUT;
		}
		assert_true(idle);
		assert_true(out);
		assert_false(in);
	}
	/* Far too narrow: still ID and NAME. */
	n = model_fit_columns(10, cols);
	assert_int_equal(n, 2);
	assert_int_equal(cols[0], COL_ID);
	assert_int_equal(cols[1], COL_NAME);
}

static void cell_is(const struct conn_row *r, enum model_col col, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	model_cell(r, col, &b);
	assert_string_equal(buf_cstr(&b), want);
	buf_fini(&b);
}

static void test_cells(void **state)
{
	struct snap s;

	(void)state;
	make_snap(&s, rows1, 5);
	s.conns[0].cols = 100;
	s.conns[0].rows = 40;
	s.conns[0].mccp = true;
	s.conns[0].mccp_ratio = 3.25;
	s.conns[0].gmcp = true;
	s.conns[0].queued = 2048;
	cell_is(&s.conns[0], COL_ID, "3");
	cell_is(&s.conns[0], COL_CAPS, "256 UTF-8 100x40 MCCP3.2x GMCP");
	cell_is(&s.conns[0], COL_OUT, "300");
	cell_is(&s.conns[0], COL_QUEUED, "2.0K");
	cell_is(&s.conns[0], COL_CONNECTED, "1m43s");
	cell_is(&s.conns[1], COL_NAME, "-");
	cell_is(&s.conns[3], COL_ID, "-");
	cell_is(&s.conns[3], COL_KIND, "-");
	cell_is(&s.conns[3], COL_CAPS, "");
	cell_is(&s.conns[3], COL_CONNECTED, "-");
	cell_is(&s.conns[3], COL_IDLE, "2m00s");
	assert_string_equal(model_col_title(COL_IN), "IN/s");
	assert_string_equal(model_col_name(COL_CONNECTED), "connected");
	snap_fini(&s);
	assert_null(s.conns);
}

static void fmt_is(void (*fn)(struct buf *, int64_t), int64_t v, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	fn(&b, v);
	assert_string_equal(buf_cstr(&b), want);
	buf_fini(&b);
}

static void bytes_is(uint64_t v, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	fmt_bytes(&b, v);
	assert_string_equal(buf_cstr(&b), want);
	buf_fini(&b);
}

static void us_is(uint32_t v, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	fmt_us(&b, v);
	assert_string_equal(buf_cstr(&b), want);
	buf_fini(&b);
}

static void test_formatting(void **state)
{
	(void)state;
	fmt_is(fmt_duration, -5, "0s");
	fmt_is(fmt_duration, 0, "0s");
	fmt_is(fmt_duration, 59, "59s");
	fmt_is(fmt_duration, 60, "1m00s");
	fmt_is(fmt_duration, 725, "12m05s");
	fmt_is(fmt_duration, 3600, "1h00m");
	fmt_is(fmt_duration, 11520, "3h12m");
	fmt_is(fmt_duration, 86400 * 4 + 3 * 3600 + 59, "4d03h");
	bytes_is(0, "0");
	bytes_is(1023, "1023");
	bytes_is(1024, "1.0K");
	bytes_is(1280, "1.2K");
	bytes_is(34 * 1024 + 100, "34K");
	bytes_is((uint64_t)3 << 20, "3.0M");
	bytes_is((uint64_t)500 << 20, "500M");
	bytes_is((uint64_t)2 << 30, "2.0G");
	us_is(0, "0us");
	us_is(999, "999us");
	us_is(1000, "1.00ms");
	us_is(2150, "2.15ms");
	us_is(12000, "12ms");
	us_is(100000, "100ms");
	us_is(1200000, "1.20s");
}

static void test_log_ring_filter_pause_scroll(void **state)
{
	struct model m;
	const struct log_entry *v[8];
	size_t n;

	(void)state;
	model_init(&m);
	for (int i = 0; i < MODEL_LOG_MAX + 10; i++) {
		char msg[32];

		snprintf(msg, sizeof(msg), "line %d", i);
		model_log_add(&m, i, i % 4 == 3 ? 3 : 2, msg);
	}
	assert_int_equal(m.log_n, MODEL_LOG_MAX);
	/* Following: the newest four that pass "info and above" (debug every 4th is
	 * hidden). */
	n = model_log_view(&m, v, 4);
	assert_int_equal(n, 4);
	assert_string_equal(v[3]->msg, "line 2009");
	assert_string_equal(v[2]->msg, "line 2008");
	assert_string_equal(v[1]->msg, "line 2006");
	assert_string_equal(v[0]->msg, "line 2005");
	/* Debug shows them all. */
	model_log_cycle_level(&m);
	assert_int_equal(m.log_level, 3);
	n = model_log_view(&m, v, 2);
	assert_string_equal(v[0]->msg, "line 2008");
	/* Error only: none of these. */
	model_log_cycle_level(&m);
	assert_int_equal(m.log_level, 0);
	assert_int_equal(model_log_view(&m, v, 8), 0);
	m.log_level = 2;
	/* Paused, new lines do not move the view and are counted. */
	model_log_pause(&m, true);
	model_log_add(&m, 1, 2, "new a");
	model_log_add(&m, 1, 3, "new debug");
	model_log_add(&m, 1, 0, "new error");
	n = model_log_view(&m, v, 1);
	assert_string_equal(v[0]->msg, "line 2009");
	assert_int_equal(model_log_unseen(&m), 2);
	/* Scrolling up steps over visible lines only. */
	model_log_scroll(&m, -2);
	n = model_log_view(&m, v, 1);
	assert_string_equal(v[0]->msg, "line 2006");
	model_log_scroll(&m, -100000);
	n = model_log_view(&m, v, 1);
	/* The oldest held (three more lines pushed 10-12 out), info. */
	assert_string_equal(v[0]->msg, "line 13");
	model_log_scroll(&m, 2);
	n = model_log_view(&m, v, 1);
	assert_string_equal(v[0]->msg, "line 16"); /* 15 is debug */
	/* Scrolling past the end follows again. */
	model_log_scroll(&m, 100000);
	assert_false(m.log_paused);
	n = model_log_view(&m, v, 1);
	assert_string_equal(v[0]->msg, "new error");
	assert_int_equal(model_log_unseen(&m), 0);
	/* Scrolling while following pauses. */
	model_log_scroll(&m, -1);
	assert_true(m.log_paused);
	n = model_log_view(&m, v, 1);
	assert_string_equal(v[0]->msg, "new a");
	assert_int_equal(model_level_parse("WARN"), 1);
	assert_int_equal(model_level_parse("warning"), 1);
	assert_int_equal(model_level_parse("loud"), -1);
	assert_string_equal(model_level_name(3), "debug");
	model_fini(&m);
}

static void test_sparkline(void **state)
{
	struct snap s;
	struct buf b;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(model_spark_level(0, 100000), 0);
	assert_int_equal(model_spark_level(10, 100000), 0);
	assert_int_equal(model_spark_level(100, 100000), 2);
	assert_int_equal(model_spark_level(1000, 100000), 4);
	assert_int_equal(model_spark_level(10000, 100000), 5);
	assert_int_equal(model_spark_level(99999, 100000), 6);
	assert_int_equal(model_spark_level(100000, 100000), 7);
	assert_int_equal(model_spark_level(250000, 0), 7);
	s.budget_us = 100000;
	s.hist_n = 4;
	s.hist_pulse_max[0] = 5;
	s.hist_pulse_max[1] = 1000;
	s.hist_pulse_max[2] = 50000;
	s.hist_pulse_max[3] = 200000;
	buf_init(&b, 0);
	model_sparkline(&s, 6, true, &b);
	assert_string_equal(buf_cstr(&b), "  .=*#");
	buf_clear(&b);
	model_sparkline(&s, 2, true, &b);
	assert_string_equal(buf_cstr(&b), "*#");
	buf_clear(&b);
	model_sparkline(&s, 3, false, &b);
	assert_string_equal(buf_cstr(&b), "\u2585\u2587\u2588");
	buf_fini(&b);
}

static void test_stat_line_and_db(void **state)
{
	struct snap s;
	struct buf h, l;

	(void)state;
	make_snap(&s, rows1, 0);
	s.ts_ms = 0;
	s.uptime_s = 3725;
	s.players = 12;
	s.players_telnet = 10;
	s.players_web = 2;
	s.players_linkdead = 1;
	s.conns_total = 14;
	s.p50_10s = 210;
	s.p99_10s = 1300;
	s.max_10s = 4100;
	s.overruns = 3;
	s.cmds_s = 5;
	s.in_s = 1280;
	s.out_s = 35000;
	s.rss_kb = 34 * 1024;
	s.lua_bytes = 2 << 20;
	s.db_last_save = 100;
	s.wizlock = true;
	s.countdown = true;
	s.countdown_reboot = true;
	s.countdown_left_s = 25;
	buf_init(&h, 0);
	buf_init(&l, 0);
	model_stat_header(&h);
	model_stat_line(&s, &l);
	assert_non_null(strstr(buf_cstr(&h), "p99ms"));
	assert_non_null(strstr(buf_cstr(&l), " 1h02m "));
	assert_non_null(strstr(buf_cstr(&l), "   0.21   1.30   4.10 "));
	assert_non_null(strstr(buf_cstr(&l), " 1.2K "));
	assert_non_null(strstr(buf_cstr(&l), " 34K "));
	assert_non_null(strstr(buf_cstr(&l), " 34.0    2.0 ok "));
	assert_non_null(strstr(buf_cstr(&l), "wizlock reboot-in-25s"));
	assert_null(strchr(buf_cstr(&l), '\n'));
	/* The header's columns line up with the line's: same width up to "flags". */
	assert_int_equal(strstr(buf_cstr(&h), "flags") - buf_cstr(&h),
			 strstr(buf_cstr(&l), "wizlock") - buf_cstr(&l));
	buf_clear(&l);
	model_db_status(&s, 112, &l);
	assert_string_equal(buf_cstr(&l), "saved 12s ago");
	s.db_last_save = 0;
	buf_clear(&l);
	model_db_status(&s, 112, &l);
	assert_string_equal(buf_cstr(&l), "no saves yet");
	s.db_last_save = 50;
	s.db_saves_failed = 1;
	s.db_last_error_at = 60;
	free(s.db_last_error);
	s.db_last_error = xstrdup("disk full");
	buf_clear(&l);
	model_db_status(&s, 112, &l);
	assert_string_equal(buf_cstr(&l), "FAILING: disk full");
	buf_clear(&l);
	model_stat_line(&s, &l);
	assert_non_null(strstr(buf_cstr(&l), " FAIL "));
	buf_fini(&h);
	buf_fini(&l);
	snap_fini(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_columns_and_reverse),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_selection_follows_its_row),
		cmocka_unit_test(test_snapshot_without_table_keeps_it),
		cmocka_unit_test(test_fit_columns),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_formatting),
		cmocka_unit_test(test_log_ring_filter_pause_scroll),
		cmocka_unit_test(test_sparkline),
		cmocka_unit_test(test_stat_line_and_db),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
