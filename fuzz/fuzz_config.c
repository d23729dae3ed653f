/*
 * fuzz_config.c - libFuzzer target for the configuration loader.
 *
 * config_load reads a folder, so the target keeps one temporary folder
 * holding the five files of the default configuration (config/xuchang-2022).
 * The first input byte picks the file (modulo 5) and the rest of the input
 * replaces it; the folder is loaded, and the file is restored afterwards.
 * So every run is "the default configuration with one hostile file", which
 * reaches the cross-file checks (rules naming indicators, rounds inside
 * phases) instead of failing on the first missing file. Invariants: success
 * means no problems and a config; failure means no config and at least one
 * problem with a renderable message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"

static const char *const files[] = {
    "campaign.ini", "units.ini", "indicators.ini", "lists.ini", "rules.ini"
};
#define NFILES (sizeof files / sizeof files[0])

static char folder[4096];
static char *originals[NFILES];
static size_t original_sizes[NFILES];

static char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 8192;
            char *p = realloc(buf, cap);
            if (!p)
                abort();
            buf = p;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    fclose(f);
    *size = len;
    return buf;
}

static void spill(const char *name, const void *data, size_t size)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
}

static void cleanup(void)
{
    char path[4200];
    for (size_t i = 0; i < NFILES; i++) {
        snprintf(path, sizeof path, "%s/%s", folder, files[i]);
        unlink(path);
        free(originals[i]);
    }
    rmdir(folder);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(folder, sizeof folder, "%s/hz-fuzz-config-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(folder))
        abort();
    for (size_t i = 0; i < NFILES; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/config/xuchang-2022/%s", HZ_SOURCE_DIR, files[i]);
        originals[i] = slurp(path, &original_sizes[i]);
        if (!originals[i])
            abort();
        spill(files[i], originals[i], original_sizes[i]);
    }
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t which = data[0] % NFILES;
    spill(files[which], data + 1, size - 1);
    hz_config *cfg = NULL;
    hz_config_problems problems = {0};
    hz_status s = config_load(folder, &cfg, &problems);
    if (s == HZ_OK) {
        if (!cfg || problems.count != 0)
            abort();
        config_free(cfg);
    } else {
        if (cfg || problems.count == 0)
            abort();
        char buf[2048];
        for (size_t i = 0; i < problems.count; i++)
            if (!*hz_error_render(&problems.items[i].error, HZ_LANG_ZH, buf, sizeof buf))
                abort();
    }
    config_problems_free(&problems);
    spill(files[which], originals[which], original_sizes[which]);
    return 0;
}
