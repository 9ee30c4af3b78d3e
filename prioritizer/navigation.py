"""The top navigation: each entry shows only to users whose roles may use it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from organisation import permissions
from organisation.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    visible: Callable[[object], bool]
    icon: str = ""
    # Staff tools sit in the user menu: beside the eight working pages they wrapped the bar.
    in_user_menu: bool = False


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "home", lambda user: True, "house"),
    NavItem(
        _("Organisation"),
        "organisation:unit-list",
        lambda user: permissions.has_any_role(user),
        "diagram-3",
    ),
    NavItem(
        _("Customers"),
        "customers:customer-list",
        lambda user: permissions.has_any_role(user),
        "buildings",
    ),
    NavItem(
        _("Preliminary lists"),
        "customers:preliminary-list-index",
        lambda user: permissions.has_any_role(user),
        "list-check",
    ),
    NavItem(
        _("Criteria"),
        "evaluation:criteria-index",
        lambda user: permissions.has_any_role(user),
        "sliders",
    ),
    NavItem(
        _("Target lists"),
        "evaluation:list-index",
        lambda user: permissions.has_any_role(
            user,
            permissions.RULES[permissions.Action.VIEW_TARGET_LISTS].roles | {Role.ACCOUNT_MANAGER},
        ),
        "trophy",
    ),
    NavItem(
        _("Inquiries"),
        "inquiries:inquiry-list",
        lambda user: permissions.has_any_role(
            user, permissions.RULES[permissions.Action.VIEW_INQUIRIES].roles
        ),
        "telephone-inbound",
    ),
    NavItem(
        _("Annual review"),
        "reviews:index",
        lambda user: permissions.has_any_role(
            user,
            permissions.RULES[permissions.Action.VIEW_TARGET_LISTS].roles
            | permissions.RULES[permissions.Action.RECORD_RESULTS].roles,
        ),
        "clipboard-data",
    ),
    NavItem(
        _("Load people"),
        "organisation:people-import",
        lambda user: user.is_superuser,
        "people",
        True,
    ),
    NavItem(_("People who left"), "leavers", lambda user: user.is_superuser, "person-x", True),
    NavItem(_("System status"), "system-status", lambda user: user.is_staff, "activity", True),
    NavItem(_("Administration"), "admin:index", lambda user: user.is_staff, "gear", True),
]


def context_processor(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.path
    items = []
    for item in NAV_ITEMS:
        if not item.visible(user):
            continue
        url = reverse(item.url_name)
        active = current == url if url == "/" else current.startswith(url)
        items.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "active": active,
                "in_user_menu": item.in_user_menu,
            }
        )
    return {"nav_items": items}
