/*
 * test_proxy.c: the PROXY protocol v1 parser (src/net/proxy.h).
 *
 * Valid TCP4, TCP6 and UNKNOWN lines, whole and fed at every split offset
 * and byte by byte, with data after the line; streams that are not PROXY;
 * and hostile lines: no CRLF within 107 bytes, bare LF, double spaces,
 * wrong families, bad ports, control and high bytes. Every prefix of a
 * hostile line must be NEED_MORE or INVALID, never OK.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/proxy.h"
#include "base/banned.h"

static void assert_addr(const struct addr *a, const char *text, unsigned port)
{
	char out[ADDR_STRLEN];

	assert_int_equal(addr_format(a, out, sizeof(out)), 0);
	assert_string_equal(out, text);
	assert_int_equal(a->port, port);
}

static void test_tcp4_whole(void **state)
{
	const char *line = "PROXY TCP4 1.2.3.4 127.0.0.1 56324 4000\r\n";
	struct proxy_info info;

	(void)state;
	assert_int_equal(proxy_parse(line, strlen(line), &info), PROXY_OK);
	assert_true(info.known);
	assert_int_equal(info.consumed, strlen(line));
	assert_int_equal(info.src.family, AF_INET);
	assert_addr(&info.src, "1.2.3.4", 56324);
	assert_addr(&info.dst, "127.0.0.1", 4000);
}

static void test_tcp6_whole(void **state)
{
	const char *line = "PROXY TCP6 2001:db8::1 ::1 65535 0\r\nafter";
	struct proxy_info info;

	(void)state;
	assert_int_equal(proxy_parse(line, strlen(line), &info), PROXY_OK);
	assert_true(info.known);
	assert_int_equal(info.consumed, strlen(line) - strlen("after"));
	assert_int_equal(info.src.family, AF_INET6);
	assert_addr(&info.src, "2001:db8::1", 65535);
	assert_addr(&info.dst, "::1", 0);
}

static void test_tcp6_mapped_is_ipv4(void **state)
{
	const char *line = "PROXY TCP6 ::ffff:198.51.100.9 ::ffff:127.0.0.1 1 2\r\n";
	struct proxy_info info;

	(void)state;
	assert_int_equal(proxy_parse(line, strlen(line), &info), PROXY_OK);
	assert_int_equal(info.src.family, AF_INET);
	assert_addr(&info.src, "198.51.100.9", 1);
}

static void test_unknown(void **state)
{
	struct proxy_info info;
	const char *a = "PROXY UNKNOWN\r\n";
	const char *b = "PROXY UNKNOWN ffff::1 ::1 1 2 whatever\r\nxyz";

	(void)state;
	assert_int_equal(proxy_parse(a, strlen(a), &info), PROXY_OK);
	assert_false(info.known);
	assert_int_equal(info.consumed, strlen(a));
	assert_int_equal(proxy_parse(b, strlen(b), &info), PROXY_OK);
	assert_false(info.known);
	assert_int_equal(info.consumed, strlen(b) - 3);
	/* UNKNOWN must be the whole word. */
	assert_int_equal(proxy_parse("PROXY UNKNOWNX\r\n", 16, &info), PROXY_INVALID);
}

/* Feeds line+data split at every offset and byte by byte; checks what comes out. */
static void check_feed_splits(const char *stream, size_t line_len, const char *src, unsigned sport)
{
	size_t n = strlen(stream), split;

	for (split = 0; split <= n; split++) {
		struct proxy p;
		size_t used, data_at;
		enum proxy_result r;

		proxy_init(&p);
		r = proxy_feed(&p, stream, split, &used);
		if (split < line_len) {
			assert_int_equal(r, PROXY_NEED_MORE);
			assert_int_equal(used, split);
			r = proxy_feed(&p, stream + split, n - split, &used);
			assert_int_equal(r, PROXY_OK);
			data_at = split + used;
		} else {
			assert_int_equal(r, PROXY_OK);
			data_at = used;
		}
		assert_int_equal(data_at, line_len);
		assert_int_equal(p.info.consumed, line_len);
		if (src)
			assert_addr(&p.info.src, src, sport);
		/* Decided: later feeds take nothing. */
		assert_int_equal(proxy_feed(&p, "x", 1, &used), PROXY_OK);
		assert_int_equal(used, 0);
	}

	/* Byte by byte. */
	{
		struct proxy p;
		size_t i, used = 0;
		enum proxy_result r = PROXY_NEED_MORE;

		proxy_init(&p);
		for (i = 0; i < n; i++) {
			r = proxy_feed(&p, stream + i, 1, &used);
			if (r != PROXY_NEED_MORE)
				break;
		}
		assert_int_equal(r, PROXY_OK);
		assert_int_equal(i + 1, line_len);
		assert_int_equal(used, 1);
	}
}

static void test_feed_every_split(void **state)
{
	const char *s4 = "PROXY TCP4 203.0.113.7 10.0.0.1 56324 4000\r\nhello\r\n";
	const char *s6 = "PROXY TCP6 2001:db8:0:1::ff ::1 1234 4000\r\n\xff\xfb\x18";
	const char *su = "PROXY UNKNOWN\r\nlook\r\n";

	(void)state;
	check_feed_splits(s4, strlen(s4) - strlen("hello\r\n"), "203.0.113.7", 56324);
	check_feed_splits(s6, strlen(s6) - 3, "2001:db8:0:1::ff", 1234);
	check_feed_splits(su, strlen(su) - strlen("look\r\n"), NULL, 0);
}

static void test_not_proxy(void **state)
{
	static const char *streams[] = {
		"\xff\xfb\x01",
		"GET / HTTP/1.1\r\n",
		"proxy TCP4 1.2.3.4 1.2.3.4 1 2\r\n",
		"PROXY\r\n",
		"PROXz",
		"P",
		"PROBE\r\n",
		"\r\n",
		"PROXY"
		"\x00",
	};
	static const size_t lens[] = {3, 16, 32, 7, 5, 1, 7, 2, 6};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(streams) / sizeof(streams[0]); i++) {
		const char *s = streams[i];
		size_t n = lens[i], split, j;
		enum proxy_result whole = proxy_parse(s, n, NULL);

		if (strcmp(s, "P") == 0) {
			/* A lone "P" could still become "PROXY ". */
			assert_int_equal(whole, PROXY_NEED_MORE);
			continue;
		}
		assert_int_equal(whole, PROXY_NOT_PROXY);
		/* Fed in two pieces, the bytes held plus the rest make the stream again. */
		for (split = 0; split <= n; split++) {
			struct proxy p;
			size_t used;
			enum proxy_result r;
			char joined[64];
			size_t jl;

			proxy_init(&p);
			r = proxy_feed(&p, s, split, &used);
			if (r == PROXY_NOT_PROXY) {
				assert_int_equal(used, 0);
				assert_int_equal(p.len, 0);
				continue;
			}
			assert_int_equal(r, PROXY_NEED_MORE);
			r = proxy_feed(&p, s + split, n - split, &used);
			assert_int_equal(r, PROXY_NOT_PROXY);
			assert_int_equal(used, 0);
			jl = p.len;
			memcpy(joined, p.held, p.len);
			memcpy(joined + jl, s + split, n - split);
			jl += n - split;
			assert_int_equal(jl, n);
			for (j = 0; j < n; j++)
				assert_int_equal(joined[j], s[j]);
		}
	}
}

static void test_need_more_prefixes(void **state)
{
	const char *line = "PROXY TCP6 2001:db8::1 2001:db8::2 65535 65535\r\n";
	size_t n = strlen(line), i;

	(void)state;
	assert_int_equal(proxy_parse("", 0, NULL), PROXY_NEED_MORE);
	for (i = 0; i < n; i++)
		assert_int_equal(proxy_parse(line, i, NULL), PROXY_NEED_MORE);
	assert_int_equal(proxy_parse(line, n, NULL), PROXY_OK);
}

static const char *const hostile[] = {
	"PROXY TCP4 1.2.3.4 127.0.0.1 56324 4000\n",	  /* bare LF */
	"PROXY TCP4 1.2.3.4 127.0.0.1 56324 4000\r\r\n",  /* CR not before LF */
	"PROXY TCP4  1.2.3.4 127.0.0.1 56324 4000\r\n",	  /* double space */
	"PROXY TCP4 1.2.3.4 127.0.0.1 56324 4000 \r\n",	  /* trailing space */
	"PROXY TCP4 1.2.3.4 127.0.0.1 56324\r\n",	  /* field missing */
	"PROXY TCP4 1.2.3.4 127.0.0.1 56324 4000 5\r\n",  /* field extra */
	"PROXY TCP4 ::1 127.0.0.1 56324 4000\r\n",	  /* IPv6 in TCP4 */
	"PROXY TCP6 1.2.3.4 ::1 56324 4000\r\n",	  /* IPv4 in TCP6 */
	"PROXY TCP4 1.2.3.4 127.0.0.1 65536 4000\r\n",	  /* port too big */
	"PROXY TCP4 1.2.3.4 127.0.0.1 056324 4000\r\n",	  /* too long */
	"PROXY TCP4 1.2.3.4 127.0.0.1 0400 4000\r\n",	  /* leading zero */
	"PROXY TCP4 1.2.3.4 127.0.0.1 -1 4000\r\n",	  /* sign */
	"PROXY TCP4 1.2.3.4 127.0.0.1 +1 4000\r\n",	  /* sign */
	"PROXY TCP4 1.2.3 127.0.0.1 1 4000\r\n",	  /* short IPv4 */
	"PROXY TCP4 1.2.3.256 127.0.0.1 1 4000\r\n",	  /* octet too big */
	"PROXY TCP4 localhost 127.0.0.1 1 4000\r\n",	  /* a name */
	"PROXY TCP5 1.2.3.4 127.0.0.1 1 4000\r\n",	  /* no such protocol */
	"PROXY tcp4 1.2.3.4 127.0.0.1 1 4000\r\n",	  /* case matters */
	"PROXY \r\n",					  /* empty */
	"PROXY TCP4\r\n",				  /* nothing after */
	"PROXY TCP4 \r\n",				  /* space, nothing after */
	"PROXY TCP4 1.2.3.4 127.0.0.1 1 4000\x1b[2J\r\n", /* escape */
	"PROXY TCP4 1.2.3.4\t127.0.0.1 1 4000\r\n",	  /* tab */
	"PROXY TCP4 1.2.3.4 127.0.0.1 1 4\xc3\xa9\r\n",	  /* high bytes */
	"PROXY TCP6 2001:db8::1::2 ::1 1 2\r\n",	  /* two :: */
	"PROXY TCP6 2001:db8:0:0:0:0:0:0:1 ::1 1 2\r\n",  /* nine groups */
};

static void test_hostile_lines(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		const char *s = hostile[i];
		size_t n = strlen(s);

		if (proxy_parse(s, n, NULL) != PROXY_INVALID)
			fail_msg("accepted or undecided: \"%s\"", s);
		for (k = 0; k <= n; k++)
			assert_int_not_equal(proxy_parse(s, k, NULL), PROXY_OK);
	}
}

static void test_nul_byte(void **state)
{
	const char line[] = "PROXY TCP4 1.2.3.4\0 127.0.0.1 1 2\r\n";

	(void)state;
	assert_int_equal(proxy_parse(line, sizeof(line) - 1, NULL), PROXY_INVALID);
	/* Decided as soon as the NUL is seen. */
	assert_int_equal(proxy_parse(line, 19, NULL), PROXY_INVALID);
}

static void test_length_limit(void **state)
{
	char line[200];
	size_t n;

	(void)state;
	/* Exactly PROXY_V1_MAX bytes, CRLF included: fine. */
	memcpy(line, "PROXY UNKNOWN ", 14);
	memset(line + 14, 'a', PROXY_V1_MAX - 16);
	memcpy(line + PROXY_V1_MAX - 2, "\r\n", 2);
	assert_int_equal(proxy_parse(line, PROXY_V1_MAX, NULL), PROXY_OK);

	/* One more: the CRLF ends past the limit. */
	memcpy(line, "PROXY UNKNOWN ", 14);
	memset(line + 14, 'a', PROXY_V1_MAX - 15);
	memcpy(line + PROXY_V1_MAX - 1, "\r\n", 2);
	assert_int_equal(proxy_parse(line, PROXY_V1_MAX + 1, NULL), PROXY_INVALID);
	/* Undecided until the limit, decided at it. */
	assert_int_equal(proxy_parse(line, PROXY_V1_MAX - 1, NULL), PROXY_NEED_MORE);
	assert_int_equal(proxy_parse(line, PROXY_V1_MAX, NULL), PROXY_INVALID);

	/* An endless line of spaces-free garbage fed piecewise never exceeds the holding buffer. */
	{
		struct proxy p;
		size_t used;
		enum proxy_result r;

		proxy_init(&p);
		r = proxy_feed(&p, "PROXY ", 6, &used);
		assert_int_equal(r, PROXY_NEED_MORE);
		memset(line, 'b', sizeof(line));
		for (n = 0; n < 10 && r == PROXY_NEED_MORE; n++)
			r = proxy_feed(&p, line, 50, &used);
		assert_int_equal(r, PROXY_INVALID);
		assert_true(p.len <= PROXY_V1_MAX);
	}
}

/* Random bytes after the signature never crash and never read past n. */
static void test_random_tails(void **state)
{
	unsigned seed = 12345;
	int round;
	static const char alphabet[] = "PROXYTCP46UNKOW0123456789abcdef:. \r\n\x00\xff";

	(void)state;
	for (round = 0; round < 20000; round++) {
		size_t n = 6 + (size_t)(rand_r(&seed) % 110), i;
		char *buf = malloc(n);
		struct proxy_info info;

		memcpy(buf, "PROXY ", 6);
		for (i = 6; i < n; i++)
			buf[i] = alphabet[(size_t)rand_r(&seed) % (sizeof(alphabet) - 1)];
		if (proxy_parse(buf, n, &info) == PROXY_OK) {
			assert_true(info.consumed <= n);
			assert_true(info.consumed <= PROXY_V1_MAX);
			assert_int_equal(buf[info.consumed - 1], '\n');
		}
		free(buf);
	}
}

static void test_result_names(void **state)
{
	(void)state;
	assert_string_equal(proxy_result_name(PROXY_OK), "ok");
	assert_string_equal(proxy_result_name(PROXY_NOT_PROXY), "not proxy");
	assert_string_equal(proxy_result_name(PROXY_INVALID), "invalid");
	assert_string_equal(proxy_result_name(PROXY_NEED_MORE), "need more");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp4_whole),
		cmocka_unit_test(test_tcp6_whole),
		cmocka_unit_test(test_tcp6_mapped_is_ipv4),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_feed_every_split),
		cmocka_unit_test(test_not_proxy),
		cmocka_unit_test(test_need_more_prefixes),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_random_tails),
		cmocka_unit_test(test_result_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
