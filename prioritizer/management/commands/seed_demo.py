"""The demo company for `make run`. It fills every app, so it lives in the project package,
above them all (organisation, the ground floor, knows no app above it)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from customers import demo as customers_demo
from customers.preliminary import demo as customers_demo_lists
from evaluation.criteria import demo as evaluation_demo
from evaluation.lists import demo as evaluation_demo_lists
from inquiries import demo as inquiries_demo
from organisation.demo import DEMO_PASSWORD, seed_org_and_users
from reviews import demo as reviews_demo


class Command(BaseCommand):
    help = "Fill the database with the demo company (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        logins = seed_org_and_users()
        this_year = timezone.localdate().year
        created = customers_demo.seed_customers(count=2000, years=(this_year - 1, this_year))
        self.stdout.write(f"Customers: {created} created.")
        lists = customers_demo_lists.seed_preliminary_lists(this_year + 1)
        evaluation_demo.seed_criteria(this_year + 1)
        self.stdout.write(f"Goals, criteria sets and tier policies for {this_year + 1}: ready.")
        made = evaluation_demo_lists.seed_target_lists(this_year)
        self.stdout.write(
            f"Score runs and target lists: {this_year} approved, {this_year + 1} in every state "
            f"({made or 'already there'})."
        )
        report = reviews_demo.seed_reviews()
        self.stdout.write(
            f"Annual review {report['year']}: {report['results']} results, "
            f"{report['summaries']} segment summaries, {report['signed_off']} BU sign-offs."
        )
        inquiries_demo.seed_inquiries()
        self.stdout.write("Inquiries of the past year and their monthly roll-ups: ready.")
        self.stdout.write(f"Preliminary lists for {this_year + 1}: {lists} created.")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password: {DEMO_PASSWORD}):")
        )
        for username, role, unit in logins:
            self.stdout.write(f"  {username:<14} {role:<26} {unit}")
