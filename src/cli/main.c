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
    {"keygen", cmd_keygen, HZ_M_KEYGEN_SUMMARY, HZ_M_KEYGEN_USAGE},
    {"render", cmd_render, HZ_M_CLI_SUMMARY_RENDER, HZ_M_CLI_USAGE_RENDER},
    {"serve", cmd_serve, HZ_M_PORTAL_SERVE_SUMMARY, HZ_M_PORTAL_SERVE_USAGE},
    {"snapshot", cmd_snapshot, HZ_M_CLI_SUMMARY_SNAPSHOT, HZ_M_CLI_USAGE_SNAPSHOT},
    {"synth", cmd_synth, HZ_M_FILLIN_SUMMARY_SYNTH, HZ_M_FILLIN_USAGE_SYNTH},
    {"template", cmd_template, HZ_M_FILLIN_SUMMARY_TEMPLATE, HZ_M_FILLIN_USAGE_TEMPLATE},
    {"token", cmd_token, HZ_M_PORTAL_TOKEN_SUMMARY, HZ_M_PORTAL_TOKEN_USAGE},
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

/* Edit distance (insert, delete, substitute, swap of neighbours) of two
 * short ASCII words; larger than any command name when a word is long. */
static size_t edit_distance(const char *a, const char *b)
{
    enum { MAX = 32 };
    size_t n = strlen(a), m = strlen(b);
    if (n >= MAX || m >= MAX)
        return MAX;
    size_t d[MAX + 1][MAX + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

/* The command a mistyped name most likely meant (a prefix, or at most two
 * edits away), or NULL. */
static const char *nearest_command(const char *name)
{
    const char *best = NULL;
    size_t best_distance = 3;
    for (size_t i = 0; i < command_count; i++) {
        size_t d = edit_distance(name, commands[i].name);
        if (strlen(name) >= 3 && !strncmp(commands[i].name, name, strlen(name)))
            d = 1; /* "cons" for consolidate */
        if (d < best_distance) {
            best_distance = d;
            best = commands[i].name;
        }
    }
    return best;
}

/* "unknown command" with the nearest command when there is one. */
static int unknown_command(hz_cli *cli, const char *name)
{
    const char *nearest = nearest_command(name);
    if (!nearest)
        return cli_usage_error(cli, HZ_M_CLI_UNKNOWN_COMMAND, name, NULL);
    cli_error(cli, HZ_M_CLI_UNKNOWN_COMMAND, name, NULL);
    cli_error(cli, HZ_M_CLI_DID_YOU_MEAN, nearest, NULL);
    return HZ_EXIT_USAGE;
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
            return unknown_command(cli, argv[i]);
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
    /* the common options may come before the command as well as after */
    int first = 1;
    while (first < argc) {
        const char *a = argv[first];
        if (!strcmp(a, "--lang") && first + 1 < argc) {
            first += 2; /* read by cli_scan_lang */
        } else if (!strncmp(a, "--lang=", 7)) {
            first++;
        } else if (!strcmp(a, "--config") && first + 1 < argc) {
            cli.paths.config_dir = argv[first + 1];
            first += 2;
        } else if (!strncmp(a, "--config=", 9)) {
            cli.paths.config_dir = a + 9;
            first++;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            cli.quiet = true;
            first++;
        } else {
            break;
        }
    }
    if (first >= argc) {
        print_main_usage(&cli, stderr);
        return HZ_EXIT_USAGE;
    }
    const char *name = argv[first];
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
        return unknown_command(&cli, name);
    }
    cli.command = command->name;
    return command->run(&cli, argc - first, argv + first);
}
