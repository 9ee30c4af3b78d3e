"""The annual re-scoring (beat, on ANNUAL_RESCORE_DATE): every segment scored for next year and
its draft list made or rebuilt (`target_lists.score_and_build`), then the report kept and each
segment's managers told what happened to their segment."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from evaluation.models import RescoreReport
from evaluation.target_lists import score_and_build, segment_managers_of
from organisation.models import Segment
from organisation.services import notification_send


def annual_rescore_run(*, year: int) -> RescoreReport:
    report = score_and_build(year=year)
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
