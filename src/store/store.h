/* The store: everything wangge keeps, behind one interface with two backends, SQLite (the
 * embedded default, WAL mode, one file in the data directory) and PostgreSQL (for several
 * app servers). Only src/store/ speaks SQL: every statement is written once in queries.def,
 * and the rest of wangge calls the typed functions below.
 *
 * A struct wg_store is a pool of connections. Work is done on a struct wg_db, a connection
 * taken from the pool with wg_store_get() and given back with wg_store_put(); a transaction
 * lives on one wg_db between wg_db_begin() and wg_db_commit()/wg_db_rollback(). */
#ifndef WG_STORE_STORE_H
#define WG_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct wg_store;
struct wg_db;

/* Opens (and with create, makes) the store in data directory dir and applies pending
 * migrations. A directory that holds no store and create == 0 is WG_ENOTFOUND with a
 * message telling to run 'wangge init'. */
enum wg_rc wg_store_open(const char *dir, int create, struct wg_store **out, struct wg_err *err);
void wg_store_close(struct wg_store *st);
int wg_store_schema_version(struct wg_store *st);

enum wg_rc wg_store_get(struct wg_store *st, struct wg_db **out, struct wg_err *err);
void wg_store_put(struct wg_db *db); /* rolls back a transaction left open */
/* A connection of its own, outside the pool, to the text index when the backend keeps it
 * apart from the store (SQLite: the file "wangge.db-search"); the only connection that may
 * write the index. *out is NULL when the backend keeps no such index. */
enum wg_rc wg_store_search_open(struct wg_store *st, struct wg_db **out, struct wg_err *err);
void wg_store_search_close(struct wg_db *db); /* NULL: nothing */

/* Bulk loading (demo history): commits stop waiting for the disk until durable is set back
 * to 1, which also checkpoints. Never for live traffic. */
enum wg_rc wg_db_set_durable(struct wg_db *db, int durable, struct wg_err *err);

enum wg_rc wg_db_begin(struct wg_db *db, struct wg_err *err);
enum wg_rc wg_db_commit(struct wg_db *db, struct wg_err *err);
void wg_db_rollback(struct wg_db *db);

/* Savepoints inside a transaction, nested as a stack: rolling back to the innermost undoes
 * what was done since it and keeps it open (release it after); releasing it keeps the work
 * as part of the enclosing transaction. */
enum wg_rc wg_db_savepoint(struct wg_db *db, struct wg_err *err);
enum wg_rc wg_db_release(struct wg_db *db, struct wg_err *err);
enum wg_rc wg_db_rollback_to(struct wg_db *db, struct wg_err *err);

/* ---- group commit ----
 * A committer is one thread with one connection that owns the store's hot write path.
 * Request threads hand it a job (a function and its context) with wg_committer_run() and
 * block, or with wg_committer_submit() and a callback. The thread takes every job queued
 * since its last commit (up to a batch cap) and runs them in one transaction. A job whose
 * function fails is undone alone and answers its own error, the others stay: the batch is
 * rolled back and run again with each job inside a savepoint of its own (so a job may run
 * more than once, and must only write, from what its context holds, and set its outputs
 * there). Then one COMMIT writes the whole batch to the log, and only once the log is on
 * disk are the jobs answered. With SQLite the COMMIT does not wait for the disk: a second
 * thread syncs the log (one fdatasync for every batch committed since its last) and
 * answers, while the writer goes on with the next batch. Other connections may read a
 * batch's rows in that moment before its sync; nobody is told it is stored before it is
 * durable. So a caller that got WG_OK knows its writes are on disk, and under load one fsync
 * is shared by as many requests as arrived during the previous one: there is no timer and
 * no waiting for a batch to fill, an idle store commits a lone job at once.
 *
 * If the COMMIT (or the BEGIN) fails, every job of the batch fails with that error and
 * nothing of it was kept. Jobs run one after another on the committer's connection: they
 * see each other's writes (order numbers and the audit chain continue from the previous
 * job), must not open or commit transactions themselves (wg_db_in_tx() is true for them),
 * and should only write: validation, sealing and rendering belong on the request's thread,
 * before and after. Reads on other connections keep going while a batch is written (WAL).
 */
struct wg_committer;
typedef enum wg_rc (*wg_commit_fn)(struct wg_db *db, void *ctx, struct wg_err *err);
/* Starts the thread on a connection of its own from st. max_batch 0: 1024. */
enum wg_rc wg_committer_start(struct wg_store *st, int max_batch, struct wg_committer **out,
                              struct wg_err *err);
/* Runs the jobs already queued, then stops the thread; later runs answer WG_EUNAVAIL.
 * NULL is a no-op. */
void wg_committer_stop(struct wg_committer *c);
/* Runs fn(db, ctx, err) in the next batch and returns once that batch committed or failed:
 * fn's own error (its writes undone), the batch's error, or WG_OK when durable. */
enum wg_rc wg_committer_run(struct wg_committer *c, wg_commit_fn fn, void *ctx, struct wg_err *err);
/* The same without waiting: queues fn(db, ctx, err) and returns WG_OK, and then(then_arg, rc)
 * is called once with what wg_committer_run would have returned, on a thread of the
 * committer's, when the batch is durable or failed (so it must be quick and must not use the
 * committer). ctx and err must live until then. Not queued (then is never called): an error,
 * WG_EUNAVAIL once the committer stops. */
typedef void (*wg_commit_done_fn)(void *then_arg, enum wg_rc rc);
enum wg_rc wg_committer_submit(struct wg_committer *c, wg_commit_fn fn, void *ctx,
                               struct wg_err *err, wg_commit_done_fn then, void *then_arg);
struct wg_committer_stats {
    long long batches, jobs, failed_jobs, largest_batch;
    long long flushes;     /* syncs of the log by the flusher (0 when COMMIT syncs it itself) */
    long long redone;      /* batches done again because one of their jobs failed */
};
void wg_committer_stats(struct wg_committer *c, struct wg_committer_stats *out);

/* ---- regions ---- */
struct wg_region_row {
    char code[13];
    char name[128];
    char level[12];  /* province, city, county, town, village */
    char parent[13]; /* "" for a province */
};
enum wg_rc wg_store_region_put(struct wg_db *db, const struct wg_region_row *r, int *changed,
                               struct wg_err *err);
enum wg_rc wg_store_region_get(struct wg_db *db, const char *code, struct wg_region_row *out,
                               struct wg_err *err);
/* Calls cb for each child, by code; a non-zero return from cb stops the walk. */
enum wg_rc wg_store_region_children(struct wg_db *db, const char *code,
                                    int (*cb)(const struct wg_region_row *, void *), void *ctx,
                                    struct wg_err *err);
enum wg_rc wg_store_region_search(struct wg_db *db, const char *q, int limit,
                                  int (*cb)(const struct wg_region_row *, void *), void *ctx,
                                  struct wg_err *err);
enum wg_rc wg_store_region_count(struct wg_db *db, const char *prefix, long *out,
                                 struct wg_err *err);
/* Boundary as GeoJSON geometry text; NULL clears it. */
enum wg_rc wg_store_region_set_boundary(struct wg_db *db, const char *code, const char *geojson,
                                        struct wg_err *err);
/* *out is owned by the caller (free()); NULL when the region has no boundary. */
enum wg_rc wg_store_region_boundary(struct wg_db *db, const char *code, char **out,
                                    struct wg_err *err);

/* ---- grids (versioned: the current version has an empty valid_to) ---- */
struct wg_grid_row {
    char code[16];
    int version;
    char name[192];
    char kind[12]; /* base, exclusive, micro */
    char subtype[32];
    char village[13];
    long households; /* -1 when unknown */
    long population; /* -1 when unknown */
    char crs[12];    /* the CRS the boundary arrived in */
    double area_m2;
    double minx, miny, maxx, maxy;
    const char *geometry; /* GeoJSON geometry text (borrowed in callbacks) */
    char valid_from[32];
    char valid_to[32]; /* "" while current */
};
/* Inserts a new version; the caller closes the old one first. */
enum wg_rc wg_store_grid_insert(struct wg_db *db, const struct wg_grid_row *g, struct wg_err *err);
enum wg_rc wg_store_grid_close(struct wg_db *db, const char *code, const char *valid_to,
                               struct wg_err *err);
/* The current version of a grid; *geometry_out (owned, free()) may be NULL to skip it. */
enum wg_rc wg_store_grid_current(struct wg_db *db, const char *code, struct wg_grid_row *out,
                                 char **geometry_out, struct wg_err *err);
/* Current grids whose code starts with prefix ("" for all), by code. */
enum wg_rc wg_store_grid_each(struct wg_db *db, const char *prefix,
                              int (*cb)(const struct wg_grid_row *, void *), void *ctx,
                              struct wg_err *err);
/* Every version of one grid, oldest first. */
enum wg_rc wg_store_grid_history(struct wg_db *db, const char *code,
                                 int (*cb)(const struct wg_grid_row *, void *), void *ctx,
                                 struct wg_err *err);
enum wg_rc wg_store_grid_count(struct wg_db *db, const char *prefix, long *out, struct wg_err *err);

/* Named counters: the grid epoch is bumped by every grid import, so servers that share the
 * store can notice and rebuild their locate index. */
enum wg_rc wg_store_meta_get(struct wg_db *db, const char *name, long long *out,
                             struct wg_err *err);
enum wg_rc wg_store_meta_bump(struct wg_db *db, const char *name, struct wg_err *err);

/* ---- accounts, sessions, API keys ---- */
struct wg_account_row {
    char username[64];
    char role[16];
    char scope_kind[8];
    char scope[32];
    char password_hash[128];
    int must_change, disabled, failed;
    long long locked_until;
};
enum wg_rc wg_store_account_insert(struct wg_db *db, const struct wg_account_row *a,
                                   struct wg_err *err);
enum wg_rc wg_store_account_get(struct wg_db *db, const char *username,
                                struct wg_account_row *out, struct wg_err *err);
enum wg_rc wg_store_account_each(struct wg_db *db,
                                 int (*cb)(const struct wg_account_row *, void *), void *ctx,
                                 struct wg_err *err);
enum wg_rc wg_store_account_set_password(struct wg_db *db, const char *username,
                                         const char *hash, int must_change, struct wg_err *err);
enum wg_rc wg_store_account_set_failed(struct wg_db *db, const char *username, int failed,
                                       long long locked_until, struct wg_err *err);
enum wg_rc wg_store_account_update(struct wg_db *db, const struct wg_account_row *a,
                                   struct wg_err *err);

/* Personal fields as stored: sealed strings (domain/pii.h), "" when absent. */
struct wg_profile_row {
    char username[64];
    char *real_name, *phone, *id_number; /* owned by the store row; valid in callbacks */
};
enum wg_rc wg_store_account_set_profile(struct wg_db *db, const char *username,
                                        const char *real_name, const char *phone,
                                        const char *phone_blind, const char *id_number,
                                        struct wg_err *err);
/* *out fields are malloc'd copies (free them). */
enum wg_rc wg_store_account_profile(struct wg_db *db, const char *username,
                                    struct wg_profile_row *out, struct wg_err *err);
enum wg_rc wg_store_account_profiles(struct wg_db *db,
                                     int (*cb)(const struct wg_profile_row *, void *), void *ctx,
                                     struct wg_err *err);
/* Replaces the sealed values only (key rotation); the blind index stays. */
enum wg_rc wg_store_account_reseal(struct wg_db *db, const char *username, const char *real_name,
                                   const char *phone, const char *id_number, struct wg_err *err);
enum wg_rc wg_store_account_by_phone(struct wg_db *db, const char *phone_blind,
                                     int (*cb)(const char *username, void *), void *ctx,
                                     struct wg_err *err);

struct wg_session_row {
    char username[64];
    long long created_at, last_seen;
};
enum wg_rc wg_store_session_insert(struct wg_db *db, const char *token_hash,
                                   const char *username, long long now, const char *source,
                                   struct wg_err *err);
enum wg_rc wg_store_session_get(struct wg_db *db, const char *token_hash,
                                struct wg_session_row *out, struct wg_err *err);
enum wg_rc wg_store_session_touch(struct wg_db *db, const char *token_hash, long long now,
                                  struct wg_err *err);
enum wg_rc wg_store_session_delete(struct wg_db *db, const char *token_hash, struct wg_err *err);
enum wg_rc wg_store_session_delete_user(struct wg_db *db, const char *username,
                                        struct wg_err *err);

struct wg_apikey_row {
    char id[24];
    char name[128];
    char scope_kind[8];
    char scope[32];
    long long permissions;
    char revoked_at[32]; /* "" while valid */
};
enum wg_rc wg_store_apikey_insert(struct wg_db *db, const struct wg_apikey_row *k,
                                  const char *key_hash, struct wg_err *err);
enum wg_rc wg_store_apikey_get(struct wg_db *db, const char *key_hash, struct wg_apikey_row *out,
                               struct wg_err *err);
enum wg_rc wg_store_apikey_each(struct wg_db *db, int (*cb)(const struct wg_apikey_row *, void *),
                                void *ctx, struct wg_err *err);
enum wg_rc wg_store_apikey_revoke(struct wg_db *db, const char *id, struct wg_err *err);

/* A digest of the whole store's grid and region tables, for tests that check an import
 * failure changed nothing. */
enum wg_rc wg_store_digest(struct wg_db *db, char out[65], struct wg_err *err);

/* ---- audit: the append-only, hash-chained log (the chain is defined in domain/audit.h) ----
 * Records are only ever inserted. There is deliberately no update, delete or prune function,
 * and there must not be one: SPEC §8 keeps audit records at least 180 days, so a record
 * younger than that may never be deleted (the table's triggers refuse UPDATE and DELETE
 * too). A future retention job for older records needs its own migration and must keep the
 * chain checkable from the first record it keeps. */
struct wg_audit_row {
    long long seq; /* 1, 2, 3, ... */
    /* Text fields; in callbacks they are borrowed and valid only during the call. */
    const char *at; /* UTC ISO 8601 with ms */
    const char *actor, *role, *source, *action, *object_type, *object_id, *result, *detail;
    const char *prev_hash, *hash; /* 64 hex digits each */
};
struct wg_audit_filter {
    const char *actor, *action, *object_type, *object_id; /* NULL or "": any */
    const char *since, *until; /* at >= since, at < until (ISO text); NULL or "": open */
    long long limit, offset;
};
/* Whether db is inside a transaction (wg_db_begin without commit or rollback yet). */
int wg_db_in_tx(const struct wg_db *db);
/* The last record's seq and hash (0 and "" when the log is empty). Call inside a
 * transaction: it takes the appenders' lock, so the caller can insert seq + 1. */
enum wg_rc wg_store_audit_last(struct wg_db *db, long long *seq, char hash[65],
                               struct wg_err *err);
enum wg_rc wg_store_audit_insert(struct wg_db *db, const struct wg_audit_row *r,
                                 struct wg_err *err);
/* Every record in seq order; a non-zero return from cb stops the walk. */
enum wg_rc wg_store_audit_each(struct wg_db *db, int (*cb)(const struct wg_audit_row *, void *),
                               void *ctx, struct wg_err *err);
/* Records matching f, newest first. */
enum wg_rc wg_store_audit_find(struct wg_db *db, const struct wg_audit_filter *f,
                               int (*cb)(const struct wg_audit_row *, void *), void *ctx,
                               struct wg_err *err);

/* ---- work orders ---- */
struct wg_order_row {
    long long id;
    char number[32];
    char county[8];
    char channel[16], type[16], item[16];
    char *title, *content, *address; /* borrowed in callbacks; owned (free) from _get */
    double lon, lat;
    int has_point;
    char crs[12];
    char grid[24];
    int grid_version;
    char urgency[12];
    char *reporter_name, *reporter_phone; /* sealed values */
    const char *reporter_phone_blind;     /* insert only */
    int anonymous, confidential;
    char state[16];
    int version;
    char unit[64];
    char created_by[64];
    char created_at[32], updated_at[32];
    long long dispatched_at, reply_deadline; /* read only: unix seconds, 0 when none */
};
/* The next number of a county's day ("20261123"), from 1; inside the caller's transaction. */
enum wg_rc wg_store_order_next_number(struct wg_db *db, const char *county, const char *day,
                                      long long *out, struct wg_err *err);
enum wg_rc wg_store_order_insert(struct wg_db *db, const struct wg_order_row *o, long long *id,
                                 struct wg_err *err);
/* Fills out with owned strings; release with wg_store_order_release. */
enum wg_rc wg_store_order_get(struct wg_db *db, long long id, struct wg_order_row *out,
                              struct wg_err *err);
void wg_store_order_release(struct wg_order_row *o);

struct wg_order_event_row {
    int seq;
    const char *at, *actor, *role, *action, *from_state, *to_state, *detail;
};
enum wg_rc wg_store_order_event(struct wg_db *db, long long order_id,
                                const struct wg_order_event_row *e, struct wg_err *err);
enum wg_rc wg_store_order_events(struct wg_db *db, long long order_id,
                                 int (*cb)(const struct wg_order_event_row *, void *), void *ctx,
                                 struct wg_err *err);

struct wg_order_filter {
    const char *scope;                  /* region or grid code prefix; "" for all */
    const char *state, *channel, *item; /* "" or NULL: any */
    const char *grid;                   /* a grid or region code prefix */
    const char *phone_blind;            /* a reporter's blind index (SQLite: through the
                                           text index's phone lookup, see catch-up) */
    const char *since, *until;          /* created_at ISO prefixes */
    const char *text;                   /* words in title or content */
    long long limit, offset;
    const char *unit; /* the lead or an assisting unit */
    const char *line; /* a special line the order went to */
    int clocked;      /* only orders whose reply clock runs (dispatched, signed, returning) */
    long long deadline_before, deadline_after; /* reply_deadline < / >= (0: any) */
};
/* Orders matching f, newest first; text fields of the row are borrowed in cb. */
enum wg_rc wg_store_order_list(struct wg_db *db, const struct wg_order_filter *f,
                               int (*cb)(const struct wg_order_row *, void *), void *ctx,
                               struct wg_err *err);
enum wg_rc wg_store_order_index_text(struct wg_db *db, long long id, const char *title,
                                     const char *content, struct wg_err *err);
/* The full-text index is made behind intake (migration 19): *pending receives how many
 * orders wait for their entries (always 0 on PostgreSQL, which searches the table itself). */
enum wg_rc wg_store_order_fts_backlog(struct wg_db *db, long long *pending, struct wg_err *err);
/* When the mark is past the store's newest order (the text index's file outlived the
 * store's last commits), drops the phone lookups above the newest order and moves the mark
 * back to it, inside the caller's transaction; *dropped receives how far the mark moved. The
 * trigram entries of those orders cannot be dropped (the index keeps no text): a search's
 * LIKE turns away the order that later takes such an id. */
enum wg_rc wg_store_order_fts_trim(struct wg_db *db, long long *dropped, struct wg_err *err);
/* Makes the entries of up to limit waiting orders, oldest first, with their reporters' phone
 * lookup (migration 22), and moves the mark past them, inside the caller's transaction; *indexed
 * (may be NULL) receives how many. The connection is the text indexer's (wg_store_search_open) on
 * SQLite. */
enum wg_rc wg_store_order_fts_catchup(struct wg_db *db, int limit, int *indexed,
                                      struct wg_err *err);

/* ---- sealed values ----
 * Personal values sealed outside account profiles, for key rotation: the reporter's name and
 * phone of orders, the e-mail, device and account ids of Open311 requests. A page holds the
 * rows with any such value after id `after`, in id order, each value "" when there is none;
 * cb returns nonzero to stop. An update writes a row's values back ("" stores none). */
enum wg_sealed_table { WG_SEALED_ORDERS, WG_SEALED_OPEN311 };
struct wg_sealed_row {
    long long id;
    const char *v[3];
};
int wg_sealed_fields(enum wg_sealed_table t); /* how many of v a row of t has */
enum wg_rc wg_store_sealed_page(struct wg_db *db, enum wg_sealed_table t, long long after,
                                int limit, int (*cb)(const struct wg_sealed_row *, void *),
                                void *ctx, struct wg_err *err);
enum wg_rc wg_store_sealed_update(struct wg_db *db, enum wg_sealed_table t, long long id,
                                  const char *const v[3], struct wg_err *err);

/* What the order state machine remembers beside the state. */
struct wg_order_facts {
    char before_suspend[16];
    int reopened, callback_attempts;
    char self_handler[64];
    int direct_answer, extension_pending, rework_count, special_team, unreached;
    char satisfaction[24];
    long long master_id;
    long long dispatched_at, sign_deadline, reply_deadline; /* unix seconds; 0: none */
};
enum wg_rc wg_store_order_facts(struct wg_db *db, long long id, struct wg_order_facts *out,
                                struct wg_err *err);
/* Writes state, unit and facts if the order is still at `version`; *changed 0 means another
 * change came first (the caller answers 412). */
enum wg_rc wg_store_order_update(struct wg_db *db, long long id, int version, const char *state,
                                 const char *unit, const struct wg_order_facts *f,
                                 const char *now, int *changed, struct wg_err *err);

/* ---- units and routing rules ---- */
struct wg_unit_row {
    char id[64];
    char name[128];
    char kind[24];
};
enum wg_rc wg_store_unit_insert(struct wg_db *db, const struct wg_unit_row *u, struct wg_err *err);
enum wg_rc wg_store_unit_add_region(struct wg_db *db, const char *unit, const char *region,
                                    struct wg_err *err);
enum wg_rc wg_store_unit_get(struct wg_db *db, const char *id, struct wg_unit_row *out,
                             struct wg_err *err);
enum wg_rc wg_store_unit_each(struct wg_db *db, int (*cb)(const struct wg_unit_row *, void *),
                              void *ctx, struct wg_err *err);
enum wg_rc wg_store_unit_regions(struct wg_db *db, const char *id,
                                 int (*cb)(const char *region, void *), void *ctx,
                                 struct wg_err *err);
struct wg_rule_row {
    long long id;
    char item[16];
    char region[16];
    char lead[64];
    char assisting[512]; /* comma-separated unit ids, "" for none */
};
enum wg_rc wg_store_rule_insert(struct wg_db *db, const struct wg_rule_row *r, long long *id,
                                struct wg_err *err);
enum wg_rc wg_store_rule_each(struct wg_db *db, int (*cb)(const struct wg_rule_row *, void *),
                              void *ctx, struct wg_err *err);
/* Rules whose item and region are prefixes of item and region, most specific first. */
enum wg_rc wg_store_rule_match(struct wg_db *db, const char *item, const char *region,
                               int (*cb)(const struct wg_rule_row *, void *), void *ctx,
                               struct wg_err *err);

/* ---- the delivery outbox (domain/notify.h) ---- */
struct wg_outbox_row {
    long long id;
    /* Text fields; in callbacks they are borrowed and valid only during the call. */
    const char *recipient; /* a username, or "unit:ID" */
    const char *channel;   /* webhook */
    const char *kind;      /* dispatch, urge, supervise, return, red_light ... */
    const char *payload;   /* JSON text */
    const char *state;     /* pending, sending, delivered, dead */
    const char *last_error, *created_at, *delivered_at; /* "" when none */
    long long order_id;        /* 0: none */
    int attempts;
    long long next_attempt_at; /* unix seconds; while sending, the end of the claim's lease */
};
/* Inserts a pending row due at r->next_attempt_at (recipient, channel, kind, order_id,
 * payload, next_attempt_at and created_at are read); inside the caller's transaction. */
enum wg_rc wg_store_outbox_insert(struct wg_db *db, const struct wg_outbox_row *r, long long *id,
                                  struct wg_err *err);
/* Claims the most overdue row due at now (pending, or sending with its lease run out):
 * it becomes sending, attempts + 1, leased until lease_until, and cb sees it. *claimed is 0
 * when nothing was due. One statement: two workers never claim one row. */
enum wg_rc wg_store_outbox_claim(struct wg_db *db, long long now, long long lease_until,
                                 int (*cb)(const struct wg_outbox_row *, void *), void *ctx,
                                 int *claimed, struct wg_err *err);
/* Ends a claim: delivered at `at` (ISO), or failed with its state (pending again, or dead),
 * the time of the next attempt and the error. *changed 0: the row was no longer sending. */
enum wg_rc wg_store_outbox_delivered(struct wg_db *db, long long id, const char *at, int *changed,
                                     struct wg_err *err);
enum wg_rc wg_store_outbox_failed(struct wg_db *db, long long id, const char *state,
                                  long long next_attempt_at, const char *error, int *changed,
                                  struct wg_err *err);
enum wg_rc wg_store_outbox_get(struct wg_db *db, long long id,
                               int (*cb)(const struct wg_outbox_row *, void *), void *ctx,
                               struct wg_err *err);
/* Rows for recipient a or b ("" matches nothing), newest first. */
enum wg_rc wg_store_outbox_list(struct wg_db *db, const char *a, const char *b, long long limit,
                                long long offset, int (*cb)(const struct wg_outbox_row *, void *),
                                void *ctx, struct wg_err *err);

/* Open orders past their reply deadline at now and not yet supervised automatically. */
enum wg_rc wg_store_order_overdue(struct wg_db *db, long long now, int limit,
                                  int (*cb)(long long id, int version, void *), void *ctx,
                                  struct wg_err *err);
enum wg_rc wg_store_order_mark_supervised(struct wg_db *db, long long id, struct wg_err *err);

/* ---- photos of orders ---- */
struct wg_photo_row {
    const char *sha256, *mime, *created_by, *created_at;
    long long size;
};
/* *added 0 when the order already had this photo. */
enum wg_rc wg_store_photo_insert(struct wg_db *db, long long order_id, const char *sha256,
                                 const char *mime, long long size, const char *by,
                                 const char *at, int *added, struct wg_err *err);
enum wg_rc wg_store_photo_list(struct wg_db *db, long long order_id,
                               int (*cb)(const struct wg_photo_row *, void *), void *ctx,
                               struct wg_err *err);
/* The orders a photo belongs to (a photo can be shared by duplicates), with its type. */
enum wg_rc wg_store_photo_orders(struct wg_db *db, const char *sha256,
                                 int (*cb)(long long order_id, const char *mime, void *),
                                 void *ctx, struct wg_err *err);

/* The orders merged into master_id, oldest first. */
enum wg_rc wg_store_order_children(struct wg_db *db, long long master_id,
                                   int (*cb)(long long id, const char *number, void *),
                                   void *ctx, struct wg_err *err);

/* ---- co-handling, special lines, merged duplicates (migration 14) ---- */
/* Replaces the order's assisting units with units[0..n) (in that order); inside the
 * caller's transaction. n 0 clears them. */
enum wg_rc wg_store_order_assist_set(struct wg_db *db, long long order_id,
                                     const char *const *units, size_t n, struct wg_err *err);
/* The assisting units in dispatch order, with when each signed and replied ("" when not). */
enum wg_rc wg_store_order_assist_each(struct wg_db *db, long long order_id,
                                      int (*cb)(const char *unit, const char *signed_at,
                                                const char *replied_at, void *),
                                      void *ctx, struct wg_err *err);
/* An assisting unit's signature (the first is kept) or reply (the latest; signs too). */
enum wg_rc wg_store_order_assist_mark(struct wg_db *db, long long order_id, const char *unit,
                                      int replied, const char *at, struct wg_err *err);
/* Records that the order went to a special line; *added 0 when it already had. */
enum wg_rc wg_store_order_line_add(struct wg_db *db, long long order_id, const char *line,
                                   const char *at, const char *actor, int *added,
                                   struct wg_err *err);
enum wg_rc wg_store_order_lines(struct wg_db *db, long long order_id,
                                int (*cb)(const char *line, const char *at, const char *actor,
                                          void *),
                                void *ctx, struct wg_err *err);
/* The duplicates merged into master_id with their callback facts. */
struct wg_order_child {
    long long id;
    const char *number, *satisfaction; /* borrowed; satisfaction "" until reached */
    int unreached, anonymous, callback_attempts;
};
enum wg_rc wg_store_order_children_callback(struct wg_db *db, long long master_id,
                                            int (*cb)(const struct wg_order_child *, void *),
                                            void *ctx, struct wg_err *err);

/* ---- catalog versions (domain/catalog_store.h) ---- */
struct wg_catalog_version_row {
    long long version;
    const char *body; /* the catalog's JSON form; "" in lists */
    const char *created_by, *created_at, *change;
};
/* The newest stored version's number, 0 when none is stored. */
enum wg_rc wg_store_catalog_head(struct wg_db *db, long long *version, struct wg_err *err);
/* WG_ECONFLICT when that version number is taken (another server stored one first). */
enum wg_rc wg_store_catalog_insert(struct wg_db *db, const struct wg_catalog_version_row *r,
                                   struct wg_err *err);
/* WG_ENOTFOUND when there is no such version; the row is borrowed in cb. */
enum wg_rc wg_store_catalog_get(struct wg_db *db, long long version,
                                int (*cb)(const struct wg_catalog_version_row *, void *),
                                void *ctx, struct wg_err *err);
/* Every stored version, newest first, without bodies. */
enum wg_rc wg_store_catalog_each(struct wg_db *db,
                                 int (*cb)(const struct wg_catalog_version_row *, void *),
                                 void *ctx, struct wg_err *err);
/* ---- Open311 (domain/open311.h) ---- */
/* Regions of one level ("county"), by code. */
enum wg_rc wg_store_region_by_level(struct wg_db *db, const char *level,
                                    int (*cb)(const struct wg_region_row *, void *), void *ctx,
                                    struct wg_err *err);
struct wg_open311_row {
    long long order_id;
    const char *token, *client;
    const char *attributes;                  /* a JSON object's text */
    const char *address_id, *media_url;      /* NULL or "": none */
    const char *email, *device_id, *account_id; /* sealed values; NULL: none */
};
/* Inside the caller's transaction, with the order. */
enum wg_rc wg_store_open311_insert(struct wg_db *db, const struct wg_open311_row *r,
                                   struct wg_err *err);
/* The number of the order a token was given for; WG_ENOTFOUND for an unknown token. */
enum wg_rc wg_store_open311_token(struct wg_db *db, const char *token, char number[32],
                                  struct wg_err *err);
/* The attribute values an order came with, as JSON text (*out owned); *out NULL when the
 * order did not come through Open311. */
enum wg_rc wg_store_open311_attributes(struct wg_db *db, long long order_id, char **out,
                                       struct wg_err *err);
/* The public requests: orders of the public items (a JSON array of codes) that are not
 * confidential; every other filter is "" for any: county, numbers, items and states as JSON
 * arrays, since and until as created_at bounds (ISO text, inclusive). Newest first. */
struct wg_open311_filter {
    const char *public_items, *county, *numbers, *items, *states, *since, *until;
    long long limit;
};
struct wg_open311_req_row {
    long long id;
    /* text borrowed in the callback */
    const char *number, *county, *item, *title, *content, *address, *state, *unit_name,
        *created_at, *updated_at, *token, *address_id, *media_url, *channel;
    int has_point;
    double lon, lat;
    long long reply_deadline; /* unix seconds; 0: none */
};
enum wg_rc wg_store_open311_list(struct wg_db *db, const struct wg_open311_filter *f,
                                 int (*cb)(const struct wg_open311_req_row *, void *), void *ctx,
                                 struct wg_err *err);
/* The state changes of those orders between since and until (event times), oldest first. */
struct wg_open311_update_row {
    const char *number, *at, *action, *state; /* borrowed in the callback */
    int seq;
};
enum wg_rc wg_store_open311_updates(struct wg_db *db, const struct wg_open311_filter *f,
                                    int (*cb)(const struct wg_open311_update_row *, void *),
                                    void *ctx, struct wg_err *err);
/* ---- indicator counters (domain/stats.h) ----
 * A cell is the counts of one CST day (days since 1970-01-01), one leaf (a grid code, or a
 * county code for an order without a point), one unit ("" for none), one catalog item
 * ("" for none) and one channel. */
#define WG_STAT_NCOUNTERS 18 /* the columns of WG_STAT_COLS, handling_minutes last */
struct wg_stat_cell {
    int day;
    const char *leaf, *unit, *item, *channel;
    long long c[WG_STAT_NCOUNTERS];
};
/* Adds c's counts to its cell (made when missing); inside the caller's transaction. */
enum wg_rc wg_store_stat_add(struct wg_db *db, const struct wg_stat_cell *c, struct wg_err *err);
/* Appends one change's deltas (text, domain/stats.c's format) to the change log. */
enum wg_rc wg_store_stat_log(struct wg_db *db, long long at, const char *deltas,
                             struct wg_err *err);
struct wg_stat_filter {
    const char *leaf;    /* code prefix; "" for all */
    int from, to;        /* days, inclusive */
    const char *unit;    /* "" for any */
    const char *item;    /* code prefix; "" for any */
    const char *channel; /* "" for any */
};
/* The cells matching f; text fields are borrowed in cb; non-zero from cb stops. */
enum wg_rc wg_store_stat_cells(struct wg_db *db, const struct wg_stat_filter *f,
                               int (*cb)(const struct wg_stat_cell *, void *), void *ctx,
                               struct wg_err *err);
/* Log rows after seq, oldest first, at most limit. */
enum wg_rc wg_store_stat_log_since(struct wg_db *db, long long seq, int limit,
                                   int (*cb)(long long seq, const char *deltas, void *),
                                   void *ctx, struct wg_err *err);
enum wg_rc wg_store_stat_log_bounds(struct wg_db *db, long long *min, long long *max,
                                    struct wg_err *err);
/* Drops log rows older than `before` (unix seconds), always keeping the newest and those not
 * yet folded into the roll-up rows. */
enum wg_rc wg_store_stat_log_prune(struct wg_db *db, long long before, struct wg_err *err);
/* ---- the residents' portal (domain/portal.h) ---- */
/* An appeal filed through the portal: its tracking code's SHA-256 (hex) and its order. */
enum wg_rc wg_store_portal_appeal_insert(struct wg_db *db, const char *code_hash,
                                         long long order_id, const char *portal_type,
                                         const char *source, const char *at, struct wg_err *err);
/* WG_ENOTFOUND when no appeal has the code. portal_type receives at most 16 bytes. */
enum wg_rc wg_store_portal_appeal_find(struct wg_db *db, const char *code_hash,
                                       long long *order_id, char portal_type[16],
                                       struct wg_err *err);
/* The resident's own rating of an order (one at most). */
struct wg_rating_row {
    char satisfaction[24];
    int resolved;
    char comment[1024];
    char rated_at[32];
};
/* *found 0 when the order has no rating (out is then zeroed). */
enum wg_rc wg_store_rating_get(struct wg_db *db, long long order_id, struct wg_rating_row *out,
                               int *found, struct wg_err *err);
enum wg_rc wg_store_rating_insert(struct wg_db *db, long long order_id,
                                  const struct wg_rating_row *r, struct wg_err *err);
/* Throttle counters: hits of key in fixed window win (a number the caller derives from the
 * time), kept until expires (unix seconds). _take adds one and answers the new count. */
enum wg_rc wg_store_throttle_hits(struct wg_db *db, const char *key, long long win, long *hits,
                                  struct wg_err *err);
enum wg_rc wg_store_throttle_take(struct wg_db *db, const char *key, long long win,
                                  long long expires, long *hits, struct wg_err *err);
enum wg_rc wg_store_throttle_prune(struct wg_db *db, long long now, struct wg_err *err);
/* A roll-up row (stat_roll): the cells of one day summed by node and view — view 0: node is
 * a town (or a shorter code for cells without one), dim ""; views 1, 2, 3: node is a county,
 * dim an item, unit or channel (domain/stats.h, enum wg_stat_roll_view). */
struct wg_stat_roll {
    int day;
    const char *node;
    int view;
    const char *dim;
    long long c[WG_STAT_NCOUNTERS];
};
/* Adds r's counts to its row (made when missing); inside the caller's transaction. */
enum wg_rc wg_store_stat_roll_add(struct wg_db *db, const struct wg_stat_roll *r,
                                  struct wg_err *err);
/* The last change log row folded into the roll-up rows, and setting it. */
enum wg_rc wg_store_stat_roll_pos(struct wg_db *db, long long *seq, struct wg_err *err);
enum wg_rc wg_store_stat_roll_pos_set(struct wg_db *db, long long seq, struct wg_err *err);
/* Every roll-up row; text fields are borrowed in cb; non-zero from cb stops. */
enum wg_rc wg_store_stat_rolls(struct wg_db *db, int (*cb)(const struct wg_stat_roll *, void *),
                               void *ctx, struct wg_err *err);

#endif
