/*
 * internal.h: what the files of src/net/ share and no other folder sees:
 * the loop's state and the backend interface behind it, and the connection
 * table's state that conn.c and listen.c share.
 *
 * A backend (loop_select.c, loop_epoll.c) is a table of five functions over
 * struct loop. loop.c keeps the registered descriptors in events[] and asks
 * the backend to wait; the backend fills fired[] with what is ready.
 */
#ifndef RUIN_NET_INTERNAL_H
#define RUIN_NET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/list.h"
#include "base/log.h"
#include "base/map.h"
#include "net/addr.h"
#include "net/conn.h"
#include "net/loop.h"
#include "net/proxy.h"
#include "net/uring.h"

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

/* ---- connections: what conn.c and listen.c share ---------------------------- */

/* Input is read through this much scratch space at a time. */
#define NET_CHUNK (16 * 1024)
/* New connections taken per listener wake-up, so a flood cannot starve the rest. */
#define NET_ACCEPT_BURST 64
/*
 * A drained output queue keeps its allocation up to this size: every
 * message goes through the queue (write-behind), and a say with its prompt
 * fits; what a big look grew is given back once it has gone out.
 */
#define NET_KEEP_ALLOC 2048
/* Dirty connections before net_flush() sends through io_uring rather than send() by send(). */
#define NET_URING_MIN 4

struct net_listener {
	int fd;
	int port;
};

struct conn {
	struct net *net;
	struct dlink link;    /* in net->open */
	struct dlink dirty;   /* in net->dirty while output waits for net_flush() */
	struct dlink timed;   /* in net->timed while deadline_ms is set */
	struct dlink marked;  /* in net->marked once closing: net_reap() frees it */
	struct conn *id_next; /* the next in its net->ids bucket */
	uint32_t id;
	int fd;
	bool opened;	     /* on_open was called: on_close will be */
	bool proxied;	     /* client came from a PROXY line */
	bool trusted;	     /* the socket's peer is a trusted proxy */
	bool sniffing;	     /* the stream's start is not classified yet (PROXY line or not) */
	bool counted;	     /* counted in net->per_addr under addr */
	bool closing;	     /* marked: net_reap() closes it */
	bool dead;	     /* the socket failed: no more I/O at all */
	bool flush_close;    /* close when the output queue drains */
	bool held;	     /* conn_hold_input(): not read until released */
	int64_t deadline_ms; /* sniffing a partial PROXY line: give up; flush_close: give up */
	char *reason;
	struct addr client;
	char addr[ADDR_STRLEN];
	int64_t connected_at;
	int64_t last_input_ms;
	uint64_t bytes_in, bytes_out;
	struct buf out; /* queued output is out.data[out_off .. out.len) */
	size_t out_off;
	struct proxy proxy;
	void *ud;
};

struct net {
	struct loop *loop;
	struct net_config cfg;
	struct net_callbacks cb;
	void *ud;
	struct log *log;
	struct net_listener *listeners;
	size_t nlisteners, alisteners;
	int last_port;
	int spare_fd; /* given up to accept and refuse a client when out of descriptors */
	struct dlist open;
	struct dlist dirty;  /* connections written to since the last net_flush() */
	struct dlist timed;  /* connections with a deadline (PROXY wait, close after flush) */
	struct dlist marked; /* connections marked closing, in the order they were marked */
	struct conn **ids;   /* opened connections by id: buckets of id & (ids_cap - 1) */
	size_t ids_cap;	     /* a power of two, at least twice the open connections */
	struct map per_addr; /* client address -> count, as uintptr_t */
	uint32_t next_id;
	struct net_stats st;
	struct net_uring *uring; /* NULL: one send() per connection (see uring.h) */
	bool frozen;		 /* net_freeze(): no accepting, no reading (a hot reboot) */
	char scratch[NET_CHUNK];
};

/* Non-blocking and close-on-exec. 0 or -errno. */
int net_set_nonblock(int fd);
/* Writes a one-line message to a socket about to be closed, and closes it; best effort. */
void net_say_and_close(int fd, const char *msg);
/* Open connections counted under a client address. */
size_t net_addr_count(const struct net *net, const char *addr);
void net_addr_adjust(struct net *net, const char *addr, int delta);
/* Puts an opened connection in the table net_find() looks in (c->id set, unique); ids.c. */
void net_ids_put(struct net *net, struct conn *c);
/* Takes it out again. */
void net_ids_del(struct net *net, struct conn *c);
/* Frees the table (net_free(), once every connection is gone). */
void net_ids_fini(struct net *net);
size_t net_output_cap(const struct net *net);
/* Sets the client address and its printable form. */
void conn_set_client(struct conn *c, const struct addr *a);
/* Tells the loop what c waits for now (reading unless held or frozen, writing if queued). */
void conn_update_mask(struct conn *c);
/* The loop callback of every connection's socket. */
void conn_io(struct loop *loop, int fd, int mask, void *ud);
/* Moves c to the open table and calls on_open. */
void net_open(struct net *net, struct conn *c);

#endif
