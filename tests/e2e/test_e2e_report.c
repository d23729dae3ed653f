/* test_e2e_report.c - the province report (--final) read as a section chief
 * would (issue 13), on the shipped samples and on a second campaign
 * (tests/fixtures/config-alt: 4 units, another catalogue with part_of)
 * rendered with the shipped templates: every sentence comes from the
 * content model, generalisations hold, 未报 is not 0, nothing about nothing,
 * no internal material, the city's voice. From pdftotext and from the
 * expanded Markdown (huizong render --markdown). */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "hz_test.h"
#include "hz_test_fixture.h"
#include "hz_test_sheet.h"
#include "report_content.h"

#define SAMPLES HZ_SOURCE_DIR "/input/xuchang-2022"
#define ALT_CONFIG HZ_SOURCE_DIR "/tests/fixtures/config-alt"
#define TEMPLATES HZ_SOURCE_DIR "/templates"

HZ_TEST_FIXTURE("e2e-report");

TestSuite(e2e_report, .init = hz_fixture_setup, .fini = hz_fixture_teardown, .timeout = 300);

typedef struct report {
    char pdf[2048], xlsx[2048], out[1024];
    char *text;          /* pdftotext -layout, blanks removed */
    char *md;            /* expanded final.md */
    char *body;          /* md up to the annex, a copy */
    json_object *ctx;    /* context.json */
    hz_config *cfg;
} report;

static char *squeeze(char *s)
{
    char *w = s;
    for (const char *p = s; *p; p++)
        if (*p != ' ' && *p != '\n' && *p != '\f' && *p != '\r')
            *w++ = *p;
    *w = '\0';
    return s;
}

static void find_output(const char *out, const char *ext, char *buf, size_t size)
{
    hz_run r = hz_test_run("ls '%s'/*%s", out, ext);
    cr_assert_eq(r.exit_code, 0, "no %s in %s", ext, out);
    r.out[strcspn(r.out, "\n")] = '\0';
    snprintf(buf, size, "%s", r.out);
    hz_run_free(&r);
}

static void make_report(report *rp, const char *config_dir, const char *stage, const char *annual,
                        const char *as_of, const char *extra, const char *tag)
{
    memset(rp, 0, sizeof *rp);
    hz_test_require("pdftotext", "poppler-utils");
    snprintf(rp->out, sizeof rp->out, "%s/%s", tmp, tag);
    hz_run r = hz_test_run("'" HZ_BIN "' consolidate --lang zh --config '%s' --round annual "
                           "--as-of %s --stage '%s' %s -o '%s' '%s'",
                           config_dir, as_of, stage, extra, rp->out, annual);
    cr_assert_eq(r.exit_code, 0, "%s%s", r.out, r.err);
    hz_run_free(&r);
    find_output(rp->out, ".pdf", rp->pdf, sizeof rp->pdf);
    find_output(rp->out, ".xlsx", rp->xlsx, sizeof rp->xlsx);
    /* -raw keeps a draft's diagonal 征求意见稿 mark out of the lines */
    r = hz_test_run("pdftotext %s '%s' - 2>/dev/null", strstr(extra, "--final") ? "-layout" : "-raw",
                    rp->pdf);
    cr_assert_eq(r.exit_code, 0);
    rp->text = squeeze(r.out);
    r.out = NULL;
    hz_run_free(&r);
    char ctx[1200];
    snprintf(ctx, sizeof ctx, "%s/context.json", rp->out);
    r = hz_test_run("'" HZ_BIN "' render --config '%s' --template '" TEMPLATES "/%s' "
                    "--context '%s' --markdown",
                    config_dir, strstr(extra, "--final") ? "final.md" : "annual.md", ctx);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    rp->md = r.out;
    r.out = NULL;
    hz_run_free(&r);
    rp->body = strdup(rp->md);
    char *annex = strstr(rp->body, ":annex-->");
    if (annex)
        *annex = '\0';
    rp->ctx = json_object_from_file(ctx);
    cr_assert(rp->ctx != NULL);
    hz_config_problems probs = {0};
    cr_assert_eq(config_load(config_dir, &rp->cfg, &probs), HZ_OK);
}

static void free_report(report *rp)
{
    free(rp->text);
    free(rp->md);
    free(rp->body);
    json_object_put(rp->ctx);
    config_free(rp->cfg);
}

static json_object *at(json_object *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *k = strtok(buf, "."); k && o; k = strtok(NULL, ".")) {
        json_object *next = NULL;
        if (json_object_is_type(o, json_type_array))
            next = json_object_array_get_idx(o, (size_t)atoi(k));
        else
            json_object_object_get_ex(o, k, &next);
        o = next;
    }
    return o;
}

/* The text of the Markdown section whose heading line contains title, up
 * to the next heading of the same or a higher level; "" when absent. */
static char *section(const char *md, const char *marks, const char *title)
{
    size_t level = strlen(marks);
    for (const char *p = md; (p = strstr(p, marks)) != NULL; p++) {
        if (p != md && p[-1] != '\n')
            continue;
        if (p[level] != ' ')
            continue;
        const char *eol = strchr(p, '\n');
        if (!eol)
            break;
        char *line = strndup(p, (size_t)(eol - p));
        bool hit = strstr(line, title) != NULL;
        free(line);
        if (!hit)
            continue;
        const char *end = eol;
        for (const char *q = eol; (q = strstr(q, "\n#")) != NULL; q++) {
            size_t n = 0;
            while (q[1 + n] == '#')
                n++;
            if (n <= level) {
                end = q;
                break;
            }
        }
        if (end == eol)
            end = eol + strlen(eol);
        return strndup(eol, (size_t)(end - eol));
    }
    return strdup("");
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* ---- the assertions of the issue's "Done when", for any configuration ---- */

/* Each indicator with a value is named under its own measure, and under no
 * other; 其中 only for part_of. */
static void assert_measures(const report *rp)
{
    const hz_config *cfg = rp->cfg;
    char *practice = section(rp->body, "##", "主要做法");
    cr_assert(practice[0], "no 主要做法 section");
    size_t parts_said = 0, qizhong = 0;
    for (size_t i = 0; i < cfg->indicator_count; i++) {
        const hz_indicator *ind = &cfg->indicators[i];
        char path[128];
        snprintf(path, sizeof path, "city.indicators.%s.value", ind->code);
        json_object *v = at(rp->ctx, path);
        const char *value = v ? json_object_get_string(v) : NULL;
        const char *heading = report_content_measure_heading(cfg, ind->measure);
        char *own = section(practice, "###", heading);
        if (value && strcmp(value, "0")) {
            char want[256];
            snprintf(want, sizeof want, "%s%s", value, ind->uom);
            cr_expect(own[0], "%s: no section %s", ind->code, heading);
            cr_expect(strstr(own, want) != NULL, "%s (%s) not under %s", ind->code, want, heading);
            if (ind->part_of[0]) {
                snprintf(path, sizeof path, "city.indicators.%s.value", ind->part_of);
                json_object *w = at(rp->ctx, path);
                if (w && strcmp(json_object_get_string(w), "0"))
                    parts_said++;
            } else {
                cr_expect(strstr(own, ind->name) != NULL, "%s named nowhere under %s", ind->code,
                          heading);
            }
        }
        /* under no other measure */
        for (size_t j = 0; j < cfg->indicator_count; j++) {
            if (!strcmp(cfg->indicators[j].measure, ind->measure))
                continue;
            char *other = section(practice, "###",
                                  report_content_measure_heading(cfg, cfg->indicators[j].measure));
            cr_expect(strstr(other, ind->name) == NULL, "%s named under the measure of %s",
                      ind->code, cfg->indicators[j].code);
            free(other);
        }
        free(own);
    }
    /* the 工作要求 indicators have a paragraph of their own */
    for (size_t i = 0; i < cfg->indicator_count; i++)
        if (!strcmp(cfg->indicators[i].measure, "工作要求"))
            cr_expect(strstr(practice, report_content_measure_heading(cfg, "工作要求")) != NULL);
    /* no code of the catalogue in the text */
    for (size_t i = 0; i < cfg->indicator_count; i++)
        cr_expect(strstr(rp->body, cfg->indicators[i].code) == NULL, "code %s in the body",
                  cfg->indicators[i].code);
    qizhong = count_of(practice, "其中");
    cr_expect_eq(qizhong, parts_said, "其中 %zu times, part_of relations with values: %zu",
                 qizhong, parts_said);
    free(practice);
}

static bool is_unit_char(const char *p)
{
    static const char *const units[] = {"件", "万元", "个", "次", "条", "户", "家", "场", "篇",
                                        "期", "人", NULL};
    for (int i = 0; units[i]; i++)
        if (!strncmp(p, units[i], strlen(units[i])))
            return true;
    return false;
}

/* No "0件" / "0.00万元" in running text (tables and charts are not text). */
static void assert_no_zero_clause(const report *rp)
{
    const char *s = rp->body;
    for (const char *p = s; *p; p++) {
        if (*p != '0' || (p > s && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.')))
            continue;
        const char *q = p + 1;
        if (*q == '.') {
            q++;
            while (*q == '0')
                q++;
            if (*q >= '1' && *q <= '9')
                continue;
        }
        if (*q >= '0' && *q <= '9')
            continue;
        cr_expect(!is_unit_char(q), "a clause about nothing: …%.40s", p > s + 30 ? p - 30 : s);
    }
}

static void assert_no_internal(const report *rp)
{
    static const char *const words[] = {"考核得分", "每填写", "中位数", "异常值", "稳健", "MAD",
                                        ".xlsx", "版本", "校验", "征求意见稿", "正在进一步调查",
                                        NULL};
    for (int i = 0; words[i]; i++)
        cr_expect(strstr(rp->text, words[i]) == NULL, "internal word %s in the final report",
                  words[i]);
    tsheet cases = load_sheet(rp->xlsx, "案件明细");
    uint32_t cno = col_of(&cases, 0, "案件编号");
    size_t n = 0;
    for (uint32_t r = 1; r <= cases.max_row; r++) {
        const char *no = text_at(&cases, r, cno);
        if (!no[0])
            continue;
        n++;
        cr_expect(strstr(rp->text, no) == NULL, "case number %s in the final report", no);
    }
    cr_expect_gt(n, 0);
    free_sheet(&cases);
}

/* No sentence three times (county text pasted per unit). */
static void assert_no_sentence_thrice(const report *rp)
{
    char *t = strdup(rp->text);
    char *sent[4096];
    size_t n = 0;
    char *start = t;
    for (char *p = t; *p && n < 4096; p++) {
        if (!strncmp(p, "。", 3) || !strncmp(p, "；", 3)) {
            *p = '\0';
            if (strlen(start) >= 24)
                sent[n++] = start;
            start = p + 3;
            p += 2;
        }
    }
    for (size_t i = 0; i < n; i++) {
        size_t same = 0;
        for (size_t j = 0; j < n; j++)
            same += !strcmp(sent[i], sent[j]);
        cr_expect_lt(same, 3, "appears %zu times: %s", same, sent[i]);
    }
    free(t);
}

/* The sentence (between 。) of text that contains needle; "" when none. */
static char *sentence_with(const char *text, const char *needle)
{
    const char *hit = strstr(text, needle);
    if (!hit)
        return strdup("");
    const char *a = hit;
    while (a > text && strncmp(a - 3, "。", 3))
        a--;
    const char *b = strstr(hit, "。");
    if (!b)
        b = hit + strlen(hit);
    return strndup(a, (size_t)(b - a));
}

/* The unit without an accepted annual file is named with its stage cases
 * and amount; the per-unit increments add up to the city's. */
static void assert_missing_and_increments(const report *rp)
{
    json_object *rows = at(rp->ctx, "tables.rounds.rows");
    cr_assert(rows && json_object_array_length(rows) > 1);
    size_t n = json_object_array_length(rows);
    long long rise = 0, fall = 0, left_out = 0, city = 0;
    size_t missing = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *row = json_object_array_get_idx(rows, i);
        const char *name = json_object_get_string(json_object_array_get_idx(row, 0));
        json_object *inc = json_object_array_get_idx(row, 3);
        if (i + 1 == n) {
            city = json_object_get_int64(inc);
            continue;
        }
        if (json_object_is_type(inc, json_type_int)) {
            long long d = json_object_get_int64(inc);
            rise += d > 0 ? d : 0;
            fall += d < 0 ? -d : 0;
            if (d > 0) {
                char want[256];
                snprintf(want, sizeof want, "%s%lld件", name, d);
                char want2[256];
                snprintf(want2, sizeof want2, "%s新增立案%lld件", name, d);
                cr_expect(strstr(rp->text, want) || strstr(rp->text, want2),
                          "increment of %s (%lld) not stated", name, d);
            }
            continue;
        }
        json_object *st = json_object_array_get_idx(row, 1);
        if (!json_object_is_type(st, json_type_int))
            continue; /* reported at neither round */
        missing++;
        long long cases = json_object_get_int64(st);
        const char *amount = json_object_get_string(json_object_array_get_idx(row, 4));
        left_out += cases;
        char want[256];
        snprintf(want, sizeof want, "%s未报送", name);
        char *s = sentence_with(rp->text, want);
        char c1[64], c2[64];
        snprintf(c1, sizeof c1, "%lld件", cases);
        snprintf(c2, sizeof c2, "%s万元", amount);
        cr_expect(strstr(s, c1) && strstr(s, c2), "%s named without its stage figures: %s", name,
                  s);
        free(s);
    }
    cr_expect_eq(missing, 1, "the fixture has one unit that did not report");
    cr_expect_eq(rise - fall - left_out, city, "per-unit increments do not add up");
    char *s = sentence_with(rp->text, city >= 0 ? "净增加" : "净减少");
    char want[64];
    snprintf(want, sizeof want, "%lld件", city < 0 ? -city : city);
    cr_expect(strstr(s, want), "city increment %lld not in: %s", city, s);
    snprintf(want, sizeof want, "%lld件", rise);
    cr_expect(strstr(s, want), "units' sum %lld not in: %s", rise, s);
    snprintf(want, sizeof want, "%lld件", left_out);
    cr_expect(strstr(s, want), "left-out %lld not in: %s", left_out, s);
    free(s);
    /* and the generalisation that was false before */
    cr_expect(strstr(rp->text, "各单位阶段小结已报送的案件均") == NULL);
}

/* Typical cases: closed ones only, as many as campaign.ini asks (or fewer
 * closed ones exist). */
static void assert_typical(const report *rp)
{
    char *typ = section(rp->body, "##", "典型案例");
    tsheet cases = load_sheet(rp->xlsx, "案件明细");
    uint32_t cname = col_of(&cases, 0, "案件名称"), cstatus = col_of(&cases, 0, "办理状态");
    uint32_t cgoods = col_of(&cases, 0, "商品类别");
    size_t without_goods = 0;
    size_t closed = 0;
    for (uint32_t r = 1; r <= cases.max_row; r++)
        closed += !strcmp(text_at(&cases, r, cstatus), "已结案");
    size_t shown = 0;
    for (const char *p = typ; (p = strstr(p, "\n#### ")) != NULL; p++) {
        const char *title = strstr(p, "．");
        cr_assert(title);
        title += strlen("．");
        char *t = strndup(title, strcspn(title, "\n"));
        uint32_t row = row_where(&cases, cname, t);
        cr_expect_str_eq(text_at(&cases, row, cstatus), "已结案", "open case %s listed", t);
        /* its sentence: no goods confiscated where the case involves none */
        const char *para = strstr(p + 1, "\n\n");
        cr_assert(para);
        char *sentence = strndup(para + 2, strcspn(para + 2, "\n"));
        if (!strncmp(text_at(&cases, row, cgoods), "不涉及", strlen("不涉及"))) {
            without_goods++;
            cr_expect_null(strstr(sentence, "没收侵权商品"), "goods confiscated in: %s", sentence);
        }
        free(sentence);
        free(t);
        shown++;
    }
    size_t want = (size_t)rp->cfg->report.typical_cases;
    cr_expect_eq(shown, closed < want ? closed : want);
    cr_log_info("%zu typical cases shown, %zu without goods", shown, without_goods);
    free_sheet(&cases);
    free(typ);
}

static void assert_points(const report *rp)
{
    static const char *const titles[] = {"主要做法", "存在问题", "下一步"};
    for (int k = 0; k < 3; k++) {
        char *s = section(rp->body, "##", titles[k]);
        /* 主要做法's points come before its measure subsections */
        char *sub = strstr(s, "\n###");
        if (sub)
            *sub = '\0';
        cr_expect(strstr(s, "一是") && strstr(s, "二是"), "%s without 一是/二是", titles[k]);
        free(s);
    }
}

static void assert_final_report(const report *rp)
{
    assert_measures(rp);
    assert_no_zero_clause(rp);
    assert_no_internal(rp);
    assert_no_sentence_thrice(rp);
    assert_missing_and_increments(rp);
    assert_typical(rp);
    assert_points(rp);
    /* the opening cites the notice by its title */
    if (rp->cfg->notice[0]) {
        char want[1024];
        snprintf(want, sizeof want, "《%s》", rp->cfg->notice);
        cr_expect(strstr(rp->body, want) != NULL, "notice not cited");
    }
}

/* ---- the tests ---- */

Test(e2e_report, final_report_of_the_samples)
{
    report rp;
    make_report(&rp, HZ_TEST_CONFIG_DIR, SAMPLES "/stage", SAMPLES "/annual", "2022-12-20",
                "--final", "final");
    assert_final_report(&rp);
    /* drafted from the county texts, attributed */
    cr_expect_str_eq(json_object_get_string(at(rp.ctx, "narrative.problems.source")), "county");
    cr_expect(strstr(rp.text, "等5个单位反映") != NULL);
    free_report(&rp);
}

/* The title lines on page 1 (up to the first empty line, the 主送机关 or
 * the mark): no configured word (authority, campaign, unit names,
 * title_words) runs across a line end, and no number is parted from its
 * 年. The campaign name itself may break at the words it is made of. */
static void assert_title_unbroken(const report *rp)
{
    hz_run t = hz_test_run("pdftotext -f 1 -l 1 '%s' - | awk 'NF==0 || /：|征求意见稿|^.$/ "
                           "{exit} {print}'", rp->pdf);
    cr_assert_gt(strlen(t.out), 0);
    char joined[1024] = "", marked[1200] = "";
    size_t lines = 0;
    for (char *line = strtok(t.out, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        strncat(joined, line, sizeof joined - strlen(joined) - 1);
        strncat(marked, line, sizeof marked - strlen(marked) - 2);
        strcat(marked, "|");
    }
    cr_expect_geq(lines, 2, "a long title on one line: %s", marked);
    /* and words of official titles, and the city (the authority's name
     * before 市场监督管理局), which the list need not know */
    static const char *const TITLE_WORDS[] = {"关于", "工作", "情况", "报告", "行动", "知识产权",
                                              "专项治理", "执法", "铁拳", "年度总结", "阶段小结"};
    char city[256] = "";
    const char *bureau = strstr(rp->cfg->authority, "市场监督管理局");
    if (bureau)
        snprintf(city, sizeof city, "%.*s", (int)(bureau - rp->cfg->authority),
                 rp->cfg->authority);
    const char *words[96];
    size_t n = 0;
    for (size_t i = 0; i < sizeof TITLE_WORDS / sizeof TITLE_WORDS[0]; i++)
        words[n++] = TITLE_WORDS[i];
    words[n++] = city;
    words[n++] = rp->cfg->authority;
    for (size_t u = 0; u < rp->cfg->unit_count && n < 80; u++)
        words[n++] = rp->cfg->units[u].short_name;
    for (size_t i = 0; i < rp->cfg->report.title_words.count && n < 96; i++)
        words[n++] = rp->cfg->report.title_words.items[i];
    size_t checked = 0;
    for (size_t i = 0; i < n; i++) {
        if (!words[i] || !*words[i] || !strstr(joined, words[i]))
            continue;
        checked++;
        cr_expect(strstr(marked, words[i]) != NULL, "the title breaks inside %s: %s", words[i],
                  marked);
    }
    cr_expect_gt(checked, 0, "no configured word in the title %s", joined);
    for (const char *p = strchr(marked, '|'); p && p[1]; p = strchr(p + 1, '|'))
        cr_expect(!(p > marked && p[-1] >= '0' && p[-1] <= '9' &&
                    strncmp(p + 1, "年", strlen("年")) == 0),
                  "a number and its 年 on two lines: %s", marked);
    hz_run_free(&t);
}

Test(e2e_report, final_report_of_a_second_campaign)
{
    char samples[1200];
    snprintf(samples, sizeof samples, "%s/alt-samples", tmp);
    hz_run r = hz_test_run("'" HZ_BIN "' synth --config '" ALT_CONFIG "' --seed 7 --samples '%s'",
                           samples);
    cr_assert_eq(r.exit_code, 0, "%s", r.err);
    hz_run_free(&r);
    char stage[1300], annual[1300];
    snprintf(stage, sizeof stage, "%s/stage", samples);
    snprintf(annual, sizeof annual, "%s/annual", samples);
    report rp;
    make_report(&rp, ALT_CONFIG, stage, annual, "2023-12-20", "--final", "alt");
    cr_assert_eq(rp.cfg->unit_count, 4);
    assert_final_report(&rp);
    assert_title_unbroken(&rp);
    /* 存在问题 from the city's narrative.md, its placeholder expanded; the
     * other two sections drafted */
    cr_expect_str_eq(json_object_get_string(at(rp.ctx, "narrative.problems.source")), "city");
    cr_expect_str_eq(json_object_get_string(at(rp.ctx, "narrative.next_steps.source")), "county");
    char want[256];
    snprintf(want, sizeof want, "执法力量与%s件案件", json_object_get_string(at(rp.ctx,
                                                                               "city.cases_filed")));
    cr_expect(strstr(rp.text, want) != NULL, "narrative.md placeholder not expanded");
    /* the campaign's own measure headings, no 2022 wording */
    cr_expect(strstr(rp.text, "聚焦重点领域执法") != NULL);
    cr_expect(strstr(rp.text, "许昌") == NULL);
    cr_expect(strstr(rp.text, "加强申请环节执法") == NULL, "a measure without indicators shown");
    free_report(&rp);
}

/* text without the draft mark and the page numbers ("—24—"), so that a
 * paragraph broken across pages reads as one */
static void strip_page_marks(char *t)
{
    char *w = t;
    for (char *p = t; *p;) {
        if (!strncmp(p, "征求意见稿", strlen("征求意见稿"))) {
            p += strlen("征求意见稿");
            continue;
        }
        if (!strncmp(p, "—", 3)) {
            char *q = p + 3;
            while (*q >= '0' && *q <= '9')
                q++;
            if (q > p + 3 && !strncmp(q, "—", 3)) {
                p = q + 3;
                continue;
            }
        }
        *w++ = *p++;
    }
    *w = '\0';
}

Test(e2e_report, round_report_keeps_the_internal_material)
{
    report rp;
    make_report(&rp, HZ_TEST_CONFIG_DIR, SAMPLES "/stage", SAMPLES "/annual", "2022-11-30", "",
                "annual");
    cr_expect(strstr(rp.text, "考核办法") != NULL);
    cr_expect(strstr(rp.text, "考核得分") != NULL, "assessment formula missing");
    cr_expect(strstr(rp.text, "中位数") != NULL, "outliers missing");
    cr_expect(strstr(rp.text, "各单位报送材料摘编") != NULL, "county-text annex missing");
    strip_page_marks(rp.text);
    /* every reporting unit's county texts in full */
    json_object *units = at(rp.ctx, "units");
    for (size_t i = 0; i < json_object_array_length(units); i++) {
        json_object *u = json_object_array_get_idx(units, i);
        if (!json_object_get_boolean(at(u, "reported")))
            continue;
        char *work = strdup(json_object_get_string(at(u, "work")));
        squeeze(work);
        cr_expect(strstr(rp.text, work) != NULL, "county text of %s not in the annex",
                  json_object_get_string(at(u, "short_name")));
        free(work);
    }
    free_report(&rp);
}

/* 未报 is not 0: the PDF tables, the chart and the XLSX cells. */
Test(e2e_report, not_reported_is_not_zero)
{
    report rp;
    make_report(&rp, HZ_TEST_CONFIG_DIR, SAMPLES "/stage", SAMPLES "/annual", "2022-12-20",
                "--final", "missing");
    const char *missing = json_object_get_string(at(rp.ctx, "missing_units.0.short_name"));
    cr_assert(missing);
    char want[256];
    snprintf(want, sizeof want, "%s未报送未报未报未报未报未报", missing);
    cr_expect(strstr(rp.text, want) != NULL, "units table: %s is not 未报", missing);
    /* the chart: no value, the label says 未报 */
    json_object *labels = at(rp.ctx, "charts.cases_by_unit.labels");
    json_object *values = at(rp.ctx, "charts.cases_by_unit.values");
    bool seen = false;
    for (size_t i = 0; i < json_object_array_length(labels); i++) {
        const char *l = json_object_get_string(json_object_array_get_idx(labels, i));
        if (strstr(l, missing)) {
            seen = true;
            cr_expect(strstr(l, "未报") != NULL);
            cr_expect_null(json_object_array_get_idx(values, i), "a bar for %s", missing);
        }
    }
    cr_expect(seen);
    /* XLSX: empty figure cells, 未报送 in the status column */
    static const struct { const char *sheet, *unit_col, *status_col, *figure_col; uint32_t hrow; }
        sheets[] = {{"分单位", "单位", "报送情况", "立案数（件）", 0},
                    {"考核", "单位", "报送情况", "立案数（件）", 0}};
    for (size_t k = 0; k < sizeof sheets / sizeof sheets[0]; k++) {
        tsheet s = load_sheet(rp.xlsx, sheets[k].sheet);
        uint32_t hrow = 0;
        for (uint32_t r = 0; r <= s.max_row && !hrow; r++)
            for (uint32_t c = 0; c < 30 && !hrow; c++)
                if (!strcmp(text_at(&s, r, c), sheets[k].status_col))
                    hrow = r;
        uint32_t cu = col_of(&s, hrow, sheets[k].unit_col);
        uint32_t cs = col_of(&s, hrow, sheets[k].status_col);
        uint32_t cf = col_of(&s, hrow, sheets[k].figure_col);
        uint32_t row = row_where(&s, cu, missing);
        cr_expect_str_eq(text_at(&s, row, cs), "未报送", "%s status", sheets[k].sheet);
        const tcell *cell = cell_at(&s, row, cf);
        cr_expect(!cell || cell->type != XLSX_CELL_NUMBER, "%s: a figure for %s",
                  sheets[k].sheet, missing);
        free_sheet(&s);
    }
    /* 分轮次: the annual cells empty, the stage cells numbers */
    tsheet s = load_sheet(rp.xlsx, "分轮次");
    uint32_t hrow = 0;
    for (uint32_t r = 0; r <= s.max_row && !hrow; r++)
        if (!strcmp(text_at(&s, r, 2), "报送情况"))
            hrow = r;
    uint32_t row = row_where(&s, 1, missing);
    cr_expect_str_eq(text_at(&s, row, 2), "未报送");
    const tcell *was = cell_at(&s, row, 3), *now = cell_at(&s, row, 4), *inc = cell_at(&s, row, 5);
    cr_expect(was && was->type == XLSX_CELL_NUMBER, "stage figure kept");
    cr_expect(!now || now->type != XLSX_CELL_NUMBER, "annual figure for %s", missing);
    cr_expect(!inc || inc->type != XLSX_CELL_NUMBER, "increment for %s", missing);
    free_sheet(&s);
    free_report(&rp);
}

/* Same inputs, same words: the drafting is deterministic. */
Test(e2e_report, drafting_is_deterministic)
{
    report a, b;
    make_report(&a, HZ_TEST_CONFIG_DIR, SAMPLES "/stage", SAMPLES "/annual", "2022-12-20",
                "--final", "det1");
    make_report(&b, HZ_TEST_CONFIG_DIR, SAMPLES "/stage", SAMPLES "/annual", "2022-12-20",
                "--final", "det2");
    cr_expect_str_eq(a.md, b.md);
    cr_expect(hz_test_files_equal(a.pdf, b.pdf));
    free_report(&a);
    free_report(&b);
}
