/* test_validate.c - header, row, table and rules.ini checks on workbooks
 * written here with known faults; issue ordering, counting and rendering. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "config.h"
#include "fillin.h"
#include "hz_test.h"
#include "hz_test_fixture.h"
#include "issue.h"

HZ_TEST_FIXTURE("validate");

TestSuite(validate, .init = hz_fixture_setup, .fini = hz_fixture_teardown, .timeout = 60);

typedef struct override {
    const char *code;
    double value;
    const char *note;
} override;

static fillin_case good_case(const char *number)
{
    return (fillin_case){
        .number = number, .name = "某店销售假冒注册商标的商品案",
        .filed = hz_date_from_ymd(2022, 7, 1), .closed = hz_date_from_ymd(2022, 7, 20),
        .status = "已结案", .category = "商标侵权假冒", .commodity = "服饰箱包",
        .channel = "实体市场", .key_market = FILLIN_NO, .rural = FILLIN_NO, .amount = 20000,
        .has_amount = true, .transferred = FILLIN_NO, .cross_region = FILLIN_NO,
        .lead_source = "投诉举报", .typical = FILLIN_NO,
    };
}

/* A stage return of 411002 with sensible values (every indicator 100) plus
 * the overrides and cases given; checked against round. */
static hz_check_result check_book(const override *ov, size_t nov, const fillin_case *cases,
                                  size_t ncases, const char *round_id)
{
    size_t n = config->indicator_count;
    double *values = calloc(n, sizeof *values);
    const char **notes = calloc(n, sizeof *notes);
    for (size_t i = 0; i < n; i++)
        values[i] = 100;
    for (size_t k = 0; k < nov; k++) {
        const hz_indicator *ind = config_find_indicator(config, ov[k].code);
        cr_assert_not_null(ind);
        values[ind - config->indicators] = ov[k].value;
        notes[ind - config->indicators] = ov[k].note;
    }
    fillin_values v = {
        .fill_date = hz_date_from_ymd(2022, 8, 24), .filler = "张三", .phone = "13800000000",
        .reviewer = "李四", .indicator_values = values, .indicator_notes = notes,
        .cases = cases, .case_count = ncases,
    };
    char path[1024];
    snprintf(path, sizeof path, "%s/book.xlsx", tmp);
    cr_assert_eq(fillin_write_values(config, config_find_unit(config, "411002"),
                                     config_find_round(config, "stage"), &v, path, NULL),
                 HZ_OK);
    free(values);
    free(notes);
    hz_check_options opt = {.round = round_id ? config_find_round(config, round_id) : NULL};
    hz_check_result r;
    cr_assert_eq(check_file(config, path, &opt, &r, NULL), HZ_OK);
    return r;
}

static const hz_issue *find(const hz_check_result *r, const char *rule)
{
    for (size_t i = 0; i < r->issues.count; i++)
        if (!strcmp(r->issues.items[i].rule, rule))
            return &r->issues.items[i];
    return NULL;
}

Test(validate, clean_book_is_valid)
{
    fillin_case c = good_case("X-1");
    hz_check_result r = check_book(NULL, 0, &c, 1, "stage");
    cr_expect(r.valid);
    cr_expect_eq(r.issues.count, 0);
    cr_expect_not_null(r.sub.unit);
    cr_expect_str_eq(r.sub.round->id, "stage");
    check_result_free(&r);
}

Test(validate, rule_error_points_at_the_first_indicator)
{
    override ov[] = {{"A03", 10, NULL}, {"A06", 25, "说明也不能让错误通过"}};
    hz_check_result r = check_book(ov, 2, NULL, 0, "stage");
    const hz_issue *is = find(&r, "rule.R01");
    cr_assert_not_null(is);
    cr_expect_eq(is->severity, HZ_SEV_ERROR);
    cr_expect_not(is->explained, "errors are never explained away");
    cr_expect_str_eq(is->sheet, "统计表");
    cr_expect_eq(is->cell[0], 'D');
    cr_expect_str_eq(is->found, "25");
    char en[512];
    issue_render(is, HZ_LANG_EN, en, sizeof en);
    cr_expect(strstr(en, "(left 25, right 10)") != NULL, "%s", en);
    cr_expect_not(r.valid);
    check_result_free(&r);
}

Test(validate, warning_explained_by_note)
{
    override ov[] = {{"A19", 0, "由市局统一组织"}};
    hz_check_result r = check_book(ov, 1, NULL, 0, "stage");
    const hz_issue *is = find(&r, "rule.R10");
    cr_assert_not_null(is);
    cr_expect(is->explained);
    cr_expect_eq(r.counts.explained, 1);
    cr_expect_eq(r.counts.warnings, 0);
    cr_expect(r.valid);
    check_result_free(&r);

    override bare[] = {{"A19", 0, NULL}};
    r = check_book(bare, 1, NULL, 0, "stage");
    cr_expect_eq(r.counts.warnings, 1);
    cr_expect(r.valid, "an unexplained warning does not block either");
    check_result_free(&r);
}

Test(validate, wrong_round_is_the_only_finding)
{
    fillin_case c = good_case("X-1");
    c.closed = hz_date_from_ymd(2022, 6, 1); /* would be a row error */
    hz_check_result r = check_book(NULL, 0, &c, 1, "annual");
    cr_assert_eq(r.issues.count, 1);
    cr_expect_str_eq(r.issues.items[0].rule, "header.round_mismatch");
    check_result_free(&r);
}

Test(validate, rows_and_table)
{
    fillin_case c[4] = {good_case("X-1"), good_case("X-2"), good_case("X-1"), good_case("X-4")};
    c[1].closed = hz_date_from_ymd(2022, 6, 25);          /* before 立案日期 */
    c[2].name = "另一案件，编号却与第 2 行相同";              /* not a pasted row */
    c[3].partner = "411002, 999999";                      /* itself and unknown */
    c[3].typical = FILLIN_YES;                            /* without a summary */
    hz_check_result r = check_book(NULL, 0, c, 4, NULL);
    const hz_issue *is = find(&r, "row.close_before_open");
    cr_assert_not_null(is);
    cr_expect_str_eq(is->cell, "D3");
    is = find(&r, "table.duplicate_case");
    cr_assert_not_null(is);
    cr_expect_str_eq(is->cell, "A4");
    cr_expect_str_eq(is->extra, "2", "names the first row");
    cr_expect_not_null(find(&r, "cell.assist_self"));
    is = find(&r, "cell.unknown_unit");
    cr_assert_not_null(is);
    cr_expect_str_eq(is->found, "999999");
    cr_expect_not_null(find(&r, "row.typical_without_summary"));
    cr_expect_eq(r.counts.errors, 5);
    check_result_free(&r);
}

Test(validate, issues_sorted_counted_rendered)
{
    hz_issue_list list = {0};
    hz_issue_spec a = {.file = "f.xlsx", .sheet = "案件明细", .cell = "C10", .field = "立案日期",
                       .rule = "cell.date", .severity = HZ_SEV_ERROR, .found = "2022-13-01",
                       .expected = "YYYY-MM-DD", .msg = HZ_M_WORKBOOK_BAD_DATE};
    hz_issue_spec b = a, c = a, d = a;
    b.cell = "C9";
    c.severity = HZ_SEV_NOTICE;
    c.cell = "A1";
    d.severity = HZ_SEV_WARNING;
    d.cell = "B2";
    cr_assert_not_null(issue_list_add(&list, &c));
    cr_assert_not_null(issue_list_add(&list, &a));
    hz_issue *w = issue_list_add(&list, &d);
    cr_assert_not_null(w);
    w->explained = true;
    cr_assert_not_null(issue_list_add(&list, &b));
    issue_list_sort(&list);
    cr_expect_str_eq(list.items[0].cell, "C9");
    cr_expect_str_eq(list.items[1].cell, "C10", "rows compare as numbers");
    cr_expect_eq(list.items[2].severity, HZ_SEV_WARNING);
    cr_expect_eq(list.items[3].severity, HZ_SEV_NOTICE);
    hz_issue_counts n = issue_list_count(&list);
    cr_expect_eq(n.errors, 2);
    cr_expect_eq(n.warnings, 0);
    cr_expect_eq(n.explained, 1);
    cr_expect_eq(n.notices, 1);
    char buf[512];
    cr_expect_str_eq(issue_render(&list.items[1], HZ_LANG_ZH, buf, sizeof buf),
                     "案件明细!C10 立案日期「2022-13-01」不是有效日期，应为 YYYY-MM-DD");
    cr_expect_str_eq(issue_location(&list.items[1], buf, sizeof buf), "案件明细!C10");
    issue_list_free(&list);
}

/* indicators.ini part_of is a rule of its own: a part larger than its whole
 * is an error at the part's cell (second campaign, tests/fixtures/config-alt). */
Test(validate, part_larger_than_whole_is_an_error)
{
    hz_config *alt = NULL;
    hz_config_problems ps = {0};
    cr_assert_eq(config_load(HZ_SOURCE_DIR "/tests/fixtures/config-alt", &alt, &ps), HZ_OK);
    size_t n = alt->indicator_count;
    double *values = calloc(n, sizeof *values);
    for (size_t i = 0; i < n; i++)
        values[i] = 100;
    values[config_find_indicator(alt, "C02") - alt->indicators] = 150; /* > C01 */
    fillin_values v = {
        .fill_date = hz_date_from_ymd(2023, 8, 1), .filler = "张三", .phone = "13800000000",
        .reviewer = "李四", .indicator_values = values,
    };
    char path[1024];
    snprintf(path, sizeof path, "%s/alt.xlsx", tmp);
    cr_assert_eq(fillin_write_values(alt, config_find_unit(alt, "410402"),
                                     config_find_round(alt, "stage"), &v, path, NULL),
                 HZ_OK);
    free(values);
    hz_check_options opt = {.round = config_find_round(alt, "stage")};
    hz_check_result r;
    cr_assert_eq(check_file(alt, path, &opt, &r, NULL), HZ_OK);
    const hz_issue *is = find(&r, "rule.part_of.C02");
    cr_assert_not_null(is);
    cr_expect_eq(is->severity, HZ_SEV_ERROR);
    cr_expect_str_eq(is->sheet, "统计表");
    cr_expect_str_eq(is->found, "150");
    cr_expect_null(find(&r, "rule.part_of.C08"), "C08 = C07 is within its whole");
    cr_expect_not(r.valid);
    check_result_free(&r);
    config_free(alt);
}
