/* Key rotation of the personal values kept with orders: after `wangge key rotate` made a new
 * key version current (pii_keys.h), every reporter name and phone of an order and every e-mail,
 * device and account id of an Open311 request still sealed under an older version is opened
 * and sealed again under the current one. Account profiles have their own (profile.h). */
#ifndef WG_DOMAIN_PII_ROTATE_H
#define WG_DOMAIN_PII_ROTATE_H

#include <stddef.h>

#include "domain/accounts/pii.h"
#include "store/store.h"

/* Re-seals a page of rows at a time, each page in a transaction of its own, so a store of
 * millions of orders never holds the write lock long; a run stopped halfway leaves every
 * value readable (old versions stay in the key file), and the next run finishes. *moved
 * receives how many values were re-sealed. */
enum wg_rc wg_pii_rotate_stored(struct wg_db *db, const struct wg_pii_keys *keys, size_t *moved,
                                struct wg_err *err);

#endif
