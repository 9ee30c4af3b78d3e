"""Record each outbox job's outcome from the worker's task signals."""

from celery.signals import task_postrun

from outbox.services import job_mark_finished


@task_postrun.connect
def record_outcome(sender=None, task_id=None, state=None, retval=None, **kwargs):
    if state == "SUCCESS":
        job_mark_finished(task_id=task_id, succeeded=True)
    elif state == "FAILURE":
        job_mark_finished(task_id=task_id, succeeded=False, error=repr(retval))
