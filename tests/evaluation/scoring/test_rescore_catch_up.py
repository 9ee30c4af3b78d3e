"""The hourly catch-up of the annual re-scoring: it runs only when the re-scoring was due
(ANNUAL_RESCORE_DATE, 02:00), left no report, and is at most two weeks late."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from evaluation.models import RescoreReport
from evaluation.scoring.rescoring import annual_rescore_missed
from evaluation.tasks import annual_rescore_catch_up

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def first_of_october(settings):
    settings.ANNUAL_RESCORE_DATE = "10-01"


def test_a_rescoring_without_a_report_since_it_was_due_is_missed(db):
    assert annual_rescore_missed(at(10, 1, 3)) == 2027


@pytest.mark.parametrize("now", [at(10, 1, 2, 10), at(9, 30, 12), at(10, 15, 3), at(12, 1, 3)])
def test_nothing_is_missed_before_it_is_due_nor_two_weeks_after(db, now):
    assert annual_rescore_missed(now) is None


def test_a_report_since_it_was_due_means_it_ran(db):
    report = RescoreReport.objects.create(year=2027, report={})
    RescoreReport.objects.filter(pk=report.pk).update(ran_at=at(10, 1, 2, 5))
    assert annual_rescore_missed(at(10, 2, 9)) is None


def test_last_years_report_does_not_count(db):
    report = RescoreReport.objects.create(year=2026, report={})
    RescoreReport.objects.filter(pk=report.pk).update(ran_at=at(10, 1, 2, 5))
    assert annual_rescore_missed(at(10, 2, 9)) == 2027


def test_the_catch_up_rescoring_runs_once(org, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(10, 2, 9, 45))
    report = annual_rescore_catch_up()
    assert report["year"] == 2027 and RescoreReport.objects.get().year == 2027
    assert annual_rescore_catch_up() is None
    assert RescoreReport.objects.count() == 1
