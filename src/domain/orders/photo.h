/* Photos of orders (a resident's picture, a unit's "after" shot): at most 10 MB, JPEG, PNG or
 * WebP as told by their first bytes (never by the name or the declared type), stored once by
 * content on disk — DATA_DIR/photos/<2 hex>/<sha256> — and linked to orders in the store. A
 * photo is shown only to callers who may see one of its orders. A file is written only for
 * a request found valid, and one whose link did not commit is removed again, so refused
 * uploads leave nothing behind. */
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

/* A photo on its way in: the bytes (borrowed), and once stored its hash, its type and
 * whether storing it made its file (a refused upload removes only a file it made). */
struct wg_photo {
    const void *bytes;
    size_t len;
    char hex[65];
    const char *mime;
    int created;
};

/* Checks a photo's bytes — at most WG_PHOTO_MAX, JPEG, PNG or WebP — writing nothing: 413
 * or 400, and *mime. Everything about a request is checked before its photo is written. */
enum wg_rc wg_photo_check(const void *bytes, size_t len, const char **mime, struct wg_err *err);

/* Checks, stores and links a photo to order id, which may hold at most max photos (0: no
 * limit; a 409 past it); *out describes it {sha256, mime, size, added}. The photo is
 * written only once the order is found and visible and has room, and counted again in the
 * transaction that links it, so that concurrent uploads never pass max. */
enum wg_rc wg_photo_attach(struct wg_db *db, const struct wg_actor *actor, const char *data_dir,
                           long long id, const void *bytes, size_t len, int max, long long now,
                           json_t **out, struct wg_err *err);

/* The halves of attaching, for callers that link inside a transaction of their own (an
 * intake through the group committer). wg_photo_store checks p's bytes and writes them under
 * their hash (no store access), once the rest of the request was found valid. wg_photo_link,
 * inside the caller's transaction (whose writers' lock makes the count exact), refuses with
 * WG_ECONFLICT when order id has max photos already (0: no limit), links p with a timeline
 * event (*added 0: the order had it already), and writes the file again should a refused
 * upload have removed it meanwhile. When the link does not commit, wg_photo_forget removes
 * the file the store made for it unless some order has it (in a write transaction of its
 * own on db, which must hold none); a failure to remove is logged. */
enum wg_rc wg_photo_store(const char *data_dir, struct wg_photo *p, struct wg_err *err);
enum wg_rc wg_photo_link(struct wg_db *db, const struct wg_actor *actor, const char *data_dir,
                         long long id, const struct wg_photo *p, int max, long long now, int *added,
                         struct wg_err *err);
void wg_photo_forget(struct wg_db *db, const char *data_dir, const struct wg_photo *p);
/* The number of photos of order id. */
enum wg_rc wg_photo_count(struct wg_db *db, long long id, int *n, struct wg_err *err);

/* At start: removes the temporary files of photos a stopped server was writing (a kill -9,
 * a power cut) — those whose process is gone. */
void wg_photo_sweep(const char *data_dir);

/* Reads a photo for the caller: *bytes is owned (free). */
enum wg_rc wg_photo_read(struct wg_db *db, const struct wg_actor *actor, const char *data_dir,
                         const char *sha256, char **bytes, size_t *len, const char **mime,
                         struct wg_err *err);

/* The file of a photo whose right to be seen the caller has decided, with its stored type
 * (as one of the three); *bytes is owned (free). A missing file is WG_EIO. */
enum wg_rc wg_photo_file(const char *data_dir, const char *sha256, const char *stored, char **bytes,
                         size_t *len, const char **mime, struct wg_err *err);

/* The photos of an order as a JSON array (*out owned). */
enum wg_rc wg_photo_list_json(struct wg_db *db, long long id, json_t **out, struct wg_err *err);

#endif
