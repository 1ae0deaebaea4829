/*
 * peer.h: what the bridge decides about the other end of a connection,
 * from text alone (no sockets): address lists (CIDR), the address behind a
 * trusted reverse proxy (X-Forwarded-For), the Origin check, the PROXY v1
 * line for the server, and a short browser name from a User-Agent.
 */
#ifndef RUIN_BRIDGE_PEER_H
#define RUIN_BRIDGE_PEER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* An address as text, big enough for any IPv6 form. */
#define PEER_ADDR_MAX 64

struct peer_net {
	int family; /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned prefix; /* bits that must match */
};

struct peer_nets {
	struct peer_net *nets;
	size_t count;
};

/*
 * Parses a comma-separated list of addresses with optional /prefix
 * ("127.0.0.1/8,::1", "" for none) into nets (which the caller frees with
 * peer_nets_fini, also after an error). -1 with a message in err if an
 * entry is not an address.
 */
int peer_nets_parse(struct peer_nets *nets, const char *list, struct buf *err);
void peer_nets_fini(struct peer_nets *nets);
/* True if the address text addr is in one of nets (IPv4-mapped IPv6 counts as IPv4). */
bool peer_nets_match(const struct peer_nets *nets, const char *addr);

/*
 * Copies the address text addr into out (size PEER_ADDR_MAX) in canonical
 * form ("::ffff:1.2.3.4" becomes "1.2.3.4"). -1 if addr is not an address.
 */
int peer_addr_canonical(const char *addr, char out[PEER_ADDR_MAX]);

/*
 * The client address a reverse proxy put last in an X-Forwarded-For value,
 * canonical, into out. -1 if the value has no valid address there.
 */
int peer_forwarded_for(const char *value, char out[PEER_ADDR_MAX]);

/*
 * True if a WebSocket request from origin (the Origin header, NULL if
 * absent) to host (the Host header) may proceed: a request without Origin
 * (not a browser), a same-origin request (the Origin's host[:port] is the
 * Host), or an Origin in allowed, a comma-separated list of exact origins
 * ("https://mud.example.org") where "*" allows any. Case-insensitive.
 */
bool peer_origin_ok(const char *origin, const char *host, const char *allowed);

/*
 * Appends the PROXY protocol v1 line (CR LF included) that tells the server
 * the browser src:sport connected to dst:dport. Addresses of two families
 * (after canonical form) go as TCP6 with the IPv4 one mapped; an address
 * that does not parse gives "PROXY UNKNOWN\r\n".
 */
void peer_proxy_line(struct buf *out, const char *src, unsigned sport, const char *dst,
		     unsigned dport);

/* Appends a short, printable name for a User-Agent ("Firefox 128", "Chrome 126"). */
void peer_browser_name(struct buf *out, const char *user_agent);

#endif
