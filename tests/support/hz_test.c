/* hz_test.c - helpers shared by the end-to-end tests. */
#define _DEFAULT_SOURCE /* wait4 */
#include "hz_test.h"

#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char *hz_test_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *data = malloc(cap);
    size_t n;
    while (data && (n = fread(data + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            cap *= 2;
            char *bigger = realloc(data, cap);
            if (!bigger) {
                free(data);
                data = NULL;
            }
            data = bigger;
        }
    }
    fclose(f);
    if (!data)
        return NULL;
    data[len] = '\0';
    if (size)
        *size = len;
    return data;
}

hz_run hz_test_run(const char *fmt, ...)
{
    hz_run run = {.exit_code = -1};
    char command[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(command, sizeof command, fmt, ap);
    va_end(ap);
    char *dir = hz_test_tempdir("run");
    char full[16384], out_path[512], err_path[512];
    snprintf(out_path, sizeof out_path, "%s/out", dir);
    snprintf(err_path, sizeof err_path, "%s/err", dir);
    snprintf(full, sizeof full, "( %s ) </dev/null >'%s' 2>'%s'", command, out_path, err_path);
    int status = system(full);
    if (status != -1 && WIFEXITED(status))
        run.exit_code = WEXITSTATUS(status);
    run.out = hz_test_read_file(out_path, NULL);
    run.err = hz_test_read_file(err_path, NULL);
    if (!run.out)
        run.out = strdup("");
    if (!run.err)
        run.err = strdup("");
    hz_test_rmtree(dir);
    free(dir);
    return run;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

hz_run hz_test_run_measured(hz_measure *m, double kill_after, const char *fmt, ...)
{
    hz_run run = {.exit_code = -1};
    memset(m, 0, sizeof *m);
    char command[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(command, sizeof command, fmt, ap);
    va_end(ap);
    char *dir = hz_test_tempdir("measure");
    char out_path[512], err_path[512];
    snprintf(out_path, sizeof out_path, "%s/out", dir);
    snprintf(err_path, sizeof err_path, "%s/err", dir);
    fflush(NULL);
    double start = now_seconds();
    pid_t pid = fork();
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
            dup2(err, 2) < 0)
            _exit(127);
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    if (pid > 0) {
        int status = 0;
        struct rusage ru;
        memset(&ru, 0, sizeof ru);
        pid_t done;
        while ((done = wait4(pid, &status, WNOHANG, &ru)) == 0) {
            if (now_seconds() - start > kill_after && !m->killed) {
                kill(pid, SIGKILL);
                m->killed = true;
            }
            usleep(2000);
        }
        m->seconds = now_seconds() - start;
        m->max_rss_kb = ru.ru_maxrss;
        if (done == pid && WIFEXITED(status) && !m->killed)
            run.exit_code = WEXITSTATUS(status);
    }
    run.out = hz_test_read_file(out_path, NULL);
    run.err = hz_test_read_file(err_path, NULL);
    if (!run.out)
        run.out = strdup("");
    if (!run.err)
        run.err = strdup("");
    hz_test_rmtree(dir);
    free(dir);
    return run;
}

void hz_run_free(hz_run *run)
{
    free(run->out);
    free(run->err);
    run->out = run->err = NULL;
}

char *hz_test_tempdir(const char *tag)
{
    const char *base = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/hz-%s-XXXXXX", base && *base ? base : "/tmp", tag);
    if (!mkdtemp(path))
        return NULL;
    return strdup(path);
}

void hz_test_rmtree(const char *path)
{
    char command[1024];
    snprintf(command, sizeof command, "rm -rf '%s'", path);
    if (system(command) != 0)
        fprintf(stderr, "cannot remove %s\n", path);
}

bool hz_test_files_equal(const char *a, const char *b)
{
    size_t na, nb;
    char *x = hz_test_read_file(a, &na), *y = hz_test_read_file(b, &nb);
    bool same = x && y && na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

void hz_test_require(const char *program, const char *package)
{
    char command[512];
    snprintf(command, sizeof command, "command -v '%s' >/dev/null 2>&1", program);
    cr_assert_eq(system(command), 0,
                 "%s is missing: install the Debian package %s (listed in "
                 "deps/debian-packages.txt; scripts/deps.sh installs it)", program, package);
}

/* The package of a font family, from its "# font: FAMILY" note in the one
 * dependency list, so the message names what to install. */
static void font_package(const char *family, char *package, size_t size)
{
    snprintf(package, size, "(no package in deps/debian-packages.txt names it)");
    FILE *list = fopen(HZ_SOURCE_DIR "/deps/debian-packages.txt", "r");
    if (!list)
        return;
    char line[512], note[300];
    snprintf(note, sizeof note, "# font: %s", family);
    while (fgets(line, sizeof line, list)) {
        char *hash = strstr(line, note);
        if (!hash || (hash[strlen(note)] != '\n' && hash[strlen(note)] != '\0'))
            continue;
        size_t n = strcspn(line, " \t");
        snprintf(package, size, "%.*s", (int)n, line);
        break;
    }
    fclose(list);
}

void hz_test_require_font(const char *family)
{
    char command[512], package[256];
    snprintf(command, sizeof command,
             "fc-list ':family=%s' file | grep -q .", family);
    if (system(command) == 0)
        return;
    font_package(family, package, sizeof package);
    cr_assert_fail("font family \"%s\" is not installed: install the Debian package %s "
                   "(scripts/deps.sh installs deps/debian-packages.txt)", family, package);
}
