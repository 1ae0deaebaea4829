/*
 * test_loop.c: the event loop (src/net/loop.h), each test run on the select
 * and the epoll backend.
 *
 * Pipes and socketpairs: readiness and masks, timeouts, set-size limits,
 * deleting descriptors (one's own, another's, then reusing its number)
 * from inside a callback, and a signal interrupting the wait.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/clock.h"
#include "net/loop.h"
#include "base/banned.h"

static enum loop_backend be_select = LOOP_SELECT;
static enum loop_backend be_epoll = LOOP_EPOLL;

static struct loop *new_loop(void **state, int setsize)
{
	struct loop *loop = loop_new(*(enum loop_backend *)*state, setsize);

	assert_non_null(loop);
	return loop;
}

/* What a callback saw; one per watched descriptor. */
struct seen {
	int calls;
	int last_mask;
	int fd;
	/* Actions taken on the first call. */
	struct loop *loop;
	int del_fd;    /* delete this fd (may be our own), -1 for none */
	int close_del; /* and close it */
	int reuse_fd;  /* then put a fresh pipe's read end at this number, watched by reuse */
	struct seen *reuse;
	int wr;	   /* the write end of the pipe made for reuse_fd, -1 for none */
	int drain; /* read what is there */
};

static void on_ready(struct loop *loop, int fd, int mask, void *ud)
{
	struct seen *s = ud;
	char buf[64];

	s->calls++;
	s->last_mask = mask;
	s->fd = fd;
	if (s->drain)
		(void)!read(fd, buf, sizeof(buf));
	if (s->calls == 1 && s->del_fd >= 0) {
		loop_fd_del(loop, s->del_fd);
		if (s->close_del)
			close(s->del_fd);
		if (s->reuse_fd >= 0) {
			int p[2];

			/* The write end stays open (in reuse->wr) so the new read end is quiet. */
			assert_int_equal(pipe(p), 0);
			if (p[0] != s->reuse_fd) {
				assert_int_equal(dup2(p[0], s->reuse_fd), s->reuse_fd);
				close(p[0]);
			}
			s->reuse->wr = p[1];
			assert_int_equal(
				loop_fd_add(loop, s->reuse_fd, LOOP_READ, on_ready, s->reuse), 0);
		}
	}
}

static void seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	s->del_fd = -1;
	s->reuse_fd = -1;
	s->fd = -1;
	s->wr = -1;
}

static void test_pipe_readable(void **state)
{
	struct loop *loop = new_loop(state, 0);
	struct seen s;
	int p[2];

	seen_init(&s);
	s.drain = 1;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(loop_fd_add(loop, p[0], LOOP_READ, on_ready, &s), 0);
	assert_int_equal(loop_fd_mask(loop, p[0]), LOOP_READ);
	/* Nothing yet. */
	assert_int_equal(loop_poll(loop, 0), 0);
	assert_int_equal(s.calls, 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(loop_poll(loop, 1000), 1);
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.last_mask, LOOP_READ);
	assert_int_equal(s.fd, p[0]);
	/* Drained: quiet again. */
	assert_int_equal(loop_poll(loop, 0), 0);
	assert_int_equal(s.calls, 1);
	loop_fd_del(loop, p[0]);
	assert_int_equal(loop_fd_mask(loop, p[0]), LOOP_NONE);
	close(p[0]);
	close(p[1]);
	loop_free(loop);
}

static void test_level_triggered(void **state)
{
	struct loop *loop = new_loop(state, 0);
	struct seen s;
	int p[2];

	seen_init(&s);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(loop_fd_add(loop, p[0], LOOP_READ, on_ready, &s), 0);
	assert_int_equal(write(p[1], "xy", 2), 2);
	/* Not drained: every pass reports it again. */
	assert_int_equal(loop_poll(loop, 100), 1);
	assert_int_equal(loop_poll(loop, 100), 1);
	assert_int_equal(s.calls, 2);
	loop_fd_del(loop, p[0]);
	close(p[0]);
	close(p[1]);
	loop_free(loop);
}

static void test_masks(void **state)
{
	struct loop *loop = new_loop(state, 0);
	struct seen s;
	int sv[2];

	seen_init(&s);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	/* A fresh socket is writable at once. */
	assert_int_equal(loop_fd_add(loop, sv[0], LOOP_READ | LOOP_WRITE, on_ready, &s), 0);
	assert_int_equal(write(sv[1], "r", 1), 1);
	assert_int_equal(loop_poll(loop, 1000), 1);
	assert_int_equal(s.last_mask, LOOP_READ | LOOP_WRITE);
	/* Calling add again replaces the mask: write only. */
	assert_int_equal(loop_fd_add(loop, sv[0], LOOP_WRITE, on_ready, &s), 0);
	assert_int_equal(loop_poll(loop, 1000), 1);
	assert_int_equal(s.last_mask, LOOP_WRITE);
	/* Read only: readable (the byte is still there), not reported writable. */
	assert_int_equal(loop_fd_add(loop, sv[0], LOOP_READ, on_ready, &s), 0);
	assert_int_equal(loop_poll(loop, 1000), 1);
	assert_int_equal(s.last_mask, LOOP_READ);
	/* LOOP_NONE deletes. */
	assert_int_equal(loop_fd_add(loop, sv[0], LOOP_NONE, on_ready, &s), 0);
	assert_int_equal(loop_fd_mask(loop, sv[0]), LOOP_NONE);
	assert_int_equal(loop_poll(loop, 0), 0);
	assert_int_equal(s.calls, 3);
	/* Bad arguments. */
	assert_int_equal(loop_fd_add(loop, sv[0], 4, on_ready, &s), -EINVAL);
	assert_int_equal(loop_fd_add(loop, sv[0], LOOP_READ, NULL, &s), -EINVAL);
	assert_int_equal(loop_fd_add(loop, -1, LOOP_READ, on_ready, &s), -EBADF);
	loop_fd_del(loop, sv[0]); /* not watched: no-op */
	loop_fd_del(loop, -5);
	close(sv[0]);
	close(sv[1]);
	loop_free(loop);
}

static void test_timeout(void **state)
{
	struct loop *loop = new_loop(state, 0);
	int64_t t0 = clock_mono_ms(), dt;

	/* No descriptors at all: still waits the timeout. */
	assert_int_equal(loop_poll(loop, 60), 0);
	dt = clock_mono_ms() - t0;
	assert_true(dt >= 55);
	assert_true(dt < 1000);
	loop_free(loop);
}

static void test_setsize(void **state)
{
	struct loop *loop = new_loop(state, 8);
	struct loop *big;
	struct seen s;
	int p[2];

	seen_init(&s);
	assert_int_equal(loop_setsize(loop), 8);
	assert_true(loop_fd_ok(loop, 0));
	assert_true(loop_fd_ok(loop, 7));
	assert_false(loop_fd_ok(loop, 8));
	assert_false(loop_fd_ok(loop, -1));
	assert_int_equal(pipe(p), 0);
	assert_int_equal(dup2(p[0], 8), 8);
	assert_int_equal(loop_fd_add(loop, 8, LOOP_READ, on_ready, &s), -EBADF);
	assert_int_equal(loop_fd_mask(loop, 8), LOOP_NONE);
	close(8);
	close(p[0]);
	close(p[1]);
	loop_free(loop);

	/* Asking for more than select can watch gives FD_SETSIZE at most. */
	big = new_loop(state, 1 << 30);
	if (*(enum loop_backend *)*state == LOOP_SELECT) {
		assert_int_equal(loop_setsize(big), FD_SETSIZE);
		assert_string_equal(loop_backend_name(big), "select");
	} else {
		assert_true(loop_setsize(big) > 0);
		assert_string_equal(loop_backend_name(big), "epoll");
	}
	assert_false(loop_fd_ok(big, loop_setsize(big)));
	loop_free(big);
}

/* Two ready pipes; whichever runs first deletes the other: it is not called. */
static void test_delete_other_during_dispatch(void **state)
{
	struct loop *loop = new_loop(state, 0);
	struct seen a, b;
	int pa[2], pb[2], n;

	seen_init(&a);
	seen_init(&b);
	assert_int_equal(pipe(pa), 0);
	assert_int_equal(pipe(pb), 0);
	a.del_fd = pb[0];
	b.del_fd = pa[0];
	assert_int_equal(loop_fd_add(loop, pa[0], LOOP_READ, on_ready, &a), 0);
	assert_int_equal(loop_fd_add(loop, pb[0], LOOP_READ, on_ready, &b), 0);
	assert_int_equal(write(pa[1], "x", 1), 1);
	assert_int_equal(write(pb[1], "x", 1), 1);
	n = loop_poll(loop, 1000);
	assert_int_equal(n, 1);
	assert_int_equal(a.calls + b.calls, 1);
	loop_fd_del(loop, pa[0]);
	loop_fd_del(loop, pb[0]);
	close(pa[0]);
	close(pa[1]);
	close(pb[0]);
	close(pb[1]);
	loop_free(loop);
}

/* A callback deletes and closes itself; nothing more happens to it. */
static void test_delete_self(void **state)
{
	struct loop *loop = new_loop(state, 0);
	struct seen s;
	int sv[2];

	seen_init(&s);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	s.del_fd = sv[0];
	s.close_del = 1;
	assert_int_equal(loop_fd_add(loop, sv[0], LOOP_READ | LOOP_WRITE, on_ready, &s), 0);
	assert_int_equal(write(sv[1], "x", 1), 1);
	assert_int_equal(loop_poll(loop, 1000), 1);
	assert_int_equal(s.calls, 1);
	assert_int_equal(loop_poll(loop, 20), 0);
	assert_int_equal(s.calls, 1);
	close(sv[1]);
	loop_free(loop);
}

/*
 * Whichever callback runs first deletes and closes the other descriptor,
 * then a new pipe takes over its number and is watched: the stale readiness
 * of the old one must not reach the new registration in the same pass.
 */
static void test_reused_number_in_same_pass(void **state)
{
	struct loop *loop = new_loop(state, 0);
	struct seen a, b, fresh_a, fresh_b;
	int pa[2], pb[2];

	seen_init(&a);
	seen_init(&b);
	seen_init(&fresh_a);
	seen_init(&fresh_b);
	assert_int_equal(pipe(pa), 0);
	assert_int_equal(pipe(pb), 0);
	a.del_fd = a.reuse_fd = pb[0];
	a.close_del = 1;
	a.reuse = &fresh_b;
	b.del_fd = b.reuse_fd = pa[0];
	b.close_del = 1;
	b.reuse = &fresh_a;
	assert_int_equal(loop_fd_add(loop, pa[0], LOOP_READ, on_ready, &a), 0);
	assert_int_equal(loop_fd_add(loop, pb[0], LOOP_READ, on_ready, &b), 0);
	assert_int_equal(write(pa[1], "x", 1), 1);
	assert_int_equal(write(pb[1], "x", 1), 1);
	assert_int_equal(loop_poll(loop, 1000), 1);
	assert_int_equal(a.calls + b.calls, 1);
	assert_int_equal(fresh_a.calls + fresh_b.calls, 0);
	/* The new pipe is watched and quiet; the first one is still readable. */
	assert_int_equal(loop_fd_mask(loop, pa[0]), LOOP_READ);
	assert_int_equal(loop_fd_mask(loop, pb[0]), LOOP_READ);
	assert_int_equal(loop_poll(loop, 0), 1);
	assert_int_equal(fresh_a.calls + fresh_b.calls, 0);
	assert_int_equal(a.calls + b.calls, 2);
	assert_true(fresh_a.wr >= 0 || fresh_b.wr >= 0);
	if (fresh_a.wr >= 0)
		close(fresh_a.wr);
	if (fresh_b.wr >= 0)
		close(fresh_b.wr);
	loop_fd_del(loop, pa[0]);
	loop_fd_del(loop, pb[0]);
	close(pa[0]);
	close(pa[1]);
	close(pb[0]);
	close(pb[1]);
	loop_free(loop);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_signal_interrupts(void **state)
{
	struct loop *loop = new_loop(state, 0);
	struct sigaction sa, old;
	struct itimerval it;
	struct seen s;
	int p[2];
	int64_t t0;

	seen_init(&s);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(loop_fd_add(loop, p[0], LOOP_READ, on_ready, &s), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: the wait returns EINTR */
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 50 * 1000;
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	t0 = clock_mono_ms();
	assert_int_equal(loop_poll(loop, 5000), 0);
	assert_true(clock_mono_ms() - t0 < 4000);
	assert_int_equal(s.calls, 0);
	sigaction(SIGALRM, &old, NULL);
	loop_fd_del(loop, p[0]);
	close(p[0]);
	close(p[1]);
	loop_free(loop);
}

static void test_many_fds(void **state)
{
	struct loop *loop = new_loop(state, 0);
	struct seen s[20];
	int p[20][2], i, calls = 0;

	for (i = 0; i < 20; i++) {
		seen_init(&s[i]);
		s[i].drain = 1;
		assert_int_equal(pipe(p[i]), 0);
		assert_int_equal(loop_fd_add(loop, p[i][0], LOOP_READ, on_ready, &s[i]), 0);
	}
	for (i = 0; i < 20; i += 2)
		assert_int_equal(write(p[i][1], "x", 1), 1);
	assert_int_equal(loop_poll(loop, 1000), 10);
	for (i = 0; i < 20; i++) {
		assert_int_equal(s[i].calls, i % 2 == 0 ? 1 : 0);
		calls += s[i].calls;
	}
	assert_int_equal(calls, 10);
	/* Delete the highest: the rest still work. */
	loop_fd_del(loop, p[19][0]);
	assert_int_equal(write(p[1][1], "x", 1), 1);
	assert_int_equal(loop_poll(loop, 1000), 1);
	assert_int_equal(s[1].calls, 1);
	for (i = 0; i < 20; i++) {
		loop_fd_del(loop, p[i][0]);
		close(p[i][0]);
		close(p[i][1]);
	}
	loop_free(loop);
}

#define BOTH(fn) cmocka_unit_test_prestate(fn, &be_select), cmocka_unit_test_prestate(fn, &be_epoll)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_pipe_readable),
		BOTH(test_level_triggered),
		BOTH(test_masks),
		BOTH(test_timeout),
		BOTH(test_setsize),
		BOTH(test_delete_other_during_dispatch),
		BOTH(test_delete_self),
		BOTH(test_reused_number_in_same_pass),
		BOTH(test_signal_interrupts),
		BOTH(test_many_fds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
