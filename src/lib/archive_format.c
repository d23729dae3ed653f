/* archive_format.c - the archive's on-disk conventions: the manifest
 * parser, canonical names and path safety; see archive_format.h. */
#include "archive_format.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fsutil.h"
#include "hz_text.h"

/* ------------------------------------------------------------ names */

const char *archive_format_submission_name(const char *unit_code, const char *round_id, int version,
                                    char *buf, size_t size)
{
    snprintf(buf, size, "%s-%s-v%d.xlsx", unit_code, round_id, version);
    return fs_sanitize_name(buf);
}

bool archive_format_path_is_safe(const char *rel)
{
    if (!rel || !*rel || rel[0] == '/')
        return false;
    for (const unsigned char *p = (const unsigned char *)rel; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '\\')
            return false;
    const char *s = rel;
    for (;;) {
        const char *slash = strchr(s, '/');
        size_t n = slash ? (size_t)(slash - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return false;
        if (!slash)
            return true;
        s = slash + 1;
    }
}

/* ------------------------------------------------------------ manifest parser */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

hz_status archive_format_ini_parse(const char *text, archive_ini *out, hz_error *err)
{
    memset(out, 0, sizeof *out);
    char *copy = strdup(text ? text : "");
    char *section = strdup("");
    unsigned line_no = 0;
    hz_status s = copy && section ? HZ_OK : HZ_ERR_NOMEM;
    char *line = copy;
    while (s == HZ_OK && line && *line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        line_no++;
        char *t = trim(line);
        if (line_no == 1 && !strncmp(t, "\xEF\xBB\xBF", 3))
            t += 3;
        bool bad = false;
        if (*t == '\0' || *t == ';' || *t == '#') {
            /* blank or comment */
        } else if (*t == '[') {
            char *end = strchr(t, ']');
            if (!end || end[1] != '\0') {
                bad = true;
            } else {
                *end = '\0';
                free(section);
                section = strdup(trim(t + 1));
                if (!section)
                    s = HZ_ERR_NOMEM;
            }
        } else {
            char *eq = strchr(t, '=');
            if (!eq) {
                bad = true;
            } else {
                *eq = '\0';
                char *key = trim(t), *value = trim(eq + 1);
                size_t vn = strlen(value);
                if (vn >= 2 && value[0] == '"' && value[vn - 1] == '"') {
                    value[vn - 1] = '\0';
                    value++;
                }
                if (!*key) {
                    bad = true;
                } else {
                    if (!hz_array_reserve(&out->items, &out->cap, out->count + 1,
                                          sizeof *out->items)) {
                        s = HZ_ERR_NOMEM;
                        break;
                    }
                    archive_ini_entry *e = &out->items[out->count];
                    e->section = strdup(section);
                    e->key = strdup(key);
                    e->value = strdup(value);
                    e->line = line_no;
                    out->count++;
                    if (!e->section || !e->key || !e->value)
                        s = HZ_ERR_NOMEM;
                }
            }
        }
        if (bad && s == HZ_OK) {
            if (!hz_array_reserve(&out->bad_lines, &out->bad_cap, out->bad_count + 1,
                                  sizeof *out->bad_lines)) {
                s = HZ_ERR_NOMEM;
                break;
            }
            out->bad_lines[out->bad_count++] = line_no;
        }
        line = nl ? nl + 1 : NULL;
    }
    free(copy);
    free(section);
    if (s != HZ_OK) {
        archive_format_ini_free(out);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    return HZ_OK;
}

const char *archive_format_ini_get(const archive_ini *ini, const char *section, const char *key)
{
    for (size_t i = 0; i < ini->count; i++)
        if (!strcmp(ini->items[i].section, section) && !strcmp(ini->items[i].key, key))
            return ini->items[i].value;
    return NULL;
}

void archive_format_ini_free(archive_ini *ini)
{
    if (!ini)
        return;
    for (size_t i = 0; i < ini->count; i++) {
        free(ini->items[i].section);
        free(ini->items[i].key);
        free(ini->items[i].value);
    }
    free(ini->items);
    free(ini->bad_lines);
    memset(ini, 0, sizeof *ini);
}

/* ------------------------------------------------------------ SHA256SUMS */

void archive_format_sums_free(archive_sums *sums)
{
    for (size_t i = 0; i < sums->count; i++)
        free(sums->items[i].rel);
    free(sums->items);
    memset(sums, 0, sizeof *sums);
}

const archive_sum *archive_format_sums_find(const archive_sums *sums, const char *rel)
{
    for (size_t i = 0; i < sums->count; i++)
        if (!strcmp(sums->items[i].rel, rel))
            return &sums->items[i];
    return NULL;
}

hz_status archive_format_sums_parse(const char *text, archive_sums *out,
                                    archive_sums_problem_fn problem, void *user)
{
    const char *line = text;
    unsigned no = 0;
    while (line && *line) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        no++;
        char buf[4200];
        if (n >= sizeof buf)
            n = sizeof buf - 1;
        memcpy(buf, line, n);
        buf[n] = '\0';
        if (n > 0 && buf[n - 1] == '\r')
            buf[--n] = '\0';
        line = nl ? nl + 1 : NULL;
        if (n == 0)
            continue;
        bool ok = n > 66 && buf[64] == ' ' && (buf[65] == ' ' || buf[65] == '*');
        for (int i = 0; ok && i < 64; i++)
            ok = isxdigit((unsigned char)buf[i]) != 0;
        const char *rel = buf + 66;
        archive_sums_problem p = !ok                          ? ARCHIVE_SUMS_BAD_LINE
                                 : !archive_format_path_is_safe(rel) ? ARCHIVE_SUMS_UNSAFE_PATH
                                                              : ARCHIVE_SUMS_DUPLICATE;
        if (!ok || p == ARCHIVE_SUMS_UNSAFE_PATH || archive_format_sums_find(out, rel)) {
            if (problem && !problem(user, p, no, ok ? rel : buf))
                return HZ_ERR_NOMEM;
            continue;
        }
        if (!hz_array_reserve(&out->items, &out->cap, out->count + 1, sizeof *out->items))
            return HZ_ERR_NOMEM;
        archive_sum *e = &out->items[out->count];
        for (int i = 0; i < 64; i++)
            e->hex[i] = (char)tolower((unsigned char)buf[i]);
        e->hex[64] = '\0';
        if (!(e->rel = strdup(rel)))
            return HZ_ERR_NOMEM;
        out->count++;
    }
    return HZ_OK;
}
