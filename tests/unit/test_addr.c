/*
 * test_addr.c: address values and trusted-network lists (src/net/addr.h).
 *
 * Socket addresses in all their shapes (IPv4, IPv6, IPv4-mapped, unix,
 * short), printing, numeric parsing, and lists: CIDR on and off byte
 * boundaries, mixed families, host bits, bad specs with their message.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/un.h>

#include <cmocka.h>

#include "net/addr.h"
#include "base/banned.h"

static void fmt(const struct addr *a, char out[ADDR_STRLEN])
{
	assert_int_equal(addr_format(a, out, ADDR_STRLEN), 0);
}

static void test_from_sockaddr_v4(void **state)
{
	struct sockaddr_in sin;
	struct addr a;
	char out[ADDR_STRLEN];

	(void)state;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(4000);
	inet_pton(AF_INET, "192.0.2.33", &sin.sin_addr);
	assert_int_equal(addr_from_sockaddr(&a, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.port, 4000);
	fmt(&a, out);
	assert_string_equal(out, "192.0.2.33");
	/* Too short for its family. */
	assert_int_equal(addr_from_sockaddr(&a, (struct sockaddr *)&sin, 4), -EINVAL);
	assert_int_equal(a.family, AF_UNSPEC);
}

static void test_from_sockaddr_v6_and_mapped(void **state)
{
	struct sockaddr_in6 sin6;
	struct addr a;
	char out[ADDR_STRLEN];

	(void)state;
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(65535);
	inet_pton(AF_INET6, "::1", &sin6.sin6_addr);
	assert_int_equal(addr_from_sockaddr(&a, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.port, 65535);
	fmt(&a, out);
	assert_string_equal(out, "::1");

	/* What a dual-stack listener reports for an IPv4 client. */
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6.sin6_addr);
	assert_int_equal(addr_from_sockaddr(&a, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	assert_int_equal(a.family, AF_INET);
	fmt(&a, out);
	assert_string_equal(out, "127.0.0.1");
	assert_int_equal(a.port, 65535);

	/* ::ffff:0:1.2.3.4 (IPv4-translated) is not mapped: stays IPv6. */
	inet_pton(AF_INET6, "::ffff:0:1.2.3.4", &sin6.sin6_addr);
	assert_int_equal(addr_from_sockaddr(&a, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	assert_int_equal(a.family, AF_INET6);
}

static void test_from_sockaddr_unix(void **state)
{
	struct sockaddr_un sun;
	struct addr a;
	char out[ADDR_STRLEN];

	(void)state;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	assert_int_equal(addr_from_sockaddr(&a, (struct sockaddr *)&sun, sizeof(sun)),
			 -EAFNOSUPPORT);
	assert_int_equal(a.family, AF_UNSPEC);
	fmt(&a, out);
	assert_string_equal(out, "unknown");
	assert_int_equal(addr_from_sockaddr(&a, NULL, 0), -EINVAL);
}

static void test_parse_and_format(void **state)
{
	struct addr a, b;
	char out[ADDR_STRLEN];
	char small[4];

	(void)state;
	assert_int_equal(addr_parse(&a, "10.1.2.3"), 0);
	assert_int_equal(a.family, AF_INET);
	fmt(&a, out);
	assert_string_equal(out, "10.1.2.3");
	assert_int_equal(addr_format(&a, small, sizeof(small)), -ENOSPC);

	assert_int_equal(addr_parse(&a, "2001:DB8::0:1"), 0);
	fmt(&a, out);
	assert_string_equal(out, "2001:db8::1");

	assert_int_equal(addr_parse(&a, "::ffff:10.1.2.3"), 0);
	assert_int_equal(addr_parse(&b, "10.1.2.3"), 0);
	assert_true(addr_same_ip(&a, &b));
	b.port = 99;
	assert_true(addr_same_ip(&a, &b));
	assert_int_equal(addr_parse(&b, "10.1.2.4"), 0);
	assert_false(addr_same_ip(&a, &b));

	assert_int_equal(addr_parse(&a, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"), 0);
	fmt(&a, out);
	assert_true(strlen(out) < ADDR_STRLEN);

	assert_int_equal(addr_parse(&a, ""), -EINVAL);
	assert_int_equal(addr_parse(&a, "localhost"), -EINVAL);
	assert_int_equal(addr_parse(&a, "1.2.3.4/8"), -EINVAL);
	assert_int_equal(addr_parse(&a, "1.2.3.4 "), -EINVAL);
	assert_int_equal(addr_parse(&a, "1.2.3"), -EINVAL);
	assert_int_equal(addr_parse(&a, NULL), -EINVAL);
	assert_int_equal(a.family, AF_UNSPEC);
}

static bool matches(const struct addr_list *l, const char *text)
{
	struct addr a;

	assert_int_equal(addr_parse(&a, text), 0);
	return addr_list_match(l, &a);
}

static void test_list_basic(void **state)
{
	struct addr_list *l = addr_list_new("127.0.0.1/8,::1, 10.0.0.0/8", NULL);

	(void)state;
	assert_non_null(l);
	assert_int_equal(addr_list_count(l), 3);
	assert_true(matches(l, "127.0.0.1"));
	assert_true(matches(l, "127.255.1.2"));
	assert_true(matches(l, "10.200.0.1"));
	assert_true(matches(l, "::1"));
	assert_true(matches(l, "::ffff:127.0.0.2"));
	assert_false(matches(l, "128.0.0.1"));
	assert_false(matches(l, "11.0.0.1"));
	assert_false(matches(l, "::2"));
	assert_false(matches(l, "192.168.1.1"));
	/* An IPv6 address is never in an IPv4 network, whatever its bytes. */
	assert_false(matches(l, "a00::"));
	addr_list_free(l);
}

static void test_list_odd_prefixes(void **state)
{
	struct addr_list *l =
		addr_list_new("172.16.0.0/12 , 2001:db8::/33, 192.0.2.7, 0.0.0.0/0", NULL);
	struct addr_list *none = addr_list_new("", NULL);
	struct addr_list *all6 = addr_list_new("::/0", NULL);

	(void)state;
	assert_non_null(l);
	assert_true(matches(l, "172.16.0.0"));
	assert_true(matches(l, "172.31.255.255"));
	assert_true(matches(l, "2001:db8:7fff::1"));
	assert_false(matches(l, "2001:db8:8000::1"));
	assert_false(matches(l, "2001:db9::"));
	/* /0 covers every IPv4 address but no IPv6 one. */
	assert_true(matches(l, "8.8.8.8"));
	assert_false(matches(l, "2002::1"));

	assert_non_null(none);
	assert_int_equal(addr_list_count(none), 0);
	assert_false(matches(none, "127.0.0.1"));
	assert_false(matches(NULL, "127.0.0.1"));

	assert_non_null(all6);
	assert_true(matches(all6, "fe80::1"));
	assert_false(matches(all6, "127.0.0.1"));

	addr_list_free(l);
	addr_list_free(none);
	addr_list_free(all6);
}

static void test_list_host_bits_and_mapped(void **state)
{
	struct addr_list *l =
		addr_list_new("192.168.1.77/24,::ffff:10.9.0.0/112,::ffff:1.2.3.4", NULL);

	(void)state;
	assert_non_null(l);
	assert_true(matches(l, "192.168.1.1"));
	assert_false(matches(l, "192.168.2.1"));
	/* A mapped network means the IPv4 addresses it maps: 10.9.0.0/16. */
	assert_true(matches(l, "10.9.200.1"));
	assert_false(matches(l, "10.10.0.1"));
	assert_true(matches(l, "1.2.3.4"));
	assert_false(matches(l, "1.2.3.5"));
	addr_list_free(l);
}

static void test_list_skips_empty(void **state)
{
	struct addr_list *l = addr_list_new(" ,, 127.0.0.1 ,\t,", NULL);

	(void)state;
	assert_non_null(l);
	assert_int_equal(addr_list_count(l), 1);
	assert_true(matches(l, "127.0.0.1"));
	assert_false(matches(l, "127.0.0.2"));
	addr_list_free(l);
}

static void test_list_bad(void **state)
{
	static const char *bad[] = {
		"1.2.3.4/33",
		"::1/129",
		"1.2.3.4/",
		"/8",
		"localhost",
		"1.2.3.4/08",
		"1.2.3.4/8/8",
		"1.2.3.4/-1",
		"1.2.3.4/ 8",
		"1.2.3.4 5.6.7.8",
		"::ffff:1.2.3.4/95",
		"127.0.0.1,nonsense",
		"1.2.3.4/999999999999999999999",
	};
	struct buf err;
	size_t i;

	(void)state;
	buf_init(&err, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_clear(&err);
		if (addr_list_new(bad[i], &err))
			fail_msg("accepted \"%s\"", bad[i]);
		assert_non_null(strstr(buf_cstr(&err), "bad network"));
	}
	buf_clear(&err);
	assert_null(addr_list_new("10.0.0.0/8,nonsense", &err));
	assert_non_null(strstr(buf_cstr(&err), "\"nonsense\""));
	/* A NULL err is fine too. */
	assert_null(addr_list_new("x", NULL));
	buf_fini(&err);
}

static void test_trusted_sockaddr(void **state)
{
	struct addr_list *l = addr_list_new("127.0.0.0/8", NULL);
	struct sockaddr_in6 sin6;
	struct sockaddr_in sin;
	struct sockaddr_un sun;

	(void)state;
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6.sin6_addr);
	assert_true(addr_trusted(l, (struct sockaddr *)&sin6, sizeof(sin6)));
	inet_pton(AF_INET6, "::1", &sin6.sin6_addr);
	assert_false(addr_trusted(l, (struct sockaddr *)&sin6, sizeof(sin6)));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, "127.1.2.3", &sin.sin_addr);
	assert_true(addr_trusted(l, (struct sockaddr *)&sin, sizeof(sin)));
	assert_false(addr_trusted(NULL, (struct sockaddr *)&sin, sizeof(sin)));
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	assert_false(addr_trusted(l, (struct sockaddr *)&sun, sizeof(sun)));
	addr_list_free(l);
	addr_list_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_sockaddr_v4),
		cmocka_unit_test(test_from_sockaddr_v6_and_mapped),
		cmocka_unit_test(test_from_sockaddr_unix),
		cmocka_unit_test(test_parse_and_format),
		cmocka_unit_test(test_list_basic),
		cmocka_unit_test(test_list_odd_prefixes),
		cmocka_unit_test(test_list_host_bits_and_mapped),
		cmocka_unit_test(test_list_skips_empty),
		cmocka_unit_test(test_list_bad),
		cmocka_unit_test(test_trusted_sockaddr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
