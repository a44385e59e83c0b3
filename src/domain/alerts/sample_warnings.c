/* The demo's early-warning situations (sample_warnings.h), planted at points the locator
 * places in grids, with words as residents write them. */
#include "domain/alerts/sample_warnings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/civil.h"
#include "core/rng.h"

#define HOUR 3600LL
#define DAY  (24 * HOUR)

struct plant {
    uint64_t *s;
    const struct wg_catalog *cat;
    const struct wg_locator *loc;
    const double *box;
    struct wg_sample_appeal *out;
    int n;
};

/* A point in a grid somewhere in the county, with its town and village names. */
static int somewhere(struct plant *p, double *lon, double *lat, struct wg_locate_result *where)
{
    for (int tries = 0; tries < 2000; tries++) {
        *lon = p->box[0] + wg_rng_uniform(p->s) * (p->box[2] - p->box[0]);
        *lat = p->box[1] + wg_rng_uniform(p->s) * (p->box[3] - p->box[1]);
        if (wg_locator_locate(p->loc, *lon, *lat, WG_CRS_WGS84, where, NULL) == WG_OK)
            return 1;
    }
    return 0;
}

/* A point within metres of (lon, lat) in the same grid as it. */
static int near(struct plant *p, double lon, double lat, double metres, const char *grid,
                double *olon, double *olat, struct wg_locate_result *where)
{
    for (int tries = 0; tries < 200; tries++) {
        double dx = (wg_rng_uniform(p->s) * 2 - 1) * metres,
               dy = (wg_rng_uniform(p->s) * 2 - 1) * metres;
        *olon = lon + dx / 91000.0; /* metres a degree east near 35° N */
        *olat = lat + dy / 110574.0;
        if (wg_locator_locate(p->loc, *olon, *olat, WG_CRS_WGS84, where, NULL) == WG_OK &&
            where->grid && !strcmp(where->grid->code, grid))
            return 1;
    }
    return 0;
}

static void names(const struct wg_locate_result *where, const char **town, const char **village)
{
    *town = *village = "";
    for (size_t k = 0; k < where->nchain; k++) {
        if (!strcmp(where->chain[k]->level, "town"))
            *town = where->chain[k]->name;
        else if (!strcmp(where->chain[k]->level, "village"))
            *village = where->chain[k]->name;
    }
}

/* One appeal about item at a point and time, in the words history_text writes for it. */
static struct wg_sample_appeal *add(struct plant *p, const char *item, double lon, double lat,
                                    long long t, const struct wg_locate_result *where)
{
    const char *town, *village;
    struct wg_sample_appeal *a = &p->out[p->n++];
    memset(a, 0, sizeof *a);
    a->item = item;
    a->lon = lon;
    a->lat = lat;
    a->t = t;
    names(where, &town, &village);
    wg_history_text(p->s, wg_catalog_find(p->cat, item), "hotline", "complaint", town, village, t,
                    &a->w);
    wg_history_reporter(p->s, a->name, sizeof a->name, a->phone, sizeof a->phone);
    return a;
}

static int by_time(const void *x, const void *y)
{
    const struct wg_sample_appeal *a = x, *b = y;
    return a->t < b->t ? -1 : a->t > b->t;
}

int wg_sample_warnings(uint64_t *s, const struct wg_catalog *cat, const struct wg_locator *loc,
                       const double box[4], long long now, struct wg_sample_appeal *out)
{
    struct plant p = {s, cat, loc, box, out, 0};
    struct wg_locate_result where, w2;
    double lon, lat, x, y;
    long long evening = now - now % DAY - DAY + 12 * HOUR; /* 20:00 China time yesterday */
    if (!wg_catalog_find(cat, "06028") || !wg_catalog_find(cat, "2108") ||
        !wg_catalog_find(cat, "2501") || !wg_catalog_find(cat, "09006"))
        return 0;
    /* 群发: six neighbours about one square's dancing music, 20:00 to 23:00 last night */
    if (somewhere(&p, &lon, &lat, &where) && where.grid) {
        char grid[32];
        snprintf(grid, sizeof grid, "%s", where.grid->code);
        for (int i = 0; i < 6; i++)
            if (near(&p, lon, lat, 120, grid, &x, &y, &w2))
                add(&p, "06028", x, y, evening + i * 30 * 60 + (long long)(wg_rng_uniform(s) * 600),
                    &w2);
    }
    /* 多发: the same street light out, two or three reports a week for four weeks */
    if (somewhere(&p, &lon, &lat, &where) && where.grid) {
        char grid[32];
        snprintf(grid, sizeof grid, "%s", where.grid->code);
        int today = wg_cst_day(now), monday = today - (wg_civil_weekday(today) + 6) % 7;
        for (int w = 3; w >= 0; w--) /* each week's reports from its Monday on, none ahead */
            for (int i = 0; i < 2 + (w % 2); i++) {
                long long t = wg_cst_midnight(monday - 7 * w) + i * 2 * DAY + 9 * HOUR;
                if (t < now - HOUR && near(&p, lon, lat, 80, grid, &x, &y, &w2))
                    add(&p, "2108", x, y, t, &w2);
            }
    }
    /* repeat caller: a stall on the pavement, the same resident three times in ten days */
    if (somewhere(&p, &lon, &lat, &where)) {
        struct wg_sample_appeal *first = NULL;
        for (int i = 0; i < 3; i++) {
            struct wg_sample_appeal *a =
                add(&p, "09006", lon, lat, now - (9 - i * 4) * DAY, &where);
            if (!first)
                first = a;
            memcpy(a->name, first->name, sizeof a->name);
            memcpy(a->phone, first->phone, sizeof a->phone);
        }
    }
    /* 讨薪: workers of a building site unpaid for months, going to ask together tomorrow */
    if (somewhere(&p, &lon, &lat, &where)) {
        const char *town, *village;
        struct wg_sample_appeal *a = add(&p, "2501", lon, lat, now - 3 * HOUR, &where);
        names(&where, &town, &village);
        snprintf(a->w.title, sizeof a->w.title, "%s工地拖欠农民工工资", village);
        snprintf(a->w.content, sizeof a->w.content,
                 "我们是%s%s附近一处住宅项目工地的农民工，二十多人的工资已经拖欠三个多月，包工头"
                 "电话打不通，总包单位说钱已经拨下去了。大家商量明天一起去项目部讨薪，有人说不给"
                 "就去堵路，希望政府尽快出面协调，别把事情闹大。",
                 town, village);
    }
    qsort(out, (size_t)p.n, sizeof out[0], by_time);
    return p.n;
}
