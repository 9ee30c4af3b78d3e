"""What waits for a user on the home page.

Each app contributes a function `(user) -> list[WaitingItem]`; the home page lists them
all. The org structure contributes the segments a BU VP stands in for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from organisation import permissions
from organisation.models import Role, Segment


@dataclass(frozen=True)
class WaitingItem:
    text: str
    url: str = ""
    dismiss_url: str = ""  # a notification, which its recipient may dismiss


WAITING_PROVIDERS: list[Callable] = []


def waiting_provider(fn: Callable) -> Callable:
    WAITING_PROVIDERS.append(fn)
    return fn


def waiting_for(user) -> list[WaitingItem]:
    items: list[WaitingItem] = []
    for provider in WAITING_PROVIDERS:
        items.extend(provider(user))
    return items


@waiting_provider
def segments_to_stand_in_for(user) -> list[WaitingItem]:
    bu_ids = [m.business_unit_id for m in permissions.memberships(user) if m.role == Role.BU_VP]
    if not bu_ids:
        return []
    segments = Segment.objects.filter(business_unit_id__in=bu_ids).without_segment_manager()
    return [
        WaitingItem(
            _("%(segment)s has no segment manager: you do the segment manager's work for it.")
            % {"segment": segment},
            segment.get_absolute_url(),
        )
        for segment in segments.with_org()
    ]


@waiting_provider
def unread_notifications(user) -> list[WaitingItem]:
    from organisation.models import Notification

    return [
        WaitingItem(
            n.text,
            reverse("organisation:notification-open", args=[n.pk]),
            reverse("organisation:notification-dismiss", args=[n.pk]),
        )
        for n in Notification.objects.filter(recipient=user).unread()[:20]
    ]
