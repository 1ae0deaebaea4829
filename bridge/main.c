/*
 * main.c: ruin-bridge's entry point. Start reading here.
 *
 * Settings come from defaults, then the settings file (given with
 * --config), then the command line; then main() builds the one struct
 * bridge (bridge.c) and serves browsers until SIGTERM or SIGINT.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/log.h"
#include "bridge.h"
#include "settings.h"
#include "base/banned.h"

#define MAIN_VERSION "0.1.0"

static void main_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: ruin-bridge [options]\n"
		"Puts Forgotten Ruin in the browser: serves the web client and, for each\n"
		"browser, speaks telnet to ruin-server and JSON over a WebSocket to the page.\n"
		"\n"
		"  -c, --config FILE     settings file (\"name = value\" lines)\n"
		"  -p, --port N          port for browsers (default 4080; 0 picks a free one)\n"
		"  -b, --bind ADDR       listen address (default: every address)\n"
		"  -S, --server H:P      ruin-server's telnet address (default 127.0.0.1:4000)\n"
		"  -w, --www DIR         the web client's files (default bridge/www)\n"
		"  -l, --log-level L     error, warn, info or debug\n"
		"      --log-file FILE   log to FILE instead of stderr\n"
		"  -s, --set NAME=VALUE  any setting (see --help-config); repeatable\n"
		"      --help-config     print every setting with its default\n"
		"  -V, --version         print the version\n"
		"  -h, --help            this text\n"
		"\n"
		"Signals: TERM/INT tell every browser and stop; HUP reopens the log file.\n"
		"See docs/deploy.md.\n");
}

enum { OPT_HELP_CONFIG = 256, OPT_LOG_FILE };

static const struct option main_options[] = {
	{"config", required_argument, NULL, 'c'},
	{"port", required_argument, NULL, 'p'},
	{"bind", required_argument, NULL, 'b'},
	{"server", required_argument, NULL, 'S'},
	{"www", required_argument, NULL, 'w'},
	{"log-level", required_argument, NULL, 'l'},
	{"log-file", required_argument, NULL, OPT_LOG_FILE},
	{"set", required_argument, NULL, 's'},
	{"help-config", no_argument, NULL, OPT_HELP_CONFIG},
	{"version", no_argument, NULL, 'V'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

#define MAIN_SHORT "c:p:b:S:w:l:s:Vh"

/* Sets name=value from "NAME=VALUE" text (--set). */
static int main_set_pair(struct settings *cfg, const char *arg, struct buf *err)
{
	const char *eq = strchr(arg, '=');
	struct buf key;
	int rc;

	if (!eq) {
		buf_printf(err, "--set wants NAME=VALUE, not '%s'", arg);
		return -1;
	}
	buf_init(&key, 256);
	buf_append(&key, arg, (size_t)(eq - arg));
	rc = settings_set(cfg, buf_cstr(&key), eq + 1, err);
	buf_fini(&key);
	return rc;
}

/* --server HOST:PORT (the last colon splits, so [::1]:4000 and ::1:4000 work). */
static int main_set_server(struct settings *cfg, const char *arg, struct buf *err)
{
	const char *colon = strrchr(arg, ':');
	struct buf host;
	int rc;

	if (!colon || colon == arg) {
		buf_printf(err, "--server wants HOST:PORT, not '%s'", arg);
		return -1;
	}
	buf_init(&host, 256);
	if (arg[0] == '[' && colon[-1] == ']')
		buf_append(&host, arg + 1, (size_t)(colon - arg) - 2);
	else
		buf_append(&host, arg, (size_t)(colon - arg));
	rc = settings_set(cfg, "server_host", buf_cstr(&host), err);
	if (rc == 0)
		rc = settings_set(cfg, "server_port", colon + 1, err);
	buf_fini(&host);
	return rc;
}

static int main_apply(struct settings *cfg, int opt, const char *arg, struct buf *err)
{
	switch (opt) {
	case 'p':
		return settings_set(cfg, "port", arg, err);
	case 'b':
		return settings_set(cfg, "bind", arg, err);
	case 'S':
		return main_set_server(cfg, arg, err);
	case 'w':
		return settings_set(cfg, "www_dir", arg, err);
	case 'l':
		return settings_set(cfg, "log_level", arg, err);
	case OPT_LOG_FILE:
		return settings_set(cfg, "log_file", arg, err);
	case 's':
		return main_set_pair(cfg, arg, err);
	default:
		return 0;
	}
}

int main(int argc, char **argv)
{
	struct settings cfg;
	struct buf err;
	const char *config_path = NULL;
	struct bridge *br;
	struct log *lg;
	int opt, level, rc;

	/* First pass: find the settings file, so the command line can override it. */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, MAIN_SHORT, main_options, NULL)) != -1)
		if (opt == 'c')
			config_path = optarg;
	settings_init(&cfg);
	buf_init(&err, 65536);
	/* Until the bridge takes cfg, every way out frees it (rc: the exit status). */
	rc = 0;
	if (config_path && settings_load_file(&cfg, config_path, true, &err) < 0) {
		fprintf(stderr, "ruin-bridge: %s", buf_cstr(&err));
		rc = 2;
		goto out;
	}
	optind = 1;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, MAIN_SHORT, main_options, NULL)) != -1) {
		switch (opt) {
		case 'h':
			main_usage(stdout);
			goto out;
		case 'V':
			printf("ruin-bridge %s\n", MAIN_VERSION);
			goto out;
		case OPT_HELP_CONFIG:
			settings_describe(stdout);
			goto out;
		case 'c':
			break;
		case '?':
			main_usage(stderr);
			rc = 2;
			goto out;
		default:
			if (main_apply(&cfg, opt, optarg, &err) < 0) {
				fprintf(stderr, "ruin-bridge: %s\n", buf_cstr(&err));
				rc = 2;
				goto out;
			}
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ruin-bridge: unexpected argument '%s'\n", argv[optind]);
		rc = 2;
		goto out;
	}
	level = log_level_parse(cfg.log_level);
	if (level < 0) {
		fprintf(stderr, "ruin-bridge: log_level '%s' is not error, warn, info or debug\n",
			cfg.log_level);
		rc = 2;
		goto out;
	}
	lg = log_new(*cfg.log_file ? cfg.log_file : NULL, (enum log_level)level);
	if (!lg) {
		fprintf(stderr, "ruin-bridge: cannot open the log file %s\n", cfg.log_file);
		rc = 1;
		goto out;
	}
	if (sodium_init() < 0) {
		log_error(lg, "libsodium could not start");
		log_free(lg);
		rc = 1;
		goto out;
	}
	br = bridge_new(&cfg, lg, &err);
	if (!br) {
		log_error(lg, "%s", buf_cstr(&err));
		log_free(lg);
		rc = 1;
		goto out;
	}
	rc = bridge_run(br);
	bridge_free(br);
	buf_fini(&err);
	log_free(lg);
	return rc;
out:
	settings_fini(&cfg);
	buf_fini(&err);
	return rc;
}
