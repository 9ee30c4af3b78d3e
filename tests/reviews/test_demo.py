"""The demo carries the year through: results, summaries, sign-offs; idempotent."""

from reviews.demo import seed_reviews
from reviews.models import DevelopmentResult, SegmentReview
from tests.reviews.conftest import YEAR


def test_without_approved_lists_the_demo_does_nothing(example_list):
    report = seed_reviews(YEAR)
    assert (report["results"], report["summaries"]) == (0, 0)
    assert not DevelopmentResult.objects.exists()
    assert seed_reviews()["results"] == 0  # no approved list up to this year at all


def test_owners_record_results_and_managers_summarise(approved_list, people):
    report = seed_reviews(YEAR, missing_share=0)
    assert report["results"] == 6
    assert set(DevelopmentResult.objects.values_list("updated_by", flat=True)) == {people.dave.pk}
    assert SegmentReview.objects.get().summarised_by == people.alice


def test_some_results_are_left_missing_to_show(approved_list):
    seed_reviews(YEAR, missing_share=1)
    assert not DevelopmentResult.objects.exists()


def test_a_second_run_changes_nothing(approved_list):
    seed_reviews(YEAR, missing_share=0)
    before = list(DevelopmentResult.objects.values_list("pk", "revenue_won", "stage"))
    assert seed_reviews(YEAR, missing_share=0) == {
        "year": YEAR,
        "results": 0,
        "summaries": 0,
        "signed_off": 0,
    }
    assert list(DevelopmentResult.objects.values_list("pk", "revenue_won", "stage")) == before


def test_the_demo_results_make_a_back_test_with_a_suggestion(approved_list, example_set):
    from reviews.backtest_data import set_backtest

    seed_reviews(YEAR, missing_share=0)
    result = set_backtest(example_set, YEAR)
    assert result.total.n == 6 and result.suggestion is not None
