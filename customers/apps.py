from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "customers"
    verbose_name = _("Customer database")

    def ready(self) -> None:
        # waiting registers the preliminary lists' home-page items (@waiting_provider).
        from customers import waiting  # noqa: F401
