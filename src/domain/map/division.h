/* Loading the division tree into the store: every division of a set (divsrc.h) becomes a
 * region row with its level and parent. Re-import is idempotent: unchanged rows are left
 * alone and counted as such. */
#ifndef WG_DOMAIN_DIVISION_H
#define WG_DOMAIN_DIVISION_H

#include <stddef.h>

#include "core/err.h"
#include "domain/map/divsrc.h"
#include "store/store.h"

struct wg_division_report {
    size_t total, changed, unchanged;
    size_t by_level[5]; /* province .. village */
};

/* One transaction: all rows or none. */
enum wg_rc wg_division_import(struct wg_db *db, const struct wg_divset *set,
                              struct wg_division_report *rep, struct wg_err *err);

#endif
