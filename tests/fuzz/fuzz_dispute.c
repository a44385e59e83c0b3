/* Fuzz target: a dispute case's body (POST /api/v1/disputes), as a grid worker, a mediator or
 * the centre sends it. What wg_case_apply accepts must be a case the store can hold: a type,
 * source and risk from their lists, a description, an amount that is whole fen, 2 to 20
 * parties with at least one applicant and one respondent, each named, people at least the
 * parties, a place, and the order exactly for an order's case. What it refuses says why. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/disputes/dispute.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int listed(const char *const *list, const char *v)
{
    for (; *list; list++)
        if (v == *list)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wg_err err = {0};
    struct wg_case c;
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!body)
        return 0;
    if (wg_case_apply(&c, body, &err) == WG_OK) {
        int applicants = 0, respondents = 0;
        assert(listed(wg_case_types, c.type) && listed(wg_case_sources, c.source) &&
               listed(wg_case_risks, c.risk));
        assert(c.description && c.description[0]);
        assert(c.amount_fen >= 0 && c.amount_fen <= 10000000000000LL);
        assert(c.nparties >= 2 && c.nparties <= WG_CASE_PARTIES_MAX && c.people >= c.nparties);
        assert(c.grid[0] || c.has_point);
        assert(!strcmp(c.source, "order") == (c.order_id > 0));
        for (int i = 0; i < c.nparties; i++) {
            assert(listed(wg_case_roles, c.parties[i].role) && c.parties[i].name[0]);
            assert(c.parties[i].id_number && c.parties[i].phone);
            applicants += !strcmp(c.parties[i].role, "applicant");
            respondents += !strcmp(c.parties[i].role, "respondent");
        }
        assert(applicants && respondents);
        wg_case_release(&c);
    } else {
        assert(err.msg[0] && !c.description && !c.nparties);
    }
    json_decref(body);
    return 0;
}
