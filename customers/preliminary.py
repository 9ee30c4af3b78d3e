"""Preliminary annual lists (初步客户名单, step 2.3.2): reads for the pages, and the writes.

Every write checks role and scope itself through organisation.permissions, so a view, a
command or a test calling it cannot skip the check. Bad input raises ValidationError with a
translated message and, the functions being atomic, writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.completeness import PRELIMINARY_FORM, all_fields, completeness
from customers.credit_code import normalise as normalise_credit_code
from customers.models import (
    Attribute,
    AttributeValue,
    Customer,
    CustomerYear,
    Nomination,
    PreliminaryList,
    ResearcherNudge,
)
from organisation import permissions
from organisation.models import Role, RoleMembership, Segment
from organisation.permissions import Action
from organisation.services import notification_send
from prioritizer import years

User = get_user_model()

NUDGE_INTERVAL = timedelta(hours=24)
MAX_QUOTA = 10000
# The facts each missing-field key stands for, as the survey forms label them.
FACT_FIELDS = ("revenue", "employees", "profit", "it_budget", "it_spend", "it_staff")
TEXT_FIELDS = ("business_strategy", "it_landscape", "planned_projects")


# --- Reads ---------------------------------------------------------------------------------


def allowed_new_list_years() -> range:
    """New lists are for this year or next year (the plan is made in October–November)."""
    return years.preliminary_list_years()


def default_planning_year() -> int:
    """From October the lists being worked on are next year's."""
    return years.planning_year_for_preliminary_lists()


def researchers_of(segment: Segment):
    """Users holding the researcher role in the segment's BU: the only ones who may be assigned."""
    return (
        User.objects.filter(
            role_memberships__role=Role.RESEARCHER,
            role_memberships__business_unit_id=segment.business_unit_id,
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


def responsible_candidates(segment: Segment):
    """People who work on the segment: its segment managers and the roles held over its BU."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role_memberships__segment=segment)
            | Q(
                role_memberships__business_unit_id=segment.business_unit_id,
                role_memberships__role__in=[Role.BU_VP, Role.RESEARCHER, Role.ACCOUNT_MANAGER],
            )
        )
        .distinct()
        .order_by("username")
    )


@dataclass(frozen=True)
class Progress:
    quota: int | None
    proposed_quota: int | None
    collected: int
    preliminary_complete: int
    fully_complete: int
    unassigned: int

    @property
    def target(self) -> int:
        """What the bar measures against: the quota once set, else the proposal, else what is in."""
        return self.quota or self.proposed_quota or self.collected

    def percent_of_target(self, count: int) -> int:
        if not self.target:
            return 0
        return min(100, round(100 * count / self.target))

    @property
    def collected_percent(self) -> int:
        return self.percent_of_target(self.collected)

    @property
    def bar(self) -> dict[str, int]:
        """Widths (percent of the target) of the stacked bar's three parts, never above 100."""
        full = self.percent_of_target(self.fully_complete)
        preliminary = self.percent_of_target(self.preliminary_complete)
        collected = self.collected_percent
        preliminary = max(preliminary, full)
        return {
            "full": full,
            "preliminary_only": preliminary - full,
            "collected_only": max(collected, preliminary) - preliminary,
        }

    @property
    def over_quota(self) -> bool:
        return self.quota is not None and self.collected > self.quota


def progress_by_list(lists) -> dict[int, Progress]:
    """Progress of many lists in four grouped queries: list pk -> Progress."""
    lists = list(lists)
    nominations = Nomination.objects.filter(preliminary_list__in=lists)

    def counts(queryset) -> dict[int, int]:
        return dict(
            queryset.order_by()
            .values("preliminary_list")
            .annotate(n=Count("pk"))
            .values_list("preliminary_list", "n")
        )

    collected = counts(nominations)
    preliminary = counts(nominations.preliminary_form_complete())
    full = counts(nominations.fully_complete())
    unassigned = counts(nominations.filter(researcher__isnull=True))
    return {
        pl.pk: Progress(
            quota=pl.quota,
            proposed_quota=pl.proposed_quota,
            collected=collected.get(pl.pk, 0),
            preliminary_complete=preliminary.get(pl.pk, 0),
            fully_complete=full.get(pl.pk, 0),
            unassigned=unassigned.get(pl.pk, 0),
        )
        for pl in lists
    }


def preliminary_list_progress(preliminary_list: PreliminaryList) -> Progress:
    return progress_by_list([preliminary_list])[preliminary_list.pk]


def field_labels(business_unit_id: int) -> dict[str, str]:
    """What each completeness field is called on the survey forms, in the active language."""
    labels = {
        "region": Customer._meta.get_field("region").verbose_name,
        "industry": Customer._meta.get_field("industry").verbose_name,
        "key_decision_maker": _("key decision maker"),
    }
    for name in (*FACT_FIELDS, *TEXT_FIELDS):
        labels[name] = CustomerYear._meta.get_field(name).verbose_name
    for attribute in Attribute.objects.for_business_unit(business_unit_id):
        labels[attribute.key] = attribute.name
    return {key: str(label) for key, label in labels.items()}


@dataclass(frozen=True)
class NominationRow:
    nomination: Nomination
    completeness: int
    preliminary_missing: tuple[str, ...]
    missing: tuple[str, ...]
    missing_labels: tuple[str, ...] = ()

    @property
    def preliminary_complete(self) -> bool:
        return not self.preliminary_missing

    @property
    def complete(self) -> bool:
        return not self.missing


def nomination_rows(preliminary_list: PreliminaryList) -> list[NominationRow]:
    """Each nomination with its facts-year completeness and the fields still missing.

    Reads in a fixed number of queries whatever the list's length.
    """
    year = preliminary_list.facts_year
    nominations = list(
        preliminary_list.nominations.select_related("customer", "researcher").order_by(
            "customer__name_zh"
        )
    )
    customer_ids = [n.customer_id for n in nominations]
    facts = {
        row["customer_id"]: row
        for row in CustomerYear.objects.filter(customer_id__in=customer_ids, year=year).values(
            "customer_id", "completeness", *FACT_FIELDS, *TEXT_FIELDS
        )
    }
    with_decision_maker = set(
        Customer.objects.filter(pk__in=customer_ids, contacts__is_key_decision_maker=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    attribute_keys = list(
        Attribute.objects.for_business_unit(preliminary_list.segment.business_unit_id).values_list(
            "key", flat=True
        )
    )
    rated: dict[int, set[str]] = {}
    for customer_id, key in AttributeValue.objects.filter(
        customer_id__in=customer_ids, year=year
    ).values_list("customer_id", "attribute__key"):
        rated.setdefault(customer_id, set()).add(key)
    fields = all_fields(attribute_keys)
    labels = field_labels(preliminary_list.segment.business_unit_id)
    rows = []
    for nomination in nominations:
        customer = nomination.customer
        values = {
            **facts.get(customer.pk, {}),
            "region": customer.region,
            "industry": customer.industry,
            "key_decision_maker": customer.pk in with_decision_maker,
            **{key: key in rated.get(customer.pk, set()) for key in attribute_keys},
        }
        result = completeness(values, fields)
        rows.append(
            NominationRow(
                nomination=nomination,
                completeness=facts.get(customer.pk, {}).get("completeness", 0),
                preliminary_missing=completeness(values, PRELIMINARY_FORM).missing,
                missing=result.missing,
                missing_labels=tuple(labels.get(key, key) for key in result.missing),
            )
        )
    return rows


def researcher_workload(preliminary_list: PreliminaryList) -> list[dict]:
    """Per assigned researcher: nominations, incomplete ones, and when last nudged."""
    counts = (
        preliminary_list.nominations.filter(researcher__isnull=False)
        .values("researcher")
        .annotate(total=Count("pk"))
    )
    incomplete = dict(
        preliminary_list.nominations.incomplete()
        .filter(researcher__isnull=False)
        .values("researcher")
        .annotate(n=Count("pk"))
        .values_list("researcher", "n")
    )
    last_nudged = {}
    for nudge in preliminary_list.nudges.order_by("sent_at"):
        last_nudged[nudge.researcher_id] = nudge.sent_at
    users = User.objects.in_bulk([row["researcher"] for row in counts])
    return sorted(
        (
            {
                "researcher": users[row["researcher"]],
                "total": row["total"],
                "incomplete": incomplete.get(row["researcher"], 0),
                "last_nudged": last_nudged.get(row["researcher"]),
            }
            for row in counts
        ),
        key=lambda item: item["researcher"].username,
    )


def nomination_candidates(preliminary_list: PreliminaryList, query: str, limit: int = 20):
    """Active customers of the list's BU matching a Chinese/English name or credit code,
    not already nominated."""
    query = query.strip()
    if not query:
        return Customer.objects.none()
    return (
        Customer.objects.active()
        .filter(business_unit_id=preliminary_list.segment.business_unit_id)
        .filter(
            Q(name_zh__icontains=query)
            | Q(name_en__icontains=query)
            | Q(credit_code__iexact=query)
            | Q(credit_code__istartswith=query)
        )
        .exclude(nominations__preliminary_list=preliminary_list)
        .order_by("name_zh")[:limit]
    )


# --- Writes --------------------------------------------------------------------------------


def _require_list_work(user, preliminary_list: PreliminaryList) -> None:
    permissions.require(user, Action.MANAGE_SEGMENT_LIST, preliminary_list)


def _quota_value(value, field: str) -> int | None:
    """A quota as a whole number in [0, MAX_QUOTA]; empty means "not set"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not text.lstrip("-").isdigit():
        raise ValidationError({field: _("Enter the quota as a whole number.")})
    number = int(text)
    if number < 0:
        raise ValidationError({field: _("A quota cannot be negative.")})
    if number > MAX_QUOTA:
        raise ValidationError(
            {field: _("A quota cannot be more than %(max)d.") % {"max": MAX_QUOTA}}
        )
    return number


@transaction.atomic
def preliminary_list_open(*, segment: Segment, year: int, by) -> PreliminaryList:
    """The segment's list for `year`, created if there is none yet.

    The segment manager (or the BU VP standing in) and the BU VP, who sets quotas, may start
    one; only for this year or next year.
    """
    if not (
        permissions.can(by, Action.MANAGE_SEGMENT_LIST, segment)
        or permissions.can(by, Action.SET_QUOTA, segment)
    ):
        raise PermissionDenied(Action.MANAGE_SEGMENT_LIST)
    existing = PreliminaryList.objects.filter(segment=segment, year=year).first()
    if existing is not None:
        return existing
    allowed = allowed_new_list_years()
    if year not in allowed:
        raise ValidationError(
            {
                "year": _("A new list can only be started for %(first)d or %(last)d.")
                % {"first": allowed[0], "last": allowed[-1]}
            }
        )
    preliminary_list, _created = PreliminaryList.objects.get_or_create(segment=segment, year=year)
    return preliminary_list


@transaction.atomic
def preliminary_list_propose_quota(
    *, preliminary_list: PreliminaryList, proposed_quota, by
) -> PreliminaryList:
    """The segment manager proposes how many customers to collect."""
    _require_list_work(by, preliminary_list)
    preliminary_list.proposed_quota = _quota_value(proposed_quota, "proposed_quota")
    preliminary_list.save(update_fields=["proposed_quota"])
    return preliminary_list


@transaction.atomic
def preliminary_list_set_quota(*, preliminary_list: PreliminaryList, quota, by) -> PreliminaryList:
    """The BU VP decides the quota; the segment's managers are told."""
    permissions.require(by, Action.SET_QUOTA, preliminary_list)
    preliminary_list.quota = _quota_value(quota, "quota")
    preliminary_list.save(update_fields=["quota"])
    if preliminary_list.quota is not None:
        managers = User.objects.filter(
            role_memberships__role=Role.SEGMENT_MANAGER,
            role_memberships__segment_id=preliminary_list.segment_id,
        ).exclude(pk=by.pk)
        for manager in managers:
            notification_send(
                recipient=manager,
                text=_("The quota of %(list)s is set to %(quota)d.")
                % {"list": preliminary_list, "quota": preliminary_list.quota},
                url=preliminary_list.get_absolute_url(),
                sender=by,
            )
    return preliminary_list


def _check_researcher(preliminary_list: PreliminaryList, researcher) -> None:
    if researcher is None:
        return
    is_researcher_here = RoleMembership.objects.filter(
        user=researcher,
        role=Role.RESEARCHER,
        business_unit_id=preliminary_list.segment.business_unit_id,
    ).exists()
    if not is_researcher_here or not researcher.is_active:
        raise ValidationError(
            {
                "researcher": _("%(user)s is not a researcher of %(bu)s.")
                % {"user": researcher, "bu": preliminary_list.segment.business_unit}
            }
        )


@transaction.atomic
def nomination_add(
    *, preliminary_list: PreliminaryList, customer: Customer, by, researcher=None
) -> Nomination:
    """Nominate an existing customer of the segment's BU; it joins the segment."""
    _require_list_work(by, preliminary_list)
    segment = preliminary_list.segment
    # Lock the customer row so two people nominating it at once cannot both pass the checks.
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.business_unit_id != segment.business_unit_id:
        # Deliberately no name: the nominator may not see other BUs' customers.
        raise ValidationError(
            {
                "customer": _(
                    "This customer is not in %(bu)s; only its customers can be nominated."
                )
                % {"bu": segment.business_unit}
            }
        )
    if customer.is_archived:
        raise ValidationError(
            {
                "customer": _("%(customer)s is archived and cannot be nominated.")
                % {"customer": customer}
            }
        )
    if preliminary_list.nominations.filter(customer=customer).exists():
        raise ValidationError(
            {"customer": _("%(customer)s is already on this list.") % {"customer": customer}}
        )
    _check_researcher(preliminary_list, researcher)
    nomination = Nomination.objects.create(
        preliminary_list=preliminary_list, customer=customer, researcher=researcher, nominated_by=by
    )
    customer.segments.add(segment)
    return nomination


@transaction.atomic
def nomination_add_new_customer(
    *,
    preliminary_list: PreliminaryList,
    name_zh: str,
    name_en: str = "",
    credit_code: str | None = None,
    by,
    researcher=None,
) -> Nomination:
    """Create a customer on the spot (in the segment's BU and the segment) and nominate it."""
    _require_list_work(by, preliminary_list)
    segment = preliminary_list.segment
    name_zh = (name_zh or "").strip()
    credit_code = normalise_credit_code(credit_code or "") or None
    if not name_zh:
        raise ValidationError({"name_zh": _("Enter the customer's Chinese name.")})
    if (
        Customer.objects.filter(business_unit_id=segment.business_unit_id, name_zh=name_zh)
        .active()
        .exists()
    ):
        raise ValidationError(
            {
                "name_zh": _(
                    "%(bu)s already has a customer named “%(name)s”: search for it and nominate it."
                )
                % {"bu": segment.business_unit, "name": name_zh}
            }
        )
    if credit_code and Customer.objects.filter(credit_code=credit_code).exists():
        raise ValidationError(
            {
                "credit_code": _(
                    "A customer with this unified social credit code already exists: search for it and nominate it."
                )
            }
        )
    customer = Customer(
        name_zh=name_zh,
        name_en=(name_en or "").strip(),
        credit_code=credit_code,
        business_unit_id=segment.business_unit_id,
    )
    customer.full_clean()
    customer.save()
    customer.segments.add(segment)
    return nomination_add(
        preliminary_list=preliminary_list, customer=customer, by=by, researcher=researcher
    )


@transaction.atomic
def nomination_remove(*, nomination: Nomination, by) -> None:
    """Take a customer off the list; the customer itself stays in the database."""
    _require_list_work(by, nomination.preliminary_list)
    nomination.delete()


@transaction.atomic
def nominations_assign_researcher(
    *, preliminary_list: PreliminaryList, nominations, researcher, by
) -> int:
    """Give one or many nominations of the list to a researcher of its BU (None: unassign).

    Returns how many changed; the researcher is told once.
    """
    _require_list_work(by, preliminary_list)
    _check_researcher(preliminary_list, researcher)
    ids = [n.pk if isinstance(n, Nomination) else int(n) for n in nominations]
    if not ids:
        raise ValidationError({"nominations": _("Choose at least one nomination.")})
    targets = preliminary_list.nominations.filter(pk__in=ids)
    if targets.count() != len(set(ids)):
        raise ValidationError(
            {"nominations": _("Some of the chosen nominations are not on this list.")}
        )
    changed = (
        targets.exclude(researcher=researcher)
        if researcher
        else targets.exclude(researcher__isnull=True)
    )
    count = changed.update(researcher=researcher)
    if researcher is not None and count and researcher.pk != by.pk:
        notification_send(
            recipient=researcher,
            text=_("%(count)d customers of %(list)s were assigned to you for data collection.")
            % {"count": count, "list": preliminary_list},
            url=preliminary_list.get_absolute_url(),
            sender=by,
        )
    return count


@transaction.atomic
def preliminary_list_set_responsible(
    *, preliminary_list: PreliminaryList, responsible, by
) -> PreliminaryList:
    """Name the one person responsible for the list's upkeep."""
    if not (
        permissions.can(by, Action.MANAGE_SEGMENT_LIST, preliminary_list)
        or permissions.can(by, Action.SET_QUOTA, preliminary_list)
    ):
        raise PermissionDenied(Action.MANAGE_SEGMENT_LIST)
    if (
        responsible is not None
        and not responsible_candidates(preliminary_list.segment).filter(pk=responsible.pk).exists()
    ):
        raise ValidationError(
            {
                "responsible": _("%(user)s does not work on %(segment)s.")
                % {"user": responsible, "segment": preliminary_list.segment}
            }
        )
    changed = preliminary_list.responsible_id != (responsible.pk if responsible else None)
    preliminary_list.responsible = responsible
    preliminary_list.save(update_fields=["responsible"])
    if changed and responsible is not None and responsible.pk != by.pk:
        notification_send(
            recipient=responsible,
            text=_("You are now responsible for the upkeep of %(list)s.")
            % {"list": preliminary_list},
            url=preliminary_list.get_absolute_url(),
            sender=by,
        )
    return preliminary_list


@transaction.atomic
def researcher_nudge(*, preliminary_list: PreliminaryList, researcher, by) -> ResearcherNudge:
    """Remind a researcher of their incomplete nominations; at most once a day per list."""
    _require_list_work(by, preliminary_list)
    # Serialise nudges of one list, so two clicks cannot both pass the once-a-day check.
    PreliminaryList.objects.select_for_update().filter(pk=preliminary_list.pk).first()
    incomplete = (
        preliminary_list.nominations.assigned_to(researcher).incomplete().count()
        if researcher is not None
        else 0
    )
    if not incomplete:
        raise ValidationError(
            _("%(user)s has no incomplete nominations on this list.") % {"user": researcher}
        )
    last = (
        ResearcherNudge.objects.filter(preliminary_list=preliminary_list, researcher=researcher)
        .order_by("-sent_at")
        .first()
    )
    now = timezone.now()
    if last is not None and now - last.sent_at < NUDGE_INTERVAL:
        next_time = timezone.localtime(last.sent_at + NUDGE_INTERVAL)
        raise ValidationError(
            _(
                "%(user)s was already reminded about this list in the last 24 hours; you can send another reminder after %(time)s."
            )
            % {"user": researcher, "time": next_time.strftime("%Y-%m-%d %H:%M")}
        )
    nudge = ResearcherNudge.objects.create(
        preliminary_list=preliminary_list, researcher=researcher, sent_by=by
    )
    notification_send(
        recipient=researcher,
        text=_(
            "Reminder: %(count)d of your customers on %(list)s still have missing information for %(year)d."
        )
        % {"count": incomplete, "list": preliminary_list, "year": preliminary_list.facts_year},
        url=preliminary_list.get_absolute_url(),
        sender=by,
    )
    return nudge
