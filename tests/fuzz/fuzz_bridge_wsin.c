/*
 * fuzz_bridge_wsin.c: what a browser sends ruin-bridge. One WebSocket text
 * frame goes through the browser message parser (bridge/wsin.h) and, as
 * bridge/session.c does, what it accepts goes on through the bridge's
 * telnet client (bridge/tnc.h) toward ruin-server as a line, a GMCP message
 * or a window size; what it refuses becomes the error message for the
 * browser (bridge/wsout.h). A second libtelnet, on the server's side of
 * the wire, decodes what the bridge sent.
 *
 * The first input byte picks the setting and the connection's state: a
 * tiny max_command or the default, whether the server has switched GMCP on
 * (IAC WILL GMCP) and asked for the window size (IAC DO NAWS). The rest is
 * the frame.
 *
 * Checks: a refusal has one of wsin.h's codes and a reason, and its error
 * message parses as JSON with that code. An accepted line is valid UTF-8
 * without controls other than TAB, within max_command, and reaches the
 * server as exactly those bytes and CR LF; an action's line starts with the
 * action's verb (a move is the direction itself). An accepted GMCP message
 * is one of the four a browser may send, with JSON data or none, and
 * reaches the server as one GMCP subnegotiation with exactly that text (or
 * is refused with -ENOTCONN before GMCP is on). A resize is within 1-65535
 * and reaches the server as one NAWS subnegotiation when NAWS is on and the
 * size changed, never otherwise.
 */
#include "fuzz.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>
#include <libtelnet.h>

#include "../../bridge/tnc.h"
#include "../../bridge/wsin.h"
#include "../../bridge/wsout.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "base/banned.h"

#define FUZZ_WSIN_GMCP 201

struct fuzz_wsin {
	struct tnc *tnc;
	telnet_t *server; /* ruin-server's end of the wire */
	struct buf data;  /* data bytes the server received */
	struct buf sb;	  /* the payload of the last subnegotiation it received */
	int sb_opt;
	unsigned sbs; /* subnegotiations received */
};

/* The server's end: records data and subnegotiations, ignores its own replies. */
static void fuzz_wsin_server_event(telnet_t *tel, telnet_event_t *ev, void *ud)
{
	struct fuzz_wsin *f = ud;

	(void)tel;
	switch (ev->type) {
	case TELNET_EV_DATA:
		buf_append(&f->data, ev->data.buffer, ev->data.size);
		break;
	case TELNET_EV_SUBNEGOTIATION:
		buf_clear(&f->sb);
		if (ev->sub.size)
			buf_append(&f->sb, ev->sub.buffer, ev->sub.size);
		f->sb_opt = ev->sub.telopt;
		f->sbs++;
		break;
	case TELNET_EV_ERROR:
		/* The bridge must never send the server broken telnet. */
		FUZZ_CHECK(!"the bridge sent broken telnet");
		break;
	default:
		break;
	}
}

static void fuzz_wsin_output(void *ud, const char *bytes, size_t n)
{
	struct fuzz_wsin *f = ud;

	FUZZ_CHECK(bytes != NULL || n == 0);
	telnet_recv(f->server, bytes, n);
}

/* Server to browser: not exercised here beyond the negotiation. */
static void fuzz_wsin_text(void *ud, const char *text, size_t n)
{
	(void)ud;
	(void)text;
	(void)n;
}

static void fuzz_wsin_echo(void *ud, bool enabled)
{
	(void)ud;
	(void)enabled;
}

static void fuzz_wsin_gmcp(void *ud, const char *package, const char *json, size_t n)
{
	(void)ud;
	(void)package;
	(void)json;
	(void)n;
}

static void fuzz_wsin_error(void *ud, const char *reason)
{
	(void)ud;
	(void)reason;
	FUZZ_CHECK(!"the negotiation the fuzzer sends is not an error");
}

static void fuzz_wsin_reset(struct fuzz_wsin *f)
{
	buf_clear(&f->data);
	buf_clear(&f->sb);
	f->sb_opt = -1;
	f->sbs = 0;
}

static void fuzz_wsin_refused(const char *code, struct buf *why)
{
	static const char *const codes[] = {
		WSIN_E_BAD_JSON,       WSIN_E_BAD_TYPE, WSIN_E_UNKNOWN_TYPE, WSIN_E_BAD_FIELD,
		WSIN_E_UNKNOWN_ACTION, WSIN_E_TOO_LONG, WSIN_E_GMCP_REFUSED,
	};
	bool known = false;
	struct buf out;
	json_error_t err;
	json_t *m;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (!strcmp(code, codes[i]))
			known = true;
	FUZZ_CHECK(known);
	FUZZ_CHECK(why->len > 0 && !why->err);
	buf_init(&out, 1 << 16);
	wsout_error(&out, code, buf_cstr(why), wsout_now_ms());
	FUZZ_CHECK(utf8_valid(out.data, out.len));
	m = json_loadb(out.data, out.len, 0, &err);
	FUZZ_CHECK(json_is_object(m));
	FUZZ_CHECK(!strcmp(json_string_value(json_object_get(m, "type")), "error"));
	FUZZ_CHECK(!strcmp(json_string_value(json_object_get(m, "code")), code));
	FUZZ_CHECK(json_string_length(json_object_get(m, "message")) > 0);
	json_decref(m);
	buf_fini(&out);
}

/* An action's line starts with its verb; a move is the direction alone. */
static void fuzz_wsin_check_action(const uint8_t *frame, size_t n, const struct buf *line)
{
	static const char *const dirs[] = {"north", "east", "south", "west", "up", "down"};
	json_t *root = json_loadb((const char *)frame, n, JSON_REJECT_DUPLICATES, NULL);
	json_t *action = json_object_get(root, "action");
	const char *a;
	size_t alen;

	if (!json_is_string(action)) {
		json_decref(root);
		return;
	}
	a = json_string_value(action);
	alen = strlen(a);
	if (!strcmp(a, "move")) {
		bool dir = false;

		for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
			if (!strcmp(buf_cstr(line), dirs[i]))
				dir = true;
		FUZZ_CHECK(dir);
	} else {
		FUZZ_CHECK(line->len >= alen && !memcmp(line->data, a, alen));
		FUZZ_CHECK(line->len == alen || line->data[alen] == ' ');
	}
	json_decref(root);
}

static void fuzz_wsin_line(struct fuzz_wsin *f, const struct buf *line, size_t max_command)
{
	FUZZ_CHECK(line->len <= max_command);
	FUZZ_CHECK(utf8_valid(line->data, line->len));
	for (size_t i = 0; i < line->len; i++) {
		unsigned char c = (unsigned char)line->data[i];

		FUZZ_CHECK((c >= 0x20 || c == '\t') && c != 0x7F);
	}
	FUZZ_CHECK(tnc_send_line(f->tnc, line->len ? line->data : "", line->len) == 0);
	FUZZ_CHECK(f->sbs == 0);
	FUZZ_CHECK(f->data.len == line->len + 2);
	FUZZ_CHECK(!memcmp(f->data.data, line->data ? line->data : "", line->len));
	FUZZ_CHECK(!memcmp(f->data.data + line->len, "\r\n", 2));
}

static void fuzz_wsin_gmcp_msg(struct fuzz_wsin *f, const struct wsin_msg *msg,
			       const struct buf *text, bool gmcp_on)
{
	static const char *const allowed[] = {"Core.Ping", "Core.Supports.Set", "Core.Supports.Add",
					      "Core.Supports.Remove"};
	bool ok = false;
	size_t plen = strlen(msg->package);
	int rc;

	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (!strcmp(msg->package, allowed[i]))
			ok = true;
	FUZZ_CHECK(ok);
	if (text->len) {
		json_t *j = json_loadb(text->data, text->len, JSON_DECODE_ANY, NULL);

		FUZZ_CHECK(j != NULL);
		json_decref(j);
	}
	rc = tnc_send_gmcp(f->tnc, msg->package, text->data, text->len);
	if (!gmcp_on) {
		FUZZ_CHECK(rc == -ENOTCONN);
		FUZZ_CHECK(f->sbs == 0 && f->data.len == 0);
		return;
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(f->sbs == 1 && f->sb_opt == FUZZ_WSIN_GMCP && f->data.len == 0);
	FUZZ_CHECK(f->sb.len == plen + (text->len ? 1 + text->len : 0));
	FUZZ_CHECK(!memcmp(f->sb.data, msg->package, plen));
	if (text->len) {
		FUZZ_CHECK(f->sb.data[plen] == ' ');
		FUZZ_CHECK(!memcmp(f->sb.data + plen + 1, text->data, text->len));
	}
}

static void fuzz_wsin_resize(struct fuzz_wsin *f, const struct wsin_msg *msg, bool naws_on)
{
	const unsigned char *p;

	FUZZ_CHECK(msg->cols >= 1 && msg->cols <= 65535);
	FUZZ_CHECK(msg->rows >= 1 && msg->rows <= 65535);
	tnc_resize(f->tnc, msg->cols, msg->rows);
	FUZZ_CHECK(f->data.len == 0);
	/* The window started at 80x24 (and was sent so when NAWS came on). */
	if (!naws_on || (msg->cols == 80 && msg->rows == 24)) {
		FUZZ_CHECK(f->sbs == 0);
		return;
	}
	FUZZ_CHECK(f->sbs == 1 && f->sb_opt == TELNET_TELOPT_NAWS && f->sb.len == 4);
	p = (const unsigned char *)f->sb.data;
	FUZZ_CHECK(((unsigned)p[0] << 8 | p[1]) == msg->cols);
	FUZZ_CHECK(((unsigned)p[2] << 8 | p[3]) == msg->rows);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const telnet_telopt_t server_opts[] = {
		{FUZZ_WSIN_GMCP, TELNET_WILL, TELNET_DONT},
		{TELNET_TELOPT_NAWS, TELNET_WONT, TELNET_DO},
		{-1, 0, 0},
	};
	static const char *const supports[] = {"Char 1", "Room 1", NULL};
	static const unsigned char will_gmcp[] = {255, 251, FUZZ_WSIN_GMCP};
	static const unsigned char do_naws[] = {255, 253, TELNET_TELOPT_NAWS};
	const struct tnc_callbacks cb = {
		.output = fuzz_wsin_output,
		.text = fuzz_wsin_text,
		.prompt = fuzz_wsin_text,
		.echo = fuzz_wsin_echo,
		.gmcp = fuzz_wsin_gmcp,
		.error = fuzz_wsin_error,
	};
	const struct tnc_config cfg = {
		.client = "ruin-bridge",
		.version = "0.1",
		.terminal = "fuzz",
		.mtts = TNC_MTTS_WEB,
		.supports = supports,
	};
	struct fuzz_wsin f = {0};
	struct wsin_msg msg;
	struct buf text, why;
	size_t max_command;
	bool gmcp_on, naws_on;
	const char *code;

	if (size < 1)
		return 0;
	max_command = data[0] & 1 ? 24 : 1024;
	gmcp_on = data[0] & 2;
	naws_on = data[0] & 4;
	buf_init(&f.data, 1 << 20);
	buf_init(&f.sb, 1 << 20);
	buf_init(&text, 2 * 8192 + 64); /* as the bridge: twice max_message, and some */
	buf_init(&why, 4096);
	f.server = telnet_init(server_opts, fuzz_wsin_server_event, 0, &f);
	FUZZ_CHECK(f.server != NULL);
	f.tnc = tnc_new(&cfg, &cb, &f);
	FUZZ_CHECK(f.tnc != NULL);
	if (gmcp_on)
		tnc_recv(f.tnc, (const char *)will_gmcp, sizeof(will_gmcp));
	if (naws_on)
		tnc_recv(f.tnc, (const char *)do_naws, sizeof(do_naws));
	FUZZ_CHECK(tnc_gmcp_on(f.tnc) == gmcp_on);
	FUZZ_CHECK(tnc_naws_on(f.tnc) == naws_on);
	/* Core.Hello and Core.Supports.Set, then the window size, went out. */
	FUZZ_CHECK(f.sbs == (gmcp_on ? 2u : 0u) + (naws_on ? 1u : 0u));
	fuzz_wsin_reset(&f);

	code = wsin_parse((const char *)data + 1, size - 1, max_command, &msg, &text, &why);
	if (code) {
		fuzz_wsin_refused(code, &why);
	} else {
		switch (msg.kind) {
		case WSIN_LINE:
			fuzz_wsin_line(&f, &text, max_command);
			fuzz_wsin_check_action(data + 1, size - 1, &text);
			break;
		case WSIN_GMCP:
			fuzz_wsin_gmcp_msg(&f, &msg, &text, gmcp_on);
			break;
		case WSIN_RESIZE:
			fuzz_wsin_resize(&f, &msg, naws_on);
			break;
		default:
			FUZZ_CHECK(!"wsin_parse returned an unknown kind");
		}
	}
	tnc_free(f.tnc);
	telnet_free(f.server);
	buf_fini(&f.data);
	buf_fini(&f.sb);
	buf_fini(&text);
	buf_fini(&why);
	return 0;
}
