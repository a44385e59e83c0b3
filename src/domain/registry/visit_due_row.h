/* What the due list (visit_due.c) and the kept due days (visit_kept.c) share inside the
 * registry: a stored person read as far as the cadence needs, and one entry of the list. */
#ifndef WG_DOMAIN_REGISTRY_VISIT_DUE_ROW_H
#define WG_DOMAIN_REGISTRY_VISIT_DUE_ROW_H

#include "domain/registry/visit.h"
#include "store/store.h"

/* The groups (the special populations opened), grid and times of a stored person. */
enum wg_rc wg_due_groups_of(const struct wg_pii_keys *keys, const struct wg_person_row *r,
                            struct wg_person *p, struct wg_err *err);
/* The due of r's person (r's groups opened into p) at now: 1 with *d, 0 without a cadence. */
int wg_due_of_row(const struct wg_pii_keys *keys, const struct wg_calendar *cal,
                  const struct wg_cadence *cad, const struct wg_due_row *r, long long now,
                  struct wg_person *p, struct wg_due *d, enum wg_rc *rc, struct wg_err *err);
/* One entry of the list: the person (r's row opened whole, answered masked) and its due. */
json_t *wg_due_entry(const struct wg_pii_keys *keys, const struct wg_due_row *r,
                     const struct wg_due *d, int sensitive, enum wg_rc *rc, struct wg_err *err);

/* The lists of status due (1) and overdue (2), from the kept due days (visit_kept.c). */
enum wg_rc wg_visit_due_soon(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_calendar *cal, const struct wg_cadence *c,
                             const char *lo, const char *hi, int status, const char *cursor,
                             int want, int sensitive, long long now, json_t *out,
                             struct wg_err *err);

#endif
