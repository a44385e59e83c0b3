/* Typed queries over the wish wall (wish_q.h): wishes stored, read one at a time, by order
 * or a page of a place, moved under a version, their timeline appended. */
#include "store/store.h"

#include "store/backend.h"
#include "store/partake/wish_q.h"

enum wg_rc wg_store_wish_insert(struct wg_db *db, const struct wg_wish_row *w, long long *id,
                                struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(w->order_id),  WG_VTEXT(w->place),      WG_VTEXT(w->title),
                         WG_VTEXT(w->story),    WG_VTEXT(w->created_by), WG_VINT(w->created_at),
                         WG_VINT(w->created_at)};
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_WISH_INSERT, v, WG_NVALS(v), id, &found, err);
    if (!rc && !found)
        rc = wg_err_set(err, WG_EDB, "storing a wish gave no id");
    return rc;
}

static void read_row(struct wg_row *row, struct wg_wish_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = wg_row_int(row, 0);
    r->order_id = wg_row_int(row, 1);
    wg_row_copy(row, 2, r->place, sizeof r->place);
    wg_row_copy(row, 3, r->title, sizeof r->title);
    wg_row_copy(row, 4, r->story, sizeof r->story);
    wg_row_copy(row, 5, r->state, sizeof r->state);
    r->claimant = wg_row_int(row, 6);
    wg_row_copy(row, 7, r->claimant_as, sizeof r->claimant_as);
    wg_row_copy(row, 8, r->claimant_label, sizeof r->claimant_label);
    wg_row_copy(row, 9, r->note, sizeof r->note);
    wg_row_copy(row, 10, r->photo, sizeof r->photo);
    wg_row_copy(row, 11, r->thanks, sizeof r->thanks);
    r->version = wg_row_int(row, 12);
    wg_row_copy(row, 13, r->created_by, sizeof r->created_by);
    r->created_at = wg_row_int(row, 14);
    r->updated_at = wg_row_int(row, 15);
}

struct one {
    struct wg_wish_row *out;
    int rows;
};

static int take_one(struct wg_row *row, void *ctx)
{
    struct one *o = ctx;
    read_row(row, o->out);
    o->rows++;
    return 1;
}

static enum wg_rc get_by(struct wg_db *db, enum wg_q q, long long key, const char *what,
                         struct wg_wish_row *out, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(key)};
    struct one o = {out, 0};
    enum wg_rc rc = wg_db_query(db, q, v, 1, take_one, &o, err);
    if (!rc && !o.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "%s %lld has no wish", what, key);
    return rc;
}

enum wg_rc wg_store_wish_get(struct wg_db *db, long long id, struct wg_wish_row *out,
                             struct wg_err *err)
{
    enum wg_rc rc = get_by(db, WG_Q_WISH_GET, id, "id", out, err);
    if (rc == WG_ENOTFOUND)
        rc = wg_err_set(err, WG_ENOTFOUND, "wish %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_wish_by_order(struct wg_db *db, long long order_id, struct wg_wish_row *out,
                                  struct wg_err *err)
{
    return get_by(db, WG_Q_WISH_BY_ORDER, order_id, "order", out, err);
}

struct each {
    int (*cb)(const struct wg_wish_row *, void *);
    void *ctx;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_wish_row r;
    read_row(row, &r);
    return e->cb(&r, e->ctx);
}

enum wg_rc wg_store_wish_list(struct wg_db *db, const char *lo, const char *hi, const char *state,
                              long long below, int limit,
                              int (*cb)(const struct wg_wish_row *, void *), void *ctx,
                              struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VTEXT(state), WG_VINT(below),
                         WG_VINT(limit)};
    struct each e = {cb, ctx};
    return wg_db_query(db, WG_Q_WISH_LIST, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_wish_move(struct wg_db *db, const struct wg_wish_row *w, long long version,
                              struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(w->id),           WG_VINT(version),
                         WG_VTEXT(w->state),       WG_VINT(w->claimant),
                         WG_VTEXT(w->claimant_as), WG_VTEXT(w->claimant_label),
                         WG_VTEXT(w->note),        WG_VTEXT(w->photo),
                         WG_VTEXT(w->thanks),      WG_VINT(w->updated_at)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_WISH_MOVE, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_ECONFLICT,
                          "wish %lld changed since version %lld was read: read it again", w->id,
                          version);
    return rc;
}

enum wg_rc wg_store_wish_event(struct wg_db *db, long long wish, long long at, const char *actor,
                               const char *action, const char *note, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(wish), WG_VINT(at), WG_VTEXT(actor), WG_VTEXT(action),
                         WG_VTEXT(note ? note : "")};
    return wg_db_exec(db, WG_Q_WISH_EVENT_INSERT, v, WG_NVALS(v), NULL, err);
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

enum wg_rc wg_store_wish_events(struct wg_db *db, long long wish,
                                int (*cb)(long long at, const char *actor, const char *action,
                                          const char *note, void *ctx),
                                void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(wish)};
    struct each_event e = {cb, ctx};
    return wg_db_query(db, WG_Q_WISH_EVENTS, v, 1, take_event, &e, err);
}

enum wg_rc wg_store_wish_party_member(struct wg_db *db, long long person, int *is,
                                      struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(person)};
    long long n = 0;
    int found = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_WISH_PARTY_MEMBER, v, 1, &n, &found, err);
    *is = !rc && n > 0;
    return rc;
}

struct members {
    struct wg_partake_member *out;
    int max, n;
};

static int take_member(struct wg_row *row, void *ctx)
{
    struct members *m = ctx;
    struct wg_partake_member *p = &m->out[m->n];
    if (m->n >= m->max)
        return 1;
    p->person = wg_row_int(row, 0);
    wg_row_copy(row, 1, p->grid, sizeof p->grid);
    p->lon = wg_row_real(row, 2);
    p->lat = wg_row_real(row, 3);
    m->n++;
    return 0;
}

enum wg_rc wg_store_partake_members(struct wg_db *db, struct wg_partake_member *out, int max,
                                    int *n, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(max)};
    struct members m = {out, max, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_PARTAKE_SAMPLE_MEMBERS, v, 1, take_member, &m, err);
    *n = m.n;
    return rc;
}

enum wg_rc wg_store_partake_neighbour(struct wg_db *db, const char *grid, long long *id,
                                      struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(grid)};
    *id = 0;
    return wg_db_query_int(db, WG_Q_PARTAKE_SAMPLE_NEIGHBOUR, v, 1, id, NULL, err);
}

struct ids {
    long long *ids;
    int max, n;
};

static int take_id(struct wg_row *row, void *ctx)
{
    struct ids *s = ctx;
    if (s->n >= s->max)
        return 1;
    s->ids[s->n++] = wg_row_int(row, 0);
    return 0;
}

enum wg_rc wg_store_partake_complaints(struct wg_db *db, const char *prefix, long long *ids,
                                       int max, int *n, struct wg_err *err)
{
    char hi[40];
    snprintf(hi, sizeof hi, "%s~", prefix);
    struct wg_val v[] = {WG_VTEXT(prefix), WG_VTEXT(hi), WG_VINT(max)};
    struct ids s = {ids, max, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_PARTAKE_SAMPLE_COMPLAINTS, v, 3, take_id, &s, err);
    *n = s.n;
    return rc;
}

enum wg_rc wg_store_partake_org(struct wg_db *db, const char *prefix, long long *id,
                                struct wg_err *err)
{
    char hi[40];
    snprintf(hi, sizeof hi, "%s~", prefix);
    struct wg_val v[] = {WG_VTEXT(prefix), WG_VTEXT(hi)};
    *id = 0;
    return wg_db_query_int(db, WG_Q_PARTAKE_SAMPLE_ORG, v, 2, id, NULL, err);
}
