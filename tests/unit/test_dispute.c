/* A dispute case's body (domain/disputes/dispute.h): a whole case read as recorded, the
 * defaults, and every bad field refused with a message naming it (a party's by its place in
 * the list) and nothing kept. */
#include "t.h"

#include <string.h>

#include "domain/disputes/dispute.h"

static const char *GOOD =
    "{\"source\": \"gridworker\", \"type\": \"neighbours\", \"risk\": \"yellow\","
    " \"description\": \"楼上漏水渗到楼下卧室，双方就维修费用争执不下\","
    " \"amount\": 3200.5, \"grid\": \"371302001001001\","
    " \"parties\": [{\"role\": \"applicant\", \"name\": \"王秀英\","
    " \"id_number\": \"11010519491231002X\", \"phone\": \"138 0013 8000\"},"
    " {\"role\": \"respondent\", \"name\": \"李建国\"}]}";

static enum wg_rc read_case(const char *text, struct wg_case *c, struct wg_err *err)
{
    json_error_t je;
    json_t *body = json_loads(text, 0, &je);
    T_CHECK(body != NULL);
    enum wg_rc rc = wg_case_apply(c, body, err);
    json_decref(body);
    return rc;
}

static void test_good(void)
{
    struct wg_case c;
    struct wg_err err = {0};
    T_EQ_INT(read_case(GOOD, &c, &err), WG_OK);
    T_EQ_STR(c.source, "gridworker");
    T_EQ_STR(c.type, "neighbours");
    T_EQ_STR(c.risk, "yellow");
    T_EQ_INT(c.amount_fen, 320050);
    T_EQ_INT(c.people, 2); /* the parties, when not given */
    T_EQ_STR(c.grid, "371302001001001");
    T_EQ_INT(c.has_point, 0);
    T_EQ_INT(c.order_id, 0);
    T_EQ_INT(c.nparties, 2);
    T_EQ_STR(c.parties[0].id_type, "resident_id");
    T_EQ_STR(c.parties[0].id_number, "11010519491231002X");
    T_EQ_STR(c.parties[0].phone, "138 0013 8000");
    T_EQ_STR(c.parties[1].name, "李建国");
    T_EQ_STR(c.parties[1].id_number, "");
    T_EQ_STR(c.parties[1].phone, "");
    wg_case_release(&c);

    /* from an order, placed by its point, more people than parties, a passport */
    T_EQ_INT(read_case("{\"source\": \"order\", \"order\": 42, \"type\": \"labour\", \"risk\": "
                       "\"red\", \"description\": \"二十余名工人讨要工资\", \"people\": 23, "
                       "\"lon\": 118.35, \"lat\": 35.1, \"parties\": [{\"role\": \"applicant\", "
                       "\"name\": \"张伟\"}, {\"role\": \"respondent\", \"name\": \"某建筑公司\"}, "
                       "{\"role\": \"third_party\", \"name\": \"John Smith\", \"id_type\": "
                       "\"passport\", \"id_number\": \"E12345678\"}]}",
                       &c, &err),
             WG_OK);
    T_EQ_INT(c.order_id, 42);
    T_EQ_INT(c.people, 23);
    T_EQ_INT(c.has_point, 1);
    T_EQ_STR(c.grid, "");
    T_EQ_INT(c.amount_fen, 0);
    T_EQ_STR(c.parties[2].id_type, "passport");
    wg_case_release(&c);
}

/* Each bad body: the field's change to GOOD (a key and its JSON value, or a key alone to take
 * it out), and a part of the message. */
static void test_bad(void)
{
    static const struct {
        const char *key, *value, *says;
    } cases[] = {
        {"source", "\"mail\"", "'source' must be one of screening,"},
        {"source", NULL, "'source' must be one of"},
        {"type", "\"feud\"", "'type' must be one of marriage_family,"},
        {"risk", "\"blue\"", "'risk' must be one of red, orange, yellow, green"},
        {"description", "\"   \"", "'description' is empty"},
        {"description", NULL, "'description' is required"},
        {"amount", "-1", "'amount' must be 0 to"},
        {"amount", "1.005", "at most two decimals"},
        {"amount", "\"100\"", "'amount' must be a number"},
        {"people", "1", "'people' must be a whole number from 2"},
        {"people", "2.5", "'people' must be a whole number"},
        {"order", "7", "'order' is given exactly when 'source' is order"},
        {"grid", "\"37130200100100\"", "'grid' must be a grid's 15-digit code"},
        {"grid", NULL, "a case is placed by 'grid' or by 'lon' and 'lat'"},
        {"lon", "118.3", "'lon' and 'lat' are given together"},
        {"nmae", "1", "'nmae' is not a field of a dispute case"},
        {"parties", "[]", "'parties' must be a list of 2 to 20"},
        {"parties",
         "[{\"role\": \"applicant\", \"name\": \"甲\"}, {\"role\": \"applicant\", "
         "\"name\": \"乙\"}]",
         "at least one applicant and one respondent"},
        {"parties",
         "[{\"role\": \"applicant\", \"name\": \"甲\"}, {\"role\": \"defendant\", "
         "\"name\": \"乙\"}]",
         "parties[1]: 'role' must be one of applicant, respondent, third_party"},
        {"parties",
         "[{\"role\": \"applicant\", \"name\": \"甲\", \"id_number\": "
         "\"110105194912310021\"}, {\"role\": \"respondent\", \"name\": \"乙\"}]",
         "parties[0]: "},
        {"parties",
         "[{\"role\": \"applicant\", \"name\": \"甲\"}, {\"role\": \"respondent\", "
         "\"name\": \"乙\", \"phone\": \"12\"}]",
         "parties[1]: "},
        {"parties",
         "[{\"role\": \"applicant\", \"name\": \"\"}, {\"role\": \"respondent\", "
         "\"name\": \"乙\"}]",
         "parties[0]: 'name' is empty"},
        {"parties",
         "[{\"role\": \"applicant\", \"name\": \"甲\", \"age\": 3}, {\"role\": "
         "\"respondent\", \"name\": \"乙\"}]",
         "parties[0]: 'age' is not a field of a party"},
        {"parties", "[1, 2]", "parties[0]: a party is an object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_error_t je;
        json_t *body = json_loads(GOOD, 0, &je);
        if (cases[i].value)
            json_object_set_new(body, cases[i].key,
                                json_loads(cases[i].value, JSON_DECODE_ANY, &je));
        else
            json_object_del(body, cases[i].key);
        struct wg_case c;
        struct wg_err err = {0};
        T_EQ_INT(wg_case_apply(&c, body, &err), WG_EINVAL);
        if (!strstr(err.msg, cases[i].says))
            fprintf(stderr, "case %zu (%s): %s\n", i, cases[i].key, err.msg);
        T_CHECK(strstr(err.msg, cases[i].says) != NULL);
        /* nothing kept to release */
        T_CHECK(c.description == NULL && c.nparties == 0);
        json_decref(body);
    }
    struct wg_case c;
    struct wg_err err = {0};
    json_t *not_object = json_array();
    T_EQ_INT(wg_case_apply(&c, not_object, &err), WG_EINVAL);
    T_EQ_STR(err.msg, "a case is a JSON object");
    json_decref(not_object);
}

int main(void)
{
    test_good();
    test_bad();
    return T_DONE("dispute");
}
