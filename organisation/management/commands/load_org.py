from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from organisation.services import org_load, parse_org_file


class Command(BaseCommand):
    help = "Create or update business groups, units and segments from a JSON file (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        try:
            result = org_load(document=parse_org_file(raw))
        except ValidationError as exc:
            raise CommandError("The file was not loaded:\n  " + "\n  ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded: created {result.created['bg']} BG, {result.created['bu']} BU, {result.created['segment']} segments; "
                f"updated {result.updated['bg']} BG, {result.updated['bu']} BU, {result.updated['segment']} segments."
            )
        )
