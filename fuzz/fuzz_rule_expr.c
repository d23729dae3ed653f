/*
 * fuzz_rule_expr.c - libFuzzer target for the rules.ini expression parser
 * and evaluator. The input is the expression text (cut at the first NUL).
 * When it parses, it is evaluated under every missing-value strategy with a
 * resolver whose answers are derived from the identifier (unknown, missing,
 * zero, huge, negative, fractional), so division by zero, overflow to inf
 * and every skip rule are reached. Invariants: a parse failure gives no
 * expression and a renderable message; identifiers are distinct.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "rule_expr.h"

static bool resolve(void *ctx, const char *name, double *value, bool *missing)
{
    (void)ctx;
    unsigned h = 0;
    for (const char *p = name; *p; p++)
        h = h * 31u + (unsigned char)*p;
    switch (h % 8) {
    case 0: return false;                          /* unknown name */
    case 1: *missing = true; return true;
    case 2: *missing = false; *value = 0; return true;
    case 3: *missing = false; *value = 1e308; return true;
    case 4: *missing = false; *value = -3.5; return true;
    case 5: *missing = false; *value = 1e-300; return true;
    default: *missing = false; *value = (double)(h % 1000); return true;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    rule_expr *e = NULL;
    hz_error err;
    hz_status s = rule_expr_parse(text, &e, &err);
    if (s != HZ_OK) {
        char buf[2048];
        if (e || !*hz_error_render(&err, HZ_LANG_ZH, buf, sizeof buf))
            abort();
        free(text);
        return 0;
    }
    const char *const *names = NULL;
    size_t n = rule_expr_identifiers(e, &names);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(names[i], names[k]) == 0)
                abort();
    (void)rule_expr_op_text(rule_expr_op(e));
    static const hz_missing_strategy strategies[] = {
        HZ_MISSING_NEVER_SKIP, HZ_MISSING_SKIP_IF_ANY, HZ_MISSING_SKIP_IF_ALL
    };
    for (size_t i = 0; i < sizeof strategies / sizeof strategies[0]; i++) {
        rule_result r;
        (void)rule_expr_eval(e, resolve, NULL, strategies[i], &r, &err);
    }
    rule_expr_free(e);
    free(text);
    return 0;
}
