/* wangge stats recount --data DIR [--from DATE] [--to DATE] [--dry-run]: rebuilds the
 * indicators' counter cells and roll-ups from the orders and their timelines
 * (domain/stats/stats_recount.h), e.g. after an upgrade across migration 26, whose cells
 * lack the contact counters (响应率 0 for older periods). Prints each cell that differed,
 * before and after, and what it wrote; a second run finds nothing to change. Run it with the
 * servers stopped (docs/DEPLOY.md). */
#include "cli/cli.h"
#include "cli/commands.h"

#include <getopt.h>
#include <limits.h>

#include "core/civil.h"
#include "core/clock.h"
#include "domain/catalog/catalog_store.h"
#include "domain/stats/stats_recount.h"

#define USAGE "stats recount --data DIR [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--dry-run]"

struct recount {
    const char *data;
    struct wg_recount_opts o;
    struct wg_recount_report rep;
};

static void print_cell(const struct wg_stat_cell *had, const struct wg_stat_cell *want, void *ctx)
{
    char day[11];
    (void)ctx;
    wg_civil_format_date(had->day, day);
    printf("  %s %s unit '%s' item '%s' %s:", day, had->leaf, had->unit, had->item, had->channel);
    for (int c = 0; c < WG_SC_COUNT; c++)
        if (had->c[c] != want->c[c])
            printf(" %s %lld -> %lld", wg_stat_counter_names[c], had->c[c], want->c[c]);
    printf("\n");
}

static enum wg_rc run(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct recount *r = ctx;
    struct wg_calendar *cal = wg_calendar_new();
    struct wg_catalog_snap *snap = NULL;
    enum wg_rc rc;
    char detail[160];
    if ((rc = wg_calendar_load_data(cal, r->data, err)) ||
        (rc = wg_catalog_store_load(db, &snap, err)))
        goto out;
    struct wg_order_env env = {.catalog = &snap->cat, .calendar = cal};
    rc = wg_stats_recount(db, &env, &r->o, &r->rep, err);
    if (r->o.dry_run)
        goto out;
    snprintf(detail, sizeof detail, "%lld orders replayed; %lld cells differed, %lld corrected",
             r->rep.orders, r->rep.cells_differing, r->rep.cells_written);
    rc = wg_cli_audit(db, "stats.recount", "stats", "cells", detail, rc, err);
out:
    wg_catalog_snap_release(snap);
    wg_calendar_free(cal);
    return rc;
}

static int parse_day(const char *opt, const char *s, int *out)
{
    if ((*out = wg_civil_parse_date(s)) < 0) {
        fprintf(stderr, "wangge: %s '%s' is not a date (YYYY-MM-DD)\n", opt, s);
        return 1;
    }
    return 0;
}

static void summary(const struct recount *r, double seconds)
{
    const struct wg_recount_report *p = &r->rep;
    printf("%lld orders and %lld events replayed; %lld cells stored, %lld recounted; %lld "
           "differed",
           p->orders, p->events, p->cells_stored, p->cells_recounted, p->cells_differing);
    if (r->o.dry_run)
        printf(" (a dry run: nothing written)");
    else
        printf(", %lld corrected; %lld roll-up rows corrected; %lld transactions", p->cells_written,
               p->rolls_differing, p->transactions);
    printf(" in %.1f s\n", seconds);
    for (int c = 0; c < WG_SC_COUNT; c++)
        if (p->counters[c])
            printf("  %-18s differed in %lld cells\n", wg_stat_counter_names[c], p->counters[c]);
    if (p->drifted)
        printf("note: %lld orders (the first: %lld) replay to other deadlines, state or unit "
               "than they have, as the catalog's limits or the holiday tables changed since; "
               "their counts follow the replay\n",
               p->drifted, p->first_drifted);
}

int wg_cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'}, {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},   {"dry-run", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    struct recount r = {.o = {.from = INT_MIN, .to = INT_MAX, .differs = print_cell}};
    struct wg_err err = {0};
    uint64_t t0 = wg_clock_us();
    int c;
    if (argc < 2 || strcmp(argv[1], "recount"))
        return wg_cli_usage(USAGE);
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "d:f:t:nh", opts, NULL)) != -1) {
        if (c == 'd')
            r.data = optarg;
        else if (c == 'f' && parse_day("--from", optarg, &r.o.from))
            return 2;
        else if (c == 't' && parse_day("--to", optarg, &r.o.to))
            return 2;
        else if (c == 'n')
            r.o.dry_run = 1;
        else if (c != 'f' && c != 't')
            return wg_cli_usage(USAGE);
    }
    if (!r.data || optind != argc)
        return wg_cli_usage(USAGE);
    if (r.o.from > r.o.to) {
        fprintf(stderr, "wangge: --from is after --to\n");
        return 2;
    }
    printf("recounting the indicators' cells%s:\n", r.o.dry_run ? " (dry run)" : "");
    fflush(stdout);
    enum wg_rc rc = wg_cli_with_db(r.data, 0, run, &r, &err);
    summary(&r, (double)(wg_clock_us() - t0) / 1e6);
    return rc ? wg_cli_fail(&err) : 0;
}
