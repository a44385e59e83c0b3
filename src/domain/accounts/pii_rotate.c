/* Key rotation of the personal values kept with orders, Open311 requests and the registry
 * (pii_rotate.h): a page of rows read,
 * the values under older key versions re-sealed, the rows written back, in one transaction. */
#include "domain/accounts/pii_rotate.h"
#include "core/alloc.h"
#include "store/accounts/accounts_q.h"

#include <stdlib.h>
#include <string.h>

#define PAGE 500

static const char *const contexts[][WG_SEALED_MAX] = {
    [WG_SEALED_ORDERS] = {"order.reporter_name", "order.reporter_phone", NULL},
    [WG_SEALED_OPEN311] = {"open311.email", "open311.device_id", "open311.account_id"},
    /* the registry's (domain/registry/person.h) */
    [WG_SEALED_PERSONS] = {"person.id_number", "person.name", "person.phone", "person.special",
                           "person.birth_date"},
    [WG_SEALED_HOUSEHOLDS] = {"household.address"},
    [WG_SEALED_ORGS] = {"org.person_name", "org.person_phone"},
    [WG_SEALED_VISITS] = {"visit.content", "visit.findings"},
    [WG_SEALED_PATROLS] = {"patrol.checks"},
    [WG_SEALED_TRACKS] = {"patrol.track"},
    [WG_SEALED_DISPUTE_PARTIES] = {"dispute_party.name", "dispute_party.id_number",
                                   "dispute_party.phone"},
    [WG_SEALED_DISPUTE_EVENTS] = {"dispute_event.detail"},
    [WG_SEALED_SCREENINGS] = {"screening.note"},
    [WG_SEALED_WARNINGS] = {"warning.note"},
    [WG_SEALED_WARNING_EVENTS] = {"warning.note"},
    [WG_SEALED_TASK_EVENTS] = {"task.note"},
    [WG_SEALED_SPONSOR_NOTES] = {"sponsorship.note"},
    [WG_SEALED_SURVEY_PHONES] = {"survey.phone"},
};
static const char *const table_names[] = {
    [WG_SEALED_ORDERS] = "order",
    [WG_SEALED_OPEN311] = "Open311 request",
    [WG_SEALED_PERSONS] = "person",
    [WG_SEALED_HOUSEHOLDS] = "household",
    [WG_SEALED_ORGS] = "organization",
    [WG_SEALED_VISITS] = "visit",
    [WG_SEALED_PATROLS] = "patrol",
    [WG_SEALED_TRACKS] = "patrol track",
    [WG_SEALED_DISPUTE_PARTIES] = "dispute party",
    [WG_SEALED_DISPUTE_EVENTS] = "dispute step",
    [WG_SEALED_SCREENINGS] = "screening task",
    [WG_SEALED_WARNINGS] = "warning",
    [WG_SEALED_WARNING_EVENTS] = "warning step",
    [WG_SEALED_TASK_EVENTS] = "task's timeline",
    [WG_SEALED_SPONSOR_NOTES] = "sponsorship's note",
    [WG_SEALED_SURVEY_PHONES] = "survey sample's phone",
};

struct pending {
    long long id;
    char *v[WG_SEALED_MAX];
    int moved;
};

struct page {
    const struct wg_pii_keys *keys;
    enum wg_sealed_table t;
    struct pending rows[PAGE];
    size_t n;
    long long last;
    enum wg_rc rc;
    struct wg_err *err;
};

static void release(struct pending *p)
{
    for (int i = 0; i < WG_SEALED_MAX; i++) {
        wg_pii_wipe(p->v[i]);
        p->v[i] = NULL;
    }
}

static int collect(const struct wg_sealed_row *r, void *ctx)
{
    struct page *pg = ctx;
    struct pending *p = &pg->rows[pg->n];
    memset(p, 0, sizeof *p);
    p->id = pg->last = r->id;
    for (int i = 0; i < wg_sealed_fields(pg->t) && !pg->rc; i++) {
        if (*r->v[i] && r->v[i][0] != 'v') { /* stored before the field was sealed */
            pg->rc = wg_pii_encrypt(pg->keys, r->v[i], contexts[pg->t][i], &p->v[i], pg->err);
            p->moved++;
        } else if (*r->v[i] && wg_pii_needs_rotation(pg->keys, r->v[i])) {
            pg->rc = wg_pii_reencrypt(pg->keys, r->v[i], contexts[pg->t][i], &p->v[i], pg->err);
            p->moved++;
        } else {
            p->v[i] = wg_strdup(r->v[i]);
        }
    }
    if (pg->rc) {
        wg_err_prefix(pg->err, "%s %lld", table_names[pg->t], r->id);
        release(p);
        return 1;
    }
    if (p->moved)
        pg->n++;
    else
        release(p);
    return 0;
}

/* One page after *after in one transaction; *after moves to its last row, *done when there
 * was none. */
static enum wg_rc one_page(struct wg_db *db, struct page *pg, long long *after, int *done,
                           size_t *moved, struct wg_err *err)
{
    enum wg_rc rc;
    pg->n = 0;
    pg->last = *after;
    pg->rc = WG_OK;
    if ((rc = wg_db_begin(db, err)))
        return rc;
    rc = wg_store_sealed_page(db, pg->t, *after, PAGE, collect, pg, err);
    if (!rc)
        rc = pg->rc;
    for (size_t i = 0; !rc && i < pg->n; i++) {
        const char *v[WG_SEALED_MAX];
        for (int k = 0; k < WG_SEALED_MAX; k++)
            v[k] = pg->rows[i].v[k];
        rc = wg_store_sealed_update(db, pg->t, pg->rows[i].id, v, err);
    }
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc)
        wg_db_rollback(db);
    for (size_t i = 0; i < pg->n; i++) {
        if (!rc)
            *moved += (size_t)pg->rows[i].moved;
        release(&pg->rows[i]);
    }
    *done = pg->last == *after;
    *after = pg->last;
    return rc;
}

enum wg_rc wg_pii_rotate_stored(struct wg_db *db, const struct wg_pii_keys *keys, size_t *moved,
                                struct wg_err *err)
{
    struct page *pg = wg_calloc(1, sizeof *pg);
    enum wg_rc rc = WG_OK;
    *moved = 0;
    pg->keys = keys;
    pg->err = err;
    static const enum wg_sealed_table all[] = {
        WG_SEALED_ORDERS,         WG_SEALED_OPEN311,     WG_SEALED_PERSONS,
        WG_SEALED_HOUSEHOLDS,     WG_SEALED_ORGS,        WG_SEALED_VISITS,
        WG_SEALED_PATROLS,        WG_SEALED_TRACKS,      WG_SEALED_DISPUTE_PARTIES,
        WG_SEALED_DISPUTE_EVENTS, WG_SEALED_SCREENINGS,  WG_SEALED_WARNINGS,
        WG_SEALED_WARNING_EVENTS, WG_SEALED_TASK_EVENTS, WG_SEALED_SPONSOR_NOTES,
        WG_SEALED_SURVEY_PHONES};
    for (size_t t = 0; !rc && t < sizeof all / sizeof all[0]; t++) {
        long long after = 0;
        int done = 0;
        pg->t = all[t];
        while (!rc && !done)
            rc = one_page(db, pg, &after, &done, moved, err);
    }
    free(pg);
    return rc;
}
