"""A segment manager scores her segment in headless Chromium: the score button, the progress
box, the run page with its funnel and charts, a customer's explanation loaded into the customer
page, and the what-if of other weights — with no Content Security Policy violation."""

import copy

import pytest
from playwright.sync_api import expect

from evaluation.criteria import services
from tests.conftest import PASSWORD
from tests.evaluation.conftest import DESIGN_EXAMPLE, EXAMPLE_TIERS, make_example_customers
from tests.factories import attribute_with_options

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def example_customers(org):
    """The hand-computed example of tests/evaluation, published for AUTO 2027."""
    attribute_with_options("outsourcing_attitude", "open", "neutral", "closed")
    document = copy.deepcopy(DESIGN_EXAMPLE) | {"tiers": copy.deepcopy(EXAMPLE_TIERS)}
    services.criteria_set_load(document=document, publish=True)
    return make_example_customers(org)


def drawn(page, selector: str) -> bool:
    """Whether Chart.js has drawn a chart on the canvas."""
    return page.eval_on_selector(selector, "canvas => Boolean(Chart.getChart(canvas))")


def test_a_segment_manager_scores_reads_and_tries_other_weights(
    csp_violations, page, people, org, example_customers, log_in, live_server, screenshot
):
    log_in("alice", PASSWORD)

    page.goto(f"{live_server.url}/criteria/runs/AUTO/2027/")
    expect(page.locator("#id_facts_year")).to_have_value("2026")
    page.get_by_test_id("score-button").click()
    expect(page.get_by_test_id("score-progress")).to_have_attribute("data-finished", "true")
    page.get_by_test_id("run-link").click()

    expect(page.get_by_test_id("funnel-evaluated")).to_contain_text("8")
    expect(page.get_by_test_id("funnel-tier")).to_have_count(3)
    expect(page.get_by_test_id("entry-row")).to_have_count(8)
    page.wait_for_function("typeof Chart !== 'undefined'")
    assert drawn(page, "canvas[data-score-chart=pyramid]")
    assert drawn(page, "canvas[data-score-chart=histogram]")
    screenshot("scoring-run-page")

    page.get_by_role("link", name="E", exact=True).click()
    explanation = page.get_by_test_id("score-explanation")
    expect(explanation.get_by_test_id("missing")).to_contain_text("30")
    page.wait_for_function(
        "document.querySelector('canvas[data-score-chart=contributions]') &&"
        " Chart.getChart(document.querySelector('canvas[data-score-chart=contributions]'))"
    )
    screenshot("scoring-customer-explanation")

    criteria_set = example_customers["E"].score_entries.get().run.criteria_set
    page.goto(f"{live_server.url}/criteria/{criteria_set.pk}/whatif/")
    form = page.get_by_test_id("whatif-form")
    form.locator("input[name=weight-revenue]").fill("50")
    form.locator("input[name=weight-outsourcing]").fill("30")
    page.get_by_test_id("whatif-submit").click()
    expect(page.get_by_test_id("movements")).to_contain_text("B")
    expect(page.get_by_test_id("spearman")).to_have_text("0.893")
    screenshot("scoring-whatif")

    assert csp_violations == []
