/*
 * test_conn.c: listeners and connections (src/net/conn.h) over real
 * loopback sockets.
 *
 * A harness runs the loop and records every callback per connection; test
 * clients are plain non-blocking sockets. Covered: accept and echo, ids,
 * refusals (per address, total, descriptor past the loop's set size),
 * output overflow against a client that never reads, PROXY v1 from trusted
 * peers (address replaced, split lines, limits on the announced address,
 * silence, bad lines) and from untrusted ones (refused), close_later and
 * close_after_flush, the read-pass cap, shutdown, IPv6 and dual-stack,
 * and a burst of output through io_uring (and the same without it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "net/conn.h"
#include "net/internal.h" /* next_id, to wrap the counter */
#include "uring_probe.h"
#include "base/banned.h"

#define MAX_RECS 32

/* What the owner saw of one connection. */
struct rec {
	uint32_t id;
	struct conn *c; /* NULL once closed */
	char addr[ADDR_STRLEN];
	bool proxied;
	struct buf in;
	int data_calls;
	size_t biggest_data; /* largest single on_data */
	int closes;
	char reason[96];
};

struct h {
	struct loop *loop;
	struct net *net;
	struct log *log;
	struct addr_list *trusted;
	struct rec recs[MAX_RECS];
	int nrecs;
	int opens;
	int proxies;	   /* on_proxy calls */
	bool echo;	   /* on_data writes the bytes back */
	const char *quit;  /* on_data containing this: "bye\r\n", close_later("quit") */
	const char *drain; /* on_data containing this: close_after_flush("drained") */
	int close_writes;  /* conn_write results from inside on_close (must be -EPIPE) */
};

static void on_open(void *ud, struct conn *c)
{
	struct h *h = ud;
	struct rec *r;

	assert_true(h->nrecs < MAX_RECS);
	r = &h->recs[h->nrecs++];
	memset(r, 0, sizeof(*r));
	r->id = conn_id(c);
	r->c = c;
	snprintf(r->addr, sizeof(r->addr), "%s", conn_addr(c));
	r->proxied = conn_proxied(c);
	buf_init(&r->in, 0);
	assert_null(conn_get_ud(c));
	conn_set_ud(c, r);
	h->opens++;
}

static void on_data(void *ud, struct conn *c, const char *bytes, size_t n)
{
	struct h *h = ud;
	struct rec *r = conn_get_ud(c);

	assert_non_null(r);
	assert_true(n > 0);
	assert_false(conn_closing(c));
	r->data_calls++;
	if (n > r->biggest_data)
		r->biggest_data = n;
	assert_int_equal(buf_append(&r->in, bytes, n), 0);
	if (h->echo)
		conn_write(c, bytes, n);
	if (h->quit && strstr(buf_cstr(&r->in), h->quit)) {
		assert_int_equal(conn_write(c, "bye\r\n", 5), 0);
		conn_close_later(c, "quit");
		/* Marked: no more writes, but still findable until reaped. */
		assert_int_equal(conn_write(c, "late\r\n", 6), -EPIPE);
		assert_ptr_equal(net_find(h->net, conn_id(c)), c);
	}
	if (h->drain && strstr(buf_cstr(&r->in), h->drain))
		conn_close_after_flush(c, "drained");
}

static void on_close(void *ud, struct conn *c, const char *reason)
{
	struct h *h = ud;
	struct rec *r = conn_get_ud(c);

	assert_non_null(r);
	assert_ptr_equal(r->c, c);
	r->closes++;
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
	r->c = NULL;
	if (conn_write(c, "x", 1) == -EPIPE)
		h->close_writes++;
}

static void on_proxy(void *ud, struct conn *c)
{
	struct h *h = ud;
	struct rec *r = conn_get_ud(c);

	assert_non_null(r);
	snprintf(r->addr, sizeof(r->addr), "%s", conn_addr(c));
	r->proxied = conn_proxied(c);
	assert_true(r->proxied);
	h->proxies++;
}

static const struct net_callbacks callbacks = {on_open, on_data, on_close, on_proxy};

static void h_start(struct h *h, enum loop_backend be, int setsize, const struct net_config *cfg,
		    const char *trusted)
{
	struct net_config c;

	memset(h, 0, sizeof(*h));
	h->log = log_new(NULL, LOG_ERROR);
	h->loop = loop_new(be, setsize);
	assert_non_null(h->loop);
	memset(&c, 0, sizeof(c));
	if (cfg)
		c = *cfg;
	if (trusted) {
		h->trusted = addr_list_new(trusted, NULL);
		assert_non_null(h->trusted);
		c.trusted = h->trusted;
	}
	h->net = net_new(h->loop, &c, &callbacks, h, h->log);
	assert_non_null(h->net);
}

static int h_listen(struct h *h)
{
	int port = net_listen(h->net, "127.0.0.1", 0);

	assert_true(port > 0);
	assert_int_equal(net_listen_port(h->net), port);
	return port;
}

static void h_stop(struct h *h)
{
	int i;

	net_free(h->net);
	loop_free(h->loop);
	addr_list_free(h->trusted);
	log_free(h->log);
	for (i = 0; i < h->nrecs; i++)
		buf_fini(&h->recs[i].in);
}

/* One loop pass, as the server runs it: poll, then reap. */
static void h_pass(struct h *h, int ms)
{
	assert_true(loop_poll(h->loop, ms) >= 0);
	net_reap(h->net);
}

static void h_pump(struct h *h, int ms)
{
	int64_t end = clock_mono_ms() + ms;

	while (clock_mono_ms() < end)
		h_pass(h, 5);
}

/* Passes until the flag at p becomes at least want, or 3 s. */
static void h_until(struct h *h, const int *p, int want)
{
	int64_t end = clock_mono_ms() + 3000;

	while (*p < want && clock_mono_ms() < end)
		h_pass(h, 5);
	assert_true(*p >= want);
}

static int client_connect_to(const char *ip, int family, int port, int rcvbuf)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(family, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	if (rcvbuf)
		assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, ip, &sin->sin_addr);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, ip, &sin6->sin6_addr);
		len = sizeof(*sin6);
	}
	/* Loopback connects complete into the backlog without the server's help. */
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		close(fd);
		return -errno;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static int client_connect(int port)
{
	int fd = client_connect_to("127.0.0.1", AF_INET, port, 0);

	assert_true(fd >= 0);
	return fd;
}

static void client_send(int fd, const char *s)
{
	assert_int_equal(send(fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

/*
 * Runs the server and reads the client until it has want bytes, or EOF
 * (then *eof is set), or 3 s. Returns what was read in out (cleared first).
 */
static void client_read(struct h *h, int fd, struct buf *out, size_t want, bool *eof)
{
	int64_t end = clock_mono_ms() + 3000;
	char chunk[4096];

	buf_clear(out);
	*eof = false;
	while (out->len < want && clock_mono_ms() < end) {
		ssize_t r;

		h_pass(h, 2);
		r = recv(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
		if (r > 0) {
			assert_int_equal(buf_append(out, chunk, (size_t)r), 0);
			continue;
		}
		if (r == 0 || (r < 0 && errno == ECONNRESET)) {
			*eof = true;
			return;
		}
	}
}

/* Expects the client to get exactly text, then EOF. */
static void client_expect_refusal(struct h *h, int fd, const char *text)
{
	struct buf got;
	bool eof;

	buf_init(&got, 0);
	client_read(h, fd, &got, (size_t)-1, &eof);
	assert_true(eof);
	assert_string_equal(buf_cstr(&got), text);
	buf_fini(&got);
}

/* ---- tests --------------------------------------------------------------- */

static void run_echo(enum loop_backend be)
{
	struct h h;
	struct net_stats st;
	struct buf got;
	bool eof;
	int port, fd;

	h_start(&h, be, 0, NULL, NULL);
	h.echo = true;
	port = h_listen(&h);
	fd = client_connect(port);
	h_until(&h, &h.opens, 1);
	assert_int_not_equal(h.recs[0].id, 0);
	assert_string_equal(h.recs[0].addr, "127.0.0.1");
	assert_false(h.recs[0].proxied);
	assert_int_equal(net_count(h.net), 1);
	assert_ptr_equal(net_find(h.net, h.recs[0].id), h.recs[0].c);
	assert_true(conn_peer(h.recs[0].c)->port > 0);
	assert_true(conn_connected_at(h.recs[0].c) > 0);

	client_send(fd, "hello\r\n");
	buf_init(&got, 0);
	client_read(&h, fd, &got, 7, &eof);
	assert_false(eof);
	assert_string_equal(buf_cstr(&got), "hello\r\n");
	assert_string_equal(buf_cstr(&h.recs[0].in), "hello\r\n");
	assert_int_equal(conn_bytes_in(h.recs[0].c), 7);
	assert_int_equal(conn_bytes_out(h.recs[0].c), 7);
	assert_int_equal(conn_pending_output(h.recs[0].c), 0);

	close(fd);
	h_until(&h, &h.recs[0].closes, 1);
	assert_string_equal(h.recs[0].reason, "closed by peer");
	assert_int_equal(h.close_writes, 1);
	assert_int_equal(net_count(h.net), 0);
	assert_null(net_find(h.net, h.recs[0].id));
	net_stats(h.net, &st);
	assert_int_equal(st.accepted, 1);
	assert_int_equal(st.refused, 0);
	assert_int_equal(st.bytes_in, 7);
	assert_int_equal(st.bytes_out, 7);
	assert_int_equal(st.listeners, 1);
	buf_fini(&got);
	h_stop(&h);
}

static void test_echo_select(void **state)
{
	(void)state;
	run_echo(LOOP_SELECT);
}

static void test_echo_epoll(void **state)
{
	(void)state;
	run_echo(LOOP_EPOLL);
}

static void test_ids_and_iteration(void **state)
{
	struct h h;
	int port, fds[3], i;
	struct conn *c;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, NULL, NULL);
	port = h_listen(&h);
	for (i = 0; i < 3; i++) {
		fds[i] = client_connect(port);
		h_until(&h, &h.opens, i + 1);
	}
	assert_true(h.recs[0].id < h.recs[1].id);
	assert_true(h.recs[1].id < h.recs[2].id);
	/* Oldest first; marking during the walk is fine. */
	i = 0;
	for (c = net_first(h.net); c; c = net_next(c)) {
		assert_ptr_equal(c, h.recs[i].c);
		if (i == 1)
			conn_close_later(c, "kicked");
		i++;
	}
	assert_int_equal(i, 3);
	assert_true(conn_closing(h.recs[1].c));
	assert_int_equal(net_reap(h.net), 1);
	assert_int_equal(h.recs[1].closes, 1);
	assert_string_equal(h.recs[1].reason, "kicked");
	assert_int_equal(net_count(h.net), 2);
	assert_ptr_equal(net_next(net_first(h.net)), h.recs[2].c);

	/* A new connection never gets an old id. */
	close(fds[1]);
	fds[1] = client_connect(port);
	h_until(&h, &h.opens, 4);
	assert_true(h.recs[3].id > h.recs[2].id);
	for (i = 0; i < 3; i++)
		close(fds[i]);
	h_stop(&h);
}

static void test_per_address_limit(void **state)
{
	struct net_config cfg = {.max_per_addr = 2};
	struct net_stats st;
	struct h h;
	int port, a, b, c, d;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, &cfg, NULL);
	port = h_listen(&h);
	a = client_connect(port);
	b = client_connect(port);
	h_until(&h, &h.opens, 2);
	c = client_connect(port);
	client_expect_refusal(&h, c, NET_MSG_PER_ADDR);
	assert_int_equal(h.opens, 2);
	net_stats(h.net, &st);
	assert_int_equal(st.refused, 1);
	/* One leaves: room again. */
	close(a);
	h_until(&h, &h.recs[0].closes, 1);
	d = client_connect(port);
	h_until(&h, &h.opens, 3);
	close(b);
	close(c);
	close(d);
	h_stop(&h);
}

static void test_max_conns(void **state)
{
	struct net_config cfg = {.max_conns = 1};
	struct h h;
	int port, a, b;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, &cfg, NULL);
	port = h_listen(&h);
	a = client_connect(port);
	h_until(&h, &h.opens, 1);
	b = client_connect(port);
	client_expect_refusal(&h, b, NET_MSG_FULL);
	assert_int_equal(h.opens, 1);
	close(a);
	close(b);
	h_stop(&h);
}

/* The lowest descriptor number open() would give now. */
static int next_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);

	assert_true(fd >= 0);
	close(fd);
	return fd;
}

/*
 * A loop that can watch only up to the listener, as if FD_SETSIZE were that
 * small: the accepted socket is past it, so it is told the server is full
 * and never watched.
 */
static void test_fd_limit(void **state)
{
	struct net_stats st;
	struct h h;
	int f0, port, fd;

	(void)state;
	f0 = next_fd();
	/* The log takes no descriptor; net_new's spare takes f0, the listener f0 + 1. */
	h_start(&h, LOOP_SELECT, f0 + 2, NULL, NULL);
	port = h_listen(&h);
	assert_int_equal(next_fd(), f0 + 2);
	fd = client_connect(port); /* f0 + 2; the server's end is f0 + 3 */
	client_expect_refusal(&h, fd, NET_MSG_FULL);
	assert_int_equal(h.opens, 0);
	net_stats(h.net, &st);
	assert_int_equal(st.refused, 1);
	assert_int_equal(st.accepted, 0);
	close(fd);
	h_stop(&h);
}

/* Out of descriptors altogether: the spare one is given up to tell a client so. */
static void test_out_of_descriptors(void **state)
{
	struct net_stats st;
	struct rlimit old, low;
	struct buf got;
	bool eof;
	struct h h;
	int port, a, b;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, NULL, NULL);
	port = h_listen(&h);
	a = client_connect(port);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)next_fd();
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	buf_init(&got, 0);
	client_read(&h, a, &got, (size_t)-1, &eof);
	/* Restored before any assertion, so a failure here does not starve later tests. */
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_true(eof);
	assert_string_equal(buf_cstr(&got), NET_MSG_FULL);
	buf_fini(&got);
	assert_int_equal(h.opens, 0);
	net_stats(h.net, &st);
	assert_int_equal(st.refused, 1);
	/* With descriptors back, clients are served again (the spare was restored). */
	b = client_connect(port);
	h_until(&h, &h.opens, 1);
	close(a);
	close(b);
	h_stop(&h);
}

/* A client that never reads; the server keeps writing until the cap bites. */
static void test_output_overflow(void **state)
{
	struct net_config cfg = {.output_cap = 64 * 1024};
	struct h h;
	char chunk[8192];
	int port, fd, rc = 0;
	size_t total = 0;
	struct conn *c;

	(void)state;
	memset(chunk, 'o', sizeof(chunk));
	h_start(&h, LOOP_SELECT, 0, &cfg, NULL);
	port = h_listen(&h);
	fd = client_connect_to("127.0.0.1", AF_INET, port, 4096);
	assert_true(fd >= 0);
	h_until(&h, &h.opens, 1);
	c = h.recs[0].c;
	while (total < (size_t)256 * 1024 * 1024) {
		rc = conn_write(c, chunk, sizeof(chunk));
		if (rc < 0)
			break;
		total += sizeof(chunk);
		assert_true(conn_pending_output(c) <= cfg.output_cap);
		h_pass(&h, 0);
	}
	assert_int_equal(rc, -ENOBUFS);
	assert_true(conn_closing(c));
	assert_int_equal(conn_write(c, chunk, 1), -EPIPE);
	net_reap(h.net);
	assert_int_equal(h.recs[0].closes, 1);
	assert_string_equal(h.recs[0].reason, "output overflow");
	assert_int_equal(net_count(h.net), 0);
	close(fd);
	h_stop(&h);
}

/* Output queues while the socket is full and drains when the client reads. */
static void test_queue_drains(void **state)
{
	struct net_config cfg = {.output_cap = 8 * 1024 * 1024};
	struct h h;
	struct buf got;
	char chunk[8192];
	int port, fd, i;
	bool eof;
	struct conn *c;
	size_t total = 0;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, &cfg, NULL);
	port = h_listen(&h);
	fd = client_connect_to("127.0.0.1", AF_INET, port, 4096);
	h_until(&h, &h.opens, 1);
	c = h.recs[0].c;
	/* Write until some of it has to wait in the queue for the socket. */
	for (i = 0; conn_pending_output(c) == 0 && i < 4096; i++) {
		memset(chunk, 'a' + i % 26, sizeof(chunk));
		assert_int_equal(conn_write(c, chunk, sizeof(chunk)), 0);
		total += sizeof(chunk);
		net_flush(h.net);
	}
	assert_true(conn_pending_output(c) > 0);
	buf_init(&got, 64 * 1024 * 1024);
	client_read(&h, fd, &got, total, &eof);
	assert_false(eof);
	assert_int_equal(got.len, total);
	/* In order: chunk k is all the k-th letter. */
	for (i = 0; (size_t)i < total / sizeof(chunk); i++) {
		assert_int_equal(got.data[(size_t)i * sizeof(chunk)], 'a' + i % 26);
		assert_int_equal(got.data[(size_t)i * sizeof(chunk) + sizeof(chunk) - 1],
				 'a' + i % 26);
	}
	assert_int_equal(conn_pending_output(c), 0);
	assert_int_equal(conn_bytes_out(c), total);
	buf_fini(&got);
	close(fd);
	h_stop(&h);
}

/*
 * Write-behind: writes wait in the queue, untouched by the socket, until
 * net_flush() sends them together, in order; a drained queue that had grown
 * big gives its memory back.
 */
static void test_write_behind(void **state)
{
	struct h h;
	struct buf got;
	char big[16384];
	int port, fd;
	bool eof;
	struct conn *c;

	(void)state;
	memset(big, 'b', sizeof(big));
	h_start(&h, LOOP_SELECT, 0, NULL, NULL);
	port = h_listen(&h);
	fd = client_connect_to("127.0.0.1", AF_INET, port, 0);
	h_until(&h, &h.opens, 1);
	c = h.recs[0].c;
	assert_int_equal(conn_write(c, "one ", 4), 0);
	assert_int_equal(conn_write(c, "two\r\n", 5), 0);
	assert_int_equal(conn_pending_output(c), 9);
	assert_int_equal(conn_bytes_out(c), 0);
	net_flush(h.net);
	assert_int_equal(conn_pending_output(c), 0);
	assert_int_equal(conn_bytes_out(c), 9);
	buf_init(&got, 0);
	client_read(&h, fd, &got, 9, &eof);
	assert_string_equal(buf_cstr(&got), "one two\r\n");
	/* A flush with nothing written is a no-op; a big message still goes out whole. */
	net_flush(h.net);
	assert_int_equal(conn_write(c, big, sizeof(big)), 0);
	net_reap(h.net);
	assert_int_equal(conn_bytes_out(c), 9 + sizeof(big));
	buf_clear(&got);
	client_read(&h, fd, &got, sizeof(big), &eof);
	assert_int_equal(got.len, sizeof(big));
	buf_fini(&got);
	close(fd);
	h_stop(&h);
}

/*
 * Writes of odd sizes interleaved with slow partial reads, so the queue is
 * written, partly sent and compacted many times over: the stream stays whole
 * and in order.
 */
static void test_stream_integrity(void **state)
{
	struct net_config cfg = {.output_cap = 16 * 1024 * 1024};
	struct h h;
	struct buf got;
	char chunk[3001], rd[1500];
	int port, fd, i, extra;
	size_t sent = 0, k, peak = 0;
	struct conn *c;
	int64_t end;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, &cfg, NULL);
	port = h_listen(&h);
	fd = client_connect_to("127.0.0.1", AF_INET, port, 4096);
	h_until(&h, &h.opens, 1);
	c = h.recs[0].c;
	buf_init(&got, 64 * 1024 * 1024);
	/*
	 * Phase 0 writes without reading until the socket is full and 3000 more
	 * writes wait in the queue; phase 1 makes small writes while the client
	 * reads fast, so the queue is sent and compacted from the front.
	 */
	for (i = 0, extra = 0; i < 100000 && extra < 3000; i++) {
		size_t n = 1 + (size_t)(i * 7919) % sizeof(chunk);

		for (k = 0; k < n; k++)
			chunk[k] = (char)((sent + k) % 251);
		assert_int_equal(conn_write(c, chunk, n), 0);
		sent += n;
		if (conn_pending_output(c) > peak)
			peak = conn_pending_output(c);
		if (peak)
			extra++;
		h_pass(&h, 0);
	}
	for (i = 0; i < 4000; i++) {
		size_t n = 1 + (size_t)(i * 7919) % 500;
		int reads = 4;

		for (k = 0; k < n; k++)
			chunk[k] = (char)((sent + k) % 251);
		assert_int_equal(conn_write(c, chunk, n), 0);
		sent += n;
		h_pass(&h, 0);
		while (reads-- > 0) {
			ssize_t r = recv(fd, rd, sizeof(rd), MSG_DONTWAIT);

			if (r > 0)
				assert_int_equal(buf_append(&got, rd, (size_t)r), 0);
		}
	}
	end = clock_mono_ms() + 5000;
	while (got.len < sent && clock_mono_ms() < end) {
		ssize_t r;

		h_pass(&h, 1);
		r = recv(fd, rd, sizeof(rd), MSG_DONTWAIT);
		if (r > 0)
			assert_int_equal(buf_append(&got, rd, (size_t)r), 0);
	}
	/* The queue was really used (the socket alone could not take it all). */
	assert_true(peak > 0);
	assert_int_equal(got.len, sent);
	for (k = 0; k < sent; k++)
		if ((unsigned char)got.data[k] != k % 251)
			fail_msg("byte %zu is %u, want %zu", k, (unsigned char)got.data[k],
				 k % 251);
	assert_int_equal(h.recs[0].closes, 0);
	buf_fini(&got);
	close(fd);
	h_stop(&h);
}

/* True when this kernel lets us make an io_uring (kernel.io_uring_disabled is 0). */
static bool ring_expected(void)
{
	return io_uring_disabled() == 0;
}

/*
 * Output for many connections at once goes through io_uring: each client
 * gets its own bytes, whole and in order; a client that stops reading
 * fills its socket (the ring's short send or EAGAIN), keeps the rest
 * queued and gets it all once it reads; a client gone with a reset fails
 * alone ("write error"). The same run with the ring off is the control.
 */
static void run_ring_burst(bool ring)
{
	enum { CLIENTS = 24, ROUNDS = 20 };
	struct net_config cfg = {.output_cap = 32 * 1024 * 1024, .io_uring = ring};
	struct net_stats st;
	struct h h;
	struct buf got, want;
	static char big[65536];
	char line[64];
	int port, fd[CLIENTS];
	const int stalled = 3, reset = 7;
	size_t fill = 0;
	struct linger lin = {.l_onoff = 1, .l_linger = 0};
	bool eof;

	h_start(&h, LOOP_SELECT, 0, &cfg, NULL);
	port = h_listen(&h);
	for (int i = 0; i < CLIENTS; i++)
		fd[i] = client_connect_to("127.0.0.1", AF_INET, port, i == stalled ? 4096 : 0);
	h_until(&h, &h.opens, CLIENTS);
	/* The reset client's connection fails on the first send after this. */
	assert_int_equal(setsockopt(fd[reset], SOL_SOCKET, SO_LINGER, &lin, sizeof(lin)), 0);
	close(fd[reset]);
	/* The stalled client's socket is filled first: its queue must wait for room. */
	memset(big, 's', sizeof(big));
	while (conn_pending_output(h.recs[stalled].c) == 0 && fill < cfg.output_cap / 2) {
		assert_int_equal(conn_write(h.recs[stalled].c, big, sizeof(big)), 0);
		fill += sizeof(big);
		net_flush(h.net);
	}
	assert_true(conn_pending_output(h.recs[stalled].c) > 0);
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < CLIENTS; i++) {
			if (i == reset && h.recs[i].c == NULL)
				continue;
			snprintf(line, sizeof(line), "round %02d for client %02d\r\n", r, i);
			assert_int_equal(conn_write(h.recs[i].c, line, strlen(line)), 0);
		}
		net_flush(h.net);
		net_reap(h.net);
	}
	/* The reset client failed alone; nobody else was closed. */
	assert_int_equal(h.recs[reset].closes, 1);
	assert_non_null(strstr(h.recs[reset].reason, "write error"));
	for (int i = 0; i < CLIENTS; i++)
		if (i != reset)
			assert_int_equal(h.recs[i].closes, 0);
	/* The stalled client's socket is full: the rest waits in its queue. */
	assert_true(conn_pending_output(h.recs[stalled].c) > 0);
	/* Each round: every client but the stalled one (waiting for room) and the reset one. */
	net_stats(h.net, &st);
	if (ring)
		assert_true(st.ring_sends >= (uint64_t)(CLIENTS - 2) * ROUNDS);
	else
		assert_int_equal(st.ring_sends, 0);

	buf_init(&got, 64 * 1024 * 1024);
	buf_init(&want, 64 * 1024 * 1024);
	for (int i = 0; i < CLIENTS; i++) {
		if (i == reset)
			continue;
		buf_clear(&want);
		for (size_t k = 0; i == stalled && k < fill; k += sizeof(big))
			buf_append(&want, big, sizeof(big));
		for (int r = 0; r < ROUNDS; r++)
			buf_printf(&want, "round %02d for client %02d\r\n", r, i);
		client_read(&h, fd[i], &got, want.len, &eof);
		assert_false(eof);
		assert_int_equal(got.len, want.len);
		assert_memory_equal(got.data, want.data, want.len);
		assert_int_equal(conn_pending_output(h.recs[i].c), 0);
		close(fd[i]);
	}
	buf_fini(&got);
	buf_fini(&want);
	h_stop(&h);
}

static void test_ring_burst(void **state)
{
	(void)state;
	if (!ring_expected())
		skip();
	run_ring_burst(true);
}

static void test_ring_off_burst(void **state)
{
	(void)state;
	run_ring_burst(false);
}

static void test_close_later(void **state)
{
	struct h h;
	struct buf got;
	bool eof;
	int port, fd;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, NULL, NULL);
	h.quit = "quit";
	port = h_listen(&h);
	fd = client_connect(port);
	h_until(&h, &h.opens, 1);
	client_send(fd, "quit\r\n");
	/* The quit is seen inside a pass; on_close comes at that pass's reap. */
	buf_init(&got, 0);
	client_read(&h, fd, &got, (size_t)-1, &eof);
	assert_true(eof);
	assert_string_equal(buf_cstr(&got), "bye\r\n");
	assert_int_equal(h.recs[0].closes, 1);
	assert_string_equal(h.recs[0].reason, "quit");
	assert_int_equal(h.recs[0].data_calls, 1);
	/* Marking twice keeps the first reason; reaping twice closes once. */
	buf_fini(&got);
	close(fd);

	fd = client_connect(port);
	h_until(&h, &h.opens, 2);
	conn_close_later(h.recs[1].c, "first");
	conn_close_later(h.recs[1].c, "second");
	assert_int_equal(net_reap(h.net), 1);
	assert_int_equal(net_reap(h.net), 0);
	assert_int_equal(h.recs[1].closes, 1);
	assert_string_equal(h.recs[1].reason, "first");
	close(fd);
	h_stop(&h);
}

static void test_close_after_flush(void **state)
{
	struct net_config cfg = {.output_cap = 8 * 1024 * 1024, .flush_wait_ms = 150};
	struct h h;
	struct buf got;
	char chunk[8192];
	int port, fd, i;
	bool eof;
	size_t total = 0;
	struct conn *c;
	int64_t t0;

	(void)state;
	memset(chunk, 'q', sizeof(chunk));
	h_start(&h, LOOP_SELECT, 0, &cfg, NULL);
	port = h_listen(&h);

	/* Drains: every byte reaches the client, then the close. */
	fd = client_connect_to("127.0.0.1", AF_INET, port, 4096);
	h_until(&h, &h.opens, 1);
	c = h.recs[0].c;
	for (i = 0; conn_pending_output(c) == 0 && i < 4096; i++) {
		assert_int_equal(conn_write(c, chunk, sizeof(chunk)), 0);
		total += sizeof(chunk);
		net_flush(h.net);
	}
	conn_close_after_flush(c, "goodbye");
	assert_true(conn_closing(c));
	/* Still queued output goes out; writes are still taken. */
	assert_int_equal(conn_write(c, "!", 1), 0);
	total++;
	buf_init(&got, 64 * 1024 * 1024);
	client_read(&h, fd, &got, (size_t)-1, &eof);
	assert_true(eof);
	assert_int_equal(got.len, total);
	assert_int_equal(got.data[total - 1], '!');
	assert_int_equal(h.recs[0].closes, 1);
	assert_string_equal(h.recs[0].reason, "goodbye");
	close(fd);

	/* Never drains: closed after flush_wait_ms anyway. */
	fd = client_connect_to("127.0.0.1", AF_INET, port, 4096);
	h_until(&h, &h.opens, 2);
	c = h.recs[1].c;
	for (i = 0; conn_pending_output(c) == 0 && i < 4096; i++) {
		assert_int_equal(conn_write(c, chunk, sizeof(chunk)), 0);
		net_flush(h.net);
	}
	t0 = clock_mono_ms();
	conn_close_after_flush(c, "timed goodbye");
	h_until(&h, &h.recs[1].closes, 1);
	assert_true(clock_mono_ms() - t0 >= 140);
	assert_string_equal(h.recs[1].reason, "timed goodbye");

	/* Input after the goodbye is not delivered. */
	close(fd);
	fd = client_connect(port);
	h.drain = "bye";
	h_until(&h, &h.opens, 3);
	client_send(fd, "bye");
	h_until(&h, &h.recs[2].closes, 1);
	assert_int_equal(h.recs[2].data_calls, 1);
	assert_string_equal(h.recs[2].reason, "drained");
	buf_fini(&got);
	close(fd);
	h_stop(&h);
}

static void test_read_pass_cap(void **state)
{
	struct net_config cfg = {.read_pass = 1000};
	struct h h;
	char big[10000];
	int port, fd;

	(void)state;
	memset(big, 'r', sizeof(big));
	h_start(&h, LOOP_SELECT, 0, &cfg, NULL);
	port = h_listen(&h);
	fd = client_connect(port);
	h_until(&h, &h.opens, 1);
	assert_int_equal(send(fd, big, sizeof(big), 0), (ssize_t)sizeof(big));
	usleep(20 * 1000);
	/* One pass takes at most read_pass bytes. */
	h_pass(&h, 100);
	assert_true(h.recs[0].in.len > 0);
	assert_true(h.recs[0].in.len <= 1000);
	h_pump(&h, 100);
	assert_int_equal(h.recs[0].in.len, sizeof(big));
	assert_true(h.recs[0].biggest_data <= 1000);
	close(fd);
	h_stop(&h);
}

static void test_proxy_trusted(void **state)
{
	struct h h;
	int port, fd;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, NULL, "127.0.0.1/8, ::1");
	port = h_listen(&h);
	fd = client_connect(port);
	/* Open at once, as the proxy itself; the line arrives in pieces. */
	h_until(&h, &h.opens, 1);
	assert_string_equal(h.recs[0].addr, "127.0.0.1");
	assert_false(h.recs[0].proxied);
	client_send(fd, "PROXY TCP4 203.0");
	h_pump(&h, 30);
	assert_int_equal(h.proxies, 0);
	client_send(fd, ".113.7 127.0.0.1 56324 4000\r");
	h_pump(&h, 30);
	assert_int_equal(h.proxies, 0);
	assert_int_equal(h.recs[0].data_calls, 0);
	client_send(fd, "\nhello");
	h_until(&h, &h.recs[0].data_calls, 1);
	assert_int_equal(h.proxies, 1);
	assert_string_equal(h.recs[0].addr, "203.0.113.7");
	assert_true(h.recs[0].proxied);
	assert_int_equal(conn_peer(h.recs[0].c)->port, 56324);
	assert_string_equal(buf_cstr(&h.recs[0].in), "hello");
	close(fd);

	/* IPv6 client, line and data in one segment. */
	fd = client_connect(port);
	client_send(fd, "PROXY TCP6 2001:db8::42 ::1 1000 4000\r\nworld");
	h_until(&h, &h.recs[1].data_calls, 1);
	assert_string_equal(h.recs[1].addr, "2001:db8::42");
	assert_string_equal(buf_cstr(&h.recs[1].in), "world");
	close(fd);

	/* UNKNOWN: the proxy's own address stays. */
	fd = client_connect(port);
	client_send(fd, "PROXY UNKNOWN\r\nx");
	h_until(&h, &h.recs[2].data_calls, 1);
	assert_string_equal(h.recs[2].addr, "127.0.0.1");
	assert_false(h.recs[2].proxied);
	assert_int_equal(h.proxies, 2);
	assert_string_equal(buf_cstr(&h.recs[2].in), "x");
	close(fd);
	h_stop(&h);
}

static void test_proxy_trusted_direct(void **state)
{
	struct net_config cfg = {.proxy_wait_ms = 2000};
	struct h h;
	int port, fd;
	int64_t t0;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, &cfg, "127.0.0.0/8");
	port = h_listen(&h);
	/* A trusted peer is open at once, without waiting for a PROXY line... */
	t0 = clock_mono_ms();
	fd = client_connect(port);
	h_until(&h, &h.opens, 1);
	assert_true(clock_mono_ms() - t0 < 1000);
	/* ...and if it speaks plain telnet, its bytes arrive untouched. */
	client_send(fd, "PRO");
	h_pump(&h, 20);
	assert_int_equal(h.recs[0].data_calls, 0);
	client_send(fd, "BE\r\n");
	h_until(&h, &h.recs[0].data_calls, 1);
	h_pump(&h, 20);
	assert_string_equal(buf_cstr(&h.recs[0].in), "PROBE\r\n");
	assert_string_equal(h.recs[0].addr, "127.0.0.1");
	assert_false(h.recs[0].proxied);
	assert_int_equal(h.proxies, 0);
	/* A PROXY line after other data is just data. */
	client_send(fd, "PROXY TCP4 1.2.3.4 127.0.0.1 1 2\r\n");
	h_until(&h, &h.recs[0].data_calls, 2);
	assert_int_equal(h.proxies, 0);
	assert_string_equal(h.recs[0].addr, "127.0.0.1");
	close(fd);
	h_stop(&h);
}

static void test_proxy_trusted_bad(void **state)
{
	struct net_config cfg = {.proxy_wait_ms = 100};
	struct net_stats st;
	struct h h;
	int port, fd;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, &cfg, "127.0.0.1");
	port = h_listen(&h);
	fd = client_connect(port);
	client_send(fd, "PROXY TCP4 bogus 127.0.0.1 1 2\r\n");
	client_expect_refusal(&h, fd, NET_MSG_PROXY_BAD);
	close(fd);
	/* Half a line and then silence. */
	fd = client_connect(port);
	client_send(fd, "PROXY TCP4 1.2.3.4 ");
	client_expect_refusal(&h, fd, NET_MSG_PROXY_BAD);
	close(fd);
	/* Both were open (as the proxy) and were closed, never fed data. */
	h_until(&h, &h.recs[1].closes, 1);
	assert_int_equal(h.opens, 2);
	assert_int_equal(h.recs[0].closes, 1);
	assert_int_equal(h.recs[0].data_calls + h.recs[1].data_calls, 0);
	assert_int_equal(h.proxies, 0);
	net_stats(h.net, &st);
	assert_int_equal(st.refused, 2);
	assert_int_equal(st.pending, 0);
	h_stop(&h);
}

/* Limits count announced addresses, never the proxy's own. */
static void test_proxy_per_address(void **state)
{
	struct net_config cfg = {.max_per_addr = 1};
	struct h h;
	int port, a, b, c, d;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, &cfg, "127.0.0.1");
	port = h_listen(&h);
	a = client_connect(port);
	client_send(a, "PROXY TCP4 198.51.100.1 127.0.0.1 1 4000\r\n");
	h_until(&h, &h.proxies, 1);
	b = client_connect(port);
	client_send(b, "PROXY TCP4 198.51.100.2 127.0.0.1 1 4000\r\n");
	h_until(&h, &h.proxies, 2);
	c = client_connect(port);
	client_send(c, "PROXY TCP4 198.51.100.1 127.0.0.1 2 4000\r\n");
	client_expect_refusal(&h, c, NET_MSG_PER_ADDR);
	assert_int_equal(h.proxies, 2);
	h_until(&h, &h.recs[2].closes, 1);
	/* When the first leaves, its address has room again. */
	close(a);
	h_until(&h, &h.recs[0].closes, 1);
	d = client_connect(port);
	client_send(d, "PROXY TCP4 198.51.100.1 127.0.0.1 3 4000\r\n");
	h_until(&h, &h.proxies, 3);
	assert_string_equal(h.recs[3].addr, "198.51.100.1");
	close(b);
	close(c);
	close(d);
	h_stop(&h);
}

static void test_proxy_untrusted(void **state)
{
	struct h h;
	int port, fd;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, NULL, "10.0.0.0/8");
	port = h_listen(&h);
	fd = client_connect(port);
	h_until(&h, &h.opens, 1);
	/* Split right inside the signature. */
	client_send(fd, "PROX");
	h_pump(&h, 20);
	client_send(fd, "Y TCP4 1.2.3.4 127.0.0.1 1 2\r\nhello");
	client_expect_refusal(&h, fd, NET_MSG_PROXY_DENIED);
	assert_int_equal(h.recs[0].data_calls, 0);
	assert_int_equal(h.recs[0].closes, 1);
	assert_non_null(strstr(h.recs[0].reason, "PROXY"));
	assert_string_equal(h.recs[0].addr, "127.0.0.1");
	close(fd);

	/* Something else that starts like it is passed on whole. */
	fd = client_connect(port);
	h_until(&h, &h.opens, 2);
	client_send(fd, "PRO");
	h_pump(&h, 20);
	assert_int_equal(h.recs[1].data_calls, 0);
	client_send(fd, "MPT\r\n");
	h_until(&h, &h.recs[1].data_calls, 1);
	h_pump(&h, 20);
	assert_string_equal(buf_cstr(&h.recs[1].in), "PROMPT\r\n");
	close(fd);
	h_stop(&h);
}

static void test_shutdown(void **state)
{
	struct net_stats st;
	struct h h;
	struct buf got;
	bool eof;
	int port, a, b;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, NULL, "127.0.0.1");
	port = h_listen(&h);
	a = client_connect(port);
	client_send(a, "hi");
	h_until(&h, &h.opens, 1);
	b = client_connect(port); /* trusted, in the middle of a PROXY line */
	client_send(b, "PROXY TCP4 1.2");
	h_until(&h, &h.opens, 2);
	h_pump(&h, 20);
	net_stats(h.net, &st);
	assert_int_equal(st.pending, 1);
	conn_write(h.recs[0].c, "farewell\r\n", 10);
	net_shutdown(h.net, "server shutting down");
	assert_int_equal(h.recs[0].closes, 1);
	assert_string_equal(h.recs[0].reason, "server shutting down");
	assert_int_equal(h.recs[1].closes, 1);
	assert_int_equal(h.opens, 2);
	net_stats(h.net, &st);
	assert_int_equal(st.conns, 0);
	assert_int_equal(st.pending, 0);
	assert_int_equal(st.listeners, 0);
	assert_int_equal(net_listen_port(h.net), -1);
	buf_init(&got, 0);
	client_read(&h, a, &got, (size_t)-1, &eof);
	assert_true(eof);
	assert_string_equal(buf_cstr(&got), "farewell\r\n");
	client_read(&h, b, &got, (size_t)-1, &eof);
	assert_true(eof);
	/* Nobody listens any more. */
	assert_int_equal(client_connect_to("127.0.0.1", AF_INET, port, 0), -ECONNREFUSED);
	buf_fini(&got);
	close(a);
	close(b);
	h_stop(&h);
}

static void test_listen_families(void **state)
{
	struct h h;
	int port, fd;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, NULL, NULL);
	assert_int_equal(net_listen_port(h.net), -1);
	assert_int_equal(net_listen(h.net, "127.0.0.1", 70000), -EINVAL);
	assert_true(net_listen(h.net, "no-such-host.invalid", 0) < 0);

	/* "::" takes IPv4 too, and the address is shown as plain IPv4. */
	port = net_listen(h.net, "::", 0);
	if (port > 0) {
		fd = client_connect(port);
		h_until(&h, &h.opens, 1);
		assert_string_equal(h.recs[0].addr, "127.0.0.1");
		close(fd);
		fd = client_connect_to("::1", AF_INET6, port, 0);
		if (fd >= 0) {
			h_until(&h, &h.opens, 2);
			assert_string_equal(h.recs[1].addr, "::1");
			close(fd);
		}
	}
	net_unlisten(h.net);

	/* "localhost": every address it names, one port. */
	port = net_listen(h.net, "localhost", 0);
	assert_true(port > 0);
	fd = client_connect(port);
	h_until(&h, &h.opens, h.opens + 1);
	close(fd);

	/* A port in use is an error. */
	assert_int_equal(net_listen(h.net, "127.0.0.1", port), -EADDRINUSE);
	h_stop(&h);
}

/*
 * Hot reboot: one net hands its listener and connection to another (as a
 * process hands them to its exec()ed successor); the client notices nothing.
 */
static void test_adopt(void **state)
{
	struct h a, b;
	struct addr client;
	struct conn *c;
	int port, fd, lfd, cfd, fd2;
	uint32_t old_id;

	(void)state;
	h_start(&a, LOOP_SELECT, 0, NULL, NULL);
	port = h_listen(&a);
	fd = client_connect(port);
	h_until(&a, &a.opens, 1);
	old_id = a.recs[0].id;
	assert_int_equal(net_listener_fds(a.net, &lfd, 1), 1);
	assert_int_equal(fcntl(lfd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(net_keep_across_exec(a.net, &a.recs[0].c, 1), 0);
	assert_int_equal(fcntl(lfd, F_GETFD) & FD_CLOEXEC, 0);
	assert_int_equal(fcntl(conn_fd(a.recs[0].c), F_GETFD) & FD_CLOEXEC, 0);
	/* exec() would keep the descriptors; net_free() closes a's copies. */
	lfd = dup(lfd);
	cfd = dup(conn_fd(a.recs[0].c));
	client = *conn_peer(a.recs[0].c);
	h_stop(&a);

	h_start(&b, LOOP_SELECT, 0, NULL, NULL);
	assert_int_equal(net_adopt_listener(b.net, lfd), port);
	assert_int_equal(net_listen_port(b.net), port);
	c = net_adopt(b.net, cfd, old_id + 40, &client, false, 1234);
	assert_non_null(c);
	assert_int_equal(conn_id(c), old_id + 40);
	assert_string_equal(conn_addr(c), "127.0.0.1");
	assert_int_equal(conn_connected_at(c), 1234);
	assert_ptr_equal(net_find(b.net, old_id + 40), c);
	assert_int_equal(fcntl(cfd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(b.opens, 0);
	/* The owner sets it up itself (no on_open): give it a record. */
	b.recs[0].c = c;
	b.recs[0].id = conn_id(c);
	buf_init(&b.recs[0].in, 0);
	b.nrecs = 1;
	conn_set_ud(c, &b.recs[0]);
	/* Both directions still work on the old socket. */
	client_send(fd, "still here\r\n");
	h_until(&b, &b.recs[0].data_calls, 1);
	assert_string_equal(buf_cstr(&b.recs[0].in), "still here\r\n");
	assert_int_equal(conn_write(c, "welcome back\r\n", 14), 0);
	/* The listener still accepts, and new ids stay above the adopted one. */
	fd2 = client_connect(port);
	h_until(&b, &b.opens, 1);
	assert_true(b.recs[1].id > old_id + 40);
	/* A taken id or a bad descriptor is refused. */
	assert_null(net_adopt(b.net, dup(fd2), old_id + 40, &client, false, 0));
	assert_null(net_adopt(b.net, -1, 99999, &client, false, 0));
	close(fd);
	close(fd2);
	h_stop(&b);
}

/*
 * A hot reboot's drain: while the net is frozen no client is accepted and
 * nothing is read, but output still goes; a connection's own hold
 * survives the thaw. Only the connections handed over lose close-on-exec.
 */
static void test_freeze_for_a_reboot(void **state)
{
	struct h h;
	struct buf got;
	bool eof;
	int port, a, b, late;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, NULL, NULL);
	port = h_listen(&h);
	a = client_connect(port);
	b = client_connect(port);
	h_until(&h, &h.opens, 2);
	conn_hold_input(h.recs[1].c, true);
	net_freeze(h.net, true);
	late = client_connect(port);
	client_send(a, "typed during the drain\r\n");
	assert_int_equal(conn_write(h.recs[0].c, "goodbye\r\n", 9), 0);
	net_flush(h.net);
	buf_init(&got, 0);
	client_read(&h, a, &got, 9, &eof);
	assert_string_equal(buf_cstr(&got), "goodbye\r\n");
	h_pump(&h, 50);
	assert_int_equal(h.opens, 2);
	assert_int_equal(h.recs[0].data_calls, 0);
	/* Only the one handed over keeps its socket across exec(). */
	assert_int_equal(net_keep_across_exec(h.net, &h.recs[0].c, 1), 0);
	assert_int_equal(fcntl(conn_fd(h.recs[0].c), F_GETFD) & FD_CLOEXEC, 0);
	assert_int_equal(fcntl(conn_fd(h.recs[1].c), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	/* Thawed (the reboot failed): the waiting client gets in, the input is read. */
	net_freeze(h.net, false);
	h_until(&h, &h.opens, 3);
	h_until(&h, &h.recs[0].data_calls, 1);
	assert_string_equal(buf_cstr(&h.recs[0].in), "typed during the drain\r\n");
	assert_true(conn_input_held(h.recs[1].c));
	client_send(b, "held\r\n");
	h_pump(&h, 50);
	assert_int_equal(h.recs[1].data_calls, 0);
	buf_fini(&got);
	close(a);
	close(b);
	close(late);
	h_stop(&h);
}

/* When the id counter wraps, an id still in use is skipped, and 0 is never given. */
static void test_ids_wrap_past_open_connections(void **state)
{
	struct h h;
	int port, a, b, c;

	(void)state;
	h_start(&h, LOOP_SELECT, 0, NULL, NULL);
	port = h_listen(&h);
	h.net->next_id = UINT32_MAX; /* the next is 1 */
	a = client_connect(port);
	h_until(&h, &h.opens, 1);
	assert_int_equal(h.recs[0].id, 1);
	h.net->next_id = UINT32_MAX; /* 1 again: taken, so 2 */
	b = client_connect(port);
	h_until(&h, &h.opens, 2);
	assert_int_equal(h.recs[1].id, 2);
	assert_ptr_equal(net_find(h.net, 1), h.recs[0].c);
	h.net->next_id = 0; /* 1 and 2 taken: 3 */
	c = client_connect(port);
	h_until(&h, &h.opens, 3);
	assert_int_equal(h.recs[2].id, 3);
	close(a);
	close(b);
	close(c);
	h_stop(&h);
}

static void test_bad_callbacks(void **state)
{
	struct net_callbacks cb = {on_open, NULL, on_close, NULL};
	struct loop *loop = loop_new(LOOP_SELECT, 0);

	(void)state;
	assert_null(net_new(loop, NULL, &cb, NULL, NULL));
	assert_null(net_new(loop, NULL, NULL, NULL, NULL));
	loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_behind),
		cmocka_unit_test(test_echo_select),
		cmocka_unit_test(test_echo_epoll),
		cmocka_unit_test(test_ids_and_iteration),
		cmocka_unit_test(test_per_address_limit),
		cmocka_unit_test(test_max_conns),
		cmocka_unit_test(test_fd_limit),
		cmocka_unit_test(test_out_of_descriptors),
		cmocka_unit_test(test_output_overflow),
		cmocka_unit_test(test_queue_drains),
		cmocka_unit_test(test_stream_integrity),
		cmocka_unit_test(test_ring_burst),
		cmocka_unit_test(test_ring_off_burst),
		cmocka_unit_test(test_close_later),
		cmocka_unit_test(test_close_after_flush),
		cmocka_unit_test(test_read_pass_cap),
		cmocka_unit_test(test_proxy_trusted),
		cmocka_unit_test(test_proxy_trusted_direct),
		cmocka_unit_test(test_proxy_trusted_bad),
		cmocka_unit_test(test_proxy_per_address),
		cmocka_unit_test(test_proxy_untrusted),
		cmocka_unit_test(test_shutdown),
		cmocka_unit_test(test_listen_families),
		cmocka_unit_test(test_adopt),
		cmocka_unit_test(test_freeze_for_a_reboot),
		cmocka_unit_test(test_ids_wrap_past_open_connections),
		cmocka_unit_test(test_bad_callbacks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
