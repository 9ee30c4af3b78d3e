import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from evaluation.criteria.services import criteria_set_load


class Command(BaseCommand):
    help = "Load a criteria set (and its tiers) from JSON as a draft, or publish it with --publish."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--publish", action="store_true", help="publish it, or refuse with the reasons"
        )

    def handle(self, *args, path: Path, publish: bool, **options):
        try:
            document = json.loads(path.read_bytes().decode("utf-8-sig"))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path} is not valid UTF-8 JSON: {exc}") from exc
        try:
            criteria_set = criteria_set_load(document=document, publish=publish)
        except ValidationError as exc:
            raise CommandError("The file was not loaded:\n  " + "\n  ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {criteria_set} as {criteria_set.get_status_display()}.")
        )
