/* Fuzz target: the rules of early warning (PUT /api/v1/warning-rules), as an administrator
 * sends them. What wg_warn_rules_read accepts must be rules every detector can run with —
 * each setting in its range, the words valid and each once — and must read back the same
 * from their own JSON; an engine made with them is fed a few orders placed and timed by the
 * input's bytes without fault. What it refuses leaves the rules as they were and says why. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/alerts/warn_detect.h"
#include "domain/alerts/warning.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void feed(const struct wg_warn_rules *r, const uint8_t *data, size_t size)
{
    struct wg_warn_engine *e = wg_warn_engine_new(r);
    static const char *const items[] = {"06028", "06001", ""};
    static const char *const grids[] = {"371302001001001", "371302001002001", ""};
    for (size_t i = 0; i < size && i < 64; i++) {
        struct wg_warn_order o = {0};
        const struct wg_warn_hit *h;
        o.id = (long long)i + 1;
        o.at = 1796000000LL + (long long)data[i] * 3600 * (i % 7);
        o.has_point = data[i] & 1;
        o.lon = 118.3 + data[i] * 1e-4;
        o.lat = 35.0 + data[size - 1 - i] * 1e-4;
        o.item = items[data[i] % 3];
        o.grid = grids[(data[i] >> 2) % 3];
        o.county = "371302";
        o.phone_blind = data[i] & 2 ? "0123456789abcdef0123456789abcdef" : "";
        o.title = data[i] & 4 ? "拖欠工资讨薪" : "路灯不亮";
        o.content = "";
        int n = wg_warn_engine_feed(e, &o, &h);
        assert(n >= 0 && n <= WG_WARN_KINDS);
        for (int k = 0; k < n; k++)
            assert(h[k].nids >= 1 && h[k].nids <= WG_WARN_HIT_IDS && h[k].trigger == o.id);
    }
    wg_warn_engine_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_err err = {0};
    struct wg_warn_rules r, before;
    json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!in)
        return 0;
    wg_warn_rules_defaults(&r);
    before = r;
    if (wg_warn_rules_read(in, &r, &err) == WG_OK) {
        assert(r.cluster_min >= 2 && r.cluster_radius_m >= 10 && r.cluster_hours >= 1);
        assert(r.recur_hit >= 1 && r.recur_hit <= r.recur_weeks && r.recur_weeks <= 12);
        assert(r.surge_p > 0 && r.surge_p <= 0.05 && r.surge_days >= 7 && r.surge_days <= 56);
        assert(r.caller_min >= 2 && r.caller_min <= 8 && r.caller_days >= 1);
        assert(r.nwords >= 0 && r.nwords <= WG_WARN_WORDS_MAX);
        for (int i = 0; i < r.nwords; i++) {
            assert(r.words[i][0] && !strpbrk(r.words[i], "\"\\"));
            for (int j = 0; j < i; j++)
                assert(strcmp(r.words[i], r.words[j]));
        }
        json_t *j = wg_warn_rules_json(&r);
        struct wg_warn_rules back;
        wg_warn_rules_defaults(&back);
        assert(wg_warn_rules_read(j, &back, &err) == WG_OK);
        json_t *k = wg_warn_rules_json(&back);
        char *a = json_dumps(j, JSON_SORT_KEYS), *b = json_dumps(k, JSON_SORT_KEYS);
        assert(a && b && !strcmp(a, b));
        free(a);
        free(b);
        json_decref(j);
        json_decref(k);
        feed(&r, data, size);
    } else {
        assert(err.rc == WG_EINVAL && err.msg[0]);
        assert(!memcmp(&r, &before, sizeof r));
    }
    json_decref(in);
    return 0;
}
