/* archive.c - see archive.h. */
#define _GNU_SOURCE /* renameat2 (RENAME_NOREPLACE) */
#include "archive.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include "archive_format.h"
#include "consolidate_folder.h"
#include "display_format.h"
#include "fsutil.h"
#include "hash.h"
#include "hz_text.h"
#include "report_outputs.h"

/* Archive texts are always Chinese: the record must not depend on the
 * locale of whoever ran the command. */
#define ARCHIVE_LANG HZ_LANG_ZH

/* The five files config_load reads (config.h). */
static const char *const config_files[] = {
    "campaign.ini", "units.ini", "indicators.ini", "rules.ini", "lists.ini",
};

/* ------------------------------------------------------------ strbuf */

/* hz_buf with a sticky failure flag: a manifest or table is composed with
 * many appends and checked for out-of-memory once at the end. */
typedef struct strbuf {
    hz_buf buf;
    bool failed;
} strbuf;

static void sb_addn(strbuf *sb, const char *s, size_t n)
{
    if (!sb->failed && !hz_buf_append(&sb->buf, s, n))
        sb->failed = true;
}

static void sb_add(strbuf *sb, const char *s)
{
    sb_addn(sb, s, strlen(s));
}

static void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(strbuf *sb, const char *fmt, ...)
{
    if (sb->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (!hz_buf_vprintf(&sb->buf, fmt, ap))
        sb->failed = true;
    va_end(ap);
}

/* key = "value" with characters an INI line cannot hold replaced. */
static void sb_ini_string(strbuf *sb, const char *key, const char *value)
{
    sb_printf(sb, "%s = \"", key);
    for (const unsigned char *p = (const unsigned char *)(value ? value : ""); *p; p++) {
        char c = (char)(*p < 0x20 || *p == 0x7f || *p == '"' ? '_' : *p);
        sb_addn(sb, &c, 1);
    }
    sb_add(sb, "\"\n");
}

/* One CSV field (RFC 4180 quoting when needed). */
static void sb_csv(strbuf *sb, const char *value, bool last)
{
    const char *v = value ? value : "";
    if (strpbrk(v, ",\"\r\n")) {
        sb_add(sb, "\"");
        for (const char *p = v; *p; p++) {
            if (*p == '"')
                sb_add(sb, "\"");
            sb_addn(sb, p, 1);
        }
        sb_add(sb, "\"");
    } else {
        sb_add(sb, v);
    }
    sb_add(sb, last ? "\r\n" : ",");
}

/* ------------------------------------------------------------ figures */

static void figures_add_cases(strbuf *sb, const hz_case_figures *f)
{
    char a[64];
    sb_printf(sb, "cases_filed = %" PRId64 "\n", f->filed);
    sb_printf(sb, "cases_closed = %" PRId64 "\n", f->closed);
    sb_printf(sb, "transferred = %" PRId64 "\n", f->transferred);
    sb_printf(sb, "typical = %" PRId64 "\n", f->typical);
    sb_printf(sb, "amount = \"%s\"\n", hz_amount_format(f->amount, 4, false, a, sizeof a));
    sb_printf(sb, "fine = \"%s\"\n", hz_amount_format(f->fine, 4, false, a, sizeof a));
}

static void figures_add_units(strbuf *sb, const hz_consolidation *cons)
{
    char r[32];
    sb_printf(sb, "expected_units = %zu\n", cons->unit_count);
    sb_printf(sb, "accepted_units = %zu\n", cons->accepted_units);
    sb_printf(sb, "on_time_units = %zu\n", cons->on_time_units);
    sb_printf(sb, "late_units = %zu\n", cons->late_units);
    sb_printf(sb, "missing_units = %zu\n", cons->missing_units);
    sb_printf(sb, "completeness = \"%s\"\n",
              display_format_rate(cons->accepted_units, cons->unit_count, r, sizeof r));
    sb_printf(sb, "timeliness = \"%s\"\n",
              display_format_rate(cons->on_time_units, cons->unit_count, r, sizeof r));
}

char *archive_figures_text(const hz_consolidation *cons)
{
    strbuf sb = {0};
    sb_add(&sb, "[totals]\n");
    figures_add_units(&sb, cons);
    figures_add_cases(&sb, &cons->total);
    sb_add(&sb, "\n[indicators]\n");
    for (size_t i = 0; i < cons->config->indicator_count; i++) {
        const hz_indicator *ind = &cons->config->indicators[i];
        char v[64] = "";
        if (cons->present[i])
            hz_amount_format(cons->values[i], ind->type == HZ_VALUE_AMOUNT ? 4 : 0, false, v,
                             sizeof v);
        sb_ini_string(&sb, ind->code, v);
    }
    if (cons->stage) {
        sb_add(&sb, "\n[stage]\n");
        figures_add_units(&sb, cons->stage);
        figures_add_cases(&sb, &cons->stage->total);
    }
    if (sb.failed) {
        free(sb.buf.data);
        return NULL;
    }
    return sb.buf.data;
}

/* ------------------------------------------------------------ the builder */

/* One archived return, for the manifest and receipts.csv. */
typedef struct arc_sub {
    const hz_consolidation *cons;
    const hz_cons_file *file;
    char rel[512];                 /* submissions/<round>/<canonical name> */
} arc_sub;

typedef struct arc {
    const hz_config *config;
    const archive_options *opt;
    const hz_consolidation *cons;
    char target[4096];             /* normalised, no trailing slash */
    char name[1024];               /* base name of target */
    char parent[4096];
    char staging[4200];            /* parent/.NAME.tmp-XXXXXX */
    char root[8192];               /* staging/NAME */
    char zip_tmp[8192];            /* staging/NAME.zip */
    int lock_fd;
    long written;                  /* files written into root */
    bool signalled;                /* the test switch's signal was sent */
    arc_sub *subs;
    size_t sub_count;
    char report_base[1024];
} arc;

/* Test switch: called after each file written (and once before the
 * first). */
static hz_status arc_tick(arc *a, bool count, hz_error *err)
{
    if (count)
        a->written++;
    if (a->opt->fail_after >= 0 && a->written >= a->opt->fail_after) {
        if (a->opt->fail_signal) {
            if (!a->signalled) {
                a->signalled = true;
                raise(a->opt->fail_signal);
            }
            return HZ_OK;
        }
        char n[32];
        snprintf(n, sizeof n, "%ld", a->written);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_ARCHIVE_INJECTED, "HUIZONG_FAIL_AFTER", n, NULL);
    }
    return HZ_OK;
}

static hz_status arc_path(const arc *a, const char *rel, char *buf, size_t size, hz_error *err)
{
    int n = snprintf(buf, size, "%s/%s", a->root, rel);
    if (n < 0 || (size_t)n >= size)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, rel, strerror(ENAMETOOLONG), NULL);
    return HZ_OK;
}

static hz_status arc_mkdir(arc *a, const char *rel, hz_error *err)
{
    char path[16384];
    hz_status s = arc_path(a, rel, path, sizeof path, err);
    if (s == HZ_OK && mkdir(path, 0755) != 0)
        s = hz_error_set(err, HZ_ERR_IO, HZ_M_IO_MKDIR, path, strerror(errno), NULL);
    return s;
}

static hz_status arc_write(arc *a, const char *rel, const void *data, size_t len, hz_error *err)
{
    char path[16384];
    hz_status s = arc_path(a, rel, path, sizeof path, err);
    if (s == HZ_OK)
        s = fs_write_atomic(path, data, len, err);
    if (s == HZ_OK)
        s = arc_tick(a, true, err);
    return s;
}

/* Copies src into the archive; when sha256 is given the bytes copied must
 * still have that hash (the file must not change between check and copy). */
static hz_status arc_copy(arc *a, const char *src, const char *rel, const char *sha256,
                          hz_error *err)
{
    char *data = NULL;
    size_t len = 0;
    hz_status s = fs_read_file(src, &data, &len, err);
    if (s != HZ_OK)
        return s;
    if (sha256 && *sha256) {
        char hex[65];
        hash_buffer_sha256(data, len, hex);
        if (strcmp(hex, sha256) != 0) {
            free(data);
            return hz_error_set(err, HZ_ERR_IO, HZ_M_ARCHIVE_V_MODIFIED, src, sha256, hex, NULL);
        }
    }
    s = arc_write(a, rel, data, len, err);
    free(data);
    return s;
}

static hz_status arc_reports(arc *a, hz_error *err)
{
    hz_status s = arc_mkdir(a, "reports", err);
    if (s != HZ_OK)
        return s;
    report_outputs_base_name(a->config, a->opt->round, true, a->report_base,
                             sizeof a->report_base);
    char validation[16384], context[16384], xlsx[16384], pdf[16384], rel[2048];
    arc_path(a, "validation.json", validation, sizeof validation, err);
    arc_path(a, "reports/context.json", context, sizeof context, err);
    snprintf(rel, sizeof rel, "reports/%s.xlsx", a->report_base);
    if ((s = arc_path(a, rel, xlsx, sizeof xlsx, err)) != HZ_OK)
        return s;
    snprintf(rel, sizeof rel, "reports/%s.pdf", a->report_base);
    if ((s = arc_path(a, rel, pdf, sizeof pdf, err)) != HZ_OK)
        return s;
    report_outputs_spec spec = {
        .lang = ARCHIVE_LANG, .as_of = a->opt->as_of, .final = true,
        .template_dir = a->opt->template_dir, .base_names = true,
    };
    /* one output per call, so the test switch can stop between them */
    const report_outputs_paths steps[] = {
        {.validation = validation}, {.context = context}, {.xlsx = xlsx}, {.pdf = pdf},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        s = report_outputs_write(a->cons, &spec, &steps[i], NULL, NULL, err);
        if (s == HZ_OK)
            s = arc_tick(a, true, err);
        if (s != HZ_OK)
            return s;
    }
    return HZ_OK;
}

static hz_status arc_submissions_of(arc *a, const hz_consolidation *cons, hz_error *err)
{
    char rel[512];
    snprintf(rel, sizeof rel, "submissions/%s", cons->round->id);
    hz_status s = arc_mkdir(a, rel, err);
    for (size_t i = 0; i < cons->file_count && s == HZ_OK; i++) {
        const hz_cons_file *f = &cons->files[i];
        if (f->status != HZ_FILE_ACCEPTED && f->status != HZ_FILE_SUPERSEDED)
            continue;
        const hz_submission *sub = &f->check->sub;
        const char *code = sub->unit ? sub->unit->code : sub->header.text[HZ_H_UNIT_CODE];
        char name[256];
        archive_format_submission_name(code, cons->round->id, f->version, name, sizeof name);
        arc_sub *as = &a->subs[a->sub_count];
        as->cons = cons;
        as->file = f;
        snprintf(as->rel, sizeof as->rel, "submissions/%s/%s", cons->round->id, name);
        if (!archive_format_path_is_safe(as->rel))
            return hz_error_set(err, HZ_ERR_IO, HZ_M_ARCHIVE_UNSAFE_NAME, as->rel, NULL);
        for (size_t k = 0; k < a->sub_count; k++)
            if (!strcmp(a->subs[k].rel, as->rel))
                return hz_error_set(err, HZ_ERR_INTERNAL, HZ_M_ARCHIVE_NAME_CLASH, as->rel, NULL);
        s = arc_copy(a, f->path, as->rel, sub->sha256, err);
        a->sub_count++;
    }
    if (s == HZ_OK && cons->receipts.present) {
        char src[4200], dst[600];
        snprintf(src, sizeof src, "%s/receipts.ini", cons->folder);
        snprintf(dst, sizeof dst, "submissions/%s/receipts.ini", cons->round->id);
        s = arc_copy(a, src, dst, NULL, err);
    }
    return s;
}

static hz_status arc_submissions(arc *a, hz_error *err)
{
    size_t n = a->cons->file_count + (a->cons->stage ? a->cons->stage->file_count : 0);
    a->subs = calloc(n ? n : 1, sizeof *a->subs);
    if (!a->subs)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    hz_status s = arc_mkdir(a, "submissions", err);
    if (s == HZ_OK)
        s = arc_submissions_of(a, a->cons, err);
    if (s == HZ_OK && a->cons->stage)
        s = arc_submissions_of(a, a->cons->stage, err);
    return s;
}

static hz_status arc_config(arc *a, hz_error *err)
{
    hz_status s = arc_mkdir(a, "config", err);
    if (s == HZ_OK)
        s = arc_mkdir(a, "config/templates", err);
    for (size_t i = 0; s == HZ_OK && i < sizeof config_files / sizeof config_files[0]; i++) {
        char src[4200], rel[128];
        snprintf(src, sizeof src, "%s/%s", a->config->dir, config_files[i]);
        snprintf(rel, sizeof rel, "config/%s", config_files[i]);
        s = arc_copy(a, src, rel, NULL, err);
    }
    if (s == HZ_OK) {
        char tpl[4200];
        report_outputs_template_path(a->opt->template_dir, a->opt->round, true, tpl, sizeof tpl);
        s = arc_copy(a, tpl, "config/templates/final.md", NULL, err);
    }
    /* the city's narrative file, where the archived campaign.ini finds it */
    const hz_report_settings *rs = &a->config->report;
    if (s == HZ_OK && rs->narrative_text) {
        char rel[600];
        snprintf(rel, sizeof rel, "config/%s", rs->narrative_name);
        s = arc_write(a, rel, rs->narrative_text, strlen(rs->narrative_text), err);
    }
    return s;
}

/* The archived name of file f, "" when it was not archived. */
static const char *arc_rel_of(const arc *a, const hz_cons_file *f)
{
    for (size_t i = 0; i < a->sub_count; i++)
        if (a->subs[i].file == f)
            return a->subs[i].rel;
    return "";
}

static void receipts_rows(const arc *a, const hz_consolidation *cons, strbuf *sb)
{
    char buf[256], recv[64], late[32], ver[32];
    for (size_t u = 0; u < cons->unit_count; u++) {
        const hz_cons_unit *cu = &cons->units[u];
        const hz_cons_file *f = cu->file != HZ_NONE_INDEX ? &cons->files[cu->file] : NULL;
        sb_csv(sb, cu->unit->code, false);
        sb_csv(sb, cu->unit->name, false);
        sb_csv(sb, cons->round->name, false);
        sb_csv(sb, f ? display_format_file_status_text(f->status, ARCHIVE_LANG) : "", false);
        sb_csv(sb, display_format_unit_status_text(cu, ARCHIVE_LANG, buf, sizeof buf), false);
        sb_csv(sb, display_format_receipt(cu, recv, sizeof recv), false);
        sb_csv(sb, !cu->has_receipt ? ""
                   : hz_msg_text(ARCHIVE_LANG, cu->receipt_from_register
                                                   ? HZ_M_CONSOLIDATE_SOURCE_REGISTER
                                                   : HZ_M_CONSOLIDATE_SOURCE_FILL_DATE),
               false);
        snprintf(late, sizeof late, "%d", cu->days_late > 0 ? cu->days_late : 0);
        sb_csv(sb, late, false);
        sb_csv(sb, f ? f->name : "", false);
        snprintf(ver, sizeof ver, "%d", f ? f->version : 0);
        sb_csv(sb, f ? ver : "", false);
        sb_csv(sb, f ? arc_rel_of(a, f) : "", false);
        sb_csv(sb, f ? f->check->sub.sha256 : "", false);
        sb_csv(sb, "", true);
    }
    /* then every other entry of the folder, in folder order */
    for (size_t i = 0; i < cons->file_count; i++) {
        const hz_cons_file *f = &cons->files[i];
        if (f->status == HZ_FILE_ACCEPTED)
            continue;
        const hz_cons_unit *cu = f->unit != HZ_NONE_INDEX ? &cons->units[f->unit] : NULL;
        char reason[1024];
        hz_msg_formatv(ARCHIVE_LANG, f->reason, reason, sizeof reason,
                       f->reason_arg ? f->reason_arg : "", NULL);
        sb_csv(sb, cu ? cu->unit->code : "", false);
        sb_csv(sb, cu ? cu->unit->name : "", false);
        sb_csv(sb, cons->round->name, false);
        sb_csv(sb, display_format_file_status_text(f->status, ARCHIVE_LANG), false);
        for (int k = 0; k < 4; k++)
            sb_csv(sb, "", false);
        sb_csv(sb, f->name, false);
        snprintf(ver, sizeof ver, "%d", f->version);
        sb_csv(sb, f->version > 0 ? ver : "", false);
        sb_csv(sb, arc_rel_of(a, f), false);
        sb_csv(sb, f->check ? f->check->sub.sha256 : "", false);
        sb_csv(sb, reason, true);
    }
}

static hz_status arc_receipts(arc *a, hz_error *err)
{
    strbuf sb = {0};
    sb_add(&sb, "\xEF\xBB\xBF"); /* so that Excel and WPS read it as UTF-8 */
    sb_add(&sb, hz_msg_text(ARCHIVE_LANG, HZ_M_ARCHIVE_CSV_HEAD));
    sb_add(&sb, "\r\n");
    receipts_rows(a, a->cons, &sb);
    if (a->cons->stage)
        receipts_rows(a, a->cons->stage, &sb);
    hz_status s = sb.failed ? hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL)
                            : arc_write(a, "receipts.csv", sb.buf.data, sb.buf.len, err);
    free(sb.buf.data);
    return s;
}

/* ---- walking the built tree ---- */

typedef struct rel_list {
    char **items;
    size_t count, cap;
} rel_list;

static void rel_list_free(rel_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static hz_status collect(void *user, const char *rel, fs_entry_kind kind, hz_error *err)
{
    (void)kind;
    rel_list *out = user;
    if (!hz_array_reserve(&out->items, &out->cap, out->count + 1, sizeof *out->items))
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    if (!(out->items[out->count] = strdup(rel)))
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    out->count++;
    return HZ_OK;
}

static hz_status arc_manifest(arc *a, hz_error *err)
{
    rel_list files = {0};
    hz_status s = fs_walk(a->root, collect, &files, err);
    if (s != HZ_OK)
        return s;
    size_t file_total = files.count + 1; /* + manifest.ini itself */
    rel_list_free(&files);

    const hz_consolidation *c = a->cons;
    size_t st[4] = {0}, sst[4] = {0};
    for (size_t i = 0; i < c->file_count; i++)
        st[c->files[i].status]++;
    if (c->stage)
        for (size_t i = 0; i < c->stage->file_count; i++)
            sst[c->stage->files[i].status]++;

    char d[32], n[32];
    strbuf sb = {0};
    sb_printf(&sb, "; %s\n", hz_msg_text(ARCHIVE_LANG, HZ_M_ARCHIVE_MANIFEST_HEAD));
    sb_add(&sb, "[archive]\n");
    sb_printf(&sb, "format = %d\n", ARCHIVE_FORMAT_VERSION);
    sb_ini_string(&sb, "campaign", a->config->name);
    sb_ini_string(&sb, "authority", a->config->authority);
    sb_printf(&sb, "year = %d\n", a->config->year);
    sb_ini_string(&sb, "round", c->round->id);
    sb_ini_string(&sb, "round_name", c->round->name);
    sb_ini_string(&sb, "stage", c->stage ? "yes" : "no");
    sb_ini_string(&sb, "as_of", hz_date_format(a->opt->as_of, d, sizeof d));
    sb_ini_string(&sb, "deadline", hz_date_format(c->deadline, d, sizeof d));
    sb_ini_string(&sb, "huizong_version", HZ_VERSION);
    sb_ini_string(&sb, "report_title", a->config->report.title);

    sb_add(&sb, "\n[counts]\n");
    sb_printf(&sb, "files = %zu\n", file_total);
    sb_printf(&sb, "submissions = %zu\n", a->sub_count);
    sb_printf(&sb, "config_files = %zu\n", sizeof config_files / sizeof config_files[0] + 1 +
                                               (a->config->report.narrative_text != NULL));
    sb_printf(&sb, "folder_entries = %zu\n", c->file_count);
    sb_printf(&sb, "accepted = %zu\n", st[HZ_FILE_ACCEPTED]);
    sb_printf(&sb, "superseded = %zu\n", st[HZ_FILE_SUPERSEDED]);
    sb_printf(&sb, "rejected = %zu\n", st[HZ_FILE_REJECTED]);
    sb_printf(&sb, "ignored = %zu\n", st[HZ_FILE_IGNORED]);
    if (c->stage) {
        sb_printf(&sb, "stage_folder_entries = %zu\n", c->stage->file_count);
        sb_printf(&sb, "stage_accepted = %zu\n", sst[HZ_FILE_ACCEPTED]);
        sb_printf(&sb, "stage_superseded = %zu\n", sst[HZ_FILE_SUPERSEDED]);
        sb_printf(&sb, "stage_rejected = %zu\n", sst[HZ_FILE_REJECTED]);
        sb_printf(&sb, "stage_ignored = %zu\n", sst[HZ_FILE_IGNORED]);
    }

    if (a->opt->sign_key) {
        sb_add(&sb, "\n[seal]\n");
        sb_ini_string(&sb, "algorithm", "ed25519");
        sb_ini_string(&sb, "key", a->opt->sign_key->pub.fingerprint);
        sb_ini_string(&sb, "signature", SEAL_SIG_NAME);
    }

    sb_add(&sb, "\n[reports]\n");
    char rel[2048];
    snprintf(rel, sizeof rel, "reports/%s.pdf", a->report_base);
    sb_ini_string(&sb, "pdf", rel);
    snprintf(rel, sizeof rel, "reports/%s.xlsx", a->report_base);
    sb_ini_string(&sb, "xlsx", rel);
    sb_ini_string(&sb, "context", "reports/context.json");
    sb_ini_string(&sb, "validation", "validation.json");
    sb_ini_string(&sb, "receipts", "receipts.csv");
    sb_add(&sb, "\n");

    char *figures = archive_figures_text(c);
    if (!figures)
        sb.failed = true;
    else
        sb_add(&sb, figures);
    free(figures);

    for (size_t i = 0; i < a->sub_count; i++) {
        const arc_sub *as = &a->subs[i];
        const hz_submission *sub = &as->file->check->sub;
        sb_printf(&sb, "\n[submission.%zu]\n", i + 1);
        sb_ini_string(&sb, "path", as->rel);
        sb_ini_string(&sb, "unit", sub->unit ? sub->unit->code : sub->header.text[HZ_H_UNIT_CODE]);
        sb_ini_string(&sb, "unit_name", sub->unit ? sub->unit->name : "");
        sb_ini_string(&sb, "round", as->cons->round->id);
        sb_printf(&sb, "version = %d\n", as->file->version);
        sb_ini_string(&sb, "status", display_format_file_status_name(as->file->status));
        sb_ini_string(&sb, "original_name", as->file->name);
        sb_ini_string(&sb, "sha256", sub->sha256);
        sb_printf(&sb, "size = %" PRIu64 "\n", sub->size);
        sb_ini_string(&sb, "fill_date", hz_date_format(sub->header.fill_date, d, sizeof d));
        sb_printf(&sb, "cases = %zu\n", sub->case_count);
        sb_printf(&sb, "errors = %zu\n", as->file->check->counts.errors);
        sb_printf(&sb, "warnings = %zu\n", as->file->check->counts.warnings);
    }
    (void)n;
    s = sb.failed ? hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL)
                  : arc_write(a, ARCHIVE_MANIFEST, sb.buf.data, sb.buf.len, err);
    free(sb.buf.data);
    return s;
}

static hz_status arc_sums(arc *a, size_t *count, hz_error *err)
{
    rel_list files = {0};
    hz_status s = fs_walk(a->root, collect, &files, err);
    if (s != HZ_OK)
        return s;
    qsort(files.items, files.count, sizeof *files.items, cmp_str);
    strbuf sb = {0};
    for (size_t i = 0; s == HZ_OK && i < files.count; i++) {
        if (!archive_format_path_is_safe(files.items[i])) {
            s = hz_error_set(err, HZ_ERR_IO, HZ_M_ARCHIVE_UNSAFE_NAME, files.items[i], NULL);
            break;
        }
        char path[16384], hex[65];
        if ((s = arc_path(a, files.items[i], path, sizeof path, err)) != HZ_OK)
            break;
        if ((s = hash_file_sha256(path, hex, NULL, err)) != HZ_OK)
            break;
        sb_printf(&sb, "%s  %s\n", hex, files.items[i]);
    }
    *count = files.count;
    rel_list_free(&files);
    if (s == HZ_OK)
        s = sb.failed ? hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL)
                      : arc_write(a, ARCHIVE_SUMS, sb.buf.data, sb.buf.len, err);
    if (s == HZ_OK && a->opt->sign_key) {
        /* the seal: only the key can vouch for SHA256SUMS itself */
        char *sig = seal_sign_text(a->opt->sign_key, sb.buf.data, sb.buf.len);
        s = sig ? arc_write(a, SEAL_SIG_NAME, sig, strlen(sig), err)
                : hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        free(sig);
    }
    free(sb.buf.data);
    return s;
}

/* ---- zip ---- */

static hz_status arc_zip(arc *a, hz_error *err)
{
    rel_list files = {0};
    hz_status s = fs_walk(a->root, collect, &files, err);
    if (s != HZ_OK)
        return s;
    qsort(files.items, files.count, sizeof *files.items, cmp_str);
    int zerr = 0;
    zip_t *za = zip_open(a->zip_tmp, ZIP_CREATE | ZIP_EXCL, &zerr);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        s = hz_error_set(err, HZ_ERR_IO, HZ_M_ARCHIVE_ZIP, a->zip_tmp, zip_error_strerror(&ze),
                         NULL);
        zip_error_fini(&ze);
        rel_list_free(&files);
        return s;
    }
    int y, m, d;
    hz_date_to_ymd(a->opt->as_of, &y, &m, &d);
    if (y < 1980)
        y = 1980, m = 1, d = 1;
    if (y > 2107)
        y = 2107, m = 12, d = 31;
    zip_uint16_t dosdate = (zip_uint16_t)(((y - 1980) << 9) | (m << 5) | d), dostime = 0;
    rel_list dirs = {0};
    const char *why = NULL;
    for (size_t i = 0; i < files.count && !why; i++) {
        /* every folder before the files in it, once */
        char entry[8192];
        snprintf(entry, sizeof entry, "%s/%s", a->name, files.items[i]);
        for (char *p = strchr(entry, '/'); p && !why; p = strchr(p + 1, '/')) {
            *p = '\0';
            bool seen = false;
            for (size_t k = 0; k < dirs.count && !seen; k++)
                seen = !strcmp(dirs.items[k], entry);
            if (!seen) {
                zip_int64_t idx = zip_dir_add(za, entry, ZIP_FL_ENC_UTF_8);
                if (idx < 0 || zip_file_set_dostime(za, (zip_uint64_t)idx, dostime, dosdate, 0) ||
                    zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                                     (zip_uint32_t)(040755) << 16))
                    why = zip_strerror(za);
                if (!hz_array_reserve(&dirs.items, &dirs.cap, dirs.count + 1,
                                      sizeof *dirs.items) ||
                    !(dirs.items[dirs.count] = strdup(entry)))
                    why = strerror(ENOMEM);
                else
                    dirs.count++;
            }
            *p = '/';
        }
        if (why)
            break;
        char path[16384];
        char *data = NULL;
        size_t len = 0;
        if (arc_path(a, files.items[i], path, sizeof path, err) != HZ_OK ||
            fs_read_file(path, &data, &len, err) != HZ_OK) {
            why = strerror(EIO);
            break;
        }
        zip_source_t *src = zip_source_buffer(za, data, len, 1); /* libzip frees data */
        if (!src) {
            free(data);
            why = zip_strerror(za);
            break;
        }
        zip_int64_t idx = zip_file_add(za, entry, src, ZIP_FL_ENC_UTF_8);
        if (idx < 0) {
            zip_source_free(src);
            why = zip_strerror(za);
            break;
        }
        if (zip_file_set_dostime(za, (zip_uint64_t)idx, dostime, dosdate, 0) ||
            zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                             (zip_uint32_t)(0100644) << 16) ||
            zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9))
            why = zip_strerror(za);
    }
    if (why) {
        s = hz_error_set(err, HZ_ERR_IO, HZ_M_ARCHIVE_ZIP, a->zip_tmp, why, NULL);
        zip_discard(za);
    } else if (zip_close(za) != 0) {
        s = hz_error_set(err, HZ_ERR_IO, HZ_M_ARCHIVE_ZIP, a->zip_tmp, zip_strerror(za), NULL);
        zip_discard(za);
    }
    rel_list_free(&dirs);
    rel_list_free(&files);
    return s;
}

/* ---- staging, locking, commit ---- */

/* Removes staging folders ".NAME.tmp-XXXXXX" in parent that no live run
 * holds locked (a killed run's leftovers). */
static hz_status arc_clean_stale(arc *a, archive_result *result, hz_error *err)
{
    fs_listing list;
    hz_status s = fs_list_dir(a->parent, &list, err);
    if (s != HZ_OK)
        return s;
    char prefix[1100];
    snprintf(prefix, sizeof prefix, ".%s.tmp-", a->name);
    size_t plen = strlen(prefix);
    for (size_t i = 0; s == HZ_OK && i < list.count; i++) {
        const fs_entry *e = &list.items[i];
        if (e->kind != FS_DIR || strncmp(e->name, prefix, plen) || strlen(e->name) != plen + 6)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", a->parent, e->name);
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            continue;
        bool free_to_take = flock(fd, LOCK_EX | LOCK_NB) == 0;
        if (free_to_take) {
            s = fs_remove_tree(path, err);
            if (s == HZ_OK) {
                if (hz_array_reserve(&result->stale, &result->stale_cap, result->stale_count + 1,
                                     sizeof *result->stale) &&
                    (result->stale[result->stale_count] = strdup(path)))
                    result->stale_count++;
            }
        }
        close(fd);
    }
    fs_listing_free(&list);
    return s;
}

/* rename without replacing an existing target (even an empty folder). */
static int rename_noreplace(const char *from, const char *to)
{
#ifdef RENAME_NOREPLACE
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
#endif
    /* the file system cannot refuse for us: check, then rename */
    if (fs_exists(to)) {
        errno = EEXIST;
        return -1;
    }
    return rename(from, to);
}

static void fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static hz_status arc_sync_tree(arc *a, const char *rel, hz_error *err)
{
    char dir[16384];
    snprintf(dir, sizeof dir, "%s%s%s", a->root, *rel ? "/" : "", rel);
    fs_listing list;
    hz_status s = fs_list_dir(dir, &list, err);
    for (size_t i = 0; s == HZ_OK && i < list.count; i++) {
        if (list.items[i].kind != FS_DIR)
            continue;
        char child[4096];
        snprintf(child, sizeof child, "%s%s%s", rel, *rel ? "/" : "", list.items[i].name);
        s = arc_sync_tree(a, child, err);
    }
    fs_listing_free(&list);
    fsync_dir(dir);
    return s;
}

static hz_status arc_commit(arc *a, archive_result *result, hz_error *err)
{
    if (rename_noreplace(a->root, a->target) != 0) {
        int e = errno;
        if (e == EEXIST || e == ENOTEMPTY)
            return hz_error_set(err, HZ_ERR_IO, HZ_M_ARCHIVE_EXISTS, a->target, NULL);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_RENAME, a->root, a->target, strerror(e),
                            NULL);
    }
    if (a->opt->zip) {
        char zip[4200];
        snprintf(zip, sizeof zip, "%s.zip", a->target);
        if (rename_noreplace(a->zip_tmp, zip) != 0) {
            int e = errno;
            /* the folder alone would be a partial result: take it back */
            hz_error ignored;
            fs_remove_tree(a->target, &ignored);
            if (e == EEXIST)
                return hz_error_set(err, HZ_ERR_IO, HZ_M_ARCHIVE_EXISTS, zip, NULL);
            return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_RENAME, a->zip_tmp, zip, strerror(e),
                                NULL);
        }
        result->zip_path = strdup(zip);
    }
    fsync_dir(a->parent);
    return HZ_OK;
}

static hz_status arc_build(arc *a, archive_result *result, hz_error *err)
{
    hz_status s = arc_tick(a, false, err);
    if (s == HZ_OK && mkdir(a->root, 0755) != 0)
        s = hz_error_set(err, HZ_ERR_IO, HZ_M_IO_MKDIR, a->root, strerror(errno), NULL);
    if (s == HZ_OK)
        s = arc_reports(a, err);
    if (s == HZ_OK)
        s = arc_submissions(a, err);
    if (s == HZ_OK)
        s = arc_config(a, err);
    if (s == HZ_OK)
        s = arc_receipts(a, err);
    if (s == HZ_OK)
        s = arc_manifest(a, err);
    size_t listed = 0;
    if (s == HZ_OK)
        s = arc_sums(a, &listed, err);
    if (s == HZ_OK)
        s = arc_sync_tree(a, "", err);
    if (s == HZ_OK && a->opt->zip)
        s = arc_zip(a, err);
    if (s == HZ_OK)
        s = arc_commit(a, result, err);
    if (s == HZ_OK) {
        result->file_count = listed;
        result->submission_count = a->sub_count;
    }
    return s;
}

hz_status archive_create(const hz_config *config, const archive_options *opt,
                         archive_result *result, hz_error *err)
{
    memset(result, 0, sizeof *result);
    arc a = {.config = config, .opt = opt, .lock_fd = -1};

    /* target: no trailing slash; a real name */
    size_t tn = strlen(opt->target);
    while (tn > 1 && opt->target[tn - 1] == '/')
        tn--;
    if (tn == 0 || tn >= sizeof a.target)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_IO_MKDIR, opt->target,
                            strerror(ENAMETOOLONG), NULL);
    memcpy(a.target, opt->target, tn);
    a.target[tn] = '\0';
    const char *base = fs_base_name(a.target);
    if (!*base || !strcmp(base, ".") || !strcmp(base, "..") || strlen(base) >= sizeof a.name)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_ARCHIVE_EXISTS, a.target, NULL);
    snprintf(a.name, sizeof a.name, "%s", base);
    if (base == a.target)
        snprintf(a.parent, sizeof a.parent, ".");
    else if (base == a.target + 1)
        snprintf(a.parent, sizeof a.parent, "/");
    else
        snprintf(a.parent, sizeof a.parent, "%.*s", (int)(base - a.target - 1), a.target);

    /* write-once: refuse before reading or writing anything */
    if (fs_exists(a.target))
        return hz_error_set(err, HZ_ERR_IO, HZ_M_ARCHIVE_EXISTS, a.target, NULL);
    if (opt->zip) {
        char zip[4200];
        snprintf(zip, sizeof zip, "%s.zip", a.target);
        if (fs_exists(zip))
            return hz_error_set(err, HZ_ERR_IO, HZ_M_ARCHIVE_EXISTS, zip, NULL);
    }

    hz_consolidation *cons = NULL;
    hz_consolidate_options copt = {
        .threads = 2, .stage_folder = opt->stage_folder,
        .progress = opt->progress, .progress_user = opt->progress_user,
    };
    hz_status s = consolidate_folder(config, opt->round, opt->folder, &copt, &cons, err);
    if (s != HZ_OK)
        return s;
    a.cons = cons;
    if (cons->accepted_units == 0) {
        consolidate_free(cons);
        return hz_error_set(err, HZ_ERR_INVALID, HZ_M_ARCHIVE_NONE_ACCEPTED, NULL);
    }

    s = fs_mkdir_p(a.parent, err);
    if (s == HZ_OK)
        s = arc_clean_stale(&a, result, err);
    if (s == HZ_OK)
        s = fs_temp_dir_beside(a.target, a.staging, sizeof a.staging, err);
    if (s == HZ_OK) {
        /* held until the end: tells later runs this folder is in use */
        a.lock_fd = open(a.staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (a.lock_fd < 0 || flock(a.lock_fd, LOCK_EX | LOCK_NB) != 0)
            s = hz_error_set(err, HZ_ERR_IO, HZ_M_IO_OPEN, a.staging, strerror(errno), NULL);
        snprintf(a.root, sizeof a.root, "%s/%s", a.staging, a.name);
        snprintf(a.zip_tmp, sizeof a.zip_tmp, "%s/%s.zip", a.staging, a.name);
        if (s == HZ_OK)
            s = arc_build(&a, result, err);
        hz_error ignored;
        fs_remove_tree(a.staging, &ignored); /* everything, or what is left */
        if (a.lock_fd >= 0)
            close(a.lock_fd);
    }
    if (s == HZ_OK) {
        result->path = strdup(a.target);
        result->expected_units = cons->unit_count;
        result->accepted_units = cons->accepted_units;
        result->cases_filed = cons->total.filed;
        result->amount = cons->total.amount;
    }
    free(a.subs);
    consolidate_free(cons);
    return s;
}

void archive_result_free(archive_result *result)
{
    if (!result)
        return;
    free(result->path);
    free(result->zip_path);
    for (size_t i = 0; i < result->stale_count; i++)
        free(result->stale[i]);
    free(result->stale);
    memset(result, 0, sizeof *result);
}
