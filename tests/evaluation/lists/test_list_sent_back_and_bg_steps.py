"""A list sent back shows it, with the comment at the top; the BG VP approves or sends back
one list, one BU's lists or all, each checked for role and scope."""

import pytest
from django.conf import settings
from django.urls import reverse

from evaluation.lists.approval import (
    target_list_consolidate,
    target_list_send_back,
    target_list_submit,
)
from evaluation.lists.services import target_list_owners_assign
from evaluation.models import TargetList
from tests.evaluation.lists.test_exports import ELEC_CUSTOMERS, make_list

State = TargetList.State


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def owned(target_list, people, by):
    ids = list(target_list.entries.targets().values_list("pk", flat=True))
    target_list_owners_assign(target_list=target_list, entry_ids=ids, owner=people.dave, by=by)
    return target_list


@pytest.fixture
def ready(example_list, people):
    return owned(example_list, people, people.alice)


@pytest.fixture
def consolidated(org, ready, people):
    """AUTO and ELEC of BU1 and CHEM of BU2, all consolidated and waiting for carol."""
    from organisation.models import Role
    from tests.factories import RoleMembershipFactory, UserFactory

    elec = owned(make_list(org.elec, ELEC_CUSTOMERS), people, people.eve)
    chem = make_list(org.chem, [("C-1", 500_000_000, 5000, "open")])
    chem_manager = UserFactory(username="chem-am")
    RoleMembershipFactory(user=chem_manager, role=Role.ACCOUNT_MANAGER, business_unit=org.bu2)
    bu2_vp = UserFactory(username="bu2-vp")
    RoleMembershipFactory(user=bu2_vp, role=Role.BU_VP, business_unit=org.bu2)
    target_list_owners_assign(
        target_list=chem,
        entry_ids=list(chem.entries.targets().values_list("pk", flat=True)),
        owner=chem_manager,
        by=people.grace,
    )
    for target_list, manager, vp in (
        (ready, people.alice, people.bob),
        (elec, people.eve, people.bob),
        (chem, people.grace, bu2_vp),
    ):
        target_list_submit(target_list=target_list, by=manager)
        target_list_consolidate(target_list=target_list, by=vp)
    return {"AUTO": ready, "ELEC": elec, "CHEM": chem}


def states(lists):
    return {code: TargetList.objects.get(pk=tl.pk).state for code, tl in lists.items()}


# --- Sent back --------------------------------------------------------------------------------


def test_a_list_sent_back_shows_sent_back_and_the_comment_at_the_top(client_for, people, ready):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_send_back(target_list=ready, by=people.bob, comment="补充发展计划")
    body = client_for(people.alice).get(ready.get_absolute_url()).content.decode()
    state = body.split('data-testid="list-state"')[1].split("</span>")[0]
    assert "Sent back" in state and "Draft" not in state
    banner = body.index('data-testid="sent-back"')
    assert banner < body.index('data-testid="steps"') < body.index('data-testid="target-entries"')
    assert "补充发展计划" in body[banner : body.index('data-testid="steps"')]


def test_a_list_sent_back_by_the_bg_vp_shows_sent_back_to_the_bu_vp(client_for, people, ready):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_consolidate(target_list=ready, by=people.bob)
    target_list_send_back(target_list=ready, by=people.carol, comment="A类过多")
    body = client_for(people.bob).get(ready.get_absolute_url()).content.decode()
    assert "back with the BU VP" in body and "A类过多" in body
    ready.refresh_from_db()
    assert ready.state == State.SUBMITTED  # the workflow's own state is unchanged


def test_the_bu_view_shows_a_sent_back_list_as_sent_back(client_for, people, ready):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_send_back(target_list=ready, by=people.bob, comment="补充")
    body = client_for(people.bob).get(reverse("evaluation:bu-lists", args=["BU1", 2027]))
    row = body.content.decode().split('data-testid="segment-AUTO"')[1].split("</tr>")[0]
    assert "Sent back" in row


def test_a_resubmitted_list_is_no_longer_shown_as_sent_back(client_for, people, ready):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_send_back(target_list=ready, by=people.bob, comment="补充")
    target_list_submit(target_list=ready, by=people.alice)
    body = client_for(people.alice).get(ready.get_absolute_url()).content.decode()
    assert 'data-testid="sent-back"' not in body
    assert "Submitted" in body.split('data-testid="list-state"')[1].split("</span>")[0]


# --- The BG VP: one list, one BU, all ---------------------------------------------------------


def bg(name, *args):
    return reverse(f"evaluation:{name}", args=["BG1", 2027, *args])


def test_the_bg_vp_approves_one_list_from_the_bg_view(client_for, people, consolidated):
    client = client_for(people.carol)
    body = client.get(bg("bg-lists")).content.decode()
    assert 'data-testid="approve-AUTO"' in body
    response = client.post(
        reverse("evaluation:list-step", args=[consolidated["AUTO"].pk, "approve"]),
        {"next": bg("bg-lists")},
    )
    assert response["Location"] == bg("bg-lists")
    assert states(consolidated) == {
        "AUTO": "approved",
        "ELEC": "consolidated",
        "CHEM": "consolidated",
    }


def test_the_bg_vp_approves_one_bus_lists(client_for, people, consolidated):
    client_for(people.carol).post(bg("bg-approve-all"), {"unit": "BU1"})
    assert states(consolidated) == {"AUTO": "approved", "ELEC": "approved", "CHEM": "consolidated"}


def test_the_bg_vp_sends_back_one_bus_lists_with_a_comment(client_for, people, consolidated):
    client_for(people.carol).post(bg("bg-send-back-all"), {"unit": "BU2", "comment": "重做"})
    assert states(consolidated) == {
        "AUTO": "consolidated",
        "ELEC": "consolidated",
        "CHEM": "submitted",
    }
    chem = TargetList.objects.get(pk=consolidated["CHEM"].pk)
    assert chem.transitions.last().comment == "重做"


def test_sending_back_a_bus_lists_needs_a_comment(client_for, people, consolidated):
    response = client_for(people.carol).post(
        bg("bg-send-back-all"), {"unit": "BU1", "comment": " "}, follow=True
    )
    assert b"a comment is required" in response.content
    assert set(states(consolidated).values()) == {"consolidated"}


def test_the_bg_vp_still_approves_all(client_for, people, consolidated):
    client_for(people.carol).post(bg("bg-approve-all"))
    assert set(states(consolidated).values()) == {"approved"}


def test_the_bg_view_offers_the_steps_per_bu(client_for, people, consolidated):
    body = client_for(people.carol).get(bg("bg-lists")).content.decode()
    assert 'data-testid="approve-unit-BU1"' in body and 'data-testid="send-back-unit-BU2"' in body


@pytest.mark.parametrize("who", ["ivan", "bob", "alice"])
@pytest.mark.parametrize("step", ["bg-approve-all", "bg-send-back-all"])
def test_a_bus_lists_are_refused_to_others(client_for, people, consolidated, who, step):
    response = client_for(getattr(people, who)).post(bg(step), {"unit": "BU1", "comment": "x"})
    assert response.status_code == 403
    assert set(states(consolidated).values()) == {"consolidated"}


def test_a_bu_of_another_bg_is_not_found(client_for, people, consolidated):
    response = client_for(people.carol).post(bg("bg-approve-all"), {"unit": "BU3"})
    assert response.status_code == 404


def test_another_bgs_vp_cannot_approve_through_his_own_bg(client_for, people, consolidated):
    url = reverse("evaluation:bg-approve-all", args=["BG2", 2027])
    response = client_for(people.ivan).post(url, {"unit": "BU1"})
    assert response.status_code == 404
    assert set(states(consolidated).values()) == {"consolidated"}


@pytest.mark.parametrize("who", ["ivan", "bob"])
@pytest.mark.parametrize("step", ["approve", "send-back"])
def test_one_list_is_refused_to_others(client_for, people, consolidated, who, step):
    target = consolidated["AUTO"]
    response = client_for(getattr(people, who)).post(
        reverse("evaluation:list-step", args=[target.pk, step]), {"comment": "x"}
    )
    assert response.status_code == 403
    assert states(consolidated)["AUTO"] == "consolidated"


def test_the_step_does_not_redirect_off_the_site(client_for, people, consolidated):
    response = client_for(people.carol).post(
        reverse("evaluation:list-step", args=[consolidated["AUTO"].pk, "approve"]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == consolidated["AUTO"].get_absolute_url()


def test_in_chinese_a_list_sent_back_reads_tuihui_xiugai(client_for, people, ready):
    target_list_submit(target_list=ready, by=people.alice)
    target_list_send_back(target_list=ready, by=people.bob, comment="补充")
    client = client_for(people.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    body = client.get(ready.get_absolute_url()).content.decode()
    assert "退回修改" in body.split('data-testid="list-state"')[1].split("</span>")[0]
