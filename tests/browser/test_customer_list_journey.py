"""The BU VP pages through the customer list and filters it by tier; a researcher sees no
tiers."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.evaluation.conftest import (  # noqa: F401 - AUTO's scored example list
    document,
    example_customers,
    example_list,
    example_set,
)
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def many_customers(org, people, request):
    """AUTO's scored 2027 list (G is tier A) and 120 more BU1 customers, 128 in all."""
    request.getfixturevalue("example_list")
    CustomerFactory.create_batch(120, business_unit=org.bu1)


def test_the_bu_vp_pages_through_the_list_and_filters_by_tier(
    page, live_server, log_in, screenshot, many_customers
):
    log_in("bob", PASSWORD)
    page.get_by_role("link", name="客户", exact=True).click()
    expect(page.get_by_text("第 1 页，共 3 页")).to_be_visible()
    first_row = page.get_by_test_id("customer-table").locator("tbody tr").first.inner_text()

    page.get_by_role("link", name="下一页").click()
    expect(page.get_by_text("第 2 页，共 3 页")).to_be_visible()
    assert "after=" in page.url
    page.get_by_role("link", name="下一页").click()
    expect(page.get_by_text("第 3 页，共 3 页")).to_be_visible()
    expect(page.get_by_role("link", name="下一页")).to_have_count(0)
    page.get_by_role("link", name="第一页").click()
    expect(page.get_by_text("第 1 页，共 3 页")).to_be_visible()
    assert page.get_by_test_id("customer-table").locator("tbody tr").first.inner_text() == (
        first_row
    )

    page.get_by_label("信息年度").fill("2026")
    page.get_by_label("层级").select_option("A")
    page.get_by_role("button", name="筛选").click()
    rows = page.get_by_test_id("customer-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_test_id("tiers")).to_have_text("A")
    screenshot("customer-list-tier-filter")


def test_a_researcher_sees_no_tiers(page, live_server, log_in, many_customers):
    log_in("erin", PASSWORD)
    page.get_by_role("link", name="客户", exact=True).click()
    expect(page.get_by_text("第 1 页，共 3 页")).to_be_visible()
    expect(page.get_by_label("层级")).to_have_count(0)
    expect(page.get_by_test_id("tiers")).to_have_count(0)
