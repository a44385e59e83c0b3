/* Typed queries of the Open311 interface: what a client sent beside an order, and the public
 * view of requests and their state changes. */
#include "store/store.h"

#include "core/alloc.h"
#include "store/backend.h"
#include "store/open311/open311_q.h"

enum wg_rc wg_store_open311_insert(struct wg_db *db, const struct wg_open311_row *r,
                                   struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(r->order_id),     WG_VTEXT(r->token),
                         WG_VTEXT(r->client),      WG_VTEXT(r->attributes),
                         WG_VTEXT0(r->address_id), WG_VTEXT0(r->media_url),
                         WG_VTEXT0(r->email),      WG_VTEXT0(r->device_id),
                         WG_VTEXT0(r->account_id), WG_VTEXT0(r->media)};
    return wg_db_exec(db, WG_Q_OPEN311_INSERT, p, WG_NVALS(p), NULL, err);
}

struct text_out {
    char *buf;
    size_t n;
    int found, too_long;
};

static int take_text(struct wg_row *row, void *ctx)
{
    struct text_out *t = ctx;
    t->found = 1;
    t->too_long = wg_row_copy(row, 0, t->buf, t->n) != 0;
    return 1;
}

enum wg_rc wg_store_open311_token(struct wg_db *db, const char *token, char number[32],
                                  struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(token)};
    struct text_out t = {number, 32, 0, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_OPEN311_TOKEN, p, 1, take_text, &t, err);
    if (rc)
        return rc;
    if (!t.found || t.too_long)
        return wg_err_set(err, WG_ENOTFOUND, "token '%.70s' was not given", token);
    return WG_OK;
}

static int take_dup(struct wg_row *row, void *ctx)
{
    *(char **)ctx = wg_strdup(wg_row_text(row, 0));
    return 1;
}

enum wg_rc wg_store_open311_attributes(struct wg_db *db, long long order_id, char **out,
                                       struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(order_id)};
    *out = NULL;
    return wg_db_query(db, WG_Q_OPEN311_ATTRIBUTES, p, 1, take_dup, out, err);
}

struct each_req {
    int (*cb)(const struct wg_open311_req_row *, void *);
    void *ctx;
};

static int each_req(struct wg_row *row, void *ctx)
{
    struct each_req *e = ctx;
    struct wg_open311_req_row r = {
        .id = wg_row_int(row, 0),
        .number = wg_row_text(row, 1),
        .county = wg_row_text(row, 2),
        .item = wg_row_text(row, 3),
        .title = wg_row_text(row, 4),
        .content = wg_row_text(row, 5),
        .address = wg_row_text(row, 6),
        .has_point = !wg_row_isnull(row, 7),
        .lon = wg_row_real(row, 7),
        .lat = wg_row_real(row, 8),
        .state = wg_row_text(row, 9),
        .unit_name = wg_row_text(row, 10),
        .created_at = wg_row_text(row, 11),
        .updated_at = wg_row_text(row, 12),
        .reply_deadline = wg_row_int(row, 13),
        .token = wg_row_text(row, 14),
        .address_id = wg_row_text(row, 15),
        .media_url = wg_row_text(row, 16),
        .channel = wg_row_text(row, 17),
        .media = wg_row_text(row, 18),
    };
    return e->cb(&r, e->ctx);
}

#define S(x) WG_VTEXT((x) ? (x) : "")
/* a JSON array argument is never '' (json_each would refuse it even where the filter is off) */
#define J(x) WG_VTEXT((x) && *(x) ? (x) : "[]")

enum wg_rc wg_store_open311_list(struct wg_db *db, const struct wg_open311_filter *f,
                                 int (*cb)(const struct wg_open311_req_row *, void *), void *ctx,
                                 struct wg_err *err)
{
    struct each_req e = {cb, ctx};
    struct wg_val p[] = {
        J(f->public_items),
        S(f->county),
        S(f->numbers),
        J(f->numbers),
        S(f->items),
        J(f->items),
        S(f->states),
        J(f->states),
        S(f->since),
        S(f->until),
        WG_VINT(f->limit > 0 ? f->limit : 1000),
    };
    return wg_db_query(db, WG_Q_OPEN311_LIST, p, WG_NVALS(p), each_req, &e, err);
}

struct each_update {
    int (*cb)(const struct wg_open311_update_row *, void *);
    void *ctx;
};

static int each_update(struct wg_row *row, void *ctx)
{
    struct each_update *e = ctx;
    struct wg_open311_update_row u = {wg_row_text(row, 0), wg_row_text(row, 2), wg_row_text(row, 3),
                                      wg_row_text(row, 4), (int)wg_row_int(row, 1)};
    return e->cb(&u, e->ctx);
}

enum wg_rc wg_store_open311_updates(struct wg_db *db, const struct wg_open311_filter *f,
                                    int (*cb)(const struct wg_open311_update_row *, void *),
                                    void *ctx, struct wg_err *err)
{
    struct each_update e = {cb, ctx};
    struct wg_val p[] = {J(f->public_items), S(f->county), S(f->since), S(f->until),
                         WG_VINT(f->limit > 0 ? f->limit : 1000)};
    return wg_db_query(db, WG_Q_OPEN311_UPDATES, p, WG_NVALS(p), each_update, &e, err);
}

enum wg_rc wg_store_open311_media(struct wg_db *db, const char *sha256, const char *public_items,
                                  char mime[32], struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(sha256), J(public_items)};
    struct text_out t = {mime, 32, 0, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_OPEN311_MEDIA, p, 2, take_text, &t, err);
    if (rc)
        return rc;
    if (t.too_long)
        return wg_err_set(err, WG_EDB, "the type of photo '%.64s' is too long", sha256);
    if (!t.found)
        return wg_err_set(err, WG_ENOTFOUND, "media '%.64s' was not found", sha256);
    return WG_OK;
}
