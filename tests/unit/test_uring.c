/*
 * test_uring.c: many sockets' sends in one io_uring submission
 * (src/net/uring.h), on real sockets: AF_UNIX socketpairs and TCP on
 * 127.0.0.1.
 *
 * Each test gets a fixture (fx_setup) that owns the ring and every socket
 * it opens, so a failed assertion still closes them. fx_ring() makes the
 * ring: where io_uring is missing it fails the test if the kernel says
 * io_uring is enabled (kernel.io_uring_disabled = 0), and skips it
 * otherwise. Every send is checked from the reading end, byte for byte.
 * A send that would block is caught twice: by timing the call and by a
 * SIGALRM watchdog that ends the process.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/uring.h"
#include "uring_probe.h"
#include "base/banned.h"

/* Longest small payload; each socket's length and bytes differ. */
#define MAX_LEN 600
/* More than a full socket can take, so its send can never complete. */
#define BIG_LEN (1024 * 1024)
/* Tiny buffers for sockets that are to fill up. */
#define SMALL_BUF 4096
/* Ceiling for a call that must not block (it takes microseconds). */
#define PROMPT_MS 1000
/* How long a reader waits for bytes that should already be there. */
#define READ_WAIT_MS 2000

struct fx {
	struct net_uring *u;
	size_t pairs;
	int wr[NET_URING_BATCH]; /* the ends the ring sends on */
	int rd[NET_URING_BATCH]; /* their peers, which the test reads */
	int listener;		 /* TCP on 127.0.0.1, or -1 */
	struct net_send s[NET_URING_BATCH];
	unsigned char out[NET_URING_BATCH][MAX_LEN];
	unsigned char *big;
};

/* Signal handlers cannot take a context; these are the test's only globals. */
static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void on_watchdog(int sig)
{
	static const char msg[] = "test_uring: net_uring_send() blocked (watchdog fired)\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	for (size_t i = 0; i < NET_URING_BATCH; i++)
		f->wr[i] = f->rd[i] = -1;
	f->listener = -1;
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	for (size_t i = 0; i < NET_URING_BATCH; i++) {
		if (f->wr[i] >= 0)
			close(f->wr[i]);
		if (f->rd[i] >= 0)
			close(f->rd[i]);
	}
	if (f->listener >= 0)
		close(f->listener);
	net_uring_free(f->u);
	free(f->big);
	free(f);
	return 0;
}

/* The fixture's ring; fails or skips the test if there can be none (see the top). */
static struct net_uring *fx_ring(struct fx *f)
{
	int err = 0;
	int disabled;

	f->u = net_uring_new(&err);
	if (f->u)
		return f->u;
	assert_true(err < 0);
	disabled = io_uring_disabled();
	if (disabled == 0)
		fail_msg("net_uring_new() failed: %s (%d), but /proc/sys/kernel/io_uring_disabled "
			 "is 0, so io_uring should work here (a seccomp filter? a kernel built "
			 "without io_uring?)",
			 strerror(-err), err);
	fprintf(stderr,
		"test_uring: SKIPPED: net_uring_new() failed: %s (%d); "
		"/proc/sys/kernel/io_uring_disabled is %d%s\n",
		strerror(-err), err, disabled, disabled < 0 ? " (unreadable)" : "");
	skip();
	return NULL;
}

/* Socketpairs f->pairs up to n. */
static void fx_unix_pairs(struct fx *f, size_t n)
{
	assert_true(n <= NET_URING_BATCH);
	for (; f->pairs < n; f->pairs++) {
		int sv[2];

		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		f->wr[f->pairs] = sv[0];
		f->rd[f->pairs] = sv[1];
	}
}

/*
 * TCP connections on 127.0.0.1 up to f->pairs == n; wr is the client end.
 * With small set, both ends have tiny buffers (so a few kilobytes fill them).
 */
static void fx_tcp_pairs(struct fx *f, size_t n, int small)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int one = 1, buf = SMALL_BUF;

	assert_true(n <= NET_URING_BATCH);
	if (f->listener >= 0)
		close(f->listener);
	f->listener = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(f->listener >= 0);
	assert_int_equal(setsockopt(f->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	/* Set before listening so accepted sockets inherit it and the window stays small. */
	if (small)
		assert_int_equal(setsockopt(f->listener, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf)),
				 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(f->listener, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(f->listener, 16), 0);
	assert_int_equal(getsockname(f->listener, (struct sockaddr *)&sa, &len), 0);
	for (; f->pairs < n; f->pairs++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);

		assert_true(c >= 0);
		f->wr[f->pairs] = c;
		assert_int_equal(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)), 0);
		if (small)
			assert_int_equal(setsockopt(c, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf)),
					 0);
		assert_int_equal(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
		f->rd[f->pairs] = accept(f->listener, NULL, NULL);
		assert_true(f->rd[f->pairs] >= 0);
	}
}

/* Socket i's payload for this round: its own length and bytes, "s<i> r<round>:" first. */
static size_t fx_payload(struct fx *f, size_t i, unsigned round)
{
	size_t len = 16 + (i * 37 + round * 101) % (MAX_LEN - 16);
	unsigned char *p = f->out[i];
	int head = snprintf((char *)p, len, "s%03zu r%u:", i, round);

	assert_true(head > 0 && (size_t)head < len);
	for (size_t j = (size_t)head; j < len; j++)
		p[j] = (unsigned char)(i * 131 + round * 17 + j * 7 + (j >> 3));
	return len;
}

static void fx_big(struct fx *f)
{
	f->big = malloc(BIG_LEN);
	assert_non_null(f->big);
	for (size_t j = 0; j < BIG_LEN; j++)
		f->big[j] = (unsigned char)('a' + j % 26);
}

static void set_send(struct net_send *s, int fd, const void *data, size_t len)
{
	s->fd = fd;
	s->data = data;
	s->len = len;
	s->result = 12345; /* anything but a real answer, to see it is overwritten */
}

/* Sends each of the first n pairs its payload for this round; returns the call's result. */
static int fx_send_round(struct fx *f, size_t n, unsigned round)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = fx_payload(f, i, round);

		set_send(&f->s[i], f->wr[i], f->out[i], len);
	}
	return net_uring_send(f->u, f->s, n);
}

/* Reads exactly len bytes from fd (waiting for them if need be) and checks them against want. */
static void read_exact(int fd, const unsigned char *want, size_t len, const char *what)
{
	unsigned char buf[4096];
	size_t got = 0;
	int64_t deadline = now_ms() + READ_WAIT_MS;

	while (got < len) {
		size_t ask = len - got < sizeof(buf) ? len - got : sizeof(buf);
		ssize_t r = recv(fd, buf, ask, MSG_DONTWAIT);

		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = {.fd = fd, .events = POLLIN};
			int64_t left = deadline - now_ms();

			if (left <= 0)
				fail_msg("%s: %zu of %zu bytes arrived", what, got, len);
			poll(&p, 1, (int)left);
			continue;
		}
		if (r <= 0)
			fail_msg("%s: recv after %zu of %zu bytes: %zd (%s)", what, got, len, r,
				 r < 0 ? strerror(errno) : "end of stream");
		if (memcmp(buf, want + got, (size_t)r) != 0)
			fail_msg("%s: bytes %zu..%zu differ from what was sent", what, got,
				 got + (size_t)r);
		got += (size_t)r;
	}
}

/* Nothing more is waiting on fd. */
static void read_nothing_more(int fd, const char *what)
{
	unsigned char c;
	ssize_t r = recv(fd, &c, 1, MSG_DONTWAIT);

	if (r != -1 || (errno != EAGAIN && errno != EWOULDBLOCK))
		fail_msg("%s: unexpected extra data or state after the payload (recv %zd)", what,
			 r);
}

/* Checks pair i received exactly its payload: f->s[i] as sent. */
static void fx_expect(struct fx *f, size_t i)
{
	char what[64];

	snprintf(what, sizeof(what), "socket %zu", i);
	if (f->s[i].result != (ssize_t)f->s[i].len)
		fail_msg("%s: result %zd, sent %zu bytes", what, f->s[i].result, f->s[i].len);
	read_exact(f->rd[i], f->s[i].data, f->s[i].len, what);
	read_nothing_more(f->rd[i], what);
}

/*
 * Fills fd's send side with 'F' until send() says EAGAIN and keeps saying
 * it after a pause (TCP frees room as the peer acknowledges); returns how
 * many bytes went in.
 */
static size_t fill_socket(int fd)
{
	unsigned char chunk[1024];
	size_t total = 0;

	memset(chunk, 'F', sizeof(chunk));
	for (int calm = 0; calm < 3;) {
		ssize_t r = send(fd, chunk, sizeof(chunk), MSG_DONTWAIT | MSG_NOSIGNAL);

		if (r > 0) {
			total += (size_t)r;
			calm = 0;
			continue;
		}
		assert_int_equal(r, -1);
		assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
		calm++;
		usleep(20 * 1000);
	}
	assert_true(total > 0);
	return total;
}

/* Reads the 'F' fill and then the first prefix bytes of what was sent after it. */
static void read_fill_then(int fd, size_t fill, const unsigned char *prefix, size_t prefix_len)
{
	unsigned char *want = malloc(fill + prefix_len);

	assert_non_null(want);
	memset(want, 'F', fill);
	if (prefix_len)
		memcpy(want + fill, prefix, prefix_len);
	read_exact(fd, want, fill + prefix_len, "full socket, drained");
	free(want);
}

static void watchdog_arm(unsigned seconds)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_watchdog;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
	alarm(seconds);
}

/* A full socket's result: -EAGAIN, or a part of what was asked. */
static void expect_would_block(const struct net_send *s, const char *what)
{
	if (!(s->result == -EAGAIN || (s->result > 0 && (size_t)s->result < s->len)))
		fail_msg("%s: result %zd for %zu bytes, want -EAGAIN (%d) or a partial count", what,
			 s->result, s->len, -EAGAIN);
}

static void test_n_zero(void **state)
{
	struct fx *f = *state;
	struct net_send one;

	fx_ring(f);
	set_send(&one, -1, "x", 1);
	assert_int_equal(net_uring_send(f->u, &one, 0), 0);
	/* Nothing was queued: the next call sees only its own entry. */
	fx_unix_pairs(f, 1);
	assert_int_equal(fx_send_round(f, 1, 0), 0);
	fx_expect(f, 0);
}

static void test_batch_of_200_each_gets_its_bytes(void **state)
{
	struct fx *f = *state;

	fx_ring(f);
	fx_unix_pairs(f, 200);
	assert_int_equal(fx_send_round(f, 200, 1), 0);
	for (size_t i = 0; i < 200; i++)
		fx_expect(f, i);
}

static void test_full_batch_many_calls(void **state)
{
	struct fx *f = *state;
	/* Full batches, partial ones and one send, all on one ring. */
	static const size_t sizes[] = {
		NET_URING_BATCH, NET_URING_BATCH, 1, 17, NET_URING_BATCH, 255, 2, NET_URING_BATCH};

	fx_ring(f);
	fx_unix_pairs(f, NET_URING_BATCH);
	for (unsigned round = 0; round < sizeof(sizes) / sizeof(sizes[0]); round++) {
		size_t n = sizes[round];

		assert_int_equal(fx_send_round(f, n, round), 0);
		for (size_t i = 0; i < n; i++)
			fx_expect(f, i);
		for (size_t i = n; i < NET_URING_BATCH; i++)
			read_nothing_more(f->rd[i], "socket outside the batch");
	}
}

/* The full socket is pair `full` of n; the caller made the pairs. Checks it all. */
static void full_socket_in_batch(struct fx *f, size_t n, size_t full)
{
	size_t fill, partial;
	int64_t t0, took;

	fx_big(f);
	fill = fill_socket(f->wr[full]);
	for (size_t i = 0; i < n; i++)
		set_send(&f->s[i], f->wr[i], f->out[i], fx_payload(f, i, 3));
	set_send(&f->s[full], f->wr[full], f->big, BIG_LEN);

	watchdog_arm(10);
	t0 = now_ms();
	assert_int_equal(net_uring_send(f->u, f->s, n), 0);
	took = now_ms() - t0;
	alarm(0);
	if (took >= PROMPT_MS)
		fail_msg("net_uring_send() took %lld ms with a full socket in the batch",
			 (long long)took);

	expect_would_block(&f->s[full], "full socket");
	for (size_t i = 0; i < n; i++)
		if (i != full)
			fx_expect(f, i);

	/*
	 * Drain it: exactly the fill and the part the ring said it sent. A send
	 * left in flight would finish now and show up here or in the next round.
	 */
	partial = f->s[full].result > 0 ? (size_t)f->s[full].result : 0;
	read_fill_then(f->rd[full], fill, f->big, partial);
	read_nothing_more(f->rd[full], "full socket, drained");
	assert_int_equal(fx_send_round(f, n, 4), 0);
	for (size_t i = 0; i < n; i++)
		fx_expect(f, i);
}

static void test_full_socket_does_not_block(void **state)
{
	struct fx *f = *state;
	int buf = SMALL_BUF;

	fx_ring(f);
	fx_unix_pairs(f, 64);
	assert_int_equal(setsockopt(f->wr[21], SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf)), 0);
	full_socket_in_batch(f, 64, 21);
}

static void test_tcp_full_socket_does_not_block(void **state)
{
	struct fx *f = *state;

	fx_ring(f);
	fx_tcp_pairs(f, 16, 1);
	full_socket_in_batch(f, 16, 9);
}

static void test_tcp_batch_each_gets_its_bytes(void **state)
{
	struct fx *f = *state;

	fx_ring(f);
	fx_tcp_pairs(f, 100, 0);
	for (unsigned round = 0; round < 3; round++) {
		assert_int_equal(fx_send_round(f, 100, round), 0);
		for (size_t i = 0; i < 100; i++)
			fx_expect(f, i);
	}
}

static void catch_sigpipe(struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigpipe;
	sigemptyset(&sa.sa_mask);
	sigpipes = 0;
	assert_int_equal(sigaction(SIGPIPE, &sa, old), 0);
}

/*
 * No SIGPIPE came from the ring, and the handler does see one: a plain
 * send() without MSG_NOSIGNAL on the same dead socket raises it. (Recent
 * kernels add MSG_NOSIGNAL to io_uring sends themselves, so there the
 * flag in uring.c cannot be told apart; older ones need it.)
 */
static void expect_sigpipe_only_from_plain_send(int fd, const struct sigaction *old)
{
	assert_int_equal(sigpipes, 0);
	assert_int_equal(send(fd, "x", 1, MSG_DONTWAIT), -1);
	assert_true(errno == EPIPE || errno == ECONNRESET);
	assert_int_equal(sigpipes, 1);
	sigaction(SIGPIPE, old, NULL);
}

static void expect_peer_gone(const struct net_send *s)
{
	if (s->result != -EPIPE && s->result != -ECONNRESET)
		fail_msg("send to a closed peer: result %zd, want -EPIPE (%d) or -ECONNRESET (%d)",
			 s->result, -EPIPE, -ECONNRESET);
}

static void test_closed_peer_epipe_no_sigpipe(void **state)
{
	struct fx *f = *state;
	struct sigaction old;

	fx_ring(f);
	fx_unix_pairs(f, 32);
	close(f->rd[5]);
	f->rd[5] = -1;
	catch_sigpipe(&old);
	for (unsigned round = 0; round < 2; round++) {
		assert_int_equal(fx_send_round(f, 32, round), 0);
		expect_peer_gone(&f->s[5]);
		for (size_t i = 0; i < 32; i++)
			if (i != 5)
				fx_expect(f, i);
	}
	expect_sigpipe_only_from_plain_send(f->wr[5], &old);
}

static void test_tcp_reset_peer_no_sigpipe(void **state)
{
	struct fx *f = *state;
	struct linger lin = {.l_onoff = 1, .l_linger = 0};
	struct pollfd p;
	struct sigaction old;

	fx_ring(f);
	fx_tcp_pairs(f, 8, 0);
	/* Linger 0: the close sends a reset; wait until the client end has it. */
	assert_int_equal(setsockopt(f->rd[3], SOL_SOCKET, SO_LINGER, &lin, sizeof(lin)), 0);
	close(f->rd[3]);
	f->rd[3] = -1;
	p.fd = f->wr[3];
	p.events = POLLIN;
	p.revents = 0;
	assert_int_equal(poll(&p, 1, READ_WAIT_MS), 1);
	assert_true(p.revents & (POLLERR | POLLHUP));
	catch_sigpipe(&old);
	/* First the pending reset (-ECONNRESET), then the dead socket (-EPIPE). */
	for (unsigned round = 0; round < 3; round++) {
		assert_int_equal(fx_send_round(f, 8, round), 0);
		expect_peer_gone(&f->s[3]);
		for (size_t i = 0; i < 8; i++)
			if (i != 3)
				fx_expect(f, i);
	}
	assert_int_equal(f->s[3].result, -EPIPE);
	expect_sigpipe_only_from_plain_send(f->wr[3], &old);
}

static void test_bad_fds_fail_alone(void **state)
{
	struct fx *f = *state;
	int gone, p[2];

	fx_ring(f);
	fx_unix_pairs(f, 8);
	assert_int_equal(pipe(p), 0);
	gone = dup(f->wr[0]);
	assert_true(gone >= 0);
	close(gone);
	for (size_t i = 0; i < 8; i++)
		set_send(&f->s[i], f->wr[i], f->out[i], fx_payload(f, i, 7));
	set_send(&f->s[1], -1, "minus one", 9);
	set_send(&f->s[3], gone, "closed fd", 9);
	set_send(&f->s[5], p[1], "a pipe", 6);
	set_send(&f->s[6], f->wr[6], f->out[6], 0);
	assert_int_equal(net_uring_send(f->u, f->s, 8), 0);
	close(p[0]);
	close(p[1]);
	assert_int_equal(f->s[1].result, -EBADF);
	assert_int_equal(f->s[3].result, -EBADF);
	assert_int_equal(f->s[5].result, -ENOTSOCK);
	assert_int_equal(f->s[6].result, 0);
	read_nothing_more(f->rd[6], "zero-length send");
	for (size_t i = 0; i < 8; i++)
		if (i != 1 && i != 3 && i != 5 && i != 6)
			fx_expect(f, i);
	/* The ring is still good. */
	assert_int_equal(fx_send_round(f, 8, 8), 0);
	for (size_t i = 0; i < 8; i++)
		fx_expect(f, i);
}

#define FX(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX(test_n_zero),
		FX(test_batch_of_200_each_gets_its_bytes),
		FX(test_full_batch_many_calls),
		FX(test_full_socket_does_not_block),
		FX(test_tcp_full_socket_does_not_block),
		FX(test_tcp_batch_each_gets_its_bytes),
		FX(test_closed_peer_epipe_no_sigpipe),
		FX(test_tcp_reset_peer_no_sigpipe),
		FX(test_bad_fds_fail_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
