"""A person loaded from the people file signs in with the company directory's password (a real
OpenLDAP server, tests/ldap_server.py) in headless Chromium and lands on the home page of the
role the file gave them."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from organisation.people import people_load
from tests.factories import BusinessGroupFactory, BusinessUnitFactory
from tests.ldap_server import DIRECTORY
from tests.organisation.test_ldap_sign_in import directory_sign_in  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_LI, WANG, _ZHAO = DIRECTORY
PEOPLE_FILE = (
    "username,family_name,given_name,email,phone,role,unit,active\n"
    "wang.fang,王,芳,wang.fang@example.com,,bu_vp,IND,yes\n"
)


@pytest.fixture
def loaded_person():
    """IND (工业事业部) of one BG, and wang.fang as its BU VP from the people file (no password)."""
    BusinessUnitFactory(
        code="IND", name_zh="工业事业部", business_group=BusinessGroupFactory(code="MFG")
    )
    result = people_load(file_bytes=PEOPLE_FILE.encode(), filename="people.csv")
    assert result.ok, result.problems
    return get_user_model().objects.get(username="wang.fang")


def test_a_person_from_the_file_signs_in_through_the_directory_and_sees_their_role(
    csp_violations,
    page,
    loaded_person,
    directory_sign_in,  # noqa: F811
    log_in,
    screenshot,  # noqa: F811
):
    assert not loaded_person.has_usable_password()
    log_in(WANG.uid, WANG.password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("王芳")
    roles = page.get_by_test_id("my-roles")
    expect(roles).to_contain_text("BU营销副总")
    expect(roles).to_contain_text("工业事业部")
    screenshot("ldap-sign-in-home")
    assert get_user_model().objects.filter(username="wang.fang").count() == 1
    assert csp_violations == []


def test_a_wrong_directory_password_stays_on_the_login_page(
    page,
    loaded_person,
    directory_sign_in,  # noqa: F811
    live_server,  # noqa: F811
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(WANG.uid)
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_test_id("my-roles")).to_have_count(0)
