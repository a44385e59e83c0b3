/* The subcommand table's entry type and the helpers every cmd_*.c shares. */
#ifndef WG_CLI_CLI_H
#define WG_CLI_CLI_H

#include "core/err.h"

struct wg_cmd {
    const char *name;   /* "serve", "import divisions" (two words for grouped commands) */
    int (*run)(int argc, char **argv); /* argv[0] is the last word of the name */
    const char *usage;
    const char *help;
};

/* Prints "wangge: <message>" to stderr and returns the exit status for that error. */
int wg_cli_fail(const struct wg_err *err);
int wg_cli_usage(const char *usage);

#endif
