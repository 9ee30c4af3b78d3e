"""Server time of the pages every user sees first: home and the org tree."""

from django.test import Client

from bench.timing import measure, report
from organisation.demo import seed_org_and_users


def run() -> None:
    seed_org_and_users()
    from django.contrib.auth import get_user_model

    client = Client()
    for username in ["wang.jianguo", "yang.fan", "zhao.lei"]:
        client.force_login(
            get_user_model().objects.get(username=username),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        report(f"home page ({username})", measure(lambda: client.get("/"), repeat=200))
        report(f"org tree ({username})", measure(lambda: client.get("/org/"), repeat=200))
