/* Sealed values outside account profiles (store.h, "sealed values"): the reporters of orders
 * and the contact fields of Open311 requests, the registry's people and households, read a page at
 * a time and written back after key rotation re-sealed them. */
#include "store/backend.h"
#include "store/store.h"
#include "store/accounts/accounts_q.h"

static const struct {
    enum wg_q page, reseal;
    int n;
} tables[] = {
    [WG_SEALED_ORDERS] = {WG_Q_ORDER_SEALED_PAGE, WG_Q_ORDER_RESEAL, 2},
    [WG_SEALED_OPEN311] = {WG_Q_OPEN311_SEALED_PAGE, WG_Q_OPEN311_RESEAL, 3},
    [WG_SEALED_PERSONS] = {WG_Q_PERSON_SEALED_PAGE, WG_Q_PERSON_RESEAL, 5},
    [WG_SEALED_HOUSEHOLDS] = {WG_Q_HOUSEHOLD_SEALED_PAGE, WG_Q_HOUSEHOLD_RESEAL, 1},
    [WG_SEALED_ORGS] = {WG_Q_ORG_SEALED_PAGE, WG_Q_ORG_RESEAL, 2},
    [WG_SEALED_VISITS] = {WG_Q_VISIT_SEALED_PAGE, WG_Q_VISIT_RESEAL, 2},
    [WG_SEALED_PATROLS] = {WG_Q_PATROL_SEALED_PAGE, WG_Q_PATROL_RESEAL, 1},
    [WG_SEALED_TRACKS] = {WG_Q_PATROL_TRACK_SEALED_PAGE, WG_Q_PATROL_TRACK_RESEAL, 1},
    [WG_SEALED_DISPUTE_PARTIES] = {WG_Q_DISPUTE_PARTY_SEALED_PAGE, WG_Q_DISPUTE_PARTY_RESEAL, 3},
    [WG_SEALED_DISPUTE_EVENTS] = {WG_Q_DISPUTE_EVENT_SEALED_PAGE, WG_Q_DISPUTE_EVENT_RESEAL, 1},
    [WG_SEALED_SCREENINGS] = {WG_Q_SCREENING_SEALED_PAGE, WG_Q_SCREENING_RESEAL, 1},
    [WG_SEALED_WARNINGS] = {WG_Q_WARN_SEALED_PAGE, WG_Q_WARN_RESEAL, 1},
    [WG_SEALED_WARNING_EVENTS] = {WG_Q_WARN_EVENT_SEALED_PAGE, WG_Q_WARN_EVENT_RESEAL, 1},
    [WG_SEALED_TASK_EVENTS] = {WG_Q_TASK_EVENT_SEALED_PAGE, WG_Q_TASK_EVENT_RESEAL, 1},
    [WG_SEALED_SPONSOR_NOTES] = {WG_Q_SPONSOR_NOTE_SEALED_PAGE, WG_Q_SPONSOR_NOTE_RESEAL, 1},
    [WG_SEALED_SURVEY_PHONES] = {WG_Q_SURVEY_PHONE_SEALED_PAGE, WG_Q_SURVEY_PHONE_RESEAL, 1},
};

int wg_sealed_fields(enum wg_sealed_table t)
{
    return tables[t].n;
}

struct page {
    enum wg_sealed_table t;
    int (*cb)(const struct wg_sealed_row *, void *);
    void *ctx;
};

static int take(struct wg_row *row, void *ctx)
{
    struct page *p = ctx;
    struct wg_sealed_row r = {wg_row_int(row, 0), {NULL}};
    for (int i = 0; i < tables[p->t].n; i++)
        r.v[i] = wg_row_text(row, i + 1);
    return p->cb(&r, p->ctx);
}

enum wg_rc wg_store_sealed_page(struct wg_db *db, enum wg_sealed_table t, long long after,
                                int limit, int (*cb)(const struct wg_sealed_row *, void *),
                                void *ctx, struct wg_err *err)
{
    struct page p = {t, cb, ctx};
    struct wg_val v[] = {WG_VINT(after), WG_VINT(limit)};
    return wg_db_query(db, tables[t].page, v, 2, take, &p, err);
}

enum wg_rc wg_store_sealed_update(struct wg_db *db, enum wg_sealed_table t, long long id,
                                  const char *const v[WG_SEALED_MAX], struct wg_err *err)
{
    struct wg_val p[WG_SEALED_MAX + 1];
    int n = tables[t].n;
    for (int i = 0; i < n; i++)
        p[i] = WG_VTEXT0(v[i]);
    p[n] = WG_VINT(id);
    return wg_db_exec(db, tables[t].reseal, p, (size_t)n + 1, NULL, err);
}
