/*
 * read_only.c - the benchmark's reading figure (issue 19).
 *
 * Reads each workbook given with submission_read, the reading stage of
 * `huizong check` and `huizong consolidate` (zip, shared strings, styles,
 * every worksheet scanned into cells, the cells into the submission's
 * header, indicators and cases), on one thread and in one process, and
 * does nothing else: no rules, no report. This is what bench/run.sh sets
 * against bench/inflate_floor on the same files, as a ratio of CPU seconds.
 *
 * With --open-only it opens and closes each workbook (xlsx_book_open: the
 * zip directory, and the parts read before any worksheet: content types,
 * relationships, workbook, styles and shared strings, all through expat)
 * and reads no worksheet: the share of the reading that the scanner does
 * not touch (issue 19 keeps expat for those parts).
 *
 * With --scan-only it inflates every worksheet part (the parts the floor
 * inflates) through libzip into the worksheet scanner, whose handlers do
 * nothing: inflate plus the scanner's own checks and lexing, no cells, no
 * records (the configuration is still loaded, as in the other modes).
 *
 * It prints one line on stdout:
 *   files N cases C cpu_s S rss_mb R
 * with S the CPU time of this process (user + system, getrusage) at the
 * end, process start-up and the configuration load included, as in the
 * floor's figure, and R its peak resident memory.
 *
 * Built by bench/run.sh against the release build's huizong_core
 * (target hz_bench_read, not installed).
 * usage: hz_bench_read [--open-only | --scan-only] CONFIG_DIR FILE.xlsx...
 * exit: 0 every file read; 1 a file was unreadable or the config refused.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <zip.h>
#include "config.h"
#include "issue.h"
#include "submission.h"
#include "xlsx_reader.h"
#include "xlsx_sheet_scan.h"
#include "worksheet_part.h"

/* Opens and closes one workbook; 0 when it opened. */
static int open_only(const char *path, const hz_config *config)
{
    xlsx_book *book = NULL;
    hz_error err;
    if (xlsx_book_open(path, &config->limits, &book, &err) != HZ_OK) {
        fprintf(stderr, "hz_bench_read: %s: not readable\n", path);
        return 1;
    }
    xlsx_book_close(book);
    return 0;
}

static xlsx_scan_action ignore_start(void *user, const char *name, const char *local,
                                     const char **attrs)
{
    (void)user, (void)name, (void)local, (void)attrs;
    return XLSX_SCAN_GO;
}

static xlsx_scan_action ignore_end(void *user, const char *name, const char *local)
{
    (void)user, (void)name, (void)local;
    return XLSX_SCAN_GO;
}

static xlsx_scan_action ignore_text(void *user, const char *text, size_t len)
{
    (void)user, (void)text, (void)len;
    return XLSX_SCAN_GO;
}

static long long read_entry(void *user, char *buf, size_t cap)
{
    return zip_fread(user, buf, cap);
}

/* Scans every worksheet of one workbook with handlers that do nothing; 0
 * when every part was accepted. */
static int scan_only(const char *path)
{
    int zerr = 0, rc = 0;
    zip_t *zip = zip_open(path, ZIP_RDONLY, &zerr);
    if (!zip) {
        fprintf(stderr, "hz_bench_read: %s: not a zip file\n", path);
        return 1;
    }
    zip_int64_t entries = zip_get_num_entries(zip, 0);
    for (zip_int64_t i = 0; i < entries && rc == 0; i++) {
        const char *name = zip_get_name(zip, (zip_uint64_t)i, 0);
        if (!name || !bench_is_worksheet_part(name))
            continue;
        zip_file_t *part = zip_fopen_index(zip, (zip_uint64_t)i, 0);
        xlsx_scan_handlers h = {part, ignore_start, ignore_end, ignore_text, read_entry};
        xlsx_scan *scan = NULL;
        if (!part || xlsx_scan_new(&h, 1024 * 1024, &scan) != HZ_OK) {
            rc = 1;
        } else {
            while (xlsx_scan_run(scan) == HZ_OK && !xlsx_scan_done(scan))
                ;
            if (!xlsx_scan_done(scan)) {
                fprintf(stderr, "hz_bench_read: %s: %s refused by the scanner\n", path, name);
                rc = 1;
            }
        }
        xlsx_scan_free(scan);
        if (part)
            zip_fclose(part);
    }
    zip_close(zip);
    return rc;
}

int main(int argc, char **argv)
{
    bool open_books_only = argc > 1 && !strcmp(argv[1], "--open-only");
    bool scan_sheets_only = argc > 1 && !strcmp(argv[1], "--scan-only");
    if (open_books_only || scan_sheets_only) {
        argc--;
        argv++;
    }
    if (argc < 3) {
        fputs("usage: hz_bench_read [--open-only | --scan-only] CONFIG_DIR FILE.xlsx...\n",
              stderr);
        return 2;
    }
    hz_config *config = NULL;
    hz_config_problems problems = {0};
    if (config_load(argv[1], &config, &problems) != HZ_OK) {
        fprintf(stderr, "hz_bench_read: %s: configuration refused (%zu problems)\n", argv[1],
                problems.count);
        config_problems_free(&problems);
        return 1;
    }
    unsigned long long cases = 0;
    int rc = 0;
    for (int i = 2; i < argc && rc == 0; i++) {
        if (open_books_only || scan_sheets_only) {
            rc = open_books_only ? open_only(argv[i], config) : scan_only(argv[i]);
            continue;
        }
        hz_submission sub;
        hz_issue_list issues = {0};
        hz_error err;
        issues.max_per_rule = config->limits.max_issues_per_rule;
        hz_status s = submission_read(argv[i], config, &sub, &issues, &err);
        if (s != HZ_OK || !sub.readable) {
            fprintf(stderr, "hz_bench_read: %s: not readable (status %d)\n", argv[i], (int)s);
            rc = 1;
        }
        cases += sub.case_count;
        submission_free(&sub);
        issue_list_free(&issues);
    }
    config_free(config);
    if (rc)
        return rc;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    printf("files %d cases %llu cpu_s %.4f rss_mb %.1f\n", argc - 2, cases, cpu,
           ru.ru_maxrss / 1024.0);
    return 0;
}
