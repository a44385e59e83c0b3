/* Telephone surveys (domain/assess/survey.h) on a real store on every backend: the Wilson
 * interval against published values (Newcombe 1998); the sampler's stratification by town,
 * per-town and proportional numbers, duplicates dropped by blind index, the same draw from
 * the same seed; every bad questionnaire and answer refused naming its field; a round drawn
 * from the registry (masked, each phone once), edited only while a draft under its version;
 * calls claimed by four agents at once never twice, the phone revealed to the holder alone,
 * no answer retried up to three attempts, a claim that ran out taken by another agent; the
 * results' counts, shares and intervals checked against the answers recorded. */
#include "t.h"

#include <pthread.h>

#include "domain/accounts/account.h"
#include "domain/accounts/pii.h"
#include "domain/accounts/pii_keys.h"
#include "domain/assess/survey.h"
#include "domain/map/region.h"
#include "domain/registry/person.h"
#include "store/map/map_q.h"
#include "t_grid.h"
#include "t_store.h"

#define COUNTY "371302"
#define T1     "371302001"
#define T2     "371302002"
#define T3     "371302003"

static struct wg_pii_keys *keys;
static struct wg_store *st;

static void actor(struct wg_actor *a, const char *name, const char *role, const char *code)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "%s", name);
    T_EQ_INT(wg_role_parse(role, &a->role, NULL), WG_OK);
    a->perms = wg_role_find(role)->perms;
    snprintf(a->scope.kind, sizeof a->scope.kind, "region");
    snprintf(a->scope.code, sizeof a->scope.code, "%s", code);
}

static void add_person(struct wg_db *db, int i, const char *grid, const char *phone)
{
    struct wg_err err = {0};
    struct wg_person p;
    char idn[16];
    memset(&p, 0, sizeof p);
    snprintf(p.id_type, sizeof p.id_type, "passport");
    snprintf(idn, sizeof idn, "E%08d", i);
    p.id_number = idn, p.name = "张三", p.phone = (char *)phone;
    snprintf(p.residence, sizeof p.residence, "registered");
    snprintf(p.grid, sizeof p.grid, "%s", grid);
    p.mental_risk = -1;
    T_EQ_INT(wg_person_create(db, keys, NULL, &p, 1780000000, &err), WG_OK);
    if (err.rc)
        fprintf(stderr, "person: %s\n", err.msg);
}

/* ---- the interval ---- */

static void wilson(void)
{
    /* Newcombe (1998), Stat Med 17:857, table I, method 3 (score, no continuity correction) */
    static const struct {
        long long x, n;
        double lo, hi;
    } known[] = {{81, 263, 0.2553, 0.3662},
                 {15, 148, 0.0624, 0.1605},
                 {0, 20, 0.0000, 0.1611},
                 {1, 29, 0.0061, 0.1718}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        double lo, hi;
        wg_survey_wilson(known[i].x, known[i].n, &lo, &hi);
        T_NEAR(lo, known[i].lo, 0.00006);
        T_NEAR(hi, known[i].hi, 0.00006);
    }
    double lo, hi;
    wg_survey_wilson(20, 20, &lo, &hi); /* all of them: the upper end is 1 */
    T_NEAR(hi, 1.0, 1e-12);
    T_NEAR(lo, 0.8389, 0.00006);
}

/* ---- the sampler ---- */

static size_t make_units(struct wg_survey_unit *u, const int *per_town, size_t ntowns, int dups)
{
    size_t n = 0;
    for (size_t t = 0; t < ntowns; t++)
        for (int k = 0; k < per_town[t]; k++) {
            u[n].id = (long long)n + 1;
            snprintf(u[n].grid, sizeof u[n].grid, "37130200%zu00%d00%d", t + 1, k % 3 + 1,
                     k % 5 + 1);
            snprintf(u[n].blind, sizeof u[n].blind, "%02zx%030d", t, k);
            n++;
        }
    /* the same phones again, in another town's grid: kept once each */
    for (int k = 0; k < dups; k++) {
        u[n] = u[k];
        u[n].id = 100000 + k;
        snprintf(u[n].grid, sizeof u[n].grid, "371302009001001");
        n++;
    }
    return n;
}

static size_t in_town(const struct wg_survey_unit *u, const size_t *c, size_t n, int town)
{
    char code[16];
    size_t k = 0;
    snprintf(code, sizeof code, "37130200%d", town);
    for (size_t i = 0; i < n; i++)
        k += !strncmp(u[c[i]].grid, code, 9);
    return k;
}

static void sampler(void)
{
    static struct wg_survey_unit u[2000], v[2000];
    struct wg_err err = {0};
    size_t *c = NULL, *d = NULL, nc = 0, nd = 0, kept = 0;
    const int sizes[] = {600, 300, 100};
    size_t n = make_units(u, sizes, 3, 50);
    memcpy(v, u, sizeof u);
    /* per town: N from each, all of a smaller one */
    T_EQ_INT(wg_survey_draw(u, n, 150, 0, 42, &c, &nc, &kept, &err), WG_OK);
    T_EQ_INT((long long)kept, 1000); /* the 50 duplicates dropped */
    T_EQ_INT((long long)nc, 400);
    T_EQ_INT((long long)in_town(u, c, nc, 1), 150);
    T_EQ_INT((long long)in_town(u, c, nc, 2), 150);
    T_EQ_INT((long long)in_town(u, c, nc, 3), 100);
    T_EQ_INT((long long)in_town(u, c, nc, 9), 0);
    int twice = 0; /* each phone once */
    for (size_t i = 0; i < nc; i++)
        for (size_t j = i + 1; j < nc; j++)
            twice += !strcmp(u[c[i]].blind, u[c[j]].blind);
    T_EQ_INT(twice, 0);
    /* the same seed over the same frame, in any order: the same phones */
    for (size_t i = 0; i < n / 2; i++) {
        struct wg_survey_unit t = v[i];
        v[i] = v[n - 1 - i], v[n - 1 - i] = t;
    }
    T_EQ_INT(wg_survey_draw(v, n, 150, 0, 42, &d, &nd, &kept, &err), WG_OK);
    T_EQ_INT((long long)nd, (long long)nc);
    int same = 1;
    for (size_t i = 0; i < nc; i++)
        same &= !strcmp(u[c[i]].blind, v[d[i]].blind);
    T_CHECK(same);
    free(d);
    /* another seed: another draw */
    T_EQ_INT(wg_survey_draw(v, n, 150, 0, 43, &d, &nd, &kept, &err), WG_OK);
    same = 1;
    for (size_t i = 0; i < nc; i++)
        same &= !strcmp(u[c[i]].blind, v[d[i]].blind);
    T_CHECK(!same);
    free(c);
    free(d);
    /* a total shared in proportion: 600:300:100 of 1000 → 10% each, largest remainders */
    T_EQ_INT(wg_survey_draw(u, n, 0, 100, 7, &c, &nc, &kept, &err), WG_OK);
    T_EQ_INT((long long)nc, 100);
    T_EQ_INT((long long)in_town(u, c, nc, 1), 60);
    T_EQ_INT((long long)in_town(u, c, nc, 2), 30);
    T_EQ_INT((long long)in_town(u, c, nc, 3), 10);
    free(c);
    /* 0.6·101 = 60.6, 0.3·101 = 30.3, 0.1·101 = 10.1: the one left goes to the largest rest */
    T_EQ_INT(wg_survey_draw(u, n, 0, 101, 7, &c, &nc, &kept, &err), WG_OK);
    T_EQ_INT((long long)in_town(u, c, nc, 1), 61);
    T_EQ_INT((long long)in_town(u, c, nc, 2), 30);
    T_EQ_INT((long long)in_town(u, c, nc, 3), 10);
    free(c);
    /* more than the frame holds: all of it */
    T_EQ_INT(wg_survey_draw(u, n, 0, 5000, 7, &c, &nc, &kept, &err), WG_OK);
    T_EQ_INT((long long)nc, 1000);
    free(c);
    T_EQ_INT(wg_survey_draw(u, n, 0, 0, 7, &c, &nc, &kept, &err), WG_EINVAL);
    T_EQ_INT(wg_survey_draw(u, n, 5, 5, 7, &c, &nc, &kept, &err), WG_EINVAL);
}

/* ---- the questionnaire ---- */

static const char *QS =
    "[{\"text\":\"您觉得您所在的镇街安全吗？\",\"kind\":\"single\",\"options\":["
    "{\"label\":\"很安全\",\"score\":100},{\"label\":\"安全\",\"score\":80},"
    "{\"label\":\"一般\",\"score\":60,\"positive\":false},{\"label\":\"不太安全\",\"score\":30},"
    "{\"label\":\"不安全\",\"score\":0}]},"
    "{\"text\":\"近两个月见过网格员入户走访吗？\",\"kind\":\"yesno\"},"
    "{\"text\":\"您对社会治安还有什么意见建议？\",\"kind\":\"text\"}]";

static json_t *body_with(const char *key, const char *value_json)
{
    char text[4096];
    snprintf(text, sizeof text,
             "{\"title\":\"2026年第6期群众安全感电话调查\",\"kind\":\"safety\",\"scope\":\"%s\","
             "\"period_from\":\"2026-11-01\",\"period_to\":\"2026-12-31\",\"questions\":%s}",
             COUNTY, QS);
    json_t *b = json_loads(text, 0, NULL);
    T_CHECK(b != NULL);
    if (key) {
        json_t *v = json_loads(value_json, JSON_DECODE_ANY, NULL);
        if (strchr(key, '.')) { /* questions[0].<field> or options */
            json_t *q0 = json_array_get(json_object_get(b, "questions"), 0);
            const char *f = strchr(key, '.') + 1;
            if (!strncmp(f, "options.", 8))
                json_object_set_new(json_array_get(json_object_get(q0, "options"), 1), f + 8, v);
            else
                json_object_set_new(q0, f, v);
        } else if (v) {
            json_object_set_new(b, key, v);
        } else {
            json_object_del(b, key);
        }
    }
    return b;
}

static void questionnaire(void)
{
    static const struct {
        const char *key, *value, *word;
    } bad[] = {
        {"title", "\"\"", "'title'"},
        {"title", NULL, "'title'"},
        {"kind", "\"happiness\"", "'kind'"},
        {"scope", "\"abc\"", "'scope'"},
        {"period_from", "\"2026-13-01\"", "'period_from'"},
        {"period_to", "\"2026-10-01\"", "'period_to'"},
        {"questions", "[]", "'questions'"},
        {"questions", "[{\"text\":\"是否满意\",\"kind\":\"yesno\"}]", "single-choice"},
        {"questions", "[1]", "'questions[0]'"},
        {"q.kind", "\"scale\"", "questions[0]"},
        {"q.text", "\"\"", "questions[0]"},
        {"q.options", "[{\"label\":\"好\",\"score\":1}]", "'questions[0].options'"},
        {"q.options.score", "101", "'questions[0].options[1].score'"},
        {"q.options.score", "\"80\"", "'questions[0].options[1].score'"},
        {"q.options.label", "\"很安全\"", "'questions[0].options[1].label'"},
        {"q.options.colour", "\"red\"", "colour"},
        {"q.key", "1", "'questions[0].key'"},
        {"nonsense", "1", "nonsense"},
    };
    struct wg_err err = {0};
    struct wg_survey_draft d;
    json_t *b = body_with(NULL, NULL);
    T_EQ_INT(wg_survey_read(b, 1, &d, &err), WG_OK);
    /* numbered, the first single the key, positive from the score unless given */
    const json_t *q0 = json_array_get(d.questions, 0);
    T_EQ_STR(json_string_value(json_object_get(q0, "id")), "q1");
    T_CHECK(json_is_true(json_object_get(q0, "key")));
    T_CHECK(json_is_true(
        json_object_get(json_array_get(json_object_get(q0, "options"), 1), "positive")));
    T_CHECK(json_is_false(
        json_object_get(json_array_get(json_object_get(q0, "options"), 2), "positive")));
    T_CHECK(json_is_false(json_object_get(json_array_get(d.questions, 2), "required")));
    /* answers against the questions */
    static const struct {
        const char *answers, *word;
    } answers[] = {
        {"{\"q1\":0,\"q2\":true}", NULL},
        {"{\"q1\":4,\"q2\":false,\"q3\":\"路灯坏了\"}", NULL},
        {"{\"q1\":5,\"q2\":true}", "'answers.q1'"},
        {"{\"q1\":\"很安全\",\"q2\":true}", "'answers.q1'"},
        {"{\"q2\":true}", "'answers.q1' is required"},
        {"{\"q1\":1,\"q2\":\"yes\"}", "'answers.q2'"},
        {"{\"q1\":1,\"q2\":true,\"q3\":7}", "'answers.q3'"},
        {"{\"q1\":1,\"q2\":true,\"q9\":7}", "'answers.q9'"},
        {"[1]", "'answers'"},
    };
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        json_t *a = json_loads(answers[i].answers, 0, NULL);
        enum wg_rc rc = wg_survey_answers_check(d.questions, a, &err);
        T_EQ_INT(rc, answers[i].word ? WG_EINVAL : WG_OK);
        if (answers[i].word && !strstr(err.msg, answers[i].word))
            fprintf(stderr, "answers %s: %s\n", answers[i].answers, err.msg);
        T_CHECK(!answers[i].word || strstr(err.msg, answers[i].word));
        json_decref(a);
    }
    json_decref(d.questions);
    json_decref(b);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        b = body_with(bad[i].key, bad[i].value);
        enum wg_rc rc = wg_survey_read(b, 1, &d, &err);
        T_EQ_INT(rc, WG_EINVAL);
        if (!strstr(err.msg, bad[i].word))
            fprintf(stderr, "%s: '%s' lacks %s\n", bad[i].key, err.msg, bad[i].word);
        T_CHECK(strstr(err.msg, bad[i].word) != NULL);
        T_CHECK(d.questions == NULL);
        json_decref(b);
    }
}

/* ---- a round on the store ---- */

struct racer {
    long long survey;
    int agent;
    long long got[200];
    int n;
    enum wg_rc rc;
};

static void *race(void *p)
{
    struct racer *r = p;
    struct wg_db *db = NULL;
    struct wg_err err = {0};
    struct wg_actor a;
    char name[16];
    snprintf(name, sizeof name, "dhy%d", r->agent);
    actor(&a, name, "agent", COUNTY);
    if ((r->rc = wg_store_get(st, &db, &err)))
        return NULL;
    for (;;) {
        json_t *out = NULL, *rec = NULL;
        long long call = 0;
        r->rc = wg_survey_call_next(db, &a, r->survey, 1780000000, &out, &call, &err);
        if (r->rc || !call) {
            json_decref(out);
            break;
        }
        r->got[r->n++] =
            json_integer_value(json_object_get(json_object_get(out, "call"), "sample"));
        json_decref(out);
        json_t *body = json_pack("{s:s}", "outcome", "refused");
        r->rc = wg_survey_call_record(db, &a, r->survey, call, body, 1780000001, &rec, &err);
        json_decref(body);
        json_decref(rec);
        if (r->rc || r->n == 200)
            break;
    }
    if (r->rc)
        fprintf(stderr, "agent %d: %s\n", r->agent, err.msg);
    wg_store_put(db);
    return NULL;
}

static int by_id(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static long long make_survey(struct wg_db *db, const struct wg_actor *sup)
{
    struct wg_err err = {0};
    long long id = 0;
    json_t *b = body_with(NULL, NULL);
    T_EQ_INT(wg_survey_create(db, sup, b, 1780000000, &id, &err), WG_OK);
    json_decref(b);
    return id;
}

static json_t *sample(struct wg_db *db, const struct wg_actor *sup, long long id, const char *body,
                      enum wg_rc want)
{
    struct wg_err err = {0};
    json_t *b = json_loads(body, 0, NULL), *out = NULL;
    enum wg_rc rc = wg_survey_sample(db, keys, sup, id, b, 1780000000, &out, &err);
    if (rc != want)
        fprintf(stderr, "sample %s: %s\n", body, err.msg);
    T_EQ_INT(rc, want);
    json_decref(b);
    return out;
}

static void act(struct wg_db *db, const struct wg_actor *sup, long long id, const char *action,
                enum wg_rc want)
{
    struct wg_err err = {0};
    json_t *v = NULL, *b = json_pack("{s:s}", "action", action);
    long long version = 0;
    T_EQ_INT(wg_survey_view(db, sup, id, &v, &version, &err), WG_OK);
    json_decref(v);
    T_EQ_INT(wg_survey_act(db, sup, id, version, b, 1780000000, &err), want);
    json_decref(b);
}

static void claim_race(struct wg_db *db, const struct wg_actor *sup)
{
    long long id = make_survey(db, sup);
    json_t *out = sample(db, sup, id, "{\"frame\":\"registry\",\"total\":120,\"seed\":5}", WG_OK);
    T_EQ_INT(json_integer_value(json_object_get(out, "drawn")), 120);
    json_decref(out);
    act(db, sup, id, "open", WG_OK);
    struct racer r[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        memset(&r[i], 0, sizeof r[i]);
        r[i].survey = id, r[i].agent = i + 1;
        T_EQ_INT(pthread_create(&th[i], NULL, race, &r[i]), 0);
    }
    int total = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        T_EQ_INT(r[i].rc, WG_OK);
        total += r[i].n;
    }
    T_EQ_INT(total, 120); /* every number once, none twice */
    long long all[480];
    int n = 0, twice = 0;
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < r[i].n; k++)
            all[n++] = r[i].got[k];
    qsort(all, (size_t)n, sizeof all[0], by_id);
    for (int i = 1; i < n; i++)
        twice += all[i] == all[i - 1];
    T_EQ_INT(twice, 0);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM survey_call WHERE survey = %lld", id);
    T_EQ_INT(t_store_one(t_store_dir, sql), 120);
}

static long long next_call(struct wg_db *db, const struct wg_actor *a, long long id, long long now,
                           long long *sample_id)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    long long call = 0;
    T_EQ_INT(wg_survey_call_next(db, a, id, now, &out, &call, &err), WG_OK);
    if (sample_id)
        *sample_id = json_integer_value(json_object_get(json_object_get(out, "call"), "sample"));
    json_decref(out);
    return call;
}

static enum wg_rc record(struct wg_db *db, const struct wg_actor *a, long long id, long long call,
                         const char *body, long long now)
{
    struct wg_err err = {0};
    json_t *b = json_loads(body, 0, NULL), *out = NULL;
    enum wg_rc rc = wg_survey_call_record(db, a, id, call, b, now, &out, &err);
    json_decref(b);
    json_decref(out);
    return rc;
}

static void calls(struct wg_db *db, long long id);

static void round_trip(struct wg_db *db)
{
    struct wg_err err = {0};
    struct wg_actor sup, a1, a2, other;
    actor(&sup, "zhangjd", "supervisor", COUNTY);
    actor(&a1, "dhy1", "agent", COUNTY);
    actor(&a2, "dhy2", "agent", COUNTY);
    actor(&other, "liuqing", "supervisor", "371303");
    long long id = make_survey(db, &sup), version = 0, now = 1780000000;
    json_t *v = NULL, *out;
    /* outside the scope: as if missing */
    T_EQ_INT(wg_survey_view(db, &other, id, &v, &version, &err), WG_ENOTFOUND);
    T_EQ_INT(wg_survey_view(db, &sup, id, &v, &version, &err), WG_OK);
    json_decref(v);
    /* a draft changes under its version; a stale version is refused */
    json_t *edit = body_with("scope", NULL);
    json_object_set_new(edit, "title", json_string("2026年第6期群众安全感满意度电话调查"));
    T_EQ_INT(wg_survey_update(db, &sup, id, version + 1, edit, now, &err), WG_ECONFLICT);
    T_EQ_INT(wg_survey_update(db, &sup, id, version, edit, now, &err), WG_OK);
    /* opened only with a sample */
    act(db, &sup, id, "open", WG_ECONFLICT);
    /* 100 + 20 + 10 persons, ten sharing their phone with another: 120 phones */
    out = sample(db, &sup, id, "{\"frame\":\"registry\",\"per_town\":15,\"seed\":2026}", WG_OK);
    T_EQ_INT(json_integer_value(json_object_get(out, "frame_size")), 130);
    T_EQ_INT(json_integer_value(json_object_get(out, "unique")), 120);
    T_EQ_INT(json_integer_value(json_object_get(out, "drawn")), 15 + 15 + 10);
    json_decref(out);
    T_EQ_INT(t_store_one(t_store_dir,
                         "SELECT COUNT(DISTINCT phone_blind) FROM survey_sample WHERE survey = 2"),
             40);
    /* the same seed draws the same phones */
    long long before = t_store_one(t_store_dir, "SELECT SUM(id * 0 + length(phone_mask)) FROM "
                                                "survey_sample WHERE survey = 2");
    out = sample(db, &sup, id, "{\"frame\":\"registry\",\"per_town\":15,\"seed\":2026}", WG_OK);
    json_decref(out);
    T_EQ_INT(t_store_one(t_store_dir, "SELECT SUM(id * 0 + length(phone_mask)) FROM "
                                      "survey_sample WHERE survey = 2"),
             before);
    /* bad sample bodies */
    sample(db, &sup, id, "{\"frame\":\"census\",\"total\":5}", WG_EINVAL);
    sample(db, &sup, id, "{\"frame\":\"registry\"}", WG_EINVAL);
    sample(db, &sup, id, "{\"frame\":\"registry\",\"total\":5,\"per_town\":5}", WG_EINVAL);
    sample(db, &sup, id, "{\"frame\":\"registry\",\"total\":5,\"days\":5}", WG_EINVAL);
    /* the list: masked phones, counts per town */
    T_EQ_INT(wg_survey_sample_list(db, &sup, id, NULL, "100", NULL, &out, &err), WG_OK);
    json_t *towns = json_object_get(out, "towns");
    T_EQ_INT((long long)json_array_size(towns), 3);
    T_EQ_INT(json_integer_value(json_object_get(json_array_get(towns, 2), "drawn")), 10);
    const char *masked = json_string_value(
        json_object_get(json_array_get(json_object_get(out, "numbers"), 0), "phone"));
    T_CHECK(masked && strstr(masked, "****") && strlen(masked) == 11);
    json_decref(out);
    act(db, &sup, id, "open", WG_OK);
    T_EQ_INT(wg_survey_update(db, &sup, id, version + 2, edit, now, &err), WG_ECONFLICT);
    json_decref(edit);
    calls(db, id);
}

/* Survey id's calls by two agents, then its results from the answers recorded. */
static void calls(struct wg_db *db, long long id)
{
    struct wg_err err = {0};
    struct wg_actor sup, a1, a2;
    long long now = 1780000000;
    json_t *out;
    actor(&sup, "zhangjd", "supervisor", COUNTY);
    actor(&a1, "dhy1", "agent", COUNTY);
    actor(&a2, "dhy2", "agent", COUNTY);

    /* two agents get two numbers; the same agent asking again keeps its own */
    long long s1 = 0, s2 = 0;
    long long c1 = next_call(db, &a1, id, now, &s1), c2 = next_call(db, &a2, id, now, &s2);
    T_CHECK(c1 && c2 && c1 != c2 && s1 != s2);
    T_EQ_INT(next_call(db, &a1, id, now + 5, NULL), c1);
    /* the phone for its holder alone, while the claim holds */
    char *phone = NULL;
    T_EQ_INT(wg_survey_call_reveal(db, keys, &a2, id, c1, now, &phone, &err), WG_EFORBIDDEN);
    T_EQ_INT(wg_survey_call_reveal(db, keys, &a1, id, c1, now, &phone, &err), WG_OK);
    T_CHECK(phone && strlen(phone) == 11 && !strncmp(phone, "13", 2));
    wg_pii_wipe(phone);
    phone = NULL;
    T_EQ_INT(wg_survey_call_reveal(db, keys, &a1, id, c1, now + WG_SURVEY_CLAIM_SECONDS + 1, &phone,
                                   &err),
             WG_ECONFLICT);
    /* answers checked, the outcome recorded once */
    T_EQ_INT(record(db, &a1, id, c1, "{\"outcome\":\"reached\",\"answers\":{\"q1\":9}}", now),
             WG_EINVAL);
    T_EQ_INT(record(db, &a1, id, c1, "{\"outcome\":\"refused\",\"answers\":{\"q1\":1}}", now),
             WG_EINVAL);
    T_EQ_INT(record(db, &a2, id, c1, "{\"outcome\":\"refused\"}", now), WG_EFORBIDDEN);
    T_EQ_INT(record(db, &a1, id, c1, "{\"outcome\":\"reached\",\"answers\":{\"q1\":0,\"q2\":true}}",
                    now),
             WG_OK);
    T_EQ_INT(record(db, &a1, id, c1, "{\"outcome\":\"refused\"}", now), WG_ECONFLICT);
    /* no answer: back in the queue until the third attempt */
    T_EQ_INT(record(db, &a2, id, c2, "{\"outcome\":\"no_answer\"}", now), WG_OK);
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT attempts FROM survey_sample WHERE id = %lld AND state = "
             "'pending'",
             s2);
    T_EQ_INT(t_store_one(t_store_dir, sql), 1);

    /* a claim that ran out: another agent takes the number and the first call lapses */
    long long s3 = 0, c3 = next_call(db, &a1, id, now, &s3);
    long long late = now + WG_SURVEY_CLAIM_SECONDS + 60;
    /* a2 answers every number it is given until it gets s3 back */
    long long s4 = 0, c4 = 0;
    int guard = 0;
    for (;;) {
        c4 = next_call(db, &a2, id, late, &s4);
        T_CHECK(c4 > 0);
        if (s4 == s3 || ++guard > 60 || !c4)
            break;
        T_EQ_INT(record(db, &a2, id, c4,
                        "{\"outcome\":\"reached\",\"answers\":{\"q1\":1,\"q2\":false}}", late),
                 WG_OK);
    }
    T_EQ_INT(s4, s3);
    T_EQ_INT(record(db, &a1, id, c3, "{\"outcome\":\"refused\"}", late), WG_ECONFLICT);
    T_EQ_INT(record(db, &a2, id, c4,
                    "{\"outcome\":\"reached\",\"answers\":{\"q1\":3,\"q2\":false}}", late),
             WG_OK);
    /* the number with no answer once: two more no answers settle it */
    for (int k = 0; k < 2; k++) {
        long long s = 0, c = 0;
        while ((c = next_call(db, &a1, id, late, &s)) && s != s2)
            T_EQ_INT(record(db, &a1, id, c, "{\"outcome\":\"busy\"}", late), WG_OK);
        T_EQ_INT(s, s2);
        T_EQ_INT(record(db, &a1, id, c, "{\"outcome\":\"no_answer\"}", late), WG_OK);
    }
    snprintf(sql, sizeof sql,
             "SELECT attempts FROM survey_sample WHERE id = %lld AND state = "
             "'done' AND outcome = 'no_answer'",
             s2);
    T_EQ_INT(t_store_one(t_store_dir, sql), 3);

    /* results: from the answers recorded */
    long long reached = t_store_one(
        t_store_dir, "SELECT COUNT(*) FROM survey_call WHERE survey = 2 AND outcome = 'reached'");
    long long positive =
        t_store_one(t_store_dir, "SELECT COUNT(*) FROM survey_call WHERE survey = 2 AND "
                                 "outcome = 'reached' AND answers NOT LIKE '%\"q1\":3%'");
    T_EQ_INT(wg_survey_results(db, &sup, id, "1", &out, &err), WG_OK);
    json_t *dist = json_object_get(out, "district");
    T_EQ_INT(json_integer_value(json_object_get(dist, "n")), reached);
    T_EQ_INT(json_integer_value(json_object_get(dist, "positive")), positive);
    double lo, hi;
    wg_survey_wilson(positive, reached, &lo, &hi);
    T_NEAR(json_real_value(json_object_get(dist, "ci_low")), lo, 0.0001);
    T_NEAR(json_real_value(json_object_get(dist, "ci_high")), hi, 0.0001);
    T_EQ_INT((long long)json_array_size(json_object_get(out, "towns")), 3);
    json_t *q1 = json_array_get(json_object_get(out, "questions"), 0);
    T_EQ_INT(json_integer_value(json_object_get(q1, "answered")), reached);
    json_decref(out);
    /* with min above every town's answers nothing is ranked */
    T_EQ_INT(wg_survey_results(db, &sup, id, "1000", &out, &err), WG_OK);
    T_EQ_INT((long long)json_array_size(json_object_get(out, "ranking")), 0);
    T_EQ_INT((long long)json_array_size(json_object_get(out, "too_few")), 3);
    json_decref(out);
    T_EQ_INT(wg_survey_results(db, &sup, id, "0", &out, &err), WG_EINVAL);
    char *csv = NULL;
    size_t len = 0;
    T_EQ_INT(wg_survey_results_csv(db, &sup, id, "1", &csv, &len, &err), WG_OK);
    T_CHECK(len > 10 && strstr(csv, "区县") && strstr(csv, "兰山街道"));
    free(csv);
    /* redrawn never once called */
    sample(db, &sup, id, "{\"frame\":\"registry\",\"total\":10}", WG_ECONFLICT);
    act(db, &sup, id, "close", WG_OK);
    T_EQ_INT(wg_survey_call_next(db, &a1, id, late, &out, &c1, &err), WG_ECONFLICT);
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_db *db = NULL;
    wilson();
    sampler();
    questionnaire();

    st = t_store_open("surveys");
    if ((wg_pii_keys_create(t_store_dir, &err) && err.rc != WG_ECONFLICT) ||
        wg_pii_keys_load(t_store_dir, &keys, &err)) {
        fprintf(stderr, "keys: %s\n", err.msg);
        return 1;
    }
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    t_add_region(db, COUNTY, "兰山区", "county");
    t_add_region(db, T1, "兰山街道", "town");
    t_add_region(db, T2, "柳青街道", "town");
    t_add_region(db, T3, "白沙埠镇", "town");
    const char *grids[] = {"371302001001001", "371302001002001", "371302002001001",
                           "371302003001001"};
    for (size_t i = 0; i < 4; i++)
        t_add_grid(db, grids[i]);
    int k = 0;
    char phone[16];
    for (int i = 0; i < 60; i++) { /* 30 in town 1, 20 in town 2, 10 in town 3 */
        const char *g = i < 30 ? grids[i % 2] : i < 50 ? grids[2] : grids[3];
        /* persons 20..29 share a phone with persons 0..9 */
        snprintf(phone, sizeof phone, "139%08d", i >= 20 && i < 30 ? i - 20 : i);
        add_person(db, ++k, g, phone);
    }
    struct wg_actor sup;
    actor(&sup, "zhangjd", "supervisor", COUNTY);
    /* survey 1: the race; survey 2: the round */
    wg_store_put(db);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    {
        /* 60 more persons so the race has 120 phones (town 1) */
        for (int i = 0; i < 70; i++) {
            snprintf(phone, sizeof phone, "138%08d", i);
            add_person(db, ++k, grids[i % 2], phone);
        }
    }
    claim_race(db, &sup);
    round_trip(db);
    wg_store_put(db);
    t_store_close(st);
    wg_pii_keys_free(keys);
    return T_DONE("surveys");
}
