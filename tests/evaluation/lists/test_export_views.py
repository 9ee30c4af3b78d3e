"""Download views of target lists and the BU / BG documents: who may download which, the
file names, the headers by language, and clear refusals of bad parameters."""

import csv
import io
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.lists.services import target_list_owners_assign
from tests.evaluation.lists.test_exports import ELEC_CUSTOMERS, HEADERS, make_list

YEAR = 2027


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"


def list_url(target_list, fmt="csv", **params):
    query = "&".join(f"{k}={v}" for k, v in {"format": fmt, **params}.items())
    return reverse("evaluation:target-list-export", args=[target_list.pk]) + "?" + query


def unit_url(name, code, fmt="csv", year=YEAR, **params):
    query = "&".join(f"{k}={v}" for k, v in {"format": fmt, **params}.items())
    return reverse(f"evaluation:{name}", args=[code, year]) + "?" + query


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- A segment's list -------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_the_segment_manager_downloads_her_list_as_csv(client_for, people, example_list):
    response = client_for(people.alice).get(list_url(example_list))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = rows_of(response)
    assert rows[0] == HEADERS
    assert [row[2] for row in rows[1:]] == list("GAFEBCHD")
    assert rows[1][5] == "Target"


@pytest.mark.usefixtures("chinese")
def test_headers_are_chinese_when_the_language_is_chinese(client_for, people, example_list):
    rows = rows_of(client_for(people.alice).get(list_url(example_list)))
    assert rows[0][:8] == [
        "排名",
        "统一社会信用代码",
        "客户名称",
        "总分",
        "完整度",
        "状态",
        "级别",
        "负责人",
    ]
    assert rows[0][8:] == ["得分:revenue", "得分:employees", "得分:outsourcing"]


@pytest.mark.usefixtures("chinese")
def test_the_file_name_is_utf8_with_an_ascii_fallback(client_for, people, example_list):
    response = client_for(people.alice).get(list_url(example_list, "xlsx"))
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="2027_AUTO_target-list_r1.xlsx"; ')
    assert disposition.endswith("filename*=UTF-8''" + quote("2027_AUTO_目标客户分级名单_r1.xlsx"))


@pytest.mark.usefixtures("english")
def test_the_xlsx_download_reads_back(client_for, people, example_list):
    response = client_for(people.bob).get(list_url(example_list, "xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.max_row == 9


@pytest.mark.usefixtures("english")
def test_an_unknown_format_gets_a_clear_message(client_for, people, example_list):
    response = client_for(people.alice).get(list_url(example_list, "pdf"))
    assert response.status_code == 400
    assert response.content.decode() == "Choose the file format csv or xlsx."


@pytest.mark.parametrize("name", ["alice", "bob", "carol"])
def test_managers_over_the_segment_may_download_its_list(client_for, people, example_list, name):
    assert client_for(getattr(people, name)).get(list_url(example_list)).status_code == 200


@pytest.mark.parametrize(
    "name", ["eve", "grace", "oscar", "heidi", "ivan", "dave", "erin", "frank", "judy"]
)
def test_others_may_not_download_the_list(client_for, people, example_list, name):
    assert client_for(getattr(people, name)).get(list_url(example_list)).status_code == 403


def test_an_owner_may_download_a_list_where_they_own_a_customer(client_for, people, example_list):
    entry = example_list.entries.targets().first()
    target_list_owners_assign(
        target_list=example_list, entry_ids=[entry.pk], owner=people.dave, by=people.alice
    )
    assert client_for(people.dave).get(list_url(example_list)).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, example_list, org):
    for url in (list_url(example_list), unit_url("bu-tiered-export", "BU1")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_post_is_refused(client_for, people, example_list):
    assert client_for(people.alice).post(list_url(example_list)).status_code == 405


def test_an_unknown_list_is_not_found(client_for, people, db):
    url = reverse("evaluation:target-list-export", args=[999999])
    assert client_for(people.alice).get(url).status_code == 404


# --- BU and BG documents ---------------------------------------------------------------------


@pytest.fixture
def two_segments(org, example_list):
    return example_list, make_list(org.elec, ELEC_CUSTOMERS)


@pytest.mark.parametrize("view", ["bu-tiered-export", "bu-owners-export"])
@pytest.mark.parametrize("name", ["bob", "carol"])
def test_the_bu_and_bg_vps_may_download_the_bu_documents(
    client_for, people, example_list, view, name
):
    response = client_for(getattr(people, name)).get(unit_url(view, "BU1", "xlsx"))
    assert response.status_code == 200


@pytest.mark.parametrize("view", ["bu-tiered-export", "bu-owners-export"])
@pytest.mark.parametrize("name", ["alice", "eve", "heidi", "ivan", "dave", "judy"])
def test_others_may_not_download_the_bu_documents(client_for, people, example_list, view, name):
    assert client_for(getattr(people, name)).get(unit_url(view, "BU1")).status_code == 403


@pytest.mark.parametrize("view", ["bg-tiered-export", "bg-owners-export"])
def test_the_bg_vp_may_download_the_bg_documents(client_for, people, example_list, view):
    assert client_for(people.carol).get(unit_url(view, "BG1", "xlsx")).status_code == 200


@pytest.mark.parametrize("view", ["bg-tiered-export", "bg-owners-export"])
@pytest.mark.parametrize("name", ["bob", "alice", "heidi", "ivan", "dave", "judy"])
def test_others_may_not_download_the_bg_documents(client_for, people, example_list, view, name):
    assert client_for(getattr(people, name)).get(unit_url(view, "BG1")).status_code == 403


@pytest.mark.usefixtures("english")
def test_the_bu_document_holds_both_segments(client_for, people, two_segments):
    rows = rows_of(client_for(people.bob).get(unit_url("bu-tiered-export", "BU1")))
    assert rows[0][:3] == ["Segment", "Segment name", "Tier code"]
    assert [row[0] for row in rows[1:]] == ["AUTO"] * 6 + ["ELEC"] * 3


@pytest.mark.usefixtures("english")
def test_the_bg_summary_is_a_csv_part(client_for, people, two_segments):
    rows = rows_of(
        client_for(people.carol).get(unit_url("bg-tiered-export", "BG1", part="summary"))
    )
    assert rows[1][:1] + rows[1][2:] == ["BU1", "2", "3", "4", "9", "0/2"]


@pytest.mark.usefixtures("english")
def test_an_unknown_part_gets_a_clear_message(client_for, people, example_list):
    response = client_for(people.carol).get(unit_url("bg-tiered-export", "BG1", part="nope"))
    assert response.status_code == 400
    assert response.content.decode() == "Choose one of these parts: summary, list, principles."


@pytest.mark.usefixtures("chinese")
def test_bu_document_file_name(client_for, people, example_list):
    response = client_for(people.bob).get(unit_url("bu-tiered-export", "BU1", "xlsx"))
    assert response["Content-Disposition"].endswith(
        "filename*=UTF-8''" + quote("2027_BU1_年度BU重要客户分级名单.xlsx")
    )


def test_an_unknown_bu_is_not_found(client_for, people, db):
    response = client_for(people.bob).get(unit_url("bu-tiered-export", "NOPE"))
    assert response.status_code == 404
