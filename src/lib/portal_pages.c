/* portal_pages.c - the county page, the city dashboard, script and style. */
#include "portal_pages.h"

#include <stdlib.h>
#include <string.h>
#include "hz_text.h"

#define COMMON_LABELS                                                                              \
    " data-l-sending=\"{{SENDING}}\" data-l-neterror=\"{{NETERROR}}\""                             \
    " data-l-notoken=\"{{NOTOKEN}}\""

static const char *const county_html[] = {
    "<!doctype html>\n<html lang=\"{{LANG}}\">\n<head>\n<meta charset=\"utf-8\">\n",
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    "<title>{{COUNTY_TITLE}}</title>\n<link rel=\"stylesheet\" href=\"/assets/portal.css\">\n",
    "</head>\n<body data-page=\"county\" data-validator=\"{{VALIDATOR}}\"",
    " data-round=\"{{ROUND}}\"" COMMON_LABELS,
    " data-l-nofile=\"{{NOFILE}}\" data-l-accepted=\"{{ACCEPTED}}\"",
    " data-l-checking=\"{{CHECKING}}\" data-l-localvalid=\"{{LOCALVALID}}\"",
    " data-l-localinvalid=\"{{LOCALINVALID}}\" data-l-localfailed=\"{{LOCALFAILED}}\"",
    " data-l-fixfirst=\"{{FIXFIRST}}\"",
    " data-l-rejected=\"{{REJECTED}}\" data-l-counts=\"{{COUNTS}}\"",
    " data-l-sev-error=\"{{SEV_ERROR}}\" data-l-sev-warning=\"{{SEV_WARNING}}\"",
    " data-l-sev-notice=\"{{SEV_NOTICE}}\">\n",
    "<header><h1>{{COUNTY_TITLE}}</h1><p id=\"who\"></p></header>\n<main>\n",
    "<section class=\"step\"><h2>{{STEP_TOKEN}}</h2>\n",
    "<label for=\"token\">{{TOKEN}}</label> <input id=\"token\" type=\"password\"",
    " autocomplete=\"off\" spellcheck=\"false\" size=\"40\">\n",
    "<p class=\"hint\">{{TOKEN_HINT}}</p></section>\n",
    "<section class=\"step\"><h2>{{STEP_FILE}}</h2>\n",
    "<p id=\"validator\">{{VALIDATOR_HINT}} <a href=\"/validator\" target=\"_blank\"",
    " rel=\"noopener\">{{VALIDATOR_LINK}}</a></p>\n",
    "<p id=\"no-validator\">{{VALIDATOR_OFF}}</p>\n",
    "<label for=\"file\">{{WORKBOOK}}</label> <input id=\"file\" type=\"file\" accept=\".xlsx\">\n",
    "<button id=\"upload\" type=\"button\">{{UPLOAD}}</button></section>\n",
    "<section class=\"step\"><h2>{{STEP_VERDICT}}</h2>\n",
    "<p id=\"verdict\" data-status=\"\" role=\"status\"></p>\n",
    "<table id=\"issues\" hidden><thead><tr><th>{{CELL}}</th><th>{{SEVERITY}}</th>",
    "<th>{{MESSAGE}}</th><th>{{RULE}}</th></tr></thead><tbody></tbody></table></section>\n",
    "</main>\n{{SNAPSHOT}}<script src=\"/assets/portal.js\"></script>\n</body>\n</html>\n",
    NULL,
};

static const char *const city_html[] = {
    "<!doctype html>\n<html lang=\"{{LANG}}\">\n<head>\n<meta charset=\"utf-8\">\n",
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    "<title>{{CITY_TITLE}}</title>\n<link rel=\"stylesheet\" href=\"/assets/portal.css\">\n",
    "</head>\n<body data-page=\"city\"" COMMON_LABELS,
    " data-l-summary=\"{{SUMMARY}}\" data-l-consolidating=\"{{CONSOLIDATING}}\"",
    " data-l-consolidated=\"{{CONSOLIDATED}}\">\n",
    "<header><h1>{{CITY_TITLE}}</h1><p id=\"who\"></p></header>\n<main>\n",
    "<section><label for=\"token\">{{TOKEN}}</label> <input id=\"token\" type=\"password\"",
    " autocomplete=\"off\" spellcheck=\"false\" size=\"40\">\n",
    "<button id=\"refresh\" type=\"button\">{{REFRESH}}</button></section>\n",
    "<p id=\"summary\" role=\"status\"></p>\n",
    "<table id=\"units\"><thead><tr><th>{{UNIT}}</th><th>{{NAME}}</th><th>{{STATUS}}</th>",
    "<th>{{VERSION}}</th><th>{{UPLOADS}}</th><th>{{RECEIVED}}</th><th>{{ERRORS}}</th>",
    "<th>{{WARNINGS}}</th></tr></thead><tbody></tbody></table>\n",
    "<section><button id=\"consolidate\" type=\"button\">{{CONSOLIDATE}}</button>\n",
    "<p id=\"outputs\" role=\"status\"></p></section>\n",
    "</main>\n<script src=\"/assets/portal.js\"></script>\n</body>\n</html>\n",
    NULL,
};

/* Plain script: no framework, no build step, nothing fetched from
 * elsewhere. The token lives in sessionStorage and travels only in the
 * Authorization header of fetch calls to this origin. */
static const char *const portal_js[] = {
    "'use strict';\n",
    "(function () {\n",
    "  const body = document.body;\n",
    "  const label = (name, ...args) => (body.dataset['l' + name] || name)\n",
    "    .replace(/\\{(\\d)\\}/g, (m, i) => (args[i - 1] === undefined ? '' : String(args[i - 1])));\n",
    "  const $ = (id) => document.getElementById(id);\n",
    "  const token = $('token');\n",
    "  token.value = sessionStorage.getItem('huizong-token') || '';\n",
    "  token.addEventListener('input', () => sessionStorage.setItem('huizong-token', token.value.trim()));\n",
    "  const lang = document.documentElement.lang === 'en' ? 'en' : 'zh';\n",
    "  const headers = () => ({ 'Authorization': 'Bearer ' + token.value.trim(), 'Accept-Language': lang });\n",
    "  function cell(row, text) { const td = document.createElement('td'); td.textContent =\n",
    "    text === null || text === undefined ? '' : String(text); row.appendChild(td); return td; }\n",
    "  async function call(method, path, data) {\n",
    "    const resp = await fetch(path, { method, headers: headers(), body: data, credentials: 'omit' });\n",
    "    let json = null;\n",
    "    try { json = await resp.json(); } catch (e) { json = null; }\n",
    "    return { status: resp.status, json };\n",
    "  }\n",
    "  async function whoami() {\n",
    "    if (!token.value.trim()) return;\n",
    "    try { const r = await call('GET', '/api/v1/me');\n",
    "      if (r.status === 200) $('who').textContent = r.json.name + ' · ' + r.json.round_name + ' · ' + r.json.deadline;\n",
    "    } catch (e) { /* shown by the next action */ }\n",
    "  }\n",
    "  // The browser check (data-validator=\"1\"): the worker of the browser\n",
    "  // validator page (/assets/validator-worker.js, the check core compiled to\n",
    "  // WebAssembly) checks the picked file with this server's configuration\n",
    "  // snapshot (#hz-snapshot) and round, here, before anything is sent; the\n",
    "  // upload stays a separate step and the server checks again.\n",
    "  function browserCheck() {\n",
    "    const snap = $('hz-snapshot');\n",
    "    if (body.dataset.validator !== '1' || !snap || typeof Worker !== 'function') return null;\n",
    "    const snapshot = snap.textContent;\n",
    "    let worker;\n",
    "    try { worker = new Worker('/assets/validator-worker.js'); } catch (e) { return null; }\n",
    "    const jobs = new Map();\n",
    "    let next = 1, fatal = null, resolveReady;\n",
    "    const ready = new Promise((r) => { resolveReady = r; });\n",
    "    worker.onmessage = (e) => {\n",
    "      const m = e.data;\n",
    "      if (m.type === 'ready') return resolveReady();\n",
    "      if (m.type === 'fatal') { fatal = m.message; resolveReady(); return; }\n",
    "      const job = jobs.get(m.id);\n",
    "      if (!job || m.type === 'progress') return;\n",
    "      jobs.delete(m.id);\n",
    "      if (m.type === 'result') job.resolve(m.result); else job.reject(new Error(m.message));\n",
    "    };\n",
    "    worker.onerror = (e) => { fatal = e.message || 'worker'; resolveReady();\n",
    "      for (const j of jobs.values()) j.reject(new Error(fatal)); jobs.clear(); };\n",
    "    return async (file) => {\n",
    "      const data = await file.arrayBuffer();\n",
    "      await ready;\n",
    "      if (fatal) throw new Error(fatal);\n",
    "      const id = next++;\n",
    "      return new Promise((resolve, reject) => {\n",
    "        jobs.set(id, { resolve, reject });\n",
    "        worker.postMessage({ id, name: file.name, data, lang, round: body.dataset.round, snapshot }, [data]);\n",
    "      });\n",
    "    };\n",
    "  }\n",
    "  function county() {\n",
    "    const verdict = $('verdict'), issues = $('issues'), tbody = issues.querySelector('tbody');\n",
    "    const upload = $('upload'), picker = $('file');\n",
    "    const say = (status, text) => { verdict.dataset.status = status; verdict.textContent = text; };\n",
    "    const check = browserCheck();\n",
    "    let local = null; // {file, valid} of the last browser check\n",
    "    function showIssues(t) {\n",
    "      tbody.textContent = '';\n",
    "      for (const i of t.issues) {\n",
    "        const row = document.createElement('tr'); row.dataset.rule = i.rule; row.className = i.severity;\n",
    "        cell(row, i.cell ? (i.sheet ? i.sheet + '!' : '') + i.cell : (i.sheet || ''));\n",
    "        const sev = 'Sev' + i.severity.charAt(0).toUpperCase() + i.severity.slice(1);\n",
    "        cell(row, label(sev) + (i.explained ? ' ✓' : '')); cell(row, i.message); cell(row, i.rule);\n",
    "        tbody.appendChild(row);\n",
    "      }\n",
    "      issues.hidden = t.issues.length === 0;\n",
    "    }\n",
    "    const counts = (t) => label('Counts', t.counts.errors, t.counts.warnings, t.counts.notices);\n",
    "    picker.addEventListener('change', async () => {\n",
    "      tbody.textContent = ''; issues.hidden = true; local = null; upload.disabled = false;\n",
    "      const file = picker.files[0];\n",
    "      if (!file || !check) { say('', ''); return; }\n",
    "      say('checking', label('Checking'));\n",
    "      let r;\n",
    "      try { r = await check(file); } catch (e) { say('local_failed', label('Localfailed', String(e.message || e))); return; }\n",
    "      if (picker.files[0] !== file) return; // another file was picked meanwhile\n",
    "      const t = r.report && r.report.tasks && r.report.tasks[0];\n",
    "      if (!t || r.exit >= 2) { say('local_failed', label('Localfailed', r.stderr || String(r.exit))); return; }\n",
    "      local = { file, valid: t.valid };\n",
    "      say(t.valid ? 'local_valid' : 'local_invalid', label(t.valid ? 'Localvalid' : 'Localinvalid', counts(t)));\n",
    "      showIssues(t);\n",
    "      upload.disabled = !t.valid;\n",
    "    });\n",
    "    upload.addEventListener('click', async () => {\n",
    "      const file = picker.files[0];\n",
    "      if (!token.value.trim()) return say('notoken', label('Notoken'));\n",
    "      if (!file) return say('nofile', label('Nofile'));\n",
    "      if (local && local.file === file && !local.valid) return say('local_invalid', label('Fixfirst'));\n",
    "      tbody.textContent = ''; issues.hidden = true;\n",
    "      const form = new FormData(); form.append('file', file, 'upload.xlsx');\n",
    "      say('sending', label('Sending'));\n",
    "      let r;\n",
    "      try { r = await call('POST', '/api/v1/submissions', form); } catch (e) { return say('error', label('Neterror')); }\n",
    "      const j = r.json || {};\n",
    "      if (r.status === 201 || r.status === 422 || r.status === 409) {\n",
    "        const s = j.submission, t = j.tasks[0];\n",
    "        if (r.status === 201) say('accepted', label('Accepted', s.saved, s.status_text, s.received, counts(t)));\n",
    "        else if (r.status === 409) say('version_taken', s.status_text);\n",
    "        else say('rejected', label('Rejected', counts(t)));\n",
    "        showIssues(t);\n",
    "      } else {\n",
    "        say(j.error || 'error', j.message || String(r.status));\n",
    "      }\n",
    "      whoami();\n",
    "    });\n",
    "  }\n",
    "  function city() {\n",
    "    const tbody = $('units').querySelector('tbody'), summary = $('summary'), outputs = $('outputs');\n",
    "    async function refresh() {\n",
    "      if (!token.value.trim()) { summary.textContent = label('Notoken'); return; }\n",
    "      let r;\n",
    "      try { r = await call('GET', '/api/v1/status'); } catch (e) { summary.textContent = label('Neterror'); return; }\n",
    "      if (r.status !== 200) { summary.dataset.status = 'error'; summary.textContent = (r.json && r.json.message) || String(r.status); return; }\n",
    "      const j = r.json;\n",
    "      summary.dataset.status = 'ok';\n",
    "      summary.textContent = label('Summary', j.round_name, j.deadline, j.expected_units, j.accepted_units,\n",
    "        j.late_units, j.missing_units, j.completeness, j.timeliness);\n",
    "      tbody.textContent = '';\n",
    "      for (const u of j.units) {\n",
    "        const row = document.createElement('tr'); row.dataset.unit = u.unit; row.dataset.status = u.status;\n",
    "        cell(row, u.unit); cell(row, u.name); cell(row, u.status_text); cell(row, u.version);\n",
    "        cell(row, u.uploads); cell(row, u.received); cell(row, u.errors); cell(row, u.warnings);\n",
    "        tbody.appendChild(row);\n",
    "      }\n",
    "    }\n",
    "    async function download(path, name) {\n",
    "      const resp = await fetch(path, { headers: headers(), credentials: 'omit' });\n",
    "      if (!resp.ok) return;\n",
    "      const url = URL.createObjectURL(await resp.blob());\n",
    "      const a = document.createElement('a'); a.href = url; a.download = name; document.body.appendChild(a);\n",
    "      a.click(); a.remove(); setTimeout(() => URL.revokeObjectURL(url), 60000);\n",
    "    }\n",
    "    $('refresh').addEventListener('click', () => { whoami(); refresh(); });\n",
    "    $('consolidate').addEventListener('click', async () => {\n",
    "      outputs.textContent = label('Consolidating'); outputs.dataset.status = 'running';\n",
    "      let r;\n",
    "      try { r = await call('POST', '/api/v1/consolidate'); } catch (e) { outputs.textContent = label('Neterror'); return; }\n",
    "      const j = r.json || {};\n",
    "      if (r.status !== 200) { outputs.dataset.status = 'error'; outputs.textContent = j.message || String(r.status); return; }\n",
    "      outputs.dataset.status = 'done';\n",
    "      outputs.textContent = label('Consolidated', j.accepted_units, j.expected_units) + ' ';\n",
    "      for (const kind of ['pdf', 'xlsx']) {\n",
    "        if (!j.outputs[kind]) continue;\n",
    "        const a = document.createElement('a'); a.href = '#'; a.id = 'out-' + kind;\n",
    "        a.textContent = j.outputs[kind + '_name']; a.dataset.path = j.outputs[kind];\n",
    "        a.addEventListener('click', (ev) => { ev.preventDefault(); download(j.outputs[kind], j.outputs[kind + '_name']); });\n",
    "        outputs.appendChild(a); outputs.appendChild(document.createTextNode(' '));\n",
    "      }\n",
    "      refresh();\n",
    "    });\n",
    "    whoami(); refresh();\n",
    "    setInterval(refresh, 30000);\n",
    "  }\n",
    "  if (body.dataset.page === 'county') { whoami(); county(); } else city();\n",
    "})();\n",
    NULL,
};

static const char *const portal_css[] = {
    "body{font-family:\"Noto Sans CJK SC\",\"WenQuanYi Zen Hei\",sans-serif;margin:0 auto;",
    "max-width:72rem;padding:1rem 1.5rem;color:#1d1d1f;line-height:1.5}\n",
    "header{border-bottom:3px solid #b3001b;margin-bottom:1rem}h1{font-size:1.5rem;margin:.4rem 0}\n",
    "h2{font-size:1.1rem;margin:.2rem 0 .4rem}\n",
    "#who{color:#555;margin:.2rem 0 .6rem}.step{margin:1rem 0;padding:.6rem 1rem;",
    "background:#f6f6f8;border-radius:6px}\n.hint{color:#666;font-size:.9rem;margin:.3rem 0}\n",
    "button{font-size:1rem;padding:.3rem 1rem;margin-left:.5rem}section{margin:.8rem 0}\n",
    "table{border-collapse:collapse;width:100%;margin-top:.6rem}",
    "th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}",
    "th{background:#eee}\n",
    "#verdict,#summary,#outputs{font-weight:bold}",
    "[data-status=accepted],[data-status=done],[data-status=ok]{color:#0a6b2d}\n",
    "[data-status=rejected],[data-status=error],[data-status=other_unit],",
    "[data-status=unauthorized],[data-status=too_large]{color:#b3001b}\n",
    "tr.error td{background:#fde8ea}tr.warning td{background:#fff6dc}\n",
    "tr[data-status=late] td{background:#fff6dc}tr[data-status=missing] td{color:#888}\n",
    "[data-validator=\"0\"] #validator{display:none}[data-validator=\"1\"] #no-validator{display:none}\n",
    "[data-status=local_valid]{color:#0a6b2d}[data-status=local_invalid]{color:#b3001b}\n",
    "#no-validator{color:#666;font-size:.9rem}button:disabled{opacity:.5}\n",
    NULL,
};

/* HZ_M_PORTAL_L_<name> for a placeholder name. */
static hz_msg_id label_id(const char *name, size_t len)
{
    static const char prefix[] = "HZ_M_PORTAL_L_";
    for (int id = 0; id < HZ_MSG__COUNT; id++) {
        const char *n = hz_msg_name((hz_msg_id)id);
        if (!strncmp(n, prefix, sizeof prefix - 1) && strlen(n + sizeof prefix - 1) == len &&
            !strncmp(n + sizeof prefix - 1, name, len))
            return (hz_msg_id)id;
    }
    return HZ_MSG__COUNT;
}

static void put_escaped(hz_buf *b, const char *text)
{
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&': hz_buf_puts(b, "&amp;"); break;
        case '<': hz_buf_puts(b, "&lt;"); break;
        case '>': hz_buf_puts(b, "&gt;"); break;
        case '"': hz_buf_puts(b, "&quot;"); break;
        default: hz_buf_append(b, p, 1);
        }
    }
}

char *portal_page_render(portal_page page, hz_lang lang, bool validator, size_t *len)
{
    portal_page_vars vars = {.validator = validator};
    return portal_page_render_vars(page, lang, &vars, len);
}

char *portal_page_render_vars(portal_page page, hz_lang lang, const portal_page_vars *vars,
                              size_t *len)
{
    bool validator = vars && vars->validator;
    const char *const *pieces = page == PORTAL_PAGE_COUNTY ? county_html
                                : page == PORTAL_PAGE_CITY ? city_html
                                : page == PORTAL_PAGE_JS   ? portal_js
                                                           : portal_css;
    /* pieces: C caps one string literal at 4095 bytes */
    hz_buf src = {0};
    bool ok = true;
    for (size_t i = 0; ok && pieces[i]; i++)
        ok = hz_buf_puts(&src, pieces[i]);
    if (!ok) {
        hz_buf_free(&src);
        return NULL;
    }
    hz_buf b = {0};
    const char *p = src.data;
    while (ok && *p) {
        const char *open = strstr(p, "{{");
        const char *close = open ? strstr(open, "}}") : NULL;
        if (!open || !close || page == PORTAL_PAGE_JS || page == PORTAL_PAGE_CSS) {
            ok = hz_buf_puts(&b, p);
            break;
        }
        ok = hz_buf_append(&b, p, (size_t)(open - p));
        const char *name = open + 2;
        size_t nlen = (size_t)(close - name);
        if (nlen == 4 && !strncmp(name, "LANG", 4)) {
            ok = ok && hz_buf_puts(&b, lang == HZ_LANG_EN ? "en" : "zh-CN");
        } else if (nlen == 9 && !strncmp(name, "VALIDATOR", 9)) {
            ok = ok && hz_buf_puts(&b, validator ? "1" : "0");
        } else if (nlen == 5 && !strncmp(name, "ROUND", 5)) {
            if (vars && vars->round)
                put_escaped(&b, vars->round);
        } else if (nlen == 8 && !strncmp(name, "SNAPSHOT", 8)) {
            /* a data block, not a script: the CSP lets it be, the browser
             * never runs it; the text holds no "<" (portal_validator.h) */
            if (validator && vars->snapshot && !strchr(vars->snapshot, '<'))
                ok = ok && hz_buf_puts(&b, "<script type=\"application/json\" id=\"hz-snapshot\">") &&
                     hz_buf_puts(&b, vars->snapshot) && hz_buf_puts(&b, "</script>\n");
        } else {
            hz_msg_id id = label_id(name, nlen);
            if (id != HZ_MSG__COUNT)
                put_escaped(&b, hz_msg_text(lang, id));
        }
        p = close + 2;
    }
    hz_buf_free(&src);
    if (!ok || !b.data) {
        hz_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data;
}
