/* Duplicate candidates (重复诉求): when an order comes in, by any channel, the orders of the
 * same county it may repeat are found and kept with it, so that whoever dispatches it sees
 * them and can merge it (the merge action) instead of sending a unit the same work twice.
 * A candidate is an order of the same county, not merged into another and not invalid, for
 * one or more reasons:
 *   item_near     the same catalog item, its point within the item's duplicate radius
 *                 (catalog.h: duplicate_radius_m, 200 m unless the catalog says) of the new
 *                 order's point, received in the last WG_DUP_NEAR_DAYS days; with metres;
 *   same_phone    the same reporter's phone (its blind index: nobody's number is read), in
 *                 the last WG_DUP_PHONE_DAYS days;
 *   similar_text  title and the start of the content alike: the Jaccard index of the two
 *                 texts' sets of character bigrams is at least WG_DUP_TEXT_MIN percent,
 *                 among the same item's nearby orders and the county's newest
 *                 WG_DUP_TEXT_SCAN of the last WG_DUP_TEXT_DAYS days; with the score in
 *                 percent.
 * Each search is bounded by an index and a limit (queries.def), so intake never reads a
 * county's history. With env->dups (dup_cache.h) the item's and the text's searches run over
 * a window kept in memory instead, with the same answers, and only the candidates' rows are
 * read. At most WG_DUP_MAX candidates are kept, those with more reasons first,
 * then the newest. They are found on the request's thread before the order goes to the
 * group committer, so orders arriving in the same instant do not see each other. */
#ifndef WG_DOMAIN_DUPLICATES_H
#define WG_DOMAIN_DUPLICATES_H

#include <jansson.h>

#include "domain/orders/order.h"

#define WG_DUP_NEAR_DAYS  7
#define WG_DUP_PHONE_DAYS 30
#define WG_DUP_TEXT_DAYS  7
#define WG_DUP_SCAN                                                                                \
    20                      /* orders read at most by the item search (the newest in               \
                               its box): WG_DUP_MAX candidates, with room to rank */
#define WG_DUP_TEXT_SCAN 50 /* the county's newest orders the text is compared with */
#define WG_DUP_ITEM_SCAN                                                                           \
    2000                     /* the item's newest orders of the window whose points are            \
                                looked at (in the index) */
#define WG_DUP_PHONE_SCAN 10 /* by the phone search */
#define WG_DUP_MAX        10
#define WG_DUP_TEXT_MIN   50  /* percent */
#define WG_DUP_TEXT_CHARS 200 /* characters of the title, and of the content, compared */
#define WG_DUP_TEXT_MAX   400 /* characters of a text compared at most */

/* Metres between two WGS84 points along the great circle (haversine, mean earth radius). */
double wg_dup_metres(double lon1, double lat1, double lon2, double lat2);
/* The similarity of two UTF-8 texts in percent (0–100, rounded down): the Jaccard index of
 * their sets of character bigrams, counted in characters after dropping spaces and
 * punctuation (ASCII, CJK and full-width) and folding Latin letters and full-width letters
 * and digits to lower-case ASCII; the first WG_DUP_TEXT_MAX such characters of each. A
 * text with fewer than two such characters is like none. */
int wg_dup_similarity(const char *a, const char *b);

/* Finds the prepared draft's candidates on db (read only, outside any transaction) as of
 * now: d->dups receives them as kept with the order (JSON text: [id, metres or -1, same
 * phone 0 or 1, score or -1] for each; a few bytes, as every order may have some, and
 * intake writes them), d->dups_all as answers show them; both NULL when there are none,
 * both freed by wg_order_draft_release. wg_order_insert keeps them with the order. */
enum wg_rc wg_order_duplicates(struct wg_db *db, const struct wg_order_env *env,
                               struct wg_order_draft *d, long long now, struct wg_err *err);

/* The candidates kept (d->dups' form) as actor may see them: those in the actor's area,
 * none for a unit's account (units do not merge), each read as it is now (number, title,
 * state, grid) and left out when gone. *out is an array (owned, possibly empty). */
enum wg_rc wg_order_duplicates_json(struct wg_db *db, const struct wg_actor *actor,
                                    const char *kept, json_t **out, struct wg_err *err);
/* A draft's candidates as actor may see them (a new array). */
json_t *wg_order_draft_duplicates(const struct wg_actor *actor, const struct wg_order_draft *d);

#endif
