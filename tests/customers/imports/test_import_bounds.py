"""Amounts and counts keep to the documented bounds (prioritizer.bounds) in the import, the
forms and the services, on SQLite as on PostgreSQL: at most 9,999,999,999,999.99 yuan (what
SQLite, with its 15 significant digits, stores exactly) and 2,147,483,647.

Before, 9,999,999,999,999,999.99 was accepted and reading the row back on SQLite raised
decimal.InvalidOperation.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from customers.forms import PreliminaryInfoForm, TargetInfoForm
from customers.models import CustomerYear
from evaluation.criteria.policy_forms import GoalForm
from reviews.forms import ResultForm
from tests.customers.imports.test_import import code, csv_of, nothing_written, refused, row, run
from tests.factories import CustomerFactory
from tests.reviews.conftest import (  # noqa: F401 - fixtures of the results import test
    approved_list,
    document,
    example_customers,
    example_list,
    example_set,
)

TOO_MUCH = "9999999999999999.99"  # 18 digits: the column's width, beyond what SQLite keeps
MOST = "9999999999999.99"
TOO_MANY = "2147483648"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- The import --------------------------------------------------------------------------


@pytest.mark.parametrize("column", ["revenue", "profit", "it_budget", "it_spend"])
def test_an_amount_over_the_bound_is_refused_by_row_and_nothing_is_written(org, column):
    result = run(csv_of(row(code(1)), row(code(2), name="乙公司", **{column: TOO_MUCH})))
    refused(result, 3, column, "too large: at most 9,999,999,999,999.99")
    assert len(result.problems) == 1
    nothing_written()


@pytest.mark.parametrize("amount", ["10000000000000", "10,000,000,000,000.00", "1e13"])
def test_the_first_amount_past_the_bound_is_refused_however_written(org, amount):
    refused(run(csv_of(row(code(1), revenue=f'"{amount}"'))), 2, "revenue", "too large")


def test_a_negative_profit_past_the_bound_is_refused(org):
    refused(run(csv_of(row(code(1), profit="-10000000000000"))), 2, "profit", "too large")


def test_the_largest_amounts_are_stored_and_read_back_exactly(org):
    assert run(csv_of(row(code(1), revenue=MOST, profit=f"-{MOST}"))).ok
    facts = CustomerYear.objects.get()
    assert facts.revenue == Decimal(MOST) and facts.profit == -Decimal(MOST)


def test_an_xlsx_amount_past_the_bound_is_refused(org):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["name", "bu", "year", "revenue"])
    workbook.active.append(["甲公司", "BU1", 2024, 1e16])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(buffer.getvalue(), filename="customers.xlsx")
    refused(result, 2, "revenue", "too large")
    nothing_written()


@pytest.mark.parametrize("column", ["employees", "it_staff"])
def test_a_count_over_the_bound_is_refused_by_row(org, column):
    result = run(csv_of(row(code(1), **{column: TOO_MANY})))
    refused(result, 2, column, "too large: at most 2,147,483,647")
    nothing_written()


def test_the_largest_count_is_stored(org):
    assert run(csv_of(row(code(1), employees="2147483647"))).ok
    assert CustomerYear.objects.get().employees == 2_147_483_647


# --- Forms -------------------------------------------------------------------------------


def _year_form(form_class, org, data):
    customer = CustomerFactory(business_unit=org.bu1)
    return form_class(data=data, customer=customer, year=2024, with_attributes=False)


def test_the_preliminary_form_refuses_an_amount_over_the_bound(org):
    form = _year_form(PreliminaryInfoForm, org, {"revenue": TOO_MUCH, "employees": "1"})
    assert not form.is_valid()
    assert "too large: at most 9,999,999,999,999.99" in form.errors["revenue"][0]


def test_the_preliminary_form_takes_the_largest_amount(org):
    form = _year_form(PreliminaryInfoForm, org, {"revenue": MOST, "employees": "2147483647"})
    assert form.is_valid(), form.errors


def test_the_preliminary_form_refuses_a_count_over_the_bound(org):
    form = _year_form(PreliminaryInfoForm, org, {"revenue": "1", "employees": TOO_MANY})
    assert not form.is_valid() and "employees" in form.errors


@pytest.mark.parametrize("field", ["profit", "it_budget", "it_spend"])
def test_the_target_form_refuses_an_amount_over_the_bound(org, field):
    form = _year_form(TargetInfoForm, org, {field: TOO_MUCH})
    assert not form.is_valid() and "too large" in form.errors[field][0]


def test_the_target_form_refuses_a_count_over_the_bound(org):
    form = _year_form(TargetInfoForm, org, {"it_staff": TOO_MANY})
    assert not form.is_valid() and "it_staff" in form.errors


def test_the_goal_form_refuses_amounts_and_counts_over_the_bound(db):
    form = GoalForm(
        data={"strategy": "战略", "target_revenue": TOO_MUCH, "target_customer_count": TOO_MANY}
    )
    assert not form.is_valid()
    assert set(form.errors) == {"target_revenue", "target_customer_count"}


def test_the_result_form_refuses_revenue_over_the_bound(db):
    form = ResultForm(data={"stage": "won", "revenue_won": TOO_MUCH})
    assert not form.is_valid() and "too large" in form.errors["revenue_won"][0]


# --- The results import and its service ------------------------------------------------


def test_the_results_service_refuses_revenue_over_the_bound():
    from reviews.services import clean_result

    with pytest.raises(ValidationError) as refusal:
        clean_result(revenue_won=TOO_MUCH, contracts_signed=0, stage="won", notes="")
    assert "too large" in refusal.value.message_dict["revenue_won"][0]


def test_the_results_import_refuses_revenue_over_the_bound_by_row(approved_list, people):  # noqa: F811
    from reviews.importing import results_import
    from reviews.models import DevelopmentResult
    from tests.reviews.test_importing import G_CODE, HEADER

    text = HEADER + f"{G_CODE},,2027,{TOO_MUCH},{TOO_MANY},won,\n"
    result = results_import(
        file_bytes=text.encode(), filename="r.csv", by=people.dave, dry_run=False
    )
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "revenue_won"),
        (2, "contracts_signed"),
    ]
    assert "at most 9,999,999,999,999.99" in result.problems[0].message
    assert not DevelopmentResult.objects.exists()


# --- The API -------------------------------------------------------------------------------
# The intake API takes no amounts or counts today; its serializers' mixin bounds any it gets.


def test_an_api_serializer_refuses_amounts_and_counts_over_the_bound():
    from rest_framework import serializers

    from prioritizer.clean_input import CleanInputSerializerMixin

    class Figures(CleanInputSerializerMixin, serializers.Serializer):
        revenue = serializers.DecimalField(max_digits=18, decimal_places=2)
        employees = serializers.IntegerField(min_value=0)

    refused = Figures(data={"revenue": TOO_MUCH, "employees": TOO_MANY})
    assert not refused.is_valid()
    assert "at most 9,999,999,999,999.99" in str(refused.errors["revenue"][0])
    assert "at most 2,147,483,647" in str(refused.errors["employees"][0])
    assert Figures(data={"revenue": MOST, "employees": "2147483647"}).is_valid()
