/*
 * fillin.h - the submission workbook (报送表, DESIGN §4) written with
 * libxlsxwriter: the blank fill-in template of `huizong template` and, with
 * values, the filled samples of `huizong synth` (one code path for the
 * layout, so a sample always looks exactly like a template).
 *
 * Layout (contract v1). Sheets, in order:
 *   填报说明  instructions composed from the configuration;
 *   基本信息  column A label, column B value, column C "必填" for a required
 *             item (labels carry no '*': the reader matches column A text
 *             exactly), column D a hint. Rows, in order: 单位代码, 单位名称,
 *             报送类型, 统计截止日期, 填报日期, 填报人, 联系电话, 审核人,
 *             单位负责人, 版本号, 模板版本. 单位代码/单位名称/报送类型/
 *             统计截止日期/模板版本 are prefilled and locked; 版本号 is
 *             prefilled with 1 and editable;
 *   统计表    header row 指标代码, 指标名称, 计量单位, 数值, 说明, then the
 *             informative columns 工作举措, 是否必填; one row per indicator in
 *             configuration order; 数值 has a number validation (whole
 *             number >= 0 for counts) and the indicator note as input message;
 *   案件明细  header row with the FILLIN_CASE_* columns in this order; at
 *             least FILLIN_CASE_ROWS unlocked rows with dropdowns, date and
 *             amount validation; frozen header and autofilter;
 *   文字材料  column A section (FILLIN_TEXT_*), column B text;
 *   选项      hidden: one enumeration per column (row 1 its title), the
 *             source of every dropdown.
 * Every sheet is protected without a password; only input cells are
 * unlocked (and shaded light yellow). Dates are real date cells (yyyy-mm-dd).
 *
 * Files are reproducible: the document's creation time comes from the round
 * (its deadline) or from the fill date, never from the clock, so the same
 * input gives byte-identical files. Writes are atomic: a temporary file in
 * the target folder renamed over the target on success.
 */
#ifndef HZ_FILLIN_H
#define HZ_FILLIN_H

#include <stdbool.h>
#include <stddef.h>
#include "config.h"
#include "hz_amount.h"
#include "hz_date.h"
#include "hz_status.h"
#include "workbook_contract.h"

/* Prepared (unlocked, validated) case rows in a blank template; a filled
 * workbook gets at least this many beyond its last case. */
#define FILLIN_CASE_ROWS 500

/* A yes/no cell: blank, or the configuration's yes/no word. */
typedef enum fillin_yesno { FILLIN_BLANK = 0, FILLIN_NO, FILLIN_YES } fillin_yesno;

/* One row of 案件明细. Text pointers may be NULL (blank cell); they are only
 * borrowed for the duration of the write. */
typedef struct fillin_case {
    const char *number, *name;
    hz_date filed, closed;          /* HZ_DATE_NONE: blank */
    const char *status, *category, *commodity, *channel;
    fillin_yesno key_market, rural;
    hz_amount amount, fine;
    bool has_amount, has_fine;
    fillin_yesno transferred, cross_region;
    const char *partner;            /* 协查单位代码 */
    const char *lead_source;
    fillin_yesno typical;
    const char *summary, *remark;
} fillin_case;

/* The values of a filled workbook. Every pointer may be NULL (blank). */
typedef struct fillin_values {
    hz_date fill_date;              /* HZ_DATE_NONE: blank */
    const char *filler, *phone, *reviewer, *head;
    int version;                    /* <= 0: the default 1 */
    /* Parallel to config->indicators (indicator_count entries each). */
    const double *indicator_values;
    const bool *indicator_present;  /* NULL: all present */
    const char *const *indicator_notes;
    const fillin_case *cases;
    size_t case_count;
    const char *texts[FILLIN_TEXT__COUNT];
} fillin_values;

/* Writes the blank fill-in workbook of unit for round to path (atomic).
 * Errors: HZ_ERR_USAGE for NULL arguments, HZ_ERR_IO when the file cannot be
 * written (HZ_M_FILLIN_XLSX / HZ_M_IO_*). */
hz_status fillin_write(const hz_config *config, const hz_unit *unit, const hz_round *round,
                       const char *path, hz_error *err);

/* Same layout with values filled in (values NULL: the blank template). */
hz_status fillin_write_values(const hz_config *config, const hz_unit *unit,
                              const hz_round *round, const fillin_values *values,
                              const char *path, hz_error *err);

/* "<单位代码>-<单位名称>-<阶段小结|年度总结>.xlsx" into buf; characters not
 * allowed in file names (/ \ : * ? " < > | and control characters) become
 * '_'. Returns false (buf then holds "") when it does not fit. */
bool fillin_file_name(const hz_unit *unit, const hz_round *round, char *buf, size_t size);

#endif
