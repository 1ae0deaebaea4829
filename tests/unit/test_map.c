/*
 * test_map.c: the string-keyed hash map (src/base/map.h).
 *
 * Basic put/get/del, replacement, case-insensitive maps, thousands of keys
 * with deletes and reinserts (tombstones), churn that must not grow the
 * table, and iteration including removal of the current key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/map.h"
#include "base/banned.h"

#define MANY 10000

/* Values are small integers stored as pointers; 0 is avoided (NULL). */
#define V(i) ((void *)(uintptr_t)(i))
#define I(p) ((size_t)(uintptr_t)(p))

static void key_of(char *out, size_t size, size_t i)
{
	snprintf(out, size, "key-%zu", i);
}

static void test_empty(void **state)
{
	struct map m;
	size_t pos = 0;

	(void)state;
	map_init(&m, false);
	assert_null(map_get(&m, "x"));
	assert_false(map_has(&m, "x"));
	assert_null(map_del(&m, "x"));
	assert_false(map_next(&m, &pos, NULL, NULL));
	assert_int_equal(m.count, 0);
	map_fini(&m);
	map_fini(&m); /* twice is harmless */
}

static void test_put_get_del(void **state)
{
	struct map m;
	int a, b, c;

	(void)state;
	map_init(&m, false);
	assert_null(map_put(&m, "alpha", &a));
	assert_null(map_put(&m, "beta", &b));
	assert_null(map_put(&m, "", &c));
	assert_int_equal(m.count, 3);
	assert_ptr_equal(map_get(&m, "alpha"), &a);
	assert_ptr_equal(map_get(&m, "beta"), &b);
	assert_ptr_equal(map_get(&m, ""), &c);
	assert_null(map_get(&m, "gamma"));
	assert_null(map_get(&m, "alph"));
	assert_null(map_get(&m, "alphaa"));
	assert_true(map_has(&m, "beta"));
	assert_ptr_equal(map_del(&m, "beta"), &b);
	assert_int_equal(m.count, 2);
	assert_null(map_get(&m, "beta"));
	assert_false(map_has(&m, "beta"));
	assert_null(map_del(&m, "beta"));
	assert_int_equal(m.count, 2);
	assert_ptr_equal(map_get(&m, "alpha"), &a);
	map_fini(&m);
}

static void test_replace_returns_old(void **state)
{
	struct map m;
	int a, b;

	(void)state;
	map_init(&m, false);
	assert_null(map_put(&m, "k", &a));
	assert_ptr_equal(map_put(&m, "k", &b), &a);
	assert_int_equal(m.count, 1);
	assert_ptr_equal(map_get(&m, "k"), &b);
	assert_ptr_equal(map_put(&m, "k", NULL), &b);
	assert_int_equal(m.count, 1);
	/* A NULL value is still a present key. */
	assert_true(map_has(&m, "k"));
	assert_null(map_get(&m, "k"));
	assert_null(map_del(&m, "k"));
	assert_false(map_has(&m, "k"));
	assert_int_equal(m.count, 0);
	map_fini(&m);
}

static void test_keys_are_copied(void **state)
{
	struct map m;
	char key[16] = "mutable";
	const char *stored = NULL;
	size_t pos = 0;

	(void)state;
	map_init(&m, false);
	map_put(&m, key, V(1));
	key[0] = 'X';
	assert_ptr_equal(map_get(&m, "mutable"), V(1));
	assert_null(map_get(&m, key));
	assert_true(map_next(&m, &pos, &stored, NULL));
	assert_string_equal(stored, "mutable");
	assert_ptr_not_equal(stored, key);
	map_fini(&m);
}

static void test_case_sensitive(void **state)
{
	struct map m;

	(void)state;
	map_init(&m, false);
	map_put(&m, "North", V(1));
	map_put(&m, "north", V(2));
	assert_int_equal(m.count, 2);
	assert_ptr_equal(map_get(&m, "North"), V(1));
	assert_ptr_equal(map_get(&m, "north"), V(2));
	assert_null(map_get(&m, "NORTH"));
	map_fini(&m);
}

static void test_nocase(void **state)
{
	struct map m;
	const char *key = NULL;
	void *val = NULL;
	size_t pos = 0;

	(void)state;
	map_init(&m, true);
	assert_null(map_put(&m, "Gandalf", V(1)));
	assert_ptr_equal(map_get(&m, "gandalf"), V(1));
	assert_ptr_equal(map_get(&m, "GANDALF"), V(1));
	assert_true(map_has(&m, "gAnDaLf"));
	/* Same key in another case replaces, and keeps the first spelling. */
	assert_ptr_equal(map_put(&m, "GANDALF", V(2)), V(1));
	assert_int_equal(m.count, 1);
	assert_true(map_next(&m, &pos, &key, &val));
	assert_string_equal(key, "Gandalf");
	assert_ptr_equal(val, V(2));
	assert_false(map_next(&m, &pos, &key, &val));
	assert_ptr_equal(map_del(&m, "gANDALF"), V(2));
	assert_int_equal(m.count, 0);
	/* Only ASCII folds: other bytes must match exactly. */
	map_put(&m, "\xC3\xA9lan", V(3));
	assert_null(map_get(&m, "\xC3\x89LAN"));
	assert_ptr_equal(map_get(&m, "\xC3\xA9LAN"), V(3));
	map_fini(&m);
}

static void test_hash(void **state)
{
	(void)state;
	/* FNV-1a 32-bit reference values. */
	assert_int_equal(map_hash("", false), 0x811c9dc5u);
	assert_int_equal(map_hash("a", false), 0xe40c292cu);
	assert_int_equal(map_hash("foobar", false), 0xbf9cf968u);
	assert_int_equal(map_hash("FooBar", true), 0xbf9cf968u);
	assert_int_not_equal(map_hash("FooBar", false), 0xbf9cf968u);
}

static void test_many_keys_with_tombstones(void **state)
{
	struct map m;
	char key[32];

	(void)state;
	map_init(&m, false);
	for (size_t i = 1; i <= MANY; i++) {
		key_of(key, sizeof(key), i);
		assert_null(map_put(&m, key, V(i)));
	}
	assert_int_equal(m.count, MANY);
	assert_true(m.used * 4 < m.cap * 3);
	for (size_t i = 1; i <= MANY; i++) {
		key_of(key, sizeof(key), i);
		assert_ptr_equal(map_get(&m, key), V(i));
	}
	/* Delete every odd key: the table is now full of tombstones. */
	for (size_t i = 1; i <= MANY; i += 2) {
		key_of(key, sizeof(key), i);
		assert_ptr_equal(map_del(&m, key), V(i));
	}
	assert_int_equal(m.count, MANY / 2);
	for (size_t i = 1; i <= MANY; i++) {
		key_of(key, sizeof(key), i);
		if (i % 2)
			assert_false(map_has(&m, key));
		else
			assert_ptr_equal(map_get(&m, key), V(i));
	}
	/* Reinsert them with new values; the even ones are untouched. */
	for (size_t i = 1; i <= MANY; i += 2) {
		key_of(key, sizeof(key), i);
		assert_null(map_put(&m, key, V(i + MANY)));
	}
	assert_int_equal(m.count, MANY);
	for (size_t i = 1; i <= MANY; i++) {
		key_of(key, sizeof(key), i);
		assert_ptr_equal(map_get(&m, key), V(i % 2 ? i + MANY : i));
	}
	/* Keys never inserted are still absent. */
	for (size_t i = MANY + 1; i <= MANY + 1000; i++) {
		key_of(key, sizeof(key), i);
		assert_null(map_get(&m, key));
	}
	map_fini(&m);
	assert_int_equal(m.count, 0);
	assert_null(m.slots);
}

static void test_churn_does_not_grow(void **state)
{
	struct map m;
	char key[32];

	(void)state;
	/* Insert-then-delete of always new keys leaves only tombstones behind:
	 * the table must be rebuilt in place, not doubled, and lookups must end. */
	map_init(&m, false);
	map_put(&m, "resident", V(7));
	for (size_t i = 1; i <= 50000; i++) {
		key_of(key, sizeof(key), i);
		assert_null(map_put(&m, key, V(i)));
		assert_ptr_equal(map_del(&m, key), V(i));
		assert_false(map_has(&m, "absent"));
	}
	assert_int_equal(m.count, 1);
	assert_true(m.cap <= 32);
	assert_ptr_equal(map_get(&m, "resident"), V(7));
	map_fini(&m);
}

static void test_iteration_visits_each_once(void **state)
{
	static unsigned char seen[MANY + 1];
	struct map m;
	char key[32];
	const char *k;
	void *v;
	size_t pos = 0, visits = 0;

	(void)state;
	memset(seen, 0, sizeof(seen));
	map_init(&m, false);
	for (size_t i = 1; i <= MANY; i++) {
		key_of(key, sizeof(key), i);
		map_put(&m, key, V(i));
	}
	for (size_t i = 3; i <= MANY; i += 3) {
		key_of(key, sizeof(key), i);
		map_del(&m, key);
	}
	while (map_next(&m, &pos, &k, &v)) {
		size_t i = I(v);

		assert_true(i >= 1 && i <= MANY);
		assert_int_not_equal(i % 3, 0);
		assert_int_equal(seen[i], 0);
		seen[i] = 1;
		key_of(key, sizeof(key), i);
		assert_string_equal(k, key);
		visits++;
	}
	assert_int_equal(visits, m.count);
	assert_int_equal(visits, MANY - MANY / 3);
	/* Done stays done. */
	assert_false(map_next(&m, &pos, &k, &v));
	map_fini(&m);
}

static void test_delete_during_iteration(void **state)
{
	static unsigned char seen[MANY + 1];
	struct map m;
	char key[32];
	const char *k;
	void *v;
	size_t pos = 0, visits = 0;

	(void)state;
	memset(seen, 0, sizeof(seen));
	map_init(&m, true);
	for (size_t i = 1; i <= MANY; i++) {
		key_of(key, sizeof(key), i);
		map_put(&m, key, V(i));
	}
	/* Remove the current key when it is even: every key is still seen once. */
	while (map_next(&m, &pos, &k, &v)) {
		size_t i = I(v);

		assert_int_equal(seen[i], 0);
		seen[i] = 1;
		visits++;
		if (i % 2 == 0)
			assert_ptr_equal(map_del(&m, k), v);
	}
	assert_int_equal(visits, MANY);
	assert_int_equal(m.count, MANY / 2);
	for (size_t i = 1; i <= MANY; i++) {
		key_of(key, sizeof(key), i);
		assert_int_equal(map_has(&m, key), i % 2 == 1);
	}
	/* Then empty it completely the same way. */
	pos = 0;
	while (map_next(&m, &pos, &k, NULL))
		map_del(&m, k);
	assert_int_equal(m.count, 0);
	pos = 0;
	assert_false(map_next(&m, &pos, NULL, NULL));
	/* And it still works afterwards. */
	map_put(&m, "again", V(1));
	assert_ptr_equal(map_get(&m, "AGAIN"), V(1));
	map_fini(&m);
}

static void test_reuse_after_fini(void **state)
{
	struct map m;

	(void)state;
	map_init(&m, true);
	map_put(&m, "a", V(1));
	map_fini(&m);
	assert_null(map_get(&m, "a"));
	map_put(&m, "B", V(2));
	assert_ptr_equal(map_get(&m, "b"), V(2));
	assert_int_equal(m.count, 1);
	map_fini(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_put_get_del),
		cmocka_unit_test(test_replace_returns_old),
		cmocka_unit_test(test_keys_are_copied),
		cmocka_unit_test(test_case_sensitive),
		cmocka_unit_test(test_nocase),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_many_keys_with_tombstones),
		cmocka_unit_test(test_churn_does_not_grow),
		cmocka_unit_test(test_iteration_visits_each_once),
		cmocka_unit_test(test_delete_during_iteration),
		cmocka_unit_test(test_reuse_after_fini),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
