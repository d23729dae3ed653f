/*
 * consolidate_folder.h - the folder run of `huizong consolidate` (DESIGN
 * §6): lists a round's folder, checks every return on worker threads,
 * reads receipts.ini, builds the consolidation (consolidate.h) and runs the
 * analysis (analysis.h) on it. Kept apart from consolidate.c so that the
 * in-memory consolidation does not depend on the analysis that reads it.
 */
#ifndef HZ_CONSOLIDATE_FOLDER_H
#define HZ_CONSOLIDATE_FOLDER_H

#include <stddef.h>
#include "config.h"
#include "consolidate.h"
#include "hz_status.h"

typedef void (*hz_progress_fn)(void *user, size_t done, size_t total, const char *name);

typedef struct hz_consolidate_options {
    int threads;               /* workers for reading; <= 0: 2 */
    const char *stage_folder;  /* annual only: also consolidate this stage
                                  folder for the side-by-side figures;
                                  NULL: config stage_folder when set */
    const char *previous_dir;  /* last year's archive for year on year
                                  (analysis.h), or NULL */
    hz_progress_fn progress;   /* called after each file (from the workers,
                                  serialised by a lock); may be NULL */
    void *progress_user;
} hz_consolidate_options;

/* Consolidates folder for round, then runs analysis_run (analysis.h) on the
 * result (continuity with the stage folder, outliers, year on year with
 * opt->previous_dir, assessment). HZ_ERR_IO when the folder cannot be listed,
 * HZ_ERR_FORMAT for a malformed receipts.ini; a missing or damaged previous
 * archive is an error too (analysis_previous_read). An empty folder or one without
 * any accepted file is not an error: check accepted_units. */
hz_status consolidate_folder(const hz_config *config, const hz_round *round,
                             const char *folder, const hz_consolidate_options *opt,
                             hz_consolidation **out, hz_error *err);

#endif
