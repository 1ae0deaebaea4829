/*
 * loop.c: the event loop ruin-bridge runs on, and the game's output for
 * browsers that are not waiting for an answer, translated a slice at a time
 * between its turns.
 *
 * The loop. lws's own (LWS_MAX_SMP 1, no external poll in Debian's build)
 * calls poll() over every socket on every turn: with 1,000 browsers that is
 * 2,000 descriptors a turn and two or more turns a command, two thirds of
 * the bridge's CPU (perf). Its libuv plugin (libwebsockets-evlib-uv, which
 * libwebsockets-dev depends on) waits in epoll instead. The loop is ours
 * ("foreign" to lws), so bridge_run() turns it and bridge_free() closes it.
 * Not libev: with lws 4.1's libev plugin whole-bridge stalls of 0.5-5 s
 * showed at 1,000 sessions.
 *
 * Deferred output. A say in a room of 1,000 browsers reaches the bridge as
 * 1,000 reads from ruin-server within a few ms, and translating and writing
 * each (telnet, JSON, permessage-deflate, a send) costs ~35 us: 35 ms of
 * work, and the answer to someone's look read in the middle of it waited
 * for all of it. So session_up_receive() translates at once only the output
 * of a session whose browser sent a command in the last SESSION_ASKED_MS
 * (an answer someone is waiting for); any other session keeps the bytes it
 * read (s->pend) and is queued here. An idle handle translates queued sessions
 * a slice at a time, and the loop polls every socket between slices, so an
 * answer waits for one slice, not for the whole broadcast. Nothing
 * is reordered within a session: its kept bytes always go before any that
 * follow (session_up_feed()).
 */
#include "internal.h"

#include <poll.h>
#include <stdlib.h>
#include <uv.h>

#include "base/xalloc.h"
#include "base/banned.h"

/*
 * The most sessions translated in one turn of the loop (about a
 * millisecond's work): after the first, a slice also ends as soon as any
 * socket has something for the loop (defer_io_waiting), so an answer read
 * in the middle of a broadcast waits for one session's translation, ~35 us,
 * rather than for the slice.
 */
#define DEFER_SLICE 32

/* Whether the loop's epoll set has an event ready: one poll() of its descriptor. */
static bool defer_io_waiting(uv_loop_t *loop)
{
	struct pollfd p = {.fd = uv_backend_fd(loop), .events = POLLIN};

	return p.fd >= 0 && poll(&p, 1, 0) > 0;
}

static void defer_idle_cb(uv_idle_t *idle)
{
	struct bridge *br = idle->data;

	/* session_up_drain() takes each session off the queue. */
	for (int i = 0; i < DEFER_SLICE && !dlist_empty(&br->deferred); i++) {
		if (i > 0 && defer_io_waiting(idle->loop))
			break;
		session_up_drain(dlist_entry(br->deferred.head.next, struct session, defer_link));
	}
	if (dlist_empty(&br->deferred))
		uv_idle_stop(idle);
}

int bridge_loop_open(struct bridge *br, struct buf *err)
{
	uv_loop_t *loop = xcalloc(1, sizeof(*loop));
	uv_idle_t *idle = xcalloc(1, sizeof(*idle));
	int rc = uv_loop_init(loop);

	dlist_init(&br->deferred);
	if (rc == 0 && (rc = uv_idle_init(loop, idle)) != 0)
		uv_loop_close(loop);
	if (rc != 0) {
		buf_printf(err, "cannot start the event loop: %s", uv_strerror(rc));
		free(idle);
		free(loop);
		return -1;
	}
	idle->data = br;
	br->loop = loop;
	br->defer_idle = idle;
	return 0;
}

static void bridge_idle_closed(uv_handle_t *h)
{
	free(h);
}

void bridge_loop_close(struct bridge *br)
{
	if (!br->loop)
		return;
	uv_close((uv_handle_t *)br->defer_idle, bridge_idle_closed);
	br->defer_idle = NULL;
	/* Let every handle lws (or bridge_run) closed finish closing. */
	uv_run(br->loop, UV_RUN_DEFAULT);
	if (uv_loop_close(br->loop) != 0)
		log_warn(br->log, "the event loop still had open handles at exit");
	free(br->loop);
	br->loop = NULL;
}

int defer_add(struct bridge *br, struct session *s)
{
	if (!br->defer_idle)
		return -1;
	if (dlink_linked(&s->defer_link))
		return 0;
	dlist_push_back(&br->deferred, &s->defer_link);
	if (!uv_is_active((uv_handle_t *)br->defer_idle))
		uv_idle_start(br->defer_idle, defer_idle_cb);
	return 0;
}

void defer_remove(struct bridge *br, struct session *s)
{
	if (dlink_linked(&s->defer_link))
		dlist_remove(&br->deferred, &s->defer_link);
}
