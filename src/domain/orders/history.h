/* Demo history: a district's recent months of appeals, generated so the demo (and the
 * dashboards) show a working loop — seed 000's volume (30,000 appeals a year), a realistic mix
 * of channels, types and items, every state represented, some overdue and supervised. Each
 * order goes through the same intake and state machine as live work, at simulated times.
 * Demo data only. */
#ifndef WG_DOMAIN_HISTORY_H
#define WG_DOMAIN_HISTORY_H

#include <stdint.h>

#include "core/err.h"
#include "domain/catalog/catalog.h"
#include "domain/orders/order.h"

struct wg_history_opts {
    const char *county; /* 6 digits; its grids must exist */
    int days;           /* how far back */
    int orders;         /* how many */
    uint64_t seed;
    long long now; /* the end of the history (unix seconds) */
};

struct wg_history_report {
    int orders, actions;
};

/* The demo's handling departments, each with a top-level catalog code it handles (one
 * department may appear once per code it handles). */
struct wg_demo_department {
    const char *id, *name, *domain;
};
extern const struct wg_demo_department wg_demo_departments[];
extern const size_t wg_demo_ndepartments;

/* The demo's handler account of a unit: "handler.<unit id>". */
#define WG_DEMO_HANDLER_PREFIX "handler."

/* An appeal's words, written as residents' appeals read (history_text.c). */
struct wg_history_words {
    char title[256], content[1024], address[384];
};
/* The title, content and address of an appeal about item it, of the channel and type, at
 * a spot of the village (names from the loaded divisions) at time t. */
void wg_history_text(uint64_t *s, const struct wg_catalog_item *it, const char *channel,
                     const char *type, const char *town, const char *village, long long t,
                     struct wg_history_words *w);
/* A fictitious reporter: a common name, and a mobile number of the 154 prefix, which no
 * carrier has been assigned (so it reaches nobody). */
void wg_history_reporter(uint64_t *s, char *name, size_t nsize, char *phone, size_t psize);

/* Creates the demo units and routing rules (if missing) and the orders. */
enum wg_rc wg_history_generate(struct wg_db *db, const struct wg_order_env *env,
                               const struct wg_locator *loc, const struct wg_history_opts *o,
                               struct wg_history_report *rep, struct wg_err *err);

#endif
