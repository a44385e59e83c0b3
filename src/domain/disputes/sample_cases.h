/* Generated dispute cases for the demo district: its mediation bodies and a year of cases in
 * the proportions of a working district (seed 000's Lanshan: screening at every level, nine in
 * ten disputes ended at the village or below; seeds 002 and 004's bodies: the towns' and
 * villages' people's mediation committees, the county's centre, trade bodies, police and court
 * desks, a named mediator's studio and a lawyers' rota). Demo data only: the parties' names are
 * common names, their ID numbers well-formed but invented, their phones of the 154 prefix no
 * carrier has.
 *
 * Bodies go through wg_body_save, cases through wg_case_apply and wg_case_create and each step
 * through wg_case_act, as the API takes them: every check, seal, clock and figure is the live
 * one. Each case is its own transaction; its steps fall at later working times on the working
 * calendar, as far as now allows, so the last weeks' cases are still open at every state. A
 * store that already holds cases in the county is left as it is. */
#ifndef WG_DOMAIN_SAMPLE_CASES_H
#define WG_DOMAIN_SAMPLE_CASES_H

#include <stdint.h>

#include "domain/disputes/dispute.h"

/* The demo's mediators beside its `mediator` account: accounts of the mediator role that the
 * demo creates (cmd_demo.c), each in the bodies of its scope. */
struct wg_case_sample_mediator {
    const char *username, *name, *scope;
};
extern const struct wg_case_sample_mediator wg_case_sample_mediators[];
extern const size_t wg_case_sample_nmediators;

struct wg_case_sample_opts {
    const char *county; /* 6 digits; its towns, villages and grids must exist */
    int cases, days;    /* about this many cases over the days before now */
    uint64_t seed;
    long long now;
    const char *mediator; /* the account that serves its scope's town and villages, or NULL */
    const char *mediator_scope;
};

struct wg_case_sample_report {
    int bodies, members, cases, steps;
    int types[16], risks[4], sources[8]; /* by the lists' order in dispute.h */
    int ended, ended_low, agreed, referred, refused, accepts, open, confirmed;
};

/* The county's bodies (when it has none) and its year of cases (when it has none). */
enum wg_rc wg_case_sample(struct wg_db *db, const struct wg_case_env *env,
                          const struct wg_case_sample_opts *o, struct wg_case_sample_report *rep,
                          struct wg_err *err);

/* ---- bodies (sample_bodies.c) ---- */
/* The bodies of a county, made once: the centre, a committee per town and per village, the
 * trade bodies, a police-station and a court desk, a studio and a lawyers' rota. *made counts
 * bodies, *members their members. */
enum wg_rc wg_case_sample_bodies(struct wg_db *db, const struct wg_pii_keys *keys,
                                 const struct wg_case_sample_opts *o, int *made, int *members,
                                 struct wg_err *err);

/* A village's or community's name as people say it ("西关社区", "小娄庄村"), from its
 * division's name (…居民委员会, …村民委员会). */
void wg_case_sample_place(const char *region_name, char *out, size_t n);

/* ---- words (sample_case_text.c) ---- */
/* What a case's texts are about: its type, its parties, its place and its amount. */
struct wg_case_words {
    const char *type;
    const char *a, *b;        /* the applicant's and the respondent's names */
    const char *town, *place; /* "兰山街道", "西关社区" */
    long long yuan;           /* the amount involved */
    int pick;                 /* which of a kind's templates (any number) */
};
/* A text of a kind into out: "desc", "facts", "terms", "performance", "record" (the session
 * that agrees), "record_first" (an earlier one), "record_failed" (a last one that does not),
 * "escalate", "refer", "refuse", "investigate", "mediate", "follow_up" ("follow_up_missed":
 * the parties not reached), "archive", "take", "supervise", "perform". */
void wg_case_sample_text(const struct wg_case_words *w, const char *kind, char *out, size_t n);
/* Who the story of type and pick has as applicant and respondent: out[0] and out[1] are 'm' a
 * man, 'f' a woman, 'o' an elderly person, '?' anyone. */
void wg_case_sample_parties(const char *type, int pick, char out[3]);

/* ---- screenings (sample_screenings.c) ---- */

/* The screening history of the store's regions: the county's monthly and the towns'
 * half-monthly tasks of the year before now, the villages' weekly ones of the last eight
 * weeks, made as the sweep makes them and answered through wg_screening_record (most finding
 * nothing new), some of the last week's left open. *made counts the answers. */
enum wg_rc wg_screening_sample(struct wg_db *db, const struct wg_case_env *env, long long now,
                               uint64_t seed, int *made, struct wg_err *err);

#endif
