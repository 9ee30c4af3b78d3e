"""The credit code's registering province: it fills an empty region on import and is flagged on
the customer page when the region says another province, never written over it."""

import pytest
from django.urls import reverse
from django.utils import translation

from customers.credit_code import check_character
from customers.credit_code_regions import region_disagreement, registered_region
from customers.models import Customer
from tests.customers.imports.test_import import csv_of, row, run
from tests.factories import CustomerFactory


def code(division: str, n: int = 1) -> str:
    body = f"91{division}{n:09d}"
    return body + check_character(body)


# --- The pure reading ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("division", "region"),
    [
        ("110105", "beijing"),
        ("310000", "shanghai"),
        ("440300", "guangdong"),
        ("650100", "xinjiang"),
    ],
)
def test_a_credit_code_tells_the_province_it_was_registered_in(division, region):
    assert registered_region(code(division)) == region


def test_an_invalid_credit_code_tells_no_province():
    assert (
        registered_region(code("110105")[:-1] + "0") is None or registered_region("X" * 18) is None
    )
    assert registered_region("") is None


def test_a_division_that_is_no_province_tells_none():
    assert registered_region(code("990000")) is None


def test_another_province_is_a_disagreement_and_names_the_registered_one():
    assert region_disagreement(code("310000"), "beijing") == "shanghai"


@pytest.mark.parametrize("region", ["", "shanghai", "europe"])
def test_no_region_the_same_province_or_an_overseas_region_is_no_disagreement(region):
    assert region_disagreement(code("310000"), region) is None


# --- Import ------------------------------------------------------------------------------------


def test_an_imported_customer_without_a_region_gets_the_credit_code_s_province(org):
    assert run(csv_of(row(code("440300"), region=""))).ok
    assert Customer.objects.get().region == "guangdong"


def test_an_imported_region_that_disagrees_with_the_credit_code_is_kept(org):
    assert run(csv_of(row(code("440300"), region="beijing"))).ok
    assert Customer.objects.get().region == "beijing"


def test_a_stored_region_is_not_replaced_by_the_credit_code_s_province(org):
    CustomerFactory(
        credit_code=code("440300"), name_zh="甲公司", business_unit=org.bu1, region="beijing"
    )
    assert run(csv_of(row(code("440300"), region=""))).ok
    assert Customer.objects.get().region == "beijing"


def test_a_row_without_credit_code_or_region_stays_without_region(org):
    assert run(csv_of(row("", region=""))).ok
    assert Customer.objects.get().region == ""


# --- The customer page -------------------------------------------------------------------------


def _page(client, customer, language):
    with translation.override(language):
        return client.get(reverse("customers:customer-detail", args=[customer.pk])).content.decode()


def test_the_customer_page_flags_a_region_the_credit_code_disagrees_with(org, people, client_for):
    customer = CustomerFactory(credit_code=code("310000"), business_unit=org.bu1, region="beijing")
    page = _page(client_for(people.erin), customer, "zh-hans")
    assert 'data-testid="region-disagreement"' in page and "统一社会信用代码的登记地为上海" in page


def test_the_flag_reads_in_english_too(org, people, client_for):
    customer = CustomerFactory(credit_code=code("310000"), business_unit=org.bu1, region="beijing")
    client = client_for(people.erin)
    client.cookies["django_language"] = "en"
    page = _page(client, customer, "en")
    assert "The credit code was registered in Shanghai: check the region." in page


def test_a_region_that_agrees_is_not_flagged(org, people, client_for):
    customer = CustomerFactory(credit_code=code("310000"), business_unit=org.bu1, region="shanghai")
    assert 'data-testid="region-disagreement"' not in _page(
        client_for(people.erin), customer, "zh-hans"
    )
