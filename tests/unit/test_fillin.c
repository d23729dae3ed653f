/* test_fillin.c - the fill-in workbook: layout read back with the project's
 * reader, validations and protection in the XML, names, reproducibility. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fillin.h"
#include "hz_test.h"
#include "hz_test_fixture.h"
#include "hz_test_sheet.h"
#include "xlsx_reader.h"

static bool has_value(const tsheet *s, uint32_t row, uint32_t col)
{
    const tcell *c = cell_at(s, row, col);
    return c && c->type != XLSX_CELL_EMPTY && !(c->type == XLSX_CELL_STRING && !c->text[0]);
}

static hz_config *config;
static char *dir;
static char path[4096];

static void setup(void)
{
    config = hz_test_config();
    dir = hz_test_scratch("fillin");
    const hz_unit *unit = config_find_unit(config, "411002");
    const hz_round *round = config_find_round(config, "stage");
    cr_assert(unit && round);
    snprintf(path, sizeof path, "%s/t.xlsx", dir);
    hz_error err = {0};
    cr_assert_eq(fillin_write(config, unit, round, path, &err), HZ_OK);
}

static void teardown(void)
{
    hz_test_fixture_free(config, dir);
}

TestSuite(fillin, .init = setup, .fini = teardown);

Test(fillin, sheets_in_order)
{
    static const char *const names[] = {"填报说明", "基本信息", "统计表", "案件明细", "文字材料", "选项"};
    xlsx_book *book = NULL;
    hz_error err = {0};
    cr_assert_eq(xlsx_book_open(path, NULL, &book, &err), HZ_OK);
    cr_assert_eq(xlsx_book_sheet_count(book), 6);
    for (size_t i = 0; i < 6; i++)
        cr_assert_str_eq(xlsx_book_sheet_name(book, i), names[i]);
    xlsx_book_close(book);
}

Test(fillin, info_prefilled)
{
    tsheet s = load_sheet(path, "基本信息");
    static const char *const labels[] = {"单位代码", "单位名称", "报送类型", "统计截止日期",
                                         "填报日期", "填报人", "联系电话", "审核人",
                                         "单位负责人", "版本号", "模板版本"};
    for (uint32_t r = 0; r < 11; r++) {
        cr_assert_str_eq(text_at(&s, r, 0), labels[r], "row %u", r);
        cr_assert_str_eq(workbook_contract_info_label((fillin_info_item)r), labels[r]);
        cr_assert_str_eq(text_at(&s, r, 2), r < 8 ? "必填" : "", "required mark row %u", r);
    }
    cr_assert_str_eq(text_at(&s, FILLIN_INFO_UNIT_CODE, 1), "411002");
    cr_assert_str_eq(text_at(&s, FILLIN_INFO_UNIT_NAME, 1), "许昌市魏都区市场监督管理局");
    cr_assert_str_eq(text_at(&s, FILLIN_INFO_ROUND, 1), "阶段小结");
    const tcell *d = cell_at(&s, FILLIN_INFO_PERIOD_END, 1);
    cr_assert_not_null(d);
    cr_assert_eq(d->type, XLSX_CELL_NUMBER);
    cr_assert(d->is_date, "统计截止日期 is not a date cell");
    cr_assert_eq(d->number, hz_date_to_serial(hz_date_from_ymd(2022, 8, 25)));
    const tcell *v = cell_at(&s, FILLIN_INFO_VERSION, 1);
    cr_assert(v && v->type == XLSX_CELL_NUMBER && v->number == 1.0 && !v->is_date);
    const tcell *tv = cell_at(&s, FILLIN_INFO_TEMPLATE_VERSION, 1);
    cr_assert(tv && tv->type == XLSX_CELL_NUMBER);
    cr_assert_eq(tv->number, (double)config->template_version);
    for (uint32_t r = FILLIN_INFO_FILL_DATE; r <= FILLIN_INFO_HEAD; r++)
        cr_assert_not(has_value(&s, r, 1), "row %u should be empty", r);
    free_sheet(&s);
}

Test(fillin, stats_rows_match_config)
{
    tsheet s = load_sheet(path, "统计表");
    static const char *const headers[] = {"指标代码", "指标名称", "计量单位", "数值", "说明"};
    for (uint32_t c = 0; c < 5; c++)
        cr_assert_str_eq(text_at(&s, 0, c), headers[c]);
    cr_assert_eq(s.max_row, config->indicator_count);
    for (size_t i = 0; i < config->indicator_count; i++) {
        const hz_indicator *ind = &config->indicators[i];
        uint32_t r = (uint32_t)i + 1;
        cr_assert_str_eq(text_at(&s, r, 0), ind->code);
        cr_assert_str_eq(text_at(&s, r, 1), ind->name);
        cr_assert_str_eq(text_at(&s, r, 2), ind->uom);
        cr_assert_not(has_value(&s, r, 3), "数值 of %s is not empty", ind->code);
        cr_assert_not(has_value(&s, r, 4));
    }
    free_sheet(&s);
}

Test(fillin, case_headers_in_contract_order)
{
    static const char *const headers[] = {
        "案件编号", "案件名称", "立案日期", "结案日期", "办理状态", "案件类别", "商品类别",
        "执法领域", "是否重点实体市场", "是否农村及城乡结合部市场", "涉案金额（万元）",
        "罚没金额（万元）", "是否移送司法机关", "是否跨区域案件", "协查单位代码", "线索来源",
        "是否典型案例", "典型案例简介", "说明"};
    tsheet s = load_sheet(path, "案件明细");
    cr_assert_eq(FILLIN_CASE__COUNT, 19);
    for (uint32_t c = 0; c < 19; c++) {
        cr_assert_str_eq(text_at(&s, 0, c), headers[c], "column %u", c);
        cr_assert_str_eq(workbook_contract_case_header((fillin_case_column)c), headers[c]);
    }
    cr_assert_null(cell_at(&s, 0, 19));
    cr_assert_eq(s.max_row, 0, "a blank template has no case rows");
    free_sheet(&s);
}

Test(fillin, text_sections)
{
    static const char *const labels[] = {"工作开展情况", "主要成效", "存在问题", "下一步工作打算"};
    tsheet s = load_sheet(path, "文字材料");
    for (uint32_t r = 0; r < 4; r++) {
        cr_assert_str_eq(text_at(&s, r, 0), labels[r]);
        cr_assert_not(has_value(&s, r, 1));
    }
    free_sheet(&s);
}

Test(fillin, guide_mentions_round_and_deadline)
{
    tsheet s = load_sheet(path, "填报说明");
    bool deadline = false, title = false, zero = false;
    for (size_t i = 0; i < s.count; i++) {
        const char *t = s.cells[i].text;
        title |= strstr(t, "许昌市打击侵犯知识产权犯罪专项治理阶段小结报送表填报说明") != NULL;
        deadline |= strstr(t, "2022年8月26日") != NULL && strstr(t, "知识产权保护科") != NULL;
        zero |= strstr(t, "数值留空表示未填报，填 0 表示确实为零") != NULL;
    }
    cr_assert(title && deadline && zero);
    free_sheet(&s);
}

static char *unzip_entry(const char *file, const char *entry)
{
    hz_run run = hz_test_run("unzip -p '%s' '%s'", file, entry);
    cr_assert_eq(run.exit_code, 0, "unzip %s: %s", entry, run.err);
    char *out = run.out;
    run.out = NULL;
    hz_run_free(&run);
    return out;
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

Test(fillin, validations_and_protection_in_xml)
{
    char *cases = unzip_entry(path, "xl/worksheets/sheet4.xml");
    cr_assert_eq(count_of(cases, "<dataValidation "), 12);
    cr_assert_eq(count_of(cases, "type=\"list\""), 10);
    cr_assert(strstr(cases, "<formula1>'选项'!$A$2:$A$3</formula1>"), "办理状态 list");
    cr_assert(strstr(cases, "sqref=\"E2:E501\""), "500 prepared rows");
    cr_assert(strstr(cases, "type=\"date\""));
    cr_assert(strstr(cases, "type=\"decimal\""));
    cr_assert(strstr(cases, "<sheetProtection"));
    cr_assert(strstr(cases, "<autoFilter ref=\"A1:S501\""));
    cr_assert(strstr(cases, "state=\"frozen\""));
    free(cases);
    for (int i = 1; i <= 6; i++) {
        char entry[64];
        snprintf(entry, sizeof entry, "xl/worksheets/sheet%d.xml", i);
        char *xml = unzip_entry(path, entry);
        cr_assert(strstr(xml, "<sheetProtection"), "%s is not protected", entry);
        free(xml);
    }
    char *stats = unzip_entry(path, "xl/worksheets/sheet3.xml");
    cr_assert_eq(count_of(stats, "<dataValidation "), config->indicator_count);
    cr_assert(strstr(stats, "type=\"whole\""));
    free(stats);
    char *wb = unzip_entry(path, "xl/workbook.xml");
    cr_assert(strstr(wb, "name=\"选项\" sheetId=\"6\" state=\"hidden\""), "%s", wb);
    free(wb);
    char *core = unzip_entry(path, "docProps/core.xml");
    cr_assert(strstr(core, "<dc:creator>许昌市魏都区市场监督管理局</dc:creator>"));
    cr_assert(strstr(core, "2022-08-26T00:00:00Z"), "created from the deadline: %s", core);
    free(core);
}

Test(fillin, byte_identical_twice)
{
    char again[4200];
    snprintf(again, sizeof again, "%s/again.xlsx", dir);
    hz_error err = {0};
    cr_assert_eq(fillin_write(config, config_find_unit(config, "411002"),
                              config_find_round(config, "stage"), again, &err), HZ_OK);
    cr_assert(hz_test_files_equal(path, again));
    snprintf(again, sizeof again, "%s/annual.xlsx", dir);
    cr_assert_eq(fillin_write(config, config_find_unit(config, "411002"),
                              config_find_round(config, "annual"), again, &err), HZ_OK);
    cr_assert_not(hz_test_files_equal(path, again));
}

Test(fillin, no_temporary_left_and_io_error)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') {
            cr_assert_str_eq(e->d_name, "t.xlsx");
            files++;
        }
    closedir(d);
    cr_assert_eq(files, 1);
    char bad[4200];
    snprintf(bad, sizeof bad, "%s/missing/t.xlsx", dir);
    hz_error err = {0};
    cr_assert_eq(fillin_write(config, &config->units[0], &config->rounds[0], bad, &err),
                 HZ_ERR_IO);
    cr_assert_eq(err.msg, HZ_M_IO_WRITE);
    cr_assert_neq(access(bad, F_OK), 0);
    cr_assert_eq(fillin_write(NULL, &config->units[0], &config->rounds[0], bad, &err),
                 HZ_ERR_USAGE);
}

Test(fillin, file_names)
{
    char buf[512];
    cr_assert(fillin_file_name(config_find_unit(config, "411002"),
                               config_find_round(config, "annual"), buf, sizeof buf));
    cr_assert_str_eq(buf, "411002-许昌市魏都区市场监督管理局-年度总结.xlsx");
    hz_unit odd = {.code = "900001", .name = "a/b\\c:d*e?f\"g<h>i|j\tk", .short_name = "x"};
    cr_assert(fillin_file_name(&odd, config_find_round(config, "stage"), buf, sizeof buf));
    cr_assert_str_eq(buf, "900001-a_b_c_d_e_f_g_h_i_j_k-阶段小结.xlsx");
    cr_assert_not(fillin_file_name(&odd, config_find_round(config, "stage"), buf, 10));
    cr_assert_str_eq(buf, "");
}

Test(fillin, filled_values_round_trip)
{
    fillin_case k = {
        .number = "411002-2022-0001", .name = "测试案", .filed = hz_date_from_ymd(2022, 7, 1),
        .closed = hz_date_from_ymd(2022, 7, 20), .status = "已结案", .category = "商标侵权假冒",
        .commodity = "食品", .channel = "实体市场", .key_market = FILLIN_YES,
        .rural = FILLIN_NO, .amount = 12345, .has_amount = true, .fine = 5000,
        .has_fine = true, .transferred = FILLIN_NO, .cross_region = FILLIN_NO,
        .lead_source = "日常检查", .typical = FILLIN_NO,
    };
    double values[64] = {0};
    values[0] = 12;
    bool present[64] = {false};
    present[0] = true;
    fillin_values v = {.fill_date = hz_date_from_ymd(2022, 8, 25), .filler = "王伟",
                       .phone = "0374-1234567", .version = 3, .indicator_values = values,
                       .indicator_present = present, .cases = &k, .case_count = 1,
                       .texts = {"甲", "乙", NULL, "丁"}};
    cr_assert_leq(config->indicator_count, 64);
    char filled[4200];
    snprintf(filled, sizeof filled, "%s/filled.xlsx", dir);
    hz_error err = {0};
    cr_assert_eq(fillin_write_values(config, &config->units[0], config_find_round(config, "stage"),
                                     &v, filled, &err), HZ_OK);
    tsheet info = load_sheet(filled, "基本信息");
    const tcell *fd = cell_at(&info, FILLIN_INFO_FILL_DATE, 1);
    cr_assert(fd && fd->is_date && fd->number == hz_date_to_serial(v.fill_date));
    cr_assert_str_eq(text_at(&info, FILLIN_INFO_PHONE, 1), "0374-1234567");
    cr_assert_eq(cell_at(&info, FILLIN_INFO_VERSION, 1)->number, 3.0);
    free_sheet(&info);
    tsheet stats = load_sheet(filled, "统计表");
    cr_assert_eq(cell_at(&stats, 1, 3)->number, 12.0);
    cr_assert_not(has_value(&stats, 2, 3));
    free_sheet(&stats);
    tsheet cases = load_sheet(filled, "案件明细");
    cr_assert_str_eq(text_at(&cases, 1, FILLIN_CASE_NUMBER), "411002-2022-0001");
    cr_assert(cell_at(&cases, 1, FILLIN_CASE_FILED)->is_date);
    cr_assert_float_eq(cell_at(&cases, 1, FILLIN_CASE_AMOUNT)->number, 1.2345, 1e-9);
    cr_assert_float_eq(cell_at(&cases, 1, FILLIN_CASE_FINE)->number, 0.5, 1e-9);
    cr_assert_str_eq(text_at(&cases, 1, FILLIN_CASE_KEY_MARKET), "是");
    cr_assert_str_eq(text_at(&cases, 1, FILLIN_CASE_RURAL), "否");
    cr_assert_not(has_value(&cases, 1, FILLIN_CASE_PARTNER));
    cr_assert_eq(cases.max_row, 1);
    free_sheet(&cases);
    char *xml = unzip_entry(filled, "xl/worksheets/sheet4.xml");
    cr_assert(strstr(xml, "sqref=\"E2:E502\""), "prepared rows beyond the last case");
    free(xml);
}
