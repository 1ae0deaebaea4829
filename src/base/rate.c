/*
 * rate.c: the token bucket of rate.h. A bucket never used is full; each
 * take first adds what the time since the last one earned (the idle time
 * capped at a full bucket's worth, so a bucket idle for days cannot
 * overflow), then takes a whole token if there is one.
 */
#include "base/rate.h"

#include "base/banned.h"

void rate_init(struct rate *r)
{
	r->milli = -1;
	r->at_ms = 0;
}

bool rate_take(struct rate *r, int64_t now_ms, int per_s, int burst)
{
	int64_t cap = (int64_t)(burst > 0 ? burst : 1) * 1000;

	if (per_s <= 0)
		return true;
	if (r->milli < 0) {
		r->milli = cap;
		r->at_ms = now_ms;
	} else if (now_ms > r->at_ms) {
		int64_t idle = now_ms - r->at_ms;

		r->milli += (idle < cap ? idle : cap) * per_s;
		r->at_ms = now_ms;
	}
	/* (A clock that went back earns nothing now, nor later.) */
	if (r->milli > cap)
		r->milli = cap;
	if (r->milli < 1000)
		return false;
	r->milli -= 1000;
	return true;
}

int64_t rate_next_ms(const struct rate *r, int64_t now_ms, int per_s)
{
	if (per_s <= 0 || r->milli < 0 || r->milli >= 1000)
		return now_ms;
	return now_ms + (1000 - r->milli + per_s - 1) / per_s;
}
