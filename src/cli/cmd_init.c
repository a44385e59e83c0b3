/* wangge init --data DIR [--store URL]: creates a data directory with its keys and an empty,
 * migrated store (SQLite's in the directory, or the one at URL) and the first of each of the
 * three administrators (三员分立): the system administrator "admin", the security
 * administrator "secadmin" and the audit administrator "auditor", each with a random one-time
 * password printed once, which its holder must change at first login. Run again on a store
 * that lacks one of the three (made before they were), it makes that one alone. */
#include "cli/cli.h"

#include <getopt.h>

#include <sodium.h>

#include "domain/accounts/account.h"
#include "store/store.h"
#include "store/accounts/accounts_q.h"

static const struct {
    const char *role, *username, *label;
} firsts[] = {
    {"sysadmin", "admin", "system administrator"},
    {"secadmin", "secadmin", "security administrator"},
    {"auditor", "auditor", "audit administrator"},
};
#define NFIRST (sizeof firsts / sizeof firsts[0])

struct first_admins {
    int has[NFIRST];     /* an account of the role is there already */
    int created[NFIRST]; /* made now */
    char password[NFIRST][21];
};

static int seen(const struct wg_account_row *a, void *ctx)
{
    struct first_admins *f = ctx;
    for (size_t i = 0; i < NFIRST; i++)
        if (!strcmp(a->role, firsts[i].role))
            f->has[i] = 1;
    return 0;
}

static enum wg_rc make_admins(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct first_admins *f = ctx;
    enum wg_rc rc = wg_store_account_each(db, seen, f, err);
    for (size_t i = 0; !rc && i < NFIRST; i++) {
        char detail[64];
        if (f->has[i])
            continue;
        wg_password_random(f->password[i]);
        rc = wg_account_create(db, firsts[i].username, firsts[i].role, "all", f->password[i], 1,
                               err);
        if (rc == WG_ECONFLICT)
            wg_err_set(err, rc,
                       "no account has the role %s, and the name '%s' its first would have is "
                       "taken by another",
                       firsts[i].role, firsts[i].username);
        f->created[i] = rc == WG_OK;
        snprintf(detail, sizeof detail, "%s (first)", firsts[i].role);
        rc = wg_cli_audit(db, "user.create", "account", firsts[i].username, detail, rc, err);
    }
    return rc;
}

int wg_cmd_init(int argc, char **argv)
{
    const char *data = NULL;
    struct first_admins f;
    struct wg_err err = {0};
    int c, any = 0;
    memset(&f, 0, sizeof f);
    if ((c = wg_cli_data_args(argc, argv, 0, "init --data DIR [--store URL]", &data)))
        return c;
    if (wg_cli_with_db(data, 1, make_admins, &f, &err) || wg_cli_ensure_keys(data, &err))
        return wg_cli_fail(&err);
    printf("initialised %s\n", data);
    for (size_t i = 0; i < NFIRST; i++) {
        if (!f.created[i])
            continue;
        if (!any++)
            printf("the first administrators, each with a one-time password shown only now;\n"
                   "each sets their own at first login, and no administrator learns "
                   "another's:\n");
        printf("  %-9s %-9s %s   %s\n", firsts[i].role, firsts[i].username, f.password[i],
               firsts[i].label);
    }
    sodium_memzero(&f, sizeof f);
    return 0;
}
