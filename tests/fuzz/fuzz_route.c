/* Fuzz target: request path matching against the real route table. */
#include <stddef.h>
#include <stdint.h>

#include "api/app.h"
#include "http/route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[2048];
    struct wg_req req = {0};
    int pm;
    if (size >= sizeof path)
        return 0;
    memcpy(path, data, size);
    path[size] = '\0';
    req.arena = wg_arena_new();
    wg_route_match(wg_routes, wg_nroutes, "GET", path, &req, &pm);
    wg_route_match(wg_routes, wg_nroutes, "POST", path, &req, &pm);
    wg_arena_free(req.arena);
    return 0;
}
