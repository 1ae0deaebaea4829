/*
 * wsframe.c: WebSocket frames for browsers, and their permessage-deflate
 * (see wsframe.h for why the bridge writes its own).
 *
 * A compressed message is one run of deflate() with Z_SYNC_FLUSH over the
 * connection's stream, less the 00 00 ff ff the flush ends with (RFC 7692
 * section 7.2.1). The stream keeps its window from message to message
 * ("context takeover"), so a look at the same room compresses to a few
 * dozen bytes, unless the browser asked for server_no_context_takeover.
 */
#include "wsframe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/banned.h"

#define WSFRAME_CHUNK 4096

/* ---- the offer ------------------------------------------------------------------------ */

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *trim_end(const char *start, const char *end)
{
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return end;
}

static bool token_is(const char *s, const char *e, const char *name)
{
	size_t n = strlen(name);

	return (size_t)(e - s) == n && strncasecmp(s, name, n) == 0;
}

/* A parameter's value as a window size, 8-15; -1 if absent or not one. */
static int window_value(const char *v, const char *e)
{
	int bits = 0;

	if (v < e && *v == '"' && e - v >= 2 && e[-1] == '"') {
		v++;
		e--;
	}
	if (v == e || e - v > 2)
		return -1;
	for (; v < e; v++) {
		if (*v < '0' || *v > '9')
			return -1;
		bits = bits * 10 + (*v - '0');
	}
	return bits >= 8 && bits <= 15 ? bits : -1;
}

/*
 * One offer (s..e, without its separating comma): true if it is
 * permessage-deflate with parameters libwebsockets accepts, and then what
 * it asks of our side in server_bits (0: no limit) and no_takeover.
 */
static bool offer_parse(const char *s, const char *e, int *server_bits, bool *no_takeover)
{
	const char *p = s, *semi = memchr(s, ';', (size_t)(e - s));
	const char *name_end = trim_end(p, semi ? semi : e);

	p = skip_ws(p, name_end);
	if (!token_is(p, name_end, "permessage-deflate"))
		return false;
	*server_bits = 0;
	*no_takeover = false;
	while (semi) {
		const char *ps = skip_ws(semi + 1, e), *pe, *eq, *ne, *vs = NULL;

		semi = ps < e ? memchr(ps, ';', (size_t)(e - ps)) : NULL;
		pe = trim_end(ps, semi ? semi : e);
		eq = ps < pe ? memchr(ps, '=', (size_t)(pe - ps)) : NULL;
		ne = trim_end(ps, eq ? eq : pe);
		if (eq)
			vs = skip_ws(eq + 1, pe);
		if (token_is(ps, ne, "server_no_context_takeover") && !eq) {
			*no_takeover = true;
		} else if (token_is(ps, ne, "client_no_context_takeover") && !eq) {
			/* the browser's side: nothing for us */
		} else if (token_is(ps, ne, "server_max_window_bits") && eq) {
			*server_bits = window_value(vs, pe);
			if (*server_bits < 0)
				return false;
		} else if (token_is(ps, ne, "client_max_window_bits")) {
			if (eq && window_value(vs, pe) < 0)
				return false;
		} else if (ps != pe) {
			return false; /* a parameter RFC 7692 does not define */
		}
	}
	return true;
}

void wsframe_offer(const char *header, bool agreed, int window_bits, int mem_level,
		   struct wsframe_params *out)
{
	const char *p = header;

	memset(out, 0, sizeof(*out));
	out->mem_level = mem_level;
	if (!agreed || !header)
		return;
	while (*p) {
		const char *comma = strchr(p, ',');
		const char *e = comma ? comma : p + strlen(p);
		int server_bits;
		bool no_takeover;

		if (offer_parse(p, e, &server_bits, &no_takeover)) {
			out->window_bits = window_bits;
			if (server_bits && server_bits < out->window_bits)
				out->window_bits = server_bits;
			/* zlib's raw deflate cannot keep to a 256-byte window. */
			if (out->window_bits < 9)
				out->window_bits = 0;
			out->no_takeover = no_takeover;
			return;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
}

/* ---- the compressor ------------------------------------------------------------------- */

void wsframe_deflate_init(struct wsframe_deflate *d, const struct wsframe_params *p)
{
	memset(d, 0, sizeof(*d));
	d->p = *p;
}

void wsframe_deflate_fini(struct wsframe_deflate *d)
{
	if (d->ready)
		(void)deflateEnd(&d->z);
	d->ready = false;
	d->p.window_bits = 0;
}

size_t wsframe_deflate_memory(const struct wsframe_deflate *d)
{
	/* zlib's own figure (zconf.h) plus its state struct, about 6 KiB. */
	if (!d->ready)
		return 0;
	return ((size_t)1 << (d->p.window_bits + 2)) + ((size_t)1 << (d->p.mem_level + 9)) +
	       6 * 1024;
}

static int deflate_ready(struct wsframe_deflate *d)
{
	if (d->ready)
		return 0;
	memset(&d->z, 0, sizeof(d->z));
	if (deflateInit2(&d->z, 1, Z_DEFLATED, -d->p.window_bits, d->p.mem_level,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	d->ready = true;
	return 0;
}

/* Compresses msg into scratch as one flushed deflate block run; 0 or -1. */
static int deflate_message(struct wsframe_deflate *d, struct buf *scratch, const char *msg,
			   size_t n)
{
	unsigned char chunk[WSFRAME_CHUNK];

	if (deflate_ready(d) < 0)
		return -1;
	d->z.next_in = (unsigned char *)msg;
	d->z.avail_in = (uInt)n;
	do {
		int rc;

		d->z.next_out = chunk;
		d->z.avail_out = sizeof(chunk);
		rc = deflate(&d->z, Z_SYNC_FLUSH);
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return -1;
		if (buf_append(scratch, chunk, sizeof(chunk) - d->z.avail_out) < 0)
			return -1;
	} while (d->z.avail_out == 0);
	if (d->z.avail_in || scratch->len < 4 ||
	    memcmp(scratch->data + scratch->len - 4, "\x00\x00\xff\xff", 4) != 0)
		return -1;
	buf_truncate(scratch, scratch->len - 4);
	if (d->p.no_takeover && deflateReset(&d->z) != Z_OK)
		return -1;
	return 0;
}

/* ---- frames --------------------------------------------------------------------------- */

void wsframe_header(struct buf *out, int op, bool rsv1, size_t n)
{
	unsigned char h[10];
	size_t len = 2;

	h[0] = (unsigned char)(0x80 | (rsv1 ? 0x40 : 0) | (op & 0x0f));
	if (n < 126) {
		h[1] = (unsigned char)n;
	} else if (n < 65536) {
		h[1] = 126;
		h[2] = (unsigned char)(n >> 8);
		h[3] = (unsigned char)n;
		len = 4;
	} else {
		uint64_t v = (uint64_t)n;

		h[1] = 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (unsigned char)(v >> (56 - 8 * i));
		len = 10;
	}
	buf_append(out, h, len);
}

int wsframe_text(struct buf *out, struct wsframe_deflate *d, struct buf *scratch, const char *msg,
		 size_t n)
{
	if (d && d->p.window_bits && n >= WSFRAME_DEFLATE_MIN) {
		buf_clear(scratch);
		if (deflate_message(d, scratch, msg, n) < 0) {
			buf_clear(scratch);
			return -1;
		}
		wsframe_header(out, 1, true, scratch->len);
		buf_append(out, scratch->data, scratch->len);
		buf_clear(scratch);
		return 0;
	}
	wsframe_header(out, 1, false, n);
	buf_append(out, msg, n);
	return 0;
}
