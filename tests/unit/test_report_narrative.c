/* test_report_narrative.c - drafting 一是…二是… points from county texts and
 * reading the city's narrative file (report_narrative.h). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "hz_text.h"
#include "report_narrative.h"

static const char *const n0[] = {"许昌市魏都区市场监督管理局", "魏都区市场监管局", "魏都区"};
static const char *const n1[] = {"许昌市建安区市场监督管理局", "建安区市场监管局", "建安区"};
static const char *const n2[] = {"鄢陵县市场监督管理局", "鄢陵县市场监管局", "鄢陵县"};
static const char *const n3[] = {"襄城县市场监督管理局", "襄城县市场监管局", "襄城县"};
static const char *const *const names[] = {n0, n1, n2, n3};
static const size_t name_count[] = {3, 3, 3, 3};

static hz_narrative_points draft(const hz_narrative_source *src, size_t n, size_t max)
{
    hz_narrative_points pts = {0};
    hz_error err = {0};
    cr_assert_eq(report_narrative_draft(src, n, names, name_count, max, &pts, &err), HZ_OK);
    return pts;
}

Test(narrative, identical_sentences_merge_and_count_their_units)
{
    hz_narrative_source src[] = {
        {0, "农村市场点多面广，日常监管存在薄弱环节。跨区域协查机制有待健全。"},
        {1, "跨区域协查机制有待健全。"},
        {2, "农村市场点多面广，日常监管存在薄弱环节。基层执法力量不足。"},
        {3, "农村市场点多面广；日常监管存在薄弱环节。"}, /* ； ends a sentence: two others */
    };
    hz_narrative_points p = draft(src, 4, 5);
    cr_assert_geq(p.count, 3);
    cr_expect_str_eq(p.items[0].text, "农村市场点多面广，日常监管存在薄弱环节");
    cr_expect_eq(p.items[0].unit_count, 2);
    cr_expect_eq(p.items[0].units[0], 0);
    cr_expect_eq(p.items[0].units[1], 2);
    cr_expect_str_eq(p.items[1].text, "跨区域协查机制有待健全");
    cr_expect_eq(p.items[1].unit_count, 2);
    report_narrative_points_free(&p);
}

Test(narrative, unit_names_and_punctuation_do_not_keep_points_apart)
{
    hz_narrative_source src[] = {
        {0, "魏都区市场监管局加强网络监测，推动线上线下协同治理。"},
        {1, "建安区加强网络监测、推动线上线下协同治理！"},
        {2, "强化部门协作配合，形成工作合力。"},
    };
    hz_narrative_points p = draft(src, 3, 5);
    cr_assert_eq(p.count, 2, "unit names and punctuation are removed before comparing");
    cr_expect_eq(p.items[0].unit_count, 2);
    /* the printed wording names no unit */
    cr_expect_null(strstr(p.items[0].text, "魏都区"));
    cr_expect_null(strstr(p.items[0].text, "建安区"));
    report_narrative_points_free(&p);
}

Test(narrative, near_identical_sentences_merge)
{
    hz_narrative_source src[] = {
        {0, "网络侵权行为隐蔽性强、取证难，线上线下一体化监管手段还不够完善。"},
        {1, "网络侵权行为隐蔽性强、取证困难，线上线下一体化监管手段还不完善。"},
        {2, "部分经营者法律意识淡薄。"},
    };
    cr_assert_geq(
        report_narrative_similarity("网络侵权行为隐蔽性强取证难线上线下一体化监管手段还不够完善",
                                    "网络侵权行为隐蔽性强取证困难线上线下一体化监管手段还不完善"),
        NARRATIVE_SIMILARITY);
    hz_narrative_points p = draft(src, 3, 5);
    cr_assert_eq(p.count, 2);
    cr_expect_eq(p.items[0].unit_count, 2);
    report_narrative_points_free(&p);
}

Test(narrative, different_sentences_stay_apart)
{
    hz_narrative_source src[] = {{0, "加强食品市场检查。"}, {1, "加强药品市场检查。"}};
    hz_narrative_points p = draft(src, 2, 5);
    cr_expect_eq(p.count, 2, "short sentences one word apart are two points");
    report_narrative_points_free(&p);
    cr_expect_lt(report_narrative_similarity("基层执法力量不足", "部分经营者法律意识淡薄"), 0.3);
    cr_expect_eq(report_narrative_similarity("", ""), 1.0);
}

Test(narrative, sentences_with_figures_are_left_to_the_model)
{
    hz_narrative_source src[] = {
        {0, "共立案查处侵犯知识产权案件53件，罚没款58.386万元。执法能力得到提升。"},
        {1, "共立案查处侵犯知识产权案件50件。执法能力得到提升。"},
    };
    hz_narrative_points p = draft(src, 2, 5);
    cr_assert_eq(p.count, 1);
    cr_expect_str_eq(p.items[0].text, "执法能力得到提升");
    report_narrative_points_free(&p);
}

Test(narrative, ordered_by_units_then_first_appearance_and_capped)
{
    hz_narrative_source src[] = {
        {0, "甲项工作有待加强。乙项工作有待加强。丙项工作有待加强。"},
        {1, "丙项工作有待加强。丁项工作有待改进。戊项工作有待改进。己项工作有待改进。"},
        {2, "丙项工作有待加强。乙项工作有待加强。"},
    };
    hz_narrative_points p = draft(src, 3, 3);
    cr_assert_eq(p.count, 3, "at most max_points");
    cr_expect_str_eq(p.items[0].text, "丙项工作有待加强"); /* 3 units */
    cr_expect_str_eq(p.items[1].text, "乙项工作有待加强"); /* 2 units */
    cr_expect_str_eq(p.items[2].text, "甲项工作有待加强"); /* 1 unit, first seen */
    report_narrative_points_free(&p);
}

Test(narrative, drafting_is_deterministic_and_markers_are_dropped)
{
    hz_narrative_source src[] = {
        {0, "1．加大宣传力度。2．强化部门协作。"},
        {1, "一是加大宣传力度；二是强化部门协作。"},
    };
    hz_narrative_points a = draft(src, 2, 5), b = draft(src, 2, 5);
    cr_assert_eq(a.count, 2);
    cr_assert_eq(a.count, b.count);
    for (size_t i = 0; i < a.count; i++) {
        cr_expect_str_eq(a.items[i].text, b.items[i].text);
        cr_expect_eq(a.items[i].unit_count, 2);
    }
    cr_expect_str_eq(a.items[0].text, "加大宣传力度");
    report_narrative_points_free(&a);
    report_narrative_points_free(&b);
}

Test(narrative, empty_texts_give_no_points)
{
    hz_narrative_source src[] = {{0, ""}, {1, "  "}};
    hz_narrative_points p = draft(src, 2, 5);
    cr_expect_eq(p.count, 0);
    report_narrative_points_free(&p);
}

Test(narrative, ordinals)
{
    cr_expect_str_eq(report_narrative_ordinal(0), "一是");
    cr_expect_str_eq(report_narrative_ordinal(4), "五是");
    cr_expect_str_eq(report_narrative_ordinal(9), "十是");
    cr_expect_str_eq(report_narrative_ordinal(10), "");
}

Test(narrative_city, one_section_per_heading_paragraphs_and_items_are_points)
{
    const char *md = "## 存在问题\n\n一是基层力量不足。\n\n二是线索发现难，\n取证难。\n\n"
                     "## 下一步工作打算\n\n- 加强培训\n- 深化协作；\n";
    hz_narrative_points out[HZ_NARR__COUNT];
    bool found[HZ_NARR__COUNT];
    hz_error err = {0};
    cr_assert_eq(report_narrative_parse_city(md, "narrative.md", out, found, &err), HZ_OK);
    cr_expect_not(found[HZ_NARR_PRACTICES]);
    cr_assert(found[HZ_NARR_PROBLEMS]);
    cr_assert_eq(out[HZ_NARR_PROBLEMS].count, 2);
    cr_expect_str_eq(out[HZ_NARR_PROBLEMS].items[0].text, "基层力量不足");
    cr_expect_str_eq(out[HZ_NARR_PROBLEMS].items[1].text, "线索发现难，取证难");
    cr_expect_eq(out[HZ_NARR_PROBLEMS].items[0].unit_count, 0);
    cr_assert_eq(out[HZ_NARR_NEXT].count, 2);
    cr_expect_str_eq(out[HZ_NARR_NEXT].items[1].text, "深化协作");
    for (int k = 0; k < HZ_NARR__COUNT; k++)
        report_narrative_points_free(&out[k]);
}

Test(narrative_city, unknown_or_repeated_heading_and_stray_text_are_errors)
{
    hz_narrative_points out[HZ_NARR__COUNT];
    bool found[HZ_NARR__COUNT];
    hz_error err = {0};
    cr_expect_eq(report_narrative_parse_city("## 工作亮点\n\n文字\n", "n.md", out, found, &err),
                 HZ_ERR_CONFIG);
    cr_expect_eq(err.msg, HZ_M_NARRATIVE_UNKNOWN_HEADING);
    cr_expect_str_eq(err.args[1], "工作亮点");
    cr_expect_eq(report_narrative_parse_city("## 存在问题\n\na\n\n## 存在问题\n\nb\n", "n.md", out,
                                             found, &err),
                 HZ_ERR_CONFIG);
    cr_expect_eq(err.msg, HZ_M_NARRATIVE_DUPLICATE_HEADING);
    cr_expect_eq(
        report_narrative_parse_city("开头的文字\n\n## 存在问题\n\na\n", "n.md", out, found, &err),
        HZ_ERR_CONFIG);
    cr_expect_eq(err.msg, HZ_M_NARRATIVE_TEXT_OUTSIDE);
}

/* Untrusted county text: thousands of distinct sentences per unit are
 * drafted in bounded time (first NARRATIVE_MAX_SENTENCES of each). */
Test(narrative, huge_county_texts_are_bounded, .timeout = 10)
{
    hz_buf texts[4] = {{0}};
    hz_narrative_source src[4];
    for (int u = 0; u < 4; u++) {
        for (int i = 0; i < 3000; i++) {
            char s[64];
            int o = 0;
            for (int k = 0; k < 12; k++)
                o += hz_utf8_encode(0x4E00 + (u * 3000 + i) * 7 % 20000 + k * 331, s + o);
            s[o] = '\0';
            hz_buf_puts(&texts[u], s);
            hz_buf_puts(&texts[u], "。");
        }
        src[u] = (hz_narrative_source){(size_t)u, texts[u].data};
    }
    hz_narrative_points p = draft(src, 4, 5);
    cr_expect_eq(p.count, 5);
    report_narrative_points_free(&p);
    for (int u = 0; u < 4; u++)
        hz_buf_free(&texts[u]);
}
