/* Grids (SPEC §2): the smallest units of responsibility. A grid has a 15-character code
 * (its village's 12-digit code + 3 digits; micro-grids 18), a name, a kind (base,
 * exclusive, micro; exclusive grids carry a subtype such as school or hospital), a boundary
 * (Polygon or MultiPolygon, stored in CGCS2000/WGS84 with the CRS it arrived in), area,
 * households and population, and a validity period: grids are adjusted over time, and
 * re-importing a changed grid closes its old version (valid_to) and keeps it.
 *
 * Invariants an import enforces (an import succeeds whole or changes nothing):
 *   - every ring is valid and closed, coordinates in range (GEOS validity);
 *   - the code's first 12 characters name an existing village; the kind is known;
 *   - no code appears twice in one import;
 *   - no two base grids of one village overlap by more than 1 m²;
 *   - a base grid lies inside its village's boundary when that boundary is known.
 * Gaps (parts of a village no base grid covers) are reported as warnings. */
#ifndef WG_DOMAIN_GRID_H
#define WG_DOMAIN_GRID_H

#include <stddef.h>

#include <jansson.h>

#include "core/err.h"
#include "store/store.h"

#define WG_GRID_TOLERANCE_M2 1.0

struct wg_import_issue {
    size_t index;   /* 0-based feature index in the file */
    char code[32];  /* the feature's code as given ("" when missing) */
    int warning;    /* 1: reported but does not fail the import */
    double area_m2; /* the area concerned, when there is one; else -1 */
    char reason[400];
};

struct wg_import_report {
    size_t features, added, changed, unchanged;
    size_t nerrors, nwarnings;
    size_t nissues, cap;
    struct wg_import_issue *issues;
};

struct wg_import_opts {
    /* called now and then with how many features are done of how many, and the phase */
    void (*progress)(const char *phase, size_t done, size_t total, void *ctx);
    void *progress_ctx;
    /* when set, every feature's code must lie under this region or grid code */
    const char *scope;
};

/* Imports grids from GeoJSON text: a FeatureCollection, or one Feature per line. Fills rep
 * (release with wg_import_report_release). Returns WG_EINVAL when any feature or the set
 * fails a check — nothing is stored then, and rep names each problem — or another code for
 * a store failure. */
enum wg_rc wg_grid_import(struct wg_db *db, const char *text, size_t len,
                          const struct wg_import_opts *opts, struct wg_import_report *rep,
                          struct wg_err *err);
void wg_import_report_release(struct wg_import_report *rep);
json_t *wg_import_report_json(const struct wg_import_report *rep);

/* The current grids under a region (or one grid) as a GeoJSON FeatureCollection, written
 * into a malloc'd string (*out, owned by the caller). WG_ENOTFOUND when the code is neither
 * a known region nor a grid. */
enum wg_rc wg_grid_export(struct wg_db *db, const char *code, char **out, size_t *len,
                          struct wg_err *err);

#endif
