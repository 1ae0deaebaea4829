/*
 * report.c: script errors, told to builders and the log, and the health
 * of each trigger: one that fails REPORT_MAX_RUN times in a row, or
 * REPORT_MAX_WINDOW times within REPORT_WINDOW_MS of world clock, is turned
 * off until its area is reloaded.
 *
 * Start reading at report_error(). Builders are the online players with
 * PLAYER_ROLE_BUILDER; they get every line prefixed "[script]", with any
 * '{' doubled so an error message never turns into color codes.
 */
#include "script/internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define REPORT_MAX_RUN	  5
#define REPORT_MAX_WINDOW 20
#define REPORT_WINDOW_MS  (10 * 60 * 1000)
/* Traceback lines told to builders, at most. */
#define REPORT_MAX_FRAMES 8

struct report_health {
	int run;			  /* errors in a row */
	int64_t times[REPORT_MAX_WINDOW]; /* world clock of the last errors, a ring */
	int next, count;
	bool disabled;
};

/* Appends text to out with every '{' doubled (markup-safe). */
static void report_escape(struct buf *out, const char *text, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '{')
			buf_putc(out, '{');
		buf_putc(out, text[i]);
	}
}

/* Sends the markup to every builder online. */
static void report_send(struct scripts *s, const char *markup)
{
	for (struct character *ch = world_next_char(s->w, NULL); ch; ch = world_next_char(s->w, ch))
		if (ch->pc && (ch->pc->roles & PLAYER_ROLE_BUILDER))
			world_send(s->w, ch, markup);
}

void report_builders(struct scripts *s, const char *fmt, ...)
{
	struct buf text, line;
	va_list ap;

	buf_init(&text, 16384);
	buf_init(&line, 32768);
	va_start(ap, fmt);
	buf_vprintf(&text, fmt, ap);
	va_end(ap);
	log_info(s->log, "script: %s", buf_cstr(&text));
	buf_puts(&line, "{C[script]{x ");
	report_escape(&line, text.data ? text.data : "", text.len);
	buf_putc(&line, '\n');
	report_send(s, buf_cstr(&line));
	buf_fini(&text);
	buf_fini(&line);
}

/* A traceback line that says nothing to a builder: C frames and elisions. */
static bool report_noise(const char *line, size_t n)
{
	return (n >= 3 && strncmp(line, "[C]", 3) == 0) ||
	       (n >= 4 && strncmp(line, "(...", 4) == 0) ||
	       (n >= 15 && strncmp(line, "stack traceback", 15) == 0);
}

void report_error(struct scripts *s, struct script_area *sa, const char *label, ref_t actor,
		  const char *err)
{
	const char *nl = strchr(err, '\n');
	size_t first = nl ? (size_t)(nl - err) : strlen(err);
	const struct character *ch = actor ? world_ref_char(s->w, actor) : NULL;
	const char *who = ch && !ch->extracted ? (ch->pc ? ch->name : ch->short_desc) : NULL;
	struct buf out, where;
	int frames = 0;

	s->error_count++;
	buf_init(&out, 65536);
	buf_init(&where, 4096);
	buf_printf(&where, "in %s", label ? label : "a script");
	if (who)
		buf_printf(&where, " (actor %s)", who);
	log_warn(s->log, "script %s: %.*s (%s)%s%s", sa->id, (int)first, err, buf_cstr(&where),
		 nl ? "\n" : "", nl ? nl + 1 : "");
	if (s->error_sink)
		buf_printf(s->error_sink, "%.*s (%s)\n", (int)first, err, buf_cstr(&where));

	buf_puts(&out, "{R[script]{x ");
	report_escape(&out, err, first);
	buf_puts(&out, "\n{R[script]{x   ");
	report_escape(&out, where.data, where.len);
	buf_putc(&out, '\n');
	for (const char *p = nl ? nl + 1 : ""; *p && frames < REPORT_MAX_FRAMES;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *line = p;
		while (n && (*line == '\t' || *line == ' '))
			line++, n--;
		if (n && !report_noise(line, n)) {
			buf_puts(&out, "{R[script]{x   ");
			report_escape(&out, line, n);
			buf_putc(&out, '\n');
			frames++;
		}
		p = e ? e + 1 : p + strlen(p);
	}
	report_send(s, buf_cstr(&out));
	buf_fini(&out);
	buf_fini(&where);
}

bool report_disabled(const struct script_area *sa, const char *key)
{
	const struct report_health *h = key ? map_get(&sa->health, key) : NULL;

	return h && h->disabled;
}

void report_health(struct scripts *s, struct script_area *sa, const char *key, const char *label,
		   bool ok)
{
	struct report_health *h;

	if (!key)
		return;
	h = map_get(&sa->health, key);
	if (ok) {
		if (h)
			h->run = 0;
		return;
	}
	if (!h) {
		h = xcalloc(1, sizeof(*h));
		map_put(&sa->health, key, h);
	}
	int64_t now = world_now_ms(s->w);
	h->run++;
	h->times[h->next] = now;
	h->next = (h->next + 1) % REPORT_MAX_WINDOW;
	if (h->count < REPORT_MAX_WINDOW)
		h->count++;
	/* The oldest of the last REPORT_MAX_WINDOW errors is where the ring goes next. */
	bool window = h->count == REPORT_MAX_WINDOW && now - h->times[h->next] <= REPORT_WINDOW_MS;
	if (h->disabled || (h->run < REPORT_MAX_RUN && !window))
		return;
	h->disabled = true;
	report_builders(s,
			"%s is turned off after %s; fix it, then `reload area %s` turns it "
			"back on",
			label, window ? "20 errors in 10 minutes" : "5 errors in a row", sa->id);
}

void report_fini(struct script_area *sa)
{
	size_t pos = 0;
	void *v;

	while (map_next(&sa->health, &pos, NULL, &v))
		free(v);
	map_fini(&sa->health);
}
