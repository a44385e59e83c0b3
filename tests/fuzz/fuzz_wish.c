/* Fuzz target: the bodies of the wish wall as clients send them — a new wish (POST
 * /api/v1/wishes), a claim ('c' first), a fulfilment ('f'), a withdrawal ('w') and the
 * resident's confirmation on the portal ('r'). What is accepted is what the store can keep
 * and the wall can show: an order id above 0, a title and story within their caps holding
 * no phone or ID number; a registry person as party_member or volunteer; a note with at most
 * a SHA-256 photo reference; a reason; confirmed true with thanks free of phone numbers.
 * What is refused says why. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/partake/wish.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void refused(enum wg_rc rc, const struct wg_err *err)
{
    assert(rc == WG_EINVAL && err->rc == WG_EINVAL && err->msg[0]);
}

static void check(char kind, const json_t *body)
{
    struct wg_err err = {0};
    const char *a = NULL, *b = NULL;
    long long id = 0;
    enum wg_rc rc;
    switch (kind) {
    case 'c':
        if ((rc = wg_wish_claim_read(body, &id, &a, &err)))
            return refused(rc, &err);
        assert(id > 0 && (!strcmp(a, "party_member") || !strcmp(a, "volunteer")));
        return;
    case 'f':
        if ((rc = wg_wish_fulfil_read(body, &a, &b, &err)))
            return refused(rc, &err);
        assert(a && wg_utf8_chars(a) <= WG_WISH_NOTE_MAX && (!b || strlen(b) == 64));
        assert(wg_wish_text_check("note", a, NULL, &err) == WG_OK);
        return;
    case 'w':
        if ((rc = wg_wish_withdraw_read(body, &a, &err)))
            return refused(rc, &err);
        assert(a && wg_utf8_chars(a) <= WG_WISH_NOTE_MAX);
        return;
    case 'r':
        if ((rc = wg_wish_confirm_read(body, &a, &err)))
            return refused(rc, &err);
        assert(json_is_true(json_object_get(body, "confirmed")));
        assert(!a || wg_utf8_chars(a) <= WG_WISH_THANKS_MAX);
        return;
    default:
        if ((rc = wg_wish_read(body, &id, &a, &b, &err)))
            return refused(rc, &err);
        assert(id > 0 && wg_utf8_chars(a) >= 1 && wg_utf8_chars(a) <= WG_WISH_TITLE_MAX);
        assert(wg_utf8_chars(b) >= 1 && wg_utf8_chars(b) <= WG_WISH_STORY_MAX);
        assert(wg_wish_text_check("title", a, NULL, &err) == WG_OK);
        assert(wg_wish_text_check("story", b, NULL, &err) == WG_OK);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char kind = size && strchr("cfwr", data[0]) && data[0] ? (char)data[0] : 0;
    size_t skip = kind ? 1 : 0;
    json_t *body = json_loadb((const char *)data + skip, size - skip, JSON_REJECT_DUPLICATES, NULL);
    if (!body)
        return 0;
    check(kind, body);
    json_decref(body);
    return 0;
}
