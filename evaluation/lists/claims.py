"""Customers claimed by two segments: a customer two or more segments of one BU target in the
same year. The BU VP keeps it on one list before consolidating (DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from evaluation.models import TargetEntry, TargetList
from organisation import permissions
from organisation.permissions import Action

State = TargetList.State


@dataclass(frozen=True)
class Claim:
    """A customer targeted by two or more segments' lists of one BU."""

    customer_id: int
    customer_name: str
    entries: list[TargetEntry]


def claimed_twice(business_unit, year: int) -> list[Claim]:
    """Per segment the newest list counts: a revision in progress, else the list in force."""
    entries = TargetEntry.objects.claimed_twice(business_unit, year).select_related(
        "customer", "target_list__segment"
    )
    by_customer: dict[int, list[TargetEntry]] = {}
    for entry in entries:
        by_customer.setdefault(entry.customer_id, []).append(entry)
    return [
        Claim(pk, found[0].customer.name_zh, found) for pk, found in sorted(by_customer.items())
    ]


def claims_on(target_list: TargetList) -> list[Claim]:
    """The claims one of whose entries is on the list."""
    return [
        claim
        for claim in claimed_twice(target_list.segment.business_unit, target_list.year)
        if any(entry.target_list_id == target_list.pk for entry in claim.entries)
    ]


@transaction.atomic
def target_claim_resolve(
    *, business_unit, year: int, customer_id: int, keep: TargetList, by
) -> int:
    """The BU VP keeps a doubly-claimed customer on one segment's list; on the others it
    becomes general, with the decision as the override reason."""
    permissions.require(by, Action.CONSOLIDATE_LISTS, business_unit)
    others = TargetEntry.objects.targets().filter(
        customer_id=customer_id,
        target_list__in=TargetList.objects.working(),
        target_list__segment__business_unit=business_unit,
        target_list__year=year,
        target_list__state__in=[State.DRAFT, State.SUBMITTED],
    )
    # The kept list may be an approved one in force (frozen); the others change.
    if (
        keep.year != year
        or keep.segment.business_unit_id != business_unit.pk
        or not keep.entries.targets().filter(customer_id=customer_id).exists()
    ):
        raise ValidationError(_("The chosen list does not target this customer."))
    reason = _("Kept by %(segment)s at BU consolidation") % {"segment": keep.segment}
    changed = 0
    for entry in others.exclude(target_list=keep):
        entry.tier, entry.override_reason, entry.owner = "", reason, None
        entry.save(update_fields=["tier", "override_reason", "owner"])
        changed += 1
    return changed
