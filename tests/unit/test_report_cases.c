/* test_report_cases.c - which typical cases the province report lists, and
 * the sentence each becomes (report_cases.h). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "consolidate.h"
#include "hz_test_build.h"
#include "hz_test_fixture.h"
#include "report_cases.h"

HZ_TEST_FIXTURE(NULL);

TestSuite(report_cases, .init = hz_fixture_setup, .fini = hz_fixture_teardown, .timeout = 60);

#define W(x) ((hz_amount)(x)) /* 0.0001 万元 */

static hz_consolidation *sample(void)
{
    fileset fs = {0};
    hz_cons_file a = make_file(config, "a.xlsx", "411002", 1, true, "2022-11-20");
    add_case(&a, (case_spec){.no = "A-1", .filed = "2022-07-01", .closed = true, .typical = true,
                             .amount = W(50000), .fine = W(20000)});
    add_case(&a, (case_spec){.no = "A-2", .filed = "2022-07-02", .closed = false, .typical = true,
                             .transferred = true, .amount = W(900000)});
    add_case(&a, (case_spec){.no = "A-3", .filed = "2022-07-03", .closed = true, .typical = true,
                             .transferred = true, .amount = W(10000)});
    add_case(&a, (case_spec){.no = "A-4", .filed = "2022-07-04", .closed = true, .typical = false,
                             .amount = W(10000), .fine = W(990000)});
    add_case(&a, (case_spec){.no = "A-5", .filed = "2022-07-05", .closed = true, .typical = true,
                             .category = "商标代理违法", .commodity = "不涉及商品",
                             .amount = W(16410), .fine = W(26970)});
    push_file(&fs, a);
    return build_consolidation(config, &fs, "annual", NULL);
}

static const char *case_no(const hz_consolidation *c, size_t i)
{
    return c->cases[i].c->case_no;
}

Test(report_cases, closed_typical_first_transferred_then_by_fine)
{
    hz_consolidation *c = sample();
    size_t idx[10];
    size_t n = report_cases_typical_select(c, 10, idx);
    cr_assert_eq(n, 4, "the open case never appears");
    cr_expect_str_eq(case_no(c, idx[0]), "A-3"); /* typical, transferred */
    cr_expect_str_eq(case_no(c, idx[1]), "A-5"); /* typical, fine 2.697 */
    cr_expect_str_eq(case_no(c, idx[2]), "A-1"); /* typical, fine 2.00 */
    cr_expect_str_eq(case_no(c, idx[3]), "A-4"); /* not marked typical: fills in last */
    /* fewer than there are: the first of the same order, not any two */
    n = report_cases_typical_select(c, 2, idx);
    cr_expect_eq(n, 2);
    cr_expect_str_eq(case_no(c, idx[0]), "A-3");
    cr_expect_str_eq(case_no(c, idx[1]), "A-5");
    n = report_cases_typical_select(c, 1, idx);
    cr_expect_eq(n, 1);
    cr_expect_str_eq(case_no(c, idx[0]), "A-3");
    consolidate_free(c);
}

Test(report_cases, sentence_from_the_fields_it_has)
{
    hz_consolidation *c = sample();
    size_t idx[10];
    size_t n = report_cases_typical_select(c, 10, idx);
    cr_assert_geq(n, 3);
    hz_buf b = {0};
    cr_assert(report_cases_typical_sentence(c, idx[0], 2, &b));
    cr_expect(strstr(b.data, "2022年7月3日，许昌市魏都区市场监督管理局") == b.data, "%s", b.data);
    cr_expect(strstr(b.data, "因涉嫌犯罪已依法移送司法机关。") != NULL, "%s", b.data);
    cr_expect_null(strstr(b.data, "（"), "nothing in brackets (unit, case number): %s", b.data);
    hz_buf_free(&b);
    b = (hz_buf){0};
    cr_assert(report_cases_typical_sentence(c, idx[1], 2, &b));
    cr_expect(strstr(b.data, "涉案金额1.64万元，依法作出罚没款2.70万元的行政处罚。") != NULL, "%s",
              b.data);
    cr_expect_null(strstr(b.data, "没收侵权商品"), "no goods in an agency case: %s", b.data);
    hz_buf_free(&b);
    b = (hz_buf){0};
    cr_assert(report_cases_typical_sentence(c, idx[2], 2, &b));
    cr_expect(strstr(b.data, "没收侵权商品、罚没款2.00万元") != NULL, "%s", b.data);
    hz_buf_free(&b);
    consolidate_free(c);
}
