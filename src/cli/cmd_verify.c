/* cmd_verify.c - `huizong verify DIR`: is the archive intact (verify.h)? */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "verify.h"

enum { OPT_LANG = 256, OPT_KEY };

int cmd_verify(hz_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"lang", required_argument, NULL, OPT_LANG},
        {"key", required_argument, NULL, OPT_KEY},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *key_path = NULL;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_LANG: break; /* handled by cli_scan_lang */
        case OPT_KEY: key_path = optarg; break;
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

    seal_public_key key;
    hz_error err = {0};
    if (key_path) {
        hz_status ks = seal_load_public_key(key_path, &key, &err);
        if (ks != HZ_OK) {
            cli_report_error(cli, &err);
            return cli_exit_code(ks);
        }
    }
    verify_report report;
    hz_status s = verify_archive_sealed(argv[optind], cli->lang, key_path ? &key : NULL,
                                        &report, &err);
    if (s != HZ_OK) {
        cli_report_error(cli, &err);
        return cli_exit_code(s);
    }
    /* what the run can and cannot prove, first */
    if (report.seal == VERIFY_SEAL_VALID)
        cli_say(cli, HZ_M_SEAL_VALID, key.fingerprint, NULL);
    else if (report.seal == VERIFY_SIGNED_UNCHECKED)
        cli_say(cli, HZ_M_SEAL_NOTE_SIGNED, report.seal_key[0] ? report.seal_key : "?", NULL);
    else if (report.seal == VERIFY_UNSIGNED)
        cli_say(cli, HZ_M_SEAL_NOTE_UNSIGNED, NULL);
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
