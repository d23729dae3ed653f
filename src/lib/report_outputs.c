/* report_outputs.c - see report_outputs.h. */
#include "report_outputs.h"
#include "report_content.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <pthread.h>
#include <sys/file.h>
#include <unistd.h>
#include "check.h"
#include "fsutil.h"
#include "pdf_render.h"
#include "render_xlsx.h"
#include "report_context.h"
#include "report_template.h"

const char *report_outputs_template_path(const char *template_dir, const hz_round *round,
                                         bool final, char *buf, size_t size)
{
    /* no template folder is no template: the path then names no file and
     * the render fails with the path in its message */
    snprintf(buf, size, "%s/%s.md", template_dir ? template_dir : "", final ? "final" : round->id);
    return buf;
}

const char *report_outputs_base_name(const hz_config *config, const hz_round *round, bool final,
                                     char *buf, size_t size)
{
    if (final)
        snprintf(buf, size, "%s", config->report.title);
    else
        snprintf(buf, size, "%s-%s", config->name, round->name);
    fs_sanitize_name(buf);
    if (!buf[0] || !strcmp(buf, ".") || !strcmp(buf, ".."))
        snprintf(buf, size, "report");
    return buf;
}

hz_status report_outputs_as_of(const char *as_of_text, const char *source_date_epoch,
                               const hz_round *round, hz_lang lang, hz_date *out, hz_error *err)
{
    if (as_of_text) {
        if (!hz_date_parse(as_of_text, out)) {
            char why[256];
            hz_msg_formatv(lang, HZ_M_DATE_INVALID, why, sizeof why, as_of_text, NULL);
            return hz_error_set(err, HZ_ERR_USAGE, HZ_M_CLI_BAD_VALUE, "--as-of", as_of_text,
                                why, NULL);
        }
        return HZ_OK;
    }
    const char *epoch = source_date_epoch;
    if (epoch && *epoch) {
        errno = 0;
        char *end;
        long long secs = strtoll(epoch, &end, 10);
        if (errno || *end || secs < 0 || secs > 253402300799LL)
            return hz_error_set(err, HZ_ERR_USAGE, HZ_M_CONSOLIDATE_BAD_EPOCH, epoch, NULL);
        *out = (hz_date)(secs / 86400);
        return HZ_OK;
    }
    *out = round->deadline;
    return HZ_OK;
}

void report_outputs_font_spec(const hz_config *config, pdf_fonts_spec *spec)
{
    const hz_report_settings *rs = &config->report;
    const hz_list *roles[PDF_FONT_ROLES] = {&rs->font_title, &rs->font_body, &rs->font_heading1,
                                            &rs->font_heading2, &rs->font_page};
    memset(spec, 0, sizeof *spec);
    for (int i = 0; i < PDF_FONT_ROLES; i++)
        spec->roles[i] = (pdf_font_choice){(const char *const *)roles[i]->items, roles[i]->count};
    spec->fallbacks = (const char *const *)rs->font_fallbacks.items;
    spec->fallback_count = rs->font_fallbacks.count;
}

size_t report_outputs_font_notices(const hz_config *config, hz_error notices[PDF_FONT_ROLES])
{
    pdf_fonts_spec spec;
    report_outputs_font_spec(config, &spec);
    pdf_font_resolution res;
    hz_error ignored = {0};
    if (pdf_fonts_resolve(&spec, &res, &ignored) != HZ_OK)
        return 0; /* the render reports the missing font as its error */
    size_t n = 0;
    for (int role = 0; role < PDF_FONT_ROLES; role++)
        if (pdf_fonts_substitution(&res, (pdf_font_role)role, &notices[n]))
            n++;
    return n;
}

/* The font substitutions as validation-report entries. */
static json_object *font_notices_json(const hz_config *config, hz_lang lang)
{
    hz_error notices[PDF_FONT_ROLES];
    size_t n = report_outputs_font_notices(config, notices);
    json_object *arr = json_object_new_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_object *o = json_object_new_object();
        char text[1024];
        hz_error_render(&notices[i], lang, text, sizeof text);
        json_object_object_add(o, "role", json_object_new_string(notices[i].args[0]));
        json_object_object_add(o, "requested", json_object_new_string(notices[i].args[1]));
        json_object_object_add(o, "used", json_object_new_string(notices[i].args[2]));
        json_object_object_add(o, "message", json_object_new_string(text));
        json_object_array_add(arr, o);
    }
    return arr;
}

json_object *report_outputs_validation_json(const hz_consolidation *cons, hz_lang lang,
                                            bool base_names)
{
    size_t n = 0;
    for (size_t i = 0; i < cons->file_count; i++)
        n += cons->files[i].check != NULL;
    hz_check_result *arr = calloc(n ? n : 1, sizeof *arr);
    if (!arr)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < cons->file_count; i++)
        if (cons->files[i].check)
            arr[k++] = *cons->files[i].check; /* shallow: read only */
    json_object *j = check_report_json(arr, n, lang);
    free(arr);
    /* the consolidation's own findings (cross-unit, continuity, outliers);
     * an error among them makes the whole run invalid */
    json_object *cj = j ? report_context_issues_json(cons, lang) : NULL;
    if (j && !cj) {
        json_object_put(j);
        return NULL;
    }
    if (j) {
        json_object *cvalid = NULL;
        if (json_object_object_get_ex(cj, "valid", &cvalid) && !json_object_get_boolean(cvalid))
            json_object_object_add(j, "valid", json_object_new_boolean(false));
        json_object_object_add(j, "consolidation", cj);
        json_object_object_add(j, "font_substitutions", font_notices_json(cons->config, lang));
    }
    if (!j || !base_names)
        return j;
    json_object *tasks = NULL;
    if (json_object_object_get_ex(j, "tasks", &tasks) && json_object_is_type(tasks, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(tasks); i++) {
            json_object *task = json_object_array_get_idx(tasks, i), *file = NULL;
            if (!json_object_object_get_ex(task, "file", &file) ||
                !json_object_is_type(file, json_type_string))
                continue;
            json_object *base = json_object_new_string(fs_base_name(json_object_get_string(file)));
            if (!base) {
                json_object_put(j);
                return NULL;
            }
            json_object_object_add(task, "file", base);
        }
    }
    return j;
}

/* The template at template_path rendered with context, with the words a
 * title line or a table cell is never broken inside. */
static hz_status pdf_document(const hz_config *config, const char *template_path,
                              json_object *context, hz_doc **out, hz_error *err)
{
    hz_doc *doc = NULL;
    hz_status s = report_template_render_file(template_path, context, &doc, err);
    if (s != HZ_OK)
        return s;
    bool words_ok = doc_add_word(doc, config->authority) && doc_add_word(doc, config->name) &&
                    doc_add_word(doc, config->report.recipient) &&
                    doc_add_word(doc, config->report.signature);
    for (size_t i = 0; words_ok && i < config->unit_count; i++)
        words_ok = doc_add_word(doc, config->units[i].name) &&
                   doc_add_word(doc, config->units[i].short_name);
    for (size_t i = 0; words_ok && i < config->report.title_words.count; i++)
        words_ok = doc_add_word(doc, config->report.title_words.items[i]);
    if (!words_ok) {
        doc_free(doc);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    *out = doc;
    return HZ_OK;
}

static hz_status pdf_from_document(const hz_config *config, hz_doc *doc, const char *pdf_path,
                                   hz_error *err)
{
    pdf_fonts_spec fonts;
    report_outputs_font_spec(config, &fonts);
    hz_status s = pdf_render(doc, &fonts, pdf_path, NULL, err);
    doc_free(doc);
    return s;
}

hz_status report_outputs_render_pdf(const hz_config *config, const char *template_path,
                                    json_object *context, const char *pdf_path, hz_error *err)
{
    hz_doc *doc = NULL;
    hz_status s = pdf_document(config, template_path, context, &doc, err);
    return s == HZ_OK ? pdf_from_document(config, doc, pdf_path, err) : s;
}

/* The PDF of a run. Once the document is laid out from the context, the
 * context is needed only by a caller that asked for it: otherwise it is put
 * here (*context NULL after), before libharu builds the pages - at national
 * scale it held 140 MB of the peak (issue 19). */
static hz_status write_pdf(const hz_consolidation *cons, json_object **context, bool keep,
                           const report_outputs_spec *spec, const char *path, hz_error *err)
{
    char tpl[4096];
    report_outputs_template_path(spec->template_dir, cons->round, spec->final, tpl, sizeof tpl);
    hz_doc *doc = NULL;
    hz_status s = pdf_document(cons->config, tpl, *context, &doc, err);
    if (s != HZ_OK)
        return s;
    if (!keep) {
        json_object_put(*context);
        *context = NULL;
    }
    return pdf_from_document(cons->config, doc, path, err);
}

/* The XLSX workbook, written on a second thread while the PDF is rendered
 * on the caller's: the two renderers share nothing but the consolidation,
 * which both only read, and each has its own library state (libxlsxwriter
 * workbook, libharu document), so the two cores each take one (bench/:
 * at 200 units x 1,000 cases the two take seconds each). */
typedef struct xlsx_job {
    const hz_consolidation *cons;
    hz_date as_of;
    const char *path;
    hz_status status;
    hz_error err;
} xlsx_job;

static void *xlsx_job_run(void *arg)
{
    xlsx_job *job = arg;
    job->status = render_xlsx_write(job->cons, job->cons->config, job->as_of, job->path,
                                    &job->err);
    return NULL;
}

static hz_status staged(const report_outputs_spec *spec, const char *path, hz_error *err)
{
    if (!spec->hooks || !spec->hooks->staged)
        return HZ_OK;
    return spec->hooks->staged(spec->hooks->user, path, err);
}

static void phase(const report_outputs_spec *spec, report_outputs_phase which)
{
    if (spec->hooks && spec->hooks->phase)
        spec->hooks->phase(spec->hooks->user, which);
}

hz_status report_outputs_write(const hz_consolidation *cons, const report_outputs_spec *spec,
                               const report_outputs_paths *paths, json_object **context_out,
                               report_outputs_done *done, hz_error *err)
{
    report_outputs_done local = {0};
    if (!done)
        done = &local;
    *done = (report_outputs_done){0};
    if (context_out)
        *context_out = NULL;
    hz_status s = HZ_OK;

    if (paths->validation) {
        json_object *vj = report_outputs_validation_json(cons, spec->lang, spec->base_names);
        s = vj ? report_context_save(vj, paths->validation, err)
               : hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        json_object_put(vj);
        if (s == HZ_OK)
            s = staged(spec, paths->validation, err);
        if (s != HZ_OK)
            return s;
        done->validation = true;
    }
    if (cons->accepted_units == 0)
        return HZ_OK;

    json_object *context = report_context_json(cons, spec->lang, spec->as_of, spec->final);
    if (!context)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    s = report_content_add(cons, context, err);
    if (s != HZ_OK) {
        json_object_put(context);
        return s;
    }
    if (paths->context) {
        s = report_context_save(context, paths->context, err);
        if (s == HZ_OK)
            s = staged(spec, paths->context, err);
        done->context = s == HZ_OK;
    }
    if (s == HZ_OK && paths->xlsx) {
        xlsx_job job = {.cons = cons, .as_of = spec->as_of, .path = paths->xlsx};
        pthread_t tid;
        phase(spec, REPORT_OUTPUTS_PHASE_XLSX);
        /* without a PDF, or when no thread can be had, in this thread */
        bool threaded = paths->pdf && pthread_create(&tid, NULL, xlsx_job_run, &job) == 0;
        if (!threaded)
            xlsx_job_run(&job);
        hz_status ps = HZ_OK;
        hz_error perr = {0};
        if (paths->pdf && (threaded || job.status == HZ_OK)) {
            phase(spec, REPORT_OUTPUTS_PHASE_PDF);
            ps = write_pdf(cons, &context, context_out != NULL, spec, paths->pdf, &perr);
            done->pdf = ps == HZ_OK;
        }
        if (threaded)
            pthread_join(tid, NULL);
        done->xlsx = job.status == HZ_OK;
        /* the workbook's error first, as when the two ran one after the other */
        s = job.status != HZ_OK ? job.status : ps;
        if (err && s != HZ_OK)
            *err = job.status != HZ_OK ? job.err : perr;
        if (s == HZ_OK)
            s = staged(spec, paths->xlsx, err);
        if (s == HZ_OK && done->pdf)
            s = staged(spec, paths->pdf, err);
    } else if (s == HZ_OK && paths->pdf) {
        phase(spec, REPORT_OUTPUTS_PHASE_PDF);
        s = write_pdf(cons, &context, context_out != NULL, spec, paths->pdf, err);
        if (s == HZ_OK)
            s = staged(spec, paths->pdf, err);
        done->pdf = s == HZ_OK;
    }
    if (context_out)
        *context_out = context;
    else
        json_object_put(context);
    return s;
}

#define STAGING_PREFIX ".huizong-staging-"

/* dir/name into buf; false when it does not fit. */
static bool join_path(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    return n > 0 && (size_t)n < size;
}

/* Removes staging folders of earlier runs; only called under the lock, so
 * none of them belongs to a live run. */
static void remove_stale_staging(const char *out_dir)
{
    fs_listing list = {0};
    if (fs_list_dir(out_dir, &list, NULL) != HZ_OK)
        return;
    for (size_t i = 0; i < list.count; i++) {
        if (list.items[i].kind != FS_DIR ||
            strncmp(list.items[i].name, STAGING_PREFIX, strlen(STAGING_PREFIX)))
            continue;
        char path[4096];
        if (join_path(path, sizeof path, out_dir, list.items[i].name))
            fs_remove_tree(path, NULL);
    }
    fs_listing_free(&list);
}

hz_status report_outputs_write_folder(const hz_consolidation *cons,
                                      const report_outputs_spec *spec, const char *out_dir,
                                      const report_outputs_paths *names, json_object **context_out,
                                      report_outputs_done *done, hz_error *err)
{
    report_outputs_done local = {0};
    if (!done)
        done = &local;
    *done = (report_outputs_done){0};
    if (context_out)
        *context_out = NULL;
    hz_status s = fs_mkdir_p(out_dir, err);
    if (s != HZ_OK)
        return s;

    char lock_path[4096];
    snprintf(lock_path, sizeof lock_path, "%s/.huizong.lock", out_dir);
    int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock < 0)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_OPEN, lock_path, strerror(errno), NULL);
    if (flock(lock, LOCK_EX | LOCK_NB) != 0) {
        close(lock);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_CONSOLIDATE_OUTPUT_BUSY, out_dir, NULL);
    }
    remove_stale_staging(out_dir);

    char staging[4096];
    snprintf(staging, sizeof staging, "%s/" STAGING_PREFIX "XXXXXX", out_dir);
    if (!mkdtemp(staging)) {
        s = hz_error_set(err, HZ_ERR_IO, HZ_M_IO_MKDIR, staging, strerror(errno), NULL);
        close(lock);
        return s;
    }
    const char *const *name_of = (const char *const[]){names->validation, names->context,
                                                       names->xlsx, names->pdf};
    char staged_path[4][4096], final_path[4][4096];
    const char *staged_ptr[4];
    for (int i = 0; i < 4; i++) {
        staged_ptr[i] = NULL;
        if (!name_of[i])
            continue;
        if (!join_path(staged_path[i], sizeof staged_path[i], staging, name_of[i]) ||
            !join_path(final_path[i], sizeof final_path[i], out_dir, name_of[i])) {
            fs_remove_tree(staging, NULL);
            close(lock);
            return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, out_dir, strerror(ENAMETOOLONG),
                                NULL);
        }
        staged_ptr[i] = staged_path[i];
    }
    report_outputs_paths paths = {staged_ptr[0], staged_ptr[1], staged_ptr[2], staged_ptr[3]};
    report_outputs_done written = {0};
    s = report_outputs_write(cons, spec, &paths, context_out, &written, err);
    bool was_written[4] = {written.validation, written.context, written.xlsx, written.pdf};
    if (s == HZ_OK && spec->hooks && spec->hooks->may_commit &&
        !spec->hooks->may_commit(spec->hooks->user))
        s = hz_error_set(err, HZ_ERR_IO, HZ_M_CONSOLIDATE_INTERRUPTED, out_dir, NULL);
    /* Renames in one folder are atomic each; the set is complete before
     * the first of them, so a reader sees no mixture of runs beyond the
     * instant of these four renames. */
    bool *moved[4] = {&done->validation, &done->context, &done->xlsx, &done->pdf};
    for (int i = 0; i < 4 && s == HZ_OK; i++) {
        if (!was_written[i])
            continue;
        if (rename(staged_path[i], final_path[i]) != 0)
            s = hz_error_set(err, HZ_ERR_IO, HZ_M_IO_RENAME, staged_path[i], final_path[i],
                             strerror(errno), NULL);
        else
            *moved[i] = true;
    }
    fs_remove_tree(staging, NULL);
    close(lock);
    if (s != HZ_OK && context_out) {
        json_object_put(*context_out);
        *context_out = NULL;
    }
    return s;
}
