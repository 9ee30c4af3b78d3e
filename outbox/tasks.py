import socket

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from outbox import services
from outbox.models import WorkerHeartbeat

RETRYABLE = (OperationalError, BrokerError)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, max_retries=3)
def relay_pending_jobs() -> int:
    """Every minute (beat): send jobs that could not reach the broker when they were made."""
    return services.jobs_relay()


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, max_retries=3)
def heartbeat() -> str:
    """Record that a worker is alive and consuming; shown on the system status page."""
    hostname = socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": timezone.now()}
    )
    return hostname
