/*
 * archive_format.h - the year-end archive's format (DESIGN §8), shared by
 * the writer (archive.h), the checker (verify.h) and the previous-year
 * reader (analysis.h), none of which needs the others for it: the
 * manifest.ini dialect, the canonical names of archived returns and the
 * rule for which relative paths an archive may name.
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
    size_t count;
    unsigned *bad_lines;          /* lines that are neither comment, blank,
                                     [section] nor key = value */
    size_t bad_count;
} archive_ini;

/* Parses the manifest format: "; comment", "[section]", "key = value" with
 * the value optionally in double quotes. Never fails on content (bad lines
 * are listed); HZ_ERR_NOMEM only. */
hz_status archive_ini_parse(const char *text, archive_ini *out, hz_error *err);
/* The value of section/key, or NULL. */
const char *archive_ini_get(const archive_ini *ini, const char *section, const char *key);
void archive_ini_free(archive_ini *ini);

/* The canonical name of an archived return: "<code>-<round id>-v<version>.xlsx". */
const char *archive_submission_name(const char *unit_code, const char *round_id, int version,
                                    char *buf, size_t size);

/* true when rel (a relative path inside an archive) is safe to name in
 * SHA256SUMS and to open under the archive: not empty, not absolute, no
 * "." or ".." component, no empty component, no backslash or control
 * character. */
bool archive_path_is_safe(const char *rel);

#endif
