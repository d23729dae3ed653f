/*
 * rule_expr.h - the validation-rule expressions of rules.ini (DESIGN §3/§5).
 *
 * A rule is "left op right":
 *   - operands: decimal numbers (12, 0.5), identifiers and the arithmetic
 *     operators + - * / with the usual precedence, unary minus and
 *     parentheses;
 *   - identifiers: indicator codes of indicators.ini (A01 ...) or one of the
 *     case-derived figures below ([A-Za-z_][A-Za-z0-9_]*, case-sensitive);
 *   - op: a comparison == != < <= > >= or one of the DHIS2 pair operators,
 *     written as infix words:
 *       compulsory_pair  both sides present or both missing,
 *       exclusive_pair   not both sides present.
 *     A side is "present" when it names no identifier or when at least one
 *     of its identifiers has a value.
 *
 * Evaluation asks a resolver for the value of every identifier; the result
 * is PASS, FAIL, SKIPPED (missing values, per the rule's strategy) or
 * UNDEFINED (division by zero). Comparisons use a tolerance of 1e-9
 * (relative above magnitude 1) because amounts are doubles.
 *
 * Missing strategies (comparisons only; pair operators are about
 * missingness and never skip):
 *   HZ_MISSING_NEVER_SKIP   missing values count as 0;
 *   HZ_MISSING_SKIP_IF_ANY  SKIPPED when any identifier is missing;
 *   HZ_MISSING_SKIP_IF_ALL  SKIPPED when every identifier is missing (a rule
 *                           without identifiers is never skipped); the
 *                           missing ones otherwise count as 0.
 *
 * Errors use the catalogue ids HZ_M_CONFIG_EXPR_*; syntax errors carry the
 * expression text and the 1-based column (in characters) of the problem.
 */
#ifndef HZ_RULE_EXPR_H
#define HZ_RULE_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include "config.h"
#include "hz_status.h"

/* Per-submission totals derived from the case list (案件明细). */
typedef enum rule_case_figure {
    RULE_FIG_CASE_FILED,        /* cases in the list (立案数) */
    RULE_FIG_CASE_CLOSED,       /* 办理状态 = 已结案 */
    RULE_FIG_CASE_OPEN,         /* 办理状态 = 在办 */
    RULE_FIG_CASE_AMOUNT,       /* sum of 涉案金额（万元） */
    RULE_FIG_CASE_FINE,         /* sum of 罚没金额（万元） */
    RULE_FIG_CASE_TRANSFERRED,  /* 是否移送司法机关 = 是 */
    RULE_FIG_CASE_TYPICAL,      /* 是否典型案例 = 是 */
    RULE_FIG_CASE_KEY_MARKET,   /* 是否重点实体市场 = 是 */
    RULE_FIG_CASE_RURAL,        /* 是否农村及城乡结合部市场 = 是 */
    RULE_FIG_CASE_ONLINE,       /* 执法领域 = 电子商务 */
    RULE_FIG_CASE_PHYSICAL,     /* 执法领域 = 实体市场 */
    RULE_FIG_CASE_CROSS_REGION, /* 是否跨区域案件 = 是 */
    RULE_FIG__COUNT
} rule_case_figure;

/* The identifier of figure ("case_filed" ...); NULL when out of range. */
const char *rule_expr_case_figure_name(rule_case_figure figure);
/* The figure named name, or -1 when name is not a case figure. */
int rule_expr_case_figure_find(const char *name);

typedef enum rule_op {
    RULE_OP_EQ, RULE_OP_NE, RULE_OP_LT, RULE_OP_LE, RULE_OP_GT, RULE_OP_GE,
    RULE_OP_COMPULSORY_PAIR, RULE_OP_EXCLUSIVE_PAIR
} rule_op;

typedef enum rule_outcome {
    RULE_PASS, RULE_FAIL, RULE_SKIPPED, RULE_UNDEFINED
} rule_outcome;

typedef struct rule_result {
    rule_outcome outcome;
    double left, right;          /* computed sides, missing counted as 0;
                                    0 when UNDEFINED or SKIPPED */
    bool left_present, right_present;
    size_t missing_count;        /* identifiers without a value */
    size_t name_count;           /* distinct identifiers in the rule */
} rule_result;

typedef struct rule_expr rule_expr;

/* Value of name for the submission being checked. Returns false when the
 * name is unknown (evaluation then fails); otherwise sets *missing, and
 * *value when not missing. */
typedef bool (*rule_resolver)(void *ctx, const char *name, double *value, bool *missing);

/* Parses text. On error *out is NULL and err (HZ_ERR_CONFIG) holds the
 * message with the expression and the column. */
hz_status rule_expr_parse(const char *text, rule_expr **out, hz_error *err);
void rule_expr_free(rule_expr *expr);

/* Distinct identifiers in order of first appearance; *names (may be NULL)
 * points into expr and stays valid until rule_expr_free. */
size_t rule_expr_identifiers(const rule_expr *expr, const char *const **names);

rule_op rule_expr_op(const rule_expr *expr);
/* "<=", "compulsory_pair", ... */
const char *rule_expr_op_text(rule_op op);

/* Evaluates expr. Returns HZ_ERR_NOT_FOUND (HZ_M_CONFIG_EXPR_UNKNOWN_NAME)
 * when the resolver does not know an identifier, HZ_ERR_USAGE for NULL
 * arguments; HZ_OK otherwise with *out filled. */
hz_status rule_expr_eval(const rule_expr *expr, rule_resolver resolve, void *ctx,
                         hz_missing_strategy strategy, rule_result *out, hz_error *err);

#endif
