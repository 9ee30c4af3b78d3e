"""The annual review in headless Chromium: the demo carried through 2027 (AUTO's approved list
of the hand example, results seeded for every target, the segment summarised), then the BU VP
opens the review, reads the results and the back-test, creates next year's criteria draft from
the suggested weights, and signs the BU review off."""

import re

import pytest
from playwright.sync_api import expect

from evaluation.models import CriteriaSet
from reviews.backtest_data import set_backtest
from reviews.demo import seed_reviews
from reviews.models import BUReview, ReviewStep
from tests.conftest import PASSWORD
from tests.evaluation.conftest import (  # noqa: F401 - fixtures this journey builds on
    document,
    example_customers,
    example_list,
    example_set,
)
from tests.reviews.conftest import YEAR, approve_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reviewed_year(example_list, people):  # noqa: F811 - the imported fixture
    """AUTO's 2027 list approved, then the year carried through by the demo seed."""
    approve_list(example_list, people)
    report = seed_reviews(YEAR, missing_share=0)
    assert report["results"] == 6 and report["summaries"] == 1
    return example_list


def test_the_bu_vp_reviews_the_year_drafts_next_years_criteria_and_signs_off(
    csp_violations,
    page,
    people,
    example_set,  # noqa: F811 - the imported fixture
    reviewed_year,
    log_in,
    live_server,
    screenshot,
):
    expected = set_backtest(example_set, YEAR)
    assert expected.suggestion is not None

    log_in("bob", PASSWORD)
    page.get_by_test_id("main-nav").locator('a[href="/reviews/"]').click()
    page.get_by_test_id("scope-BU1").click()
    expect(page).to_have_url(re.compile(rf"/reviews/{YEAR}/bu/BU1/$"))

    # Results and back-test figures on the review page.
    expect(page.get_by_test_id("kf-targets")).to_have_text("6")
    expect(page.get_by_test_id("kf-recorded")).to_have_text("6")
    expect(page.get_by_test_id("tier-row-A")).to_be_visible()
    rho = f"{expected.total.rho:.3f}"
    expect(page.get_by_test_id("backtest-summary").get_by_test_id("rho")).to_have_text(rho)
    expect(page.locator("#revenue-chart")).to_be_visible()
    screenshot("review-bu")

    # The back-test with its suggestion; next year's draft made from it.
    page.get_by_test_id("tab-backtest").click()
    expect(page.get_by_test_id("rho-total").get_by_test_id("rho")).to_have_text(rho)
    for key, weight in expected.suggestion.items():
        expect(page.get_by_test_id(f"suggested-{key}")).to_have_text(str(weight))
    expect(page.get_by_test_id("backtest-too-small")).to_be_visible()
    screenshot("review-backtest")
    page.get_by_test_id("draft-from-suggestion").click()
    expect(page).to_have_url(re.compile(r"/criteria/\d+/$"))
    draft = CriteriaSet.objects.get(year=YEAR + 1)
    assert draft.status == CriteriaSet.Status.DRAFT
    assert {c.key: int(c.weight) for c in draft.criteria.all()} == expected.suggestion
    screenshot("review-next-year-draft")

    # The revisions page shows the draft against this year.
    page.goto(f"{live_server.url}/reviews/{YEAR}/bu/BU1/revisions/")
    expect(
        page.get_by_test_id("revision-criteria-AUTO").get_by_test_id("change-row").first
    ).to_be_visible()

    # Sign-off, once.
    page.get_by_test_id("tab-review").click()
    page.locator("#id_comment").fill("同意，明年提高外包接受程度的权重。")
    page.get_by_test_id("sign-off").click()
    expect(page.get_by_test_id("signed-off")).to_be_visible()
    expect(page.get_by_test_id("sign-off")).to_have_count(0)
    expect(page.get_by_test_id("review-trail")).to_contain_text("同意")
    screenshot("review-signed-off")
    assert BUReview.objects.get().signed_off_by == people.bob
    assert ReviewStep.objects.filter(kind="signed_off").count() == 1

    # The Excel export and the print view.
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename == f"review-BU1-{YEAR}.xlsx"
    page.get_by_test_id("print-view").click()
    expect(page.get_by_test_id("print-bar")).to_be_visible()
    expect(page.get_by_test_id("review-tabs")).to_be_hidden()
    expect(page.get_by_test_id("export-xlsx")).to_be_hidden()
    screenshot("review-print-view")
    assert csp_violations == []


def test_an_owner_saves_a_result_in_place_and_the_missing_count_follows(
    page,
    people,
    example_list,  # noqa: F811 - the imported fixture
    log_in,
    live_server,
):
    approve_list(example_list, people)  # six targets owned by dave, no result yet
    log_in("dave", PASSWORD)
    page.goto(f"{live_server.url}/reviews/results/?year={YEAR}")
    summary = page.get_by_test_id("missing-summary")
    expect(summary).to_contain_text("6 家客户尚无结果")
    row = page.get_by_test_id("my-results").locator("form").first
    row.get_by_label("赢得收入（元）").fill("1200000")
    row.get_by_test_id("save-result").click()
    expect(page.get_by_test_id("saved-flag")).to_be_visible()
    expect(summary).to_contain_text("5 家客户尚无结果")
    assert "/reviews/results/" in page.url  # swapped in place, no page load
