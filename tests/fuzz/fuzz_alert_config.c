/* Fuzz target: the bodies the alerts' routes check against the store, as clients send them —
 * a device (POST and PUT /api/v1/devices, first byte 'd'), the alert rules (PUT
 * /api/v1/alert-rules, 'r') and a leader's 帮包 (POST /api/v1/sponsorships, 's') — each
 * against a fresh migrated SQLite store (no grids, no units, no accounts: a device's point is
 * outside every grid, a leader is nobody) inside a transaction rolled back afterwards. Whatever the
 * bytes, the answer is WG_OK or a refusal with its message, the code one a client may get
 * (400, 404, 409), and the store takes no half of it. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/accounts/account.h"
#include "domain/accounts/session.h"
#include "domain/alerts/alert.h"
#include "domain/alerts/device.h"
#include "domain/alerts/sponsor.h"
#include "domain/catalog/catalog.h"
#include "domain/map/locate.h"
#include "store/store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct wg_store *store;
static struct wg_db *db;
static struct wg_locator *loc;
static struct wg_catalog cat;
static struct wg_actor agent;

static void cleanup(void)
{
    wg_locator_release(loc);
    wg_catalog_release(&cat);
    if (db)
        wg_store_put(db);
    wg_store_close(store);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static char dir[] = "/tmp/wg-fuzz-alerts-XXXXXX";
    struct wg_err err = {0};
    (void)argc, (void)argv;
    if (!mkdtemp(dir) || wg_store_open(dir, 1, &store, &err) || wg_store_get(store, &db, &err) ||
        wg_locator_build(db, &loc, &err)) {
        fprintf(stderr, "fuzz_alert_config: no store in %s: %s\n", dir, err.msg);
        exit(1);
    }
    wg_catalog_init(&cat);
    if (wg_catalog_load_defaults(&cat, &err))
        exit(1);
    snprintf(agent.username, sizeof agent.username, "agent1");
    wg_role_parse("agent", &agent.role, NULL);
    agent.perms = wg_role_find("agent")->perms;
    snprintf(agent.scope.kind, sizeof agent.scope.kind, "region");
    snprintf(agent.scope.code, sizeof agent.scope.code, "371302");
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_err err = {0};
    if (size < 1)
        return 0;
    json_t *in = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
    if (!in)
        return 0;
    enum wg_rc rc = wg_db_begin(db, &err);
    assert(rc == WG_OK);
    if (data[0] == 'd') {
        struct wg_device_row d;
        /* a POST, or a PUT of device cam-1 */
        rc = wg_device_read(db, loc, in, size % 2 ? NULL : "cam-1", &d, &err);
        /* with no grids and no units, nothing is a device */
        assert(rc != WG_OK && err.msg[0] && (rc == WG_EINVAL || rc == WG_ENOTFOUND));
    } else if (data[0] == 'r') {
        rc = wg_alert_rules_put(db, &cat, in, "admin", 1767225600, &err);
        assert(rc == WG_OK || (rc == WG_EINVAL && err.msg[0]));
    } else if (data[0] == 's') {
        long long id = 0;
        rc = wg_sponsor_create(db, &agent, in, 1767225600, &id, &err);
        /* no grid and no leader exist: never stored */
        assert(rc != WG_OK && err.msg[0] &&
               (rc == WG_EINVAL || rc == WG_ENOTFOUND || rc == WG_ECONFLICT));
    }
    wg_db_rollback(db);
    json_decref(in);
    return 0;
}
