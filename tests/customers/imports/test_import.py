"""The customer import service and command: every bad input refuses the whole file."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from openpyxl import Workbook

from customers.credit_code import check_character
from customers.imports.service import customers_import
from customers.models import AttributeValue, Customer, CustomerYear
from prioritizer.tabular import MAX_FILE_BYTES
from tests.factories import CustomerFactory, CustomerYearFactory

HEADER = "credit_code,name,name_en,bu,segment,region,industry,year,revenue,profit,it_budget,it_spend,employees,it_staff"
ZH_HEADER = "统一社会信用代码,客户名称,英文名称,业务单元,细分市场,地区,行业,年度,营业收入,利润,IT预算,IT支出,员工人数,IT人员数"


def code(n: int) -> str:
    body = f"9131000{n:010d}"
    return body + check_character(body)


def row(
    credit_code="",
    name="甲公司",
    name_en="",
    bu="BU1",
    segment="AUTO",
    region="shanghai",
    industry="automotive",
    year="2024",
    revenue="1000",
    profit="10",
    it_budget="5",
    it_spend="4",
    employees="100",
    it_staff="3",
    extra=(),
):
    cells = [
        credit_code,
        name,
        name_en,
        bu,
        segment,
        region,
        industry,
        year,
        revenue,
        profit,
        it_budget,
        it_spend,
        employees,
        it_staff,
        *extra,
    ]
    return ",".join(cells)


def run(text_or_bytes, *, by=None, dry_run=False, year=None, filename="customers.csv"):
    data = text_or_bytes.encode() if isinstance(text_or_bytes, str) else text_or_bytes
    return customers_import(
        file_bytes=data, filename=filename, default_year=year, by=by, dry_run=dry_run
    )


def csv_of(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refused(result, row, column, words):
    """The result refuses the file with a problem at row/column whose message has `words`."""
    assert not result.ok
    matching = [p for p in result.problems if p.row == row and p.column == column]
    assert matching, result.problems
    assert any(words in p.message for p in matching), matching
    return matching


def nothing_written():
    assert not Customer.objects.exists()
    assert not CustomerYear.objects.exists()
    assert not AttributeValue.objects.exists()


# --- Files that import ------------------------------------------------------------------


def test_a_valid_csv_creates_customers_facts_and_ratings(org, outsourcing):
    result = run(
        csv_of(
            row(code(1), extra=["open"]),
            row("", name="乙公司", segment="AUTO;ELEC", extra=["closed"]),
            header=HEADER + ",outsourcing_attitude",
        )
    )
    assert result.ok, result.problems
    assert (result.customers_created, result.facts_created, result.ratings_written) == (2, 2, 2)
    customer = Customer.objects.get(credit_code=code(1))
    assert customer.business_unit == org.bu1 and customer.region == "shanghai"
    facts = customer.years.get(year=2024)
    assert str(facts.revenue) == "1000.00" and facts.employees == 100
    assert set(Customer.objects.get(name_zh="乙公司").segments.values_list("code", flat=True)) == {
        "AUTO",
        "ELEC",
    }


def test_completeness_is_stored_from_the_imported_values(org, outsourcing):
    result = run(csv_of(row(code(1), extra=["open"]), header=HEADER + ",outsourcing_attitude"))
    assert result.ok
    # 4 preliminary + 4 of the target form's 8 (no texts, no key decision maker) + 1 rating of 1
    assert CustomerYear.objects.get().completeness == round(100 * 9 / 13)


def test_a_key_decision_maker_counts_towards_completeness(org, outsourcing):
    from customers.models import Contact

    customer = CustomerFactory(credit_code=code(1), name_zh="甲公司", business_unit=org.bu1)
    Contact.objects.create(
        customer=customer, name="王总", buying_role="decision_maker", is_key_decision_maker=True
    )
    run(csv_of(row(code(1), extra=["open"]), header=HEADER + ",outsourcing_attitude"))
    assert CustomerYear.objects.get().completeness == round(100 * 10 / 13)


def test_chinese_headers_and_labels_are_accepted(org, outsourcing):
    outsourcing.name_zh = "外包接受程度"
    outsourcing.save()
    result = run(
        csv_of(
            f'{code(1)},甲公司,,BU1,AUTO,上海,汽车,2024,"1,234.50",-20,,,"1,200",,open',
            header=" " + ZH_HEADER.replace("IT预算", "it预算") + ",外包接受程度",
        )
    )
    assert result.ok, result.problems
    facts = CustomerYear.objects.get()
    assert (str(facts.revenue), str(facts.profit), facts.employees) == ("1234.50", "-20.00", 1200)
    assert Customer.objects.get().industry == "automotive"


def test_a_gb18030_file_from_chinese_excel_is_read(org):
    data = csv_of(row(code(1), name="深圳市鑫达电子有限公司"), header=ZH_HEADER).encode("gb18030")
    assert data.decode("gb18030") and not _is_utf8(data)
    assert run(data).ok
    assert Customer.objects.get().name_zh == "深圳市鑫达电子有限公司"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_a_utf8_file_with_a_byte_order_mark_is_read(org):
    assert run(b"\xef\xbb\xbf" + csv_of(row(code(1))).encode()).ok
    assert Customer.objects.get().credit_code == code(1)


def test_an_xlsx_file_is_read(org):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            code(1),
            "甲公司",
            "",
            "BU1",
            "AUTO",
            "上海",
            "automotive",
            2024,
            1234.5,
            -3,
            None,
            None,
            250,
            12,
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(buffer.getvalue(), filename="customers.xlsx")
    assert result.ok, result.problems
    facts = CustomerYear.objects.get()
    assert (str(facts.revenue), str(facts.profit), facts.it_staff) == ("1234.50", "-3.00", 12)


def test_the_year_comes_from_the_option_when_the_file_has_no_year_column(org):
    header = HEADER.replace(",year", "")
    line = row(code(1)).split(",")
    del line[7]
    assert run(csv_of(",".join(line), header=header), year=2023).ok
    assert CustomerYear.objects.get().year == 2023


def test_a_known_credit_code_updates_that_customer_and_its_facts(org):
    customer = CustomerFactory(credit_code=code(1), name_zh="旧名", business_unit=org.bu1)
    CustomerYearFactory(customer=customer, year=2024, revenue=5, business_strategy="扩张")
    result = run(csv_of(row(code(1), name="新名", revenue="777")))
    assert result.ok
    assert (result.customers_created, result.customers_updated, result.facts_updated) == (0, 1, 1)
    customer.refresh_from_db()
    facts = customer.years.get(year=2024)
    assert customer.name_zh == "新名" and str(facts.revenue) == "777.00"
    assert facts.business_strategy == "扩张"  # what the file does not hold is kept


def test_an_empty_credit_code_falls_back_to_the_exact_name_in_the_bu(org):
    customer = CustomerFactory(name_zh="甲公司", business_unit=org.bu1)
    CustomerFactory(name_zh="甲公司", business_unit=org.bu2)
    result = run(csv_of(row("", name="甲公司", revenue="9")))
    assert result.ok and result.customers_created == 0
    assert CustomerYear.objects.get().customer == customer


def test_a_name_that_differs_makes_a_new_customer(org):
    CustomerFactory(name_zh="甲公司", business_unit=org.bu1)
    assert run(csv_of(row("", name="甲公司 "))).customers_created == 0  # trimmed: same
    assert run(csv_of(row("", name="甲股份公司"))).customers_created == 1


def test_empty_cells_keep_what_is_stored(org):
    customer = CustomerFactory(
        credit_code=code(1),
        name_zh="甲公司",
        name_en="Jia",
        business_unit=org.bu1,
        region="beijing",
    )
    CustomerYearFactory(customer=customer, year=2024, revenue=5, employees=7)
    assert run(csv_of(row(code(1), region="", revenue="", employees=""))).ok
    customer.refresh_from_db()
    assert customer.region == "beijing" and customer.name_en == "Jia"
    assert customer.years.get().employees == 7


def test_importing_the_same_file_twice_changes_nothing_the_second_time(org):
    text = csv_of(row(code(1)), row(code(2), name="乙公司"))
    run(text)
    history = CustomerYear.history.count()
    again = run(text)
    assert (again.customers_unchanged, again.facts_updated, again.facts_created) == (2, 0, 0)
    assert CustomerYear.history.count() == history


def test_history_records_the_importing_user_and_the_file(org, people):
    run(csv_of(row(code(1))), by=people.erin)
    record = CustomerYear.history.get()
    assert record.history_user == people.erin
    assert "customers.csv" in record.history_change_reason
    assert Customer.history.get().history_type == "+"


def test_a_re_import_records_each_change_with_the_user_and_the_file(org, people):
    run(csv_of(row(code(1))), by=people.erin)
    run(csv_of(row(code(1), name="新名", revenue="777")), by=people.erin, filename="march.csv")
    customer_change = Customer.history.get(history_type="~")
    facts_change = CustomerYear.history.get(history_type="~")
    assert (customer_change.name_zh, str(facts_change.revenue)) == ("新名", "777.00")
    assert facts_change.history_user == people.erin
    assert "march.csv" in customer_change.history_change_reason


def test_a_changed_rating_is_updated_and_recorded_as_a_change(org, outsourcing):
    header = HEADER + ",outsourcing_attitude"
    run(csv_of(row(code(1), extra=["open"]), header=header))
    result = run(csv_of(row(code(1), extra=["closed"]), header=header))
    assert result.ratings_written == 1
    assert AttributeValue.objects.get().option.key == "closed"
    assert AttributeValue.history.get(history_type="~").option.key == "closed"


def test_a_segment_in_the_file_is_added_to_a_known_customer(org):
    customer = CustomerFactory(
        credit_code=code(1), name_zh="甲公司", business_unit=org.bu1, segments=[org.auto]
    )
    result = run(csv_of(row(code(1), segment="AUTO;ELEC")))
    assert result.customers_updated == 1
    assert set(customer.segments.values_list("code", flat=True)) == {"AUTO", "ELEC"}


def test_a_new_region_refreshes_the_completeness_of_years_not_in_the_file(org):
    customer = CustomerFactory(credit_code=code(1), name_zh="甲公司", business_unit=org.bu1)
    CustomerYearFactory(customer=customer, year=2023, revenue=5, completeness=0)
    assert run(csv_of(row(code(1), year="2024"))).ok
    # 2023: region, industry (from the file's row) and revenue of the 12 fields
    assert customer.years.get(year=2023).completeness == 25


def test_new_customers_get_the_defaults_of_what_the_file_does_not_hold(org):
    assert run(csv_of(row(code(1)))).ok
    customer = Customer.objects.get()
    assert (customer.status, customer.address, customer.data_steward) == ("prospect", "", None)


def test_an_imported_customer_shows_its_history(org, people):
    from customers.history import customer_history

    run(csv_of(row(code(1))), by=people.erin)
    entries = customer_history(Customer.objects.get())
    assert {entry.kind for entry in entries} == {"created"} and len(entries) == 2


def test_a_dry_run_writes_nothing_but_counts_and_previews(org):
    result = run(csv_of(*(row(code(n), name=f"公司{n}") for n in range(1, 26))), dry_run=True)
    assert result.ok and result.customers_created == 25
    assert len(result.preview) == 20 and result.preview[0]["row"] == 2
    assert not Customer.objects.exists()


def test_tabs_newlines_and_backslashes_are_stored_as_given(org):
    # A name is one line (a tab in it is refused, see test_control_characters); the kept
    # multi-line text keeps its tabs and line breaks through the write.
    customer = CustomerFactory(credit_code=code(1), name_zh="甲公司", business_unit=org.bu1)
    strategy = "扩张\n第二行\t缩进 C:\\路径\\N"
    CustomerYearFactory(customer=customer, year=2024, revenue=5, business_strategy=strategy)
    assert run(csv_of(row(code(1), name='"甲\\N公司"', revenue="6"))).ok
    customer.refresh_from_db()
    assert customer.name_zh == "甲\\N公司"
    assert customer.years.get().business_strategy == strategy


def test_html_in_a_name_is_stored_as_text(org):
    assert run(csv_of(row(code(1), name="<script>alert(1)</script>"))).ok
    assert Customer.objects.get().name_zh == "<script>alert(1)</script>"


# --- Files that are refused -----------------------------------------------------------


def test_an_empty_file_is_refused(org):
    refused(run(b""), 1, "—", "empty")


def test_a_file_with_only_a_header_is_refused(org):
    refused(run(HEADER + "\n"), 2, "—", "header but no rows")


def test_undecodable_bytes_are_refused(org):
    refused(run(HEADER.encode() + b"\n\x81\xff\xfe,\x80\n"), 1, "—", "cannot be read")


def test_a_malformed_csv_is_refused(org):
    refused(run(csv_of(row(code(1)), '"甲公司"x,BU1')), 3, "—", "malformed")


def test_a_file_over_20_mb_is_refused_before_parsing(org):
    result = run(b"x" * (MAX_FILE_BYTES + 1))
    refused(result, 1, "—", "larger than 20 MB")


def test_missing_required_columns_are_refused(org):
    result = run("credit_code,year\n" + code(1) + ",2024\n")
    refused(result, 1, "name", "required column")
    refused(result, 1, "bu", "required column")


def test_an_unknown_column_is_refused(org):
    result = run(csv_of(row(code(1)) + ",x", header=HEADER + ",favourite_colour"))
    refused(result, 1, "favourite_colour", "Unknown column")
    nothing_written()


def test_a_column_given_twice_is_refused(org):
    refused(run(csv_of(row(code(1)) + ",2024", header=HEADER + ",年度")), 1, "年度", "twice")


def test_a_non_numeric_amount_is_refused(org):
    refused(run(csv_of(row(code(1), revenue="很多"))), 2, "revenue", "amount in yuan")
    nothing_written()


def test_a_negative_revenue_is_refused(org):
    refused(run(csv_of(row(code(1), revenue="-5"))), 2, "revenue", "cannot be negative")


def test_a_negative_profit_is_accepted(org):
    assert run(csv_of(row(code(1), profit="-5"))).ok


def test_more_than_two_decimal_places_are_refused(org):
    refused(run(csv_of(row(code(1), it_budget="1.234"))), 2, "it_budget", "2 decimal places")


def test_a_non_numeric_head_count_is_refused(org):
    refused(run(csv_of(row(code(1), employees="3.5"))), 2, "employees", "whole number")


def test_a_negative_head_count_is_refused(org):
    refused(run(csv_of(row(code(1), it_staff="-1"))), 2, "it_staff", "cannot be negative")


def test_a_future_year_is_refused(org):
    future = str(timezone.localdate().year + 1)
    refused(run(csv_of(row(code(1), year=future))), 2, "year", "in the future")
    nothing_written()


def test_a_future_default_year_is_refused(org):
    header = HEADER.replace(",year", "")
    refused(
        run(csv_of("x", header=header), year=timezone.localdate().year + 1),
        1,
        "year",
        "in the future",
    )


def test_a_file_without_any_year_is_refused(org):
    header = HEADER.replace(",year", "")
    line = row(code(1)).split(",")
    del line[7]
    refused(run(csv_of(",".join(line), header=header)), 1, "year", "No year")


def test_the_same_credit_code_for_two_customers_names_both_rows(org):
    result = run(csv_of(row(code(1)), row(code(1), name="乙公司")))
    refused(result, 3, "credit_code", "also in row 2")
    nothing_written()


def test_the_same_customer_and_year_twice_names_both_rows(org):
    result = run(csv_of(row(code(1)), row(code(1))))
    refused(result, 3, "year", "already in row 2")


def test_one_customer_with_two_years_is_fine(org):
    result = run(csv_of(row(code(1), year="2023"), row(code(1), year="2024")))
    assert result.ok and result.customers_created == 1 and result.facts_created == 2


def test_an_unknown_bu_is_refused(org):
    refused(run(csv_of(row(code(1), bu="bu1", segment=""))), 2, "bu", "did you mean “BU1”")


def test_an_unknown_segment_is_refused(org):
    refused(run(csv_of(row(code(1), segment="AUTO;NOPE"))), 2, "segment", "Unknown market segment")


def test_a_segment_of_another_bu_is_refused(org):
    refused(run(csv_of(row(code(1), segment="CHEM"))), 2, "segment", "belongs to BU BU2")


def test_an_unknown_region_is_refused(org):
    refused(run(csv_of(row(code(1), region="Atlantis"))), 2, "region", "Unknown region")


def test_an_option_that_does_not_exist_is_refused(org, outsourcing):
    result = run(csv_of(row(code(1), extra=["maybe"]), header=HEADER + ",outsourcing_attitude"))
    refused(result, 2, "outsourcing_attitude", "not an option")
    nothing_written()


def test_an_attribute_of_another_bu_is_refused(org):
    from tests.factories import attribute_with_options

    attribute_with_options("chem_safety", "good", "poor", business_unit=org.bu2)
    result = run(csv_of(row(code(1), extra=["good"]), header=HEADER + ",chem_safety"))
    refused(result, 2, "chem_safety", "not used in BU BU1")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("91310000MA1FL8X", "exactly 18 characters"),
        ("91310000MA1FL8XIO0", "digits and capital letters"),
        ("9131A000MA1FL8XQ0A", "administrative division"),
    ],
)
def test_an_invalid_credit_code_is_refused(org, value, words):
    refused(run(csv_of(row(value))), 2, "credit_code", words)


def test_a_credit_code_with_a_wrong_check_character_is_refused(org):
    good = code(1)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    refused(run(csv_of(row(bad))), 2, "credit_code", "check character")


def test_an_over_long_name_is_refused(org):
    refused(run(csv_of(row(code(1), name="长" * 201))), 2, "name", "at most 200 characters")
    nothing_written()


def test_a_nul_character_is_refused(org):
    refused(run(csv_of(row(code(1), name="甲\x00公司"))), 2, "name", "control character (U+0000)")
    nothing_written()


def test_a_row_with_more_cells_than_columns_is_refused(org):
    refused(run(csv_of(row(code(1)) + ",extra")), 2, "#15", "more cells")


def test_a_customer_of_another_bu_is_not_moved(org):
    CustomerFactory(credit_code=code(1), business_unit=org.bu2)
    refused(run(csv_of(row(code(1)))), 2, "bu", "belongs to BU BU2")


def test_every_problem_is_listed_and_nothing_is_written(org):
    result = run(
        csv_of(
            row(code(1)),
            row(code(2), revenue="x"),
            row(code(3), bu="ZZ"),
            row(code(4), employees="-1"),
        )
    )
    assert [(p.row, p.column) for p in result.problems] == [
        (3, "revenue"),
        (4, "bu"),
        (5, "employees"),
    ]
    nothing_written()


def test_problems_name_the_column_as_the_file_does(org):
    result = run(csv_of(row(code(1), revenue="x"), header=ZH_HEADER))
    refused(result, 2, "营业收入", "amount in yuan")


def test_a_researcher_may_not_import_rows_of_another_bu(org, people):
    result = run(
        csv_of(row(code(1)), row(code(2), name="乙公司", bu="BU2", segment="CHEM")), by=people.erin
    )
    refused(result, 3, "bu", "may not edit customers of BU BU2")
    nothing_written()


@pytest.mark.parametrize("username", ["dave", "alice", "grace", "judy", "bob"])
def test_other_roles_may_not_import_into_bu1(org, people, username):
    result = run(csv_of(row(code(1))), by=getattr(people, username))
    refused(result, 2, "bu", "may not edit customers of BU BU1")


# --- The command ------------------------------------------------------------------------


def test_the_command_imports_and_prints_the_counts(org, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(csv_of(row(code(1))), encoding="utf-8")
    out = io.StringIO()
    call_command("import_customers", str(path), stdout=out)
    assert "customers created 1" in out.getvalue()
    assert Customer.objects.count() == 1


def test_the_command_prints_each_problem_and_fails(org, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(csv_of(row(code(1), revenue="x"), row(code(2), bu="ZZ")), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_customers", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("row 2, column revenue: ")
    assert lines[1].startswith("row 3, column bu: ")
    assert not Customer.objects.exists()


def test_the_command_takes_the_year_and_a_dry_run(org, tmp_path):
    header = HEADER.replace(",year", "")
    line = row(code(1)).split(",")
    del line[7]
    path = tmp_path / "c.csv"
    path.write_text(csv_of(",".join(line), header=header), encoding="utf-8")
    out = io.StringIO()
    call_command("import_customers", str(path), "--year", "2022", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and not Customer.objects.exists()
    call_command("import_customers", str(path), "--year", "2022", stdout=out)
    assert CustomerYear.objects.get().year == 2022
