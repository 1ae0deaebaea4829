/*
 * main.c: ruin-server's entry point. Start reading here.
 *
 * Settings come from defaults, then the config file (ruin.conf, or the file
 * given with --config), then the command line; then main() builds the one
 * struct server (server.c) and runs it until SIGTERM or SIGINT.
 * `ruin-server --check areas/` validates the world offline and exits;
 * `ruin-server --test-areas areas/` runs the areas' headless tests.
 */
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <errno.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/log.h"
#include "store/store.h"
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
		"      --test-areas [DIR] run every DIR/<area>/tests/NAME.lua (default: areas)\n"
		"                        on a virtual clock and exit: 0 if all pass\n"
		"      --help-config     print every setting with its default, as a config file\n"
		"      --grant NAME=ROLE give a character a role (builder or admin) and exit\n"
		"      --revoke NAME=ROLE take a role away and exit\n"
		"  -V, --version         print the version\n"
		"  -h, --help            this text\n"
		"\n"
		"Signals: TERM/INT save everyone and stop; HUP reopens the log file and\n"
		"reloads the settings that can change while running. See docs/admin.md.\n");
}

enum {
	OPT_CHECK = 256,
	OPT_HELP_CONFIG,
	OPT_LUA,
	OPT_LOG_FILE,
	OPT_GRANT,
	OPT_REVOKE,
	OPT_HOT_REBOOT,
	OPT_TEST_AREAS,
};

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
	{"test-areas", optional_argument, NULL, OPT_TEST_AREAS},
	{"help-config", no_argument, NULL, OPT_HELP_CONFIG},
	{"grant", required_argument, NULL, OPT_GRANT},
	{"revoke", required_argument, NULL, OPT_REVOKE},
	{"hot-reboot", required_argument, NULL, OPT_HOT_REBOOT},
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

/* --test-areas [DIR]: the areas' headless tests; failures on stderr. */
static int main_test_areas(const struct config *cfg, const char *dir)
{
	struct buf report;
	int failed;

	buf_init(&report, (size_t)16 << 20);
	failed = scripts_test_areas(dir ? dir : cfg->areas_dir, cfg->lua_dir, &report);
	fputs(buf_cstr(&report), failed ? stderr : stdout);
	buf_fini(&report);
	return failed ? 1 : 0;
}

/*
 * --grant NAME=ROLE / --revoke NAME=ROLE: edits the "roles" list in a saved
 * character's record. Run it while the character is offline: a character
 * in the game is saved from memory and would write its old roles back.
 */
static int main_role(const struct config *cfg, const char *arg, bool grant)
{
	const char *eq = strchr(arg, '=');
	struct store_char rec, *r = &rec;
	struct store_char_save save;
	struct store *st;
	struct log *lg;
	struct buf err, name;
	json_t *data = NULL, *roles, *fresh;
	const char *role;
	int rc = 1;

	if (!eq || (strcmp(eq + 1, "builder") != 0 && strcmp(eq + 1, "admin") != 0)) {
		fprintf(stderr, "ruin-server: --%s wants NAME=builder or NAME=admin\n",
			grant ? "grant" : "revoke");
		return 2;
	}
	role = eq + 1;
	buf_init(&err, 4096);
	buf_init(&name, 256);
	buf_append(&name, arg, (size_t)(eq - arg));
	lg = log_new(NULL, LOG_WARN);
	st = store_open(cfg->database, NULL, lg, &err);
	if (!st) {
		fprintf(stderr, "ruin-server: %s: %s\n", cfg->database, buf_cstr(&err));
		goto out;
	}
	if (store_char_load(st, buf_cstr(&name), &rec) < 0) {
		fprintf(stderr, "ruin-server: no character named %s in %s\n", buf_cstr(&name),
			cfg->database);
		r = NULL;
		goto out;
	}
	data = json_loads(rec.data ? rec.data : "{}", 0, NULL);
	if (!json_is_object(data)) {
		fprintf(stderr, "ruin-server: %s's record is not a JSON object\n", rec.name);
		goto out;
	}
	roles = json_object_get(data, "roles");
	fresh = json_array();
	for (size_t i = 0; json_is_array(roles) && i < json_array_size(roles); i++) {
		const char *have = json_string_value(json_array_get(roles, i));

		if (have && strcmp(have, role) != 0)
			json_array_append_new(fresh, json_string(have));
	}
	if (grant)
		json_array_append_new(fresh, json_string(role));
	json_object_set_new(data, "roles", fresh);
	memset(&save, 0, sizeof(save));
	save.id = rec.id;
	save.level = rec.level;
	save.room = rec.room;
	save.played_s = rec.played_s;
	save.data = json_dumps(data, JSON_COMPACT);
	if (store_char_save(st, &save) == 0) {
		printf("%s %s %s.\n", rec.name,
		       grant ? "now has the role" : "no longer has the role", role);
		store_audit(st, "ruin-server", grant ? "grant" : "revoke", arg);
		rc = 0;
	}
	free((char *)save.data);
out:
	json_decref(data);
	if (r)
		store_char_fini(&rec);
	store_close(st);
	log_free(lg);
	buf_fini(&name);
	buf_fini(&err);
	return rc;
}

/*
 * Raises the soft open-file limit toward the hard one (at most 65536, what
 * the epoll backend can watch), so one server can hold thousands of sessions
 * where the system allows it. Best effort: a failure only means fewer.
 */
static void main_raise_nofile(struct log *lg)
{
	struct rlimit rl;
	rlim_t want = 65536;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
		want = rl.rlim_max;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
		log_info(lg, "open-file limit raised to %llu", (unsigned long long)want);
	else
		log_warn(lg, "cannot raise the open-file limit: %s", strerror(errno));
}

/*
 * glibc hands freed memory back to the kernel (heap top trimmed past 128
 * KiB, big blocks unmapped) and takes it again on the next allocation, one
 * page fault per 4 KiB: on a virtual machine about 20 us each. A script
 * that fills its area's memory cap, drops it and fills it again (a memory
 * bomb in a timer) then spent 80 ms a run in the kernel, beyond what its
 * instruction budget can see. The server's memory is bounded (areas' caps,
 * sessions' buffers), so it keeps what it took instead: allocations below
 * 32 MiB come from the heap and up to 64 MiB of free heap stays mapped.
 */
static void main_tune_malloc(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct buf err;
	const char *config_path = NULL, *check_dir = NULL, *role_arg = NULL;
	bool role_grant = false;
	const char *hot_reboot_state = NULL;
	struct server_args sargs;
	bool check = false, test_areas = false, config_required = false;
	struct server *srv;
	struct log *lg;
	int opt, level, rc;

	main_tune_malloc();
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
		rc = 2;
		goto out;
	}
	optind = 1;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, "c:p:b:d:a:l:s:Vh", main_options, NULL)) != -1) {
		switch (opt) {
		case 'h':
			main_usage(stdout);
			rc = 0;
			goto out;
		case 'V':
			printf("ruin-server %s\n", RUIN_VERSION);
			rc = 0;
			goto out;
		case OPT_HELP_CONFIG:
			config_describe(stdout);
			rc = 0;
			goto out;
		case OPT_CHECK:
			check = true;
			check_dir = optarg;
			if (!check_dir && optind < argc && argv[optind][0] != '-')
				check_dir = argv[optind++];
			break;
		case OPT_HOT_REBOOT:
			hot_reboot_state = optarg;
			break;
		case OPT_TEST_AREAS:
			test_areas = true;
			check_dir = optarg;
			if (!check_dir && optind < argc && argv[optind][0] != '-')
				check_dir = argv[optind++];
			break;
		case OPT_GRANT:
		case OPT_REVOKE:
			role_arg = optarg;
			role_grant = opt == OPT_GRANT;
			break;
		case '?':
			main_usage(stderr);
			rc = 2;
			goto out;
		default:
			if (main_apply(&cfg, opt, optarg, &err) < 0) {
				fprintf(stderr, "ruin-server: %s\n", buf_cstr(&err));
				rc = 2;
				goto out;
			}
		}
	}
	/* getopt moved "--check DIR"'s DIR behind the options (the first pass permuted argv). */
	if ((check || test_areas) && !check_dir && optind < argc)
		check_dir = argv[optind++];
	if (optind < argc) {
		/* A typo ("ruin-server -p 4000 epoll") must not start a game quietly. */
		fprintf(stderr, "ruin-server: unexpected argument '%s'\n", argv[optind]);
		main_usage(stderr);
		rc = 2;
		goto out;
	}
	if (role_arg) {
		rc = main_role(&cfg, role_arg, role_grant);
		goto out;
	}
	if (check) {
		rc = main_check(&cfg, check_dir);
		goto out;
	}
	if (test_areas) {
		rc = main_test_areas(&cfg, check_dir);
		goto out;
	}
	level = log_level_parse(cfg.log_level);
	if (level < 0) {
		fprintf(stderr, "ruin-server: log_level '%s' is not error, warn, info or debug\n",
			cfg.log_level);
		rc = 2;
		goto out;
	}
	lg = log_new(*cfg.log_file ? cfg.log_file : NULL, (enum log_level)level);
	if (!lg) {
		fprintf(stderr, "ruin-server: cannot open log file %s\n", cfg.log_file);
		rc = 2;
		goto out;
	}
	buf_fini(&err);
	log_info(lg, "ruin-server %s starting", RUIN_VERSION);
	main_raise_nofile(lg);
	sargs.config_path = access(config_path, R_OK) == 0 ? config_path : NULL;
	sargs.argc = argc;
	sargs.argv = argv;
	sargs.hot_reboot_state = hot_reboot_state;
	if (hot_reboot_state)
		log_info(lg, "hot reboot: taking over from the previous process");
	srv = server_new(&cfg, &sargs, lg);
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
out:
	/* Every way out before the server starts: nothing of cfg's is left behind. */
	buf_fini(&err);
	config_fini(&cfg);
	return rc;
}
