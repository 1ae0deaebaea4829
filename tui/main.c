/*
 * main.c: ruin-console, the admin console for a running ruin-server.
 * Start reading here.
 *
 * Two ways to run: the full-screen console (main_console(): one poll()
 * loop over the terminal, the admin socket and a signalfd, never blocking
 * on the server), or --once / --stat (main_stat(): one plain line per
 * snapshot, like vmstat, for scripts and logs). The socket protocol is
 * client.c, the data model.c, the keys ui_keys.c and ui.c, the drawing
 * screen.c.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/str.h"
#include "client.h"
#include "model.h"
#include "screen.h"
#include "ui.h"
#include "base/banned.h"

#define CONSOLE_VERSION "0.1.0"
/* --once gives up after this long without a snapshot. */
#define MAIN_ONCE_TIMEOUT_MS 5000
/* --stat repeats its header every this many lines, as vmstat does. */
#define MAIN_STAT_HEADER_EVERY 20

struct main_opts {
	const char *socket;
	bool readonly;
	bool no_color;
	bool once, stat;
	int interval;
	bool header;
};

static void main_usage(FILE *fp)
{
	fprintf(fp, "Usage: ruin-console [options]\n"
		    "The admin console of a running ruin-server: connections, pulse "
		    "times and logs,\n"
		    "live, with actions (kick, broadcast, reload, shutdown, reboot, "
		    "wizlock).\n"
		    "\n"
		    "  -s, --socket PATH    the server's admin socket (default: "
		    "$RUIN_ADMIN_SOCKET,\n"
		    "                       else var/admin.sock)\n"
		    "  -r, --readonly       watch only: every action is refused\n"
		    "      --no-color       no colors (also when NO_COLOR is set)\n"
		    "  -1, --once           print one stats line and exit (1 if the "
		    "server is down)\n"
		    "      --stat [SECONDS] print a stats line every SECONDS "
		    "(default 1), like vmstat\n"
		    "  -i, --interval N     seconds between snapshots (default 1)\n"
		    "      --no-header      --once/--stat without the header line\n"
		    "  -V, --version        print the version\n"
		    "  -h, --help           this text\n"
		    "\n"
		    "In the console, ? lists every key. See docs/admin.md \"The "
		    "admin console\".\n");
}

enum { OPT_NO_COLOR = 256, OPT_STAT, OPT_NO_HEADER };

static const struct option main_options[] = {
	{"socket", required_argument, NULL, 's'},
	{"readonly", no_argument, NULL, 'r'},
	{"no-color", no_argument, NULL, OPT_NO_COLOR},
	{"once", no_argument, NULL, '1'},
	{"stat", optional_argument, NULL, OPT_STAT},
	{"interval", required_argument, NULL, 'i'},
	{"no-header", no_argument, NULL, OPT_NO_HEADER},
	{"version", no_argument, NULL, 'V'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* SIGINT, SIGTERM and SIGHUP arrive on a descriptor instead of interrupting
 * anything. */
static int main_signals(void)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/*
 * True if a signal arrived; takes them all off the descriptor, so none is
 * left pending (blocked) while the process exits.
 */
static bool main_signalled(int sigfd)
{
	struct signalfd_siginfo si;
	bool any = false;

	while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		any = true;
	return any;
}

/*
 * A terminal that goes away sends SIGHUP more than once. Those that come
 * after the first are ignored rather than left pending through the exit:
 * Linux keeps even an ignored signal pending while it is blocked, so they
 * are unblocked too.
 */
static void main_signals_off(void)
{
	sigset_t set;

	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* ---- --once and --stat -------------------------------------------------------------- */

struct main_stat {
	const struct main_opts *o;
	int lines; /* stats lines printed */
	bool down; /* said "disconnected" for this outage */
	bool done; /* --once: printed its line */
};

static void main_stat_state(void *ud, enum client_state st, const char *why)
{
	struct main_stat *ms = ud;

	if (st == CLIENT_READY) {
		if (ms->down && !ms->o->once)
			printf("# connected\n");
		ms->down = false;
	} else if (st == CLIENT_OFFLINE && !ms->down && !ms->o->once) {
		printf("# disconnected: %s; reconnecting\n", why);
		ms->down = true;
	}
}

static void main_stat_stats(void *ud, struct snap *s)
{
	struct main_stat *ms = ud;
	struct buf line;

	buf_init(&line, 0);
	if (ms->o->header && ms->lines % MAIN_STAT_HEADER_EVERY == 0) {
		model_stat_header(&line);
		printf("%s\n", buf_cstr(&line));
		buf_clear(&line);
	}
	model_stat_line(s, &line);
	printf("%s\n", buf_cstr(&line));
	buf_fini(&line);
	ms->lines++;
	if (ms->o->once)
		ms->done = true;
}

static int main_stat(const struct main_opts *o, int sigfd)
{
	struct main_stat ms = {.o = o};
	struct client_events ev = {.state = main_stat_state, .stats = main_stat_stats};
	struct client_config cfg = {
		.path = o->socket,
		.name = "ruin-console " CONSOLE_VERSION " (stat)",
		.readonly = true,
		.stats = true,
		.interval = o->interval,
	};
	struct client *c = client_new(&cfg, &ev, &ms);
	int64_t start = clock_mono_ms();
	int rc = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (!ms.done) {
		int64_t now = clock_mono_ms();
		int timeout = client_tick(c, now);
		struct pollfd p[2] = {{.fd = sigfd, .events = POLLIN},
				      {.fd = client_fd(c), .events = client_poll_events(c)}};

		if (o->once && now - start > MAIN_ONCE_TIMEOUT_MS) {
			fprintf(stderr, "ruin-console: no stats from %s: %s\n", o->socket,
				*client_error(c) ? client_error(c) : "timed out");
			rc = 1;
			break;
		}
		if (timeout > 250)
			timeout = 250;
		if (poll(p, 2, timeout) < 0 && errno != EINTR)
			break;
		if (p[0].revents && main_signalled(sigfd))
			break;
		if (p[1].fd >= 0 && p[1].revents)
			client_io(c, p[1].revents);
	}
	client_free(c);
	return rc;
}

/* ---- the console -------------------------------------------------------------------- */

static int main_console(const struct main_opts *o, int sigfd)
{
	struct ui u;
	struct screen scr;
	struct client_config cfg = {
		.path = o->socket,
		.name = "ruin-console " CONSOLE_VERSION,
		.readonly = o->readonly,
		.stats = true,
		.log = true,
		.conns = true,
		.interval = o->interval,
	};
	int64_t last_draw = 0;

	if (screen_start(&scr, o->no_color) < 0) {
		fprintf(stderr, "ruin-console: needs a terminal (try --once or --stat)\n");
		return 2;
	}
	ui_init(&u, o->socket, o->readonly, o->interval);
	u.client = client_new(&cfg, ui_client_events(), &u);
	while (!u.quit) {
		int64_t now = clock_mono_ms();
		int timeout = client_tick(u.client, now);
		struct pollfd p[3] = {
			{.fd = STDIN_FILENO, .events = POLLIN},
			{.fd = sigfd, .events = POLLIN},
			{.fd = client_fd(u.client), .events = client_poll_events(u.client)},
		};
		int key;

		ui_tick(&u, now);
		if (u.dirty || now - last_draw >= 1000) {
			struct screen_view v;

			ui_view(&u, &v, (int64_t)time(NULL));
			screen_draw(&scr, &v);
			last_draw = now;
		}
		if (timeout > 250)
			timeout = 250;
		if (poll(p, 3, timeout) < 0 && errno != EINTR)
			break;
		if (p[1].revents && main_signalled(sigfd))
			break;
		if (p[2].fd >= 0 && p[2].revents)
			client_io(u.client, p[2].revents);
		if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break;
		while ((key = screen_key(&scr)) != SK_NONE && !u.quit)
			ui_key(&u, key);
	}
	screen_stop(&scr);
	client_free(u.client);
	ui_fini(&u);
	return 0;
}

int main(int argc, char **argv)
{
	struct main_opts o = {.interval = 1, .header = true};
	const char *env = getenv("RUIN_ADMIN_SOCKET");
	const char *no_color = getenv("NO_COLOR");
	int opt, sigfd, rc;
	long v;

	setlocale(LC_ALL, "");
	o.socket = env && *env ? env : "var/admin.sock";
	o.no_color = no_color && *no_color;
	while ((opt = getopt_long(argc, argv, "s:r1i:Vh", main_options, NULL)) != -1) {
		switch (opt) {
		case 's':
			o.socket = optarg;
			break;
		case 'r':
			o.readonly = true;
			break;
		case OPT_NO_COLOR:
			o.no_color = true;
			break;
		case '1':
			o.once = true;
			break;
		case OPT_STAT:
			o.stat = true;
			if (!optarg && optind < argc &&
			    str_to_long(argv[optind], 1, 3600, &v) == 0) {
				o.interval = (int)v;
				optind++;
			} else if (optarg) {
				if (str_to_long(optarg, 1, 3600, &v) < 0) {
					fprintf(stderr,
						"ruin-console: --stat wants seconds, 1 to 3600\n");
					return 2;
				}
				o.interval = (int)v;
			}
			break;
		case 'i':
			if (str_to_long(optarg, 1, 3600, &v) < 0) {
				fprintf(stderr,
					"ruin-console: --interval wants seconds, 1 to 3600\n");
				return 2;
			}
			o.interval = (int)v;
			break;
		case OPT_NO_HEADER:
			o.header = false;
			break;
		case 'V':
			printf("ruin-console %s (admin protocol %d)\n", CONSOLE_VERSION,
			       CLIENT_PROTO_VERSION);
			return 0;
		case 'h':
			main_usage(stdout);
			return 0;
		default:
			main_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ruin-console: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	sigfd = main_signals();
	if (sigfd < 0) {
		fprintf(stderr, "ruin-console: cannot watch signals: %s\n", strerror(errno));
		return 2;
	}
	rc = o.once || o.stat ? main_stat(&o, sigfd) : main_console(&o, sigfd);
	close(sigfd);
	main_signals_off();
	return rc;
}
