/* test_submission.c - one workbook into an hz_submission: values with their
 * cells, missing distinct from 0, notes, cases, narratives, case totals,
 * and the issues met while reading. Workbooks are written here with the
 * fill-in writer so every expected value is known. */
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "fillin.h"
#include "hz_test.h"
#include "hz_test_fixture.h"
#include "submission.h"

HZ_TEST_FIXTURE("submission");

TestSuite(submission, .init = hz_fixture_setup, .fini = hz_fixture_teardown, .timeout = 60);

static const hz_round *stage(void)
{
    return config_find_round(config, "stage");
}

static fillin_case make_case(const char *number, bool closed)
{
    fillin_case c = {
        .number = number, .name = "某商贸有限公司销售侵犯注册商标专用权商品案",
        .filed = hz_date_from_ymd(2022, 7, 1),
        .closed = closed ? hz_date_from_ymd(2022, 8, 1) : HZ_DATE_NONE,
        .status = closed ? "已结案" : "在办", .category = "商标侵权假冒",
        .commodity = "食品", .channel = "实体市场", .key_market = FILLIN_YES,
        .rural = FILLIN_NO, .amount = 12345, .has_amount = true, .fine = closed ? 5000 : 0,
        .has_fine = closed, .transferred = FILLIN_NO, .cross_region = FILLIN_NO,
        .lead_source = "日常检查", .typical = FILLIN_NO,
    };
    return c;
}

/* Writes a workbook for 411002: every indicator 10 except A02 missing and
 * A03 = 0 with a note; the given cases. */
static char *write_book(const fillin_case *cases, size_t count)
{
    size_t n = config->indicator_count;
    double *values = calloc(n, sizeof *values);
    bool *present = calloc(n, sizeof *present);
    const char **notes = calloc(n, sizeof *notes);
    for (size_t i = 0; i < n; i++) {
        values[i] = 10;
        present[i] = true;
    }
    size_t a02 = (size_t)(config_find_indicator(config, "A02") - config->indicators);
    size_t a03 = (size_t)(config_find_indicator(config, "A03") - config->indicators);
    present[a02] = false;
    values[a03] = 0;
    notes[a03] = "本期未开展";
    fillin_values v = {
        .fill_date = hz_date_from_ymd(2022, 8, 24), .filler = "张三", .phone = "0374-1234567",
        .reviewer = "李四", .indicator_values = values, .indicator_present = present,
        .indicator_notes = notes, .cases = cases, .case_count = count,
        .texts = {"开展了专项检查。", "查处案件。", "人员不足。", "继续推进。"},
    };
    char *path = malloc(strlen(tmp) + 32);
    sprintf(path, "%s/book.xlsx", tmp);
    hz_error err = {0};
    cr_assert_eq(fillin_write_values(config, config_find_unit(config, "411002"), stage(), &v,
                                     path, &err), HZ_OK);
    free(values);
    free(present);
    free(notes);
    return path;
}

Test(submission, values_cases_and_narrative)
{
    fillin_case cases[3] = {make_case("C-1", true), make_case("C-2", false),
                            make_case("C-3", true)};
    cases[2].typical = FILLIN_YES;
    cases[2].summary = "2022年7月，某局查处某公司案。";
    cases[2].transferred = FILLIN_YES;
    cases[1].channel = "电子商务";
    char *path = write_book(cases, 3);
    hz_submission sub;
    hz_issue_list issues = {0};
    hz_error err = {0};
    cr_assert_eq(submission_read(path, config, &sub, &issues, &err), HZ_OK);
    cr_expect(sub.readable);
    cr_expect_eq(issues.count, 0, "issues on a clean workbook: %zu", issues.count);
    cr_expect_str_eq(sub.header.text[HZ_H_UNIT_CODE], "411002");
    cr_expect_str_eq(sub.header.text[HZ_H_FILLER], "张三");
    cr_expect_eq(sub.header.fill_date, hz_date_from_ymd(2022, 8, 24));
    cr_expect_eq(sub.header.version, 1);
    cr_expect_eq(strlen(sub.sha256), 64);

    const hz_value *a01 = &sub.values[config_find_indicator(config, "A01") - config->indicators];
    const hz_value *a02 = &sub.values[config_find_indicator(config, "A02") - config->indicators];
    const hz_value *a03 = &sub.values[config_find_indicator(config, "A03") - config->indicators];
    cr_expect(a01->present && a01->valid);
    cr_expect_eq(a01->value, 10 * HZ_AMOUNT_SCALE);
    cr_expect_not(a02->present, "an empty 数值 is missing, not 0");
    cr_expect(a03->present);
    cr_expect_eq(a03->value, 0);
    cr_expect_str_eq(a03->note, "本期未开展");
    cr_expect_gt(a03->row, a01->row);
    cr_expect_eq(sub.value_col, 3, "数值 is column D");

    cr_assert_eq(sub.case_count, 3);
    const hz_case *c = &sub.cases[0];
    cr_expect_str_eq(c->case_no, "C-1");
    cr_expect_eq(c->row, 2);
    cr_expect(c->is_closed);
    cr_expect_eq(c->closed, hz_date_from_ymd(2022, 8, 1));
    cr_expect_eq(c->amount, 12345, "1.2345 万元 exactly");
    cr_expect_eq(c->key_market, HZ_YES);
    cr_expect_eq(c->rural, HZ_NO);
    cr_expect_eq(c->cross_region, HZ_NO);
    cr_expect_eq(c->invalid, 0);
    char cell[16];
    cr_expect_str_eq(submission_case_cell(&sub, &sub.cases[2], HZ_C_FILED, cell, sizeof cell),
                     "C4");
    cr_expect_str_eq(sub.narrative[HZ_N_PROBLEMS], "人员不足。");

    hz_case_totals t;
    submission_case_totals(&sub, &t);
    cr_expect_eq(t.filed, 3);
    cr_expect_eq(t.closed, 2);
    cr_expect_eq(t.open, 1);
    cr_expect_eq(t.transferred, 1);
    cr_expect_eq(t.typical, 1);
    cr_expect_eq(t.online, 1);
    cr_expect_eq(t.physical, 2);
    cr_expect_eq(t.amount, 3 * 12345);
    cr_expect_eq(t.fine, 10000);

    submission_free(&sub);
    issue_list_free(&issues);
    free(path);
}

Test(submission, blank_template_reports_required_values)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/blank.xlsx", tmp);
    cr_assert_eq(fillin_write(config, config_find_unit(config, "411003"), stage(), path, NULL),
                 HZ_OK);
    hz_submission sub;
    hz_issue_list issues = {0};
    cr_assert_eq(submission_read(path, config, &sub, &issues, NULL), HZ_OK);
    cr_expect_eq(sub.case_count, 0, "the 500 prepared rows are not cases");
    size_t required = 0, flagged = 0;
    for (size_t i = 0; i < config->indicator_count; i++)
        required += config->indicators[i].required;
    for (size_t i = 0; i < issues.count; i++)
        if (!strcmp(issues.items[i].rule, "cell.required") &&
            !strcmp(issues.items[i].sheet, HZ_SHEET_VALUES))
            flagged++;
    cr_expect_eq(flagged, required);
    submission_free(&sub);
    issue_list_free(&issues);
}

Test(submission, unreadable_file_is_one_issue)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/notes.xlsx", tmp);
    FILE *f = fopen(path, "w");
    fputs("not a workbook", f);
    fclose(f);
    hz_submission sub;
    hz_issue_list issues = {0};
    hz_error err = {0};
    cr_expect_eq(submission_read(path, config, &sub, &issues, &err), HZ_ERR_FORMAT);
    cr_expect_not(sub.readable);
    cr_assert_eq(issues.count, 1);
    cr_expect_str_eq(issues.items[0].rule, "file.not_xlsx");
    char zh[512], en[512];
    issue_render(&issues.items[0], HZ_LANG_ZH, zh, sizeof zh);
    issue_render(&issues.items[0], HZ_LANG_EN, en, sizeof en);
    cr_expect(strstr(zh, "notes.xlsx") && strstr(en, "not a zip"), "%s / %s", zh, en);
    submission_free(&sub);
    submission_free(&sub); /* freeing twice is harmless: the struct is reset */
    issue_list_free(&issues);
}

Test(submission, labels_come_from_the_template)
{
    cr_expect_str_eq(submission_header_label(HZ_H_VERSION), "版本号");
    cr_expect_str_eq(submission_case_column(HZ_C_AMOUNT), "涉案金额（万元）");
    cr_expect_str_eq(submission_narrative_label(HZ_N_NEXT), "下一步工作打算");
    cr_expect(submission_case_required(HZ_C_CASE_NO));
    cr_expect_not(submission_case_required(HZ_C_CLOSED));
    cr_expect(submission_header_required(HZ_H_FILLER));
}

/* A sheet that breaks part way: one sentence, nothing of what the first
 * half seemed to show (no cascade of "missing" items). */
Test(submission, damaged_sheet_is_one_issue)
{
    fillin_case cases[2] = {make_case("D-1", true), make_case("D-2", false)};
    char *path = write_book(cases, 2);
    size_t size = 0;
    char *bytes = hz_test_read_file(path, &size);
    cr_assert_not_null(bytes);
    /* garble the compressed data that follows the first worksheet's local
     * zip header (its name comes right before the data) */
    const char *name = "xl/worksheets/sheet2.xml";
    char *at = memmem(bytes, size, name, strlen(name));
    cr_assert_not_null(at);
    size_t from = (size_t)(at - bytes) + strlen(name) + 40;
    for (size_t i = from; i < from + 30 && i < size; i++)
        bytes[i] ^= 0x5a;
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fwrite(bytes, 1, size, f);
    fclose(f);
    free(bytes);
    hz_submission sub;
    hz_issue_list issues = {0};
    hz_error err = {0};
    hz_status s = submission_read(path, config, &sub, &issues, &err);
    char why[512];
    cr_expect_neq(s, HZ_OK);
    cr_expect_not(sub.readable);
    cr_assert_eq(issues.count, 1, "%zu issues, status %s: %s", issues.count, hz_status_name(s),
                 hz_error_render(&err, HZ_LANG_EN, why, sizeof why));
    cr_expect(!strncmp(issues.items[0].rule, "file.", 5), "%s", issues.items[0].rule);
    submission_free(&sub);
    issue_list_free(&issues);
    free(path);
}
