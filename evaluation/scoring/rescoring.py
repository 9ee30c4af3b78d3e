"""The annual re-scoring (beat, on ANNUAL_RESCORE_DATE): every segment scored for next year and
its draft list made or rebuilt (`target_lists_score_and_build`), then the report kept and each
segment's managers told what happened to their segment."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.lists.people import segment_managers_of
from evaluation.lists.services import target_lists_score_and_build
from evaluation.models import RescoreReport
from organisation.models import Segment
from organisation.services import notification_send
from prioritizer.schedule import ANNUAL_RESCORE_HOUR, annual_rescore_date

# How long after its date a missed re-scoring is still made up for: later than that, a
# surprise re-scoring of drafts people are working on would do more harm than good.
CATCH_UP_DAYS = 14


def annual_rescore_run(*, year: int) -> RescoreReport:
    report = target_lists_score_and_build(year=year)
    with transaction.atomic():
        stored = RescoreReport.objects.create(year=year, report=report)
        segments = Segment.objects.with_org().in_bulk(
            [item["segment"] for item in report["scored"] + report["skipped"]],
            field_name="code",
        )
        for item in report["scored"]:
            _tell(
                segments[item["segment"]],
                _(
                    "Annual re-scoring for %(year)d: %(segment)s, %(evaluated)d customers "
                    "evaluated, %(targets)d targets; %(note)s."
                )
                % {
                    "year": year,
                    "segment": item["segment"],
                    "evaluated": item["evaluated"],
                    "targets": sum(item["tiers"].values()),
                    "note": item["list_note"],
                },
                reverse("evaluation:target-list", args=[item["list"]]),
            )
        for item in report["skipped"]:
            _tell(
                segments[item["segment"]],
                _("Annual re-scoring for %(year)d skipped %(segment)s: %(reason)s")
                % {"year": year, "segment": item["segment"], "reason": item["reason"]},
                reverse("evaluation:criteria-index"),
            )
    return stored


def _tell(segment: Segment, text: str, url: str) -> None:
    for person in segment_managers_of(segment):
        notification_send(recipient=person, text=text, url=url)


def annual_rescore_missed(now: datetime | None = None) -> int | None:
    """The planning year whose annual re-scoring was due (at least half an hour ago, within
    CATCH_UP_DAYS) but left no report since it was due; None when nothing was missed."""
    now = now or timezone.now()
    year = timezone.localtime(now).year
    month, day = annual_rescore_date()
    zone = timezone.get_current_timezone()
    due = datetime(year, month, day, ANNUAL_RESCORE_HOUR, tzinfo=zone)
    if not due + timedelta(minutes=30) <= now < due + timedelta(days=CATCH_UP_DAYS):
        return None
    if RescoreReport.objects.filter(year=year + 1, ran_at__gte=due).exists():
        return None
    return year + 1
