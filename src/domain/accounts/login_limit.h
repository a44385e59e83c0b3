/* Failed logins per source address, in one-minute windows that open at an address's first
 * failure (so a burst is never split by the clock's minute): a centre behind one address may
 * log in many people at shift start, but not guess many passwords. The table is small and
 * slots are reused by hash, so a flood from many addresses cannot grow it. */
#ifndef WG_DOMAIN_LOGIN_LIMIT_H
#define WG_DOMAIN_LOGIN_LIMIT_H

#include <pthread.h>

#define WG_LOGIN_RATE_PER_MINUTE 20
#define WG_LOGIN_LIMIT_SLOTS     256

struct wg_login_slot {
    char addr[48];
    long long window; /* unix second the address's window opened */
    int count;
};

struct wg_login_limit {
    pthread_mutex_t mu;
    struct wg_login_slot slot[WG_LOGIN_LIMIT_SLOTS];
};

void wg_login_limit_init(struct wg_login_limit *l);
void wg_login_limit_release(struct wg_login_limit *l);
/* Counts a failure from addr at now when failed; answers whether addr has reached the limit
 * in its current window. */
int wg_login_limited(struct wg_login_limit *l, const char *addr, int failed, long long now);

#endif
