/* The registry at a province's scale: a SQLite store of N persons (10,000,000 by default;
 * --persons N) made through the registry's write path — wg_person_create for every person,
 * sealed and blind-indexed, in transactions of 2,000 — in 4,000 grids, with a building for
 * every 25 persons (standard addresses on made-up roads, the address search's bigram index
 * kept by the store's writes). Then each read the users make is timed as the API answers it:
 * a person by ID number and by phone (wg_person_list), a grid's first page of persons, the
 * address search (wg_address_search) for a word no address holds, a road's name and a
 * building's name; each against the plain SQLite query of the same thing over the same table
 * without index help (NOT INDEXED). Ratio: the registry's time ÷ the plain query's (below 1:
 * the registry is faster), both as the CPU time of the thread; the goal for each is
 * printed beside it. The visits due of the whole store (every grid: a district's list), first
 * page, against the plain query of the persons with a group, by grid. Options: --persons N, --keep
 * (the data directory), --store DIR (time a store kept before instead of building). */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/rng.h"
#include "domain/accounts/pii_keys.h"
#include "domain/registry/address.h"
#include "domain/registry/person.h"
#include "domain/registry/sample.h"
#include "domain/registry/visit.h"
#include "store/map/map_q.h"
#include "store/registry/places_q.h"
#include "store/store.h"

#define BATCH        2000
#define GRIDS        4000
#define PER_BUILDING 25

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *what, const struct wg_err *err)
{
    fprintf(stderr, "persons: %s: %s\n", what, err ? err->msg : "");
    exit(1);
}

static void grid_code(long i, char *out, size_t n)
{
    /* 371302 + town (3) + village (3) + grid (3) */
    snprintf(out, n, "371302%03ld%03ld%03ld", 1 + i / 400, 1 + i / 20 % 20, 1 + i % 20);
}

static void make_grids(struct wg_db *db)
{
    struct wg_err err = {0};
    if (wg_db_begin(db, &err))
        die("begin", &err);
    for (long i = 0; i < GRIDS; i++) {
        struct wg_grid_row g;
        double x = 118.2 + (i % 64) * 0.004, y = 35.0 + (i / 64) * 0.004;
        char geo[256];
        memset(&g, 0, sizeof g);
        grid_code(i, g.code, sizeof g.code);
        g.version = 1;
        snprintf(g.name, sizeof g.name, "第%ld网格", i % 20 + 1);
        snprintf(g.kind, sizeof g.kind, "base");
        snprintf(g.village, sizeof g.village, "%.12s", g.code);
        g.households = g.population = -1;
        snprintf(g.crs, sizeof g.crs, "wgs84");
        g.minx = x, g.miny = y, g.maxx = x + 0.004, g.maxy = y + 0.004;
        snprintf(geo, sizeof geo,
                 "{\"type\":\"Polygon\",\"coordinates\":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],"
                 "[%f,%f]]]}",
                 x, y, x + 0.004, y, x + 0.004, y + 0.004, x, y + 0.004, x, y);
        g.geometry = geo;
        snprintf(g.valid_from, sizeof g.valid_from, "2026-01-01T00:00:00Z");
        if (wg_store_grid_insert(db, &g, &err))
            die("grid", &err);
    }
    if (wg_db_commit(db, &err))
        die("commit", &err);
}

static const char *const roads[] = {"沂蒙路", "金雀山路", "银雀山路", "解放路", "兰山路",
                                    "北京路", "上海路",   "通达路",   "新华路", "启阳路"};

static void building(struct wg_db *db, long k, long long now)
{
    struct wg_building_row b;
    struct wg_err err = {0};
    memset(&b, 0, sizeof b);
    snprintf(b.code, sizeof b.code, "B%08ld", k);
    snprintf(b.name, sizeof b.name, "%s小区%ld号楼", roads[k % 10], k % 97 + 1);
    grid_code(k % GRIDS, b.grid, sizeof b.grid);
    snprintf(b.address, sizeof b.address, "兰山区第%ld街道%s%ld号%ld号楼", k % 11 + 1,
             roads[k / 10 % 10], k / 100 % 2000 + 1, k % 97 + 1);
    b.floors = 6;
    snprintf(b.use, sizeof b.use, "residential");
    b.created_at = b.updated_at = now;
    if (wg_store_building_insert(db, &b, &err))
        die("building", &err);
}

/* Persons, and every 1,000th person's ID number and phone kept for the lookups. */
struct probe {
    char id[32][24], phone[32][16];
    int n;
};

static void build(struct wg_db *db, const struct wg_pii_keys *keys, long long n, struct probe *pr)
{
    struct wg_err err = {0};
    uint64_t s = 20261206;
    long long now = (long long)time(NULL), made = 0;
    double t0 = now_s();
    make_grids(db);
    if (wg_db_set_durable(db, 0, &err))
        die("bulk", &err);
    while (made < n) {
        if (wg_db_begin(db, &err))
            die("begin", &err);
        for (int i = 0; i < BATCH && made < n; i++) {
            struct wg_sample_who w = {0, 90, -1, 0, (int)(made % 7 == 0), 3, 0};
            struct wg_person p = {0};
            wg_sample_person(&s, &w, now, &p);
            grid_code((long)(made % GRIDS), p.grid, sizeof p.grid);
            enum wg_rc rc = wg_person_create(db, keys, NULL, &p, now, &err);
            if (rc == WG_ECONFLICT) { /* an invented ID met again */
                wg_person_release(&p);
                continue;
            }
            if (rc)
                die("person", &err);
            if (made % 1000 == 0 && pr->n < 32 && p.phone[0]) {
                snprintf(pr->id[pr->n], sizeof pr->id[0], "%s", p.id_number);
                snprintf(pr->phone[pr->n], sizeof pr->phone[0], "%s", p.phone);
                pr->n++;
            }
            if (made % PER_BUILDING == 0)
                building(db, (long)(made / PER_BUILDING), now);
            wg_person_release(&p);
            made++;
        }
        if (wg_db_commit(db, &err))
            die("commit", &err);
        if (made % 500000 < BATCH)
            fprintf(stderr, "persons: %lld made, %.0f/s\n", made, made / (now_s() - t0));
    }
    if (wg_db_set_durable(db, 1, &err))
        die("durable", &err);
    printf("persons: built %lld persons and %lld buildings in %.0f s (%.0f persons/s)\n", made,
           made / PER_BUILDING + 1, now_s() - t0, made / (now_s() - t0));
}

/* The best CPU time of reps calls of one read. */
typedef void (*read_fn)(struct wg_db *db, const struct wg_pii_keys *keys, const void *arg,
                        size_t *found);

static double best_of(int reps, read_fn fn, struct wg_db *db, const struct wg_pii_keys *keys,
                      const void *arg, size_t *found)
{
    double best = 1e9;
    for (int r = 0; r < reps; r++) {
        double t = cpu_s();
        fn(db, keys, arg, found);
        t = cpu_s() - t;
        best = t < best ? t : best;
    }
    return best;
}

static void list(struct wg_db *db, const struct wg_pii_keys *keys, const struct wg_person_query *q,
                 size_t *found)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    if (wg_person_list(db, keys, NULL, q, 0, &out, &err))
        die("list", &err);
    *found = json_array_size(json_object_get(out, "persons"));
    json_decref(out);
}

static void by_id(struct wg_db *db, const struct wg_pii_keys *keys, const void *arg, size_t *found)
{
    struct wg_person_query q = {.id_number = arg};
    list(db, keys, &q, found);
}

static void by_phone(struct wg_db *db, const struct wg_pii_keys *keys, const void *arg,
                     size_t *found)
{
    struct wg_person_query q = {.phone = arg};
    list(db, keys, &q, found);
}

static void grid_page(struct wg_db *db, const struct wg_pii_keys *keys, const void *arg,
                      size_t *found)
{
    struct wg_person_query q = {.grid = arg, .limit = "50"};
    list(db, keys, &q, found);
}

static void address(struct wg_db *db, const struct wg_pii_keys *keys, const void *arg,
                    size_t *found)
{
    struct wg_err err = {0};
    json_t *out = NULL;
    (void)keys;
    if (wg_address_search(db, NULL, NULL, arg, 10, &out, &err))
        die("address search", &err);
    *found = json_array_size(out);
    json_decref(out);
}

/* The cadence on the Monday-to-Friday calendar (no holiday table), as the due lists and the
 * sweep that keeps the due days read it. */
static struct wg_calendar *cal;
static struct wg_cadence cad;

static void cadence_init(void)
{
    cal = wg_calendar_new();
    wg_calendar_set_fallback(cal, true);
    wg_cadence_defaults(&cad);
}

/* The visits due of the whole store (a district's: every grid), first page, as
 * GET /api/v1/visits/due answers it: all of them, the due or the overdue only. */
static void due(struct wg_db *db, const struct wg_pii_keys *keys, const void *arg, size_t *found)
{
    struct wg_due_query q = {NULL, "371302", arg, "50", NULL};
    struct wg_err err = {0};
    json_t *out = NULL;
    if (wg_visit_due_list(db, keys, cal, &cad, NULL, &q, 1, (long long)time(NULL), &out, &err))
        die("visits due", &err);
    *found = json_array_size(json_object_get(out, "due"));
    json_decref(out);
}

/* The sweep's work on a store whose due days are all marked (a new store, or one migrated to
 * keep them): every person's worked out, as the server's minute sweep does. */
static void settle(struct wg_db *db, const struct wg_pii_keys *keys)
{
    struct wg_err err = {0};
    long n = 0;
    double w = now_s(), c = cpu_s();
    if (wg_visit_due_settle(db, NULL, keys, cal, &cad, (long long)time(NULL), &n, &err))
        die("settling the due days", &err);
    printf("due days worked out: %ld persons in %.1f s (CPU %.1f s)\n", n, now_s() - w,
           cpu_s() - c);
}

static double plain(sqlite3 *s, const char *sql, const char *arg, size_t *found)
{
    double best = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        sqlite3_stmt *st;
        double t = cpu_s();
        if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK) {
            fprintf(stderr, "persons: %s: %s\n", sql, sqlite3_errmsg(s));
            exit(1);
        }
        for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++)
            sqlite3_bind_text(st, i, arg, -1, SQLITE_STATIC);
        *found = 0;
        while (sqlite3_step(st) == SQLITE_ROW)
            ++*found;
        sqlite3_finalize(st);
        t = cpu_s() - t;
        best = t < best ? t : best;
    }
    return best;
}

static void report(const char *name, double t, double p, size_t n, size_t pn, double goal_ms)
{
    printf("%-30s %9.3f %10.1f %9.5f %6zu %6zu   < %g ms: %s\n", name, t * 1e3, p * 1e3, t / p, n,
           pn, goal_ms, t * 1e3 < goal_ms ? "met" : "NOT met");
    fflush(stdout);
}

static void blind_of(const struct wg_pii_keys *keys, enum wg_pii_kind kind, const char *v,
                     char out[WG_PII_BLIND_HEX])
{
    struct wg_err err = {0};
    char norm[64];
    if (wg_pii_normalize(kind, v, norm, sizeof norm, &err) ||
        wg_pii_blind(keys, kind, norm, out, &err))
        die("blind index", &err);
}

/* The lookups by ID number and phone: the mean of the best times over the probes. */
static void time_lookups(struct wg_db *db, const struct wg_pii_keys *keys, sqlite3 *s,
                         const struct probe *pr)
{
    double t[2] = {0, 0}, p[2] = {0, 0};
    size_t n[2] = {0, 0}, pn[2] = {0, 0}, f;
    int probes = pr->n < 8 ? pr->n : 8;
    for (int i = 0; i < pr->n; i++) {
        char blind[WG_PII_BLIND_HEX];
        t[0] += best_of(15, by_id, db, keys, pr->id[i], &f) / pr->n;
        n[0] += f;
        t[1] += best_of(15, by_phone, db, keys, pr->phone[i], &f) / pr->n;
        n[1] += f;
        if (i >= probes) /* the scans are slow: a few of them tell their cost */
            continue;
        blind_of(keys, WG_PII_ID, pr->id[i], blind);
        p[0] += plain(s, "SELECT * FROM person NOT INDEXED WHERE id_blind = ?", blind, &f) / probes;
        pn[0] += f;
        blind_of(keys, WG_PII_PHONE, pr->phone[i], blind);
        p[1] +=
            plain(s, "SELECT * FROM person NOT INDEXED WHERE phone_blind = ?", blind, &f) / probes;
        pn[1] += f;
    }
    report("person by ID number", t[0], p[0], n[0], pn[0], 1);
    report("person by phone", t[1], p[1], n[1], pn[1], 1);
}

int main(int argc, char **argv)
{
    long long n = 10000000;
    int keep = 0;
    const char *reuse = NULL;
    char dir[] = "/tmp/wgpersons-XXXXXX", path[300], grid[20];
    struct wg_store *st;
    struct wg_db *db;
    struct wg_pii_keys *keys = NULL;
    struct wg_err err = {0};
    struct probe pr = {0};
    size_t f = 0, pf = 0;
    sqlite3 *s;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--persons") && i + 1 < argc)
            n = strtoll(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--keep"))
            keep = 1;
        else if (!strcmp(argv[i], "--store") && i + 1 < argc)
            reuse = argv[++i];
        else {
            fprintf(stderr, "usage: persons [--persons N] [--keep] [--store DIR]\n");
            return 2;
        }
    }
    if (n < 10000 || (!reuse && !mkdtemp(dir)))
        die("options (at least 10000 persons) or temporary directory", NULL);
    const char *where = reuse ? reuse : dir;
    if ((!reuse && wg_pii_keys_create(where, &err)) || wg_pii_keys_load(where, &keys, &err) ||
        wg_store_open(where, 1, &st, &err) || wg_store_get(st, &db, &err))
        die("store", &err);
    if (!reuse)
        build(db, keys, n, &pr);
    snprintf(path, sizeof path, "%s/wangge.db", where);
    if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die("open the store for the plain queries", NULL);
    if (reuse) { /* the probes: persons read back in clear */
        for (int i = 0; i < 32; i++) {
            struct wg_person p;
            if (wg_person_load(db, keys, NULL, 1 + (long long)i * 997, &p, &err) == WG_OK) {
                if (p.phone[0] && pr.n < 32) {
                    snprintf(pr.id[pr.n], sizeof pr.id[0], "%s", p.id_number);
                    snprintf(pr.phone[pr.n], sizeof pr.phone[0], "%s", p.phone);
                    pr.n++;
                }
                wg_person_release(&p);
            }
        }
    }
    cadence_init();
    settle(db, keys);
    printf("persons: SQLite; CPU ms, best of 15 (registry) and of 3 (plain, NOT INDEXED)\n");
    printf("%-30s %9s %10s %9s %6s %6s   %s\n", "read", "registry", "plain", "ratio", "found",
           "plain", "goal");
    time_lookups(db, keys, s, &pr);
    grid_code(GRIDS / 2, grid, sizeof grid);
    double t = best_of(15, grid_page, db, keys, grid, &f);
    double p =
        plain(s, "SELECT * FROM person NOT INDEXED WHERE grid = ? ORDER BY id LIMIT 50", grid, &pf);
    report("a grid's persons, first page", t, p, f, pf, 10);
    static const char *const status[] = {"all", "due", "overdue"};
    static const char *const label[] = {"visits due: all, first page",
                                        "visits due: the due, page 1",
                                        "visits due: the overdue, page 1"};
    for (int k = 0; k < 3; k++) {
        t = best_of(5, due, db, keys, status[k], &f);
        p = plain(s,
                  "SELECT * FROM person NOT INDEXED WHERE grid >= ?1 AND (care <> 0 OR special "
                  "<> '') ORDER BY grid, id LIMIT 50",
                  "371302", &pf);
        report(label[k], t, p, f, pf, 100);
    }
    static const struct {
        const char *name, *q;
    } words[] = {{"address: a word none holds", "没有这个地方"},
                 {"address: a road's number", "金雀山路1号"},
                 {"address: an estate's building", "通达路小区7号楼"},
                 {"address: two characters", "启阳"}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        t = best_of(15, address, db, keys, words[i].q, &f);
        p = plain(s,
                  "SELECT code, name, address FROM building NOT INDEXED WHERE instr(address, ?1) "
                  "> 0 OR instr(name, ?1) > 0 LIMIT 10",
                  words[i].q, &pf);
        report(words[i].name, t, p, f, pf, 20);
    }
    sqlite3_close(s);
    wg_pii_keys_free(keys);
    wg_store_put(db);
    wg_store_close(st);
    if (!keep && !reuse) {
        char cmd[96];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd))
            fprintf(stderr, "persons: could not remove %s\n", dir);
    } else if (!reuse)
        fprintf(stderr, "persons: kept %s\n", dir);
    return 0;
}
