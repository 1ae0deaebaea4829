/*
 * fuzz_tn.c: the server's telnet input path (src/net/tn.h): negotiation,
 * subnegotiations (TTYPE/MTTS, NAWS, CHARSET, GMCP, MSSP, MCCP2), line
 * assembly and GMCP JSON, fed as a client would, in pieces.
 *
 * The first input byte picks the configuration (MCCP2 offered or not, tiny
 * line and subnegotiation caps) and how the rest is cut into tn_recv calls;
 * the callbacks answer the way the server does (echo lines back as text and
 * prompts, answer GMCP, send MSSP when asked, toggle echo) and check tn's
 * promises: every line is valid UTF-8 without control characters, within
 * the cap (repairs aside) and NUL-terminated; capability strings are never NULL; error()
 * comes at most once. A broken promise aborts, which libFuzzer reports.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "net/tn.h"
#include "base/banned.h"

struct fuzz_tn {
	struct tn *tn;
	size_t max_line;
	unsigned errors;
	size_t out_bytes;
	unsigned lines;
};

static void fuzz_tn_output(void *ud, const char *bytes, size_t n)
{
	struct fuzz_tn *f = ud;

	FUZZ_CHECK(bytes != NULL || n == 0);
	f->out_bytes += n;
}

/* A line must be what tn.h promises; then it is answered like a command. */
static void fuzz_tn_line(void *ud, const char *line, size_t n)
{
	struct fuzz_tn *f = ud;

	FUZZ_CHECK(line[n] == '\0');
	/* The cap is on the bytes typed; a bad byte is delivered repaired as
	 * U+FFFD (three bytes). */
	FUZZ_CHECK(n <= 3 * f->max_line);
	FUZZ_CHECK(utf8_valid(line, n));
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK((unsigned char)line[i] >= 0x20 && line[i] != 0x7f);
	f->lines++;
	tn_send_text(f->tn, "You said: ", 10);
	tn_send_text(f->tn, line, n);
	tn_send_text(f->tn, "\n", 1);
	if (f->lines % 3 == 1)
		tn_echo_off(f->tn);
	else if (f->lines % 3 == 2)
		tn_echo_on(f->tn);
	tn_send_prompt(f->tn, "> ", 2);
}

static void fuzz_tn_too_long(void *ud, size_t max)
{
	struct fuzz_tn *f = ud;

	FUZZ_CHECK(max == f->max_line);
	tn_send_text(f->tn, "That line is too long.\n", 23);
}

static void fuzz_tn_gmcp(void *ud, const char *package, const char *json, size_t n)
{
	struct fuzz_tn *f = ud;

	FUZZ_CHECK(package && *package);
	FUZZ_CHECK(json && json[n] == '\0');
	if (tn_gmcp_wants(f->tn, "Room.Info"))
		tn_send_gmcp(f->tn, "Room.Info", "{\"num\":1,\"name\":\"A \\u00e9 room\"}");
	tn_send_gmcp(f->tn, package, n ? json : NULL);
}

static void fuzz_tn_changed(void *ud, unsigned what)
{
	struct fuzz_tn *f = ud;
	const struct tn_caps *caps = tn_caps(f->tn);
	static const char *const names[] = {"NAME", "PLAYERS", "UPTIME"};
	static const char *const values[] = {"Fuzz \xff\x01 Ruin", "3", "1700000000"};

	FUZZ_CHECK(caps->client && caps->client_version && caps->terminal);
	FUZZ_CHECK(utf8_valid(caps->client, strlen(caps->client)));
	FUZZ_CHECK(utf8_valid(caps->terminal, strlen(caps->terminal)));
	FUZZ_CHECK(caps->n_gmcp_packages == 0 || caps->gmcp_packages != NULL);
	for (size_t i = 0; i < caps->n_gmcp_packages; i++)
		FUZZ_CHECK(caps->gmcp_packages[i].name != NULL);
	if (what & TN_CHANGED_MSSP_REQUEST)
		tn_send_mssp(f->tn, names, values, 3);
	if (what & TN_CHANGED_NAWS)
		tn_send_text(f->tn, "Your window changed.\n", 21);
}

static void fuzz_tn_error(void *ud, const char *reason)
{
	struct fuzz_tn *f = ud;

	FUZZ_CHECK(reason && *reason);
	f->errors++;
	FUZZ_CHECK(f->errors == 1);
	/* The server says goodbye after an error: output still works. */
	tn_send_text(f->tn, "Goodbye.\n", 9);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct tn_callbacks cb = {
		.output = fuzz_tn_output,
		.line = fuzz_tn_line,
		.line_too_long = fuzz_tn_too_long,
		.gmcp = fuzz_tn_gmcp,
		.changed = fuzz_tn_changed,
		.error = fuzz_tn_error,
	};
	struct tn_config cfg = {0};
	struct fuzz_tn f = {0};
	unsigned flags, seed;
	size_t off = 1;

	if (size < 1)
		return 0;
	flags = data[0];
	cfg.mccp2 = flags & 1;
	cfg.max_line = flags & 2 ? 64 : 0;
	cfg.max_sb = flags & 4 ? 32 : 0;
	f.max_line = cfg.max_line ? cfg.max_line : TN_DEFAULT_MAX_LINE;
	seed = flags >> 3; /* 0: the whole input in one call */
	f.tn = tn_new(&cfg, &cb, &f);
	tn_start(f.tn);
	while (off < size) {
		size_t n = size - off;

		if (seed) {
			/* Pieces of 1 to 16 bytes, from a tiny LCG over the seed. */
			seed = (seed * 1103515245u + 12345u) & 0x7fffffffu;
			n = 1 + (seed >> 16) % 16;
			if (n > size - off)
				n = size - off;
		}
		tn_recv(f.tn, (const char *)data + off, n);
		off += n;
	}
	FUZZ_CHECK(f.errors <= 1);
	FUZZ_CHECK(!tn_failed(f.tn) || f.errors == 1);
	tn_send_text(f.tn, "Bye.\n", 5);
	tn_free(f.tn);
	return 0;
}
