/*
 * loop.h: a small file-descriptor event loop (after Redis ae.c).
 *
 * One thread, level-triggered. The loop watches descriptors for reading and
 * writing and calls one callback per ready descriptor; it knows nothing about
 * what the descriptors are. Timers are the caller's business: pass
 * loop_poll() the time left until your next deadline.
 *
 * The work is done by a backend behind a table of static functions
 * (src/net/internal.h): select() by default, epoll on Linux. Start reading at
 * loop_poll() in loop.c.
 *
 * A backend can only watch descriptors below its set size (FD_SETSIZE for
 * select). Check loop_fd_ok() before taking on a descriptor: one that fails it
 * must be refused, never passed to loop_fd_add() or FD_SET().
 */
#ifndef RUIN_NET_LOOP_H
#define RUIN_NET_LOOP_H

#include <stdbool.h>

struct loop;

enum loop_backend {
	LOOP_SELECT = 0, /* select(): portable, limited to FD_SETSIZE descriptors */
	LOOP_EPOLL = 1,	 /* epoll (Linux): as many as the set size says */
};

/* Interest and readiness bits. */
#define LOOP_NONE  0
#define LOOP_READ  1
#define LOOP_WRITE 2

/*
 * Called from loop_poll() when fd is ready; mask holds the ready bits (only
 * bits the fd was watched for). The callback may add, change or delete any
 * descriptor, its own included, and may close fd after deleting it: a
 * descriptor deleted during a pass gets no further callbacks in that pass,
 * even if its number is reused by a descriptor added in the same pass.
 */
typedef void (*loop_fd_fn)(struct loop *loop, int fd, int mask, void *ud);

/*
 * Makes a loop. setsize bounds the descriptors it can watch (fd < setsize);
 * 0 or less, or more than the backend takes, means the backend's most:
 * FD_SETSIZE for select; for epoll the process's open-file limit, at most
 * 65536.
 * Returns NULL if the backend cannot start (no epoll on this system).
 */
struct loop *loop_new(enum loop_backend backend, int setsize);
/* Frees the loop. Descriptors are not closed: they belong to the caller. */
void loop_free(struct loop *loop);

/* "select" or "epoll". */
const char *loop_backend_name(const struct loop *loop);
/* The set size: every fd the loop can watch is below it. */
int loop_setsize(const struct loop *loop);

/* True if 0 <= fd < the set size, i.e. loop_fd_add() can take it. */
bool loop_fd_ok(const struct loop *loop, int fd);

/*
 * Watches fd for mask (LOOP_READ and/or LOOP_WRITE), calling fn(loop, fd,
 * ready, ud). Calling it again for a watched fd replaces mask, fn and ud.
 * A mask of LOOP_NONE is loop_fd_del(). Returns 0, -EBADF if !loop_fd_ok(),
 * -EINVAL for a bad mask or NULL fn, or the backend's -errno.
 */
int loop_fd_add(struct loop *loop, int fd, int mask, loop_fd_fn fn, void *ud);
/* Stops watching fd (no-op if it was not watched). Call before close(fd). */
void loop_fd_del(struct loop *loop, int fd);
/* The mask fd is watched for, LOOP_NONE if none. */
int loop_fd_mask(const struct loop *loop, int fd);

/*
 * Waits up to timeout_ms (negative: forever, 0: just look) for watched
 * descriptors, then calls back each ready one. Returns how many callbacks
 * ran, 0 on timeout or when a signal interrupted the wait (EINTR), or -errno.
 */
int loop_poll(struct loop *loop, int timeout_ms);

#endif
