/*
 * fuzz_bridge_tnc.c: ruin-bridge's side of the game connection. Bytes from
 * ruin-server go, in pieces, into the bridge's telnet client
 * (bridge/tnc.h), and every event it raises is turned into the JSON a
 * browser gets (bridge/wsout.h), the way bridge/session.c joins the two.
 *
 * The first input byte picks the configuration (Core.Supports list or
 * none, window size) and how the rest is cut into tnc_recv calls (its top
 * five bits seed the cuts; 0 feeds the rest in one call). The callbacks
 * answer like a browser behind the bridge would (a command after a
 * prompt, Core.Ping after GMCP, a resize now and then), which tnc.h allows.
 *
 * Checks, from the headers' promises: text and prompts are valid UTF-8
 * without controls other than LF, TAB and ESC (prompts without LF), a text
 * event that does not end a line is followed at once by another kind of
 * event unless it is a full TNC_MAX_PARTIAL, nothing is held after
 * tnc_flush(); GMCP package names are 1..TNC_MAX_PACKAGE of [A-Za-z0-9_.-]
 * and NUL-terminated with their JSON; echo events agree with
 * tnc_echo_enabled(); error() comes at most once; the stats count what the
 * callbacks saw. Every wsout message parses as one JSON object with its
 * type and timestamp, and text and prompts come back from the JSON byte for
 * byte; a GMCP message wsout cannot parse appends nothing.
 */
#include "fuzz.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "../../bridge/tnc.h"
#include "../../bridge/wsout.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "base/banned.h"

struct fuzz_tnc {
	struct tnc *tnc;
	struct buf json; /* the message for the browser, as session.c builds it */
	struct wsout_memo memo;
	struct buf memo_out; /* the same message through the memo */
	struct buf fresh;    /* and translated for the memo's reader */
	size_t text_bytes, gmcp_in, out_bytes;
	unsigned errors, events;
	bool partial; /* the last event was text that did not end a line */
	bool in_recv; /* inside tnc_recv (not an explicit tnc_flush) */
};

/* The JSON for the browser parses, is an object of that type, has a timestamp. */
static json_t *fuzz_tnc_parse(struct fuzz_tnc *f, const char *type)
{
	json_error_t err;
	json_t *m;

	FUZZ_CHECK(utf8_valid(f->json.data, f->json.len));
	m = json_loadb(f->json.data, f->json.len, 0, &err);
	FUZZ_CHECK(m != NULL);
	FUZZ_CHECK(json_is_object(m));
	FUZZ_CHECK(json_is_string(json_object_get(m, "type")));
	FUZZ_CHECK(!strcmp(json_string_value(json_object_get(m, "type")), type));
	FUZZ_CHECK(json_is_integer(json_object_get(m, "timestamp")));
	buf_clear(&f->json);
	return m;
}

/* Text for the browser: valid UTF-8, only LF, TAB and ESC below 0x20, no DEL or C1. */
static void fuzz_tnc_check_text(const char *s, size_t n, bool prompt)
{
	size_t i = 0;

	FUZZ_CHECK(s != NULL || n == 0);
	FUZZ_CHECK(utf8_valid(s, n));
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t len;

		if (c < 0x80) {
			FUZZ_CHECK(c >= 0x20 || c == '\n' || c == '\t' || c == 0x1B);
			FUZZ_CHECK(c != 0x7F);
			FUZZ_CHECK(!prompt || c != '\n');
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		FUZZ_CHECK(len > 0);
		FUZZ_CHECK(cp < 0x80 || cp > 0x9F);
		i += len;
	}
}

/* The data field of a text or prompt message is the text, byte for byte. */
static void fuzz_tnc_round_trip(struct fuzz_tnc *f, const char *type, const char *s, size_t n)
{
	json_t *m = fuzz_tnc_parse(f, type);
	json_t *data = json_object_get(m, "data");

	FUZZ_CHECK(json_is_string(data));
	FUZZ_CHECK(json_string_length(data) == n);
	FUZZ_CHECK(n == 0 || !memcmp(json_string_value(data), s, n));
	json_decref(m);
}

/* Any event but text ends a partial line. */
static void fuzz_tnc_event(struct fuzz_tnc *f)
{
	f->partial = false;
	f->events++;
}

static void fuzz_tnc_output(void *ud, const char *bytes, size_t n)
{
	struct fuzz_tnc *f = ud;

	FUZZ_CHECK(bytes != NULL || n == 0);
	f->out_bytes += n;
}

static void fuzz_tnc_text(void *ud, const char *text, size_t n)
{
	struct fuzz_tnc *f = ud;

	FUZZ_CHECK(n > 0);
	/* A part line is sent only right before another kind of event. */
	FUZZ_CHECK(!f->partial);
	fuzz_tnc_check_text(text, n, false);
	f->text_bytes += n;
	f->events++;
	f->partial = f->in_recv && text[n - 1] != '\n' && n < TNC_MAX_PARTIAL;
	wsout_text(&f->json, text, n, wsout_now_ms());
	fuzz_tnc_round_trip(f, "text", text, n);
	if (f->events % 7 == 3)
		tnc_resize(f->tnc, 40 + f->events % 200, 10 + f->events % 60);
}

static void fuzz_tnc_prompt(void *ud, const char *text, size_t n)
{
	struct fuzz_tnc *f = ud;

	fuzz_tnc_event(f);
	fuzz_tnc_check_text(text, n, true);
	f->text_bytes += n;
	wsout_prompt(&f->json, text, n, wsout_now_ms());
	fuzz_tnc_round_trip(f, "prompt", text, n);
	/* The player types the next command. */
	FUZZ_CHECK(tnc_send_line(f->tnc, "look", 4) == 0);
	FUZZ_CHECK(tnc_send_line(f->tnc, "say a\r\nquit", 11) == -EINVAL);
}

static void fuzz_tnc_echo(void *ud, bool enabled)
{
	struct fuzz_tnc *f = ud;
	json_t *m;

	fuzz_tnc_event(f);
	FUZZ_CHECK(tnc_echo_enabled(f->tnc) == enabled);
	wsout_echo(&f->json, enabled, wsout_now_ms());
	m = fuzz_tnc_parse(f, "echo");
	FUZZ_CHECK(json_is_boolean(json_object_get(m, "enabled")));
	FUZZ_CHECK(json_is_true(json_object_get(m, "enabled")) == enabled);
	json_decref(m);
}

static void fuzz_tnc_gmcp(void *ud, const char *package, const char *json, size_t n)
{
	struct fuzz_tnc *f = ud;
	size_t plen = strlen(package);
	json_t *m, *data;
	int64_t ts;
	int kind;

	fuzz_tnc_event(f);
	FUZZ_CHECK(plen >= 1 && plen <= TNC_MAX_PACKAGE);
	for (size_t i = 0; i < plen; i++) {
		unsigned char c = (unsigned char)package[i];

		FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.');
	}
	FUZZ_CHECK(json != NULL && json[n] == '\0');
	f->gmcp_in++;
	ts = wsout_now_ms();
	kind = wsout_gmcp(&f->json, package, json, n, ts);
	/*
	 * Through the memo (session.c's way), for no reader and two named ones:
	 * the same bytes as translating for that reader, translated or remembered.
	 */
	for (int pass = 0; pass < 6; pass++) {
		static const char *const readers[] = {NULL, "Ayla", "Quinn"};
		const char *self = readers[pass % 3];

		buf_clear(&f->memo_out);
		buf_clear(&f->fresh);
		FUZZ_CHECK(wsout_gmcp_memo(&f->memo, &f->memo_out, package, json, n, self, ts) ==
			   kind);
		wsout_gmcp_for(&f->fresh, package, json, n, self, ts);
		FUZZ_CHECK(f->memo_out.len == f->fresh.len);
		FUZZ_CHECK(f->fresh.len == 0 ||
			   memcmp(f->memo_out.data, f->fresh.data, f->fresh.len) == 0);
	}
	if (kind < 0) {
		FUZZ_CHECK(f->json.len == 0);
	} else {
		static const char *const types[] = {"update", "update", "broadcast", "gmcp"};

		FUZZ_CHECK(kind <= WSOUT_GMCP);
		m = fuzz_tnc_parse(f, types[kind]);
		data = json_object_get(m, "data");
		FUZZ_CHECK(data != NULL);
		if (kind == WSOUT_ROOM) {
			FUZZ_CHECK(!strcmp(json_string_value(json_object_get(m, "event")),
					   "room_description"));
			FUZZ_CHECK(json_is_array(json_object_get(data, "exits")));
			FUZZ_CHECK(json_is_array(json_object_get(data, "players")));
			FUZZ_CHECK(json_is_string(json_object_get(data, "name")));
		} else if (kind == WSOUT_VITALS) {
			FUZZ_CHECK(json_is_object(data));
		} else if (kind == WSOUT_BROADCAST) {
			FUZZ_CHECK(json_is_string(json_object_get(data, "player_name")));
			FUZZ_CHECK(json_is_string(json_object_get(data, "message")));
		} else {
			FUZZ_CHECK(
				!strcmp(json_string_value(json_object_get(m, "package")), package));
		}
		json_decref(m);
	}
	/* The browser pings back now and then; GMCP is on if it reached us. */
	if (f->gmcp_in % 3 == 1)
		FUZZ_CHECK(tnc_send_gmcp(f->tnc, "Core.Ping", NULL, 0) == 0 ||
			   !tnc_gmcp_on(f->tnc));
}

static void fuzz_tnc_error(void *ud, const char *reason)
{
	struct fuzz_tnc *f = ud;

	fuzz_tnc_event(f);
	FUZZ_CHECK(reason && *reason);
	f->errors++;
	FUZZ_CHECK(f->errors == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const supports[] = {"Char 1", "Room 1", "Comm 1", NULL};
	const struct tnc_callbacks cb = {
		.output = fuzz_tnc_output,
		.text = fuzz_tnc_text,
		.prompt = fuzz_tnc_prompt,
		.echo = fuzz_tnc_echo,
		.gmcp = fuzz_tnc_gmcp,
		.error = fuzz_tnc_error,
	};
	struct tnc_config cfg = {
		.client = "ruin-bridge",
		.version = "0.1",
		.terminal = "Mozilla/5.0 \"fuzz\"",
		.mtts = TNC_MTTS_WEB,
	};
	struct fuzz_tnc f = {0};
	const struct tnc_stats *st;
	unsigned flags, seed;
	size_t off = 1;

	if (size < 1)
		return 0;
	flags = data[0];
	cfg.supports = flags & 1 ? supports : NULL;
	cfg.cols = flags & 2 ? 120 : 0;
	cfg.rows = flags & 4 ? 40 : 0;
	seed = flags >> 3;
	buf_init(&f.json, 16 << 20);
	buf_init(&f.memo_out, 16 << 20);
	buf_init(&f.fresh, 16 << 20);
	wsout_memo_init(&f.memo);
	f.tnc = tnc_new(&cfg, &cb, &f);
	FUZZ_CHECK(f.tnc != NULL);
	while (off < size) {
		size_t n = size - off;

		if (seed) {
			/* Pieces of 1 to 16 bytes, from a tiny LCG over the seed. */
			seed = (seed * 1103515245u + 12345u) & 0x7fffffffu;
			n = 1 + (seed >> 16) % 16;
			if (n > size - off)
				n = size - off;
		}
		f.in_recv = true;
		tnc_recv(f.tnc, (const char *)data + off, n);
		f.in_recv = false;
		/* Between reads a part line may wait, but never one already sent. */
		FUZZ_CHECK(!f.partial);
		off += n;
	}
	tnc_flush(f.tnc);
	st = tnc_stats(f.tnc);
	FUZZ_CHECK(f.errors <= 1);
	FUZZ_CHECK(f.errors == 1 || !tnc_has_partial(f.tnc));
	FUZZ_CHECK(f.errors == 1 || st->bytes_in == size - 1);
	FUZZ_CHECK(st->bytes_out == f.out_bytes);
	FUZZ_CHECK(st->text_bytes == f.text_bytes);
	FUZZ_CHECK(st->gmcp_in == f.gmcp_in);
	tnc_free(f.tnc);
	buf_fini(&f.json);
	buf_fini(&f.memo_out);
	buf_fini(&f.fresh);
	wsout_memo_fini(&f.memo);
	return 0;
}
