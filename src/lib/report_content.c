/* report_content.c - computed sentences of the city report
 * (report_content.h). The report is a Chinese document: its wording lives
 * here and in templates/, not in the message catalogue. */
#include "report_content.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis.h"
#include "display_format.h"
#include "hz_amount.h"
#include "hz_text.h"
#include "report_cases.h"
#include "report_narrative.h"
#include "report_template.h"

typedef struct build {
    const hz_consolidation *cons;
    const hz_config *config;
    int decimals;
    bool ok;
} build;

static json_object *jstr(build *b, const char *s)
{
    json_object *o = json_object_new_string(s ? s : "");
    if (!o)
        b->ok = false;
    return o;
}

static void put(build *b, json_object *obj, const char *key, json_object *val)
{
    if (!obj || !val || json_object_object_add(obj, key, val) != 0) {
        json_object_put(val);
        b->ok = false;
    }
}

static void push(build *b, json_object *arr, json_object *val)
{
    if (!arr || !val || json_object_array_add(arr, val) != 0) {
        json_object_put(val);
        b->ok = false;
    }
}

static json_object *jobj(build *b)
{
    json_object *o = json_object_new_object();
    if (!o)
        b->ok = false;
    return o;
}

static json_object *jarr(build *b)
{
    json_object *o = json_object_new_array();
    if (!o)
        b->ok = false;
    return o;
}

static void buf_ok(build *b, bool ok)
{
    if (!ok)
        b->ok = false;
}

static const char *money(build *b, hz_amount a, char *buf, size_t size)
{
    return hz_amount_format(a, b->decimals, false, buf, size);
}

static const char *short_of(const hz_unit *u)
{
    return u->short_name && u->short_name[0] ? u->short_name : u->name;
}

/* "魏都区", "魏都区、建安区", "魏都区、建安区等5个单位" */
static void put_units(build *b, hz_buf *out, const size_t *units, size_t n)
{
    for (size_t i = 0; i < n && i < 2; i++)
        buf_ok(b, hz_buf_printf(out, "%s%s", i ? "、" : "",
                                short_of(b->cons->units[units[i]].unit)));
    if (n > 2)
        buf_ok(b, hz_buf_printf(out, "等%zu个单位", n));
}

/* "、" between items, "和" before the last of n. */
static const char *sep_and(size_t i, size_t n)
{
    return i == 0 ? "" : i + 1 == n ? "和" : "、";
}

/* ------------------------------------------------------------ overview */

static void overview(build *b, json_object *content)
{
    const hz_case_figures *t = &b->cons->total;
    char m1[64], m2[64];
    hz_buf s = {0};
    if (t->filed == 0) {
        buf_ok(b, hz_buf_puts(&s, "专项工作期间，全市未立案查处侵犯知识产权违法案件"));
    } else {
        buf_ok(b, hz_buf_printf(&s, "专项工作开展以来，全市市场监管部门共立案查处侵犯知识产权违法案件%lld件",
                                (long long)t->filed));
        if (t->closed)
            buf_ok(b, hz_buf_printf(&s, "，结案%lld件", (long long)t->closed));
        if (t->amount)
            buf_ok(b, hz_buf_printf(&s, "，涉案金额%s万元", money(b, t->amount, m1, sizeof m1)));
        if (t->fine)
            buf_ok(b, hz_buf_printf(&s, "，罚没金额%s万元", money(b, t->fine, m2, sizeof m2)));
        if (t->transferred)
            buf_ok(b, hz_buf_printf(&s, "，移送司法机关%lld件", (long long)t->transferred));
    }
    buf_ok(b, hz_buf_puts(&s, "。"));
    put(b, content, "overview", jstr(b, s.data));
    hz_buf_free(&s);
}

/* Who reported, and what a missing unit's absence leaves out. */
static void coverage(build *b, json_object *content)
{
    const hz_consolidation *cons = b->cons, *st = cons->stage;
    hz_buf s = {0};
    json_object *missing = jarr(b);
    size_t nmiss = 0;
    for (size_t u = 0; u < cons->unit_count; u++)
        nmiss += cons->units[u].file == HZ_NONE_INDEX;
    if (nmiss == 0) {
        buf_ok(b, hz_buf_printf(&s, "全市%zu个单位均报送了%s", cons->unit_count,
                                cons->round->name));
    } else {
        buf_ok(b, hz_buf_printf(&s, "全市%zu个单位中，%zu个单位报送了%s；", cons->unit_count,
                                cons->accepted_units, cons->round->name));
        size_t k = 0;
        for (size_t u = 0; u < cons->unit_count; u++) {
            const hz_cons_unit *cu = &cons->units[u];
            if (cu->file != HZ_NONE_INDEX)
                continue;
            buf_ok(b, hz_buf_printf(&s, "%s%s", sep_and(k++, nmiss), short_of(cu->unit)));
            json_object *o = jobj(b);
            put(b, o, "short_name", jstr(b, short_of(cu->unit)));
            push(b, missing, o);
        }
        buf_ok(b, hz_buf_puts(&s, "未报送"));
        /* the stage figures its absence leaves out */
        bool said = false;
        for (size_t u = 0; st && u < cons->unit_count && u < st->unit_count; u++) {
            const hz_cons_unit *cu = &cons->units[u];
            const hz_cons_unit *su = &st->units[u];
            if (cu->file != HZ_NONE_INDEX || su->file == HZ_NONE_INDEX || !su->cases.filed)
                continue;
            char m[64];
            buf_ok(b, hz_buf_printf(&s, "%s%s%s报送的%lld件案件（涉案金额%s万元）",
                                    said ? "，" : nmiss > 1 ? "，" : "，其", nmiss > 1 ? short_of(cu->unit) : "",
                                    st->round->name, (long long)su->cases.filed,
                                    money(b, su->cases.amount, m, sizeof m)));
            said = true;
        }
        buf_ok(b, hz_buf_puts(&s, said ? "未计入上述数字" : "，其数据未计入上述数字"));
    }
    buf_ok(b, hz_buf_puts(&s, "。"));
    put(b, content, "coverage", jstr(b, s.data));
    put(b, content, "missing_units", missing);
    put(b, content, "all_reported", json_object_new_boolean(nmiss == 0));
    hz_buf_free(&s);
}

static const char *change_word(int64_t d)
{
    return d >= 0 ? "增加" : "减少";
}

/* Stage -> this round: city, then per unit, with the difference explained. */
static void increments(build *b, json_object *content)
{
    const hz_consolidation *cons = b->cons, *st = cons->stage;
    if (!st) {
        put(b, content, "increments", jstr(b, ""));
        return;
    }
    hz_buf s = {0};
    char m1[64], m2[64], m3[64];
    int64_t dc = cons->total.filed - st->total.filed;
    hz_amount da = cons->total.amount - st->total.amount;
    buf_ok(b, hz_buf_printf(&s, "与%s相比，全市立案数由%lld件%s到%lld件，%s%lld件；涉案金额由%s万元%s到%s万元，%s%s万元。",
                            st->round->name, (long long)st->total.filed, change_word(dc),
                            (long long)cons->total.filed, change_word(dc),
                            (long long)(dc < 0 ? -dc : dc), money(b, st->total.amount, m1, sizeof m1),
                            change_word(da), money(b, cons->total.amount, m2, sizeof m2),
                            change_word(da), money(b, da < 0 ? -da : da, m3, sizeof m3)));
    /* per unit: rises, falls, unchanged, not reported */
    int64_t sum_rise = 0, sum_fall = 0, left_out = 0;
    size_t nrise = 0, nfall = 0, nsame = 0, nmiss = 0;
    size_t n = cons->unit_count < st->unit_count ? cons->unit_count : st->unit_count;
    for (size_t u = 0; u < n; u++) {
        if (cons->units[u].file == HZ_NONE_INDEX) {
            if (st->units[u].cases.filed) {
                nmiss++;
                left_out += st->units[u].cases.filed;
            }
            continue;
        }
        int64_t d = cons->units[u].cases.filed - st->units[u].cases.filed;
        if (d > 0) {
            nrise++;
            sum_rise += d;
        } else if (d < 0) {
            nfall++;
            sum_fall += -d;
        } else {
            nsame++;
        }
    }
    if (nrise + nfall + nsame > 0)
        buf_ok(b, hz_buf_puts(&s, "分单位看，"));
    size_t k = 0;
    for (size_t u = 0; u < n && nrise; u++) {
        if (cons->units[u].file == HZ_NONE_INDEX)
            continue;
        int64_t d = cons->units[u].cases.filed - st->units[u].cases.filed;
        if (d <= 0)
            continue;
        buf_ok(b, hz_buf_printf(&s, "%s%s%s%lld件", k ? "、" : "", short_of(cons->units[u].unit),
                                k ? "" : "新增立案", (long long)d));
        k++;
    }
    if (nrise > 1)
        buf_ok(b, hz_buf_printf(&s, "，合计新增%lld件", (long long)sum_rise));
    if (nfall) {
        buf_ok(b, hz_buf_puts(&s, nrise ? "；" : ""));
        k = 0;
        for (size_t u = 0; u < n; u++) {
            if (cons->units[u].file == HZ_NONE_INDEX)
                continue;
            int64_t d = cons->units[u].cases.filed - st->units[u].cases.filed;
            if (d >= 0)
                continue;
            buf_ok(b, hz_buf_printf(&s, "%s%s", k ? "、" : "", short_of(cons->units[u].unit)));
            buf_ok(b, hz_buf_printf(&s, "减少%lld件", (long long)-d));
            k++;
        }
    }
    if (nsame) {
        buf_ok(b, hz_buf_puts(&s, nrise || nfall ? "；" : ""));
        k = 0;
        for (size_t u = 0; u < n; u++) {
            if (cons->units[u].file == HZ_NONE_INDEX ||
                cons->units[u].cases.filed != st->units[u].cases.filed)
                continue;
            buf_ok(b, hz_buf_printf(&s, "%s%s", k ? "、" : "", short_of(cons->units[u].unit)));
            k++;
        }
        buf_ok(b, hz_buf_printf(&s, "立案数与%s持平", st->round->name));
    }
    if (nrise + nfall + nsame > 0)
        buf_ok(b, hz_buf_puts(&s, "。"));
    if (nmiss) {
        /* the difference between the units' sum and the city, stated */
        buf_ok(b, hz_buf_puts(&s, "因"));
        k = 0;
        for (size_t u = 0; u < n; u++) {
            if (cons->units[u].file != HZ_NONE_INDEX || !st->units[u].cases.filed)
                continue;
            buf_ok(b, hz_buf_printf(&s, "%s%s", sep_and(k++, nmiss), short_of(cons->units[u].unit)));
        }
        buf_ok(b, hz_buf_printf(&s, "未报送%s，其%s的%lld件案件未计入，", cons->round->name,
                                st->round->name, (long long)left_out));
        if (nfall)
            buf_ok(b, hz_buf_printf(&s, "全市净%s%lld件（新增%lld件，减少%lld件，未计入%lld件）。",
                                    change_word(dc), (long long)(dc < 0 ? -dc : dc),
                                    (long long)sum_rise, (long long)sum_fall, (long long)left_out));
        else
            buf_ok(b, hz_buf_printf(&s, "全市净%s%lld件（新增%lld件，未计入%lld件）。",
                                    change_word(dc), (long long)(dc < 0 ? -dc : dc),
                                    (long long)sum_rise, (long long)left_out));
    }
    put(b, content, "increments", jstr(b, s.data));
    put(b, content, "increments_balance",
        json_object_new_boolean(sum_rise - sum_fall - left_out == dc));
    hz_buf_free(&s);
}

static void phases(build *b, json_object *content)
{
    const hz_consolidation *cons = b->cons;
    const hz_config *config = b->config;
    hz_buf s = {0};
    size_t with = 0;
    for (size_t p = 0; p <= config->phase_count; p++)
        with += cons->by_phase[p].filed > 0;
    if (with > 1) {
        buf_ok(b, hz_buf_puts(&s, "分阶段看，"));
        size_t k = 0;
        for (size_t p = 0; p <= config->phase_count; p++) {
            const hz_case_figures *f = &cons->by_phase[p];
            if (!f->filed)
                continue;
            char m[64];
            const char *name = p < config->phase_count ? config->phases[p].name : "各阶段以外";
            buf_ok(b, hz_buf_printf(&s, "%s%s阶段立案%lld件", k ? "，" : "", name,
                                    (long long)f->filed));
            if (f->amount)
                buf_ok(b, hz_buf_printf(&s, "（涉案金额%s万元）", money(b, f->amount, m, sizeof m)));
            k++;
        }
        buf_ok(b, hz_buf_puts(&s, "。"));
    }
    put(b, content, "phases", jstr(b, s.data ? s.data : ""));
    hz_buf_free(&s);
}

static void continuity(build *b, json_object *root, json_object *content)
{
    const hz_consolidation *cons = b->cons, *st = cons->stage;
    const hz_analysis *a = cons->analysis;
    hz_buf s = {0};
    if (st && a && a->continuity_done) {
        size_t both = 0;
        for (size_t u = 0; u < cons->unit_count && u < st->unit_count; u++)
            both += cons->units[u].file != HZ_NONE_INDEX && st->units[u].file != HZ_NONE_INDEX;
        json_object *cont = NULL, *dropped = NULL, *fell = NULL;
        json_object_object_get_ex(root, "continuity", &cont);
        json_object_object_get_ex(cont, "dropped_cases", &dropped);
        json_object_object_get_ex(cont, "cumulative_fell", &fell);
        int64_t nd = dropped ? json_object_get_int64(dropped) : 0;
        int64_t nf = fell ? json_object_get_int64(fell) : 0;
        buf_ok(b, hz_buf_printf(&s, "经与%s逐单位核对，", st->round->name));
        if (nd == 0 && nf == 0)
            buf_ok(b, hz_buf_printf(&s, "两轮均报送的%zu个单位%s已报送的案件均在%s中延续报送，累计指标均未减少",
                                    both, st->round->name, cons->round->name));
        else
            buf_ok(b, hz_buf_printf(&s, "两轮均报送的%zu个单位中发现%lld件案件未延续报送、%lld项累计指标减少",
                                    both, (long long)nd, (long long)nf));
        size_t k = 0;
        for (size_t u = 0; u < cons->unit_count && u < st->unit_count; u++) {
            if (cons->units[u].file != HZ_NONE_INDEX || st->units[u].file == HZ_NONE_INDEX)
                continue;
            char m[64];
            buf_ok(b, hz_buf_printf(&s, "%s%s未报送%s，其%s的%lld件案件（涉案金额%s万元）无法核对",
                                    k++ ? "；" : "；", short_of(cons->units[u].unit),
                                    cons->round->name, st->round->name,
                                    (long long)st->units[u].cases.filed,
                                    money(b, st->units[u].cases.amount, m, sizeof m)));
        }
        buf_ok(b, hz_buf_puts(&s, "。"));
    }
    put(b, content, "continuity", jstr(b, s.data ? s.data : ""));
    hz_buf_free(&s);
}

/* ------------------------------------------------------------ measures */

static const char *const ordinals[] = {"（一）", "（二）", "（三）", "（四）", "（五）",
                                       "（六）", "（七）", "（八）", "（九）", "（十）"};

const char *report_content_measure_heading(const hz_config *config, const char *numeral)
{
    int i = config_measure_index(numeral);
    if (i >= 0 && config->measure_names[i] && config->measure_names[i][0])
        return config->measure_names[i];
    if (i == 5)
        return "落实工作要求";
    return display_format_measure_name(numeral, HZ_LANG_ZH);
}

static bool has_value(const hz_consolidation *cons, size_t i)
{
    return cons->present[i] && cons->values[i] != 0;
}

static void value_text(build *b, const hz_indicator *ind, hz_amount v, bool present, char *buf,
                       size_t size)
{
    display_format_value(ind, v, present, b->decimals, buf, size);
}

static json_object *indicator_json(build *b, size_t i)
{
    const hz_consolidation *cons = b->cons, *st = cons->stage;
    const hz_indicator *ind = &b->config->indicators[i];
    json_object *o = jobj(b);
    char v[64];
    put(b, o, "code", jstr(b, ind->code));
    put(b, o, "name", jstr(b, ind->name));
    put(b, o, "uom", jstr(b, ind->uom));
    value_text(b, ind, cons->values[i], cons->present[i], v, sizeof v);
    put(b, o, "value", jstr(b, v));
    if (st) {
        value_text(b, ind, st->values[i], st->present[i], v, sizeof v);
        put(b, o, "stage_value", jstr(b, v));
        if (ind->over_rounds == HZ_AGG_CUMULATIVE && st->present[i] && cons->present[i])
            value_text(b, ind, cons->values[i] - st->values[i], true, v, sizeof v);
        else
            v[0] = '\0';
        put(b, o, "increment", jstr(b, v));
    }
    return o;
}

/* The case figures configured under a measure ([measures] N.channels,
 * N.commodities), zero figures left out; "" when there are none. */
static void measure_cases(build *b, int mi, hz_buf *out)
{
    const hz_consolidation *cons = b->cons;
    const hz_config *config = b->config;
    if (mi < 0)
        return;
    char m[64];
    size_t said = 0;
    const hz_list *chs = &config->measure_channels[mi];
    for (size_t k = 0; k < chs->count; k++) {
        size_t ci = 0;
        while (ci < config->channels.count && strcmp(config->channels.items[ci], chs->items[k]))
            ci++;
        if (ci == config->channels.count)
            continue;
        const hz_case_figures *f = &cons->by_channel[ci];
        if (!f->filed)
            continue;
        buf_ok(b, hz_buf_printf(out, "%s查处%s案件%lld件", said ? "；" : "",
                                chs->items[k], (long long)f->filed));
        if (f->amount)
            buf_ok(b, hz_buf_printf(out, "，涉案金额%s万元", money(b, f->amount, m, sizeof m)));
        /* not "其中": that word is kept for indicators.ini part_of */
        if (f->key_market)
            buf_ok(b, hz_buf_printf(out, "，涉及重点实体市场的%lld件", (long long)f->key_market));
        if (f->rural)
            buf_ok(b, hz_buf_printf(out, "%s涉及农村及城乡结合部市场的%lld件",
                                    f->key_market ? "、" : "，", (long long)f->rural));
        said++;
    }
    const hz_list *cms = &config->measure_commodities[mi];
    int64_t filed = 0;
    hz_amount amount = 0;
    size_t order[64], n = 0;
    for (size_t k = 0; k < cms->count && n < 64; k++) {
        size_t ci = 0;
        while (ci < config->commodities.count && strcmp(config->commodities.items[ci], cms->items[k]))
            ci++;
        if (ci == config->commodities.count || !cons->by_commodity[ci].filed)
            continue;
        filed += cons->by_commodity[ci].filed;
        amount += cons->by_commodity[ci].amount;
        size_t j = n++; /* by cases, most first; list order on ties */
        while (j > 0 && cons->by_commodity[order[j - 1]].filed < cons->by_commodity[ci].filed) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = ci;
    }
    if (filed) {
        buf_ok(b, hz_buf_printf(out, "%s查处涉及", said ? "；" : ""));
        for (size_t k = 0; k < n && k < 3; k++)
            buf_ok(b, hz_buf_printf(out, "%s%s", k ? "、" : "", config->commodities.items[order[k]]));
        buf_ok(b, hz_buf_printf(out, "%s商品的案件%lld件", n > 3 ? "等" : "", (long long)filed));
        if (amount)
            buf_ok(b, hz_buf_printf(out, "，涉案金额%s万元", money(b, amount, m, sizeof m)));
    }
}

static void measures(build *b, json_object *content)
{
    const hz_consolidation *cons = b->cons;
    const hz_config *config = b->config;
    json_object *list = jarr(b);
    size_t shown = 0;
    /* measures in order of first appearance, 工作要求 after the others */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < config->indicator_count; i++) {
            const char *m = config->indicators[i].measure;
            bool req = !strcmp(m, "工作要求");
            if (req != (pass == 1))
                continue;
            if (!config_measure_first(config, i))
                continue;
            hz_buf s = {0};
            json_object *inds = jarr(b);
            size_t said = 0;
            for (size_t j = i; j < config->indicator_count; j++) {
                const hz_indicator *ind = &config->indicators[j];
                if (strcmp(ind->measure, m) || (ind->part_of && ind->part_of[0]))
                    continue;
                json_object *io = indicator_json(b, j);
                json_object *parts = jarr(b);
                bool whole = has_value(cons, j);
                char v[64];
                if (whole) {
                    value_text(b, ind, cons->values[j], true, v, sizeof v);
                    buf_ok(b, hz_buf_printf(&s, "%s%s%s%s", said ? "，" : "", ind->name, v,
                                            ind->uom));
                    said++;
                }
                for (size_t k = 0; k < config->indicator_count; k++) {
                    const hz_indicator *p = &config->indicators[k];
                    if (!p->part_of || strcmp(p->part_of, ind->code))
                        continue;
                    push(b, parts, indicator_json(b, k));
                    if (!has_value(cons, k))
                        continue;
                    value_text(b, p, cons->values[k], true, v, sizeof v);
                    size_t wl = strlen(ind->name);
                    const char *pn = !strncmp(p->name, ind->name, wl) && p->name[wl]
                                         ? p->name + wl : p->name;
                    /* "培训执法人员中的基层所人员" -> "其中基层所人员" */
                    if (pn != p->name && !strncmp(pn, "中的", strlen("中的")) &&
                        pn[strlen("中的")])
                        pn += strlen("中的");
                    if (whole)
                        buf_ok(b, hz_buf_printf(&s, "，其中%s%s%s", pn, v, p->uom));
                    else
                        buf_ok(b, hz_buf_printf(&s, "%s%s%s%s", said ? "，" : "", p->name, v,
                                                p->uom));
                    said += !whole;
                }
                put(b, io, "parts", parts);
                push(b, inds, io);
            }
            hz_buf cases = {0};
            measure_cases(b, config_measure_index(m), &cases);
            if (said || cases.len) {
                hz_buf para = {0};
                buf_ok(b, hz_buf_printf(&para, "全市%s%s%s。", s.data ? s.data : "",
                                        said && cases.len ? "；" : "",
                                        cases.data ? cases.data : ""));
                json_object *mo = jobj(b);
                put(b, mo, "ordinal", jstr(b, shown < 10 ? ordinals[shown] : ""));
                put(b, mo, "numeral", jstr(b, m));
                put(b, mo, "heading", jstr(b, report_content_measure_heading(config, m)));
                put(b, mo, "requirement", json_object_new_boolean(req));
                put(b, mo, "sentence", jstr(b, s.data ? s.data : ""));
                put(b, mo, "cases", jstr(b, cases.data ? cases.data : ""));
                put(b, mo, "paragraph", jstr(b, para.data));
                hz_buf_free(&para);
                put(b, mo, "indicators", inds);
                push(b, list, mo);
                shown++;
            } else {
                json_object_put(inds);
            }
            hz_buf_free(&cases);
            hz_buf_free(&s);
        }
    }
    put(b, content, "measures", list);
}

/* ------------------------------------------------------------ typical */

static void typical(build *b, json_object *content)
{
    const hz_consolidation *cons = b->cons;
    size_t want = (size_t)(b->config->report.typical_cases > 0 ? b->config->report.typical_cases
                                                               : 5);
    size_t *idx = calloc(want, sizeof *idx);
    json_object *list = jarr(b);
    if (!idx) {
        b->ok = false;
        put(b, content, "typical", list);
        return;
    }
    size_t n = report_cases_typical_select(cons, want, idx);
    for (size_t k = 0; k < n; k++) {
        hz_buf title = {0}, sentence = {0};
        buf_ok(b, report_cases_typical_title(cons, idx[k], &title));
        buf_ok(b, report_cases_typical_sentence(cons, idx[k], b->decimals, &sentence));
        json_object *o = jobj(b);
        put(b, o, "title", jstr(b, title.data));
        put(b, o, "sentence", jstr(b, sentence.data));
        put(b, o, "unit", jstr(b, short_of(cons->units[cons->cases[idx[k]].unit].unit)));
        push(b, list, o);
        hz_buf_free(&title);
        hz_buf_free(&sentence);
    }
    free(idx);
    put(b, content, "typical", list);
    put(b, content, "typical_total", json_object_new_int64(cons->total.typical));
}

/* ------------------------------------------------------------ narrative */

static const char *const narrative_keys[HZ_NARR__COUNT] = {"practices", "problems", "next_steps"};

static json_object *points_json(build *b, const hz_narrative_points *pts, hz_narrative_kind kind,
                                const char *source)
{
    json_object *o = jobj(b);
    json_object *list = jarr(b);
    for (size_t k = 0; k < pts->count; k++) {
        const hz_narrative_point *p = &pts->items[k];
        hz_buf who = {0}, sentence = {0};
        put_units(b, &who, p->units, p->unit_count);
        buf_ok(b, hz_buf_puts(&sentence, report_narrative_ordinal(k)));
        if (p->unit_count) {
            static const char *const verb[HZ_NARR__COUNT] = {"", "反映，", "提出，"};
            buf_ok(b, hz_buf_printf(&sentence, "%s%s", who.data, verb[kind]));
        }
        buf_ok(b, hz_buf_printf(&sentence, "%s。", p->text));
        json_object *po = jobj(b);
        put(b, po, "ordinal", jstr(b, report_narrative_ordinal(k)));
        put(b, po, "text", jstr(b, p->text));
        put(b, po, "units", jstr(b, who.data ? who.data : ""));
        put(b, po, "unit_count", json_object_new_int64((int64_t)p->unit_count));
        put(b, po, "sentence", jstr(b, sentence.data));
        push(b, list, po);
        hz_buf_free(&who);
        hz_buf_free(&sentence);
    }
    put(b, o, "source", jstr(b, pts->count ? source : "none"));
    put(b, o, "count", json_object_new_int64((int64_t)pts->count));
    put(b, o, "points", list);
    return o;
}

static hz_status narrative(build *b, json_object *root, hz_error *err)
{
    const hz_consolidation *cons = b->cons;
    const hz_config *config = b->config;
    static const hz_narrative_section from[HZ_NARR__COUNT] = {HZ_N_WORK, HZ_N_PROBLEMS,
                                                              HZ_N_NEXT};
    hz_narrative_points city[HZ_NARR__COUNT] = {{0}};
    bool found[HZ_NARR__COUNT] = {false};
    hz_status st = HZ_OK;
    if (config->report.narrative_text) {
        char *expanded = NULL;
        st = report_template_expand(config->report.narrative_text, config->report.narrative_name,
                                    root, &expanded, err);
        if (st == HZ_OK)
            st = report_narrative_parse_city(expanded, config->report.narrative_name, city, found,
                                             err);
        free(expanded);
        if (st != HZ_OK)
            return st;
    }
    /* the unit names a county sentence may carry, removed before comparing */
    size_t nu = cons->unit_count;
    const char ***names = calloc(nu ? nu : 1, sizeof *names);
    size_t *name_count = calloc(nu ? nu : 1, sizeof *name_count);
    hz_narrative_source *src = calloc(nu ? nu : 1, sizeof *src);
    enum { PER_UNIT = 6 };
    const char **flat = calloc(PER_UNIT * (nu ? nu : 1), sizeof *flat);
    char (*office)[2][160] = calloc(nu ? nu : 1, sizeof *office);
    json_object *narr = jobj(b);
    if (!names || !name_count || !src || !flat || !office) {
        st = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    }
    /* longest first: "魏都区市场监管局" before "魏都区"; a county writing
     * of itself as 我局 speaks of the same subject */
    for (size_t u = 0; st == HZ_OK && u < nu; u++) {
        const hz_unit *unit = cons->units[u].unit;
        const char *sn = short_of(unit);
        snprintf(office[u][0], sizeof office[u][0], "%s市场监督管理局", sn);
        snprintf(office[u][1], sizeof office[u][1], "%s市场监管局", sn);
        const char **f = &flat[PER_UNIT * u];
        f[0] = unit->name;
        f[1] = office[u][0];
        f[2] = office[u][1];
        f[3] = sn;
        f[4] = "我局";
        f[5] = "本局";
        names[u] = f;
        name_count[u] = PER_UNIT;
    }
    for (int k = 0; st == HZ_OK && k < HZ_NARR__COUNT; k++) {
        if (found[k]) {
            put(b, narr, narrative_keys[k], points_json(b, &city[k], (hz_narrative_kind)k, "city"));
            continue;
        }
        size_t n = 0;
        for (size_t u = 0; u < nu; u++) {
            size_t f = cons->units[u].file;
            if (f == HZ_NONE_INDEX)
                continue;
            const char *t = cons->files[f].check->sub.narrative[from[k]];
            src[n++] = (hz_narrative_source){u, t ? t : ""};
        }
        hz_narrative_points draft = {0};
        st = report_narrative_draft(src, n, (const char *const *const *)names, name_count,
                             NARRATIVE_MAX_POINTS, &draft, err);
        if (st == HZ_OK)
            put(b, narr, narrative_keys[k],
                points_json(b, &draft, (hz_narrative_kind)k, "county"));
        report_narrative_points_free(&draft);
    }
    for (int k = 0; k < HZ_NARR__COUNT; k++)
        report_narrative_points_free(&city[k]);
    free(names);
    free(name_count);
    free(src);
    free(flat);
    free(office);
    if (st == HZ_OK)
        put(b, root, "narrative", narr);
    else
        json_object_put(narr);
    return st;
}

hz_status report_content_add(const hz_consolidation *cons, json_object *root, hz_error *err)
{
    build b = {.cons = cons, .config = cons->config,
               .decimals = cons->config->report.amount_decimals, .ok = true};
    if (b.decimals < 0 || b.decimals > 4)
        b.decimals = 2;
    json_object *campaign = NULL;
    if (json_object_object_get_ex(root, "campaign", &campaign)) {
        put(&b, campaign, "notice", jstr(&b, b.config->notice));
        put(&b, campaign, "basis", jstr(&b, b.config->basis));
        put(&b, campaign, "topic", jstr(&b, b.config->topic));
    }
    json_object *content = jobj(&b);
    overview(&b, content);
    coverage(&b, content);
    increments(&b, content);
    phases(&b, content);
    continuity(&b, root, content);
    measures(&b, content);
    typical(&b, content);
    put(&b, root, "content", content);
    if (!b.ok)
        return hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    hz_status st = narrative(&b, root, err);
    if (st == HZ_OK && !b.ok)
        st = hz_error_set(err, HZ_ERR_NOMEM, HZ_M_NOMEM, NULL);
    return st;
}
