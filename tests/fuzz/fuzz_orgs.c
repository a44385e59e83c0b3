/* Fuzz target: the bodies of the registry's organizations, things and party organizations
 * (POST /api/v1/orgs, /api/v1/things, /api/v1/party/orgs), as a registry writer sends them.
 * Whatever an apply accepts must be a record the store can hold and the rest of the module
 * reads: a credit code that passes its checks, a kind and state of their lists, a thing's
 * code of the layout (or a class to make one from), a party organization with one place. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/registry/org.h"
#include "domain/registry/party.h"
#include "domain/registry/thing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int listed(const char *const *list, const char *v)
{
    while (*list && strcmp(*list, v))
        list++;
    return *list != NULL;
}

static void org(const json_t *body)
{
    struct wg_err err = {0};
    struct wg_org o;
    memset(&o, 0, sizeof o);
    if (wg_org_apply(&o, body, &err) == WG_OK) {
        assert(wg_org_check_credit_code(o.credit_code, &err) == WG_OK);
        assert(listed(wg_org_kinds, o.kind) && o.name[0] && o.person_name[0]);
        assert(o.grid[0] || o.building[0]);
        assert(o.hazards < (1u << 7));
        assert(!o.has_point || (o.lon >= -180 && o.lon <= 180 && o.lat >= -90 && o.lat <= 90));
        assert(!*o.person_phone || wg_pii_check_phone(o.person_phone, &err) == WG_OK);
    } else {
        assert(err.msg[0]);
    }
    wg_org_release(&o);
}

static void thing(const json_t *body)
{
    struct wg_err err = {0};
    struct wg_thing_row t;
    char klass[5];
    memset(&t, 0, sizeof t);
    if (wg_thing_apply(&t, body, klass, &err) == WG_OK) {
        assert(t.code[0] || strlen(klass) == 4);
        assert(!t.code[0] || wg_thing_check_code("code", t.code, &err) == WG_OK);
        assert(listed(wg_thing_states, t.state) && t.name[0] && t.grid[0]);
        assert(t.owner_unit[0] && t.maint_unit[0]);
    } else {
        assert(err.msg[0]);
    }
}

static void party(const json_t *body)
{
    struct wg_err err = {0};
    struct wg_party_org_row p;
    memset(&p, 0, sizeof p);
    if (wg_party_org_apply(&p, body, &err) == WG_OK) {
        assert(listed(wg_party_kinds, p.kind) && p.name[0] && p.place[0]);
        assert(!strcmp(p.place_kind, "region") || !strcmp(p.place_kind, "grid") ||
               !strcmp(p.place_kind, "building"));
        assert(p.parent >= 0);
    } else {
        assert(err.msg[0]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!body)
        return 0;
    org(body);
    thing(body);
    party(body);
    json_decref(body);
    return 0;
}
