from django.core.management.base import BaseCommand

from organisation.demo import DEMO_PASSWORD, seed_org_and_users


class Command(BaseCommand):
    help = "Fill the database with the demo company (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        logins = seed_org_and_users()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password: {DEMO_PASSWORD}):")
        )
        for username, role, unit in logins:
            self.stdout.write(f"  {username:<14} {role:<26} {unit}")
