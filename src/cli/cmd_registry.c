/* wangge registry generate --data DIR --county CODE --persons N: a generated registry for
 * the county's grids (demo and benchmark data only; sample.h). */
#include "cli/cli.h"
#include "cli/commands.h"

#include <getopt.h>
#include <time.h>

#include "domain/accounts/pii_keys.h"
#include "domain/registry/person.h"
#include "domain/registry/sample.h"

#define USAGE                                                                                      \
    "registry generate --data DIR --county CODE --persons N [--seed N] [--worker USERNAME "        \
    "--worker-scope CODE]"

/* Whether the county holds a person already: then the registry is left as it is. */
static enum wg_rc has_persons(struct wg_db *db, const struct wg_pii_keys *keys, const char *county,
                              int *yes, struct wg_err *err)
{
    struct wg_person_query q = {.region = county, .limit = "1"};
    json_t *page = NULL;
    enum wg_rc rc = wg_person_list(db, keys, NULL, &q, 0, &page, err);
    if (!rc)
        *yes = json_array_size(json_object_get(page, "persons")) > 0;
    json_decref(page);
    return rc;
}

enum wg_rc wg_cli_registry(struct wg_db *db, void *ctx, struct wg_err *err)
{
    struct registry_args *a = ctx;
    struct wg_pii_keys *keys = NULL;
    struct wg_locator *loc = NULL;
    struct wg_sample_report rep;
    int yes = 0;
    enum wg_rc rc;
    if ((rc = wg_pii_keys_load(a->data, &keys, err)) ||
        (rc = has_persons(db, keys, a->o.county, &yes, err)) || yes ||
        (rc = wg_locator_build(db, &loc, err)))
        goto out;
    printf("registry: generating about %ld persons in county %s (demo data)\n", a->o.persons,
           a->o.county);
    fflush(stdout);
    if (!(rc = wg_registry_sample(db, keys, loc, &a->o, &rep, err)))
        printf("registry: %ld grids, %ld buildings, %ld houses, %ld households, %ld persons, "
               "%ld teams, %ld party organizations, %ld visits\n",
               rep.grids, rep.buildings, rep.houses, rep.households, rep.persons, rep.teams,
               rep.party_orgs, rep.visits);
out:
    wg_locator_release(loc);
    wg_pii_keys_free(keys);
    return rc;
}

int wg_cmd_registry(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},    {"county", required_argument, NULL, 'c'},
        {"persons", required_argument, NULL, 'p'}, {"seed", required_argument, NULL, 's'},
        {"worker", required_argument, NULL, 'w'},  {"worker-scope", required_argument, NULL, 'W'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    struct registry_args a = {NULL, {NULL, 0, 371302, (long long)time(NULL), NULL, NULL}};
    struct wg_err err = {0};
    char *end;
    int c;
    if (argc < 2 || strcmp(argv[1], "generate"))
        return wg_cli_usage(USAGE);
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "d:c:p:s:w:W:h", opts, NULL)) != -1) {
        if (c == 'w')
            a.o.worker = optarg;
        else if (c == 'W')
            a.o.worker_scope = optarg;
        else if (c == 'd')
            a.data = optarg;
        else if (c == 'c')
            a.o.county = optarg;
        else if (c == 'p' || c == 's') {
            long long v = strtoll(optarg, &end, 10);
            if (!*optarg || *end || v < 1 || (c == 'p' && v > 20000000)) {
                fprintf(stderr, "wangge: --%s '%s' is not a whole number%s\n",
                        c == 'p' ? "persons" : "seed", optarg,
                        c == 'p' ? " from 1 to 20000000" : " above 0");
                return 2;
            }
            if (c == 'p')
                a.o.persons = (long)v;
            else
                a.o.seed = (uint64_t)v;
        } else
            return wg_cli_usage(USAGE);
    }
    if (!a.data || !a.o.county || !a.o.persons || optind != argc ||
        !a.o.worker != !a.o.worker_scope)
        return wg_cli_usage(USAGE);
    if (wg_cli_with_db(a.data, 0, wg_cli_registry, &a, &err))
        return wg_cli_fail(&err);
    return 0;
}
