/* Fuzz target: a CSV of devices (POST /api/v1/devices/import) as an administrator sends it,
 * checked without a store or a map: every row refused must be named by a line below the
 * header and a column of the import's, and nothing may count as created, updated or kept
 * (no row can be located without the map, so the import is all or none: none). */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "domain/alerts/device.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const columns[] = {"id", "kind", "name", "lon", "lat", "unit", "address"};
    struct wg_err err = {0};
    json_t *report = NULL;
    enum wg_rc rc = wg_device_import(NULL, NULL, (const char *)data, size, 0, &report, &err);
    assert(rc != WG_OK);
    assert(report);
    assert(json_integer_value(json_object_get(report, "created")) == 0);
    assert(json_integer_value(json_object_get(report, "updated")) == 0);
    assert(json_integer_value(json_object_get(report, "unchanged")) == 0);
    json_t *errors = json_object_get(report, "errors");
    for (size_t i = 0; i < json_array_size(errors); i++) {
        json_t *e = json_array_get(errors, i);
        const char *col = json_string_value(json_object_get(e, "column"));
        int known = 0;
        for (size_t k = 0; col && k < sizeof columns / sizeof columns[0]; k++)
            known |= !strcmp(col, columns[k]);
        assert(known && json_integer_value(json_object_get(e, "line")) >= 2);
    }
    json_decref(report);
    return 0;
}
