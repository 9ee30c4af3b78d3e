"""Target-list exports: the example list to the cent in CSV and XLSX, overrides, formula
neutralisation, and the BU / BG / owners documents built from several segments' lists."""

import copy
import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from customers.models import Attribute, AttributeValue, CustomerYear
from evaluation.criteria import services
from evaluation.lists import documents, exports
from evaluation.lists.services import (
    target_entry_plan_save,
    target_entry_tier_override,
    target_list_build,
    target_list_owners_assign,
)
from evaluation.models import TargetList
from evaluation.scoring.runs import score_run_create
from tests.evaluation.conftest import DESIGN_EXAMPLE, EXAMPLE_TIERS
from tests.factories import CustomerFactory

HEADERS = [
    "rank",
    "credit_code",
    "name",
    "total",
    "completeness",
    "status",
    "tier",
    "owner",
    "points:revenue",
    "points:employees",
    "points:outsourcing",
]
# The hand-computed example (tests/evaluation/scoring/test_scoring.py) as the export writes it.
EXAMPLE_ROWS = [
    ["1", "91110000100000000X", "G", "77.00", "1.0000", "target", "A", "", "50.00", "60.00", "100.00"],
    ["2", "91350100M000100Y43", "A", "77.00", "1.0000", "target", "B", "", "50.00", "60.00", "100.00"],
    ["3", "", "F", "77.00", "1.0000", "target", "B", "", "50.00", "60.00", "100.00"],
    ["4", "", "E", "70.00", "0.7000", "target", "B", "", "0.00", "100.00", "100.00"],
    ["5", "", "B", "51.00", "1.0000", "target", "C", "", "20.00", "100.00", "50.00"],
    ["6", "", "C", "49.00", "1.0000", "target", "C", "", "66.67", "20.00", "50.00"],
    ["7", "", "H", "29.05", "1.0000", "general", "", "", "0.15", "20.00", "50.00"],
    ["", "", "D", "44.00", "1.0000", "screened_out", "", "", "80.00", "100.00", "0.00"],
]  # fmt: skip
PRINCIPLES = {
    "A": ("高层互访，定制方案", "专属团队，4小时响应", "每月", "BU营销副总"),
    "B": ("重点拓展", "标准服务", "每季度", "客户经理"),
    "C": ("维持关系", "标准服务", "每半年", "客户经理"),
}


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def sheet_values(content: bytes, index: int = 0) -> list[list]:
    workbook = load_workbook(io.BytesIO(content))
    return [list(row) for row in workbook.worksheets[index].iter_rows(values_only=True)]


def segment_csv(target_list, **kwargs) -> list[list[str]]:
    return read_csv(exports.render([exports.segment_list(target_list, **kwargs)], "csv"))


def tiers_with_principles():
    tiers = copy.deepcopy(EXAMPLE_TIERS)
    for tier in tiers:
        principle, level, frequency, role = PRINCIPLES[tier["code"]]
        tier |= {
            "development_principle": principle,
            "service_level": level,
            "contact_frequency": frequency,
            "responsible_role": role,
        }
    return tiers


def make_list(segment, customers, *, year=2027) -> TargetList:
    """A published set of the DESIGN.md example (with tier principles) for `segment`, its
    customers (name, revenue, employees, outsourcing attitude), a run and the draft list."""
    document = copy.deepcopy(DESIGN_EXAMPLE) | {
        "scope": {"segment": segment.code},
        "tiers": tiers_with_principles(),
    }
    services.criteria_set_load(document=document, publish=True)
    attribute = Attribute.objects.get(key="outsourcing_attitude")
    for name, revenue, employees, attitude in customers:
        customer = CustomerFactory(
            name_zh=name, business_unit=segment.business_unit, segments=[segment]
        )
        CustomerYear.objects.create(
            customer=customer, year=year - 1, revenue=revenue, employees=employees
        )
        AttributeValue.objects.create(
            customer=customer,
            year=year - 1,
            attribute=attribute,
            option=attribute.options.get(key=attitude),
        )
    return target_list_build(run=score_run_create(segment=segment, year=year))


# ELEC: E-1 → A (100.00); E-2 (54.00) and E-3 (29.00) → C.
ELEC_CUSTOMERS = [
    ("E-1", 500_000_000, 5000, "open"),
    ("E-2", 0, 50, "open"),
    ("E-3", 0, 50, "neutral"),
]
CHEM_CUSTOMERS = [("C-1", 500_000_000, 5000, "open")]


@pytest.fixture
def elec_list(org, example_list):
    return make_list(org.elec, ELEC_CUSTOMERS)


@pytest.fixture
def chem_list(org, example_list):
    return make_list(org.chem, CHEM_CUSTOMERS)


def customer_id(target_list, name):
    return target_list.run.entries.get(customer__name_zh=name).customer_id


# --- A segment's list ------------------------------------------------------------------------


def test_the_example_list_exports_to_the_cent_as_csv(example_list):
    assert segment_csv(example_list) == [HEADERS, *EXAMPLE_ROWS]


def test_the_example_list_exports_to_the_cent_as_xlsx(example_list):
    content = exports.render([exports.segment_list(example_list)], "xlsx")
    rows = sheet_values(content)
    assert rows[0] == HEADERS
    places = {3: 2, 4: 4} | dict.fromkeys(range(8, 11), 2)
    as_text = [
        [
            "" if value is None else f"{value:.{places[i]}f}" if i in places else str(value)
            for i, value in enumerate(row)
        ]
        for row in rows[1:]
    ]
    assert as_text == EXAMPLE_ROWS


def test_xlsx_numbers_are_numbers_with_two_decimals_shown(example_list):
    content = exports.render([exports.segment_list(example_list)], "xlsx")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    total = sheet.cell(row=2, column=4)
    assert (total.value, total.number_format) == (77, "0.00")
    assert sheet.cell(row=2, column=1).value == 1
    assert sheet.freeze_panes == "A2"
    assert sheet.cell(row=1, column=1).font.bold


def test_owners_are_exported_by_user_name(example_list, people):
    ids = list(example_list.entries.targets().values_list("pk", flat=True))
    target_list_owners_assign(
        target_list=example_list, entry_ids=ids, owner=people.dave, by=people.alice
    )
    owners = {row[2]: row[7] for row in segment_csv(example_list)[1:]}
    assert owners == dict.fromkeys("GAFEBC", "dave") | {"H": "", "D": ""}


def test_an_override_shows_in_the_export(example_list, people):
    for name, tier in (("H", "C"), ("G", "")):
        target_entry_tier_override(
            target_list=example_list,
            customer_id=customer_id(example_list, name),
            tier=tier,
            reason="战略调整",
            by=people.alice,
        )
    rows = {row[2]: row for row in segment_csv(example_list)[1:]}
    assert rows["H"][:7] == ["7", "", "H", "29.05", "1.0000", "target", "C"]
    assert rows["G"][:7] == ["1", "91110000100000000X", "G", "77.00", "1.0000", "general", ""]


def test_a_name_a_spreadsheet_would_run_is_written_as_text(example_list):
    formula = "=cmd|' /C calc'!A0"
    CustomerFactory._meta.model.objects.filter(name_zh="H").update(name_zh=formula)
    rows = segment_csv(example_list)
    assert rows[7][2] == "'" + formula
    content = exports.render([exports.segment_list(example_list)], "xlsx")
    cell = load_workbook(io.BytesIO(content)).worksheets[0].cell(row=8, column=3)
    assert (cell.value, cell.data_type) == ("'" + formula, "s")


def test_people_get_chinese_headers_and_status_labels(example_list):
    from django.utils import translation

    with translation.override("zh-hans"):
        rows = segment_csv(example_list, for_people=True)
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
    assert rows[0][8] == "得分:revenue"
    assert rows[8][5] != "screened_out"
    with translation.override("en"):
        rows = segment_csv(example_list, for_people=True)
    assert rows[0] == HEADERS
    assert [rows[1][5], rows[7][5], rows[8][5]] == ["Target", "General customer", "Screened out"]


def test_points_of_entries_stored_in_the_earlier_keyed_shape_are_exported(example_list):
    entry = example_list.run.entries.get(customer__name_zh="C")
    entry.breakdown = {
        "revenue": [333333333, 66.666667, 30.0, 20.0],
        "employees": [50, 20.0, 20.0, 4.0],
        "outsourcing": ["neutral", 50.0, 50.0, 25.0],
    }
    entry.save(update_fields=["breakdown"])
    row = next(row for row in segment_csv(example_list) if row[2] == "C")
    assert row[8:] == ["66.67", "20.00", "50.00"]


def test_the_file_name_names_year_segment_and_revision(example_list):
    from django.utils import translation

    with translation.override("zh-hans"):
        name, fallback = exports.segment_list_filename(example_list, "xlsx")
    assert name == "2027_AUTO_目标客户分级名单_r1.xlsx"
    assert fallback == "2027_AUTO_target-list_r1.xlsx"


# --- BU and BG documents -----------------------------------------------------------------------


def test_a_bu_document_lists_each_segments_targets_by_tier(org, elec_list):
    sheets = documents.tiered_document(org.bu1, 2027)
    rows = read_csv(exports.render(sheets, "csv"))
    assert [(r[0], r[2], r[6]) for r in rows[1:]] == [
        ("AUTO", "A", "G"),
        ("AUTO", "B", "A"),
        ("AUTO", "B", "F"),
        ("AUTO", "B", "E"),
        ("AUTO", "C", "B"),
        ("AUTO", "C", "C"),
        ("ELEC", "A", "E-1"),
        ("ELEC", "C", "E-2"),
        ("ELEC", "C", "E-3"),
    ]


def test_a_bu_document_carries_the_tier_principles(org, elec_list):
    rows = read_csv(exports.render(documents.tiered_document(org.bu1, 2027), "csv"))
    e1 = next(row for row in rows if row[6] == "E-1")
    assert e1[10:14] == list(PRINCIPLES["A"])
    principles = read_csv(
        exports.render(documents.tiered_document(org.bu1, 2027), "csv", part="principles")
    )
    assert principles[1:] == [
        ["AUTO", "汽车零部件", "A", "重点", "", "", "", "", "1"],
        ["AUTO", "汽车零部件", "B", "发展", "", "", "", "", "3"],
        ["AUTO", "汽车零部件", "C", "维持", "", "", "", "", "2"],
        [
            "ELEC",
            org.elec.name_zh,
            "A",
            "重点",
            *PRINCIPLES["A"],
            "1",
        ],
        ["ELEC", org.elec.name_zh, "B", "发展", *PRINCIPLES["B"], "0"],
        ["ELEC", org.elec.name_zh, "C", "维持", *PRINCIPLES["C"], "2"],
    ]


def test_a_bu_document_notes_lists_not_yet_approved(org, elec_list):
    from django.utils import translation

    with translation.override("en"):
        content = exports.render(documents.tiered_document(org.bu1, 2027), "xlsx")
    rows = sheet_values(content)
    assert rows[0][0] == f"2027 Annual BU tiered list of key customers · BU1 {org.bu1.name_en}"
    assert rows[1][0] == "Lists: AUTO: Draft, revision 1; ELEC: Draft, revision 1"
    assert rows[2][0].startswith("Not yet approved: AUTO, ELEC.")
    assert rows[4][:3] == ["Segment", "Segment name", "Tier code"]
    assert load_workbook(io.BytesIO(content)).worksheets[0].freeze_panes == "A6"


def test_an_approved_bu_document_has_no_note(org, example_list):
    from django.utils import translation

    TargetList.objects.filter(pk=example_list.pk).update(state=TargetList.State.APPROVED)
    with translation.override("en"):
        rows = sheet_values(exports.render(documents.tiered_document(org.bu1, 2027), "xlsx"))
    assert rows[1][0] == "Lists: AUTO: Approved, revision 1; ELEC: no list"
    assert rows[2][0] is None
    assert rows[3][0] == "Segment"


def test_a_bg_summary_counts_targets_per_bu_and_tier(org, elec_list, chem_list):
    from django.utils import translation

    with translation.override("en"):
        sheets = documents.tiered_document(org.bg1, 2027)
        summary = read_csv(exports.render(sheets, "csv", part="summary"))
    assert summary[0] == [
        "BU",
        "BU name",
        "A",
        "B",
        "C",
        "Number of target customers",
        "Approved lists",
    ]
    assert [row[:1] + row[2:] for row in summary[1:]] == [
        ["BU1", "2", "3", "4", "9", "0/2"],
        ["BU2", "1", "0", "0", "1", "0/1"],
        ["Total", "3", "3", "4", "10", "0/3"],
    ]


def test_a_bg_document_has_a_summary_a_list_and_principles(org, elec_list, chem_list):
    content = exports.render(documents.tiered_document(org.bg1, 2027), "xlsx")
    workbook = load_workbook(io.BytesIO(content))
    assert len(workbook.worksheets) == 3
    last = sheet_values(content, 1)[-1]
    assert (last[0], last[2], last[8]) == ("BU2", "CHEM", "C-1")


def test_the_owners_document_lists_each_owners_customers(org, example_list, people):
    mine = list(example_list.entries.filter(tier="B").values_list("pk", flat=True))
    target_list_owners_assign(
        target_list=example_list, entry_ids=mine, owner=people.dave, by=people.alice
    )
    entry = example_list.entries.get(customer__name_zh="A")
    target_entry_plan_save(
        entry=entry,
        objective="扩大份额",
        actions="",
        next_date="2027-01-15",
        by=people.alice,
    )
    rows = read_csv(exports.render(documents.owners_document(org.bu1, 2027), "csv"))
    assert [(r[0], r[4], r[8], r[10], r[11]) for r in rows[1:]] == [
        ("dave", "B", "A", "扩大份额", "2027-01-15"),
        ("dave", "B", "F", "", ""),
        ("dave", "B", "E", "", ""),
        ("", "A", "G", "", ""),
        ("", "C", "B", "", ""),
        ("", "C", "C", "", ""),
    ]


def test_a_bg_owners_document_names_the_bu(org, elec_list, chem_list):
    rows = read_csv(exports.render(documents.owners_document(org.bg1, 2027), "csv"))
    assert {row[2] for row in rows[1:]} == {"BU1", "BU2"}
    assert len(rows) == 1 + 10


def test_a_document_of_a_year_without_lists_is_empty_but_valid(org, people):
    sheets = documents.tiered_document(org.bu1, 2030)
    assert len(read_csv(exports.render(sheets, "csv"))) == 1
    assert sheet_values(exports.render(sheets, "xlsx"))[0][0].startswith("2030")


def test_totals_in_documents_keep_two_decimals(org, example_list):
    rows = read_csv(exports.render(documents.tiered_document(org.bu1, 2027), "csv"))
    assert rows[1][7] == "77.00"
    assert Decimal(rows[4][7]) == Decimal("70.00")


def test_xlsx_keeps_markup_and_drops_characters_xml_cannot_hold(example_list):
    Customer = CustomerFactory._meta.model
    Customer.objects.filter(name_zh="H").update(name_zh=" A&B <公司>\x01 ")
    content = exports.render([exports.segment_list(example_list)], "xlsx")
    assert sheet_values(content)[7][2] == " A&B <公司> "


def test_dates_in_the_owners_xlsx_are_dates(org, example_list, people):
    entry = example_list.entries.get(customer__name_zh="G")
    target_entry_plan_save(
        entry=entry, objective="", actions="", next_date="2027-03-01", by=people.alice
    )
    content = exports.render(documents.owners_document(org.bu1, 2027), "xlsx")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cell = next(row[11] for row in sheet.iter_rows(min_row=5) if row[8].value == "G")
    assert (cell.value.date().isoformat(), cell.number_format) == ("2027-03-01", "yyyy-mm-dd")
