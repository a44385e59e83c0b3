/* wangge key rotate --data DIR: adds a new key version for personal fields and re-seals
 * every stored value under it. Old versions stay in the key file, so a value sealed by a
 * server still running on the old keys still opens. */
#include "cli/cli.h"

#include <getopt.h>

#include "domain/accounts/pii_keys.h"
#include "domain/accounts/pii_rotate.h"
#include "domain/accounts/profile.h"

#define USAGE "key rotate --data DIR"

struct rotate {
    const char *data;
    size_t moved;
    unsigned version;
};

static enum wg_rc rotate(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct rotate *r = ctx;
    struct wg_pii_keys *keys;
    enum wg_rc rc;
    if ((rc = wg_pii_keys_rotate(r->data, err)) || (rc = wg_pii_keys_load(r->data, &keys, err)))
        return rc;
    r->version = wg_pii_keys_current(keys);
    size_t kept_with_orders = 0;
    if (!(rc = wg_profile_rotate(db, keys, &r->moved, err)))
        rc = wg_pii_rotate_stored(db, keys, &kept_with_orders, err);
    r->moved += kept_with_orders;
    wg_pii_keys_free(keys);
    char detail[64];
    snprintf(detail, sizeof detail, "version %u; %zu values re-sealed", r->version, r->moved);
    return wg_cli_audit(db, "key.rotate", "key", "pii", detail, rc, err);
}

int wg_cmd_key(int argc, char **argv)
{
    struct rotate r = {NULL, 0, 0};
    struct wg_err err = {0};
    int c;
    if (argc < 2 || strcmp(argv[1], "rotate"))
        return wg_cli_usage(USAGE);
    argc--;
    argv++;
    if ((c = wg_cli_data_args(argc, argv, 0, USAGE, &r.data)))
        return c;
    if (wg_cli_with_db(r.data, 0, rotate, &r, &err))
        return wg_cli_fail(&err);
    printf("key version %u is current; %zu stored values re-sealed under it\n", r.version, r.moved);
    return 0;
}
