/* The follower of early warning (warning.h): one thread per server that reads the orders
 * after the last id it handled, feeds them to the detectors (warn_detect.h) and writes what
 * they show — new warnings, orders added to open ones, the red ones' notifications — and its
 * position together, in one transaction.
 *
 * Servers sharing a store each follow every order (so each keeps the same state), and write
 * under a lock on the stored position: a hit is written only by the server whose transaction
 * moves the position past the order that showed it, so each warning is made once. On start,
 * and when the stored rules change, the state is rebuilt from the orders of the detectors'
 * window before the position, and nothing is written for them; and once a day, so that what
 * left the windows (phones not heard from again, cells gone quiet) is dropped and the state
 * stays the size of its windows. A store never followed (position 0) is followed from its
 * orders of the last 7 days. Where several servers write orders (PostgreSQL), an order is
 * read only once 2 seconds old, so that an order whose transaction commits after a later
 * id's is not passed over. */
#ifndef WG_DOMAIN_WARN_FEED_H
#define WG_DOMAIN_WARN_FEED_H

#include "domain/accounts/pii_keys.h"
#include "store/store.h"

#define WG_WARN_BATCH 2048 /* orders read and written at most in one step */

struct wg_warn_follower;

/* cm: the server's group committer, used on a store one server owns (NULL: transactions of
 * the follower's own). keys: to mask a repeat caller's phone. */
struct wg_warn_follower *wg_warn_follower_new(struct wg_store *st, struct wg_committer *cm,
                                              const struct wg_pii_keys *keys);
void wg_warn_follower_free(struct wg_warn_follower *f); /* stops its thread first; NULL: nothing */
/* One step at now: *orders read (may be NULL), *made warnings made (may be NULL). */
enum wg_rc wg_warn_follower_step(struct wg_warn_follower *f, long long now, int *orders, int *made,
                                 struct wg_err *err);
/* Steps until no order waits. */
enum wg_rc wg_warn_follower_drain(struct wg_warn_follower *f, long long now, struct wg_err *err);
/* A thread that steps every 200 ms (at once again while a step finds a full batch). */
enum wg_rc wg_warn_follower_start(struct wg_warn_follower *f, struct wg_err *err);
/* The id up to which orders were fed (for the log and tests). */
long long wg_warn_follower_upto(const struct wg_warn_follower *f);
/* The detectors' CPU time so far, in microseconds, and the orders fed. */
void wg_warn_follower_cost(const struct wg_warn_follower *f, double *us, long long *fed);

#endif
