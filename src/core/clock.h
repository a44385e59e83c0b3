/* Wall and monotonic time in the forms wangge records and measures. */
#ifndef WG_CORE_CLOCK_H
#define WG_CORE_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Now as UTC ISO 8601 with milliseconds: "2026-11-23T08:01:02.345Z". */
void wg_clock_iso_now(char out[32]);
/* A UTC time in seconds as ISO 8601 to the second: "2026-11-23T08:01:02Z". */
void wg_clock_iso(long long t, char out[32]);
/* Monotonic microseconds, for durations. */
uint64_t wg_clock_us(void);
/* The time ms milliseconds from now on clock (CLOCK_MONOTONIC, CLOCK_REALTIME), as a deadline
 * for pthread_cond_timedwait on a condition variable that uses that clock. */
struct timespec wg_clock_after_ms(clockid_t clock, long ms);

#endif
