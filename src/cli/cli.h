/*
 * cli.h - the thin command-line layer over libhuizong.
 *
 * One file per subcommand (cmd_*.c), each exporting one hz_cmd_fn listed in
 * the sorted table in main.c. Commands parse their options with getopt_long
 * (through cli_getopt), print only through cli_say / cli_error with catalogue
 * messages, and return an exit code: 0 success, 1 data errors found,
 * 2 usage error, 3 cannot read input or write output.
 */
#ifndef HZ_CLI_H
#define HZ_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include "hz_msg.h"
#include "hz_status.h"

enum { HZ_EXIT_OK = 0, HZ_EXIT_INVALID = 1, HZ_EXIT_USAGE = 2, HZ_EXIT_IO = 3 };

/* The default data folders (cli_paths_resolve); --config (before or after
 * the command) and the template options override them. */
typedef struct cli_paths {
    const char *config_dir;    /* the default configuration folder */
    const char *template_dir;  /* the report templates (stage.md, annual.md, final.md) */
    char data_dir[4096];       /* huizong's own data folder (config/, templates/) */
    char config_buf[4096], template_buf[4096];
} cli_paths;
/* Resolves the default data folders: HUIZONG_CONFIG / HUIZONG_TEMPLATES
 * when set, else config/xuchang-2022 and templates/ of huizong's data
 * folder: the source tree when the binary runs from its build tree, else
 * <bindir>/../share/huizong found through /proc/self/exe (so DESTDIR,
 * relocated and packaged installs work). */
void cli_paths_resolve(cli_paths *out);
/* The message language from the environment (LC_ALL, LC_MESSAGES, LANG). */
hz_lang cli_lang_from_environment(void);

typedef struct hz_cli {
    const char *prog;      /* "huizong" */
    const char *command;   /* "check" */
    hz_lang lang;
    cli_paths paths;
    const char *source_date_epoch; /* SOURCE_DATE_EPOCH, or NULL */
    FILE *out;
    FILE *err;
    int err_is_tty;
    bool quiet;              /* --quiet: no progress line */
} hz_cli;

typedef int (*hz_cmd_fn)(hz_cli *cli, int argc, char **argv);

typedef struct hz_command {
    const char *name;
    hz_cmd_fn run;
    hz_msg_id summary;     /* one line for `huizong help` */
    hz_msg_id usage;       /* full text for `huizong CMD --help` */
} hz_command;

/* Prints a catalogue message (NULL-terminated const char * args) + "\n". */
void cli_say(hz_cli *cli, hz_msg_id id, ...);
/* Prints "huizong CMD: <message>" to stderr. */
void cli_error(hz_cli *cli, hz_msg_id id, ...);
/* Prints an hz_error to stderr with the command prefix. */
void cli_report_error(hz_cli *cli, const hz_error *err);
struct hz_config;
/* One line on stderr per report font role served by a substitute. */
void cli_font_notices(hz_cli *cli, const struct hz_config *config);
/* Prints a usage error plus "try huizong CMD --help" and returns 2. */
int cli_usage_error(hz_cli *cli, hz_msg_id id, ...);
/* The usage error for getopt_long's ':' (missing argument) or '?'
 * (unknown option) result c; returns 2. */
int cli_option_error(hz_cli *cli, int c, char **argv);
/* Prints the command's usage text to stdout and returns 0. */
int cli_help(hz_cli *cli, hz_msg_id usage);
/* The one mapping from a library status to the exit code (DESIGN §5):
 * HZ_OK 0; HZ_ERR_INVALID 1 (errors found); HZ_ERR_USAGE, HZ_ERR_CONFIG,
 * HZ_ERR_TEMPLATE 2 (the user's arguments, configuration or template);
 * everything else 3 (cannot read input or write output). Commands return
 * it unchanged. */
int cli_exit_code(hz_status status);

/* Handles --lang for every command: scans argv for --lang X / --lang=X and
 * sets cli->lang; returns -1 when X is not zh/en. */
int cli_scan_lang(hz_cli *cli, int argc, char **argv);

/* Test switches (never needed in normal use), from the environment:
 * HUIZONG_FAIL_AFTER=N stops a run with an error after N output files were
 * written, HUIZONG_KILL_AFTER=N kills the process there (SIGKILL), and
 * HUIZONG_INTERRUPT_AFTER=N sends it SIGTERM there. `huizong serve` reads one
 * more, HUIZONG_NOW="YYYY-MM-DD HH:MM[:SS]" (campaign time): every receipt at
 * that time, for the on-time and late cases of its tests. */
typedef enum cli_fault {
    CLI_FAULT_NONE, CLI_FAULT_FAIL, CLI_FAULT_KILL, CLI_FAULT_INTERRUPT
} cli_fault;
typedef struct cli_fault_switch {
    cli_fault fault;
    long after;
} cli_fault_switch;
/* Reads the switches into sw; returns HZ_EXIT_OK or a usage error (2). */
int cli_read_fault_switch(hz_cli *cli, cli_fault_switch *sw);

/* Interrupts (SIGINT, SIGTERM, SIGHUP) held back while outputs are
 * written, so that a run ends either with every output in place or with
 * none: cli_hold_interrupts blocks them, cli_interrupt_pending tells whether
 * one arrived meanwhile, cli_release_interrupts restores the mask (a pending
 * interrupt then ends the process as usual). */
void cli_hold_interrupts(sigset_t *saved);
bool cli_interrupt_pending(void);
void cli_release_interrupts(const sigset_t *saved);

/* The progress line: on a terminal's stderr only, never with --quiet, at
 * most ten updates a second (file counts in between are dropped, a phase
 * waits for its turn). */
typedef struct cli_progress {
    hz_cli *cli;
    bool on, drawn;
    long long last_ns;     /* CLOCK_MONOTONIC of the last update */
    unsigned updates;
} cli_progress;
void cli_progress_start(cli_progress *p, hz_cli *cli);
/* "files read done/total: name" */
void cli_progress_files(cli_progress *p, size_t done, size_t total, const char *name);
/* A phase's catalogue text (HZ_M_CLI_PROGRESS_CONSOLIDATE, ..._XLSX, ..._PDF). */
void cli_progress_phase(cli_progress *p, hz_msg_id phase);
/* Clears the line (before the results are printed). */
void cli_progress_end(cli_progress *p);

struct hz_config;
/* Loads the configuration folder dir (NULL: cli->paths.config_dir), printing every
 * problem; returns HZ_EXIT_OK with *out set, or the exit code to use. */
int cli_load_config(hz_cli *cli, const char *dir, struct hz_config **out);

/* Subcommands (one file each). */
int cmd_archive(hz_cli *cli, int argc, char **argv);
int cmd_check(hz_cli *cli, int argc, char **argv);
int cmd_consolidate(hz_cli *cli, int argc, char **argv);
int cmd_keygen(hz_cli *cli, int argc, char **argv);
int cmd_render(hz_cli *cli, int argc, char **argv);
int cmd_serve(hz_cli *cli, int argc, char **argv);
int cmd_snapshot(hz_cli *cli, int argc, char **argv);
int cmd_synth(hz_cli *cli, int argc, char **argv);
int cmd_template(hz_cli *cli, int argc, char **argv);
int cmd_token(hz_cli *cli, int argc, char **argv);
int cmd_verify(hz_cli *cli, int argc, char **argv);

#endif
