from django.core.management.base import BaseCommand, CommandError

from evaluation.lists.services import target_lists_score_and_build
from organisation.models import Segment


class Command(BaseCommand):
    help = (
        "Score segments with their published criteria for a planning year (a new run each) "
        "and make or rebuild each segment's draft target list."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="planning year")
        parser.add_argument("--facts-year", type=int, help="facts year (default: year - 1)")
        parser.add_argument("--segment", help="one segment code (default: every segment)")

    def handle(self, *args, year: int, facts_year: int | None, segment: str | None, **options):
        segments = None
        if segment:
            segments = list(Segment.objects.with_org().filter(code=segment))
            if not segments:
                raise CommandError(f"Unknown segment {segment}.")
        report = target_lists_score_and_build(year=year, facts_year=facts_year, segments=segments)
        for item in report["scored"]:
            self.stdout.write(
                f"{item['segment']}: run {item['run']}: {item['evaluated']} evaluated, "
                f"{item['passed_gates']} passed the gates, tiers {item['tiers']}, {item['general']} general; "
                f"list {item['list']}: {item['list_note']}"
            )
        for item in report["skipped"]:
            self.stdout.write(self.style.WARNING(f"{item['segment']}: skipped: {item['reason']}"))
        if segment and report["skipped"]:
            raise CommandError(report["skipped"][0]["reason"])
