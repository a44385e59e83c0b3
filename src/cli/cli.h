/* The subcommand table's entry type and the helpers every cmd_*.c shares. */
#ifndef WG_CLI_CLI_H
#define WG_CLI_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/registry/sample.h"

struct wg_cmd {
    const char *name; /* "serve", "import" (which then reads its own "divisions" or "grids") */
    int (*run)(int argc, char **argv); /* argv[0] is the last word of the name */
    const char *usage;
    const char *help;
};

/* Prints "wangge: <message>" to stderr and returns the exit status for that error. */
int wg_cli_fail(const struct wg_err *err);
int wg_cli_usage(const char *usage);

/* The arguments of a command that takes --data DIR and then `positional` arguments, no
 * other option (argv[optind] is the first positional): 0 when they are so, else the usage
 * is printed and its exit status returned. */
int wg_cli_data_args(int argc, char **argv, int positional, const char *usage, const char **data);

/* --store URL, given to any command (main.c takes it out of argv before the command reads
 * its own options): the store is then there, and the data directory keeps the keys, the
 * holiday tables and the photos. Without it a command's store is SQLite's in its data
 * directory. */
void wg_cli_take_store(int *argc, char **argv);
/* The same, given (NULL: none): what a caller that has no argv to take it from uses. */
void wg_cli_set_store(const char *url);
/* The store of data directory data: --store's URL when given, else data itself. */
const char *wg_cli_store(const char *data);

struct wg_db;
/* Opens the store of data (wg_cli_store; creating it with create), runs fn on a connection,
 * closes. */
enum wg_rc wg_cli_with_db(const char *data, int create,
                          enum wg_rc (*fn)(struct wg_db *db, void *ctx, struct wg_err *err),
                          void *ctx, struct wg_err *err);

/* Records how a command's change ended in the audit log, as "-" from "cli:<login name>";
 * returns rc as wg_audit_outcome does. */
enum wg_rc wg_cli_audit(struct wg_db *db, const char *action, const char *object_type,
                        const char *object_id, const char *detail, enum wg_rc rc,
                        struct wg_err *err);

/* Generated order history (cmd_demo.c), for `wangge orders generate` and the demo; ctx is a
 * struct history_args. Does nothing when orders exist already. */
struct history_args {
    const char *data, *county;
    int days, orders;
};
enum wg_rc wg_cli_history(struct wg_db *db, void *ctx, struct wg_err *err);

/* A generated registry (cmd_registry.c), for `wangge registry generate` and the demo; ctx is a
 * struct registry_args. Does nothing when the county holds persons already. */
struct registry_args {
    const char *data;
    struct wg_sample_opts o;
};
enum wg_rc wg_cli_registry(struct wg_db *db, void *ctx, struct wg_err *err);

/* Creates the data directory (when missing) and its key file for personal fields unless it
 * exists. */
enum wg_rc wg_cli_ensure_keys(const char *data, struct wg_err *err);

/* Shared by several commands (cmd_import.c, cmd_grids.c). */
struct wg_import_report;
int wg_cli_import_divisions(const char *data, const char *codes, const char *source,
                            struct wg_err *err);
int wg_cli_generate(const char *data, const char *county, size_t base, size_t excl, uint64_t seed,
                    struct wg_err *err);
void wg_cli_print_report(const struct wg_import_report *rep);
void wg_cli_progress(const char *phase, size_t done, size_t total, void *ctx);

#endif
