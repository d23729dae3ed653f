/*
 * workbook_contract.h - the submission workbook's contract v1 (DESIGN §4)
 * as data: sheet names, the rows of 基本信息, the columns of 统计表 and
 * 案件明细, the sections of 文字材料, their label texts and which are
 * required. The template writer (fillin.h, libxlsxwriter) writes these
 * labels and the reader (submission.h) finds sheets, rows and columns by
 * them, so both use this module and the reader needs no writer library.
 */
#ifndef HZ_WORKBOOK_CONTRACT_H
#define HZ_WORKBOOK_CONTRACT_H

#include <stdbool.h>
#include "hz_msg.h"

/* Sheet names (contract). */
#define FILLIN_SHEET_GUIDE   "填报说明"
#define FILLIN_SHEET_INFO    "基本信息"
#define FILLIN_SHEET_STATS   "统计表"
#define FILLIN_SHEET_CASES   "案件明细"
#define FILLIN_SHEET_TEXT    "文字材料"
#define FILLIN_SHEET_OPTIONS "选项"

/* 基本信息 rows (column A labels, in this order). */
typedef enum fillin_info_item {
    FILLIN_INFO_UNIT_CODE, FILLIN_INFO_UNIT_NAME, FILLIN_INFO_ROUND,
    FILLIN_INFO_PERIOD_END, FILLIN_INFO_FILL_DATE, FILLIN_INFO_FILLER,
    FILLIN_INFO_PHONE, FILLIN_INFO_REVIEWER, FILLIN_INFO_HEAD,
    FILLIN_INFO_VERSION, FILLIN_INFO_TEMPLATE_VERSION,
    FILLIN_INFO__COUNT
} fillin_info_item;

/* 统计表 header columns (the first five are the contract). */
typedef enum fillin_stats_column {
    FILLIN_STATS_CODE, FILLIN_STATS_NAME, FILLIN_STATS_UOM, FILLIN_STATS_VALUE,
    FILLIN_STATS_NOTE, FILLIN_STATS_MEASURE, FILLIN_STATS_REQUIRED,
    FILLIN_STATS__COUNT
} fillin_stats_column;

/* 案件明细 columns, in contract order. */
typedef enum fillin_case_column {
    FILLIN_CASE_NUMBER, FILLIN_CASE_NAME, FILLIN_CASE_FILED, FILLIN_CASE_CLOSED,
    FILLIN_CASE_STATUS, FILLIN_CASE_CATEGORY, FILLIN_CASE_COMMODITY,
    FILLIN_CASE_CHANNEL, FILLIN_CASE_KEY_MARKET, FILLIN_CASE_RURAL,
    FILLIN_CASE_AMOUNT, FILLIN_CASE_FINE, FILLIN_CASE_TRANSFERRED,
    FILLIN_CASE_CROSS_REGION, FILLIN_CASE_PARTNER, FILLIN_CASE_LEAD_SOURCE,
    FILLIN_CASE_TYPICAL, FILLIN_CASE_SUMMARY, FILLIN_CASE_REMARK,
    FILLIN_CASE__COUNT
} fillin_case_column;

/* 文字材料 sections (column A), in order. */
typedef enum fillin_text_section {
    FILLIN_TEXT_WORK, FILLIN_TEXT_RESULTS, FILLIN_TEXT_PROBLEMS, FILLIN_TEXT_NEXT,
    FILLIN_TEXT__COUNT
} fillin_text_section;

/* Label / header texts of the enums above; NULL when out of range. */
const char *workbook_contract_info_label(fillin_info_item item);
bool workbook_contract_info_required(fillin_info_item item);
const char *workbook_contract_stats_header(fillin_stats_column column);
const char *workbook_contract_case_header(fillin_case_column column);
bool workbook_contract_case_required(fillin_case_column column);
const char *workbook_contract_text_label(fillin_text_section section);

/* Why a folder entry is not a return (HZ_M_NONE when it is a candidate:
 * .xlsx, or a return saved in another format that is examined and refused).
 * is_dir / is_regular describe the entry. Shared by check FOLDER and the
 * consolidation's folder run, so both take the same files. */
hz_msg_id workbook_contract_classify_name(const char *name, bool is_dir, bool is_regular);

#endif
