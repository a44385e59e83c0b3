/* The password pool: the few threads that check and hash passwords (Argon2id, about 64 MiB
 * and a good fraction of a second of one core each), so that a burst of logins queues here
 * instead of taking every request thread, every store connection and a gigabyte of memory at
 * once. A request hands its job over and is suspended (http/request.h); nothing of the
 * store's is held while a job waits or runs. Jobs run in the order they came, but for a
 * login, which first needs a place in its source address's budget of failures
 * (login_limit.h): one whose address must wait is passed over, and one whose address has
 * spent its failures runs at once, told so, without checking anything.
 *
 * The threads run at a lower priority than the rest of the server, so that while a burst is
 * checked every other request is still answered at once.
 *
 * Invariants: at most `threads` passwords are worked on at once; at most WG_PWPOOL_QUEUE
 * jobs wait (a further one is refused, WG_EUNAVAIL); every job submitted is run exactly
 * once, also when the pool stops (then with WG_EUNAVAIL). */
#ifndef WG_DOMAIN_PWPOOL_H
#define WG_DOMAIN_PWPOOL_H

#include "core/err.h"
#include "domain/accounts/login_limit.h"

#define WG_PWPOOL_QUEUE 1024
#define WG_PWPOOL_NICE  10 /* the threads' niceness: below the request threads' */

struct wg_pw_job {
    /* a login's source address, whose budget the job takes before it runs (settled by its
     * owner with wg_login_limit_settle, then wg_pwpool_kick); NULL for other work */
    const char *addr;
    /* On a pool thread: rc WG_OK to do the work; WG_ERATE when addr has spent its failures
     * (no place was taken); WG_EUNAVAIL when the pool stops first. */
    void (*run)(struct wg_pw_job *job, enum wg_rc rc);
    struct wg_pw_job *next; /* the pool's */
};

struct wg_pwpool;
/* threads 0: half the machine's cores, 1 to 4. limit: the failed logins' budgets. */
enum wg_rc wg_pwpool_start(int threads, struct wg_login_limit *limit, struct wg_pwpool **out,
                           struct wg_err *err);
/* Runs what is queued (logins still waiting for their address with WG_EUNAVAIL), then stops
 * the threads. NULL is a no-op. */
void wg_pwpool_stop(struct wg_pwpool *p);
int wg_pwpool_threads(const struct wg_pwpool *p);
/* Queues job (which must live until it has run); WG_EUNAVAIL when the queue is full or the
 * pool stopping, and then job is not run. */
enum wg_rc wg_pwpool_submit(struct wg_pwpool *p, struct wg_pw_job *job, struct wg_err *err);
/* A login was settled: the logins waiting for its address may go. */
void wg_pwpool_kick(struct wg_pwpool *p);

#endif
