"""The year-end review as an Excel workbook: goals, figures by tier and segment, every target
customer's result, missing results per owner, tier migration, back-test and inquiries."""

from __future__ import annotations

from django.utils.translation import gettext as _

from prioritizer.spreadsheets import Sheet, to_xlsx
from reviews.backtest_data import SetBacktest
from reviews.models import Stage
from reviews.reports import NOT_TARGET, Figures, Review


def _sheet(workbook: list[Sheet], title: str) -> list[list]:
    """A new sheet's rows, to append to (`to_xlsx` makes its title one Excel accepts)."""
    rows: list[list] = []
    workbook.append(Sheet(key=f"sheet{len(workbook) + 1}", title=title, headers=[], rows=rows))
    return rows


def _append(rows: list[list], values) -> None:
    rows.append(list(values))


def _figures(figures: Figures) -> list:
    return [
        figures.targets,
        figures.recorded,
        figures.missing,
        figures.active,
        figures.coverage,
        figures.converted,
        figures.conversion,
        float(figures.revenue),
        figures.contracts,
    ]


def _figure_headers() -> list[str]:
    return [
        _("Target customers"),
        _("Results recorded"),
        _("Results missing"),
        _("With activity"),
        _("Coverage (%)"),
        _("Won"),
        _("Conversion (%)"),
        _("Revenue won (CNY)"),
        _("Contracts signed"),
    ]


def _rho(value) -> float | str:
    return _("not computable") if value is None else value


def review_xlsx(review: Review, backtests: list[SetBacktest]) -> bytes:
    workbook: list[Sheet] = []
    summary = _sheet(workbook, _("Review %(year)d") % {"year": review.year})
    _append(
        summary,
        [_("Annual review"), f"{review.scope.level_label} {review.scope.unit}", review.year],
    )
    _append(summary, [])
    _append(
        summary,
        [
            _("Goal"),
            _("Target customers (goal)"),
            _("Target customers"),
            _("Revenue from target customers (goal, CNY)"),
            _("Revenue won (CNY)"),
        ],
    )
    for row in review.goals:
        _append(
            summary,
            [
                str(row.unit),
                row.goal.target_customer_count,
                row.actual.targets,
                float(row.goal.target_revenue) if row.goal.target_revenue is not None else None,
                float(row.actual.revenue),
            ],
        )
    _append(summary, [])
    _append(summary, [_("Tier"), *_figure_headers()])
    for code, name, figures in review.by_tier:
        _append(summary, [f"{code} {name}", *_figures(figures)])
    _append(summary, [_("Total"), *_figures(review.totals)])
    _append(summary, [])
    _append(summary, [_("Segment"), *_figure_headers()])
    for segment, figures in review.by_segment:
        _append(summary, [str(segment), *_figures(figures)])

    results = _sheet(workbook, _("Results"))
    _append(
        results,
        [
            _("Segment"),
            _("Rank"),
            _("Credit code"),
            _("Customer"),
            _("Tier"),
            _("Owner"),
            _("Relationship stage"),
            _("Revenue won (CNY)"),
            _("Contracts signed"),
            _("Notes"),
        ],
    )
    for row in review.rows:
        entry, result = row.entry, row.result
        _append(
            results,
            [
                entry.target_list.segment.code,
                entry.rank,
                entry.customer.credit_code or "",
                entry.customer.name_zh,
                entry.tier,
                (entry.owner.get_full_name() or entry.owner.username) if entry.owner else "",
                str(Stage(result.stage).label) if result else _("missing"),
                float(result.revenue_won) if result else None,
                result.contracts_signed if result else None,
                result.notes if result else "",
            ],
        )

    missing = _sheet(workbook, _("Missing results"))
    _append(missing, [_("Owner"), _("Results missing"), _("Customers")])
    for owner, rows in review.missing_by_owner:
        _append(
            missing,
            [
                (owner.get_full_name() or owner.username) if owner else _("(nobody)"),
                len(rows),
                "、".join(row.entry.customer.name_zh for row in rows),
            ],
        )

    for matrix in review.migrations:
        sheet = _sheet(
            workbook, _("Tiers %(a)d→%(b)d") % {"a": matrix.from_year, "b": matrix.to_year}
        )
        label = {NOT_TARGET: _("not a target")}
        _append(
            sheet,
            [f"{matrix.from_year} \\ {matrix.to_year}", *[label.get(c, c) for c in matrix.columns]],
        )
        for line in matrix.rows():
            _append(
                sheet,
                [
                    label.get(line["code"], line["code"]),
                    *[None if c["blank"] else c["count"] for c in line["cells"]],
                ],
            )

    for result in backtests:
        sheet = _sheet(workbook, _("Back-test %(name)s") % {"name": result.criteria_set.name})
        _append(sheet, [_("Criteria set"), result.criteria_set.name])
        _append(
            sheet, [_("Customers compared"), result.compared, _("Results missing"), result.missing]
        )
        _append(sheet, [])
        _append(
            sheet,
            [
                _("Score"),
                _("Spearman ρ with revenue won"),
                _("Customers"),
                _("Weight (%)"),
                _("Suggested weight (%)"),
                _("Warning"),
            ],
        )
        rows = [(_("Total"), result.total, None, None)] + [
            (f"{f.key} {f.name}", f.correlation, f.weight, f.suggested) for f in result.criteria
        ]
        for name, correlation, weight, suggested in rows:
            _append(
                sheet,
                [
                    name,
                    _rho(correlation.rho),
                    correlation.n,
                    weight,
                    suggested,
                    _("too few customers to trust") if correlation.too_small else "",
                ],
            )
        _append(sheet, [])
        _append(
            sheet,
            [
                _("Tier from scoring"),
                _("Customers"),
                _("With revenue"),
                _("Hit rate (%)"),
                _("Warning"),
            ],
        )
        for hit in result.hits:
            _append(
                sheet,
                [
                    result.tier_label(hit.code),
                    hit.n,
                    hit.hits,
                    None if hit.rate is None else round(100 * hit.rate, 1),
                    _("too few customers to trust") if hit.too_small else "",
                ],
            )

    if review.inquiries is not None:
        sheet = _sheet(workbook, _("Inquiries %(year)d") % {"year": review.year})
        _append(sheet, [_("Segment"), _("Inquiries"), _("Conversions"), _("Still open")])
        for row in review.inquiry_rows:
            _append(sheet, [row["segment"], row["count"], row["conversions"], row["still_open"]])

    trail = _sheet(workbook, _("Review trail"))
    _append(trail, [_("When"), _("Step"), _("By"), _("Detail")])
    for step in review.steps:
        _append(
            trail,
            [
                step.at.strftime("%Y-%m-%d %H:%M"),
                str(step.get_kind_display()),
                (step.by.get_full_name() or step.by.username) if step.by else "",
                step.detail,
            ],
        )
    return to_xlsx(workbook)
