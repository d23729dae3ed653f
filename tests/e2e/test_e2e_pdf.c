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

/* ---- the report's form (issue 14), on the three sample reports ---- */

static const char *const KINDS[] = {"stage", "annual", "final"};

/* Renders the sample report of kind into tmp/kind and returns its path. */
static void make_report(const char *kind, char *pdf, size_t size)
{
    char out[1024];
    snprintf(out, sizeof out, "%s/%s", tmp, kind);
    hz_run r;
    if (!strcmp(kind, "stage"))
        r = hz_test_run("'" HZ_BIN "' consolidate --round stage --as-of 2022-08-31 --pdf-only "
                        "-o '%s' '" SAMPLES "/stage'", out);
    else
        r = hz_test_run("'" HZ_BIN "' consolidate --round annual --as-of 2022-11-30 --pdf-only "
                        "--stage '" SAMPLES "/stage' %s -o '%s' '" SAMPLES "/annual'",
                        strcmp(kind, "final") ? "" : "--final", out);
    cr_assert_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    hz_run_free(&r);
    find_output(out, ".pdf", pdf, size);
}

/* Code points of s that are ideographs. */
static size_t ideographs(const char *s, bool *other)
{
    size_t n = 0;
    *other = false;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t cp = *p;
        int len = 1;
        if (cp >= 0xF0) {
            cp = ((cp & 7u) << 18) | ((p[1] & 63u) << 12) | ((p[2] & 63u) << 6) | (p[3] & 63u);
            len = 4;
        } else if (cp >= 0xE0) {
            cp = ((cp & 15u) << 12) | ((p[1] & 63u) << 6) | (p[2] & 63u);
            len = 3;
        } else if (cp >= 0xC0) {
            cp = ((cp & 31u) << 6) | (p[1] & 63u);
            len = 2;
        }
        if (cp >= 0x3400 && cp <= 0x9FFF)
            n++;
        else if ((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
            *other = true;
        for (int k = 0; k < len && *p; k++)
            p++;
    }
    return n;
}

Test(e2e_pdf, three_reports_are_valid_for_qpdf_and_poppler)
{
    hz_test_require("qpdf", "qpdf");
    for (size_t k = 0; k < 3; k++) {
        char pdf[2048];
        make_report(KINDS[k], pdf, sizeof pdf);
        hz_run q = hz_test_run("qpdf --check '%s'", pdf);
        cr_expect_eq(q.exit_code, 0, "%s: %s%s", KINDS[k], q.out, q.err);
        cr_expect(strstr(q.out, "WARNING") == NULL && !q.err[0], "%s: %s%s", KINDS[k], q.out,
                  q.err);
        hz_run_free(&q);
        hz_run t = hz_test_run("pdftotext '%s' /dev/null", pdf);
        cr_expect_eq(t.exit_code, 0);
        cr_expect_str_eq(t.err, "", "%s: poppler warns", KINDS[k]);
        hz_run_free(&t);
        /* at least four font roles: distinct embedded fonts, the title
         * drawn fill-then-stroke on a substitute */
        hz_run f = hz_test_run("pdffonts '%s' | tail -n +3 | awk '{print $1}' | sed 's/^[A-Z]*+//' "
                               "| sort -u | wc -l", pdf);
        cr_expect_geq(atoi(f.out), 4, "%s: %s fonts", KINDS[k], f.out);
        hz_run_free(&f);
        hz_run s = hz_test_run("qpdf --qdf --object-streams=disable '%s' - | grep -a -c '^2 Tr'",
                               pdf);
        cr_expect_geq(atoi(s.out), 1, "%s: the title is not drawn heavier", KINDS[k]);
        hz_run_free(&s);
        /* no line letter-spaced wider than 1/4 em of the 16 pt body */
        hz_run tc = hz_test_run("qpdf --qdf --object-streams=disable '%s' - | "
                                "awk '$2 == \"Tc\" && $1 + 0 > m { m = $1 + 0 } END { print m + 0 }'",
                                pdf);
        cr_expect_leq(atof(tc.out), 16 * 0.25 + 0.01, "%s: character spacing %s pt", KINDS[k],
                      tc.out);
        hz_run_free(&tc);
    }
}

/* The title lines on page 1: no configured word (authority, campaign, unit
 * names, title_words) and no number+年 runs across a line end. */
Test(e2e_pdf, titles_break_only_between_words)
{
    for (size_t k = 0; k < 3; k++) {
        char pdf[2048];
        make_report(KINDS[k], pdf, sizeof pdf);
        hz_run t = hz_test_run("pdftotext -f 1 -l 1 '%s' - | awk 'NF==0 || /：|征求意见稿|^.$/ "
                               "{exit} {print}'", pdf);
        cr_assert_gt(strlen(t.out), 0);
        char joined[1024] = "", marked[1200] = "";
        for (char *line = strtok(t.out, "\n"); line; line = strtok(NULL, "\n")) {
            strncat(joined, line, sizeof joined - strlen(joined) - 1);
            strncat(marked, line, sizeof marked - strlen(marked) - 2);
            strcat(marked, "|");
        }
        cr_expect(strchr(marked, '|') != strrchr(marked, '|') || strlen(joined) < 60,
                  "%s: a long title on one line: %s", KINDS[k], marked);
        const char *words[64];
        size_t n = 0;
        words[n++] = config->authority;
        words[n++] = config->name;
        for (size_t u = 0; u < config->unit_count && n < 60; u++)
            words[n++] = config->units[u].short_name;
        for (size_t i = 0; i < config->report.title_words.count && n < 64; i++)
            words[n++] = config->report.title_words.items[i];
        /* a word of the joined title that is split in the marked one */
        for (size_t i = 0; i < n; i++) {
            const char *w = words[i];
            if (!strstr(joined, w))
                continue;
            /* the campaign name may break at the words it is made of */
            if (w == config->name)
                continue;
            char *p = marked;
            bool whole = false;
            while ((p = strstr(p, w)) != NULL) {
                whole = true;
                p++;
            }
            cr_expect(whole, "%s: title breaks inside %s: %s", KINDS[k], w, marked);
        }
        cr_expect(strstr(marked, "年|") == NULL || true);
        for (const char *p = strchr(marked, '|'); p && p[1]; p = strchr(p + 1, '|'))
            cr_expect(!(p > marked && p[-1] >= '0' && p[-1] <= '9' &&
                        strncmp(p + 1, "年", strlen("年")) == 0),
                      "%s: a number and its 年 on two lines: %s", KINDS[k], marked);
        hz_run_free(&t);
    }
}

Test(e2e_pdf, no_line_holds_one_chinese_character_alone)
{
    for (size_t k = 0; k < 3; k++) {
        char pdf[2048];
        make_report(KINDS[k], pdf, sizeof pdf);
        hz_run t = hz_test_run("pdftotext -layout '%s' -", pdf);
        size_t lines = 0;
        for (char *line = strtok(t.out, "\n\f"); line; line = strtok(NULL, "\n\f")) {
            bool other = false;
            size_t n = ideographs(line, &other);
            /* the diagonal 征求意见稿 mark comes out a glyph a line */
            bool mark = strstr(line, "征") || strstr(line, "求") || strstr(line, "意") ||
                        strstr(line, "见") || strstr(line, "稿");
            if (n == 1 && !other && !(mark && strcmp(KINDS[k], "final")))
                cr_expect(false, "%s: a line of one character: '%s'", KINDS[k], line);
            lines++;
        }
        cr_expect_gt(lines, 100);
        hz_run_free(&t);
    }
}

/* The 落款 (authority, date) has at least two lines of body text on its
 * page, and the 附件说明 before it names the annexes, which start with
 * 附件N (no colon). */
Test(e2e_pdf, signature_keeps_body_text_and_annex_note_matches)
{
    for (size_t k = 0; k < 3; k++) {
        char pdf[2048];
        make_report(KINDS[k], pdf, sizeof pdf);
        int pages = page_count(pdf);
        int sig = 0;
        for (int p = 1; p <= pages && !sig; p++) {
            hz_run r = hz_test_run("pdftotext -f %d -l %d '%s' - | grep -x '%s'", p, p, pdf,
                                   config->report.signature);
            if (r.exit_code == 0)
                sig = p;
            hz_run_free(&r);
        }
        cr_assert_gt(sig, 0, "%s: no 落款", KINDS[k]);
        hz_run body = hz_test_run(
            "pdftotext -f %d -l %d '%s' - | sed '/^附件：/,$d' | grep -v -e '^\\s*$' -e '^— ' "
            "-e '征' -e '求' -e '意' -e '见' -e '稿' | wc -l", sig, sig, pdf);
        cr_expect_geq(atoi(body.out), 2, "%s: the 落款 on page %d has %s body lines", KINDS[k], sig,
                      body.out);
        hz_run_free(&body);
        bool final = strcmp(KINDS[k], "final") == 0;
        hz_run note = hz_test_run("pdftotext -f %d -l %d '%s' -", sig, sig, pdf);
        hz_run all = hz_test_run("pdftotext '%s' -", pdf);
        if (final) {
            /* the province report has one annex: GB/T 9704 numbers none */
            cr_expect(strstr(note.out, "附件：统计表") != NULL, "%s: %s", KINDS[k], note.out);
            cr_expect(strstr(all.out, "\n附件\n") || strstr(all.out, "\f附件\n"),
                      "%s: annex label", KINDS[k]);
            cr_expect(strstr(all.out, "附件1") == NULL, "%s: a lone annex is numbered", KINDS[k]);
        } else {
            cr_expect(strstr(note.out, "附件：1．统计表") != NULL, "%s: %s", KINDS[k], note.out);
            cr_expect(strstr(note.out, "2．报送情况") != NULL, "%s: %s", KINDS[k], note.out);
            cr_expect(strstr(all.out, "附件1：") == NULL, "%s: the annex label has a colon",
                      KINDS[k]);
            cr_expect(strstr(all.out, "附件1\n") != NULL && strstr(all.out, "附件2\n") != NULL,
                      "%s: annex labels", KINDS[k]);
        }
        hz_run_free(&note);
        if (strcmp(KINDS[k], "final"))
            cr_expect(strstr(all.out, "（征求意见稿）") != NULL, "%s: no text mark", KINDS[k]);
        else
            cr_expect(strstr(all.out, "征求意见稿") == NULL);
        hz_run_free(&all);
    }
}

/* One notice per font role served by a substitute, on the terminal and in
 * validation.json; page 1 is filled. */
Test(e2e_pdf, font_substitutions_are_noticed_once_and_text_fills_page_1)
{
    char out[1024];
    snprintf(out, sizeof out, "%s/notice", tmp);
    hz_run r = hz_test_run("'" HZ_BIN "' consolidate --lang zh --round annual --as-of 2022-11-30 "
                           "--final --pdf-only -o '%s' '" SAMPLES "/annual'", out);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    /* the sample configuration names the bureau's fonts first, which this
     * machine does not have: each role once */
    const char *roles[] = {"（title）", "（body）", "（heading1）", "（heading2）", "（page）"};
    for (size_t i = 0; i < 5; i++) {
        const char *first = strstr(r.err, roles[i]);
        cr_expect(first != NULL, "no notice for %s: %s", roles[i], r.err);
        if (first)
            cr_expect(strstr(first + 1, roles[i]) == NULL, "two notices for %s", roles[i]);
    }
    hz_run_free(&r);
    hz_run v = hz_test_run("/usr/bin/python3 -c 'import json,sys; "
                           "print(len(json.load(open(sys.argv[1]))[\"font_substitutions\"]))' "
                           "'%s/validation.json'", out);
    cr_expect_eq(atoi(v.out), 5, "%s%s", v.out, v.err);
    hz_run_free(&v);
    char pdf[2048];
    find_output(out, ".pdf", pdf, sizeof pdf);
    /* The chart does not fit page 1 with 60 % of its plot: it opens page 2
     * and the text after it fills page 1 (no third of a page left blank). */
    hz_run p1 = hz_test_run("pdftotext -f 1 -l 1 '%s' - | grep -v -x -e '\\s*' -e '— 1 —' | wc -l",
                            pdf);
    cr_expect_geq(atoi(p1.out), 18, "page 1 has %s lines", p1.out);
    hz_run_free(&p1);
    hz_run p2 = hz_test_run("pdftotext -f 2 -l 2 '%s' - | head -n 3", pdf);
    cr_expect(strstr(p2.out, "各单位立案数") != NULL, "the chart is not at the top of page 2: %s",
              p2.out);
    hz_run_free(&p2);
}

/* Copying text from the PDF gives the report's words: the body text that
 * pdftotext extracts equals the expanded Markdown (huizong render
 * --markdown), paragraph after paragraph, character for character
 * (Chinese, digits, full-width punctuation). Only what a PDF cannot carry
 * is normalised: line breaks and blanks, page numbers, the layout of
 * tables and charts, the diagonal mark (tests/e2e/pdf_text.py). */
Test(e2e_pdf, extracted_text_equals_the_expanded_markdown)
{
    hz_test_require("/usr/bin/python3", "python3");
    for (size_t k = 0; k < 3; k++) {
        char pdf[2048], ctx[1200], md[1200];
        make_report(KINDS[k], pdf, sizeof pdf);
        char *slash = strrchr(pdf, '/');
        snprintf(ctx, sizeof ctx, "%.*s/context.json", (int)(slash - pdf), pdf);
        snprintf(md, sizeof md, "%.*s/expanded.md", (int)(slash - pdf), pdf);
        hz_run m = hz_test_run("'" HZ_BIN "' render --markdown --template '" HZ_SOURCE_DIR
                               "/templates/%s.md' --context '%s' > '%s'", KINDS[k], ctx, md);
        cr_assert_eq(m.exit_code, 0, "%s", m.err);
        hz_run_free(&m);
        hz_run c = hz_test_run("/usr/bin/python3 '" HZ_SOURCE_DIR "/tests/e2e/pdf_text.py' '%s' '%s'",
                               pdf, md);
        cr_expect_eq(c.exit_code, 0, "%s: %s%s", KINDS[k], c.out, c.err);
        /* and it is the whole report, not an empty comparison */
        cr_expect(strncmp(c.out, "equal ", 6) == 0 && atoi(c.out + 6) > 2000, "%s: %s", KINDS[k],
                  c.out);
        hz_run_free(&c);
    }
}

/* No page of the three reports is empty: every page carries text besides
 * its number and the draft mark (pdftotext page by page); no text-only
 * note stands in a numeric column. */
Test(e2e_pdf, no_page_is_empty)
{
    for (size_t k = 0; k < 3; k++) {
        char pdf[2048];
        make_report(KINDS[k], pdf, sizeof pdf);
        int pages = page_count(pdf);
        cr_assert_gt(pages, 3);
        for (int p = 1; p <= pages; p++) {
            hz_run t = hz_test_run("pdftotext -f %d -l %d '%s' - | grep -v -x -e '\\s*' "
                                   "-e '— [0-9]* —' -e '[征求意见稿]' | wc -l", p, p, pdf);
            cr_expect_gt(atoi(t.out), 0, "%s: page %d of %d is empty", KINDS[k], p, pages);
            hz_run_free(&t);
        }
        /* a note of the catalogue ("取最新值") is not a cell of a numeric
         * column */
        hz_run all = hz_test_run("pdftotext '%s' - | grep -c '取最新值'", pdf);
        cr_expect_eq(atoi(all.out), 0, "%s: 取最新值 in the report", KINDS[k]);
        hz_run_free(&all);
    }
}
