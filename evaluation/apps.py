from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = _("Criteria and scoring")

    def ready(self) -> None:
        # Registers the target lists' home-page items (@waiting_provider).
        from evaluation import waiting  # noqa: F401
