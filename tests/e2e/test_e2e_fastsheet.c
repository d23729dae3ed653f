/* test_e2e_fastsheet.c - the fast sheet writer on the sample campaign
 * (issue 19): 案件明细 and 校验问题 read back by openpyxl hold the same cells
 * (values, types, number formats, bold), frozen pane, autofilter, print
 * titles and widths as the libxlsxwriter-written sheets of main did
 * (tests/fixtures/xlsx-golden/, dumped by tests/e2e/xlsx_cells.py before the
 * change); LibreOffice reads every cell; the bytes are reproducible and do
 * not depend on the thread count; a small row limit continues the lists on
 * 案件明细(2), … and 校验问题(2), … with every row kept. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "consolidate_folder.h"
#include "hz_test.h"
#include "hz_test_fixture.h"
#include "render_xlsx.h"

#define SAMPLES HZ_SOURCE_DIR "/input/xuchang-2022"
#define CELLS "/usr/bin/python3 '" HZ_SOURCE_DIR "/tests/e2e/xlsx_cells.py'"
#define GOLDEN HZ_SOURCE_DIR "/tests/fixtures/xlsx-golden/"

HZ_TEST_FIXTURE("e2e-fastsheet");

TestSuite(e2e_fastsheet, .init = hz_fixture_setup, .fini = hz_fixture_teardown, .timeout = 300);

/* consolidate of a sample round into out (sample.sh's command lines). */
static void run_round(const char *round, const char *out)
{
    hz_run r;
    if (!strcmp(round, "stage"))
        r = hz_test_run("'" HZ_BIN "' consolidate --round stage --as-of 2022-08-31 --xlsx-only "
                        "-o '%s' '" SAMPLES "/stage'", out);
    else
        r = hz_test_run("'" HZ_BIN "' consolidate --round annual --as-of 2022-11-30 --xlsx-only "
                        "--stage '" SAMPLES "/stage' -o '%s' '" SAMPLES "/annual'", out);
    cr_assert_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    hz_run_free(&r);
}

static void find_xlsx(const char *out, char *buf, size_t size)
{
    hz_run r = hz_test_run("ls '%s'/*.xlsx", out);
    cr_assert_eq(r.exit_code, 0, "no workbook in %s", out);
    r.out[strcspn(r.out, "\n")] = '\0';
    snprintf(buf, size, "%s", r.out);
    hz_run_free(&r);
}

static void expect_golden(const char *xlsx, const char *round, const char *flags)
{
    hz_run r = hz_test_run(CELLS " %s '%s' '" GOLDEN "%s.json'", flags, xlsx, round);
    cr_expect_eq(r.exit_code, 0, "%s against the golden cells:\n%s%s", round, r.out, r.err);
    hz_run_free(&r);
}

Test(e2e_fastsheet, samples_match_the_golden_cells)
{
    hz_test_require("/usr/bin/python3", "python3-openpyxl");
    const char *rounds[] = {"stage", "annual"};
    for (int k = 0; k < 2; k++) {
        char out[1024], xlsx[2048];
        snprintf(out, sizeof out, "%s/%s", tmp, rounds[k]);
        run_round(rounds[k], out);
        find_xlsx(out, xlsx, sizeof xlsx);
        expect_golden(xlsx, rounds[k], "");
        /* Info-ZIP checks every CRC of the joined zip */
        hz_run t = hz_test_run("unzip -tq '%s'", xlsx);
        cr_expect_eq(t.exit_code, 0, "%s", t.out);
        hz_run_free(&t);
    }
}

/* The case sheet's repeated texts are shared strings, and <sst count=> is
 * the number of cells that point at them, over every sheet. */
Test(e2e_fastsheet, repeated_texts_are_shared_strings)
{
    char out[1024], xlsx[2048];
    snprintf(out, sizeof out, "%s/shared", tmp);
    run_round("annual", out);
    find_xlsx(out, xlsx, sizeof xlsx);
    hz_run cells = hz_test_run("unzip -p '%s' 'xl/worksheets/sheet*.xml' | grep -o ' t=\"s\">' "
                               "| wc -l", xlsx);
    hz_run count = hz_test_run("unzip -p '%s' xl/sharedStrings.xml | head -c 400 | "
                               "sed -n 's/.*<sst [^>]* count=\"\\([0-9]*\\)\".*/\\1/p'", xlsx);
    cr_assert_eq(cells.exit_code, 0);
    cr_assert_eq(count.exit_code, 0);
    hz_run cases = hz_test_run("unzip -p '%s' xl/worksheets/sheet6.xml | grep -o ' t=\"s\">' "
                               "| wc -l", xlsx);
    long n = strtol(cells.out, NULL, 10), declared = strtol(count.out, NULL, 10);
    /* 案件明细 has 15 shared columns on each of its 277 case rows */
    cr_expect_eq(strtol(cases.out, NULL, 10), 277 * 15, "%s", cases.out);
    /* libxlsxwriter's own part of the count is a few over its cells (it
     * counts a cell written twice twice); the case sheet's part is exact */
    cr_expect(declared >= n && declared - n < 16, "<sst count=\"%ld\"> for %ld cells",
              declared, n);
    hz_run_free(&cells);
    hz_run_free(&count);
    hz_run_free(&cases);
    /* the unit and file columns of a case row are indexes, not inline text */
    hz_run row = hz_test_run("unzip -p '%s' xl/worksheets/sheet6.xml | grep -o '<row r=\"2\">.*</row>' "
                             "| head -c 4000 | grep -o '<c r=\"[A-Z]*2\"[^>]*>' | head -24", xlsx);
    cr_assert_eq(row.exit_code, 0, "%s", row.err);
    cr_expect(strstr(row.out, "<c r=\"A2\" s=\"1\" t=\"s\">") != NULL, "%s", row.out);
    cr_expect(strstr(row.out, "<c r=\"X2\" s=\"1\" t=\"s\">") != NULL, "%s", row.out);
    cr_expect(strstr(row.out, "<c r=\"E2\" s=\"1\" t=\"inlineStr\">") != NULL,
              "the case number stays inline: %s", row.out);
    hz_run_free(&row);
}

Test(e2e_fastsheet, same_input_same_bytes)
{
    char a[1024], b[1024], xa[2048], xb[2048];
    snprintf(a, sizeof a, "%s/a", tmp);
    snprintf(b, sizeof b, "%s/b", tmp);
    run_round("annual", a);
    run_round("annual", b);
    find_xlsx(a, xa, sizeof xa);
    find_xlsx(b, xb, sizeof xb);
    cr_assert(hz_test_files_equal(xa, xb), "two runs give different workbooks");
}

Test(e2e_fastsheet, libreoffice_reads_every_cell)
{
    hz_test_require("/usr/bin/python3", "python3-openpyxl");
    hz_test_require("soffice", "libreoffice-calc-nogui");
    char out[1024], xlsx[2048], lo[1024];
    snprintf(out, sizeof out, "%s/annual", tmp);
    run_round("annual", out);
    find_xlsx(out, xlsx, sizeof xlsx);
    snprintf(lo, sizeof lo, "%s/lo-out", tmp);
    /* LibreOffice opens the workbook and saves it again: what it saved is
     * what it read */
    hz_run c = hz_test_run("cd '%s' && HOME='%s' timeout 180 soffice --headless --norestore "
                           "-env:UserInstallation=file://%s/lo "
                           "--convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir '%s' '%s'",
                           tmp, tmp, tmp, lo, xlsx);
    cr_assert_eq(c.exit_code, 0, "%s %s", c.out, c.err);
    hz_run_free(&c);
    char back[2048];
    find_xlsx(lo, back, sizeof back);
    expect_golden(back, "annual", "--values");
}

/* ---- in-process: the options the CLI does not expose ---- */

static hz_consolidation *annual_consolidation(void)
{
    const hz_round *round = config_find_round(config, "annual");
    cr_assert_not_null(round);
    hz_consolidate_options opt = {.threads = 2, .stage_folder = SAMPLES "/stage"};
    hz_consolidation *cons = NULL;
    hz_error err;
    cr_assert_eq(consolidate_folder(config, round, SAMPLES "/annual", &opt, &cons, &err), HZ_OK);
    return cons;
}

static void write_with(const hz_consolidation *cons, size_t sheet_rows, size_t fast_rows,
                       unsigned threads, const char *path)
{
    render_xlsx_options opt;
    render_xlsx_options_default(&opt);
    opt.sheet_rows = sheet_rows;
    opt.issues_fast_rows = fast_rows;
    opt.threads = threads;
    hz_error err;
    hz_status s = render_xlsx_write_opt(cons, config, hz_date_from_ymd(2022, 11, 30), &opt, path, &err);
    cr_assert_eq(s, HZ_OK, "render_xlsx_write_opt failed (%d)", (int)s);
}

/* Sheet names in order, with the autofilter and dimension of each. */
static char *sheet_list(const char *xlsx)
{
    hz_run r = hz_test_run("/usr/bin/python3 -c 'import openpyxl,sys\n"
                           "wb = openpyxl.load_workbook(sys.argv[1])\n"
                           "for ws in wb.worksheets:\n"
                           "    print(ws.title, ws.auto_filter.ref, ws.dimensions, ws.freeze_panes,"
                           " ws.print_title_rows)' '%s'",
                           xlsx);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    char *out = r.out;
    r.out = NULL;
    hz_run_free(&r);
    return out;
}

Test(e2e_fastsheet, row_limit_continues_on_more_sheets)
{
    hz_test_require("/usr/bin/python3", "python3-openpyxl");
    hz_consolidation *cons = annual_consolidation();
    cr_assert_eq(cons->case_count, 277, "the sample has 277 cases (golden A1:X278)");
    char path[1024];
    /* 100 rows a sheet: 99 cases each, 277 = 99 + 99 + 79; 校验问题 through
     * the fast writer too (13 issues, one sheet) */
    snprintf(path, sizeof path, "%s/split100.xlsx", tmp);
    write_with(cons, 100, 0, 2, path);
    expect_golden(path, "annual", "");
    char *list = sheet_list(path);
    cr_expect(strstr(list, "案件明细 A1:X100 A1:X100 C2 $1:$1\n"), "%s", list);
    cr_expect(strstr(list, "案件明细(2) A1:X100 A1:X100 C2 $1:$1\n"), "%s", list);
    cr_expect(strstr(list, "案件明细(3) A1:X80 A1:X80 C2 $1:$1\n"), "%s", list);
    cr_expect(!strstr(list, "案件明细(4)"), "%s", list);
    cr_expect(strstr(list, "校验问题 A1:J14 A1:J14 C2 $1:$1\n"), "%s", list);
    /* the overflow sheets sit right after the first, before 典型案例 */
    const char *c3 = strstr(list, "案件明细(3)"), *typ = strstr(list, "典型案例");
    cr_expect(c3 && typ && c3 < typ, "%s", list);
    free(list);

    /* 6 rows a sheet: the issue list continues as well (13 = 5+5+3) */
    snprintf(path, sizeof path, "%s/split6.xlsx", tmp);
    write_with(cons, 6, 1000000, 1, path);
    expect_golden(path, "annual", "");
    list = sheet_list(path);
    cr_expect(strstr(list, "案件明细(56) A1:X3 A1:X3"), "277 = 55 x 5 + 2:\n%s", list);
    cr_expect(strstr(list, "校验问题(3) A1:J4 A1:J4"), "%s", list);
    free(list);
    consolidate_free(cons);
}

Test(e2e_fastsheet, bytes_do_not_depend_on_threads)
{
    hz_consolidation *cons = annual_consolidation();
    char a[1024], b[1024];
    snprintf(a, sizeof a, "%s/t1.xlsx", tmp);
    snprintf(b, sizeof b, "%s/t3.xlsx", tmp);
    write_with(cons, 0, 0, 1, a);
    write_with(cons, 0, 0, 3, b);
    cr_assert(hz_test_files_equal(a, b));
    consolidate_free(cons);
}
