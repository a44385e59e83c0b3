/* Mobilisations (domain/partake/mobilise.h): typed functions of the store for a
 * mobilisation, its recipients fixed when it is made, and each one's acknowledgement and
 * done report; only src/store/ speaks SQL. */
#ifndef WG_STORE_MOBILISE_Q_H
#define WG_STORE_MOBILISE_Q_H

#include "store/store.h"

struct wg_mob_row {
    long long id;
    const char *title, *content; /* borrowed in callbacks */
    char deadline[12];
    long long due_at;
    char scope[20], kinds[24], created_by[64];
    long long created_at, teams, acked, done;
};
enum wg_rc wg_store_mob_insert(struct wg_db *db, const struct wg_mob_row *m, long long *id,
                               struct wg_err *err);
enum wg_rc wg_store_mob_team_insert(struct wg_db *db, long long mob, const char *kind,
                                    long long team, const char *name, const char *place,
                                    struct wg_err *err);
/* WG_ENOTFOUND naming the mobilisation. */
enum wg_rc wg_store_mob_get(struct wg_db *db, long long id,
                            int (*cb)(const struct wg_mob_row *, void *), void *ctx,
                            struct wg_err *err);
/* Those whose scope lies in [lo, hi) or holds code, newest first below id before. */
enum wg_rc wg_store_mob_list(struct wg_db *db, const char *lo, const char *hi, const char *code,
                             long long before, int limit,
                             int (*cb)(const struct wg_mob_row *, void *), void *ctx,
                             struct wg_err *err);
struct wg_mob_team_row {
    const char *kind;
    long long team;
    const char *name, *place;
    long long acked_at;
    const char *acked_by;
    long long done_at;
    const char *done_by, *note;
};
enum wg_rc wg_store_mob_teams(struct wg_db *db, long long id,
                              int (*cb)(const struct wg_mob_team_row *, void *), void *ctx,
                              struct wg_err *err);
/* Marks a recipient acknowledged (done 0) or done with note (done 1); *changed 0 when it was
 * already. */
enum wg_rc wg_store_mob_mark(struct wg_db *db, long long id, const char *kind, long long team,
                             int done, long long at, const char *by, const char *note, int *changed,
                             struct wg_err *err);

#endif
