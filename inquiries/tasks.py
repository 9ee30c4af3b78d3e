"""Thin Celery adapters over inquiries.rollup_runs (idempotent, retried on transient errors)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from inquiries import rollup_runs
from inquiries.rollup import parse_month, previous_month

RETRYABLE = (OperationalError, BrokerError)


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, max_retries=5, acks_late=True)
def rollup_month(month: str) -> int:
    """Roll up one month ('YYYY-MM'); returns the roll-up's id. Safe to run again."""
    return rollup_runs.inquiry_rollup_run(month=parse_month(month)).pk


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, max_retries=5, acks_late=True)
def rollup_previous_month() -> str:
    """Beat, 02:00 Asia/Shanghai on the 1st: roll up last month and tell the managers."""
    month = previous_month(timezone.localdate())
    rollup_runs.inquiry_rollup_run(month=month)
    return month.strftime("%Y-%m")


@shared_task(autoretry_for=RETRYABLE, retry_backoff=True, max_retries=5, acks_late=True)
def rollup_catch_up() -> str | None:
    """Beat, hourly: last month's roll-up, if the run on the 1st never happened (its beat
    message was lost while the broker or the workers were down); else nothing."""
    month = rollup_runs.inquiry_rollup_missed(timezone.localtime())
    if month is None:
        return None
    rollup_runs.inquiry_rollup_run(month=month)
    return month.strftime("%Y-%m")
