/* The cadence of visits (visit.h): each group's days, the next due day on the working
 * calendar, the list of persons due a visit, and the reminders of overdue visits, once each. */
#include "domain/registry/visit.h"

#include <limits.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/param.h"
#include "domain/notify/notify.h"
#include "domain/registry/visit_due_row.h"
#include "store/accounts/accounts_q.h"

/* in the order of days[]: care groups (person.h's bits), special populations, mental_high */
const char *const wg_cadence_groups[] = {"alone",
                                         "empty_nest",
                                         "over80",
                                         "left_behind_child",
                                         "left_behind_elderly",
                                         "disabled",
                                         "hardship",
                                         "released",
                                         "correction",
                                         "drug",
                                         "mental",
                                         "key_youth",
                                         "mental_high",
                                         NULL};
#define G_ALONE       0
#define G_SPECIAL     7 /* the first special population */
#define G_CORRECTION  8
#define G_DRUG        9
#define G_MENTAL_HIGH 12

void wg_cadence_defaults(struct wg_cadence *c)
{
    memset(c, 0, sizeof *c);
    for (int g = 0; g < G_SPECIAL; g++)
        c->days[g] = 90;         /* general care groups: quarterly */
    c->days[G_SPECIAL + 0] = 30; /* released: key, monthly */
    c->days[G_CORRECTION] = 7;   /* high-risk: weekly */
    c->days[G_DRUG] = 7;
    c->days[G_SPECIAL + 3] = 30; /* mental below risk 3: key */
    c->days[G_SPECIAL + 4] = 30; /* key youth */
    c->days[G_MENTAL_HIGH] = 7;
    c->change_hours = 24;
}

static int high_risk(int g)
{
    return g == G_CORRECTION || g == G_DRUG || g == G_MENTAL_HIGH;
}

enum wg_rc wg_cadence_set(struct wg_cadence *c, const char *spec, struct wg_err *err)
{
    struct wg_cadence next = *c;
    const char *p = spec ? spec : "";
    while (*p) {
        size_t n = strcspn(p, ","), k = strcspn(p, "=");
        char name[32], value[16];
        long long days;
        int g;
        if (k >= n || k >= sizeof name || n - k - 1 >= sizeof value)
            return wg_err_set(err, WG_EINVAL, "'%.*s' is not group=days", (int)n, p);
        snprintf(name, sizeof name, "%.*s", (int)k, p);
        snprintf(value, sizeof value, "%.*s", (int)(n - k - 1), p + k + 1);
        for (g = 0; wg_cadence_groups[g] && strcmp(wg_cadence_groups[g], name); g++)
            ;
        if (!wg_cadence_groups[g])
            return wg_err_set(err, WG_EINVAL, "'%s' is not a care group or special population",
                              name);
        if (wg_param_whole(value, 0, 366, &days))
            return wg_err_set(err, WG_EINVAL, "'%s' days must be 0 to 366, not '%s'", name, value);
        next.days[g] = (int)days;
        p += n + (p[n] == ',');
    }
    *c = next;
    return WG_OK;
}

enum wg_rc wg_cadence_set_daily(struct wg_cadence *c, const char *regions, struct wg_err *err)
{
    struct wg_cadence next = *c;
    const char *p = regions ? regions : "";
    next.ndaily = 0;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (!n || n >= sizeof next.daily[0] || strspn(p, "0123456789") != n)
            return wg_err_set(err, WG_EINVAL, "'%.*s' is not a region code", (int)n, p);
        if (next.ndaily == WG_CADENCE_REGIONS)
            return wg_err_set(err, WG_EINVAL, "at most %d regions visit daily", WG_CADENCE_REGIONS);
        snprintf(next.daily[next.ndaily++], sizeof next.daily[0], "%.*s", (int)n, p);
        p += n + (p[n] == ',');
    }
    *c = next;
    return WG_OK;
}

static int daily_here(const struct wg_cadence *c, const char *grid)
{
    for (int i = 0; i < c->ndaily; i++)
        if (!strncmp(grid, c->daily[i], strlen(c->daily[i])))
            return 1;
    return 0;
}

static int workday(const struct wg_calendar *cal, int day)
{
    int y, m, d, w;
    wg_civil_date(day, &y, &m, &d);
    w = cal ? wg_calendar_is_workday(cal, y, m, d) : -1;
    if (w < 0) { /* a year with no table: Monday to Friday */
        int wd = wg_civil_weekday(day);
        w = wd != 0 && wd != 6;
    }
    return w;
}

static void fnv(unsigned long long *h, const void *data, size_t n)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < n; i++)
        *h = (*h ^ b[i]) * 1099511628211ULL;
}

long long wg_visit_due_basis(const struct wg_calendar *cal, const struct wg_cadence *c)
{
    unsigned long long h = 14695981039346656037ULL;
    fnv(&h, c->days, sizeof c->days);
    fnv(&h, &c->change_hours, sizeof c->change_hours);
    for (int i = 0; i < c->ndaily; i++)
        fnv(&h, c->daily[i], strlen(c->daily[i]) + 1);
    /* the working days a due day may land on or count over: 2000 to 2100 */
    unsigned char bits = 0;
    int first = wg_civil_days(2000, 1, 1), last = wg_civil_days(2100, 12, 31);
    for (int day = first; day <= last; day++) {
        bits = (unsigned char)(bits << 1 | workday(cal, day));
        if ((day - first) % 8 == 7)
            fnv(&h, &bits, 1);
    }
    fnv(&h, &bits, 1);
    return (long long)(h & 0x3fffffffffffffffULL) | 1; /* never 0: a store that never settled */
}

int wg_cadence_due(const struct wg_cadence *c, const struct wg_calendar *cal,
                   const struct wg_person *p, long long last, long long now, struct wg_due *out)
{
    int best = -1, days = INT_MAX, change = 0;
    for (int g = 0; g < G_SPECIAL; g++)
        if (p->care & (1u << g)) {
            int d = g == G_ALONE && daily_here(c, p->grid) ? 1 : c->days[g];
            if (d > 0 && d < days)
                days = d, best = g;
        }
    for (int s = 0; s < 5; s++)
        if (p->special & (1u << s)) {
            int g = G_SPECIAL + s;
            if (g == G_SPECIAL + 3 && p->mental_risk >= 3)
                g = G_MENTAL_HIGH;
            change |= high_risk(g) && c->days[g] > 0;
            if (c->days[g] > 0 && c->days[g] < days)
                days = c->days[g], best = g;
        }
    if (best < 0)
        return 0;
    memset(out, 0, sizeof *out);
    out->days = days;
    out->group = best;
    out->last = last;
    long long base = last ? last : p->created_at;
    int day = wg_cst_day(base) + days;
    for (int i = 0; i < 366 && !workday(cal, day); i++)
        day++;
    out->due_day = day;
    out->due_at = wg_cst_midnight(day + 1);
    /* a change to a high-risk person's record after their last visit: within change_hours */
    if (change && c->change_hours > 0 && p->updated_at > base &&
        p->updated_at + c->change_hours * 3600LL < out->due_at) {
        out->due_at = p->updated_at + c->change_hours * 3600LL;
        out->due_day = wg_cst_day(out->due_at);
        out->change = 1;
    }
    out->overdue = now >= out->due_at;
    int today = wg_cst_day(now);
    for (int d = out->due_day + 1; out->overdue && d <= today && d - out->due_day <= 3660; d++)
        out->overdue_days += workday(cal, d);
    return 1;
}

/* ---- the due list ---- */

/* What the cadence reads of a stored person: the groups (the special populations opened —
 * the one sealed field it needs), the grid and the times; the rest stays sealed. */
enum wg_rc wg_due_groups_of(const struct wg_pii_keys *keys, const struct wg_person_row *r,
                            struct wg_person *p, struct wg_err *err)
{
    char *special = NULL, *end = NULL;
    enum wg_rc rc = wg_pii_decrypt(keys, r->special, "person.special", &special, err);
    memset(p, 0, sizeof *p);
    if (rc) {
        wg_err_prefix(err, "person %lld", r->id);
        return rc;
    }
    p->id = r->id;
    snprintf(p->grid, sizeof p->grid, "%s", r->grid);
    p->care = (unsigned)r->care;
    p->special = (unsigned)strtoul(special, &end, 10);
    p->mental_risk = (int)strtol(end, NULL, 10);
    p->created_at = r->created_at;
    p->updated_at = r->updated_at;
    wg_pii_wipe(special);
    return WG_OK;
}

int wg_due_of_row(const struct wg_pii_keys *keys, const struct wg_calendar *cal,
                  const struct wg_cadence *cad, const struct wg_due_row *r, long long now,
                  struct wg_person *p, struct wg_due *d, enum wg_rc *rc, struct wg_err *err)
{
    long long last = r->last_person > r->last_household ? r->last_person : r->last_household;
    if ((*rc = wg_due_groups_of(keys, r->p, p, err)))
        return 0;
    return wg_cadence_due(cad, cal, p, last, now, d);
}

json_t *wg_due_entry(const struct wg_pii_keys *keys, const struct wg_due_row *r,
                     const struct wg_due *d, int sensitive, enum wg_rc *rc, struct wg_err *err)
{
    char day[11];
    struct wg_person p;
    int hidden = d->group >= G_SPECIAL && !sensitive;
    /* only a person on the list is opened whole, to be answered masked */
    if ((*rc = wg_person_open_row(keys, r->p, &p, err)))
        return NULL;
    wg_civil_format_date(d->due_day, day);
    json_t *j =
        json_pack("{s:o,s:s,s:s,s:I,s:b,s:i,s:b}", "person", wg_person_json(&p, sensitive), "grid",
                  p.grid, "due_date", day, "due_at", (json_int_t)d->due_at, "overdue", d->overdue,
                  "overdue_days", d->overdue_days, "change", d->change && !hidden);
    wg_person_release(&p);
    json_object_set_new(j, "last_visit_at", d->last ? json_integer(d->last) : json_null());
    /* a special population shows itself only with the grant: not even by its cadence */
    json_object_set_new(j, "group",
                        hidden ? json_null() : json_string(wg_cadence_groups[d->group]));
    json_object_set_new(j, "cadence_days", hidden ? json_null() : json_integer(d->days));
    json_object_set_new(j, "worker", *r->worker ? json_string(r->worker) : json_null());
    return j;
}

struct due_page {
    const struct wg_pii_keys *keys;
    const struct wg_calendar *cal;
    const struct wg_cadence *cad;
    long long now;
    int status; /* 0 all, 1 due, 2 overdue */
    int sensitive, want, taken, read;
    json_t *arr;
    char last_grid[32];
    long long last_id;
    enum wg_rc rc;
    struct wg_err *err;
};

static int due_one(const struct wg_due_row *r, void *ctx)
{
    struct due_page *pg = ctx;
    struct wg_person p;
    struct wg_due d;
    pg->read++;
    snprintf(pg->last_grid, sizeof pg->last_grid, "%s", r->p->grid);
    pg->last_id = r->p->id;
    if (!wg_due_of_row(pg->keys, pg->cal, pg->cad, r, pg->now, &p, &d, &pg->rc, pg->err))
        return pg->rc != WG_OK;
    json_t *j = wg_due_entry(pg->keys, r, &d, pg->sensitive, &pg->rc, pg->err);
    if (!j)
        return 1;
    json_array_append_new(pg->arr, j);
    pg->taken++;
    return pg->taken == pg->want; /* stop once the page is full: the cursor is this row */
}

enum wg_rc wg_visit_due_list(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_calendar *cal, const struct wg_cadence *c,
                             const struct wg_scope *scope, const struct wg_due_query *q,
                             int sensitive, long long now, json_t **out, struct wg_err *err)
{
    char lo[32], hi[33], after_grid[32], today[11];
    long long limit = 50, after_id = 0;
    struct due_page pg = {keys, cal, c, now, 0, sensitive, 0, 0, 0, NULL, "", 0, WG_OK, err};
    enum wg_rc rc;
    if (q->status && *q->status) {
        if (!strcmp(q->status, "due"))
            pg.status = 1;
        else if (!strcmp(q->status, "overdue"))
            pg.status = 2;
        else if (strcmp(q->status, "all"))
            return wg_err_set(err, WG_EINVAL, "'status' must be all, due or overdue");
    }
    if ((rc = wg_param_count(q->limit, "limit", 1, 200, &limit, err)) ||
        (rc = wg_registry_range(scope, q->grid, q->region, lo, hi, err)))
        return rc;
    wg_civil_format_date(wg_cst_day(now), today);
    *out = json_pack("{s:[],s:I,s:s}", "due", "limit", (json_int_t)limit, "today", today);
    if (pg.status) { /* the due and the overdue: from the kept due days, soonest first */
        rc = wg_visit_due_soon(db, keys, cal, c, lo, hi, pg.status, q->cursor, (int)limit,
                               sensitive, now, *out, err);
        if (rc)
            json_decref(*out), *out = NULL;
        return rc;
    }
    if ((rc = wg_registry_cursor(q->cursor, after_grid, &after_id, err))) {
        json_decref(*out), *out = NULL;
        return rc;
    }
    pg.want = (int)limit;
    pg.arr = json_object_get(*out, "due");
    snprintf(pg.last_grid, sizeof pg.last_grid, "%s", after_grid);
    pg.last_id = after_id;
    /* persons without a cadence are read past: pages are read on until this one is full or
     * the range ends */
    int more = 1;
    while (!rc && more && pg.taken < pg.want) {
        pg.read = 0;
        rc = wg_store_visit_due_page(db, lo, hi, pg.last_grid, pg.last_id, 500, due_one, &pg, err);
        if (!rc)
            rc = pg.rc;
        more = pg.read == 500 || (pg.taken == pg.want && pg.read > 0);
        if (pg.taken == pg.want)
            break;
    }
    if (rc) {
        json_decref(*out), *out = NULL;
        return rc;
    }
    json_object_set_new(*out, "next_cursor",
                        pg.taken == pg.want && more
                            ? json_sprintf("%s.%lld", pg.last_grid, pg.last_id)
                            : json_null());
    return WG_OK;
}

/* ---- reminders ---- */

struct overdue {
    long long person, due_at;
    int overdue_days;
    char grid[32], worker[64], day[11];
};

struct remind {
    const struct wg_pii_keys *keys;
    const struct wg_calendar *cal;
    const struct wg_cadence *cad;
    long long now;
    struct overdue *list;
    size_t n, cap;
    int read, sent;
    long long last_at, last_id;
    enum wg_rc rc;
    struct wg_err *err;
};

static int remind_one(const struct wg_due_row *r, void *ctx)
{
    struct remind *m = ctx;
    struct wg_person p;
    struct wg_due d;
    m->read++;
    m->last_at = r->due_at;
    m->last_id = r->p->id;
    if (wg_due_of_row(m->keys, m->cal, m->cad, r, m->now, &p, &d, &m->rc, m->err) && d.overdue) {
        wg_grow(&m->list, &m->cap, m->n, sizeof *m->list, 64);
        struct overdue *o = &m->list[m->n++];
        o->person = p.id;
        o->due_at = d.due_at;
        o->overdue_days = d.overdue_days;
        snprintf(o->grid, sizeof o->grid, "%s", p.grid);
        snprintf(o->worker, sizeof o->worker, "%s", r->worker);
        wg_civil_format_date(d.due_day, o->day);
    }
    return m->rc != WG_OK;
}

/* One page's reminders in one transaction: each overdue visit once (visit_reminder), its
 * notification to the paired worker or the grid's workers. */
static enum wg_rc remind_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct remind *m = ctx;
    enum wg_rc rc = WG_OK;
    m->sent = 0;
    for (size_t i = 0; !rc && i < m->n; i++) {
        struct overdue *o = &m->list[i];
        int added = 0;
        if ((rc = wg_store_visit_reminder_add(db, o->person, o->due_at, m->now, &added, err)) ||
            !added)
            continue;
        char *payload = NULL;
        json_t *j = json_pack("{s:s,s:I,s:s,s:s,s:I,s:i}", "kind", "visit_due", "person",
                              (json_int_t)o->person, "grid", o->grid, "due_date", o->day, "due_at",
                              (json_int_t)o->due_at, "overdue_days", o->overdue_days);
        payload = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        if (o->worker[0])
            rc = wg_notify(db, o->worker, "visit_due", 0, payload, err);
        else
            rc = wg_notify_role_at(db, "gridworker", o->grid, "visit_due", payload, NULL, err);
        free(payload);
        m->sent++;
    }
    return rc;
}

static enum wg_rc purge_tx(struct wg_db *db, void *ctx, struct wg_err *err)
{
    long n = 0;
    return wg_store_visit_reminder_purge(db, *(long long *)ctx - 30 * 86400LL, &n, err);
}

enum wg_rc wg_visit_remind(struct wg_db *db, struct wg_committer *c, const struct wg_pii_keys *keys,
                           const struct wg_calendar *cal, const struct wg_cadence *cad,
                           long long now, int *count, struct wg_err *err)
{
    struct remind m = {keys, cal, cad, now, NULL, 0, 0, 0, 0, 0, 0, WG_OK, err};
    long settled = 0;
    /* the rows marked since the last sweep first: the reminders read the settled */
    enum wg_rc rc = wg_visit_due_settle(db, c, keys, cal, cad, now, &settled, err);
    *count = 0;
    while (!rc) {
        m.read = 0;
        m.n = 0;
        m.sent = 0;
        rc = wg_store_visit_due_soon(db, "", "~", now, m.last_at, m.last_id, 500, remind_one, &m,
                                     err);
        if (!rc)
            rc = m.rc;
        if (!rc && m.n)
            rc = wg_committer_or_db(c, db, remind_tx, &m, err);
        if (!rc)
            *count += m.sent;
        if (m.read < 500)
            break;
    }
    free(m.list);
    if (!rc) /* a month on, the reminders of due days that have moved are of no more use */
        rc = wg_committer_or_db(c, db, purge_tx, &now, err);
    return rc;
}
