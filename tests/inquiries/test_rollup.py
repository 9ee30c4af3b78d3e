"""The monthly roll-up: correct, stored once, idempotent, safe to retry, never for the future."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from inquiries import rollup_runs, services, tasks
from inquiries.models import Decision, DeclineReason, Inquiry, InquiryRollup, InquiryRollupLine
from inquiries.rollup import conversion_rate, is_future_month, last_months, median, month_bounds
from organisation.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTH = date(2025, 10, 1)


def at(day, hour=10):
    return datetime(2025, 10, day, hour, tzinfo=SHANGHAI)


def decide_after(inquiry, by, days, **kwargs):
    """Decide as if `days` days had passed since the inquiry was received."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: inquiry.received_at + timedelta(days=days))
        return services.inquiry_decide(inquiry=inquiry, by=by, **kwargs)


@pytest.fixture
def october(log_inquiry, people, org):
    """Four AUTO phone inquiries (2 decided serve-once after 2 and 4 days, one target after
    1 day, one open), one ELEC e-mail declined, one September and one November inquiry."""
    serve = [log_inquiry(received_at=at(d), company_name=f"公司{d}") for d in (1, 2)]
    decide_after(serve[0], people.alice, 2, decision=Decision.SERVE_ONCE)
    decide_after(serve[1], people.alice, 4, decision=Decision.SERVE_ONCE)
    target = log_inquiry(received_at=at(3), company_name="目标公司")
    decide_after(target, people.alice, 1, decision=Decision.TARGET, owner=people.dave)
    log_inquiry(received_at=at(31, 23), company_name="月底公司")  # 23:00 Shanghai, still October
    declined = log_inquiry(
        received_at=at(5), company_name="电子公司", segment=org.elec, channel="email"
    )
    decide_after(
        declined, people.eve, 3, decision=Decision.DECLINE, decline_reason=DeclineReason.TOO_SMALL
    )
    log_inquiry(received_at=datetime(2025, 9, 30, 23, 59, tzinfo=SHANGHAI), company_name="九月")
    log_inquiry(received_at=datetime(2025, 11, 1, 0, 0, tzinfo=SHANGHAI), company_name="十一月")
    Notification.objects.all().delete()


def lines_of(run):
    return {
        (line.segment.code, line.owner.username, line.channel, line.decision): (
            line.count,
            line.conversions,
            line.still_open,
            line.median_days_to_decision,
        )
        for line in run.lines.select_related("segment", "owner")
    }


EXPECTED = {
    ("AUTO", "dave", "phone", "serve_once"): (2, 0, 0, 3.0),
    ("AUTO", "dave", "phone", "target"): (1, 1, 0, 1.0),
    ("AUTO", "dave", "phone", ""): (1, 0, 1, None),
    ("ELEC", "dave", "email", "decline"): (1, 0, 0, 3.0),
}


class TestPureMaths:
    def test_month_bounds_are_local(self):
        start, end = month_bounds(MONTH, "Asia/Shanghai")
        assert start == at(1, 0) and end == datetime(2025, 11, 1, tzinfo=SHANGHAI)

    def test_last_months_cross_the_year(self):
        months = last_months(date(2026, 2, 1), 3)
        assert months == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]

    def test_median_and_rates(self):
        assert median([]) is None
        assert median([1, 5, 2]) == 2
        assert median([1, 2, 3, 4]) == 2.5
        assert conversion_rate(1, 4) == 25.0 and conversion_rate(0, 0) is None

    def test_future_months(self):
        today = date(2026, 3, 15)
        assert is_future_month(date(2026, 4, 1), today)
        assert not is_future_month(date(2026, 3, 1), today)


class TestRollup:
    def test_it_counts_per_bu_segment_owner_channel_and_decision(self, october):
        run = rollup_runs.inquiry_rollup_run(month=MONTH)
        assert lines_of(run) == EXPECTED
        assert run.inquiries == 5

    def test_it_notifies_the_segment_managers_and_the_bu_vp_once(self, october, people):
        rollup_runs.inquiry_rollup_run(month=MONTH)
        rollup_runs.inquiry_rollup_run(month=MONTH)
        recipients = sorted(Notification.objects.values_list("recipient__username", flat=True))
        assert recipients == ["alice", "bob", "eve"]
        assert Notification.objects.first().url == "/inquiries/rollup/?month=2025-10&bu=BU1"

    def test_running_twice_leaves_exactly_one_rollup(self, october):
        first = rollup_runs.inquiry_rollup_run(month=MONTH)
        second = rollup_runs.inquiry_rollup_run(month=MONTH)
        assert first.pk == second.pk
        assert InquiryRollup.objects.count() == 1
        assert lines_of(second) == EXPECTED
        assert InquiryRollupLine.objects.count() == len(EXPECTED)

    def test_a_rerun_picks_up_later_decisions(self, october, people):
        rollup_runs.inquiry_rollup_run(month=MONTH)
        still_open = Inquiry.objects.get(company_name="月底公司")
        services.inquiry_decide(inquiry=still_open, by=people.alice, decision=Decision.SERVE_ONCE)
        run = rollup_runs.inquiry_rollup_run(month=MONTH)
        assert ("AUTO", "dave", "phone", "") not in lines_of(run)
        assert lines_of(run)[("AUTO", "dave", "phone", "serve_once")][0] == 3

    def test_a_failure_half_way_leaves_nothing_and_the_retry_one_correct_rollup(
        self, october, monkeypatch
    ):
        rollup_runs.inquiry_rollup_run(month=MONTH, notify=False)  # an earlier, good run

        def broken(*args, **kwargs):
            raise RuntimeError("the database went away")

        monkeypatch.setattr(rollup_runs, "_notify_managers", broken)
        InquiryRollup.objects.update(notified_at=None)
        with pytest.raises(RuntimeError):
            rollup_runs.inquiry_rollup_run(month=MONTH)  # lines were replaced, then it failed
        assert InquiryRollup.objects.count() == 1
        assert lines_of(InquiryRollup.objects.get()) == EXPECTED  # the old run, untouched
        monkeypatch.undo()
        run = rollup_runs.inquiry_rollup_run(month=MONTH)
        assert InquiryRollup.objects.count() == 1 and lines_of(run) == EXPECTED
        assert run.notified_at is not None

    def test_a_first_run_that_fails_leaves_no_rollup(self, october, monkeypatch):
        monkeypatch.setattr(
            rollup_runs.InquiryRollupLine.objects,
            "bulk_create",
            lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")),
        )
        with pytest.raises(RuntimeError):
            rollup_runs.inquiry_rollup_run(month=MONTH)
        assert not InquiryRollup.objects.exists()
        assert not Notification.objects.exists()

    def test_a_future_month_is_refused(self, db):
        next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
        with pytest.raises(ValidationError):
            rollup_runs.inquiry_rollup_run(month=next_month)
        assert not InquiryRollup.objects.exists()

    def test_an_empty_month_is_stored_without_notifications(self, people):
        run = rollup_runs.inquiry_rollup_run(month=MONTH)
        assert run.inquiries == 0 and not run.lines.exists()
        assert not Notification.objects.exists()


class TestCommandAndTasks:
    def test_the_command_rolls_up_the_given_month(self, october):
        out = StringIO()
        call_command("rollup_inquiries", "--month", "2025-10", stdout=out)
        assert "2025-10: 5 inquiries" in out.getvalue()
        call_command("rollup_inquiries", "--month", "2025-10", stdout=out)
        assert InquiryRollup.objects.count() == 1

    @pytest.mark.parametrize("month", ["2025-13", "10-2025", "2999-01"])
    def test_the_command_refuses_bad_and_future_months(self, db, month):
        with pytest.raises(CommandError):
            call_command("rollup_inquiries", "--month", month, stdout=StringIO())
        assert not InquiryRollup.objects.exists()

    def test_the_month_task_returns_the_rollup(self, october):
        pk = tasks.rollup_month.delay("2025-10").get()
        assert InquiryRollup.objects.get(pk=pk).month == MONTH

    def test_the_beat_task_rolls_up_the_previous_month(self, db, monkeypatch):
        monkeypatch.setattr(timezone, "localdate", lambda: date(2025, 11, 1))
        assert tasks.rollup_previous_month.delay().get() == "2025-10"
        assert InquiryRollup.objects.get().month == MONTH
