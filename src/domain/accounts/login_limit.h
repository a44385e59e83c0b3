/* Failed logins per source address, in one-minute windows that open at an address's first
 * failure (so a burst is never split by the clock's minute): a centre behind one address may
 * log in many people at shift start, but not guess many passwords.
 *
 * Exact however many logins arrive at once. A login takes a place in its address's budget
 * before its password is checked (wg_login_limit_admit) and gives it back with its outcome
 * (wg_login_limit_settle). While the failures counted and the logins in flight together reach
 * the limit, a further login from the address waits (the password pool keeps it queued,
 * pwpool.h) until one in flight is settled: a failure brings the address nearer its limit,
 * a success makes room. So no more than WG_LOGIN_RATE_PER_MINUTE passwords are ever tried
 * and found wrong from one address in a window, and a burst of right ones still goes
 * through.
 *
 * The table is small and fixed: an address has one slot among WG_LOGIN_PROBE by its hash;
 * when all of them are taken by other addresses the one idle longest is reused, never one
 * with a login in flight (then the new address waits too). A flood from many addresses
 * cannot grow it. */
#ifndef WG_DOMAIN_LOGIN_LIMIT_H
#define WG_DOMAIN_LOGIN_LIMIT_H

#include <pthread.h>

#define WG_LOGIN_RATE_PER_MINUTE 20
#define WG_LOGIN_LIMIT_SLOTS     1024
#define WG_LOGIN_PROBE           8

struct wg_login_slot {
    char addr[48];    /* "" when free */
    long long window; /* unix second the address's window opened (its first failure) */
    int count;        /* failures in the window */
    int in_flight;    /* logins admitted and not yet settled */
};

struct wg_login_limit {
    pthread_mutex_t mu;
    struct wg_login_slot slot[WG_LOGIN_LIMIT_SLOTS];
};

enum wg_login_admit {
    WG_LOGIN_GO,     /* admitted: settle it once its outcome is known */
    WG_LOGIN_WAIT,   /* not yet: ask again once a login from the address is settled */
    WG_LOGIN_REFUSE, /* the address has spent its failures for this window */
};

void wg_login_limit_init(struct wg_login_limit *l);
void wg_login_limit_release(struct wg_login_limit *l);
/* 1 when addr has spent its failures in its current window (nothing is taken). */
int wg_login_limit_spent(struct wg_login_limit *l, const char *addr, long long now);
enum wg_login_admit wg_login_limit_admit(struct wg_login_limit *l, const char *addr, long long now);
/* Gives back the place an admitted login took, counting it when it failed. */
void wg_login_limit_settle(struct wg_login_limit *l, const char *addr, int failed, long long now);

#endif
