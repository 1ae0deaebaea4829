/*
 * test_pwhash.c: argon2id hashing, verification and rehash detection.
 * Most tests use libsodium's cheapest cost; test_default_cost measures and
 * prints what one hash costs the game thread at the shipped default.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/clock.h"
#include "store/pwhash.h"
#include "base/banned.h"

static const struct pwhash_params cheap = {PWHASH_OPS_MIN, PWHASH_MEM_MIN};

static int setup(void **state)
{
	(void)state;
	return pwhash_init();
}

static void test_init_twice(void **state)
{
	(void)state;
	assert_int_equal(pwhash_init(), 0);
	assert_int_equal(pwhash_init(), 0);
}

static void test_params_check(void **state)
{
	struct pwhash_params p = {0, 0};

	(void)state;
	assert_int_equal(pwhash_params_check(NULL), 0);
	assert_int_equal(pwhash_params_check(&p), 0);
	assert_int_equal(pwhash_params_check(&cheap), 0);
	p.mem = PWHASH_MEM_MIN - 1;
	assert_int_equal(pwhash_params_check(&p), -EINVAL);
	p.mem = PWHASH_MEM_DEFAULT;
	p.ops = (unsigned long long)UINT32_MAX + 1;
	assert_int_equal(pwhash_params_check(&p), -EINVAL);
}

static void test_hash_verify(void **state)
{
	struct buf h1, h2;

	(void)state;
	buf_init(&h1, 0);
	buf_init(&h2, 0);
	assert_int_equal(pwhash_hash(&cheap, "correct horse", 13, &h1), 0);
	assert_true(strncmp(buf_cstr(&h1), "$argon2id$v=19$m=8,t=1,p=1$", 27) == 0);
	assert_true(h1.len < PWHASH_STR_MAX);
	assert_int_equal(pwhash_verify(buf_cstr(&h1), "correct horse", 13), 0);
	assert_int_equal(pwhash_verify(buf_cstr(&h1), "correct horsE", 13), -EACCES);
	assert_int_equal(pwhash_verify(buf_cstr(&h1), "correct hors", 12), -EACCES);
	assert_int_equal(pwhash_verify(buf_cstr(&h1), "", 0), -EACCES);

	/* A fresh salt every time: the same password never gives the same string. */
	assert_int_equal(pwhash_hash(&cheap, "correct horse", 13, &h2), 0);
	assert_string_not_equal(buf_cstr(&h1), buf_cstr(&h2));
	assert_int_equal(pwhash_verify(buf_cstr(&h2), "correct horse", 13), 0);
	buf_fini(&h1);
	buf_fini(&h2);
}

static void test_any_bytes(void **state)
{
	static const char pw[] = "ab\0cd\xff\x01";
	struct buf h;

	(void)state;
	buf_init(&h, 0);
	assert_int_equal(pwhash_hash(&cheap, pw, sizeof(pw) - 1, &h), 0);
	assert_int_equal(pwhash_verify(buf_cstr(&h), pw, sizeof(pw) - 1), 0);
	assert_int_equal(pwhash_verify(buf_cstr(&h), pw, 2), -EACCES);
	buf_fini(&h);
}

static void test_bad_hash_strings(void **state)
{
	(void)state;
	assert_int_equal(pwhash_verify(NULL, "x", 1), -EINVAL);
	assert_int_equal(pwhash_verify("", "x", 1), -EINVAL);
	assert_int_equal(pwhash_verify("$2b$10$abcdefghijklmnopqrstuv", "x", 1), -EINVAL);
	assert_int_equal(pwhash_verify("plaintext", "plaintext", 9), -EINVAL);
	/* argon2 prefix but mangled body: a mismatch, never a crash or a match. */
	assert_int_equal(pwhash_verify("$argon2id$v=19$m=8,t=1,p=1$garbage", "x", 1), -EACCES);
}

static void test_out_too_small(void **state)
{
	struct buf h;

	(void)state;
	buf_init(&h, 16);
	assert_int_equal(pwhash_hash(&cheap, "pw", 2, &h), BUF_ERR_FULL);
	buf_fini(&h);
}

static void test_bad_params_refused(void **state)
{
	struct pwhash_params p = {1, 1024};
	struct buf h;

	(void)state;
	buf_init(&h, 0);
	assert_int_equal(pwhash_hash(&p, "pw", 2, &h), -EINVAL);
	assert_int_equal(h.len, 0);
	buf_fini(&h);
}

static void test_needs_rehash(void **state)
{
	struct pwhash_params other = {2, 16384};
	struct buf h;

	(void)state;
	buf_init(&h, 0);
	assert_int_equal(pwhash_hash(&cheap, "pw", 2, &h), 0);
	assert_false(pwhash_needs_rehash(&cheap, buf_cstr(&h)));
	assert_true(pwhash_needs_rehash(&other, buf_cstr(&h)));
	assert_true(pwhash_needs_rehash(NULL, buf_cstr(&h)));
	assert_true(pwhash_needs_rehash(&cheap, "garbage"));
	assert_true(pwhash_needs_rehash(&cheap, NULL));
	/* An argon2i hash verifies but is upgraded to argon2id. */
	assert_true(pwhash_needs_rehash(
		&cheap, "$argon2i$v=19$m=8,t=1,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"));
	buf_fini(&h);
}

static void test_default_cost(void **state)
{
	struct buf h;
	int64_t t0, hash_us, verify_us;

	(void)state;
	buf_init(&h, 0);
	t0 = clock_mono_us();
	assert_int_equal(pwhash_hash(NULL, "hunter2", 7, &h), 0);
	hash_us = clock_mono_us() - t0;
	assert_true(strncmp(buf_cstr(&h), "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
	assert_false(pwhash_needs_rehash(NULL, buf_cstr(&h)));
	t0 = clock_mono_us();
	assert_int_equal(pwhash_verify(buf_cstr(&h), "hunter2", 7), 0);
	verify_us = clock_mono_us() - t0;
	printf("# argon2id at the default cost (t=2, m=19 MiB): hash %.1f ms, verify %.1f ms"
	       " on the game thread\n",
	       (double)hash_us / 1000.0, (double)verify_us / 1000.0);
	buf_fini(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_twice),	   cmocka_unit_test(test_params_check),
		cmocka_unit_test(test_hash_verify),	   cmocka_unit_test(test_any_bytes),
		cmocka_unit_test(test_bad_hash_strings),   cmocka_unit_test(test_out_too_small),
		cmocka_unit_test(test_bad_params_refused), cmocka_unit_test(test_needs_rehash),
		cmocka_unit_test(test_default_cost),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
