/* The rules of early warning (warning.h): the shipped defaults, a body merged onto them key
 * by key with every value checked against its range, and the rules kept in the store under
 * a version so that every server follows the same. */
#include "domain/alerts/warning.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "store/alerts/warning_q.h"

static const char *const kinds[] = {"cluster", "recurrence", "surge", "caller", "keyword"};
static const char *const levels[] = {"blue", "yellow", "red"};

const char *wg_warn_kind_name(enum wg_warn_kind k)
{
    return (unsigned)k < WG_WARN_KINDS ? kinds[k] : "";
}

const char *wg_warn_level_name(enum wg_warn_level l)
{
    return (unsigned)l <= WG_WARN_RED ? levels[l] : "";
}

int wg_warn_level_of(const char *name)
{
    for (int i = 0; name && i < 3; i++)
        if (!strcmp(name, levels[i]))
            return i;
    return -1;
}

static const char *const default_words[] = {"讨薪", "欠薪", "集体", "聚集", "上访",
                                            "堵路", "跳楼", "自杀", "群体", "拉横幅"};

void wg_warn_rules_defaults(struct wg_warn_rules *r)
{
    memset(r, 0, sizeof *r);
    for (int k = 0; k < WG_WARN_KINDS; k++)
        r->on[k] = 1;
    r->cluster_min = 5, r->cluster_radius_m = 300, r->cluster_hours = 24;
    r->recur_hit = 3, r->recur_weeks = 4, r->recur_per_week = 2;
    r->surge_p = 0.001, r->surge_days = 28, r->surge_min = 5;
    r->caller_min = 3, r->caller_days = 30;
    r->nwords = (int)(sizeof default_words / sizeof default_words[0]);
    for (int i = 0; i < r->nwords; i++)
        snprintf(r->words[i], WG_WARN_WORD_BYTES, "%s", default_words[i]);
}

/* One whole-number setting of a section. */
struct num {
    const char *name;
    int *at;
    int lo, hi;
};

static enum wg_rc read_num(const char *sec, const json_t *v, const struct num *n,
                           struct wg_err *err)
{
    if (!json_is_integer(v) || json_integer_value(v) < n->lo || json_integer_value(v) > n->hi)
        return wg_err_set(err, WG_EINVAL, "'%s.%s' must be a whole number from %d to %d", sec,
                          n->name, n->lo, n->hi);
    *n->at = (int)json_integer_value(v);
    return WG_OK;
}

static enum wg_rc read_words(const json_t *v, struct wg_warn_rules *r, struct wg_err *err)
{
    size_t i;
    json_t *w;
    if (!json_is_array(v) || json_array_size(v) > WG_WARN_WORDS_MAX)
        return wg_err_set(err, WG_EINVAL, "'keyword.words' must be an array of at most %d words",
                          WG_WARN_WORDS_MAX);
    json_array_foreach(v, i, w)
    {
        const char *s = json_string_value(w);
        size_t chars = s ? wg_utf8_chars(s) : 0;
        if (!s || !*s || chars > 16 || strlen(s) >= WG_WARN_WORD_BYTES || !wg_utf8_valid(s) ||
            strpbrk(s, "\"\\\t\r\n"))
            return wg_err_set(err, WG_EINVAL,
                              "'keyword.words[%zu]' must be a word of 1 to 16 characters without "
                              "quotes, backslashes or control characters",
                              i);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(r->words[j], s))
                return wg_err_set(err, WG_EINVAL, "'keyword.words[%zu]' (%s) is given twice", i, s);
        snprintf(r->words[i], WG_WARN_WORD_BYTES, "%s", s);
    }
    r->nwords = (int)json_array_size(v);
    return WG_OK;
}

static enum wg_rc read_section(int k, const json_t *sec, struct wg_warn_rules *r,
                               struct wg_err *err)
{
    const char *name = kinds[k], *key;
    json_t *v;
    struct num nums[5];
    int nn = 0;
    switch (k) {
    case WG_WARN_CLUSTER:
        nums[nn++] = (struct num){"min_orders", &r->cluster_min, 2, 1000};
        nums[nn++] = (struct num){"radius_m", &r->cluster_radius_m, 10, 5000};
        nums[nn++] = (struct num){"hours", &r->cluster_hours, 1, 168};
        break;
    case WG_WARN_RECUR:
        nums[nn++] = (struct num){"weeks", &r->recur_weeks, 1, 12};
        nums[nn++] = (struct num){"weeks_hit", &r->recur_hit, 1, 12};
        nums[nn++] = (struct num){"per_week", &r->recur_per_week, 1, 1000};
        break;
    case WG_WARN_SURGE:
        nums[nn++] = (struct num){"baseline_days", &r->surge_days, 7, 56};
        nums[nn++] = (struct num){"min_orders", &r->surge_min, 2, 10000};
        break;
    case WG_WARN_CALLER:
        nums[nn++] = (struct num){"min_orders", &r->caller_min, 2, 8};
        nums[nn++] = (struct num){"days", &r->caller_days, 1, 365};
        break;
    default:
        break;
    }
    if (!json_is_object(sec))
        return wg_err_set(err, WG_EINVAL, "'%s' must be an object of its settings", name);
    json_object_foreach((json_t *)sec, key, v)
    {
        enum wg_rc rc = WG_OK;
        int known = 0;
        if (!strcmp(key, "enabled")) {
            if (!json_is_boolean(v))
                return wg_err_set(err, WG_EINVAL, "'%s.enabled' must be true or false", name);
            r->on[k] = json_is_true(v);
            continue;
        }
        for (int i = 0; i < nn && !known; i++)
            if (!strcmp(key, nums[i].name)) {
                known = 1;
                rc = read_num(name, v, &nums[i], err);
            }
        if (!known && k == WG_WARN_SURGE && !strcmp(key, "p")) {
            double p = json_number_value(v);
            known = 1;
            if (!json_is_number(v) || !(p > 0) || p > 0.05)
                return wg_err_set(err, WG_EINVAL,
                                  "'surge.p' must be a probability above 0 and at most 0.05");
            r->surge_p = p;
        }
        if (!known && k == WG_WARN_WORDS && !strcmp(key, "words")) {
            known = 1;
            rc = read_words(v, r, err);
        }
        if (!known)
            return wg_err_set(err, WG_EINVAL, "'%s.%.40s' is not a setting of %s", name, key, name);
        if (rc)
            return rc;
    }
    return WG_OK;
}

enum wg_rc wg_warn_rules_read(const json_t *body, struct wg_warn_rules *r, struct wg_err *err)
{
    struct wg_warn_rules next = *r;
    const char *key;
    json_t *v;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the warning rules must be a JSON object");
    json_object_foreach((json_t *)body, key, v)
    {
        int k = -1;
        for (int i = 0; i < WG_WARN_KINDS && k < 0; i++)
            if (!strcmp(key, kinds[i]))
                k = i;
        if (k < 0)
            return wg_err_set(err, WG_EINVAL,
                              "'%.40s' is not a detector: cluster, recurrence, surge, caller, "
                              "keyword",
                              key);
        enum wg_rc rc = read_section(k, v, &next, err);
        if (rc)
            return rc;
    }
    if (next.recur_hit > next.recur_weeks)
        return wg_err_set(err, WG_EINVAL,
                          "'recurrence.weeks_hit' (%d) must be at most 'recurrence.weeks' (%d)",
                          next.recur_hit, next.recur_weeks);
    *r = next;
    return WG_OK;
}

json_t *wg_warn_rules_json(const struct wg_warn_rules *r)
{
    json_t *words = json_array();
    for (int i = 0; i < r->nwords; i++)
        json_array_append_new(words, json_string(r->words[i]));
    return json_pack("{s:{s:b,s:i,s:i,s:i},s:{s:b,s:i,s:i,s:i},s:{s:b,s:f,s:i,s:i},s:{s:b,s:i,s:i},"
                     "s:{s:b,s:o}}",
                     "cluster", "enabled", r->on[WG_WARN_CLUSTER], "min_orders", r->cluster_min,
                     "radius_m", r->cluster_radius_m, "hours", r->cluster_hours, "recurrence",
                     "enabled", r->on[WG_WARN_RECUR], "weeks_hit", r->recur_hit, "weeks",
                     r->recur_weeks, "per_week", r->recur_per_week, "surge", "enabled",
                     r->on[WG_WARN_SURGE], "p", r->surge_p, "baseline_days", r->surge_days,
                     "min_orders", r->surge_min, "caller", "enabled", r->on[WG_WARN_CALLER],
                     "min_orders", r->caller_min, "days", r->caller_days, "keyword", "enabled",
                     r->on[WG_WARN_WORDS], "words", words);
}

enum wg_rc wg_warn_rules_load(struct wg_db *db, struct wg_warn_rules *r, long long *version,
                              struct wg_err *err)
{
    char *text = NULL;
    enum wg_rc rc = wg_store_warn_rules_get(db, &text, version, err);
    wg_warn_rules_defaults(r);
    if (rc || !text)
        return rc;
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    free(text);
    if (!j)
        return wg_err_set(err, WG_EDB, "the stored warning rules are not JSON: %s", je.text);
    rc = wg_warn_rules_read(j, r, err);
    json_decref(j);
    if (rc)
        wg_err_prefix(err, "the stored warning rules");
    return rc;
}

enum wg_rc wg_warn_rules_save(struct wg_db *db, const json_t *body, const char *who, long long now,
                              json_t **out, struct wg_err *err)
{
    struct wg_warn_rules r;
    long long version = 0;
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_db_begin(db, err)))
        return rc;
    if ((rc = wg_warn_rules_load(db, &r, &version, err)) ||
        (rc = wg_warn_rules_read(body, &r, err)))
        goto out;
    json_t *j = wg_warn_rules_json(&r);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    rc = wg_store_warn_rules_put(db, text, who, now, err);
    free(text);
    if (!rc && !(rc = wg_warn_rules_load(db, &r, &version, err)))
        rc = wg_db_commit(db, err);
out:
    if (rc) {
        wg_db_rollback(db);
        return rc;
    }
    *out = json_pack("{s:o,s:I}", "rules", wg_warn_rules_json(&r), "version", (json_int_t)version);
    return WG_OK;
}
