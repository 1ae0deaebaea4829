/*
 * store_account.c: accounts and passwords: create, check (with rehash), change.
 *
 * Every public call that takes a password wipes it on its single way out
 * (store_account_wipe() at the out: label). Start at store_account_new().
 */
#include "store/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "store/internal.h"
#include "base/banned.h"

/* ---- passwords ---------------------------------------------------------------- */

/* Wipes a caller's password; the contract of every function that takes one. */
static void store_account_wipe(char *password)
{
	if (password)
		sodium_memzero(password, strlen(password));
}

/* Hashes password into st->hash with the configured cost, timing it. */
static int store_account_hash(struct store *st, const char *password, size_t len)
{
	int64_t t0 = clock_mono_us();
	int err = pwhash_hash(&st->cfg.hash, password, len, &st->hash);

	st->stats.last_hash_us = clock_mono_us() - t0;
	if (err < 0)
		return store_fail_msg(st, err, "hash", "argon2id could not hash (out of memory?)");
	return 0;
}

/* ---- accounts ------------------------------------------------------------------- */

bool store_name_exists(struct store *st, const char *name)
{
	bool yes = true;

	store_ask(st, SQ_NAME_EXISTS, name, 0, &yes);
	return yes;
}

/* Inserts an account with the hash in st->hash; runs inside the caller's transaction. */
static int store_account_insert(struct store *st, const char *name, const char *host, int64_t *id)
{
	sqlite3_stmt *s;
	bool taken;
	int rc = store_ask(st, SQ_NAME_EXISTS, name, 0, &taken);

	if (rc < 0)
		return rc;
	if (taken)
		return -EEXIST;
	s = store_stmt(st, SQ_ACC_INSERT);
	if (!s)
		return st->stats.last_err;
	rc = store_bind_text(s, 1, name);
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 2, buf_cstr(&st->hash));
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 3, clock_wall_s());
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 4, host);
	rc = store_exec(st, s, rc, "create account");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

/* Hashes, then runs the inserts of an account (and a character if with_char) in one transaction. */
static int store_account_new(struct store *st, const char *name, char *password, const char *host,
			     bool with_char, const char *json, int64_t *account_id,
			     int64_t *char_id)
{
	int64_t acc = 0;
	int rc;

	if (!name || !password) {
		rc = -EINVAL;
		goto out;
	}
	/* Refuse a taken name before paying for a hash; the insert checks again. */
	if (store_name_exists(st, name)) {
		rc = -EEXIST;
		goto out;
	}
	rc = store_account_hash(st, password, strlen(password));
	if (rc == 0)
		rc = store_begin(st);
	if (rc < 0)
		goto out;
	rc = store_account_insert(st, name, host, &acc);
	if (rc == 0 && with_char)
		rc = store_char_insert(st, acc, name, json, char_id);
	if (rc == 0)
		rc = store_commit(st);
	if (rc < 0) {
		store_rollback(st);
		goto out;
	}
	if (account_id)
		*account_id = acc;
out:
	store_account_wipe(password);
	return rc;
}

int store_account_create(struct store *st, const char *name, char *password, const char *host,
			 int64_t *account_id)
{
	return store_account_new(st, name, password, host, false, NULL, account_id, NULL);
}

int store_player_create(struct store *st, const char *name, char *password, const char *host,
			const char *json, int64_t *account_id, int64_t *char_id)
{
	return store_account_new(st, name, password, host, true, json, account_id, char_id);
}

/* Records a login and, if rehash, the new hash in st->hash. One statement: atomic. */
static int store_account_login(struct store *st, int64_t id, const char *host, bool rehash)
{
	sqlite3_stmt *s = store_stmt(st, SQ_ACC_LOGIN);
	int rc;

	if (!s)
		return st->stats.last_err;
	rc = sqlite3_bind_int64(s, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 2, clock_wall_s());
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 3, host);
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 4, rehash ? buf_cstr(&st->hash) : NULL);
	return store_exec(st, s, rc, "record login");
}

int store_account_check(struct store *st, const char *name, char *password, const char *host,
			int64_t *account_id)
{
	sqlite3_stmt *s;
	char *hash = NULL;
	int64_t id = 0, t0;
	bool rehash;
	int rc;

	if (!name || !password) {
		rc = -EINVAL;
		goto out;
	}
	s = store_stmt(st, SQ_ACC_GET);
	if (!s) {
		rc = st->stats.last_err;
		goto out;
	}
	rc = store_bind_text(s, 1, name);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		hash = xstrdup(sqlite3_column_text(s, 1) ? (const char *)sqlite3_column_text(s, 1)
							 : "");
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? -ENOENT : store_fail(st, rc, "find account");
	}
	store_release(s);
	if (rc < 0)
		goto out;

	t0 = clock_mono_us();
	rc = pwhash_verify(hash, password, strlen(password));
	st->stats.last_hash_us = clock_mono_us() - t0;
	if (rc == -EINVAL) {
		rc = store_fail_msg(st, -EIO, "check password", "stored hash is not argon2");
		goto out;
	}
	if (rc < 0)
		goto out;
	rehash = pwhash_needs_rehash(&st->cfg.hash, hash) &&
		 store_account_hash(st, password, strlen(password)) == 0;
	/*
	 * The password is right whatever happens next: a read-only or full disk
	 * that cannot record the login (already logged and counted) must not
	 * lock players out.
	 */
	if (store_account_login(st, id, host, rehash) == 0 && rehash)
		log_info(st->lg, "store: account %lld rehashed with the current cost",
			 (long long)id);
	if (account_id)
		*account_id = id;
out:
	free(hash);
	store_account_wipe(password);
	return rc;
}

int store_account_set_password(struct store *st, const char *name, char *password)
{
	sqlite3_stmt *s;
	int rc;

	if (!name || !password) {
		rc = -EINVAL;
		goto out;
	}
	rc = store_account_hash(st, password, strlen(password));
	if (rc < 0)
		goto out;
	s = store_stmt(st, SQ_ACC_SET_HASH);
	if (!s) {
		rc = st->stats.last_err;
		goto out;
	}
	rc = store_bind_text(s, 1, name);
	if (rc == SQLITE_OK)
		rc = store_bind_text(s, 2, buf_cstr(&st->hash));
	rc = store_exec(st, s, rc, "set password");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		rc = -ENOENT;
out:
	store_account_wipe(password);
	return rc;
}
