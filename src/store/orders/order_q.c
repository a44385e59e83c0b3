/* Typed queries over work orders and their timelines. */
#include "store/store.h"

#include "core/alloc.h"
#include "store/backend.h"
#include "store/gather.h"
#include "store/orders/orders_q.h"

enum wg_rc wg_store_order_next_number(struct wg_db *db, const char *county, const char *day,
                                      long long *out, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(county), WG_VTEXT(day)};
    enum wg_rc rc;
    *out = 0;
    if (wg_gather_number_next(db, county, day, out))
        return WG_OK;
    if (!(rc = wg_db_query_int(db, WG_Q_ORDER_NUMBER_NEXT, p, 2, out, NULL, err)))
        wg_gather_number_seen(db, county, day, *out);
    return rc;
}

enum wg_rc wg_store_order_insert(struct wg_db *db, const struct wg_order_row *o, long long *id,
                                 struct wg_err *err)
{
    struct wg_val p[] = {
        WG_VTEXT(o->number),
        WG_VTEXT(o->county),
        WG_VTEXT(o->channel),
        WG_VTEXT(o->type),
        WG_VTEXT0(o->item),
        WG_VTEXT(o->title),
        WG_VTEXT(o->content),
        WG_VTEXT0(o->address),
        o->has_point ? WG_VREAL(o->lon) : WG_VNULL,
        o->has_point ? WG_VREAL(o->lat) : WG_VNULL,
        WG_VTEXT0(o->crs),
        WG_VTEXT0(o->grid),
        o->grid[0] ? WG_VINT(o->grid_version) : WG_VNULL,
        WG_VTEXT(o->urgency),
        WG_VTEXT0(o->reporter_name),
        WG_VTEXT0(o->reporter_phone),
        WG_VTEXT0(o->reporter_phone_blind),
        WG_VINT(o->anonymous),
        WG_VINT(o->confidential),
        WG_VTEXT(o->state),
        WG_VTEXT(o->created_by),
        WG_VTEXT(o->created_at),
        WG_VTEXT(o->created_at),
    };
    enum wg_rc rc;
    *id = 0;
    if (wg_gather_order(db, o, id, &rc, err))
        return rc;
    rc = wg_db_query_int(db, WG_Q_ORDER_INSERT, p, WG_NVALS(p), id, NULL, err);
    if (!rc && !*id)
        return wg_err_set(err, WG_EDB, "order insert returned no id");
    return rc;
}

struct ids {
    long long *ids;
    int cap, *n;
};

static int take_id(struct wg_row *row, void *ctx)
{
    struct ids *t = ctx;
    if (*t->n < t->cap)
        t->ids[(*t->n)++] = wg_row_int(row, 0);
    return 0;
}

enum wg_rc wg_store_order_ids(struct wg_db *db, int count, long long *ids, int *n,
                              struct wg_err *err)
{
    struct ids t = {ids, count, n};
    struct wg_val p[] = {WG_VINT(count)};
    *n = 0;
    return wg_db_query(db, WG_Q_ORDER_IDS, p, 1, take_id, &t, err);
}

struct one {
    struct wg_order_row *o;
    int n;
};

static char *dup(struct wg_row *row, int col)
{
    return wg_strdup(wg_row_text(row, col));
}

static int take_order(struct wg_row *row, void *ctx)
{
    struct one *one = ctx;
    struct wg_order_row *o = one->o;
    o->id = wg_row_int(row, 0);
    wg_row_copy(row, 1, o->number, sizeof o->number);
    wg_row_copy(row, 2, o->county, sizeof o->county);
    wg_row_copy(row, 3, o->channel, sizeof o->channel);
    wg_row_copy(row, 4, o->type, sizeof o->type);
    wg_row_copy(row, 5, o->item, sizeof o->item);
    o->title = dup(row, 6);
    o->content = dup(row, 7);
    o->address = dup(row, 8);
    o->has_point = !wg_row_isnull(row, 9);
    o->lon = wg_row_real(row, 9);
    o->lat = wg_row_real(row, 10);
    wg_row_copy(row, 11, o->crs, sizeof o->crs);
    wg_row_copy(row, 12, o->grid, sizeof o->grid);
    wg_row_copy(row, 13, o->urgency, sizeof o->urgency);
    o->reporter_name = dup(row, 14);
    o->reporter_phone = dup(row, 15);
    o->anonymous = (int)wg_row_int(row, 16);
    o->confidential = (int)wg_row_int(row, 17);
    wg_row_copy(row, 18, o->state, sizeof o->state);
    o->version = (int)wg_row_int(row, 19);
    wg_row_copy(row, 20, o->unit, sizeof o->unit);
    wg_row_copy(row, 21, o->created_by, sizeof o->created_by);
    wg_row_copy(row, 22, o->created_at, sizeof o->created_at);
    wg_row_copy(row, 23, o->updated_at, sizeof o->updated_at);
    o->dispatched_at = wg_row_int(row, 24);
    o->reply_deadline = wg_row_int(row, 25);
    o->supervised = !wg_row_isnull(row, 26);
    wg_row_copy(row, 26, o->supervision, sizeof o->supervision);
    wg_row_copy(row, 27, o->callback_since, sizeof o->callback_since);
    one->n++;
    return 1;
}

void wg_store_order_release(struct wg_order_row *o)
{
    free(o->title);
    free(o->content);
    free(o->address);
    free(o->reporter_name);
    free(o->reporter_phone);
    o->title = o->content = o->address = o->reporter_name = o->reporter_phone = NULL;
}

enum wg_rc wg_store_order_get(struct wg_db *db, long long id, struct wg_order_row *out,
                              struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(id)};
    struct one one = {out, 0};
    enum wg_rc rc;
    memset(out, 0, sizeof *out);
    rc = wg_db_query(db, WG_Q_ORDER_GET, p, 1, take_order, &one, err);
    if (rc)
        return rc;
    if (!one.n)
        return wg_err_set(err, WG_ENOTFOUND, "order %lld does not exist", id);
    return WG_OK;
}

enum wg_rc wg_store_order_event(struct wg_db *db, long long order_id,
                                const struct wg_order_event_row *e, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(order_id),      WG_VTEXT(e->at),     WG_VTEXT(e->actor),
                         WG_VTEXT(e->role),      WG_VTEXT(e->action), WG_VTEXT0(e->from_state),
                         WG_VTEXT0(e->to_state), WG_VTEXT0(e->detail)};
    return wg_db_exec(db, WG_Q_ORDER_EVENT_INSERT, p, WG_NVALS(p), NULL, err);
}

enum wg_rc wg_store_order_event_first(struct wg_db *db, long long order_id,
                                      const struct wg_order_event_row *e, struct wg_err *err)
{
    if (wg_gather_event_first(db, order_id, e))
        return WG_OK;
    struct wg_val p[] = {WG_VINT(order_id),      WG_VTEXT(e->at),     WG_VTEXT(e->actor),
                         WG_VTEXT(e->role),      WG_VTEXT(e->action), WG_VTEXT0(e->from_state),
                         WG_VTEXT0(e->to_state), WG_VTEXT0(e->detail)};
    return wg_db_exec(db, WG_Q_ORDER_EVENT_FIRST, p, WG_NVALS(p), NULL, err);
}

struct each_event {
    int (*cb)(const struct wg_order_event_row *, void *);
    void *ctx;
};

static int each_event(struct wg_row *row, void *ctx)
{
    struct each_event *e = ctx;
    struct wg_order_event_row ev = {
        (int)wg_row_int(row, 0), wg_row_text(row, 1), wg_row_text(row, 2), wg_row_text(row, 3),
        wg_row_text(row, 4),     wg_row_text(row, 5), wg_row_text(row, 6), wg_row_text(row, 7)};
    return e->cb(&ev, e->ctx);
}

enum wg_rc wg_store_order_events(struct wg_db *db, long long order_id,
                                 int (*cb)(const struct wg_order_event_row *, void *), void *ctx,
                                 struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(order_id)};
    struct each_event e = {cb, ctx};
    return wg_db_query(db, WG_Q_ORDER_EVENTS, p, 1, each_event, &e, err);
}

static int take_backlog(struct wg_row *row, void *ctx)
{
    long long *v = ctx;
    v[0] = wg_row_int(row, 0);
    v[1] = wg_row_int(row, 1);
    return 1;
}

/* The text index's mark and the newest order's id, as v[0] and v[1]; both 0 on a backend
 * that keeps its index in the orders' own transactions. */
static enum wg_rc fts_marks(struct wg_db *db, long long v[2], struct wg_err *err)
{
    v[0] = v[1] = 0;
    if (!db->be->search.connect)
        return WG_OK;
    return wg_db_query(db, WG_Q_ORDER_FTS_BACKLOG, NULL, 0, take_backlog, v, err);
}

enum wg_rc wg_store_order_fts_backlog(struct wg_db *db, long long *pending, struct wg_err *err)
{
    long long v[2];
    enum wg_rc rc = fts_marks(db, v, err);
    *pending = !rc && v[1] > v[0] ? v[1] - v[0] : 0;
    return rc;
}

enum wg_rc wg_store_order_fts_trim(struct wg_db *db, long long *dropped, struct wg_err *err)
{
    long long v[2];
    enum wg_rc rc;
    *dropped = 0;
    if ((rc = fts_marks(db, v, err)) || v[0] <= v[1])
        return rc;
    struct wg_val at[] = {WG_VINT(v[1])};
    if ((rc = wg_db_exec(db, WG_Q_ORDER_PHONE_TRIM, at, 1, NULL, err)) ||
        (rc = wg_db_exec(db, WG_Q_ORDER_FTS_MARK_SET, at, 1, NULL, err)))
        return rc;
    *dropped = v[0] - v[1];
    return WG_OK;
}

enum wg_rc wg_store_order_fts_catchup(struct wg_db *db, int limit, int *indexed, struct wg_err *err)
{
    long long v[2], upto;
    long changes = 0;
    enum wg_rc rc;
    if (indexed)
        *indexed = 0;
    if (limit <= 0)
        return WG_OK;
    if ((rc = fts_marks(db, v, err)) || v[1] <= v[0])
        return rc;
    upto = v[1];
    if (v[1] - v[0] > limit) {
        struct wg_val q[] = {WG_VINT(v[0]), WG_VINT(limit - 1)};
        if ((rc = wg_db_query_int(db, WG_Q_ORDER_FTS_UPTO, q, 2, &upto, NULL, err)))
            return rc;
    }
    struct wg_val f[] = {WG_VINT(v[0]), WG_VINT(upto)};
    struct wg_val m[] = {WG_VINT(upto)};
    if ((rc = wg_db_exec(db, WG_Q_ORDER_FTS_FILL, f, 2, &changes, err)) ||
        (rc = wg_db_exec(db, WG_Q_ORDER_PHONE_FILL, f, 2, NULL, err)) ||
        (rc = wg_db_exec(db, WG_Q_ORDER_FTS_MARK_SET, m, 1, NULL, err)))
        return rc;
    if (indexed)
        *indexed = (int)changes;
    return WG_OK;
}

struct each_order {
    int (*cb)(const struct wg_order_row *, void *);
    void *ctx;
    int with_due; /* a desk's rows: due_at follows WG_ORDER_COLS (migration 29) */
};

static int each_order(struct wg_row *row, void *ctx)
{
    struct each_order *e = ctx;
    struct wg_order_row o;
    struct one one = {&o, 0};
    int stop;
    memset(&o, 0, sizeof o);
    take_order(row, &one);
    if (e->with_due)
        o.due_at = wg_row_int(row, 28); /* after WG_ORDER_COLS's 28 */
    stop = e->cb(&o, e->ctx);
    wg_store_order_release(&o);
    return stop;
}

/* The LIKE pattern that holds text anywhere, its own %, _ and \\ escaped (ESCAPE '\\'). */
static void like_pattern(const char *text, char *out, size_t n)
{
    size_t o = 0;
    out[o++] = '%';
    for (; *text && o + 4 < n; text++) {
        if (*text == '%' || *text == '_' || *text == '\\')
            out[o++] = '\\';
        out[o++] = *text;
    }
    out[o++] = '%';
    out[o] = '\0';
}

enum wg_rc wg_store_order_list(struct wg_db *db, const struct wg_order_filter *f,
                               int (*cb)(const struct wg_order_row *, void *), void *ctx,
                               struct wg_err *err)
{
#define S(x) ((x) ? (x) : "")
    char scope[40], grid[40], like[1100] = "", fts[2048] = "";
    const char *text = S(f->text);
    struct each_order e = {cb, ctx, 0};
    snprintf(scope, sizeof scope, "%s%%", S(f->scope));
    snprintf(grid, sizeof grid, "%s%s", S(f->grid), f->grid && *f->grid ? "%" : "");
    if (strlen(text) > 500)
        return wg_err_set(err, WG_EINVAL, "search text is longer than 500 bytes");
    if (*text) {
        like_pattern(text, like, sizeof like);
        db->be->search.words(text, fts, sizeof fts);
    }
    /* clang-format off */
    struct wg_val p[] = {
        WG_VTEXT(scope), WG_VTEXT(S(f->state)), WG_VTEXT(S(f->channel)), WG_VTEXT(S(f->item)),
        WG_VTEXT(grid), WG_VTEXT(S(f->phone_blind)), WG_VTEXT(S(f->since)), WG_VTEXT(S(f->until)),
        WG_VTEXT(fts), WG_VTEXT(like), WG_VTEXT(S(f->unit)), WG_VTEXT(S(f->line)),
        WG_VINT(f->clocked), WG_VINT(f->deadline_before), WG_VINT(f->deadline_after),
        WG_VINT(f->limit > 0 ? f->limit : 50), WG_VINT(f->offset), WG_VINT(f->supervised ? 1 : 0),
    };
    /* clang-format on */
#undef S
    enum wg_q q = f->phone_blind && *f->phone_blind ? WG_Q_ORDER_LIST_BY_PHONE
                  : *fts                            ? WG_Q_ORDER_LIST_BY_TEXT
                                                    : WG_Q_ORDER_LIST;
    return wg_db_query(db, q, p, WG_NVALS(p), each_order, &e, err);
}

static int take_facts(struct wg_row *row, void *ctx)
{
    struct wg_order_facts *f = ctx;
    wg_row_copy(row, 0, f->before_suspend, sizeof f->before_suspend);
    f->reopened = (int)wg_row_int(row, 1);
    f->callback_attempts = (int)wg_row_int(row, 2);
    wg_row_copy(row, 3, f->self_handler, sizeof f->self_handler);
    f->direct_answer = (int)wg_row_int(row, 4);
    f->extension_pending = (int)wg_row_int(row, 5);
    f->rework_count = (int)wg_row_int(row, 6);
    f->special_team = (int)wg_row_int(row, 7);
    f->unreached = (int)wg_row_int(row, 8);
    wg_row_copy(row, 9, f->satisfaction, sizeof f->satisfaction);
    f->master_id = wg_row_int(row, 10);
    f->dispatched_at = wg_row_int(row, 11);
    f->sign_deadline = wg_row_int(row, 12);
    f->reply_deadline = wg_row_int(row, 13);
    f->contact_deadline = wg_row_int(row, 14);
    f->contacted_at = wg_row_int(row, 15);
    f->contact_reached = (int)wg_row_int(row, 16);
    wg_row_copy(row, 17, f->contact_means, sizeof f->contact_means);
    return 1;
}

enum wg_rc wg_store_order_facts(struct wg_db *db, long long id, struct wg_order_facts *out,
                                struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(id)};
    memset(out, 0, sizeof *out);
    return wg_db_query(db, WG_Q_ORDER_FACTS, p, 1, take_facts, out, err);
}

enum wg_rc wg_store_order_update(struct wg_db *db, long long id, int version, const char *state,
                                 const char *unit, const struct wg_order_facts *f, const char *now,
                                 int *changed, struct wg_err *err)
{
    long n = 0;
    struct wg_val p[] = {
        WG_VTEXT(state),
        WG_VTEXT0(unit),
        WG_VTEXT0(f->before_suspend),
        WG_VINT(f->reopened),
        WG_VINT(f->callback_attempts),
        WG_VTEXT0(f->self_handler),
        WG_VINT(f->direct_answer),
        WG_VINT(f->extension_pending),
        WG_VINT(f->rework_count),
        WG_VINT(f->special_team),
        WG_VINT(f->unreached),
        WG_VTEXT0(f->satisfaction),
        f->master_id ? WG_VINT(f->master_id) : WG_VNULL,
        f->dispatched_at ? WG_VINT(f->dispatched_at) : WG_VNULL,
        f->sign_deadline ? WG_VINT(f->sign_deadline) : WG_VNULL,
        f->reply_deadline ? WG_VINT(f->reply_deadline) : WG_VNULL,
        f->contact_deadline ? WG_VINT(f->contact_deadline) : WG_VNULL,
        f->contacted_at ? WG_VINT(f->contacted_at) : WG_VNULL,
        WG_VINT(f->contact_reached),
        WG_VTEXT0(f->contact_means),
        WG_VTEXT(now),
        WG_VINT(id),
        WG_VINT(version),
    };
    enum wg_rc rc = wg_db_exec(db, WG_Q_ORDER_UPDATE, p, WG_NVALS(p), &n, err);
    *changed = n > 0;
    return rc;
}

struct overdue {
    int (*cb)(long long, int, void *);
    void *ctx;
};

static int each_overdue(struct wg_row *row, void *ctx)
{
    struct overdue *o = ctx;
    return o->cb(wg_row_int(row, 0), (int)wg_row_int(row, 1), o->ctx);
}

enum wg_rc wg_store_order_overdue(struct wg_db *db, long long now, long long after, int limit,
                                  int (*cb)(long long id, int version, void *), void *ctx,
                                  struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(now), WG_VINT(after), WG_VINT(limit)};
    struct overdue o = {cb, ctx};
    return wg_db_query(db, WG_Q_ORDER_OVERDUE, p, 3, each_overdue, &o, err);
}

enum wg_rc wg_store_order_supervision(struct wg_db *db, long long id, const char *level,
                                      const char *at, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(id), WG_VTEXT(level ? level : ""), WG_VTEXT(at)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_ORDER_SUPERVISION_SET, p, WG_NVALS(p), NULL, err);
    return rc ? rc : wg_db_exec(db, WG_Q_ORDER_SUPERVISED_MARK, p, 1, NULL, err);
}

enum wg_rc wg_store_order_mark_supervised(struct wg_db *db, long long id, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(id)};
    return wg_db_exec(db, WG_Q_ORDER_MARK_SUPERVISED, p, 1, NULL, err);
}

struct children {
    int (*cb)(long long, const char *, void *);
    void *ctx;
};

/* ---- the desks (migration 29) ---- */
/* The statements of each kind in the order of enum wg_desk_order, then its count, then its
 * keys' in the order of enum wg_desk_order. */
#define DESK_QS(k)                                                                                 \
    {                                                                                              \
        WG_Q_DESK_##k##_DUE, WG_Q_DESK_##k##_NEW, WG_Q_DESK_##k##_OLD, WG_Q_DESK_##k##_COUNT,      \
            WG_Q_DESK_##k##_KEY_DUE, WG_Q_DESK_##k##_KEY_NEW, WG_Q_DESK_##k##_KEY_OLD              \
    }
static const enum wg_q desk_q[][7] = {
    [WG_DESK_STATE] = DESK_QS(STATE),   [WG_DESK_UNIT] = DESK_QS(UNIT),
    [WG_DESK_ASSIST] = DESK_QS(ASSIST), [WG_DESK_SUP] = DESK_QS(SUP),
    [WG_DESK_GRID] = DESK_QS(GRID),     [WG_DESK_ALL] = DESK_QS(ALL),
    [WG_DESK_TEXT] = DESK_QS(TEXT),     [WG_DESK_PHONE] = DESK_QS(PHONE),
};

/* The 21 values every desk statement takes (queries.def), into p. */
struct desk_vals {
    char scope[40], grid[40], like[1100], fts[2048];
    struct wg_val p[21];
};
static enum wg_rc desk_vals(struct wg_db *db, const struct wg_order_filter *f,
                            const struct wg_desk_stream *s, const struct wg_desk_at *at,
                            long long limit, struct desk_vals *v, struct wg_err *err)
{
#define S(x) ((x) ? (x) : "")
    const char *text = S(f->text);
    int exact = s->kind == WG_DESK_GRID;
    snprintf(v->scope, sizeof v->scope, "%s%%", S(f->scope));
    snprintf(v->grid, sizeof v->grid, "%s%s", S(f->grid), f->grid && *f->grid && !exact ? "%" : "");
    v->like[0] = v->fts[0] = '\0';
    if (strlen(text) > 500)
        return wg_err_set(err, WG_EINVAL, "search text is longer than 500 bytes");
    if (*text) {
        like_pattern(text, v->like, sizeof v->like);
        db->be->search.words(text, v->fts, sizeof v->fts);
    }
    /* clang-format off */
    struct wg_val p[] = {
        WG_VTEXT(v->scope), WG_VTEXT(S(s->state)), WG_VTEXT(S(s->urgency)), WG_VTEXT(S(f->unit)),
        WG_VTEXT(v->grid), WG_VTEXT(S(f->channel)), WG_VTEXT(S(f->item)), WG_VTEXT(S(f->since)),
        WG_VTEXT(S(f->until)), WG_VTEXT(v->fts), WG_VTEXT(v->like), WG_VTEXT(S(f->line)),
        WG_VTEXT(S(f->phone_blind)),
        WG_VINT(f->deadline_before ? f->deadline_before : WG_DUE_NONE + 1),
        WG_VINT(f->deadline_after ? f->deadline_after : -1),
        WG_VINT(f->supervised), WG_VTEXT(S(f->states)), WG_VINT(at->due),
        WG_VTEXT(S(at->created_at)), WG_VINT(at->id), WG_VINT(limit),
    };
    /* clang-format on */
#undef S
    memcpy(v->p, p, sizeof p);
    return WG_OK;
}

/* Text too short for the index (fewer than three characters) is found by its LIKE alone. */
static enum wg_desk_kind desk_kind(const struct wg_desk_stream *s, const struct desk_vals *v)
{
    return s->kind == WG_DESK_TEXT && !v->fts[0] ? WG_DESK_ALL : s->kind;
}

enum wg_rc wg_store_order_desk(struct wg_db *db, const struct wg_order_filter *f,
                               const struct wg_desk_stream *s, enum wg_desk_order by,
                               const struct wg_desk_at *at, long long limit,
                               int (*cb)(const struct wg_order_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct desk_vals *v = wg_malloc(sizeof *v);
    struct each_order e = {cb, ctx, 1};
    struct wg_desk_at a = *at;
    enum wg_rc rc;
    if (by != WG_DESK_BY_DUE)
        a.due = 0; /* the statement takes it as 0 (queries.def) */
    rc = desk_vals(db, f, s, &a, limit, v, err);
    if (!rc)
        rc =
            wg_db_query(db, desk_q[desk_kind(s, v)][by], v->p, WG_NVALS(v->p), each_order, &e, err);
    free(v);
    return rc;
}

enum wg_rc wg_store_order_desk_count(struct wg_db *db, const struct wg_order_filter *f,
                                     const struct wg_desk_stream *s, long long cap, long long *n,
                                     struct wg_err *err)
{
    struct desk_vals *v = wg_malloc(sizeof *v);
    int due = s->kind <= WG_DESK_SUP;
    /* from the first row: before every deadline, or after every time (newest first) */
    struct wg_desk_at start = {due ? -1 : 0, due ? "" : "~", due ? 0 : (1LL << 62)};
    enum wg_rc rc;
    *n = 0;
    rc = desk_vals(db, f, s, &start, cap, v, err);
    if (!rc)
        rc = wg_db_query_int(db, desk_q[desk_kind(s, v)][3], v->p, WG_NVALS(v->p), n, NULL, err);
    free(v);
    return rc;
}

struct each_key {
    int (*cb)(long long id, long long due, const char *created_at, void *);
    void *ctx;
};

static int take_key(struct wg_row *row, void *ctx)
{
    struct each_key *e = ctx;
    return e->cb(wg_row_int(row, 0), wg_row_int(row, 1), wg_row_text(row, 2), e->ctx);
}

enum wg_rc wg_store_order_desk_keys(struct wg_db *db, const struct wg_order_filter *f,
                                    const struct wg_desk_stream *s, enum wg_desk_order by,
                                    const struct wg_desk_at *at, long long limit,
                                    int (*cb)(long long id, long long due, const char *created_at,
                                              void *),
                                    void *ctx, struct wg_err *err)
{
    struct desk_vals *v = wg_malloc(sizeof *v);
    struct each_key e = {cb, ctx};
    struct wg_desk_at a = *at;
    enum wg_rc rc;
    if (by != WG_DESK_BY_DUE)
        a.due = 0; /* the statement takes it as 0 (queries.def) */
    rc = desk_vals(db, f, s, &a, limit, v, err);
    if (!rc)
        rc = wg_db_query(db, desk_q[desk_kind(s, v)][4 + by], v->p, WG_NVALS(v->p), take_key, &e,
                         err);
    free(v);
    return rc;
}
