"""Checks the rows of a customer file one by one, collecting every problem (row, column, reason)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from customers.credit_code import normalise as normalise_credit_code
from customers.credit_code import problem as credit_code_problem
from customers.imports.cells import (
    COUNT_FIELDS,
    IMPORTED_FACTS,
    MAX_TEXT,
    PREVIEW_ROWS,
    parse_count,
    parse_money,
    parse_year,
)
from customers.imports.checking import Row
from customers.models import CREDIT_CODE_PROBLEMS
from organisation import permissions
from organisation.models import BusinessUnit
from organisation.permissions import Action
from prioritizer.tabular import FORMULA_START, MAX_CELL, Problem, cell_text, header_key
from prioritizer.text import any_control_character, control_problem


class RowChecker:
    """Checks rows one by one, collecting problems.

    Codes, labels and options repeat down a file: each distinct one is looked up once and its
    verdict (the value, or the reasons it is refused) reused for every row that has it.
    """

    def __init__(self, reference, labels, default_year, this_year, by, problems):
        self.reference = reference
        self.labels = labels
        self.default_year = default_year
        self.this_year = this_year
        self.by = by
        self.problems = problems
        self.allowed: dict[int, bool] = {}
        self.limits = {key: MAX_TEXT if key in ("name", "name_en") else MAX_CELL for key in labels}
        self.facts = [(key, key in COUNT_FIELDS, key == "profit") for key in IMPORTED_FACTS]
        self.attribute_columns = [key for key in labels if key.startswith("attr:")]
        self.units: dict[str, tuple[BusinessUnit | None, str | None]] = {}
        self.segment_lists: dict[tuple, tuple[tuple[int, ...], list[str]]] = {}
        self.choices: dict[tuple[str, str], str | None] = {}
        self.years: dict[str, int | str] = {}
        self.options: dict[tuple, tuple[int | None, int | None, str | None]] = {}
        self.shown = 0

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def fail(self, number: int, key: str, message: str) -> None:
        self.problems.append(Problem(number, self.label(key), message))

    def may_edit(self, unit: BusinessUnit) -> bool:
        if self.by is None:
            return True
        if unit.pk not in self.allowed:
            self.allowed[unit.pk] = permissions.can(self.by, Action.EDIT_CUSTOMERS, unit)
        return self.allowed[unit.pk]

    def check(self, number: int, cells: dict[str, Any]) -> Row | None:
        before = len(self.problems)
        text: dict[str, str] = {}
        refused = set()  # cells already refused: not also "required"
        # One search of the whole row; each cell is checked only when the row has a suspect.
        suspect = any_control_character(cells.values())
        for key, value in cells.items():
            if isinstance(value, str):
                cell = value.strip()
                if suspect and (problem := control_problem(cell)):
                    self.fail(number, key, problem)
                    text[key] = ""
                    refused.add(key)
                    continue
                if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_START:
                    cell = cell[1:]  # taken off again: the exporter's formula guard
            else:
                cell = cell_text(value)
            limit = self.limits[key]
            if len(cell) > limit:
                self.fail(
                    number,
                    key,
                    _("This value is too long: at most %(max)d characters.") % {"max": limit},
                )
                cell = ""
            text[key] = cell

        # Credit code
        code = text.get("credit_code", "")
        code = (normalise_credit_code(code) or None) if code else None
        if code is not None:
            problem = credit_code_problem(code)
            if problem:
                self.fail(number, "credit_code", str(CREDIT_CODE_PROBLEMS[problem]))

        name = text.get("name", "")
        if not name and "name" in self.labels and "name" not in refused:
            self.fail(number, "name", _("The customer's name is required."))

        # Business unit and segments
        bu_code = text.get("bu", "")
        unit = None
        if bu_code:
            verdict = self.units.get(bu_code)
            if verdict is None:
                verdict = self.units[bu_code] = self._unit(bu_code)
            unit, reason = verdict
            if reason:
                self.fail(number, "bu", reason)
        elif "bu" in self.labels and "bu" not in refused:
            self.fail(number, "bu", _("The business unit code is required."))

        segment_text = text.get("segment", "")
        segment_ids: tuple[int, ...] = ()
        if segment_text:
            key = (segment_text, unit.pk if unit is not None else None)
            verdict = self.segment_lists.get(key)
            if verdict is None:
                verdict = self.segment_lists[key] = self._segments(segment_text, unit)
            segment_ids, reasons = verdict
            for reason in reasons:
                self.fail(number, "segment", reason)

        region = self._choice(number, "region", text, self.reference.regions)
        industry = self._choice(number, "industry", text, self.reference.industries)

        # Year
        year: int | str | None
        if text.get("year"):
            raw_year = cells["year"]
            if isinstance(raw_year, str):
                year = self.years.get(text["year"])
                if year is None:
                    year = self.years[text["year"]] = parse_year(text["year"], self.this_year)
            else:
                year = parse_year(raw_year, self.this_year)
            if isinstance(year, str):
                self.fail(number, "year", year)
        elif self.default_year is not None:
            year = self.default_year
        else:
            year = None
            self.fail(
                number,
                "year",
                _("No year: fill in the year, or choose the year of the facts when importing."),
            )

        facts: dict[str, Any] = {}
        for key, is_count, negative_ok in self.facts:
            if not text.get(key):
                continue
            raw = cells[key]
            value = text[key] if isinstance(raw, str) else raw
            parsed = parse_count(value) if is_count else parse_money(value, negative_ok=negative_ok)
            if isinstance(parsed, str):
                self.fail(number, key, parsed)
            else:
                facts[key] = parsed

        ratings: dict[int, int] = {}
        for key in self.attribute_columns:
            value = text.get(key)
            if not value:
                continue
            cache_key = (key, value, unit.pk if unit is not None else None)
            verdict = self.options.get(cache_key)
            if verdict is None:
                verdict = self.options[cache_key] = self._option(key, value, unit)
            attribute_id, option_id, reason = verdict
            if reason:
                self.fail(number, key, reason)
            else:
                ratings[attribute_id] = option_id

        if len(self.problems) > before or unit is None or isinstance(year, str) or year is None:
            return None
        display = None
        if self.shown < PREVIEW_ROWS:  # only the first rows are previewed
            self.shown += 1
            display = self._display(number, code, name, text, unit, region, industry, year, facts)
        return Row(
            number=number,
            credit_code=code,
            name=name,
            name_en=text.get("name_en", ""),
            bu=unit,
            segment_ids=segment_ids,
            region=region,
            industry=industry,
            year=year,
            facts=facts,
            ratings=ratings,
            display=display,
        )

    def _unit(self, bu_code: str) -> tuple[BusinessUnit | None, str | None]:
        """The business unit of a code the user may edit, else None and the reason."""
        unit = self.reference.units.get(bu_code)
        if unit is None:
            near = [c for c in self.reference.units if c.casefold() == bu_code.casefold()]
            message = _("Unknown business unit “%(code)s”.") % {"code": bu_code}
            if near:
                message += " " + _("Codes are case-sensitive: did you mean “%(code)s”?") % {
                    "code": near[0]
                }
            return None, message
        if not self.may_edit(unit):
            return None, _("You may not edit customers of BU %(code)s.") % {"code": unit.code}
        return unit, None

    def _segments(self, segment_text: str, unit) -> tuple[tuple[int, ...], list[str]]:
        """The segment ids of a cell ("S1;S2"), and the reasons for those refused."""
        segment_ids: list[int] = []
        reasons: list[str] = []
        for segment_code in filter(None, (s.strip() for s in segment_text.split(";"))):
            segment = self.reference.segments.get(segment_code)
            if segment is None:
                reasons.append(_("Unknown market segment “%(code)s”.") % {"code": segment_code})
            elif unit is not None and segment.business_unit_id != unit.pk:
                owner = next(
                    (
                        u.code
                        for u in self.reference.units.values()
                        if u.pk == segment.business_unit_id
                    ),
                    "?",
                )
                reasons.append(
                    _("Segment %(segment)s belongs to BU %(owner)s, not to %(bu)s.")
                    % {"segment": segment_code, "owner": owner, "bu": unit.code}
                )
            elif segment.pk not in segment_ids:
                segment_ids.append(segment.pk)
        return tuple(segment_ids), reasons

    def _option(self, key: str, value: str, unit) -> tuple[int | None, int | None, str | None]:
        """(attribute id, option id, None) of a rating cell, or (None, None, the reason)."""
        attribute = self.reference.attributes[key[5:]]
        if unit is not None and attribute.key not in self.reference.applicable_keys(unit.pk):
            return (
                None,
                None,
                _("The rated attribute “%(attribute)s” is not used in BU %(bu)s.")
                % {"attribute": attribute.key, "bu": unit.code},
            )
        option_id = self.reference.options.get(attribute.pk, {}).get(header_key(value))
        if option_id is None:
            keys = sorted(
                k
                for pk, k in self.reference.option_keys.items()
                if pk in self.reference.options.get(attribute.pk, {}).values()
            )
            return (
                None,
                None,
                _("“%(value)s” is not an option of “%(attribute)s”; use one of: %(options)s.")
                % {"value": value, "attribute": attribute.key, "options": ", ".join(keys)},
            )
        return attribute.pk, option_id, None

    def _display(self, number, code, name, text, unit, region, industry, year, facts) -> dict:
        return {
            "row": number,
            "credit_code": code or "",
            "name": name,
            "name_en": text.get("name_en", ""),
            "bu": unit.code,
            "segment": ";".join(s.strip() for s in text.get("segment", "").split(";") if s.strip()),
            "region": region,
            "industry": industry,
            "year": year,
            **facts,
            "ratings": {
                self.reference.attributes[k[5:]].key: text[k]
                for k in self.attribute_columns
                if text.get(k)
            },
        }

    def _choice(self, number: int, key: str, text: dict, lookup: dict[str, str]) -> str:
        value = text.get(key, "")
        if not value:
            return ""
        try:
            found = self.choices[(key, value)]
        except KeyError:
            found = self.choices[(key, value)] = lookup.get(header_key(value))
        if found is None:
            self.fail(
                number,
                key,
                _("Unknown %(column)s “%(value)s”: use a key or a name from the list.")
                % {"column": key, "value": value},
            )
            return ""
        return found
