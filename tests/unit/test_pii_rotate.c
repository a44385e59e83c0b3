/* Key rotation of the values kept with orders (domain/accounts/pii_rotate.h) on a real store: more
 * orders than one page, all re-sealed under the new version and still opening to what was
 * sealed; an order with no reporter untouched; a second run finds nothing to do. */
#include "t.h"

#include <stdlib.h>

#include "domain/accounts/pii_keys.h"
#include "domain/accounts/pii_rotate.h"
#include "t_order.h"
#include "t_store.h"
#include "store/accounts/accounts_q.h"

struct seen {
    const struct wg_pii_keys *keys;
    long long rows, v2, opened;
};

static int check(const struct wg_sealed_row *r, void *ctx)
{
    struct seen *s = ctx;
    struct wg_err err = {0};
    static const char *const contexts[] = {"order.reporter_name", "order.reporter_phone"};
    static const char *const clear[] = {"王小明", "13912345678"};
    s->rows++;
    for (int i = 0; i < 2; i++) {
        char *v = NULL;
        s->v2 += strncmp(r->v[i], "v2:", 3) == 0;
        if (!wg_pii_decrypt(s->keys, r->v[i], contexts[i], &v, &err) && !strcmp(v, clear[i]))
            s->opened++;
        wg_pii_wipe(v);
    }
    return 0;
}

int main(void)
{
    struct wg_err err = {0};
    struct wg_store *st = t_store_open("pii-rotate");
    struct wg_db *db = NULL;
    struct t_order o;
    struct wg_actor agent;
    struct wg_pii_keys *keys = NULL;
    size_t moved = 0;
    t_order_open(&o, t_store_dir, 0);
    t_actor(&agent, "ag", "agent", "region", "371302");
    T_EQ_INT(wg_store_get(st, &db, &err), WG_OK);
    T_EQ_INT(wg_db_set_durable(db, 0, &err), WG_OK);
    for (int i = 0; i < 1101; i++) {
        struct wg_order_input in;
        long long id;
        t_order_input(&in, "咨询", "咨询内容");
        if (i != 600) { /* one order without a reporter */
            in.reporter_name = "王小明";
            in.reporter_phone = "139 1234 5678";
        }
        T_EQ_INT(wg_order_create(db, &o.env, NULL, &agent, &in, 1790000100, &id, &err), WG_OK);
    }
    T_EQ_INT(wg_db_set_durable(db, 1, &err), WG_OK);

    /* nothing to do under the version the values were sealed with */
    T_EQ_INT(wg_pii_rotate_stored(db, o.keys, &moved, &err), WG_OK);
    T_EQ_INT(moved, 0);

    T_EQ_INT(wg_pii_keys_rotate(t_store_dir, &err), WG_OK);
    T_EQ_INT(wg_pii_keys_load(t_store_dir, &keys, &err), WG_OK);
    T_EQ_INT(wg_pii_rotate_stored(db, keys, &moved, &err), WG_OK);
    T_EQ_INT(moved, 2 * 1100);
    struct seen s = {keys, 0, 0, 0};
    T_EQ_INT(wg_store_sealed_page(db, WG_SEALED_ORDERS, 0, 5000, check, &s, &err), WG_OK);
    T_EQ_INT(s.rows, 1100);
    T_EQ_INT(s.v2, 2 * 1100);
    T_EQ_INT(s.opened, 2 * 1100);
    T_EQ_INT(wg_pii_rotate_stored(db, keys, &moved, &err), WG_OK);
    T_EQ_INT(moved, 0);

    wg_pii_keys_free(keys);
    wg_store_put(db);
    t_order_close(&o);
    t_store_close(st);
    return T_DONE("pii_rotate");
}
