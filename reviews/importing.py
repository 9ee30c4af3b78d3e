"""Import of development results from CSV or XLSX (docs/reviews.md, "Results file").

Columns: credit_code or name (one is required per row), year, revenue_won, contracts_signed,
stage, notes, and optionally segment (only needed when a customer is a target of two segments).
Headers in English or Chinese; UTF-8 (with or without BOM) or GB18030/GBK; the stage as its
key or its Chinese or English label. The owner imports results for their own target customers
only. All-or-nothing: every bad row is listed with its number, column and reason, and then
nothing is written. Reading the file and its header is prioritizer.tabular's; the cell
parsers are customers.imports.cells'.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.credit_code import normalise as normalise_credit_code
from customers.imports.cells import choices_lookup, parse_count, parse_money
from evaluation.models import TargetEntry
from organisation.models import Segment
from prioritizer import tabular
from prioritizer.tabular import MAX_CELL, Problem, Refused, cell_text, header_key
from prioritizer.text import control_problem
from reviews import services
from reviews.models import DevelopmentResult, Stage
from reviews.scopes import approved_lists

COLUMNS = {
    "credit_code": "统一社会信用代码",
    "name": "客户名称",
    "segment": "细分市场",
    "year": "年度",
    "revenue_won": "赢得收入",
    "contracts_signed": "签约合同数",
    "stage": "关系阶段",
    "notes": "备注",
}
ALIASES = {
    "name_zh": "name",
    "customer": "name",
    "信用代码": "credit_code",
    "年份": "year",
    "revenue": "revenue_won",
    "收入": "revenue_won",
    "contracts": "contracts_signed",
    "合同数": "contracts_signed",
    "阶段": "stage",
    "note": "notes",
}
# The Chinese labels of the stages, accepted whatever the language catalogue says.
STAGE_NAMES = {
    "已识别": Stage.IDENTIFIED,
    "已接触": Stage.CONTACTED,
    "方案": Stage.PROPOSAL,
    "方案阶段": Stage.PROPOSAL,
    "谈判": Stage.NEGOTIATION,
    "谈判中": Stage.NEGOTIATION,
    "赢单": Stage.WON,
    "已赢单": Stage.WON,
    "丢单": Stage.LOST,
    "已丢单": Stage.LOST,
    "休眠": Stage.DORMANT,
}
FIRST_YEAR = 2000
PREVIEW_ROWS = 20


@dataclass
class ResultImport:
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = True
    rows: int = 0
    created: int = 0
    updated: int = 0
    preview: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Row:
    number: int
    entry: TargetEntry
    year: int
    revenue_won: Any
    contracts_signed: int
    stage: str
    notes: str


def _stage_lookup() -> dict[str, str]:
    lookup = choices_lookup(Stage)
    for name, key in STAGE_NAMES.items():
        lookup.setdefault(header_key(name), key)
    return lookup


def _map_header(header: list, problems: list[Problem]) -> tuple[dict[int, str], dict[str, str]]:
    columns, labels = tabular.map_header(
        header, tabular.header_lookup(COLUMNS, ALIASES), problems, _unknown_column
    )
    if "credit_code" not in labels and "name" not in labels:
        problems.append(
            Problem(
                1,
                "credit_code",
                _("Add a “credit_code” (统一社会信用代码) or a “name” (客户名称) column."),
            )
        )
    tabular.require_columns(labels, ("year", "stage"), COLUMNS, problems)
    return columns, labels


def _unknown_column(_index: int, text: str) -> Problem:
    return Problem(
        1,
        text[:50],
        _("Unknown column “%(column)s”: use the columns of docs/reviews.md.")
        % {"column": text[:50]},
    )


def _read(file_bytes: bytes, filename: str, problems: list[Problem]):
    return tabular.read_table(
        file_bytes, filename, lambda header: _map_header(header, problems), problems
    )


def _parse_year(value: Any) -> int | str:
    last = timezone.localdate().year + 2
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    text = text.removesuffix("年")
    if (
        isinstance(value, bool)
        or not re.fullmatch(r"\d{4}", text)
        or not FIRST_YEAR <= int(text) <= last
    ):
        return _("Enter a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": last}
    return int(text)


class _Owned:
    """The importer's target customers in the year's approved lists, found by code or name."""

    def __init__(self, by, year: int):
        lists = approved_lists(year, Segment.objects.all())
        self.entries = list(
            TargetEntry.objects.targets()
            .filter(target_list__in=lists)
            .select_related("customer", "target_list__segment")
        )
        self.by = by
        self.by_code: dict[str, list[TargetEntry]] = {}
        self.by_name: dict[str, list[TargetEntry]] = {}
        for entry in self.entries:
            customer = entry.customer
            if customer.credit_code:
                self.by_code.setdefault(customer.credit_code, []).append(entry)
            for name in (customer.name_zh, customer.name_en):
                if name:
                    self.by_name.setdefault(header_key(name), []).append(entry)

    def find(self, code: str, name: str, segment: str, year: int) -> TargetEntry | str:
        found = self.by_code.get(code, []) if code else self.by_name.get(header_key(name), [])
        shown = code or name
        if not found:
            return _(
                "“%(customer)s” is not a target customer of an approved list for %(year)d: results are recorded only for those."
            ) % {"customer": shown, "year": year}
        own = [entry for entry in found if entry.owner_id == self.by.pk]
        if not own:
            return _(
                "“%(customer)s” is a target customer of someone else: only its owner records results."
            ) % {"customer": shown}
        if segment:
            own = [entry for entry in own if entry.target_list.segment.code == segment]
            if not own:
                return _("“%(customer)s” is not your target customer in segment %(segment)s.") % {
                    "customer": shown,
                    "segment": segment,
                }
        if len({entry.customer_id for entry in own}) > 1:
            return _(
                "Several of your target customers are named “%(name)s”: use the credit code."
            ) % {"name": name}
        if len(own) > 1:
            return _(
                "“%(customer)s” is a target of several segments (%(segments)s): add a “segment” column."
            ) % {
                "customer": shown,
                "segments": ", ".join(e.target_list.segment.code for e in own),
            }
        return own[0]


class _Checker:
    def __init__(self, by, labels: dict[str, str], problems: list[Problem]):
        self.by = by
        self.labels = labels
        self.problems = problems
        self.stages = _stage_lookup()
        self.owned: dict[int, _Owned] = {}
        self.seen: dict[tuple, int] = {}

    def fail(self, number: int, key: str, message: str) -> None:
        self.problems.append(Problem(number, self.labels.get(key, key), message))

    def check(self, number: int, cells: dict[str, Any]) -> _Row | None:
        before = len(self.problems)
        text = {}
        for key, value in cells.items():
            text[key] = cell_text(value)
            if len(text[key]) > MAX_CELL * 2:
                self.fail(number, key, _("This cell holds a value that cannot be right."))
                text[key] = ""
            elif problem := control_problem(text[key], multiline=key == "notes"):
                self.fail(number, key, problem)
                text[key] = ""
        year = _parse_year(cells.get("year"))
        if isinstance(year, str):
            self.fail(number, "year", year)
        revenue = (
            parse_money(cells["revenue_won"], negative_ok=False) if text.get("revenue_won") else 0
        )
        if isinstance(revenue, str):
            self.fail(number, "revenue_won", revenue)
        contracts = parse_count(cells["contracts_signed"]) if text.get("contracts_signed") else 0
        if isinstance(contracts, str):
            self.fail(number, "contracts_signed", contracts)
        stage_text = text.get("stage", "")
        stage = self.stages.get(header_key(stage_text)) if stage_text else None
        if stage is None:
            self.fail(
                number,
                "stage",
                _("“%(stage)s” is not a relationship stage. Use one of: %(stages)s.")
                % {"stage": stage_text, "stages": ", ".join(Stage.values)},
            )
        notes = text.get("notes", "")
        if len(notes) > services.MAX_NOTES:
            self.fail(
                number,
                "notes",
                _("Notes must be at most %(max)d characters.") % {"max": services.MAX_NOTES},
            )
        code = normalise_credit_code(text.get("credit_code", ""))
        name = text.get("name", "")
        entry = None
        if not code and not name:
            self.fail(number, "credit_code", _("Give the customer's credit code or name."))
        elif isinstance(year, int):
            if year not in self.owned:
                self.owned[year] = _Owned(self.by, year)
            found = self.owned[year].find(code, name, text.get("segment", ""), year)
            if isinstance(found, str):
                self.fail(number, "credit_code" if code else "name", found)
            else:
                entry = found
                key = (entry.target_list.segment_id, entry.customer_id, year)
                if key in self.seen:
                    self.fail(
                        number,
                        "credit_code" if code else "name",
                        _("This customer's result for %(year)d is also in row %(row)d.")
                        % {"year": year, "row": self.seen[key]},
                    )
                self.seen.setdefault(key, number)
        if len(self.problems) > before or entry is None:
            return None
        return _Row(number, entry, year, revenue, contracts, stage, notes)


def results_import(*, file_bytes: bytes, filename: str, by, dry_run: bool) -> ResultImport:
    """Check a results file and, unless `dry_run` or anything is wrong, record all of it."""
    result = ResultImport(dry_run=dry_run)
    problems = result.problems
    if (refused := tabular.refusal(file_bytes)) is not None:
        problems.append(refused)
        return result
    try:
        data, labels = _read(file_bytes, filename, problems)
    except Refused as refused:
        problems.append(refused.problem)
        return result
    result.rows = len(data)
    if problems:  # the header is wrong: the rows cannot be read against it
        return result
    checker = _Checker(by, labels, problems)
    rows = [row for number, cells in data if (row := checker.check(number, cells)) is not None]
    if problems:
        problems.sort(key=lambda p: p.row)
        return result
    existing = set(
        DevelopmentResult.objects.filter(
            customer_id__in=[row.entry.customer_id for row in rows]
        ).values_list("segment_id", "year", "customer_id")
    )
    for row in rows:
        key = (row.entry.target_list.segment_id, row.year, row.entry.customer_id)
        if key in existing:
            result.updated += 1
        else:
            result.created += 1
    result.preview = [
        {
            "row": row.number,
            "customer": row.entry.customer.name,
            "segment": row.entry.target_list.segment.code,
            "year": row.year,
            "revenue_won": row.revenue_won,
            "contracts_signed": row.contracts_signed,
            "stage": Stage(row.stage).label,
        }
        for row in rows[:PREVIEW_ROWS]
    ]
    if dry_run:
        return result
    try:
        with transaction.atomic():
            for row in rows:
                services.result_record(
                    entry=row.entry,
                    by=by,
                    revenue_won=row.revenue_won,
                    contracts_signed=row.contracts_signed,
                    stage=row.stage,
                    notes=row.notes,
                )
    except (ValidationError, PermissionDenied) as error:  # checked above; kept for races
        message = " ".join(error.messages) if isinstance(error, ValidationError) else ""
        result.problems.append(
            Problem(row.number, "—", message or _("You may not record results for this customer."))
        )
        result.created = result.updated = 0
    return result
