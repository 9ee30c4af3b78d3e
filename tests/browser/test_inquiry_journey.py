"""An account manager logs a cold call on a phone-sized screen and sees the match
suggestion; the segment manager decides it; the roll-up page shows it after
`rollup_inquiries`."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from inquiries.models import Decision, Inquiry
from tests.conftest import PASSWORD
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_decide_and_roll_up(csp_violations, page, people, org, log_in, live_server, screenshot):
    customer = CustomerFactory(name_zh="宁波精工汽配有限公司", business_unit=org.bu1)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone

    # The account manager logs the call; the existing customer is suggested while typing.
    log_in("dave", PASSWORD)
    page.goto(f"{live_server.url}/inquiries/new/")
    expect(page.locator("#id_company_name")).to_be_focused()
    page.keyboard.type("宁波精工汽配")
    matches = page.get_by_test_id("customer-matches")
    expect(matches).to_contain_text("宁波精工汽配有限公司")
    page.locator(f"#match-{customer.pk}").check()
    page.locator("#id_contact_name").fill("王经理")
    page.locator("#id_contact_phone").fill("0574-88881234")
    page.locator("#id_request").fill("询问MES升级服务")
    page.locator("#id_segment").select_option(str(org.auto.pk))
    screenshot("inquiry-log-phone")
    page.get_by_test_id("save-inquiry").click()
    expect(page).to_have_url(re.compile(r"/inquiries/\d+/$"))
    inquiry = Inquiry.objects.get()
    assert inquiry.customer == customer and inquiry.logged_by == people.dave

    # The segment manager finds it in the review queue and adds it as a target prospect.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/inquiries/review/")
    page.get_by_test_id("queue-item").first.click()
    page.locator("input[name=decision][value=target]").check()
    page.locator("#id_owner").select_option(str(people.dave.pk))
    page.get_by_test_id("save-decision").click()
    expect(page.get_by_test_id("inquiry-decision")).to_be_visible()
    inquiry.refresh_from_db()
    assert inquiry.decision == Decision.TARGET and inquiry.decided_by == people.alice
    screenshot("inquiry-decided")

    # The roll-up, run by hand, shows it on the report page with its chart.
    month = timezone.localdate().strftime("%Y-%m")
    call_command("rollup_inquiries", "--month", month, stdout=StringIO())
    page.goto(f"{live_server.url}/inquiries/rollup/?month={month}")
    expect(page.get_by_test_id("rollup-total")).to_have_text("1")
    expect(page.get_by_test_id("rollup-table")).to_contain_text("AUTO")
    page.wait_for_function("() => window.Chart && Chart.getChart('rollup-chart') !== undefined")
    screenshot("inquiry-rollup")
    assert csp_violations == []
