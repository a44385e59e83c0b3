/* Accounts, roles and permissions (SPEC §8; 等保 2.0 level 3). Every person who works in
 * wangge has one account with one role and one scope: a region or grid code (the account
 * sees that subtree) or a unit (it sees what is sent to that unit). The three
 * administrators are kept apart (三员分立, 等保 2.0 level 3): sysadmin runs the operational
 * accounts (every role but the three) and configuration, secadmin runs keys, security
 * settings and the administrators' own accounts, auditor alone reads the audit log. No
 * administrator makes or resets an account of an administrator but a secadmin, and none
 * ever knows another's password: an administrator's account is made, or reset, with a
 * one-time password the server makes, shown once, that must be changed at first login; the
 * first of each is made by `wangge init`.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str); the policy is at least
 * 8 characters of at least 3 classes (lower case, upper case, digits, symbols). An initial
 * or reset password must be changed at first login (must_change). Five failed logins lock
 * an account for 15 minutes. */
#ifndef WG_DOMAIN_ACCOUNT_H
#define WG_DOMAIN_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/accounts/role.h"
#include "store/store.h"

/* Permissions: what a route may require. */
enum wg_perm {
    WG_P_MAP_READ = 1u << 0,         /* regions, grids, locate */
    WG_P_MAP_WRITE = 1u << 1,        /* grid imports */
    WG_P_ACCOUNT_ADMIN = 1u << 2,    /* accounts and API keys */
    WG_P_AUDIT_READ = 1u << 3,       /* the audit log */
    WG_P_KEY_ADMIN = 1u << 4,        /* encryption keys, security settings */
    WG_P_OPEN311 = 1u << 5,          /* integration keys: Open311 intake */
    WG_P_ALERT_INGEST = 1u << 6,     /* integration keys: video and sensor alerts */
    WG_P_SELF = 1u << 7,             /* one's own session and password (every account) */
    WG_P_ORDER_READ = 1u << 8,       /* work orders in one's scope */
    WG_P_ORDER_CREATE = 1u << 9,     /* take in appeals (intake) */
    WG_P_CONFIG_ADMIN = 1u << 10,    /* units, routing rules, catalog, calendar */
    WG_P_STATS_READ = 1u << 11,      /* indicators of one's own scope */
    WG_P_METRICS = 1u << 12,         /* integration keys: the server's metrics (GET /metrics) */
    WG_P_ADMIN_ACCOUNTS = 1u << 13,  /* the administrators' accounts (secadmin) */
    WG_P_REGISTRY_READ = 1u << 14,   /* the registry in one's scope: people masked, houses… */
    WG_P_REGISTRY_WRITE = 1u << 15,  /* record and import people, houses, organizations… */
    WG_P_DISPUTE_READ = 1u << 16,    /* dispute cases in one's scope, parties masked */
    WG_P_DISPUTE_WRITE = 1u << 17,   /* record dispute cases */
    WG_P_MEDIATION_ADMIN = 1u << 18, /* mediation bodies and their members */
    WG_P_ALERT_READ = 1u << 19,      /* devices, alerts, warnings, tasks, leaders' 帮包 */
    WG_P_ALERT_REVIEW = 1u << 20,    /* review alerts, judge warnings, open tasks, assign 帮包 */
    WG_P_ASSESS_READ = 1u << 21,     /* assessments, results, rankings, survey results */
    WG_P_ASSESS_WRITE = 1u << 22,    /* schemes, reviewers' scores, freezing, surveys */
    WG_P_SURVEY_CALL = 1u << 23,     /* make a survey's calls and record them */
    WG_P_PARTAKE_READ = 1u << 24, /* 一长二员, volunteers, wishes, deliberations, mobilisation */
    WG_P_PARTAKE_WRITE = 1u << 25, /* keep them */
};
#define WG_P_LAST WG_P_PARTAKE_WRITE

struct wg_role {
    const char *name;
    const char *label; /* 中文 */
    uint32_t perms;
};

/* The account roles' table, indexed by enum wg_role_id (SPEC §9 order); NULL-terminated. */
extern const struct wg_role wg_roles[];
/* An account role by name; NULL for any other name (resident and apikey included). */
const struct wg_role *wg_role_find(const char *name);
/* Parses "open311,alert_ingest" into API-key permissions; only integration permissions
 * (open311, alert_ingest, map_read, metrics) are allowed on keys. */
enum wg_rc wg_perm_parse_list(const char *list, uint32_t *out, struct wg_err *err);
const char *wg_perm_name(uint32_t one);

/* Scope: "all" (the whole deployment), "region:371302001" or a bare region or grid code,
 * or "unit:ID". */
struct wg_scope {
    char kind[8]; /* "region" or "unit" */
    char code[32];
};
enum wg_rc wg_scope_parse(const char *text, struct wg_scope *out, struct wg_err *err);
/* 1 when the scope is a unit's ("unit:ID"): its account sees its unit's work, not places'. */
int wg_scope_is_unit(const struct wg_scope *s);
/* 1 when a region or grid code lies inside the scope's subtree. Unit scopes see the map
 * (it is not personal data) but only their unit's work. */
int wg_scope_covers(const struct wg_scope *s, const char *code);

/* WG_OK or WG_EINVAL saying what the password lacks. */
enum wg_rc wg_password_check(const char *password, struct wg_err *err);
/* Argon2id with the process's cost: libsodium's "interactive" (64 MiB, 2 passes) unless
 * WANGGE_ARGON2_MEMORY_MIB (1..4096) and WANGGE_ARGON2_PASSES (1..10) say otherwise. A hash
 * keeps its own cost, so every process checks every hash whatever its own setting. */
enum wg_rc wg_password_hash(const char *password, char out[128], struct wg_err *err);
/* Reads the two variables once, at a process's start (cli/main.c), before any thread:
 * WG_EINVAL naming the variable when one is not a whole number in its range. */
enum wg_rc wg_password_cost_from_env(struct wg_err *err);
int wg_password_verify(const char *hash, const char *password); /* 1 when it matches */
/* A random password that meets the policy (for the first sysadmin and resets). */
void wg_password_random(char out[21]);

#define WG_LOCK_FAILURES 5
#define WG_LOCK_SECONDS  (15 * 60)

/* 1 when role names one of the three administrators' roles (sysadmin, secadmin, auditor). */
int wg_role_is_admin(const char *role);

/* An account checked and its password hashed, ready for the store (no store is touched, so
 * that the hashing holds none of its connections). */
struct wg_account_row;
enum wg_rc wg_account_prepare(const char *username, const char *role, const char *scope,
                              const char *password, int must_change, struct wg_account_row *out,
                              struct wg_err *err);
/* Prepares and stores an account (WG_ECONFLICT when the username exists). */
enum wg_rc wg_account_create(struct wg_db *db, const char *username, const char *role,
                             const char *scope, const char *password, int must_change,
                             struct wg_err *err);

#endif
