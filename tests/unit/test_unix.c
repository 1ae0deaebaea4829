/*
 * test_unix.c: the unix-domain listener: mode 0600 from the start, accept
 * and peer credentials, a stale socket file replaced, a live one and a
 * non-socket refused, a path too long, removal only of our own file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "net/unix.h"

struct fixture {
	char dir[64];
	char path[96];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/ruin-unix-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/admin.sock", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int dial(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(strlen(path) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

static void test_mode_accept_peer(void **state)
{
	struct fixture *f = *state;
	struct unix_listener l;
	struct stat st;
	uid_t uid;
	pid_t pid;
	int c, s;

	assert_int_equal(unix_listener_open(&l, f->path, 0600), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(unix_accept(&l), -EAGAIN);
	c = dial(f->path);
	assert_true(c >= 0);
	s = unix_accept(&l);
	assert_true(s >= 0);
	assert_true(fcntl(s, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(s, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(unix_peer(s, &uid, &pid), 0);
	assert_int_equal(uid, getuid());
	assert_int_equal(pid, getpid());
	assert_int_equal(write(c, "hi", 2), 2);
	{
		char b[4];

		assert_int_equal(read(s, b, sizeof(b)), 2);
	}
	close(c);
	close(s);
	unix_listener_close(&l);
	assert_int_equal(l.fd, -1);
	assert_int_equal(access(f->path, F_OK), -1);
}

static void test_stale_replaced_live_refused(void **state)
{
	struct fixture *f = *state;
	struct unix_listener a, b;
	int fd;

	/* A socket file nobody listens on: what a crashed server leaves. */
	{
		struct sockaddr_un sa = {.sun_family = AF_UNIX};

		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		memcpy(sa.sun_path, f->path, strlen(f->path) + 1);
		assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
		close(fd);
	}
	assert_int_equal(unix_listener_open(&a, f->path, 0600), 0);
	assert_int_equal(unix_listener_open(&b, f->path, 0600), -EADDRINUSE);
	assert_int_equal(b.fd, -1);
	fd = dial(f->path);
	assert_true(fd >= 0);
	close(fd);
	unix_listener_close(&a);
}

static void test_not_a_socket_and_too_long(void **state)
{
	struct fixture *f = *state;
	struct unix_listener l;
	char longpath[200];
	int fd = open(f->path, O_CREAT | O_WRONLY, 0600);

	close(fd);
	assert_int_equal(unix_listener_open(&l, f->path, 0600), -EEXIST);
	assert_int_equal(access(f->path, F_OK), 0);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(unix_listener_open(&l, longpath, 0600), -ENAMETOOLONG);
	assert_int_equal(unix_listener_open(&l, "", 0600), -ENAMETOOLONG);
	assert_int_equal(unix_listener_open(&l, "/nonexistent-dir/x.sock", 0600), -ENOENT);
}

static void test_close_keeps_a_replaced_file(void **state)
{
	struct fixture *f = *state;
	struct unix_listener l;
	int fd;

	assert_int_equal(unix_listener_open(&l, f->path, 0600), 0);
	/* Someone else put a file there meanwhile: not ours to remove. */
	unlink(f->path);
	fd = open(f->path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	unix_listener_close(&l);
	assert_int_equal(access(f->path, F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mode_accept_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_replaced_live_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_socket_and_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_keeps_a_replaced_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
