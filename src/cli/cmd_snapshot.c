/* cmd_snapshot.c - `huizong snapshot`: the validated configuration as JSON. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "config.h"
#include "config_snapshot.h"

enum { OPT_CONFIG = 256, OPT_LANG };

int cmd_snapshot(hz_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, OPT_CONFIG},
        {"output", required_argument, NULL, 'o'},
        {"lang", required_argument, NULL, OPT_LANG},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *config_dir = NULL, *output = NULL;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_CONFIG: config_dir = optarg; break;
        case 'o': output = optarg; break;
        case OPT_LANG: break; /* handled by cli_scan_lang */
        case 'h': return cli_help(cli, HZ_M_CLI_USAGE_SNAPSHOT);
        default: return cli_option_error(cli, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(cli, HZ_M_CLI_EXTRA_ARGUMENT, argv[optind], NULL);

    hz_config *config = NULL;
    int rc = cli_load_config(cli, config_dir, &config);
    if (rc != HZ_EXIT_OK)
        return rc;
    char *text = config_snapshot_text(config);
    config_free(config);
    if (!text) {
        cli_error(cli, HZ_M_NOMEM, NULL);
        return HZ_EXIT_IO;
    }
    FILE *to = output ? fopen(output, "w") : cli->out;
    bool ok = to && fputs(text, to) >= 0 && fputc('\n', to) != EOF;
    int saved = errno;
    if (output && to && fclose(to) != 0) {
        ok = false;
        saved = errno;
    }
    free(text);
    if (!ok) {
        cli_error(cli, HZ_M_IO_WRITE, output ? output : "-", strerror(saved), NULL);
        return HZ_EXIT_IO;
    }
    if (output)
        cli_say(cli, HZ_M_CLI_WROTE, output, NULL);
    return HZ_EXIT_OK;
}
