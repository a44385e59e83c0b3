/* Sealing, opening and re-sealing account profiles. */
#include "domain/accounts/profile.h"
#include "core/alloc.h"
#include "store/accounts/accounts_q.h"

#include <sodium.h>

static const char *const contexts[3] = {"account.real_name", "account.phone", "account.id_number"};

static enum wg_rc seal(const struct wg_pii_keys *keys, const char *clear, int field, char **out,
                       struct wg_err *err)
{
    *out = NULL;
    if (!clear || !*clear)
        return WG_OK;
    return wg_pii_encrypt(keys, clear, contexts[field], out, err);
}

enum wg_rc wg_profile_set(struct wg_db *db, const struct wg_pii_keys *keys, const char *username,
                          const char *name, const char *phone, const char *id_number,
                          struct wg_err *err)
{
    char nphone[64] = "", nid[64] = "", blind[WG_PII_BLIND_HEX] = "";
    char *s_name = NULL, *s_phone = NULL, *s_id = NULL;
    enum wg_rc rc = WG_OK;
    if (name && strlen(name) > 100)
        return wg_err_set(err, WG_EINVAL, "name is longer than 100 bytes");
    if (phone && *phone) {
        if ((rc = wg_pii_check_phone(phone, err)) ||
            (rc = wg_pii_normalize(WG_PII_PHONE, phone, nphone, sizeof nphone, err)) ||
            (rc = wg_pii_blind(keys, WG_PII_PHONE, nphone, blind, err))) {
            wg_err_prefix(err, "phone");
            return rc;
        }
    }
    if (id_number && *id_number) {
        if ((rc = wg_pii_check_id(id_number, err)) ||
            (rc = wg_pii_normalize(WG_PII_ID, id_number, nid, sizeof nid, err))) {
            wg_err_prefix(err, "id_number");
            return rc;
        }
    }
    if (!(rc = seal(keys, name, 0, &s_name, err)) && !(rc = seal(keys, nphone, 1, &s_phone, err)) &&
        !(rc = seal(keys, nid, 2, &s_id, err)))
        rc = wg_store_account_set_profile(db, username, s_name, s_phone, blind, s_id, err);
    free(s_name);
    free(s_phone);
    free(s_id);
    sodium_memzero(nphone, sizeof nphone);
    sodium_memzero(nid, sizeof nid);
    return rc;
}

static enum wg_rc open_field(const struct wg_pii_keys *keys, const char *stored, int field,
                             char **out, struct wg_err *err)
{
    if (!stored || !*stored) {
        *out = wg_strdup("");
        return WG_OK;
    }
    return wg_pii_decrypt(keys, stored, contexts[field], out, err);
}

enum wg_rc wg_profile_get(struct wg_db *db, const struct wg_pii_keys *keys, const char *username,
                          struct wg_profile *out, struct wg_err *err)
{
    struct wg_profile_row row;
    enum wg_rc rc;
    memset(out, 0, sizeof *out);
    rc = wg_store_account_profile(db, username, &row, err);
    if (!rc && !(rc = open_field(keys, row.real_name, 0, &out->name, err)) &&
        !(rc = open_field(keys, row.phone, 1, &out->phone, err)))
        rc = open_field(keys, row.id_number, 2, &out->id_number, err);
    free(row.real_name);
    free(row.phone);
    free(row.id_number);
    if (rc)
        wg_profile_release(out);
    return rc;
}

void wg_profile_release(struct wg_profile *p)
{
    wg_pii_wipe(p->name);
    wg_pii_wipe(p->phone);
    wg_pii_wipe(p->id_number);
    memset(p, 0, sizeof *p);
}

const char *wg_profile_field(const struct wg_profile *p, const char *field)
{
    if (!field)
        return NULL;
    if (!strcmp(field, "name"))
        return p->name;
    if (!strcmp(field, "phone"))
        return p->phone;
    if (!strcmp(field, "id_number"))
        return p->id_number;
    return NULL;
}

struct rot {
    const struct wg_pii_keys *keys;
    size_t n, cap;
    struct {
        char username[64];
        char *v[3];
        int moved;
    } * rows;
    struct wg_err *err;
    enum wg_rc rc;
};

static int collect(const struct wg_profile_row *p, void *ctx)
{
    struct rot *r = ctx;
    const char *v[3] = {p->real_name, p->phone, p->id_number};
    wg_grow(&r->rows, &r->cap, r->n, sizeof *r->rows, 64);
    memset(&r->rows[r->n], 0, sizeof r->rows[r->n]);
    snprintf(r->rows[r->n].username, sizeof r->rows[r->n].username, "%s", p->username);
    for (int f = 0; f < 3; f++) {
        if (*v[f] && wg_pii_needs_rotation(r->keys, v[f])) {
            r->rc = wg_pii_reencrypt(r->keys, v[f], contexts[f], &r->rows[r->n].v[f], r->err);
            r->rows[r->n].moved++;
        } else {
            r->rows[r->n].v[f] = wg_strdup(v[f]);
        }
        if (r->rc)
            return 1;
    }
    r->n++;
    return 0;
}

enum wg_rc wg_profile_rotate(struct wg_db *db, const struct wg_pii_keys *keys, size_t *moved,
                             struct wg_err *err)
{
    struct rot r = {keys, 0, 0, NULL, err, WG_OK};
    enum wg_rc rc;
    *moved = 0;
    if ((rc = wg_db_begin(db, err)))
        return rc;
    rc = wg_store_account_profiles(db, collect, &r, err);
    if (!rc)
        rc = r.rc;
    for (size_t i = 0; !rc && i < r.n; i++) {
        if (!r.rows[i].moved)
            continue;
        /* the blind index is under key version 1 for good: only the sealed values change */
        rc = wg_store_account_reseal(db, r.rows[i].username, r.rows[i].v[0], r.rows[i].v[1],
                                     r.rows[i].v[2], err);
        *moved += (size_t)r.rows[i].moved;
    }
    if (!rc)
        rc = wg_db_commit(db, err);
    if (rc)
        wg_db_rollback(db);
    for (size_t i = 0; i < r.n; i++)
        for (int f = 0; f < 3; f++)
            free(r.rows[i].v[f]);
    free(r.rows);
    return rc;
}
