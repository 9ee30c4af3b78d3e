from django.core.management.base import BaseCommand

from organisation.demo import DEMO_PASSWORD, seed_org_and_users


class Command(BaseCommand):
    help = "Fill the database with the demo company (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        logins = seed_org_and_users()
        from django.utils import timezone

        from customers.demo import seed_customers

        this_year = timezone.localdate().year
        created = seed_customers(count=2000, years=(this_year - 1, this_year))
        self.stdout.write(f"Customers: {created} created.")
        from customers.preliminary.demo import seed_preliminary_lists

        lists = seed_preliminary_lists(this_year + 1)
        from evaluation.demo import seed_criteria

        seed_criteria(this_year + 1)
        self.stdout.write(f"Goals, criteria sets and tier policies for {this_year + 1}: ready.")
        from evaluation.demo_lists import seed_target_lists

        made = seed_target_lists(this_year)
        self.stdout.write(
            f"Score runs and target lists: {this_year} approved, {this_year + 1} in every state "
            f"({made or 'already there'})."
        )
        from reviews.demo import seed_reviews

        report = seed_reviews()
        self.stdout.write(
            f"Annual review {report['year']}: {report['results']} results, "
            f"{report['summaries']} segment summaries, {report['signed_off']} BU sign-offs."
        )
        from inquiries.demo import seed_inquiries

        seed_inquiries()
        self.stdout.write("Inquiries of the past year and their monthly roll-ups: ready.")
        self.stdout.write(f"Preliminary lists for {this_year + 1}: {lists} created.")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password: {DEMO_PASSWORD}):")
        )
        for username, role, unit in logins:
            self.stdout.write(f"  {username:<14} {role:<26} {unit}")
