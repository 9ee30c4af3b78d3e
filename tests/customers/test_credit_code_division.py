"""The registering authority's region in a credit code (characters 3-8, GB/T 2260)."""

import pytest

from customers import credit_code
from customers.reference_defaults import province_codes


def code_for(division: str, kind: str = "91", body: str = "MA01B2C3D") -> str:
    first_17 = kind + division + body
    return first_17 + credit_code.check_character(first_17)


@pytest.mark.parametrize(
    ("division", "province"),
    [
        ("110108", "11"),  # 北京市海淀区
        ("310115", "31"),  # 上海市浦东新区
        ("440300", "44"),  # 广东省深圳市
        ("330200", "33"),  # 浙江省宁波市
        ("650100", "65"),  # 新疆维吾尔自治区乌鲁木齐市
        ("810000", "81"),  # 香港特别行政区
    ],
)
def test_a_valid_code_gives_its_division_and_province(division, province):
    code = code_for(division)
    assert credit_code.division_code(code) == division
    assert credit_code.province_code(code, province_codes()) == province


def test_the_published_example_registered_in_fuzhou():
    assert credit_code.division_code("91350100M000100Y43") == "350100"
    assert credit_code.province_code("91350100M000100Y43", province_codes()) == "35"


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",  # wrong check character
        "91350100M000100Y4",  # too short
        "",
    ],
)
def test_an_invalid_code_gives_neither(code):
    assert credit_code.division_code(code) is None
    assert credit_code.province_code(code, province_codes()) is None


@pytest.mark.parametrize("division", ["990000", "000000", "190100", "700000"])
def test_a_division_outside_the_known_provinces_gives_no_province(division):
    code = code_for(division)
    assert credit_code.division_code(code) == division
    assert credit_code.province_code(code, province_codes()) is None


def test_the_caller_decides_which_provinces_count():
    code = code_for("110108")
    assert credit_code.province_code(code, {"31"}) is None
    assert credit_code.province_code(code, {"11"}) == "11"
