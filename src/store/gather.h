/* Gathered writes: the group committer's transaction holds back the small rows every create
 * and every action adds — its first timeline event, its counter cells and their change log,
 * its audit record and the audit counter, its order number — and writes each table's rows for
 * the whole batch with one statement (counter cells and numbers summed first). A create then
 * costs PostgreSQL one statement of its own instead of eight.
 *
 * It is invisible to the jobs: every statement that is not one of these writes (nor the
 * order's own insert, which reads none of them) writes what is held first, so a read in the
 * transaction sees every write before it; SAVEPOINT, RELEASE, COMMIT and the committer's sync
 * write it too, and a rollback (to a savepoint or whole) drops it. Only the committer turns it
 * on (wg_db_gather), inside the writers' lock, so the heads it keeps — the audit chain's last
 * record and each county-day's last number — are the store's own until the transaction ends.
 *
 * Each wg_gather_* write returns 1 when it held the row, 0 when the caller must write it
 * itself (not gathering, or a row it cannot hold). */
#ifndef WG_STORE_GATHER_H
#define WG_STORE_GATHER_H

#include "store/accounts/accounts_q.h"
#include "store/backend.h"
#include "store/notify/notify_q.h"
#include "store/orders/orders_q.h"
#include "store/stats/stats_q.h"

struct wg_gather;

void wg_gather_free(struct wg_gather *g);
/* Drops what is held and the heads kept: after a rollback, or when gathering stops. */
void wg_gather_drop(struct wg_gather *g);
/* Something is held, and statement q is not one that may run before it is written. */
int wg_gather_must_flush(const struct wg_db *db, enum wg_q q);
/* Writes everything held, in the open transaction. */
enum wg_rc wg_gather_flush(struct wg_db *db, struct wg_err *err);

/* Takes the order's row with an id of its own (*id): 1, and *rc says whether it could. */
int wg_gather_order(struct wg_db *db, const struct wg_order_row *o, long long *id, enum wg_rc *rc,
                    struct wg_err *err);
int wg_gather_outbox(struct wg_db *db, const struct wg_outbox_row *r);
int wg_gather_event_first(struct wg_db *db, long long order_id, const struct wg_order_event_row *e);
int wg_gather_stat_add(struct wg_db *db, const struct wg_stat_cell *c);
int wg_gather_dup(struct wg_db *db, long long order_id, const char *candidates);
int wg_gather_stat_log(struct wg_db *db, long long at, const char *deltas);
int wg_gather_audit_insert(struct wg_db *db, const struct wg_audit_row *r);
int wg_gather_meta_bump(struct wg_db *db, const char *name);
/* The audit chain's head from the last record held or read in this transaction: 1 and
 * seq and hash, or 0 when not known (the caller reads it and tells wg_gather_audit_seen). */
int wg_gather_audit_last(struct wg_db *db, long long *seq, char hash[65]);
void wg_gather_audit_seen(struct wg_db *db, long long seq, const char *hash);
/* A county-day's next order number from its head in this transaction: 1 and *out, or 0 when
 * not known (the caller takes one from the store and tells wg_gather_number_seen). */
int wg_gather_number_next(struct wg_db *db, const char *county, const char *day, long long *out);
void wg_gather_number_seen(struct wg_db *db, const char *county, const char *day, long long last);

#endif
