/*
 * loop_select.c: the select() backend of the event loop (see internal.h).
 *
 * Keeps the master read and write sets; poll copies them, since select()
 * overwrites its arguments. Descriptors never reach FD_SETSIZE: loop_new()
 * caps the set size there and loop_fd_add() checks it.
 */
#include "net/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/time.h>

#include "base/xalloc.h"
#include "base/banned.h"

struct loop_select {
	fd_set rfds, wfds;
	fd_set rwork, wwork;
};

static int loop_select_max_setsize(void)
{
	return FD_SETSIZE;
}

static int loop_select_init(struct loop *loop)
{
	struct loop_select *st = xcalloc(1, sizeof(*st));

	FD_ZERO(&st->rfds);
	FD_ZERO(&st->wfds);
	loop->bstate = st;
	return 0;
}

static void loop_select_fini(struct loop *loop)
{
	free(loop->bstate);
	loop->bstate = NULL;
}

static int loop_select_set(struct loop *loop, int fd, int oldmask, int newmask)
{
	struct loop_select *st = loop->bstate;

	(void)oldmask;
	if (newmask & LOOP_READ)
		FD_SET(fd, &st->rfds);
	else
		FD_CLR(fd, &st->rfds);
	if (newmask & LOOP_WRITE)
		FD_SET(fd, &st->wfds);
	else
		FD_CLR(fd, &st->wfds);
	return 0;
}

static void loop_select_del(struct loop *loop, int fd, int oldmask)
{
	struct loop_select *st = loop->bstate;

	(void)oldmask;
	FD_CLR(fd, &st->rfds);
	FD_CLR(fd, &st->wfds);
}

static int loop_select_poll(struct loop *loop, int timeout_ms)
{
	struct loop_select *st = loop->bstate;
	struct timeval tv, *tvp = NULL;
	int rc, fd, n = 0;

	if (timeout_ms >= 0) {
		tv.tv_sec = timeout_ms / 1000;
		tv.tv_usec = (timeout_ms % 1000) * 1000;
		tvp = &tv;
	}
	st->rwork = st->rfds;
	st->wwork = st->wfds;
	rc = select(loop->maxfd + 1, &st->rwork, &st->wwork, NULL, tvp);
	if (rc < 0)
		return -errno;
	for (fd = 0; rc > 0 && fd <= loop->maxfd; fd++) {
		const struct loop_event *ev = &loop->events[fd];
		int mask = LOOP_NONE;

		if (ev->mask == LOOP_NONE)
			continue;
		if ((ev->mask & LOOP_READ) && FD_ISSET(fd, &st->rwork))
			mask |= LOOP_READ;
		if ((ev->mask & LOOP_WRITE) && FD_ISSET(fd, &st->wwork))
			mask |= LOOP_WRITE;
		if (mask == LOOP_NONE)
			continue;
		loop->fired[n].fd = fd;
		loop->fired[n].mask = mask;
		loop->fired[n].gen = ev->gen;
		n++;
	}
	return n;
}

const struct loop_backend_ops loop_select_ops = {
	.name = "select",
	.max_setsize = loop_select_max_setsize,
	.init = loop_select_init,
	.fini = loop_select_fini,
	.set = loop_select_set,
	.del = loop_select_del,
	.poll = loop_select_poll,
};
