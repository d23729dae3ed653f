/* cli.c - printing, error reporting and shared option handling. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "config.h"
#include "hz_text.h"

#define CLI_LINE 4096

/* Arguments can come from a submission (cell text, sheet and file names):
 * controls, bidi and format characters are shown escaped, so that nothing
 * can move the cursor, recolour or reorder what the terminal shows. The
 * catalogue texts around them are trusted and printed as they are. */
static void cli_vformat(hz_cli *cli, hz_msg_id id, va_list ap, char *buf, size_t size)
{
    const char *args[9];
    char *escaped[9];
    int nargs = 0;
    const char *arg;
    while (nargs < 9 && (arg = va_arg(ap, const char *)) != NULL) {
        escaped[nargs] = hz_text_escape(arg);
        args[nargs] = escaped[nargs] ? escaped[nargs] : "?";
        nargs++;
    }
    hz_msg_format(cli->lang, id, args, nargs, buf, size);
    for (int i = 0; i < nargs; i++)
        free(escaped[i]);
}

static void cli_prefix(hz_cli *cli)
{
    if (cli->command)
        fprintf(cli->err, "%s %s: ", cli->prog, cli->command);
    else
        fprintf(cli->err, "%s: ", cli->prog);
}

/* One catalogue line: on stdout, or on stderr after "huizong COMMAND: ". */
static void cli_vline(hz_cli *cli, bool to_err, hz_msg_id id, va_list ap)
{
    char buf[CLI_LINE];
    cli_vformat(cli, id, ap, buf, sizeof buf);
    if (to_err)
        cli_prefix(cli);
    fprintf(to_err ? cli->err : cli->out, "%s\n", buf);
}

void cli_say(hz_cli *cli, hz_msg_id id, ...)
{
    va_list ap;
    va_start(ap, id);
    cli_vline(cli, false, id, ap);
    va_end(ap);
}

void cli_error(hz_cli *cli, hz_msg_id id, ...)
{
    va_list ap;
    va_start(ap, id);
    cli_vline(cli, true, id, ap);
    va_end(ap);
}

void cli_report_error(hz_cli *cli, const hz_error *err)
{
    char buf[CLI_LINE], shown[CLI_LINE];
    hz_error_render(err, cli->lang, buf, sizeof buf);
    cli_prefix(cli);
    fprintf(cli->err, "%s\n", hz_text_escape_to(buf, shown, sizeof shown)); /* one line */
}

int cli_usage_error(hz_cli *cli, hz_msg_id id, ...)
{
    char hint[256];
    va_list ap;
    va_start(ap, id);
    cli_vline(cli, true, id, ap);
    va_end(ap);
    if (cli->command)
        hz_msg_formatv(cli->lang, HZ_M_CLI_TRY_HELP, hint, sizeof hint, cli->command, NULL);
    else
        hz_msg_formatv(cli->lang, HZ_M_CLI_TRY_MAIN_HELP, hint, sizeof hint, NULL);
    fprintf(cli->err, "%s\n", hint);
    return HZ_EXIT_USAGE;
}

int cli_help(hz_cli *cli, hz_msg_id usage)
{
    fputs(hz_msg_text(cli->lang, usage), cli->out);
    return HZ_EXIT_OK;
}

int cli_exit_code(hz_status status)
{
    switch (status) {
    case HZ_OK:
        return HZ_EXIT_OK;
    case HZ_ERR_USAGE:
    case HZ_ERR_CONFIG:    /* a bad --config folder or font setting is the user's to fix */
    case HZ_ERR_TEMPLATE:  /* likewise a bad report template */
        return HZ_EXIT_USAGE;
    case HZ_ERR_INVALID:
        return HZ_EXIT_INVALID;
    default:
        return HZ_EXIT_IO;
    }
}

int cli_scan_lang(hz_cli *cli, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *value = NULL;
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "--lang") && i + 1 < argc)
            value = argv[i + 1];
        else if (!strncmp(argv[i], "--lang=", 7))
            value = argv[i] + 7;
        if (value) {
            int lang = hz_lang_parse(value);
            if (lang < 0)
                return -1;
            cli->lang = (hz_lang)lang;
        }
    }
    return 0;
}

int cli_option_error(hz_cli *cli, int c, char **argv)
{
    const char *arg = argv[optind - 1];
    char shortopt[3] = {'-', (char)optopt, '\0'};
    if (optopt && optopt < 256)
        arg = shortopt;
    return cli_usage_error(cli, c == ':' ? HZ_M_CLI_MISSING_ARGUMENT : HZ_M_CLI_UNKNOWN_OPTION,
                           arg, NULL);
}

int cli_read_fault_switch(hz_cli *cli, cli_fault_switch *sw)
{
    static const struct {
        const char *name;
        cli_fault fault;
    } switches[] = {
        {"HUIZONG_FAIL_AFTER", CLI_FAULT_FAIL},
        {"HUIZONG_KILL_AFTER", CLI_FAULT_KILL},
        {"HUIZONG_INTERRUPT_AFTER", CLI_FAULT_INTERRUPT},
    };
    sw->fault = CLI_FAULT_NONE;
    sw->after = -1;
    for (size_t i = 0; i < sizeof switches / sizeof switches[0]; i++) {
        const char *v = getenv(switches[i].name);
        if (!v || !*v)
            continue;
        errno = 0;
        char *end;
        long n = strtol(v, &end, 10);
        if (errno || *end || n < 0)
            return cli_usage_error(cli, HZ_M_ARCHIVE_BAD_ENV, switches[i].name, v, NULL);
        sw->fault = switches[i].fault;
        sw->after = n;
    }
    return HZ_EXIT_OK;
}

static void interrupt_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
}

void cli_hold_interrupts(sigset_t *saved)
{
    sigset_t set;
    interrupt_set(&set);
    sigprocmask(SIG_BLOCK, &set, saved);
}

bool cli_interrupt_pending(void)
{
    sigset_t pending;
    sigemptyset(&pending);
    if (sigpending(&pending) != 0)
        return false;
    return sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1 ||
           sigismember(&pending, SIGHUP) == 1;
}

void cli_release_interrupts(const sigset_t *saved)
{
    sigprocmask(SIG_SETMASK, saved, NULL);
}
