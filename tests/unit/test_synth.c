/* test_synth.c - synthetic submissions: determinism, continuity between
 * rounds, case counts, dates, rules, and the sample set. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fillin.h"
#include "hz_test.h"
#include "hz_test_fixture.h"
#include "hz_test_sheet.h"
#include "synth.h"
#include "xlsx_reader.h"

HZ_TEST_FIXTURE("synth");

TestSuite(synth, .init = hz_fixture_setup, .fini = hz_fixture_teardown);

static const char *make(const char *unit, const char *round, uint64_t seed, long cases,
                        const char *name)
{
    static char path[8][4200];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, 4200, "%s/%s.xlsx", tmp, name);
    synth_options opt;
    synth_options_init(&opt);
    opt.seed = seed;
    opt.case_count = cases;
    hz_error err = {0};
    hz_status s = synth_fill(config, config_find_unit(config, unit),
                             config_find_round(config, round), &opt, p, &err);
    cr_assert_eq(s, HZ_OK, "synth_fill %s %s", unit, round);
    return p;
}

Test(synth, same_seed_same_bytes)
{
    const char *a = make("411024", "annual", 7, -1, "a");
    const char *b = make("411024", "annual", 7, -1, "b");
    const char *c = make("411024", "annual", 8, -1, "c");
    const char *d = make("411025", "annual", 7, -1, "d");
    cr_assert(hz_test_files_equal(a, b));
    cr_assert_not(hz_test_files_equal(a, c));
    cr_assert_not(hz_test_files_equal(a, d));
}

Test(synth, case_count_honoured)
{
    tsheet s = load_sheet(make("411002", "stage", 1, 7, "s7"), "案件明细");
    cr_assert_eq(s.max_row, 7);
    free_sheet(&s);
    tsheet a = load_sheet(make("411002", "annual", 1, 7, "a7"), "案件明细");
    cr_assert_eq(a.max_row, 14);
    free_sheet(&a);
    tsheet z = load_sheet(make("411002", "stage", 1, 0, "s0"), "案件明细");
    cr_assert_eq(z.max_row, 0);
    free_sheet(&z);
}

static void check_cases(const tsheet *s, const hz_round *round)
{
    double lo = hz_date_to_serial(round->period_start), hi = hz_date_to_serial(round->period_end);
    for (uint32_t r = 1; r <= s->max_row; r++) {
        const tcell *filed = cell_at(s, r, FILLIN_CASE_FILED);
        cr_assert(filed && filed->is_date, "row %u has no filing date", r);
        cr_assert(filed->number >= lo && filed->number <= hi, "row %u filed outside period", r);
        const tcell *closed = cell_at(s, r, FILLIN_CASE_CLOSED);
        const char *status = text_at(s, r, FILLIN_CASE_STATUS);
        if (!strcmp(status, "已结案")) {
            cr_assert(closed && closed->is_date, "closed case without date, row %u", r);
            cr_assert_geq(closed->number, filed->number, "row %u closed before filed", r);
            cr_assert_leq(closed->number, hi);
            cr_assert_not_null(cell_at(s, r, FILLIN_CASE_FINE));
        } else {
            cr_assert_str_eq(status, "在办");
            cr_assert(!closed || closed->type == XLSX_CELL_EMPTY, "open case with date, row %u", r);
        }
        const tcell *amount = cell_at(s, r, FILLIN_CASE_AMOUNT);
        cr_assert(amount && amount->number >= 0.1 && amount->number <= 10.0);
        if (!strcmp(text_at(s, r, FILLIN_CASE_TYPICAL), "是"))
            cr_assert_neq(text_at(s, r, FILLIN_CASE_SUMMARY)[0], '\0');
        if (!strcmp(text_at(s, r, FILLIN_CASE_CROSS_REGION), "是"))
            cr_assert_not_null(config_find_unit(config, text_at(s, r, FILLIN_CASE_PARTNER)));
        cr_assert(config_list_contains(&config->case_categories, text_at(s, r, FILLIN_CASE_CATEGORY)));
        cr_assert(config_list_contains(&config->lead_sources, text_at(s, r, FILLIN_CASE_LEAD_SOURCE)));
    }
}

Test(synth, dates_in_period)
{
    for (uint64_t seed = 1; seed <= 3; seed++) {
        tsheet s = load_sheet(make("411081", "stage", seed, 40, "st"), "案件明细");
        check_cases(&s, config_find_round(config, "stage"));
        free_sheet(&s);
        tsheet a = load_sheet(make("411081", "annual", seed, 40, "an"), "案件明细");
        check_cases(&a, config_find_round(config, "annual"));
        free_sheet(&a);
    }
}

Test(synth, annual_contains_stage_cases)
{
    tsheet s = load_sheet(make("411003", "stage", 99, -1, "st"), "案件明细");
    tsheet a = load_sheet(make("411003", "annual", 99, -1, "an"), "案件明细");
    cr_assert_geq(a.max_row, s.max_row);
    for (uint32_t r = 1; r <= s.max_row; r++) {
        const char *number = text_at(&s, r, FILLIN_CASE_NUMBER);
        cr_assert_neq(number[0], '\0');
        bool found = false;
        for (uint32_t q = 1; q <= a.max_row && !found; q++)
            if (!strcmp(text_at(&a, q, FILLIN_CASE_NUMBER), number)) {
                found = true;
                cr_assert_eq(cell_at(&a, q, FILLIN_CASE_FILED)->number,
                             cell_at(&s, r, FILLIN_CASE_FILED)->number);
                if (!strcmp(text_at(&s, r, FILLIN_CASE_STATUS), "已结案"))
                    cr_assert_str_eq(text_at(&a, q, FILLIN_CASE_STATUS), "已结案");
            }
        cr_assert(found, "stage case %s missing from annual", number);
    }
    free_sheet(&s);
    free_sheet(&a);
}

static double value_of(const tsheet *s, const char *code)
{
    for (uint32_t r = 1; r <= s->max_row; r++)
        if (!strcmp(text_at(s, r, 0), code)) {
            const tcell *c = cell_at(s, r, 3);
            cr_assert(c && c->type == XLSX_CELL_NUMBER, "%s has no value", code);
            return c->number;
        }
    cr_assert_fail("indicator %s not found", code);
    return 0;
}

Test(synth, indicators_respect_rules_and_rounds)
{
    for (uint64_t seed = 1; seed <= 4; seed++) {
        tsheet s = load_sheet(make("411082", "stage", seed, -1, "st"), "统计表");
        tsheet a = load_sheet(make("411082", "annual", seed, -1, "an"), "统计表");
        const tsheet *both[2] = {&s, &a};
        for (int i = 0; i < 2; i++) {
            cr_assert_leq(value_of(both[i], "A06"), value_of(both[i], "A03"));
            cr_assert_leq(value_of(both[i], "A23"), value_of(both[i], "A22"));
            cr_assert_geq(value_of(both[i], "A21"), value_of(both[i], "A20"));
            cr_assert_leq(value_of(both[i], "A10"), value_of(both[i], "A09") * 20);
            cr_assert_gt(value_of(both[i], "A19"), 0);
        }
        double staff = value_of(&s, "A19");
        cr_assert(staff >= 50 && staff <= 600, "出动执法人员 %g", staff);
        for (size_t k = 0; k < config->indicator_count; k++)
            if (config->indicators[k].over_rounds == HZ_AGG_CUMULATIVE)
                cr_assert_geq(value_of(&a, config->indicators[k].code),
                              value_of(&s, config->indicators[k].code), "%s fell",
                              config->indicators[k].code);
        free_sheet(&s);
        free_sheet(&a);
    }
}

Test(synth, info_and_text_filled)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/opt.xlsx", tmp);
    synth_options opt;
    synth_options_init(&opt);
    opt.seed = 5;
    opt.version = 2;
    opt.fill_date = hz_date_from_ymd(2022, 8, 24);
    hz_error err = {0};
    cr_assert_eq(synth_fill(config, config_find_unit(config, "411071"),
                            config_find_round(config, "stage"), &opt, path, &err), HZ_OK);
    tsheet info = load_sheet(path, "基本信息");
    cr_assert_str_eq(text_at(&info, FILLIN_INFO_UNIT_CODE, 1), "411071");
    const tcell *fd = cell_at(&info, FILLIN_INFO_FILL_DATE, 1);
    cr_assert(fd && fd->is_date);
    cr_assert_eq(fd->number, hz_date_to_serial(opt.fill_date));
    cr_assert_eq(cell_at(&info, FILLIN_INFO_VERSION, 1)->number, 2.0);
    for (uint32_t r = FILLIN_INFO_FILLER; r <= FILLIN_INFO_REVIEWER; r++)
        cr_assert_neq(text_at(&info, r, 1)[0], '\0', "row %u empty", r);
    free_sheet(&info);
    tsheet cases = load_sheet(path, "案件明细");
    for (uint32_t r = 1; r <= cases.max_row; r++)
        cr_assert_leq(cell_at(&cases, r, FILLIN_CASE_FILED)->number, hz_date_to_serial(opt.fill_date));
    free_sheet(&cases);
    tsheet text = load_sheet(path, "文字材料");
    for (uint32_t r = 0; r < 4; r++)
        cr_assert_gt(strlen(text_at(&text, r, 1)), 30);
    free_sheet(&text);
}

Test(synth, sample_set)
{
    char root[4200], p[4800];
    snprintf(root, sizeof root, "%s/samples", tmp);
    synth_samples_report rep;
    hz_error err = {0};
    cr_assert_eq(synth_write_samples(config, 2022, root, &rep, &err), HZ_OK);
    cr_assert_eq(rep.stage_files, config->unit_count);
    cr_assert_eq(rep.annual_files, config->unit_count);  /* one missing, one extra v1 */
    cr_assert_str_eq(rep.missing_unit->code, config->units[config->unit_count - 1].code);
    char name[512];
    fillin_file_name(rep.missing_unit, config_find_round(config, "annual"), name, sizeof name);
    snprintf(p, sizeof p, "%s/annual/%s", root, name);
    cr_assert_neq(access(p, F_OK), 0);
    snprintf(p, sizeof p, "%s/annual/411002-许昌市魏都区市场监督管理局-年度总结-v1.xlsx", root);
    tsheet v1 = load_sheet(p, "基本信息");
    cr_assert_eq(cell_at(&v1, FILLIN_INFO_VERSION, 1)->number, 1.0);
    free_sheet(&v1);
    snprintf(p, sizeof p, "%s/annual/411002-许昌市魏都区市场监督管理局-年度总结.xlsx", root);
    tsheet v2 = load_sheet(p, "基本信息");
    cr_assert_eq(cell_at(&v2, FILLIN_INFO_VERSION, 1)->number, 2.0);
    free_sheet(&v2);

    snprintf(p, sizeof p, "%s/annual/receipts.ini", root);
    char *ini = hz_test_read_file(p, NULL);
    cr_assert_not_null(ini);
    cr_assert(strstr(ini, "[receipts]\n"));
    char late[64];
    snprintf(late, sizeof late, "%s = 2022-11-26 ", rep.late_unit->code);
    cr_assert(strstr(ini, late), "late receipt missing: %s", ini);
    char missing[64];
    snprintf(missing, sizeof missing, "\n%s = ", rep.missing_unit->code);
    cr_assert_null(strstr(ini, missing));
    free(ini);
    snprintf(p, sizeof p, "%s/stage/receipts.ini", root);
    ini = hz_test_read_file(p, NULL);
    cr_assert_not_null(ini);
    for (size_t i = 0; i < config->unit_count; i++) {
        char line[64];
        snprintf(line, sizeof line, "\n%s = 2022-08-2", config->units[i].code);
        cr_assert(strstr(ini, line), "stage receipt of %s", config->units[i].code);
    }
    free(ini);
}

/* --config-units (bench/): the campaign's files copied, N units of which
 * the campaign's own come first, and the folder loads as a configuration. */
Test(synth, config_of_any_size)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/config-200", tmp);
    hz_error err = {0};
    cr_assert_eq(synth_write_config(config, 200, dir, &err), HZ_OK);
    hz_config *big = NULL;
    hz_config_problems problems = {0};
    cr_assert_eq(config_load(dir, &big, &problems), HZ_OK);
    cr_assert_eq(big->unit_count, 200);
    cr_assert_str_eq(big->units[0].code, config->units[0].code);
    cr_assert_str_eq(big->units[config->unit_count - 1].name,
                     config->units[config->unit_count - 1].name);
    cr_assert_str_eq(big->units[199].code, "490200");
    cr_assert_eq(big->indicator_count, config->indicator_count);
    cr_assert_eq(big->round_count, config->round_count);
    for (size_t i = 1; i < big->unit_count; i++)
        for (size_t k = 0; k < i; k++)
            cr_assert_str_neq(big->units[i].code, big->units[k].code);
    config_free(big);
    config_problems_free(&problems);

    cr_assert_neq(synth_write_config(config, 0, dir, &err), HZ_OK);
    cr_assert_neq(synth_write_config(config, SYNTH_MAX_UNITS + 1, dir, &err), HZ_OK);
}

/* A unit marks about one case in ten as typical, but at most
 * SYNTH_MAX_TYPICAL (10) of them. */
Test(synth, typical_cases_capped)
{
    const char *p = make("411002", "annual", 5, 300, "typical");
    tsheet cases = load_sheet(p, "案件明细");
    cr_assert_eq(cases.max_row, 600);
    size_t typical = 0;
    for (uint32_t r = 1; r <= cases.max_row; r++)
        typical += !strcmp(text_at(&cases, r, FILLIN_CASE_TYPICAL), "是");
    free_sheet(&cases);
    cr_assert_gt(typical, 0);
    cr_assert_leq(typical, 10);
}
