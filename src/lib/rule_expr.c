/* rule_expr.c - recursive-descent parser and evaluator for rules.ini. */
#include "rule_expr.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hz_text.h"

/* rules.ini lines are at most 1024 bytes, so anything longer is not ours;
 * the bound also keeps the recursion of parse and eval shallow. */
#define EXPR_MAX_BYTES 1024
#define EXPR_MAX_DEPTH 64
#define EXPR_EPSILON 1e-9

static const char *const figure_names[RULE_FIG__COUNT] = {
    "case_filed", "case_closed", "case_open", "case_amount", "case_fine",
    "case_transferred", "case_typical", "case_key_market", "case_rural",
    "case_online", "case_physical", "case_cross_region"
};

const char *rule_expr_case_figure_name(rule_case_figure figure)
{
    if ((int)figure < 0 || figure >= RULE_FIG__COUNT)
        return NULL;
    return figure_names[figure];
}

int rule_expr_case_figure_find(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < RULE_FIG__COUNT; i++)
        if (strcmp(figure_names[i], name) == 0)
            return i;
    return -1;
}

const char *rule_expr_op_text(rule_op op)
{
    switch (op) {
    case RULE_OP_EQ: return "==";
    case RULE_OP_NE: return "!=";
    case RULE_OP_LT: return "<";
    case RULE_OP_LE: return "<=";
    case RULE_OP_GT: return ">";
    case RULE_OP_GE: return ">=";
    case RULE_OP_COMPULSORY_PAIR: return "compulsory_pair";
    case RULE_OP_EXCLUSIVE_PAIR: return "exclusive_pair";
    }
    return "?";
}

typedef enum node_kind { N_NUM, N_NAME, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV } node_kind;

typedef struct node {
    node_kind kind;
    int a, b;          /* children (node indices) */
    double num;        /* N_NUM */
    size_t name;       /* N_NAME: index into names */
} node;

struct rule_expr {
    rule_op op;
    int left, right;
    node *nodes;
    size_t node_count, node_cap;
    char **names;
    size_t name_count, name_cap;
};

typedef enum tok_kind {
    T_END, T_NUM, T_NAME, T_PLUS, T_MINUS, T_STAR, T_SLASH, T_LPAREN, T_RPAREN,
    T_CMP, T_PAIR
} tok_kind;

typedef struct tok {
    tok_kind kind;
    size_t pos, len;
    rule_op op;        /* T_CMP, T_PAIR */
    double num;        /* T_NUM */
} tok;

typedef struct parser {
    const char *text;
    size_t pos;
    tok cur;
    int depth;
    rule_expr *expr;
    hz_error *err;
    hz_status status;  /* first error, HZ_OK while fine */
} parser;

/* Column in characters (1-based) of byte offset pos. */
static size_t column_of(const char *text, size_t pos)
{
    size_t col = 1;
    for (size_t i = 0; i < pos && text[i]; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            col++;
    return col;
}

static hz_status fail_at(parser *p, hz_msg_id msg, size_t pos, const char *what)
{
    if (p->status != HZ_OK)
        return p->status;
    char col[24];
    snprintf(col, sizeof col, "%zu", column_of(p->text, pos));
    p->status = hz_error_set(p->err, HZ_ERR_CONFIG, msg, p->text, col, what ? what : "", NULL);
    return p->status;
}

static hz_status fail_nomem(parser *p)
{
    if (p->status == HZ_OK)
        p->status = hz_error_set(p->err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    return p->status;
}

static bool is_name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads the next token into p->cur; false (with the error set) on a bad
 * character or number. */
static bool lex(parser *p)
{
    const char *s = p->text;
    size_t i = p->pos;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    tok t = { .kind = T_END, .pos = i, .len = 0, .op = RULE_OP_EQ, .num = 0 };
    char c = s[i];
    if (c == '\0') {
        p->cur = t;
        p->pos = i;
        return true;
    }
    if (is_digit(c)) {
        size_t j = i;
        double value = 0;
        while (is_digit(s[j]))
            value = value * 10 + (s[j++] - '0');
        bool bad = false;
        if (s[j] == '.') {
            j++;
            if (!is_digit(s[j]))
                bad = true;
            double scale = 0.1;
            while (is_digit(s[j])) {
                value += (s[j++] - '0') * scale;
                scale /= 10;
            }
        }
        if (is_name_char(s[j]) || s[j] == '.') {
            bad = true;
            while (is_name_char(s[j]) || s[j] == '.')
                j++;
        }
        if (bad || !isfinite(value)) {
            char lexeme[64];
            size_t n = j - i < sizeof lexeme - 1 ? j - i : sizeof lexeme - 1;
            memcpy(lexeme, s + i, n);
            lexeme[n] = '\0';
            fail_at(p, HZ_M_CONFIG_EXPR_BAD_NUMBER, i, lexeme);
            return false;
        }
        t.kind = T_NUM;
        t.num = value;
        t.len = j - i;
    } else if (is_name_start(c)) {
        size_t j = i;
        while (is_name_char(s[j]))
            j++;
        t.kind = T_NAME;
        t.len = j - i;
        if (t.len == 15 && strncmp(s + i, "compulsory_pair", 15) == 0) {
            t.kind = T_PAIR;
            t.op = RULE_OP_COMPULSORY_PAIR;
        } else if (t.len == 14 && strncmp(s + i, "exclusive_pair", 14) == 0) {
            t.kind = T_PAIR;
            t.op = RULE_OP_EXCLUSIVE_PAIR;
        }
    } else {
        t.len = 1;
        switch (c) {
        case '+': t.kind = T_PLUS; break;
        case '-': t.kind = T_MINUS; break;
        case '*': t.kind = T_STAR; break;
        case '/': t.kind = T_SLASH; break;
        case '(': t.kind = T_LPAREN; break;
        case ')': t.kind = T_RPAREN; break;
        case '<':
        case '>':
            t.kind = T_CMP;
            if (s[i + 1] == '=') {
                t.len = 2;
                t.op = c == '<' ? RULE_OP_LE : RULE_OP_GE;
            } else {
                t.op = c == '<' ? RULE_OP_LT : RULE_OP_GT;
            }
            break;
        case '=':
        case '!':
            if (s[i + 1] == '=') {
                t.kind = T_CMP;
                t.len = 2;
                t.op = c == '=' ? RULE_OP_EQ : RULE_OP_NE;
                break;
            }
            /* A lone "=" or "!" is a typo for "==" / "!=": name it. */
            {
                char what[2] = { c, '\0' };
                fail_at(p, HZ_M_CONFIG_EXPR_BAD_CHAR, i, what);
            }
            return false;
        default: {
            /* Quote the whole UTF-8 character, not a broken byte of it. */
            char what[8];
            size_t n = 1;
            while (n < 4 && s[i + n] && ((unsigned char)s[i + n] & 0xC0) == 0x80)
                n++;
            memcpy(what, s + i, n);
            what[n] = '\0';
            fail_at(p, HZ_M_CONFIG_EXPR_BAD_CHAR, i, what);
            return false;
        }
        }
    }
    p->cur = t;
    p->pos = i + t.len;
    return true;
}

static int add_node(parser *p, node n)
{
    rule_expr *e = p->expr;
    if (!hz_array_reserve(&e->nodes, &e->node_cap, e->node_count + 1, sizeof *e->nodes)) {
        fail_nomem(p);
        return -1;
    }
    e->nodes[e->node_count] = n;
    return (int)e->node_count++;
}

static int add_name(parser *p, const char *start, size_t len)
{
    rule_expr *e = p->expr;
    for (size_t i = 0; i < e->name_count; i++)
        if (strlen(e->names[i]) == len && memcmp(e->names[i], start, len) == 0)
            return (int)i;
    if (!hz_array_reserve(&e->names, &e->name_cap, e->name_count + 1, sizeof *e->names)) {
        fail_nomem(p);
        return -1;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        fail_nomem(p);
        return -1;
    }
    memcpy(copy, start, len);
    copy[len] = '\0';
    e->names[e->name_count] = copy;
    return (int)e->name_count++;
}

static char *tok_text(const parser *p, char *buf, size_t size)
{
    size_t n = p->cur.len < size - 1 ? p->cur.len : size - 1;
    memcpy(buf, p->text + p->cur.pos, n);
    buf[n] = '\0';
    return buf;
}

/* Error for a token that cannot start or continue an operand here. */
static int fail_unexpected(parser *p)
{
    if (p->cur.kind == T_END) {
        fail_at(p, HZ_M_CONFIG_EXPR_UNEXPECTED_END, p->cur.pos, NULL);
    } else {
        char buf[64];
        fail_at(p, HZ_M_CONFIG_EXPR_UNEXPECTED, p->cur.pos, tok_text(p, buf, sizeof buf));
    }
    return -1;
}

static int parse_sum(parser *p);

static int parse_unary(parser *p)
{
    if (++p->depth > EXPR_MAX_DEPTH) {
        fail_at(p, HZ_M_CONFIG_EXPR_TOO_DEEP, p->cur.pos, NULL);
        return -1;
    }
    int result = -1;
    tok t = p->cur;
    switch (t.kind) {
    case T_MINUS:
    case T_PLUS: {
        if (!lex(p))
            break;
        int operand = parse_unary(p);
        if (operand < 0)
            break;
        result = t.kind == T_PLUS ? operand
                                  : add_node(p, (node){ .kind = N_NEG, .a = operand, .b = -1 });
        break;
    }
    case T_NUM:
        result = add_node(p, (node){ .kind = N_NUM, .a = -1, .b = -1, .num = t.num });
        if (result >= 0 && !lex(p))
            result = -1;
        break;
    case T_NAME: {
        int name = add_name(p, p->text + t.pos, t.len);
        if (name < 0)
            break;
        result = add_node(p, (node){ .kind = N_NAME, .a = -1, .b = -1, .name = (size_t)name });
        if (result >= 0 && !lex(p))
            result = -1;
        break;
    }
    case T_LPAREN: {
        if (!lex(p))
            break;
        int inner = parse_sum(p);
        if (inner < 0)
            break;
        if (p->cur.kind != T_RPAREN) {
            fail_at(p, HZ_M_CONFIG_EXPR_MISSING_PAREN, p->cur.pos, NULL);
            break;
        }
        if (!lex(p))
            break;
        result = inner;
        break;
    }
    default:
        fail_unexpected(p);
        break;
    }
    p->depth--;
    return result;
}

static int parse_product(parser *p)
{
    int left = parse_unary(p);
    while (left >= 0 && (p->cur.kind == T_STAR || p->cur.kind == T_SLASH)) {
        node_kind kind = p->cur.kind == T_STAR ? N_MUL : N_DIV;
        if (!lex(p))
            return -1;
        int right = parse_unary(p);
        if (right < 0)
            return -1;
        left = add_node(p, (node){ .kind = kind, .a = left, .b = right });
    }
    return left;
}

static int parse_sum(parser *p)
{
    int left = parse_product(p);
    while (left >= 0 && (p->cur.kind == T_PLUS || p->cur.kind == T_MINUS)) {
        node_kind kind = p->cur.kind == T_PLUS ? N_ADD : N_SUB;
        if (!lex(p))
            return -1;
        int right = parse_product(p);
        if (right < 0)
            return -1;
        left = add_node(p, (node){ .kind = kind, .a = left, .b = right });
    }
    return left;
}

void rule_expr_free(rule_expr *expr)
{
    if (!expr)
        return;
    for (size_t i = 0; i < expr->name_count; i++)
        free(expr->names[i]);
    free(expr->names);
    free(expr->nodes);
    free(expr);
}

hz_status rule_expr_parse(const char *text, rule_expr **out, hz_error *err)
{
    if (out)
        *out = NULL;
    if (!text || !out)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_CONFIG_EXPR_BAD_ARGS, NULL);
    if (strlen(text) > EXPR_MAX_BYTES) {
        char limit[24];
        snprintf(limit, sizeof limit, "%d", EXPR_MAX_BYTES);
        return hz_error_set(err, HZ_ERR_CONFIG, HZ_M_CONFIG_EXPR_TOO_LONG, limit, NULL);
    }
    rule_expr *e = calloc(1, sizeof *e);
    if (!e)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    parser p = { .text = text, .pos = 0, .depth = 0, .expr = e, .err = err, .status = HZ_OK };
    if (!lex(&p))
        goto failed;
    if (p.cur.kind == T_END) {
        hz_error_set(err, HZ_ERR_CONFIG, HZ_M_CONFIG_EXPR_EMPTY, NULL);
        p.status = HZ_ERR_CONFIG;
        goto failed;
    }
    e->left = parse_sum(&p);
    if (e->left < 0)
        goto failed;
    if (p.cur.kind != T_CMP && p.cur.kind != T_PAIR) {
        if (p.cur.kind == T_END || p.cur.kind == T_NAME || p.cur.kind == T_NUM)
            fail_at(&p, HZ_M_CONFIG_EXPR_NO_OPERATOR, p.cur.pos, NULL);
        else
            fail_unexpected(&p);
        goto failed;
    }
    e->op = p.cur.op;
    if (!lex(&p))
        goto failed;
    e->right = parse_sum(&p);
    if (e->right < 0)
        goto failed;
    if (p.cur.kind != T_END) {
        fail_unexpected(&p);
        goto failed;
    }
    *out = e;
    return HZ_OK;

failed:
    rule_expr_free(e);
    if (p.status == HZ_OK) /* cannot happen; keep the contract anyway */
        p.status = hz_error_set(err, HZ_ERR_INTERNAL, HZ_M_INTERNAL, "rule_expr_parse", NULL);
    return p.status;
}

size_t rule_expr_identifiers(const rule_expr *expr, const char *const **names)
{
    if (!expr) {
        if (names)
            *names = NULL;
        return 0;
    }
    if (names)
        *names = (const char *const *)expr->names;
    return expr->name_count;
}

rule_op rule_expr_op(const rule_expr *expr)
{
    return expr ? expr->op : RULE_OP_EQ;
}

/* Value of node idx with missing names as 0; false on division by zero or
 * a non-finite result. */
static bool eval_node(const rule_expr *e, int idx, const double *values, double *out)
{
    const node *n = &e->nodes[idx];
    double a = 0, b = 0;
    switch (n->kind) {
    case N_NUM:
        *out = n->num;
        return true;
    case N_NAME:
        *out = values[n->name];
        return true;
    case N_NEG:
        if (!eval_node(e, n->a, values, &a))
            return false;
        *out = -a;
        return true;
    default:
        break;
    }
    if (!eval_node(e, n->a, values, &a) || !eval_node(e, n->b, values, &b))
        return false;
    switch (n->kind) {
    case N_ADD: *out = a + b; break;
    case N_SUB: *out = a - b; break;
    case N_MUL: *out = a * b; break;
    case N_DIV:
        if (fabs(b) <= EXPR_EPSILON)
            return false;
        *out = a / b;
        break;
    default:
        return false;
    }
    return isfinite(*out);
}

/* Whether the subtree names anything, and whether any named value exists. */
static void side_presence(const rule_expr *e, int idx, const bool *missing,
                          bool *has_names, bool *has_value)
{
    const node *n = &e->nodes[idx];
    if (n->kind == N_NAME) {
        *has_names = true;
        if (!missing[n->name])
            *has_value = true;
        return;
    }
    if (n->a >= 0)
        side_presence(e, n->a, missing, has_names, has_value);
    if (n->b >= 0)
        side_presence(e, n->b, missing, has_names, has_value);
}

static bool side_present(const rule_expr *e, int idx, const bool *missing)
{
    bool has_names = false, has_value = false;
    side_presence(e, idx, missing, &has_names, &has_value);
    return !has_names || has_value;
}

static bool compare(rule_op op, double a, double b)
{
    double tol = EXPR_EPSILON * fmax(1.0, fmax(fabs(a), fabs(b)));
    switch (op) {
    case RULE_OP_EQ: return fabs(a - b) <= tol;
    case RULE_OP_NE: return fabs(a - b) > tol;
    case RULE_OP_LT: return a < b - tol;
    case RULE_OP_LE: return a <= b + tol;
    case RULE_OP_GT: return a > b + tol;
    case RULE_OP_GE: return a >= b - tol;
    default: return false;
    }
}

hz_status rule_expr_eval(const rule_expr *expr, rule_resolver resolve, void *ctx,
                         hz_missing_strategy strategy, rule_result *out, hz_error *err)
{
    if (!expr || !resolve || !out)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_CONFIG_EXPR_BAD_ARGS, NULL);
    memset(out, 0, sizeof *out);
    size_t count = expr->name_count;
    double *values = calloc(count ? count : 1, sizeof *values);
    bool *missing = calloc(count ? count : 1, sizeof *missing);
    if (!values || !missing) {
        free(values);
        free(missing);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    size_t missing_count = 0;
    for (size_t i = 0; i < count; i++) {
        double v = 0;
        bool miss = false;
        if (!resolve(ctx, expr->names[i], &v, &miss)) {
            free(values);
            free(missing);
            return hz_error_set(err, HZ_ERR_NOT_FOUND, HZ_M_CONFIG_EXPR_UNKNOWN_NAME,
                                expr->names[i], NULL);
        }
        /* A NaN from the resolver would make every comparison false:
         * treat it as missing rather than as a silent FAIL. */
        if (!miss && !isfinite(v))
            miss = true;
        missing[i] = miss;
        values[i] = miss ? 0 : v;
        if (miss)
            missing_count++;
    }
    out->name_count = count;
    out->missing_count = missing_count;
    out->left_present = side_present(expr, expr->left, missing);
    out->right_present = side_present(expr, expr->right, missing);

    bool pair = expr->op == RULE_OP_COMPULSORY_PAIR || expr->op == RULE_OP_EXCLUSIVE_PAIR;
    bool skip = false;
    if (!pair) {
        if (strategy == HZ_MISSING_SKIP_IF_ANY)
            skip = missing_count > 0;
        else if (strategy == HZ_MISSING_SKIP_IF_ALL)
            skip = count > 0 && missing_count == count;
    }
    if (skip) {
        out->outcome = RULE_SKIPPED;
    } else {
        double left = 0, right = 0;
        bool defined = eval_node(expr, expr->left, values, &left)
                       && eval_node(expr, expr->right, values, &right);
        if (pair) {
            /* The sides' values are only informative here. */
            out->left = defined ? left : 0;
            out->right = defined ? right : 0;
            bool both = out->left_present && out->right_present;
            bool none = !out->left_present && !out->right_present;
            if (expr->op == RULE_OP_COMPULSORY_PAIR)
                out->outcome = (both || none) ? RULE_PASS : RULE_FAIL;
            else
                out->outcome = both ? RULE_FAIL : RULE_PASS;
        } else if (!defined) {
            out->outcome = RULE_UNDEFINED;
        } else {
            out->left = left;
            out->right = right;
            out->outcome = compare(expr->op, left, right) ? RULE_PASS : RULE_FAIL;
        }
    }
    free(values);
    free(missing);
    return HZ_OK;
}
