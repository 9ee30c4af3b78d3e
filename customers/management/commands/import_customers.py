from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from customers.imports.service import customers_import
from prioritizer.tabular import MAX_FILE_BYTES, file_too_large


class Command(BaseCommand):
    help = (
        "Import customers and their yearly facts from a CSV or XLSX file (all or nothing; "
        "see docs/file-formats.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--year", type=int, help="Year of the facts for rows without a year column."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, write nothing."
        )

    def handle(self, *args, path: Path, year: int | None, dry_run: bool, **options):
        try:
            too_large = path.stat().st_size > MAX_FILE_BYTES
            raw = b"" if too_large else path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        if too_large:  # refused before reading it
            self.stderr.write(str(file_too_large()))
            raise CommandError(f"{path.name}: the file was not imported.")
        result = customers_import(
            file_bytes=raw, filename=path.name, default_year=year, by=None, dry_run=dry_run
        )
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{path.name}: {len(result.problems)} problem(s); nothing was imported."
            )
        summary = (
            f"{result.rows} rows: customers created {result.customers_created}, "
            f"updated {result.customers_updated}, unchanged {result.customers_unchanged}; "
            f"facts rows created {result.facts_created}, updated {result.facts_updated}; "
            f"ratings written {result.ratings_written}."
        )
        if dry_run:
            self.stdout.write(f"Dry run, nothing written. {summary}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported. {summary}"))
