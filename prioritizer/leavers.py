"""What people who left (deactivated, never deleted) still hold, for an administrator to hand
over: target customers they own on lists in force or being worked on, customers they manage or
keep as data steward, and inquiries they own that wait for a decision. In the project package
because it reads every app; a handful of grouped queries whatever the number of people."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count

from customers.models import Customer
from evaluation.models import TargetEntry, TargetList
from inquiries.models import Inquiry


@dataclass
class LeftBehind:
    person: object
    targets: int = 0
    managed: int = 0
    stewarded: int = 0
    inquiries: int = 0
    lists: list = field(default_factory=list)  # (target list, number of its customers they own)

    @property
    def total(self) -> int:
        return self.targets + self.managed + self.stewarded + self.inquiries


def _counts(queryset, by: str) -> dict[int, int]:
    rows = queryset.values(by).annotate(n=Count("pk")).order_by()
    return {row[by]: row["n"] for row in rows}


def left_behind() -> list[LeftBehind]:
    """Every deactivated person who still holds something, most first."""
    leavers = {u.pk: u for u in get_user_model().objects.filter(is_active=False)}
    if not leavers:
        return []
    entries = TargetEntry.objects.filter(
        owner_id__in=leavers, target_list__superseded_at__isnull=True
    )
    customers = Customer.objects.active()
    counts = {
        "targets": _counts(entries, "owner_id"),
        "managed": _counts(customers.filter(account_manager_id__in=leavers), "account_manager_id"),
        "stewarded": _counts(customers.filter(data_steward_id__in=leavers), "data_steward_id"),
        "inquiries": _counts(Inquiry.objects.open().filter(owner_id__in=leavers), "owner_id"),
    }
    found = {pk: LeftBehind(person=user) for pk, user in leavers.items()}
    for name, by_person in counts.items():
        for pk, n in by_person.items():
            setattr(found[pk], name, n)
    per_list = entries.values("owner_id", "target_list_id").annotate(n=Count("pk")).order_by()
    lists = {
        tl.pk: tl
        for tl in TargetList.objects.filter(
            pk__in={row["target_list_id"] for row in per_list}
        ).select_related("segment")
    }
    for row in per_list:
        found[row["owner_id"]].lists.append((lists[row["target_list_id"]], row["n"]))
    kept = [item for item in found.values() if item.total]
    return sorted(kept, key=lambda item: (-item.total, item.person.username))
