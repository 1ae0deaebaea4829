/*
 * proxy.c: PROXY protocol v1 line parser. See proxy.h.
 *
 * Start reading at proxy_parse(): it checks the signature, finds the CRLF
 * within PROXY_V1_MAX bytes (rejecting a partial line early once it holds a
 * byte no valid line could), then splits the line on single spaces and
 * checks each field. proxy_feed() is proxy_parse() over a small holding
 * buffer.
 */
#include "net/proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "base/banned.h"

/* Longest address text: IPv6 is 39 characters, IPv4 15. */
#define PROXY_ADDR_MAX 39

/* Splits the next field off [*p, end): up to a space or the end. */
static void proxy_field(const char **p, const char *end, const char **start, size_t *len)
{
	const char *s = *p;

	*start = s;
	while (s < end && *s != ' ')
		s++;
	*len = (size_t)(s - *start);
	*p = s;
}

/* Expects one space at *p (and more text after it). */
static bool proxy_space(const char **p, const char *end)
{
	if (*p >= end || **p != ' ' || *p + 1 >= end)
		return false;
	(*p)++;
	return true;
}

static bool proxy_addr(const char *s, size_t n, int family, struct addr *out)
{
	char text[PROXY_ADDR_MAX + 1];
	unsigned char raw[16];

	if (n == 0 || n > (family == AF_INET ? 15u : (size_t)PROXY_ADDR_MAX))
		return false;
	memcpy(text, s, n);
	text[n] = '\0';
	if (inet_pton(family, text, raw) != 1)
		return false;
	return addr_parse(out, text) == 0;
}

static bool proxy_port(const char *s, size_t n, uint16_t *out)
{
	unsigned long v = 0;
	size_t i;

	if (n == 0 || n > 5 || (n > 1 && s[0] == '0'))
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 65535)
		return false;
	*out = (uint16_t)v;
	return true;
}

/* Checks the text between "PROXY " and CRLF. */
static bool proxy_line(const char *p, const char *end, struct proxy_info *info)
{
	const char *f;
	size_t n;
	int family;

	proxy_field(&p, end, &f, &n);
	if (n == 7 && memcmp(f, "UNKNOWN", 7) == 0) {
		/* The spec says to ignore whatever follows UNKNOWN. */
		if (p < end && *p != ' ')
			return false;
		info->known = false;
		return true;
	}
	if (n == 4 && memcmp(f, "TCP4", 4) == 0)
		family = AF_INET;
	else if (n == 4 && memcmp(f, "TCP6", 4) == 0)
		family = AF_INET6;
	else
		return false;
	if (!proxy_space(&p, end))
		return false;
	proxy_field(&p, end, &f, &n);
	if (!proxy_addr(f, n, family, &info->src) || !proxy_space(&p, end))
		return false;
	proxy_field(&p, end, &f, &n);
	if (!proxy_addr(f, n, family, &info->dst) || !proxy_space(&p, end))
		return false;
	proxy_field(&p, end, &f, &n);
	if (!proxy_port(f, n, &info->src.port) || !proxy_space(&p, end))
		return false;
	proxy_field(&p, end, &f, &n);
	if (!proxy_port(f, n, &info->dst.port) || p != end)
		return false;
	info->known = true;
	return true;
}

enum proxy_result proxy_parse(const void *bytes, size_t n, struct proxy_info *info)
{
	const char *s = bytes;
	size_t look = n < PROXY_V1_MAX ? n : PROXY_V1_MAX;
	size_t sig = n < PROXY_V1_SIG_LEN ? n : PROXY_V1_SIG_LEN;
	struct proxy_info tmp;
	size_t i;

	if (n == 0)
		return PROXY_NEED_MORE;
	if (memcmp(s, PROXY_V1_SIG, sig) != 0)
		return PROXY_NOT_PROXY;
	if (n < PROXY_V1_SIG_LEN)
		return PROXY_NEED_MORE;
	for (i = PROXY_V1_SIG_LEN; i < look; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r') {
			if (i + 1 == look)
				break; /* the LF may be next */
			if (s[i + 1] != '\n')
				return PROXY_INVALID;
			memset(&tmp, 0, sizeof(tmp));
			if (!proxy_line(s + PROXY_V1_SIG_LEN, s + i, &tmp))
				return PROXY_INVALID;
			tmp.consumed = i + 2;
			if (info)
				*info = tmp;
			return PROXY_OK;
		}
		if (c < 0x20 || c > 0x7e)
			return PROXY_INVALID;
	}
	return look >= PROXY_V1_MAX ? PROXY_INVALID : PROXY_NEED_MORE;
}

void proxy_init(struct proxy *p)
{
	memset(p, 0, sizeof(*p));
	p->result = PROXY_NEED_MORE;
}

enum proxy_result proxy_feed(struct proxy *p, const void *bytes, size_t n, size_t *used)
{
	char tmp[PROXY_V1_MAX];
	size_t take;
	enum proxy_result r;
	struct proxy_info info;

	*used = 0;
	if (p->result != PROXY_NEED_MORE)
		return p->result;
	take = n < PROXY_V1_MAX - p->len ? n : PROXY_V1_MAX - p->len;
	memcpy(tmp, p->held, p->len);
	if (take)
		memcpy(tmp + p->len, bytes, take);
	r = proxy_parse(tmp, p->len + take, &info);
	switch (r) {
	case PROXY_NEED_MORE:
		memcpy(p->held + p->len, bytes, take);
		p->len += take;
		*used = take;
		break;
	case PROXY_OK:
		*used = info.consumed - p->len;
		p->info = info;
		p->len = 0;
		break;
	case PROXY_NOT_PROXY:
	case PROXY_INVALID:
		break;
	}
	p->result = r;
	return r;
}

const char *proxy_result_name(enum proxy_result r)
{
	switch (r) {
	case PROXY_NEED_MORE:
		return "need more";
	case PROXY_OK:
		return "ok";
	case PROXY_NOT_PROXY:
		return "not proxy";
	case PROXY_INVALID:
		return "invalid";
	}
	return "?";
}
