/* Photos of orders (a resident's picture, a unit's "after" shot): at most 10 MB, JPEG, PNG or
 * WebP as told by their first bytes (never by the name or the declared type), stored once by
 * content on disk — DATA_DIR/photos/<2 hex>/<sha256> — and linked to orders in the store. A
 * photo is shown only to callers who may see one of its orders. */
#ifndef WG_DOMAIN_PHOTO_H
#define WG_DOMAIN_PHOTO_H

#include <jansson.h>
#include <stddef.h>

#include "core/err.h"
#include "domain/accounts/session.h"
#include "store/store.h"

#define WG_PHOTO_MAX ((size_t)10 << 20)

/* "image/jpeg", "image/png", "image/webp", or NULL for anything else. */
const char *wg_photo_sniff(const void *bytes, size_t len);

/* Checks, stores and links a photo to order id; *out describes it {sha256, mime, size}. */
enum wg_rc wg_photo_attach(struct wg_db *db, const struct wg_actor *actor, const char *data_dir,
                           long long id, const void *bytes, size_t len, long long now, json_t **out,
                           struct wg_err *err);

/* The two halves of attaching, for callers that link inside a transaction of their own
 * (an intake through the group committer): wg_photo_store checks the bytes and writes them
 * under their hash (no store access; a file whose link never commits is harmless, being
 * named by its content); wg_photo_link links it to order id with a timeline event, inside
 * the caller's transaction (*added 0: the order had it already). */
enum wg_rc wg_photo_store(const char *data_dir, const void *bytes, size_t len, char hex[65],
                          const char **mime, struct wg_err *err);
enum wg_rc wg_photo_link(struct wg_db *db, const struct wg_actor *actor, long long id,
                         const char *hex, const char *mime, size_t len, long long now, int *added,
                         struct wg_err *err);

/* Reads a photo for the caller: *bytes is owned (free). */
enum wg_rc wg_photo_read(struct wg_db *db, const struct wg_actor *actor, const char *data_dir,
                         const char *sha256, char **bytes, size_t *len, const char **mime,
                         struct wg_err *err);

/* The photos of an order as a JSON array (*out owned). */
enum wg_rc wg_photo_list_json(struct wg_db *db, long long id, json_t **out, struct wg_err *err);

#endif
