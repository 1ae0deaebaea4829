/*
 * store.h: the accounts and characters database (SQLite, var/ruin.db).
 *
 * The store knows nothing of the game. An account is a name and an argon2id
 * password hash; a character is a name, a few indexed columns (level, room,
 * play time) and one JSON text blob that the game writes and parses. Beside
 * them: per-character Lua memory, per-area Lua state, and an audit trail.
 * One account per character for now (the account has the character's name),
 * but they are separate tables so an account may own several later.
 *
 * Start reading at store_open(). Every call runs on the game thread and
 * returns 0 or a negative errno:
 *   -ENOENT  no such account/character/row     -EEXIST  name taken
 *   -EACCES  wrong password                    -EINVAL  bad argument
 *   -EROFS   database or disk is read-only     -ENOSPC  disk (or page cap) full
 *   -EBUSY   locked by another process         -EIO     anything else sqlite reports
 * Every failure is logged with SQLite's own message and counted in
 * store_stats; no call ever aborts on a database error or leaves a
 * transaction open, so the game keeps running on a full or read-only disk.
 *
 * Names are never validated here (the login code does that) and are only
 * ever bound as parameters, so any bytes are safe. Names compare
 * case-insensitively (ASCII): "Ayla" and "AYLA" are the same name.
 *
 * Passwords: every function that takes `char *password` (a writable
 * NUL-terminated string) wipes it with sodium_memzero() before returning,
 * on every path, success or failure. The caller still wipes any other copy
 * it made (its input line buffer, for instance). The store never logs a
 * password and never keeps one; only the argon2id hash reaches the file.
 */
#ifndef RUIN_STORE_STORE_H
#define RUIN_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/log.h"
#include "store/pwhash.h"

struct store;

struct store_config {
	struct pwhash_params hash; /* argon2id cost for new hashes; zeros = OWASP defaults */
	int busy_timeout_ms; /* wait for another process's lock (the game waits too); 0 = 500 */
	/* For tests and tools: */
	bool read_only;	     /* open with SQLITE_OPEN_READONLY; the schema must be current */
	long long max_pages; /* PRAGMA max_page_count (a size cap); 0 = SQLite's default */
};

/*
 * Opens (creating if needed) the database at path. The directory must
 * exist. Sets WAL, synchronous=NORMAL, foreign keys and the busy timeout,
 * runs PRAGMA quick_check (a corrupt file is refused), then creates or
 * migrates the schema by PRAGMA user_version, one transaction per step.
 * cfg may be NULL (defaults) and is copied; lg may be NULL. Returns NULL on
 * failure with the reason in err (which may be NULL) and in the log.
 */
struct store *store_open(const char *path, const struct store_config *cfg, struct log *lg,
			 struct buf *err);
/* Closes the database (checkpointing the WAL). st may be NULL. */
void store_close(struct store *st);

/* The schema version this build creates and expects. */
int store_schema_version(void);

/* ---- accounts ------------------------------------------------------------ */

/*
 * Creates an account with a fresh hash of password. host (may be NULL) is
 * stored as last_host. On success *account_id (may be NULL) is its id.
 * -EEXIST if the name is taken by an account or a character. Wipes password.
 */
int store_account_create(struct store *st, const char *name, char *password, const char *host,
			 int64_t *account_id);

/*
 * Checks a login. 0 if password is right: last_login and last_host (may be
 * NULL) are updated, *account_id (may be NULL) is set, and a hash made with
 * an older cost is replaced by one with the configured cost. If the disk
 * refuses that update the login still succeeds (the failure is logged and
 * counted). -ENOENT no such account, -EACCES wrong password. Wipes password.
 */
int store_account_check(struct store *st, const char *name, char *password, const char *host,
			int64_t *account_id);

/* Replaces an account's password hash. -ENOENT no such account. Wipes password. */
int store_account_set_password(struct store *st, const char *name, char *password);

/*
 * True if name is used by an account or a character (case-insensitive).
 * On a database error it logs and answers true: a name is never handed out
 * twice because the database could not be read.
 */
bool store_name_exists(struct store *st, const char *name);

/* ---- characters ---------------------------------------------------------- */

/* A loaded character; every pointer is owned by the struct (store_char_fini). */
struct store_char {
	int64_t id;
	int64_t account_id;
	char *name; /* as stored, in its original case */
	int level;
	char *room;	  /* room id it was saved in; NULL if none */
	char *data;	  /* the JSON text, as saved */
	int64_t created;  /* wall clock seconds */
	int64_t saved;	  /* wall clock seconds of the last save; 0 never */
	int64_t played_s; /* seconds played, as last saved */
};

/*
 * Creates a character owned by account_id, with json (NULL means "{}") as
 * its data. *char_id (may be NULL) gets its id. -EEXIST if the name is
 * taken, -ENOENT if the account does not exist, -EINVAL if json is not
 * valid JSON.
 */
int store_char_create(struct store *st, int64_t account_id, const char *name, const char *json,
		      int64_t *char_id);

/*
 * New player in one transaction: an account and its character, both named
 * name. Either both rows exist afterwards or neither does. -EEXIST if the
 * name is taken. Out pointers may be NULL. Wipes password.
 */
int store_player_create(struct store *st, const char *name, char *password, const char *host,
			const char *json, int64_t *account_id, int64_t *char_id);

/*
 * Loads a character by name (case-insensitive) into out, which the caller
 * then owns and frees with store_char_fini(). -ENOENT if there is none; on
 * any failure out is zeroed and needs no fini.
 */
int store_char_load(struct store *st, const char *name, struct store_char *out);
/* Frees what store_char_load() put in c and zeroes it. Safe on a zeroed struct. */
void store_char_fini(struct store_char *c);

/* One area's ch:memory() text (key "memory"), saved with its character. */
struct store_memory_row {
	const char *area;
	const char *value; /* JSON text; NULL deletes it */
};

/* What a save writes. Pointers are borrowed for the call. */
struct store_char_save {
	int64_t id;	  /* characters.id; 0 means find the row by name */
	const char *name; /* used only when id is 0 */
	int level;
	const char *room; /* may be NULL */
	int64_t played_s;
	const char *data; /* valid JSON text, never NULL (-EINVAL otherwise) */
	/* Its script memory, written in the same transaction (needs id > 0). */
	const struct store_memory_row *memory;
	size_t nmemory;
};

/*
 * Saves one character in one transaction and stamps its saved time.
 * -ENOENT if the row does not exist (saves never create characters).
 */
int store_char_save(struct store *st, const struct store_char_save *c);

/*
 * Saves n characters in ONE transaction (autosave, shutdown): all or
 * nothing. If any row fails (missing, bad JSON, disk) nothing is saved and
 * its error is returned. *failed_index (may be NULL) is then the index of
 * the failing row, or n if no row was to blame (the disk refused BEGIN or
 * COMMIT); on success it is n.
 */
int store_char_save_many(struct store *st, const struct store_char_save *c, size_t n,
			 size_t *failed_index);

/* ---- Lua scripting state ------------------------------------------------- */

/*
 * A character's remembered value for (area, key), appended to out (cleared
 * first). -ENOENT if not set; BUF_ERR_FULL if it is longer than out's limit
 * (out is then left empty).
 */
int store_memory_get(struct store *st, int64_t char_id, const char *area, const char *key,
		     struct buf *out);
/* Sets (value non-NULL) or deletes (value NULL) a remembered value. -ENOENT no such character. */
int store_memory_put(struct store *st, int64_t char_id, const char *area, const char *key,
		     const char *value);

/*
 * An area's saved state, appended to out (cleared first); *saved (may be
 * NULL) is when it was saved. -ENOENT if the area has none; BUF_ERR_FULL if
 * it is longer than out's limit.
 */
int store_area_state_get(struct store *st, const char *area, struct buf *out, int64_t *saved);
/* Replaces (data non-NULL) or deletes (data NULL) an area's saved state. */
int store_area_state_put(struct store *st, const char *area, const char *data);

/* ---- audit and health ---------------------------------------------------- */

/* Appends an audit row stamped now. detail may be NULL. */
int store_audit(struct store *st, const char *actor, const char *action, const char *detail);

struct store_stats {
	int64_t last_save;	/* wall seconds of the last successful character save; 0 never */
	uint64_t saves_ok;	/* store_char_save/_many calls that committed */
	uint64_t saves_failed;	/* and those that rolled back */
	uint64_t errors;	/* every failed call, saves included */
	int last_err;		/* negative errno of the last failure; 0 none yet */
	const char *last_error; /* its message ("" if none); valid until the next store call */
	int64_t last_error_at;	/* wall seconds of the last failure; 0 none */
	int64_t last_hash_us;	/* how long the last argon2id hash or verify took */
};

/* Fills out; never fails. */
void store_stats_get(const struct store *st, struct store_stats *out);

#endif
