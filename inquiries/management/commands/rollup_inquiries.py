from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from inquiries import rollup_runs
from inquiries.rollup import parse_month, previous_month


class Command(BaseCommand):
    help = "Compute (or recompute) the monthly inquiry roll-up, as the 1st-of-month task does."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: the previous month)", default=None)
        parser.add_argument("--no-notify", action="store_true", help="Do not notify the managers.")

    def handle(self, *args, month=None, no_notify=False, **options):
        if month:
            try:
                first_day = parse_month(month)
            except ValueError as exc:
                raise CommandError(f"--month must look like 2026-10, not {month!r}") from exc
        else:
            first_day = previous_month(timezone.localdate())
        try:
            run = rollup_runs.inquiry_rollup_run(month=first_day, notify=not no_notify)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Rolled up {run.month:%Y-%m}: {run.inquiries} inquiries in {run.lines.count()} groups."
        )
