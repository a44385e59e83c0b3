/* The JSON text writer (core/jsonw.h): commas, nesting, escapes and reals, each read back by
 * jansson to the value written. */
#include "t.h"

#include <jansson.h>

#include "core/jsonw.h"

int main(void)
{
    struct wg_buf b;
    struct wg_jw w;
    const char *odd = "引号\" 反斜杠\\ 换行\n 制表\t 回车\r \b\f \x01\x1f 斜杠/ 结束";
    wg_buf_init(&b, 0);
    wg_jw_init(&w, &b);
    wg_jw_open(&w, NULL, '{');
    wg_jw_int(&w, "id", 9007199254740993LL);
    wg_jw_str(&w, "text", odd);
    wg_jw_str(&w, "empty", "");
    wg_jw_str(&w, "none", NULL);
    wg_jw_real(&w, "lon", 118.30050000000001);
    wg_jw_real(&w, "whole", 35.0);
    wg_jw_real(&w, "small", -1.5e-300);
    wg_jw_bool(&w, "yes", 1);
    wg_jw_bool(&w, "no", 0);
    wg_jw_open(&w, "list", '[');
    wg_jw_str(&w, NULL, "a");
    wg_jw_open(&w, NULL, '{');
    wg_jw_close(&w, '}');
    wg_jw_open(&w, NULL, '[');
    wg_jw_int(&w, NULL, -7);
    wg_jw_int(&w, NULL, (-9223372036854775807LL - 1));
    wg_jw_int(&w, NULL, 0);
    wg_jw_close(&w, ']');
    wg_jw_close(&w, ']');
    wg_jw_open(&w, "after", '{');
    wg_jw_int(&w, "x", 0);
    wg_jw_close(&w, '}');
    wg_jw_close(&w, '}');
    T_EQ_INT(wg_buf_rc(&b), WG_OK);
    json_error_t je;
    json_t *j = json_loads(wg_buf_str(&b), 0, &je);
    T_CHECK(j != NULL);
    if (!j) {
        fprintf(stderr, "%s\n%s\n", wg_buf_str(&b), je.text);
        return T_DONE("jsonw");
    }
    T_EQ_INT(json_integer_value(json_object_get(j, "id")), 9007199254740993LL);
    T_EQ_STR(json_string_value(json_object_get(j, "text")), odd);
    T_EQ_STR(json_string_value(json_object_get(j, "empty")), "");
    T_EQ_STR(json_string_value(json_object_get(j, "none")), "");
    T_CHECK(json_real_value(json_object_get(j, "lon")) == 118.30050000000001);
    T_CHECK(json_is_real(json_object_get(j, "whole")));
    T_CHECK(json_real_value(json_object_get(j, "whole")) == 35.0);
    T_CHECK(json_real_value(json_object_get(j, "small")) == -1.5e-300);
    T_CHECK(json_is_true(json_object_get(j, "yes")));
    T_CHECK(json_is_false(json_object_get(j, "no")));
    json_t *list = json_object_get(j, "list");
    T_EQ_INT(json_array_size(list), 3);
    T_EQ_STR(json_string_value(json_array_get(list, 0)), "a");
    T_EQ_INT(json_object_size(json_array_get(list, 1)), 0);
    T_EQ_INT(json_integer_value(json_array_get(json_array_get(list, 2), 0)), -7);
    T_CHECK(json_integer_value(json_array_get(json_array_get(list, 2), 1)) ==
            (-9223372036854775807LL - 1));
    T_EQ_INT(json_integer_value(json_array_get(json_array_get(list, 2), 2)), 0);
    T_EQ_INT(json_integer_value(json_object_get(json_object_get(j, "after"), "x")), 0);
    /* the text is what jansson writes for the same string */
    json_t *s = json_string(odd);
    char *theirs = json_dumps(s, JSON_ENCODE_ANY);
    T_CHECK(theirs && strstr(wg_buf_str(&b), theirs) != NULL);
    free(theirs);
    json_decref(s);
    json_decref(j);
    wg_buf_release(&b);
    return T_DONE("jsonw");
}
