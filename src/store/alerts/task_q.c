/* Typed queries over 未诉先办 tasks (task_q.h): stored with their item and unit rows, read
 * one at a time or a page of a scope, moved under a version, their timeline appended. */
#include "store/store.h"

#include "store/alerts/task_q.h"
#include "store/backend.h"

enum wg_rc wg_store_task_insert(struct wg_db *db, const struct wg_task_row *t,
                                const char *const *items, size_t nitems, const char *const *helpers,
                                size_t nhelpers, long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(t->origin),   WG_VINT(t->warning),   WG_VTEXT(t->topic),
                         WG_VTEXT(t->scope),    WG_VTEXT(t->items),    WG_VTEXT(t->lead_unit),
                         WG_VTEXT(t->helpers),  WG_VTEXT(t->measures), WG_VTEXT(t->deadline),
                         WG_VINT(t->due_at),    WG_VTEXT(t->owner),    WG_VTEXT(t->created_by),
                         WG_VINT(t->created_at)};
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_TASK_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a task gave no id");
    for (size_t i = 0; !rc && i < nitems; i++) {
        struct wg_val w[] = {WG_VTEXT(items[i]), WG_VINT(*id)};
        rc = wg_db_exec(db, WG_Q_TASK_ITEM_INSERT, w, WG_NVALS(w), NULL, err);
    }
    struct wg_val l[] = {WG_VTEXT(t->lead_unit), WG_VINT(*id), WG_VTEXT("lead")};
    if (!rc)
        rc = wg_db_exec(db, WG_Q_TASK_UNIT_INSERT, l, WG_NVALS(l), NULL, err);
    for (size_t i = 0; !rc && i < nhelpers; i++) {
        struct wg_val w[] = {WG_VTEXT(helpers[i]), WG_VINT(*id), WG_VTEXT("help")};
        rc = wg_db_exec(db, WG_Q_TASK_UNIT_INSERT, w, WG_NVALS(w), NULL, err);
    }
    return rc;
}

struct each {
    int (*cb)(const struct wg_task_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_task_row r;
    memset(&r, 0, sizeof r);
    r.id = wg_row_int(row, 0);
    wg_row_copy(row, 1, r.origin, sizeof r.origin);
    r.warning = wg_row_int(row, 2);
    r.topic = wg_row_text(row, 3);
    wg_row_copy(row, 4, r.scope, sizeof r.scope);
    r.items = wg_row_text(row, 5);
    wg_row_copy(row, 6, r.lead_unit, sizeof r.lead_unit);
    r.helpers = wg_row_text(row, 7);
    r.measures = wg_row_text(row, 8);
    wg_row_copy(row, 9, r.deadline, sizeof r.deadline);
    r.due_at = wg_row_int(row, 10);
    wg_row_copy(row, 11, r.owner, sizeof r.owner);
    wg_row_copy(row, 12, r.state, sizeof r.state);
    r.finished_at = wg_row_int(row, 13);
    r.version = wg_row_int(row, 14);
    wg_row_copy(row, 15, r.created_by, sizeof r.created_by);
    r.created_at = wg_row_int(row, 16);
    e->rows++;
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_task_get(struct wg_db *db, long long id,
                             int (*cb)(const struct wg_task_row *, void *), void *ctx,
                             struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_TASK_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "task %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_task_list(struct wg_db *db, const struct wg_task_range *q,
                              int (*cb)(const struct wg_task_row *, void *), void *ctx,
                              struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(q->lo),     WG_VTEXT(q->hi),   WG_VTEXT(q->state),
                         WG_VTEXT(q->origin), WG_VTEXT(q->item), WG_VTEXT(q->unit),
                         WG_VINT(q->below),   WG_VINT(q->limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_TASK_LIST, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_task_move(struct wg_db *db, long long id, long long version, const char *state,
                              long long finished_at, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(id), WG_VTEXT(state), WG_VINT(finished_at), WG_VINT(version)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_TASK_MOVE, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_ECONFLICT,
                          "task %lld changed since version %lld was read: read it again", id,
                          version);
    return rc;
}

enum wg_rc wg_store_task_event(struct wg_db *db, long long task, long long at, const char *actor,
                               const char *action, const char *note, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(task), WG_VINT(at), WG_VTEXT(actor), WG_VTEXT(action),
                         WG_VTEXT(note ? note : "")};
    return wg_db_exec(db, WG_Q_TASK_EVENT_INSERT, v, WG_NVALS(v), NULL, err);
}

struct each_event {
    int (*cb)(long long, const char *, const char *, const char *, void *);
    void *ctx;
};

static int take_event(struct wg_row *row, void *ctx)
{
    struct each_event *e = ctx;
    return e->cb(wg_row_int(row, 0), wg_row_text(row, 1), wg_row_text(row, 2), wg_row_text(row, 3),
                 e->ctx);
}

enum wg_rc wg_store_task_events(struct wg_db *db, long long task,
                                int (*cb)(long long at, const char *actor, const char *action,
                                          const char *note, void *ctx),
                                void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(task)};
    struct each_event e = {cb, ctx};
    return wg_db_query(db, WG_Q_TASK_EVENTS, v, 1, take_event, &e, err);
}
