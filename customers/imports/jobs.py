"""The browser import's background half: queue a confirmed upload, import it in the worker,
and clean away uploads nobody confirmed.

A 100,000-row file takes longer to import than a web request may last, so "Import" records an
`ImportRun` and queues `customers.tasks.import_run_task` through the outbox; the run page
polls the run until it is done or failed. The upload stays under MEDIA_ROOT/imports/<token>
until the run is done (a failed run can be previewed and confirmed again).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customers.imports.runs import KEPT_PROBLEMS, ImportRun
from customers.imports.service import customers_import
from organisation import permissions
from organisation.permissions import Action
from outbox.services import job_enqueue
from prioritizer.uploads import imports_dir

logger = logging.getLogger(__name__)

IMPORT_TASK = "customers.tasks.import_run_task"
UPLOADS_KEPT = timedelta(hours=24)
State = ImportRun.State


def import_run_start(*, user, token: str, filename: str, year: int | None, language: str):
    """Queue the import of an upload the user previewed. A second call for the same upload
    returns the run already queued (or done) instead of importing the file twice."""
    try:
        with transaction.atomic():
            run = ImportRun.objects.create(
                user=user, token=token, filename=filename, year=year, language=language
            )
            job = job_enqueue(IMPORT_TASK, run.pk)
            ImportRun.objects.filter(pk=run.pk).update(job_id=job.pk)
    except IntegrityError:
        # The unique constraint on a live run per upload: a concurrent or repeated confirm.
        return ImportRun.objects.exclude(state=State.FAILED).get(token=token, user=user)
    return run


def _claim(run_id: int) -> bool:
    """queued → running, once. A run left `running` longer than a task may last belongs to a
    worker that died (its transaction rolled back), so a redelivered task may take it again."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return bool(
        ImportRun.objects.filter(pk=run_id)
        .filter(Q(state=State.QUEUED) | Q(state=State.RUNNING, started_at__lt=stale))
        .update(state=State.RUNNING, started_at=now)
    )


def _fail(run: ImportRun, message: str, problems: list | None = None) -> None:
    problems = problems or []
    ImportRun.objects.filter(pk=run.pk).update(
        state=State.FAILED,
        finished_at=timezone.now(),
        error=message,
        problems=[
            {"row": p.row, "column": p.column, "message": p.message}
            for p in problems[:KEPT_PROBLEMS]
        ],
        problem_count=len(problems),
    )


def _import(run: ImportRun) -> None:
    user = run.user
    # The rights are read again now, from the database: a role taken away since the
    # preview stops the import; the service checks each row's BU against them.
    may_import = user.is_active and (
        permissions.business_units_where(user, Action.EDIT_CUSTOMERS).exists()
    )
    if not may_import:
        _fail(run, _("You may no longer import customers, so nothing has been written."))
        return
    path = imports_dir() / run.token
    if not path.is_file():
        _fail(
            run,
            _("The uploaded file is no longer kept, so nothing has been written. Upload it again."),
        )
        return
    with transaction.atomic():  # the rows and the run's outcome are committed together
        result = customers_import(
            file_bytes=path.read_bytes(),
            filename=run.filename,
            default_year=run.year,
            by=user,
            dry_run=False,
        )
        if not result.ok:
            _fail(
                run,
                _(
                    "The file was not imported: since the preview, the customer database or "
                    "your rights have changed. Nothing has been written."
                ),
                result.problems,
            )
            return
        ImportRun.objects.filter(pk=run.pk).update(
            state=State.DONE,
            finished_at=timezone.now(),
            rows=result.rows,
            customers_created=result.customers_created,
            customers_updated=result.customers_updated,
            facts_written=result.facts_created + result.facts_updated,
            ratings_written=result.ratings_written,
        )
    path.unlink(missing_ok=True)


def import_run_execute(*, run_id: int) -> str | None:
    """Import a queued run's file as its user. Returns the run's final state, or None when
    the run was not this call's to take (already taken by an earlier delivery).

    Refusals (rights, a missing file, problems found) end the run `failed` with the reason;
    an unexpected error does too, and is raised again for the caller to record.
    """
    if not _claim(run_id):
        return None
    run = ImportRun.objects.select_related("user").get(pk=run_id)
    with translation.override(run.language or settings.LANGUAGE_CODE):
        try:
            _import(run)
        except Exception:
            logger.exception("Customer import run %s failed", run_id)
            _fail(
                run,
                _(
                    "The import stopped because of an unexpected error; nothing has been "
                    "written. Try again, or ask an administrator."
                ),
            )
            raise
    return ImportRun.objects.values_list("state", flat=True).get(pk=run_id)


def import_uploads_clean(*, older_than: timedelta = UPLOADS_KEPT, now=None) -> int:
    """Delete uploads under MEDIA_ROOT/imports/ older than `older_than` that no queued or
    running run still needs: previews nobody confirmed, and files of failed runs. Returns how
    many files were deleted."""
    cutoff = (now or timezone.now()).timestamp() - older_than.total_seconds()
    needed = set(ImportRun.objects.unfinished().values_list("token", flat=True))
    deleted = 0
    for path in imports_dir().iterdir():
        if not path.is_file() or path.name in needed:
            continue
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                deleted += 1
        except FileNotFoundError:  # deleted meanwhile (a run finished)
            continue
    return deleted
