/* portal_validator.c - the browser validator page of one configuration. */
#include "portal_validator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config_snapshot.h"
#include "fsutil.h"
#include "hz_text.h"

/* The worker's source in the page: embed.py writes it into this element
 * and makes sure no "</script" is inside. */
static const char WORKER_OPEN[] = "<script type=\"text/plain\" id=\"hz-worker\">";
static const char SCRIPT_CLOSE[] = "</script>";

static bool try_path(const char *dir, const char *sub, char *out, size_t size)
{
    int n = snprintf(out, size, "%s%s/%s", dir, sub, PORTAL_VALIDATOR_TEMPLATE);
    if (n < 0 || (size_t)n >= size || !fs_exists(out)) {
        if (size)
            out[0] = '\0';
        return false;
    }
    return true;
}

bool portal_validator_find(const char *web_dir, const char *data_dir, char *out, size_t size)
{
    if (web_dir && *web_dir)
        return try_path(web_dir, "", out, size);
    if (!data_dir || !*data_dir) {
        if (size)
            out[0] = '\0';
        return false;
    }
    return try_path(data_dir, "/web", out, size) || try_path(data_dir, "/build/web", out, size);
}

/* The snapshot of config as it goes into the page: without the trailing
 * newline, and "<" written as \u003c (in JSON text "<" stands only inside
 * strings, where the escape means the same), so that nothing in it can end
 * the <script> element it sits in. src/web/embed.py's fill does the same. */
static bool inline_snapshot(const hz_config *config, hz_buf *b)
{
    char *text = config_snapshot_text(config);
    if (!text)
        return false;
    size_t len = strlen(text);
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    bool ok = true;
    for (size_t i = 0; ok && i < len; i++)
        ok = text[i] == '<' ? hz_buf_puts(b, "\\u003c") : hz_buf_append(b, &text[i], 1);
    free(text);
    return ok;
}

static const char *find_once(const char *hay, const char *needle)
{
    const char *first = strstr(hay, needle);
    return first && !strstr(first + 1, needle) ? first : NULL;
}

hz_status portal_validator_make(const char *template_path, const hz_config *config,
                                portal_validator *out, hz_error *err)
{
    memset(out, 0, sizeof *out);
    char *tpl = NULL;
    size_t tpl_len = 0;
    hz_status s = fs_read_file(template_path, &tpl, &tpl_len, err);
    if (s != HZ_OK)
        return s;
    const char *marker = find_once(tpl, PORTAL_VALIDATOR_MARKER);
    const char *wopen = strstr(tpl, WORKER_OPEN);
    const char *wbody = wopen ? wopen + strlen(WORKER_OPEN) : NULL;
    const char *wclose = wbody ? strstr(wbody, SCRIPT_CLOSE) : NULL;
    if (strlen(tpl) != tpl_len || !marker || !wclose) {
        free(tpl);
        return hz_error_set(err, HZ_ERR_FORMAT, HZ_M_PORTAL_VALIDATOR_BAD, template_path, NULL);
    }
    hz_buf snap = {0}, page = {0};
    bool ok = inline_snapshot(config, &snap) && snap.data;
    size_t head = (size_t)(marker - tpl);
    ok = ok && hz_buf_append(&page, tpl, head) && hz_buf_append(&page, snap.data, snap.len) &&
         hz_buf_puts(&page, marker + strlen(PORTAL_VALIDATOR_MARKER));
    char *worker = ok ? malloc((size_t)(wclose - wbody) + 1) : NULL;
    if (!ok || !worker) {
        free(worker);
        hz_buf_free(&snap);
        hz_buf_free(&page);
        free(tpl);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    out->worker_len = (size_t)(wclose - wbody);
    memcpy(worker, wbody, out->worker_len);
    worker[out->worker_len] = '\0';
    out->worker = worker;
    out->page = page.data;
    out->page_len = page.len;
    out->snapshot = snap.data;
    out->snapshot_len = snap.len;
    free(tpl);
    return HZ_OK;
}

void portal_validator_free(portal_validator *v)
{
    if (!v)
        return;
    free(v->page);
    free(v->worker);
    free(v->snapshot);
    memset(v, 0, sizeof *v);
}
