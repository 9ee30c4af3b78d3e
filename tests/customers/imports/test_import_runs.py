"""A confirmed browser import runs in the background: the run, its page, its refusals, its
failures, and the daily cleanup of uploads nobody confirmed."""

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from customers.imports import store as import_store
from customers.imports.jobs import import_run_execute, import_uploads_clean
from customers.imports.runs import ImportRun
from customers.models import Customer, CustomerYear
from customers.tasks import ImportRunFailed, import_run_task
from organisation.models import Role, RoleMembership
from outbox.models import Job
from tests.customers.imports.test_import_views import HEADER, code, token_of, upload
from tests.factories import CustomerFactory, UserFactory

State = ImportRun.State


@pytest.fixture(autouse=True)
def media(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return tmp_path


def confirm_url(token: str) -> str:
    return reverse("customers:customer-import-confirm", args=[token])


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def erin_client(people, client_for):
    return client_for(people.erin)


@pytest.fixture
def token(erin_client):
    """A file erin uploaded and previewed, not yet confirmed."""
    return token_of(upload(erin_client))


def confirm(client, token, callbacks):
    """Press "Import", with the queued task run as `make run` runs it (in process)."""
    with callbacks(execute=True):
        return client.post(confirm_url(token))


def outsider(org, username="rita"):
    """Another researcher of the same BU."""
    user = UserFactory(username=username)
    RoleMembership.objects.create(user=user, role=Role.RESEARCHER, business_unit=org.bu1)
    return user


# --- The happy path ---------------------------------------------------------------------------


def test_confirming_queues_a_run_that_imports_the_file(
    people, erin_client, token, media, django_capture_on_commit_callbacks
):
    response = confirm(erin_client, token, django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    assert response.url == reverse("customers:customer-import-run", args=[run.pk])
    assert (run.user, run.filename, run.year, run.state) == (
        people.erin,
        "customers.csv",
        2024,
        State.DONE,
    )
    assert (run.rows, run.customers_created, run.facts_written) == (1, 1, 1)
    assert run.started_at <= run.finished_at
    assert Customer.objects.get().name_zh == "<b>甲</b>公司"
    assert CustomerYear.objects.get().revenue == 100
    assert Job.objects.get(pk=run.job_id).status == Job.Status.DONE
    assert not (media / "imports" / token).exists()


def test_the_run_page_of_a_done_run_sums_up_and_stops_polling(
    erin_client, token, django_capture_on_commit_callbacks
):
    response = confirm(erin_client, token, django_capture_on_commit_callbacks)
    page = text(erin_client.get(response.url))
    assert "Imported 1 rows: 1 customers created, 0 updated; 1 yearly facts and 0 ratings" in page
    assert reverse("customers:customer-list") in page
    assert "hx-trigger" not in page and 'data-state="done"' in page
    fragment = text(erin_client.get(response.url, headers={"HX-Request": "true"}))
    assert "<html" not in fragment and "hx-get" not in fragment and "Imported 1 rows" in fragment


def test_a_queued_run_is_polled_every_two_seconds(erin_client, token):
    response = erin_client.post(confirm_url(token))  # on_commit not run: the job waits
    page = text(erin_client.get(response.url))
    assert 'hx-trigger="every 2s"' in page and "Waiting for the job queue" in page
    fragment = text(erin_client.get(response.url, headers={"HX-Request": "true"}))
    assert 'hx-trigger="every 2s"' in fragment and "<html" not in fragment
    assert not Customer.objects.exists()


def test_a_running_run_says_so_and_keeps_polling(erin_client, token):
    response = erin_client.post(confirm_url(token))
    ImportRun.objects.update(state=State.RUNNING)
    fragment = text(erin_client.get(response.url, headers={"HX-Request": "true"}))
    assert "Importing…" in fragment and 'hx-trigger="every 2s"' in fragment


def test_the_page_shows_the_run_in_chinese_by_default(erin_client, token, settings):
    response = erin_client.post(confirm_url(token))
    del erin_client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert "正在等待任务队列" in text(erin_client.get(response.url))


# --- Once only --------------------------------------------------------------------------------


def test_a_second_confirm_follows_the_run_already_queued(erin_client, token):
    first = erin_client.post(confirm_url(token))
    second = erin_client.post(confirm_url(token))
    assert second.url == first.url
    assert ImportRun.objects.count() == 1 and Job.objects.count() == 1


def test_a_run_is_imported_once_however_often_its_task_is_delivered(erin_client, token):
    erin_client.post(confirm_url(token))
    run = ImportRun.objects.get()
    assert import_run_execute(run_id=run.pk) == State.DONE
    assert import_run_execute(run_id=run.pk) is None  # redelivered: not claimed again
    assert Customer.objects.count() == 1
    assert Customer.history.count() == 1


def test_the_database_holds_one_live_run_per_upload(people, token):
    ImportRun.objects.create(user=people.erin, token=token, filename="a.csv")
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportRun.objects.create(user=people.erin, token=token, filename="a.csv")
    ImportRun.objects.update(state=State.FAILED)  # a failed run may be confirmed again
    ImportRun.objects.create(user=people.erin, token=token, filename="a.csv")


def test_a_run_left_running_by_a_dead_worker_is_taken_again(erin_client, token, settings):
    erin_client.post(confirm_url(token))
    run = ImportRun.objects.get()
    ImportRun.objects.update(state=State.RUNNING, started_at=run.created_at)
    assert import_run_execute(run_id=run.pk) is None  # still within a task's time limit
    settings.CELERY_TASK_TIME_LIMIT = 0
    assert import_run_execute(run_id=run.pk) == State.DONE


# --- Who may see and confirm ------------------------------------------------------------------


def test_another_user_can_neither_see_nor_confirm_the_run(
    org, people, erin_client, token, client_for
):
    run_url = erin_client.post(confirm_url(token)).url
    other = client_for(outsider(org))
    assert other.get(run_url).status_code == 404
    assert other.get(run_url, headers={"HX-Request": "true"}).status_code == 404
    assert other.post(confirm_url(token)).status_code == 404
    assert ImportRun.objects.count() == 1


def test_a_superuser_may_see_any_run(people, erin_client, token, client_for):
    run_url = erin_client.post(confirm_url(token)).url
    people.judy.is_superuser = True
    people.judy.save()
    assert client_for(people.judy).get(run_url).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(erin_client, token, client):
    run_url = erin_client.post(confirm_url(token)).url
    client.logout()
    response = client.get(run_url)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_confirming_needs_the_researcher_role(people, erin_client, token):
    RoleMembership.objects.filter(user=people.erin).delete()
    assert erin_client.post(confirm_url(token)).status_code == 403
    assert not ImportRun.objects.exists()


def test_a_role_taken_away_before_the_run_stops_it(people, erin_client, token):
    erin_client.post(confirm_url(token))
    RoleMembership.objects.filter(user=people.erin).delete()
    run = ImportRun.objects.get()
    assert import_run_execute(run_id=run.pk) == State.FAILED
    run.refresh_from_db()
    assert "You may no longer import customers" in run.error
    assert not Customer.objects.exists()


def test_a_bu_taken_away_before_the_run_is_a_problem_of_its_rows(org, people, erin_client, token):
    erin_client.post(confirm_url(token))
    RoleMembership.objects.filter(user=people.erin).update(business_unit=org.bu2)
    run = ImportRun.objects.get()
    assert import_run_execute(run_id=run.pk) == State.FAILED
    run.refresh_from_db()
    assert "You may not edit customers of BU BU1" in run.problems[0]["message"]
    assert not Customer.objects.exists()


# --- Failures ---------------------------------------------------------------------------------


def test_a_database_changed_since_the_preview_shows_the_problems(
    org, erin_client, token, media, django_capture_on_commit_callbacks
):
    # After the preview, someone files the same credit code under another BU.
    CustomerFactory(credit_code=code(1), business_unit=org.bu2, name_zh="别家公司")
    response = confirm(erin_client, token, django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    assert run.state == State.FAILED and run.problem_count == 1
    assert run.problems[0]["row"] == 2 and run.problems[0]["column"] == "bu"
    page = text(erin_client.get(response.url))
    assert 'data-testid="import-problems"' in page and "belongs to BU BU2" in page
    assert "since the preview" in page and "hx-trigger" not in page
    preview = reverse("customers:customer-import-preview", args=[token])
    assert preview in page  # the file is kept: back to the preview
    assert Customer.objects.count() == 1  # only the other BU's
    assert (media / "imports" / token).exists()


def test_a_failed_run_may_be_confirmed_again_from_the_preview(
    org, erin_client, token, django_capture_on_commit_callbacks
):
    other = CustomerFactory(credit_code=code(1), business_unit=org.bu2, name_zh="别家公司")
    confirm(erin_client, token, django_capture_on_commit_callbacks)
    other.delete()
    confirm(erin_client, token, django_capture_on_commit_callbacks)
    assert list(ImportRun.objects.order_by("pk").values_list("state", flat=True)) == [
        State.FAILED,
        State.DONE,
    ]
    assert Customer.objects.get().name_zh == "<b>甲</b>公司"


@pytest.fixture
def writing_fails(monkeypatch):
    """The store breaks after the customers were written, before their facts."""

    def broken(self, rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_store.SqlStore, "write_years", broken)
    monkeypatch.setattr(import_store.CopyStore, "write_years", broken)


def test_a_failure_writes_nothing_and_says_so(
    erin_client, token, media, writing_fails, django_capture_on_commit_callbacks
):
    response = confirm(erin_client, token, django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    assert run.state == State.FAILED and "unexpected error" in run.error
    assert not Customer.objects.exists() and not Customer.history.exists()
    page = text(erin_client.get(response.url))
    assert "The import stopped because of an unexpected error" in page
    assert "disk full" not in page  # the exception is logged, not shown
    assert reverse("customers:customer-import-preview", args=[token]) in page
    assert (media / "imports" / token).exists()


def test_a_worker_records_the_failure_in_the_outbox(erin_client, token, writing_fails):
    erin_client.post(confirm_url(token))
    run = ImportRun.objects.get()
    with pytest.raises(ImportRunFailed):
        import_run_task(run.pk)  # called as a worker calls it: not eager
    run.refresh_from_db()
    assert run.state == State.FAILED and not Customer.objects.exists()


def test_a_missing_file_fails_the_run(erin_client, token, media):
    erin_client.post(confirm_url(token))
    (media / "imports" / token).unlink()
    run = ImportRun.objects.get()
    assert import_run_execute(run_id=run.pk) == State.FAILED
    run.refresh_from_db()
    assert "no longer kept" in run.error


def test_problems_are_written_in_the_language_of_the_confirm(
    org, erin_client, token, django_capture_on_commit_callbacks, settings
):
    CustomerFactory(credit_code=code(1), business_unit=org.bu2, name_zh="别家公司")
    del erin_client.cookies[settings.LANGUAGE_COOKIE_NAME]  # Chinese, the default
    confirm(erin_client, token, django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    assert run.language == "zh-hans"
    assert "BU2" in run.problems[0]["message"] and "belongs to" not in run.problems[0]["message"]


def test_the_problems_kept_are_capped(org, erin_client, monkeypatch):
    monkeypatch.setattr("customers.imports.jobs.KEPT_PROBLEMS", 2)
    rows = "".join(f"{code(n)},公司{n},,BU1,AUTO,,,2024,,,,,,\n" for n in range(1, 4))
    token = token_of(upload(erin_client, f"{HEADER}\n{rows}"))
    for n in range(1, 4):
        CustomerFactory(credit_code=code(n), business_unit=org.bu2)
    erin_client.post(confirm_url(token))
    run = ImportRun.objects.get()
    import_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (len(run.problems), run.problem_count, run.more_problems) == (2, 3, 1)
    assert "…and 1 more problem." in text(erin_client.get(run.get_absolute_url()))


# --- Cleanup of uploads nobody confirmed ------------------------------------------------------


def age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_cleanup_deletes_only_old_uploads_no_run_needs(people, media):
    imports = media / "imports"
    imports.mkdir()
    names = ["a" * 32, "b" * 32, "c" * 32, "d" * 32, "e" * 32]
    for name in names:
        (imports / name).write_bytes(b"x")
    old_unconfirmed, new_unconfirmed, old_queued, old_running, old_failed = names
    for name in (old_unconfirmed, old_queued, old_running, old_failed):
        age(imports / name, 25)
    age(imports / new_unconfirmed, 23)
    for name, state in ((old_queued, State.QUEUED), (old_running, State.RUNNING)):
        ImportRun.objects.create(user=people.erin, token=name, filename="x.csv", state=state)
    ImportRun.objects.create(
        user=people.erin, token=old_failed, filename="x.csv", state=State.FAILED
    )
    assert import_uploads_clean() == 2
    assert sorted(p.name for p in imports.iterdir()) == [new_unconfirmed, old_queued, old_running]


def test_the_cleanup_command_and_task(people, media):
    from customers.tasks import clean_import_uploads

    imports = media / "imports"
    imports.mkdir()
    (imports / ("a" * 32)).write_bytes(b"x")
    (imports / ("b" * 32)).write_bytes(b"x")
    age(imports / ("a" * 32), 2)
    call_command("clean_import_uploads", "--hours", "1")
    assert [p.name for p in imports.iterdir()] == ["b" * 32]
    age(imports / ("b" * 32), 48)
    assert clean_import_uploads.delay().get() == 1


def test_the_cleanup_is_scheduled_daily():
    from prioritizer.schedule import periodic_tasks

    spec = next(s for s in periodic_tasks() if s["task"] == "customers.tasks.clean_import_uploads")
    assert spec["crontab"]["day_of_month"] == "*" and spec["crontab"]["hour"] == "3"


def test_uploads_kept_is_a_day():
    from customers.imports.jobs import UPLOADS_KEPT

    assert timedelta(hours=24) == UPLOADS_KEPT


def test_the_web_and_the_worker_share_the_uploads(settings):
    import yaml

    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert "media:/app/var/media" in services["web"]["volumes"]
    assert services["worker"]["volumes"] == services["web"]["volumes"]


def _run_with_job(people, status):
    job = Job.objects.create(task_name="customers.tasks.import_run_task", status=status)
    return ImportRun.objects.create(user=people.erin, filename="f.csv", token="t", job_id=job.pk)


def test_a_run_waits_for_the_job_queue_while_its_job_is_pending(people):
    assert _run_with_job(people, Job.Status.PENDING).waits_for_job_queue()


def test_a_run_no_longer_waits_for_the_job_queue_once_its_job_is_queued(people):
    assert not _run_with_job(people, Job.Status.QUEUED).waits_for_job_queue()
