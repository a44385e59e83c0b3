/* The registry's people and households, and the registry_sensitive grant (domain/registry/).
 * Typed functions of the store (store/store.h) for this context; only src/store/ speaks SQL.
 * Rows are as stored: personal fields sealed (domain/accounts/pii.h), never opened here. */
#ifndef WG_STORE_REGISTRY_Q_H
#define WG_STORE_REGISTRY_Q_H

#include "store/store.h"

struct wg_person_row {
    long long id;
    char id_type[16];
    /* sealed; "" for a phone or birth date when none (a birth date stored before it was
     * sealed is clear, YYYY-MM-DD, until the person is next written) */
    const char *id_number, *name, *phone, *special, *birth_date;
    const char *id_blind, *phone_blind; /* written only; "" for no phone */
    char gender[8], residence[16], political[16], grid[32];
    long long care, household; /* household 0: none */
    long long created_at, updated_at, version;
};

/* The person of a row whose first columns are queries.def's WG_PERSON_COLS (visit_q.c reads
 * them with columns of its own after); its text is the row's. -1 when a value does not fit. */
struct wg_row;
int wg_store_person_read_row(struct wg_row *row, struct wg_person_row *out);

/* Inserts p (its id, times and version ignored) at now; *id is the new person's. A second
 * person with p's id_blind is WG_ECONFLICT, nothing written. mark_due 1 marks the new person's
 * visit due day for the sweep to work out; 0 leaves that to the caller, who marks all the persons
 * it made at once (wg_store_visit_due_touch_ids) before its transaction ends, as an import does. */
enum wg_rc wg_store_person_insert(struct wg_db *db, const struct wg_person_row *p, long long now,
                                  int mark_due, long long *id, struct wg_err *err);
/* Writes p over person p->id if its version is still p->version (*changed 0 when not). */
enum wg_rc wg_store_person_update(struct wg_db *db, const struct wg_person_row *p, long long now,
                                  int *changed, struct wg_err *err);
/* The row's text fields are valid only during the callback. WG_ENOTFOUND when there is none. */
enum wg_rc wg_store_person_get(struct wg_db *db, long long id,
                               int (*cb)(const struct wg_person_row *, void *), void *ctx,
                               struct wg_err *err);
/* The id of the person with this ID blind index; 0 when there is none. */
enum wg_rc wg_store_person_by_id_blind(struct wg_db *db, const char *blind, long long *id,
                                       struct wg_err *err);
enum wg_rc wg_store_person_by_phone(struct wg_db *db, const char *blind, int limit,
                                    int (*cb)(const struct wg_person_row *, void *), void *ctx,
                                    struct wg_err *err);
/* The persons of grids in [lo, hi) after (after_grid, after_id), by grid then id; care 0 or
 * the bits of which one must be set. */
enum wg_rc wg_store_person_list(struct wg_db *db, const char *lo, const char *hi,
                                const char *after_grid, long long after_id, long long care,
                                int limit, int (*cb)(const struct wg_person_row *, void *),
                                void *ctx, struct wg_err *err);
enum wg_rc wg_store_person_members(struct wg_db *db, long long household,
                                   int (*cb)(const struct wg_person_row *, void *), void *ctx,
                                   struct wg_err *err);
/* household 0 takes the person out of any. */
enum wg_rc wg_store_person_set_household(struct wg_db *db, long long id, long long household,
                                         long long now, struct wg_err *err);

struct wg_household_row {
    long long id;
    char number[64], grid[32];
    const char *address; /* sealed */
    long long head;      /* 0: none */
    char worker[64];     /* "" for none */
    long long created_at, updated_at, version;
};
enum wg_rc wg_store_household_insert(struct wg_db *db, const struct wg_household_row *h,
                                     long long now, long long *id, struct wg_err *err);
enum wg_rc wg_store_household_update(struct wg_db *db, const struct wg_household_row *h,
                                     long long now, int *changed, struct wg_err *err);
enum wg_rc wg_store_household_get(struct wg_db *db, long long id,
                                  int (*cb)(const struct wg_household_row *, void *), void *ctx,
                                  struct wg_err *err);
enum wg_rc wg_store_household_by_number(struct wg_db *db, const char *number, long long *id,
                                        struct wg_err *err);
enum wg_rc wg_store_household_list(struct wg_db *db, const char *lo, const char *hi,
                                   const char *after_grid, long long after_id, int limit,
                                   int (*cb)(const struct wg_household_row *, void *), void *ctx,
                                   struct wg_err *err);

/* The registry_sensitive grant: set (by whom, when), removed, and asked. */
enum wg_rc wg_store_registry_grant(struct wg_db *db, const char *username, const char *by,
                                   long long now, int granted, struct wg_err *err);
enum wg_rc wg_store_registry_granted(struct wg_db *db, const char *username, int *granted,
                                     struct wg_err *err);

#endif
