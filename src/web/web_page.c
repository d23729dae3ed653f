/* web_page.c - the functions huizong-check.html calls (in its Web Worker).
 *
 * hz_web_check() runs the native cmd_check (src/cli/cmd_check.c) on one file
 * of the in-memory file system with --format json, capturing what it would
 * print, so the page shows exactly the report of `huizong check`. The
 * words the page needs around the report (severity names, the summary
 * sentences) come from the same catalogue. */
#include <emscripten/emscripten.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "web_snapshot.h"

/* Captured output of one cmd_check run. */
typedef struct capture {
    char *out, *err;
    size_t out_size, err_size;
} capture;

static int run_check(hz_lang lang, const char *path, const char *round, const char *config,
                     capture *cap)
{
    FILE *out = open_memstream(&cap->out, &cap->out_size);
    FILE *err = open_memstream(&cap->err, &cap->err_size);
    hz_cli cli = {.prog = "huizong", .command = "check", .lang = lang, .out = out, .err = err};
    char *argv[10];
    int argc = 0;
    argv[argc++] = "check";
    argv[argc++] = "--format=json";
    if (round && *round) {
        argv[argc++] = "--round";
        argv[argc++] = (char *)round;
    }
    if (config && *config) {
        argv[argc++] = "--config";
        argv[argc++] = (char *)config;
    }
    argv[argc++] = (char *)path;
    argv[argc] = NULL;
    int rc = out && err ? cmd_check(&cli, argc, argv) : HZ_EXIT_IO;
    if (out)
        fclose(out);
    if (err)
        fclose(err);
    return rc;
}

static json_object *words(hz_lang lang)
{
    static const struct {
        const char *key;
        hz_msg_id id;
    } table[] = {
        {"error", HZ_M_CLI_SEV_ERROR},
        {"warning", HZ_M_CLI_SEV_WARNING},
        {"notice", HZ_M_CLI_SEV_NOTICE},
        {"line", HZ_M_CLI_CHECK_LINE},
        {"explained_line", HZ_M_CLI_CHECK_EXPLAINED_LINE},
        {"valid", HZ_M_CLI_CHECK_VALID},
        {"invalid", HZ_M_CLI_CHECK_INVALID},
        {"total", HZ_M_CLI_CHECK_TOTAL},
    };
    json_object *o = json_object_new_object();
    for (size_t i = 0; o && i < sizeof table / sizeof table[0]; i++)
        json_object_object_add(o, table[i].key,
                               json_object_new_string(hz_msg_text(lang, table[i].id)));
    return o;
}

/* {"exit": N, "report": {...} | null, "stderr": "...", "words": {...}} as
 * a string the caller frees with hz_web_free. lang is "zh" or "en"; round
 * is "" for the workbook's own; config is the path of a configuration
 * snapshot in the in-memory file system, "" for the one built in (the
 * page's module has none built in: the page hands its worker the snapshot
 * it carries, so one build serves every configuration). */
EMSCRIPTEN_KEEPALIVE
char *hz_web_check(const char *path, const char *lang_word, const char *round, const char *config)
{
    int parsed = hz_lang_parse(lang_word ? lang_word : "zh");
    hz_lang lang = parsed < 0 ? HZ_LANG_ZH : (hz_lang)parsed;
    capture cap = {0};
    int rc = run_check(lang, path, round, config, &cap);
    json_object *root = json_object_new_object();
    json_object *report = cap.out && *cap.out ? json_tokener_parse(cap.out) : NULL;
    json_object_object_add(root, "exit", json_object_new_int(rc));
    json_object_object_add(root, "report", report);
    json_object_object_add(root, "stderr", json_object_new_string(cap.err ? cap.err : ""));
    json_object_object_add(root, "words", words(lang));
    free(cap.out);
    free(cap.err);
    const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_NOSLASHESCAPE);
    char *copy = text ? strdup(text) : NULL;
    json_object_put(root);
    return copy;
}

/* The built-in configuration snapshot ("" in the page's module). */
EMSCRIPTEN_KEEPALIVE
const char *hz_web_snapshot_text(void)
{
    return hz_web_snapshot;
}

EMSCRIPTEN_KEEPALIVE
void hz_web_free(char *text)
{
    free(text);
}
