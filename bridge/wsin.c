/*
 * wsin.c: parsing and checking what a browser sends. Start at wsin_parse():
 * the "type" picks a handler from wsin_types; "command" messages with an
 * "action" are mapped to a line through the wsin_actions whitelist.
 */
#include "wsin.h"

#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "base/banned.h"

/* ---- fields ------------------------------------------------------------------ */

/* True if s has no control characters other than TAB (jansson already
 * guarantees valid UTF-8 without NUL). */
static bool wsin_one_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7F)
			return false;
	}
	return true;
}

/*
 * Reads a string field that is one line into *s and *len (*s NULL if the
 * field is absent or null and not required). -1 with why set if it is
 * missing but required, not a string, or not one line.
 */
static int wsin_text_field(json_t *obj, const char *name, bool required, const char **s,
			   size_t *len, struct buf *why)
{
	json_t *v = json_object_get(obj, name);

	*s = NULL;
	*len = 0;
	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		buf_printf(why, "\"%s\" is missing", name);
		return -1;
	}
	if (!json_is_string(v)) {
		buf_printf(why, "\"%s\" must be a string", name);
		return -1;
	}
	*len = json_string_length(v);
	if (!wsin_one_line(json_string_value(v), *len)) {
		buf_printf(why, "\"%s\" must be one line without control characters", name);
		return -1;
	}
	*s = json_string_value(v);
	return 0;
}

/* ---- actions ------------------------------------------------------------------ */

enum wsin_arg {
	WSIN_ARG_NONE,	    /* just the verb */
	WSIN_ARG_OPT_TEXT,  /* verb [field1] */
	WSIN_ARG_TEXT,	    /* verb field1 */
	WSIN_ARG_WORD_TEXT, /* verb field1 field2, field1 one word */
	WSIN_ARG_DIRECTION, /* the direction itself is the command */
};

static const struct wsin_action {
	const char *name;
	enum wsin_arg arg;
	const char *field1, *field2;
} wsin_actions[] = {
	{"move", WSIN_ARG_DIRECTION, "direction", NULL},
	{"look", WSIN_ARG_OPT_TEXT, "target", NULL},
	{"say", WSIN_ARG_TEXT, "message", NULL},
	{"emote", WSIN_ARG_TEXT, "message", NULL},
	{"tell", WSIN_ARG_WORD_TEXT, "target", "message"},
	{"reply", WSIN_ARG_TEXT, "message", NULL},
	{"chat", WSIN_ARG_TEXT, "message", NULL},
	{"newbie", WSIN_ARG_TEXT, "message", NULL},
	{"get", WSIN_ARG_TEXT, "item", NULL},
	{"drop", WSIN_ARG_TEXT, "item", NULL},
	{"wear", WSIN_ARG_TEXT, "item", NULL},
	{"remove", WSIN_ARG_TEXT, "item", NULL},
	{"open", WSIN_ARG_TEXT, "target", NULL},
	{"close", WSIN_ARG_TEXT, "target", NULL},
	{"inventory", WSIN_ARG_NONE, NULL, NULL},
	{"equipment", WSIN_ARG_NONE, NULL, NULL},
	{"score", WSIN_ARG_NONE, NULL, NULL},
	{"who", WSIN_ARG_NONE, NULL, NULL},
	{"exits", WSIN_ARG_NONE, NULL, NULL},
	{"stand", WSIN_ARG_NONE, NULL, NULL},
	{"sit", WSIN_ARG_NONE, NULL, NULL},
	{"rest", WSIN_ARG_NONE, NULL, NULL},
	{"sleep", WSIN_ARG_NONE, NULL, NULL},
	{"wake", WSIN_ARG_NONE, NULL, NULL},
};

#define WSIN_NACTIONS (sizeof(wsin_actions) / sizeof(wsin_actions[0]))

static const char *const wsin_directions[][2] = {
	{"n", "north"}, {"e", "east"}, {"s", "south"}, {"w", "west"}, {"u", "up"}, {"d", "down"},
};

const char *wsin_action_name(size_t i)
{
	return i < WSIN_NACTIONS ? wsin_actions[i].name : NULL;
}

static const char *wsin_action(json_t *root, const char *name, struct buf *text, struct buf *why)
{
	const struct wsin_action *a = NULL;
	const char *s1 = NULL, *s2 = NULL;
	size_t n1 = 0, n2 = 0;

	for (size_t i = 0; i < WSIN_NACTIONS; i++)
		if (!strcmp(name, wsin_actions[i].name))
			a = &wsin_actions[i];
	if (!a) {
		buf_puts(why, "that action is not one a browser may send");
		return WSIN_E_UNKNOWN_ACTION;
	}
	switch (a->arg) {
	case WSIN_ARG_NONE:
		buf_puts(text, a->name);
		return NULL;
	case WSIN_ARG_DIRECTION:
		if (wsin_text_field(root, a->field1, true, &s1, &n1, why) < 0)
			return WSIN_E_BAD_FIELD;
		for (size_t i = 0; i < sizeof(wsin_directions) / sizeof(wsin_directions[0]); i++) {
			if (!strcmp(s1, wsin_directions[i][0]) ||
			    !strcmp(s1, wsin_directions[i][1])) {
				buf_puts(text, wsin_directions[i][1]);
				return NULL;
			}
		}
		buf_puts(why, "\"direction\" must be north, east, south, west, up or down");
		return WSIN_E_BAD_FIELD;
	case WSIN_ARG_OPT_TEXT:
		if (wsin_text_field(root, a->field1, false, &s1, &n1, why) < 0)
			return WSIN_E_BAD_FIELD;
		break;
	case WSIN_ARG_TEXT:
		if (wsin_text_field(root, a->field1, true, &s1, &n1, why) < 0)
			return WSIN_E_BAD_FIELD;
		break;
	case WSIN_ARG_WORD_TEXT:
		if (wsin_text_field(root, a->field1, true, &s1, &n1, why) < 0 ||
		    wsin_text_field(root, a->field2, true, &s2, &n2, why) < 0)
			return WSIN_E_BAD_FIELD;
		if (!n1 || memchr(s1, ' ', n1) || memchr(s1, '\t', n1)) {
			buf_printf(why, "\"%s\" must be one word", a->field1);
			return WSIN_E_BAD_FIELD;
		}
		break;
	}
	if ((a->arg != WSIN_ARG_OPT_TEXT && !n1) || (a->field2 && !n2)) {
		buf_printf(why, "\"%s\" is empty", !n1 ? a->field1 : a->field2);
		return WSIN_E_BAD_FIELD;
	}
	buf_puts(text, a->name);
	if (s1 && n1) {
		buf_putc(text, ' ');
		buf_append(text, s1, n1);
	}
	if (s2 && n2) {
		buf_putc(text, ' ');
		buf_append(text, s2, n2);
	}
	return NULL;
}

/* ---- message types -------------------------------------------------------------- */

static const char *wsin_command(json_t *root, struct wsin_msg *msg, struct buf *text,
				struct buf *why)
{
	json_t *action = json_object_get(root, "action");
	const char *line;
	size_t n = 0;

	msg->kind = WSIN_LINE;
	if (action && !json_is_null(action)) {
		if (!json_is_string(action)) {
			buf_puts(why, "\"action\" must be a string");
			return WSIN_E_BAD_FIELD;
		}
		return wsin_action(root, json_string_value(action), text, why);
	}
	if (wsin_text_field(root, "command", true, &line, &n, why) < 0)
		return WSIN_E_BAD_FIELD;
	buf_append(text, line, n);
	return NULL;
}

/* The GMCP packages a browser may send; the bridge names the client itself. */
static const char *const wsin_gmcp_allowed[] = {
	"Core.Ping",
	"Core.Supports.Set",
	"Core.Supports.Add",
	"Core.Supports.Remove",
};

static int wsin_dump_cb(const char *buffer, size_t size, void *data)
{
	return buf_append(data, buffer, size) ? -1 : 0;
}

static const char *wsin_gmcp(json_t *root, struct wsin_msg *msg, struct buf *text, struct buf *why)
{
	json_t *package = json_object_get(root, "package");
	json_t *data = json_object_get(root, "data");
	const char *name;
	bool ok = false;

	msg->kind = WSIN_GMCP;
	if (!json_is_string(package)) {
		buf_puts(why, "\"package\" must be a string");
		return WSIN_E_BAD_FIELD;
	}
	name = json_string_value(package);
	for (size_t i = 0; i < sizeof(wsin_gmcp_allowed) / sizeof(wsin_gmcp_allowed[0]); i++)
		if (!strcmp(name, wsin_gmcp_allowed[i]))
			ok = true;
	if (!ok) {
		buf_puts(why, "a browser may send Core.Ping and Core.Supports.Set/Add/Remove only");
		return WSIN_E_GMCP_REFUSED;
	}
	memcpy(msg->package, name, strlen(name) + 1);
	if (data && !json_is_null(data) &&
	    json_dump_callback(data, wsin_dump_cb, text, JSON_COMPACT | JSON_ENCODE_ANY) < 0) {
		buf_puts(why, "\"data\" is too large");
		return WSIN_E_BAD_FIELD;
	}
	return NULL;
}

static const char *wsin_dimension(json_t *root, const char *name, unsigned *out, struct buf *why)
{
	json_t *v = json_object_get(root, name);

	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 65535) {
		buf_printf(why, "\"%s\" must be a whole number from 1 to 65535", name);
		return WSIN_E_BAD_FIELD;
	}
	*out = (unsigned)json_integer_value(v);
	return NULL;
}

static const char *wsin_resize(json_t *root, struct wsin_msg *msg, struct buf *text,
			       struct buf *why)
{
	const char *code;

	(void)text;
	msg->kind = WSIN_RESIZE;
	code = wsin_dimension(root, "cols", &msg->cols, why);
	if (!code)
		code = wsin_dimension(root, "rows", &msg->rows, why);
	return code;
}

static const struct {
	const char *type;
	const char *(*parse)(json_t *root, struct wsin_msg *msg, struct buf *text, struct buf *why);
} wsin_types[] = {
	{"command", wsin_command},
	{"gmcp", wsin_gmcp},
	{"resize", wsin_resize},
};

const char *wsin_parse(const char *frame, size_t n, size_t max_command, struct wsin_msg *msg,
		       struct buf *text, struct buf *why)
{
	json_error_t err;
	json_t *root, *type;
	const char *code = NULL;
	const char *name;
	bool known = false;

	memset(msg, 0, sizeof(*msg));
	buf_clear(text);
	root = json_loadb(frame, n, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		buf_printf(why, "not valid JSON: %s", err.text);
		return WSIN_E_BAD_JSON;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		buf_puts(why, "a message must be a JSON object");
		return WSIN_E_BAD_JSON;
	}
	type = json_object_get(root, "type");
	if (!json_is_string(type)) {
		json_decref(root);
		buf_puts(why, "\"type\" must be a string");
		return WSIN_E_BAD_TYPE;
	}
	name = json_string_value(type);
	for (size_t i = 0; i < sizeof(wsin_types) / sizeof(wsin_types[0]); i++) {
		if (!strcmp(name, wsin_types[i].type)) {
			code = wsin_types[i].parse(root, msg, text, why);
			known = true;
			break;
		}
	}
	if (!known) {
		buf_puts(why, "the types a browser may send are command, gmcp and resize");
		code = WSIN_E_UNKNOWN_TYPE;
	} else if (!code && msg->kind == WSIN_LINE && text->len > max_command) {
		buf_printf(why, "a command may be at most %zu bytes", max_command);
		code = WSIN_E_TOO_LONG;
	}
	json_decref(root);
	return code;
}
