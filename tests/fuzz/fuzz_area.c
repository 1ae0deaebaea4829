/*
 * fuzz_area.c: the Lua area loader (src/script/), with area files from the
 * fuzzer run in the sandbox.
 *
 * Each input is written as <tmp>/areas/fz/area.lua and loaded into a
 * throwaway world the way the server loads its areas (scripts_new,
 * scripts_load_all), under small limits so that every run is quick: a
 * 2 MiB memory cap, 2 million VM instructions and 300 ms for the load. A
 * clean load is then reset (spawns, on_reset triggers) and pulsed once.
 * Whatever the file does, the loader must report it as a problem, never
 * crash, hang or leak. The Lua side of the builder API comes from lua/
 * (run from the repository root) or $RUIN_LUA_DIR.
 */
#include "fuzz.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "game/world.h"
#include "script/script.h"
#include "base/banned.h"

static void fuzz_area_send(void *ud, uint32_t session, const char *markup, size_t n)
{
	(void)ud;
	(void)session;
	(void)markup;
	(void)n;
}

/* Writes the input as dir/areas/fz/area.lua; 0 or -1. */
static int fuzz_area_write(const char *dir, const uint8_t *data, size_t size)
{
	char path[512];
	int fd;
	ssize_t w;

	snprintf(path, sizeof(path), "%s/areas", dir);
	if (mkdir(path, 0700) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/areas/fz", dir);
	if (mkdir(path, 0700) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/areas/fz/area.lua", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	w = size ? write(fd, data, size) : 0;
	close(fd);
	return w == (ssize_t)size ? 0 : -1;
}

static void fuzz_area_clean(const char *dir)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/areas/fz/area.lua", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/areas/fz", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/areas", dir);
	rmdir(path);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct world_ops ops = {.send = fuzz_area_send};
	const struct world_config wcfg = {.mud_name = "fuzz"};
	const char *lua_dir = getenv("RUIN_LUA_DIR");
	char dir[] = "/tmp/ruin-fuzz-area-XXXXXX";
	char areas[600];
	struct script_config cfg;
	struct log *lg;
	struct world *w;
	struct scripts *s;
	struct buf report;
	int problems;

	if (size > 64 * 1024)
		return 0; /* big files only slow the fuzzer down */
	if (!mkdtemp(dir))
		abort();
	if (fuzz_area_write(dir, data, size) < 0) {
		fuzz_area_clean(dir);
		abort();
	}
	snprintf(areas, sizeof(areas), "%s/areas", dir);
	memset(&cfg, 0, sizeof(cfg));
	cfg.areas_dir = areas;
	cfg.lua_dir = lua_dir && *lua_dir ? lua_dir : "lua";
	cfg.mem_limit = (size_t)2 << 20;
	cfg.instr_budget = 200000;
	cfg.load_instr_budget = 2000000;
	cfg.time_limit_ms = 100;
	cfg.load_time_limit_ms = 300;

	lg = log_new("/dev/null", LOG_ERROR); /* script errors are expected here */
	w = world_new(lg, &ops, &wcfg);
	s = scripts_new(w, lg, &cfg);
	buf_init(&report, 1 << 20);
	problems = scripts_load_all(s, &report);
	if (problems < 0 || (problems > 0 && report.len == 0))
		abort(); /* a problem must be reported in words */
	if (problems == 0) {
		world_reset_all(w);
		scripts_pulse(s);
	}
	buf_fini(&report);
	scripts_free(s);
	world_free(w);
	log_free(lg);
	fuzz_area_clean(dir);
	return 0;
}
