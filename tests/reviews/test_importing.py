"""Importing results from CSV/XLSX: all-or-nothing, every bad row named by number and column."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from reviews.importing import results_import
from reviews.models import DevelopmentResult
from tests.reviews.conftest import YEAR, entry_of

pytestmark = pytest.mark.usefixtures("english")

HEADER = "credit_code,name,year,revenue_won,contracts_signed,stage,notes\n"
G_CODE = (
    "91110000100000000X"  # G and A have credit codes (tests/evaluation/scoring/test_scoring.py)
)
A_CODE = "91350100M000100Y43"


def run(people, text: str, *, dry_run=False, filename="results.csv", encoding="utf-8"):
    return results_import(
        file_bytes=text.encode(encoding), filename=filename, by=people.dave, dry_run=dry_run
    )


def messages(result):
    return [str(problem) for problem in result.problems]


def test_a_good_file_records_every_row(approved_list, people):
    result = run(
        people,
        HEADER
        + f"{G_CODE},,{YEAR},2500000.50,2,won,首单\n"
        + f",F,{YEAR},0,0,contacted,\n"
        + f",E,{YEAR},,,negotiation,下月签约\n",
    )
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (3, 0)
    stored = {r.customer.name_zh: r for r in DevelopmentResult.objects.select_related("customer")}
    assert stored["G"].revenue_won == Decimal("2500000.50") and stored["G"].contracts_signed == 2
    assert stored["E"].revenue_won == 0 and stored["E"].stage == "negotiation"


def test_importing_again_updates(approved_list, people):
    run(people, HEADER + f"{G_CODE},,{YEAR},100,1,proposal,\n")
    result = run(people, HEADER + f"{G_CODE},,{YEAR},200,1,won,\n")
    assert (result.created, result.updated) == (0, 1)
    assert DevelopmentResult.objects.get().revenue_won == Decimal(200)


def test_a_check_only_run_records_nothing(approved_list, people):
    result = run(people, HEADER + f"{G_CODE},,{YEAR},100,1,won,\n", dry_run=True)
    assert result.ok and result.created == 1 and result.preview[0]["customer"]
    assert not DevelopmentResult.objects.exists()


def test_chinese_headers_and_stage_names_in_gb18030(approved_list, people):
    text = (
        "统一社会信用代码,客户名称,年度,赢得收入,签约合同数,关系阶段,备注\n"
        f'{A_CODE},,{YEAR}年,"1,000,000",1,赢单,春节前签约\n'
        f",B,{YEAR},0,0,已接触,\n"
    )
    result = run(people, text, encoding="gb18030")
    assert result.ok, messages(result)
    stages = dict(DevelopmentResult.objects.values_list("customer__name_zh", "stage"))
    assert stages == {"A": "won", "B": "contacted"}


def test_english_stage_labels_and_a_bom(approved_list, people):
    result = run(people, "\ufeff" + HEADER + f",C,{YEAR},0,0,Dormant,\n")
    assert result.ok, messages(result)
    assert DevelopmentResult.objects.get().stage == "dormant"


def test_an_xlsx_file(approved_list, people):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["credit_code", "name", "year", "revenue_won", "contracts_signed", "stage"])
    sheet.append([G_CODE, None, YEAR, 1234.5, 1, "won"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = results_import(
        file_bytes=buffer.getvalue(), filename="r.xlsx", by=people.dave, dry_run=False
    )
    assert result.ok, messages(result)
    assert DevelopmentResult.objects.get().revenue_won == Decimal("1234.50")


# --- Bad input: a clear message, nothing written ------------------------------------------------


def test_a_customer_that_is_not_a_target_is_refused_by_row(approved_list, people):
    # H is a general customer of the list, D was screened out: neither is a target.
    result = run(people, HEADER + f",H,{YEAR},10,0,won,\n" + f",D,{YEAR},10,0,won,\n")
    assert messages(result) == [
        f"row 2, column name: “H” is not a target customer of an approved list for {YEAR}: results are recorded only for those.",
        f"row 3, column name: “D” is not a target customer of an approved list for {YEAR}: results are recorded only for those.",
    ]
    assert not DevelopmentResult.objects.exists()


def test_negative_revenue_is_refused_and_the_good_rows_are_not_written(approved_list, people):
    result = run(people, HEADER + f"{G_CODE},,{YEAR},100,1,won,\n" + f",F,{YEAR},-5,0,won,\n")
    assert messages(result) == ["row 3, column revenue_won: This amount cannot be negative."]
    assert not DevelopmentResult.objects.exists()


def test_a_stage_that_does_not_exist_is_refused(approved_list, people):
    result = run(people, HEADER + f",F,{YEAR},0,0,signed,\n")
    [message] = messages(result)
    assert message.startswith("row 2, column stage: “signed” is not a relationship stage.")
    assert not DevelopmentResult.objects.exists()


def test_negative_contracts_and_bad_years_are_refused(approved_list, people):
    result = run(people, HEADER + f",F,{YEAR},0,-1,won,\n" + ",E,20x7,0,0,won,\n")
    assert messages(result)[0] == "row 2, column contracts_signed: This number cannot be negative."
    assert messages(result)[1].startswith("row 3, column year: Enter a year from 2000 to")


def test_a_year_without_an_approved_list_is_refused(approved_list, people):
    result = run(people, HEADER + f",F,{YEAR - 1},0,0,won,\n")
    assert "is not a target customer of an approved list for 2026" in messages(result)[0]


def test_another_owners_customer_is_refused(approved_list, people, org):
    from evaluation.models import TargetEntry
    from tests.factories import RoleMembershipFactory, UserFactory

    mallory = UserFactory(username="mallory")
    RoleMembershipFactory(user=mallory, role="account_manager", business_unit=org.bu1)
    TargetEntry.objects.filter(pk=entry_of(approved_list, "F").pk).update(owner=mallory)
    result = run(people, HEADER + f",F,{YEAR},0,0,won,\n")
    assert messages(result) == [
        "row 2, column name: “F” is a target customer of someone else: only its owner records results."
    ]


def test_the_same_customer_twice_is_refused(approved_list, people):
    result = run(people, HEADER + f",F,{YEAR},0,0,won,\n" + f",F,{YEAR},5,0,won,\n")
    assert messages(result) == [
        f"row 3, column name: This customer's result for {YEAR} is also in row 2."
    ]


def test_a_file_without_the_required_columns_is_refused(approved_list, people):
    result = run(people, "name,revenue_won,colour\nF,10,red\n")
    assert messages(result) == [
        "row 1, column colour: Unknown column “colour”: use the columns of docs/reviews.md.",
        "row 1, column year: The required column “year” (年度) is missing.",
        "row 1, column stage: The required column “stage” (关系阶段) is missing.",
    ]


def test_an_empty_file_is_refused(approved_list, people):
    assert messages(run(people, "")) == ["row 1, column —: The file is empty."]
    assert messages(run(people, HEADER)) == ["row 2, column —: The file has a header but no rows."]


# --- The page --------------------------------------------------------------------------------


def upload(client, text, dry_run=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"file": SimpleUploadedFile("results.csv", text.encode())}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("reviews:results-import"), data, follow=True)


def test_the_owner_imports_through_the_page(approved_list, people, client_for):
    client = client_for(people.dave)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = upload(client, HEADER + f"{G_CODE},,{YEAR},100,1,won,\n")
    assert "1 results recorded, 0 updated." in response.content.decode()
    assert DevelopmentResult.objects.count() == 1


def test_the_page_lists_every_bad_row(approved_list, people, client_for):
    client = client_for(people.dave)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = upload(client, HEADER + f",H,{YEAR},-1,0,nope,\n")
    page = response.content.decode()
    assert response.status_code == 400
    assert "nothing was recorded" in page
    assert (
        "This amount cannot be negative." in page and "“nope” is not a relationship stage" in page
    )


@pytest.mark.parametrize("name", ["alice", "bob", "judy"])
def test_only_account_managers_import(people, client_for, name):
    response = client_for(getattr(people, name)).get(reverse("reviews:results-import"))
    assert response.status_code == 403


def test_the_import_page_needs_a_login(client, db):
    response = client.get(reverse("reviews:results-import"))
    assert response.status_code == 302
