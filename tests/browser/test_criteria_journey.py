"""A segment manager builds next year's criteria set in headless Chromium: five criteria of the
four rule types, the weight total updating as she types, publishing, and a JSON download that
loads back unchanged."""

import json
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation.criteria import services
from evaluation.criteria.demo import seed_criteria
from evaluation.models import CriteriaSet
from tests.conftest import PASSWORD
from tests.factories import attribute_with_options

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEXT_YEAR = timezone.localdate().year + 1


def settle(page):
    page.wait_for_load_state("networkidle")


def add_criterion(page, key, name, family, source, weight, rule=None):
    page.get_by_test_id("add-criterion").click()
    form = page.locator("#criterion-form")
    form.locator("input[name=key]").fill(key)
    form.locator("input[name=name_zh]").fill(name)
    form.locator("select[name=family]").select_option(family)
    form.locator("select[name=source]").select_option(source)
    settle(page)  # the rule editor is replaced to fit the source
    if rule:
        rule(form)
    form.locator("input[name=weight]").fill(str(weight))
    return form


def test_a_segment_manager_builds_publishes_and_downloads_a_set(
    csp_violations, page, people, org, log_in, live_server, screenshot
):
    attribute_with_options("outsourcing_attitude", "open", "neutral", "closed")

    log_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/criteria/?year={NEXT_YEAR}")
    page.get_by_test_id("scope-AUTO").get_by_test_id("new-set").click()
    expect(page).to_have_url(re.compile(r"/criteria/\d+/$"))

    # 1. Linear: revenue.
    def linear(form):
        form.locator("input[name=lo]").fill("0")
        form.locator("input[name=hi]").fill("500000000")
        form.locator("select[name=direction]").select_option("higher_better")

    form = add_criterion(page, "revenue", "营业收入", "profitability", "revenue", 30, linear)
    expect(page.get_by_test_id("weight-total-value")).to_have_text("30")
    form.get_by_test_id("save-criterion").click()
    expect(page.get_by_test_id("criterion-revenue")).to_be_visible()

    # 2. Bands: employees.
    def bands(form):
        form.locator("select[name=rule_type]").select_option("bands")
        settle(form.page)
        rows = [("", "100", "20"), ("100", "1000", "60"), ("1000", "", "100")]
        for row, (low, high, points) in enumerate(rows):
            form.locator(f"input[name=band_min_{row}]").fill(low)
            form.locator(f"input[name=band_max_{row}]").fill(high)
            form.locator(f"input[name=band_points_{row}]").fill(points)

    form = add_criterion(page, "employees", "员工人数", "implementability", "employees", 20, bands)
    expect(page.get_by_test_id("weight-total-value")).to_have_text("50")
    form.get_by_test_id("save-criterion").click()
    expect(page.get_by_test_id("criterion-employees")).to_be_visible()

    # 3. Choice: every option of the rated attribute is listed.
    def choice(form):
        expect(form.locator("input[name^=points_]")).to_have_count(3)
        form.locator("input[name=points_open]").fill("100")
        form.locator("input[name=points_neutral]").fill("50")
        form.locator("input[name=points_closed]").fill("0")
        form.locator("input[name=gate]").fill("50")

    form = add_criterion(
        page, "outsourcing", "外包接受程度", "accessibility", "outsourcing_attitude", 30, choice
    )
    expect(page.get_by_test_id("weight-total-value")).to_have_text("80")
    screenshot("criteria-editor-choice")
    form.get_by_test_id("save-criterion").click()
    expect(page.get_by_test_id("criterion-outsourcing")).to_be_visible()

    # 4. Boolean: key decision maker known.
    def boolean(form):
        form.locator("input[name=true_points]").fill("100")
        form.locator("input[name=false_points]").fill("0")

    form = add_criterion(
        page, "kdm", "关键决策人", "accessibility", "key_decision_maker", 10, boolean
    )
    form.get_by_test_id("save-criterion").click()
    expect(page.get_by_test_id("criterion-kdm")).to_be_visible()

    # 5. Bands again: IT staff; the total moves as the weight is typed.
    def staff(form):
        form.locator("select[name=rule_type]").select_option("bands")
        settle(form.page)
        form.locator("input[name=band_max_0]").fill("10")
        form.locator("input[name=band_points_0]").fill("30")
        form.locator("input[name=band_min_1]").fill("10")
        form.locator("input[name=band_points_1]").fill("100")

    form = add_criterion(page, "it_staff", "IT人员数量", "implementability", "it_staff", 5, staff)
    total = page.get_by_test_id("weight-total-value")
    expect(total).to_have_text("95")
    expect(page.get_by_test_id("weight-total-off")).to_be_visible()
    form.locator("input[name=weight]").fill("10")
    expect(total).to_have_text("100")
    expect(page.get_by_test_id("weight-total-ok")).to_be_visible()
    form.get_by_test_id("save-criterion").click()
    expect(page.get_by_test_id("criterion-it_staff")).to_be_visible()

    # On the set page the total follows the weights table too.
    page.get_by_test_id("weight-revenue").fill("35")
    expect(page.get_by_test_id("weight-total-value")).to_have_text("105")
    page.get_by_test_id("weight-revenue").fill("30")
    expect(page.get_by_test_id("weight-total-value")).to_have_text("100")
    screenshot("criteria-set-draft")

    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("set-status")).to_have_text(re.compile("已发布|Published"))
    criteria_set = CriteriaSet.objects.get(segment=org.auto, year=NEXT_YEAR)
    assert criteria_set.status == "published"
    assert {c.rule["type"] for c in criteria_set.criteria.all()} == {
        "linear",
        "bands",
        "choice",
        "boolean",
    }
    screenshot("criteria-set-published")

    with page.expect_download() as download_info:
        page.get_by_test_id("download").click()
    downloaded = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert downloaded["scope"] == {"segment": "AUTO"} and len(downloaded["criteria"]) == 5

    reloaded = services.criteria_set_load(document=downloaded, by=people.alice)
    assert services.criteria_set_dump(reloaded) == downloaded
    assert csp_violations == []


def test_the_bu_vp_reviews_the_demo_criteria(
    csp_violations, page, people, org, log_in, live_server, screenshot
):
    seed_criteria(NEXT_YEAR)
    override = CriteriaSet.objects.get(segment=org.auto, year=NEXT_YEAR)

    log_in("bob", PASSWORD)
    page.goto(f"{live_server.url}/criteria/?year={NEXT_YEAR}")
    expect(page.get_by_test_id("goal")).to_have_count(2)
    screenshot("criteria-index")

    page.goto(f"{live_server.url}{override.get_absolute_url()}")
    differences = page.get_by_test_id("default-differences")
    expect(differences.get_by_test_id("change-row").first).to_be_visible()
    expect(page.get_by_test_id("tiers")).to_contain_text("重点客户")
    screenshot("criteria-override")

    page.get_by_test_id("edit-tiers").click()
    tier = page.get_by_test_id("tier-2")
    tier.locator("input[name$=rule_value]").fill("70")
    page.get_by_test_id("save-tiers").click()
    expect(page.get_by_test_id("audit")).to_contain_text("rule_value")

    page.get_by_test_id("ahp-link").click()
    page.get_by_test_id("pair_0_1").select_option("3")
    page.get_by_test_id("ahp-compute").click()
    expect(page.get_by_test_id("ahp-result")).to_be_visible()
    screenshot("criteria-ahp")
    assert csp_violations == []
