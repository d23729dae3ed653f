/* cmd_token.c - `huizong token`: the portal's access tokens (portal_tokens.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "config.h"
#include "fsutil.h"
#include "portal_tokens.h"

enum { OPT_DATA = 256, OPT_UNIT, OPT_CITY, OPT_LIST, OPT_REVOKE, OPT_CONFIG, OPT_LANG };

int cmd_token(hz_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"city", no_argument, NULL, OPT_CITY},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"data", required_argument, NULL, OPT_DATA},
        {"help", no_argument, NULL, 'h'},
        {"lang", required_argument, NULL, OPT_LANG},
        {"list", no_argument, NULL, OPT_LIST},
        {"revoke", required_argument, NULL, OPT_REVOKE},
        {"unit", required_argument, NULL, OPT_UNIT},
        {NULL, 0, NULL, 0},
    };
    const char *data_dir = NULL, *unit = NULL, *revoke = NULL, *config_dir = NULL;
    bool city = false, list = false;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_DATA: data_dir = optarg; break;
        case OPT_UNIT: unit = optarg; break;
        case OPT_CITY: city = true; break;
        case OPT_LIST: list = true; break;
        case OPT_REVOKE: revoke = optarg; break;
        case OPT_CONFIG: config_dir = optarg; break;
        case OPT_LANG: break; /* handled by cli_scan_lang */
        case 'h': return cli_help(cli, HZ_M_PORTAL_TOKEN_USAGE);
        default: return cli_option_error(cli, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(cli, HZ_M_CLI_EXTRA_ARGUMENT, argv[optind], NULL);
    if (!data_dir)
        return cli_usage_error(cli, HZ_M_CLI_NEED_OPTION, "--data", NULL);
    if ((unit != NULL) + city + list + (revoke != NULL) != 1)
        return cli_usage_error(cli, HZ_M_PORTAL_TOKEN_ONE_ACTION, NULL);

    const hz_unit *u = NULL;
    if (unit) {
        hz_config *config = NULL;
        int rc = cli_load_config(cli, config_dir, &config);
        if (rc != HZ_EXIT_OK)
            return rc;
        u = config_find_unit(config, unit);
        config_free(config); /* only whether the unit exists was needed */
        if (!u)
            return cli_usage_error(cli, HZ_M_PORTAL_TOKEN_UNKNOWN_UNIT, unit, NULL);
    }
    hz_error err = {0};
    hz_status s = fs_mkdir_p(data_dir, &err);
    if (s != HZ_OK) {
        cli_report_error(cli, &err);
        return cli_exit_code(s);
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/tokens.ini", data_dir);
    portal_tokens tokens;
    if ((s = portal_tokens_load(path, &tokens, &err)) != HZ_OK) {
        cli_report_error(cli, &err);
        return cli_exit_code(s);
    }
    int rc = HZ_EXIT_OK;
    if (list) {
        if (tokens.count == 0)
            cli_say(cli, HZ_M_PORTAL_TOKEN_NONE, NULL);
        for (size_t i = 0; i < tokens.count; i++)
            cli_say(cli, HZ_M_PORTAL_TOKEN_LINE, tokens.items[i].id, tokens.items[i].role, NULL);
    } else if (revoke) {
        if (!portal_tokens_remove(&tokens, revoke)) {
            rc = cli_usage_error(cli, HZ_M_PORTAL_TOKEN_UNKNOWN_ID, revoke, NULL);
        } else if ((s = portal_tokens_save(path, &tokens, &err)) != HZ_OK) {
            cli_report_error(cli, &err);
            rc = cli_exit_code(s);
        } else {
            cli_say(cli, HZ_M_PORTAL_TOKEN_REVOKED, revoke, NULL);
        }
    } else {
        char text[PORTAL_TOKEN_HEX + 1], id[PORTAL_TOKEN_ID + 1];
        const char *role = city ? PORTAL_ROLE_CITY : unit;
        if ((s = portal_tokens_add(&tokens, role, text, id, &err)) != HZ_OK ||
            (s = portal_tokens_save(path, &tokens, &err)) != HZ_OK) {
            cli_report_error(cli, &err);
            rc = cli_exit_code(s);
        } else {
            /* the explanation goes to stderr, the token alone to stdout,
             * so `TOKEN=$(huizong token ...)` takes just the token */
            char line[512];
            hz_msg_formatv(cli->lang, HZ_M_PORTAL_TOKEN_MADE, line, sizeof line,
                           city ? hz_msg_text(cli->lang, HZ_M_PORTAL_CITY_NAME) : unit, id, NULL);
            fprintf(cli->err, "%s\n", line);
            fprintf(cli->out, "%s\n", text);
        }
    }
    portal_tokens_free(&tokens);
    return rc;
}
