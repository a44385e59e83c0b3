/* The server's sweep over dispute cases (dispute.h): each case past due, not supervised since
 * its clock started, supervised once by the system and its level told, as red orders are. */
#include "domain/disputes/dispute.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "domain/disputes/case_row.h"
#include "store/disputes/dispute_q.h"

#define SWEEP_MAX 200

struct due {
    long long (*v)[2];
    size_t n, cap;
};

static int add_due(long long id, long long version, void *ctx)
{
    struct due *d = ctx;
    wg_grow(&d->v, &d->cap, d->n, sizeof d->v[0], 16);
    d->v[d->n][0] = id, d->v[d->n][1] = version;
    d->n++;
    return 0;
}

static enum wg_rc supervise(struct wg_db *db, const struct wg_case_env *env,
                            const struct wg_case_step *s, const json_t *body, struct wg_err *err)
{
    struct wg_dispute_row r;
    enum wg_rc rc = wg_db_begin(db, err);
    if (rc)
        return rc;
    if (!(rc = wg_case_act(db, env, s, body, err)) &&
        !(rc = wg_store_dispute_get(db, s->id, wg_case_row_copy, &r, err)))
        rc = wg_case_tell(db, &r, "dispute_overdue", s->now, err);
    if (!rc)
        rc = wg_db_commit(db, err);
    else
        wg_db_rollback(db);
    return rc;
}

enum wg_rc wg_case_sweep(struct wg_db *db, const struct wg_case_env *env, long long now, int *count,
                         struct wg_err *err)
{
    struct due d = {0};
    struct wg_scope all;
    *count = 0;
    enum wg_rc rc = wg_scope_parse("all", &all, err);
    if (!rc)
        rc = wg_store_dispute_overdue(db, now, SWEEP_MAX, add_due, &d, err);
    json_t *body = json_pack("{s:s}", "note", "超过办理时限，系统自动督办");
    for (size_t i = 0; !rc && i < d.n; i++) {
        struct wg_case_step s = {d.v[i][0], d.v[i][1],          now, WG_CASE_SUPERVISE,
                                 "system",  WG_ROLE_SUPERVISOR, &all};
        struct wg_err one = {0};
        enum wg_rc r1 = supervise(db, env, &s, body, &one);
        /* changed meanwhile (a step, another server's sweep): the next sweep sees it again */
        if (r1 == WG_EPRECOND || r1 == WG_ECONFLICT)
            continue;
        if (r1) {
            *err = one;
            rc = r1;
        } else {
            (*count)++;
        }
    }
    json_decref(body);
    free(d.v);
    return rc;
}
