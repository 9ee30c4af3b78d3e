"""Target lists: built from a run, edited while a draft, moved through approval."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from evaluation.criteria import services
from evaluation.lists import approval
from evaluation.lists.approval import (
    target_list_approve,
    target_list_consolidate,
    target_list_revise,
    target_list_send_back,
    target_list_submit,
)
from evaluation.lists.claims import claimed_twice, target_claim_resolve
from evaluation.lists.people import can_view
from evaluation.lists.services import (
    target_entry_plan_save,
    target_entry_tier_override,
    target_list_build,
    target_list_owners_assign,
    target_lists_score_and_build,
)
from evaluation.models import CriteriaSet, ListTransition, TargetList
from evaluation.scoring.runs import score_run_create
from organisation.models import Notification
from tests.evaluation.conftest import make_example_customers

State = TargetList.State


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def tiers_of(target_list):
    return {e.customer.name_zh: e.tier for e in target_list.entries.select_related("customer")}


def owned(target_list, owner, by):
    ids = list(target_list.entries.targets().values_list("pk", flat=True))
    target_list_owners_assign(target_list=target_list, entry_ids=ids, owner=owner, by=by)
    return target_list


@pytest.fixture
def ready(example_list, people):
    """The example list with every target owned by dave."""
    return owned(example_list, people.dave, people.alice)


# --- Building ---------------------------------------------------------------------------------


def test_a_list_holds_the_customers_the_run_tiered(example_list):
    assert tiers_of(example_list) == {"G": "A", "A": "B", "F": "B", "E": "B", "B": "C", "C": "C"}
    assert example_list.state == State.DRAFT
    assert example_list.transitions.get().action == ListTransition.Action.CREATE


def test_rebuilding_a_draft_keeps_owners_plans_and_overrides(example_list, people, org):
    owned(example_list, people.dave, people.alice)
    entry = example_list.entries.get(customer__name_zh="G")
    target_entry_plan_save(
        entry=entry, objective="拓展", actions="拜访", next_date=None, by=people.alice
    )
    target_entry_tier_override(
        target_list=example_list,
        customer_id=example_list.run.entries.get(customer__name_zh="H").customer_id,
        tier="C",
        reason="战略合作伙伴",
        by=people.alice,
    )
    rebuilt = target_list_build(run=score_run_create(segment=org.auto, year=2027))
    assert rebuilt.pk == example_list.pk
    g = rebuilt.entries.get(customer__name_zh="G")
    assert (g.owner, g.plan_objective) == (people.dave, "拓展")
    h = rebuilt.entries.get(customer__name_zh="H")
    assert (h.tier, h.override_reason) == ("C", "战略合作伙伴")
    assert rebuilt.transitions.last().action == ListTransition.Action.REBUILD


def test_a_submitted_list_is_not_rebuilt_by_a_new_run(ready, people, org):
    target_list_submit(target_list=ready, by=people.alice)
    run = score_run_create(segment=org.auto, year=2027)
    assert target_list_build(run=run) is None
    ready.refresh_from_db()
    assert ready.run_id != run.pk


def test_score_and_build_reports_lists_left_alone(ready, people, org):
    target_list_submit(target_list=ready, by=people.alice)
    report = target_lists_score_and_build(year=2027, segments=[org.auto])
    assert report["scored"][0]["list"] == ready.pk
    assert "left as it is (Submitted)" in report["scored"][0]["list_note"]


def test_all_customers_screened_out_gives_an_empty_list(org, example_set):
    customers = make_example_customers(org)
    from customers.models import AttributeValue

    AttributeValue.objects.filter(customer__in=customers.values()).update(
        option=AttributeValue.objects.first().attribute.options.get(key="closed")
    )
    run = score_run_create(segment=org.auto, year=2027)
    target_list = target_list_build(run=run)
    assert run.funnel["passed_gates"] == 0
    assert target_list.entries.count() == 0


# --- Editing ----------------------------------------------------------------------------------


def test_owners_must_be_account_managers_of_the_bu(example_list, people):
    with pytest.raises(ValidationError, match="not an account manager of"):
        owned(example_list, people.erin, people.alice)


def test_another_segments_manager_cannot_assign_owners(example_list, people):
    with pytest.raises(PermissionDenied):
        owned(example_list, people.dave, people.eve)


def test_assigning_owners_notifies_the_owner(example_list, people):
    owned(example_list, people.dave, people.alice)
    assert Notification.objects.filter(recipient=people.dave).count() == 1


def test_an_override_needs_a_reason(example_list, people):
    customer = example_list.entries.get(customer__name_zh="G").customer_id
    with pytest.raises(ValidationError, match="reason"):
        target_entry_tier_override(
            target_list=example_list, customer_id=customer, tier="B", reason="  ", by=people.alice
        )
    assert example_list.entries.get(customer_id=customer).tier == "A"


def test_an_override_is_kept_with_its_reason(example_list, people):
    customer = example_list.entries.get(customer__name_zh="G").customer_id
    entry = target_entry_tier_override(
        target_list=example_list, customer_id=customer, tier="", reason="已有合作", by=people.alice
    )
    assert (entry.tier, entry.scored_tier, entry.is_override) == ("", "A", True)


def test_choosing_the_scored_tier_removes_the_override(example_list, people):
    customer = example_list.entries.get(customer__name_zh="G").customer_id
    target_entry_tier_override(
        target_list=example_list, customer_id=customer, tier="B", reason="x", by=people.alice
    )
    entry = target_entry_tier_override(
        target_list=example_list, customer_id=customer, tier="A", reason="", by=people.alice
    )
    assert (entry.tier, entry.override_reason) == ("A", "")


def test_a_screened_out_customer_cannot_be_tiered(example_list, people, example_customers):
    with pytest.raises(ValidationError, match="screened out by outsourcing"):
        target_entry_tier_override(
            target_list=example_list,
            customer_id=example_customers["D"].pk,
            tier="A",
            reason="老客户",
            by=people.alice,
        )


def test_an_unknown_tier_is_refused(example_list, people, example_customers):
    with pytest.raises(ValidationError, match="not a tier"):
        target_entry_tier_override(
            target_list=example_list,
            customer_id=example_customers["G"].pk,
            tier="Z",
            reason="x",
            by=people.alice,
        )


def test_the_owner_may_write_the_plan(ready, people):
    entry = ready.entries.get(customer__name_zh="G")
    target_entry_plan_save(
        entry=entry, objective="签约", actions="", next_date=None, by=people.dave
    )
    entry.refresh_from_db()
    assert entry.plan_objective == "签约"


def test_another_account_manager_may_not_write_the_plan(example_list, people):
    entry = example_list.entries.get(customer__name_zh="G")
    with pytest.raises(PermissionDenied):
        target_entry_plan_save(
            entry=entry, objective="x", actions="", next_date=None, by=people.dave
        )


# --- Approval ---------------------------------------------------------------------------------


def test_submitting_is_refused_while_a_target_has_no_owner(example_list, people):
    with pytest.raises(ValidationError) as refused:
        target_list_submit(target_list=example_list, by=people.alice)
    assert "needs an owner" in str(refused.value)
    assert "G" in str(refused.value)
    example_list.refresh_from_db()
    assert example_list.state == State.DRAFT


def test_the_full_approval_records_each_transition(ready, people):
    target_list_submit(target_list=ready, by=people.alice, comment="请审核")
    target_list_consolidate(target_list=ready, by=people.bob)
    target_list_approve(target_list=ready, by=people.carol, comment="同意")
    trail = list(ready.transitions.values_list("action", "by__username", "to_state"))
    assert trail[1:] == [
        ("submit", "alice", "submitted"),
        ("consolidate", "bob", "consolidated"),
        ("approve", "carol", "approved"),
    ]


def test_each_transition_notifies_the_next_person(ready, people):
    target_list_submit(target_list=ready, by=people.alice)
    assert Notification.objects.filter(recipient=people.bob).exists()
    target_list_consolidate(target_list=ready, by=people.bob)
    assert Notification.objects.filter(recipient=people.carol).exists()
    target_list_approve(target_list=ready, by=people.carol)
    assert Notification.objects.filter(recipient=people.alice, text__contains="approved").exists()


def test_approval_locks_the_criteria_set(ready, people):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_consolidate(target_list=ready, by=people.bob)
    target_list_approve(target_list=ready, by=people.carol)
    assert ready.run.criteria_set.__class__.objects.get(pk=ready.run.criteria_set_id).status == (
        CriteriaSet.Status.LOCKED
    )


def test_a_double_clicked_submit_records_one_transition(ready, people):
    target_list_submit(target_list=ready, by=people.alice)
    stale = TargetList.objects.get(pk=ready.pk)
    stale.state = State.DRAFT  # what the second click's page still believed
    with pytest.raises(ValidationError, match="already Submitted"):
        target_list_submit(target_list=stale, by=people.alice)
    assert ready.transitions.filter(action="submit").count() == 1


def test_approving_an_approved_list_is_refused(ready, people):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_consolidate(target_list=ready, by=people.bob)
    target_list_approve(target_list=ready, by=people.carol)
    with pytest.raises(ValidationError, match="already Approved"):
        target_list_approve(target_list=ready, by=people.carol)
    assert ready.transitions.filter(action="approve").count() == 1


@pytest.mark.parametrize(
    ("step", "who"),
    [
        ("submit", "eve"),  # another segment's manager
        ("submit", "dave"),  # an account manager
        ("consolidate", "alice"),  # the segment manager
        ("consolidate", "heidi"),  # another BU's VP
        ("approve", "bob"),  # the BU VP
        ("approve", "ivan"),  # another BG's VP
    ],
)
def test_a_transition_by_the_wrong_role_or_scope_is_refused(ready, people, step, who):
    if step in ("consolidate", "approve"):
        target_list_submit(target_list=ready, by=people.alice)
    if step == "approve":
        target_list_consolidate(target_list=ready, by=people.bob)
    before = ready.transitions.count()
    with pytest.raises(PermissionDenied):
        getattr(approval, f"target_list_{step}")(target_list=ready, by=getattr(people, who))
    assert ready.transitions.count() == before


def test_the_bu_vp_sends_back_to_the_segment_manager_with_a_comment(ready, people):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_send_back(target_list=ready, by=people.bob, comment="补充计划")
    ready.refresh_from_db()
    assert ready.state == State.DRAFT
    assert Notification.objects.filter(recipient=people.alice, text__contains="补充计划").exists()


def test_the_bg_vp_sends_back_to_the_bu_vp(ready, people):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_consolidate(target_list=ready, by=people.bob)
    target_list_send_back(target_list=ready, by=people.carol, comment="A类过多")
    ready.refresh_from_db()
    assert ready.state == State.SUBMITTED


def test_sending_back_needs_a_comment(ready, people):
    target_list_submit(target_list=ready, by=people.alice)
    with pytest.raises(ValidationError, match="comment is required"):
        target_list_send_back(target_list=ready, by=people.bob, comment="")


def test_an_approved_list_cannot_be_edited(ready, people):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_consolidate(target_list=ready, by=people.bob)
    target_list_approve(target_list=ready, by=people.carol)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        owned(ready, None, people.alice)


def test_a_revision_is_a_new_draft_and_keeps_the_approved_one(ready, people):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_consolidate(target_list=ready, by=people.bob)
    target_list_approve(target_list=ready, by=people.carol)
    revision = target_list_revise(target_list=ready, by=people.alice, reason="客户合并")
    ready.refresh_from_db()
    assert (revision.revision, revision.state, revision.revision_reason) == (2, "draft", "客户合并")
    assert ready.superseded_at is None and ready.state == State.APPROVED
    assert tiers_of(revision) == tiers_of(ready)
    assert TargetList.objects.in_force_for(2027, [ready.segment]).first() == ready
    assert TargetList.objects.working_for(2027, [ready.segment]).first() == revision


def test_a_revision_needs_a_reason(ready, people):
    with pytest.raises(ValidationError, match="reason"):
        target_list_revise(target_list=ready, by=people.alice, reason="")


def test_a_customer_claimed_by_two_segments_blocks_consolidation(ready, people, org):
    g = ready.entries.get(customer__name_zh="G").customer
    g.segments.add(org.elec)  # only G is in both segments
    document = services.criteria_set_dump(ready.run.criteria_set) | {"scope": {"segment": "ELEC"}}
    services.criteria_set_load(document=document, publish=True)
    elec = target_list_build(run=score_run_create(segment=org.elec, year=2027))
    owned(elec, people.dave, people.eve)
    target_list_submit(target_list=ready, by=people.alice)
    target_list_submit(target_list=elec, by=people.eve)
    claims = claimed_twice(org.bu1, 2027)
    assert [c.customer_id for c in claims] == [g.pk]
    with pytest.raises(ValidationError, match="claimed by two segments"):
        target_list_consolidate(target_list=ready, by=people.bob)
    target_claim_resolve(
        business_unit=org.bu1, year=2027, customer_id=g.pk, keep=ready, by=people.bob
    )
    assert claimed_twice(org.bu1, 2027) == []
    assert elec.entries.get(customer=g).tier == ""
    target_list_consolidate(target_list=ready, by=people.bob)


def test_the_account_manager_sees_lists_where_he_owns_customers(ready, people, example_list):
    assert can_view(people.dave, ready)
    assert list(TargetList.objects.visible_to(people.dave)) == [ready]


def test_an_account_manager_without_customers_on_it_does_not_see_it(example_list, people):
    assert not can_view(people.dave, example_list)
    assert not can_view(people.eve, example_list)
    assert can_view(people.carol, example_list)


def test_the_bu_vp_gets_an_email_when_a_list_is_submitted(
    ready, people, django_capture_on_commit_callbacks
):
    people.bob.email = "bob@example.com"
    people.bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        target_list_submit(target_list=ready, by=people.alice)
    assert any("bob@example.com" in m.to for m in mail.outbox)


# --- Notifications dealt with -----------------------------------------------------------------


def test_moving_a_list_reads_the_movers_notifications_about_it(ready, people):
    target_list_submit(target_list=ready, by=people.alice)
    told = Notification.objects.get(recipient=people.bob, url=ready.get_absolute_url())
    elsewhere = Notification.objects.create(recipient=people.bob, text="x", url="/inquiries/")
    target_list_consolidate(target_list=ready, by=people.bob)
    told.refresh_from_db()
    elsewhere.refresh_from_db()
    assert told.read_at is not None and elsewhere.read_at is None
    # the BG VP was just told to approve it: that stays unread until she acts
    assert Notification.objects.filter(recipient=people.carol).unread().exists()
