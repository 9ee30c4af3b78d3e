from celery import shared_task
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerError

from customers.imports import jobs as import_jobs


class ImportRunFailed(Exception):
    """An import run ended in an unexpected error (the run holds the user's message)."""


@shared_task(
    bind=True, autoretry_for=(OperationalError, BrokerError), retry_backoff=True, max_retries=3
)
def import_run_task(self, run_id: int) -> str | None:
    """The browser import's "Import": import a confirmed upload as the user who confirmed it.

    Only a failure to claim the run is retried (nothing happened yet). Once claimed, an error
    marks the run failed and is raised as ImportRunFailed, which is not retried, so the outbox
    records the job failed; in-process (eager) mode swallows it, so the confirm request shows
    the failed run instead of an error page.
    """
    try:
        return import_jobs.import_run_execute(run_id=run_id)
    except Exception as exc:
        if not import_jobs.ImportRun.objects.filter(
            pk=run_id, state=import_jobs.State.FAILED
        ).exists():
            raise  # not claimed yet (e.g. the database was unreachable): retry
        if self.request.is_eager:
            return import_jobs.State.FAILED
        raise ImportRunFailed(f"import run {run_id}: {exc!r}") from exc


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def clean_import_uploads() -> int:
    """Daily (beat): delete uploads older than a day that no queued or running import needs."""
    return import_jobs.import_uploads_clean()
