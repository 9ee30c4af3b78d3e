"""The hourly catch-up of the monthly roll-up: it rolls up last month only when the run on
the 1st never happened."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from inquiries import rollup_runs, tasks
from inquiries.models import InquiryRollup

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = date(2025, 10, 1)


def test_last_month_is_missed_when_it_has_no_rollup(db):
    assert rollup_runs.inquiry_rollup_missed(datetime(2025, 11, 3, 10, tzinfo=SHANGHAI)) == OCTOBER


def test_nothing_is_missed_before_the_run_on_the_first_is_due(db):
    assert rollup_runs.inquiry_rollup_missed(datetime(2025, 11, 1, 2, 10, tzinfo=SHANGHAI)) is None


def test_nothing_is_missed_once_the_month_is_rolled_up(db):
    rollup_runs.inquiry_rollup_run(month=OCTOBER)
    assert rollup_runs.inquiry_rollup_missed(datetime(2025, 11, 3, 10, tzinfo=SHANGHAI)) is None


def test_the_catch_up_rolls_up_a_missed_month_once(db, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 11, 2, 10, tzinfo=SHANGHAI))
    assert tasks.rollup_catch_up() == "2025-10"
    assert InquiryRollup.objects.get().month == OCTOBER
    assert tasks.rollup_catch_up() is None
    assert InquiryRollup.objects.count() == 1
