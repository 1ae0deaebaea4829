/*
 * unix.h: a listening unix-domain stream socket, for tools on the same
 * machine (the admin socket ruin-console connects to).
 *
 * The socket file's permissions are its authentication: it is created with
 * the mode asked for (0600: only the server's user may connect), never
 * wider for a moment. A stale socket file left by a crash is replaced; a
 * live one (another server answers on it) and a path that is not a socket
 * are refused. Start reading at unix_listener_open() in unix.c.
 */
#ifndef RUIN_NET_UNIX_H
#define RUIN_NET_UNIX_H

#include <sys/types.h>

struct unix_listener {
	int fd;	    /* non-blocking, close-on-exec; -1 when closed */
	char *path; /* the socket file, removed again by unix_listener_close() */
	dev_t dev;  /* the file we created, so we never remove another's */
	ino_t ino;
};

/*
 * Creates the socket file path with mode and listens on it (caller-owned l).
 * Returns 0, or -errno with l->fd == -1: -ENAMETOOLONG (path does not fit
 * a sockaddr_un), -EADDRINUSE (a live server listens there), -EEXIST (path
 * is not a socket), or what socket/bind/listen said.
 */
int unix_listener_open(struct unix_listener *l, const char *path, mode_t mode);
/* Stops listening and removes the socket file if it is still the one we made. */
void unix_listener_close(struct unix_listener *l);
/*
 * Accepts one waiting connection: a non-blocking, close-on-exec fd, or
 * -EAGAIN when none waits, or -errno.
 */
int unix_accept(const struct unix_listener *l);
/* The peer's user and process ids (SO_PEERCRED). 0 or -errno. */
int unix_peer(int fd, uid_t *uid, pid_t *pid);

#endif
