"""A stale score in headless Chromium (issue 12): a researcher saves the survey form of a
customer the last run screened out, and its page says the score is out of date; the segment
manager then sees the count on the run page, scores again from there, and the hint is gone."""

import copy

import pytest
from playwright.sync_api import expect

from evaluation.criteria import services
from evaluation.lists.services import target_list_build
from evaluation.scoring.runs import score_run_create
from tests.conftest import PASSWORD
from tests.evaluation.conftest import DESIGN_EXAMPLE, EXAMPLE_TIERS, make_example_customers
from tests.factories import attribute_with_options

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scored(org, people):
    """The example of tests/evaluation scored for AUTO 2027 (facts of 2026), its draft list
    made: customer D is screened out by the outsourcing gate."""
    attribute = attribute_with_options("outsourcing_attitude", "open", "neutral", "closed")
    attribute.name_zh = "外包接受程度"
    attribute.save()
    document = copy.deepcopy(DESIGN_EXAMPLE) | {"tiers": copy.deepcopy(EXAMPLE_TIERS)}
    services.criteria_set_load(document=document, publish=True)
    customers = make_example_customers(org)
    run = score_run_create(segment=org.auto, year=2027)
    target_list_build(run=run)
    return customers["D"], run


def test_a_form_saved_after_a_run_flags_the_score_until_the_segment_is_scored_again(
    page, live_server, log_in, screenshot, scored
):
    customer, run = scored
    log_in("erin", PASSWORD)
    page.goto(f"{live_server.url}{customer.get_absolute_url()}?year=2026")
    explanation = page.get_by_test_id("score-explanation")
    expect(explanation.get_by_test_id("status")).to_contain_text("筛除")
    expect(explanation.get_by_test_id("stale-hint")).to_have_count(0)

    page.goto(f"{live_server.url}/customers/{customer.pk}/2026/preliminary-form/")
    page.get_by_label("外包接受程度").select_option(label="open")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("已保存")

    page.goto(f"{live_server.url}{customer.get_absolute_url()}?year=2026")
    hint = page.get_by_test_id("score-explanation").get_by_test_id("stale-hint")
    expect(hint).to_contain_text(f"#{run.pk}")
    expect(hint.get_by_test_id("rescore-link")).to_have_count(0)  # a researcher does not score
    screenshot("stale-score-customer")

    page.context.clear_cookies()
    log_in("alice", PASSWORD)
    page.goto(f"{live_server.url}{run.get_absolute_url()}")
    expect(page.get_by_test_id("stale-count")).to_contain_text("1")
    screenshot("stale-score-run")
    page.get_by_test_id("rescore-link").click()
    expect(page.locator("#id_facts_year")).to_have_value("2026")
    page.get_by_test_id("score-button").click()
    expect(page.get_by_test_id("score-progress")).to_have_attribute("data-finished", "true")

    page.goto(f"{live_server.url}{customer.get_absolute_url()}?year=2026")
    explanation = page.get_by_test_id("score-explanation")
    expect(explanation.get_by_test_id("status")).not_to_contain_text("筛除")
    expect(explanation.get_by_test_id("stale-hint")).to_have_count(0)
