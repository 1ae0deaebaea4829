/*
 * loadgen.h: what the load generator's core (loadgen.c) and its transports
 * (lg_telnet.c; lg_ws.c for ruin-bridge's WebSocket JSON and websockify) share.
 * Internal to tests/bench/; start reading at main() in loadgen.c.
 *
 * The core knows sockets, timing and the game's text; a transport knows one
 * wire format. The core hands a transport the bytes read from a connection
 * and lines to send; the transport turns bytes into game text (lg_text) and
 * prompt ends (lg_prompt), and lines into bytes (lg_write).
 */
#ifndef RUIN_BENCH_LOADGEN_H
#define RUIN_BENCH_LOADGEN_H

#include <stddef.h>
#include <stdint.h>

struct lg_conn;
struct lg_telnet;

struct lg_transport {
	const char *name;
	/* Makes the per-connection state once the TCP connection is up; may
	 * queue bytes (a WebSocket upgrade request). Never NULL. */
	void *(*open)(struct lg_conn *c);
	/* Frees what open() made. */
	void (*close)(void *st);
	/* Bytes read from the socket, in order: decode them and call lg_text,
	 * lg_prompt, lg_write or lg_fail. */
	void (*recv)(struct lg_conn *c, void *st, const char *bytes, size_t n);
	/* Sends one input line (n bytes, no end-of-line). */
	void (*send_line)(struct lg_conn *c, void *st, const char *line, size_t n);
};

/* Game text arrived (any encoding of the server's text, ANSI included). */
void lg_text(struct lg_conn *c, const char *text, size_t n);
/* A prompt ended (telnet IAC GA / IAC EOR, or a WebSocket "prompt"). */
void lg_prompt(struct lg_conn *c);
/* Queues bytes for the socket; they are sent as soon as it takes them. */
void lg_write(struct lg_conn *c, const void *bytes, size_t n);
/* A message arrived compressed (permessage-deflate) and was inflated: counted. */
void lg_inflated(struct lg_conn *c);
/* The connection is broken (protocol error): count it and close it. */
void lg_fail(struct lg_conn *c, const char *why);
/* The address the connection went to (for a WebSocket Host header). */
void lg_conn_target(const struct lg_conn *c, const char **host, int *port);

/* CLOCK_MONOTONIC in nanoseconds (loadgen.c). */
int64_t lg_now(void);
/* Raises the soft limit on open files to need if the hard one allows;
 * 0, or -1 with the reason on stderr when need cannot be had (loadgen.c). */
int lg_raise_nofile(unsigned long need);

/* loadgen --hiccup SECONDS: the time each CPU is taken from us; loadgen
 * --fanout-floor N: what one send() to each of N loopback sockets costs.
 * JSON on stdout (lg_machine.c); each returns the exit status. */
int lg_hiccup(double seconds);
int lg_fanout_floor(unsigned n);
/* loadgen --relay UPSTREAM_PORT PORT_FILE: a proxy that only copies bytes,
 * the floor of what a hop adds (lg_relay.c); runs until killed. */
int lg_relay(int upstream_port, const char *port_file);

/*
 * The telnet decoder on its own, for transports that carry telnet inside
 * something else (websockify's binary frames): it refuses every option
 * through answer(c, ctx, ...), passes text to lg_text and prompt ends to lg_prompt.
 */
typedef void (*lg_answer_fn)(struct lg_conn *c, void *ctx, const void *bytes, size_t n);
struct lg_telnet *lg_telnet_decoder_new(lg_answer_fn answer, void *ctx);
void lg_telnet_decoder_free(struct lg_telnet *t);
void lg_telnet_decode(struct lg_conn *c, struct lg_telnet *t, const char *bytes, size_t n);

/* Plain telnet. */
extern const struct lg_transport lg_telnet_transport;
/* ruin-bridge: WebSocket text frames of JSON ("command" in; "text", "prompt" out). */
extern const struct lg_transport lg_ws_transport;
/* websockify: WebSocket binary frames carrying the telnet stream. */
extern const struct lg_transport lg_wstelnet_transport;

#endif
