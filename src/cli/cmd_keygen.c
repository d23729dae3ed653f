/* cmd_keygen.c - `huizong keygen -o NAME`: an Ed25519 key pair for sealing
 * archives (seal.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "seal.h"

enum { OPT_LANG = 256 };

int cmd_keygen(hz_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"lang", required_argument, NULL, OPT_LANG},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_LANG: break; /* handled by cli_scan_lang */
        case 'h': return cli_help(cli, HZ_M_KEYGEN_USAGE);
        default: return cli_option_error(cli, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(cli, HZ_M_CLI_EXTRA_ARGUMENT, argv[optind], NULL);
    if (!out || !*out)
        return cli_usage_error(cli, HZ_M_KEYGEN_NEED_OUTPUT, NULL);
    seal_public_key pub;
    hz_error err = {0};
    hz_status s = seal_keygen(out, &pub, &err);
    if (s != HZ_OK) {
        cli_report_error(cli, &err);
        return cli_exit_code(s);
    }
    size_t n = strlen(out) + 5;
    char *pub_path = malloc(n);
    if (!pub_path) {
        cli_error(cli, HZ_M_NOMEM, NULL);
        return HZ_EXIT_IO;
    }
    snprintf(pub_path, n, "%s.pub", out);
    cli_say(cli, HZ_M_KEYGEN_DONE, out, pub_path, pub.fingerprint, NULL);
    free(pub_path);
    return HZ_EXIT_OK;
}
