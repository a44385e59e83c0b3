/* The results of a telephone survey (survey.h): per region the numbers called and reached,
 * the response rate, the key question's mean score and the share satisfied/safe with its
 * 95% Wilson score interval; each question's distribution; the towns ranked; as JSON or CSV. */
#include "domain/assess/survey.h"

#include <math.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/buf.h"

#define Z95 1.959963984540054 /* the standard normal's 97.5th percentile */

void wg_survey_wilson(long long x, long long n, double *lo, double *hi)
{
    double p, z2, denom, centre, half;
    if (n <= 0) {
        *lo = 0, *hi = 1;
        return;
    }
    p = (double)x / (double)n;
    z2 = Z95 * Z95;
    denom = 1.0 + z2 / (double)n;
    centre = (p + z2 / (2.0 * (double)n)) / denom;
    half = Z95 / denom * sqrt(p * (1.0 - p) / (double)n + z2 / (4.0 * (double)n * (double)n));
    *lo = centre - half < 0 ? 0 : centre - half;
    *hi = centre + half > 1 ? 1 : centre + half;
}

struct region {
    char code[20];
    long long sampled, attempted, reached, refused, no_answer, busy, wrong, n, positive;
    double score_sum;
};

struct tally {
    const json_t *questions, *key;
    size_t nq;
    struct region all;
    struct region *towns, *villages;
    size_t ntowns, nvillages, cap_t, cap_v;
    long long (*dist)[WG_SURVEY_OPTIONS_MAX + 1]; /* per question: option counts, then answered */
};

static struct region *find(struct region **list, size_t *n, size_t *cap, const char *code)
{
    for (size_t i = *n; i-- > 0;)
        if (!strcmp((*list)[i].code, code))
            return &(*list)[i];
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *list = wg_realloc(*list, *cap * sizeof **list);
    }
    struct region *r = &(*list)[(*n)++];
    memset(r, 0, sizeof *r);
    snprintf(r->code, sizeof r->code, "%s", code);
    return r;
}

static void count(struct region *r, const char *state, long long attempts, const char *outcome,
                  int has, int positive, double score)
{
    r->sampled++;
    if (attempts > 0)
        r->attempted++;
    if (!strcmp(state, "done")) {
        r->reached += !strcmp(outcome, "reached");
        r->refused += !strcmp(outcome, "refused");
        r->no_answer += !strcmp(outcome, "no_answer");
        r->busy += !strcmp(outcome, "busy");
        r->wrong += !strcmp(outcome, "wrong_number");
    }
    if (has) {
        r->n++;
        r->positive += positive;
        r->score_sum += score;
    }
}

static void distribute(struct tally *t, const json_t *answers)
{
    for (size_t i = 0; i < t->nq; i++) {
        const json_t *q = json_array_get(t->questions, i);
        const char *kind = json_string_value(json_object_get(q, "kind"));
        const json_t *a = json_object_get(answers, json_string_value(json_object_get(q, "id")));
        if (!a || json_is_null(a))
            continue;
        t->dist[i][WG_SURVEY_OPTIONS_MAX]++;
        if (!strcmp(kind, "single") && json_is_integer(a) && json_integer_value(a) >= 0 &&
            json_integer_value(a) < WG_SURVEY_OPTIONS_MAX)
            t->dist[i][json_integer_value(a)]++;
        else if (!strcmp(kind, "yesno"))
            t->dist[i][json_is_true(a) ? 0 : 1]++;
    }
}

static int on_row(const char *town, const char *village, const char *state, long long attempts,
                  const char *outcome, const char *answers, void *ctx)
{
    struct tally *t = ctx;
    int has = 0, positive = 0;
    double score = 0;
    json_t *a = *answers ? json_loads(answers, 0, NULL) : NULL;
    if (a) {
        const json_t *v = json_object_get(a, json_string_value(json_object_get(t->key, "id")));
        const json_t *opt = json_is_integer(v) ? json_array_get(json_object_get(t->key, "options"),
                                                                (size_t)json_integer_value(v))
                                               : NULL;
        if (opt) {
            has = 1;
            positive = json_is_true(json_object_get(opt, "positive"));
            score = (double)json_integer_value(json_object_get(opt, "score"));
        }
        distribute(t, a);
        json_decref(a);
    }
    count(&t->all, state, attempts, outcome, has, positive, score);
    count(find(&t->towns, &t->ntowns, &t->cap_t, town), state, attempts, outcome, has, positive,
          score);
    count(find(&t->villages, &t->nvillages, &t->cap_v, village), state, attempts, outcome, has,
          positive, score);
    return 0;
}

static json_t *real_or_null(int ok, double v)
{
    return ok ? json_real(round(v * 10000.0) / 10000.0) : json_null();
}

static json_t *region_json(struct wg_db *db, const struct region *r, long long min)
{
    char name[128];
    double lo = 0, hi = 1;
    long long settled = r->reached + r->refused + r->no_answer + r->busy + r->wrong;
    wg_survey_place_name(db, r->code, name, sizeof name);
    if (r->n)
        wg_survey_wilson(r->positive, r->n, &lo, &hi);
    json_t *j = json_pack(
        "{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:b}", "code", r->code, "name", name,
        "sampled", (json_int_t)r->sampled, "attempted", (json_int_t)r->attempted, "reached",
        (json_int_t)r->reached, "refused", (json_int_t)r->refused, "no_answer",
        (json_int_t)r->no_answer, "busy", (json_int_t)r->busy, "wrong_number", (json_int_t)r->wrong,
        "n", (json_int_t)r->n, "positive", (json_int_t)r->positive, "enough", r->n >= min);
    json_object_set_new(
        j, "response_rate",
        real_or_null(settled > 0, (double)r->reached / (double)(settled ? settled : 1)));
    json_object_set_new(j, "share",
                        real_or_null(r->n > 0, (double)r->positive / (double)(r->n ? r->n : 1)));
    json_object_set_new(j, "ci_low", real_or_null(r->n > 0, lo));
    json_object_set_new(j, "ci_high", real_or_null(r->n > 0, hi));
    json_object_set_new(j, "mean_score",
                        real_or_null(r->n > 0, r->score_sum / (double)(r->n ? r->n : 1)));
    return j;
}

static json_t *questions_json(const struct tally *t)
{
    json_t *out = json_array();
    for (size_t i = 0; i < t->nq; i++) {
        const json_t *q = json_array_get(t->questions, i);
        const char *kind = json_string_value(json_object_get(q, "kind"));
        long long answered = t->dist[i][WG_SURVEY_OPTIONS_MAX];
        json_t *j =
            json_pack("{s:O,s:O,s:s,s:I}", "id", json_object_get(q, "id"), "text",
                      json_object_get(q, "text"), "kind", kind, "answered", (json_int_t)answered);
        json_t *opts = json_array();
        size_t nopt = !strcmp(kind, "single")  ? json_array_size(json_object_get(q, "options"))
                      : !strcmp(kind, "yesno") ? 2
                                               : 0;
        for (size_t k = 0; k < nopt; k++) {
            const char *label =
                !strcmp(kind, "single")
                    ? json_string_value(json_object_get(
                          json_array_get(json_object_get(q, "options"), k), "label"))
                : k == 0 ? "是"
                         : "否";
            json_array_append_new(
                opts, json_pack("{s:s,s:I,s:o}", "label", label, "count", (json_int_t)t->dist[i][k],
                                "share",
                                real_or_null(answered > 0, (double)t->dist[i][k] /
                                                               (double)(answered ? answered : 1))));
        }
        json_object_set_new(j, "options", opts);
        json_array_append_new(out, j);
    }
    return out;
}

static int by_share(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    double sx = json_real_value(json_object_get(x, "share")),
           sy = json_real_value(json_object_get(y, "share"));
    if (sx != sy)
        return sx > sy ? -1 : 1;
    double mx = json_real_value(json_object_get(x, "mean_score")),
           my = json_real_value(json_object_get(y, "mean_score"));
    if (mx != my)
        return mx > my ? -1 : 1;
    return strcmp(json_string_value(json_object_get(x, "code")),
                  json_string_value(json_object_get(y, "code")));
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const struct region *)a)->code, ((const struct region *)b)->code);
}

static json_t *build(struct wg_db *db, const struct wg_survey *s, struct tally *t, long long min)
{
    json_t *towns = json_array(), *villages = json_array(), *ranking = json_array(),
           *few = json_array();
    long long few_villages = 0;
    const json_t *key = t->key;
    json_t **ranked = wg_calloc(t->ntowns + 1, sizeof *ranked);
    size_t nr = 0;
    qsort(t->towns, t->ntowns, sizeof *t->towns, by_code);
    qsort(t->villages, t->nvillages, sizeof *t->villages, by_code);
    for (size_t i = 0; i < t->ntowns; i++) {
        json_t *j = region_json(db, &t->towns[i], min);
        json_array_append_new(towns, j);
        if (t->towns[i].n >= min)
            ranked[nr++] = j;
        else
            json_array_append_new(
                few, json_pack("{s:O,s:O,s:I}", "code", json_object_get(j, "code"), "name",
                               json_object_get(j, "name"), "n", (json_int_t)t->towns[i].n));
    }
    qsort(ranked, nr, sizeof *ranked, by_share);
    for (size_t i = 0; i < nr; i++) {
        json_t *r = json_pack(
            "{s:I,s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "rank", (json_int_t)(i + 1), "code",
            json_object_get(ranked[i], "code"), "name", json_object_get(ranked[i], "name"), "n",
            json_object_get(ranked[i], "n"), "share", json_object_get(ranked[i], "share"), "ci_low",
            json_object_get(ranked[i], "ci_low"), "ci_high", json_object_get(ranked[i], "ci_high"),
            "mean_score", json_object_get(ranked[i], "mean_score"));
        json_object_set_new(ranked[i], "rank", json_integer((json_int_t)(i + 1)));
        json_array_append_new(ranking, r);
    }
    free(ranked);
    for (size_t i = 0; i < t->nvillages; i++) {
        if (t->villages[i].n >= min)
            json_array_append_new(villages, region_json(db, &t->villages[i], min));
        else
            few_villages++;
    }
    snprintf(t->all.code, sizeof t->all.code, "%s", s->row.scope);
    return json_pack("{s:I,s:s,s:s,s:s,s:I,s:f,s:s,s:{s:O,s:O},s:o,s:o,s:o,s:I,s:o,s:o,s:o}",
                     "survey", (json_int_t)s->row.id, "title", s->row.title, "kind", s->row.kind,
                     "state", s->row.state, "min", (json_int_t)min, "confidence", 0.95, "method",
                     "wilson", "key_question", "id", json_object_get(key, "id"), "text",
                     json_object_get(key, "text"), "district", region_json(db, &t->all, min),
                     "towns", towns, "villages", villages, "villages_too_few",
                     (json_int_t)few_villages, "ranking", ranking, "too_few", few, "questions",
                     questions_json(t));
}

enum wg_rc wg_survey_results(struct wg_db *db, const struct wg_actor *actor, long long id,
                             const char *min, json_t **out, struct wg_err *err)
{
    struct wg_survey s;
    struct tally t;
    long long m = WG_SURVEY_MIN_DEFAULT;
    char *end = NULL;
    enum wg_rc rc;
    *out = NULL;
    if (min && *min) {
        m = strtoll(min, &end, 10);
        if (*end || m < 1 || m > 1000 || strspn(min, "0123456789") != strlen(min))
            return wg_err_set(err, WG_EINVAL, "'min' is a whole number from 1 to 1000");
    }
    if ((rc = wg_survey_load(db, actor, id, &s, err)))
        return rc;
    memset(&t, 0, sizeof t);
    t.questions = s.questions;
    t.nq = json_array_size(s.questions);
    t.key = json_array_get(s.questions, wg_survey_key(s.questions));
    t.dist = wg_calloc(t.nq ? t.nq : 1, sizeof *t.dist);
    rc = wg_store_survey_results(db, id, on_row, &t, err);
    if (!rc)
        *out = build(db, &s, &t, m);
    free(t.towns);
    free(t.villages);
    free(t.dist);
    wg_survey_unload(&s);
    return rc;
}

static void csv_cell(struct wg_buf *b, const json_t *v)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        wg_buf_add(b, "\"", 1);
        for (; *s; s++) {
            if (*s == '"')
                wg_buf_add(b, "\"", 1);
            wg_buf_add(b, s, 1);
        }
        wg_buf_add(b, "\"", 1);
    } else if (json_is_integer(v)) {
        wg_buf_addf(b, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        wg_buf_addf(b, "%.4f", json_real_value(v));
    } else if (json_is_true(v)) {
        wg_buf_adds(b, "是");
    } else if (json_is_false(v)) {
        wg_buf_adds(b, "否");
    }
}

static void csv_row(struct wg_buf *b, const char *level, const json_t *r)
{
    static const char *const cols[] = {
        "code",      "name",   "sampled",      "attempted",     "reached", "refused",
        "no_answer", "busy",   "wrong_number", "response_rate", "n",       "positive",
        "share",     "ci_low", "ci_high",      "mean_score",    "rank",    NULL};
    wg_buf_adds(b, level);
    for (size_t i = 0; cols[i]; i++) {
        wg_buf_add(b, ",", 1);
        csv_cell(b, json_object_get(r, cols[i]));
    }
    wg_buf_adds(b, "\r\n");
}

enum wg_rc wg_survey_results_csv(struct wg_db *db, const struct wg_actor *actor, long long id,
                                 const char *min, char **csv, size_t *len, struct wg_err *err)
{
    json_t *r = NULL, *v;
    struct wg_buf b;
    size_t i;
    enum wg_rc rc = wg_survey_results(db, actor, id, min, &r, err);
    *csv = NULL, *len = 0;
    if (rc)
        return rc;
    wg_buf_init(&b, 8u << 20);
    wg_buf_adds(&b, "\xEF\xBB\xBF"
                    "层级,代码,名称,抽样数,已拨打,接通完成,拒访,无人接听,占线,空号错号,应答率,"
                    "有效样本,满意或安全,比例,置信下限(95% Wilson),置信上限,平均分,排名\r\n");
    csv_row(&b, "区县", json_object_get(r, "district"));
    json_array_foreach(json_object_get(r, "towns"), i, v) csv_row(&b, "镇街", v);
    json_array_foreach(json_object_get(r, "villages"), i, v) csv_row(&b, "村社区", v);
    json_decref(r);
    if (wg_buf_rc(&b)) {
        wg_buf_release(&b);
        return wg_err_set(err, WG_ETOOBIG, "survey %lld's results are too large for CSV", id);
    }
    *csv = wg_buf_detach(&b, len);
    return WG_OK;
}
