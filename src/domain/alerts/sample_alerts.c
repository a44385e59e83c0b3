/* The demo's devices and alerts (alert.h): cameras at Lanshan's road crossings and market
 * streets, water-level sensors at its low roads and underpasses, the towns' patrol drones,
 * each owned by the unit that acts on what it sees; then a few days of their sightings
 * through the same ingest as the live route, so some became orders and some wait for review.
 * Demo data, not a survey: the places are named like Lanshan's, the points are drawn within
 * its grids. */
#include "domain/alerts/alert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "domain/accounts/pii_keys.h"
#include "domain/calendar/calendar.h"
#include "domain/catalog/catalog.h"

static const char *const roads[] = {
    "解放路", "沂蒙路", "通达路", "金雀山路", "银雀山路", "涑河街", "兰山路",
    "新华路", "北京路", "上海路", "蒙山大道", "临西三路", "红旗路", "工业大道",
    "平安路", "考棚街", "书院街", "育才路",   "启阳路",   "西安路", "成都路",
    "南京路", "水田路", "枣园路", "柳青街",   "义堂路",   "半程路", "汪沟大街"};
static const char *const markets[] = {"西郊农贸市场", "东关农贸市场", "花园农贸市场",
                                      "南坊农贸市场", "金雀山夜市",   "柳青集贸市场",
                                      "义堂大集",     "枣园小商品街", "半程集市"};
static const char *const lows[] = {"下穿桥", "低洼路段", "涵洞", "铁路桥洞"};

struct kind_plan {
    const char *kind, *unit;
    int n;
};

static unsigned next(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 8) & 0xffffff;
}

static int place(const struct wg_locator *loc, const double box[4], unsigned *seed,
                 struct wg_device_row *d)
{
    struct wg_locate_result where;
    for (int tries = 0; tries < 200; tries++) {
        double lon = box[0] + (box[2] - box[0]) * (next(seed) / 16777216.0);
        double lat = box[1] + (box[3] - box[1]) * (next(seed) / 16777216.0);
        if (!wg_locator_locate(loc, lon, lat, WG_CRS_WGS84, &where, NULL)) {
            d->lon = where.lon, d->lat = where.lat;
            snprintf(d->grid, sizeof d->grid, "%s", where.grid->code);
            snprintf(d->address, sizeof d->address, "%s", where.grid->name);
            return 1;
        }
    }
    return 0;
}

static enum wg_rc devices(struct wg_db *db, const struct wg_locator *loc, unsigned *seed,
                          struct wg_alert_sample_report *rep, struct wg_err *err)
{
    static const struct kind_plan plan[] = {
        {"camera", "cgzf", 180}, {"camera", "jtj", 60}, {"sensor", "zjj", 40}, {"drone", "zrj", 6}};
    double box[4];
    if (!wg_locator_extent(loc, box))
        return wg_err_set(err, WG_ENOTFOUND, "the demo has no grids for its devices");
    int serial = 0;
    for (size_t p = 0; p < sizeof plan / sizeof plan[0]; p++)
        for (int i = 0; i < plan[p].n; i++) {
            struct wg_device_row d = {0};
            if (!place(loc, box, seed, &d))
                continue;
            const char *r1 = roads[next(seed) % (sizeof roads / sizeof roads[0])];
            const char *r2 = roads[next(seed) % (sizeof roads / sizeof roads[0])];
            serial++;
            if (!strcmp(plan[p].kind, "camera")) {
                snprintf(d.id, sizeof d.id, "37130200001310%06d", serial);
                if (plan[p].unit[0] == 'c' && i % 3 == 0)
                    snprintf(d.name, sizeof d.name, "%s%s门",
                             markets[next(seed) % (sizeof markets / sizeof markets[0])],
                             i % 2 ? "东" : "北");
                else if (strcmp(r1, r2))
                    snprintf(d.name, sizeof d.name, "%s与%s交叉口", r1, r2);
                else
                    snprintf(d.name, sizeof d.name, "%s%d号路段", r1, 10 + i);
                rep->cameras++;
            } else if (!strcmp(plan[p].kind, "sensor")) {
                snprintf(d.id, sizeof d.id, "LS-SW-%04d", serial);
                snprintf(d.name, sizeof d.name, "%s%s水位监测", r1,
                         lows[next(seed) % (sizeof lows / sizeof lows[0])]);
                rep->sensors++;
            } else {
                snprintf(d.id, sizeof d.id, "LS-UAV-%02d", i + 1);
                snprintf(d.name, sizeof d.name, "兰山区巡查无人机%d号", i + 1);
                rep->drones++;
            }
            snprintf(d.kind, sizeof d.kind, "%s", plan[p].kind);
            snprintf(d.unit, sizeof d.unit, "%s", plan[p].unit);
            enum wg_rc rc = wg_store_device_insert(db, &d, 0, err);
            if (rc)
                return rc;
            rep->devices++;
        }
    return WG_OK;
}

struct dev {
    char id[64], kind[12];
};

static int on_device(const struct wg_device_row *d, void *ctx)
{
    struct dev **v = ctx;
    size_t n = 0;
    while ((*v)[n].id[0])
        n++;
    *v = wg_realloc(*v, (n + 2) * sizeof **v);
    snprintf((*v)[n].id, sizeof(*v)[n].id, "%s", d->id);
    snprintf((*v)[n].kind, sizeof(*v)[n].kind, "%s", d->kind);
    (*v)[n + 1].id[0] = 0;
    return 0;
}

/* What a kind of device sees, and how often of all it reports (r below 100): fire is rare. */
static const char *sight(const char *kind, unsigned r)
{
    if (!strcmp(kind, "sensor"))
        return "standing_water";
    if (!strcmp(kind, "drone"))
        return r < 30 ? "straw_burning" : r < 70 ? "illegal_building" : "garbage_overflow";
    return r < 38   ? "illegal_parking"
           : r < 63 ? "street_vending"
           : r < 80 ? "garbage_overflow"
           : r < 90 ? "crowd_gathering"
           : r < 98 ? "illegal_building"
                    : "smoke_fire";
}

static int on_state(const struct wg_alert_row *a, void *ctx)
{
    struct wg_alert_sample_report *rep = ctx;
    rep->alerts++;
    rep->ordered += !strcmp(a->state, "ordered");
    rep->review += !strcmp(a->state, "review");
    rep->pending += !strcmp(a->state, "pending");
    rep->ignored += !strcmp(a->state, "ignored");
    return 0;
}

enum wg_rc wg_alert_sample(struct wg_db *db, const struct wg_order_env *env,
                           const struct wg_locator *loc, long long now, int days, unsigned seed,
                           struct wg_alert_sample_report *rep, struct wg_err *err)
{
    struct wg_device_filter all = {"", "", "", "", "", "", 0, 100000, 0};
    long long have = 0;
    enum wg_rc rc;
    memset(rep, 0, sizeof *rep);
    if ((rc = wg_store_device_count(db, &all, &have, err)) || have)
        return rc;
    if ((rc = wg_db_begin(db, err)))
        return rc;
    rc = devices(db, loc, &seed, rep, err);
    rc = rc ? (wg_db_rollback(db), rc) : wg_db_commit(db, err);
    if (rc)
        return rc;
    struct dev *v = wg_calloc(1, sizeof *v);
    if ((rc = wg_store_device_list(db, &all, on_device, &v, err))) {
        free(v);
        return rc;
    }
    size_t nd = 0;
    while (v[nd].id[0])
        nd++;
    struct wg_actor actor = {.username = "apikey:demo-video", .role = WG_ROLE_APIKEY};
    snprintf(actor.scope.kind, sizeof actor.scope.kind, "region");
    struct wg_alert_act_env act = {env, loc, &actor};
    struct wg_alert_config cfg = {WG_ALERT_WINDOW, WG_ALERT_RADIUS};
    struct wg_alert_merger *m = wg_alert_merger_new(&cfg);
    struct wg_alert_line *lines = wg_calloc(128, sizeof *lines);
    long long start = now - (long long)days * 86400;
    for (long long hour = start; !rc && hour + 3600 < now; hour += 3600) {
        int busy = (int)((hour / 3600 + 8) % 24); /* China's hour of the day */
        int problems =
            busy >= 7 && busy <= 21 ? 6 + (int)(next(&seed) % 7) : 1 + (int)(next(&seed) % 2);
        size_t k = 0;
        /* each problem persists a while and is seen again every few minutes */
        for (int p = 0; p < problems; p++) {
            size_t d = next(&seed) % nd;
            int type = wg_alert_type_index(sight(v[d].kind, next(&seed) % 100));
            double conf = 0.42 + (next(&seed) % 56) / 100.0;
            long long at = hour + next(&seed) % 2400;
            int repeats = 1 + (int)(next(&seed) % 6);
            for (int r = 0; r < repeats && k < 128; r++, k++) {
                struct wg_alert_line *l = &lines[k];
                memset(l, 0, sizeof *l);
                l->line = (long long)k + 1;
                snprintf(l->device, sizeof l->device, "%s", v[d].id);
                l->type = type;
                l->confidence = conf + ((int)(next(&seed) % 7) - 3) / 100.0;
                if (l->confidence > 0.99)
                    l->confidence = 0.99;
                l->at = at;
                at += 120 + next(&seed) % 180;
                snprintf(l->snapshot, sizeof l->snapshot, "oss://lanshan-video/%s/%lld.jpg",
                         l->device, l->at);
                rep->lines++;
            }
        }
        if ((rc = wg_alert_resolve(db, NULL, loc, lines, k, err)) || (rc = wg_db_begin(db, err)))
            break;
        rc = wg_alert_ingest(db, m, &act, lines, k, hour + 3600, NULL, err);
        rc = rc ? (wg_db_rollback(db), rc) : wg_db_commit(db, err);
    }
    free(lines);
    free(v);
    wg_alert_merger_free(m);
    struct wg_alert_filter f = {"", "", "", "", "", 0, 1000000, 0};
    return rc ? rc : wg_store_alert_list(db, &f, on_state, rep, err);
}
