/* verify.c - see verify.h. */
#include "verify.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "archive.h"
#include "archive_format.h"
#include "hz_text.h"
#include "check.h"
#include "config.h"
#include "consolidate_folder.h"
#include "fsutil.h"
#include "hash.h"

const char *verify_kind_name(verify_kind kind)
{
    switch (kind) {
    case VERIFY_MODIFIED: return "modified";
    case VERIFY_MISSING: return "missing";
    case VERIFY_EXTRA: return "extra";
    case VERIFY_SEAL: return "seal";
    case VERIFY_LIST: return "list";
    case VERIFY_MANIFEST: return "manifest";
    case VERIFY_CHECK: return "check";
    case VERIFY_FIGURE: return "figure";
    }
    return "?";
}

void verify_report_free(verify_report *report)
{
    if (!report)
        return;
    for (size_t i = 0; i < report->count; i++)
        free(report->items[i].path);
    free(report->items);
    memset(report, 0, sizeof *report);
}

/* Adds a finding (NULL-terminated message arguments). false: out of memory. */
static bool add_finding(verify_report *r, verify_kind kind, const char *path, hz_msg_id msg, ...)
{
    if (!hz_array_reserve(&r->items, &r->cap, r->count + 1, sizeof *r->items))
        return false;
    verify_finding *f = &r->items[r->count];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->path = strdup(path ? path : "");
    if (!f->path)
        return false;
    f->what.status = HZ_ERR_INVALID;
    f->what.msg = msg;
    va_list ap;
    va_start(ap, msg);
    const char *arg;
    while (f->what.nargs < HZ_ERROR_ARGS && (arg = va_arg(ap, const char *)) != NULL) {
        snprintf(f->what.args[f->what.nargs], HZ_ERROR_ARG_SIZE, "%s", arg);
        f->what.nargs++;
    }
    va_end(ap);
    r->count++;
    return true;
}

/* Adds a VERIFY_SEAL finding carrying e's message. */
static bool add_finding_error(verify_report *r, const char *path, const hz_error *e)
{
    if (!add_finding(r, VERIFY_SEAL, path, HZ_M_NONE, NULL))
        return false;
    verify_finding *f = &r->items[r->count - 1];
    f->what = *e;
    f->what.status = HZ_ERR_INVALID;
    return true;
}

/* ------------------------------------------------------------ the file tree */

typedef struct entry {
    char *rel;
    bool regular;
    bool listed;
} entry;

typedef struct tree {
    entry *items;
    size_t count, cap;
} tree;

static void tree_free(tree *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->items[i].rel);
    free(t->items);
    memset(t, 0, sizeof *t);
}

static bool tree_add(tree *t, const char *rel, bool regular)
{
    if (!hz_array_reserve(&t->items, &t->cap, t->count + 1, sizeof *t->items))
        return false;
    t->items[t->count] = (entry){.rel = strdup(rel), .regular = regular};
    return t->items[t->count++].rel != NULL;
}

static entry *tree_find(tree *t, const char *rel)
{
    for (size_t i = 0; i < t->count; i++)
        if (!strcmp(t->items[i].rel, rel))
            return &t->items[i];
    return NULL;
}

static hz_status collect(void *user, const char *rel, fs_entry_kind kind, hz_error *err)
{
    if (!tree_add(user, rel, kind == FS_FILE))
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    return HZ_OK;
}

/* ------------------------------------------------------------ SHA256SUMS */

/* A left-out SHA256SUMS line as a finding of the list. */
static bool sums_problem(void *user, archive_sums_problem problem, unsigned line, const char *text)
{
    verify_report *r = user;
    char num[16];
    snprintf(num, sizeof num, "%u", line);
    switch (problem) {
    case ARCHIVE_SUMS_BAD_LINE:
        return add_finding(r, VERIFY_LIST, ARCHIVE_SUMS, HZ_M_ARCHIVE_V_SUMS_BAD_LINE, num, text,
                           NULL);
    case ARCHIVE_SUMS_UNSAFE_PATH:
        return add_finding(r, VERIFY_LIST, ARCHIVE_SUMS, HZ_M_ARCHIVE_V_SUMS_UNSAFE, num, text,
                           NULL);
    case ARCHIVE_SUMS_DUPLICATE:
        return add_finding(r, VERIFY_LIST, text, HZ_M_ARCHIVE_V_SUMS_DUPLICATE, text, NULL);
    }
    return true;
}

/* ------------------------------------------------------------ steps */

typedef struct vctx {
    const char *dir;
    hz_lang lang;
    verify_report *r;
    tree files;
    archive_sums sums;
    archive_ini manifest;
    bool have_manifest;
    bool oom;
} vctx;

#define FIND(...) do { if (!add_finding(__VA_ARGS__, NULL)) v->oom = true; } while (0)

static void step_files(vctx *v)
{
    verify_report *r = v->r;
    for (size_t i = 0; i < v->sums.count; i++) {
        const archive_sum *e = &v->sums.items[i];
        entry *f = tree_find(&v->files, e->rel);
        if (!f || !f->regular) {
            if (f)
                f->listed = true;
            FIND(r, VERIFY_MISSING, e->rel, HZ_M_ARCHIVE_V_MISSING, e->rel);
            continue;
        }
        f->listed = true;
        char path[8192], hex[65];
        snprintf(path, sizeof path, "%s/%s", v->dir, e->rel);
        hz_error err = {0};
        if (hash_file_sha256(path, hex, NULL, &err) != HZ_OK) {
            char why[1024];
            hz_error_render(&err, v->lang, why, sizeof why);
            FIND(r, VERIFY_MODIFIED, e->rel, HZ_M_ARCHIVE_V_UNREADABLE, e->rel, why);
            continue;
        }
        if (strcmp(hex, e->hex) != 0)
            FIND(r, VERIFY_MODIFIED, e->rel, HZ_M_ARCHIVE_V_MODIFIED, e->rel, e->hex, hex);
        else
            r->files_ok++;
    }
    for (size_t i = 0; i < v->files.count; i++) {
        const entry *f = &v->files.items[i];
        if (!strcmp(f->rel, ARCHIVE_SUMS) || !strcmp(f->rel, SEAL_SIG_NAME))
            continue;
        if (!f->regular && !f->listed)
            FIND(r, VERIFY_EXTRA, f->rel, HZ_M_ARCHIVE_V_NOT_REGULAR, f->rel);
        else if (!f->listed)
            FIND(r, VERIFY_EXTRA, f->rel, HZ_M_ARCHIVE_V_EXTRA, f->rel);
    }
}

static void manifest_count(vctx *v, const char *key, size_t actual)
{
    const char *val = archive_format_ini_get(&v->manifest, "counts", key);
    char a[32], k[64];
    snprintf(a, sizeof a, "%zu", actual);
    snprintf(k, sizeof k, "[counts] %s", key);
    if (!val)
        FIND(v->r, VERIFY_MANIFEST, ARCHIVE_MANIFEST, HZ_M_ARCHIVE_V_MANIFEST_KEY, "counts", key);
    else if (strcmp(val, a) != 0)
        FIND(v->r, VERIFY_MANIFEST, ARCHIVE_MANIFEST, HZ_M_ARCHIVE_V_MANIFEST_COUNT, k, val, a);
}

static bool is_submission_path(const char *rel)
{
    size_t n = strlen(rel);
    return !strncmp(rel, "submissions/", 12) && n > 5 && !strcmp(rel + n - 5, ".xlsx");
}

static void step_manifest(vctx *v)
{
    verify_report *r = v->r;
    const archive_ini *m = &v->manifest;
    for (size_t i = 0; i < m->bad_count; i++) {
        char num[16];
        snprintf(num, sizeof num, "%u", m->bad_lines[i]);
        FIND(r, VERIFY_MANIFEST, ARCHIVE_MANIFEST, HZ_M_ARCHIVE_V_MANIFEST_BAD_LINE, num, "");
    }
    manifest_count(v, "files", v->sums.count);
    size_t listed_subs = 0, sections = 0;
    for (size_t i = 0; i < v->sums.count; i++)
        listed_subs += is_submission_path(v->sums.items[i].rel);
    for (size_t i = 0; i < m->count; i++) {
        const archive_ini_entry *e = &m->items[i];
        if (!strcmp(e->section, "reports")) {
            if (!archive_format_sums_find(&v->sums, e->value))
                FIND(r, VERIFY_MANIFEST, e->value, HZ_M_ARCHIVE_V_MANIFEST_UNLISTED, e->value);
            continue;
        }
        if (strncmp(e->section, "submission.", 11) || strcmp(e->key, "path"))
            continue;
        sections++;
        const archive_sum *s = archive_format_sums_find(&v->sums, e->value);
        const char *sha = NULL;
        for (size_t k = 0; k < m->count; k++)
            if (!strcmp(m->items[k].section, e->section) && !strcmp(m->items[k].key, "sha256"))
                sha = m->items[k].value;
        if (!s)
            FIND(r, VERIFY_MANIFEST, e->value, HZ_M_ARCHIVE_V_MANIFEST_UNLISTED, e->value);
        else if (!sha)
            FIND(r, VERIFY_MANIFEST, ARCHIVE_MANIFEST, HZ_M_ARCHIVE_V_MANIFEST_KEY, e->section,
                 "sha256");
        else if (strcmp(sha, s->hex) != 0)
            FIND(r, VERIFY_MANIFEST, e->value, HZ_M_ARCHIVE_V_MANIFEST_HASH, e->value, sha,
                 s->hex);
    }
    manifest_count(v, "submissions", listed_subs);
    if (sections != listed_subs) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%zu", sections);
        snprintf(b, sizeof b, "%zu", listed_subs);
        FIND(r, VERIFY_MANIFEST, ARCHIVE_MANIFEST, HZ_M_ARCHIVE_V_MANIFEST_COUNT, "[submission.N]",
             a, b);
    }
}

/* Re-checks the returns of one consolidation against their names. */
static void recheck_files(vctx *v, const hz_consolidation *cons, const char *round_dir)
{
    for (size_t i = 0; i < cons->file_count; i++) {
        const hz_cons_file *f = &cons->files[i];
        if (f->status == HZ_FILE_IGNORED)
            continue; /* receipts.ini; strays are already "extra" */
        char rel[4096];
        snprintf(rel, sizeof rel, "%s/%s", round_dir, f->name);
        v->r->submissions_checked++;
        if (f->status == HZ_FILE_REJECTED) {
            char n[32], first[2048] = "";
            snprintf(n, sizeof n, "%zu", f->check ? f->check->counts.errors : 0);
            if (f->check)
                for (size_t k = 0; k < f->check->issues.count && !first[0]; k++)
                    if (f->check->issues.items[k].severity == HZ_SEV_ERROR)
                        issue_render(&f->check->issues.items[k], v->lang, first, sizeof first);
            if (!first[0])
                hz_msg_formatv(v->lang, f->reason, first, sizeof first,
                               f->reason_arg ? f->reason_arg : "", NULL);
            FIND(v->r, VERIFY_CHECK, rel, HZ_M_ARCHIVE_V_CHECK_INVALID, rel, n, first);
            continue;
        }
        /* the canonical name must match what the workbook says */
        const hz_submission *sub = &f->check->sub;
        const char *code = sub->unit ? sub->unit->code : sub->header.text[HZ_H_UNIT_CODE];
        char expect[256];
        archive_format_submission_name(code, cons->round->id, f->version, expect, sizeof expect);
        if (strcmp(expect, f->name) != 0) {
            char ver[32];
            snprintf(ver, sizeof ver, "%s / %d", code, f->version);
            FIND(v->r, VERIFY_CHECK, rel, HZ_M_ARCHIVE_V_CHECK_FIELD, rel,
                 hz_msg_text(v->lang, HZ_M_ARCHIVE_V_FIELD_VERSION), ver, f->name);
        }
    }
}

/* Compares the figures of the manifest sections with the recomputed ones.
 * A few differences are listed one by one; many (one damaged return
 * changes dozens of totals) become one finding per section with examples,
 * so the file-level findings stay readable. */
#define FIGURES_ONE_BY_ONE 3
#define FIGURES_EXAMPLES 3

typedef struct figure_diff {
    const char *key, *fresh, *old;
} figure_diff;

static void compare_section(vctx *v, const archive_ini *fresh, const char *section)
{
    size_t cap = fresh->count + v->manifest.count, n = 0;
    figure_diff *d = calloc(cap ? cap : 1, sizeof *d);
    if (!d) {
        v->oom = true;
        return;
    }
    for (size_t i = 0; i < fresh->count; i++) {
        const archive_ini_entry *e = &fresh->items[i];
        if (strcmp(e->section, section))
            continue;
        v->r->figures_compared++;
        const char *old = archive_format_ini_get(&v->manifest, e->section, e->key);
        if (!old || strcmp(old, e->value) != 0)
            d[n++] = (figure_diff){e->key, e->value, old ? old : "-"};
    }
    /* and nothing recorded that the returns no longer give */
    for (size_t i = 0; i < v->manifest.count; i++) {
        const archive_ini_entry *e = &v->manifest.items[i];
        if (!strcmp(e->section, section) && !archive_format_ini_get(fresh, e->section, e->key))
            d[n++] = (figure_diff){e->key, "-", e->value};
    }
    if (n <= FIGURES_ONE_BY_ONE) {
        for (size_t i = 0; i < n; i++) {
            char name[256];
            snprintf(name, sizeof name, "[%s] %s", section, d[i].key);
            FIND(v->r, VERIFY_FIGURE, ARCHIVE_MANIFEST, HZ_M_ARCHIVE_V_FIGURE, name, d[i].fresh,
                 d[i].old);
        }
    } else {
        char examples[1024] = "", item[256], count[32];
        for (size_t i = 0; i < FIGURES_EXAMPLES; i++) {
            hz_msg_formatv(v->lang, HZ_M_ARCHIVE_V_FIGURE_ITEM, item, sizeof item, d[i].key,
                           d[i].fresh, d[i].old, NULL);
            size_t used = strlen(examples);
            snprintf(examples + used, sizeof examples - used, "%s%s",
                     i ? (v->lang == HZ_LANG_ZH ? "；" : "; ") : "", item);
        }
        snprintf(count, sizeof count, "%zu", n);
        FIND(v->r, VERIFY_FIGURE, ARCHIVE_MANIFEST, HZ_M_ARCHIVE_V_FIGURES, section, count,
             examples);
    }
    free(d);
}

static void compare_figures(vctx *v, const char *text)
{
    archive_ini fresh;
    hz_error err;
    if (archive_format_ini_parse(text, &fresh, &err) != HZ_OK) {
        v->oom = true;
        return;
    }
    static const char *const sections[] = {"totals", "indicators", "stage"};
    for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++)
        compare_section(v, &fresh, sections[s]);
    archive_format_ini_free(&fresh);
}

static void step_reconsolidate(vctx *v)
{
    char cdir[4200];
    snprintf(cdir, sizeof cdir, "%s/config", v->dir);
    hz_config *config = NULL;
    hz_config_problems problems = {0};
    if (config_load(cdir, &config, &problems) != HZ_OK) {
        char n[32];
        snprintf(n, sizeof n, "%zu", problems.count);
        config_problems_free(&problems);
        FIND(v->r, VERIFY_CHECK, "config", HZ_M_ARCHIVE_V_CONFIG, n);
        return;
    }
    const char *round_id = archive_format_ini_get(&v->manifest, "archive", "round");
    const hz_round *round = round_id ? config_find_round(config, round_id) : NULL;
    if (!round) {
        FIND(v->r, VERIFY_MANIFEST, ARCHIVE_MANIFEST, HZ_M_ARCHIVE_V_ROUND,
             round_id ? round_id : "");
        config_free(config);
        return;
    }
    /* the archive is self-contained: never the stage folder the config
     * names on the machine that made it */
    config->stage_folder[0] = '\0';
    const char *stage_flag = archive_format_ini_get(&v->manifest, "archive", "stage");
    bool with_stage = stage_flag && !strcmp(stage_flag, "yes");
    char folder[4200], stage[4200], rel[256], srel[256];
    snprintf(rel, sizeof rel, "submissions/%s", round->id);
    snprintf(srel, sizeof srel, "submissions/stage");
    snprintf(folder, sizeof folder, "%s/%s", v->dir, rel);
    snprintf(stage, sizeof stage, "%s/%s", v->dir, srel);
    if (!fs_is_dir(folder)) {
        FIND(v->r, VERIFY_MISSING, rel, HZ_M_ARCHIVE_V_MISSING, rel);
        config_free(config);
        return;
    }
    hz_consolidate_options opt = {.threads = 2, .stage_folder = with_stage ? stage : NULL};
    hz_consolidation *cons = NULL;
    hz_error err = {0};
    if (consolidate_folder(config, round, folder, &opt, &cons, &err) != HZ_OK) {
        char why[1024];
        hz_error_render(&err, v->lang, why, sizeof why);
        FIND(v->r, VERIFY_CHECK, rel, HZ_M_ARCHIVE_V_RECONSOLIDATE, why);
        config_free(config);
        return;
    }
    recheck_files(v, cons, rel);
    if (cons->stage)
        recheck_files(v, cons->stage, srel);
    char *figures = archive_figures_text(cons);
    if (!figures)
        v->oom = true;
    else
        compare_figures(v, figures);
    free(figures);
    consolidate_free(cons);
    config_free(config);
}

/* The seal, before anything else. Returns false when a key was given and
 * the seal does not hold (its finding is recorded): nothing else is
 * examined then. */
static bool step_seal(vctx *v, const seal_public_key *key)
{
    verify_report *r = v->r;
    char path[4200], *sig_text = NULL, *sums = NULL;
    size_t sig_len = 0, sums_len = 0;
    hz_error e = {0};
    snprintf(path, sizeof path, "%s/%s", v->dir, SEAL_SIG_NAME);
    bool signed_ = fs_exists(path);
    seal_signature sig;
    hz_status parsed = HZ_ERR_NOT_FOUND;
    if (signed_ && fs_read_file(path, &sig_text, &sig_len, &e) == HZ_OK) {
        parsed = seal_parse_signature(sig_text, sig_len, SEAL_SIG_NAME, &sig, &e);
        if (parsed == HZ_OK)
            memcpy(r->seal_key, sig.key_fingerprint, sizeof r->seal_key);
    }
    free(sig_text);
    r->seal = signed_ ? VERIFY_SIGNED_UNCHECKED : VERIFY_UNSIGNED;
    if (!key)
        return true;
    r->seal = VERIFY_SEAL_FAILED;
    if (!signed_) {
        FIND(r, VERIFY_SEAL, SEAL_SIG_NAME, HZ_M_SEAL_UNSIGNED_WITH_KEY, key->fingerprint);
        return false;
    }
    if (parsed != HZ_OK) { /* unreadable, damaged or truncated */
        if (!add_finding_error(r, SEAL_SIG_NAME, &e))
            v->oom = true;
        return false;
    }
    snprintf(path, sizeof path, "%s/%s", v->dir, ARCHIVE_SUMS);
    if (fs_read_file(path, &sums, &sums_len, &e) != HZ_OK) {
        FIND(r, VERIFY_SEAL, ARCHIVE_SUMS, HZ_M_ARCHIVE_V_MISSING, ARCHIVE_SUMS);
        return false;
    }
    hz_status ok = seal_verify(key, &sig, sums, sums_len, &e);
    free(sums);
    if (ok != HZ_OK) {
        if (!add_finding_error(r, ARCHIVE_SUMS, &e))
            v->oom = true;
        return false;
    }
    r->seal = VERIFY_SEAL_VALID;
    return true;
}

hz_status verify_archive(const char *dir, hz_lang lang, verify_report *report, hz_error *err)
{
    return verify_archive_sealed(dir, lang, NULL, report, err);
}

hz_status verify_archive_sealed(const char *dir, hz_lang lang, const seal_public_key *key,
                                verify_report *report, hz_error *err)
{
    memset(report, 0, sizeof *report);
    if (!fs_is_dir(dir))
        return hz_error_set(err, HZ_ERR_IO, HZ_M_ARCHIVE_V_NOT_DIR, dir, NULL);
    vctx ctx = {.dir = dir, .lang = lang, .r = report}, *v = &ctx;
    if (!step_seal(v, key))
        return v->oom ? hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL) : HZ_OK;
    hz_status s = fs_walk(dir, collect, &v->files, err);
    if (s != HZ_OK) {
        tree_free(&v->files);
        return s;
    }

    char path[4200], *text = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, ARCHIVE_SUMS);
    hz_error ignored;
    if (!fs_exists(path)) {
        FIND(report, VERIFY_MISSING, ARCHIVE_SUMS, HZ_M_ARCHIVE_V_MISSING, ARCHIVE_SUMS);
    } else if (fs_read_file(path, &text, NULL, &ignored) != HZ_OK) {
        FIND(report, VERIFY_LIST, ARCHIVE_SUMS, HZ_M_ARCHIVE_V_UNREADABLE, ARCHIVE_SUMS, "");
    } else {
        v->sums.present = true;
        if (archive_format_sums_parse(text, &v->sums, sums_problem, report) != HZ_OK)
            v->oom = true;
        if (v->sums.count == 0)
            FIND(report, VERIFY_LIST, ARCHIVE_SUMS, HZ_M_ARCHIVE_V_SUMS_EMPTY);
    }
    free(text);
    text = NULL;
    report->files_listed = v->sums.count;
    step_files(v);

    snprintf(path, sizeof path, "%s/%s", dir, ARCHIVE_MANIFEST);
    if (fs_read_file(path, &text, NULL, &ignored) == HZ_OK) {
        if (archive_format_ini_parse(text, &v->manifest, &ignored) == HZ_OK)
            v->have_manifest = true;
        else
            v->oom = true;
    } else if (!v->sums.present || !archive_format_sums_find(&v->sums, ARCHIVE_MANIFEST)) {
        /* when listed, step_files has reported it missing already */
        FIND(report, VERIFY_MISSING, ARCHIVE_MANIFEST, HZ_M_ARCHIVE_V_MISSING, ARCHIVE_MANIFEST);
    }
    free(text);
    if (v->have_manifest) {
        step_manifest(v);
        step_reconsolidate(v);
        /* the manifest names the key the archive was sealed with */
        const char *named = archive_format_ini_get(&v->manifest, "seal", "key");
        if ((named || report->seal_key[0]) &&
            (!named || strcmp(named, report->seal_key) != 0))
            FIND(report, VERIFY_MANIFEST, ARCHIVE_MANIFEST, HZ_M_SEAL_MANIFEST_KEY,
                 named ? named : "-", report->seal_key[0] ? report->seal_key : "-");
    }

    archive_format_ini_free(&v->manifest);
    archive_format_sums_free(&v->sums);
    tree_free(&v->files);
    if (v->oom) {
        verify_report_free(report);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    return HZ_OK;
}
