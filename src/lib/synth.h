/*
 * synth.h - synthetic filled submissions for demos, tests and benchmarks.
 *
 * synth_fill writes a workbook with exactly the layout of the fill-in
 * template (it goes through fillin_write_values) and random but plausible
 * values: cases with dates inside the round, enumerations from the
 * configuration with realistic weights (mostly 商标侵权假冒 in 实体市场),
 * indicator values in realistic ranges that satisfy the comparison rules of
 * rules.ini, and narrative text composed from phrase lists.
 *
 * Determinism: every value comes from splitmix64 streams seeded from
 * options.seed, the unit code and a stream name, never from the clock, so
 * the same configuration and options give byte-identical files and each
 * unit differs. The annual round first regenerates the unit's stage cases
 * and stage indicator values from the same streams (so an annual return
 * holds every stage case and cumulative values never fall), then advances
 * open cases (some close) and adds the cases filed after the stage period.
 */
#ifndef HZ_SYNTH_H
#define HZ_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "hz_date.h"
#include "hz_status.h"

typedef struct synth_options {
    uint64_t seed;
    /* New cases per round: the stage return has case_count cases, the
     * annual return its stage cases plus case_count more. -1: random in
     * 0..max_random_cases, drawn per unit and round. */
    long case_count;
    int max_random_cases;      /* default 40 */
    int version;               /* 版本号, default 1 */
    /* 填报日期; HZ_DATE_NONE: a per-unit day between the end of the
     * statistics period and the (effective) deadline. Case dates never
     * fall after it. */
    hz_date fill_date;
    /* Sample knob: index of an indicator whose value is left blank (a
     * first version to be corrected); -1 for none. */
    long blank_indicator;
} synth_options;

/* Defaults: seed 0, random case counts (0..40), version 1, fill date from
 * the round, no blank indicator. */
void synth_options_init(synth_options *opt);

/* Writes the filled workbook of unit for round to path (atomic).
 * Errors: HZ_ERR_USAGE (NULL arguments, bad options; HZ_M_INTERNAL),
 * HZ_ERR_NOMEM, HZ_ERR_IO (HZ_M_FILLIN_XLSX / HZ_M_IO_*). */
hz_status synth_fill(const hz_config *config, const hz_unit *unit, const hz_round *round,
                     const synth_options *opt, const char *path, hz_error *err);

/* What synth_write_samples wrote. */
typedef struct synth_samples_report {
    size_t stage_files, annual_files;
    const hz_unit *missing_unit;   /* no annual file */
    const hz_unit *late_unit;      /* annual receipt after the deadline */
    const hz_unit *revised_unit;   /* annual versions 1 and 2 */
} synth_samples_report;

/* The complete sample set under dir (created when missing):
 *   dir/stage/   every unit's stage return, all on time;
 *   dir/annual/  every unit's annual return except the last unit of the
 *                configuration (missing); the second-to-last unit is late
 *                (receipt two days after the deadline); the first unit has
 *                "…-年度总结-v1.xlsx" (版本号 1, one required indicator
 *                blank) and the corrected "…-年度总结.xlsx" (版本号 2);
 * each folder with receipts.ini: [receipts] unit code = YYYY-MM-DD HH:MM.
 * Needs the stage and annual rounds and at least 3 units. */
hz_status synth_write_samples(const hz_config *config, uint64_t seed, const char *dir,
                              synth_samples_report *report, hz_error *err);

/* Largest unit count synth_write_config accepts (codes 490001..499999). */
#define SYNTH_MAX_UNITS 9999

/* A configuration folder for benchmarks at any scale: dir (created when
 * missing) receives a copy of every *.ini file of config->dir except
 * units.ini, and a units.ini with `units` units: the configuration's own
 * units first (as many as fit), then synthetic county bureaus 模拟NNNN县
 * with codes 49NNNN (no real division code starts with 49). Deterministic;
 * files are written atomically. units is 1..SYNTH_MAX_UNITS.
 * Errors: HZ_ERR_USAGE (bad arguments), HZ_ERR_IO, HZ_ERR_NOMEM. */
hz_status synth_write_config(const hz_config *config, size_t units, const char *dir,
                             hz_error *err);

#endif
