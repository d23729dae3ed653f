/*
 * hz_test.h - helpers shared by the end-to-end tests: running the built
 * binary, temporary folders, reading files.
 */
#ifndef HZ_TEST_H
#define HZ_TEST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct hz_run {
    int exit_code;      /* -1 when the command could not run or was killed */
    char *out;          /* captured stdout (NUL-terminated, never NULL) */
    char *err;          /* captured stderr */
} hz_run;

/* Runs the shell command built from fmt (printf-style) with stdout and
 * stderr captured separately. */
hz_run hz_test_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hz_run_free(hz_run *run);

/* hz_test_run, measured: the wall time and the peak resident set of the
 * command (wait4's rusage of the shell, which covers the programs it
 * waited for). A command still running after kill_after seconds is killed
 * (exit_code -1, killed true), so a test of "never waits" cannot hang. */
typedef struct hz_measure {
    double seconds;
    long max_rss_kb;
    bool killed;
} hz_measure;
hz_run hz_test_run_measured(hz_measure *m, double kill_after, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A new empty folder under TMPDIR (or /tmp); caller frees the string. */
char *hz_test_tempdir(const char *tag);
/* rm -rf path. */
void hz_test_rmtree(const char *path);
/* Whole file into a new NUL-terminated buffer (size in *size when not NULL). */
char *hz_test_read_file(const char *path, size_t *size);
bool hz_test_files_equal(const char *a, const char *b);
/* true when a program is on PATH. */
/* Fails the test, naming the Debian package to install, when PROGRAM is not
 * on PATH: a tool a test needs is never a reason to skip it. */
void hz_test_require(const char *program, const char *package);
/* Fails the test when fontconfig knows no font of FAMILY, naming the package
 * that deps/debian-packages.txt lists for it ("# font: FAMILY"). */
void hz_test_require_font(const char *family);

#endif
