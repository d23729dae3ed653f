/* cmd_archive.c - `huizong archive`: the final consolidation sealed into a
 * write-once archive folder (archive.h). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "archive.h"
#include "cli.h"
#include "config.h"
#include "report_outputs.h"

enum { OPT_ROUND = 256, OPT_CONFIG, OPT_AS_OF, OPT_LANG, OPT_STAGE, OPT_ZIP };

int cmd_archive(hz_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"round", required_argument, NULL, OPT_ROUND},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"output", required_argument, NULL, 'o'},
        {"stage", required_argument, NULL, OPT_STAGE},
        {"zip", no_argument, NULL, OPT_ZIP},
        {"lang", required_argument, NULL, OPT_LANG},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *round_word = NULL, *config_dir = NULL, *as_of_text = NULL, *out_dir = NULL;
    const char *stage_folder = NULL;
    bool zip = false;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_ROUND: round_word = optarg; break;
        case OPT_CONFIG: config_dir = optarg; break;
        case OPT_AS_OF: as_of_text = optarg; break;
        case 'o': out_dir = optarg; break;
        case OPT_STAGE: stage_folder = optarg; break;
        case OPT_ZIP: zip = true; break;
        case OPT_LANG: break; /* handled by cli_scan_lang */
        case 'h': return cli_help(cli, HZ_M_ARCHIVE_USAGE);
        default: return cli_option_error(cli, c, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error(cli, HZ_M_CONSOLIDATE_NEED_FOLDER, NULL);
    if (optind + 1 < argc)
        return cli_usage_error(cli, HZ_M_CLI_EXTRA_ARGUMENT, argv[optind + 1], NULL);
    if (!round_word)
        return cli_usage_error(cli, HZ_M_CONSOLIDATE_NEED_ROUND, NULL);
    if (!out_dir || !*out_dir)
        return cli_usage_error(cli, HZ_M_ARCHIVE_NEED_OUTPUT, NULL);

    archive_options opt = {
        .folder = argv[optind], .stage_folder = stage_folder, .target = out_dir, .zip = zip,
        .template_dir = cli->paths.template_dir,
    };
    cli_fault_switch sw;
    int rc = cli_read_fault_switch(cli, &sw);
    opt.fail_after = sw.fault != CLI_FAULT_NONE ? sw.after : -1;
    opt.fail_signal = sw.fault == CLI_FAULT_KILL        ? SIGKILL
                      : sw.fault == CLI_FAULT_INTERRUPT ? SIGTERM
                                                        : 0;
    if (rc != HZ_EXIT_OK)
        return rc;
    hz_config *config = NULL;
    rc = cli_load_config(cli, config_dir, &config);
    if (rc != HZ_EXIT_OK)
        return rc;
    opt.round = config_find_round_by_word(config, round_word);
    if (!opt.round) {
        rc = cli_usage_error(cli, HZ_M_CONSOLIDATE_UNKNOWN_ROUND, round_word, NULL);
        config_free(config);
        return rc;
    }
    hz_error err = {0};
    if (report_outputs_as_of(as_of_text, cli->source_date_epoch, opt.round, cli->lang,
                             &opt.as_of, &err) != HZ_OK) {
        rc = cli_usage_error(cli, err.msg, err.nargs > 0 ? err.args[0] : NULL,
                             err.nargs > 1 ? err.args[1] : NULL,
                             err.nargs > 2 ? err.args[2] : NULL, NULL);
        config_free(config);
        return rc;
    }

    archive_result result;
    /* an interrupt waits until the archive is complete (or has failed and
     * cleaned up): never half an archive, never a stray staging folder */
    sigset_t saved_mask;
    cli_hold_interrupts(&saved_mask);
    hz_status s = archive_create(config, &opt, &result, &err);
    for (size_t i = 0; i < result.stale_count; i++)
        cli_error(cli, HZ_M_ARCHIVE_STALE_REMOVED, result.stale[i], NULL);
    if (s != HZ_OK) {
        cli_report_error(cli, &err);
        rc = s == HZ_ERR_INVALID ? HZ_EXIT_INVALID
             : s == HZ_ERR_TEMPLATE || s == HZ_ERR_CONFIG || s == HZ_ERR_USAGE ? HZ_EXIT_USAGE
                                                                                : HZ_EXIT_IO;
    } else {
        char files[32], subs[32], exp[32], acc[32], cases[32], amount[64];
        snprintf(files, sizeof files, "%zu", result.file_count);
        snprintf(subs, sizeof subs, "%zu", result.submission_count);
        snprintf(exp, sizeof exp, "%zu", result.expected_units);
        snprintf(acc, sizeof acc, "%zu", result.accepted_units);
        snprintf(cases, sizeof cases, "%" PRId64, result.cases_filed);
        hz_amount_format(result.amount, config->report.amount_decimals, true, amount,
                         sizeof amount);
        cli_say(cli, HZ_M_ARCHIVE_DONE_FIGURES, exp, acc, cases, amount, NULL);
        cli_say(cli, HZ_M_ARCHIVE_DONE, result.path, files, subs, NULL);
        if (result.zip_path)
            cli_say(cli, HZ_M_ARCHIVE_DONE_ZIP, result.zip_path, NULL);
    }
    archive_result_free(&result);
    config_free(config);
    cli_release_interrupts(&saved_mask);
    return rc;
}
