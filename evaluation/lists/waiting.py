"""What target lists ask of a user on the home page: drafts to finish, lists to consolidate,
lists to approve, plans to write."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from evaluation.models import TargetList
from organisation import permissions
from organisation.home import WaitingItem, waiting_provider
from organisation.permissions import Action

State = TargetList.State


def _open_lists():
    """The lists being worked on (first drafts and revisions), not the approved ones."""
    return TargetList.objects.working().select_related("segment")


@waiting_provider
def drafts_to_finish(user) -> list[WaitingItem]:
    segments = permissions.segments_where(user, Action.MANAGE_SEGMENT_LIST)
    lists = _open_lists().filter(state=State.DRAFT, segment__in=segments)
    lists = lists.annotate(
        unowned=Count("entries", filter=~Q(entries__tier="") & Q(entries__owner__isnull=True))
    )
    return [
        WaitingItem(
            _("%(list)s is a draft: %(count)d target customers still need an owner.")
            % {"list": tl, "count": tl.unowned}
            if tl.unowned
            else _("%(list)s is a draft, ready to submit.") % {"list": tl},
            tl.get_absolute_url(),
        )
        for tl in lists
    ]


@waiting_provider
def lists_to_consolidate(user) -> list[WaitingItem]:
    units = permissions.business_units_where(user, Action.CONSOLIDATE_LISTS)
    rows = (
        _open_lists()
        .filter(state=State.SUBMITTED, segment__business_unit__in=units)
        .values("segment__business_unit__code", "year")
        .annotate(n=Count("pk"))
        .order_by("segment__business_unit__code", "year")
    )
    return [
        WaitingItem(
            _("%(count)d submitted lists of %(unit)s (%(year)d) wait for consolidation.")
            % {"count": row["n"], "unit": row["segment__business_unit__code"], "year": row["year"]},
            reverse("evaluation:bu-lists", args=[row["segment__business_unit__code"], row["year"]]),
        )
        for row in rows
    ]


@waiting_provider
def lists_to_approve(user) -> list[WaitingItem]:
    groups = permissions.business_groups_where(user, Action.APPROVE_LISTS)
    rows = (
        _open_lists()
        .filter(state=State.CONSOLIDATED, segment__business_unit__business_group__in=groups)
        .values("segment__business_unit__business_group__code", "year")
        .annotate(n=Count("pk"))
        .order_by("segment__business_unit__business_group__code", "year")
    )
    key = "segment__business_unit__business_group__code"
    return [
        WaitingItem(
            _("%(count)d consolidated lists of %(group)s (%(year)d) wait for your approval.")
            % {"count": row["n"], "group": row[key], "year": row["year"]},
            reverse("evaluation:bg-lists", args=[row[key], row["year"]]),
        )
        for row in rows
    ]


@waiting_provider
def plans_to_write(user) -> list[WaitingItem]:
    """An owner's target customers on draft lists that have no plan yet."""
    rows = (
        _open_lists()
        .filter(state=State.DRAFT, entries__owner=user, entries__plan_objective="")
        .annotate(n=Count("entries"))
    )
    return [
        WaitingItem(
            _("%(count)d of your target customers on %(list)s have no development plan yet.")
            % {"count": tl.n, "list": tl},
            f"{tl.get_absolute_url()}?mine=1",
        )
        for tl in rows
    ]
