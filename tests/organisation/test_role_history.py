"""Every role change is audited: the people file's added and ended memberships are in the
memberships' history, with who loaded the file."""

import pytest

from organisation.models import RoleMembership
from organisation.people import people_load
from tests.factories import UserFactory

HEADER = "username,family_name,given_name,email,phone,role,unit,active\n"
TWO_ROLES = HEADER + (
    "zhang.wei,张,伟,,,segment_manager,AUTO,yes\nzhang.wei,张,伟,,,segment_manager,ELEC,yes\n"
)
ONE_ROLE = HEADER + "zhang.wei,张,伟,,,segment_manager,AUTO,yes\n"


def load(text, by):
    result = people_load(file_bytes=text.encode(), filename="people.csv", by=by)
    assert result.ok, result.problems
    return result


def trail():
    return [
        (h.history_type, h.role, h.segment.code, h.history_user)
        for h in RoleMembership.history.order_by("history_id")
    ]


@pytest.mark.django_db
def test_memberships_the_file_adds_are_recorded_with_who_loaded_it(org):
    admin = UserFactory(username="root", is_superuser=True)
    load(TWO_ROLES, admin)
    assert trail() == [
        ("+", "segment_manager", "AUTO", admin),
        ("+", "segment_manager", "ELEC", admin),
    ]


@pytest.mark.django_db
def test_a_membership_the_file_ends_is_recorded_as_ended(org):
    admin = UserFactory(username="root", is_superuser=True)
    load(TWO_ROLES, admin)
    load(ONE_ROLE, admin)
    assert trail()[-1] == ("-", "segment_manager", "ELEC", admin)
    assert not RoleMembership.objects.filter(segment__code="ELEC").exists()


@pytest.mark.django_db
def test_loading_the_same_file_again_records_nothing(org):
    admin = UserFactory(username="root", is_superuser=True)
    load(TWO_ROLES, admin)
    before = len(trail())
    load(TWO_ROLES, admin)
    assert len(trail()) == before


@pytest.mark.django_db
def test_an_administrator_reads_a_membership_s_history_in_the_admin(org, admin_client):
    load(TWO_ROLES, None)
    membership = RoleMembership.objects.get(segment__code="AUTO", user__username="zhang.wei")
    page = admin_client.get(f"/admin/organisation/rolemembership/{membership.pk}/history/")
    assert page.status_code == 200 and "zhang.wei" in page.content.decode()
