/* The demo's assessment (assess.h, wg_assess_sample): last month's results of every kind
 * computed from the demo's orders, visits, patrols, registry and cases, with the grids' and
 * workers' self scores, the supervisor's reviews of some (each with its reason), bonus points
 * where a grid's practice was taken up, frozen, and one correction; this month's drafts with
 * the first self scores. Written through the same functions as the API. */
#include "domain/assess/assess.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "domain/accounts/pii.h"
#include "store/registry/visit_q.h"

static uint32_t mix(const char *s, uint32_t salt)
{
    uint32_t h = 2166136261u ^ salt;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static enum wg_rc run(struct wg_db *db, const struct wg_calendar *cal,
                      const struct wg_pii_keys *keys, const struct wg_actor *sup, const char *kind,
                      const char *period, long long now, int *made, struct wg_err *err)
{
    json_t *body = json_pack("{s:s,s:s}", "kind", kind, "period", period), *out = NULL;
    enum wg_rc rc = wg_assess_run(db, cal, keys, sup, body, now, &out, err);
    if (!rc)
        *made += (int)json_integer_value(json_object_get(out, "created"));
    json_decref(body);
    json_decref(out);
    return rc;
}

static enum wg_rc entry(struct wg_db *db, const struct wg_actor *who, json_t *r, const char *code,
                        json_t *body, long long now, struct wg_err *err)
{
    long long id = json_integer_value(json_object_get(r, "id"));
    json_object_set_new(body, "version", json_incref(json_object_get(r, "version")));
    enum wg_rc rc = wg_assess_item_put(db, who, id, code, body, now, err);
    json_decref(body);
    if (!rc)
        json_object_set_new(r, "version",
                            json_integer(json_integer_value(json_object_get(r, "version")) + 1));
    return rc;
}

static const char *const lapses[] = {"巡查日志两次未按时上传", "一次走访记录内容过简",
                                     "网格例会缺席一次", "群众反映回复不够及时"};

/* The month's entries of a kind: self scores by the object's own people, reviews of some. */
static enum wg_rc entries(struct wg_db *db, const struct wg_actor *sup, const char *kind,
                          const char *period, int reviews, long long now, struct wg_err *err)
{
    struct wg_assess_query q = {kind, period, NULL, NULL};
    json_t *out = NULL, *r;
    size_t i;
    enum wg_rc rc = wg_assess_list(db, sup, &q, now, &out, err);
    const char *self = !strcmp(kind, "grid")     ? "G3.2"
                       : !strcmp(kind, "worker") ? "W3.2"
                       : !strcmp(kind, "town")   ? "T3.2"
                                                 : "U3.2";
    json_array_foreach(json_object_get(out, "results"), i, r)
    {
        const char *object = json_string_value(json_object_get(r, "object"));
        const char *region = json_string_value(json_object_get(r, "region"));
        uint32_t h = mix(object, 22);
        struct wg_actor own;
        memset(&own, 0, sizeof own);
        own.perms = WG_P_ASSESS_READ;
        snprintf(own.scope.kind, sizeof own.scope.kind, "%s",
                 !strcmp(kind, "unit") ? "unit" : "region");
        if (!strcmp(kind, "grid")) { /* the village's community staff */
            own.role = WG_ROLE_COMMUNITY;
            snprintf(own.username, sizeof own.username, "community");
            snprintf(own.scope.code, sizeof own.scope.code, "%.12s", object);
        } else if (!strcmp(kind, "town")) {
            own.role = WG_ROLE_COMMUNITY;
            snprintf(own.username, sizeof own.username, "community");
            snprintf(own.scope.code, sizeof own.scope.code, "%s", object);
        } else if (!strcmp(kind, "worker")) {
            own.role = WG_ROLE_GRIDWORKER;
            snprintf(own.username, sizeof own.username, "%s", object);
            snprintf(own.scope.code, sizeof own.scope.code, "%s", region);
        } else {
            own.role = WG_ROLE_HANDLER;
            snprintf(own.username, sizeof own.username, "handler");
            snprintf(own.scope.code, sizeof own.scope.code, "%s", object);
        }
        double max = !strcmp(kind, "unit") ? 5 : 10, mine = max - (h % 4) * 0.5;
        rc = entry(db, &own, r, self, json_pack("{s:f}", "self", mine), now, err);
        if (!rc && (int)(h % 100) < reviews)
            rc = entry(db, sup, r, self,
                       json_pack("{s:f,s:s}", "reviewer", mine - 1 - (h % 3), "reason",
                                 lapses[(h >> 4) % 4]),
                       now, err);
        if (!rc && !strcmp(kind, "grid") && h % 40 == 7)
            rc = entry(db, sup, r, "B1",
                       json_pack("{s:i,s:s,s:[s]}", "reviewer", 5, "reason",
                                 "“红色网格”议事做法在全区推广", "evidence",
                                 "兰山区委政法委简报第12期"),
                       now, err);
        if (!rc && !strcmp(kind, "grid") && h % 40 == 7 && reviews)
            rc =
                entry(db, sup, r, "B2",
                      json_pack("{s:i,s:s}", "reviewer", 5, "reason", "网格员获评市级“最美网格员”"),
                      now, err);
        if (rc)
            break;
    }
    json_decref(out);
    return rc;
}

/* The district's own edit of the grid template (a new version): its grid workers' findings
 * and self-handling are few, so the visits and patrols weigh more in 网格运行. */
static enum wg_rc district_scheme(struct wg_db *db, const struct wg_actor *sup, long long now,
                                  struct wg_err *err)
{
    json_t *s = wg_assess_scheme_default("grid");
    json_t *items = json_object_get(json_array_get(json_object_get(s, "groups"), 0), "items");
    static const double scores[] = {10, 5, 20, 15}, per[] = {2, 2, 0, 0};
    for (size_t i = 0; i < 4; i++) {
        json_t *it = json_array_get(items, i);
        json_object_set_new(it, "score", json_real(scores[i]));
        if (per[i] > 0)
            json_object_set_new(json_object_get(it, "formula"), "per", json_real(per[i]));
    }
    json_object_set_new(s, "name", json_string("兰山区网格月度考核（2026年修订）"));
    json_object_set_new(s, "version", json_integer(0));
    enum wg_rc rc = wg_assess_scheme_put(db, sup, "grid", s, now, err);
    json_decref(s);
    return rc;
}

struct grids {
    char (*code)[16];
    size_t n, cap;
};

static int on_grid(const char *key, const char *name, const char *region, void *ctx)
{
    struct grids *g = ctx;
    (void)name, (void)region;
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 256;
        g->code = wg_realloc(g->code, g->cap * sizeof *g->code);
    }
    snprintf(g->code[g->n++], 16, "%s", key);
    return 0;
}

/* The grid workers' patrols from the first of last month to today: each grid patrolled on
 * most working days (its own share, 55 to 100%), in the morning, an hour and a half each. */
static enum wg_rc patrols(struct wg_db *db, const struct wg_calendar *cal,
                          const struct wg_pii_keys *keys, const char *county, int from, int today,
                          struct wg_err *err)
{
    struct grids g = {NULL, 0, 0};
    char hi[32], *checks = NULL;
    snprintf(hi, sizeof hi, "%s~", county);
    enum wg_rc rc = wg_store_assess_objects(db, "grid", county, hi, on_grid, &g, err);
    if (!rc)
        rc = wg_pii_encrypt(keys, "[]", "patrol.checks", &checks, err);
    for (size_t i = 0; !rc && i < g.n; i++) {
        uint32_t h = mix(g.code[i], 35);
        unsigned share = 55 + h % 46;
        for (int d = from; !rc && d < today; d++) {
            int y, m, dd, changed = 0;
            long long id = 0;
            wg_civil_date(d, &y, &m, &dd);
            if (!(cal ? wg_calendar_is_workday_lenient(cal, y, m, dd) == 1
                      : wg_civil_weekday(d) % 6 != 0) ||
                mix(g.code[i], (uint32_t)d) % 100 >= share)
                continue;
            struct wg_patrol_row p;
            memset(&p, 0, sizeof p);
            snprintf(p.client_key, sizeof p.client_key, "demo-%s-%d", g.code[i], d);
            if (!strncmp(g.code[i], "371302001", 9))
                snprintf(p.worker, sizeof p.worker, "gridworker");
            else
                snprintf(p.worker, sizeof p.worker, "gw%s", g.code[i] + 9);
            snprintf(p.grid, sizeof p.grid, "%s", g.code[i]);
            p.started_at = wg_cst_midnight(d) + 8 * 3600 + 1800 + (h >> 8) % 5400;
            p.checks = checks;
            rc = wg_store_patrol_insert(db, &p, &id, err);
            if (!rc)
                rc = wg_store_patrol_stop(db, id, p.started_at + 5400, checks, &changed, err);
        }
    }
    free(checks);
    free(g.code);
    return rc;
}

static int any_result(const struct wg_assess_row *r, void *ctx)
{
    (void)r;
    *(int *)ctx = 1;
    return 1;
}

enum wg_rc wg_assess_sample(struct wg_db *db, const struct wg_calendar *cal,
                            const struct wg_pii_keys *keys, const char *county, const char *by,
                            long long now, int *made, struct wg_err *err)
{
    static const char *const kinds[] = {"grid", "worker", "unit", "town"};
    struct wg_actor sup;
    char hi[32], last[8], this[8];
    int y, m, d, found = 0;
    *made = 0;
    snprintf(hi, sizeof hi, "%s~", county);
    struct wg_assess_range q = {"", "", county, hi, "", "", 1};
    enum wg_rc rc = wg_store_assess_list(db, &q, any_result, &found, err);
    if (rc || found)
        return rc;
    memset(&sup, 0, sizeof sup);
    snprintf(sup.username, sizeof sup.username, "%s", by);
    sup.role = WG_ROLE_SUPERVISOR;
    sup.perms = WG_P_ASSESS_READ | WG_P_ASSESS_WRITE;
    snprintf(sup.scope.kind, sizeof sup.scope.kind, "region");
    snprintf(sup.scope.code, sizeof sup.scope.code, "%s", county);
    int today = wg_cst_day(now);
    wg_civil_date(today, &y, &m, &d);
    snprintf(this, sizeof this, "%04d-%02d", y, m);
    wg_civil_date(wg_civil_parse_month(this) - 1, &y, &m, &d);
    snprintf(last, sizeof last, "%04d-%02d", y, m);
    long long then = wg_cst_midnight(wg_civil_parse_month(this)) + 9 * 3600; /* the 1st, 09:00 */
    /* one transaction: a commit per entry would wait on the disk thousands of times */
    int own = !wg_db_in_tx(db);
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    rc = patrols(db, cal, keys, county, wg_civil_parse_month(last), today, err);
    if (!rc)
        rc = district_scheme(db, &sup, then - 86400, err);
    for (size_t k = 0; !rc && k < 4; k++) {
        rc = run(db, cal, keys, &sup, kinds[k], last, then, made, err);
        if (!rc)
            rc = entries(db, &sup, kinds[k], last, 12, then, err);
        if (!rc) {
            json_t *b = json_pack("{s:s,s:s}", "kind", kinds[k], "period", last);
            int n = 0;
            rc = wg_assess_freeze_month(db, &sup, b, then + 3 * 86400, &n, err);
            json_decref(b);
        }
        if (!rc)
            rc = run(db, cal, keys, &sup, kinds[k], this, now, made, err);
        if (!rc && k == 0)
            rc = entries(db, &sup, kinds[k], this, 0, now, err);
    }
    /* one correction: a grid's review found wrong on appeal */
    struct wg_assess_query g = {"grid", last, NULL, "frozen"};
    json_t *out = NULL;
    if (!rc && !(rc = wg_assess_list(db, &sup, &g, now, &out, err))) {
        json_t *r = json_array_get(json_object_get(out, "results"), 17);
        if (r) {
            json_t *b = json_pack("{s:O,s:s,s:f,s:s}", "version", json_object_get(r, "version"),
                                  "code", "G3.2", "score", 10.0, "reason",
                                  "网格员申诉：例会当日在处置火情，经核实不扣分");
            rc = wg_assess_correct(db, &sup, json_integer_value(json_object_get(r, "id")), b,
                                   then + 5 * 86400, err);
            json_decref(b);
        }
    }
    json_decref(out);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    return rc;
}
