/* The indicators' answers: scope and period parsing, the engine that sums counters from the
 * roll-ups or the cells, and the JSON of each answer (stats_query.h). */
#include "domain/stats/stats_query.h"
#include "core/alloc.h"

#include "domain/orders/order.h"
#include "core/civil.h"
#include "core/param.h"

#include <ctype.h>
#include <stdlib.h>

#include "domain/map/region.h"
#include "store/catalog/catalog_q.h"
#include "store/map/map_q.h"
#include "store/stats/stats_q.h"

#define MAX_SPAN 3660

/* ---- groups ---- */

static size_t ghash(int bucket, const char *key)
{
    uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)(unsigned)bucket;
    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 0x100000001b3ull;
    return (size_t)(h ^ h >> 29);
}

void wg_stats_groups_release(struct wg_stats_groups *g)
{
    free(g->v);
    free(g->ix);
    memset(g, 0, sizeof *g);
}

const struct wg_stats_group *wg_stats_groups_find(const struct wg_stats_groups *g, int bucket,
                                                  const char *key)
{
    if (!g->ixcap)
        return NULL;
    for (size_t i = ghash(bucket, key) & (g->ixcap - 1);; i = (i + 1) & (g->ixcap - 1)) {
        if (!g->ix[i])
            return NULL;
        const struct wg_stats_group *x = &g->v[g->ix[i] - 1];
        if (x->bucket == bucket && !strcmp(x->key, key))
            return x;
    }
}

static struct wg_stats_group *group(struct wg_stats_groups *g, int bucket, const char *key)
{
    struct wg_stats_group *x = (struct wg_stats_group *)wg_stats_groups_find(g, bucket, key);
    if (x)
        return x;
    if ((g->n + 1) * 2 > g->ixcap) {
        size_t cap = g->ixcap ? g->ixcap * 2 : 64;
        int *ix = wg_calloc(cap, sizeof *ix);
        for (size_t k = 0; k < g->n; k++) {
            size_t i = ghash(g->v[k].bucket, g->v[k].key) & (cap - 1);
            while (ix[i])
                i = (i + 1) & (cap - 1);
            ix[i] = (int)k + 1;
        }
        free(g->ix);
        g->ix = ix;
        g->ixcap = cap;
    }
    wg_grow(&g->v, &g->cap, g->n, sizeof *g->v, 32);
    x = &g->v[g->n];
    size_t len = strlen(key);
    if (len >= sizeof x->key)
        len = sizeof x->key - 1;
    memset(x->c, 0, sizeof x->c);
    memcpy(x->key, key, len);
    x->key[len] = 0;
    x->bucket = bucket;
    size_t i = ghash(bucket, key) & (g->ixcap - 1);
    while (g->ix[i])
        i = (i + 1) & (g->ixcap - 1);
    g->ix[i] = (int)++g->n;
    return x;
}

static void add_to(struct wg_stats_groups *g, int bucket, const char *key, const long long *c)
{
    struct wg_stats_group *x = group(g, bucket, key);
    for (int i = 0; i < WG_SC_COUNT; i++)
        x->c[i] += c[i];
}

static int bucket_of(const int *starts, int nb, int day)
{
    int lo = 0, hi = nb - 1;
    if (!starts)
        return 0;
    while (lo < hi) { /* the last start <= day */
        int mid = (lo + hi + 1) / 2;
        if (starts[mid] <= day)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* ---- the cells' way ---- */

struct cell_walk {
    struct wg_stats_groups *out;
    enum wg_stats_by by;
    int child_len;
    const int *starts;
    int nb;
};

static int on_cell(const struct wg_stat_cell *c, void *ctx)
{
    struct cell_walk *w = ctx;
    char key[64] = "";
    switch (w->by) {
    case WG_BY_NONE:
        break;
    case WG_BY_CHILD:
        /* an order without a point counts in its county, in none of its towns */
        if (strlen(c->leaf) < (size_t)w->child_len)
            return 0;
        snprintf(key, sizeof key, "%.*s", w->child_len, c->leaf);
        break;
    case WG_BY_GRID:
        if (strlen(c->leaf) < WG_CODE_LEN_GRID)
            return 0;
        snprintf(key, sizeof key, "%s", c->leaf);
        break;
    case WG_BY_ITEM:
        snprintf(key, sizeof key, "%s", c->item);
        break;
    case WG_BY_UNIT:
        snprintf(key, sizeof key, "%s", c->unit);
        break;
    case WG_BY_CHANNEL:
        snprintf(key, sizeof key, "%s", c->channel);
        break;
    }
    add_to(w->out, bucket_of(w->starts, w->nb, c->day), key, c->c);
    return 0;
}

/* ---- the roll-ups' way ---- */

struct cube_walk {
    struct wg_stats_cube *cube;
    const struct wg_stat_filter *f;
    struct wg_stats_groups *out;
    enum wg_cube_view view;
    enum wg_stats_by by;
    int from, to;
    const int *starts;
    int nb;
};

/* Sums a key over [from, to] by buckets into the group named key. */
static void sum_key(struct cube_walk *w, int key, const char *name)
{
    for (int b = 0; b < (w->starts ? w->nb : 1); b++) {
        long long c[WG_SC_COUNT] = {0};
        int a = w->starts ? (w->starts[b] > w->from ? w->starts[b] : w->from) : w->from;
        int z = w->starts && b + 1 < w->nb ? w->starts[b + 1] - 1 : w->to;
        if (z > w->to)
            z = w->to;
        if (a > z)
            continue;
        wg_stats_cube_sum(w->cube, key, a, z, c);
        add_to(w->out, b, name, c);
    }
}

static void on_dim(int key, const char *value, void *ctx)
{
    struct cube_walk *w = ctx;
    const char *want = w->view == WG_CUBE_RI   ? w->f->item
                       : w->view == WG_CUBE_RU ? w->f->unit
                                               : w->f->channel;
    if (want && *want &&
        (w->view == WG_CUBE_RI ? strncmp(value, want, strlen(want)) : strcmp(value, want)))
        return;
    sum_key(w, key, w->by == WG_BY_NONE ? "" : value);
}

static void each_county(struct wg_stats_cube *cube, int node, struct cube_walk *w);

static void on_child_county(int child, void *ctx)
{
    struct cube_walk *w = ctx;
    each_county(w->cube, child, w);
}

static void each_county(struct wg_stats_cube *cube, int node, struct cube_walk *w)
{
    size_t len = strlen(wg_stats_cube_node_code(cube, node));
    if (len == WG_CODE_LEN_COUNTY)
        wg_stats_cube_dims(cube, w->view, node, on_dim, w);
    else if (len < WG_CODE_LEN_COUNTY)
        wg_stats_cube_children(cube, node, on_child_county, w);
}

static void on_child_region(int child, void *ctx)
{
    struct cube_walk *w = ctx;
    int key = wg_stats_cube_region_key(w->cube, child);
    if (key >= 0)
        sum_key(w, key, wg_stats_cube_node_code(w->cube, child));
}

static int nonempty(const char *s)
{
    return s && *s;
}

/* Which roll-up answers, or -1 when the cells must. */
static int cube_view(const struct wg_stat_filter *f, enum wg_stats_by by)
{
    size_t len = strlen(f->leaf ? f->leaf : "");
    int extra = nonempty(f->unit) + nonempty(f->item) + nonempty(f->channel);
    if (len > WG_CODE_LEN_TOWN || (len && wg_level_of_len(len) == WG_LEVEL_NONE))
        return -1; /* the roll-ups go down to towns */
    if (!extra && by == WG_BY_NONE)
        return WG_CUBE_R;
    if (!extra && by == WG_BY_CHILD && len <= WG_CODE_LEN_COUNTY)
        return WG_CUBE_R;
    if (len > WG_CODE_LEN_COUNTY || extra > 1 || by == WG_BY_CHILD || by == WG_BY_GRID)
        return -1;
    enum wg_cube_view want = by == WG_BY_ITEM      ? WG_CUBE_RI
                             : by == WG_BY_UNIT    ? WG_CUBE_RU
                             : by == WG_BY_CHANNEL ? WG_CUBE_RC
                             : nonempty(f->item)   ? WG_CUBE_RI
                             : nonempty(f->unit)   ? WG_CUBE_RU
                                                   : WG_CUBE_RC;
    if ((nonempty(f->item) && want != WG_CUBE_RI) || (nonempty(f->unit) && want != WG_CUBE_RU) ||
        (nonempty(f->channel) && want != WG_CUBE_RC))
        return -1;
    return (int)want;
}

enum wg_rc wg_stats_collect(const struct wg_stats_env *env, const struct wg_stat_filter *f,
                            int from, int to, enum wg_stats_by by, int child_len, const int *starts,
                            int nb, int cells_only, struct wg_stats_groups *out, struct wg_err *err)
{
    int view = cube_view(f, by);
    if (env->cube && !cells_only && view >= 0) {
        enum wg_rc rc = wg_stats_cube_refresh(env->cube, env->db, err);
        if (rc)
            return rc;
        struct cube_walk w = {env->cube, f, out, (enum wg_cube_view)view, by, from, to, starts, nb};
        wg_stats_cube_rdlock(env->cube);
        int node = wg_stats_cube_node(env->cube, f->leaf ? f->leaf : "");
        if (node >= 0) {
            if (view == WG_CUBE_R && by == WG_BY_CHILD)
                wg_stats_cube_children(env->cube, node, on_child_region, &w);
            else if (view == WG_CUBE_R && wg_stats_cube_region_key(env->cube, node) >= 0)
                sum_key(&w, wg_stats_cube_region_key(env->cube, node), "");
            else if (view != WG_CUBE_R)
                each_county(env->cube, node, &w);
        }
        wg_stats_cube_unlock(env->cube);
        (void)child_len;
        return WG_OK;
    }
    struct wg_stat_filter g = *f;
    struct cell_walk w = {out, by, child_len, starts, nb};
    g.from = from;
    g.to = to;
    return wg_store_stat_cells(env->db, &g, on_cell, &w, err);
}

/* ---- scope and period ---- */

struct scope {
    char kind[8], id[64], name[192];
    char leaf[32], unit[64], item[16], channel[16];
    struct wg_stat_filter f;
};

static enum wg_rc not_found(struct wg_err *err, const char *what, const char *id)
{
    return wg_err_set(err, WG_ENOTFOUND, "%s '%s' does not exist", what, id);
}

static int region_actor(const struct wg_actor *a)
{
    return !wg_scope_is_unit(&a->scope);
}

static enum wg_rc parse_scope(const struct wg_stats_env *env, const struct wg_actor *actor,
                              const char *text, struct scope *s, struct wg_err *err)
{
    char deflt[64];
    const char *colon, *id;
    enum wg_rc rc;
    memset(s, 0, sizeof *s);
    if (!text || !*text) {
        if (region_actor(actor))
            snprintf(deflt, sizeof deflt, "region:%s",
                     actor->scope.code[0] ? actor->scope.code : "all");
        else
            snprintf(deflt, sizeof deflt, "unit:%s", actor->scope.code);
        text = deflt;
    }
    colon = strchr(text, ':');
    id = colon ? colon + 1 : "";
    if (!colon || !*id || strlen(id) >= sizeof s->id)
        return wg_err_set(err, WG_EINVAL,
                          "'scope' must be region:<code>, grid:<code>, "
                          "unit:<id>, item:<catalog code> or channel:<name>, "
                          "not '%.60s'",
                          text);
    snprintf(s->kind, sizeof s->kind, "%.*s", (int)(colon - text < 7 ? colon - text : 7), text);
    snprintf(s->id, sizeof s->id, "%s", id);
    /* the caller's own limits: a region's subtree, or a unit's work */
    if (region_actor(actor))
        snprintf(s->leaf, sizeof s->leaf, "%s", actor->scope.code);
    else
        snprintf(s->unit, sizeof s->unit, "%s", actor->scope.code);
    if (!strcmp(s->kind, "region") || !strcmp(s->kind, "grid")) {
        int grid = !strcmp(s->kind, "grid");
        if (!strcmp(s->kind, "region") && !strcmp(id, "all")) {
            if (!region_actor(actor) || actor->scope.code[0])
                return not_found(err, "region", id);
            snprintf(s->name, sizeof s->name, "全部");
            return WG_OK;
        }
        enum wg_level lvl = wg_region_level(id, NULL);
        if (grid ? lvl != WG_LEVEL_GRID && lvl != WG_LEVEL_MICRO
                 : lvl < WG_LEVEL_PROVINCE || lvl > WG_LEVEL_VILLAGE)
            return wg_err_set(err, WG_EINVAL, "'scope': '%s' is not a %s code", id,
                              grid ? "grid (15 or 18 digits)" : "region (2 to 12 digits)");
        if (!region_actor(actor) || strncmp(id, actor->scope.code, strlen(actor->scope.code)))
            return not_found(err, s->kind, id); /* outside: as if it did not exist */
        if (grid) {
            struct wg_grid_row g;
            if ((rc = wg_store_grid_current(env->db, id, &g, NULL, err)))
                return rc == WG_ENOTFOUND ? not_found(err, "grid", id) : rc;
            snprintf(s->name, sizeof s->name, "%s", g.name);
        } else {
            struct wg_region_row r;
            if ((rc = wg_store_region_get(env->db, id, &r, err)))
                return rc;
            snprintf(s->name, sizeof s->name, "%s", r.name);
        }
        snprintf(s->leaf, sizeof s->leaf, "%s", id);
    } else if (!strcmp(s->kind, "unit")) {
        struct wg_unit_row u;
        if (!region_actor(actor) && strcmp(id, actor->scope.code))
            return not_found(err, "unit", id);
        if ((rc = wg_store_unit_get(env->db, id, &u, err)))
            return rc == WG_ENOTFOUND ? not_found(err, "unit", id) : rc;
        snprintf(s->unit, sizeof s->unit, "%s", id);
        snprintf(s->name, sizeof s->name, "%s", u.name);
    } else if (!strcmp(s->kind, "item")) {
        const struct wg_catalog_item *it = env->catalog ? wg_catalog_find(env->catalog, id) : NULL;
        if (!it || strlen(id) >= sizeof s->item)
            return not_found(err, "catalog item", id);
        snprintf(s->item, sizeof s->item, "%s", id);
        snprintf(s->name, sizeof s->name, "%s", it->name);
    } else if (!strcmp(s->kind, "channel")) {
        int ok = 0;
        for (const char *const *c = wg_order_channels; *c; c++)
            ok |= !strcmp(*c, id);
        if (!ok)
            return wg_err_set(err, WG_EINVAL, "'scope': '%s' is not a channel", id);
        snprintf(s->channel, sizeof s->channel, "%s", id);
        snprintf(s->name, sizeof s->name, "%s", id);
    } else {
        return wg_err_set(err, WG_EINVAL,
                          "'scope' must be region:<code>, grid:<code>, "
                          "unit:<id>, item:<catalog code> or channel:<name>, "
                          "not '%.60s'",
                          text);
    }
    return WG_OK;
}

static void scope_filter(struct scope *s)
{
    s->f.leaf = s->leaf;
    s->f.unit = s->unit;
    s->f.item = s->item;
    s->f.channel = s->channel;
}

static json_t *scope_json(const struct scope *s)
{
    return json_pack("{s:s,s:s,s:s}", "kind", s->kind, "id", s->id, "name", s->name);
}

static enum wg_rc parse_period(const struct wg_stats_env *env, const struct wg_stats_query *q,
                               int *from, int *to, struct wg_err *err)
{
    int today = wg_cst_day(env->now);
    *to = q->to ? wg_civil_parse_date(q->to) : today;
    if (*to < 0)
        return wg_err_set(err, WG_EINVAL, "'to' must be a date YYYY-MM-DD, not '%.20s'", q->to);
    *from = q->from ? wg_civil_parse_date(q->from) : *to - 29;
    if (*from < 0)
        return wg_err_set(err, WG_EINVAL, "'from' must be a date YYYY-MM-DD, not '%.20s'", q->from);
    if (*from > *to)
        return wg_err_set(err, WG_EINVAL, "'from' (%s) is after 'to' (%s)", q->from,
                          q->to ? q->to : "today");
    if (*to - *from + 1 > MAX_SPAN)
        return wg_err_set(err, WG_EINVAL, "the period is %d days; at most %d are answered",
                          *to - *from + 1, MAX_SPAN);
    return WG_OK;
}

enum wg_rc wg_stats_period(const struct wg_stats_env *env, const struct wg_stats_query *q,
                           int *from, int *to, struct wg_err *err)
{
    return parse_period(env, q, from, to, err);
}

/* ---- sums with the snapshot and overdue parts ---- */

/* The pending deadlines of the period that lie today or later (not yet missed), grouped like
 * the main sums. */
struct extras {
    struct wg_stats_groups ahead;
};

static void extras_release(struct extras *x)
{
    wg_stats_groups_release(&x->ahead);
}

static enum wg_rc collect_all(const struct wg_stats_env *env, const struct wg_stat_filter *f,
                              int from, int to, enum wg_stats_by by, int child_len,
                              const int *starts, int nb, struct wg_stats_groups *main,
                              struct extras *x, struct wg_err *err)
{
    int today = wg_cst_day(env->now);
    enum wg_rc rc = wg_stats_collect(env, f, from, to, by, child_len, starts, nb, 0, main, err);
    if (!rc && to >= today)
        rc = wg_stats_collect(env, f, from > today ? from : today, to, by, child_len, starts, nb, 0,
                              &x->ahead, err);
    return rc;
}

/* The sums of a bucket and key; open is the open contribution of the orders received in the
 * period (or the series point's period), as every other count follows the period. */
static void sums_of(const struct wg_stats_groups *main, const struct extras *x, int bucket,
                    const char *key, struct wg_stats_sums *s)
{
    const struct wg_stats_group *g = wg_stats_groups_find(main, bucket, key);
    const struct wg_stats_group *a = wg_stats_groups_find(&x->ahead, bucket, key);
    memset(s, 0, sizeof *s);
    if (g)
        memcpy(s->c, g->c, sizeof s->c);
    s->pending_past = s->c[WG_SC_PENDING_DUE] - (a ? a->c[WG_SC_PENDING_DUE] : 0);
    s->open = s->c[WG_SC_OPEN];
}

/* A unit's own figures count as its received what was dispatched to it (intake itself has no
 * unit), so that its 受理量 is its work and its rates keep their cohorts. */
static void unit_received(struct wg_stats_sums *s)
{
    s->c[WG_SC_RECEIVED] = s->c[WG_SC_DISPATCHED];
}

/* The by-unit row of the work no unit held: intake, direct answers, self-handling. */
#define NO_UNIT_NAME "受理中心（未派单位）"

static enum wg_rc begin(const struct wg_stats_env *env, const struct wg_actor *actor,
                        const struct wg_stats_query *q, struct scope *s, int *from, int *to,
                        unsigned long *mask, struct wg_err *err)
{
    enum wg_rc rc;
    if ((rc = parse_scope(env, actor, q->scope, s, err)) ||
        (rc = parse_period(env, q, from, to, err)) ||
        (mask && (rc = wg_stats_indicator_mask(q->indicators, mask, err))))
        return rc;
    scope_filter(s);
    return WG_OK;
}

static json_t *answer_head(const struct scope *s, int from, int to)
{
    char a[11], b[11];
    wg_civil_format_date(from, a);
    wg_civil_format_date(to, b);
    return json_pack("{s:o,s:s,s:s}", "scope", scope_json(s), "from", a, "to", b);
}

enum wg_rc wg_stats_summary(const struct wg_stats_env *env, const struct wg_actor *actor,
                            const struct wg_stats_query *q, json_t **out, struct wg_err *err)
{
    struct scope s;
    struct wg_stats_groups main = {0};
    struct extras x = {{0}};
    struct wg_stats_sums sums;
    unsigned long mask;
    int from, to;
    enum wg_rc rc = begin(env, actor, q, &s, &from, &to, &mask, err);
    if (!rc)
        rc = collect_all(env, &s.f, from, to, WG_BY_NONE, 0, NULL, 0, &main, &x, err);
    if (!rc) {
        sums_of(&main, &x, 0, "", &sums);
        if (!strcmp(s.kind, "unit"))
            unit_received(&sums);
        *out = answer_head(&s, from, to);
        json_object_set_new(*out, "indicators", wg_stats_indicators_json(&sums, mask));
    }
    wg_stats_groups_release(&main);
    extras_release(&x);
    return rc;
}

enum wg_rc wg_stats_series(const struct wg_stats_env *env, const struct wg_actor *actor,
                           const struct wg_stats_query *q, json_t **out, struct wg_err *err)
{
    struct scope s;
    struct wg_stats_groups main = {0};
    struct extras x = {{0}};
    unsigned long mask;
    int from, to, nb = 0, *starts = NULL;
    const char *by = q->by ? q->by : "day";
    enum wg_rc rc = begin(env, actor, q, &s, &from, &to, &mask, err);
    if (rc)
        return rc;
    if (strcmp(by, "day") && strcmp(by, "week") && strcmp(by, "month"))
        return wg_err_set(err, WG_EINVAL, "'by' must be day, week or month, not '%.20s'", by);
    starts = wg_malloc((size_t)(to - from + 1) * sizeof *starts);
    for (int d = from; d <= to; d++) {
        int y, m, dd;
        wg_civil_date(d, &y, &m, &dd);
        /* day 0 (1970-01-01) was a Thursday: (d + 3) % 7 == 0 on Mondays */
        if (d == from || !strcmp(by, "day") || (!strcmp(by, "week") && (d + 3) % 7 == 0) ||
            (!strcmp(by, "month") && dd == 1))
            starts[nb++] = d;
    }
    rc = collect_all(env, &s.f, from, to, WG_BY_NONE, 0, starts, nb, &main, &x, err);
    if (!rc) {
        json_t *points = json_array();
        for (int b = 0; b < nb; b++) {
            struct wg_stats_sums sums;
            char p[11];
            sums_of(&main, &x, b, "", &sums);
            if (!strcmp(s.kind, "unit"))
                unit_received(&sums);
            wg_civil_format_date(starts[b], p);
            json_t *point = json_object();
            json_object_set_new_nocheck(point, "period", json_string_nocheck(p));
            json_object_set_new_nocheck(point, "indicators", wg_stats_indicators_json(&sums, mask));
            json_array_append_new(points, point);
        }
        *out = answer_head(&s, from, to);
        json_object_set_new(*out, "by", json_string(by));
        json_object_set_new(*out, "points", points);
    }
    free(starts);
    wg_stats_groups_release(&main);
    extras_release(&x);
    return rc;
}

static const char *item_name(const struct wg_stats_env *env, const char *code)
{
    const struct wg_catalog_item *it = env->catalog ? wg_catalog_find(env->catalog, code) : NULL;
    return it ? it->name : code;
}

static int by_received(const void *a, const void *b)
{
    const struct wg_stats_group *x = a, *y = b;
    if (x->c[WG_SC_RECEIVED] != y->c[WG_SC_RECEIVED])
        return x->c[WG_SC_RECEIVED] < y->c[WG_SC_RECEIVED] ? 1 : -1;
    if (x->c[WG_SC_REPEAT] != y->c[WG_SC_REPEAT])
        return x->c[WG_SC_REPEAT] < y->c[WG_SC_REPEAT] ? 1 : -1;
    return strcmp(x->key, y->key);
}

enum wg_rc wg_stats_top_items(const struct wg_stats_env *env, const struct wg_actor *actor,
                              const struct wg_stats_query *q, json_t **out, struct wg_err *err)
{
    struct scope s;
    struct wg_stats_groups g = {0};
    int from, to;
    long long total = 0, limit = 10;
    enum wg_rc rc = begin(env, actor, q, &s, &from, &to, NULL, err);
    if (!rc)
        rc = wg_param_count(q->limit, "limit", 1, 100, &limit, err);
    if (!rc)
        rc = wg_stats_collect(env, &s.f, from, to, WG_BY_ITEM, 0, NULL, 0, 0, &g, err);
    if (rc) {
        wg_stats_groups_release(&g);
        return rc;
    }
    for (size_t i = 0; i < g.n; i++)
        total += g.v[i].c[WG_SC_RECEIVED];
    if (g.n > 1) /* an empty period has no array at all, and qsort wants one */
        qsort(g.v, g.n, sizeof *g.v, by_received);
    json_t *items = json_array();
    for (size_t i = 0, k = 0; i < g.n && k < (size_t)limit; i++) {
        if (!g.v[i].key[0] || !g.v[i].c[WG_SC_RECEIVED])
            continue; /* orders without an item; items only acted on in the period */
        json_array_append_new(items, json_pack("{s:s,s:s,s:I,s:f}", "item", g.v[i].key, "name",
                                               item_name(env, g.v[i].key), "received",
                                               (json_int_t)g.v[i].c[WG_SC_RECEIVED], "share",
                                               (double)g.v[i].c[WG_SC_RECEIVED] / (double)total));
        k++;
    }
    *out = answer_head(&s, from, to);
    json_object_set_new(*out, "total_received", json_integer(total));
    json_object_set_new(*out, "items", items);
    wg_stats_groups_release(&g);
    return WG_OK;
}

/* Names of a region's children (or of a village's grids), for breakdown rows. */
struct names {
    json_t *obj; /* code → name, in code order of insertion */
};

static int name_region(const struct wg_region_row *r, void *ctx)
{
    json_object_set_new(((struct names *)ctx)->obj, r->code, json_string(r->name));
    return 0;
}

static int name_grid(const struct wg_grid_row *g, void *ctx)
{
    json_object_set_new(((struct names *)ctx)->obj, g->code, json_string(g->name));
    return 0;
}

static enum wg_rc child_names(struct wg_db *db, const char *code, int grids, struct names *n,
                              int *child_len, struct wg_err *err)
{
    size_t len = strlen(code);
    n->obj = json_object();
    if (grids || len == WG_CODE_LEN_VILLAGE) {
        *child_len = WG_CODE_LEN_GRID;
        return wg_store_grid_each(db, code, name_grid, n, err);
    }
    if (len >= WG_CODE_LEN_GRID)
        return wg_err_set(err, WG_EINVAL, "a grid has no children; use by=item, unit or channel");
    *child_len = (int)wg_level_child_len(len);
    if (len == 0) { /* the deployment's provinces: every province code that is a region */
        for (int p = 11; p <= 82; p++) {
            char c[3];
            struct wg_region_row r;
            enum wg_rc rc;
            snprintf(c, sizeof c, "%02d", p);
            if (!(rc = wg_store_region_get(db, c, &r, err)))
                name_region(&r, n);
            else if (rc != WG_ENOTFOUND)
                return rc;
            wg_err_clear(err);
        }
        return WG_OK;
    }
    return wg_store_region_children(db, code, name_region, n, err);
}

enum wg_rc wg_stats_monthly_problem(const struct wg_stats_env *env, const struct wg_actor *actor,
                                    const struct wg_stats_query *q, json_t **out,
                                    struct wg_err *err)
{
    struct scope s;
    struct wg_stats_groups g = {0}, r = {0};
    struct names names = {NULL};
    int y, m, d, from, to, child_len = 0;
    enum wg_rc rc = parse_scope(env, actor, q->scope, &s, err);
    if (rc)
        return rc;
    scope_filter(&s);
    if (q->month) {
        if ((from = wg_civil_parse_month(q->month)) < 0)
            return wg_err_set(err, WG_EINVAL, "'month' must be YYYY-MM, not '%.20s'", q->month);
    } else {
        wg_civil_date(wg_cst_day(env->now), &y, &m, &d);
        from = wg_civil_days(y, m, 1);
    }
    wg_civil_date(from, &y, &m, &d);
    to = wg_civil_month_end(from);
    if ((rc = wg_stats_collect(env, &s.f, from, to, WG_BY_ITEM, 0, NULL, 0, 0, &g, err)))
        goto out;
    if (g.n > 1) /* an empty period has no array at all, and qsort wants one */
        qsort(g.v, g.n, sizeof *g.v, by_received);
    char month[8];
    snprintf(month, sizeof month, "%04d-%02d", y, m);
    *out = json_pack("{s:o,s:s}", "scope", scope_json(&s), "month", month);
    const struct wg_stats_group *top = NULL;
    for (size_t i = 0; i < g.n && !top; i++)
        if (g.v[i].key[0] && g.v[i].c[WG_SC_RECEIVED])
            top = &g.v[i];
    if (!top) {
        json_object_set_new(*out, "item", json_null());
        json_object_set_new(*out, "regions", json_array());
        goto out;
    }
    json_object_set_new(*out, "item", json_string(top->key));
    json_object_set_new(*out, "name", json_string(item_name(env, top->key)));
    json_object_set_new(*out, "received", json_integer(top->c[WG_SC_RECEIVED]));
    json_object_set_new(*out, "repeat", json_integer(top->c[WG_SC_REPEAT]));
    /* where it came from: the scope's children (or grids) by received, the top five */
    json_t *regions = json_array();
    if ((!strcmp(s.kind, "region") || !strcmp(s.kind, "grid")) &&
        strlen(s.leaf) < WG_CODE_LEN_GRID &&
        !(rc = child_names(env->db, s.leaf, 0, &names, &child_len, err))) {
        struct wg_stat_filter f = s.f;
        f.item = top->key;
        if (!(rc = wg_stats_collect(env, &f, from, to, WG_BY_CHILD, child_len, NULL, 0, 0, &r,
                                    err))) {
            if (r.n > 1)
                qsort(r.v, r.n, sizeof *r.v, by_received);
            for (size_t i = 0, k = 0; i < r.n && k < 5; i++) {
                if (!r.v[i].c[WG_SC_RECEIVED])
                    continue;
                json_t *nm = json_object_get(names.obj, r.v[i].key);
                json_array_append_new(regions,
                                      json_pack("{s:s,s:s,s:I}", "code", r.v[i].key, "name",
                                                nm ? json_string_value(nm) : r.v[i].key, "received",
                                                (json_int_t)r.v[i].c[WG_SC_RECEIVED]));
                k++;
            }
        }
    }
    json_object_set_new(*out, "regions", regions);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
out:
    json_decref(names.obj);
    wg_stats_groups_release(&g);
    wg_stats_groups_release(&r);
    return rc;
}

struct ranked {
    const struct wg_stats_group *g;
    int has;
    double composite;
};

static int by_composite(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->has != y->has)
        return y->has - x->has;
    if (x->has && x->composite != y->composite)
        return x->composite < y->composite ? 1 : -1;
    return strcmp(x->g->key, y->g->key);
}

static int unit_name(const struct wg_unit_row *u, void *ctx)
{
    json_object_set_new(ctx, u->id, json_string(u->name));
    return 0;
}

enum wg_rc wg_stats_units(const struct wg_stats_env *env, const struct wg_actor *actor,
                          const struct wg_stats_query *q, json_t **out, struct wg_err *err)
{
    struct scope s;
    struct wg_stats_groups g = {0};
    struct wg_weights w = WG_WEIGHTS_DEFAULT;
    struct ranked *r = NULL;
    json_t *names = json_object();
    size_t n = 0;
    int from, to;
    enum wg_rc rc = begin(env, actor, q, &s, &from, &to, NULL, err);
    if (!rc)
        rc = wg_stats_collect(env, &s.f, from, to, WG_BY_UNIT, 0, NULL, 0, 0, &g, err);
    if (!rc)
        rc = wg_store_unit_each(env->db, unit_name, names, err);
    if (!rc && g.n)
        r = wg_calloc(g.n, sizeof *r);
    if (rc)
        goto out;
    for (size_t i = 0; i < g.n; i++) {
        struct wg_stats_sums sums = {{0}, 0, 0};
        if (!g.v[i].key[0])
            continue; /* work no unit held: direct answers, self-handling, the desk */
        memcpy(sums.c, g.v[i].c, sizeof sums.c);
        r[n].g = &g.v[i];
        r[n].has = wg_stats_composite(&sums, w, &r[n].composite);
        n++;
    }
    if (n > 1)
        qsort(r, n, sizeof *r, by_composite);
    json_t *units = json_array();
    for (size_t i = 0; i < n; i++) {
        const long long *c = r[i].g->c;
        json_t *nm = json_object_get(names, r[i].g->key);
        json_array_append_new(
            units,
            json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:I,s:I}", "unit", r[i].g->key, "name",
                      nm ? json_string_value(nm) : r[i].g->key, "response_rate",
                      wg_stats_rate_json(c[WG_SC_CONTACTED_ON_TIME], c[WG_SC_CONTACT_DUE]),
                      "resolution_rate", wg_stats_rate_json(c[WG_SC_RESOLVED], c[WG_SC_RATED]),
                      "satisfaction_rate", wg_stats_rate_json(c[WG_SC_SATISFIED], c[WG_SC_RATED]),
                      "composite", r[i].has ? json_real(r[i].composite) : json_null(), "grade",
                      r[i].has ? json_string(wg_stats_grade(r[i].composite)) : json_null(), "rank",
                      (json_int_t)(i + 1), "dispatched", (json_int_t)c[WG_SC_DISPATCHED]));
    }
    *out = answer_head(&s, from, to);
    json_object_set_new(*out, "weights",
                        json_pack("{s:i,s:i,s:i}", "response", w.response, "resolution",
                                  w.resolution, "satisfaction", w.satisfaction));
    json_object_set_new(*out, "units", units);
out:
    free(r);
    json_decref(names);
    wg_stats_groups_release(&g);
    return rc;
}

enum wg_rc wg_stats_breakdown(const struct wg_stats_env *env, const struct wg_actor *actor,
                              const struct wg_stats_query *q, json_t **out, struct wg_err *err)
{
    static const struct {
        const char *name;
        enum wg_stats_by by;
    } bys[] = {{"child", WG_BY_CHILD},
               {"grid", WG_BY_GRID},
               {"item", WG_BY_ITEM},
               {"unit", WG_BY_UNIT},
               {"channel", WG_BY_CHANNEL}};
    struct scope s;
    struct wg_stats_groups main = {0};
    struct extras x = {{0}};
    struct names names = {NULL};
    unsigned long mask;
    int from, to, child_len = 0;
    enum wg_stats_by by = WG_BY_NONE;
    enum wg_rc rc = begin(env, actor, q, &s, &from, &to, &mask, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < sizeof bys / sizeof bys[0]; i++)
        if (q->by && !strcmp(q->by, bys[i].name))
            by = bys[i].by;
    if (by == WG_BY_NONE)
        return wg_err_set(err, WG_EINVAL,
                          "'by' must be child, grid, item, unit or channel, "
                          "not '%.20s'",
                          q->by ? q->by : "");
    if ((by == WG_BY_CHILD || by == WG_BY_GRID) && strcmp(s.kind, "region") &&
        strcmp(s.kind, "grid"))
        return wg_err_set(err, WG_EINVAL, "by=%s needs a region or grid scope", q->by);
    if ((by == WG_BY_CHILD || by == WG_BY_GRID) &&
        (rc = child_names(env->db, s.leaf, by == WG_BY_GRID, &names, &child_len, err)))
        goto out;
    if ((rc = collect_all(env, &s.f, from, to, by, child_len, NULL, 0, &main, &x, err)))
        goto out;
    json_t *rows = json_array();
    json_t *unit_names = json_object();
    if (by == WG_BY_UNIT && (rc = wg_store_unit_each(env->db, unit_name, unit_names, err))) {
        json_decref(rows);
        json_decref(unit_names);
        goto out;
    }
    if (names.obj) { /* every child, with data or not: the map colours them all */
        const char *code;
        json_t *nm;
        json_object_foreach(names.obj, code, nm)
        {
            struct wg_stats_sums sums;
            sums_of(&main, &x, 0, code, &sums);
            json_array_append_new(rows, json_pack("{s:s,s:s,s:o}", "key", code, "name",
                                                  json_string_value(nm), "indicators",
                                                  wg_stats_indicators_json(&sums, mask)));
        }
    } else { /* the values that have data in the period */
        json_t *seen = json_object(), *desk = NULL;
        for (size_t i = 0; i < main.n; i++) {
            const char *key = main.v[i].key;
            struct wg_stats_sums sums;
            if (json_object_get(seen, key))
                continue;
            json_object_set_new(seen, key, json_true());
            sums_of(&main, &x, 0, key, &sums);
            if (!strcmp(s.kind, "unit") || (by == WG_BY_UNIT && *key))
                unit_received(&sums);
            json_t *un = json_object_get(unit_names, key);
            const char *name = by == WG_BY_ITEM   ? (*key ? item_name(env, key) : "")
                               : by == WG_BY_UNIT ? (un     ? json_string_value(un)
                                                     : *key ? key
                                                            : NO_UNIT_NAME)
                                                  : key;
            json_t *row = json_pack("{s:s,s:s,s:o}", "key", key, "name", name, "indicators",
                                    wg_stats_indicators_json(&sums, mask));
            if (by == WG_BY_UNIT && !*key)
                desk = row; /* after the units */
            else
                json_array_append_new(rows, row);
        }
        if (desk)
            json_array_append_new(rows, desk);
        json_decref(seen);
    }
    json_decref(unit_names);
    *out = answer_head(&s, from, to);
    json_object_set_new(*out, "by", json_string(q->by));
    json_object_set_new(*out, "rows", rows);
out:
    json_decref(names.obj);
    wg_stats_groups_release(&main);
    extras_release(&x);
    return rc;
}
