/* wangge version */
#include "cli/cli.h"

#define WG_VERSION "0.1.0"

int wg_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("wangge %s\n", WG_VERSION);
    return 0;
}
