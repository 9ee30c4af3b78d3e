import json

from django.core.management.base import BaseCommand, CommandError

from evaluation.criteria.services import criteria_set_dump
from evaluation.models import CriteriaSet


class Command(BaseCommand):
    help = "Write a criteria set as JSON (the shape load_criteria reads)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--segment")
        scope.add_argument("--bu")

    def handle(self, *args, year: int, segment: str | None, bu: str | None, **options):
        sets = CriteriaSet.objects.filter(year=year)
        sets = (
            sets.filter(segment__code=segment)
            if segment
            else sets.filter(business_unit__code=bu, segment=None)
        )
        criteria_set = sets.select_related("business_unit", "segment").first()
        if criteria_set is None:
            raise CommandError(f"No criteria set for {segment or bu} in {year}.")
        self.stdout.write(json.dumps(criteria_set_dump(criteria_set), ensure_ascii=False, indent=2))
