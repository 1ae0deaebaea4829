/*
 * addr.c: address values, printing, and trusted-network lists. See addr.h.
 *
 * Start reading at addr_list_new(): it splits the spec on commas and parses
 * each "address[/prefix]" with addr_parse(); matching compares the first
 * prefix bits. IPv4 networks only match IPv4 addresses (mapped ones were
 * unmapped on the way in), IPv6 networks only IPv6.
 */
#include "net/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "base/banned.h"

static const unsigned char addr_v4mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* Turns an IPv6 address into IPv4 if it is IPv4-mapped. */
static void addr_unmap(struct addr *a)
{
	if (a->family == AF_INET6 && memcmp(a->ip, addr_v4mapped_prefix, 12) == 0) {
		memmove(a->ip, a->ip + 12, 4);
		memset(a->ip + 4, 0, 12);
		a->family = AF_INET;
	}
}

int addr_from_sockaddr(struct addr *a, const struct sockaddr *sa, socklen_t len)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_UNSPEC;
	if (!sa || len < (socklen_t)sizeof(sa_family_t))
		return -EINVAL;
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in sin;

		if (len < (socklen_t)sizeof(sin))
			return -EINVAL;
		memcpy(&sin, sa, sizeof(sin));
		a->family = AF_INET;
		memcpy(a->ip, &sin.sin_addr, 4);
		a->port = ntohs(sin.sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6 sin6;

		if (len < (socklen_t)sizeof(sin6))
			return -EINVAL;
		memcpy(&sin6, sa, sizeof(sin6));
		a->family = AF_INET6;
		memcpy(a->ip, &sin6.sin6_addr, 16);
		a->port = ntohs(sin6.sin6_port);
		addr_unmap(a);
		return 0;
	}
	return -EAFNOSUPPORT;
}

int addr_parse(struct addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_UNSPEC;
	if (!s)
		return -EINVAL;
	if (inet_pton(AF_INET, s, a->ip) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->ip) == 1) {
		a->family = AF_INET6;
		addr_unmap(a);
		return 0;
	}
	memset(a->ip, 0, sizeof(a->ip));
	return -EINVAL;
}

int addr_format(const struct addr *a, char *out, size_t size)
{
	char tmp[ADDR_STRLEN];
	const char *s = "unknown";
	size_t n;

	if (a->family == AF_INET || a->family == AF_INET6) {
		if (!inet_ntop(a->family, a->ip, tmp, sizeof(tmp)))
			return -errno;
		s = tmp;
	}
	n = strlen(s);
	if (n >= size)
		return -ENOSPC;
	memcpy(out, s, n + 1);
	return 0;
}

bool addr_same_ip(const struct addr *a, const struct addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return memcmp(a->ip, b->ip, 4) == 0;
	if (a->family == AF_INET6)
		return memcmp(a->ip, b->ip, 16) == 0;
	return a->family == AF_UNSPEC;
}

/* ---- trusted networks ------------------------------------------------------ */

struct addr_net {
	struct addr base; /* host bits past the prefix cleared */
	int prefix;	  /* 0..32 or 0..128 */
};

struct addr_list {
	struct addr_net *nets;
	size_t count, alloc;
};

/* The most characters of one entry we look at: an IPv6 address and "/128". */
#define ADDR_ENTRY_MAX (ADDR_STRLEN + 4)

/* True if the first prefix bits of a and b agree. */
static bool addr_prefix_eq(const unsigned char *a, const unsigned char *b, int prefix)
{
	int whole = prefix / 8, rest = prefix % 8;

	if (memcmp(a, b, (size_t)whole) != 0)
		return false;
	if (rest) {
		unsigned char m = (unsigned char)(0xff << (8 - rest));

		if ((a[whole] & m) != (b[whole] & m))
			return false;
	}
	return true;
}

static void addr_clear_host_bits(unsigned char *ip, int prefix, int bits)
{
	int i;

	for (i = prefix; i < bits; i++)
		ip[i / 8] &= (unsigned char)~(0x80 >> (i % 8));
}

/* Parses the n bytes at s as "address[/prefix]"; 0 or -EINVAL. */
static int addr_net_parse(struct addr_net *net, const char *s, size_t n)
{
	char entry[ADDR_ENTRY_MAX + 1];
	char *slash;
	int bits;
	long prefix;

	if (n > ADDR_ENTRY_MAX)
		return -EINVAL;
	memcpy(entry, s, n);
	entry[n] = '\0';
	slash = strchr(entry, '/');
	if (slash)
		*slash = '\0';
	if (addr_parse(&net->base, entry) < 0)
		return -EINVAL;
	/* Written as IPv6 (an IPv4-mapped one comes back as IPv4: see below). */
	bits = strchr(entry, ':') ? 128 : 32;
	prefix = bits;
	if (slash) {
		const char *p = slash + 1;

		if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] != '\0'))
			return -EINVAL;
		prefix = 0;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return -EINVAL;
			prefix = prefix * 10 + (*p - '0');
			if (prefix > bits)
				return -EINVAL;
		}
	}
	if (bits == 128 && net->base.family == AF_INET) {
		/* ::ffff:a.b.c.d/p names IPv4 addresses: the last p - 96 bits. */
		if (prefix < 96)
			return -EINVAL;
		prefix -= 96;
		bits = 32;
	}
	net->prefix = (int)prefix;
	addr_clear_host_bits(net->base.ip, net->prefix, bits);
	return 0;
}

static bool addr_is_space(char c)
{
	return c == ' ' || c == '\t';
}

struct addr_list *addr_list_new(const char *spec, struct buf *err)
{
	struct addr_list *list = xcalloc(1, sizeof(*list));
	const char *p = spec ? spec : "";

	while (*p) {
		const char *start, *end;
		struct addr_net net;

		while (addr_is_space(*p))
			p++;
		start = p;
		while (*p && *p != ',')
			p++;
		end = p;
		if (*p == ',')
			p++;
		while (end > start && addr_is_space(end[-1]))
			end--;
		if (end == start)
			continue;
		if (addr_net_parse(&net, start, (size_t)(end - start)) < 0) {
			if (err)
				buf_printf(err,
					   "bad network \"%.*s\" (want an IP address, optionally "
					   "/prefix)",
					   (int)(end - start > 64 ? 64 : end - start), start);
			addr_list_free(list);
			return NULL;
		}
		if (list->count == list->alloc) {
			list->alloc = list->alloc ? list->alloc * 2 : 4;
			list->nets = xreallocarray(list->nets, list->alloc, sizeof(*list->nets));
		}
		list->nets[list->count++] = net;
	}
	return list;
}

void addr_list_free(struct addr_list *list)
{
	if (!list)
		return;
	free(list->nets);
	free(list);
}

size_t addr_list_count(const struct addr_list *list)
{
	return list ? list->count : 0;
}

bool addr_list_match(const struct addr_list *list, const struct addr *a)
{
	size_t i;

	if (!list || (a->family != AF_INET && a->family != AF_INET6))
		return false;
	for (i = 0; i < list->count; i++) {
		const struct addr_net *net = &list->nets[i];

		if (net->base.family == a->family &&
		    addr_prefix_eq(net->base.ip, a->ip, net->prefix))
			return true;
	}
	return false;
}

bool addr_trusted(const struct addr_list *list, const struct sockaddr *sa, socklen_t len)
{
	struct addr a;

	if (addr_from_sockaddr(&a, sa, len) < 0)
		return false;
	return addr_list_match(list, &a);
}
