"""Exports of target lists.

- A segment's list (`segment_list`): the `export_target_list` contract of DESIGN.md, one row per
  customer evaluated in the list's run, in rank order, with the list's effective tiers.
- The yearly documents built from the current lists of a BU or BG: 年度BU/BG重要客户分级名单
  (`tiered_document`) and 客户发展负责人名单 (`owners_document`).

Each builder returns `Sheet`s whose rows are generators over `.values_list()` reads; `to_csv`
and `to_xlsx` turn them into bytes (CSV: one sheet, UTF-8 with a BOM; XLSX: a sheet per part,
written directly as XML, see `to_xlsx`). Nothing here checks permissions: the views and the command
do. Text that a spreadsheet would run as a formula is neutralised by the customer export's own
`neutralise`.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape, quoteattr

from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from customers.exporting import CONTENT_TYPES, neutralise
from evaluation.models import ScoreEntry, TargetEntry, TargetList
from evaluation.scoring.breakdown import points_cells
from organisation.models import BusinessGroup, BusinessUnit, Segment, localised

FORMATS = tuple(CONTENT_TYPES)
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


@dataclass
class Sheet:
    """One part of a document: a table, with title lines above it in XLSX."""

    key: str
    title: str
    headers: list[str]
    rows: Iterable[list]
    widths: list[int] = field(default_factory=list)
    # Column index -> number format (XLSX only).
    formats: dict[int, str] = field(default_factory=dict)
    # Lines written above the header row (XLSX only; CSV files are plain tables).
    heading: list[str] = field(default_factory=list)


# --- Cell values --------------------------------------------------------------------------------


def _cents(value) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(repr(float(value)))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _four(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


def _full_name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


# --- A segment's list -------------------------------------------------------------------------


def segment_list(target_list: TargetList, *, for_people: bool = False) -> Sheet:
    """The list as DESIGN.md's contract: English column keys and status keys; or, for a person
    in the browser (`for_people`), headers in the active language and status labels."""
    keys = [criterion["key"] for criterion in target_list.run.criteria]
    if for_people and _chinese():
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
                _cents(total),
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


def _filename(stem: str, kind: str, suffix: str) -> tuple[str, str]:
    chinese, english = FILE_NAMES[kind]
    return f"{stem}_{chinese if _chinese() else english}{suffix}", f"{stem}_{english}{suffix}"


def segment_list_filename(target_list: TargetList, fmt: str) -> tuple[str, str]:
    """(file name in the active language, ASCII fallback), e.g.
    `2027_AUTO_目标客户分级名单_r1.xlsx` and `2027_AUTO_target-list_r1.xlsx`."""
    return _filename(
        f"{target_list.year}_{target_list.segment.code}",
        "list",
        f"_r{target_list.revision}.{fmt}",
    )


# --- The yearly documents of a BU or BG -------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy translation
    width: int
    format: str | None = None


COLUMNS = {
    column.key: column
    for column in (
        Column("bu", gettext_lazy("BU"), 8),
        Column("bu_name", gettext_lazy("BU name"), 20),
        Column("segment", gettext_lazy("Segment"), 10),
        Column("segment_name", gettext_lazy("Segment name"), 18),
        Column("tier", gettext_lazy("Tier code"), 8),
        Column("tier_name", gettext_lazy("Tier name"), 12),
        Column("rank", gettext_lazy("Rank"), 7),
        Column("credit_code", gettext_lazy("Unified social credit code"), 22),
        Column("name", gettext_lazy("Customer name"), 32),
        Column("total", gettext_lazy("Total score"), 9, "0.00"),
        Column("owner", gettext_lazy("Owner (user name)"), 14),
        Column("owner_name", gettext_lazy("Owner's name"), 14),
        Column("development_principle", gettext_lazy("Development principle"), 36),
        Column("service_level", gettext_lazy("Service level"), 20),
        Column("contact_frequency", gettext_lazy("Contact frequency"), 14),
        Column("responsible_role", gettext_lazy("Responsible role"), 16),
        Column("objective", gettext_lazy("Development objective"), 36),
        Column("next_date", gettext_lazy("Next step on"), 12, "yyyy-mm-dd"),
        Column("targets", gettext_lazy("Number of target customers"), 10),
        Column("list_state", gettext_lazy("List state"), 10),
        Column("revision", gettext_lazy("List revision"), 8),
        Column("approved_lists", gettext_lazy("Approved lists"), 12),
    )
}
PRINCIPLES = ("development_principle", "service_level", "contact_frequency", "responsible_role")


def _sheet(key: str, title: str, columns: list[Column], rows, heading: list[str]) -> Sheet:
    return Sheet(
        key=key,
        title=title,
        headers=[str(column.label) for column in columns],
        rows=rows,
        widths=[column.width for column in columns],
        formats={i: column.format for i, column in enumerate(columns) if column.format},
        heading=heading,
    )


def _columns(*keys: str) -> list[Column]:
    return [COLUMNS[key] for key in keys]


def _current_lists(unit: BusinessUnit | BusinessGroup, year: int) -> list[TargetList]:
    """Each segment's list in force: the approved one while a revision is worked on."""
    lists = TargetList.objects.in_force_for(year, _segments_of(unit)).with_org()
    return list(lists.order_by("segment__business_unit__code", "segment__code"))


def _segments_of(unit: BusinessUnit | BusinessGroup):
    segments = Segment.objects.select_related("business_unit")
    if isinstance(unit, BusinessGroup):
        return segments.filter(business_unit__business_group=unit).order_by(
            "business_unit__code", "code"
        )
    return segments.filter(business_unit=unit).order_by("code")


def _heading(title: str, unit, year: int, lists: list[TargetList]) -> list[str]:
    """Title, each segment's list state and revision, and a note while any list is unapproved."""
    by_segment = {target_list.segment_id: target_list for target_list in lists}
    states = []
    for segment in _segments_of(unit):
        target_list = by_segment.get(segment.pk)
        if target_list is None:
            states.append(_("%(segment)s: no list") % {"segment": segment.code})
        else:
            states.append(
                _("%(segment)s: %(state)s, revision %(revision)d")
                % {
                    "segment": segment.code,
                    "state": target_list.get_state_display(),
                    "revision": target_list.revision,
                }
            )
    lines = [
        f"{year} {title} · {unit.code} {unit.name}",
        _("Lists: %(states)s") % {"states": "; ".join(states) or "—"},
    ]
    pending = [tl.segment.code for tl in lists if tl.state != TargetList.State.APPROVED]
    if pending:
        lines.append(
            _("Not yet approved: %(segments)s. This document is not final.")
            % {"segments": ", ".join(pending)}
        )
    return lines


@dataclass(frozen=True)
class _Target:
    target_list: TargetList
    tier: dict  # the tier's document in the run (code, names, principles)
    tier_order: int
    rank: int | None
    total: Decimal
    credit_code: str
    name: str
    owner: str
    owner_name: str
    objective: str
    next_date: datetime.date | None


def _targets(lists: list[TargetList]) -> list[_Target]:
    """Every target customer of the lists, by list (BU, segment), tier order, rank."""
    position = {target_list.pk: i for i, target_list in enumerate(lists)}
    by_pk = {target_list.pk: target_list for target_list in lists}
    tiers = {
        target_list.pk: {tier["code"]: (i, tier) for i, tier in enumerate(target_list.run.tiers)}
        for target_list in lists
    }
    rows = (
        TargetEntry.objects.targets()
        .filter(target_list__in=list(by_pk))
        .values_list(
            "target_list_id",
            "tier",
            "rank",
            "total",
            "customer__credit_code",
            "customer__name_zh",
            "owner__username",
            "owner__first_name",
            "owner__last_name",
            "plan_objective",
            "plan_next_date",
        )
    )
    found = []
    for (
        list_pk,
        code,
        rank,
        total,
        credit,
        name,
        owner,
        first,
        last,
        objective,
        next_date,
    ) in rows.iterator(chunk_size=CHUNK):
        order, tier = tiers[list_pk].get(code, (len(tiers[list_pk]), {"code": code}))
        found.append(
            _Target(
                by_pk[list_pk],
                tier,
                order,
                rank,
                total,
                credit or "",
                name,
                owner or "",
                _full_name(first, last),
                objective,
                next_date,
            )
        )
    found.sort(
        key=lambda t: (
            position[t.target_list.pk],
            t.tier_order,
            t.rank is None,
            t.rank or 0,
            t.name,
        )
    )
    return found


def _tier_name(tier: dict) -> str:
    return localised(tier.get("name_zh", ""), tier.get("name_en", ""))


def _org_cells(target_list: TargetList, with_bu: bool) -> list:
    segment = target_list.segment
    cells = [segment.code, segment.name]
    if with_bu:
        cells = [segment.business_unit.code, segment.business_unit.name, *cells]
    return cells


def _state_cells(target_list: TargetList) -> list:
    return [target_list.get_state_display(), target_list.revision]


def tiered_document(unit: BusinessUnit | BusinessGroup, year: int) -> list[Sheet]:
    """年度BU重要客户分级名单 (a BU) or 年度BG重要客户分级名单 (a BG): every segment's current list,
    target customers only, by segment then tier, with the tier principles and the owner. A BG
    document starts with a summary of target customers per BU and tier."""
    with_bu = isinstance(unit, BusinessGroup)
    title = (
        _("Annual BG tiered list of key customers")
        if with_bu
        else _("Annual BU tiered list of key customers")
    )
    lists = _current_lists(unit, year)
    heading = _heading(title, unit, year, lists)
    targets = _targets(lists)
    org = ("bu", "bu_name") if with_bu else ()
    list_columns = _columns(
        *org,
        "segment",
        "segment_name",
        "tier",
        "tier_name",
        "rank",
        "credit_code",
        "name",
        "total",
        "owner",
        "owner_name",
        *PRINCIPLES,
        "list_state",
        "revision",
    )

    def list_rows():
        for t in targets:
            yield [
                *_org_cells(t.target_list, with_bu),
                t.tier["code"],
                _tier_name(t.tier),
                t.rank,
                t.credit_code,
                t.name,
                _cents(t.total),
                t.owner,
                t.owner_name,
                *(t.tier.get(key, "") for key in PRINCIPLES),
                *_state_cells(t.target_list),
            ]

    counts: dict[tuple[int, str], int] = {}
    for t in targets:
        counts[t.target_list.pk, t.tier["code"]] = (
            counts.get((t.target_list.pk, t.tier["code"]), 0) + 1
        )

    def principle_rows():
        for target_list in lists:
            for tier in target_list.run.tiers:
                yield [
                    *_org_cells(target_list, with_bu),
                    tier["code"],
                    _tier_name(tier),
                    *(tier.get(key, "") for key in PRINCIPLES),
                    counts.get((target_list.pk, tier["code"]), 0),
                ]

    sheets = [
        _sheet("list", _("Tiered list"), list_columns, list_rows(), heading),
        _sheet(
            "principles",
            _("Tier principles"),
            _columns(*org, "segment", "segment_name", "tier", "tier_name", *PRINCIPLES, "targets"),
            principle_rows(),
            heading,
        ),
    ]
    if with_bu:
        sheets.insert(0, _summary(unit, lists, targets, heading))
    return sheets


def _summary(unit: BusinessGroup, lists, targets, heading) -> Sheet:
    """Target customers per BU and tier code, with a total row."""
    codes: list[str] = []
    for target_list in lists:
        for tier in target_list.run.tiers:
            if tier["code"] not in codes:
                codes.append(tier["code"])
    for t in targets:  # a tier no longer in its run's tiers still counts
        if t.tier["code"] not in codes:
            codes.append(t.tier["code"])
    units = list(BusinessUnit.objects.filter(business_group=unit).order_by("code"))
    counts: dict[tuple[int, str], int] = {}
    for t in targets:
        key = (t.target_list.segment.business_unit_id, t.tier["code"])
        counts[key] = counts.get(key, 0) + 1
    rows = []
    for business_unit in units:
        row_counts = [counts.get((business_unit.pk, code), 0) for code in codes]
        own = [tl for tl in lists if tl.segment.business_unit_id == business_unit.pk]
        approved = sum(tl.state == TargetList.State.APPROVED for tl in own)
        rows.append(
            [
                business_unit.code,
                business_unit.name,
                *row_counts,
                sum(row_counts),
                f"{approved}/{len(own)}",
            ]
        )
    totals = [sum(row[2 + i] for row in rows) for i in range(len(codes) + 1)]
    approved_all = sum(tl.state == TargetList.State.APPROVED for tl in lists)
    rows.append([_("Total"), "", *totals, f"{approved_all}/{len(lists)}"])
    columns = _columns("bu", "bu_name")
    return Sheet(
        key="summary",
        title=_("Summary"),
        headers=[
            *(str(c.label) for c in columns),
            *codes,
            str(COLUMNS["targets"].label),
            str(COLUMNS["approved_lists"].label),
        ],
        rows=rows,
        widths=[*(c.width for c in columns), *(8 for _code in codes), 12, 12],
        heading=heading,
    )


def owners_document(unit: BusinessUnit | BusinessGroup, year: int) -> list[Sheet]:
    """客户发展负责人名单: per owner (by user name; target customers without one last), their
    target customers with segment, tier, development objective and next step."""
    with_bu = isinstance(unit, BusinessGroup)
    lists = _current_lists(unit, year)
    heading = _heading(_("Customer development owners"), unit, year, lists)
    targets = sorted(_targets(lists), key=lambda t: (t.owner == "", t.owner))  # stable
    columns = _columns(
        "owner",
        "owner_name",
        *(("bu",) if with_bu else ()),
        "segment",
        "segment_name",
        "tier",
        "tier_name",
        "rank",
        "credit_code",
        "name",
        "total",
        "objective",
        "next_date",
        "list_state",
        "revision",
    )

    def rows():
        for t in targets:
            segment = t.target_list.segment
            yield [
                t.owner,
                t.owner_name,
                *((segment.business_unit.code,) if with_bu else ()),
                segment.code,
                segment.name,
                t.tier["code"],
                _tier_name(t.tier),
                t.rank,
                t.credit_code,
                t.name,
                _cents(t.total),
                t.objective,
                t.next_date,
                *_state_cells(t.target_list),
            ]

    return [_sheet("owners", _("Owners"), columns, rows(), heading)]


def document_filename(unit, year: int, kind: str, fmt: str) -> tuple[str, str]:
    """(file name in the active language, ASCII fallback) of a BU/BG document (`kind` is
    "tiered" or "owners"): `2027_BU1_年度BU重要客户分级名单.xlsx`, `2027_BU1_BU-key-customer-tiers.xlsx`."""
    if kind != "owners":
        kind = "bg" if isinstance(unit, BusinessGroup) else "bu"
    return _filename(f"{year}_{unit.code}", kind, f".{fmt}")


# --- Writers ----------------------------------------------------------------------------------


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def to_csv(sheet: Sheet) -> Iterator[bytes]:
    """The sheet's table as CSV in UTF-8 with a BOM (so Chinese Excel reads it), in chunks."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(header) for header in sheet.headers])
    for row in sheet.rows:
        writer.writerow([_csv_value(value) for value in row])
        if buffer.tell() > 256 * 1024:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _sheet_title(title: str, taken: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate.casefold() in taken:
        candidate = f"{clean[:28]} {n}"
        n += 1
    taken.add(candidate.casefold())
    return candidate


# XLSX is written directly (a zip of a few XML parts): openpyxl's write-only mode costs about
# 35 µs a cell here, with or without lxml, so 100,000 rows × 13 columns took some 45 s, past
# gunicorn's 30 s timeout; string building takes about 1 µs a cell. Tests read the files back
# with openpyxl.
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Characters XML 1.0 cannot hold (a name with one would make the file unreadable).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Cell styles (cellXfs indices): plain, bold, then the number formats the sheets use.
_BOLD = 1
_NUMBER_STYLES = {"0.00": 2, "0.0000": 3, "yyyy-mm-dd": 4}
_STYLES = (
    f'{_XML_HEAD}<styleSheet xmlns="{_MAIN_NS}">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="0.00"/>'
    '<numFmt numFmtId="165" formatCode="0.0000"/><numFmt numFmtId="166" formatCode="yyyy-mm-dd"/>'
    "</numFmts>"
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def _column_letters(count: int) -> list[str]:
    letters = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, remainder = divmod(number - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


def _xml(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def _text_cell(ref: str, text: str, style: int = 0) -> str:
    """An inline string cell; neutralised, so it never starts a formula."""
    text = _xml(neutralise(text))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t{space}>{text}</t></is></c>'


def _sheet_xml(sheet: Sheet) -> Iterator[str]:
    header_row = len(sheet.heading) + (2 if sheet.heading else 1)
    yield (
        f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
    )
    if sheet.widths:
        yield "<cols>"
        yield "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(sheet.widths, start=1)
        )
        yield "</cols>"
    yield "<sheetData>"
    number = 0
    for line in sheet.heading:
        number += 1
        style = _BOLD if number == 1 else 0
        yield f'<row r="{number}">{_text_cell(f"A{number}", line, style)}</row>'
    if sheet.heading:
        number += 1  # a blank row before the headers
    number += 1
    letters = _column_letters(max(len(sheet.headers), len(sheet.widths)) + 1)
    yield (
        f'<row r="{number}">'
        + "".join(
            _text_cell(f"{letters[i]}{number}", header, _BOLD)
            for i, header in enumerate(sheet.headers)
        )
        + "</row>"
    )
    styles = {index: _NUMBER_STYLES[code] for index, code in sheet.formats.items()}
    date_style = _NUMBER_STYLES["yyyy-mm-dd"]
    chunk: list[str] = []
    for row in sheet.rows:
        number += 1
        cells = []
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            if index >= len(letters):
                letters = _column_letters(index + 10)
            ref = f"{letters[index]}{number}"
            if isinstance(value, str):
                cells.append(_text_cell(ref, value))
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, datetime.date):
                days = (value - _EXCEL_EPOCH).days
                cells.append(f'<c r="{ref}" s="{date_style}"><v>{days}</v></c>')
            else:
                style = styles.get(index)
                styled = f' s="{style}"' if style else ""
                cells.append(f'<c r="{ref}"{styled}><v>{value}</v></c>')
        chunk.append(f'<row r="{number}">{"".join(cells)}</row>')
        if len(chunk) == 1000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)
    yield "</sheetData></worksheet>"


def to_xlsx(sheets: list[Sheet]) -> bytes:
    """A workbook with a sheet per part: title lines, bold frozen headers, column widths."""
    taken: set[str] = set()
    titles = [_sheet_title(sheet.title, taken) for sheet in sheets]
    count = len(sheets)
    content_types = (
        f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, count + 1)
        )
        + '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    )
    package_rels = (
        f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    workbook = (
        f'{_XML_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
        + "".join(
            f'<sheet name={quoteattr(_NOT_XML.sub("", title))} sheetId="{i}" r:id="rId{i}"/>'
            for i, title in enumerate(titles, start=1)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        + f'<Relationship Id="rId{count + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/styles.xml", _STYLES)
        for i, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w") as part:
                for text in _sheet_xml(sheet):
                    part.write(text.encode("utf-8"))
    return buffer.getvalue()


def render(sheets: list[Sheet], fmt: str, *, part: str | None = None) -> bytes:
    """The document in `fmt`: XLSX with every sheet; CSV with one (`part`, else the main one:
    the list, or the owners)."""
    if fmt == "xlsx":
        return to_xlsx(sheets)
    if fmt != "csv":
        raise ValueError(fmt)
    chosen = _csv_part(sheets, part)
    return b"".join(to_csv(chosen))


def _csv_part(sheets: list[Sheet], part: str | None) -> Sheet:
    if part is None:
        return next(sheet for sheet in sheets if sheet.key in ("list", "owners"))
    for sheet in sheets:
        if sheet.key == part:
            return sheet
    raise KeyError(part)


def parts(sheets: list[Sheet]) -> list[str]:
    return [sheet.key for sheet in sheets]
