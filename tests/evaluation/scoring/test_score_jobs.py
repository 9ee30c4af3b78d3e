"""The score button's job: queued once while it runs, its arguments read back only through
ScoreJob; and the run reads behind the run pages (latest per segment, newest first)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.models import ScoreRun
from evaluation.scoring.services import SCORE_TASK, ScoreJob, score_job_enqueue, score_jobs
from outbox.models import Job


def enqueue(org, people, year=2027):
    return score_job_enqueue(segment=org.auto, year=year, facts_year=2026, by=people.alice)


@pytest.mark.django_db
class TestScoreJobEnqueue:
    def test_it_queues_the_task_with_what_it_scores(self, org, people):
        job = enqueue(org, people)
        assert job.task_name == SCORE_TASK and job.status == Job.Status.PENDING
        score_job = ScoreJob.of(job)
        assert (score_job.segment_id, score_job.year, score_job.facts_year, score_job.user_id) == (
            org.auto.pk,
            2027,
            2026,
            people.alice.pk,
        )

    def test_it_follows_the_job_already_queued(self, org, people):
        first = enqueue(org, people)
        assert enqueue(org, people) == first and Job.objects.count() == 1

    def test_another_year_is_another_job(self, org, people):
        assert enqueue(org, people, 2027) != enqueue(org, people, 2028)

    def test_a_job_older_than_an_hour_or_finished_does_not_hold_the_button(self, org, people):
        lost = enqueue(org, people)
        Job.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=2))
        done = enqueue(org, people)
        assert done != lost
        Job.objects.filter(pk=done.pk).update(status=Job.Status.DONE)
        assert enqueue(org, people) not in (lost, done)


@pytest.mark.django_db
class TestScoreJob:
    def test_a_job_without_a_scorings_arguments_is_refused(self):
        with pytest.raises(ValueError):
            ScoreJob.of(Job.objects.create(task_name=SCORE_TASK, args=[1, 2027]))

    def test_score_jobs_are_the_score_buttons(self, org, people):
        job = enqueue(org, people)
        Job.objects.create(task_name="outbox.tasks.heartbeat")
        assert list(score_jobs()) == [job]

    def test_its_run_is_the_first_the_user_made_after_queueing(self, run, people):
        ScoreRun.objects.filter(pk=run.pk).update(created_by=people.alice)
        job = Job.objects.create(
            task_name=SCORE_TASK, args=[run.segment_id, run.year, run.facts_year, people.alice.pk]
        )
        assert ScoreJob.of(job).run() is None  # the run is older than the job
        Job.objects.filter(pk=job.pk).update(created_at=run.created_at - timedelta(seconds=1))
        job.refresh_from_db()
        assert ScoreJob.of(job).run() == run
        bobs = Job.objects.create(
            task_name=SCORE_TASK, args=[run.segment_id, run.year, run.facts_year, people.bob.pk]
        )
        Job.objects.filter(pk=bobs.pk).update(created_at=job.created_at)
        bobs.refresh_from_db()
        assert ScoreJob.of(bobs).run() is None  # another user's run


def another_run(run, **fields):
    return ScoreRun.objects.create(
        **{
            "segment": run.segment,
            "year": run.year,
            "facts_year": run.facts_year,
            "criteria_set": run.criteria_set,
            "criteria_set_version": run.criteria_set_version,
            "criteria": run.criteria,
        }
        | fields
    )


@pytest.mark.django_db
class TestScoreRunReads:
    def test_latest_per_segment_is_each_segments_last_run(self, run, org):
        later = another_run(run)
        elec = another_run(run, segment=org.elec)
        assert set(ScoreRun.objects.latest_per_segment()) == {later, elec}

    def test_latest_per_segment_reads_within_the_filter(self, run, org):
        another_run(run, year=run.year + 1)
        assert list(ScoreRun.objects.filter(year=run.year).latest_per_segment()) == [run]

    def test_newest_first_breaks_equal_times_by_id(self, run):
        twin = another_run(run)
        ScoreRun.objects.filter(pk=twin.pk).update(created_at=run.created_at)
        assert list(ScoreRun.objects.newest_first()) == [twin, run]
