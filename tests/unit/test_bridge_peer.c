/*
 * test_bridge_peer.c: addresses, origins and browser names in ruin-bridge
 * (bridge/peer.h): CIDR lists, X-Forwarded-For, the Origin allowlist, the
 * PROXY v1 line the server parses, and short User-Agent names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../bridge/peer.h"
#include "base/banned.h"

static void test_nets(void **state)
{
	struct peer_nets nets;
	struct buf err;

	(void)state;
	buf_init(&err, 0);
	assert_int_equal(
		peer_nets_parse(&nets, " 127.0.0.1/8, ::1 ,10.1.2.0/23,2001:db8::/32", &err), 0);
	assert_int_equal(nets.count, 4);
	assert_true(peer_nets_match(&nets, "127.0.0.1"));
	assert_true(peer_nets_match(&nets, "127.200.3.4"));
	assert_true(peer_nets_match(&nets, "::ffff:127.0.0.9")); /* mapped IPv4 */
	assert_true(peer_nets_match(&nets, "::1"));
	assert_false(peer_nets_match(&nets, "::2"));
	assert_true(peer_nets_match(&nets, "10.1.3.255"));
	assert_false(peer_nets_match(&nets, "10.1.4.0"));
	assert_true(peer_nets_match(&nets, "2001:db8:ffff::1"));
	assert_false(peer_nets_match(&nets, "2001:db9::1"));
	assert_false(peer_nets_match(&nets, "128.0.0.1"));
	assert_false(peer_nets_match(&nets, "not an address"));
	peer_nets_fini(&nets);

	assert_int_equal(peer_nets_parse(&nets, "", &err), 0);
	assert_int_equal(nets.count, 0);
	assert_false(peer_nets_match(&nets, "127.0.0.1"));
	peer_nets_fini(&nets);

	assert_int_equal(peer_nets_parse(&nets, "127.0.0.1,localhost", &err), -1);
	assert_non_null(strstr(buf_cstr(&err), "localhost"));
	peer_nets_fini(&nets);
	buf_clear(&err);
	assert_int_equal(peer_nets_parse(&nets, "10.0.0.0/33", &err), -1);
	peer_nets_fini(&nets);
	assert_int_equal(peer_nets_parse(&nets, "10.0.0.0/x", &err), -1);
	peer_nets_fini(&nets);
	/* /0 matches everything of its family. */
	assert_int_equal(peer_nets_parse(&nets, "0.0.0.0/0", &err), 0);
	assert_true(peer_nets_match(&nets, "203.0.113.7"));
	assert_false(peer_nets_match(&nets, "2001:db8::1"));
	peer_nets_fini(&nets);
	buf_fini(&err);
}

static void test_canonical_and_forwarded(void **state)
{
	char out[PEER_ADDR_MAX];

	(void)state;
	assert_int_equal(peer_addr_canonical("::ffff:192.0.2.5", out), 0);
	assert_string_equal(out, "192.0.2.5");
	assert_int_equal(peer_addr_canonical("2001:DB8:0:0::1", out), 0);
	assert_string_equal(out, "2001:db8::1");
	assert_int_equal(peer_addr_canonical("192.0.2.256", out), -1);

	/* The last entry is the one our proxy added. */
	assert_int_equal(peer_forwarded_for("198.51.100.1, 203.0.113.9", out), 0);
	assert_string_equal(out, "203.0.113.9");
	assert_int_equal(peer_forwarded_for("203.0.113.9", out), 0);
	assert_string_equal(out, "203.0.113.9");
	assert_int_equal(peer_forwarded_for(" [2001:db8::7] ", out), 0);
	assert_string_equal(out, "2001:db8::7");
	assert_int_equal(peer_forwarded_for("1.2.3.4, evil", out), -1);
	assert_int_equal(peer_forwarded_for("", out), -1);
	assert_int_equal(peer_forwarded_for("[2001:db8::7", out), -1);
	/* With a port, as some proxies write it. */
	assert_int_equal(peer_forwarded_for("203.0.113.9:51234", out), 0);
	assert_string_equal(out, "203.0.113.9");
	assert_int_equal(peer_forwarded_for("10.0.0.1, [2001:db8::7]:443", out), 0);
	assert_string_equal(out, "2001:db8::7");
	assert_int_equal(peer_forwarded_for("2001:db8::7", out), 0);
	assert_string_equal(out, "2001:db8::7");
	assert_int_equal(peer_forwarded_for("203.0.113.9:", out), -1);
	assert_int_equal(peer_forwarded_for("203.0.113.9:http", out), -1);
	assert_int_equal(peer_forwarded_for("[2001:db8::7]x", out), -1);
}

static void test_origin(void **state)
{
	(void)state;
	/* Not a browser: no Origin. */
	assert_true(peer_origin_ok(NULL, "mud.example.org", ""));
	/* Same origin, any scheme, case-insensitive. */
	assert_true(peer_origin_ok("http://localhost:4080", "localhost:4080", ""));
	assert_true(peer_origin_ok("https://MUD.example.org", "mud.example.org", ""));
	assert_false(peer_origin_ok("http://localhost:4081", "localhost:4080", ""));
	assert_false(peer_origin_ok("http://evil.example", "localhost:4080", ""));
	assert_false(peer_origin_ok("http://localhost:4080.evil.example", "localhost:4080", ""));
	assert_false(peer_origin_ok("null", "localhost:4080", ""));
	assert_false(peer_origin_ok("http://localhost:4080", "", ""));
	/* The allowlist. */
	assert_true(peer_origin_ok("https://play.example.org", "10.0.0.5:4080",
				   "https://www.example.org, https://play.example.org/"));
	assert_false(peer_origin_ok("https://play.example.org.evil", "10.0.0.5:4080",
				    "https://play.example.org"));
	assert_false(peer_origin_ok("http://play.example.org", "10.0.0.5:4080",
				    "https://play.example.org"));
	assert_true(peer_origin_ok("http://anything", "x", "*"));
	assert_true(peer_origin_ok("http://anything", "x", "https://a, *"));
}

static void test_proxy_line(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out, 0);
	peer_proxy_line(&out, "203.0.113.9", 51234, "127.0.0.1", 4080);
	assert_string_equal(buf_cstr(&out), "PROXY TCP4 203.0.113.9 127.0.0.1 51234 4080\r\n");
	buf_clear(&out);
	peer_proxy_line(&out, "::ffff:203.0.113.9", 1, "::ffff:127.0.0.1", 2);
	assert_string_equal(buf_cstr(&out), "PROXY TCP4 203.0.113.9 127.0.0.1 1 2\r\n");
	buf_clear(&out);
	peer_proxy_line(&out, "2001:db8::1", 0, "::1", 443);
	assert_string_equal(buf_cstr(&out), "PROXY TCP6 2001:db8::1 ::1 0 443\r\n");
	buf_clear(&out);
	/* Mixed families: the IPv4 side is mapped, so the browser's address still gets through. */
	peer_proxy_line(&out, "2001:db8::1", 0, "127.0.0.1", 4080);
	assert_string_equal(buf_cstr(&out), "PROXY TCP6 2001:db8::1 ::ffff:127.0.0.1 0 4080\r\n");
	buf_clear(&out);
	peer_proxy_line(&out, "203.0.113.9", 5, "::1", 4080);
	assert_string_equal(buf_cstr(&out), "PROXY TCP6 ::ffff:203.0.113.9 ::1 5 4080\r\n");
	buf_clear(&out);
	peer_proxy_line(&out, "junk", 0, "127.0.0.1", 4080);
	assert_string_equal(buf_cstr(&out), "PROXY UNKNOWN\r\n");
	buf_clear(&out);
	peer_proxy_line(&out, NULL, 0, NULL, 0);
	assert_string_equal(buf_cstr(&out), "PROXY UNKNOWN\r\n");
	buf_fini(&out);
}

static void expect_browser(const char *ua, const char *name)
{
	struct buf out;

	buf_init(&out, 0);
	peer_browser_name(&out, ua);
	assert_string_equal(buf_cstr(&out), name);
	buf_fini(&out);
}

static void test_browser_names(void **state)
{
	(void)state;
	expect_browser("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
		       "Firefox 128");
	expect_browser("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
		       "Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
		       "Edge 126");
	expect_browser("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
		       "HeadlessChrome/156.0.0.0 Safari/537.36",
		       "Chrome 156");
	expect_browser(
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
		"(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
		"Safari 17");
	expect_browser("curl/8.0", "other browser");
	expect_browser("", "unknown browser");
	expect_browser(NULL, "unknown browser");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nets),
		cmocka_unit_test(test_canonical_and_forwarded),
		cmocka_unit_test(test_origin),
		cmocka_unit_test(test_proxy_line),
		cmocka_unit_test(test_browser_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
