/* The demo's early-warning situations (warning.h): a few appeals planted among the demo
 * history's (domain/orders/history.c) so that the board has real-looking warnings when the
 * demo starts — a burst of 噪声扰民 appeals around one compound last evening (群发, and 突发
 * for its town), a street light out in one grid reported week after week (多发), a group of
 * workers about to go and ask for their wages (讨薪, a red keyword warning), and one resident
 * calling three times about a stall blocking the pavement (repeat caller). Demo data only. */
#ifndef WG_DOMAIN_SAMPLE_WARNINGS_H
#define WG_DOMAIN_SAMPLE_WARNINGS_H

#include <stdint.h>

#include "domain/catalog/catalog.h"
#include "domain/map/locate.h"
#include "domain/orders/history.h"

#define WG_SAMPLE_WARNINGS_MAX 24 /* appeals planted at most */

struct wg_sample_appeal {
    const char *item;
    double lon, lat;
    long long t;
    struct wg_history_words w;
    char name[32], phone[16];
};

/* Fills out (room for WG_SAMPLE_WARNINGS_MAX) with the appeals, oldest first, at points of
 * the county's box [minx, maxx] × [miny, maxy] that loc places in a grid, ending at now;
 * returns how many (0 when the catalog lacks the items or no point lands in a grid). */
int wg_sample_warnings(uint64_t *s, const struct wg_catalog *cat, const struct wg_locator *loc,
                       const double box[4], long long now, struct wg_sample_appeal *out);

#endif
