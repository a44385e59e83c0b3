/* The wish wall (心愿墙, seed 002; issue 22): residents' wishes arrive as orders through the
 * portal's 心愿 bag (domain/portal/portal.h: type wish, titled 【心愿】…). Staff with
 * partake_write publish one as a wish, in public words, and a party member or a volunteer
 * takes it on.
 *
 *   order     the wish order it is published from, in the publisher's scope; one wish an
 *             order. Its grid is the wish's place (the order's county when it has none).
 *   title     1 to 60 characters; story 1 to 500: public text. Neither may hold what
 *             names the resident: a phone number (seven digits or more in a row, dashes
 *             and spaces between them counted), an ID number, or the reporter's name as
 *             the order keeps it (sealed; opened here to compare and never shown). The
 *             refusal names the field.
 *   state     published → claimed (claim: a registry person in the claimer's scope, as
 *             party_member — a member of a party organization, domain/registry/party.h —
 *             or volunteer — wg_wish_claimant_check) → fulfilled (fulfil: the claimant's
 *             report, a note of 1 to 500 characters and optionally a photo reference, the
 *             SHA-256 of a photo) → confirmed (the resident, on the portal with the
 *             appeal's tracking code, thanks optional); published or claimed → withdrawn
 *             (withdraw, with a reason).
 *   claimant  shown as its kind and masked name ("党员 王*", "志愿者 李*"), never more.
 *
 * Every move names the version read and is refused (WG_ECONFLICT) when another came first;
 * a move the state does not allow is WG_ECONFLICT naming the state. Each move is a line of
 * the wish's timeline and of its order's (action "wish", detail {wish, step}). Staff see the
 * wishes whose place their scope covers; the public wall shows every wish but withdrawn
 * ones, without the order, the resident or the staff. */
#ifndef WG_DOMAIN_PARTAKE_WISH_H
#define WG_DOMAIN_PARTAKE_WISH_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/pii.h"
#include "domain/accounts/session.h"
#include "store/partake/wish_q.h"
#include "store/store.h"

#define WG_WISH_TITLE_MAX  60  /* characters */
#define WG_WISH_STORY_MAX  500 /* characters */
#define WG_WISH_NOTE_MAX   500 /* characters: a fulfilment's note, a withdrawal's reason */
#define WG_WISH_THANKS_MAX 200 /* characters */

extern const char *const wg_wish_fields[];          /* order, title, story */
extern const char *const wg_wish_claim_fields[];    /* person, as */
extern const char *const wg_wish_fulfil_fields[];   /* note, photo */
extern const char *const wg_wish_withdraw_fields[]; /* reason */
extern const char *const wg_wish_confirm_fields[];  /* confirmed, thanks */

/* WG_EINVAL naming field when text holds what looks like a phone or an ID number, or name
 * (when it has two characters or more). */
enum wg_rc wg_wish_text_check(const char *field, const char *text, const char *name,
                              struct wg_err *err);

/* A new wish's body without the store (the fuzz target's entry): order an id, title and
 * story within their caps and free of phone and ID numbers; borrowed from body. */
enum wg_rc wg_wish_read(const json_t *body, long long *order, const char **title,
                        const char **story, struct wg_err *err);
/* The bodies of the moves and of the resident's confirmation, without the store. */
enum wg_rc wg_wish_claim_read(const json_t *body, long long *person, const char **as,
                              struct wg_err *err);
enum wg_rc wg_wish_fulfil_read(const json_t *body, const char **note, const char **photo,
                               struct wg_err *err);
enum wg_rc wg_wish_withdraw_read(const json_t *body, const char **reason, struct wg_err *err);
enum wg_rc wg_wish_confirm_read(const json_t *body, const char **thanks, struct wg_err *err);

/* POST /api/v1/wishes: publishes the wish of body {order, title, story} (see above) by actor
 * at now, in one transaction; *id its id. */
enum wg_rc wg_wish_publish(struct wg_db *db, const struct wg_pii_keys *keys,
                           const struct wg_actor *actor, const json_t *body, long long now,
                           long long *id, struct wg_err *err);

/* Whether person may claim a wish as `as` (party_member or volunteer), seen from scope: the
 * person exists in the registry in scope (else WG_EINVAL naming 'person'), and a
 * party_member is a member of a party organization (else WG_EINVAL naming 'as'). For a
 * volunteer, the registry's person is what is checked here; the volunteers' roll (issue 22's
 * volunteers part) is wired in this one place. label (64 bytes) gets the wall's form
 * ("党员 王*"). */
enum wg_rc wg_wish_claimant_check(struct wg_db *db, const struct wg_pii_keys *keys,
                                  const struct wg_scope *scope, long long person, const char *as,
                                  char label[64], struct wg_err *err);

/* A move on wish id by actor on the version read: action claim, fulfil or withdraw with its
 * body (see above). */
enum wg_rc wg_wish_act(struct wg_db *db, const struct wg_pii_keys *keys,
                       const struct wg_actor *actor, long long id, long long version,
                       const char *action, const json_t *body, long long now, struct wg_err *err);

/* One wish the actor sees (else WG_ENOTFOUND) with its order and timeline; *version for the
 * ETag. */
enum wg_rc wg_wish_view(struct wg_db *db, const struct wg_actor *actor, long long id, json_t **out,
                        long long *version, struct wg_err *err);
/* GET /api/v1/wishes: state, limit (1–200, 50), cursor. {wishes, limit, next_cursor}. */
enum wg_rc wg_wish_list(struct wg_db *db, const struct wg_actor *actor, const char *state,
                        const char *limit, const char *cursor, json_t **out, struct wg_err *err);
/* GET /api/v1/public/wishes: grid or village (codes), state, limit, cursor; every wish but
 * the withdrawn, in public form. */
enum wg_rc wg_wish_public_list(struct wg_db *db, const char *grid, const char *village,
                               const char *state, const char *limit, const char *cursor,
                               json_t **out, struct wg_err *err);
/* The public form of order_id's wish for the resident's appeal page, *out NULL when the
 * order has none. */
enum wg_rc wg_wish_of_order(struct wg_db *db, long long order_id, json_t **out, struct wg_err *err);
/* The resident confirms order_id's wish with body {confirmed: true, thanks?}, inside the
 * caller's transaction: WG_ENOTFOUND when the order has no wish, WG_ECONFLICT naming the
 * state unless it is fulfilled. */
enum wg_rc wg_wish_confirm_in(struct wg_db *db, const struct wg_pii_keys *keys, long long order_id,
                              const json_t *body, long long now, struct wg_err *err);

/* ---- sample_wishes.c: the demo ---- */

struct wg_wish_sample_report {
    int wishes, confirmed, deliberations, notices, items;
};
/* The demo's wish wall and deliberations over county at now: 心愿 orders filed through the
 * portal's intake with their wishes in every state, claimed by the registry's party members
 * and the town's volunteers; deliberations at every stage with their notices; the needs,
 * resources and projects lists of a few communities. A store that holds wishes already is left
 * as it is. */
struct wg_order_env;
struct wg_locator;
enum wg_rc wg_wish_sample(struct wg_db *db, const struct wg_order_env *env,
                          const struct wg_locator *loc, const char *county, long long now,
                          struct wg_wish_sample_report *rep, struct wg_err *err);

#endif
