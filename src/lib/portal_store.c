/* portal_store.c - the round folder the portal fills, with its receipts. */
#include "portal_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "consolidate.h"
#include "fsutil.h"
#include "hz_text.h"

#define RECEIPTS_FILE "receipts.ini"

const char *portal_offset_text(int off, char *buf, size_t size)
{
    int a = off < 0 ? -off : off;
    snprintf(buf, size, "%c%02d:%02d", off < 0 ? '-' : '+', a / 60, a % 60);
    return buf;
}

const char *portal_local_time(time_t t, int off, char *buf, size_t size, hz_date *date)
{
    time_t local = t + (time_t)off * 60;
    struct tm tm;
    gmtime_r(&local, &tm);
    /* every field reduced to its printed width, so that the 20 bytes of
     * "YYYY-MM-DD HH:MM:SS" always hold it (gmtime_r gives these ranges) */
    snprintf(buf, size, "%04u-%02u-%02u %02u:%02u:%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
             (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
             (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u);
    if (date)
        *date = hz_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return buf;
}

bool portal_parse_local_time(const char *text, int off, time_t *out)
{
    int y, mo, d, h, mi, s = 0, used = 0, more = 0;
    if (sscanf(text, "%d-%d-%d %d:%d%n", &y, &mo, &d, &h, &mi, &used) != 5)
        return false;
    if (text[used] == ':' && sscanf(text + used, ":%d%n", &s, &more) == 1)
        used += more;
    while (text[used] == ' ')
        used++;
    if (text[used])
        return false;
    hz_date date = hz_date_from_ymd(y, mo, d);
    if (date == HZ_DATE_NONE || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
        return false;
    *out = (time_t)date * 86400 + h * 3600 + mi * 60 + s - (time_t)off * 60;
    return true;
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

/* Makes a rename inside dir durable before the answer goes out. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* ------------------------------------------------------------ receipts */

static bool parse_upload_line(const char *key, const char *value, portal_upload *u)
{
    memset(u, 0, sizeof *u);
    char date[16], time_of_day[16], offset[16], sha[80];
    if (sscanf(value, "%15s %15s %15s version=%d sha256=%79s", date, time_of_day, offset,
               &u->workbook_version, sha) != 5 ||
        strlen(sha) != 64 || strlen(key) >= sizeof u->name)
        return false;
    snprintf(u->received, sizeof u->received, "%s %s", date, time_of_day);
    memcpy(u->sha256, sha, 65);
    snprintf(u->name, sizeof u->name, "%s", key);
    const char *dash = strchr(key, '-');
    if (!dash || (size_t)(dash - key) >= sizeof u->unit)
        return false;
    memcpy(u->unit, key, (size_t)(dash - key));
    const char *v = strrchr(key, 'v');
    if (!v || sscanf(v, "v%d.xlsx", &u->server_version) != 1)
        return false;
    return true;
}

static bool is_upload_unit(const portal_store *st, const char *code)
{
    for (size_t i = 0; i < st->upload_count; i++)
        if (!strcmp(st->uploads[i].unit, code))
            return true;
    return false;
}

static hz_status read_receipts(portal_store *st, hz_error *err)
{
    if (!fs_exists(st->receipts_path))
        return HZ_OK;
    /* consolidate's own parser first: a file it refuses is refused here too */
    hz_receipts receipts;
    hz_status s = consolidate_read_receipts(st->receipts_path, &receipts, err);
    if (s != HZ_OK)
        return s;
    char *text = NULL;
    size_t len = 0;
    s = fs_read_file(st->receipts_path, &text, &len, err);
    if (s != HZ_OK) {
        consolidate_receipts_free(&receipts);
        return s;
    }
    bool in_uploads = false;
    unsigned lineno = 0;
    for (char *p = text; p && *p;) {
        char *eol = strchr(p, '\n');
        if (eol)
            *eol = '\0';
        lineno++;
        char *l = hz_trim(p);
        p = eol ? eol + 1 : NULL;
        if (!*l || *l == ';' || *l == '#')
            continue;
        if (*l == '[') {
            in_uploads = !strcmp(l, "[uploads]");
            continue;
        }
        char *eq = strchr(l, '=');
        if (!in_uploads || !eq)
            continue;
        *eq = '\0';
        portal_upload u;
        if (!parse_upload_line(hz_trim(l), hz_trim(eq + 1), &u)) {
            char n[16];
            snprintf(n, sizeof n, "%u", lineno);
            free(text);
            consolidate_receipts_free(&receipts);
            return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_PORTAL_RECEIPTS_BAD_LINE,
                                st->receipts_path, n, NULL);
        }
        if (!hz_array_reserve(&st->uploads, &st->upload_cap, st->upload_count + 1,
                              sizeof *st->uploads)) {
            free(text);
            consolidate_receipts_free(&receipts);
            return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        }
        st->uploads[st->upload_count++] = u;
    }
    free(text);
    /* receipts of units that never uploaded were registered by hand: keep */
    for (size_t i = 0; i < receipts.count; i++) {
        if (is_upload_unit(st, receipts.items[i].code))
            continue;
        if (!hz_array_reserve(&st->hand_codes, &st->hand_codes_cap, st->hand_count + 1,
                              sizeof *st->hand_codes) ||
            !hz_array_reserve(&st->hand_values, &st->hand_values_cap, st->hand_count + 1,
                              sizeof *st->hand_values)) {
            consolidate_receipts_free(&receipts);
            return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        }
        const hz_receipt *r = &receipts.items[i];
        snprintf(st->hand_codes[st->hand_count], 32, "%s", r->code);
        char d[16];
        hz_date_format(r->date, d, sizeof d);
        if (r->minute >= 0)
            snprintf(st->hand_values[st->hand_count], 32, "%s %02d:%02d", d, r->minute / 60,
                     r->minute % 60);
        else
            snprintf(st->hand_values[st->hand_count], 32, "%s", d);
        st->hand_count++;
    }
    consolidate_receipts_free(&receipts);
    return HZ_OK;
}

/* The upload whose receipt [receipts] gives for unit: highest 版本号, then
 * the latest server version. */
static const portal_upload *receipt_upload(const portal_store *st, const char *unit)
{
    const portal_upload *best = NULL;
    for (size_t i = 0; i < st->upload_count; i++) {
        const portal_upload *u = &st->uploads[i];
        if (strcmp(u->unit, unit))
            continue;
        if (!best || u->workbook_version > best->workbook_version ||
            (u->workbook_version == best->workbook_version &&
             u->server_version > best->server_version))
            best = u;
    }
    return best;
}

static hz_status write_receipts(portal_store *st, hz_error *err)
{
    hz_buf b = {0};
    char off[16];
    portal_offset_text(st->utc_offset_minutes, off, sizeof off);
    bool ok = hz_buf_printf(&b,
                            "; 收件登记，由 huizong serve 维护（服务器时钟，时区 UTC%s）。\n"
                            "; Receipts kept by huizong serve (server clock, UTC%s).\n"
                            "[receipts]\n",
                            off, off);
    for (size_t i = 0; ok && i < st->hand_count; i++)
        ok = hz_buf_printf(&b, "%s = %s\n", st->hand_codes[i], st->hand_values[i]);
    for (size_t u = 0; ok && u < st->config->unit_count; u++) {
        const portal_upload *r = receipt_upload(st, st->config->units[u].code);
        if (r) /* consolidate reads minutes */
            ok = hz_buf_printf(&b, "%s = %.16s\n", r->unit, r->received);
    }
    ok = ok && hz_buf_puts(&b, "\n; 每份保存的报送表 / every saved return:\n"
                               "; 文件 = 收到时间 时区 version=版本号 sha256=校验值\n[uploads]\n");
    for (size_t i = 0; ok && i < st->upload_count; i++) {
        const portal_upload *u = &st->uploads[i];
        ok = hz_buf_printf(&b, "%s = %s %s version=%d sha256=%s\n", u->name, u->received, off,
                           u->workbook_version, u->sha256);
    }
    if (!ok) {
        hz_buf_free(&b);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    hz_status s = fs_write_atomic(st->receipts_path, b.data, b.len, err);
    hz_buf_free(&b);
    if (s == HZ_OK)
        sync_dir(st->round_dir);
    return s;
}

/* --------------------------------------------------------------- open */

static hz_status empty_tmp(const char *dir, hz_error *err)
{
    fs_listing list;
    hz_status s = fs_list_dir(dir, &list, err);
    if (s != HZ_OK)
        return s;
    for (size_t i = 0; i < list.count; i++) {
        char *p = join(dir, list.items[i].name);
        if (p)
            fs_remove_tree(p, NULL);
        free(p);
    }
    fs_listing_free(&list);
    return HZ_OK;
}

hz_status portal_store_open(portal_store *st, const hz_config *config, const hz_round *round,
                            const char *data_dir, hz_error *err)
{
    memset(st, 0, sizeof *st);
    st->config = config;
    st->round = round;
    st->utc_offset_minutes = config->utc_offset_minutes;
    char out_rel[64];
    snprintf(out_rel, sizeof out_rel, "out/%s", round->id);
    st->data_dir = hz_strdup(data_dir);
    st->round_dir = join(data_dir, round->id);
    st->rejected_dir = st->round_dir ? join(st->round_dir, "rejected") : NULL;
    st->tmp_dir = join(data_dir, "tmp");
    st->out_dir = join(data_dir, out_rel);
    st->receipts_path = st->round_dir ? join(st->round_dir, RECEIPTS_FILE) : NULL;
    st->audit_path = join(data_dir, "audit.log");
    st->unit_locks = calloc(config->unit_count ? config->unit_count : 1, sizeof *st->unit_locks);
    if (!st->data_dir || !st->round_dir || !st->rejected_dir || !st->tmp_dir || !st->out_dir ||
        !st->receipts_path || !st->audit_path || !st->unit_locks) {
        portal_store_close(st);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    for (size_t i = 0; i < config->unit_count; i++)
        pthread_mutex_init(&st->unit_locks[i], NULL);
    pthread_mutex_init(&st->receipts_lock, NULL);
    pthread_mutex_init(&st->audit_lock, NULL);
    st->locks_ready = true;
    hz_status s = fs_mkdir_p(st->rejected_dir, err);
    if (s == HZ_OK)
        s = fs_mkdir_p(st->tmp_dir, err);
    if (s == HZ_OK)
        s = empty_tmp(st->tmp_dir, err);
    if (s == HZ_OK)
        s = read_receipts(st, err);
    if (s != HZ_OK)
        portal_store_close(st);
    return s;
}

void portal_store_close(portal_store *st)
{
    if (st->locks_ready) {
        for (size_t i = 0; i < st->config->unit_count; i++)
            pthread_mutex_destroy(&st->unit_locks[i]);
        pthread_mutex_destroy(&st->receipts_lock);
        pthread_mutex_destroy(&st->audit_lock);
    }
    free(st->unit_locks);
    free(st->data_dir);
    free(st->round_dir);
    free(st->rejected_dir);
    free(st->tmp_dir);
    free(st->out_dir);
    free(st->receipts_path);
    free(st->audit_path);
    free(st->hand_codes);
    free(st->hand_values);
    free(st->uploads);
    memset(st, 0, sizeof *st);
}

hz_status portal_store_temp(portal_store *st, char *buf, size_t size, hz_error *err)
{
    int n = snprintf(buf, size, "%s/upload-XXXXXX", st->tmp_dir);
    if (n < 0 || (size_t)n >= size)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, st->tmp_dir, strerror(ENAMETOOLONG),
                            NULL);
    int fd = mkstemp(buf);
    if (fd < 0)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, st->tmp_dir, strerror(errno), NULL);
    close(fd);
    return HZ_OK;
}

/* ---------------------------------------------------------------- save */

/* Highest N of files named <unit>-<round>-<letter><N>.xlsx in dir. */
static int highest_number(const char *dir, const char *unit, const char *round, char letter)
{
    fs_listing list;
    if (fs_list_dir(dir, &list, NULL) != HZ_OK)
        return 0;
    char prefix[128];
    int plen = snprintf(prefix, sizeof prefix, "%s-%s-%c", unit, round, letter);
    int best = 0;
    for (size_t i = 0; i < list.count; i++) {
        const char *name = list.items[i].name;
        int n;
        char tail[8];
        if (!strncmp(name, prefix, (size_t)plen) &&
            sscanf(name + plen, "%d%7s", &n, tail) == 2 && !strcmp(tail, ".xlsx") && n > best)
            best = n;
    }
    fs_listing_free(&list);
    return best;
}

static hz_status move_in(portal_store *st, size_t unit, const char *tmp_path, const char *dir,
                         char letter, time_t now, portal_saved *out, hz_error *err)
{
    memset(out, 0, sizeof *out);
    const char *code = st->config->units[unit].code;
    int n = highest_number(dir, code, st->round->id, letter) + 1;
    char name[96], path[4200];
    snprintf(name, sizeof name, "%s-%s-%c%d.xlsx", code, st->round->id, letter, n);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    chmod(tmp_path, 0644);
    if (link(tmp_path, path) != 0) { /* link: never replaces an existing file */
        int e = errno;
        unlink(tmp_path);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_RENAME, "upload", name, strerror(e), NULL);
    }
    unlink(tmp_path);
    sync_dir(dir);
    snprintf(out->name, sizeof out->name, "%s%s", letter == 'r' ? "rejected/" : "", name);
    out->server_version = n;
    portal_local_time(now, st->utc_offset_minutes, out->received, sizeof out->received,
                      &out->received_date);
    hz_date deadline = config_effective_deadline(st->config, st->round);
    out->days_late = out->received_date > deadline ? (int)(out->received_date - deadline) : 0;
    return HZ_OK;
}

hz_status portal_store_accept(portal_store *st, size_t unit, const char *tmp_path, time_t now,
                              int workbook_version, const char *sha256, portal_saved *out,
                              hz_error *err)
{
    pthread_mutex_lock(&st->unit_locks[unit]);
    const char *code = st->config->units[unit].code;
    hz_status s = HZ_OK;
    pthread_mutex_lock(&st->receipts_lock);
    int highest = 0;
    const portal_upload *same = NULL;
    for (size_t i = 0; i < st->upload_count; i++) {
        if (strcmp(st->uploads[i].unit, code))
            continue;
        if (st->uploads[i].workbook_version == workbook_version && !same)
            same = &st->uploads[i];
        if (st->uploads[i].workbook_version > highest)
            highest = st->uploads[i].workbook_version;
    }
    if (same) {
        /* consolidate rejects both files of one 版本号: refuse the second */
        char v[16], next[16];
        snprintf(v, sizeof v, "%d", workbook_version);
        snprintf(next, sizeof next, "%d", highest + 1);
        s = hz_error_set(err, HZ_ERR_INVALID, HZ_M_PORTAL_VERSION_TAKEN, v, same->name,
                         same->received, next, NULL);
    }
    pthread_mutex_unlock(&st->receipts_lock);
    if (s == HZ_OK)
        s = move_in(st, unit, tmp_path, st->round_dir, 'v', now, out, err);
    if (s == HZ_OK) {
        pthread_mutex_lock(&st->receipts_lock);
        if (!hz_array_reserve(&st->uploads, &st->upload_cap, st->upload_count + 1,
                              sizeof *st->uploads)) {
            s = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        } else {
            portal_upload *u = &st->uploads[st->upload_count];
            memset(u, 0, sizeof *u);
            snprintf(u->name, sizeof u->name, "%s", out->name);
            snprintf(u->unit, sizeof u->unit, "%s", st->config->units[unit].code);
            u->server_version = out->server_version;
            u->workbook_version = workbook_version;
            snprintf(u->received, sizeof u->received, "%s", out->received);
            snprintf(u->sha256, sizeof u->sha256, "%s", sha256);
            st->upload_count++;
            /* a unit that uploads replaces what was registered by hand */
            for (size_t i = 0; i < st->hand_count; i++) {
                if (!strcmp(st->hand_codes[i], u->unit)) {
                    memmove(st->hand_codes[i], st->hand_codes[i + 1],
                            (st->hand_count - i - 1) * sizeof *st->hand_codes);
                    memmove(st->hand_values[i], st->hand_values[i + 1],
                            (st->hand_count - i - 1) * sizeof *st->hand_values);
                    st->hand_count--;
                    break;
                }
            }
            s = write_receipts(st, err);
            st->generation++;
        }
        pthread_mutex_unlock(&st->receipts_lock);
    }
    pthread_mutex_unlock(&st->unit_locks[unit]);
    return s;
}

hz_status portal_store_reject(portal_store *st, size_t unit, const char *tmp_path, time_t now,
                              portal_saved *out, hz_error *err)
{
    pthread_mutex_lock(&st->unit_locks[unit]);
    hz_status s = move_in(st, unit, tmp_path, st->rejected_dir, 'r', now, out, err);
    pthread_mutex_unlock(&st->unit_locks[unit]);
    pthread_mutex_lock(&st->receipts_lock);
    st->generation++;
    pthread_mutex_unlock(&st->receipts_lock);
    return s;
}

size_t portal_store_upload_count(portal_store *st, const char *unit)
{
    pthread_mutex_lock(&st->receipts_lock);
    size_t n = 0;
    for (size_t i = 0; i < st->upload_count; i++)
        n += !strcmp(st->uploads[i].unit, unit);
    pthread_mutex_unlock(&st->receipts_lock);
    return n;
}

/* --------------------------------------------------------------- audit */

static void escape_field(hz_buf *b, const char *text, size_t max)
{
    if (!text || !*text) {
        hz_buf_puts(b, "-");
        return;
    }
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && n < max; p++, n++) {
        if (*p > 0x20 && *p < 0x7f && *p != '%')
            hz_buf_append(b, (const char *)p, 1);
        else
            hz_buf_printf(b, "%%%02X", *p);
    }
}

void portal_store_audit(portal_store *st, time_t now, const char *who, const char *method,
                        const char *route, int status, const char *sha256)
{
    char when[32], off[16];
    portal_local_time(now, st->utc_offset_minutes, when, sizeof when, NULL);
    when[10] = 'T';
    portal_offset_text(st->utc_offset_minutes, off, sizeof off);
    hz_buf b = {0};
    hz_buf_printf(&b, "%s%s ", when, off);
    escape_field(&b, who, 32);
    hz_buf_puts(&b, " ");
    escape_field(&b, method, 16);
    hz_buf_puts(&b, " ");
    escape_field(&b, route, 200);
    hz_buf_printf(&b, " %d ", status);
    escape_field(&b, sha256, 64);
    if (!hz_buf_puts(&b, "\n")) {
        hz_buf_free(&b);
        return;
    }
    pthread_mutex_lock(&st->audit_lock);
    int fd = open(st->audit_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd >= 0) {
        ssize_t w = write(fd, b.data, b.len); /* one write: lines never interleave */
        (void)w;
        close(fd);
    }
    pthread_mutex_unlock(&st->audit_lock);
    hz_buf_free(&b);
}
