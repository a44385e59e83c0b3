/* wangge init --data DIR: creates a data directory with an empty, migrated store. */
#include "cli/cli.h"

#include <getopt.h>

#include "store/store.h"

int wg_cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *data = NULL;
    struct wg_store *st;
    struct wg_err err = {0};
    int c;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        if (c == 'd')
            data = optarg;
        else
            return wg_cli_usage("init --data DIR");
    }
    if (!data)
        return wg_cli_usage("init --data DIR");
    if (wg_store_open(data, 1, &st, &err))
        return wg_cli_fail(&err);
    printf("initialised %s (schema version %d)\n", data, wg_store_schema_version(st));
    wg_store_close(st);
    return 0;
}
