/* The kept due days (visit.h): the sweep that works marked rows out, the lists of the due and
 * the overdue soonest first, and the overdue by grid for the map. A settled row is read
 * through one index range; a marked one (written since the sweep last ran) is worked out as
 * it is read, so every answer is exact whatever the sweep has reached. */
#include "domain/registry/visit.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/param.h"
#include "domain/registry/visit_due_row.h"

#define PAGE       500
#define TOUCH_PAGE 20000
#define COUNT_CAP  1000
#define GRIDS_CAP  100000
#define BASIS_NAME "visit_due_basis"
/* A list works out at most this many marked rows as it reads; past it (a new cadence or a big
 * import that the sweep has not reached yet) it answers from the settled and says so. */
#define MARKED_CAP 2000

/* ---- the sweep ---- */

struct settled {
    long long person, stamp, due_at;
    int due_day;
};

struct settle {
    const struct wg_pii_keys *keys;
    const struct wg_calendar *cal;
    const struct wg_cadence *cad;
    long long now, after;
    struct settled *v;
    size_t n, cap;
    enum wg_rc rc;
    struct wg_err *err;
};

static int settle_one(const struct wg_due_row *r, void *ctx)
{
    struct settle *s = ctx;
    struct wg_person p;
    struct wg_due d;
    int has = wg_due_of_row(s->keys, s->cal, s->cad, r, s->now, &p, &d, &s->rc, s->err);
    if (s->rc)
        return 1;
    wg_grow(&s->v, &s->cap, s->n, sizeof *s->v, PAGE);
    s->v[s->n++] = (struct settled){r->p->id, r->stamp, has ? d.due_at : 0, has ? d.due_day : 0};
    s->after = r->p->id;
    return 0;
}

static enum wg_rc settle_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct settle *s = ctx;
    enum wg_rc rc = WG_OK;
    for (size_t i = 0; !rc && i < s->n; i++)
        rc = wg_store_visit_due_settle(db, s->v[i].person, s->v[i].stamp, s->v[i].due_at,
                                       s->v[i].due_day, err);
    return rc;
}

struct touch {
    long long after, upto, basis;
    int last;
};

static enum wg_rc touch_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct touch *t = ctx;
    enum wg_rc rc = wg_store_visit_due_touch_ids(db, t->after, t->upto, err);
    if (!rc && t->last)
        rc = wg_store_meta_set(db, BASIS_NAME, t->basis, err);
    return rc;
}

/* The cadence or the calendar changed since the store last settled: every person marked, a
 * range of ids a transaction, the new fingerprint written with the last. */
static enum wg_rc mark_all(struct wg_db *db, struct wg_committer *cm, long long basis,
                           struct wg_err *err)
{
    long long max = 0;
    enum wg_rc rc = wg_store_person_max_id(db, &max, err);
    struct touch t = {0, 0, basis, 0};
    while (!rc && !t.last) {
        t.upto = t.after + TOUCH_PAGE;
        t.last = t.upto >= max;
        rc = wg_committer_or_db(cm, db, touch_tx, &t, err);
        t.after = t.upto;
    }
    return rc;
}

enum wg_rc wg_visit_due_settle(struct wg_db *db, struct wg_committer *cm,
                               const struct wg_pii_keys *keys, const struct wg_calendar *cal,
                               const struct wg_cadence *c, long long now, long *settled,
                               struct wg_err *err)
{
    long long basis = wg_visit_due_basis(cal, c), stored = 0;
    struct settle s = {keys, cal, c, now, 0, NULL, 0, 0, WG_OK, err};
    enum wg_rc rc = wg_store_meta_get(db, BASIS_NAME, &stored, err);
    *settled = 0;
    if (!rc && stored != basis)
        rc = mark_all(db, cm, basis, err);
    while (!rc) {
        s.n = 0;
        rc = wg_store_visit_due_marked(db, "", "~", s.after, PAGE, settle_one, &s, err);
        if (!rc)
            rc = s.rc;
        if (rc || !s.n)
            break;
        rc = wg_committer_or_db(cm, db, settle_tx, &s, err);
        *settled += (long)s.n;
        if (s.n < PAGE)
            break;
    }
    free(s.v);
    return rc;
}

/* A list reads the marked rows and then the settled ones: both in one snapshot, or a row the
 * sweep settles in between would be read twice (once marked, once settled). Inside a caller's
 * transaction that transaction is the snapshot. */
static int snapshot_begin(struct wg_db *db, enum wg_rc *rc, struct wg_err *err)
{
    if (*rc || wg_db_in_tx(db))
        return 0;
    *rc = wg_db_begin_read(db, err);
    return !*rc;
}

static void snapshot_end(struct wg_db *db, int own)
{
    if (own)
        wg_db_rollback(db);
}

/* ---- the due and the overdue, soonest first ---- */

struct entry {
    long long due_at, id;
    json_t *j;
};

struct soon {
    const struct wg_pii_keys *keys;
    const struct wg_calendar *cal;
    const struct wg_cadence *cad;
    long long now, after_at, after_id, read, last_marked, matched;
    int status, sensitive, today;
    size_t want;     /* the page and one more, to know there is a next */
    struct entry *v; /* the best so far, in order */
    size_t n, cap;
    enum wg_rc rc;
    struct wg_err *err;
};

static int before(long long at, long long id, const struct entry *e)
{
    return at < e->due_at || (at == e->due_at && id < e->id);
}

/* Keeps the want soonest entries: a new one goes in its place, the last falls off. */
static int keep(struct soon *s, const struct wg_due_row *r, const struct wg_due *d)
{
    size_t at = s->n;
    while (at > 0 && before(d->due_at, r->p->id, &s->v[at - 1]))
        at--;
    if (at >= s->want)
        return 0;
    json_t *j = wg_due_entry(s->keys, r, d, s->sensitive, &s->rc, s->err);
    if (!j)
        return 1;
    if (s->n == s->want)
        json_decref(s->v[--s->n].j);
    wg_grow(&s->v, &s->cap, s->n, sizeof *s->v, 16);
    memmove(&s->v[at + 1], &s->v[at], (s->n - at) * sizeof *s->v);
    s->v[at] = (struct entry){d->due_at, r->p->id, j};
    s->n++;
    return 0;
}

static int matches(const struct soon *s, const struct wg_due *d)
{
    return s->status == 2 ? d->overdue : d->due_day <= s->today;
}

static int soon_row(const struct wg_due_row *r, void *ctx)
{
    struct soon *s = ctx;
    struct wg_person p;
    struct wg_due d;
    s->read++;
    s->last_marked = r->p->id;
    if (!wg_due_of_row(s->keys, s->cal, s->cad, r, s->now, &p, &d, &s->rc, s->err) ||
        !matches(s, &d))
        return s->rc != WG_OK;
    /* a marked row is worked out as the sweep will: counted, and in order after the cursor */
    s->matched += r->due_at == 0;
    if (d.due_at < s->after_at || (d.due_at == s->after_at && r->p->id <= s->after_id))
        return 0;
    return keep(s, r, &d);
}

static enum wg_rc soon_cursor(const char *text, long long *at, long long *id, struct wg_err *err)
{
    char *end = NULL;
    *at = 0;
    *id = 0;
    if (!text || !*text)
        return WG_OK;
    if (text[0] == 't') {
        *at = strtoll(text + 1, &end, 10);
        if (end != text + 1 && *end == '.' && *at >= 0 && !wg_param_id(end + 1, 1, INT64_MAX, id))
            return WG_OK;
    }
    return wg_err_set(err, WG_EINVAL,
                      "'cursor' is not a cursor of this list; pass the next_cursor of the page "
                      "before");
}

enum wg_rc wg_visit_due_soon(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_calendar *cal, const struct wg_cadence *c,
                             const char *lo, const char *hi, int status, const char *cursor,
                             int want, int sensitive, long long now, json_t *out,
                             struct wg_err *err)
{
    struct soon s = {
        keys, cal, c, now,   0,  0, 0, 0, 0, status, sensitive, wg_cst_day(now), (size_t)want + 1,
        NULL, 0,   0, WG_OK, err};
    /* the due: by the end of today (a change's limit may fall earlier in it) */
    long long upto = status == 2 ? now : wg_cst_midnight(s.today + 1), settled = 0;
    enum wg_rc rc = soon_cursor(cursor, &s.after_at, &s.after_id, err);
    int own = snapshot_begin(db, &rc, err);
    /* the marked rows of the range, worked out here */
    int marked = 0, settling = 0;
    do {
        s.read = 0;
        if (!rc)
            rc = wg_store_visit_due_marked(db, lo, hi, s.last_marked, PAGE, soon_row, &s, err);
        if (!rc)
            rc = s.rc;
        marked += (int)s.read;
        settling = s.read == PAGE && marked >= MARKED_CAP;
    } while (!rc && s.read == PAGE && !settling);
    /* then the settled, soonest first after the cursor */
    if (!rc)
        rc = wg_store_visit_due_soon(db, lo, hi, upto, s.after_at, s.after_id, (int)s.want,
                                     soon_row, &s, err);
    if (!rc)
        rc = s.rc;
    if (!rc)
        rc = wg_store_visit_due_count(db, lo, hi, upto, COUNT_CAP, &settled, err);
    snapshot_end(db, own);
    if (!rc) {
        json_t *arr = json_object_get(out, "due");
        size_t n = s.n > (size_t)want ? (size_t)want : s.n;
        long long total = settled + s.matched;
        for (size_t i = 0; i < n; i++)
            json_array_append(arr, s.v[i].j);
        json_object_set_new(out, "next_cursor",
                            s.n > (size_t)want
                                ? json_sprintf("t%lld.%lld", s.v[n - 1].due_at, s.v[n - 1].id)
                                : json_null());
        json_object_set_new(out, "total", json_integer(total < COUNT_CAP ? total : COUNT_CAP));
        json_object_set_new(out, "total_exact",
                            json_boolean(settled < COUNT_CAP && total < COUNT_CAP && !settling));
        json_object_set_new(out, "settling", json_boolean(settling));
    }
    for (size_t i = 0; i < s.n; i++)
        json_decref(s.v[i].j);
    free(s.v);
    return rc;
}

/* ---- the overdue by grid ---- */

struct grids {
    const struct wg_pii_keys *keys;
    const struct wg_calendar *cal;
    const struct wg_cadence *cad;
    long long now, last, read, total;
    json_t *by; /* grid → count */
    enum wg_rc rc;
    struct wg_err *err;
};

static void add_count(json_t *by, const char *grid, long long n)
{
    json_t *have = json_object_get(by, grid);
    json_object_set_new(by, grid, json_integer(n + (have ? json_integer_value(have) : 0)));
}

static int grids_marked(const struct wg_due_row *r, void *ctx)
{
    struct grids *g = ctx;
    struct wg_person p;
    struct wg_due d;
    g->read++;
    g->last = r->p->id;
    if (wg_due_of_row(g->keys, g->cal, g->cad, r, g->now, &p, &d, &g->rc, g->err) && d.overdue) {
        add_count(g->by, r->p->grid, 1);
        g->total++;
    }
    return g->rc != WG_OK;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int grids_settled(const char *grid, long long n, void *ctx)
{
    struct grids *g = ctx;
    add_count(g->by, grid, n);
    g->total += n;
    return 0;
}

enum wg_rc wg_visit_due_grids(struct wg_db *db, const struct wg_pii_keys *keys,
                              const struct wg_calendar *cal, const struct wg_cadence *c,
                              const struct wg_scope *scope, const char *grid, const char *region,
                              long long now, json_t **out, struct wg_err *err)
{
    char lo[32], hi[33], today[11];
    struct grids g = {keys, cal, c, now, 0, 0, 0, json_object(), WG_OK, err};
    enum wg_rc rc = wg_registry_range(scope, grid, region, lo, hi, err);
    int own = snapshot_begin(db, &rc, err), marked = 0, settling = 0;
    do {
        g.read = 0;
        if (!rc)
            rc = wg_store_visit_due_marked(db, lo, hi, g.last, PAGE, grids_marked, &g, err);
        if (!rc)
            rc = g.rc;
        marked += (int)g.read;
        settling = g.read == PAGE && marked >= MARKED_CAP;
    } while (!rc && g.read == PAGE && !settling);
    long long settled = g.total;
    if (!rc)
        rc = wg_store_visit_due_by_grid(db, lo, hi, now, GRIDS_CAP, grids_settled, &g, err);
    snapshot_end(db, own);
    if (rc) {
        json_decref(g.by);
        return rc;
    }
    settled = g.total - settled;
    /* by grid code, as the map and a table read them */
    size_t k = 0, count = json_object_size(g.by);
    const char **keys_of = wg_calloc(count ? count : 1, sizeof *keys_of);
    const char *key;
    json_t *n, *arr = json_array();
    json_object_foreach(g.by, key, n)
    {
        keys_of[k++] = key;
    }
    qsort(keys_of, count, sizeof *keys_of, by_code);
    for (k = 0; k < count; k++)
        json_array_append_new(arr, json_pack("{s:s,s:O}", "grid", keys_of[k], "overdue",
                                             json_object_get(g.by, keys_of[k])));
    free(keys_of);
    json_decref(g.by);
    wg_civil_format_date(wg_cst_day(now), today);
    *out = json_pack("{s:o,s:I,s:b,s:b,s:s}", "grids", arr, "total", (json_int_t)g.total,
                     "total_exact", settled < GRIDS_CAP && !settling, "settling", settling, "today",
                     today);
    return WG_OK;
}
