/* test_report_template.c - placeholder expansion, sections, directives,
 * Markdown mapping, error lines and the shipped templates. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hz_msg.h"
#include "report_template.h"

static struct json_object *ctx_of(const char *json)
{
    struct json_object *ctx = json_tokener_parse(json);
    cr_assert_not_null(ctx, "test JSON does not parse: %s", json);
    return ctx;
}

/* Expands tmpl against json and returns the Markdown (caller frees). */
static char *expand_ok(const char *tmpl, const char *json)
{
    struct json_object *ctx = ctx_of(json);
    hz_error err = {0};
    char *md = NULL;
    hz_status st = report_template_expand(tmpl, "t.md", ctx, &md, &err);
    char buf[1024];
    cr_assert_eq(st, HZ_OK, "expand failed: %s", hz_error_render(&err, HZ_LANG_ZH, buf, sizeof buf));
    json_object_put(ctx);
    return md;
}

static void expect_md(const char *tmpl, const char *json, const char *want)
{
    char *md = expand_ok(tmpl, json);
    cr_assert_str_eq(md, want);
    free(md);
}

static hz_doc *render_ok(const char *tmpl, const char *json)
{
    struct json_object *ctx = ctx_of(json);
    hz_error err = {0};
    hz_doc *doc = NULL;
    hz_status st = report_template_render(tmpl, "t.md", ctx, &doc, &err);
    char buf[1024];
    cr_assert_eq(st, HZ_OK, "render failed: %s", hz_error_render(&err, HZ_LANG_ZH, buf, sizeof buf));
    cr_assert_not_null(doc);
    json_object_put(ctx);
    return doc;
}

/* Renders and expects a template error with message id and line. */
static void expect_error(const char *tmpl, const char *json, hz_msg_id msg,
                         const char *line, const char *arg3)
{
    struct json_object *ctx = ctx_of(json);
    hz_error err = {0};
    hz_doc *doc = (hz_doc *)&err; /* must be reset to NULL */
    hz_status st = report_template_render(tmpl, "t.md", ctx, &doc, &err);
    cr_assert_eq(st, HZ_ERR_TEMPLATE);
    cr_assert_null(doc);
    cr_assert_str_eq(hz_msg_name(err.msg), hz_msg_name(msg));
    cr_assert_str_eq(err.args[0], "t.md");
    cr_assert_str_eq(err.args[1], line);
    if (arg3)
        cr_assert_str_eq(err.args[2], arg3);
    char *md = (char *)&err;
    cr_assert_eq(report_template_expand(tmpl, "t.md", ctx, &md, &err), HZ_ERR_TEMPLATE);
    cr_assert_null(md);
    json_object_put(ctx);
}

Test(expand, values_and_nested_paths)
{
    expect_md("全市立案{{city.cases}}件，涉案{{city.amount}}万元。\n",
              "{\"city\":{\"cases\":69,\"amount\":\"168.60\"}}",
              "全市立案69件，涉案168.60万元。\n");
    expect_md("{{a}}|{{b}}|{{c}}|{{d}}|{{e}}|{{f}}|{{g}}",
              "{\"a\":2.5,\"b\":3.14159,\"c\":7.0,\"d\":true,\"e\":false,\"f\":null,\"g\":-12}",
              "2.5|3.14|7|是|否||-12");
    expect_md("{{units.1.short_name}}", "{\"units\":[{\"short_name\":\"魏都区\"},{\"short_name\":\"建安区\"}]}",
              "建安区");
    expect_md("{{ spaced }}", "{\"spaced\":\"ok\"}", "ok");
}

Test(expand, loops_index_sep_and_scoping)
{
    const char *json = "{\"unit\":\"市局\",\"units\":[{\"short_name\":\"魏都区\",\"n\":3},"
                       "{\"short_name\":\"建安区\",\"n\":0},{\"short_name\":\"鄢陵县\",\"n\":5}]}";
    expect_md("{{#units}}{{short_name}}{{@sep}}{{/units}}", json, "魏都区、建安区、鄢陵县");
    expect_md("{{#units}}{{short_name}}{{@sep_and}}{{/units}}", json, "魏都区、建安区和鄢陵县");
    expect_md("{{#units}}\n{{@index}}/{{@count}} {{short_name}} {{unit}}\n{{/units}}\n", json,
              "1/3 魏都区 市局\n2/3 建安区 市局\n3/3 鄢陵县 市局\n");
    /* a non-zero number renders once; 0 skips; @index reaches the outer loop */
    expect_md("{{#units}}{{#n}}[{{@index}}:{{n}}]{{/n}}{{/units}}", json, "[1:3][3:5]");
    expect_md("{{#items}}{{.}}{{@sep}}{{/items}}", "{\"items\":[\"甲\",\"乙\"]}", "甲、乙");
    expect_md("{{#obj}}{{x}}{{/obj}}", "{\"obj\":{\"x\":\"内\"}}", "内");
    expect_md("{{#a}}{{#b}}{{c}}{{/b}}{{/a}}", "{\"a\":[{\"b\":[{\"c\":1},{\"c\":2}]},{\"b\":[{\"c\":3}]}]}",
              "123");
}

Test(expand, empty_sections_and_inverted)
{
    const char *tmpl = "{{#late}}{{name}}{{@sep}}{{/late}}{{^late}}各单位均按时报送{{/late}}";
    expect_md(tmpl, "{\"late\":[]}", "各单位均按时报送");
    expect_md(tmpl, "{\"late\":[{\"name\":\"长葛市\"}]}", "长葛市");
    expect_md("{{^missing}}无{{/missing}}", "{}", "无");
    expect_md("{{^f}}假{{/f}}{{^z}}零{{/z}}{{^s}}空{{/s}}{{^o}}空对象{{/o}}{{^n}}null{{/n}}",
              "{\"f\":false,\"z\":0,\"s\":\"\",\"o\":{},\"n\":null}", "假零空空对象null");
    expect_md("{{#f}}x{{/f}}{{#s}}y{{/s}}{{#t}}z{{/t}}", "{\"f\":false,\"s\":\"\",\"t\":true}", "z");
}

Test(expand, standalone_lines_and_comments)
{
    expect_md("甲\n{{#list}}\n- {{.}}\n{{/list}}\n乙\n", "{\"list\":[\"一\",\"二\"]}",
              "甲\n- 一\n- 二\n乙\n");
    expect_md("{{! 注释 }}\n正文{{! 行内注释 }}。\n  {{! indented }}  \n", "{}", "正文。\n");
}

Test(expand, escapes_markdown_in_values)
{
    expect_md("{{s}}", "{\"s\":\"a*b*_c_ #1 [x](y) <b> `k` \\\\ ~ & |\"}",
              "a\\*b\\*\\_c\\_ \\#1 \\[x\\](y) \\<b\\> \\`k\\` \\\\ \\~ \\& \\|");
    /* line-start markers in the value stay literal; newlines collapse */
    expect_md("{{s}}", "{\"s\":\"1. 第一\\n\\n- 第二\\n## 三\\n> 四\"}",
              "1\\. 第一\n\\- 第二\n\\#\\# 三\n\\> 四");
    expect_md("x {{s}}", "{\"s\":\"- 不在行首\"}", "x - 不在行首");
    expect_md("{{&s}}", "{\"s\":\"**粗**\"}", "**粗**");

    hz_doc *doc = render_ok("{{s}}\n", "{\"s\":\"1. *重点* # 商品 | 2.\"}");
    cr_assert_eq(doc->count, 1);
    cr_assert_eq(doc->blocks[0].kind, DOC_PARAGRAPH);
    cr_assert_str_eq(doc->blocks[0].text, "1. *重点* # 商品 | 2.");
    doc_free(doc);
}

Test(render, markdown_mapping)
{
    const char *tmpl =
        "# 许昌市{{name}}\n"
        "\n*（征求意见稿）*\n\n"
        "河南省市场监督管理局：\n\n"
        "## 一、总体情况\n\n"
        "全市共立案\n{{n}}件，\n*涉案* **金额** `12`。\n\n"
        "Latin words\njoin with space\n\n"
        "### （一）加强重点商品执法\n\n"
        "#### 1．食品\n\n"
        "1. 第一项\n2. 第二项\n\n"
        "- 无标记\n\n"
        "附件：统计表\n\n"
        "---\n\n"
        "> 许昌市市场监督管理局\n> 2022年12月20日\n\n"
        "<div>raw html is dropped</div>\n";
    hz_doc *doc = render_ok(tmpl, "{\"name\":\"专项治理\",\"n\":69}");
    struct { doc_block_kind kind; const char *text; } want[] = {
        {DOC_TITLE, "许昌市专项治理"},
        {DOC_SUBTITLE, "（征求意见稿）"},
        {DOC_PLAIN, "河南省市场监督管理局："},
        {DOC_HEADING1, "一、总体情况"},
        {DOC_PARAGRAPH, "全市共立案69件，涉案 金额 12。"},
        {DOC_PARAGRAPH, "Latin words join with space"},
        {DOC_HEADING2, "（一）加强重点商品执法"},
        {DOC_HEADING3, "1．食品"},
        {DOC_LIST_ITEM, "1．第一项"},
        {DOC_LIST_ITEM, "2．第二项"},
        {DOC_LIST_ITEM, "无标记"},
        {DOC_PLAIN, "附件：统计表"},
        {DOC_PAGE_BREAK, NULL},
        {DOC_SIGNATURE, "许昌市市场监督管理局\n2022年12月20日"},
    };
    size_t n = sizeof want / sizeof want[0];
    cr_assert_eq(doc->count, n, "got %zu blocks", doc->count);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(doc->blocks[i].kind, want[i].kind, "block %zu kind %d", i, doc->blocks[i].kind);
        if (want[i].text)
            cr_assert_str_eq(doc->blocks[i].text, want[i].text, "block %zu", i);
    }
    cr_assert_str_eq(doc->title, "许昌市专项治理");
    doc_free(doc);
}

Test(render, emphasized_paragraph_not_after_title_is_paragraph)
{
    hz_doc *doc = render_ok("## 一\n\n*强调*\n", "{}");
    cr_assert_eq(doc->count, 2);
    cr_assert_eq(doc->blocks[1].kind, DOC_PARAGRAPH);
    cr_assert_str_eq(doc->blocks[1].text, "强调");
    doc_free(doc);
}

static const char *table_ctx =
    "{\"campaign\":{\"authority\":\"许昌市市场监督管理局\"},"
    "\"report\":{\"final\":false,\"date\":\"2022-12-20\",\"title\":\"报告\"},"
    "\"tables\":{\"units\":{\"caption\":\"分单位\",\"header\":[\"单位\",\"立案\",\"金额\"],"
    "\"rows\":[[\"魏都区\",14,\"38.62\"],[\"建安区\",11,\"25.40\"],[\"合计\",25,\"64.02\"]],\"total\":true},"
    "\"two\":{\"header\":[[\"单位\",\"立案数\",\"\"],[\"\",\"阶段\",\"年度\"]],\"rows\":[[\"魏都区\",6,14]],"
    "\"align\":[\"left\",\"center\",\"right\"]}},"
    "\"charts\":{\"cases\":{\"title\":\"各单位立案数\",\"value_label\":\"立案数（件）\","
    "\"labels\":[\"魏都区\",\"建安区\"],\"values\":[14,11.5],\"decimals\":1}}}";

Test(render, directives_make_blocks)
{
    const char *tmpl = "正文\n{{table units}}\n  {{chart cases}}  \n{{pagebreak}}\n{{annex}}\n{{table two}}\n尾\n";
    hz_doc *doc = render_ok(tmpl, table_ctx);
    cr_assert_eq(doc->count, 7);
    cr_assert_eq(doc->blocks[0].kind, DOC_PARAGRAPH);
    cr_assert_str_eq(doc->blocks[0].text, "正文");
    doc_table *t = doc->blocks[1].table;
    cr_assert_eq(doc->blocks[1].kind, DOC_TABLE);
    cr_assert_not_null(t);
    cr_assert_str_eq(t->caption, "分单位");
    cr_assert_eq(t->rows, 4);
    cr_assert_eq(t->cols, 3);
    cr_assert_eq(t->header_rows, 1);
    cr_assert(t->last_row_total);
    cr_assert_str_eq(t->cells[0], "单位");
    cr_assert_str_eq(t->cells[1 * 3 + 0], "魏都区");
    cr_assert_str_eq(t->cells[1 * 3 + 1], "14");
    cr_assert_str_eq(t->cells[3 * 3 + 2], "64.02");
    cr_assert_eq(t->align[0], DOC_ALIGN_LEFT);
    cr_assert_eq(t->align[1], DOC_ALIGN_RIGHT);
    cr_assert_eq(t->align[2], DOC_ALIGN_RIGHT);

    doc_chart *c = doc->blocks[2].chart;
    cr_assert_eq(doc->blocks[2].kind, DOC_CHART);
    cr_assert_str_eq(c->title, "各单位立案数");
    cr_assert_str_eq(c->value_label, "立案数（件）");
    cr_assert_eq(c->count, 2);
    cr_assert_str_eq(c->labels[1], "建安区");
    cr_assert_float_eq(c->values[1], 11.5, 1e-9);
    cr_assert_eq(c->decimals, 1);

    cr_assert_eq(doc->blocks[3].kind, DOC_PAGE_BREAK);
    cr_assert_eq(doc->blocks[4].kind, DOC_ANNEX_BREAK);
    t = doc->blocks[5].table;
    cr_assert_eq(t->header_rows, 2);
    cr_assert_eq(t->rows, 3);
    cr_assert_null(t->caption);
    cr_assert_not(t->last_row_total);
    cr_assert_str_eq(t->cells[1 * 3 + 2], "年度");
    cr_assert_eq(t->align[1], DOC_ALIGN_CENTER);
    cr_assert_str_eq(doc->blocks[6].text, "尾");

    cr_assert_str_eq(doc->author, "许昌市市场监督管理局");
    cr_assert(doc->draft);
    cr_assert_eq(doc->created, hz_date_from_ymd(2022, 12, 20));
    cr_assert_str_eq(doc->title, "报告");
    doc_free(doc);
}

Test(render, directive_in_loop_repeats)
{
    hz_doc *doc = NULL;
    struct json_object *ctx = ctx_of(table_ctx);
    json_object_object_add(ctx, "xs", json_tokener_parse("[1,2]"));
    hz_error err = {0};
    cr_assert_eq(report_template_render("{{#xs}}\n{{table units}}\n{{/xs}}\n", "t.md", ctx, &doc, &err), HZ_OK);
    cr_assert_eq(doc->count, 2);
    cr_assert_eq(doc->blocks[0].kind, DOC_TABLE);
    cr_assert_eq(doc->blocks[1].kind, DOC_TABLE);
    doc_free(doc);
    json_object_put(ctx);
}

Test(errors, unknown_placeholder_names_line)
{
    expect_error("# 标题\n\n第三行{{city.nope}}\n", "{\"city\":{}}",
                 HZ_M_REPORT_TEMPLATE_UNKNOWN_PLACEHOLDER, "3", "city.nope");
    expect_error("{{#units}}\n{{bad}}\n{{/units}}\n", "{\"units\":[{\"a\":1}]}",
                 HZ_M_REPORT_TEMPLATE_UNKNOWN_PLACEHOLDER, "2", "bad");
    expect_error("a\n{{#nothing}}x{{/nothing}}\n", "{}",
                 HZ_M_REPORT_TEMPLATE_UNKNOWN_PLACEHOLDER, "2", "nothing");
    expect_error("{{@index}}\n", "{}", HZ_M_REPORT_TEMPLATE_UNKNOWN_PLACEHOLDER, "1", "@index");

    hz_error err = {0};
    char *md = NULL;
    struct json_object *ctx = ctx_of("{}");
    report_template_expand("\n{{x}}", "stage.md", ctx, &md, &err);
    char buf[256];
    cr_assert_str_eq(hz_error_render(&err, HZ_LANG_ZH, buf, sizeof buf), "模板 stage.md 第 2 行：未知占位符「x」");
    json_object_put(ctx);
}

Test(errors, sections_and_tags)
{
    expect_error("a\n{{#xs}}\nb\n", "{\"xs\":[]}", HZ_M_REPORT_TEMPLATE_UNCLOSED_SECTION, "2", "xs");
    expect_error("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}\n", "{\"a\":1,\"b\":1}",
                 HZ_M_REPORT_TEMPLATE_MISMATCHED_SECTION, "3", "a");
    expect_error("x\ny\n{{/a}}\n", "{}", HZ_M_REPORT_TEMPLATE_STRAY_CLOSE, "3", "a");
    expect_error("ok\n{{x\n}}\n", "{\"x\":1}", HZ_M_REPORT_TEMPLATE_UNCLOSED_TAG, "2", NULL);
    expect_error("ok\n\n{{  }}\n", "{}", HZ_M_REPORT_TEMPLATE_EMPTY_TAG, "3", NULL);
    expect_error("{{obj}}\n", "{\"obj\":{\"a\":1}}", HZ_M_REPORT_TEMPLATE_NOT_SCALAR, "1", "obj");
    expect_error("ok\n\xff\n", "{}", HZ_M_REPORT_TEMPLATE_NOT_UTF8, "2", NULL);
}

Test(errors, directives)
{
    expect_error("a\n{{tabel units}}\n", table_ctx, HZ_M_REPORT_TEMPLATE_UNKNOWN_DIRECTIVE, "2", "tabel");
    expect_error("a\n\n{{table nope}}\n", table_ctx, HZ_M_REPORT_TEMPLATE_UNKNOWN_TABLE, "3", "nope");
    expect_error("{{chart nope}}\n", table_ctx, HZ_M_REPORT_TEMPLATE_UNKNOWN_CHART, "1", "nope");
    expect_error("x\n见表 {{table units}}\n", table_ctx, HZ_M_REPORT_TEMPLATE_DIRECTIVE_NOT_ALONE, "2", "table");
    expect_error("{{table}}\n", table_ctx, HZ_M_REPORT_TEMPLATE_DIRECTIVE_NAME, "1", "table");
    expect_error("{{pagebreak now}}\n", table_ctx, HZ_M_REPORT_TEMPLATE_DIRECTIVE_NAME, "1", "pagebreak");
    expect_error("\n{{table t}}\n", "{\"tables\":{\"t\":{\"header\":[\"a\",\"b\"],\"rows\":[[1,2],[3]]}}}",
                 HZ_M_REPORT_TEMPLATE_BAD_TABLE, "2", "t");
    expect_error("{{table t}}\n", "{\"tables\":{\"t\":{\"header\":[\"a\"],\"rows\":[[1]],\"align\":[\"middle\"]}}}",
                 HZ_M_REPORT_TEMPLATE_BAD_TABLE, "1", "t");
    expect_error("{{chart c}}\n", "{\"charts\":{\"c\":{\"labels\":[\"a\",\"b\"],\"values\":[1]}}}",
                 HZ_M_REPORT_TEMPLATE_BAD_CHART, "1", "c");
}

Test(errors, bad_table_names_field)
{
    struct json_object *ctx = ctx_of("{\"tables\":{\"t\":{\"header\":[\"a\",\"b\"],\"rows\":[[1,2],[3,[4]]]}}}");
    hz_error err = {0};
    char *md = NULL;
    cr_assert_eq(report_template_expand("{{table t}}", "t.md", ctx, &md, &err), HZ_ERR_TEMPLATE);
    cr_assert_str_eq(err.args[3], "rows[1][1]");
    json_object_put(ctx);
}

Test(errors, context_must_be_object)
{
    struct json_object *ctx = json_object_new_array();
    hz_error err = {0};
    hz_doc *doc = NULL;
    cr_assert_neq(report_template_render("x", "t.md", ctx, &doc, &err), HZ_OK);
    cr_assert_null(doc);
    cr_assert_eq(err.msg, HZ_M_REPORT_TEMPLATE_BAD_CONTEXT);
    json_object_put(ctx);
}

/* ---- shipped templates against the sample context ---- */

static struct json_object *sample_context(void)
{
    struct json_object *ctx = json_object_from_file(HZ_SOURCE_DIR "/tests/fixtures/context/sample-context.json");
    cr_assert_not_null(ctx, "sample-context.json does not parse");
    return ctx;
}

static hz_doc *render_shipped(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/templates/%s", HZ_SOURCE_DIR, name);
    struct json_object *ctx = sample_context();
    hz_error err = {0};
    hz_doc *doc = NULL;
    char buf[1024];
    hz_status st = report_template_render_file(path, ctx, &doc, &err);
    cr_assert_eq(st, HZ_OK, "%s: %s", name, hz_error_render(&err, HZ_LANG_ZH, buf, sizeof buf));
    json_object_put(ctx);
    return doc;
}

static const doc_block *find_block(const hz_doc *doc, doc_block_kind kind, const char *prefix)
{
    for (size_t i = 0; i < doc->count; i++)
        if (doc->blocks[i].kind == kind &&
            (!prefix || (doc->blocks[i].text && strncmp(doc->blocks[i].text, prefix, strlen(prefix)) == 0)))
            return &doc->blocks[i];
    return NULL;
}

static size_t count_kind(const hz_doc *doc, doc_block_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->count; i++)
        n += doc->blocks[i].kind == kind;
    return n;
}

static void check_common(const hz_doc *doc)
{
    cr_assert_eq(doc->blocks[0].kind, DOC_TITLE);
    cr_assert_not_null(find_block(doc, DOC_HEADING1, "一、总体情况"));
    cr_assert_not_null(find_block(doc, DOC_HEADING1, "二、主要做法和成效"));
    /* measures come from content.measures, headings and all */
    cr_assert_not_null(find_block(doc, DOC_HEADING2, "（五）加强知识产权宣传"));
    cr_assert_not_null(find_block(doc, DOC_HEADING2, "（六）落实工作要求"));
    cr_assert_not_null(find_block(doc, DOC_PARAGRAPH, "全市检查实体市场") ||
                       find_block(doc, DOC_PARAGRAPH, "全市纳入重点市场名录的市场23个，检查实体市场642个次，其中"));
    const doc_block *b = find_block(doc, DOC_PARAGRAPH, "专项工作开展以来");
    cr_assert_not_null(b);
    cr_assert(strstr(b->text, "违法案件69件") != NULL, "%s", b->text);
    cr_assert(strstr(b->text, "涉案金额168.60万元") != NULL, "%s", b->text);
    /* merged county points, 一是…二是… */
    cr_assert_not_null(find_block(doc, DOC_PARAGRAPH, "一是建安区、禹州市等3个单位反映，网络案件取证难"));
    cr_assert_not_null(find_block(doc, DOC_PARAGRAPH, "二是魏都区提出，继续开展重点市场明查暗访"));
    cr_assert_null(find_block(doc, DOC_LIST_ITEM, "1．魏都区："));
    b = find_block(doc, DOC_SIGNATURE, NULL);
    cr_assert_not_null(b);
    cr_assert_str_eq(b->text, "许昌市市场监督管理局\n2022年12月20日");
    cr_assert_eq(count_kind(doc, DOC_ANNEX_BREAK), 1);
    cr_assert_geq(count_kind(doc, DOC_TABLE), 5);
    cr_assert_geq(count_kind(doc, DOC_CHART), 1);
    const doc_block *units = NULL;
    for (size_t i = 0; i < doc->count && !units; i++)
        if (doc->blocks[i].kind == DOC_TABLE && strcmp(doc->blocks[i].table->caption, "各单位专项治理主要数据统计表") == 0)
            units = &doc->blocks[i];
    cr_assert_not_null(units);
    cr_assert_eq(units->table->rows, 9);
    cr_assert_str_eq(units->table->cells[8 * units->table->cols + 5], "168.60");
    cr_assert(units->table->last_row_total);
}

/* The round reports: receipt status, the annex of statistics and the
 * county texts in full. */
static void check_round(const hz_doc *doc)
{
    const doc_block *b = find_block(doc, DOC_PARAGRAPH, "全市应报送单位")
                             ? find_block(doc, DOC_PARAGRAPH, "全市应报送单位")
                             : find_block(doc, DOC_PARAGRAPH, "应报送单位");
    cr_assert_not_null(b);
    cr_assert(strstr(b->text, "完整率85.7%") != NULL, "%s", b->text);
    cr_assert(strstr(b->text, "长葛市") != NULL && strstr(b->text, "经开区") != NULL, "%s", b->text);
    cr_assert_not_null(find_block(doc, DOC_PLAIN, "附件1"));
    cr_assert_not_null(find_block(doc, DOC_PLAIN, "附件3：各单位报送材料摘编"));
    cr_assert_not_null(find_block(doc, DOC_PARAGRAPH, "工作开展情况：1. 依托网络交易监测平台"));
}

Test(shipped, stage)
{
    hz_doc *doc = render_shipped("stage.md");
    check_common(doc);
    check_round(doc);
    cr_assert_not_null(find_block(doc, DOC_PARAGRAPH, "全市检查重点商品经营主体1286户次，查扣侵权假冒商品15432件"));
    cr_assert_not_null(find_block(doc, DOC_HEADING1, "八、考核情况"));
    doc_free(doc);
}

Test(shipped, annual)
{
    hz_doc *doc = render_shipped("annual.md");
    check_common(doc);
    check_round(doc);
    cr_assert_str_eq(doc->title, "许昌市市场监督管理局关于2022年打击侵犯知识产权犯罪专项治理工作的年度总结");
    cr_assert_eq(doc->blocks[1].kind, DOC_SUBTITLE);
    cr_assert_str_eq(doc->blocks[1].text, "（征求意见稿）");
    const doc_block *b = find_block(doc, DOC_PARAGRAPH, "与阶段小结相比");
    cr_assert_not_null(b);
    cr_assert(strstr(b->text, "增加38件") != NULL, "%s", b->text);
    cr_assert(strstr(b->text, "未计入3件") != NULL, "%s", b->text);
    cr_assert_not_null(find_block(doc, DOC_HEADING1, "七、考核情况"));
    cr_assert_not_null(find_block(doc, DOC_HEADING3, "1．禹州市某陶瓷商行"));
    doc_free(doc);
}

Test(shipped, final)
{
    hz_doc *doc = render_shipped("final.md");
    check_common(doc);
    cr_assert_str_eq(doc->title, "许昌市市场监督管理局关于2022年打击侵犯知识产权犯罪专项治理工作情况的报告");
    cr_assert_not_null(find_block(doc, DOC_PLAIN, "河南省市场监督管理局："));
    cr_assert_not_null(find_block(doc, DOC_PARAGRAPH, "特此报告。"));
    cr_assert_not_null(find_block(doc, DOC_HEADING1, "四、存在问题"));
    cr_assert_not_null(find_block(doc, DOC_HEADING1, "五、下一步工作打算"));
    /* the opening cites the notice; no county list, no assessment, no files */
    const doc_block *b = find_block(doc, DOC_PARAGRAPH, "按照省知识产权战略实施工作联席会议办公室");
    cr_assert_not_null(b);
    cr_assert(strstr(b->text, "《许昌市市场监督管理局关于印发许昌市打击侵犯知识产权犯罪专项治理实施方案的通知》"));
    cr_assert_null(find_block(doc, DOC_HEADING1, "七、考核情况"));
    cr_assert_null(find_block(doc, DOC_PLAIN, "附件2：报送情况"));
    cr_assert_not_null(find_block(doc, DOC_HEADING3, "1．禹州市某陶瓷商行销售假冒注册商标的卫生洁具案"));
    const doc_block *rounds = NULL;
    for (size_t i = 0; i < doc->count && !rounds; i++)
        if (doc->blocks[i].kind == DOC_TABLE && doc->blocks[i].table->header_rows == 2)
            rounds = &doc->blocks[i];
    cr_assert_not_null(rounds);
    cr_assert_str_eq(rounds->table->cells[rounds->table->rows * rounds->table->cols - 1], "96.20");
    doc_free(doc);
}

Test(shipped, final_without_stage_or_late_units)
{
    struct json_object *ctx = sample_context();
    json_object_object_add(ctx, "has_stage", json_object_new_boolean(0));
    json_object_object_add(ctx, "has_assessment", json_object_new_boolean(0));
    hz_error err = {0};
    hz_doc *doc = NULL;
    char buf[1024];
    cr_assert_eq(report_template_render_file(HZ_SOURCE_DIR "/templates/final.md", ctx, &doc, &err), HZ_OK,
                 "%s", hz_error_render(&err, HZ_LANG_ZH, buf, sizeof buf));
    cr_assert_null(find_block(doc, DOC_PARAGRAPH, "与阶段小结相比"));
    cr_assert_null(find_block(doc, DOC_HEADING1, "七、考核情况"));
    doc_free(doc);
    json_object_put(ctx);
}

Test(shipped, missing_file_is_io_error)
{
    struct json_object *ctx = ctx_of("{}");
    hz_error err = {0};
    hz_doc *doc = NULL;
    cr_assert_eq(report_template_render_file("/nonexistent/x.md", ctx, &doc, &err), HZ_ERR_IO);
    cr_assert_null(doc);
    json_object_put(ctx);
}
