/*
 * analysis.h - analyses that need more than one file (DESIGN §5, §6; issue
 * 7): stage-to-annual continuity, outliers among the units, year on year
 * against last year's archive, and the unit assessment (考核).
 *
 * analysis_run() works on a finished consolidation (consolidate.h) and is
 * called by consolidate_folder() after the stage folder was consolidated;
 * callers of consolidate_build() may call it themselves. Its findings are
 * appended to cons->issues (so they reach 校验问题 and validation.json) and
 * its results are kept in cons->analysis (owned by the consolidation).
 *
 * Continuity (annual round with cons->stage), per unit with an accepted
 * file in both rounds:
 *   - every 案件编号 of the stage file must be in the annual file; when not,
 *     "continuity.dropped_case" is an error, or an explained warning when a
 *     说明 of the annual file (a case row's or a 统计表 row's) names the case
 *     number;
 *   - a cumulative indicator lower than at the stage is an error
 *     ("continuity.cumulative_fell");
 *   - a stock indicator that changed is a notice ("continuity.stock_changed"):
 *     the annual (latest) value is the one consolidated anyway.
 *
 * Outliers (warning "outlier.<figure>", figure = cases_filed, amount, fine,
 * transferred, typical or an indicator code): among the units with an
 * accepted file that have the figure (indicators: entered), the modified
 * z-score of Iglewicz and Hoaglin, z = 0.6745 (x - median) / MAD, where MAD
 * is the median absolute deviation; when MAD is 0, z = (x - median) /
 * (1.253314 * mean absolute deviation); when that is 0 too, nobody is an
 * outlier. A unit with z > config outlier_threshold is flagged (only values
 * far ABOVE the peers). A figure with fewer than outlier_min_units values is
 * skipped (counted in outlier_skipped). Explained: an indicator outlier when
 * the indicator's 说明 is filled; a case figure outlier when a 说明 of the
 * unit's file (any case row or 统计表 row) names the figure (立案, 涉案金额,
 * 罚没, 移送, 典型).
 *
 * Assessment: see analysis_assess() and README (the formula is also written
 * into the XLSX 考核 sheet).
 *
 * Year on year: analysis_previous_read() reads last year's archive
 * (archive.h layout): manifest.ini ([archive] year and round, [totals],
 * [indicators], [reports] xlsx) and the workbook's 分单位 sheet for the
 * per-unit figures. SHA256SUMS must list manifest.ini and the workbook with
 * their current checksums, the year must be earlier than the config's, the
 * round the same, and the units of the workbook must add up to the
 * manifest's totals: anything else is an error, never silently ignored.
 */
#ifndef HZ_ANALYSIS_H
#define HZ_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "hz_amount.h"
#include "hz_msg.h"
#include "hz_status.h"

struct hz_consolidation;
struct hz_case_figures;

/* The case figures that outliers, results and year on year look at. */
typedef enum hz_figure {
    HZ_FIG_FILED, HZ_FIG_AMOUNT, HZ_FIG_FINE, HZ_FIG_TRANSFERRED, HZ_FIG_TYPICAL,
    HZ_FIG_CLOSED, HZ_FIG__COUNT
} hz_figure;

/* Stable id ("cases_filed", "amount", ...) and Chinese word used to decide
 * whether a 说明 covers an outlier ("立案", "涉案金额", ...). */
const char *analysis_figure_id(hz_figure fig);
const char *analysis_figure_word(hz_figure fig);
/* The figure as a double (amounts in 万元). */
double analysis_figure_value(const struct hz_case_figures *f, hz_figure fig);

/* ---------------------------------------------------------- statistics */

/* Median of v[0..n) (n > 0; v is not modified). */
double analysis_median(const double *v, size_t n);
/* Robust z-scores of v[0..n) into z[0..n) as described above; returns false
 * (z all 0) when the spread is 0 or n == 0. */
bool analysis_robust_z(const double *v, size_t n, double *z);

/* ---------------------------------------------------------- results */

typedef struct hz_outlier {
    size_t unit;               /* consolidation unit index */
    bool is_indicator;
    hz_figure figure;          /* when !is_indicator */
    size_t indicator;          /* config index when is_indicator */
    double value, median, z;
    bool explained;
} hz_outlier;

typedef struct hz_score {
    size_t unit;               /* consolidation unit index */
    bool missing;              /* no accepted file: every part 0 */
    int days_late;
    size_t errors, warnings;   /* counted for data quality */
    size_t sections;           /* narrative sections filled */
    double part_results[4];    /* filed, amount, transferred, typical */
    double timeliness, quality, completeness, results, total; /* 2 decimals */
    int rank;                  /* 1-based; equal totals rank equally */
} hz_score;

/* Last year's figures. */
typedef struct hz_previous {
    char *dir;
    int year;
    char *round_id;
    struct hz_case_figures *total;  /* from manifest [totals] */
    hz_amount *values;              /* per config indicator (by code) */
    bool *present;
    struct hz_case_figures *units;  /* per consolidation unit (by code) */
    bool *unit_found;
} hz_previous;

typedef struct hz_analysis {
    bool continuity_done;      /* annual round with a stage consolidation */
    size_t dropped_cases, dropped_explained, cumulative_fell, stock_changed;
    hz_outlier *outliers;      size_t outlier_count, outlier_cap;
    size_t outlier_checked;    /* figures with enough units */
    size_t outlier_skipped;    /* figures with fewer than min_units values */
    hz_score *scores;          size_t score_count;   /* consolidation unit order */
    hz_previous *previous;     /* NULL without --previous */
} hz_analysis;

typedef struct hz_analysis_options {
    const char *previous_dir;  /* last year's archive, or NULL */
} hz_analysis_options;

/* Runs every analysis on cons and stores the result in cons->analysis
 * (replacing one already there). Errors: HZ_ERR_NOMEM, and those of
 * analysis_previous_read (HZ_ERR_IO; HZ_ERR_FORMAT for an archive that is not
 * intact, not listed, or of the wrong year or round). */
hz_status analysis_run(struct hz_consolidation *cons, const hz_analysis_options *opt,
                       hz_error *err);

/* The parts, each usable alone (tests); they append issues to cons->issues
 * and fill a. */
hz_status analysis_continuity(struct hz_consolidation *cons, hz_analysis *a, hz_error *err);
hz_status analysis_outliers(struct hz_consolidation *cons, hz_analysis *a, hz_error *err);
/* Needs the continuity and outlier issues already in cons->issues. */
hz_status analysis_assess(const struct hz_consolidation *cons, hz_analysis *a, hz_error *err);

/* Reads last year's archive for cons (see above). */
hz_status analysis_previous_read(const struct hz_consolidation *cons, const char *dir,
                                 hz_previous **out, hz_error *err);
void analysis_previous_free(hz_previous *prev);

void analysis_free(hz_analysis *a);

/* The grade word id of a score (config grade bands; a missing unit is
 * 不合格 as its total is 0). */
hz_msg_id analysis_grade(const hz_config *config, const hz_score *score);

/* Line k (0 .. ANALYSIS_FORMULA_LINES-1) of the assessment formula with
 * the config's weights, in lang: the text of the README, the 考核 sheet's
 * header notes and the PDF. */
#define ANALYSIS_FORMULA_LINES 6
const char *analysis_formula_line(const hz_config *config, int k, hz_lang lang, char *buf,
                                  size_t size);

/* Competition ranking ("1224") of totals[0..n) (higher is better) compared
 * at two decimals, into rank[0..n). */
void analysis_rank(const double *totals, size_t n, int *rank);

/* Growth "12.5%" of cur over prev (one decimal, sign kept); "—" when prev
 * is 0. */
const char *analysis_format_growth(double cur, double prev, char *buf, size_t size);

#endif
