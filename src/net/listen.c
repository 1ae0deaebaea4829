/*
 * listen.c: listening sockets and accepting connections, and handing both
 * over to a new process at a hot reboot. Part of the connection table
 * (conn.h); the state it shares with conn.c is in internal.h.
 *
 * Start reading at net_accept(): every new socket goes through net_take(),
 * which refuses it (the server is full, too many from one address) or makes
 * a struct conn and opens it at once.
 */
#include "net/conn.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "net/internal.h"
#include "base/banned.h"

/* ---- accepting ----------------------------------------------------------- */

/* Refuses a socket before it has a struct conn. */
static void net_refuse_fd(struct net *net, int fd, const struct addr *a, const char *msg,
			  const char *why)
{
	char text[ADDR_STRLEN];

	if (addr_format(a, text, sizeof(text)) < 0)
		memcpy(text, "unknown", sizeof("unknown"));
	log_info(net->log, "connection from %s refused: %s", text, why);
	net_say_and_close(fd, msg);
	net->st.refused++;
}

/*
 * The next connection id: never 0, and after 2^32 accepts, when the
 * counter wraps, never one a connection still open has (the world and the
 * admin console name sessions by it).
 */
static uint32_t net_new_id(struct net *net)
{
	do {
		if (++net->next_id == 0)
			net->next_id = 1;
	} while (net_find(net, net->next_id));
	return net->next_id;
}

/* Takes on a freshly accepted socket, or refuses it. */
static void net_take(struct net *net, int fd, const struct sockaddr *sa, socklen_t salen)
{
	struct addr peer;
	struct conn *c;
	bool trusted;
	char text[ADDR_STRLEN];
	int one = 1;

	addr_from_sockaddr(&peer, sa, salen);
	if (!loop_fd_ok(net->loop, fd)) {
		net_refuse_fd(net, fd, &peer, NET_MSG_FULL,
			      "descriptor beyond the loop's set size");
		return;
	}
	if (net->cfg.max_conns && net->open.count >= net->cfg.max_conns) {
		net_refuse_fd(net, fd, &peer, NET_MSG_FULL, "connection limit reached");
		return;
	}
	trusted = addr_list_match(net->cfg.trusted, &peer);
	if (addr_format(&peer, text, sizeof(text)) < 0)
		memcpy(text, "unknown", sizeof("unknown"));
	if (!trusted && net->cfg.max_per_addr &&
	    net_addr_count(net, text) >= net->cfg.max_per_addr) {
		net_refuse_fd(net, fd, &peer, NET_MSG_PER_ADDR,
			      "too many connections from address");
		return;
	}
	if (net_set_nonblock(fd) < 0) {
		net_refuse_fd(net, fd, &peer, NET_MSG_FULL, "cannot make socket non-blocking");
		return;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));

	c = xcalloc(1, sizeof(*c));
	c->net = net;
	c->fd = fd;
	c->trusted = trusted;
	conn_set_client(c, &peer);
	c->connected_at = clock_wall_s();
	c->last_input_ms = clock_mono_ms();
	buf_init(&c->out, net_output_cap(net));
	proxy_init(&c->proxy);
	c->id = net_new_id(net);
	dlink_init(&c->link);
	if (loop_fd_add(net->loop, fd, LOOP_READ, conn_io, c) < 0) {
		buf_fini(&c->out);
		free(c);
		net_refuse_fd(net, fd, &peer, NET_MSG_FULL, "event loop refused the descriptor");
		return;
	}
	/* A trusted proxy's own address is never counted; the one it announces is. */
	if (!trusted) {
		net_addr_adjust(net, c->addr, +1);
		c->counted = true;
	}
	c->sniffing = true;
	net_open(net, c);
}

/* Out of descriptors: accepts one waiting client with the spare one to tell it so. */
static void net_accept_spare(struct net *net, int lfd)
{
	int fd;

	if (net->spare_fd < 0)
		return;
	close(net->spare_fd);
	net->spare_fd = -1;
	fd = accept(lfd, NULL, NULL);
	if (fd >= 0) {
		log_warn(net->log, "out of file descriptors: refusing a connection");
		net_say_and_close(fd, NET_MSG_FULL);
		net->st.refused++;
	}
	net->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void net_accept(struct loop *loop, int lfd, int mask, void *ud)
{
	struct net *net = ud;
	int i;

	(void)loop;
	(void)mask;
	for (i = 0; i < NET_ACCEPT_BURST; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int fd = accept(lfd, (struct sockaddr *)&ss, &len);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE)
				net_accept_spare(net, lfd);
			else if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn(net->log, "accept: %s", strerror(errno));
			return;
		}
		net_take(net, fd, (struct sockaddr *)&ss, len);
	}
}

/* ---- listeners ----------------------------------------------------------- */

static int net_sock_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct addr a;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -errno;
	if (addr_from_sockaddr(&a, (struct sockaddr *)&ss, len) < 0)
		return -EAFNOSUPPORT;
	return a.port;
}

static void net_set_port(struct sockaddr *sa, int port)
{
	if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)(void *)sa)->sin_port = htons((uint16_t)port);
	else if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)(void *)sa)->sin6_port = htons((uint16_t)port);
}

/* Opens one listening socket; returns its fd or -errno. */
static int net_listen_one(struct net *net, struct addrinfo *ai, bool v6only)
{
	int fd, one = 1, v6 = v6only ? 1 : 0, rc;

	fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	if (fd < 0)
		return -errno;
	if (!loop_fd_ok(net->loop, fd)) {
		close(fd);
		return -EMFILE;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6, sizeof(v6));
	if (net_set_nonblock(fd) < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 ||
	    listen(fd, SOMAXCONN) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = loop_fd_add(net->loop, fd, LOOP_READ, net_accept, net);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

int net_listen(struct net *net, const char *host, int port)
{
	struct addrinfo hints, *res = NULL, *ai;
	char portstr[8];
	int rc, first_err = 0, bound = port, opened = 0;
	size_t count = 0;

	if (port < 0 || port > 65535)
		return -EINVAL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(portstr, sizeof(portstr), "%d", port);
	rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc != 0) {
		log_error(net->log, "listen %s:%d: %s", host ? host : "*", port, gai_strerror(rc));
		return rc == EAI_SYSTEM ? -errno : -EADDRNOTAVAIL;
	}
	for (ai = res; ai; ai = ai->ai_next)
		count++;
	for (ai = res; ai; ai = ai->ai_next) {
		int fd;

		/* Port 0: every address of host shares the port the first one got. */
		if (bound != 0)
			net_set_port(ai->ai_addr, bound);
		/* With one address, "::" also serves IPv4; with several, each its own. */
		fd = net_listen_one(net, ai, count > 1);
		if (fd < 0) {
			if (!first_err)
				first_err = fd;
			continue;
		}
		if (bound == 0) {
			rc = net_sock_port(fd);
			if (rc < 0) {
				loop_fd_del(net->loop, fd);
				close(fd);
				if (!first_err)
					first_err = rc;
				continue;
			}
			bound = rc;
		}
		if (net->nlisteners == net->alisteners) {
			net->alisteners = net->alisteners ? net->alisteners * 2 : 4;
			net->listeners = xreallocarray(net->listeners, net->alisteners,
						       sizeof(*net->listeners));
		}
		net->listeners[net->nlisteners].fd = fd;
		net->listeners[net->nlisteners].port = bound;
		net->nlisteners++;
		opened++;
	}
	freeaddrinfo(res);
	if (!opened) {
		log_error(net->log, "listen %s:%d: %s", host ? host : "*", port,
			  strerror(-first_err));
		return first_err ? first_err : -EADDRNOTAVAIL;
	}
	net->last_port = bound;
	log_info(net->log, "listening on %s port %d", host ? host : "*", bound);
	return bound;
}

int net_listen_port(const struct net *net)
{
	return net->nlisteners ? net->last_port : -1;
}

void net_unlisten(struct net *net)
{
	size_t i;

	for (i = 0; i < net->nlisteners; i++) {
		loop_fd_del(net->loop, net->listeners[i].fd);
		close(net->listeners[i].fd);
	}
	net->nlisteners = 0;
}

/* ---- hot reboot ------------------------------------------------------------ */

size_t net_listener_fds(const struct net *net, int *out, size_t max)
{
	size_t i;

	for (i = 0; i < net->nlisteners && i < max; i++)
		out[i] = net->listeners[i].fd;
	return net->nlisteners;
}

int conn_fd(const struct conn *c)
{
	return c->fd;
}

void net_freeze(struct net *net, bool frozen)
{
	if (net->frozen == frozen)
		return;
	net->frozen = frozen;
	for (size_t i = 0; i < net->nlisteners; i++) {
		if (frozen)
			loop_fd_del(net->loop, net->listeners[i].fd);
		else if (loop_fd_add(net->loop, net->listeners[i].fd, LOOP_READ, net_accept, net) <
			 0)
			log_error(net->log, "cannot listen on descriptor %d again",
				  net->listeners[i].fd);
	}
	DLIST_FOREACH(&net->open, it)
	{
		conn_update_mask(dlist_entry(it, struct conn, link));
	}
}

void net_close_on_exec(struct net *net)
{
	for (size_t i = 0; i < net->nlisteners; i++)
		(void)fcntl(net->listeners[i].fd, F_SETFD, FD_CLOEXEC);
	DLIST_FOREACH(&net->open, it)
	{
		(void)fcntl(dlist_entry(it, struct conn, link)->fd, F_SETFD, FD_CLOEXEC);
	}
}

int net_keep_across_exec(struct net *net, struct conn *const *keep, size_t n)
{
	for (size_t i = 0; i < net->nlisteners; i++)
		if (fcntl(net->listeners[i].fd, F_SETFD, 0) < 0)
			return -errno;
	for (size_t i = 0; i < n; i++)
		if (fcntl(keep[i]->fd, F_SETFD, 0) < 0)
			return -errno;
	return 0;
}

int net_adopt_listener(struct net *net, int fd)
{
	int port, rc;

	if (!loop_fd_ok(net->loop, fd) || net_set_nonblock(fd) < 0)
		return -EBADF;
	port = net_sock_port(fd);
	if (port < 0)
		return port;
	rc = loop_fd_add(net->loop, fd, LOOP_READ, net_accept, net);
	if (rc < 0)
		return rc;
	if (net->nlisteners == net->alisteners) {
		net->alisteners = net->alisteners ? net->alisteners * 2 : 4;
		net->listeners =
			xreallocarray(net->listeners, net->alisteners, sizeof(*net->listeners));
	}
	net->listeners[net->nlisteners].fd = fd;
	net->listeners[net->nlisteners].port = port;
	net->nlisteners++;
	net->last_port = port;
	return port;
}

struct conn *net_adopt(struct net *net, int fd, uint32_t id, const struct addr *client,
		       bool proxied, int64_t connected_at)
{
	struct conn *c;

	if (id == 0 || net_find(net, id) || !loop_fd_ok(net->loop, fd) ||
	    net_set_nonblock(fd) < 0) {
		close(fd);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->net = net;
	c->fd = fd;
	c->id = id;
	conn_set_client(c, client);
	c->proxied = proxied;
	c->trusted = false; /* its PROXY line, if any, is long past */
	c->connected_at = connected_at;
	c->last_input_ms = clock_mono_ms();
	buf_init(&c->out, net_output_cap(net));
	proxy_init(&c->proxy);
	dlink_init(&c->link);
	if (loop_fd_add(net->loop, fd, LOOP_READ, conn_io, c) < 0) {
		buf_fini(&c->out);
		free(c);
		close(fd);
		return NULL;
	}
	if (id > net->next_id)
		net->next_id = id;
	net_addr_adjust(net, c->addr, +1);
	c->counted = true;
	dlist_push_back(&net->open, &c->link);
	c->opened = true;
	net_ids_put(net, c);
	return c;
}
