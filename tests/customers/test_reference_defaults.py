"""The default reference data a fresh installation starts with (customers/reference_defaults/)."""

import re
from collections import Counter

import pytest
from django.utils import translation

from customers import reference, reference_defaults

INDUSTRIES = reference_defaults.industries()
REGIONS = reference_defaults.regions()
SECTIONS = [row for row in INDUSTRIES if row["parent"] is None]
DIVISIONS = [row for row in INDUSTRIES if row["parent"] is not None]

# GB/T 4754-2017: each 门类 and the range of its 大类 codes.
SECTION_RANGES = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50),
    "F": (51, 52), "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69),
    "K": (70, 70), "L": (71, 72), "M": (73, 75), "N": (76, 79), "O": (80, 82),
    "P": (83, 83), "Q": (84, 85), "R": (86, 90), "S": (91, 96), "T": (97, 97),
}  # fmt: skip
OVERSEAS = {"north_america", "latin_america", "europe", "asia", "middle_east_africa", "oceania"}


def duplicates(values):
    return sorted(value for value, count in Counter(values).items() if count > 1)


def test_twenty_sections_and_ninety_seven_divisions():
    assert [row["code"] for row in SECTIONS] == list("ABCDEFGHIJKLMNOPQRST")
    assert [row["code"] for row in DIVISIONS] == [f"{n:02d}" for n in range(1, 98)]


def test_every_division_lies_in_its_sections_code_range():
    outside = [
        row["code"]
        for row in DIVISIONS
        if not SECTION_RANGES[row["parent"]][0]
        <= int(row["code"])
        <= SECTION_RANGES[row["parent"]][1]
    ]
    assert outside == []


@pytest.mark.parametrize(
    ("code", "name_zh"),
    [
        ("C", "制造业"),
        ("13", "农副食品加工业"),
        ("39", "计算机、通信和其他电子设备制造业"),
        ("I", "信息传输、软件和信息技术服务业"),
        ("65", "软件和信息技术服务业"),
        ("D", "电力、热力、燃气及水生产和供应业"),
        ("05", "农、林、牧、渔专业及辅助性活动"),
        ("25", "石油、煤炭及其他燃料加工业"),
        ("58", "多式联运和运输代理业"),
        ("96", "基层群众自治组织及其他组织"),
    ],
)
def test_names_follow_the_standard(code, name_zh):
    assert {row["code"]: row["name_zh"] for row in INDUSTRIES}[code] == name_zh


@pytest.mark.parametrize("rows", [INDUSTRIES, REGIONS], ids=["industries", "regions"])
def test_every_entry_has_a_code_and_both_names(rows):
    incomplete = [
        row for row in rows if not all(row.get(k) for k in ("code", "name_zh", "name_en"))
    ]
    assert incomplete == []
    assert duplicates(row["code"] for row in rows) == []


@pytest.mark.parametrize("language", ["name_zh", "name_en"])
def test_names_are_unique_within_each_level(language):
    assert duplicates(row[language] for row in SECTIONS) == []
    assert duplicates(row[language] for row in DIVISIONS) == []
    assert duplicates(row[language] for row in REGIONS) == []


@pytest.mark.parametrize("language", ["name_zh", "name_en"])
def test_a_section_shares_its_name_only_with_its_single_division(language):
    """K 房地产业, P 教育 and T 国际组织 each hold one 大类 of the same name (so does the standard);
    a lookup by name must prefer one level (see the issue-14 notes in the report)."""
    by_name = {row[language]: row["code"] for row in SECTIONS}
    shared = {by_name[row[language]]: row["code"] for row in DIVISIONS if row[language] in by_name}
    assert shared == {"K": "70", "P": "83", "T": "97"}


def test_chinese_names_are_chinese_and_english_names_are_not():
    assert all(re.search(r"[\u4e00-\u9fff]", row["name_zh"]) for row in INDUSTRIES + REGIONS)
    assert not any(re.search(r"[\u4e00-\u9fff]", row["name_en"]) for row in INDUSTRIES + REGIONS)


def test_thirty_four_province_level_divisions_and_the_overseas_regions():
    provinces = reference_defaults.province_codes()
    assert len(provinces) == 34
    assert all(re.fullmatch(r"[1-8][0-9]", code) for code in provinces)
    assert {"11", "31", "44", "50", "54", "65", "71", "81", "82"} <= provinces
    assert {row["code"] for row in REGIONS} - provinces == OVERSEAS


def test_every_legacy_key_maps_to_an_existing_code():
    legacy = reference_defaults.legacy_codes()
    added = legacy["added_industries"]
    industry_codes = {row["code"] for row in INDUSTRIES + added}
    region_codes = {row["code"] for row in REGIONS}
    assert set(legacy["regions"]) == set(reference.Region.values)
    assert set(legacy["industries"]) == set(reference.Industry.values)
    assert set(legacy["regions"].values()) - region_codes == set()
    assert set(legacy["industries"].values()) - industry_codes == set()


def test_the_added_industries_do_not_clash_with_the_defaults():
    added = reference_defaults.legacy_codes()["added_industries"]
    for key in ("code", "name_zh", "name_en"):
        assert {row[key] for row in added}.isdisjoint(row[key] for row in INDUSTRIES)


def test_each_legacy_region_keeps_its_english_name():
    legacy = reference_defaults.legacy_codes()["regions"]
    names = {row["code"]: row["name_en"] for row in REGIONS}
    with translation.override("en"):
        assert {key: names[code] for key, code in legacy.items()} == {
            key: str(label) for key, label in reference.Region.choices
        }
