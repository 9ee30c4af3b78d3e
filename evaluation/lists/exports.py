"""Exports of a segment's target list (`segment_list`): the `export_target_list` contract of
DESIGN.md, one row per customer evaluated in the list's run, in rank order, with the list's
effective tiers; the file names of every target-list document; `render` of a document's sheets
as CSV (one sheet) or XLSX (every sheet).

The yearly BU/BG documents are built in `documents.py`. Each builder returns
`prioritizer.spreadsheets.Sheet`s whose rows are generators over `.values_list()` reads; the
spreadsheets module writes them (and neutralises text a spreadsheet would run as a formula).
Nothing here checks permissions: the views and the command do.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.utils.translation import get_language

from evaluation.models import ScoreEntry, TargetList
from evaluation.scoring.breakdown import points_cells
from prioritizer.spreadsheets import Sheet, csv_bytes, to_xlsx

CHUNK = 2000
CENT = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")
Status = ScoreEntry.Status


# The machine contract of `export_target_list` (DESIGN.md, "Target list export").
SEGMENT_COLUMNS = (
    "rank",
    "credit_code",
    "name",
    "total",
    "completeness",
    "status",
    "tier",
    "owner",
)
SEGMENT_HEADERS_ZH = {
    "rank": "排名",
    "credit_code": "统一社会信用代码",
    "name": "客户名称",
    "total": "总分",
    "completeness": "完整度",
    "status": "状态",
    "tier": "级别",
    "owner": "负责人",
}
POINTS_PREFIX = "points:"
POINTS_PREFIX_ZH = "得分:"
SEGMENT_WIDTHS = (8, 22, 36, 10, 12, 14, 8, 16)


# --- Cell values --------------------------------------------------------------------------------


def cents(value) -> Decimal | None:
    """An amount or a score as the exports show it: to the cent, half up."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(repr(float(value)))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _four(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def in_chinese() -> bool:
    return (get_language() or "").startswith("zh")


# --- A segment's list -------------------------------------------------------------------------


def segment_list(target_list: TargetList, *, for_people: bool = False) -> Sheet:
    """The list as DESIGN.md's contract: English column keys and status keys; or, for a person
    in the browser (`for_people`), headers in the active language and status labels."""
    keys = [criterion["key"] for criterion in target_list.run.criteria]
    if for_people and in_chinese():
        headers = [SEGMENT_HEADERS_ZH[c] for c in SEGMENT_COLUMNS]
        headers += [POINTS_PREFIX_ZH + key for key in keys]
    else:
        headers = [*SEGMENT_COLUMNS, *(POINTS_PREFIX + key for key in keys)]
    # Labels are resolved now, in the caller's language, not when the rows are read.
    labels = {s.value: str(s.label) if for_people else s.value for s in Status}
    formats = {3: "0.00", 4: "0.0000"} | {8 + i: "0.00" for i in range(len(keys))}
    return Sheet(
        key="list",
        title=f"{target_list.segment.code} {target_list.year}",
        headers=headers,
        rows=_segment_rows(target_list, keys, labels),
        widths=[*SEGMENT_WIDTHS, *(max(12, len(POINTS_PREFIX + key) + 2) for key in keys)],
        formats=formats,
    )


def _segment_rows(target_list: TargetList, keys: list[str], labels: dict) -> Iterator[list]:
    run = target_list.run
    # The list's entries hold its effective tiers (the run's, or overrides) and owners.
    listed = {
        customer_id: (tier, owner or "")
        for customer_id, tier, owner in target_list.entries.values_list(
            "customer_id", "tier", "owner__username"
        )
    }
    scores = (
        ScoreEntry.objects.filter(run=run)
        .order_by(F("rank").asc(nulls_last=True), "customer__name_zh", "customer_id")
        # The breakdown as its JSON text, so that its raw numbers are read exactly (Decimals).
        .annotate(breakdown_text=Cast("breakdown", TextField()))
        .values_list(
            "customer_id",
            "rank",
            "total",
            "completeness",
            "status",
            "customer__credit_code",
            "customer__name_zh",
            "breakdown_text",
        )
    )
    rows = scores.iterator(chunk_size=CHUNK)
    while chunk := list(itertools.islice(rows, CHUNK)):
        # Each criterion's points rounded once from the exact points of the raw value, a chunk
        # of customers at a time (keys are the run's criteria, in order).
        cells = points_cells(run.criteria, [row[-1] for row in chunk])
        for (customer_id, rank, total, completeness, status, code, name, _b), points in zip(
            chunk, cells, strict=True
        ):
            tier, owner = listed.get(customer_id, ("", ""))
            if status == Status.SCREENED_OUT:
                effective, rank, tier, owner = Status.SCREENED_OUT, None, "", ""
            elif tier:
                effective = Status.TARGET
            else:
                effective, owner = Status.GENERAL, ""
            yield [
                rank,
                code or "",
                name,
                cents(total),
                _four(completeness),
                labels[effective],
                tier,
                owner,
                *points,
            ]


# File names: the documents' Chinese names, or English ones; the ASCII name is the fallback
# for clients that do not read RFC 5987's `filename*`.
FILE_NAMES = {
    "list": ("目标客户分级名单", "target-list"),
    "bu": ("年度BU重要客户分级名单", "BU-key-customer-tiers"),
    "bg": ("年度BG重要客户分级名单", "BG-key-customer-tiers"),
    "owners": ("客户发展负责人名单", "customer-owners"),
}


def file_name_pair(stem: str, kind: str, suffix: str) -> tuple[str, str]:
    """(name in the active language, ASCII fallback) of a document of `kind` (FILE_NAMES)."""
    chinese, english = FILE_NAMES[kind]
    return f"{stem}_{chinese if in_chinese() else english}{suffix}", f"{stem}_{english}{suffix}"


def segment_list_filename(target_list: TargetList, fmt: str) -> tuple[str, str]:
    """(file name in the active language, ASCII fallback), e.g.
    `2027_AUTO_目标客户分级名单_r1.xlsx` and `2027_AUTO_target-list_r1.xlsx`."""
    return file_name_pair(
        f"{target_list.year}_{target_list.segment.code}",
        "list",
        f"_r{target_list.revision}.{fmt}",
    )


def render(sheets: list[Sheet], fmt: str, *, part: str | None = None) -> bytes:
    """The document in `fmt`: XLSX with every sheet; CSV with one (`part`, else the main one:
    the list, or the owners)."""
    if fmt == "xlsx":
        return to_xlsx(sheets)
    if fmt != "csv":
        raise ValueError(fmt)
    return csv_bytes(_csv_part(sheets, part))


def _csv_part(sheets: list[Sheet], part: str | None) -> Sheet:
    if part is None:
        return next(sheet for sheet in sheets if sheet.key in ("list", "owners"))
    for sheet in sheets:
        if sheet.key == part:
            return sheet
    raise KeyError(part)


def parts(sheets: list[Sheet]) -> list[str]:
    return [sheet.key for sheet in sheets]
