"""The yearly documents built from the lists in force of a BU or BG: 年度BU/BG重要客户分级名单
(`tiered_document`) and 客户发展负责人名单 (`owners_document`), as
`prioritizer.spreadsheets.Sheet`s that `exports.render` writes. Each sheet starts with heading
lines: the document, the unit, each segment's list state and revision."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluation.criteria.models import TIER_TEXT_FIELDS
from evaluation.lists.document_targets import document_targets
from evaluation.lists.exports import cents, file_name_pair
from evaluation.models import TargetList
from organisation.models import BusinessGroup, BusinessUnit, Segment, localised
from prioritizer.spreadsheets import Sheet


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
PRINCIPLES = TIER_TEXT_FIELDS


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
    targets = document_targets(lists)
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
                cents(t.total),
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
    targets = sorted(document_targets(lists), key=lambda t: (t.owner == "", t.owner))  # stable
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
                cents(t.total),
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
    return file_name_pair(f"{year}_{unit.code}", kind, f".{fmt}")
