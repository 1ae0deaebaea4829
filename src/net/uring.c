/*
 * uring.c: a burst of sends in one system call. See uring.h.
 *
 * The ring is used synchronously: net_uring_send() fills one submission
 * entry per send, submits them all and waits for them all in the same
 * io_uring_enter(), then reads the completions. MSG_DONTWAIT makes the
 * kernel finish each send (or fail it with -EAGAIN) during the submit
 * instead of parking it until the socket has room, so the ring is always
 * empty between calls and the buffers need live only for the call.
 */
#include "net/uring.h"

#include <assert.h>
#include <errno.h>
#include <liburing.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "base/xalloc.h"
#include "base/banned.h"

struct net_uring {
	struct io_uring ring;
};

/*
 * Set-up flags, newest first: each is a hint (finish every entry even if
 * one is refused; no interrupts for completions; one thread submits), and
 * a kernel that knows none of them gets a plain ring.
 */
static const unsigned net_uring_flags[] = {
	IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SINGLE_ISSUER,
	IORING_SETUP_SUBMIT_ALL,
	0,
};

struct net_uring *net_uring_new(int *err)
{
	struct net_uring *u = xcalloc(1, sizeof(*u));
	struct io_uring_probe *probe;
	int rc = -EINVAL;
	bool can_send;

	for (size_t i = 0; i < sizeof(net_uring_flags) / sizeof(net_uring_flags[0]); i++) {
		rc = io_uring_queue_init(NET_URING_BATCH, &u->ring, net_uring_flags[i]);
		if (rc != -EINVAL)
			break;
	}
	if (rc < 0)
		goto fail;
	/* IORING_OP_SEND came in Linux 5.6; rings are older than that. */
	probe = io_uring_get_probe_ring(&u->ring);
	can_send = probe && io_uring_opcode_supported(probe, IORING_OP_SEND);
	io_uring_free_probe(probe);
	if (!can_send) {
		io_uring_queue_exit(&u->ring);
		rc = -EOPNOTSUPP;
		goto fail;
	}
	return u;
fail:
	free(u);
	if (err)
		*err = rc;
	return NULL;
}

void net_uring_free(struct net_uring *u)
{
	if (!u)
		return;
	io_uring_queue_exit(&u->ring);
	free(u);
}

int net_uring_send(struct net_uring *u, struct net_send *s, size_t n)
{
	struct io_uring_cqe *cqe;
	size_t got = 0;
	int rc;

	assert(n <= NET_URING_BATCH);
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);

		/* The queue has NET_URING_BATCH entries and every call empties it. */
		assert(sqe);
		io_uring_prep_send(sqe, s[i].fd, s[i].data, s[i].len, MSG_NOSIGNAL | MSG_DONTWAIT);
		io_uring_sqe_set_data64(sqe, i);
		s[i].result = NET_SEND_NOT_TRIED;
	}
	/* The kernel reports EINTR only when it took none of the entries: ask again. */
	do
		rc = io_uring_submit_and_wait(&u->ring, (unsigned)n);
	while (rc == -EINTR);
	if (rc < 0)
		return rc;
	/* Entries are taken in order: the first rc were sent, the rest never will be. */
	while (got < (size_t)rc) {
		int w = io_uring_wait_cqe(&u->ring, &cqe);

		if (w == -EINTR)
			continue;
		if (w < 0) {
			/* Sent or not, nobody can tell: the caller fails these connections. */
			for (size_t i = 0; i < (size_t)rc; i++)
				if (s[i].result == NET_SEND_NOT_TRIED)
					s[i].result = -EIO;
			return w;
		}
		if (io_uring_cqe_get_data64(cqe) < n)
			s[io_uring_cqe_get_data64(cqe)].result = cqe->res;
		io_uring_cqe_seen(&u->ring, cqe);
		got++;
	}
	return (size_t)rc < n ? -EIO : 0;
}
