/*
 * admin_proto.c: admin requests checked against a table, and the messages
 * for consoles. See admin_proto.h.
 *
 * Start at admin_ops[]: one row per op with its arguments (name, type,
 * required or its default, bounds, where it goes in struct admin_request).
 * admin_request_parse() finds the row, applies the defaults, then checks
 * every key of the object against the row.
 */
#include "admin_proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/banned.h"

/* ---- the op table -------------------------------------------------------------- */

enum admin_arg_type {
	ARG_BOOL,  /* true/false into a bool */
	ARG_INT,   /* a whole number in [min, max] into an int */
	ARG_CONN,  /* a connection id, 1..UINT32_MAX, into a uint32_t */
	ARG_TEXT,  /* a string of min..max bytes, no control characters */
	ARG_LEVEL, /* "error", "warn", "info", "debug" into an enum log_level */
};

struct admin_arg {
	const char *name;
	enum admin_arg_type type;
	bool required;
	long def; /* when absent: a bool or int's value; text is then "" */
	long min, max;
	size_t offset; /* into struct admin_request */
};

struct admin_op_row {
	const char *name;
	bool action;
	struct admin_arg args[4];
};

#define ARG(n, t, req, d, lo, hi, field)                                                           \
	{                                                                                          \
		n, t, req, d, lo, hi, offsetof(struct admin_request, field)                        \
	}

/* Indexed by enum admin_op. */
static const struct admin_op_row admin_ops[ADMIN_OP_COUNT] = {
	[ADMIN_OP_HELLO] = {"hello",
			    false,
			    {ARG("client", ARG_TEXT, false, 0, 0, 64, text),
			     ARG("readonly", ARG_BOOL, false, 0, 0, 1, on)}},
	[ADMIN_OP_PING] = {"ping", false, {{0}}},
	[ADMIN_OP_SUBSCRIBE] = {"subscribe",
				false,
				{ARG("stats", ARG_BOOL, false, 1, 0, 1, stats),
				 ARG("log", ARG_BOOL, false, 1, 0, 1, log),
				 ARG("conns", ARG_BOOL, false, 1, 0, 1, conns),
				 ARG("interval", ARG_INT, false, 1, 1, ADMIN_INTERVAL_MAX,
				     seconds)}},
	[ADMIN_OP_UNSUBSCRIBE] = {"unsubscribe", false, {{0}}},
	[ADMIN_OP_STATS] = {"stats", false, {ARG("conns", ARG_BOOL, false, 1, 0, 1, conns)}},
	[ADMIN_OP_CONN] = {"conn", false, {ARG("conn", ARG_CONN, true, 0, 0, 0, conn)}},
	[ADMIN_OP_KICK] = {"kick",
			   true,
			   {ARG("conn", ARG_CONN, true, 0, 0, 0, conn),
			    ARG("message", ARG_TEXT, false, 0, 0, ADMIN_TEXT_MAX, text)}},
	[ADMIN_OP_BROADCAST] = {"broadcast",
				true,
				{ARG("message", ARG_TEXT, true, 0, 1, ADMIN_TEXT_MAX, text)}},
	[ADMIN_OP_RELOAD] = {"reload", true, {ARG("area", ARG_TEXT, true, 0, 1, 64, text)}},
	[ADMIN_OP_SHUTDOWN] = {"shutdown",
			       true,
			       {ARG("delay", ARG_INT, false, 0, 0, ADMIN_DELAY_MAX, seconds),
				ARG("message", ARG_TEXT, false, 0, 0, ADMIN_TEXT_MAX, text)}},
	[ADMIN_OP_REBOOT] = {"reboot",
			     true,
			     {ARG("delay", ARG_INT, false, 0, 0, ADMIN_DELAY_MAX, seconds),
			      ARG("message", ARG_TEXT, false, 0, 0, ADMIN_TEXT_MAX, text),
			      ARG("hot", ARG_BOOL, false, 0, 0, 1, hot)}},
	[ADMIN_OP_CANCEL] = {"cancel", true, {{0}}},
	[ADMIN_OP_WIZLOCK] = {"wizlock", true, {ARG("on", ARG_BOOL, true, 0, 0, 1, on)}},
	[ADMIN_OP_LOGLEVEL] = {"loglevel", true, {ARG("level", ARG_LEVEL, true, 0, 0, 0, level)}},
};

#define ADMIN_ARGS_MAX (sizeof(admin_ops[0].args) / sizeof(admin_ops[0].args[0]))

static const char *const admin_error_codes[ADMIN_ERR_COUNT] = {
	[ADMIN_ERR_NONE] = "none",
	[ADMIN_ERR_BAD_JSON] = "bad_json",
	[ADMIN_ERR_NO_OP] = "no_op",
	[ADMIN_ERR_UNKNOWN_OP] = "unknown_op",
	[ADMIN_ERR_BAD_ARGUMENT] = "bad_argument",
	[ADMIN_ERR_LINE_TOO_LONG] = "line_too_long",
	[ADMIN_ERR_READ_ONLY] = "read_only",
	[ADMIN_ERR_TOO_MANY] = "too_many_consoles",
};

bool admin_op_is_action(enum admin_op op)
{
	return (unsigned)op < ADMIN_OP_COUNT && admin_ops[op].action;
}

const char *admin_op_name(enum admin_op op)
{
	return (unsigned)op < ADMIN_OP_COUNT ? admin_ops[op].name : "?";
}

const char *admin_error_code(enum admin_error err)
{
	return (unsigned)err < ADMIN_ERR_COUNT ? admin_error_codes[err] : "?";
}

/* ---- parsing -------------------------------------------------------------------- */

static void admin_set_default(struct admin_request *req, const struct admin_arg *a)
{
	void *field = (char *)req + a->offset;

	switch (a->type) {
	case ARG_BOOL:
		*(bool *)field = a->def != 0;
		break;
	case ARG_INT:
		*(int *)field = (int)a->def;
		break;
	case ARG_CONN:
		*(uint32_t *)field = 0;
		break;
	case ARG_TEXT:
		*(const char **)field = "";
		break;
	case ARG_LEVEL:
		*(enum log_level *)field = LOG_INFO;
		break;
	}
}

/* No control characters. (An escaped NUL never gets here: the parser refuses it.) */
static bool admin_text_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* Stores one argument's value; on a bad one explains in why and returns -1. */
static int admin_set_arg(struct admin_request *req, const struct admin_arg *a, json_t *v,
			 struct buf *why)
{
	void *field = (char *)req + a->offset;
	const char *op = admin_ops[req->op].name;

	switch (a->type) {
	case ARG_BOOL:
		if (!json_is_boolean(v))
			goto type;
		*(bool *)field = json_is_true(v);
		return 0;
	case ARG_INT:
	case ARG_CONN: {
		json_int_t x;
		long long lo = a->type == ARG_CONN ? 1 : a->min;
		long long hi = a->type == ARG_CONN ? UINT32_MAX : a->max;

		if (!json_is_integer(v))
			goto type;
		x = json_integer_value(v);
		if (x < lo || x > hi) {
			buf_printf(why, "%s: '%s' must be from %lld to %lld", op, a->name, lo, hi);
			return -1;
		}
		if (a->type == ARG_CONN)
			*(uint32_t *)field = (uint32_t)x;
		else
			*(int *)field = (int)x;
		return 0;
	}
	case ARG_TEXT: {
		size_t n;

		if (!json_is_string(v))
			goto type;
		n = json_string_length(v);
		if ((long)n < a->min || (long)n > a->max) {
			buf_printf(why, "%s: '%s' must be %ld to %ld bytes long", op, a->name,
				   a->min, a->max);
			return -1;
		}
		if (!admin_text_ok(json_string_value(v), n)) {
			buf_printf(why, "%s: '%s' must not hold control characters", op, a->name);
			return -1;
		}
		*(const char **)field = json_string_value(v);
		return 0;
	}
	case ARG_LEVEL: {
		int level = json_is_string(v) ? log_level_parse(json_string_value(v)) : -1;

		if (level < 0) {
			buf_printf(why, "%s: '%s' must be error, warn, info or debug", op, a->name);
			return -1;
		}
		*(enum log_level *)field = (enum log_level)level;
		return 0;
	}
	}
type:
	buf_printf(why, "%s: '%s' must be %s", op, a->name,
		   a->type == ARG_BOOL	 ? "true or false"
		   : a->type == ARG_TEXT ? "a string"
					 : "a whole number");
	return -1;
}

static const struct admin_arg *admin_find_arg(const struct admin_op_row *row, const char *key)
{
	for (size_t i = 0; i < ADMIN_ARGS_MAX && row->args[i].name; i++)
		if (strcmp(row->args[i].name, key) == 0)
			return &row->args[i];
	return NULL;
}

/* Lists the op names into why, for an unknown op. */
static void admin_list_ops(struct buf *why)
{
	for (size_t i = 0; i < ADMIN_OP_COUNT; i++)
		buf_printf(why, "%s%s", i ? ", " : "", admin_ops[i].name);
}

enum admin_error admin_request_parse(const char *line, size_t n, struct admin_request *req,
				     struct buf *why)
{
	const struct admin_op_row *row = NULL;
	json_error_t jerr;
	json_t *json, *opv, *v;
	const char *key, *opname;
	enum admin_error err = ADMIN_ERR_NONE;

	memset(req, 0, sizeof(*req));
	json = json_loadb(line, n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!json) {
		buf_printf(why, "not JSON: %s (column %d)", jerr.text, jerr.column);
		return ADMIN_ERR_BAD_JSON;
	}
	if (!json_is_object(json)) {
		buf_puts(why, "a request is one JSON object: {\"op\":\"...\"}");
		json_decref(json);
		return ADMIN_ERR_BAD_JSON;
	}
	v = json_object_get(json, "id");
	if (v && (json_is_integer(v) || (json_is_string(v) && json_string_length(v) <= 64)))
		req->id = json_incref(v);
	opv = json_object_get(json, "op");
	opname = json_string_value(opv);
	if (!opname) {
		buf_puts(why, "a request needs \"op\": a string naming what to do");
		err = ADMIN_ERR_NO_OP;
		goto fail;
	}
	for (size_t i = 0; i < ADMIN_OP_COUNT; i++)
		if (strcmp(admin_ops[i].name, opname) == 0)
			row = &admin_ops[i];
	if (!row) {
		buf_puts(why, "unknown op; the ops are ");
		admin_list_ops(why);
		err = ADMIN_ERR_UNKNOWN_OP;
		goto fail;
	}
	if (v && !req->id) {
		buf_puts(why, "'id' must be a whole number or a string of at most 64 bytes");
		err = ADMIN_ERR_BAD_ARGUMENT;
		goto fail;
	}
	req->op = (enum admin_op)(row - admin_ops);
	for (size_t i = 0; i < ADMIN_ARGS_MAX && row->args[i].name; i++)
		admin_set_default(req, &row->args[i]);
	json_object_foreach(json, key, v)
	{
		const struct admin_arg *a;

		if (strcmp(key, "op") == 0 || strcmp(key, "id") == 0)
			continue;
		a = admin_find_arg(row, key);
		if (!a) {
			buf_printf(why, "%s: no argument named '%s'", row->name, key);
			err = ADMIN_ERR_BAD_ARGUMENT;
			goto fail;
		}
		if (admin_set_arg(req, a, v, why) < 0) {
			err = ADMIN_ERR_BAD_ARGUMENT;
			goto fail;
		}
	}
	for (size_t i = 0; i < ADMIN_ARGS_MAX && row->args[i].name; i++) {
		if (row->args[i].required && !json_object_get(json, row->args[i].name)) {
			buf_printf(why, "%s: '%s' is required", row->name, row->args[i].name);
			err = ADMIN_ERR_BAD_ARGUMENT;
			goto fail;
		}
	}
	req->json = json;
	return ADMIN_ERR_NONE;
fail : {
	json_t *id = req->id;

	memset(req, 0, sizeof(*req));
	req->id = id;
}
	json_decref(json);
	return err;
}

void admin_request_fini(struct admin_request *req)
{
	json_decref(req->id);
	json_decref(req->json);
	memset(req, 0, sizeof(*req));
}

/* ---- messages ------------------------------------------------------------------- */

json_t *admin_msg_hello(const char *server_name, long pid, int64_t started_wall)
{
	json_t *ops = json_array();

	for (size_t i = 0; i < ADMIN_OP_COUNT; i++)
		json_array_append_new(ops, json_string(admin_ops[i].name));
	return json_pack("{s:s, s:i, s:s, s:I, s:I, s:o}", "type", "hello", "version",
			 ADMIN_PROTO_VERSION, "server", server_name, "pid", (json_int_t)pid,
			 "started", (json_int_t)started_wall, "ops", ops);
}

json_t *admin_msg_error(json_t *id, enum admin_error err, const char *why)
{
	json_t *m = json_pack("{s:s, s:s, s:s}", "type", "error", "code", admin_error_code(err),
			      "message", why ? why : "");

	if (id)
		json_object_set(m, "id", id);
	return m;
}

json_t *admin_msg_reply(json_t *id, enum admin_op op, bool ok, const char *text)
{
	json_t *m =
		json_pack("{s:s, s:s, s:b}", "type", "reply", "op", admin_op_name(op), "ok", ok);

	if (id)
		json_object_set(m, "id", id);
	if (text)
		json_object_set_new(m, ok ? "message" : "error", json_string(text));
	return m;
}

json_t *admin_msg_log(int64_t wall_ms, enum log_level level, const char *text)
{
	struct buf clean;
	json_t *m;

	buf_init(&clean, 0);
	utf8_repair(&clean, text, strlen(text));
	m = json_pack("{s:s, s:I, s:s, s:s%}", "type", "log", "ts", (json_int_t)wall_ms, "level",
		      log_level_name(level), "msg", buf_cstr(&clean), clean.len);
	buf_fini(&clean);
	return m;
}

static int admin_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

size_t admin_pulse_window(const struct stats *st, size_t last, uint32_t *p50, uint32_t *p99,
			  uint32_t *max)
{
	uint32_t sorted[STATS_PULSES];
	size_t n = last < st->pulse_n ? last : st->pulse_n;

	*p50 = *p99 = *max = 0;
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		sorted[i] = st->pulse_us[(st->pulse_head + STATS_PULSES - 1 - i) % STATS_PULSES];
	qsort(sorted, n, sizeof(sorted[0]), admin_cmp_u32);
	*p50 = sorted[(n - 1) / 2];
	*p99 = sorted[(n * 99 + 99) / 100 - 1];
	*max = sorted[n - 1];
	return n;
}

static json_t *admin_window(const struct stats *st, size_t last)
{
	uint32_t p50, p99, max;
	size_t n = admin_pulse_window(st, last, &p50, &p99, &max);

	return json_pack("{s:i, s:i, s:i, s:I}", "p50_us", (int)p50, "p99_us", (int)p99, "max_us",
			 (int)max, "n", (json_int_t)n);
}

json_t *admin_msg_pulse(const struct stats *st, size_t history_len)
{
	json_t *hmax = json_array(), *hpulses = json_array(), *hcmd = json_array();
	json_t *hin = json_array(), *hout = json_array();
	size_t n = history_len < st->hist_n ? history_len : st->hist_n;

	for (size_t i = n; i-- > 0;) {
		const struct stats_second *s = stats_history(st, i);

		json_array_append_new(hmax, json_integer(s->pulse_max_us));
		json_array_append_new(hpulses, json_integer(s->pulses));
		json_array_append_new(hcmd, json_integer(s->commands));
		json_array_append_new(hin, json_integer((json_int_t)s->bytes_in));
		json_array_append_new(hout, json_integer((json_int_t)s->bytes_out));
	}
	return json_pack("{s:i, s:I, s:I, s:I, s:{s:o, s:o}, s:{s:o, s:o, s:o, s:o, s:o}}",
			 "budget_us", STATS_BUDGET_US, "pulses", (json_int_t)st->pulses, "overruns",
			 (json_int_t)st->overruns, "max_ever_us", (json_int_t)st->pulse_max_us,
			 "windows", "10s", admin_window(st, 100), "60s",
			 admin_window(st, STATS_PULSES), "history", "pulse_max_us", hmax, "pulses",
			 hpulses, "commands", hcmd, "bytes_in", hin, "bytes_out", hout);
}

int admin_encode(struct buf *out, const json_t *msg)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	size_t n;
	int rc;

	if (!text)
		return -EINVAL;
	n = strlen(text);
	if (out->err || buf_room(out) < n + 1) {
		out->err = BUF_ERR_FULL;
		rc = BUF_ERR_FULL;
	} else {
		buf_append(out, text, n);
		rc = buf_putc(out, '\n');
	}
	free(text);
	return rc;
}
