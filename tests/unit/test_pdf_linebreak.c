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

/* Expected lines, in order. */
#define LINES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* text broken at max_width (indent on the first line) must give exactly the
 * lines want (NULL-terminated); the lines are returned for further checks. */
static pdf_lines expect_lines(const char *text, double max_width, double indent,
                              const char *const *want)
{
    pdf_lines l = run(text, max_width, indent);
    size_t n = 0;
    while (want[n])
        n++;
    cr_assert_eq(l.count, n, "%s: %zu lines, want %zu", text, l.count, n);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(line_text(text, &l, i), want[i], "%s: line %zu", text, i);
    return l;
}

static void free_lines(pdf_lines l)
{
    pdf_lines_free(&l);
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
    free_lines(expect_lines("一二三，四五", 30, 0, LINES("一二", "三，四", "五")));
    free_lines(expect_lines("甲乙丙」。丁", 30, 0, LINES("甲乙", "丙」。", "丁")));
}

Test(pdf_linebreak, half_width_closing_punctuation_stays)
{
    free_lines(expect_lines("一二三)四", 30, 0, LINES("一二", "三)四")));
}

Test(pdf_linebreak, opening_punctuation_never_ends_a_line)
{
    free_lines(expect_lines("一二（三四", 30, 0, LINES("一二", "（三四")));
    free_lines(expect_lines("一二《三》", 30, 0, LINES("一二", "《三》")));
}

Test(pdf_linebreak, latin_word_is_not_split)
{
    pdf_lines l = expect_lines("数据hello世界", 40, 0, LINES("数据", "hello世", "界"));
    cr_assert_float_eq(l.items[1].width, 35.0, 1e-9);
    free_lines(l);
}

Test(pdf_linebreak, numbers_with_separators_and_percent_are_not_split)
{
    free_lines(expect_lines("共计1,234.56万元", 70, 0, LINES("共计", "1,234.56万元")));
    free_lines(expect_lines("增长12.5%。", 40, 0, LINES("增长", "12.5%。")));
}

Test(pdf_linebreak, overlong_word_is_split_by_characters)
{
    free_lines(expect_lines("abcdefghij", 20, 0, LINES("abcd", "efgh", "ij")));
}

Test(pdf_linebreak, spaces_break_and_are_trimmed)
{
    pdf_lines l = expect_lines("hello world foo", 60, 0, LINES("hello world", "foo"));
    cr_assert_float_eq(l.items[0].width, 55.0, 1e-9);
    free_lines(l);
}

Test(pdf_linebreak, first_line_indent)
{
    free_lines(expect_lines("一二三四五六", 40, 20, LINES("一二", "三四五六")));
}

Test(pdf_linebreak, newline_forces_a_hard_break)
{
    pdf_lines l = expect_lines("一二\n三", 100, 0, LINES("一二", "三"));
    cr_assert(l.items[0].hard);
    free_lines(l);
}

Test(pdf_linebreak, dashes_and_ellipses_stay_together)
{
    free_lines(expect_lines("一二——三", 30, 0, LINES("一二", "——三")));
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

/* A number and its measure never part: "78/件", "2022/年", "3.5万/元". */
Test(pdf_linebreak, number_and_measure_stay_together)
{
    /* 一二三78件 is 30 + 10 + 10 = 50 wide: at 45 the break would fall
     * between 78 and 件 */
    free_lines(expect_lines("一二三78件四", 45, 0, LINES("一二三", "78件四")));
    free_lines(expect_lines("截至2022年底", 45, 0, LINES("截至", "2022年底")));
    free_lines(expect_lines("罚没3.5万元整", 50, 0, LINES("罚没", "3.5万元整")));
    free_lines(expect_lines("共20余件案", 35, 0, LINES("共", "20余件", "案")));
    /* after the measure a line may break as anywhere */
    free_lines(expect_lines("共12人参加", 35, 0, LINES("共12人", "参加")));
    /* a measure word that is not after a number breaks freely */
    free_lines(expect_lines("万元一二三", 20, 0, LINES("万元", "一二", "三")));
}

/* The ¼ em rule: a justified line may not be letter-spaced beyond max_gap;
 * a long code that would leave such a gap is split between its digits,
 * a short number is moved down whole. */
Test(pdf_linebreak, long_code_split_only_when_the_line_cannot_be_justified)
{
    const char *t = "代码一二三四五六七八九十12345678901234567890号";
    hz_error err = {0};
    pdf_lines l = {0};
    /* 100 pt lines: 九十 alone would need 80 pt between two characters */
    cr_assert_eq(pdf_linebreak_justified(t, strlen(t), fixed_width, NULL, 100, 0, 2.5, &l,
                                         &err), HZ_OK);
    cr_assert_str_eq(line_text(t, &l, 0), "代码一二三四五六七八");
    cr_assert_str_eq(line_text(t, &l, 1), "九十1234567890123456");
    cr_assert_str_eq(line_text(t, &l, 2), "7890号");
    /* without the rule the code moves down whole */
    cr_assert_eq(pdf_linebreak(t, strlen(t), fixed_width, NULL, 100, 0, &l, &err), HZ_OK);
    cr_assert_str_eq(line_text(t, &l, 1), "九十");
    pdf_lines_free(&l);
    /* a short number: the gap it leaves is justifiable, it is not split */
    const char *u = "一二三四五六七八1234";
    cr_assert_eq(pdf_linebreak_justified(u, strlen(u), fixed_width, NULL, 95, 0, 2.5, &l, &err),
                 HZ_OK);
    cr_assert_eq(l.count, 2);
    cr_assert_str_eq(line_text(u, &l, 1), "1234");
    /* nor is a short number whose measure and punctuation make the piece
     * long: the line stays short */
    const char *v = "一二三四五六七八九十一二三四五六99.04万元）。";
    cr_assert_eq(pdf_linebreak_justified(v, strlen(v), fixed_width, NULL, 200, 0, 2.5, &l, &err),
                 HZ_OK);
    cr_assert_eq(l.count, 2);
    cr_assert_str_eq(line_text(v, &l, 1), "99.04万元）。");
    pdf_lines_free(&l);
}

/* A case code ("411082-2022-0063") that would leave between half and all
 * of max_gap per gap is split after a hyphen; a code without one, or a
 * line that is justifiable within half max_gap, keeps it whole. */
Test(pdf_linebreak, case_code_split_at_its_hyphen_from_half_the_gap)
{
    hz_error err = {0};
    pdf_lines l = {0};
    /* 21 wide characters (210 pt) in 250 pt: moving the code down leaves
     * 40 pt over 20 gaps, 2 pt each: within max_gap 2.5, over half of it */
    const char *t = "一二三四五六七八九十一二三四五六七八（甲，411082-2022-0063）";
    cr_assert_eq(pdf_linebreak_justified(t, strlen(t), fixed_width, NULL, 250, 0, 2.5, &l,
                                         &err), HZ_OK);
    cr_assert_eq(l.count, 2);
    cr_assert_str_eq(line_text(t, &l, 0), "一二三四五六七八九十一二三四五六七八（甲，411082-");
    cr_assert_str_eq(line_text(t, &l, 1), "2022-0063）");
    /* the last hyphen that fits: with room for "411082-2022-" it ends there */
    cr_assert_eq(pdf_linebreak_justified(t, strlen(t), fixed_width, NULL, 275, 0, 2.5, &l,
                                         &err), HZ_OK);
    cr_assert_str_eq(line_text(t, &l, 1), "0063）");
    /* the same digits without a hyphen: the gap is justifiable, no split */
    const char *u = "一二三四五六七八九十一二三四五六七八（甲，4110822022006300）";
    cr_assert_eq(pdf_linebreak_justified(u, strlen(u), fixed_width, NULL, 250, 0, 2.5, &l,
                                         &err), HZ_OK);
    cr_assert_str_eq(line_text(u, &l, 1), "4110822022006300）");
    /* 30 pt spare over 20 gaps is within half max_gap: the code moves down */
    cr_assert_eq(pdf_linebreak_justified(t, strlen(t), fixed_width, NULL, 240, 0, 3.5, &l,
                                         &err), HZ_OK);
    cr_assert_str_eq(line_text(t, &l, 1), "411082-2022-0063）");
    /* unjustified text never splits it */
    cr_assert_eq(pdf_linebreak(t, strlen(t), fixed_width, NULL, 250, 0, &l, &err), HZ_OK);
    cr_assert_str_eq(line_text(t, &l, 1), "411082-2022-0063）");
    pdf_lines_free(&l);
}

/* "每项得 10 ÷ 4 分": no line starts or ends with the operator. */
Test(pdf_linebreak, operator_stays_with_its_operands)
{
    /* 一二三四 10 = 40 + 5 + 10 = 55; the blanks before and after ÷ are
     * no break: the break falls before 10 */
    free_lines(expect_lines("一二三四 10 \xc3\xb7 4 分", 60, 0, LINES("一二三四", "10 \xc3\xb7 4 分")));
}
