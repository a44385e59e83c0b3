/* Dispute cases (domain/disputes/): typed functions of the store (store/store.h) for this
 * context; only src/store/ speaks SQL. A party's personal fields and a step's record are as
 * stored: sealed. */
#ifndef WG_STORE_DISPUTE_Q_H
#define WG_STORE_DISPUTE_Q_H

#include "store/store.h"

struct wg_dispute_row {
    long long id;
    char number[40], county[8], source[16], type[24], risk[8];
    const char *description;
    long long amount_fen;
    int people;
    char grid[16];
    int has_point;
    double lon, lat;
    long long order_id; /* 0: none */
    char state[16], level[8], end_level[8], taken_by[64];
    long long agreed_at, version;
    char created_by[64];
    long long created_at, updated_at;
    long long clock_at, due_at; /* the running time box; 0 when none runs */
    long long accepted_at;      /* when its level accepted it; 0 before */
    int supervised;             /* supervised since the clock started */
    long long body;             /* its mediation body; 0 none */
    char body_name[128];        /* read only: the body's name, "" for none */
    char mediator[64];
};

struct wg_dispute_party_row {
    int pos;
    char role[16], id_type[16];
    const char *id_number, *name, *phone; /* sealed; "" when not given */
    const char *id_blind, *phone_blind;   /* written only; "" when not given */
};

struct wg_dispute_event_row {
    int seq;
    long long at;
    char actor[64], role[16], action[16], from_state[16], to_state[16], level[8];
    const char *detail; /* sealed */
};

/* The next number of a county's day (1, 2, …), within the caller's transaction. */
enum wg_rc wg_store_dispute_number_next(struct wg_db *db, const char *county, const char *day,
                                        long long *seq, struct wg_err *err);
/* *id is the new case's (r->id is not read); version 1, created_at and updated_at now. */
enum wg_rc wg_store_dispute_insert(struct wg_db *db, const struct wg_dispute_row *r, long long now,
                                   long long *id, struct wg_err *err);
enum wg_rc wg_store_dispute_party_insert(struct wg_db *db, long long dispute,
                                         const struct wg_dispute_party_row *p, struct wg_err *err);
enum wg_rc wg_store_dispute_event_insert(struct wg_db *db, long long dispute,
                                         const struct wg_dispute_event_row *e, struct wg_err *err);
/* The row's texts are valid only during the callback; WG_ENOTFOUND when there is none. */
enum wg_rc wg_store_dispute_get(struct wg_db *db, long long id,
                                int (*cb)(const struct wg_dispute_row *, void *), void *ctx,
                                struct wg_err *err);
/* Writes r's state, level, end_level, taken_by, agreed_at, clock, acceptance, supervision, body
 * and mediator over case r->id if its version is
 * still r->version (the version moves on): WG_EPRECOND when not. Then e (its seq the next). */
enum wg_rc wg_store_dispute_step(struct wg_db *db, const struct wg_dispute_row *r,
                                 const struct wg_dispute_event_row *e, long long now,
                                 struct wg_err *err);
/* A desk's filter: grids [lo, hi), a state, a risk, a level and a mediator ("" any); with
 * overdue_at, only cases whose clock ran out before it. */
struct wg_dispute_filter {
    const char *lo, *hi, *state, *risk, *level, *mediator;
    long long overdue_at;
};
/* The filter's cases newest first after (at, id), or (by_due) soonest due first after (at,
 * id) = (due_at, id) among those whose clock runs. */
enum wg_rc wg_store_dispute_list(struct wg_db *db, const struct wg_dispute_filter *f, int by_due,
                                 long long at, long long id, int limit,
                                 int (*cb)(const struct wg_dispute_row *, void *), void *ctx,
                                 struct wg_err *err);
/* The portal's tracking code's hash of a case, set (a new one voids the old) and looked up
 * (WG_ENOTFOUND when none has it). */
enum wg_rc wg_store_dispute_code_set(struct wg_db *db, long long id, const char *hash,
                                     struct wg_err *err);
enum wg_rc wg_store_dispute_by_code(struct wg_db *db, const char *hash,
                                    int (*cb)(const struct wg_dispute_row *, void *), void *ctx,
                                    struct wg_err *err);
/* Cases whose clock ran out before now and were not supervised since it started, soonest due
 * first, at most limit: (id, version) each. */
enum wg_rc wg_store_dispute_overdue(struct wg_db *db, long long now, int limit,
                                    int (*cb)(long long id, long long version, void *), void *ctx,
                                    struct wg_err *err);
/* The cases opened from order_id, oldest first; end_level "" while open. */
enum wg_rc wg_store_dispute_of_order(struct wg_db *db, long long order_id,
                                     int (*cb)(long long id, const char *number, const char *state,
                                               const char *end_level, void *),
                                     void *ctx, struct wg_err *err);
/* How many parties case id has. */
enum wg_rc wg_store_dispute_party_count(struct wg_db *db, long long id, int *n, struct wg_err *err);
/* A case's parties by position, its timeline by sequence. */
enum wg_rc wg_store_dispute_parties(struct wg_db *db, long long id,
                                    int (*cb)(const struct wg_dispute_party_row *, void *),
                                    void *ctx, struct wg_err *err);
enum wg_rc wg_store_dispute_events(struct wg_db *db, long long id,
                                   int (*cb)(const struct wg_dispute_event_row *, void *),
                                   void *ctx, struct wg_err *err);

#endif
