"""The administrator's set-up checklist: the steps from an empty installation to the first
ranking, each with its counts, what is missing and where it is done (issue 14).

It reads every app, so it lives in the project package, the one layer allowed to import them
all. A handful of set-based queries, whatever the size of the organisation: the segment reads
of steps 4 and 6 are one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from customers.models import Attribute
from customers.preliminary.models import PreliminaryList
from evaluation.criteria.models import CriteriaSet
from organisation.models import BusinessGroup, BusinessUnit, Role, Segment
from prioritizer import years

# What a missing list shows before "and N more": 200 segments would drown the page.
MISSING_SHOWN = 10


@dataclass(frozen=True)
class Figure:
    label: str
    number: int
    out_of: int | None = None  # e.g. 3 of the 5 segments


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    counts: list[Figure]
    missing: list[str]  # what keeps the step to do
    url: str
    link_text: str
    notes: list[str] = field(default_factory=list)  # worth knowing, not in the way

    @property
    def done(self) -> bool:
        return not self.missing

    @property
    def missing_shown(self) -> list[str]:
        return self.missing[:MISSING_SHOWN]

    @property
    def missing_more(self) -> int:
        return max(len(self.missing) - MISSING_SHOWN, 0)


@dataclass(frozen=True)
class Checklist:
    planning_year: int
    facts_year: int
    steps: list[Step]

    @property
    def done(self) -> bool:
        return all(step.done for step in self.steps)


def _none_yet(counts: list[Figure]) -> list[str]:
    return [_("No %(things)s yet.") % {"things": c.label} for c in counts if not c.number]


def _org_step() -> Step:
    counts = [
        Figure(_("business groups"), BusinessGroup.objects.count()),
        Figure(_("business units"), BusinessUnit.objects.count()),
        Figure(_("market segments"), Segment.objects.count()),
    ]
    return Step(
        1,
        _("Organisation loaded"),
        counts,
        _none_yet(counts),
        reverse("organisation:unit-list"),
        _("Organisation"),
    )


def _people_step(segments: list[Segment]) -> Step:
    with_role = get_user_model().objects.filter(role_memberships__isnull=False).distinct().count()
    units_without_vp = BusinessUnit.objects.exclude(role_memberships__role=Role.BU_VP)
    missing = [
        _("%(unit)s has no BU marketing VP.") % {"unit": unit}
        for unit in units_without_vp.order_by("code")
    ]
    if not with_role:
        missing.insert(0, _("Nobody holds a role yet."))
    # A BU VP stands in for a segment without a manager: worth seeing, not in the way.
    notes = [
        _("%(segment)s has no segment manager: its BU VP stands in.") % {"segment": segment}
        for segment in segments
        if not segment.has_manager
    ]
    return Step(
        2,
        _("People and roles"),
        [Figure(_("users with a role"), with_role)],
        missing,
        reverse("organisation:people-import"),
        _("Role memberships"),
        notes,
    )


def _reference_step() -> Step:
    attributes = list(Attribute.objects.annotate(option_count=Count("options")).order_by("key"))
    counts = [
        Figure(_("rated attributes"), len(attributes)),
        Figure(_("attribute options"), sum(a.option_count for a in attributes)),
    ]
    missing = [
        _("%(attribute)s has no options.") % {"attribute": a}
        for a in attributes
        if not a.option_count
    ]
    if not attributes:
        missing.insert(0, _("No rated attributes yet."))
    return Step(
        3,
        _("Reference data"),
        counts,
        missing,
        reverse("admin:customers_attribute_changelist"),
        _("Rated attributes"),
    )


def _criteria_step(segments: list[Segment], year: int) -> Step:
    in_force = sum(1 for s in segments if s.has_criteria)
    return Step(
        4,
        _("A published criteria set for every segment (or its BU default), %(year)s")
        % {"year": year},
        [Figure(_("segments with criteria in force"), in_force, len(segments))],
        [
            _("%(segment)s has no published criteria set.") % {"segment": s}
            for s in segments
            if not s.has_criteria
        ]
        or ([] if segments else [_("No market segments yet.")]),
        f"{reverse('evaluation:criteria-index')}?year={year}",
        _("Criteria sets"),
    )


def _customers_step(facts_year: int) -> Step:
    units = BusinessUnit.objects.annotate(
        with_facts=Count(
            "customers",
            filter=Q(customers__years__year=facts_year, customers__archived_at__isnull=True),
            distinct=True,
        )
    ).order_by("code")
    units = list(units)
    missing = [
        _("%(unit)s has no customers with facts of %(year)s.") % {"unit": u, "year": facts_year}
        for u in units
        if not u.with_facts
    ]
    return Step(
        5,
        _("Customers imported for the facts year %(year)s") % {"year": facts_year},
        [
            Figure(_("customers with facts of the year"), sum(u.with_facts for u in units)),
            Figure(
                _("business units with such customers"),
                sum(1 for u in units if u.with_facts),
                len(units),
            ),
        ],
        missing or ([] if units else [_("No business units yet.")]),
        reverse("customers:customer-import"),
        _("Import customers"),
    )


def _preliminary_step(segments: list[Segment], year: int) -> Step:
    return Step(
        6,
        _("Preliminary lists for %(year)s") % {"year": year},
        [
            Figure(
                _("segments with a preliminary list"),
                sum(1 for s in segments if s.has_list),
                len(segments),
            )
        ],
        [
            _("%(segment)s has no preliminary list.") % {"segment": s}
            for s in segments
            if not s.has_list
        ]
        or ([] if segments else [_("No market segments yet.")]),
        f"{reverse('customers:preliminary-list-index')}?year={year}",
        _("Preliminary lists"),
    )


def _segments(year: int) -> list[Segment]:
    """Every segment, with what steps 2, 4 and 6 ask of it, in one query."""
    published = CriteriaSet.objects.published().filter(year=year)
    return list(
        Segment.objects.with_org()
        .in_org_order()
        .annotate(
            has_manager=Exists(
                Segment.objects.filter(
                    pk=OuterRef("pk"), role_memberships__role=Role.SEGMENT_MANAGER
                )
            ),
            # CriteriaSet.objects.in_force_for, for every segment at once.
            has_criteria=Exists(published.filter(segment=OuterRef("pk")))
            | Exists(
                published.filter(business_unit=OuterRef("business_unit"), segment__isnull=True)
            ),
            has_list=Exists(PreliminaryList.objects.filter(segment=OuterRef("pk"), year=year)),
        )
    )


def setup_checklist(planning_year: int | None = None) -> Checklist:
    year = planning_year if planning_year is not None else years.planning_year()
    facts_year = years.facts_year(year)
    segments = _segments(year)
    return Checklist(
        year,
        facts_year,
        [
            _org_step(),
            _people_step(segments),
            _reference_step(),
            _criteria_step(segments, year),
            _customers_step(facts_year),
            _preliminary_step(segments, year),
        ],
    )
