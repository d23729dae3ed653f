/* cmd_consolidate.c - `huizong consolidate`: a round's folder into the city
 * workbook, the report context, the validation report and the PDF. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "hz_text.h"
#include "check.h"
#include "cli.h"
#include "config.h"
#include "consolidate_folder.h"
#include "display_format.h"
#include "fsutil.h"
#include "report_context.h"
#include "report_outputs.h"

enum {
    OPT_ROUND = 256, OPT_CONFIG, OPT_AS_OF, OPT_FORMAT, OPT_LANG, OPT_PDF_ONLY, OPT_XLSX_ONLY,
    OPT_FINAL, OPT_STAGE, OPT_PREVIOUS
};

/* The report date (report_outputs_as_of); a bad value is a usage error. */
static int resolve_as_of(hz_cli *cli, const char *as_of_text, const hz_round *round,
                         hz_date *out)
{
    hz_error err = {0};
    if (report_outputs_as_of(as_of_text, cli->source_date_epoch, round, cli->lang, out, &err) ==
        HZ_OK)
        return HZ_EXIT_OK;
    return cli_usage_error(cli, err.msg, err.nargs > 0 ? err.args[0] : NULL,
                           err.nargs > 1 ? err.args[1] : NULL, err.nargs > 2 ? err.args[2] : NULL,
                           NULL);
}

/* Files read (from the workers, under their lock), then 汇总 once all are. */
static void show_progress(void *user, size_t done, size_t total, const char *name)
{
    cli_progress *p = user;
    if (done < total)
        cli_progress_files(p, done, total, name);
    else
        cli_progress_phase(p, HZ_M_CLI_PROGRESS_CONSOLIDATE);
}

static void show_phase(void *user, report_outputs_phase phase);

static void print_summary_text(hz_cli *cli, const hz_consolidation *cons)
{
    char a[32], b[32], c[32], d[32], rate1[32], rate2[32];
    snprintf(a, sizeof a, "%zu", cons->unit_count);
    snprintf(b, sizeof b, "%zu", cons->accepted_units);
    snprintf(c, sizeof c, "%zu", cons->late_units);
    snprintf(d, sizeof d, "%zu", cons->missing_units);
    display_format_rate(cons->accepted_units, cons->unit_count, rate1, sizeof rate1);
    display_format_rate(cons->on_time_units, cons->unit_count, rate2, sizeof rate2);
    cli_say(cli, HZ_M_CONSOLIDATE_HEAD, cons->config->name, cons->round->name, a, b, c, d,
            rate1, rate2, NULL);
    cli_say(cli, HZ_M_CONSOLIDATE_TABLE_HEAD, NULL);
    for (size_t u = 0; u < cons->unit_count; u++) {
        const hz_cons_unit *cu = &cons->units[u];
        char status[128];
        display_format_unit_status_text(cu, cli->lang, status, sizeof status);
        const hz_cons_file *f = cu->file != HZ_NONE_INDEX ? &cons->files[cu->file] : NULL;
        char shown[512];
        if (f)
            fprintf(cli->out, "%s %s\t%s\t%d\t%zu\t%zu\t%s\n", cu->unit->code,
                    cu->unit->short_name, status, f->version, f->check->counts.errors,
                    f->check->counts.warnings, hz_text_escape_to(f->name, shown, sizeof shown));
        else
            fprintf(cli->out, "%s %s\t%s\t-\t-\t-\t-\n", cu->unit->code, cu->unit->short_name,
                    status);
    }
    bool head = false;
    for (size_t i = 0; i < cons->file_count; i++) {
        const hz_cons_file *f = &cons->files[i];
        if (f->status == HZ_FILE_ACCEPTED)
            continue;
        if (!head) {
            cli_say(cli, HZ_M_CONSOLIDATE_OTHER_HEAD, NULL);
            head = true;
        }
        char reason[1024];
        hz_msg_formatv(cli->lang, f->reason, reason, sizeof reason,
                       f->reason_arg ? f->reason_arg : "", NULL);
        cli_say(cli, HZ_M_CONSOLIDATE_OTHER_FILE, f->name,
                display_format_file_status_text(f->status, cli->lang), reason, NULL);
    }
    int dec = cons->config->report.amount_decimals;
    char f1[32], f2[32], f3[32], f4[64], f5[64];
    snprintf(f1, sizeof f1, "%" PRId64, cons->total.filed);
    snprintf(f2, sizeof f2, "%" PRId64, cons->total.closed);
    hz_amount_format(cons->total.amount, dec, true, f4, sizeof f4);
    hz_amount_format(cons->total.fine, dec, true, f5, sizeof f5);
    snprintf(f3, sizeof f3, "%" PRId64, cons->total.transferred);
    cli_say(cli, HZ_M_CONSOLIDATE_CASES_LINE, f1, f2, f4, f5, f3, NULL);
}

/* The test switches acting on the staged outputs (cli_read_fault_switch). */
typedef struct fault_state {
    cli_fault_switch sw;
    long written;
    cli_progress *progress;
} fault_state;

static void show_phase(void *user, report_outputs_phase phase)
{
    fault_state *f = user;
    cli_progress_phase(f->progress, phase == REPORT_OUTPUTS_PHASE_PDF ? HZ_M_CLI_PROGRESS_PDF
                                                                      : HZ_M_CLI_PROGRESS_XLSX);
}

static hz_status fault_staged(void *user, const char *path, hz_error *err)
{
    (void)path;
    fault_state *f = user;
    f->written++;
    if (f->sw.fault == CLI_FAULT_NONE || f->written < f->sw.after)
        return HZ_OK;
    if (f->sw.fault == CLI_FAULT_KILL)
        raise(SIGKILL);
    if (f->sw.fault == CLI_FAULT_INTERRUPT) {
        /* SIGTERM, as a service manager sends it: SIGINT may be ignored
         * in a test harness or a background job, and then never arrives */
        raise(SIGTERM); /* held back until the outputs are settled */
        return HZ_OK;
    }
    char n[32];
    snprintf(n, sizeof n, "%ld", f->written);
    return hz_error_set(err, HZ_ERR_IO, HZ_M_CONSOLIDATE_INJECTED, "HUIZONG_FAIL_AFTER", n, NULL);
}

static bool no_interrupt(void *user)
{
    (void)user;
    return !cli_interrupt_pending();
}

typedef struct outputs {
    char xlsx[4096], pdf[4096], context[4096], validation[4096];
} outputs;

int cmd_consolidate(hz_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"round", required_argument, NULL, OPT_ROUND},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"lang", required_argument, NULL, OPT_LANG},
        {"quiet", no_argument, NULL, 'q'},
        {"pdf-only", no_argument, NULL, OPT_PDF_ONLY},
        {"xlsx-only", no_argument, NULL, OPT_XLSX_ONLY},
        {"final", no_argument, NULL, OPT_FINAL},
        {"stage", required_argument, NULL, OPT_STAGE},
        {"previous", required_argument, NULL, OPT_PREVIOUS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *round_word = NULL, *config_dir = NULL, *as_of_text = NULL, *out_dir = NULL;
    const char *format = "text", *stage_folder = NULL, *previous_dir = NULL;
    bool pdf_only = false, xlsx_only = false, final = false;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:hq", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_ROUND: round_word = optarg; break;
        case OPT_CONFIG: config_dir = optarg; break;
        case OPT_AS_OF: as_of_text = optarg; break;
        case 'o': out_dir = optarg; break;
        case OPT_FORMAT: format = optarg; break;
        case OPT_LANG: break; /* handled by cli_scan_lang */
        case 'q': cli->quiet = true; break;
        case OPT_PDF_ONLY: pdf_only = true; break;
        case OPT_XLSX_ONLY: xlsx_only = true; break;
        case OPT_FINAL: final = true; break;
        case OPT_STAGE: stage_folder = optarg; break;
        case OPT_PREVIOUS: previous_dir = optarg; break;
        case 'h': return cli_help(cli, HZ_M_CONSOLIDATE_USAGE);
        default: return cli_option_error(cli, c, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error(cli, HZ_M_CONSOLIDATE_NEED_FOLDER, NULL);
    if (optind + 1 < argc)
        return cli_usage_error(cli, HZ_M_CLI_EXTRA_ARGUMENT, argv[optind + 1], NULL);
    const char *folder = argv[optind];
    if (!round_word)
        return cli_usage_error(cli, HZ_M_CONSOLIDATE_NEED_ROUND, NULL);
    if (strcmp(format, "text") && strcmp(format, "json"))
        return cli_usage_error(cli, HZ_M_CONSOLIDATE_BAD_FORMAT, NULL);
    if (pdf_only && xlsx_only)
        return cli_usage_error(cli, HZ_M_CONSOLIDATE_CONFLICT, "--pdf-only", "--xlsx-only",
                               NULL);

    hz_config *config = NULL;
    int rc = cli_load_config(cli, config_dir, &config);
    if (rc != HZ_EXIT_OK)
        return rc;
    const hz_round *round = config_find_round_by_word(config, round_word);
    if (!round) {
        rc = cli_usage_error(cli, HZ_M_CONSOLIDATE_UNKNOWN_ROUND, round_word, NULL);
        config_free(config);
        return rc;
    }
    hz_date as_of;
    rc = resolve_as_of(cli, as_of_text, round, &as_of);
    if (rc != HZ_EXIT_OK) {
        config_free(config);
        return rc;
    }
    char default_out[512];
    if (!out_dir) {
        snprintf(default_out, sizeof default_out, "out/%s", round->id);
        out_dir = default_out;
    }

    hz_error err = {0};
    cli_progress progress;
    cli_progress_start(&progress, cli);
    hz_consolidate_options opt = {
        .threads = 2, .stage_folder = stage_folder, .previous_dir = previous_dir,
        .progress = progress.on ? show_progress : NULL, .progress_user = &progress,
    };
    hz_consolidation *cons = NULL;
    hz_status s = consolidate_folder(config, round, folder, &opt, &cons, &err);
    if (s != HZ_OK) {
        cli_progress_end(&progress);
        cli_report_error(cli, &err);
        config_free(config);
        return cli_exit_code(s);
    }
    fault_state faults = {.progress = &progress};
    rc = cli_read_fault_switch(cli, &faults.sw);
    if (rc != HZ_EXIT_OK) {
        cli_progress_end(&progress);
        consolidate_free(cons);
        config_free(config);
        return rc;
    }

    outputs o = {0};
    char base[1024];
    report_outputs_base_name(config, round, final, base, sizeof base);
    snprintf(o.xlsx, sizeof o.xlsx, "%s/%s.xlsx", out_dir, base);
    snprintf(o.pdf, sizeof o.pdf, "%s/%s.pdf", out_dir, base);
    snprintf(o.context, sizeof o.context, "%s/context.json", out_dir);
    snprintf(o.validation, sizeof o.validation, "%s/validation.json", out_dir);

    char xlsx_name[1100], pdf_name[1100];
    snprintf(xlsx_name, sizeof xlsx_name, "%s.xlsx", base);
    snprintf(pdf_name, sizeof pdf_name, "%s.pdf", base);
    report_outputs_hooks hooks = {.phase = show_phase, .staged = fault_staged,
                                  .may_commit = no_interrupt, .user = &faults};
    report_outputs_spec spec = {.lang = cli->lang, .as_of = as_of, .final = final,
                                .template_dir = cli->paths.template_dir, .hooks = &hooks};
    report_outputs_paths names = {
        .validation = "validation.json", .context = "context.json",
        .xlsx = pdf_only ? NULL : xlsx_name, .pdf = xlsx_only ? NULL : pdf_name,
    };
    report_outputs_done done = {0};
    json_object *context = NULL;
    /* from here on the outputs land all together or not at all */
    sigset_t saved_mask;
    cli_hold_interrupts(&saved_mask);
    /* the context only when the JSON summary prints it: otherwise the
     * library lets it go before the PDF's pages are built */
    bool want_context = !strcmp(format, "json");
    s = report_outputs_write_folder(cons, &spec, out_dir, &names, want_context ? &context : NULL,
                                    &done, &err);
    cli_progress_end(&progress);
    if (s != HZ_OK) {
        cli_report_error(cli, &err);
        rc = cli_exit_code(s);
    }
    if (done.pdf)
        cli_font_notices(cli, config);

    if (!strcmp(format, "json")) {
        json_object *summary = context ? json_object_get(context)
                                       : report_context_json(cons, cli->lang, as_of, final);
        json_object *outs = json_object_new_object();
        if (done.xlsx)
            json_object_object_add(outs, "xlsx", json_object_new_string(o.xlsx));
        if (done.pdf)
            json_object_object_add(outs, "pdf", json_object_new_string(o.pdf));
        if (done.context)
            json_object_object_add(outs, "context", json_object_new_string(o.context));
        if (done.validation)
            json_object_object_add(outs, "validation", json_object_new_string(o.validation));
        if (summary) {
            json_object_object_add(summary, "outputs", outs);
            char *safe = hz_json_escape_unsafe(json_object_to_json_string_ext(
                summary, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                             JSON_C_TO_STRING_NOSLASHESCAPE));
            if (safe)
                fprintf(cli->out, "%s\n", safe);
            free(safe);
            json_object_put(summary);
        } else {
            json_object_put(outs);
        }
    } else {
        print_summary_text(cli, cons);
        if (done.xlsx)
            cli_say(cli, HZ_M_CONSOLIDATE_WROTE, o.xlsx, NULL);
        if (done.pdf)
            cli_say(cli, HZ_M_CONSOLIDATE_WROTE, o.pdf, NULL);
        if (done.context)
            cli_say(cli, HZ_M_CONSOLIDATE_WROTE, o.context, NULL);
        if (done.validation)
            cli_say(cli, HZ_M_CONSOLIDATE_WROTE, o.validation, NULL);
    }
    if (rc == HZ_EXIT_OK && cons->accepted_units == 0) {
        size_t examined = 0;
        const char *found = NULL;
        size_t other = consolidate_other_round_files(cons, &examined, &found);
        if (examined > 0 && other == examined) {
            /* one sentence for the whole folder instead of "rejected" seven times */
            char n[32];
            snprintf(n, sizeof n, "%zu", examined);
            cli_error(cli, HZ_M_CONSOLIDATE_ALL_OTHER_ROUND, n, found ? found : "",
                      round->name, NULL);
        } else {
            cli_error(cli, HZ_M_CONSOLIDATE_NONE_ACCEPTED, NULL);
        }
        rc = HZ_EXIT_INVALID;
    }
    json_object_put(context);
    consolidate_free(cons);
    config_free(config);
    cli_release_interrupts(&saved_mask);
    return rc;
}
