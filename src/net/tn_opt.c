/*
 * tn_opt.c: the telnet options tn handles, and what they tell us.
 *
 * Start at tn_options[]: one row per option with what to do when the client
 * says WILL, DO or DONT (libtelnet's Q-method has already agreed) and with
 * its subnegotiations. Then the TTYPE cycle (with MTTS), NAWS, CHARSET, and
 * tn_opt_refresh(), which derives caps.utf8/latin1/color from all of them.
 */
#include "net/tn.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "net/tn_internal.h"
#include "base/banned.h"

/* TTYPE SENDs per connection: name, terminal, MTTS. */
#define TN_TTYPE_MAX_SENDS 3

#define TN_CHARSET_REQUEST  1
#define TN_CHARSET_ACCEPTED 2
#define TN_CHARSET_REJECTED 3

/* Our CHARSET REQUEST: separator ';', UTF-8 preferred, Latin-1 accepted. */
static const char tn_charset_request[] = "\x01;UTF-8;ISO-8859-1";

/* ---- names and the color rule -------------------------------------------- */

bool tn_opt_set_name(struct tn *tn, char **dst, const char *s, size_t n)
{
	size_t len = 0;

	buf_clear(&tn->scratch);
	utf8_repair(&tn->scratch, s, n);
	if (tn->scratch.len > 0)
		len = tn_input_strip(tn->scratch.data, tn->scratch.len, TN_MAX_NAME);
	buf_truncate(&tn->scratch, len);
	if (*dst && strcmp(*dst, buf_cstr(&tn->scratch)) == 0)
		return false;
	free(*dst);
	*dst = xstrndup(buf_cstr(&tn->scratch), len);
	tn->caps.client = tn->client;
	tn->caps.client_version = tn->client_version;
	tn->caps.terminal = tn->terminal;
	return true;
}

/* Case-insensitive (ASCII) substring test. */
static bool tn_opt_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++) {
		size_t i = 0;

		while (i < n && hay[i] &&
		       tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

/* Clients and terminals known by name (docs/protocol.md "Color levels"). */
static const struct {
	const char *name;
	enum color_level level;
} tn_color_names[] = {
	{"MUDLET", COLOR_TRUE}, {"TINTIN++", COLOR_256}, {"MUSHCLIENT", COLOR_256},
	{"CMUD", COLOR_256},	{"ZMUD", COLOR_16},	 {"DUMB", COLOR_NONE},
};

/* Parts of a terminal type that promise colors, checked in order. */
static const struct {
	const char *part;
	enum color_level level;
} tn_color_parts[] = {
	{"truecolor", COLOR_TRUE}, {"24bit", COLOR_TRUE},    {"-direct", COLOR_TRUE},
	{"256color", COLOR_256},   {"256-color", COLOR_256},
};

/* The level a name announces, or -1 if it says nothing. */
static int tn_opt_name_color(const char *name)
{
	if (!*name)
		return -1;
	for (size_t i = 0; i < sizeof(tn_color_names) / sizeof(tn_color_names[0]); i++) {
		if (str_eq_nocase(name, tn_color_names[i].name))
			return (int)tn_color_names[i].level;
	}
	for (size_t i = 0; i < sizeof(tn_color_parts) / sizeof(tn_color_parts[0]); i++) {
		if (tn_opt_contains(name, tn_color_parts[i].part))
			return (int)tn_color_parts[i].level;
	}
	return -1;
}

static enum color_level tn_opt_color(const struct tn *tn)
{
	int a, b;

	if (tn->caps.mtts_known) {
		if (tn->caps.mtts & TN_MTTS_TRUECOLOR)
			return COLOR_TRUE;
		if (tn->caps.mtts & TN_MTTS_256_COLORS)
			return COLOR_256;
		if (tn->caps.mtts & TN_MTTS_ANSI)
			return COLOR_16;
		return COLOR_NONE;
	}
	a = tn_opt_name_color(tn->client);
	b = tn_opt_name_color(tn->terminal);
	if (a < 0 && b < 0)
		return COLOR_16;
	return (enum color_level)(a > b ? a : b);
}

unsigned tn_opt_refresh(struct tn *tn)
{
	unsigned what = 0;
	bool utf8 =
		tn->charset_utf8 || (!tn->charset_latin1 && (tn->caps.mtts & TN_MTTS_UTF8) != 0);
	bool latin1 = !utf8 && tn->charset_latin1;
	enum color_level color = tn_opt_color(tn);

	if (utf8 != tn->caps.utf8 || latin1 != tn->caps.latin1) {
		tn->caps.utf8 = utf8;
		tn->caps.latin1 = latin1;
		what |= TN_CHANGED_CHARSET;
	}
	if (color != tn->caps.color) {
		tn->caps.color = color;
		what |= TN_CHANGED_COLOR;
	}
	return what;
}

/* ---- simple on/off options ----------------------------------------------- */

static void tn_opt_eor_on(struct tn *tn)
{
	tn->caps.eor = true;
	tn_notify(tn, TN_CHANGED_EOR);
}

static void tn_opt_eor_off(struct tn *tn)
{
	tn->caps.eor = false;
	tn_notify(tn, TN_CHANGED_EOR);
}

static void tn_opt_sga_on(struct tn *tn)
{
	tn->caps.sga = true;
	tn_notify(tn, TN_CHANGED_SGA);
}

static void tn_opt_sga_off(struct tn *tn)
{
	tn->caps.sga = false;
	tn_notify(tn, TN_CHANGED_SGA);
}

static void tn_opt_gmcp_on(struct tn *tn)
{
	tn->caps.gmcp = true;
	tn_notify(tn, TN_CHANGED_GMCP);
}

static void tn_opt_gmcp_off(struct tn *tn)
{
	tn->caps.gmcp = false;
	tn_notify(tn, TN_CHANGED_GMCP);
}

static void tn_opt_mssp_on(struct tn *tn)
{
	tn->mssp_on = true;
	tn_notify(tn, TN_CHANGED_MSSP_REQUEST);
}

static void tn_opt_mssp_off(struct tn *tn)
{
	tn->mssp_on = false;
}

/* ---- TTYPE and MTTS ------------------------------------------------------ */

static void tn_opt_ttype_send(struct tn *tn)
{
	tn->ttype_sends++;
	tn->ttype_waiting = true;
	telnet_ttype_send(tn->telnet);
}

static void tn_opt_ttype_will(struct tn *tn)
{
	if (tn->ttype_sends == 0)
		tn_opt_ttype_send(tn);
}

/* "MTTS 271" -> 271. */
static bool tn_opt_mtts(const char *name, unsigned *bits)
{
	long v;

	if (!str_prefix("MTTS ", name) || strlen(name) < 6)
		return false;
	if (str_to_long(name + 5, 0, INT_MAX, &v) != 0)
		return false;
	*bits = (unsigned)v;
	return true;
}

/*
 * The client's replies, by the MTTS convention: the client's name, then its
 * terminal type, then "MTTS <bits>". A reply that repeats the previous one
 * ends the cycle (a client with one type, or the end of its list).
 */
static void tn_opt_ttype_sb(struct tn *tn, const char *buf, size_t n)
{
	unsigned what = 0, bits;
	char *name = NULL;

	if (n < 1 || buf[0] != TELNET_TTYPE_IS || !tn->ttype_waiting)
		return;
	tn->ttype_waiting = false;
	tn_opt_set_name(tn, &name, buf + 1, n - 1);
	if (tn_opt_mtts(name, &bits)) {
		tn->caps.mtts = bits;
		tn->caps.mtts_known = true;
		tn->ttype_done = true;
		what |= TN_CHANGED_TTYPE;
	} else if (tn->ttype_last && str_eq_nocase(name, tn->ttype_last)) {
		tn->ttype_done = true;
	} else if (tn->ttype_sends == 1) {
		if (!tn->client_from_hello && tn_opt_set_name(tn, &tn->client, name, strlen(name)))
			what |= TN_CHANGED_TTYPE;
		if (tn_opt_set_name(tn, &tn->terminal, name, strlen(name)))
			what |= TN_CHANGED_TTYPE;
	} else if (tn->ttype_sends == 2) {
		if (tn_opt_set_name(tn, &tn->terminal, name, strlen(name)))
			what |= TN_CHANGED_TTYPE;
	}
	free(tn->ttype_last);
	tn->ttype_last = name;
	if (!tn->ttype_done && tn->ttype_sends < TN_TTYPE_MAX_SENDS)
		tn_opt_ttype_send(tn);
	else
		tn->ttype_done = true;
	tn_notify(tn, what | tn_opt_refresh(tn));
}

/* ---- NAWS ---------------------------------------------------------------- */

static void tn_opt_naws_sb(struct tn *tn, const char *buf, size_t n)
{
	const unsigned char *b = (const unsigned char *)buf;
	unsigned cols, rows;

	if (n != 4)
		return;
	cols = (unsigned)b[0] << 8 | b[1];
	rows = (unsigned)b[2] << 8 | b[3];
	if (cols == tn->caps.cols && rows == tn->caps.rows)
		return;
	tn->caps.cols = cols;
	tn->caps.rows = rows;
	tn_notify(tn, TN_CHANGED_NAWS);
}

/* ---- CHARSET (RFC 2066) -------------------------------------------------- */

/* Our REQUEST, once per connection, when the client agreed either way. */
static void tn_opt_charset_request(struct tn *tn)
{
	if (tn->charset_requested)
		return;
	tn->charset_requested = true;
	telnet_subnegotiation(tn->telnet, TN_TELOPT_CHARSET, tn_charset_request,
			      sizeof(tn_charset_request) - 1);
}

static bool tn_opt_is_utf8(const char *s, size_t n)
{
	return (n == 5 && strncasecmp(s, "UTF-8", 5) == 0) ||
	       (n == 4 && strncasecmp(s, "UTF8", 4) == 0);
}

static bool tn_opt_is_latin1(const char *s, size_t n)
{
	return (n == 10 && strncasecmp(s, "ISO-8859-1", 10) == 0) ||
	       (n == 10 && strncasecmp(s, "ISO_8859-1", 10) == 0) ||
	       (n == 6 && strncasecmp(s, "LATIN1", 6) == 0);
}

/* The client's own REQUEST: accept UTF-8 or Latin-1 if listed, else reject. */
static void tn_opt_charset_answer(struct tn *tn, const char *s, size_t n)
{
	static const char ttable[] = "[TTABLE]";
	bool utf8 = false, latin1 = false;
	char sep;

	if (n >= sizeof(ttable) && memcmp(s, ttable, sizeof(ttable) - 1) == 0) {
		s += sizeof(ttable);
		n -= sizeof(ttable);
	}
	if (n < 2) {
		/* Nothing listed (or a bare "[TTABLE]" and version): RFC 2066 still wants an
		 * answer. */
		telnet_subnegotiation(tn->telnet, TN_TELOPT_CHARSET, "\x03", 1);
		return;
	}
	sep = s[0];
	for (size_t i = 1; i < n;) {
		const char *e = memchr(s + i, sep, n - i);
		size_t len = e ? (size_t)(e - (s + i)) : n - i;

		utf8 = utf8 || tn_opt_is_utf8(s + i, len);
		latin1 = latin1 || tn_opt_is_latin1(s + i, len);
		i += len + 1;
	}
	if (utf8) {
		tn->charset_utf8 = true;
		tn->charset_latin1 = false;
		telnet_subnegotiation(tn->telnet, TN_TELOPT_CHARSET, "\x02UTF-8", 6);
	} else if (latin1) {
		tn->charset_latin1 = true;
		tn->charset_utf8 = false;
		telnet_subnegotiation(tn->telnet, TN_TELOPT_CHARSET, "\x02ISO-8859-1", 11);
	} else {
		telnet_subnegotiation(tn->telnet, TN_TELOPT_CHARSET, "\x03", 1);
	}
}

static void tn_opt_charset_sb(struct tn *tn, const char *buf, size_t n)
{
	if (n < 1)
		return;
	switch ((unsigned char)buf[0]) {
	case TN_CHARSET_ACCEPTED:
		if (tn_opt_is_utf8(buf + 1, n - 1)) {
			tn->charset_utf8 = true;
			tn->charset_latin1 = false;
		} else if (tn_opt_is_latin1(buf + 1, n - 1)) {
			tn->charset_latin1 = true;
			tn->charset_utf8 = false;
		}
		break;
	case TN_CHARSET_REQUEST:
		tn_opt_charset_answer(tn, buf + 1, n - 1);
		break;
	case TN_CHARSET_REJECTED:
	default:
		/* Rejected: we stay with what MTTS said, or ASCII. TTABLE
		 * messages: we never offered a translation table. */
		break;
	}
	tn_notify(tn, tn_opt_refresh(tn));
}

/* ---- the table ----------------------------------------------------------- */

static const struct tn_option tn_options[] = {
	{TELNET_TELOPT_SGA, NULL, tn_opt_sga_on, tn_opt_sga_off, NULL},
	{TELNET_TELOPT_TTYPE, tn_opt_ttype_will, NULL, NULL, tn_opt_ttype_sb},
	{TELNET_TELOPT_EOR, NULL, tn_opt_eor_on, tn_opt_eor_off, NULL},
	{TELNET_TELOPT_NAWS, NULL, NULL, NULL, tn_opt_naws_sb},
	{TN_TELOPT_CHARSET, tn_opt_charset_request, tn_opt_charset_request, NULL,
	 tn_opt_charset_sb},
	{TELNET_TELOPT_MSSP, NULL, tn_opt_mssp_on, tn_opt_mssp_off, NULL},
	{TELNET_TELOPT_COMPRESS2, NULL, tn_mccp2_start, tn_mccp2_end, NULL},
	{TN_TELOPT_GMCP, NULL, tn_opt_gmcp_on, tn_opt_gmcp_off, tn_gmcp_recv},
};

const struct tn_option *tn_opt_find(unsigned char opt)
{
	for (size_t i = 0; i < sizeof(tn_options) / sizeof(tn_options[0]); i++) {
		if (tn_options[i].opt == opt)
			return &tn_options[i];
	}
	return NULL;
}
