/* The early warning benchmark: what the detectors (domain/alerts/warn_detect.h) cost per
 * order, over a district's year — 1,000,000 orders by default, in time order, over 10 towns
 * of 60 grids (500 m squares), 300 catalog items drawn by Zipf's law (s = 1), reporters
 * drawn from 400,000 phones with some calling back, titles and contents of real kinds with
 * 1 in 500 holding a stability keyword — fed one at a time as the follower feeds them,
 * timed by the thread's CPU clock. The reference, in the same run: the CPU of one order's
 * intake on the request's thread (wg_order_prepare: checked against the catalog, the
 * reporter's phone sealed and blind-indexed, the row made), over 20,000 orders. Prints µs
 * per order against the 5 µs goal; exits non-zero above it. Options: --orders N. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/civil.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii_keys.h"
#include "domain/alerts/warn_detect.h"
#include "domain/catalog/catalog.h"
#include "domain/orders/order.h"

#define TOWNS  10
#define GRIDS  60
#define ITEMS  300
#define PHONES 400000
#define GOAL   5.0

struct gen {
    struct wg_warn_order o;
    char item[8], grid[16], phone[16];
};

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;

static double unif(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static const char *const titles[] = {
    "小区夜间广场舞噪音扰民",  "路灯不亮，晚上出行不便",   "道路坑洼积水严重",
    "垃圾桶满溢无人清运",      "楼道堆放杂物存在消防隐患", "供暖温度不达标",
    "小区门口占道经营",        "违规停车堵塞消防通道",     "自来水水压低",
    "物业不作为，电梯经常停运"};
static const char *const contents[] = {
    "居民反映近一周每天晚上八点到十点，小区东侧广场音响声音很大，影响老人孩子休息，希望有关部门协调"
    "处理。",
    "该路段路灯已经坏了半个多月，晚上一片漆黑，老人孩子出行很不安全，请尽快维修。",
    "下雨后路面积水很深，车辆通过时溅到行人身上，希望尽快修补路面、疏通排水。",
    "工地拖欠三十多名农民工工资，工人们说明天要集体去讨薪，情绪比较激动。"};

/* Zipf(1) over ITEMS by inversion of its cumulative weights. */
static double zipf_cdf[ITEMS];

static int zipf(void)
{
    double u = unif();
    int lo = 0, hi = ITEMS - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (zipf_cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static double intake_reference(int n)
{
    char dir[] = "/tmp/wg-bench-warn-XXXXXX";
    struct wg_err err = {0};
    struct wg_pii_keys *keys = NULL;
    struct wg_catalog cat;
    struct wg_actor agent;
    wg_catalog_init(&cat);
    if (!mkdtemp(dir) || wg_pii_keys_create(dir, &err) || wg_pii_keys_load(dir, &keys, &err) ||
        wg_catalog_load_defaults(&cat, &err) || wg_catalog_validate(&cat, &err)) {
        fprintf(stderr, "warnings: the reference's keys and catalog: %s\n", err.msg);
        exit(1);
    }
    memset(&agent, 0, sizeof agent);
    snprintf(agent.username, sizeof agent.username, "agent");
    wg_role_parse("agent", &agent.role, NULL);
    snprintf(agent.scope.kind, sizeof agent.scope.kind, "region");
    snprintf(agent.scope.code, sizeof agent.scope.code, "371302");
    struct wg_order_env env = {keys, &cat, NULL, NULL};
    double t0 = cpu_now();
    for (int i = 0; i < n; i++) {
        char phone[16];
        snprintf(phone, sizeof phone, "138%08d", (int)(unif() * 1e8));
        struct wg_order_input in = {.channel = "hotline",
                                    .type = "complaint",
                                    .item = "06028",
                                    .title = titles[i % 10],
                                    .content = contents[i % 3],
                                    .urgency = "normal",
                                    .county = "371302",
                                    .reporter_name = "王秀英",
                                    .reporter_phone = phone};
        struct wg_order_draft d;
        if (wg_order_prepare(&env, NULL, &agent, &in, 1796000000LL + i, &d, &err)) {
            fprintf(stderr, "warnings: the reference's intake: %s\n", err.msg);
            exit(1);
        }
        wg_order_draft_release(&d);
    }
    double us = (cpu_now() - t0) * 1e6 / n;
    wg_pii_keys_free(keys);
    wg_catalog_release(&cat);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "warnings: could not remove %s\n", dir);
    return us;
}

int main(int argc, char **argv)
{
    long n = 1000000;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--orders") && i + 1 < argc)
            n = atol(argv[++i]);
    if (n < 1000) {
        fprintf(stderr, "usage: warnings [--orders N (1000 or more)]\n");
        return 2;
    }
    double sum = 0;
    for (int i = 0; i < ITEMS; i++)
        sum += 1.0 / (i + 1);
    for (int i = 0, acc = 0; i < ITEMS; i++, acc++)
        zipf_cdf[i] = (i ? zipf_cdf[i - 1] : 0) + 1.0 / (i + 1) / sum;
    struct gen *g = calloc((size_t)n, sizeof *g);
    long long t = 1767196800LL; /* 2026-01-01 */
    double step = 365.0 * 86400 / (double)n;
    for (long i = 0; i < n; i++) {
        struct gen *o = &g[i];
        int town = (int)(unif() * TOWNS), grid = (int)(unif() * GRIDS);
        o->o.id = i + 1;
        o->o.at = t + (long long)(i * step);
        o->o.has_point = 1;
        o->o.lon = 118.2 + town * 0.045 + (grid % 8 + unif()) * 0.0055;
        o->o.lat = 35.0 + (grid / 8 + unif()) * 0.0045;
        snprintf(o->item, sizeof o->item, "%05d", zipf() + 1);
        snprintf(o->grid, sizeof o->grid, "371302%03d%03d%03d", town + 1, grid / 10 + 1,
                 grid % 10 + 1);
        snprintf(o->phone, sizeof o->phone, "%08x", (unsigned)(unif() * PHONES));
        o->o.item = o->item;
        o->o.grid = o->grid;
        o->o.county = "371302";
        o->o.phone_blind = unif() < 0.9 ? o->phone : ""; /* some anonymous */
        o->o.title = titles[(int)(unif() * 10)];
        o->o.content = unif() < 0.002 ? contents[3] : contents[(int)(unif() * 3)];
    }
    struct wg_warn_rules r;
    wg_warn_rules_defaults(&r);
    struct wg_warn_engine *e = wg_warn_engine_new(&r);
    long long hits[WG_WARN_KINDS] = {0};
    double t0 = cpu_now();
    for (long i = 0; i < n; i++) {
        const struct wg_warn_hit *h;
        int k = wg_warn_engine_feed(e, &g[i].o, &h);
        for (int j = 0; j < k; j++)
            hits[h[j].kind]++;
    }
    double detect_us = (cpu_now() - t0) * 1e6 / (double)n;
    size_t entries = 0, bytes = 0;
    wg_warn_engine_size(e, &entries, &bytes);
    double intake_us = intake_reference(20000);
    printf("warnings: %ld orders over a year, %d towns x %d grids, %d items (Zipf), %d phones\n", n,
           TOWNS, GRIDS, ITEMS, PHONES);
    printf("  detectors: %.2f us CPU per order (goal < %.0f us); state %zu entries, %.1f MB\n",
           detect_us, GOAL, entries, bytes / 1e6);
    printf("  reference: one order's intake on the request's thread (wg_order_prepare) %.2f us "
           "CPU; detection adds %.1f%% of it\n",
           intake_us, 100.0 * detect_us / intake_us);
    printf("  orders that showed a situation:");
    for (int k = 0; k < WG_WARN_KINDS; k++)
        printf(" %s %lld", wg_warn_kind_name((enum wg_warn_kind)k), hits[k]);
    printf("\n");
    wg_warn_engine_free(e);
    free(g);
    return detect_us < GOAL ? 0 : 1;
}
