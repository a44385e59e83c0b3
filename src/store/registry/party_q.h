/* The party overlay of the registry (domain/registry/party.h): party organizations, their
 * members, the party-member central households and the households they serve. Typed
 * functions of the store (store/store.h) for this context; only src/store/ speaks SQL. */
#ifndef WG_STORE_PARTY_Q_H
#define WG_STORE_PARTY_Q_H

#include "store/store.h"

struct wg_party_org_row {
    long long id;
    char name[244], kind[24], place_kind[12], place[40], area[40];
    long long parent; /* 0: none */
    long long version, created_at, updated_at;
};
enum wg_rc wg_store_party_org_insert(struct wg_db *db, const struct wg_party_org_row *p,
                                     long long now, long long *id, struct wg_err *err);
/* WG_EPRECOND when p->id is no longer at version expect. */
enum wg_rc wg_store_party_org_update(struct wg_db *db, const struct wg_party_org_row *p,
                                     long long now, long long expect, struct wg_err *err);
enum wg_rc wg_store_party_org_get(struct wg_db *db, long long id, struct wg_party_org_row *out,
                                  struct wg_err *err);
/* Of areas [lo, hi) after id, of kind ("" any), by id. */
enum wg_rc wg_store_party_org_list(struct wg_db *db, const char *lo, const char *hi,
                                   long long after, const char *kind, int limit,
                                   int (*cb)(const struct wg_party_org_row *, void *), void *ctx,
                                   struct wg_err *err);

/* A member twice is WG_ECONFLICT naming the person. */
enum wg_rc wg_store_party_member_add(struct wg_db *db, long long org, long long person,
                                     const char *role, const char *joined, long long now,
                                     struct wg_err *err);
/* *removed 0 when the person was not a member. */
enum wg_rc wg_store_party_member_remove(struct wg_db *db, long long org, long long person,
                                        int *removed, struct wg_err *err);
enum wg_rc wg_store_party_member_is(struct wg_db *db, long long org, long long person, int *is,
                                    struct wg_err *err);
struct wg_party_member_row {
    long long person;
    const char *role, *joined;
    long long added_at;
};
enum wg_rc wg_store_party_member_list(struct wg_db *db, long long org,
                                      int (*cb)(const struct wg_party_member_row *, void *),
                                      void *ctx, struct wg_err *err);

struct wg_party_centre_row {
    long long household, party_org, member;
    char grid[32];
    long long version, created_at, updated_at;
};
/* A household that is a central household already is WG_ECONFLICT naming household. */
enum wg_rc wg_store_party_centre_insert(struct wg_db *db, const struct wg_party_centre_row *c,
                                        long long now, struct wg_err *err);
enum wg_rc wg_store_party_centre_update(struct wg_db *db, const struct wg_party_centre_row *c,
                                        long long now, long long expect, struct wg_err *err);
enum wg_rc wg_store_party_centre_get(struct wg_db *db, long long household,
                                     struct wg_party_centre_row *out, struct wg_err *err);
enum wg_rc wg_store_party_centre_list(struct wg_db *db, const char *lo, const char *hi,
                                      long long after, int limit,
                                      int (*cb)(const struct wg_party_centre_row *, void *),
                                      void *ctx, struct wg_err *err);
/* The households centre serves become exactly served[0..n). */
enum wg_rc wg_store_party_served_set(struct wg_db *db, long long centre, const long long *served,
                                     size_t n, struct wg_err *err);
/* The central household that serves household; 0 when none. */
enum wg_rc wg_store_party_served_by(struct wg_db *db, long long household, long long *centre,
                                    struct wg_err *err);
enum wg_rc wg_store_party_served_list(struct wg_db *db, long long centre,
                                      int (*cb)(long long household, void *), void *ctx,
                                      struct wg_err *err);

#endif
