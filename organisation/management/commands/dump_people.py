from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organisation.people import people_sheet
from prioritizer.spreadsheets import csv_bytes


class Command(BaseCommand):
    help = "Write every person and their role memberships as CSV (the file load_people reads)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Write to this file, not to the screen.")

    def handle(self, *args, output: Path | None, **options):
        data = csv_bytes(people_sheet())
        if output is None:
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}") from exc
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))
