/*
 * hz_date.h - calendar dates as day numbers.
 *
 * An hz_date counts days since 1970-01-01 (proleptic Gregorian), so dates
 * compare and subtract as integers. HZ_DATE_NONE marks "no date".
 */
#ifndef HZ_DATE_H
#define HZ_DATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

typedef int32_t hz_date;
#define HZ_DATE_NONE INT32_MIN

/* Day number of y-m-d; HZ_DATE_NONE when the date does not exist. */
hz_date hz_date_from_ymd(int year, int month, int day);
void hz_date_to_ymd(hz_date date, int *year, int *month, int *day);

/* 0 = Monday ... 6 = Sunday. */
int hz_date_weekday(hz_date date);

/* Parses YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日 (surrounding blanks allowed;
 * month and day may have one or two digits). Returns false when text is not
 * one of these forms or names a day that does not exist. */
bool hz_date_parse(const char *text, hz_date *out);

/* Spreadsheet serial number (integer part) to date; date1904 selects the
 * 1904 system. Serial 60 in the 1900 system (the fictitious 1900-02-29)
 * and serials below 1 give false. */
bool hz_date_from_serial(double serial, bool date1904, hz_date *out);
double hz_date_to_serial(hz_date date);

/* "2022-08-26" into buf (at least 11 bytes). */
const char *hz_date_format(hz_date date, char *buf, size_t size);
/* "2022年8月26日" into buf (at least 20 bytes). */
const char *hz_date_format_zh(hz_date date, char *buf, size_t size);

#endif
