/* The dispute figures' counters (dispute_stat_q.h). */
#include "store/store.h"

#include "store/backend.h"
#include "store/disputes/dispute_stat_q.h"

enum wg_rc wg_store_dispute_stat_add(struct wg_db *db, const char *day, const char *grid,
                                     const char *type, const char *level, long long body,
                                     const struct wg_dispute_tally *t, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(day),
                         WG_VTEXT(grid),
                         WG_VTEXT(type),
                         WG_VTEXT(level),
                         WG_VINT(body),
#define WG_TALLY_VAL(f) WG_VINT(t->f),
                         WG_DISPUTE_TALLY(WG_TALLY_VAL)
#undef WG_TALLY_VAL
    };
    return wg_db_exec(db, WG_Q_DISPUTE_STAT_ADD, v, WG_NVALS(v), NULL, err);
}

struct each_sum {
    int (*cb)(const char *key, const struct wg_dispute_tally *, void *);
    void *ctx;
};

static int take_sum(struct wg_row *row, void *ctx)
{
    struct each_sum *e = ctx;
    struct wg_dispute_tally t;
    int i = 1;
#define WG_TALLY_READ(f) t.f = wg_row_int(row, i++);
    WG_DISPUTE_TALLY(WG_TALLY_READ)
#undef WG_TALLY_READ
    return e->cb(wg_row_text(row, 0), &t, e->ctx);
}

enum wg_rc wg_store_dispute_stat_sum(struct wg_db *db, enum wg_dispute_stat_by by, const char *from,
                                     const char *to, const char *lo, const char *hi, int prefix_len,
                                     int (*cb)(const char *key, const struct wg_dispute_tally *,
                                               void *),
                                     void *ctx, struct wg_err *err)
{
    static const enum wg_q q[] = {[WG_DSTAT_TOTAL] = WG_Q_DISPUTE_STAT_TOTAL,
                                  [WG_DSTAT_TYPE] = WG_Q_DISPUTE_STAT_BY_TYPE,
                                  [WG_DSTAT_LEVEL] = WG_Q_DISPUTE_STAT_BY_LEVEL,
                                  [WG_DSTAT_BODY] = WG_Q_DISPUTE_STAT_BY_BODY,
                                  [WG_DSTAT_REGION] = WG_Q_DISPUTE_STAT_BY_REGION};
    struct wg_val v[] = {WG_VTEXT(from), WG_VTEXT(to), WG_VTEXT(lo), WG_VTEXT(hi),
                         WG_VINT(prefix_len)};
    struct each_sum e = {cb, ctx};
    if ((unsigned)by > WG_DSTAT_REGION)
        return wg_err_set(err, WG_EINVAL, "not a grouping of the dispute figures");
    return wg_db_query(db, q[by], v, by == WG_DSTAT_REGION ? 5 : 4, take_sum, &e, err);
}
