/*
 * hz_test_json.h - assertions on what huizong says, by meaning rather than
 * wording: fields of its JSON outputs (`check --format json`,
 * `consolidate --format json`, validation.json, context.json) and the
 * catalogue message a line carries (rendered through the catalogue itself,
 * so rewording a message in src/lib/msg breaks no test of behaviour; the
 * wording is tested with the catalogue, tests/unit/test_core.c).
 */
#ifndef HZ_TEST_JSON_H
#define HZ_TEST_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "hz_msg.h"

/* Parses text (fails the test, showing text, when it is not JSON). The
 * caller json_object_put()s the result. */
json_object *hz_test_json_parse(const char *text);
/* Reads and parses a JSON file (fails the test when it cannot). */
json_object *hz_test_json_file(const char *path);

/* The value at a dotted path of object keys and array indexes
 * ("tasks.0.counts.errors"); NULL when any step is absent. */
json_object *hz_test_json_at(json_object *root, const char *path);
/* The string / integer / boolean at path; fails the test when absent. */
const char *hz_test_json_str(json_object *root, const char *path);
int64_t hz_test_json_int(json_object *root, const char *path);
bool hz_test_json_bool(json_object *root, const char *path);
/* Length of the array at path (fails the test when it is not an array). */
size_t hz_test_json_len(json_object *root, const char *path);

/* The first element of the array at path whose member key equals value
 * (string comparison); NULL when none. */
json_object *hz_test_json_find(json_object *root, const char *path, const char *key,
                               const char *value);
/* How many elements of the array at path have member key equal to value. */
size_t hz_test_json_count(json_object *root, const char *path, const char *key,
                          const char *value);

/* The catalogue's text of id in lang with the arguments (NULL-terminated),
 * as huizong would print it; a static buffer, valid until the next call. */
const char *hz_test_msg(hz_lang lang, hz_msg_id id, ...);
/* The beginning of the message id with the arguments given (NULL-
 * terminated): the catalogue text up to the first placeholder whose
 * argument is not given, for a line whose other arguments (counts, hashes)
 * a test does not know. A static buffer, valid until the next call. */
const char *hz_test_msg_head(hz_lang lang, hz_msg_id id, ...);
#define hz_test_says_head(text, lang, ...) \
    (strstr((text), hz_test_msg_head((lang), __VA_ARGS__)) != NULL)
/* true when text contains the message id (with those arguments). */
#define hz_test_says(text, lang, ...) (strstr((text), hz_test_msg((lang), __VA_ARGS__)) != NULL)

#endif
