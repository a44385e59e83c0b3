/* Typed queries over dispute screening tasks (screening_q.h): made a period at a time,
 * listed by due time and region, their results written under a version, their reminders
 * claimed once. */
#include "store/store.h"

#include "store/backend.h"
#include "store/disputes/screening_q.h"

enum wg_rc wg_store_screening_probe(struct wg_db *db, const char *level, const char *start,
                                    int *found, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(level), WG_VTEXT(start)};
    long long one = 0;
    *found = 0;
    return wg_db_query_int(db, WG_Q_SCREENING_PROBE, v, WG_NVALS(v), &one, found, err);
}

enum wg_rc wg_store_screening_make(struct wg_db *db, const char *level, const char *start,
                                   const char *end, long long due_at, long long now, long *made,
                                   struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(level), WG_VTEXT(start), WG_VTEXT(end), WG_VINT(due_at),
                         WG_VINT(now)};
    long n = 0;
    enum wg_q q = strcmp(level, "grid") ? WG_Q_SCREENING_MAKE_REGIONS : WG_Q_SCREENING_MAKE_GRIDS;
    enum wg_rc rc = wg_db_exec(db, q, v, WG_NVALS(v), &n, err);
    if (made)
        *made = rc ? 0 : n;
    return rc;
}

struct each {
    int (*cb)(const struct wg_screening_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_screening_row r;
    memset(&r, 0, sizeof r);
    r.id = wg_row_int(row, 0);
    wg_row_copy(row, 1, r.level, sizeof r.level);
    wg_row_copy(row, 2, r.region, sizeof r.region);
    wg_row_copy(row, 3, r.period_start, sizeof r.period_start);
    wg_row_copy(row, 4, r.period_end, sizeof r.period_end);
    r.due_at = wg_row_int(row, 5);
    wg_row_copy(row, 6, r.state, sizeof r.state);
    r.found = wg_row_int(row, 7);
    r.note = wg_row_text(row, 8);
    r.disputes = wg_row_text(row, 9);
    wg_row_copy(row, 10, r.done_by, sizeof r.done_by);
    r.done_at = wg_row_int(row, 11);
    r.reminded_at = wg_row_int(row, 12);
    r.version = wg_row_int(row, 13);
    r.created_at = wg_row_int(row, 14);
    e->rows++;
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_screening_get(struct wg_db *db, long long id,
                                  int (*cb)(const struct wg_screening_row *, void *), void *ctx,
                                  struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_SCREENING_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "screening task %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_screening_list(struct wg_db *db, const struct wg_screening_range *q,
                                   int (*cb)(const struct wg_screening_row *, void *), void *ctx,
                                   struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(q->lo),    WG_VTEXT(q->hi),     WG_VTEXT(q->level),
                         WG_VTEXT(q->state), WG_VINT(q->from),    WG_VINT(q->to),
                         WG_VINT(q->at),     WG_VTEXT(q->region), WG_VINT(q->id),
                         WG_VINT(q->limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_SCREENING_LIST, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_screening_result(struct wg_db *db, const struct wg_screening_row *r,
                                     struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(r->id),        WG_VINT(r->found),    WG_VTEXT(r->note),
                         WG_VTEXT(r->disputes), WG_VTEXT(r->done_by), WG_VINT(r->done_at),
                         WG_VINT(r->version)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_SCREENING_RESULT, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_EPRECOND,
                          "screening task %lld changed since version %lld was read: read it again",
                          r->id, r->version);
    return rc;
}

enum wg_rc wg_store_screening_overdue(struct wg_db *db, long long before, int limit,
                                      int (*cb)(const struct wg_screening_row *, void *), void *ctx,
                                      struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(before), WG_VINT(limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_SCREENING_OVERDUE, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_screening_reminded(struct wg_db *db, long long id, long long at, int *claimed,
                                       struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id), WG_VINT(at)};
    long n = 0;
    enum wg_rc rc = wg_db_exec(db, WG_Q_SCREENING_REMINDED, v, WG_NVALS(v), &n, err);
    *claimed = !rc && n == 1;
    return rc;
}
