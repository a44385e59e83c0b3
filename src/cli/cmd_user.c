/* wangge user add --data DIR --username U --role R --scope S --password-file F
 * wangge apikey add --data DIR --name N --scope S --permissions open311[,...]
 * Operational accounts only (agent, supervisor, handler, gridworker, community, mediator,
 * leader): the three administrators' accounts are never made with a password someone chose
 * (三员分立, domain/accounts/account.h) — `wangge init` makes the first of each, a secadmin
 * the others. Accounts made here must change their password at first login; an API key is
 * printed once and only its hash is kept. */
#include "cli/cli.h"

#include <getopt.h>

#include "core/csv.h"
#include "domain/accounts/session.h"

#define USER_USAGE "user add --data DIR --username U --role R --scope S --password-file F"
#define KEY_USAGE  "apikey add --data DIR --name N --scope S --permissions open311[,...]"

struct user {
    const char *username, *role, *scope;
    char *password;
};

static enum wg_rc add_user(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct user *u = ctx;
    enum wg_rc rc = wg_account_create(db, u->username, u->role, u->scope, u->password, 1, err);
    return wg_cli_audit(db, "user.create", "account", u->username, u->role, rc, err);
}

int wg_cmd_user(int argc, char **argv)
{
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"username", required_argument, NULL, 'u'},
                                         {"role", required_argument, NULL, 'r'},
                                         {"scope", required_argument, NULL, 's'},
                                         {"password-file", required_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *data = NULL, *pwfile = NULL;
    struct user u = {NULL, NULL, NULL, NULL};
    struct wg_err err = {0};
    size_t len;
    int c, rc;
    if (argc < 2 || strcmp(argv[1], "add"))
        return wg_cli_usage(USER_USAGE);
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "d:u:r:s:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            data = optarg;
            break;
        case 'u':
            u.username = optarg;
            break;
        case 'r':
            u.role = optarg;
            break;
        case 's':
            u.scope = optarg;
            break;
        case 'p':
            pwfile = optarg;
            break;
        default:
            return wg_cli_usage(USER_USAGE);
        }
    }
    if (!data || !u.username || !u.role || !u.scope || !pwfile || optind != argc)
        return wg_cli_usage(USER_USAGE);
    if (wg_role_is_admin(u.role)) {
        wg_err_set(&err, WG_EINVAL,
                   "role '%s' is an administrator's: the command line makes operational "
                   "accounts only; 'wangge init' makes the first sysadmin, secadmin and "
                   "auditor, and a secadmin makes the others (POST /api/v1/admins), each with "
                   "a one-time password",
                   u.role);
        return wg_cli_fail(&err);
    }
    /* a file, not an argument: arguments show in the process list and shell history */
    if (wg_file_read(pwfile, 4096, &u.password, &len, &err))
        return wg_cli_fail(&err);
    u.password[strcspn(u.password, "\r\n")] = '\0';
    rc = wg_cli_with_db(data, 0, add_user, &u, &err);
    memset(u.password, 0, len);
    free(u.password);
    if (rc)
        return wg_cli_fail(&err);
    printf("account '%s' (%s, scope %s) created; the password must be changed at first login\n",
           u.username, u.role, u.scope);
    return 0;
}

struct key {
    const char *name, *scope;
    uint32_t perms;
    char key[WG_APIKEY_LEN + 1], id[24];
};

static enum wg_rc add_key(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct key *k = ctx;
    enum wg_rc rc = wg_apikey_create(db, k->name, k->scope, k->perms, k->key, k->id, err);
    return wg_cli_audit(db, "apikey.create", "apikey", rc ? "" : k->id, k->name, rc, err);
}

int wg_cmd_apikey(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},  {"name", required_argument, NULL, 'n'},
        {"scope", required_argument, NULL, 's'}, {"permissions", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    const char *data = NULL, *perms = NULL;
    struct key k;
    struct wg_err err = {0};
    int c;
    memset(&k, 0, sizeof k);
    if (argc < 2 || strcmp(argv[1], "add"))
        return wg_cli_usage(KEY_USAGE);
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "d:n:s:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            data = optarg;
            break;
        case 'n':
            k.name = optarg;
            break;
        case 's':
            k.scope = optarg;
            break;
        case 'p':
            perms = optarg;
            break;
        default:
            return wg_cli_usage(KEY_USAGE);
        }
    }
    if (!data || !k.name || !k.scope || !perms || optind != argc)
        return wg_cli_usage(KEY_USAGE);
    if (wg_perm_parse_list(perms, &k.perms, &err) || wg_cli_with_db(data, 0, add_key, &k, &err))
        return wg_cli_fail(&err);
    printf("API key %s for '%s' (shown only now; keep it safe):\n%s\n", k.id, k.name, k.key);
    memset(k.key, 0, sizeof k.key);
    return 0;
}
