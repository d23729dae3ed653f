/*
 * worksheet_part.h - which zip entries the benchmark counts as worksheet
 * parts: xl/worksheets/NAME.xml, no deeper folder. bench/inflate_floor.c
 * (the floor) and bench/read_only.c (--scan-only) pick the same parts, so
 * that their figures compare the same bytes.
 */
#ifndef HZ_BENCH_WORKSHEET_PART_H
#define HZ_BENCH_WORKSHEET_PART_H

#include <stdbool.h>
#include <string.h>

static inline bool bench_is_worksheet_part(const char *name)
{
    static const char prefix[] = "xl/worksheets/";
    size_t n = strlen(name);
    return strncmp(name, prefix, sizeof prefix - 1) == 0 && n > sizeof prefix + 3 &&
           strcmp(name + n - 4, ".xml") == 0 && strchr(name + sizeof prefix - 1, '/') == NULL;
}

#endif
