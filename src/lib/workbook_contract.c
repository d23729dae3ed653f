/* workbook_contract.c - the label and header texts of the submission
 * workbook (contract v1, DESIGN §4); see workbook_contract.h. */
#include "workbook_contract.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const char *const info_labels[FILLIN_INFO__COUNT] = {
    "单位代码", "单位名称", "报送类型", "统计截止日期", "填报日期", "填报人",
    "联系电话", "审核人", "单位负责人", "版本号", "模板版本",
};
static const bool info_required[FILLIN_INFO__COUNT] = {
    true, true, true, true, true, true, true, true, false, false, false,
};
static const char *const stats_headers[FILLIN_STATS__COUNT] = {
    "指标代码", "指标名称", "计量单位", "数值", "说明", "工作举措", "是否必填",
};

static const char *const case_headers[FILLIN_CASE__COUNT] = {
    "案件编号", "案件名称", "立案日期", "结案日期", "办理状态", "案件类别", "商品类别",
    "执法领域", "是否重点实体市场", "是否农村及城乡结合部市场", "涉案金额（万元）",
    "罚没金额（万元）", "是否移送司法机关", "是否跨区域案件", "协查单位代码", "线索来源",
    "是否典型案例", "典型案例简介", "说明",
};
static const bool case_required[FILLIN_CASE__COUNT] = {
    [FILLIN_CASE_NUMBER] = true, [FILLIN_CASE_FILED] = true, [FILLIN_CASE_STATUS] = true,
    [FILLIN_CASE_CATEGORY] = true, [FILLIN_CASE_COMMODITY] = true,
    [FILLIN_CASE_CHANNEL] = true, [FILLIN_CASE_AMOUNT] = true,
    [FILLIN_CASE_TRANSFERRED] = true, [FILLIN_CASE_LEAD_SOURCE] = true,
};
static const char *const text_labels[FILLIN_TEXT__COUNT] = {
    "工作开展情况", "主要成效", "存在问题", "下一步工作打算",
};

const char *workbook_contract_info_label(fillin_info_item item)
{
    return (unsigned)item < FILLIN_INFO__COUNT ? info_labels[item] : NULL;
}

bool workbook_contract_info_required(fillin_info_item item)
{
    return (unsigned)item < FILLIN_INFO__COUNT && info_required[item];
}

const char *workbook_contract_stats_header(fillin_stats_column column)
{
    return (unsigned)column < FILLIN_STATS__COUNT ? stats_headers[column] : NULL;
}

const char *workbook_contract_case_header(fillin_case_column column)
{
    return (unsigned)column < FILLIN_CASE__COUNT ? case_headers[column] : NULL;
}

bool workbook_contract_case_required(fillin_case_column column)
{
    return (unsigned)column < FILLIN_CASE__COUNT && case_required[column];
}

const char *workbook_contract_text_label(fillin_text_section section)
{
    return (unsigned)section < FILLIN_TEXT__COUNT ? text_labels[section] : NULL;
}

/* ------------------------------------------------- files in a folder */

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

hz_msg_id workbook_contract_classify_name(const char *name, bool is_dir, bool is_regular)
{
    if (is_dir)
        return HZ_M_CONSOLIDATE_IGNORED_DIR;
    if (!strncmp(name, "~$", 2))
        return HZ_M_CONSOLIDATE_IGNORED_LOCK;
    if (name[0] == '.')
        return HZ_M_CONSOLIDATE_IGNORED_HIDDEN;
    if (!is_regular)
        return HZ_M_CONSOLIDATE_IGNORED_NOT_REGULAR;
    if (!strcasecmp(name, "receipts.ini"))
        return HZ_M_CONSOLIDATE_IGNORED_RECEIPTS;
    /* a return saved in another format is examined too: it is the unit's
     * return, received and refused (file.ods, file.old_xls, ...), not
     * someone else's file */
    static const char *const examined[] = {".xlsx", ".xls", ".et", ".ods", ".csv"};
    for (size_t i = 0; i < sizeof examined / sizeof examined[0]; i++)
        if (ends_with_ci(name, examined[i]) && strlen(name) > strlen(examined[i]))
            return HZ_M_NONE;
    return HZ_M_CONSOLIDATE_IGNORED_NOT_XLSX;
}

