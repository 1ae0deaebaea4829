/*
 * conn.c: listeners and the connection table. See conn.h.
 *
 * Connections are accepted in listen.c (net_accept() -> net_take(), which
 * refuses a socket or makes a struct conn and opens it at once: net_open()).
 * Until its first bytes are classified, a connection is "sniffing": from a
 * trusted proxy they may be a PROXY line (the address changes, on_proxy is
 * told); from anyone else a stream starting "PROXY " is refused.
 * Input arrives in conn_io() -> conn_read() -> conn_input() -> on_data.
 * Output goes through conn_write() -> conn_send(), with the rest queued in
 * c->out and LOOP_WRITE armed. Nothing is freed until net_reap() walks the
 * lists and calls conn_destroy() on what was marked (STYLE.md rule 9).
 * net_find()'s table of connections by id is in ids.c, the io_uring that
 * net_flush() sends through in uring.c.
 */
#include "net/conn.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/list.h"
#include "base/map.h"
#include "base/xalloc.h"
#include "net/internal.h"
#include "net/proxy.h"
#include "net/uring.h"
#include "base/banned.h"

/* ---- small helpers ----------------------------------------------------------- */

int net_set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -errno;
	return 0;
}

/* Writes a one-line message to a socket we are about to close; best effort. */
void net_say_and_close(int fd, const char *msg)
{
	(void)!send(fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
	close(fd);
}

size_t net_addr_count(const struct net *net, const char *addr)
{
	return (size_t)(uintptr_t)map_get(&net->per_addr, addr);
}

void net_addr_adjust(struct net *net, const char *addr, int delta)
{
	size_t n = net_addr_count(net, addr);

	n = delta > 0 ? n + 1 : n - 1;
	if (n == 0)
		map_del(&net->per_addr, addr);
	else
		map_put(&net->per_addr, addr, (void *)(uintptr_t)n);
}

static size_t conn_queued(const struct conn *c)
{
	return c->out.len - c->out_off;
}

size_t net_output_cap(const struct net *net)
{
	return net->cfg.output_cap ? net->cfg.output_cap : NET_DEFAULT_OUTPUT_CAP;
}

/* What the loop should watch c for right now. */
void conn_update_mask(struct conn *c)
{
	int mask = LOOP_NONE;

	if (!c->dead && !c->closing) {
		if (!c->flush_close && !c->held && !c->net->frozen)
			mask |= LOOP_READ;
		if (conn_queued(c))
			mask |= LOOP_WRITE;
	}
	if (mask == loop_fd_mask(c->net->loop, c->fd))
		return;
	if (mask == LOOP_NONE || loop_fd_add(c->net->loop, c->fd, mask, conn_io, c) < 0)
		loop_fd_del(c->net->loop, c->fd);
}

void conn_set_client(struct conn *c, const struct addr *a)
{
	c->client = *a;
	if (addr_format(a, c->addr, sizeof(c->addr)) < 0)
		memcpy(c->addr, "unknown", sizeof("unknown"));
}

/* Sets (ms > 0) or clears (0) c's deadline; net_reap() looks only at connections with one. */
static void conn_set_deadline(struct conn *c, int64_t ms)
{
	c->deadline_ms = ms;
	if (ms && !dlink_linked(&c->timed))
		dlist_push_back(&c->net->timed, &c->timed);
	else if (!ms && dlink_linked(&c->timed))
		dlist_remove(&c->net->timed, &c->timed);
}

/* ---- marking and output -------------------------------------------------- */

void conn_close_later(struct conn *c, const char *reason)
{
	if (c->closing)
		return;
	c->closing = true;
	dlist_push_back(&c->net->marked, &c->marked);
	if (!c->reason)
		c->reason = xstrdup(reason ? reason : "closed");
	conn_update_mask(c);
}

/* The socket failed: nothing more is read or written. */
static void conn_fail(struct conn *c, const char *what, int err)
{
	char msg[96];

	c->dead = true;
	snprintf(msg, sizeof(msg), "%s: %s", what, strerror(err));
	if (c->flush_close && !c->closing) {
		free(c->reason);
		c->reason = NULL;
	}
	conn_close_later(c, msg);
}

/* Sends what the socket takes of bytes; returns how many, or -1 if c failed. */
static ssize_t conn_send_raw(struct conn *c, const void *bytes, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = send(c->fd, (const char *)bytes + done, n - done,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			conn_fail(c, "write error", errno);
			return -1;
		}
		done += (size_t)w;
	}
	return (ssize_t)done;
}

/* Takes n sent bytes off the front of c's queue. */
static void conn_sent(struct conn *c, size_t n)
{
	c->bytes_out += n;
	c->net->st.bytes_out += n;
	c->out_off += n;
	if (n && c->out_off == c->out.len) {
		/* Drained: give back a big queue's memory, keep a small one's. */
		if (c->out.alloc > NET_KEEP_ALLOC) {
			size_t limit = c->out.limit;

			buf_fini(&c->out);
			buf_init(&c->out, limit);
		} else {
			buf_clear(&c->out);
		}
		c->out_off = 0;
	}
}

/* After a send: closes a drained flush_close, watches for room if output is left. */
static void conn_sent_all(struct conn *c)
{
	if (c->flush_close && !conn_queued(c))
		conn_close_later(c, c->reason);
	conn_update_mask(c);
}

/* Sends from the queue; 0, or -1 if c failed. Closes a drained flush_close. */
static int conn_flush(struct conn *c)
{
	ssize_t w;

	if (c->dead)
		return -1;
	if (conn_queued(c)) {
		w = conn_send_raw(c, c->out.data + c->out_off, conn_queued(c));
		if (w < 0)
			return -1;
		conn_sent(c, (size_t)w);
	}
	conn_sent_all(c);
	return 0;
}

int conn_write(struct conn *c, const void *bytes, size_t n)
{
	struct net *net = c->net;
	size_t cap = net_output_cap(net);

	if (c->dead || c->closing)
		return -EPIPE;
	if (n == 0)
		return 0;
	if (n > cap - conn_queued(c)) {
		log_warn(net->log,
			 "conn %" PRIu32 " (%s): output overflow, %zu bytes queued, closing", c->id,
			 c->addr, conn_queued(c));
		conn_close_later(c, "output overflow");
		return -ENOBUFS;
	}
	/*
	 * Write-behind: an empty queue goes on the dirty list and net_flush()
	 * sends it once, whatever was written in between (a room's text and
	 * the prompt after it are one send()). A queue that was not empty is
	 * either dirty already or waiting for the socket (LOOP_WRITE).
	 */
	if (!conn_queued(c) && !dlink_linked(&c->dirty))
		dlist_push_back(&net->dirty, &c->dirty);
	/* Sent bytes go from the front once they outweigh what is left (amortised O(1)). */
	if (c->out_off && (c->out_off >= conn_queued(c) || c->out.len + n > c->out.limit)) {
		buf_consume(&c->out, c->out_off);
		c->out_off = 0;
	}
	buf_append(&c->out, bytes, n);
	return 0;
}

/*
 * What one io_uring send did to c: like conn_flush(), and a short send
 * tries the rest with send(), as conn_send_raw() would have.
 */
static void conn_sent_by_ring(struct conn *c, ssize_t r)
{
	if (r == NET_SEND_NOT_TRIED || r == -EINTR) {
		conn_flush(c);
	} else if (r == -EAGAIN || r == -EWOULDBLOCK) {
		conn_sent_all(c);
	} else if (r < 0) {
		conn_fail(c, "write error", (int)-r);
	} else {
		conn_sent(c, (size_t)r);
		if (conn_queued(c))
			conn_flush(c);
		else
			conn_sent_all(c);
	}
}

/*
 * Sends the dirty connections' queues through the ring, NET_URING_BATCH
 * at a time, while enough are waiting to be worth it. If the ring fails,
 * it is given up for good (logged) and net_flush() sends the rest itself.
 */
static void net_flush_ring(struct net *net)
{
	struct conn *batch[NET_URING_BATCH];
	struct net_send sends[NET_URING_BATCH];

	while (net->uring && net->dirty.count >= NET_URING_MIN) {
		size_t n = 0;
		int rc;

		while (n < NET_URING_BATCH && !dlist_empty(&net->dirty)) {
			struct conn *c = dlist_entry(net->dirty.head.next, struct conn, dirty);

			dlist_remove(&net->dirty, &c->dirty);
			if (c->dead || !conn_queued(c)) {
				conn_flush(c);
				continue;
			}
			batch[n] = c;
			sends[n] = (struct net_send){.fd = c->fd,
						     .data = c->out.data + c->out_off,
						     .len = conn_queued(c)};
			n++;
		}
		rc = net_uring_send(net->uring, sends, n);
		if (rc < 0) {
			log_warn(net->log,
				 "io_uring send failed (%s): one send() per connection from now on",
				 strerror(-rc));
			net_uring_free(net->uring);
			net->uring = NULL;
		}
		for (size_t i = 0; i < n; i++) {
			if (sends[i].result != NET_SEND_NOT_TRIED)
				net->st.ring_sends++;
			conn_sent_by_ring(batch[i], sends[i].result);
		}
	}
}

void net_flush(struct net *net)
{
	if (net->uring)
		net_flush_ring(net);
	while (!dlist_empty(&net->dirty)) {
		struct conn *c = dlist_entry(net->dirty.head.next, struct conn, dirty);

		dlist_remove(&net->dirty, &c->dirty);
		conn_flush(c);
	}
}

void conn_close_after_flush(struct conn *c, const char *reason)
{
	int wait = c->net->cfg.flush_wait_ms > 0 ? c->net->cfg.flush_wait_ms
						 : NET_DEFAULT_FLUSH_WAIT_MS;

	if (c->closing || c->flush_close)
		return;
	c->flush_close = true;
	free(c->reason);
	c->reason = xstrdup(reason ? reason : "closed");
	conn_set_deadline(c, clock_mono_ms() + wait);
	conn_flush(c);
}

/* ---- input --------------------------------------------------------------- */

static void conn_deliver(struct conn *c, const char *bytes, size_t n)
{
	if (n == 0 || c->closing || c->flush_close)
		return;
	c->net->cb.on_data(c->net->ud, c, bytes, n);
}

/* Refuses a connection that has a struct conn: says why, closes at reap. */
static void conn_refuse(struct conn *c, const char *msg, const char *reason)
{
	struct net *net = c->net;

	log_info(net->log, "conn %" PRIu32 " from %s refused: %s", c->id, c->addr, reason);
	conn_write(c, msg, strlen(msg));
	conn_close_later(c, reason);
	net->st.refused++;
}

/* Moves c to the open table and tells the owner. */
void net_open(struct net *net, struct conn *c)
{
	dlist_push_back(&net->open, &c->link);
	c->opened = true;
	net->st.accepted++;
	net_ids_put(net, c);
	log_debug(net->log, "conn %" PRIu32 " from %s%s open", c->id, c->addr,
		  c->proxied ? " (proxied)" : "");
	net->cb.on_open(net->ud, c);
}

/*
 * A trusted peer's stream start: a PROXY line (the address changes and the
 * owner hears of it through on_proxy) or plain data. The connection is
 * open already, so a local player is greeted without waiting.
 */
static void conn_input_trusted(struct conn *c, const char *bytes, size_t n)
{
	struct net *net = c->net;
	size_t used;

	switch (proxy_feed(&c->proxy, bytes, n, &used)) {
	case PROXY_NEED_MORE:
		if (!c->deadline_ms) {
			int wait = net->cfg.proxy_wait_ms > 0 ? net->cfg.proxy_wait_ms
							      : NET_DEFAULT_PROXY_WAIT_MS;

			conn_set_deadline(c, clock_mono_ms() + wait);
		}
		return;
	case PROXY_OK:
		c->sniffing = false;
		conn_set_deadline(c, 0);
		if (c->proxy.info.known) {
			c->proxied = true;
			conn_set_client(c, &c->proxy.info.src);
			if (net->cfg.max_per_addr &&
			    net_addr_count(net, c->addr) >= net->cfg.max_per_addr) {
				conn_refuse(c, NET_MSG_PER_ADDR,
					    "too many connections from address");
				return;
			}
			net_addr_adjust(net, c->addr, +1);
			c->counted = true;
			log_debug(net->log, "conn %" PRIu32 " proxied for %s", c->id, c->addr);
			if (net->cb.on_proxy)
				net->cb.on_proxy(net->ud, c);
		}
		conn_deliver(c, bytes + used, n - used);
		return;
	case PROXY_NOT_PROXY:
		c->sniffing = false;
		conn_set_deadline(c, 0);
		conn_deliver(c, c->proxy.held, c->proxy.len);
		conn_deliver(c, bytes, n);
		return;
	case PROXY_INVALID:
		c->sniffing = false;
		conn_refuse(c, NET_MSG_PROXY_BAD, "invalid PROXY header");
		return;
	}
}

/* An untrusted peer's stream start: anything but a PROXY line. */
static void conn_input_sniff(struct conn *c, const char *bytes, size_t n)
{
	size_t used;
	enum proxy_result r = proxy_feed(&c->proxy, bytes, n, &used);

	if (r == PROXY_NOT_PROXY) {
		c->sniffing = false;
		conn_deliver(c, c->proxy.held, c->proxy.len);
		conn_deliver(c, bytes, n);
		return;
	}
	if (r == PROXY_NEED_MORE && c->proxy.len < PROXY_V1_SIG_LEN)
		return;
	/* It starts with "PROXY ": only trusted proxies may say that. */
	c->sniffing = false;
	conn_refuse(c, NET_MSG_PROXY_DENIED, "PROXY header from untrusted address");
}

static void conn_input(struct conn *c, const char *bytes, size_t n)
{
	if (c->sniffing && c->trusted)
		conn_input_trusted(c, bytes, n);
	else if (c->sniffing)
		conn_input_sniff(c, bytes, n);
	else
		conn_deliver(c, bytes, n);
}

static void conn_read(struct conn *c)
{
	struct net *net = c->net;
	size_t pass = net->cfg.read_pass ? net->cfg.read_pass : NET_DEFAULT_READ_PASS;
	size_t total = 0;

	while (total < pass && !c->closing && !c->flush_close && !c->dead && !c->held) {
		size_t want =
			pass - total < sizeof(net->scratch) ? pass - total : sizeof(net->scratch);
		ssize_t r = recv(c->fd, net->scratch, want, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				conn_fail(c, "read error", errno);
			return;
		}
		if (r == 0) {
			conn_close_later(c, "closed by peer");
			return;
		}
		total += (size_t)r;
		c->bytes_in += (uint64_t)r;
		net->st.bytes_in += (uint64_t)r;
		c->last_input_ms = clock_mono_ms();
		conn_input(c, net->scratch, (size_t)r);
		if ((size_t)r < want)
			return; /* drained for now; level-triggered polling brings us back */
	}
}

void conn_io(struct loop *loop, int fd, int mask, void *ud)
{
	struct conn *c = ud;

	(void)loop;
	(void)fd;
	if (mask & LOOP_WRITE)
		conn_flush(c);
	if ((mask & LOOP_READ) && !c->closing && !c->flush_close && !c->dead && !c->held)
		conn_read(c);
}

void conn_hold_input(struct conn *c, bool hold)
{
	if (c->held == hold)
		return;
	c->held = hold;
	conn_update_mask(c);
}

bool conn_input_held(const struct conn *c)
{
	return c->held;
}

/* ---- the table ----------------------------------------------------------- */

struct net *net_new(struct loop *loop, const struct net_config *cfg, const struct net_callbacks *cb,
		    void *ud, struct log *lg)
{
	struct net *net;

	if (!loop || !cb || !cb->on_open || !cb->on_data || !cb->on_close)
		return NULL;
	net = xcalloc(1, sizeof(*net));
	net->loop = loop;
	if (cfg)
		net->cfg = *cfg;
	net->cb = *cb;
	net->ud = ud;
	net->log = lg;
	net->last_port = -1;
	net->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	dlist_init(&net->open);
	dlist_init(&net->dirty);
	dlist_init(&net->timed);
	dlist_init(&net->marked);
	map_init(&net->per_addr, false);
	if (net->cfg.io_uring) {
		int err = 0;

		net->uring = net_uring_new(&err);
		if (net->uring)
			log_info(lg, "output: many connections' sends per system call (io_uring)");
		else
			log_info(lg, "output: io_uring unavailable (%s); one send() per connection",
				 strerror(-err));
	}
	return net;
}

/* Closes and frees c; calls on_close if it was opened and callbacks are wanted. */
static void conn_destroy(struct conn *c, bool callbacks)
{
	struct net *net = c->net;

	if (dlink_linked(&c->marked))
		dlist_remove(&net->marked, &c->marked);
	if (dlink_linked(&c->dirty))
		dlist_remove(&net->dirty, &c->dirty);
	if (dlink_linked(&c->timed))
		dlist_remove(&net->timed, &c->timed);
	if (!c->dead) {
		conn_flush(c);
		/*
		 * Closing with unread input makes the kernel answer with a reset,
		 * which can destroy the last line (a refusal, a goodbye) before the
		 * client reads it: take what is waiting first, without blocking.
		 */
		(void)!recv(c->fd, net->scratch, sizeof(net->scratch), MSG_DONTWAIT);
		shutdown(c->fd, SHUT_WR);
	}
	loop_fd_del(net->loop, c->fd);
	close(c->fd);
	if (c->counted)
		net_addr_adjust(net, c->addr, -1);
	dlist_remove(&net->open, &c->link);
	if (c->opened) {
		net_ids_del(net, c);
		log_debug(net->log, "conn %" PRIu32 " from %s closed: %s", c->id, c->addr,
			  c->reason ? c->reason : "closed");
		if (callbacks)
			net->cb.on_close(net->ud, c, c->reason ? c->reason : "closed");
	}
	free(c->reason);
	buf_fini(&c->out);
	free(c);
}

/*
 * Frees every marked connection; returns how many. An on_close may mark
 * others: they are freed in the same call.
 */
static int net_destroy_marked(struct net *net)
{
	int n = 0;

	while (!dlist_empty(&net->marked)) {
		conn_destroy(dlist_entry(net->marked.head.next, struct conn, marked), true);
		n++;
	}
	return n;
}

/*
 * net_reap() runs once per loop pass, thousands of times a second under
 * load: with thousands of connections, walking them all each time took a
 * fifth of the server's CPU. So it visits only the connections that need
 * it: written to (net->dirty), with a deadline (net->timed: a PROXY line
 * being waited for, a close after flush), marked closing (net->marked).
 */
int net_reap(struct net *net)
{
	int64_t now = clock_mono_ms();

	net_flush(net);
	DLIST_FOREACH_SAFE(&net->timed, it, tmp)
	{
		struct conn *c = dlist_entry(it, struct conn, timed);

		if (c->closing || now < c->deadline_ms)
			continue;
		conn_set_deadline(c, 0);
		if (c->flush_close)
			conn_close_later(c, c->reason);
		else if (c->sniffing && c->trusted)
			conn_refuse(c, NET_MSG_PROXY_BAD, "incomplete PROXY header");
	}
	return net_destroy_marked(net);
}

void net_shutdown(struct net *net, const char *reason)
{
	net_unlisten(net);
	DLIST_FOREACH(&net->open, it)
	{
		conn_close_later(dlist_entry(it, struct conn, link), reason);
	}
	net_destroy_marked(net);
}

void net_free(struct net *net)
{
	if (!net)
		return;
	net_unlisten(net);
	DLIST_FOREACH_SAFE(&net->open, it, tmp)
	{
		struct conn *c = dlist_entry(it, struct conn, link);

		c->dead = true;
		conn_destroy(c, false);
	}
	if (net->spare_fd >= 0)
		close(net->spare_fd);
	net_ids_fini(net);
	map_fini(&net->per_addr);
	net_uring_free(net->uring);
	free(net->listeners);
	free(net);
}

struct conn *net_first(const struct net *net)
{
	if (dlist_empty(&net->open))
		return NULL;
	return dlist_entry(net->open.head.next, struct conn, link);
}

struct conn *net_next(const struct conn *c)
{
	if (c->link.next == &c->net->open.head)
		return NULL;
	return dlist_entry(c->link.next, struct conn, link);
}

size_t net_count(const struct net *net)
{
	return net->open.count;
}

void net_stats(const struct net *net, struct net_stats *out)
{
	*out = net->st;
	out->conns = net->open.count;
	out->pending = 0;
	DLIST_FOREACH(&net->open, it)
	{
		const struct conn *c = dlist_entry(it, struct conn, link);

		if (c->sniffing && c->trusted && c->proxy.len > 0)
			out->pending++;
	}
	out->listeners = net->nlisteners;
}

/* ---- accessors ----------------------------------------------------------- */

uint32_t conn_id(const struct conn *c)
{
	return c->id;
}

const char *conn_addr(const struct conn *c)
{
	return c->addr;
}

const struct addr *conn_peer(const struct conn *c)
{
	return &c->client;
}

bool conn_proxied(const struct conn *c)
{
	return c->proxied;
}

int64_t conn_connected_at(const struct conn *c)
{
	return c->connected_at;
}

int64_t conn_last_input_ms(const struct conn *c)
{
	return c->last_input_ms;
}

uint64_t conn_bytes_in(const struct conn *c)
{
	return c->bytes_in;
}

uint64_t conn_bytes_out(const struct conn *c)
{
	return c->bytes_out;
}

size_t conn_pending_output(const struct conn *c)
{
	return conn_queued(c);
}

bool conn_closing(const struct conn *c)
{
	return c->closing || c->flush_close;
}

void *conn_get_ud(const struct conn *c)
{
	return c->ud;
}

void conn_set_ud(struct conn *c, void *ud)
{
	c->ud = ud;
}
