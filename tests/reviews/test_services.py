"""Review services: recording results, the segment summary, the BU sign-off, confirming next
year's goals; each refused with a clear message and nothing half-written."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from evaluation.criteria import goals as criteria_goals
from evaluation.lists.approval import target_list_revise
from evaluation.lists.services import target_list_owners_assign
from evaluation.models import Goal
from reviews import services
from reviews.models import BUReview, DevelopmentResult, ReviewStep, SegmentReview, Stage
from tests.reviews.conftest import YEAR, entry_of, record

pytestmark = pytest.mark.usefixtures("english")


# --- Results ------------------------------------------------------------------------------------


def test_an_owner_records_a_result_for_a_target(approved_list, people):
    result = record(approved_list, people, "G", Decimal("1234567.89"), "won", 2, "首单")
    assert result.revenue_won == Decimal("1234567.89")
    assert (result.stage, result.contracts_signed, result.notes) == ("won", 2, "首单")
    assert (result.year, result.segment.code) == (YEAR, "AUTO")
    assert result.updated_by == people.dave


def test_recording_again_updates_the_one_result_and_keeps_history(approved_list, people):
    record(approved_list, people, "G", 100, "proposal")
    record(approved_list, people, "G", 200, "won")
    result = DevelopmentResult.objects.get()
    assert (result.revenue_won, result.stage) == (Decimal(200), "won")
    assert result.history.count() == 2
    assert result.history.first().history_user == people.dave


def test_a_customer_that_is_not_a_target_is_refused(approved_list, people):
    # H is a general customer: the run kept it out of the tiers, so it has no target entry.
    from customers.models import Customer
    from evaluation.models import TargetEntry

    general = TargetEntry(
        target_list=approved_list, customer=Customer.objects.get(name_zh="H"), tier=""
    )
    with pytest.raises(ValidationError, match="not a target customer of an approved list"):
        services.result_record(
            entry=general, by=people.dave, revenue_won=0, contracts_signed=0, stage="contacted"
        )
    assert not DevelopmentResult.objects.exists()


def test_a_draft_list_takes_no_results(example_list, people):
    target_list_owners_assign(
        target_list=example_list,
        entry_ids=list(example_list.entries.targets().values_list("pk", flat=True)),
        owner=people.dave,
        by=people.alice,
    )
    with pytest.raises(ValidationError, match="not a target customer of an approved list"):
        record(example_list, people, "G", 100)


def test_negative_revenue_is_refused(approved_list, people):
    with pytest.raises(ValidationError) as error:
        record(approved_list, people, "G", Decimal("-1"))
    assert error.value.message_dict["revenue_won"] == ["Revenue won cannot be negative."]
    assert not DevelopmentResult.objects.exists()


def test_a_stage_that_does_not_exist_is_refused(approved_list, people):
    with pytest.raises(ValidationError) as error:
        record(approved_list, people, "G", 100, stage="signed")
    assert "“signed” is not a relationship stage" in error.value.message_dict["stage"][0]


def test_negative_contracts_are_refused(approved_list, people):
    with pytest.raises(ValidationError) as error:
        record(approved_list, people, "G", 100, contracts=-2)
    assert "contracts_signed" in error.value.message_dict


def test_only_the_owner_records(approved_list, people):
    with pytest.raises(PermissionDenied):
        services.result_record(
            entry=entry_of(approved_list, "G"),
            by=people.alice,
            revenue_won=1,
            contracts_signed=0,
            stage="won",
        )


def test_an_owner_who_left_the_account_manager_role_no_longer_records(approved_list, people):
    people.dave.role_memberships.all().delete()
    people.dave._role_memberships_cache = None
    with pytest.raises(PermissionDenied):
        record(approved_list, people, "G", 1)


def test_a_result_survives_a_revision_of_the_list(approved_list, people):
    record(approved_list, people, "G", 100)
    revision = target_list_revise(target_list=approved_list, by=people.alice, reason="更正")
    # The approved revision stays in force while the new one is a draft.
    record(approved_list, people, "G", 300)
    assert DevelopmentResult.objects.get().revenue_won == Decimal(300)
    with pytest.raises(ValidationError):
        record(revision, people, "G", 1)


def test_the_database_refuses_a_negative_revenue_or_unknown_stage(approved_list, people):
    result = record(approved_list, people, "G", 100)
    with pytest.raises(IntegrityError), transaction.atomic():
        DevelopmentResult.objects.filter(pk=result.pk).update(revenue_won=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        DevelopmentResult.objects.filter(pk=result.pk).update(stage="bogus")


def test_the_database_holds_one_result_per_segment_year_and_customer(approved_list, people):
    result = record(approved_list, people, "G", 100)
    with pytest.raises(IntegrityError), transaction.atomic():
        DevelopmentResult.objects.create(
            segment=result.segment,
            year=result.year,
            customer=result.customer,
            target_entry=result.target_entry,
            stage=Stage.WON,
        )


def test_had_activity_and_converted(approved_list, people):
    assert record(approved_list, people, "G", 0, "identified").had_activity is False
    assert record(approved_list, people, "A", 0, "dormant").had_activity is False
    contacted = record(approved_list, people, "F", 0, "contacted")
    assert contacted.had_activity and not contacted.converted
    won = record(approved_list, people, "E", 10, "won")
    assert won.had_activity and won.converted


# --- Segment summary -----------------------------------------------------------------------------


def test_the_segment_manager_summarises_and_the_step_is_recorded(approved_list, people, org):
    review = services.segment_review_summarise(
        segment=org.auto, year=YEAR, summary="重点客户全部接触", by=people.alice
    )
    assert review.summarised_by == people.alice and review.summarised_at
    step = ReviewStep.objects.get()
    assert (step.kind, step.segment, step.by) == ("summarised", org.auto, people.alice)


def test_a_segment_manager_of_another_segment_cannot_summarise(approved_list, people, org):
    with pytest.raises(PermissionDenied):
        services.segment_review_summarise(segment=org.auto, year=YEAR, summary="x", by=people.eve)


def test_a_summary_needs_an_approved_list(people, org):
    with pytest.raises(ValidationError, match="has no approved target list for 2027"):
        services.segment_review_summarise(segment=org.auto, year=YEAR, summary="x", by=people.alice)


def test_an_empty_summary_is_refused(approved_list, people, org):
    with pytest.raises(ValidationError, match="Write the summary first"):
        services.segment_review_summarise(
            segment=org.auto, year=YEAR, summary="  ", by=people.alice
        )


# --- BU sign-off --------------------------------------------------------------------------------


@pytest.fixture
def summarised(approved_list, people, org):
    services.segment_review_summarise(segment=org.auto, year=YEAR, summary="完成", by=people.alice)
    return approved_list


def test_the_bu_vp_signs_off_once(summarised, people, org):
    review = services.bu_review_sign_off(
        business_unit=org.bu1, year=YEAR, by=people.bob, comment="同意"
    )
    assert review.signed_off_by == people.bob and review.signed_off_at
    assert ReviewStep.objects.filter(kind="signed_off", business_unit=org.bu1).count() == 1


def test_a_review_signed_off_twice_is_refused_with_who_and_when(summarised, people, org):
    services.bu_review_sign_off(business_unit=org.bu1, year=YEAR, by=people.bob)
    with pytest.raises(ValidationError, match="already signed off by Bob"):
        services.bu_review_sign_off(business_unit=org.bu1, year=YEAR, by=people.bob, comment="再签")
    review = BUReview.objects.get()
    assert review.comment == ""
    assert ReviewStep.objects.filter(kind="signed_off").count() == 1


def test_sign_off_waits_for_the_segment_summaries(approved_list, people, org):
    with pytest.raises(ValidationError, match="no summary yet"):
        services.bu_review_sign_off(business_unit=org.bu1, year=YEAR, by=people.bob)
    assert not BUReview.objects.filter(signed_off_at__isnull=False).exists()


def test_only_the_bu_vp_of_the_bu_signs_off(summarised, people, org):
    for outsider in (people.alice, people.carol, people.heidi, people.dave):
        with pytest.raises(PermissionDenied):
            services.bu_review_sign_off(business_unit=org.bu1, year=YEAR, by=outsider)


def test_summaries_are_frozen_after_sign_off(summarised, people, org):
    services.bu_review_sign_off(business_unit=org.bu1, year=YEAR, by=people.bob)
    with pytest.raises(ValidationError, match="can no longer change"):
        services.segment_review_summarise(
            segment=org.auto, year=YEAR, summary="改写", by=people.alice
        )
    assert SegmentReview.objects.get().summary == "完成"


def test_nothing_to_sign_off_without_an_approved_list(people, org):
    with pytest.raises(ValidationError, match="nothing to sign off"):
        services.bu_review_sign_off(business_unit=org.bu1, year=YEAR, by=people.bob)


# --- Goal confirmation -------------------------------------------------------------------------


def test_the_bg_vp_confirms_next_years_goals_once(people, org):
    goal = criteria_goals.goal_save(
        year=YEAR + 1, by=people.carol, business_group=org.bg1, strategy="增长"
    )
    unit_goal = criteria_goals.goal_save(
        year=YEAR + 1, by=people.bob, business_unit=org.bu1, strategy="服务"
    )
    services.goals_confirm(business_group=org.bg1, year=YEAR + 1, by=people.carol)
    goal.refresh_from_db()
    unit_goal.refresh_from_db()
    assert goal.confirmed_by == people.carol and goal.confirmed_at
    assert unit_goal.confirmed_by == people.carol
    assert goal.history.first().confirmed_by_id == people.carol.pk
    step = ReviewStep.objects.get(kind="goals_confirmed")
    assert step.year == YEAR and step.by == people.carol
    with pytest.raises(ValidationError, match="already confirmed by Carol"):
        services.goals_confirm(business_group=org.bg1, year=YEAR + 1, by=people.carol)


def test_confirming_needs_next_years_goals(people, org):
    with pytest.raises(ValidationError, match="has no goals for 2028"):
        services.goals_confirm(business_group=org.bg1, year=YEAR + 1, by=people.carol)


def test_only_the_bg_vp_of_the_bg_confirms(people, org):
    criteria_goals.goal_save(
        year=YEAR + 1, by=people.carol, business_group=org.bg1, strategy="增长"
    )
    for outsider in (people.bob, people.ivan, people.alice):
        with pytest.raises(PermissionDenied):
            services.goals_confirm(business_group=org.bg1, year=YEAR + 1, by=outsider)
    assert Goal.objects.get().confirmed_at is None
