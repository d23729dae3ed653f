/* test_analysis.c - analysis.h on hand-built consolidations: median and
 * robust z-scores (MAD and its zero edge cases), ranking with ties, growth
 * rates, continuity (dropped cases explained or not, cumulative fell, stock
 * changed), outliers (explained or not, fewer units than min_units) and
 * assessment scores computed by hand, with ties and missing units. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "config.h"
#include "consolidate.h"
#include "hz_test_build.h"
#include "hz_test_fixture.h"

HZ_TEST_FIXTURE(NULL);

TestSuite(analysis, .init = hz_fixture_setup, .fini = hz_fixture_teardown);

static size_t ind_of(const char *code)
{
    const hz_indicator *ind = config_find_indicator(config, code);
    cr_assert_not_null(ind, "indicator %s", code);
    return (size_t)(ind - config->indicators);
}

static void set_note(hz_cons_file *f, size_t indicator, const char *note)
{
    free(f->check->sub.values[indicator].note);
    f->check->sub.values[indicator].note = test_str(note);
}

static void set_narratives(hz_cons_file *f, int filled)
{
    for (int n = 0; n < filled && n < HZ_N__COUNT; n++) {
        free(f->check->sub.narrative[n]);
        f->check->sub.narrative[n] = test_str("开展了专项治理工作。");
    }
}

static size_t count_rule(const hz_consolidation *cons, const char *rule, hz_severity sev,
                         bool explained)
{
    size_t n = 0;
    for (size_t i = 0; i < cons->issues.count; i++) {
        const hz_issue *is = &cons->issues.items[i];
        if (!strcmp(is->rule, rule) && is->severity == sev && is->explained == explained)
            n++;
    }
    return n;
}

static const hz_score *score_of(const hz_consolidation *cons, const char *code)
{
    cr_assert_not_null(cons->analysis);
    return &cons->analysis->scores[unit_of(cons, code)];
}

/* ------------------------------------------------------------ statistics */

Test(analysis, median_odd_even)
{
    double a[] = {5, 1, 3};
    cr_expect_float_eq(analysis_median(a, 3), 3, 1e-12);
    double b[] = {4, 1, 3, 2};
    cr_expect_float_eq(analysis_median(b, 4), 2.5, 1e-12);
    cr_expect_float_eq(b[0], 4, 0); /* not sorted in place */
}

Test(analysis, robust_z_uses_mad)
{
    /* median 3, |deviations| 2 1 0 1 97 -> MAD 1; z = 0.6745 * (x - 3) */
    double v[] = {1, 2, 3, 4, 100};
    double z[5];
    cr_assert(analysis_robust_z(v, 5, z));
    cr_expect_float_eq(z[4], 0.6745 * 97, 1e-9);
    cr_expect_float_eq(z[2], 0, 1e-12);
    cr_expect_float_eq(z[0], -0.6745 * 2, 1e-9);
}

Test(analysis, robust_z_mad_zero_falls_back_to_mean_deviation)
{
    /* more than half equal: MAD 0; mean |deviation| = 10/5 = 2;
     * z = 10 / (1.253314 * 2) = 3.9894 */
    double v[] = {0, 0, 0, 0, 10};
    double z[5];
    cr_assert(analysis_robust_z(v, 5, z));
    cr_expect_float_eq(z[4], 10 / (1.253314 * 2), 1e-9);
    cr_expect_float_eq(z[0], 0, 1e-12);
}

Test(analysis, robust_z_no_spread)
{
    double v[] = {7, 7, 7, 7, 7, 7};
    double z[6] = {1, 1, 1, 1, 1, 1};
    cr_expect_not(analysis_robust_z(v, 6, z));
    for (int i = 0; i < 6; i++)
        cr_expect_float_eq(z[i], 0, 0);
    cr_expect_not(analysis_robust_z(v, 0, z));
}

Test(analysis, rank_ties_at_two_decimals)
{
    double t[] = {90, 80, 90, 70.004, 70.001, 0, 0};
    int r[7];
    analysis_rank(t, 7, r);
    int want[] = {1, 3, 1, 4, 4, 6, 6};
    for (int i = 0; i < 7; i++)
        cr_expect_eq(r[i], want[i], "unit %d: rank %d, want %d", i, r[i], want[i]);
}

Test(analysis, growth)
{
    char b[32];
    cr_expect_str_eq(analysis_format_growth(120, 100, b, sizeof b), "20.0%");
    cr_expect_str_eq(analysis_format_growth(75, 100, b, sizeof b), "-25.0%");
    cr_expect_str_eq(analysis_format_growth(5, 0, b, sizeof b), "—");
    cr_expect_str_eq(analysis_format_growth(1, 3, b, sizeof b), "-66.7%");
}

/* ------------------------------------------------------------ assessment */

/* Three units report the annual round, four are missing.
 *   411002: on time, 4 sections, 2 cases (10 + 10 万元), 1 transferred, 1 typical
 *   411024: the same figures (a tie)
 *   411003: 3 days late, 2 sections, 2 unexplained warnings, 4 cases of
 *           2.5 万元, none transferred or typical
 * Weights 20/20/10/50, 2 per day late, 5 per error, 1 per warning.
 * Best values: filed 4, amount 20, transferred 1, typical 1.
 *   411002: T 20, Q 20, C 10, R 12.5*2/4 + 12.5 + 12.5 + 12.5 = 43.75 -> 93.75
 *   411024: the same, 93.75, rank 1 too
 *   411003: T 20-6 = 14, Q 20-2 = 18, C 10*2/4 = 5,
 *           R 12.5*4/4 + 12.5*10/20 + 0 + 0 = 18.75 -> 55.75, rank 3
 *   missing: 0, rank 4 (all four). */
Test(analysis, assessment_by_hand)
{
    fileset fs = {0};
    hz_cons_file a = make_file(config, "a.xlsx", "411002", 1, true, "2022-11-20");
    add_case(&a, (case_spec){.no = "A-1", .filed = "2022-09-01", .amount = 100000,
                             .transferred = true});
    add_case(&a, (case_spec){.no = "A-2", .filed = "2022-09-02", .amount = 100000,
                             .typical = true});
    set_narratives(&a, 4);
    hz_cons_file c = make_file(config, "c.xlsx", "411024", 1, true, "2022-11-24");
    add_case(&c, (case_spec){.no = "C-1", .filed = "2022-09-01", .amount = 100000,
                             .transferred = true});
    add_case(&c, (case_spec){.no = "C-2", .filed = "2022-09-02", .amount = 100000,
                             .typical = true});
    set_narratives(&c, 4);
    hz_cons_file b = make_file(config, "b.xlsx", "411003", 1, true, "2022-11-27");
    for (int k = 0; k < 4; k++) {
        char no[16];
        snprintf(no, sizeof no, "B-%d", k);
        add_case(&b, (case_spec){.no = no, .filed = "2022-09-03", .amount = 25000});
    }
    set_narratives(&b, 2);
    b.check->counts.warnings = 2;
    push_file(&fs, a);
    push_file(&fs, b);
    push_file(&fs, c);
    hz_consolidation *cons = build_consolidation(config, &fs, "annual", NULL);
    hz_error err = {0};
    cr_assert_eq(analysis_run(cons, NULL, &err), HZ_OK);

    const hz_score *sa = score_of(cons, "411002"), *sb = score_of(cons, "411003"),
                   *sc = score_of(cons, "411024"), *sm = score_of(cons, "411071");
    cr_expect_float_eq(sa->timeliness, 20, 1e-9);
    cr_expect_float_eq(sa->quality, 20, 1e-9);
    cr_expect_float_eq(sa->completeness, 10, 1e-9);
    cr_expect_float_eq(sa->part_results[0], 6.25, 1e-9);
    cr_expect_float_eq(sa->results, 43.75, 1e-9);
    cr_expect_float_eq(sa->total, 93.75, 1e-9);
    cr_expect_float_eq(sc->total, 93.75, 1e-9);
    cr_expect_eq(sa->rank, 1);
    cr_expect_eq(sc->rank, 1);
    cr_expect_eq(sb->days_late, 3);
    cr_expect_float_eq(sb->timeliness, 14, 1e-9);
    cr_expect_eq(sb->warnings, 2);
    cr_expect_float_eq(sb->quality, 18, 1e-9);
    cr_expect_float_eq(sb->completeness, 5, 1e-9);
    cr_expect_float_eq(sb->part_results[1], 6.25, 1e-9);
    cr_expect_float_eq(sb->results, 18.75, 1e-9);
    cr_expect_float_eq(sb->total, 55.75, 1e-9);
    cr_expect_eq(sb->rank, 3);
    cr_expect(sm->missing);
    cr_expect_float_eq(sm->total, 0, 0);
    cr_expect_eq(sm->rank, 4);
    cr_expect_eq(analysis_grade(config, sa), HZ_M_ANALYSIS_GRADE_EXCELLENT);
    cr_expect_eq(analysis_grade(config, sb), HZ_M_ANALYSIS_GRADE_FAIL);
    cr_expect_eq(analysis_grade(config, sm), HZ_M_ANALYSIS_GRADE_FAIL);
    /* 3 units < min_units 5: every figure skipped, no outlier */
    cr_expect_eq(cons->analysis->outlier_checked, 0);
    cr_expect_eq(cons->analysis->outlier_skipped, 5 + config->indicator_count);
    cr_expect_eq(cons->analysis->outlier_count, 0);
    /* no stage: no continuity */
    cr_expect_not(cons->analysis->continuity_done);
    consolidate_free(cons);
}

Test(analysis, assessment_nobody_has_a_figure_gets_it_in_full)
{
    fileset fs = {0};
    hz_cons_file a = make_file(config, "a.xlsx", "411002", 1, true, "2022-11-20");
    push_file(&fs, a);
    hz_consolidation *cons = build_consolidation(config, &fs, "annual", NULL);
    hz_error err = {0};
    cr_assert_eq(analysis_run(cons, NULL, &err), HZ_OK);
    const hz_score *sa = score_of(cons, "411002");
    cr_expect_float_eq(sa->results, 50, 1e-9);
    cr_expect_float_eq(sa->completeness, 0, 1e-9);
    cr_expect_float_eq(sa->total, 90, 1e-9);
    consolidate_free(cons);
}

Test(analysis, formula_text_names_the_weights)
{
    char buf[1024];
    cr_expect(strstr(analysis_formula_line(config, 0, HZ_LANG_ZH, buf, sizeof buf), "满分 100 分"),
              "%s", buf);
    cr_expect(strstr(analysis_formula_line(config, 1, HZ_LANG_ZH, buf, sizeof buf), "扣 2 分"),
              "%s", buf);
    cr_expect(strstr(analysis_formula_line(config, 5, HZ_LANG_EN, buf, sizeof buf), "90"),
              "%s", buf);
}

/* ------------------------------------------------------------ continuity */

Test(analysis, continuity)
{
    size_t a01 = ind_of("A01"), a04 = ind_of("A04");
    cr_assert_eq(config->indicators[a04].over_rounds, HZ_AGG_STOCK);
    cr_assert_eq(config->indicators[a01].over_rounds, HZ_AGG_CUMULATIVE);
    fileset sfs = {0}, afs = {0};
    hz_cons_file s1 = make_file(config, "s1.xlsx", "411002", 1, true, "2022-08-20");
    add_case(&s1, (case_spec){.no = "X-1", .filed = "2022-07-01"});
    add_case(&s1, (case_spec){.no = "X-2", .filed = "2022-07-02"});
    set_value(&s1, a01, 10);
    set_value(&s1, a04, 5);
    hz_cons_file s2 = make_file(config, "s2.xlsx", "411024", 1, true, "2022-08-20");
    add_case(&s2, (case_spec){.no = "Y-1", .filed = "2022-07-01"});
    set_value(&s2, a01, 3);
    push_file(&sfs, s1);
    push_file(&sfs, s2);
    hz_cons_file a1 = make_file(config, "a1.xlsx", "411002", 1, true, "2022-11-20");
    add_case(&a1, (case_spec){.no = "X-1", .filed = "2022-07-01"});
    set_value(&a1, a01, 8);   /* fell */
    set_value(&a1, a04, 3);   /* stock: may change */
    hz_cons_file a2 = make_file(config, "a2.xlsx", "411024", 1, true, "2022-11-20");
    add_case(&a2, (case_spec){.no = "Y-2", .filed = "2022-09-01"});
    set_value(&a2, a01, 3);   /* unchanged: fine */
    set_note(&a2, a01, "Y-1 已与Y-2并案办理");
    push_file(&afs, a1);
    push_file(&afs, a2);
    hz_consolidation *st = build_consolidation(config, &sfs, "stage", NULL);
    hz_consolidation *cons = build_consolidation(config, &afs, "annual", NULL);
    cons->stage = st;
    hz_error err = {0};
    cr_assert_eq(analysis_run(cons, NULL, &err), HZ_OK);
    const hz_analysis *a = cons->analysis;
    cr_expect(a->continuity_done);
    cr_expect_eq(a->dropped_cases, 2);
    cr_expect_eq(a->dropped_explained, 1);
    cr_expect_eq(a->cumulative_fell, 1);
    cr_expect_eq(a->stock_changed, 1);
    cr_expect_eq(count_rule(cons, "continuity.dropped_case", HZ_SEV_ERROR, false), 1);
    cr_expect_eq(count_rule(cons, "continuity.dropped_case", HZ_SEV_WARNING, true), 1);
    cr_expect_eq(count_rule(cons, "continuity.cumulative_fell", HZ_SEV_ERROR, false), 1);
    cr_expect_eq(count_rule(cons, "continuity.stock_changed", HZ_SEV_NOTICE, false), 1);
    for (size_t i = 0; i < cons->issues.count; i++) {
        const hz_issue *is = &cons->issues.items[i];
        if (!strcmp(is->rule, "continuity.dropped_case") && is->severity == HZ_SEV_ERROR) {
            cr_expect_str_eq(is->found, "X-2");
            cr_expect_str_eq(is->file, "a1.xlsx");
        }
        if (!strcmp(is->rule, "continuity.cumulative_fell")) {
            cr_expect_str_eq(is->found, "8");
            cr_expect_str_eq(is->expected, "10");
        }
    }
    /* the continuity faults cost 411002 two errors: 20 - 2*5 */
    const hz_score *s = score_of(cons, "411002");
    cr_expect_eq(s->errors, 2);
    cr_expect_float_eq(s->quality, 10, 1e-9);
    /* the explained drop costs 411024 nothing */
    cr_expect_float_eq(score_of(cons, "411024")->quality, 20, 1e-9);
    consolidate_free(cons);
}

/* ------------------------------------------------------------ outliers */

static hz_consolidation *six_units(const char *note_of_outlier, const char *case_note)
{
    static const char *codes[] = {"411002", "411003", "411024", "411025", "411081", "411082"};
    static const long long a05[] = {10, 12, 11, 9, 10, 100};
    size_t ind = ind_of("A05");
    fileset fs = {0};
    for (int k = 0; k < 6; k++) {
        char name[32];
        snprintf(name, sizeof name, "%s.xlsx", codes[k]);
        hz_cons_file f = make_file(config, name, codes[k], 1, true, "2022-11-20");
        set_value(&f, ind, a05[k]);
        add_case(&f, (case_spec){.no = name, .filed = "2022-09-01",
                                 .amount = k == 5 ? 5000000 : 100000,
                                 .note = k == 5 ? case_note : NULL});
        if (k == 5 && note_of_outlier)
            set_note(&f, ind, note_of_outlier);
        push_file(&fs, f);
    }
    hz_consolidation *cons = build_consolidation(config, &fs, "annual", NULL);
    hz_error err = {0};
    cr_assert_eq(analysis_run(cons, NULL, &err), HZ_OK);
    return cons;
}

Test(analysis, outliers_unexplained)
{
    hz_consolidation *cons = six_units(NULL, NULL);
    const hz_analysis *a = cons->analysis;
    cr_expect_eq(a->outlier_count, 2, "%zu outliers", a->outlier_count);
    cr_expect_eq(count_rule(cons, "outlier.A05", HZ_SEV_WARNING, false), 1);
    cr_expect_eq(count_rule(cons, "outlier.amount", HZ_SEV_WARNING, false), 1);
    for (size_t i = 0; i < a->outlier_count; i++)
        cr_expect_eq(a->outliers[i].unit, unit_of(cons, "411082"));
    /* 2 unexplained warnings: 20 - 2 */
    cr_expect_float_eq(score_of(cons, "411082")->quality, 18, 1e-9);
    /* figures with a spread of zero (cases filed: 1 each) are checked, not flagged */
    cr_expect_eq(a->outlier_skipped, config->indicator_count - 1);
    consolidate_free(cons);
}

Test(analysis, outliers_explained)
{
    hz_consolidation *cons = six_units("开展专项行动，次数较多", "本案涉案金额较大，已核实");
    cr_expect_eq(cons->analysis->outlier_count, 2);
    cr_expect_eq(count_rule(cons, "outlier.A05", HZ_SEV_WARNING, true), 1);
    cr_expect_eq(count_rule(cons, "outlier.amount", HZ_SEV_WARNING, true), 1);
    cr_expect_float_eq(score_of(cons, "411082")->quality, 20, 1e-9);
    consolidate_free(cons);
}

Test(analysis, outlier_case_note_must_name_the_figure)
{
    /* a 说明 that does not name 涉案金额 does not explain the amount */
    hz_consolidation *cons = six_units(NULL, "当事人配合调查");
    cr_expect_eq(count_rule(cons, "outlier.amount", HZ_SEV_WARNING, false), 1);
    consolidate_free(cons);
}
