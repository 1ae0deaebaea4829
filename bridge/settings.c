/*
 * settings.c: the settings table and the "name = value" file reader.
 * To add a setting: a field in struct settings, a row in settings_table.
 */
#include "settings.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "base/banned.h"

enum settings_type { SETTINGS_STR, SETTINGS_INT, SETTINGS_BOOL };

struct settings_row {
	const char *name;
	enum settings_type type;
	size_t offset;
	const char *def;
	long min, max; /* for SETTINGS_INT */
	const char *help;
};

#define S_STR(field, def, help)                                                                    \
	{                                                                                          \
#field, SETTINGS_STR, offsetof(struct settings, field), def, 0, 0, help            \
	}
#define S_INT(field, def, lo, hi, help)                                                            \
	{                                                                                          \
#field, SETTINGS_INT, offsetof(struct settings, field), def, lo, hi, help          \
	}
#define S_BOOL(field, def, help)                                                                   \
	{                                                                                          \
#field, SETTINGS_BOOL, offsetof(struct settings, field), def, 0, 1, help           \
	}

static const struct settings_row settings_table[] = {
	S_STR(bind, "",
	      "Address to listen on for browsers (\"\" for every address, 127.0.0.1 "
	      "behind a reverse proxy on the same machine)."),
	S_INT(port, "4080", 0, 65535,
	      "Port for the web client (HTTP) and its WebSocket (/ws). 0 picks a free one."),
	S_STR(www_dir, "bridge/www", "Folder of the web client's files, served at /."),
	S_STR(server_host, "127.0.0.1", "ruin-server's telnet address."),
	S_INT(server_port, "4000", 1, 65535, "ruin-server's telnet port."),
	S_STR(log_file, "", "Log file; empty logs to stderr. Reopened on SIGHUP."),
	S_STR(log_level, "info", "error, warn, info or debug."),
	S_STR(allowed_origins, "",
	      "Origins allowed to open the WebSocket besides the bridge's own (comma-separated, "
	      "e.g. https://mud.example.org); * allows any."),
	S_STR(trusted_proxies, "",
	      "Reverse proxies (CIDR) whose X-Forwarded-For names the browser's address."),
	S_STR(status_allow, "127.0.0.1/8,::1",
	      "Addresses (CIDR) that may read the counters at /status; empty turns it off."),
	S_STR(bridge_name, "",
	      "This bridge's name, put in front of its resume tokens so a load balancer can "
	      "send a resuming browser back to it (letters, digits, - and _)."),
	S_STR(tls_cert, "", "PEM certificate for HTTPS/WSS; empty serves plain HTTP/WS."),
	S_STR(tls_key, "", "PEM private key for tls_cert."),
	S_INT(max_sessions, "2000", 1, 1000000,
	      "Browser sessions at once, counting those waiting for a resume."),
	S_INT(max_per_address, "10", 1, 100000, "Browser sessions at once from one address."),
	S_INT(max_message, "8192", 256, 1048576,
	      "Largest message a browser may send, in bytes; larger ones are refused."),
	S_INT(max_command, "1024", 16, 65536, "Longest command line, in bytes."),
	S_INT(rate_per_s, "20", 1, 100000, "Messages a browser may send per second, sustained."),
	S_INT(rate_burst, "40", 1, 100000, "Messages a browser may send in one burst."),
	S_INT(ping_s, "20", 1, 3600, "Seconds of silence before a browser is pinged."),
	S_INT(hangup_s, "30", 2, 7200, "Seconds of silence before a browser is hung up on."),
	S_INT(resume_window_s, "60", 0, 86400,
	      "Seconds a dropped browser's game session is kept for it to resume; 0 turns resume "
	      "off."),
	S_INT(resume_buffer_kb, "64", 1, 65536, "Output kept for a dropped browser, in KiB."),
	S_INT(output_high_kb, "64", 4, 65536,
	      "Output waiting for a browser, in KiB, past which reading from the server pauses."),
	S_INT(slow_drop_s, "30", 1, 3600,
	      "Seconds a browser may leave that output unread before it is dropped."),
	S_INT(socket_buffer_kb, "64", 0, 65536,
	      "Kernel send buffer per browser socket, in KiB, so a browser that stops reading "
	      "holds little kernel memory too; 0 leaves the kernel's default."),
	S_INT(connect_timeout_s, "10", 1, 600, "Seconds to wait for ruin-server to accept."),
	S_INT(upstream_keepalive_s, "60", 1, 32767,
	      "TCP keep-alive idle time on connections to ruin-server, in seconds (Linux "
	      "takes at most 32767)."),
	S_BOOL(deflate, "yes", "Compress messages to browsers (permessage-deflate)."),
	S_INT(deflate_window_bits, "11", 9, 15,
	      "Compression window toward browsers, as a power of two (memory per session)."),
	S_INT(deflate_mem_level, "4", 1, 9, "zlib memory level for that compression (1-9)."),
	S_STR(port_file, "", "If set, the bound port is written to this file (for tests)."),
};

#define SETTINGS_ROWS (sizeof(settings_table) / sizeof(settings_table[0]))

static const struct settings_row *settings_find(const char *name)
{
	for (size_t i = 0; i < SETTINGS_ROWS; i++)
		if (!strcmp(settings_table[i].name, name))
			return &settings_table[i];
	return NULL;
}

static int settings_apply(struct settings *s, const struct settings_row *row, const char *value,
			  struct buf *err)
{
	void *field = (char *)s + row->offset;
	long v;

	switch (row->type) {
	case SETTINGS_STR:
		free(*(char **)field);
		*(char **)field = xstrdup(value);
		return 0;
	case SETTINGS_INT:
		if (str_to_long(value, row->min, row->max, &v) < 0) {
			buf_printf(err, "%s: '%s' is not a whole number from %ld to %ld", row->name,
				   value, row->min, row->max);
			return -1;
		}
		*(int *)field = (int)v;
		return 0;
	case SETTINGS_BOOL:
		if (!strcmp(value, "yes") || !strcmp(value, "true") || !strcmp(value, "on") ||
		    !strcmp(value, "1")) {
			*(bool *)field = true;
		} else if (!strcmp(value, "no") || !strcmp(value, "false") ||
			   !strcmp(value, "off") || !strcmp(value, "0")) {
			*(bool *)field = false;
		} else {
			buf_printf(err, "%s: '%s' is not yes or no", row->name, value);
			return -1;
		}
		return 0;
	}
	return -1;
}

void settings_init(struct settings *s)
{
	struct buf err;

	memset(s, 0, sizeof(*s));
	buf_init(&err, 256);
	for (size_t i = 0; i < SETTINGS_ROWS; i++)
		settings_apply(s, &settings_table[i], settings_table[i].def, &err);
	buf_fini(&err);
}

void settings_fini(struct settings *s)
{
	for (size_t i = 0; i < SETTINGS_ROWS; i++)
		if (settings_table[i].type == SETTINGS_STR)
			free(*(char **)((char *)s + settings_table[i].offset));
	memset(s, 0, sizeof(*s));
}

int settings_set(struct settings *s, const char *name, const char *value, struct buf *err)
{
	const struct settings_row *row = settings_find(name);

	if (!row) {
		buf_printf(err, "unknown setting '%s' (ruin-bridge --help-config lists them)",
			   name);
		return -1;
	}
	return settings_apply(s, row, value, err);
}

/* Handles one line of a settings file; -1 with a message in one if it is bad. */
static int settings_line(struct settings *s, char *line, struct buf *one)
{
	char *hash = strchr(line, '#'), *eq, *name, *value;
	size_t vlen;

	if (hash)
		*hash = '\0';
	line = str_trim(line);
	if (!*line)
		return 0;
	eq = strchr(line, '=');
	if (!eq) {
		buf_puts(one, "expected 'name = value'");
		return -1;
	}
	*eq = '\0';
	name = str_trim(line);
	value = str_trim(eq + 1);
	vlen = strlen(value);
	if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
		value[vlen - 1] = '\0';
		value++;
	}
	return settings_set(s, name, value, one);
}

int settings_load_file(struct settings *s, const char *path, bool required, struct buf *err)
{
	FILE *fp = fopen(path, "r");
	struct buf line, one;
	int lineno = 0, bad = 0, ch;

	if (!fp) {
		if (!required && errno == ENOENT)
			return 0;
		buf_printf(err, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	buf_init(&line, 4096);
	buf_init(&one, 512);
	do {
		buf_clear(&line);
		while ((ch = fgetc(fp)) != EOF && ch != '\n')
			buf_putc(&line, (char)ch);
		lineno++;
		if (line.err) {
			buf_printf(err, "%s:%d: line too long\n", path, lineno);
			bad++;
			continue;
		}
		if (!line.len)
			continue;
		buf_clear(&one);
		if (settings_line(s, line.data, &one) < 0) {
			buf_printf(err, "%s:%d: %s\n", path, lineno, buf_cstr(&one));
			bad++;
		}
	} while (ch != EOF);
	buf_fini(&line);
	buf_fini(&one);
	fclose(fp);
	return bad ? -1 : 0;
}

void settings_describe(FILE *fp)
{
	fprintf(fp, "# ruin-bridge settings. Every line is optional; the values shown are the\n"
		    "# defaults.\n");
	for (size_t i = 0; i < SETTINGS_ROWS; i++) {
		const struct settings_row *r = &settings_table[i];
		int quote = r->type == SETTINGS_STR && (!*r->def || strchr(r->def, ' '));

		fprintf(fp, "\n# %s\n%s = %s%s%s\n", r->help, r->name, quote ? "\"" : "", r->def,
			quote ? "\"" : "");
	}
}
