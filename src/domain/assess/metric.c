/* The computed figures of assessment (assess.h): a month's records — orders taken in by grid
 * workers, self-handled orders, visits and the persons still due one, patrols, the registry's
 * persons and houses, dispute cases, the order indicators' counters — read once per run over
 * the scope, gathered per grid, per town, per worker and per unit, and turned into each
 * object's figure with the ids of the records behind it. */
#include "domain/assess/assess.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"

#define K_GRID   1u
#define K_WORKER 2u
#define K_UNIT   4u
#define K_TOWN   8u
#define K_PLACE  (K_GRID | K_WORKER | K_TOWN)

const struct wg_assess_metric wg_assess_metrics[] = {
    {"findings", "有效发现上报", 0, K_PLACE,
     "orders taken in by grid workers (channel gridworker: their visits' and patrols' findings) "
     "in the month, not found invalid or merged; a worker's are those they took in"},
    {"self_handled", "网格自办", 0, K_PLACE,
     "orders of the month self-handled by a grid worker (就地办结), by the grid they lie in"},
    {"visit_rate", "走访完成率", 1, K_PLACE,
     "persons visited in the month / (those + persons of the grid still due a visit by the "
     "month's end, registry visit_due)"},
    {"patrol_coverage", "巡查覆盖率", 1, K_PLACE,
     "days with a patrol in the month / working days of the month (to today for this month)"},
    {"registry_completeness", "基础信息完整率", 1, K_PLACE,
     "persons with phone, birth date, residence and household, and houses with their use, / "
     "all persons and houses of the grid"},
    {"dispute_success", "调解成功率", 1, K_PLACE,
     "dispute cases of the month agreed / those concluded (agreed or referred; refused not "
     "counted)"},
    {"dispute_local", "就地化解率", 1, K_PLACE,
     "cases of the month agreed at grid, village or town level / those concluded"},
    {"response_rate", "响应率", 1, K_PLACE | K_UNIT,
     "dispatches whose unit contacted the reporter by the next working day's close / those "
     "owing a contact (domain/stats)"},
    {"resolution_rate", "解决率", 1, K_PLACE | K_UNIT, "callbacks saying resolved / callbacks"},
    {"satisfaction_rate", "满意率", 1, K_PLACE | K_UNIT,
     "callbacks satisfied or basically satisfied / callbacks"},
    {"ontime_rate", "按期办结率", 1, K_PLACE | K_UNIT,
     "orders first replied by their deadline / orders due in the month (finished + pending "
     "due)"},
    {NULL, NULL, 0, 0, NULL},
};

const struct wg_assess_metric *wg_assess_metric_find(const char *name)
{
    for (const struct wg_assess_metric *m = wg_assess_metrics; name && m->name; m++)
        if (!strcmp(m->name, name))
            return m;
    return NULL;
}

enum { S_FIND, S_SELF, S_VISIT, S_PATROL, S_CASE, S_N };
static const char *const src_names[S_N] = {"orders", "orders", "visits", "patrols", "disputes"};

struct fig {
    char key[64];
    int used;
    long long findings, self, visits, due, reg, reg_ok, patrols, metres;
    uint32_t days;
    long long cases, concluded, agreed, local;
    long long st[8];
    long long ids[S_N][WG_ASSESS_LINKS];
    int nids[S_N];
    long long *subj;
    size_t nsubj, cap;
};

struct map {
    struct fig *v;
    size_t cap, n;
};

struct wg_assess_figs {
    struct map g, t, w, u; /* by grid, town, worker, unit */
    int first, last, workdays;
    char kind[8];
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static struct fig *find(const struct map *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->v[i].used)
            return NULL;
        if (!strcmp(m->v[i].key, key))
            return &m->v[i];
    }
}

static struct fig *get(struct map *m, const char *key)
{
    struct fig *f = find(m, key);
    if (f)
        return f;
    if ((m->n + 1) * 2 > m->cap) {
        struct map bigger = {wg_calloc(m->cap ? m->cap * 2 : 64, sizeof(struct fig)),
                             m->cap ? m->cap * 2 : 64, 0};
        for (size_t i = 0; i < m->cap; i++)
            if (m->v[i].used) {
                size_t j = hash(m->v[i].key) & (bigger.cap - 1);
                while (bigger.v[j].used)
                    j = (j + 1) & (bigger.cap - 1);
                bigger.v[j] = m->v[i];
                bigger.n++;
            }
        free(m->v);
        *m = bigger;
    }
    size_t i = hash(key) & (m->cap - 1);
    while (m->v[i].used)
        i = (i + 1) & (m->cap - 1);
    f = &m->v[i];
    f->used = 1;
    snprintf(f->key, sizeof f->key, "%s", key);
    m->n++;
    return f;
}

static void map_free(struct map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->v[i].subj);
    free(m->v);
}

void wg_assess_figs_free(struct wg_assess_figs *f)
{
    if (!f)
        return;
    map_free(&f->g);
    map_free(&f->t);
    map_free(&f->w);
    map_free(&f->u);
    free(f);
}

/* The maps a record of a grid (and a person, when who is not "") counts in. */
static int places(struct wg_assess_figs *f, const char *grid, const char *who, struct fig *out[3])
{
    char g[16], t[10];
    int n = 0;
    if (strlen(grid) >= 15) {
        snprintf(g, sizeof g, "%.15s", grid);
        out[n++] = get(&f->g, g);
    }
    if (strlen(grid) >= 9) {
        snprintf(t, sizeof t, "%.9s", grid);
        out[n++] = get(&f->t, t);
    }
    if (who && *who)
        out[n++] = get(&f->w, who);
    return n;
}

static void link(struct fig *x, int src, long long id)
{
    if (x->nids[src] < WG_ASSESS_LINKS)
        x->ids[src][x->nids[src]++] = id;
}

static int on_find(const struct wg_assess_rec *r, void *ctx)
{
    struct fig *p[3];
    int n = places(ctx, r->grid, r->who, p);
    for (int i = 0; i < n; i++)
        p[i]->findings++, link(p[i], S_FIND, r->id);
    return 0;
}

static int on_self(const struct wg_assess_rec *r, void *ctx)
{
    struct fig *p[3];
    int n = places(ctx, r->grid, r->who, p);
    for (int i = 0; i < n; i++)
        p[i]->self++, link(p[i], S_SELF, r->id);
    return 0;
}

static int on_visit(const struct wg_assess_rec *r, void *ctx)
{
    struct fig *p[3];
    int n = places(ctx, r->grid, r->who, p);
    for (int i = 0; i < n; i++) {
        p[i]->visits++, link(p[i], S_VISIT, r->id);
        if (!r->b)
            continue; /* a household's or an organization's visit: no person of its own */
        if (p[i]->nsubj == p[i]->cap) {
            p[i]->cap = p[i]->cap ? p[i]->cap * 2 : 16;
            p[i]->subj = wg_realloc(p[i]->subj, p[i]->cap * sizeof *p[i]->subj);
        }
        p[i]->subj[p[i]->nsubj++] = r->a;
    }
    return 0;
}

static int on_patrol(const struct wg_assess_rec *r, void *ctx)
{
    struct wg_assess_figs *f = ctx;
    struct fig *p[3];
    int n = places(f, r->grid, r->who, p), d = wg_cst_day(r->a) - f->first;
    for (int i = 0; i < n; i++) {
        p[i]->patrols++, p[i]->metres += r->b, link(p[i], S_PATROL, r->id);
        if (d >= 0 && d < 32)
            p[i]->days |= 1u << d;
    }
    return 0;
}

static int on_case(const struct wg_assess_rec *r, void *ctx)
{
    struct fig *p[3];
    int n = places(ctx, r->grid, "", p);
    int concluded = !r->b && *r->who, agreed = r->a > 0;
    int local = agreed &&
                (!strcmp(r->who, "grid") || !strcmp(r->who, "village") || !strcmp(r->who, "town"));
    for (int i = 0; i < n; i++) {
        p[i]->cases++, link(p[i], S_CASE, r->id);
        p[i]->concluded += concluded, p[i]->agreed += agreed && concluded;
        p[i]->local += local && concluded;
    }
    return 0;
}

static int on_due(const struct wg_assess_rec *r, void *ctx)
{
    struct fig *p[3];
    int n = places(ctx, r->grid, "", p);
    for (int i = 0; i < n; i++)
        p[i]->due += r->id;
    return 0;
}

static int on_registry(const struct wg_assess_rec *r, void *ctx)
{
    struct fig *p[3];
    int n = places(ctx, r->grid, "", p);
    for (int i = 0; i < n; i++)
        p[i]->reg += r->id, p[i]->reg_ok += r->a;
    return 0;
}

static int on_stat(const char *leaf, const char *unit, const long long c[8], void *ctx)
{
    struct wg_assess_figs *f = ctx;
    struct fig *p[3];
    int n = places(f, leaf ? leaf : "", "", p);
    if (unit && *unit)
        p[n++] = get(&f->u, unit);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 8; k++)
            p[i]->st[k] += c[k];
    return 0;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* Each worker's and place's visited persons counted once. */
static void distinct(struct map *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        struct fig *x = &m->v[i];
        if (!x->used || !x->nsubj)
            continue;
        qsort(x->subj, x->nsubj, sizeof *x->subj, cmp_ll);
        size_t k = 1;
        for (size_t j = 1; j < x->nsubj; j++)
            if (x->subj[j] != x->subj[k - 1])
                x->subj[k++] = x->subj[j];
        x->nsubj = k;
    }
}

static int workdays(const struct wg_calendar *cal, int first, int last)
{
    int n = 0;
    for (int d = first; d <= last; d++) {
        int y, m, dd;
        wg_civil_date(d, &y, &m, &dd);
        n += cal ? wg_calendar_is_workday_lenient(cal, y, m, dd) == 1
                 : (wg_civil_weekday(d) != 0 && wg_civil_weekday(d) != 6);
    }
    return n;
}

enum wg_rc wg_assess_figs_new(struct wg_db *db, const struct wg_calendar *cal, const char *kind,
                              const char *lo, const char *hi, int first, long long now,
                              struct wg_assess_figs **out, struct wg_err *err)
{
    struct wg_assess_figs *f = wg_calloc(1, sizeof *f);
    long long from = wg_cst_midnight(first);
    int last = wg_civil_month_end(first), today = wg_cst_day(now);
    long long to = wg_cst_midnight(last + 1);
    enum wg_rc rc;
    *out = NULL;
    f->first = first;
    f->last = last;
    f->workdays = workdays(cal, first, last < today ? last : today);
    snprintf(f->kind, sizeof f->kind, "%s", kind);
    if ((rc = wg_store_assess_records(db, WG_ASSESS_FINDINGS, from, to, lo, hi, on_find, f, err)) ||
        (rc = wg_store_assess_records(db, WG_ASSESS_SELF, from, to, lo, hi, on_self, f, err)) ||
        (rc = wg_store_assess_records(db, WG_ASSESS_VISITS, from, to, lo, hi, on_visit, f, err)) ||
        (rc =
             wg_store_assess_records(db, WG_ASSESS_PATROLS, from, to, lo, hi, on_patrol, f, err)) ||
        (rc = wg_store_assess_records(db, WG_ASSESS_DISPUTES, from, to, lo, hi, on_case, f, err)) ||
        (rc = wg_store_assess_due(db, last, lo, hi, on_due, f, err)) ||
        (rc = wg_store_assess_registry(db, lo, hi, on_registry, f, err)) ||
        (rc = wg_store_assess_stats(db, first, last, lo, hi, on_stat, f, err))) {
        wg_assess_figs_free(f);
        return rc;
    }
    distinct(&f->g);
    distinct(&f->t);
    distinct(&f->w);
    *out = f;
    return WG_OK;
}

/* The place figures of a region that is not a grid or town: the grids under it summed. */
static void sum_prefix(const struct map *m, const char *prefix, struct fig *acc)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < m->cap; i++) {
        const struct fig *x = &m->v[i];
        if (!x->used || strncmp(x->key, prefix, n))
            continue;
        acc->findings += x->findings, acc->self += x->self, acc->visits += x->visits;
        acc->due += x->due, acc->reg += x->reg, acc->reg_ok += x->reg_ok;
        acc->patrols += x->patrols, acc->metres += x->metres, acc->days |= x->days;
        acc->cases += x->cases, acc->concluded += x->concluded, acc->agreed += x->agreed;
        acc->local += x->local;
        acc->nsubj += x->nsubj;
        for (int k = 0; k < 8; k++)
            acc->st[k] += x->st[k];
        for (int s = 0; s < S_N; s++)
            for (int j = 0; j < x->nids[s]; j++)
                link(acc, s, x->ids[s][j]);
    }
}

static json_t *ids_of(const struct fig *x, int src)
{
    json_t *a = json_array();
    for (int i = 0; x && i < x->nids[src]; i++)
        json_array_append_new(a, json_integer(x->ids[src][i]));
    return a;
}

static json_t *figure(const char *metric, const char *label, long long num, long long den, int rate,
                      const struct fig *recs, int src, const char *url, const char *detail)
{
    json_t *j = json_object();
    json_object_set_new(j, "metric", json_string(metric));
    json_object_set_new(j, "label", json_string(label));
    json_object_set_new(j, "num", json_integer(num));
    json_object_set_new(j, rate ? "den" : "count", rate ? json_integer(den) : json_integer(num));
    json_object_set_new(j, "value",
                        rate ? (den > 0 ? json_real((double)num / (double)den) : json_null())
                             : json_integer(num));
    if (src >= 0) {
        json_object_set_new(j, "records", json_string(src_names[src]));
        json_object_set_new(j, "ids", ids_of(recs, src));
    }
    json_object_set_new(j, "url", json_string(url));
    json_object_set_new(j, "detail", json_string(detail));
    return j;
}

json_t *wg_assess_figure(const struct wg_assess_figs *f, const char *key, const char *region,
                         const char *metric)
{
    const struct wg_assess_metric *m = wg_assess_metric_find(metric);
    struct fig sum, *place = NULL, *own = NULL;
    const char *where = *region ? region : key;
    char url[160], detail[200];
    memset(&sum, 0, sizeof sum);
    if (!m)
        return NULL;
    if (!strcmp(f->kind, "grid"))
        place = find(&f->g, key);
    else if (!strcmp(f->kind, "town"))
        place = find(&f->t, key);
    else if (!strcmp(f->kind, "unit"))
        place = find(&f->u, key);
    else { /* a worker: their own records, and their grid's for the place's figures */
        own = find(&f->w, key);
        sum_prefix(&f->g, region, &sum);
        place = &sum;
    }
    const struct fig *mine = own ? own : place;
    static const struct fig zero;
    if (!place)
        place = (struct fig *)&zero;
    if (!mine)
        mine = &zero;
    detail[0] = 0;
    if (!strcmp(metric, "findings")) {
        snprintf(url, sizeof url, "/orders?channel=gridworker&grid=%s", where);
        return figure(metric, m->label, mine->findings, 0, 0, mine, S_FIND, url, detail);
    }
    if (!strcmp(metric, "self_handled")) {
        snprintf(url, sizeof url, "/orders?grid=%s", where);
        return figure(metric, m->label, mine->self, 0, 0, mine, S_SELF, url, detail);
    }
    if (!strcmp(metric, "visit_rate")) {
        long long done = (long long)mine->nsubj;
        snprintf(url, sizeof url, "/registry?tab=visits&grid=%s", where);
        snprintf(detail, sizeof detail, "走访 %lld 次，%lld 人；月末仍待走访 %lld 人", mine->visits,
                 done, place->due);
        return figure(metric, m->label, done, done + place->due, 1, mine, S_VISIT, url, detail);
    }
    if (!strcmp(metric, "patrol_coverage")) {
        long long days = __builtin_popcount(mine->days);
        snprintf(url, sizeof url, "/registry?tab=patrols&grid=%s", where);
        if (mine->metres > 0)
            snprintf(detail, sizeof detail, "巡查 %lld 次，%lld 天，%.1f 公里；工作日 %d 天",
                     mine->patrols, days, mine->metres / 1000.0, f->workdays);
        else
            snprintf(detail, sizeof detail, "巡查 %lld 次，%lld 天；工作日 %d 天", mine->patrols,
                     days, f->workdays);
        return figure(metric, m->label, days < f->workdays ? days : f->workdays, f->workdays, 1,
                      mine, S_PATROL, url, detail);
    }
    if (!strcmp(metric, "registry_completeness")) {
        snprintf(url, sizeof url, "/registry?grid=%s", where);
        return figure(metric, m->label, place->reg_ok, place->reg, 1, NULL, -1, url, detail);
    }
    if (!strcmp(metric, "dispute_success") || !strcmp(metric, "dispute_local")) {
        snprintf(url, sizeof url, "/disputes?region=%s", where);
        snprintf(detail, sizeof detail,
                 "本月受理 %lld 件，办结 %lld 件，调解成功 %lld 件，就地化解 %lld 件", place->cases,
                 place->concluded, place->agreed, place->local);
        return figure(metric, m->label,
                      !strcmp(metric, "dispute_success") ? place->agreed : place->local,
                      place->concluded, 1, place, S_CASE, url, detail);
    }
    if (!strcmp(f->kind, "unit"))
        snprintf(url, sizeof url, "/orders?unit=%s", key);
    else
        snprintf(url, sizeof url, "/dashboard?region=%s", where);
    const long long *c = place->st;
    if (!strcmp(metric, "response_rate"))
        return figure(metric, m->label, c[1], c[0], 1, NULL, -1, url, detail);
    if (!strcmp(metric, "resolution_rate"))
        return figure(metric, m->label, c[4], c[2], 1, NULL, -1, url, detail);
    if (!strcmp(metric, "satisfaction_rate"))
        return figure(metric, m->label, c[3], c[2], 1, NULL, -1, url, detail);
    snprintf(detail, sizeof detail, "应办结 %lld 件，按期办结 %lld 件", c[5] + c[7], c[6]);
    return figure(metric, m->label, c[6], c[5] + c[7], 1, NULL, -1, url, detail);
}
