/* test_rule_expr.c - parser and evaluator of rules.ini expressions. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "rule_expr.h"

/* A small table of names: value, or missing when miss is set. */
typedef struct binding {
    const char *name;
    double value;
    bool miss;
} binding;

typedef struct env {
    const binding *items;
    size_t count;
} env;

static bool resolve(void *ctx, const char *name, double *value, bool *missing)
{
    const env *e = ctx;
    for (size_t i = 0; i < e->count; i++) {
        if (strcmp(e->items[i].name, name) == 0) {
            *missing = e->items[i].miss;
            if (!e->items[i].miss)
                *value = e->items[i].value;
            return true;
        }
    }
    return false;
}

static const binding base[] = {
    { "A01", 10, false }, { "A02", 4, false }, { "A03", 2, false }, { "Z", 0, false },
    { "M1", 0, true }, { "M2", 0, true }, { "case_filed", 5, false },
    { "case_closed", 3, false }, { "case_amount", 1.1, false },
};

static rule_result eval_text(const char *text, hz_missing_strategy strategy)
{
    rule_expr *e = NULL;
    hz_error err = { 0 };
    hz_status st = rule_expr_parse(text, &e, &err);
    cr_assert_eq(st, HZ_OK, "parse of \"%s\" failed: %s", text, hz_msg_name(err.msg));
    env en = { base, sizeof base / sizeof base[0] };
    rule_result r;
    st = rule_expr_eval(e, resolve, &en, strategy, &r, &err);
    cr_assert_eq(st, HZ_OK, "eval of \"%s\" failed", text);
    rule_expr_free(e);
    return r;
}

static void expect(const char *text, rule_outcome outcome, double left, double right)
{
    rule_result r = eval_text(text, HZ_MISSING_NEVER_SKIP);
    cr_expect_eq(r.outcome, outcome, "\"%s\": outcome %d, expected %d", text, r.outcome, outcome);
    cr_expect_float_eq(r.left, left, 1e-12, "\"%s\": left %g, expected %g", text, r.left, left);
    cr_expect_float_eq(r.right, right, 1e-12, "\"%s\": right %g, expected %g", text, r.right, right);
}

/* Parses text expecting failure with msg at column col (0: no column). */
static void expect_syntax(const char *text, hz_msg_id msg, const char *col, const char *what)
{
    rule_expr *e = (rule_expr *)1;
    hz_error err = { 0 };
    hz_status st = rule_expr_parse(text, &e, &err);
    cr_assert_eq(st, HZ_ERR_CONFIG, "\"%s\" parsed", text);
    cr_expect_null(e);
    cr_expect_str_eq(hz_msg_name(err.msg), hz_msg_name(msg), "\"%s\"", text);
    if (col) {
        cr_assert_geq(err.nargs, 2);
        cr_expect_str_eq(err.args[0], text);
        cr_expect_str_eq(err.args[1], col, "\"%s\": column %s, expected %s", text, err.args[1], col);
    }
    if (what) {
        cr_assert_geq(err.nargs, 3);
        cr_expect_str_eq(err.args[2], what);
    }
}

Test(rule_expr, precedence)
{
    expect("A01 + A02 * A03 == 18", RULE_PASS, 18, 18);
    expect("A01 - A02 - A03 == 4", RULE_PASS, 4, 4);      /* left-associative */
    expect("A01 / A03 / A03 == 2.5", RULE_PASS, 2.5, 2.5);
    expect("A01 - A02 * 2 > 3", RULE_FAIL, 2, 3);
    expect("2 + 3 * 4 - 6 / 2 == 11", RULE_PASS, 11, 11);
}

Test(rule_expr, parentheses_and_unary_minus)
{
    expect("(A01 + A02) * A03 == 28", RULE_PASS, 28, 28);
    expect("-A01 + 3 == -7", RULE_PASS, -7, -7);
    expect("-(A01 - A02) <= -6", RULE_PASS, -6, -6);
    expect("--A03 == 2", RULE_PASS, 2, 2);
    expect("A01 * -A03 >= -20", RULE_PASS, -20, -20);
    expect("((((A03)))) != 2", RULE_FAIL, 2, 2);
}

Test(rule_expr, comparisons)
{
    expect("A01 > A02", RULE_PASS, 10, 4);
    expect("A02 > A01", RULE_FAIL, 4, 10);
    expect("A01 >= 10", RULE_PASS, 10, 10);
    expect("A01 < 10", RULE_FAIL, 10, 10);
    expect("A01 <= 10", RULE_PASS, 10, 10);
    expect("A01 != 10", RULE_FAIL, 10, 10);
    expect("A01 == 10.5", RULE_FAIL, 10, 10.5);
}

Test(rule_expr, epsilon_on_amounts)
{
    /* 0.1 + 0.2 is 0.30000000000000004 in doubles. */
    expect("0.1 + 0.2 == 0.3", RULE_PASS, 0.1 + 0.2, 0.3);
    expect("0.1 + 0.2 <= 0.3", RULE_PASS, 0.1 + 0.2, 0.3);
    expect("0.1 + 0.2 > 0.3", RULE_FAIL, 0.1 + 0.2, 0.3);
    expect("case_amount * 3 == 3.3", RULE_PASS, 1.1 * 3, 3.3);
    expect("0.3 < 0.30001", RULE_PASS, 0.3, 0.30001);
}

Test(rule_expr, division_by_zero_is_undefined)
{
    rule_result r = eval_text("A01 / Z > 1", HZ_MISSING_NEVER_SKIP);
    cr_expect_eq(r.outcome, RULE_UNDEFINED);
    r = eval_text("1 < A01 / (A03 - 2)", HZ_MISSING_NEVER_SKIP);
    cr_expect_eq(r.outcome, RULE_UNDEFINED);
    /* A missing divisor counts as 0 under never_skip. */
    r = eval_text("A01 / M1 > 1", HZ_MISSING_NEVER_SKIP);
    cr_expect_eq(r.outcome, RULE_UNDEFINED);
    r = eval_text("A01 / M1 > 1", HZ_MISSING_SKIP_IF_ANY);
    cr_expect_eq(r.outcome, RULE_SKIPPED);
}

Test(rule_expr, missing_never_skip_counts_zero)
{
    rule_result r = eval_text("M1 + A03 <= 1", HZ_MISSING_NEVER_SKIP);
    cr_expect_eq(r.outcome, RULE_FAIL);
    cr_expect_float_eq(r.left, 2, 1e-12);
    cr_expect_eq(r.missing_count, 1);
    cr_expect_eq(r.name_count, 2);
    r = eval_text("M1 <= M2", HZ_MISSING_NEVER_SKIP);
    cr_expect_eq(r.outcome, RULE_PASS);
    cr_expect_eq(r.missing_count, 2);
}

Test(rule_expr, missing_skip_if_any)
{
    rule_result r = eval_text("M1 + A03 <= 1", HZ_MISSING_SKIP_IF_ANY);
    cr_expect_eq(r.outcome, RULE_SKIPPED);
    r = eval_text("A01 > A03", HZ_MISSING_SKIP_IF_ANY);
    cr_expect_eq(r.outcome, RULE_PASS);
    r = eval_text("A01 < A03", HZ_MISSING_SKIP_IF_ANY);
    cr_expect_eq(r.outcome, RULE_FAIL);
}

Test(rule_expr, missing_skip_if_all)
{
    rule_result r = eval_text("M1 + A03 <= 1", HZ_MISSING_SKIP_IF_ALL);
    cr_expect_eq(r.outcome, RULE_FAIL, "one of two present: evaluated with M1 = 0");
    cr_expect_float_eq(r.left, 2, 1e-12);
    r = eval_text("M1 + M2 <= 1", HZ_MISSING_SKIP_IF_ALL);
    cr_expect_eq(r.outcome, RULE_SKIPPED);
    r = eval_text("1 < 2", HZ_MISSING_SKIP_IF_ALL);
    cr_expect_eq(r.outcome, RULE_PASS, "a rule without names is never skipped");
}

Test(rule_expr, compulsory_pair)
{
    rule_result r = eval_text("A01 compulsory_pair A02", HZ_MISSING_SKIP_IF_ANY);
    cr_expect_eq(r.outcome, RULE_PASS);
    cr_expect(r.left_present && r.right_present);
    r = eval_text("M1 compulsory_pair M2", HZ_MISSING_SKIP_IF_ANY);
    cr_expect_eq(r.outcome, RULE_PASS, "both missing passes and is never skipped");
    r = eval_text("A01 compulsory_pair M2", HZ_MISSING_NEVER_SKIP);
    cr_expect_eq(r.outcome, RULE_FAIL);
    cr_expect(r.left_present);
    cr_expect_not(r.right_present);
    r = eval_text("M1 compulsory_pair A02 + A03", HZ_MISSING_NEVER_SKIP);
    cr_expect_eq(r.outcome, RULE_FAIL);
    cr_expect_float_eq(r.right, 6, 1e-12);
    /* A side is present when any of its names has a value. */
    r = eval_text("M1 + A01 compulsory_pair A02", HZ_MISSING_NEVER_SKIP);
    cr_expect_eq(r.outcome, RULE_PASS);
}

Test(rule_expr, exclusive_pair)
{
    cr_expect_eq(eval_text("A01 exclusive_pair A02", HZ_MISSING_NEVER_SKIP).outcome, RULE_FAIL);
    cr_expect_eq(eval_text("A01 exclusive_pair M1", HZ_MISSING_NEVER_SKIP).outcome, RULE_PASS);
    cr_expect_eq(eval_text("M1 exclusive_pair A01", HZ_MISSING_NEVER_SKIP).outcome, RULE_PASS);
    cr_expect_eq(eval_text("M1 exclusive_pair M2", HZ_MISSING_SKIP_IF_ANY).outcome, RULE_PASS);
}

Test(rule_expr, zero_is_present_not_missing)
{
    rule_result r = eval_text("Z compulsory_pair A01", HZ_MISSING_SKIP_IF_ANY);
    cr_expect_eq(r.outcome, RULE_PASS);
    r = eval_text("Z <= A01", HZ_MISSING_SKIP_IF_ANY);
    cr_expect_eq(r.outcome, RULE_PASS);
    cr_expect_eq(r.missing_count, 0);
}

Test(rule_expr, identifiers_are_distinct_in_order)
{
    rule_expr *e = NULL;
    hz_error err = { 0 };
    cr_assert_eq(rule_expr_parse("A03 + case_filed*A03 <= A01 - A03", &e, &err), HZ_OK);
    const char *const *names = NULL;
    size_t n = rule_expr_identifiers(e, &names);
    cr_assert_eq(n, 3);
    cr_expect_str_eq(names[0], "A03");
    cr_expect_str_eq(names[1], "case_filed");
    cr_expect_str_eq(names[2], "A01");
    cr_expect_eq(rule_expr_op(e), RULE_OP_LE);
    cr_expect_str_eq(rule_expr_op_text(rule_expr_op(e)), "<=");
    rule_expr_free(e);

    cr_assert_eq(rule_expr_parse("1 < 2", &e, &err), HZ_OK);
    cr_expect_eq(rule_expr_identifiers(e, &names), 0);
    rule_expr_free(e);
    cr_assert_eq(rule_expr_parse("A01 exclusive_pair A02", &e, &err), HZ_OK);
    cr_expect_eq(rule_expr_op(e), RULE_OP_EXCLUSIVE_PAIR);
    rule_expr_free(e);
}

Test(rule_expr, unknown_name_at_eval)
{
    rule_expr *e = NULL;
    hz_error err = { 0 };
    cr_assert_eq(rule_expr_parse("A01 <= B77 + 1", &e, &err), HZ_OK);
    env en = { base, sizeof base / sizeof base[0] };
    rule_result r;
    hz_status st = rule_expr_eval(e, resolve, &en, HZ_MISSING_NEVER_SKIP, &r, &err);
    cr_expect_eq(st, HZ_ERR_NOT_FOUND);
    cr_expect_eq(err.msg, HZ_M_CONFIG_EXPR_UNKNOWN_NAME);
    cr_expect_str_eq(err.args[0], "B77");
    rule_expr_free(e);
}

Test(rule_expr, syntax_errors_with_column)
{
    expect_syntax("", HZ_M_CONFIG_EXPR_EMPTY, NULL, NULL);
    expect_syntax("   ", HZ_M_CONFIG_EXPR_EMPTY, NULL, NULL);
    expect_syntax("A01 <= (A02", HZ_M_CONFIG_EXPR_MISSING_PAREN, "12", NULL);
    expect_syntax("A01 <=", HZ_M_CONFIG_EXPR_UNEXPECTED_END, "7", NULL);
    expect_syntax("A01 + <= 3", HZ_M_CONFIG_EXPR_UNEXPECTED, "7", "<=");
    expect_syntax("A01 A02", HZ_M_CONFIG_EXPR_NO_OPERATOR, "5", NULL);
    expect_syntax("A01 + A02", HZ_M_CONFIG_EXPR_NO_OPERATOR, "10", NULL);
    expect_syntax("A01 < A02 < A03", HZ_M_CONFIG_EXPR_UNEXPECTED, "11", "<");
    expect_syntax("A01 = A02", HZ_M_CONFIG_EXPR_BAD_CHAR, "5", "=");
    expect_syntax("A01 <= A02 $", HZ_M_CONFIG_EXPR_BAD_CHAR, "12", "$");
    expect_syntax("A01 <= 1.2.3", HZ_M_CONFIG_EXPR_BAD_NUMBER, "8", "1.2.3");
    expect_syntax("A01 <= 12abc", HZ_M_CONFIG_EXPR_BAD_NUMBER, "8", "12abc");
    expect_syntax("A01 <= 5.", HZ_M_CONFIG_EXPR_BAD_NUMBER, "8", "5.");
    expect_syntax("A01 <= A02)", HZ_M_CONFIG_EXPR_UNEXPECTED, "11", ")");
    expect_syntax("() <= 1", HZ_M_CONFIG_EXPR_UNEXPECTED, "2", ")");
    expect_syntax("compulsory_pair A01", HZ_M_CONFIG_EXPR_UNEXPECTED, "1", "compulsory_pair");
    expect_syntax("A01 compulsory_pair", HZ_M_CONFIG_EXPR_UNEXPECTED_END, "20", NULL);
    /* Columns count characters, not bytes. */
    expect_syntax("A01 ≤ A02", HZ_M_CONFIG_EXPR_BAD_CHAR, "5", "≤");
    expect_syntax("（A01 <= 1", HZ_M_CONFIG_EXPR_BAD_CHAR, "1", "（");
}

Test(rule_expr, nesting_and_length_limits)
{
    char deep[400];
    size_t n = 0;
    for (int i = 0; i < 100; i++)
        deep[n++] = '(';
    memcpy(deep + n, "1", 2);
    rule_expr *e = NULL;
    hz_error err = { 0 };
    cr_expect_eq(rule_expr_parse(deep, &e, &err), HZ_ERR_CONFIG);
    cr_expect_eq(err.msg, HZ_M_CONFIG_EXPR_TOO_DEEP);
    cr_expect_null(e);

    char long_text[1200];
    memset(long_text, '1', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    cr_expect_eq(rule_expr_parse(long_text, &e, &err), HZ_ERR_CONFIG);
    cr_expect_eq(err.msg, HZ_M_CONFIG_EXPR_TOO_LONG);
}

Test(rule_expr, error_renders_in_both_languages)
{
    rule_expr *e = NULL;
    hz_error err = { 0 };
    cr_assert_eq(rule_expr_parse("A01 <= (A02", &e, &err), HZ_ERR_CONFIG);
    char buf[512];
    hz_error_render(&err, HZ_LANG_ZH, buf, sizeof buf);
    cr_expect_str_eq(buf, "规则表达式「A01 <= (A02」第 12 列缺少右括号「)」");
    hz_error_render(&err, HZ_LANG_EN, buf, sizeof buf);
    cr_expect_str_eq(buf, "rule expression \"A01 <= (A02\", column 12: \")\" is missing");
}

Test(rule_expr, case_figures)
{
    cr_expect_eq(rule_expr_case_figure_find("case_filed"), RULE_FIG_CASE_FILED);
    cr_expect_eq(rule_expr_case_figure_find("case_cross_region"), RULE_FIG_CASE_CROSS_REGION);
    cr_expect_eq(rule_expr_case_figure_find("case_physical"), RULE_FIG_CASE_PHYSICAL);
    cr_expect_eq(rule_expr_case_figure_find("A01"), -1);
    cr_expect_eq(rule_expr_case_figure_find(NULL), -1);
    cr_expect_str_eq(rule_expr_case_figure_name(RULE_FIG_CASE_FINE), "case_fine");
    cr_expect_null(rule_expr_case_figure_name(RULE_FIG__COUNT));
    for (int i = 0; i < RULE_FIG__COUNT; i++)
        cr_expect_eq(rule_expr_case_figure_find(rule_expr_case_figure_name((rule_case_figure)i)),
                     i);
}

Test(rule_expr, bad_arguments)
{
    hz_error err = { 0 };
    rule_result r;
    cr_expect_eq(rule_expr_parse(NULL, NULL, &err), HZ_ERR_USAGE);
    cr_expect_eq(rule_expr_eval(NULL, resolve, NULL, HZ_MISSING_NEVER_SKIP, &r, &err), HZ_ERR_USAGE);
    rule_expr_free(NULL);
}

static bool resolve_all(void *ctx, const char *name, double *value, bool *missing)
{
    (void)ctx;
    *missing = name[0] == 'M';
    *value = (double)strlen(name);
    return true;
}

Test(rule_expr, garbage_never_crashes)
{
    static const char alphabet[] = "A01M ()+-*/<>=!.9_xcompulsory_pair\t";
    unsigned state = 12345u;
    for (int i = 0; i < 5000; i++) {
        char text[48];
        state = state * 1103515245u + 12345u;
        size_t len = (state >> 16) % (sizeof text - 1);
        for (size_t k = 0; k < len; k++) {
            state = state * 1103515245u + 12345u;
            text[k] = alphabet[(state >> 16) % (sizeof alphabet - 1)];
        }
        text[len] = '\0';
        rule_expr *e = NULL;
        hz_error err = { 0 };
        hz_status st = rule_expr_parse(text, &e, &err);
        cr_assert(st == HZ_OK || st == HZ_ERR_CONFIG, "\"%s\": status %d", text, st);
        cr_assert_eq(st == HZ_OK, e != NULL);
        if (e) {
            rule_result r;
            for (int s = 0; s < 3; s++)
                cr_assert_eq(rule_expr_eval(e, resolve_all, NULL, (hz_missing_strategy)s, &r, &err),
                             HZ_OK);
        }
        rule_expr_free(e);
    }
}
