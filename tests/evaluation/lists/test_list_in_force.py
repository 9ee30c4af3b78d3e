"""The approved list stays in force while its revision is worked on: in the services, the
BU / BG views, the index, the yearly documents, the customer list's tier column and the
review; approving the revision puts it in force and supersedes the approved one.

AUTO's 2027 list of the hand-computed example: G→A; A, F, E→B; B, C→C; H general (rank 7).
The revision makes G general, lifts H into C and hands F to another account manager."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from evaluation.lists import documents, exports
from evaluation.lists.approval import (
    target_list_approve,
    target_list_consolidate,
    target_list_revise,
    target_list_submit,
)
from evaluation.lists.claims import claimed_twice
from evaluation.lists.diff import Target, list_diff
from evaluation.lists.services import (
    target_entry_tier_override,
    target_list_build,
    target_list_owners_assign,
    target_lists_score_and_build,
)
from evaluation.models import TargetList
from evaluation.scoring.runs import score_run_create
from organisation.models import Role
from reviews.scopes import current_lists
from tests.factories import RoleMembershipFactory, UserFactory

State = TargetList.State


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def approve_fully(target_list, people):
    target_list_submit(target_list=target_list, by=people.alice)
    target_list_consolidate(target_list=target_list, by=people.bob)
    target_list_approve(target_list=target_list, by=people.carol)


@pytest.fixture
def approved(example_list, people):
    ids = list(example_list.entries.targets().values_list("pk", flat=True))
    target_list_owners_assign(
        target_list=example_list, entry_ids=ids, owner=people.dave, by=people.alice
    )
    approve_fully(example_list, people)
    return example_list


@pytest.fixture
def mallory(org):
    user = UserFactory(username="mallory")
    RoleMembershipFactory(user=user, role=Role.ACCOUNT_MANAGER, business_unit=org.bu1)
    return user


def customer_id(target_list, name):
    return target_list.run.entries.get(customer__name_zh=name).customer_id


@pytest.fixture
def revision(approved, people, mallory):
    revision = target_list_revise(target_list=approved, by=people.alice, reason="客户合并")
    for name, tier in (("G", ""), ("H", "C")):
        target_entry_tier_override(
            target_list=revision,
            customer_id=customer_id(revision, name),
            tier=tier,
            reason="调整",
            by=people.alice,
        )
    target_list_owners_assign(
        target_list=revision,
        entry_ids=[revision.entries.get(customer__name_zh="F").pk],
        owner=mallory,
        by=people.alice,
    )
    target_list_owners_assign(
        target_list=revision,
        entry_ids=[revision.entries.get(customer__name_zh="H").pk],
        owner=people.dave,
        by=people.alice,
    )
    return revision


def approve_revision(revision, people):
    approve_fully(revision, people)


def in_force(segment, year=2027):
    return TargetList.objects.in_force_for(year, [segment]).first()


# --- Services ---------------------------------------------------------------------------------


def test_a_revision_leaves_the_approved_list_in_force(approved, revision):
    approved.refresh_from_db()
    assert approved.superseded_at is None and approved.state == State.APPROVED
    assert in_force(approved.segment) == approved
    assert TargetList.objects.working_for(2027, [approved.segment]).first() == revision


def test_approving_the_revision_supersedes_the_approved_list(approved, revision, people):
    approve_revision(revision, people)
    approved.refresh_from_db()
    assert approved.superseded_at is not None
    assert in_force(approved.segment) == revision
    assert TargetList.objects.working_for(2027, [approved.segment]).first() is None


def test_a_second_revision_is_refused_while_one_is_in_progress(approved, revision, people):
    with pytest.raises(ValidationError, match="Revision 2 is already in progress"):
        target_list_revise(target_list=approved, by=people.alice, reason="再改")
    assert TargetList.objects.filter(segment=approved.segment).count() == 2


def test_the_database_refuses_two_lists_in_force(approved):
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetList.objects.create(
            segment=approved.segment, year=2027, run=approved.run, revision=9, state="approved"
        )


def test_a_refused_approval_of_a_revision_leaves_the_approved_list_in_force(
    approved, revision, people
):
    target_list_submit(target_list=revision, by=people.alice)
    target_list_consolidate(target_list=revision, by=people.bob)
    stale = TargetList.objects.get(pk=revision.pk)
    TargetList.objects.filter(pk=revision.pk).update(state=State.SUBMITTED)  # moved meanwhile
    with pytest.raises(ValidationError, match="already Submitted"):
        target_list_approve(target_list=stale, by=people.carol)
    approved.refresh_from_db()
    assert approved.superseded_at is None


def test_rescoring_rebuilds_the_revision_and_never_the_approved_list(
    approved, revision, people, org
):
    before = list(approved.entries.values_list("customer_id", "tier", "owner_id"))
    target_lists_score_and_build(year=2027, segments=[org.auto], by=people.alice)
    revision.refresh_from_db()
    assert revision.transitions.filter(action="rebuild").exists()
    assert list(approved.entries.values_list("customer_id", "tier", "owner_id")) == before
    assert not approved.transitions.filter(action="rebuild").exists()


def test_rescoring_an_approved_list_without_a_revision_changes_nothing(approved, org):
    run = score_run_create(segment=org.auto, year=2027)
    assert target_list_build(run=run) is None
    assert TargetList.objects.filter(segment=org.auto).count() == 1


def test_claims_count_the_revision_not_the_approved_list(approved, revision, org):
    # G is general on the revision; only the revision counts for AUTO now.
    entries = TargetList.objects.newest().filter(segment__business_unit=org.bu1)
    assert list(entries) == [revision]


# --- The diff ---------------------------------------------------------------------------------


def test_the_diff_lists_added_removed_tier_and_owner_changes():
    before = [Target(1, "G", "A", "dave"), Target(2, "A", "B", "dave"), Target(3, "F", "B", "")]
    after = [
        Target(1, "G", "", ""),
        Target(2, "A", "A", "dave"),
        Target(3, "F", "B", "mallory"),
        Target(4, "H", "C", "dave"),
    ]
    diff = list_diff(before, after)
    assert [t.name for t in diff.added] == ["H"]
    assert [t.name for t in diff.removed] == ["G"]
    assert [(c.name, c.before, c.after) for c in diff.tier_changes] == [("A", "B", "A")]
    assert [(c.name, c.before, c.after) for c in diff.owner_changes] == [("F", "", "mallory")]


def test_an_unchanged_revision_has_an_empty_diff():
    same = [Target(1, "G", "A", "dave")]
    assert list_diff(same, same).is_empty


def test_the_revision_page_shows_the_diff_against_the_list_in_force(client_for, people, revision):
    body = client_for(people.carol).get(revision.get_absolute_url()).content.decode()
    assert 'data-testid="in-force-note"' in body
    added = body.split('data-testid="diff-added"')[1].split("</ul>")[0]
    removed = body.split('data-testid="diff-removed"')[1].split("</ul>")[0]
    owners = body.split('data-testid="diff-owners"')[1].split("</ul>")[0]
    assert "H (C)" in added and "G (A)" in removed
    assert "F: dave → mallory" in owners


def test_the_approved_page_links_to_the_revision_in_progress(client_for, people, revision):
    approved = TargetList.objects.get(segment=revision.segment, revision=1)
    body = client_for(people.alice).get(approved.get_absolute_url()).content.decode()
    assert "revision 2 in progress (Draft)" in body
    assert revision.get_absolute_url() in body
    assert 'data-testid="revise-list"' not in body  # one revision at a time


# --- Everywhere the list in force shows -------------------------------------------------------


def row_of(body, code):
    return body.split(f'data-testid="segment-{code}"')[1].split("</tr>")[0]


def test_the_bu_view_keeps_the_approved_list_beside_its_revision(client_for, people, revision):
    body = client_for(people.bob).get(reverse("evaluation:bu-lists", args=["BU1", 2027]))
    row = row_of(body.content.decode(), "AUTO")
    assert "Approved" in row and "revision 2 in progress (Draft)" in row
    assert body.context["totals"] == {"A": 1, "B": 3, "C": 2}


def test_the_bg_view_keeps_the_approved_list_beside_its_revision(client_for, people, revision):
    response = client_for(people.carol).get(reverse("evaluation:bg-lists", args=["BG1", 2027]))
    row = row_of(response.content.decode(), "AUTO")
    assert "Approved" in row and "revision 2 in progress (Draft)" in row
    assert response.context["totals"] == {"A": 1, "B": 3, "C": 2}


def test_the_index_keeps_the_approved_list_beside_its_revision(client_for, people, revision):
    response = client_for(people.alice).get(reverse("evaluation:list-index") + "?year=2027")
    body = response.content.decode()
    row = body.split('data-testid="row-AUTO"')[1].split("</tr>")[0]
    assert "Approved" in row and "revision 2 in progress (Draft)" in row
    assert [r["list"].revision for r in response.context["rows"] if r["list"]] == [1]


def test_after_approval_the_views_show_the_revision(client_for, people, revision):
    approve_revision(revision, people)
    response = client_for(people.carol).get(reverse("evaluation:bg-lists", args=["BG1", 2027]))
    row = row_of(response.content.decode(), "AUTO")
    assert "in progress" not in row
    assert response.context["totals"] == {"A": 0, "B": 3, "C": 3}


def tiered_rows(org):
    content = exports.render(documents.tiered_document(org.bu1, 2027), "xlsx")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def target_names(rows, header_row):
    names = rows[header_row].index("Customer name")
    return sorted(row[names] for row in rows[header_row + 1 :])


def test_the_bu_tiered_document_exports_the_approved_list_during_a_revision(org, revision):
    rows = tiered_rows(org)
    assert rows[1][0] == "Lists: AUTO: Approved, revision 1; ELEC: no list"
    assert rows[3][0] == "Segment"  # no "not yet approved" note
    assert target_names(rows, 3) == ["A", "B", "C", "E", "F", "G"]


def test_the_bg_tiered_document_exports_the_approved_list_during_a_revision(org, revision):
    content = exports.render(documents.tiered_document(org.bg1, 2027), "xlsx")
    summary = [list(r) for r in load_workbook(io.BytesIO(content)).worksheets[0].values]
    bu1 = next(row for row in summary if row[0] == "BU1")
    assert bu1[-1] == "1/1"  # AUTO's approved list, in force


def test_the_owners_document_exports_the_approved_list_during_a_revision(org, revision):
    content = exports.render(documents.owners_document(org.bu1, 2027), "xlsx")
    rows = [list(r) for r in load_workbook(io.BytesIO(content)).worksheets[0].values]
    header = next(i for i, row in enumerate(rows) if row[0] == "Owner (user name)")
    owners = {row[rows[header].index("Customer name")]: row[0] for row in rows[header + 1 :]}
    assert owners["F"] == "dave" and "H" not in owners


def test_the_documents_export_the_revision_once_approved(org, revision, people):
    approve_revision(revision, people)
    rows = tiered_rows(org)
    assert rows[1][0] == "Lists: AUTO: Approved, revision 2; ELEC: no list"
    assert target_names(rows, 3) == ["A", "B", "C", "E", "F", "H"]


def test_the_customer_tier_column_keeps_the_approved_tier(client_for, people, revision):
    response = client_for(people.bob).get(
        reverse("customers:customer-list"), {"year": 2026, "q": "G"}
    )
    assert [c.tiers for c in response.context["page"]] == [[("AUTO", "A")]]


def test_the_customer_tier_column_follows_the_approved_revision(client_for, people, revision):
    approve_revision(revision, people)
    response = client_for(people.bob).get(
        reverse("customers:customer-list"), {"year": 2026, "tier": "C"}
    )
    assert sorted(c.name_zh for c in response.context["page"]) == ["B", "C", "H"]


def test_the_review_reads_the_approved_list_during_a_revision(org, approved, revision):
    assert current_lists(2027, [org.auto]) == [approved]


def test_the_home_page_does_not_lose_the_revision_draft(client_for, people, revision):
    body = client_for(people.alice).get(reverse("home")).content.decode()
    assert "is a draft" in body and revision.get_absolute_url() in body


# --- The migration ----------------------------------------------------------------------------


def test_the_migration_puts_back_in_force_a_list_revised_before_the_change(approved, revision):
    """Before 0007, revising superseded the approved list at once."""
    import importlib

    from django.apps import apps
    from django.utils import timezone

    TargetList.objects.filter(pk=approved.pk).update(superseded_at=timezone.now())
    migration = importlib.import_module("evaluation.migrations.0007_target_list_in_force")
    migration.restore_lists_in_force(apps, None)
    assert in_force(approved.segment) == approved


def test_the_migration_leaves_a_list_whose_revision_was_approved(approved, revision, people):
    import importlib

    from django.apps import apps

    approve_revision(revision, people)
    migration = importlib.import_module("evaluation.migrations.0007_target_list_in_force")
    migration.restore_lists_in_force(apps, None)
    approved.refresh_from_db()
    assert approved.superseded_at is not None and in_force(approved.segment) == revision


def test_the_bg_view_sums_up_what_the_revision_changes(client_for, people, revision):
    response = client_for(people.carol).get(reverse("evaluation:bg-lists", args=["BG1", 2027]))
    row = row_of(response.content.decode(), "AUTO")
    assert "1 added, 1 removed, 0 tier changes, 1 owner changes" in row


def test_a_double_claim_is_counted_on_the_revision_being_worked_on(approved, people, org):
    from evaluation.criteria import services

    g = approved.entries.get(customer__name_zh="G").customer
    g.segments.add(org.elec)
    document = services.criteria_set_dump(approved.run.criteria_set) | {
        "scope": {"segment": "ELEC"}
    }
    services.criteria_set_load(document=document, publish=True)
    target_list_build(run=score_run_create(segment=org.elec, year=2027))
    assert [c.customer_id for c in claimed_twice(org.bu1, 2027)] == [g.pk]
    revision = target_list_revise(target_list=approved, by=people.alice, reason="让给ELEC")
    target_entry_tier_override(
        target_list=revision, customer_id=g.pk, tier="", reason="让给ELEC", by=people.alice
    )
    assert claimed_twice(org.bu1, 2027) == []


def test_a_double_claim_is_resolved_in_favour_of_the_approved_list(
    client_for, approved, people, org
):
    from evaluation.criteria import services

    g = approved.entries.get(customer__name_zh="G").customer
    g.segments.add(org.elec)
    document = services.criteria_set_dump(approved.run.criteria_set) | {
        "scope": {"segment": "ELEC"}
    }
    services.criteria_set_load(document=document, publish=True)
    elec = target_list_build(run=score_run_create(segment=org.elec, year=2027))
    response = client_for(people.bob).post(
        reverse("evaluation:bu-claim-resolve", args=["BU1", 2027]),
        {"customer": g.pk, "keep": approved.pk},
    )
    assert response.status_code == 302
    assert elec.entries.get(customer=g).tier == ""
    assert approved.entries.get(customer=g).tier == "A"
    assert claimed_twice(org.bu1, 2027) == []
