/* Alerts and their rules (alert_q.h). */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#include "store/alerts/alert_q.h"
#include "store/backend.h"

enum wg_rc wg_store_alert_head(struct wg_db *db, long long *seq, struct wg_err *err)
{
    *seq = 0;
    return wg_db_query_int(db, WG_Q_ALERT_HEAD, NULL, 0, seq, NULL, err);
}

enum wg_rc wg_store_alert_head_bump(struct wg_db *db, struct wg_err *err)
{
    return wg_db_exec(db, WG_Q_ALERT_HEAD_BUMP, NULL, 0, NULL, err);
}

enum wg_rc wg_store_alert_max_id(struct wg_db *db, long long *id, struct wg_err *err)
{
    *id = 0;
    return wg_db_query_int(db, WG_Q_ALERT_MAX_ID, NULL, 0, id, NULL, err);
}

struct each {
    int (*cb)(const struct wg_alert_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_alert_row a;
    memset(&a, 0, sizeof a);
    a.id = wg_row_int(row, 0);
    wg_row_copy(row, 1, a.device, sizeof a.device);
    wg_row_copy(row, 2, a.type, sizeof a.type);
    wg_row_copy(row, 3, a.grid, sizeof a.grid);
    wg_row_copy(row, 4, a.unit, sizeof a.unit);
    a.lon = wg_row_real(row, 5);
    a.lat = wg_row_real(row, 6);
    a.confidence = wg_row_real(row, 7);
    a.first_seen = wg_row_int(row, 8);
    a.last_seen = wg_row_int(row, 9);
    a.count = wg_row_int(row, 10);
    wg_row_copy(row, 11, a.snapshot, sizeof a.snapshot);
    wg_row_copy(row, 12, a.state, sizeof a.state);
    a.order_id = wg_row_isnull(row, 13) ? 0 : wg_row_int(row, 13);
    wg_row_copy(row, 14, a.note, sizeof a.note);
    wg_row_copy(row, 15, a.reviewed_by, sizeof a.reviewed_by);
    a.reviewed_at = wg_row_int(row, 16);
    a.version = wg_row_int(row, 17);
    a.created_at = wg_row_int(row, 18);
    a.updated_at = wg_row_int(row, 19);
    e->rows++;
    return e->cb(&a, e->ctx);
}

static int copy_one(const struct wg_alert_row *a, void *ctx)
{
    *(struct wg_alert_row *)ctx = *a;
    return 1;
}

enum wg_rc wg_store_alert_open(struct wg_db *db, long long since,
                               int (*cb)(const struct wg_alert_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(since)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_ALERT_OPEN, v, 1, take, &e, err);
}

enum wg_rc wg_store_alert_upsert_rows(struct wg_db *db, const char *rows_json, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(rows_json)};
    return wg_db_exec(db, WG_Q_ALERT_UPSERT_ROWS, v, 1, NULL, err);
}

enum wg_rc wg_store_alert_get(struct wg_db *db, long long id, struct wg_alert_row *out,
                              struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {copy_one, out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_ALERT_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "alert %lld does not exist", id);
    return rc;
}

#define FILTER_VALS(f)                                                                             \
    WG_VTEXT(f->scope_prefix), WG_VTEXT(f->scope_unit), WG_VTEXT(f->state), WG_VTEXT(f->type),     \
        WG_VTEXT(f->grid), WG_VINT(f->since)

enum wg_rc wg_store_alert_list(struct wg_db *db, const struct wg_alert_filter *f,
                               int (*cb)(const struct wg_alert_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val v[] = {FILTER_VALS(f), WG_VINT(f->limit), WG_VINT(f->offset)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_ALERT_LIST, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_alert_count(struct wg_db *db, const struct wg_alert_filter *f, long long *n,
                                struct wg_err *err)
{
    struct wg_val v[] = {FILTER_VALS(f)};
    *n = 0;
    return wg_db_query_int(db, WG_Q_ALERT_COUNT, v, WG_NVALS(v), n, NULL, err);
}

enum wg_rc wg_store_alert_review(struct wg_db *db, const struct wg_alert_row *a, long long now,
                                 struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {
        WG_VINT(a->id),     WG_VTEXT(a->state),       a->order_id ? WG_VINT(a->order_id) : WG_VNULL,
        WG_VTEXT(a->note),  WG_VTEXT(a->reviewed_by), WG_VINT(now),
        WG_VINT(a->version)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_ALERT_REVIEW, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        rc = wg_err_set(err, WG_ECONFLICT,
                        "alert %lld changed since version %lld was read: read it again", a->id,
                        a->version);
    if (!rc)
        rc = wg_store_alert_head_bump(db, err);
    return rc;
}

struct each_rule {
    int (*cb)(const struct wg_alert_rule_row *, void *);
    void *ctx;
};

static int take_rule(struct wg_row *row, void *ctx)
{
    struct each_rule *e = ctx;
    struct wg_alert_rule_row r;
    memset(&r, 0, sizeof r);
    wg_row_copy(row, 0, r.type, sizeof r.type);
    r.min_confidence = wg_row_real(row, 1);
    r.dwell_seconds = wg_row_int(row, 2);
    r.dwell_count = wg_row_int(row, 3);
    wg_row_copy(row, 4, r.action, sizeof r.action);
    wg_row_copy(row, 5, r.item, sizeof r.item);
    wg_row_copy(row, 6, r.urgency, sizeof r.urgency);
    r.version = wg_row_int(row, 7);
    wg_row_copy(row, 8, r.updated_by, sizeof r.updated_by);
    r.updated_at = wg_row_int(row, 9);
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_alert_rules(struct wg_db *db,
                                int (*cb)(const struct wg_alert_rule_row *, void *), void *ctx,
                                struct wg_err *err)
{
    struct each_rule e = {cb, ctx};
    return wg_db_query(db, WG_Q_ALERT_RULE_LIST, NULL, 0, take_rule, &e, err);
}

enum wg_rc wg_store_alert_rule_put(struct wg_db *db, const struct wg_alert_rule_row *r,
                                   struct wg_err *err)
{
    struct wg_val v[] = {
        WG_VTEXT(r->type),       WG_VREAL(r->min_confidence), WG_VINT(r->dwell_seconds),
        WG_VINT(r->dwell_count), WG_VTEXT(r->action),         WG_VTEXT(r->item),
        WG_VTEXT(r->urgency),    WG_VTEXT(r->updated_by),     WG_VINT(r->updated_at)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_ALERT_RULE_PUT, v, WG_NVALS(v), NULL, err);
    return rc ? rc : wg_store_alert_head_bump(db, err);
}
