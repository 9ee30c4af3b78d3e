"""Each role logs in through the real login form in headless Chromium and sees its home page,
first in Chinese, then in English."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = [
    # username, Chinese role label, English role label, scope code
    ("carol", "BG营销副总", "BG marketing VP", "BG1"),
    ("bob", "BU营销副总", "BU marketing VP", "BU1"),
    ("alice", "细分市场经理", "Segment manager", "AUTO"),
    ("dave", "客户经理", "Account manager", "BU1"),
    ("erin", "调研人员", "Researcher", "BU1"),
    ("frank", "对外关系负责人", "External-relations lead", "BU1"),
]


def test_the_login_page_is_in_chinese(page, live_server, screenshot):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="客户重要性排序")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot("login-zh")


@pytest.mark.parametrize(("username", "label_zh", "label_en", "scope"), ROLES)
def test_each_role_sees_its_home_page_in_chinese_and_english(
    page, people, log_in, screenshot, username, label_zh, label_en, scope
):
    log_in(username, PASSWORD)
    roles = page.get_by_test_id("my-roles")
    expect(roles).to_contain_text(label_zh)
    expect(roles).to_contain_text(scope)
    expect(page.get_by_test_id("waiting")).to_be_visible()
    screenshot(f"home-{username}-zh")

    page.get_by_test_id("language-switcher").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("my-roles")).to_contain_text(label_en)
    expect(page.get_by_text("Your roles and scope")).to_be_visible()
    screenshot(f"home-{username}-en")


def test_a_bu_vp_without_segment_managers_is_told_it_stands_in(page, people, log_in):
    log_in("heidi", PASSWORD)
    expect(page.get_by_test_id("waiting")).to_contain_text("RETL")


def test_navigation_shows_only_what_the_role_may_use(page, people, log_in):
    log_in("judy", PASSWORD)
    nav = page.get_by_test_id("main-nav")
    expect(nav.get_by_role("link")).to_have_count(1)
    expect(nav).not_to_contain_text("组织架构")


def test_a_user_logs_out(page, people, log_in, live_server):
    log_in("alice", PASSWORD)
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/org/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/org/")


def test_the_pages_break_no_content_security_rule(
    csp_violations, page, people, log_in, live_server
):
    log_in("bob", PASSWORD)
    page.goto(f"{live_server.url}/org/")
    page.goto(f"{live_server.url}/org/bu/BU1/")
    assert csp_violations == []
