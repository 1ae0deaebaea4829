/*
 * test_config.c: defaults, the file format, errors with file:line, and
 * command-line style overrides.
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

#include "config.h"

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/ruin-test-config-XXXXXX");
	int fd = mkstemp(path);
	FILE *fp;

	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void test_defaults(void **state)
{
	struct config c;

	(void)state;
	config_init(&c);
	assert_int_equal(c.port, 4000);
	assert_string_equal(c.database, "var/ruin.db");
	assert_string_equal(c.bind, "0.0.0.0");
	assert_true(c.mccp);
	assert_int_equal(c.autosave_s, 60);
	assert_string_equal(c.log_file, "");
	config_fini(&c);
}

static void test_file_sets_values(void **state)
{
	struct config c;
	struct buf err;
	char *path = write_tmp("# a comment\n"
			       "port = 4444   # trailing comment\n"
			       "\n"
			       "mud_name = \"Ruin Test\"\n"
			       "mccp = no\n"
			       "  database=/tmp/x.db  \n");

	(void)state;
	config_init(&c);
	buf_init(&err, 0);
	assert_int_equal(config_load_file(&c, path, true, &err), 0);
	assert_string_equal(buf_cstr(&err), "");
	assert_int_equal(c.port, 4444);
	assert_string_equal(c.mud_name, "Ruin Test");
	assert_false(c.mccp);
	assert_string_equal(c.database, "/tmp/x.db");
	unlink(path);
	free(path);
	buf_fini(&err);
	config_fini(&c);
}

static void test_file_errors_name_lines(void **state)
{
	struct config c;
	struct buf err;
	char *path = write_tmp("port = 4444\n"
			       "prot = 1\n"
			       "port = lots\n"
			       "just words\n"
			       "mccp = maybe\n"
			       "max_line = 10\n");

	(void)state;
	config_init(&c);
	buf_init(&err, 0);
	assert_int_equal(config_load_file(&c, path, true, &err), -1);
	assert_non_null(strstr(buf_cstr(&err), ":2: unknown setting 'prot'"));
	assert_non_null(strstr(buf_cstr(&err), ":3: port: 'lots' is not a whole number"));
	assert_non_null(strstr(buf_cstr(&err), ":4: expected 'name = value'"));
	assert_non_null(strstr(buf_cstr(&err), ":5: mccp: 'maybe' is not yes or no"));
	assert_non_null(strstr(buf_cstr(&err), ":6: max_line: '10' is not a whole number from 64"));
	/* The good line still took effect; the bad ones changed nothing. */
	assert_int_equal(c.port, 4444);
	assert_int_equal(c.max_line, 1024);
	unlink(path);
	free(path);
	buf_fini(&err);
	config_fini(&c);
}

static void test_missing_file(void **state)
{
	struct config c;
	struct buf err;

	(void)state;
	config_init(&c);
	buf_init(&err, 0);
	assert_int_equal(config_load_file(&c, "/nonexistent/ruin.conf", false, &err), 0);
	assert_int_equal(config_load_file(&c, "/nonexistent/ruin.conf", true, &err), -1);
	assert_non_null(strstr(buf_cstr(&err), "/nonexistent/ruin.conf"));
	buf_fini(&err);
	config_fini(&c);
}

static void test_set_overrides(void **state)
{
	struct config c;
	struct buf err;

	(void)state;
	config_init(&c);
	buf_init(&err, 0);
	assert_int_equal(config_set(&c, "port", "0", &err), 0);
	assert_int_equal(c.port, 0);
	assert_int_equal(config_set(&c, "port", "70000", &err), -1);
	assert_int_equal(c.port, 0);
	assert_int_equal(config_set(&c, "log_level", "debug", &err), 0);
	assert_string_equal(c.log_level, "debug");
	buf_fini(&err);
	config_fini(&c);
}

static void test_describe_round_trips(void **state)
{
	struct config c;
	struct buf err;
	char path[] = "/tmp/ruin-test-describe-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");

	(void)state;
	config_describe(fp);
	fclose(fp);
	config_init(&c);
	buf_init(&err, 0);
	/* The description is itself a valid config file of the defaults. */
	assert_int_equal(config_load_file(&c, path, true, &err), 0);
	assert_int_equal(c.port, 4000);
	assert_string_equal(c.log_file, "");
	assert_string_equal(c.mud_name, "Forgotten Ruin");
	unlink(path);
	buf_fini(&err);
	config_fini(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_file_sets_values),
		cmocka_unit_test(test_file_errors_name_lines),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_set_overrides),
		cmocka_unit_test(test_describe_round_trips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
