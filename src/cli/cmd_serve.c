/* wangge serve --data DIR --listen 127.0.0.1:8080 [--config FILE]: the HTTP server.
 * Settings come from an optional key = value file, then from flags (flags win). Stops
 * gracefully on SIGTERM or SIGINT: in-flight requests finish; opens its log file again on
 * SIGHUP. */
#include "cli/cli.h"

#include <getopt.h>

#include "server/serve.h"

#define USAGE                                                                                      \
    "serve --data DIR [--listen HOST:PORT] [--threads N] [--body-max BYTES] "                      \
    "[--config FILE] [--webhook URL]... [--console DIR] [--log FILE] [--log-format text|json] "    \
    "[--quiet]"

int wg_cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},    {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'}, {"body-max", required_argument, NULL, 'b'},
        {"config", required_argument, NULL, 'c'},  {"quiet", no_argument, NULL, 'q'},
        {"webhook", required_argument, NULL, 'w'}, {"console", required_argument, NULL, 'C'},
        {"log", required_argument, NULL, 'L'},     {"log-format", required_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    struct wg_settings s;
    struct wg_err err = {0};
    int c, webhook_flags = 0;
    wg_settings_init(&s);
    /* the config file first (--config FILE, --config=FILE or -c FILE), so that flags win */
    for (int i = 1; i < argc; i++) {
        const char *file = NULL;
        if ((!strcmp(argv[i], "--config") || !strcmp(argv[i], "-c")) && i + 1 < argc)
            file = argv[i + 1];
        else if (!strncmp(argv[i], "--config=", 9))
            file = argv[i] + 9;
        if (file && wg_settings_read(&s, file, &err))
            return wg_cli_fail(&err);
    }
    /* --store (taken by main.c) wins over the config file's store */
    if (wg_cli_store(NULL) && wg_settings_set(&s, "store", wg_cli_store(NULL), &err))
        return wg_cli_fail(&err);
    while ((c = getopt_long(argc, argv, "d:l:t:b:c:w:C:qh", opts, NULL)) != -1) {
        enum wg_rc rc = WG_OK;
        switch (c) {
        case 'd':
            rc = wg_settings_set(&s, "data", optarg, &err);
            break;
        case 'l':
            rc = wg_settings_set(&s, "listen", optarg, &err);
            break;
        case 't':
            rc = wg_settings_set(&s, "threads", optarg, &err);
            break;
        case 'b':
            rc = wg_settings_set(&s, "body_max", optarg, &err);
            break;
        case 'c':
            break;
        case 'w': /* flags replace the config file's URLs */
            if (!webhook_flags++)
                s.notify.nurls = 0;
            rc = wg_settings_set(&s, "webhook_url", optarg, &err);
            break;
        case 'C':
            rc = wg_settings_set(&s, "console_dir", optarg, &err);
            break;
        case 'L':
            rc = wg_settings_set(&s, "log_file", optarg, &err);
            break;
        case 'F':
            rc = wg_settings_set(&s, "log_format", optarg, &err);
            break;
        case 'q':
            s.quiet = 1;
            break;
        default:
            return wg_cli_usage(USAGE);
        }
        if (rc)
            return wg_cli_fail(&err);
    }
    if (!s.data[0] || optind != argc)
        return wg_cli_usage(USAGE);
    return wg_serve(&s, &err) ? wg_cli_fail(&err) : 0;
}
