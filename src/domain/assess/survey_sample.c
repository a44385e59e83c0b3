/* The sample of a telephone survey (survey.h): the frame's phones in the survey's scope,
 * each once by its blind index, stratified by town with per-town or proportional numbers,
 * drawn reproducibly from a seed; each phone drawn sealed again under the survey's own
 * context with its masked form beside it. */
#include "domain/assess/survey.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/jfield.h"
#include "domain/accounts/pii.h"

/* SplitMix64 (Steele, Lea, Flood 2014): small, fast, and the same on every platform. */
static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A uniform integer below n (n > 0), without modulo bias. */
static size_t below(uint64_t *s, size_t n)
{
    uint64_t limit = UINT64_MAX - UINT64_MAX % n, v;
    do
        v = splitmix(s);
    while (v >= limit);
    return (size_t)(v % n);
}

static int by_blind(const void *a, const void *b)
{
    const struct wg_survey_unit *x = a, *y = b;
    int c = strcmp(x->blind, y->blind);
    if (!c)
        c = strcmp(x->grid, y->grid);
    if (!c)
        c = x->id < y->id ? -1 : x->id > y->id;
    return c;
}

static int by_town(const void *a, const void *b)
{
    const struct wg_survey_unit *x = a, *y = b;
    int c = strncmp(x->grid, y->grid, 9);
    if (!c)
        c = strcmp(x->blind, y->blind);
    return c;
}

struct stratum {
    size_t first, size, take;
    double rest;
};

/* Largest remainders: total shared in proportion to the sizes, never above one. */
static void allocate(struct stratum *st, size_t ns, size_t all, long long total)
{
    size_t given = 0;
    if ((size_t)total >= all) {
        for (size_t i = 0; i < ns; i++)
            st[i].take = st[i].size;
        return;
    }
    for (size_t i = 0; i < ns; i++) {
        double q = (double)total * (double)st[i].size / (double)all;
        st[i].take = (size_t)q;
        st[i].rest = q - (double)st[i].take;
        given += st[i].take;
    }
    while (given < (size_t)total) {
        size_t best = ns;
        for (size_t i = 0; i < ns; i++)
            if (st[i].take < st[i].size && (best == ns || st[i].rest > st[best].rest))
                best = i;
        if (best == ns)
            break;
        st[best].take++;
        st[best].rest = -1.0;
        given++;
    }
}

enum wg_rc wg_survey_draw(struct wg_survey_unit *units, size_t n, long long per_town,
                          long long total, uint64_t seed, size_t **chosen, size_t *nchosen,
                          size_t *kept, struct wg_err *err)
{
    size_t m = 0, ns = 0, out = 0;
    struct stratum *st;
    *chosen = NULL, *nchosen = 0, *kept = 0;
    if ((per_town > 0) == (total > 0))
        return wg_err_set(err, WG_EINVAL, "one of 'per_town' and 'total' is required");
    qsort(units, n, sizeof *units, by_blind);
    for (size_t i = 0; i < n; i++)
        if (!m || strcmp(units[m - 1].blind, units[i].blind))
            units[m++] = units[i];
    *kept = m;
    qsort(units, m, sizeof *units, by_town);
    st = wg_calloc(m ? m : 1, sizeof *st);
    for (size_t i = 0; i < m; i++) {
        if (!i || strncmp(units[i - 1].grid, units[i].grid, 9))
            st[ns++].first = i;
        st[ns - 1].size++;
    }
    if (per_town > 0)
        for (size_t i = 0; i < ns; i++)
            st[i].take = st[i].size < (size_t)per_town ? st[i].size : (size_t)per_town;
    else
        allocate(st, ns, m, total);
    size_t want = 0;
    for (size_t i = 0; i < ns; i++)
        want += st[i].take;
    if (want > WG_SURVEY_SAMPLE_MAX) {
        free(st);
        return wg_err_set(err, WG_ETOOBIG,
                          "the sample would hold %zu numbers; at most %d are "
                          "drawn",
                          want, WG_SURVEY_SAMPLE_MAX);
    }
    *chosen = wg_calloc(want ? want : 1, sizeof **chosen);
    uint64_t s = seed;
    for (size_t i = 0; i < ns; i++) {
        size_t *idx = wg_calloc(st[i].size, sizeof *idx);
        for (size_t k = 0; k < st[i].size; k++)
            idx[k] = st[i].first + k;
        for (size_t k = 0; k < st[i].take; k++) {
            size_t j = k + below(&s, st[i].size - k), t = idx[k];
            idx[k] = idx[j], idx[j] = t;
            (*chosen)[out++] = idx[k];
        }
        free(idx);
    }
    *nchosen = out;
    free(st);
    return WG_OK;
}

/* ---- the store's side ---- */

struct frame {
    struct wg_survey_unit *u;
    size_t n, cap;
    int over;
};

static int on_unit(long long id, const char *grid, const char *blind, void *ctx)
{
    struct frame *f = ctx;
    if (!grid || strlen(grid) < 9 || strlen(grid) >= sizeof f->u->grid || !blind ||
        strlen(blind) >= sizeof f->u->blind)
        return 0;
    if (f->n == f->cap) {
        if (f->cap >= WG_SURVEY_FRAME_MAX) {
            f->over = 1;
            return 1;
        }
        f->cap = f->cap ? f->cap * 2 : 1024;
        f->u = wg_realloc(f->u, f->cap * sizeof *f->u);
    }
    struct wg_survey_unit *u = &f->u[f->n++];
    u->id = id;
    snprintf(u->grid, sizeof u->grid, "%s", grid);
    snprintf(u->blind, sizeof u->blind, "%s", blind);
    return 0;
}

static const char *const frames[] = {"registry", "orders", NULL};

struct sample_args {
    const char *frame;
    long long per_town, total, seed, days;
};

static enum wg_rc whole(const json_t *body, const char *field, long long lo, long long hi,
                        long long *out, struct wg_err *err)
{
    const json_t *v = json_object_get(body, field);
    if (!v || json_is_null(v))
        return WG_OK;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return wg_err_set(err, WG_EINVAL, "'%s' is a whole number from %lld to %lld", field, lo,
                          hi);
    *out = json_integer_value(v);
    return WG_OK;
}

static enum wg_rc args_read(const json_t *body, long long now, struct sample_args *a,
                            struct wg_err *err)
{
    enum wg_rc rc;
    memset(a, 0, sizeof *a);
    a->seed = -1, a->days = 60;
    if (!json_is_object(body))
        return wg_err_set(err, WG_EINVAL, "the body of a sample is a JSON object");
    if ((rc = wg_jf_known(body, wg_survey_sample_fields, "a sample", err)) ||
        (rc = wg_jf_one_of(body, "frame", frames, NULL, &a->frame, err)) ||
        (rc = whole(body, "per_town", 1, 10000, &a->per_town, err)) ||
        (rc = whole(body, "total", 1, 100000, &a->total, err)) ||
        (rc = whole(body, "seed", 0, 2147483647, &a->seed, err)) ||
        (rc = whole(body, "days", 1, 365, &a->days, err)))
        return rc;
    if ((a->per_town > 0) == (a->total > 0))
        return wg_err_set(err, WG_EINVAL, "one of 'per_town' and 'total' is required");
    if (strcmp(a->frame, "orders") && json_object_get(body, "days"))
        return wg_err_set(err, WG_EINVAL, "'days' is only for the orders frame");
    if (a->seed < 0)
        a->seed = (now * 2654435761LL) & 0x7fffffff;
    return WG_OK;
}

/* The phone of unit u sealed for the survey, with its mask. */
static enum wg_rc reseal(struct wg_db *db, const struct wg_pii_keys *keys, const char *frame,
                         const struct wg_survey_unit *u, char **sealed, char mask[24],
                         struct wg_err *err)
{
    char *src = NULL, *clear = NULL;
    enum wg_rc rc = wg_store_survey_frame_phone(db, frame, u->id, &src, err);
    *sealed = NULL;
    if (!rc && !*src)
        rc = wg_err_set(err, WG_EDB, "%s %lld has no phone", frame, u->id);
    if (!rc)
        rc = wg_pii_decrypt(keys, src,
                            strcmp(frame, "orders") ? "person.phone" : "order.reporter_phone",
                            &clear, err);
    if (!rc) {
        wg_pii_mask_phone(clear, mask, 24);
        rc = wg_pii_encrypt(keys, clear, "survey.phone", sealed, err);
    }
    wg_pii_wipe(clear);
    free(src);
    return rc;
}

static json_t *towns_json(struct wg_db *db, struct wg_survey_unit *u, size_t m,
                          const size_t *chosen, size_t nc)
{
    json_t *a = json_array();
    for (size_t i = 0; i < m;) {
        size_t j = i;
        long long drawn = 0;
        char code[16], name[128];
        while (j < m && !strncmp(u[j].grid, u[i].grid, 9))
            j++;
        for (size_t k = 0; k < nc; k++)
            drawn += chosen[k] >= i && chosen[k] < j;
        snprintf(code, sizeof code, "%.9s", u[i].grid);
        wg_survey_place_name(db, code, name, sizeof name);
        json_array_append_new(a, json_pack("{s:s,s:s,s:I,s:I}", "code", code, "name", name, "frame",
                                           (json_int_t)(j - i), "drawn", (json_int_t)drawn));
        i = j;
    }
    return a;
}

static enum wg_rc draw(struct wg_db *db, const struct wg_pii_keys *keys, const struct wg_actor *a,
                       const struct wg_survey *s, const struct sample_args *args, long long now,
                       json_t **out, struct wg_err *err)
{
    struct frame f = {0};
    char lo[32], hi[40], since[32];
    size_t *chosen = NULL, nc = 0, kept = 0;
    enum wg_rc rc;
    wg_survey_prefix(a, s->row.scope, lo);
    snprintf(hi, sizeof hi, "%s~", lo);
    wg_clock_iso(now - args->days * 86400, since);
    rc = wg_store_survey_frame(db, args->frame, lo, hi, since, on_unit, &f, err);
    if (!rc && f.over)
        rc = wg_err_set(err, WG_ETOOBIG, "the frame holds more than %d phones: draw it by town",
                        WG_SURVEY_FRAME_MAX);
    size_t all = f.n;
    if (!rc)
        rc = wg_survey_draw(f.u, f.n, args->per_town, args->total, (uint64_t)args->seed, &chosen,
                            &nc, &kept, err);
    if (!rc && !nc)
        rc = wg_err_set(err, WG_EINVAL, "'frame': no phone of the %s lies in %s", args->frame,
                        s->row.scope);
    if (!rc)
        rc = wg_store_survey_sample_clear(db, s->row.id, err);
    for (size_t i = 0; !rc && i < nc; i++) {
        const struct wg_survey_unit *u = &f.u[chosen[i]];
        struct wg_survey_sample_row r;
        char *sealed = NULL;
        memset(&r, 0, sizeof r);
        r.survey = s->row.id;
        snprintf(r.town, sizeof r.town, "%.9s", u->grid);
        snprintf(r.village, sizeof r.village, "%.12s", u->grid);
        snprintf(r.grid, sizeof r.grid, "%s", u->grid);
        snprintf(r.phone_blind, sizeof r.phone_blind, "%s", u->blind);
        rc = reseal(db, keys, args->frame, u, &sealed, r.phone_mask, err);
        r.phone = sealed;
        if (!rc)
            rc = wg_store_survey_sample_insert(db, &r, err);
        free(sealed);
    }
    if (!rc)
        rc = wg_store_survey_sampled(db, s->row.id, args->frame, args->seed, now, err);
    if (!rc)
        *out = json_pack("{s:I,s:s,s:I,s:I,s:I,s:I,s:o}", "survey", (json_int_t)s->row.id, "frame",
                         args->frame, "seed", (json_int_t)args->seed, "frame_size", (json_int_t)all,
                         "unique", (json_int_t)kept, "drawn", (json_int_t)nc, "towns",
                         towns_json(db, f.u, kept, chosen, nc));
    free(chosen);
    free(f.u);
    return rc;
}

enum wg_rc wg_survey_sample(struct wg_db *db, const struct wg_pii_keys *keys,
                            const struct wg_actor *actor, long long id, const json_t *body,
                            long long now, json_t **out, struct wg_err *err)
{
    struct wg_survey s;
    struct sample_args args;
    long long calls = 0;
    int own = !wg_db_in_tx(db);
    enum wg_rc rc = args_read(body, now, &args, err);
    *out = NULL;
    if (rc)
        return rc;
    if (own && (rc = wg_db_begin(db, err)))
        return rc;
    rc = wg_survey_load(db, actor, id, &s, err);
    if (!rc) {
        if (!strcmp(s.row.state, "closed"))
            rc = wg_err_set(err, WG_ECONFLICT, "survey %lld is closed", id);
        else if (!(rc = wg_store_survey_calls_made(db, id, &calls, err)) && calls)
            rc = wg_err_set(err, WG_ECONFLICT,
                            "survey %lld's sample was called already (%lld calls): it is not "
                            "drawn again",
                            id, calls);
        if (!rc)
            rc = draw(db, keys, actor, &s, &args, now, out, err);
        wg_survey_unload(&s);
    }
    if (own && !rc)
        rc = wg_db_commit(db, err);
    if (own && rc)
        wg_db_rollback(db);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

struct listing {
    struct wg_db *db;
    json_t *list;
    long long last;
    char names[64][2][128]; /* a small cache of town names */
    int nnames;
};

static const char *town_name(struct listing *l, const char *code)
{
    for (int i = 0; i < l->nnames; i++)
        if (!strcmp(l->names[i][0], code))
            return l->names[i][1];
    int i = l->nnames < 64 ? l->nnames++ : 63;
    snprintf(l->names[i][0], sizeof l->names[i][0], "%s", code);
    wg_survey_place_name(l->db, code, l->names[i][1], sizeof l->names[i][1]);
    return l->names[i][1];
}

static int on_number(const struct wg_survey_sample_row *r, void *ctx)
{
    struct listing *l = ctx;
    json_array_append_new(
        l->list, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)r->id, "town",
                           r->town, "town_name", town_name(l, r->town), "village", r->village,
                           "grid", r->grid, "phone", r->phone_mask, "state", r->state, "attempts",
                           (json_int_t)r->attempts, "outcome", r->outcome));
    l->last = r->id;
    return 0;
}

static int on_town(const char *town, long long n, long long done, void *ctx)
{
    struct listing *l = ctx;
    json_array_append_new(l->list,
                          json_pack("{s:s,s:s,s:I,s:I}", "code", town, "name", town_name(l, town),
                                    "drawn", (json_int_t)n, "done", (json_int_t)done));
    return 0;
}

enum wg_rc wg_survey_sample_list(struct wg_db *db, const struct wg_actor *actor, long long id,
                                 const char *town, const char *limit, const char *cursor,
                                 json_t **out, struct wg_err *err)
{
    struct wg_survey s;
    long long lim = 100, after = 0;
    char *end = NULL;
    enum wg_rc rc;
    *out = NULL;
    if (limit && *limit) {
        lim = strtoll(limit, &end, 10);
        if (*end || lim < 1 || lim > 500)
            return wg_err_set(err, WG_EINVAL, "'limit' is a whole number from 1 to 500");
    }
    if (cursor && *cursor) {
        after = strtoll(cursor, &end, 10);
        if (*end || after < 1)
            return wg_err_set(err, WG_EINVAL, "'cursor' is the last id of the page before");
    }
    if (town && *town && (strlen(town) != 9 || strspn(town, "0123456789") != 9))
        return wg_err_set(err, WG_EINVAL, "'town' is a town's code of 9 digits");
    if ((rc = wg_survey_load(db, actor, id, &s, err)))
        return rc;
    wg_survey_unload(&s);
    struct listing *l = wg_calloc(1, sizeof *l);
    l->db = db;
    *out = json_pack("{s:I,s:[],s:[],s:n}", "survey", (json_int_t)id, "towns", "numbers",
                     "next_cursor");
    l->list = json_object_get(*out, "towns");
    rc = wg_store_survey_sample_towns(db, id, on_town, l, err);
    l->list = json_object_get(*out, "numbers");
    if (!rc)
        rc = wg_store_survey_sample_page(db, id, town, after, (int)lim, on_number, l, err);
    if (!rc && (long long)json_array_size(l->list) == lim)
        json_object_set_new(*out, "next_cursor", json_integer(l->last));
    free(l);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}
