"""A revision started while the approved list stays in force, in headless Chromium: the
segment manager revises AUTO's approved list and makes G general; the BU VP and the BG VP
still see revision 1 approved (with revision 2 in progress beside it) and download yearly
documents that openpyxl reads back with G still in tier A."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from evaluation.lists.approval import (
    target_list_approve,
    target_list_consolidate,
    target_list_submit,
)
from evaluation.lists.services import target_list_owners_assign
from tests.conftest import PASSWORD
from tests.evaluation.conftest import (  # noqa: F401
    document,
    example_customers,
    example_list,
    example_set,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approved(example_list, people):  # noqa: F811
    ids = list(example_list.entries.targets().values_list("pk", flat=True))
    target_list_owners_assign(
        target_list=example_list, entry_ids=ids, owner=people.dave, by=people.alice
    )
    target_list_submit(target_list=example_list, by=people.alice)
    target_list_consolidate(target_list=example_list, by=people.bob)
    target_list_approve(target_list=example_list, by=people.carol)
    return example_list


def downloaded_tiers(page, key: str) -> dict[str, str]:
    """Customer name → tier code of a downloaded yearly document's list sheet."""
    with page.expect_download() as download:
        page.get_by_test_id(f"download-{key}").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = next(ws for ws in workbook.worksheets if ws.title in ("分级名单", "Tiered list"))
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if "客户名称" in row)
    name, tier = rows[header].index("客户名称"), rows[header].index("级别")
    return {row[name]: row[tier] for row in rows[header + 1 :] if row[name]}


def test_a_revision_leaves_the_approved_list_in_force(
    csp_violations, page, people, approved, log_in, live_server, screenshot
):

    # The segment manager starts revision 2 and makes G general.
    log_in("alice", PASSWORD)
    page.goto(f"{live_server.url}{approved.get_absolute_url()}")
    page.locator("#revise-reason").fill("客户合并")
    page.get_by_test_id("revise-list").click()
    expect(page.get_by_test_id("in-force-note")).to_contain_text("修订版 1")
    expect(page.get_by_test_id("diff-empty")).to_be_visible()
    page.get_by_test_id("edit-G").click()
    page.locator("#id_override-tier").select_option("")
    page.locator("#id_override-reason").fill("已被收购")
    page.get_by_test_id("save-override").click()
    expect(page.get_by_test_id("diff-removed")).to_contain_text("G (A)")
    screenshot("list-in-force-revision")

    # The BU VP still sees revision 1 approved, revision 2 beside it, and exports revision 1.
    log_in("bob", PASSWORD)
    page.goto(f"{live_server.url}/criteria/lists/bu/BU1/2027/")
    row = page.get_by_test_id("segment-AUTO")
    expect(row.get_by_test_id("list-state")).to_contain_text("已批准")
    expect(row.get_by_test_id("pending-revision")).to_contain_text(re.compile("修订版 2.*草稿"))
    assert downloaded_tiers(page, "bu-tiered-export-xlsx")["G"] == "A"

    # So does the BG VP, in the BG view and its document.
    log_in("carol", PASSWORD)
    page.goto(f"{live_server.url}/criteria/lists/bg/BG1/2027/")
    row = page.get_by_test_id("segment-AUTO")
    expect(row.get_by_test_id("list-state")).to_contain_text("已批准")
    expect(row.get_by_test_id("pending-revision")).to_be_visible()
    assert downloaded_tiers(page, "bg-tiered-export-xlsx")["G"] == "A"
    screenshot("list-in-force-bg")

    # The revision's link leads to its page, with the diff for the approval to come.
    row.get_by_test_id("pending-revision").click()
    expect(page.get_by_test_id("diff-removed")).to_contain_text("G")
    assert csp_violations == []
