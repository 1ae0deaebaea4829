/*
 * test_admin_proto.c: the admin socket's protocol, server side: every op
 * parses with its defaults; every way a request can be wrong gets its error
 * code and a reason naming the problem, and keeps the request id; the
 * messages to consoles (hello, error, reply, log, pulse windows and
 * history) have the documented shape; encoding is one line, all or nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include <cmocka.h>

#include "admin_proto.h"
#include "base/lines.h"

/* Parses text; returns the error and leaves the reason in *why (caller frees). */
static enum admin_error parse(const char *text, struct admin_request *req, struct buf *why)
{
	buf_init(why, 4096);
	return admin_request_parse(text, strlen(text), req, why);
}

static void expect_ok(const char *text, struct admin_request *req)
{
	struct buf why;
	enum admin_error err = parse(text, req, &why);

	if (err != ADMIN_ERR_NONE)
		fail_msg("%s: %s", text, buf_cstr(&why));
	assert_string_equal(buf_cstr(&why), "");
	buf_fini(&why);
}

/* Expects err with a reason containing hint. */
static void expect_err(const char *text, enum admin_error err, const char *hint)
{
	struct admin_request req;
	struct buf why;
	enum admin_error got = parse(text, &req, &why);

	if (got != err)
		fail_msg("%s: got %s (%s), want %s", text, admin_error_code(got), buf_cstr(&why),
			 admin_error_code(err));
	if (!strstr(buf_cstr(&why), hint))
		fail_msg("%s: reason '%s' lacks '%s'", text, buf_cstr(&why), hint);
	assert_null(req.json);
	admin_request_fini(&req);
	buf_fini(&why);
}

static void test_every_op_with_defaults(void **state)
{
	struct admin_request r;

	(void)state;
	expect_ok("{\"op\":\"ping\"}", &r);
	assert_int_equal(r.op, ADMIN_OP_PING);
	assert_null(r.id);
	assert_false(admin_op_is_action(r.op));
	admin_request_fini(&r);

	expect_ok("{\"op\":\"subscribe\"}", &r);
	assert_int_equal(r.op, ADMIN_OP_SUBSCRIBE);
	assert_true(r.stats && r.log && r.conns);
	assert_int_equal(r.seconds, 1);
	admin_request_fini(&r);

	expect_ok("{\"op\":\"subscribe\",\"log\":false,\"interval\":5,\"id\":7}", &r);
	assert_true(r.stats && !r.log && r.conns);
	assert_int_equal(r.seconds, 5);
	assert_int_equal(json_integer_value(r.id), 7);
	admin_request_fini(&r);

	expect_ok("{\"op\":\"stats\",\"conns\":false}", &r);
	assert_int_equal(r.op, ADMIN_OP_STATS);
	assert_false(r.conns);
	admin_request_fini(&r);

	expect_ok("{\"op\":\"kick\",\"conn\":42}", &r);
	assert_int_equal(r.op, ADMIN_OP_KICK);
	assert_int_equal(r.conn, 42);
	assert_string_equal(r.text, "");
	assert_true(admin_op_is_action(r.op));
	admin_request_fini(&r);

	expect_ok("{\"id\":\"k1\",\"op\":\"kick\",\"conn\":4294967295,\"message\":\"Bye, "
		  "caf\\u00e9\"}",
		  &r);
	assert_int_equal(r.conn, 4294967295u);
	assert_string_equal(r.text, "Bye, caf\xc3\xa9");
	assert_string_equal(json_string_value(r.id), "k1");
	admin_request_fini(&r);

	expect_ok("{\"op\":\"broadcast\",\"message\":\"{Yhello{x\"}", &r);
	assert_string_equal(r.text, "{Yhello{x");
	admin_request_fini(&r);

	expect_ok("{\"op\":\"reload\",\"area\":\"emberfall\"}", &r);
	assert_int_equal(r.op, ADMIN_OP_RELOAD);
	assert_string_equal(r.text, "emberfall");
	admin_request_fini(&r);

	expect_ok("{\"op\":\"shutdown\"}", &r);
	assert_int_equal(r.op, ADMIN_OP_SHUTDOWN);
	assert_int_equal(r.seconds, 0);
	admin_request_fini(&r);

	expect_ok("{\"op\":\"reboot\",\"delay\":3600,\"message\":\"new build\"}", &r);
	assert_int_equal(r.op, ADMIN_OP_REBOOT);
	assert_int_equal(r.seconds, 3600);
	assert_string_equal(r.text, "new build");
	assert_false(r.hot);
	admin_request_fini(&r);

	expect_ok("{\"op\":\"reboot\",\"hot\":true}", &r);
	assert_true(r.hot);
	admin_request_fini(&r);

	expect_ok("{\"op\":\"cancel\"}", &r);
	assert_int_equal(r.op, ADMIN_OP_CANCEL);
	admin_request_fini(&r);

	expect_ok("{\"op\":\"wizlock\",\"on\":true}", &r);
	assert_true(r.on);
	admin_request_fini(&r);

	expect_ok("{\"op\":\"loglevel\",\"level\":\"debug\"}", &r);
	assert_int_equal(r.level, LOG_DEBUG);
	admin_request_fini(&r);

	expect_ok("{\"op\":\"hello\",\"client\":\"ruin-console 1\",\"readonly\":true}", &r);
	assert_string_equal(r.text, "ruin-console 1");
	assert_true(r.on);
	admin_request_fini(&r);

	expect_ok("{\"op\":\"conn\",\"conn\":3}", &r);
	assert_int_equal(r.conn, 3);
	admin_request_fini(&r);

	expect_ok("  {\"op\":\"unsubscribe\"}  ", &r);
	assert_int_equal(r.op, ADMIN_OP_UNSUBSCRIBE);
	admin_request_fini(&r);
}

static void test_bad_json(void **state)
{
	struct admin_request req;
	struct buf why;
	const char nul[] = "{\"op\":\"ping\"}\0x";

	(void)state;
	expect_err("", ADMIN_ERR_BAD_JSON, "not JSON");
	expect_err("{\"op\":", ADMIN_ERR_BAD_JSON, "not JSON");
	expect_err("{op:\"ping\"}", ADMIN_ERR_BAD_JSON, "not JSON");
	expect_err("{\"op\":\"ping\"} {}", ADMIN_ERR_BAD_JSON, "not JSON");
	expect_err("[\"ping\"]", ADMIN_ERR_BAD_JSON, "one JSON object");
	expect_err("42", ADMIN_ERR_BAD_JSON, "one JSON object");
	expect_err("\"ping\"", ADMIN_ERR_BAD_JSON, "one JSON object");
	expect_err("{\"op\":\"ping\",\"op\":\"kick\"}", ADMIN_ERR_BAD_JSON, "duplicate");
	expect_err("{\"op\":\"ping\xff\"}", ADMIN_ERR_BAD_JSON, "not JSON");
	/* A NUL byte inside the line. */
	buf_init(&why, 1024);
	assert_int_equal(admin_request_parse(nul, sizeof(nul) - 1, &req, &why), ADMIN_ERR_BAD_JSON);
	admin_request_fini(&req);
	buf_fini(&why);
}

static void test_no_op_and_unknown_op(void **state)
{
	(void)state;
	expect_err("{}", ADMIN_ERR_NO_OP, "\"op\"");
	expect_err("{\"op\":3}", ADMIN_ERR_NO_OP, "\"op\"");
	expect_err("{\"op\":null}", ADMIN_ERR_NO_OP, "\"op\"");
	expect_err("{\"op\":\"frobnicate\"}", ADMIN_ERR_UNKNOWN_OP, "kick, broadcast");
	expect_err("{\"op\":\"Ping\"}", ADMIN_ERR_UNKNOWN_OP, "ping");
	expect_err("{\"op\":\"ping\\u0000x\"}", ADMIN_ERR_BAD_JSON, "\\u0000");
}

static void test_bad_arguments(void **state)
{
	(void)state;
	expect_err("{\"op\":\"ping\",\"x\":1}", ADMIN_ERR_BAD_ARGUMENT,
		   "ping: no argument named 'x'");
	expect_err("{\"op\":\"kick\"}", ADMIN_ERR_BAD_ARGUMENT, "kick: 'conn' is required");
	expect_err("{\"op\":\"kick\",\"conn\":0}", ADMIN_ERR_BAD_ARGUMENT, "from 1 to 4294967295");
	expect_err("{\"op\":\"kick\",\"conn\":4294967296}", ADMIN_ERR_BAD_ARGUMENT, "'conn'");
	expect_err("{\"op\":\"kick\",\"conn\":-1}", ADMIN_ERR_BAD_ARGUMENT, "'conn'");
	expect_err("{\"op\":\"kick\",\"conn\":\"3\"}", ADMIN_ERR_BAD_ARGUMENT, "a whole number");
	expect_err("{\"op\":\"kick\",\"conn\":3.5}", ADMIN_ERR_BAD_ARGUMENT, "a whole number");
	expect_err("{\"op\":\"kick\",\"conn\":3,\"message\":7}", ADMIN_ERR_BAD_ARGUMENT,
		   "'message' must be a string");
	expect_err("{\"op\":\"broadcast\"}", ADMIN_ERR_BAD_ARGUMENT, "'message' is required");
	expect_err("{\"op\":\"broadcast\",\"message\":\"\"}", ADMIN_ERR_BAD_ARGUMENT,
		   "1 to 1000 bytes");
	expect_err("{\"op\":\"broadcast\",\"message\":\"a\\nb\"}", ADMIN_ERR_BAD_ARGUMENT,
		   "control characters");
	expect_err("{\"op\":\"broadcast\",\"message\":\"a\\u001b[31m\"}", ADMIN_ERR_BAD_ARGUMENT,
		   "control characters");
	expect_err("{\"op\":\"broadcast\",\"message\":\"a\\u0000b\"}", ADMIN_ERR_BAD_JSON,
		   "\\u0000");
	expect_err("{\"op\":\"subscribe\",\"stats\":1}", ADMIN_ERR_BAD_ARGUMENT, "true or false");
	expect_err("{\"op\":\"subscribe\",\"interval\":0}", ADMIN_ERR_BAD_ARGUMENT,
		   "from 1 to 3600");
	expect_err("{\"op\":\"shutdown\",\"delay\":3601}", ADMIN_ERR_BAD_ARGUMENT,
		   "from 0 to 3600");
	expect_err("{\"op\":\"shutdown\",\"delay\":-1}", ADMIN_ERR_BAD_ARGUMENT, "'delay'");
	expect_err("{\"op\":\"wizlock\"}", ADMIN_ERR_BAD_ARGUMENT, "'on' is required");
	expect_err("{\"op\":\"wizlock\",\"on\":\"yes\"}", ADMIN_ERR_BAD_ARGUMENT, "true or false");
	expect_err("{\"op\":\"loglevel\",\"level\":\"loud\"}", ADMIN_ERR_BAD_ARGUMENT,
		   "error, warn, info or debug");
	expect_err("{\"op\":\"loglevel\",\"level\":2}", ADMIN_ERR_BAD_ARGUMENT, "error, warn");
	expect_err("{\"op\":\"reload\",\"area\":\"\"}", ADMIN_ERR_BAD_ARGUMENT, "'area'");
	expect_err("{\"op\":\"ping\",\"id\":[1]}", ADMIN_ERR_BAD_ARGUMENT, "'id'");
	expect_err("{\"op\":\"ping\",\"id\":1.5}", ADMIN_ERR_BAD_ARGUMENT, "'id'");
}

static void test_long_text_bounds(void **state)
{
	struct buf line;
	struct admin_request req;

	(void)state;
	buf_init(&line, 0);
	buf_puts(&line, "{\"op\":\"broadcast\",\"message\":\"");
	for (int i = 0; i < ADMIN_TEXT_MAX; i++)
		buf_putc(&line, 'x');
	buf_puts(&line, "\"}");
	expect_ok(buf_cstr(&line), &req);
	assert_int_equal(strlen(req.text), ADMIN_TEXT_MAX);
	admin_request_fini(&req);
	buf_truncate(&line, line.len - 2);
	buf_puts(&line, "x\"}");
	expect_err(buf_cstr(&line), ADMIN_ERR_BAD_ARGUMENT, "1 to 1000 bytes");
	buf_fini(&line);
}

static void test_errors_keep_the_id(void **state)
{
	struct admin_request req;
	struct buf why;

	(void)state;
	assert_int_equal(parse("{\"id\":9,\"op\":\"nope\"}", &req, &why), ADMIN_ERR_UNKNOWN_OP);
	assert_int_equal(json_integer_value(req.id), 9);
	{
		json_t *m = admin_msg_error(req.id, ADMIN_ERR_UNKNOWN_OP, buf_cstr(&why));

		assert_string_equal(json_string_value(json_object_get(m, "type")), "error");
		assert_string_equal(json_string_value(json_object_get(m, "code")), "unknown_op");
		assert_int_equal(json_integer_value(json_object_get(m, "id")), 9);
		assert_non_null(strstr(json_string_value(json_object_get(m, "message")), "ping"));
		json_decref(m);
	}
	admin_request_fini(&req);
	buf_fini(&why);

	assert_int_equal(parse("{\"id\":\"x\",\"op\":\"kick\",\"conn\":false}", &req, &why),
			 ADMIN_ERR_BAD_ARGUMENT);
	assert_string_equal(json_string_value(req.id), "x");
	admin_request_fini(&req);
	assert_null(req.id);
	buf_fini(&why);
}

static void test_names_and_codes(void **state)
{
	(void)state;
	assert_string_equal(admin_op_name(ADMIN_OP_KICK), "kick");
	assert_string_equal(admin_op_name(ADMIN_OP_LOGLEVEL), "loglevel");
	assert_string_equal(admin_op_name(ADMIN_OP_COUNT), "?");
	assert_string_equal(admin_error_code(ADMIN_ERR_BAD_JSON), "bad_json");
	assert_string_equal(admin_error_code(ADMIN_ERR_LINE_TOO_LONG), "line_too_long");
	assert_string_equal(admin_error_code(ADMIN_ERR_READ_ONLY), "read_only");
	assert_string_equal(admin_error_code(ADMIN_ERR_TOO_MANY), "too_many_consoles");
	assert_string_equal(admin_error_code(ADMIN_ERR_COUNT), "?");
	for (int op = 0; op < ADMIN_OP_COUNT; op++)
		assert_int_equal(admin_op_is_action((enum admin_op)op),
				 op >= ADMIN_OP_KICK && op <= ADMIN_OP_LOGLEVEL);
}

static void test_hello_reply_log(void **state)
{
	json_t *m, *id = json_integer(5);

	(void)state;
	m = admin_msg_hello("Forgotten Ruin", 1234, 1767225600);
	assert_string_equal(json_string_value(json_object_get(m, "type")), "hello");
	assert_int_equal(json_integer_value(json_object_get(m, "version")), 1);
	assert_int_equal(json_integer_value(json_object_get(m, "pid")), 1234);
	assert_int_equal(json_array_size(json_object_get(m, "ops")), ADMIN_OP_COUNT);
	json_decref(m);

	m = admin_msg_reply(id, ADMIN_OP_RELOAD, false, "no such area");
	assert_string_equal(json_string_value(json_object_get(m, "op")), "reload");
	assert_true(json_is_false(json_object_get(m, "ok")));
	assert_string_equal(json_string_value(json_object_get(m, "error")), "no such area");
	assert_null(json_object_get(m, "message"));
	assert_int_equal(json_integer_value(json_object_get(m, "id")), 5);
	json_decref(m);

	m = admin_msg_reply(NULL, ADMIN_OP_PING, true, NULL);
	assert_true(json_is_true(json_object_get(m, "ok")));
	assert_null(json_object_get(m, "id"));
	assert_null(json_object_get(m, "message"));
	json_decref(m);
	json_decref(id);

	m = admin_msg_log(1767225600123, LOG_WARN, "bad \xff byte \x01");
	assert_string_equal(json_string_value(json_object_get(m, "level")), "warn");
	assert_int_equal(json_integer_value(json_object_get(m, "ts")), 1767225600123);
	assert_string_equal(json_string_value(json_object_get(m, "msg")),
			    "bad \xef\xbf\xbd byte \x01");
	{
		struct buf out;

		buf_init(&out, 0);
		assert_int_equal(admin_encode(&out, m), 0);
		/* The control byte is escaped, so the line stays one line. */
		assert_non_null(strstr(buf_cstr(&out), "\\u0001"));
		assert_int_equal(strchr(buf_cstr(&out), '\n') - out.data, (long)out.len - 1);
		buf_fini(&out);
	}
	json_decref(m);
}

static void test_pulse_windows_and_history(void **state)
{
	static struct stats st;
	json_t *m, *w10, *w60, *hist;
	uint32_t p50, p99, max;

	(void)state;
	stats_init(&st);
	assert_int_equal(admin_pulse_window(&st, 100, &p50, &p99, &max), 0);
	assert_int_equal(max, 0);
	/* 500 slow pulses (10 ms), then the last 100 fast ones (1..100 us). */
	for (int i = 0; i < 500; i++)
		stats_pulse(&st, 10000);
	for (uint32_t i = 0; i < 100; i++)
		stats_pulse(&st, (i * 37) % 100 + 1);
	assert_int_equal(admin_pulse_window(&st, 100, &p50, &p99, &max), 100);
	assert_int_equal(p50, 50);
	assert_int_equal(p99, 99);
	assert_int_equal(max, 100);
	assert_int_equal(admin_pulse_window(&st, 1000, &p50, &p99, &max), 600);
	assert_int_equal(p50, 10000);
	assert_int_equal(max, 10000);
	/* Three seconds of history: 1, 2, 3 commands. */
	for (int s = 1; s <= 3; s++) {
		for (int c = 0; c < s; c++)
			stats_command(&st);
		stats_bytes(&st, (uint64_t)s * 100, (uint64_t)s * 1000);
		stats_pulse(&st, (uint32_t)s * 1000);
		stats_second(&st);
	}
	m = admin_msg_pulse(&st, 2);
	assert_int_equal(json_integer_value(json_object_get(m, "budget_us")), 100000);
	assert_int_equal(json_integer_value(json_object_get(m, "pulses")), 603);
	assert_int_equal(json_integer_value(json_object_get(m, "overruns")), 0);
	w10 = json_object_get(json_object_get(m, "windows"), "10s");
	w60 = json_object_get(json_object_get(m, "windows"), "60s");
	assert_int_equal(json_integer_value(json_object_get(w10, "n")), 100);
	assert_int_equal(json_integer_value(json_object_get(w60, "n")), 600);
	assert_int_equal(json_integer_value(json_object_get(w60, "max_us")), 10000);
	hist = json_object_get(m, "history");
	/* Oldest first, only the two asked for. */
	assert_int_equal(json_array_size(json_object_get(hist, "commands")), 2);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(hist, "commands"), 0)),
			 2);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(hist, "commands"), 1)),
			 3);
	assert_int_equal(
		json_integer_value(json_array_get(json_object_get(hist, "pulse_max_us"), 1)), 3000);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(hist, "bytes_out"), 0)),
			 2000);
	json_decref(m);
	stats_pulse(&st, 150000);
	m = admin_msg_pulse(&st, 300);
	assert_int_equal(json_integer_value(json_object_get(m, "overruns")), 1);
	assert_int_equal(json_integer_value(json_object_get(m, "max_ever_us")), 150000);
	assert_int_equal(json_array_size(json_object_get(json_object_get(m, "history"), "pulses")),
			 3);
	json_decref(m);
}

static void test_encode_all_or_nothing(void **state)
{
	struct buf out;
	json_t *m = admin_msg_reply(NULL, ADMIN_OP_PING, true, "pong");
	size_t one;

	(void)state;
	buf_init(&out, 0);
	assert_int_equal(admin_encode(&out, m), 0);
	one = out.len;
	assert_string_equal(
		buf_cstr(&out),
		"{\"type\":\"reply\",\"op\":\"ping\",\"ok\":true,\"message\":\"pong\"}\n");
	buf_fini(&out);
	buf_init(&out, one * 2 - 1);
	assert_int_equal(admin_encode(&out, m), 0);
	assert_int_equal(admin_encode(&out, m), BUF_ERR_FULL);
	assert_int_equal(out.len, one);
	assert_int_equal(out.err, BUF_ERR_FULL);
	buf_fini(&out);
	json_decref(m);
}

/* What the server does with a stream: framing, then parsing, line by line. */
struct stream_seen {
	int ok, bad, overlong;
};

static void stream_line(void *ud, const char *line, size_t n)
{
	struct stream_seen *s = ud;
	struct admin_request req;
	struct buf why;

	buf_init(&why, 1024);
	if (admin_request_parse(line, n, &req, &why) == ADMIN_ERR_NONE)
		s->ok++;
	else
		s->bad++;
	admin_request_fini(&req);
	buf_fini(&why);
}

static void stream_overlong(void *ud, size_t max)
{
	struct stream_seen *s = ud;

	(void)max;
	s->overlong++;
}

static void test_stream_split_everywhere(void **state)
{
	const char *stream = "{\"op\":\"ping\"}\n{\"op\":\r\n{\"op\":\"broadcast\",\"message\":"
			     "\"this one is far too long for the cap\"}\n\n{\"op\":\"cancel\"}\r\n";

	(void)state;
	for (size_t cut = 0; cut <= strlen(stream); cut++) {
		struct stream_seen s = {0};
		struct lines l;

		lines_init(&l, 40);
		lines_feed(&l, stream, cut, stream_line, stream_overlong, &s);
		lines_feed(&l, stream + cut, strlen(stream) - cut, stream_line, stream_overlong,
			   &s);
		assert_int_equal(s.ok, 2);
		assert_int_equal(s.bad, 2); /* the cut-off object and the empty line */
		assert_int_equal(s.overlong, 1);
		lines_fini(&l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_op_with_defaults),
		cmocka_unit_test(test_bad_json),
		cmocka_unit_test(test_no_op_and_unknown_op),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_long_text_bounds),
		cmocka_unit_test(test_errors_keep_the_id),
		cmocka_unit_test(test_names_and_codes),
		cmocka_unit_test(test_hello_reply_log),
		cmocka_unit_test(test_pulse_windows_and_history),
		cmocka_unit_test(test_encode_all_or_nothing),
		cmocka_unit_test(test_stream_split_everywhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
