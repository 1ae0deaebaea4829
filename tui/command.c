/*
 * command.c: the `:` commands. See command.h.
 *
 * Start at command_table[]: one row per command, naming its arguments in
 * order (an argument spec string: 'c' connection id, 's' seconds, 'o'
 * on/off, 'l' level, 't' the rest of the line as text, 'w' one word;
 * upper case means required), whether it asks for confirmation, and its
 * help line.
 */
#include "command.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "model.h"
#include "base/banned.h"

struct command_row {
	const char *name;
	enum command_kind kind;
	const char *args; /* see the file comment */
	const char *usage;
	const char *help;
};

static const struct command_row command_table[] = {
	{"kick", CMD_KICK, "Ct", "kick ID [message]", "disconnect a connection, with a message"},
	{"broadcast", CMD_BROADCAST, "T", "broadcast TEXT", "say something to every player"},
	{"reload", CMD_RELOAD, "W", "reload AREA", "reload an area's scripts"},
	{"shutdown", CMD_SHUTDOWN, "st", "shutdown [SECONDS] [message]",
	 "shut down after a countdown told to players (default 60 s)"},
	{"reboot", CMD_REBOOT, "st", "reboot [SECONDS] [message]",
	 "restart (exit status 3) after a countdown (default 60 s)"},
	{"hotreboot", CMD_HOTREBOOT, "", "hotreboot",
	 "hot reboot: a new server binary takes over every connection"},
	{"cancel", CMD_CANCEL, "", "cancel", "call off a shutdown or reboot countdown"},
	{"wizlock", CMD_WIZLOCK, "O", "wizlock on|off", "only admins may log in (on), or all"},
	{"loglevel", CMD_LOGLEVEL, "L", "loglevel LEVEL",
	 "the server's log level: error warn info debug"},
	{"filter", CMD_FILTER, "t", "filter [PATTERN]",
	 "show matching connections (text or glob); none: all"},
	{"sort", CMD_SORT, "w", "sort [COLUMN]", "sort by a column; again (or none) reverses"},
	{"show", CMD_SHOW, "L", "show LEVEL", "the log pane shows this level and above"},
	{"help", CMD_HELP, "", "help", "keys and commands"},
	{"quit", CMD_QUIT, "", "quit", "leave the console (the server keeps running)"},
};

#define COMMAND_ROWS	      (sizeof(command_table) / sizeof(command_table[0]))
#define COMMAND_DEFAULT_DELAY 60

void command_init(struct command *c)
{
	memset(c, 0, sizeof(*c));
	buf_init(&c->text, 4096);
}

void command_fini(struct command *c)
{
	buf_fini(&c->text);
}

void command_reset(struct command *c)
{
	c->kind = CMD_NONE;
	c->conn = 0;
	c->seconds = 0;
	c->on = false;
	c->level = 0;
	buf_clear(&c->text);
}

const char *command_name(enum command_kind kind)
{
	for (size_t i = 0; i < COMMAND_ROWS; i++)
		if (command_table[i].kind == kind)
			return command_table[i].name;
	return "?";
}

static const struct command_row *command_find(const char *word, struct buf *err)
{
	const struct command_row *found = NULL;

	for (size_t i = 0; i < COMMAND_ROWS; i++) {
		if (str_eq_nocase(word, command_table[i].name))
			return &command_table[i];
		if (str_prefix(word, command_table[i].name)) {
			if (found) {
				buf_printf(err, "'%s' could be %s or %s", word, found->name,
					   command_table[i].name);
				return NULL;
			}
			found = &command_table[i];
		}
	}
	if (!found)
		buf_printf(err, "no command '%s' (try :help)", word);
	return found;
}

/* Parses one argument of kind spec at *p; 0, 1 if absent, or -1 with err. */
static int command_arg(const struct command_row *row, char spec, const char **p, struct command *c,
		       struct buf *err)
{
	const char *start = *p;
	struct buf word;
	long v;
	int rc = 0;

	if (spec == 't' || spec == 'T') {
		const char *rest = str_skip_space(*p);
		size_t n = strlen(rest);

		while (n && (rest[n - 1] == ' ' || rest[n - 1] == '\t'))
			n--;
		*p = rest + strlen(rest);
		if (!n)
			return 1;
		buf_append(&c->text, rest, n);
		return 0;
	}
	buf_init(&word, 1024);
	if (!str_next_word(p, &word)) {
		buf_fini(&word);
		return 1;
	}
	switch (spec) {
	case 'c':
	case 'C':
		if (str_to_long(buf_cstr(&word), 1, 4294967295L, &v) < 0) {
			buf_printf(err, "%s: '%s' is not a connection id", row->name,
				   buf_cstr(&word));
			rc = -1;
		}
		c->conn = (uint32_t)v;
		break;
	case 's':
	case 'S':
		if (str_to_long(buf_cstr(&word), -1000000000L, 1000000000L, &v) < 0) {
			/* Not a number: the text starts here (":shutdown back soon"). */
			*p = start;
			rc = 1;
			break;
		}
		if (v < 0 || v > 3600) {
			buf_printf(err, "%s: the delay is 0 to 3600 seconds, not %ld", row->name,
				   v);
			rc = -1;
			break;
		}
		c->seconds = (int)v;
		break;
	case 'o':
	case 'O':
		if (str_eq_nocase(buf_cstr(&word), "on") || str_eq_nocase(buf_cstr(&word), "yes"))
			c->on = true;
		else if (str_eq_nocase(buf_cstr(&word), "off") ||
			 str_eq_nocase(buf_cstr(&word), "no"))
			c->on = false;
		else {
			buf_printf(err, "%s: say on or off, not '%s'", row->name, buf_cstr(&word));
			rc = -1;
		}
		break;
	case 'l':
	case 'L':
		c->level = model_level_parse(buf_cstr(&word));
		if (c->level < 0) {
			buf_printf(err, "%s: '%s' is not error, warn, info or debug", row->name,
				   buf_cstr(&word));
			rc = -1;
		}
		break;
	default: /* 'w', 'W': one word */
		buf_puts(&c->text, buf_cstr(&word));
		break;
	}
	buf_fini(&word);
	return rc;
}

int command_parse(const char *line, struct command *c, struct buf *err)
{
	const struct command_row *row;
	struct buf word;
	const char *p = line;

	command_reset(c);
	buf_init(&word, 1024);
	if (!str_next_word(&p, &word)) {
		buf_fini(&word);
		return 0;
	}
	row = command_find(buf_cstr(&word), err);
	buf_fini(&word);
	if (!row)
		return -1;
	c->kind = row->kind;
	if (c->kind == CMD_SHUTDOWN || c->kind == CMD_REBOOT)
		c->seconds = COMMAND_DEFAULT_DELAY;
	for (const char *a = row->args; *a; a++) {
		int rc = command_arg(row, *a, &p, c, err);

		if (rc < 0)
			goto fail;
		if (rc > 0 && *a >= 'A' && *a <= 'Z') {
			buf_printf(err, "usage: :%s", row->usage);
			goto fail;
		}
	}
	if (*str_skip_space(p)) {
		buf_printf(err, "%s: too many arguments (usage: :%s)", row->name, row->usage);
		goto fail;
	}
	if (c->text.err) {
		buf_printf(err, "%s: the text is too long", row->name);
		goto fail;
	}
	return 0;
fail:
	command_reset(c);
	return -1;
}

bool command_is_action(enum command_kind kind)
{
	return kind >= CMD_KICK && kind <= CMD_LOGLEVEL;
}

bool command_needs_confirm(const struct command *c)
{
	return c->kind == CMD_KICK || c->kind == CMD_SHUTDOWN || c->kind == CMD_REBOOT ||
	       c->kind == CMD_HOTREBOOT || (c->kind == CMD_WIZLOCK && c->on);
}

json_t *command_request(const struct command *c)
{
	const char *text = buf_cstr(&c->text);

	switch (c->kind) {
	case CMD_KICK:
		return c->text.len
			       ? json_pack("{s:s, s:I, s:s}", "op", "kick", "conn",
					   (json_int_t)c->conn, "message", text)
			       : json_pack("{s:s, s:I}", "op", "kick", "conn", (json_int_t)c->conn);
	case CMD_BROADCAST:
		return json_pack("{s:s, s:s}", "op", "broadcast", "message", text);
	case CMD_RELOAD:
		return json_pack("{s:s, s:s}", "op", "reload", "area", text);
	case CMD_SHUTDOWN:
	case CMD_REBOOT:
		return json_pack("{s:s, s:i, s:s}", "op",
				 c->kind == CMD_REBOOT ? "reboot" : "shutdown", "delay", c->seconds,
				 "message", text);
	case CMD_HOTREBOOT:
		return json_pack("{s:s, s:b}", "op", "reboot", "hot", 1);
	case CMD_CANCEL:
		return json_pack("{s:s}", "op", "cancel");
	case CMD_WIZLOCK:
		return json_pack("{s:s, s:b}", "op", "wizlock", "on", c->on);
	case CMD_LOGLEVEL:
		return json_pack("{s:s, s:s}", "op", "loglevel", "level",
				 model_level_name(c->level));
	default:
		return NULL;
	}
}

void command_describe(const struct command *c, const char *target, struct buf *out)
{
	switch (c->kind) {
	case CMD_KICK:
		buf_printf(out, "Kick connection %u%s%s%s", c->conn, target ? " (" : "",
			   target ? target : "", target ? ")" : "");
		break;
	case CMD_SHUTDOWN:
	case CMD_REBOOT:
		buf_printf(out, "%s the server in %d s",
			   c->kind == CMD_REBOOT ? "Reboot" : "Shut down", c->seconds);
		break;
	case CMD_WIZLOCK:
		buf_printf(out, "Turn wizlock %s (%s)", c->on ? "on" : "off",
			   c->on ? "only admins may log in" : "everyone may log in");
		break;
	case CMD_BROADCAST:
		buf_printf(out, "Broadcast \"%s\"", buf_cstr(&c->text));
		break;
	case CMD_RELOAD:
		buf_printf(out, "Reload area %s", buf_cstr(&c->text));
		break;
	case CMD_LOGLEVEL:
		buf_printf(out, "Set the server's log level to %s", model_level_name(c->level));
		break;
	case CMD_CANCEL:
		buf_puts(out, "Cancel the countdown");
		break;
	case CMD_HOTREBOOT:
		buf_puts(out, "Hot reboot the server (connections stay)");
		break;
	default:
		buf_puts(out, command_name(c->kind));
		break;
	}
}

void command_help(struct buf *out)
{
	for (size_t i = 0; i < COMMAND_ROWS; i++)
		buf_printf(out, "  :%-30s %s\n", command_table[i].usage, command_table[i].help);
}
