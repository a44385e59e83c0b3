/* Typed queries over the registry's people (registry_q.h): stored sealed, found by the blind
 * indexes of the ID number and the phone, listed by grid code range from a keyset position. */
#include "store/store.h"

#include "store/backend.h"
#include "store/registry/registry_q.h"
#include "store/registry/visit_q.h"

enum wg_rc wg_store_person_insert(struct wg_db *db, const struct wg_person_row *p, long long now,
                                  int mark_due, long long *id, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(p->id_type),
                         WG_VTEXT(p->id_number),
                         WG_VTEXT(p->id_blind),
                         WG_VTEXT(p->name),
                         WG_VTEXT(p->gender),
                         WG_VTEXT(p->birth_date ? p->birth_date : ""),
                         WG_VTEXT(p->phone),
                         WG_VTEXT(p->phone_blind),
                         WG_VTEXT(p->residence),
                         WG_VTEXT(p->political),
                         WG_VTEXT(p->grid),
                         WG_VINT(p->care),
                         WG_VTEXT(p->special),
                         p->household ? WG_VINT(p->household) : WG_VNULL,
                         WG_VINT(now)};
    int made = 0;
    enum wg_rc rc = wg_db_query_int(db, WG_Q_PERSON_INSERT, v, WG_NVALS(v), id, &made, err);
    if (!rc && !made)
        return wg_err_set(err, WG_ECONFLICT,
                          "'id_number': a person with this ID number is already recorded");
    return rc || !mark_due ? rc : wg_store_visit_due_touch(db, *id, p->grid, err);
}

enum wg_rc wg_store_person_update(struct wg_db *db, const struct wg_person_row *p, long long now,
                                  int *changed, struct wg_err *err)
{
    long n = 0;
    struct wg_val v[] = {WG_VTEXT(p->id_type),   WG_VTEXT(p->id_number),
                         WG_VTEXT(p->id_blind),  WG_VTEXT(p->name),
                         WG_VTEXT(p->gender),    WG_VTEXT(p->birth_date ? p->birth_date : ""),
                         WG_VTEXT(p->phone),     WG_VTEXT(p->phone_blind),
                         WG_VTEXT(p->residence), WG_VTEXT(p->political),
                         WG_VTEXT(p->grid),      WG_VINT(p->care),
                         WG_VTEXT(p->special),   p->household ? WG_VINT(p->household) : WG_VNULL,
                         WG_VINT(now),           WG_VINT(p->id),
                         WG_VINT(p->version)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_PERSON_UPDATE, v, WG_NVALS(v), &n, err);
    *changed = n > 0;
    return rc || !n ? rc : wg_store_visit_due_touch(db, p->id, p->grid, err);
}

struct each {
    int (*cb)(const struct wg_person_row *, void *);
    void *ctx;
    int rows;
};

int wg_store_person_read_row(struct wg_row *row, struct wg_person_row *out)
{
    struct wg_person_row p = {.id = wg_row_int(row, 0),
                              .id_number = wg_row_text(row, 2),
                              .name = wg_row_text(row, 3),
                              .phone = wg_row_text(row, 6),
                              .special = wg_row_text(row, 11),
                              .birth_date = wg_row_text(row, 5),
                              .id_blind = "",
                              .phone_blind = "",
                              .care = wg_row_int(row, 10),
                              .household = wg_row_int(row, 12),
                              .created_at = wg_row_int(row, 13),
                              .updated_at = wg_row_int(row, 14),
                              .version = wg_row_int(row, 15)};
    if (wg_row_copy(row, 1, p.id_type, sizeof p.id_type) ||
        wg_row_copy(row, 4, p.gender, sizeof p.gender) ||
        wg_row_copy(row, 7, p.residence, sizeof p.residence) ||
        wg_row_copy(row, 8, p.political, sizeof p.political) ||
        wg_row_copy(row, 9, p.grid, sizeof p.grid))
        return -1;
    *out = p;
    return 0;
}

static int take(struct wg_row *row, void *ctx)
{
    struct each *e = ctx;
    struct wg_person_row p;
    if (wg_store_person_read_row(row, &p))
        return -1;
    e->rows++;
    return e->cb(&p, e->ctx);
}

enum wg_rc wg_store_person_get(struct wg_db *db, long long id,
                               int (*cb)(const struct wg_person_row *, void *), void *ctx,
                               struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(id)};
    struct each e = {cb, ctx, 0};
    enum wg_rc rc = wg_db_query(db, WG_Q_PERSON_GET, v, 1, take, &e, err);
    if (!rc && !e.rows)
        rc = wg_err_set(err, WG_ENOTFOUND, "person %lld does not exist", id);
    return rc;
}

enum wg_rc wg_store_person_by_id_blind(struct wg_db *db, const char *blind, long long *id,
                                       struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(blind)};
    *id = 0;
    return wg_db_query_int(db, WG_Q_PERSON_BY_ID_BLIND, v, 1, id, NULL, err);
}

enum wg_rc wg_store_person_by_phone(struct wg_db *db, const char *blind, int limit,
                                    int (*cb)(const struct wg_person_row *, void *), void *ctx,
                                    struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(blind), WG_VINT(limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_PERSON_BY_PHONE, v, 2, take, &e, err);
}

enum wg_rc wg_store_person_list(struct wg_db *db, const char *lo, const char *hi,
                                const char *after_grid, long long after_id, long long care,
                                int limit, int (*cb)(const struct wg_person_row *, void *),
                                void *ctx, struct wg_err *err)
{
    struct wg_val v[] = {WG_VTEXT(lo),      WG_VTEXT(hi),  WG_VTEXT(after_grid),
                         WG_VINT(after_id), WG_VINT(care), WG_VINT(limit)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_PERSON_LIST, v, WG_NVALS(v), take, &e, err);
}

enum wg_rc wg_store_person_members(struct wg_db *db, long long household,
                                   int (*cb)(const struct wg_person_row *, void *), void *ctx,
                                   struct wg_err *err)
{
    struct wg_val v[] = {WG_VINT(household)};
    struct each e = {cb, ctx, 0};
    return wg_db_query(db, WG_Q_PERSON_MEMBERS, v, 1, take, &e, err);
}

enum wg_rc wg_store_person_set_household(struct wg_db *db, long long id, long long household,
                                         long long now, struct wg_err *err)
{
    struct wg_val v[] = {household ? WG_VINT(household) : WG_VNULL, WG_VINT(now), WG_VINT(id)};
    enum wg_rc rc = wg_db_exec(db, WG_Q_PERSON_SET_HOUSEHOLD, v, 3, NULL, err);
    return rc ? rc : wg_store_visit_due_mark(db, id, err);
}
