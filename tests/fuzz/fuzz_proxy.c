/*
 * fuzz_proxy.c: the PROXY protocol v1 parser (src/net/proxy.h).
 *
 * The first input byte seeds how the rest (the stream) is cut into pieces
 * for proxy_feed(); the checks are the header's promises: the whole-buffer
 * verdict and the fed one agree (same verdict, same line length, same
 * addresses); a verdict, once reached for a prefix, stays for every longer
 * prefix; NEED_MORE never comes back at PROXY_V1_MAX bytes or more; an OK
 * line ends in CRLF within the stream and its addresses format.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "net/addr.h"
#include "net/proxy.h"
#include "base/banned.h"

static bool fuzz_proxy_same_info(const struct proxy_info *a, const struct proxy_info *b)
{
	char x[ADDR_STRLEN], y[ADDR_STRLEN];

	if (a->known != b->known || a->consumed != b->consumed)
		return false;
	if (!a->known)
		return true;
	if (addr_format(&a->src, x, sizeof(x)) < 0 || addr_format(&b->src, y, sizeof(y)) < 0 ||
	    strcmp(x, y) != 0 || a->src.port != b->src.port)
		return false;
	if (addr_format(&a->dst, x, sizeof(x)) < 0 || addr_format(&b->dst, y, sizeof(y)) < 0 ||
	    strcmp(x, y) != 0 || a->dst.port != b->dst.port)
		return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s;
	size_t n, off = 0, fed = 0, limit;
	unsigned seed;
	struct proxy_info whole, prefix;
	enum proxy_result r, first = PROXY_NEED_MORE, got = PROXY_NEED_MORE;
	struct proxy p;

	if (size < 1)
		return 0;
	seed = data[0] | 1u;
	s = (const char *)data + 1;
	n = size - 1;

	memset(&whole, 0, sizeof(whole));
	r = proxy_parse(s, n, &whole);
	FUZZ_CHECK(r == PROXY_NEED_MORE || r == PROXY_OK || r == PROXY_NOT_PROXY ||
		   r == PROXY_INVALID);
	FUZZ_CHECK(proxy_result_name(r) != NULL);
	if (n >= PROXY_V1_MAX)
		FUZZ_CHECK(r != PROXY_NEED_MORE);
	if (r == PROXY_OK) {
		FUZZ_CHECK(whole.consumed >= 2 && whole.consumed <= n &&
			   whole.consumed <= PROXY_V1_MAX);
		FUZZ_CHECK(memcmp(s + whole.consumed - 2, "\r\n", 2) == 0);
		FUZZ_CHECK(memcmp(s, PROXY_V1_SIG, PROXY_V1_SIG_LEN) == 0);
	}

	/* Every prefix: the first decided verdict holds from there on. */
	limit = n < 2 * PROXY_V1_MAX ? n : 2 * PROXY_V1_MAX;
	for (size_t k = 0; k <= limit; k++) {
		enum proxy_result rk = proxy_parse(s, k, &prefix);

		if (first == PROXY_NEED_MORE) {
			first = rk;
			continue;
		}
		FUZZ_CHECK(rk == first);
	}
	if (first != PROXY_NEED_MORE)
		FUZZ_CHECK(first == r);

	/* Fed in pieces of 1 to 8 bytes. */
	proxy_init(&p);
	while (off < n) {
		size_t len, used = 0;

		seed = seed * 1103515245u + 12345u;
		len = 1 + (seed >> 16) % 8;
		if (len > n - off)
			len = n - off;
		got = proxy_feed(&p, s + off, len, &used);
		if (got == PROXY_NEED_MORE) {
			FUZZ_CHECK(used == len);
			fed += len;
			off += len;
			continue;
		}
		if (got == PROXY_OK) {
			FUZZ_CHECK(used <= len);
			fed += used;
		} else {
			FUZZ_CHECK(used == 0);
		}
		break;
	}
	FUZZ_CHECK(got == r);
	if (got == PROXY_OK) {
		FUZZ_CHECK(fed == whole.consumed);
		FUZZ_CHECK(fuzz_proxy_same_info(&p.info, &whole));
	}
	return 0;
}
