/* consolidate_folder.c - the folder run: listing, worker threads reading
 * and checking every return, receipts, then consolidate_build and
 * analysis_run; see consolidate_folder.h. */
#include "consolidate_folder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis.h"
#include "check.h"
#include "fsutil.h"
#include "hz_jobs.h"
#include "hz_text.h"
#include "workbook_contract.h"

/* ------------------------------------------------------- reading files */

typedef struct work_queue {
    const hz_config *config;
    hz_check_options check_opt;
    hz_cons_file *files;
    size_t examined;               /* files to examine (for progress) */
    size_t reported;               /* of them, done (under the pool's lock) */
    hz_progress_fn progress;
    void *progress_user;
} work_queue;

static hz_status examine_one(void *user, size_t index, hz_error *err)
{
    work_queue *q = user;
    hz_cons_file *f = &q->files[index];
    if (f->status == HZ_FILE_IGNORED)
        return HZ_OK;
    hz_status s = check_file(q->config, f->path, &q->check_opt, f->check, err);
    /* packed at once, on this worker: the peak holds every file's cases
     * (national scale: 2.85 million, issue 19) */
    if (s == HZ_OK)
        s = consolidate_compact_cases(f, err);
    return s;
}

static void examined_one(void *user, size_t index, size_t finished)
{
    (void)finished;
    work_queue *q = user;
    const hz_cons_file *f = &q->files[index];
    if (f->status == HZ_FILE_IGNORED)
        return;
    q->reported++;
    if (q->progress)
        q->progress(q->progress_user, q->reported, q->examined, f->name);
}

static hz_status examine_files(const hz_config *config, const hz_round *round,
                               hz_cons_file *files, size_t count,
                               const hz_consolidate_options *opt, hz_error *err)
{
    work_queue q = {
        .config = config, .check_opt = {.round = round}, .files = files,
        .progress = opt ? opt->progress : NULL,
        .progress_user = opt ? opt->progress_user : NULL,
    };
    for (size_t i = 0; i < count; i++)
        if (files[i].status != HZ_FILE_IGNORED)
            q.examined++;
    if (q.examined == 0)
        return HZ_OK;
    int threads = opt && opt->threads > 0 ? opt->threads : 2;
    return hz_jobs_run(count, threads, examine_one, examined_one, &q, err);
}

static hz_status folder_usable(const char *folder, hz_error *err)
{
    if (!fs_exists(folder))
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_NO_SUCH_PATH, folder, NULL);
    if (!fs_is_dir(folder))
        return hz_error_set(err, HZ_ERR_IO, HZ_M_CONSOLIDATE_NOT_A_FOLDER, folder, NULL);
    return HZ_OK;
}

/* One folder: listed, examined and built; analysed too when analyse (the
 * annual run attaches its stage first). */
static hz_status consolidate_one_folder(const hz_config *config, const hz_round *round,
                                        const char *folder, const hz_consolidate_options *opt,
                                        bool analyse, hz_consolidation **out, hz_error *err)
{
    *out = NULL;
    hz_status s = folder_usable(folder, err);
    if (s != HZ_OK)
        return s;
    fs_listing list;
    s = fs_list_dir(folder, &list, err);
    if (s != HZ_OK)
        return s;
    hz_cons_file *files = calloc(list.count ? list.count : 1, sizeof *files);
    if (!files) {
        fs_listing_free(&list);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    size_t count = 0;
    bool have_receipts = false;
    char *receipts_path = NULL;
    for (size_t i = 0; i < list.count && s == HZ_OK; i++) {
        const fs_entry *e = &list.items[i];
        hz_cons_file *f = &files[count++];
        f->unit = HZ_NONE_INDEX;
        /* the name as shown everywhere (JSON, XLSX, PDF, terminal): valid
         * UTF-8, invalid bytes as \xNN, controls and bidi characters
         * escaped (\x1b, \u202E); f->path opens the file */
        f->name = hz_text_escape(e->name);
        f->path = fs_path_join(folder, e->name);
        if (!f->name || !f->path) {
            s = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
            break;
        }
        hz_msg_id why = workbook_contract_classify_name(e->name, e->kind == FS_DIR,
                                                  e->kind == FS_FILE);
        if (why != HZ_M_NONE) {
            f->status = HZ_FILE_IGNORED;
            f->reason = why;
            if (why == HZ_M_CONSOLIDATE_IGNORED_RECEIPTS && !have_receipts) {
                have_receipts = true;
                receipts_path = f->path;
            }
            continue;
        }
        f->status = HZ_FILE_REJECTED; /* until examined */
        f->check = calloc(1, sizeof *f->check);
        if (!f->check)
            s = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    fs_listing_free(&list);
    hz_receipts receipts = {0};
    if (s == HZ_OK && have_receipts)
        s = consolidate_read_receipts(receipts_path, &receipts, err);
    if (s == HZ_OK)
        s = examine_files(config, round, files, count, opt, err);
    if (s != HZ_OK) {
        for (size_t i = 0; i < count; i++)
            consolidate_file_free(&files[i]);
        free(files);
        consolidate_receipts_free(&receipts);
        return s;
    }
    s = consolidate_build(config, round, folder, files, count, &receipts, out, err);
    if (s != HZ_OK || !analyse)
        return s;
    hz_analysis_options aopt = {.previous_dir = opt ? opt->previous_dir : NULL};
    s = analysis_run(*out, &aopt, err);
    if (s != HZ_OK) {
        consolidate_free(*out);
        *out = NULL;
    }
    return s;
}

hz_status consolidate_folder(const hz_config *config, const hz_round *round,
                             const char *folder, const hz_consolidate_options *opt,
                             hz_consolidation **out, hz_error *err)
{
    *out = NULL;
    if (!config || !round || !folder)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_INTERNAL, "consolidate_folder", NULL);
    hz_status s = folder_usable(folder, err);
    if (s != HZ_OK)
        return s;
    const char *stage_folder = opt && opt->stage_folder ? opt->stage_folder
                               : config->stage_folder && config->stage_folder[0]
                                   ? config->stage_folder : NULL;
    const hz_round *stage_round = config_find_round(config, "stage");
    hz_consolidation *stage = NULL;
    if (stage_folder && stage_round && stage_round != round) {
        /* The stage first, built and analysed on its own; then only its
         * case numbers stay (the continuity check's), so that the annual
         * folder is read with none of the stage's case rows alive: at
         * national scale they were a third of the peak (issue 19). */
        hz_consolidate_options sopt = {.threads = opt ? opt->threads : 0};
        s = consolidate_one_folder(config, stage_round, stage_folder, &sopt, true, &stage,
                                   err);
        if (s == HZ_OK)
            s = consolidate_release_case_rows(stage, err);
        if (s != HZ_OK) {
            consolidate_free(stage);
            return s;
        }
    }
    s = consolidate_one_folder(config, round, folder, opt, false, out, err);
    if (s != HZ_OK) {
        consolidate_free(stage);
        return s;
    }
    (*out)->stage = stage;
    hz_analysis_options aopt = {.previous_dir = opt ? opt->previous_dir : NULL};
    s = analysis_run(*out, &aopt, err);
    if (s != HZ_OK) {
        consolidate_free(*out);
        *out = NULL;
    }
    return s;
}
