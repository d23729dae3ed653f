/* cli_config.c - loading the configuration folder for a command.
 *
 * Apart from cli.c because the browser build (src/web/) links the rest of
 * the CLI layer with its own cli_load_config, which reads the configuration
 * snapshot instead of the INI folder (iniparser is not available there). */
#include <stdio.h>
#include "cli.h"
#include "config.h"

#define CLI_LINE 4096

int cli_load_config(hz_cli *cli, const char *dir, hz_config **out)
{
    if (!dir)
        dir = cli->paths.config_dir;
    hz_config_problems problems = {0};
    hz_status status = config_load(dir, out, &problems);
    if (status == HZ_OK)
        return HZ_EXIT_OK;
    char what[CLI_LINE];
    for (size_t i = 0; i < problems.count; i++) {
        const hz_config_problem *problem = &problems.items[i];
        hz_error_render(&problem->error, cli->lang, what, sizeof what);
        cli_error(cli, HZ_M_CLI_CONFIG_PROBLEM, problem->file, problem->section,
                  problem->key, what, NULL);
    }
    char count[32];
    snprintf(count, sizeof count, "%zu", problems.count);
    cli_error(cli, HZ_M_CLI_CONFIG_FAILED, dir, count, NULL);
    config_problems_free(&problems);
    return cli_exit_code(status);
}
