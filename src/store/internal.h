/*
 * internal.h: what the files of src/store/ share; no other folder includes it.
 *
 * store.c owns the connection, the cached statements (store_sql[] holds the
 * text of each enum store_stmt_id), errors and transactions. The public
 * calls are built on these in store_account.c, store_char.c and
 * store_script.c. The rules every caller follows:
 *   - a statement from store_stmt() is bound, stepped, then store_release()d
 *     (store_exec() does all three for statements that return no row);
 *   - every SQLite failure goes through store_fail() before anything else
 *     touches the connection, and its return value is passed up;
 *   - after store_begin() succeeds, every path ends in store_commit() or
 *     store_rollback().
 */
#ifndef RUIN_STORE_INTERNAL_H
#define RUIN_STORE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "base/log.h"
#include "store/store.h"

enum store_stmt_id {
	SQ_BEGIN,
	SQ_COMMIT,
	SQ_ROLLBACK,
	SQ_NAME_EXISTS,
	SQ_CHAR_NAME_TAKEN,
	SQ_ACC_INSERT,
	SQ_ACC_GET,
	SQ_ACC_LOGIN,
	SQ_ACC_SET_HASH,
	SQ_CHAR_INSERT,
	SQ_CHAR_LOAD,
	SQ_CHAR_SAVE_ID,
	SQ_CHAR_SAVE_NAME,
	SQ_MEM_GET,
	SQ_MEM_PUT,
	SQ_MEM_DEL,
	SQ_AREA_GET,
	SQ_AREA_PUT,
	SQ_AREA_DEL,
	SQ_AUDIT,
	SQ_COUNT
};

struct store {
	sqlite3 *db;
	struct log *lg;
	struct store_config cfg;
	sqlite3_stmt *stmt[SQ_COUNT]; /* prepared on first use, finalized at close */
	struct buf hash;	      /* scratch for a new password hash */
	struct buf errmsg;	      /* text of the last failure */
	struct store_stats stats;     /* last_error is filled in by store_stats_get() */
};

/*
 * The cached statement id, prepared on first use and ready to bind; NULL
 * if it cannot be prepared (the failure is recorded: return
 * st->stats.last_err).
 */
sqlite3_stmt *store_stmt(struct store *st, enum store_stmt_id id);
/* Releases a statement after use: its locks, its row and its bindings. */
void store_release(sqlite3_stmt *s);
/* Binds v (NULL binds SQL NULL) without copying: v must outlive the step. */
int store_bind_text(sqlite3_stmt *s, int i, const char *v);
/*
 * Steps s, whose parameters are bound (brc is the first binding result,
 * SQLITE_OK if all went well), expecting no row; releases it. 0 or the
 * recorded failure.
 */
int store_exec(struct store *st, sqlite3_stmt *s, int brc, const char *what);
/*
 * Answers a yes/no statement (SQ_NAME_EXISTS, SQ_CHAR_NAME_TAKEN) bound
 * with name and, if it takes one, arg. 0 with *yes set, or the failure.
 */
int store_ask(struct store *st, enum store_stmt_id id, const char *name, int64_t arg, bool *yes);

/* BEGIN IMMEDIATE. 0 or the recorded failure. */
int store_begin(struct store *st);
/* COMMIT; on failure rolls back, so no transaction stays open. */
int store_commit(struct store *st);
/* Rolls back if a transaction is open (SQLite ends some itself on I/O errors). */
void store_rollback(struct store *st);

/*
 * Records SQLite failure rc of what with SQLite's message: logged, counted,
 * kept for store_stats. Returns rc as a negative errno.
 */
int store_fail(struct store *st, int rc, const char *what);
/* The same for a failure of ours: err with msg. Returns err. */
int store_fail_msg(struct store *st, int err, const char *what, const char *msg);

/* store_char.c: inserts a character inside the caller's transaction. */
int store_char_insert(struct store *st, int64_t account_id, const char *name, const char *json,
		      int64_t *id);

#endif
