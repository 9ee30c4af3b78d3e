"""Target-list pages: who sees and does what, and what bad input gets."""

import pytest
from django.conf import settings
from django.urls import reverse

from evaluation.lists.approval import (
    target_list_approve,
    target_list_consolidate,
    target_list_submit,
)
from evaluation.lists.services import (
    target_entry_tier_override,
    target_list_build,
    target_list_owners_assign,
)
from evaluation.models import ListTransition, TargetList


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def ready(example_list, people):
    ids = list(example_list.entries.targets().values_list("pk", flat=True))
    target_list_owners_assign(
        target_list=example_list, entry_ids=ids, owner=people.dave, by=people.alice
    )
    return example_list


def url(target_list, name="evaluation:target-list", *args):
    return reverse(name, args=[target_list.pk, *args])


def test_anonymous_users_are_sent_to_log_in(client, example_list):
    response = client.get(url(example_list))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_managers_over_the_segment_see_the_list(client_for, people, example_list, who):
    response = client_for(getattr(people, who)).get(url(example_list))
    assert response.status_code == 200
    assert b'data-testid="entry-G"' in response.content


@pytest.mark.parametrize("who", ["eve", "grace", "heidi", "ivan", "dave", "erin", "judy"])
def test_others_are_refused_the_list(client_for, people, example_list, who):
    assert client_for(getattr(people, who)).get(url(example_list)).status_code == 403


def test_an_owner_sees_the_list_with_his_customers(client_for, people, ready):
    response = client_for(people.dave).get(url(ready) + "?mine=1")
    assert response.status_code == 200
    assert b'data-testid="assign-owner"' not in response.content


def test_the_index_shows_each_segment_with_its_state(client_for, people, example_list):
    response = client_for(people.bob).get(reverse("evaluation:list-index") + "?year=2027")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="row-AUTO"' in body and 'data-testid="row-ELEC"' in body
    assert "Draft" in body
    assert 'data-testid="bu-link-BU1"' in body


def test_the_index_is_refused_to_people_without_a_role(client_for, people):
    assert client_for(people.judy).get(reverse("evaluation:list-index")).status_code == 403


def test_the_segment_manager_assigns_owners_in_bulk(client_for, people, example_list):
    ids = list(example_list.entries.targets().values_list("pk", flat=True))
    response = client_for(people.alice).post(
        url(example_list, "evaluation:list-owners"), {"owner": people.dave.pk, "entries": ids}
    )
    assert response.status_code == 302
    assert not example_list.entries.targets().filter(owner__isnull=True).exists()


def test_assigning_without_ticking_customers_says_so(client_for, people, example_list):
    response = client_for(people.alice).post(
        url(example_list, "evaluation:list-owners"), {"owner": people.dave.pk}, follow=True
    )
    assert b"Tick the customers to assign." in response.content


def test_an_owner_outside_the_bu_is_not_a_choice(client_for, people, example_list):
    ids = list(example_list.entries.targets().values_list("pk", flat=True))
    response = client_for(people.alice).post(
        url(example_list, "evaluation:list-owners"),
        {"owner": people.erin.pk, "entries": ids},
        follow=True,
    )
    assert b"Select a valid choice" in response.content
    assert not example_list.entries.filter(owner__isnull=False).exists()


def test_another_segment_manager_cannot_assign_owners(client_for, people, example_list):
    ids = list(example_list.entries.targets().values_list("pk", flat=True))
    response = client_for(people.eve).post(
        url(example_list, "evaluation:list-owners"), {"owner": people.dave.pk, "entries": ids}
    )
    assert response.status_code == 403


def test_submitting_without_owners_lists_the_customers(client_for, people, example_list):
    response = client_for(people.alice).post(
        url(example_list, "evaluation:list-step", "submit"), follow=True
    )
    assert b"needs an owner" in response.content
    example_list.refresh_from_db()
    assert example_list.state == TargetList.State.DRAFT


def test_a_plan_is_saved_from_the_entry_page(client_for, people, ready):
    entry = ready.entries.get(customer__name_zh="G")
    response = client_for(people.dave).post(
        url(ready, "evaluation:list-entry", entry.pk),
        {
            "plan-plan_objective": "年内签约",
            "plan-plan_actions": "高层拜访",
            "plan-plan_next_date": "2027-01-15",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.plan_objective, str(entry.plan_next_date)) == ("年内签约", "2027-01-15")


def test_a_bad_plan_date_is_shown_not_saved(client_for, people, ready):
    entry = ready.entries.get(customer__name_zh="G")
    response = client_for(people.alice).post(
        url(ready, "evaluation:list-entry", entry.pk),
        {"plan-plan_objective": "x", "plan-plan_next_date": "2027-02-31"},
    )
    assert response.status_code == 200
    assert b"Enter a valid date." in response.content
    entry.refresh_from_db()
    assert entry.plan_objective == ""


def test_an_override_without_a_reason_is_refused_on_the_page(client_for, people, ready):
    entry = ready.entries.get(customer__name_zh="G")
    response = client_for(people.alice).post(
        url(ready, "evaluation:list-entry", entry.pk), {"override-tier": "C", "override-reason": ""}
    )
    assert b"Give a reason for the override." in response.content
    entry.refresh_from_db()
    assert entry.tier == "A"


def test_an_override_is_shown_as_an_override(client_for, people, ready):
    entry = ready.entries.get(customer__name_zh="G")
    client_for(people.alice).post(
        url(ready, "evaluation:list-entry", entry.pk),
        {"override-tier": "C", "override-reason": "预算收紧"},
    )
    body = client_for(people.alice).get(url(ready)).content.decode()
    assert 'data-testid="override"' in body and "预算收紧" in body


def test_the_lists_charts_count_a_customer_in_its_overridden_tier(client_for, people, ready):
    target_entry_tier_override(
        target_list=ready,
        customer_id=ready.entries.get(customer__name_zh="G").customer_id,
        tier="C",
        reason="预算收紧",
        by=people.alice,
    )
    charts = client_for(people.alice).get(url(ready)).context["charts"]
    assert charts["pyramid"]["keys"] == ["A", "B", "C", "general", "screened_out"]
    assert charts["pyramid"]["counts"] == [0, 3, 3, 1, 1]
    bins = {d["key"]: d["data"] for d in charts["histogram"]["datasets"]}
    assert (bins["A"][7], bins["C"][7]) == (0, 1)  # G scored 77


def test_the_lists_charts_count_a_lifted_general_customer_in_its_tier(client_for, people, ready):
    client_for(people.alice).post(
        url(ready, "evaluation:list-rank-override"), {"rank": 7, "tier": "C", "reason": "战略伙伴"}
    )
    charts = client_for(people.alice).get(url(ready)).context["charts"]
    assert charts["pyramid"]["counts"] == [1, 3, 3, 0, 1]
    bins = {d["key"]: d["data"] for d in charts["histogram"]["datasets"]}
    assert (bins["general"][2], bins["C"][2]) == (0, 1)  # H scored 29.05


def test_the_runs_charts_keep_the_tiers_scoring_gave(client_for, people, ready):
    client_for(people.alice).post(
        url(ready, "evaluation:list-rank-override"), {"rank": 7, "tier": "C", "reason": "战略伙伴"}
    )
    run_page = client_for(people.alice).get(reverse("evaluation:score-run", args=[ready.run_id]))
    assert run_page.context["charts"]["pyramid"]["counts"] == [1, 3, 2, 1, 1]


def test_an_account_manager_cannot_override_a_tier(client_for, people, ready):
    entry = ready.entries.get(customer__name_zh="G")
    client_for(people.dave).post(
        url(ready, "evaluation:list-entry", entry.pk),
        {"override-tier": "C", "override-reason": "x"},
    )
    entry.refresh_from_db()
    assert entry.tier == "A"


def test_a_general_customer_is_lifted_by_its_rank(client_for, people, ready):
    response = client_for(people.alice).post(
        url(ready, "evaluation:list-rank-override"), {"rank": 7, "tier": "C", "reason": "战略伙伴"}
    )
    assert response.status_code == 302
    assert ready.entries.get(customer__name_zh="H").tier == "C"


def test_an_unknown_rank_is_refused(client_for, people, ready):
    response = client_for(people.alice).post(
        url(ready, "evaluation:list-rank-override"),
        {"rank": 99, "tier": "C", "reason": "x"},
        follow=True,
    )
    assert b"No customer has that rank" in response.content


def test_the_three_steps_through_the_pages(client_for, people, ready):
    client_for(people.alice).post(url(ready, "evaluation:list-step", "submit"), {"comment": "请审"})
    client_for(people.bob).post(url(ready, "evaluation:list-step", "consolidate"))
    response = client_for(people.carol).post(
        url(ready, "evaluation:list-step", "approve"), follow=True
    )
    assert b"Approved: the list is frozen" in response.content
    ready.refresh_from_db()
    assert ready.state == TargetList.State.APPROVED


def test_a_double_clicked_submit_records_one_transition(client_for, people, ready):
    client = client_for(people.alice)
    client.post(url(ready, "evaluation:list-step", "submit"))
    response = client.post(url(ready, "evaluation:list-step", "submit"), follow=True)
    assert b"already Submitted" in response.content
    assert ready.transitions.filter(action=ListTransition.Action.SUBMIT).count() == 1


def test_an_unknown_step_is_refused(client_for, people, ready):
    assert (
        client_for(people.alice).post(url(ready, "evaluation:list-step", "delete")).status_code
        == 403
    )


def test_the_segment_manager_cannot_approve_through_the_page(client_for, people, ready):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_consolidate(target_list=ready, by=people.bob)
    response = client_for(people.alice).post(url(ready, "evaluation:list-step", "approve"))
    assert response.status_code == 403


def test_the_bu_view_totals_the_tiers(client_for, people, ready):
    response = client_for(people.bob).get(reverse("evaluation:bu-lists", args=["BU1", 2027]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="total-B">3<' in body
    assert 'data-testid="no-claims"' in body


@pytest.mark.parametrize("who", ["alice", "heidi", "dave", "judy", "ivan"])
def test_the_bu_view_is_refused_outside_bu_vps_and_bg_vps(client_for, people, ready, who):
    response = client_for(getattr(people, who)).get(
        reverse("evaluation:bu-lists", args=["BU1", 2027])
    )
    assert response.status_code == 403


def test_consolidating_all_submitted_lists(client_for, people, ready):
    target_list_submit(target_list=ready, by=people.alice)
    client_for(people.bob).post(reverse("evaluation:bu-consolidate-all", args=["BU1", 2027]))
    ready.refresh_from_db()
    assert ready.state == TargetList.State.CONSOLIDATED


def test_the_bg_vp_approves_all_consolidated_lists(client_for, people, ready):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_consolidate(target_list=ready, by=people.bob)
    client = client_for(people.carol)
    assert client.get(reverse("evaluation:bg-lists", args=["BG1", 2027])).status_code == 200
    client.post(reverse("evaluation:bg-approve-all", args=["BG1", 2027]))
    ready.refresh_from_db()
    assert ready.state == TargetList.State.APPROVED


@pytest.mark.parametrize("who", ["bob", "alice", "ivan"])
def test_the_bg_view_is_for_the_bg_vp(client_for, people, ready, who):
    response = client_for(getattr(people, who)).get(
        reverse("evaluation:bg-lists", args=["BG1", 2027])
    )
    assert response.status_code == 403


def test_the_bg_vp_sends_back_from_the_bg_view(client_for, people, ready):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_consolidate(target_list=ready, by=people.bob)
    bg_url = reverse("evaluation:bg-lists", args=["BG1", 2027])
    response = client_for(people.carol).post(
        url(ready, "evaluation:list-step", "send-back"), {"comment": "太多A类", "next": bg_url}
    )
    assert response["Location"] == bg_url
    ready.refresh_from_db()
    assert ready.state == TargetList.State.SUBMITTED


def test_a_revision_starts_from_the_approved_page(client_for, people, ready):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_consolidate(target_list=ready, by=people.bob)
    target_list_approve(target_list=ready, by=people.carol)
    response = client_for(people.alice).post(
        url(ready, "evaluation:list-step", "revise"), {"reason": "客户被收购"}
    )
    revision = TargetList.objects.working().get(segment=ready.segment, year=2027)
    assert response["Location"] == revision.get_absolute_url()
    assert revision.revision == 2


def test_the_doubly_claimed_customer_is_resolved_on_the_bu_view(client_for, people, ready, org):
    from evaluation.criteria import services
    from evaluation.scoring.runs import score_run_create

    g = ready.entries.get(customer__name_zh="G").customer
    g.segments.add(org.elec)
    document = services.criteria_set_dump(ready.run.criteria_set) | {"scope": {"segment": "ELEC"}}
    services.criteria_set_load(document=document, publish=True)
    elec = target_list_build(run=score_run_create(segment=org.elec, year=2027))
    client = client_for(people.bob)
    body = client.get(reverse("evaluation:bu-lists", args=["BU1", 2027])).content.decode()
    assert 'data-testid="claim-G"' in body
    client.post(
        reverse("evaluation:bu-claim-resolve", args=["BU1", 2027]),
        {"customer": g.pk, "keep": elec.pk},
    )
    assert ready.entries.get(customer=g).tier == ""
    assert elec.entries.get(customer=g).tier == "A"


@pytest.mark.parametrize("who", ["eve", "heidi", "judy"])
def test_an_entry_page_is_refused_outside_the_segment(client_for, people, ready, who):
    entry = ready.entries.get(customer__name_zh="G")
    response = client_for(getattr(people, who)).get(url(ready, "evaluation:list-entry", entry.pk))
    assert response.status_code == 403


def test_another_segment_manager_cannot_lift_a_general_customer(client_for, people, ready):
    response = client_for(people.eve).post(
        url(ready, "evaluation:list-rank-override"), {"rank": 7, "tier": "C", "reason": "x"}
    )
    assert response.status_code == 403
    assert not ready.entries.filter(customer__name_zh="H").exists()


def test_the_bu_vp_cannot_consolidate_another_bu(client_for, people, ready):
    target_list_submit(target_list=ready, by=people.alice)
    response = client_for(people.heidi).post(
        reverse("evaluation:bu-consolidate-all", args=["BU1", 2027])
    )
    assert response.status_code == 403
    ready.refresh_from_db()
    assert ready.state == TargetList.State.SUBMITTED
