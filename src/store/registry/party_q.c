/* Typed queries over the registry's party overlay (party_q.h). */
#include "store/store.h"

#include "store/backend.h"
#include "store/registry/party_q.h"

enum wg_rc wg_store_party_org_insert(struct wg_db *db, const struct wg_party_org_row *p,
                                     long long now, long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(p->name),  WG_VTEXT(p->kind), WG_VTEXT(p->place_kind),
                         WG_VTEXT(p->place), WG_VTEXT(p->area), WG_VINT(p->parent),
                         WG_VINT(now)};
    return wg_db_query_int(db, WG_Q_PARTY_ORG_INSERT, v, WG_NVALS(v), id, NULL, err);
}

enum wg_rc wg_store_party_org_update(struct wg_db *db, const struct wg_party_org_row *p,
                                     long long now, long long expect, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(p->id),          WG_VTEXT(p->name),  WG_VTEXT(p->kind),
                         WG_VTEXT(p->place_kind), WG_VTEXT(p->place), WG_VTEXT(p->area),
                         WG_VINT(p->parent),      WG_VINT(now),       WG_VINT(expect)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_PARTY_ORG_UPDATE, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_EPRECOND,
                          "party organization %lld changed since version %lld was read: read it "
                          "again",
                          p->id, expect);
    return rc;
}

static void fill_org(struct wg_row *row, struct wg_party_org_row *p)
{
    memset(p, 0, sizeof *p);
    p->id = wg_row_int(row, 0);
    wg_row_copy(row, 1, p->name, sizeof p->name);
    wg_row_copy(row, 2, p->kind, sizeof p->kind);
    wg_row_copy(row, 3, p->place_kind, sizeof p->place_kind);
    wg_row_copy(row, 4, p->place, sizeof p->place);
    wg_row_copy(row, 5, p->area, sizeof p->area);
    p->parent = wg_row_int(row, 6);
    p->version = wg_row_int(row, 7);
    p->created_at = wg_row_int(row, 8);
    p->updated_at = wg_row_int(row, 9);
}

struct one_org {
    struct wg_party_org_row *p;
    int n;
};

static int get_org(struct wg_row *row, void *ctx)
{
    struct one_org *o = ctx;
    fill_org(row, o->p);
    o->n++;
    return 1;
}

enum wg_rc wg_store_party_org_get(struct wg_db *db, long long id, struct wg_party_org_row *out,
                                  struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct one_org o = {out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_PARTY_ORG_GET, v, 1, get_org, &o, err);
    if (!rc && !o.n)
        return wg_err_set(err, WG_ENOTFOUND, "party organization %lld does not exist", id);
    return rc;
}

struct each_org {
    int (*cb)(const struct wg_party_org_row *, void *);
    void *ctx;
};

static int each_org(struct wg_row *row, void *ctx)
{
    struct each_org *e = ctx;
    struct wg_party_org_row p;
    fill_org(row, &p);
    return e->cb(&p, e->ctx);
}

enum wg_rc wg_store_party_org_list(struct wg_db *db, const char *lo, const char *hi,
                                   long long after, const char *kind, int limit,
                                   int (*cb)(const struct wg_party_org_row *, void *), void *ctx,
                                   struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VINT(after), WG_VTEXT(kind),
                         WG_VINT(limit)};
    struct each_org e = {cb, ctx};
    return wg_db_query(db, WG_Q_PARTY_ORG_LIST, v, WG_NVALS(v), each_org, &e, err);
}

/* ---- members ---- */
enum wg_rc wg_store_party_member_add(struct wg_db *db, long long org, long long person,
                                     const char *role, const char *joined, long long now,
                                     struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(org), WG_VINT(person), WG_VTEXT(role), WG_VTEXT(joined),
                         WG_VINT(now)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_PARTY_MEMBER_ADD, v, WG_NVALS(v), NULL, err);
    if (rc == WG_ECONFLICT)
        return wg_err_set(err, WG_ECONFLICT,
                          "'person' %lld is a member of party organization %lld already", person,
                          org);
    return rc;
}

enum wg_rc wg_store_party_member_remove(struct wg_db *db, long long org, long long person,
                                        int *removed, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(org), WG_VINT(person)};
    long n = 0;
    enum wg_rc rc = wg_db_exec(db, WG_Q_PARTY_MEMBER_REMOVE, v, 2, &n, err);
    *removed = n > 0;
    return rc;
}

enum wg_rc wg_store_party_member_is(struct wg_db *db, long long org, long long person, int *is,
                                    struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(org), WG_VINT(person)};
    long long n = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_PARTY_MEMBER_IS, v, 2, &n, NULL, err);
    *is = n > 0;
    return rc;
}

struct each_member {
    int (*cb)(const struct wg_party_member_row *, void *);
    void *ctx;
};

static int each_member(struct wg_row *row, void *ctx)
{
    struct each_member *e = ctx;
    struct wg_party_member_row m = {wg_row_int(row, 0), wg_row_text(row, 1), wg_row_text(row, 2),
                                    wg_row_int(row, 3)};
    return e->cb(&m, e->ctx);
}

enum wg_rc wg_store_party_member_list(struct wg_db *db, long long org,
                                      int (*cb)(const struct wg_party_member_row *, void *),
                                      void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(org)};
    struct each_member e = {cb, ctx};
    return wg_db_query(db, WG_Q_PARTY_MEMBER_LIST, v, 1, each_member, &e, err);
}

/* ---- central households ---- */
enum wg_rc wg_store_party_centre_insert(struct wg_db *db, const struct wg_party_centre_row *c,
                                        long long now, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(c->household), WG_VINT(c->party_org), WG_VINT(c->member),
                         WG_VTEXT(c->grid), WG_VINT(now)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_PARTY_CENTRE_INSERT, v, WG_NVALS(v), NULL, err);
    if (rc == WG_ECONFLICT)
        return wg_err_set(err, WG_ECONFLICT,
                          "'household' %lld is a party-member central household already",
                          c->household);
    return rc;
}

enum wg_rc wg_store_party_centre_update(struct wg_db *db, const struct wg_party_centre_row *c,
                                        long long now, long long expect, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VINT(c->household), WG_VINT(c->party_org), WG_VINT(c->member),
                         WG_VTEXT(c->grid),     WG_VINT(now),          WG_VINT(expect)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_PARTY_CENTRE_UPDATE, v, WG_NVALS(v), &n, err);
    if (!rc && n != 1)
        return wg_err_set(err, WG_EPRECOND,
                          "central household %lld changed since version %lld was read: read it "
                          "again",
                          c->household, expect);
    return rc;
}

static void fill_centre(struct wg_row *row, struct wg_party_centre_row *c)
{
    memset(c, 0, sizeof *c);
    c->household = wg_row_int(row, 0);
    c->party_org = wg_row_int(row, 1);
    c->member = wg_row_int(row, 2);
    wg_row_copy(row, 3, c->grid, sizeof c->grid);
    c->version = wg_row_int(row, 4);
    c->created_at = wg_row_int(row, 5);
    c->updated_at = wg_row_int(row, 6);
}

struct one_centre {
    struct wg_party_centre_row *c;
    int n;
};

static int get_centre(struct wg_row *row, void *ctx)
{
    struct one_centre *o = ctx;
    fill_centre(row, o->c);
    o->n++;
    return 1;
}

enum wg_rc wg_store_party_centre_get(struct wg_db *db, long long household,
                                     struct wg_party_centre_row *out, struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(household)};
    struct one_centre o = {out, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_PARTY_CENTRE_GET, v, 1, get_centre, &o, err);
    if (!rc && !o.n)
        return wg_err_set(err, WG_ENOTFOUND, "central household %lld does not exist", household);
    return rc;
}

struct each_centre {
    int (*cb)(const struct wg_party_centre_row *, void *);
    void *ctx;
};

static int each_centre(struct wg_row *row, void *ctx)
{
    struct each_centre *e = ctx;
    struct wg_party_centre_row c;
    fill_centre(row, &c);
    return e->cb(&c, e->ctx);
}

enum wg_rc wg_store_party_centre_list(struct wg_db *db, const char *lo, const char *hi,
                                      long long after, int limit,
                                      int (*cb)(const struct wg_party_centre_row *, void *),
                                      void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo), WG_VTEXT(hi), WG_VINT(after), WG_VINT(limit)};
    struct each_centre e = {cb, ctx};
    return wg_db_query(db, WG_Q_PARTY_CENTRE_LIST, v, WG_NVALS(v), each_centre, &e, err);
}

enum wg_rc wg_store_party_served_set(struct wg_db *db, long long centre, const long long *served,
                                     size_t n, struct wg_err *err)
{
    struct wg_val c[] = {WG_VINT(centre)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_PARTY_SERVED_CLEAR, c, 1, NULL, err);
    for (size_t i = 0; !rc && i < n; i++) {
        struct wg_val v[] = {WG_VINT(served[i]), WG_VINT(centre)};
        rc = wg_db_exec(db, WG_Q_PARTY_SERVED_ADD, v, 2, NULL, err);
        if (rc == WG_ECONFLICT)
            return wg_err_set(err, WG_ECONFLICT,
                              "'serves': household %lld is served by another central household",
                              served[i]);
    }
    return rc;
}

enum wg_rc wg_store_party_served_by(struct wg_db *db, long long household, long long *centre,
                                    struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(household)};
    *centre = 0;
    return wg_db_query_int(db, WG_Q_PARTY_SERVED_BY, v, 1, centre, NULL, err);
}

struct each_served {
    int (*cb)(long long, void *);
    void *ctx;
};

static int each_served(struct wg_row *row, void *ctx)
{
    struct each_served *e = ctx;
    return e->cb(wg_row_int(row, 0), e->ctx);
}

enum wg_rc wg_store_party_served_list(struct wg_db *db, long long centre,
                                      int (*cb)(long long household, void *), void *ctx,
                                      struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(centre)};
    struct each_served e = {cb, ctx};
    return wg_db_query(db, WG_Q_PARTY_SERVED_LIST, v, 1, each_served, &e, err);
}
