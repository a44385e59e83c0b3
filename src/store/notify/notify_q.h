/* The delivery outbox (domain/notify/).
 * Typed functions of the store (store/store.h) for this context; only src/store/ speaks SQL. */
#ifndef WG_STORE_NOTIFY_Q_H
#define WG_STORE_NOTIFY_Q_H

#include "store/store.h"

/* ---- the delivery outbox (domain/notify/notify.h) ---- */
struct wg_outbox_row {
    long long id;
    /* Text fields; in callbacks they are borrowed and valid only during the call. */
    const char *recipient; /* a username, or "unit:ID" */
    const char *channel;   /* webhook */
    const char *kind;      /* dispatch, urge, supervise, return, red_light ... */
    const char *payload;   /* JSON text */
    const char *state;     /* pending, sending, delivered, dead */
    const char *last_error, *created_at, *delivered_at; /* "" when none */
    long long order_id;                                 /* 0: none */
    int attempts;
    long long next_attempt_at; /* unix seconds; while sending, the end of the claim's lease */
};
/* Inserts a pending row due at r->next_attempt_at (recipient, channel, kind, order_id,
 * payload, next_attempt_at and created_at are read); inside the caller's transaction. */
enum wg_rc wg_store_outbox_insert(struct wg_db *db, const struct wg_outbox_row *r, long long *id,
                                  struct wg_err *err);
/* Claims the most overdue row due at now (pending, or sending with its lease run out):
 * it becomes sending, attempts + 1, leased until lease_until, and cb sees it. *claimed is 0
 * when nothing was due. One statement: two workers never claim one row. */
enum wg_rc wg_store_outbox_claim(struct wg_db *db, long long now, long long lease_until,
                                 int (*cb)(const struct wg_outbox_row *, void *), void *ctx,
                                 int *claimed, struct wg_err *err);
/* Ends a claim: delivered at `at` (ISO), or failed with its state (pending again, or dead),
 * the time of the next attempt and the error. *changed 0: the row was no longer sending. */
enum wg_rc wg_store_outbox_delivered(struct wg_db *db, long long id, const char *at, int *changed,
                                     struct wg_err *err);
enum wg_rc wg_store_outbox_failed(struct wg_db *db, long long id, const char *state,
                                  long long next_attempt_at, const char *error, int *changed,
                                  struct wg_err *err);
enum wg_rc wg_store_outbox_get(struct wg_db *db, long long id,
                               int (*cb)(const struct wg_outbox_row *, void *), void *ctx,
                               struct wg_err *err);
/* How many rows wait for delivery: pending (due or not) and sending (claimed). */
enum wg_rc wg_store_outbox_backlog(struct wg_db *db, long long *pending, long long *sending,
                                   struct wg_err *err);
/* Rows for recipient a or b ("" matches nothing), newest first. */
enum wg_rc wg_store_outbox_list(struct wg_db *db, const char *a, const char *b, long long limit,
                                long long offset, int (*cb)(const struct wg_outbox_row *, void *),
                                void *ctx, struct wg_err *err);

#endif
