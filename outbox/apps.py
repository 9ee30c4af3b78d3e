from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outbox"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from outbox import signals  # noqa: F401 - connects the task signal handlers
