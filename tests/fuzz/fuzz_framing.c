/* Fuzz target: the checks of a request line's URL (its length, its query's fields) made
 * before the HTTP engine parses the query: any text gets 0, 400 or 414, and 414 whenever
 * it is over WG_URL_MAX. */
#include <stddef.h>
#include <stdint.h>

#include "core/alloc.h"
#include "http/route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *uri = wg_malloc(size + 1);
    int refusal;
    memcpy(uri, data, size);
    uri[size] = '\0';
    refusal = wg_uri_refusal(uri);
    if (refusal != 0 && refusal != 400 && refusal != 414)
        __builtin_trap();
    if (strlen(uri) > WG_URL_MAX && refusal != 414)
        __builtin_trap();
    free(uri);
    return 0;
}
