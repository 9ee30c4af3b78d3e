"""The score button's background job: what it may score, queueing it once, and reading it back.

The job's arguments are (segment id, year, facts year, user id), in the order of
evaluation.tasks.score_segment_task; only this module writes or reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Customer
from evaluation.models import CriteriaSet, ScoreRun
from organisation.models import Segment
from outbox.models import Job
from outbox.services import job_enqueue

SCORE_TASK = "evaluation.tasks.score_segment_task"
# A job older than this is presumed lost: it no longer holds the score button.
JOB_HELD_FOR = timedelta(hours=1)


def score_problems(segment: Segment, year: int) -> list[str]:
    """Why the segment cannot be scored for the year (the scoring service's own messages)."""
    if CriteriaSet.objects.in_force_for(segment, year) is None:
        return [
            _("%(segment)s has no published criteria set for %(year)d: publish one first.")
            % {"segment": segment, "year": year}
        ]
    if not Customer.objects.active().filter(segments=segment).exists():
        return [_("%(segment)s has no customers to score.") % {"segment": segment}]
    return []


def score_job_enqueue(*, segment: Segment, year: int, facts_year: int | None, by) -> Job:
    """Queue the scoring of the segment for the year, as `by`. A second click while the segment
    is being scored follows the job already queued (one queued within JOB_HELD_FOR)."""
    queued = (
        Job.objects.unfinished()
        .filter(
            task_name=SCORE_TASK,
            args__0=segment.pk,
            args__1=year,
            created_at__gte=timezone.now() - JOB_HELD_FOR,
        )
        .first()
    )
    return queued or job_enqueue(SCORE_TASK, segment.pk, year, facts_year, by.pk)


@dataclass(frozen=True)
class ScoreJob:
    """A score job and the scoring it asked for."""

    job: Job
    segment_id: int
    year: int
    facts_year: int | None
    user_id: int

    @classmethod
    def of(cls, job: Job) -> ScoreJob:
        """ValueError when the job's arguments are not a scoring's."""
        segment_id, year, facts_year, user_id = job.args
        return cls(job, segment_id, year, facts_year, user_id)

    def run(self) -> ScoreRun | None:
        """The run the job made. The job row does not hold it: it is the first run the user
        made for the segment and year after queueing the job."""
        return (
            ScoreRun.objects.filter(
                segment_id=self.segment_id,
                year=self.year,
                created_by_id=self.user_id,
                created_at__gte=self.job.created_at,
            )
            .order_by("created_at", "pk")
            .first()
        )


def score_jobs():
    """The outbox jobs of the score button."""
    return Job.objects.filter(task_name=SCORE_TASK)
