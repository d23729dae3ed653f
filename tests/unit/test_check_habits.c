/* test_check_habits.c - the habits of real county officers (issue 16), on
 * workbooks saved by LibreOffice (tests/fixtures/habits/, made by
 * make-habits.py): blanks in sheet names and headers, merged cells, hidden
 * rows, dates in General format, and returns saved in other formats. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "config.h"
#include "hz_test.h"
#include "hz_test_fixture.h"

#define HABITS HZ_SOURCE_DIR "/tests/fixtures/habits"

HZ_TEST_FIXTURE(NULL);

TestSuite(check_habits, .init = hz_fixture_setup, .fini = hz_fixture_teardown, .timeout = 120);

static hz_check_result check(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, HABITS "/%s", name);
    /* made by LibreOffice, not by us or openpyxl */
    hz_run app = hz_test_run("unzip -p '%s' docProps/app.xml 2>/dev/null || true", path);
    if (strstr(name, ".xlsx"))
        cr_assert(strstr(app.out, "<Application>LibreOffice"), "%s was not saved by LibreOffice",
                  name);
    hz_run_free(&app);
    hz_check_options opt = {.round = config_find_round(config, "stage")};
    hz_check_result r;
    hz_error err = {0};
    cr_assert_eq(check_file(config, path, &opt, &r, &err), HZ_OK, "%s", name);
    return r;
}

static size_t count_rule(const hz_check_result *r, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < r->issues.count; i++)
        n += !strcmp(r->issues.items[i].rule, rule);
    return n;
}

static const hz_issue *find(const hz_check_result *r, const char *rule, const char *sheet,
                            const char *cell)
{
    for (size_t i = 0; i < r->issues.count; i++) {
        const hz_issue *is = &r->issues.items[i];
        if (!strcmp(is->rule, rule) && !strcmp(is->sheet, sheet) && !strcmp(is->cell, cell))
            return is;
    }
    return NULL;
}

static void dump(const hz_check_result *r)
{
    for (size_t i = 0; i < r->issues.count; i++)
        fprintf(stderr, "  %s %s!%s %s\n", r->issues.items[i].rule, r->issues.items[i].sheet,
                r->issues.items[i].cell, r->issues.items[i].found);
}

Test(check_habits, blanks_in_sheet_name_and_header_are_a_notice)
{
    hz_check_result r = check("sheet-blanks.xlsx");
    dump(&r);
    cr_expect(r.valid);
    cr_expect_eq(r.counts.errors, 0);
    const hz_issue *sheet = find(&r, "structure.sheet_name_normalised", "案件明细", "");
    cr_assert_not_null(sheet);
    cr_expect_str_eq(sheet->found, "案件明细 ");
    cr_expect_eq(sheet->severity, HZ_SEV_NOTICE);
    /* the sheet is not also "extra" and "missing" */
    cr_expect_eq(count_rule(&r, "structure.extra_sheet"), 0);
    cr_expect_eq(count_rule(&r, "structure.missing_sheet"), 0);
    const hz_issue *header = find(&r, "structure.header_normalised", "案件明细", "P1");
    cr_assert_not_null(header);
    cr_expect_str_eq(header->field, "线索来源");
    cr_expect_str_eq(header->found, "线索\u3000来源");
    cr_expect_eq(r.sub.case_count, 12);
    check_result_free(&r);
}

Test(check_habits, merged_case_cells_are_one_error_per_range)
{
    hz_check_result r = check("merged-cases.xlsx");
    dump(&r);
    cr_expect_not(r.valid);
    cr_expect_eq(r.counts.errors, 1);
    const hz_issue *m = find(&r, "structure.merged_cells", "案件明细", "H2");
    cr_assert_not_null(m);
    cr_expect_str_eq(m->found, "H2:H6");
    /* nothing about the four cells LibreOffice emptied */
    cr_expect_eq(count_rule(&r, "cell.required"), 0);
    check_result_free(&r);
}

Test(check_habits, merged_indicator_values_are_one_error_per_range)
{
    hz_check_result r = check("merged-values.xlsx");
    dump(&r);
    cr_expect_not(r.valid);
    cr_expect_eq(r.counts.errors, 1);
    const hz_issue *m = find(&r, "structure.merged_cells", "统计表", "D2");
    cr_assert_not_null(m);
    cr_expect_str_eq(m->found, "D2:D3");
    cr_expect_eq(count_rule(&r, "cell.required"), 0);
    check_result_free(&r);
}

Test(check_habits, hidden_row_is_read_with_a_notice)
{
    hz_check_result r = check("hidden-row.xlsx");
    cr_expect(r.valid);
    cr_expect_eq(count_rule(&r, "structure.hidden_row"), 1);
    const hz_issue *h = find(&r, "structure.hidden_row", "案件明细", "A4");
    cr_assert_not_null(h);
    cr_expect_eq(h->severity, HZ_SEV_NOTICE);
    cr_expect_eq(r.sub.case_count, 12, "the hidden case still counts");
    check_result_free(&r);
}

Test(check_habits, general_format_dates_are_one_notice_per_column)
{
    hz_check_result r = check("date-general.xlsx");
    dump(&r);
    cr_expect(r.valid);
    /* twelve cases, one notice: at the column's first date */
    cr_expect_eq(count_rule(&r, "cell.date_serial"), 1);
    const hz_issue *d = find(&r, "cell.date_serial", "案件明细", "C2");
    cr_assert_not_null(d);
    cr_expect_str_eq(d->field, "立案日期");
    for (size_t i = 0; i < r.sub.case_count; i++)
        cr_expect_neq(r.sub.cases[i].filed, HZ_DATE_NONE, "case %zu has no date", i);
    check_result_free(&r);
}

Test(check_habits, other_formats_are_told_to_save_as_xlsx)
{
    static const struct {
        const char *file, *rule;
    } cases[] = {
        {"411002-other.ods", "file.ods"},
        {"411002-other.xls", "file.old_xls"},
        {"411002-other.et", "file.et"},
        {"411002-other.csv", "file.csv"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hz_check_result r = check(cases[i].file);
        cr_expect_not(r.valid, "%s", cases[i].file);
        cr_expect_eq(r.issues.count, 1, "%s: one sentence", cases[i].file);
        cr_expect_eq(count_rule(&r, cases[i].rule), 1, "%s: no %s", cases[i].file,
                     cases[i].rule);
        /* and not the zip reader's "lacks xl/workbook.xml" */
        cr_expect_eq(count_rule(&r, "file.damaged"), 0, "%s", cases[i].file);
        check_result_free(&r);
    }
}
