"""The permission module's matrix: every role × target scope × action, allowed and refused.

The expected answers are written out here from DESIGN.md, independently of the RULES table.
Every member below holds their role in BG1 / BU1 / AUTO.
"""

import pytest
from django.core.exceptions import PermissionDenied

from organisation import permissions
from organisation.models import Role
from organisation.permissions import Action

A = Action
R = Role

# Who is granted each action (before scope is considered).
GRANTED = {
    A.VIEW_ORG: set(R),
    A.VIEW_CUSTOMERS: set(R),
    A.EDIT_CUSTOMERS: {R.RESEARCHER},
    A.EDIT_CUSTOMER_RELATIONSHIP: {R.ACCOUNT_MANAGER},
    A.VIEW_CRITERIA: set(R),
    A.EDIT_BU_CRITERIA: {R.BU_VP},
    A.EDIT_SEGMENT_CRITERIA: {R.SEGMENT_MANAGER, R.BU_VP},
    A.EDIT_BG_GOALS: {R.BG_VP},
    A.EDIT_BU_GOALS: {R.BU_VP},
    A.MANAGE_SEGMENT_LIST: {R.SEGMENT_MANAGER},
    A.SET_QUOTA: {R.BU_VP},
    A.CONSOLIDATE_LISTS: {R.BU_VP},
    A.APPROVE_LISTS: {R.BG_VP},
    A.VIEW_TARGET_LISTS: {R.SEGMENT_MANAGER, R.BU_VP, R.BG_VP},
    A.LOG_INQUIRY: {R.ACCOUNT_MANAGER},
    A.DECIDE_INQUIRY: {R.SEGMENT_MANAGER},
    A.VIEW_INQUIRIES: set(R) - {R.RESEARCHER},
    A.SUMMARISE_INQUIRIES: {R.EXTERNAL_RELATIONS},
    A.RECORD_RESULTS: {R.ACCOUNT_MANAGER},
    A.SUMMARISE_SEGMENT_REVIEW: {R.SEGMENT_MANAGER},
    A.SIGN_OFF_BU_REVIEW: {R.BU_VP},
    A.CONFIRM_GOALS: {R.BG_VP},
}
READ_ALONG_THE_TREE = {A.VIEW_ORG, A.VIEW_CRITERIA}

TARGETS = ["auto", "elec", "chem", "bank", "bu1", "bu2", "bu3", "bg1", "bg2"]
BU1_ROLE_REACH = {"auto", "elec", "bu1"}
# Units a role held in BG1/BU1/AUTO acts on: its own unit and everything beneath it.
ACTS_ON = {
    R.BG_VP: {"auto", "elec", "chem", "bu1", "bu2", "bg1"},
    R.BU_VP: BU1_ROLE_REACH,
    R.ACCOUNT_MANAGER: BU1_ROLE_REACH,
    R.RESEARCHER: BU1_ROLE_REACH,
    R.EXTERNAL_RELATIONS: BU1_ROLE_REACH,
    R.SEGMENT_MANAGER: {"auto"},
}
# Read actions also reach the units above the role's own.
READS = {
    R.BG_VP: ACTS_ON[R.BG_VP],
    R.BU_VP: BU1_ROLE_REACH | {"bg1"},
    R.ACCOUNT_MANAGER: BU1_ROLE_REACH | {"bg1"},
    R.RESEARCHER: BU1_ROLE_REACH | {"bg1"},
    R.EXTERNAL_RELATIONS: BU1_ROLE_REACH | {"bg1"},
    R.SEGMENT_MANAGER: {"auto", "bu1", "bg1"},
}
MEMBER_FOR_ROLE = {
    R.BG_VP: "carol",
    R.BU_VP: "bob",
    R.SEGMENT_MANAGER: "alice",
    R.ACCOUNT_MANAGER: "dave",
    R.RESEARCHER: "erin",
    R.EXTERNAL_RELATIONS: "frank",
}


def expected(role, action, target) -> bool:
    if role not in GRANTED[action]:
        return False
    reach = READS if action in READ_ALONG_THE_TREE else ACTS_ON
    return target in reach[role]


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_matrix(people, org, role, action):
    user = getattr(people, MEMBER_FOR_ROLE[role])
    answers = {target: permissions.can(user, action, getattr(org, target)) for target in TARGETS}
    assert answers == {target: expected(role, action, target) for target in TARGETS}


def test_every_action_is_in_the_matrix():
    assert set(GRANTED) == set(Action)


@pytest.mark.parametrize("action", list(Action))
def test_a_user_without_a_role_may_do_nothing(people, org, action):
    assert not any(permissions.can(people.judy, action, getattr(org, t)) for t in TARGETS)


@pytest.mark.parametrize("action", list(Action))
def test_a_superuser_may_do_everything(org, action, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    assert all(permissions.can(root, action, getattr(org, t)) for t in TARGETS)


def test_an_anonymous_user_may_do_nothing(org):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can(AnonymousUser(), Action.VIEW_ORG, org.bg1)


def test_an_inactive_user_may_do_nothing(people, org):
    people.carol.is_active = False
    assert not permissions.can(people.carol, Action.VIEW_ORG, org.bg1)


class TestBuVpStandsInForSegmentManagers:
    def test_it_manages_a_segment_without_a_segment_manager(self, people, org):
        assert permissions.can(people.heidi, Action.MANAGE_SEGMENT_LIST, org.retl)
        assert permissions.can(people.heidi, Action.DECIDE_INQUIRY, org.retl)
        assert permissions.can(people.heidi, Action.SUMMARISE_SEGMENT_REVIEW, org.retl)

    def test_it_does_not_manage_a_segment_that_has_one(self, people, org):
        assert not permissions.can(people.bob, Action.MANAGE_SEGMENT_LIST, org.auto)

    def test_it_does_not_stand_in_outside_its_bu(self, people, org):
        assert not permissions.can(people.bob, Action.MANAGE_SEGMENT_LIST, org.retl)

    def test_it_stops_once_a_segment_manager_is_named(self, people, org):
        from tests.factories import RoleMembershipFactory

        RoleMembershipFactory(role=Role.SEGMENT_MANAGER, segment=org.retl)
        heidi = type(people.heidi).objects.get(pk=people.heidi.pk)  # fresh per-request cache
        assert not permissions.can(heidi, Action.MANAGE_SEGMENT_LIST, org.retl)


def test_require_raises_permission_denied(people, org):
    with pytest.raises(PermissionDenied):
        permissions.require(people.alice, Action.APPROVE_LISTS, org.bg1)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("username", ["carol", "bob", "alice", "dave", "heidi", "judy"])
def test_querysets_agree_with_can(people, org, username, action):
    """List views narrow with *_where(); it must give exactly the units can() allows."""
    from organisation.models import BusinessGroup, BusinessUnit, Segment

    user = getattr(people, username)
    for where, model in [
        (permissions.segments_where, Segment),
        (permissions.business_units_where, BusinessUnit),
        (permissions.business_groups_where, BusinessGroup),
    ]:
        allowed = {u.pk for u in model.objects.all() if permissions.can(user, action, u)}
        assert set(where(user, action).values_list("pk", flat=True)) == allowed, model


def test_memberships_are_loaded_once_per_user_object(people, org, django_assert_num_queries):
    user = type(people.bob).objects.get(pk=people.bob.pk)
    permissions.can(user, Action.VIEW_ORG, org.bu1)
    with django_assert_num_queries(0):
        for target in TARGETS:
            permissions.can(user, Action.CONSOLIDATE_LISTS, getattr(org, target))
