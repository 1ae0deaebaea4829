/*
 * lg_relay.c: loadgen --relay UPSTREAM_PORT PORT_FILE, the floor of a hop.
 *
 * The bridge's target is to add under 1 ms to a command's round trip at
 * p99. Part of what any proxy adds on one machine is not its own work but
 * the extra process: a command now wakes three programs (load generator,
 * proxy, server) on two CPUs instead of two, and waits whenever one of them
 * is caught behind another or behind the machine's own threads. To tell
 * that part from ruin-bridge's, bench.py runs the same players through this
 * relay, which does nothing a proxy could do less of: one thread, epoll,
 * and every byte read from one side written to the other as it is, no
 * parsing, no translation, no compression. What it adds is the hop's floor
 * on this machine; what ruin-bridge adds beyond it is the bridge's own.
 *
 * It listens on 127.0.0.1 (a port of the kernel's choosing, written to
 * PORT_FILE once it listens), opens one connection to 127.0.0.1:UPSTREAM_PORT
 * for each it accepts, and runs until it is killed. A side whose peer cannot
 * take more is not read until the peer drains (a fixed buffer a direction),
 * and either side closing closes both.
 */
#include "loadgen.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "base/banned.h"

#define RELAY_BUF     16384
#define RELAY_MAX_FDS 65536

struct relay_pair;

/* One direction: what was read from the side but not yet written to its peer. */
struct relay_side {
	struct relay_pair *pair;
	int fd;
	bool connecting; /* the upstream side, until its connect() completes */
	bool watched;	 /* in the epoll set, waiting for events */
	uint32_t events;
	size_t off, len; /* pending bytes for the peer: buf[off..len) */
	char buf[RELAY_BUF];
};

struct relay_pair {
	struct relay_side side[2]; /* 0: the client, 1: upstream */
	bool dead;		   /* closed; freed after the batch of events */
	struct relay_pair *next_dead;
};

static struct relay_side *relay_peer(struct relay_side *s)
{
	return s == &s->pair->side[0] ? &s->pair->side[1] : &s->pair->side[0];
}

/* What s waits for: to read when it holds nothing unsent, to write when it
 * holds its peer's bytes (or is still connecting). The epoll set is told
 * only when that changes: in the steady state a read costs no epoll_ctl(),
 * or the floor would not be one. */
static int relay_watch(int ep, struct relay_side *s)
{
	struct relay_side *p = relay_peer(s);
	struct epoll_event ev = {.data.ptr = s};

	if (s->connecting || p->len > p->off)
		ev.events |= EPOLLOUT;
	if (!s->connecting && !p->connecting && s->len == s->off)
		ev.events |= EPOLLIN;
	if (s->watched && ev.events == s->events)
		return 0;
	if (epoll_ctl(ep, s->watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, s->fd, &ev) < 0)
		return -1;
	s->watched = true;
	s->events = ev.events;
	return 0;
}

/* Closes both sides; the pair itself is freed after the batch of events
 * it may still be named in (relay_reap()). */
static void relay_close(struct relay_pair *pr, struct relay_pair **dead)
{
	for (int i = 0; i < 2; i++)
		if (pr->side[i].fd >= 0)
			close(pr->side[i].fd); /* closing drops it from the epoll set */
	pr->dead = true;
	pr->next_dead = *dead;
	*dead = pr;
}

static void relay_reap(struct relay_pair **dead)
{
	while (*dead) {
		struct relay_pair *pr = *dead;

		*dead = pr->next_dead;
		free(pr);
	}
}

/* Writes what s read to its peer; 0, or -1 if the pair is broken. */
static int relay_drain(struct relay_side *s)
{
	struct relay_side *p = relay_peer(s);

	while (s->off < s->len) {
		ssize_t n = send(p->fd, s->buf + s->off, s->len - s->off, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		s->off += (size_t)n;
	}
	s->off = s->len = 0;
	return 0;
}

/* An event on side s; 0, or -1 to close the pair. */
static int relay_event(int ep, struct relay_side *s, uint32_t events)
{
	struct relay_side *p = relay_peer(s);

	if (s->connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
		int err = 0;
		socklen_t len = sizeof(err);

		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err)
			return -1;
		s->connecting = false;
	}
	if (events & EPOLLOUT && relay_drain(p) < 0)
		return -1;
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR) && !s->connecting && s->len == 0 &&
	    !p->connecting) {
		ssize_t n = recv(s->fd, s->buf, sizeof(s->buf), 0);

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			return -1;
		if (n > 0) {
			s->off = 0;
			s->len = (size_t)n;
			if (relay_drain(s) < 0)
				return -1;
		}
	}
	if (relay_watch(ep, s) < 0 || relay_watch(ep, p) < 0)
		return -1;
	return 0;
}

/* A client accepted on lfd: its pair, connected (or connecting) upstream. */
static void relay_accept(int ep, int lfd, const struct sockaddr_in *up, struct relay_pair **dead)
{
	int one = 1;

	for (;;) {
		int cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct relay_pair *pr;
		int ufd;

		if (cfd < 0)
			return;
		ufd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (ufd < 0) {
			close(cfd);
			continue;
		}
		(void)setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		(void)setsockopt(ufd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		pr = xcalloc(1, sizeof(*pr));
		pr->side[0] = (struct relay_side){.pair = pr, .fd = cfd};
		pr->side[1] = (struct relay_side){.pair = pr, .fd = ufd};
		if (connect(ufd, (const struct sockaddr *)up, sizeof(*up)) < 0) {
			if (errno != EINPROGRESS) {
				relay_close(pr, dead);
				continue;
			}
			pr->side[1].connecting = true;
		}
		if (relay_watch(ep, &pr->side[0]) < 0 || relay_watch(ep, &pr->side[1]) < 0)
			relay_close(pr, dead);
	}
}

int lg_relay(int upstream_port, const char *port_file)
{
	struct sockaddr_in addr = {.sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct sockaddr_in up = addr;
	socklen_t len = sizeof(addr);
	struct epoll_event ev[256];
	struct relay_pair *dead = NULL;
	int lfd, ep, one = 1;
	FILE *fp;

	if (upstream_port <= 0 || upstream_port > 65535 || !port_file) {
		fprintf(stderr, "loadgen: --relay takes the upstream port and a port file\n");
		return 2;
	}
	up.sin_port = htons((uint16_t)upstream_port);
	/* Two descriptors a player; how many players is not known here. */
	if (lg_raise_nofile(RELAY_MAX_FDS) < 0)
		fprintf(stderr, "loadgen: the relay goes on with fewer\n");
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (lfd < 0 || ep < 0) {
		perror("loadgen: relay");
		return 1;
	}
	(void)setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 1024) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&addr, &len) < 0) {
		perror("loadgen: relay: listen");
		return 1;
	}
	ev[0] = (struct epoll_event){.events = EPOLLIN, .data.ptr = NULL};
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev[0]) < 0) {
		perror("loadgen: relay: epoll_ctl");
		return 1;
	}
	fp = fopen(port_file, "w");
	if (!fp || fprintf(fp, "%d\n", ntohs(addr.sin_port)) < 0 || fclose(fp) != 0) {
		perror(port_file);
		return 1;
	}
	for (;;) {
		int n = epoll_wait(ep, ev, (int)(sizeof(ev) / sizeof(ev[0])), -1);

		if (n < 0 && errno != EINTR) {
			perror("loadgen: relay: epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			struct relay_side *s = ev[i].data.ptr;

			if (!s)
				relay_accept(ep, lfd, &up, &dead);
			else if (!s->pair->dead && relay_event(ep, s, ev[i].events) < 0)
				relay_close(s->pair, &dead);
		}
		relay_reap(&dead);
	}
}
