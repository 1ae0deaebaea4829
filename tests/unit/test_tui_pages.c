/*
 * test_tui_pages.c: the text of ruin-console's pages without a terminal:
 * one connection in detail (every capability, named MTTS bits, GMCP
 * packages, MCCP with its byte counts), a link-dead character, nothing
 * selected, and the health page (memory per area, database, pulses, the
 * consoles' cost).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../tui/pages.h"
#include "base/xalloc.h"
#include "tui_snap_fixture.h"

static void test_health(void **state)
{
	struct snap s;
	struct buf b;

	(void)state;
	make_snap(&s, rows1, 0);
	s.rss_kb = 34 * 1024;
	s.hwm_kb = 40 * 1024;
	s.lua_bytes = 3 << 20;
	s.nareas = 1;
	s.areas = xcalloc(1, sizeof(*s.areas));
	s.areas[0].area = xstrdup("emberfall");
	s.areas[0].used = 800 * 1024;
	s.areas[0].peak = 900 * 1024;
	s.areas[0].limit = 16 << 20;
	s.areas[0].entries = 3021;
	s.areas[0].errors = 2;
	s.db_last_save = 90;
	s.autosave_s = 60;
	s.db_saves_ok = 192;
	s.pulses = 115200;
	s.max_ever_us = 2710;
	s.budget_us = 100000;
	s.p99_60s = 402;
	s.consoles = 3;
	s.admin_cost_us = 310;
	s.admin_cost_max_us = 3504;
	buf_init(&b, 0);
	pages_health(&s, 100, &b);
	assert_non_null(strstr(buf_cstr(&b), "RSS 34M (peak 40M)"));
	assert_non_null(strstr(buf_cstr(&b), "3.0M in 1 area\n"));
	assert_non_null(
		strstr(buf_cstr(&b),
		       "  emberfall          800K     900K      16M      3021       2       0\n"));
	assert_non_null(strstr(buf_cstr(&b), "saved 10s ago (autosave every 60s)"));
	assert_non_null(strstr(buf_cstr(&b), "192 ok, 0 failed"));
	assert_non_null(strstr(buf_cstr(&b), "last error    none"));
	assert_non_null(
		strstr(buf_cstr(&b), "115200, overruns 0, the longest 2.71ms (budget 100ms)"));
	assert_non_null(strstr(buf_cstr(&b), "p99 402us"));
	assert_non_null(strstr(buf_cstr(&b), "3; their cost to the loop: 310us in the last second, "
					     "3.50ms in the worst"));
	buf_fini(&b);
	snap_fini(&s);
	assert_null(s.areas);
}

static void test_detail(void **state)
{
	json_t *conn = json_loads(
		"{\"id\":2,\"name\":\"Brom\",\"state\":\"playing\",\"addr\":\"10.0.0.2\","
		"\"kind\":\"telnet\",\"client\":\"TinTin++ "
		"2.02\",\"client_name\":\"TinTin++\","
		"\"client_version\":\"2.02\",\"terminal\":\"xterm\",\"connected_s\":65,"
		"\"idle_s\":3,"
		"\"bytes_in\":492,\"bytes_out\":2900,\"bytes_out_raw\":9500,\"in_rate\":"
		"8,"
		"\"out_rate\":27,\"queued\":0,\"proxied\":false,\"lines_in\":36,\"input_"
		"queued\":0,"
		"\"gmcp_in\":2,\"gmcp_bad\":0,\"level\":1,\"room\":\"emberfall:square\","
		"\"caps\":{\"color\":\"256\",\"client_color\":\"256\",\"charset\":\"UTF-"
		"8\","
		"\"cols\":100,\"rows\":40,\"mccp\":true,\"mccp_ratio\":3.3,\"gmcp\":true,"
		"\"mtts\":9,\"mtts_known\":true,\"mtts_flags\":[\"ansi\",\"256colors\"],"
		"\"gmcp_packages\":[{\"name\":\"Char\",\"version\":1},{\"name\":\"Room\","
		"\"version\":1}],\"eor\":true,\"sga\":false,\"echo_off\":false}}",
		0, NULL);
	struct buf b;
	struct snap s;

	(void)state;
	assert_non_null(conn);
	buf_init(&b, 0);
	pages_detail(conn, NULL, &b);
	assert_non_null(strstr(buf_cstr(&b), "Connection 2: Brom (playing)"));
	assert_non_null(
		strstr(buf_cstr(&b), "TinTin++ 2.02 (name \"TinTin++\", version \"2.02\")"));
	assert_non_null(strstr(buf_cstr(&b), "100x40 (NAWS)"));
	assert_non_null(strstr(buf_cstr(&b), "9: ansi 256colors"));
	assert_non_null(strstr(buf_cstr(&b), "on, 3.3x (9.3K of telnet sent as 2.8K)"));
	assert_non_null(strstr(buf_cstr(&b), "on: Char 1, Room 1"));
	assert_non_null(strstr(buf_cstr(&b), "level 1, in emberfall:square"));
	assert_non_null(strstr(buf_cstr(&b), "yes / no, echo on"));
	json_decref(conn);
	buf_clear(&b);
	make_snap(&s, rows1, 5);
	pages_detail(NULL, &s.conns[3], &b);
	assert_non_null(strstr(buf_cstr(&b), "Cato is link-dead"));
	assert_non_null(strstr(buf_cstr(&b), "2m00s ago"));
	buf_clear(&b);
	pages_detail(NULL, NULL, &b);
	assert_string_equal(buf_cstr(&b), "No connection selected.\n");
	snap_fini(&s);
	buf_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detail),
		cmocka_unit_test(test_health),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
