/* test_config.c - the shipped configuration and broken configurations. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#define GOOD_DIR HZ_SOURCE_DIR "/config/xuchang-2022"
#define BAD_DIR HZ_SOURCE_DIR "/tests/fixtures/config-bad"

static const char *const config_files[] = {
    "campaign.ini", "units.ini", "indicators.ini", "rules.ini", "lists.ini"
};

static hz_date ymd(int y, int m, int d)
{
    return hz_date_from_ymd(y, m, d);
}

static char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    cr_assert_not_null(data);
    cr_assert_eq(fread(data, 1, (size_t)n, f), (size_t)n);
    data[n] = '\0';
    fclose(f);
    *size = (size_t)n;
    return data;
}

static void spit(const char *path, const char *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, size, f), size);
    fclose(f);
}

/* A temporary copy of the shipped configuration. */
static void copy_good(char *dir, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, size, "%s/hz-config-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    for (size_t i = 0; i < sizeof config_files / sizeof config_files[0]; i++) {
        char from[1024], to[1024];
        snprintf(from, sizeof from, "%s/%s", GOOD_DIR, config_files[i]);
        snprintf(to, sizeof to, "%s/%s", dir, config_files[i]);
        size_t n;
        char *data = slurp(from, &n);
        spit(to, data, n);
        free(data);
    }
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* Patch markers: find "" appends, "@PREPEND@" prepends; replace "@DELETE@"
 * deletes the file; "@LONG@" in replace becomes 1100 'x', "@GBK@" the GBK
 * bytes of 许昌. */
static void patch_file(const char *dir, const char *file, const char *find, const char *replace)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (strcmp(replace, "@DELETE@") == 0) {
        cr_assert_eq(unlink(path), 0);
        return;
    }
    char expanded[2048];
    const char *long_mark = strstr(replace, "@LONG@");
    const char *gbk_mark = strstr(replace, "@GBK@");
    if (long_mark) {
        size_t pre = (size_t)(long_mark - replace);
        memcpy(expanded, replace, pre);
        memset(expanded + pre, 'x', 1100);
        strcpy(expanded + pre + 1100, long_mark + 6);
        replace = expanded;
    } else if (gbk_mark) {
        size_t pre = (size_t)(gbk_mark - replace);
        memcpy(expanded, replace, pre);
        strcpy(expanded + pre, "\xd0\xed\xb2\xfd");
        strcat(expanded, gbk_mark + 5);
        replace = expanded;
    }
    size_t size;
    char *data = slurp(path, &size);
    size_t rlen = strlen(replace);
    char *out = malloc(size + rlen + 1);
    size_t n = 0;
    if (strcmp(find, "") == 0) {
        memcpy(out, data, size);
        memcpy(out + size, replace, rlen);
        n = size + rlen;
    } else if (strcmp(find, "@PREPEND@") == 0) {
        memcpy(out, replace, rlen);
        memcpy(out + rlen, data, size);
        n = size + rlen;
    } else {
        char *at = strstr(data, find);
        cr_assert_not_null(at, "\"%s\" not found in %s", find, file);
        size_t pre = (size_t)(at - data), flen = strlen(find);
        out = realloc(out, size - flen + rlen + 1);
        memcpy(out, data, pre);
        memcpy(out + pre, replace, rlen);
        memcpy(out + pre + rlen, at + flen, size - pre - flen);
        n = size - flen + rlen;
    }
    spit(path, out, n);
    free(out);
    free(data);
}

static const hz_config_problem *find_problem(const hz_config_problems *ps, const char *file,
                                             const char *section, const char *key, hz_msg_id msg)
{
    for (size_t i = 0; i < ps->count; i++) {
        const hz_config_problem *p = &ps->items[i];
        if (strcmp(p->file, file) == 0 && strcmp(p->section, section) == 0 &&
            strcmp(p->key, key) == 0 && p->error.msg == msg)
            return p;
    }
    return NULL;
}

static void dump_problems(const hz_config_problems *ps)
{
    for (size_t i = 0; i < ps->count; i++) {
        char buf[1024];
        const hz_config_problem *p = &ps->items[i];
        cr_log_info("%s [%s] %s: %s (%s)", p->file, p->section, p->key,
                    hz_error_render(&p->error, HZ_LANG_EN, buf, sizeof buf),
                    hz_msg_name(p->error.msg));
    }
}

/* config_load of dir must fail with HZ_ERR_CONFIG, hand out no config and
 * report exactly count problems (logged), which the caller frees. */
static hz_config_problems load_failing(const char *dir, size_t count)
{
    hz_config *c = (hz_config *)1;
    hz_config_problems ps = { 0 };
    cr_expect_eq(config_load(dir, &c, &ps), HZ_ERR_CONFIG, "%s", dir);
    dump_problems(&ps);
    cr_expect_null(c, "%s: config handed out", dir);
    cr_assert_eq(ps.count, count, "%s: %zu problems, want %zu", dir, ps.count, count);
    return ps;
}

/* ------------------------------------------------------------------ */
/* The shipped configuration                                           */

static hz_config *load_good(void)
{
    hz_config *c = NULL;
    hz_config_problems ps = { 0 };
    hz_status st = config_load(GOOD_DIR, &c, &ps);
    dump_problems(&ps);
    cr_assert_eq(st, HZ_OK, "shipped config has %zu problems", ps.count);
    cr_assert_eq(ps.count, 0);
    cr_assert_not_null(c);
    config_problems_free(&ps);
    return c;
}

Test(config_shipped, campaign)
{
    hz_config *c = load_good();
    cr_expect_str_eq(c->dir, GOOD_DIR);
    cr_expect_str_eq(c->name, "许昌市打击侵犯知识产权犯罪专项治理");
    cr_expect_str_eq(c->authority, "许昌市市场监督管理局");
    cr_expect_str_eq(c->section, "知识产权保护科");
    cr_expect_str_eq(c->stage_folder, "");
    cr_expect_eq(c->year, 2022);
    cr_expect_eq(c->start, ymd(2022, 6, 20));
    cr_expect_eq(c->end, ymd(2022, 12, 31));
    cr_expect_eq(c->template_version, 1);
    cr_expect_str_eq(c->report.title, "许昌市市场监督管理局关于打击侵犯知识产权犯罪专项治理工作情况的报告");
    cr_expect_str_eq(c->report.recipient, "河南省市场监督管理局");
    cr_expect_str_eq(c->report.signature, "许昌市市场监督管理局");
    /* fonts by role: the bureau's family first, a packaged one last */
    cr_assert_eq(c->report.font_title.count, 3);
    cr_expect_str_eq(c->report.font_title.items[0], "方正小标宋简体");
    cr_expect_str_eq(c->report.font_title.items[2], "AR PL SungtiL GB");
    cr_assert_eq(c->report.font_body.count, 3);
    cr_expect_str_eq(c->report.font_body.items[0], "仿宋_GB2312");
    cr_expect_str_eq(c->report.font_body.items[1], "仿宋");
    cr_assert_eq(c->report.font_heading1.count, 2);
    cr_expect_str_eq(c->report.font_heading1.items[0], "黑体");
    cr_expect_str_eq(c->report.font_heading1.items[1], "WenQuanYi Zen Hei");
    cr_assert_eq(c->report.font_heading2.count, 3);
    cr_expect_str_eq(c->report.font_heading2.items[2], "AR PL KaitiM GB");
    cr_assert_eq(c->report.font_page.count, 2);
    cr_expect_str_eq(c->report.font_page.items[0], "宋体");
    cr_expect_geq(c->report.title_words.count, 1);
    cr_assert_eq(c->report.font_fallbacks.count, 1);
    cr_expect_str_eq(c->report.font_fallbacks.items[0], "AR PL UMing CN");
    cr_expect_eq(c->report.amount_decimals, 2);
    cr_expect_eq(c->limits.max_entry_bytes, 64u << 20);
    cr_expect_eq(c->limits.max_total_bytes, 256u << 20);
    cr_expect_eq(c->limits.max_ratio, 200);
    cr_expect_eq(c->limits.max_xml_depth, 64);
    cr_expect_float_eq(c->outlier_threshold, 3.5, 1e-12);
    cr_expect_eq(c->outlier_min_units, 5);
    cr_expect_float_eq(c->assessment.w_results, 50, 1e-12);
    cr_expect_float_eq(c->assessment.late_deduction_per_day, 2, 1e-12);
    cr_expect_float_eq(c->assessment.warning_deduction, 1, 1e-12);
    config_free(c);
}

Test(config_shipped, phases_and_rounds)
{
    hz_config *c = load_good();
    cr_assert_eq(c->phase_count, 3);
    cr_expect_str_eq(c->phases[0].id, "deploy");
    cr_expect_str_eq(c->phases[0].name, "安排部署");
    cr_expect_str_eq(c->phases[1].id, "implement");
    cr_expect_str_eq(c->phases[2].name, "总结验收");
    cr_expect_eq(c->phases[2].last, ymd(2022, 12, 31));

    cr_expect_null(config_phase_of(c, ymd(2022, 6, 19)));
    cr_expect_str_eq(config_phase_of(c, ymd(2022, 6, 20))->id, "deploy");
    cr_expect_str_eq(config_phase_of(c, ymd(2022, 7, 10))->id, "deploy");
    cr_expect_str_eq(config_phase_of(c, ymd(2022, 7, 11))->id, "implement");
    cr_expect_str_eq(config_phase_of(c, ymd(2022, 11, 30))->id, "implement");
    cr_expect_str_eq(config_phase_of(c, ymd(2022, 12, 1))->id, "accept");
    cr_expect_null(config_phase_of(c, ymd(2023, 1, 1)));
    cr_expect_null(config_phase_of(c, HZ_DATE_NONE));

    cr_assert_eq(c->round_count, 2);
    const hz_round *stage = config_find_round(c, "stage");
    const hz_round *annual = config_find_round(c, "annual");
    cr_assert_not_null(stage);
    cr_assert_not_null(annual);
    cr_expect_null(config_find_round(c, "final"));
    cr_expect_str_eq(stage->name, "阶段小结");
    cr_expect_str_eq(annual->name, "年度总结");
    cr_expect_eq(stage->period_start, ymd(2022, 6, 20));
    cr_expect_eq(stage->period_end, ymd(2022, 8, 25));
    cr_expect_eq(stage->deadline, ymd(2022, 8, 26));
    cr_expect_eq(annual->period_end, ymd(2022, 11, 23));
    cr_expect_eq(annual->deadline, ymd(2022, 11, 24));
    cr_expect(stage->move_to_workday);
    /* Both deadlines are working days already. */
    cr_expect_eq(config_effective_deadline(c, stage), ymd(2022, 8, 26));
    cr_expect_eq(config_effective_deadline(c, annual), ymd(2022, 11, 24));

    cr_expect_eq(config_find_round_by_word(c, "阶段小结"), stage);
    cr_expect_eq(config_find_round_by_word(c, " 年度总结 "), annual);
    cr_expect_eq(config_find_round_by_word(c, "stage"), stage);
    cr_expect_eq(config_find_round_by_word(c, "Annual"), annual);
    cr_expect_null(config_find_round_by_word(c, "季度小结"));
    config_free(c);
}

Test(config_shipped, calendar)
{
    hz_config *c = load_good();
    cr_expect_eq(c->holiday_count, 31);
    cr_expect_eq(c->workday_count, 7);
    for (size_t i = 1; i < c->holiday_count; i++)
        cr_expect_lt(c->holidays[i - 1], c->holidays[i]);
    cr_expect_not(config_is_workday(c, ymd(2022, 10, 3)));   /* 国庆, Monday */
    cr_expect_not(config_is_workday(c, ymd(2022, 9, 12)));   /* 中秋, Monday */
    cr_expect(config_is_workday(c, ymd(2022, 10, 8)));       /* 调休 Saturday */
    cr_expect(config_is_workday(c, ymd(2022, 10, 9)));       /* 调休 Sunday */
    cr_expect_not(config_is_workday(c, ymd(2022, 8, 27)));   /* Saturday */
    cr_expect(config_is_workday(c, ymd(2022, 8, 26)));       /* Friday */
    config_free(c);
}

Test(config_shipped, units)
{
    hz_config *c = load_good();
    cr_assert_eq(c->unit_count, 7);
    static const char *const codes[] = { "411002", "411003", "411024", "411025",
                                         "411081", "411082", "411071" };
    for (size_t i = 0; i < 7; i++)
        cr_expect_str_eq(c->units[i].code, codes[i], "unit %zu in file order", i);
    const hz_unit *u = config_find_unit(c, "411002");
    cr_assert_not_null(u);
    cr_expect_str_eq(u->name, "许昌市魏都区市场监督管理局");
    cr_expect_str_eq(u->short_name, "魏都区");
    cr_expect_eq(u->kind, HZ_UNIT_DISTRICT);
    u = config_find_unit(c, "411081");
    cr_expect_str_eq(u->name, "禹州市市场监督管理局");
    cr_expect_eq(u->kind, HZ_UNIT_COUNTY);
    /* the loader indexed the units by code: every code is found by the
     * binary search, near misses are not */
    cr_assert_not_null(c->units_by_code);
    for (size_t i = 0; i < 7; i++)
        cr_expect_eq(config_find_unit(c, codes[i]), &c->units[i], "%s", codes[i]);
    cr_expect_null(config_find_unit(c, "41100"));
    cr_expect_null(config_find_unit(c, "4110020"));
    cr_expect_null(config_find_unit(c, "000000"));
    cr_expect_null(config_find_unit(c, "999999"));
    cr_expect_null(config_find_unit(c, ""));
    u = config_find_unit(c, "411071");
    cr_expect_str_eq(u->name, "许昌经济技术开发区市场监督管理局");
    cr_expect_str_eq(u->short_name, "许昌经济技术开发区");
    cr_expect_eq(u->kind, HZ_UNIT_ZONE);
    cr_expect_null(config_find_unit(c, "411000"));
    cr_expect_null(config_find_unit(c, NULL));
    config_free(c);
}

Test(config_shipped, indicators_and_rules)
{
    hz_config *c = load_good();
    cr_assert_eq(c->indicator_count, 24);
    cr_expect_str_eq(c->indicators[0].code, "A01");
    cr_expect_str_eq(c->indicators[23].code, "A24");
    const hz_indicator *ind = config_find_indicator(c, "A04");
    cr_assert_not_null(ind);
    cr_expect_str_eq(ind->name, "重点市场名录");
    cr_expect_str_eq(ind->uom, "个");
    cr_expect_str_eq(ind->measure, "二");
    cr_expect_eq(ind->over_rounds, HZ_AGG_STOCK);
    cr_expect_eq(ind->type, HZ_VALUE_COUNT);
    cr_expect(ind->required);
    ind = config_find_indicator(c, "A05");
    cr_expect_str_eq(ind->name, "明查暗访");
    cr_expect_not(ind->required);
    cr_expect_str_eq(ind->note, "");
    ind = config_find_indicator(c, "A19");
    cr_expect_str_eq(ind->name, "出动执法人员");
    cr_expect_str_eq(ind->measure, "工作要求");
    cr_expect_eq(ind->over_rounds, HZ_AGG_CUMULATIVE);
    cr_expect_null(config_find_indicator(c, "a01"));

    cr_assert_eq(c->rule_count, 10);
    cr_expect_str_eq(c->rules[0].id, "R01");
    cr_expect_str_eq(c->rules[0].expr, "A06 <= A03");
    cr_expect_eq(c->rules[0].severity, HZ_SEV_ERROR);
    cr_expect_eq(c->rules[0].missing, HZ_MISSING_SKIP_IF_ANY);
    cr_expect_str_eq(c->rules[0].message, "检查农村及城乡结合部市场个次不应多于检查实体市场个次");
    cr_expect_str_eq(c->rules[3].expr, "A20 compulsory_pair A21");
    cr_expect_eq(c->rules[2].severity, HZ_SEV_WARNING);
    cr_expect_eq(c->rules[5].missing, HZ_MISSING_NEVER_SKIP);
    config_free(c);
}

Test(config_shipped, lists)
{
    hz_config *c = load_good();
    cr_expect_eq(c->case_categories.count, 9);
    cr_expect_str_eq(c->case_categories.items[0], "商标侵权假冒");
    cr_expect_eq(c->commodities.count, 9);
    cr_expect_eq(c->channels.count, 4);
    cr_expect_eq(c->lead_sources.count, 7);
    cr_assert_eq(c->case_statuses.count, 2);
    cr_expect_str_eq(c->case_statuses.items[1], "已结案");
    cr_expect(config_list_contains(&c->channels, "电子商务"));
    cr_expect_not(config_list_contains(&c->channels, "电商"));
    cr_expect_str_eq(c->yes_word, "是");
    cr_expect_str_eq(c->no_word, "否");
    cr_expect_eq(c->yes_aliases.count, 3);
    cr_expect(config_list_contains(&c->no_aliases, "0"));
    cr_assert_eq(c->alias_count, 7);
    cr_expect_str_eq(c->aliases[0].canonical, "案件编号");
    cr_expect(config_list_contains(&c->aliases[0].alternatives, "案号"));
    cr_expect_str_eq(c->aliases[1].canonical, "涉案金额（万元）");
    cr_expect(config_list_contains(&c->aliases[1].alternatives, "涉案金额(万元)"));
    config_free(c);
}

/* ------------------------------------------------------------------ */
/* Variations that load                                                */

static hz_config *load_patched(const char *file, const char *find, const char *replace)
{
    char dir[512];
    copy_good(dir, sizeof dir);
    patch_file(dir, file, find, replace);
    hz_config *c = NULL;
    hz_config_problems ps = { 0 };
    hz_status st = config_load(dir, &c, &ps);
    dump_problems(&ps);
    remove_dir(dir);
    cr_assert_eq(st, HZ_OK);
    config_problems_free(&ps);
    return c;
}

Test(config_variants, deadline_moves_off_weekend)
{
    /* 2022-08-27 is a Saturday: moved to Monday 2022-08-29. */
    hz_config *c = load_patched("campaign.ini", "deadline        = 2022-08-26",
                                "deadline        = 2022-08-27");
    const hz_round *stage = config_find_round(c, "stage");
    cr_expect_eq(stage->deadline, ymd(2022, 8, 27));
    cr_expect_eq(config_effective_deadline(c, stage), ymd(2022, 8, 29));
    config_free(c);
}

Test(config_variants, deadline_moves_past_national_day_to_adjusted_workday)
{
    /* 国庆 2022-10-01..07, then Saturday 10-08 is a 调休 working day. */
    hz_config *c = load_patched("campaign.ini", "deadline        = 2022-08-26",
                                "deadline        = 2022-10-02");
    cr_expect_eq(config_effective_deadline(c, config_find_round(c, "stage")), ymd(2022, 10, 8));
    config_free(c);
}

Test(config_variants, deadline_stays_without_move_to_workday)
{
    hz_config *c = load_patched("campaign.ini",
                                "deadline        = 2022-08-26\nmove_to_workday = yes",
                                "deadline        = 2022-08-27\nmove_to_workday = 否");
    const hz_round *stage = config_find_round(c, "stage");
    cr_expect_not(stage->move_to_workday);
    cr_expect_eq(config_effective_deadline(c, stage), ymd(2022, 8, 27));
    config_free(c);
}

Test(config_variants, utf8_bom_and_crlf_are_accepted)
{
    char dir[512];
    copy_good(dir, sizeof dir);
    patch_file(dir, "units.ini", "@PREPEND@", "\xEF\xBB\xBF");
    patch_file(dir, "units.ini", "kind  = zone\n", "kind  = zone\r\n");
    hz_config *c = NULL;
    hz_config_problems ps = { 0 };
    hz_status st = config_load(dir, &c, &ps);
    dump_problems(&ps);
    remove_dir(dir);
    cr_assert_eq(st, HZ_OK);
    cr_expect_eq(c->unit_count, 7);
    cr_expect_str_eq(c->units[0].code, "411002");
    cr_expect_eq(config_find_unit(c, "411071")->kind, HZ_UNIT_ZONE);
    config_free(c);
}

Test(config_variants, chinese_unit_code_counts_characters)
{
    /* Six characters of three bytes each: fine. */
    hz_config *c = load_patched("units.ini", "code  = 411071", "code  = 许昌开发一区");
    cr_expect_not_null(config_find_unit(c, "许昌开发一区"));
    config_free(c);
}

Test(config_variants, quoted_value_with_semicolon)
{
    hz_config *c = load_patched("campaign.ini", "phone            =",
                                "phone            = \"0374-1234567; 0374-7654321\"");
    cr_expect_str_eq(c->phone, "0374-1234567; 0374-7654321");
    config_free(c);
}

Test(config_variants, full_width_commas_in_lists)
{
    hz_config *c = load_patched("lists.ini", "items = 在办, 已结案", "items = 在办，已结案，");
    cr_assert_eq(c->case_statuses.count, 2);
    cr_expect_str_eq(c->case_statuses.items[0], "在办");
    cr_expect_str_eq(c->case_statuses.items[1], "已结案");
    config_free(c);
}

/* ------------------------------------------------------------------ */
/* Broken configurations                                               */

typedef struct bad_case {
    char name[48];
    char file[32];
    char find[160];
    char replace[200];
    char exp_file[32];
    char exp_section[48];
    char exp_key[32];
    hz_msg_id msg;
    char arg2[48];          /* expected second argument, "" for no check */
} bad_case;

ParameterizedTestParameters(config_bad, patched)
{
    static bad_case cases[] = {
        { "missing file", "units.ini", "x", "@DELETE@",
          "units.ini", "", "", HZ_M_CONFIG_FILE_MISSING, "" },
        { "line too long", "campaign.ini", "contact          =", "contact          = @LONG@",
          "campaign.ini", "", "", HZ_M_CONFIG_LINE_TOO_LONG, "10" },
        { "syntax error", "units.ini", "kind  = zone", "kind zone",
          "units.ini", "jingkai", "", HZ_M_CONFIG_LINE_SYNTAX, "46" },
        { "unknown section", "campaign.ini", "", "\n[rounds.extra]\nname = x\n",
          "campaign.ini", "rounds.extra", "", HZ_M_CONFIG_UNKNOWN_SECTION, "" },
        { "unknown key", "units.ini", "short = 魏都区", "shortname = 魏都区",
          "units.ini", "weidu", "shortname", HZ_M_CONFIG_UNKNOWN_KEY, "shortname" },
        { "renamed key is missing", "units.ini", "short = 魏都区", "shortname = 魏都区",
          "units.ini", "weidu", "short", HZ_M_CONFIG_MISSING_KEY, "short" },
        { "missing required key", "campaign.ini", "authority        = 许昌市市场监督管理局", "",
          "campaign.ini", "campaign", "authority", HZ_M_CONFIG_MISSING_KEY, "authority" },
        { "bad date", "campaign.ini", "deadline        = 2022-08-26", "deadline        = 2022-08-32",
          "campaign.ini", "round.stage", "deadline", HZ_M_CONFIG_BAD_DATE, "2022-08-32" },
        { "duplicate unit code", "units.ini", "code  = 411003", "code  = 411002",
          "units.ini", "jianan", "code", HZ_M_CONFIG_DUP_UNIT, "weidu" },
        { "duplicate indicator code", "indicators.ini", "code        = A02", "code        = A01",
          "indicators.ini", "a02", "code", HZ_M_CONFIG_DUP_INDICATOR, "a01" },
        { "duplicate rule id", "rules.ini", "id         = R02", "id         = R01",
          "rules.ini", "r02", "id", HZ_M_CONFIG_DUP_RULE, "r01" },
        { "unit code too short", "units.ini", "code  = 411071", "code  = 41107",
          "units.ini", "jingkai", "code", HZ_M_CONFIG_UNIT_CODE_LENGTH, "5" },
        { "unit code too long", "units.ini", "code  = 411071", "code  = 许昌开发区12",
          "units.ini", "jingkai", "code", HZ_M_CONFIG_UNIT_CODE_LENGTH, "7" },
        { "unknown unit kind", "units.ini", "kind  = zone", "kind  = park",
          "units.ini", "jingkai", "kind", HZ_M_CONFIG_BAD_CHOICE, "park" },
        { "phases overlap", "campaign.ini", "first = 2022-07-11", "first = 2022-07-05",
          "campaign.ini", "phase.implement", "first", HZ_M_CONFIG_PHASE_OVERLAP, "2022-07-05" },
        { "phase ends before it starts", "campaign.ini", "last  = 2022-07-10", "last  = 2022-06-01",
          "campaign.ini", "phase.deploy", "first", HZ_M_CONFIG_DATE_ORDER, "2022-06-20" },
        { "deadline outside campaign", "campaign.ini", "deadline        = 2022-11-24",
          "deadline        = 2023-01-05",
          "campaign.ini", "round.annual", "deadline", HZ_M_CONFIG_OUTSIDE_CAMPAIGN, "2023-01-05" },
        { "period outside campaign", "campaign.ini", "period_start    = 2022-06-20",
          "period_start    = 2022-05-01",
          "campaign.ini", "round.stage", "period_start", HZ_M_CONFIG_OUTSIDE_CAMPAIGN, "2022-05-01" },
        { "deadline before period end", "campaign.ini", "deadline        = 2022-08-26",
          "deadline        = 2022-08-20",
          "campaign.ini", "round.stage", "deadline", HZ_M_CONFIG_ROUND_DEADLINE, "2022-08-20" },
        { "round id", "campaign.ini", "[round.annual]", "[round.final]",
          "campaign.ini", "round.final", "", HZ_M_CONFIG_ROUND_ID, "" },
        { "rule names unknown indicator", "rules.ini", "expr       = A06 <= A03",
          "expr       = A06 <= A99",
          "rules.ini", "r01", "expr", HZ_M_CONFIG_RULE_UNKNOWN_NAME, "A99" },
        { "rule names unknown case figure", "rules.ini", "case_closed <= case_filed",
          "case_shut <= case_filed",
          "rules.ini", "r07", "expr", HZ_M_CONFIG_RULE_UNKNOWN_NAME, "case_shut" },
        { "rule syntax", "rules.ini", "expr       = A23 <= A22", "expr       = A23 <= (A22",
          "rules.ini", "r02", "expr", HZ_M_CONFIG_EXPR_MISSING_PAREN, "12" },
        { "bad severity", "rules.ini", "severity   = warning", "severity   = warn",
          "rules.ini", "r03", "severity", HZ_M_CONFIG_BAD_CHOICE, "warn" },
        { "missing strategy absent", "rules.ini", "missing    = never_skip\n", "",
          "rules.ini", "r04", "missing", HZ_M_CONFIG_MISSING_KEY, "missing" },
        { "bad strategy", "rules.ini", "missing    = never_skip", "missing    = skip",
          "rules.ini", "r04", "missing", HZ_M_CONFIG_BAD_CHOICE, "skip" },
        { "list empty", "lists.ini", "items = 在办, 已结案", "items = ，",
          "lists.ini", "case_status", "items", HZ_M_CONFIG_LIST_EMPTY, "items" },
        { "list duplicate", "lists.ini", "items = 在办, 已结案", "items = 在办, 已结案, 在办",
          "lists.ini", "case_status", "items", HZ_M_CONFIG_LIST_DUP_ITEM, "items" },
        { "list section missing", "lists.ini", "[channel]", "[channels]",
          "lists.ini", "channel", "", HZ_M_CONFIG_MISSING_SECTION, "" },
        { "bad number", "campaign.ini", "threshold = 3.5", "threshold = 3,5",
          "campaign.ini", "outliers", "threshold", HZ_M_CONFIG_BAD_NUMBER, "3,5" },
        { "hex integer", "campaign.ini", "amount_decimals = 2", "amount_decimals = 0x2",
          "campaign.ini", "report", "amount_decimals", HZ_M_CONFIG_BAD_INTEGER, "0x2" },
        { "integer out of range", "campaign.ini", "amount_decimals = 2", "amount_decimals = 7",
          "campaign.ini", "report", "amount_decimals", HZ_M_CONFIG_BAD_INTEGER, "7" },
        { "bad boolean", "campaign.ini", "move_to_workday = yes", "move_to_workday = 是的",
          "campaign.ini", "round.stage", "move_to_workday", HZ_M_CONFIG_BAD_BOOL, "是的" },
        { "duplicate section", "units.ini", "", "\n[weidu]\ncode = 411099\n",
          "units.ini", "weidu", "", HZ_M_CONFIG_DUP_SECTION, "48" },
        { "duplicate key", "units.ini", "short = 建安区", "short = 建安区\nshort = 建安",
          "units.ini", "jianan", "short", HZ_M_CONFIG_DUP_KEY, "16" },
        { "duplicate key in a repeated section", "units.ini", "", "\n[weidu]\ncode = 411099\n",
          "units.ini", "weidu", "code", HZ_M_CONFIG_DUP_KEY, "49" },
        { "unknown key of a late section", "units.ini", "", "\n[zone9]\ncode = 411099\nname = x\n"
          "short = x\nkind = zone\nshorts = y\n",
          "units.ini", "zone9", "shorts", HZ_M_CONFIG_UNKNOWN_KEY, "shorts" },
        { "not utf-8", "units.ini", "name  = 许昌市建安区市场监督管理局", "name  = @GBK@",
          "units.ini", "", "", HZ_M_CONFIG_BAD_UTF8, "14" },
        { "key before any section", "lists.ini", "@PREPEND@", "items = x\n",
          "lists.ini", "", "items", HZ_M_CONFIG_KEY_OUTSIDE_SECTION, "1" },
        { "bad indicator code", "indicators.ini", "code        = A05", "code        = 5A",
          "indicators.ini", "a05", "code", HZ_M_CONFIG_INDICATOR_CODE, "" },
        { "indicator code is a case figure", "indicators.ini", "code        = A05",
          "code        = case_filed",
          "indicators.ini", "a05", "code", HZ_M_CONFIG_INDICATOR_CODE, "" },
        { "bad measure", "indicators.ini", "measure     = 三", "measure     = 3",
          "indicators.ini", "a07", "measure", HZ_M_CONFIG_BAD_CHOICE, "3" },
        { "year mismatch", "campaign.ini", "year             = 2022", "year             = 2021",
          "campaign.ini", "campaign", "year", HZ_M_CONFIG_YEAR_MISMATCH, "2022-06-20" },
        { "duplicate round section", "campaign.ini", "[round.stage]", "[round.annual]",
          "campaign.ini", "round.annual", "", HZ_M_CONFIG_DUP_SECTION, "" },
        { "part_of unknown", "indicators.ini", "part_of     = A03", "part_of     = A99",
          "indicators.ini", "a06", "part_of", HZ_M_CONFIG_PART_OF_UNKNOWN, "A99" },
        { "part_of itself", "indicators.ini", "part_of     = A03", "part_of     = A06",
          "indicators.ini", "a06", "part_of", HZ_M_CONFIG_PART_OF_UNKNOWN, "A06" },
        { "part_of another measure", "indicators.ini", "part_of     = A03", "part_of     = A01",
          "indicators.ini", "a06", "part_of", HZ_M_CONFIG_PART_OF_MISMATCH, "A01" },
        { "part_of a part", "indicators.ini", "note        = 上级市场监管部门转交的案件线索",
          "note        = 上级市场监管部门转交的案件线索\npart_of     = A19",
          "indicators.ini", "a23", "part_of", HZ_M_CONFIG_PART_OF_NESTED, "A22" },
        { "unknown measure heading", "campaign.ini", "", "\n[measures]\n六 = 加强其他执法\n",
          "campaign.ini", "measures", "六", HZ_M_CONFIG_UNKNOWN_KEY, "六" },
        { "measure channel not in lists.ini", "campaign.ini", "二.channels    = 实体市场",
          "二.channels    = 实体商场",
          "campaign.ini", "measures", "二.channels", HZ_M_CONFIG_MEASURE_LIST_ITEM, "实体商场" },
        { "narrative file missing", "campaign.ini", "; narrative     = narrative.md",
          "narrative     = nowhere.md",
          "campaign.ini", "report", "narrative", HZ_M_IO_OPEN, "" },
        { "typical cases out of range", "campaign.ini", "typical_cases   = 5",
          "typical_cases   = 11",
          "campaign.ini", "report", "typical_cases", HZ_M_CONFIG_BAD_INTEGER, "11" },
        { "unknown key in limits", "campaign.ini", "max_rows           = 1048576",
          "max_row            = 1048576",
          "campaign.ini", "limits", "max_row", HZ_M_CONFIG_UNKNOWN_KEY, "max_row" },
    };
    return cr_make_param_array(bad_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(bad_case *bc, config_bad, patched)
{
    char dir[512];
    copy_good(dir, sizeof dir);
    patch_file(dir, bc->file, bc->find, bc->replace);
    hz_config *c = (hz_config *)1;
    hz_config_problems ps = { 0 };
    hz_status st = config_load(dir, &c, &ps);
    remove_dir(dir);
    dump_problems(&ps);
    cr_expect_eq(st, HZ_ERR_CONFIG, "%s: status %d", bc->name, st);
    cr_expect_null(c, "%s: config handed out", bc->name);
    const hz_config_problem *p = find_problem(&ps, bc->exp_file, bc->exp_section, bc->exp_key,
                                              bc->msg);
    cr_assert_not_null(p, "%s: no problem %s at %s [%s] %s", bc->name, hz_msg_name(bc->msg),
                       bc->exp_file, bc->exp_section, bc->exp_key);
    if (bc->arg2[0]) {
        cr_assert_geq(p->error.nargs, 2, "%s", bc->name);
        cr_expect_str_eq(p->error.args[1], bc->arg2, "%s: second argument", bc->name);
    }
    cr_expect_eq(p->error.status, HZ_ERR_CONFIG);
    char buf[1024];
    cr_expect_neq(strlen(hz_error_render(&p->error, HZ_LANG_ZH, buf, sizeof buf)), 0);
    config_problems_free(&ps);
}

Test(config_bad, every_problem_is_reported)
{
    char dir[512];
    copy_good(dir, sizeof dir);
    patch_file(dir, "units.ini", "kind  = zone", "kind  = park");
    patch_file(dir, "rules.ini", "expr       = A06 <= A03", "expr       = A06 <= A99");
    patch_file(dir, "lists.ini", "items = 在办, 已结案", "items =");
    patch_file(dir, "indicators.ini", "over_rounds = stock", "over_rounds = latest");
    /* three: indicators.ini had a problem, so rule names are not checked */
    hz_config_problems ps = load_failing(dir, 3);
    remove_dir(dir);
    cr_expect_not_null(find_problem(&ps, "units.ini", "jingkai", "kind", HZ_M_CONFIG_BAD_CHOICE));
    cr_expect_not_null(find_problem(&ps, "indicators.ini", "a04", "over_rounds",
                                    HZ_M_CONFIG_BAD_CHOICE));
    cr_expect_not_null(find_problem(&ps, "lists.ini", "case_status", "items",
                                    HZ_M_CONFIG_LIST_EMPTY));
    config_problems_free(&ps);
}

Test(config_bad, rendered_message)
{
    char dir[512];
    copy_good(dir, sizeof dir);
    patch_file(dir, "units.ini", "code  = 411071", "code  = 41107");
    hz_config_problems ps = load_failing(dir, 1);
    remove_dir(dir);
    char buf[512];
    cr_expect_str_eq(hz_error_render(&ps.items[0].error, HZ_LANG_ZH, buf, sizeof buf),
                     "单位代码「41107」应为 6 个字符（现为 5 个）");
    cr_expect_str_eq(hz_error_render(&ps.items[0].error, HZ_LANG_EN, buf, sizeof buf),
                     "unit code \"41107\" must be 6 characters long (it has 5)");
    config_problems_free(&ps);
}

Test(config_bad, missing_folder_is_io)
{
    hz_config *c = (hz_config *)1;
    hz_config_problems ps = { 0 };
    cr_expect_eq(config_load("/nonexistent/huizong-config", &c, &ps), HZ_ERR_IO);
    cr_expect_null(c);
    cr_assert_eq(ps.count, 1);
    cr_expect_eq(ps.items[0].error.msg, HZ_M_IO_OPEN);
    config_problems_free(&ps);
    /* problems may be NULL. */
    cr_expect_eq(config_load("/nonexistent/huizong-config", &c, NULL), HZ_ERR_IO);
}

Test(config_bad, empty_folder_reports_every_file)
{
    char dir[512];
    copy_good(dir, sizeof dir);
    for (size_t i = 0; i < 5; i++)
        patch_file(dir, config_files[i], "x", "@DELETE@");
    hz_config_problems ps = load_failing(dir, 5);
    remove_dir(dir);
    for (size_t i = 0; i < 5; i++) {
        cr_expect_str_eq(ps.items[i].file, config_files[i]);
        cr_expect_eq(ps.items[i].error.msg, HZ_M_CONFIG_FILE_MISSING);
    }
    config_problems_free(&ps);
}

/* Fixture folders kept in the tree (also usable by the CLI tests). */
Test(config_bad, fixture_rule_unknown_indicator)
{
    hz_config_problems ps = load_failing(BAD_DIR "/rule-unknown-indicator", 1);
    cr_expect_str_eq(ps.items[0].file, "rules.ini");
    cr_expect_str_eq(ps.items[0].section, "r01");
    cr_expect_str_eq(ps.items[0].key, "expr");
    cr_expect_eq(ps.items[0].error.msg, HZ_M_CONFIG_RULE_UNKNOWN_NAME);
    cr_expect_str_eq(ps.items[0].error.args[1], "B01");
    config_problems_free(&ps);
}

Test(config_bad, fixture_overlapping_phases)
{
    hz_config_problems ps = load_failing(BAD_DIR "/phases-overlap", 1);
    cr_expect_str_eq(ps.items[0].file, "campaign.ini");
    cr_expect_str_eq(ps.items[0].section, "phase.implement");
    cr_expect_str_eq(ps.items[0].key, "first");
    cr_expect_eq(ps.items[0].error.msg, HZ_M_CONFIG_PHASE_OVERLAP);
    config_problems_free(&ps);
}

/* Random damage to each file: never a crash, never a half-loaded config. */
Test(config_bad, damaged_files_never_half_load)
{
    unsigned state = 4242u;
    for (int i = 0; i < 150; i++) {
        char dir[512];
        copy_good(dir, sizeof dir);
        const char *file = config_files[i % 5];
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, file);
        size_t size;
        char *data = slurp(path, &size);
        state = state * 1103515245u + 12345u;
        size_t at = (state >> 8) % size;
        state = state * 1103515245u + 12345u;
        unsigned kind = (state >> 16) % 3;
        if (kind == 0)
            size = at;                                  /* truncate */
        else if (kind == 1)
            data[at] = (char)((state >> 8) & 0xFF);     /* random byte */
        else
            data[at] = "[]=;#\\\"\n,"[(state >> 8) % 9]; /* INI syntax */
        spit(path, data, size);
        free(data);
        hz_config *c = (hz_config *)1;
        hz_config_problems ps = { 0 };
        hz_status st = config_load(dir, &c, &ps);
        remove_dir(dir);
        if (st == HZ_OK) {
            cr_assert_not_null(c);
            cr_assert_eq(ps.count, 0);
            config_free(c);
        } else {
            cr_assert_eq(st, HZ_ERR_CONFIG, "%s damage %d: status %d", file, i, st);
            cr_assert_null(c);
            cr_assert_gt(ps.count, 0);
        }
        config_problems_free(&ps);
    }
}

/* ------------------------------------------------------------------ */
/* part_of, [measures], the report's opening (issue 13)               */

static const hz_rule *rule_with_id(const hz_config *c, const char *id)
{
    for (size_t i = 0; i < c->rule_count; i++)
        if (!strcmp(c->rules[i].id, id))
            return &c->rules[i];
    return NULL;
}

Test(config_shipped, part_of_relations_stated_by_rules_ini_add_no_rule)
{
    hz_config *c = load_good();
    cr_assert_str_eq(config_find_indicator(c, "A06")->part_of, "A03");
    cr_assert_str_eq(config_find_indicator(c, "A23")->part_of, "A22");
    cr_assert_str_eq(config_find_indicator(c, "A01")->part_of, "");
    /* R01 (A06 <= A03) and R02 (A23 <= A22) already say it */
    cr_assert_null(rule_with_id(c, "part_of.A06"));
    cr_assert_null(rule_with_id(c, "part_of.A23"));
    cr_assert_eq(c->report.typical_cases, 5);
    cr_assert_str_eq(c->notice, "许昌市市场监督管理局关于印发许昌市打击侵犯知识产权犯罪专项治理实施方案的通知");
    cr_assert_str_eq(c->report.narrative_name, "");
    cr_assert_null(c->report.narrative_text);
    config_free(c);
}

Test(config_variants, part_of_adds_its_rule_and_narrative_is_read)
{
    hz_config *c = NULL;
    hz_config_problems ps = { 0 };
    cr_assert_eq(config_load(HZ_SOURCE_DIR "/tests/fixtures/config-alt", &c, &ps), HZ_OK);
    const hz_rule *r = rule_with_id(c, "part_of.C02");
    cr_assert_not_null(r);
    cr_assert_str_eq(r->expr, "C02 <= C01");
    cr_assert_eq(r->severity, HZ_SEV_ERROR);
    cr_assert_eq(r->missing, HZ_MISSING_SKIP_IF_ANY);
    cr_assert_not_null(rule_with_id(c, "part_of.C08"));
    cr_assert_str_eq(c->measure_names[0], "聚焦重点领域执法");
    cr_assert_str_eq(c->measure_names[3], "");
    cr_assert_str_eq(c->report.narrative_name, "narrative.md");
    cr_assert_not_null(strstr(c->report.narrative_text, "## 存在问题"));
    cr_assert_eq(c->report.typical_cases, 3);
    config_free(c);
}
