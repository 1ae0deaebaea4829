/*
 * proxy.h: a parser for the PROXY protocol version 1 header (haproxy's
 * proxy-protocol.txt, section 2.1). Pure: bytes in, a verdict out, no sockets.
 *
 * A proxy (our ruin-bridge, haproxy) that connects on behalf of a client
 * sends one line before anything else:
 *
 *     "PROXY TCP4 1.2.3.4 127.0.0.1 56324 4000\r\n"
 *     "PROXY TCP6 2001:db8::1 ::1 56324 4000\r\n"
 *     "PROXY UNKNOWN\r\n"   (anything may follow UNKNOWN up to the CRLF)
 *
 * at most PROXY_V1_MAX bytes, CRLF included. Fields are separated by exactly
 * one space; ports are decimal 0-65535 without leading zeros; a TCP4 line
 * carries dotted-quad IPv4 and a TCP6 line IPv6.
 *
 * Two ways to use it: proxy_parse() judges a whole prefix of the stream
 * (call it again with more bytes after PROXY_NEED_MORE); struct proxy
 * holds the bytes for you and takes them as they come (proxy_feed()).
 * Start reading at proxy_parse() in proxy.c.
 */
#ifndef RUIN_NET_PROXY_H
#define RUIN_NET_PROXY_H

#include <stdbool.h>
#include <stddef.h>

#include "net/addr.h"

/* The longest v1 line, "PROXY TCP6 <39> <39> 65535 65535\r\n". */
#define PROXY_V1_MAX 107
/* "PROXY ": a stream that starts otherwise is not a PROXY v1 stream. */
#define PROXY_V1_SIG	 "PROXY "
#define PROXY_V1_SIG_LEN 6

enum proxy_result {
	PROXY_NEED_MORE = 0, /* a valid beginning; the verdict needs more bytes */
	PROXY_OK,	     /* a whole valid line: see struct proxy_info */
	PROXY_NOT_PROXY,     /* the stream does not start with "PROXY " */
	PROXY_INVALID,	     /* starts with "PROXY " but is not a valid line */
};

struct proxy_info {
	bool known;	 /* false for "PROXY UNKNOWN": use the socket's own peer */
	struct addr src; /* the client, with its port (when known) */
	struct addr dst; /* the address the client connected to (when known) */
	size_t consumed; /* bytes of the line, CRLF included */
};

/*
 * Judges the first n bytes of a stream. PROXY_OK fills *info (info may be
 * NULL otherwise); bytes past info->consumed are the stream's own data.
 * PROXY_NEED_MORE never comes back once n >= PROXY_V1_MAX.
 */
enum proxy_result proxy_parse(const void *bytes, size_t n, struct proxy_info *info);

/* Incremental form: collects up to PROXY_V1_MAX bytes of a stream's start. */
struct proxy {
	char held[PROXY_V1_MAX]; /* bytes fed so far and not yet judged */
	size_t len;
	enum proxy_result result; /* PROXY_NEED_MORE until decided */
	struct proxy_info info;	  /* valid when result is PROXY_OK */
};

void proxy_init(struct proxy *p);
/*
 * Feeds the next n bytes. Returns the verdict so far and sets *used to how
 * many of these n bytes the PROXY line took:
 *  - PROXY_NEED_MORE: all n were kept (*used = n); feed more.
 *  - PROXY_OK: the line ended after *used bytes; the rest of bytes is data.
 *  - PROXY_NOT_PROXY / PROXY_INVALID: *used = 0, and the p->len bytes in
 *    p->held (fed earlier) come before bytes in the stream.
 * Once decided, later calls return the same verdict with *used = 0.
 */
enum proxy_result proxy_feed(struct proxy *p, const void *bytes, size_t n, size_t *used);

/* "need more", "ok", "not proxy", "invalid". */
const char *proxy_result_name(enum proxy_result r);

#endif
