/* issue.c - the list of validation findings. */
#include "issue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hz_text.h"
#include "xlsx_reader.h"

/* Issue texts quote the submission (cell text, sheet, part and file
 * names): kept with controls, bidi and format characters escaped and
 * invalid UTF-8 as \xNN, so every output that lists issues is safe and
 * valid UTF-8 (DESIGN §9). Escaping is idempotent. */
static char *dup_or_empty(const char *text)
{
    return hz_text_escape(text ? text : "");
}

/* A quoted cell value is cut to this many bytes (at a character, with an
 * ellipsis): 100 issues of a rule quoting 32,767-character cells would
 * otherwise hold megabytes per rule. */
#define ISSUE_QUOTE_MAX 600

static char *quote_or_empty(const char *text)
{
    char *q = dup_or_empty(text);
    if (q && strlen(q) > ISSUE_QUOTE_MAX) {
        size_t cut = ISSUE_QUOTE_MAX - sizeof "…";
        while (cut > 0 && ((unsigned char)q[cut] & 0xC0) == 0x80)
            cut--;
        memcpy(q + cut, "…", sizeof "…");
    }
    return q;
}

static void issue_free(hz_issue *issue)
{
    free(issue->file);
    free(issue->sheet);
    free(issue->cell);
    free(issue->field);
    free(issue->rule);
    free(issue->found);
    free(issue->expected);
    free(issue->extra);
    free(issue->text_zh);
    free(issue->text_en);
}

static void tally_free(hz_issue_tally *t)
{
    free(t->file);
    free(t->rule);
    free(t->sheet);
    free(t->first);
    free(t->last);
}

static void tallies_clear(hz_issue_list *list)
{
    for (size_t i = 0; i < list->tally_count; i++)
        tally_free(&list->tallies[i]);
    free(list->tallies);
    list->tallies = NULL;
    list->tally_count = list->tally_cap = 0;
}

/* The tally of spec's file and rule, made when new; NULL on out-of-memory.
 * Rule ids come from the code and rules.ini, so there are few per file. */
static hz_issue_tally *tally_of(hz_issue_list *list, const hz_issue_spec *spec)
{
    const char *file = spec->file ? spec->file : "", *rule = spec->rule ? spec->rule : "";
    for (size_t i = 0; i < list->tally_count; i++) {
        hz_issue_tally *t = &list->tallies[i];
        if (!strcmp(t->rule, rule) && !strcmp(t->file, file))
            return t;
    }
    if (!hz_array_reserve(&list->tallies, &list->tally_cap, list->tally_count + 1,
                          sizeof *list->tallies))
        return NULL;
    hz_issue_tally t = {.file = strdup(file), .rule = strdup(rule), .severity = spec->severity};
    if (!t.file || !t.rule) {
        tally_free(&t);
        return NULL;
    }
    list->tallies[list->tally_count] = t;
    return &list->tallies[list->tally_count++];
}

/* Records one issue past the cap. */
static bool tally_more(hz_issue_tally *t, const hz_issue_spec *spec)
{
    const char *sheet = spec->sheet ? spec->sheet : "", *cell = spec->cell ? spec->cell : "";
    size_t n = strlen(sheet) + strlen(cell) + 2;
    char *last = malloc(n);
    if (!last)
        return false;
    if (sheet[0] && cell[0])
        snprintf(last, n, "%s!%s", sheet, cell);
    else
        snprintf(last, n, "%s", sheet[0] ? sheet : cell);
    if (t->more == 0) {
        t->sheet = strdup(sheet);
        t->first = strdup(cell);
        if (!t->sheet || !t->first) {
            free(last);
            return false;
        }
    }
    free(t->last);
    t->last = last;
    t->more++;
    return true;
}

static hz_issue *issue_list_store(hz_issue_list *list, const hz_issue_spec *spec);

hz_issue *issue_list_add(hz_issue_list *list, const hz_issue_spec *spec)
{
    if (list->max_per_rule) {
        hz_issue_tally *t = tally_of(list, spec);
        if (!t)
            return NULL;
        if (t->kept >= list->max_per_rule) {
            if (!tally_more(t, spec))
                return NULL;
            static const hz_issue blank;
            list->overflow = blank;
            list->overflow.severity = spec->severity;
            return &list->overflow;
        }
        t->kept++;
    }
    return issue_list_store(list, spec);
}

bool issue_list_flush_summaries(hz_issue_list *list)
{
    size_t cap = list->max_per_rule;
    list->max_per_rule = 0; /* the summaries themselves are never tallied */
    bool ok = true;
    for (size_t i = 0; ok && i < list->tally_count; i++) {
        const hz_issue_tally *t = &list->tallies[i];
        if (!t->more)
            continue;
        char count[32];
        snprintf(count, sizeof count, "%zu", t->more);
        hz_issue_spec spec = {
            .file = t->file, .sheet = t->sheet, .cell = t->first, .rule = t->rule,
            .severity = t->severity, .found = t->rule, .expected = t->last, .extra = count,
            .msg = HZ_M_ISSUE_MORE,
        };
        hz_issue *summary = issue_list_store(list, &spec);
        if (summary)
            summary->more = t->more;
        ok = summary != NULL;
    }
    tallies_clear(list);
    list->max_per_rule = cap;
    return ok;
}

static hz_issue *issue_list_store(hz_issue_list *list, const hz_issue_spec *spec)
{
    if (!hz_array_reserve(&list->items, &list->cap, list->count + 1, sizeof *list->items))
        return NULL;
    hz_issue issue = {
        .file = dup_or_empty(spec->file),
        .sheet = dup_or_empty(spec->sheet),
        .cell = dup_or_empty(spec->cell),
        .field = dup_or_empty(spec->field),
        .rule = dup_or_empty(spec->rule),
        .severity = spec->severity,
        .found = quote_or_empty(spec->found),
        .expected = dup_or_empty(spec->expected),
        .extra = dup_or_empty(spec->extra),
        .msg = spec->msg,
        .text_zh = spec->text_zh ? hz_text_escape(spec->text_zh) : NULL,
        .text_en = spec->text_en ? hz_text_escape(spec->text_en) : NULL,
    };
    if (!issue.file || !issue.sheet || !issue.cell || !issue.field || !issue.rule ||
        !issue.found || !issue.expected || !issue.extra ||
        (spec->text_zh && !issue.text_zh) || (spec->text_en && !issue.text_en)) {
        issue_free(&issue);
        return NULL;
    }
    list->items[list->count] = issue;
    return &list->items[list->count++];
}

bool issue_list_append(hz_issue_list *list, const hz_issue_list *other)
{
    for (size_t i = 0; i < other->count; i++) {
        const hz_issue *o = &other->items[i];
        hz_issue_spec spec = {o->file, o->sheet, o->cell, o->field, o->rule, o->severity,
                              o->found, o->expected, o->extra, o->msg, o->text_zh, o->text_en};
        hz_issue *copy = issue_list_add(list, &spec);
        if (!copy)
            return false;
        copy->explained = o->explained;
        copy->more = o->more;
    }
    return true;
}

void issue_list_truncate(hz_issue_list *list, size_t count)
{
    tallies_clear(list);
    while (list->count > count)
        issue_free(&list->items[--list->count]);
}

void issue_list_remove(hz_issue_list *list, size_t index)
{
    if (index >= list->count)
        return;
    issue_free(&list->items[index]);
    memmove(&list->items[index], &list->items[index + 1],
            (list->count - index - 1) * sizeof list->items[0]);
    list->count--;
}

void issue_list_free(hz_issue_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        issue_free(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = list->cap = 0;
    tallies_clear(list);
}

hz_issue_counts issue_list_count(const hz_issue_list *list)
{
    hz_issue_counts counts = {0};
    for (size_t i = 0; i < list->count; i++) {
        const hz_issue *issue = &list->items[i];
        size_t n = issue->more ? issue->more : 1;
        if (issue->severity == HZ_SEV_ERROR)
            counts.errors += n;
        else if (issue->severity == HZ_SEV_WARNING && issue->explained)
            counts.explained += n;
        else if (issue->severity == HZ_SEV_WARNING)
            counts.warnings += n;
        else
            counts.notices += n;
    }
    return counts;
}

static int issue_compare(const void *a, const void *b)
{
    const hz_issue *x = a, *y = b;
    if (x->severity != y->severity)
        return (int)x->severity - (int)y->severity;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    c = strcmp(x->sheet, y->sheet);
    if (c)
        return c;
    uint32_t xr = 0, xc = 0, yr = 0, yc = 0;
    bool xo = xlsx_ref_parse(x->cell, &xr, &xc), yo = xlsx_ref_parse(y->cell, &yr, &yc);
    if (xo != yo)
        return xo ? 1 : -1;
    if (xr != yr)
        return xr < yr ? -1 : 1;
    if (xc != yc)
        return xc < yc ? -1 : 1;
    return strcmp(x->rule, y->rule);
}

void issue_list_sort(hz_issue_list *list)
{
    /* qsort is not stable: the comparison ends on the rule id, and the
     * insertion order is kept for exact ties by a stable merge below. */
    if (list->count < 2)
        return;
    hz_issue *tmp = malloc(list->count * sizeof *tmp);
    if (!tmp) {
        qsort(list->items, list->count, sizeof *list->items, issue_compare);
        return;
    }
    for (size_t width = 1; width < list->count; width *= 2) {
        for (size_t lo = 0; lo < list->count; lo += 2 * width) {
            size_t mid = lo + width < list->count ? lo + width : list->count;
            size_t hi = lo + 2 * width < list->count ? lo + 2 * width : list->count;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = issue_compare(&list->items[j], &list->items[i]) < 0
                               ? list->items[j++] : list->items[i++];
            while (i < mid)
                tmp[k++] = list->items[i++];
            while (j < hi)
                tmp[k++] = list->items[j++];
        }
        memcpy(list->items, tmp, list->count * sizeof *tmp);
    }
    free(tmp);
}

const char *issue_location(const hz_issue *issue, char *buf, size_t size)
{
    if (issue->sheet[0] && issue->cell[0])
        snprintf(buf, size, "%s!%s", issue->sheet, issue->cell);
    else if (issue->sheet[0])
        snprintf(buf, size, "%s", issue->sheet);
    else
        snprintf(buf, size, "%s", "");
    return buf;
}

const char *issue_render(const hz_issue *issue, hz_lang lang, char *buf, size_t size)
{
    char location[256];
    issue_location(issue, location, sizeof location);
    if (issue->text_zh) {
        const char *text = lang == HZ_LANG_EN && issue->text_en && issue->text_en[0]
                               ? issue->text_en : issue->text_zh;
        if (location[0])
            snprintf(buf, size, "%s %s", location, text);
        else
            snprintf(buf, size, "%s", text);
        return buf;
    }
    const char *args[5] = {location[0] ? location : issue->file, issue->field, issue->found,
                           issue->expected, issue->extra};
    return hz_msg_format(lang, issue->msg, args, 5, buf, size);
}

const char *issue_severity_name(hz_severity severity)
{
    switch (severity) {
    case HZ_SEV_ERROR: return "error";
    case HZ_SEV_WARNING: return "warning";
    case HZ_SEV_NOTICE: return "notice";
    }
    return "unknown";
}
