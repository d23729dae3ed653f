/*
 * report_narrative.h - the narrative sections of the province report
 * (主要做法, 存在问题, 下一步工作打算) as numbered points (一是…二是…), DESIGN §7.2.
 *
 * Two sources, per section:
 *   - the city's own narrative file (narrative.md in the configuration folder,
 *     or [report] narrative = PATH in campaign.ini): Markdown with one
 *     "## 主要做法" / "## 存在问题" / "## 下一步工作打算" heading per section;
 *     every paragraph or list item under a heading is one point. It may use
 *     the templates' placeholders ({{city.cases_filed}}); the caller expands
 *     them before report_narrative_parse_city (report_template_expand).
 *   - otherwise a draft from the county 文字材料 (report_narrative_draft): the texts
 *     are split into sentences at 。！？；and line breaks; sentences that carry
 *     figures (any digit) are left out, since the city's figures come from
 *     the consolidation, not from county prose; two sentences are the same
 *     point when they are equal after removing unit names, blanks and
 *     punctuation, or when both keys have at least NARRATIVE_FUZZY_MIN
 *     characters and their character-bigram Dice similarity is at least
 *     NARRATIVE_SIMILARITY (short sentences that differ by one word, such as
 *     加强食品市场检查 / 加强药品市场检查, are different points). Points are ordered by the number of units
 *     that raised them (then by first appearance: unit order, then sentence
 *     order), at most max_points, and carry the units that raised them.
 * Both are deterministic: the same input gives the same points, byte for
 * byte. The library holds no state.
 */
#ifndef HZ_REPORT_NARRATIVE_H
#define HZ_REPORT_NARRATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include "hz_status.h"

#define NARRATIVE_SIMILARITY 0.8
#define NARRATIVE_FUZZY_MIN 10   /* characters of both keys for a near match */
/* Bounded work on untrusted text: the first NARRATIVE_MAX_SENTENCES
 * sentences of each county text, NARRATIVE_MAX_TOTAL in all. */
#define NARRATIVE_MAX_SENTENCES 40
#define NARRATIVE_MAX_TOTAL 2000
#define NARRATIVE_MAX_POINTS 5

typedef enum hz_narrative_kind {
    HZ_NARR_PRACTICES,   /* 主要做法 (from 工作开展情况) */
    HZ_NARR_PROBLEMS,    /* 存在问题 */
    HZ_NARR_NEXT,        /* 下一步工作打算 */
    HZ_NARR__COUNT
} hz_narrative_kind;

/* Heading of a section in narrative.md ("存在问题"). */
const char *report_narrative_heading(hz_narrative_kind kind);

/* One county text of a section. */
typedef struct hz_narrative_source {
    size_t unit;          /* the unit's index (config order) */
    const char *text;     /* "" when the unit wrote nothing */
} hz_narrative_source;

typedef struct hz_narrative_point {
    char *text;           /* the sentence, without its closing 。 */
    size_t *units;        /* indexes of the units that raised it, ascending */
    size_t unit_count;    /* 0 for a point of the city's own file */
} hz_narrative_point;

typedef struct hz_narrative_points {
    hz_narrative_point *items;
    size_t count, cap;
} hz_narrative_points;

/* Drafts the points of one section from the county texts. names[u] is the
 * list of names (full and short) of unit u, name_count[u] how many, removed
 * from the sentences before they are compared. HZ_ERR_NOMEM on failure. */
hz_status report_narrative_draft(const hz_narrative_source *sources, size_t source_count,
                          const char *const *const *names, const size_t *name_count,
                          size_t max_points, hz_narrative_points *out, hz_error *err);

/* Splits the (already expanded) city narrative file into its sections:
 * out[k] receives the points under report_narrative_heading(k); found[k] is true
 * when the file has that heading. Other headings are an error
 * (HZ_ERR_CONFIG naming file_name and the heading). */
hz_status report_narrative_parse_city(const char *markdown, const char *file_name,
                               hz_narrative_points out[HZ_NARR__COUNT],
                               bool found[HZ_NARR__COUNT], hz_error *err);

void report_narrative_points_free(hz_narrative_points *points);

/* "一是", "二是" … "十是" for index 0..9; "" beyond. */
const char *report_narrative_ordinal(size_t index);

/* Similarity of two UTF-8 strings: Dice coefficient of their character
 * bigrams (1.0 equal, 0.0 nothing shared). */
double report_narrative_similarity(const char *a, const char *b);

/* The comparison key of a sentence: names removed, then every blank and
 * punctuation character removed. malloc'd; NULL on out-of-memory. */
char *report_narrative_key(const char *sentence, const char *const *names, size_t name_count);

#endif
