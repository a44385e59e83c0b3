/* A case's agreement as the document its parties sign (People's Mediation Law art. 28–30):
 * 人民调解协议书 for a written agreement, 口头调解协议登记表 for an oral one. It is read from the
 * case — its number and type, its parties in full (the document is what they sign, so their
 * names, ID documents and phones are opened here, not masked) — and from the case's last
 * `agree` step: the form, the facts and responsibilities, the terms, the manner and time of
 * performance, and the day (China's). A judicial confirmation asked for or given since (the
 * last `confirm` step) is noted on it. The mediation body and the mediator are the case's (the
 * mediator by the real name on their account); lines to fill in by hand while it names none. */
#ifndef WG_DOMAIN_AGREEMENT_H
#define WG_DOMAIN_AGREEMENT_H

#include <stddef.h>

#include "core/err.h"
#include "domain/accounts/account.h"
#include "domain/accounts/pii_keys.h"
#include "domain/disputes/dispute.h"
#include "store/store.h"

struct wg_case_agreement_party {
    char role[16], id_type[16];     /* as stored: applicant…, resident_id… */
    char *name, *id_number, *phone; /* owned, in clear; "" when not given */
};

struct wg_case_agreement {
    long long id;
    char number[40], type[24];
    char body_name[128];               /* the mediation body's name; "" while the case names none */
    char mediator[64];                 /* the mediator's real name (else username); "" likewise */
    char form[8];                      /* "written" or "oral" */
    char *facts, *terms, *performance; /* owned */
    long long agreed_at;               /* unix seconds: the `agree` step's */
    char confirm[12];                  /* the last `confirm` step's status, "" without one */
    char *court;                       /* owned: its court, "" when not given */
    struct wg_case_agreement_party parties[WG_CASE_PARTIES_MAX];
    int nparties;
};

/* Reads case id's agreement into *a (zeroed first): the case in scope (else WG_ENOTFOUND), with
 * an `agree` step (else WG_ECONFLICT, naming the case's state); its sealed fields opened with
 * keys. On an error *a holds nothing to release. */
enum wg_rc wg_case_agreement_load(struct wg_db *db, const struct wg_pii_keys *keys,
                                  const struct wg_scope *scope, long long id,
                                  struct wg_case_agreement *a, struct wg_err *err);
/* Wipes the clear personal fields and frees what *a owns. */
void wg_case_agreement_release(struct wg_case_agreement *a);

/* The agreement as a PDF (pdf/pdf.h): *pdf returns owned, *len bytes. */
enum wg_rc wg_case_agreement_pdf(const struct wg_case_agreement *a, char **pdf, size_t *len,
                                 struct wg_err *err);

#endif
