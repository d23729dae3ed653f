/*
 * config_ini.c - config_load: reads and validates the campaign
 * configuration folder's INI files with iniparser (config.h). The model
 * itself (freeing, look-ups, the calendar) is config.c, which needs no
 * iniparser, so a build without it (the browser validator) can load its
 * configuration another way.
 *
 * Each INI file is first scanned line by line by us, because iniparser 4.1
 * only says "NULL" for a file it cannot parse, silently merges duplicate
 * sections and keeps only the last of duplicate keys, and cannot read a
 * UTF-8 BOM. The scan names the offending line; iniparser then reads the
 * file. Every problem is recorded; the config is handed out only when
 * there is none.
 */
#include "config.h"

#include <errno.h>
#include <iniparser/iniparser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hz_text.h"
#include "rule_expr.h"

/* iniparser reads lines with fgets into a 1025-byte buffer minus one: a
 * line with its newline must fit in 1023 bytes. */
#define INI_LINE_MAX 1022
#define CONFIG_FILE_MAX (4u * 1024u * 1024u)
#define PRESCAN_MAX_PROBLEMS 20

typedef struct loader {
    hz_config *cfg;
    hz_config_problems *problems;
    const char *file;        /* name of the file being read */
    bool nomem;
    bool io_failed;
} loader;

/* ------------------------------------------------------------------ */
/* Problems                                                            */

/* Appends one zeroed element of elem_size bytes to the array at items_ptr
 * (count and capacity in *count, *cap) through hz_array_reserve and returns
 * it; NULL, with L->nomem set, when memory runs out. */
static void *append_zeroed(loader *L, void *items_ptr, size_t *count, size_t *cap,
                           size_t elem_size)
{
    if (!hz_array_reserve(items_ptr, cap, *count + 1, elem_size)) {
        L->nomem = true;
        return NULL;
    }
    unsigned char *items;
    memcpy(&items, items_ptr, sizeof items);
    unsigned char *e = items + (*count)++ * elem_size;
    memset(e, 0, elem_size);
    return e;
}

static void problem_add(loader *L, const char *section, const char *key, hz_msg_id msg,
                        const char *a1, const char *a2, const char *a3, const char *a4)
{
    hz_config_problems *ps = L->problems;
    hz_config_problem *p = append_zeroed(L, &ps->items, &ps->count, &ps->cap, sizeof *ps->items);
    if (!p)
        return;
    hz_strlcpy_utf8(p->file, L->file ? L->file : "", sizeof p->file);
    hz_strlcpy_utf8(p->section, section ? section : "", sizeof p->section);
    hz_strlcpy_utf8(p->key, key ? key : "", sizeof p->key);
    /* hz_error_set stops at the first NULL, so trailing NULLs are fine. */
    hz_error_set(&p->error, HZ_ERR_CONFIG, msg, a1, a2, a3, a4, NULL);
}

static void problem_add_error(loader *L, const char *section, const char *key, const hz_error *err)
{
    size_t before = L->problems->count;
    problem_add(L, section, key, HZ_M_NONE, NULL, NULL, NULL, NULL);
    if (L->problems->count > before) {
        hz_error *e = &L->problems->items[before].error;
        *e = *err;
        /* Whatever the parser said, this is a configuration problem. */
        e->status = HZ_ERR_CONFIG;
    }
}

static bool has_problems_since(const loader *L, size_t mark)
{
    return L->problems->count > mark || L->nomem;
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static char *dup_or_flag(loader *L, const char *text)
{
    char *copy = hz_strdup(text ? text : "");
    if (!copy)
        L->nomem = true;
    return copy;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static void ascii_lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* Splits a comma list (ASCII or full-width commas); blank items dropped. */
static bool list_split(const char *text, hz_list *out)
{
    out->items = NULL;
    out->count = out->cap = 0;
    const char *p = text ? text : "";
    for (;;) {
        const char *comma = NULL;
        size_t sep = 0;
        for (const char *q = p; *q; q++) {
            if (*q == ',') {
                comma = q;
                sep = 1;
                break;
            }
            if (strncmp(q, "\xEF\xBC\x8C", 3) == 0) { /* ， */
                comma = q;
                sep = 3;
                break;
            }
        }
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char *item = malloc(len + 1);
        if (!item) {
            config_list_free(out);
            return false;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        hz_trim(item);
        if (*item) {
            if (!hz_array_reserve(&out->items, &out->cap, out->count + 1, sizeof *out->items)) {
                free(item);
                config_list_free(out);
                return false;
            }
            out->items[out->count++] = item;
        } else {
            free(item);
        }
        if (!comma)
            break;
        p = comma + sep;
    }
    return true;
}

static int date_cmp(const void *a, const void *b)
{
    hz_date x = *(const hz_date *)a, y = *(const hz_date *)b;
    return (x > y) - (x < y);
}

static const char *fmt_date(hz_date d, char *buf, size_t size)
{
    if (d == HZ_DATE_NONE) {
        snprintf(buf, size, "?");
        return buf;
    }
    return hz_date_format(d, buf, size);
}

/* ------------------------------------------------------------------ */
/* Reading a file                                                      */

typedef struct seen_key {
    size_t section;   /* the first of the seen sections with its name */
    char *key;
} seen_key;

/* A duplicate key is looked for among the keys of the current section and,
 * only when its name came before, among those of its earlier namesakes:
 * a search of every key seen made a units.ini of 2,850 units cost 0.3 s
 * (issue 19). */
typedef struct prescan {
    char **sections;
    size_t section_count, section_cap;
    seen_key *keys;
    size_t key_count, key_cap;
    size_t current;          /* the current section's first namesake */
    size_t current_keys;     /* its keys start here in keys */
    bool current_repeated;   /* its name came before */
    size_t reported;
    bool fatal;       /* iniparser would fail or misread the file */
} prescan;

static void prescan_free(prescan *s)
{
    for (size_t i = 0; i < s->section_count; i++)
        free(s->sections[i]);
    free(s->sections);
    for (size_t i = 0; i < s->key_count; i++)
        free(s->keys[i].key);
    free(s->keys);
}

static void prescan_report(loader *L, prescan *s, const char *section, const char *key,
                           hz_msg_id msg, const char *a2, const char *a3, const char *a4)
{
    if (s->reported++ < PRESCAN_MAX_PROBLEMS)
        problem_add(L, section, key, msg, L->file, a2, a3, a4);
}

/* Trimmed copy of text[0..len). */
static char *trimmed_copy(const char *text, size_t len)
{
    while (len && is_blank(*text)) {
        text++;
        len--;
    }
    while (len && is_blank(text[len - 1]))
        len--;
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, text, len);
        copy[len] = '\0';
    }
    return copy;
}

/* Checks one logical line (continuations joined) the way iniparser will
 * read it. */
static void prescan_line(loader *L, prescan *s, const char *line, size_t lineno)
{
    char num[24];
    snprintf(num, sizeof num, "%zu", lineno);
    char *t = trimmed_copy(line, strlen(line));
    if (!t) {
        L->nomem = true;
        return;
    }
    size_t len = strlen(t);
    const char *current = s->section_count ? s->sections[s->section_count - 1] : NULL;
    if (len == 0 || t[0] == ';' || t[0] == '#') {
        free(t);
        return;
    }
    if (t[0] == '[' && t[len - 1] == ']') {
        char *close = strchr(t + 1, ']');
        char *name = trimmed_copy(t + 1, (size_t)(close - t - 1));
        if (!name) {
            L->nomem = true;
            free(t);
            return;
        }
        ascii_lower(name);
        if (!*name) {
            /* iniparser keeps the previous section for "[]". */
            prescan_report(L, s, current, NULL, HZ_M_CONFIG_LINE_SYNTAX, num, t, NULL);
            s->fatal = true;
            free(name);
            free(t);
            return;
        }
        if (strchr(name, ':')) {
            prescan_report(L, s, name, NULL, HZ_M_CONFIG_BAD_SECTION_NAME, num, name, NULL);
            s->fatal = true;
        }
        s->current = s->section_count;
        s->current_repeated = false;
        s->current_keys = s->key_count;
        for (size_t i = 0; i < s->section_count; i++) {
            if (strcmp(s->sections[i], name) == 0) {
                prescan_report(L, s, name, NULL, HZ_M_CONFIG_DUP_SECTION, num, name, NULL);
                s->current = i;
                s->current_repeated = true;
                break;
            }
        }
        if (!hz_array_reserve(&s->sections, &s->section_cap, s->section_count + 1,
                              sizeof *s->sections)) {
            L->nomem = true;
            free(name);
            free(t);
            return;
        }
        s->sections[s->section_count++] = name;
        free(t);
        return;
    }
    char *eq = strchr(t, '=');
    char *key = eq ? trimmed_copy(t, (size_t)(eq - t)) : NULL;
    if (eq && !key) {
        L->nomem = true;
        free(t);
        return;
    }
    if (!eq || !*key) {
        prescan_report(L, s, current, NULL, HZ_M_CONFIG_LINE_SYNTAX, num, t, NULL);
        s->fatal = true;
        free(key);
        free(t);
        return;
    }
    ascii_lower(key);
    if (!current) {
        prescan_report(L, s, NULL, key, HZ_M_CONFIG_KEY_OUTSIDE_SECTION, num, key, NULL);
        free(key);
        free(t);
        return;
    }
    /* Duplicates only count within the same (possibly repeated) section
     * name, because iniparser merges repeated sections. */
    size_t sec = s->current;
    bool dup = false;
    for (size_t i = s->current_keys; i < s->key_count && !dup; i++)
        dup = strcmp(s->keys[i].key, key) == 0;
    for (size_t i = 0; s->current_repeated && i < s->current_keys && !dup; i++)
        dup = s->keys[i].section == sec && strcmp(s->keys[i].key, key) == 0;
    if (dup)
        prescan_report(L, s, current, key, HZ_M_CONFIG_DUP_KEY, num, current, key);
    if (!hz_array_reserve(&s->keys, &s->key_cap, s->key_count + 1, sizeof *s->keys)) {
        L->nomem = true;
        free(key);
        free(t);
        return;
    }
    s->keys[s->key_count++] = (seen_key){ .section = sec, .key = key };
    free(t);
}

/* Scans data[0..size): encoding, line lengths and INI structure. */
static void prescan_text(loader *L, prescan *s, const char *data, size_t size)
{
    hz_buf logical = { 0 };
    size_t lineno = 0, logical_start = 0;
    size_t pos = 0;
    while (pos < size && !L->nomem) {
        const char *nl = memchr(data + pos, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - (data + pos)) : size - pos;
        const char *line = data + pos;
        lineno++;
        pos += len + (nl ? 1 : 0);
        char num[24];
        snprintf(num, sizeof num, "%zu", lineno);
        if (memchr(line, '\0', len) || !hz_utf8_valid(line, len)) {
            prescan_report(L, s, NULL, NULL, HZ_M_CONFIG_BAD_UTF8, num, NULL, NULL);
            s->fatal = true;
            continue;
        }
        if (logical.len == 0)
            logical_start = lineno;
        /* iniparser trims the end of each piece before looking for the
         * continuation backslash. */
        size_t piece = len;
        while (piece && is_blank(line[piece - 1]))
            piece--;
        bool continued = piece && line[piece - 1] == '\\';
        if (!hz_buf_append(&logical, line, continued ? piece - 1 : len)) {
            L->nomem = true;
            break;
        }
        if (continued && pos < size)
            continue;
        size_t limit = nl ? INI_LINE_MAX : INI_LINE_MAX + 1;
        char start_num[24];
        snprintf(start_num, sizeof start_num, "%zu", logical_start);
        if (logical.len > limit) {
            char bytes[24], max[24];
            snprintf(bytes, sizeof bytes, "%zu", logical.len);
            snprintf(max, sizeof max, "%d", INI_LINE_MAX);
            prescan_report(L, s, NULL, NULL, HZ_M_CONFIG_LINE_TOO_LONG, start_num, bytes, max);
            s->fatal = true;
        } else {
            prescan_line(L, s, logical.data ? logical.data : "", logical_start);
        }
        logical.len = 0;
        if (logical.data)
            logical.data[0] = '\0';
    }
    hz_buf_free(&logical);
}

static int ini_discard(const char *format, ...)
{
    (void)format;
    return 0;
}

/* Reads the whole file; NULL with a problem recorded when impossible. */
static char *read_file(loader *L, const char *path, size_t *size)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            problem_add(L, NULL, NULL, HZ_M_CONFIG_FILE_MISSING, path, NULL, NULL, NULL);
        else
            problem_add(L, NULL, NULL, HZ_M_CONFIG_FILE_UNREADABLE, path, strerror(errno), NULL, NULL);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        problem_add(L, NULL, NULL, HZ_M_CONFIG_NOT_A_FILE, path, NULL, NULL, NULL);
        return NULL;
    }
    if ((uint64_t)st.st_size > CONFIG_FILE_MAX) {
        problem_add(L, NULL, NULL, HZ_M_CONFIG_FILE_UNREADABLE, path, strerror(EFBIG), NULL, NULL);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        problem_add(L, NULL, NULL, HZ_M_CONFIG_FILE_UNREADABLE, path, strerror(errno), NULL, NULL);
        return NULL;
    }
    size_t cap = (size_t)st.st_size + 1;
    char *data = malloc(cap);
    if (!data) {
        fclose(f);
        L->nomem = true;
        return NULL;
    }
    size_t n = fread(data, 1, cap - 1, f);
    int failed = ferror(f);
    int saved = errno;
    fclose(f);
    if (failed) {
        free(data);
        problem_add(L, NULL, NULL, HZ_M_CONFIG_FILE_UNREADABLE, path, strerror(saved), NULL, NULL);
        return NULL;
    }
    data[n] = '\0';
    *size = n;
    return data;
}

/* iniparser reads from a path only: a file with a BOM is loaded from an
 * unnamed temporary copy without it, reached through /dev/fd (tmpfile():
 * no name to clean up, and no environment read here). */
static dictionary *load_without_bom(loader *L, const char *path, const char *data, size_t size)
{
    FILE *copy = tmpfile();
    if (!copy) {
        problem_add(L, NULL, NULL, HZ_M_CONFIG_FILE_UNREADABLE, path, strerror(errno), NULL, NULL);
        return NULL;
    }
    bool ok = fwrite(data + 3, 1, size - 3, copy) == size - 3 && fflush(copy) == 0;
    char name[64];
    snprintf(name, sizeof name, "/dev/fd/%d", fileno(copy));
    dictionary *d = ok ? iniparser_load(name) : NULL;
    fclose(copy);
    if (!ok)
        problem_add(L, NULL, NULL, HZ_M_CONFIG_FILE_UNREADABLE, path, strerror(EIO), NULL, NULL);
    else if (!d)
        problem_add(L, NULL, NULL, HZ_M_CONFIG_PARSE_FAILED, L->file, NULL, NULL, NULL);
    return d;
}

/* Loads dir/name; NULL when the file is missing or unusable (problems
 * recorded). Problems of a loadable file (duplicates) are recorded too. */
static dictionary *ini_open(loader *L, const char *dir, const char *name)
{
    L->file = name;
    hz_buf path = { 0 };
    if (!hz_buf_printf(&path, "%s/%s", dir, name)) {
        L->nomem = true;
        return NULL;
    }
    size_t size = 0;
    char *data = read_file(L, path.data, &size);
    if (!data) {
        hz_buf_free(&path);
        return NULL;
    }
    bool bom = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
    prescan scan = { 0 };
    prescan_text(L, &scan, bom ? data + 3 : data, bom ? size - 3 : size);
    dictionary *d = NULL;
    if (!scan.fatal && !L->nomem) {
        iniparser_set_error_callback(ini_discard);
        if (bom) {
            d = load_without_bom(L, path.data, data, size);
        } else {
            d = iniparser_load(path.data);
            if (!d)
                problem_add(L, NULL, NULL, HZ_M_CONFIG_PARSE_FAILED, name, NULL, NULL, NULL);
        }
    }
    prescan_free(&scan);
    free(data);
    hz_buf_free(&path);
    return d;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

/* Value of section:key, NULL when absent. Never called with a bare
 * section name (the typed getters crash on those: CVE-2023-33461). */
static const char *ini_get(dictionary *d, const char *section, const char *key)
{
    char full[1200];
    int n = snprintf(full, sizeof full, "%s:%s", section, key);
    if (n < 0 || (size_t)n >= sizeof full)
        return NULL;
    return iniparser_getstring(d, full, NULL);
}

static const char *ini_required(loader *L, dictionary *d, const char *section, const char *key)
{
    const char *v = ini_get(d, section, key);
    if (!v || !*v) {
        problem_add(L, section, key, HZ_M_CONFIG_MISSING_KEY, section, key, NULL, NULL);
        return NULL;
    }
    return v;
}

static bool in_set(const char *key, const char *const *allowed)
{
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(allowed[i], key) == 0)
            return true;
    return false;
}

static void check_keys(loader *L, dictionary *d, const char *section, const char *const *allowed)
{
    int n = iniparser_getsecnkeys(d, section);
    if (n <= 0)
        return;
    const char **keys = calloc((size_t)n, sizeof *keys);
    if (!keys) {
        L->nomem = true;
        return;
    }
    if (iniparser_getseckeys(d, section, keys)) {
        size_t prefix = strlen(section) + 1;
        for (int i = 0; i < n; i++) {
            if (!keys[i] || strlen(keys[i]) < prefix)
                continue;
            const char *key = keys[i] + prefix;
            if (!in_set(key, allowed))
                problem_add(L, section, key, HZ_M_CONFIG_UNKNOWN_KEY, section, key, NULL, NULL);
        }
    }
    free(keys);
}

static bool parse_date_value(loader *L, const char *section, const char *key, const char *v,
                             hz_date *out)
{
    *out = HZ_DATE_NONE;
    if (!v)
        return false;
    if (!hz_date_parse(v, out)) {
        *out = HZ_DATE_NONE;
        problem_add(L, section, key, HZ_M_CONFIG_BAD_DATE, key, v, NULL, NULL);
        return false;
    }
    return true;
}

static bool get_date(loader *L, dictionary *d, const char *section, const char *key, hz_date *out)
{
    *out = HZ_DATE_NONE;
    const char *v = ini_required(L, d, section, key);
    return v && parse_date_value(L, section, key, v, out);
}

/* Whole number in [min, max], base 10 only (iniparser's getint reads "010"
 * as 8). */
static bool parse_integer(const char *v, long long min, long long max, long long *out)
{
    const char *p = v;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (!*p)
        return false;
    unsigned long long value = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        if (value > (unsigned long long)INT64_MAX / 10)
            return false;
        value = value * 10 + (unsigned)(*p - '0');
    }
    if (value > (unsigned long long)INT64_MAX)
        return false;
    long long signed_value = neg ? -(long long)value : (long long)value;
    if (signed_value < min || signed_value > max)
        return false;
    *out = signed_value;
    return true;
}

static bool get_integer(loader *L, dictionary *d, const char *section, const char *key,
                        bool required, long long min, long long max, long long def,
                        long long *out)
{
    *out = def;
    const char *v = required ? ini_required(L, d, section, key) : ini_get(d, section, key);
    if (!v)
        return !required;
    if (!*v && !required)
        return true;
    if (!parse_integer(v, min, max, out)) {
        char lo[32], hi[32];
        snprintf(lo, sizeof lo, "%lld", min);
        snprintf(hi, sizeof hi, "%lld", max);
        problem_add(L, section, key, HZ_M_CONFIG_BAD_INTEGER, key, v, lo, hi);
        *out = def;
        return false;
    }
    return true;
}

static bool get_number(loader *L, dictionary *d, const char *section, const char *key,
                       double min, double def, double *out)
{
    *out = def;
    const char *v = ini_get(d, section, key);
    if (!v || !*v)
        return true;
    char *end = NULL;
    errno = 0;
    double value = strtod(v, &end);
    /* strtod accepts "nan", "inf" and hex: only plain decimals here. */
    bool plain = true;
    for (const char *p = v; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '+'))
            plain = false;
    if (!plain || end == v || *end || errno == ERANGE || value < min) {
        char lo[32];
        snprintf(lo, sizeof lo, "%g", min);
        problem_add(L, section, key, HZ_M_CONFIG_BAD_NUMBER, key, v, lo, NULL);
        return false;
    }
    *out = value;
    return true;
}

static bool parse_bool_word(const char *v, bool *out)
{
    static const char *const yes[] = { "yes", "true", "1", "是", "y", "on", NULL };
    static const char *const no[] = { "no", "false", "0", "否", "n", "off", NULL };
    for (size_t i = 0; yes[i]; i++)
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return true;
        }
    for (size_t i = 0; no[i]; i++)
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return true;
        }
    return false;
}

static bool get_bool(loader *L, dictionary *d, const char *section, const char *key,
                     bool required, bool def, bool *out)
{
    *out = def;
    const char *v = required ? ini_required(L, d, section, key) : ini_get(d, section, key);
    if (!v)
        return !required;
    if (!*v && !required)
        return true;
    if (!parse_bool_word(v, out)) {
        problem_add(L, section, key, HZ_M_CONFIG_BAD_BOOL, key, v, NULL, NULL);
        *out = def;
        return false;
    }
    return true;
}

/* Index of v in choices (NULL-terminated), or -1 with a problem. */
static int get_choice(loader *L, dictionary *d, const char *section, const char *key,
                      const char *const *choices, const char *listing)
{
    const char *v = ini_required(L, d, section, key);
    if (!v)
        return -1;
    for (int i = 0; choices[i]; i++)
        if (strcmp(v, choices[i]) == 0)
            return i;
    problem_add(L, section, key, HZ_M_CONFIG_BAD_CHOICE, key, v, listing, NULL);
    return -1;
}

static char *get_string(loader *L, dictionary *d, const char *section, const char *key,
                        bool required, const char *def)
{
    const char *v = required ? ini_required(L, d, section, key) : ini_get(d, section, key);
    if (!v || (!required && !*v))
        v = def;
    return dup_or_flag(L, v ? v : "");
}

static void get_list(loader *L, dictionary *d, const char *section, const char *key,
                     bool required, const char *def, hz_list *out)
{
    const char *v = ini_get(d, section, key);
    if (!v && required)
        problem_add(L, section, key, HZ_M_CONFIG_MISSING_KEY, section, key, NULL, NULL);
    if (!v)
        v = def;
    if (!list_split(v ? v : "", out)) {
        L->nomem = true;
        return;
    }
    if (required && v && out->count == 0)
        problem_add(L, section, key, HZ_M_CONFIG_LIST_EMPTY, section, key, NULL, NULL);
    for (size_t i = 0; i < out->count; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp(out->items[i], out->items[j]) == 0) {
                problem_add(L, section, key, HZ_M_CONFIG_LIST_DUP_ITEM, section, key,
                            out->items[i], NULL);
                break;
            }
        }
    }
}

static bool get_date_list(loader *L, dictionary *d, const char *section, const char *key,
                          hz_date **dates, size_t *count)
{
    *dates = NULL;
    *count = 0;
    hz_list items;
    const char *v = ini_get(d, section, key);
    if (!list_split(v ? v : "", &items)) {
        L->nomem = true;
        return false;
    }
    bool ok = true;
    if (items.count) {
        *dates = calloc(items.count, sizeof **dates);
        if (!*dates) {
            L->nomem = true;
            config_list_free(&items);
            return false;
        }
    }
    for (size_t i = 0; i < items.count; i++) {
        hz_date date;
        if (parse_date_value(L, section, key, items.items[i], &date))
            (*dates)[(*count)++] = date;
        else
            ok = false;
    }
    config_list_free(&items);
    if (*count) {
        qsort(*dates, *count, sizeof **dates, date_cmp);
        size_t w = 1;
        for (size_t i = 1; i < *count; i++)
            if ((*dates)[i] != (*dates)[w - 1])
                (*dates)[w++] = (*dates)[i];
        *count = w;
    }
    return ok;
}

/* ------------------------------------------------------------------ */
/* campaign.ini                                                        */

static bool within(const hz_config *c, hz_date d)
{
    return c->start != HZ_DATE_NONE && c->end != HZ_DATE_NONE && d >= c->start && d <= c->end;
}

static void check_inside_campaign(loader *L, const char *section, const char *key, hz_date d)
{
    const hz_config *c = L->cfg;
    if (d == HZ_DATE_NONE || c->start == HZ_DATE_NONE || c->end == HZ_DATE_NONE ||
        c->start > c->end || within(c, d))
        return;
    char a[16], s[16], e[16];
    problem_add(L, section, key, HZ_M_CONFIG_OUTSIDE_CAMPAIGN, key, fmt_date(d, a, sizeof a),
                fmt_date(c->start, s, sizeof s), fmt_date(c->end, e, sizeof e));
}

static void check_order(loader *L, const char *section, const char *k1, hz_date d1,
                        const char *k2, hz_date d2)
{
    if (d1 == HZ_DATE_NONE || d2 == HZ_DATE_NONE || d1 <= d2)
        return;
    char a[16], b[16];
    problem_add(L, section, k1, HZ_M_CONFIG_DATE_ORDER, k1, fmt_date(d1, a, sizeof a), k2,
                fmt_date(d2, b, sizeof b));
}

static void load_campaign_section(loader *L, dictionary *d)
{
    static const char *const keys[] = {
        "name", "authority", "section", "contact", "phone", "year", "start", "end",
        "template_version", "stage_folder", "notice", "basis", "topic",
        "utc_offset_minutes", NULL
    };
    hz_config *c = L->cfg;
    const char *sec = "campaign";
    if (!iniparser_find_entry(d, sec)) {
        problem_add(L, sec, NULL, HZ_M_CONFIG_MISSING_SECTION, sec, NULL, NULL, NULL);
        return;
    }
    check_keys(L, d, sec, keys);
    c->name = get_string(L, d, sec, "name", true, NULL);
    c->authority = get_string(L, d, sec, "authority", true, NULL);
    c->section = get_string(L, d, sec, "section", true, NULL);
    c->contact = get_string(L, d, sec, "contact", false, "");
    c->phone = get_string(L, d, sec, "phone", false, "");
    c->stage_folder = get_string(L, d, sec, "stage_folder", false, "");
    c->notice = get_string(L, d, sec, "notice", false, "");
    c->basis = get_string(L, d, sec, "basis", false, "");
    c->topic = get_string(L, d, sec, "topic", false, c->name ? c->name : "");
    long long year = 0, version = 1;
    bool year_ok = get_integer(L, d, sec, "year", true, 2000, 2100, 0, &year);
    get_integer(L, d, sec, "template_version", true, 1, 1000000, 1, &version);
    c->year = (int)year;
    c->template_version = (int)version;
    long long offset = 480;
    get_integer(L, d, sec, "utc_offset_minutes", false, -720, 840, 480, &offset);
    c->utc_offset_minutes = (int)offset;
    get_date(L, d, sec, "start", &c->start);
    get_date(L, d, sec, "end", &c->end);
    check_order(L, sec, "start", c->start, "end", c->end);
    if (year_ok && c->start != HZ_DATE_NONE) {
        int y, m, dd;
        hz_date_to_ymd(c->start, &y, &m, &dd);
        if (y != c->year) {
            char ys[16], ds[16];
            snprintf(ys, sizeof ys, "%d", c->year);
            problem_add(L, sec, "year", HZ_M_CONFIG_YEAR_MISMATCH, ys,
                        fmt_date(c->start, ds, sizeof ds), NULL, NULL);
        }
    }
}

static void load_phase(loader *L, dictionary *d, const char *sec, const char *id)
{
    static const char *const keys[] = { "name", "first", "last", NULL };
    hz_config *c = L->cfg;
    check_keys(L, d, sec, keys);
    hz_phase *ph = append_zeroed(L, &c->phases, &c->phase_count, &c->phase_cap, sizeof *ph);
    if (!ph)
        return;
    ph->id = dup_or_flag(L, id);
    ph->name = get_string(L, d, sec, "name", true, NULL);
    get_date(L, d, sec, "first", &ph->first);
    get_date(L, d, sec, "last", &ph->last);
    check_order(L, sec, "first", ph->first, "last", ph->last);
    check_inside_campaign(L, sec, "first", ph->first);
    check_inside_campaign(L, sec, "last", ph->last);
    if (c->phase_count >= 2) {
        const hz_phase *prev = &c->phases[c->phase_count - 2];
        if (ph->first != HZ_DATE_NONE && prev->last != HZ_DATE_NONE && ph->first <= prev->last) {
            char a[16], b[16];
            problem_add(L, sec, "first", HZ_M_CONFIG_PHASE_OVERLAP, id,
                        fmt_date(ph->first, a, sizeof a), prev->id ? prev->id : "",
                        fmt_date(prev->last, b, sizeof b));
        }
    }
}

static void load_round(loader *L, dictionary *d, const char *sec, const char *id)
{
    static const char *const keys[] = {
        "name", "period_start", "period_end", "deadline", "move_to_workday", NULL
    };
    hz_config *c = L->cfg;
    check_keys(L, d, sec, keys);
    if (strcmp(id, "stage") != 0 && strcmp(id, "annual") != 0) {
        problem_add(L, sec, NULL, HZ_M_CONFIG_ROUND_ID, sec, NULL, NULL, NULL);
        return;
    }
    hz_round *r = append_zeroed(L, &c->rounds, &c->round_count, &c->round_cap, sizeof *r);
    if (!r)
        return;
    r->id = dup_or_flag(L, id);
    r->name = get_string(L, d, sec, "name", true, NULL);
    get_date(L, d, sec, "period_start", &r->period_start);
    get_date(L, d, sec, "period_end", &r->period_end);
    get_date(L, d, sec, "deadline", &r->deadline);
    get_bool(L, d, sec, "move_to_workday", false, false, &r->move_to_workday);
    check_order(L, sec, "period_start", r->period_start, "period_end", r->period_end);
    check_inside_campaign(L, sec, "period_start", r->period_start);
    check_inside_campaign(L, sec, "period_end", r->period_end);
    check_inside_campaign(L, sec, "deadline", r->deadline);
    if (r->deadline != HZ_DATE_NONE && r->period_end != HZ_DATE_NONE &&
        r->deadline < r->period_end) {
        char a[16], b[16];
        problem_add(L, sec, "deadline", HZ_M_CONFIG_ROUND_DEADLINE, id,
                    fmt_date(r->deadline, a, sizeof a), fmt_date(r->period_end, b, sizeof b),
                    NULL);
    }
}

static void load_calendar(loader *L, dictionary *d, const char *sec)
{
    static const char *const keys[] = { "holidays", "workdays", NULL };
    hz_config *c = L->cfg;
    check_keys(L, d, sec, keys);
    get_date_list(L, d, sec, "holidays", &c->holidays, &c->holiday_count);
    get_date_list(L, d, sec, "workdays", &c->workdays, &c->workday_count);
}

static void load_report(loader *L, dictionary *d)
{
    static const char *const keys[] = {
        "title", "recipient", "signature", "font_title", "font_body", "font_heading1",
        "font_heading2", "font_page", "font_fallbacks", "title_words", "amount_decimals",
        "typical_cases", "narrative", NULL
    };
    hz_report_settings *r = &L->cfg->report;
    const char *sec = "report";
    bool present = iniparser_find_entry(d, sec);
    if (!present)
        problem_add(L, sec, NULL, HZ_M_CONFIG_MISSING_SECTION, sec, NULL, NULL, NULL);
    else
        check_keys(L, d, sec, keys);
    r->title = present ? get_string(L, d, sec, "title", true, NULL) : dup_or_flag(L, "");
    r->recipient = present ? get_string(L, d, sec, "recipient", true, NULL) : dup_or_flag(L, "");
    r->signature = present ? get_string(L, d, sec, "signature", true, NULL) : dup_or_flag(L, "");
    /* Each role: fontconfig families in order, the bureau's font first and
     * a Debian-packaged one last (GB/T 9704: 小标宋 title, 仿宋 body, 黑体
     * and 楷体 headings, 宋体 page numbers). */
    get_list(L, d, sec, "font_title", false, "方正小标宋简体, 方正小标宋_GBK, AR PL SungtiL GB",
             &r->font_title);
    get_list(L, d, sec, "font_body", false, "仿宋_GB2312, 仿宋, AR PL SungtiL GB", &r->font_body);
    get_list(L, d, sec, "font_heading1", false, "黑体, WenQuanYi Zen Hei", &r->font_heading1);
    get_list(L, d, sec, "font_heading2", false, "楷体_GB2312, 楷体, AR PL KaitiM GB",
             &r->font_heading2);
    get_list(L, d, sec, "font_page", false, "宋体, AR PL UMing CN", &r->font_page);
    get_list(L, d, sec, "font_fallbacks", false, "AR PL UMing CN", &r->font_fallbacks);
    get_list(L, d, sec, "title_words", false, "", &r->title_words);
    long long decimals = 2;
    get_integer(L, d, sec, "amount_decimals", false, 0, 4, 2, &decimals);
    r->amount_decimals = (int)decimals;
    long long typical = 5;
    get_integer(L, d, sec, "typical_cases", false, 1, 10, 5, &typical);
    r->typical_cases = (int)typical;
    r->narrative_name = get_string(L, d, sec, "narrative", false, "");
}

/* The city's narrative file: [report] narrative, else narrative.md when it
 * exists. Read here so that the library never looks for it later. */
static void load_narrative(loader *L, const char *dir)
{
    hz_report_settings *r = &L->cfg->report;
    bool named = r->narrative_name && r->narrative_name[0];
    const char *rel = named ? r->narrative_name : "narrative.md";
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *path = malloc(n);
    if (!path) {
        L->nomem = true;
        return;
    }
    if (rel[0] == '/')
        snprintf(path, n, "%s", rel);
    else
        snprintf(path, n, "%s/%s", dir, rel);
    struct stat st;
    if (stat(path, &st) != 0 && !named) {
        free(path);
        return;
    }
    const char *prev = L->file;
    L->file = "campaign.ini";
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 20)) {
        problem_add(L, "report", "narrative", HZ_M_IO_OPEN, path,
                    st.st_size > (1 << 20) ? "> 1 MiB" : strerror(errno ? errno : EINVAL),
                    NULL, NULL);
    } else {
        FILE *f = fopen(path, "rb");
        char *text = f ? malloc((size_t)st.st_size + 1) : NULL;
        size_t got = text ? fread(text, 1, (size_t)st.st_size, f) : 0;
        if (f)
            fclose(f);
        if (!text || got != (size_t)st.st_size || !hz_utf8_valid(text, got)) {
            problem_add(L, "report", "narrative", HZ_M_IO_OPEN, path,
                        text ? "not UTF-8 text" : strerror(errno ? errno : EIO), NULL, NULL);
            free(text);
        } else {
            text[got] = '\0';
            r->narrative_text = text;
            const char *base = strrchr(path, '/');
            free(r->narrative_name);
            r->narrative_name = dup_or_flag(L, base ? base + 1 : path);
        }
    }
    L->file = prev;
    free(path);
}

static void load_limits(loader *L, dictionary *d)
{
    static const char *const keys[] = {
        "max_entry_bytes", "max_total_bytes", "max_ratio", "max_entries", "max_cell_chars",
        "max_rows", "max_cols", "max_shared_strings", "max_xml_depth", "max_text_bytes",
        "max_issues_per_rule", "max_upload_bytes", NULL
    };
    hz_limits *lim = &L->cfg->limits;
    const char *sec = "limits";
    if (iniparser_find_entry(d, sec))
        check_keys(L, d, sec, keys);
    long long v;
    const long long u32 = 4294967295LL;
    get_integer(L, d, sec, "max_entry_bytes", false, 1, INT64_MAX, 64LL << 20, &v);
    lim->max_entry_bytes = (uint64_t)v;
    get_integer(L, d, sec, "max_total_bytes", false, 1, INT64_MAX, 256LL << 20, &v);
    lim->max_total_bytes = (uint64_t)v;
    get_integer(L, d, sec, "max_ratio", false, 1, u32, 200, &v);
    lim->max_ratio = (uint32_t)v;
    get_integer(L, d, sec, "max_entries", false, 1, u32, 1000, &v);
    lim->max_entries = (uint32_t)v;
    get_integer(L, d, sec, "max_cell_chars", false, 1, u32, 32767, &v);
    lim->max_cell_chars = (uint32_t)v;
    get_integer(L, d, sec, "max_rows", false, 1, u32, 1048576, &v);
    lim->max_rows = (uint32_t)v;
    get_integer(L, d, sec, "max_cols", false, 1, u32, 16384, &v);
    lim->max_cols = (uint32_t)v;
    get_integer(L, d, sec, "max_shared_strings", false, 1, u32, 2000000, &v);
    lim->max_shared_strings = (uint32_t)v;
    get_integer(L, d, sec, "max_xml_depth", false, 1, u32, 64, &v);
    lim->max_xml_depth = (uint32_t)v;
    get_integer(L, d, sec, "max_text_bytes", false, 1, INT64_MAX, 64LL << 20, &v);
    lim->max_text_bytes = (uint64_t)v;
    get_integer(L, d, sec, "max_issues_per_rule", false, 1, u32, 100, &v);
    lim->max_issues_per_rule = (uint32_t)v;
    get_integer(L, d, sec, "max_upload_bytes", false, 1, INT64_MAX, 20LL << 20, &v);
    lim->max_upload_bytes = (uint64_t)v;
}

static void load_outliers_assessment(loader *L, dictionary *d)
{
    static const char *const okeys[] = { "threshold", "min_units", NULL };
    static const char *const akeys[] = {
        "w_timeliness", "w_quality", "w_completeness", "w_results",
        "late_deduction_per_day", "error_deduction", "warning_deduction",
        "grade_excellent", "grade_good", "grade_pass", NULL
    };
    hz_config *c = L->cfg;
    if (iniparser_find_entry(d, "outliers"))
        check_keys(L, d, "outliers", okeys);
    get_number(L, d, "outliers", "threshold", 0, 3.5, &c->outlier_threshold);
    long long min_units = 5;
    get_integer(L, d, "outliers", "min_units", false, 1, 100000, 5, &min_units);
    c->outlier_min_units = (int)min_units;

    const char *sec = "assessment";
    if (iniparser_find_entry(d, sec))
        check_keys(L, d, sec, akeys);
    hz_assessment_weights *w = &c->assessment;
    get_number(L, d, sec, "w_timeliness", 0, 20, &w->w_timeliness);
    get_number(L, d, sec, "w_quality", 0, 20, &w->w_quality);
    get_number(L, d, sec, "w_completeness", 0, 10, &w->w_completeness);
    get_number(L, d, sec, "w_results", 0, 50, &w->w_results);
    get_number(L, d, sec, "late_deduction_per_day", 0, 2, &w->late_deduction_per_day);
    get_number(L, d, sec, "error_deduction", 0, 5, &w->error_deduction);
    get_number(L, d, sec, "warning_deduction", 0, 1, &w->warning_deduction);
    get_number(L, d, sec, "grade_excellent", 0, 90, &w->grade_excellent);
    get_number(L, d, sec, "grade_good", 0, 80, &w->grade_good);
    get_number(L, d, sec, "grade_pass", 0, 60, &w->grade_pass);
}

static const char *const measure_numerals[] = {"一", "二", "三", "四", "五", "工作要求", NULL};


static void load_measures(loader *L, dictionary *d, const char *sec)
{
    /* keys: 一 … 工作要求, and 一.channels / 一.commodities … */
    const char *keys[6 * 3 + 1];
    char extra[12][64];
    size_t k = 0;
    for (int i = 0; measure_numerals[i]; i++) {
        keys[k++] = measure_numerals[i];
        snprintf(extra[2 * i], sizeof extra[0], "%s.channels", measure_numerals[i]);
        snprintf(extra[2 * i + 1], sizeof extra[0], "%s.commodities", measure_numerals[i]);
        keys[k++] = extra[2 * i];
        keys[k++] = extra[2 * i + 1];
    }
    keys[k] = NULL;
    check_keys(L, d, sec, keys);
    for (int i = 0; measure_numerals[i]; i++) {
        free(L->cfg->measure_names[i]);
        L->cfg->measure_names[i] = get_string(L, d, sec, measure_numerals[i], false, "");
        config_list_free(&L->cfg->measure_channels[i]);
        config_list_free(&L->cfg->measure_commodities[i]);
        get_list(L, d, sec, extra[2 * i], false, "", &L->cfg->measure_channels[i]);
        get_list(L, d, sec, extra[2 * i + 1], false, "", &L->cfg->measure_commodities[i]);
    }
}

/* [measures] N.channels / N.commodities name lists.ini items. */
static void check_measure_lists(loader *L)
{
    hz_config *c = L->cfg;
    const char *prev = L->file;
    L->file = "campaign.ini";
    for (int i = 0; measure_numerals[i]; i++) {
        for (int kind = 0; kind < 2; kind++) {
            const hz_list *items = kind ? &c->measure_commodities[i] : &c->measure_channels[i];
            const hz_list *known = kind ? &c->commodities : &c->channels;
            char key[64];
            snprintf(key, sizeof key, "%s.%s", measure_numerals[i], kind ? "commodities" : "channels");
            for (size_t k = 0; k < items->count; k++)
                if (!config_list_contains(known, items->items[k]))
                    problem_add(L, "measures", key, HZ_M_CONFIG_MEASURE_LIST_ITEM, key,
                                items->items[k], kind ? "commodity" : "channel", NULL);
        }
    }
    L->file = prev;
}

static void load_campaign(loader *L, const char *dir)
{
    dictionary *d = ini_open(L, dir, "campaign.ini");
    if (!d)
        return;
    load_campaign_section(L, d);
    int n = iniparser_getnsec(d);
    for (int i = 0; i < n; i++) {
        const char *sec = iniparser_getsecname(d, i);
        if (!sec)
            continue;
        if (strncmp(sec, "phase.", 6) == 0 && sec[6]) {
            load_phase(L, d, sec, sec + 6);
        } else if (strncmp(sec, "round.", 6) == 0 && sec[6]) {
            load_round(L, d, sec, sec + 6);
        } else if (strcmp(sec, "calendar") == 0) {
            load_calendar(L, d, sec);
        } else if (strcmp(sec, "measures") == 0) {
            load_measures(L, d, sec);
        } else if (strcmp(sec, "campaign") != 0 && strcmp(sec, "report") != 0 &&
                   strcmp(sec, "limits") != 0 && strcmp(sec, "outliers") != 0 &&
                   strcmp(sec, "assessment") != 0) {
            problem_add(L, sec, NULL, HZ_M_CONFIG_UNKNOWN_SECTION, sec, NULL, NULL, NULL);
        }
    }
    load_report(L, d);
    load_limits(L, d);
    load_outliers_assessment(L, d);
    if (L->cfg->phase_count == 0)
        problem_add(L, NULL, NULL, HZ_M_CONFIG_NO_PHASES, NULL, NULL, NULL, NULL);
    if (L->cfg->round_count == 0)
        problem_add(L, NULL, NULL, HZ_M_CONFIG_NO_ROUNDS, NULL, NULL, NULL, NULL);
    iniparser_freedict(d);
}

/* ------------------------------------------------------------------ */
/* units.ini, indicators.ini, rules.ini                                */

/* The codes seen so far in one file and the sections that hold them, for
 * duplicate messages. */
typedef struct code_entry {
    char *code;
    char *section;
} code_entry;

typedef struct code_index {
    code_entry *items;
    size_t count, cap;
} code_index;

static void code_index_free(code_index *ix)
{
    for (size_t i = 0; i < ix->count; i++) {
        free(ix->items[i].code);
        free(ix->items[i].section);
    }
    free(ix->items);
}

/* Returns the section already holding code, or records it and returns
 * NULL. */
static const char *code_index_claim(loader *L, code_index *ix, const char *code,
                                    const char *section)
{
    for (size_t i = 0; i < ix->count; i++)
        if (strcmp(ix->items[i].code, code) == 0)
            return ix->items[i].section;
    if (!hz_array_reserve(&ix->items, &ix->cap, ix->count + 1, sizeof *ix->items)) {
        L->nomem = true;
        return NULL;
    }
    code_entry e = { hz_strdup(code), hz_strdup(section) };
    if (!e.code || !e.section) {
        free(e.code);
        free(e.section);
        L->nomem = true;
        return NULL;
    }
    ix->items[ix->count++] = e;
    return NULL;
}

/* Records the code of section sec (key key) in ix; a code that an earlier
 * section holds already is the problem dup (CODE, EARLIER SECTION). */
static void code_index_check(loader *L, code_index *ix, const char *code, const char *sec,
                             const char *key, hz_msg_id dup)
{
    if (!code || !*code)
        return;
    const char *prev = code_index_claim(L, ix, code, sec);
    if (prev)
        problem_add(L, sec, key, dup, code, prev, NULL, NULL);
}

/* A walk over the sections of a file that fill one array of the config
 * (units.ini, indicators.ini, rules.ini): one element per named section.
 * The sections and the keys are listed once when the walk opens, the keys
 * sorted: iniparser's getsecname and getseckeys scan the whole dictionary
 * on every call, which made units.ini of 2,850 units cost 1.5 s (issue 19). */
typedef struct walk_key {
    const char *key;         /* "section:key", as iniparser holds it */
    size_t pos;              /* in the dictionary (file order) */
} walk_key;

typedef struct section_walk {
    dictionary *d;
    const char *const *keys; /* the keys a section may have */
    const char **sections;   /* named sections, in file order */
    walk_key *all;           /* every section:key, sorted by key */
    size_t all_count;
    int next, count;
    code_index codes;        /* codes (ids) seen, for duplicate messages */
} section_walk;

static int walk_key_cmp(const void *a, const void *b)
{
    return strcmp(((const walk_key *)a)->key, ((const walk_key *)b)->key);
}

static int walk_key_pos_cmp(const void *a, const void *b)
{
    size_t x = ((const walk_key *)a)->pos, y = ((const walk_key *)b)->pos;
    return x < y ? -1 : x > y;
}

/* Opens file of dir for a walk; false when it cannot be read (reported). */
static bool section_walk_open(loader *L, const char *dir, const char *file,
                              const char *const *keys, section_walk *w)
{
    dictionary *d = ini_open(L, dir, file);
    *w = (section_walk){ .d = d, .keys = keys };
    if (!d)
        return false;
    /* as iniparser_getsecname counts them: a key without ':' is a section */
    size_t size = d->size > 0 ? (size_t)d->size : 0, nsec = 0, nkey = 0;
    for (size_t i = 0; i < size; i++)
        if (d->key[i])
            strchr(d->key[i], ':') ? nkey++ : nsec++;
    w->sections = malloc((nsec ? nsec : 1) * sizeof *w->sections);
    w->all = malloc((nkey ? nkey : 1) * sizeof *w->all);
    if (!w->sections || !w->all) {
        L->nomem = true;
        return true; /* an empty walk; section_walk_end frees */
    }
    for (size_t i = 0; i < size; i++) {
        if (!d->key[i])
            continue;
        if (strchr(d->key[i], ':'))
            w->all[w->all_count++] = (walk_key){ d->key[i], i };
        else
            w->sections[w->count++] = d->key[i];
    }
    qsort(w->all, w->all_count, sizeof *w->all, walk_key_cmp);
    return true;
}

/* check_keys over the walk's sorted keys: the keys of section are the run
 * that starts with "section:" (iniparser_getseckeys' test). */
static void section_walk_check_keys(loader *L, const section_walk *w, const char *section)
{
    char prefix[1200];
    int plen = snprintf(prefix, sizeof prefix, "%s:", section);
    if (plen < 0 || (size_t)plen >= sizeof prefix) {
        check_keys(L, w->d, section, w->keys);
        return;
    }
    size_t lo = 0, hi = w->all_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(w->all[mid].key, prefix) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < w->all_count && !strncmp(w->all[end].key, prefix, (size_t)plen))
        end++;
    /* the unknown ones in file order, as the messages always came */
    walk_key *unknown = NULL;
    size_t n = 0;
    for (size_t i = lo; i < end; i++) {
        if (in_set(w->all[i].key + plen, w->keys))
            continue;
        if (!unknown && !(unknown = malloc((end - lo) * sizeof *unknown))) {
            L->nomem = true;
            return;
        }
        unknown[n++] = w->all[i];
    }
    if (n > 1)
        qsort(unknown, n, sizeof *unknown, walk_key_pos_cmp);
    for (size_t i = 0; i < n; i++)
        problem_add(L, section, unknown[i].key + plen, HZ_M_CONFIG_UNKNOWN_KEY, section,
                    unknown[i].key + plen, NULL, NULL);
    free(unknown);
}

/* The next named section (*sec), its keys checked, and a new zeroed element
 * of the array (items_ptr, *count, *cap) for it; NULL at the end or when
 * memory runs out (L->nomem). */
static void *section_walk_next(loader *L, section_walk *w, const char **sec, void *items_ptr,
                               size_t *count, size_t *cap, size_t elem_size)
{
    if (w->next >= w->count)
        return NULL;
    const char *name = w->sections[w->next++];
    section_walk_check_keys(L, w, name);
    *sec = name;
    return append_zeroed(L, items_ptr, count, cap, elem_size);
}

/* Frees what the walk holds and the dictionary. */
static void section_walk_end(section_walk *w)
{
    code_index_free(&w->codes);
    free(w->sections);
    free(w->all);
    iniparser_freedict(w->d);
}

static void load_units(loader *L, const char *dir)
{
    static const char *const keys[] = { "code", "name", "short", "kind", NULL };
    static const char *const kinds[] = { "county", "district", "zone", "branch", NULL };
    section_walk w;
    if (!section_walk_open(L, dir, "units.ini", keys, &w))
        return;
    dictionary *d = w.d;
    hz_config *c = L->cfg;
    const char *sec;
    hz_unit *u;
    while ((u = section_walk_next(L, &w, &sec, &c->units, &c->unit_count, &c->unit_cap,
                                  sizeof *u))) {
        u->code = get_string(L, d, sec, "code", true, NULL);
        u->name = get_string(L, d, sec, "name", true, NULL);
        u->short_name = get_string(L, d, sec, "short", true, NULL);
        int kind = get_choice(L, d, sec, "kind", kinds, "county | district | zone | branch");
        u->kind = kind < 0 ? HZ_UNIT_COUNTY : (hz_unit_kind)kind;
        if (u->code && *u->code) {
            size_t chars = hz_utf8_length(u->code);
            if (chars != 6) {
                char num[24];
                snprintf(num, sizeof num, "%zu", chars);
                problem_add(L, sec, "code", HZ_M_CONFIG_UNIT_CODE_LENGTH, u->code, num, NULL, NULL);
            }
            code_index_check(L, &w.codes, u->code, sec, "code", HZ_M_CONFIG_DUP_UNIT);
        }
    }
    if (c->unit_count == 0)
        problem_add(L, NULL, NULL, HZ_M_CONFIG_NO_UNITS, NULL, NULL, NULL, NULL);
    section_walk_end(&w);
}

static bool indicator_code_ok(const char *code)
{
    if (!((code[0] >= 'A' && code[0] <= 'Z') || (code[0] >= 'a' && code[0] <= 'z')))
        return false;
    for (const char *p = code; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return strcmp(code, "compulsory_pair") != 0 && strcmp(code, "exclusive_pair") != 0 &&
           rule_expr_case_figure_find(code) < 0;
}

/* part_of = WHOLE: the whole exists, is another indicator of the same
 * measure and type, and is not itself a part (one level, no cycles).
 * sections[i] is the indicators.ini section of indicator i. */
static void check_part_of(loader *L, const char *const *sections)
{
    hz_config *c = L->cfg;
    for (size_t i = 0; i < c->indicator_count; i++) {
        hz_indicator *ind = &c->indicators[i];
        if (!ind->part_of || !ind->part_of[0] || !ind->code)
            continue;
        const char *sec = sections[i] ? sections[i] : ind->code;
        const hz_indicator *whole = config_find_indicator(c, ind->part_of);
        if (!whole || whole == ind)
            problem_add(L, sec, "part_of", HZ_M_CONFIG_PART_OF_UNKNOWN, ind->code, ind->part_of,
                        NULL, NULL);
        else if (!whole->measure || !ind->measure || strcmp(whole->measure, ind->measure) ||
                 whole->type != ind->type)
            problem_add(L, sec, "part_of", HZ_M_CONFIG_PART_OF_MISMATCH, ind->code, whole->code,
                        NULL, NULL);
        else if (whole->part_of && whole->part_of[0])
            problem_add(L, sec, "part_of", HZ_M_CONFIG_PART_OF_NESTED, ind->code, whole->code,
                        NULL, NULL);
    }
}

static void load_indicators(loader *L, const char *dir)
{
    static const char *const keys[] = {
        "code", "name", "uom", "measure", "type", "over_rounds", "required", "note",
        "part_of", NULL
    };
    static const char *const measures[] = { "一", "二", "三", "四", "五", "工作要求", NULL };
    static const char *const types[] = { "count", "amount", NULL };
    static const char *const aggs[] = { "cumulative", "stock", NULL };
    section_walk w;
    if (!section_walk_open(L, dir, "indicators.ini", keys, &w))
        return;
    dictionary *d = w.d;
    hz_config *c = L->cfg;
    const char *sec;
    hz_indicator *ind;
    while ((ind = section_walk_next(L, &w, &sec, &c->indicators, &c->indicator_count,
                                    &c->indicator_cap, sizeof *ind))) {
        ind->code = get_string(L, d, sec, "code", true, NULL);
        ind->name = get_string(L, d, sec, "name", true, NULL);
        ind->uom = get_string(L, d, sec, "uom", true, NULL);
        ind->note = get_string(L, d, sec, "note", false, "");
        ind->part_of = get_string(L, d, sec, "part_of", false, "");
        int m = get_choice(L, d, sec, "measure", measures, "一 | 二 | 三 | 四 | 五 | 工作要求");
        ind->measure = dup_or_flag(L, m >= 0 ? measures[m] : "");
        int t = get_choice(L, d, sec, "type", types, "count | amount");
        ind->type = t == 1 ? HZ_VALUE_AMOUNT : HZ_VALUE_COUNT;
        int a = get_choice(L, d, sec, "over_rounds", aggs, "cumulative | stock");
        ind->over_rounds = a == 1 ? HZ_AGG_STOCK : HZ_AGG_CUMULATIVE;
        get_bool(L, d, sec, "required", true, false, &ind->required);
        if (ind->code && *ind->code) {
            if (!indicator_code_ok(ind->code))
                problem_add(L, sec, "code", HZ_M_CONFIG_INDICATOR_CODE, ind->code, NULL, NULL, NULL);
            code_index_check(L, &w.codes, ind->code, sec, "code", HZ_M_CONFIG_DUP_INDICATOR);
        }
    }
    if (c->indicator_count == 0)
        problem_add(L, NULL, NULL, HZ_M_CONFIG_NO_INDICATORS, NULL, NULL, NULL, NULL);
    const char **sections = calloc(c->indicator_count + 1, sizeof *sections);
    if (!sections) {
        L->nomem = true;
    } else {
        for (int i = 0, k = 0; i < w.count && (size_t)k < c->indicator_count; i++)
            sections[k++] = w.sections[i];
        check_part_of(L, sections);
        free(sections);
    }
    section_walk_end(&w);
}

static void load_rules(loader *L, const char *dir, bool indicators_ok)
{
    static const char *const keys[] = {
        "id", "expr", "severity", "missing", "message", "message_en", NULL
    };
    static const char *const severities[] = { "error", "warning", "notice", NULL };
    static const char *const strategies[] = {
        "never_skip", "skip_if_any_missing", "skip_if_all_missing", NULL
    };
    section_walk w;
    if (!section_walk_open(L, dir, "rules.ini", keys, &w))
        return;
    dictionary *d = w.d;
    hz_config *c = L->cfg;
    const char *sec;
    hz_rule *r;
    while ((r = section_walk_next(L, &w, &sec, &c->rules, &c->rule_count, &c->rule_cap,
                                  sizeof *r))) {
        r->id = get_string(L, d, sec, "id", true, NULL);
        r->expr = get_string(L, d, sec, "expr", true, NULL);
        r->message = get_string(L, d, sec, "message", true, NULL);
        r->message_en = get_string(L, d, sec, "message_en", true, NULL);
        int s = get_choice(L, d, sec, "severity", severities, "error | warning | notice");
        r->severity = s < 0 ? HZ_SEV_ERROR : (hz_severity)s;
        int m = get_choice(L, d, sec, "missing", strategies,
                           "never_skip | skip_if_any_missing | skip_if_all_missing");
        r->missing = m < 0 ? HZ_MISSING_NEVER_SKIP : (hz_missing_strategy)m;
        const char *rule_name = r->id && *r->id ? r->id : sec;
        code_index_check(L, &w.codes, r->id, sec, "id", HZ_M_CONFIG_DUP_RULE);
        if (r->expr && *r->expr) {
            rule_expr *e = NULL;
            hz_error err = { 0 };
            hz_status st = rule_expr_parse(r->expr, &e, &err);
            if (st == HZ_ERR_NOMEM) {
                L->nomem = true;
            } else if (st != HZ_OK) {
                problem_add_error(L, sec, "expr", &err);
            } else if (indicators_ok) {
                const char *const *names = NULL;
                size_t count = rule_expr_identifiers(e, &names);
                for (size_t k = 0; k < count; k++) {
                    if (rule_expr_case_figure_find(names[k]) < 0 &&
                        !config_find_indicator(c, names[k]))
                        problem_add(L, sec, "expr", HZ_M_CONFIG_RULE_UNKNOWN_NAME, rule_name,
                                    names[k], NULL, NULL);
                }
            }
            rule_expr_free(e);
        }
    }
    section_walk_end(&w);
}

/* Each valid part_of relation is a validation rule "PART <= WHOLE", unless
 * rules.ini states it already. */
static void load_part_of(loader *L)
{
    hz_config *c = L->cfg;
    const char *prev_file = L->file;
    L->file = "indicators.ini";
    size_t n = c->indicator_count;
    for (size_t i = 0; i < n && !L->nomem; i++) {
        hz_indicator *ind = &c->indicators[i];
        if (!ind->part_of || !ind->part_of[0])
            continue;
        const hz_indicator *whole = config_find_indicator(c, ind->part_of);
        if (!whole || whole == ind || strcmp(whole->measure, ind->measure) ||
            whole->type != ind->type || (whole->part_of && whole->part_of[0]))
            continue; /* reported by check_part_of */
        char expr[256];
        snprintf(expr, sizeof expr, "%s <= %s", ind->code, whole->code);
        bool stated = false;
        for (size_t k = 0; k < c->rule_count && !stated; k++) {
            /* compare what the expressions say, not their spacing */
            char x[256], y[256];
            size_t xi = 0, yi = 0;
            for (const char *p = c->rules[k].expr ? c->rules[k].expr : ""; *p && xi < 255; p++)
                if (*p != ' ' && *p != '\t')
                    x[xi++] = *p;
            for (const char *p = expr; *p && yi < 255; p++)
                if (*p != ' ')
                    y[yi++] = *p;
            x[xi] = y[yi] = '\0';
            stated = !strcmp(x, y);
        }
        if (stated)
            continue;
        hz_rule *r = append_zeroed(L, &c->rules, &c->rule_count, &c->rule_cap, sizeof *r);
        if (!r)
            break;
        char id[160], msg[512], msg_en[512];
        snprintf(id, sizeof id, "part_of.%s", ind->code);
        snprintf(msg, sizeof msg, "%s不应多于%s（%s 是 %s 的一部分）", ind->name, whole->name,
                 ind->code, whole->code);
        snprintf(msg_en, sizeof msg_en, "%s cannot exceed %s (%s is part of %s)", ind->code,
                 whole->code, ind->code, whole->code);
        r->id = dup_or_flag(L, id);
        r->expr = dup_or_flag(L, expr);
        r->message = dup_or_flag(L, msg);
        r->message_en = dup_or_flag(L, msg_en);
        r->severity = HZ_SEV_ERROR;
        r->missing = HZ_MISSING_SKIP_IF_ANY;
    }
    L->file = prev_file;
}

/* ------------------------------------------------------------------ */
/* lists.ini                                                           */

static void load_lists(loader *L, const char *dir)
{
    static const char *const item_keys[] = { "items", NULL };
    static const char *const yes_no_keys[] = { "yes", "no", "yes_aliases", "no_aliases", NULL };
    static const char *const list_sections[] = {
        "case_category", "commodity", "channel", "lead_source", "case_status", NULL
    };
    dictionary *d = ini_open(L, dir, "lists.ini");
    if (!d)
        return;
    hz_config *c = L->cfg;
    hz_list *targets[] = {
        &c->case_categories, &c->commodities, &c->channels, &c->lead_sources, &c->case_statuses
    };
    for (size_t i = 0; list_sections[i]; i++) {
        const char *sec = list_sections[i];
        if (!iniparser_find_entry(d, sec)) {
            problem_add(L, sec, NULL, HZ_M_CONFIG_MISSING_SECTION, sec, NULL, NULL, NULL);
            continue;
        }
        check_keys(L, d, sec, item_keys);
        get_list(L, d, sec, "items", true, NULL, targets[i]);
    }
    const char *yn = "yes_no";
    if (!iniparser_find_entry(d, yn)) {
        problem_add(L, yn, NULL, HZ_M_CONFIG_MISSING_SECTION, yn, NULL, NULL, NULL);
        c->yes_word = dup_or_flag(L, "是");
        c->no_word = dup_or_flag(L, "否");
    } else {
        check_keys(L, d, yn, yes_no_keys);
        c->yes_word = get_string(L, d, yn, "yes", true, NULL);
        c->no_word = get_string(L, d, yn, "no", true, NULL);
        get_list(L, d, yn, "yes_aliases", false, NULL, &c->yes_aliases);
        get_list(L, d, yn, "no_aliases", false, NULL, &c->no_aliases);
    }
    const char *ha = "header_aliases";
    int nkeys = iniparser_find_entry(d, ha) ? iniparser_getsecnkeys(d, ha) : 0;
    if (nkeys > 0) {
        const char **keys = calloc((size_t)nkeys, sizeof *keys);
        c->aliases = calloc((size_t)nkeys, sizeof *c->aliases);
        if (!keys || !c->aliases) {
            L->nomem = true;
        } else if (iniparser_getseckeys(d, ha, keys)) {
            size_t prefix = strlen(ha) + 1;
            for (int i = 0; i < nkeys; i++) {
                if (!keys[i] || strlen(keys[i]) < prefix)
                    continue;
                const char *canonical = keys[i] + prefix;
                hz_alias *a = &c->aliases[c->alias_count++];
                a->canonical = dup_or_flag(L, canonical);
                get_list(L, d, ha, canonical, true, NULL, &a->alternatives);
            }
        }
        free(keys);
    }
    int n = iniparser_getnsec(d);
    for (int i = 0; i < n; i++) {
        const char *sec = iniparser_getsecname(d, i);
        if (sec && !in_set(sec, list_sections) && strcmp(sec, yn) != 0 && strcmp(sec, ha) != 0)
            problem_add(L, sec, NULL, HZ_M_CONFIG_UNKNOWN_SECTION, sec, NULL, NULL, NULL);
    }
    iniparser_freedict(d);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

hz_status config_load(const char *dir, hz_config **out, hz_config_problems *problems)
{
    hz_config_problems local = { 0 };
    hz_config_problems *ps = problems ? problems : &local;
    ps->items = NULL;
    ps->count = ps->cap = 0;
    if (out)
        *out = NULL;
    loader L = { .problems = ps };
    if (!dir || !out) {
        L.file = "";
        problem_add(&L, NULL, NULL, HZ_M_INTERNAL, "config_load: NULL argument", NULL, NULL, NULL);
        if (!problems)
            config_problems_free(&local);
        return HZ_ERR_USAGE;
    }
    struct stat st;
    int dir_errno = stat(dir, &st) != 0 ? errno : (S_ISDIR(st.st_mode) ? 0 : ENOTDIR);
    if (dir_errno) {
        L.file = "";
        problem_add(&L, NULL, NULL, HZ_M_IO_OPEN, dir, strerror(dir_errno), NULL, NULL);
        if (!problems)
            config_problems_free(&local);
        return L.nomem ? HZ_ERR_NOMEM : HZ_ERR_IO;
    }
    hz_config *c = calloc(1, sizeof *c);
    if (!c)
        return HZ_ERR_NOMEM;
    c->start = c->end = HZ_DATE_NONE;
    L.cfg = c;
    c->dir = dup_or_flag(&L, dir);

    load_campaign(&L, dir);
    load_units(&L, dir);
    size_t mark = ps->count;
    load_indicators(&L, dir);
    bool indicators_ok = !has_problems_since(&L, mark) && c->indicator_count > 0;
    load_rules(&L, dir, indicators_ok);
    if (indicators_ok && !L.nomem)
        load_part_of(&L);
    load_lists(&L, dir);
    check_measure_lists(&L);
    load_narrative(&L, dir);

    if (!L.nomem && !config_index_units(c))
        L.nomem = true;
    hz_status status = HZ_OK;
    if (L.nomem)
        status = HZ_ERR_NOMEM;
    else if (ps->count)
        status = HZ_ERR_CONFIG;
    if (status != HZ_OK) {
        config_free(c);
        if (!problems)
            config_problems_free(&local);
        return status;
    }
    *out = c;
    return HZ_OK;
}
