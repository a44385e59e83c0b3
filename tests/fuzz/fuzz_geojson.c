/* Fuzz target: GeoJSON geometry parsing into shapes, then the point-in-polygon test and the
 * round trip back to GeoJSON (grid files come from outside). */
#include <stddef.h>
#include <stdint.h>

#include "geo/shape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t je;
    json_t *j = json_loadb((const char *)data, size, 0, &je);
    struct wg_shape s;
    struct wg_err err = {0};
    if (!j)
        return 0;
    wg_shape_init(&s);
    if (wg_shape_from_geojson(j, &s, &err) == WG_OK) {
        json_t *back = wg_shape_to_geojson(&s);
        (void)wg_shape_contains(&s, (s.minx + s.maxx) / 2, (s.miny + s.maxy) / 2);
        (void)wg_shape_area_m2(&s);
        json_decref(back);
    }
    wg_shape_release(&s);
    json_decref(j);
    return 0;
}
