/* test_config_snapshot.c - the configuration's JSON snapshot (config_snapshot.h). */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_snapshot.h"

#define GOOD_DIR HZ_SOURCE_DIR "/config/xuchang-2022"

static hz_config *load_good(void)
{
    hz_config *config = NULL;
    hz_config_problems problems = {0};
    cr_assert_eq(config_load(GOOD_DIR, &config, &problems), HZ_OK);
    return config;
}

static hz_config *parse_ok(const char *text)
{
    hz_config *config = NULL;
    hz_error err = {0};
    hz_status s = config_snapshot_parse(text, strlen(text), &config, &err);
    cr_assert_eq(s, HZ_OK, "snapshot refused: %s / %s", err.args[0], err.args[1]);
    return config;
}

/* Parses text and expects a refusal naming field (NULL: not JSON). */
static void expect_refused(const char *text, hz_msg_id msg, const char *field)
{
    hz_config *config = (hz_config *)1;
    hz_error err = {0};
    cr_assert_eq(config_snapshot_parse(text, strlen(text), &config, &err), HZ_ERR_CONFIG);
    cr_assert_null(config);
    cr_assert_eq(err.msg, msg);
    if (field)
        cr_assert_str_eq(err.args[0], field);
}

/* The snapshot text of the shipped configuration with one edit applied. */
static char *edited(void (*edit)(json_object *root))
{
    hz_config *config = load_good();
    char *text = config_snapshot_text(config);
    config_free(config);
    json_object *root = json_tokener_parse(text);
    free(text);
    edit(root);
    char *out = strdup(json_object_to_json_string(root));
    json_object_put(root);
    return out;
}

Test(config_snapshot, round_trip_keeps_every_field)
{
    hz_config *a = load_good();
    char *text = config_snapshot_text(a);
    cr_assert_not_null(text);
    hz_config *b = parse_ok(text);
    /* every field is in the snapshot: the snapshot of the copy is the same text */
    char *again = config_snapshot_text(b);
    cr_assert_str_eq(again, text);
    /* and the model's lookups answer alike */
    cr_assert_eq(a->unit_count, b->unit_count);
    cr_assert_gt(b->unit_count, 0);
    cr_assert_eq(a->rule_count, b->rule_count);
    cr_assert_eq(a->indicator_count, b->indicator_count);
    cr_assert_eq(a->holiday_count, b->holiday_count);
    cr_assert_eq(a->limits.max_entry_bytes, b->limits.max_entry_bytes);
    cr_assert_eq(a->outlier_threshold, b->outlier_threshold);
    cr_assert_not_null(b->units_by_code, "the snapshot loader indexes the units too");
    for (size_t i = 0; i < b->unit_count; i++)
        cr_assert_str_eq(config_find_unit(b, a->units[i].code)->name, a->units[i].name);
    for (size_t i = 0; i < a->round_count; i++)
        cr_assert_eq(config_effective_deadline(a, &a->rounds[i]),
                     config_effective_deadline(b, &b->rounds[i]));
    free(again);
    free(text);
    config_free(a);
    config_free(b);
}

/* The snapshot goes into pages handed out to counties: it names the
 * campaign's folder by its own name only, never where the city keeps it. */
Test(config_snapshot, names_no_city_path)
{
    hz_config *config = load_good();
    char *text = config_snapshot_text(config);
    cr_assert_not_null(text);
    cr_assert_null(strstr(text, HZ_SOURCE_DIR), "the snapshot holds the source path");
    json_object *root = json_tokener_parse(text);
    json_object *campaign = NULL, *dir = NULL;
    cr_assert(json_object_object_get_ex(root, "campaign", &campaign));
    cr_assert(json_object_object_get_ex(campaign, "dir", &dir));
    cr_assert_str_eq(json_object_get_string(dir), "xuchang-2022");
    json_object_put(root);
    free(text);
    config_free(config);
}

Test(config_snapshot, not_json_is_refused)
{
    expect_refused("{\"format\": ", HZ_M_CONFIG_SNAPSHOT_NOT_JSON, NULL);
    expect_refused("[1, 2]", HZ_M_CONFIG_SNAPSHOT_NOT_JSON, NULL);
    expect_refused("{} trailing", HZ_M_CONFIG_SNAPSHOT_NOT_JSON, NULL);
}

static void drop_units(json_object *root) { json_object_object_del(root, "units"); }
static void bad_kind(json_object *root)
{
    json_object *unit = json_object_array_get_idx(json_object_object_get(root, "units"), 0);
    json_object_object_add(unit, "kind", json_object_new_string("province"));
}
static void bad_version(json_object *root)
{
    json_object_object_add(root, "version", json_object_new_int(2));
}
static void unsorted_holidays(json_object *root)
{
    json_object *cal = json_object_object_get(root, "calendar");
    json_object *h = json_object_new_array();
    json_object_array_add(h, json_object_new_string("2022-10-02"));
    json_object_array_add(h, json_object_new_string("2022-10-01"));
    json_object_object_add(cal, "holidays", h);
}
static void bad_rule(json_object *root)
{
    json_object *rule = json_object_array_get_idx(json_object_object_get(root, "rules"), 0);
    json_object_object_add(rule, "expr", json_object_new_string("A01 <="));
}
static void bad_limit(json_object *root)
{
    json_object_object_add(json_object_object_get(root, "limits"), "max_rows",
                           json_object_new_string("many"));
}

Test(config_snapshot, a_broken_field_is_named)
{
    struct {
        void (*edit)(json_object *);
        const char *field;
    } cases[] = {
        {drop_units, "units"},
        {bad_kind, "units[].kind"},
        {bad_version, "version"},
        {unsorted_holidays, "calendar.holidays[]"},
        {bad_rule, "rules[].expr"},
        {bad_limit, "limits.max_rows"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = edited(cases[i].edit);
        expect_refused(text, HZ_M_CONFIG_SNAPSHOT_FIELD, cases[i].field);
        free(text);
    }
}
