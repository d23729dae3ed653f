/* web_cli.c - the entry point of huizong-cli.mjs (node).
 *
 * `node huizong-cli.mjs check [options] FILE...` runs the very cmd_check of
 * the native CLI (src/cli/cmd_check.c), so it prints the same text or JSON
 * and returns the same exit codes; only the configuration comes from the
 * built-in snapshot (web_config.c). The browser build has no other command. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

int main(int argc, char **argv)
{
    hz_cli cli = {
        .prog = "huizong",
        .lang = cli_lang_from_environment(),
        .out = stdout,
        .err = stderr,
        /* emscripten's isatty says yes for every standard stream, even a
         * pipe, so the node build cannot tell a terminal: no progress line
         * (as the native program when stderr is not a terminal) */
        .err_is_tty = 0,
    };
    cli_paths_resolve(&cli.paths);
    if (cli_scan_lang(&cli, argc, argv) < 0)
        return cli_usage_error(&cli, HZ_M_CLI_BAD_LANG, NULL);
    if (argc < 2) {
        fputs(hz_msg_text(cli.lang, HZ_M_CLI_USAGE_CHECK), stderr);
        return HZ_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h"))
        return cli_help(&cli, HZ_M_CLI_USAGE_CHECK);
    if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
        cli_say(&cli, HZ_M_CLI_VERSION, HZ_VERSION, NULL);
        return HZ_EXIT_OK;
    }
    if (strcmp(name, "check")) {
        if (name[0] == '-')
            return cli_usage_error(&cli, HZ_M_CLI_UNKNOWN_OPTION, name, NULL);
        return cli_usage_error(&cli, HZ_M_CLI_UNKNOWN_COMMAND, name, NULL);
    }
    cli.command = "check";
    return cmd_check(&cli, argc - 1, argv + 1);
}
