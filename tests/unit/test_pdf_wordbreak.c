/* test_pdf_wordbreak.c - titles and cells break only between words. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pdf_wordbreak.h"

/* Every character one em of 10 points; Latin half. */
static double em(void *ctx, uint32_t cp)
{
    (void)ctx;
    return pdf_linebreak_is_wide(cp) ? 10.0 : 5.0;
}

/* The lines joined by '/'. */
static char *lines_of(const char *text, const char *const *words, size_t nwords, bool strict,
                      double max_width)
{
    pdf_words w = {words, nwords, NULL};
    pdf_lines lines = {0};
    hz_error err = {0};
    cr_assert_eq(pdf_wordbreak(text, strlen(text), &w, strict, em, NULL, max_width, &lines, &err),
                 HZ_OK);
    char *out = calloc(1, strlen(text) + lines.count + 1);
    for (size_t i = 0; i < lines.count; i++) {
        if (i)
            strcat(out, "/");
        strncat(out, text + lines.items[i].start, lines.items[i].end - lines.items[i].start);
    }
    pdf_lines_free(&lines);
    return out;
}

static const char *const XUCHANG[] = {"许昌市市场监督管理局", "许昌市打击侵犯知识产权犯罪专项治理",
                                      "许昌市", "打击侵犯知识产权犯罪", "专项治理"};

Test(pdf_wordbreak, final_title_breaks_between_words_in_balanced_lines)
{
    /* 34 characters, 18 to a line (22 pt on the 156 mm block): three lines
     * of 12, 10 and 12 rather than 12, 14 and 7 */
    char *got = lines_of("许昌市市场监督管理局关于打击侵犯知识产权犯罪专项治理工作情况的报告", XUCHANG,
                         5, true, 180);
    cr_expect_str_eq(got, "许昌市市场监督管理局关于/打击侵犯知识产权犯罪/专项治理工作情况的报告");
    free(got);
    got = lines_of("许昌市打击侵犯知识产权犯罪专项治理工作报告", XUCHANG, 5, true, 180);
    cr_expect_str_eq(got, "许昌市打击侵犯知识产权犯罪/专项治理工作报告");
    free(got);
}

Test(pdf_wordbreak, never_between_a_number_and_its_unit)
{
    char *got = lines_of("关于2022年打击侵犯知识产权犯罪专项治理工作情况的报告", XUCHANG, 5, true, 100);
    cr_expect(strstr(got, "2022/") == NULL && strstr(got, "/年") == NULL, "%s", got);
    cr_expect(strstr(got, "许昌/") == NULL && strstr(got, "治/理") == NULL, "%s", got);
    free(got);
}

Test(pdf_wordbreak, another_campaign_with_its_own_names)
{
    static const char *const zz[] = {"郑州市市场监督管理局", "郑州市", "假冒伪劣商品",
                                     "集中整治"};
    char *got = lines_of("郑州市市场监督管理局关于假冒伪劣商品集中整治工作情况的报告", zz, 4,
                         true, 180);
    cr_expect_str_eq(got, "郑州市市场监督管理局关于/假冒伪劣商品集中整治工作情况的报告");
    free(got);
    got = lines_of("郑州市市场监督管理局关于假冒伪劣商品集中整治工作情况的报告", zz, 4, true,
                   100);
    cr_expect(strstr(got, "假冒/") == NULL && strstr(got, "整/治") == NULL &&
                  strstr(got, "郑州/") == NULL, "%s", got);
    free(got);
}

Test(pdf_wordbreak, cells_keep_unknown_words_whole)
{
    /* "申请注册环节" has no listed word: it stays whole even when too wide */
    char *got = lines_of("申请注册环节", NULL, 0, true, 40);
    cr_expect_str_eq(got, "申请注册环节");
    free(got);
    /* a heading breaks before its unit in brackets */
    got = lines_of("涉案金额（万元）", NULL, 0, true, 40);
    cr_expect_str_eq(got, "涉案金额/（万元）");
    free(got);
    got = lines_of("立案数（件）", NULL, 0, true, 40);
    cr_expect_str_eq(got, "立案数（件）");
    free(got);
    double widest = pdf_wordbreak_widest("按时报送、不合格", 24, NULL, true, em, NULL);
    cr_expect_float_eq(widest, 50.0, 1e-9, "%f", widest); /* 按时报送、/不合格 */
    got = lines_of("未报送", NULL, 0, true, 10);
    cr_expect_str_eq(got, "未报送");
    free(got);
    got = lines_of("迟报2天", NULL, 0, true, 10);
    cr_expect_str_eq(got, "迟报2天");
    free(got);
}

Test(pdf_wordbreak, forced_breaks_and_blanks)
{
    char *got = lines_of("第一行\n第二行 second", NULL, 0, false, 1000);
    cr_expect_str_eq(got, "第一行/第二行 second");
    free(got);
    bool breaks[64];
    hz_error err = {0};
    const char *t = "A01 金额";
    cr_assert_eq(pdf_wordbreak_points(t, strlen(t), NULL, true, breaks, &err), HZ_OK);
    cr_expect(!breaks[1] && !breaks[2], "inside A01");
    cr_expect(breaks[3] || breaks[4], "at the blank");
}

/* A listed word wider than the line (a long campaign name in the 22 pt
 * title) cannot stay whole: the text breaks at the words inside it, never
 * inside 行动 as a character breaker would. */
Test(pdf_wordbreak, overlong_listed_word_breaks_at_the_words_inside_it)
{
    static const char *const ALT[] = {"平顶山市市场监督管理局",
                                      "平顶山市2023年知识产权执法“铁拳”行动"};
    /* the name is 19.5 em, the line 18 */
    char *got = lines_of("平顶山市2023年知识产权执法“铁拳”行动工作报告", ALT, 2, true, 180);
    cr_expect_str_eq(got, "平顶山市2023年知识产权/执法“铁拳”行动工作报告");
    free(got);
}
