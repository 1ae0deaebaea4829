/*
 * fuzz_admin.c: what a console sends the admin socket (src/admin_proto.h
 * behind base/lines.h), as the server reads it.
 *
 * The first input byte seeds how the rest (the stream) is cut into pieces.
 * Checks, from the headers' promises: the lines that come out are the same
 * however the stream is cut, NUL-terminated and within the cap (an
 * overlong one is reported instead); every line parses to a request whose
 * op is known and whose arguments keep their bounds (text without control
 * characters, connection ids > 0, delays and intervals in range), or to an
 * error with its code and a reason; the answer to either encodes as one
 * line of JSON.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "admin_proto.h"
#include "base/buf.h"
#include "base/lines.h"
#include "base/banned.h"

#define FUZZ_ADMIN_LINE_MAX 512

struct fuzz_admin_seen {
	struct buf trace; /* one summary per line, to compare the two feeds */
};

static void fuzz_admin_check_request(const struct admin_request *r)
{
	FUZZ_CHECK(r->json != NULL);
	FUZZ_CHECK((unsigned)r->op < ADMIN_OP_COUNT);
	FUZZ_CHECK(strcmp(admin_op_name(r->op), "?") != 0);
	if (r->text) {
		size_t n = strlen(r->text);

		FUZZ_CHECK(n <= ADMIN_TEXT_MAX);
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK((unsigned char)r->text[i] >= 0x20 && r->text[i] != 0x7f);
	}
	switch (r->op) {
	case ADMIN_OP_CONN:
	case ADMIN_OP_KICK:
		FUZZ_CHECK(r->conn > 0);
		break;
	case ADMIN_OP_SHUTDOWN:
	case ADMIN_OP_REBOOT:
		FUZZ_CHECK(r->seconds >= 0 && r->seconds <= ADMIN_DELAY_MAX);
		break;
	case ADMIN_OP_SUBSCRIBE:
		FUZZ_CHECK(r->seconds >= 1 && r->seconds <= ADMIN_INTERVAL_MAX);
		break;
	case ADMIN_OP_BROADCAST:
	case ADMIN_OP_RELOAD:
		FUZZ_CHECK(r->text && *r->text);
		break;
	case ADMIN_OP_LOGLEVEL:
		FUZZ_CHECK((unsigned)r->level <= LOG_DEBUG);
		break;
	default:
		break;
	}
	FUZZ_CHECK(!r->id || json_is_integer(r->id) || json_is_string(r->id));
}

/* The answer the server would send must be one line. */
static void fuzz_admin_check_answer(json_t *m)
{
	struct buf out;

	FUZZ_CHECK(m != NULL);
	buf_init(&out, 1 << 20);
	FUZZ_CHECK(admin_encode(&out, m) == 0);
	FUZZ_CHECK(out.len > 0 && out.data[out.len - 1] == '\n');
	FUZZ_CHECK(memchr(out.data, '\n', out.len) == out.data + out.len - 1);
	buf_fini(&out);
	json_decref(m);
}

static void fuzz_admin_line(void *ud, const char *line, size_t n)
{
	struct fuzz_admin_seen *seen = ud;
	struct admin_request req;
	struct buf why;
	enum admin_error err;

	FUZZ_CHECK(line[n] == '\0');
	FUZZ_CHECK(n <= FUZZ_ADMIN_LINE_MAX);
	buf_init(&why, 4096);
	err = admin_request_parse(line, n, &req, &why);
	if (err == ADMIN_ERR_NONE) {
		fuzz_admin_check_request(&req);
		FUZZ_CHECK(why.len == 0);
		buf_printf(&seen->trace, "ok %s|", admin_op_name(req.op));
		fuzz_admin_check_answer(admin_msg_reply(req.id, req.op, true, "done"));
	} else {
		FUZZ_CHECK((unsigned)err < ADMIN_ERR_COUNT);
		FUZZ_CHECK(strcmp(admin_error_code(err), "?") != 0);
		FUZZ_CHECK(why.len > 0);
		FUZZ_CHECK(req.json == NULL);
		buf_printf(&seen->trace, "err %s|", admin_error_code(err));
		fuzz_admin_check_answer(admin_msg_error(req.id, err, buf_cstr(&why)));
	}
	admin_request_fini(&req);
	buf_fini(&why);
}

static void fuzz_admin_overlong(void *ud, size_t max)
{
	struct fuzz_admin_seen *seen = ud;

	FUZZ_CHECK(max == FUZZ_ADMIN_LINE_MAX);
	buf_puts(&seen->trace, "long|");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_admin_seen whole, pieces;
	struct lines l;
	const char *s;
	size_t n, off = 0;
	unsigned seed;

	if (size < 1)
		return 0;
	seed = data[0] | 1u;
	s = (const char *)data + 1;
	n = size - 1;
	buf_init(&whole.trace, 1 << 22);
	buf_init(&pieces.trace, 1 << 22);
	lines_init(&l, FUZZ_ADMIN_LINE_MAX);
	lines_feed(&l, s, n, fuzz_admin_line, fuzz_admin_overlong, &whole);
	FUZZ_CHECK(lines_pending(&l) <= FUZZ_ADMIN_LINE_MAX + 1);
	lines_reset(&l);
	while (off < n) {
		size_t piece;

		seed = seed * 1103515245u + 12345u;
		piece = 1 + (seed >> 16) % 64;
		if (piece > n - off)
			piece = n - off;
		lines_feed(&l, s + off, piece, fuzz_admin_line, fuzz_admin_overlong, &pieces);
		FUZZ_CHECK(lines_pending(&l) <= FUZZ_ADMIN_LINE_MAX + 1);
		off += piece;
	}
	FUZZ_CHECK(whole.trace.len == pieces.trace.len &&
		   memcmp(buf_cstr(&whole.trace), buf_cstr(&pieces.trace), whole.trace.len) == 0);
	lines_fini(&l);
	buf_fini(&whole.trace);
	buf_fini(&pieces.trace);
	return 0;
}
