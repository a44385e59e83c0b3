/* wangge audit verify|list: check the audit log's hash chain, and read the log. Both only
 * read; there is no command that changes or removes audit records. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>

#include "domain/accounts/audit.h"
#include "store/store.h"
#include "store/accounts/accounts_q.h"

#define VERIFY_USAGE "audit verify --data DIR"
#define LIST_USAGE                                                                                 \
    "audit list --data DIR [--actor A] [--action X] [--object-type T] [--object-id I] "            \
    "[--since T] [--until T] [--limit N] [--offset N]"

static enum wg_rc verify(struct wg_db *db, void *ctx, struct wg_err *err)
{
    return wg_audit_verify(db, ctx, err);
}

static int audit_verify(int argc, char **argv)
{
    const char *data = NULL;
    struct wg_audit_report rep;
    struct wg_err err = {0};
    int c;
    if ((c = wg_cli_data_args(argc, argv, 0, VERIFY_USAGE, &data)))
        return c;
    if (wg_cli_with_db(data, 0, verify, &rep, &err))
        return wg_cli_fail(&err);
    if (rep.bad_seq) {
        printf("audit: record %lld: %s\n", rep.bad_seq, rep.what);
        return 1;
    }
    printf("audit: %lld records, chain intact\n", rep.records);
    /* kept elsewhere (a ticket, a printout), the head also shows a log cut short later */
    if (rep.records)
        printf("head: record %lld, hash %s\n", rep.records, rep.head);
    return 0;
}

/* Writes s as one TSV field: backslash, tab, newline and other control bytes escaped, so a
 * record can never break the line structure. */
static void field(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\\')
            fputs("\\\\", stdout);
        else if (*p == '\t')
            fputs("\\t", stdout);
        else if (*p == '\n')
            fputs("\\n", stdout);
        else if (*p == '\r')
            fputs("\\r", stdout);
        else if (*p < 0x20 || *p == 0x7f)
            printf("\\x%02x", *p);
        else
            putchar(*p);
    }
}

#define HEADER "seq\tat\tactor\trole\tsource\taction\tobject_type\tobject_id\tresult\tdetail\n"

struct listing {
    const struct wg_audit_filter *f;
    int rows;
};

static int print_row(const struct wg_audit_row *r, void *ctx)
{
    const char *f[] = {r->at,          r->actor,     r->role,   r->source, r->action,
                       r->object_type, r->object_id, r->result, r->detail};
    struct listing *l = ctx;
    if (!l->rows++)
        fputs(HEADER, stdout);
    printf("%lld", r->seq);
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        putchar('\t');
        field(f[i]);
    }
    putchar('\n');
    return 0;
}

static enum wg_rc list(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct listing *l = ctx;
    enum wg_rc rc = wg_audit_query(db, l->f, print_row, l, err);
    if (!rc && !l->rows)
        fputs(HEADER, stdout);
    return rc;
}

static int number(const char *what, const char *s, long long *out, struct wg_err *err)
{
    char *end;
    errno = 0;
    *out = strtoll(s, &end, 10);
    if (errno || end == s || *end || *out < 0)
        return wg_err_set(err, WG_EINVAL, "%s '%s' is not a whole number", what, s);
    return WG_OK;
}

static int audit_list(int argc, char **argv)
{
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"actor", required_argument, NULL, 'a'},
                                         {"action", required_argument, NULL, 'x'},
                                         {"object-type", required_argument, NULL, 't'},
                                         {"object-id", required_argument, NULL, 'i'},
                                         {"since", required_argument, NULL, 's'},
                                         {"until", required_argument, NULL, 'u'},
                                         {"limit", required_argument, NULL, 'n'},
                                         {"offset", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *data = NULL;
    struct wg_audit_filter f = {0};
    struct wg_err err = {0};
    int c;
    while ((c = getopt_long(argc, argv, "d:a:x:t:i:s:u:n:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            data = optarg;
            break;
        case 'a':
            f.actor = optarg;
            break;
        case 'x':
            f.action = optarg;
            break;
        case 't':
            f.object_type = optarg;
            break;
        case 'i':
            f.object_id = optarg;
            break;
        case 's':
            f.since = optarg;
            break;
        case 'u':
            f.until = optarg;
            break;
        case 'n':
            if (number("--limit", optarg, &f.limit, &err))
                return wg_cli_fail(&err);
            if (f.limit == 0) {
                wg_err_set(&err, WG_EINVAL, "--limit must be at least 1");
                return wg_cli_fail(&err);
            }
            break;
        case 'o':
            if (number("--offset", optarg, &f.offset, &err))
                return wg_cli_fail(&err);
            break;
        default:
            return wg_cli_usage(LIST_USAGE);
        }
    }
    if (!data || optind != argc)
        return wg_cli_usage(LIST_USAGE);
    struct listing l = {&f, 0};
    if (wg_cli_with_db(data, 0, list, &l, &err))
        return wg_cli_fail(&err);
    return 0;
}

int wg_cmd_audit(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "verify"))
        return audit_verify(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "list"))
        return audit_list(argc - 1, argv + 1);
    fprintf(stderr, "usage: wangge %s\n       wangge %s\n", VERIFY_USAGE, LIST_USAGE);
    return 2;
}
