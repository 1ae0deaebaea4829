/*
 * test_tui_client.c: ruin-console's end of the admin protocol, against a
 * socketpair standing in for the server: nothing counts before the hello,
 * a wrong version closes with a reason, the hello and the subscription go
 * out with ids, stats decode field by field (and missing fields read as
 * zero), log lines, replies and errors come out as events while junk is
 * ignored, requests wait for the hello, a server that
 * goes away or never says hello leads to a retry, and a missing socket
 * says so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../tui/client.h"
#include "base/clock.h"

struct seen {
	int states[8];
	int nstates;
	char why[256];
	struct snap snap;
	int nstats;
	int nlog;
	int log_level;
	char log_msg[256];
	int nreply;
	struct client_reply last; /* strings copied below */
	char op[32], code[64], text[256];
	int nconn;
	long long conn_id;
};

static void ev_state(void *ud, enum client_state st, const char *why)
{
	struct seen *s = ud;

	if (s->nstates < 8)
		s->states[s->nstates++] = (int)st;
	snprintf(s->why, sizeof(s->why), "%s", why);
}

static void ev_stats(void *ud, struct snap *snap)
{
	struct seen *s = ud;

	snap_fini(&s->snap);
	s->snap = *snap;
	memset(snap, 0, sizeof(*snap));
	s->nstats++;
}

static void ev_log(void *ud, int64_t ts, int level, const char *msg)
{
	struct seen *s = ud;

	(void)ts;
	s->nlog++;
	s->log_level = level;
	snprintf(s->log_msg, sizeof(s->log_msg), "%s", msg);
}

static void ev_reply(void *ud, const struct client_reply *r)
{
	struct seen *s = ud;

	s->nreply++;
	s->last = *r;
	snprintf(s->op, sizeof(s->op), "%s", r->op);
	snprintf(s->code, sizeof(s->code), "%s", r->code);
	snprintf(s->text, sizeof(s->text), "%s", r->text);
}

static void ev_conn(void *ud, json_t *conn)
{
	struct seen *s = ud;

	s->nconn++;
	s->conn_id = (long long)json_integer_value(json_object_get(conn, "id"));
}

static const struct client_events events = {ev_state, ev_stats, ev_log, ev_reply, ev_conn};

struct fixture {
	struct seen seen;
	struct client *c;
	int server; /* our end of the socketpair */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct client_config cfg = {.path = "/nonexistent/admin.sock",
				    .name = "test-console",
				    .readonly = true,
				    .stats = true,
				    .log = true,
				    .conns = false,
				    .interval = 2};
	int sv[2];

	if (!f || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return -1;
	f->c = client_new(&cfg, &events, &f->seen);
	f->server = sv[0];
	client_attach(f->c, sv[1], clock_mono_ms());
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	client_free(f->c);
	close(f->server);
	snap_fini(&f->seen.snap);
	free(f);
	return 0;
}

static void feed(struct fixture *f, const char *text)
{
	client_feed(f->c, text, strlen(text));
}

/* What the client queued, as text. */
static const char *pending(struct fixture *f)
{
	return buf_cstr(client_pending(f->c));
}

#define HELLO "{\"type\":\"hello\",\"version\":1,\"server\":\"Ruin\",\"pid\":1,\"ops\":[]}\n"

static void test_hello_then_subscribe(void **state)
{
	struct fixture *f = *state;
	json_t *req = json_pack("{s:s}", "op", "ping");

	assert_int_equal(client_state(f->c), CLIENT_WAITING);
	assert_int_equal(f->seen.states[0], CLIENT_WAITING);
	/* Nothing but a hello counts before the hello. */
	feed(f, "{\"type\":\"log\",\"ts\":1,\"level\":\"info\",\"msg\":\"early\"}\n");
	assert_int_equal(f->seen.nlog, 0);
	assert_int_equal(client_request(f->c, req), -1);
	feed(f, HELLO);
	assert_int_equal(client_state(f->c), CLIENT_READY);
	assert_string_equal(
		pending(f),
		"{\"op\":\"hello\",\"client\":\"test-console\",\"readonly\":true,\"id\":1}\n"
		"{\"op\":\"subscribe\",\"stats\":true,\"log\":true,\"conns\":false,"
		"\"interval\":2,\"id\":2}\n");
	assert_int_equal(client_request(f->c, req), 3);
	/* The caller's object is left as it was. */
	assert_null(json_object_get(req, "id"));
	assert_int_equal(client_poll_events(f->c), POLLIN | POLLOUT);
	/* client_io writes it all to the server's end. */
	client_io(f->c, POLLOUT);
	assert_int_equal(client_pending(f->c)->len, 0);
	{
		char got[512];
		ssize_t n = read(f->server, got, sizeof(got) - 1);

		assert_true(n > 0);
		got[n] = '\0';
		assert_non_null(strstr(got, "{\"op\":\"ping\",\"id\":3}\n"));
	}
	client_subscribe(f->c, true, false, true, 5);
	assert_string_equal(pending(f), "{\"op\":\"subscribe\",\"stats\":true,\"log\":false,"
					"\"conns\":true,\"interval\":5,\"id\":4}\n");
	json_decref(req);
}

static void test_wrong_version_closes(void **state)
{
	struct fixture *f = *state;

	feed(f, "{\"type\":\"hello\",\"version\":2}\n");
	assert_int_equal(client_state(f->c), CLIENT_OFFLINE);
	assert_int_equal(client_fd(f->c), -1);
	assert_non_null(strstr(client_error(f->c), "version 2"));
	assert_non_null(strstr(f->seen.why, "this console speaks 1"));
}

static void test_events(void **state)
{
	struct fixture *f = *state;

	feed(f, HELLO);
	feed(f, "{\"type\":\"log\",\"ts\":5,\"level\":\"warn\",\"msg\":\"disk \\u00e9 low\"}\n"
		"{\"type\":\"log\",\"ts\":5,\"level\":\"shouting\",\"msg\":\"x\"}\n");
	assert_int_equal(f->seen.nlog, 2);
	assert_int_equal(f->seen.log_level, 2); /* unknown level reads as info */
	feed(f, "{\"type\":\"log\",\"ts\":5,\"level\":\"warn\",\"msg\":\"disk \\u00e9 low\"}\n");
	assert_int_equal(f->seen.log_level, 1);
	assert_string_equal(f->seen.log_msg, "disk \xc3\xa9 low");
	feed(f, "{\"type\":\"reply\",\"id\":3,\"op\":\"kick\",\"ok\":true,\"message\":\"kicked "
		"4\"}\n");
	assert_int_equal(f->seen.last.id, 3);
	assert_true(f->seen.last.ok);
	assert_false(f->seen.last.error);
	assert_string_equal(f->seen.op, "kick");
	assert_string_equal(f->seen.text, "kicked 4");
	feed(f, "{\"type\":\"reply\",\"id\":4,\"op\":\"reload\",\"ok\":false,\"error\":\"not "
		"yet\"}\n");
	assert_false(f->seen.last.ok);
	assert_string_equal(f->seen.text, "not yet");
	feed(f, "{\"type\":\"error\",\"code\":\"read_only\",\"message\":\"no\"}\n");
	assert_true(f->seen.last.error);
	assert_int_equal(f->seen.last.id, 0);
	assert_string_equal(f->seen.code, "read_only");
	assert_string_equal(f->seen.text, "no");
	feed(f, "{\"type\":\"conn\",\"conn\":{\"id\":12,\"name\":\"Ayla\"}}\n");
	assert_int_equal(f->seen.nconn, 1);
	assert_int_equal(f->seen.conn_id, 12);
	/* Junk and unknown types are ignored, not fatal. */
	feed(f, "not json\n{\"type\":\"future\"}\n[1,2]\n\n");
	assert_int_equal(client_state(f->c), CLIENT_READY);
	assert_int_equal(f->seen.nreply, 3);
}

static void test_decode_stats(void **state)
{
	struct fixture *f = *state;
	const struct snap *s = &f->seen.snap;

	feed(f, HELLO);
	feed(f, "{\"type\":\"stats\",\"ts\":1795677573904,\"server\":\"Forgotten "
		"Ruin\",\"uptime_s\":2,"
		"\"players\":{\"total\":3,\"telnet\":1,\"web\":1,\"linkdead\":1},"
		"\"connections\":{\"total\":3,\"telnet\":2,\"web\":1,\"login\":1},"
		"\"pulse\":{\"budget_us\":100000,\"pulses\":27,\"overruns\":4,\"max_ever_us\":6,"
		"\"windows\":{\"10s\":{\"p50_us\":1,\"p99_us\":6,\"max_us\":7,\"n\":27},"
		"\"60s\":{\"p50_us\":2,\"p99_us\":8,\"max_us\":9,\"n\":27}},"
		"\"history\":{\"pulse_max_us\":[6,5],\"pulses\":[10,10],\"commands\":[1,2],"
		"\"bytes_in\":[3,4],\"bytes_out\":[5,6]}},"
		"\"rates\":{\"commands\":2,\"bytes_in\":4,\"bytes_out\":6},"
		"\"memory\":{\"rss_kb\":5132,\"hwm_kb\":6000,\"lua_bytes\":58389,\"lua\":["
		"{\"area\":\"emberfall\",\"used\":19463,\"peak\":157018,\"limit\":16777216,"
		"\"entries\":3,\"errors\":1,\"stopped\":2},{\"area\":\"archive\"}]},"
		"\"db\":{\"last_save\":10,\"saves_ok\":1,\"saves_failed\":2,\"errors\":3,"
		"\"last_error\":\"disk\",\"last_error_at\":9,\"autosave_s\":60},"
		"\"state\":{\"wizlock\":true,\"log_level\":\"debug\","
		"\"countdown\":{\"reboot\":true,\"left_s\":30,\"message\":\"\"}},"
		"\"admin\":{\"consoles\":2,\"cost_us\":120,\"cost_max_us\":900},"
		"\"conns\":[{\"id\":5,\"name\":\"Ayla\",\"state\":\"playing\",\"addr\":\"::1\","
		"\"kind\":\"web\",\"client\":\"ruin-bridge 1\",\"connected_s\":70,\"idle_s\":3,"
		"\"bytes_in\":100,\"bytes_out\":2000,\"in_rate\":1,\"out_rate\":2,\"queued\":7,"
		"\"caps\":{\"color\":\"truecolor\",\"charset\":\"UTF-8\",\"cols\":80,\"rows\":24,"
		"\"mccp\":true,\"mccp_ratio\":2.5,\"gmcp\":true,\"mtts\":271}},"
		"{\"id\":0,\"name\":\"Cato\",\"state\":\"link-dead\"}]}\n");
	assert_int_equal(f->seen.nstats, 1);
	assert_string_equal(s->server, "Forgotten Ruin");
	assert_int_equal(s->ts_ms, 1795677573904LL);
	assert_int_equal(s->players, 3);
	assert_int_equal(s->players_web, 1);
	assert_int_equal(s->players_linkdead, 1);
	assert_int_equal(s->conns_total, 3);
	assert_int_equal(s->conns_login, 1);
	assert_int_equal(s->budget_us, 100000);
	assert_int_equal(s->overruns, 4);
	assert_int_equal(s->p99_10s, 6);
	assert_int_equal(s->max_10s, 7);
	assert_int_equal(s->p99_60s, 8);
	assert_int_equal(s->hist_n, 2);
	assert_int_equal(s->hist_pulse_max[1], 5);
	assert_int_equal(s->hist_commands[1], 2);
	assert_int_equal(s->hist_out[0], 5);
	assert_int_equal(s->cmds_s, 2);
	assert_int_equal(s->out_s, 6);
	assert_int_equal(s->rss_kb, 5132);
	assert_int_equal(s->hwm_kb, 6000);
	assert_int_equal(s->nareas, 2);
	assert_string_equal(s->areas[0].area, "emberfall");
	assert_int_equal(s->areas[0].peak, 157018);
	assert_int_equal(s->areas[0].limit, 16777216);
	assert_int_equal(s->areas[0].errors, 1);
	assert_int_equal(s->areas[0].stopped, 2);
	assert_string_equal(s->areas[1].area, "archive");
	assert_int_equal(s->areas[1].used, 0);
	assert_int_equal(s->admin_cost_max_us, 900);
	assert_int_equal(s->lua_bytes, 58389);
	assert_int_equal(s->db_saves_failed, 2);
	assert_string_equal(s->db_last_error, "disk");
	assert_true(s->wizlock);
	assert_string_equal(s->log_level, "debug");
	assert_true(s->countdown);
	assert_true(s->countdown_reboot);
	assert_int_equal(s->countdown_left_s, 30);
	assert_int_equal(s->consoles, 2);
	assert_true(s->has_conns);
	assert_int_equal(s->nconns, 2);
	assert_int_equal(s->conns[0].id, 5);
	assert_string_equal(s->conns[0].kind, "web");
	assert_string_equal(s->conns[0].color, "truecolor");
	assert_true(s->conns[0].mccp);
	assert_true(s->conns[0].mccp_ratio > 2.49 && s->conns[0].mccp_ratio < 2.51);
	assert_int_equal(s->conns[0].mtts, 271);
	assert_int_equal(s->conns[0].queued, 7);
	assert_string_equal(s->conns[1].state, "link-dead");
	assert_string_equal(s->conns[1].addr, "");
	assert_string_equal(s->conns[1].color, "");
}

static void test_decode_sparse_and_not_stats(void **state)
{
	struct snap s;
	json_t *msg = json_loads("{\"type\":\"stats\"}", 0, NULL);
	json_t *other = json_loads("{\"type\":\"log\"}", 0, NULL);
	json_t *hist = json_loads("{\"type\":\"stats\",\"pulse\":{\"history\":{}}}", 0, NULL);
	json_t *arr = json_array();

	(void)state;
	assert_int_equal(client_decode_snap(msg, &s), 0);
	assert_int_equal(s.players, 0);
	assert_string_equal(s.server, "");
	assert_false(s.has_conns);
	assert_false(s.countdown);
	snap_fini(&s);
	assert_int_equal(client_decode_snap(other, &s), -1);
	snap_fini(&s);
	/* A longer history than we keep: the newest SNAP_HISTORY seconds. */
	for (int i = 0; i < SNAP_HISTORY + 50; i++)
		json_array_append_new(arr, json_integer(i));
	json_object_set_new(json_object_get(json_object_get(hist, "pulse"), "history"),
			    "pulse_max_us", arr);
	assert_int_equal(client_decode_snap(hist, &s), 0);
	assert_int_equal(s.hist_n, SNAP_HISTORY);
	assert_int_equal(s.hist_pulse_max[0], 50);
	assert_int_equal(s.hist_pulse_max[SNAP_HISTORY - 1], SNAP_HISTORY + 49);
	snap_fini(&s);
	json_decref(msg);
	json_decref(other);
	json_decref(hist);
}

static void test_server_goes_away(void **state)
{
	struct fixture *f = *state;
	int64_t now = clock_mono_ms();

	feed(f, HELLO);
	close(f->server);
	f->server = -1;
	client_io(f->c, POLLIN);
	assert_int_equal(client_state(f->c), CLIENT_OFFLINE);
	assert_string_equal(client_error(f->c), "the server closed the connection");
	/* The retry waits, then fails on the missing socket with a useful reason. */
	assert_true(client_tick(f->c, now) > 0);
	client_tick(f->c, now + 10000);
	assert_int_equal(client_state(f->c), CLIENT_OFFLINE);
	assert_non_null(strstr(client_error(f->c), "no such socket"));
}

static void test_no_hello_in_time(void **state)
{
	struct fixture *f = *state;
	int64_t now = clock_mono_ms();

	assert_true(client_tick(f->c, now) > 0);
	assert_int_equal(client_state(f->c), CLIENT_WAITING);
	client_tick(f->c, now + 60000);
	assert_int_equal(client_state(f->c), CLIENT_OFFLINE);
	assert_string_equal(client_error(f->c), "the server sent no hello");
}

static void test_reads_from_the_socket_in_pieces(void **state)
{
	struct fixture *f = *state;
	const char *msg =
		HELLO "{\"type\":\"log\",\"ts\":1,\"level\":\"error\",\"msg\":\"split\"}\n";

	assert_int_equal(write(f->server, msg, 30), 30);
	client_io(f->c, POLLIN);
	assert_int_equal(client_state(f->c), CLIENT_WAITING);
	assert_int_equal(write(f->server, msg + 30, strlen(msg) - 30), (ssize_t)strlen(msg) - 30);
	client_io(f->c, POLLIN);
	assert_int_equal(client_state(f->c), CLIENT_READY);
	assert_int_equal(f->seen.nlog, 1);
	assert_int_equal(f->seen.log_level, 0);
	/* The hello and subscription were written back at once. */
	{
		char got[512];
		ssize_t n = read(f->server, got, sizeof(got) - 1);

		assert_true(n > 0);
		got[n] = '\0';
		assert_non_null(strstr(got, "\"op\":\"hello\""));
		assert_non_null(strstr(got, "\"op\":\"subscribe\""));
	}
	assert_true(client_last_message_ms(f->c) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hello_then_subscribe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_version_closes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode_stats, setup, teardown),
		cmocka_unit_test(test_decode_sparse_and_not_stats),
		cmocka_unit_test_setup_teardown(test_server_goes_away, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_hello_in_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reads_from_the_socket_in_pieces, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
