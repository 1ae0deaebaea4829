/*
 * loop.c: the event loop's backend-independent half. See loop.h.
 *
 * Start reading at loop_poll(): the backend fills fired[], then each entry is
 * dispatched only if its descriptor is still watched, under the same
 * registration (generation) and for bits it still wants. That is what makes
 * deleting descriptors from inside a callback safe.
 */
#include "net/loop.h"

#include <errno.h>
#include <stdlib.h>

#include "base/xalloc.h"
#include "net/internal.h"
#include "base/banned.h"

static const struct loop_backend_ops *loop_ops_for(enum loop_backend backend)
{
	switch (backend) {
	case LOOP_SELECT:
		return &loop_select_ops;
	case LOOP_EPOLL:
		return &loop_epoll_ops;
	}
	return NULL;
}

struct loop *loop_new(enum loop_backend backend, int setsize)
{
	const struct loop_backend_ops *ops = loop_ops_for(backend);
	struct loop *loop;
	int most;

	if (!ops)
		return NULL;
	most = ops->max_setsize();
	if (setsize <= 0 || setsize > most)
		setsize = most;
	loop = xcalloc(1, sizeof(*loop));
	loop->ops = ops;
	loop->backend = backend;
	loop->setsize = setsize;
	loop->maxfd = -1;
	loop->events = xcalloc((size_t)setsize, sizeof(*loop->events));
	loop->fired = xcalloc((size_t)setsize, sizeof(*loop->fired));
	if (ops->init(loop) < 0) {
		free(loop->events);
		free(loop->fired);
		free(loop);
		return NULL;
	}
	return loop;
}

void loop_free(struct loop *loop)
{
	if (!loop)
		return;
	loop->ops->fini(loop);
	free(loop->events);
	free(loop->fired);
	free(loop);
}

const char *loop_backend_name(const struct loop *loop)
{
	return loop->ops->name;
}

int loop_setsize(const struct loop *loop)
{
	return loop->setsize;
}

bool loop_fd_ok(const struct loop *loop, int fd)
{
	return fd >= 0 && fd < loop->setsize;
}

int loop_fd_add(struct loop *loop, int fd, int mask, loop_fd_fn fn, void *ud)
{
	struct loop_event *ev;
	int rc;

	if (!loop_fd_ok(loop, fd))
		return -EBADF;
	if (mask & ~(LOOP_READ | LOOP_WRITE))
		return -EINVAL;
	if (mask == LOOP_NONE) {
		loop_fd_del(loop, fd);
		return 0;
	}
	if (!fn)
		return -EINVAL;
	ev = &loop->events[fd];
	if (ev->mask != mask) {
		rc = loop->ops->set(loop, fd, ev->mask, mask);
		if (rc < 0)
			return rc;
	}
	if (ev->mask == LOOP_NONE)
		ev->gen++;
	ev->mask = mask;
	ev->fn = fn;
	ev->ud = ud;
	if (fd > loop->maxfd)
		loop->maxfd = fd;
	return 0;
}

void loop_fd_del(struct loop *loop, int fd)
{
	struct loop_event *ev;

	if (!loop_fd_ok(loop, fd))
		return;
	ev = &loop->events[fd];
	if (ev->mask == LOOP_NONE)
		return;
	loop->ops->del(loop, fd, ev->mask);
	ev->mask = LOOP_NONE;
	ev->gen++;
	ev->fn = NULL;
	ev->ud = NULL;
	if (fd == loop->maxfd) {
		while (loop->maxfd >= 0 && loop->events[loop->maxfd].mask == LOOP_NONE)
			loop->maxfd--;
	}
}

int loop_fd_mask(const struct loop *loop, int fd)
{
	if (!loop_fd_ok(loop, fd))
		return LOOP_NONE;
	return loop->events[fd].mask;
}

int loop_poll(struct loop *loop, int timeout_ms)
{
	int n, i, ran = 0;

	n = loop->ops->poll(loop, timeout_ms);
	if (n == -EINTR)
		return 0;
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		const struct loop_fired *f = &loop->fired[i];
		struct loop_event *ev = &loop->events[f->fd];
		int mask;

		if (ev->gen != f->gen)
			continue;
		mask = f->mask & ev->mask;
		if (mask == LOOP_NONE)
			continue;
		ev->fn(loop, f->fd, mask, ev->ud);
		ran++;
	}
	return ran;
}
