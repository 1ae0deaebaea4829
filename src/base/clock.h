/*
 * clock.h: time sources. Monotonic time for intervals and deadlines, wall
 * time for what players and logs see.
 */
#ifndef RUIN_BASE_CLOCK_H
#define RUIN_BASE_CLOCK_H

#include <stdint.h>

/* Monotonic milliseconds since an arbitrary point. */
int64_t clock_mono_ms(void);
/* Monotonic microseconds since an arbitrary point. */
int64_t clock_mono_us(void);
/* Seconds since the Unix epoch. */
int64_t clock_wall_s(void);

#endif
