/*
 * lg_telnet.c: the load generator's telnet transport, the cheapest client a
 * MUD can have. It refuses every option the server offers (DONT for WILL,
 * WONT for DO), so the server sends plain text and ends each prompt with
 * IAC GA; it skips subnegotiations and passes data bytes to lg_text().
 * Start reading at lg_telnet_decode().
 */
#include "loadgen.h"

#include <stdbool.h>
#include <stdlib.h>

#include "base/xalloc.h"
#include "base/banned.h"

#define LG_TELNET_IAC  255
#define LG_TELNET_DONT 254
#define LG_TELNET_DO   253
#define LG_TELNET_WONT 252
#define LG_TELNET_WILL 251
#define LG_TELNET_SB   250
#define LG_TELNET_GA   249
#define LG_TELNET_SE   240
#define LG_TELNET_EOR  239

enum lg_telnet_state {
	LG_TELNET_DATA,
	LG_TELNET_GOT_IAC,
	LG_TELNET_GOT_VERB, /* WILL/WONT/DO/DONT: the option byte comes next */
	LG_TELNET_IN_SB,
	LG_TELNET_SB_IAC,
};

struct lg_telnet {
	enum lg_telnet_state state;
	unsigned char verb;
	lg_answer_fn answer;
	void *ctx;
};

struct lg_telnet *lg_telnet_decoder_new(lg_answer_fn answer, void *ctx)
{
	struct lg_telnet *t = xcalloc(1, sizeof(*t));

	t->answer = answer;
	t->ctx = ctx;
	return t;
}

void lg_telnet_decoder_free(struct lg_telnet *t)
{
	free(t);
}

static void lg_telnet_answer(struct lg_conn *c, void *ctx, const void *bytes, size_t n)
{
	(void)ctx;
	lg_write(c, bytes, n);
}

static void *lg_telnet_open(struct lg_conn *c)
{
	(void)c;
	return lg_telnet_decoder_new(lg_telnet_answer, NULL);
}

static void lg_telnet_close(void *st)
{
	lg_telnet_decoder_free(st);
}

/* Answers an offer or a request: no to everything. */
static void lg_telnet_refuse(struct lg_conn *c, struct lg_telnet *t, unsigned char verb,
			     unsigned char opt)
{
	unsigned char reply[3] = {LG_TELNET_IAC, 0, opt};

	if (verb == LG_TELNET_WILL)
		reply[1] = LG_TELNET_DONT;
	else if (verb == LG_TELNET_DO)
		reply[1] = LG_TELNET_WONT;
	else
		return; /* WONT/DONT need no answer when we never agreed */
	t->answer(c, t->ctx, reply, sizeof(reply));
}

void lg_telnet_decode(struct lg_conn *c, struct lg_telnet *t, const char *bytes, size_t n)
{
	size_t run = 0; /* start of the current run of data bytes */

	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)bytes[i];

		switch (t->state) {
		case LG_TELNET_DATA:
			if (b != LG_TELNET_IAC)
				continue; /* extends the run of data */
			if (i > run)
				lg_text(c, bytes + run, i - run);
			t->state = LG_TELNET_GOT_IAC;
			break;
		case LG_TELNET_GOT_IAC:
			t->state = LG_TELNET_DATA;
			if (b == LG_TELNET_IAC) {
				lg_text(c, "\xff", 1);
			} else if (b == LG_TELNET_GA || b == LG_TELNET_EOR) {
				lg_prompt(c);
			} else if (b >= LG_TELNET_WILL) {
				t->verb = b;
				t->state = LG_TELNET_GOT_VERB;
			} else if (b == LG_TELNET_SB) {
				t->state = LG_TELNET_IN_SB;
			}
			break;
		case LG_TELNET_GOT_VERB:
			lg_telnet_refuse(c, t, t->verb, b);
			t->state = LG_TELNET_DATA;
			break;
		case LG_TELNET_IN_SB:
			if (b == LG_TELNET_IAC)
				t->state = LG_TELNET_SB_IAC;
			break;
		case LG_TELNET_SB_IAC:
			t->state = b == LG_TELNET_SE ? LG_TELNET_DATA : LG_TELNET_IN_SB;
			break;
		}
		run = i + 1;
	}
	if (n > run)
		lg_text(c, bytes + run, n - run);
}

static void lg_telnet_recv(struct lg_conn *c, void *st, const char *bytes, size_t n)
{
	lg_telnet_decode(c, st, bytes, n);
}

static void lg_telnet_send_line(struct lg_conn *c, void *st, const char *line, size_t n)
{
	(void)st;
	lg_write(c, line, n);
	lg_write(c, "\r\n", 2);
}

const struct lg_transport lg_telnet_transport = {
	.name = "telnet",
	.open = lg_telnet_open,
	.close = lg_telnet_close,
	.recv = lg_telnet_recv,
	.send_line = lg_telnet_send_line,
};
