/* cmd_template.c - `huizong template`: the blank fill-in workbook; with
 * --all, every unit's and the browser validator page of the configuration. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "config.h"
#include "fillin.h"
#include "fsutil.h"
#include "portal_validator.h"

enum { OPT_UNIT = 256, OPT_ALL, OPT_ROUND, OPT_CONFIG, OPT_LANG };

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Writes one workbook; prints where it went. */
static int write_one(hz_cli *cli, const hz_config *config, const hz_unit *unit,
                     const hz_round *round, const char *dir, const char *file)
{
    char name[1024], path[4096];
    if (!fillin_file_name(unit, round, name, sizeof name)) {
        cli_error(cli, HZ_M_FILLIN_NAME_TOO_LONG, unit->name, NULL);
        return HZ_EXIT_IO;
    }
    if (file)
        snprintf(path, sizeof path, "%s", file);
    else
        snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", name);
    hz_error err = {0};
    hz_status s = fillin_write(config, unit, round, path, &err);
    if (s != HZ_OK) {
        cli_report_error(cli, &err);
        return cli_exit_code(s);
    }
    cli_say(cli, HZ_M_CLI_WROTE, path, NULL);
    return HZ_EXIT_OK;
}

/* --all: the browser validator page of this configuration beside the
 * workbooks, to hand out with them. The page template comes from
 * HUIZONG_WEB when set, else from the installed data or the source tree's
 * build/web/ (portal_validator_find); without one the workbooks are still
 * written and one notice says that the page is not. */
static int write_page(hz_cli *cli, const hz_config *config, const char *dir)
{
    char template_path[4200], path[4200];
    if (!portal_validator_find(getenv("HUIZONG_WEB"), cli->paths.data_dir, template_path,
                               sizeof template_path)) {
        cli_error(cli, HZ_M_PORTAL_TEMPLATE_NO_PAGE, NULL);
        return HZ_EXIT_OK;
    }
    int n = snprintf(path, sizeof path, "%s/%s", dir, PORTAL_VALIDATOR_PAGE);
    if (n < 0 || (size_t)n >= sizeof path) {
        cli_error(cli, HZ_M_IO_WRITE, dir, strerror(ENAMETOOLONG), NULL);
        return HZ_EXIT_IO;
    }
    portal_validator v;
    hz_error err = {0};
    hz_status s = portal_validator_make(template_path, config, &v, &err);
    if (s == HZ_OK)
        s = fs_write_atomic(path, v.page, v.page_len, &err);
    portal_validator_free(&v);
    if (s != HZ_OK) {
        cli_report_error(cli, &err);
        return cli_exit_code(s);
    }
    cli_say(cli, HZ_M_CLI_WROTE, path, NULL);
    return HZ_EXIT_OK;
}

int cmd_template(hz_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"unit", required_argument, NULL, OPT_UNIT},
        {"all", no_argument, NULL, OPT_ALL},
        {"round", required_argument, NULL, OPT_ROUND},
        {"output", required_argument, NULL, 'o'},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"lang", required_argument, NULL, OPT_LANG},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *unit_code = NULL, *round_word = NULL, *output = NULL, *config_dir = NULL;
    bool all = false;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:hq", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_UNIT: unit_code = optarg; break;
        case OPT_ALL: all = true; break;
        case OPT_ROUND: round_word = optarg; break;
        case 'o': output = optarg; break;
        case OPT_CONFIG: config_dir = optarg; break;
        case OPT_LANG: break; /* handled by cli_scan_lang */
        case 'q': cli->quiet = true; break;
        case 'h': return cli_help(cli, HZ_M_FILLIN_USAGE_TEMPLATE);
        default: return cli_option_error(cli, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(cli, HZ_M_CLI_EXTRA_ARGUMENT, argv[optind], NULL);
    if (unit_code && all)
        return cli_usage_error(cli, HZ_M_FILLIN_CONFLICT, "--unit", "--all", NULL);
    if (!unit_code && !all)
        return cli_usage_error(cli, HZ_M_FILLIN_NEED_UNIT, NULL);
    if (!round_word)
        return cli_usage_error(cli, HZ_M_FILLIN_NEED_ROUND, NULL);
    if (all && !output)
        return cli_usage_error(cli, HZ_M_FILLIN_NEED_OUTPUT, NULL);

    hz_config *config = NULL;
    int rc = cli_load_config(cli, config_dir, &config);
    if (rc != HZ_EXIT_OK)
        return rc;
    const hz_round *round = config_find_round_by_word(config, round_word);
    if (!round) {
        rc = cli_usage_error(cli, HZ_M_FILLIN_UNKNOWN_ROUND, round_word, NULL);
    } else if (all) {
        if (mkdir(output, 0777) != 0 && errno != EEXIST) {
            cli_error(cli, HZ_M_IO_MKDIR, output, strerror(errno), NULL);
            rc = HZ_EXIT_IO;
        }
        for (size_t i = 0; rc == HZ_EXIT_OK && i < config->unit_count; i++)
            rc = write_one(cli, config, &config->units[i], round, output, NULL);
        if (rc == HZ_EXIT_OK)
            rc = write_page(cli, config, output);
        if (rc == HZ_EXIT_OK) {
            char count[32];
            snprintf(count, sizeof count, "%zu", config->unit_count);
            cli_say(cli, HZ_M_FILLIN_WROTE_COUNT, count, output, NULL);
        }
    } else {
        const hz_unit *unit = config_find_unit(config, unit_code);
        if (!unit)
            rc = cli_usage_error(cli, HZ_M_FILLIN_UNKNOWN_UNIT, unit_code, NULL);
        else if (output && is_dir(output))
            rc = write_one(cli, config, unit, round, output, NULL);
        else
            rc = write_one(cli, config, unit, round, NULL, output);
    }
    config_free(config);
    return rc;
}
