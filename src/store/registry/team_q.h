/* The registry's grid teams (domain/registry/team.h): a grid's team row and its members.
 * Typed functions of the store (store/store.h) for this context; only src/store/ speaks SQL. */
#ifndef WG_STORE_TEAM_Q_H
#define WG_STORE_TEAM_Q_H

#include "store/store.h"

#define WG_TEAM_DUTIES_MAX  16384 /* bytes of the duties' JSON text */
#define WG_TEAM_STATION_MAX 2048  /* bytes of the police station's */

struct wg_team_member_row {
    int pos;
    char role[16];
    char name[84];     /* 20 characters */
    char username[64]; /* "" for none */
    long long person;  /* 0 for none */
    char home_unit[164];
    char building[33]; /* a building's code, "" for none */
    char unit[36];
    char since[11], until[11]; /* YYYY-MM-DD or "" */
    char work_phone[44];
    char duty[244];
};

struct wg_team_row {
    long long version; /* 0: the grid has no team stored */
    char duties[WG_TEAM_DUTIES_MAX];
    char station[WG_TEAM_STATION_MAX];
    long long updated_at;
    char updated_by[64];
};

/* The team row of grid into *out; version 0 and "" texts when there is none. */
enum wg_rc wg_store_team_get(struct wg_db *db, const char *grid, struct wg_team_row *out,
                             struct wg_err *err);
/* The members of grid in their order. */
enum wg_rc wg_store_team_members(struct wg_db *db, const char *grid,
                                 int (*cb)(const struct wg_team_member_row *, void *), void *ctx,
                                 struct wg_err *err);
/* Replaces grid's team with t and its n members if its stored version is still expect (0: no
 * team stored yet), else WG_EPRECOND; t->version becomes the new one. Runs inside the
 * caller's transaction, so the team changes whole or not at all. */
enum wg_rc wg_store_team_replace(struct wg_db *db, const char *grid, long long expect,
                                 struct wg_team_row *t, const struct wg_team_member_row *m,
                                 size_t n, struct wg_err *err);

#endif
