/*
 * test_bridge_settings.c: ruin-bridge's settings (bridge/settings.h):
 * defaults, --set values and their ranges, and the file format with its
 * errors reported as file:line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../bridge/settings.h"
#include "base/banned.h"

static void test_defaults(void **state)
{
	struct settings s;

	(void)state;
	settings_init(&s);
	assert_int_equal(s.port, 4080);
	assert_string_equal(s.server_host, "127.0.0.1");
	assert_int_equal(s.server_port, 4000);
	assert_string_equal(s.bind, "");
	assert_int_equal(s.ping_s, 20);
	assert_int_equal(s.hangup_s, 30);
	assert_int_equal(s.resume_window_s, 60);
	assert_true(s.deflate);
	assert_string_equal(s.allowed_origins, "");
	assert_string_equal(s.status_allow, "127.0.0.1/8,::1");
	settings_fini(&s);
}

static void test_set(void **state)
{
	struct settings s;
	struct buf err;

	(void)state;
	settings_init(&s);
	buf_init(&err, 0);
	assert_int_equal(settings_set(&s, "port", "0", &err), 0);
	assert_int_equal(s.port, 0);
	assert_int_equal(settings_set(&s, "deflate", "off", &err), 0);
	assert_false(s.deflate);
	assert_int_equal(settings_set(&s, "allowed_origins", "https://a, https://b", &err), 0);
	assert_string_equal(s.allowed_origins, "https://a, https://b");
	assert_int_equal(settings_set(&s, "port", "65536", &err), -1);
	assert_non_null(strstr(buf_cstr(&err), "port"));
	assert_int_equal(s.port, 0);
	buf_clear(&err);
	assert_int_equal(settings_set(&s, "deflate", "maybe", &err), -1);
	buf_clear(&err);
	assert_int_equal(settings_set(&s, "deflate_window_bits", "8", &err), -1);
	buf_clear(&err);
	/* Linux takes TCP_KEEPIDLE up to 32767 s; more would be ignored without a word. */
	assert_int_equal(settings_set(&s, "upstream_keepalive_s", "32767", &err), 0);
	assert_int_equal(settings_set(&s, "upstream_keepalive_s", "32768", &err), -1);
	assert_int_equal(s.upstream_keepalive_s, 32767);
	buf_clear(&err);
	assert_int_equal(settings_set(&s, "no_such_thing", "1", &err), -1);
	assert_non_null(strstr(buf_cstr(&err), "no_such_thing"));
	buf_fini(&err);
	settings_fini(&s);
}

static void test_file(void **state)
{
	char path[] = "/tmp/test_bridge_settings_XXXXXX";
	struct settings s;
	struct buf err;
	FILE *fp;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs("# a comment\n"
	      "\n"
	      "port = 5080   # trailing comment\n"
	      "bridge_name = \"eu-1\"\n"
	      "rate_per_s=5\n"
	      "oops\n"
	      "ping_s = many\n",
	      fp);
	fclose(fp);
	settings_init(&s);
	buf_init(&err, 0);
	assert_int_equal(settings_load_file(&s, path, true, &err), -1);
	assert_non_null(strstr(buf_cstr(&err), ":6: expected 'name = value'"));
	assert_non_null(strstr(buf_cstr(&err), ":7: ping_s"));
	/* The good lines still applied. */
	assert_int_equal(s.port, 5080);
	assert_string_equal(s.bridge_name, "eu-1");
	assert_int_equal(s.rate_per_s, 5);
	unlink(path);
	buf_clear(&err);
	assert_int_equal(settings_load_file(&s, path, false, &err), 0);
	assert_int_equal(settings_load_file(&s, path, true, &err), -1);
	buf_fini(&err);
	settings_fini(&s);
}

static void test_describe_lists_everything(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	struct settings s;
	struct buf err;

	(void)state;
	settings_describe(fp);
	fclose(fp);
	/* The description is itself a valid settings file of the defaults. */
	fp = fopen("/tmp/test_bridge_settings_describe", "w");
	fputs(text, fp);
	fclose(fp);
	settings_init(&s);
	buf_init(&err, 0);
	assert_int_equal(settings_load_file(&s, "/tmp/test_bridge_settings_describe", true, &err),
			 0);
	assert_int_equal(s.port, 4080);
	assert_non_null(strstr(text, "resume_window_s = 60"));
	unlink("/tmp/test_bridge_settings_describe");
	buf_fini(&err);
	settings_fini(&s);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_describe_lists_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
