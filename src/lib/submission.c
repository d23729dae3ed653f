/* submission.c - reading one county workbook into an hz_submission. */
#include "submission.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cellvalue.h"
#include "fsutil.h"
#include "hash.h"
#include "hz_text.h"
#include "workbook_contract.h"
#include "xlsx_reader.h"

/* The template's own texts are the contract; fillin.c holds them once. */
const char *submission_header_label(hz_header_field field)
{
    return workbook_contract_info_label((fillin_info_item)field);
}

const char *submission_case_column(hz_case_field field)
{
    return workbook_contract_case_header((fillin_case_column)field);
}

const char *submission_narrative_label(hz_narrative_section section)
{
    return workbook_contract_text_label((fillin_text_section)section);
}

bool submission_header_required(hz_header_field field)
{
    return workbook_contract_info_required((fillin_info_item)field);
}

bool submission_case_required(hz_case_field field)
{
    return workbook_contract_case_required((fillin_case_column)field);
}

/* Longest accepted texts, in characters: longer ones are typing accidents
 * (a whole paragraph pasted into a name) that would break the report's
 * tables. */
static size_t case_text_limit(hz_case_field field)
{
    switch (field) {
    case HZ_C_CASE_NO: return 64;
    case HZ_C_NAME: return 200;
    case HZ_C_TYPICAL_SUMMARY: return 2000;
    case HZ_C_NOTE: return 1000;
    case HZ_C_ASSIST_UNITS: return 200;
    default: return 100;
    }
}

/* Reading state shared by the sheet readers. */
typedef struct reader {
    const hz_config *config;
    hz_submission *sub;
    hz_issue_list *issues;
    xlsx_book *book;
    /* the book's own names of the four sheets (they may differ from the
     * contract's by blanks: find_sheet_names) */
    const char *sheet_in_book[4];
    /* columns whose General-format dates were already noticed: one notice
     * per column, not one per cell */
    struct { const char *sheet, *field; } serial_noticed[16];
    size_t serial_noticed_count;
    bool date1904;
    hz_error *err;
    hz_status status;    /* first failure of the program itself (no memory) */
    uint64_t kept_bytes; /* text and case records kept from this file */
    /* the text fields of the case row being read, back to back, before
     * they are kept in one allocation per case (read_case_row) */
    char *case_text;
    size_t case_text_len, case_text_cap;
    const char *at_sheet; /* where reading is, for the budget's message */
    uint32_t at_row;
} reader;

static void add(reader *r, const char *sheet, const char *cell, const char *field,
                const char *rule, hz_severity severity, hz_msg_id msg, const char *found,
                const char *expected, const char *extra)
{
    hz_issue_spec spec = {
        .file = r->sub->file_name, .sheet = sheet, .cell = cell, .field = field, .rule = rule,
        .severity = severity, .found = found, .expected = expected, .extra = extra, .msg = msg,
    };
    if (!issue_list_add(r->issues, &spec) && r->status == HZ_OK)
        r->status = hz_error_set(r->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
}

/* A cell's reference, formatted only when an issue names it: most cells
 * have none, and a case row has nineteen fields (issue 19). */
typedef struct cell_at {
    uint32_t row, col;
    bool made;
    char text[16];
} cell_at;

static cell_at at_cell(uint32_t row, uint32_t col)
{
    cell_at a;
    a.row = row;
    a.col = col;
    a.made = false;
    a.text[0] = '\0';
    return a;
}

/* No cell (an issue about a missing line): the reference is "". */
static cell_at at_none(void)
{
    cell_at a = at_cell(0, 0);
    a.made = true;
    return a;
}

static const char *at_text(cell_at *a)
{
    if (!a->made) {
        xlsx_ref_format(a->row, a->col, a->text, sizeof a->text);
        a->made = true;
    }
    return a->text;
}

/* An empty cell: an error only where the contract requires a value. */
static void note_empty(reader *r, const char *sheet, cell_at *at, const char *field,
                       bool required)
{
    if (required)
        add(r, sheet, at_text(at), field, "cell.required", HZ_SEV_ERROR, HZ_M_WORKBOOK_REQUIRED, NULL,
            NULL, NULL);
}

/* Keeps the first failure of the reader itself (zip, XML, memory). */
static void note_failure(reader *r, hz_status status, const hz_error *e)
{
    if (r->status != HZ_OK)
        return;
    r->status = status;
    if (r->err)
        *r->err = *e;
}

static const char *const contract_sheets[4] = {HZ_SHEET_HEADER, HZ_SHEET_VALUES,
                                               HZ_SHEET_CASES, HZ_SHEET_NARRATIVE};

/* Opens one sheet; false (with the failure noted) when it cannot be read. */
static bool open_sheet(reader *r, const char *name, xlsx_sheet **ws)
{
    hz_error e;
    for (size_t i = 0; i < 4; i++)
        if (!strcmp(name, contract_sheets[i]) && r->sheet_in_book[i])
            name = r->sheet_in_book[i];
    hz_status s = xlsx_sheet_open(r->book, name, ws, &e);
    if (s != HZ_OK)
        note_failure(r, s, &e);
    return s == HZ_OK;
}

/* Memory bound (DESIGN §9): everything kept from one file is charged
 * against [limits] max_text_bytes, with malloc's own overhead, so that a
 * small file whose cells all name one long shared string cannot make the
 * copies grow past it. Past the budget the file is refused. */
static bool charge(reader *r, size_t bytes)
{
    r->kept_bytes += bytes;
    uint64_t limit = r->config->limits.max_text_bytes;
    if (!limit || r->kept_bytes <= limit)
        return true;
    if (r->status == HZ_OK) {
        char lim[32], at[64], cell[16];
        snprintf(lim, sizeof lim, "%llu", (unsigned long long)limit);
        snprintf(at, sizeof at, "%s!%s", r->at_sheet ? r->at_sheet : "",
                 xlsx_ref_format(r->at_row, 0, cell, sizeof cell));
        r->status = hz_error_set(r->err, HZ_ERR_LIMIT, HZ_M_WORKBOOK_TEXT_BUDGET,
                                 r->sub->file_name, lim, at, NULL);
    }
    return false;
}

static char *dup_or_fail(reader *r, const char *text)
{
    if (!charge(r, ((strlen(text ? text : "") + 1 + 15) & ~(size_t)15) + 16))
        return NULL;
    char *copy = strdup(text ? text : "");
    if (!copy && r->status == HZ_OK)
        r->status = hz_error_set(r->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    return copy;
}

/* A copy of cell text for the submission, without the control, bidi and
 * invisible format characters (DESIGN §9): they would reach the city's
 * XLSX and PDF. The unit is told, with the text as it was (escaped). */
/* Strips the unsafe characters of the len bytes of copy (in place) and
 * says so; returns the length left. */
static size_t sanitize_text_len(reader *r, const char *sheet, cell_at *at, const char *field,
                                char *copy, size_t len)
{
    if (!hz_text_unsafe_or_invalid(copy, len))
        return len;
    char shown[160], count[32];
    hz_text_escape_to(copy, shown, sizeof shown);
    size_t removed = hz_text_strip_unsafe(copy);
    hz_trim(copy);
    snprintf(count, sizeof count, "%zu", removed);
    add(r, sheet, at_text(at), field, "cell.unsafe_chars", HZ_SEV_NOTICE,
        HZ_M_WORKBOOK_UNSAFE_CHARS, shown, NULL, count);
    return strlen(copy);
}

static void sanitize_text(reader *r, const char *sheet, cell_at *at, const char *field,
                          char *copy)
{
    sanitize_text_len(r, sheet, at, field, copy, strlen(copy));
}

static char *keep_text(reader *r, const char *sheet, cell_at *at, const char *field,
                       const char *text)
{
    char *copy = dup_or_fail(r, text);
    if (copy)
        sanitize_text(r, sheet, at, field, copy);
    return copy;
}

/* Header text as compared: blanks and a trailing '*' or colon removed,
 * ASCII parentheses made full-width (Excel users type either). */
static void header_key(const char *text, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = text; *p && n + 4 < size; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            continue;
        if (*p == '(' || *p == ')') {
            const char *wide = *p == '(' ? "（" : "）";
            memcpy(out + n, wide, 3);
            n += 3;
            continue;
        }
        if (!strncmp(p, "\xe3\x80\x80", 3)) { /* U+3000 */
            p += 2;
            continue;
        }
        if (!strncmp(p, "\xc2\xa0", 2)) { /* U+00A0, pasted from the web */
            p += 1;
            continue;
        }
        out[n++] = *p;
    }
    out[n] = '\0';
    while (n > 0 && (out[n - 1] == '*' || out[n - 1] == ':'))
        out[--n] = '\0';
    if (n >= 3 && (!strcmp(out + n - 3, "：") || !strcmp(out + n - 3, "＊")))
        out[n - 3] = '\0';
}

/* true when text holds a blank that header_key drops (half- or full-width
 * space, no-break space, tab, line break). */
static bool has_blank(const char *text)
{
    return strpbrk(text, " \t\r\n") || strstr(text, "\xe3\x80\x80") || strstr(text, "\xc2\xa0");
}

/* true when key (a header_key) names canonical directly or through one of
 * the configured aliases. */
static bool header_matches(const hz_config *config, const char *key, const char *canonical)
{
    char want[256];
    header_key(canonical, want, sizeof want);
    if (!strcmp(key, want))
        return true;
    for (size_t i = 0; i < config->alias_count; i++) {
        char c[256];
        header_key(config->aliases[i].canonical, c, sizeof c);
        if (strcmp(c, want))
            continue;
        for (size_t k = 0; k < config->aliases[i].alternatives.count; k++) {
            char alt[256];
            header_key(config->aliases[i].alternatives.items[k], alt, sizeof alt);
            if (!strcmp(key, alt))
                return true;
        }
    }
    return false;
}

static const xlsx_cell *row_cell(const xlsx_row *row, uint32_t col)
{
    if (col == UINT32_MAX)
        return NULL;
    /* the reader delivers a row's cells sorted by column, each once: a
     * full row has column k at k; otherwise a binary search */
    if (col < row->count && row->cells[col].col == col)
        return &row->cells[col];
    size_t lo = 0, hi = row->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (row->cells[mid].col < col)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < row->count && row->cells[lo].col == col ? &row->cells[lo] : NULL;
}

static bool cell_blank(const xlsx_cell *cell)
{
    if (!cell || cell->type == XLSX_CELL_EMPTY)
        return true;
    if (cell->type != XLSX_CELL_STRING)
        return false;
    for (const unsigned char *p = (const unsigned char *)cell->text; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            continue;
        if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) {
            p += 2;
            continue;
        }
        return false;
    }
    return true;
}

static bool row_blank(const xlsx_row *row)
{
    for (size_t i = 0; i < row->count; i++)
        if (!cell_blank(&row->cells[i]))
            return false;
    return true;
}

static const char *cell_text(reader *r, const xlsx_cell *cell, char *buf, size_t size)
{
    if (!cell) {
        buf[0] = '\0';
        return buf;
    }
    return cellvalue_text(cell, r->date1904, buf, size);
}

static const char *ref(uint32_t row, uint32_t col, char *buf)
{
    return xlsx_ref_format(row, col, buf, 16);
}

/* true the first time a General-format date turns up in sheet's field (a
 * column of 案件明细, a line of 基本信息): a column typed in General format
 * holds nothing but such dates, one notice says it. */
static bool first_serial_in_column(reader *r, const char *sheet, const char *field)
{
    for (size_t i = 0; i < r->serial_noticed_count; i++)
        if (!strcmp(r->serial_noticed[i].field, field) &&
            !strcmp(r->serial_noticed[i].sheet, sheet))
            return false;
    size_t cap = sizeof r->serial_noticed / sizeof r->serial_noticed[0];
    if (r->serial_noticed_count < cap) {
        r->serial_noticed[r->serial_noticed_count].sheet = sheet;
        r->serial_noticed[r->serial_noticed_count].field = field;
        r->serial_noticed_count++;
    }
    return true;
}

/* Reports a date cell's problems; returns the date or HZ_DATE_NONE.
 * *invalid (may be NULL) is set when the cell held something that is not a
 * date (told here, not by the issue list, which may only tally it). */
static hz_date read_date(reader *r, const char *sheet, const xlsx_cell *cell, uint32_t row,
                         uint32_t col, const char *field, bool required, bool *invalid)
{
    char text[256], shown[16];
    cell_at at = at_cell(row, col);
    hz_date date = HZ_DATE_NONE;
    switch (cellvalue_date(cell, r->date1904, &date)) {
    case CELLVALUE_OK:
        return date;
    case CELLVALUE_NORMALISED:
        if (first_serial_in_column(r, sheet, field))
            add(r, sheet, at_text(&at), field, "cell.date_serial", HZ_SEV_NOTICE,
                HZ_M_WORKBOOK_DATE_SERIAL_COLUMN, cell_text(r, cell, text, sizeof text),
                hz_date_format(date, shown, sizeof shown), NULL);
        return date;
    case CELLVALUE_EMPTY:
        note_empty(r, sheet, &at, field, required);
        return HZ_DATE_NONE;
    default:
        if (invalid)
            *invalid = true;
        add(r, sheet, at_text(&at), field, "cell.date", HZ_SEV_ERROR, HZ_M_WORKBOOK_BAD_DATE,
            cell_text(r, cell, text, sizeof text), "YYYY-MM-DD", NULL);
        return HZ_DATE_NONE;
    }
}

/* Reads an amount or count cell; returns true when *out holds a value. */
static bool read_amount(reader *r, const char *sheet, const xlsx_cell *cell, uint32_t row,
                        uint32_t col, const char *field, int decimals, bool required,
                        bool *invalid, hz_amount *out)
{
    char text[256], shown[64];
    cell_at at = at_cell(row, col);
    const char *expected = decimals ? "最多 4 位小数的金额（万元）" : "不小于 0 的整数";
    hz_amount value = 0;
    cellvalue_result res = cellvalue_amount(cell, decimals, &value);
    *invalid = false;
    switch (res) {
    case CELLVALUE_EMPTY:
        note_empty(r, sheet, &at, field, required);
        return false;
    case CELLVALUE_BAD_DECIMALS:
        add(r, sheet, at_text(&at), field, "cell.decimals", HZ_SEV_ERROR, HZ_M_WORKBOOK_DECIMALS,
            cell_text(r, cell, text, sizeof text), expected, NULL);
        *invalid = true;
        return false;
    case CELLVALUE_OK:
    case CELLVALUE_NORMALISED:
        if (value < 0) {
            add(r, sheet, at_text(&at), field, "cell.range", HZ_SEV_ERROR, HZ_M_WORKBOOK_NEGATIVE,
                cell_text(r, cell, text, sizeof text), "≥ 0", NULL);
            *invalid = true;
            return false;
        }
        if (res == CELLVALUE_NORMALISED) {
            /* shown as typed would be: "1234.5", not "1234.5000" */
            hz_amount_format(value, decimals, false, shown, sizeof shown);
            char *dot = strchr(shown, '.');
            if (dot) {
                char *end = shown + strlen(shown);
                while (end > dot + 1 && end[-1] == '0')
                    *--end = '\0';
                if (end == dot + 1)
                    *dot = '\0';
            }
            add(r, sheet, at_text(&at), field, "cell.normalised", HZ_SEV_NOTICE, HZ_M_WORKBOOK_NORMALISED,
                cell_text(r, cell, text, sizeof text), shown, NULL);
        }
        *out = value;
        return true;
    default:
        add(r, sheet, at_text(&at), field, "cell.type", HZ_SEV_ERROR, HZ_M_WORKBOOK_NOT_NUMBER,
            cell_text(r, cell, text, sizeof text), expected, NULL);
        *invalid = true;
        return false;
    }
}

/* ---- 基本信息 ---------------------------------------------------------- */

static void read_header_sheet(reader *r)
{
    const char *sheet = HZ_SHEET_HEADER;
    hz_header *h = &r->sub->header;
    h->period_end = h->fill_date = HZ_DATE_NONE;
    h->version = 1;
    xlsx_sheet *ws = NULL;
    hz_error e;
    if (!open_sheet(r, sheet, &ws))
        return;
    const xlsx_cell *value_cell[HZ_H__COUNT] = {0};
    xlsx_cell copies[HZ_H__COUNT];
    char *texts[HZ_H__COUNT] = {0};
    const xlsx_row *row;
    hz_status s;
    while ((s = xlsx_sheet_next_row(ws, &row, &e)) == HZ_OK && row) {
        const xlsx_cell *label = row_cell(row, 0);
        if (!label || label->type != XLSX_CELL_STRING)
            continue;
        char key[256];
        header_key(label->text, key, sizeof key);
        for (int f = 0; f < HZ_H__COUNT; f++) {
            if (h->row[f] || !header_matches(r->config, key, submission_header_label(f)))
                continue;
            h->row[f] = row->row + 1;
            const xlsx_cell *v = row_cell(row, 1);
            if (v) {
                /* the row buffer is reused: keep a copy with its own text */
                copies[f] = *v;
                texts[f] = dup_or_fail(r, v->text);
                copies[f].text = texts[f] ? texts[f] : "";
                value_cell[f] = &copies[f];
            }
            break;
        }
    }
    xlsx_sheet_close(ws);
    if (s != HZ_OK)
        note_failure(r, s, &e);
    for (int f = 0; f < HZ_H__COUNT; f++) {
        const char *field = submission_header_label(f);
        char text[512];
        cell_text(r, value_cell[f], text, sizeof text);
        hz_trim(text);
        cell_at at = value_cell[f] ? at_cell(value_cell[f]->row, value_cell[f]->col) : at_none();
        h->text[f] = keep_text(r, sheet, &at, field, text);
        if (!h->row[f]) {
            if (submission_header_required(f))
                add(r, sheet, "", field, "structure.missing_item", HZ_SEV_ERROR,
                    HZ_M_WORKBOOK_MISSING_LABEL, NULL, NULL, NULL);
            continue;
        }
        uint32_t row0 = h->row[f] - 1;
        if (f == HZ_H_PERIOD_END || f == HZ_H_FILL_DATE) {
            hz_date d = read_date(r, sheet, value_cell[f], row0, 1, field,
                                  submission_header_required(f), NULL);
            if (f == HZ_H_PERIOD_END)
                h->period_end = d;
            else
                h->fill_date = d;
            continue;
        }
        if (!text[0] && submission_header_required(f)) {
            char at[16];
            add(r, sheet, ref(row0, 1, at), field, "cell.required", HZ_SEV_ERROR,
                HZ_M_WORKBOOK_REQUIRED, NULL, NULL, NULL);
        }
        if (f == HZ_H_VERSION && text[0]) {
            char *end;
            long v = strtol(text, &end, 10);
            h->version = (*end || v < 1 || v > 9999) ? 0 : (int)v;
        }
    }
    for (int f = 0; f < HZ_H__COUNT; f++)
        free(texts[f]);
}

/* ---- column maps of 统计表 and 案件明细 ---------------------------------- */

typedef struct column_spec {
    const char *header;
    bool required;
} column_spec;

/* Finds the header row among the first rows (the first row naming key
 * column 0) and maps every column to a spec index. Reports missing,
 * duplicate and extra columns. Returns false when there is no header row. */
static bool map_columns(reader *r, xlsx_sheet *ws, const char *sheet, const column_spec *specs,
                        size_t count, const char *const *known_extra, uint32_t *cols,
                        uint32_t *header_row)
{
    for (size_t i = 0; i < count; i++)
        cols[i] = UINT32_MAX;
    const xlsx_row *row;
    hz_error e;
    hz_status s;
    while ((s = xlsx_sheet_next_row(ws, &row, &e)) == HZ_OK && row) {
        if (row->row >= 20)
            break;
        bool is_header = false;
        for (size_t i = 0; i < row->count && !is_header; i++) {
            char key[256];
            if (row->cells[i].type != XLSX_CELL_STRING)
                continue;
            header_key(row->cells[i].text, key, sizeof key);
            is_header = header_matches(r->config, key, specs[0].header);
        }
        if (!is_header)
            continue;
        *header_row = row->row;
        for (size_t i = 0; i < row->count; i++) {
            const xlsx_cell *c = &row->cells[i];
            if (cell_blank(c))
                continue;
            char key[256], at[16], text[256];
            cell_text(r, c, text, sizeof text);
            header_key(text, key, sizeof key);
            ref(row->row, c->col, at);
            size_t k = 0;
            while (k < count && !header_matches(r->config, key, specs[k].header))
                k++;
            if (k < count) {
                if (cols[k] != UINT32_MAX) {
                    char first[16];
                    add(r, sheet, at, specs[k].header, "structure.duplicate_header",
                        HZ_SEV_ERROR, HZ_M_WORKBOOK_DUPLICATE_HEADER, text, NULL,
                        ref(row->row, cols[k], first));
                } else {
                    cols[k] = c->col;
                    if (has_blank(text) && !has_blank(specs[k].header))
                        add(r, sheet, at, specs[k].header, "structure.header_normalised",
                            HZ_SEV_NOTICE, HZ_M_WORKBOOK_HEADER_NORMALISED, text,
                            specs[k].header, NULL);
                }
                continue;
            }
            bool known = false;
            for (size_t j = 0; known_extra && known_extra[j]; j++)
                known = known || !strcmp(key, known_extra[j]);
            if (!known)
                add(r, sheet, at, "", "structure.extra_column", HZ_SEV_NOTICE,
                    HZ_M_WORKBOOK_EXTRA_COLUMN, text, NULL, NULL);
        }
        for (size_t k = 0; k < count; k++) {
            if (cols[k] != UINT32_MAX)
                continue;
            char at[16];
            add(r, sheet, ref(row->row, 0, at), specs[k].header, "structure.missing_column",
                specs[k].required ? HZ_SEV_ERROR : HZ_SEV_NOTICE, HZ_M_WORKBOOK_MISSING_COLUMN,
                NULL, NULL, NULL);
        }
        return true;
    }
    if (s != HZ_OK) {
        note_failure(r, s, &e);
        return false;
    }
    add(r, sheet, "", specs[0].header, "structure.no_header_row", HZ_SEV_ERROR,
        HZ_M_WORKBOOK_NO_HEADER_ROW, NULL, specs[0].header, NULL);
    return false;
}

/* Reports one empty row (or run of them) followed by more data. */
static void note_gap(reader *r, const char *sheet, uint32_t last_data_row, uint32_t row)
{
    if (row > last_data_row + 1) {
        char at[16];
        add(r, sheet, ref(last_data_row + 1, 0, at), "", "structure.blank_row", HZ_SEV_NOTICE,
            HZ_M_WORKBOOK_BLANK_ROW, NULL, NULL, NULL);
    }
}

/* A hidden row is read like any other, but the officer may think it gone:
 * say so. */
static void note_hidden_row(reader *r, const char *sheet, const xlsx_row *row)
{
    if (!row->hidden)
        return;
    char at[16];
    add(r, sheet, ref(row->row, 0, at), "", "structure.hidden_row", HZ_SEV_NOTICE,
        HZ_M_WORKBOOK_HIDDEN_ROW, NULL, NULL, NULL);
}

static bool range_holds(const xlsx_range *m, uint32_t row, uint32_t col)
{
    return row >= m->first_row && row <= m->last_row && col >= m->first_col &&
           col <= m->last_col;
}

/* Merged cells below the header row (H2:H6 merged: the office suite keeps
 * the value in H2 only, the officer sees it in all five). The range is one
 * error with the advice to unmerge and fill each row; what the reader said
 * about the emptied cells (issues from first_issue on, inside the range
 * but for its first cell) is withdrawn, since it would contradict what the
 * officer sees. The values are not filled down: a merged amount or date
 * would count once per row without the officer having typed it. */
static void report_merges(reader *r, xlsx_sheet *ws, const char *sheet, uint32_t header_row,
                          size_t first_issue)
{
    size_t count = 0;
    const xlsx_range *merges = xlsx_sheet_merges(ws, &count, NULL);
    for (size_t i = 0; i < count && r->status == HZ_OK; i++) {
        const xlsx_range *m = &merges[i];
        if (m->last_row <= header_row)
            continue; /* a title above the table */
        for (size_t k = r->issues->count; k > first_issue; k--) {
            const hz_issue *is = &r->issues->items[k - 1];
            uint32_t row, col;
            if (strcmp(is->sheet, sheet) || !xlsx_ref_parse(is->cell, &row, &col))
                continue;
            if (range_holds(m, row, col) && !(row == m->first_row && col == m->first_col))
                issue_list_remove(r->issues, k - 1);
        }
        char at[16], last[16], range[40];
        ref(m->first_row, m->first_col, at);
        ref(m->last_row, m->last_col, last);
        snprintf(range, sizeof range, "%s:%s", at, last);
        add(r, sheet, at, "", "structure.merged_cells", HZ_SEV_ERROR,
            HZ_M_WORKBOOK_MERGED_CELLS, range, NULL, NULL);
    }
}

/* ---- 统计表 ------------------------------------------------------------ */

enum { ST_CODE, ST_NAME, ST_UOM, ST_VALUE, ST_NOTE, ST__COUNT };

static void read_values_sheet(reader *r)
{
    const char *sheet = HZ_SHEET_VALUES;
    hz_submission *sub = r->sub;
    const hz_config *config = r->config;
    column_spec specs[ST__COUNT];
    for (int c = 0; c < ST__COUNT; c++) {
        specs[c].header = workbook_contract_stats_header((fillin_stats_column)c);
        specs[c].required = c == ST_CODE || c == ST_VALUE;
    }
    char extra1[64], extra2[64];
    header_key(workbook_contract_stats_header(FILLIN_STATS_MEASURE), extra1, sizeof extra1);
    header_key(workbook_contract_stats_header(FILLIN_STATS_REQUIRED), extra2, sizeof extra2);
    const char *const known[] = {extra1, extra2, NULL};

    xlsx_sheet *ws = NULL;
    hz_error e;
    if (!open_sheet(r, sheet, &ws))
        return;
    uint32_t cols[ST__COUNT], header_row = 0;
    if (!map_columns(r, ws, sheet, specs, ST__COUNT, known, cols, &header_row) ||
        cols[ST_CODE] == UINT32_MAX || cols[ST_VALUE] == UINT32_MAX) {
        xlsx_sheet_close(ws);
        return;
    }
    sub->value_col = cols[ST_VALUE];
    size_t first_issue = r->issues->count;
    const xlsx_row *row;
    hz_status s;
    while ((s = xlsx_sheet_next_row(ws, &row, &e)) == HZ_OK && row && r->status == HZ_OK) {
        if (row_blank(row))
            continue;
        note_hidden_row(r, sheet, row);
        const xlsx_cell *code_cell = row_cell(row, cols[ST_CODE]);
        char code[128], at[16];
        cell_text(r, code_cell, code, sizeof code);
        hz_trim(code);
        ref(row->row, cols[ST_CODE], at);
        if (!code[0])
            continue; /* a note or a total line under the table */
        const hz_indicator *ind = config_find_indicator(config, code);
        if (!ind) {
            add(r, sheet, at, workbook_contract_stats_header(FILLIN_STATS_CODE),
                "structure.unknown_indicator", HZ_SEV_WARNING, HZ_M_WORKBOOK_UNKNOWN_INDICATOR,
                code, NULL, NULL);
            continue;
        }
        hz_value *v = &sub->values[ind - config->indicators];
        if (v->row) {
            char first[16];
            snprintf(first, sizeof first, "%u", v->row);
            add(r, sheet, at, ind->name, "structure.duplicate_indicator", HZ_SEV_ERROR,
                HZ_M_WORKBOOK_DUPLICATE_INDICATOR, code, NULL, first);
            continue;
        }
        v->row = row->row + 1;
        char note[4096];
        cell_text(r, row_cell(row, cols[ST_NOTE]), note, sizeof note);
        hz_trim(note);
        cell_at note_at = at_cell(row->row, cols[ST_NOTE]);
        v->note = keep_text(r, sheet, &note_at,
                            workbook_contract_stats_header(FILLIN_STATS_NOTE), note);
        bool invalid = false;
        v->present = read_amount(r, sheet, row_cell(row, cols[ST_VALUE]), row->row,
                                 cols[ST_VALUE], ind->name, ind->type == HZ_VALUE_AMOUNT ? 4 : 0,
                                 ind->required, &invalid, &v->value);
        v->valid = !invalid;
        if (invalid)
            v->present = true; /* present but unparsable: not "missing" */
    }
    if (s == HZ_OK && r->status == HZ_OK)
        report_merges(r, ws, sheet, header_row, first_issue);
    xlsx_sheet_close(ws);
    if (s != HZ_OK) {
        note_failure(r, s, &e);
        return;
    }
    for (size_t i = 0; i < sub->value_count; i++) {
        hz_value *v = &sub->values[i];
        if (v->row)
            continue;
        char at[16];
        add(r, sheet, ref(header_row, cols[ST_CODE], at), v->indicator->name,
            "structure.missing_indicator", HZ_SEV_ERROR,
            HZ_M_WORKBOOK_MISSING_INDICATOR, v->indicator->code, NULL, NULL);
    }
}

/* ---- 案件明细 ----------------------------------------------------------- */

static hz_tristate read_yesno(reader *r, const char *sheet, const xlsx_cell *cell, uint32_t row,
                              uint32_t col, const char *field, bool required, bool *invalid)
{
    char text[256];
    cell_at at = at_cell(row, col);
    bool yes = false;
    switch (cellvalue_yesno(cell, r->config, &yes)) {
    case CELLVALUE_OK:
        return yes ? HZ_YES : HZ_NO;
    case CELLVALUE_ALIAS:
        add(r, sheet, at_text(&at), field, "cell.yesno_alias", HZ_SEV_NOTICE, HZ_M_WORKBOOK_YESNO_ALIAS,
            cell_text(r, cell, text, sizeof text), yes ? r->config->yes_word : r->config->no_word,
            NULL);
        return yes ? HZ_YES : HZ_NO;
    case CELLVALUE_EMPTY:
        note_empty(r, sheet, &at, field, required);
        return HZ_UNSET;
    default:
        add(r, sheet, at_text(&at), field, "cell.type", HZ_SEV_ERROR, HZ_M_WORKBOOK_BAD_YESNO,
            cell_text(r, cell, text, sizeof text), NULL, NULL);
        *invalid = true;
        return HZ_UNSET;
    }
}

/* Appends text (NUL-terminated) to the case row's text; its offset, or
 * SIZE_MAX (failure noted) when the budget or memory runs out. The charge
 * is the one a string of its own would cost, so that the budget trips
 * where it did when each field was allocated alone. */
static size_t case_text_put(reader *r, const char *text, size_t len)
{
    size_t n = len + 1;
    if (!charge(r, ((n + 15) & ~(size_t)15) + 16))
        return SIZE_MAX;
    if (!hz_array_reserve(&r->case_text, &r->case_text_cap, r->case_text_len + n, 1)) {
        if (r->status == HZ_OK)
            r->status = hz_error_set(r->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        return SIZE_MAX;
    }
    size_t at = r->case_text_len;
    memcpy(r->case_text + at, text, n);
    r->case_text_len += n;
    return at;
}

/* A text cell checked against a list (empty list: free text) and the
 * length limit; the offset of its text ("" when empty) in r->case_text,
 * SIZE_MAX on failure. */
static size_t read_text(reader *r, const char *sheet, const xlsx_cell *cell, uint32_t row,
                        hz_case_field field, const hz_list *allowed, bool *invalid)
{
    const char *name = submission_case_column(field);
    char number[64];
    if (r->sub->case_col[field] == UINT32_MAX)
        return case_text_put(r, "", 0); /* the missing column was reported once */
    /* strings are copied as they are (any length up to the reader's
     * limit); numbers typed into a text column render as the user sees them */
    const char *source = "";
    size_t source_len = 0;
    if (cell && (cell->type == XLSX_CELL_STRING)) {
        source = cell->text;
        /* the reader refuses NUL (byte, reference or _x0000_ is kept as
         * written): text_len is the string's length */
        source_len = cell->text_len;
        assert(strlen(source) == source_len);
    } else if (cell && cell->type != XLSX_CELL_EMPTY) {
        source = cell_text(r, cell, number, sizeof number);
        source_len = strlen(source);
    }
    cell_at at = at_cell(row, r->sub->case_col[field]);
    size_t off = case_text_put(r, source, source_len);
    if (off == SIZE_MAX)
        return off;
    char *text = r->case_text + off;
    size_t len = sanitize_text_len(r, sheet, &at, name, text, source_len);
    hz_trim_len(text, len);
    if (!text[0]) {
        note_empty(r, sheet, &at, name, submission_case_required(field));
        return off;
    }
    if (allowed && !config_list_contains(allowed, text)) {
        char expected[1024] = "";
        size_t used = 0;
        for (size_t i = 0; i < allowed->count && used + 64 < sizeof expected; i++)
            used += (size_t)snprintf(expected + used, sizeof expected - used, "%s%s",
                                     i ? "、" : "", allowed->items[i]);
        add(r, sheet, at_text(&at), name, "cell.enum", HZ_SEV_ERROR, HZ_M_WORKBOOK_BAD_ENUM,
            text, expected, NULL);
        *invalid = true;
        return off;
    }
    /* a text has no more characters than the bytes it was stored with
     * (trimming and sanitising only shorten it): most need no count */
    size_t stored = r->case_text_len - off - 1, limit = case_text_limit(field);
    size_t length = stored > limit ? hz_utf8_length(text) : 0;
    if (length > limit) {
        char found[32], max[32];
        snprintf(found, sizeof found, "%zu", length);
        snprintf(max, sizeof max, "%zu", limit);
        add(r, sheet, at_text(&at), name, "cell.too_long", HZ_SEV_ERROR, HZ_M_WORKBOOK_TOO_LONG,
            found, max, NULL);
        *invalid = true;
    }
    return off;
}

static bool case_same(const hz_case *a, const hz_case *b)
{
    const char *const sa[] = {a->case_no, a->name, a->status, a->category, a->commodity,
                              a->channel, a->lead_source, a->assist_units,
                              a->typical_summary, a->note};
    const char *const sb[] = {b->case_no, b->name, b->status, b->category, b->commodity,
                              b->channel, b->lead_source, b->assist_units,
                              b->typical_summary, b->note};
    for (size_t i = 0; i < sizeof sa / sizeof sa[0]; i++)
        if (strcmp(sa[i] ? sa[i] : "", sb[i] ? sb[i] : ""))
            return false;
    return a->filed == b->filed && a->closed == b->closed && a->key_market == b->key_market &&
           a->rural == b->rural && a->transferred == b->transferred &&
           a->cross_region == b->cross_region && a->typical == b->typical &&
           a->amount == b->amount && a->fine == b->fine && a->invalid == b->invalid;
}

/* text into h eight bytes at a time (a multiply per word, not per byte:
 * every case of every file is hashed); equal hashes are confirmed by
 * case_same, so only a spread is needed, not a standard hash. */
static uint64_t hash_text(uint64_t h, const char *text)
{
    size_t n = strlen(text), i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, text + i, 8);
        h = (h ^ w) * 1099511628211ull;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ (unsigned char)text[i]) * 1099511628211ull;
    return (h ^ 0xff) * 1099511628211ull;
}

static uint64_t case_hash(const hz_case *c)
{
    uint64_t h = 1469598103934665603ull;
    /* every field case_same compares: rows that differ only in a field
     * left out here would all share one hash and make the duplicate search
     * quadratic (a hostile sheet of identical rows with distinct notes) */
    const char *const parts[] = {c->case_no, c->name, c->status, c->category, c->commodity,
                                 c->channel, c->lead_source, c->assist_units,
                                 c->typical_summary, c->note};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        h = hash_text(h, parts[i] ? parts[i] : "");
    const int64_t scalars[] = {c->filed, c->closed, c->key_market, c->rural, c->transferred,
                               c->cross_region, c->typical, c->amount, c->fine, c->invalid};
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
        h = (h ^ (uint64_t)scalars[i]) * 1099511628211ull;
    return h;
}

typedef struct hashed_case {
    uint64_t hash;
    size_t index;
} hashed_case;

static int hashed_compare(const void *a, const void *b)
{
    const hashed_case *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* A row pasted twice: reported on the later copy. Sorting by a hash keeps
 * this linear-logarithmic for the 5,000-case files of a province. */
static void report_duplicate_rows(reader *r, const char *sheet)
{
    hz_submission *sub = r->sub;
    if (sub->case_count < 2)
        return;
    hashed_case *keys = malloc(sub->case_count * sizeof *keys);
    if (!keys) {
        r->status = hz_error_set(r->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        return;
    }
    for (size_t i = 0; i < sub->case_count; i++)
        keys[i] = (hashed_case){case_hash(&sub->cases[i]), i};
    qsort(keys, sub->case_count, sizeof *keys, hashed_compare);
    for (size_t i = 1; i < sub->case_count; i++) {
        for (size_t j = i; j-- > 0 && keys[j].hash == keys[i].hash;) {
            const hz_case *later = &sub->cases[keys[i].index];
            const hz_case *first = &sub->cases[keys[j].index];
            if (!case_same(first, later))
                continue;
            char at[16], row[16];
            snprintf(row, sizeof row, "%u", first->row);
            add(r, sheet, ref(later->row - 1, 0, at), "", "structure.duplicate_row",
                HZ_SEV_ERROR, HZ_M_WORKBOOK_DUPLICATE_ROW, NULL, NULL, row);
            break;
        }
    }
    free(keys);
}

static void read_case_row(reader *r, const char *sheet, const xlsx_row *row, hz_case *c)
{
    const hz_config *config = r->config;
    uint32_t *col = r->sub->case_col;
    bool bad;
    c->row = row->row + 1;
    c->filed = c->closed = HZ_DATE_NONE;
#define CELL(f) row_cell(row, col[f])
#define MARK(f)              \
    do {                     \
        if (bad)             \
            c->invalid |= 1u << (f); \
    } while (0)
    /* The ten texts go into r->case_text, then into one allocation owned
     * by case_no, its first (issue 19: one malloc per case, not ten). */
    static const hz_case_field texts[10] = {
        HZ_C_CASE_NO, HZ_C_NAME, HZ_C_STATUS, HZ_C_CATEGORY, HZ_C_COMMODITY,
        HZ_C_CHANNEL, HZ_C_LEAD_SOURCE, HZ_C_ASSIST_UNITS, HZ_C_TYPICAL_SUMMARY, HZ_C_NOTE};
    const hz_list *lists[10] = {NULL, NULL, &config->case_statuses, &config->case_categories,
                                &config->commodities, &config->channels, &config->lead_sources,
                                NULL, NULL, NULL};
    char **text_slots[10] = {&c->case_no, &c->name, &c->status, &c->category, &c->commodity,
                        &c->channel, &c->lead_source, &c->assist_units, &c->typical_summary,
                        &c->note};
    size_t offs[10];
    r->case_text_len = 0;
    for (size_t i = 0; i < 10; i++) {
        bad = false;
        offs[i] = read_text(r, sheet, CELL(texts[i]), row->row, texts[i], lists[i], &bad);
        MARK(texts[i]);
        if (offs[i] == SIZE_MAX)
            return; /* the file is refused: r->status says why */
    }
    char *block = malloc(r->case_text_len);
    if (!block) {
        if (r->status == HZ_OK)
            r->status = hz_error_set(r->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        return;
    }
    memcpy(block, r->case_text, r->case_text_len);
    for (size_t i = 0; i < 10; i++)
        *text_slots[i] = block + offs[i];
    c->is_closed = c->status && config->case_statuses.count >= 2 &&
                   !strcmp(c->status, config->case_statuses.items[1]);

    static const hz_case_field dates[] = {HZ_C_FILED, HZ_C_CLOSED};
    for (size_t i = 0; i < 2; i++) {
        hz_case_field f = dates[i];
        if (col[f] == UINT32_MAX)
            continue;
        bad = false;
        hz_date d = read_date(r, sheet, CELL(f), row->row, col[f], submission_case_column(f),
                              submission_case_required(f), &bad);
        MARK(f);
        if (f == HZ_C_FILED)
            c->filed = d;
        else
            c->closed = d;
    }

    static const hz_case_field yesno[] = {HZ_C_KEY_MARKET, HZ_C_RURAL, HZ_C_TRANSFERRED,
                                          HZ_C_CROSS_REGION, HZ_C_TYPICAL};
    int8_t *slots[] = {&c->key_market, &c->rural, &c->transferred, &c->cross_region,
                       &c->typical};
    for (size_t i = 0; i < 5; i++) {
        hz_case_field f = yesno[i];
        *slots[i] = HZ_UNSET;
        if (col[f] == UINT32_MAX)
            continue;
        bad = false;
        *slots[i] = (int8_t)read_yesno(r, sheet, CELL(f), row->row, col[f],
                                       submission_case_column(f), submission_case_required(f),
                                       &bad);
        MARK(f);
    }

    static const hz_case_field amounts[] = {HZ_C_AMOUNT, HZ_C_FINE};
    for (size_t i = 0; i < 2; i++) {
        hz_case_field f = amounts[i];
        if (col[f] == UINT32_MAX)
            continue;
        bad = false;
        hz_amount value = 0;
        bool has = read_amount(r, sheet, CELL(f), row->row, col[f], submission_case_column(f), 4,
                               submission_case_required(f), &bad, &value);
        MARK(f);
        if (f == HZ_C_AMOUNT) {
            c->amount = has ? value : 0;
            c->has_amount = has;
        } else {
            c->fine = has ? value : 0;
            c->has_fine = has;
        }
    }
#undef CELL
#undef MARK
}

static void read_cases_sheet(reader *r)
{
    const char *sheet = HZ_SHEET_CASES;
    hz_submission *sub = r->sub;
    column_spec specs[HZ_C__COUNT];
    for (int f = 0; f < HZ_C__COUNT; f++) {
        specs[f].header = submission_case_column(f);
        /* 结案日期 is required only for closed cases: the column must exist */
        specs[f].required = submission_case_required(f) || f == HZ_C_CLOSED;
    }
    xlsx_sheet *ws = NULL;
    hz_error e;
    if (!open_sheet(r, sheet, &ws))
        return;
    uint32_t header_row = 0;
    if (!map_columns(r, ws, sheet, specs, HZ_C__COUNT, NULL, sub->case_col, &header_row)) {
        xlsx_sheet_close(ws);
        return;
    }
    size_t cap = 0;
    uint32_t last_data = header_row;
    size_t first_issue = r->issues->count;
    const xlsx_row *row;
    hz_status s;
    while ((s = xlsx_sheet_next_row(ws, &row, &e)) == HZ_OK && row && r->status == HZ_OK) {
        if (row_blank(row))
            continue;
        note_gap(r, sheet, last_data, row->row);
        note_hidden_row(r, sheet, row);
        last_data = row->row;
        if (!hz_array_reserve(&sub->cases, &cap, sub->case_count + 1, sizeof *sub->cases)) {
            r->status = hz_error_set(r->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
            break;
        }
        r->at_sheet = sheet;
        r->at_row = row->row;
        if (!charge(r, sizeof(hz_case)))
            break;
        hz_case *c = &sub->cases[sub->case_count++];
        memset(c, 0, sizeof *c);
        read_case_row(r, sheet, row, c);
    }
    if (s == HZ_OK && r->status == HZ_OK)
        report_merges(r, ws, sheet, header_row, first_issue);
    xlsx_sheet_close(ws);
    if (s != HZ_OK)
        note_failure(r, s, &e);
    free(r->case_text);
    r->case_text = NULL;
    r->case_text_len = r->case_text_cap = 0;
    if (r->status == HZ_OK)
        report_duplicate_rows(r, sheet);
}

/* ---- 文字材料 ----------------------------------------------------------- */

static void read_narrative_sheet(reader *r)
{
    const char *sheet = HZ_SHEET_NARRATIVE;
    hz_submission *sub = r->sub;
    xlsx_sheet *ws = NULL;
    hz_error e;
    if (!open_sheet(r, sheet, &ws))
        return;
    const xlsx_row *row;
    hz_status s;
    size_t size = r->config->limits.max_cell_chars * 4u + 1;
    char *text = malloc(size);
    if (!text) {
        xlsx_sheet_close(ws);
        r->status = hz_error_set(r->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        return;
    }
    while ((s = xlsx_sheet_next_row(ws, &row, &e)) == HZ_OK && row && r->status == HZ_OK) {
        const xlsx_cell *label = row_cell(row, 0);
        if (cell_blank(label))
            continue;
        char key[256], shown[256];
        cell_text(r, label, shown, sizeof shown);
        header_key(shown, key, sizeof key);
        int found = -1;
        for (int n = 0; n < HZ_N__COUNT && found < 0; n++)
            if (header_matches(r->config, key, submission_narrative_label(n)))
                found = n;
        if (found < 0) {
            if (row->row == 0)
                continue; /* a title line above the sections */
            char at[16];
            add(r, sheet, ref(row->row, 0, at), "", "structure.unknown_section", HZ_SEV_NOTICE,
                HZ_M_WORKBOOK_UNKNOWN_SECTION, shown, NULL, NULL);
            continue;
        }
        if (sub->narrative_row[found])
            continue;
        sub->narrative_row[found] = row->row + 1;
        cell_text(r, row_cell(row, 1), text, size);
        hz_trim(text);
        free(sub->narrative[found]);
        cell_at at = at_cell(row->row, 1);
        sub->narrative[found] = keep_text(r, sheet, &at, submission_narrative_label(found), text);
    }
    free(text);
    xlsx_sheet_close(ws);
    if (s != HZ_OK)
        note_failure(r, s, &e);
}

/* ---- the whole file ---------------------------------------------------- */

static bool has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), m = strlen(suffix);
    return n > m && !strcasecmp(name + n - m, suffix);
}

/* The reader tells a zip from an old OLE workbook by their bytes; the name
 * tells which office program made the file, and so what to do about it: a
 * .csv is text, a .et is WPS's own OLE format. */
static void name_the_format(const char *name, hz_error *e)
{
    if (e->msg == HZ_M_XLSX_NOT_ZIP && has_suffix(name, ".csv"))
        hz_error_set(e, HZ_ERR_FORMAT, HZ_M_WORKBOOK_CSV, name, NULL);
    else if (e->msg == HZ_M_XLSX_OLD_XLS && has_suffix(name, ".et"))
        hz_error_set(e, HZ_ERR_FORMAT, HZ_M_WORKBOOK_ET, name, NULL);
}

/* Rule id of a file that cannot be opened as a workbook. */
static const char *unreadable_rule(const hz_error *e)
{
    if (e->msg == HZ_M_XLSX_NOT_ZIP)
        return "file.not_xlsx";
    if (e->msg == HZ_M_XLSX_OLD_XLS)
        return "file.old_xls";
    if (e->msg == HZ_M_XLSX_OPENDOCUMENT)
        return "file.ods";
    if (e->msg == HZ_M_WORKBOOK_CSV)
        return "file.csv";
    if (e->msg == HZ_M_WORKBOOK_ET)
        return "file.et";
    if (e->msg == HZ_M_XLSX_ENCRYPTED)
        return "file.encrypted";
    if (e->status == HZ_ERR_LIMIT)
        return "file.limit";
    if (e->status == HZ_ERR_IO)
        return "file.unreadable";
    return "file.damaged";
}

/* The reader's own message, in both languages, as the issue's text. */
static void add_file_error(reader *r, const char *rule, const hz_error *e)
{
    char zh[1200], en[1200];
    hz_error_render(e, HZ_LANG_ZH, zh, sizeof zh);
    hz_error_render(e, HZ_LANG_EN, en, sizeof en);
    hz_issue_spec spec = {
        .file = r->sub->file_name, .rule = rule, .severity = HZ_SEV_ERROR,
        .text_zh = zh, .text_en = en, .msg = HZ_M_NONE,
    };
    if (!issue_list_add(r->issues, &spec) && r->status == HZ_OK)
        r->status = hz_error_set(r->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
}

/* The book's name of a contract sheet: the exact name, else the one sheet
 * that equals it once blanks are dropped ("案件明细 " typed with a trailing
 * space); NULL when there is none. */
static const char *find_sheet_name(const xlsx_book *book, const char *wanted)
{
    if (xlsx_book_has_sheet(book, wanted))
        return wanted;
    char want[256], key[256];
    header_key(wanted, want, sizeof want);
    for (size_t i = 0; i < xlsx_book_sheet_count(book); i++) {
        const char *name = xlsx_book_sheet_name(book, i);
        header_key(name, key, sizeof key);
        if (!strcmp(key, want))
            return name;
    }
    return NULL;
}

static void init_submission(hz_submission *sub)
{
    memset(sub, 0, sizeof *sub);
    for (int f = 0; f < HZ_C__COUNT; f++)
        sub->case_col[f] = UINT32_MAX;
    sub->value_col = UINT32_MAX;
    sub->header.period_end = sub->header.fill_date = HZ_DATE_NONE;
    sub->header.version = 1;
}

hz_status submission_read(const char *path, const hz_config *config, hz_submission *sub,
                          hz_issue_list *issues, hz_error *err)
{
    init_submission(sub);
    if (!path || !config || !issues)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_INTERNAL, "submission_read", NULL);
    sub->path = strdup(path);
    sub->file_name = hz_text_escape(fs_base_name(path)); /* shown, never opened */
    if (!sub->path || !sub->file_name)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    reader r = {.config = config, .sub = sub, .issues = issues, .err = err};
    size_t first_issue = issues->count;

    hz_error e;
    hz_status s = hash_file_sha256(path, sub->sha256, &sub->size, &e);
    if (s == HZ_OK)
        s = xlsx_book_open(path, &config->limits, &r.book, &e);
    if (s != HZ_OK) {
        if (s == HZ_ERR_NOMEM)
            return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        name_the_format(sub->file_name, &e);
        add_file_error(&r, unreadable_rule(&e), &e);
        if (err)
            *err = e;
        return r.status ? r.status : s;
    }
    r.date1904 = xlsx_book_date1904(r.book);

    const char *const *needed = contract_sheets;
    bool have[4];
    size_t found = 0;
    for (size_t i = 0; i < 4; i++) {
        r.sheet_in_book[i] = find_sheet_name(r.book, needed[i]);
        have[i] = r.sheet_in_book[i] != NULL;
        found += have[i] && i < 3;
    }
    if (found == 0) {
        add(&r, "", "", "", "file.not_submission", HZ_SEV_ERROR, HZ_M_WORKBOOK_NOT_SUBMISSION,
            NULL, NULL, NULL);
        xlsx_book_close(r.book);
        hz_error_set(err, HZ_ERR_FORMAT, HZ_M_WORKBOOK_NOT_SUBMISSION, sub->file_name, NULL);
        return r.status ? r.status : HZ_ERR_FORMAT;
    }
    sub->readable = true;
    for (size_t i = 0; i < 4; i++) {
        if (!have[i])
            add(&r, "", "", needed[i], "structure.missing_sheet", HZ_SEV_ERROR,
                HZ_M_WORKBOOK_MISSING_SHEET, NULL, NULL, NULL);
        else if (strcmp(r.sheet_in_book[i], needed[i]))
            add(&r, needed[i], "", needed[i], "structure.sheet_name_normalised", HZ_SEV_NOTICE,
                HZ_M_WORKBOOK_SHEET_NAME_NORMALISED, r.sheet_in_book[i], needed[i], NULL);
    }
    for (size_t i = 0; i < xlsx_book_sheet_count(r.book); i++) {
        const char *name = xlsx_book_sheet_name(r.book, i);
        bool known = !strcmp(name, HZ_SHEET_GUIDE) || !strcmp(name, FILLIN_SHEET_OPTIONS);
        for (size_t k = 0; k < 4 && !known; k++)
            known = r.sheet_in_book[k] && !strcmp(name, r.sheet_in_book[k]);
        if (!known)
            add(&r, "", "", name, "structure.extra_sheet", HZ_SEV_NOTICE,
                HZ_M_WORKBOOK_EXTRA_SHEET, NULL, NULL, NULL);
    }

    /* one value per indicator even when 统计表 is missing, so later checks
     * can index by indicator */
    sub->values = calloc(config->indicator_count ? config->indicator_count : 1,
                         sizeof *sub->values);
    if (!sub->values) {
        xlsx_book_close(r.book);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    sub->value_count = config->indicator_count;
    for (size_t i = 0; i < config->indicator_count; i++)
        sub->values[i].indicator = &config->indicators[i];

    if (have[0] && r.status == HZ_OK)
        read_header_sheet(&r);
    if (have[1] && r.status == HZ_OK)
        read_values_sheet(&r);
    for (size_t i = 0; i < sub->value_count && r.status == HZ_OK; i++)
        if (!sub->values[i].note)
            sub->values[i].note = dup_or_fail(&r, "");
    if (have[2] && r.status == HZ_OK)
        read_cases_sheet(&r);
    if (have[3] && r.status == HZ_OK)
        read_narrative_sheet(&r);
    for (int n = 0; n < HZ_N__COUNT && r.status == HZ_OK; n++)
        if (!sub->narrative[n])
            sub->narrative[n] = dup_or_fail(&r, "");
    for (int f = 0; f < HZ_H__COUNT && r.status == HZ_OK; f++)
        if (!sub->header.text[f])
            sub->header.text[f] = dup_or_fail(&r, "");
    xlsx_book_close(r.book);

    if (r.status == HZ_ERR_NOMEM || r.status == HZ_ERR_INTERNAL)
        return r.status;
    if (r.status != HZ_OK) {
        /* the zip or XML broke in the middle of a sheet: never half a file,
         * and one sentence instead of what the half seemed to show */
        sub->readable = false;
        issue_list_truncate(issues, first_issue);
        add_file_error(&r, unreadable_rule(err), err);
        return err ? err->status : HZ_ERR_FORMAT;
    }
    return HZ_OK;
}

void submission_free(hz_submission *sub)
{
    if (!sub)
        return;
    free(sub->path);
    free(sub->file_name);
    for (int f = 0; f < HZ_H__COUNT; f++)
        free(sub->header.text[f]);
    for (size_t i = 0; i < sub->value_count; i++)
        free(sub->values[i].note);
    free(sub->values);
    for (size_t i = 0; i < sub->case_count; i++) {
        /* case_no owns the one allocation of the case's texts
         * (read_case_row) */
        free(sub->cases[i].case_no);
    }
    free(sub->cases);
    for (int n = 0; n < HZ_N__COUNT; n++)
        free(sub->narrative[n]);
    init_submission(sub);
}

const char *submission_case_cell(const hz_submission *sub, const hz_case *c,
                                 hz_case_field field, char *buf, size_t size)
{
    if (size < 16 || (unsigned)field >= HZ_C__COUNT || sub->case_col[field] == UINT32_MAX ||
        !c->row) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    return xlsx_ref_format(c->row - 1, sub->case_col[field], buf, size);
}

void submission_case_totals(const hz_submission *sub, hz_case_totals *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sub->case_count; i++) {
        const hz_case *c = &sub->cases[i];
        out->filed++;
        if (c->is_closed)
            out->closed++;
        else
            out->open++;
        out->transferred += c->transferred == HZ_YES;
        out->typical += c->typical == HZ_YES;
        out->key_market += c->key_market == HZ_YES;
        out->rural += c->rural == HZ_YES;
        out->cross_region += c->cross_region == HZ_YES;
        out->online += c->channel && !strcmp(c->channel, HZ_CHANNEL_ONLINE);
        out->physical += c->channel && !strcmp(c->channel, HZ_CHANNEL_PHYSICAL);
        out->amount += c->amount;
        out->fine += c->fine;
    }
}
