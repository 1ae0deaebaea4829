/*
 * internal.h: what the files of src/net/ share and no other folder sees:
 * the loop's state and the backend interface behind it.
 *
 * A backend (loop_select.c, loop_epoll.c) is a table of five functions over
 * struct loop. loop.c keeps the registered descriptors in events[] and asks
 * the backend to wait; the backend fills fired[] with what is ready.
 */
#ifndef RUIN_NET_INTERNAL_H
#define RUIN_NET_INTERNAL_H

#include <stdint.h>

#include "net/loop.h"

/* One watched descriptor, indexed by fd. */
struct loop_event {
	int mask;     /* LOOP_NONE when not watched */
	uint32_t gen; /* bumped on every add-from-nothing and del */
	loop_fd_fn fn;
	void *ud;
};

/* One ready descriptor found by the backend's poll. */
struct loop_fired {
	int fd;
	int mask;
	uint32_t gen; /* events[fd].gen when it was found ready */
};

struct loop_backend_ops {
	const char *name;
	/* The largest set size it supports for this process (> 0). */
	int (*max_setsize)(void);
	/* Sets up loop->bstate; 0 or -errno. */
	int (*init)(struct loop *loop);
	void (*fini)(struct loop *loop);
	/* fd goes from watching oldmask to newmask (newmask != 0); 0 or -errno. */
	int (*set)(struct loop *loop, int fd, int oldmask, int newmask);
	/* fd stops being watched (it was watched for oldmask != 0). */
	void (*del)(struct loop *loop, int fd, int oldmask);
	/*
	 * Waits up to timeout_ms (negative: forever) and fills loop->fired[]
	 * with ready descriptors (the mask bits they are watched for only).
	 * Returns the count, or -errno (-EINTR included).
	 */
	int (*poll)(struct loop *loop, int timeout_ms);
};

struct loop {
	const struct loop_backend_ops *ops;
	enum loop_backend backend;
	int setsize;
	int maxfd;		   /* highest watched fd, -1 if none */
	struct loop_event *events; /* setsize entries */
	struct loop_fired *fired;  /* setsize entries */
	void *bstate;		   /* the backend's own state */
};

extern const struct loop_backend_ops loop_select_ops;
extern const struct loop_backend_ops loop_epoll_ops;

#endif
