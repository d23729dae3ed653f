/* consolidate.c - folder scan, accounting, receipts and figures; see
 * consolidate.h. The report context lives in report_context.c, the display
 * texts in display_format.c. */
#include "consolidate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "fsutil.h"
#include "hz_text.h"

#define RECEIPTS_NAME "receipts.ini"

/* ------------------------------------------------------------- receipts */

void consolidate_receipts_free(hz_receipts *receipts)
{
    if (!receipts)
        return;
    free(receipts->items);
    receipts->items = NULL;
    receipts->count = 0;
    receipts->present = false;
}

/* Parses "HH:MM" or "HH:MM:SS" into a minute of the day. */
static bool parse_time(const char *t, int *minute)
{
    int h = 0, m = 0, s = 0, n = 0;
    if (!isdigit((unsigned char)t[0]))
        return false;
    if (sscanf(t, "%2d:%2d%n", &h, &m, &n) != 2)
        return false;
    if (t[n] == ':') {
        int n2 = 0;
        if (sscanf(t + n + 1, "%2d%n", &s, &n2) != 1)
            return false;
        n += 1 + n2;
    }
    if (t[n] != '\0' || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59)
        return false;
    *minute = h * 60 + m;
    return true;
}

static bool parse_receipt_value(char *value, hz_date *date, int *minute)
{
    size_t len = strlen(value);
    if (len >= 2 && (value[0] == '"' || value[0] == '\'') && value[len - 1] == value[0]) {
        value[len - 1] = '\0';
        value++;
        hz_trim(value);
    }
    *minute = -1;
    char *space = strpbrk(value, " T\t");
    if (space) {
        *space = '\0';
        char *time = space + 1;
        hz_trim(time);
        if (*time && !parse_time(time, minute))
            return false;
    }
    return hz_date_parse(value, date);
}

static hz_status receipts_bad_line(hz_error *err, const char *name, unsigned line,
                                   const char *text)
{
    char num[16], shown[200];
    snprintf(num, sizeof num, "%u", line);
    hz_strlcpy_utf8(shown, text, sizeof shown);
    return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_CONSOLIDATE_RECEIPTS_BAD_LINE, name, num,
                        shown, NULL);
}

hz_status consolidate_parse_receipts(const char *text, const char *name, hz_receipts *out,
                                     hz_error *err)
{
    memset(out, 0, sizeof *out);
    out->present = true;
    size_t cap = 0;
    unsigned lineno = 0;
    bool in_receipts = false;
    const char *p = text;
    if (!strncmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        lineno++;
        char line[1100];
        if (len >= sizeof line) {
            consolidate_receipts_free(out);
            return receipts_bad_line(err, name, lineno, "…");
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p = eol ? eol + 1 : p + len;
        char *l = hz_trim(line);
        size_t ll = strlen(l);
        if (ll && l[ll - 1] == '\r')
            l[--ll] = '\0';
        l = hz_trim(l);
        if (!*l || *l == ';' || *l == '#')
            continue;
        if (!hz_utf8_valid(l, strlen(l))) {
            consolidate_receipts_free(out);
            return receipts_bad_line(err, name, lineno, "?");
        }
        if (*l == '[') {
            char *close = strchr(l, ']');
            if (!close) {
                consolidate_receipts_free(out);
                return receipts_bad_line(err, name, lineno, l);
            }
            *close = '\0';
            char *section = hz_trim(l + 1);
            in_receipts = strcasecmp(section, "receipts") == 0;
            continue;
        }
        char *eq = strchr(l, '=');
        if (!eq) {
            consolidate_receipts_free(out);
            return receipts_bad_line(err, name, lineno, l);
        }
        if (!in_receipts)
            continue;
        char shown[1100];
        snprintf(shown, sizeof shown, "%s", l);
        *eq = '\0';
        char *key = hz_trim(l);
        char *value = hz_trim(eq + 1);
        /* like iniparser: an unquoted value ends at ; or # */
        if (*value != '"' && *value != '\'') {
            char *c = strpbrk(value, ";#");
            if (c) {
                *c = '\0';
                hz_trim(value);
            }
        }
        for (char *k = key; *k; k++)
            *k = (char)tolower((unsigned char)*k);
        if (!*key || strlen(key) >= sizeof out->items[0].code) {
            consolidate_receipts_free(out);
            return receipts_bad_line(err, name, lineno, shown);
        }
        if (!*value)
            continue; /* registered as a placeholder, nothing received yet */
        hz_date date;
        int minute;
        if (!parse_receipt_value(value, &date, &minute)) {
            consolidate_receipts_free(out);
            return receipts_bad_line(err, name, lineno, shown);
        }
        for (size_t i = 0; i < out->count; i++) {
            if (!strcmp(out->items[i].code, key)) {
                char a[16], b[16];
                snprintf(a, sizeof a, "%u", out->items[i].line);
                snprintf(b, sizeof b, "%u", lineno);
                consolidate_receipts_free(out);
                return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_CONSOLIDATE_RECEIPTS_DUPLICATE,
                                    name, key, a, b, NULL);
            }
        }
        if (!hz_array_reserve(&out->items, &cap, out->count + 1, sizeof *out->items)) {
            consolidate_receipts_free(out);
            return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        }
        hz_receipt *r = &out->items[out->count++];
        snprintf(r->code, sizeof r->code, "%s", key);
        r->date = date;
        r->minute = minute;
        r->line = lineno;
    }
    out->present = true;
    return HZ_OK;
}

hz_status consolidate_read_receipts(const char *path, hz_receipts *out, hz_error *err)
{
    memset(out, 0, sizeof *out);
    char *text = NULL;
    hz_status s = fs_read_file(path, &text, NULL, err);
    if (s != HZ_OK)
        return s;
    s = consolidate_parse_receipts(text, fs_base_name(path), out, err);
    free(text);
    return s;
}

/* ---------------------------------------------------------------- free */

/* The text fields of a case, in one order for packing and releasing. */
#define CASE_TEXTS 10
static char **case_text(hz_case *c, int k)
{
    switch (k) {
    case 0: return &c->case_no;
    case 1: return &c->name;
    case 2: return &c->status;
    case 3: return &c->category;
    case 4: return &c->commodity;
    case 5: return &c->channel;
    case 6: return &c->lead_source;
    case 7: return &c->assist_units;
    case 8: return &c->typical_summary;
    default: return &c->note;
    }
}

hz_status consolidate_compact_cases(hz_cons_file *f, hz_error *err)
{
    if (!f->check || f->case_texts || f->check->sub.case_count == 0)
        return HZ_OK;
    hz_submission *sub = &f->check->sub;
    size_t n = sub->case_count * CASE_TEXTS;
    /* an open-addressing table of the distinct texts (a power of two, at
     * most half full) and, per field, the offset of its text in the block */
    size_t slots = 16;
    while (slots < 2 * n)
        slots *= 2;
    const char **seen = calloc(slots, sizeof *seen);
    size_t *seen_off = malloc(slots * sizeof *seen_off);
    size_t *off = malloc(n * sizeof *off);
    if (!seen || !seen_off || !off) {
        free(seen);
        free(seen_off);
        free(off);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    size_t total = 0;
    for (size_t i = 0; i < sub->case_count; i++)
        for (int k = 0; k < CASE_TEXTS; k++) {
            const char *t = *case_text(&sub->cases[i], k);
            size_t j = i * CASE_TEXTS + (size_t)k;
            if (!t) {
                off[j] = SIZE_MAX;
                continue;
            }
            size_t len = strlen(t);
            size_t h = (size_t)hz_text_hash(t, len) & (slots - 1);
            while (seen[h] && strcmp(seen[h], t))
                h = (h + 1) & (slots - 1);
            if (!seen[h]) {
                seen[h] = t;
                seen_off[h] = total;
                total += len + 1;
            }
            off[j] = seen_off[h];
        }
    char *block = malloc(total ? total : 1);
    if (!block) {
        free(seen);
        free(seen_off);
        free(off);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    for (size_t h = 0; h < slots; h++)
        if (seen[h])
            memcpy(block + seen_off[h], seen[h], strlen(seen[h]) + 1);
    free(seen);
    free(seen_off);
    for (size_t i = 0; i < sub->case_count; i++) {
        /* the reader keeps a case's ten texts in one allocation, owned by
         * case_no (submission.h) */
        char *owned = sub->cases[i].case_no;
        for (int k = 0; k < CASE_TEXTS; k++) {
            char **field = case_text(&sub->cases[i], k);
            size_t j = i * CASE_TEXTS + (size_t)k;
            *field = off[j] == SIZE_MAX ? NULL : block + off[j];
        }
        free(owned);
    }
    free(off);
    f->case_texts = block;
    /* the reader grew the array by doubling: give the rest back (a
     * shrink, which realloc does in place or not at all on failure) */
    hz_case *trimmed = realloc(sub->cases, sub->case_count * sizeof *sub->cases);
    if (trimmed)
        sub->cases = trimmed;
    return HZ_OK;
}

/* f's case numbers, packed: the pointers, then the texts (one block). */
static bool file_keep_case_numbers(hz_cons_file *f)
{
    const hz_submission *sub = &f->check->sub;
    size_t count = 0, bytes = 0;
    for (size_t i = 0; sub->cases && i < sub->case_count; i++) {
        const char *no = sub->cases[i].case_no;
        if (no && no[0]) {
            count++;
            bytes += strlen(no) + 1;
        }
    }
    if (count == 0)
        return true;
    char **numbers = malloc(count * sizeof *numbers + bytes);
    if (!numbers)
        return false;
    char *text = (char *)(numbers + count);
    size_t k = 0;
    for (size_t i = 0; i < sub->case_count; i++) {
        const char *no = sub->cases[i].case_no;
        if (!no || !no[0])
            continue;
        size_t n = strlen(no) + 1;
        memcpy(text, no, n);
        numbers[k++] = text;
        text += n;
    }
    f->case_numbers = numbers;
    f->case_number_count = count;
    return true;
}

/* Drops f's case records: texts first (packed or not), then the array. */
static void file_release_cases(hz_cons_file *f)
{
    hz_submission *sub = &f->check->sub;
    for (size_t i = 0; sub->cases && i < sub->case_count; i++) {
        if (!f->case_texts)
            free(sub->cases[i].case_no); /* the case's one text allocation */
        for (int k = 0; k < CASE_TEXTS; k++)
            *case_text(&sub->cases[i], k) = NULL;
    }
    free(sub->cases);
    sub->cases = NULL;
    free(f->case_texts);
    f->case_texts = NULL;
    f->case_rows_released = true;
}

hz_status consolidate_release_case_rows(hz_consolidation *cons, hz_error *err)
{
    if (!cons)
        return HZ_OK;
    free(cons->cases);
    cons->cases = NULL;
    cons->case_count = 0;
    for (size_t i = 0; i < cons->file_count; i++) {
        hz_cons_file *f = &cons->files[i];
        if (!f->check || f->case_rows_released)
            continue;
        if (!file_keep_case_numbers(f))
            return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        file_release_cases(f);
    }
    return HZ_OK;
}

void consolidate_file_free(hz_cons_file *f)
{
    free(f->name);
    free(f->path);
    free(f->reason_arg);
    if (f->check) {
        if (f->case_rows_released)
            f->check->sub.case_count = 0; /* its cases are gone already */
        if (f->case_texts) {
            /* the texts are in the block: submission_free must not free
             * them one by one */
            hz_submission *sub = &f->check->sub;
            for (size_t i = 0; i < sub->case_count; i++)
                for (int k = 0; k < CASE_TEXTS; k++)
                    *case_text(&sub->cases[i], k) = NULL;
        }
        check_result_free(f->check);
        free(f->check);
    }
    free(f->case_texts);
    f->case_texts = NULL;
    free(f->case_numbers);
    f->case_numbers = NULL;
    f->case_number_count = 0;
}

void consolidate_free(hz_consolidation *cons)
{
    if (!cons)
        return;
    for (size_t i = 0; i < cons->file_count; i++)
        consolidate_file_free(&cons->files[i]);
    free(cons->files);
    for (size_t i = 0; i < cons->unit_count; i++) {
        free(cons->units[i].values);
        free(cons->units[i].present);
    }
    free(cons->units);
    free(cons->cases);
    issue_list_free(&cons->issues);
    consolidate_receipts_free(&cons->receipts);
    free(cons->by_category);
    free(cons->by_commodity);
    free(cons->by_channel);
    free(cons->by_phase);
    free(cons->values);
    free(cons->present);
    free(cons->folder);
    consolidate_free(cons->stage);
    if (cons->analysis && cons->analysis_free)
        cons->analysis_free(cons->analysis);
    free(cons);
}

/* ------------------------------------------------------------- figures */

static void figures_add(hz_case_figures *f, const hz_case *c)
{
    f->filed++;
    if (c->is_closed)
        f->closed++;
    if (c->transferred == HZ_YES)
        f->transferred++;
    if (c->key_market == HZ_YES)
        f->key_market++;
    if (c->rural == HZ_YES)
        f->rural++;
    if (c->typical == HZ_YES)
        f->typical++;
    f->amount += c->amount;
    f->fine += c->fine;
}

static size_t list_index(const hz_list *list, const char *item)
{
    if (item)
        for (size_t i = 0; i < list->count; i++)
            if (!strcmp(list->items[i], item))
                return i;
    return HZ_NONE_INDEX;
}

static size_t phase_index(const hz_config *config, hz_date date)
{
    if (date == HZ_DATE_NONE)
        return HZ_NONE_INDEX;
    const hz_phase *p = config_phase_of(config, date);
    return p ? (size_t)(p - config->phases) : HZ_NONE_INDEX;
}

/* true when the file could not be read because it is in another format
 * than .xlsx (the file.* rules of submission_read). */
static bool wrong_format(const hz_check_result *check)
{
    static const char *const rules[] = {"file.ods", "file.old_xls", "file.et", "file.csv",
                                        "file.not_xlsx"};
    for (size_t i = 0; i < check->issues.count; i++)
        for (size_t k = 0; k < sizeof rules / sizeof rules[0]; k++)
            if (!strcmp(check->issues.items[i].rule, rules[k]))
                return true;
    return false;
}

/* The unit a file names by its leading code ("411002-….ods"), for files
 * whose 基本信息 cannot be read. */
static size_t unit_index_by_name(const hz_config *config, const char *name)
{
    char code[32];
    size_t n = strspn(name, "0123456789");
    if (n == 0 || n >= sizeof code)
        return HZ_NONE_INDEX;
    memcpy(code, name, n);
    code[n] = '\0';
    const hz_unit *u = config_find_unit(config, code);
    return u ? (size_t)(u - config->units) : HZ_NONE_INDEX;
}

static size_t unit_index(const hz_config *config, const hz_submission *sub)
{
    const hz_unit *u = sub->unit;
    if (!u && sub->header.text[HZ_H_UNIT_CODE])
        u = config_find_unit(config, sub->header.text[HZ_H_UNIT_CODE]);
    if (!u)
        return HZ_NONE_INDEX;
    return (size_t)(u - config->units);
}

/* true when text (协查单位代码, codes separated by commas, 、, ； or blanks)
 * names code. */
static bool assist_names(const char *text, const char *code)
{
    if (!text || !*text || !code || !*code)
        return false;
    size_t n = strlen(code);
    const char *p = text;
    while ((p = strstr(p, code)) != NULL) {
        bool start_ok = p == text || !isalnum((unsigned char)p[-1]);
        bool end_ok = !isalnum((unsigned char)p[n]);
        if (start_ok && end_ok)
            return true;
        p += n;
    }
    return false;
}

typedef struct case_key {
    uint64_t hash;             /* of no: the sort compares strings only on a tie */
    const char *no;
    size_t index;
} case_key;

static int case_key_cmp(const void *a, const void *b)
{
    const case_key *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    int c = strcmp(x->no, y->no);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* keys[first, end): the cases of one number, in case order */
typedef struct case_group {
    size_t first, end;
    const char *no;
} case_group;

static int case_group_cmp(const void *a, const void *b)
{
    return strcmp(((const case_group *)a)->no, ((const case_group *)b)->no);
}

static hz_status add_issue(hz_consolidation *cons, const hz_issue_spec *spec, hz_error *err)
{
    if (!issue_list_add(&cons->issues, spec))
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    return HZ_OK;
}

/* The issue at m's case number cell that names the unit and file of other
 * (the lead of a joint case, the first report of a duplicate). */
static hz_status cross_unit_issue(hz_consolidation *cons, const hz_cons_case *m,
                                  const hz_cons_case *other, const char *rule,
                                  hz_severity severity, hz_msg_id msg, hz_error *err)
{
    const hz_cons_file *f = &cons->files[m->file];
    char cell[32];
    submission_case_cell(&f->check->sub, m->c, HZ_C_CASE_NO, cell, sizeof cell);
    hz_issue_spec spec = {
        .file = f->name, .sheet = HZ_SHEET_CASES, .cell = cell,
        .field = submission_case_column(HZ_C_CASE_NO),
        .rule = rule, .severity = severity,
        .found = m->c->case_no,
        .expected = cons->config->units[other->unit].short_name,
        .extra = cons->files[other->file].name,
        .msg = msg,
    };
    return add_issue(cons, &spec, err);
}

/* One number reported by several units: a joint case when a member names
 * another member's unit as assisting, else duplicates. */
static hz_status cross_unit_group(hz_consolidation *cons, const case_key *keys, size_t g,
                                  size_t end, hz_error *err)
{
    const hz_config *config = cons->config;
    hz_status s = HZ_OK;
    /* lead: the lowest unit code among members naming another member */
    size_t lead = HZ_NONE_INDEX;
    for (size_t k = g; k < end; k++) {
        hz_cons_case *m = &cons->cases[keys[k].index];
        bool names_other = false;
        for (size_t o = g; o < end && !names_other; o++) {
            hz_cons_case *other = &cons->cases[keys[o].index];
            if (other->unit != m->unit &&
                assist_names(m->c->assist_units, config->units[other->unit].code))
                names_other = true;
        }
        if (names_other &&
            (lead == HZ_NONE_INDEX ||
             strcmp(config->units[m->unit].code,
                    config->units[cons->cases[lead].unit].code) < 0))
            lead = keys[k].index;
    }
    if (lead != HZ_NONE_INDEX) {
        uint32_t lead_unit = cons->cases[lead].unit;
        for (size_t k = g; k < end && s == HZ_OK; k++) {
            hz_cons_case *m = &cons->cases[keys[k].index];
            if (m->unit == lead_unit)
                continue;
            m->joint = true;
            m->counted = false;
            m->lead_unit = lead_unit;
            cons->cases[lead].joint = true;
            s = cross_unit_issue(cons, m, &cons->cases[lead], "cross.joint_case",
                                 HZ_SEV_NOTICE, HZ_M_CONSOLIDATE_ISSUE_JOINT_CASE, err);
        }
    } else {
        /* duplicates: flag every member after the first against it */
        const hz_cons_case *first = &cons->cases[keys[g].index];
        for (size_t k = g + 1; k < end && s == HZ_OK; k++) {
            const hz_cons_case *m = &cons->cases[keys[k].index];
            if (m->unit == first->unit)
                continue;
            s = cross_unit_issue(cons, m, first, "cross.duplicate_case", HZ_SEV_WARNING,
                                 HZ_M_CONSOLIDATE_ISSUE_DUPLICATE_CASE, err);
        }
    }
    return s;
}

/* Joint and duplicate cases across units (see consolidate.h). The numbers
 * are grouped by a sort on their hashes (a sort on the strings was 2 % of a
 * national run, issue 19); the groups of several units, few, are then
 * taken in number order, the order of their issues. */
static hz_status cross_unit_cases(hz_consolidation *cons, hz_error *err)
{
    if (cons->case_count < 2)
        return HZ_OK;
    case_key *keys = malloc(cons->case_count * sizeof *keys);
    if (!keys)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    size_t nk = 0;
    for (size_t i = 0; i < cons->case_count; i++) {
        const char *no = cons->cases[i].c->case_no;
        if (no && *no)
            keys[nk++] = (case_key){hz_text_hash(no, strlen(no)), no, i};
    }
    qsort(keys, nk, sizeof *keys, case_key_cmp);
    case_group *groups = NULL;
    size_t ng = 0, gcap = 0;
    hz_status s = HZ_OK;
    for (size_t g = 0; g < nk && s == HZ_OK;) {
        size_t end = g + 1;
        while (end < nk && keys[end].hash == keys[g].hash && !strcmp(keys[end].no, keys[g].no))
            end++;
        bool several_units = false;
        for (size_t k = g + 1; k < end && !several_units; k++)
            several_units = cons->cases[keys[k].index].unit != cons->cases[keys[g].index].unit;
        if (several_units) {
            if (hz_array_reserve(&groups, &gcap, ng + 1, sizeof *groups))
                groups[ng++] = (case_group){g, end, keys[g].no};
            else
                s = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        }
        g = end;
    }
    if (s == HZ_OK && ng > 1)
        qsort(groups, ng, sizeof *groups, case_group_cmp);
    for (size_t i = 0; i < ng && s == HZ_OK; i++)
        s = cross_unit_group(cons, keys, groups[i].first, groups[i].end, err);
    free(groups);
    free(keys);
    return s;
}

/* Decides accepted / superseded / rejected for every examined file. */
static hz_status account_files(hz_consolidation *cons, hz_error *err)
{
    const hz_config *config = cons->config;
    hz_status s = HZ_OK;
    for (size_t i = 0; i < cons->file_count; i++) {
        hz_cons_file *f = &cons->files[i];
        if (f->status == HZ_FILE_IGNORED || !f->check)
            continue;
        f->unit = unit_index(config, &f->check->sub);
        f->version = f->check->sub.header.version;
        bool other_format = !f->check->sub.readable && wrong_format(f->check);
        if (f->unit == HZ_NONE_INDEX && other_format) {
            f->unit = unit_index_by_name(config, f->name);
            f->version = 0;
        }
        if (f->unit != HZ_NONE_INDEX) {
            cons->units[f->unit].files_seen++;
            cons->units[f->unit].files_wrong_format += other_format;
        }
        if (!f->check->valid && other_format) {
            f->status = HZ_FILE_REJECTED;
            f->reason = HZ_M_CONSOLIDATE_REASON_WRONG_FORMAT;
        } else if (!f->check->valid) {
            f->status = HZ_FILE_REJECTED;
            f->reason = HZ_M_CONSOLIDATE_REASON_INVALID;
            char n[32];
            snprintf(n, sizeof n, "%zu", f->check->counts.errors);
            free(f->reason_arg);
            f->reason_arg = strdup(n);
        } else if (f->unit == HZ_NONE_INDEX) {
            f->status = HZ_FILE_REJECTED;
            f->reason = HZ_M_CONSOLIDATE_REASON_UNKNOWN_UNIT;
        } else {
            f->status = HZ_FILE_ACCEPTED; /* provisional */
        }
    }
    /* same unit and version: both rejected, each issue names the other */
    for (size_t i = 0; i < cons->file_count && s == HZ_OK; i++) {
        hz_cons_file *a = &cons->files[i];
        if (a->status == HZ_FILE_IGNORED || !a->check || a->unit == HZ_NONE_INDEX ||
            a->version <= 0)
            continue;
        for (size_t j = i + 1; j < cons->file_count && s == HZ_OK; j++) {
            hz_cons_file *b = &cons->files[j];
            if (b->status == HZ_FILE_IGNORED || !b->check || b->unit != a->unit ||
                b->version != a->version)
                continue;
            hz_cons_file *pair[2] = {a, b};
            for (int k = 0; k < 2; k++) {
                hz_cons_file *x = pair[k], *y = pair[1 - k];
                x->status = HZ_FILE_REJECTED;
                x->reason = HZ_M_CONSOLIDATE_REASON_DUPLICATE_VERSION;
                free(x->reason_arg);
                x->reason_arg = strdup(y->name);
            }
            char ver[16];
            snprintf(ver, sizeof ver, "%d", a->version);
            hz_issue_spec spec = {
                .file = a->name,
                .field = submission_header_label(HZ_H_VERSION),
                .rule = "consolidate.duplicate_version", .severity = HZ_SEV_ERROR,
                .found = b->name, .expected = config->units[a->unit].code, .extra = ver,
                .msg = HZ_M_CONSOLIDATE_ISSUE_DUPLICATE_VERSION,
            };
            s = add_issue(cons, &spec, err);
        }
    }
    /* per unit: the highest valid version wins */
    for (size_t u = 0; u < cons->unit_count; u++) {
        size_t best = HZ_NONE_INDEX;
        for (size_t i = 0; i < cons->file_count; i++) {
            hz_cons_file *f = &cons->files[i];
            if (f->unit == u && f->status == HZ_FILE_ACCEPTED &&
                (best == HZ_NONE_INDEX || f->version > cons->files[best].version))
                best = i;
        }
        cons->units[u].file = best;
        for (size_t i = 0; i < cons->file_count; i++) {
            hz_cons_file *f = &cons->files[i];
            /* an older version with errors that a newer valid one corrects
             * is superseded too: the county did what it should; its
             * errors stay listed in 校验问题 */
            bool corrected = best != HZ_NONE_INDEX && f->status == HZ_FILE_REJECTED &&
                             f->reason == HZ_M_CONSOLIDATE_REASON_INVALID &&
                             f->version > 0 && f->version < cons->files[best].version;
            if (f->unit == u && i != best && (f->status == HZ_FILE_ACCEPTED || corrected)) {
                f->status = HZ_FILE_SUPERSEDED;
                f->reason = HZ_M_CONSOLIDATE_REASON_SUPERSEDED;
                free(f->reason_arg);
                f->reason_arg = strdup(cons->files[best].name);
            }
        }
    }
    for (size_t i = 0; i < cons->file_count; i++)
        if (!cons->files[i].reason_arg)
            cons->files[i].reason_arg = strdup("");
    for (size_t i = 0; i < cons->file_count; i++)
        if (!cons->files[i].reason_arg)
            return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    return s;
}

static const hz_receipt *receipt_find(const hz_receipts *r, const char *code)
{
    char lower[32];
    size_t i;
    for (i = 0; code[i] && i + 1 < sizeof lower; i++)
        lower[i] = (char)tolower((unsigned char)code[i]);
    lower[i] = '\0';
    for (size_t k = 0; k < r->count; k++)
        if (!strcmp(r->items[k].code, lower))
            return &r->items[k];
    return NULL;
}

static hz_status receipts_status(hz_consolidation *cons, hz_error *err)
{
    const hz_config *config = cons->config;
    for (size_t u = 0; u < cons->unit_count; u++) {
        hz_cons_unit *cu = &cons->units[u];
        if (cu->file == HZ_NONE_INDEX) {
            cu->receipt = HZ_RECEIPT_MISSING;
            cons->missing_units++;
            continue;
        }
        cons->accepted_units++;
        const hz_receipt *r = receipt_find(&cons->receipts, cu->unit->code);
        if (r) {
            cu->has_receipt = true;
            cu->receipt_from_register = true;
            cu->receipt_date = r->date;
            cu->receipt_minute = r->minute;
        } else {
            hz_date fill = cons->files[cu->file].check->sub.header.fill_date;
            cu->has_receipt = fill != HZ_DATE_NONE;
            cu->receipt_date = fill;
            cu->receipt_minute = -1;
        }
        if (cu->has_receipt && cu->receipt_date > cons->deadline) {
            cu->receipt = HZ_RECEIPT_LATE;
            cu->days_late = (int)(cu->receipt_date - cons->deadline);
            cons->late_units++;
        } else {
            cu->receipt = HZ_RECEIPT_ON_TIME;
            cons->on_time_units++;
        }
    }
    /* register rows for codes the config does not know */
    for (size_t k = 0; k < cons->receipts.count; k++) {
        const hz_receipt *r = &cons->receipts.items[k];
        bool known = false;
        for (size_t u = 0; u < config->unit_count && !known; u++)
            known = strcasecmp(config->units[u].code, r->code) == 0;
        if (known)
            continue;
        char line[16];
        snprintf(line, sizeof line, "%u", r->line);
        hz_issue_spec spec = {
            .file = RECEIPTS_NAME, .rule = "receipts.unknown_unit",
            .severity = HZ_SEV_WARNING, .found = r->code, .extra = line,
            .msg = HZ_M_CONSOLIDATE_ISSUE_RECEIPT_UNKNOWN,
        };
        hz_status s = add_issue(cons, &spec, err);
        if (s != HZ_OK)
            return s;
    }
    return HZ_OK;
}

/* A list or phase index as hz_cons_case holds it. */
static uint32_t index32(size_t index)
{
    return index == HZ_NONE_INDEX ? HZ_NONE_INDEX32 : (uint32_t)index;
}

static hz_status collect_cases(hz_consolidation *cons, hz_error *err)
{
    const hz_config *config = cons->config;
    size_t total = 0;
    for (size_t u = 0; u < cons->unit_count; u++)
        if (cons->units[u].file != HZ_NONE_INDEX)
            total += cons->files[cons->units[u].file].check->sub.case_count;
    if (total) {
        cons->cases = calloc(total, sizeof *cons->cases);
        if (!cons->cases)
            return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    for (size_t u = 0; u < cons->unit_count; u++) {
        size_t fi = cons->units[u].file;
        if (fi == HZ_NONE_INDEX)
            continue;
        const hz_submission *sub = &cons->files[fi].check->sub;
        for (size_t k = 0; k < sub->case_count; k++) {
            hz_cons_case *cc = &cons->cases[cons->case_count++];
            cc->c = &sub->cases[k];
            cc->file = (uint32_t)fi;
            cc->unit = (uint32_t)u;
            cc->lead_unit = (uint32_t)u;
            cc->counted = true;
            cc->phase = index32(phase_index(config, cc->c->filed));
            cc->category = index32(list_index(&config->case_categories, cc->c->category));
            cc->commodity = index32(list_index(&config->commodities, cc->c->commodity));
            cc->channel = index32(list_index(&config->channels, cc->c->channel));
        }
    }
    return cross_unit_cases(cons, err);
}

static size_t bucket(uint32_t index, size_t count)
{
    return index == HZ_NONE_INDEX32 ? count : index;
}

static void sum_figures(hz_consolidation *cons)
{
    const hz_config *config = cons->config;
    for (size_t i = 0; i < cons->case_count; i++) {
        const hz_cons_case *cc = &cons->cases[i];
        if (!cc->counted) {
            cons->units[cc->unit].joint_assisted++;
            continue;
        }
        figures_add(&cons->units[cc->unit].cases, cc->c);
        figures_add(&cons->total, cc->c);
        figures_add(&cons->by_category[bucket(cc->category, config->case_categories.count)],
                    cc->c);
        figures_add(&cons->by_commodity[bucket(cc->commodity, config->commodities.count)],
                    cc->c);
        figures_add(&cons->by_channel[bucket(cc->channel, config->channels.count)], cc->c);
        figures_add(&cons->by_phase[bucket(cc->phase, config->phase_count)], cc->c);
    }
    for (size_t u = 0; u < cons->unit_count; u++) {
        hz_cons_unit *cu = &cons->units[u];
        if (cu->file == HZ_NONE_INDEX)
            continue;
        const hz_submission *sub = &cons->files[cu->file].check->sub;
        for (size_t k = 0; k < sub->value_count; k++) {
            const hz_value *v = &sub->values[k];
            size_t ind = v->indicator ? (size_t)(v->indicator - config->indicators) : k;
            if (ind >= config->indicator_count || !v->present || !v->valid)
                continue;
            cu->values[ind] += v->value;
            cu->present[ind] = true;
            cons->values[ind] += v->value;
            cons->present[ind] = true;
        }
    }
}

hz_status consolidate_build(const hz_config *config, const hz_round *round,
                            const char *folder, hz_cons_file *files, size_t count,
                            hz_receipts *receipts, hz_consolidation **out, hz_error *err)
{
    *out = NULL;
    hz_consolidation *cons = calloc(1, sizeof *cons);
    if (!cons) {
        for (size_t i = 0; i < count; i++)
            consolidate_file_free(&files[i]);
        free(files);
        consolidate_receipts_free(receipts);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    cons->config = config;
    cons->round = round;
    cons->files = files;
    cons->file_count = count;
    if (receipts) {
        cons->receipts = *receipts;
        memset(receipts, 0, sizeof *receipts);
    }
    cons->folder = strdup(folder ? folder : "");
    cons->deadline = config_effective_deadline(config, round);
    cons->unit_count = config->unit_count;
    size_t ni = config->indicator_count ? config->indicator_count : 1;
    cons->units = calloc(config->unit_count ? config->unit_count : 1, sizeof *cons->units);
    cons->by_category = calloc(config->case_categories.count + 1, sizeof *cons->by_category);
    cons->by_commodity = calloc(config->commodities.count + 1, sizeof *cons->by_commodity);
    cons->by_channel = calloc(config->channels.count + 1, sizeof *cons->by_channel);
    cons->by_phase = calloc(config->phase_count + 1, sizeof *cons->by_phase);
    cons->values = calloc(ni, sizeof *cons->values);
    cons->present = calloc(ni, sizeof *cons->present);
    bool ok = cons->folder && cons->units && cons->by_category && cons->by_commodity &&
              cons->by_channel && cons->by_phase && cons->values && cons->present;
    for (size_t u = 0; ok && u < cons->unit_count; u++) {
        hz_cons_unit *cu = &cons->units[u];
        cu->unit = &config->units[u];
        cu->file = HZ_NONE_INDEX;
        cu->receipt_minute = -1;
        cu->receipt_date = HZ_DATE_NONE;
        cu->values = calloc(ni, sizeof *cu->values);
        cu->present = calloc(ni, sizeof *cu->present);
        ok = cu->values && cu->present;
    }
    for (size_t i = 0; i < count; i++)
        files[i].unit = HZ_NONE_INDEX;
    if (!ok) {
        consolidate_free(cons);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    hz_status s = account_files(cons, err);
    if (s == HZ_OK)
        s = receipts_status(cons, err);
    if (s == HZ_OK)
        s = collect_cases(cons, err);
    if (s != HZ_OK) {
        consolidate_free(cons);
        return s;
    }
    sum_figures(cons);
    *out = cons;
    return HZ_OK;
}

size_t consolidate_other_round_files(const hz_consolidation *cons, size_t *examined,
                                     const char **found)
{
    size_t other = 0;
    *examined = 0;
    *found = NULL;
    for (size_t i = 0; i < cons->file_count; i++) {
        const hz_cons_file *f = &cons->files[i];
        if (f->status == HZ_FILE_IGNORED || !f->check)
            continue;
        (*examined)++;
        for (size_t k = 0; k < f->check->issues.count; k++) {
            if (strcmp(f->check->issues.items[k].rule, "header.round_mismatch"))
                continue;
            other++;
            if (!*found)
                *found = f->check->sub.header.text[HZ_H_ROUND];
            break;
        }
    }
    return other;
}
