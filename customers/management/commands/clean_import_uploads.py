from datetime import timedelta

from django.core.management.base import BaseCommand

from customers.imports.jobs import UPLOADS_KEPT, import_uploads_clean


class Command(BaseCommand):
    help = (
        "Delete browser-import uploads older than --hours (24) that no queued or running "
        "import needs (beat runs this daily as customers.tasks.clean_import_uploads)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=float, default=UPLOADS_KEPT.total_seconds() / 3600, help="Age to keep."
        )

    def handle(self, *args, hours: float, **options):
        deleted = import_uploads_clean(older_than=timedelta(hours=hours))
        self.stdout.write(f"Deleted {deleted} upload(s).")
