/* Fuzz target: the table reader's CSV (registry imports come from outside): quoting, BOMs,
 * GB18030 conversion and the limits, under small limits so the fuzzer reaches them. */
#include <stddef.h>
#include <stdint.h>

#include "core/table.h"

static enum wg_rc on_row(const struct wg_table_row *r, void *ctx, struct wg_err *err)
{
    (void)err;
    for (size_t i = 0; i < r->ncells; i++)
        *(size_t *)ctx += strlen(r->cell[i]);
    return WG_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_table_limits lim = {1u << 20, 500, 16, 256, 1u << 20, 50};
    struct wg_err err = {0};
    size_t total = 0;
    wg_table_read((const char *)data, size, WG_TABLE_CSV, &lim, on_row, &total, &err);
    return 0;
}
