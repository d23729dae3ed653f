/* hz_amount.c - exact 万元 amounts as integers of 0.0001 万元. */
#include "hz_amount.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define AMOUNT_MAX_WHOLE 100000000000LL /* 10^11 万元: far beyond any case */

bool hz_amount_parse(const char *text, hz_amount *out)
{
    const char *p = text;
    bool negative = false;
    if (*p == '-' || *p == '+') {
        negative = *p == '-';
        p++;
    }
    int64_t whole = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        whole = whole * 10 + (*p - '0');
        if (whole > AMOUNT_MAX_WHOLE)
            return false;
        p++;
        digits++;
    }
    int64_t frac = 0;
    int frac_digits = 0;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (frac_digits == 4) {
                if (*p != '0')
                    return false;
            } else {
                frac = frac * 10 + (*p - '0');
                frac_digits++;
            }
            p++;
            digits++;
        }
    }
    if (*p || digits == 0)
        return false;
    while (frac_digits < 4) {
        frac *= 10;
        frac_digits++;
    }
    int64_t value = whole * HZ_AMOUNT_SCALE + frac;
    *out = negative ? -value : value;
    return true;
}

bool hz_amount_from_double(double value, hz_amount *out)
{
    if (!isfinite(value) || fabs(value) > (double)AMOUNT_MAX_WHOLE)
        return false;
    double scaled = value * HZ_AMOUNT_SCALE;
    double rounded = round(scaled);
    /* A cell typed as 1.2345 is stored as the nearest double; anything
     * further than this from a whole 0.0001 has more than four decimals. */
    if (fabs(scaled - rounded) > 1e-6 * (fabs(scaled) > 1 ? fabs(scaled) : 1) &&
        fabs(scaled - rounded) > 1e-4)
        return false;
    *out = (hz_amount)rounded;
    return true;
}

double hz_amount_to_double(hz_amount amount)
{
    return (double)amount / HZ_AMOUNT_SCALE;
}

const char *hz_amount_format(hz_amount amount, int decimals, bool group,
                             char *buf, size_t size)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 4)
        decimals = 4;
    int64_t divisor = 1;
    for (int i = decimals; i < 4; i++)
        divisor *= 10;
    bool negative = amount < 0;
    uint64_t magnitude = negative ? (uint64_t)(-(amount + 1)) + 1 : (uint64_t)amount;
    uint64_t scaled = (magnitude + (uint64_t)divisor / 2) / (uint64_t)divisor;
    uint64_t unit = 1;
    for (int i = 0; i < decimals; i++)
        unit *= 10;
    uint64_t whole = scaled / unit, frac = scaled % unit;
    char digits[32], grouped[48];
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)whole);
    if (group) {
        size_t len = strlen(digits), j = 0;
        for (size_t i = 0; i < len; i++) {
            if (i && (len - i) % 3 == 0)
                grouped[j++] = ',';
            grouped[j++] = digits[i];
        }
        grouped[j] = '\0';
    } else {
        snprintf(grouped, sizeof grouped, "%s", digits);
    }
    if (decimals)
        snprintf(buf, size, "%s%s.%0*llu", negative && scaled ? "-" : "", grouped,
                 decimals, (unsigned long long)frac);
    else
        snprintf(buf, size, "%s%s", negative && scaled ? "-" : "", grouped);
    return buf;
}
