/* The indicators' in-memory roll-ups: a server's copy of the counter cells (domain/stats/stats.h)
 * summed the ways the dashboard asks, so that a district's year, a town's daily series or
 * the counts of every county × item are a few hundred to a few hundred thousand additions.
 *
 * The store stays the truth. A cube is built from the roll-up rows of stat_roll and their
 * position in stat_log, read in one transaction (a few million rows for a province's year,
 * where the cells are tens of millions); wg_stats_cube_refresh then applies the log rows
 * after that position (written by this server or any other sharing the store), so a refresh
 * before each answer sees every committed change. A cube that has fallen behind the pruned
 * log is built again.
 *
 * What it keeps, each per CST day, per calendar month and per year (a period's whole years
 * and months are read from those sums, its other days from the day sums; a county's items,
 * units and channels keep theirs side by side):
 *   R   region nodes — the whole deployment (""), provinces, cities, counties and towns;
 *   RI  county × catalog item;  RU  county × unit;  RC  county × channel.
 * Villages and grids, and filters it does not cover (a unit's items, say), are answered
 * from the store's cells instead (domain/stats/stats_query.c decides). */
#ifndef WG_DOMAIN_STATS_CUBE_H
#define WG_DOMAIN_STATS_CUBE_H

#include "domain/stats/stats.h"
#include "store/stats/stats_q.h"

enum wg_cube_view { WG_CUBE_R, WG_CUBE_RI, WG_CUBE_RU, WG_CUBE_RC, WG_CUBE_NVIEWS };

struct wg_stats_cube;

struct wg_stats_cube *wg_stats_cube_new(void);
void wg_stats_cube_free(struct wg_stats_cube *c); /* NULL: no-op */

/* Catches up with the store: builds the cube the first time (or when it fell behind the
 * pruned log), else applies the log rows after its position. Safe to call from several
 * threads; readers see either the state before or after a batch of log rows. */
enum wg_rc wg_stats_cube_refresh(struct wg_stats_cube *c, struct wg_db *db, struct wg_err *err);
size_t wg_stats_cube_entries(struct wg_stats_cube *c);
size_t wg_stats_cube_bytes(struct wg_stats_cube *c);

/* Reading: between rdlock and unlock the cube does not change. */
void wg_stats_cube_rdlock(struct wg_stats_cube *c);
void wg_stats_cube_unlock(struct wg_stats_cube *c);

/* A region node's id (codes of 0, 2, 4, 6 or 9 digits), or -1 when the cube has none. */
int wg_stats_cube_node(struct wg_stats_cube *c, const char *code);
const char *wg_stats_cube_node_code(struct wg_stats_cube *c, int node);
/* The node's children's ids in code order: calls cb for each. */
void wg_stats_cube_children(struct wg_stats_cube *c, int node, void (*cb)(int child, void *),
                            void *ctx);
/* The dimension values (items, units or channels) a county node has in view v: cb gets the
 * key to pass to wg_stats_cube_sum and the value. */
void wg_stats_cube_dims(struct wg_stats_cube *c, enum wg_cube_view v, int county,
                        void (*cb)(int key, const char *value, void *), void *ctx);
/* The first and last day any cell has (min > max when the cube is empty). */
void wg_stats_cube_span(struct wg_stats_cube *c, int *min_day, int *max_day);
/* The R key of a node (-1 when none). */
int wg_stats_cube_region_key(struct wg_stats_cube *c, int node);
/* Adds key's counters over days [from, to] to out. */
void wg_stats_cube_sum(struct wg_stats_cube *c, int key, int from, int to,
                       long long out[WG_SC_COUNT]);

#endif
