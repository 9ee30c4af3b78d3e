import logging

from celery import shared_task
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerError

from evaluation.lists.services import target_lists_score_and_build
from evaluation.scoring.rescoring import annual_rescore_missed, annual_rescore_run
from prioritizer import years

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError, BrokerError), retry_backoff=True, max_retries=3)
def annual_rescore(year: int | None = None) -> dict:
    """Beat, on ANNUAL_RESCORE_DATE: score every segment with next year's published criteria.

    Each segment is its own run, draft target list and transaction, so a retry after a failure
    re-scores cleanly; the report (kept, and shown on the system status page) says what was
    scored, which lists were left alone (already submitted) and what was skipped (segments
    with no published set), and each segment's managers are told.
    """
    planning_year = year or years.planning_year()
    stored = annual_rescore_run(year=planning_year)
    logger.info(
        "Annual re-scoring %s: scored %d segments, skipped %d.",
        planning_year,
        len(stored.scored),
        len(stored.skipped),
    )
    return stored.report


@shared_task(autoretry_for=(OperationalError, BrokerError), retry_backoff=True, max_retries=3)
def annual_rescore_catch_up() -> dict | None:
    """Beat, hourly: the annual re-scoring, if its beat message was lost (broker or workers
    down at the time) within the catch-up window; else nothing."""
    year = annual_rescore_missed()
    if year is None:
        return None
    logger.warning("Annual re-scoring for %s did not run when due; running it now.", year)
    return annual_rescore(year)


@shared_task(autoretry_for=(OperationalError, BrokerError), retry_backoff=True, max_retries=3)
def score_segment_task(segment_id: int, year: int, facts_year: int | None, user_id: int) -> dict:
    """The score button: score one segment for `year` and make or rebuild its draft list, as
    the user who pressed it (the service checks that user's rights again)."""
    from django.contrib.auth import get_user_model

    from organisation.models import Segment

    segment = Segment.objects.with_org().get(pk=segment_id)
    user = get_user_model().objects.get(pk=user_id)
    return target_lists_score_and_build(
        year=year, facts_year=facts_year, segments=[segment], by=user
    )
