/* wangge export grids --data DIR --region CODE [--out FILE]: a subtree's grids as GeoJSON. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>

#include "domain/map/grid.h"

#define USAGE "export grids --data DIR --region CODE [--out FILE]"

struct export
{
    const char *region;
    char *text;
    size_t len;
};

static enum wg_rc export(struct wg_db *db, void *ctx, struct wg_err *err) {
    struct export *e = ctx; return wg_grid_export(db, e->region, &e->text, &e->len, err);
}

int wg_cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"region", required_argument, NULL, 'r'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *data = NULL, *region = NULL, *outpath = NULL;
    struct wg_err err = {0};
    char *text = NULL;
    size_t len = 0;
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
    struct export e = {region, NULL, 0};
    if (wg_cli_with_db(data, 0, export, &e, &err))
        return wg_cli_fail(&err);
    text = e.text;
    len = e.len;
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
