/* test_pdf_linebreak.c - Chinese/Latin line breaking with a fixed-width font. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "pdf_linebreak.h"

/* Wide characters are 10 pt, everything else 5 pt. */
static double fixed_width(void *ctx, uint32_t cp)
{
    (void)ctx;
    return pdf_linebreak_is_wide(cp) ? 10.0 : 5.0;
}

static pdf_lines run(const char *text, double max_width, double indent)
{
    pdf_lines lines = {0};
    hz_error err = {0};
    hz_status st = pdf_linebreak(text, text ? strlen(text) : 0, fixed_width, NULL, max_width,
                                 indent, &lines, &err);
    cr_assert_eq(st, HZ_OK);
    return lines;
}

/* Line i as a NUL-terminated copy (static buffer). */
static const char *line_text(const char *text, const pdf_lines *lines, size_t i)
{
    static char buf[256];
    size_t n = lines->items[i].end - lines->items[i].start;
    cr_assert_lt(n, sizeof buf);
    memcpy(buf, text + lines->items[i].start, n);
    buf[n] = '\0';
    return buf;
}

Test(pdf_linebreak, cjk_breaks_anywhere_with_exact_widths)
{
    const char *t = "一二三四五六七八九十";
    pdf_lines l = run(t, 40, 0);
    cr_assert_eq(l.count, 3);
    cr_assert_eq(l.items[0].start, 0);
    cr_assert_eq(l.items[0].end, 12);
    cr_assert_eq(l.items[1].start, 12);
    cr_assert_eq(l.items[1].end, 24);
    cr_assert_eq(l.items[2].end, 30);
    cr_assert_float_eq(l.items[0].width, 40.0, 1e-9);
    cr_assert_float_eq(l.items[2].width, 20.0, 1e-9);
    cr_assert_eq(l.items[0].chars, 4);
    cr_assert(!l.items[0].hard);
    cr_assert(!l.items[1].hard);
    cr_assert(l.items[2].hard);
    pdf_lines_free(&l);
}

Test(pdf_linebreak, closing_punctuation_never_starts_a_line)
{
    const char *t = "一二三，四五";
    pdf_lines l = run(t, 30, 0);
    cr_assert_eq(l.count, 3);
    cr_assert_str_eq(line_text(t, &l, 0), "一二");
    cr_assert_str_eq(line_text(t, &l, 1), "三，四");
    cr_assert_str_eq(line_text(t, &l, 2), "五");

    const char *u = "甲乙丙」。丁";
    pdf_lines m = run(u, 30, 0);
    cr_assert_str_eq(line_text(u, &m, 0), "甲乙");
    cr_assert_str_eq(line_text(u, &m, 1), "丙」。");
    pdf_lines_free(&l);
    pdf_lines_free(&m);
}

Test(pdf_linebreak, half_width_closing_punctuation_stays)
{
    const char *t = "一二三)四";
    pdf_lines l = run(t, 30, 0);
    cr_assert_str_eq(line_text(t, &l, 0), "一二");
    cr_assert_str_eq(line_text(t, &l, 1), "三)四");
    pdf_lines_free(&l);
}

Test(pdf_linebreak, opening_punctuation_never_ends_a_line)
{
    const char *t = "一二（三四";
    pdf_lines l = run(t, 30, 0);
    cr_assert_eq(l.count, 2);
    cr_assert_str_eq(line_text(t, &l, 0), "一二");
    cr_assert_str_eq(line_text(t, &l, 1), "（三四");
    const char *u = "一二《三》";
    pdf_lines m = run(u, 30, 0);
    cr_assert_str_eq(line_text(u, &m, 0), "一二");
    cr_assert_str_eq(line_text(u, &m, 1), "《三》");
    pdf_lines_free(&l);
    pdf_lines_free(&m);
}

Test(pdf_linebreak, latin_word_is_not_split)
{
    const char *t = "数据hello世界";
    pdf_lines l = run(t, 40, 0);
    cr_assert_eq(l.count, 3);
    cr_assert_str_eq(line_text(t, &l, 0), "数据");
    cr_assert_str_eq(line_text(t, &l, 1), "hello世");
    cr_assert_float_eq(l.items[1].width, 35.0, 1e-9);
    cr_assert_str_eq(line_text(t, &l, 2), "界");
    pdf_lines_free(&l);
}

Test(pdf_linebreak, numbers_with_separators_and_percent_are_not_split)
{
    const char *t = "共计1,234.56万元";
    pdf_lines l = run(t, 50, 0);
    cr_assert_eq(l.count, 3);
    cr_assert_str_eq(line_text(t, &l, 0), "共计");
    cr_assert_str_eq(line_text(t, &l, 1), "1,234.56万");
    cr_assert_str_eq(line_text(t, &l, 2), "元");

    const char *u = "增长12.5%。";
    pdf_lines m = run(u, 40, 0);
    cr_assert_eq(m.count, 2);
    cr_assert_str_eq(line_text(u, &m, 0), "增长");
    cr_assert_str_eq(line_text(u, &m, 1), "12.5%。");
    pdf_lines_free(&l);
    pdf_lines_free(&m);
}

Test(pdf_linebreak, overlong_word_is_split_by_characters)
{
    const char *t = "abcdefghij";
    pdf_lines l = run(t, 20, 0);
    cr_assert_eq(l.count, 3);
    cr_assert_str_eq(line_text(t, &l, 0), "abcd");
    cr_assert_str_eq(line_text(t, &l, 1), "efgh");
    cr_assert_str_eq(line_text(t, &l, 2), "ij");
    pdf_lines_free(&l);
}

Test(pdf_linebreak, spaces_break_and_are_trimmed)
{
    const char *t = "hello world foo";
    pdf_lines l = run(t, 60, 0);
    cr_assert_eq(l.count, 2);
    cr_assert_str_eq(line_text(t, &l, 0), "hello world");
    cr_assert_float_eq(l.items[0].width, 55.0, 1e-9);
    cr_assert_str_eq(line_text(t, &l, 1), "foo");
    pdf_lines_free(&l);
}

Test(pdf_linebreak, first_line_indent)
{
    const char *t = "一二三四五六";
    pdf_lines l = run(t, 40, 20);
    cr_assert_eq(l.count, 2);
    cr_assert_str_eq(line_text(t, &l, 0), "一二");
    cr_assert_str_eq(line_text(t, &l, 1), "三四五六");
    pdf_lines_free(&l);
}

Test(pdf_linebreak, newline_forces_a_hard_break)
{
    const char *t = "一二\n三";
    pdf_lines l = run(t, 100, 0);
    cr_assert_eq(l.count, 2);
    cr_assert_str_eq(line_text(t, &l, 0), "一二");
    cr_assert(l.items[0].hard);
    cr_assert_str_eq(line_text(t, &l, 1), "三");
    pdf_lines_free(&l);
}

Test(pdf_linebreak, dashes_and_ellipses_stay_together)
{
    const char *t = "一二——三";
    pdf_lines l = run(t, 30, 0);
    cr_assert_str_eq(line_text(t, &l, 0), "一二");
    cr_assert_str_eq(line_text(t, &l, 1), "——三");
    pdf_lines_free(&l);
}

Test(pdf_linebreak, empty_text_gives_no_lines)
{
    pdf_lines l = run("", 30, 0);
    cr_assert_eq(l.count, 0);
    pdf_lines m = run(NULL, 30, 0);
    cr_assert_eq(m.count, 0);
    pdf_lines k = run("   ", 30, 0);
    cr_assert_eq(k.count, 0);
    pdf_lines_free(&l);
    pdf_lines_free(&m);
    pdf_lines_free(&k);
}

Test(pdf_linebreak, never_cuts_a_utf8_character)
{
    const char *t = "2022年全市共立案123件，其中商标侵权假冒案件45件（占36.6%），"
                    "涉案金额1,234.56万元。Trademark cases: 45; “双打”工作……完成。";
    for (double w = 7; w < 200; w += 3.5) {
        pdf_lines l = run(t, w, 0);
        cr_assert_gt(l.count, 0);
        for (size_t i = 0; i < l.count; i++) {
            unsigned char s = (unsigned char)t[l.items[i].start];
            cr_assert_neq(s & 0xC0, 0x80, "line %zu starts inside a character", i);
            if (l.items[i].end < strlen(t)) {
                unsigned char e = (unsigned char)t[l.items[i].end];
                cr_assert_neq(e & 0xC0, 0x80, "line %zu ends inside a character", i);
            }
            cr_assert_leq(l.items[i].start, l.items[i].end);
        }
        pdf_lines_free(&l);
    }
    /* Invalid bytes count as one replacement character each. */
    const char bad[] = "\xff\xfe\xe4\xb8";
    pdf_lines b = run(bad, 100, 0);
    cr_assert_eq(b.count, 1);
    cr_assert_eq(b.items[0].chars, 4);
    cr_assert_eq(b.items[0].end, 4);
    pdf_lines_free(&b);
}

Test(pdf_linebreak, punctuation_classes)
{
    cr_assert(pdf_linebreak_no_start(0xFF0C)); /* ， */
    cr_assert(pdf_linebreak_no_start(0x3002)); /* 。 */
    cr_assert(pdf_linebreak_no_start(0x201D)); /* ” */
    cr_assert(pdf_linebreak_no_start('%'));
    cr_assert(!pdf_linebreak_no_start(0x4E00));
    cr_assert(pdf_linebreak_no_end(0x300A));   /* 《 */
    cr_assert(pdf_linebreak_no_end(0x201C));   /* “ */
    cr_assert(!pdf_linebreak_no_end(0x3002));
}
