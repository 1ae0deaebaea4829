/*
 * bridge.c: the libwebsockets side of ruin-bridge. Start at bridge_new().
 *
 * Two vhosts: "web" listens for browsers (the web client's files at /, the
 * JSON WebSocket at /ws, counters at /status) and "up" holds the telnet
 * connections to ruin-server plus the signal fd. The protocol callbacks
 * below only sort events out and hand them to session.c and session_write.c:
 *
 *   bridge_ws_cb      browsers: upgrade checks (path, Origin, limits), then
 *                     ESTABLISHED / RECEIVE / SERVER_WRITEABLE / CLOSED;
 *                     everything else is plain HTTP (lws_callback_http_dummy)
 *   status_http_cb    GET /status (in status.c)
 *   bridge_up_cb      ruin-server: RAW_CONNECTED / RAW_RX / RAW_WRITEABLE / RAW_CLOSE
 *   bridge_signal_cb  SIGTERM/SIGINT stop, SIGHUP reopens the log
 *
 * A timer (bridge_sweep_cb) runs once a second for resume windows and slow
 * browsers. It all runs on a libuv loop of ours (loop.c: why not lws's
 * own, and how output nobody is waiting for waits for a quiet moment).
 */
#include "internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include <uv.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "wsout.h"
#include "base/banned.h"

#define BRIDGE_RX_BUFFER    4096
#define BRIDGE_TX_PACKET    (64 * 1024)
#define BRIDGE_STOP_WAIT_MS 2000

int64_t bridge_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct bridge *bridge_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

/* ---- per-address counts ------------------------------------------------------------------ */

size_t bridge_address_count(const struct bridge *br, const char *addr)
{
	return (size_t)(uintptr_t)map_get(&br->per_address, addr);
}

void bridge_address_add(struct bridge *br, const char *addr)
{
	map_put(&br->per_address, addr, (void *)(uintptr_t)(bridge_address_count(br, addr) + 1));
}

void bridge_address_remove(struct bridge *br, const char *addr)
{
	size_t n = bridge_address_count(br, addr);

	if (n <= 1)
		map_del(&br->per_address, addr);
	else
		map_put(&br->per_address, addr, (void *)(uintptr_t)(n - 1));
}

/* ---- who is connecting -------------------------------------------------------------------- */

int bridge_sock_addr(int fd, bool local, char addr[PEER_ADDR_MAX], unsigned *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char text[PEER_ADDR_MAX];
	const void *bin;
	int rc = local ? getsockname(fd, (struct sockaddr *)&ss, &len)
		       : getpeername(fd, (struct sockaddr *)&ss, &len);

	if (rc < 0)
		return -1;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;

		bin = &sin->sin_addr;
		*port = ntohs(sin->sin_port);
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;

		bin = &sin6->sin6_addr;
		*port = ntohs(sin6->sin6_port);
	} else {
		return -1;
	}
	if (!inet_ntop(ss.ss_family, bin, text, sizeof(text)))
		return -1;
	return peer_addr_canonical(text, addr);
}

/* Copies a request header into out (cleared first); -1 if absent. */
static int bridge_header(struct lws *wsi, enum lws_token_indexes h, struct buf *out)
{
	int len = lws_hdr_total_length(wsi, h);
	char *tmp;

	buf_clear(out);
	if (len <= 0 || len > 4096)
		return -1;
	tmp = xmalloc((size_t)len + 1);
	if (lws_hdr_copy(wsi, tmp, len + 1, h) < 0) {
		free(tmp);
		return -1;
	}
	buf_puts(out, tmp);
	free(tmp);
	return 0;
}

struct bridge_who {
	char addr[PEER_ADDR_MAX]; /* the browser */
	unsigned port;
	char local[PEER_ADDR_MAX]; /* the address it connected to */
	unsigned local_port;
	bool tls;
};

/* Works out who a browser is: the socket's peer, or behind a trusted
 * reverse proxy the last X-Forwarded-For entry. */
static int bridge_who(struct bridge *br, struct lws *wsi, struct bridge_who *who)
{
	int fd = lws_get_socket_fd(wsi);
	struct buf h;
	char fwd[PEER_ADDR_MAX];

	memset(who, 0, sizeof(*who));
	if (bridge_sock_addr(fd, false, who->addr, &who->port) < 0 ||
	    bridge_sock_addr(fd, true, who->local, &who->local_port) < 0)
		return -1;
	who->tls = lws_is_ssl(wsi);
	if (!peer_nets_match(&br->trusted, who->addr))
		return 0;
	buf_init(&h, 8192);
	if (bridge_header(wsi, WSI_TOKEN_X_FORWARDED_FOR, &h) == 0 &&
	    peer_forwarded_for(buf_cstr(&h), fwd) == 0) {
		memcpy(who->addr, fwd, sizeof(fwd));
		who->port = 0;
	}
	buf_fini(&h);
	{
		char proto[16];
		int n = lws_hdr_custom_copy(wsi, proto, sizeof(proto), "x-forwarded-proto:", 18);

		if (n > 0 && !strcasecmp(proto, "https"))
			who->tls = true;
	}
	return 0;
}

/* Refuses an upgrade with an HTTP status; returns what CONFIRM_UPGRADE wants. */
static int bridge_refuse(struct lws *wsi, unsigned code, const char *why)
{
	lws_return_http_status(wsi, code, why);
	return 1;
}

/* The WebSocket upgrade: only at /ws, from an allowed Origin, within the limits. */
static int bridge_confirm_upgrade(struct bridge *br, struct lws *wsi)
{
	struct bridge_who who;
	struct buf origin, host, uri;
	char token[256];
	const char *resume;
	bool origin_ok;
	int rc = 0;

	if (br->stopping)
		return bridge_refuse(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE, "restarting");
	buf_init(&origin, 8192);
	buf_init(&host, 8192);
	buf_init(&uri, 8192);
	if (bridge_header(wsi, WSI_TOKEN_GET_URI, &uri) < 0 || strcmp(buf_cstr(&uri), "/ws") != 0) {
		br->totals.refused_path++;
		rc = bridge_refuse(wsi, HTTP_STATUS_NOT_FOUND, "the WebSocket is at /ws");
		goto out;
	}
	bridge_header(wsi, WSI_TOKEN_HOST, &host);
	origin_ok = peer_origin_ok(
		bridge_header(wsi, WSI_TOKEN_ORIGIN, &origin) == 0 ? buf_cstr(&origin) : NULL,
		buf_cstr(&host), br->cfg.allowed_origins);
	if (!origin_ok) {
		br->totals.refused_origin++;
		log_info(br->log, "refused a WebSocket from origin %s (host %s)", buf_cstr(&origin),
			 buf_cstr(&host));
		rc = bridge_refuse(wsi, HTTP_STATUS_FORBIDDEN, "origin not allowed");
		goto out;
	}
	if (bridge_who(br, wsi, &who) < 0) {
		rc = -1;
		goto out;
	}
	/* A browser resuming its own session adds none. */
	resume = lws_get_urlarg_by_name(wsi, "resume=", token, sizeof(token));
	if (resume && map_get(&br->tokens, resume))
		goto out;
	if (br->sessions.count >= (size_t)br->cfg.max_sessions ||
	    bridge_address_count(br, who.addr) >= (size_t)br->cfg.max_per_address) {
		br->totals.refused_limit++;
		log_info(br->log, "refused a WebSocket from %s: %s", who.addr,
			 br->sessions.count >= (size_t)br->cfg.max_sessions
				 ? "the bridge is full"
				 : "too many sessions from that address");
		rc = bridge_refuse(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE, "too many sessions");
	}
out:
	buf_fini(&origin);
	buf_fini(&host);
	buf_fini(&uri);
	return rc;
}

/*
 * What this connection's permessage-deflate lets us send (wsframe.c
 * compresses; libwebsockets only agreed to it). lws_set_extension_option()
 * fails when the extension is not active on wsi, so setting the level of
 * lws's own compressor, which never runs, asks whether it was agreed.
 */
static void bridge_deflate_params(struct bridge *br, struct lws *wsi, struct wsframe_params *p)
{
	struct buf offer;
	bool agreed = br->cfg.deflate && lws_set_extension_option(wsi, "permessage-deflate",
								  "compression_level", "1") == 0;

	buf_init(&offer, 4096);
	wsframe_offer(agreed && bridge_header(wsi, WSI_TOKEN_EXTENSIONS, &offer) == 0
			      ? buf_cstr(&offer)
			      : NULL,
		      agreed, br->cfg.deflate_window_bits, br->cfg.deflate_mem_level, p);
	buf_fini(&offer);
}

/* A browser's WebSocket is up: resume its session if it brought a valid
 * token (?resume=...), else start a new one. */
static int bridge_established(struct bridge *br, struct lws *wsi)
{
	struct bridge_who who;
	struct session_peer peer;
	struct buf ua, proxy;
	char token[256];
	struct session *s = NULL;
	const char *resume;
	bool resumed = false;
	int rc = 0;

	if (bridge_who(br, wsi, &who) < 0)
		return -1;
	if (br->cfg.socket_buffer_kb > 0) {
		int size = br->cfg.socket_buffer_kb << 10;

		setsockopt(lws_get_socket_fd(wsi), SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	}
	buf_init(&ua, 8192);
	buf_init(&proxy, 512);
	bridge_deflate_params(br, wsi, &peer.pmd);
	resume = lws_get_urlarg_by_name(wsi, "resume=", token, sizeof(token));
	if (resume) {
		/* lws copies "resume=<token>" into token and points past the '='. */
		s = session_resume(br, wsi, resume, &peer.pmd);
		resumed = s != NULL;
		if (!s)
			log_info(br->log, "%s brought a resume token we do not hold", who.addr);
	}
	if (!s) {
		bridge_header(wsi, WSI_TOKEN_HTTP_USER_AGENT, &ua);
		peer_proxy_line(&proxy, who.addr, who.port, who.local, who.local_port);
		peer.addr = who.addr;
		peer.proxy_line = buf_cstr(&proxy);
		peer.user_agent = buf_cstr(&ua);
		peer.tls = who.tls;
		s = session_new(br, wsi, &peer);
		if (!s)
			rc = -1;
		else if (resume && !resumed)
			session_send_error(s, "resume_failed",
					   "that session is over; this is a new one");
	}
	buf_fini(&ua);
	buf_fini(&proxy);
	return rc;
}

/* ---- protocol callbacks --------------------------------------------------------------------- */

static int bridge_ws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
			size_t len)
{
	struct bridge *br = bridge_of(wsi);
	struct session *s = lws_get_opaque_user_data(wsi);

	switch (reason) {
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return bridge_confirm_upgrade(br, wsi);
	case LWS_CALLBACK_ESTABLISHED:
		return bridge_established(br, wsi);
	case LWS_CALLBACK_RECEIVE:
		if (s)
			session_ws_receive(s, in, len, lws_is_first_fragment(wsi),
					   lws_is_final_fragment(wsi), lws_frame_is_binary(wsi));
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return s ? session_ws_writeable(s) : -1;
	case LWS_CALLBACK_CLOSED:
		if (s) {
			lws_set_opaque_user_data(wsi, NULL);
			session_ws_closed(s);
		}
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

/* TCP keep-alive on a server connection, so a dead link is noticed. */
static void bridge_keepalive(struct bridge *br, struct lws *wsi)
{
	int fd = lws_get_socket_fd(wsi), on = 1, idle = br->cfg.upstream_keepalive_s,
	    intvl = idle / 4 > 0 ? idle / 4 : 1, cnt = 4;

	if (fd < 0)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl)) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt)) < 0)
		log_warn(br->log, "TCP keep-alive toward the server: %s", strerror(errno));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

static int bridge_up_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
			size_t len)
{
	struct session *s = lws_get_opaque_user_data(wsi);

	(void)user;
	switch (reason) {
	case LWS_CALLBACK_RAW_CONNECTED:
		if (!s)
			return -1;
		if (session_up_connected(s, wsi) < 0)
			return -1;
		bridge_keepalive(s->br, wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (s) {
			char why[256];

			lws_set_opaque_user_data(wsi, NULL);
			if (!s->ws) {
				/* The browser left while we were connecting. */
				session_up_closed(s, "the browser left");
				return 0;
			}
			snprintf(why, sizeof(why), "cannot reach the game server (%s)",
				 in ? (const char *)in : "no reason given");
			log_warn(s->br->log, "session %u: %s", s->id, why);
			session_up_closed(s, "cannot reach the game server");
		}
		return 0;
	case LWS_CALLBACK_RAW_RX:
		return s ? session_up_receive(s, in, len) : -1;
	case LWS_CALLBACK_RAW_WRITEABLE:
		return s ? session_up_writeable(s) : -1;
	case LWS_CALLBACK_RAW_CLOSE:
		if (s) {
			lws_set_opaque_user_data(wsi, NULL);
			session_up_closed(s, "the game closed the connection");
		}
		return 0;
	default:
		return 0;
	}
}

static int bridge_signal_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
			    size_t len)
{
	struct bridge *br = bridge_of(wsi);
	struct signalfd_siginfo si;

	(void)user;
	(void)in;
	(void)len;
	if (reason != LWS_CALLBACK_RAW_RX_FILE)
		return 0;
	while (read(br->signal_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			log_info(br->log, "SIGHUP: reopening the log");
			log_reopen(br->log);
		} else if (!br->stopping) {
			log_info(br->log, "signal %s: stopping",
				 si.ssi_signo == SIGTERM ? "TERM" : "INT");
			br->stopping = true;
			lws_cancel_service(br->ctx);
		}
	}
	return 0;
}

static const struct lws_protocols bridge_web_protocols[] = {
	/* tx_packet_size: lws sends at most this much of a write at once and the
	 * rest on later turns; a turn's frames for a browser go in one write. */
	{BRIDGE_SUBPROTOCOL, bridge_ws_cb, 0, BRIDGE_RX_BUFFER, 0, NULL, BRIDGE_TX_PACKET},
	{"ruin-http", status_http_cb, sizeof(struct status_pss), 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static const struct lws_protocols bridge_up_protocols[] = {
	{"ruin-upstream", bridge_up_cb, 0, BRIDGE_RX_BUFFER, 0, NULL, 0},
	{"ruin-signal", bridge_signal_cb, 0, 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static const struct lws_extension bridge_extensions[] = {
	{"permessage-deflate", lws_extension_callback_pm_deflate,
	 "permessage-deflate; client_no_context_takeover; client_max_window_bits"},
	{NULL, NULL, NULL},
};

/* Browsers without a subprotocol get the JSON one too. */
static const struct lws_protocol_vhost_options bridge_pvo_default = {NULL, NULL, "default", "1"};
static const struct lws_protocol_vhost_options bridge_pvo = {NULL, &bridge_pvo_default,
							     BRIDGE_SUBPROTOCOL, ""};

/* Headers on every HTTP response: the page may talk to its own host only. */
static const struct lws_protocol_vhost_options bridge_hdr_referrer = {
	NULL, NULL, "referrer-policy:", "no-referrer"};
static const struct lws_protocol_vhost_options bridge_hdr_nosniff = {
	&bridge_hdr_referrer, NULL, "x-content-type-options:", "nosniff"};
static const struct lws_protocol_vhost_options bridge_hdr_csp = {
	&bridge_hdr_nosniff, NULL, "content-security-policy:",
	"default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
	"style-src 'self'; script-src 'self'; frame-ancestors 'none'"};

static const struct lws_http_mount bridge_mount_status = {
	.mountpoint = "/status",
	.mountpoint_len = 7,
	.origin = "ruin-http",
	.origin_protocol = LWSMPRO_CALLBACK,
};

/* ---- connections to ruin-server ----------------------------------------------------------------
 */

int bridge_connect_upstream(struct bridge *br, struct session *s)
{
	struct lws_client_connect_info i;
	struct lws *wsi;

	memset(&i, 0, sizeof(i));
	i.context = br->ctx;
	i.vhost = br->up;
	i.address = br->cfg.server_host;
	i.port = br->cfg.server_port;
	i.host = br->cfg.server_host;
	i.origin = br->cfg.server_host;
	i.path = "/";
	i.method = "RAW";
	i.protocol = "ruin-upstream";
	i.local_protocol_name = "ruin-upstream";
	i.opaque_user_data = s;
	wsi = lws_client_connect_via_info(&i);
	if (!wsi)
		return -1;
	/* Unless it already failed (CLIENT_CONNECTION_ERROR can come before
	 * the call returns), this is the connection to close if the browser
	 * leaves before the game answers. */
	if (s->state == SESSION_CONNECTING && !s->upstream_reported)
		s->up = wsi;
	return 0;
}

/* ---- time ------------------------------------------------------------------------------ */

static void bridge_sweep_cb(lws_sorted_usec_list_t *sul)
{
	struct bridge *br = lws_container_of(sul, struct bridge, sweep);
	int64_t now = bridge_now_ms();

	/* Only the sessions away or paused: walking all 1,000 of a crowd (their
	 * structs spread over 50 MB) stalled the loop for 0.4-0.9 ms a second. */
	DLIST_FOREACH_SAFE(&br->watched, it, tmp)
	{
		session_tick(dlist_entry(it, struct session, watch_link), now);
	}
	lws_sul_schedule(br->ctx, 0, &br->sweep, bridge_sweep_cb, LWS_US_PER_SEC);
}

/* ---- life
 * ------------------------------------------------------------------------------------------- */

static int bridge_signals_open(void)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static int bridge_write_port_file(struct bridge *br, struct buf *err)
{
	FILE *fp;
	int port = lws_get_vhost_listen_port(br->web);

	if (!*br->cfg.port_file)
		return 0;
	fp = fopen(br->cfg.port_file, "w");
	if (!fp || fprintf(fp, "%d\n", port) < 0 || fclose(fp) != 0) {
		buf_printf(err, "%s: %s", br->cfg.port_file, strerror(errno));
		return -1;
	}
	return 0;
}

static int bridge_check_settings(struct bridge *br, struct buf *err)
{
	const char *p;

	if (peer_nets_parse(&br->trusted, br->cfg.trusted_proxies, err) < 0) {
		buf_puts(err, " (trusted_proxies)");
		return -1;
	}
	if (peer_nets_parse(&br->status_allow, br->cfg.status_allow, err) < 0) {
		buf_puts(err, " (status_allow)");
		return -1;
	}
	for (p = br->cfg.bridge_name; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')) {
			buf_puts(err, "bridge_name may hold letters, digits, - and _ only");
			return -1;
		}
	}
	if (!*br->cfg.tls_cert != !*br->cfg.tls_key) {
		buf_puts(err, "tls_cert and tls_key go together");
		return -1;
	}
	if (br->cfg.hangup_s <= br->cfg.ping_s) {
		buf_puts(err, "hangup_s must be longer than ping_s");
		return -1;
	}
	return 0;
}

/*
 * Sets the open-file limit to what max_sessions needs (two sockets each,
 * plus the listeners, logs and signals), raising it toward the hard limit
 * or lowering it, because libwebsockets sizes its tables by that limit.
 * Not fd_limit_per_thread: an lws context given a limit below the
 * process's looks up every socket event by walking its whole table
 * (wsi_from_fd(), "slow fds handling" in lws 4.1) rather than indexing it,
 * which was 8% of the bridge's CPU at 1,000 sessions.
 */
static void bridge_fd_limit(struct bridge *br)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)br->cfg.max_sessions * 2 + 64;

	if (want < 256)
		want = 256;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max) {
		log_warn(br->log, "max_sessions %d needs %llu open files; the hard limit is %llu",
			 br->cfg.max_sessions, (unsigned long long)want,
			 (unsigned long long)rl.rlim_max);
		want = rl.rlim_max;
	}
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		log_warn(br->log, "cannot set the open-file limit to %llu: %s",
			 (unsigned long long)want, strerror(errno));
}

static int bridge_vhosts(struct bridge *br, struct buf *err)
{
	struct lws_context_creation_info info;
	struct lws_http_mount *files;
	lws_sock_file_fd_type fd;

	memset(&info, 0, sizeof(info));
	info.port = br->cfg.port ? br->cfg.port : CONTEXT_PORT_NO_LISTEN_SERVER;
	if (!br->cfg.port)
		info.port = 0;
	info.iface = *br->cfg.bind ? br->cfg.bind : NULL;
	info.protocols = bridge_web_protocols;
	info.pvo = &bridge_pvo;
	info.headers = &bridge_hdr_csp;
	info.vhost_name = "web";
	info.retry_and_idle_policy = &br->idle_policy;
	info.timeout_secs = 20;
	if (br->cfg.deflate)
		info.extensions = bridge_extensions;
	if (*br->cfg.tls_cert) {
		info.ssl_cert_filepath = br->cfg.tls_cert;
		info.ssl_private_key_filepath = br->cfg.tls_key;
		/* HTTP/1.1 only: lws 4.1 drops permessage-deflate over HTTP/2. */
		info.alpn = "http/1.1";
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	}
	files = xcalloc(2, sizeof(*files));
	files[0] = bridge_mount_status;
	files[0].mount_next = &files[1];
	files[1].mountpoint = "/";
	files[1].mountpoint_len = 1;
	files[1].origin = br->cfg.www_dir;
	files[1].def = "index.html";
	files[1].origin_protocol = LWSMPRO_FILE;
	files[1].cache_max_age = 0;
	files[1].cache_revalidate = 1;
	info.mounts = files;
	br->web = lws_create_vhost(br->ctx, &info);
	if (!br->web) {
		free(files);
		buf_printf(err, "cannot listen on %s port %d (in use? bad certificate?)",
			   *br->cfg.bind ? br->cfg.bind : "every address", br->cfg.port);
		return -1;
	}
	br->mounts = files;

	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	info.protocols = bridge_up_protocols;
	info.vhost_name = "up";
	info.connect_timeout_secs = (unsigned)br->cfg.connect_timeout_s;
	br->up = lws_create_vhost(br->ctx, &info);
	if (!br->up) {
		buf_puts(err, "cannot create the vhost for ruin-server connections");
		return -1;
	}
	br->signal_fd = bridge_signals_open();
	fd.filefd = br->signal_fd;
	if (br->signal_fd < 0 ||
	    !lws_adopt_descriptor_vhost(br->up, LWS_ADOPT_RAW_FILE_DESC, fd, "ruin-signal", NULL)) {
		buf_printf(err, "cannot watch signals: %s", strerror(errno));
		return -1;
	}
	return 0;
}

struct bridge *bridge_new(struct settings *cfg, struct log *lg, struct buf *err)
{
	struct bridge *br = xcalloc(1, sizeof(*br));
	struct lws_context_creation_info info;
	void *loops[1];

	br->cfg = *cfg;
	memset(cfg, 0, sizeof(*cfg));
	br->log = lg;
	br->signal_fd = -1;
	br->started_ms = wsout_now_ms();
	dlist_init(&br->sessions);
	dlist_init(&br->watched);
	map_init(&br->tokens, false);
	map_init(&br->per_address, false);
	buf_init(&br->scratch, (size_t)16 << 20);
	buf_init(&br->frames, (size_t)32 << 20);
	buf_init(&br->deflated, (size_t)32 << 20);
	wsout_memo_init(&br->memo);
	randombytes_buf(br->repeat_key, sizeof(br->repeat_key));
	buf_init(&br->line, (size_t)br->cfg.max_message * 2 + 64);
	buf_init(&br->why, 4096);
	br->idle_policy.secs_since_valid_ping = (uint16_t)br->cfg.ping_s;
	br->idle_policy.secs_since_valid_hangup = (uint16_t)br->cfg.hangup_s;
	if (bridge_check_settings(br, err) < 0)
		goto fail;

	lws_set_log_level(
		log_get_level(lg) >= LOG_DEBUG ? LLL_ERR | LLL_WARN | LLL_NOTICE : LLL_ERR, NULL);
	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	if (*br->cfg.tls_cert)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.user = br;
	bridge_fd_limit(br);
	info.ka_time = br->cfg.upstream_keepalive_s;
	info.ka_interval =
		br->cfg.upstream_keepalive_s / 4 > 0 ? br->cfg.upstream_keepalive_s / 4 : 1;
	info.ka_probes = 4;
	if (bridge_loop_open(br, err) < 0)
		goto fail;
	loops[0] = br->loop;
	info.foreign_loops = loops;
	info.options |= LWS_SERVER_OPTION_LIBUV;
	br->ctx = lws_create_context(&info);
	if (!br->ctx) {
		buf_puts(err,
			 "libwebsockets could not start (is libwebsockets-evlib-uv installed?)");
		goto fail;
	}
	if (bridge_vhosts(br, err) < 0 || bridge_write_port_file(br, err) < 0)
		goto fail;
	lws_sul_schedule(br->ctx, 0, &br->sweep, bridge_sweep_cb, LWS_US_PER_SEC);
	log_info(lg, "ruin-bridge %s: web client on %s port %d%s, game at %s:%d", BRIDGE_VERSION,
		 *br->cfg.bind ? br->cfg.bind : "every address", lws_get_vhost_listen_port(br->web),
		 *br->cfg.tls_cert ? " (TLS)" : "", br->cfg.server_host, br->cfg.server_port);
	return br;
fail:
	bridge_free(br);
	return NULL;
}

static void bridge_stop_timer_cb(uv_timer_t *t)
{
	(void)t; /* only wakes bridge_run's last uv_run() */
}

int bridge_run(struct bridge *br)
{
	uv_timer_t stop_timer;
	int64_t deadline;

	/* A signal sets br->stopping inside a callback. The listening
	 * sockets and the signal fd keep the loop busy; were it ever empty,
	 * uv_run() would return at once, so that is an error, not a spin. */
	while (!br->stopping)
		if (!uv_run(br->loop, UV_RUN_ONCE) && !br->stopping) {
			log_error(br->log, "the event loop has nothing left to wait for");
			br->exit_code = 1;
			break;
		}
	/* Tell every browser, close every game connection, give them a moment. */
	lws_sul_cancel(&br->sweep);
	DLIST_FOREACH_SAFE(&br->sessions, it, tmp)
	{
		session_shutdown(dlist_entry(it, struct session, link));
	}
	deadline = bridge_now_ms() + BRIDGE_STOP_WAIT_MS;
	uv_timer_init(br->loop, &stop_timer);
	uv_timer_start(&stop_timer, bridge_stop_timer_cb, BRIDGE_STOP_WAIT_MS, 0);
	while (!dlist_empty(&br->sessions) && bridge_now_ms() < deadline)
		uv_run(br->loop, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&stop_timer, NULL);
	uv_run(br->loop, UV_RUN_NOWAIT); /* stop_timer is closed before it goes */
	if (!dlist_empty(&br->sessions))
		log_warn(br->log, "%zu sessions did not close in time", br->sessions.count);
	log_info(br->log, "stopped after %llu sessions", (unsigned long long)br->totals.sessions);
	return br->exit_code;
}

void bridge_free(struct bridge *br)
{
	if (!br)
		return;
	if (br->ctx) {
		lws_sul_cancel(&br->sweep);
		/* On a foreign loop lws destroys in two calls: the first closes
		 * every connection and handle, the loop lets the closes finish,
		 * the second frees what is left. */
		lws_context_destroy(br->ctx);
		if (br->loop)
			uv_run(br->loop, UV_RUN_DEFAULT);
		lws_context_destroy(br->ctx);
	}
	bridge_loop_close(br);
	/* lws_context_destroy closed every socket, so every session is gone. */
	free(br->mounts);
	if (br->signal_fd >= 0)
		close(br->signal_fd);
	peer_nets_fini(&br->trusted);
	peer_nets_fini(&br->status_allow);
	map_fini(&br->tokens);
	map_fini(&br->per_address);
	buf_fini(&br->scratch);
	buf_fini(&br->frames);
	buf_fini(&br->deflated);
	wsout_memo_fini(&br->memo);
	buf_fini(&br->line);
	buf_fini(&br->why);
	settings_fini(&br->cfg);
	free(br);
}
