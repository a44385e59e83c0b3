/* People of the registry (实有人口, SPEC §6) and their households.
 *
 * A person is one human being known to the grid: an ID document (type resident_id, passport or
 * other, and its number — a resident ID card's checked by GB 11643), name, gender, birth date,
 * phone, residence kind (registered 户籍, floating 流动, overseas 境外), political status,
 * the grid they live in, the care groups they belong to (a set: elderly living alone,
 * empty-nest, over 80, left-behind child, left-behind elderly, disabled, hardship family),
 * the special populations of GB/T 31000 (released prisoner, community correction, drug
 * user, serious mental disorder with a risk level 0-5, key youth), and a household.
 *
 * Invariants: the ID number, name, phone, birth date and special-population membership are
 * sealed at rest (domain/accounts/pii.h, the accounts' keys and sealing, contexts "person.*"), the
 * special populations sealed even when empty so that a stored row does not tell whether a
 * person is in one; the ID number and phone are kept beside them as blind indexes, and no two
 * persons have the same ID blind index (a second is WG_ECONFLICT naming id_number). Every
 * change bumps version (starting at 1), and a change names the version it read.
 *
 * A household (户) has a number unique in the store, a grid, an address (sealed, context
 * "household.address"), a head (one of the persons) and the grid worker it is paired with
 * (联系户, an account's username). Its members are the persons whose household it is.
 *
 * Who sees what is the API's to enforce (api/registry/): the registry in one's scope, masked;
 * the special populations only with the registry_sensitive grant. */
#ifndef WG_DOMAIN_REGISTRY_PERSON_H
#define WG_DOMAIN_REGISTRY_PERSON_H

#include <jansson.h>

#include "core/err.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii.h"
#include "store/store.h"

/* Care groups, a set. */
enum wg_care {
    WG_CARE_ALONE = 1u << 0,               /* elderly living alone 独居老人 */
    WG_CARE_EMPTY_NEST = 1u << 1,          /* empty-nest elderly 空巢老人 */
    WG_CARE_OVER80 = 1u << 2,              /* over 80 高龄老人 */
    WG_CARE_LEFT_BEHIND_CHILD = 1u << 3,   /* 留守儿童 */
    WG_CARE_LEFT_BEHIND_ELDERLY = 1u << 4, /* 留守老人 */
    WG_CARE_DISABLED = 1u << 5,            /* 残疾人 */
    WG_CARE_HARDSHIP = 1u << 6,            /* families in hardship 困难家庭 */
};
/* Special populations of GB/T 31000-2015, a set. */
enum wg_special {
    WG_SPECIAL_RELEASED = 1u << 0,   /* released prisoner 刑满释放人员 */
    WG_SPECIAL_CORRECTION = 1u << 1, /* community correction 社区矫正人员 */
    WG_SPECIAL_DRUG = 1u << 2,       /* drug user 吸毒人员 */
    WG_SPECIAL_MENTAL = 1u << 3,     /* serious mental disorder 严重精神障碍患者 */
    WG_SPECIAL_KEY_YOUTH = 1u << 4,  /* key youth 重点青少年 */
};

/* A care group or special population by its API name ("alone", "mental"); 0 when none. */
unsigned wg_care_parse(const char *name);
unsigned wg_special_parse(const char *name);

struct wg_person {
    long long id;
    char id_type[16];               /* resident_id, passport, other */
    char *id_number, *name, *phone; /* clear text, owned; phone "" when none */
    char gender[8];                 /* male, female, "" */
    char birth_date[12];            /* YYYY-MM-DD or "" */
    char residence[16];             /* registered, floating, overseas */
    char political[16];             /* see person.c's list, or "" */
    char grid[32];
    unsigned care, special;
    int mental_risk;     /* 0..5 with WG_SPECIAL_MENTAL, else -1 */
    long long household; /* 0: none */
    long long created_at, updated_at, version;
};
void wg_person_release(struct wg_person *p); /* wipes the clear fields */

/* A resident ID card number: GB 11643 (wg_pii_check_id) and a birth date not after today
 * (China time at now). Messages name the field id_number. */
enum wg_rc wg_person_check_resident_id(const char *id, long long now, struct wg_err *err);

/* The registry's scope rule: NULL sees everything; a unit's scope none of it; a region or
 * grid scope its subtree. */
int wg_registry_covers(const struct wg_scope *scope, const char *grid);
/* The grid of a registry record (a person, household, patrol): a grid that exists (current)
 * and lies in scope; else WG_EINVAL naming field. */
enum wg_rc wg_registry_grid_check(struct wg_db *db, const struct wg_scope *scope, const char *field,
                                  const char *grid, struct wg_err *err);

/* The blind index of an ID document: a resident ID's number alone (the same number however
 * it is typed), another document's type and number. Persons and the parties of dispute cases
 * are found by it. */
enum wg_rc wg_document_blind(const struct wg_pii_keys *keys, const char *id_type,
                             const char *id_number, char out[WG_PII_BLIND_HEX], struct wg_err *err);

/* Applies a JSON body onto p (zeroed for a new person, or one loaded to change): each field
 * the body has replaces p's, then the whole is checked. A special population or risk level
 * in the body without `sensitive` is WG_EFORBIDDEN naming registry_sensitive. Every message
 * opens with the field it is about. Nothing is stored. */
enum wg_rc wg_person_apply(struct wg_person *p, json_t *body, int sensitive, long long now,
                           struct wg_err *err);

/* Seals and stores a new person (p->id, version and times set), or a change to p->id whose
 * stored version must be p->version (else WG_EPRECOND); the grid must exist and lie in scope,
 * the household too. A second person with the same ID document is WG_ECONFLICT. */
enum wg_rc wg_person_create(struct wg_db *db, const struct wg_pii_keys *keys,
                            const struct wg_scope *scope, struct wg_person *p, long long now,
                            struct wg_err *err);
enum wg_rc wg_person_update(struct wg_db *db, const struct wg_pii_keys *keys,
                            const struct wg_scope *scope, struct wg_person *p, long long now,
                            struct wg_err *err);
/* A new person's sealed form (wg_person_create's sealing, done apart from the store, so
 * possibly on another thread), holding the error sealing p would give; never NULL. id_blind:
 * p's ID blind index (wg_person_id_blind) when the caller has it, else NULL. Then
 * wg_person_create_sealed stores p as wg_person_create would, with s made from p as it is;
 * absent, when not NULL, is an ID blind index the caller found no person under in this
 * transaction, so that no second look is needed when it is p's. It leaves the new person's
 * visit due day unmarked: the caller (an import) marks all the persons it made at once,
 * before its transaction ends (wg_store_visit_due_touch_ids over their ids). */
struct wg_person_sealed;
struct wg_person_sealed *wg_person_seal(const struct wg_pii_keys *keys, const struct wg_person *p,
                                        const char *id_blind);
void wg_person_sealed_free(struct wg_person_sealed *s);
enum wg_rc wg_person_create_sealed(struct wg_db *db, const struct wg_scope *scope,
                                   struct wg_person *p, struct wg_person_sealed *s,
                                   const char *absent, long long now, struct wg_err *err);
/* The blind index of p's ID document (its type and number), by which a person is found
 * (wg_store_person_by_id_blind) and never stored twice. */
enum wg_rc wg_person_id_blind(const struct wg_pii_keys *keys, const struct wg_person *p,
                              char out[WG_PII_BLIND_HEX], struct wg_err *err);
/* Opens person id; outside scope is WG_ENOTFOUND as if it did not exist. */
enum wg_rc wg_person_load(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_scope *scope, long long id, struct wg_person *out,
                          struct wg_err *err);

/* Opens a stored row (store/registry/registry_q.h) into *p. */
struct wg_person_row;
enum wg_rc wg_person_open_row(const struct wg_pii_keys *keys, const struct wg_person_row *r,
                              struct wg_person *p, struct wg_err *err);

/* The person as answered: name, ID number and phone masked (张*, 370302********1234,
 * 138****1234), the birth date as its year only ("1980-**-**"); the special populations
 * and risk level only when sensitive. Returns a new reference. */
json_t *wg_person_json(const struct wg_person *p, int sensitive);
/* One field in clear, for a reveal: id_number, name, phone, birth_date, or (sensitive only)
 * special. *out is owned (wg_pii_wipe it). */
enum wg_rc wg_person_field(const struct wg_person *p, const char *field, int sensitive, char **out,
                           struct wg_err *err);

/* A list of the registry's persons in scope: within grid (exact) or region (a code prefix),
 * in a care group, in a special population (sensitive only), limit 1..200 (50), from a
 * cursor (the next_cursor of the page before). Answers {"persons": [...], "limit": n,
 * "next_cursor": text or null}. With id_number (and id_type) or phone, the persons found
 * by that blind index instead. */
struct wg_person_query {
    const char *grid, *region, *care, *special, *limit, *cursor;
    const char *id_number, *id_type, *phone;
};
enum wg_rc wg_person_list(struct wg_db *db, const struct wg_pii_keys *keys,
                          const struct wg_scope *scope, const struct wg_person_query *q,
                          int sensitive, json_t **out, struct wg_err *err);

/* The code range a list reads: the grid alone ([lo, hi) holds that code only), or a region's
 * subtree, narrowed to the scope; a filter outside the scope is WG_ENOTFOUND, as the things
 * outside it are. */
enum wg_rc wg_registry_range(const struct wg_scope *scope, const char *grid, const char *region,
                             char lo[32], char hi[33], struct wg_err *err);
/* A list's cursor, "<grid>.<id>" of the last row of the page before ("" or NULL: the first
 * page); anything else is WG_EINVAL naming cursor. */
enum wg_rc wg_registry_cursor(const char *text, char grid[32], long long *id, struct wg_err *err);

/* ---- households ---- */
struct wg_household {
    long long id;
    char number[64], grid[32];
    char *address; /* clear, owned */
    long long head;
    char worker[64];
    long long created_at, updated_at, version;
};
void wg_household_release(struct wg_household *h);
/* As wg_person_apply; "members" (an array of person ids) goes to *members (borrowed from
 * body, or NULL when absent) for wg_household_store to apply. */
enum wg_rc wg_household_apply(struct wg_household *h, json_t *body, json_t **members,
                              struct wg_err *err);
/* Stores a new household (h->id 0) or a change (version checked, WG_EPRECOND), checks the
 * grid, head and worker, and makes the members exactly those listed (when members is not
 * NULL) with the head among them. */
enum wg_rc wg_household_store(struct wg_db *db, const struct wg_pii_keys *keys,
                              const struct wg_scope *scope, struct wg_household *h, json_t *members,
                              long long now, struct wg_err *err);
enum wg_rc wg_household_load(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_scope *scope, long long id, struct wg_household *out,
                             struct wg_err *err);
/* Masked address; with_members: the members too, masked as wg_person_json. */
enum wg_rc wg_household_json(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_household *h, int with_members, int sensitive,
                             json_t **out, struct wg_err *err);
/* As wg_person_list, by grid or region, limit and cursor: {"households": [...], ...}. */
enum wg_rc wg_household_list(struct wg_db *db, const struct wg_pii_keys *keys,
                             const struct wg_scope *scope, const struct wg_person_query *q,
                             json_t **out, struct wg_err *err);

#endif
