/* hz_date.c - civil dates as day numbers (Howard Hinnant's algorithms). */
#include "hz_date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month - 1];
}

hz_date hz_date_from_ymd(int year, int month, int day)
{
    if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month))
        return HZ_DATE_NONE;
    return (hz_date)days_from_civil(year, (unsigned)month, (unsigned)day);
}

void hz_date_to_ymd(hz_date date, int *year, int *month, int *day)
{
    int64_t z = (int64_t)date + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(y + (m <= 2));
    *month = (int)m;
    *day = (int)d;
}

int hz_date_weekday(hz_date date)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int64_t w = ((int64_t)date + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* Reads 1..max ASCII digits; returns the count read. */
static int read_digits(const char **p, int max, int *value)
{
    int n = 0, v = 0;
    while (n < max && **p >= '0' && **p <= '9') {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    *value = v;
    return n;
}

static int skip_blanks(const char *s)
{
    int n = 0;
    for (;;) {
        if (s[n] == ' ' || s[n] == '\t' || s[n] == '\r' || s[n] == '\n')
            n++;
        else if (!strncmp(s + n, "\xE3\x80\x80", 3))
            n += 3;
        else
            return n;
    }
}

bool hz_date_parse(const char *text, hz_date *out)
{
    const char *p = text + skip_blanks(text);
    int y, m, d;
    if (read_digits(&p, 4, &y) != 4)
        return false;
    const char *sep_year, *sep_month, *sep_day = "";
    if (*p == '-') {
        sep_year = sep_month = "-";
    } else if (*p == '/') {
        sep_year = sep_month = "/";
    } else if (!strncmp(p, "年", 3)) {
        sep_year = "年";
        sep_month = "月";
        sep_day = "日";
    } else {
        return false;
    }
    p += strlen(sep_year);
    if (read_digits(&p, 2, &m) < 1 || strncmp(p, sep_month, strlen(sep_month)))
        return false;
    p += strlen(sep_month);
    if (read_digits(&p, 2, &d) < 1 || strncmp(p, sep_day, strlen(sep_day)))
        return false;
    p += strlen(sep_day);
    p += skip_blanks(p);
    if (*p)
        return false;
    hz_date date = hz_date_from_ymd(y, m, d);
    if (date == HZ_DATE_NONE)
        return false;
    *out = date;
    return true;
}

/* 1899-12-30 and 1904-01-01 as day numbers. */
#define SERIAL_EPOCH_1900 (-25569)
#define SERIAL_EPOCH_1904 (-24107)

bool hz_date_from_serial(double serial, bool date1904, hz_date *out)
{
    if (!(serial >= 0 && serial < 2958466.0))
        return false;
    long whole = (long)serial;
    if (date1904) {
        *out = (hz_date)(SERIAL_EPOCH_1904 + whole);
        return true;
    }
    if (whole < 1 || whole == 60)
        return false;
    /* Serials below 60 count the fictitious 1900-02-29, so shift by one. */
    *out = (hz_date)(SERIAL_EPOCH_1900 + whole + (whole < 60 ? 1 : 0));
    return true;
}

double hz_date_to_serial(hz_date date)
{
    return (double)(date - SERIAL_EPOCH_1900);
}

const char *hz_date_format(hz_date date, char *buf, size_t size)
{
    if (date == HZ_DATE_NONE) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    int y, m, d;
    hz_date_to_ymd(date, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    return buf;
}

const char *hz_date_format_zh(hz_date date, char *buf, size_t size)
{
    if (date == HZ_DATE_NONE) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    int y, m, d;
    hz_date_to_ymd(date, &y, &m, &d);
    snprintf(buf, size, "%d年%d月%d日", y, m, d);
    return buf;
}
