/* What intake needs beside a store, for the unit tests that take orders in: a key set made
 * (or kept, when the directory has one) and loaded in the test's data directory, the SPEC §3
 * default catalog (validated) and, when asked for, a calendar whose fallback counts every weekday
 * as a working day. A test that cannot get them stops at once: nothing after it would mean
 * anything. Also a caller (t_actor) and the least input an order needs (t_order_input). */
#ifndef WG_TESTS_T_ORDER_H
#define WG_TESTS_T_ORDER_H

#include <stdio.h>
#include <stdlib.h>

#include "domain/calendar/calendar.h"
#include "domain/catalog/catalog.h"
#include "domain/orders/order.h"
#include "domain/accounts/pii_keys.h"

struct t_order {
    struct wg_pii_keys *keys;
    struct wg_catalog cat;
    struct wg_calendar *cal; /* NULL without a calendar */
    struct wg_order_env env;
};

static void t_order_open(struct t_order *o, const char *dir, int calendar)
{
    struct wg_err err = {0};
    memset(o, 0, sizeof *o);
    wg_catalog_init(&o->cat);
    if (calendar && !(o->cal = wg_calendar_new())) {
        fprintf(stderr, "calendar: out of memory\n");
        exit(1);
    }
    if ((wg_pii_keys_create(dir, &err) && err.rc != WG_ECONFLICT) ||
        wg_pii_keys_load(dir, &o->keys, &err) || wg_catalog_load_defaults(&o->cat, &err) ||
        wg_catalog_validate(&o->cat, &err)) {
        fprintf(stderr, "keys and catalog: %s\n", err.msg);
        exit(1);
    }
    if (o->cal)
        wg_calendar_set_fallback(o->cal, true);
    o->env = (struct wg_order_env){o->keys, &o->cat, o->cal, NULL};
}

/* A caller of the given role and scope ("region" or "unit", and its code). */
static inline void t_actor(struct wg_actor *a, const char *name, const char *role, const char *kind,
                           const char *code)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "%s", name);
    if (wg_role_parse(role, &a->role, NULL))
        abort(); /* a test's own mistake */
    snprintf(a->scope.kind, sizeof a->scope.kind, "%s", kind);
    snprintf(a->scope.code, sizeof a->scope.code, "%s", code);
}

/* The least an order needs: a consultation by hotline in county 371302 with this title, and
 * a content; the caller sets anything else. */
static inline void t_order_input(struct wg_order_input *in, const char *title, const char *content)
{
    memset(in, 0, sizeof *in);
    in->channel = "hotline";
    in->type = "consult";
    in->title = title;
    in->content = content;
    in->urgency = "normal";
    in->county = "371302";
}

static void t_order_close(struct t_order *o)
{
    wg_pii_keys_free(o->keys);
    wg_catalog_release(&o->cat);
    wg_calendar_free(o->cal);
}

#endif
