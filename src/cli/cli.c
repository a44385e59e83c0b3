/* Helpers every subcommand shares: error and usage reporting. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <sys/stat.h>

#include "domain/accounts/audit.h"
#include "domain/accounts/pii_keys.h"
#include "store/store.h"

int wg_cli_fail(const struct wg_err *err)
{
    fprintf(stderr, "wangge: %s\n", err->msg[0] ? err->msg : wg_rc_code(err->rc));
    return err->rc == WG_EINVAL || err->rc == WG_ENOTFOUND || err->rc == WG_ECONFLICT ? 2 : 1;
}

int wg_cli_usage(const char *usage)
{
    fprintf(stderr, "usage: wangge %s\n", usage);
    return 2;
}

int wg_cli_data_args(int argc, char **argv, int positional, const char *usage, const char **data)
{
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    *data = NULL;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        if (c != 'd')
            return wg_cli_usage(usage);
        *data = optarg;
    }
    return !*data || argc - optind != positional ? wg_cli_usage(usage) : 0;
}

static const char *store_url;

void wg_cli_take_store(int *argc, char **argv)
{
    int out = 0;
    for (int i = 0; i < *argc; i++) {
        if (!strcmp(argv[i], "--store") && i + 1 < *argc) {
            store_url = argv[++i];
            continue;
        }
        if (!strncmp(argv[i], "--store=", 8)) {
            store_url = argv[i] + 8;
            continue;
        }
        argv[out++] = argv[i];
    }
    argv[out] = NULL;
    *argc = out;
}

void wg_cli_set_store(const char *url)
{
    store_url = url;
}

const char *wg_cli_store(const char *data)
{
    return store_url && *store_url ? store_url : data;
}

enum wg_rc wg_cli_with_db(const char *data, int create,
                          enum wg_rc (*fn)(struct wg_db *db, void *ctx, struct wg_err *err),
                          void *ctx, struct wg_err *err)
{
    struct wg_store *st;
    struct wg_db *db;
    enum wg_rc rc = wg_store_open(wg_cli_store(data), create, &st, err);
    if (rc)
        return rc;
    if (!(rc = wg_store_get(st, &db, err))) {
        rc = fn(db, ctx, err);
        wg_store_put(db);
    }
    wg_store_close(st);
    return rc;
}

enum wg_rc wg_cli_ensure_keys(const char *data, struct wg_err *err)
{
    /* with a store elsewhere, nothing has made the data directory yet */
    if (mkdir(data, 0700) != 0 && errno != EEXIST)
        return wg_err_set(err, WG_EIO, "cannot create data directory '%s': %s", data,
                          strerror(errno));
    enum wg_rc rc = wg_pii_keys_create(data, err);
    if (rc == WG_ECONFLICT) {
        wg_err_clear(err);
        return WG_OK;
    }
    return rc;
}

enum wg_rc wg_cli_audit(struct wg_db *db, const char *action, const char *object_type,
                        const char *object_id, const char *detail, enum wg_rc rc,
                        struct wg_err *err)
{
    char source[WG_AUDIT_SOURCE_MAX];
    wg_audit_cli_source(source);
    struct wg_audit_event ev = {.source = source,
                                .action = action,
                                .object_type = object_type,
                                .object_id = object_id,
                                .detail = detail};
    return wg_audit_outcome(db, &ev, rc, err);
}
