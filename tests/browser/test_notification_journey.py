"""A BU VP opens one notification from the home page and dismisses another in place."""

import pytest
from playwright.sync_api import expect

from organisation.services import notification_send
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bu_vp_opens_one_notification_and_dismisses_another(page, live_server, log_in, people):
    notification_send(recipient=people.bob, text="AUTO 2027 名单已提交", url="/criteria/lists/")
    notification_send(recipient=people.bob, text="ELEC 2027 名单已提交", url="/criteria/lists/")
    log_in("bob", PASSWORD)
    notes = page.get_by_test_id("notification")
    expect(notes).to_have_count(2)

    notes.filter(has_text="ELEC").get_by_test_id("dismiss").click()
    expect(notes).to_have_count(1)  # swapped out by htmx, no reload
    assert page.url == f"{live_server.url}/"

    page.get_by_role("link", name="AUTO 2027 名单已提交").click()
    page.wait_for_url(f"{live_server.url}/criteria/lists/")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("notification")).to_have_count(0)
