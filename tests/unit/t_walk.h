/* Histories for the indicators' tests: a random walk over the actions the state machine
 * allows each role, through the real order loop, on the orders of a test store. */
#ifndef WG_TESTS_T_WALK_H
#define WG_TESTS_T_WALK_H

#include <stdlib.h>

#include <jansson.h>

#include "domain/orders/order.h"
#include "store/orders/orders_q.h"

struct orders {
    long long *id;
    size_t n, cap;
};

static int take_id(const struct wg_order_row *o, void *ctx)
{
    struct orders *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->id = realloc(l->id, l->cap * sizeof *l->id);
    }
    l->id[l->n++] = o->id;
    return 0;
}

/* A random walk over the actions the state machine allows each role, with random bodies
 * and time moving on: every transition, including those the demo generator never takes. */
static void walk(struct wg_db *db, const struct wg_order_env *env, uint64_t seed, int steps,
                 long long *now, int *taken)
{
    static const char *const roles[] = {"agent", "supervisor", "handler", "gridworker", "leader"};
    static const char *const units[] = {"zjj", "sthj", "cgzf", "mzj"};
    struct orders l = {0};
    struct wg_order_filter f = {0};
    uint64_t s = seed;
    f.limit = 10000000;
    wg_store_order_list(db, &f, take_id, &l, NULL);
    for (int i = 0; i < steps && l.n; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t r = s >> 11;
        long long id = l.id[r % l.n];
        struct wg_actor a;
        memset(&a, 0, sizeof a);
        snprintf(a.username, sizeof a.username, "%s%d", roles[(r >> 8) % 5], (int)(r >> 16) % 2);
        wg_role_parse(roles[(r >> 8) % 5], &a.role, NULL);
        snprintf(a.scope.kind, sizeof a.scope.kind, "region");
        json_t *o = NULL;
        if (wg_order_json(db, env, &a, id, 0, &o, NULL))
            continue;
        json_t *allowed = json_object_get(o, "allowed_actions");
        int version = (int)json_integer_value(json_object_get(o, "version"));
        size_t na = json_array_size(allowed);
        if (!na) {
            json_decref(o);
            continue;
        }
        const char *name = json_string_value(json_array_get(allowed, (r >> 20) % na));
        json_t *body = json_object();
        if (!strcmp(name, "dispatch"))
            json_object_set_new(body, "unit", json_string(units[(r >> 24) % 4]));
        else if (!strcmp(name, "verify"))
            json_object_set_new(body, "passed", json_boolean((r >> 24) % 4 != 0));
        else if (!strcmp(name, "approve_extension"))
            json_object_set_new(body, "days", json_integer(1 + (long long)((r >> 24) % 10)));
        else if (!strcmp(name, "merge"))
            json_object_set_new(body, "into", json_integer(l.id[(r >> 24) % l.n]));
        else if (!strcmp(name, "supervise"))
            json_object_set_new(body, "level", json_string("red"));
        else if (!strcmp(name, "route_line"))
            json_object_set_new(body, "line", json_string("special_team"));
        else if (!strcmp(name, "callback")) {
            static const char *const sat[] = {"satisfied", "basically_satisfied", "unsatisfied"};
            int reached = (r >> 24) % 5 != 0;
            json_object_set_new(body, "reached", json_boolean(reached));
            if (reached)
                json_object_set_new(body, "satisfaction", json_string(sat[(r >> 28) % 3]));
            if (reached && (r >> 32) % 3)
                json_object_set_new(body, "resolved", json_boolean((r >> 34) % 2));
        }
        *now += (long long)((r >> 36) % (8 * 3600)); /* up to 8 hours on */
        json_t *out = NULL;
        enum wg_order_action action;
        if (!wg_fsm_action_parse(name, &action, NULL) &&
            wg_order_act(db, env, &a, id, action, body, version, *now, &out, NULL) == WG_OK)
            ++*taken;
        json_decref(out);
        json_decref(body);
        json_decref(o);
    }
    free(l.id);
}

#endif
