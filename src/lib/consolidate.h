/*
 * consolidate.h - one round's folder of county returns into city figures
 * (DESIGN §6).
 *
 * The in-memory consolidation: consolidate_build() turns checked returns
 * into city figures; the folder run that feeds it is consolidate_folder.h.
 * consolidate_folder() lists the folder (sorted bytewise by name, so the
 * result never depends on the OS directory order), runs check_file() on
 * every *.xlsx (two worker threads; results kept in list order), reads the
 * city's receipts.ini when present, and accounts for EVERY entry:
 *   accepted    the highest valid 版本号 of its unit;
 *   superseded  a valid file of a unit whose higher version was accepted;
 *   rejected    not valid (its issues say why), or one of two files that
 *               claim the same unit and the same version: both are rejected
 *               (an error names the other file) and the unit falls back to
 *               its highest remaining valid version, if any;
 *   ignored     not a submission: not .xlsx, an office lock file (~$…), a
 *               hidden file, a subfolder, receipts.ini (read, not a return),
 *               or anything that is not a regular file; the reason is kept.
 *
 * Receipts (receipts.ini, section [receipts], unit code = "YYYY-MM-DD HH:MM"
 * or "YYYY-MM-DD"): the receipt time of a unit comes from there, else from
 * the workbook's 填报日期. A malformed receipts.ini is an error naming the
 * line (it is parsed by hand, not with iniparser, because iniparser can
 * neither name a bad line nor tell which line a value came from).
 * Status per expected unit (config units, config order): on time (receipt
 * date <= config_effective_deadline), late (N days after it) or missing (no
 * accepted file). completeness = units with an accepted file / expected
 * units; timeliness = on-time units / expected units (DHIS2's definitions).
 *
 * Cross-unit checks: a 案件编号 reported by two units is either a joint case
 * (one of them names the other in 协查单位代码) - counted once, for the
 * lead unit (the one naming the other; when both name each other, the lower
 * unit code) and listed for both - or a duplicate, flagged with a warning
 * ("cross.duplicate_case") and counted for both, since the city cannot tell
 * which is right.
 *
 * Figures are exact (hz_amount). Indicator values are summed over the units
 * that entered them; a unit or city total that no unit entered stays
 * missing (present = false), distinct from 0.
 *
 * The consolidation points into the config it was built from: keep the
 * config alive until consolidate_free().
 */
#ifndef HZ_CONSOLIDATE_H
#define HZ_CONSOLIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "check.h"
#include "config.h"
#include "hz_amount.h"
#include "hz_date.h"
#include "issue.h"

#define HZ_NONE_INDEX SIZE_MAX
#define HZ_NONE_INDEX32 UINT32_MAX

typedef enum hz_file_status {
    HZ_FILE_ACCEPTED, HZ_FILE_SUPERSEDED, HZ_FILE_REJECTED, HZ_FILE_IGNORED
} hz_file_status;

/* One entry of the folder. */
typedef struct hz_cons_file {
    char *name;                /* base name */
    char *path;                /* folder/name */
    hz_file_status status;
    hz_msg_id reason;          /* why superseded/rejected/ignored (HZ_M_NONE
                                  for accepted) */
    char *reason_arg;          /* {1} of reason (e.g. the winning file), "" */
    hz_check_result *check;    /* NULL for ignored entries; owned */
    size_t unit;               /* index into consolidation units, or
                                  HZ_NONE_INDEX */
    int version;               /* 版本号 (0 when unknown) */
    char *case_texts;          /* the texts of check->sub's cases, packed by
                                  consolidate_compact_cases; owned */
    bool case_rows_released;   /* consolidate_release_case_rows: check->sub
                                  keeps case_count (the number read) but its
                                  cases are NULL */
    char **case_numbers;       /* after that release: the case numbers of
                                  the released rows that had one, in row
                                  order (one allocation, the pointers then
                                  the texts); owned */
    size_t case_number_count;
} hz_cons_file;

/* Case-derived figures of a set of cases. */
typedef struct hz_case_figures {
    int64_t filed;             /* 立案: every counted case */
    int64_t closed;            /* 结案 */
    int64_t transferred;       /* 移送司法机关 */
    int64_t key_market;        /* 是否重点实体市场 = 是 */
    int64_t rural;             /* 是否农村及城乡结合部市场 = 是 */
    int64_t typical;
    hz_amount amount;          /* 涉案金额 */
    hz_amount fine;            /* 罚没金额 */
} hz_case_figures;

typedef enum hz_receipt_status {
    HZ_RECEIPT_ON_TIME, HZ_RECEIPT_LATE, HZ_RECEIPT_MISSING
} hz_receipt_status;

typedef struct hz_cons_unit {
    const hz_unit *unit;       /* into the config */
    size_t file;               /* accepted file index, or HZ_NONE_INDEX */
    size_t files_seen;         /* files of any status naming this unit */
    size_t files_wrong_format; /* of them, files in another format than
                                  .xlsx (.ods, .xls, .et, .csv): received,
                                  refused */
    hz_receipt_status receipt;
    bool has_receipt;          /* receipt time known */
    bool receipt_from_register;/* from receipts.ini (else 填报日期) */
    hz_date receipt_date;
    int receipt_minute;        /* minute of the day, -1 when only a date */
    int days_late;             /* > 0 when late */
    hz_case_figures cases;     /* counted cases (joint cases for the lead) */
    int64_t joint_assisted;    /* joint cases counted for another unit */
    hz_amount *values;         /* per config indicator */
    bool *present;
} hz_cons_unit;

/* One case of an accepted file. */
typedef struct hz_cons_case {
    /* 32-bit indexes: 40 bytes a record, not 72 (2.85 million records at
     * national scale, issue 19); "none" is HZ_NONE_INDEX32 here */
    const hz_case *c;          /* into files[file].check->sub */
    uint32_t file;
    uint32_t unit;             /* reporting unit */
    uint32_t lead_unit;        /* == unit unless a joint case led elsewhere */
    uint32_t phase;            /* config phase index, or HZ_NONE_INDEX32 */
    uint32_t category, commodity, channel;  /* list indexes or HZ_NONE_INDEX32 */
    bool counted;              /* false: a joint case counted for lead_unit */
    bool joint;                /* another unit reports the same case */
} hz_cons_case;

/* A row of receipts.ini. */
typedef struct hz_receipt {
    char code[32];
    hz_date date;
    int minute;                /* -1 when only a date was given */
    unsigned line;
} hz_receipt;

typedef struct hz_receipts {
    bool present;              /* receipts.ini was found */
    hz_receipt *items;
    size_t count;
} hz_receipts;

typedef struct hz_consolidation {
    const hz_config *config;
    const hz_round *round;
    char *folder;
    hz_date deadline;          /* effective deadline */

    hz_cons_file *files;       size_t file_count;     /* folder order */
    hz_cons_unit *units;       size_t unit_count;     /* config order */
    hz_cons_case *cases;       size_t case_count;     /* unit order, then row */
    hz_issue_list issues;      /* consolidation findings (duplicate versions,
                                  cross-unit cases, receipts) */
    hz_receipts receipts;

    size_t accepted_units, on_time_units, late_units, missing_units;
    hz_case_figures total;                 /* city */
    hz_case_figures *by_category;          /* config case_categories + 1 (其他) */
    hz_case_figures *by_commodity;         /* config commodities + 1 */
    hz_case_figures *by_channel;           /* config channels + 1 */
    hz_case_figures *by_phase;             /* config phases + 1 (outside) */
    hz_amount *values;                     /* city total per indicator */
    bool *present;

    struct hz_consolidation *stage;        /* annual: the stage round's
                                              consolidation, or NULL */
    struct hz_analysis *analysis;          /* continuity, outliers, year on
                                              year, assessment (analysis.h);
                                              NULL until analysis_run */
    void (*analysis_free)(struct hz_analysis *);
                                           /* set by analysis_run with
                                              analysis: the consolidation
                                              owns the analysis without
                                              depending on analysis.h */
} hz_consolidation;

/* The second half of consolidate_folder, for callers that already hold the
 * check results (and for tests with hand-built submissions): takes ownership
 * of files[0..count) (the array itself too, malloc'd) and of the receipts;
 * they are freed even on failure. Each non-ignored file needs check set. */
hz_status consolidate_build(const hz_config *config, const hz_round *round,
                            const char *folder, hz_cons_file *files, size_t count,
                            hz_receipts *receipts, hz_consolidation **out, hz_error *err);

void consolidate_free(hz_consolidation *cons);
/* Packs the texts of f's cases (check->sub.cases) into one block,
 * f->case_texts, each distinct text once, and trims the case array to its
 * count: a case's ten texts took ten allocations, most of them one of a few
 * enumerated words (issue 19: about 1 KB per case, 1 GB at national scale,
 * was mostly allocator overhead). The case fields then point into the
 * block; consolidate_file_free releases it. HZ_ERR_NOMEM leaves f as it
 * was. */
hz_status consolidate_compact_cases(hz_cons_file *f, hz_error *err);

/* Frees the case rows of cons once nothing reads them any more: cons->cases
 * (case_count becomes 0) and each file's case records and texts (the
 * submission's case_count stays the number of cases read, for the
 * archive's manifest; its cases become NULL). Each file keeps its case
 * numbers (case_numbers), which the continuity check reads. An annual run
 * of consolidate_folder reads the stage folder first and does this to it
 * before it reads the annual folder: at national scale the stage's case
 * rows were a third of the peak (issue 19). Figures, units, files and
 * issues stay. HZ_ERR_NOMEM leaves the rows of the files not yet done. */
hz_status consolidate_release_case_rows(hz_consolidation *cons, hz_error *err);

/* Frees what one hz_cons_file owns (not the struct itself). */
void consolidate_file_free(hz_cons_file *file);

/* How many of the examined files (*examined) are returns of another round
 * (rule header.round_mismatch); *found is the first one's 报送类型. */
size_t consolidate_other_round_files(const hz_consolidation *cons, size_t *examined,
                                     const char **found);

/* Parses a receipts.ini file. */
hz_status consolidate_read_receipts(const char *path, hz_receipts *out, hz_error *err);
/* The same from text (name is used in messages). */
hz_status consolidate_parse_receipts(const char *text, const char *name, hz_receipts *out,
                                     hz_error *err);
void consolidate_receipts_free(hz_receipts *receipts);


#endif
