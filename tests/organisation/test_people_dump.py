"""dump_people writes the columns load_people reads, so a dump loads back unchanged."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from organisation.models import Profile, RoleMembership
from organisation.people import people_load, people_sheet
from prioritizer.spreadsheets import csv_bytes, to_xlsx
from prioritizer.tabular import csv_rows
from tests.factories import UserFactory

User = get_user_model()


@pytest.fixture
def world(people):
    """The shared world, with a phone, a leaver and someone without a role."""
    Profile.objects.create(user=people.alice, phone="+86 21 5555 0101")
    UserFactory(username="left", first_name="芳", last_name="王", is_active=False)
    return people


def state():
    users = list(
        User.objects.order_by("username").values_list(
            "pk", "username", "first_name", "last_name", "email", "is_active"
        )
    )
    memberships = list(RoleMembership.objects.order_by("pk").values_list("pk", "user", "role"))
    phones = list(Profile.objects.order_by("pk").values_list("user", "phone"))
    return users, memberships, phones


def assert_loads_back_unchanged(file_bytes: bytes, filename: str):
    before = state()

    result = people_load(file_bytes=file_bytes, filename=filename)

    assert result.ok, [str(problem) for problem in result.problems]
    assert (result.created, result.updated, result.deactivated) == (0, 0, 0)
    assert (result.memberships_added, result.memberships_ended) == (0, 0)
    assert result.unchanged == User.objects.count()
    assert state() == before


def test_the_dump_has_the_columns_and_a_row_per_membership(world):
    rows = [cells for _, cells in csv_rows(csv_bytes(people_sheet()))]

    assert rows[0] == [
        "username",
        "family_name",
        "given_name",
        "email",
        "phone",
        "role",
        "unit",
        "active",
    ]
    assert ["alice", "", "Alice", world.alice.email, "'+86 21 5555 0101"] == rows[1][:5]
    assert rows[1][5:] == ["segment_manager", "AUTO", "yes"]
    assert ["left", "王", "芳", "", "", "", "", "no"] in rows


def test_a_csv_dump_loads_back_unchanged(world):
    assert_loads_back_unchanged(csv_bytes(people_sheet()), "people.csv")


def test_a_dump_saved_as_gb18030_loads_back_unchanged(world):
    text = csv_bytes(people_sheet()).decode("utf-8-sig")

    assert_loads_back_unchanged(text.encode("gb18030"), "people.csv")


def test_a_dump_saved_as_xlsx_loads_back_unchanged(world):
    assert_loads_back_unchanged(to_xlsx([people_sheet()]), "people.xlsx")


def test_the_command_writes_the_dump(world, tmp_path):
    path = tmp_path / "people.csv"

    call_command("dump_people", "--output", str(path))

    assert path.read_bytes() == csv_bytes(people_sheet())
    assert_loads_back_unchanged(path.read_bytes(), "people.csv")
