/*
 * test_log.c: leveled log lines (src/base/log.h).
 *
 * Level filtering, the exact line format, the sink (and a sink that logs),
 * reopening a rotated file, a reopen that fails, over-long lines, and the
 * NULL logger that writes to stderr. Files live in a fresh directory under
 * /tmp; stderr is captured by pointing fd 2 at a file for a moment.
 */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/banned.h"

struct fixture {
	char dir[64];
	struct buf path; /* dir + "/ruin.log" */
	struct buf path2;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_log.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	buf_init(&f->path, 0);
	buf_init(&f->path2, 0);
	buf_printf(&f->path, "%s/ruin.log", f->dir);
	buf_printf(&f->path2, "%s/ruin.log.1", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(buf_cstr(&f->path));
	unlink(buf_cstr(&f->path2));
	rmdir(f->dir);
	buf_fini(&f->path);
	buf_fini(&f->path2);
	free(f);
	return 0;
}

/* Reads the whole file at path into out (cleared first). */
static void slurp(const char *path, struct buf *out)
{
	FILE *fp = fopen(path, "r");
	char chunk[4096];
	size_t n;

	buf_clear(out);
	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(out, chunk, n);
	fclose(fp);
}

/* Number of lines in text. */
static size_t count_lines(const char *text)
{
	size_t n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/*
 * Checks that line (up to its newline) is "YYYY-MM-DDTHH:MM:SS.mmmZ LEVEL msg"
 * with LEVEL upper case and padded to 5, and returns the message part.
 */
static const char *check_line(const char *line, const char *level)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ ";
	char padded[8];

	for (size_t i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd')
			assert_true(isdigit((unsigned char)line[i]));
		else
			assert_int_equal(line[i], shape[i]);
	}
	snprintf(padded, sizeof(padded), "%-5s ", level);
	assert_memory_equal(line + 25, padded, 6);
	return line + 31;
}

static void test_file_levels_and_format(void **state)
{
	struct fixture *f = *state;
	struct log *lg = log_new(buf_cstr(&f->path), LOG_WARN);
	struct buf text;
	const char *line;

	assert_non_null(lg);
	assert_int_equal(log_get_level(lg), LOG_WARN);
	log_debug(lg, "debug %d", 1);
	log_info(lg, "info %d", 2);
	log_warn(lg, "warn %d", 3);
	log_error(lg, "error %s", "four");
	buf_init(&text, 0);
	slurp(buf_cstr(&f->path), &text);
	assert_int_equal(count_lines(buf_cstr(&text)), 2);
	line = buf_cstr(&text);
	assert_memory_equal(check_line(line, "WARN"), "warn 3\n", 7);
	line = strchr(line, '\n') + 1;
	assert_string_equal(check_line(line, "ERROR"), "error four\n");

	log_set_level(lg, LOG_DEBUG);
	assert_int_equal(log_get_level(lg), LOG_DEBUG);
	log_debug(lg, "now visible");
	log_info(lg, "me too");
	slurp(buf_cstr(&f->path), &text);
	assert_int_equal(count_lines(buf_cstr(&text)), 4);
	line = strstr(buf_cstr(&text), "now visible");
	assert_non_null(line);
	check_line(line - 31, "DEBUG");
	line = strstr(buf_cstr(&text), "me too");
	assert_non_null(line);
	check_line(line - 31, "INFO");

	log_set_level(lg, LOG_ERROR);
	log_warn(lg, "hidden");
	slurp(buf_cstr(&f->path), &text);
	assert_int_equal(count_lines(buf_cstr(&text)), 4);
	assert_null(strstr(buf_cstr(&text), "hidden"));
	buf_fini(&text);
	log_free(lg);
}

static void test_appends_to_existing_file(void **state)
{
	struct fixture *f = *state;
	struct log *lg;
	struct buf text;

	for (int i = 0; i < 2; i++) {
		lg = log_new(buf_cstr(&f->path), LOG_INFO);
		assert_non_null(lg);
		log_info(lg, "run %d", i);
		log_free(lg);
	}
	buf_init(&text, 0);
	slurp(buf_cstr(&f->path), &text);
	assert_int_equal(count_lines(buf_cstr(&text)), 2);
	assert_non_null(strstr(buf_cstr(&text), "run 0\n"));
	assert_non_null(strstr(buf_cstr(&text), "run 1\n"));
	buf_fini(&text);
}

struct sink_record {
	int calls;
	enum log_level last_level;
	struct buf last;
	struct log *lg; /* when set, the sink logs too */
};

static void record_sink(void *ud, enum log_level level, const char *msg)
{
	struct sink_record *r = ud;

	r->calls++;
	r->last_level = level;
	buf_clear(&r->last);
	buf_puts(&r->last, msg);
	if (r->lg)
		log_error(r->lg, "sink saw: %s", msg);
}

static void test_sink(void **state)
{
	struct fixture *f = *state;
	struct log *lg = log_new(buf_cstr(&f->path), LOG_INFO);
	struct sink_record r = {0};
	struct buf text;

	buf_init(&r.last, 0);
	log_set_sink(lg, record_sink, &r);
	log_info(lg, "player %s connected", "Ann");
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.last_level, LOG_INFO);
	/* The sink gets the bare message: no timestamp, level or newline. */
	assert_string_equal(buf_cstr(&r.last), "player Ann connected");
	log_debug(lg, "filtered");
	assert_int_equal(r.calls, 1);
	log_error(lg, "bad");
	assert_int_equal(r.calls, 2);
	assert_int_equal(r.last_level, LOG_ERROR);

	/* A sink that logs: its line reaches the file but not the sink again. */
	r.lg = lg;
	log_warn(lg, "outer");
	assert_int_equal(r.calls, 3);
	assert_string_equal(buf_cstr(&r.last), "outer");
	buf_init(&text, 0);
	slurp(buf_cstr(&f->path), &text);
	assert_non_null(strstr(buf_cstr(&text), "sink saw: outer\n"));
	assert_int_equal(count_lines(buf_cstr(&text)), 4);

	/* Removing the sink stops the calls. */
	log_set_sink(lg, NULL, NULL);
	log_info(lg, "no sink");
	assert_int_equal(r.calls, 3);
	buf_fini(&text);
	buf_fini(&r.last);
	log_free(lg);
}

static void test_reopen_after_rotation(void **state)
{
	struct fixture *f = *state;
	struct log *lg = log_new(buf_cstr(&f->path), LOG_INFO);
	struct buf text;

	buf_init(&text, 0);
	log_info(lg, "before rotation");
	assert_int_equal(rename(buf_cstr(&f->path), buf_cstr(&f->path2)), 0);
	/* Until the reopen, lines follow the open file to its new name. */
	log_info(lg, "after rename");
	assert_int_equal(access(buf_cstr(&f->path), F_OK), -1);
	assert_int_equal(log_reopen(lg), 0);
	log_info(lg, "after reopen");

	slurp(buf_cstr(&f->path2), &text);
	assert_int_equal(count_lines(buf_cstr(&text)), 2);
	assert_non_null(strstr(buf_cstr(&text), "before rotation\n"));
	assert_non_null(strstr(buf_cstr(&text), "after rename\n"));
	assert_null(strstr(buf_cstr(&text), "after reopen"));
	slurp(buf_cstr(&f->path), &text);
	assert_int_equal(count_lines(buf_cstr(&text)), 1);
	assert_string_equal(check_line(buf_cstr(&text), "INFO"), "after reopen\n");
	buf_fini(&text);
	log_free(lg);
}

static void test_reopen_failure_keeps_logging(void **state)
{
	struct fixture *f = *state;
	struct buf sub, path, moved, text;
	struct log *lg;

	buf_init(&sub, 0);
	buf_init(&path, 0);
	buf_init(&moved, 0);
	buf_init(&text, 0);
	buf_printf(&sub, "%s/sub", f->dir);
	buf_printf(&moved, "%s/gone", f->dir);
	buf_printf(&path, "%s/sub/x.log", f->dir);
	assert_int_equal(mkdir(buf_cstr(&sub), 0700), 0);
	lg = log_new(buf_cstr(&path), LOG_INFO);
	assert_non_null(lg);
	log_info(lg, "one");
	/* The directory disappears: the reopen fails with -ENOENT ... */
	assert_int_equal(rename(buf_cstr(&sub), buf_cstr(&moved)), 0);
	assert_int_equal(log_reopen(lg), -ENOENT);
	/* ... and the old file keeps receiving lines. */
	log_info(lg, "two");
	log_free(lg);
	buf_clear(&path);
	buf_printf(&path, "%s/x.log", buf_cstr(&moved));
	slurp(buf_cstr(&path), &text);
	assert_int_equal(count_lines(buf_cstr(&text)), 2);
	assert_non_null(strstr(buf_cstr(&text), "two\n"));
	unlink(buf_cstr(&path));
	rmdir(buf_cstr(&moved));
	buf_fini(&sub);
	buf_fini(&path);
	buf_fini(&moved);
	buf_fini(&text);
}

static void test_new_fails_on_bad_path(void **state)
{
	struct fixture *f = *state;
	struct buf path;

	buf_init(&path, 0);
	buf_printf(&path, "%s/no/such/dir/x.log", f->dir);
	assert_null(log_new(buf_cstr(&path), LOG_INFO));
	buf_fini(&path);
}

static void test_long_lines(void **state)
{
	struct fixture *f = *state;
	struct log *lg = log_new(buf_cstr(&f->path), LOG_INFO);
	char *big = malloc(9001);
	struct buf text;
	const char *line;

	buf_init(&text, 0);
	memset(big, 'L', 9000);
	big[9000] = '\0';
	/* 8000 bytes fit whole. */
	log_info(lg, "%.8000s", big);
	/* 9000 do not: the line says so instead of being cut. */
	log_info(lg, "%s", big);
	slurp(buf_cstr(&f->path), &text);
	assert_int_equal(count_lines(buf_cstr(&text)), 2);
	line = check_line(buf_cstr(&text), "INFO");
	assert_int_equal(strspn(line, "L"), 8000);
	assert_int_equal(line[8000], '\n');
	line = check_line(line + 8001, "INFO");
	assert_string_equal(line, "(log line too long, dropped)\n");
	free(big);
	buf_fini(&text);
	log_free(lg);
}

/* Runs fn with fd 2 pointed at a file, then returns what it wrote. */
static void capture_stderr(const char *path, void (*fn)(void *), void *ud, struct buf *out)
{
	FILE *fp;
	int saved;

	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(dup2(fileno(fp), 2), 2);
	fn(ud);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	fclose(fp);
	slurp(path, out);
}

static void null_sink(void *ud, enum log_level level, const char *msg)
{
	(void)ud;
	(void)level;
	(void)msg;
	fail_msg("a NULL logger has no sink");
}

static void use_null_logger(void *ud)
{
	(void)ud;
	log_set_level(NULL, LOG_DEBUG);
	log_set_sink(NULL, null_sink, NULL);
	log_debug(NULL, "null debug");
	log_info(NULL, "null info %d", 5);
	log_warn(NULL, "null warn");
	log_free(NULL);
}

static void test_null_logger(void **state)
{
	struct fixture *f = *state;
	struct buf text;
	const char *line;

	assert_int_equal(log_get_level(NULL), LOG_INFO);
	assert_int_equal(log_reopen(NULL), 0);
	buf_init(&text, 0);
	capture_stderr(buf_cstr(&f->path), use_null_logger, NULL, &text);
	/* INFO and above, whatever level was asked for. */
	assert_int_equal(count_lines(buf_cstr(&text)), 2);
	line = check_line(buf_cstr(&text), "INFO");
	assert_memory_equal(line, "null info 5\n", 12);
	assert_string_equal(check_line(line + 12, "WARN"), "null warn\n");
	buf_fini(&text);
}

static void use_stderr_logger(void *ud)
{
	log_info(ud, "to stderr");
}

static void test_stderr_logger(void **state)
{
	struct fixture *f = *state;
	struct log *lg = log_new(NULL, LOG_INFO);
	struct buf text;

	assert_non_null(lg);
	/* Nothing to reopen. */
	assert_int_equal(log_reopen(lg), 0);
	buf_init(&text, 0);
	capture_stderr(buf_cstr(&f->path), use_stderr_logger, lg, &text);
	assert_string_equal(check_line(buf_cstr(&text), "INFO"), "to stderr\n");
	log_free(lg);
	/* stderr itself is still open. */
	assert_true(fprintf(stderr, "%s", "") >= 0);
	buf_fini(&text);
}

static void test_level_names(void **state)
{
	(void)state;
	assert_int_equal(log_level_parse("error"), LOG_ERROR);
	assert_int_equal(log_level_parse("warn"), LOG_WARN);
	assert_int_equal(log_level_parse("warning"), LOG_WARN);
	assert_int_equal(log_level_parse("info"), LOG_INFO);
	assert_int_equal(log_level_parse("debug"), LOG_DEBUG);
	assert_int_equal(log_level_parse(""), -1);
	assert_int_equal(log_level_parse("verbose"), -1);
	assert_int_equal(log_level_parse("info "), -1);
	for (int l = LOG_ERROR; l <= LOG_DEBUG; l++)
		assert_int_equal(log_level_parse(log_level_name((enum log_level)l)), l);
	assert_string_equal(log_level_name((enum log_level)17), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file_levels_and_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appends_to_existing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_after_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_failure_keeps_logging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_fails_on_bad_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_null_logger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stderr_logger, setup, teardown),
		cmocka_unit_test(test_level_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
