/*
 * config.c - the campaign configuration model (config.h): freeing,
 * look-ups by code and word, phases and the working-day calendar. Loading
 * from INI files is config_ini.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hz_text.h"

void config_list_free(hz_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
    list->cap = 0;
}

static int date_cmp(const void *a, const void *b)
{
    hz_date x = *(const hz_date *)a, y = *(const hz_date *)b;
    return (x > y) - (x < y);
}

static bool date_in(const hz_date *dates, size_t count, hz_date d)
{
    return count && bsearch(&d, dates, count, sizeof d, date_cmp) != NULL;
}

int config_measure_index(const char *numeral)
{
    static const char *const numerals[] = {"一", "二", "三", "四", "五", "工作要求"};
    for (int i = 0; numeral && i < 6; i++)
        if (!strcmp(numeral, numerals[i]))
            return i;
    return -1;
}

void config_free(hz_config *c)
{
    if (!c)
        return;
    free(c->units_by_code);
    free(c->dir);
    free(c->name);
    free(c->authority);
    free(c->section);
    free(c->contact);
    free(c->phone);
    free(c->stage_folder);
    free(c->notice);
    free(c->basis);
    free(c->topic);
    for (int i = 0; i < 6; i++) {
        free(c->measure_names[i]);
        config_list_free(&c->measure_channels[i]);
        config_list_free(&c->measure_commodities[i]);
    }
    free(c->report.narrative_name);
    free(c->report.narrative_text);
    for (size_t i = 0; i < c->phase_count; i++) {
        free(c->phases[i].id);
        free(c->phases[i].name);
    }
    free(c->phases);
    for (size_t i = 0; i < c->round_count; i++) {
        free(c->rounds[i].id);
        free(c->rounds[i].name);
    }
    free(c->rounds);
    free(c->holidays);
    free(c->workdays);
    free(c->report.title);
    free(c->report.recipient);
    free(c->report.signature);
    config_list_free(&c->report.font_title);
    config_list_free(&c->report.font_body);
    config_list_free(&c->report.font_heading1);
    config_list_free(&c->report.font_heading2);
    config_list_free(&c->report.font_page);
    config_list_free(&c->report.font_fallbacks);
    config_list_free(&c->report.title_words);
    for (size_t i = 0; i < c->unit_count; i++) {
        free(c->units[i].code);
        free(c->units[i].name);
        free(c->units[i].short_name);
    }
    free(c->units);
    for (size_t i = 0; i < c->indicator_count; i++) {
        hz_indicator *ind = &c->indicators[i];
        free(ind->code);
        free(ind->name);
        free(ind->uom);
        free(ind->measure);
        free(ind->note);
        free(ind->part_of);
    }
    free(c->indicators);
    for (size_t i = 0; i < c->rule_count; i++) {
        hz_rule *r = &c->rules[i];
        free(r->id);
        free(r->expr);
        free(r->message);
        free(r->message_en);
    }
    free(c->rules);
    config_list_free(&c->case_categories);
    config_list_free(&c->commodities);
    config_list_free(&c->channels);
    config_list_free(&c->lead_sources);
    config_list_free(&c->case_statuses);
    free(c->yes_word);
    free(c->no_word);
    config_list_free(&c->yes_aliases);
    config_list_free(&c->no_aliases);
    for (size_t i = 0; i < c->alias_count; i++) {
        free(c->aliases[i].canonical);
        config_list_free(&c->aliases[i].alternatives);
    }
    free(c->aliases);
    free(c);
}

void config_problems_free(hz_config_problems *problems)
{
    if (!problems)
        return;
    free(problems->items);
    problems->items = NULL;
    problems->count = 0;
    problems->cap = 0;
}

static int unit_code_cmp(const void *a, const void *b)
{
    const hz_unit *x = *(const hz_unit *const *)a, *y = *(const hz_unit *const *)b;
    return strcmp(x->code ? x->code : "", y->code ? y->code : "");
}

bool config_index_units(hz_config *c)
{
    free(c->units_by_code);
    c->units_by_code = NULL;
    if (c->unit_count == 0)
        return true;
    const hz_unit **by = malloc(c->unit_count * sizeof *by);
    if (!by)
        return false;
    for (size_t i = 0; i < c->unit_count; i++)
        by[i] = &c->units[i];
    qsort(by, c->unit_count, sizeof *by, unit_code_cmp);
    /* qsort is not stable: when equal codes (a rejected configuration may
     * hold them) came out of file order, the scan stays, which finds the
     * first of them */
    for (size_t i = 1; i < c->unit_count; i++)
        if (!unit_code_cmp(&by[i - 1], &by[i]) && by[i] < by[i - 1]) {
            free(by);
            return true;
        }
    c->units_by_code = by;
    return true;
}

const hz_unit *config_find_unit(const hz_config *c, const char *code)
{
    if (!c || !code)
        return NULL;
    if (c->units_by_code) {
        size_t lo = 0, hi = c->unit_count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            const char *m = c->units_by_code[mid]->code ? c->units_by_code[mid]->code : "";
            int r = strcmp(m, code);
            if (r < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        const hz_unit *u = lo < c->unit_count ? c->units_by_code[lo] : NULL;
        return u && u->code && !strcmp(u->code, code) ? u : NULL;
    }
    for (size_t i = 0; i < c->unit_count; i++)
        if (c->units[i].code && strcmp(c->units[i].code, code) == 0)
            return &c->units[i];
    return NULL;
}

const hz_indicator *config_find_indicator(const hz_config *c, const char *code)
{
    if (!c || !code)
        return NULL;
    for (size_t i = 0; i < c->indicator_count; i++)
        if (c->indicators[i].code && strcmp(c->indicators[i].code, code) == 0)
            return &c->indicators[i];
    return NULL;
}

const hz_round *config_find_round(const hz_config *c, const char *id)
{
    if (!c || !id)
        return NULL;
    for (size_t i = 0; i < c->round_count; i++)
        if (c->rounds[i].id && strcmp(c->rounds[i].id, id) == 0)
            return &c->rounds[i];
    return NULL;
}

const hz_round *config_find_round_by_word(const hz_config *c, const char *text)
{
    if (!c || !text)
        return NULL;
    char *t = hz_strdup(text);
    if (!t)
        return NULL;
    hz_trim(t);
    const hz_round *found = NULL;
    for (size_t i = 0; i < c->round_count && !found; i++) {
        const hz_round *r = &c->rounds[i];
        if ((r->name && strcmp(r->name, t) == 0) || (r->id && strcasecmp(r->id, t) == 0))
            found = r;
    }
    free(t);
    return found;
}

const hz_phase *config_phase_of(const hz_config *c, hz_date date)
{
    if (!c || date == HZ_DATE_NONE)
        return NULL;
    for (size_t i = 0; i < c->phase_count; i++)
        if (date >= c->phases[i].first && date <= c->phases[i].last)
            return &c->phases[i];
    return NULL;
}

bool config_measure_first(const hz_config *config, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (!strcmp(config->indicators[j].measure, config->indicators[i].measure))
            return false;
    return true;
}

bool config_list_contains(const hz_list *list, const char *item)
{
    if (!list || !item)
        return false;
    /* called for every listed cell of every case: the first byte sorts
     * out most items before a call */
    for (size_t i = 0; i < list->count; i++)
        if (list->items[i][0] == item[0] && strcmp(list->items[i], item) == 0)
            return true;
    return false;
}

bool config_is_workday(const hz_config *c, hz_date date)
{
    if (date == HZ_DATE_NONE)
        return false;
    if (c && date_in(c->workdays, c->workday_count, date))
        return true;
    if (c && date_in(c->holidays, c->holiday_count, date))
        return false;
    return hz_date_weekday(date) < 5;
}

hz_date config_effective_deadline(const hz_config *c, const hz_round *round)
{
    if (!round)
        return HZ_DATE_NONE;
    hz_date d = round->deadline;
    if (!round->move_to_workday || d == HZ_DATE_NONE)
        return d;
    /* The longest Chinese holiday plus weekends is far below a year; the
     * bound only guards against a calendar that lists every day. */
    for (int i = 0; i < 366 && !config_is_workday(c, d); i++)
        d++;
    return d;
}
