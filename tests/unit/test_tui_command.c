/*
 * test_tui_command.c: ruin-console's `:` commands: names and unique
 * prefixes, every argument kind with its errors, optional seconds before a
 * message, which commands ask first, and the exact admin request each
 * action becomes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../tui/command.h"

/* Parses line and returns its request as compact JSON ("" for none); caller frees. */
static char *request_of(const char *line, struct command *c)
{
	struct buf err;
	json_t *req;
	char *text;

	buf_init(&err, 1024);
	if (command_parse(line, c, &err) < 0)
		fail_msg("%s: %s", line, buf_cstr(&err));
	buf_fini(&err);
	req = command_request(c);
	text = req ? json_dumps(req, JSON_COMPACT) : strdup("");
	json_decref(req);
	return text;
}

static void expect_request(const char *line, const char *want, bool confirm)
{
	struct command c;
	char *got;

	command_init(&c);
	got = request_of(line, &c);
	assert_string_equal(got, want);
	assert_int_equal(command_needs_confirm(&c), confirm);
	free(got);
	command_fini(&c);
}

static void expect_error(const char *line, const char *hint)
{
	struct command c;
	struct buf err;

	command_init(&c);
	buf_init(&err, 1024);
	assert_int_equal(command_parse(line, &c, &err), -1);
	if (!strstr(buf_cstr(&err), hint))
		fail_msg("%s: '%s' lacks '%s'", line, buf_cstr(&err), hint);
	assert_int_equal(c.kind, CMD_NONE);
	buf_fini(&err);
	command_fini(&c);
}

static void test_actions(void **state)
{
	(void)state;
	expect_request("kick 12", "{\"op\":\"kick\",\"conn\":12}", true);
	expect_request("  kick 12   go to bed  ",
		       "{\"op\":\"kick\",\"conn\":12,\"message\":\"go to bed\"}", true);
	expect_request("k 3 bye", "{\"op\":\"kick\",\"conn\":3,\"message\":\"bye\"}", true);
	expect_request("broadcast The gates close at dusk.",
		       "{\"op\":\"broadcast\",\"message\":\"The gates close at dusk.\"}", false);
	expect_request("b {Yhello{x", "{\"op\":\"broadcast\",\"message\":\"{Yhello{x\"}", false);
	expect_request("reload emberfall", "{\"op\":\"reload\",\"area\":\"emberfall\"}", false);
	expect_request("shutdown", "{\"op\":\"shutdown\",\"delay\":60,\"message\":\"\"}", true);
	expect_request("shutdown 0", "{\"op\":\"shutdown\",\"delay\":0,\"message\":\"\"}", true);
	expect_request("shutdown 30 new build",
		       "{\"op\":\"shutdown\",\"delay\":30,\"message\":\"new build\"}", true);
	/* No number: the words are the message and the delay is the default. */
	expect_request("shutdown back soon",
		       "{\"op\":\"shutdown\",\"delay\":60,\"message\":\"back soon\"}", true);
	expect_request("reboot 5", "{\"op\":\"reboot\",\"delay\":5,\"message\":\"\"}", true);
	expect_request("cancel", "{\"op\":\"cancel\"}", false);
	expect_request("hotreboot", "{\"op\":\"reboot\",\"hot\":true}", true);
	expect_request("wizlock on", "{\"op\":\"wizlock\",\"on\":true}", true);
	expect_request("wizlock OFF", "{\"op\":\"wizlock\",\"on\":false}", false);
	expect_request("loglevel debug", "{\"op\":\"loglevel\",\"level\":\"debug\"}", false);
	expect_request("loglevel warning", "{\"op\":\"loglevel\",\"level\":\"warn\"}", false);
}

static void test_views(void **state)
{
	struct command c;
	char *got;

	(void)state;
	command_init(&c);
	got = request_of("filter ay*", &c);
	assert_string_equal(got, "");
	free(got);
	assert_int_equal(c.kind, CMD_FILTER);
	assert_string_equal(buf_cstr(&c.text), "ay*");
	assert_false(command_is_action(c.kind));
	got = request_of("filter", &c);
	free(got);
	assert_int_equal(c.text.len, 0);
	got = request_of("sort idle", &c);
	free(got);
	assert_int_equal(c.kind, CMD_SORT);
	assert_string_equal(buf_cstr(&c.text), "idle");
	got = request_of("show warn", &c);
	free(got);
	assert_int_equal(c.kind, CMD_SHOW);
	assert_int_equal(c.level, 1);
	got = request_of("q", &c);
	free(got);
	assert_int_equal(c.kind, CMD_QUIT);
	got = request_of("help", &c);
	free(got);
	assert_int_equal(c.kind, CMD_HELP);
	got = request_of("   ", &c);
	free(got);
	assert_int_equal(c.kind, CMD_NONE);
	assert_true(command_is_action(CMD_KICK));
	assert_true(command_is_action(CMD_LOGLEVEL));
	assert_false(command_is_action(CMD_QUIT));
	command_fini(&c);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("frobnicate", "no command 'frobnicate'");
	expect_error("re 1", "could be reload or reboot");
	expect_error("kick", "usage: :kick ID [message]");
	expect_error("kick Ayla", "'Ayla' is not a connection id");
	expect_error("kick 0", "is not a connection id");
	expect_error("broadcast", "usage: :broadcast TEXT");
	expect_error("broadcast    ", "usage");
	expect_error("reload", "usage: :reload AREA");
	expect_error("reload a b", "too many arguments");
	expect_error("wizlock", "usage: :wizlock on|off");
	expect_error("wizlock maybe", "say on or off");
	expect_error("loglevel loud", "'loud' is not error, warn, info or debug");
	expect_error("cancel now", "too many arguments");
	expect_error("shutdown 99999 x", "0 to 3600 seconds, not 99999");
	expect_error("reboot -5", "not -5");
}

static void test_describe_and_help(void **state)
{
	struct command c;
	struct buf b;
	char *got;

	(void)state;
	command_init(&c);
	buf_init(&b, 0);
	got = request_of("kick 4 bye", &c);
	free(got);
	command_describe(&c, "Ayla, 10.0.0.4", &b);
	assert_string_equal(buf_cstr(&b), "Kick connection 4 (Ayla, 10.0.0.4)");
	buf_clear(&b);
	got = request_of("reboot 15", &c);
	free(got);
	command_describe(&c, NULL, &b);
	assert_string_equal(buf_cstr(&b), "Reboot the server in 15 s");
	buf_clear(&b);
	got = request_of("wizlock on", &c);
	free(got);
	command_describe(&c, NULL, &b);
	assert_string_equal(buf_cstr(&b), "Turn wizlock on (only admins may log in)");
	buf_clear(&b);
	command_help(&b);
	assert_non_null(strstr(buf_cstr(&b), ":kick ID [message]"));
	assert_non_null(strstr(buf_cstr(&b), ":loglevel LEVEL"));
	assert_string_equal(command_name(CMD_BROADCAST), "broadcast");
	buf_fini(&b);
	command_fini(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_describe_and_help),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
