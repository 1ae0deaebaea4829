/*
 * lg_machine.c: what the machine itself costs, measured with nothing of ours
 * running, so that bench.py can print it beside the results. Two probes:
 *
 * loadgen --hiccup SECONDS: how much of each CPU this machine takes away.
 *
 * A p99 is the worst 1% of samples, and on a small virtual machine the CPUs
 * themselves are not ours for about that much of the time: the kernel's own
 * threads (on the machines we bench on, kdamond, the DAMON memory monitor
 * that reclaims cold pages for the host, runs for 4-17 ms every 512 ms), the
 * hypervisor running someone else on our vCPU, interrupts. A command that
 * lands in such a gap waits it out whatever our code does: perf sched
 * showed ruin-server woken onto kdamond's CPU and waiting 3.5 ms there while
 * the other CPU idled. The more processes a command passes through (load
 * generator, bridge, server), the more often one of them is caught.
 *
 * So: one child per CPU, pinned to it, reads the clock in a tight loop for
 * SECONDS and counts every step of more than HICCUP_MIN_NS (time something
 * else had the CPU). The report is one JSON object on stdout, for bench.py
 * to print beside the results: per CPU, the time lost, the gaps of more than
 * 1 and 5 ms, and the longest.
 *
 * loadgen --fanout-floor N: the bare cost of a say to N listeners here. N
 * loopback TCP connections, a reader process draining them as the load
 * generator would, and 100 rounds of one 200-byte send() to each: the time
 * a round takes, p50/p99/max, is what the kernel alone charges for
 * reaching N sockets (on loopback the sender also runs the receiver's side
 * of TCP), before any game renders a line. Start at lg_fanout_floor().
 */
#include "loadgen.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "base/banned.h"

#define HICCUP_MIN_NS  100000LL /* a step longer than this was someone else's time */
#define HICCUP_MAX_CPU 64

struct hiccup {
	int64_t lost_ns;
	int64_t longest_ns;
	unsigned over_1ms, over_5ms;
};

/* The child's part: spin on cpu for seconds, then write what it saw to fd. */
static int hiccup_spin(int cpu, double seconds, int fd)
{
	cpu_set_t set;
	struct hiccup h;
	int64_t prev = lg_now(), end = prev + (int64_t)(seconds * 1e9);

	memset(&h, 0, sizeof(h));
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		return 1;
	for (;;) {
		int64_t t = lg_now(), step = t - prev;

		prev = t;
		if (t >= end)
			break;
		if (step < HICCUP_MIN_NS)
			continue;
		h.lost_ns += step;
		h.over_1ms += step > 1000000;
		h.over_5ms += step > 5000000;
		if (step > h.longest_ns)
			h.longest_ns = step;
	}
	return write(fd, &h, sizeof(h)) == (ssize_t)sizeof(h) ? 0 : 1;
}

int lg_hiccup(double seconds)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int fds[HICCUP_MAX_CPU][2];
	pid_t pids[HICCUP_MAX_CPU];
	int rc = 0;

	if (ncpu < 1 || seconds <= 0 || seconds > 60) {
		fprintf(stderr, "loadgen: --hiccup takes 0-60 seconds\n");
		return 2;
	}
	if (ncpu > HICCUP_MAX_CPU)
		ncpu = HICCUP_MAX_CPU;
	for (long i = 0; i < ncpu; i++) {
		if (pipe(fds[i]) < 0) {
			perror("loadgen: pipe");
			return 1;
		}
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("loadgen: fork");
			return 1;
		}
		if (pids[i] == 0) {
			close(fds[i][0]);
			_exit(hiccup_spin((int)i, seconds, fds[i][1]));
		}
		close(fds[i][1]);
	}
	printf("{\"seconds\":%.1f,\"cpus\":[", seconds);
	for (long i = 0; i < ncpu; i++) {
		struct hiccup h;
		ssize_t n;
		int status = 0;

		do
			n = read(fds[i][0], &h, sizeof(h));
		while (n < 0 && errno == EINTR);
		close(fds[i][0]);
		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
		if (n != (ssize_t)sizeof(h)) {
			memset(&h, 0, sizeof(h));
			rc = 1;
		}
		printf("%s{\"cpu\":%ld,\"lost_ms\":%.1f,\"over_1ms\":%u,\"over_5ms\":%u,"
		       "\"longest_ms\":%.2f}",
		       i ? "," : "", i, (double)h.lost_ns / 1e6, h.over_1ms, h.over_5ms,
		       (double)h.longest_ns / 1e6);
	}
	printf("]}\n");
	if (rc)
		fprintf(stderr, "loadgen: a CPU's probe failed (pinning not allowed?)\n");
	return rc;
}

/* ---- the fan-out floor ------------------------------------------------------------------ */

#define FLOOR_ROUNDS 100
#define FLOOR_BYTES  200
#define FLOOR_GAP_US 20000 /* between rounds: the reader catches up, as between says */
#define FLOOR_MAX    10000

/* The reader: drains every client socket until they close. Never returns. */
static void floor_reader(const int *cl, unsigned n)
{
	int ep = epoll_create1(0);
	char buf[65536];
	struct epoll_event ev[256];

	for (unsigned i = 0; i < n; i++) {
		struct epoll_event e = {.events = EPOLLIN, .data.fd = cl[i]};

		(void)fcntl(cl[i], F_SETFL, O_NONBLOCK);
		(void)epoll_ctl(ep, EPOLL_CTL_ADD, cl[i], &e);
	}
	for (;;) {
		int k = epoll_wait(ep, ev, 256, 1000);

		if (k < 0 && errno != EINTR)
			_exit(1);
		for (int i = 0; i < k; i++)
			if (read(ev[i].data.fd, buf, sizeof(buf)) == 0)
				_exit(0);
	}
}

static int floor_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* N connected pairs on loopback: cl[i] the client's end, sv[i] the server's. */
static int floor_connect(unsigned n, int *cl, int *sv)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 4096) < 0 ||
	    getsockname(ls, (struct sockaddr *)&a, &len) < 0) {
		perror("loadgen: --fanout-floor listen");
		if (ls >= 0)
			close(ls);
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		cl[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (cl[i] < 0 || connect(cl[i], (struct sockaddr *)&a, sizeof(a)) < 0 ||
		    (sv[i] = accept(ls, NULL, NULL)) < 0) {
			perror("loadgen: --fanout-floor connect");
			close(ls);
			return -1;
		}
		/* As ruin-server sets its players' sockets. */
		(void)setsockopt(sv[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	close(ls);
	return 0;
}

int lg_fanout_floor(unsigned n)
{
	int *cl, *sv, rc = 0;
	int64_t t[FLOOR_ROUNDS];
	char msg[FLOOR_BYTES];
	pid_t reader;

	if (n < 1 || n > FLOOR_MAX) {
		fprintf(stderr, "loadgen: --fanout-floor takes 1-%d listeners\n", FLOOR_MAX);
		return 2;
	}
	/* Two descriptors a listener. */
	if (lg_raise_nofile(2UL * n + 64) < 0)
		return 2;
	cl = xcalloc(n, sizeof(*cl));
	sv = xcalloc(n, sizeof(*sv));
	for (unsigned i = 0; i < n; i++)
		cl[i] = sv[i] = -1;
	if (floor_connect(n, cl, sv) < 0) {
		rc = 1;
		goto out;
	}
	reader = fork();
	if (reader < 0) {
		perror("loadgen: fork");
		rc = 1;
		goto out;
	}
	if (reader == 0)
		floor_reader(cl, n);
	memset(msg, 'x', sizeof(msg));
	msg[sizeof(msg) - 1] = '\n';
	for (int r = 0; r < FLOOR_ROUNDS; r++) {
		int64_t t0;

		usleep(FLOOR_GAP_US);
		t0 = lg_now();
		for (unsigned i = 0; i < n; i++)
			if (send(sv[i], msg, sizeof(msg), MSG_DONTWAIT | MSG_NOSIGNAL) !=
			    (ssize_t)sizeof(msg))
				rc = 1;
		t[r] = lg_now() - t0;
	}
	(void)kill(reader, SIGKILL);
	while (waitpid(reader, NULL, 0) < 0 && errno == EINTR)
		;
	qsort(t, FLOOR_ROUNDS, sizeof(t[0]), floor_cmp);
	printf("{\"listeners\":%u,\"rounds\":%d,\"bytes\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
	       "\"max_ms\":%.3f}\n",
	       n, FLOOR_ROUNDS, FLOOR_BYTES, (double)t[FLOOR_ROUNDS / 2 - 1] / 1e6,
	       (double)t[FLOOR_ROUNDS * 99 / 100 - 1] / 1e6, (double)t[FLOOR_ROUNDS - 1] / 1e6);
	if (rc)
		fprintf(stderr, "loadgen: --fanout-floor: a send fell short\n");
out:
	for (unsigned i = 0; i < n; i++) {
		if (cl[i] >= 0)
			close(cl[i]);
		if (sv[i] >= 0)
			close(sv[i]);
	}
	free(cl);
	free(sv);
	return rc;
}
