"""The reads behind the review pages (reviews.reads), one behaviour a test."""

from django.utils import timezone

from evaluation.models import Goal
from reviews import reads
from tests.reviews.conftest import YEAR, record


def test_approved_years_are_the_years_with_an_approved_list(approved_list):
    assert reads.approved_years() == {YEAR}


def test_approved_years_leave_out_lists_not_yet_approved(example_list):
    assert reads.approved_years() == set()


def test_review_year_without_any_approved_list_is_this_year(db):
    assert reads.review_year() == timezone.localdate().year


def test_review_year_is_the_year_of_the_approved_list(approved_list):
    assert reads.review_year() == YEAR


def test_next_goals_are_the_bg_s_goals_of_the_following_year(org, people):
    Goal.objects.create(business_group=org.bg1, year=YEAR)
    following = Goal.objects.create(business_group=org.bg1, year=YEAR + 1)
    assert list(reads.next_goals(org.bg1, YEAR)) == [following]


def test_result_years_are_the_years_the_owner_has_approved_targets(approved_list, people):
    assert reads.result_years(people.dave) == {YEAR}


def test_result_years_are_empty_for_someone_who_owns_no_target(approved_list, people):
    assert reads.result_years(people.alice) == set()


def test_owned_entries_are_the_owner_s_six_targets(approved_list, people):
    assert reads.owned_entries(people.dave, YEAR).count() == 6


def test_owned_entries_say_which_have_a_result(approved_list, people):
    record(approved_list, people, "G", 1000)
    flags = {e.customer.name_zh: e.has_result for e in reads.owned_entries(people.dave, YEAR)}
    assert flags["G"] is True and flags["A"] is False


def test_without_result_keeps_the_targets_still_missing_one(approved_list, people):
    record(approved_list, people, "G", 1000)
    assert reads.without_result(reads.owned_entries(people.dave, YEAR)).count() == 5


def test_entries_for_results_load_customer_segment_and_bu(approved_list, django_assert_num_queries):
    pk = approved_list.entries.targets().first().pk
    with django_assert_num_queries(1):
        entry = reads.entries_for_results().get(pk=pk)
        assert entry.target_list.segment.business_unit.code == "BU1" and entry.customer.name_zh


def test_criteria_sets_with_scope_load_bu_and_segment(example_set, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = reads.criteria_sets_with_scope().get(pk=example_set.pk)
        assert found.business_unit.code == "BU1" and found.segment.code == "AUTO"
