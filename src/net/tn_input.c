/*
 * tn_input.c: everything a client sends, from raw bytes to input lines.
 *
 * Start reading at tn_recv(). Raw bytes first pass the guard, a small
 * telnet tokenizer in front of libtelnet that:
 *   - bounds every subnegotiation (max_sb) before libtelnet's own 16 KiB
 *     buffer overflows and leaks the tail into the data stream;
 *   - refuses a client's MCCP2 start marker (IAC SB 86), which would make
 *     libtelnet inflate our input;
 *   - keeps ECHO negotiation away from libtelnet's Q-method (tn_echo_off);
 *   - answers an option we do not support once, not once per request, so an
 *     IAC flood costs O(n) and earns at most one reply per option;
 *   - drops subnegotiations of options we do not parse, and IAC commands we
 *     ignore (NOP, GA, AYT, ...), and applies IAC EC / IAC EL to the line.
 * What passes is fed to libtelnet in order; before the guard acts itself it
 * first flushes what it has fed, so replies come out in stream order and the
 * same whatever the split of the input.
 *
 * Data bytes then reach the line discipline (tn_input_data): CR LF, CR NUL,
 * bare CR and bare LF end a line; BS/DEL erase a character; ESC sequences
 * (arrow keys) and other control bytes are dropped; a line over max_line is
 * dropped whole; the line is repaired to valid UTF-8 (or read as Latin-1).
 */
#include "net/tn.h"

#include <string.h>

#include "base/utf8.h"
#include "net/tn_internal.h"
#include "base/banned.h"

/* The guard hands bytes to libtelnet in batches of about this size. */
#define TN_FEED_BATCH 4096

/* ---- the guard ----------------------------------------------------------- */

static void tn_feed_flush(struct tn *tn)
{
	if (tn->feed.len == 0)
		return;
	telnet_recv(tn->telnet, tn->feed.data, tn->feed.len);
	buf_clear(&tn->feed);
}

static void tn_feed(struct tn *tn, const void *p, size_t n)
{
	if (tn->feed.len + n > TN_FEED_BATCH)
		tn_feed_flush(tn);
	if (n >= TN_FEED_BATCH) {
		telnet_recv(tn->telnet, (const char *)p, n);
		return;
	}
	buf_append(&tn->feed, p, n);
}

static void tn_feed2(struct tn *tn, unsigned char a, unsigned char b)
{
	const unsigned char bytes[2] = {a, b};

	tn_feed(tn, bytes, 2);
}

static void tn_feed3(struct tn *tn, unsigned char a, unsigned char b, unsigned char c)
{
	const unsigned char bytes[3] = {a, b, c};

	tn_feed(tn, bytes, 3);
}

/* Feeds what came before, then stops all input. */
static void tn_guard_fail(struct tn *tn, const char *reason)
{
	tn_feed_flush(tn);
	tn_fail(tn, reason);
}

static void tn_input_erase_char(struct tn *tn);
static void tn_input_erase_line(struct tn *tn);

/* IAC cmd opt with cmd one of WILL/WONT/DO/DONT. */
static void tn_guard_neg(struct tn *tn, unsigned char cmd, unsigned char opt)
{
	bool us = cmd == TELNET_DO || cmd == TELNET_DONT;

	if (opt == TELNET_TELOPT_ECHO) {
		/* Answers to our raw WILL/WONT ECHO need nothing; a client
		 * offering to echo itself is told no, once per offer. */
		tn_feed_flush(tn);
		if (cmd == TELNET_WILL && !tn->client_echo_refused) {
			tn->client_echo_refused = true;
			tn_send_raw_neg(tn, TELNET_DONT, TELNET_TELOPT_ECHO);
		} else if (cmd == TELNET_WONT) {
			tn->client_echo_refused = false;
		}
		return;
	}
	if (!tn_telopt_supported(tn, opt, us)) {
		int k = cmd == TELNET_WILL;
		unsigned char bit = (unsigned char)(1u << (opt & 7));

		/* WONT/DONT for an option that is off anyway needs no answer. */
		if (cmd == TELNET_WONT || cmd == TELNET_DONT)
			return;
		if (tn->refused[k][opt >> 3] & bit)
			return;
		tn->refused[k][opt >> 3] |= bit;
	}
	tn_feed3(tn, TELNET_IAC, cmd, opt);
}

/* One byte of a subnegotiation's data. */
static void tn_guard_sb_byte(struct tn *tn, unsigned char c)
{
	if (++tn->sb_len > tn->max_sb) {
		tn_guard_fail(tn, "subnegotiation too long");
		return;
	}
	if (!tn->sb_forward)
		return;
	if (c == TELNET_IAC)
		tn_feed2(tn, TELNET_IAC, TELNET_IAC);
	else
		tn_feed(tn, &c, 1);
}

static void tn_guard_iac(struct tn *tn, unsigned char c)
{
	tn->gstate = TN_G_DATA;
	switch (c) {
	case TELNET_WILL:
	case TELNET_WONT:
	case TELNET_DO:
	case TELNET_DONT:
		tn->gcmd = c;
		tn->gstate = TN_G_NEG;
		break;
	case TELNET_SB:
		tn->gstate = TN_G_SB_OPT;
		break;
	case TELNET_IAC:
		tn_feed2(tn, TELNET_IAC, TELNET_IAC);
		break;
	case TELNET_EC:
		tn_feed_flush(tn);
		tn_input_erase_char(tn);
		break;
	case TELNET_EL:
		tn_feed_flush(tn);
		tn_input_erase_line(tn);
		break;
	default:
		/* NOP, GA, EOR, DM, BREAK, IP, AO, AYT, a stray SE. */
		break;
	}
}

static void tn_guard_sb_opt(struct tn *tn, unsigned char c)
{
	const struct tn_option *o = tn_opt_find(c);

	if (c == TELNET_TELOPT_COMPRESS2) {
		tn_guard_fail(tn, "client sent an MCCP2 start marker");
		return;
	}
	tn->sb_opt = c;
	tn->sb_len = 0;
	tn->sb_forward = o && o->sb;
	tn->gstate = TN_G_SB;
	if (tn->sb_forward)
		tn_feed3(tn, TELNET_IAC, TELNET_SB, c);
}

static void tn_guard_byte(struct tn *tn, unsigned char c)
{
	switch (tn->gstate) {
	case TN_G_DATA:
		if (c == TELNET_IAC)
			tn->gstate = TN_G_IAC;
		else
			tn_feed(tn, &c, 1);
		break;
	case TN_G_IAC:
		tn_guard_iac(tn, c);
		break;
	case TN_G_NEG:
		tn->gstate = TN_G_DATA;
		tn_guard_neg(tn, tn->gcmd, c);
		break;
	case TN_G_SB_OPT:
		tn_guard_sb_opt(tn, c);
		break;
	case TN_G_SB:
		if (c == TELNET_IAC)
			tn->gstate = TN_G_SB_IAC;
		else
			tn_guard_sb_byte(tn, c);
		break;
	case TN_G_SB_IAC:
		if (c == TELNET_SE) {
			tn->gstate = TN_G_DATA;
			if (tn->sb_forward)
				tn_feed2(tn, TELNET_IAC, TELNET_SE);
		} else if (c == TELNET_IAC) {
			tn->gstate = TN_G_SB;
			tn_guard_sb_byte(tn, c);
		} else {
			tn_guard_fail(tn, "malformed subnegotiation");
		}
		break;
	}
}

void tn_recv(struct tn *tn, const char *bytes, size_t n)
{
	size_t i = 0;

	if (tn->failed)
		return;
	tn->stats.bytes_in += n;
	while (i < n && !tn->failed) {
		if (tn->gstate == TN_G_DATA) {
			/* Plain data runs up to the next IAC in one piece. */
			const char *iac = memchr(bytes + i, TELNET_IAC, n - i);
			size_t run = iac ? (size_t)(iac - (bytes + i)) : n - i;

			tn_feed(tn, bytes + i, run);
			i += run;
			if (iac) {
				tn->gstate = TN_G_IAC;
				i++;
			}
			continue;
		}
		tn_guard_byte(tn, (unsigned char)bytes[i++]);
	}
	if (!tn->failed)
		tn_feed_flush(tn);
	buf_clear(&tn->feed);
	tn_flush(tn);
}

/* ---- the line discipline ------------------------------------------------- */

size_t tn_input_strip(char *s, size_t n, size_t max)
{
	size_t r = 0, w = 0;

	while (r < n) {
		uint32_t cp;
		size_t len = utf8_decode(s + r, n - r, &cp);
		bool control;

		if (len == 0) {
			/* Not reached for repaired text; drop such a byte. */
			r++;
			continue;
		}
		control = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
		if (!control) {
			if (w + len > max)
				break;
			memmove(s + w, s + r, len);
			w += len;
		}
		r += len;
	}
	return w;
}

static void tn_input_eol(struct tn *tn)
{
	size_t len;

	if (tn->overflow) {
		tn->overflow = false;
		buf_clear(&tn->line);
		return;
	}
	buf_clear(&tn->line_out);
	if (tn->caps.latin1)
		utf8_from_latin1(&tn->line_out, buf_cstr(&tn->line), tn->line.len);
	else
		utf8_repair(&tn->line_out, buf_cstr(&tn->line), tn->line.len);
	buf_clear(&tn->line);
	len = tn->line_out.len;
	if (len > 0) {
		len = tn_input_strip(tn->line_out.data, len, len);
		buf_truncate(&tn->line_out, len);
	}
	tn->stats.lines_in++;
	tn->cb.line(tn->ud, buf_cstr(&tn->line_out), len);
}

static void tn_input_put(struct tn *tn, unsigned char c)
{
	if (tn->overflow)
		return;
	if (tn->line.len >= tn->max_line) {
		tn->overflow = true;
		buf_clear(&tn->line);
		if (tn->cb.line_too_long)
			tn->cb.line_too_long(tn->ud, tn->max_line);
		return;
	}
	buf_putc(&tn->line, (char)c);
}

static void tn_input_erase_char(struct tn *tn)
{
	size_t k = tn->line.len;

	if (tn->overflow || k == 0)
		return;
	k--;
	if (!tn->caps.latin1) {
		/* Back over continuation bytes to the character's lead byte. */
		while (k > 0 && tn->line.len - k < 4 &&
		       ((unsigned char)tn->line.data[k] & 0xC0) == 0x80)
			k--;
	}
	buf_truncate(&tn->line, k);
}

static void tn_input_erase_line(struct tn *tn)
{
	tn->overflow = false;
	buf_clear(&tn->line);
}

/* Inside an escape sequence: true if c belongs to it (and is dropped). */
static bool tn_input_esc(struct tn *tn, unsigned char c)
{
	switch (tn->esc) {
	case TN_ESC_START:
		if (c == '[' || c == 'O') {
			tn->esc = c == '[' ? TN_ESC_CSI : TN_ESC_SS3;
			return true;
		}
		tn->esc = TN_ESC_NONE;
		return false;
	case TN_ESC_CSI:
		if (c >= 0x20 && c <= 0x3F)
			return true; /* parameter and intermediate bytes */
		tn->esc = TN_ESC_NONE;
		return c >= 0x40 && c <= 0x7E;
	case TN_ESC_SS3:
		tn->esc = TN_ESC_NONE;
		return c >= 0x40 && c <= 0x7E;
	case TN_ESC_NONE:
		break;
	}
	return false;
}

static void tn_input_byte(struct tn *tn, unsigned char c)
{
	if (tn->pending_cr) {
		tn->pending_cr = false;
		if (c == '\n' || c == '\0')
			return;
	}
	if (tn->esc != TN_ESC_NONE && tn_input_esc(tn, c))
		return;
	switch (c) {
	case '\r':
		tn->pending_cr = true;
		tn_input_eol(tn);
		return;
	case '\n':
		tn_input_eol(tn);
		return;
	case 0x08:
	case 0x7F:
		tn_input_erase_char(tn);
		return;
	case 0x1B:
		tn->esc = TN_ESC_START;
		return;
	default:
		break;
	}
	if (c < 0x20)
		return;
	tn_input_put(tn, c);
}

void tn_input_data(struct tn *tn, const char *bytes, size_t n)
{
	for (size_t i = 0; i < n && !tn->failed; i++)
		tn_input_byte(tn, (unsigned char)bytes[i]);
}
