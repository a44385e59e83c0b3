/* The residents' portal (issue 6; SPEC §3's channel `app`): a resident without an account
 * files an appeal from a phone, gets a tracking code, adds photos, follows the public
 * timeline and rates the result once it is answered.
 *
 * Tracking code: 16 characters of Crockford's base32 (0-9 and A-Z without I, L, O, U) drawn
 * with libsodium's randombytes_uniform, 80 random bits, shown as XXXX-XXXX-XXXX-XXXX. It is
 * the resident's only credential and is not the order's id or number. Typed back, case,
 * dashes and spaces do not matter and O, I, L read as 0, 1, 1. The store keeps only the
 * SHA-256 of the 16 canonical characters: with 80 random bits a fast hash is enough, and
 * lookups of unknown codes are throttled per address besides.
 *
 * Types: the five colour bags of seed 002's mini-program (五色袋) and the seven appeal types of
 * SPEC §9, listed 投诉 and 求助 first and no name twice (the bags 建议 and 心愿 stand for the
 * types of the same names, which are still taken). Each bag makes an order of one SPEC type — 建议
 * blue → suggestion, 吐槽 yellow → complaint, 心愿 green → wish, 宣传 orange → consult (a resident
 * asking for a policy to be explained or publicised), 服务 red → help — and its name heads the
 * order's title (【心愿】…), so the centre sees the bag in every list; the portal keeps the bag it
 * was filed under for the resident's view.
 *
 * What a resident sees of an order (wg_portal_view): its type, catalog item, text, public
 * state, the unit holding it (a public body), the reply deadline while the unit works on it,
 * the photos the unit's handlers added (the work done) and the events of its loop — received,
 * dispatched, signed, replied (with the reply's text), verified or sent back, called back,
 * rated, reopened, suspended and resumed, merged, invalid. Never a staff member's name or
 * role, a note, an instruction, a supervision, an extension or a return between units, the
 * reporter's phone or the address. `returning` (a unit asking the centre to re-dispatch) is
 * shown as `dispatched`: for the resident the order is still with the unit.
 *
 * Throttle: per source address and per phone (by its blind index, never in clear), counters
 * in the store over fixed windows, so that every server sharing the store counts together.
 * An appeal counts when it is stored (the counter moves in the appeal's own transaction, so
 * a refused one does not count); a lookup of an unknown code counts against the address. */
#ifndef WG_DOMAIN_PORTAL_H
#define WG_DOMAIN_PORTAL_H

#include <jansson.h>

#include "core/err.h"
#include "domain/catalog/catalog.h"
#include "domain/orders/order.h"
#include "domain/accounts/session.h"
#include "store/store.h"

#define WG_PORTAL_CODE_CHARS  16
#define WG_PORTAL_CODE_SHOWN  20   /* XXXX-XXXX-XXXX-XXXX and the NUL */
#define WG_PORTAL_TEXT_MAX    2000 /* characters of an appeal's text */
#define WG_PORTAL_COMMENT_MAX 500  /* characters of a rating's comment */

/* Settings of `wangge serve` (docs/API.md "Server settings"). */
struct wg_portal_config {
    int per_address, address_window; /* appeals per source address: 20 per 3600 s */
    int per_phone, phone_window;     /* appeals per phone: 5 per 86400 s */
    int misses, miss_window;         /* unknown tracking codes per address: 60 per 3600 s */
    int cards, card_window;          /* grid cards looked up per address: 120 per 3600 s */
    int photos;                      /* photos per appeal: 9 */
    int trust_forwarded; /* behind a reverse proxy: the address is X-Forwarded-For's last */
};
void wg_portal_config_init(struct wg_portal_config *c);
/* One `portal_*` setting of the server's config file: portal_appeals_per_address,
 * portal_address_window, portal_appeals_per_phone, portal_phone_window,
 * portal_misses_per_address, portal_miss_window, portal_cards_per_address,
 * portal_card_window (seconds), portal_photos,
 * portal_trust_forwarded (on/off). The map's tiles are the console's (tiles_url). WG_EINVAL naming
 * the setting for an unknown one or a bad value. */
enum wg_rc wg_portal_config_set(struct wg_portal_config *c, const char *key, const char *value,
                                struct wg_err *err);
/* The address the throttle counts a request against: the connection's peer, or — only when
 * trust_forwarded is set, because the server sits behind a proxy that appends the client's
 * address — the last entry of X-Forwarded-For when it is an IP address. A client cannot
 * choose its own address: what it sends itself comes before the proxy's entry. out holds
 * 46 bytes. */
void wg_portal_client_addr(const struct wg_portal_config *c, const char *peer,
                           const char *forwarded, char out[46]);

struct wg_portal_type {
    const char *code;       /* what the API takes: a bag's colour or a SPEC §9 type */
    const char *order_type; /* the SPEC §9 type of the order it makes */
    const char *zh, *en;    /* names for the page */
    int bag;                /* one of the five colour bags */
    int listed;             /* 2 on the page's first row, 1 among the other kinds, 0 not
                               listed (taken still: a bag of the same name stands for it) */
};
/* 投诉 and 求助 first, the bags, the other kinds, then the unlisted; ends with a NULL code. */
extern const struct wg_portal_type wg_portal_types[];
const struct wg_portal_type *wg_portal_type_find(const char *code);

/* GET /api/v1/public/types: {"types": [...], "items": [public catalog items]}. */
json_t *wg_portal_types_json(const struct wg_catalog *cat);

/* A new tracking code in its shown form. libsodium must be initialised. */
void wg_portal_code_new(char out[WG_PORTAL_CODE_SHOWN]);
/* The canonical form's SHA-256 (hex) and the shown form of a code as typed; WG_ENOTFOUND
 * for text that cannot be a code (answered as an unknown code). */
enum wg_rc wg_portal_code_hash(const char *code, char hash[65], char shown[WG_PORTAL_CODE_SHOWN],
                               struct wg_err *err);

/* A submission, checked: strings point into the body. */
struct wg_portal_input {
    const struct wg_portal_type *type;
    const char *item, *text, *address, *phone, *source;
    double lon, lat;
    enum wg_crs crs;
    int anonymous;
    char title[160];
};
/* The keys of an appeal's and of a rating's body (NULL-terminated), which their routes
 * refuse any other beside (api/routes.def). */
extern const char *const wg_portal_appeal_fields[];
extern const char *const wg_portal_rating_fields[];
/* Reads and checks a POST /api/v1/public/appeals body; every error names its field. */
enum wg_rc wg_portal_parse(const json_t *body, const struct wg_catalog *cat,
                           struct wg_portal_input *in, struct wg_err *err);
/* The order intake input (channel app) of a checked submission; borrows from in. */
void wg_portal_order_input(const struct wg_portal_input *in, const struct wg_catalog *cat,
                           struct wg_order_input *out);
/* Who acts for a resident: username and role "resident", a scope over everything (the
 * tracking code, not a scope, says which order). */
void wg_portal_actor(struct wg_actor *a);

/* A throttle: at most `limit` hits of `key` per fixed window of `window` seconds. */
struct wg_throttle {
    char key[128];
    int limit, window;
};
void wg_throttle_set(struct wg_throttle *t, const char *what, const char *who, int limit,
                     int window);
/* WG_ERATE when the key has no hit left in the current window; *retry_after is the seconds
 * until the window ends. _take counts one hit (inside the caller's transaction) and refuses
 * the one past the limit; _peek only reads, to refuse before doing any work. */
enum wg_rc wg_throttle_peek(struct wg_db *db, const struct wg_throttle *t, long long now,
                            int *retry_after, struct wg_err *err);
enum wg_rc wg_throttle_take(struct wg_db *db, const struct wg_throttle *t, long long now,
                            int *retry_after, struct wg_err *err);

/* The resident's view of order_id (see above), with `code` (the shown tracking code) and
 * `type` (the portal type it was filed under). */
enum wg_rc wg_portal_view(struct wg_db *db, const struct wg_catalog *cat, long long order_id,
                          const char *portal_type, const char *code, json_t **out,
                          struct wg_err *err);

/* Checks a rating body {satisfaction, resolved, comment?}; *action_body (owned) is the body
 * of the order's `rate` action. */
enum wg_rc wg_portal_rating_parse(const json_t *body, json_t **action_body, struct wg_err *err);
/* Takes the `rate` action as the resident, inside the caller's transaction: WG_ECONFLICT
 * when the order is not answered yet or is rated already. */
enum wg_rc wg_portal_rate_in(struct wg_db *db, const struct wg_order_env *env, long long order_id,
                             const json_t *action_body, long long now, struct wg_err *err);

/* A photo the resident added to the appeal, or one its unit's handlers added (the work done;
 * never a grid worker's or the centre's): *bytes is owned (free). WG_ENOTFOUND for any
 * other. */
enum wg_rc wg_portal_photo_read(struct wg_db *db, const char *data_dir, long long order_id,
                                const char *sha256, char **bytes, size_t *len, const char **mime,
                                struct wg_err *err);

/* Adds a photo to the appeal (domain/orders/photo.h's checks and limits), while the order is not
 * finished (closed, merged or invalid: 409) and it has fewer than cfg->photos. */
enum wg_rc wg_portal_photo_add(struct wg_db *db, const struct wg_portal_config *cfg,
                               const char *data_dir, long long order_id, const void *bytes,
                               size_t len, long long now, json_t **out, struct wg_err *err);

#endif
