/*
 * tnc.c: ruin-bridge's telnet client (see tnc.h for what it negotiates).
 *
 * Start at tnc_recv(): bytes go to libtelnet, whose events come back to
 * tnc_event(). Data bytes collect in t->raw; tnc_drain() moves the part
 * that cannot still be completed by the next read (a split UTF-8 sequence
 * or ANSI escape stays behind) through tnc_clean() into t->ready, and
 * tnc_emit_lines() sends the whole lines of t->ready as text. Everything we
 * send goes through libtelnet, so IAC bytes are escaped.
 */
#include "tnc.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libtelnet.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "base/banned.h"

#define TNC_TELOPT_CHARSET   42
#define TNC_TELOPT_GMCP	     201
#define TNC_CHARSET_REQUEST  1
#define TNC_CHARSET_ACCEPTED 2
#define TNC_CHARSET_REJECTED 3

/* An ESC sequence longer than this is not held back any more. */
#define TNC_MAX_ESCAPE 32
/* Scratch for one GMCP message or one cleaned chunk. */
#define TNC_SCRATCH_LIMIT ((size_t)1 << 20)

/* What we accept from the server, for libtelnet's Q-method. */
static const telnet_telopt_t tnc_telopts[] = {
	{TELNET_TELOPT_ECHO, TELNET_WONT, TELNET_DO},
	{TELNET_TELOPT_SGA, TELNET_WONT, TELNET_DO},
	{TELNET_TELOPT_TTYPE, TELNET_WILL, TELNET_DONT},
	{TELNET_TELOPT_EOR, TELNET_WONT, TELNET_DO},
	{TELNET_TELOPT_NAWS, TELNET_WILL, TELNET_DONT},
	{TNC_TELOPT_CHARSET, TELNET_WILL, TELNET_DO},
	{TNC_TELOPT_GMCP, TELNET_WONT, TELNET_DO},
	{-1, 0, 0},
};

struct tnc {
	telnet_t *tel;
	struct tnc_callbacks cb;
	void *ud;
	char *client, *version, *terminal;
	char **supports;
	unsigned mtts;
	unsigned cols, rows;
	unsigned ttype_sent; /* TTYPE replies so far */
	bool gmcp_on, naws_on, echo_enabled;
	bool failed;	  /* error() was called: ignore everything */
	bool skip_sb;	  /* libtelnet overflowed a subnegotiation: drop data to IAC SE */
	struct buf raw;	  /* data bytes not yet cleaned (a split tail) */
	struct buf ready; /* cleaned text not yet emitted (a part line) */
	struct buf scratch;
	struct tnc_stats stats;
};

/* ---- text ------------------------------------------------------------------ */

/* The last LF in s, or NULL (memrchr is a GNU extension). */
static const char *tnc_last_nl(const char *s, size_t n)
{
	while (n > 0) {
		if (s[n - 1] == '\n')
			return s + n - 1;
		n--;
	}
	return NULL;
}

/* Appends s cleaned: valid UTF-8, no controls but LF, TAB and ESC, no C1 controls. */
static void tnc_clean(struct tnc *t, struct buf *out, const char *s, size_t n)
{
	static const char repl[] = "\xEF\xBF\xBD";
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t len;

		if (c < 0x80) {
			size_t j = i;

			/* Copy a run of printable ASCII at once. */
			while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7F)
				j++;
			if (j > i) {
				buf_append(out, s + i, j - i);
				i = j;
				continue;
			}
			if (c == '\n' || c == '\t' || c == 0x1B)
				buf_putc(out, (char)c);
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (!len) {
			buf_append(out, repl, 3);
			t->stats.replaced++;
			i++;
			/* The continuation bytes of the same bad sequence go with it. */
			for (int k = 0; k < 3 && i < n && ((unsigned char)s[i] & 0xC0) == 0x80; k++)
				i++;
			continue;
		}
		if (cp >= 0x80 && cp <= 0x9F) {
			i += len;
			continue;
		}
		buf_append(out, s + i, len);
		i += len;
	}
}

/* Length of the prefix of s that does not end inside an escape sequence. */
static size_t tnc_escape_prefix(const char *s, size_t n)
{
	size_t from = n > TNC_MAX_ESCAPE ? n - TNC_MAX_ESCAPE : 0;
	size_t e = n;

	for (size_t i = n; i > from; i--) {
		if (s[i - 1] == 0x1B) {
			e = i - 1;
			break;
		}
	}
	if (e == n)
		return n;
	if (e + 1 >= n)
		return e; /* a lone ESC at the end */
	if (s[e + 1] != '[')
		return n; /* a two-byte sequence, complete */
	for (size_t i = e + 2; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x40 && c <= 0x7E)
			return n; /* the final byte arrived */
		if (c < 0x20 || c > 0x3F)
			return n; /* not a CSI sequence after all */
	}
	return e;
}

/* Emits the whole lines of t->ready as one text event. */
static void tnc_emit_lines(struct tnc *t)
{
	const char *nl;
	size_t n;

	if (!t->ready.len)
		return;
	nl = tnc_last_nl(t->ready.data, t->ready.len);
	if (!nl) {
		if (t->ready.len < TNC_MAX_PARTIAL)
			return;
		n = t->ready.len;
	} else {
		n = (size_t)(nl - t->ready.data) + 1;
	}
	t->stats.text_bytes += n;
	t->cb.text(t->ud, t->ready.data, n);
	buf_consume(&t->ready, n);
}

/*
 * Cleans the raw data bytes into t->ready. Unless all is set, a tail that
 * the next read may complete (a split UTF-8 sequence, an unfinished escape
 * sequence) stays in t->raw.
 */
static void tnc_drain(struct tnc *t, bool all)
{
	size_t n = t->raw.len;

	if (!n)
		return;
	if (!all) {
		n = utf8_complete_prefix(t->raw.data, n);
		n = tnc_escape_prefix(t->raw.data, n);
	}
	if (!n)
		return;
	tnc_clean(t, &t->ready, t->raw.data, n);
	buf_consume(&t->raw, n);
	if (t->ready.err) {
		/* Cannot happen with the default limit and emit_lines draining it;
		 * if it did, send what fits rather than lose the session. */
		t->ready.err = 0;
	}
}

/* Sends everything held, part line included, as text. */
static void tnc_flush_all(struct tnc *t)
{
	tnc_drain(t, true);
	if (t->ready.len) {
		t->stats.text_bytes += t->ready.len;
		t->cb.text(t->ud, t->ready.data, t->ready.len);
		buf_clear(&t->ready);
	}
}

static void tnc_prompt(struct tnc *t)
{
	const char *nl;
	size_t head;

	tnc_drain(t, true);
	nl = t->ready.len ? tnc_last_nl(t->ready.data, t->ready.len) : NULL;
	head = nl ? (size_t)(nl - t->ready.data) + 1 : 0;
	if (head) {
		t->stats.text_bytes += head;
		t->cb.text(t->ud, t->ready.data, head);
	}
	t->stats.text_bytes += t->ready.len - head;
	t->cb.prompt(t->ud, t->ready.data ? t->ready.data + head : "", t->ready.len - head);
	buf_clear(&t->ready);
}

/* ---- negotiation ------------------------------------------------------------- */

static void tnc_fail(struct tnc *t, const char *reason)
{
	if (t->failed)
		return;
	/* What arrived before the violation is still shown. */
	tnc_flush_all(t);
	t->failed = true;
	t->cb.error(t->ud, reason);
}

static void tnc_send_naws(struct tnc *t)
{
	unsigned char sb[4] = {
		(unsigned char)(t->cols >> 8),
		(unsigned char)(t->cols & 0xFF),
		(unsigned char)(t->rows >> 8),
		(unsigned char)(t->rows & 0xFF),
	};

	telnet_subnegotiation(t->tel, TELNET_TELOPT_NAWS, (const char *)sb, sizeof(sb));
}

/* Appends s as a JSON string (s is short configuration text). */
static void tnc_json_string(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

static void tnc_gmcp_hello(struct tnc *t)
{
	struct buf *b = &t->scratch;

	buf_clear(b);
	buf_puts(b, "{\"client\":");
	tnc_json_string(b, t->client);
	buf_puts(b, ",\"version\":");
	tnc_json_string(b, t->version);
	buf_putc(b, '}');
	tnc_send_gmcp(t, "Core.Hello", b->data, b->len);
	if (!t->supports)
		return;
	buf_clear(b);
	buf_putc(b, '[');
	for (size_t i = 0; t->supports[i]; i++) {
		if (i)
			buf_putc(b, ',');
		tnc_json_string(b, t->supports[i]);
	}
	buf_putc(b, ']');
	tnc_send_gmcp(t, "Core.Supports.Set", b->data, b->len);
}

static void tnc_ttype(struct tnc *t)
{
	char mtts[32];

	switch (t->ttype_sent) {
	case 0:
		telnet_ttype_is(t->tel, t->client);
		break;
	case 1:
		telnet_ttype_is(t->tel, t->terminal);
		break;
	default:
		snprintf(mtts, sizeof(mtts), "MTTS %u", t->mtts);
		telnet_ttype_is(t->tel, mtts);
		break;
	}
	if (t->ttype_sent < 2)
		t->ttype_sent++;
}

/* True if the ';'-separated list (RFC 2066: the first byte is the separator) names UTF-8. */
static bool tnc_charset_has_utf8(const char *p, size_t n)
{
	char sep;
	size_t i = 1, start;

	if (n < 2)
		return false;
	sep = p[0];
	while (i <= n) {
		start = i;
		while (i < n && p[i] != sep)
			i++;
		if (i - start == 5 && !strncasecmp(p + start, "UTF-8", 5))
			return true;
		i++;
	}
	return false;
}

static void tnc_charset(struct tnc *t, const char *p, size_t n)
{
	static const char accepted[] = {TNC_CHARSET_ACCEPTED, 'U', 'T', 'F', '-', '8'};
	static const char rejected[] = {TNC_CHARSET_REJECTED};

	if (n < 1 || p[0] != TNC_CHARSET_REQUEST)
		return;
	if (tnc_charset_has_utf8(p + 1, n - 1))
		telnet_subnegotiation(t->tel, TNC_TELOPT_CHARSET, accepted, sizeof(accepted));
	else
		telnet_subnegotiation(t->tel, TNC_TELOPT_CHARSET, rejected, sizeof(rejected));
}

static bool tnc_package_ok(const char *p, size_t n)
{
	if (n == 0 || n > TNC_MAX_PACKAGE)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

static void tnc_gmcp_in(struct tnc *t, const char *p, size_t n)
{
	char package[TNC_MAX_PACKAGE + 1];
	/* An empty IAC SB GMCP IAC SE comes with a NULL buffer: no memchr on it. */
	const char *sp = n ? memchr(p, ' ', n) : NULL;
	size_t plen = sp ? (size_t)(sp - p) : n;
	const char *json = sp ? sp + 1 : "";
	size_t jlen = sp ? n - plen - 1 : 0;

	if (!tnc_package_ok(p, plen)) {
		t->stats.gmcp_dropped++;
		return;
	}
	memcpy(package, p, plen);
	package[plen] = '\0';
	if (t->cb.gmcp_repeat && t->cb.gmcp_repeat(t->ud, package, json, jlen)) {
		t->stats.gmcp_repeats++;
		return;
	}
	/* What came before the message is shown before it. */
	tnc_flush_all(t);
	t->stats.gmcp_in++;
	buf_clear(&t->scratch);
	buf_append(&t->scratch, json, jlen);
	t->cb.gmcp(t->ud, package, buf_cstr(&t->scratch), jlen);
}

static void tnc_will(struct tnc *t, unsigned char opt)
{
	switch (opt) {
	case TELNET_TELOPT_ECHO:
		tnc_flush_all(t);
		t->echo_enabled = false;
		t->cb.echo(t->ud, false);
		break;
	case TNC_TELOPT_GMCP:
		t->gmcp_on = true;
		tnc_gmcp_hello(t);
		break;
	default:
		break;
	}
}

static void tnc_wont(struct tnc *t, unsigned char opt)
{
	switch (opt) {
	case TELNET_TELOPT_ECHO:
		tnc_flush_all(t);
		t->echo_enabled = true;
		t->cb.echo(t->ud, true);
		break;
	case TNC_TELOPT_GMCP:
		t->gmcp_on = false;
		break;
	default:
		break;
	}
}

static void tnc_event(telnet_t *tel, telnet_event_t *ev, void *ud)
{
	struct tnc *t = ud;

	(void)tel;
	if (ev->type == TELNET_EV_SEND) {
		t->stats.bytes_out += ev->data.size;
		t->cb.output(t->ud, ev->data.buffer, ev->data.size);
		return;
	}
	if (t->failed)
		return;
	switch (ev->type) {
	case TELNET_EV_DATA:
		if (!t->skip_sb)
			buf_append(&t->raw, ev->data.buffer, ev->data.size);
		if (t->raw.len >= TNC_MAX_PARTIAL) {
			tnc_drain(t, false);
			tnc_emit_lines(t);
		}
		break;
	case TELNET_EV_IAC:
		if (ev->iac.cmd == TELNET_SE)
			t->skip_sb = false;
		else if (ev->iac.cmd == TELNET_EOR || ev->iac.cmd == TELNET_GA)
			tnc_prompt(t);
		break;
	case TELNET_EV_WILL:
		tnc_will(t, ev->neg.telopt);
		break;
	case TELNET_EV_WONT:
		tnc_wont(t, ev->neg.telopt);
		break;
	case TELNET_EV_DO:
		if (ev->neg.telopt == TELNET_TELOPT_NAWS) {
			t->naws_on = true;
			tnc_send_naws(t);
		}
		break;
	case TELNET_EV_DONT:
		if (ev->neg.telopt == TELNET_TELOPT_NAWS)
			t->naws_on = false;
		break;
	case TELNET_EV_TTYPE:
		if (ev->ttype.cmd == TELNET_TTYPE_SEND)
			tnc_ttype(t);
		break;
	case TELNET_EV_SUBNEGOTIATION:
		if (ev->sub.telopt == TNC_TELOPT_GMCP)
			tnc_gmcp_in(t, ev->sub.buffer, ev->sub.size);
		else if (ev->sub.telopt == TNC_TELOPT_CHARSET)
			tnc_charset(t, ev->sub.buffer, ev->sub.size);
		else if (ev->sub.telopt == TELNET_TELOPT_COMPRESS2)
			tnc_fail(t, "the server started MCCP2, which we refused");
		break;
	case TELNET_EV_COMPRESS:
		tnc_fail(t, "the server started MCCP2, which we refused");
		break;
	case TELNET_EV_WARNING:
	case TELNET_EV_ERROR:
		/* Debian's libtelnet 0.21 leaves errcode 0 here, hence the text. */
		if (ev->error.errcode == TELNET_EOVERFLOW ||
		    (ev->error.msg && strstr(ev->error.msg, "buffer size limit"))) {
			/* libtelnet gave up on a subnegotiation over 16 KiB and will
			 * pass the rest of it as data: drop that up to IAC SE. */
			t->stats.gmcp_dropped++;
			t->skip_sb = true;
			break;
		}
		if (ev->type == TELNET_EV_ERROR)
			tnc_fail(t, ev->error.msg ? ev->error.msg : "telnet protocol error");
		break;
	default:
		break;
	}
}

/* ---- life ---------------------------------------------------------------------- */

struct tnc *tnc_new(const struct tnc_config *cfg, const struct tnc_callbacks *cb, void *ud)
{
	struct tnc *t = xcalloc(1, sizeof(*t));

	t->tel = telnet_init(tnc_telopts, tnc_event, 0, t);
	if (!t->tel) {
		free(t);
		return NULL;
	}
	t->cb = *cb;
	t->ud = ud;
	t->client = xstrdup(cfg->client ? cfg->client : "ruin-bridge");
	t->version = xstrdup(cfg->version ? cfg->version : "");
	t->terminal = xstrdup(cfg->terminal ? cfg->terminal : "ANSI-TRUECOLOR");
	t->mtts = cfg->mtts;
	if (cfg->supports) {
		size_t n = 0;

		while (cfg->supports[n])
			n++;
		t->supports = xcalloc(n + 1, sizeof(char *));
		for (size_t i = 0; i < n; i++)
			t->supports[i] = xstrdup(cfg->supports[i]);
	}
	t->cols = cfg->cols ? cfg->cols : 80;
	t->rows = cfg->rows ? cfg->rows : 24;
	t->echo_enabled = true;
	buf_init(&t->raw, TNC_SCRATCH_LIMIT);
	buf_init(&t->ready, TNC_SCRATCH_LIMIT);
	buf_init(&t->scratch, TNC_SCRATCH_LIMIT);
	return t;
}

void tnc_free(struct tnc *t)
{
	if (!t)
		return;
	telnet_free(t->tel);
	free(t->client);
	free(t->version);
	free(t->terminal);
	if (t->supports) {
		for (size_t i = 0; t->supports[i]; i++)
			free(t->supports[i]);
		free(t->supports);
	}
	buf_fini(&t->raw);
	buf_fini(&t->ready);
	buf_fini(&t->scratch);
	free(t);
}

/* ---- input ------------------------------------------------------------------------ */

void tnc_recv(struct tnc *t, const char *bytes, size_t n)
{
	if (t->failed || !n)
		return;
	t->stats.bytes_in += n;
	telnet_recv(t->tel, bytes, n);
	if (t->failed)
		return;
	tnc_drain(t, false);
	tnc_emit_lines(t);
}

bool tnc_has_partial(const struct tnc *t)
{
	return t->ready.len > 0 || t->raw.len > 0;
}

void tnc_flush(struct tnc *t)
{
	if (!t->failed)
		tnc_flush_all(t);
}

/* ---- output ------------------------------------------------------------------------ */

int tnc_send_line(struct tnc *t, const char *line, size_t n)
{
	if (memchr(line, '\r', n) || memchr(line, '\n', n))
		return -EINVAL;
	if (n)
		telnet_send(t->tel, line, n);
	telnet_send(t->tel, "\r\n", 2);
	return 0;
}

int tnc_send_gmcp(struct tnc *t, const char *package, const char *json, size_t n)
{
	struct buf b;
	size_t plen = strlen(package);

	if (!tnc_package_ok(package, plen))
		return -EINVAL;
	if (!t->gmcp_on)
		return -ENOTCONN;
	buf_init(&b, plen + n + 2);
	buf_append(&b, package, plen);
	if (json && n) {
		buf_putc(&b, ' ');
		buf_append(&b, json, n);
	}
	telnet_subnegotiation(t->tel, TNC_TELOPT_GMCP, b.data, b.len);
	buf_fini(&b);
	return 0;
}

void tnc_resize(struct tnc *t, unsigned cols, unsigned rows)
{
	cols = cols < 1 ? 1 : cols > 65535 ? 65535 : cols;
	rows = rows < 1 ? 1 : rows > 65535 ? 65535 : rows;
	if (cols == t->cols && rows == t->rows)
		return;
	t->cols = cols;
	t->rows = rows;
	if (t->naws_on)
		tnc_send_naws(t);
}

bool tnc_gmcp_on(const struct tnc *t)
{
	return t->gmcp_on;
}

bool tnc_naws_on(const struct tnc *t)
{
	return t->naws_on;
}

bool tnc_echo_enabled(const struct tnc *t)
{
	return t->echo_enabled;
}

const struct tnc_stats *tnc_stats(const struct tnc *t)
{
	return &t->stats;
}
