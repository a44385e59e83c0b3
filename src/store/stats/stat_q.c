/* Typed queries over the indicator counters and their change log. */
#include "store/store.h"

#include "store/backend.h"
#include "store/gather.h"
#include "store/stats/stats_q.h"

enum wg_rc wg_store_stat_add(struct wg_db *db, const struct wg_stat_cell *c, struct wg_err *err)
{
    if (wg_gather_stat_add(db, c))
        return WG_OK;
    struct wg_val p[5 + WG_STAT_NCOUNTERS] = {WG_VTEXT(c->leaf), WG_VINT(c->day), WG_VTEXT(c->unit),
                                              WG_VTEXT(c->item), WG_VTEXT(c->channel)};
    for (int i = 0; i < WG_STAT_NCOUNTERS; i++)
        p[5 + i] = WG_VINT(c->c[i]);
    return wg_db_exec(db, WG_Q_STAT_ADD, p, WG_NVALS(p), NULL, err);
}

enum wg_rc wg_store_stat_log(struct wg_db *db, long long at, const char *deltas, struct wg_err *err)
{
    if (wg_gather_stat_log(db, at, deltas))
        return WG_OK;
    struct wg_val p[] = {WG_VINT(at), WG_VTEXT(deltas)};
    return wg_db_exec(db, WG_Q_STAT_LOG, p, 2, NULL, err);
}

struct each_cell {
    int (*cb)(const struct wg_stat_cell *, void *);
    void *ctx;
};

static int each_cell(struct wg_row *row, void *ctx)
{
    struct each_cell *e = ctx;
    struct wg_stat_cell c;
    c.day = (int)wg_row_int(row, 0);
    c.leaf = wg_row_text(row, 1);
    c.unit = wg_row_text(row, 2);
    c.item = wg_row_text(row, 3);
    c.channel = wg_row_text(row, 4);
    for (int i = 0; i < WG_STAT_NCOUNTERS; i++)
        c.c[i] = wg_row_int(row, 5 + i);
    return e->cb(&c, e->ctx);
}

enum wg_rc wg_store_stat_cells(struct wg_db *db, const struct wg_stat_filter *f,
                               int (*cb)(const struct wg_stat_cell *, void *), void *ctx,
                               struct wg_err *err)
{
#define S(x) ((x) ? (x) : "")
    char hi[40];
    struct each_cell e = {cb, ctx};
    if (strlen(S(f->leaf)) > 30)
        return wg_err_set(err, WG_EINVAL, "code '%.30s...' is too long", f->leaf);
    /* codes are digits: every code that starts with the prefix sorts below prefix ':' */
    snprintf(hi, sizeof hi, "%s:", S(f->leaf));
    struct wg_val p[] = {
        WG_VINT(f->from),
        WG_VINT(f->to),
        WG_VTEXT(S(f->leaf)),
        WG_VTEXT(hi),
        WG_VTEXT(S(f->unit)),
        WG_VTEXT(S(f->item)),
        WG_VINT((long long)strlen(S(f->item))),
        WG_VTEXT(S(f->channel)),
    };
#undef S
    return wg_db_query(db, WG_Q_STAT_CELLS, p, WG_NVALS(p), each_cell, &e, err);
}

struct each_log {
    int (*cb)(long long, const char *, void *);
    void *ctx;
};

static int each_log(struct wg_row *row, void *ctx)
{
    struct each_log *e = ctx;
    return e->cb(wg_row_int(row, 0), wg_row_text(row, 1), e->ctx);
}

enum wg_rc wg_store_stat_log_since(struct wg_db *db, long long seq, int limit,
                                   int (*cb)(long long seq, const char *deltas, void *), void *ctx,
                                   struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(seq), WG_VINT(limit)};
    struct each_log e = {cb, ctx};
    return wg_db_query(db, WG_Q_STAT_LOG_SINCE, p, 2, each_log, &e, err);
}

static int take_bounds(struct wg_row *row, void *ctx)
{
    long long *b = ctx;
    b[0] = wg_row_int(row, 0);
    b[1] = wg_row_int(row, 1);
    return 1;
}

enum wg_rc wg_store_stat_log_bounds(struct wg_db *db, long long *min, long long *max,
                                    struct wg_err *err)
{
    long long b[2] = {0, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_STAT_LOG_BOUNDS, NULL, 0, take_bounds, b, err);
    *min = b[0];
    *max = b[1];
    return rc;
}

enum wg_rc wg_store_stat_log_prune(struct wg_db *db, long long before, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(before)};
    return wg_db_exec(db, WG_Q_STAT_LOG_PRUNE, p, 1, NULL, err);
}

enum wg_rc wg_store_stat_roll_add(struct wg_db *db, const struct wg_stat_roll *r,
                                  struct wg_err *err)
{
    struct wg_val p[4 + WG_STAT_NCOUNTERS] = {WG_VINT(r->day), WG_VTEXT(r->node), WG_VINT(r->view),
                                              WG_VTEXT(r->dim)};
    struct wg_val u[WG_STAT_NCOUNTERS + 4];
    long changed = 0;
    for (int i = 0; i < WG_STAT_NCOUNTERS; i++)
        p[4 + i] = u[i] = WG_VINT(r->c[i]);
    memcpy(u + WG_STAT_NCOUNTERS, p, 4 * sizeof *p);
    enum wg_rc rc = wg_db_exec(db, WG_Q_STAT_ROLL_BUMP, u, WG_NVALS(u), &changed, err);
    if (rc || changed)
        return rc;
    /* a new row (an upsert all the same, for a database with more than one writer) */
    return wg_db_exec(db, WG_Q_STAT_ROLL_ADD, p, WG_NVALS(p), NULL, err);
}

struct each_roll {
    int (*cb)(const struct wg_stat_roll *, void *);
    void *ctx;
};

static int each_roll(struct wg_row *row, void *ctx)
{
    struct each_roll *e = ctx;
    struct wg_stat_roll r;
    r.day = (int)wg_row_int(row, 0);
    r.node = wg_row_text(row, 1);
    r.view = (int)wg_row_int(row, 2);
    r.dim = wg_row_text(row, 3);
    for (int i = 0; i < WG_STAT_NCOUNTERS; i++)
        r.c[i] = wg_row_int(row, 4 + i);
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_stat_rolls(struct wg_db *db, int (*cb)(const struct wg_stat_roll *, void *),
                               void *ctx, struct wg_err *err)
{
    struct each_roll e = {cb, ctx};
    return wg_db_query(db, WG_Q_STAT_ROLLS, NULL, 0, each_roll, &e, err);
}

enum wg_rc wg_store_stat_roll_pos(struct wg_db *db, long long *seq, struct wg_err *err)
{
    *seq = 0;
    return wg_db_query_int(db, WG_Q_STAT_ROLL_POS, NULL, 0, seq, NULL, err);
}

enum wg_rc wg_store_stat_roll_pos_set(struct wg_db *db, long long seq, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(seq)};
    return wg_db_exec(db, WG_Q_STAT_ROLL_POS_SET, p, 1, NULL, err);
}
