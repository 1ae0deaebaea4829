/*
 * store.c: the connection, the schema and the helpers the rest of store/
 * builds on (see internal.h).
 *
 * Start reading at store_open(): it opens the file, checks it, and brings
 * the schema up to date through the migration table below. Every query is
 * one of the cached statements in store_sql[], fetched by store_stmt() and
 * always reset after use, so no read or write transaction outlives the call
 * that started it. Failures go through store_fail(), which maps SQLite's
 * code to an errno, logs SQLite's message and counts it; writes that touch
 * more than one row run between store_begin() and store_commit(), and every
 * failure path after store_begin() passes through store_rollback().
 * The public calls live in store_account.c, store_char.c and store_script.c.
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

/* ---- schema ---------------------------------------------------------------- */

/*
 * Migration table: step i brings a database from user_version i to i + 1,
 * and runs in one transaction that also sets the new user_version. Steps
 * are never edited once shipped: a change to the schema is a new step.
 */
static const char *const store_migrations[] = {
	/* 1: accounts and characters. */
	"CREATE TABLE accounts("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	" pwhash TEXT NOT NULL,"
	" created INTEGER NOT NULL,"
	" last_login INTEGER NOT NULL DEFAULT 0,"
	" last_host TEXT,"
	" flags INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE characters("
	" id INTEGER PRIMARY KEY,"
	" account_id INTEGER NOT NULL REFERENCES accounts(id),"
	" name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	" level INTEGER NOT NULL DEFAULT 1,"
	" room TEXT,"
	" created INTEGER NOT NULL,"
	" saved INTEGER NOT NULL DEFAULT 0,"
	" played_s INTEGER NOT NULL DEFAULT 0,"
	" data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)));"
	"CREATE INDEX characters_account ON characters(account_id);"
	"CREATE INDEX characters_level ON characters(level);"
	"PRAGMA user_version = 1;",
	/* 2: state for Lua scripts, and the audit trail. */
	"CREATE TABLE player_memory("
	" character_id INTEGER NOT NULL REFERENCES characters(id) ON DELETE CASCADE,"
	" area TEXT NOT NULL,"
	" key TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" PRIMARY KEY(character_id, area, key)) WITHOUT ROWID;"
	"CREATE TABLE area_state("
	" area TEXT PRIMARY KEY,"
	" data TEXT NOT NULL,"
	" saved INTEGER NOT NULL);"
	"CREATE TABLE audit("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" actor TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" detail TEXT);"
	"CREATE INDEX audit_at ON audit(at);"
	"PRAGMA user_version = 2;",
};

#define STORE_SCHEMA_VERSION ((int)(sizeof(store_migrations) / sizeof(store_migrations[0])))

/* ---- cached statements ------------------------------------------------------ */

static const char *const store_sql[SQ_COUNT] = {
	/* IMMEDIATE takes the write lock now, so a write never fails half-way to upgrade it. */
	[SQ_BEGIN] = "BEGIN IMMEDIATE",
	[SQ_COMMIT] = "COMMIT",
	[SQ_ROLLBACK] = "ROLLBACK",
	[SQ_NAME_EXISTS] = "SELECT EXISTS(SELECT 1 FROM accounts WHERE name = ?1)"
			   " OR EXISTS(SELECT 1 FROM characters WHERE name = ?1)",
	/* A character may share its name with its own account, and no one else. */
	[SQ_CHAR_NAME_TAKEN] = "SELECT EXISTS(SELECT 1 FROM characters WHERE name = ?1)"
			       " OR EXISTS(SELECT 1 FROM accounts WHERE name = ?1 AND id <> ?2)",
	[SQ_ACC_INSERT] = "INSERT INTO accounts(name, pwhash, created, last_login, last_host)"
			  " VALUES(?1, ?2, ?3, ?3, ?4)",
	[SQ_ACC_GET] = "SELECT id, pwhash FROM accounts WHERE name = ?1",
	[SQ_ACC_LOGIN] = "UPDATE accounts SET last_login = ?2, last_host = ?3,"
			 " pwhash = coalesce(?4, pwhash) WHERE id = ?1",
	[SQ_ACC_SET_HASH] = "UPDATE accounts SET pwhash = ?2 WHERE name = ?1",
	[SQ_CHAR_INSERT] = "INSERT INTO characters(account_id, name, created, data)"
			   " VALUES(?1, ?2, ?3, ?4)",
	[SQ_CHAR_LOAD] = "SELECT id, account_id, name, level, room, data, created, saved, played_s"
			 " FROM characters WHERE name = ?1",
	[SQ_CHAR_SAVE_ID] = "UPDATE characters SET level = ?2, room = ?3, played_s = ?4, data = ?5,"
			    " saved = ?6 WHERE id = ?1",
	[SQ_CHAR_SAVE_NAME] = "UPDATE characters SET level = ?2, room = ?3, played_s = ?4,"
			      " data = ?5, saved = ?6 WHERE name = ?1",
	[SQ_MEM_GET] = "SELECT value FROM player_memory"
		       " WHERE character_id = ?1 AND area = ?2 AND key = ?3",
	[SQ_MEM_PUT] = "INSERT INTO player_memory(character_id, area, key, value)"
		       " VALUES(?1, ?2, ?3, ?4)"
		       " ON CONFLICT(character_id, area, key) DO UPDATE SET value = excluded.value",
	[SQ_MEM_DEL] = "DELETE FROM player_memory"
		       " WHERE character_id = ?1 AND area = ?2 AND key = ?3",
	[SQ_AREA_GET] = "SELECT data, saved FROM area_state WHERE area = ?1",
	[SQ_AREA_PUT] =
		"INSERT INTO area_state(area, data, saved) VALUES(?1, ?2, ?3)"
		" ON CONFLICT(area) DO UPDATE SET data = excluded.data, saved = excluded.saved",
	[SQ_AREA_DEL] = "DELETE FROM area_state WHERE area = ?1",
	[SQ_AUDIT] = "INSERT INTO audit(at, actor, action, detail) VALUES(?1, ?2, ?3, ?4)",
};

/* ---- errors ----------------------------------------------------------------- */

/* SQLite's (extended) result code as a negative errno. */
static int store_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return -EEXIST;
		if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			return -ENOENT;
		return -EINVAL;
	case SQLITE_TOOBIG:
	case SQLITE_RANGE:
	case SQLITE_MISMATCH:
		return -EINVAL;
	default:
		return -EIO;
	}
}

/* Records a failure that is not SQLite's (msg), logs it, and returns err. */
int store_fail_msg(struct store *st, int err, const char *what, const char *msg)
{
	buf_clear(&st->errmsg);
	buf_printf(&st->errmsg, "%s: %s", what, msg);
	st->stats.errors++;
	st->stats.last_err = err;
	st->stats.last_error_at = clock_wall_s();
	log_error(st->lg, "store: %s", buf_cstr(&st->errmsg));
	return err;
}

/*
 * Records the SQLite failure rc of what, with SQLite's message, and returns
 * it as an errno. Call it before anything else touches the connection: a
 * ROLLBACK would replace the message.
 */
int store_fail(struct store *st, int rc, const char *what)
{
	return store_fail_msg(st, store_errno(rc), what, sqlite3_errmsg(st->db));
}

/* ---- statements and transactions ---------------------------------------------- */

/* The cached statement id, ready to bind; NULL (failure recorded) if it cannot be prepared. */
sqlite3_stmt *store_stmt(struct store *st, enum store_stmt_id id)
{
	int rc;

	if (st->stmt[id])
		return st->stmt[id];
	rc = sqlite3_prepare_v3(st->db, store_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[id],
				NULL);
	if (rc != SQLITE_OK) {
		store_fail(st, rc, "prepare");
		st->stmt[id] = NULL;
	}
	return st->stmt[id];
}

/* Releases a statement after use: its locks, its row and its bindings. */
void store_release(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

int store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

/*
 * Steps s, whose parameters are bound (brc is the first binding failure or
 * SQLITE_OK), expecting it to finish without a row; releases it.
 */
int store_exec(struct store *st, sqlite3_stmt *s, int brc, const char *what)
{
	int rc = brc == SQLITE_OK ? sqlite3_step(s) : brc;
	int err = 0;

	if (rc != SQLITE_DONE)
		err = store_fail(st, rc, what);
	store_release(s);
	return err;
}

/* Runs a parameterless cached statement (BEGIN, COMMIT, ROLLBACK). */
static int store_run(struct store *st, enum store_stmt_id id, const char *what)
{
	sqlite3_stmt *s = store_stmt(st, id);

	return s ? store_exec(st, s, SQLITE_OK, what) : st->stats.last_err;
}

/*
 * Ends an open transaction, if one is open: SQLite rolls back by itself on
 * some errors (full disk, I/O), so ask it first.
 */
void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		store_run(st, SQ_ROLLBACK, "rollback");
}

int store_begin(struct store *st)
{
	return store_run(st, SQ_BEGIN, "begin");
}

/* Commits; on failure (a busy or full disk) rolls back, so no transaction stays open. */
int store_commit(struct store *st)
{
	int err = store_run(st, SQ_COMMIT, "commit");

	if (err < 0)
		store_rollback(st);
	return err;
}

/* Answers a yes/no query whose first two parameters are name and (optionally) an id. */
int store_ask(struct store *st, enum store_stmt_id id, const char *name, int64_t arg, bool *yes)
{
	sqlite3_stmt *s = store_stmt(st, id);
	int rc;

	if (!s)
		return st->stats.last_err;
	rc = store_bind_text(s, 1, name);
	if (rc == SQLITE_OK && sqlite3_bind_parameter_count(s) >= 2)
		rc = sqlite3_bind_int64(s, 2, arg);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = store_fail(st, rc, "name lookup");
		store_release(s);
		return rc;
	}
	*yes = sqlite3_column_int(s, 0) != 0;
	store_release(s);
	return 0;
}

/* ---- opening --------------------------------------------------------------------- */

/* Runs one PRAGMA or statement list with no results we need. */
static int store_exec_sql(struct store *st, const char *sql, const char *what)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : store_fail(st, rc, what);
}

/* Reads one integer (or text into txt) from a PRAGMA. */
static int store_pragma(struct store *st, const char *sql, int64_t *num, struct buf *txt)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = store_fail(st, rc, sql);
		sqlite3_finalize(s);
		return rc;
	}
	if (num)
		*num = sqlite3_column_int64(s, 0);
	if (txt) {
		buf_clear(txt);
		buf_puts(txt, (const char *)sqlite3_column_text(s, 0));
	}
	sqlite3_finalize(s);
	return 0;
}

/*
 * PRAGMA quick_check: reads every page and checks the b-tree structure
 * (without the slow index-content checks of integrity_check). Any answer
 * but "ok" is written to err and refuses the file.
 */
static int store_quick_check(struct store *st, struct buf *err)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA quick_check(5)", -1, &s, NULL);
	int bad = 0;

	if (rc == SQLITE_OK) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			const char *line = (const char *)sqlite3_column_text(s, 0);

			if (!line || strcmp(line, "ok") != 0)
				buf_printf(err, "%s%s", bad++ ? "; " : "", line ? line : "?");
		}
	}
	if (rc != SQLITE_DONE)
		buf_printf(err, "%s%s", bad++ ? "; " : "", sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	/* integrity reports are multi-line; the log wants one line */
	for (size_t i = 0; i < err->len; i++)
		if (err->data[i] == '\n')
			err->data[i] = ' ';
	return bad ? -EIO : 0;
}

/* Brings the schema from its user_version to STORE_SCHEMA_VERSION, one step per transaction. */
static int store_migrate(struct store *st, struct buf *err)
{
	int64_t version;
	int rc = store_pragma(st, "PRAGMA user_version", &version, NULL);

	if (rc < 0)
		return rc;
	if (version > STORE_SCHEMA_VERSION) {
		buf_printf(err, "schema version %lld is newer than this server's %d",
			   (long long)version, STORE_SCHEMA_VERSION);
		return -EINVAL;
	}
	if (version < STORE_SCHEMA_VERSION && st->cfg.read_only) {
		buf_printf(err, "schema version %lld needs migrating, and the store is read-only",
			   (long long)version);
		return -EROFS;
	}
	for (; version < STORE_SCHEMA_VERSION; version++) {
		rc = store_begin(st);
		if (rc == 0)
			rc = store_exec_sql(st, store_migrations[version], "migrate");
		if (rc == 0)
			rc = store_commit(st);
		if (rc < 0) {
			store_rollback(st);
			buf_printf(err, "migrating to schema version %lld: %s",
				   (long long)version + 1, buf_cstr(&st->errmsg));
			return rc;
		}
		log_info(st->lg, "store: schema migrated to version %lld", (long long)version + 1);
	}
	return 0;
}

/*
 * Connection settings. WAL with synchronous=NORMAL: a commit is appended to
 * the WAL and fsync'd only at checkpoints, so a commit costs no fsync on the
 * game thread. It survives any crash of this process (the WAL is in the OS
 * cache); a power loss or OS crash can lose the last commits before the
 * next checkpoint, but never corrupts the file, since the WAL's checksums
 * drop a torn tail. Foreign keys are off by default in SQLite; turn them on.
 */
static int store_configure(struct store *st, struct buf *err)
{
	struct buf mode;
	int rc;

	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, st->cfg.busy_timeout_ms);
	if (store_quick_check(st, err) < 0) {
		buf_puts(err, ": refusing to start on a damaged database;"
			      " restore a backup, or move the file away to start empty");
		return -EIO;
	}
	buf_init(&mode, 64);
	rc = store_pragma(st, st->cfg.read_only ? "PRAGMA journal_mode" : "PRAGMA journal_mode=WAL",
			  NULL, &mode);
	if (rc == 0 && strcmp(buf_cstr(&mode), "wal") != 0)
		log_warn(st->lg, "store: journal mode is %s, not wal", buf_cstr(&mode));
	buf_fini(&mode);
	if (rc == 0)
		rc = store_exec_sql(st, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON",
				    "pragma");
	if (rc == 0 && st->cfg.max_pages > 0) {
		struct buf sql;

		buf_init(&sql, 128);
		buf_printf(&sql, "PRAGMA max_page_count=%lld", st->cfg.max_pages);
		rc = store_pragma(st, buf_cstr(&sql), NULL, NULL);
		buf_fini(&sql);
	}
	if (rc < 0) {
		buf_puts(err, buf_cstr(&st->errmsg));
		return rc;
	}
	return store_migrate(st, err);
}

struct store *store_open(const char *path, const struct store_config *cfg, struct log *lg,
			 struct buf *err)
{
	struct store *st;
	struct buf scratch;
	int flags;
	int rc;

	buf_init(&scratch, 4096);
	if (!err)
		err = &scratch;
	buf_clear(err);
	if (!path || !*path) {
		buf_puts(err, "no database path");
		goto fail_early;
	}
	if (pwhash_init() < 0) {
		buf_puts(err, "libsodium failed to initialise");
		goto fail_early;
	}
	if (cfg && pwhash_params_check(&cfg->hash) < 0) {
		buf_printf(err, "password hash cost out of range (ops %llu, mem %zu)",
			   cfg->hash.ops, cfg->hash.mem);
		goto fail_early;
	}

	st = xcalloc(1, sizeof(*st));
	st->lg = lg;
	if (cfg)
		st->cfg = *cfg;
	if (st->cfg.busy_timeout_ms <= 0)
		st->cfg.busy_timeout_ms = 500;
	buf_init(&st->hash, PWHASH_STR_MAX * 2);
	buf_init(&st->errmsg, 4096);

	flags = st->cfg.read_only ? SQLITE_OPEN_READONLY
				  : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(path, &st->db, flags, NULL);
	if (rc != SQLITE_OK) {
		buf_puts(err, st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto fail;
	}
	if (store_configure(st, err) < 0)
		goto fail;
	log_info(st->lg, "store: opened %s (schema version %d%s)", path, STORE_SCHEMA_VERSION,
		 st->cfg.read_only ? ", read-only" : "");
	buf_fini(&scratch);
	return st;

fail:
	store_close(st);
fail_early:
	log_error(lg, "store: cannot open %s: %s", path ? path : "(null)", buf_cstr(err));
	buf_fini(&scratch);
	return NULL;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < SQ_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db && sqlite3_close(st->db) != SQLITE_OK)
		log_error(st->lg, "store: close: %s", sqlite3_errmsg(st->db));
	buf_fini(&st->hash);
	buf_fini(&st->errmsg);
	free(st);
}

int store_schema_version(void)
{
	return STORE_SCHEMA_VERSION;
}

/* ---- audit and health ---------------------------------------------------------------- */

int store_audit(struct store *st, const char *actor, const char *action, const char *detail)
{
	sqlite3_stmt *s = store_stmt(st, SQ_AUDIT);
	int rc;

	if (!s)
		return st->stats.last_err;
	rc = sqlite3_bind_int64(s, 1, clock_wall_s());
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 2, actor ? actor : "");
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 3, action ? action : "");
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 4, detail);
	return store_exec(st, s, rc, "audit");
}

void store_stats_get(const struct store *st, struct store_stats *out)
{
	*out = st->stats;
	out->last_error = buf_cstr(&st->errmsg);
}
