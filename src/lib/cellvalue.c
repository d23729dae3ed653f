/* cellvalue.c - typed values from cells. */
#include "cellvalue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hz_text.h"

const char *cellvalue_text(const xlsx_cell *cell, bool date1904, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!cell)
        return buf;
    switch (cell->type) {
    case XLSX_CELL_NUMBER: {
        hz_date date;
        if (cell->is_date && hz_date_from_serial(cell->number, date1904, &date))
            return hz_date_format(date, buf, size);
        snprintf(buf, size, "%.15g", cell->number);
        return buf;
    }
    case XLSX_CELL_BOOL:
        snprintf(buf, size, "%s", cell->number != 0 ? "TRUE" : "FALSE");
        return buf;
    case XLSX_CELL_STRING:
    case XLSX_CELL_ERROR:
        hz_strlcpy_utf8(buf, cell->text ? cell->text : "", size);
        return hz_trim(buf);
    case XLSX_CELL_EMPTY:
        break;
    }
    return buf;
}

bool cellvalue_normalise_number(const char *text, char *out, size_t size)
{
    char ascii[256];
    size_t n = 0;
    bool changed = false;
    const char *p = text, *end = text + strlen(text);
    while (p < end && n + 1 < sizeof ascii) {
        int32_t cp = hz_utf8_next(&p, end);
        if (cp < 0)
            return false;
        if (cp >= 0xFF10 && cp <= 0xFF19) { /* full-width digits */
            ascii[n++] = (char)('0' + (cp - 0xFF10));
            changed = true;
        } else if (cp == 0xFF0E) {
            ascii[n++] = '.';
            changed = true;
        } else if (cp == 0xFF0C) {
            ascii[n++] = ',';
            changed = true;
        } else if (cp == 0xFF0D) {
            ascii[n++] = '-';
            changed = true;
        } else if (cp < 0x80) {
            ascii[n++] = (char)cp;
        } else {
            ascii[n++] = '?'; /* not a number character: keeps it invalid */
        }
    }
    ascii[n] = '\0';
    /* Thousands separators: only when every group after the first has three
     * digits, so "1,23" stays a type error instead of becoming 123. */
    if (strchr(ascii, ',')) {
        const char *dot = strchr(ascii, '.');
        size_t int_len = dot ? (size_t)(dot - ascii) : strlen(ascii);
        size_t start = (ascii[0] == '-' || ascii[0] == '+') ? 1 : 0;
        size_t first = 0;
        while (start + first < int_len && ascii[start + first] != ',')
            first++;
        bool grouped = first >= 1 && first <= 3;
        size_t i = start + first;
        while (grouped && i < int_len) {
            if (ascii[i] != ',' || i + 4 > int_len)
                grouped = false;
            else {
                for (size_t k = 1; k <= 3; k++)
                    if (ascii[i + k] < '0' || ascii[i + k] > '9')
                        grouped = false;
                i += 4;
            }
        }
        if (grouped && !(dot && strchr(dot, ','))) {
            size_t j = 0;
            for (size_t k = 0; ascii[k]; k++)
                if (ascii[k] != ',')
                    ascii[j++] = ascii[k];
            ascii[j] = '\0';
            changed = true;
        }
    }
    snprintf(out, size, "%s", ascii);
    return changed;
}

cellvalue_result cellvalue_amount(const xlsx_cell *cell, int max_decimals, hz_amount *out)
{
    if (!cell || cell->type == XLSX_CELL_EMPTY)
        return CELLVALUE_EMPTY;
    hz_amount value;
    if (cell->type == XLSX_CELL_NUMBER) {
        if (cell->is_date)
            return CELLVALUE_BAD_TYPE;
        if (!hz_amount_from_double(cell->number, &value))
            return isfinite(cell->number) ? CELLVALUE_BAD_DECIMALS : CELLVALUE_BAD_TYPE;
    } else if (cell->type == XLSX_CELL_STRING) {
        char text[256], normal[256];
        hz_strlcpy_utf8(text, cell->text, sizeof text);
        hz_trim(text);
        if (!text[0])
            return CELLVALUE_EMPTY;
        bool changed = cellvalue_normalise_number(text, normal, sizeof normal);
        if (!hz_amount_parse(normal, &value)) {
            /* distinguish "1.23456" (too precise) from "12件" */
            const char *dot = strchr(normal, '.');
            bool numeric = normal[0] != '\0';
            for (const char *p = normal; *p; p++)
                if (!((*p >= '0' && *p <= '9') || *p == '.' || (p == normal && *p == '-')))
                    numeric = false;
            if (numeric && dot && strchr(dot + 1, '.') == NULL)
                return CELLVALUE_BAD_DECIMALS;
            return CELLVALUE_BAD_TYPE;
        }
        *out = value;
        int64_t unit = 1;
        for (int i = max_decimals; i < 4; i++)
            unit *= 10;
        if (value % unit != 0)
            return CELLVALUE_BAD_DECIMALS;
        return changed ? CELLVALUE_NORMALISED : CELLVALUE_OK;
    } else {
        return CELLVALUE_BAD_TYPE;
    }
    int64_t unit = 1;
    for (int i = max_decimals; i < 4; i++)
        unit *= 10;
    if (value % unit != 0)
        return CELLVALUE_BAD_DECIMALS;
    *out = value;
    return CELLVALUE_OK;
}

cellvalue_result cellvalue_date(const xlsx_cell *cell, bool date1904, hz_date *out)
{
    if (!cell || cell->type == XLSX_CELL_EMPTY)
        return CELLVALUE_EMPTY;
    if (cell->type == XLSX_CELL_NUMBER) {
        /* A serial without a date style is still a date a user typed into a
         * general cell; accept it only in a plausible range. */
        if (cell->number != floor(cell->number) && !cell->is_date)
            return CELLVALUE_BAD_TYPE;
        if (!cell->is_date && (cell->number < 36526 || cell->number > 73051))
            return CELLVALUE_BAD_TYPE; /* 2000-01-01 .. 2099-12-31 */
        return hz_date_from_serial(cell->number, date1904, out)
                   ? (cell->is_date ? CELLVALUE_OK : CELLVALUE_NORMALISED)
                   : CELLVALUE_BAD_TYPE;
    }
    if (cell->type != XLSX_CELL_STRING)
        return CELLVALUE_BAD_TYPE;
    char text[128];
    hz_strlcpy_utf8(text, cell->text, sizeof text);
    hz_trim(text);
    if (!text[0])
        return CELLVALUE_EMPTY;
    return hz_date_parse(text, out) ? CELLVALUE_OK : CELLVALUE_BAD_TYPE;
}

cellvalue_result cellvalue_yesno(const xlsx_cell *cell, const hz_config *config, bool *out)
{
    if (!cell || cell->type == XLSX_CELL_EMPTY)
        return CELLVALUE_EMPTY;
    char text[64];
    if (cell->type == XLSX_CELL_NUMBER || cell->type == XLSX_CELL_BOOL) {
        if (cell->number == 1 || cell->number == 0) {
            *out = cell->number == 1;
            return CELLVALUE_ALIAS;
        }
        return CELLVALUE_BAD_TYPE;
    }
    if (cell->type != XLSX_CELL_STRING)
        return CELLVALUE_BAD_TYPE;
    /* nearly every cell holds the word itself: no copy, no trim (the
     * configured words are trimmed when the configuration is read; an
     * empty text is left to the trim below) */
    if (cell->text[0] && !strcmp(cell->text, config->yes_word)) {
        *out = true;
        return CELLVALUE_OK;
    }
    if (cell->text[0] && !strcmp(cell->text, config->no_word)) {
        *out = false;
        return CELLVALUE_OK;
    }
    hz_strlcpy_utf8(text, cell->text, sizeof text);
    hz_trim(text);
    if (!text[0])
        return CELLVALUE_EMPTY;
    if (!strcmp(text, config->yes_word)) {
        *out = true;
        return CELLVALUE_OK;
    }
    if (!strcmp(text, config->no_word)) {
        *out = false;
        return CELLVALUE_OK;
    }
    if (config_list_contains(&config->yes_aliases, text)) {
        *out = true;
        return CELLVALUE_ALIAS;
    }
    if (config_list_contains(&config->no_aliases, text)) {
        *out = false;
        return CELLVALUE_ALIAS;
    }
    return CELLVALUE_BAD_TYPE;
}
