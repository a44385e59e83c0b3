/* Imports of the registry from tables (CSV or XLSX, core/table.h), one entity per file.
 *
 * A file is a header row and data rows. The header names each column by its key (English,
 * as the JSON bodies of the single-record routes name the field) or its Chinese name; the
 * framework turns each data row into the JSON body the entity's single-record route takes
 * and hands it to the entity's row handler, which checks it with the same domain functions
 * as that route and stores it. So an import accepts and refuses exactly what those routes
 * do, and a new entity is a column table and a handler (struct wg_import_entity).
 *
 * Invariants: a file with any bad row stores nothing — every row runs in one transaction,
 * and after the first bad row the rest are still checked, each in a savepoint rolled back,
 * so the report names every bad row; re-importing a file changes nothing — a row matched
 * to a stored record (by the entity's key) that would not change it is "unchanged", one
 * that would is "updated", any other "created"; two rows of one file matching the same
 * record are refused. Asked to (two_threads), an entity with a prepare step has its rows read
 * and prepared on a second thread while the store writes (struct wg_import_entity); the
 * answer is the same. Cells: an
 * empty cell clears its field, except in columns marked WG_IMPORT_EMPTY_KEEPS; a column the header
 * lacks leaves its field as it is. */
#ifndef WG_DOMAIN_REGISTRY_IMPORT_H
#define WG_DOMAIN_REGISTRY_IMPORT_H

#include <jansson.h>

#include "core/err.h"
#include "core/table.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii.h"
#include "domain/map/locate.h"
#include "store/store.h"

enum wg_import_kind {
    WG_IMPORT_TEXT,   /* a string */
    WG_IMPORT_INT,    /* a whole number */
    WG_IMPORT_NUMBER, /* a decimal (a coordinate) */
    WG_IMPORT_LIST,   /* names separated by ; ； 、 or | → a list of strings */
    WG_IMPORT_DATE,   /* YYYY-MM-DD (also with / or .), or an XLSX date serial */
};
enum {
    WG_IMPORT_REQUIRED = 1,    /* the header must have the column */
    WG_IMPORT_EMPTY_KEEPS = 2, /* an empty cell leaves the field as it is */
};

struct wg_import_column {
    const char *key; /* the body's key, and the column's English name */
    const char *zh;  /* the column's Chinese name */
    enum wg_import_kind kind;
    unsigned flags;
    const char *const *values; /* NULL, or pairs "中文", "key" a cell may use, NULL-ended */
};

enum wg_import_outcome { WG_IMPORT_CREATED, WG_IMPORT_UPDATED, WG_IMPORT_UNCHANGED };

struct wg_import_ctx {
    struct wg_db *db; /* in the import's transaction */
    const struct wg_pii_keys *keys;
    const struct wg_scope *scope; /* NULL: everything */
    const struct wg_locator *loc;
    int sensitive; /* the caller holds registry_sensitive */
    long long now;
    json_t *seen;   /* the rows' keys so far: key → row */
    size_t row;     /* the row being read */
    void *prepared; /* what the entity's prepare made of this row's body, or NULL */
    long long made_first, made_last; /* the ids of the records this import made, or 0 */
    int two_threads; /* 1: rows read and prepared on a second thread (see prepare) */
};
/* The routes read a file of at least this many bytes on a second thread (two_threads): on
 * two cores a first import of 100,000 persons ran 1.3-1.8 times as many rows a second so
 * (docs/BENCHMARKS.md), and a smaller file is over before it would matter. */
#define WG_IMPORT_TWO_THREADS_FROM (64 * 1024)

/* Claims key (the record a row matches, e.g. a building code) for the row being stored
 * (c->row), or for row; WG_EINVAL naming field and the earlier row when another row of the
 * file claimed it. */
enum wg_rc wg_import_claim(struct wg_import_ctx *c, const char *key, const char *field,
                           struct wg_err *err);
enum wg_rc wg_import_claim_row(const struct wg_import_ctx *c, size_t row, const char *key,
                               const char *field, struct wg_err *err);

struct wg_import_entity {
    const char *what; /* "person": the audit's object type */
    const struct wg_import_column *columns;
    /* Checks and stores one row's body (the handler may change it), answering what it did.
     * An error whose message opens with 'field' is reported against that field. */
    enum wg_rc (*row)(struct wg_import_ctx *c, json_t *body, enum wg_import_outcome *out,
                      struct wg_err *err);
    /* Optional: the part of a row's work that needs no store (its checks, blind indexes,
     * sealing), done ahead of row(): just before it, or with two_threads on a second thread
     * while the store writes the rows before it; row() finds the result in c->prepared and
     * may take parts of it, and prepared_free releases the rest. It must answer exactly what
     * row() would work out itself, read only c's keys, sensitive and now, and leave body as
     * it is. It may claim the row's keys (wg_import_claim_row with row, the row's number);
     * row() then must not claim them again, so that one thread claims every key, in the
     * file's order. likely_new says whether the rows just stored were new records (their
     * sealing is then worth doing ahead); make_here whether to make and seal a likely new
     * record here (1), or to leave that to row() (0: the store's thread is waiting for rows,
     * so the reader's is the slower). NULL: row() does it all. */
    void *(*prepare)(const struct wg_import_ctx *c, json_t *body, size_t row, int likely_new,
                     int make_here);
    void (*prepared_free)(void *prepared);
    /* Optional: what the rows left to do at once, run when every row is stored and before the
     * import commits (persons: the visit due days of those made, marked in one statement). */
    enum wg_rc (*finish)(struct wg_import_ctx *c, struct wg_err *err);
};

extern const struct wg_import_entity wg_import_persons, wg_import_households, wg_import_buildings,
    wg_import_houses, wg_import_orgs, wg_import_things;

struct wg_import_result {
    size_t rows, created, updated, unchanged, refused;
    int stored;
    json_t *errors; /* [{"row", "field", "message"}], at most WG_IMPORT_ERRORS_MAX */
};
#define WG_IMPORT_ERRORS_MAX 1000

/* Reads the table and imports its rows (see above). WG_OK: stored; WG_EINVAL: the file or
 * some row is bad and nothing was stored (res says which); another code: the store failed.
 * res->errors is a new reference, always set; the caller releases it. */
enum wg_rc wg_import_run(const struct wg_import_entity *e, struct wg_import_ctx *c,
                         const char *data, size_t len, enum wg_table_format fmt,
                         struct wg_import_result *res, struct wg_err *err);
json_t *wg_import_result_json(const struct wg_import_entity *e, const struct wg_import_result *r);

/* An export: the entity's records in scope as CSV (UTF-8 with a BOM, CRLF), masked as
 * their list routes answer them, the special populations only when sensitive; persons and
 * households narrowed by grid (exact) or region (a code prefix), buildings and houses by
 * grid or region too. *csv is owned; *rows counts the records. */
struct wg_export_query {
    const char *grid, *region;
};
enum wg_rc wg_registry_export(struct wg_db *db, const struct wg_pii_keys *keys,
                              const struct wg_scope *scope, int sensitive,
                              const struct wg_import_entity *e, const struct wg_export_query *q,
                              char **csv, size_t *len, size_t *rows, struct wg_err *err);

/* The columns' documentation as {"columns": [{"key", "zh", "required"}]}, for the console. */
json_t *wg_import_columns_json(const struct wg_import_entity *e);

#endif
