/* issue.c - the list of validation findings. */
#include "issue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hz_text.h"
#include "xlsx_reader.h"

static char *dup_or_empty(const char *text)
{
    return strdup(text ? text : "");
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

hz_issue *issue_list_add(hz_issue_list *list, const hz_issue_spec *spec)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        hz_issue *items = realloc(list->items, cap * sizeof *items);
        if (!items)
            return NULL;
        list->items = items;
        list->cap = cap;
    }
    hz_issue issue = {
        .file = dup_or_empty(spec->file),
        .sheet = dup_or_empty(spec->sheet),
        .cell = dup_or_empty(spec->cell),
        .field = dup_or_empty(spec->field),
        .rule = dup_or_empty(spec->rule),
        .severity = spec->severity,
        .found = dup_or_empty(spec->found),
        .expected = dup_or_empty(spec->expected),
        .extra = dup_or_empty(spec->extra),
        .msg = spec->msg,
        .text_zh = spec->text_zh ? strdup(spec->text_zh) : NULL,
        .text_en = spec->text_en ? strdup(spec->text_en) : NULL,
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
    }
    return true;
}

void issue_list_truncate(hz_issue_list *list, size_t count)
{
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
}

hz_issue_counts issue_list_count(const hz_issue_list *list)
{
    hz_issue_counts counts = {0};
    for (size_t i = 0; i < list->count; i++) {
        const hz_issue *issue = &list->items[i];
        if (issue->severity == HZ_SEV_ERROR)
            counts.errors++;
        else if (issue->severity == HZ_SEV_WARNING && issue->explained)
            counts.explained++;
        else if (issue->severity == HZ_SEV_WARNING)
            counts.warnings++;
        else
            counts.notices++;
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
