/* The roles (SPEC §8–9) as values: the ten an account holds, in SPEC §9 order, and two that
 * no account holds — the resident, for whom the residents' portal acts (the holder of an
 * appeal's tracking code), and an integration API key. A role is parsed once, where it comes
 * in (a stored account, a key, the portal); everything after compares values, and its name
 * is written only where a person or a record reads it. */
#ifndef WG_DOMAIN_ROLE_H
#define WG_DOMAIN_ROLE_H

#include "core/err.h"

enum wg_role_id {
    WG_ROLE_SYSADMIN,
    WG_ROLE_SECADMIN,
    WG_ROLE_AUDITOR,
    WG_ROLE_AGENT,
    WG_ROLE_SUPERVISOR,
    WG_ROLE_HANDLER,
    WG_ROLE_GRIDWORKER,
    WG_ROLE_COMMUNITY,
    WG_ROLE_MEDIATOR,
    WG_ROLE_LEADER,
    WG_ROLE_RESIDENT, /* no account: the portal acts as them */
    WG_ROLE_APIKEY,   /* no account: an integration key */
    WG_ROLE_COUNT
};
#define WG_ROLE_ACCOUNTS WG_ROLE_RESIDENT /* the roles before it are accounts' */

/* "handler"; "?" out of range. */
const char *wg_role_name(enum wg_role_id r);
/* Any role's name → its value; WG_EINVAL listing the names otherwise. */
enum wg_rc wg_role_parse(const char *name, enum wg_role_id *out, struct wg_err *err);

#endif
