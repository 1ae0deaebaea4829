/*
 * rate.h: a token bucket, for "at most N a second, bursts up to B": the
 * server's commands per connection (max_commands_per_s) and the bridge's
 * messages per browser (rate_per_s). Integer arithmetic in thousandths of
 * a token, on monotonic milliseconds the caller passes in.
 */
#ifndef RUIN_BASE_RATE_H
#define RUIN_BASE_RATE_H

#include <stdbool.h>
#include <stdint.h>

struct rate {
	int64_t milli; /* thousandths of a token; < 0: never used, full */
	int64_t at_ms; /* when milli was last topped up */
};

/* A bucket that is full at its first take. */
void rate_init(struct rate *r);
/* Takes one token at now_ms, refilling per_s a second up to burst: true
 * if there was one. per_s <= 0 means no limit (always true). */
bool rate_take(struct rate *r, int64_t now_ms, int per_s, int burst);
/* When the next token is there (now_ms if it is already). */
int64_t rate_next_ms(const struct rate *r, int64_t now_ms, int per_s);

#endif
