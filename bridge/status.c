/*
 * status.c: the bridge's counters as one JSON object, and the GET /status
 * endpoint that serves them to status_allow (the admin console reads it).
 * docs/protocol.md, "Status", lists the fields.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "wsout.h"
#include "base/banned.h"

/* The most a /status answer may hold. */
#define STATUS_LIMIT ((size_t)16 << 20)

static void status_counters(struct buf *out, const struct counters *c)
{
	buf_printf(out,
		   "\"bytes_from_server\":%llu,\"bytes_to_server\":%llu,"
		   "\"bytes_to_browser\":%llu,\"bytes_from_browser\":%llu,"
		   "\"messages_to_browser\":%llu,\"messages_from_browser\":%llu,"
		   "\"errors\":%llu,\"rate_limited\":%llu,\"output_lost\":%llu,"
		   "\"gmcp_repeats\":%llu",
		   (unsigned long long)c->bytes_from_server, (unsigned long long)c->bytes_to_server,
		   (unsigned long long)c->bytes_to_browser,
		   (unsigned long long)c->bytes_from_browser,
		   (unsigned long long)c->msgs_to_browser, (unsigned long long)c->msgs_from_browser,
		   (unsigned long long)c->errors, (unsigned long long)c->rate_limited,
		   (unsigned long long)c->output_lost, (unsigned long long)c->gmcp_repeats);
}

static const char *status_state(const struct session *s)
{
	switch (s->state) {
	case SESSION_CONNECTING:
		return "connecting";
	case SESSION_PLAYING:
		return s->ws ? "playing" : "away";
	case SESSION_LOST:
		return "closing";
	}
	return "unknown";
}

static void status_session(struct buf *out, const struct session *s, int64_t now)
{
	buf_printf(out, "{\"id\":%u,\"address\":", s->id);
	wsout_string(out, s->addr, strlen(s->addr));
	buf_puts(out, ",\"browser\":");
	wsout_string(out, s->browser, strlen(s->browser));
	buf_printf(out,
		   ",\"state\":\"%s\",\"tls\":%s,\"age_s\":%lld,\"away_s\":%lld,\"paused\":%s,"
		   "\"pending_output\":%zu,\"memory\":%zu,",
		   status_state(s), s->tls ? "true" : "false",
		   (long long)((now - s->started_ms) / 1000),
		   (long long)(s->detached_ms ? (now - s->detached_ms) / 1000 : 0),
		   s->paused_ms ? "true" : "false", s->out.bytes + s->ctl.bytes, session_memory(s));
	status_counters(out, &s->c);
	buf_putc(out, '}');
}

void status_json(const struct bridge *br, struct buf *out)
{
	int64_t now = bridge_now_ms();
	size_t attached = 0, away = 0, pending = 0, memory = 0;
	const struct bridge_totals *t = &br->totals;
	bool first = true;

	DLIST_FOREACH(&br->sessions, it)
	{
		const struct session *s = dlist_entry(it, struct session, link);

		if (s->ws)
			attached++;
		else
			away++;
		pending += s->out.bytes + s->ctl.bytes;
		memory += session_memory(s);
	}
	buf_printf(out,
		   "{\"program\":\"ruin-bridge\",\"version\":\"%s\",\"uptime_s\":%lld,"
		   "\"timestamp\":%lld,\"sessions\":%zu,\"attached\":%zu,\"away\":%zu,"
		   "\"pending_output\":%zu,\"session_memory\":%zu,\"totals\":{",
		   BRIDGE_VERSION, (long long)((wsout_now_ms() - br->started_ms) / 1000),
		   (long long)wsout_now_ms(), br->sessions.count, attached, away, pending, memory);
	buf_printf(out,
		   "\"sessions\":%llu,\"resumes\":%llu,\"resume_failed\":%llu,"
		   "\"upstream_failed\":%llu,\"dropped_slow\":%llu,\"refused_origin\":%llu,"
		   "\"refused_limit\":%llu,\"refused_path\":%llu,\"deferred\":%llu,",
		   (unsigned long long)t->sessions, (unsigned long long)t->resumes,
		   (unsigned long long)t->resume_failed, (unsigned long long)t->upstream_failed,
		   (unsigned long long)t->dropped_slow, (unsigned long long)t->refused_origin,
		   (unsigned long long)t->refused_limit, (unsigned long long)t->refused_path,
		   (unsigned long long)t->deferred);
	status_counters(out, &t->c);
	buf_puts(out, "},\"list\":[");
	DLIST_FOREACH(&br->sessions, it)
	{
		if (!first)
			buf_putc(out, ',');
		first = false;
		status_session(out, dlist_entry(it, struct session, link), now);
	}
	buf_puts(out, "]}");
}

/* ---- GET /status ------------------------------------------------------------------ */

/*
 * Who the request is for: the socket's peer, or behind a trusted proxy the
 * address it forwards. -1 when that cannot be known: X-Forwarded-For from
 * a peer not trusted as a proxy (a proxy we were not told about sent it),
 * or one that does not parse or is longer than we read.
 */
static int status_client(struct bridge *br, struct lws *wsi, char addr[PEER_ADDR_MAX])
{
	char xff[4096];
	unsigned port;

	if (bridge_sock_addr(lws_get_socket_fd(wsi), false, addr, &port) < 0)
		return -1;
	if (lws_hdr_total_length(wsi, WSI_TOKEN_X_FORWARDED_FOR) == 0)
		return 0;
	if (!peer_nets_match(&br->trusted, addr) ||
	    lws_hdr_copy(wsi, xff, sizeof(xff), WSI_TOKEN_X_FORWARDED_FOR) < 0)
		return -1;
	return peer_forwarded_for(xff, addr) == 0 ? 0 : -1;
}

static int status_start(struct bridge *br, struct lws *wsi, struct status_pss *pss)
{
	unsigned char head[LWS_PRE + 1024], *start = head + LWS_PRE, *p = start,
					    *end = head + sizeof(head) - 1;
	char addr[PEER_ADDR_MAX], uri[16];
	struct buf body;

	/* lws gives this mount /status/anything and /statusanything too. */
	if (lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) < 0 ||
	    strcmp(uri, "/status") != 0) {
		lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL);
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	}
	/* Through a reverse proxy, the one asking is the one it forwards. */
	if (status_client(br, wsi, addr) < 0 || !peer_nets_match(&br->status_allow, addr)) {
		lws_return_http_status(wsi, HTTP_STATUS_FORBIDDEN, "not for you");
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	}
	buf_init(&body, STATUS_LIMIT);
	status_json(br, &body);
	buf_putc(&body, '\n');
	pss->len = body.len;
	pss->sent = 0;
	pss->body = buf_steal(&body);
	buf_fini(&body);
	if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "application/json", pss->len, &p,
					end) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	lws_callback_on_writable(wsi);
	return 0;
}

int status_http_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		   size_t len)
{
	struct status_pss *pss = user;
	unsigned char chunk[LWS_PRE + 4096];
	size_t n;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		free(pss->body);
		pss->body = NULL;
		return status_start(bridge_of(wsi), wsi, pss);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (!pss || !pss->body)
			return 0;
		n = pss->len - pss->sent;
		if (n > sizeof(chunk) - LWS_PRE)
			n = sizeof(chunk) - LWS_PRE;
		memcpy(chunk + LWS_PRE, pss->body + pss->sent, n);
		pss->sent += n;
		if (lws_write(wsi, chunk + LWS_PRE, n,
			      pss->sent < pss->len ? LWS_WRITE_HTTP : LWS_WRITE_HTTP_FINAL) <
		    (int)n)
			return -1;
		if (pss->sent < pss->len) {
			lws_callback_on_writable(wsi);
			return 0;
		}
		free(pss->body);
		pss->body = NULL;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	case LWS_CALLBACK_CLOSED_HTTP:
		if (pss) {
			free(pss->body);
			pss->body = NULL;
		}
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}
