/* Region codes: level and parent from the code alone. */
#include "domain/map/region.h"

static const struct {
    const char *name;
    size_t len;
} levels[] = {
    [WG_LEVEL_PROVINCE] = {"province", 2}, [WG_LEVEL_CITY] = {"city", 4},
    [WG_LEVEL_COUNTY] = {"county", 6},     [WG_LEVEL_TOWN] = {"town", 9},
    [WG_LEVEL_VILLAGE] = {"village", 12},  [WG_LEVEL_GRID] = {"grid", 15},
    [WG_LEVEL_MICRO] = {"micro", 18},
};

enum wg_level wg_region_level(const char *code, struct wg_err *err)
{
    size_t len = 0;
    if (!code || !*code) {
        wg_err_set(err, WG_EINVAL, "region code is empty");
        return WG_LEVEL_NONE;
    }
    for (const char *p = code; *p; p++, len++)
        if (*p < '0' || *p > '9') {
            wg_err_set(err, WG_EINVAL, "region code '%.32s' has a non-digit at position %zu", code,
                       len + 1);
            return WG_LEVEL_NONE;
        }
    for (int i = WG_LEVEL_PROVINCE; i <= WG_LEVEL_MICRO; i++)
        if (levels[i].len == len)
            return (enum wg_level)i;
    wg_err_set(err, WG_EINVAL,
               "region code '%.32s' has %zu digits; a code has 2 (province), 4 (city), "
               "6 (county), 9 (town), 12 (village), 15 (grid) or 18 (micro-grid)",
               code, len);
    return WG_LEVEL_NONE;
}

const char *wg_level_name(enum wg_level lvl)
{
    return lvl >= WG_LEVEL_PROVINCE && lvl <= WG_LEVEL_MICRO ? levels[lvl].name : "unknown";
}

size_t wg_level_code_len(enum wg_level lvl)
{
    return lvl >= WG_LEVEL_PROVINCE && lvl <= WG_LEVEL_MICRO ? levels[lvl].len : 0;
}

int wg_region_parent(const char *code, char *out, size_t n)
{
    enum wg_level lvl = wg_region_level(code, NULL);
    size_t plen;
    if (lvl <= WG_LEVEL_PROVINCE)
        return 0;
    plen = levels[lvl - 1].len;
    if (plen + 1 > n)
        return 0;
    memcpy(out, code, plen);
    out[plen] = '\0';
    return 1;
}
