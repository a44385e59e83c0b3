/* The dispute figures' counters (dispute_stat_q.h). */
#include "store/store.h"

#include "store/backend.h"
#include "store/disputes/dispute_stat_q.h"

static enum wg_rc add_span(struct wg_db *db, const char *region, const char *span, const char *day,
                           const char *dim, const char *value, const struct wg_dispute_tally *t,
                           struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT((long long)strlen(region)),
                         WG_VTEXT(dim),
                         WG_VTEXT(region),
                         WG_VTEXT(span),
                         WG_VTEXT(day),
                         WG_VTEXT(value),
#define WG_TALLY_VAL(f) WG_VINT(t->f),
                         WG_DISPUTE_TALLY(WG_TALLY_VAL)
#undef WG_TALLY_VAL
    };
    return wg_db_exec(db, WG_Q_DISPUTE_STAT_ADD, v, WG_NVALS(v), NULL, err);
}

enum wg_rc wg_store_dispute_stat_add(struct wg_db *db, const char *region, const char *day,
                                     const char *dim, const char *value,
                                     const struct wg_dispute_tally *t, struct wg_err *err)
{
    char month[8];
    snprintf(month, sizeof month, "%.7s", day);
    enum wg_rc rc = add_span(db, region, "d", day, dim, value, t, err);
    return rc ? rc : add_span(db, region, "m", month, dim, value, t, err);
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

enum wg_rc wg_store_dispute_stat_sum(struct wg_db *db, const struct wg_dispute_stat_q *q,
                                     int (*cb)(const char *key, const struct wg_dispute_tally *,
                                               void *),
                                     void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(q->lo),   WG_VTEXT(q->hi), WG_VINT(q->depth), WG_VTEXT(q->dim),
                         WG_VTEXT(q->from), WG_VTEXT(q->to), WG_VTEXT(q->span)};
    struct each_sum e = {cb, ctx};
    return wg_db_query(db, q->by_region ? WG_Q_DISPUTE_STAT_BY_REGION : WG_Q_DISPUTE_STAT_BY_VALUE,
                       v, WG_NVALS(v), take_sum, &e, err);
}
