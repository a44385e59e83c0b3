/* Assessment schemes (assess.h): the built-in templates of each kind (50 网格运行 + 30 履职 +
 * 20 作风, bonus capped at 10), the whole-scheme check naming the field at fault, and the
 * versions kept in the store. */
#include "domain/assess/assess.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/jfield.h"
#include "core/utf8.h"

const char *const wg_assess_kinds[] = {"grid", "worker", "unit", "town", NULL};
const char *const wg_assess_scheme_fields[] = {"version",   "name",    "groups",         "bonus",
                                               "bonus_cap", "classes", "b_share_target", NULL};
static const char *const methods[] = {"computed", "self", "reviewer", NULL};
static const char *const group_fields[] = {"code", "name", "score", "items", NULL};
static const char *const item_fields[] = {"code",   "name",    "score", "method",
                                          "metric", "formula", NULL};

#define RATE(t)  "\"method\":\"computed\",\"formula\":{\"type\":\"rate\",\"target\":" #t "}"
#define COUNT(p) "\"method\":\"computed\",\"formula\":{\"type\":\"count\",\"per\":" #p "}"
#define BONUS                                                                                            \
    "\"bonus_cap\":10,\"bonus\":[{\"code\":\"B1\",\"name\":\"经验做法被上级推广\",\"score\":5," \
    "\"method\":\"reviewer\"},{\"code\":\"B2\",\"name\":\"获得市级以上表彰\",\"score\":5,"       \
    "\"method\":\"reviewer\"},{\"code\":\"B3\",\"name\":\"见义勇为或典型事迹\",\"score\":5,"    \
    "\"method\":\"self\"}]"
#define CLASSES "\"classes\":{\"A\":90,\"B\":75},\"b_share_target\":0.9"

static const char *const templates[] = {
    /* grid */
    "{\"name\":\"网格月度考核\"," CLASSES "," BONUS ",\"groups\":["
    "{\"code\":\"G1\",\"name\":\"网格运行\",\"score\":50,\"items\":["
    "{\"code\":\"G1.1\",\"name\":\"有效发现上报\",\"score\":15,\"metric\":\"findings\"," COUNT(
        1) "},"
           "{\"code\":\"G1.2\",\"name\":\"网格自办事项\",\"score\":10,\"metric\":\"self_"
           "handled\"," COUNT(
               2) "},"
                  "{\"code\":\"G1.3\",\"name\":\"走访完成率\",\"score\":15,\"metric\":\"visit_"
                  "rate\"," RATE(
                      0.95) "},"
                            "{\"code\":\"G1.4\",\"name\":\"巡查覆盖率\",\"score\":10,\"metric\":"
                            "\"patrol_coverage\"," RATE(
                                0.9) "}]},"
                                     "{\"code\":\"G2\",\"name\":\"履职\",\"score\":30,\"items\":["
                                     "{\"code\":\"G2.1\",\"name\":\"基础信息完整率\",\"score\":10,"
                                     "\"metric\":\"registry_completeness\"," RATE(
                                         0.95) "},"
                                               "{\"code\":\"G2.2\",\"name\":\"矛盾纠纷调解成功率\","
                                               "\"score\":10,\"metric\":\"dispute_success\"," RATE(
                                                   0.9) "},"
                                                        "{\"code\":\"G2.3\",\"name\":"
                                                        "\"按期办结率\",\"score\":10,\"metric\":"
                                                        "\"ontime_rate\"," RATE(
                                                            0.95) "}]},"
                                                                  "{\"code\":\"G3\",\"name\":"
                                                                  "\"作风\",\"score\":20,\"items\":"
                                                                  "["
                                                                  "{\"code\":\"G3.1\",\"name\":"
                                                                  "\"群众满意率\",\"score\":10,"
                                                                  "\"metric\":\"satisfaction_"
                                                                  "rate\"," RATE(
                                                                      0.95) "},"
                                                                            "{\"code\":\"G3.2\","
                                                                            "\"name\":"
                                                                            "\"工作纪律与作风\","
                                                                            "\"score\":10,"
                                                                            "\"method\":\"self\"}]}"
                                                                            "]}",
    /* worker */
    "{\"name\":\"网格员月度考核\"," CLASSES "," BONUS ",\"groups\":["
    "{\"code\":\"W1\",\"name\":\"网格运行\",\"score\":50,\"items\":["
    "{\"code\":\"W1.1\",\"name\":\"有效发现上报\",\"score\":20,\"metric\":\"findings\"," COUNT(
        1) "},"
           "{\"code\":\"W1.2\",\"name\":\"走访完成率\",\"score\":15,\"metric\":\"visit_"
           "rate\"," RATE(
               0.95) "},"
                     "{\"code\":\"W1.3\",\"name\":\"巡查覆盖率\",\"score\":15,\"metric\":\"patrol_"
                     "coverage\"," RATE(
                         0.9) "}]},"
                              "{\"code\":\"W2\",\"name\":\"履职\",\"score\":30,\"items\":["
                              "{\"code\":\"W2.1\",\"name\":\"网格自办事项\",\"score\":10,"
                              "\"metric\":\"self_handled\"," COUNT(
                                  2) "},"
                                     "{\"code\":\"W2.2\",\"name\":\"基础信息完整率\",\"score\":10,"
                                     "\"metric\":\"registry_completeness\"," RATE(
                                         0.95) "},"
                                               "{\"code\":\"W2.3\",\"name\":\"纠纷就地化解率\","
                                               "\"score\":10,\"metric\":\"dispute_local\"," RATE(
                                                   0.9) "}]},"
                                                        "{\"code\":\"W3\",\"name\":\"作风\","
                                                        "\"score\":20,\"items\":["
                                                        "{\"code\":\"W3.1\",\"name\":"
                                                        "\"群众满意率\",\"score\":10,\"metric\":"
                                                        "\"satisfaction_rate\"," RATE(
                                                            0.95) "},"
                                                                  "{\"code\":\"W3.2\",\"name\":"
                                                                  "\"出勤与工作纪律\",\"score\":10,"
                                                                  "\"method\":\"self\"}]}]}",
    /* unit */
    "{\"name\":\"承办单位月度考核\"," CLASSES "," BONUS ",\"groups\":["
    "{\"code\":\"U1\",\"name\":\"网格运行\",\"score\":50,\"items\":["
    "{\"code\":\"U1.1\",\"name\":\"响应率\",\"score\":20,\"metric\":\"response_rate\"," RATE(
        0.95) "},"
              "{\"code\":\"U1.2\",\"name\":\"按期办结率\",\"score\":30,\"metric\":\"ontime_"
              "rate\"," RATE(
                  0.95) "}]},"
                        "{\"code\":\"U2\",\"name\":\"履职\",\"score\":30,\"items\":["
                        "{\"code\":\"U2.1\",\"name\":\"解决率\",\"score\":15,\"metric\":"
                        "\"resolution_rate\"," RATE(
                            0.9) "},"
                                 "{\"code\":\"U2.2\",\"name\":\"协同配合\",\"score\":15,\"method\":"
                                 "\"reviewer\"}]},"
                                 "{\"code\":\"U3\",\"name\":\"作风\",\"score\":20,\"items\":["
                                 "{\"code\":\"U3.1\",\"name\":\"满意率\",\"score\":15,\"metric\":"
                                 "\"satisfaction_rate\"," RATE(
                                     0.95) "},"
                                           "{\"code\":\"U3.2\",\"name\":\"工作作风自查\",\"score\":"
                                           "5,\"method\":\"self\"}]}]}",
    /* town */
    "{\"name\":\"镇街网格中心月度考核\"," CLASSES "," BONUS ",\"groups\":["
    "{\"code\":\"T1\",\"name\":\"网格运行\",\"score\":50,\"items\":["
    "{\"code\":\"T1.1\",\"name\":\"走访完成率\",\"score\":20,\"metric\":\"visit_rate\"," RATE(
        0.95) "},"
              "{\"code\":\"T1.2\",\"name\":\"巡查覆盖率\",\"score\":15,\"metric\":\"patrol_"
              "coverage\"," RATE(
                  0.9) "},"
                       "{\"code\":\"T1.3\",\"name\":\"网格自办事项\",\"score\":15,\"metric\":"
                       "\"self_handled\"," COUNT(
                           0.5) "}]},"
                                "{\"code\":\"T2\",\"name\":\"履职\",\"score\":30,\"items\":["
                                "{\"code\":\"T2.1\",\"name\":\"基础信息完整率\",\"score\":10,"
                                "\"metric\":\"registry_completeness\"," RATE(
                                    0.95) "},"
                                          "{\"code\":\"T2.2\",\"name\":\"纠纷就地化解率\","
                                          "\"score\":10,\"metric\":\"dispute_local\"," RATE(
                                              0.9) "},"
                                                   "{\"code\":\"T2.3\",\"name\":\"按期办结率\","
                                                   "\"score\":10,\"metric\":\"ontime_rate\"," RATE(
                                                       0.95) "}]},"
                                                             "{\"code\":\"T3\",\"name\":\"作风\","
                                                             "\"score\":20,\"items\":["
                                                             "{\"code\":\"T3.1\",\"name\":"
                                                             "\"群众满意率\",\"score\":10,"
                                                             "\"metric\":\"satisfaction_"
                                                             "rate\"," RATE(
                                                                 0.95) "},"
                                                                       "{\"code\":\"T3.2\","
                                                                       "\"name\":\"作风建设\","
                                                                       "\"score\":10,\"method\":"
                                                                       "\"self\"}]}]}",
};

int wg_assess_kind_index(const char *kind)
{
    for (int i = 0; kind && wg_assess_kinds[i]; i++)
        if (!strcmp(kind, wg_assess_kinds[i]))
            return i;
    return -1;
}

enum wg_rc wg_assess_kind(const char *kind, const char *field, struct wg_err *err)
{
    if (wg_assess_kind_index(kind) < 0)
        return wg_err_set(err, WG_EINVAL, "'%s' is one of grid, worker, unit, town", field);
    return WG_OK;
}

json_t *wg_assess_scheme_default(const char *kind)
{
    int k = wg_assess_kind_index(kind);
    json_t *j = k < 0 ? NULL : json_loads(templates[k], 0, NULL);
    assert(k < 0 || j);
    return j;
}

/* A number field of 0 < v <= max (step 0.5) into *out. */
static enum wg_rc score_of(const json_t *obj, const char *path, double max, double *out,
                           struct wg_err *err)
{
    const json_t *v = json_object_get(obj, "score");
    double d = json_is_number(v) ? json_number_value(v) : -1;
    if (!(d > 0 && d <= max) || fabs(d * 2 - floor(d * 2 + 0.5)) > 1e-9)
        return wg_err_set(err, WG_EINVAL,
                          "'%s.score' is a number above 0 and up to %g, in steps "
                          "of 0.5",
                          path, max);
    *out = d;
    return WG_OK;
}

struct codes {
    const char *seen[WG_ASSESS_GROUPS_MAX * (WG_ASSESS_ITEMS_MAX + 1) + WG_ASSESS_ITEMS_MAX];
    size_t n;
};

static enum wg_rc code_of(const json_t *obj, const char *path, struct codes *c, const char **out,
                          struct wg_err *err)
{
    const char *s = json_string_value(json_object_get(obj, "code"));
    size_t n = s ? strlen(s) : 0;
    if (!n || n > 16 ||
        strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != n)
        return wg_err_set(err, WG_EINVAL,
                          "'%s.code' is 1 to 16 of the letters A-Z a-z, digits, '.', '_', '-'",
                          path);
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->seen[i], s))
            return wg_err_set(err, WG_EINVAL, "'%s.code': '%s' is used twice in the scheme", path,
                              s);
    if (c->n < sizeof c->seen / sizeof c->seen[0])
        c->seen[c->n++] = s;
    *out = s;
    return WG_OK;
}

static enum wg_rc name_of(const json_t *obj, const char *path, struct wg_err *err)
{
    const char *s = NULL;
    enum wg_rc rc = wg_jf_text(obj, "name", 1, WG_ASSESS_NAME_MAX, &s, err);
    if (rc)
        wg_err_prefix(err, "%s", path);
    return rc;
}

/* One item at path: code, name, score up to max, method, and for computed a metric of kind
 * with its formula. */
static enum wg_rc item_check(int kind, const json_t *it, const char *path, double max,
                             struct codes *c, double *score, struct wg_err *err)
{
    const char *code, *method = NULL;
    enum wg_rc rc;
    if (!json_is_object(it))
        return wg_err_set(err, WG_EINVAL, "'%s' is an item: an object", path);
    if ((rc = wg_jf_known(it, item_fields, "an item", err))) {
        wg_err_prefix(err, "%s", path);
        return rc;
    }
    if ((rc = code_of(it, path, c, &code, err)) || (rc = name_of(it, path, err)) ||
        (rc = score_of(it, path, max, score, err)))
        return rc;
    if ((rc = wg_jf_one_of(it, "method", methods, NULL, &method, err))) {
        wg_err_prefix(err, "%s", path);
        return rc;
    }
    const json_t *m = json_object_get(it, "metric"), *f = json_object_get(it, "formula");
    if (strcmp(method, "computed")) {
        if ((m && !json_is_null(m)) || (f && !json_is_null(f)))
            return wg_err_set(err, WG_EINVAL,
                              "'%s.metric' and formula are only for a computed "
                              "item",
                              path);
        return WG_OK;
    }
    const struct wg_assess_metric *mt = wg_assess_metric_find(json_string_value(m));
    if (!mt)
        return wg_err_set(err, WG_EINVAL,
                          "'%s.metric' is required: a metric's name (GET "
                          "/api/v1/assessments/schemes lists them)",
                          path);
    if (!(mt->kinds & (1u << kind)))
        return wg_err_set(err, WG_EINVAL, "'%s.metric': '%s' is not counted for a %s", path,
                          mt->name, wg_assess_kinds[kind]);
    const char *type = json_string_value(json_object_get(f, "type"));
    const json_t *t = json_object_get(f, "target"), *p = json_object_get(f, "per");
    if (!json_is_object(f) || json_object_size(f) != 2 || !type)
        return wg_err_set(err, WG_EINVAL,
                          "'%s.formula' is {\"type\":\"rate\",\"target\":t} or "
                          "{\"type\":\"count\",\"per\":p}",
                          path);
    if (!strcmp(type, "rate") && mt->rate) {
        double v = json_is_number(t) ? json_number_value(t) : -1;
        if (!(v > 0 && v <= 1))
            return wg_err_set(err, WG_EINVAL,
                              "'%s.formula.target' is a share above 0 and up to "
                              "1",
                              path);
        return WG_OK;
    }
    if (!strcmp(type, "count") && !mt->rate) {
        double v = json_is_number(p) ? json_number_value(p) : -1;
        if (!(v > 0 && v <= 100))
            return wg_err_set(err, WG_EINVAL,
                              "'%s.formula.per' is the points of one record: "
                              "above 0 and up to 100",
                              path);
        return WG_OK;
    }
    return wg_err_set(err, WG_EINVAL, "'%s.formula.type' is %s for metric '%s'", path,
                      mt->rate ? "rate" : "count", mt->name);
}

static enum wg_rc items_check(int kind, const json_t *a, const char *path, struct codes *c,
                              double max, double *sum, struct wg_err *err)
{
    char sub[64];
    size_t i;
    const json_t *it;
    enum wg_rc rc;
    *sum = 0;
    if (!json_is_array(a) || !json_array_size(a) || json_array_size(a) > WG_ASSESS_ITEMS_MAX)
        return wg_err_set(err, WG_EINVAL, "'%s' is an array of 1 to %d items", path,
                          WG_ASSESS_ITEMS_MAX);
    json_array_foreach(a, i, it)
    {
        double s = 0;
        snprintf(sub, sizeof sub, "%s[%zu]", path, i);
        if ((rc = item_check(kind, it, sub, max, c, &s, err)))
            return rc;
        *sum += s;
    }
    return WG_OK;
}

static enum wg_rc classes_check(const json_t *body, struct wg_err *err)
{
    const json_t *c = json_object_get(body, "classes"),
                 *t = json_object_get(body, "b_share_target");
    const json_t *a = json_object_get(c, "A"), *b = json_object_get(c, "B");
    if (!json_is_object(c) || json_object_size(c) != 2 || !json_is_number(a) || !json_is_number(b))
        return wg_err_set(err, WG_EINVAL,
                          "'classes' is {\"A\": score, \"B\": score}: the lowest "
                          "totals of classes A and B");
    double va = json_number_value(a), vb = json_number_value(b);
    if (!(va > 0 && va <= 110))
        return wg_err_set(err, WG_EINVAL, "'classes.A' is a total above 0 and up to 110");
    if (!(vb > 0 && vb < va))
        return wg_err_set(err, WG_EINVAL, "'classes.B' is a total above 0 and below classes.A");
    if (t && !json_is_null(t) &&
        (!json_is_number(t) || !(json_number_value(t) > 0 && json_number_value(t) <= 1)))
        return wg_err_set(err, WG_EINVAL, "'b_share_target' is a share above 0 and up to 1");
    return WG_OK;
}

enum wg_rc wg_assess_scheme_check(const char *kind, const json_t *body, json_t **out,
                                  struct wg_err *err)
{
    struct codes *cp;
    int k = wg_assess_kind_index(kind);
    const json_t *groups = json_object_get(body, "groups"), *g, *cap;
    double total = 0, sum = 0, capv;
    size_t i;
    char path[32];
    enum wg_rc rc;
    *out = NULL;
    cp = wg_calloc(1, sizeof *cp);
    if (k < 0) {
        rc = wg_assess_kind(kind, "kind", err);
        goto out;
    }
    if (!json_is_object(body)) {
        rc = wg_err_set(err, WG_EINVAL, "the body of a scheme is a JSON object");
        goto out;
    }
    if ((rc = wg_jf_known(body, wg_assess_scheme_fields, "a scheme", err)) ||
        (rc = name_of(body, "scheme", err)) || (rc = classes_check(body, err)))
        goto out;
    if (!json_is_array(groups) || !json_array_size(groups) ||
        json_array_size(groups) > WG_ASSESS_GROUPS_MAX) {
        rc = wg_err_set(err, WG_EINVAL, "'groups' is an array of 1 to %d groups",
                        WG_ASSESS_GROUPS_MAX);
        goto out;
    }
    json_array_foreach(groups, i, g)
    {
        const char *code;
        double gs = 0;
        snprintf(path, sizeof path, "groups[%zu]", i);
        if (!json_is_object(g)) {
            rc = wg_err_set(err, WG_EINVAL, "'%s' is a group: an object", path);
            goto out;
        }
        if ((rc = wg_jf_known(g, group_fields, "a group", err))) {
            wg_err_prefix(err, "%s", path);
            goto out;
        }
        if ((rc = code_of(g, path, cp, &code, err)) || (rc = name_of(g, path, err)) ||
            (rc = score_of(g, path, 100, &gs, err)))
            goto out;
        char items[48];
        snprintf(items, sizeof items, "%s.items", path);
        if ((rc = items_check(k, json_object_get(g, "items"), items, cp, gs, &sum, err)))
            goto out;
        if (fabs(sum - gs) > 1e-6) {
            rc = wg_err_set(err, WG_EINVAL,
                            "'%s.items': their scores add up to %g, not the "
                            "group's %g",
                            path, sum, gs);
            goto out;
        }
        total += gs;
    }
    if (fabs(total - 100) > 1e-6) {
        rc = wg_err_set(err, WG_EINVAL, "'groups': their scores add up to %g, not 100", total);
        goto out;
    }
    cap = json_object_get(body, "bonus_cap");
    capv = json_is_number(cap) ? json_number_value(cap) : -1;
    if (!(capv >= 0 && capv <= 20)) {
        rc = wg_err_set(err, WG_EINVAL, "'bonus_cap' is the most bonus points counted: 0 to 20");
        goto out;
    }
    const json_t *bonus = json_object_get(body, "bonus");
    if (bonus && !json_is_null(bonus) && !(json_is_array(bonus) && !json_array_size(bonus)) &&
        (rc = items_check(k, bonus, "bonus", cp, capv > 0 ? capv : 0.5, &sum, err)))
        goto out;
    *out = json_deep_copy(body);
    json_object_del(*out, "version");
    if (!json_object_get(*out, "bonus"))
        json_object_set_new(*out, "bonus", json_array());
    if (!json_object_get(*out, "b_share_target") ||
        json_is_null(json_object_get(*out, "b_share_target")))
        json_object_set_new(*out, "b_share_target", json_real(0.9));
    rc = WG_OK;
out:
    free(cp);
    return rc;
}

static json_t *with_version(const char *kind, json_t *scheme, long long version)
{
    json_object_set_new(scheme, "kind", json_string(kind));
    json_object_set_new(scheme, "version", json_integer(version));
    return scheme;
}

enum wg_rc wg_assess_scheme_at(struct wg_db *db, const char *kind, long long version, json_t **out,
                               struct wg_err *err)
{
    char *body = NULL;
    enum wg_rc rc = WG_OK;
    *out = NULL;
    if ((rc = wg_assess_kind(kind, "kind", err)))
        return rc;
    if (version == 0) {
        *out = with_version(kind, wg_assess_scheme_default(kind), 0);
        return WG_OK;
    }
    if ((rc = wg_store_assess_scheme_at(db, kind, version, &body, err)))
        return rc;
    json_t *j = json_loads(body, 0, NULL);
    free(body);
    if (!j)
        return wg_err_set(err, WG_EDB, "version %lld of the %s scheme does not read", version,
                          kind);
    *out = with_version(kind, j, version);
    return WG_OK;
}

enum wg_rc wg_assess_scheme_get(struct wg_db *db, const char *kind, json_t **out,
                                struct wg_err *err)
{
    char *body = NULL;
    long long version = 0;
    enum wg_rc rc;
    *out = NULL;
    if ((rc = wg_assess_kind(kind, "kind", err)) ||
        (rc = wg_store_assess_scheme_get(db, kind, &version, &body, err)))
        return rc;
    json_t *j = body ? json_loads(body, 0, NULL) : wg_assess_scheme_default(kind);
    free(body);
    if (!j)
        return wg_err_set(err, WG_EDB, "the %s scheme in force does not read", kind);
    *out = with_version(kind, j, version);
    return WG_OK;
}

enum wg_rc wg_assess_scheme_put(struct wg_db *db, const struct wg_actor *actor, const char *kind,
                                const json_t *body, long long now, struct wg_err *err)
{
    json_t *scheme = NULL, *v = json_object_get(body, "version");
    enum wg_rc rc;
    int own = !wg_db_in_tx(db);
    if ((rc = wg_assess_kind(kind, "kind", err)))
        return rc;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return wg_err_set(err, WG_EINVAL,
                          "'version' is required: the version of the scheme read "
                          "(0 for the built-in template)");
    if ((rc = wg_assess_scheme_check(kind, body, &scheme, err)))
        return rc;
    char *text = json_dumps(scheme, JSON_COMPACT);
    json_decref(scheme);
    if (own && (rc = wg_db_begin(db, err)))
        goto out;
    rc = wg_store_assess_scheme_put(db, kind, json_integer_value(v), text, actor->username, now,
                                    err);
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
out:
    free(text);
    return rc;
}
