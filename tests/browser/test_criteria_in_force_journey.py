"""A segment manager edits her published set while scoring, in headless Chromium: the page says
version 1 stays in force and version 2 is a draft; a run made meanwhile uses version 1; once
she publishes version 2, the next run uses it."""

import copy

import pytest
from playwright.sync_api import expect

from evaluation.criteria import services
from evaluation.models import CriteriaSet, ScoreRun
from tests.conftest import PASSWORD
from tests.evaluation.conftest import DESIGN_EXAMPLE, EXAMPLE_TIERS, make_example_customers
from tests.factories import attribute_with_options

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published_set(org):
    attribute_with_options("outsourcing_attitude", "open", "neutral", "closed")
    document = copy.deepcopy(DESIGN_EXAMPLE) | {"tiers": copy.deepcopy(EXAMPLE_TIERS)}
    criteria_set = services.criteria_set_load(document=document, publish=True)
    make_example_customers(org)
    return criteria_set


def score(page, live_server):
    page.goto(f"{live_server.url}/criteria/runs/AUTO/2027/")
    page.get_by_test_id("score-button").click()
    expect(page.get_by_test_id("score-progress")).to_have_attribute("data-finished", "true")
    page.get_by_test_id("run-link").click()
    return ScoreRun.objects.order_by("-pk").first()


def weights(run):
    return {c["key"]: c["weight"] for c in run.criteria}


def test_a_published_set_edited_while_scoring_keeps_scoring_with_the_published_version(
    csp_violations, page, people, published_set, log_in, live_server, screenshot
):
    log_in("alice", PASSWORD)
    page.goto(f"{live_server.url}{published_set.get_absolute_url()}")
    expect(page.get_by_test_id("in-force")).to_contain_text("版本 1 正在生效")

    # Saving the weights unchanged writes nothing.
    page.get_by_test_id("save-weights").click()
    expect(page.locator(".alert").first).to_contain_text("内容未改动")
    assert CriteriaSet.objects.get(pk=published_set.pk).version == 1

    page.get_by_test_id("weight-revenue").fill("40")
    page.get_by_test_id("weight-employees").fill("10")
    page.get_by_test_id("save-weights").click()
    in_force = page.get_by_test_id("in-force")
    expect(in_force).to_contain_text("版本 1 正在生效")
    expect(in_force.get_by_test_id("pending-draft")).to_contain_text("版本 2 为草稿")
    screenshot("criteria-draft-beside-the-version-in-force")

    page.goto(f"{live_server.url}/criteria/?year=2027")
    row = page.get_by_test_id("scope-AUTO")
    expect(row.get_by_test_id("in-force")).to_contain_text("v1")
    expect(row.get_by_test_id("pending-draft")).to_contain_text("v2")

    meanwhile = score(page, live_server)
    expect(page.get_by_test_id("run-header")).to_contain_text("第 1 版")
    assert meanwhile.criteria_set_version == 1
    assert weights(meanwhile) == {"revenue": "30.00", "employees": "20.00", "outsourcing": "50.00"}

    page.goto(f"{live_server.url}{published_set.get_absolute_url()}")
    page.get_by_test_id("compare-draft").click()
    expect(page.get_by_test_id("in-force")).to_contain_text("版本 1 正在生效")
    page.goto(f"{live_server.url}{published_set.get_absolute_url()}")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("in-force")).to_contain_text("版本 2 正在生效")
    expect(page.get_by_test_id("pending-draft")).to_have_count(0)

    after = score(page, live_server)
    assert after.criteria_set_version == 2
    assert weights(after)["revenue"] == "40.00"
    assert csp_violations == []
