from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organisation.people import people_load
from prioritizer.tabular import MAX_FILE_BYTES, file_too_large


class Command(BaseCommand):
    help = (
        "Create or update people and their role memberships from a CSV or XLSX file "
        "(idempotent, all or nothing; see docs/file-formats.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, write nothing."
        )

    def handle(self, *args, path: Path, dry_run: bool, **options):
        try:
            too_large = path.stat().st_size > MAX_FILE_BYTES
            raw = b"" if too_large else path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        if too_large:  # refused before reading it
            self.stderr.write(str(file_too_large()))
            raise CommandError(f"{path.name}: the file was not loaded.")
        result = people_load(file_bytes=raw, filename=path.name, dry_run=dry_run)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{path.name}: {len(result.problems)} problem(s); nothing was loaded."
            )
        summary = (
            f"{result.rows} rows: people created {result.created}, updated {result.updated}, "
            f"deactivated {result.deactivated}, unchanged {result.unchanged}; "
            f"role memberships added {result.memberships_added}, ended {result.memberships_ended}; "
            f"e-mailed a link to set a password: {result.invited}."
        )
        if dry_run:
            self.stdout.write(f"Dry run, nothing written. {summary}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Loaded. {summary}"))
