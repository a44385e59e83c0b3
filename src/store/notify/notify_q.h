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
    int read;                  /* in a reader's list: 1 when that reader has read it */
};
/* Inserts a pending row due at r->next_attempt_at (recipient, channel, kind, order_id,
 * payload, next_attempt_at and created_at are read); inside the caller's transaction. *id
 * is the row's, or 0 when the row is held for the committer's batch (store/gather.h). */
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
/* Whose rows a reader reads: their username (a) and their unit's "unit:ID" (b; "" matches
 * nothing). The reader's reads are kept under a. */
struct wg_outbox_reader {
    const char *a, *b;
};
/* The reader's rows, newest first, each with r->read; unread 1: only those not read. */
enum wg_rc wg_store_outbox_list(struct wg_db *db, const struct wg_outbox_reader *who, int unread,
                                long long limit, long long offset,
                                int (*cb)(const struct wg_outbox_row *, void *), void *ctx,
                                struct wg_err *err);
/* How many of the reader's rows they have not read. */
enum wg_rc wg_store_outbox_unread(struct wg_db *db, const struct wg_outbox_reader *who,
                                  long long *n, struct wg_err *err);
/* *owned 1 when row id is addressed to the reader (a or b). */
enum wg_rc wg_store_outbox_owned(struct wg_db *db, const struct wg_outbox_reader *who, long long id,
                                 int *owned, struct wg_err *err);
/* Marks row id (id > 0), or every row of the reader (id 0), read by the reader at `at` (ISO);
 * rows read already stay as they were. *marked (may be NULL) receives how many were new. */
enum wg_rc wg_store_outbox_mark_read(struct wg_db *db, const struct wg_outbox_reader *who,
                                     long long id, const char *at, long long *marked,
                                     struct wg_err *err);

/* The usernames of the working accounts (not disabled) of role whose region scope covers
 * place, a region or grid code: scoped to it, to an ancestor, or to the whole deployment;
 * at most max of them, by username. */
enum wg_rc wg_store_accounts_for_place(struct wg_db *db, const char *role, const char *place,
                                       long long max, int (*cb)(const char *username, void *),
                                       void *ctx, struct wg_err *err);

#endif
