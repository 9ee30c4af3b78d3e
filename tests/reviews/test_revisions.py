"""Revisions for next year: drafts copied from this year's goals, criteria sets and tier
policies, each a diff against this year; refused clearly where next year is taken or locked."""

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation.criteria import goals as criteria_goals
from evaluation.criteria import services as criteria_services
from evaluation.criteria import tier_policies
from evaluation.models import CriteriaSet, Goal, TierPolicy
from evaluation.scoring.runs import score_run_create
from reviews import revision_rows, revisions
from reviews.models import ReviewStep
from reviews.scopes import ReviewScope
from tests.evaluation.conftest import make_example_customers
from tests.reviews.conftest import YEAR

pytestmark = pytest.mark.usefixtures("english")
NEXT = YEAR + 1


def test_next_years_criteria_draft_is_a_copy_with_its_tiers(approved_list, example_set, people):
    draft = revisions.criteria_draft_create(source=example_set, by=people.bob)
    assert (draft.year, draft.status, draft.copied_from) == (NEXT, "draft", example_set)
    assert [c.key for c in draft.criteria.all()] == ["revenue", "employees", "outsourcing"]
    assert TierPolicy.objects.filter(segment=example_set.segment, year=NEXT).exists()
    example_set.refresh_from_db()
    assert example_set.status == CriteriaSet.Status.LOCKED  # this year's never changes
    assert ReviewStep.objects.get().kind == "draft_created"


def test_the_draft_takes_the_suggested_weights_and_this_year_keeps_its_own(
    approved_list, example_set, people
):
    weights = {"revenue": 0, "employees": 32, "outsourcing": 68}
    draft = revisions.criteria_draft_create(source=example_set, by=people.bob, weights=weights)
    assert {c.key: c.weight for c in draft.criteria.all()} == {
        "revenue": Decimal(0),
        "employees": Decimal(32),
        "outsourcing": Decimal(68),
    }
    assert {c.key: c.weight for c in example_set.criteria.all()} == {
        "revenue": Decimal(30),
        "employees": Decimal(20),
        "outsourcing": Decimal(50),
    }
    assert criteria_services.publish_problems(draft) == []


def test_weights_for_other_criteria_are_refused_and_nothing_is_copied(
    approved_list, example_set, people
):
    with pytest.raises(ValidationError, match="do not match the set's criteria"):
        revisions.criteria_draft_create(source=example_set, by=people.bob, weights={"revenue": 100})
    assert not CriteriaSet.objects.filter(year=NEXT).exists()
    assert not TierPolicy.objects.filter(year=NEXT).exists()


def test_a_revision_for_a_year_with_a_locked_set_is_refused(approved_list, example_set, people):
    draft = revisions.criteria_draft_create(source=example_set, by=people.bob)
    criteria_services.criteria_set_lock(criteria_set=draft)
    with pytest.raises(ValidationError, match="is locked: an approved target list uses it"):
        revisions.criteria_draft_create(source=example_set, by=people.bob)
    policy = TierPolicy.objects.get(segment=example_set.segment, year=YEAR)
    TierPolicy.objects.filter(year=NEXT).delete()
    with pytest.raises(ValidationError, match="is locked"):
        revisions.tier_policy_draft_create(source=policy, by=people.bob)
    assert not TierPolicy.objects.filter(year=NEXT).exists()


def test_a_revision_for_a_year_that_already_has_a_draft_says_so(approved_list, example_set, people):
    revisions.criteria_draft_create(source=example_set, by=people.bob)
    with pytest.raises(ValidationError, match="already has a 2028 criteria set \\(Draft\\)"):
        revisions.criteria_draft_create(source=example_set, by=people.bob)


def test_someone_without_edit_rights_cannot_draft(approved_list, example_set, people):
    for outsider in (people.dave, people.eve, people.carol, people.heidi):
        with pytest.raises(PermissionDenied):
            revisions.criteria_draft_create(source=example_set, by=outsider)


def test_a_tier_policy_drafted_first_is_not_overwritten_by_the_criteria_copy(
    approved_list, example_set, people
):
    policy = TierPolicy.objects.get(segment=example_set.segment, year=YEAR)
    drafted = revisions.tier_policy_draft_create(source=policy, by=people.bob)
    tiers = [criteria_services.tier_document(t) for t in drafted.tiers.all()]
    tiers[0]["development_principle"] = "高层定期拜访"
    tier_policies.tier_policy_save(
        business_unit=drafted.business_unit,
        segment=drafted.segment,
        year=NEXT,
        tiers=tiers,
        expected_version=drafted.version,
        by=people.bob,
    )
    revisions.criteria_draft_create(source=example_set, by=people.bob)
    tier = TierPolicy.objects.get(segment=example_set.segment, year=NEXT).tiers.get(code="A")
    assert tier.development_principle == "高层定期拜访"


def test_goals_are_drafted_for_next_year_and_shown_as_a_diff(people, org):
    goal = criteria_goals.goal_save(
        year=YEAR,
        by=people.bob,
        business_unit=org.bu1,
        strategy="服务好重点客户",
        target_customer_count=30,
        target_revenue=Decimal("50000000"),
    )
    draft = revisions.goal_draft_create(source=goal, by=people.bob)
    assert (draft.year, draft.strategy, draft.target_customer_count) == (NEXT, goal.strategy, 30)
    criteria_goals.goal_save(
        year=NEXT,
        by=people.bob,
        business_unit=org.bu1,
        strategy="服务好重点客户",
        target_customer_count=40,
        target_revenue=Decimal("50000000"),
    )
    rows = revision_rows.revision_rows(ReviewScope("bu", org.bu1), YEAR, people.bob)["goals"]
    [row] = rows
    assert [(c.field, c.before, c.after) for c in row.changes] == [
        ("number of target customers", "30", "40")
    ]
    assert row.may_edit and not row.may_create


def test_goals_already_drafted_or_confirmed_are_not_copied_again(people, org):
    goal = criteria_goals.goal_save(
        year=YEAR, by=people.carol, business_group=org.bg1, strategy="增长"
    )
    revisions.goal_draft_create(source=goal, by=people.carol)
    with pytest.raises(ValidationError, match="already has goals for 2028"):
        revisions.goal_draft_create(source=goal, by=people.carol)
    Goal.objects.filter(year=NEXT).update(confirmed_by=people.carol)
    from django.utils import timezone

    Goal.objects.filter(year=NEXT).update(confirmed_at=timezone.now())
    with pytest.raises(ValidationError, match="already confirmed"):
        revisions.goal_draft_create(source=goal, by=people.carol)
    assert Goal.objects.filter(year=NEXT).count() == 1


def test_a_bu_vp_cannot_draft_the_bg_goals(people, org):
    goal = criteria_goals.goal_save(
        year=YEAR, by=people.carol, business_group=org.bg1, strategy="增长"
    )
    with pytest.raises(PermissionDenied):
        revisions.goal_draft_create(source=goal, by=people.bob)


def test_revision_rows_show_each_criteria_change_against_this_year(
    approved_list, example_set, people, org
):
    draft = revisions.criteria_draft_create(
        source=example_set,
        by=people.bob,
        weights={"revenue": 0, "employees": 32, "outsourcing": 68},
    )
    rows = revision_rows.revision_rows(ReviewScope("bu", org.bu1), YEAR, people.bob)
    [row] = rows["criteria"]
    assert row.this_year == example_set and row.next_year == draft
    assert {(c.item, c.field, c.before, c.after) for c in row.changes} == {
        ("revenue", "weight", "30", "0"),
        ("employees", "weight", "20", "32"),
        ("outsourcing", "weight", "50", "68"),
    }
    assert row.may_edit and not row.locked
    [tier_row] = rows["tiers"]
    assert tier_row.changes == [] and tier_row.next_set == draft


def test_a_segment_manager_may_draft_their_segments_override(
    approved_list, example_set, people, org
):
    rows = revision_rows.revision_rows(ReviewScope("segment", org.auto), YEAR, people.alice)
    [row] = rows["criteria"]
    assert row.may_create  # AUTO's own override: alice edits it


SUGGESTED = {"revenue": 0, "employees": 32, "outsourcing": 68}


def test_suggested_weights_go_into_next_years_existing_set(approved_list, example_set, people):
    published = criteria_services.criteria_set_copy(source=example_set, year=NEXT, by=people.bob)
    criteria_services.criteria_set_publish(criteria_set=published, by=people.bob)
    updated = revisions.criteria_weights_apply(source=example_set, weights=SUGGESTED, by=people.bob)
    assert updated.pk == published.pk and updated.has_pending_draft
    assert {c.key: int(c.weight) for c in updated.criteria.all()} == SUGGESTED
    assert {c.key: int(c.weight) for c in example_set.criteria.all()}["revenue"] == 30


def test_suggested_weights_are_refused_for_a_locked_next_year(approved_list, example_set, people):
    draft = criteria_services.criteria_set_copy(source=example_set, year=NEXT, by=people.bob)
    criteria_services.criteria_set_lock(criteria_set=draft)
    with pytest.raises(ValidationError, match="is locked"):
        revisions.criteria_weights_apply(source=example_set, weights=SUGGESTED, by=people.bob)
    assert {c.key: int(c.weight) for c in draft.criteria.all()}["revenue"] == 30


def test_suggested_weights_need_next_years_set_to_exist(approved_list, example_set, people):
    with pytest.raises(ValidationError, match="has no 2028 criteria set yet"):
        revisions.criteria_weights_apply(source=example_set, weights=SUGGESTED, by=people.bob)


def test_suggested_weights_never_unpublish_next_years_set(approved_list, example_set, people):
    published = criteria_services.criteria_set_copy(source=example_set, year=NEXT, by=people.bob)
    criteria_services.criteria_set_publish(criteria_set=published, by=people.bob)
    revisions.criteria_weights_apply(source=example_set, weights=SUGGESTED, by=people.bob)
    published.refresh_from_db()
    assert (published.status, published.published_version) == (CriteriaSet.Status.PUBLISHED, 1)
    assert {c.key: int(c.weight) for c in published.criteria_in_force()}["revenue"] == 30


def _bu_default(document, year, publish):
    document = copy.deepcopy(document) | {"year": year, "scope": {"bu": "BU1"}}
    document.pop("tiers", None)
    return criteria_services.criteria_set_load(document=document, publish=publish)


def test_suggested_weights_for_the_bu_default_leave_another_segment_scoring(document, org, people):
    """The back-test's "write weights to next year" on the BU default: ELEC, which has no
    override, still scores next year with the published default."""
    this_year = _bu_default(document, YEAR, publish=True)
    _bu_default(document, NEXT, publish=True)
    make_example_customers(org, segment=org.elec, year=YEAR)
    revisions.criteria_weights_apply(source=this_year, weights=SUGGESTED, by=people.bob)
    default = CriteriaSet.objects.get(segment=None, business_unit=org.bu1, year=NEXT)
    assert (default.status, default.published_version, default.version) == ("published", 1, 2)
    run = score_run_create(segment=org.elec, year=NEXT)
    assert run.criteria_set == default and run.criteria_set_version == 1
    assert {c["key"]: c["weight"] for c in run.criteria}["revenue"] == "30.00"
