/*
 * unix.c: the unix-domain listener. See unix.h.
 *
 * Start at unix_listener_open(): check what is at the path (replace only a
 * socket nobody answers on), bind under a umask that gives exactly the
 * requested mode, remember the file's identity for the removal at close.
 */
/* SO_PEERCRED and struct ucred are Linux extensions. */
#define _GNU_SOURCE 1

#include "net/unix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define UNIX_BACKLOG 16

static int unix_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (!*path || str_copy(sa->sun_path, sizeof(sa->sun_path), path) < 0)
		return -ENAMETOOLONG;
	return 0;
}

/* 0 if path is free (absent, or a stale socket now removed), else -errno. */
static int unix_clear_stale(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (rc == 0)
		return -EADDRINUSE;
	if (errno != ECONNREFUSED)
		return -errno;
	return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
}

int unix_listener_open(struct unix_listener *l, const char *path, mode_t mode)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old_mask;
	int fd, rc;

	memset(l, 0, sizeof(*l));
	l->fd = -1;
	rc = unix_addr(&sa, path);
	if (rc < 0)
		return rc;
	rc = unix_clear_stale(path, &sa);
	if (rc < 0)
		return rc;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	old_mask = umask((mode_t)(~mode & 0777));
	rc = bind(fd, (const struct sockaddr *)&sa, sizeof(sa));
	umask(old_mask);
	if (rc < 0 || chmod(path, mode) < 0 || listen(fd, UNIX_BACKLOG) < 0 ||
	    stat(path, &st) < 0) {
		rc = -errno;
		if (rc != -EADDRINUSE)
			unlink(path);
		close(fd);
		return rc;
	}
	l->fd = fd;
	l->path = xstrdup(path);
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	return 0;
}

void unix_listener_close(struct unix_listener *l)
{
	struct stat st;

	if (l->fd >= 0)
		close(l->fd);
	if (l->path && stat(l->path, &st) == 0 && st.st_dev == l->dev && st.st_ino == l->ino)
		unlink(l->path);
	free(l->path);
	l->path = NULL;
	l->fd = -1;
}

int unix_accept(const struct unix_listener *l)
{
	int fd;

	do
		fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return fd;
}

int unix_peer(int fd, uid_t *uid, pid_t *pid)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	*uid = cred.uid;
	*pid = cred.pid;
	return 0;
}
