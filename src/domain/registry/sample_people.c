/* One generated person of the demo registry (sample.h): a name, an invented but well-formed
 * resident ID, and the groups a person of that age and place falls in, in the shares a
 * working district reports. */
#include "domain/registry/sample.h"
#include "core/rng.h"
#include "core/alloc.h"
#include "domain/registry/person.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Surnames in the order of their frequency in Shandong (王, 张, 李, 刘 lead there). */
static const char *const surnames[] = {
    "王", "张", "李", "刘", "陈", "杨", "孙", "徐", "赵", "高", "马", "于", "宋", "周",
    "吴", "朱", "郭", "胡", "刘", "王", "张", "李", "郑", "韩", "冯", "董", "曹", "袁",
    "许", "程", "魏", "田", "杜", "彭", "吕", "庞", "颜", "孔", "姜", "丁", "邵", "薛"};
/* Given names by generation and gender: a person born in the 1940s-60s is rarely a 子涵. */
static const char *const given_old_m[] = {"建国", "国庆", "振华", "德福", "玉山", "志刚",
                                          "长友", "学文", "宝林", "庆祥", "明亮", "成才",
                                          "树林", "传宝", "兆奎", "广田"};
static const char *const given_old_f[] = {"秀英", "桂英", "玉兰", "淑珍", "秀兰", "凤英",
                                          "桂兰", "玉梅", "素芳", "翠花", "兰英", "春梅",
                                          "秀云", "美荣", "爱华", "金凤"};
static const char *const given_mid_m[] = {"伟",   "强",   "磊",   "军",   "勇",   "涛",
                                          "明",   "超",   "刚",   "海涛", "志强", "建华",
                                          "晓东", "立新", "文博", "鹏",   "宏伟", "国栋"};
static const char *const given_mid_f[] = {"芳", "敏",   "静",   "丽",   "艳",   "娟",
                                          "霞", "红梅", "海燕", "晓燕", "丽娜", "雪梅",
                                          "婷", "慧",   "春燕", "美玲", "玉洁", "晓琳"};
static const char *const given_young_m[] = {"浩然", "宇轩", "子豪", "俊杰", "梓睿", "一鸣",
                                            "博文", "明轩", "子墨", "皓轩", "天佑", "家豪",
                                            "思远", "铭泽", "宇航", "嘉懿"};
static const char *const given_young_f[] = {"子涵", "欣怡", "梓涵", "雨桐", "诗涵", "可馨",
                                            "一诺", "佳怡", "语桐", "梦瑶", "思琪", "若汐",
                                            "欣妍", "雨萱", "紫萱", "心怡"};
/* Where those living here but registered elsewhere (流动) come from: the counties around
 * Lanshan and beyond. */
static const char *const elsewhere[] = {"371321", "371322", "371323", "371324", "371325",
                                        "371326", "371327", "371328", "371329", "371311",
                                        "371312", "370102", "370211", "320382", "321322",
                                        "341321", "410102", "130102", "372925", "370683"};

static const char *one(uint64_t *s, const char *const *v, size_t n)
{
    return v[wg_rng_next(s) % n];
}
#define ONE(s, a) one((s), (a), N(a))

static int chance(uint64_t *s, double p)
{
    return wg_rng_uniform(s) < p;
}

void wg_sample_name(uint64_t *s, int born, int male, char *out, size_t n)
{
    const char *g = born < 1970   ? (male ? ONE(s, given_old_m) : ONE(s, given_old_f))
                    : born < 2000 ? (male ? ONE(s, given_mid_m) : ONE(s, given_mid_f))
                                  : (male ? ONE(s, given_young_m) : ONE(s, given_young_f));
    snprintf(out, n, "%s%s", ONE(s, surnames), g);
}

/* A resident ID: the place of first registration, the birth date, a sequence whose parity
 * is the gender (odd for men) and the GB 11643 check character. */
static void resident_id(uint64_t *s, const char *place, int y, int m, int d, int male, char *out)
{
    int seq = (int)(wg_rng_next(s) % 500) * 2 + (male ? 1 : 0);
    snprintf(out, 19, "%.6s%04d%02d%02d%03d", place, y, m, d, seq);
    out[17] = wg_pii_id_check_char(out);
    out[18] = '\0';
}

static void set_text(char **field, const char *v)
{
    free(*field);
    *field = wg_strdup(v);
}

/* Care groups by age, household and place, in the shares districts report: 60+ living alone
 * or as an empty nest, all over 80, left-behind children and elderly in villages, about 6 in
 * a hundred disabled, 2 in a hundred in hardship. */
static unsigned care_of(uint64_t *s, const struct wg_sample_who *w, int age)
{
    unsigned c = 0;
    if (age >= 80)
        c |= WG_CARE_OVER80;
    if (age >= 60 && w->household_size == 1)
        c |= WG_CARE_ALONE;
    else if (age >= 60 && w->all_elderly)
        c |= WG_CARE_EMPTY_NEST;
    if (w->rural && age < 16 && chance(s, 0.25))
        c |= WG_CARE_LEFT_BEHIND_CHILD;
    if (w->rural && age >= 60 && !w->all_elderly && chance(s, 0.2))
        c |= WG_CARE_LEFT_BEHIND_ELDERLY;
    if (chance(s, age >= 60 ? 0.12 : 0.04))
        c |= WG_CARE_DISABLED;
    if (chance(s, 0.02))
        c |= WG_CARE_HARDSHIP;
    return c;
}

/* The special populations (GB/T 31000), a few in a thousand, and a mental disorder's risk
 * level (most at 0-1, few at 3 and above). */
static void special_of(uint64_t *s, int age, struct wg_person *p)
{
    static const double risk_share[] = {0.40, 0.30, 0.15, 0.10, 0.04, 0.01};
    p->special = 0;
    p->mental_risk = -1;
    if (age >= 20 && age < 65 && chance(s, 0.0015))
        p->special |= WG_SPECIAL_RELEASED;
    if (age >= 18 && age < 60 && chance(s, 0.0006))
        p->special |= WG_SPECIAL_CORRECTION;
    if (age >= 18 && age < 55 && chance(s, 0.001))
        p->special |= WG_SPECIAL_DRUG;
    if (age >= 14 && age < 26 && chance(s, 0.002))
        p->special |= WG_SPECIAL_KEY_YOUTH;
    if (age >= 16 && chance(s, 0.0045)) {
        double u = wg_rng_uniform(s);
        p->special |= WG_SPECIAL_MENTAL;
        p->mental_risk = 0;
        while (p->mental_risk < 5 && u >= risk_share[p->mental_risk])
            u -= risk_share[p->mental_risk++];
    }
}

static const char *political_of(uint64_t *s, int age)
{
    if (age < 14)
        return "";
    if (age <= 28 && chance(s, 0.35))
        return "league_member";
    if (age >= 18 && chance(s, age >= 45 ? 0.10 : 0.06))
        return chance(s, 0.04) ? "probationary" : "party_member";
    return "masses";
}

void wg_sample_person(uint64_t *s, const struct wg_sample_who *w, long long now,
                      struct wg_person *p)
{
    time_t t = (time_t)(now + 8 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    int span = w->age_max - w->age_min + 1;
    int age = w->age_min + (int)(wg_rng_next(s) % (uint64_t)(span > 0 ? span : 1));
    int male = w->male >= 0 ? w->male : chance(s, 0.51);
    int doy = (int)(wg_rng_next(s) % 365); /* a birthday already passed this year or not */
    int y = tm.tm_year + 1900 - age - (doy > tm.tm_yday ? 1 : 0);
    struct tm b = {.tm_year = y - 1900, .tm_mon = 0, .tm_mday = 1 + doy, .tm_hour = 12};
    timegm(&b); /* normalises day-of-year into month and day */
    char buf[64];
    if (chance(s, w->floating ? 0.0 : 0.002)) { /* from abroad: a passport */
        snprintf(p->id_type, sizeof p->id_type, "passport");
        snprintf(buf, sizeof buf, "%c%08llu", "EGKMP"[wg_rng_next(s) % 5],
                 (unsigned long long)(wg_rng_next(s) % 100000000ull));
        snprintf(p->residence, sizeof p->residence, "overseas");
    } else {
        snprintf(p->id_type, sizeof p->id_type, "resident_id");
        resident_id(s, w->floating ? ONE(s, elsewhere) : "371302", b.tm_year + 1900, b.tm_mon + 1,
                    b.tm_mday, male, buf);
        snprintf(p->residence, sizeof p->residence, "%s", w->floating ? "floating" : "registered");
    }
    set_text(&p->id_number, buf);
    snprintf(p->gender, sizeof p->gender, "%s", male ? "male" : "female");
    snprintf(p->birth_date, sizeof p->birth_date, "%04d-%02d-%02d", b.tm_year + 1900, b.tm_mon + 1,
             b.tm_mday);
    wg_sample_name(s, b.tm_year + 1900, male, buf, sizeof buf);
    set_text(&p->name, buf);
    /* 154: a mobile prefix no carrier has; children under 14 and some of the oldest have none */
    if ((age >= 14 && age < 75 && chance(s, 0.92)) || (age >= 75 && chance(s, 0.5)))
        snprintf(buf, sizeof buf, "154%08llu", (unsigned long long)(wg_rng_next(s) % 100000000ull));
    else
        buf[0] = '\0';
    set_text(&p->phone, buf);
    snprintf(p->political, sizeof p->political, "%s", political_of(s, age));
    p->care = care_of(s, w, age);
    special_of(s, age, p);
}
