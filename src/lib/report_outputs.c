/* report_outputs.c - see report_outputs.h. */
#include "report_outputs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "check.h"
#include "fsutil.h"
#include "pdf_render.h"
#include "render_xlsx.h"
#include "report_template.h"

const char *report_outputs_template_dir(void)
{
    const char *env = getenv("HUIZONG_TEMPLATES");
    return env && *env ? env : HZ_SOURCE_DIR "/templates";
}

const char *report_outputs_template_path(const char *template_dir, const hz_round *round,
                                         bool final, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s.md", template_dir ? template_dir : report_outputs_template_dir(),
             final ? "final" : round->id);
    return buf;
}

const char *report_outputs_base_name(const hz_config *config, const hz_round *round, bool final,
                                     char *buf, size_t size)
{
    if (final)
        snprintf(buf, size, "%s", config->report.title);
    else
        snprintf(buf, size, "%s-%s", config->name, round->name);
    for (unsigned char *s = (unsigned char *)buf; *s; s++)
        if (*s == '/' || *s == '\\' || *s == ':' || *s == '*' || *s == '?' || *s == '"' ||
            *s == '<' || *s == '>' || *s == '|' || *s < 0x20 || *s == 0x7f)
            *s = '_';
    if (!buf[0] || !strcmp(buf, ".") || !strcmp(buf, ".."))
        snprintf(buf, size, "report");
    return buf;
}

hz_status report_outputs_as_of(const char *as_of_text, const hz_round *round, hz_lang lang,
                               hz_date *out, hz_error *err)
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
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
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
    json_object *cj = j ? consolidate_issues_json(cons, lang) : NULL;
    if (j && !cj) {
        json_object_put(j);
        return NULL;
    }
    if (j) {
        json_object *cvalid = NULL;
        if (json_object_object_get_ex(cj, "valid", &cvalid) && !json_object_get_boolean(cvalid))
            json_object_object_add(j, "valid", json_object_new_boolean(false));
        json_object_object_add(j, "consolidation", cj);
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

hz_status report_outputs_render_pdf(const hz_config *config, const char *template_path,
                                    json_object *context, const char *pdf_path, hz_error *err)
{
    hz_doc *doc = NULL;
    hz_status s = report_template_render_file(template_path, context, &doc, err);
    if (s != HZ_OK)
        return s;
    const hz_report_settings *rs = &config->report;
    pdf_fonts_spec fonts = {
        .song = rs->font_song && *rs->font_song ? rs->font_song : NULL,
        .hei = rs->font_hei && *rs->font_hei ? rs->font_hei : NULL,
        .kai = rs->font_kai && *rs->font_kai ? rs->font_kai : NULL,
        .fallbacks = (const char *const *)rs->font_fallbacks.items,
        .fallback_count = rs->font_fallbacks.count,
    };
    s = pdf_render(doc, &fonts, pdf_path, err);
    doc_free(doc);
    return s;
}

static hz_status write_pdf(const hz_consolidation *cons, json_object *context,
                           const report_outputs_spec *spec, const char *path, hz_error *err)
{
    char tpl[4096];
    report_outputs_template_path(spec->template_dir, cons->round, spec->final, tpl, sizeof tpl);
    return report_outputs_render_pdf(cons->config, tpl, context, path, err);
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
        s = vj ? consolidation_save(vj, paths->validation, err)
               : hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        json_object_put(vj);
        if (s != HZ_OK)
            return s;
        done->validation = true;
    }
    if (cons->accepted_units == 0)
        return HZ_OK;

    json_object *context = consolidate_to_json(cons, spec->lang, spec->as_of, spec->final);
    if (!context)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    if (paths->context) {
        s = consolidation_save(context, paths->context, err);
        done->context = s == HZ_OK;
    }
    if (s == HZ_OK && paths->xlsx) {
        s = render_xlsx_write(cons, cons->config, spec->as_of, paths->xlsx, err);
        done->xlsx = s == HZ_OK;
    }
    if (s == HZ_OK && paths->pdf) {
        s = write_pdf(cons, context, spec, paths->pdf, err);
        done->pdf = s == HZ_OK;
    }
    if (context_out)
        *context_out = context;
    else
        json_object_put(context);
    return s;
}
