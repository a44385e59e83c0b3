/* Helpers every subcommand shares: error and usage reporting. */
#include "cli/cli.h"

int wg_cli_fail(const struct wg_err *err)
{
    fprintf(stderr, "wangge: %s\n", err->msg[0] ? err->msg : wg_rc_code(err->rc));
    return err->rc == WG_EINVAL || err->rc == WG_ENOTFOUND || err->rc == WG_ECONFLICT ? 2 : 1;
}

int wg_cli_usage(const char *usage)
{
    fprintf(stderr, "usage: wangge %s\n", usage);
    return 2;
}
