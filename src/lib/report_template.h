/*
 * report_template.h - Markdown report templates expanded against a JSON
 * context and turned into an hz_doc (report_doc.h).
 *
 * Two stages, so that every template error names the template line:
 *   1. expansion (report_template_expand): the raw template text is scanned
 *      line by line; {{...}} tags are replaced by values from the context.
 *   2. mapping: the expanded Markdown is parsed with cmark and its tree is
 *      mapped onto hz_doc blocks.
 * A template error never produces a doc: *out stays NULL.
 *
 * TEMPLATE LANGUAGE (templates/README.md is the user reference)
 *   {{a.b.c}}        value at a dotted path. The first name is looked up in
 *                    the innermost section item, then outwards to the root;
 *                    the rest is looked up inside what was found (a name
 *                    of digits indexes an array from 0: {{units.0.name}}).
 *                    Strings are Markdown-escaped (\* \# \| ... and a leading
 *                    "1." stay literal text); line breaks inside a string
 *                    become one soft break so the value stays in its block.
 *                    Integers print plainly, doubles with at most 2 decimals,
 *                    true/false as 是/否, null as nothing. A list or object
 *                    is an error.
 *   {{&a.b}}         the same value inserted without Markdown escaping.
 *   {{.}}            the current section item.
 *   {{#x}}...{{/x}}  section: repeated for each item of an array; rendered
 *                    once (with x as the current item) for a true value,
 *                    a non-empty object, a non-empty string or a non-zero
 *                    number; skipped for false, null, 0, "", [] and {}.
 *                    A missing x is an unknown placeholder (typo guard).
 *   {{^x}}...{{/x}}  inverted section: rendered when x is missing, false,
 *                    null, 0, "", [] or {}.
 *   {{@index}}       1-based index of the innermost array item.
 *   {{@count}}       length of the innermost array.
 *   {{@sep}}         "、" between items, "" after the last one.
 *   {{@sep_and}}     "、" between items, "和" before the last, "" after it
 *                    ("魏都区、建安区和鄢陵县").
 *   {{! comment }}   removed.
 *   A line holding only section tags and comments (and blanks) is removed
 *   with its line break, so section tags can sit on lines of their own.
 *   Block directives, each alone on its line:
 *   {{table NAME}}   the table context.tables.NAME
 *   {{chart NAME}}   the bar chart context.charts.NAME
 *   {{pagebreak}}    new page          {{annex}}  new landscape annex page
 *   Unknown placeholders and directives, unclosed or mismatched sections,
 *   unknown or malformed tables/charts are HZ_ERR_TEMPLATE errors with the
 *   template name and line ({1} = name, {2} = line in the messages).
 *
 * MARKDOWN MAPPING
 *   # (every level-1 heading) -> DOC_TITLE (the first also sets doc->title)
 *   *whole paragraph emphasized* right after the first title -> DOC_SUBTITLE
 *   ## -> DOC_HEADING1, ### -> DOC_HEADING2, #### (and deeper) -> DOC_HEADING3
 *   paragraph -> DOC_PARAGRAPH; one starting with "附件", or one ending with
 *   "：" right after the title/subtitle (主送机关), -> DOC_PLAIN
 *   list item -> DOC_LIST_ITEM ("N．" prefixed for ordered lists, no marker
 *   for bullets); paragraph in a block quote -> DOC_SIGNATURE (line breaks
 *   kept as \n); code block -> DOC_PLAIN; --- -> DOC_PAGE_BREAK; raw HTML is
 *   dropped. Inline markup is stripped to its text. A soft line break joins
 *   lines without a space next to CJK text and with one between Latin words.
 *   Document info: doc->author = campaign.authority, doc->draft = !report.final,
 *   doc->created = report.date (YYYY-MM-DD), when present.
 *
 * CONTEXT SHAPE (the consolidation writes exactly this; see
 * tests/fixtures/context/sample-context.json). Amounts are preformatted
 * strings in 万元 ("123.45"); counts are integers; rates are strings ("85.7%").
 *   campaign   {name, authority, year, section, notice, basis, topic}
 *   report     {title, recipient, signature, date (YYYY-MM-DD), date_zh,
 *               round_name, final (bool)}
 *   round      {id ("stage"|"annual"|"final"), name, deadline_zh}
 *   city       {cases_filed, cases_closed, amount, fine, transferred,
 *               late_count, missing_count (ints, for once-only sections),
 *               typical_count, completeness, timeliness, expected_units,
 *               accepted_units,
 *               indicators {CODE: {name, uom, value, measure}},
 *               measures [{numeral ("一".."五"), name,
 *                          indicators [{code, name, uom, value}]}]}
 *   units      [{code, name, short_name, status_text, reported (bool),
 *                cases_filed, cases_closed, amount, fine, transferred,
 *                highlights, work, results, problems, next_steps}]
 *               (narratives "" when not submitted)
 *   late_units [{short_name, days_late}]     missing_units [{short_name}]
 *   superseded [{short_name, file, version}]
 *   typical_cases [{unit, case_no, name, summary}]
 *   problems   [{unit, text}]                next_steps [{unit, text}]
 *   phases     [{name, period, cases_filed, amount}]
 *   has_stage  bool; stage {round_name, cases_filed, amount, cases_increment,
 *               amount_increment} (only meaningful when has_stage)
 *               also cases_closed, fine, transferred, closed_increment,
 *               fine_increment, transferred_increment, unit_count
 *   unit_increments [{short_name, stage_cases, cases, cases_increment,
 *               amount_increment}]
 *   continuity {done (bool), dropped_cases, dropped_explained,
 *               dropped_unexplained, cumulative_fell, stock_changed,
 *               items [{unit, rule, explained, text}]}
 *   outliers   [{unit, figure, uom, value, median, z, explained}]
 *   data_quality {outlier_count, outliers_explained, outliers_unexplained,
 *               outliers_checked, outliers_skipped, min_units, threshold}
 *   has_assessment bool; assessment [{rank, short_name, score, grade,
 *               timeliness, quality, completeness, results, missing}]
 *               (rank order); assessment_formula [strings]
 *   has_previous bool; previous {year, cases_filed, cases_closed, amount,
 *               fine, transferred, typical_count, *_growth ("12.5%"),
 *               *_trend ("同比增长12.5%")} for cases, amount, fine,
 *               transferred
 *   tables     {units, by_category, by_commodity, by_channel, by_phase,
 *               indicators, receipts, rounds, rounds_indicators, yoy,
 *               assessment}; each table is
 *               {caption, header, rows, align, total}: header is an array of
 *               strings (one header row) or of arrays (several rows); rows
 *               an array of arrays of strings/numbers, all as wide as the
 *               header; align optional ["left"|"right"|"center"] per column
 *               (default: right for columns whose body cells are all numbers);
 *               total optional bool (last row is a totals row).
 *   charts     {cases_by_unit, amount_by_unit, cases_by_phase}; each chart is
 *               {title, value_label, labels [strings], values [numbers],
 *                decimals (int, default 0)}; a null value is a unit that did
 *               not report (doc value NAN: no bar; its label says 未报)
 *   content, narrative   the computed sentences and the 一是…二是… points:
 *               report_content.h (added by report_content_add; tables of
 *               units and rounds show 未报 for a unit without a file)
 */
#ifndef HZ_REPORT_TEMPLATE_H
#define HZ_REPORT_TEMPLATE_H

#include <json-c/json.h>
#include "hz_status.h"
#include "report_doc.h"

/* Stage 1 only: expands template_text (UTF-8) against context into
 * *out_markdown (malloc'd, caller frees). name is used in error messages.
 * Table, chart and break directives become HTML comment marker lines
 * (<!--HZDIRECTIVE:N:table:NAME-->) after their data has been checked. */
hz_status report_template_expand(const char *template_text, const char *name,
                                 struct json_object *context, char **out_markdown,
                                 hz_error *err);

/* Both stages: *out receives a new hz_doc (caller doc_free()s it), or NULL
 * on any error. */
hz_status report_template_render(const char *template_text, const char *template_name,
                                 struct json_object *context, hz_doc **out,
                                 hz_error *err);

/* Reads the template at path (errors name the file's base name) and renders. */
hz_status report_template_render_file(const char *path, struct json_object *context,
                                      hz_doc **out, hz_error *err);

#endif
