/* wangge export grids --data DIR --region CODE [--out FILE]: a subtree's grids as GeoJSON. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>

#include "domain/grid.h"

#define USAGE "export grids --data DIR --region CODE [--out FILE]"

int wg_cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"region", required_argument, NULL, 'r'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *data = NULL, *region = NULL, *outpath = NULL;
    struct wg_err err = {0};
    struct wg_store *st;
    struct wg_db *db;
    char *text = NULL;
    size_t len = 0;
    enum wg_rc rc;
    FILE *f = stdout;
    int c;
    if (argc < 2 || strcmp(argv[1], "grids"))
        return wg_cli_usage(USAGE);
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "d:r:o:h", opts, NULL)) != -1) {
        if (c == 'd')
            data = optarg;
        else if (c == 'r')
            region = optarg;
        else if (c == 'o')
            outpath = optarg;
        else
            return wg_cli_usage(USAGE);
    }
    if (!data || !region || optind != argc)
        return wg_cli_usage(USAGE);
    if (wg_store_open(data, 0, &st, &err))
        return wg_cli_fail(&err);
    if (!(rc = wg_store_get(st, &db, &err))) {
        rc = wg_grid_export(db, region, &text, &len, &err);
        wg_store_put(db);
    }
    wg_store_close(st);
    if (rc)
        return wg_cli_fail(&err);
    if (outpath && !(f = fopen(outpath, "w"))) {
        free(text);
        wg_err_set(&err, WG_EIO, "cannot write '%s': %s", outpath, strerror(errno));
        return wg_cli_fail(&err);
    }
    if (fwrite(text, 1, len, f) != len || (f != stdout && fclose(f) != 0)) {
        free(text);
        wg_err_set(&err, WG_EIO, "cannot write '%s'", outpath ? outpath : "standard output");
        return wg_cli_fail(&err);
    }
    free(text);
    return 0;
}
