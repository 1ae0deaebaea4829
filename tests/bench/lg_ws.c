/*
 * lg_ws.c: the load generator's WebSocket transports (RFC 6455 client side),
 * for measuring what a WebSocket hop in front of the server costs:
 *
 *   ws        ruin-bridge's JSON: {"type":"command","command":line} out;
 *             "text" and "prompt" messages in (the rest is not needed).
 *             It offers permessage-deflate (RFC 7692) as every browser
 *             does, so the bridge compresses as it would for players; what
 *             it sends goes uncompressed, which the extension allows;
 *   wstelnet  websockify: the raw telnet stream in binary frames, decoded
 *             by lg_telnet.c's decoder (its answers go back framed).
 *
 * Start reading at lg_ws_recv(): the upgrade response first, then frames.
 */
#include "loadgen.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zlib.h>

#include "base/buf.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define LG_WS_MAX_MESSAGE (4u << 20) /* a bigger frame or message is an error */
#define LG_WS_MAX_HEADER  8192

enum lg_ws_op {
	LG_WS_CONT = 0x0,
	LG_WS_TEXT = 0x1,
	LG_WS_BINARY = 0x2,
	LG_WS_CLOSE = 0x8,
	LG_WS_PING = 0x9,
	LG_WS_PONG = 0xA,
};

struct lg_ws {
	bool json;	      /* ws (bridge JSON) rather than wstelnet */
	bool upgraded;	      /* the 101 response has arrived */
	struct buf in;	      /* bytes not parsed yet (header, then frames) */
	struct buf msg;	      /* a fragmented message being put together */
	uint32_t rng;	      /* masking keys (need not be secret against our own server) */
	struct lg_telnet *tn; /* wstelnet: the telnet decoder */
	bool deflate;	      /* the server took permessage-deflate */
	bool reset_inflate;   /* ... with server_no_context_takeover */
	bool msg_deflated;    /* the message in ws->msg is compressed (RSV1) */
	z_stream z;	      /* its inflater, once deflate is agreed */
	struct buf plain;     /* one inflated message */
};

static uint32_t lg_ws_rand(struct lg_ws *ws)
{
	/* xorshift32 */
	ws->rng ^= ws->rng << 13;
	ws->rng ^= ws->rng >> 17;
	ws->rng ^= ws->rng << 5;
	return ws->rng;
}

/* Sends one masked frame (clients must mask). */
static void lg_ws_frame(struct lg_conn *c, struct lg_ws *ws, enum lg_ws_op op, const void *p,
			size_t n)
{
	unsigned char h[14], mask[4];
	unsigned char chunk[512];
	size_t hl = 0;
	uint32_t key = lg_ws_rand(ws);

	h[hl++] = (unsigned char)(0x80 | op);
	if (n < 126) {
		h[hl++] = (unsigned char)(0x80 | n);
	} else if (n < 65536) {
		h[hl++] = 0x80 | 126;
		h[hl++] = (unsigned char)(n >> 8);
		h[hl++] = (unsigned char)n;
	} else {
		h[hl++] = 0x80 | 127;
		for (int i = 7; i >= 0; i--)
			h[hl++] = (unsigned char)((uint64_t)n >> (8 * i));
	}
	memcpy(mask, &key, 4);
	memcpy(h + hl, mask, 4);
	hl += 4;
	lg_write(c, h, hl);
	for (size_t off = 0; off < n; off += sizeof(chunk)) {
		size_t len = n - off < sizeof(chunk) ? n - off : sizeof(chunk);

		for (size_t i = 0; i < len; i++)
			chunk[i] = ((const unsigned char *)p)[off + i] ^ mask[(off + i) & 3];
		lg_write(c, chunk, len);
	}
}

/* The telnet decoder's answers, framed (wstelnet). */
static void lg_ws_answer(struct lg_conn *c, void *ctx, const void *bytes, size_t n);

static void *lg_ws_open_mode(struct lg_conn *c, bool json)
{
	struct lg_ws *ws = xcalloc(1, sizeof(*ws));
	unsigned char key[16];
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char key64[32];
	const char *host;
	int port;
	struct buf req;
	size_t k = 0;

	ws->json = json;
	ws->rng = 0x9e3779b9u ^ (uint32_t)(uintptr_t)c;
	if (!ws->rng)
		ws->rng = 1;
	buf_init(&ws->in, LG_WS_MAX_MESSAGE + LG_WS_MAX_HEADER);
	buf_init(&ws->msg, LG_WS_MAX_MESSAGE);
	if (!json)
		ws->tn = lg_telnet_decoder_new(lg_ws_answer, ws);
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)lg_ws_rand(ws);
	/* 16 bytes: five whole groups of three, then one byte and "==". */
	for (size_t i = 0; i + 2 < sizeof(key); i += 3) {
		uint32_t v = (uint32_t)key[i] << 16 | (uint32_t)key[i + 1] << 8 | key[i + 2];

		key64[k++] = b64[(v >> 18) & 63];
		key64[k++] = b64[(v >> 12) & 63];
		key64[k++] = b64[(v >> 6) & 63];
		key64[k++] = b64[v & 63];
	}
	key64[k++] = b64[key[15] >> 2];
	key64[k++] = b64[(key[15] & 3) << 4];
	key64[k++] = '=';
	key64[k++] = '=';
	key64[k] = '\0';

	lg_conn_target(c, &host, &port);
	buf_init(&req, 4096);
	buf_printf(&req,
		   "GET %s HTTP/1.1\r\n"
		   "Host: %s:%d\r\n"
		   "Origin: http://%s:%d\r\n"
		   "Upgrade: websocket\r\n"
		   "Connection: Upgrade\r\n"
		   "Sec-WebSocket-Key: %s\r\n"
		   "Sec-WebSocket-Version: 13\r\n"
		   "%s"
		   "\r\n",
		   json ? "/ws" : "/", host, port, host, port, key64,
		   json ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
			: "Sec-WebSocket-Protocol: binary\r\n");
	lg_write(c, req.data, req.len);
	buf_fini(&req);
	return ws;
}

static void *lg_ws_open(struct lg_conn *c)
{
	return lg_ws_open_mode(c, true);
}

static void *lg_wstelnet_open(struct lg_conn *c)
{
	return lg_ws_open_mode(c, false);
}

static void lg_ws_close(void *st)
{
	struct lg_ws *ws = st;

	buf_fini(&ws->in);
	buf_fini(&ws->msg);
	buf_fini(&ws->plain);
	if (ws->deflate)
		inflateEnd(&ws->z);
	lg_telnet_decoder_free(ws->tn);
	free(ws);
}

static void lg_ws_answer(struct lg_conn *c, void *ctx, const void *bytes, size_t n)
{
	lg_ws_frame(c, ctx, LG_WS_BINARY, bytes, n);
}

/*
 * Inflates one compressed message (RFC 7692: its deflate stream usually lacks
 * the final empty block, which we append). A sender may also end a message
 * with a final block (BFINAL): the stream ends there, and the next message
 * starts a new one.
 */
static int lg_ws_inflate(struct lg_ws *ws, const char *p, size_t n)
{
	static const unsigned char tail[4] = {0x00, 0x00, 0xff, 0xff};
	unsigned char out[16384];
	bool ended = false;

	buf_clear(&ws->plain);
	for (int part = 0; part < 2 && !ended; part++) {
		ws->z.next_in = part ? (Bytef *)tail : (Bytef *)p;
		ws->z.avail_in = part ? sizeof(tail) : (uInt)n;
		do {
			int rc;

			ws->z.next_out = out;
			ws->z.avail_out = sizeof(out);
			rc = inflate(&ws->z, Z_SYNC_FLUSH);
			if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END)
				return -1;
			if (buf_append(&ws->plain, out, sizeof(out) - ws->z.avail_out) < 0)
				return -1;
			if (rc == Z_STREAM_END) {
				ended = true;
				break;
			}
		} while (ws->z.avail_out == 0);
	}
	if (ws->reset_inflate || ended)
		inflateReset(&ws->z);
	return 0;
}

/* One whole message from the server. */
static void lg_ws_message(struct lg_conn *c, struct lg_ws *ws, const char *p, size_t n,
			  bool deflated)
{
	json_t *m, *data;
	const char *type;

	if (deflated) {
		if (!ws->deflate || lg_ws_inflate(ws, p, n) < 0) {
			lg_fail(c, "a compressed WebSocket message that does not inflate");
			return;
		}
		p = ws->plain.data;
		n = ws->plain.len;
		lg_inflated(c);
	}
	if (!ws->json) {
		lg_telnet_decode(c, ws->tn, p, n);
		return;
	}
	m = json_loadb(p, n, 0, NULL);
	if (!m) {
		lg_fail(c, "the bridge sent a message that is not JSON");
		return;
	}
	type = json_string_value(json_object_get(m, "type"));
	data = json_object_get(m, "data");
	if (type && json_is_string(data) &&
	    (strcmp(type, "text") == 0 || strcmp(type, "prompt") == 0)) {
		lg_text(c, json_string_value(data), json_string_length(data));
		if (type[0] == 'p')
			lg_prompt(c);
	}
	json_decref(m);
}

/* Parses what frames are whole in ws->in; false if the connection failed. */
static bool lg_ws_frames(struct lg_conn *c, struct lg_ws *ws)
{
	const unsigned char *b = (const unsigned char *)ws->in.data;
	size_t off = 0;

	while (ws->in.len - off >= 2) {
		const unsigned char *f = b + off;
		size_t avail = ws->in.len - off, hl = 2;
		bool fin = f[0] & 0x80, masked = f[1] & 0x80, rsv1 = f[0] & 0x40;
		unsigned op = f[0] & 0x0f;
		uint64_t len = f[1] & 0x7f;
		unsigned char *payload;

		if (len == 126) {
			if (avail < 4)
				break;
			len = (uint64_t)f[2] << 8 | f[3];
			hl = 4;
		} else if (len == 127) {
			if (avail < 10)
				break;
			len = 0;
			for (int i = 0; i < 8; i++)
				len = len << 8 | f[2 + i];
			hl = 10;
		}
		if (masked)
			hl += 4;
		if (len > LG_WS_MAX_MESSAGE) {
			lg_fail(c, "a WebSocket frame over 4 MiB");
			return false;
		}
		if (avail < hl + len)
			break;
		payload = (unsigned char *)ws->in.data + off + hl;
		if (masked)
			for (uint64_t i = 0; i < len; i++)
				payload[i] ^= f[hl - 4 + (i & 3)];
		off += hl + (size_t)len;
		switch (op) {
		case LG_WS_CLOSE:
			lg_fail(c, "the WebSocket was closed by the other side");
			return false;
		case LG_WS_PING:
			lg_ws_frame(c, ws, LG_WS_PONG, payload, (size_t)len);
			break;
		case LG_WS_PONG:
			break;
		case LG_WS_CONT:
		case LG_WS_TEXT:
		case LG_WS_BINARY:
			if (fin && op != LG_WS_CONT && !ws->msg.len) {
				lg_ws_message(c, ws, (const char *)payload, (size_t)len, rsv1);
				break;
			}
			/* RSV1 on a message's first frame says the whole message is compressed. */
			if (op != LG_WS_CONT)
				ws->msg_deflated = rsv1;
			if (buf_append(&ws->msg, payload, (size_t)len) < 0) {
				lg_fail(c, "a WebSocket message over 4 MiB");
				return false;
			}
			if (fin) {
				lg_ws_message(c, ws, ws->msg.data, ws->msg.len, ws->msg_deflated);
				buf_clear(&ws->msg);
			}
			break;
		default:
			lg_fail(c, "an unknown WebSocket opcode");
			return false;
		}
	}
	buf_consume(&ws->in, off);
	return true;
}

/* Whether the 101 response's header (head[n]) agreed to permessage-deflate, and how. */
static void lg_ws_extensions(struct lg_ws *ws, const char *head, size_t n)
{
	char h[LG_WS_MAX_HEADER + 1];
	char *ext, *eol;

	if (n > LG_WS_MAX_HEADER)
		n = LG_WS_MAX_HEADER;
	memcpy(h, head, n);
	h[n] = '\0';
	str_lower(h);
	ext = strstr(h, "\nsec-websocket-extensions:");
	if (!ws->json || !ext)
		return;
	eol = strchr(ext + 1, '\n');
	if (eol)
		*eol = '\0';
	ext = strstr(ext, "permessage-deflate");
	if (!ext)
		return;
	ws->reset_inflate = strstr(ext, "server_no_context_takeover") != NULL;
	/* A 15-bit window inflates whatever smaller window the server chose. */
	if (inflateInit2(&ws->z, -15) != Z_OK)
		return;
	buf_init(&ws->plain, LG_WS_MAX_MESSAGE);
	ws->deflate = true;
}

static void lg_ws_recv(struct lg_conn *c, void *st, const char *bytes, size_t n)
{
	struct lg_ws *ws = st;

	if (buf_append(&ws->in, bytes, n) < 0) {
		lg_fail(c, "WebSocket input past 4 MiB");
		return;
	}
	if (!ws->upgraded) {
		const char *end = memmem(ws->in.data, ws->in.len, "\r\n\r\n", 4);

		if (!end) {
			if (ws->in.len > LG_WS_MAX_HEADER)
				lg_fail(c, "an endless HTTP response header");
			return;
		}
		if (ws->in.len < 12 || memcmp(ws->in.data + 9, "101", 3) != 0) {
			char first[80];
			const char *eol = memchr(ws->in.data, '\r', ws->in.len);
			int len = (int)(eol - ws->in.data);

			snprintf(first, sizeof(first), "upgrade refused: %.*s", len > 60 ? 60 : len,
				 ws->in.data);
			lg_fail(c, first);
			return;
		}
		lg_ws_extensions(ws, ws->in.data, (size_t)(end - ws->in.data));
		buf_consume(&ws->in, (size_t)(end + 4 - ws->in.data));
		ws->upgraded = true;
	}
	lg_ws_frames(c, ws);
}

static void lg_ws_send_line(struct lg_conn *c, void *st, const char *line, size_t n)
{
	struct lg_ws *ws = st;
	struct buf m;

	if (!ws->json) {
		buf_init(&m, n + 2);
		buf_append(&m, line, n);
		buf_append(&m, "\r\n", 2);
		lg_ws_frame(c, ws, LG_WS_BINARY, m.data, m.len);
		buf_fini(&m);
		return;
	}
	{
		json_t *o = json_pack("{s:s, s:s%}", "type", "command", "command", line, n);
		char *text = json_dumps(o, JSON_COMPACT);

		lg_ws_frame(c, ws, LG_WS_TEXT, text, strlen(text));
		free(text);
		json_decref(o);
	}
}

const struct lg_transport lg_ws_transport = {
	.name = "ws",
	.open = lg_ws_open,
	.close = lg_ws_close,
	.recv = lg_ws_recv,
	.send_line = lg_ws_send_line,
};

const struct lg_transport lg_wstelnet_transport = {
	.name = "wstelnet",
	.open = lg_wstelnet_open,
	.close = lg_ws_close,
	.recv = lg_ws_recv,
	.send_line = lg_ws_send_line,
};
