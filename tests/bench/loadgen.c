/*
 * loadgen.c: Forgotten Ruin's load generator. Start reading at main().
 *
 * One process, one thread, non-blocking sockets under epoll, loopback only.
 * It opens N connections to a running server (telnet, or ruin-bridge's
 * WebSocket JSON through another transport), creates or logs in one
 * character on each (the server should hash passwords cheaply for this:
 * --set pwhash_ops=1 --set pwhash_mem_kb=64), and then measures, in phases:
 *
 *   login    how long it takes until all N are at their first game prompt;
 *   settle   then how long until nothing has arrived for half a second (the
 *            arrival lines of a login storm, still being delivered);
 *   look     every player but the first sends `look` at a steady rate
 *            (default once a second, spread evenly over the period) and
 *            the time from sending it to the prompt after the room's exits
 *            line is one sample: p50/p90/p99/max;
 *   fan-out  while the others keep looking, the first player says a
 *            numbered line again and again; one sample is the time from
 *            sending it until the LAST listener has it;
 *
 * and from /proc/<pid> of the server (and of a bridge, if given): RSS before
 * any connection, with everyone logged in, and at the end; CPU per look.
 * Everything is bounded: connections in flight, a deadline per phase and a
 * timeout per command. The result is one JSON object (stdout or --json).
 */
#include "loadgen.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define LG_RECENT	  128	    /* text kept since the last prompt */
#define LG_READ_CHUNK	  65536	    /* bytes per read() */
#define LG_READS_PER_WAKE 4	    /* reads per connection per wake-up (fairness) */
#define LG_OUT_LIMIT	  (1 << 16) /* bytes queued for one socket */
#define LG_LOGIN_PROMPTS  16	    /* prompts a login may take before it is stuck */
#define LG_MAX_ERRORS	  8	    /* distinct error lines kept for the report */
#define LG_NS		  1000000000LL
#define LG_MS		  1000000LL

enum lg_state { LG_UNUSED, LG_CONNECTING, LG_LOGIN, LG_PLAYING, LG_DEAD };

struct lg;

struct lg_conn {
	struct lg *lg;
	unsigned idx;
	int fd;
	enum lg_state state;
	void *tp;		/* the transport's state */
	struct buf out;		/* bytes the socket has not taken yet */
	bool watch_out;		/* EPOLLOUT is on */
	char recent[LG_RECENT]; /* the last text since the last prompt */
	size_t recent_len;
	bool welcome;	  /* login: "Welcome" since the last prompt */
	bool entered;	  /* login: in the game, walking to its room (--walk-depth) */
	unsigned walked;  /* steps of that walk done */
	bool step_seen;	  /* the room after the last step has been shown */
	bool stepping;	  /* a step was sent and its room not shown yet */
	unsigned prompts; /* login: prompts so far */
	int64_t started;  /* when connect() was called */
	int64_t look_at;  /* when the outstanding look was sent; 0: none */
	bool look_seen;	  /* its exits line has arrived */
	bool want_token;  /* listening for the current fan-out line */
};

struct lg_samples {
	int64_t *v; /* nanoseconds */
	size_t n, alloc;
};

struct lg_opts {
	const char *host;
	int port;
	const char *transport;
	unsigned players;
	double rate;		  /* looks per second per player */
	double look_seconds;	  /* length of the look phase */
	unsigned says;		  /* fan-out samples */
	unsigned say_interval_ms; /* pause after a say reached everyone */
	unsigned concurrency;	  /* logins in flight */
	unsigned timeout_ms;	  /* per look, per say */
	unsigned login_timeout_s;
	const char *prefix; /* character names: prefix + 4 letters */
	const char *password;
	pid_t server_pid;
	pid_t bridge_pid;
	const char *json_path;
	const char *label;
	unsigned slow_ms;    /* report each look at least this slow (0: none) */
	unsigned walk_depth; /* steps each player walks after logging in */
};

struct lg_proc {
	long rss_kb, hwm_kb;
	long pss_kb; /* proportional share: shared pages split among their users */
	double cpu_s;
};

struct lg {
	struct lg_opts o;
	const struct lg_transport *tp;
	int epfd;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	struct lg_conn *conns;
	unsigned n;

	unsigned next_connect, inflight, playing;
	unsigned connect_failed, login_failed, disconnects, protocol_errors;
	struct lg_samples login;
	uint64_t bytes_in, bytes_out;
	uint64_t inflated; /* WebSocket messages that came compressed (lg_inflated) */
	int64_t last_in;   /* when anything last arrived */
	char *errors[LG_MAX_ERRORS];
	unsigned n_errors;

	bool looking;
	int64_t look_t0, look_period;
	unsigned look_cursor;
	uint64_t look_round;
	struct lg_samples *look_into; /* where look samples go now */
	struct lg_samples look, look_fan;
	uint64_t looks_sent, look_skipped, look_timeouts;

	bool saying;
	unsigned say_seq, says_done, say_incomplete, say_waiting, say_listeners;
	unsigned groups; /* rooms the players end up in: 5^walk_depth */
	int64_t say_at, say_next;
	char token[32];
	size_t token_len;
	struct lg_samples fan;
	struct lg_samples fan_read; /* the same, by when the load generator read it */
	struct lg_samples lag;	    /* read time - arrival time of each sample's bytes */
	int64_t rx_at;		    /* when the bytes being parsed arrived (kernel time) */
	int64_t read_at;	    /* when they were read */
};

int64_t lg_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * LG_NS + ts.tv_nsec;
}

int lg_raise_nofile(unsigned long need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		rl.rlim_cur =
			rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
			return -1;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		fprintf(stderr,
			"loadgen: needs %lu open files, and the limit is %llu (hard %llu): "
			"raise it (ulimit -Hn, or LimitNOFILE= under systemd)\n",
			need, (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
		return -1;
	}
	return 0;
}

/* ---- samples --------------------------------------------------------------- */

static void lg_sample(struct lg_samples *s, int64_t ns)
{
	if (s->n == s->alloc) {
		s->alloc = s->alloc ? s->alloc * 2 : 1024;
		s->v = xreallocarray(s->v, s->alloc, sizeof(*s->v));
	}
	s->v[s->n++] = ns;
}

static int lg_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank percentile q (0..1] in milliseconds; samples sorted. */
static double lg_pct_ms(const struct lg_samples *s, double q)
{
	size_t k;

	if (!s->n)
		return 0;
	k = (size_t)(q * (double)s->n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > s->n)
		k = s->n;
	return (double)s->v[k - 1] / (double)LG_MS;
}

static void lg_json_samples(FILE *fp, const char *name, struct lg_samples *s)
{
	qsort(s->v, s->n, sizeof(*s->v), lg_cmp_i64);
	fprintf(fp,
		"\"%s\":{\"samples\":%zu,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,"
		"\"max_ms\":%.3f}",
		name, s->n, lg_pct_ms(s, 0.50), lg_pct_ms(s, 0.90), lg_pct_ms(s, 0.99),
		lg_pct_ms(s, 1.0));
}

/* ---- /proc ----------------------------------------------------------------- */

static long lg_status_kb(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/*
 * Adds VmRSS, VmHWM and user+system CPU of pid to *pr, and with tree those
 * of its descendants too (websockify forks a process per connection).
 */
static void lg_proc_add(pid_t pid, bool tree, int depth, struct lg_proc *pr)
{
	char path[96], text[4096];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fp = fopen(path, "r");
	if (!fp)
		return;
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	pr->rss_kb += lg_status_kb(text, "VmRSS:");
	pr->hwm_kb += lg_status_kb(text, "VmHWM:");
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	fp = fopen(path, "r");
	if (fp) {
		n = fread(text, 1, sizeof(text) - 1, fp);
		text[n] = '\0';
		fclose(fp);
		pr->pss_kb += lg_status_kb(text, "\nPss:");
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fp = fopen(path, "r");
	if (fp) {
		const char *p;
		unsigned long ut = 0, st = 0;

		n = fread(text, 1, sizeof(text) - 1, fp);
		text[n] = '\0';
		fclose(fp);
		/* Fields after the ")" that ends the command name: state is 3,
		 * utime 14 and stime 15. */
		p = strrchr(text, ')');
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut,
				&st) == 2)
			pr->cpu_s += (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	}
	if (!tree || depth >= 4)
		return;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	fp = fopen(path, "r");
	if (!fp)
		return;
	for (;;) {
		int child;

		if (fscanf(fp, "%d", &child) != 1)
			break;
		lg_proc_add((pid_t)child, tree, depth + 1, pr);
	}
	fclose(fp);
}

/* The readings of pid (and its descendants with tree); zeros if it is gone. */
static struct lg_proc lg_proc_read(pid_t pid, bool tree)
{
	struct lg_proc pr = {0, 0, 0, 0};

	if (pid > 0)
		lg_proc_add(pid, tree, 0, &pr);
	return pr;
}

static double lg_self_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* ---- connections ----------------------------------------------------------- */

static void lg_error(struct lg *lg, const char *what, const char *detail)
{
	struct buf b;

	if (lg->n_errors == LG_MAX_ERRORS)
		return;
	buf_init(&b, 512);
	buf_printf(&b, "%s: %s", what, detail);
	for (unsigned i = 0; i < lg->n_errors; i++)
		if (strcmp(lg->errors[i], buf_cstr(&b)) == 0) {
			buf_fini(&b);
			return;
		}
	lg->errors[lg->n_errors++] = buf_steal(&b);
}

static void lg_watch(struct lg_conn *c)
{
	struct epoll_event ev = {0};
	bool out = c->out.len > 0 || c->state == LG_CONNECTING;

	if (out == c->watch_out)
		return;
	ev.events = EPOLLIN | (out ? EPOLLOUT : 0u);
	ev.data.ptr = c;
	epoll_ctl(c->lg->epfd, EPOLL_CTL_MOD, c->fd, &ev);
	c->watch_out = out;
}

/* Closes a connection for good; what it was doing is dropped. */
static void lg_close(struct lg_conn *c)
{
	struct lg *lg = c->lg;

	if (c->state == LG_DEAD || c->state == LG_UNUSED)
		return;
	if (c->state == LG_CONNECTING || c->state == LG_LOGIN)
		lg->inflight--;
	if (c->state == LG_PLAYING)
		lg->playing--;
	if (c->want_token) {
		c->want_token = false;
		lg->say_waiting--;
	}
	epoll_ctl(lg->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	buf_clear(&c->out);
	c->state = LG_DEAD; /* the transport's state is freed at exit: we may be inside it */
}

/* A connection failed: counted by what it was doing, then closed. */
static void lg_drop(struct lg_conn *c, const char *why)
{
	struct lg *lg = c->lg;

	switch (c->state) {
	case LG_CONNECTING:
		lg->connect_failed++;
		lg_error(lg, "connect", why);
		break;
	case LG_LOGIN:
		lg->login_failed++;
		lg_error(lg, "login", why);
		break;
	case LG_PLAYING:
		lg->disconnects++;
		lg_error(lg, "playing", why);
		break;
	default:
		return;
	}
	lg_close(c);
}

void lg_conn_target(const struct lg_conn *c, const char **host, int *port)
{
	*host = c->lg->o.host;
	*port = c->lg->o.port;
}

void lg_fail(struct lg_conn *c, const char *why)
{
	c->lg->protocol_errors++;
	lg_drop(c, why);
}

static void lg_flush(struct lg_conn *c)
{
	while (c->state != LG_DEAD && c->out.len) {
		ssize_t w = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				lg_drop(c, strerror(errno));
			break;
		}
		c->lg->bytes_out += (uint64_t)w;
		buf_consume(&c->out, (size_t)w);
	}
	if (c->state != LG_DEAD)
		lg_watch(c);
}

void lg_inflated(struct lg_conn *c)
{
	c->lg->inflated++;
}

void lg_write(struct lg_conn *c, const void *bytes, size_t n)
{
	if (c->state == LG_DEAD)
		return;
	if (buf_append(&c->out, bytes, n) < 0)
		lg_fail(c, "output queue full (the server stopped reading)");
}

static void lg_send_line(struct lg_conn *c, const char *line)
{
	if (c->state == LG_DEAD)
		return;
	c->lg->tp->send_line(c, c->tp, line, strlen(line));
	lg_flush(c);
}

static void lg_connect(struct lg *lg, struct lg_conn *c)
{
	struct epoll_event ev = {0};
	int one = 1;

	c->started = lg_now();
	lg->inflight++;
	buf_init(&c->out, LG_OUT_LIMIT);
	c->fd = socket(lg->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	c->state = LG_CONNECTING;
	if (c->fd < 0) {
		c->state = LG_DEAD;
		lg->inflight--;
		lg->connect_failed++;
		lg_error(lg, "socket", strerror(errno));
		return;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	ev.events = EPOLLIN | EPOLLOUT;
	ev.data.ptr = c;
	c->watch_out = true;
	if (epoll_ctl(lg->epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0 ||
	    (connect(c->fd, (struct sockaddr *)&lg->addr, lg->addrlen) < 0 && errno != EINPROGRESS))
		lg_drop(c, strerror(errno));
}

/* ---- what the game says ---------------------------------------------------- */

/* True if needle occurs in the text since the last prompt followed by p. */
static bool lg_find(const struct lg_conn *c, const char *p, size_t n, const char *needle, size_t nl)
{
	char joint[2 * LG_RECENT];
	size_t t, h;

	if (nl == 0 || nl > LG_RECENT)
		return false;
	t = c->recent_len < nl - 1 ? c->recent_len : nl - 1;
	h = n < nl - 1 ? n : nl - 1;
	memcpy(joint, c->recent + c->recent_len - t, t);
	memcpy(joint + t, p, h);
	if (memmem(joint, t + h, needle, nl))
		return true;
	return memmem(p, n, needle, nl) != NULL;
}

static void lg_keep_recent(struct lg_conn *c, const char *p, size_t n)
{
	if (n >= LG_RECENT) {
		memcpy(c->recent, p + n - LG_RECENT, LG_RECENT);
		c->recent_len = LG_RECENT;
		return;
	}
	if (c->recent_len + n > LG_RECENT) {
		size_t drop = c->recent_len + n - LG_RECENT;

		memmove(c->recent, c->recent + drop, c->recent_len - drop);
		c->recent_len -= drop;
	}
	memcpy(c->recent + c->recent_len, p, n);
	c->recent_len += n;
}

void lg_text(struct lg_conn *c, const char *text, size_t n)
{
	struct lg *lg = c->lg;

	if (c->state == LG_LOGIN && !c->entered && !c->welcome)
		c->welcome = lg_find(c, text, n, "Welcome", 7);
	if (c->state == LG_LOGIN && c->entered && !c->step_seen)
		c->step_seen = lg_find(c, text, n, "[Exits:", 7);
	if (c->state == LG_PLAYING) {
		if (c->look_at && !c->look_seen)
			c->look_seen = lg_find(c, text, n, "[Exits:", 7);
		if (c->want_token && lg_find(c, text, n, lg->token, lg->token_len)) {
			c->want_token = false;
			if (--lg->say_waiting == 0) {
				int64_t now = lg_now();

				lg_sample(&lg->fan, lg->rx_at - lg->say_at);
				lg_sample(&lg->fan_read, lg->read_at - lg->say_at);
				lg_sample(&lg->lag, lg->read_at - lg->rx_at);
				lg->says_done++;
				lg->say_at = 0;
				lg->say_next = now + (int64_t)lg->o.say_interval_ms * LG_MS;
			}
		}
	}
	lg_keep_recent(c, text, n);
}

static bool lg_recent_has(const struct lg_conn *c, const char *s)
{
	return memmem(c->recent, c->recent_len, s, strlen(s)) != NULL;
}

/* The login conversation (src/nanny.c), one answer per prompt. */
/* The players' rooms: player i walks the base-5 digits of i % groups. */
static const char *const lg_walk_dirs[5] = {"north", "east", "south", "west", "up"};

static unsigned lg_group(const struct lg *lg, unsigned idx)
{
	return idx % lg->groups;
}

/* After logging in: one step per room shown, then the player is ready. */
static void lg_walk_prompt(struct lg_conn *c)
{
	struct lg *lg = c->lg;
	unsigned digit = lg_group(lg, c->idx);

	if (c->stepping) {
		if (!c->step_seen)
			return; /* someone else's news, not our new room yet */
		c->walked++;
		c->stepping = false;
	}
	if (c->walked == lg->o.walk_depth) {
		c->state = LG_PLAYING;
		lg->inflight--;
		lg->playing++;
		lg_sample(&lg->login, lg_now() - c->started);
		return;
	}
	for (unsigned i = c->walked + 1; i < lg->o.walk_depth; i++)
		digit /= 5;
	c->step_seen = false;
	c->stepping = true;
	lg_send_line(c, lg_walk_dirs[digit % 5]);
}

static void lg_login_prompt(struct lg_conn *c)
{
	struct lg *lg = c->lg;
	char name[64];
	unsigned k = c->idx;

	if (c->entered) {
		lg_walk_prompt(c);
		return;
	}
	if (c->welcome) {
		c->entered = true;
		c->step_seen = false;
		lg_walk_prompt(c);
		return;
	}
	if (++c->prompts > LG_LOGIN_PROMPTS) {
		lg_drop(c, "stuck in the login conversation");
		return;
	}
	if (lg_recent_has(c, "known? ")) {
		snprintf(name, sizeof(name), "%s%c%c%c%c", lg->o.prefix, 'a' + (k / 17576) % 26,
			 'a' + (k / 676) % 26, 'a' + (k / 26) % 26, 'a' + k % 26);
		lg_send_line(c, name);
	} else if (lg_recent_has(c, "(yes/no)? ")) {
		lg_send_line(c, "yes");
	} else if (lg_recent_has(c, "Password: ") || lg_recent_has(c, "again: ")) {
		lg_send_line(c, lg->o.password);
	} else if (lg_recent_has(c, "she: ")) {
		lg_send_line(c, "they");
	} else if (lg_recent_has(c, "path: ")) {
		lg_send_line(c, "fighter");
	} else {
		struct buf why;

		buf_init(&why, 512);
		buf_puts(&why, "unexpected prompt: ");
		for (size_t i = 0; i < c->recent_len; i++) {
			unsigned char b = (unsigned char)c->recent[i];

			buf_putc(&why, b >= 0x20 && b < 0x7f ? (char)b : '.');
		}
		lg_drop(c, buf_cstr(&why));
		buf_fini(&why);
	}
}

void lg_prompt(struct lg_conn *c)
{
	struct lg *lg = c->lg;

	if (c->state == LG_LOGIN) {
		lg_login_prompt(c);
	} else if (c->state == LG_PLAYING && c->look_at && c->look_seen) {
		int64_t now = lg->rx_at;

		lg_sample(lg->look_into, now - c->look_at);
		lg_sample(&lg->lag, lg->read_at - lg->rx_at);
		if (lg->o.slow_ms && now - c->look_at >= (int64_t)lg->o.slow_ms * LG_MS)
			fprintf(stderr,
				"loadgen: slow look: %.1f ms, player %u, sent %.3f s into the "
				"phase (CLOCK_MONOTONIC %.6f, for perf -k CLOCK_MONOTONIC)\n",
				(double)(now - c->look_at) / (double)LG_MS, c->idx,
				(double)(c->look_at - lg->look_t0) / (double)LG_NS,
				(double)c->look_at / (double)LG_NS);
		c->look_at = 0;
	}
	c->recent_len = 0;
	c->welcome = false;
}

/*
 * When the bytes just read arrived, on the monotonic clock: the kernel's
 * receive timestamp (SO_TIMESTAMPNS, wall clock, of the last segment read),
 * or read_at if there is none. One process reading a thousand sockets gets
 * to some of them late; a listener "has" a line when it reached its socket,
 * as it would on a client's own machine. The lag is reported beside it.
 */
static int64_t lg_arrival(struct msghdr *mh, int64_t read_at)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		struct timespec ts, wall;
		int64_t at;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_TIMESTAMPNS)
			continue;
		memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
		clock_gettime(CLOCK_REALTIME, &wall);
		at = read_at - ((int64_t)wall.tv_sec * LG_NS + wall.tv_nsec -
				((int64_t)ts.tv_sec * LG_NS + ts.tv_nsec));
		return at < read_at ? at : read_at;
	}
	return read_at;
}

static void lg_read(struct lg_conn *c)
{
	struct lg *lg = c->lg;
	char bytes[LG_READ_CHUNK];
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} ctl;

	for (int i = 0; i < LG_READS_PER_WAKE && c->state != LG_DEAD; i++) {
		struct iovec iov = {.iov_base = bytes, .iov_len = sizeof(bytes)};
		struct msghdr mh = {.msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = ctl.buf,
				    .msg_controllen = sizeof(ctl.buf)};
		ssize_t r = recvmsg(c->fd, &mh, 0);

		if (r == 0) {
			lg_drop(c, "closed by the server");
			return;
		}
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				lg_drop(c, strerror(errno));
			break;
		}
		lg->bytes_in += (uint64_t)r;
		lg->last_in = lg->read_at = lg_now();
		lg->rx_at = lg_arrival(&mh, lg->read_at);
		lg->tp->recv(c, c->tp, bytes, (size_t)r);
		if ((size_t)r < sizeof(bytes))
			break;
	}
	if (c->state != LG_DEAD)
		lg_flush(c);
}

static void lg_event(struct lg_conn *c, uint32_t events)
{
	if (c->state == LG_DEAD)
		return;
	if (c->state == LG_CONNECTING) {
		int err = 0;
		socklen_t len = sizeof(err);

		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err) {
			lg_drop(c, strerror(err));
			return;
		}
		c->state = LG_LOGIN;
		c->tp = c->lg->tp->open(c);
		lg_flush(c);
	}
	if (c->state != LG_DEAD && (events & EPOLLOUT))
		lg_flush(c);
	if (c->state != LG_DEAD && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		lg_read(c);
}

/* ---- timed work -------------------------------------------------------------- */

static int64_t lg_look_due(const struct lg *lg)
{
	return lg->look_t0 + (int64_t)lg->look_round * lg->look_period +
	       (int64_t)lg->look_cursor * lg->look_period / (int64_t)lg->n;
}

static void lg_look_fire(struct lg *lg, struct lg_conn *c, int64_t now)
{
	if (c->idx == 0 || c->state != LG_PLAYING)
		return;
	if (c->look_at) {
		if (now - c->look_at < (int64_t)lg->o.timeout_ms * LG_MS) {
			lg->look_skipped++;
			return;
		}
		lg->look_timeouts++;
	}
	c->look_at = now;
	c->look_seen = false;
	lg->looks_sent++;
	lg_send_line(c, "look");
}

static void lg_say_fire(struct lg *lg, int64_t now)
{
	struct lg_conn *speaker = &lg->conns[0];
	char line[64];

	if (speaker->state != LG_PLAYING) {
		lg->saying = false;
		return;
	}
	lg->say_seq++;
	snprintf(lg->token, sizeof(lg->token), "%06u fanout", lg->say_seq % 1000000);
	lg->token_len = strlen(lg->token);
	lg->say_waiting = 0;
	for (unsigned i = 1; i < lg->n; i++) {
		struct lg_conn *c = &lg->conns[i];

		c->want_token = c->state == LG_PLAYING && lg_group(lg, i) == lg_group(lg, 0);
		lg->say_waiting += c->want_token;
	}
	lg->say_listeners = lg->say_waiting;
	if (!lg->say_waiting) {
		lg->saying = false;
		return;
	}
	snprintf(line, sizeof(line), "say %s", lg->token);
	lg->say_at = now;
	lg_send_line(speaker, line);
}

static void lg_say_timeout(struct lg *lg, int64_t now)
{
	for (unsigned i = 1; i < lg->n; i++)
		lg->conns[i].want_token = false;
	lg->say_waiting = 0;
	lg->say_incomplete++;
	lg->say_at = 0;
	lg->say_next = now + (int64_t)lg->o.say_interval_ms * LG_MS;
}

/* Runs what is due by now; lowers *next to the next deadline. */
static void lg_timers(struct lg *lg, int64_t now, int64_t *next)
{
	if (lg->looking) {
		int64_t due;

		while ((due = lg_look_due(lg)) <= now) {
			lg_look_fire(lg, &lg->conns[lg->look_cursor], now);
			if (++lg->look_cursor == lg->n) {
				lg->look_cursor = 0;
				lg->look_round++;
			}
		}
		if (due < *next)
			*next = due;
	}
	if (lg->saying) {
		int64_t timeout = (int64_t)lg->o.timeout_ms * LG_MS;

		if (lg->say_at && now - lg->say_at >= timeout)
			lg_say_timeout(lg, now);
		if (!lg->say_at && now >= lg->say_next)
			lg_say_fire(lg, now);
		if (lg->say_at && lg->say_at + timeout < *next)
			*next = lg->say_at + timeout;
		else if (!lg->say_at && lg->say_next < *next)
			*next = lg->say_next;
	}
}

/* One pass: timers, then a wait of at most until `until`, then events. */
static void lg_step(struct lg *lg, int64_t until)
{
	struct epoll_event evs[256];
	int64_t now = lg_now(), next = until, wait_ns;
	int n, timeout_ms;

	lg_timers(lg, now, &next);
	wait_ns = next - lg_now();
	timeout_ms = wait_ns <= 0 ? 0 : (int)((wait_ns + LG_MS - 1) / LG_MS);
	if (timeout_ms > 100)
		timeout_ms = 100;
	n = epoll_wait(lg->epfd, evs, 256, timeout_ms);
	for (int i = 0; i < n; i++)
		lg_event(evs[i].data.ptr, evs[i].events);
}

static void lg_run_for(struct lg *lg, double seconds)
{
	int64_t until = lg_now() + (int64_t)(seconds * (double)LG_NS);

	while (lg_now() < until)
		lg_step(lg, until);
}

/*
 * Runs until nothing has arrived on any connection for quiet_s (at most
 * max_s); returns the seconds it took. A thousand logins in one room are a
 * million arrival lines, and a proxy can still be delivering them seconds
 * after the last login answered: the look phase measures the steady state,
 * not that backlog.
 */
static double lg_run_until_quiet(struct lg *lg, double quiet_s, double max_s)
{
	int64_t t0 = lg_now(), quiet = (int64_t)(quiet_s * (double)LG_NS);
	int64_t until = t0 + (int64_t)(max_s * (double)LG_NS);

	while (lg_now() < until && lg_now() - lg->last_in < quiet)
		lg_step(lg, lg->last_in + quiet < until ? lg->last_in + quiet : until);
	return (double)(lg_now() - t0) / (double)LG_NS;
}

/* ---- phases ------------------------------------------------------------------ */

static void lg_phase_login(struct lg *lg)
{
	int64_t deadline = lg_now() + (int64_t)lg->o.login_timeout_s * LG_NS;

	while (lg_now() < deadline) {
		while (lg->next_connect < lg->n && lg->inflight < lg->o.concurrency)
			lg_connect(lg, &lg->conns[lg->next_connect++]);
		if (lg->next_connect == lg->n && lg->inflight == 0)
			return;
		lg_step(lg, deadline);
	}
	for (unsigned i = 0; i < lg->n; i++) {
		struct lg_conn *c = &lg->conns[i];

		if (c->state == LG_CONNECTING || c->state == LG_LOGIN)
			lg_drop(c, "login phase timed out");
	}
	lg->connect_failed += lg->n - lg->next_connect;
	lg->next_connect = lg->n;
}

static void lg_phase_looks(struct lg *lg)
{
	lg->look_period = (int64_t)((double)LG_NS / lg->o.rate);
	lg->look_t0 = lg_now();
	lg->look_cursor = 0;
	lg->look_round = 0;
	lg->look_into = &lg->look;
	lg->looking = true;
	lg_run_for(lg, lg->o.look_seconds);
}

static void lg_phase_fanout(struct lg *lg)
{
	int64_t deadline = lg_now() + (int64_t)lg->o.says *
					      (int64_t)(lg->o.say_interval_ms + lg->o.timeout_ms) *
					      LG_MS;

	lg->look_into = &lg->look_fan;
	lg->saying = true;
	lg->say_next = lg_now();
	while (lg->saying && lg->says_done + lg->say_incomplete < lg->o.says && lg_now() < deadline)
		lg_step(lg, deadline);
	lg->saying = false;
	lg->looking = false;
	for (unsigned i = 1; i < lg->n; i++)
		lg->conns[i].want_token = false;
	lg->say_waiting = 0;
}

/* ---- report ------------------------------------------------------------------ */

static void lg_json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char b = (unsigned char)*s;

		if (b == '"' || b == '\\')
			fprintf(fp, "\\%c", b);
		else if (b < 0x20)
			fprintf(fp, "\\u%04x", b);
		else
			fputc(b, fp);
	}
	fputc('"', fp);
}

static void lg_json_proc(FILE *fp, const char *name, const struct lg_proc *boot,
			 const struct lg_proc *in, const struct lg_proc *end, unsigned sessions)
{
	fprintf(fp,
		"\"%s\":{\"rss_boot_kb\":%ld,\"rss_loggedin_kb\":%ld,\"rss_end_kb\":%ld,"
		"\"hwm_kb\":%ld,\"kb_per_session\":%.2f,\"kb_per_session_end\":%.2f,"
		"\"pss_boot_kb\":%ld,\"pss_loggedin_kb\":%ld,\"pss_kb_per_session\":%.2f}",
		name, boot->rss_kb, in->rss_kb, end->rss_kb, end->hwm_kb,
		sessions ? (double)(in->rss_kb - boot->rss_kb) / sessions : 0.0,
		sessions ? (double)(end->rss_kb - boot->rss_kb) / sessions : 0.0, boot->pss_kb,
		in->pss_kb, sessions ? (double)(in->pss_kb - boot->pss_kb) / sessions : 0.0);
}

static void lg_report(struct lg *lg, FILE *fp, const struct lg_proc pr[4],
		      const struct lg_proc br[4], double login_s, double settle_s, double look_s,
		      double lg_cpu_s)
{
	double server_cpu_look = pr[2].cpu_s - pr[1].cpu_s;
	unsigned logged_in = lg->login.n;

	fprintf(fp, "{\"label\":");
	lg_json_string(fp, lg->o.label ? lg->o.label : "");
	fprintf(fp,
		",\"transport\":\"%s\",\"players\":%u,\"rate_per_player\":%.3f,"
		"\"look_seconds\":%.3f,",
		lg->tp->name, lg->n, lg->o.rate, look_s);
	fprintf(fp, "\"login\":{\"ok\":%u,\"seconds\":%.3f,\"settle_seconds\":%.3f,", logged_in,
		login_s, settle_s);
	lg_json_samples(fp, "each", &lg->login);
	fprintf(fp, "},\"look\":{");
	lg_json_samples(fp, "idle_room", &lg->look);
	fputc(',', fp);
	lg_json_samples(fp, "during_fanout", &lg->look_fan);
	fprintf(fp,
		",\"sent\":%" PRIu64 ",\"skipped_busy\":%" PRIu64 ",\"timeouts\":%" PRIu64
		",\"per_second\":%.1f},",
		lg->looks_sent, lg->look_skipped, lg->look_timeouts,
		look_s > 0 ? (double)lg->look.n / look_s : 0.0);
	fprintf(fp, "\"rooms\":%u,\"fanout\":{\"listeners\":%u,\"incomplete\":%u,", lg->groups,
		lg->say_listeners, lg->say_incomplete);
	lg_json_samples(fp, "last_listener", &lg->fan);
	fputc(',', fp);
	lg_json_samples(fp, "last_listener_read", &lg->fan_read);
	fprintf(fp, "},");
	lg_json_proc(fp, "server", &pr[0], &pr[1], &pr[3], logged_in);
	fprintf(fp, ",\"server_cpu\":{\"look_phase_s\":%.3f,\"us_per_look\":%.1f},",
		server_cpu_look, lg->look.n ? server_cpu_look * 1e6 / (double)lg->look.n : 0.0);
	if (lg->o.bridge_pid > 0) {
		double bridge_cpu_look = br[3].cpu_s - br[1].cpu_s;

		lg_json_proc(fp, "bridge", &br[0], &br[1], &br[2], logged_in);
		fprintf(fp, ",\"bridge_cpu\":{\"look_phase_s\":%.3f,\"us_per_look\":%.1f},",
			bridge_cpu_look,
			lg->look.n ? bridge_cpu_look * 1e6 / (double)lg->look.n : 0.0);
	}
	fprintf(fp,
		"\"failures\":{\"connect\":%u,\"login\":%u,\"disconnects\":%u,\"protocol\":%u,"
		"\"errors\":[",
		lg->connect_failed, lg->login_failed, lg->disconnects, lg->protocol_errors);
	for (unsigned i = 0; i < lg->n_errors; i++) {
		if (i)
			fputc(',', fp);
		lg_json_string(fp, lg->errors[i]);
	}
	fprintf(fp,
		"]},\"loadgen\":{\"cpu_s\":%.3f,\"bytes_in\":%" PRIu64 ",\"bytes_out\":%" PRIu64
		",\"inflated_messages\":%" PRIu64 ",",
		lg_cpu_s, lg->bytes_in, lg->bytes_out, lg->inflated);
	lg_json_samples(fp, "read_lag", &lg->lag);
	fprintf(fp, "}}\n");
}

/* ---- main -------------------------------------------------------------------- */

static void lg_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: loadgen --port N [options]\n"
		"Logs in N characters on a running ruin-server (or ruin-bridge) on loopback\n"
		"and measures look round trips, say fan-out, memory and CPU. JSON result.\n"
		"\n"
		"  --host ADDR          loopback address (default 127.0.0.1)\n"
		"  --port N             port to connect to (required)\n"
		"  --transport NAME     telnet (default), ws (ruin-bridge's JSON) or\n"
		"                       wstelnet (telnet in binary frames: websockify)\n"
		"  --players N          connections (default 100)\n"
		"  --rate R             looks per second per player (default 1)\n"
		"  --look-seconds S     length of the look phase (default 10)\n"
		"  --says K             fan-out samples (default 100)\n"
		"  --say-interval-ms M  pause after a say reached everyone (default 50)\n"
		"  --concurrency C      logins in flight (default 64)\n"
		"  --timeout-ms T       per look and per say (default 5000)\n"
		"  --login-timeout S    for the whole login phase (default 120)\n"
		"  --prefix NAME        letters that start every character name (default Bench)\n"
		"  --password PW        (default benchpass)\n"
		"  --server-pid PID     read RSS and CPU from /proc/PID\n"
		"  --bridge-pid PID     read the bridge's RSS too\n"
		"  --label TEXT         copied into the result\n"
		"  --json FILE          write the result there instead of stdout\n"
		"  --slow-ms M          tell on stderr of every look that took M ms or more\n"
		"  --walk-depth D       after logging in, player i walks to the room of group\n"
		"                       i mod 5^D, by the base-5 digits of the group (north\n"
		"                       east south west up); its says reach that group only\n"
		"\n"
		"Or, to measure the machine alone (lg_machine.c; JSON on stdout):\n"
		"  --hiccup S           spin S seconds on each CPU: how much of each the machine\n"
		"                       took away, its noise floor for a p99\n"
		"  --fanout-floor N     100 rounds of one send() to each of N loopback sockets:\n"
		"                       the kernel's own cost of a say to N listeners\n");
}

static int lg_parse(struct lg_opts *o, int argc, char **argv)
{
	enum {
		O_HOST = 256,
		O_PORT,
		O_TRANSPORT,
		O_PLAYERS,
		O_RATE,
		O_LOOKS,
		O_SAYS,
		O_INTERVAL,
		O_CONC,
		O_TIMEOUT,
		O_LOGIN_TIMEOUT,
		O_PREFIX,
		O_PASSWORD,
		O_SPID,
		O_BPID,
		O_LABEL,
		O_JSON,
		O_SLOW,
		O_WALK,
		O_HELP
	};
	static const struct option opts[] = {
		{"host", required_argument, NULL, O_HOST},
		{"port", required_argument, NULL, O_PORT},
		{"transport", required_argument, NULL, O_TRANSPORT},
		{"players", required_argument, NULL, O_PLAYERS},
		{"rate", required_argument, NULL, O_RATE},
		{"look-seconds", required_argument, NULL, O_LOOKS},
		{"says", required_argument, NULL, O_SAYS},
		{"say-interval-ms", required_argument, NULL, O_INTERVAL},
		{"concurrency", required_argument, NULL, O_CONC},
		{"timeout-ms", required_argument, NULL, O_TIMEOUT},
		{"login-timeout", required_argument, NULL, O_LOGIN_TIMEOUT},
		{"prefix", required_argument, NULL, O_PREFIX},
		{"password", required_argument, NULL, O_PASSWORD},
		{"server-pid", required_argument, NULL, O_SPID},
		{"bridge-pid", required_argument, NULL, O_BPID},
		{"label", required_argument, NULL, O_LABEL},
		{"json", required_argument, NULL, O_JSON},
		{"slow-ms", required_argument, NULL, O_SLOW},
		{"walk-depth", required_argument, NULL, O_WALK},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case O_HOST:
			o->host = optarg;
			break;
		case O_PORT:
			o->port = atoi(optarg);
			break;
		case O_TRANSPORT:
			o->transport = optarg;
			break;
		case O_PLAYERS:
			o->players = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case O_RATE:
			o->rate = strtod(optarg, NULL);
			break;
		case O_LOOKS:
			o->look_seconds = strtod(optarg, NULL);
			break;
		case O_SAYS:
			o->says = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case O_INTERVAL:
			o->say_interval_ms = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case O_CONC:
			o->concurrency = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case O_TIMEOUT:
			o->timeout_ms = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case O_LOGIN_TIMEOUT:
			o->login_timeout_s = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case O_PREFIX:
			o->prefix = optarg;
			break;
		case O_PASSWORD:
			o->password = optarg;
			break;
		case O_SPID:
			o->server_pid = (pid_t)atoi(optarg);
			break;
		case O_BPID:
			o->bridge_pid = (pid_t)atoi(optarg);
			break;
		case O_LABEL:
			o->label = optarg;
			break;
		case O_JSON:
			o->json_path = optarg;
			break;
		case O_WALK:
			o->walk_depth = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case O_SLOW:
			o->slow_ms = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case O_HELP:
			lg_usage(stdout);
			exit(0);
		default:
			lg_usage(stderr);
			return -1;
		}
	}
	if (o->port <= 0 || o->port > 65535 || o->players < 2 || o->players > 100000 ||
	    !(o->rate > 0 && o->rate <= 1000) || o->look_seconds < 0 || o->concurrency < 1 ||
	    o->timeout_ms < 1 || strlen(o->prefix) < 1 || strlen(o->prefix) > 12 ||
	    o->walk_depth > 6) {
		fprintf(stderr, "loadgen: bad arguments (need --port, 2 or more players, a rate, "
				"a prefix of 1-12 letters)\n");
		return -1;
	}
	for (const char *p = o->prefix; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
			fprintf(stderr, "loadgen: --prefix must be letters only\n");
			return -1;
		}
	return 0;
}

/* Only loopback: this tool must never load someone else's server. */
static int lg_resolve(struct lg *lg)
{
	struct addrinfo hints = {0}, *res = NULL;
	char port[16];
	int rc;

	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;
	snprintf(port, sizeof(port), "%d", lg->o.port);
	rc = getaddrinfo(lg->o.host, port, &hints, &res);
	if (rc != 0) {
		fprintf(stderr, "loadgen: %s: %s (give a numeric loopback address)\n", lg->o.host,
			gai_strerror(rc));
		return -1;
	}
	memcpy(&lg->addr, res->ai_addr, res->ai_addrlen);
	lg->addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	if (lg->addr.ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&lg->addr;

		if ((ntohl(sin->sin_addr.s_addr) >> 24) == 127)
			return 0;
	} else if (lg->addr.ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&lg->addr;

		if (IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			return 0;
	}
	fprintf(stderr, "loadgen: %s is not a loopback address\n", lg->o.host);
	return -1;
}

static const struct lg_transport *lg_transport_find(const char *name)
{
	static const struct lg_transport *const all[] = {
		&lg_telnet_transport,
		&lg_ws_transport,
		&lg_wstelnet_transport,
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct lg lg;
	struct lg_proc pr[4], br[4];
	int64_t t0, t_look;
	double login_s, look_s, settle_s;
	FILE *fp = stdout;
	int rc;

	/* The machine's own noise, measured alone before a benchmark (lg_machine.c). */
	if (argc == 3 && strcmp(argv[1], "--hiccup") == 0)
		return lg_hiccup(strtod(argv[2], NULL));
	if (argc == 3 && strcmp(argv[1], "--fanout-floor") == 0)
		return lg_fanout_floor((unsigned)strtoul(argv[2], NULL, 10));
	if (argc == 4 && strcmp(argv[1], "--relay") == 0)
		return lg_relay(atoi(argv[2]), argv[3]);
	memset(&lg, 0, sizeof(lg));
	lg.o = (struct lg_opts){
		.host = "127.0.0.1",
		.transport = "telnet",
		.players = 100,
		.rate = 1.0,
		.look_seconds = 10,
		.says = 100,
		.say_interval_ms = 50,
		.concurrency = 64,
		.timeout_ms = 5000,
		.login_timeout_s = 120,
		.prefix = "Bench",
		.password = "benchpass",
	};
	if (lg_parse(&lg.o, argc, argv) < 0)
		return 2;
	/* One descriptor a player, and a few of our own. A fresh machine's soft
	 * limit is often 1,024, the hard one far higher. */
	if (lg_raise_nofile((unsigned long)lg.o.players + 64) < 0)
		return 2;
	lg.tp = lg_transport_find(lg.o.transport);
	if (!lg.tp) {
		fprintf(stderr, "loadgen: no transport '%s'\n", lg.o.transport);
		return 2;
	}
	if (lg_resolve(&lg) < 0)
		return 2;
	lg.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (lg.epfd < 0) {
		perror("loadgen: epoll_create1");
		return 1;
	}
	lg.n = lg.o.players;
	lg.groups = 1;
	for (unsigned i = 0; i < lg.o.walk_depth; i++)
		lg.groups *= 5;
	lg.conns = xcalloc(lg.n, sizeof(*lg.conns));
	for (unsigned i = 0; i < lg.n; i++) {
		lg.conns[i].lg = &lg;
		lg.conns[i].idx = i;
		lg.conns[i].fd = -1;
	}

	pr[0] = lg_proc_read(lg.o.server_pid, false);
	br[0] = lg_proc_read(lg.o.bridge_pid, true);
	t0 = lg_now();
	lg_phase_login(&lg);
	login_s = (double)(lg_now() - t0) / (double)LG_NS;
	fprintf(stderr, "loadgen: %u of %u logged in after %.1f s\n", lg.playing, lg.n, login_s);
	/* Let the arrival messages drain before measuring memory and looks. */
	settle_s = lg_run_until_quiet(&lg, 0.5, 60.0);
	fprintf(stderr, "loadgen: quiet after another %.1f s\n", settle_s);
	pr[1] = lg_proc_read(lg.o.server_pid, false);
	br[1] = lg_proc_read(lg.o.bridge_pid, true);

	t_look = lg_now();
	lg_phase_looks(&lg);
	look_s = (double)(lg_now() - t_look) / (double)LG_NS;
	pr[2] = lg_proc_read(lg.o.server_pid, false);
	br[3] = lg_proc_read(lg.o.bridge_pid, true);
	lg_phase_fanout(&lg);
	pr[3] = lg_proc_read(lg.o.server_pid, false);
	br[2] = lg_proc_read(lg.o.bridge_pid, true);

	if (lg.o.json_path) {
		fp = fopen(lg.o.json_path, "w");
		if (!fp) {
			perror(lg.o.json_path);
			return 1;
		}
	}
	lg_report(&lg, fp, pr, br, login_s, settle_s, look_s, lg_self_cpu_s());
	if (fp != stdout)
		fclose(fp);
	rc = lg.playing == lg.n && lg.connect_failed + lg.login_failed + lg.disconnects == 0 ? 0
											     : 1;
	for (unsigned i = 0; i < lg.n; i++) {
		lg_close(&lg.conns[i]);
		if (lg.conns[i].tp)
			lg.tp->close(lg.conns[i].tp);
		buf_fini(&lg.conns[i].out);
	}
	for (unsigned i = 0; i < lg.n_errors; i++)
		free(lg.errors[i]);
	free(lg.conns);
	free(lg.login.v);
	free(lg.look.v);
	free(lg.look_fan.v);
	free(lg.fan.v);
	free(lg.fan_read.v);
	free(lg.lag.v);
	close(lg.epfd);
	return rc;
}
