/*
 * store_char.c: characters: create, load, and the one-transaction saves.
 *
 * Start at store_char_save_many(): store_char_save() is the n = 1 case.
 */
#include "store/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "store/internal.h"
#include "base/banned.h"

int store_char_create(struct store *st, int64_t account_id, const char *name, const char *json,
		      int64_t *char_id)
{
	int rc;

	if (!name)
		return -EINVAL;
	rc = store_begin(st);
	if (rc < 0)
		return rc;
	rc = store_char_insert(st, account_id, name, json, char_id);
	if (rc == 0)
		rc = store_commit(st);
	if (rc < 0)
		store_rollback(st);
	return rc;
}

/* A column's text, copied; NULL for SQL NULL. */
static char *store_char_column_dup(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return t ? xstrndup((const char *)t, (size_t)sqlite3_column_bytes(s, col)) : NULL;
}

int store_char_load(struct store *st, const char *name, struct store_char *out)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!name)
		return -EINVAL;
	s = store_stmt(st, SQ_CHAR_LOAD);
	if (!s)
		return st->stats.last_err;
	rc = store_bind_text(s, 1, name);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		out->account_id = sqlite3_column_int64(s, 1);
		out->name = store_char_column_dup(s, 2);
		out->level = sqlite3_column_int(s, 3);
		out->room = store_char_column_dup(s, 4);
		out->data = store_char_column_dup(s, 5);
		out->created = sqlite3_column_int64(s, 6);
		out->saved = sqlite3_column_int64(s, 7);
		out->played_s = sqlite3_column_int64(s, 8);
		if (!out->name)
			out->name = xstrdup(name);
		if (!out->data)
			out->data = xstrdup("{}");
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? -ENOENT : store_fail(st, rc, "load character");
	}
	store_release(s);
	return rc;
}

void store_char_fini(struct store_char *c)
{
	free(c->name);
	free(c->room);
	free(c->data);
	memset(c, 0, sizeof(*c));
}

/* Writes one character row; runs inside the caller's transaction. */
static int store_char_update(struct store *st, const struct store_char_save *c, int64_t now)
{
	sqlite3_stmt *s;
	int rc;

	if (!c->data || (c->id <= 0 && !c->name))
		return store_fail_msg(st, -EINVAL, "save character",
				      "no data, or neither id nor name");
	s = store_stmt(st, c->id > 0 ? SQ_CHAR_SAVE_ID : SQ_CHAR_SAVE_NAME);
	if (!s)
		return st->stats.last_err;
	rc = c->id > 0 ? sqlite3_bind_int64(s, 1, c->id) : store_bind_text(s, 1, c->name);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(s, 2, c->level);
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 3, c->room);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 4, c->played_s);
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 5, c->data);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 6, now);
	rc = store_exec(st, s, rc, "save character");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		rc = store_fail_msg(st, -ENOENT, "save character", "no such character");
	return rc;
}

int store_char_save_many(struct store *st, const struct store_char_save *c, size_t n,
			 size_t *failed_index)
{
	int64_t now = clock_wall_s();
	size_t i = n; /* the failing row, or n when the transaction itself failed */
	int rc = store_begin(st);

	for (size_t k = 0; rc == 0 && k < n; k++) {
		rc = store_char_update(st, &c[k], now);
		if (rc == 0 && c[k].nmemory && c[k].id <= 0)
			rc = store_fail_msg(st, -EINVAL, "save character",
					    "script memory needs the character's id");
		for (size_t m = 0; rc == 0 && m < c[k].nmemory; m++)
			rc = store_memory_put(st, c[k].id, c[k].memory[m].area, "memory",
					      c[k].memory[m].value);
		if (rc < 0)
			i = k;
	}
	if (rc == 0)
		rc = store_commit(st);
	if (rc < 0) {
		store_rollback(st);
		st->stats.saves_failed++;
		if (i < n)
			log_error(st->lg, "store: save of %zu character(s) rolled back at row %zu",
				  n, i);
		else
			log_error(st->lg, "store: save of %zu character(s) rolled back", n);
		if (failed_index)
			*failed_index = i;
		return rc;
	}
	st->stats.saves_ok++;
	st->stats.last_save = now;
	if (failed_index)
		*failed_index = n;
	return 0;
}

int store_char_save(struct store *st, const struct store_char_save *c)
{
	return store_char_save_many(st, c, 1, NULL);
}

/* See internal.h. */
int store_char_insert(struct store *st, int64_t account_id, const char *name, const char *json,
		      int64_t *id)
{
	sqlite3_stmt *s;
	bool taken;
	int rc = store_ask(st, SQ_CHAR_NAME_TAKEN, name, account_id, &taken);

	if (rc < 0)
		return rc;
	if (taken)
		return -EEXIST;
	s = store_stmt(st, SQ_CHAR_INSERT);
	if (!s)
		return st->stats.last_err;
	rc = sqlite3_bind_int64(s, 1, account_id);
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 2, name);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 3, clock_wall_s());
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 4, json ? json : "{}");
	rc = store_exec(st, s, rc, "create character");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}
