/* check.c - `huizong check` as a library call: read + validate one file. */
#include "check.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include "hz_text.h"
#include "validate.h"

hz_status check_file(const hz_config *config, const char *path, const hz_check_options *opt,
                     hz_check_result *result, hz_error *err)
{
    memset(result, 0, sizeof *result);
    if (!config || !path)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_INTERNAL, "check_file", NULL);
    hz_error read_err;
    result->issues.max_per_rule = config->limits.max_issues_per_rule;
    hz_status s = submission_read(path, config, &result->sub, &result->issues, &read_err);
    if (s == HZ_ERR_NOMEM || s == HZ_ERR_INTERNAL || s == HZ_ERR_USAGE) {
        if (err)
            *err = read_err;
        return s;
    }
    /* a file that could not be read is examined all the same: its issue
     * says why, and the caller decides what that means (exit 3, rejected) */
    if (result->sub.readable) {
        s = validate_submission(config, &result->sub, opt ? opt->round : NULL, &result->issues,
                                err);
        if (s != HZ_OK)
            return s;
    }
    if (!issue_list_flush_summaries(&result->issues))
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    issue_list_sort(&result->issues);
    result->counts = issue_list_count(&result->issues);
    result->valid = result->sub.readable && result->counts.errors == 0;
    return HZ_OK;
}

void check_result_free(hz_check_result *result)
{
    if (!result)
        return;
    submission_free(&result->sub);
    issue_list_free(&result->issues);
    memset(result, 0, sizeof *result);
}

static json_object *issue_json(const hz_issue *issue, hz_lang lang)
{
    char message[2048];
    json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    json_object_object_add(o, "sheet", json_object_new_string(issue->sheet));
    json_object_object_add(o, "cell", json_object_new_string(issue->cell));
    json_object_object_add(o, "field", json_object_new_string(issue->field));
    json_object_object_add(o, "rule", json_object_new_string(issue->rule));
    json_object_object_add(o, "severity",
                           json_object_new_string(issue_severity_name(issue->severity)));
    json_object_object_add(o, "explained", json_object_new_boolean(issue->explained));
    json_object_object_add(o, "found", json_object_new_string(issue->found));
    json_object_object_add(o, "expected", json_object_new_string(issue->expected));
    if (issue->more)
        json_object_object_add(o, "more", json_object_new_int64((int64_t)issue->more));
    json_object_object_add(o, "message",
                           json_object_new_string(issue_render(issue, lang, message,
                                                               sizeof message)));
    return o;
}

struct json_object *check_report_json(const hz_check_result *results, size_t count,
                                      hz_lang lang)
{
    json_object *root = json_object_new_object(), *tasks = json_object_new_array();
    if (!root || !tasks) {
        json_object_put(root);
        json_object_put(tasks);
        return NULL;
    }
    bool all_valid = true;
    for (size_t i = 0; i < count; i++) {
        const hz_check_result *r = &results[i];
        all_valid = all_valid && r->valid;
        json_object *t = json_object_new_object(), *counts = json_object_new_object(),
                    *list = json_object_new_array();
        char *shown = hz_text_valid_utf8(r->sub.path ? r->sub.path : "");
        json_object_object_add(t, "file", json_object_new_string(shown ? shown : ""));
        free(shown);
        json_object_object_add(t, "sha256", json_object_new_string(r->sub.sha256));
        json_object_object_add(t, "size", json_object_new_int64((int64_t)r->sub.size));
        json_object_object_add(t, "valid", json_object_new_boolean(r->valid));
        json_object_object_add(t, "unit",
                               r->sub.unit ? json_object_new_string(r->sub.unit->code) : NULL);
        json_object_object_add(t, "round",
                               r->sub.round ? json_object_new_string(r->sub.round->id) : NULL);
        json_object_object_add(t, "cases", json_object_new_int64((int64_t)r->sub.case_count));
        json_object_object_add(counts, "errors", json_object_new_int64((int64_t)r->counts.errors));
        json_object_object_add(counts, "warnings",
                               json_object_new_int64((int64_t)r->counts.warnings));
        json_object_object_add(counts, "explained",
                               json_object_new_int64((int64_t)r->counts.explained));
        json_object_object_add(counts, "notices",
                               json_object_new_int64((int64_t)r->counts.notices));
        json_object_object_add(t, "counts", counts);
        for (size_t k = 0; k < r->issues.count; k++)
            json_object_array_add(list, issue_json(&r->issues.items[k], lang));
        json_object_object_add(t, "issues", list);
        json_object_array_add(tasks, t);
    }
    json_object_object_add(root, "valid", json_object_new_boolean(all_valid));
    json_object_object_add(root, "tasks", tasks);
    return root;
}
