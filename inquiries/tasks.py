import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from inquiries.rollup import previous_month

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError, BrokerError), retry_backoff=True, max_retries=3)
def rollup_previous_month() -> str:
    """Beat, 02:00 on the 1st: roll up last month's inquiries.

    The inquiry log and its roll-up table arrive with the inquiries issue; until then
    this only names the month it would roll up, so the schedule can be verified end to end.
    """
    month = previous_month(timezone.localdate()).strftime("%Y-%m")
    logger.info("Inquiry roll-up for %s: no inquiry log exists yet.", month)
    return month
