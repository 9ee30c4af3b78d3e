"""Import of the customer database from CSV or XLSX (docs/file-formats.md, "Customers").

`customers_import()` reads the whole file, checks every row and either writes everything or
nothing. Problems are collected, never raised one at a time: the user gets the complete list,
each with the row number they see in their spreadsheet, the column and the reason.

Writing is set-based: existing customers, facts and ratings of the file are loaded with a few
`IN` queries, what changes is worked out (`writer`), and `customers.imports.store` writes it: on
PostgreSQL with `COPY` into temporary tables and one statement per table (and one per history
table), elsewhere with multi-row `INSERT … ON CONFLICT`; each row with its django-simple-history
record. Rows that would not change anything are not written, so importing the same file twice is a
no-op.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from customers.imports.cells import PREVIEW_ROWS
from customers.imports.checking import Reference, map_columns
from customers.imports.matching import group_rows, match_customers
from customers.imports.row_checker import RowChecker
from customers.imports.writer import Writer
from prioritizer.tabular import Problem, Refused, read_table, refusal


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = True
    rows: int = 0
    customers_created: int = 0
    customers_updated: int = 0
    customers_unchanged: int = 0
    facts_created: int = 0
    facts_updated: int = 0
    ratings_written: int = 0
    preview: list[dict] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _read(file_bytes: bytes, filename: str, reference: Reference, problems: list[Problem]):
    """The header mapping and the raw cells of each data row: (row number, {field: value})."""
    return read_table(
        file_bytes,
        filename,
        lambda header: map_columns(header, reference, problems),
        problems,
        check_width=True,
    )


def customers_import(
    *, file_bytes: bytes, filename: str, default_year: int | None, by=None, dry_run: bool
) -> ImportResult:
    """Check a customer file and, unless `dry_run` or anything is wrong, import all of it.

    `by` is the user importing (rows of BUs they may not edit are problems); None means the
    command line, with full rights. Nothing is written when the result has problems.
    """
    result = ImportResult(dry_run=dry_run)
    problems = result.problems
    if (refused := refusal(file_bytes)) is not None:
        problems.append(refused)
        return result
    this_year = timezone.localdate().year
    if default_year is not None and default_year > this_year:
        problems.append(
            Problem(
                1,
                "year",
                _("%(year)d is in the future: facts can be imported up to %(this_year)d.")
                % {"year": default_year, "this_year": this_year},
            )
        )
        return result

    reference = Reference.load()
    try:
        data, labels = _read(file_bytes, filename, reference, problems)
    except Refused as refused:
        problems.append(refused.problem)
        return result
    result.columns = list(labels)
    result.rows = len(data)
    if "year" not in labels and default_year is None:
        problems.append(
            Problem(
                1,
                "year",
                _("No year: add a “year” column, or choose the year of the facts when importing."),
            )
        )
        return result

    checker = RowChecker(reference, labels, default_year, this_year, by, problems)
    rows = [row for number, cells in data if (row := checker.check(number, cells)) is not None]
    plans = group_rows(rows, checker)
    match_customers(plans, checker)
    if problems:
        problems.sort(key=lambda p: p.row)
        return result

    writer = Writer(plans, reference, by, filename)
    writer.prepare()
    result.customers_created = writer.counts["customers_created"]
    result.customers_updated = writer.counts["customers_updated"]
    result.customers_unchanged = writer.counts["customers_unchanged"]
    result.facts_created = writer.counts["facts_created"]
    result.facts_updated = writer.counts["facts_updated"]
    result.ratings_written = writer.counts["ratings_written"]
    shown = {row.number: row for row in rows[:PREVIEW_ROWS]}  # rows are in file order
    actions = {
        row.number: "update" if plan.pk else "new"
        for plan in plans.values()
        for row in plan.rows
        if row.number in shown
    }
    result.preview = [
        {**row.display, "action": actions[number]}
        for number, row in shown.items()
        if number in actions
    ]
    if not dry_run:
        writer.write()
    return result
