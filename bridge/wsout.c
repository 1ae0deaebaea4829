/*
 * wsout.c: JSON for the browser. Text, prompts and the bridge's own
 * messages are written by hand straight into the caller's buffer (no
 * allocation per message); GMCP goes through jansson, since it has to be
 * parsed and reshaped anyway. Start at wsout_gmcp() for the GMCP mapping.
 */
#include "wsout.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "base/utf8.h"
#include "base/banned.h"

int64_t wsout_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void wsout_string(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;

	buf_putc(out, '"');
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t j = i;
		uint32_t cp;
		size_t len;

		/* Plain ASCII runs are copied at once. */
		while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x80 &&
		       s[j] != '"' && s[j] != '\\')
			j++;
		if (j > i) {
			buf_append(out, s + i, j - i);
			i = j;
			continue;
		}
		if (c == '"' || c == '\\') {
			char esc[2] = {'\\', (char)c};

			buf_append(out, esc, 2);
			i++;
		} else if (c == '\n') {
			buf_append(out, "\\n", 2);
			i++;
		} else if (c == '\t') {
			buf_append(out, "\\t", 2);
			i++;
		} else if (c < 0x20 || c == 0x7F) {
			char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

			buf_append(out, esc, 6);
			i++;
		} else {
			len = utf8_decode(s + i, n - i, &cp);
			if (len) {
				buf_append(out, s + i, len);
				i += len;
			} else {
				buf_append(out, "\xEF\xBF\xBD", 3);
				i++;
			}
		}
	}
	buf_putc(out, '"');
}

static void wsout_open(struct buf *out, const char *type)
{
	buf_puts(out, "{\"type\":\"");
	buf_puts(out, type);
	buf_putc(out, '"');
}

static void wsout_close(struct buf *out, int64_t ts)
{
	buf_printf(out, ",\"timestamp\":%lld}", (long long)ts);
}

static void wsout_data_text(struct buf *out, const char *type, const char *text, size_t n,
			    int64_t ts)
{
	wsout_open(out, type);
	buf_puts(out, ",\"data\":");
	wsout_string(out, text, n);
	wsout_close(out, ts);
}

void wsout_text(struct buf *out, const char *text, size_t n, int64_t ts)
{
	wsout_data_text(out, "text", text, n, ts);
}

void wsout_prompt(struct buf *out, const char *text, size_t n, int64_t ts)
{
	wsout_data_text(out, "prompt", text, n, ts);
}

void wsout_echo(struct buf *out, bool enabled, int64_t ts)
{
	wsout_open(out, "echo");
	buf_puts(out, enabled ? ",\"enabled\":true" : ",\"enabled\":false");
	wsout_close(out, ts);
}

void wsout_session(struct buf *out, const char *state, const char *token, int window_s,
		   const char *reason, int64_t ts)
{
	wsout_open(out, "session");
	buf_puts(out, ",\"state\":");
	wsout_string(out, state, strlen(state));
	if (token) {
		buf_puts(out, ",\"resume_token\":");
		wsout_string(out, token, strlen(token));
		buf_printf(out, ",\"resume_window_s\":%d", window_s);
	}
	if (reason) {
		buf_puts(out, ",\"reason\":");
		wsout_string(out, reason, strlen(reason));
	}
	wsout_close(out, ts);
}

void wsout_error(struct buf *out, const char *code, const char *message, int64_t ts)
{
	wsout_open(out, "error");
	buf_puts(out, ",\"code\":");
	wsout_string(out, code, strlen(code));
	buf_puts(out, ",\"message\":");
	wsout_string(out, message, strlen(message));
	wsout_close(out, ts);
}

/* ---- GMCP ---------------------------------------------------------------------- */

static const struct {
	const char *key, *name;
} wsout_directions[] = {
	{"n", "north"},	     {"e", "east"},	  {"s", "south"},      {"w", "west"},
	{"u", "up"},	     {"d", "down"},	  {"ne", "northeast"}, {"nw", "northwest"},
	{"se", "southeast"}, {"sw", "southwest"},
};

#define WSOUT_NDIRS (sizeof(wsout_directions) / sizeof(wsout_directions[0]))

const char *wsout_direction(const char *key)
{
	for (size_t i = 0; i < WSOUT_NDIRS; i++)
		if (!strcmp(key, wsout_directions[i].key) || !strcmp(key, wsout_directions[i].name))
			return wsout_directions[i].name;
	return key;
}

/* Channel name -> the verb shown in player_action (the channel itself if not listed). */
static const struct {
	const char *channel, *action;
} wsout_actions[] = {
	{"say", "says"},
	{"emote", "emotes"},
	{"tell", "tells"},
	{"chat", "chats"},
};

static int wsout_dump_cb(const char *buffer, size_t size, void *data)
{
	return buf_append(data, buffer, size) ? -1 : 0;
}

static void wsout_json(struct buf *out, const json_t *j)
{
	json_dump_callback(j, wsout_dump_cb, out, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Copies src[from] to dst[to], or def (a new reference) if missing or of the wrong type. */
static void wsout_copy(json_t *dst, const char *to, json_t *src, const char *from,
		       int (*is_type)(const json_t *), json_t *def)
{
	json_t *v = json_object_get(src, from);

	if (v && is_type(v)) {
		json_object_set(dst, to, v);
		json_decref(def);
	} else if (def) {
		json_object_set_new(dst, to, def);
	}
}

static int wsout_is_string(const json_t *j)
{
	return json_is_string(j);
}

static int wsout_is_array(const json_t *j)
{
	return json_is_array(j);
}

static int wsout_is_any(const json_t *j)
{
	(void)j;
	return 1;
}

/*
 * players (and players_more) for the browser. Room.Info lists the players
 * in the room, the one it went to included, up to a cap, and counts the
 * rest in players_more; the browser's panel shows the others, so the first
 * entry named self is left out, or, when self is not among those listed,
 * one fewer is counted.
 */
static void wsout_players(json_t *data, json_t *in, const char *self)
{
	json_t *list = json_object_get(in, "players"), *others, *v;
	json_int_t more = json_integer_value(json_object_get(in, "players_more"));
	bool skipped = false;
	size_t i;

	others = json_array();
	if (json_is_array(list)) {
		json_array_foreach(list, i, v)
		{
			if (self && !skipped && json_is_string(v) &&
			    !strcmp(json_string_value(v), self))
				skipped = true;
			else
				json_array_append(others, v);
		}
	}
	if (self && !skipped && more > 0)
		more--;
	json_object_set_new(data, "players", others);
	if (more > 0)
		json_object_set_new(data, "players_more", json_integer(more));
}

static json_t *wsout_room(json_t *in, const char *self)
{
	json_t *data = json_object();
	json_t *exits = json_array(), *rooms = json_object();
	json_t *in_exits = json_object_get(in, "exits");
	const char *key;
	json_t *value;

	wsout_copy(data, "room_id", in, "num", wsout_is_any, json_null());
	wsout_copy(data, "name", in, "name", wsout_is_string, json_string(""));
	wsout_copy(data, "description", in, "desc", wsout_is_string, json_string(""));
	wsout_copy(data, "area", in, "area", wsout_is_string, NULL);
	wsout_copy(data, "environment", in, "environment", wsout_is_string, NULL);
	wsout_copy(data, "coords", in, "coords", wsout_is_string, NULL);
	if (json_is_object(in_exits)) {
		/* The usual directions first, in compass order, then the rest. */
		for (size_t i = 0; i < WSOUT_NDIRS; i++) {
			value = json_object_get(in_exits, wsout_directions[i].key);
			if (!value)
				continue;
			json_array_append_new(exits, json_string(wsout_directions[i].name));
			json_object_set(rooms, wsout_directions[i].name, value);
		}
		json_object_foreach(in_exits, key, value)
		{
			const char *name = wsout_direction(key);

			if (name != key)
				continue;
			json_array_append_new(exits, json_string(key));
			json_object_set(rooms, key, value);
		}
	}
	json_object_set_new(data, "exits", exits);
	json_object_set_new(data, "exit_rooms", rooms);
	wsout_players(data, in, self);
	wsout_copy(data, "items", in, "items", wsout_is_array, json_array());
	return data;
}

static json_t *wsout_broadcast(json_t *in)
{
	json_t *data = json_object();
	const char *channel = json_string_value(json_object_get(in, "channel"));
	const char *action = channel ? channel : "";

	for (size_t i = 0; channel && i < sizeof(wsout_actions) / sizeof(wsout_actions[0]); i++)
		if (!strcmp(channel, wsout_actions[i].channel))
			action = wsout_actions[i].action;
	wsout_copy(data, "player_name", in, "talker", wsout_is_string, json_string(""));
	json_object_set_new(data, "action", json_string(action));
	wsout_copy(data, "message", in, "message", wsout_is_string, json_string(""));
	wsout_copy(data, "channel", in, "channel", wsout_is_string, json_string(""));
	wsout_copy(data, "text", in, "text", wsout_is_string, json_string(""));
	return data;
}

int wsout_gmcp(struct buf *out, const char *package, const char *json, size_t n, int64_t ts)
{
	return wsout_gmcp_for(out, package, json, n, NULL, ts);
}

/* Appends wsout_gmcp_for()'s message but its timestamp; the kind, or -1 (nothing appended). */
static int wsout_gmcp_body(struct buf *out, const char *package, const char *json, size_t n,
			   const char *self)
{
	json_t *in = NULL, *data;
	json_error_t err;
	int kind = WSOUT_GMCP;

	if (n) {
		in = json_loadb(json, n, JSON_DECODE_ANY, &err);
		if (!in)
			return -1;
	}
	if (json_is_object(in) && !strcasecmp(package, "Room.Info")) {
		kind = WSOUT_ROOM;
		data = wsout_room(in, self);
		wsout_open(out, "update");
		buf_puts(out, ",\"event\":\"room_description\",\"data\":");
	} else if (json_is_object(in) && !strcasecmp(package, "Char.Vitals")) {
		kind = WSOUT_VITALS;
		data = json_incref(in);
		wsout_open(out, "update");
		buf_puts(out, ",\"event\":\"vitals\",\"data\":");
	} else if (json_is_object(in) && !strcasecmp(package, "Comm.Channel.Text")) {
		kind = WSOUT_BROADCAST;
		data = wsout_broadcast(in);
		wsout_open(out, "broadcast");
		buf_puts(out, ",\"event\":\"player_action\",\"data\":");
	} else {
		data = in ? json_incref(in) : json_null();
		wsout_open(out, "gmcp");
		buf_puts(out, ",\"package\":");
		wsout_string(out, package, strlen(package));
		buf_puts(out, ",\"data\":");
	}
	wsout_json(out, data);
	json_decref(data);
	json_decref(in);
	return kind;
}

int wsout_gmcp_for(struct buf *out, const char *package, const char *json, size_t n,
		   const char *self, int64_t ts)
{
	int kind = wsout_gmcp_body(out, package, json, n, self);

	if (kind >= 0)
		wsout_close(out, ts);
	return kind;
}

/* ---- the memo --------------------------------------------------------------- */

void wsout_memo_init(struct wsout_memo *m)
{
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < WSOUT_MEMO_SLOTS; i++) {
		buf_init(&m->slot[i].key, WSOUT_MEMO_KEEP);
		/* Escaping makes a translation longer than its JSON, never by more than 6x. */
		buf_init(&m->slot[i].body, WSOUT_MEMO_KEEP * 6 + 1024);
	}
}

void wsout_memo_fini(struct wsout_memo *m)
{
	for (size_t i = 0; i < WSOUT_MEMO_SLOTS; i++) {
		buf_fini(&m->slot[i].key);
		buf_fini(&m->slot[i].body);
	}
}

/* The key's layout: package, NUL, the reader's tag and name, NUL, the JSON. */
static bool wsout_memo_match(const struct buf *key, const char *package, size_t plen, char tag,
			     const char *name, size_t nlen, const char *json, size_t n)
{
	const char *k = key->data;

	return key->len == plen + 2 + nlen + 1 + n && memcmp(k, package, plen + 1) == 0 &&
	       k[plen + 1] == tag && memcmp(k + plen + 2, name, nlen) == 0 &&
	       k[plen + 2 + nlen] == '\0' && memcmp(k + plen + 3 + nlen, json, n) == 0;
}

/*
 * Which readers share a translation. Only Room.Info depends on its reader
 * (wsout_players() leaves the reader out of the players listed), and then
 * only if the reader is among them: everyone else in a crowded room gets
 * the same message. A name of letters and digits is written one way in
 * JSON, so not finding it quoted in the text means it is not listed; any
 * other name, or one found anywhere in the text, gets its own translation.
 * Tags: '-' no reader (or not Room.Info), '~' a reader not listed, '='
 * this reader (the name follows).
 */
static char wsout_memo_reader(const char *package, const char *json, size_t n, const char *self)
{
	char quoted[WSOUT_MEMO_NAME + 2];
	size_t len;

	if (!self || strcasecmp(package, "Room.Info") != 0)
		return '-';
	len = strlen(self);
	if (len == 0 || len > WSOUT_MEMO_NAME)
		return '=';
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)self[i]))
			return '=';
	quoted[0] = '"';
	memcpy(quoted + 1, self, len);
	quoted[len + 1] = '"';
	for (size_t i = 0; i + len + 2 <= n; i++)
		if (json[i] == '"' && memcmp(json + i, quoted, len + 2) == 0)
			return '=';
	return '~';
}

int wsout_gmcp_memo(struct wsout_memo *m, struct buf *out, const char *package, const char *json,
		    size_t n, const char *self, int64_t ts)
{
	char tag = wsout_memo_reader(package, json, n, self);
	const char *name = tag == '=' ? self : "";
	size_t plen = strlen(package), nlen = strlen(name), start = out->len;
	struct wsout_memo_slot *victim = &m->slot[0];
	int kind;

	if (plen + 2 + nlen + 1 + n > WSOUT_MEMO_KEEP)
		return wsout_gmcp_for(out, package, json, n, self, ts);
	m->clock++;
	for (size_t i = 0; i < WSOUT_MEMO_SLOTS; i++) {
		struct wsout_memo_slot *sl = &m->slot[i];

		if (sl->used &&
		    wsout_memo_match(&sl->key, package, plen, tag, name, nlen, json, n)) {
			sl->used = m->clock;
			m->hits++;
			buf_append(out, sl->body.data, sl->body.len);
			wsout_close(out, ts);
			return sl->kind;
		}
		if (sl->used < victim->used)
			victim = sl;
	}
	m->misses++;
	kind = wsout_gmcp_body(out, package, json, n, self);
	if (kind < 0)
		return kind;
	buf_clear(&victim->key);
	buf_append(&victim->key, package, plen + 1);
	buf_putc(&victim->key, tag);
	buf_append(&victim->key, name, nlen + 1);
	buf_append(&victim->key, json, n);
	buf_clear(&victim->body);
	buf_append(&victim->body, out->data + start, out->len - start);
	victim->kind = kind;
	/* A slot whose buffers hit their caps is left empty, never half-kept. */
	victim->used = victim->key.err || victim->body.err ? 0 : m->clock;
	if (!victim->used) {
		buf_clear(&victim->key);
		buf_clear(&victim->body);
	}
	wsout_close(out, ts);
	return kind;
}
