/*
 * cellvalue.h - turning one spreadsheet cell into a typed value (DESIGN §4).
 *
 * Counts, amounts, dates and yes/no words are parsed exactly as the contract
 * says: numbers stored as numbers are taken as they are; text is trimmed;
 * full-width digits and thousands separators are normalised (reported with
 * a notice by the caller through CELLVALUE_NORMALISED); anything else that
 * is not a number ("12件", "十二") is a type error, never a guess.
 */
#ifndef HZ_CELLVALUE_H
#define HZ_CELLVALUE_H

#include <stdbool.h>
#include "config.h"
#include "hz_amount.h"
#include "hz_date.h"
#include "xlsx_reader.h"

typedef enum cellvalue_result {
    CELLVALUE_OK = 0,
    CELLVALUE_EMPTY,        /* blank cell or only blanks */
    CELLVALUE_NORMALISED,   /* parsed after normalising text (notice) */
    CELLVALUE_BAD_TYPE,     /* not a number / date / yes-no word */
    CELLVALUE_BAD_DECIMALS, /* more decimals than allowed */
    CELLVALUE_ALIAS         /* yes/no given as an alias such as Y or 1 (notice) */
} cellvalue_result;

/* The text of a cell as a user sees it (numbers in shortest form), trimmed,
 * into buf. Dates stored as serial numbers render as YYYY-MM-DD. */
const char *cellvalue_text(const xlsx_cell *cell, bool date1904, char *buf, size_t size);

/* Amount with at most max_decimals decimals (4 for 万元, 0 for counts). */
cellvalue_result cellvalue_amount(const xlsx_cell *cell, int max_decimals, hz_amount *out);

/* Normalises text for a number: full-width digits, '．' and '，' to ASCII,
 * thousands separators removed when correctly grouped. Returns true when
 * anything changed; out receives the normalised text. */
bool cellvalue_normalise_number(const char *text, char *out, size_t size);

cellvalue_result cellvalue_date(const xlsx_cell *cell, bool date1904, hz_date *out);

/* 是/否 and the configured aliases. */
cellvalue_result cellvalue_yesno(const xlsx_cell *cell, const hz_config *config, bool *out);

#endif
