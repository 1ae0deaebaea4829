/*
 * store_script.c: small get/put calls for Lua scripting state: a character's
 * per-area memory (player_memory) and each area's saved state (area_state).
 */
#include "store/store.h"

#include <errno.h>

#include <sqlite3.h>

#include "base/clock.h"
#include "store/internal.h"
#include "base/banned.h"

/* Steps a bound single-row SELECT and copies its first column into out. */
static int store_script_get_text(struct store *st, sqlite3_stmt *s, int brc, struct buf *out,
				 int64_t *second, const char *what)
{
	int rc = brc == SQLITE_OK ? sqlite3_step(s) : brc;

	buf_clear(out);
	if (rc == SQLITE_ROW) {
		const void *p = sqlite3_column_blob(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 0);

		rc = n ? buf_append(out, p, n) : 0;
		if (second)
			*second = sqlite3_column_int64(s, 1);
	} else {
		rc = rc == SQLITE_DONE ? -ENOENT : store_fail(st, rc, what);
	}
	store_release(s);
	return rc;
}

int store_memory_get(struct store *st, int64_t char_id, const char *area, const char *key,
		     struct buf *out)
{
	sqlite3_stmt *s = store_stmt(st, SQ_MEM_GET);
	int rc;

	if (!s)
		return st->stats.last_err;
	rc = sqlite3_bind_int64(s, 1, char_id);
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 2, area);
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 3, key);
	return store_script_get_text(st, s, rc, out, NULL, "get memory");
}

int store_memory_put(struct store *st, int64_t char_id, const char *area, const char *key,
		     const char *value)
{
	sqlite3_stmt *s = store_stmt(st, value ? SQ_MEM_PUT : SQ_MEM_DEL);
	int rc;

	if (!s)
		return st->stats.last_err;
	rc = sqlite3_bind_int64(s, 1, char_id);
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 2, area);
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 3, key);
	if (rc == SQLITE_OK && value)
		rc = store_bind_text(s, 4, value);
	return store_exec(st, s, rc, "put memory");
}

int store_area_state_get(struct store *st, const char *area, struct buf *out, int64_t *saved)
{
	sqlite3_stmt *s = store_stmt(st, SQ_AREA_GET);

	if (!s)
		return st->stats.last_err;
	return store_script_get_text(st, s, store_bind_text(s, 1, area), out, saved,
				     "get area state");
}

int store_area_state_put(struct store *st, const char *area, const char *data)
{
	sqlite3_stmt *s = store_stmt(st, data ? SQ_AREA_PUT : SQ_AREA_DEL);
	int rc;

	if (!s)
		return st->stats.last_err;
	rc = store_bind_text(s, 1, area);
	if (rc == SQLITE_OK && data)
		rc = store_bind_text(s, 2, data);
	if (rc == SQLITE_OK && data)
		rc = sqlite3_bind_int64(s, 3, clock_wall_s());
	return store_exec(st, s, rc, "put area state");
}
