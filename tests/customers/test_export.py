"""The customer export: the import's own format, formula-safe, filtered like the list."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from customers.exporting import customers_export
from customers.imports.service import customers_import
from customers.models import AttributeValue, Customer, CustomerYear
from customers.services import customer_year_refresh
from tests.factories import CustomerFactory, CustomerYearFactory


@pytest.fixture
def jia(org, outsourcing):
    customer = CustomerFactory(
        credit_code="91350100M000100Y43",
        name_zh='=HYPERLINK("http://evil")',
        name_en="-Jia Co",
        business_unit=org.bu1,
        segments=[org.auto, org.elec],
        region="shanghai",
        industry="automotive",
    )
    CustomerYearFactory(
        customer=customer, year=2024, revenue="1234.50", profit="-20.00", employees=300
    )
    AttributeValue.objects.create(
        customer=customer,
        year=2024,
        attribute=outsourcing,
        option=outsourcing.options.get(key="open"),
    )
    customer_year_refresh(customer=customer, year=2024)  # as the forms would have stored it
    return customer


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_has_the_import_columns_and_the_year_s_ratings(jia):
    with translation.override("en"):
        content, content_type, filename = customers_export(
            Customer.objects.all(), year=2024, fmt="csv"
        )
    header, first = csv_rows(content)
    assert header[:3] == ["credit_code", "name", "name_en"]
    assert header[-1] == "outsourcing_attitude" and first[-1] == "open"
    assert first[4] == "AUTO;ELEC" and first[8] == "1234.50" and first[9] == "-20.00"
    assert content_type.startswith("text/csv") and filename == "customers-2024.csv"


def test_headers_are_chinese_in_chinese(jia):
    with translation.override("zh-hans"):
        content, *_ = customers_export(Customer.objects.all(), year=2024, fmt="csv")
    header = csv_rows(content)[0]
    assert header[:2] == ["统一社会信用代码", "客户名称"] and "营业收入" in header


def test_formulas_are_neutralised_in_csv(jia):
    content, *_ = customers_export(Customer.objects.all(), year=2024, fmt="csv")
    first = csv_rows(content)[1]
    assert first[1] == '\'=HYPERLINK("http://evil")' and first[2] == "'-Jia Co"


def test_formulas_are_neutralised_in_xlsx_and_numbers_stay_numbers(jia):
    content, content_type, filename = customers_export(
        Customer.objects.all(), year=2024, fmt="xlsx"
    )
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert sheet.cell(row=2, column=2).data_type == "s"
    assert rows[1][9] == -20 and isinstance(rows[1][9], (int, float))
    assert filename.endswith(".xlsx") and "spreadsheetml" in content_type


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(jia, fmt):
    before = (
        list(Customer.objects.values("name_zh", "name_en", "region", "industry")),
        list(CustomerYear.objects.values("revenue", "profit", "employees", "completeness")),
        list(AttributeValue.objects.values("option__key")),
    )
    content, *_ = customers_export(Customer.objects.all(), year=2024, fmt=fmt)
    result = customers_import(
        file_bytes=content, filename=f"back.{fmt}", default_year=None, by=None, dry_run=False
    )
    assert result.ok, result.problems
    assert (result.customers_created, result.customers_updated, result.facts_updated) == (0, 0, 0)
    after = (
        list(Customer.objects.values("name_zh", "name_en", "region", "industry")),
        list(CustomerYear.objects.values("revenue", "profit", "employees", "completeness")),
        list(AttributeValue.objects.values("option__key")),
    )
    assert after == before


def test_the_export_view_exports_what_the_user_may_see(jia, org, people, client_for):
    CustomerFactory(name_zh="化工客户", business_unit=org.bu2)
    response = client_for(people.erin).get(reverse("customers:customer-export") + "?year=2024")
    assert response.status_code == 200
    names = [r[1] for r in csv_rows(response.content)[1:]]
    assert names == ['\'=HYPERLINK("http://evil")']
    assert "attachment" in response["Content-Disposition"]


def test_the_export_view_applies_the_list_filters(jia, org, people, client_for):
    CustomerFactory(name_zh="另一家", business_unit=org.bu1)
    url = reverse("customers:customer-export") + "?year=2024&q=另一家"
    names = [r[1] for r in csv_rows(client_for(people.bob).get(url).content)[1:]]
    assert names == ["另一家"]


def test_the_export_view_gives_xlsx_when_asked(jia, people, client_for):
    response = client_for(people.erin).get(
        reverse("customers:customer-export") + "?year=2024&format=xlsx"
    )
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 2


def test_a_user_without_a_role_may_not_export(jia, people, client_for):
    assert client_for(people.judy).get(reverse("customers:customer-export")).status_code == 403
