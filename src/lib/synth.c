/* synth.c - synthetic filled submissions (demos, tests, benchmarks). */
#include "synth.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fillin.h"
#include "fsutil.h"
#include "hz_amount.h"
#include "hz_text.h"
#include "rule_expr.h"

/* ---- deterministic random streams (splitmix64) ------------------------ */

typedef struct rng { uint64_t s; } rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint32_t rng_below(rng *r, uint32_t n)
{
    return n ? (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32) : 0;
}

static int rng_range(rng *r, int lo, int hi)
{
    return hi <= lo ? lo : lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static bool rng_percent(rng *r, unsigned percent)
{
    return rng_below(r, 100) < percent;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001B3ULL;
    }
    return h;
}

/* One independent stream per (seed, unit, purpose): changing how much one
 * purpose draws never shifts another purpose's values. */
static rng rng_stream(uint64_t seed, const char *unit, const char *purpose, const char *round)
{
    rng r = {seed ^ fnv1a(unit) ^ (fnv1a(purpose) * 31) ^ (fnv1a(round) * 131)};
    rng_next(&r);
    return r;
}

/* ---- weighted picks from configuration lists -------------------------- */

typedef struct weight { const char *name; unsigned w; } weight;

static const weight category_weights[] = {
    {"商标侵权假冒", 140}, {"地理标志侵权", 8}, {"官方标志特殊标志侵权", 4},
    {"恶意商标注册申请", 3}, {"商标代理违法", 3}, {"其他商标违法", 10}, {"假冒专利", 14},
    {"专利代理违法", 2}, {"其他专利违法", 6}, {NULL, 0},
};
static const weight commodity_weights[] = {
    {"抗疫防护用品", 8}, {"食品", 22}, {"电子产品", 12}, {"家用电器", 9}, {"汽车配件", 8},
    {"服饰箱包", 20}, {"涉农及特色产品", 6}, {"其他商品", 12}, {"不涉及商品", 1}, {NULL, 0},
};
static const weight channel_weights[] = {
    {"实体市场", 66}, {"电子商务", 26}, {"申请注册环节", 2}, {"其他", 6}, {NULL, 0},
};
static const weight lead_weights[] = {
    {"日常检查", 40}, {"投诉举报", 24}, {"网络监测", 7}, {"上级交办", 9}, {"权利人提供", 12},
    {"部门移送", 5}, {"其他", 3}, {NULL, 0},
};

static size_t list_find(const hz_list *list, const char *name)
{
    for (size_t i = 0; i < list->count; i++)
        if (!strcmp(list->items[i], name))
            return i;
    return SIZE_MAX;
}

static const char *list_item(const hz_list *list, size_t i)
{
    return i < list->count ? list->items[i] : NULL;
}

static size_t pick(rng *r, const hz_list *list, const weight *ws)
{
    uint64_t total = 0;
    for (size_t i = 0; i < list->count; i++) {
        unsigned w = 3;
        for (const weight *p = ws; p->name; p++)
            if (!strcmp(p->name, list->items[i]))
                w = p->w;
        total += w;
    }
    uint32_t x = rng_below(r, (uint32_t)total);
    for (size_t i = 0; i < list->count; i++) {
        unsigned w = 3;
        for (const weight *p = ws; p->name; p++)
            if (!strcmp(p->name, list->items[i]))
                w = p->w;
        if (x < w)
            return i;
        x -= w;
    }
    return list->count ? 0 : SIZE_MAX;
}

static const char *choose(rng *r, const char *const *items, size_t n)
{
    return items[rng_below(r, (uint32_t)n)];
}
#define CHOOSE(r, arr) choose((r), (arr), sizeof(arr) / sizeof((arr)[0]))

/* ---- cases ------------------------------------------------------------ */

typedef struct scase {
    char number[48], name[256], summary[768], partner[16];
    hz_date filed, closed;
    bool is_closed;
    size_t category, commodity, channel, lead;
    fillin_yesno key, rural, transferred, cross, typical;
    hz_amount amount, fine;
    bool has_fine;
} scase;

typedef struct gen {
    const hz_config *config;
    const hz_unit *unit;
    scase *cases;
    size_t count, cap;
    size_t typical;    /* cases marked 是否典型案例 so far */
} gen;

/* A unit holds up a few of its cases as typical (典型案例), not a share of
 * all of them: about one in ten, but at most this many per unit (at
 * province scale, 10% of 200,000 cases would be a 5,700-page PDF of case
 * summaries that no city would send). */
#define SYNTH_MAX_TYPICAL 10

static const struct { const char *commodity; const char *items[3]; } commodity_items[] = {
    {"抗疫防护用品", {"口罩", "消毒液", "医用防护服"}},
    {"食品", {"白酒", "调味品", "饮料"}},
    {"电子产品", {"手机充电器", "蓝牙耳机", "数据线"}},
    {"家用电器", {"电饭煲", "电风扇", "电吹风"}},
    {"汽车配件", {"机油滤清器", "刹车片", "火花塞"}},
    {"服饰箱包", {"运动鞋", "服装", "箱包"}},
    {"涉农及特色产品", {"腐竹", "花木种苗", "蜂蜜"}},
    {"其他商品", {"洗发水", "洗衣液", "文具"}},
};

static const char *commodity_item(rng *r, const char *commodity)
{
    for (size_t i = 0; i < sizeof commodity_items / sizeof commodity_items[0]; i++)
        if (commodity && !strcmp(commodity_items[i].commodity, commodity))
            return commodity_items[i].items[rng_below(r, 3)];
    return "商品";
}

static void case_name(gen *g, rng *r, scase *c)
{
    static const char *const shops[] = {
        "某商贸有限公司", "某超市", "某百货商店", "某日用品商行", "某批发部", "某经营部",
        "某专卖店", "某贸易有限公司",
    };
    static const char *const online[] = {"某网店", "某电子商务有限公司", "某直播带货经营者"};
    static const char *const agencies[] = {"某知识产权代理有限公司", "某商标事务所有限公司"};
    const hz_config *cf = g->config;
    const char *category = list_item(&cf->case_categories, c->category);
    const char *channel = list_item(&cf->channels, c->channel);
    const char *item = commodity_item(r, list_item(&cf->commodities, c->commodity));
    char shop[128];
    snprintf(shop, sizeof shop, "%s%s", g->unit->short_name,
             channel && !strcmp(channel, "电子商务") ? CHOOSE(r, online) : CHOOSE(r, shops));
    char agency[128];
    snprintf(agency, sizeof agency, "%s%s", g->unit->short_name, CHOOSE(r, agencies));
    if (!category)
        category = "";
    if (!strcmp(category, "商标侵权假冒"))
        snprintf(c->name, sizeof c->name, "%s销售侵犯注册商标专用权的%s案", shop, item);
    else if (!strcmp(category, "地理标志侵权"))
        snprintf(c->name, sizeof c->name, "%s擅自使用地理标志销售%s案", shop, item);
    else if (!strcmp(category, "官方标志特殊标志侵权"))
        snprintf(c->name, sizeof c->name, "%s擅自使用奥林匹克标志销售%s案", shop, item);
    else if (!strcmp(category, "恶意商标注册申请"))
        snprintf(c->name, sizeof c->name, "%s恶意申请商标注册案", shop);
    else if (!strcmp(category, "商标代理违法") || !strcmp(category, "专利代理违法"))
        snprintf(c->name, sizeof c->name, "%s违法从事%s业务案", agency,
                 strstr(category, "专利") ? "专利代理" : "商标代理");
    else if (!strcmp(category, "假冒专利"))
        snprintf(c->name, sizeof c->name, "%s销售假冒专利的%s案", shop, item);
    else if (!strcmp(category, "其他专利违法"))
        snprintf(c->name, sizeof c->name, "%s销售专利标识标注不规范的%s案", shop, item);
    else if (!strcmp(category, "其他商标违法"))
        snprintf(c->name, sizeof c->name, "%s违法使用注册商标标识销售%s案", shop, item);
    else
        snprintf(c->name, sizeof c->name, "%s涉嫌%s案", shop, category);
}

static const char *amount_text(hz_amount a, char *buf, size_t size)
{
    hz_amount_format(a, 4, false, buf, size);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf);
        while (end > dot + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == dot + 1)
            *dot = '\0';
    }
    return buf;
}

static void case_summary(gen *g, scase *c)
{
    if (c->typical != FILLIN_YES) {
        c->summary[0] = '\0';
        return;
    }
    char date[32], amount[32], fine[32], outcome[160];
    const char *lead = list_item(&g->config->lead_sources, c->lead);
    size_t len = strlen(c->name);
    char what[256];
    /* "…案" reads "立案查处…一案". */
    if (len >= 3 && !strcmp(c->name + len - 3, "案"))
        len -= 3;
    snprintf(what, sizeof what, "%.*s", (int)len, c->name);
    if (c->transferred == FILLIN_YES)
        snprintf(outcome, sizeof outcome, "因涉嫌犯罪已依法移送公安机关");
    else if (c->is_closed)
        snprintf(outcome, sizeof outcome, "依法作出没收侵权商品、罚没款%s万元的行政处罚",
                 amount_text(c->fine, fine, sizeof fine));
    else
        snprintf(outcome, sizeof outcome, "案件正在进一步调查中");
    snprintf(c->summary, sizeof c->summary,
             "%s，%s市场监管局根据%s线索立案查处%s一案，涉案金额%s万元，%s。",
             hz_date_format_zh(c->filed, date, sizeof date), g->unit->short_name,
             lead ? lead : "", what, amount_text(c->amount, amount, sizeof amount), outcome);
}

static void case_close(rng *r, scase *c, hz_date from, hz_date hi)
{
    if (from < c->filed)
        from = c->filed;
    if (from > hi)
        return;
    int span = hi - from;
    if (span > 75)
        span = 75;
    c->closed = from + rng_range(r, 0, span);
    c->is_closed = true;
    c->fine = (hz_amount)(rng_percent(r, 70) ? rng_range(r, 100, 1500) : rng_range(r, 1500, 5000)) * 10;
    c->has_fine = true;
}

static bool case_add(gen *g, rng *r, hz_date lo, hz_date hi)
{
    if (!hz_array_reserve(&g->cases, &g->cap, g->count + 1, sizeof *g->cases))
        return false;
    const hz_config *cf = g->config;
    scase *c = &g->cases[g->count];
    memset(c, 0, sizeof *c);
    snprintf(c->number, sizeof c->number, "%s-%d-%04zu", g->unit->code, cf->year, g->count + 1);
    c->filed = lo + rng_range(r, 0, hi - lo);
    c->closed = HZ_DATE_NONE;
    c->category = pick(r, &cf->case_categories, category_weights);
    const char *category = list_item(&cf->case_categories, c->category);
    bool application = category && (strstr(category, "申请") || strstr(category, "代理"));
    size_t ch = application ? list_find(&cf->channels, "申请注册环节") : SIZE_MAX;
    c->channel = ch != SIZE_MAX ? ch : pick(r, &cf->channels, channel_weights);
    size_t com = SIZE_MAX;
    if (application)
        com = list_find(&cf->commodities, "不涉及商品");
    else if (category && strstr(category, "地理标志"))
        com = list_find(&cf->commodities, "涉农及特色产品");
    c->commodity = com != SIZE_MAX ? com : pick(r, &cf->commodities, commodity_weights);
    const char *channel = list_item(&cf->channels, c->channel);
    size_t lead = SIZE_MAX;
    if (channel && !strcmp(channel, "电子商务") && rng_percent(r, 50))
        lead = list_find(&cf->lead_sources, "网络监测");
    c->lead = lead != SIZE_MAX ? lead : pick(r, &cf->lead_sources, lead_weights);
    c->amount = (hz_amount)(rng_percent(r, 75) ? rng_range(r, 100, 2000) : rng_range(r, 2000, 10000)) * 10;
    bool physical = channel && !strcmp(channel, "实体市场");
    c->key = physical && rng_percent(r, 45) ? FILLIN_YES : FILLIN_NO;
    c->rural = physical && rng_percent(r, 30) ? FILLIN_YES : FILLIN_NO;
    c->transferred = rng_below(r, 1000) < 12 ? FILLIN_YES : FILLIN_NO;
    c->cross = FILLIN_NO;
    if (cf->unit_count > 1 && rng_percent(r, 7)) {
        size_t self = (size_t)(g->unit - cf->units) < cf->unit_count ? (size_t)(g->unit - cf->units) : 0;
        size_t other = rng_below(r, (uint32_t)(cf->unit_count - 1));
        if (other >= self)
            other++;
        snprintf(c->partner, sizeof c->partner, "%s", cf->units[other].code);
        c->cross = FILLIN_YES;
    }
    /* the draw is made even past the cap, so the other values of the
     * stream (and every smaller sample) stay what they were */
    c->typical = rng_percent(r, 10) && g->typical < SYNTH_MAX_TYPICAL ? FILLIN_YES : FILLIN_NO;
    g->typical += c->typical == FILLIN_YES;
    case_name(g, r, c);
    if (rng_percent(r, 60))
        case_close(r, c, c->filed, hi);
    case_summary(g, c);
    g->count++;
    return true;
}

/* ---- indicators --------------------------------------------------------- */

static void indicator_range(const hz_indicator *ind, int *lo, int *hi)
{
    static const struct { const char *key; int lo, hi; } by_name[] = {
        {"出动执法人员", 50, 600}, {"培训执法人员", 20, 150}, {"重点市场名录", 3, 20},
        {"专人负责", 1, 3}, {"监测网店网站", 20, 300}, {"删除下架", 5, 150},
        {"农村", 5, 60}, {"展会", 0, 5},
    };
    static const struct { const char *uom; int lo, hi; } by_uom[] = {
        {"人次", 50, 600}, {"户次", 100, 1500}, {"个次", 20, 150}, {"家次", 1, 15},
        {"场次", 2, 20}, {"次", 5, 60}, {"件", 0, 15}, {"条", 10, 300}, {"个", 5, 200},
        {"篇", 1, 15}, {"期", 1, 6}, {"人", 1, 3},
    };
    *lo = 1;
    *hi = 50;
    for (size_t i = 0; i < sizeof by_uom / sizeof by_uom[0]; i++)
        if (ind->uom && !strcmp(ind->uom, by_uom[i].uom)) {
            *lo = by_uom[i].lo;
            *hi = by_uom[i].hi;
        }
    for (size_t i = 0; i < sizeof by_name / sizeof by_name[0]; i++)
        if (ind->name && strstr(ind->name, by_name[i].key)) {
            *lo = by_name[i].lo;
            *hi = by_name[i].hi;
        }
}

static double indicator_draw(rng *r, const hz_indicator *ind)
{
    if (ind->type == HZ_VALUE_AMOUNT)
        return rng_range(r, 50, 2000) / 100.0;
    int lo, hi;
    indicator_range(ind, &lo, &hi);
    return rng_range(r, lo, hi);
}

static double indicator_round(const hz_indicator *ind, double v)
{
    if (v < 0)
        v = 0;
    return ind->type == HZ_VALUE_COUNT ? floor(v + 0.5) : floor(v * 100 + 0.5) / 100;
}

typedef struct resolve_ctx {
    const hz_config *config;
    const double *values;
    double figures[RULE_FIG__COUNT];
} resolve_ctx;

static bool resolve(void *p, const char *name, double *value, bool *missing)
{
    resolve_ctx *ctx = p;
    const hz_indicator *ind = config_find_indicator(ctx->config, name);
    *missing = false;
    if (ind) {
        *value = ctx->values[ind - ctx->config->indicators];
        return true;
    }
    int fig = rule_expr_case_figure_find(name);
    if (fig < 0)
        return false;
    *value = ctx->figures[fig];
    return true;
}

static void case_figures(const gen *g, double *fig)
{
    const hz_config *cf = g->config;
    memset(fig, 0, sizeof(double) * RULE_FIG__COUNT);
    for (size_t i = 0; i < g->count; i++) {
        const scase *c = &g->cases[i];
        const char *channel = list_item(&cf->channels, c->channel);
        fig[RULE_FIG_CASE_FILED] += 1;
        fig[c->is_closed ? RULE_FIG_CASE_CLOSED : RULE_FIG_CASE_OPEN] += 1;
        fig[RULE_FIG_CASE_AMOUNT] += hz_amount_to_double(c->amount);
        if (c->has_fine)
            fig[RULE_FIG_CASE_FINE] += hz_amount_to_double(c->fine);
        fig[RULE_FIG_CASE_TRANSFERRED] += c->transferred == FILLIN_YES;
        fig[RULE_FIG_CASE_TYPICAL] += c->typical == FILLIN_YES;
        fig[RULE_FIG_CASE_KEY_MARKET] += c->key == FILLIN_YES;
        fig[RULE_FIG_CASE_RURAL] += c->rural == FILLIN_YES;
        fig[RULE_FIG_CASE_ONLINE] += channel && !strcmp(channel, "电子商务");
        fig[RULE_FIG_CASE_PHYSICAL] += channel && !strcmp(channel, "实体市场");
        fig[RULE_FIG_CASE_CROSS_REGION] += c->cross == FILLIN_YES;
    }
}

/* Adjusts values until every comparison rule of the configuration holds:
 * for a failing rule, the first indicator whose change moves the rule the
 * right way is moved past the boundary (a decrease never below floors[k]).
 * The sensitivity of the rule to each indicator is measured by evaluation,
 * so any linear expression works without knowing its shape. */
static void rules_satisfy(const gen *g, rng *r, double *values, const double *floors)
{
    const hz_config *cf = g->config;
    resolve_ctx ctx = {.config = cf, .values = values};
    case_figures(g, ctx.figures);
    for (int pass = 0; pass < 12; pass++) {
        bool changed = false;
        for (size_t i = 0; i < cf->rule_count; i++) {
            rule_expr *expr = NULL;
            if (rule_expr_parse(cf->rules[i].expr, &expr, NULL) != HZ_OK)
                continue;
            rule_op op = rule_expr_op(expr);
            rule_result res;
            if ((op != RULE_OP_LE && op != RULE_OP_LT && op != RULE_OP_GE && op != RULE_OP_GT) ||
                rule_expr_eval(expr, resolve, &ctx, HZ_MISSING_NEVER_SKIP, &res, NULL) != HZ_OK ||
                res.outcome != RULE_FAIL) {
                rule_expr_free(expr);
                continue;
            }
            double base = res.left - res.right;
            double target = op == RULE_OP_LT ? -1 : op == RULE_OP_GT ? 1 : 0;
            const char *const *names;
            size_t n = rule_expr_identifiers(expr, &names);
            for (size_t j = 0; j < n; j++) {
                const hz_indicator *ind = config_find_indicator(cf, names[j]);
                if (!ind)
                    continue;
                size_t k = (size_t)(ind - cf->indicators);
                double saved = values[k];
                values[k] = saved + 1;
                rule_result probe;
                hz_status s = rule_expr_eval(expr, resolve, &ctx, HZ_MISSING_NEVER_SKIP, &probe, NULL);
                values[k] = saved;
                double d = s == HZ_OK ? (probe.left - probe.right) - base : 0;
                if (fabs(d) < 1e-12)
                    continue;
                double v = saved + (target - base) / d;
                bool decrease = v < saved;
                if (decrease) {
                    v *= 0.5 + 0.4 * rng_unit(r);
                    v = ind->type == HZ_VALUE_COUNT ? floor(v) : floor(v * 100) / 100;
                    if (floors && v < floors[k])
                        v = floors[k];
                    if (v >= saved)
                        continue;
                } else {
                    v = v * (1.1 + 0.4 * rng_unit(r)) + 1;
                    v = ind->type == HZ_VALUE_COUNT ? ceil(v) : ceil(v * 100) / 100;
                }
                values[k] = indicator_round(ind, v);
                changed = true;
                break;
            }
            rule_expr_free(expr);
        }
        if (!changed)
            break;
    }
}

/* ---- narrative ---------------------------------------------------------- */

static const char *const text_work[] = {
    "按照市局统一部署，成立了由主要负责同志任组长的专项治理工作领导小组，制定了实施方案，明确了责任分工和时间节点。",
    "围绕重点商品、实体市场、电子商务和申请环节，组织开展拉网式排查，对辖区农贸市场、商场超市和城乡结合部市场进行了明查暗访。",
    "加强与公安、检察、法院等部门的协作配合，建立了线索通报、案件移送和信息共享机制。",
    "依托网络交易监测平台开展网络巡查，督促电商平台落实“通知—删除—公示”制度。",
    "利用节假日前后的重点时段，对农村及城乡结合部市场开展了专项检查。",
    "对辖区商标专利代理机构进行了全面摸底，约谈了存在问题的代理机构负责人。",
};
static const char *const text_results[] = {
    "辖区侵权假冒商品的生产销售势头得到有效遏制，市场秩序进一步好转。",
    "查办了一批社会关注度高、群众反映强烈的侵权假冒案件，形成了有力震慑。",
    "企业知识产权保护意识明显增强，权利人与执法部门的沟通协作更加顺畅。",
    "通过知识产权宣传周等活动，营造了尊重和保护知识产权的良好社会氛围。",
    "执法人员的侵权判定和案件查办能力得到提升。",
};
static const char *const text_problems[] = {
    "基层执法力量不足，执法人员对商标、专利侵权的判定能力有待提高。",
    "网络侵权行为隐蔽性强、取证难，线上线下一体化监管手段还不够完善。",
    "部分经营者法律意识淡薄，侵权商品来源追溯难度较大。",
    "跨区域案件协查机制有待进一步健全，案件办理周期较长。",
    "农村市场点多面广，日常监管存在薄弱环节。",
};
static const char *const text_next[] = {
    "持续保持高压态势，加大对重点商品、重点市场的检查频次。",
    "加强执法人员业务培训，提升侵权判定和案件查办能力。",
    "深化与公安、司法机关的衔接配合，完善行政执法与刑事司法衔接机制。",
    "加强网络监测，推动线上线下协同治理。",
    "加大典型案例宣传力度，引导经营者守法诚信经营。",
};

/* Appends k distinct phrases of list in list order. */
static void phrases(rng *r, hz_buf *b, const char *const *list, size_t n, size_t k)
{
    bool used[16] = {false};
    for (size_t got = 0; got < k && got < n && n <= 16;) {
        size_t i = rng_below(r, (uint32_t)n);
        if (!used[i]) {
            used[i] = true;
            got++;
        }
    }
    for (size_t i = 0; i < n && i < 16; i++)
        if (used[i])
            hz_buf_puts(b, list[i]);
}

/* ---- one unit's submission ---------------------------------------------- */

typedef struct unit_data {
    gen g;
    double *values, *stage_values;
    bool *present;
    hz_buf texts[FILLIN_TEXT__COUNT];
    char filler[32], reviewer[32], head[32], phone[32];
} unit_data;

static void person(rng *r, char *buf, size_t size)
{
    static const char *const family[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "郭", "孙"};
    static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰",
                                        "军", "涛", "明", "超", "霞", "平", "刚", "红梅", "建国", "晓东"};
    snprintf(buf, size, "%s%s%s", CHOOSE(r, family), CHOOSE(r, given),
             rng_percent(r, 50) ? CHOOSE(r, given) : "");
}

static hz_date default_fill_date(const hz_config *config, const hz_unit *unit,
                                 const hz_round *round, uint64_t seed)
{
    rng r = rng_stream(seed, unit->code, "fill", round->id);
    hz_date deadline = config_effective_deadline(config, round);
    if (deadline < round->period_end)
        return deadline;
    return round->period_end + rng_range(&r, 0, deadline - round->period_end);
}

static hz_status unit_generate(const hz_config *cf, const hz_unit *unit, const hz_round *round,
                               const synth_options *opt, hz_date fill, unit_data *u, hz_error *err)
{
    const hz_round *stage = config_find_round(cf, "stage");
    bool annual = stage && stage != round && stage->period_end < round->period_end;
    const hz_round *first = annual ? stage : round;
    size_t ni = cf->indicator_count;
    u->g.config = cf;
    u->g.unit = unit;
    u->values = calloc(ni ? ni : 1, sizeof *u->values);
    u->stage_values = calloc(ni ? ni : 1, sizeof *u->stage_values);
    u->present = calloc(ni ? ni : 1, sizeof *u->present);
    if (!u->values || !u->stage_values || !u->present)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);

    /* The stage part, identical whichever round is being written. */
    rng rc = rng_stream(opt->seed, unit->code, "cases", "stage");
    long n = opt->case_count >= 0 ? opt->case_count
                                  : (long)rng_below(&rc, (uint32_t)opt->max_random_cases + 1);
    for (long i = 0; i < n; i++)
        if (!case_add(&u->g, &rc, first->period_start, first->period_end))
            return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    rng rs = rng_stream(opt->seed, unit->code, "stats", "stage");
    for (size_t k = 0; k < ni; k++)
        u->values[k] = indicator_draw(&rs, &cf->indicators[k]);
    rules_satisfy(&u->g, &rs, u->values, NULL);

    if (annual) {
        memcpy(u->stage_values, u->values, ni * sizeof *u->values);
        rng ra = rng_stream(opt->seed, unit->code, "cases", round->id);
        size_t stage_count = u->g.count;
        for (size_t i = 0; i < stage_count; i++) {
            scase *c = &u->g.cases[i];
            if (!c->is_closed && rng_percent(&ra, 70)) {
                case_close(&ra, c, stage->period_end + 1, round->period_end);
                case_summary(&u->g, c);
            }
        }
        long more = opt->case_count >= 0 ? opt->case_count
                                         : (long)rng_below(&ra, (uint32_t)opt->max_random_cases + 1);
        for (long i = 0; i < more; i++)
            if (!case_add(&u->g, &ra, stage->period_end + 1, round->period_end))
                return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        rng rt = rng_stream(opt->seed, unit->code, "stats", round->id);
        double *floors = u->stage_values;
        for (size_t k = 0; k < ni; k++) {
            const hz_indicator *ind = &cf->indicators[k];
            double v = u->values[k];
            if (ind->over_rounds == HZ_AGG_CUMULATIVE)
                v += v * (0.5 + rng_unit(&rt)) + rng_range(&rt, 0, 3);
            else
                v += rng_range(&rt, 0, 2);
            u->values[k] = indicator_round(ind, v);
        }
        /* Stock indicators may fall; only cumulative ones keep a floor. */
        double *fl = malloc((ni ? ni : 1) * sizeof *fl);
        if (!fl)
            return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
        for (size_t k = 0; k < ni; k++)
            fl[k] = cf->indicators[k].over_rounds == HZ_AGG_CUMULATIVE ? floors[k] : 0;
        rules_satisfy(&u->g, &rt, u->values, fl);
        free(fl);
    }

    /* A fill date before the period end (an explicit option) caps the case
     * dates after drawing, so the streams stay aligned between rounds. */
    for (size_t i = 0; i < u->g.count; i++) {
        scase *c = &u->g.cases[i];
        if (c->filed > fill && fill >= round->period_start)
            c->filed = fill;
        if (c->is_closed && c->closed > fill && fill >= round->period_start)
            c->closed = fill;
    }
    for (size_t k = 0; k < ni; k++)
        u->present[k] = (long)k != opt->blank_indicator;

    rng rp = rng_stream(opt->seed, unit->code, "people", "");
    person(&rp, u->filler, sizeof u->filler);
    person(&rp, u->reviewer, sizeof u->reviewer);
    person(&rp, u->head, sizeof u->head);
    if (rng_percent(&rp, 50))
        snprintf(u->phone, sizeof u->phone, "0374-%07d", rng_range(&rp, 2000000, 8999999));
    else
        snprintf(u->phone, sizeof u->phone, "13%09d", rng_range(&rp, 0, 999999999));

    rng rx = rng_stream(opt->seed, unit->code, "text", round->id);
    double fig[RULE_FIG__COUNT];
    case_figures(&u->g, fig);
    char amount[32], fine[32];
    hz_buf *t = u->texts;
    hz_buf_printf(&t[FILLIN_TEXT_WORK], "%s市场监管局", unit->short_name);
    phrases(&rx, &t[FILLIN_TEXT_WORK], text_work, sizeof text_work / sizeof *text_work, 3);
    hz_buf_printf(&t[FILLIN_TEXT_RESULTS],
                  "%s以来，共立案查处侵犯知识产权案件%.0f件，办结%.0f件，涉案金额%s万元，罚没款%s万元，移送司法机关%.0f件。",
                  annual ? "专项治理开展" : "截至目前，专项治理开展", fig[RULE_FIG_CASE_FILED],
                  fig[RULE_FIG_CASE_CLOSED],
                  amount_text((hz_amount)llround(fig[RULE_FIG_CASE_AMOUNT] * HZ_AMOUNT_SCALE), amount, sizeof amount),
                  amount_text((hz_amount)llround(fig[RULE_FIG_CASE_FINE] * HZ_AMOUNT_SCALE), fine, sizeof fine),
                  fig[RULE_FIG_CASE_TRANSFERRED]);
    phrases(&rx, &t[FILLIN_TEXT_RESULTS], text_results, sizeof text_results / sizeof *text_results, 2);
    phrases(&rx, &t[FILLIN_TEXT_PROBLEMS], text_problems, sizeof text_problems / sizeof *text_problems, 3);
    phrases(&rx, &t[FILLIN_TEXT_NEXT], text_next, sizeof text_next / sizeof *text_next, 3);
    for (int i = 0; i < FILLIN_TEXT__COUNT; i++)
        if (!t[i].data)
            return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    return HZ_OK;
}

static void unit_free(unit_data *u)
{
    free(u->g.cases);
    free(u->values);
    free(u->stage_values);
    free(u->present);
    for (int i = 0; i < FILLIN_TEXT__COUNT; i++)
        hz_buf_free(&u->texts[i]);
}

void synth_options_init(synth_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->case_count = -1;
    opt->max_random_cases = 40;
    opt->version = 1;
    opt->fill_date = HZ_DATE_NONE;
    opt->blank_indicator = -1;
}

hz_status synth_fill(const hz_config *config, const hz_unit *unit, const hz_round *round,
                     const synth_options *opt, const char *path, hz_error *err)
{
    if (!config || !unit || !round || !opt || !path)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_INTERNAL, "synth_fill: NULL argument", NULL);
    if (opt->max_random_cases < 0 || opt->case_count > 10000000L)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_INTERNAL, "synth_fill: bad case count", NULL);
    hz_date fill = opt->fill_date != HZ_DATE_NONE
                       ? opt->fill_date
                       : default_fill_date(config, unit, round, opt->seed);
    unit_data u;
    memset(&u, 0, sizeof u);
    hz_status s = unit_generate(config, unit, round, opt, fill, &u, err);
    fillin_case *cases = NULL;
    if (s == HZ_OK && u.g.count) {
        cases = calloc(u.g.count, sizeof *cases);
        if (!cases)
            s = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    if (s == HZ_OK) {
        const hz_config *cf = config;
        for (size_t i = 0; i < u.g.count; i++) {
            const scase *c = &u.g.cases[i];
            fillin_case *f = &cases[i];
            f->number = c->number;
            f->name = c->name;
            f->filed = c->filed;
            f->closed = c->is_closed ? c->closed : HZ_DATE_NONE;
            f->status = c->is_closed ? (cf->case_statuses.count > 1 ? cf->case_statuses.items[1] : NULL)
                                     : list_item(&cf->case_statuses, 0);
            size_t open_i = list_find(&cf->case_statuses, "在办");
            size_t closed_i = list_find(&cf->case_statuses, "已结案");
            if (!c->is_closed && open_i != SIZE_MAX)
                f->status = cf->case_statuses.items[open_i];
            if (c->is_closed && closed_i != SIZE_MAX)
                f->status = cf->case_statuses.items[closed_i];
            f->category = list_item(&cf->case_categories, c->category);
            f->commodity = list_item(&cf->commodities, c->commodity);
            f->channel = list_item(&cf->channels, c->channel);
            f->key_market = c->key;
            f->rural = c->rural;
            f->amount = c->amount;
            f->has_amount = true;
            f->fine = c->fine;
            f->has_fine = c->has_fine;
            f->transferred = c->transferred;
            f->cross_region = c->cross;
            f->partner = c->partner[0] ? c->partner : NULL;
            f->lead_source = list_item(&cf->lead_sources, c->lead);
            f->typical = c->typical;
            f->summary = c->summary[0] ? c->summary : NULL;
        }
        fillin_values v = {
            .fill_date = fill,
            .filler = u.filler,
            .phone = u.phone,
            .reviewer = u.reviewer,
            .head = u.head,
            .version = opt->version > 0 ? opt->version : 1,
            .indicator_values = u.values,
            .indicator_present = u.present,
            .cases = cases,
            .case_count = u.g.count,
        };
        for (int i = 0; i < FILLIN_TEXT__COUNT; i++)
            v.texts[i] = u.texts[i].data;
        s = fillin_write_values(config, unit, round, &v, path, err);
    }
    free(cases);
    unit_free(&u);
    return s;
}

/* ---- the sample set ------------------------------------------------------ */

static hz_status make_dir(const char *path, hz_error *err)
{
    if (mkdir(path, 0755) == 0)
        return HZ_OK;
    struct stat st;
    if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return HZ_OK;
    return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_MKDIR, path, strerror(errno), NULL);
}

static hz_status write_text(const char *path, const char *text, hz_error *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_OPEN, tmp, strerror(errno), NULL);
    bool ok = fputs(text, f) >= 0;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        unlink(tmp);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_WRITE, tmp, strerror(errno), NULL);
    }
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        return hz_error_set(err, HZ_ERR_IO, HZ_M_IO_RENAME, tmp, path, strerror(errno), NULL);
    }
    return HZ_OK;
}

static void receipt_line(hz_buf *b, const hz_unit *unit, hz_date day, uint64_t seed,
                         const char *round_id)
{
    rng r = rng_stream(seed, unit->code, "receipt", round_id);
    char date[16];
    hz_buf_printf(b, "%s = %s %02d:%02d\n", unit->code, hz_date_format(day, date, sizeof date),
                  rng_range(&r, 8, 16), rng_range(&r, 0, 59));
}

static hz_status sample_file(const hz_config *cf, const hz_unit *unit, const hz_round *round,
                             const synth_options *opt, const char *dir, const char *suffix,
                             hz_error *err)
{
    char name[1024], path[4096];
    if (!fillin_file_name(unit, round, name, sizeof name))
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_FILLIN_NAME_TOO_LONG, unit->name, NULL);
    if (suffix) {
        size_t len = strlen(name);
        name[len - 5] = '\0'; /* ".xlsx" */
        snprintf(path, sizeof path, "%s/%s%s.xlsx", dir, name, suffix);
    } else {
        snprintf(path, sizeof path, "%s/%s", dir, name);
    }
    return synth_fill(cf, unit, round, opt, path, err);
}

hz_status synth_write_samples(const hz_config *config, uint64_t seed, const char *dir,
                              synth_samples_report *report, hz_error *err)
{
    synth_samples_report rep = {0};
    if (report)
        *report = rep;
    if (!config || !dir)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_INTERNAL, "synth_write_samples: NULL", NULL);
    const hz_round *stage = config_find_round(config, "stage");
    const hz_round *annual = config_find_round(config, "annual");
    if (!stage || !annual)
        return hz_error_set(err, HZ_ERR_CONFIG, HZ_M_FILLIN_NO_STAGE_ROUND, NULL);
    size_t nu = config->unit_count;
    if (nu < 3) {
        char n[16];
        snprintf(n, sizeof n, "%zu", nu);
        return hz_error_set(err, HZ_ERR_CONFIG, HZ_M_FILLIN_TOO_FEW_UNITS, n, NULL);
    }
    char sdir[4096], adir[4096], path[4200];
    snprintf(sdir, sizeof sdir, "%s/stage", dir);
    snprintf(adir, sizeof adir, "%s/annual", dir);
    hz_status s = make_dir(dir, err);
    if (s == HZ_OK)
        s = make_dir(sdir, err);
    if (s == HZ_OK)
        s = make_dir(adir, err);
    if (s != HZ_OK)
        return s;

    hz_buf rs = {0}, ra = {0};
    static const char head[] =
        "; 收件登记：单位代码 = 收到报送表的时间（市局知识产权保护科登记）。\n"
        "; Receipts: unit code = date and time the city received the return.\n"
        "; 由 huizong synth --samples 生成的模拟数据 / synthetic sample data.\n"
        "[receipts]\n";
    hz_buf_puts(&rs, head);
    hz_buf_puts(&ra, head);

    for (size_t i = 0; i < nu && s == HZ_OK; i++) {
        const hz_unit *u = &config->units[i];
        synth_options opt;
        synth_options_init(&opt);
        opt.seed = seed;
        opt.fill_date = default_fill_date(config, u, stage, seed);
        s = sample_file(config, u, stage, &opt, sdir, NULL, err);
        if (s == HZ_OK) {
            receipt_line(&rs, u, opt.fill_date, seed, "stage");
            rep.stage_files++;
        }
    }
    hz_date deadline = config_effective_deadline(config, annual);
    for (size_t i = 0; i < nu && s == HZ_OK; i++) {
        const hz_unit *u = &config->units[i];
        if (i == nu - 1) {
            rep.missing_unit = u;
            continue;
        }
        synth_options opt;
        synth_options_init(&opt);
        opt.seed = seed;
        opt.fill_date = default_fill_date(config, u, annual, seed);
        if (i == nu - 2) {
            opt.fill_date = deadline + 2;
            rep.late_unit = u;
        }
        if (i == 0) {
            synth_options v1 = opt;
            v1.version = 1;
            v1.fill_date = annual->period_end < deadline ? annual->period_end : deadline;
            for (size_t k = 0; k < config->indicator_count; k++)
                if (config->indicators[k].required) {
                    v1.blank_indicator = (long)k;
                    break;
                }
            s = sample_file(config, u, annual, &v1, adir, "-v1", err);
            if (s != HZ_OK)
                break;
            rep.annual_files++;
            opt.version = 2;
            opt.fill_date = deadline;
            rep.revised_unit = u;
        }
        s = sample_file(config, u, annual, &opt, adir, NULL, err);
        if (s == HZ_OK) {
            receipt_line(&ra, u, opt.fill_date, seed, "annual");
            rep.annual_files++;
        }
    }
    if (s == HZ_OK && (!rs.data || !ra.data))
        s = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    if (s == HZ_OK) {
        snprintf(path, sizeof path, "%s/receipts.ini", sdir);
        s = write_text(path, rs.data, err);
    }
    if (s == HZ_OK) {
        snprintf(path, sizeof path, "%s/receipts.ini", adir);
        s = write_text(path, ra.data, err);
    }
    hz_buf_free(&rs);
    hz_buf_free(&ra);
    if (report)
        *report = rep;
    return s;
}

/* ---- a configuration of any size (benchmarks) ----------------------------- */

hz_status synth_write_config(const hz_config *config, size_t units, const char *dir,
                             hz_error *err)
{
    if (!config || !config->dir || !dir || units < 1 || units > SYNTH_MAX_UNITS)
        return hz_error_set(err, HZ_ERR_USAGE, HZ_M_INTERNAL, "synth_write_config", NULL);
    hz_status s = fs_mkdir_p(dir, err);
    if (s != HZ_OK)
        return s;
    /* Every other file of the campaign is copied unchanged, so the
     * benchmark measures the real indicators, rules and lists. */
    fs_listing list;
    s = fs_list_dir(config->dir, &list, err);
    for (size_t i = 0; s == HZ_OK && i < list.count; i++) {
        const char *name = list.items[i].name;
        size_t n = strlen(name);
        if (list.items[i].kind != FS_FILE || n < 4 || strcmp(name + n - 4, ".ini") != 0
            || strcmp(name, "units.ini") == 0)
            continue;
        char src[4096], dst[4096];
        snprintf(src, sizeof src, "%s/%s", config->dir, name);
        snprintf(dst, sizeof dst, "%s/%s", dir, name);
        char *data = NULL;
        size_t len = 0;
        s = fs_read_file(src, &data, &len, err);
        if (s == HZ_OK)
            s = fs_write_atomic(dst, data, len, err);
        free(data);
    }
    fs_listing_free(&list);
    if (s != HZ_OK)
        return s;

    static const char *const kinds[] = {"county", "district", "zone", "branch"};
    hz_buf b = {0};
    bool ok = hz_buf_printf(&b, "; %zu reporting units written by `huizong synth --config-units`"
                                " for benchmarks:\n; the campaign's own units, then synthetic"
                                " ones (codes 49NNNN).\n", units);
    for (size_t i = 0; ok && i < units; i++) {
        if (i < config->unit_count) {
            const hz_unit *u = &config->units[i];
            ok = hz_buf_printf(&b, "\n[u%04zu]\ncode  = %s\nname  = %s\nshort = %s\nkind  = %s\n",
                               i + 1, u->code, u->name, u->short_name ? u->short_name : "",
                               kinds[u->kind]);
        } else {
            ok = hz_buf_printf(&b, "\n[u%04zu]\ncode  = 49%04zu\nname  = 模拟%04zu县市场监督管理局\n"
                                   "short = 模拟%04zu县\nkind  = county\n",
                               i + 1, i + 1, i + 1, i + 1);
        }
    }
    if (!ok) {
        hz_buf_free(&b);
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/units.ini", dir);
    s = fs_write_atomic(path, b.data, b.len, err);
    hz_buf_free(&b);
    return s;
}
