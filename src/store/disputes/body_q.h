/* Mediation bodies and their members (migration 42; domain/disputes/body.h): typed functions
 * of the store; only src/store/ speaks SQL. */
#ifndef WG_STORE_BODY_Q_H
#define WG_STORE_BODY_Q_H

#include "store/store.h"

struct wg_body_row {
    long long id;
    char name[128], kind[24], region[16], address[256], phone[32];
    long long version;
    char created_by[64];
    long long created_at, updated_at;
};

struct wg_body_member_row {
    int pos;
    char username[64];
    int full_time;
    const char *specialities; /* a JSON array of dispute types */
};

/* *id the new body's; version 1. */
enum wg_rc wg_store_mediation_body_insert(struct wg_db *db, const struct wg_body_row *b,
                                          long long now, long long *id, struct wg_err *err);
/* Writes b over body b->id if still at b->version (it moves on): WG_EPRECOND when not,
 * WG_ENOTFOUND when there is no such body. */
enum wg_rc wg_store_mediation_body_update(struct wg_db *db, const struct wg_body_row *b,
                                          long long now, struct wg_err *err);
enum wg_rc wg_store_mediation_body_get(struct wg_db *db, long long id, struct wg_body_row *out,
                                       struct wg_err *err);
/* The body's name into name ("" when there is no such body). */
enum wg_rc wg_store_mediation_body_name(struct wg_db *db, long long id, char *name, size_t n,
                                        struct wg_err *err);
/* Every body of kind ("" any), by region then name. */
enum wg_rc wg_store_mediation_body_list(struct wg_db *db, const char *kind,
                                        int (*cb)(const struct wg_body_row *, void *), void *ctx,
                                        struct wg_err *err);
/* A body's members replaced, and read by position. */
enum wg_rc wg_store_mediation_members_clear(struct wg_db *db, long long body, struct wg_err *err);
enum wg_rc wg_store_mediation_member_insert(struct wg_db *db, long long body,
                                            const struct wg_body_member_row *m, struct wg_err *err);
enum wg_rc wg_store_mediation_members(struct wg_db *db, long long body,
                                      int (*cb)(const struct wg_body_member_row *, void *),
                                      void *ctx, struct wg_err *err);
/* 1 in *is when username is a member of body. */
enum wg_rc wg_store_mediation_is_member(struct wg_db *db, long long body, const char *username,
                                        int *is, struct wg_err *err);
/* The open cases (not yet archived, refused or referred) of a body, by mediator ("" for those
 * given to no mediator). */
enum wg_rc wg_store_mediation_open_cases(struct wg_db *db, long long body,
                                         int (*cb)(const char *mediator, long long n, void *),
                                         void *ctx, struct wg_err *err);

#endif
