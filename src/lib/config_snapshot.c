/* config_snapshot.c - the validated configuration as JSON (config_snapshot.h). */
#include "config_snapshot.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hz_text.h"
#include "rule_expr.h"

static const char *const unit_kinds[] = {"county", "district", "zone", "branch", NULL};
static const char *const value_types[] = {"count", "amount", NULL};
static const char *const round_aggs[] = {"cumulative", "stock", NULL};
static const char *const severities[] = {"error", "warning", "notice", NULL};
static const char *const missing_words[] = {"never_skip", "skip_if_any_missing",
                                            "skip_if_all_missing", NULL};

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static json_object *str(const char *s)
{
    return json_object_new_string(s ? s : "");
}

static json_object *date_json(hz_date d)
{
    char buf[16];
    return d == HZ_DATE_NONE ? NULL : json_object_new_string(hz_date_format(d, buf, sizeof buf));
}

static json_object *list_json(const hz_list *list)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; a && i < list->count; i++)
        json_object_array_add(a, str(list->items[i]));
    return a;
}

static json_object *dates_json(const hz_date *dates, size_t count)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; a && i < count; i++)
        json_object_array_add(a, date_json(dates[i]));
    return a;
}

#define ADD(o, k, v) json_object_object_add((o), (k), (v))

/* The last component of path, without trailing slashes, as a JSON string. */
static json_object *folder_name(const char *path)
{
    if (!path)
        return str(NULL);
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    return json_object_new_string_len(path + start, (int)(end - start));
}

static json_object *snapshot_build(const hz_config *c)
{
    json_object *root = json_object_new_object();
    if (!root)
        return NULL;
    ADD(root, "format", json_object_new_string(CONFIG_SNAPSHOT_FORMAT));
    ADD(root, "version", json_object_new_int(CONFIG_SNAPSHOT_VERSION));

    json_object *campaign = json_object_new_object();
    /* Only the folder's own name (the campaign id): the snapshot is written
     * into pages handed out to counties, which must not learn where the
     * city keeps its files, and a check never opens the folder. */
    ADD(campaign, "dir", folder_name(c->dir));
    ADD(campaign, "name", str(c->name));
    ADD(campaign, "authority", str(c->authority));
    ADD(campaign, "section", str(c->section));
    ADD(campaign, "contact", str(c->contact));
    ADD(campaign, "phone", str(c->phone));
    ADD(campaign, "year", json_object_new_int(c->year));
    ADD(campaign, "start", date_json(c->start));
    ADD(campaign, "end", date_json(c->end));
    ADD(campaign, "template_version", json_object_new_int(c->template_version));
    ADD(campaign, "stage_folder", str(c->stage_folder));
    ADD(campaign, "notice", str(c->notice));
    ADD(campaign, "basis", str(c->basis));
    ADD(campaign, "topic", str(c->topic));
    ADD(campaign, "utc_offset_minutes", json_object_new_int(c->utc_offset_minutes));
    json_object *measures = json_object_new_array();
    for (size_t i = 0; i < 6; i++) {
        json_object *m = json_object_new_object();
        ADD(m, "name", str(c->measure_names[i]));
        ADD(m, "channels", list_json(&c->measure_channels[i]));
        ADD(m, "commodities", list_json(&c->measure_commodities[i]));
        json_object_array_add(measures, m);
    }
    ADD(root, "measures", measures);
    ADD(root, "campaign", campaign);

    json_object *phases = json_object_new_array();
    for (size_t i = 0; i < c->phase_count; i++) {
        json_object *p = json_object_new_object();
        ADD(p, "id", str(c->phases[i].id));
        ADD(p, "name", str(c->phases[i].name));
        ADD(p, "first", date_json(c->phases[i].first));
        ADD(p, "last", date_json(c->phases[i].last));
        json_object_array_add(phases, p);
    }
    ADD(root, "phases", phases);

    json_object *rounds = json_object_new_array();
    for (size_t i = 0; i < c->round_count; i++) {
        const hz_round *r = &c->rounds[i];
        json_object *o = json_object_new_object();
        ADD(o, "id", str(r->id));
        ADD(o, "name", str(r->name));
        ADD(o, "period_start", date_json(r->period_start));
        ADD(o, "period_end", date_json(r->period_end));
        ADD(o, "deadline", date_json(r->deadline));
        ADD(o, "move_to_workday", json_object_new_boolean(r->move_to_workday));
        json_object_array_add(rounds, o);
    }
    ADD(root, "rounds", rounds);

    json_object *calendar = json_object_new_object();
    ADD(calendar, "holidays", dates_json(c->holidays, c->holiday_count));
    ADD(calendar, "workdays", dates_json(c->workdays, c->workday_count));
    ADD(root, "calendar", calendar);

    json_object *report = json_object_new_object();
    ADD(report, "title", str(c->report.title));
    ADD(report, "recipient", str(c->report.recipient));
    ADD(report, "signature", str(c->report.signature));
    ADD(report, "font_title", list_json(&c->report.font_title));
    ADD(report, "font_body", list_json(&c->report.font_body));
    ADD(report, "font_heading1", list_json(&c->report.font_heading1));
    ADD(report, "font_heading2", list_json(&c->report.font_heading2));
    ADD(report, "font_page", list_json(&c->report.font_page));
    ADD(report, "font_fallbacks", list_json(&c->report.font_fallbacks));
    ADD(report, "title_words", list_json(&c->report.title_words));
    ADD(report, "amount_decimals", json_object_new_int(c->report.amount_decimals));
    ADD(report, "typical_cases", json_object_new_int(c->report.typical_cases));
    ADD(report, "narrative_name", str(c->report.narrative_name));
    if (c->report.narrative_text)
        ADD(report, "narrative_text", str(c->report.narrative_text));
    ADD(root, "report", report);

    json_object *limits = json_object_new_object();
    ADD(limits, "max_entry_bytes", json_object_new_int64((int64_t)c->limits.max_entry_bytes));
    ADD(limits, "max_total_bytes", json_object_new_int64((int64_t)c->limits.max_total_bytes));
    ADD(limits, "max_ratio", json_object_new_int64(c->limits.max_ratio));
    ADD(limits, "max_entries", json_object_new_int64(c->limits.max_entries));
    ADD(limits, "max_cell_chars", json_object_new_int64(c->limits.max_cell_chars));
    ADD(limits, "max_rows", json_object_new_int64(c->limits.max_rows));
    ADD(limits, "max_cols", json_object_new_int64(c->limits.max_cols));
    ADD(limits, "max_shared_strings", json_object_new_int64(c->limits.max_shared_strings));
    ADD(limits, "max_xml_depth", json_object_new_int64(c->limits.max_xml_depth));
    ADD(limits, "max_text_bytes", json_object_new_int64((int64_t)c->limits.max_text_bytes));
    ADD(limits, "max_issues_per_rule", json_object_new_int64(c->limits.max_issues_per_rule));
    ADD(limits, "max_upload_bytes", json_object_new_int64((int64_t)c->limits.max_upload_bytes));
    ADD(root, "limits", limits);

    json_object *outliers = json_object_new_object();
    ADD(outliers, "threshold", json_object_new_double(c->outlier_threshold));
    ADD(outliers, "min_units", json_object_new_int(c->outlier_min_units));
    ADD(root, "outliers", outliers);

    const hz_assessment_weights *w = &c->assessment;
    json_object *assessment = json_object_new_object();
    ADD(assessment, "w_timeliness", json_object_new_double(w->w_timeliness));
    ADD(assessment, "w_quality", json_object_new_double(w->w_quality));
    ADD(assessment, "w_completeness", json_object_new_double(w->w_completeness));
    ADD(assessment, "w_results", json_object_new_double(w->w_results));
    ADD(assessment, "late_deduction_per_day", json_object_new_double(w->late_deduction_per_day));
    ADD(assessment, "error_deduction", json_object_new_double(w->error_deduction));
    ADD(assessment, "warning_deduction", json_object_new_double(w->warning_deduction));
    ADD(assessment, "grade_excellent", json_object_new_double(w->grade_excellent));
    ADD(assessment, "grade_good", json_object_new_double(w->grade_good));
    ADD(assessment, "grade_pass", json_object_new_double(w->grade_pass));
    ADD(root, "assessment", assessment);

    json_object *units = json_object_new_array();
    for (size_t i = 0; i < c->unit_count; i++) {
        const hz_unit *u = &c->units[i];
        json_object *o = json_object_new_object();
        ADD(o, "code", str(u->code));
        ADD(o, "name", str(u->name));
        ADD(o, "short", str(u->short_name));
        ADD(o, "kind", str(unit_kinds[u->kind]));
        json_object_array_add(units, o);
    }
    ADD(root, "units", units);

    json_object *indicators = json_object_new_array();
    for (size_t i = 0; i < c->indicator_count; i++) {
        const hz_indicator *ind = &c->indicators[i];
        json_object *o = json_object_new_object();
        ADD(o, "code", str(ind->code));
        ADD(o, "name", str(ind->name));
        ADD(o, "uom", str(ind->uom));
        ADD(o, "measure", str(ind->measure));
        ADD(o, "note", str(ind->note));
        ADD(o, "type", str(value_types[ind->type]));
        ADD(o, "over_rounds", str(round_aggs[ind->over_rounds]));
        ADD(o, "required", json_object_new_boolean(ind->required));
        ADD(o, "part_of", str(ind->part_of));
        json_object_array_add(indicators, o);
    }
    ADD(root, "indicators", indicators);

    json_object *rules = json_object_new_array();
    for (size_t i = 0; i < c->rule_count; i++) {
        const hz_rule *r = &c->rules[i];
        json_object *o = json_object_new_object();
        ADD(o, "id", str(r->id));
        ADD(o, "expr", str(r->expr));
        ADD(o, "severity", str(severities[r->severity]));
        ADD(o, "missing", str(missing_words[r->missing]));
        ADD(o, "message", str(r->message));
        ADD(o, "message_en", str(r->message_en));
        json_object_array_add(rules, o);
    }
    ADD(root, "rules", rules);

    json_object *lists = json_object_new_object();
    ADD(lists, "case_category", list_json(&c->case_categories));
    ADD(lists, "commodity", list_json(&c->commodities));
    ADD(lists, "channel", list_json(&c->channels));
    ADD(lists, "lead_source", list_json(&c->lead_sources));
    ADD(lists, "case_status", list_json(&c->case_statuses));
    ADD(root, "lists", lists);

    json_object *yes_no = json_object_new_object();
    ADD(yes_no, "yes", str(c->yes_word));
    ADD(yes_no, "no", str(c->no_word));
    ADD(yes_no, "yes_aliases", list_json(&c->yes_aliases));
    ADD(yes_no, "no_aliases", list_json(&c->no_aliases));
    ADD(root, "yes_no", yes_no);

    json_object *aliases = json_object_new_array();
    for (size_t i = 0; i < c->alias_count; i++) {
        json_object *o = json_object_new_object();
        ADD(o, "canonical", str(c->aliases[i].canonical));
        ADD(o, "alternatives", list_json(&c->aliases[i].alternatives));
        json_object_array_add(aliases, o);
    }
    ADD(root, "header_aliases", aliases);
    return root;
}

char *config_snapshot_text(const hz_config *config)
{
    if (!config)
        return NULL;
    json_object *root = snapshot_build(config);
    if (!root)
        return NULL;
    const char *text = json_object_to_json_string_ext(
        root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *copy = text ? hz_strdup(text) : NULL;
    json_object_put(root);
    return copy;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

/* The reader stops at the first problem; where names the field. */
typedef struct reader {
    hz_error *err;
    bool failed;
    bool nomem;
    char where[256];
} reader;

static void fail(reader *R, const char *where, const char *what)
{
    if (R->failed)
        return;
    R->failed = true;
    snprintf(R->where, sizeof R->where, "%s", where);
    hz_error_set(R->err, HZ_ERR_CONFIG, HZ_M_CONFIG_SNAPSHOT_FIELD, R->where, what, NULL);
}

static const char *field_path(char *buf, size_t size, const char *where, const char *key)
{
    snprintf(buf, size, "%s%s%s", where, *where ? "." : "", key);
    return buf;
}

static json_object *member(reader *R, json_object *o, const char *key, json_type type,
                           const char *where)
{
    json_object *v = NULL;
    if (R->failed)
        return NULL;
    char path[256];
    field_path(path, sizeof path, where, key);
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type)) {
        static const char *const type_names[] = {
            [json_type_null] = "null", [json_type_boolean] = "boolean",
            [json_type_double] = "number", [json_type_int] = "integer",
            [json_type_object] = "object", [json_type_array] = "array",
            [json_type_string] = "string"};
        /* a whole number written by json-c for a double field is an int */
        if (v && type == json_type_double && json_object_is_type(v, json_type_int))
            return v;
        fail(R, path, type_names[type]);
        return NULL;
    }
    return v;
}

static char *get_str(reader *R, json_object *o, const char *key, const char *where)
{
    json_object *v = member(R, o, key, json_type_string, where);
    if (!v)
        return NULL;
    char *s = hz_strdup(json_object_get_string(v));
    if (!s)
        R->nomem = R->failed = true;
    return s;
}

static int64_t get_int(reader *R, json_object *o, const char *key, int64_t min, int64_t max,
                       const char *where)
{
    json_object *v = member(R, o, key, json_type_int, where);
    if (!v)
        return 0;
    int64_t n = json_object_get_int64(v);
    if (n < min || n > max) {
        char path[256];
        fail(R, field_path(path, sizeof path, where, key), "integer in range");
        return 0;
    }
    return n;
}

static double get_double(reader *R, json_object *o, const char *key, const char *where)
{
    json_object *v = member(R, o, key, json_type_double, where);
    return v ? json_object_get_double(v) : 0.0;
}

static bool get_bool(reader *R, json_object *o, const char *key, const char *where)
{
    json_object *v = member(R, o, key, json_type_boolean, where);
    return v ? json_object_get_boolean(v) : false;
}

static hz_date parse_date_value(reader *R, json_object *v, const char *path)
{
    hz_date d = HZ_DATE_NONE;
    if (!v || json_object_is_type(v, json_type_null))
        return HZ_DATE_NONE;
    if (!json_object_is_type(v, json_type_string) ||
        !hz_date_parse(json_object_get_string(v), &d)) {
        fail(R, path, "date YYYY-MM-DD or null");
        return HZ_DATE_NONE;
    }
    return d;
}

static hz_date get_date(reader *R, json_object *o, const char *key, const char *where)
{
    if (R->failed)
        return HZ_DATE_NONE;
    char path[256];
    field_path(path, sizeof path, where, key);
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v)) {
        fail(R, path, "date YYYY-MM-DD or null");
        return HZ_DATE_NONE;
    }
    return parse_date_value(R, v, path);
}

static int get_word(reader *R, json_object *o, const char *key, const char *const *words,
                    const char *where)
{
    json_object *v = member(R, o, key, json_type_string, where);
    if (!v)
        return 0;
    const char *s = json_object_get_string(v);
    for (int i = 0; words[i]; i++)
        if (!strcmp(words[i], s))
            return i;
    char path[256];
    fail(R, field_path(path, sizeof path, where, key), words[0]);
    return 0;
}

static void get_list(reader *R, json_object *o, const char *key, hz_list *out,
                     const char *where)
{
    out->items = NULL;
    out->count = out->cap = 0;
    json_object *a = member(R, o, key, json_type_array, where);
    if (!a)
        return;
    size_t n = json_object_array_length(a);
    if (n && !(out->items = calloc(n, sizeof *out->items))) {
        R->nomem = R->failed = true;
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s.%s[]", where, key);
    for (size_t i = 0; i < n && !R->failed; i++) {
        json_object *v = json_object_array_get_idx(a, i);
        if (!json_object_is_type(v, json_type_string)) {
            fail(R, path, "string");
            break;
        }
        if (!(out->items[i] = hz_strdup(json_object_get_string(v)))) {
            R->nomem = R->failed = true;
            break;
        }
        out->count++;
    }
}

/* The array at key with its element count; elements are objects. */
static size_t get_array(reader *R, json_object *o, const char *key, json_object **out,
                        const char *where)
{
    *out = member(R, o, key, json_type_array, where);
    if (!*out)
        return 0;
    size_t n = json_object_array_length(*out);
    char path[256];
    snprintf(path, sizeof path, "%s%s%s[]", where, *where ? "." : "", key);
    for (size_t i = 0; i < n; i++)
        if (!json_object_is_type(json_object_array_get_idx(*out, i), json_type_object)) {
            fail(R, path, "object");
            return 0;
        }
    return n;
}

static void *alloc_items(reader *R, size_t n, size_t size)
{
    if (R->failed || n == 0)
        return NULL;
    void *p = calloc(n, size);
    if (!p)
        R->nomem = R->failed = true;
    return p;
}

static hz_date *get_dates(reader *R, json_object *o, const char *key, size_t *count,
                          const char *where)
{
    *count = 0;
    json_object *a = member(R, o, key, json_type_array, where);
    if (!a)
        return NULL;
    size_t n = json_object_array_length(a);
    hz_date *dates = alloc_items(R, n, sizeof *dates);
    char path[256];
    snprintf(path, sizeof path, "%s.%s[]", where, key);
    for (size_t i = 0; dates && i < n && !R->failed; i++) {
        dates[i] = parse_date_value(R, json_object_array_get_idx(a, i), path);
        /* the calendar lookups bsearch these: sorted, as config.c leaves them */
        if (dates[i] == HZ_DATE_NONE || (i && dates[i] <= dates[i - 1]))
            fail(R, path, "dates in increasing order");
    }
    *count = R->failed ? 0 : n;
    if (R->failed) {
        free(dates);
        return NULL;
    }
    return dates;
}

static void read_snapshot(reader *R, json_object *root, hz_config *c)
{
    json_object *v = member(R, root, "format", json_type_string, "");
    if (v && strcmp(json_object_get_string(v), CONFIG_SNAPSHOT_FORMAT))
        fail(R, "format", CONFIG_SNAPSHOT_FORMAT);
    get_int(R, root, "version", CONFIG_SNAPSHOT_VERSION, CONFIG_SNAPSHOT_VERSION, "");

    json_object *campaign = member(R, root, "campaign", json_type_object, "");
    c->dir = get_str(R, campaign, "dir", "campaign");
    c->name = get_str(R, campaign, "name", "campaign");
    c->authority = get_str(R, campaign, "authority", "campaign");
    c->section = get_str(R, campaign, "section", "campaign");
    c->contact = get_str(R, campaign, "contact", "campaign");
    c->phone = get_str(R, campaign, "phone", "campaign");
    c->year = (int)get_int(R, campaign, "year", 1900, 9999, "campaign");
    c->start = get_date(R, campaign, "start", "campaign");
    c->end = get_date(R, campaign, "end", "campaign");
    c->template_version = (int)get_int(R, campaign, "template_version", 1, INT32_MAX, "campaign");
    c->stage_folder = get_str(R, campaign, "stage_folder", "campaign");
    c->notice = get_str(R, campaign, "notice", "campaign");
    c->basis = get_str(R, campaign, "basis", "campaign");
    c->topic = get_str(R, campaign, "topic", "campaign");
    c->utc_offset_minutes =
        (int)get_int(R, campaign, "utc_offset_minutes", -24 * 60, 24 * 60, "campaign");

    json_object *a;
    size_t n = get_array(R, root, "measures", &a, "");
    if (n != 6 && !R->failed)
        fail(R, "measures", "array of 6 measures");
    for (size_t i = 0; i < n && i < 6 && !R->failed; i++) {
        json_object *m = json_object_array_get_idx(a, i);
        c->measure_names[i] = get_str(R, m, "name", "measures[]");
        get_list(R, m, "channels", &c->measure_channels[i], "measures[]");
        get_list(R, m, "commodities", &c->measure_commodities[i], "measures[]");
    }

    n = get_array(R, root, "phases", &a, "");
    if ((c->phases = alloc_items(R, n, sizeof *c->phases)))
        for (size_t i = 0; i < n && !R->failed; i++, c->phase_count++) {
            json_object *o = json_object_array_get_idx(a, i);
            c->phases[i].id = get_str(R, o, "id", "phases[]");
            c->phases[i].name = get_str(R, o, "name", "phases[]");
            c->phases[i].first = get_date(R, o, "first", "phases[]");
            c->phases[i].last = get_date(R, o, "last", "phases[]");
        }

    n = get_array(R, root, "rounds", &a, "");
    if ((c->rounds = alloc_items(R, n, sizeof *c->rounds)))
        for (size_t i = 0; i < n && !R->failed; i++, c->round_count++) {
            json_object *o = json_object_array_get_idx(a, i);
            hz_round *r = &c->rounds[i];
            r->id = get_str(R, o, "id", "rounds[]");
            r->name = get_str(R, o, "name", "rounds[]");
            r->period_start = get_date(R, o, "period_start", "rounds[]");
            r->period_end = get_date(R, o, "period_end", "rounds[]");
            r->deadline = get_date(R, o, "deadline", "rounds[]");
            r->move_to_workday = get_bool(R, o, "move_to_workday", "rounds[]");
        }

    json_object *calendar = member(R, root, "calendar", json_type_object, "");
    c->holidays = get_dates(R, calendar, "holidays", &c->holiday_count, "calendar");
    c->workdays = get_dates(R, calendar, "workdays", &c->workday_count, "calendar");

    json_object *report = member(R, root, "report", json_type_object, "");
    c->report.title = get_str(R, report, "title", "report");
    c->report.recipient = get_str(R, report, "recipient", "report");
    c->report.signature = get_str(R, report, "signature", "report");
    get_list(R, report, "font_title", &c->report.font_title, "report");
    get_list(R, report, "font_body", &c->report.font_body, "report");
    get_list(R, report, "font_heading1", &c->report.font_heading1, "report");
    get_list(R, report, "font_heading2", &c->report.font_heading2, "report");
    get_list(R, report, "font_page", &c->report.font_page, "report");
    get_list(R, report, "font_fallbacks", &c->report.font_fallbacks, "report");
    get_list(R, report, "title_words", &c->report.title_words, "report");
    c->report.amount_decimals = (int)get_int(R, report, "amount_decimals", 0, 4, "report");
    c->report.typical_cases = (int)get_int(R, report, "typical_cases", 1, 10, "report");
    c->report.narrative_name = get_str(R, report, "narrative_name", "report");
    json_object *narrative = NULL;
    if (report && json_object_object_get_ex(report, "narrative_text", &narrative))
        c->report.narrative_text = get_str(R, report, "narrative_text", "report");

    json_object *limits = member(R, root, "limits", json_type_object, "");
    hz_limits *l = &c->limits;
    l->max_entry_bytes = (uint64_t)get_int(R, limits, "max_entry_bytes", 1, INT64_MAX, "limits");
    l->max_total_bytes = (uint64_t)get_int(R, limits, "max_total_bytes", 1, INT64_MAX, "limits");
    l->max_ratio = (uint32_t)get_int(R, limits, "max_ratio", 1, UINT32_MAX, "limits");
    l->max_entries = (uint32_t)get_int(R, limits, "max_entries", 1, UINT32_MAX, "limits");
    l->max_cell_chars = (uint32_t)get_int(R, limits, "max_cell_chars", 1, UINT32_MAX, "limits");
    l->max_rows = (uint32_t)get_int(R, limits, "max_rows", 1, UINT32_MAX, "limits");
    l->max_cols = (uint32_t)get_int(R, limits, "max_cols", 1, UINT32_MAX, "limits");
    l->max_shared_strings =
        (uint32_t)get_int(R, limits, "max_shared_strings", 1, UINT32_MAX, "limits");
    l->max_xml_depth = (uint32_t)get_int(R, limits, "max_xml_depth", 1, UINT32_MAX, "limits");
    l->max_text_bytes = (uint64_t)get_int(R, limits, "max_text_bytes", 1, INT64_MAX, "limits");
    l->max_issues_per_rule =
        (uint32_t)get_int(R, limits, "max_issues_per_rule", 1, UINT32_MAX, "limits");
    l->max_upload_bytes =
        (uint64_t)get_int(R, limits, "max_upload_bytes", 1, INT64_MAX, "limits");

    json_object *outliers = member(R, root, "outliers", json_type_object, "");
    c->outlier_threshold = get_double(R, outliers, "threshold", "outliers");
    c->outlier_min_units = (int)get_int(R, outliers, "min_units", 0, INT32_MAX, "outliers");

    json_object *as = member(R, root, "assessment", json_type_object, "");
    hz_assessment_weights *w = &c->assessment;
    w->w_timeliness = get_double(R, as, "w_timeliness", "assessment");
    w->w_quality = get_double(R, as, "w_quality", "assessment");
    w->w_completeness = get_double(R, as, "w_completeness", "assessment");
    w->w_results = get_double(R, as, "w_results", "assessment");
    w->late_deduction_per_day = get_double(R, as, "late_deduction_per_day", "assessment");
    w->error_deduction = get_double(R, as, "error_deduction", "assessment");
    w->warning_deduction = get_double(R, as, "warning_deduction", "assessment");
    w->grade_excellent = get_double(R, as, "grade_excellent", "assessment");
    w->grade_good = get_double(R, as, "grade_good", "assessment");
    w->grade_pass = get_double(R, as, "grade_pass", "assessment");

    n = get_array(R, root, "units", &a, "");
    if ((c->units = alloc_items(R, n, sizeof *c->units)))
        for (size_t i = 0; i < n && !R->failed; i++, c->unit_count++) {
            json_object *o = json_object_array_get_idx(a, i);
            hz_unit *u = &c->units[i];
            u->code = get_str(R, o, "code", "units[]");
            u->name = get_str(R, o, "name", "units[]");
            u->short_name = get_str(R, o, "short", "units[]");
            u->kind = (hz_unit_kind)get_word(R, o, "kind", unit_kinds, "units[]");
        }

    n = get_array(R, root, "indicators", &a, "");
    if ((c->indicators = alloc_items(R, n, sizeof *c->indicators)))
        for (size_t i = 0; i < n && !R->failed; i++, c->indicator_count++) {
            json_object *o = json_object_array_get_idx(a, i);
            hz_indicator *ind = &c->indicators[i];
            ind->code = get_str(R, o, "code", "indicators[]");
            ind->name = get_str(R, o, "name", "indicators[]");
            ind->uom = get_str(R, o, "uom", "indicators[]");
            ind->measure = get_str(R, o, "measure", "indicators[]");
            ind->note = get_str(R, o, "note", "indicators[]");
            ind->type = (hz_value_type)get_word(R, o, "type", value_types, "indicators[]");
            ind->over_rounds =
                (hz_round_agg)get_word(R, o, "over_rounds", round_aggs, "indicators[]");
            ind->required = get_bool(R, o, "required", "indicators[]");
            ind->part_of = get_str(R, o, "part_of", "indicators[]");
        }

    n = get_array(R, root, "rules", &a, "");
    if ((c->rules = alloc_items(R, n, sizeof *c->rules)))
        for (size_t i = 0; i < n && !R->failed; i++, c->rule_count++) {
            json_object *o = json_object_array_get_idx(a, i);
            hz_rule *r = &c->rules[i];
            r->id = get_str(R, o, "id", "rules[]");
            r->expr = get_str(R, o, "expr", "rules[]");
            r->severity = (hz_severity)get_word(R, o, "severity", severities, "rules[]");
            r->missing = (hz_missing_strategy)get_word(R, o, "missing", missing_words, "rules[]");
            r->message = get_str(R, o, "message", "rules[]");
            r->message_en = get_str(R, o, "message_en", "rules[]");
            rule_expr *e = NULL;
            hz_error ignored;
            if (!R->failed && rule_expr_parse(r->expr, &e, &ignored) != HZ_OK)
                fail(R, "rules[].expr", "rule expression");
            rule_expr_free(e);
        }

    json_object *lists = member(R, root, "lists", json_type_object, "");
    get_list(R, lists, "case_category", &c->case_categories, "lists");
    get_list(R, lists, "commodity", &c->commodities, "lists");
    get_list(R, lists, "channel", &c->channels, "lists");
    get_list(R, lists, "lead_source", &c->lead_sources, "lists");
    get_list(R, lists, "case_status", &c->case_statuses, "lists");

    json_object *yes_no = member(R, root, "yes_no", json_type_object, "");
    c->yes_word = get_str(R, yes_no, "yes", "yes_no");
    c->no_word = get_str(R, yes_no, "no", "yes_no");
    get_list(R, yes_no, "yes_aliases", &c->yes_aliases, "yes_no");
    get_list(R, yes_no, "no_aliases", &c->no_aliases, "yes_no");

    n = get_array(R, root, "header_aliases", &a, "");
    if ((c->aliases = alloc_items(R, n, sizeof *c->aliases)))
        for (size_t i = 0; i < n && !R->failed; i++, c->alias_count++) {
            json_object *o = json_object_array_get_idx(a, i);
            c->aliases[i].canonical = get_str(R, o, "canonical", "header_aliases[]");
            get_list(R, o, "alternatives", &c->aliases[i].alternatives, "header_aliases[]");
        }
}

hz_status config_snapshot_parse(const char *text, size_t size, hz_config **out, hz_error *err)
{
    if (!out || !text)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_INTERNAL, "config_snapshot_parse", NULL);
    *out = NULL;
    json_tokener *tok = json_tokener_new();
    if (!tok)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    json_object *root = size <= INT32_MAX ? json_tokener_parse_ex(tok, text, (int)size) : NULL;
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    bool whole = root && jerr == json_tokener_success &&
                 json_tokener_get_parse_end(tok) == size;
    json_tokener_free(tok);
    if (!whole || !json_object_is_type(root, json_type_object)) {
        json_object_put(root);
        return hz_error_set(err, HZ_ERR_CONFIG, HZ_M_CONFIG_SNAPSHOT_NOT_JSON,
                            whole ? "not an object" : json_tokener_error_desc(jerr), NULL);
    }
    hz_config *c = calloc(1, sizeof *c);
    if (!c) {
        json_object_put(root);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    reader R = {.err = err};
    read_snapshot(&R, root, c);
    json_object_put(root);
    if (!R.failed && !config_index_units(c))
        R.failed = R.nomem = true;
    if (R.failed) {
        config_free(c);
        if (R.nomem)
            return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        return HZ_ERR_CONFIG;
    }
    *out = c;
    return HZ_OK;
}
