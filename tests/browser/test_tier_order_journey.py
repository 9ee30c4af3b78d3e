"""A segment manager adds tiers one after another and reorders them with the arrows, in
headless Chromium: a new tier goes last, each tier says what it takes, and a tier that can
never take anyone is flagged."""

import pytest
from playwright.sync_api import expect

from evaluation.criteria import services
from evaluation.models import TierPolicy
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def empty_set(org):
    return services.criteria_set_create(
        business_unit=org.bu1, segment=org.auto, year=2027, name="AUTO 2027", by=None
    )


def codes():
    return list(TierPolicy.objects.get().tiers.values_list("code", flat=True))


def add_tier(page, code, name, rule_type, value):
    form = page.get_by_test_id("tier-form")
    row = form.locator("fieldset").last
    row.locator("input[name$=-code]").fill(code)
    row.locator("input[name$=-name_zh]").fill(name)
    row.locator("select[name$=-rule_type]").select_option(rule_type)
    row.locator("input[name$=-rule_value]").fill(value)
    page.get_by_test_id("save-tiers").click()


def test_tiers_are_added_in_order_and_reordered_with_the_arrows(
    csp_violations, page, people, empty_set, log_in, live_server, screenshot
):
    log_in("alice", PASSWORD)
    tiers_page = f"{live_server.url}/criteria/{empty_set.pk}/tiers/"
    page.goto(tiers_page)
    expect(page.get_by_test_id("tie-rule")).to_contain_text("完整度")
    expect(page.locator("input[name$=-ORDER]")).to_have_count(0)

    add_tier(page, "A", "重点客户", "top_percent", "10")
    page.goto(tiers_page)
    add_tier(page, "B", "发展客户", "min_score", "60")
    assert codes() == ["A", "B"]

    page.goto(tiers_page)
    rows = page.get_by_test_id("tiers").locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("A")
    expect(rows.nth(0).get_by_test_id("tier-sentence")).to_contain_text("10 %")
    expect(rows.nth(1).get_by_test_id("tier-sentence")).to_contain_text("60")

    page.get_by_test_id("move-up-B").click()
    expect(page.get_by_test_id("tiers").locator("tbody tr").nth(0)).to_contain_text("发展客户")
    assert codes() == ["B", "A"]
    page.get_by_test_id("move-down-B").click()
    expect(page.get_by_test_id("tiers").locator("tbody tr").nth(0)).to_contain_text("重点客户")
    assert codes() == ["A", "B"]

    # A third tier with a higher minimum than B's can never take anyone: it is flagged.
    add_tier(page, "C", "维持客户", "min_score", "70")
    page.goto(tiers_page)
    expect(page.get_by_test_id("tier-row-C").get_by_test_id("tier-warning")).to_be_visible()
    expect(page.get_by_test_id("tier-row-A").get_by_test_id("tier-warning")).to_have_count(0)
    screenshot("tier-order")
    assert codes() == ["A", "B", "C"]
    assert csp_violations == []
