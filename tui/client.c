/*
 * client.c: the admin socket client. See client.h.
 *
 * Start at client_tick() (connect, retry, hello timeout) and client_feed()
 * (bytes -> lines -> JSON -> client_types[] by "type" -> events). Writing
 * is non-blocking with MSG_NOSIGNAL; anything unexpected from the socket
 * (EOF, an error, a bad version) ends the connection and schedules a retry.
 */
#include "client.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/lines.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* A snapshot of thousands of connections is one long line. */
#define CLIENT_LINE_MAX	    ((size_t)32 << 20)
#define CLIENT_OUT_MAX	    ((size_t)256 * 1024)
#define CLIENT_HELLO_MS	    3000
#define CLIENT_RETRY_MIN_MS 500
#define CLIENT_RETRY_MAX_MS 2000

struct client {
	struct client_config cfg;
	char *path, *name;
	struct client_events ev;
	void *ud;
	int fd;
	enum client_state state;
	struct lines in;
	struct buf out;
	size_t out_off;
	int64_t next_id;
	int64_t retry_at_ms; /* offline: when to try again (0: now) */
	int retry_ms;	     /* the current backoff */
	int64_t hello_by_ms; /* waiting: give up after this */
	int64_t last_msg_ms;
	struct buf error; /* why offline */
	bool closing;	  /* set while feeding: close when done */
};

/* ---- state -------------------------------------------------------------------------- */

static void client_set_state(struct client *c, enum client_state st, const char *why)
{
	c->state = st;
	if (c->ev.state)
		c->ev.state(c->ud, st, why ? why : "");
}

/* Ends the connection; a retry follows after the backoff. */
static void client_close(struct client *c, const char *why)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	lines_reset(&c->in);
	buf_clear(&c->out);
	c->out_off = 0;
	if (why != buf_cstr(&c->error)) {
		buf_clear(&c->error);
		buf_puts(&c->error, why);
	}
	c->retry_at_ms = clock_mono_ms() + c->retry_ms;
	c->retry_ms = c->retry_ms * 2 > CLIENT_RETRY_MAX_MS ? CLIENT_RETRY_MAX_MS : c->retry_ms * 2;
	if (c->state != CLIENT_OFFLINE)
		client_set_state(c, CLIENT_OFFLINE, why);
}

/* ---- requests ----------------------------------------------------------------------- */

static int64_t client_queue(struct client *c, json_t *req)
{
	char *text;
	size_t n;
	int64_t id = ++c->next_id;

	json_object_set_new(req, "id", json_integer(id));
	text = json_dumps(req, JSON_COMPACT);
	json_object_del(req, "id");
	if (!text)
		return -1;
	n = strlen(text);
	if (buf_room(&c->out) < n + 1) {
		free(text);
		return -1;
	}
	buf_append(&c->out, text, n);
	buf_putc(&c->out, '\n');
	free(text);
	return id;
}

int64_t client_request(struct client *c, json_t *req)
{
	if (c->state != CLIENT_READY || !json_is_object(req))
		return -1;
	return client_queue(c, req);
}

static void client_send_subscription(struct client *c)
{
	json_t *req;

	if (!c->cfg.stats && !c->cfg.log && !c->cfg.conns)
		req = json_pack("{s:s}", "op", "unsubscribe");
	else
		req = json_pack("{s:s, s:b, s:b, s:b, s:i}", "op", "subscribe", "stats",
				c->cfg.stats, "log", c->cfg.log, "conns", c->cfg.conns, "interval",
				c->cfg.interval);
	client_queue(c, req);
	json_decref(req);
}

void client_subscribe(struct client *c, bool stats, bool log, bool conns, int interval)
{
	c->cfg.stats = stats;
	c->cfg.log = log;
	c->cfg.conns = conns;
	c->cfg.interval = interval < 1 ? 1 : interval;
	if (c->state == CLIENT_READY)
		client_send_subscription(c);
}

/* ---- decoding ----------------------------------------------------------------------- */

/*
 * An integer field, or 0. A real is truncated; one past json_int_t's range
 * (the server never sends one, a stream can) is clamped, and NaN is 0:
 * converting either would be undefined.
 */
static json_int_t client_int(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_real(v)) {
		double d = json_real_value(v);

		if (isnan(d))
			return 0;
		if (d >= 0x1p63)
			return LLONG_MAX;
		if (d <= -0x1p63)
			return LLONG_MIN;
		return (json_int_t)d;
	}
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

static char *client_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return xstrdup(s ? s : "");
}

/* A string field, or "" (borrowed). */
static const char *client_cstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static bool client_bool(json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

static void client_decode_row(json_t *o, struct conn_row *r)
{
	json_t *caps = json_object_get(o, "caps");
	json_t *ratio = json_object_get(caps, "mccp_ratio");

	r->id = (uint32_t)client_int(o, "id");
	r->name = client_str(o, "name");
	r->state = client_str(o, "state");
	r->addr = client_str(o, "addr");
	r->kind = client_str(o, "kind");
	r->client = client_str(o, "client");
	r->connected_s = client_int(o, "connected_s");
	r->idle_s = client_int(o, "idle_s");
	r->bytes_in = (uint64_t)client_int(o, "bytes_in");
	r->bytes_out = (uint64_t)client_int(o, "bytes_out");
	r->in_rate = (uint64_t)client_int(o, "in_rate");
	r->out_rate = (uint64_t)client_int(o, "out_rate");
	r->queued = (uint64_t)client_int(o, "queued");
	r->color = client_str(caps, "color");
	r->charset = client_str(caps, "charset");
	r->cols = (int)client_int(caps, "cols");
	r->rows = (int)client_int(caps, "rows");
	r->mccp = client_bool(caps, "mccp");
	r->gmcp = client_bool(caps, "gmcp");
	r->mccp_ratio = json_is_number(ratio) ? json_number_value(ratio) : 1.0;
	r->mtts = (unsigned)client_int(caps, "mtts");
}

static void client_decode_areas(json_t *arr, struct snap *s)
{
	size_t n = json_array_size(arr);

	if (!n)
		return;
	s->areas = xcalloc(n, sizeof(*s->areas));
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, i);
		struct area_mem *a = &s->areas[s->nareas++];

		a->area = client_str(o, "area");
		a->used = client_int(o, "used");
		a->peak = client_int(o, "peak");
		a->limit = client_int(o, "limit");
		a->entries = (uint64_t)client_int(o, "entries");
		a->errors = (uint64_t)client_int(o, "errors");
		a->stopped = (uint64_t)client_int(o, "stopped");
	}
}

/* Copies up to SNAP_HISTORY numbers of a history array, the newest last. */
static size_t client_history(json_t *arr, uint64_t *out64, uint32_t *out32)
{
	size_t n = json_array_size(arr), skip = n > SNAP_HISTORY ? n - SNAP_HISTORY : 0;

	for (size_t i = skip; i < n; i++) {
		json_t *v = json_array_get(arr, i);
		json_int_t x = json_is_integer(v) ? json_integer_value(v) : 0;

		if (out64)
			out64[i - skip] = (uint64_t)x;
		else
			out32[i - skip] = (uint32_t)x;
	}
	return n - skip;
}

int client_decode_snap(json_t *msg, struct snap *s)
{
	json_t *o, *pulse, *w10, *w60, *hist, *conns, *cd;

	memset(s, 0, sizeof(*s));
	if (strcmp(client_cstr(msg, "type"), "stats") != 0)
		return -1;
	s->ts_ms = client_int(msg, "ts");
	s->uptime_s = client_int(msg, "uptime_s");
	s->server = client_str(msg, "server");
	o = json_object_get(msg, "players");
	s->players = (unsigned)client_int(o, "total");
	s->players_telnet = (unsigned)client_int(o, "telnet");
	s->players_web = (unsigned)client_int(o, "web");
	s->players_linkdead = (unsigned)client_int(o, "linkdead");
	o = json_object_get(msg, "connections");
	s->conns_total = (unsigned)client_int(o, "total");
	s->conns_telnet = (unsigned)client_int(o, "telnet");
	s->conns_web = (unsigned)client_int(o, "web");
	s->conns_login = (unsigned)client_int(o, "login");
	pulse = json_object_get(msg, "pulse");
	s->budget_us = (uint32_t)client_int(pulse, "budget_us");
	s->pulses = (uint64_t)client_int(pulse, "pulses");
	s->overruns = (uint64_t)client_int(pulse, "overruns");
	s->max_ever_us = (uint32_t)client_int(pulse, "max_ever_us");
	w10 = json_object_get(json_object_get(pulse, "windows"), "10s");
	w60 = json_object_get(json_object_get(pulse, "windows"), "60s");
	s->p50_10s = (uint32_t)client_int(w10, "p50_us");
	s->p99_10s = (uint32_t)client_int(w10, "p99_us");
	s->max_10s = (uint32_t)client_int(w10, "max_us");
	s->p50_60s = (uint32_t)client_int(w60, "p50_us");
	s->p99_60s = (uint32_t)client_int(w60, "p99_us");
	s->max_60s = (uint32_t)client_int(w60, "max_us");
	hist = json_object_get(pulse, "history");
	s->hist_n = client_history(json_object_get(hist, "pulse_max_us"), NULL, s->hist_pulse_max);
	/* The other series are read to the same length, so index i is one second in
	 * all. */
	client_history(json_object_get(hist, "commands"), NULL, s->hist_commands);
	client_history(json_object_get(hist, "bytes_in"), s->hist_in, NULL);
	client_history(json_object_get(hist, "bytes_out"), s->hist_out, NULL);
	o = json_object_get(msg, "rates");
	s->cmds_s = (uint64_t)client_int(o, "commands");
	s->in_s = (uint64_t)client_int(o, "bytes_in");
	s->out_s = (uint64_t)client_int(o, "bytes_out");
	o = json_object_get(msg, "memory");
	s->rss_kb = client_int(o, "rss_kb");
	s->hwm_kb = client_int(o, "hwm_kb");
	s->lua_bytes = client_int(o, "lua_bytes");
	client_decode_areas(json_object_get(o, "lua"), s);
	o = json_object_get(msg, "db");
	s->db_last_save = client_int(o, "last_save");
	s->db_saves_ok = client_int(o, "saves_ok");
	s->db_saves_failed = client_int(o, "saves_failed");
	s->db_errors = client_int(o, "errors");
	s->db_last_error_at = client_int(o, "last_error_at");
	s->db_last_error = client_str(o, "last_error");
	s->autosave_s = (int)client_int(o, "autosave_s");
	o = json_object_get(msg, "state");
	s->wizlock = client_bool(o, "wizlock");
	s->log_level = client_str(o, "log_level");
	cd = json_object_get(o, "countdown");
	if (json_is_object(cd)) {
		s->countdown = true;
		s->countdown_reboot = client_bool(cd, "reboot");
		s->countdown_left_s = client_int(cd, "left_s");
	}
	o = json_object_get(msg, "admin");
	s->consoles = (unsigned)client_int(o, "consoles");
	s->admin_cost_us = client_int(o, "cost_us");
	s->admin_cost_max_us = client_int(o, "cost_max_us");
	conns = json_object_get(msg, "conns");
	if (json_is_array(conns)) {
		s->has_conns = true;
		s->nconns = json_array_size(conns);
		s->conns = xcalloc(s->nconns + 1, sizeof(*s->conns));
		for (size_t i = 0; i < s->nconns; i++)
			client_decode_row(json_array_get(conns, i), &s->conns[i]);
	}
	return 0;
}

/* ---- messages by type --------------------------------------------------------------- */

static void client_on_hello(struct client *c, json_t *msg)
{
	json_int_t version = client_int(msg, "version");
	json_t *hello;

	if (c->state != CLIENT_WAITING)
		return;
	if (version != CLIENT_PROTO_VERSION) {
		struct buf why;

		buf_init(&why, 256);
		buf_printf(&why,
			   "the server speaks admin protocol version %lld; this console speaks %d",
			   (long long)version, CLIENT_PROTO_VERSION);
		c->closing = true;
		buf_clear(&c->error);
		buf_puts(&c->error, buf_cstr(&why));
		buf_fini(&why);
		return;
	}
	hello = json_pack("{s:s, s:s, s:b}", "op", "hello", "client", c->name, "readonly",
			  c->cfg.readonly);
	client_queue(c, hello);
	json_decref(hello);
	client_send_subscription(c);
	c->retry_ms = CLIENT_RETRY_MIN_MS;
	client_set_state(c, CLIENT_READY, "");
}

static void client_on_stats(struct client *c, json_t *msg)
{
	struct snap s;

	if (client_decode_snap(msg, &s) < 0)
		return;
	if (c->ev.stats)
		c->ev.stats(c->ud, &s);
	snap_fini(&s);
}

static void client_on_log(struct client *c, json_t *msg)
{
	const char *level = json_string_value(json_object_get(msg, "level"));
	const char *text = json_string_value(json_object_get(msg, "msg"));
	int lv = level ? model_level_parse(level) : -1;

	if (c->ev.log && text)
		c->ev.log(c->ud, client_int(msg, "ts"), lv < 0 ? 2 : lv, text);
}

static void client_on_reply(struct client *c, json_t *msg)
{
	struct client_reply r = {0};

	r.error = strcmp(client_cstr(msg, "type"), "error") == 0;
	r.ok = !r.error && json_is_true(json_object_get(msg, "ok"));
	r.id = client_int(msg, "id");
	r.op = client_cstr(msg, "op");
	r.code = client_cstr(msg, "code");
	r.text = client_cstr(msg, r.error || r.ok ? "message" : "error");
	if (c->ev.reply)
		c->ev.reply(c->ud, &r);
}

static void client_on_conn(struct client *c, json_t *msg)
{
	json_t *conn = json_object_get(msg, "conn");

	if (c->ev.conn && json_is_object(conn))
		c->ev.conn(c->ud, conn);
}

static const struct {
	const char *type;
	void (*fn)(struct client *c, json_t *msg);
} client_types[] = {
	{"hello", client_on_hello}, {"stats", client_on_stats}, {"log", client_on_log},
	{"reply", client_on_reply}, {"error", client_on_reply}, {"conn", client_on_conn},
};

static void client_line(void *ud, const char *line, size_t n)
{
	struct client *c = ud;
	json_t *msg = json_loadb(line, n, 0, NULL);
	const char *type = json_string_value(json_object_get(msg, "type"));

	c->last_msg_ms = clock_mono_ms();
	/* Before the hello only a hello counts: anything else is not our server. */
	if (type && (c->state == CLIENT_READY || strcmp(type, "hello") == 0)) {
		for (size_t i = 0; i < sizeof(client_types) / sizeof(client_types[0]); i++)
			if (strcmp(client_types[i].type, type) == 0)
				client_types[i].fn(c, msg);
	}
	json_decref(msg);
}

static void client_overlong(void *ud, size_t max)
{
	struct client *c = ud;
	struct client_reply r = {.error = true,
				 .op = "",
				 .code = "line_too_long",
				 .text = "a message from the server was too long and was skipped"};

	(void)max;
	if (c->ev.reply)
		c->ev.reply(c->ud, &r);
}

void client_feed(struct client *c, const char *bytes, size_t n)
{
	lines_feed(&c->in, bytes, n, client_line, client_overlong, c);
	if (c->closing) {
		/* Closed here, not inside lines_feed, which owns the line being read. */
		c->closing = false;
		client_close(c, buf_cstr(&c->error));
	}
}

/* ---- the socket --------------------------------------------------------------------- */

struct client *client_new(const struct client_config *cfg, const struct client_events *ev, void *ud)
{
	struct client *c = xcalloc(1, sizeof(*c));

	c->cfg = *cfg;
	c->path = xstrdup(cfg->path);
	c->name = xstrdup(cfg->name ? cfg->name : "ruin-console");
	c->cfg.path = c->path;
	c->cfg.name = c->name;
	if (c->cfg.interval < 1)
		c->cfg.interval = 1;
	if (ev)
		c->ev = *ev;
	c->ud = ud;
	c->fd = -1;
	c->retry_ms = CLIENT_RETRY_MIN_MS;
	lines_init(&c->in, CLIENT_LINE_MAX);
	buf_init(&c->out, CLIENT_OUT_MAX);
	buf_init(&c->error, 1024);
	return c;
}

void client_free(struct client *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	lines_fini(&c->in);
	buf_fini(&c->out);
	buf_fini(&c->error);
	free(c->path);
	free(c->name);
	free(c);
}

int client_fd(const struct client *c)
{
	return c->fd;
}

enum client_state client_state(const struct client *c)
{
	return c->state;
}

const char *client_error(const struct client *c)
{
	return buf_cstr(&c->error);
}

int64_t client_last_message_ms(const struct client *c)
{
	return c->last_msg_ms;
}

const struct buf *client_pending(const struct client *c)
{
	return &c->out;
}

short client_poll_events(const struct client *c)
{
	if (c->fd < 0)
		return 0;
	return (short)(POLLIN | (c->out_off < c->out.len ? POLLOUT : 0));
}

void client_attach(struct client *c, int fd, int64_t now_ms)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	c->fd = fd;
	c->hello_by_ms = now_ms + CLIENT_HELLO_MS;
	lines_reset(&c->in);
	buf_clear(&c->out);
	c->out_off = 0;
	client_set_state(c, CLIENT_WAITING, "");
}

static void client_connect(struct client *c, int64_t now_ms)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (str_copy(sa.sun_path, sizeof(sa.sun_path), c->path) < 0) {
		client_close(c, "the socket path is too long");
		return;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		client_close(c, strerror(errno));
		return;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS) {
		int err = errno;
		struct buf why;

		close(fd);
		buf_init(&why, 1024);
		buf_printf(&why, "%s: %s", c->path,
			   err == ENOENT	 ? "no such socket (is the server running?)"
			   : err == ECONNREFUSED ? "connection refused (server not running?)"
			   : err == EACCES	 ? "permission denied (the socket is mode 0600)"
						 : strerror(err));
		client_close(c, buf_cstr(&why));
		buf_fini(&why);
		return;
	}
	client_attach(c, fd, now_ms);
}

int client_tick(struct client *c, int64_t now_ms)
{
	if (c->state == CLIENT_OFFLINE) {
		if (now_ms >= c->retry_at_ms)
			client_connect(c, now_ms);
		if (c->state == CLIENT_OFFLINE)
			return (int)(c->retry_at_ms - now_ms > 0 ? c->retry_at_ms - now_ms : 0);
	}
	if (c->state == CLIENT_WAITING) {
		if (now_ms >= c->hello_by_ms) {
			client_close(c, "the server sent no hello");
			return c->retry_ms;
		}
		return (int)(c->hello_by_ms - now_ms);
	}
	return 1000;
}

static void client_write(struct client *c)
{
	while (c->out_off < c->out.len) {
		ssize_t n = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				client_close(c, strerror(errno));
			return;
		}
		c->out_off += (size_t)n;
	}
	buf_clear(&c->out);
	c->out_off = 0;
}

void client_io(struct client *c, short revents)
{
	char chunk[65536];

	if (c->fd < 0)
		return;
	if (revents & POLLOUT)
		client_write(c);
	if (c->fd >= 0 && (revents & (POLLIN | POLLHUP | POLLERR))) {
		for (int pass = 0; pass < 64 && c->fd >= 0; pass++) {
			ssize_t n = read(c->fd, chunk, sizeof(chunk));

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				break;
			if (n <= 0) {
				client_close(c, n == 0 ? "the server closed the connection"
						       : strerror(errno));
				break;
			}
			client_feed(c, chunk, (size_t)n);
		}
	}
	/* Replies to what we just read go out now rather than after the next poll. */
	if (c->fd >= 0 && c->out_off < c->out.len)
		client_write(c);
}
