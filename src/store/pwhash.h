/*
 * pwhash.h: password hashing with argon2id (libsodium crypto_pwhash_str).
 *
 * A hash is the self-describing string libsodium writes
 * ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash"), so the cost it was made
 * with travels with it and pwhash_needs_rehash() can tell when the
 * configured cost has changed.
 *
 * These are the primitives: they never log, keep or copy a password, and
 * they do NOT wipe the caller's buffer. The public API that takes passwords
 * from the game is store.h, and it wipes (see there). Start with
 * pwhash_init(), then pwhash_hash() and pwhash_verify().
 *
 * Cost: every call runs on the single game thread. The defaults are OWASP's
 * argon2id recommendation (t=2, m=19 MiB, p=1); test_pwhash prints how long
 * one hash takes on this machine.
 */
#ifndef RUIN_STORE_PWHASH_H
#define RUIN_STORE_PWHASH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

#define PWHASH_OPS_DEFAULT 2ULL
#define PWHASH_MEM_DEFAULT ((size_t)19 * 1024 * 1024)
/* libsodium's lower bounds for argon2id; cheaper costs are refused. */
#define PWHASH_OPS_MIN 1ULL
#define PWHASH_MEM_MIN ((size_t)8192)
/* The longest hash string, NUL included (crypto_pwhash_STRBYTES). */
#define PWHASH_STR_MAX 128

struct pwhash_params {
	unsigned long long ops; /* argon2id passes (t); 0 means PWHASH_OPS_DEFAULT */
	size_t mem;		/* bytes of memory (m); 0 means PWHASH_MEM_DEFAULT */
};

/*
 * Initialises libsodium (sodium_init). Safe to call more than once.
 * 0, or -EIO if libsodium cannot start (no usable random source).
 */
int pwhash_init(void);

/*
 * Checks params (0 fields mean the defaults): 0, or -EINVAL if a cost is
 * below the minimum or above what libsodium accepts.
 */
int pwhash_params_check(const struct pwhash_params *p);

/*
 * Hashes the len bytes of password with params p (NULL = defaults) and
 * appends the NUL-terminated hash string to out (cleared first).
 * 0; -EINVAL for bad params; -ENOMEM if argon2 cannot get its memory;
 * BUF_ERR_FULL if out cannot hold the hash. pwhash_init() must have run.
 */
int pwhash_hash(const struct pwhash_params *p, const char *password, size_t len, struct buf *out);

/*
 * Verifies password against a stored hash string.
 * 0 if it matches, -EACCES if it does not, -EINVAL if hash is not an
 * argon2 hash string libsodium understands.
 */
int pwhash_verify(const char *hash, const char *password, size_t len);

/*
 * True if hash was not made with exactly params p (NULL = defaults), or is
 * not a valid hash string: the caller should rehash the password it has
 * just verified.
 */
bool pwhash_needs_rehash(const struct pwhash_params *p, const char *hash);

#endif
