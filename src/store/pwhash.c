/*
 * pwhash.c: argon2id through libsodium's crypto_pwhash_str family.
 *
 * A thin layer: it resolves default costs, checks them against libsodium's
 * bounds, and turns libsodium's -1 into errno-style answers. Read
 * pwhash_hash() first.
 */
#include "store/pwhash.h"

#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "base/banned.h"

_Static_assert(PWHASH_STR_MAX == crypto_pwhash_STRBYTES, "PWHASH_STR_MAX must match libsodium");
_Static_assert(PWHASH_MEM_MIN == crypto_pwhash_argon2id_MEMLIMIT_MIN, "PWHASH_MEM_MIN");
_Static_assert(PWHASH_OPS_MIN == crypto_pwhash_argon2id_OPSLIMIT_MIN, "PWHASH_OPS_MIN");

/* Fills in the defaults for zero fields. */
static struct pwhash_params pwhash_resolve(const struct pwhash_params *p)
{
	struct pwhash_params r = {PWHASH_OPS_DEFAULT, PWHASH_MEM_DEFAULT};

	if (p && p->ops)
		r.ops = p->ops;
	if (p && p->mem)
		r.mem = p->mem;
	return r;
}

int pwhash_init(void)
{
	/* 0 the first time, 1 when already initialised, -1 on failure. */
	return sodium_init() < 0 ? -EIO : 0;
}

int pwhash_params_check(const struct pwhash_params *p)
{
	struct pwhash_params r = pwhash_resolve(p);

	if (r.ops < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
	    r.ops > crypto_pwhash_argon2id_OPSLIMIT_MAX)
		return -EINVAL;
	if (r.mem < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
	    r.mem > crypto_pwhash_argon2id_MEMLIMIT_MAX)
		return -EINVAL;
	return 0;
}

int pwhash_hash(const struct pwhash_params *p, const char *password, size_t len, struct buf *out)
{
	struct pwhash_params r = pwhash_resolve(p);
	char hash[crypto_pwhash_STRBYTES];
	int rc;

	buf_clear(out);
	if (pwhash_params_check(&r) < 0)
		return -EINVAL;
	/*
	 * crypto_pwhash_str picks the salt and writes the algorithm, version,
	 * costs, salt and digest as one string; it fails only when argon2
	 * cannot allocate its memory.
	 */
	if (crypto_pwhash_str_alg(hash, password, len, r.ops, r.mem,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return -ENOMEM;
	rc = buf_puts(out, hash);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

/* libsodium verifies both argon2 variants; anything else is not ours. */
static bool pwhash_is_argon2(const char *hash)
{
	return strncmp(hash, "$argon2id$", 10) == 0 || strncmp(hash, "$argon2i$", 9) == 0;
}

int pwhash_verify(const char *hash, const char *password, size_t len)
{
	if (!hash || !pwhash_is_argon2(hash) || strlen(hash) >= crypto_pwhash_STRBYTES)
		return -EINVAL;
	return crypto_pwhash_str_verify(hash, password, len) == 0 ? 0 : -EACCES;
}

bool pwhash_needs_rehash(const struct pwhash_params *p, const char *hash)
{
	struct pwhash_params r = pwhash_resolve(p);

	/* Anything but argon2id (argon2i included) is upgraded. */
	if (!hash || strncmp(hash, "$argon2id$", 10) != 0)
		return true;
	/* 0: same algorithm and costs; 1: different; -1: not a valid string. */
	return crypto_pwhash_str_needs_rehash(hash, r.ops, r.mem) != 0;
}
