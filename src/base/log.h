/*
 * log.h: leveled, timestamped log lines.
 *
 * A struct log is made once by main() and passed down; there is no global
 * logger. Lines go to stderr (or a file given by path, reopened on SIGHUP)
 * as "2026-11-26T06:40:00.123Z INFO  message", and to an optional sink so the
 * admin socket can stream them to consoles. A NULL struct log * is allowed
 * everywhere and writes to stderr at INFO level: handy in tools and tests.
 */
#ifndef RUIN_BASE_LOG_H
#define RUIN_BASE_LOG_H

#include <stdarg.h>

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

struct log;

/* Called for every line that passes the level; msg has no timestamp or newline. */
typedef void (*log_sink_fn)(void *ud, enum log_level level, const char *msg);

/* path NULL means stderr. Returns NULL if the file cannot be opened. */
struct log *log_new(const char *path, enum log_level level);
void log_free(struct log *lg);
/* Reopens the file given at log_new() (after rotation). 0 or -errno. */
int log_reopen(struct log *lg);
void log_set_level(struct log *lg, enum log_level level);
enum log_level log_get_level(const struct log *lg);
void log_set_sink(struct log *lg, log_sink_fn fn, void *ud);

/* "error", "warn", "info", "debug"; returns -1 for anything else. */
int log_level_parse(const char *name);
const char *log_level_name(enum log_level level);

void log_msg(struct log *lg, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_vmsg(struct log *lg, enum log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#define log_error(lg, ...) log_msg((lg), LOG_ERROR, __VA_ARGS__)
#define log_warn(lg, ...)  log_msg((lg), LOG_WARN, __VA_ARGS__)
#define log_info(lg, ...)  log_msg((lg), LOG_INFO, __VA_ARGS__)
#define log_debug(lg, ...) log_msg((lg), LOG_DEBUG, __VA_ARGS__)

#endif
