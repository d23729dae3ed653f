/* test_e2e_pdf.c - the sample city report as the province receives it:
 * every headline figure in the PDF equals the XLSX workbook's value, every
 * unit is named, the late and missing units are shown, pages are numbered,
 * fonts are embedded, the draft mark comes and goes with --final. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "hz_amount.h"
#include "hz_test.h"
#include "hz_test_fixture.h"
#include "hz_test_sheet.h"

#define SAMPLES HZ_SOURCE_DIR "/input/xuchang-2022"

HZ_TEST_FIXTURE("e2e-pdf");

TestSuite(e2e_pdf, .init = hz_fixture_setup, .fini = hz_fixture_teardown, .timeout = 300);

/* pdftotext -layout with every blank removed: a sentence wrapped across
 * lines reads as one string again. */
static char *pdf_text_mode(const char *pdf, const char *mode)
{
    hz_run r = hz_test_run("pdftotext %s '%s' - 2>/dev/null", mode, pdf);
    cr_assert_eq(r.exit_code, 0);
    char *out = r.out, *w = out;
    for (const char *p = out; *p; p++)
        if (*p != ' ' && *p != '\n' && *p != '\f' && *p != '\r')
            *w++ = *p;
    *w = '\0';
    r.out = NULL;
    hz_run_free(&r);
    return out;
}

static char *pdf_text(const char *pdf)
{
    return pdf_text_mode(pdf, "-layout");
}

/* Number of pages pdfinfo reports (0 when it cannot tell). */
static int page_count(const char *pdf)
{
    hz_run info = hz_test_run("pdfinfo '%s' | sed -n 's/^Pages: *//p'", pdf);
    int pages = atoi(info.out);
    hz_run_free(&info);
    return pages;
}

static void run_annual(const char *out, const char *extra)
{
    hz_run r = hz_test_run("'" HZ_BIN "' consolidate --lang zh --round annual --as-of 2022-11-30 "
                           "--stage '" SAMPLES "/stage' %s -o '%s' '" SAMPLES "/annual'",
                           extra, out);
    cr_assert_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    hz_run_free(&r);
}

/* The one file of out ending in ext (names come from the config's title). */
static void find_output(const char *out, const char *ext, char *buf, size_t size)
{
    hz_run r = hz_test_run("ls '%s'/*%s", out, ext);
    cr_assert_eq(r.exit_code, 0, "no %s in %s", ext, out);
    r.out[strcspn(r.out, "\n")] = '\0';
    snprintf(buf, size, "%s", r.out);
    hz_run_free(&r);
}

static const char *amount_text(double v, char *buf, size_t size)
{
    hz_amount a;
    cr_assert(hz_amount_from_double(v, &a));
    return hz_amount_format(a, config->report.amount_decimals, false, buf, size);
}

Test(e2e_pdf, headline_figures_equal_the_workbook)
{
    char out[1024], pdf[2048], xlsx[2048];
    snprintf(out, sizeof out, "%s/final", tmp);
    run_annual(out, "--final");
    find_output(out, ".pdf", pdf, sizeof pdf);
    find_output(out, ".xlsx", xlsx, sizeof xlsx);
    char *text = pdf_text(pdf);

    tsheet sum = load_sheet(xlsx, "汇总");
    char want[256], num[64];
    static const struct { const char *row, *sentence; bool amount; } figures[] = {
        {"立案数（件）", "立案查处侵犯知识产权违法案件%s件", false},
        {"结案数（件）", "结案%s件", false},
        {"涉案金额（万元）", "涉案金额%s万元", true},
        {"罚没金额（万元）", "罚没金额%s万元", true},
        {"移送司法机关（件）", "移送司法机关%s件", false},
    };
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        double v = number_at(&sum, row_where(&sum, 0, figures[i].row), 1);
        if (figures[i].amount)
            amount_text(v, num, sizeof num);
        else
            snprintf(num, sizeof num, "%.0f", v);
        snprintf(want, sizeof want, figures[i].sentence, num);
        cr_expect(strstr(text, want) != NULL, "PDF lacks '%s'", want);
    }
    free_sheet(&sum);

    /* every unit by name; the late and the missing unit as such */
    for (size_t u = 0; u < config->unit_count; u++)
        cr_expect(strstr(text, config->units[u].short_name) != NULL, "unit %s not named",
                  config->units[u].short_name);
    tsheet rec = load_sheet(xlsx, "报送情况");
    uint32_t cstatus = col_of(&rec, 0, "报送情况");
    size_t late = 0, missing = 0;
    for (uint32_t r = 1; r <= rec.max_row; r++) {
        const char *status = text_at(&rec, r, cstatus);
        if (strstr(status, "迟报")) {
            cr_expect(strstr(text, status) != NULL, "PDF lacks '%s'", status);
            late++;
        }
        if (strstr(status, "未报"))
            missing++;
    }
    free_sheet(&rec);
    cr_expect_eq(late, 1);
    cr_expect_eq(missing, 1);
    cr_expect(strstr(text, "未报送") != NULL);
    char *raw = pdf_text_mode(pdf, "-raw");
    cr_expect(strstr(raw, "征求意见稿") == NULL, "--final keeps no draft mark");
    free(raw);

    /* — N — on every page */
    int pages = page_count(pdf);
    cr_assert_gt(pages, 3);
    for (int p = 1; p <= pages; p++) {
        snprintf(want, sizeof want, "—%d—", p);
        cr_expect(strstr(text, want) != NULL, "no page number %d", p);
    }
    free(text);

    hz_run fonts = hz_test_run("pdffonts '%s' | tail -n +3 | awk '{print $(NF-4)}' | sort -u",
                               pdf);
    cr_expect_str_eq(fonts.out, "yes\n", "fonts not all embedded");
    hz_run_free(&fonts);
}

Test(e2e_pdf, draft_mark_and_stage_report)
{
    char out[1024], pdf[2048];
    snprintf(out, sizeof out, "%s/stage", tmp);
    hz_run r = hz_test_run("'" HZ_BIN "' consolidate --round stage --as-of 2022-08-31 -o '%s' '"
                           SAMPLES "/stage'", out);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    find_output(out, ".pdf", pdf, sizeof pdf);
    /* the diagonal mark, one glyph after the other, on every page */
    char *raw = pdf_text_mode(pdf, "-raw");
    cr_expect(strstr(raw, "征求意见稿—1—") != NULL, "no draft mark");
    free(raw);
    char *text = pdf_text(pdf);
    cr_expect(strstr(text, "阶段小结") != NULL);
    cr_expect(strstr(text, "一、") && strstr(text, "二、"), "level-1 headings");
    free(text);
    hz_run info = hz_test_run("pdfinfo '%s'", pdf);
    cr_expect(strstr(info.out, "Author:") && strstr(info.out, config->authority),
              "author is the bureau: %s", info.out);
    hz_run_free(&info);
}

/* Page (1-based) whose text contains needle, 0 when none. */
static int page_with(const char *pdf, int pages, const char *needle)
{
    for (int p = 1; p <= pages; p++) {
        hz_run r = hz_test_run("pdftotext -f %d -l %d '%s' - 2>/dev/null", p, p, pdf);
        bool found = strstr(r.out, needle) != NULL;
        hz_run_free(&r);
        if (found)
            return p;
    }
    return 0;
}

Test(e2e_pdf, render_custom_template_from_saved_context)
{
    char out[1024], tpl[1100], pdf[1100], ctx[1100];
    snprintf(out, sizeof out, "%s/annual", tmp);
    run_annual(out, "--xlsx-only");
    snprintf(ctx, sizeof ctx, "%s/context.json", out);
    snprintf(tpl, sizeof tpl, "%s/mine.md", tmp);
    snprintf(pdf, sizeof pdf, "%s/mine.pdf", tmp);
    FILE *f = fopen(tpl, "w");
    cr_assert_not_null(f);
    fputs("# 自拟标题\n\n全市立案{{city.cases_filed}}件。\n\n", f);
    /* a table longer than one page: its header must be repeated */
    for (int i = 0; i < 3; i++)
        fputs("{{table indicators}}\n\n", f);
    fclose(f);
    hz_run r = hz_test_run("'" HZ_BIN "' render --template '%s' --context '%s' -o '%s'", tpl, ctx,
                           pdf);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    char *text = pdf_text(pdf);
    cr_expect(strstr(text, "自拟标题") != NULL);
    cr_expect(strstr(text, "全市立案277件") != NULL, "figure from the saved context");
    free(text);
    int pages = page_count(pdf);
    cr_assert_geq(pages, 2);
    for (int p = 2; p <= pages; p++) {
        hz_run page = hz_test_run("pdftotext -f %d -l %d '%s' - 2>/dev/null", p, p, pdf);
        if (strstr(page.out, "A2"))
            cr_expect(strstr(page.out, "指标代码") != NULL, "page %d lacks the header", p);
        hz_run_free(&page);
    }
    cr_expect_gt(page_with(pdf, pages, "A24"), 1);
}

Test(e2e_pdf, template_error_names_line_and_writes_nothing)
{
    char out[1024], tpl[1100], pdf[1100];
    snprintf(out, sizeof out, "%s/annual", tmp);
    run_annual(out, "--xlsx-only");
    snprintf(tpl, sizeof tpl, "%s/bad.md", tmp);
    snprintf(pdf, sizeof pdf, "%s/bad.pdf", tmp);
    FILE *f = fopen(tpl, "w");
    cr_assert_not_null(f);
    fputs("# 标题\n\n正文\n\n{{city.no_such_figure}}\n", f);
    fclose(f);
    hz_run r = hz_test_run("'" HZ_BIN "' render --lang zh --template '%s' --context '%s/context.json' "
                           "-o '%s'", tpl, out, pdf);
    cr_expect_eq(r.exit_code, 2);
    cr_expect(strstr(r.err, "第 5 行") != NULL, "%s", r.err);
    cr_expect(strstr(r.err, "city.no_such_figure") != NULL, "%s", r.err);
    hz_run_free(&r);
    struct stat st;
    cr_expect_neq(stat(pdf, &st), 0, "a template error wrote a PDF");
    r = hz_test_run("'" HZ_BIN "' render --template '%s' --context /nonexistent/context.json -o '%s'",
                    tpl, pdf);
    cr_expect_eq(r.exit_code, 3);
    hz_run_free(&r);
}

/* The workbook prints: A4, header rows and unit columns repeated, wide
 * sheets landscape at >= 70 % across pages, 序号 and 单位代码 apart, each
 * measure once (tests/e2e/xlsx_print.py reads it back with openpyxl). */
Test(e2e_pdf, workbook_prints_readably)
{
    hz_test_require("/usr/bin/python3", "python3-openpyxl");
    char out[1024], xlsx[2048];
    snprintf(out, sizeof out, "%s/print", tmp);
    run_annual(out, "--xlsx-only");
    find_output(out, ".xlsx", xlsx, sizeof xlsx);
    hz_run r = hz_test_run("/usr/bin/python3 '" HZ_SOURCE_DIR "/tests/e2e/xlsx_print.py' '%s'",
                           xlsx);
    cr_expect_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    cr_expect(strstr(r.out, "分单位: landscape 100 %") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "cols $A:$C") != NULL, "%s", r.out);
    hz_run_free(&r);
}
