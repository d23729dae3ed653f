/* display_format.h - display formatters shared by the report context, the
 * XLSX workbook, the archive's tables and the CLI: completeness and
 * timeliness rates, receipt times, unit and file status texts, phase periods,
 * measure names and indicator values. Plain functions over consolidate.h's
 * structs; each writes into the caller's buffer and returns it (or a
 * catalogue string). Kept apart from consolidate.c so that every output
 * formats a figure the same way (DESIGN §7.3: one formatter for text and
 * tables). */
#ifndef HZ_DISPLAY_FORMAT_H
#define HZ_DISPLAY_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include "config.h"
#include "consolidate.h"
#include "hz_amount.h"
#include "hz_msg.h"

/* Percent with one decimal, exactly rounded ("85.7%"); "—" when den == 0. */
const char *display_format_rate(size_t num, size_t den, char *buf, size_t size);

/* Short status text of a unit ("按时报送", "迟报2天", "未报送") in lang. */
const char *display_format_unit_status_text(const hz_cons_unit *unit, hz_lang lang, char *buf,
                                         size_t size);
/* Receipt time "2022-11-23 16:20" (or the date alone); "" when unknown. */
const char *display_format_receipt(const hz_cons_unit *unit, char *buf, size_t size);
/* "2022年6月20日至2022年7月10日" for config phase index (the last index,
 * phase_count, is the 'outside every phase' bucket: ""). */
const char *display_format_phase_period(const hz_config *config, size_t phase, hz_lang lang,
                                     char *buf, size_t size);
/* Display name of a measure numeral (一..五, 工作要求). */
const char *display_format_measure_name(const char *numeral, hz_lang lang);
/* Indicator value as text: counts plainly, amounts with decimals; "" when
 * missing. */
const char *display_format_value(const hz_indicator *ind, hz_amount value, bool present,
                                     int decimals, char *buf, size_t size);

/* "accepted" ... for JSON / "已采用" ... for people. */
const char *display_format_file_status_name(hz_file_status status);
const char *display_format_file_status_text(hz_file_status status, hz_lang lang);

#endif
