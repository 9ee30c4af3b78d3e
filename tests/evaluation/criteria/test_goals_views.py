"""Yearly goals: the BG VP sets the BG's, the BU VP the BU's; they head the criteria pages."""

import pytest
from django.urls import reverse
from django.utils import translation

from evaluation.models import Goal


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def goal_url(level, code, year=2027):
    return reverse("evaluation:goal-edit", args=[year, level, code])


GOAL = {
    "strategy": "聚焦新能源汽车零部件客户",
    "target_customer_count": "40",
    "target_revenue": "200000000",
    "resource_share": "70",
}


def test_the_bg_vp_sets_the_bg_goals(client_for, people, org):
    response = client_for(people.carol).post(goal_url("bg", "BG1"), GOAL)
    assert response.status_code == 302
    goal = Goal.objects.get(business_group=org.bg1, year=2027)
    assert goal.target_customer_count == 40 and goal.resource_share == 70
    assert goal.history.latest().history_user == people.carol


def test_the_bu_vp_sets_the_bu_goals_and_edits_them_again(client_for, people, org):
    client = client_for(people.bob)
    client.post(goal_url("bu", "BU1"), GOAL)
    client.post(goal_url("bu", "BU1"), GOAL | {"target_customer_count": "45"})
    assert Goal.objects.get(business_unit=org.bu1, year=2027).target_customer_count == 45
    assert Goal.objects.count() == 1


def test_the_goals_head_the_criteria_page(client_for, people, org):
    client_for(people.bob).post(goal_url("bu", "BU1"), GOAL)
    response = client_for(people.alice).get(reverse("evaluation:criteria-index"), {"year": 2027})
    assert "聚焦新能源汽车零部件客户" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "level", "code"),
    [
        ("bob", "bg", "BG1"),  # a BU VP does not set the BG's goals
        ("carol", "bu", "BU1"),  # the BG VP does not set a BU's goals
        ("alice", "bu", "BU1"),
        ("heidi", "bu", "BU1"),  # another BU's VP
        ("ivan", "bg", "BG1"),  # another BG's VP
        ("judy", "bu", "BU1"),
    ],
)
def test_goals_are_refused_outside_the_role_and_scope(client_for, people, who, level, code):
    client = client_for(getattr(people, who))
    assert client.get(goal_url(level, code)).status_code == 403
    assert client.post(goal_url(level, code), GOAL).status_code == 403
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("resource_share", "101"),
        ("target_revenue", "-1"),
        ("strategy", ""),
        ("target_customer_count", "-3"),
    ],
)
def test_bad_goal_input_is_refused(client_for, people, field, value):
    response = client_for(people.bob).post(goal_url("bu", "BU1"), GOAL | {field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Goal.objects.exists()


def test_an_unknown_unit_is_not_found(client_for, people):
    assert client_for(people.bob).get(goal_url("bu", "NOPE")).status_code == 404


def test_changing_confirmed_goals_clears_the_confirmation(people, org):
    from django.utils import timezone

    from evaluation.criteria import goals

    goal = goals.goal_save(year=2027, by=people.bob, business_unit=org.bu1, strategy="聚焦")
    goal.confirmed_by, goal.confirmed_at = people.carol, timezone.now()
    goal.save()
    goals.goal_save(year=2027, by=people.bob, business_unit=org.bu1, strategy="聚焦")
    goal.refresh_from_db()
    assert goal.confirmed_by == people.carol  # unchanged goals stay confirmed
    goals.goal_save(year=2027, by=people.bob, business_unit=org.bu1, strategy="扩张")
    goal.refresh_from_db()
    assert (goal.confirmed_by, goal.confirmed_at) == (None, None)
