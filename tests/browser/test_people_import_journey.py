"""An administrator loads the company's people file in the browser: upload, preview, load; a
bad file shows every problem by row and column and loads nothing."""

import pytest
from playwright.sync_api import expect

from organisation.models import RoleMembership
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "用户名,姓,名,电子邮箱,电话,角色,组织单元,在职"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def admin(org):
    return UserFactory(username="root", is_superuser=True, is_staff=True, password=PASSWORD)


def choose(page, text: str) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="载入人员").click()
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "人员.csv", "mimeType": "text/csv", "buffer": text.encode("gb18030")}],
    )
    page.get_by_test_id("people-import-form").locator("button[type=submit]").click()


def test_an_admin_previews_and_loads_a_people_file(page, admin, log_in, screenshot):
    log_in("root", PASSWORD)
    rows = [
        "zhangwei,张,伟,zhangwei@example.com,,BU营销副总,BU1,是",
        "lina,李,娜,,,细分市场经理,AUTO,是",
    ]
    choose(page, "\n".join([HEADER, *rows]) + "\n")
    expect(page.get_by_test_id("count-created")).to_have_text("2")
    screenshot("people-import-preview")
    assert not RoleMembership.objects.exists()

    page.get_by_test_id("confirm-people-import").click()
    expect(page.locator(".alert-success")).to_contain_text("2")
    assert set(RoleMembership.objects.values_list("user__username", "role")) == {
        ("zhangwei", "bu_vp"),
        ("lina", "segment_manager"),
    }


def test_a_bad_people_file_shows_its_problems_by_row(page, admin, log_in, screenshot):
    log_in("root", PASSWORD)
    choose(page, "\n".join([HEADER, ",张,伟,,,细分市场经理,BU1,是"]) + "\n")
    problems = page.get_by_test_id("people-import-problems")
    expect(problems).to_contain_text("必须填写用户名")
    expect(problems).to_contain_text("细分市场经理按细分市场任职")
    expect(page.get_by_test_id("confirm-people-import")).to_have_count(0)
    screenshot("people-import-problems")
    assert not RoleMembership.objects.exists()
