"""The reference data a fresh installation starts with, as data files beside this module.

industries.json: GB/T 4754-2017 国民经济行业分类, its 20 门类 (codes A-T, no parent) and 97 大类
(codes 01-97, parent = their 门类). regions.json: the 34 GB/T 2260 province-level divisions
(2-digit codes) and six overseas regions. Both follow DESIGN.md's reference data format.
legacy_codes.json maps the fixed keys of customers/reference.py to these codes (plus the entries
the defaults lack, under "added_industries"), for the data migration that keeps old rows.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


@cache
def _read(name: str) -> dict[str, Any]:
    return json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))


def industries() -> list[dict[str, Any]]:
    return _read("industries")["industries"]


def regions() -> list[dict[str, Any]]:
    return _read("regions")["regions"]


def legacy_codes() -> dict[str, Any]:
    return _read("legacy_codes")


def province_codes() -> frozenset[str]:
    """The GB/T 2260 province-level codes; the overseas regions' codes are not digits."""
    return frozenset(row["code"] for row in regions() if row["code"].isdigit())
