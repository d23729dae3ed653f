/*
 * hz_test_build.h - consolidations built in memory from hand-made
 * submissions, for the unit tests of consolidate.h and analysis.h: a file
 * with its checked submission, indicator values, cases, then
 * consolidate_build over the lot. Every function fails the running
 * Criterion test on error; what they allocate is owned by the file, and
 * the files by the consolidation once built.
 */
#ifndef HZ_TEST_BUILD_H
#define HZ_TEST_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "consolidate.h"

/* "YYYY-MM-DD" parsed; a copy of text ("" for NULL). */
hz_date test_date(const char *text);
char *test_str(const char *text);

/* A readable submission named name of unit code, version, filled on
 * fill_date (NULL: no date), every indicator missing with an empty note,
 * no cases; valid or with two errors. */
hz_cons_file make_file(const hz_config *config, const char *name, const char *code, int version,
                       bool valid, const char *fill_date);
/* Indicator number indicator entered as the whole number whole. */
void set_value(hz_cons_file *f, size_t indicator, long long whole);

/* One case row; NULL strings take ordinary defaults (商标侵权假冒, 食品,
 * 实体市场, no assisting units, no 说明); a closed case closes 10 days after
 * filed. Its texts are one allocation owned by case_no, as the reader makes
 * them (submission.h). */
typedef struct case_spec {
    const char *no, *filed, *category, *commodity, *channel, *assist, *note;
    bool closed, transferred, typical, key_market, rural;
    hz_amount amount, fine;     /* in 0.0001 万元 */
} case_spec;

void add_case(hz_cons_file *f, case_spec spec);

/* Files gathered for one consolidation. */
typedef struct fileset {
    hz_cons_file *files;
    size_t count;
} fileset;

void push_file(fileset *fs, hz_cons_file f);
/* consolidate_build of round round_id over fs (then emptied: the files
 * belong to the result) with receipts.ini text receipts_text (NULL: none). */
hz_consolidation *build_consolidation(const hz_config *config, fileset *fs, const char *round_id,
                                      const char *receipts_text);
/* Index of unit code in cons->units. */
size_t unit_of(const hz_consolidation *cons, const char *code);

#endif
