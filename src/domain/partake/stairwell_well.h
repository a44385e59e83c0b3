/* The households of a stairwell (stairwell.h), for stairwell.c and stairwell_visit.c only: a
 * household lives in the house whose standard address is its sealed address, so a grid's
 * households are opened once and matched to the stairwell's houses by address. */
#ifndef WG_DOMAIN_PARTAKE_STAIRWELL_WELL_H
#define WG_DOMAIN_PARTAKE_STAIRWELL_WELL_H

#include "domain/partake/stairwell.h"

struct wg_well_home {
    long long household, house;
    char number[64], room[36], address[160]; /* the address masked */
    int floor, visited;
};
struct wg_well {
    long long n, visited;
    struct wg_well_home *homes; /* owned */
};
void wg_well_release(struct wg_well *w);
/* The households of grid by their clear address: {address: [[id, number], ...]}. */
enum wg_rc wg_well_households(struct wg_db *db, const struct wg_pii_keys *keys, const char *grid,
                              json_t **out, struct wg_err *err);
/* How many of homes live in building's unit. */
enum wg_rc wg_well_count(struct wg_db *db, const json_t *homes, const char *building,
                         const char *unit, long long *n, struct wg_err *err);
/* Team t's stairwell: its households, and which the team visited in month. */
enum wg_rc wg_well_load(struct wg_db *db, const struct wg_pii_keys *keys,
                        const struct wg_stair_row *t, const char *month, struct wg_well *w,
                        struct wg_err *err);
/* The team id in actor's scope; outside it WG_ENOTFOUND as a missing one. */
enum wg_rc wg_stair_load(struct wg_db *db, const struct wg_actor *actor, long long id,
                         struct wg_stair_row *t, struct wg_err *err);
/* The team as JSON, its members' names masked. */
json_t *wg_stair_json(struct wg_db *db, const struct wg_pii_keys *keys,
                      const struct wg_stair_row *t);

#endif
