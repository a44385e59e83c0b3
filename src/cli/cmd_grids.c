/* wangge grids generate --data DIR --county 371302 --base 2062 --exclusive 510: makes a
 * generated grid map for a county (demo and benchmark data only). */
#include "cli/cli.h"

#include <getopt.h>
#include <unistd.h>

#include "domain/map/district.h"

#define USAGE "grids generate --data DIR --county CODE --base N --exclusive N [--seed N]"

struct generate {
    const struct wg_district_opts *o;
    struct wg_import_report *rep;
};

static enum wg_rc generate(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct generate *g = ctx;
    return wg_district_generate(db, g->o, g->rep, err);
}

int wg_cli_generate(const char *data, const char *county, size_t base, size_t excl, uint64_t seed,
                    struct wg_err *err)
{
    struct wg_import_report rep = {0};
    struct wg_import_opts io = {0};
    struct wg_district_opts o = {county, base, excl, seed, NULL, &io};
    enum wg_rc rc;
    if (isatty(2))
        io.progress = wg_cli_progress;
    struct generate g = {&o, &rep};
    rc = wg_cli_with_db(data, 0, generate, &g, err);
    if (io.progress)
        fputc('\n', stderr);
    wg_cli_print_report(&rep);
    if (!rc)
        printf("grids: %zu generated for county %s; %zu added, %zu changed, %zu unchanged\n",
               rep.features, county, rep.added, rep.changed, rep.unchanged);
    wg_import_report_release(&rep);
    return rc;
}

static int parse_count(const char *s, size_t *out)
{
    char *end;
    unsigned long long n = strtoull(s, &end, 10);
    if (!*s || *end || n > 10000000)
        return -1;
    *out = (size_t)n;
    return 0;
}

/* wangge orders generate --data DIR --county C --days N --orders N: demo and benchmark
 * history (the county's grids, a holiday table and the key file must exist). */
int wg_cmd_orders(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'}, {"county", required_argument, NULL, 'c'},
        {"days", required_argument, NULL, 'n'}, {"orders", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    const char *usage = "orders generate --data DIR --county CODE --days N --orders N";
    struct history_args a = {NULL, NULL, 90, 0};
    size_t days = 90, orders = 0;
    struct wg_err err = {0};
    int c;
    if (argc < 2 || strcmp(argv[1], "generate"))
        return wg_cli_usage(usage);
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "d:c:n:o:h", opts, NULL)) != -1) {
        int bad = 0;
        if (c == 'd')
            a.data = optarg;
        else if (c == 'c')
            a.county = optarg;
        else if (c == 'n')
            bad = parse_count(optarg, &days) || !days || days > 3650;
        else if (c == 'o')
            bad = parse_count(optarg, &orders) || !orders || orders > 1000000;
        else
            return wg_cli_usage(usage);
        if (bad) {
            fprintf(stderr, "wangge: '%s' is out of range (days 1-3650, orders 1-1000000)\n",
                    optarg);
            return 2;
        }
    }
    if (!a.data || !a.county || !orders || optind != argc)
        return wg_cli_usage(usage);
    a.days = (int)days;
    a.orders = (int)orders;
    if (wg_cli_with_db(a.data, 0, wg_cli_history, &a, &err))
        return wg_cli_fail(&err);
    return 0;
}

int wg_cmd_grids(int argc, char **argv)
{
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"county", required_argument, NULL, 'c'},
                                         {"base", required_argument, NULL, 'b'},
                                         {"exclusive", required_argument, NULL, 'e'},
                                         {"seed", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *data = NULL, *county = NULL;
    size_t base = 0, excl = 0, seed = 1;
    struct wg_err err = {0};
    int c;
    if (argc < 2 || strcmp(argv[1], "generate"))
        return wg_cli_usage(USAGE);
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "d:c:b:e:s:h", opts, NULL)) != -1) {
        int bad = 0;
        if (c == 'd')
            data = optarg;
        else if (c == 'c')
            county = optarg;
        else if (c == 'b')
            bad = parse_count(optarg, &base);
        else if (c == 'e')
            bad = parse_count(optarg, &excl);
        else if (c == 's')
            bad = parse_count(optarg, &seed);
        else
            return wg_cli_usage(USAGE);
        if (bad) {
            fprintf(stderr, "wangge: '%s' is not a count from 0 to 10000000\n", optarg);
            return 2;
        }
    }
    if (!data || !county || !base || optind != argc)
        return wg_cli_usage(USAGE);
    if (wg_cli_generate(data, county, base, excl, seed, &err))
        return wg_cli_fail(&err);
    return 0;
}
