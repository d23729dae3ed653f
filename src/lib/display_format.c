/* display_format.c - the texts people read for rates, receipts, statuses,
 * phases, measures and values; see display_format.h. */
#include "display_format.h"

#include <stdio.h>
#include <string.h>

const char *display_format_file_status_name(hz_file_status status)
{
    switch (status) {
    case HZ_FILE_ACCEPTED: return "accepted";
    case HZ_FILE_SUPERSEDED: return "superseded";
    case HZ_FILE_REJECTED: return "rejected";
    case HZ_FILE_IGNORED: return "ignored";
    }
    return "unknown";
}

const char *display_format_file_status_text(hz_file_status status, hz_lang lang)
{
    switch (status) {
    case HZ_FILE_ACCEPTED: return hz_msg_text(lang, HZ_M_CONSOLIDATE_FILE_ACCEPTED);
    case HZ_FILE_SUPERSEDED: return hz_msg_text(lang, HZ_M_CONSOLIDATE_FILE_SUPERSEDED);
    case HZ_FILE_REJECTED: return hz_msg_text(lang, HZ_M_CONSOLIDATE_FILE_REJECTED);
    case HZ_FILE_IGNORED: return hz_msg_text(lang, HZ_M_CONSOLIDATE_FILE_IGNORED);
    }
    return "";
}

const char *display_format_rate(size_t num, size_t den, char *buf, size_t size)
{
    if (den == 0) {
        snprintf(buf, size, "%s", "—");
        return buf;
    }
    /* tenths of a percent, rounded half up, in integers: no float drift */
    unsigned long long tenths = ((unsigned long long)num * 2000ULL + den) / (2ULL * den);
    snprintf(buf, size, "%llu.%llu%%", tenths / 10, tenths % 10);
    return buf;
}

const char *display_format_unit_status_text(const hz_cons_unit *unit, hz_lang lang, char *buf,
                                         size_t size)
{
    char days[32];
    switch (unit->receipt) {
    case HZ_RECEIPT_ON_TIME:
        snprintf(buf, size, "%s", hz_msg_text(lang, HZ_M_CONSOLIDATE_STATUS_ON_TIME));
        break;
    case HZ_RECEIPT_LATE:
        snprintf(days, sizeof days, "%d", unit->days_late);
        hz_msg_formatv(lang, HZ_M_CONSOLIDATE_STATUS_LATE, buf, size, days, NULL);
        break;
    case HZ_RECEIPT_MISSING:
        snprintf(buf, size, "%s",
                 hz_msg_text(lang, !unit->files_seen ? HZ_M_CONSOLIDATE_STATUS_MISSING
                                   : unit->files_seen == unit->files_wrong_format
                                       ? HZ_M_CONSOLIDATE_STATUS_WRONG_FORMAT
                                       : HZ_M_CONSOLIDATE_STATUS_REJECTED));
        break;
    }
    return buf;
}

const char *display_format_receipt(const hz_cons_unit *unit, char *buf, size_t size)
{
    if (!unit->has_receipt || unit->receipt_date == HZ_DATE_NONE) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    char d[16];
    hz_date_format(unit->receipt_date, d, sizeof d);
    if (unit->receipt_minute >= 0)
        snprintf(buf, size, "%s %02d:%02d", d, unit->receipt_minute / 60,
                 unit->receipt_minute % 60);
    else
        snprintf(buf, size, "%s", d);
    return buf;
}

const char *display_format_phase_period(const hz_config *config, size_t phase, hz_lang lang,
                                     char *buf, size_t size)
{
    if (phase >= config->phase_count) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    char a[32], b[32];
    const hz_phase *p = &config->phases[phase];
    if (lang == HZ_LANG_EN) {
        hz_date_format(p->first, a, sizeof a);
        hz_date_format(p->last, b, sizeof b);
    } else {
        hz_date_format_zh(p->first, a, sizeof a);
        hz_date_format_zh(p->last, b, sizeof b);
    }
    return hz_msg_formatv(lang, HZ_M_CONSOLIDATE_L_PERIOD_RANGE, buf, size, a, b, NULL);
}

const char *display_format_measure_name(const char *numeral, hz_lang lang)
{
    static const char *const numerals[] = {"一", "二", "三", "四", "五"};
    static const hz_msg_id ids[] = {HZ_M_CONSOLIDATE_MEASURE_1, HZ_M_CONSOLIDATE_MEASURE_2,
                                    HZ_M_CONSOLIDATE_MEASURE_3, HZ_M_CONSOLIDATE_MEASURE_4,
                                    HZ_M_CONSOLIDATE_MEASURE_5};
    for (size_t i = 0; i < 5; i++)
        if (numeral && !strcmp(numeral, numerals[i]))
            return hz_msg_text(lang, ids[i]);
    return hz_msg_text(lang, HZ_M_CONSOLIDATE_MEASURE_REQ);
}

const char *display_format_value(const hz_indicator *ind, hz_amount value, bool present,
                                     int decimals, char *buf, size_t size)
{
    if (!present) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    if (ind->type == HZ_VALUE_AMOUNT)
        return hz_amount_format(value, decimals, false, buf, size);
    if (value % HZ_AMOUNT_SCALE == 0) {
        snprintf(buf, size, "%lld", (long long)(value / HZ_AMOUNT_SCALE));
        return buf;
    }
    return hz_amount_format(value, 4, false, buf, size);
}
