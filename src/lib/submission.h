/*
 * submission.h - one county's workbook as a plain struct (DESIGN §4).
 *
 * submission_read() opens a workbook with the XLSX reader, finds sheets by
 * name and columns by header text (order free, configured aliases allowed,
 * extra columns ignored with a notice), parses every value, and records
 * each problem it meets while reading (structure and cell checks) in the
 * issue list. Semantic checks (row, table, rules, header, continuity) are
 * validate.h's job and work on this struct only.
 *
 * Every value remembers its worksheet row (1-based as Excel shows it); the
 * column of each case field is in the submission's column map, so a cell
 * reference is col letter + row.
 */
#ifndef HZ_SUBMISSION_H
#define HZ_SUBMISSION_H

#include <stdbool.h>
#include <stdint.h>
#include "config.h"
#include "hz_amount.h"
#include "hz_date.h"
#include "issue.h"

#define HZ_SHEET_GUIDE     "填报说明"
#define HZ_SHEET_HEADER    "基本信息"
#define HZ_SHEET_VALUES    "统计表"
#define HZ_SHEET_CASES     "案件明细"
#define HZ_SHEET_NARRATIVE "文字材料"

/* 基本信息 fields, in template order. */
typedef enum hz_header_field {
    HZ_H_UNIT_CODE, HZ_H_UNIT_NAME, HZ_H_ROUND, HZ_H_PERIOD_END, HZ_H_FILL_DATE,
    HZ_H_FILLER, HZ_H_PHONE, HZ_H_REVIEWER, HZ_H_LEADER, HZ_H_VERSION,
    HZ_H_TEMPLATE_VERSION, HZ_H__COUNT
} hz_header_field;

/* 案件明细 columns, in template order. */
typedef enum hz_case_field {
    HZ_C_CASE_NO, HZ_C_NAME, HZ_C_FILED, HZ_C_CLOSED, HZ_C_STATUS, HZ_C_CATEGORY,
    HZ_C_COMMODITY, HZ_C_CHANNEL, HZ_C_KEY_MARKET, HZ_C_RURAL, HZ_C_AMOUNT, HZ_C_FINE,
    HZ_C_TRANSFERRED, HZ_C_CROSS_REGION, HZ_C_ASSIST_UNITS, HZ_C_LEAD_SOURCE,
    HZ_C_TYPICAL, HZ_C_TYPICAL_SUMMARY, HZ_C_NOTE, HZ_C__COUNT
} hz_case_field;

/* 文字材料 sections. */
typedef enum hz_narrative_section {
    HZ_N_WORK, HZ_N_RESULTS, HZ_N_PROBLEMS, HZ_N_NEXT, HZ_N__COUNT
} hz_narrative_section;

/* Header text / label of each field, as the template writes them. */
const char *submission_header_label(hz_header_field field);
const char *submission_case_column(hz_case_field field);
const char *submission_narrative_label(hz_narrative_section section);
bool submission_header_required(hz_header_field field);
bool submission_case_required(hz_case_field field);

/* Tri-state for yes/no cells. */
typedef enum hz_tristate { HZ_UNSET = -1, HZ_NO = 0, HZ_YES = 1 } hz_tristate;

typedef struct hz_header {
    char *text[HZ_H__COUNT];      /* trimmed text as found ("" when empty) */
    uint32_t row[HZ_H__COUNT];    /* 0 when the label was not found */
    hz_date period_end;           /* HZ_DATE_NONE when missing/invalid */
    hz_date fill_date;
    int version;                  /* 1 when empty; 0 when invalid */
} hz_header;

typedef struct hz_value {
    const hz_indicator *indicator;  /* points into the config */
    bool present;                   /* false: 数值 empty (missing, not 0) */
    bool valid;                     /* false: present but unparsable */
    hz_amount value;                /* counts and amounts, x HZ_AMOUNT_SCALE */
    char *note;                     /* 说明, "" when empty */
    uint32_t row;                   /* 0 when the indicator row is absent */
} hz_value;

/* A case's ten texts (case_no … note) sit in one allocation, owned by
 * case_no, which is its start: free case_no alone (submission_free does). */
typedef struct hz_case {
    /* widest fields first and the yes/no cells a byte each: 120 bytes,
     * not 160 with enums in the contract's column order (2.85 million
     * records at national scale, issue 19) */
    char *case_no, *name;
    char *status, *category, *commodity, *channel, *lead_source;
    char *assist_units;             /* 协查单位代码 as written ("" when none) */
    char *typical_summary, *note;
    hz_amount amount, fine;         /* 0 when empty */
    hz_date filed, closed;          /* HZ_DATE_NONE when empty/invalid */
    uint32_t row;
    uint32_t invalid;               /* bit (1 << hz_case_field) per cell that
                                       held a value that could not be read */
    int8_t key_market, rural, transferred, cross_region, typical; /* hz_tristate */
    bool is_closed;                 /* 办理状态 == 已结案 */
    bool has_amount, has_fine;
} hz_case;

typedef struct hz_submission {
    char *path;                     /* as given */
    char *file_name;                /* base name */
    char sha256[65];                /* of the file's bytes */
    uint64_t size;
    hz_header header;
    const hz_unit *unit;            /* from header code; NULL when unknown */
    const hz_round *round;          /* from header round word; NULL when unknown */
    hz_value *values;               /* one per config indicator, config order */
    uint32_t value_col;             /* 0-based column of 统计表's 数值; UINT32_MAX
                                       when absent */
    size_t value_count;
    hz_case *cases;
    size_t case_count;
    uint32_t case_col[HZ_C__COUNT]; /* 0-based column; UINT32_MAX when absent */
    char *narrative[HZ_N__COUNT];   /* "" when empty */
    uint32_t narrative_row[HZ_N__COUNT];
    bool readable;                  /* false: not a workbook at all (see issues) */
} hz_submission;

/* Reads path. Returns HZ_OK when the file could be read as a workbook (it may
 * still have issues), HZ_ERR_FORMAT / HZ_ERR_LIMIT / HZ_ERR_IO when it could
 * not (then one clear issue says why, and sub->readable is false). The
 * submission is always initialised and must be freed with submission_free. */
hz_status submission_read(const char *path, const hz_config *config, hz_submission *sub,
                          hz_issue_list *issues, hz_error *err);
void submission_free(hz_submission *sub);

/* Cell reference of a case field ("F12"); "" when the column is absent. */
const char *submission_case_cell(const hz_submission *sub, const hz_case *c,
                                 hz_case_field field, char *buf, size_t size);

/* Case-derived figures of one submission (the rule_expr case_* names). */
/* The 执法领域 words the case figures case_online / case_physical count;
 * lists.ini must use them (the loader's default list does). */
#define HZ_CHANNEL_PHYSICAL "实体市场"
#define HZ_CHANNEL_ONLINE   "电子商务"

typedef struct hz_case_totals {
    int64_t filed, closed, open, transferred, typical, key_market, rural, online,
        physical, cross_region;
    hz_amount amount, fine;
} hz_case_totals;
void submission_case_totals(const hz_submission *sub, hz_case_totals *out);

#endif
