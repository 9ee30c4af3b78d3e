"""Demo preliminary lists for seed_demo: every segment's list for a year, part-filled."""

from __future__ import annotations

from django.db import transaction

from customers.models import Customer, Nomination, PreliminaryList
from organisation.models import Role, RoleMembership, Segment

# A list asks for about a third of the segment's customers, and half of the quota is in.
QUOTA_SHARE = 3
MIN_QUOTA = 5


@transaction.atomic
def seed_preliminary_lists(year: int) -> int:
    """Create (idempotently) every segment's list for `year`; returns how many were created.

    The proposed quota and the quota are set, about half the quota is nominated from the
    segment's existing active customers, and the nominations go to a researcher of the BU.
    Written directly (not through the services) because no user acts here; lists that exist
    already are left as they are.
    """
    created = 0
    researcher_of_bu = {}
    for membership in RoleMembership.objects.filter(role=Role.RESEARCHER).order_by("pk"):
        researcher_of_bu.setdefault(membership.business_unit_id, membership.user)
    for segment in Segment.objects.order_by("code"):
        preliminary_list, is_new = PreliminaryList.objects.get_or_create(segment=segment, year=year)
        if not is_new:
            continue
        created += 1
        customers = list(
            Customer.objects.active()
            .filter(business_unit_id=segment.business_unit_id, segments=segment)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        quota = max(MIN_QUOTA, len(customers) // QUOTA_SHARE)
        preliminary_list.proposed_quota = quota + quota // 5
        preliminary_list.quota = quota
        researcher = researcher_of_bu.get(segment.business_unit_id)
        preliminary_list.responsible = researcher
        preliminary_list.save(update_fields=["proposed_quota", "quota", "responsible"])
        # Every other customer, so the nominated ones spread over the segment.
        chosen = customers[::2][: quota // 2 + 1]
        Nomination.objects.bulk_create(
            [
                Nomination(preliminary_list=preliminary_list, customer_id=pk, researcher=researcher)
                for pk in chosen
            ],
            ignore_conflicts=True,
        )
    return created
