/*
 * archive_format.h - the year-end archive's format (DESIGN §8), shared by
 * the writer (archive.h), the checker (verify.h) and the previous-year
 * reader (analysis.h), none of which needs the others for it: the
 * manifest.ini dialect, the one SHA256SUMS parser, the canonical names of
 * archived returns and the rule for which relative paths an archive may
 * name.
 */
#ifndef HZ_ARCHIVE_FORMAT_H
#define HZ_ARCHIVE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include "hz_status.h"

/* File names inside an archive, and the manifest format version. */
#define ARCHIVE_SUMS "SHA256SUMS"
#define ARCHIVE_MANIFEST "manifest.ini"
#define ARCHIVE_FORMAT_VERSION 1

typedef struct archive_ini_entry {
    char *section, *key, *value;  /* value without its quotes */
    unsigned line;
} archive_ini_entry;

typedef struct archive_ini {
    archive_ini_entry *items;
    size_t count, cap;
    unsigned *bad_lines;          /* lines that are neither comment, blank,
                                     [section] nor key = value */
    size_t bad_count, bad_cap;
} archive_ini;

/* Parses the manifest format: "; comment", "[section]", "key = value" with
 * the value optionally in double quotes. Never fails on content (bad lines
 * are listed); HZ_ERR_NOMEM only. */
hz_status archive_format_ini_parse(const char *text, archive_ini *out, hz_error *err);
/* The value of section/key, or NULL. */
const char *archive_format_ini_get(const archive_ini *ini, const char *section, const char *key);
void archive_format_ini_free(archive_ini *ini);

/* ---- SHA256SUMS: "<64 hex> <space|*><path>" lines, what sha256sum writes */

typedef struct archive_sum {
    char hex[65];                 /* lower case */
    char *rel;
} archive_sum;

typedef struct archive_sums {
    archive_sum *items;           /* in file order, each path once */
    size_t count, cap;
    bool present;                 /* for the caller: the file was found */
} archive_sums;

typedef enum archive_sums_problem {
    ARCHIVE_SUMS_BAD_LINE,        /* not "<64 hex> <space|*><path>" */
    ARCHIVE_SUMS_UNSAFE_PATH,     /* path fails archive_format_path_is_safe */
    ARCHIVE_SUMS_DUPLICATE        /* path listed before (the first counts) */
} archive_sums_problem;

/* Called for each line left out; text is the line (without its end) or,
 * for an unsafe or duplicate path, the path. Return false to stop
 * (archive_format_sums_parse then returns HZ_ERR_NOMEM: the callback ran out). */
typedef bool (*archive_sums_problem_fn)(void *user, archive_sums_problem problem, unsigned line,
                                        const char *text);

/* Parses SHA256SUMS text into out (appending); blank lines and a CR before
 * the newline are allowed. problem may be NULL. HZ_ERR_NOMEM only. */
hz_status archive_format_sums_parse(const char *text, archive_sums *out,
                                    archive_sums_problem_fn problem, void *user);
const archive_sum *archive_format_sums_find(const archive_sums *sums, const char *rel);
void archive_format_sums_free(archive_sums *sums);

/* The canonical name of an archived return: "<code>-<round id>-v<version>.xlsx". */
const char *archive_format_submission_name(const char *unit_code, const char *round_id, int version,
                                    char *buf, size_t size);

/* true when rel (a relative path inside an archive) is safe to name in
 * SHA256SUMS and to open under the archive: not empty, not absolute, no
 * "." or ".." component, no empty component, no backslash or control
 * character. */
bool archive_format_path_is_safe(const char *rel);

#endif
