"""A target list from scoring to approval in headless Chromium, by three people: the segment
manager scores AUTO, names owners, writes a plan and submits; the BU VP consolidates; the BG
VP approves and downloads the Excel file, which openpyxl reads back."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from evaluation.models import TargetList
from tests.conftest import PASSWORD
from tests.evaluation.conftest import document, example_customers, example_set  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("example_customers")
def test_score_submit_consolidate_approve_and_download(
    csp_violations, page, people, org, log_in, live_server, screenshot
):

    # The segment manager scores her segment: the run makes the draft list.
    log_in("alice", PASSWORD)
    page.goto(f"{live_server.url}/criteria/runs/AUTO/2027/")
    page.get_by_test_id("score-button").click()
    expect(page.get_by_test_id("score-progress")).to_have_attribute("data-finished", "true")
    page.goto(f"{live_server.url}/criteria/lists/?year=2027")
    page.get_by_test_id("row-AUTO").get_by_role("link", name=re.compile("汽车零部件")).click()
    expect(page.get_by_test_id("list-state")).to_have_text("草稿")
    expect(page.get_by_test_id("missing-owners")).to_be_visible()

    # Submitting without owners is refused, naming the customers.
    page.get_by_test_id("submit-list").click()
    expect(page.locator(".alert-danger")).to_contain_text("G")
    expect(page.get_by_test_id("list-state")).to_have_text("草稿")

    # Bulk owners: tick every target, choose dave.
    for box in page.locator("input[name=entries]").all():
        box.check()
    page.locator("select[name=owner]").select_option(str(people.dave.pk))
    page.get_by_test_id("assign-owner").click()
    expect(page.get_by_test_id("missing-owners")).to_have_count(0)

    # A plan for the first target customer, and an override with its reason.
    page.get_by_test_id("edit-G").click()
    page.locator("#id_plan-plan_objective").fill("年内完成首个项目签约")
    page.locator("#id_plan-plan_next_date").fill("2027-03-15")
    page.get_by_test_id("save-plan").click()
    expect(page.get_by_test_id("entry-G")).to_contain_text("年内完成首个项目签约")
    page.get_by_test_id("edit-C").click()
    page.locator("#id_override-tier").select_option("B")
    page.locator("#id_override-reason").fill("战略合作伙伴")
    page.get_by_test_id("save-override").click()
    expect(page.get_by_test_id("entry-C").get_by_test_id("override")).to_be_visible()
    screenshot("target-list-draft")

    page.locator("#submit-comment").fill("请审核")
    page.get_by_test_id("submit-list").click()
    expect(page.get_by_test_id("list-state")).to_have_text("已提交")

    # The BU VP finds it on his home page and consolidates from the BU view.
    log_in("bob", PASSWORD)
    page.get_by_role("link", name=re.compile("份已提交的名单等待汇总")).click()
    expect(page.get_by_test_id("segment-AUTO")).to_contain_text("已提交")
    page.get_by_test_id("consolidate-all").click()
    expect(page.get_by_test_id("segment-AUTO")).to_contain_text("已汇总")
    screenshot("target-list-bu")

    # The BG VP approves from the BG view and downloads the approved list.
    log_in("carol", PASSWORD)
    page.goto(f"{live_server.url}/criteria/lists/bg/BG1/2027/")
    page.get_by_test_id("approve-all").click()
    expect(page.get_by_test_id("segment-AUTO")).to_contain_text("已批准")
    page.get_by_test_id("segment-AUTO").get_by_role("link").first.click()
    expect(page.get_by_test_id("transitions")).to_contain_text("请审核")
    with page.expect_download() as download:
        page.get_by_test_id("download-target-list-export-xlsx").click()
    saved = download.value.path()  # a temporary name without the .xlsx openpyxl insists on
    workbook = load_workbook(io.BytesIO(saved.read_bytes()))
    rows = [row for row in workbook.active.iter_rows(values_only=True) if any(row)]
    header = rows[0]
    assert header[:3] == ("排名", "统一社会信用代码", "客户名称")
    by_name = {row[2]: row for row in rows[1:]}
    assert by_name["G"][0] == 1 and by_name["G"][7]  # rank 1, an owner
    assert by_name["C"][6] == "B"  # the override, not the scored tier C
    assert len(by_name) == 8
    screenshot("target-list-approved")

    approved = TargetList.objects.get(segment=org.auto, year=2027)
    assert approved.state == TargetList.State.APPROVED
    assert list(approved.transitions.values_list("by__username", flat=True))[-3:] == [
        "alice",
        "bob",
        "carol",
    ]
    assert csp_violations == []
