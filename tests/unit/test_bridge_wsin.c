/*
 * test_bridge_wsin.c: what a browser may send ruin-bridge (bridge/wsin.h).
 *
 * Every refusal path with its code (bad JSON, no type, unknown type, wrong
 * field types, lines with line ends or control characters, too long,
 * actions outside the whitelist, GMCP a browser may not send), the action
 * whitelist mapped to lines, and identity fields that are ignored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../bridge/wsin.h"
#include "base/banned.h"

struct parsed {
	struct wsin_msg msg;
	struct buf text, why;
	const char *code;
};

static const char *parse_n(struct parsed *p, const char *frame, size_t n, size_t max)
{
	buf_init(&p->text, 0);
	buf_init(&p->why, 0);
	p->code = wsin_parse(frame, n, max, &p->msg, &p->text, &p->why);
	if (p->code)
		assert_true(p->why.len > 0); /* every refusal explains itself */
	return p->code;
}

static const char *parse(struct parsed *p, const char *frame)
{
	return parse_n(p, frame, strlen(frame), 1024);
}

static void done(struct parsed *p)
{
	buf_fini(&p->text);
	buf_fini(&p->why);
}

/* Parses frame, expects it to be a line, and checks the line. */
static void expect_line(const char *frame, const char *line)
{
	struct parsed p;

	if (parse(&p, frame))
		fail_msg("%s refused: %s (%s)", frame, p.code, buf_cstr(&p.why));
	assert_int_equal(p.msg.kind, WSIN_LINE);
	assert_string_equal(buf_cstr(&p.text), line);
	done(&p);
}

static void expect_code(const char *frame, const char *code)
{
	struct parsed p;
	const char *got = parse(&p, frame);

	if (!got || strcmp(got, code) != 0)
		fail_msg("%s: expected %s, got %s (%s)", frame, code, got ? got : "success",
			 buf_cstr(&p.why));
	done(&p);
}

static void test_commands(void **state)
{
	(void)state;
	expect_line("{\"type\":\"command\",\"command\":\"say hello\"}", "say hello");
	expect_line("{\"type\":\"command\",\"command\":\"\"}", "");
	expect_line("{\"type\":\"command\",\"command\":\"emote waves\\tslowly\"}",
		    "emote waves\tslowly");
	expect_line("{\"type\":\"command\",\"command\":\"say caf\\u00e9 \xE2\x82\xAC\"}",
		    "say caf\xC3\xA9 \xE2\x82\xAC");
	/* Who you are is the session: identity fields are ignored. */
	expect_line("{\"type\":\"command\",\"command\":\"look\",\"player_id\":\"admin\","
		    "\"room_id\":1,\"timestamp\":5}",
		    "look");
}

static void test_actions(void **state)
{
	(void)state;
	expect_line("{\"type\":\"command\",\"action\":\"move\",\"direction\":\"north\"}", "north");
	expect_line("{\"type\":\"command\",\"action\":\"move\",\"direction\":\"d\"}", "down");
	expect_line("{\"type\":\"command\",\"action\":\"look\"}", "look");
	expect_line("{\"type\":\"command\",\"action\":\"look\",\"target\":\"lantern\"}",
		    "look lantern");
	expect_line("{\"type\":\"command\",\"action\":\"look\",\"target\":null}", "look");
	expect_line("{\"type\":\"command\",\"action\":\"say\",\"message\":\"hi all\"}",
		    "say hi all");
	expect_line("{\"type\":\"command\",\"action\":\"tell\",\"target\":\"Mira\","
		    "\"message\":\"hello there\"}",
		    "tell Mira hello there");
	expect_line("{\"type\":\"command\",\"action\":\"get\",\"item\":\"rusty sword\"}",
		    "get rusty sword");
	expect_line("{\"type\":\"command\",\"action\":\"inventory\",\"item\":\"ignored\"}",
		    "inventory");
	/* An action wins over a command line sent with it. */
	expect_line("{\"type\":\"command\",\"action\":\"who\",\"command\":\"quit\"}", "who");
	/* Every action in the whitelist maps to a line that starts with a verb. */
	for (size_t i = 0; wsin_action_name(i); i++)
		assert_true(strlen(wsin_action_name(i)) > 0);
	assert_null(wsin_action_name(1000));
}

static void test_action_refusals(void **state)
{
	(void)state;
	expect_code("{\"type\":\"command\",\"action\":\"shutdown\"}", WSIN_E_UNKNOWN_ACTION);
	expect_code("{\"type\":\"command\",\"action\":\"quit\"}", WSIN_E_UNKNOWN_ACTION);
	expect_code("{\"type\":\"command\",\"action\":7}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"action\":\"move\"}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"action\":\"move\",\"direction\":\"sideways\"}",
		    WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"action\":\"move\",\"direction\":\"north\\nquit\"}",
		    WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"action\":\"say\"}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"action\":\"say\",\"message\":\"\"}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"action\":\"say\",\"message\":[\"hi\"]}",
		    WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"action\":\"say\",\"message\":\"hi\\r\\nquit\"}",
		    WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"action\":\"tell\",\"target\":\"Mira Bell\","
		    "\"message\":\"x\"}",
		    WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"action\":\"tell\",\"target\":\"Mira\"}",
		    WSIN_E_BAD_FIELD);
	expect_code(
		"{\"type\":\"command\",\"action\":\"tell\",\"target\":\"Mira\",\"message\":\"\"}",
		WSIN_E_BAD_FIELD);
}

static void test_line_refusals(void **state)
{
	char big[2100];
	struct parsed p;
	size_t n;

	(void)state;
	expect_code("{\"type\":\"command\"}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"command\":42}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"command\":null}", WSIN_E_BAD_FIELD);
	/* A line end would be a second command; control characters are refused too. */
	expect_code("{\"type\":\"command\",\"command\":\"say hi\\r\\nquit\"}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"command\":\"say hi\\nquit\"}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"command\":\"say \\u001b[31mred\"}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"command\",\"command\":\"a\\u007fb\"}", WSIN_E_BAD_FIELD);
	/* NUL is not even valid JSON text for jansson. */
	expect_code("{\"type\":\"command\",\"command\":\"a\\u0000b\"}", WSIN_E_BAD_JSON);
	/* Longer than the line limit. */
	n = (size_t)snprintf(big, sizeof(big), "{\"type\":\"command\",\"command\":\"");
	memset(big + n, 'x', 2000);
	n += 2000;
	memcpy(big + n, "\"}", 3);
	n += 2;
	assert_string_equal(parse_n(&p, big, n, 1024), WSIN_E_TOO_LONG);
	done(&p);
	assert_null(parse_n(&p, big, n, 4096));
	assert_int_equal(p.text.len, 2000);
	done(&p);
	/* The limit counts the line an action makes, too. */
	n = (size_t)snprintf(big, sizeof(big),
			     "{\"type\":\"command\",\"action\":\"say\",\"message\":\"");
	/* "say " and 1021 bytes: one past the limit. */
	memset(big + n, 'y', 1021);
	n += 1021;
	memcpy(big + n, "\"}", 3);
	n += 2;
	assert_string_equal(parse_n(&p, big, n, 1024), WSIN_E_TOO_LONG);
	done(&p);
}

static void test_envelope_refusals(void **state)
{
	struct parsed p;

	(void)state;
	expect_code("", WSIN_E_BAD_JSON);
	expect_code("{", WSIN_E_BAD_JSON);
	expect_code("not json", WSIN_E_BAD_JSON);
	expect_code("[\"command\",\"look\"]", WSIN_E_BAD_JSON);
	expect_code("\"look\"", WSIN_E_BAD_JSON);
	expect_code("{\"type\":\"command\",\"command\":\"look\"} {}", WSIN_E_BAD_JSON);
	expect_code("{\"type\":\"command\",\"type\":\"resize\"}", WSIN_E_BAD_JSON);
	expect_code("{\"type\":\"command\",\"command\":\"\xFF\"}", WSIN_E_BAD_JSON);
	expect_code("{}", WSIN_E_BAD_TYPE);
	expect_code("{\"type\":5}", WSIN_E_BAD_TYPE);
	expect_code("{\"type\":null}", WSIN_E_BAD_TYPE);
	expect_code("{\"type\":\"Command\",\"command\":\"look\"}", WSIN_E_UNKNOWN_TYPE);
	expect_code("{\"type\":\"text\",\"data\":\"x\"}", WSIN_E_UNKNOWN_TYPE);
	expect_code("{\"type\":\"session\",\"state\":\"resumed\"}", WSIN_E_UNKNOWN_TYPE);
	/* NUL bytes in the frame itself. */
	assert_string_equal(parse_n(&p, "{\"type\":\"command\"}\0", 20, 1024), WSIN_E_BAD_JSON);
	done(&p);
}

static void test_gmcp(void **state)
{
	struct parsed p;

	(void)state;
	assert_null(parse(&p, "{\"type\":\"gmcp\",\"package\":\"Core.Ping\",\"data\":{}}"));
	assert_int_equal(p.msg.kind, WSIN_GMCP);
	assert_string_equal(p.msg.package, "Core.Ping");
	assert_string_equal(buf_cstr(&p.text), "{}");
	done(&p);
	assert_null(parse(&p, "{\"type\":\"gmcp\",\"package\":\"Core.Ping\"}"));
	assert_string_equal(buf_cstr(&p.text), "");
	done(&p);
	assert_null(parse(&p, "{\"type\":\"gmcp\",\"package\":\"Core.Supports.Add\","
			      "\"data\":[\"Room 1\", \"Char 1\"]}"));
	assert_string_equal(buf_cstr(&p.text), "[\"Room 1\",\"Char 1\"]");
	done(&p);
	/* The bridge names the client: a browser may not. Nor send game packages. */
	expect_code("{\"type\":\"gmcp\",\"package\":\"Core.Hello\",\"data\":{\"client\":\"x\"}}",
		    WSIN_E_GMCP_REFUSED);
	expect_code("{\"type\":\"gmcp\",\"package\":\"Char.Vitals\",\"data\":{}}",
		    WSIN_E_GMCP_REFUSED);
	expect_code("{\"type\":\"gmcp\",\"package\":\"core.ping\"}", WSIN_E_GMCP_REFUSED);
	expect_code("{\"type\":\"gmcp\"}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"gmcp\",\"package\":[\"Core.Ping\"]}", WSIN_E_BAD_FIELD);
}

static void test_resize(void **state)
{
	struct parsed p;

	(void)state;
	assert_null(parse(&p, "{\"type\":\"resize\",\"cols\":120,\"rows\":40}"));
	assert_int_equal(p.msg.kind, WSIN_RESIZE);
	assert_int_equal(p.msg.cols, 120);
	assert_int_equal(p.msg.rows, 40);
	done(&p);
	expect_code("{\"type\":\"resize\",\"cols\":120}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"resize\",\"cols\":0,\"rows\":40}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"resize\",\"cols\":70000,\"rows\":40}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"resize\",\"cols\":-5,\"rows\":40}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"resize\",\"cols\":80.5,\"rows\":40}", WSIN_E_BAD_FIELD);
	expect_code("{\"type\":\"resize\",\"cols\":\"80\",\"rows\":40}", WSIN_E_BAD_FIELD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_action_refusals),
		cmocka_unit_test(test_line_refusals),
		cmocka_unit_test(test_envelope_refusals),
		cmocka_unit_test(test_gmcp),
		cmocka_unit_test(test_resize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
