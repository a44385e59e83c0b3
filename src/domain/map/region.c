/* Region codes: level and parent from the code alone. */
#include "domain/map/region.h"

static const struct {
    const char *name;
    size_t len;
} levels[] = {
    [WG_LEVEL_PROVINCE] = {"province", WG_CODE_LEN_PROVINCE},
    [WG_LEVEL_CITY] = {"city", WG_CODE_LEN_CITY},
    [WG_LEVEL_COUNTY] = {"county", WG_CODE_LEN_COUNTY},
    [WG_LEVEL_TOWN] = {"town", WG_CODE_LEN_TOWN},
    [WG_LEVEL_VILLAGE] = {"village", WG_CODE_LEN_VILLAGE},
    [WG_LEVEL_GRID] = {"grid", WG_CODE_LEN_GRID},
    [WG_LEVEL_MICRO] = {"micro", WG_CODE_LEN_MICRO},
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
    enum wg_level lvl = wg_level_of_len(len);
    if (lvl != WG_LEVEL_NONE)
        return lvl;
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

enum wg_level wg_level_of_len(size_t len)
{
    for (int i = WG_LEVEL_PROVINCE; i <= WG_LEVEL_MICRO; i++)
        if (levels[i].len == len)
            return (enum wg_level)i;
    return WG_LEVEL_NONE;
}

size_t wg_level_child_len(size_t len)
{
    enum wg_level lvl = len ? wg_level_of_len(len) : WG_LEVEL_NONE;
    if (!len)
        return levels[WG_LEVEL_PROVINCE].len;
    return lvl == WG_LEVEL_NONE || lvl == WG_LEVEL_MICRO ? 0 : levels[lvl + 1].len;
}

size_t wg_level_floor_len(size_t len, enum wg_level lvl)
{
    size_t best = 0;
    for (int i = WG_LEVEL_PROVINCE; i <= WG_LEVEL_MICRO && i <= (int)lvl; i++)
        if (levels[i].len <= len)
            best = levels[i].len;
    return best;
}

int wg_region_prefix(const char *code, enum wg_level lvl, char *out, size_t n)
{
    size_t len = wg_level_code_len(lvl);
    if (n)
        out[0] = '\0';
    if (!len || strlen(code) < len || len + 1 > n)
        return 0;
    memcpy(out, code, len);
    out[len] = '\0';
    return 1;
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
