"""The monthly roll-up of inquiries: computed, stored (exactly one per month) and announced.

The maths (months, bounds, medians) is in inquiries.rollup; the grouped read is
`Inquiry.objects.rollup_groups()`.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inquiries import rollup
from inquiries.models import Inquiry, InquiryRollup, InquiryRollupLine
from organisation.models import BusinessUnit, Role
from organisation.services import notification_send

User = get_user_model()


def report_url(month: date, business_unit=None) -> str:
    url = reverse("inquiries:rollup-report") + f"?month={month:%Y-%m}"
    return url + (f"&bu={business_unit.code}" if business_unit else "")


@transaction.atomic
def inquiry_rollup_run(*, month: date, notify: bool = True) -> InquiryRollup:
    """Compute and store the roll-up of `month`; exactly one per month whatever happens.

    The month's row is locked (or created under its unique constraint) and its lines are
    replaced inside this one transaction: a rerun gives the same single roll-up, and a run
    that fails half-way leaves nothing behind for the retry to trip over. The managers are
    told once, the first time the month is rolled up.
    """
    month = month.replace(day=1)
    today = timezone.localdate()
    if rollup.is_future_month(month, today):
        raise ValidationError(
            _("%(month)s has not begun yet; only past months and this month can be rolled up.")
            % {"month": month.strftime("%Y-%m")}
        )
    now = timezone.now()
    InquiryRollup.objects.get_or_create(month=month, defaults={"computed_at": now})
    run = InquiryRollup.objects.select_for_update().get(month=month)
    start, end = rollup.month_bounds(month, settings.TIME_ZONE)
    groups = Inquiry.objects.received_between(start, end).rollup_groups()
    run.lines.all().delete()
    InquiryRollupLine.objects.bulk_create(
        [InquiryRollupLine(rollup=run, **_line_fields(group)) for group in groups],
        batch_size=2000,
    )
    run.computed_at = now
    run.inquiries = sum(group["count"] for group in groups)
    if notify and run.notified_at is None and groups:
        _notify_managers(run, groups)
        run.notified_at = now
    run.save()
    return run


def inquiry_rollup_missed(now: datetime) -> date | None:
    """Last month, when its roll-up does not exist though the 02:00 run on the 1st should
    have made it (`now` is local time, half an hour past that at least); else None."""
    if now.day == 1 and (now.hour, now.minute) < (2, 30):
        return None
    month = rollup.previous_month(now.date())
    return None if InquiryRollup.objects.filter(month=month).exists() else month


def _line_fields(group: dict) -> dict:
    return {
        "business_unit_id": group["business_unit_id"],
        "segment_id": group["segment_id"],
        "owner_id": group["owner_id"],
        "channel": group["channel"],
        "decision": group["decision"],
        "count": group["count"],
        "conversions": group["conversions"],
        "still_open": group["still_open"],
        "median_days_to_decision": group["median_days_to_decision"],
    }


def _notify_managers(run: InquiryRollup, groups: list[dict]) -> None:
    """The BU VPs of each BU with inquiries, and the segment managers of its segments."""
    counts: dict[int, int] = {}
    segment_ids: dict[int, set[int]] = {}
    for group in groups:
        counts[group["business_unit_id"]] = (
            counts.get(group["business_unit_id"], 0) + group["count"]
        )
        segment_ids.setdefault(group["business_unit_id"], set()).add(group["segment_id"])
    for unit in BusinessUnit.objects.filter(pk__in=counts).order_by("code"):
        recipients = User.objects.filter(is_active=True).filter(
            role_memberships__role=Role.BU_VP, role_memberships__business_unit=unit
        ) | User.objects.filter(is_active=True).filter(
            role_memberships__role=Role.SEGMENT_MANAGER,
            role_memberships__segment_id__in=segment_ids[unit.pk],
        )
        text = _("The inquiry roll-up for %(month)s is ready: %(count)d inquiries in %(bu)s.") % {
            "month": run.month.strftime("%Y-%m"),
            "count": counts[unit.pk],
            "bu": unit,
        }
        for recipient in recipients.distinct():
            notification_send(recipient=recipient, text=text, url=report_url(run.month, unit))
