/* A case's agreement as a document (agreement.h): the case, its parties opened and its last
 * `agree` and `confirm` steps read from the store, then set as 人民调解协议书 or
 * 口头调解协议登记表 by the document writer (pdf/pdf.h). */
#include "domain/disputes/agreement.h"

#include "core/alloc.h"
#include "core/civil.h"
#include "domain/accounts/pii.h"
#include "domain/accounts/profile.h"
#include "domain/registry/person.h"
#include "pdf/pdf.h"
#include "store/disputes/dispute_q.h"

/* ---- reading ---- */

struct load {
    const struct wg_pii_keys *keys;
    const struct wg_scope *scope;
    struct wg_case_agreement *a;
    int found;
    char state[16];
    char *agree, *confirm; /* the last such step's sealed record (owned) */
    enum wg_rc rc;
    struct wg_err *err;
};

static int on_case(const struct wg_dispute_row *r, void *ctx)
{
    struct load *l = ctx;
    if (!wg_registry_covers(l->scope, r->grid))
        return 0;
    l->found = 1;
    snprintf(l->a->number, sizeof l->a->number, "%s", r->number);
    snprintf(l->a->type, sizeof l->a->type, "%s", r->type);
    snprintf(l->state, sizeof l->state, "%s", r->state);
    snprintf(l->a->body_name, sizeof l->a->body_name, "%s", r->body_name);
    snprintf(l->a->mediator, sizeof l->a->mediator, "%s", r->mediator);
    return 0;
}

/* The mediator by their real name (their account's profile), else by their username. */
static void mediator_name(struct wg_db *db, const struct wg_pii_keys *keys,
                          struct wg_case_agreement *a)
{
    struct wg_profile p = {0};
    struct wg_err e = {0};
    if (!*a->mediator || wg_profile_get(db, keys, a->mediator, &p, &e))
        return;
    if (p.name && *p.name)
        snprintf(a->mediator, sizeof a->mediator, "%s", p.name);
    wg_profile_release(&p);
}

/* A sealed field in clear (owned); "" stays "". */
static char *opened(struct load *l, const char *stored, const char *context)
{
    char *clear = NULL;
    if (!*stored || l->rc)
        return wg_strdup("");
    if ((l->rc = wg_pii_decrypt(l->keys, stored, context, &clear, l->err)))
        return wg_strdup("");
    return clear;
}

static int on_party(const struct wg_dispute_party_row *p, void *ctx)
{
    struct load *l = ctx;
    struct wg_case_agreement *a = l->a;
    if (a->nparties >= WG_CASE_PARTIES_MAX)
        return 0;
    struct wg_case_agreement_party *q = &a->parties[a->nparties++];
    snprintf(q->role, sizeof q->role, "%s", p->role);
    snprintf(q->id_type, sizeof q->id_type, "%s", p->id_type);
    q->name = opened(l, p->name, "dispute_party.name");
    q->id_number = opened(l, p->id_number, "dispute_party.id_number");
    q->phone = opened(l, p->phone, "dispute_party.phone");
    return l->rc != WG_OK;
}

static int on_event(const struct wg_dispute_event_row *e, void *ctx)
{
    struct load *l = ctx;
    char **keep = !strcmp(e->action, "agree")     ? &l->agree
                  : !strcmp(e->action, "confirm") ? &l->confirm
                                                  : NULL;
    if (keep) {
        free(*keep);
        *keep = wg_strdup(e->detail ? e->detail : "");
        if (keep == &l->agree)
            l->a->agreed_at = e->at;
    }
    return 0;
}

/* A step's record (sealed JSON) opened: *out owned (json_decref). */
static enum wg_rc record_of(struct load *l, const char *sealed, json_t **out)
{
    char *text = opened(l, sealed, "dispute_event.detail");
    json_error_t je;
    *out = NULL;
    if (!l->rc && !(*out = json_loads(*text ? text : "{}", 0, &je)))
        l->rc = wg_err_set(l->err, WG_EINTERNAL,
                           "a step's record of dispute case %lld is not "
                           "JSON: %s",
                           l->a->id, je.text);
    wg_pii_wipe(text);
    return l->rc;
}

static char *text_in(const json_t *record, const char *key)
{
    const char *s = json_string_value(json_object_get(record, key));
    return wg_strdup(s ? s : "");
}

/* The agreement's and the confirmation's records into *a. */
static enum wg_rc records(struct load *l)
{
    struct wg_case_agreement *a = l->a;
    json_t *agree = NULL, *confirm = NULL;
    if (record_of(l, l->agree, &agree) || (l->confirm && record_of(l, l->confirm, &confirm))) {
        json_decref(agree);
        return l->rc;
    }
    const char *form = json_string_value(json_object_get(agree, "form"));
    snprintf(a->form, sizeof a->form, "%s", form && !strcmp(form, "oral") ? "oral" : "written");
    a->facts = text_in(agree, "facts");
    a->terms = text_in(agree, "terms");
    a->performance = text_in(agree, "performance");
    const char *status = json_string_value(json_object_get(confirm, "status"));
    snprintf(a->confirm, sizeof a->confirm, "%s", status ? status : "");
    a->court = text_in(confirm, "court");
    json_decref(agree);
    json_decref(confirm);
    return WG_OK;
}

enum wg_rc wg_case_agreement_load(struct wg_db *db, const struct wg_pii_keys *keys,
                                  const struct wg_scope *scope, long long id,
                                  struct wg_case_agreement *a, struct wg_err *err)
{
    struct load l = {keys, scope, a, 0, "", NULL, NULL, WG_OK, err};
    memset(a, 0, sizeof *a);
    a->id = id;
    enum wg_rc rc = wg_store_dispute_get(db, id, on_case, &l, err);
    if ((!rc || rc == WG_ENOTFOUND) && !l.found)
        rc = wg_err_set(err, WG_ENOTFOUND, "dispute case %lld does not exist", id);
    if (!rc)
        rc = wg_store_dispute_events(db, id, on_event, &l, err);
    if (!rc && !l.agree)
        rc = wg_err_set(err, WG_ECONFLICT,
                        "dispute case %lld has no agreement to print: it is %s, and no "
                        "agreement was reached on it",
                        id, l.state);
    if (!rc)
        rc = wg_store_dispute_parties(db, id, on_party, &l, err);
    if (!rc)
        rc = l.rc;
    if (!rc)
        rc = records(&l);
    if (!rc)
        mediator_name(db, keys, a);
    free(l.agree);
    free(l.confirm);
    if (rc) {
        wg_case_agreement_release(a);
        memset(a, 0, sizeof *a);
    }
    return rc;
}

void wg_case_agreement_release(struct wg_case_agreement *a)
{
    for (int i = 0; i < a->nparties; i++) {
        wg_pii_wipe(a->parties[i].name);
        wg_pii_wipe(a->parties[i].id_number);
        wg_pii_wipe(a->parties[i].phone);
    }
    a->nparties = 0;
    wg_pii_wipe(a->facts);
    wg_pii_wipe(a->terms);
    wg_pii_wipe(a->performance);
    free(a->court);
    a->facts = a->terms = a->performance = a->court = NULL;
}

/* ---- the document ---- */

/* A code of the lists (dispute.h, the case's body) and its words on paper. */
struct label {
    const char *code, *words;
};

static const struct label types[] = {
    {"marriage_family", "婚姻家庭纠纷"},
    {"neighbours", "邻里纠纷"},
    {"house_land", "房屋宅基地纠纷"},
    {"damages", "损害赔偿纠纷"},
    {"debt", "债务纠纷"},
    {"contract", "合同纠纷"},
    {"labour", "劳动争议纠纷"},
    {"property", "物业纠纷"},
    {"medical", "医疗纠纷"},
    {"traffic", "交通事故纠纷"},
    {"land_taking", "征地拆迁纠纷"},
    {"forest_land", "山林土地纠纷"},
    {"pollution", "环境污染纠纷"},
    {"other", "其他纠纷"},
    {NULL, NULL},
};
static const struct label roles[] = {
    {"applicant", "申请人"}, {"respondent", "被申请人"}, {"third_party", "第三人"}, {NULL, NULL}};
static const struct label id_types[] = {
    {"resident_id", "居民身份证"}, {"passport", "护照"}, {"other", "其他证件"}, {NULL, NULL}};
static const struct label confirmations[] = {{"applied", "已向人民法院申请司法确认"},
                                             {"confirmed", "已经人民法院司法确认"},
                                             {"rejected", "人民法院驳回司法确认申请"},
                                             {NULL, NULL}};

static const char *words(const struct label *l, const char *code)
{
    for (; l->code; l++)
        if (!strcmp(l->code, code))
            return l->words;
    return code;
}

/* The parties as a table: 身份, 姓名, 证件类型及号码, 联系电话. */
static void parties(struct wg_pdf *d, const struct wg_case_agreement *a)
{
    static const double widths[] = {1.1, 1.4, 2.6, 1.6};
    const char *cells[(WG_CASE_PARTIES_MAX + 1) * 4] = {"身份", "姓名", "证件类型及号码",
                                                        "联系电话"};
    char ids[WG_CASE_PARTIES_MAX][160];
    for (int i = 0; i < a->nparties; i++) {
        const struct wg_case_agreement_party *p = &a->parties[i];
        snprintf(ids[i], sizeof ids[i], "%s%s%s", *p->id_number ? words(id_types, p->id_type) : "",
                 *p->id_number ? " " : "", p->id_number);
        cells[(i + 1) * 4] = words(roles, p->role);
        cells[(i + 1) * 4 + 1] = p->name;
        cells[(i + 1) * 4 + 2] = ids[i];
        cells[(i + 1) * 4 + 3] = p->phone;
    }
    wg_pdf_table(d, 4, widths, cells, (size_t)a->nparties + 1);
}

/* When it binds, and who keeps a copy (People's Mediation Law art. 29, 30). */
static void effect(struct wg_pdf *d, const struct wg_case_agreement *a, int oral)
{
    char text[512];
    if (oral)
        snprintf(text, sizeof text,
                 "本口头调解协议自各方当事人达成协议之日起生效（《中华人民共和国人民调解法》第三十"
                 "条）。本登记表由人民调解委员会留存。");
    else
        snprintf(text, sizeof text,
                 "本协议书自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印"
                 "章之日起生效（《中华人民共和国人民调解法》第二十九条）。本协议书一式%d份，当事"
                 "人各执一份，人民调解委员会留存一份。",
                 a->nparties + 1);
    wg_pdf_paragraph(d, text);
}

static void signatures(struct wg_pdf *d, const struct wg_case_agreement *a)
{
    char label[256];
    for (int i = 0; i < a->nparties; i++) {
        snprintf(label, sizeof label, "当事人签名（%s %s）", words(roles, a->parties[i].role),
                 a->parties[i].name);
        wg_pdf_signature(d, label);
    }
    wg_pdf_signature(d, "调解员签名");
    wg_pdf_signature(d, "人民调解委员会（印章）");
}

static void document(struct wg_pdf *d, const struct wg_case_agreement *a)
{
    int oral = !strcmp(a->form, "oral"), y, m, day;
    char line[512];
    wg_pdf_title(d, oral ? "口头调解协议登记表" : "人民调解协议书");
    snprintf(line, sizeof line, "编号：%s", a->number);
    wg_pdf_line(d, line, WG_PDF_RIGHT);
    wg_pdf_space(d, 6);
    wg_pdf_field(d, "调解组织", a->body_name);
    wg_pdf_field(d, "调解员", a->mediator);
    wg_pdf_field(d, "纠纷类型", words(types, a->type));
    wg_pdf_heading(d, "当事人");
    parties(d, a);
    wg_pdf_heading(d, "一、纠纷事实及各方责任");
    wg_pdf_paragraph(d, a->facts);
    wg_pdf_heading(d, "二、协议内容");
    wg_pdf_paragraph(d, "经人民调解委员会调解，各方当事人自愿达成如下协议：");
    wg_pdf_paragraph(d, a->terms);
    wg_pdf_heading(d, "三、履行方式和期限");
    wg_pdf_paragraph(d, a->performance);
    if (*a->confirm) {
        snprintf(line, sizeof line, "%s%s%s%s", words(confirmations, a->confirm),
                 *a->court ? "（" : "", a->court, *a->court ? "）" : "");
        wg_pdf_space(d, 6);
        wg_pdf_field(d, "司法确认", line);
    }
    wg_pdf_space(d, 8);
    wg_pdf_keep_begin(d); /* no page of signatures alone */
    effect(d, a, oral);
    signatures(d, a);
    wg_civil_date(wg_cst_day(a->agreed_at), &y, &m, &day);
    snprintf(line, sizeof line, "%d年%d月%d日", y, m, day);
    wg_pdf_space(d, 18);
    wg_pdf_line(d, line, WG_PDF_RIGHT);
    wg_pdf_keep_end(d);
}

enum wg_rc wg_case_agreement_pdf(const struct wg_case_agreement *a, char **pdf, size_t *len,
                                 struct wg_err *err)
{
    int pages = 0;
    struct wg_pdf *d =
        wg_pdf_new(!strcmp(a->form, "oral") ? "口头调解协议登记表" : "人民调解协议书");
    document(d, a);
    enum wg_rc rc = wg_pdf_render(d, pdf, len, &pages, err);
    wg_pdf_free(d);
    return rc;
}
