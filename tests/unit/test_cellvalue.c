/* test_cellvalue.c - value parsing edge cases of DESIGN §4. */
#include <criterion/criterion.h>
#include <string.h>
#include "cellvalue.h"
#include "config.h"
#include "hz_test_fixture.h"

static xlsx_cell text_cell(const char *text)
{
    xlsx_cell cell = {.type = XLSX_CELL_STRING, .text = text, .text_len = strlen(text)};
    return cell;
}

static xlsx_cell number_cell(double value, bool is_date)
{
    xlsx_cell cell = {.type = XLSX_CELL_NUMBER, .number = value, .text = "", .is_date = is_date};
    return cell;
}

Test(cellvalue, counts)
{
    hz_amount v;
    xlsx_cell c = number_cell(12, false);
    cr_assert_eq(cellvalue_amount(&c, 0, &v), CELLVALUE_OK);
    cr_assert_eq(v, 120000);
    c = number_cell(12.5, false);
    cr_assert_eq(cellvalue_amount(&c, 0, &v), CELLVALUE_BAD_DECIMALS);
    c = text_cell(" 12 ");
    cr_assert_eq(cellvalue_amount(&c, 0, &v), CELLVALUE_OK);
    cr_assert_eq(v, 120000);
    c = text_cell("１２");
    cr_assert_eq(cellvalue_amount(&c, 0, &v), CELLVALUE_NORMALISED);
    cr_assert_eq(v, 120000);
    c = text_cell("1,234");
    cr_assert_eq(cellvalue_amount(&c, 0, &v), CELLVALUE_NORMALISED);
    cr_assert_eq(v, 12340000);
    c = text_cell("１，２３４");
    cr_assert_eq(cellvalue_amount(&c, 0, &v), CELLVALUE_NORMALISED);
    cr_assert_eq(v, 12340000);
    c = text_cell("1,23");
    cr_assert_eq(cellvalue_amount(&c, 0, &v), CELLVALUE_BAD_TYPE);
    c = text_cell("12件");
    cr_assert_eq(cellvalue_amount(&c, 0, &v), CELLVALUE_BAD_TYPE);
    c = text_cell("十二");
    cr_assert_eq(cellvalue_amount(&c, 0, &v), CELLVALUE_BAD_TYPE);
    c = text_cell("   ");
    cr_assert_eq(cellvalue_amount(&c, 0, &v), CELLVALUE_EMPTY);
    xlsx_cell empty = {.type = XLSX_CELL_EMPTY, .text = ""};
    cr_assert_eq(cellvalue_amount(&empty, 0, &v), CELLVALUE_EMPTY);
    cr_assert_eq(cellvalue_amount(NULL, 0, &v), CELLVALUE_EMPTY);
    c = text_cell("-3");
    cr_assert_eq(cellvalue_amount(&c, 0, &v), CELLVALUE_OK);
    cr_assert_eq(v, -30000, "the caller reports the range");
    xlsx_cell err = {.type = XLSX_CELL_ERROR, .text = "#DIV/0!"};
    cr_assert_eq(cellvalue_amount(&err, 0, &v), CELLVALUE_BAD_TYPE);
}

Test(cellvalue, amounts_four_decimals)
{
    hz_amount v;
    xlsx_cell c = number_cell(1.2345, false);
    cr_assert_eq(cellvalue_amount(&c, 4, &v), CELLVALUE_OK);
    cr_assert_eq(v, 12345);
    c = number_cell(0.1 + 0.2, false); /* 0.30000000000000004 */
    cr_assert_eq(cellvalue_amount(&c, 4, &v), CELLVALUE_OK);
    cr_assert_eq(v, 3000);
    c = number_cell(1.23456, false);
    cr_assert_eq(cellvalue_amount(&c, 4, &v), CELLVALUE_BAD_DECIMALS);
    c = text_cell("1.23456");
    cr_assert_eq(cellvalue_amount(&c, 4, &v), CELLVALUE_BAD_DECIMALS);
    c = text_cell("２．５");
    cr_assert_eq(cellvalue_amount(&c, 4, &v), CELLVALUE_NORMALISED);
    cr_assert_eq(v, 25000);
    c = text_cell("2.5万元");
    cr_assert_eq(cellvalue_amount(&c, 4, &v), CELLVALUE_BAD_TYPE);
    c = number_cell(44799, true);
    cr_assert_eq(cellvalue_amount(&c, 4, &v), CELLVALUE_BAD_TYPE, "a date is not an amount");
}

Test(cellvalue, dates)
{
    hz_date d, want = hz_date_from_ymd(2022, 8, 26);
    xlsx_cell c = number_cell(44799, true);
    cr_assert_eq(cellvalue_date(&c, false, &d), CELLVALUE_OK);
    cr_assert_eq(d, want);
    c = number_cell(44799 - 1462, true);
    cr_assert_eq(cellvalue_date(&c, true, &d), CELLVALUE_OK);
    cr_assert_eq(d, want);
    c = number_cell(44799, false);
    cr_assert_eq(cellvalue_date(&c, false, &d), CELLVALUE_NORMALISED);
    cr_assert_eq(d, want);
    c = number_cell(12, false);
    cr_assert_eq(cellvalue_date(&c, false, &d), CELLVALUE_BAD_TYPE);
    c = text_cell("2022年8月26日");
    cr_assert_eq(cellvalue_date(&c, false, &d), CELLVALUE_OK);
    cr_assert_eq(d, want);
    c = text_cell("2022/08/26 ");
    cr_assert_eq(cellvalue_date(&c, false, &d), CELLVALUE_OK);
    cr_assert_eq(d, want);
    c = text_cell("2022-13-01");
    cr_assert_eq(cellvalue_date(&c, false, &d), CELLVALUE_BAD_TYPE);
    c = text_cell("8月26日");
    cr_assert_eq(cellvalue_date(&c, false, &d), CELLVALUE_BAD_TYPE);
    char buf[32];
    c = number_cell(44799, true);
    cr_assert_str_eq(cellvalue_text(&c, false, buf, sizeof buf), "2022-08-26");
    c = number_cell(0.5, false);
    cr_assert_str_eq(cellvalue_text(&c, false, buf, sizeof buf), "0.5");
}

Test(cellvalue, yes_no_words)
{
    hz_config *config = hz_test_config();
    bool yes;
    xlsx_cell c = text_cell("是");
    cr_assert_eq(cellvalue_yesno(&c, config, &yes), CELLVALUE_OK);
    cr_assert(yes);
    c = text_cell(" 否 ");
    cr_assert_eq(cellvalue_yesno(&c, config, &yes), CELLVALUE_OK);
    cr_assert_not(yes);
    c = text_cell("Y");
    cr_assert_eq(cellvalue_yesno(&c, config, &yes), CELLVALUE_ALIAS);
    cr_assert(yes);
    c = text_cell("0");
    cr_assert_eq(cellvalue_yesno(&c, config, &yes), CELLVALUE_ALIAS);
    cr_assert_not(yes);
    c = number_cell(1, false);
    cr_assert_eq(cellvalue_yesno(&c, config, &yes), CELLVALUE_ALIAS);
    cr_assert(yes);
    c = text_cell("可能");
    cr_assert_eq(cellvalue_yesno(&c, config, &yes), CELLVALUE_BAD_TYPE);
    /* the word itself takes the short way; blanks alone are empty */
    c = text_cell("否");
    cr_assert_eq(cellvalue_yesno(&c, config, &yes), CELLVALUE_OK);
    cr_assert_not(yes);
    c = text_cell("");
    cr_assert_eq(cellvalue_yesno(&c, config, &yes), CELLVALUE_EMPTY);
    c = text_cell("\xE3\x80\x80 ");
    cr_assert_eq(cellvalue_yesno(&c, config, &yes), CELLVALUE_EMPTY);
    c = text_cell("是是");
    cr_assert_eq(cellvalue_yesno(&c, config, &yes), CELLVALUE_BAD_TYPE);
    config_free(config);
}
