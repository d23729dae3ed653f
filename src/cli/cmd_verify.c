/* cmd_verify.c - `huizong verify DIR`: is the archive intact (verify.h)? */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "verify.h"

enum { OPT_LANG = 256 };

int cmd_verify(hz_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"lang", required_argument, NULL, OPT_LANG},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_LANG: break; /* handled by cli_scan_lang */
        case 'q': cli->quiet = true; break;
        case 'h': return cli_help(cli, HZ_M_ARCHIVE_VERIFY_USAGE);
        case ':':
            return cli_usage_error(cli, HZ_M_CLI_MISSING_ARGUMENT, argv[optind - 1], NULL);
        default:
            return cli_usage_error(cli, HZ_M_CLI_UNKNOWN_OPTION, argv[optind - 1], NULL);
        }
    }
    if (optind >= argc)
        return cli_usage_error(cli, HZ_M_ARCHIVE_V_NEED_DIR, NULL);
    if (optind + 1 < argc)
        return cli_usage_error(cli, HZ_M_CLI_EXTRA_ARGUMENT, argv[optind + 1], NULL);

    verify_report report;
    hz_error err = {0};
    hz_status s = verify_archive(argv[optind], cli->lang, &report, &err);
    if (s != HZ_OK) {
        cli_report_error(cli, &err);
        return cli_exit_code(s);
    }
    /* every difference on stdout, one line each, so it can be grepped */
    for (size_t i = 0; i < report.count; i++) {
        char line[4096];
        hz_error_render(&report.items[i].what, cli->lang, line, sizeof line);
        cli_say(cli, HZ_M_ARCHIVE_V_LINE, line, NULL);
    }
    int rc;
    if (report.count == 0) {
        char files[32], subs[32];
        snprintf(files, sizeof files, "%zu", report.files_ok);
        snprintf(subs, sizeof subs, "%zu", report.submissions_checked);
        cli_say(cli, HZ_M_ARCHIVE_V_INTACT, files, subs, NULL);
        rc = HZ_EXIT_OK;
    } else {
        char n[32];
        snprintf(n, sizeof n, "%zu", report.count);
        fflush(cli->out); /* the verdict after the list, also when both go to one terminal */
        cli_error(cli, HZ_M_ARCHIVE_V_DAMAGED, n, NULL);
        rc = HZ_EXIT_INVALID;
    }
    verify_report_free(&report);
    return rc;
}
