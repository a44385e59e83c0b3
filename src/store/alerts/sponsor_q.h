/* Leaders' 帮包 (domain/alerts/sponsor.h): typed functions of the store for the assignments
 * and their progress notes; only src/store/ speaks SQL. */
#ifndef WG_STORE_SPONSOR_Q_H
#define WG_STORE_SPONSOR_Q_H

#include "store/store.h"

struct wg_sponsor_row {
    long long id;
    char place[20], leader[64], month_from[8], month_to[8];
    const char *note;
    char created_by[64];
    long long created_at;
};

/* Stores s; *id its id. */
enum wg_rc wg_store_sponsor_insert(struct wg_db *db, const struct wg_sponsor_row *s, long long *id,
                                   struct wg_err *err);
/* *other the id of another 帮包 of place whose months meet [from, to] (YYYY-MM), 0 none. */
enum wg_rc wg_store_sponsor_overlap(struct wg_db *db, const char *place, const char *from,
                                    const char *to, long long *other, struct wg_err *err);
/* Texts borrowed in cb; WG_ENOTFOUND when there is none. */
enum wg_rc wg_store_sponsor_get(struct wg_db *db, long long id,
                                int (*cb)(const struct wg_sponsor_row *, void *), void *ctx,
                                struct wg_err *err);
struct wg_sponsor_range {
    const char *lo, *hi; /* place codes [lo, hi) */
    const char *month;   /* running in it, "" any */
    const char *leader;  /* "" any */
    const char *me;      /* this leader's first */
    int limit;
};
enum wg_rc wg_store_sponsor_list(struct wg_db *db, const struct wg_sponsor_range *q,
                                 int (*cb)(const struct wg_sponsor_row *, void *), void *ctx,
                                 struct wg_err *err);
enum wg_rc wg_store_sponsor_note(struct wg_db *db, long long sponsorship, long long at,
                                 const char *author, const char *note, struct wg_err *err);
/* The newest limit notes, newest first; texts borrowed in cb. */
enum wg_rc wg_store_sponsor_notes(struct wg_db *db, long long sponsorship, int limit,
                                  int (*cb)(long long at, const char *author, const char *note,
                                            void *ctx),
                                  void *ctx, struct wg_err *err);

#endif
