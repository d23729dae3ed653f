/* portal_server.c - libmicrohttpd routes of the submission portal. */
#include "portal_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "consolidate.h"
#include "consolidate_folder.h"
#include "display_format.h"
#include "fsutil.h"
#include "hz_text.h"
#include "portal_pages.h"
#include "portal_validator.h"
#include "portal_store.h"
#include "portal_tokens.h"
#include "report_outputs.h"

#define MEMORY_PER_CONNECTION (64 * 1024) /* headers and parser buffers */
#define POST_BUFFER 16384
#define MAX_OTHER_FIELD_BYTES 4096        /* form fields besides "file" */
#define DRAIN_FACTOR 4                    /* bodies read past the limit, at most */

static const char CSP_PAGE[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; worker-src 'none'; form-action 'none'; base-uri 'none'; "
    "frame-ancestors 'none'";
/* the county page when the browser check is on: its worker comes from
 * /assets/validator-worker.js, nothing else changes */
static const char CSP_COUNTY_CHECK[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; worker-src 'self'; form-action 'none'; base-uri 'none'; "
    "frame-ancestors 'none'";
/* the worker itself (a worker from a URL runs under the policy of its own
 * answer): the WebAssembly check core, compiled from the script's bytes
 * ('wasm-unsafe-eval', no other eval), and no connection at all */
static const char CSP_WORKER[] =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'none'; "
    "base-uri 'none'";
/* the browser validator (portal_validator.h) is one self-contained page:
 * inline script and style, a worker from a blob with its wasm inline; it
 * talks to nobody. Its own meta policy pins the script by hash; this
 * header adds what a meta policy cannot (frame-ancestors). */
static const char CSP_VALIDATOR[] =
    "default-src 'none'; script-src 'unsafe-inline' 'wasm-unsafe-eval'; worker-src blob:; "
    "style-src 'unsafe-inline'; img-src data:; connect-src 'none'; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

typedef struct rate_bucket {
    char id[PORTAL_TOKEN_ID + 1];
    double tokens;
    struct timespec last;
} rate_bucket;

struct portal_server {
    const hz_config *config;
    const hz_round *round;
    portal_options opt;
    char *tokens_path;
    portal_validator validator;      /* the page of this configuration, or
                                        all NULL: no browser check */
    portal_store store;
    struct MHD_Daemon *daemon;
    unsigned port;

    pthread_mutex_t tokens_lock;     /* tokens and their file's identity */
    portal_tokens tokens;
    struct stat tokens_stat;
    bool tokens_loaded;

    pthread_mutex_t rate_lock;
    rate_bucket *buckets;
    size_t bucket_count, bucket_cap;

    pthread_mutex_t status_lock;     /* the status cache */
    char *status_json;
    unsigned long status_generation;
    pthread_mutex_t outputs_lock;    /* one 汇总 at a time, and its results */
    char *last_pdf, *last_xlsx;      /* names in out_dir of the last 汇总 */

    pthread_mutex_t flight_lock;
    pthread_cond_t flight_done;
    unsigned in_flight;
};

typedef enum route {
    R_NONE, R_COUNTY, R_CITY, R_JS, R_CSS, R_VALIDATOR, R_WORKER, R_SUBMIT, R_STATUS, R_ME,
    R_CONSOLIDATE, R_OUT_PDF, R_OUT_XLSX, R_FAVICON
} route;

static const struct route_entry {
    const char *path;
    const char *method;
    route r;
} routes[] = {
    {"/", "GET", R_COUNTY},
    {"/city", "GET", R_CITY},
    {"/assets/portal.js", "GET", R_JS},
    {"/assets/portal.css", "GET", R_CSS},
    {"/validator", "GET", R_VALIDATOR},
    {"/assets/validator-worker.js", "GET", R_WORKER},
    {"/favicon.ico", "GET", R_FAVICON},
    {"/api/v1/submissions", "POST", R_SUBMIT},
    {"/api/v1/status", "GET", R_STATUS},
    {"/api/v1/me", "GET", R_ME},
    {"/api/v1/consolidate", "POST", R_CONSOLIDATE},
    {"/api/v1/outputs/pdf", "GET", R_OUT_PDF},
    {"/api/v1/outputs/xlsx", "GET", R_OUT_XLSX},
};

/* One request. */
typedef struct request {
    portal_server *server;
    route r;
    const char *route_name;          /* a routes[] path, or "-" */
    hz_lang lang;
    char who[32];                    /* role of the token, "-" without one */
    char method[16];
    char unknown_path[200];          /* an unknown path, for the audit line */
    char sha256[65];
    bool answered;
    /* upload */
    struct MHD_PostProcessor *pp;
    char tmp[4200];
    int fd;
    uint64_t received;               /* bytes of the file part */
    uint64_t body_bytes;             /* bytes of the whole body */
    bool has_file, too_big, bad_form;
    size_t other_bytes;
} request;

/* ------------------------------------------------------------ helpers */

bool portal_host_is_loopback(const char *host)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, host, &a6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&a6);
    return false;
}

bool portal_parse_listen(const char *text, char *host, size_t size, unsigned *port)
{
    const char *colon;
    const char *h = text;
    size_t hlen;
    if (*text == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':')
            return false;
        h = text + 1;
        hlen = (size_t)(close - h);
        colon = close + 1;
    } else {
        colon = strrchr(text, ':');
        if (!colon)
            return false;
        hlen = (size_t)(colon - text);
    }
    if (hlen == 0 || hlen >= size)
        return false;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    char *end = NULL;
    errno = 0;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (errno || !end || *end || end == colon + 1 || p > 65535)
        return false;
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, host, &a4) != 1 && inet_pton(AF_INET6, host, &a6) != 1)
        return false;
    *port = (unsigned)p;
    return true;
}

static time_t server_now(const portal_server *s)
{
    return s->opt.fixed_clock ? s->opt.fixed_now : time(NULL);
}

static hz_lang request_lang(struct MHD_Connection *c)
{
    const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
    if (q)
        return !strcmp(q, "en") ? HZ_LANG_EN : HZ_LANG_ZH;
    const char *al = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
    return al && !strncasecmp(al, "en", 2) ? HZ_LANG_EN : HZ_LANG_ZH;
}

static void add_common_headers(struct MHD_Response *resp, const char *csp, const char *type)
{
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "Content-Type", type);
}

static enum MHD_Result send_response(struct MHD_Connection *c, request *rq, unsigned status,
                                     struct MHD_Response *resp)
{
    if (!resp)
        return MHD_NO;
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    rq->answered = true;
    portal_store_audit(&rq->server->store, server_now(rq->server), rq->who, rq->method,
                       rq->route_name, (int)status, rq->sha256[0] ? rq->sha256 : NULL);
    return ret;
}

static enum MHD_Result send_text(struct MHD_Connection *c, request *rq, unsigned status,
                                 const char *type, const char *csp, const char *body,
                                 size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    add_common_headers(resp, csp, type);
    return send_response(c, rq, status, resp);
}

static enum MHD_Result send_json(struct MHD_Connection *c, request *rq, unsigned status,
                                 json_object *j)
{
    if (!j)
        return MHD_NO;
    const char *text = json_object_to_json_string_ext(
        j, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    enum MHD_Result r = send_text(c, rq, status, "application/json; charset=utf-8", CSP_PAGE,
                                  text, strlen(text));
    json_object_put(j);
    return r;
}

/* {"error": code, "message": text in the request's language}. */
static enum MHD_Result send_error(struct MHD_Connection *c, request *rq, unsigned status,
                                  const char *code, hz_msg_id msg, const char *arg)
{
    char text[1024];
    hz_msg_formatv(rq->lang, msg, text, sizeof text, arg, NULL);
    json_object *j = json_object_new_object();
    json_object_object_add(j, "error", json_object_new_string(code));
    json_object_object_add(j, "message", json_object_new_string(text));
    return send_json(c, rq, status, j);
}

/* ------------------------------------------------------------- tokens */

/* Reloads tokens.ini when it changed (so `huizong token` works on a
 * running server) and returns the role of the presented token in role. */
static bool authenticate(portal_server *s, struct MHD_Connection *c, char *role, size_t size,
                         char *id)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7))
        return false;
    const char *token = h + 7;
    while (*token == ' ')
        token++;
    size_t len = strlen(token);
    while (len && token[len - 1] == ' ')
        len--;
    if (len == 0 || len > 256)
        return false;
    pthread_mutex_lock(&s->tokens_lock);
    struct stat st;
    bool exists = stat(s->tokens_path, &st) == 0;
    if (!s->tokens_loaded || !exists || st.st_mtim.tv_sec != s->tokens_stat.st_mtim.tv_sec ||
        st.st_mtim.tv_nsec != s->tokens_stat.st_mtim.tv_nsec || st.st_ino != s->tokens_stat.st_ino ||
        st.st_size != s->tokens_stat.st_size) {
        portal_tokens fresh;
        if (portal_tokens_load(s->tokens_path, &fresh, NULL) == HZ_OK) {
            portal_tokens_free(&s->tokens);
            s->tokens = fresh;
            s->tokens_loaded = true;
            if (exists)
                s->tokens_stat = st;
            else
                memset(&s->tokens_stat, 0, sizeof s->tokens_stat);
        }
        /* a file being rewritten by hand that does not parse keeps the
         * tokens loaded before */
    }
    const portal_token *t = portal_tokens_match(&s->tokens, token, len);
    if (t) {
        hz_strlcpy_utf8(role, t->role, size);
        memcpy(id, t->id, PORTAL_TOKEN_ID + 1);
    }
    pthread_mutex_unlock(&s->tokens_lock);
    return t != NULL;
}

/* Token bucket per token id: rate_per_minute requests a minute, bursts of
 * as many. */
static bool rate_allows(portal_server *s, const char *id)
{
    if (!s->opt.rate_per_minute)
        return true;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&s->rate_lock);
    rate_bucket *b = NULL;
    for (size_t i = 0; i < s->bucket_count; i++)
        if (!strcmp(s->buckets[i].id, id))
            b = &s->buckets[i];
    if (!b) {
        if (!hz_array_reserve(&s->buckets, &s->bucket_cap, s->bucket_count + 1,
                              sizeof *s->buckets)) {
            pthread_mutex_unlock(&s->rate_lock);
            return false;
        }
        b = &s->buckets[s->bucket_count++];
        memcpy(b->id, id, sizeof b->id);
        b->tokens = s->opt.rate_per_minute;
        b->last = now;
    }
    double elapsed = (double)(now.tv_sec - b->last.tv_sec) + (now.tv_nsec - b->last.tv_nsec) / 1e9;
    b->last = now;
    b->tokens += elapsed * s->opt.rate_per_minute / 60.0;
    if (b->tokens > s->opt.rate_per_minute)
        b->tokens = s->opt.rate_per_minute;
    bool ok = b->tokens >= 1.0;
    if (ok)
        b->tokens -= 1.0;
    pthread_mutex_unlock(&s->rate_lock);
    return ok;
}

static const hz_unit *role_unit(const portal_server *s, const char *role, size_t *index)
{
    for (size_t i = 0; i < s->config->unit_count; i++) {
        if (!strcmp(s->config->units[i].code, role)) {
            if (index)
                *index = i;
            return &s->config->units[i];
        }
    }
    return NULL;
}

/* ------------------------------------------------------------- status */

static const char *receipt_status_name(hz_receipt_status r)
{
    switch (r) {
    case HZ_RECEIPT_ON_TIME: return "on_time";
    case HZ_RECEIPT_LATE: return "late";
    default: return "missing";
    }
}

static json_object *status_build(portal_server *s, hz_lang lang, hz_error *err)
{
    hz_consolidate_options copt = {.threads = 1};
    hz_consolidation *cons = NULL;
    if (consolidate_folder(s->config, s->round, s->store.round_dir, &copt, &cons, err) != HZ_OK)
        return NULL;
    json_object *j = json_object_new_object();
    char d[16], rate[32];
    json_object_object_add(j, "round", json_object_new_string(s->round->id));
    json_object_object_add(j, "round_name", json_object_new_string(s->round->name));
    json_object_object_add(j, "deadline", json_object_new_string(hz_date_format(cons->deadline, d, sizeof d)));
    json_object_object_add(j, "expected_units", json_object_new_int64((int64_t)cons->unit_count));
    json_object_object_add(j, "accepted_units", json_object_new_int64((int64_t)cons->accepted_units));
    json_object_object_add(j, "on_time_units", json_object_new_int64((int64_t)cons->on_time_units));
    json_object_object_add(j, "late_units", json_object_new_int64((int64_t)cons->late_units));
    json_object_object_add(j, "missing_units", json_object_new_int64((int64_t)cons->missing_units));
    json_object_object_add(j, "completeness", json_object_new_string(
        display_format_rate(cons->accepted_units, cons->unit_count, rate, sizeof rate)));
    json_object_object_add(j, "timeliness", json_object_new_string(
        display_format_rate(cons->on_time_units, cons->unit_count, rate, sizeof rate)));
    json_object *units = json_object_new_array();
    for (size_t u = 0; u < cons->unit_count; u++) {
        const hz_cons_unit *cu = &cons->units[u];
        json_object *o = json_object_new_object();
        char text[128], receipt[32];
        json_object_object_add(o, "unit", json_object_new_string(cu->unit->code));
        json_object_object_add(o, "name", json_object_new_string(cu->unit->short_name));
        json_object_object_add(o, "status", json_object_new_string(receipt_status_name(cu->receipt)));
        json_object_object_add(o, "status_text", json_object_new_string(
            display_format_unit_status_text(cu, lang, text, sizeof text)));
        json_object_object_add(o, "days_late", json_object_new_int(cu->days_late));
        json_object_object_add(o, "received", json_object_new_string(
            display_format_receipt(cu, receipt, sizeof receipt)));
        json_object_object_add(o, "uploads", json_object_new_int64(
            (int64_t)portal_store_upload_count(&s->store, cu->unit->code)));
        const hz_cons_file *f = cu->file != HZ_NONE_INDEX ? &cons->files[cu->file] : NULL;
        json_object_object_add(o, "file", f ? json_object_new_string(f->name) : NULL);
        json_object_object_add(o, "version", f ? json_object_new_int(f->version) : NULL);
        json_object_object_add(o, "errors", f ? json_object_new_int64((int64_t)f->check->counts.errors) : NULL);
        json_object_object_add(o, "warnings", f ? json_object_new_int64((int64_t)f->check->counts.warnings) : NULL);
        json_object_object_add(o, "files_seen", json_object_new_int64((int64_t)cu->files_seen));
        json_object_array_add(units, o);
    }
    json_object_object_add(j, "units", units);
    consolidate_free(cons);
    return j;
}

/* The status JSON, rebuilt only when the store changed since the last
 * build (a status poll costs a copy, not a consolidation). */
static char *status_text(portal_server *s, hz_lang lang, hz_error *err)
{
    pthread_mutex_lock(&s->store.receipts_lock);
    unsigned long gen = s->store.generation;
    pthread_mutex_unlock(&s->store.receipts_lock);
    pthread_mutex_lock(&s->status_lock);
    /* the cache holds the Chinese text; English is rare and built fresh */
    if (lang == HZ_LANG_ZH && s->status_json && s->status_generation == gen) {
        char *copy = hz_strdup(s->status_json);
        pthread_mutex_unlock(&s->status_lock);
        return copy;
    }
    json_object *j = status_build(s, lang, err);
    char *text = NULL;
    if (j) {
        text = hz_strdup(json_object_to_json_string_ext(
            j, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(j);
        if (text && lang == HZ_LANG_ZH) {
            free(s->status_json);
            s->status_json = hz_strdup(text);
            s->status_generation = gen;
        }
    }
    pthread_mutex_unlock(&s->status_lock);
    return text;
}

/* ------------------------------------------------------------- upload */

static enum MHD_Result post_iterator(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *filename, const char *content_type,
                                     const char *transfer_encoding, const char *data,
                                     uint64_t off, size_t size)
{
    (void)kind, (void)filename, (void)content_type, (void)transfer_encoding;
    request *rq = cls;
    if (strcmp(key, "file")) {
        rq->other_bytes += size;
        if (rq->other_bytes > MAX_OTHER_FIELD_BYTES) {
            rq->bad_form = true;
            return MHD_NO;
        }
        return MHD_YES;
    }
    if (off == 0 && rq->has_file && size > 0 && rq->received > 0) {
        rq->bad_form = true; /* a second "file" part */
        return MHD_NO;
    }
    rq->has_file = true;
    if (rq->received + size > rq->server->config->limits.max_upload_bytes) {
        rq->too_big = true;
        return MHD_NO;
    }
    const char *p = data;
    size_t left = size;
    while (left > 0) {
        ssize_t w = write(rq->fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            rq->bad_form = true;
            return MHD_NO;
        }
        p += w;
        left -= (size_t)w;
    }
    rq->received += size;
    return MHD_YES;
}

static void json_set_task_file(json_object *report, const char *name)
{
    json_object *tasks, *t;
    if (json_object_object_get_ex(report, "tasks", &tasks) &&
        (t = json_object_array_get_idx(tasks, 0)) != NULL)
        json_object_object_add(t, "file", json_object_new_string(name));
}

static enum MHD_Result finish_upload(struct MHD_Connection *c, request *rq)
{
    portal_server *s = rq->server;
    if (rq->fd >= 0) {
        close(rq->fd);
        rq->fd = -1;
    }
    if (rq->too_big) {
        char limit[32];
        snprintf(limit, sizeof limit, "%llu", (unsigned long long)s->config->limits.max_upload_bytes);
        return send_error(c, rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_large", HZ_M_PORTAL_TOO_LARGE, limit);
    }
    if (rq->bad_form || !rq->has_file)
        return send_error(c, rq, MHD_HTTP_BAD_REQUEST, "no_file", HZ_M_PORTAL_NO_FILE, NULL);
    size_t unit_index = 0;
    const hz_unit *unit = role_unit(s, rq->who, &unit_index);
    if (!unit)
        return send_error(c, rq, MHD_HTTP_FORBIDDEN, "forbidden", HZ_M_PORTAL_NOT_UNIT, NULL);

    hz_check_result result;
    hz_error err = {0};
    hz_check_options copt = {.round = s->round};
    if (check_file(s->config, rq->tmp, &copt, &result, &err) != HZ_OK) {
        char text[1024];
        hz_error_render(&err, rq->lang, text, sizeof text);
        return send_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", HZ_M_PORTAL_INTERNAL, text);
    }
    memcpy(rq->sha256, result.sub.sha256, sizeof rq->sha256);
    if (result.sub.unit && result.sub.unit != unit) {
        char found[160];
        snprintf(found, sizeof found, "%s %s", result.sub.unit->code, result.sub.unit->short_name);
        check_result_free(&result);
        return send_error(c, rq, MHD_HTTP_FORBIDDEN, "other_unit", HZ_M_PORTAL_OTHER_UNIT, found);
    }
    time_t now = server_now(s);
    portal_saved saved;
    hz_status st;
    bool accepted = result.valid, conflict = false;
    hz_error conflict_err = {0};
    if (accepted) {
        st = portal_store_accept(&s->store, unit_index, rq->tmp, now,
                                 result.sub.header.version > 0 ? result.sub.header.version : 1,
                                 result.sub.sha256, &saved, &conflict_err);
        if (st == HZ_ERR_INVALID) { /* kept for the city, answered 409 */
            conflict = true;
            accepted = false;
            st = portal_store_reject(&s->store, unit_index, rq->tmp, now, &saved, &err);
        } else if (st != HZ_OK) {
            err = conflict_err;
        }
    } else {
        st = portal_store_reject(&s->store, unit_index, rq->tmp, now, &saved, &err);
    }
    rq->tmp[0] = '\0'; /* moved (or removed on failure) */
    if (st != HZ_OK) {
        check_result_free(&result);
        char text[1024];
        hz_error_render(&err, rq->lang, text, sizeof text);
        return send_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", HZ_M_PORTAL_INTERNAL, text);
    }
    json_object *report = check_report_json(&result, 1, rq->lang);
    if (!report) {
        check_result_free(&result);
        return MHD_NO;
    }
    json_set_task_file(report, saved.name);
    json_object *sub = json_object_new_object();
    char off[16], text[1024], days[16];
    json_object_object_add(sub, "status", json_object_new_string(
        accepted ? "accepted" : conflict ? "version_taken" : "rejected"));
    json_object_object_add(sub, "unit", json_object_new_string(unit->code));
    json_object_object_add(sub, "round", json_object_new_string(s->round->id));
    json_object_object_add(sub, "saved", json_object_new_string(saved.name));
    json_object_object_add(sub, "server_version", json_object_new_int(saved.server_version));
    json_object_object_add(sub, "workbook_version", json_object_new_int(result.sub.header.version));
    json_object_object_add(sub, "received", json_object_new_string(saved.received));
    json_object_object_add(sub, "time_zone", json_object_new_string(
        portal_offset_text(s->store.utc_offset_minutes, off, sizeof off)));
    json_object_object_add(sub, "sha256", json_object_new_string(result.sub.sha256));
    if (accepted) {
        snprintf(days, sizeof days, "%d", saved.days_late);
        json_object_object_add(sub, "timeliness", json_object_new_string(saved.days_late > 0 ? "late" : "on_time"));
        json_object_object_add(sub, "days_late", json_object_new_int(saved.days_late));
        hz_msg_formatv(rq->lang, saved.days_late > 0 ? HZ_M_CONSOLIDATE_STATUS_LATE
                                                     : HZ_M_CONSOLIDATE_STATUS_ON_TIME,
                       text, sizeof text, days, NULL);
    } else if (conflict) {
        hz_error_render(&conflict_err, rq->lang, text, sizeof text);
    } else {
        hz_msg_formatv(rq->lang, HZ_M_PORTAL_REJECTED, text, sizeof text, NULL);
    }
    json_object_object_add(sub, "status_text", json_object_new_string(text));
    json_object_object_add(report, "submission", sub);
    unsigned code = accepted ? MHD_HTTP_CREATED
                    : conflict ? MHD_HTTP_CONFLICT
                               : MHD_HTTP_UNPROCESSABLE_CONTENT;
    check_result_free(&result);
    return send_json(c, rq, code, report);
}

/* ------------------------------------------------------------ outputs */

static enum MHD_Result run_consolidate(struct MHD_Connection *c, request *rq)
{
    portal_server *s = rq->server;
    hz_error err = {0};
    hz_consolidate_options copt = {.threads = 2};
    hz_consolidation *cons = NULL;
    pthread_mutex_lock(&s->outputs_lock);
    hz_status st = consolidate_folder(s->config, s->round, s->store.round_dir, &copt, &cons, &err);
    char base[1024], xlsx[1100], pdf[1100];
    report_outputs_base_name(s->config, s->round, false, base, sizeof base);
    snprintf(xlsx, sizeof xlsx, "%s.xlsx", base);
    snprintf(pdf, sizeof pdf, "%s.pdf", base);
    report_outputs_done done = {0};
    if (st == HZ_OK) {
        report_outputs_spec spec = {.lang = HZ_LANG_ZH, .as_of = s->opt.as_of,
                                    .template_dir = s->opt.template_dir, .base_names = true};
        report_outputs_paths names = {.validation = "validation.json", .context = "context.json",
                                      .xlsx = xlsx, .pdf = pdf};
        st = report_outputs_write_folder(cons, &spec, s->store.out_dir, &names, NULL, &done, &err);
    }
    if (st == HZ_OK) {
        free(s->last_pdf);
        free(s->last_xlsx);
        s->last_pdf = done.pdf ? hz_strdup(pdf) : NULL;
        s->last_xlsx = done.xlsx ? hz_strdup(xlsx) : NULL;
    }
    size_t accepted = cons ? cons->accepted_units : 0, expected = cons ? cons->unit_count : 0;
    consolidate_free(cons);
    pthread_mutex_unlock(&s->outputs_lock);
    if (st != HZ_OK) {
        char text[1024];
        hz_error_render(&err, rq->lang, text, sizeof text);
        return send_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "consolidate_failed",
                          HZ_M_PORTAL_CONSOLIDATE_FAILED, text);
    }
    json_object *j = json_object_new_object();
    json_object_object_add(j, "accepted_units", json_object_new_int64((int64_t)accepted));
    json_object_object_add(j, "expected_units", json_object_new_int64((int64_t)expected));
    json_object_object_add(j, "folder", json_object_new_string(s->store.out_dir));
    json_object *outs = json_object_new_object();
    if (done.pdf) {
        json_object_object_add(outs, "pdf", json_object_new_string("/api/v1/outputs/pdf"));
        json_object_object_add(outs, "pdf_name", json_object_new_string(pdf));
    }
    if (done.xlsx) {
        json_object_object_add(outs, "xlsx", json_object_new_string("/api/v1/outputs/xlsx"));
        json_object_object_add(outs, "xlsx_name", json_object_new_string(xlsx));
    }
    json_object_object_add(j, "outputs", outs);
    return send_json(c, rq, MHD_HTTP_OK, j);
}

/* RFC 5987 filename*= of a UTF-8 name. */
static void disposition(const char *name, char *buf, size_t size)
{
    hz_buf b = {0};
    hz_buf_puts(&b, "attachment; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '-' || *p == '_')
            hz_buf_append(&b, (const char *)p, 1);
        else
            hz_buf_printf(&b, "%%%02X", *p);
    }
    hz_strlcpy_utf8(buf, b.data ? b.data : "attachment", size);
    hz_buf_free(&b);
}

static enum MHD_Result send_output(struct MHD_Connection *c, request *rq, bool pdf)
{
    portal_server *s = rq->server;
    pthread_mutex_lock(&s->outputs_lock);
    char *name = hz_strdup(pdf ? s->last_pdf : s->last_xlsx);
    pthread_mutex_unlock(&s->outputs_lock);
    if (!name)
        return send_error(c, rq, MHD_HTTP_NOT_FOUND, "not_consolidated", HZ_M_PORTAL_NO_OUTPUT, NULL);
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", s->store.out_dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        free(name);
        return send_error(c, rq, MHD_HTTP_NOT_FOUND, "not_consolidated", HZ_M_PORTAL_NO_OUTPUT, NULL);
    }
    struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!resp) {
        close(fd);
        free(name);
        return MHD_NO;
    }
    add_common_headers(resp, CSP_PAGE,
                       pdf ? "application/pdf"
                           : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    char disp[2048];
    disposition(name, disp, sizeof disp);
    MHD_add_response_header(resp, "Content-Disposition", disp);
    free(name);
    return send_response(c, rq, MHD_HTTP_OK, resp);
}

static enum MHD_Result send_me(struct MHD_Connection *c, request *rq)
{
    portal_server *s = rq->server;
    json_object *j = json_object_new_object();
    bool city = !strcmp(rq->who, PORTAL_ROLE_CITY);
    const hz_unit *u = role_unit(s, rq->who, NULL);
    char d[16];
    json_object_object_add(j, "role", json_object_new_string(city ? "city" : "unit"));
    json_object_object_add(j, "unit", u ? json_object_new_string(u->code) : NULL);
    json_object_object_add(j, "name", json_object_new_string(u ? u->name : s->config->authority));
    json_object_object_add(j, "round", json_object_new_string(s->round->id));
    json_object_object_add(j, "round_name", json_object_new_string(s->round->name));
    json_object_object_add(j, "deadline", json_object_new_string(
        hz_date_format(config_effective_deadline(s->config, s->round), d, sizeof d)));
    json_object_object_add(j, "campaign", json_object_new_string(s->config->name));
    return send_json(c, rq, MHD_HTTP_OK, j);
}

/* ------------------------------------------------------------- routing */

static void flight_enter(portal_server *s)
{
    pthread_mutex_lock(&s->flight_lock);
    s->in_flight++;
    pthread_mutex_unlock(&s->flight_lock);
}

static void flight_leave(portal_server *s)
{
    pthread_mutex_lock(&s->flight_lock);
    s->in_flight--;
    pthread_cond_broadcast(&s->flight_done);
    pthread_mutex_unlock(&s->flight_lock);
}

static void request_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
    (void)c, (void)toe;
    portal_server *s = cls;
    request *rq = *con_cls;
    if (!rq)
        return;
    if (rq->pp)
        MHD_destroy_post_processor(rq->pp);
    if (rq->fd >= 0)
        close(rq->fd);
    if (rq->tmp[0])
        unlink(rq->tmp); /* an upload that never finished */
    if (!rq->answered)   /* the client went away: still one audit line */
        portal_store_audit(&s->store, server_now(s), rq->who, rq->method, rq->route_name, 0,
                           NULL);
    free(rq);
    *con_cls = NULL;
    flight_leave(s);
}

static enum MHD_Result send_page(struct MHD_Connection *c, request *rq, portal_page page)
{
    const portal_validator *v = &rq->server->validator;
    bool check = v->page != NULL;
    portal_page_vars vars = {.validator = check, .snapshot = check ? v->snapshot : NULL,
                             .round = rq->server->round->id};
    size_t len = 0;
    char *html = portal_page_render_vars(page, rq->lang, &vars, &len);
    if (!html)
        return MHD_NO;
    const char *type = page == PORTAL_PAGE_JS    ? "text/javascript; charset=utf-8"
                       : page == PORTAL_PAGE_CSS ? "text/css; charset=utf-8"
                                                 : "text/html; charset=utf-8";
    const char *csp = page == PORTAL_PAGE_COUNTY && check ? CSP_COUNTY_CHECK : CSP_PAGE;
    enum MHD_Result r = send_text(c, rq, MHD_HTTP_OK, type, csp, html, len);
    free(html);
    return r;
}

/* /validator (the offline page of this server's configuration) and its
 * worker, from memory: made once at start (portal_validator_make). */
static enum MHD_Result send_validator(struct MHD_Connection *c, request *rq, bool worker)
{
    const portal_validator *v = &rq->server->validator;
    if (!v->page)
        return send_error(c, rq, MHD_HTTP_NOT_FOUND, "not_found", HZ_M_PORTAL_NOT_FOUND, NULL);
    if (worker)
        return send_text(c, rq, MHD_HTTP_OK, "text/javascript; charset=utf-8", CSP_WORKER,
                         v->worker, v->worker_len);
    return send_text(c, rq, MHD_HTTP_OK, "text/html; charset=utf-8", CSP_VALIDATOR, v->page,
                     v->page_len);
}

/* The first call of a request: route, method, token, rate; for an upload,
 * the size announced and the temporary file. Returns MHD_YES with nothing
 * queued when the body is to be read. */
static enum MHD_Result start_request(struct MHD_Connection *c, request *rq, const char *url,
                                     const char *method)
{
    portal_server *s = rq->server;
    const struct route_entry *e = NULL;
    bool path_known = false;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (!strcmp(routes[i].path, url)) {
            path_known = true;
            rq->route_name = routes[i].path;
            if (!strcmp(routes[i].method, method) ||
                (!strcmp(method, "HEAD") && !strcmp(routes[i].method, "GET")))
                e = &routes[i];
        }
    }
    if (!e) {
        if (!path_known) { /* escaped in the audit line, never used otherwise */
            hz_strlcpy_utf8(rq->unknown_path, url, sizeof rq->unknown_path);
            rq->route_name = rq->unknown_path;
        }
        return path_known ? send_error(c, rq, MHD_HTTP_METHOD_NOT_ALLOWED, "method",
                                       HZ_M_PORTAL_METHOD, method)
                          : send_error(c, rq, MHD_HTTP_NOT_FOUND, "not_found",
                                       HZ_M_PORTAL_NOT_FOUND, NULL);
    }
    rq->r = e->r;
    switch (rq->r) {
    case R_COUNTY: return send_page(c, rq, PORTAL_PAGE_COUNTY);
    case R_CITY: return send_page(c, rq, PORTAL_PAGE_CITY);
    case R_JS: return send_page(c, rq, PORTAL_PAGE_JS);
    case R_CSS: return send_page(c, rq, PORTAL_PAGE_CSS);
    case R_VALIDATOR: return send_validator(c, rq, false);
    case R_WORKER: return send_validator(c, rq, true);
    case R_FAVICON: /* browsers ask; there is none */
        return send_text(c, rq, MHD_HTTP_NO_CONTENT, "image/x-icon", CSP_PAGE, "", 0);
    default: break;
    }
    char id[PORTAL_TOKEN_ID + 1];
    if (!authenticate(s, c, rq->who, sizeof rq->who, id)) {
        snprintf(rq->who, sizeof rq->who, "-");
        return send_error(c, rq, MHD_HTTP_UNAUTHORIZED, "unauthorized", HZ_M_PORTAL_UNAUTHORIZED, NULL);
    }
    if (!rate_allows(s, id))
        return send_error(c, rq, MHD_HTTP_TOO_MANY_REQUESTS, "rate_limited",
                          HZ_M_PORTAL_RATE_LIMITED, NULL);
    bool city = !strcmp(rq->who, PORTAL_ROLE_CITY);
    switch (rq->r) {
    case R_ME: return send_me(c, rq);
    case R_STATUS:
    case R_CONSOLIDATE:
    case R_OUT_PDF:
    case R_OUT_XLSX:
        if (!city)
            return send_error(c, rq, MHD_HTTP_FORBIDDEN, "city_only", HZ_M_PORTAL_CITY_ONLY, NULL);
        if (rq->r == R_CONSOLIDATE)
            return run_consolidate(c, rq);
        if (rq->r == R_OUT_PDF || rq->r == R_OUT_XLSX)
            return send_output(c, rq, rq->r == R_OUT_PDF);
        {
            hz_error err = {0};
            char *text = status_text(s, rq->lang, &err);
            if (!text) {
                char msg[1024];
                hz_error_render(&err, rq->lang, msg, sizeof msg);
                return send_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                                  HZ_M_PORTAL_INTERNAL, msg);
            }
            enum MHD_Result r = send_text(c, rq, MHD_HTTP_OK, "application/json; charset=utf-8",
                                          CSP_PAGE, text, strlen(text));
            free(text);
            return r;
        }
    case R_SUBMIT:
        break;
    default:
        return send_error(c, rq, MHD_HTTP_NOT_FOUND, "not_found", HZ_M_PORTAL_NOT_FOUND, NULL);
    }
    if (city || !role_unit(s, rq->who, NULL))
        return send_error(c, rq, MHD_HTTP_FORBIDDEN, "forbidden", HZ_M_PORTAL_NOT_UNIT, NULL);
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Expect");
    if (cl && expect && !strcasecmp(expect, "100-continue")) {
        char *end = NULL;
        unsigned long long n = strtoull(cl, &end, 10);
        if (end && !*end && n > s->config->limits.max_upload_bytes + 64 * 1024) {
            /* the announced body cannot hold an allowed file and the client
             * waits for a go-ahead before sending it: refuse at once */
            rq->too_big = true;
            return finish_upload(c, rq);
        }
    }
    hz_error err = {0};
    if (portal_store_temp(&s->store, rq->tmp, sizeof rq->tmp, &err) != HZ_OK) {
        rq->tmp[0] = '\0';
        char msg[1024];
        hz_error_render(&err, rq->lang, msg, sizeof msg);
        return send_error(c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", HZ_M_PORTAL_INTERNAL, msg);
    }
    rq->fd = open(rq->tmp, O_WRONLY | O_TRUNC | O_CLOEXEC);
    rq->pp = MHD_create_post_processor(c, POST_BUFFER, post_iterator, rq);
    if (rq->fd < 0 || !rq->pp)
        return send_error(c, rq, MHD_HTTP_BAD_REQUEST, "no_file", HZ_M_PORTAL_NO_FILE, NULL);
    return MHD_YES;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *c, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **con_cls)
{
    (void)version;
    portal_server *s = cls;
    request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        rq->server = s;
        rq->fd = -1;
        rq->route_name = "-";
        hz_strlcpy_utf8(rq->method, method, sizeof rq->method);
        rq->lang = request_lang(c);
        snprintf(rq->who, sizeof rq->who, "-");
        *con_cls = rq;
        flight_enter(s);
        return start_request(c, rq, url, method);
    }
    if (rq->answered) {
        *upload_data_size = 0; /* the answer is out; the rest is discarded */
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        rq->body_bytes += *upload_data_size;
        if (!rq->too_big && !rq->bad_form &&
            MHD_post_process(rq->pp, upload_data, *upload_data_size) != MHD_YES && !rq->too_big)
            rq->bad_form = true;
        *upload_data_size = 0;
        if (rq->too_big && rq->fd >= 0) { /* nothing more is kept */
            close(rq->fd);
            rq->fd = -1;
            unlink(rq->tmp);
            rq->tmp[0] = '\0';
        }
        /* The rest of a body past the limit is read and dropped, then
         * answered 413: a server that answers and closes with unread data
         * makes the kernel reset the connection, and the client never sees
         * the answer. A body far past the limit is cut off. */
        if (rq->too_big && rq->body_bytes > DRAIN_FACTOR * s->config->limits.max_upload_bytes)
            return MHD_NO;
        return MHD_YES;
    }
    return finish_upload(c, rq);
}

/* ---------------------------------------------------------------- life */

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
    (void)cls, (void)fmt, (void)ap; /* the audit log says what matters */
}

hz_status portal_server_start(const hz_config *config, const hz_round *round,
                              const portal_options *opt, portal_server **out, hz_error *err)
{
    *out = NULL;
    portal_server *s = calloc(1, sizeof *s);
    if (!s)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    s->config = config;
    s->round = round;
    s->opt = *opt;
    pthread_mutex_init(&s->tokens_lock, NULL);
    pthread_mutex_init(&s->rate_lock, NULL);
    pthread_mutex_init(&s->status_lock, NULL);
    pthread_mutex_init(&s->outputs_lock, NULL);
    pthread_mutex_init(&s->flight_lock, NULL);
    pthread_cond_init(&s->flight_done, NULL);
    size_t n = strlen(opt->data_dir) + sizeof "/tokens.ini";
    s->tokens_path = malloc(n);
    if (!s->tokens_path) {
        portal_server_stop(s, 0);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    snprintf(s->tokens_path, n, "%s/tokens.ini", opt->data_dir);
    hz_status st = HZ_OK;
    if (opt->validator_template)
        st = portal_validator_make(opt->validator_template, config, &s->validator, err);
    if (st == HZ_OK)
        st = portal_tokens_load(s->tokens_path, &s->tokens, err);
    if (st == HZ_OK) {
        s->tokens_loaded = true;
        stat(s->tokens_path, &s->tokens_stat);
        st = portal_store_open(&s->store, config, round, opt->data_dir, err);
    }
    if (st != HZ_OK) {
        portal_server_stop(s, 0);
        return st;
    }

    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (inet_pton(AF_INET, opt->listen_host, &((struct sockaddr_in *)&addr)->sin_addr) == 1) {
        ((struct sockaddr_in *)&addr)->sin_family = AF_INET;
        ((struct sockaddr_in *)&addr)->sin_port = htons((uint16_t)opt->port);
    } else if (inet_pton(AF_INET6, opt->listen_host, &((struct sockaddr_in6 *)&addr)->sin6_addr) == 1) {
        ((struct sockaddr_in6 *)&addr)->sin6_family = AF_INET6;
        ((struct sockaddr_in6 *)&addr)->sin6_port = htons((uint16_t)opt->port);
        flags |= MHD_USE_IPv6;
    } else {
        portal_server_stop(s, 0);
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_PORTAL_BAD_LISTEN, opt->listen_host, NULL);
    }
    bool tls = opt->cert_pem && opt->key_pem;
    if (tls)
        flags |= MHD_USE_TLS;
    unsigned threads = opt->threads ? opt->threads : 4;
    struct MHD_OptionItem tls_options[] = {
        {tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, (void *)opt->cert_pem},
        {tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, (void *)opt->key_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, access_handler, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, opt->max_connections ? opt->max_connections : 128,
        MHD_OPTION_CONNECTION_TIMEOUT, opt->timeout_seconds ? opt->timeout_seconds : 60,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MEMORY_PER_CONNECTION,
        MHD_OPTION_NOTIFY_COMPLETED, request_completed, s,
        MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
        MHD_OPTION_ARRAY, tls_options,
        MHD_OPTION_END);
    if (!s->daemon) {
        char where[300];
        snprintf(where, sizeof where, "%s:%u", opt->listen_host, opt->port);
        int e = errno;
        portal_server_stop(s, 0);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_PORTAL_CANNOT_LISTEN, where,
                            e ? strerror(e) : "", NULL);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : opt->port;
    *out = s;
    return HZ_OK;
}

unsigned portal_server_port(const portal_server *s)
{
    return s->port;
}

void portal_server_stop(portal_server *s, unsigned grace_seconds)
{
    if (!s)
        return;
    if (s->daemon) {
        MHD_socket listen_fd = MHD_quiesce_daemon(s->daemon);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += grace_seconds;
        pthread_mutex_lock(&s->flight_lock);
        while (s->in_flight > 0 &&
               pthread_cond_timedwait(&s->flight_done, &s->flight_lock, &until) != ETIMEDOUT)
            ;
        pthread_mutex_unlock(&s->flight_lock);
        MHD_stop_daemon(s->daemon);
        if (listen_fd != MHD_INVALID_SOCKET)
            close(listen_fd);
    }
    if (s->store.config)
        portal_store_close(&s->store);
    portal_tokens_free(&s->tokens);
    pthread_mutex_destroy(&s->tokens_lock);
    pthread_mutex_destroy(&s->rate_lock);
    pthread_mutex_destroy(&s->status_lock);
    pthread_mutex_destroy(&s->outputs_lock);
    pthread_mutex_destroy(&s->flight_lock);
    pthread_cond_destroy(&s->flight_done);
    free(s->buckets);
    free(s->status_json);
    free(s->last_pdf);
    free(s->last_xlsx);
    free(s->tokens_path);
    portal_validator_free(&s->validator);
    free(s);
}
