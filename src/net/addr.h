/*
 * addr.h: network addresses as the server shows and compares them, and lists
 * of trusted networks.
 *
 * struct addr is a plain value: family, 16 address bytes, port. An IPv4
 * address that arrives IPv4-mapped in IPv6 (::ffff:1.2.3.4, as a dual-stack
 * listener reports it) is stored as plain IPv4, so "1.2.3.4" is one address
 * whichever socket saw it.
 *
 * An addr_list is parsed from "127.0.0.1/8, ::1, 10.0.0.0/8": comma
 * separated, IPv4 or IPv6, each with an optional /prefix (the whole address
 * when absent). Start reading at addr_list_new() in addr.c.
 */
#ifndef RUIN_NET_ADDR_H
#define RUIN_NET_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "base/buf.h"

/* Room for any address addr_format() writes, with its NUL (INET6_ADDRSTRLEN). */
#define ADDR_STRLEN 46

struct addr {
	int family;	      /* AF_INET, AF_INET6, or AF_UNSPEC when unknown */
	uint16_t port;	      /* host byte order; 0 when unknown */
	unsigned char ip[16]; /* network order; AF_INET uses the first 4 */
};

/*
 * Fills a from a socket address (as accept() or getpeername() give it),
 * unmapping IPv4-mapped IPv6. Anything but AF_INET/AF_INET6 (a unix socket)
 * gives family AF_UNSPEC and returns -EAFNOSUPPORT; -EINVAL if len is short.
 */
int addr_from_sockaddr(struct addr *a, const struct sockaddr *sa, socklen_t len);
/* Parses a numeric IPv4 or IPv6 address (no port, no prefix). 0 or -EINVAL. */
int addr_parse(struct addr *a, const char *s);
/*
 * Writes the printable address ("127.0.0.1", "::1"; "unknown" for
 * AF_UNSPEC) into out. Returns 0, or -ENOSPC if size < what it needs
 * (ADDR_STRLEN is always enough).
 */
int addr_format(const struct addr *a, char *out, size_t size);
/* Same family and address bytes (ports are ignored). */
bool addr_same_ip(const struct addr *a, const struct addr *b);

struct addr_list;

/*
 * Parses a list spec (see above). Empty entries and spaces around entries
 * are skipped, so "" is an empty list that matches nothing. Host bits past
 * the prefix are ignored ("127.0.0.1/8" is 127.0.0.0/8). On a bad entry
 * returns NULL and, if err is non-NULL, appends a one-line reason to it.
 */
struct addr_list *addr_list_new(const char *spec, struct buf *err);
void addr_list_free(struct addr_list *list);
/* Number of networks in the list. */
size_t addr_list_count(const struct addr_list *list);
/* True if a lies in one of the networks. A NULL list matches nothing. */
bool addr_list_match(const struct addr_list *list, const struct addr *a);
/* addr_list_match() on a socket address; false for non-IP families. */
bool addr_trusted(const struct addr_list *list, const struct sockaddr *sa, socklen_t len);

#endif
