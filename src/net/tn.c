/*
 * tn.c: lifecycle, libtelnet glue and everything tn sends.
 *
 * Input is guarded and split into lines in tn_input.c (start reading at
 * tn_recv there); what passes the guard goes through libtelnet, whose
 * events come back to tn_event() below and are dispatched through the option
 * table in tn_opt.c. Every byte we send goes through libtelnet (so IAC is
 * escaped) and then through tn_emit(), which compresses it while MCCP2 is
 * on. We do the MCCP2 deflate ourselves rather than through libtelnet's
 * telnet_begin_compress2(): libtelnet 0.21 can neither end a compressed
 * stream (a client's DONT COMPRESS2) nor restart one, and it hides the byte
 * counts before compression.
 */
#include "net/tn.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define ZLIB_CONST
#include <zlib.h>

#include "base/utf8.h"
#include "base/xalloc.h"
#include "net/tn_internal.h"
#include "base/banned.h"

/* Text is converted and sent in pieces of about this many bytes. */
#define TN_TEXT_CHUNK 4096
/* Gathered wire bytes are handed over early past this size. */
#define TN_WIRE_MAX (64 * 1024)
/*
 * A drained wire buffer keeps at most this much allocated: a prompt or a
 * line of speech fits, a room's look is given back (the connection queues
 * the bytes anyway until the end of the loop pass).
 */
#define TN_WIRE_KEEP 1024
/* Deflate output buffer. */
#define TN_ZBUF_SIZE 16384
/* A client toggling DO/DONT COMPRESS2 gets this many streams, then WONT. */
#define TN_MCCP2_MAX_STARTS 8
/* Deflate window and memory: 2^13 bytes of history, about 64 KiB per
 * compressing connection instead of zlib's default 256 KiB. */
#define TN_Z_WINDOW_BITS 13
#define TN_Z_MEM_LEVEL	 6

/*
 * What we accept, for libtelnet's Q-method. COMPRESS2 comes first so the
 * table without it is tn_telopts + 1. ECHO is absent on purpose: the guard
 * keeps every ECHO negotiation away from libtelnet (see tn_echo_off).
 */
static const telnet_telopt_t tn_telopts[] = {
	{TELNET_TELOPT_COMPRESS2, TELNET_WILL, TELNET_DONT},
	{TELNET_TELOPT_EOR, TELNET_WILL, TELNET_DONT},
	{TN_TELOPT_GMCP, TELNET_WILL, TELNET_DONT},
	{TELNET_TELOPT_MSSP, TELNET_WILL, TELNET_DONT},
	{TELNET_TELOPT_TTYPE, TELNET_WONT, TELNET_DO},
	{TELNET_TELOPT_NAWS, TELNET_WONT, TELNET_DO},
	{TN_TELOPT_CHARSET, TELNET_WILL, TELNET_DO},
	{TELNET_TELOPT_SGA, TELNET_WILL, TELNET_DONT},
	{-1, 0, 0},
};

/* Our opening negotiation, in order (docs/protocol.md). */
static const struct {
	unsigned char cmd;
	unsigned char opt;
} tn_opening[] = {
	{TELNET_WILL, TELNET_TELOPT_EOR},  {TELNET_WILL, TN_TELOPT_GMCP},
	{TELNET_WILL, TELNET_TELOPT_MSSP}, {TELNET_WILL, TELNET_TELOPT_COMPRESS2},
	{TELNET_DO, TELNET_TELOPT_TTYPE},  {TELNET_DO, TELNET_TELOPT_NAWS},
	{TELNET_DO, TN_TELOPT_CHARSET},
};

/* ---- output ------------------------------------------------------------ */

/*
 * Wire bytes are gathered and handed to output() by tn_flush(), which every
 * public call that sends ends with: a room of 300 lines is one output() call
 * (one write), not two per line. A drained buffer keeps a small allocation
 * only, so idle sessions stay small.
 */
static void tn_wire_out(struct tn *tn)
{
	if (tn->wire.len)
		tn->cb.output(tn->ud, tn->wire.data, tn->wire.len);
	if (tn->wire.alloc > TN_WIRE_KEEP) {
		buf_fini(&tn->wire);
		buf_init(&tn->wire, 0);
	} else {
		buf_clear(&tn->wire);
	}
}

static void tn_wire(struct tn *tn, const char *p, size_t n)
{
	if (n == 0)
		return;
	tn->stats.bytes_out_wire += n;
	if (tn->wire.len + n > TN_WIRE_MAX) {
		tn_wire_out(tn);
		if (n > TN_WIRE_MAX) {
			tn->cb.output(tn->ud, p, n);
			return;
		}
	}
	buf_append(&tn->wire, p, n);
}

static void tn_deflate(struct tn *tn, const char *p, size_t n, int mode)
{
	z_stream *z = tn->z;

	assert(n <= UINT_MAX);
	z->next_in = (const Bytef *)p;
	z->avail_in = (uInt)n;
	do {
		int rc;

		z->next_out = tn->zbuf;
		z->avail_out = TN_ZBUF_SIZE;
		rc = deflate(z, mode);
		assert(rc != Z_STREAM_ERROR);
		(void)rc;
		tn_wire(tn, (const char *)tn->zbuf, TN_ZBUF_SIZE - z->avail_out);
	} while (z->avail_out == 0);
}

/* Every byte libtelnet wants sent. */
static void tn_emit(struct tn *tn, const char *p, size_t n)
{
	tn->stats.bytes_out_raw += n;
	if (!tn->z_on) {
		tn_wire(tn, p, n);
		return;
	}
	if (n == 0)
		return;
	tn_deflate(tn, p, n, Z_NO_FLUSH);
	tn->z_pending = true;
}

void tn_flush(struct tn *tn)
{
	if (tn->z_on && tn->z_pending) {
		tn_deflate(tn, NULL, 0, Z_SYNC_FLUSH);
		tn->z_pending = false;
	}
	tn_wire_out(tn);
}

static voidpf tn_zalloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return xcalloc(items, size);
}

static void tn_zfree(voidpf opaque, voidpf p)
{
	(void)opaque;
	free(p);
}

void tn_mccp2_start(struct tn *tn)
{
	if (tn->z_on || tn->mute)
		return;
	if (tn->mccp2_starts >= TN_MCCP2_MAX_STARTS) {
		telnet_negotiate(tn->telnet, TELNET_WONT, TELNET_TELOPT_COMPRESS2);
		return;
	}
	tn->mccp2_starts++;
	/* The marker goes out plain; everything after it is compressed. */
	telnet_subnegotiation(tn->telnet, TELNET_TELOPT_COMPRESS2, NULL, 0);
	if (!tn->z) {
		z_stream *z = xcalloc(1, sizeof(*z));
		int rc;

		z->zalloc = tn_zalloc;
		z->zfree = tn_zfree;
		rc = deflateInit2(z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, TN_Z_WINDOW_BITS,
				  TN_Z_MEM_LEVEL, Z_DEFAULT_STRATEGY);
		assert(rc == Z_OK);
		(void)rc;
		tn->z = z;
		tn->zbuf = xmalloc(TN_ZBUF_SIZE);
	} else {
		deflateReset(tn->z);
	}
	tn->z_on = true;
	tn->z_pending = false;
	tn->caps.mccp2 = true;
	tn_notify(tn, TN_CHANGED_MCCP2);
}

void tn_mccp2_end(struct tn *tn)
{
	if (!tn->z_on)
		return;
	tn_deflate(tn, NULL, 0, Z_FINISH);
	tn->z_on = false;
	tn->z_pending = false;
	tn->caps.mccp2 = false;
	tn_notify(tn, TN_CHANGED_MCCP2);
}

/* UTF-8 to Latin-1: code points up to U+00FF as one byte, the rest folded. */
static void tn_to_latin1(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);

		if (len == 0) {
			buf_putc(out, '?');
			i++;
			continue;
		}
		if (cp < 0x100)
			buf_putc(out, (char)cp);
		else
			utf8_to_ascii(out, s + i, len);
		i += len;
	}
}

/*
 * Appends p as wire bytes: every "\n" not already after "\r" made "\r\n"
 * (after_cr: the byte before p was "\r"), and IAC doubled, as
 * telnet_send() would. We write text ourselves rather than through
 * libtelnet (which only escapes IAC for data) so that one conversion can
 * serve many clients (tn_convert_text).
 */
static void tn_put_wire(struct buf *out, const char *p, size_t n, bool after_cr)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\n' && !(i > 0 ? p[i - 1] == '\r' : after_cr)) {
			buf_append(out, p + start, i - start);
			buf_append(out, "\r\n", 2);
			start = i + 1;
		} else if (c == TELNET_IAC) {
			buf_append(out, p + start, i + 1 - start);
			buf_putc(out, (char)TELNET_IAC);
			start = i + 1;
		}
	}
	buf_append(out, p + start, n - start);
}

/* Folds UTF-8 text for a client without UTF-8; UTF-8 is appended as it is. */
static void tn_fold(struct buf *out, enum tn_charset cs, const char *p, size_t n)
{
	if (cs == TN_CHARSET_LATIN1)
		tn_to_latin1(out, p, n);
	else if (cs == TN_CHARSET_ASCII)
		utf8_to_ascii(out, p, n);
	else
		buf_append(out, p, n);
}

enum tn_charset tn_charset(const struct tn *tn)
{
	return tn->caps.utf8	 ? TN_CHARSET_UTF8
	       : tn->caps.latin1 ? TN_CHARSET_LATIN1
				 : TN_CHARSET_ASCII;
}

void tn_convert_text(struct buf *out, enum tn_charset cs, const char *text, size_t n)
{
	struct buf folded;

	if (cs == TN_CHARSET_UTF8) {
		tn_put_wire(out, text, n, false);
		return;
	}
	/* Folding never makes more than 4 bytes of one ("..." for an ellipsis: 3 of 3). */
	buf_init(&folded, n * 4 + 16);
	tn_fold(&folded, cs, text, n);
	tn_put_wire(out, buf_cstr(&folded), folded.len, false);
	buf_fini(&folded);
}

/* A scratch buffer that grew past this is given back after use. */
#define TN_SCRATCH_KEEP 1024

static void tn_trim(struct buf *b)
{
	if (b->alloc > TN_SCRATCH_KEEP) {
		size_t limit = b->limit;

		buf_fini(b);
		buf_init(b, limit);
	} else {
		buf_clear(b);
	}
}

/* tn_send_text without the final flush. */
static void tn_text(struct tn *tn, const char *text, size_t n)
{
	enum tn_charset cs = tn_charset(tn);
	size_t off = 0;

	while (off < n) {
		size_t len = n - off;
		const char *p = text + off;

		if (len > TN_TEXT_CHUNK) {
			/* Cut before a character, not inside one. */
			len = TN_TEXT_CHUNK;
			for (int k = 0; k < 3 && ((unsigned char)p[len] & 0xC0) == 0x80; k++)
				len--;
		}
		buf_clear(&tn->out);
		if (cs == TN_CHARSET_UTF8) {
			tn_put_wire(&tn->out, p, len, tn->out_last_cr);
		} else {
			buf_clear(&tn->scratch);
			tn_fold(&tn->scratch, cs, p, len);
			tn_put_wire(&tn->out, buf_cstr(&tn->scratch), tn->scratch.len,
				    tn->out_last_cr);
		}
		if (!tn->mute)
			tn_emit(tn, tn->out.data, tn->out.len);
		tn->out_last_cr = p[len - 1] == '\r';
		off += len;
	}
	tn_trim(&tn->out);
	tn_trim(&tn->scratch);
}

void tn_send_text(struct tn *tn, const char *text, size_t n)
{
	tn_text(tn, text, n);
	tn_flush(tn);
}

/* Ends a prompt: IAC EOR if the client took EOR, else IAC GA unless SGA is on. */
static void tn_prompt_end(struct tn *tn)
{
	if (tn->caps.eor)
		telnet_iac(tn->telnet, TELNET_EOR);
	else if (!tn->caps.sga)
		telnet_iac(tn->telnet, TELNET_GA);
	tn->out_last_cr = false;
}

void tn_send_prompt(struct tn *tn, const char *text, size_t n)
{
	tn_text(tn, text, n);
	tn_prompt_end(tn);
	tn_flush(tn);
}

void tn_send_converted(struct tn *tn, const char *bytes, size_t n, bool prompt)
{
	if (n && !tn->mute)
		tn_emit(tn, bytes, n);
	if (prompt)
		tn_prompt_end(tn);
	else if (n)
		tn->out_last_cr = bytes[n - 1] == '\r';
	tn_flush(tn);
}

void tn_send_raw_neg(struct tn *tn, unsigned char cmd, unsigned char opt)
{
	char o = (char)opt;

	telnet_iac(tn->telnet, cmd);
	telnet_send(tn->telnet, &o, 1);
}

void tn_echo_off(struct tn *tn)
{
	tn_send_raw_neg(tn, TELNET_WILL, TELNET_TELOPT_ECHO);
	tn->caps.echo_off = true;
	tn_flush(tn);
}

void tn_echo_on(struct tn *tn)
{
	tn_send_raw_neg(tn, TELNET_WONT, TELNET_TELOPT_ECHO);
	tn->caps.echo_off = false;
	tn_flush(tn);
}

/* An MSSP name or value without the bytes that would end it early. */
static void tn_mssp_put(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c != TELNET_MSSP_VAR && c != TELNET_MSSP_VAL && c != TELNET_IAC)
			buf_putc(b, (char)c);
	}
}

void tn_send_mssp(struct tn *tn, const char *const *names, const char *const *values, size_t n)
{
	if (!tn->mssp_on)
		return;
	buf_clear(&tn->scratch);
	for (size_t i = 0; i < n; i++) {
		buf_putc(&tn->scratch, TELNET_MSSP_VAR);
		tn_mssp_put(&tn->scratch, names[i]);
		buf_putc(&tn->scratch, TELNET_MSSP_VAL);
		tn_mssp_put(&tn->scratch, values[i]);
	}
	if (tn->scratch.err)
		return;
	telnet_subnegotiation(tn->telnet, TELNET_TELOPT_MSSP, buf_cstr(&tn->scratch),
			      tn->scratch.len);
	tn_flush(tn);
}

/* ---- libtelnet events ---------------------------------------------------- */

static void tn_event(telnet_t *telnet, telnet_event_t *ev, void *ud)
{
	struct tn *tn = ud;
	const struct tn_option *o;

	(void)telnet;
	if (ev->type == TELNET_EV_SEND) {
		if (!tn->mute)
			tn_emit(tn, ev->data.buffer, ev->data.size);
		return;
	}
	if (tn->failed)
		return;
	switch (ev->type) {
	case TELNET_EV_DATA:
		tn_input_data(tn, ev->data.buffer, ev->data.size);
		break;
	case TELNET_EV_WILL:
		o = tn_opt_find(ev->neg.telopt);
		if (o && o->will)
			o->will(tn);
		break;
	case TELNET_EV_DO:
		o = tn_opt_find(ev->neg.telopt);
		if (o && o->do_)
			o->do_(tn);
		break;
	case TELNET_EV_DONT:
		o = tn_opt_find(ev->neg.telopt);
		if (o && o->dont)
			o->dont(tn);
		break;
	case TELNET_EV_SUBNEGOTIATION:
		o = tn_opt_find(ev->sub.telopt);
		if (o && o->sb)
			o->sb(tn, ev->sub.buffer, ev->sub.size);
		break;
	case TELNET_EV_ERROR:
		tn_fail(tn, "telnet protocol error");
		break;
	default:
		/* WONT (nothing of ours depends on the client's WONT), IAC
		 * commands, warnings, and the TTYPE/MSSP/ENVIRON/ZMP events
		 * that repeat a subnegotiation we parse ourselves. */
		break;
	}
}

bool tn_telopt_supported(const struct tn *tn, unsigned char opt, bool us)
{
	for (const telnet_telopt_t *t = tn->telopts; t->telopt != -1; t++) {
		if (t->telopt == opt)
			return us ? t->us == TELNET_WILL : t->him == TELNET_DO;
	}
	return false;
}

/* ---- lifecycle ----------------------------------------------------------- */

void tn_fail(struct tn *tn, const char *reason)
{
	if (tn->failed)
		return;
	tn->failed = true;
	tn->cb.error(tn->ud, reason);
}

void tn_notify(struct tn *tn, unsigned what)
{
	if (what && tn->cb.changed && !tn->restoring)
		tn->cb.changed(tn->ud, what);
}

struct tn *tn_new(const struct tn_config *cfg, const struct tn_callbacks *cb, void *ud)
{
	struct tn *tn = xcalloc(1, sizeof(*tn));

	assert(cb && cb->output && cb->line && cb->error);
	tn->cb = *cb;
	tn->ud = ud;
	tn->max_line = cfg && cfg->max_line ? cfg->max_line : TN_DEFAULT_MAX_LINE;
	if (tn->max_line > BUF_DEFAULT_LIMIT)
		tn->max_line = BUF_DEFAULT_LIMIT;
	tn->max_sb = cfg && cfg->max_sb ? cfg->max_sb : TN_DEFAULT_MAX_SB;
	if (tn->max_sb > TN_MAX_SB_LIMIT)
		tn->max_sb = TN_MAX_SB_LIMIT;
	tn->offer_mccp2 = cfg && cfg->mccp2;
	tn->telopts = tn->offer_mccp2 ? tn_telopts : tn_telopts + 1;
	tn->telnet = telnet_init(tn->telopts, tn_event, 0, tn);
	if (!tn->telnet)
		abort(); /* out of memory: see base/xalloc.h */

	buf_init(&tn->feed, 0);
	buf_init(&tn->line, tn->max_line);
	/* Repair turns one bad byte into three. */
	buf_init(&tn->line_out, tn->max_line * 3 + 4);
	buf_init(&tn->out, 0);
	buf_init(&tn->scratch, 0);
	buf_init(&tn->gmcp_in, 0);
	buf_init(&tn->wire, 0);

	tn->client = xstrdup("");
	tn->client_version = xstrdup("");
	tn->terminal = xstrdup("");
	tn->caps.client = tn->client;
	tn->caps.client_version = tn->client_version;
	tn->caps.terminal = tn->terminal;
	tn->caps.color = COLOR_16;
	tn_opt_refresh(tn);
	return tn;
}

void tn_free(struct tn *tn)
{
	if (!tn)
		return;
	telnet_free(tn->telnet);
	if (tn->z) {
		deflateEnd(tn->z);
		free(tn->z);
		free(tn->zbuf);
	}
	buf_fini(&tn->feed);
	buf_fini(&tn->line);
	buf_fini(&tn->line_out);
	buf_fini(&tn->out);
	buf_fini(&tn->scratch);
	buf_fini(&tn->gmcp_in);
	buf_fini(&tn->wire);
	free(tn->client);
	free(tn->client_version);
	free(tn->terminal);
	free(tn->ttype_last);
	tn_gmcp_fini(tn);
	free(tn);
}

void tn_start(struct tn *tn)
{
	for (size_t i = 0; i < sizeof(tn_opening) / sizeof(tn_opening[0]); i++) {
		if (tn_opening[i].opt == TELNET_TELOPT_COMPRESS2 && !tn->offer_mccp2)
			continue;
		telnet_negotiate(tn->telnet, tn_opening[i].cmd, tn_opening[i].opt);
	}
	tn_flush(tn);
}

const struct tn_caps *tn_caps(const struct tn *tn)
{
	return &tn->caps;
}

const struct tn_stats *tn_stats(const struct tn *tn)
{
	return &tn->stats;
}

bool tn_failed(const struct tn *tn)
{
	return tn->failed;
}
