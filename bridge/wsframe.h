/*
 * wsframe.h: the WebSocket frames ruin-bridge writes to a browser itself
 * (RFC 6455 section 5.2), compressed with permessage-deflate (RFC 7692)
 * when the browser offered it. Pure: messages in, frame bytes out; the
 * caller sends them (session_write.c, as one send for a turn's messages).
 *
 * Why not lws_write() per message: libwebsockets 4.1 compresses each
 * message into a 1 KiB buffer and sends what does not fit on later turns
 * of the loop, cannot leave a message uncompressed, and makes each message
 * its own send(), so a look (its text and its prompt) cost a cork, two
 * sends, an uncork and a poll(). Reading frames from the browser, control
 * frames (ping, pong, close) and the handshake stay with libwebsockets:
 * its control frames go out between our writes, which always end on a
 * frame boundary, and its inflater handles what the browser compresses.
 *
 * Start at wsframe_text(). A struct wsframe_deflate is one connection's
 * compressor: set up from the browser's offer (wsframe_offer()) when the
 * connection opens, freed with wsframe_deflate_fini() when it closes (a
 * resumed session gets a new one for its new connection).
 */
#ifndef RUIN_BRIDGE_WSFRAME_H
#define RUIN_BRIDGE_WSFRAME_H

#include <stdbool.h>
#include <stddef.h>

#include <zlib.h>

#include "base/buf.h"

/* Messages shorter than this go out uncompressed (RFC 7692 allows it per
 * message): a few bytes saved are not worth a pass through zlib. */
#define WSFRAME_DEFLATE_MIN 64

/* What a connection's permessage-deflate lets us compress with. */
struct wsframe_params {
	int window_bits;  /* 9-15; 0: compress nothing (not agreed, or no usable window) */
	int mem_level;	  /* zlib memory level, 1-9 */
	bool no_takeover; /* server_no_context_takeover: each message on its own */
};

struct wsframe_deflate {
	struct wsframe_params p;
	z_stream z;
	bool ready; /* deflateInit2() done: z holds zlib's state */
};

/*
 * What a browser's Sec-WebSocket-Extensions offer (header, NULL for none)
 * lets us send, given that libwebsockets agreed to permessage-deflate
 * (agreed) and our own window_bits and mem_level: the first
 * permessage-deflate offer counts, as for libwebsockets; its
 * server_max_window_bits caps our window (an offer of 8, a window zlib
 * cannot make, turns compression off) and server_no_context_takeover is
 * kept.
 */
void wsframe_offer(const char *header, bool agreed, int window_bits, int mem_level,
		   struct wsframe_params *out);

/* Sets d up for a connection with params p (no zlib state until the first
 * compressed message). */
void wsframe_deflate_init(struct wsframe_deflate *d, const struct wsframe_params *p);
/* Frees d's zlib state; d compresses nothing until set up again. */
void wsframe_deflate_fini(struct wsframe_deflate *d);
/* Bytes zlib holds for d (0 before its first compressed message). */
size_t wsframe_deflate_memory(const struct wsframe_deflate *d);

/*
 * Appends one final text frame carrying msg (n bytes, valid UTF-8) to out:
 * compressed (RSV1 set, the flush's 00 00 ff ff taken off) when d agreed
 * to compression and n is at least WSFRAME_DEFLATE_MIN, else as it is.
 * scratch is working space. 0, or -1 if zlib failed (out is unchanged;
 * the connection's compression context is then lost: close it).
 */
int wsframe_text(struct buf *out, struct wsframe_deflate *d, struct buf *scratch, const char *msg,
		 size_t n);

/* Appends a frame header: final, opcode op (1 text, 2 binary), rsv1, for a payload of n bytes. */
void wsframe_header(struct buf *out, int op, bool rsv1, size_t n);

#endif
