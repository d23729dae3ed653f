/*
 * archive.h - the write-once year-end archive (DESIGN §8, issue 6).
 *
 * archive_create() consolidates a round's folder (final report), then builds
 * the archive in a temporary folder beside the target and renames it into
 * place only when complete:
 *
 *   NAME/reports/<report title>.pdf, .xlsx, context.json
 *   NAME/submissions/<round id>/<unit code>-<round id>-v<version>.xlsx
 *        byte copies of every accepted and superseded return (rejected and
 *        ignored files are accounted for in validation.json and
 *        receipts.csv, not copied), plus receipts.ini when the folder had one;
 *        with a stage folder, submissions/stage/ the same way
 *   NAME/config/<name>.ini     the five configuration files used
 *   NAME/config/templates/final.md   the report template used
 *   NAME/validation.json       check report of every examined file
 *   NAME/receipts.csv          receipt status table (UTF-8 with BOM)
 *   NAME/manifest.ini          campaign, round, as-of, version, counts,
 *                              totals, one [submission.N] per return
 *   NAME/SHA256SUMS            "<sha256>  <path>" for every other file,
 *                              sorted bytewise: `sha256sum -c` reads it
 *   NAME/SHA256SUMS.sig        with a signing key only: the Ed25519
 *                              signature of SHA256SUMS (seal.h); manifest.ini
 *                              then has [seal] with the key's fingerprint
 *
 * Reproducible: everything inside is a function of the inputs, the
 * configuration, the templates and as_of: texts are always Chinese (never
 * the locale), files are named by base name (never by the input path),
 * listings are sorted, no clock, host or user is written. With zip, NAME.zip
 * holds the same tree under NAME/, every entry dated as_of 00:00 (DOS time,
 * no time zone) with fixed permissions.
 *
 * Atomic and write-once: an existing target (or NAME.zip) is refused before
 * anything is written. The staging folder ".NAME.tmp-XXXXXX" is locked
 * (flock) while a run uses it; a run removes every unlocked staging folder
 * of the same NAME it finds (left by a killed run). On any failure the
 * staging folder is removed, so nothing partial remains.
 */
#ifndef HZ_ARCHIVE_H
#define HZ_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include "archive_format.h"
#include "config.h"
#include "consolidate_folder.h"
#include "hz_date.h"
#include "hz_status.h"
#include "seal.h"


typedef struct archive_options {
    const hz_round *round;        /* round to archive (required) */
    const char *folder;           /* the round's folder of returns */
    const char *stage_folder;     /* NULL: the config's stage_folder, if any */
    const char *target;           /* the new archive folder */
    hz_date as_of;                /* report date */
    bool zip;                     /* also write target.zip */
    const char *template_dir;     /* folder of the report templates */
    const seal_private_key *sign_key; /* NULL: the archive is not signed */
    /* Test switch: fail after this many files have been written into the
     * staging folder (< 0: never). With fail_signal the process sends itself
     * that signal there instead (SIGKILL as a crash would; SIGTERM as an
     * operator would, which the CLI holds back until the archive is done). */
    long fail_after;
    int fail_signal;
    hz_progress_fn progress;      /* consolidation progress; may be NULL */
    void *progress_user;
} archive_options;

typedef struct archive_result {
    char *path;                   /* the archive folder (normalised) */
    char *zip_path;               /* NULL without zip */
    size_t file_count;            /* files listed in SHA256SUMS */
    size_t submission_count;      /* archived returns */
    size_t expected_units, accepted_units;
    int64_t cases_filed;
    hz_amount amount;
    char **stale;                 /* staging folders of killed runs removed */
    size_t stale_count, stale_cap;
} archive_result;

/* Builds the archive. HZ_ERR_IO when the target exists or a write fails,
 * HZ_ERR_INVALID (HZ_M_ARCHIVE_NONE_ACCEPTED) when no unit has an accepted
 * return, errors of consolidate_folder / report_outputs_write otherwise.
 * result is filled on success (free it with archive_result_free; it is
 * zeroed on entry, so freeing after a failure is safe too). */
hz_status archive_create(const hz_config *config, const archive_options *opt,
                         archive_result *result, hz_error *err);
void archive_result_free(archive_result *result);

/* ---- manifest: shared by archive_create and verify ---- */

/* The figures of a consolidation as manifest sections [totals],
 * [indicators] and (when cons->stage) [stage], "key = value" lines. verify
 * recomputes them from the archived returns and compares key by key.
 * Returns a malloc'd text, NULL on out-of-memory. */
char *archive_figures_text(const hz_consolidation *cons);

#endif
