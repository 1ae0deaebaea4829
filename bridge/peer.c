/*
 * peer.c: addresses, origins and browser names (see peer.h). All parsing
 * goes through inet_pton, so an address is either valid or refused.
 */
#include "peer.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* ---- addresses ------------------------------------------------------------------ */

static const unsigned char peer_v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

/* Parses addr into family and 16 bytes (IPv4 in the first 4); IPv4-mapped IPv6 becomes IPv4. */
static int peer_parse(const char *addr, int *family, unsigned char out[16])
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, addr, out) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, addr, out) == 1) {
		*family = AF_INET6;
		if (!memcmp(out, peer_v4_mapped, 12)) {
			memmove(out, out + 12, 4);
			memset(out + 4, 0, 12);
			*family = AF_INET;
		}
		return 0;
	}
	return -1;
}

int peer_addr_canonical(const char *addr, char out[PEER_ADDR_MAX])
{
	unsigned char bin[16];
	int family;

	if (peer_parse(addr, &family, bin) < 0)
		return -1;
	return inet_ntop(family, bin, out, PEER_ADDR_MAX) ? 0 : -1;
}

int peer_nets_parse(struct peer_nets *nets, const char *list, struct buf *err)
{
	const char *p = list;

	memset(nets, 0, sizeof(*nets));
	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char *item = xstrndup(p, len), *addr = str_trim(item), *slash;
		struct peer_net net;
		long prefix = -1;

		p = comma ? comma + 1 : NULL;
		if (!*addr) {
			free(item);
			continue;
		}
		slash = strchr(addr, '/');
		if (slash) {
			*slash = '\0';
			if (str_to_long(slash + 1, 0, 128, &prefix) < 0) {
				buf_printf(err, "'%s/%s': the prefix is not a number", addr,
					   slash + 1);
				free(item);
				return -1;
			}
		}
		if (peer_parse(addr, &net.family, net.addr) < 0) {
			buf_printf(err, "'%s' is not an IPv4 or IPv6 address", addr);
			free(item);
			return -1;
		}
		if (prefix < 0)
			prefix = net.family == AF_INET ? 32 : 128;
		if (prefix > (net.family == AF_INET ? 32 : 128)) {
			buf_printf(err, "'%s/%ld': the prefix is too long", addr, prefix);
			free(item);
			return -1;
		}
		net.prefix = (unsigned)prefix;
		nets->nets = xreallocarray(nets->nets, nets->count + 1, sizeof(*nets->nets));
		nets->nets[nets->count++] = net;
		free(item);
	}
	return 0;
}

void peer_nets_fini(struct peer_nets *nets)
{
	free(nets->nets);
	memset(nets, 0, sizeof(*nets));
}

static bool peer_net_has(const struct peer_net *net, int family, const unsigned char *a)
{
	unsigned full = net->prefix / 8, rest = net->prefix % 8;

	if (net->family != family)
		return false;
	if (memcmp(net->addr, a, full))
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xFF << (8 - rest));

		if ((net->addr[full] & mask) != (a[full] & mask))
			return false;
	}
	return true;
}

bool peer_nets_match(const struct peer_nets *nets, const char *addr)
{
	unsigned char a[16];
	int family;

	if (peer_parse(addr, &family, a) < 0)
		return false;
	for (size_t i = 0; i < nets->count; i++)
		if (peer_net_has(&nets->nets[i], family, a))
			return true;
	return false;
}

/* True if s is one to five digits (a port). */
static bool peer_all_digits(const char *s)
{
	size_t n = 0;

	while (isdigit((unsigned char)s[n]))
		n++;
	return n > 0 && n <= 5 && !s[n];
}

int peer_forwarded_for(const char *value, char out[PEER_ADDR_MAX])
{
	const char *last = strrchr(value, ',');
	char item[PEER_ADDR_MAX];
	char *addr;

	last = last ? last + 1 : value;
	if (str_copy(item, sizeof(item), last) < 0)
		return -1;
	addr = str_trim(item);
	/* "[2001:db8::1]" is how some proxies write IPv6, "[2001:db8::1]:443" with a port. */
	if (addr[0] == '[') {
		char *end = strchr(addr, ']');

		if (!end || (end[1] && (end[1] != ':' || !peer_all_digits(end + 2))))
			return -1;
		*end = '\0';
		addr++;
	} else {
		/* "203.0.113.9:51234": an IPv4 address with its port (one colon only). */
		char *colon = strchr(addr, ':');

		if (colon && !strchr(colon + 1, ':')) {
			if (!peer_all_digits(colon + 1))
				return -1;
			*colon = '\0';
		}
	}
	return peer_addr_canonical(addr, out);
}

/* ---- origins ------------------------------------------------------------------ */

/* The host[:port] part of an origin ("https://a.b:4080" -> "a.b:4080"), or NULL. */
static const char *peer_origin_host(const char *origin)
{
	const char *p = strstr(origin, "://");

	return p && p[3] ? p + 3 : NULL;
}

static bool peer_origin_listed(const char *origin, const char *allowed)
{
	size_t olen = strlen(origin);
	const char *p = allowed;

	while (olen && origin[olen - 1] == '/')
		olen--;
	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *s = p;

		p = comma ? comma + 1 : NULL;
		while (len && isspace((unsigned char)*s)) {
			s++;
			len--;
		}
		while (len && (isspace((unsigned char)s[len - 1]) || s[len - 1] == '/'))
			len--;
		if (len == 1 && *s == '*')
			return true;
		if (len && len == olen && !strncasecmp(s, origin, len))
			return true;
	}
	return false;
}

bool peer_origin_ok(const char *origin, const char *host, const char *allowed)
{
	const char *ohost;

	if (!origin)
		return true;
	ohost = peer_origin_host(origin);
	if (ohost && host && *host) {
		size_t len = strlen(ohost);

		while (len && ohost[len - 1] == '/')
			len--;
		if (len == strlen(host) && !strncasecmp(ohost, host, len))
			return true;
	}
	return allowed && peer_origin_listed(origin, allowed);
}

/* ---- the PROXY line ---------------------------------------------------------------- */

void peer_proxy_line(struct buf *out, const char *src, unsigned sport, const char *dst,
		     unsigned dport)
{
	char s[PEER_ADDR_MAX], d[PEER_ADDR_MAX];
	unsigned char bin[16];
	int sf, df;

	if (!src || !dst || peer_parse(src, &sf, bin) < 0 || peer_addr_canonical(src, s) < 0 ||
	    peer_parse(dst, &df, bin) < 0 || peer_addr_canonical(dst, d) < 0 || sport > 65535 ||
	    dport > 65535) {
		buf_puts(out, "PROXY UNKNOWN\r\n");
		return;
	}
	/*
	 * A line carries one family. An IPv6 browser forwarded by nginx to an
	 * IPv4 listener (or the reverse) is written as TCP6 with the IPv4 side
	 * mapped (::ffff:a.b.c.d), which the server unmaps: the browser's own
	 * address must reach the server, not "UNKNOWN" and the bridge's.
	 */
	if (sf != df) {
		buf_printf(out, "PROXY TCP6 %s%s %s%s %u %u\r\n", sf == AF_INET ? "::ffff:" : "", s,
			   df == AF_INET ? "::ffff:" : "", d, sport, dport);
		return;
	}
	buf_printf(out, "PROXY %s %s %s %u %u\r\n", sf == AF_INET ? "TCP4" : "TCP6", s, d, sport,
		   dport);
}

/* ---- browsers ------------------------------------------------------------------------ */

/* Appends name and the major version that follows key in ua; false if key is absent. */
static bool peer_ua_token(struct buf *out, const char *ua, const char *key, const char *name)
{
	const char *p = strstr(ua, key);
	size_t n = 0;

	if (!p)
		return false;
	p += strlen(key);
	buf_puts(out, name);
	while (n < 6 && isdigit((unsigned char)p[n]))
		n++;
	if (n) {
		buf_putc(out, ' ');
		buf_append(out, p, n);
	}
	return true;
}

void peer_browser_name(struct buf *out, const char *ua)
{
	/* Order matters: Edge and Opera also say Chrome, Chrome also says Safari. */
	static const char *const keys[][2] = {
		{"Firefox/", "Firefox"}, {"Edg/", "Edge"},	 {"OPR/", "Opera"},
		{"Chrome/", "Chrome"},	 {"Version/", "Safari"},
	};

	if (!ua || !*ua) {
		buf_puts(out, "unknown browser");
		return;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (peer_ua_token(out, ua, keys[i][0], keys[i][1]))
			return;
	buf_puts(out, "other browser");
}
