/* wangge demo --data DIR: prepares a data directory with everything the demo shows — Linyi's
 * Lanshan district (371302) from real division data and its real county boundary, cut into
 * generated grids (2,062 base and 510 exclusive, seed 000's counts), with months of appeals,
 * a registry, and mediation bodies with a year of dispute cases. Safe to run again: a
 * directory that already holds the demo is left as it is. */
#include "cli/cli.h"
#include "cli/commands.h"

#include <getopt.h>
#include <sys/stat.h>
#include <time.h>

#include "domain/accounts/account.h"
#include "domain/accounts/pii_keys.h"
#include "domain/alerts/alert.h"
#include "domain/alerts/task.h"
#include "domain/assess/assess.h"
#include "domain/assess/survey.h"
#include "domain/partake/sample_partake.h"
#include "domain/partake/wish.h"
#include "domain/disputes/sample_cases.h"
#include "domain/orders/history.h"
#include "domain/map/npmsrc.h"
#include "store/store.h"
#include "store/accounts/accounts_q.h"
#include "store/map/map_q.h"
#include "store/orders/orders_q.h"

#define USAGE       "demo --data DIR"
#define DEMO_COUNTY "371302"

static int count_one(const struct wg_order_row *o, void *ctx)
{
    (void)o;
    ++*(long *)ctx;
    return 1;
}

static enum wg_rc count_grids(struct wg_db *db, void *ctx, struct wg_err *err)
{
    return wg_store_grid_count(db, DEMO_COUNTY, ctx, err);
}

/* One account per role for trying the platform; the passwords are printed by make demo and
 * are demo passwords only (a real deployment's accounts must change theirs at first login). */
static const struct {
    const char *username, *role, *scope;
} demo_accounts[] = {
    {"admin", "sysadmin", "all"},
    {"secadmin", "secadmin", "all"},
    {"auditor", "auditor", "all"},
    {"agent", "agent", DEMO_COUNTY},
    {"supervisor", "supervisor", DEMO_COUNTY},
    {"gridworker", "gridworker", "371302001"},
    {"community", "community", "371302001"},
    {"mediator", "mediator", "371302001"},
    {"leader", "leader", DEMO_COUNTY},
    /* the mediators of the centre, its studio and rota, and two towns' committees
     * (domain/disputes/sample_cases.h names them) */
    {"lichuanbao", "mediator", DEMO_COUNTY},
    {"zhangguilan", "mediator", DEMO_COUNTY},
    {"wanghaitao", "mediator", DEMO_COUNTY},
    {"liujing", "mediator", DEMO_COUNTY},
    {"zhaoyongjun", "mediator", "371302102"},
    {"sunxiaoyan", "mediator", "371302004"},
};
#define DEMO_PASSWORD "Demo-2026"

static enum wg_rc make_accounts(struct wg_db *db, void *ctx, struct wg_err *err)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof demo_accounts / sizeof demo_accounts[0]; i++) {
        struct wg_account_row a;
        enum wg_rc rc = wg_store_account_get(db, demo_accounts[i].username, &a, err);
        if (rc == WG_OK)
            continue;
        if (rc != WG_ENOTFOUND)
            return rc;
        if ((rc = wg_account_create(db, demo_accounts[i].username, demo_accounts[i].role,
                                    demo_accounts[i].scope, DEMO_PASSWORD, 0, err)))
            return rc;
    }
    return WG_OK;
}

/* One handler account per demo unit, "handler.<unit>" bound to it (the units exist once the
 * history has made them). */
static enum wg_rc make_handlers(struct wg_db *db, void *ctx, struct wg_err *err)
{
    (void)ctx;
    for (size_t i = 0; i < wg_demo_ndepartments; i++) {
        char name[64], scope[64];
        struct wg_account_row a;
        snprintf(name, sizeof name, "%s%s", WG_DEMO_HANDLER_PREFIX, wg_demo_departments[i].id);
        snprintf(scope, sizeof scope, "unit:%s", wg_demo_departments[i].id);
        enum wg_rc rc = wg_store_account_get(db, name, &a, err);
        if (rc == WG_OK)
            continue;
        if (rc != WG_ENOTFOUND)
            return rc;
        if ((rc = wg_account_create(db, name, "handler", scope, DEMO_PASSWORD, 0, err)))
            return rc;
    }
    return WG_OK;
}

/* The State Council's holiday tables from the npm package chinese-days. */
static enum wg_rc load_holidays(const char *data, struct wg_err *err)
{
    char pkg[4096], file[4200], dir[4200];
    struct stat sb;
    enum wg_rc rc;
    snprintf(dir, sizeof dir, "%s/calendar/holidays.json", data);
    if (stat(dir, &sb) == 0)
        return WG_OK;
    if ((rc = wg_npm_package(WG_PKG_HOLIDAYS, pkg, sizeof pkg, err)))
        return rc;
    snprintf(file, sizeof file, "%s/dist/chinese-days.json", pkg);
    char *argv[] = {"calendar", "load", "--data", (char *)data, file, NULL};
    optind = 1;
    return wg_cmd_calendar(5, argv) ? wg_err_set(err, WG_EIO, "loading %s failed", file) : WG_OK;
}

/* What the generators below need from the data directory: the shipped catalog, the holiday
 * calendar (counting weekdays past its last published year), the keys and, with locate, the
 * map's locator. demo_env_close releases whatever was opened, after a failure too. */
struct demo_env {
    struct wg_catalog cat;
    struct wg_calendar *cal;
    struct wg_pii_keys *keys;
    struct wg_locator *loc;
};

static enum wg_rc demo_env_open(struct wg_db *db, const char *data, int locate, struct demo_env *e,
                                struct wg_err *err)
{
    char path[4200];
    enum wg_rc rc;
    memset(e, 0, sizeof *e);
    wg_catalog_init(&e->cat);
    e->cal = wg_calendar_new();
    snprintf(path, sizeof path, "%s/calendar/holidays.json", data);
    if ((rc = wg_catalog_load_defaults(&e->cat, err)) || (rc = wg_catalog_validate(&e->cat, err)) ||
        (rc = wg_calendar_load_file(e->cal, path, err)) ||
        (rc = wg_pii_keys_load(data, &e->keys, err)) ||
        (locate && (rc = wg_locator_build(db, &e->loc, err))))
        return rc;
    wg_calendar_set_fallback(e->cal, true);
    return WG_OK;
}

static void demo_env_close(struct demo_env *e)
{
    wg_locator_release(e->loc);
    wg_pii_keys_free(e->keys);
    wg_calendar_free(e->cal);
    wg_catalog_release(&e->cat);
}

/* Generated history through the loop: `wangge orders generate`, and the demo's 90 days at
 * seed 000's volume (30,000 a year: about 7,400). */
enum wg_rc wg_cli_history(struct wg_db *db, void *ctx, struct wg_err *err)
{
    const struct history_args *a = ctx;
    struct demo_env e;
    struct wg_history_report rep;
    long n = 0;
    struct wg_order_filter f = {0};
    enum wg_rc rc = demo_env_open(db, a->data, 1, &e, err);
    f.limit = 1;
    if (rc || (rc = wg_store_order_list(db, &f, count_one, &n, err)) || n)
        goto out; /* the history is there already */
    struct wg_order_env env = {e.keys, &e.cat, e.cal, NULL};
    struct wg_history_opts o = {a->county, a->days, a->orders, 371302, (long long)time(NULL)};
    printf("orders: generating %d over %d days through the loop (demo data)\n", a->orders, a->days);
    fflush(stdout);
    if (!(rc = wg_history_generate(db, &env, e.loc, &o, &rep, err)))
        printf("orders: %d created, %d actions taken\n", rep.orders, rep.actions);
out:
    demo_env_close(&e);
    return rc;
}

/* The demo's mediation bodies and a year of dispute cases (domain/disputes/sample_cases.h):
 * seed 000's tenth, as the registry is — about 2,400 cases. */
static enum wg_rc demo_disputes(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct demo_env e;
    struct wg_case_boxes boxes;
    struct wg_case_sample_report rep;
    struct timespec t0, t1;
    enum wg_rc rc;
    wg_case_boxes_init(&boxes);
    if ((rc = demo_env_open(db, ctx, 0, &e, err)))
        goto out;
    struct wg_case_env env = {e.keys, e.cal, &boxes};
    struct wg_case_sample_opts o = {DEMO_COUNTY,           2400,       365,        371302,
                                    (long long)time(NULL), "mediator", "371302001"};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int screened = 0;
    if ((rc = wg_case_sample(db, &env, &o, &rep, err)) || !rep.cases ||
        (rc = wg_screening_sample(db, &env, o.now, o.seed, &screened, err)))
        goto out;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("disputes: %d mediation bodies (%d members), %d cases over %d days, %d steps, in "
           "%.1f s\n",
           rep.bodies, rep.members, rep.cases, o.days, rep.steps, secs);
    printf("disputes: %d screenings of the past answered (the county's monthly and the towns' "
           "half-monthly of the year, the villages' weekly of eight weeks)\n",
           screened);
    printf("disputes: %d ended (%d at grid or village: %.1f%%), %d agreed of %d accepted "
           "(%.1f%%), %d referred, %d refused, %d still open\n",
           rep.ended, rep.ended_low, rep.ended ? 100.0 * rep.ended_low / rep.ended : 0.0,
           rep.agreed, rep.accepts, rep.accepts ? 100.0 * rep.agreed / rep.accepts : 0.0,
           rep.referred, rep.refused, rep.open);
    printf("disputes: types");
    for (int i = 0; wg_case_types[i]; i++)
        printf(" %s %.1f%%", wg_case_types[i], 100.0 * rep.types[i] / rep.cases);
    printf("\ndisputes: risks");
    for (int i = 0; wg_case_risks[i]; i++)
        printf(" %s %.1f%%", wg_case_risks[i], 100.0 * rep.risks[i] / rep.cases);
    printf("\ndisputes: sources");
    for (int i = 0; wg_case_sources[i]; i++)
        printf(" %s %.1f%%", wg_case_sources[i], 100.0 * rep.sources[i] / rep.cases);
    printf("\n");
out:
    demo_env_close(&e);
    return rc;
}

/* The demo's devices and three days of their alerts (domain/alerts/alert.h, wg_alert_sample),
 * orders made as the rules say. */
static enum wg_rc demo_alerts(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct demo_env e;
    struct wg_alert_sample_report rep;
    enum wg_rc rc = demo_env_open(db, ctx, 1, &e, err);
    struct wg_order_env env = {e.keys, &e.cat, e.cal, NULL};
    if (rc || (rc = wg_alert_sample(db, &env, e.loc, (long long)time(NULL), 3, 21, &rep, err)) ||
        !rep.devices)
        goto out;
    printf("alerts: %d devices (%d cameras, %d sensors, %d drones); %lld sightings over 3 days "
           "merged into %lld alerts: %lld ordered, %lld waiting for review, %lld watched, %lld "
           "of low confidence\n",
           rep.devices, rep.cameras, rep.sensors, rep.drones, rep.lines, rep.alerts, rep.ordered,
           rep.review, rep.pending, rep.ignored);
out:
    demo_env_close(&e);
    return rc;
}

/* The demo's 未诉先办 tasks and leaders' 帮包 (domain/alerts/task.h, wg_task_sample), from
 * the history's counters. */
static enum wg_rc demo_tasks(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct demo_env e;
    struct wg_task_sample_report rep;
    enum wg_rc rc = demo_env_open(db, ctx, 0, &e, err);
    struct wg_task_env env = {e.cal, &e.cat, e.keys};
    if (rc || (rc = wg_task_sample(db, &env, DEMO_COUNTY, DEMO_PASSWORD, (long long)time(NULL),
                                   &rep, err)))
        goto out;
    if (rep.tasks)
        printf("tasks: %d 未诉先办 tasks (%d closed, %d done, %d open; %d progress notes); "
               "%d leaders on %d grids' 帮包 with %d notes\n",
               rep.tasks, rep.closed, rep.done, rep.open, rep.progress, rep.leaders,
               rep.sponsorships, rep.notes);
out:
    demo_env_close(&e);
    return rc;
}

/* The demo's assessment (domain/assess/assess.h, wg_assess_sample): last month frozen, this
 * month's drafts. */
static enum wg_rc demo_assess(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct demo_env e;
    int made = 0;
    enum wg_rc rc = demo_env_open(db, ctx, 0, &e, err);
    if (!rc &&
        !(rc = wg_assess_sample(db, e.cal, e.keys, DEMO_COUNTY, "supervisor", (long long)time(NULL),
                                &made, err)) &&
        made)
        printf("assessment: %d monthly results (last month frozen, this month's drafts)\n", made);
    demo_env_close(&e);
    return rc;
}

/* The demo's telephone surveys (domain/assess/survey.h, wg_survey_demo): last round's
 * finished, this round's under way. */
static enum wg_rc demo_surveys(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct demo_env e;
    struct wg_survey_sample_report rep;
    enum wg_rc rc = demo_env_open(db, ctx, 0, &e, err);
    if (!rc &&
        !(rc = wg_survey_demo(db, e.keys, DEMO_COUNTY, DEMO_PASSWORD, (long long)time(NULL), &rep,
                              err)) &&
        rep.surveys)
        printf("surveys: %d telephone surveys, %d numbers drawn, %d calls (%d reached); "
               "agents wangli and chenjing\n",
               rep.surveys, rep.numbers, rep.calls, rep.reached);
    demo_env_close(&e);
    return rc;
}

/* The demo's 一长二员 teams, volunteers and mobilisations (domain/partake/sample_partake.h)
 * over the demo town's communities, after the registry they draw on. */
static enum wg_rc demo_partake(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct demo_env e;
    struct wg_partake_sample_report rep;
    enum wg_rc rc = demo_env_open(db, ctx, 0, &e, err);
    if (rc ||
        (rc = wg_partake_sample(db, e.keys, "371302001", (long long)time(NULL), 371302, &rep, err)))
        goto out;
    if (rep.teams)
        printf("partake: %d 一长二员 teams in %d stairwells with %d visits this month; %d "
               "volunteer teams, %d volunteers, %d service records, %d redemptions; %d "
               "mobilisations with %d reports\n",
               rep.teams, rep.stairwells, rep.visits, rep.vteams, rep.volunteers, rep.hours,
               rep.redemptions, rep.mobilisations, rep.reports);
out:
    demo_env_close(&e);
    return rc;
}

/* The demo's wish wall and 一事一议 (domain/partake/wish.h, wg_partake_sample), over the
 * registry's party members and the volunteers. */
static enum wg_rc demo_wishes(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct demo_env e;
    struct wg_wish_sample_report rep;
    enum wg_rc rc = demo_env_open(db, ctx, 1, &e, err);
    struct wg_order_env env = {e.keys, &e.cat, e.cal, NULL};
    if (rc || (rc = wg_wish_sample(db, &env, e.loc, DEMO_COUNTY, (long long)time(NULL), &rep, err)))
        goto out;
    if (rep.wishes)
        printf("partake: %d wishes on the wall (%d confirmed by their residents), %d "
               "deliberations (%d public notices), %d entries of the communities' lists\n",
               rep.wishes, rep.confirmed, rep.deliberations, rep.notices, rep.items);
out:
    demo_env_close(&e);
    return rc;
}

static void print_accounts(void)
{
    printf("demo accounts (password %s for each; demo only):\n", DEMO_PASSWORD);
    for (size_t i = 0; i < sizeof demo_accounts / sizeof demo_accounts[0]; i++)
        printf("  %-11s %-11s scope %s\n", demo_accounts[i].username, demo_accounts[i].role,
               demo_accounts[i].scope);
    printf("  one handler per unit, scope unit:<unit>:\n");
    for (size_t i = 0; i < wg_demo_ndepartments; i++)
        if (!i || strcmp(wg_demo_departments[i].id, wg_demo_departments[i - 1].id))
            printf("  %s%-6s handler     %s\n", WG_DEMO_HANDLER_PREFIX, wg_demo_departments[i].id,
                   wg_demo_departments[i].name);
    printf("  demo reporters are fictitious; their phones (154…) are of a prefix no carrier "
           "has, so they reach nobody\n");
}

int wg_cmd_demo(int argc, char **argv)
{
    /* seed 000's proportions at a tenth of Lanshan's 1.2 million residents; the households of
     * the demo grid worker's town paired with that account */
    struct registry_args demo_registry = {
        NULL, {DEMO_COUNTY, 120000, 371302, (long long)time(NULL), "gridworker", "371302001"}};
    const char *data = NULL;
    struct wg_err err = {0};
    long n = 0;
    int c;
    if ((c = wg_cli_data_args(argc, argv, 0, USAGE, &data)))
        return c;
    demo_registry.data = data;
    if (wg_cli_with_db(data, 1, count_grids, &n, &err) || wg_cli_ensure_keys(data, &err))
        return wg_cli_fail(&err);
    if (n > 0) {
        printf("demo: %s already holds the Lanshan demo (%ld grids)\n", data, n);
        goto done;
    }
    printf("demo: loading Lanshan district (%s) divisions\n", DEMO_COUNTY);
    if (wg_cli_import_divisions(data, DEMO_COUNTY, NULL, &err))
        return wg_cli_fail(&err);
    printf("demo: generating 2062 base and 510 exclusive grids (demo data, not a survey)\n");
    if (wg_cli_generate(data, DEMO_COUNTY, 2062, 510, 371302, &err))
        return wg_cli_fail(&err);
    printf("demo: ready in %s\n", data);
done:
    if (wg_cli_with_db(data, 0, make_accounts, NULL, &err) || load_holidays(data, &err) ||
        wg_cli_with_db(data, 0, wg_cli_history, &(struct history_args){data, DEMO_COUNTY, 90, 7400},
                       &err) ||
        wg_cli_with_db(data, 0, make_handlers, NULL, &err) ||
        wg_cli_with_db(data, 0, wg_cli_registry, &demo_registry, &err) ||
        wg_cli_with_db(data, 0, demo_disputes, (void *)data, &err) ||
        wg_cli_with_db(data, 0, demo_alerts, (void *)data, &err) ||
        wg_cli_with_db(data, 0, demo_tasks, (void *)data, &err) ||
        wg_cli_with_db(data, 0, demo_assess, (void *)data, &err) ||
        wg_cli_with_db(data, 0, demo_surveys, (void *)data, &err) ||
        wg_cli_with_db(data, 0, demo_partake, (void *)data, &err) ||
        wg_cli_with_db(data, 0, demo_wishes, (void *)data, &err))
        return wg_cli_fail(&err);
    print_accounts();
    printf("demo: once it is served, open the console at http://127.0.0.1:8080 and log in as\n"
           "  agent / %s (or any account above); the API takes the same login:\n"
           "  curl -X POST http://127.0.0.1:8080/api/v1/session -d "
           "'{\"username\":\"agent\",\"password\":\"%s\"}'\n",
           DEMO_PASSWORD, DEMO_PASSWORD);
    return 0;
}
