/* Fuzz target: the outside geocoder's answer (天地图's JSON, read by domain/map/geocoder.c):
 * whatever comes back, a point inside China's box or an error, never a crash. The input is
 * not NUL-terminated, so it is copied into one that is, as the HTTP client keeps answers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/map/geocoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_geocoded g;
    struct wg_err err = {0};
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (wg_geocoder_read(text, &g, &err) == WG_OK &&
        (g.lon < 73 || g.lon > 136 || g.lat < 3 || g.lat > 54 || g.score > 2147483647))
        __builtin_trap();
    free(text);
    return 0;
}
