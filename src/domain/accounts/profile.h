/* An account's personal fields (real name, phone, resident ID number): checked on entry,
 * sealed with domain/accounts/pii.h before they reach the store, the phone also kept as a blind
 * index for exact lookup. Clear values exist only in memory, for the moment they are needed, and
 * are wiped after. */
#ifndef WG_DOMAIN_PROFILE_H
#define WG_DOMAIN_PROFILE_H

#include <stddef.h>

#include "core/err.h"
#include "domain/accounts/pii.h"
#include "store/store.h"

struct wg_profile {
    char *name, *phone, *id_number; /* clear text, owned; "" when absent */
};

/* NULL or "" leaves a field empty. The phone and ID are validated first. */
enum wg_rc wg_profile_set(struct wg_db *db, const struct wg_pii_keys *keys, const char *username,
                          const char *name, const char *phone, const char *id_number,
                          struct wg_err *err);
enum wg_rc wg_profile_get(struct wg_db *db, const struct wg_pii_keys *keys, const char *username,
                          struct wg_profile *out, struct wg_err *err);
void wg_profile_release(struct wg_profile *p); /* wipes */
/* The field by its API name ("name", "phone", "id_number"), or NULL. */
const char *wg_profile_field(const struct wg_profile *p, const char *field);
/* Re-seals every stored value that is under an older key version; counts them in *moved.
 * One transaction. */
enum wg_rc wg_profile_rotate(struct wg_db *db, const struct wg_pii_keys *keys, size_t *moved,
                             struct wg_err *err);

#endif
