/*
 * report_content.h - the sentence-level content of the city report, computed
 * from the consolidation (DESIGN §7.1, §7.3) and added to the report context.
 *
 * Templates cannot count or compare, so every sentence whose wording depends
 * on the facts is composed here, from the facts, and every figure in it goes
 * through the tables' formatter (two decimals of 万元):
 *   content.overview     the city's case figures, zero figures left out
 *   content.coverage     who reported; a unit without an accepted file is
 *                        named with what its absence leaves out (its stage
 *                        cases and amounts when the stage round is known)
 *   content.increments   stage -> annual, per unit; the per-unit increments
 *                        add up to the city increment, and the units that did
 *                        not report are the stated difference
 *   content.phases       cases per phase, phases without cases left out
 *   content.continuity   the continuity check in words (round reports)
 *   content.measures     [{ordinal "（一）", numeral, heading, requirement
 *                        (bool: the 工作要求 paragraph), sentence (the
 *                        indicators), cases (the case figures of the
 *                        measure's [measures] N.channels / N.commodities),
 *                        paragraph ("全市" + both + "。"),
 *                        indicators [{code, name, uom, value, stage_value,
 *                        increment, parts [...]}]}] - one per measure that
 *                        has a non-zero value, in config order, 工作要求 last.
 *                        "其中" only for indicators.ini part_of.
 *   content.typical      [{title, sentence, unit}] - report_cases.h's choice
 *   content.typical_total  typical cases the units reported
 *   narrative.{practices, problems, next_steps}
 *                        {source ("city" | "county" | "none"), count,
 *                         points [{ordinal, text, units, unit_count,
 *                         sentence}]} - report_narrative.h; sentence is the
 *                        point as printed ("一是魏都区、建安区等5个单位反映，…。")
 * The city's narrative file (config report.narrative_text) is expanded with
 * the template placeholders against the context first.
 */
#ifndef HZ_REPORT_CONTENT_H
#define HZ_REPORT_CONTENT_H

#include <stdbool.h>
#include "consolidate.h"
#include "hz_status.h"

struct json_object;

/* Adds "content" and "narrative" to root (a report_context_json context).
 * HZ_ERR_TEMPLATE / HZ_ERR_CONFIG when the city's narrative file is wrong
 * (err names it), HZ_ERR_NOMEM. */
hz_status report_content_add(const hz_consolidation *cons, struct json_object *root,
                             hz_error *err);

/* The report heading of a measure: campaign.ini [measures], else the 2022
 * notice's wording (落实工作要求 for 工作要求). */
const char *report_content_measure_heading(const hz_config *config, const char *numeral);

#endif
