"""A segment manager builds next year's preliminary list in headless Chromium and watches it
fill up; the BU VP decides the quota."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from customers.models import Contact, PreliminaryList
from customers.services import customer_year_save
from tests.conftest import PASSWORD
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEXT_YEAR = timezone.localdate().year + 1
FULL_FACTS = {
    "revenue": 5_000_000,
    "employees": 300,
    "profit": 400_000,
    "it_budget": 200_000,
    "it_spend": 150_000,
    "it_staff": 12,
    "business_strategy": "扩大新能源汽车零部件产能",
    "it_landscape": "SAP ERP, 自建 MES",
    "planned_projects": "MES 升级",
}


def test_a_segment_manager_builds_a_list_and_the_bu_vp_sets_the_quota(
    csp_violations, page, people, org, log_in, live_server, screenshot
):
    found = CustomerFactory(name_zh="宁波精工汽配有限公司", business_unit=org.bu1)
    CustomerFactory(name_zh="宁波化工有限公司", business_unit=org.bu2)

    # The segment manager starts next year's list and proposes a quota.
    log_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/customers/lists/?year={NEXT_YEAR}")
    page.get_by_test_id("start-AUTO").click()
    expect(page).to_have_url(re.compile(f"/customers/lists/AUTO/{NEXT_YEAR}/$"))
    propose = page.get_by_test_id("propose-form")
    propose.locator("input[name=proposed_quota]").fill("4")
    propose.locator("input[type=submit]").click()
    expect(page.get_by_test_id("proposed-quota")).to_have_text("4")

    # Nominates a customer found by a live search, and one created on the spot.
    page.get_by_test_id("nominate-link").click()
    page.get_by_test_id("candidate-search").fill("宁波")
    candidates = page.get_by_test_id("candidates")
    expect(candidates).to_contain_text("宁波精工汽配有限公司")
    expect(candidates).not_to_contain_text("宁波化工有限公司")
    screenshot("preliminary-list-nominate")
    page.get_by_test_id(f"nominate-{found.pk}").click()
    new_customer = page.get_by_test_id("new-customer")
    new_customer.locator("input[name=name_zh]").fill("温州新星电子有限公司")
    new_customer.locator("input[type=submit]").click()
    expect(page.get_by_test_id("progress-collected")).to_contain_text("2")
    page.get_by_test_id("back-to-list").click()

    # Gives both to the BU's researcher at once.
    rows = page.get_by_test_id("nomination-row")
    expect(rows).to_have_count(2)
    for checkbox in page.locator("input[name=nominations][type=checkbox]").all():
        checkbox.check()
    bulk = page.get_by_test_id("bulk-assign")
    bulk.locator("select[name=researcher]").select_option(label="Erin (erin)")
    bulk.get_by_role("button").click()
    expect(page.get_by_test_id("workload-erin")).to_contain_text("2")
    expect(page.get_by_test_id("unassigned")).to_have_count(0)

    # The researcher completes one customer's forms; the progress shows it.
    found.region, found.industry = "east", "manufacturing"
    found.save()
    Contact.objects.create(
        customer=found, name="王总", buying_role="decision_maker", is_key_decision_maker=True
    )
    customer_year_save(
        customer=found, year=NEXT_YEAR - 1, facts=FULL_FACTS, ratings={}, by=people.erin
    )
    page.reload()
    expect(page.get_by_test_id("progress-full")).to_contain_text("1")
    expect(page.get_by_test_id("progress-preliminary")).to_contain_text("1")
    screenshot("preliminary-list-segment-manager")

    # The BU VP finds the proposal on the home page and decides the quota.
    page.context.clear_cookies()
    log_in("bob", PASSWORD)
    waiting = page.get_by_test_id("waiting")
    expect(waiting).to_contain_text("AUTO")
    page.goto(f"{live_server.url}/customers/lists/AUTO/{NEXT_YEAR}/")
    quota = page.get_by_test_id("quota-form")
    quota.locator("input[name=quota]").fill("3")
    quota.locator("input[type=submit]").click()
    expect(page.get_by_test_id("quota")).to_have_text("3")
    expect(page.get_by_test_id("progress-collected")).to_contain_text("2")
    screenshot("preliminary-list-bu-vp")
    page.goto(f"{live_server.url}/customers/lists/?year={NEXT_YEAR}")
    expect(page.get_by_test_id("list-index")).to_contain_text("3")
    screenshot("preliminary-list-index")
    assert PreliminaryList.objects.get(segment=org.auto, year=NEXT_YEAR).quota == 3
    assert csp_violations == []
