/*
 * conn.h: listeners and the connection table (struct net, struct conn).
 *
 * struct net accepts TCP connections on its listeners, refuses what it must
 * (descriptor past the loop's reach, too many connections, too many from one
 * address), resolves a PROXY v1 line from trusted proxies, reads input in
 * capped passes, queues output under a cap, and closes connections only at
 * net_reap(), never in the middle of a walk or a callback. It says nothing
 * about what flows over a connection: bytes go up through struct
 * net_callbacks, and come down through conn_write(), which queues them
 * for the next net_flush() (write-behind: one send per connection per
 * loop pass, and with io_uring one system call for all of them).
 *
 * Life of a connection:
 *   accept -> on_open -> [trusted peer: optional PROXY line -> on_proxy]
 *          -> on_data ... -> conn_close_later() or peer gone -> net_reap()
 *          -> on_close -> freed.
 * Every connection opens at once, so a player on a trusted address (a local
 * telnet) is greeted without delay; a trusted proxy's PROXY line, if any,
 * must be the first bytes it sends, and never reaches on_data.
 * on_close comes exactly once for each connection that had on_open, from
 * net_reap() or net_shutdown(); a connection refused at accept (limits)
 * never had on_open.
 * The struct conn stays valid until on_close returns; hold ids (conn_id,
 * net_find) across loop passes rather than pointers you do not drop in
 * on_close.
 *
 * Start reading at net_new() and net_accept() in conn.c.
 */
#ifndef RUIN_NET_CONN_H
#define RUIN_NET_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "net/addr.h"
#include "net/loop.h"

struct net;
struct conn;

/* Lines written to a connection that is refused. */
#define NET_MSG_FULL	     "Sorry, the server is full. Try again later.\r\n"
#define NET_MSG_PER_ADDR     "Too many connections from your address.\r\n"
#define NET_MSG_PROXY_DENIED "PROXY protocol is not accepted from your address.\r\n"
#define NET_MSG_PROXY_BAD    "Invalid PROXY protocol header.\r\n"

/* Defaults used for zero fields of struct net_config. */
#define NET_DEFAULT_OUTPUT_CAP	  ((size_t)512 * 1024)
#define NET_DEFAULT_READ_PASS	  ((size_t)16 * 1024)
#define NET_DEFAULT_PROXY_WAIT_MS 3000
#define NET_DEFAULT_FLUSH_WAIT_MS 5000

struct net_config {
	size_t max_conns;    /* open connections at most; 0: only the loop's limit */
	size_t max_per_addr; /* from one client address at most; 0: no limit */
	size_t output_cap;   /* queued output bytes before "output overflow"; 0: default */
	size_t read_pass;    /* input bytes read per connection per loop pass; 0: default */
	/*
	 * Peers allowed to start with a PROXY v1 line (the bridge), or NULL for
	 * none. Borrowed: it must outlive the net. Their own address is never
	 * counted against max_per_addr; the address they announce is.
	 */
	const struct addr_list *trusted;
	int proxy_wait_ms; /* a PROXY line begun but not finished by then is refused; 0: default */
	int flush_wait_ms; /* conn_close_after_flush() gives up after this; 0: default */
	/*
	 * Send a loop pass's output to many connections in one system call
	 * (io_uring) where the kernel allows it; one send() each otherwise.
	 */
	bool io_uring;
};

/*
 * What the net tells its owner. ud is the pointer given to net_new(). Each
 * callback may call any conn_ and net_ function except net_reap(),
 * net_shutdown() and net_free().
 */
struct net_callbacks {
	/*
	 * A connection is open. From a trusted proxy the address is the
	 * proxy's own until a PROXY line says otherwise (on_proxy).
	 */
	void (*on_open)(void *ud, struct conn *c);
	/* Bytes arrived, in order, never a PROXY line. n > 0. */
	void (*on_data)(void *ud, struct conn *c, const char *bytes, size_t n);
	/* The connection is going; c is freed after this returns. */
	void (*on_close)(void *ud, struct conn *c, const char *reason);
	/* A trusted proxy's PROXY line gave the client's address (conn_addr). May be NULL. */
	void (*on_proxy)(void *ud, struct conn *c);
};

/* Totals since net_new(). */
struct net_stats {
	uint64_t bytes_in;  /* read from connections, PROXY lines included */
	uint64_t bytes_out; /* written to connections */
	uint64_t accepted;  /* connections that reached on_open */
	uint64_t
		refused; /* connections refused: limits, or a PROXY line not allowed or not valid */
	size_t conns;	 /* open now (had on_open, not yet on_close) */
	size_t pending;	 /* open, in the middle of a trusted peer's PROXY line */
	size_t listeners;
	uint64_t ring_sends; /* sends made through io_uring (struct net_config.io_uring) */
};

/*
 * Makes a connection table on loop. cfg and cb are copied; cb->on_open,
 * on_data and on_close must all be set. lg may be NULL. Returns NULL if
 * cb is incomplete.
 */
struct net *net_new(struct loop *loop, const struct net_config *cfg, const struct net_callbacks *cb,
		    void *ud, struct log *lg);
/*
 * Closes listeners and every connection at once, without callbacks and
 * without flushing; use net_shutdown() first for an orderly end.
 */
void net_free(struct net *net);

/*
 * Listens on host:port, non-blocking, SO_REUSEADDR. host is a numeric
 * address ("0.0.0.0", "::", "127.0.0.1", "::1") or a name such as
 * "localhost"; every address it resolves to gets a listener ("::" also takes
 * IPv4 where the system allows). port 0 picks a free port, the same for all
 * of host's addresses. Returns the bound port (> 0) or -errno.
 */
int net_listen(struct net *net, const char *host, int port);
/* The port of the listener opened last, or -1 if none. */
int net_listen_port(const struct net *net);
/* Closes every listener; connections stay. */
void net_unlisten(struct net *net);

/*
 * Sends what conn_write() queued since the last flush, one send per
 * connection (many in one io_uring submission when the net has a ring,
 * see uring.h), as much as each socket takes without blocking; the rest goes
 * out as the socket becomes writable (the loop watches it). net_reap()
 * starts with it; call it yourself only to push output out sooner (a hot
 * reboot's drain). Outside callbacks.
 */
void net_flush(struct net *net);
/*
 * Once per loop pass, outside callbacks: flushes (net_flush), closes
 * connections marked by conn_close_later() (flushing what the socket takes
 * without blocking, calling on_close, freeing), and handles time limits (a
 * trusted peer that sent no PROXY line in time is opened as direct;
 * close_after_flush gives up after flush_wait_ms). Returns how many
 * connections it closed.
 */
int net_reap(struct net *net);
/*
 * Closes listeners, then every connection: flushes what it can without
 * blocking, calls on_close(reason) for opened ones, frees. The net stays
 * usable (net_listen() may start again).
 */
void net_shutdown(struct net *net, const char *reason);

/* The open connection with this id, or NULL (none, or already closed). */
struct conn *net_find(const struct net *net, uint32_t id);
/*
 * Iterates open connections (those that had on_open), oldest first:
 * for (c = net_first(net); c; c = net_next(c)). Marking connections closed
 * during the walk is fine; they are freed only by net_reap().
 */
struct conn *net_first(const struct net *net);
struct conn *net_next(const struct conn *c);
/* Open connections (had on_open, not yet on_close). */
size_t net_count(const struct net *net);
void net_stats(const struct net *net, struct net_stats *out);

/* ---- hot reboot: handing sockets to a new process --------------------------- */

/* Fills out[0..max) with the listeners' descriptors; returns how many there are. */
size_t net_listener_fds(const struct net *net, int *out, size_t max);
/*
 * Freezes (true) or thaws the net: while frozen no listener accepts and no
 * connection is read (output still goes), so a hot reboot's list of
 * sessions stays the whole truth while it drains their output. A
 * connection's own hold (conn_hold_input) is kept across.
 */
void net_freeze(struct net *net, bool frozen);
/*
 * Clears close-on-exec on every listener and on the n connections in keep
 * (those handed to the new process); every other socket closes at exec().
 * 0 or -errno.
 */
int net_keep_across_exec(struct net *net, struct conn *const *keep, size_t n);
/* Undoes net_keep_across_exec() (exec() failed): every socket closes at exec() again. */
void net_close_on_exec(struct net *net);
/* Takes over a listening socket handed over by a previous process. Its port, or -errno. */
int net_adopt_listener(struct net *net, int fd);
/*
 * Takes over a connected socket handed over by a previous process, as an
 * open connection with the given id (later ids stay above it), client
 * address and proxied flag, without on_open (the owner sets it up itself).
 * Returns NULL, with fd closed, if fd or id cannot be taken.
 */
struct conn *net_adopt(struct net *net, int fd, uint32_t id, const struct addr *client,
		       bool proxied, int64_t connected_at);

/* ---- one connection -------------------------------------------------------- */

/* Never 0, never reused within the net's lifetime; increases with accepts. */
uint32_t conn_id(const struct conn *c);
/* The socket (for handing over at a hot reboot). */
int conn_fd(const struct conn *c);
/* The client's printable address (the one a PROXY line announced, if any). */
const char *conn_addr(const struct conn *c);
/* The client's address and port as a value. */
const struct addr *conn_peer(const struct conn *c);
/* True if the address came from a trusted proxy's PROXY line. */
bool conn_proxied(const struct conn *c);
/* Wall-clock second of the accept (clock_wall_s()). */
int64_t conn_connected_at(const struct conn *c);
/* Monotonic millisecond (clock_mono_ms()) of the last input; the accept's at first. */
int64_t conn_last_input_ms(const struct conn *c);
uint64_t conn_bytes_in(const struct conn *c);
uint64_t conn_bytes_out(const struct conn *c);
/* Output bytes queued and not yet taken by the socket. */
size_t conn_pending_output(const struct conn *c);
/* True once the connection is marked to close (it gets no more on_data). */
bool conn_closing(const struct conn *c);

/*
 * Stops (hold) or resumes reading c's socket. While held, what the client
 * sends waits in the kernel's buffers and then in its own: TCP's flow
 * control slows a flooding client down at no cost to the server. A closed
 * peer is noticed once reading resumes.
 */
void conn_hold_input(struct conn *c, bool hold);
bool conn_input_held(const struct conn *c);

/* The owner's pointer for this connection (NULL at first). */
void *conn_get_ud(const struct conn *c);
void conn_set_ud(struct conn *c, void *ud);

/*
 * Queues n bytes for the client. Nothing is sent here: everything written
 * to a connection during a loop pass goes out together at the next
 * net_flush() (net_reap() does it), so a message and the prompt after it
 * cost one send(), not two. Returns 0; -EPIPE if the connection is marked
 * closed (except by conn_close_after_flush, whose queue still drains) or
 * its socket failed, bytes dropped; -ENOBUFS if the queue would pass
 * output_cap: the connection is then marked closed ("output overflow"), a
 * warning is logged and nothing more is queued.
 */
int conn_write(struct conn *c, const void *bytes, size_t n);
/*
 * Marks c to close at the next net_reap(), with reason (copied) for
 * on_close. Input stops at once; queued output is flushed best effort.
 * The first reason given wins. Safe to call more than once.
 */
void conn_close_later(struct conn *c, const char *reason);
/*
 * Stops input and closes c once its output queue has drained, or after
 * flush_wait_ms, whichever comes first (for "quit": the goodbye gets out).
 */
void conn_close_after_flush(struct conn *c, const char *reason);

#endif
