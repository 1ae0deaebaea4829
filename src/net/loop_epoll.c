/*
 * loop_epoll.c: the epoll backend of the event loop (Linux; see
 * internal.h). Level-triggered, like select, so the loop behaves the same
 * whichever backend runs it; it simply watches descriptors past FD_SETSIZE.
 */
#include "net/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "base/banned.h"

/* A bound on the set size (its tables cost about 40 bytes a descriptor). */
#define LOOP_EPOLL_MAX 65536

struct loop_epoll {
	int epfd;
	struct epoll_event *evs; /* setsize entries */
};

static int loop_epoll_max_setsize(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > LOOP_EPOLL_MAX)
		return LOOP_EPOLL_MAX;
	return (int)rl.rlim_cur;
}

static int loop_epoll_init(struct loop *loop)
{
	struct loop_epoll *st;
	int epfd = epoll_create1(EPOLL_CLOEXEC);

	if (epfd < 0)
		return -errno;
	st = xcalloc(1, sizeof(*st));
	st->epfd = epfd;
	st->evs = xcalloc((size_t)loop->setsize, sizeof(*st->evs));
	loop->bstate = st;
	return 0;
}

static void loop_epoll_fini(struct loop *loop)
{
	struct loop_epoll *st = loop->bstate;

	close(st->epfd);
	free(st->evs);
	free(st);
	loop->bstate = NULL;
}

static int loop_epoll_set(struct loop *loop, int fd, int oldmask, int newmask)
{
	struct loop_epoll *st = loop->bstate;
	struct epoll_event ee = {0};

	if (newmask & LOOP_READ)
		ee.events |= EPOLLIN;
	if (newmask & LOOP_WRITE)
		ee.events |= EPOLLOUT;
	ee.data.fd = fd;
	if (epoll_ctl(st->epfd, oldmask == LOOP_NONE ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ee) < 0)
		return -errno;
	return 0;
}

static void loop_epoll_del(struct loop *loop, int fd, int oldmask)
{
	struct loop_epoll *st = loop->bstate;
	struct epoll_event ee = {0};

	(void)oldmask;
	/* Fails harmlessly if the caller closed fd first (the kernel dropped it). */
	(void)epoll_ctl(st->epfd, EPOLL_CTL_DEL, fd, &ee);
}

static int loop_epoll_poll(struct loop *loop, int timeout_ms)
{
	struct loop_epoll *st = loop->bstate;
	int rc, i, n = 0;

	rc = epoll_wait(st->epfd, st->evs, loop->setsize, timeout_ms < 0 ? -1 : timeout_ms);
	if (rc < 0)
		return -errno;
	for (i = 0; i < rc; i++) {
		const struct epoll_event *e = &st->evs[i];
		int fd = e->data.fd;
		const struct loop_event *ev = &loop->events[fd];
		int mask = LOOP_NONE;

		/* Errors and hangups wake whatever the fd waits for: its read or write finds out.
		 */
		if (e->events & (EPOLLIN | EPOLLERR | EPOLLHUP))
			mask |= LOOP_READ;
		if (e->events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			mask |= LOOP_WRITE;
		mask &= ev->mask;
		if (mask == LOOP_NONE)
			continue;
		loop->fired[n].fd = fd;
		loop->fired[n].mask = mask;
		loop->fired[n].gen = ev->gen;
		n++;
	}
	return n;
}

const struct loop_backend_ops loop_epoll_ops = {
	.name = "epoll",
	.max_setsize = loop_epoll_max_setsize,
	.init = loop_epoll_init,
	.fini = loop_epoll_fini,
	.set = loop_epoll_set,
	.del = loop_epoll_del,
	.poll = loop_epoll_poll,
};
