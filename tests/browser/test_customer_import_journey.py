"""A researcher imports customers in the browser: upload, preview, import (a background run
whose page follows it); a bad file shows its problems by row and column."""

import pytest
from playwright.sync_api import expect

from customers.credit_code import check_character
from customers.models import Customer
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "统一社会信用代码,客户名称,英文名称,业务单元,细分市场,地区,行业,年度,营业收入,利润,IT预算,IT支出,员工人数,IT人员数"


def code(n: int) -> str:
    body = f"9132050{n:010d}"
    return body + check_character(body)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def choose(page, live_server, name: str, text: str) -> None:
    page.goto(f"{live_server.url}/customers/import/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("gb18030")}],
    )
    page.get_by_test_id("import-form").locator("button[type=submit]").click()


def test_a_researcher_previews_and_imports_a_csv(page, people, log_in, live_server, screenshot):
    log_in("erin", PASSWORD)
    rows = [
        f'{code(1)},苏州恒达汽车零部件有限公司,,BU1,AUTO,江苏,汽车,2024,"12,500,000",800000,,,1200,30',
        ",无锡华瑞电子有限公司,,BU1,ELEC,jiangsu,electronics,2024,3000000,-5000,,,150,",
    ]
    choose(page, live_server, "客户.csv", "\n".join([HEADER, *rows]) + "\n")
    expect(page.get_by_test_id("import-summary")).to_be_visible()
    expect(page.get_by_test_id("count-created")).to_have_text("2")
    expect(page.get_by_test_id("preview-rows")).to_contain_text("苏州恒达汽车零部件有限公司")
    screenshot("customer-import-preview")
    assert not Customer.objects.exists()

    # The import runs in the background; in-process (as here) it is done when the page loads.
    page.get_by_test_id("confirm-import").click()
    expect(page.get_by_test_id("import-run")).to_have_attribute("data-state", "done")
    expect(page.get_by_test_id("import-run-message")).to_contain_text("2")
    expect(page.locator(".alert-success")).to_be_visible()
    screenshot("customer-import-done")
    assert Customer.objects.count() == 2
    page.get_by_test_id("customer-list-link").click()
    expect(page.get_by_text("苏州恒达汽车零部件有限公司")).to_be_visible()


def test_a_bad_file_shows_its_problems_by_row(page, people, log_in, live_server, screenshot):
    log_in("erin", PASSWORD)
    rows = [
        f"{code(1)},甲公司,,BU1,AUTO,,,2024,很多,,,,,",
        f"{code(2)},乙公司,,BU2,CHEM,,,2024,,,,,,",
    ]
    choose(page, live_server, "bad.csv", "\n".join([HEADER, *rows]) + "\n")
    problems = page.get_by_test_id("import-problems")
    expect(problems).to_contain_text("营业收入")
    expect(problems).to_contain_text("BU2")
    expect(page.get_by_test_id("confirm-import")).to_have_count(0)
    screenshot("customer-import-problems")
    assert not Customer.objects.exists()


def test_the_run_page_follows_a_queued_import_until_it_is_done(
    page, people, log_in, live_server, monkeypatch
):
    from customers.imports.jobs import import_run_execute
    from customers.imports.runs import ImportRun

    monkeypatch.setattr("outbox.services.job_send", lambda **kwargs: False)  # no worker yet
    log_in("erin", PASSWORD)
    choose(
        page,
        live_server,
        "客户.csv",
        f"{HEADER}\n{code(3)},常州新材料有限公司,,BU1,AUTO,,,2024,,,,,,\n",
    )
    page.get_by_test_id("confirm-import").click()
    run_box = page.get_by_test_id("import-run")
    expect(run_box).to_have_attribute("data-state", "queued")
    expect(run_box).to_have_attribute("hx-trigger", "every 2s")
    import_run_execute(run_id=ImportRun.objects.get().pk)  # the worker's turn
    expect(run_box).to_have_attribute("data-state", "done", timeout=10_000)
    expect(run_box).not_to_have_attribute("hx-trigger", "every 2s")
    assert Customer.objects.get().name_zh == "常州新材料有限公司"
