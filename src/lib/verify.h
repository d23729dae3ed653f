/*
 * verify.h - `huizong verify`: is an archive (archive.h) still what was
 * sealed?
 *
 * verify_archive() runs four kinds of checks and records every difference
 * as one finding (never stopping at the first):
 *   1. files: each path in SHA256SUMS is hashed again (modified / missing);
 *      every file in the folder that SHA256SUMS does not list is extra, as is
 *      anything that is not a regular file or folder (a symlink, say).
 *      Malformed or unsafe SHA256SUMS lines (absolute paths, "..") are
 *      findings and are never opened.
 *   2. manifest: manifest.ini must agree with SHA256SUMS - [counts] files
 *      and submissions, every [reports] path listed, every
 *      [submission.N] path listed with the same sha256.
 *   3. checks: the archived config/ is loaded and every archived return is
 *      checked again (through a consolidation of submissions/<round>/);
 *      a return that no longer passes, or whose unit code or version differs
 *      from its canonical name, is a finding.
 *   4. figures: that consolidation's figures (archive_figures_text) must
 *      equal manifest.ini's [totals], [indicators] and [stage], key by key.
 * The archive is intact when there is no finding.
 *
 * The seal (seal.h): verify_archive_sealed() with a public key checks
 * SHA256SUMS.sig against SHA256SUMS before anything else; a missing,
 * damaged or foreign signature, or one that does not match, is the one
 * finding (VERIFY_SEAL) and nothing else is examined: without a valid
 * seal the hashes prove nothing. Without a key, report->seal says whether
 * the archive is signed; either way the file checks then cannot show that
 * SHA256SUMS itself is unchanged (an edit that rewrites a file and its
 * SHA256SUMS line passes them).
 */
#ifndef HZ_VERIFY_H
#define HZ_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include "hz_status.h"
#include "seal.h"

typedef enum verify_kind {
    VERIFY_MODIFIED,   /* hash differs from SHA256SUMS */
    VERIFY_MISSING,    /* listed, not there */
    VERIFY_EXTRA,      /* there, not listed (or not a regular file) */
    VERIFY_LIST,       /* SHA256SUMS itself is malformed */
    VERIFY_MANIFEST,   /* manifest.ini disagrees with SHA256SUMS */
    VERIFY_CHECK,      /* an archived return fails the checks now */
    VERIFY_FIGURE,     /* recomputed figures differ from manifest.ini */
    VERIFY_SEAL        /* the signature is missing, damaged, foreign or wrong */
} verify_kind;

typedef enum verify_seal_state {
    VERIFY_UNSIGNED,           /* no SHA256SUMS.sig */
    VERIFY_SIGNED_UNCHECKED,   /* signed, no key given */
    VERIFY_SEAL_VALID,         /* checked with the key: SHA256SUMS unchanged */
    VERIFY_SEAL_FAILED         /* checked with the key: see the finding */
} verify_seal_state;

typedef struct verify_finding {
    verify_kind kind;
    char *path;        /* relative path concerned ("" when none) */
    hz_error what;     /* the message (status HZ_ERR_INVALID) */
} verify_finding;

typedef struct verify_report {
    verify_finding *items;
    size_t count, cap;
    size_t files_listed;        /* entries of SHA256SUMS */
    size_t files_ok;            /* of them, present with the right hash */
    size_t submissions_checked; /* returns re-checked */
    size_t figures_compared;    /* manifest figures compared */
    verify_seal_state seal;
    char seal_key[SEAL_FINGERPRINT_SIZE]; /* fingerprint named by the
                                             signature ("" when none) */
} verify_report;

/* Verifies the archive folder dir (nested texts of findings, such as the
 * first error of a return, are rendered in lang). HZ_OK when it was examined (intact or
 * not: see report->count); HZ_ERR_IO when dir is not a readable folder;
 * HZ_ERR_NOMEM. The report is always initialised; free it with
 * verify_report_free. */
hz_status verify_archive(const char *dir, hz_lang lang, verify_report *report, hz_error *err);
/* The same, checking the seal with key first (NULL: as verify_archive). */
hz_status verify_archive_sealed(const char *dir, hz_lang lang, const seal_public_key *key,
                                verify_report *report, hz_error *err);
void verify_report_free(verify_report *report);

/* "modified", "missing", ... for JSON and tests. */
const char *verify_kind_name(verify_kind kind);

#endif
