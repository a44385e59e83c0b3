/* The audit log (SPEC §8; 等保 2.0 level 3): who did what to which object, from where, and
 * how it ended. Every login (success and failure), logout, permission or account change,
 * data change and read of sensitive data appends one record. The log is append-only and
 * tamper-evident: an auditor runs `wangge audit verify` and learns the first record that was
 * edited, removed or moved.
 *
 * A record, field by field:
 *   seq          1, 2, 3, ... with no gaps; the order of the log.
 *   at           when it was written, UTC ISO 8601 with milliseconds.
 *   actor        the account's username, or "-" when nobody is logged in (a failed login,
 *                a command run on the server).
 *   role         the actor's role, or "-".
 *   source       the client address, or "cli:<login name>" for a command on the server.
 *   action       what was done, "<object>.<verb>": session.login, session.login_failed,
 *                session.logout, user.create, grid.import, region.import, pii.reveal ...
 *   object_type  what it was done to ("account", "grid", "region" ...), may be empty.
 *   object_id    which one, may be empty.
 *   result       "ok", "denied" or "failed".
 *   detail       a short free text (counts, the reason given, the error), may be empty.
 *   prev_hash    the hash of record seq - 1; 64 zeros for record 1.
 *   hash         hex SHA-256 over the record's canonical encoding (below).
 *
 * The canonical encoding is the concatenation of netstrings — "<decimal byte length>:<bytes>,"
 * — of, in this order: prev_hash, seq (decimal, no leading zeros), at, actor, role, source,
 * action, object_type, object_id, result, detail. Every field carries its length, so no two
 * different records encode alike ("ab" + "c" is not "a" + "bc"), and seq is inside the hash,
 * so a record moved to another place no longer matches. Anyone can recompute the chain from
 * the table with a few lines of any language.
 *
 * Invariants: records are only ever inserted (the store has no statement that changes or
 * removes one; records younger than 180 days may never be deleted). Appends are serialised:
 * reading the last record and inserting the next happen in one transaction that holds the
 * appenders' lock (SQLite's BEGIN IMMEDIATE; PostgreSQL's table lock), so two appenders can
 * never fork the chain. A counter in the store's meta table ("audit_records") is bumped in
 * the same transaction, so a log cut short at its end is noticed too. */
#ifndef WG_DOMAIN_AUDIT_H
#define WG_DOMAIN_AUDIT_H

#include "core/err.h"
#include "store/store.h"
#include "store/accounts/accounts_q.h"

/* Caps in bytes. Actor, source, object_id and detail come partly from outside (a username
 * typed at a login, an error message): a longer value is cut at a character boundary and
 * ends in "...". Action, object_type and result come from code: a bad one is WG_EINVAL. */
#define WG_AUDIT_ACTOR_MAX     128
#define WG_AUDIT_ROLE_MAX      32
#define WG_AUDIT_SOURCE_MAX    128
#define WG_AUDIT_ACTION_MAX    64
#define WG_AUDIT_OBJTYPE_MAX   32
#define WG_AUDIT_OBJID_MAX     256
#define WG_AUDIT_RESULT_MAX    16
#define WG_AUDIT_DETAIL_MAX    1024
#define WG_AUDIT_LIMIT_DEFAULT 100
#define WG_AUDIT_LIMIT_MAX     10000

struct wg_audit_event {
    const char *actor;       /* NULL or "": "-" */
    const char *role;        /* NULL or "": "-" */
    const char *source;      /* NULL or "": "-" */
    const char *action;      /* required: lower case letters, digits, '.', '_', '-' */
    const char *object_type; /* NULL or "", or as action */
    const char *object_id;   /* NULL: "" */
    const char *result;      /* required: "ok", "denied", "failed" (lower case, '_') */
    const char *detail;      /* NULL: "" */
};

/* Appends one record. Inside a transaction the caller opened, the record is part of it (it
 * commits or rolls back with the change it describes); otherwise it is its own
 * transaction. Text is stored as valid UTF-8 with control characters turned into spaces. */
enum wg_rc wg_audit_record(struct wg_db *db, const struct wg_audit_event *ev, struct wg_err *err);

/* Records how an operation that has already ended (committed or rolled back) went: rc
 * WG_OK gives result "ok"; WG_EFORBIDDEN or WG_EUNAUTH "denied"; anything else "failed",
 * with err's message as the detail when ev->detail is empty. ev->result is ignored.
 * Returns rc with err untouched when the operation failed (a failure to record is appended
 * to err's message), or the record's own code when the operation succeeded — a change that
 * could not be audited is an error. */
enum wg_rc wg_audit_outcome(struct wg_db *db, const struct wg_audit_event *ev, enum wg_rc rc,
                            struct wg_err *err);

/* Records a refused operation (refused non-zero: "denied" or "failed" as above) inside the
 * caller's transaction, such as a refusal job of the group committer, and returns the
 * record's own code: the job succeeds when its record is written. */
enum wg_rc wg_audit_refusal(struct wg_db *db, const struct wg_audit_event *ev, enum wg_rc refused,
                            struct wg_err *err);

struct wg_audit_report {
    long long records; /* records that checked out, in order */
    long long bad_seq; /* 0 when the chain is intact; else the first bad record */
    char what[256];    /* what is wrong with record bad_seq */
    char head[65];     /* hash of the last good record, "" when there is none */
};

/* Walks the whole log in seq order and checks each record: seq follows the one before (a
 * gap names the first missing record), hash matches the record's encoding (an edited
 * record, or one moved to another seq), prev_hash equals the previous record's hash. Then
 * checks that the log is as long as the counter says (a cut end names the first missing
 * record). Returns WG_OK whether or not the chain is intact — rep says which — or another
 * code when the store could not be read. */
enum wg_rc wg_audit_verify(struct wg_db *db, struct wg_audit_report *rep, struct wg_err *err);

/* Records matching f, newest first; limit 0 means WG_AUDIT_LIMIT_DEFAULT. since and until
 * are UTC ISO 8601 prefixes ("2026-01-31", "2026-01-31T08:00", "2026-01-31T08:00:00.000Z"),
 * since inclusive, until exclusive. A non-zero return from cb stops the walk. */
enum wg_rc wg_audit_query(struct wg_db *db, const struct wg_audit_filter *f,
                          int (*cb)(const struct wg_audit_row *, void *), void *ctx,
                          struct wg_err *err);

/* The record's hash (hex, NUL-terminated) over its canonical encoding; r->hash is not read. */
void wg_audit_hash(const struct wg_audit_row *r, char out[65]);

/* The source recorded for commands run on the server: "cli:<login name>" of the effective
 * user, so an operator's imports are told apart from API calls. */
void wg_audit_cli_source(char out[WG_AUDIT_SOURCE_MAX]);

#endif
