"""Preliminary annual lists (初步客户名单, step 2.3.2): the writes (the reads are in `reads`).

Every write checks role and scope itself through organisation.permissions, so a view, a
command or a test calling it cannot skip the check. Bad input raises ValidationError with a
translated message and, the functions being atomic, writes nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.credit_code import normalise as normalise_credit_code
from customers.models import Customer, Nomination, PreliminaryList, ResearcherNudge
from customers.preliminary.reads import (
    MAX_QUOTA,
    NUDGE_INTERVAL,
    allowed_new_list_years,
    responsible_candidates,
)
from organisation import permissions
from organisation.models import Role, RoleMembership, Segment
from organisation.permissions import Action
from organisation.services import notification_send

User = get_user_model()


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
