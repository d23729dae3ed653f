/* main.c - huizong's entry point: the sorted table of subcommands. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "config.h"

static int cmd_help(hz_cli *cli, int argc, char **argv);

/* Sorted by name; `huizong help` lists them in this order. */
static const hz_command commands[] = {
    {"archive", cmd_archive, HZ_M_ARCHIVE_SUMMARY, HZ_M_ARCHIVE_USAGE},
    {"check", cmd_check, HZ_M_CLI_SUMMARY_CHECK, HZ_M_CLI_USAGE_CHECK},
    {"consolidate", cmd_consolidate, HZ_M_CONSOLIDATE_SUMMARY, HZ_M_CONSOLIDATE_USAGE},
    {"help", cmd_help, HZ_M_CLI_SUMMARY_HELP, HZ_M_CLI_USAGE_HELP},
    {"render", cmd_render, HZ_M_CLI_SUMMARY_RENDER, HZ_M_CLI_USAGE_RENDER},
    {"snapshot", cmd_snapshot, HZ_M_CLI_SUMMARY_SNAPSHOT, HZ_M_CLI_USAGE_SNAPSHOT},
    {"synth", cmd_synth, HZ_M_FILLIN_SUMMARY_SYNTH, HZ_M_FILLIN_USAGE_SYNTH},
    {"template", cmd_template, HZ_M_FILLIN_SUMMARY_TEMPLATE, HZ_M_FILLIN_USAGE_TEMPLATE},
    {"verify", cmd_verify, HZ_M_ARCHIVE_VERIFY_SUMMARY, HZ_M_ARCHIVE_VERIFY_USAGE},
};
static const size_t command_count = sizeof commands / sizeof commands[0];

static const hz_command *command_find(const char *name)
{
    for (size_t i = 0; i < command_count; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

static int print_main_usage(hz_cli *cli, FILE *to)
{
    char list[4096] = "";
    size_t used = 0;
    for (size_t i = 0; i < command_count; i++) {
        int n = snprintf(list + used, sizeof list - used, "  %-12s %s\n", commands[i].name,
                         hz_msg_text(cli->lang, commands[i].summary));
        if (n < 0 || (size_t)n >= sizeof list - used)
            break;
        used += (size_t)n;
    }
    char text[8192];
    hz_msg_formatv(cli->lang, HZ_M_CLI_USAGE_MAIN, text, sizeof text, list,
                   cli->paths.config_dir, NULL);
    fputs(text, to);
    return HZ_EXIT_OK;
}

static int cmd_help(hz_cli *cli, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--lang")) {
            i++;
            continue;
        }
        if (!strncmp(argv[i], "--lang=", 7))
            continue;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return cli_help(cli, HZ_M_CLI_USAGE_HELP);
        const hz_command *command = command_find(argv[i]);
        if (!command)
            return cli_usage_error(cli, HZ_M_CLI_UNKNOWN_COMMAND, argv[i], NULL);
        return cli_help(cli, command->usage);
    }
    return print_main_usage(cli, cli->out);
}

/* Language from LC_ALL / LC_MESSAGES / LANG: English when the first one
 * set starts with "en", Chinese otherwise (also when unset). */
int main(int argc, char **argv)
{
    /* a file-size limit (ulimit -f) must fail a write with EFBIG, reported
     * like a full disk, rather than kill the process mid-output */
    signal(SIGXFSZ, SIG_IGN);
    hz_cli cli = {
        .prog = "huizong",
        .lang = cli_lang_from_environment(),
        .source_date_epoch = getenv("SOURCE_DATE_EPOCH"),
        .out = stdout,
        .err = stderr,
        .err_is_tty = isatty(STDERR_FILENO),
    };
    cli_paths_resolve(&cli.paths);
    if (cli_scan_lang(&cli, argc, argv) < 0)
        return cli_usage_error(&cli, HZ_M_CLI_BAD_LANG, NULL);
    if (argc < 2) {
        print_main_usage(&cli, stderr);
        return HZ_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h"))
        return print_main_usage(&cli, stdout);
    if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
        cli_say(&cli, HZ_M_CLI_VERSION, HZ_VERSION, NULL);
        return HZ_EXIT_OK;
    }
    const hz_command *command = command_find(name);
    if (!command) {
        if (name[0] == '-')
            return cli_usage_error(&cli, HZ_M_CLI_UNKNOWN_OPTION, name, NULL);
        return cli_usage_error(&cli, HZ_M_CLI_UNKNOWN_COMMAND, name, NULL);
    }
    cli.command = command->name;
    return command->run(&cli, argc - 1, argv + 1);
}
