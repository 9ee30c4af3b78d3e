"""Text stored before input refused control characters still exports: every workbook opens
in openpyxl, and the characters a cell cannot hold are left out (prioritizer.spreadsheets.neutralise).

Stored with a vertical tab and a U+0001, which both databases hold (PostgreSQL refuses only NUL).
"""

import io

import pytest
from openpyxl import load_workbook

from customers.exporting import customers_export
from customers.models import Customer
from evaluation.lists import exports
from prioritizer.spreadsheets import neutralise
from reviews.models import DevelopmentResult
from tests.factories import CustomerFactory, CustomerYearFactory
from tests.reviews.conftest import (  # noqa: F401 - the review's fixtures
    approved_list,
    document,
    example_customers,
    example_list,
    example_set,
    hand_results,
)
from tests.reviews.test_views import url

BAD = "甲\x0b公司\x01"
CLEAN = "甲公司"


def cells_of(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.values for cell in row]


def test_neutralise_drops_control_characters_before_the_formula_guard():
    assert neutralise("\x01=1+1") == "'=1+1" and neutralise("a\tb\nc") == "a\tb\nc"


@pytest.fixture
def stored(org):
    customer = CustomerFactory(name_zh=BAD, name_en="Jia\x1f Co", business_unit=org.bu1)
    CustomerYearFactory(customer=customer, year=2024, revenue=1)
    return customer


def test_the_customer_xlsx_of_stored_control_characters_opens(stored):
    content, _type, _name = customers_export(Customer.objects.all(), year=2024, fmt="xlsx")
    cells = cells_of(content)
    assert CLEAN in cells and "Jia Co" in cells


def test_the_customer_csv_leaves_control_characters_out(stored):
    content, _type, _name = customers_export(Customer.objects.all(), year=2024, fmt="csv")
    text = content.decode("utf-8-sig")
    assert CLEAN in text and "\x0b" not in text and "\x01" not in text


def test_the_review_xlsx_of_stored_control_characters_opens(
    hand_results,  # noqa: F811
    people,
    client_for,
):
    DevelopmentResult.objects.update(notes="备注\x0b")
    Customer.objects.filter(name_zh="G").update(name_zh="G\x01")
    hand_results.segment.name_zh = "汽车\x1f零部件"
    hand_results.segment.save(update_fields=["name_zh"])
    response = client_for(people.bob).get(url("export"))
    assert response.status_code == 200
    cells = cells_of(response.content)
    assert "G" in cells and "备注" in cells


def test_the_target_list_xlsx_and_csv_leave_control_characters_out(
    example_list,  # noqa: F811
):
    Customer.objects.filter(name_zh="G").update(name_zh="G\x0b")
    sheet = exports.segment_list(example_list)
    assert "G" in cells_of(exports.render([sheet], "xlsx"))
    text = exports.render([exports.segment_list(example_list)], "csv").decode("utf-8-sig")
    assert ",G," in text and "\x0b" not in text
