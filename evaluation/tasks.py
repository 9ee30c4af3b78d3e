import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from organisation.models import Segment

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError, BrokerError), retry_backoff=True, max_retries=3)
def annual_rescore(year: int | None = None) -> dict:
    """Beat, on ANNUAL_RESCORE_DATE: score every segment for next year's planning.

    Criteria sets arrive with the criteria issue; until then every segment is reported as
    skipped for want of a published set, which is what the finished job reports too.
    """
    planning_year = year or timezone.localdate().year + 1
    skipped = list(Segment.objects.values_list("code", flat=True))
    logger.info(
        "Annual re-scoring %s: skipped %d segments (no published criteria set).",
        planning_year,
        len(skipped),
    )
    return {"year": planning_year, "scored": [], "skipped": skipped}
