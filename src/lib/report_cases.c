/* report_cases.c - typical-case selection and sentences (report_cases.h). */
#include "report_cases.h"

#include <stdlib.h>
#include <string.h>
#include "hz_amount.h"
#include "hz_date.h"

typedef struct ranked {
    size_t index;
    const hz_consolidation *cons;
} ranked;

static int cmp_case(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    const hz_cons_case *x = &a->cons->cases[a->index], *y = &b->cons->cases[b->index];
    bool tx = x->c->typical == HZ_YES, ty = y->c->typical == HZ_YES;
    if (tx != ty)
        return tx ? -1 : 1;
    bool jx = x->c->transferred == HZ_YES, jy = y->c->transferred == HZ_YES;
    if (jx != jy)
        return jx ? -1 : 1;
    if (x->c->fine != y->c->fine)
        return x->c->fine > y->c->fine ? -1 : 1;
    if (x->c->amount != y->c->amount)
        return x->c->amount > y->c->amount ? -1 : 1;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    int c = strcmp(x->c->case_no ? x->c->case_no : "", y->c->case_no ? y->c->case_no : "");
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

size_t report_cases_typical_select(const hz_consolidation *cons, size_t count, size_t *idx)
{
    if (count == 0 || cons->case_count == 0)
        return 0;
    if (count > cons->case_count)
        count = cons->case_count;
    /* the best count so far, in order: a case enters only when it ranks
     * above the last of them (a sort of every case was 5 % of a national
     * run for five cases, issue 19) */
    ranked *best = malloc(count * sizeof *best);
    if (!best)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < cons->case_count; i++) {
        const hz_cons_case *cc = &cons->cases[i];
        if (!cc->counted || !cc->c->is_closed)
            continue;
        ranked r = {i, cons};
        if (n == count && cmp_case(&r, &best[n - 1]) >= 0)
            continue;
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cmp_case(&best[mid], &r) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t keep = n < count ? n : count - 1;
        memmove(&best[lo + 1], &best[lo], (keep - lo) * sizeof *best);
        best[lo] = r;
        if (n < count)
            n++;
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = best[i].index;
    free(best);
    return n;
}

/* How the lead came in, as the clause before 立案查处. */
static const char *lead_clause(const char *lead)
{
    static const struct { const char *word, *clause; } map[] = {
        {"日常检查", "在日常检查中发现线索后"},
        {"投诉举报", "根据投诉举报"},
        {"网络监测", "通过网络监测发现线索后"},
        {"上级交办", "根据上级交办线索"},
        {"权利人提供", "根据权利人提供的线索"},
        {"部门移送", "根据有关部门移送的线索"},
    };
    for (size_t i = 0; lead && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(lead, map[i].word))
            return map[i].clause;
    return NULL;
}

static bool involves_goods(const char *commodity)
{
    return commodity && commodity[0] && strncmp(commodity, "不涉及", strlen("不涉及")) != 0;
}

/* The name without its closing 案, so that "……一案" reads right. */
static bool put_subject(hz_buf *out, const char *name)
{
    size_t n = strlen(name);
    if (n >= 3 && !strcmp(name + n - 3, "案"))
        n -= 3;
    return hz_buf_append(out, name, n);
}

bool report_cases_typical_title(const hz_consolidation *cons, size_t i, hz_buf *out)
{
    const hz_cons_case *cc = &cons->cases[i];
    const hz_unit *u = cons->units[cc->unit].unit;
    if (cc->c->name && cc->c->name[0])
        return hz_buf_puts(out, cc->c->name);
    return hz_buf_printf(out, "%s查处的一起%s案件", u->short_name && u->short_name[0]
                                                    ? u->short_name : u->name,
                         cc->c->category ? cc->c->category : "");
}

bool report_cases_typical_sentence(const hz_consolidation *cons, size_t i, int decimals,
                                   hz_buf *out)
{
    const hz_cons_case *cc = &cons->cases[i];
    const hz_case *c = cc->c;
    const hz_unit *u = cons->units[cc->unit].unit;
    char date[32], amount[64], fine[64];
    bool ok = true;
    if (c->filed != HZ_DATE_NONE)
        ok = ok && hz_buf_printf(out, "%s，", hz_date_format_zh(c->filed, date, sizeof date));
    ok = ok && hz_buf_puts(out, u->name);
    const char *lead = lead_clause(c->lead_source);
    if (lead)
        ok = ok && hz_buf_puts(out, lead);
    ok = ok && hz_buf_puts(out, "立案查处");
    if (c->name && c->name[0]) {
        ok = ok && put_subject(out, c->name) && hz_buf_puts(out, "一案");
    } else {
        ok = ok && hz_buf_printf(out, "一起%s案件", c->category ? c->category : "");
    }
    if (c->has_amount && c->amount > 0)
        ok = ok && hz_buf_printf(out, "，涉案金额%s万元",
                                 hz_amount_format(c->amount, decimals, false, amount,
                                                  sizeof amount));
    bool goods = involves_goods(c->commodity);
    if (c->transferred == HZ_YES) {
        ok = ok && hz_buf_puts(out, "，因涉嫌犯罪已依法移送司法机关");
    } else if (c->has_fine && c->fine > 0) {
        ok = ok && hz_buf_printf(out, "，依法作出%s罚没款%s万元的行政处罚",
                                 goods ? "没收侵权商品、" : "",
                                 hz_amount_format(c->fine, decimals, false, fine, sizeof fine));
    } else {
        ok = ok && hz_buf_puts(out, goods ? "，依法没收侵权商品并已结案" : "，已依法结案");
    }
    return ok && hz_buf_puts(out, "。");
}
