/* Typed queries of the residents' portal: tracking codes, the resident's rating of an
 * order and the throttle's counters. The rules are in domain/portal/portal.c. */
#include "store/store.h"

#include "store/backend.h"
#include "store/orders/orders_q.h"
#include "store/portal/portal_q.h"

enum wg_rc wg_store_portal_appeal_insert(struct wg_db *db, const char *code_hash,
                                         long long order_id, const char *portal_type,
                                         const char *source, const char *at, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(code_hash), WG_VINT(order_id), WG_VTEXT(portal_type),
                         WG_VTEXT0(source), WG_VTEXT(at)};
    return wg_db_exec(db, WG_Q_PORTAL_APPEAL_INSERT, p, WG_NVALS(p), NULL, err);
}

struct found_appeal {
    long long order_id;
    char *type;
    int found;
};

static int take_appeal(struct wg_row *row, void *ctx)
{
    struct found_appeal *f = ctx;
    f->order_id = wg_row_int(row, 0);
    wg_row_copy(row, 1, f->type, 16);
    f->found = 1;
    return 1;
}

enum wg_rc wg_store_portal_appeal_find(struct wg_db *db, const char *code_hash, long long *order_id,
                                       char portal_type[16], struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(code_hash)};
    struct found_appeal f = {0, portal_type, 0};
    enum wg_rc rc;
    portal_type[0] = '\0';
    if ((rc = wg_db_query(db, WG_Q_PORTAL_APPEAL_FIND, p, 1, take_appeal, &f, err)))
        return rc;
    if (!f.found)
        return wg_err_set(err, WG_ENOTFOUND, "no appeal has this tracking code");
    *order_id = f.order_id;
    return WG_OK;
}

static int take_rating(struct wg_row *row, void *ctx)
{
    struct wg_rating_row *r = ctx;
    wg_row_copy(row, 0, r->satisfaction, sizeof r->satisfaction);
    r->resolved = (int)wg_row_int(row, 1);
    wg_row_copy(row, 2, r->comment, sizeof r->comment);
    wg_row_copy(row, 3, r->rated_at, sizeof r->rated_at);
    return 1;
}

enum wg_rc wg_store_rating_get(struct wg_db *db, long long order_id, struct wg_rating_row *out,
                               int *found, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(order_id)};
    enum wg_rc rc;
    memset(out, 0, sizeof *out);
    rc = wg_db_query(db, WG_Q_RATING_GET, p, 1, take_rating, out, err);
    *found = !rc && out->rated_at[0];
    return rc;
}

enum wg_rc wg_store_rating_insert(struct wg_db *db, long long order_id,
                                  const struct wg_rating_row *r, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(order_id), WG_VTEXT(r->satisfaction), WG_VINT(r->resolved),
                         WG_VTEXT0(r->comment), WG_VTEXT(r->rated_at)};
    return wg_db_exec(db, WG_Q_RATING_INSERT, p, WG_NVALS(p), NULL, err);
}

static int take_long(struct wg_row *row, void *ctx)
{
    *(long *)ctx = (long)wg_row_int(row, 0);
    return 1;
}

enum wg_rc wg_store_throttle_hits(struct wg_db *db, const char *key, long long win, long *hits,
                                  struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(key), WG_VINT(win)};
    *hits = 0;
    return wg_db_query(db, WG_Q_THROTTLE_HITS, p, WG_NVALS(p), take_long, hits, err);
}

enum wg_rc wg_store_throttle_take(struct wg_db *db, const char *key, long long win,
                                  long long expires, long *hits, struct wg_err *err)
{
    struct wg_val p[] = {WG_VTEXT(key), WG_VINT(win), WG_VINT(expires)};
    enum wg_rc rc;
    *hits = 0;
    rc = wg_db_query(db, WG_Q_THROTTLE_TAKE, p, WG_NVALS(p), take_long, hits, err);
    if (!rc && *hits < 1)
        return wg_err_set(err, WG_EDB, "the throttle counter '%s' returned no count", key);
    return rc;
}

enum wg_rc wg_store_throttle_prune(struct wg_db *db, long long now, struct wg_err *err)
{
    struct wg_val p[] = {WG_VINT(now)};
    return wg_db_exec(db, WG_Q_THROTTLE_PRUNE, p, 1, NULL, err);
}
