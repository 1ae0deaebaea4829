/*
 * main.c: ruin-server's entry point. Start reading here.
 *
 * Settings come from defaults, then the config file (ruin.conf, or the file
 * given with --config), then the command line; then main() builds the one
 * struct server (server.c) and runs it until SIGTERM or SIGINT.
 * `ruin-server --check areas/` validates the world offline and exits.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "config.h"
#include "script/script.h"
#include "server.h"
#include "base/banned.h"

#define RUIN_VERSION "0.1.0"

static void main_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: ruin-server [options]\n"
		"Forgotten Ruin, a MUD server. Players connect with telnet or a MUD client.\n"
		"\n"
		"  -c, --config FILE     settings file (default: ruin.conf if it exists)\n"
		"  -p, --port N          telnet port (default 4000; 0 picks a free one)\n"
		"  -b, --bind ADDR       listen address (default 0.0.0.0)\n"
		"  -d, --database FILE   SQLite database (default var/ruin.db)\n"
		"  -a, --areas DIR       areas folder (default areas)\n"
		"  -l, --log-level L     error, warn, info or debug\n"
		"  -s, --set NAME=VALUE  any setting (see --help-config); repeatable\n"
		"      --check [DIR]     check the areas in DIR (default: areas) and exit:\n"
		"                        0 if they load cleanly, 1 with every problem listed\n"
		"      --help-config     print every setting with its default, as a config file\n"
		"  -V, --version         print the version\n"
		"  -h, --help            this text\n"
		"\n"
		"Signals: TERM/INT save everyone and stop; HUP reopens the log file and\n"
		"reloads the settings that can change while running. See docs/admin.md.\n");
}

enum { OPT_CHECK = 256, OPT_HELP_CONFIG, OPT_LUA, OPT_LOG_FILE };

static const struct option main_options[] = {
	{"config", required_argument, NULL, 'c'},
	{"port", required_argument, NULL, 'p'},
	{"bind", required_argument, NULL, 'b'},
	{"database", required_argument, NULL, 'd'},
	{"areas", required_argument, NULL, 'a'},
	{"lua", required_argument, NULL, OPT_LUA},
	{"log-level", required_argument, NULL, 'l'},
	{"log-file", required_argument, NULL, OPT_LOG_FILE},
	{"set", required_argument, NULL, 's'},
	{"check", optional_argument, NULL, OPT_CHECK},
	{"help-config", no_argument, NULL, OPT_HELP_CONFIG},
	{"version", no_argument, NULL, 'V'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* Applies one command-line setting; returns -1 (message in err) if bad. */
static int main_apply(struct config *cfg, int opt, const char *arg, struct buf *err)
{
	const char *name = NULL;

	switch (opt) {
	case 'p':
		name = "port";
		break;
	case 'b':
		name = "bind";
		break;
	case 'd':
		name = "database";
		break;
	case 'a':
		name = "areas_dir";
		break;
	case OPT_LUA:
		name = "lua_dir";
		break;
	case 'l':
		name = "log_level";
		break;
	case OPT_LOG_FILE:
		name = "log_file";
		break;
	case 's': {
		const char *eq = strchr(arg, '=');
		struct buf key;
		int rc;

		if (!eq) {
			buf_printf(err, "--set wants NAME=VALUE, not '%s'", arg);
			return -1;
		}
		buf_init(&key, 256);
		buf_append(&key, arg, (size_t)(eq - arg));
		rc = config_set(cfg, buf_cstr(&key), eq + 1, err);
		buf_fini(&key);
		return rc;
	}
	default:
		return 0;
	}
	return config_set(cfg, name, arg, err);
}

static int main_check(const struct config *cfg, const char *dir)
{
	struct buf report;
	int problems;

	buf_init(&report, (size_t)16 << 20);
	problems = scripts_check(dir ? dir : cfg->areas_dir, cfg->lua_dir, &report);
	fputs(buf_cstr(&report), problems ? stderr : stdout);
	buf_fini(&report);
	return problems ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct buf err;
	const char *config_path = NULL, *check_dir = NULL;
	bool check = false, config_required = false;
	struct server *srv;
	struct log *lg;
	int opt, level, rc;

	/* First pass: find the config file, so the command line can override it. */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "c:p:b:d:a:l:s:Vh", main_options, NULL)) != -1) {
		if (opt == 'c') {
			config_path = optarg;
			config_required = true;
		}
	}
	config_init(&cfg);
	buf_init(&err, 65536);
	if (!config_path)
		config_path = "ruin.conf";
	if (config_load_file(&cfg, config_path, config_required, &err) < 0) {
		fprintf(stderr, "ruin-server: %s", buf_cstr(&err));
		return 2;
	}
	optind = 1;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, "c:p:b:d:a:l:s:Vh", main_options, NULL)) != -1) {
		switch (opt) {
		case 'h':
			main_usage(stdout);
			return 0;
		case 'V':
			printf("ruin-server %s\n", RUIN_VERSION);
			return 0;
		case OPT_HELP_CONFIG:
			config_describe(stdout);
			return 0;
		case OPT_CHECK:
			check = true;
			check_dir = optarg;
			if (!check_dir && optind < argc && argv[optind][0] != '-')
				check_dir = argv[optind++];
			break;
		case '?':
			main_usage(stderr);
			return 2;
		default:
			if (main_apply(&cfg, opt, optarg, &err) < 0) {
				fprintf(stderr, "ruin-server: %s\n", buf_cstr(&err));
				return 2;
			}
		}
	}
	buf_fini(&err);
	if (check) {
		rc = main_check(&cfg, check_dir);
		config_fini(&cfg);
		return rc;
	}
	level = log_level_parse(cfg.log_level);
	if (level < 0) {
		fprintf(stderr, "ruin-server: log_level '%s' is not error, warn, info or debug\n",
			cfg.log_level);
		return 2;
	}
	lg = log_new(*cfg.log_file ? cfg.log_file : NULL, (enum log_level)level);
	if (!lg) {
		fprintf(stderr, "ruin-server: cannot open log file %s\n", cfg.log_file);
		return 2;
	}
	log_info(lg, "ruin-server %s starting", RUIN_VERSION);
	srv = server_new(&cfg, access(config_path, R_OK) == 0 ? config_path : NULL, lg);
	config_fini(&cfg);
	if (!srv) {
		log_error(lg, "startup failed");
		log_free(lg);
		return 1;
	}
	rc = server_run(srv);
	server_free(srv);
	log_info(lg, "stopped");
	log_free(lg);
	return rc;
}
