"""What the preliminary lists put on people's home pages (organisation.home)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from customers import preliminary
from customers.models import Nomination, PreliminaryList
from organisation import permissions
from organisation.home import WaitingItem, waiting_provider
from organisation.permissions import Action


def _current_lists():
    """Lists still being worked on: this year's and next year's."""
    return PreliminaryList.objects.filter(
        year__gte=preliminary.allowed_new_list_years()[0]
    ).select_related("segment")


@waiting_provider
def nominations_to_complete(user) -> list[WaitingItem]:
    """A researcher's lists where customers assigned to them still miss information."""
    rows = (
        Nomination.objects.assigned_to(user)
        .incomplete()
        .filter(preliminary_list__in=_current_lists())
        .values("preliminary_list")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["preliminary_list"]: row["n"] for row in rows}
    if not counts:
        return []
    return [
        WaitingItem(
            _("%(count)d of your customers on %(list)s still miss information for %(year)d.")
            % {"count": counts[pl.pk], "list": pl, "year": pl.facts_year},
            f"{pl.get_absolute_url()}?mine=1",
        )
        for pl in _current_lists().filter(pk__in=counts)
    ]


@waiting_provider
def lists_to_manage(user) -> list[WaitingItem]:
    """For the segment manager (or the BU VP standing in): quotas to propose, researchers to assign."""
    segments = permissions.segments_where(user, Action.MANAGE_SEGMENT_LIST)
    if not user.is_superuser and not segments.exists():
        return []
    lists = (
        _current_lists()
        .filter(segment__in=segments)
        .annotate(
            collected=Count("nominations"),
            unassigned=Count("nominations", filter=Q(nominations__researcher__isnull=True)),
        )
    )
    items = []
    for pl in lists:
        if pl.proposed_quota is None and pl.quota is None:
            items.append(
                WaitingItem(
                    _("Propose a quota for %(list)s.") % {"list": pl}, pl.get_absolute_url()
                )
            )
        elif pl.quota is not None and pl.collected < pl.quota:
            items.append(
                WaitingItem(
                    _("%(list)s: %(collected)d of %(quota)d customers nominated.")
                    % {"list": pl, "collected": pl.collected, "quota": pl.quota},
                    pl.get_absolute_url(),
                )
            )
        if pl.unassigned:
            items.append(
                WaitingItem(
                    _("%(list)s: %(count)d nominated customers have no researcher.")
                    % {"list": pl, "count": pl.unassigned},
                    pl.get_absolute_url(),
                )
            )
    return items


@waiting_provider
def quotas_to_decide(user) -> list[WaitingItem]:
    """For the BU VP: proposed quotas waiting for a decision."""
    segments = permissions.segments_where(user, Action.SET_QUOTA)
    if not user.is_superuser and not segments.exists():
        return []
    lists = _current_lists().filter(
        segment__in=segments, proposed_quota__isnull=False, quota__isnull=True
    )
    return [
        WaitingItem(
            _("%(list)s: a quota of %(quota)d is proposed; decide the quota.")
            % {"list": pl, "quota": pl.proposed_quota},
            pl.get_absolute_url(),
        )
        for pl in lists
    ]
