"""Writes for yearly goals: a BG's strategy and customer-development goals, or a BU's
customer-service goals, the reason for that year's criteria."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from evaluation.models import Goal
from organisation import permissions
from organisation.models import BusinessUnit
from organisation.permissions import Action


@transaction.atomic
def goal_save(
    *,
    year: int,
    by,
    business_group=None,
    business_unit: BusinessUnit | None = None,
    strategy: str,
    target_customer_count: int | None = None,
    target_revenue: Decimal | None = None,
    resource_share: int | None = None,
):
    """The BG VP's goals for a BG, or the BU VP's goals for a BU, in a year (create or update)."""
    if (business_group is None) == (business_unit is None):
        raise ValueError("Give a business group or a business unit.")
    if business_group is not None:
        permissions.require(by, Action.EDIT_BG_GOALS, business_group)
    else:
        permissions.require(by, Action.EDIT_BU_GOALS, business_unit)
    goal = (
        Goal.objects.select_for_update()
        .filter(business_group=business_group, business_unit=business_unit, year=year)
        .first()
    ) or Goal(business_group=business_group, business_unit=business_unit, year=year)
    before = (goal.strategy, goal.target_customer_count, goal.target_revenue, goal.resource_share)
    goal.strategy = strategy.strip()
    goal.target_customer_count = target_customer_count
    goal.target_revenue = target_revenue
    goal.resource_share = resource_share
    goal.full_clean()
    if goal.confirmed_at and before != (
        goal.strategy,
        goal.target_customer_count,
        goal.target_revenue,
        goal.resource_share,
    ):
        # A confirmation covers what was confirmed: changed goals need confirming again.
        goal.confirmed_by, goal.confirmed_at = None, None
    goal._history_user = by
    goal.save()
    return goal
