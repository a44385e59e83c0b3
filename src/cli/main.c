/* wangge's entry point: the subcommand table and its dispatch (like git's builtin table).
 * Each command lives in its own cmd_*.c and is a thin client of the domain code. */
#include "cli/cli.h"

#include "cli/commands.h"
#include "core/alloc.h"
#include "domain/accounts/account.h"

static const struct wg_cmd commands[] = {
#define WG_CMD(name, fn, usage, help) {name, fn, usage, help},
#include "cli/commands.def"
#undef WG_CMD
};
static const size_t ncommands = sizeof commands / sizeof commands[0];

static void print_help(FILE *f)
{
    fprintf(f, "usage: wangge <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < ncommands; i++)
        fprintf(f, "  %-20s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\nEvery command that uses a store takes --store URL (sqlite:DIR, the default with\n"
               "--data DIR, or postgresql://...); the data directory keeps the keys, holiday\n"
               "tables and photos either way.\n"
               "Run 'wangge <command> --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    wg_alloc_init();
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        print_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    wg_cli_take_store(&argc, argv);
    struct wg_err err = {0};
    if (wg_password_cost_from_env(&err))
        return wg_cli_fail(&err);
    /* a command with words of its own ("import grids") takes them itself */
    for (size_t i = 0; i < ncommands; i++)
        if (!strcmp(commands[i].name, argv[1]))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "wangge: '%s' is not a command; see 'wangge --help'\n", argv[1]);
    return 2;
}
