/* wangge store copy --from STORE --to STORE: moves a district's store to another, e.g. from
 * SQLite to PostgreSQL when it outgrows one server (docs/DEPLOY.md), or back. A STORE is a
 * URL (sqlite:DIR, postgresql://...) or a data directory (its SQLite store). The destination
 * is made here and must hold nothing yet; the copy is read back and compared before it is
 * called done, and recorded in the destination's audit log. */
#include "cli/cli.h"

#include <getopt.h>

#include "core/clock.h"
#include "store/store.h"

#define USAGE "store copy --from STORE --to STORE"

static void progress(const char *table, long long rows, void *ctx)
{
    (void)ctx;
    printf("  %-16s %lld rows\n", table, rows);
    fflush(stdout);
}

static enum wg_rc copy(const char *from, const char *to, struct wg_copy_report *rep,
                       struct wg_err *err)
{
    struct wg_store *a = NULL, *b = NULL;
    struct wg_db *db = NULL;
    enum wg_rc rc;
    char detail[128];
    if (!strcmp(from, to))
        return wg_err_set(err, WG_EINVAL, "--from and --to name the same store");
    if ((rc = wg_store_open(from, 0, &a, err))) {
        wg_err_prefix(err, "--from");
        return rc;
    }
    if ((rc = wg_store_open(to, 1, &b, err))) {
        wg_err_prefix(err, "--to");
        wg_store_close(a);
        return rc;
    }
    rc = wg_store_copy(a, b, progress, NULL, rep, err);
    snprintf(detail, sizeof detail, "%d tables, %lld rows, read back the same", rep->tables,
             rep->rows);
    if (!rc && !(rc = wg_store_get(b, &db, err)))
        rc = wg_cli_audit(db, "store.copy", "store", "copy", detail, rc, err);
    wg_store_put(db);
    wg_store_close(a);
    wg_store_close(b);
    return rc;
}

int wg_cmd_store(int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *from = NULL, *to = NULL;
    struct wg_copy_report rep;
    struct wg_err err = {0};
    uint64_t t0 = wg_clock_us();
    int c;
    if (argc < 2 || strcmp(argv[1], "copy"))
        return wg_cli_usage(USAGE);
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "f:t:h", opts, NULL)) != -1) {
        if (c == 'f')
            from = optarg;
        else if (c == 't')
            to = optarg;
        else
            return wg_cli_usage(USAGE);
    }
    if (!from || !to || optind != argc)
        return wg_cli_usage(USAGE);
    printf("copying the store:\n");
    if (copy(from, to, &rep, &err))
        return wg_cli_fail(&err);
    printf("copied %lld rows of %d tables in %.1f s; read back, the copy is the same\n", rep.rows,
           rep.tables, (double)(wg_clock_us() - t0) / 1e6);
    return 0;
}
