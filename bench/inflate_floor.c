/*
 * inflate_floor.c - the benchmark's reading floor (issue 19).
 *
 * Opens each workbook given with libzip, the library huizong reads with,
 * and inflates every worksheet part (xl/worksheets/ *.xml) into one scratch
 * buffer, doing nothing with the bytes. What it costs is the least any
 * reader of the same parts pays: huizong's reading is measured against it
 * as a ratio of CPU seconds (bench/run.sh, target <= 3x).
 *
 * It prints one line on stdout:
 *   files N parts P inflated_bytes B cpu_s S
 * where S is the CPU time of this process (user + system, from
 * getrusage) at the end: process start-up is included, as it is in the
 * `huizong check` run it is compared with, and it is a few milliseconds.
 * The bytes are summed into a checksum printed on stderr so that the
 * compiler cannot drop the reads.
 *
 * Built by bench/run.sh with cc -O2 and pkg-config's flags for libzip.
 * usage: inflate_floor FILE.xlsx...
 * exit: 0 done; 1 a file or part could not be read (message on stderr).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <zip.h>
#include "worksheet_part.h"

#define SCRATCH_BYTES (1u << 20)   /* 1 MiB reads, as a streaming reader does */

/* Inflates every worksheet part of one workbook; 0 on success. */
static int floor_file(const char *path, unsigned char *scratch, uint64_t *parts,
                      uint64_t *bytes, uint64_t *sum)
{
    int err = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &err);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, err);
        fprintf(stderr, "inflate_floor: %s: %s\n", path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return 1;
    }
    zip_int64_t entries = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < entries; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        if (!name || !bench_is_worksheet_part(name))
            continue;
        zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
        if (!f) {
            fprintf(stderr, "inflate_floor: %s: %s: %s\n", path, name, zip_strerror(z));
            zip_close(z);
            return 1;
        }
        zip_int64_t got;
        while ((got = zip_fread(f, scratch, SCRATCH_BYTES)) > 0) {
            *bytes += (uint64_t)got;
            *sum += scratch[0] + scratch[got - 1];
        }
        int bad = got < 0;   /* libzip checks the CRC at the end of the entry */
        if (bad)
            fprintf(stderr, "inflate_floor: %s: %s: %s\n", path, name, zip_file_strerror(f));
        zip_fclose(f);
        if (bad) {
            zip_close(z);
            return 1;
        }
        (*parts)++;
    }
    zip_discard(z);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: inflate_floor FILE.xlsx...\n", stderr);
        return 2;
    }
    unsigned char *scratch = malloc(SCRATCH_BYTES);
    if (!scratch) {
        fputs("inflate_floor: out of memory\n", stderr);
        return 1;
    }
    uint64_t parts = 0, bytes = 0, sum = 0;
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++)
        rc = floor_file(argv[i], scratch, &parts, &bytes, &sum);
    free(scratch);
    if (rc)
        return rc;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    printf("files %d parts %llu inflated_bytes %llu cpu_s %.4f\n", argc - 1,
           (unsigned long long)parts, (unsigned long long)bytes, cpu);
    fprintf(stderr, "inflate_floor: checksum %llu\n", (unsigned long long)sum);
    return 0;
}
