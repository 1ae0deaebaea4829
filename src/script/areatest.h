/*
 * areatest.h: what areatest.c (the runner and the test API) and
 * areatest_memory.c (ch:memory() kept in step with the areas) share.
 * Private to those two files.
 */
#ifndef RUIN_SCRIPT_AREATEST_H
#define RUIN_SCRIPT_AREATEST_H

#include <stdint.h>

#include <lua.h>

#include "base/buf.h"
#include "base/map.h"
#include "script/internal.h"

#define AT_SESSIONS 512

/* One test file's world. */
struct at_run {
	struct log *log;
	struct world *w;
	struct scripts *s;
	struct script_area tsa; /* the test state's owner: the tested area's id, the test vm */
	struct buf text[AT_SESSIONS];
	size_t read[AT_SESSIONS];
	uint32_t next_session;
	struct map store; /* "state:<area>" / "mem:<id>:<area>" -> JSON (owned) */
	struct buf failures;
	int failed;
	const char *file;
};

/* The run a test API function belongs to (its first upvalue). */
struct at_run *at_run_of(lua_State *L);
/* Records a failure at the test file's line that called level. */
void at_fail(lua_State *L, struct at_run *r, int level, const char *msg);
/* The in-memory store's ch:memory() of player id in area (script_config.memory_load). */
int at_memory_load(void *ud, int64_t id, const char *area, struct buf *out);

/* areatest_memory.c: after a world step, the areas' memory into the test's tables. */
void at_sync_in(lua_State *L, struct at_run *r);
/* Before a world step, the test's changes out to the areas. */
void at_sync_out(lua_State *L, struct at_run *r);
/* ch:memory([area]) in a test. */
int at_memory(lua_State *L);

#endif
