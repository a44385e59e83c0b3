/* Division tree → region rows. */
#include "domain/map/division.h"

#include "domain/map/region.h"
#include "store/map/map_q.h"

enum wg_rc wg_division_import(struct wg_db *db, const struct wg_divset *set,
                              struct wg_division_report *rep, struct wg_err *err)
{
    enum wg_rc rc;
    memset(rep, 0, sizeof *rep);
    if ((rc = wg_db_begin(db, err)))
        return rc;
    for (size_t i = 0; i < set->n; i++) {
        const struct wg_div *d = &set->v[i];
        struct wg_region_row r;
        enum wg_level lvl = wg_region_level(d->code, err);
        int changed = 0;
        if (lvl == WG_LEVEL_NONE || lvl > WG_LEVEL_VILLAGE) {
            rc = WG_EINVAL;
            break;
        }
        memset(&r, 0, sizeof r);
        snprintf(r.code, sizeof r.code, "%s", d->code);
        snprintf(r.name, sizeof r.name, "%s", d->name);
        snprintf(r.level, sizeof r.level, "%s", wg_level_name(lvl));
        wg_region_parent(d->code, r.parent, sizeof r.parent);
        if ((rc = wg_store_region_put(db, &r, &changed, err)))
            break;
        rep->total++;
        rep->by_level[lvl]++;
        if (changed)
            rep->changed++;
        else
            rep->unchanged++;
    }
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc)
        wg_db_rollback(db);
    return rc;
}
