/*
 * hz_amount.h - exact money amounts in 万元.
 *
 * An hz_amount is an integer count of 0.0001 万元 (one yuan), so sums over
 * thousands of cases carry no binary floating-point drift.
 */
#ifndef HZ_AMOUNT_H
#define HZ_AMOUNT_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

typedef int64_t hz_amount;
#define HZ_AMOUNT_SCALE 10000

/* Parses a plain decimal ("12", "0.35", "-1.5", "1234.5678") with at most
 * four decimals. Returns false for anything else (no thousands separators,
 * no units: the caller normalises those first). */
bool hz_amount_parse(const char *text, hz_amount *out);

/* Converts a cell's double to an amount, rounding to 4 decimals. Returns
 * false when the value has more than 4 significant decimals (beyond a
 * floating-point tolerance) or is out of range. */
bool hz_amount_from_double(double value, hz_amount *out);
double hz_amount_to_double(hz_amount amount);

/* Formats with the given number of decimals (0..4), rounding half away
 * from zero; thousands grouping when group is true ("1,234.50"). */
const char *hz_amount_format(hz_amount amount, int decimals, bool group,
                             char *buf, size_t size);

#endif
