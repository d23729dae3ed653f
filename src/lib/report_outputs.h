/*
 * report_outputs.h - write the outputs of a consolidation: the validation
 * report (JSON), the report context (JSON), the city workbook (XLSX) and the
 * city report (PDF).
 *
 * Shared by `huizong consolidate` (into its out folder) and `huizong
 * archive` (into the archive being built), so both produce the same bytes
 * for the same consolidation, language and as-of date. Every file is written
 * beside its target under a temporary name and renamed into place.
 */
#ifndef HZ_REPORT_OUTPUTS_H
#define HZ_REPORT_OUTPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include "consolidate.h"
#include "hz_date.h"
#include "hz_status.h"
#include "pdf_fonts.h"

struct json_object;

/* Where to write each output; NULL skips it. */
typedef struct report_outputs_paths {
    const char *validation;   /* check_report_json of every examined file */
    const char *context;      /* report_context_json */
    const char *xlsx;         /* render_xlsx_write */
    const char *pdf;          /* template rendered with pdf_render */
} report_outputs_paths;

/* The long steps of a write, for a progress line. */
typedef enum report_outputs_phase {
    REPORT_OUTPUTS_PHASE_XLSX, /* the city workbook is being written */
    REPORT_OUTPUTS_PHASE_PDF,  /* the city report is being rendered */
} report_outputs_phase;

/* Hooks of a folder write (report_outputs_write_folder); any may be NULL. */
typedef struct report_outputs_hooks {
    /* When a long step starts; called from the writing thread. */
    void (*phase)(void *user, report_outputs_phase phase);
    /* After each output was written to the staging folder; an error stops
     * the run (tests inject faults here). */
    hz_status (*staged)(void *user, const char *path, hz_error *err);
    /* Just before the staged outputs are moved into place; false abandons
     * them (the CLI answers false when an interrupt is pending). */
    bool (*may_commit)(void *user);
    void *user;
} report_outputs_hooks;

typedef struct report_outputs_spec {
    hz_lang lang;             /* language of messages inside the outputs */
    hz_date as_of;            /* report date, document dates */
    bool final;               /* final report (final.md, no draft mark) */
    const char *template_dir; /* folder of the report templates (the CLI's
                                 cli_paths_resolve) */
    bool base_names;          /* validation report names files by their base
                                 name (so it does not depend on where the
                                 input folder was) */
    const report_outputs_hooks *hooks; /* NULL: none */
} report_outputs_spec;

/* Which outputs were written. */
typedef struct report_outputs_done {
    bool validation, context, xlsx, pdf;
} report_outputs_done;

/* The configuration's [report] fonts as a pdf_fonts_spec (pointing into
 * config). */
void report_outputs_font_spec(const hz_config *config, pdf_fonts_spec *spec);

/* The substitution notices (HZ_M_PDF_FONT_SUBSTITUTED, one per role whose
 * first family is not installed) into notices; returns their number. */
size_t report_outputs_font_notices(const hz_config *config, hz_error notices[PDF_FONT_ROLES]);

/* Renders the template at template_path with context (a consolidation's
 * context.json) into a PDF at pdf_path with the configuration's fonts. A
 * template error writes nothing. */
hz_status report_outputs_render_pdf(const hz_config *config, const char *template_path,
                                    struct json_object *context, const char *pdf_path,
                                    hz_error *err);

/*
 * Writes the outputs in this order: validation, then - only when at least
 * one unit has an accepted file - context, xlsx, pdf. Stops at the first
 * failure (done says what was written before it). *context_out (may be
 * NULL) receives the report context when it was built (the caller puts it),
 * else NULL; without it the context is put as soon as the PDF's document is
 * laid out, before its pages are built. Errors: HZ_ERR_IO for writes, HZ_ERR_TEMPLATE / HZ_ERR_CONFIG
 * for a bad template or font setting, HZ_ERR_NOMEM.
 */
hz_status report_outputs_write(const hz_consolidation *cons, const report_outputs_spec *spec,
                               const report_outputs_paths *paths,
                               struct json_object **context_out, report_outputs_done *done,
                               hz_error *err);

/*
 * The outputs of one run into out_dir as a whole: names holds base names
 * (NULL skips an output). Everything is first written into a staging folder
 * inside out_dir and moved into place only when every output is complete,
 * so a failure, a full disk or an interrupt leaves the folder as it was
 * (old outputs intact, nothing new, no staging left). A lock file
 * (out_dir/.huizong.lock) keeps two runs from writing the same folder at
 * once: the second gets HZ_ERR_IO with HZ_M_CONSOLIDATE_OUTPUT_BUSY. Staging
 * folders left by a killed run are removed. done says what was moved into
 * place. An abandoned commit is HZ_ERR_IO with HZ_M_CONSOLIDATE_INTERRUPTED.
 */
hz_status report_outputs_write_folder(const hz_consolidation *cons,
                                      const report_outputs_spec *spec, const char *out_dir,
                                      const report_outputs_paths *names,
                                      struct json_object **context_out,
                                      report_outputs_done *done, hz_error *err);

/* The validation report (check_report_json) of every examined file of cons,
 * in folder order; NULL on out-of-memory. With base_names, each task's
 * "file" is the file's base name. */
struct json_object *report_outputs_validation_json(const hz_consolidation *cons, hz_lang lang,
                                                   bool base_names);

/* The report base file name: the configured report title for a final
 * report, else "<campaign>-<round name>"; characters that cannot be in a
 * file name (/ \ : * ? " < > | and control characters) become '_'. */
const char *report_outputs_base_name(const hz_config *config, const hz_round *round, bool final,
                                     char *buf, size_t size);

/* Path of the template for a round (or final.md) in template_dir into buf. */
const char *report_outputs_template_path(const char *template_dir, const hz_round *round,
                                         bool final, char *buf, size_t size);

/* The report date: as_of_text (YYYY-MM-DD) when given, else
 * source_date_epoch (the CLI's SOURCE_DATE_EPOCH: seconds, UTC day) when
 * non-NULL and not empty, else the round's deadline - never the clock. HZ_ERR_USAGE with HZ_M_CLI_BAD_VALUE ({1} "--as-of",
 * {2} text, {3} why, already rendered in lang) or HZ_M_CONSOLIDATE_BAD_EPOCH
 * ({1} value). */
hz_status report_outputs_as_of(const char *as_of_text, const char *source_date_epoch,
                               const hz_round *round, hz_lang lang, hz_date *out, hz_error *err);

#endif
