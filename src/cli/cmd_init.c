/* wangge init --data DIR [--store URL]: creates a data directory with its keys and an empty,
 * migrated store (SQLite's in the directory, or the one at URL) and the first system
 * administrator, whose random password is printed once and must be changed at
 * first login. */
#include "cli/cli.h"

#include <getopt.h>

#include "domain/accounts/account.h"
#include "store/store.h"
#include "store/accounts/accounts_q.h"

struct first_admin {
    char password[21];
    int created;
};

static int any_account(const struct wg_account_row *a, void *ctx)
{
    (void)a;
    *(int *)ctx = 1;
    return 1;
}

static enum wg_rc make_admin(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct first_admin *f = ctx;
    int exists = 0;
    enum wg_rc rc = wg_store_account_each(db, any_account, &exists, err);
    if (rc || exists)
        return rc;
    wg_password_random(f->password);
    rc = wg_account_create(db, "admin", "sysadmin", "all", f->password, 1, err);
    f->created = rc == WG_OK;
    return wg_cli_audit(db, "user.create", "account", "admin", "sysadmin (first)", rc, err);
}

int wg_cmd_init(int argc, char **argv)
{
    const char *data = NULL;
    struct first_admin f = {{0}, 0};
    struct wg_err err = {0};
    int c;
    if ((c = wg_cli_data_args(argc, argv, 0, "init --data DIR [--store URL]", &data)))
        return c;
    if (wg_cli_with_db(data, 1, make_admin, &f, &err) || wg_cli_ensure_keys(data, &err))
        return wg_cli_fail(&err);
    printf("initialised %s\n", data);
    if (f.created)
        printf("system administrator: admin\npassword (shown only now; it must be changed at "
               "first login): %s\n",
               f.password);
    return 0;
}
