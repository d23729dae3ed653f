/*
 * config.h - the campaign configuration (DESIGN §3).
 *
 * A configuration is a folder of five INI files read with iniparser:
 * campaign.ini, units.ini, indicators.ini, rules.ini, lists.ini. The loader
 * validates everything and either returns a complete hz_config or an error
 * list; it never half-loads. All strings are owned by the hz_config and
 * freed by config_free(). Arrays keep the order of the files.
 *
 * INI layout (section names are lower-cased by iniparser; codes therefore
 * live in keys, never in section names):
 *
 * campaign.ini
 *   [campaign]  name, authority, section (科室), contact, phone, year,
 *               start, end (YYYY-MM-DD), template_version (integer >= 1),
 *               stage_folder (optional, for annual continuity),
 *               utc_offset_minutes (the campaign's time zone, minutes east
 *               of UTC; default 480 = UTC+08:00; receipt times of huizong
 *               serve are written in it)
 *   [phase.ID]  name, first, last           (one per phase, in order)
 *   [round.ID]  name (阶段小结/年度总结), period_start, period_end, deadline,
 *               move_to_workday (yes/no)    (ID is stage or annual)
 *   [calendar]  holidays = comma list of dates; workdays = comma list of
 *               weekend dates that are working days (调休)
 *   [report]    title, recipient, signature, font_title, font_body,
 *               font_heading1, font_heading2, font_page, font_fallbacks (comma
 *               lists of fontconfig families), title_words (comma list),
 *               amount_decimals (0..4), typical_cases (1..10, default 5),
 *               narrative (path of the city's narrative file relative to the
 *               folder; default narrative.md when that file exists;
 *               report_narrative.h)
 *   [limits]    max_entry_bytes, max_total_bytes, max_ratio, max_entries,
 *               max_cell_chars, max_rows, max_cols, max_shared_strings,
 *               max_xml_depth, max_text_bytes, max_issues_per_rule,
 *               max_upload_bytes (all optional, defaults below)
 *   [measures]  一, 二, 三, 四, 五, 工作要求 = the heading of each measure in
 *               the report (optional; default: the 2022 notice's wording);
 *               N.channels, N.commodities = lists.ini channels / commodities
 *               whose case figures the report states under measure N
 *   [outliers]  threshold (robust z), min_units
 *   [assessment] w_timeliness, w_quality, w_completeness, w_results,
 *               late_deduction_per_day, error_deduction, warning_deduction,
 *               grade_excellent, grade_good, grade_pass (lowest total of
 *               优秀, 良好, 合格; below: 不合格)
 * units.ini
 *   [any-id]    code (6 characters), name, short, kind
 *               (county | district | zone | branch)
 * indicators.ini
 *   [any-id]    code, name, uom (计量单位), measure (一 二 三 四 五 or 工作要求),
 *               type (count | amount), over_rounds (cumulative | stock),
 *               required (yes | no), note (optional help text),
 *               part_of (optional: code of an indicator of the same measure
 *               and type this one is a subset of; adds the rule
 *               part_of.CODE "CODE <= WHOLE" unless rules.ini has it)
 * rules.ini
 *   [any-id]    id, expr ("left op right"), severity (error | warning),
 *               missing (never_skip | skip_if_any_missing | skip_if_all_missing), message,
 *               message_en
 * lists.ini
 *   [case_category] [commodity] [channel] [lead_source] [case_status]
 *               items = comma list (full-width commas accepted)
 *   [yes_no]    yes, no, yes_aliases, no_aliases (comma lists)
 *   [header_aliases] canonical header = comma list of accepted alternatives
 */
#ifndef HZ_CONFIG_H
#define HZ_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hz_date.h"
#include "hz_status.h"

typedef enum hz_unit_kind {
    HZ_UNIT_COUNTY, HZ_UNIT_DISTRICT, HZ_UNIT_ZONE, HZ_UNIT_BRANCH
} hz_unit_kind;

typedef enum hz_value_type { HZ_VALUE_COUNT, HZ_VALUE_AMOUNT } hz_value_type;
typedef enum hz_round_agg { HZ_AGG_CUMULATIVE, HZ_AGG_STOCK } hz_round_agg;
typedef enum hz_severity { HZ_SEV_ERROR, HZ_SEV_WARNING, HZ_SEV_NOTICE } hz_severity;
typedef enum hz_missing_strategy {
    HZ_MISSING_NEVER_SKIP,      /* missing operands count as 0 */
    HZ_MISSING_SKIP_IF_ANY,     /* rule skipped when any operand is missing */
    HZ_MISSING_SKIP_IF_ALL      /* rule skipped only when all are missing */
} hz_missing_strategy;

typedef struct hz_phase {
    char *id;          /* deploy */
    char *name;        /* 安排部署 */
    hz_date first, last;
} hz_phase;

typedef struct hz_round {
    char *id;          /* stage | annual */
    char *name;        /* 阶段小结 | 年度总结 */
    hz_date period_start, period_end, deadline;
    bool move_to_workday;
} hz_round;

typedef struct hz_unit {
    char *code;        /* 411002 */
    char *name;        /* 许昌市魏都区市场监督管理局 */
    char *short_name;  /* 魏都区 */
    hz_unit_kind kind;
} hz_unit;

typedef struct hz_indicator {
    char *code;        /* A01 */
    char *name;
    char *uom;         /* 人次 */
    char *measure;     /* 一..五 or 工作要求 */
    char *note;        /* may be "" */
    char *part_of;     /* code of the indicator this one is a subset of
                          (written "其中" after it; validated part <= whole),
                          "" when none */
    hz_value_type type;
    hz_round_agg over_rounds;
    bool required;
} hz_indicator;

typedef struct hz_rule {
    char *id;
    char *expr;
    char *message;     /* Chinese */
    char *message_en;
    hz_severity severity;
    hz_missing_strategy missing;
} hz_rule;

typedef struct hz_list {
    char **items;
    size_t count;
    size_t cap;                    /* capacity of items (hz_array_reserve) */
} hz_list;

typedef struct hz_alias {
    char *canonical;   /* header text as in the template */
    hz_list alternatives;
} hz_alias;

typedef struct hz_limits {
    uint64_t max_entry_bytes;     /* default 64 MiB */
    uint64_t max_total_bytes;     /* default 256 MiB */
    uint32_t max_ratio;           /* default 200 */
    uint32_t max_entries;         /* default 1000 */
    uint32_t max_cell_chars;      /* default 32767 */
    uint32_t max_rows;            /* default 1048576 */
    uint32_t max_cols;            /* default 16384 */
    uint32_t max_shared_strings;  /* default 2000000 */
    uint32_t max_xml_depth;       /* default 64 */
    uint64_t max_text_bytes;      /* default 64 MiB: text kept from one file */
    uint32_t max_issues_per_rule; /* default 100: per rule and file, then one summary */
    uint64_t max_upload_bytes;    /* default 20 MiB: a larger upload to
                                     huizong serve is answered 413 */
} hz_limits;

typedef struct hz_report_settings {
    char *title, *recipient, *signature;
    /* fontconfig families per role, tried in order */
    hz_list font_title, font_body, font_heading1, font_heading2, font_page;
    hz_list font_fallbacks;  /* for characters a role's font lacks */
    hz_list title_words;     /* words a title line may not break inside,
                                besides the authority, campaign and unit names */
    int amount_decimals;
    int typical_cases;             /* typical cases in the final report, 1..10 */
    char *narrative_name;          /* the city's narrative file (base name),
                                      "" when there is none */
    char *narrative_text;          /* its text, NULL when there is none */
} hz_report_settings;

typedef struct hz_assessment_weights {
    double w_timeliness, w_quality, w_completeness, w_results;
    double late_deduction_per_day, error_deduction, warning_deduction;
    double grade_excellent, grade_good, grade_pass;
} hz_assessment_weights;

typedef struct hz_config {
    char *dir;                     /* folder it was loaded from */
    char *name, *authority, *section, *contact, *phone;
    int year;
    hz_date start, end;
    int template_version;
    char *stage_folder;            /* "" when unset */
    char *notice;                  /* title of the campaign's notice, cited in
                                      the report's opening ("" when unset) */
    char *basis;                   /* the higher authority's plan the notice
                                      implements ("" when unset) */
    char *measure_names[6];        /* [measures] heading of 一..五, 工作要求
                                      (加强重点商品执法); "" when unset */
    hz_list measure_channels[6];   /* [measures] N.channels: 执法领域 whose
                                      cases the report states under N */
    hz_list measure_commodities[6];/* [measures] N.commodities: 商品类别 likewise */
    char *topic;                   /* the campaign as the notice quotes it
                                      (打击侵犯知识产权犯罪专项治理); name when unset */
    int utc_offset_minutes;        /* time zone of receipt times */

    hz_phase *phases;       size_t phase_count, phase_cap;
    hz_round *rounds;       size_t round_count, round_cap;
    hz_date *holidays;      size_t holiday_count;   /* sorted */
    hz_date *workdays;      size_t workday_count;   /* sorted */
    hz_report_settings report;
    hz_limits limits;
    double outlier_threshold;
    int outlier_min_units;
    hz_assessment_weights assessment;

    hz_unit *units;           size_t unit_count, unit_cap;
    /* the units by code (config_index_units), NULL until then: a lookup
     * per case row must not scan 2,850 units (issue 19) */
    const hz_unit **units_by_code;
    hz_indicator *indicators; size_t indicator_count, indicator_cap;
    hz_rule *rules;           size_t rule_count, rule_cap;

    hz_list case_categories, commodities, channels, lead_sources, case_statuses;
    char *yes_word, *no_word;
    hz_list yes_aliases, no_aliases;
    hz_alias *aliases;        size_t alias_count;
} hz_config;

/* One configuration problem: file, section, key and what is wrong. */
typedef struct hz_config_problem {
    char file[64];
    char section[128];
    char key[128];
    hz_error error;
} hz_config_problem;

typedef struct hz_config_problems {
    hz_config_problem *items;
    size_t count;
    size_t cap;
} hz_config_problems;

/* Loads and validates the folder dir. On success *out is a new config and
 * problems is empty. On failure returns HZ_ERR_CONFIG (or HZ_ERR_IO /
 * HZ_ERR_NOMEM), *out is NULL and problems lists every problem found (the
 * caller frees it with config_problems_free). */
hz_status config_load(const char *dir, hz_config **out, hz_config_problems *problems);
void config_free(hz_config *config);
/* Frees the items of list and empties it (the list itself is not freed). */
void config_list_free(hz_list *list);
void config_problems_free(hz_config_problems *problems);

/* Index 0..5 of a measure numeral (一..五, 工作要求); -1 when unknown. */
int config_measure_index(const char *numeral);

/* Lookups; NULL when absent. */
const hz_unit *config_find_unit(const hz_config *config, const char *code);

/* Sorts the units by code into config->units_by_code, so that
 * config_find_unit is a binary search (without it, a scan); the loaders
 * call it once the units are read. false when memory runs out. */
bool config_index_units(hz_config *config);
const hz_indicator *config_find_indicator(const hz_config *config, const char *code);
/* true when indicator i is the first of its measure in configuration order
 * (the reports group a measure's indicators where it first appears). */
bool config_measure_first(const hz_config *config, size_t i);
const hz_round *config_find_round(const hz_config *config, const char *id);
/* The round whose name (阶段小结) or id (stage) is text. */
const hz_round *config_find_round_by_word(const hz_config *config, const char *text);
/* Phase containing date, or NULL. */
const hz_phase *config_phase_of(const hz_config *config, hz_date date);
bool config_list_contains(const hz_list *list, const char *item);

/* The deadline of round, moved to the next working day when the round says
 * so and the deadline falls on a holiday or a weekend not in workdays. */
hz_date config_effective_deadline(const hz_config *config, const hz_round *round);
bool config_is_workday(const hz_config *config, hz_date date);

#endif
