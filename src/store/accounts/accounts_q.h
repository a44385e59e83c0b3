/* Accounts, sessions, API keys, the audit log and sealed personal values (domain/accounts/).
 * Typed functions of the store (store/store.h) for this context; only src/store/ speaks SQL. */
#ifndef WG_STORE_ACCOUNTS_Q_H
#define WG_STORE_ACCOUNTS_Q_H

#include <stddef.h>

#include "store/store.h"

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
enum wg_rc wg_store_account_get(struct wg_db *db, const char *username, struct wg_account_row *out,
                                struct wg_err *err);
enum wg_rc wg_store_account_each(struct wg_db *db, int (*cb)(const struct wg_account_row *, void *),
                                 void *ctx, struct wg_err *err);
enum wg_rc wg_store_account_set_password(struct wg_db *db, const char *username, const char *hash,
                                         int must_change, struct wg_err *err);
/* One's own change: stores hash over the stored one old, clearing must_change; WG_ECONFLICT
 * when the account no longer has old. */
enum wg_rc wg_store_account_change_password(struct wg_db *db, const char *username, const char *old,
                                            const char *hash, struct wg_err *err);
/* Counts a failed login of username at now in one statement (queries.def): the failure that
 * makes lock_at locks the account until lock_until; failures during a lock count on and leave
 * it as it is; the first after a lock has ended counts 1 again. *failed and *locked_until: the
 * account's after it (this failure locked it when they are lock_at and lock_until);
 * WG_ENOTFOUND when there is no such account. */
enum wg_rc wg_store_account_fail(struct wg_db *db, const char *username, long long now, int lock_at,
                                 long long lock_until, int *failed, long long *locked_until,
                                 struct wg_err *err);
/* A login whose password matched hash: clears the account's failures if it still has that
 * hash and is neither disabled nor locked at now, and reads it into *out; WG_ENOTFOUND when it
 * no longer is so. */
enum wg_rc wg_store_account_login(struct wg_db *db, const char *username, const char *hash,
                                  long long now, struct wg_account_row *out, struct wg_err *err);

/* Personal fields as stored: sealed strings (domain/accounts/pii.h), "" when absent. */
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

struct wg_session_row {
    char username[64];
    long long created_at, last_seen;
};
enum wg_rc wg_store_session_insert(struct wg_db *db, const char *token_hash, const char *username,
                                   long long now, const char *source, struct wg_err *err);
enum wg_rc wg_store_session_get(struct wg_db *db, const char *token_hash,
                                struct wg_session_row *out, struct wg_err *err);
enum wg_rc wg_store_session_touch(struct wg_db *db, const char *token_hash, long long now,
                                  struct wg_err *err);
enum wg_rc wg_store_session_delete(struct wg_db *db, const char *token_hash, struct wg_err *err);
enum wg_rc wg_store_session_delete_user(struct wg_db *db, const char *username, struct wg_err *err);
/* Removes the sessions last seen before idle_since or made before created_since; *n of them. */
enum wg_rc wg_store_session_purge(struct wg_db *db, long long idle_since, long long created_since,
                                  long *n, struct wg_err *err);
/* Sessions last seen at idle_since or later and made at created_since or later. */
enum wg_rc wg_store_session_count_active(struct wg_db *db, long long idle_since,
                                         long long created_since, long long *n, struct wg_err *err);

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

/* ---- audit: the append-only, hash-chained log (the chain is defined in domain/accounts/audit.h)
 * ---- Records are only ever inserted. There is deliberately no update, delete or prune function,
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
/* The last record's seq and hash (0 and "" when the log is empty). Call inside a
 * transaction: it takes the appenders' lock, so the caller can insert seq + 1. */
enum wg_rc wg_store_audit_last(struct wg_db *db, long long *seq, char hash[65], struct wg_err *err);
enum wg_rc wg_store_audit_insert(struct wg_db *db, const struct wg_audit_row *r,
                                 struct wg_err *err);
/* Every record in seq order; a non-zero return from cb stops the walk. */
enum wg_rc wg_store_audit_each(struct wg_db *db, int (*cb)(const struct wg_audit_row *, void *),
                               void *ctx, struct wg_err *err);
/* Records matching f, newest first. */
enum wg_rc wg_store_audit_find(struct wg_db *db, const struct wg_audit_filter *f,
                               int (*cb)(const struct wg_audit_row *, void *), void *ctx,
                               struct wg_err *err);

/* ---- sealed values ----
 * Personal values sealed outside account profiles, for key rotation: the reporter's name and
 * phone of orders, the e-mail, device and account ids of Open311 requests, the ID number,
 * name, phone and special populations of the registry's people and the address of its
 * households. A page holds the
 * rows with any such value after id `after`, in id order, each value "" when there is none;
 * cb returns nonzero to stop. An update writes a row's values back ("" stores none). */
enum wg_sealed_table {
    WG_SEALED_ORDERS,
    WG_SEALED_OPEN311,
    WG_SEALED_PERSONS,
    WG_SEALED_HOUSEHOLDS,
    WG_SEALED_ORGS, /* an organization's responsible person (domain/registry/org.h) */
    /* the grid workers' visits and patrols (domain/registry/visit.h, patrol.h) */
    WG_SEALED_VISITS,
    WG_SEALED_PATROLS,
    WG_SEALED_TRACKS,
    /* dispute cases' parties and their steps' records (domain/disputes/dispute.h) */
    WG_SEALED_DISPUTE_PARTIES,
    WG_SEALED_DISPUTE_EVENTS,
    WG_SEALED_SCREENINGS,     /* a screening task's note (domain/disputes/screening.h) */
    WG_SEALED_WARNINGS,       /* a warning's note (domain/alerts/warning.h) */
    WG_SEALED_WARNING_EVENTS, /* each step's note on a warning's timeline */
    WG_SEALED_TASK_EVENTS,    /* a 未诉先办 task's timeline notes (domain/alerts/task.h) */
    WG_SEALED_SPONSOR_NOTES,  /* a 帮包's progress notes (domain/alerts/sponsor.h) */
    WG_SEALED_SURVEY_PHONES,  /* a survey sample's phones (domain/assess/survey.h) */
};
#define WG_SEALED_MAX 5 /* values a row holds at most */
struct wg_sealed_row {
    long long id;
    const char *v[WG_SEALED_MAX];
};
int wg_sealed_fields(enum wg_sealed_table t); /* how many of v a row of t has */
enum wg_rc wg_store_sealed_page(struct wg_db *db, enum wg_sealed_table t, long long after,
                                int limit, int (*cb)(const struct wg_sealed_row *, void *),
                                void *ctx, struct wg_err *err);
enum wg_rc wg_store_sealed_update(struct wg_db *db, enum wg_sealed_table t, long long id,
                                  const char *const v[WG_SEALED_MAX], struct wg_err *err);

#endif
