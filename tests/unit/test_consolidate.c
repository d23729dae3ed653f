/* test_consolidate.c - consolidation on hand-built submissions: accounting
 * (accepted, superseded, rejected, duplicate versions), receipts and rates,
 * figures by category/commodity/channel/phase, joint and duplicate cases,
 * the report context and receipts.ini parsing. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "consolidate.h"
#include "display_format.h"
#include "report_content.h"
#include "fsutil.h"
#include "workbook_contract.h"
#include "hash.h"
#include "hz_test.h"
#include "hz_test_build.h"
#include "hz_test_fixture.h"
#include "render_xlsx.h"
#include "report_context.h"
#include "report_template.h"

HZ_TEST_FIXTURE(NULL);

TestSuite(consolidate, .init = hz_fixture_setup, .fini = hz_fixture_teardown);

static const hz_cons_file *file_named(const hz_consolidation *cons, const char *name)
{
    for (size_t i = 0; i < cons->file_count; i++)
        if (!strcmp(cons->files[i].name, name))
            return &cons->files[i];
    cr_assert_fail("no file %s", name);
    return NULL;
}

static size_t count_rule(const hz_consolidation *cons, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < cons->issues.count; i++)
        n += !strcmp(cons->issues.items[i].rule, rule);
    return n;
}

static size_t list_pos(const hz_list *list, const char *item)
{
    for (size_t i = 0; i < list->count; i++)
        if (!strcmp(list->items[i], item))
            return i;
    cr_assert_fail("no list item %s", item);
    return 0;
}

#define W(x) ((hz_amount)(x))   /* amounts in 0.0001 万元 */

Test(consolidate, figures_by_unit_category_commodity_channel_phase)
{
    fileset fs = {0};
    hz_cons_file a = make_file(config, "a.xlsx", "411002", 1, true, "2022-11-20");
    add_case(&a, (case_spec){.no = "A-1", .filed = "2022-07-01", .closed = true,
                             .amount = W(123456), .fine = W(10000), .key_market = true});
    add_case(&a, (case_spec){.no = "A-2", .filed = "2022-08-15", .category = "假冒专利",
                             .commodity = "电子产品", .channel = "电子商务",
                             .amount = W(5), .transferred = true, .typical = true});
    set_value(&a, 0, 10);
    hz_cons_file b = make_file(config, "b.xlsx", "411003", 1, true, "2022-11-21");
    add_case(&b, (case_spec){.no = "B-1", .filed = "2022-12-05", .closed = true,
                             .amount = W(1), .fine = W(2), .rural = true});
    set_value(&b, 0, 5);
    push_file(&fs, a);
    push_file(&fs, b);
    hz_consolidation *cons = build_consolidation(config, &fs, "annual", NULL);

    cr_assert_eq(cons->total.filed, 3);
    cr_assert_eq(cons->total.closed, 2);
    cr_assert_eq(cons->total.amount, 123462);
    cr_assert_eq(cons->total.fine, 10002);
    cr_assert_eq(cons->total.transferred, 1);
    cr_assert_eq(cons->total.key_market, 1);
    cr_assert_eq(cons->total.rural, 1);
    cr_assert_eq(cons->total.typical, 1);
    size_t ua = unit_of(cons, "411002"), ub = unit_of(cons, "411003");
    cr_assert_eq(cons->units[ua].cases.filed, 2);
    cr_assert_eq(cons->units[ua].cases.amount, 123461);
    cr_assert_eq(cons->units[ub].cases.filed, 1);

    size_t tm = list_pos(&config->case_categories, "商标侵权假冒");
    size_t pat = list_pos(&config->case_categories, "假冒专利");
    cr_assert_eq(cons->by_category[tm].filed, 2);
    cr_assert_eq(cons->by_category[pat].filed, 1);
    cr_assert_eq(cons->by_category[pat].transferred, 1);
    cr_assert_eq(cons->by_category[config->case_categories.count].filed, 0);
    cr_assert_eq(cons->by_commodity[list_pos(&config->commodities, "食品")].filed, 2);
    cr_assert_eq(cons->by_commodity[list_pos(&config->commodities, "电子产品")].amount, 5);
    size_t phys = list_pos(&config->channels, "实体市场");
    cr_assert_eq(cons->by_channel[phys].filed, 2);
    cr_assert_eq(cons->by_channel[phys].key_market, 1);
    cr_assert_eq(cons->by_channel[phys].rural, 1);
    cr_assert_eq(cons->by_channel[list_pos(&config->channels, "电子商务")].filed, 1);
    /* phases: 07-01 deploy, 08-15 implement, 12-05 accept */
    cr_assert_eq(config->phase_count, 3);
    cr_assert_eq(cons->by_phase[0].filed, 1);
    cr_assert_eq(cons->by_phase[1].filed, 1);
    cr_assert_eq(cons->by_phase[2].filed, 1);
    cr_assert_eq(cons->by_phase[3].filed, 0);

    /* indicators: entered ones sum, others stay missing */
    cr_assert(cons->present[0]);
    cr_assert_eq(cons->values[0], 15 * HZ_AMOUNT_SCALE);
    cr_assert_not(cons->present[1]);
    cr_assert_not(cons->units[ua].present[1]);
    consolidate_free(cons);
}

Test(consolidate, highest_valid_version_wins)
{
    fileset fs = {0};
    push_file(&fs, make_file(config, "w-v1.xlsx", "411002", 1, true, "2022-11-20"));
    push_file(&fs, make_file(config, "w-v2.xlsx", "411002", 2, true, "2022-11-21"));
    push_file(&fs, make_file(config, "w-v3.xlsx", "411002", 3, false, "2022-11-22"));
    hz_cons_file ignored = {.name = test_str("notes.txt"), .path = test_str("notes.txt"),
                            .status = HZ_FILE_IGNORED,
                            .reason = HZ_M_CONSOLIDATE_IGNORED_NOT_XLSX};
    push_file(&fs, ignored);
    hz_consolidation *cons = build_consolidation(config, &fs, "annual", NULL);
    cr_assert_eq(file_named(cons, "w-v2.xlsx")->status, HZ_FILE_ACCEPTED);
    const hz_cons_file *v1 = file_named(cons, "w-v1.xlsx");
    cr_assert_eq(v1->status, HZ_FILE_SUPERSEDED);
    cr_assert_eq(v1->reason, HZ_M_CONSOLIDATE_REASON_SUPERSEDED);
    cr_assert_str_eq(v1->reason_arg, "w-v2.xlsx");
    const hz_cons_file *v3 = file_named(cons, "w-v3.xlsx");
    cr_assert_eq(v3->status, HZ_FILE_REJECTED);
    cr_assert_eq(v3->reason, HZ_M_CONSOLIDATE_REASON_INVALID);
    cr_assert_str_eq(v3->reason_arg, "2");
    cr_assert_eq(file_named(cons, "notes.txt")->status, HZ_FILE_IGNORED);
    size_t u = unit_of(cons, "411002");
    cr_assert_str_eq(cons->files[cons->units[u].file].name, "w-v2.xlsx");
    cr_assert_eq(cons->units[u].files_seen, 3);
    cr_assert_eq(cons->accepted_units, 1);
    cr_assert_eq(cons->missing_units, config->unit_count - 1);
    consolidate_free(cons);
}

Test(consolidate, duplicate_versions_rejected_and_named)
{
    fileset fs = {0};
    push_file(&fs, make_file(config, "x-v1.xlsx", "411003", 1, true, "2022-11-20"));
    push_file(&fs, make_file(config, "x-v2a.xlsx", "411003", 2, true, "2022-11-21"));
    push_file(&fs, make_file(config, "x-v2b.xlsx", "411003", 2, true, "2022-11-21"));
    hz_consolidation *cons = build_consolidation(config, &fs, "annual", NULL);
    const hz_cons_file *a = file_named(cons, "x-v2a.xlsx"), *b = file_named(cons, "x-v2b.xlsx");
    cr_assert_eq(a->status, HZ_FILE_REJECTED);
    cr_assert_eq(b->status, HZ_FILE_REJECTED);
    cr_assert_eq(a->reason, HZ_M_CONSOLIDATE_REASON_DUPLICATE_VERSION);
    cr_assert_str_eq(a->reason_arg, "x-v2b.xlsx");
    cr_assert_str_eq(b->reason_arg, "x-v2a.xlsx");
    cr_assert_eq(file_named(cons, "x-v1.xlsx")->status, HZ_FILE_ACCEPTED);
    cr_assert_eq(count_rule(cons, "consolidate.duplicate_version"), 1);
    const hz_issue *is = &cons->issues.items[0];
    cr_assert_eq(is->severity, HZ_SEV_ERROR);
    char buf[1024];
    issue_render(is, HZ_LANG_ZH, buf, sizeof buf);
    cr_assert(strstr(buf, "x-v2a.xlsx") && strstr(buf, "x-v2b.xlsx"), "%s", buf);
    consolidate_free(cons);
}

Test(consolidate, joint_case_counted_once_for_lead)
{
    fileset fs = {0};
    hz_cons_file a = make_file(config, "a.xlsx", "411024", 1, true, "2022-11-20");
    add_case(&a, (case_spec){.no = "J-1", .filed = "2022-08-01", .amount = W(50000),
                             .assist = "411081"});
    hz_cons_file b = make_file(config, "b.xlsx", "411081", 1, true, "2022-11-20");
    add_case(&b, (case_spec){.no = "J-1", .filed = "2022-08-01", .amount = W(50000)});
    add_case(&b, (case_spec){.no = "B-2", .filed = "2022-08-02", .amount = W(7)});
    push_file(&fs, a);
    push_file(&fs, b);
    hz_consolidation *cons = build_consolidation(config, &fs, "annual", NULL);
    cr_assert_eq(cons->total.filed, 2);
    cr_assert_eq(cons->total.amount, 50007);
    size_t ua = unit_of(cons, "411024"), ub = unit_of(cons, "411081");
    cr_assert_eq(cons->units[ua].cases.filed, 1);
    cr_assert_eq(cons->units[ub].cases.filed, 1);
    cr_assert_eq(cons->units[ub].joint_assisted, 1);
    cr_assert_eq(cons->case_count, 3, "listed for both units");
    size_t joint = 0;
    for (size_t i = 0; i < cons->case_count; i++)
        if (cons->cases[i].joint) {
            joint++;
            cr_assert_eq(cons->cases[i].lead_unit, ua);
        }
    cr_assert_eq(joint, 2);
    cr_assert_eq(count_rule(cons, "cross.joint_case"), 1);
    cr_assert_eq(count_rule(cons, "cross.duplicate_case"), 0);
    consolidate_free(cons);
}

Test(consolidate, joint_case_both_naming_lower_code_leads)
{
    fileset fs = {0};
    hz_cons_file a = make_file(config, "a.xlsx", "411082", 1, true, "2022-11-20");
    add_case(&a, (case_spec){.no = "J-9", .filed = "2022-08-01", .assist = "411025、411099"});
    hz_cons_file b = make_file(config, "b.xlsx", "411025", 1, true, "2022-11-20");
    add_case(&b, (case_spec){.no = "J-9", .filed = "2022-08-01", .assist = "411082"});
    push_file(&fs, a);
    push_file(&fs, b);
    hz_consolidation *cons = build_consolidation(config, &fs, "annual", NULL);
    cr_assert_eq(cons->total.filed, 1);
    cr_assert_eq(cons->units[unit_of(cons, "411025")].cases.filed, 1);
    cr_assert_eq(cons->units[unit_of(cons, "411082")].cases.filed, 0);
    cr_assert_eq(cons->units[unit_of(cons, "411082")].joint_assisted, 1);
    consolidate_free(cons);
}

/* Many numbers reported twice, each only by its own pair of units: the
 * cross-unit issues come in case-number order (the grouping sorts by hash,
 * the groups are put back in number order), and a number one unit reports
 * twice is not a cross-unit case. */
Test(consolidate, cross_unit_issues_in_case_number_order)
{
    fileset fs = {0};
    hz_cons_file a = make_file(config, "a.xlsx", "411002", 1, true, "2022-11-20");
    hz_cons_file b = make_file(config, "b.xlsx", "411003", 1, true, "2022-11-20");
    char no[32];
    for (int i = 40; i > 0; i--) {
        snprintf(no, sizeof no, "N-%02d", i);
        add_case(&a, (case_spec){.no = no, .filed = "2022-08-01"});
        add_case(&b, (case_spec){.no = no, .filed = "2022-08-01"});
    }
    add_case(&a, (case_spec){.no = "SOLO", .filed = "2022-08-01"});
    add_case(&a, (case_spec){.no = "SOLO", .filed = "2022-08-02"});
    push_file(&fs, a);
    push_file(&fs, b);
    hz_consolidation *cons = build_consolidation(config, &fs, "annual", NULL);
    cr_assert_eq(count_rule(cons, "cross.duplicate_case"), 40);
    const char *prev = "";
    for (size_t i = 0; i < cons->issues.count; i++) {
        const hz_issue *is = &cons->issues.items[i];
        if (strcmp(is->rule, "cross.duplicate_case"))
            continue;
        cr_expect_str_neq(is->found, "SOLO");
        cr_expect_gt(strcmp(is->found, prev), 0, "%s after %s", is->found, prev);
        cr_expect_str_eq(is->file, "b.xlsx");
        prev = is->found;
    }
    cr_expect_str_eq(prev, "N-40");
    consolidate_free(cons);
}

Test(consolidate, cross_unit_duplicate_flagged_and_counted_twice)
{
    fileset fs = {0};
    hz_cons_file a = make_file(config, "a.xlsx", "411002", 1, true, "2022-11-20");
    add_case(&a, (case_spec){.no = "D-1", .filed = "2022-08-01", .amount = W(3)});
    hz_cons_file b = make_file(config, "b.xlsx", "411003", 1, true, "2022-11-20");
    add_case(&b, (case_spec){.no = "D-1", .filed = "2022-08-01", .amount = W(3)});
    push_file(&fs, a);
    push_file(&fs, b);
    hz_consolidation *cons = build_consolidation(config, &fs, "annual", NULL);
    cr_assert_eq(cons->total.filed, 2);
    cr_assert_eq(count_rule(cons, "cross.duplicate_case"), 1);
    const hz_issue *is = &cons->issues.items[0];
    cr_assert_eq(is->severity, HZ_SEV_WARNING);
    cr_assert_str_eq(is->file, "b.xlsx");
    cr_assert_str_eq(is->found, "D-1");
    cr_assert_str_eq(is->extra, "a.xlsx");
    cr_assert_str_eq(is->sheet, "案件明细");
    consolidate_free(cons);
}

Test(consolidate, receipts_status_and_rates)
{
    fileset fs = {0};
    /* annual deadline 2022-11-24 (a Thursday) */
    push_file(&fs, make_file(config, "1.xlsx", "411002", 1, true, "2022-11-20"));
    push_file(&fs, make_file(config, "2.xlsx", "411003", 1, true, "2022-11-20"));
    push_file(&fs, make_file(config, "3.xlsx", "411024", 1, true, "2022-11-28")); /* late by 4 */
    push_file(&fs, make_file(config, "4.xlsx", "411025", 1, true, "2022-11-20"));
    push_file(&fs, make_file(config, "5.xlsx", "411081", 1, true, "2022-11-24"));
    push_file(&fs, make_file(config, "6.xlsx", "411082", 1, false, "2022-11-20")); /* rejected */
    const char *receipts = "; register\n[receipts]\n411002 = 2022-11-26 10:12\n"
                           "411003 = \"2022-11-24 17:40\"\n";
    hz_consolidation *cons = build_consolidation(config, &fs, "annual", receipts);
    cr_assert_eq(cons->deadline, test_date("2022-11-24"));
    const hz_cons_unit *w = &cons->units[unit_of(cons, "411002")];
    cr_assert_eq(w->receipt, HZ_RECEIPT_LATE);
    cr_assert_eq(w->days_late, 2);
    cr_assert(w->receipt_from_register);
    cr_assert_eq(w->receipt_minute, 10 * 60 + 12);
    char buf[64];
    cr_assert_str_eq(display_format_receipt(w, buf, sizeof buf), "2022-11-26 10:12");
    cr_assert_str_eq(display_format_unit_status_text(w, HZ_LANG_ZH, buf, sizeof buf), "迟报2天");
    cr_assert_eq(cons->units[unit_of(cons, "411003")].receipt, HZ_RECEIPT_ON_TIME);
    const hz_cons_unit *y = &cons->units[unit_of(cons, "411024")];
    cr_assert_eq(y->receipt, HZ_RECEIPT_LATE);
    cr_assert_eq(y->days_late, 4);
    cr_assert_not(y->receipt_from_register);
    cr_assert_eq(cons->units[unit_of(cons, "411081")].receipt, HZ_RECEIPT_ON_TIME);
    const hz_cons_unit *c = &cons->units[unit_of(cons, "411082")];
    cr_assert_eq(c->receipt, HZ_RECEIPT_MISSING);
    cr_assert_str_eq(display_format_unit_status_text(c, HZ_LANG_ZH, buf, sizeof buf),
                     "报送表未通过校验");
    cr_assert_str_eq(display_format_unit_status_text(&cons->units[unit_of(cons, "411071")],
                                                  HZ_LANG_EN, buf, sizeof buf), "missing");
    cr_assert_eq(cons->unit_count, 7);
    cr_assert_eq(cons->accepted_units, 5);
    cr_assert_eq(cons->on_time_units, 3);
    cr_assert_eq(cons->late_units, 2);
    cr_assert_eq(cons->missing_units, 2);
    cr_assert_str_eq(display_format_rate(cons->accepted_units, cons->unit_count, buf,
                                             sizeof buf), "71.4%");
    cr_assert_str_eq(display_format_rate(cons->on_time_units, cons->unit_count, buf,
                                             sizeof buf), "42.9%");
    consolidate_free(cons);
}

Test(consolidate, rates_round_exactly)
{
    char buf[32];
    cr_assert_str_eq(display_format_rate(6, 7, buf, sizeof buf), "85.7%");
    cr_assert_str_eq(display_format_rate(2, 3, buf, sizeof buf), "66.7%");
    cr_assert_str_eq(display_format_rate(7, 7, buf, sizeof buf), "100.0%");
    cr_assert_str_eq(display_format_rate(0, 7, buf, sizeof buf), "0.0%");
    cr_assert_str_eq(display_format_rate(1, 8, buf, sizeof buf), "12.5%");
    cr_assert_str_eq(display_format_rate(1, 16, buf, sizeof buf), "6.3%");
    cr_assert_str_eq(display_format_rate(0, 0, buf, sizeof buf), "—");
}

Test(consolidate, receipts_parsing)
{
    hz_receipts r;
    hz_error err = {0};
    const char *good = "\xEF\xBB\xBF; c\n# c\n[other]\nx = y\n[Receipts]\r\n"
                       "411002 = 2022-08-25 09:50 ; note\n411B01=2022/8/26\n411003 =\n";
    cr_assert_eq(consolidate_parse_receipts(good, "receipts.ini", &r, &err), HZ_OK);
    cr_assert_eq(r.count, 2);
    cr_assert_str_eq(r.items[0].code, "411002");
    cr_assert_eq(r.items[0].date, test_date("2022-08-25"));
    cr_assert_eq(r.items[0].minute, 9 * 60 + 50);
    cr_assert_eq(r.items[0].line, 6);
    cr_assert_str_eq(r.items[1].code, "411b01", "keys are lower-cased like iniparser");
    cr_assert_eq(r.items[1].minute, -1);
    consolidate_receipts_free(&r);

    const char *bad = "[receipts]\n411002 = 2022-08-25 09:50\n411003 = yesterday\n";
    cr_assert_eq(consolidate_parse_receipts(bad, "receipts.ini", &r, &err), HZ_ERR_FORMAT);
    cr_assert_eq(err.msg, HZ_M_CONSOLIDATE_RECEIPTS_BAD_LINE);
    cr_assert_str_eq(err.args[0], "receipts.ini");
    cr_assert_str_eq(err.args[1], "3");
    cr_assert_null(r.items);

    const char *noeq = "[receipts]\n\n\n411002 2022-08-25\n";
    cr_assert_eq(consolidate_parse_receipts(noeq, "r.ini", &r, &err), HZ_ERR_FORMAT);
    cr_assert_str_eq(err.args[1], "4");

    const char *badtime = "[receipts]\n411002 = 2022-08-25 25:00\n";
    cr_assert_eq(consolidate_parse_receipts(badtime, "r.ini", &r, &err), HZ_ERR_FORMAT);

    const char *dup = "[receipts]\n411002 = 2022-08-25\n411002 = 2022-08-26\n";
    cr_assert_eq(consolidate_parse_receipts(dup, "r.ini", &r, &err), HZ_ERR_FORMAT);
    cr_assert_eq(err.msg, HZ_M_CONSOLIDATE_RECEIPTS_DUPLICATE);
    cr_assert_str_eq(err.args[2], "2");
    cr_assert_str_eq(err.args[3], "3");
}

Test(consolidate, unknown_receipt_unit_is_a_warning)
{
    fileset fs = {0};
    push_file(&fs, make_file(config, "1.xlsx", "411002", 1, true, "2022-11-20"));
    hz_consolidation *cons =
        build_consolidation(config, &fs, "annual", "[receipts]\n999999 = 2022-11-20\n");
    cr_assert_eq(count_rule(cons, "receipts.unknown_unit"), 1);
    consolidate_free(cons);
}

Test(consolidate, classify_names)
{
    cr_assert_eq(workbook_contract_classify_name("a.xlsx", false, true), HZ_M_NONE);
    cr_assert_eq(workbook_contract_classify_name("A.XLSX", false, true), HZ_M_NONE);
    cr_assert_eq(workbook_contract_classify_name("~$a.xlsx", false, true),
                 HZ_M_CONSOLIDATE_IGNORED_LOCK);
    cr_assert_eq(workbook_contract_classify_name(".a.xlsx", false, true),
                 HZ_M_CONSOLIDATE_IGNORED_HIDDEN);
    cr_assert_eq(workbook_contract_classify_name("sub", true, false), HZ_M_CONSOLIDATE_IGNORED_DIR);
    /* returns saved in another format are examined (and refused as such) */
    cr_assert_eq(workbook_contract_classify_name("a.xls", false, true), HZ_M_NONE);
    cr_assert_eq(workbook_contract_classify_name("a.ods", false, true), HZ_M_NONE);
    cr_assert_eq(workbook_contract_classify_name("a.et", false, true), HZ_M_NONE);
    cr_assert_eq(workbook_contract_classify_name("a.CSV", false, true), HZ_M_NONE);
    cr_assert_eq(workbook_contract_classify_name(".ods", false, true),
                 HZ_M_CONSOLIDATE_IGNORED_HIDDEN);
    cr_assert_eq(workbook_contract_classify_name("a.txt", false, true),
                 HZ_M_CONSOLIDATE_IGNORED_NOT_XLSX);
    cr_assert_eq(workbook_contract_classify_name("receipts.ini", false, true),
                 HZ_M_CONSOLIDATE_IGNORED_RECEIPTS);
    cr_assert_eq(workbook_contract_classify_name("link.xlsx", false, false),
                 HZ_M_CONSOLIDATE_IGNORED_NOT_REGULAR);
}

static json_object *path_get(json_object *o, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok && o; tok = strtok(NULL, ".")) {
        if (json_object_is_type(o, json_type_array))
            o = json_object_array_get_idx(o, (size_t)atoi(tok));
        else if (!json_object_object_get_ex(o, tok, &o))
            return NULL;
    }
    return o;
}

static const char *jstr(json_object *root, const char *path)
{
    json_object *o = path_get(root, path);
    cr_assert_not_null(o, "missing %s", path);
    return json_object_get_string(o);
}

static int64_t jint(json_object *root, const char *path)
{
    json_object *o = path_get(root, path);
    cr_assert_not_null(o, "missing %s", path);
    cr_assert(json_object_is_type(o, json_type_int), "%s not int", path);
    return json_object_get_int64(o);
}

Test(consolidate, context_shape_and_template)
{
    fileset fs = {0};
    hz_cons_file a = make_file(config, "a.xlsx", "411002", 1, true, "2022-11-20");
    add_case(&a, (case_spec){.no = "A-1", .filed = "2022-07-01", .closed = true,
                             .amount = W(386200), .fine = W(112500), .typical = true});
    set_value(&a, 0, 10);
    free(a.check->sub.narrative[HZ_N_PROBLEMS]);
    a.check->sub.narrative[HZ_N_PROBLEMS] = test_str("人手不足");
    push_file(&fs, a);
    push_file(&fs, make_file(config, "b.xlsx", "411003", 1, true, "2022-11-26"));
    push_file(&fs, make_file(config, "b0.xlsx", "411003", 0, true, "2022-11-20"));
    hz_consolidation *cons = build_consolidation(config, &fs, "annual", NULL);
    json_object *ctx = report_context_json(cons, HZ_LANG_ZH, test_date("2022-12-20"), false);
    cr_assert_not_null(ctx);
    cr_assert_str_eq(jstr(ctx, "report.date"), "2022-12-20");
    cr_assert_str_eq(jstr(ctx, "report.date_zh"), "2022年12月20日");
    cr_assert_str_eq(jstr(ctx, "round.id"), "annual");
    cr_assert_str_eq(jstr(ctx, "round.deadline_zh"), "2022年11月24日");
    cr_assert_eq(jint(ctx, "city.cases_filed"), 1);
    cr_assert_str_eq(jstr(ctx, "city.amount"), "38.62");
    cr_assert_str_eq(jstr(ctx, "city.fine"), "11.25");
    cr_assert_str_eq(jstr(ctx, "city.completeness"), "28.6%");
    cr_assert_str_eq(jstr(ctx, "city.timeliness"), "14.3%");
    cr_assert_eq(jint(ctx, "city.late_count"), 1);
    cr_assert_eq(jint(ctx, "city.missing_count"), 5);
    const char *code0 = config->indicators[0].code;
    char p[64];
    snprintf(p, sizeof p, "city.indicators.%s.value", code0);
    cr_assert_eq(jint(ctx, p), 10);
    snprintf(p, sizeof p, "city.indicators.%s.value", config->indicators[1].code);
    cr_assert(json_object_is_type(path_get(ctx, p), json_type_null) || !path_get(ctx, p));
    cr_assert_str_eq(jstr(ctx, "units.0.status_text"), "按时报送");
    cr_assert_str_eq(jstr(ctx, "units.1.status_text"), "迟报2天");
    cr_assert_str_eq(jstr(ctx, "units.0.amount"), "38.62");
    cr_assert_str_eq(jstr(ctx, "late_units.0.short_name"), "建安区");
    cr_assert_eq(jint(ctx, "late_units.0.days_late"), 2);
    cr_assert_str_eq(jstr(ctx, "typical_cases.0.case_no"), "A-1");
    cr_assert_str_eq(jstr(ctx, "problems.0.text"), "人手不足");
    cr_assert_eq(json_object_array_length(path_get(ctx, "problems")), 1);
    /* tables: units + totals row, every row as wide as the header */
    json_object *rows = path_get(ctx, "tables.units.rows");
    cr_assert_eq(json_object_array_length(rows), config->unit_count + 1);
    size_t width = json_object_array_length(path_get(ctx, "tables.units.header"));
    for (size_t i = 0; i < json_object_array_length(rows); i++)
        cr_assert_eq(json_object_array_length(json_object_array_get_idx(rows, i)), width);
    cr_assert_str_eq(jstr(ctx, "tables.units.rows.7.1"), "合计");
    cr_assert_str_eq(jstr(ctx, "tables.units.rows.7.5"), "38.62");
    cr_assert_str_eq(jstr(ctx, "charts.amount_by_unit.values.0"), "38.62");
    cr_assert_eq(json_object_array_length(path_get(ctx, "charts.cases_by_unit.values")),
                 config->unit_count);
    cr_assert_eq(json_object_get_boolean(path_get(ctx, "has_stage")), false);

    /* the computed content: the missing units named, no zero clause */
    hz_error cerr = {0};
    cr_assert_eq(report_content_add(cons, ctx, &cerr), HZ_OK);
    cr_assert(strstr(jstr(ctx, "content.coverage"), "5个单位") == NULL);
    cr_assert(strstr(jstr(ctx, "content.coverage"), "2个单位报送了年度总结") != NULL, "%s",
              jstr(ctx, "content.coverage"));
    cr_assert(strstr(jstr(ctx, "content.overview"), "移送司法机关") == NULL, "%s",
              jstr(ctx, "content.overview"));
    cr_assert_str_eq(jstr(ctx, "narrative.problems.points.0.sentence"), "一是魏都区反映，人手不足。");
    cr_assert_str_eq(jstr(ctx, "tables.units.rows.2.3"), "未报");
    cr_assert_null(path_get(ctx, "charts.cases_by_unit.values.2"));

    /* the templates accept it */
    const char *names[] = {"stage", "annual", "final"};
    for (int i = 0; i < 3; i++) {
        char tpl[512];
        snprintf(tpl, sizeof tpl, "%s/templates/%s.md", HZ_SOURCE_DIR, names[i]);
        hz_doc *doc = NULL;
        hz_error err = {0};
        hz_status s = report_template_render_file(tpl, ctx, &doc, &err);
        char msg[1024];
        hz_error_render(&err, HZ_LANG_EN, msg, sizeof msg);
        cr_assert_eq(s, HZ_OK, "%s: %s", names[i], msg);
        doc_free(doc);
    }

    /* save and load round trip */
    char dir[] = "/tmp/hz-cons-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/context.json", dir);
    hz_error err = {0};
    cr_assert_eq(report_context_save(ctx, path, &err), HZ_OK);
    json_object *back = NULL;
    cr_assert_eq(report_context_load(path, &back, &err), HZ_OK);
    cr_assert(json_object_equal(ctx, back));
    json_object_put(back);
    cr_assert_eq(fs_write_atomic(path, "{\"x\":1}", 7, &err), HZ_OK);
    cr_assert_eq(report_context_load(path, &back, &err), HZ_ERR_FORMAT);
    cr_assert_eq(fs_remove_tree(dir, &err), HZ_OK);
    cr_assert_not(fs_exists(dir));
    json_object_put(ctx);
    consolidate_free(cons);
}

Test(consolidate, hash_known_vectors)
{
    char hex[65];
    hash_buffer_sha256("abc", 3, hex);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    hash_buffer_sha256("", 0, hex);
    cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    char dir[] = "/tmp/hz-hash-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/f", dir);
    hz_error err = {0};
    cr_assert_eq(fs_write_atomic(path, "abc", 3, &err), HZ_OK);
    uint64_t size = 0;
    cr_assert_eq(hash_file_sha256(path, hex, &size, &err), HZ_OK);
    cr_assert_eq(size, 3);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    snprintf(path, sizeof path, "%s/missing", dir);
    cr_assert_eq(hash_file_sha256(path, hex, &size, &err), HZ_ERR_IO);
    cr_assert_eq(err.msg, HZ_M_CONSOLIDATE_HASH_READ);
    fs_remove_tree(dir, &err);
}

Test(consolidate, list_dir_sorted_bytewise)
{
    char dir[] = "/tmp/hz-list-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    const char *names[] = {"b", "a", "B", "长葛", "411002", "~$x"};
    hz_error err = {0};
    for (size_t i = 0; i < 6; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        cr_assert_eq(fs_write_atomic(path, "", 0, &err), HZ_OK);
    }
    fs_listing l;
    cr_assert_eq(fs_list_dir(dir, &l, &err), HZ_OK);
    cr_assert_eq(l.count, 6);
    const char *want[] = {"411002", "B", "a", "b", "~$x", "长葛"};
    for (size_t i = 0; i < 6; i++)
        cr_assert_str_eq(l.items[i].name, want[i]);
    fs_listing_free(&l);
    fs_remove_tree(dir, &err);
}

Test(consolidate, xlsx_reproducible_and_atomic)
{
    fileset fs = {0};
    hz_cons_file a = make_file(config, "a.xlsx", "411002", 1, true, "2022-11-20");
    add_case(&a, (case_spec){.no = "A-1", .filed = "2022-07-01", .closed = true,
                             .amount = W(386200), .fine = W(112500), .typical = true});
    add_case(&a, (case_spec){.no = "A-2", .filed = "2023-01-05", .amount = W(1)});
    set_value(&a, 0, 10);
    push_file(&fs, a);
    push_file(&fs, make_file(config, "b.xlsx", "411003", 1, false, "2022-11-26"));
    hz_consolidation *cons = build_consolidation(config, &fs, "annual", NULL);
    char dir[] = "/tmp/hz-xlsx-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char p1[256], p2[256];
    snprintf(p1, sizeof p1, "%s/one.xlsx", dir);
    snprintf(p2, sizeof p2, "%s/two.xlsx", dir);
    hz_error err = {0};
    cr_assert_eq(render_xlsx_write(cons, config, test_date("2022-12-20"), p1, &err), HZ_OK);
    cr_assert_eq(render_xlsx_write(cons, config, test_date("2022-12-20"), p2, &err), HZ_OK);
    char *d1 = NULL, *d2 = NULL;
    size_t n1 = 0, n2 = 0;
    cr_assert_eq(fs_read_file(p1, &d1, &n1, &err), HZ_OK);
    cr_assert_eq(fs_read_file(p2, &d2, &n2, &err), HZ_OK);
    cr_assert_gt(n1, 1000);
    cr_assert_eq(n1, n2);
    cr_assert(memcmp(d1, d2, n1) == 0, "same input and as-of give the same bytes");
    cr_assert(!memcmp(d1, "PK", 2));
    free(d1);
    free(d2);
    /* a different as-of changes the file (the created date) */
    cr_assert_eq(render_xlsx_write(cons, config, test_date("2022-12-21"), p2, &err), HZ_OK);
    cr_assert_not(hz_test_files_equal(p1, p2));
    /* nothing but the two outputs is left in the folder */
    fs_listing l;
    cr_assert_eq(fs_list_dir(dir, &l, &err), HZ_OK);
    cr_assert_eq(l.count, 2);
    fs_listing_free(&l);
    /* an unwritable target fails cleanly */
    char bad[300];
    snprintf(bad, sizeof bad, "%s/no/such/dir/x.xlsx", dir);
    cr_assert_eq(render_xlsx_write(cons, config, test_date("2022-12-20"), bad, &err), HZ_ERR_IO);
    fs_remove_tree(dir, &err);
    consolidate_free(cons);
}
