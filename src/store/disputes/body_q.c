/* Mediation bodies and their members (body_q.h). */
#include "store/store.h"

#include "store/backend.h"
#include "store/disputes/body_q.h"

enum wg_rc wg_store_mediation_body_insert(struct wg_db *db, const struct wg_body_row *b,
                                          long long now, long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(b->name),    WG_VTEXT(b->kind),  WG_VTEXT(b->region),
                         WG_VTEXT(b->address), WG_VTEXT(b->phone), WG_VTEXT(b->created_by),
                         WG_VINT(now)};
    return wg_db_query_int(db, WG_Q_MEDIATION_BODY_INSERT, v, WG_NVALS(v), id, NULL, err);
}

enum wg_rc wg_store_mediation_body_update(struct wg_db *db, const struct wg_body_row *b,
                                          long long now, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(b->id),      WG_VTEXT(b->name),    WG_VTEXT(b->kind),
                         WG_VTEXT(b->region), WG_VTEXT(b->address), WG_VTEXT(b->phone),
                         WG_VINT(b->version), WG_VINT(now)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_MEDIATION_BODY_UPDATE, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        rc = wg_err_set(err, WG_EPRECOND,
                        "mediation body %lld changed since version %lld was read: read it again",
                        b->id, b->version);
    return rc;
}

struct each {
    int (*cb)(const struct wg_body_row *, void *);
    void *ctx;
    int rows;
};

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_body_row b;
    memset(&b, 0, sizeof b);
    b.id = wg_row_int(row, 0);
    wg_row_copy(row, 1, b.name, sizeof b.name);
    wg_row_copy(row, 2, b.kind, sizeof b.kind);
    wg_row_copy(row, 3, b.region, sizeof b.region);
    wg_row_copy(row, 4, b.address, sizeof b.address);
    wg_row_copy(row, 5, b.phone, sizeof b.phone);
    b.version = wg_row_int(row, 6);
    wg_row_copy(row, 7, b.created_by, sizeof b.created_by);
    b.created_at = wg_row_int(row, 8);
    b.updated_at = wg_row_int(row, 9);
    e->rows++;
    return e->cb(&b, e->ctx);
}

static int copy_one(const struct wg_body_row *b, void *ctx)
{
    *(struct wg_body_row *)ctx = *b;
    return 1;
}

enum wg_rc wg_store_mediation_body_get(struct wg_db *db, long long id, struct wg_body_row *out,
                                       struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {copy_one, out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_MEDIATION_BODY_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "mediation body %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_mediation_body_name(struct wg_db *db, long long id, char *name, size_t n,
                                        struct wg_err *err)
{
    struct wg_body_row b;
    enum wg_rc rc = wg_store_mediation_body_get(db, id, &b, err);
    snprintf(name, n, "%s", rc ? "" : b.name);
    return rc == WG_ENOTFOUND ? WG_OK : rc;
}

enum wg_rc wg_store_mediation_body_list(struct wg_db *db, const char *kind,
                                        int (*cb)(const struct wg_body_row *, void *), void *ctx,
                                        struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(kind)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_MEDIATION_BODY_LIST, v, 1, take, &e, err);
}

enum wg_rc wg_store_mediation_members_clear(struct wg_db *db, long long body, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(body)};
    return wg_db_exec(db, WG_Q_MEDIATION_MEMBERS_CLEAR, v, 1, NULL, err);
}

enum wg_rc wg_store_mediation_member_insert(struct wg_db *db, long long body,
                                            const struct wg_body_member_row *m, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(body), WG_VINT(m->pos), WG_VTEXT(m->username),
                         WG_VINT(m->full_time), WG_VTEXT(m->specialities)};
    return wg_db_exec(db, WG_Q_MEDIATION_MEMBER_INSERT, v, WG_NVALS(v), NULL, err);
}

struct each_member {
    int (*cb)(const struct wg_body_member_row *, void *);
    void *ctx;
};

static int take_member(struct wg_row *row, void *ctx)
{
    struct each_member *e = ctx;
    struct wg_body_member_row m;
    memset(&m, 0, sizeof m);
    m.pos = (int)wg_row_int(row, 0);
    wg_row_copy(row, 1, m.username, sizeof m.username);
    m.full_time = (int)wg_row_int(row, 2);
    m.specialities = wg_row_text(row, 3);
    return e->cb(&m, e->ctx);
}

enum wg_rc wg_store_mediation_members(struct wg_db *db, long long body,
                                      int (*cb)(const struct wg_body_member_row *, void *),
                                      void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(body)};
    struct each_member e = {cb, ctx};
    return wg_db_query(db, WG_Q_MEDIATION_MEMBERS, v, 1, take_member, &e, err);
}

enum wg_rc wg_store_mediation_is_member(struct wg_db *db, long long body, const char *username,
                                        int *is, struct wg_err *err)
{
    long long n = 0;
    struct wg_val v[] = {WG_VINT(body), WG_VTEXT(username)};
    enum wg_rc rc = wg_db_query_int(db, WG_Q_MEDIATION_IS_MEMBER, v, WG_NVALS(v), &n, NULL, err);
    *is = !rc && n > 0;
    return rc;
}

struct each_open {
    int (*cb)(const char *mediator, long long n, void *);
    void *ctx;
};

static int take_open(struct wg_row *row, void *ctx)
{
    struct each_open *e = ctx;
    return e->cb(wg_row_text(row, 0), wg_row_int(row, 1), e->ctx);
}

enum wg_rc wg_store_mediation_open_cases(struct wg_db *db, long long body,
                                         int (*cb)(const char *mediator, long long n, void *),
                                         void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(body)};
    struct each_open e = {cb, ctx};
    return wg_db_query(db, WG_Q_MEDIATION_OPEN_CASES, v, 1, take_open, &e, err);
}
