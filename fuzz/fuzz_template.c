/*
 * fuzz_template.c - libFuzzer target for the report template expander and
 * its Markdown mapping (report_template_render: both stages).
 *
 * Input: template text, optionally followed by a NUL byte and a JSON
 * context. Without a context part (or when it does not parse as JSON) the
 * sample context of the tests (tests/fixtures/context/sample-context.json)
 * is used, so placeholders, sections, tables and charts resolve and the
 * fuzzer gets past "unknown placeholder". Invariants: success gives a doc,
 * failure gives none and a renderable message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "report_template.h"

static struct json_object *sample;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    sample = json_object_from_file(HZ_SOURCE_DIR "/tests/fixtures/context/sample-context.json");
    if (!sample)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    size_t tlen = strlen(text);
    struct json_object *ctx = NULL;
    if (tlen < size) {
        json_tokener *tok = json_tokener_new_ex(64);
        if (tok) {
            ctx = json_tokener_parse_ex(tok, text + tlen + 1, (int)(size - tlen - 1));
            if (json_tokener_get_error(tok) != json_tokener_success && ctx) {
                json_object_put(ctx);
                ctx = NULL;
            }
            json_tokener_free(tok);
        }
    }
    hz_doc *doc = NULL;
    hz_error err;
    hz_status s = report_template_render(text, "fuzz.md", ctx ? ctx : sample, &doc, &err);
    if (s == HZ_OK) {
        if (!doc)
            abort();
        doc_free(doc);
    } else {
        char buf[2048];
        if (doc || !*hz_error_render(&err, HZ_LANG_ZH, buf, sizeof buf))
            abort();
    }
    if (ctx)
        json_object_put(ctx);
    free(text);
    return 0;
}
