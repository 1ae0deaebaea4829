/*
 * log.c: leveled log lines to a stream and an optional sink. See log.h.
 */
#include "base/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define LOG_LINE_MAX 8192

struct log {
	FILE *fp;
	char *path;
	enum log_level level;
	log_sink_fn sink;
	void *sink_ud;
	int in_sink; /* a sink that logs must not recurse into itself */
};

static const char *const log_names[] = {"error", "warn", "info", "debug"};
/* How each level is written in a line, as log.h shows it. */
static const char *const log_tags[] = {"ERROR", "WARN", "INFO", "DEBUG"};

struct log *log_new(const char *path, enum log_level level)
{
	struct log *lg = xcalloc(1, sizeof(*lg));

	lg->level = level;
	if (path) {
		lg->path = xstrdup(path);
		lg->fp = fopen(path, "a");
		if (!lg->fp) {
			free(lg->path);
			free(lg);
			return NULL;
		}
		setvbuf(lg->fp, NULL, _IOLBF, 0);
	} else {
		lg->fp = stderr;
	}
	return lg;
}

void log_free(struct log *lg)
{
	if (!lg)
		return;
	if (lg->fp && lg->fp != stderr)
		fclose(lg->fp);
	free(lg->path);
	free(lg);
}

int log_reopen(struct log *lg)
{
	FILE *fp;

	if (!lg || !lg->path)
		return 0;
	fp = fopen(lg->path, "a");
	if (!fp)
		return -errno;
	setvbuf(fp, NULL, _IOLBF, 0);
	fclose(lg->fp);
	lg->fp = fp;
	return 0;
}

void log_set_level(struct log *lg, enum log_level level)
{
	if (lg)
		lg->level = level;
}

enum log_level log_get_level(const struct log *lg)
{
	return lg ? lg->level : LOG_INFO;
}

void log_set_sink(struct log *lg, log_sink_fn fn, void *ud)
{
	if (!lg)
		return;
	lg->sink = fn;
	lg->sink_ud = ud;
}

int log_level_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, log_names[i]) == 0)
			return i;
	if (strcmp(name, "warning") == 0)
		return LOG_WARN;
	return -1;
}

const char *log_level_name(enum log_level level)
{
	return (unsigned)level < 4 ? log_names[level] : "?";
}

void log_vmsg(struct log *lg, enum log_level level, const char *fmt, va_list ap)
{
	struct buf msg;
	struct timespec ts;
	struct tm tm;
	char stamp[40];
	FILE *fp = lg ? lg->fp : stderr;

	if (level > log_get_level(lg))
		return;
	buf_init(&msg, LOG_LINE_MAX);
	buf_vprintf(&msg, fmt, ap);
	if (msg.err) {
		buf_clear(&msg);
		buf_puts(&msg, "(log line too long, dropped)");
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(fp, "%s.%03ldZ %-5s %s\n", stamp, ts.tv_nsec / 1000000L,
		(unsigned)level < 4 ? log_tags[level] : "?", buf_cstr(&msg));
	fflush(fp);
	if (lg && lg->sink && !lg->in_sink) {
		lg->in_sink = 1;
		lg->sink(lg->sink_ud, level, buf_cstr(&msg));
		lg->in_sink = 0;
	}
	buf_fini(&msg);
}

void log_msg(struct log *lg, enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lg, level, fmt, ap);
	va_end(ap);
}
