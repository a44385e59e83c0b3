/* A generated registry for the demo district and the benchmarks: buildings with standard
 * addresses, their houses, the households living in them and their members, a team per
 * grid, the party overlay (a committee per village, a branch per grid, central households)
 * and a grid worker's visits, in the proportions of a working district (seed 000's Lanshan: city
 * communities of flats, villages of courtyard houses; about one in five aged 60 or over, 2-3 in a
 * hundred over 80, a few in a thousand in the special populations). Demo data only: the names are
 * drawn from common surnames and given names, the phones carry the 154 prefix no carrier has, the
 * ID numbers are well-formed but invented.
 *
 * Everything goes through the registry's own functions (checks, sealing, blind indexes), one
 * transaction per household; a store that already holds persons in the county is left as it is. */
#ifndef WG_DOMAIN_REGISTRY_SAMPLE_H
#define WG_DOMAIN_REGISTRY_SAMPLE_H

#include <stdint.h>

#include "core/err.h"
#include "domain/accounts/pii.h"
#include "domain/map/locate.h"
#include "store/store.h"

struct wg_sample_opts {
    const char *county; /* its base grids are filled */
    long persons;       /* about this many in all */
    uint64_t seed;
    long long now;
    /* in grids under worker_scope: the worker's visits, and, when the account exists, the
     * households paired with it (联系户) and its place on the team; NULL: none */
    const char *worker, *worker_scope;
};
struct wg_sample_report {
    long grids, buildings, houses, households, persons, teams, party_orgs, visits;
};

enum wg_rc wg_registry_sample(struct wg_db *db, const struct wg_pii_keys *keys,
                              const struct wg_locator *loc, const struct wg_sample_opts *o,
                              struct wg_sample_report *rep, struct wg_err *err);

/* ---- the grid team (sample_team.c) ---- */
/* A grown-up of the grid who may serve on its team: a registry person. */
struct wg_sample_candidate {
    long long id;
    char name[32];
};
/* Puts grid's team: the head, a full-time grid worker (the account worker, when given), a
 * building head for building (when not ""), the community police, a mediator and a
 * volunteer, with public work phones of the 154 prefix, the duties and the police station
 * of town. The first candidates serve as head, worker and building head. */
struct wg_sample_team {
    const char *grid, *town, *building, *worker;
    const struct wg_sample_candidate *c;
    size_t n;
    int worker_exists; /* set by wg_sample_team */
};
enum wg_rc wg_sample_team(struct wg_db *db, uint64_t *s, const struct wg_sample_team *t,
                          long long now, struct wg_err *err);

/* ---- the party overlay (sample_party.c) ---- */
/* A grid's branch with its members, and a central household among those whose head is a
 * member, under the village's committee (*committee: made when 0, kept by the caller). */
#define WG_SAMPLE_PARTY_MAX 12
struct wg_sample_party {
    const char *grid, *grid_name, *village, *place;
    long long *committee;
    long long members[WG_SAMPLE_PARTY_MAX];
    size_t nmembers;
    long long centres[2], centre_heads[2]; /* households whose head is a member, the head */
    size_t ncentres;
    long long households[8]; /* some of the grid's households, to be served */
    size_t nhouseholds;
};
enum wg_rc wg_sample_party(struct wg_db *db, struct wg_sample_party *p, long long now,
                           struct wg_err *err);

/* ---- visits (sample_visits.c) ---- */
/* worker's visits to most of persons (of grid), over the last months: *made counts them. */
enum wg_rc wg_sample_visits(struct wg_db *db, const struct wg_pii_keys *keys, uint64_t *s,
                            const char *grid, const char *worker, const long long *persons,
                            size_t n, long long now, long *made, struct wg_err *err);

/* ---- one person (sample_people.c) ---- */
struct wg_person;
/* The kind of person a household slot asks for. */
struct wg_sample_who {
    int age_min, age_max;
    int male; /* 1 male, 0 female, -1 either */
    int rural, floating, household_size, all_elderly;
};
/* Fills p (zeroed by the caller; its clear fields owned) with a person of that kind: name,
 * resident ID (or passport for the few from abroad), gender and birth date read from it,
 * phone, residence, political status, care groups and special populations. */
void wg_sample_person(uint64_t *s, const struct wg_sample_who *w, long long now,
                      struct wg_person *p);
/* A name as the generation born in `born` gives them. */
void wg_sample_name(uint64_t *s, int born, int male, char *out, size_t n);

#endif
