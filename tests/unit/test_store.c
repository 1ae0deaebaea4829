/*
 * test_store.c: the store against real SQLite files in a fresh temporary
 * directory per test. Hashes use libsodium's cheapest cost except in
 * test_rehash_to_default, which runs (and prints) the shipped default.
 * Where a test needs to see or shape the file behind the store's back
 * (an old schema version, garbage bytes, the stored hash) it uses sqlite3
 * or stdio directly.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/str.h"
#include "store/store.h"
#include "base/banned.h"

struct fx {
	struct buf dir;
	struct buf path; /* dir/ruin.db */
	struct buf err;
	struct log *lg;
	int errors_logged;
	struct buf last_log; /* last ERROR line */
	struct store *st;
};

static const struct store_config cheap = {.hash = {PWHASH_OPS_MIN, PWHASH_MEM_MIN}};

static void fx_sink(void *ud, enum log_level level, const char *msg)
{
	struct fx *fx = ud;

	if (level != LOG_ERROR)
		return;
	fx->errors_logged++;
	buf_clear(&fx->last_log);
	buf_puts(&fx->last_log, msg);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char tmpl[] = "/tmp/ruin-store-XXXXXX";

	if (!fx || !mkdtemp(tmpl))
		return -1;
	buf_init(&fx->dir, 0);
	buf_init(&fx->path, 0);
	buf_init(&fx->err, 0);
	buf_init(&fx->last_log, 0);
	buf_puts(&fx->dir, tmpl);
	buf_printf(&fx->path, "%s/ruin.db", tmpl);
	fx->lg = log_new("/dev/null", LOG_INFO);
	if (!fx->lg)
		return -1;
	log_set_sink(fx->lg, fx_sink, fx);
	*state = fx;
	return 0;
}

static void fx_unlink(struct fx *fx, const char *suffix)
{
	struct buf p;

	buf_init(&p, 0);
	buf_printf(&p, "%s%s", buf_cstr(&fx->path), suffix);
	unlink(buf_cstr(&p));
	buf_fini(&p);
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	store_close(fx->st);
	fx_unlink(fx, "");
	fx_unlink(fx, "-wal");
	fx_unlink(fx, "-shm");
	fx_unlink(fx, "-journal");
	rmdir(buf_cstr(&fx->dir));
	log_free(fx->lg);
	buf_fini(&fx->dir);
	buf_fini(&fx->path);
	buf_fini(&fx->err);
	buf_fini(&fx->last_log);
	free(fx);
	return 0;
}

static struct store *fx_open(struct fx *fx, const struct store_config *cfg)
{
	store_close(fx->st);
	fx->st = store_open(buf_cstr(&fx->path), cfg, fx->lg, &fx->err);
	return fx->st;
}

static void fx_close(struct fx *fx)
{
	store_close(fx->st);
	fx->st = NULL;
}

/* A writable password string, as the login code would hand over. */
struct pw {
	char s[64];
};

static struct pw pw(const char *s)
{
	struct pw p;

	memset(&p, 0x55, sizeof(p));
	assert_int_equal(str_copy(p.s, sizeof(p.s), s), 0);
	return p;
}

/* True if the first n bytes are zero: the store wiped the password. */
static bool wiped(const struct pw *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p->s[i])
			return false;
	return true;
}

/* Runs SQL on the file directly and returns the first column of the first row as an integer. */
static int64_t raw_int(struct fx *fx, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v = -1;

	assert_int_equal(sqlite3_open(buf_cstr(&fx->path), &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* Like raw_int, for text; the result goes to out. */
static void raw_text(struct fx *fx, const char *sql, struct buf *out)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	buf_clear(out);
	assert_int_equal(sqlite3_open(buf_cstr(&fx->path), &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		buf_puts(out, (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void raw_exec(struct fx *fx, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(buf_cstr(&fx->path), &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* ---- accounts ------------------------------------------------------------- */

static void test_account_create_check(void **state)
{
	struct fx *fx = *state;
	struct pw p;
	int64_t id = 0, id2 = 0;

	assert_non_null(fx_open(fx, &cheap));
	p = pw("secret");
	assert_int_equal(store_account_create(fx->st, "Ayla", p.s, "10.0.0.1", &id), 0);
	assert_true(wiped(&p, 6));
	assert_true(id > 0);

	p = pw("secret");
	assert_int_equal(store_account_check(fx->st, "Ayla", p.s, "10.0.0.2", &id2), 0);
	assert_true(wiped(&p, 6));
	assert_int_equal(id2, id);

	p = pw("Secret");
	assert_int_equal(store_account_check(fx->st, "Ayla", p.s, "10.0.0.3", NULL), -EACCES);
	assert_true(wiped(&p, 6));

	p = pw("secret");
	assert_int_equal(store_account_check(fx->st, "Nobody", p.s, NULL, NULL), -ENOENT);
	assert_true(wiped(&p, 6));

	/* Only the right password moved last_host; the password never reached the file. */
	struct buf t;
	buf_init(&t, 0);
	raw_text(fx, "SELECT last_host FROM accounts WHERE name = 'Ayla'", &t);
	assert_string_equal(buf_cstr(&t), "10.0.0.2");
	raw_text(fx, "SELECT pwhash FROM accounts", &t);
	assert_true(str_starts_with(buf_cstr(&t), "$argon2id$"));
	assert_null(strstr(buf_cstr(&t), "secret"));
	buf_fini(&t);
	assert_true(raw_int(fx, "SELECT last_login FROM accounts") > 0);
	assert_int_equal(fx->errors_logged, 0);
}

static void test_name_case_insensitive(void **state)
{
	struct fx *fx = *state;
	struct pw p;

	assert_non_null(fx_open(fx, &cheap));
	p = pw("pw1");
	assert_int_equal(store_account_create(fx->st, "Ayla", p.s, NULL, NULL), 0);
	p = pw("pw2");
	assert_int_equal(store_account_create(fx->st, "AYLA", p.s, NULL, NULL), -EEXIST);
	assert_true(wiped(&p, 3));
	assert_true(store_name_exists(fx->st, "aYLA"));
	assert_false(store_name_exists(fx->st, "Ayl"));
	p = pw("pw1");
	assert_int_equal(store_account_check(fx->st, "ayla", p.s, NULL, NULL), 0);

	/* Accounts and characters share one namespace. */
	p = pw("pw3");
	assert_int_equal(store_player_create(fx->st, "Bran", p.s, NULL, "{}", NULL, NULL), 0);
	assert_true(store_name_exists(fx->st, "bRAN"));
	p = pw("pw4");
	assert_int_equal(store_account_create(fx->st, "BRAN", p.s, NULL, NULL), -EEXIST);
	assert_int_equal(raw_int(fx, "SELECT count(*) FROM accounts"), 2);
}

static void test_set_password(void **state)
{
	struct fx *fx = *state;
	struct pw p;

	assert_non_null(fx_open(fx, &cheap));
	p = pw("old");
	assert_int_equal(store_account_create(fx->st, "Ayla", p.s, NULL, NULL), 0);
	p = pw("new password");
	assert_int_equal(store_account_set_password(fx->st, "AYLA", p.s), 0);
	assert_true(wiped(&p, 12));
	p = pw("old");
	assert_int_equal(store_account_check(fx->st, "Ayla", p.s, NULL, NULL), -EACCES);
	p = pw("new password");
	assert_int_equal(store_account_check(fx->st, "Ayla", p.s, NULL, NULL), 0);
	p = pw("x");
	assert_int_equal(store_account_set_password(fx->st, "Nobody", p.s), -ENOENT);
	assert_true(wiped(&p, 1));
}

/* Cheap hash at create, default cost configured at login: the hash is upgraded. */
static void test_rehash_to_default(void **state)
{
	struct fx *fx = *state;
	struct store_stats stats;
	struct buf h;
	struct pw p;

	assert_non_null(fx_open(fx, &cheap));
	p = pw("hunter2");
	assert_int_equal(store_account_create(fx->st, "Ayla", p.s, NULL, NULL), 0);
	fx_close(fx);
	buf_init(&h, 0);
	raw_text(fx, "SELECT pwhash FROM accounts", &h);
	assert_true(str_starts_with(buf_cstr(&h), "$argon2id$v=19$m=8,t=1,p=1$"));

	assert_non_null(fx_open(fx, NULL));
	p = pw("hunter2");
	assert_int_equal(store_account_check(fx->st, "Ayla", p.s, NULL, NULL), 0);
	assert_true(wiped(&p, 7));
	store_stats_get(fx->st, &stats);
	printf("# store_account_check with rehash to t=2, m=19 MiB: the new hash took %.1f ms\n",
	       (double)stats.last_hash_us / 1000.0);
	raw_text(fx, "SELECT pwhash FROM accounts", &h);
	assert_true(str_starts_with(buf_cstr(&h), "$argon2id$v=19$m=19456,t=2,p=1$"));

	/* The upgraded hash still takes the same password, and no other. */
	p = pw("hunter2");
	assert_int_equal(store_account_check(fx->st, "Ayla", p.s, NULL, NULL), 0);
	store_stats_get(fx->st, &stats);
	printf("# store_account_check at the default cost: verify took %.1f ms\n",
	       (double)stats.last_hash_us / 1000.0);
	p = pw("hunter3");
	assert_int_equal(store_account_check(fx->st, "Ayla", p.s, NULL, NULL), -EACCES);
	buf_fini(&h);
}

/* ---- characters ---------------------------------------------------------- */

static const char *const json1 = "{\"hp\":20,\"title\":\"the \\\"Brave\\\" \u00e9l\u00e8ve\","
				 "\"items\":[{\"vnum\":\"midgaard:3010\"}]}";

static void test_char_round_trip(void **state)
{
	struct fx *fx = *state;
	struct store_char c;
	struct store_char_save sv = {0};
	int64_t acc = 0, id = 0;
	struct pw p;

	assert_non_null(fx_open(fx, &cheap));
	p = pw("pw");
	assert_int_equal(store_player_create(fx->st, "Ayla", p.s, "::1", NULL, &acc, &id), 0);
	assert_true(wiped(&p, 2));
	assert_int_equal(store_char_load(fx->st, "aYLA", &c), 0);
	assert_int_equal(c.id, id);
	assert_int_equal(c.account_id, acc);
	assert_string_equal(c.name, "Ayla");
	assert_string_equal(c.data, "{}");
	assert_null(c.room);
	assert_int_equal(c.saved, 0);
	assert_true(c.created > 0);
	store_char_fini(&c);
	assert_null(c.name);

	sv.id = id;
	sv.level = 7;
	sv.room = "midgaard:3001";
	sv.played_s = 3600;
	sv.data = json1;
	assert_int_equal(store_char_save(fx->st, &sv), 0);
	assert_int_equal(store_char_load(fx->st, "AYLA", &c), 0);
	assert_int_equal(c.level, 7);
	assert_string_equal(c.room, "midgaard:3001");
	assert_int_equal(c.played_s, 3600);
	assert_string_equal(c.data, json1);
	assert_true(c.saved > 0);
	store_char_fini(&c);

	/* By name when the id is not known yet. */
	sv.id = 0;
	sv.name = "ayla";
	sv.level = 8;
	sv.room = NULL;
	assert_int_equal(store_char_save(fx->st, &sv), 0);
	assert_int_equal(store_char_load(fx->st, "Ayla", &c), 0);
	assert_int_equal(c.level, 8);
	assert_null(c.room);
	store_char_fini(&c);

	assert_int_equal(store_char_load(fx->st, "Nobody", &c), -ENOENT);
	assert_null(c.name);
	assert_null(c.data);
	store_char_fini(&c);
	assert_int_equal(fx->errors_logged, 0);
}

static void test_char_create_rules(void **state)
{
	struct fx *fx = *state;
	int64_t bob = 0, ayla = 0, id = 0;
	struct pw p;

	assert_non_null(fx_open(fx, &cheap));
	p = pw("pw");
	assert_int_equal(store_account_create(fx->st, "Bob", p.s, NULL, &bob), 0);
	p = pw("pw");
	assert_int_equal(store_account_create(fx->st, "Ayla", p.s, NULL, &ayla), 0);
	/* A character may take its own account's name, and an account may own several. */
	assert_int_equal(store_char_create(fx->st, bob, "BOB", "{\"a\":1}", &id), 0);
	assert_true(id > 0);
	assert_int_equal(store_char_create(fx->st, bob, "Bobby", NULL, NULL), 0);
	/* But not another account's name, nor a character's, in any case. */
	assert_int_equal(store_char_create(fx->st, bob, "ayla", NULL, NULL), -EEXIST);
	assert_int_equal(store_char_create(fx->st, ayla, "bobby", NULL, NULL), -EEXIST);
	/* No such account: the foreign key refuses it. */
	assert_int_equal(store_char_create(fx->st, 9999, "Ghost", NULL, NULL), -ENOENT);
	/* Not JSON: the CHECK refuses it. */
	assert_int_equal(store_char_create(fx->st, ayla, "Broken", "{not json", NULL), -EINVAL);
	assert_int_equal(raw_int(fx, "SELECT count(*) FROM characters"), 2);
}

/* Names are bound, never spliced into SQL: any bytes round-trip. */
static void test_hostile_names(void **state)
{
	struct fx *fx = *state;
	static const char *const names[] = {
		"Robert'); DROP TABLE characters;--",
		"\"quoted\" name",
		"%s%n%x",
		"\x01\x02\x1b[31m\x7f",
		"\xff\xfe\xc3\x28 bad utf-8",
		"\xc3\xa9l\xc3\xa8ve",
	};
	char bytes[256];
	struct store_char c;
	struct pw p;

	assert_non_null(fx_open(fx, &cheap));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		p = pw("pw");
		assert_int_equal(
			store_player_create(fx->st, names[i], p.s, names[i], NULL, NULL, NULL), 0);
		assert_int_equal(store_char_load(fx->st, names[i], &c), 0);
		assert_string_equal(c.name, names[i]);
		store_char_fini(&c);
		p = pw("pw");
		assert_int_equal(store_account_check(fx->st, names[i], p.s, NULL, NULL), 0);
		assert_int_equal(store_audit(fx->st, names[i], names[i], names[i]), 0);
	}
	/* Every byte value but NUL in one name. */
	for (int i = 1; i < 256; i++)
		bytes[i - 1] = (char)i;
	bytes[255] = '\0';
	p = pw("pw");
	assert_int_equal(store_player_create(fx->st, bytes, p.s, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(store_char_load(fx->st, bytes, &c), 0);
	assert_memory_equal(c.name, bytes, 256);
	store_char_fini(&c);
	assert_int_equal(raw_int(fx, "SELECT count(*) FROM characters"), 7);
}

/* Three characters Ann, Ben, Cid at level 1 with data {}. */
static void make_three(struct fx *fx, int64_t ids[3])
{
	static const char *const names[] = {"Ann", "Ben", "Cid"};
	struct pw p;

	for (int i = 0; i < 3; i++) {
		p = pw("pw");
		assert_int_equal(
			store_player_create(fx->st, names[i], p.s, NULL, NULL, NULL, &ids[i]), 0);
	}
}

static int load_level(struct fx *fx, const char *name)
{
	struct store_char c;
	int level;

	assert_int_equal(store_char_load(fx->st, name, &c), 0);
	level = c.level;
	store_char_fini(&c);
	return level;
}

static void test_save_many_atomic(void **state)
{
	struct fx *fx = *state;
	struct store_char_save sv[3] = {0};
	struct store_stats stats;
	int64_t ids[3];
	size_t bad = 99;

	assert_non_null(fx_open(fx, &cheap));
	make_three(fx, ids);
	for (int i = 0; i < 3; i++) {
		sv[i].id = ids[i];
		sv[i].level = 10 + i;
		sv[i].data = "{\"ok\":true}";
	}

	/* A row that does not exist: nothing is saved, the culprit is named. */
	sv[1].id = 424242;
	assert_int_equal(store_char_save_many(fx->st, sv, 3, &bad), -ENOENT);
	assert_int_equal(bad, 1);
	assert_int_equal(load_level(fx, "Ann"), 1);
	assert_int_equal(load_level(fx, "Cid"), 1);

	/* A constraint failure on the last row undoes the first two. */
	sv[1].id = ids[1];
	sv[2].data = "{\"truncated\":";
	assert_int_equal(store_char_save_many(fx->st, sv, 3, &bad), -EINVAL);
	assert_int_equal(bad, 2);
	assert_int_equal(load_level(fx, "Ann"), 1);
	assert_int_equal(load_level(fx, "Ben"), 1);

	/* A missing name, and a row with no data. */
	sv[2].data = "{}";
	sv[2].id = 0;
	sv[2].name = "Nobody";
	assert_int_equal(store_char_save_many(fx->st, sv, 3, &bad), -ENOENT);
	assert_int_equal(bad, 2);
	sv[2].name = "cid";
	sv[0].data = NULL;
	assert_int_equal(store_char_save_many(fx->st, sv, 3, &bad), -EINVAL);
	assert_int_equal(bad, 0);
	assert_int_equal(raw_int(fx, "SELECT count(*) FROM characters WHERE saved <> 0"), 0);

	/* All good: all saved, once. */
	sv[0].data = "{}";
	assert_int_equal(store_char_save_many(fx->st, sv, 3, &bad), 0);
	assert_int_equal(bad, 3);
	assert_int_equal(load_level(fx, "Ann"), 10);
	assert_int_equal(load_level(fx, "Ben"), 11);
	assert_int_equal(load_level(fx, "Cid"), 12);
	assert_int_equal(store_char_save_many(fx->st, sv, 0, NULL), 0);

	store_stats_get(fx->st, &stats);
	assert_int_equal(stats.saves_ok, 2);
	assert_int_equal(stats.saves_failed, 4);
	assert_true(stats.last_save > 0);
	assert_int_equal(stats.last_err, -EINVAL);
	assert_true(fx->errors_logged >= 4);
}

/* A character's script memory is written in its save's transaction: both or neither. */
static void test_memory_saved_with_its_character(void **state)
{
	struct fx *fx = *state;
	struct store_memory_row mem[2] = {{"town", "{\"key_returned\":true}"}, {"forest", NULL}};
	struct store_char_save sv[2] = {0};
	int64_t ids[3];
	struct buf v;

	assert_non_null(fx_open(fx, &cheap));
	make_three(fx, ids);
	buf_init(&v, 0);
	assert_int_equal(store_memory_put(fx->st, ids[0], "forest", "memory", "{\"old\":1}"), 0);
	sv[0] = (struct store_char_save){
		.id = ids[0], .level = 7, .data = "{}", .memory = mem, .nmemory = 2};
	/* The second row fails: the first one's memory goes with it. */
	sv[1] = (struct store_char_save){.id = 424242, .level = 1, .data = "{}"};
	assert_int_equal(store_char_save_many(fx->st, sv, 2, NULL), -ENOENT);
	assert_int_equal(store_memory_get(fx->st, ids[0], "town", "memory", &v), -ENOENT);
	assert_int_equal(store_memory_get(fx->st, ids[0], "forest", "memory", &v), 0);
	assert_string_equal(buf_cstr(&v), "{\"old\":1}");
	assert_int_equal(load_level(fx, "Ann"), 1);
	/* Both good: the level, the new memory, and the deleted one. */
	sv[1].id = ids[1];
	assert_int_equal(store_char_save_many(fx->st, sv, 2, NULL), 0);
	assert_int_equal(load_level(fx, "Ann"), 7);
	assert_int_equal(store_memory_get(fx->st, ids[0], "town", "memory", &v), 0);
	assert_string_equal(buf_cstr(&v), "{\"key_returned\":true}");
	assert_int_equal(store_memory_get(fx->st, ids[0], "forest", "memory", &v), -ENOENT);
	/* Memory needs the row's id, not its name. */
	sv[0].id = 0;
	sv[0].name = "Ann";
	assert_int_equal(store_char_save(fx->st, &sv[0]), -EINVAL);
	buf_fini(&v);
}

static void test_reopen_finds_data(void **state)
{
	struct fx *fx = *state;
	struct store_char_save sv = {.level = 3, .room = "town:1", .data = "{\"x\":[1,2,3]}"};
	struct store_char c;
	struct buf v;
	int64_t id;
	struct pw p;

	assert_non_null(fx_open(fx, &cheap));
	p = pw("pw");
	assert_int_equal(store_player_create(fx->st, "Ayla", p.s, NULL, NULL, NULL, &id), 0);
	sv.id = id;
	assert_int_equal(store_char_save(fx->st, &sv), 0);
	assert_int_equal(store_memory_put(fx->st, id, "town", "quest", "done"), 0);
	assert_int_equal(store_area_state_put(fx->st, "town", "{\"gate\":\"open\"}"), 0);
	fx_close(fx);
	/* Closed cleanly: the WAL was checkpointed into the main file. */
	assert_int_equal(raw_int(fx, "SELECT count(*) FROM characters"), 1);

	assert_non_null(fx_open(fx, &cheap));
	assert_int_equal(store_char_load(fx->st, "Ayla", &c), 0);
	assert_string_equal(c.data, "{\"x\":[1,2,3]}");
	assert_string_equal(c.room, "town:1");
	store_char_fini(&c);
	buf_init(&v, 0);
	assert_int_equal(store_memory_get(fx->st, id, "town", "quest", &v), 0);
	assert_string_equal(buf_cstr(&v), "done");
	assert_int_equal(store_area_state_get(fx->st, "town", &v, NULL), 0);
	assert_string_equal(buf_cstr(&v), "{\"gate\":\"open\"}");
	buf_fini(&v);
	p = pw("pw");
	assert_int_equal(store_account_check(fx->st, "Ayla", p.s, NULL, NULL), 0);
}

/* ---- schema ---------------------------------------------------------------- */

static void test_migrate_from_empty(void **state)
{
	struct fx *fx = *state;
	struct buf t;

	assert_non_null(fx_open(fx, &cheap));
	fx_close(fx);
	assert_int_equal(raw_int(fx, "PRAGMA user_version"), store_schema_version());
	assert_int_equal(store_schema_version(), 2);
	assert_int_equal(raw_int(fx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND"
				     " name IN ('accounts', 'characters', 'player_memory',"
				     " 'area_state', 'audit')"),
			 5);
	buf_init(&t, 0);
	raw_text(fx, "PRAGMA journal_mode", &t);
	assert_string_equal(buf_cstr(&t), "wal");
	buf_fini(&t);
	/* Opening again changes nothing. */
	assert_non_null(fx_open(fx, &cheap));
	fx_close(fx);
	assert_int_equal(raw_int(fx, "PRAGMA user_version"), 2);
}

/* A file as schema version 1 left it, written by hand: the way an old server wrote it. */
static void test_migrate_from_v1(void **state)
{
	struct fx *fx = *state;
	struct store_char c;
	struct buf h, sql;
	struct pw p;

	buf_init(&h, 0);
	buf_init(&sql, 0);
	assert_int_equal(pwhash_init(), 0);
	assert_int_equal(pwhash_hash(&cheap.hash, "old pw", 6, &h), 0);
	buf_printf(&sql,
		   "CREATE TABLE accounts(id INTEGER PRIMARY KEY,"
		   " name TEXT NOT NULL UNIQUE COLLATE NOCASE, pwhash TEXT NOT NULL,"
		   " created INTEGER NOT NULL, last_login INTEGER NOT NULL DEFAULT 0,"
		   " last_host TEXT, flags INTEGER NOT NULL DEFAULT 0);"
		   "CREATE TABLE characters(id INTEGER PRIMARY KEY,"
		   " account_id INTEGER NOT NULL REFERENCES accounts(id),"
		   " name TEXT NOT NULL UNIQUE COLLATE NOCASE, level INTEGER NOT NULL DEFAULT 1,"
		   " room TEXT, created INTEGER NOT NULL, saved INTEGER NOT NULL DEFAULT 0,"
		   " played_s INTEGER NOT NULL DEFAULT 0,"
		   " data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)));"
		   "CREATE INDEX characters_account ON characters(account_id);"
		   "CREATE INDEX characters_level ON characters(level);"
		   "INSERT INTO accounts(id, name, pwhash, created) VALUES(1, 'Old', '%s', 1);"
		   "INSERT INTO characters(account_id, name, level, created, data)"
		   " VALUES(1, 'Old', 30, 1, '{\"v\":1}');"
		   "PRAGMA user_version = 1;",
		   buf_cstr(&h));
	raw_exec(fx, buf_cstr(&sql));
	buf_fini(&sql);
	buf_fini(&h);

	assert_non_null(fx_open(fx, &cheap));
	assert_int_equal(raw_int(fx, "PRAGMA user_version"), 2);
	assert_int_equal(store_char_load(fx->st, "old", &c), 0);
	assert_int_equal(c.level, 30);
	assert_string_equal(c.data, "{\"v\":1}");
	/* The new tables work, foreign keys included. */
	assert_int_equal(store_memory_put(fx->st, c.id, "a", "k", "v"), 0);
	assert_int_equal(store_memory_put(fx->st, c.id + 100, "a", "k", "v"), -ENOENT);
	store_char_fini(&c);
	assert_int_equal(store_audit(fx->st, "admin", "migrate", NULL), 0);
	p = pw("old pw");
	assert_int_equal(store_account_check(fx->st, "Old", p.s, NULL, NULL), 0);
}

static void test_newer_schema_refused(void **state)
{
	struct fx *fx = *state;

	raw_exec(fx, "CREATE TABLE t(x); PRAGMA user_version = 99;");
	assert_null(fx_open(fx, &cheap));
	assert_non_null(strstr(buf_cstr(&fx->err), "newer"));
	assert_true(fx->errors_logged > 0);
	/* Refused without being touched. */
	assert_int_equal(raw_int(fx, "PRAGMA user_version"), 99);
}

/* Writes len bytes of garbage at offset into the database file. */
static void scribble(struct fx *fx, long offset, size_t len)
{
	FILE *f = fopen(buf_cstr(&fx->path), "r+b");

	assert_non_null(f);
	assert_int_equal(fseek(f, offset, SEEK_SET), 0);
	for (size_t i = 0; i < len; i++)
		assert_int_not_equal(fputc((int)((i * 131 + 7) & 0xff), f), EOF);
	assert_int_equal(fclose(f), 0);
}

/* A database with enough rows to fill several pages. */
static void make_big(struct fx *fx)
{
	struct buf data;
	struct pw p;

	buf_init(&data, 0);
	buf_puts(&data, "{\"pad\":\"");
	for (int i = 0; i < 3000; i++)
		buf_putc(&data, 'x');
	buf_puts(&data, "\"}");
	assert_non_null(fx_open(fx, &cheap));
	for (int i = 0; i < 20; i++) {
		struct buf name;

		buf_init(&name, 0);
		buf_printf(&name, "Char%d", i);
		p = pw("pw");
		assert_int_equal(store_player_create(fx->st, buf_cstr(&name), p.s, NULL,
						     buf_cstr(&data), NULL, NULL),
				 0);
		buf_fini(&name);
	}
	fx_close(fx);
	buf_fini(&data);
}

static void test_corrupt_header_refused(void **state)
{
	struct fx *fx = *state;

	make_big(fx);
	scribble(fx, 0, 100);
	assert_null(fx_open(fx, &cheap));
	assert_non_null(strstr(buf_cstr(&fx->err), "refusing to start"));
	assert_true(fx->errors_logged > 0);
	assert_non_null(strstr(buf_cstr(&fx->last_log), "refusing to start"));
}

static void test_corrupt_pages_refused(void **state)
{
	struct fx *fx = *state;
	int64_t page;

	make_big(fx);
	page = raw_int(fx, "PRAGMA page_size");
	assert_true(raw_int(fx, "PRAGMA page_count") > 8);
	/* Pages 2 to 7: table roots and leaves. The header is intact. */
	scribble(fx, (long)page, (size_t)(6 * page));
	assert_null(fx_open(fx, &cheap));
	assert_non_null(strstr(buf_cstr(&fx->err), "refusing to start"));
	printf("# corrupt file refused with: %s\n", buf_cstr(&fx->err));
}

/* ---- failures the game must survive ------------------------------------------ */

static void test_read_only(void **state)
{
	struct fx *fx = *state;
	struct store_config ro = cheap;
	struct store_char_save sv = {.level = 5, .data = "{}"};
	struct store_stats stats;
	struct store_char c;
	struct buf v;
	int64_t id;
	struct pw p;

	assert_non_null(fx_open(fx, &cheap));
	p = pw("pw");
	assert_int_equal(store_player_create(fx->st, "Ayla", p.s, NULL, NULL, NULL, &id), 0);
	fx_close(fx);

	ro.read_only = true;
	assert_non_null(fx_open(fx, &ro));
	sv.id = id;
	assert_int_equal(store_char_save(fx->st, &sv), -EROFS);
	assert_int_equal(store_char_save_many(fx->st, &sv, 1, NULL), -EROFS);
	assert_int_equal(store_audit(fx->st, "a", "b", "c"), -EROFS);
	assert_int_equal(store_memory_put(fx->st, id, "a", "k", "v"), -EROFS);
	assert_int_equal(store_area_state_put(fx->st, "a", "{}"), -EROFS);
	p = pw("pw");
	assert_int_equal(store_account_create(fx->st, "Bran", p.s, NULL, NULL), -EROFS);
	assert_true(wiped(&p, 2));
	/* Logins still work; only their bookkeeping is lost (and logged). */
	p = pw("pw");
	assert_int_equal(store_account_check(fx->st, "Ayla", p.s, "host", NULL), 0);

	store_stats_get(fx->st, &stats);
	assert_int_equal(stats.saves_failed, 2);
	assert_int_equal(stats.saves_ok, 0);
	assert_int_equal(stats.last_err, -EROFS);
	assert_true(stats.errors >= 7);
	assert_true(stats.last_error_at > 0);
	assert_non_null(strstr(stats.last_error, "readonly"));
	assert_non_null(strstr(buf_cstr(&fx->last_log), "readonly"));

	/* No transaction was left open: reads carry on. */
	assert_int_equal(store_char_load(fx->st, "Ayla", &c), 0);
	assert_int_equal(c.level, 1);
	store_char_fini(&c);
	buf_init(&v, 0);
	assert_int_equal(store_area_state_get(fx->st, "a", &v, NULL), -ENOENT);
	buf_fini(&v);
	fx_close(fx);

	/* Writable again: everything works. */
	assert_non_null(fx_open(fx, &cheap));
	assert_int_equal(store_char_save(fx->st, &sv), 0);
	assert_int_equal(load_level(fx, "Ayla"), 5);
}

/*
 * Opens the write-protected file and checks that a save fails with -EROFS
 * and changes nothing. Plain checks, no cmocka asserts: as root this runs
 * in a child process. Returns 0, or the number of the check that failed.
 */
static int chmod_read_only_checks(struct fx *fx)
{
	struct store_char_save sv = {.name = "Ayla", .level = 5, .data = "{}"};
	struct store_char c;
	int level;

	fx->st = store_open(buf_cstr(&fx->path), &cheap, fx->lg, &fx->err);
	if (!fx->st)
		return 1;
	if (store_char_save(fx->st, &sv) != -EROFS)
		return 2;
	if (store_char_load(fx->st, "Ayla", &c) != 0)
		return 3;
	level = c.level;
	store_char_fini(&c);
	store_close(fx->st);
	fx->st = NULL;
	return level == 1 ? 0 : 4;
}

/*
 * The file itself write-protected: SQLite opens it read-only by itself.
 * Root ignores file modes, so as root the checks run in a child that has
 * dropped to the "nobody" user (uid/gid 65534) first.
 */
static void test_chmod_read_only(void **state)
{
	struct fx *fx = *state;
	struct pw p;
	int status;
	pid_t pid;

	assert_non_null(fx_open(fx, &cheap));
	p = pw("pw");
	assert_int_equal(store_player_create(fx->st, "Ayla", p.s, NULL, NULL, NULL, NULL), 0);
	fx_close(fx);
	assert_int_equal(chmod(buf_cstr(&fx->path), 0444), 0);
	if (geteuid() != 0) {
		assert_int_equal(chmod_read_only_checks(fx), 0);
	} else {
		/*
		 * nobody owns the folder (SQLite makes its -wal and -shm files
		 * there) but not the file, which stays root's and 0444.
		 */
		assert_int_equal(chown(buf_cstr(&fx->dir), 65534, 65534), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			if (setgid(65534) < 0 || setuid(65534) < 0)
				_exit(100);
			_exit(chmod_read_only_checks(fx));
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(chmod(buf_cstr(&fx->path), 0644), 0);
}

static void test_read_only_needs_migration(void **state)
{
	struct fx *fx = *state;
	struct store_config ro = cheap;

	raw_exec(fx, "CREATE TABLE t(x); PRAGMA user_version = 1;");
	ro.read_only = true;
	assert_null(fx_open(fx, &ro));
	assert_non_null(strstr(buf_cstr(&fx->err), "read-only"));
}

/* A database capped at its current size behaves like a full disk. */
static void test_disk_full(void **state)
{
	struct fx *fx = *state;
	struct store_config capped = cheap;
	struct store_char_save sv[2] = {{.level = 2}, {.level = 2}};
	struct store_stats stats;
	struct store_char c;
	struct buf big;
	int64_t ids[3];

	assert_non_null(fx_open(fx, &cheap));
	make_three(fx, ids);
	fx_close(fx);
	capped.max_pages = raw_int(fx, "PRAGMA page_count");
	assert_true(capped.max_pages > 0);
	assert_non_null(fx_open(fx, &capped));

	buf_init(&big, 0);
	buf_puts(&big, "{\"pad\":\"");
	for (int i = 0; i < 200000; i++)
		buf_putc(&big, 'y');
	buf_puts(&big, "\"}");
	sv[0].id = ids[0];
	sv[0].data = "{\"small\":1}";
	sv[1].id = ids[1];
	sv[1].data = buf_cstr(&big);
	assert_int_equal(store_char_save_many(fx->st, sv, 2, NULL), -ENOSPC);
	store_stats_get(fx->st, &stats);
	assert_int_equal(stats.last_err, -ENOSPC);
	assert_int_equal(stats.saves_failed, 1);
	assert_non_null(strstr(stats.last_error, "full"));

	/* Nothing of it landed, and the store carries on with what fits. */
	assert_int_equal(store_char_load(fx->st, "Ann", &c), 0);
	assert_string_equal(c.data, "{}");
	store_char_fini(&c);
	assert_int_equal(store_char_save(fx->st, &sv[0]), 0);
	assert_int_equal(load_level(fx, "Ann"), 2);
	buf_fini(&big);
}

static void test_open_failures(void **state)
{
	struct fx *fx = *state;
	struct store_config bad = {.hash = {1, 1024}};
	struct buf p;

	buf_init(&p, 0);
	buf_printf(&p, "%s/no/such/dir/ruin.db", buf_cstr(&fx->dir));
	assert_null(store_open(buf_cstr(&p), &cheap, fx->lg, &fx->err));
	assert_true(fx->err.len > 0);
	assert_null(store_open(buf_cstr(&fx->path), &bad, fx->lg, &fx->err));
	assert_non_null(strstr(buf_cstr(&fx->err), "cost"));
	assert_null(store_open(NULL, &cheap, fx->lg, NULL));
	assert_int_equal(access(buf_cstr(&fx->path), F_OK), -1);
	buf_fini(&p);
}

/* ---- scripting state and audit ------------------------------------------------------ */

static void test_memory_round_trip(void **state)
{
	struct fx *fx = *state;
	int64_t ids[3];
	struct buf v;

	assert_non_null(fx_open(fx, &cheap));
	make_three(fx, ids);
	buf_init(&v, 0);
	assert_int_equal(store_memory_get(fx->st, ids[0], "town", "met", &v), -ENOENT);
	assert_int_equal(store_memory_put(fx->st, ids[0], "town", "met", "yes"), 0);
	assert_int_equal(store_memory_put(fx->st, ids[0], "forest", "met", "no"), 0);
	assert_int_equal(store_memory_put(fx->st, ids[1], "town", "met", "twice"), 0);
	assert_int_equal(store_memory_put(fx->st, ids[0], "town", "empty", ""), 0);
	assert_int_equal(store_memory_get(fx->st, ids[0], "town", "met", &v), 0);
	assert_string_equal(buf_cstr(&v), "yes");
	assert_int_equal(store_memory_get(fx->st, ids[0], "forest", "met", &v), 0);
	assert_string_equal(buf_cstr(&v), "no");
	assert_int_equal(store_memory_get(fx->st, ids[1], "town", "met", &v), 0);
	assert_string_equal(buf_cstr(&v), "twice");
	assert_int_equal(store_memory_get(fx->st, ids[0], "town", "empty", &v), 0);
	assert_int_equal(v.len, 0);
	/* Overwrite, then delete. */
	assert_int_equal(store_memory_put(fx->st, ids[0], "town", "met", "again"), 0);
	assert_int_equal(store_memory_get(fx->st, ids[0], "town", "met", &v), 0);
	assert_string_equal(buf_cstr(&v), "again");
	assert_int_equal(store_memory_put(fx->st, ids[0], "town", "met", NULL), 0);
	assert_int_equal(store_memory_get(fx->st, ids[0], "town", "met", &v), -ENOENT);
	assert_int_equal(v.len, 0);
	/* A value larger than the caller's buffer is refused, not cut. */
	buf_fini(&v);
	buf_init(&v, 2);
	assert_int_equal(store_memory_get(fx->st, ids[1], "town", "met", &v), BUF_ERR_FULL);
	buf_fini(&v);
	/* Unknown character. */
	assert_int_equal(store_memory_put(fx->st, 9999, "town", "met", "x"), -ENOENT);
}

static void test_area_state_round_trip(void **state)
{
	struct fx *fx = *state;
	int64_t saved = 0;
	struct buf v;

	assert_non_null(fx_open(fx, &cheap));
	buf_init(&v, 0);
	assert_int_equal(store_area_state_get(fx->st, "town", &v, &saved), -ENOENT);
	assert_int_equal(store_area_state_put(fx->st, "town", "{\"bell\":3}"), 0);
	assert_int_equal(store_area_state_put(fx->st, "forest", "{}"), 0);
	assert_int_equal(store_area_state_get(fx->st, "town", &v, &saved), 0);
	assert_string_equal(buf_cstr(&v), "{\"bell\":3}");
	assert_true(saved > 0);
	assert_int_equal(store_area_state_put(fx->st, "town", "{\"bell\":4}"), 0);
	assert_int_equal(store_area_state_get(fx->st, "town", &v, NULL), 0);
	assert_string_equal(buf_cstr(&v), "{\"bell\":4}");
	assert_int_equal(store_area_state_put(fx->st, "town", NULL), 0);
	assert_int_equal(store_area_state_get(fx->st, "town", &v, NULL), -ENOENT);
	assert_int_equal(store_area_state_get(fx->st, "forest", &v, NULL), 0);
	assert_string_equal(buf_cstr(&v), "{}");
	buf_fini(&v);
}

static void test_audit_round_trip(void **state)
{
	struct fx *fx = *state;
	struct buf t;

	assert_non_null(fx_open(fx, &cheap));
	assert_int_equal(store_audit(fx->st, "Ayla", "login", "from 10.0.0.1"), 0);
	assert_int_equal(store_audit(fx->st, "console", "shutdown", NULL), 0);
	fx_close(fx);
	assert_int_equal(raw_int(fx, "SELECT count(*) FROM audit"), 2);
	assert_true(raw_int(fx, "SELECT min(at) FROM audit") > 0);
	buf_init(&t, 0);
	raw_text(fx, "SELECT actor || '|' || action || '|' || detail FROM audit ORDER BY id", &t);
	assert_string_equal(buf_cstr(&t), "Ayla|login|from 10.0.0.1");
	raw_text(fx, "SELECT action FROM audit WHERE detail IS NULL", &t);
	assert_string_equal(buf_cstr(&t), "shutdown");
	buf_fini(&t);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_account_create_check),
		T(test_name_case_insensitive),
		T(test_set_password),
		T(test_rehash_to_default),
		T(test_char_round_trip),
		T(test_char_create_rules),
		T(test_hostile_names),
		T(test_save_many_atomic),
		T(test_memory_saved_with_its_character),
		T(test_reopen_finds_data),
		T(test_migrate_from_empty),
		T(test_migrate_from_v1),
		T(test_newer_schema_refused),
		T(test_corrupt_header_refused),
		T(test_corrupt_pages_refused),
		T(test_read_only),
		T(test_chmod_read_only),
		T(test_read_only_needs_migration),
		T(test_disk_full),
		T(test_open_failures),
		T(test_memory_round_trip),
		T(test_area_state_round_trip),
		T(test_audit_round_trip),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
