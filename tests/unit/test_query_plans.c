/* Every statement of the queries table finds its rows through an index on the tables that
 * grow without bound (orders, their events, the outbox, the audit log, photos, grids):
 * a full scan there is fine on a test store and ruinous on a district's year of orders, so
 * it must be caught here, by the plan, not by a slow server. A statement that must read a
 * whole table (an export, a rebuild) is listed in `whole` with the reason. */
#include "t.h"

#include <stdlib.h>
#include <unistd.h>

#include "store/backend.h"
#include "store/store.h"

static const char *const big[] = {"work_order",  "order_event", "outbox",       "audit",
                                  "order_photo", "grid",        "order_assist", "order_line",
                                  "order_phone", "person",      "household",    "building",
                                  "house",       "place_gram",  "visit_due",    NULL};

/* Statements allowed to read a big table whole, and why. */
static const struct {
    const char *name, *why;
} whole[] = {
    {"AUDIT_ALL", "the audit verifier walks the whole chain"},
    {"GRID_EACH", "the locator is built from every current grid"},
    {"ORDER_PHONE_TRIM", "only when the text index outlived the store's last commits"},
    {NULL, NULL},
};

/* Paged statements that must still not walk the orders: a reporter's orders, or the orders
 * holding rare words, are a handful among millions, so the list starts from the phone lookup
 * or the trigram index. */
static const char *const driven[] = {"ORDER_LIST_BY_PHONE", "ORDER_LIST_BY_TEXT",
                                     "PERSON_BY_PHONE",     "ADDR_BUILDING_SUBSTR",
                                     "ADDR_HOUSE_SUBSTR",   NULL};

/* The desks' streams walk their index in the page's order and stop at the page's end: a
 * sort would read every order of a state (migration 29). Those driven by a few rows (a unit's
 * assisted orders, a grid's by deadline, the words', a reporter's) may sort. */
static const char *const desk_sorted[] = {
    "DESK_ASSIST_",    "DESK_GRID_DUE",    "DESK_GRID_KEY_DUE",
    "DESK_GRID_COUNT", "DESK_ALL_KEY_DUE", "DESK_ALL_DUE",
    "DESK_TEXT_",      "DESK_PHONE_",      NULL};

static int desk_in_order(const char *name)
{
    if (strncmp(name, "DESK_", 5))
        return 0;
    for (int i = 0; desk_sorted[i]; i++)
        if (!strncmp(name, desk_sorted[i], strlen(desk_sorted[i])))
            return 0;
    return 1;
}

static int must_drive(const char *name)
{
    for (int i = 0; driven[i]; i++)
        if (!strcmp(driven[i], name))
            return 1;
    return 0;
}

static int allowed(const char *name)
{
    for (int i = 0; whole[i].name; i++)
        if (!strcmp(whole[i].name, name))
            return 1;
    return 0;
}

/* A step "SCAN t" (without an index) over a big table. "SCAN t USING INDEX" walks an index
 * in order; a statement with ORDER BY and LIMIT walks the table in key order and stops at
 * the page's end (the lists, the audit chain's last record): both are fine. */
static const char *full_scan(const char *plan)
{
    static char found[64];
    for (int i = 0; big[i]; i++) {
        char pat[64];
        snprintf(pat, sizeof pat, "SCAN %s", big[i]);
        for (const char *p = plan; (p = strstr(p, pat)); p += strlen(pat)) {
            const char *after = p + strlen(pat);
            if (*after != '\n' && *after != ' ')
                continue; /* another table whose name starts the same */
            if (!strncmp(after, " USING", 6))
                continue;
            snprintf(found, sizeof found, "%s", pat);
            return found;
        }
    }
    return NULL;
}

int main(void)
{
    char dir[] = "/tmp/wangge-test-plans-XXXXXX";
    struct wg_store *st = NULL;
    struct wg_db *db = NULL;
    struct wg_err err = {0};
    static char plan[16384];
    T_CHECK(mkdtemp(dir) != NULL);
    T_EQ_INT(wg_store_open(dir, 1, &st, &err), WG_OK);
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    int checked = 0;
    /* the data's statements; the schema's (schema.def) are scripts and set-up */
    for (int q = 0; db && q < WG_Q_SCHEMA_FIRST; q++) {
        if (wg_db_plan(db, (enum wg_q)q, plan, sizeof plan, &err)) {
            /* statements of a later migration's tables, or not plannable alone */
            fprintf(stderr, "%s: no plan: %s\n", wg_queries[q].name, err.msg);
            T_CHECK(0);
            continue;
        }
        checked++;
        if (getenv("WG_SHOW_PLAN") && strstr(wg_queries[q].name, getenv("WG_SHOW_PLAN")))
            fprintf(stderr, "%s:\n%s\n", wg_queries[q].name, plan);
        const char *sql = wg_query_sql((enum wg_q)q, WG_SQL_SQLITE);
        int paged =
            strstr(sql, "ORDER BY") && strstr(sql, "LIMIT") && !must_drive(wg_queries[q].name);
        const char *scan = paged ? NULL : full_scan(plan);
        if (desk_in_order(wg_queries[q].name)) {
            int sorted = strstr(plan, "TEMP B-TREE") != NULL;
            if (sorted || full_scan(plan))
                fprintf(stderr, "%s does not walk its index in order:\n%s", wg_queries[q].name,
                        plan);
            T_CHECK(!sorted && !full_scan(plan));
        }
        /* the supervised desk walks the supervised orders' own indexes (migration 39), not
         * every open order of each state */
        if (!strncmp(wg_queries[q].name, "DESK_SUP_", 9) && !strstr(plan, "work_order_sup_")) {
            fprintf(stderr, "%s does not walk the supervised orders' index:\n%s",
                    wg_queries[q].name, plan);
            T_CHECK(0);
        }
        if (scan && !allowed(wg_queries[q].name)) {
            fprintf(stderr, "%s reads a whole table (%s):\n%s", wg_queries[q].name, scan, plan);
            T_CHECK(0);
        } else {
            T_CHECK(1);
        }
    }
    T_CHECK(checked == WG_Q_SCHEMA_FIRST);
    wg_store_put(db);
    wg_store_close(st);
    T_REMOVE_DIR(dir);
    return T_DONE("query plans");
}
