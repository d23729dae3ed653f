/* cli_progress.c - the one updating line on a terminal's stderr while many
 * files are read and the outputs are made (issue 16). */
#include "cli.h"
#include "hz_text.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* at most ten updates a second */
#define PROGRESS_INTERVAL_NS 100000000LL

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void cli_progress_start(cli_progress *p, hz_cli *cli)
{
    memset(p, 0, sizeof *p);
    p->cli = cli;
    p->on = cli->err_is_tty && !cli->quiet;
}

static void draw(cli_progress *p, const char *line)
{
    /* rewritten in place; cli_progress_end clears it */
    fprintf(p->cli->err, "\r\033[K%s", line);
    fflush(p->cli->err);
    p->last_ns = now_ns();
    p->drawn = true;
    p->updates++;
}

static bool due(const cli_progress *p)
{
    return !p->drawn || now_ns() - p->last_ns >= PROGRESS_INTERVAL_NS;
}

void cli_progress_files(cli_progress *p, size_t done, size_t total, const char *name)
{
    if (!p->on || !due(p))
        return; /* the next file's count says it all */
    char a[32], b[32], line[1024], shown[512];
    snprintf(a, sizeof a, "%zu", done);
    snprintf(b, sizeof b, "%zu", total);
    /* a file name is untrusted text: escaped before it reaches the terminal */
    hz_msg_formatv(p->cli->lang, HZ_M_CLI_PROGRESS_FILES, line, sizeof line, a, b,
                   hz_text_escape_to(name ? name : "", shown, sizeof shown), NULL);
    draw(p, line);
}

void cli_progress_phase(cli_progress *p, hz_msg_id phase)
{
    if (!p->on)
        return;
    /* a phase is not skipped like a file count (it may last long): it
     * waits out the rest of the interval instead */
    long long wait = p->drawn ? PROGRESS_INTERVAL_NS - (now_ns() - p->last_ns) : 0;
    if (wait > 0) {
        struct timespec ts = {(time_t)(wait / 1000000000LL), (long)(wait % 1000000000LL)};
        nanosleep(&ts, NULL);
    }
    draw(p, hz_msg_text(p->cli->lang, phase));
}

void cli_progress_end(cli_progress *p)
{
    if (!p->on || !p->drawn)
        return;
    fputs("\r\033[K", p->cli->err);
    fflush(p->cli->err);
    p->drawn = false;
}
