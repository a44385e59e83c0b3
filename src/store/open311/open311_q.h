/* Open311 requests' own rows (domain/open311/).
 * Typed functions of the store (store/store.h) for this context; only src/store/ speaks SQL. */
#ifndef WG_STORE_OPEN311_Q_H
#define WG_STORE_OPEN311_Q_H

#include "store/store.h"
#include "store/map/map_q.h"

/* ---- Open311 (domain/open311/open311.h) ---- */
struct wg_open311_row {
    long long order_id;
    const char *token, *client;
    const char *attributes;                     /* a JSON object's text */
    const char *address_id, *media_url;         /* NULL or "": none */
    const char *email, *device_id, *account_id; /* sealed values; NULL: none */
    const char *media;                          /* the posted photo's SHA-256, or NULL */
};
/* Inside the caller's transaction, with the order. */
enum wg_rc wg_store_open311_insert(struct wg_db *db, const struct wg_open311_row *r,
                                   struct wg_err *err);
/* The number of the order a token was given for; WG_ENOTFOUND for an unknown token. */
enum wg_rc wg_store_open311_token(struct wg_db *db, const char *token, char number[32],
                                  struct wg_err *err);
/* The attribute values an order came with, as JSON text (*out owned); *out NULL when the
 * order did not come through Open311. */
enum wg_rc wg_store_open311_attributes(struct wg_db *db, long long order_id, char **out,
                                       struct wg_err *err);
/* The public requests: orders of the public items (a JSON array of codes) that are not
 * confidential; every other filter is "" for any: county, numbers, items and states as JSON
 * arrays, since and until as created_at bounds (ISO text, inclusive). Newest first. */
struct wg_open311_filter {
    const char *public_items, *county, *numbers, *items, *states, *since, *until;
    long long limit;
};
struct wg_open311_req_row {
    long long id;
    /* text borrowed in the callback */
    const char *number, *county, *item, *title, *content, *address, *state, *unit_name, *created_at,
        *updated_at, *token, *address_id, *media_url, *channel;
    const char *media; /* the SHA-256 of the photo posted with it; "" none */
    int has_point;
    double lon, lat;
    long long reply_deadline; /* unix seconds; 0: none */
};
enum wg_rc wg_store_open311_list(struct wg_db *db, const struct wg_open311_filter *f,
                                 int (*cb)(const struct wg_open311_req_row *, void *), void *ctx,
                                 struct wg_err *err);
/* The type of the photo of SHA-256 sha256 when it came with an Open311 request whose order
 * is public (of an item of public_items, a JSON array, and not confidential): *mime;
 * WG_ENOTFOUND otherwise. */
enum wg_rc wg_store_open311_media(struct wg_db *db, const char *sha256, const char *public_items,
                                  char mime[32], struct wg_err *err);
/* The state changes of those orders between since and until (event times), oldest first. */
struct wg_open311_update_row {
    const char *number, *at, *action, *state; /* borrowed in the callback */
    int seq;
};
enum wg_rc wg_store_open311_updates(struct wg_db *db, const struct wg_open311_filter *f,
                                    int (*cb)(const struct wg_open311_update_row *, void *),
                                    void *ctx, struct wg_err *err);

#endif
