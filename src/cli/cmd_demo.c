/* wangge demo --data DIR: prepares a data directory with everything the demo shows — Linyi's
 * Lanshan district (371302) from real division data and its real county boundary, cut into
 * generated grids (2,062 base and 510 exclusive, seed 000's counts). Safe to run again: a
 * directory that already holds the demo is left as it is. */
#include "cli/cli.h"

#include <getopt.h>

#include "store/store.h"

#define USAGE       "demo --data DIR"
#define DEMO_COUNTY "371302"

static enum wg_rc count_grids(struct wg_db *db, void *ctx, struct wg_err *err)
{
    return wg_store_grid_count(db, DEMO_COUNTY, ctx, err);
}

int wg_cmd_demo(int argc, char **argv)
{
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *data = NULL;
    struct wg_err err = {0};
    long n = 0;
    int c;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        if (c == 'd')
            data = optarg;
        else
            return wg_cli_usage(USAGE);
    }
    if (!data || optind != argc)
        return wg_cli_usage(USAGE);
    if (wg_cli_with_db(data, 1, count_grids, &n, &err))
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
    printf("demo: open http://127.0.0.1:8080 once it is served (no login yet: accounts come\n"
           "      with a later release; keep the server on loopback until then)\n");
    return 0;
}
