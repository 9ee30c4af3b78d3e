"""Control characters are refused by every form, import and API field, with a message naming
the character, and nothing is written (prioritizer.text, prioritizer.clean_input)."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.conf import settings
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from customers.imports.service import customers_import
from customers.models import Customer, CustomerYear
from inquiries.models import Inquiry
from prioritizer.clean_input import CleanInputMixin
from prioritizer.text import control_problem, printable
from tests.reviews.conftest import (  # noqa: F401 - fixtures of the results import tests
    approved_list,
    document,
    example_customers,
    example_list,
    example_set,
)

VERTICAL_TAB = "\x0b"  # what Excel puts in a cell for a line break pasted into a single line


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- The rule ----------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0b", "\x1f", "\ud800", "\uffff"])
def test_control_characters_are_refused_in_any_text(char):
    assert "control character" in control_problem(f"甲{char}公司", multiline=True)


@pytest.mark.parametrize("char", ["\t", "\n", "\r"])
def test_tabs_and_line_breaks_are_refused_in_a_single_line_only(char):
    assert "single line" in control_problem(f"甲{char}公司")
    assert control_problem(f"甲{char}公司", multiline=True) is None


def test_ordinary_text_passes():
    assert control_problem("宁波精工 Co., Ltd. (¥1,000) <b>&", multiline=False) is None


def test_printable_drops_only_what_a_spreadsheet_cannot_hold():
    assert printable("a\x00b\x0bc\td\ne\rf\x7f") == "abc\td\ne\rf\x7f"


# --- Forms -------------------------------------------------------------------------------

APPS = ["customers", "evaluation", "inquiries", "organisation", "outbox", "prioritizer", "reviews"]


def _form_modules() -> list[str]:
    """Every module of the project's apps, in their sub-packages too, whose name says it holds
    forms (forms.py, forms_lists.py, imports/forms.py, ...), so a new one is checked too."""
    names = []
    for app in APPS:
        package = importlib.import_module(app)
        names += [
            info.name
            for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}.")
            if "forms" in info.name.rsplit(".", 1)[-1]
        ]
    return names


FORM_MODULES = _form_modules()


def test_the_form_modules_are_found():
    assert {"customers.forms", "evaluation.lists.forms", "reviews.forms"} <= set(FORM_MODULES)


def test_every_form_of_the_project_guards_its_input():
    unguarded = [
        f"{module}.{name}"
        for module in FORM_MODULES
        for name, cls in inspect.getmembers(importlib.import_module(module), inspect.isclass)
        if issubclass(cls, forms.BaseForm)
        and cls.__module__ == module
        and not issubclass(cls, CleanInputMixin)
    ]
    assert unguarded == []


def _form(path: str, **kwargs):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)(**kwargs)


# (form, the data it needs to be valid, the text field under test, whether it is multi-line)
FORMS = [
    ("customers.preliminary.forms.NewCustomerForm", {"name_zh": "甲公司"}, "name_zh", False),
    (
        "evaluation.criteria.forms.NewSetForm",
        {"scope": "bu:BU1", "year": 2027, "name": "集"},
        "name",
        False,
    ),
    (
        "evaluation.criteria.policy_forms.TierForm",
        {"code": "A", "name_zh": "甲", "rule_type": "top_n", "rule_value": "5"},
        "name_zh",
        False,
    ),
    ("evaluation.lists.forms.PlanForm", {"plan_objective": "目标"}, "plan_actions", True),
    ("evaluation.lists.forms.CommentForm", {}, "comment", True),
    ("evaluation.lists.forms.ReasonForm", {"reason": "理由"}, "reason", True),
    ("evaluation.criteria.policy_forms.GoalForm", {"strategy": "战略"}, "strategy", True),
    ("inquiries.forms.FollowUpForm", {"happened_on": "2026-01-05"}, "next_steps", True),
    ("reviews.forms.SummaryForm", {"summary": "总结"}, "summary", True),
    ("reviews.forms.ResultForm", {"stage": "won"}, "notes", True),
]


@pytest.mark.parametrize(("path", "data", "field", "multiline"), FORMS)
def test_a_form_refuses_a_control_character_with_the_message(db, path, data, field, multiline):
    assert _form(path, data={**data, field: "正文"}).is_valid()
    form = _form(path, data={**data, field: f"正{VERTICAL_TAB}文"})
    assert not form.is_valid()
    assert "control character (U+000B)" in form.errors[field][0]


@pytest.mark.parametrize(("path", "data", "field", "multiline"), FORMS)
def test_a_form_takes_line_breaks_where_text_is_multi_line(db, path, data, field, multiline):
    form = _form(path, data={**data, field: "第一行\r\n\t第二行"})
    assert form.is_valid() is multiline
    if not multiline:
        assert "single line" in form.errors[field][0]


def test_the_override_reason_refuses_a_control_character(db):
    form = _form(
        "evaluation.lists.forms.OverrideForm",
        data={"tier": "A", "reason": "理由\x07"},
        tiers=[{"code": "A", "name_zh": "甲"}],
    )
    assert not form.is_valid() and "control character (U+0007)" in form.errors["reason"][0]


def test_a_nul_gets_one_message_not_two(db):
    form = _form("customers.preliminary.forms.NewCustomerForm", data={"name_zh": "甲\x00"})
    assert form.errors["name_zh"] == [
        "This text contains an invisible control character (U+0000), often pasted in by "
        "mistake: remove it."
    ]


def test_the_customer_page_refuses_a_control_character_and_writes_nothing(people, org, client_for):
    client = client_for(people.erin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        "/customers/new/",
        {"name_zh": f"甲{VERTICAL_TAB}公司", "business_unit": org.bu1.pk, "status": "prospect"},
    )
    assert response.status_code == 200
    assert "control character (U+000B)" in response.content.decode()
    assert not Customer.objects.exists()


# --- Imports -----------------------------------------------------------------------------


def test_the_customer_import_refuses_a_control_character_and_writes_nothing(org):
    header = "name,bu,year,revenue"
    result = customers_import(
        file_bytes=f"{header}\n甲公司,BU1,2024,1\n乙{VERTICAL_TAB}公司,BU1,2024,1\n".encode(),
        filename="customers.csv",
        default_year=None,
        by=None,
        dry_run=False,
    )
    assert [(p.row, p.column) for p in result.problems] == [(3, "name")]
    assert "control character (U+000B)" in result.problems[0].message
    assert not Customer.objects.exists() and not CustomerYear.objects.exists()


def test_the_results_import_refuses_a_control_character_in_the_notes(approved_list, people):  # noqa: F811
    from reviews.importing import results_import
    from reviews.models import DevelopmentResult
    from tests.reviews.test_importing import G_CODE, HEADER

    text = HEADER + f"{G_CODE},,2027,100,1,won,首单\x07\n"
    result = results_import(
        file_bytes=text.encode(), filename="r.csv", by=people.dave, dry_run=False
    )
    assert [(p.row, p.column) for p in result.problems] == [(2, "notes")]
    assert "control character (U+0007)" in result.problems[0].message
    assert not DevelopmentResult.objects.exists()


def test_the_results_import_takes_line_breaks_in_the_notes(approved_list, people):  # noqa: F811
    from reviews.importing import results_import
    from reviews.models import DevelopmentResult
    from tests.reviews.test_importing import G_CODE, HEADER

    text = HEADER + f'{G_CODE},,2027,100,1,won,"第一行\n第二行"\n'
    result = results_import(
        file_bytes=text.encode(), filename="r.csv", by=people.dave, dry_run=False
    )
    assert result.ok, result.problems
    assert DevelopmentResult.objects.get().notes == "第一行\n第二行"


# --- The API -----------------------------------------------------------------------------


def _api(user):
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


INQUIRY = {
    "channel": "web_form",
    "segment": "AUTO",
    "company_name": "宁波精工汽配有限公司",
    "contact_name": "王经理",
    "contact_email": "wang@example.com",
    "request": "希望了解MES升级方案",
}


@pytest.mark.parametrize("field", ["company_name", "contact_name", "request"])
def test_the_api_refuses_a_control_character_and_writes_nothing(people, field):
    data = {**INQUIRY, field: INQUIRY[field] + "\x01"}
    response = _api(people.dave).post("/api/inquiries/", data, format="json")
    assert response.status_code == 400
    assert "control character (U+0001)" in response.json()[field][0]
    assert not Inquiry.objects.exists()


def test_the_api_takes_line_breaks_in_the_request_only(people):
    api = _api(people.dave)
    refused = api.post("/api/inquiries/", {**INQUIRY, "contact_name": "王\n经理"}, format="json")
    assert refused.status_code == 400 and "single line" in refused.json()["contact_name"][0]
    taken = api.post("/api/inquiries/", {**INQUIRY, "request": "第一行\n第二行"}, format="json")
    assert taken.status_code == 201, taken.content
    assert Inquiry.objects.get().request == "第一行\n第二行"


# --- The criteria file -------------------------------------------------------------------


def test_a_criteria_file_with_a_control_character_in_a_name_is_refused(org):
    import copy

    from evaluation.criteria.documents import validate_document
    from tests.evaluation.conftest import DESIGN_EXAMPLE

    criteria_file = copy.deepcopy(DESIGN_EXAMPLE)
    criteria_file["criteria"][0]["name_zh"] = f"营业{VERTICAL_TAB}收入"
    errors, _scope = validate_document(criteria_file)
    assert any("name_zh" in error and "control character (U+000B)" in error for error in errors)
