/* Every subcommand's entry point, as listed in commands.def. */
#ifndef WG_CLI_COMMANDS_H
#define WG_CLI_COMMANDS_H
#define WG_CMD(name, fn, usage, help) int fn(int argc, char **argv);
#include "cli/commands.def"
#undef WG_CMD
#endif
