/* Grid generation for the demo district and the benchmarks. A real deployment imports its
 * surveyed grids; these are demo and benchmark data only.
 *
 * A county is tessellated into its towns, each town into its villages, each village into
 * base grids (hierarchical Voronoi cells clipped to the parent), so every level has a
 * boundary. A town's share of base grids is in proportion to its number of villages; every
 * village gets at least one. Then exclusive grids (schools, hospitals, markets, parks,
 * enterprises) are placed inside base grids. Codes follow SPEC §2: base grids are the
 * village code + 001.., numbered west→east, north→south; exclusive grids from 901. Output is
 * deterministic for a seed. */
#ifndef WG_DOMAIN_GRIDGEN_H
#define WG_DOMAIN_GRIDGEN_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "geo/shape.h"

struct wg_gen_village {
    char code[13]; /* 12 digits */
    char name[96];
};

struct wg_gen_town {
    char code[10]; /* 9 digits */
    char name[96];
    size_t nvillages;
    const struct wg_gen_village *villages;
};

struct wg_gen_input {
    char county[7];
    const struct wg_shape *boundary; /* the county polygon */
    size_t ntowns;
    const struct wg_gen_town *towns;
    size_t base_total;      /* base grids to make in the county (>= number of villages) */
    size_t exclusive_total; /* exclusive grids to place */
    uint64_t seed;
};

struct wg_gen_area { /* a generated town or village boundary */
    char code[13];
    struct wg_shape shape;
};

enum wg_grid_kind { WG_GRID_BASE, WG_GRID_EXCLUSIVE, WG_GRID_MICRO };

struct wg_gen_grid {
    char code[16];  /* 15 characters */
    char name[128]; /* e.g. "西关社区第3网格", "西关社区专属网格(学校)" */
    enum wg_grid_kind kind;
    char subtype[16]; /* exclusive: school, hospital, market, park, enterprise; base: "" */
    int households;
    int population;
    struct wg_shape shape;
};

struct wg_gen_output {
    size_t ntowns, nvillages, ngrids;
    struct wg_gen_area *towns;
    struct wg_gen_area *villages;
    struct wg_gen_grid *grids; /* base grids first, then exclusive */
};

/* How many base grids each town and each village gets, without any geometry: towns in
 * proportion to their number of villages (largest remainder, so the total is exact, ties
 * to the earlier town), then each town's count shared evenly among its villages with the
 * remainder going to its first villages. town_base has ntowns entries, village_base one per
 * village, town by town in input order. */
enum wg_rc wg_gridgen_split(const struct wg_gen_input *in, size_t *town_base, size_t *village_base,
                            struct wg_err *err);

/* How many exclusive grids each village hosts (at most 99, codes 901..999): in proportion
 * to its base grids, three times as many in a street (街道, town sequence 001-099), ties
 * broken by the seed. village_base as from wg_gridgen_split. */
void wg_gridgen_exclusive_split(const struct wg_gen_input *in, const size_t *village_base,
                                size_t *village_exclusive);

enum wg_rc wg_gridgen_county(const struct wg_gen_input *in, struct wg_gen_output *out,
                             struct wg_err *err);
void wg_gridgen_output_release(struct wg_gen_output *out);

#endif
