from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "customers"
    verbose_name = _("Customer database")

    def ready(self) -> None:
        # customers.ImportRun lives beside the rest of the browser import, not in models.py;
        # waiting registers the preliminary lists' home-page items (@waiting_provider).
        from customers import import_runs, waiting  # noqa: F401
