/* Volunteers (domain/partake/volunteer.h): typed functions of the store for the teams, the
 * volunteers with their points, service hours, redemptions and rankings; only src/store/
 * speaks SQL. Hours are kept in tenths of an hour, points in tenths of a point. */
#ifndef WG_STORE_VOLUNTEER_Q_H
#define WG_STORE_VOLUNTEER_Q_H

#include "store/store.h"

struct wg_vteam_row {
    long long id;
    char name[164], place[20], kind[24];
    long long rate, version;
    char created_by[64];
    long long created_at, members;
};
enum wg_rc wg_store_vteam_insert(struct wg_db *db, const struct wg_vteam_row *t, long long *id,
                                 struct wg_err *err);
/* WG_ENOTFOUND naming the team. */
enum wg_rc wg_store_vteam_get(struct wg_db *db, long long id, struct wg_vteam_row *out,
                              struct wg_err *err);
/* The teams of places [lo, hi) of kind ("" any). */
enum wg_rc wg_store_vteam_list(struct wg_db *db, const char *lo, const char *hi, const char *kind,
                               int limit, int (*cb)(const struct wg_vteam_row *, void *), void *ctx,
                               struct wg_err *err);
/* *id another team of place by that name (0: none). */
enum wg_rc wg_store_vteam_taken(struct wg_db *db, const char *place, const char *name,
                                long long *id, struct wg_err *err);

struct wg_vol_row {
    long long id, person, team;
    char place[20];
    const char *skills; /* a JSON array, borrowed in callbacks */
    char since[12];
    long long earned, redeemed, version; /* tenths */
    char created_by[64];
    long long created_at;
    char team_name[164], team_kind[24];
};
enum wg_rc wg_store_vol_insert(struct wg_db *db, const struct wg_vol_row *v, long long *id,
                               struct wg_err *err);
/* Texts borrowed in cb; WG_ENOTFOUND naming the volunteer. */
enum wg_rc wg_store_vol_get(struct wg_db *db, long long id,
                            int (*cb)(const struct wg_vol_row *, void *), void *ctx,
                            struct wg_err *err);
/* found 0 when person is no volunteer. */
enum wg_rc wg_store_vol_of_person(struct wg_db *db, long long person,
                                  int (*cb)(const struct wg_vol_row *, void *), void *ctx,
                                  int *found, struct wg_err *err);
enum wg_rc wg_store_vol_list(struct wg_db *db, const char *lo, const char *hi, long long team,
                             long long after, int limit,
                             int (*cb)(const struct wg_vol_row *, void *), void *ctx,
                             struct wg_err *err);
/* Tenths of an hour volunteer served on day. */
enum wg_rc wg_store_vol_day_tenths(struct wg_db *db, long long volunteer, const char *day,
                                   long long *tenths, struct wg_err *err);
struct wg_vol_hours_row {
    long long volunteer, team;
    char day[12];
    long long tenths, points;
    const char *activity;
    char created_by[64];
    long long created_at;
};
/* Stores the service and adds its points to the volunteer's earned; *id its id. */
enum wg_rc wg_store_vol_hours_add(struct wg_db *db, const struct wg_vol_hours_row *h, long long *id,
                                  struct wg_err *err);
/* Takes points (tenths) off volunteer's balance and stores the redemption: *ok 0 (nothing
 * written) when the balance is less. */
enum wg_rc wg_store_vol_redeem(struct wg_db *db, long long volunteer, long long points,
                               const char *what, const char *by, long long now, long long *id,
                               int *ok, struct wg_err *err);
/* The newest limit entries of volunteer's history: kind 'h' service, 'r' a redemption. */
struct wg_vol_entry {
    char kind;
    long long id;
    const char *day;
    long long tenths, points;
    const char *what;
    long long team, at;
};
enum wg_rc wg_store_vol_history(struct wg_db *db, long long volunteer, int limit,
                                int (*cb)(const struct wg_vol_entry *, void *), void *ctx,
                                struct wg_err *err);
/* Rankings by hours over days [from, to] of places [lo, hi): volunteers (id, person, team,
 * tenths, points) and teams (id, name, kind, place, tenths, volunteers). */
enum wg_rc wg_store_vol_rank(struct wg_db *db, const char *from, const char *to, const char *lo,
                             const char *hi, int limit,
                             int (*cb)(long long id, long long person, long long team,
                                       long long tenths, long long points, void *),
                             void *ctx, struct wg_err *err);
enum wg_rc wg_store_vteam_rank(struct wg_db *db, const char *from, const char *to, const char *lo,
                               const char *hi, int limit,
                               int (*cb)(long long id, const char *name, const char *kind,
                                         const char *place, long long tenths, long long volunteers,
                                         void *),
                               void *ctx, struct wg_err *err);

#endif
