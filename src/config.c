/*
 * config.c: the settings table and the "name = value" file reader.
 * To add a setting: a field in struct config, a row in config_table.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "base/banned.h"

enum config_type { CONFIG_STR, CONFIG_INT, CONFIG_BOOL };

struct config_row {
	const char *name;
	enum config_type type;
	size_t offset;
	const char *def;
	long min, max; /* for CONFIG_INT */
	const char *help;
};

#define STR(field, def, help)                                                                      \
	{                                                                                          \
#field, CONFIG_STR, offsetof(struct config, field), def, 0, 0, help                \
	}
#define INT(field, def, lo, hi, help)                                                              \
	{                                                                                          \
#field, CONFIG_INT, offsetof(struct config, field), def, lo, hi, help              \
	}
#define BOOL(field, def, help)                                                                     \
	{                                                                                          \
#field, CONFIG_BOOL, offsetof(struct config, field), def, 0, 1, help               \
	}

static const struct config_row config_table[] = {
	STR(bind, "0.0.0.0", "Address the telnet port listens on (0.0.0.0, ::, 127.0.0.1)."),
	INT(port, "4000", 0, 65535, "Telnet port. 0 picks a free port (tests)."),
	STR(database, "var/ruin.db", "SQLite database file (created if missing)."),
	STR(areas_dir, "areas", "Folder of areas, one subfolder each with an area.lua."),
	STR(lua_dir, "lua", "Folder of the Lua side of the builder API."),
	STR(log_file, "", "Log file; empty logs to stderr. Reopened on SIGHUP."),
	STR(log_level, "info", "error, warn, info or debug."),
	STR(admin_socket, "var/admin.sock", "Unix socket for ruin-console (mode 0600)."),
	INT(admin_max_consoles, "8", 1, 1000, "Consoles connected to the admin socket at once."),
	INT(admin_queue_kb, "4096", 64, 1048576,
	    "Output queued for one console before it is dropped as too slow, in KiB."),
	STR(trusted_proxies, "127.0.0.1/8,::1",
	    "Addresses (CIDR) allowed to open a connection with a PROXY v1 line (ruin-bridge)."),
	STR(mud_name, "Forgotten Ruin", "The game's name, in MSSP and the greeting."),
	STR(start_room, "", "Room id where new characters begin; empty: the room flagged start."),
	STR(loop_backend, "select",
	    "Event loop backend: select (portable) or epoll (Linux; past a few hundred players)."),
	BOOL(io_uring, "yes",
	     "Send a loop pass's output to many connections in one system call (Linux io_uring), "
	     "where the kernel allows it."),
	INT(max_connections, "1000", 1, 1000000, "Connections at once; more are refused."),
	INT(max_per_address, "20", 1, 100000, "Connections at once from one address."),
	INT(login_timeout_s, "120", 5, 86400, "Seconds a connection may idle before logging in."),
	INT(idle_timeout_s, "3600", 0, 604800, "Seconds a player may idle; 0 means forever."),
	INT(linkdead_timeout_s, "600", 0, 86400,
	    "Seconds a character whose link dropped stays in the world."),
	INT(autosave_s, "60", 5, 86400,
	    "Seconds between autosaves of every changed character (64 a pulse, until all are "
	    "saved)."),
	INT(max_line, "1024", 64, 65536, "Longest input line in bytes; longer lines are refused."),
	INT(output_cap_kb, "512", 16, 1048576,
	    "Output queued for one connection before it is disconnected, in KiB."),
	INT(max_commands_queued, "50", 1, 100000,
	    "Input lines waiting to run per connection; more are dropped with a warning."),
	INT(max_commands_per_s, "100", 0, 100000,
	    "Commands one connection may run per second, sustained (bursts up to "
	    "max_commands_queued run at once); 0 means no limit."),
	BOOL(mccp, "yes", "Offer MCCP2 compression to clients."),
	INT(login_failures, "5", 1, 1000,
	    "Failed logins allowed per window, per address and per name."),
	INT(login_window_s, "300", 1, 86400, "The window for login_failures, in seconds."),
	INT(pwhash_ops, "2", 1, 100, "argon2id passes (time cost) for password hashes."),
	INT(pwhash_mem_kb, "19456", 8, 4194304, "argon2id memory for password hashes, in KiB."),
	INT(lua_memory_kb, "16384", 256, 4194304, "Memory each area's Lua state may use, in KiB."),
	INT(lua_instructions, "1000000", 1000, 1000000000,
	    "Lua VM instructions one entry into a script may run."),
	STR(port_file, "", "If set, the bound telnet port is written to this file (for tests)."),
};

#define CONFIG_ROWS (sizeof(config_table) / sizeof(config_table[0]))

static const struct config_row *config_find(const char *name)
{
	for (size_t i = 0; i < CONFIG_ROWS; i++)
		if (strcmp(config_table[i].name, name) == 0)
			return &config_table[i];
	return NULL;
}

static int config_apply(struct config *c, const struct config_row *row, const char *value,
			struct buf *err)
{
	void *field = (char *)c + row->offset;
	long v;

	switch (row->type) {
	case CONFIG_STR:
		free(*(char **)field);
		*(char **)field = xstrdup(value);
		return 0;
	case CONFIG_INT:
		if (str_to_long(value, row->min, row->max, &v) < 0) {
			buf_printf(err, "%s: '%s' is not a whole number from %ld to %ld", row->name,
				   value, row->min, row->max);
			return -1;
		}
		*(int *)field = (int)v;
		return 0;
	case CONFIG_BOOL:
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

void config_init(struct config *c)
{
	struct buf err;

	memset(c, 0, sizeof(*c));
	buf_init(&err, 256);
	for (size_t i = 0; i < CONFIG_ROWS; i++)
		config_apply(c, &config_table[i], config_table[i].def, &err);
	buf_fini(&err);
}

void config_fini(struct config *c)
{
	for (size_t i = 0; i < CONFIG_ROWS; i++)
		if (config_table[i].type == CONFIG_STR)
			free(*(char **)((char *)c + config_table[i].offset));
	memset(c, 0, sizeof(*c));
}

int config_set(struct config *c, const char *name, const char *value, struct buf *err)
{
	const struct config_row *row = config_find(name);

	if (!row) {
		buf_printf(err, "unknown setting '%s' (ruin-server --help-config lists them)",
			   name);
		return -1;
	}
	return config_apply(c, row, value, err);
}

int config_load_file(struct config *c, const char *path, bool required, struct buf *err)
{
	FILE *fp = fopen(path, "r");
	struct buf line;
	int lineno = 0, bad = 0, ch;

	if (!fp) {
		if (!required && errno == ENOENT)
			return 0;
		buf_printf(err, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	buf_init(&line, 4096);
	do {
		char *s, *eq, *name, *value;

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
		s = line.data;
		if ((eq = strchr(s, '#')) != NULL)
			*eq = '\0';
		s = str_trim(s);
		if (!*s)
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			buf_printf(err, "%s:%d: expected 'name = value'\n", path, lineno);
			bad++;
			continue;
		}
		*eq = '\0';
		name = str_trim(s);
		value = str_trim(eq + 1);
		if (strlen(value) >= 2 && value[0] == '"' && value[strlen(value) - 1] == '"') {
			value[strlen(value) - 1] = '\0';
			value++;
		}
		{
			struct buf one;

			buf_init(&one, 512);
			if (config_set(c, name, value, &one) < 0) {
				buf_printf(err, "%s:%d: %s\n", path, lineno, buf_cstr(&one));
				bad++;
			}
			buf_fini(&one);
		}
	} while (ch != EOF);
	buf_fini(&line);
	fclose(fp);
	return bad ? -1 : 0;
}

void config_describe(FILE *fp)
{
	fprintf(fp, "# Forgotten Ruin server settings (ruin.conf). Every line is optional;\n"
		    "# the values shown are the defaults.\n");
	for (size_t i = 0; i < CONFIG_ROWS; i++) {
		const struct config_row *r = &config_table[i];
		int quote = r->type == CONFIG_STR && (!*r->def || strchr(r->def, ' '));

		fprintf(fp, "\n# %s\n%s = %s%s%s\n", r->help, r->name, quote ? "\"" : "", r->def,
			quote ? "\"" : "");
	}
}
