/* Reading results (assess.h): a month's list with the grid classes per town and over the
 * whole (the share at B or above against the target), the rankings of workers, units, grids
 * and towns, and the year's 双星双优 shortlist from the frozen results. */
#include "domain/assess/assess.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "store/map/map_q.h"

struct rows {
    const struct wg_actor *actor;
    json_t *list;
};

/* A result's figure value, null when it has none. */
static json_t *fig_value(const json_t *doc, const char *metric)
{
    json_t *v = json_object_get(json_object_get(json_object_get(doc, "figures"), metric), "value");
    return v ? json_incref(v) : json_null();
}

static int on_result(const struct wg_assess_row *r, void *ctx)
{
    struct rows *s = ctx;
    if (!wg_assess_sees(s->actor, r))
        return 0;
    json_t *doc = json_loads(r->items ? r->items : "{}", 0, NULL);
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:f,s:s,s:s,s:I}", "id", (json_int_t)r->id,
                          "kind", r->kind, "period", r->period, "object", r->object, "name",
                          r->name ? r->name : "", "region", r->region, "total", r->total, "class",
                          r->cls, "state", r->state, "version", (json_int_t)r->version);
    if (!strcmp(r->kind, "worker"))
        json_object_set_new(j, "stars", json_integer(wg_assess_stars(r->total)));
    else {
        static const char *const rates[] = {"ontime_rate", "response_rate", "resolution_rate",
                                            "satisfaction_rate"};
        for (int i = 0; i < 4; i++)
            json_object_set_new(j, rates[i], fig_value(doc, rates[i]));
    }
    json_decref(doc);
    json_array_append_new(s->list, j);
    return 0;
}

static enum wg_rc read_rows(struct wg_db *db, const struct wg_actor *actor,
                            const struct wg_assess_range *q, json_t **list, struct wg_err *err)
{
    struct rows s = {actor, json_array()};
    enum wg_rc rc = wg_store_assess_list(db, q, on_result, &s, err);
    if (rc) {
        json_decref(s.list);
        s.list = NULL;
    }
    *list = s.list;
    return rc;
}

/* Grid classes per town and over the whole, against the share aimed at. */
static json_t *summary(struct wg_db *db, const json_t *list, double target)
{
    json_t *towns = json_object(), *out, *r, *t;
    int all[3] = {0, 0, 0};
    size_t i;
    const char *code;
    json_array_foreach(list, i, r)
    {
        const char *cls = json_string_value(json_object_get(r, "class"));
        const char *region = json_string_value(json_object_get(r, "region"));
        char town[10];
        int k = cls[0] == 'A' ? 0 : cls[0] == 'B' ? 1 : 2;
        snprintf(town, sizeof town, "%.9s", region);
        t = json_object_get(towns, town);
        if (!t) {
            t = json_pack("{s:i,s:i,s:i}", "A", 0, "B", 0, "C", 0);
            json_object_set_new(towns, town, t);
        }
        const char *key = k == 0 ? "A" : k == 1 ? "B" : "C";
        json_object_set_new(t, key, json_integer(json_integer_value(json_object_get(t, key)) + 1));
        all[k]++;
    }
    json_t *tl = json_array();
    json_object_foreach(towns, code, t)
    {
        struct wg_region_row reg;
        struct wg_err e = {0};
        long long a = json_integer_value(json_object_get(t, "A")),
                  b = json_integer_value(json_object_get(t, "B")),
                  c = json_integer_value(json_object_get(t, "C"));
        double share = (double)(a + b) / (double)(a + b + c);
        json_t *x = json_pack("{s:s,s:s,s:I,s:I,s:I,s:f,s:b}", "code", code, "name",
                              wg_store_region_get(db, code, &reg, &e) ? code : reg.name, "A",
                              (json_int_t)a, "B", (json_int_t)b, "C", (json_int_t)c,
                              "b_or_above_share", share, "met", share + 1e-9 >= target);
        json_array_append_new(tl, x);
    }
    int n = all[0] + all[1] + all[2];
    double share = n ? (double)(all[0] + all[1]) / n : 0;
    out = json_pack("{s:i,s:i,s:i,s:i,s:o,s:f,s:b,s:o}", "A", all[0], "B", all[1], "C", all[2],
                    "grids", n, "b_or_above_share", n ? json_real(share) : json_null(), "target",
                    target, "met", n && share + 1e-9 >= target, "towns", tl);
    json_decref(towns);
    return out;
}

enum wg_rc wg_assess_list(struct wg_db *db, const struct wg_actor *actor,
                          const struct wg_assess_query *q, long long now, json_t **out,
                          struct wg_err *err)
{
    const char *kind = q->kind && *q->kind ? q->kind : "grid";
    static const char *const states[] = {"draft", "frozen", NULL};
    char lo[32], hi[32];
    int first;
    json_t *list = NULL, *scheme = NULL;
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_assess_kind(kind, "kind", err)))
        return rc;
    if (q->period && *q->period && (rc = wg_assess_period(q->period, "period", now, &first, err)))
        return rc;
    int ok = !q->state || !*q->state;
    for (int i = 0; states[i]; i++)
        ok |= q->state && !strcmp(q->state, states[i]);
    if (!ok)
        return wg_err_set(err, WG_EINVAL, "'state' is draft or frozen");
    if ((rc = wg_assess_range(actor, q->region, lo, hi, err)))
        return rc;
    struct wg_assess_range r = {kind, q->period ? q->period : "", lo,  hi,
                                "",   q->state ? q->state : "",   5000};
    if ((rc = read_rows(db, actor, &r, &list, err)))
        return rc;
    *out = json_pack("{s:s,s:s,s:o}", "kind", kind, "period", q->period ? q->period : "", "results",
                     list);
    if (!strcmp(kind, "grid") && q->period && *q->period &&
        !(rc = wg_assess_scheme_get(db, "grid", &scheme, err))) {
        double target = json_number_value(json_object_get(scheme, "b_share_target"));
        json_object_set_new(*out, "summary", summary(db, list, target > 0 ? target : 0.9));
        json_object_set(*out, "classes", json_object_get(scheme, "classes"));
    }
    json_decref(scheme);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

enum wg_rc wg_assess_rankings(struct wg_db *db, const struct wg_actor *actor, const char *kind,
                              const char *period, long long now, json_t **out, struct wg_err *err)
{
    char lo[32], hi[32];
    int first;
    json_t *list = NULL, *r;
    size_t i;
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_assess_kind(kind, "kind", err)) ||
        (rc = wg_assess_period(period, "period", now, &first, err)) ||
        (rc = wg_assess_range(actor, NULL, lo, hi, err)))
        return rc;
    struct wg_assess_range q = {kind, period, lo, hi, "", "", 5000};
    if ((rc = read_rows(db, actor, &q, &list, err)))
        return rc;
    /* equal totals share a rank (1, 2, 2, 4) */
    double last = -1;
    long long rank = 0;
    json_array_foreach(list, i, r)
    {
        double t = json_number_value(json_object_get(r, "total"));
        if (t != last)
            rank = (long long)i + 1, last = t;
        json_object_set_new(r, "rank", json_integer(rank));
    }
    *out = json_pack("{s:s,s:s,s:o}", "kind", kind, "period", period, "rankings", list);
    return WG_OK;
}

/* ---- the year's shortlist ---- */

struct agg {
    char object[64], name[128], region[20];
    double sum;
    int months, c_months;
};

struct year {
    const struct wg_actor *actor;
    struct agg *v;
    size_t n, cap;
};

static int on_frozen(const struct wg_assess_row *r, void *ctx)
{
    struct year *y = ctx;
    struct agg *a = NULL;
    if (!wg_assess_sees(y->actor, r))
        return 0;
    for (size_t i = 0; i < y->n && !a; i++)
        if (!strcmp(y->v[i].object, r->object) && !strcmp(y->v[i].region, r->region))
            a = &y->v[i];
    if (!a) {
        if (y->n == y->cap) {
            y->cap = y->cap ? y->cap * 2 : 64;
            y->v = wg_realloc(y->v, y->cap * sizeof *y->v);
        }
        a = &y->v[y->n++];
        memset(a, 0, sizeof *a);
        snprintf(a->object, sizeof a->object, "%s", r->object);
        snprintf(a->name, sizeof a->name, "%s", r->name ? r->name : "");
        snprintf(a->region, sizeof a->region, "%s", r->region);
    }
    a->sum += r->total;
    a->months++;
    a->c_months += r->cls[0] == 'C';
    return 0;
}

static int by_average(const void *x, const void *y)
{
    const struct agg *a = x, *b = y;
    double da = a->sum / a->months, db = b->sum / b->months;
    return (db > da) - (db < da);
}

/* The shortlist of a kind: averages at or above the A threshold, no month at C, best first,
 * at most max. */
static enum wg_rc shortlist(struct wg_db *db, const struct wg_actor *actor, const char *kind,
                            const char *year, const char *lo, const char *hi, int max, json_t **out,
                            struct year *keep, struct wg_err *err)
{
    struct year y = {actor, NULL, 0, 0};
    json_t *scheme = NULL;
    struct wg_assess_range q = {kind, "", lo, hi, year, "frozen", 100000};
    enum wg_rc rc = wg_store_assess_list(db, &q, on_frozen, &y, err);
    if (!rc)
        rc = wg_assess_scheme_get(db, kind, &scheme, err);
    *out = json_array();
    if (rc)
        goto out;
    double a = json_number_value(json_object_get(json_object_get(scheme, "classes"), "A"));
    if (y.n)
        qsort(y.v, y.n, sizeof *y.v, by_average);
    for (size_t i = 0; i < y.n && (int)json_array_size(*out) < max; i++) {
        double avg = y.v[i].sum / y.v[i].months;
        if (avg + 1e-9 < a || y.v[i].c_months)
            continue;
        json_t *j = json_pack("{s:s,s:s,s:s,s:i,s:f}", "object", y.v[i].object, "name", y.v[i].name,
                              "region", y.v[i].region, "months", y.v[i].months, "average",
                              (double)(long long)(avg * 10 + 0.5) / 10);
        if (!strcmp(kind, "worker"))
            json_object_set_new(j, "stars", json_integer(wg_assess_stars(avg)));
        json_array_append_new(*out, j);
    }
out:
    json_decref(scheme);
    if (keep)
        *keep = y;
    else
        free(y.v);
    return rc;
}

struct staff {
    json_t *list, *towns;
};

static int on_staff(const char *user, const char *town, void *ctx)
{
    struct staff *s = ctx;
    json_t *t = json_object_get(s->towns, town);
    if (t)
        json_array_append_new(s->list, json_pack("{s:s,s:s,s:O,s:O}", "object", user, "region",
                                                 town, "town_name", json_object_get(t, "name"),
                                                 "average", json_object_get(t, "average")));
    return 0;
}

enum wg_rc wg_assess_awards(struct wg_db *db, const struct wg_actor *actor, const char *year,
                            long long now, json_t **out, struct wg_err *err)
{
    char lo[32], hi[32];
    json_t *centres = NULL, *grids = NULL, *workers = NULL, *t;
    struct staff s = {json_array(), json_object()};
    size_t i;
    enum wg_rc rc;
    *out = NULL;
    (void)now;
    if (!year || strlen(year) != 4 || strspn(year, "0123456789") != 4)
        return wg_err_set(err, WG_EINVAL, "'year' is required: a year YYYY");
    if ((rc = wg_assess_range(actor, NULL, lo, hi, err)) ||
        (rc = shortlist(db, actor, "town", year, lo, hi, 5, &centres, NULL, err)) ||
        (rc = shortlist(db, actor, "grid", year, lo, hi, 20, &grids, NULL, err)) ||
        (rc = shortlist(db, actor, "worker", year, lo, hi, 20, &workers, NULL, err)))
        goto out;
    json_array_foreach(centres, i, t)
        json_object_set(s.towns, json_string_value(json_object_get(t, "object")), t);
    if (!(rc = wg_store_assess_town_staff(db, lo, hi, on_staff, &s, err)))
        *out = json_pack("{s:s,s:[{s:s,s:s,s:O},{s:s,s:s,s:O},{s:s,s:s,s:O},{s:s,s:s,s:O}]}",
                         "year", year, "awards", "award", "星级网格中心", "kind", "town",
                         "shortlist", centres, "award", "星级网格", "kind", "grid", "shortlist",
                         grids, "award", "优秀网格中心干部", "kind", "staff", "shortlist", s.list,
                         "award", "优秀网格员", "kind", "worker", "shortlist", workers);
out:
    json_decref(centres);
    json_decref(grids);
    json_decref(workers);
    json_decref(s.list);
    json_decref(s.towns);
    return rc;
}
