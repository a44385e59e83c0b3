/* The demo's residents taking part (sample_partake.c): 一长二员 teams with this month's visits,
 * volunteer teams with a year of hours, two mobilisations, over the grids of a town's first
 * four communities. */
#ifndef WG_DOMAIN_PARTAKE_SAMPLE_PARTAKE_H
#define WG_DOMAIN_PARTAKE_SAMPLE_PARTAKE_H

#include <stdint.h>

#include "core/err.h"
#include "domain/accounts/pii_keys.h"
#include "store/store.h"

struct wg_partake_sample_report {
    int stairwells, teams, visits;              /* stairwells seen, teams made, visits */
    int vteams, volunteers, hours, redemptions; /* volunteer teams and their records */
    int mobilisations, reports;                 /* mobilisations and teams' reports */
};
/* Writes the demo over town (a town's code) at now with the seeded generator, as the account
 * "community" of the town (its username on every record), in one transaction; a store with
 * stairwell teams already is left as it is (rep all 0). */
enum wg_rc wg_partake_sample(struct wg_db *db, const struct wg_pii_keys *keys, const char *town,
                             long long now, uint64_t seed, struct wg_partake_sample_report *rep,
                             struct wg_err *err);

#endif
