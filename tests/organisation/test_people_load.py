"""load_people: a people file creates people and their role memberships, idempotently and all
or nothing; every bad row is listed by number and column."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from organisation.models import Profile, Role, RoleMembership
from organisation.people import people_load
from tests.conftest import PASSWORD
from tests.factories import RoleMembershipFactory, UserFactory

User = get_user_model()

HEADER = "username,family_name,given_name,email,phone,role,unit,active\n"
GOOD = (
    HEADER + "zhangwei,张,伟,zhangwei@example.com,+86 138 0000 0001,bu_vp,BU1,yes\n"
    "zhangwei,张,伟,zhangwei@example.com,+86 138 0000 0001,account_manager,BU2,yes\n"
    "lina,李,娜,lina@example.com,,细分市场经理,AUTO,\n"
    "smith,Smith,Alice,alice@example.com,,BG marketing VP,BG1,是\n"
)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English here; the Chinese catalogue is tested separately."""
    with translation.override("en"):
        yield


def load(text: str, **kwargs):
    return people_load(file_bytes=text.encode("utf-8"), filename="people.csv", **kwargs)


def messages(result) -> list[str]:
    return [str(problem) for problem in result.problems]


def sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def memberships(username: str) -> set[tuple[str, str]]:
    return {
        (m.role, m.unit.code)
        for m in RoleMembership.objects.with_scope().filter(user__username=username)
    }


def test_a_good_file_creates_people_and_their_memberships(org):
    result = load(GOOD)

    assert result.ok, messages(result)
    assert (result.created, result.memberships_added) == (3, 4)
    zhang = User.objects.get(username="zhangwei")
    assert (zhang.last_name, zhang.first_name, zhang.email) == ("张", "伟", "zhangwei@example.com")
    assert zhang.get_full_name() == "张伟"
    assert zhang.profile.phone == "+86 138 0000 0001"
    assert not zhang.has_usable_password()
    assert memberships("zhangwei") == {("bu_vp", "BU1"), ("account_manager", "BU2")}
    assert memberships("lina") == {("segment_manager", "AUTO")}
    assert memberships("smith") == {("bg_vp", "BG1")}
    assert not Profile.objects.filter(user__username="lina").exists()


def test_chinese_headers_are_read(org):
    result = load("用户名,姓,名,电子邮箱,电话,角色,组织单元,在职\nlina,李,娜,,,客户经理,BU1,是\n")

    assert result.ok, messages(result)
    assert memberships("lina") == {("account_manager", "BU1")}


def test_loading_the_same_file_twice_changes_nothing_the_second_time(org):
    load(GOOD)
    before = list(RoleMembership.objects.order_by("pk").values_list("pk", "user", "role"))

    again = load(GOOD)

    assert again.ok
    assert (again.created, again.updated, again.deactivated) == (0, 0, 0)
    assert (again.memberships_added, again.memberships_ended, again.unchanged) == (0, 0, 3)
    assert list(RoleMembership.objects.order_by("pk").values_list("pk", "user", "role")) == before


def test_a_changed_name_and_phone_update_the_person(org):
    load(GOOD)

    result = load(HEADER + "lina,李,丽娜,lina@example.com,010-1234,segment_manager,AUTO,yes\n")

    assert (result.updated, result.unchanged) == (1, 0)
    lina = User.objects.get(username="lina")
    assert (lina.first_name, lina.profile.phone) == ("丽娜", "010-1234")


def test_a_membership_of_a_listed_person_missing_from_the_file_is_ended(org):
    load(GOOD)

    result = load(HEADER + "zhangwei,张,伟,zhangwei@example.com,+86 138 0000 0001,bu_vp,BU1,\n")

    assert (result.memberships_added, result.memberships_ended) == (0, 1)
    assert memberships("zhangwei") == {("bu_vp", "BU1")}
    assert memberships("lina") == {("segment_manager", "AUTO")}  # not named: left alone


def test_a_leaver_is_deactivated_not_deleted_and_cannot_sign_in(org, client):
    leaver = UserFactory(username="lina", first_name="娜", last_name="李", password=PASSWORD)
    RoleMembershipFactory(user=leaver, role=Role.SEGMENT_MANAGER, segment=org.auto)
    assert sign_in(client, "lina").status_code == 302
    client.logout()

    result = load(HEADER + "lina,李,娜,,,,,否\n")

    assert result.ok, messages(result)
    assert (result.deactivated, result.memberships_ended, result.updated) == (1, 1, 0)
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert leaver.get_full_name() == "李娜"
    assert sign_in(client, "lina").status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session


def test_a_dry_run_writes_nothing(org):
    result = load(GOOD, dry_run=True)

    assert result.ok and result.created == 3
    assert not User.objects.filter(username="zhangwei").exists()


def test_an_unknown_unit_refuses_the_file(org):
    result = load(GOOD + "wang,王,芳,,,account_manager,BU9,yes\n")

    assert messages(result) == [
        "row 6, column unit: No business unit has the code “BU9” (codes are case-sensitive)."
    ]
    assert not User.objects.exists()


def test_a_segment_manager_on_a_bu_code_is_refused(org):
    result = load(HEADER + "wang,王,芳,,,segment_manager,BU1,yes\n")

    assert messages(result) == [
        "row 2, column unit: Segment manager is held for a market segment, "
        "but “BU1” is a business unit."
    ]
    assert not User.objects.exists()


def test_an_unknown_role_is_refused(org):
    result = load(HEADER + "wang,王,芳,,,sales_director,BU1,yes\n")

    assert messages(result) == [
        "row 2, column role: Unknown role “sales_director”: use one of bg_vp, bu_vp, "
        "segment_manager, account_manager, researcher, external_relations, or its Chinese name."
    ]


def test_two_rows_giving_one_username_different_names_are_refused(org):
    result = load(HEADER + "wang,王,芳,,,bu_vp,BU1,yes\nwang,汪,芳,,,researcher,BU1,yes\n")

    assert messages(result) == [
        "row 3, column family_name: “wang” has “汪” here but “王” in row 2: "
        "a person's rows must agree."
    ]
    assert not User.objects.exists()


def test_a_missing_username_is_refused(org):
    result = load(HEADER + ",王,芳,,,bu_vp,BU1,yes\n")

    assert messages(result) == ["row 2, column username: The username is required."]


def test_every_bad_row_is_listed(org):
    result = load(
        HEADER + ",王,芳,,,bu_vp,BU1,yes\n"
        "ok,王,芳,,,bu_vp,BU1,yes\n"
        "wang,王,芳,not-an-email,,boss,BU1,maybe\n"
    )

    assert [(p.row, p.column) for p in result.problems] == [
        (2, "username"),
        (4, "email"),
        (4, "active"),
        (4, "role"),
    ]
    assert not User.objects.exists()


def test_a_file_in_a_wrong_encoding_is_refused(org):
    # Neither UTF-8 nor GB18030: bytes \x80\xff are not text in either.
    result = people_load(
        file_bytes=HEADER.encode() + b"wang,\x80\xff,,,,bu_vp,BU1,yes\n", filename="people.csv"
    )

    assert messages(result) == [
        "row 1, column —: The file cannot be read as text: "
        "save it as CSV in UTF-8 or GB18030/GBK, or as XLSX."
    ]
    assert not User.objects.exists()


def test_an_unreadable_workbook_is_refused(org):
    result = people_load(file_bytes=b"PK\x03\x04 broken", filename="people.xlsx")

    assert messages(result) == ["row 1, column —: The file is not a valid XLSX workbook."]


def test_a_missing_required_column_is_refused(org):
    result = load("username,family_name\nwang,王\n")

    assert messages(result) == [
        "row 1, column role: The required column “role” (角色) is missing.",
        "row 1, column unit: The required column “unit” (组织单元) is missing.",
    ]


def test_an_admin_cannot_deactivate_themselves(org):
    admin = UserFactory(username="admin")

    result = load(HEADER + "admin,,,,,,,no\n", by=admin)

    assert messages(result) == ["row 2, column active: You cannot deactivate yourself."]
    admin.refresh_from_db()
    assert admin.is_active


def test_the_messages_are_translated(org):
    with translation.override("zh-hans"):
        result = load(HEADER + ",王,芳,,,segment_manager,BU1,yes\n")
        assert messages(result) == [
            "第 2 行，列 username：必须填写用户名。",
            "第 2 行，列 unit：细分市场经理按细分市场任职，但“BU1”是业务单元。",
        ]


def test_the_command_refuses_a_bad_file_with_every_problem(org, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "wang,王,芳,,,boss,BU1,yes\n", encoding="utf-8")

    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_people", str(path))

    assert "row 2, column role: Unknown role “boss”" in capsys.readouterr().err


def test_the_command_reports_its_counts(org, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(GOOD, encoding="utf-8")

    call_command("load_people", str(path))

    assert "people created 3" in capsys.readouterr().out


def test_two_people_with_one_email_are_refused(org):
    result = load(
        HEADER + "wang,王,芳,wang@example.com,,bu_vp,BU1,yes\n"
        "wangf,王,芳,Wang@Example.com,,researcher,BU1,yes\n"
    )

    assert messages(result) == [
        "row 3, column email: This e-mail address is also given to “wang” in row 2."
    ]


def test_two_usernames_differing_only_in_case_are_refused(org):
    result = load(HEADER + "wang,王,芳,,,bu_vp,BU1,yes\nWang,王,芳,,,researcher,BU1,yes\n")

    assert messages(result) == [
        "row 3, column username: “Wang” differs only in case from “wang” in row 2."
    ]


def test_a_username_differing_only_in_case_from_an_existing_user_is_refused(org):
    UserFactory(username="Wang")

    result = load(HEADER + "wang,王,芳,,,bu_vp,BU1,yes\n")

    assert messages(result) == [
        "row 2, column username: “wang” differs only in case from the existing user “Wang”."
    ]
