/* wangge locate --data DIR LON LAT [--crs gcj02]: the locate API from the shell. */
#include "cli/cli.h"

#include <getopt.h>

#include "api/handlers.h"
#include "core/param.h"
#include "domain/map/locate.h"

#define USAGE "locate --data DIR [--crs wgs84|cgcs2000|gcj02|bd09] LON LAT"

int wg_cmd_locate(int argc, char **argv)
{
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"crs", required_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *data = NULL, *crsname = NULL;
    struct wg_err err = {0};
    struct wg_store *st;
    struct wg_db *db;
    struct wg_locator *loc = NULL;
    struct wg_locate_result r;
    enum wg_crs crs;
    double lon, lat;
    enum wg_rc rc;
    int c;
    /* numbers may be negative: stop option parsing at the first non-option */
    while ((c = getopt_long(argc, argv, "+d:c:h", opts, NULL)) != -1) {
        if (c == 'd')
            data = optarg;
        else if (c == 'c')
            crsname = optarg;
        else
            return wg_cli_usage(USAGE);
    }
    if (!data || argc - optind != 2)
        return wg_cli_usage(USAGE);
    if (wg_param_coord(argv[optind], "LON", -180, 180, &lon, &err) ||
        wg_param_coord(argv[optind + 1], "LAT", -90, 90, &lat, &err) ||
        wg_crs_parse(crsname, &crs, &err))
        return wg_cli_fail(&err);
    if (wg_store_open(wg_cli_store(data), 0, &st, &err))
        return wg_cli_fail(&err);
    if (!(rc = wg_store_get(st, &db, &err))) {
        rc = wg_locator_build(db, &loc, &err);
        wg_store_put(db);
    }
    if (!rc)
        rc = wg_locator_locate(loc, lon, lat, crs, &r, &err);
    if (!rc) {
        json_t *j = wg_api_locate_json(&r);
        json_dumpf(j, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(j);
    }
    wg_locator_release(loc);
    wg_store_close(st);
    return rc ? wg_cli_fail(&err) : 0;
}
